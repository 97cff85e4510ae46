//! Data-driven tests for the text module.
//!
//! Each public function has a table of `(input, expected)` cases and one
//! `check_*` helper that runs the whole table and reports *every* failing
//! case at once. Property tests at the end run over the union of all table
//! inputs. All Vietnamese sentences here were written for these tests.

use unicode_normalization::UnicodeNormalization;

use super::*;

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// Panics with a list of all failures, if any.
fn report(what: &str, failures: Vec<String>) {
    assert!(failures.is_empty(), "{} {what} case(s) failed:\n{}", failures.len(), failures.join("\n"));
}

/// Runs a string-to-string function over a table.
fn check(what: &str, f: fn(&str) -> String, cases: &[(&str, &str)]) {
    let failures = cases
        .iter()
        .filter_map(|&(input, expected)| {
            let got = f(input);
            (got != expected).then(|| format!("  {what}({input:?})\n    expected {expected:?}\n    got      {got:?}"))
        })
        .collect();
    report(what, failures);
}

/// Runs [`has_diacritics`] over a table.
fn check_has_diacritics(cases: &[(&str, bool)]) {
    let failures = cases
        .iter()
        .filter_map(|&(input, expected)| {
            let got = has_diacritics(input);
            (got != expected).then(|| format!("  has_diacritics({input:?}) = {got}, expected {expected}"))
        })
        .collect();
    report("has_diacritics", failures);
}

/// Renders tokens compactly as `text/K` separated by spaces (K = W, N, P).
/// Token texts never contain whitespace, so this is unambiguous enough.
fn render_tokens(s: &str) -> String {
    tokenize(s)
        .iter()
        .map(|t| {
            let kind = match t.kind {
                TokenKind::Word => 'W',
                TokenKind::Number => 'N',
                TokenKind::Punct => 'P',
            };
            format!("{}/{kind}", t.text)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Structural invariants of [`tokenize`] that must hold for any input.
fn token_invariants(s: &str) -> Result<(), String> {
    let mut previous_end = 0;
    for t in tokenize(s) {
        if s.get(t.start..t.end) != Some(t.text) {
            return Err(format!("span {}..{} does not map to {:?}", t.start, t.end, t.text));
        }
        if t.text.is_empty() || t.start < previous_end {
            return Err(format!("empty or overlapping token {t:?}"));
        }
        if t.text.chars().any(char::is_whitespace) {
            return Err(format!("token contains whitespace: {t:?}"));
        }
        previous_end = t.end;
    }
    Ok(())
}

/// Runs [`tokenize`] over a table, checking rendering and invariants, and
/// that [`tokenize_into`] a vector holding the previous case's tokens gives
/// the same tokens.
fn check_tokenize(cases: &[(&str, &str)]) {
    let mut reused = Vec::new();
    let failures = cases
        .iter()
        .filter_map(|&(input, expected)| {
            let got = render_tokens(input);
            tokenize_into(input, &mut reused);
            if let Err(e) = token_invariants(input) {
                Some(format!("  tokenize({input:?}): {e}"))
            } else if reused != tokenize(input) {
                Some(format!("  tokenize_into({input:?}) differs from tokenize: {reused:?}"))
            } else {
                (got != expected)
                    .then(|| format!("  tokenize({input:?})\n    expected {expected:?}\n    got      {got:?}"))
            }
        })
        .collect();
    report("tokenize", failures);
}

/// Structural invariants of [`split_sentences`] that must hold for any
/// input, with the rules of either language.
fn sentence_invariants(s: &str) -> Result<(), String> {
    sentence_invariants_in(s, SentenceLang::Vietnamese)?;
    sentence_invariants_in(s, SentenceLang::English)
}

fn sentence_invariants_in(s: &str, lang: SentenceLang) -> Result<(), String> {
    let mut previous_end = 0;
    for sentence in split_sentences(s, lang) {
        if s.get(sentence.start..sentence.end) != Some(sentence.text) {
            return Err(format!("span does not map back: {sentence:?}"));
        }
        if sentence.text.is_empty() || sentence.text.trim() != sentence.text {
            return Err(format!("empty or untrimmed sentence: {sentence:?}"));
        }
        if sentence.start < previous_end {
            return Err(format!("overlapping sentence: {sentence:?}"));
        }
        previous_end = sentence.end;
    }
    Ok(())
}

/// Runs [`split_sentences`] in `lang` over a table, checking texts and
/// invariants.
fn check_sentences(lang: SentenceLang, cases: &[(&str, &[&str])]) {
    let failures = cases
        .iter()
        .filter_map(|&(input, expected)| {
            let got: Vec<&str> = split_sentences(input, lang).iter().map(|s| s.text).collect();
            if let Err(e) = sentence_invariants_in(input, lang) {
                Some(format!("  split_sentences({input:?}, {lang:?}): {e}"))
            } else {
                (got != expected).then(|| {
                    format!("  split_sentences({input:?}, {lang:?})\n    expected {expected:#?}\n    got      {got:#?}")
                })
            }
        })
        .collect();
    report("split_sentences", failures);
}

// ---------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------

const CLEAN: &[(&str, &str)] = &[
    ("  Hà   Nội  ", "Hà Nội"),
    ("Hà\u{00A0}Nội", "Hà Nội"),
    ("Hà\u{202F}Nội", "Hà Nội"),
    ("Hà\u{2007}Nội", "Hà Nội"),
    ("Hà\u{3000}Nội", "Hà Nội"),
    ("Hà\u{2003}\u{2003}Nội", "Hà Nội"),
    ("Hà\tNội\nViệt\r\nNam", "Hà Nội Việt Nam"),
    ("Hà\u{2028}Nội", "Hà Nội"),
    ("Việt\u{200B}Nam", "ViệtNam"),
    ("\u{FEFF}Hà Nội", "Hà Nội"),
    ("đa\u{00AD}phương", "đaphương"),
    ("Hà\u{200C}\u{200D}\u{2060} Nội", "Hà Nội"),
    ("Hà Nội ", "Hà Nội"),
    (" Hà Nội", "Hà Nội"),
    ("Hà  Nội – Viêng Chăn…", "Hà Nội – Viêng Chăn…"),
    ("Hà Nội\u{0085}", "Hà Nội"),
    ("“Hà Nội”, Lào.", "“Hà Nội”, Lào."),
    ("Hà\u{2009}Nội", "Hà Nội"),
    ("\u{200E}Hà Nội\u{200F}", "Hà Nội"),
    // NFD in, NFC out.
    ("Ha\u{0300} No\u{0323}\u{0302}i", "Hà Nội"),
    // An invisible character between a letter and its accent.
    ("Ha\u{00AD}\u{0300}", "Hà"),
    ("", ""),
    (" \t\n\u{00A0} ", ""),
    // Display form: tone placement, case, punctuation untouched.
    ("Hoà bình", "Hoà bình"),
    ("“Hợp tác” – (2026)…", "“Hợp tác” – (2026)…"),
    ("ÐOÀN", "ÐOÀN"),
];

const CLEAN_MULTILINE: &[(&str, &str)] = &[
    ("a\r\nb", "a\nb"),
    ("a\rb", "a\nb"),
    ("Tiêu đề\n\n\n\nNội dung", "Tiêu đề\n\nNội dung"),
    ("\n\n  Hà   Nội  \n\n", "Hà Nội"),
    ("  Hà\u{00A0}Nội \n  Việt\tNam ", "Hà Nội\nViệt Nam"),
    ("Dòng một\n \t \nDòng hai", "Dòng một\n\nDòng hai"),
    ("Dòng một\n\u{200B}\nDòng hai", "Dòng một\n\nDòng hai"),
    ("", ""),
    ("\n\r\n\r", ""),
    ("a\u{2029}b", "a\nb"),
    ("a\r\n\r\nb", "a\n\nb"),
    ("a\r\r\r\nb", "a\n\nb"),
    ("Ha\u{0300}\nNo\u{0323}\u{0302}i\n", "Hà\nNội"),
];

const CANONICAL_TONES: &[(&str, &str)] = &[
    // Every old/new style pair meets on the traditional spelling.
    ("hoà", "hòa"),
    ("hòa", "hòa"),
    ("hoá", "hóa"),
    ("hóa", "hóa"),
    ("thuý", "thúy"),
    ("thúy", "thúy"),
    ("uỷ", "ủy"),
    ("ủy", "ủy"),
    ("Uỷ", "Ủy"),
    ("Ủy", "Ủy"),
    ("HOÀ", "HÒA"),
    ("HÒA", "HÒA"),
    ("khoẻ", "khỏe"),
    ("khỏe", "khỏe"),
    ("loà", "lòa"),
    ("lòa", "lòa"),
    ("thuỳ", "thùy"),
    ("thùy", "thùy"),
    ("tuỳ", "tùy"),
    ("tùy", "tùy"),
    ("xoè", "xòe"),
    ("luỹ", "lũy"),
    ("Nguỵ", "Ngụy"),
    ("muà", "mùa"),
    ("taì", "tài"),
    ("cuả", "của"),
    ("kià", "kìa"),
    ("Oà", "Òa"),
    // Onsets qu and gi.
    ("quý", "quý"),
    ("qúy", "quý"),
    ("Quỳnh", "Quỳnh"),
    ("quốc", "quốc"),
    ("quyền", "quyền"),
    ("già", "già"),
    ("gìa", "già"),
    ("gì", "gì"),
    ("giữ gìn", "giữ gìn"),
    ("giữa", "giữa"),
    ("giải", "giải"),
    ("gỉai", "giải"),
    // Final consonant: mark on the last vowel of the nucleus.
    ("hoàn", "hoàn"),
    ("hòan", "hoàn"),
    ("HÒAN", "HOÀN"),
    ("huỳnh", "huỳnh"),
    ("hùynh", "huỳnh"),
    ("toán", "toán"),
    ("hoạch", "hoạch"),
    // Quality marks attract the tone.
    ("thuyết", "thuyết"),
    ("người", "người"),
    ("được", "được"),
    ("hữu", "hữu"),
    ("mưa", "mưa"),
    ("thuở", "thuở"),
    ("thủơ", "thuở"),
    ("Nguyễn", "Nguyễn"),
    ("khuấy", "khuấy"),
    // Three vowels: the middle one.
    ("khuỷu", "khuỷu"),
    ("khủyu", "khuỷu"),
    ("ngoài", "ngoài"),
    ("ngòai", "ngoài"),
    ("ngoái", "ngoái"),
    ("ngóai", "ngoái"),
    ("xoáy", "xoáy"),
    ("xóay", "xoáy"),
    ("ngoẹo", "ngoẹo"),
    ("ngọeo", "ngoẹo"),
    // Capitals and all caps.
    ("THUỶ", "THỦY"),
    ("UỶ BAN", "ỦY BAN"),
    ("ỦY BAN", "ỦY BAN"),
    ("Thuỵ Sỹ", "Thụy Sỹ"),
    // NFD input, NFC output.
    ("hoa\u{0300}", "hòa"),
    ("U\u{0309}y", "Ủy"),
    ("ngu\u{031B}o\u{031B}\u{0300}i", "người"),
    // Not plausibly Vietnamese: unchanged (but NFC).
    ("Sisoulith", "Sisoulith"),
    ("ASEAN", "ASEAN"),
    ("café", "café"),
    ("cafe\u{0301}", "café"),
    ("España", "España"),
    ("Zürich", "Zürich"),
    ("São Paulo", "São Paulo"),
    ("où", "où"),
    ("hòà", "hòà"),
    ("ÐOÀN", "ÐOÀN"),
    ("", ""),
    // Mixed text.
    ("(hoà),hoà2", "(hòa),hòa2"),
    (
        "Uỷ ban Thường vụ Quốc hội thông qua nghị quyết về hoà bình.",
        "Ủy ban Thường vụ Quốc hội thông qua nghị quyết về hòa bình.",
    ),
    (
        "Đoàn đại biểu khoẻ mạnh trở về Thuỷ Nguyên sau khoá họp.",
        "Đoàn đại biểu khỏe mạnh trở về Thủy Nguyên sau khóa họp.",
    ),
    ("Hai bên thoả thuận hoà hoãn tại toà án.", "Hai bên thỏa thuận hòa hoãn tại tòa án."),
    ("Thủ tướng gặp Sisoulith tại café ASEAN.", "Thủ tướng gặp Sisoulith tại café ASEAN."),
];

const UNIFY_PUNCTUATION: &[(&str, &str)] = &[
    ("a\u{2010}b", "a-b"),
    ("a\u{2011}b", "a-b"),
    ("a\u{2012}b", "a-b"),
    ("a–b", "a-b"),
    ("a—b", "a-b"),
    ("a\u{2015}b", "a-b"),
    ("−5", "-5"),
    ("“Đổi mới”", "\"Đổi mới\""),
    ("„x‟", "\"x\""),
    ("«Hữu nghị»", "\"Hữu nghị\""),
    ("5″", "5\""),
    ("‘tre’", "'tre'"),
    ("‚x‛", "'x'"),
    ("5′", "5'"),
    ("Chờ…", "Chờ..."),
    ("a-b (c) [d] \"e\" 'f'", "a-b (c) [d] \"e\" 'f'"),
    ("Hoà  bình", "Hoà  bình"),
    ("", ""),
];

const NORMALIZED_KEY: &[(&str, &str)] = &[
    ("Việt Nam-Lào", "việt nam - lào"),
    ("Việt Nam - Lào", "việt nam - lào"),
    ("Việt Nam – Lào", "việt nam - lào"),
    ("Việt Nam—Lào", "việt nam - lào"),
    ("Việt Nam\u{2011}Lào", "việt nam - lào"),
    ("Việt Nam−Lào", "việt nam - lào"),
    ("Việt Nam--Lào", "việt nam - lào"),
    ("VIỆT NAM – LÀO", "việt nam - lào"),
    ("  Hoà   bình  ", "hòa bình"),
    ("hòa bình", "hòa bình"),
    ("Uỷ ban", "ủy ban"),
    ("Ủy ban", "ủy ban"),
    ("UỶ BAN", "ủy ban"),
    ("“Đối tác chiến lược toàn diện”", "\"đối tác chiến lược toàn diện\""),
    ("«Đổi mới»", "\"đổi mới\""),
    ("‘Ngoại giao cây tre’", "'ngoại giao cây tre'"),
    ("10–15%", "10 - 15%"),
    ("COVID-19", "covid - 19"),
    ("Hội nghị…", "hội nghị..."),
    ("Hữu\u{00A0}nghị", "hữu nghị"),
    ("Hữu\u{200B} nghị", "hữu nghị"),
    ("Vie\u{0323}\u{0302}t Nam", "việt nam"),
    ("Đà Nẵng", "đà nẵng"),
    ("ÐÀ NẴNG", "đà nẵng"),
    ("Thủ tướng\tChính phủ", "thủ tướng chính phủ"),
    ("Việt Nam – Campuchia – Lào", "việt nam - campuchia - lào"),
    ("TP. Hồ Chí Minh", "tp. hồ chí minh"),
    ("-", "-"),
    ("", ""),
];

const FOLDED_KEY: &[(&str, &str)] = &[
    ("đường", "duong"),
    ("Đà Nẵng", "da nang"),
    ("Hữu nghị vĩ đại", "huu nghi vi dai"),
    ("Hoà bình", "hoa binh"),
    ("Việt Nam–Lào", "viet nam - lao"),
    ("Nguyễn Văn Ấn", "nguyen van an"),
    ("ĐẢNG CỘNG SẢN VIỆT NAM", "dang cong san viet nam"),
    ("  Ủy   ban  ", "uy ban"),
    ("ÐÀ NẴNG", "da nang"),
    ("“Đổi mới”", "\"doi moi\""),
    ("huu nghi", "huu nghi"),
    ("Ha\u{0300} No\u{0323}\u{0302}i", "ha noi"),
];

const STRIP_DIACRITICS: &[(&str, &str)] = &[
    ("Đà Nẵng", "Da Nang"),
    ("đường", "duong"),
    ("ĐƯỜNG", "DUONG"),
    ("Hà Nội", "Ha Noi"),
    ("café", "cafe"),
    ("Zürich", "Zurich"),
    ("São Paulo", "Sao Paulo"),
    ("naïve", "naive"),
    ("Ha\u{0300} No\u{0323}\u{0302}i", "Ha Noi"),
    ("Ð", "D"),
    ("ð", "ð"),
    ("a\u{20D7}", "a"),
    ("Ngoại giao, 2026!", "Ngoai giao, 2026!"),
    ("abc", "abc"),
    ("", ""),
];

const HAS_DIACRITICS: &[(&str, bool)] = &[
    ("Ha Noi", false),
    ("Hà Nội", true),
    ("đ", true),
    ("Đ", true),
    ("Ð", true),
    ("D", false),
    ("cafe", false),
    ("café", true),
    ("e\u{0301}", true),
    ("ASEAN 2026", false),
    ("“quote” – dash", false),
    ("", false),
];

const TOKENIZE: &[(&str, &str)] = &[
    ("Việt Nam-Lào", "Việt/W Nam/W -/P Lào/W"),
    ("Viêng-chăn", "Viêng/W -/P chăn/W"),
    ("Hà Nội – Viêng Chăn", "Hà/W Nội/W –/P Viêng/W Chăn/W"),
    ("Kim ngạch đạt 2,5 tỷ USD.", "Kim/W ngạch/W đạt/W 2,5/N tỷ/W USD/W ./P"),
    ("ngày 5/2/2026", "ngày/W 5/2/2026/N"),
    ("Ngày 5/2.", "Ngày/W 5/2/N ./P"),
    ("10–15%", "10/N –/P 15%/N"),
    ("tăng 15%.", "tăng/W 15%/N ./P"),
    ("15 %", "15/N %/P"),
    ("2.5%", "2.5%/N"),
    ("1.000.000 đồng", "1.000.000/N đồng/W"),
    ("5.000,5", "5.000,5/N"),
    ("lúc 10:30, sáng", "lúc/W 10:30/N ,/P sáng/W"),
    ("12:", "12/N :/P"),
    ("COVID-19", "COVID/W -/P 19/N"),
    ("2026-2030", "2026/N -/P 2030/N"),
    ("năm 2026.", "năm/W 2026/N ./P"),
    ("“Hữu nghị”", "“/P Hữu/W nghị/W ”/P"),
    ("(ASEAN)", "(/P ASEAN/W )/P"),
    ("Ông nói: “Tốt!”", "Ông/W nói/W :/P “/P Tốt/W !/P ”/P"),
    ("Chờ đợi...", "Chờ/W đợi/W .../P"),
    ("Chờ đợi…", "Chờ/W đợi/W …/P"),
    ("Hả..", "Hả/W ./P ./P"),
    ("!?", "!/P ?/P"),
    ("G20 và H5N1", "G20/W và/W H5N1/W"),
    ("3km", "3/N km/W"),
    ("3.a", "3/N ./P a/W"),
    ("1/2", "1/2/N"),
    ("a/b", "a/W //P b/W"),
    ("v.v.", "v/W ./P v/W ./P"),
    ("TP.HCM", "TP/W ./P HCM/W"),
    ("Điều 5, khoản 2", "Điều/W 5/N ,/P khoản/W 2/N"),
    ("−5°C", "−/P 5/N °/P C/W"),
    ("don't", "don/W '/P t/W"),
    ("e-mail", "e/W -/P mail/W"),
    ("Đắk Lắk", "Đắk/W Lắk/W"),
    ("Hà\u{00A0}Nội", "Hà/W Nội/W"),
    ("Vie\u{0323}\u{0302}t Nam", "Vie\u{0323}\u{0302}t/W Nam/W"),
    ("Việt\u{200B}Nam", "Việt\u{200B}Nam/W"),
    ("\u{FEFF}Hà Nội\u{200B}", "Hà/W Nội/W"),
    ("Hoa\u{00AD}\u{200B}Kỳ", "Hoa\u{00AD}\u{200B}Kỳ/W"),
    ("ASEAN\u{200B}, Lào\u{00AD}.", "ASEAN/W ,/P Lào/W ./P"),
    ("G20\u{2060}X đường", "G20\u{2060}X/W đường/W"),
    ("Lào\u{200B}\u{200C}", "Lào/W"),
    ("", ""),
    (" \t\n ", ""),
];

const SPLIT_SENTENCES: &[(&str, &[&str])] = &[
    (
        "Việt Nam và Lào ký kết hiệp định mới. Hai bên nhất trí tăng cường hợp tác.",
        &["Việt Nam và Lào ký kết hiệp định mới.", "Hai bên nhất trí tăng cường hợp tác."],
    ),
    (
        "Kim ngạch thương mại đạt 2,5 tỷ USD. Con số này tăng 10–15% so với cùng kỳ.",
        &["Kim ngạch thương mại đạt 2,5 tỷ USD.", "Con số này tăng 10–15% so với cùng kỳ."],
    ),
    ("Có khoảng 1.000 người tham dự buổi lễ.", &["Có khoảng 1.000 người tham dự buổi lễ."]),
    ("Ngày 5/2/2026 đoàn đại biểu đã đến Hà Nội.", &["Ngày 5/2/2026 đoàn đại biểu đã đến Hà Nội."]),
    ("Tỷ lệ tăng trưởng dự kiến đạt 3.5 phần trăm.", &["Tỷ lệ tăng trưởng dự kiến đạt 3.5 phần trăm."]),
    ("Hội nghị diễn ra tại TP. Hồ Chí Minh vào tuần trước.", &["Hội nghị diễn ra tại TP. Hồ Chí Minh vào tuần trước."]),
    ("GS. TS. Nguyễn Văn An phát biểu khai mạc hội thảo.", &["GS. TS. Nguyễn Văn An phát biểu khai mạc hội thảo."]),
    ("PGS.TS. Trần Thị Bình chủ trì phiên thảo luận.", &["PGS.TS. Trần Thị Bình chủ trì phiên thảo luận."]),
    ("Th.S. Lê Minh trình bày báo cáo tham luận.", &["Th.S. Lê Minh trình bày báo cáo tham luận."]),
    ("Bà H. Clinton từng có chuyến thăm chính thức.", &["Bà H. Clinton từng có chuyến thăm chính thức."]),
    ("Ông J.F. Kennedy là tổng thống thứ 35.", &["Ông J.F. Kennedy là tổng thống thứ 35."]),
    ("Đoàn làm việc tại Q. 1 và P. Bến Nghé.", &["Đoàn làm việc tại Q. 1 và P. Bến Nghé."]),
    ("Mr. Smith gặp Dr. Brown tại Washington.", &["Mr. Smith gặp Dr. Brown tại Washington."]),
    (
        "Trận đấu Việt Nam vs. Thái Lan thu hút đông khán giả.",
        &["Trận đấu Việt Nam vs. Thái Lan thu hút đông khán giả."],
    ),
    ("Xem Nxb. Chính trị quốc gia, tr. 25.", &["Xem Nxb. Chính trị quốc gia, tr. 25."]),
    (
        "Các đại biểu đánh giá cao kết quả sau Đại hội XIV. Tổng Bí thư phát biểu bế mạc.",
        &["Các đại biểu đánh giá cao kết quả sau Đại hội XIV.", "Tổng Bí thư phát biểu bế mạc."],
    ),
    ("Văn kiện Đại hội XIV của Đảng đã được thông qua.", &["Văn kiện Đại hội XIV của Đảng đã được thông qua."]),
    ("Các đại biểu dự Đại hội XIV.", &["Các đại biểu dự Đại hội XIV."]),
    (
        "Ông nói: “Quan hệ hai nước đang phát triển tốt đẹp.” Bà Lan đồng ý.",
        &["Ông nói: “Quan hệ hai nước đang phát triển tốt đẹp.”", "Bà Lan đồng ý."],
    ),
    (
        "Bộ trưởng khẳng định lập trường. \"Chúng tôi luôn sẵn sàng đối thoại.\"",
        &["Bộ trưởng khẳng định lập trường.", "\"Chúng tôi luôn sẵn sàng đối thoại.\""],
    ),
    (
        "Phóng viên hỏi: “Hai bên có đạt thỏa thuận không?” rồi chờ câu trả lời.",
        &["Phóng viên hỏi: “Hai bên có đạt thỏa thuận không?” rồi chờ câu trả lời."],
    ),
    ("Ông gọi đó là “bước ngoặt”. Bà đáp lại ngay.", &["Ông gọi đó là “bước ngoặt”.", "Bà đáp lại ngay."]),
    (
        "Hai bên có đạt được thỏa thuận không? Câu trả lời là có!",
        &["Hai bên có đạt được thỏa thuận không?", "Câu trả lời là có!"],
    ),
    (
        "Thật đáng mừng! Chúng tôi rất vui. Tại sao?! Không ai biết.",
        &["Thật đáng mừng!", "Chúng tôi rất vui.", "Tại sao?!", "Không ai biết."],
    ),
    (
        "Kết quả rất khả quan... Tuy nhiên vẫn còn thách thức.",
        &["Kết quả rất khả quan...", "Tuy nhiên vẫn còn thách thức."],
    ),
    (
        "Kết quả rất khả quan… Tuy nhiên vẫn còn thách thức.",
        &["Kết quả rất khả quan…", "Tuy nhiên vẫn còn thách thức."],
    ),
    ("Ông chần chừ… rồi tiếp tục phát biểu.", &["Ông chần chừ… rồi tiếp tục phát biểu."]),
    ("Cuộc họp kết thúc lúc 10 giờ. sau đó đoàn ra về.", &["Cuộc họp kết thúc lúc 10 giờ. sau đó đoàn ra về."]),
    (
        "Năm nay tăng trưởng đạt 7%. 2027 được dự báo còn cao hơn.",
        &["Năm nay tăng trưởng đạt 7%.", "2027 được dự báo còn cao hơn."],
    ),
    ("Giá lương thực tăng 10–15%. Người dân lo lắng.", &["Giá lương thực tăng 10–15%.", "Người dân lo lắng."]),
    ("Phiên họp bế mạc. – Phóng viên hỏi thêm một câu.", &["Phiên họp bế mạc.", "– Phóng viên hỏi thêm một câu."]),
    ("(Hết phần một.) Phần hai bắt đầu vào thứ Hai.", &["(Hết phần một.)", "Phần hai bắt đầu vào thứ Hai."]),
    ("Đoàn đã tới TP.HCM. Ông Nam ra sân bay đón đoàn.", &["Đoàn đã tới TP.HCM.", "Ông Nam ra sân bay đón đoàn."]),
    (
        "Hai nước hợp tác về kinh tế, văn hóa, giáo dục v.v. Việt Nam mong muốn mở rộng hơn nữa.",
        &["Hai nước hợp tác về kinh tế, văn hóa, giáo dục v.v.", "Việt Nam mong muốn mở rộng hơn nữa."],
    ),
    ("Lào, Campuchia v.v. đều cử đoàn tham dự.", &["Lào, Campuchia v.v. đều cử đoàn tham dự."]),
    ("Xin chào.Tạm biệt.", &["Xin chào.Tạm biệt."]),
    ("Trang tin điện tử baochinhphu.vn đưa tin sự kiện.", &["Trang tin điện tử baochinhphu.vn đưa tin sự kiện."]),
    (
        "Bản tin thời sự tối nay\nĐoạn thứ nhất. Đoạn thứ hai",
        &["Bản tin thời sự tối nay", "Đoạn thứ nhất.", "Đoạn thứ hai"],
    ),
    ("Đoạn văn đầu tiên.\n\n\nĐoạn văn thứ hai.\n", &["Đoạn văn đầu tiên.", "Đoạn văn thứ hai."]),
    ("Hà Nội, ngày 5/2/2026.\r\nCác bên đã nhất trí cao.", &["Hà Nội, ngày 5/2/2026.", "Các bên đã nhất trí cao."]),
    (
        "dòng không kết thúc bằng dấu chấm\ncâu viết thường cũng vậy",
        &["dòng không kết thúc bằng dấu chấm", "câu viết thường cũng vậy"],
    ),
    ("Câu này không có dấu chấm cuối", &["Câu này không có dấu chấm cuối"]),
    ("   Có khoảng trắng ở đầu và cuối.   ", &["Có khoảng trắng ở đầu và cuối."]),
    ("\u{FEFF}Văn bản mở đầu bằng BOM.\u{00A0}Câu thứ hai.", &["Văn bản mở đầu bằng BOM.", "Câu thứ hai."]),
    ("Ồ. Thì ra là vậy. Ừ. Được rồi.", &["Ồ.", "Thì ra là vậy.", "Ừ.", "Được rồi."]),
    ("Tác giả Phạm V. Đức và Lê Đ. Anh cùng ký tên.", &["Tác giả Phạm V. Đức và Lê Đ. Anh cùng ký tên."]),
    ("Điều 1. Phạm vi điều chỉnh", &["Điều 1. Phạm vi điều chỉnh"]),
    ("CHƯƠNG II. QUY ĐỊNH CHUNG", &["CHƯƠNG II. QUY ĐỊNH CHUNG"]),
    ("II. NHIỆM VỤ TRỌNG TÂM", &["II. NHIỆM VỤ TRỌNG TÂM"]),
    ("a. Hợp tác chính trị", &["a. Hợp tác chính trị"]),
    ("1.2. Hai bên nhất trí. Các bộ ngành sẽ triển khai.", &["1.2. Hai bên nhất trí.", "Các bộ ngành sẽ triển khai."]),
    (
        "Đoàn dự hội nghị lần thứ 5. Chương trình kéo dài hai ngày.",
        &["Đoàn dự hội nghị lần thứ 5.", "Chương trình kéo dài hai ngày."],
    ),
    ("", &[]),
    ("   \n  \n\t", &[]),
    ("...", &["..."]),
    // Names and titles.
    ("Tổng thống Mỹ J. Biden thăm Việt Nam.", &["Tổng thống Mỹ J. Biden thăm Việt Nam."]),
    (
        "Đoàn làm việc tại TP. Đà Nẵng. Chiều cùng ngày, đoàn về Hà Nội.",
        &["Đoàn làm việc tại TP. Đà Nẵng.", "Chiều cùng ngày, đoàn về Hà Nội."],
    ),
    ("ThS. Nguyễn Thị Hoa trình bày tham luận.", &["ThS. Nguyễn Thị Hoa trình bày tham luận."]),
    ("NCS. Lê Văn Nam bảo vệ luận án.", &["NCS. Lê Văn Nam bảo vệ luận án."]),
    (
        "PGS. TS. Lê Văn Minh nhận xét. Hội đồng đánh giá cao.",
        &["PGS. TS. Lê Văn Minh nhận xét.", "Hội đồng đánh giá cao."],
    ),
    ("GS.TSKH. Nguyễn Văn Đạo phát biểu.", &["GS.TSKH. Nguyễn Văn Đạo phát biểu."]),
    ("BS. Trần Văn Bình khám cho bệnh nhân.", &["BS. Trần Văn Bình khám cho bệnh nhân."]),
    ("KS. Lê Hùng thiết kế công trình.", &["KS. Lê Hùng thiết kế công trình."]),
    ("LS. Phạm Văn Lợi tư vấn miễn phí.", &["LS. Phạm Văn Lợi tư vấn miễn phí."]),
    ("Tp. Huế tổ chức lễ hội.", &["Tp. Huế tổ chức lễ hội."]),
    ("TX. Sơn Tây có nhiều di tích.", &["TX. Sơn Tây có nhiều di tích."]),
    ("Tr. 25 có bảng số liệu.", &["Tr. 25 có bảng số liệu."]),
    ("Ông Trần Đại Q. phát biểu.", &["Ông Trần Đại Q. phát biểu."]),
    ("Ông là Chủ tịch UBND TP. Hà Nội.", &["Ông là Chủ tịch UBND TP. Hà Nội."]),
    (
        "Tổng thống tới TP. Hồ Chí Minh. Ông gặp doanh nghiệp.",
        &["Tổng thống tới TP. Hồ Chí Minh.", "Ông gặp doanh nghiệp."],
    ),
    ("Mr. John Smith thăm Hà Nội.", &["Mr. John Smith thăm Hà Nội."]),
    ("Đoàn gồm GS. A, PGS. B và TS. C.", &["Đoàn gồm GS. A, PGS. B và TS. C."]),
    ("Tổng Bí thư tiếp Đại sứ. Hai bên trao đổi.", &["Tổng Bí thư tiếp Đại sứ.", "Hai bên trao đổi."]),
    ("Hội nghị APEC. Lãnh đạo các nền kinh tế dự.", &["Hội nghị APEC.", "Lãnh đạo các nền kinh tế dự."]),
    // Numbers, amounts, dates.
    (
        "Kim ngạch đạt 2,5 tỷ USD, tăng 10–15% so với năm 2025.",
        &["Kim ngạch đạt 2,5 tỷ USD, tăng 10–15% so với năm 2025."],
    ),
    (
        "Ngày 5/2/2026, hai bên ký kết. Ngày 6/2/2026, đoàn về nước.",
        &["Ngày 5/2/2026, hai bên ký kết.", "Ngày 6/2/2026, đoàn về nước."],
    ),
    ("Tỷ lệ đạt 0,5%. Con số này thấp.", &["Tỷ lệ đạt 0,5%.", "Con số này thấp."]),
    (
        "Dân số đạt 100.000.000 người. Đây là mốc quan trọng.",
        &["Dân số đạt 100.000.000 người.", "Đây là mốc quan trọng."],
    ),
    ("Lúc 10:30 sáng nay, đoàn đến Hà Nội.", &["Lúc 10:30 sáng nay, đoàn đến Hà Nội."]),
    ("Năm 2025 tăng trưởng 7,1%. Năm 2026 dự kiến 8%.", &["Năm 2025 tăng trưởng 7,1%.", "Năm 2026 dự kiến 8%."]),
    ("Lạm phát ở mức 3,5 phần trăm. Chính phủ hài lòng.", &["Lạm phát ở mức 3,5 phần trăm.", "Chính phủ hài lòng."]),
    ("Dự án có vốn 1,2 tỷ USD.", &["Dự án có vốn 1,2 tỷ USD."]),
    ("Khoảng 2.000 người dự. Lễ kết thúc lúc 11 giờ.", &["Khoảng 2.000 người dự.", "Lễ kết thúc lúc 11 giờ."]),
    ("Doanh thu đạt 10-15 tỷ đồng. Tăng mạnh.", &["Doanh thu đạt 10-15 tỷ đồng.", "Tăng mạnh."]),
    ("Ngày 30/4/1975. Đất nước thống nhất.", &["Ngày 30/4/1975.", "Đất nước thống nhất."]),
    ("Ngày 7/4 đoàn đến. Ngày 30/9 đoàn về.", &["Ngày 7/4 đoàn đến.", "Ngày 30/9 đoàn về."]),
    ("Quyết định số 15/QĐ-TTg. Văn bản có hiệu lực.", &["Quyết định số 15/QĐ-TTg.", "Văn bản có hiệu lực."]),
    ("Nghị định 15/2022/NĐ-CP có hiệu lực.", &["Nghị định 15/2022/NĐ-CP có hiệu lực."]),
    ("TP.HCM đón 5 triệu lượt khách. Du lịch phục hồi.", &["TP.HCM đón 5 triệu lượt khách.", "Du lịch phục hồi."]),
    // Roman numerals and headings.
    ("Đại hội XIII. Sau đó, Trung ương họp.", &["Đại hội XIII.", "Sau đó, Trung ương họp."]),
    (
        "Hội nghị Trung ương 8 khóa XIII. Các đại biểu thảo luận.",
        &["Hội nghị Trung ương 8 khóa XIII.", "Các đại biểu thảo luận."],
    ),
    ("Thế kỷ XXI. Thời đại mới.", &["Thế kỷ XXI.", "Thời đại mới."]),
    ("Chương III. CÁC ĐIỀU KHOẢN", &["Chương III. CÁC ĐIỀU KHOẢN"]),
    ("Khoản 2. Hiệu lực thi hành", &["Khoản 2. Hiệu lực thi hành"]),
    ("Mục 1. Quy định chung", &["Mục 1. Quy định chung"]),
    ("Phần I. Bối cảnh", &["Phần I. Bối cảnh"]),
    ("3. Hai bên hoan nghênh.", &["3. Hai bên hoan nghênh."]),
    (
        "Hai bên trao đổi nhiều vấn đề. 3. Hai bên hoan nghênh kết quả.",
        &["Hai bên trao đổi nhiều vấn đề.", "3. Hai bên hoan nghênh kết quả."],
    ),
    (
        "Điều 5. Phạm vi điều chỉnh. Luật này quy định về điều ước.",
        &["Điều 5. Phạm vi điều chỉnh.", "Luật này quy định về điều ước."],
    ),
    // Quotes, brackets, ellipses.
    ("Ông nói: “Chúng tôi đồng ý.” Sau đó ông rời đi.", &["Ông nói: “Chúng tôi đồng ý.”", "Sau đó ông rời đi."]),
    ("Bà gọi đó là \"dấu mốc\". Ông đồng tình.", &["Bà gọi đó là \"dấu mốc\".", "Ông đồng tình."]),
    ("(Theo TTXVN.) Bản tin tiếp theo.", &["(Theo TTXVN.)", "Bản tin tiếp theo."]),
    ("Ông hỏi: “Tại sao?” rồi im lặng.", &["Ông hỏi: “Tại sao?” rồi im lặng."]),
    ("“Hòa bình là khát vọng.” Ông nhấn mạnh.", &["“Hòa bình là khát vọng.”", "Ông nhấn mạnh."]),
    ("Đoàn đến lúc 8 giờ... Buổi lễ bắt đầu.", &["Đoàn đến lúc 8 giờ...", "Buổi lễ bắt đầu."]),
    ("Kết quả là… Không ai biết.", &["Kết quả là…", "Không ai biết."]),
    ("Hợp tác toàn diện, v.v. đều được nhắc đến.", &["Hợp tác toàn diện, v.v. đều được nhắc đến."]),
    ("Vì sao? Vì hai bên cùng có lợi.", &["Vì sao?", "Vì hai bên cùng có lợi."]),
];

/// English cases: abbreviations before numbers and names, initials,
/// decimals, ordinals, numbered paragraphs, quotes and brackets.
const SPLIT_SENTENCES_EN: &[(&str, &[&str])] = &[
    // Months before a day, and reference words before a number.
    ("The talks were held on Jan. 6.", &["The talks were held on Jan. 6."]),
    (
        "The talks were held on Jan. 6. Both sides signed the accord.",
        &["The talks were held on Jan. 6.", "Both sides signed the accord."],
    ),
    ("He arrived on Feb. 14, 2025, for talks.", &["He arrived on Feb. 14, 2025, for talks."]),
    ("The summit opens on Aug. 21 in Hanoi.", &["The summit opens on Aug. 21 in Hanoi."]),
    ("The attacks of Sept. 11 changed policy.", &["The attacks of Sept. 11 changed policy."]),
    (
        "The vote is set for Oct. 3. Results follow a week later.",
        &["The vote is set for Oct. 3.", "Results follow a week later."],
    ),
    ("Parliament met on Nov. 28. The law passed.", &["Parliament met on Nov. 28.", "The law passed."]),
    ("Ceremonies end on Dec. 31 at midnight.", &["Ceremonies end on Dec. 31 at midnight."]),
    ("Talks resumed on Mar. 4 in Geneva.", &["Talks resumed on Mar. 4 in Geneva."]),
    ("The deal was signed on Sep. 9 in Vientiane.", &["The deal was signed on Sep. 9 in Vientiane."]),
    (
        "On Sept. 2, 1945, President Ho Chi Minh read the Declaration of Independence.",
        &["On Sept. 2, 1945, President Ho Chi Minh read the Declaration of Independence."],
    ),
    (
        "Hanoi, Dec. 5 (VNA) - The Prime Minister met the delegation.",
        &["Hanoi, Dec. 5 (VNA) - The Prime Minister met the delegation."],
    ),
    ("Trade rose in Jan. The figures surprised analysts.", &["Trade rose in Jan.", "The figures surprised analysts."]),
    ("See Resolution No. 24 of the Politburo.", &["See Resolution No. 24 of the Politburo."]),
    ("Decree No. 15/2022 took effect.", &["Decree No. 15/2022 took effect."]),
    ("The No. 1 priority is growth.", &["The No. 1 priority is growth."]),
    ("He is No. 2 in the party. He was elected in 2021.", &["He is No. 2 in the party.", "He was elected in 2021."]),
    ("He said no. Then he left.", &["He said no.", "Then he left."]),
    ("Under Art. 5 of the treaty, allies respond.", &["Under Art. 5 of the treaty, allies respond."]),
    ("The chart on p. 12 shows exports.", &["The chart on p. 12 shows exports."]),
    ("Data appear in Vol. 3 of the report.", &["Data appear in Vol. 3 of the report."]),
    ("See Fig. 2 for details.", &["See Fig. 2 for details."]),
    // Titles before names.
    ("Mr. Smith met Dr. Brown in Washington.", &["Mr. Smith met Dr. Brown in Washington."]),
    ("Mrs. Nguyen and Ms. Tran attended.", &["Mrs. Nguyen and Ms. Tran attended."]),
    ("Sen. Steve Daines visited Hanoi.", &["Sen. Steve Daines visited Hanoi."]),
    ("Rep. Zoe Lofgren spoke next.", &["Rep. Zoe Lofgren spoke next."]),
    ("Gov. Gavin Newsom signed the bill.", &["Gov. Gavin Newsom signed the bill."]),
    ("Gen. Phan Van Giang received the delegation.", &["Gen. Phan Van Giang received the delegation."]),
    ("Lt. Col. Nguyen Van An led the unit.", &["Lt. Col. Nguyen Van An led the unit."]),
    ("Col. Sanders was not present.", &["Col. Sanders was not present."]),
    ("Prof. Tran Van Tho gave a lecture.", &["Prof. Tran Van Tho gave a lecture."]),
    ("Capt. Hoang piloted the ship.", &["Capt. Hoang piloted the ship."]),
    ("Adm. John Aquilino visited the port.", &["Adm. John Aquilino visited the port."]),
    ("Messrs. Smith and Jones arrived.", &["Messrs. Smith and Jones arrived."]),
    ("Rev. Martin Luther King Jr. spoke of dreams.", &["Rev. Martin Luther King Jr. spoke of dreams."]),
    (
        "The speech was by Martin Luther King Jr. The crowd cheered.",
        &["The speech was by Martin Luther King Jr.", "The crowd cheered."],
    ),
    ("The ambassador thanked Mr. Lee. He then left.", &["The ambassador thanked Mr. Lee.", "He then left."]),
    (
        "The meeting was chaired by Dr. Kim. Both sides agreed.",
        &["The meeting was chaired by Dr. Kim.", "Both sides agreed."],
    ),
    (
        "Ms. Nguyen Thi Thanh Hang spoke. She is a diplomat.",
        &["Ms. Nguyen Thi Thanh Hang spoke.", "She is a diplomat."],
    ),
    ("Mt. Fuji is in Japan.", &["Mt. Fuji is in Japan."]),
    ("St. Petersburg hosted the forum.", &["St. Petersburg hosted the forum."]),
    ("The St. Lawrence River is long.", &["The St. Lawrence River is long."]),
    ("He lives on Oak St. The house is old.", &["He lives on Oak St.", "The house is old."]),
    // Countries and other dotted initialisms.
    (
        "She studied in the U.S. and the U.K. before returning.",
        &["She studied in the U.S. and the U.K. before returning."],
    ),
    ("The U.S. Embassy issued a statement.", &["The U.S. Embassy issued a statement."]),
    ("U.S. President Joe Biden visited Hanoi.", &["U.S. President Joe Biden visited Hanoi."]),
    ("The U.K. Foreign Secretary arrived.", &["The U.K. Foreign Secretary arrived."]),
    (
        "Vietnam and the U.S. The two countries upgraded ties.",
        &["Vietnam and the U.S.", "The two countries upgraded ties."],
    ),
    ("He moved to the U.K. It was 1998.", &["He moved to the U.K.", "It was 1998."]),
    ("The U.N. Security Council met on Friday.", &["The U.N. Security Council met on Friday."]),
    (
        "The office is in Washington, D.C. The team works there.",
        &["The office is in Washington, D.C.", "The team works there."],
    ),
    ("The flight lands at 10 a.m. Tuesday.", &["The flight lands at 10 a.m. Tuesday."]),
    (
        "The flight landed at 10 a.m. The delegation was greeted.",
        &["The flight landed at 10 a.m.", "The delegation was greeted."],
    ),
    ("The talks ended at 5 p.m. on Monday.", &["The talks ended at 5 p.m. on Monday."]),
    ("She holds a Ph.D. in economics.", &["She holds a Ph.D. in economics."]),
    ("The U.S.-Vietnam relationship grew.", &["The U.S.-Vietnam relationship grew."]),
    // Initials.
    ("J. R. R. Tolkien wrote novels.", &["J. R. R. Tolkien wrote novels."]),
    ("J.R.R. Tolkien wrote novels.", &["J.R.R. Tolkien wrote novels."]),
    ("John F. Kennedy visited Berlin.", &["John F. Kennedy visited Berlin."]),
    ("George W. Bush met the delegation.", &["George W. Bush met the delegation."]),
    ("The film starred Michael J. Fox.", &["The film starred Michael J. Fox."]),
    ("Harry S. Truman was president.", &["Harry S. Truman was president."]),
    (
        "The report was written by A. Nguyen. It was published later.",
        &["The report was written by A. Nguyen.", "It was published later."],
    ),
    ("He backed Plan B. The board agreed.", &["He backed Plan B.", "The board agreed."]),
    // Decimals and numbers.
    ("Growth reached 6.5 percent. Exports rose.", &["Growth reached 6.5 percent.", "Exports rose."]),
    ("Trade hit $1.2 billion in 2025.", &["Trade hit $1.2 billion in 2025."]),
    (
        "About 1,000 people attended. The event was a success.",
        &["About 1,000 people attended.", "The event was a success."],
    ),
    ("The index rose 2.75 points.", &["The index rose 2.75 points."]),
    ("Inflation was 3.5%. Officials were pleased.", &["Inflation was 3.5%.", "Officials were pleased."]),
    ("Version 2.0 was released.", &["Version 2.0 was released."]),
    ("The range was 1.3-1.5 children per woman.", &["The range was 1.3-1.5 children per woman."]),
    ("The score was 3.5. It improved.", &["The score was 3.5.", "It improved."]),
    ("Trade reached $2.5bn. That is a record.", &["Trade reached $2.5bn.", "That is a record."]),
    ("The vote was 5-4. The bill passed.", &["The vote was 5-4.", "The bill passed."]),
    (
        "The treaty was signed in 1992. It remains in force.",
        &["The treaty was signed in 1992.", "It remains in force."],
    ),
    // Ordinals.
    ("She finished 2nd. The winner was from Laos.", &["She finished 2nd.", "The winner was from Laos."]),
    ("The 14th Party Congress opened in January.", &["The 14th Party Congress opened in January."]),
    ("It was their 3rd meeting. A 4th is planned.", &["It was their 3rd meeting.", "A 4th is planned."]),
    ("The 21st century began in 2001.", &["The 21st century began in 2001."]),
    ("He arrived on the 5th. Talks began on the 6th.", &["He arrived on the 5th.", "Talks began on the 6th."]),
    // Numbered paragraphs and headings.
    (
        "Both sides agreed on several points. 3. Both sides welcomed it.",
        &["Both sides agreed on several points.", "3. Both sides welcomed it."],
    ),
    ("1. The parties reaffirm their commitment.", &["1. The parties reaffirm their commitment."]),
    (
        "The meeting was held on Jan. 3. Both sides welcomed it.",
        &["The meeting was held on Jan. 3.", "Both sides welcomed it."],
    ),
    (
        "Cooperation grew. 2. Trade and investment expanded.",
        &["Cooperation grew.", "2. Trade and investment expanded."],
    ),
    (
        "Talks were held with the U.S. 3. Both sides welcomed it.",
        &["Talks were held with the U.S.", "3. Both sides welcomed it."],
    ),
    ("12. The delegation visited Hue.", &["12. The delegation visited Hue."]),
    ("Article 5. Scope of application", &["Article 5. Scope of application"]),
    ("II. THE MAIN TASKS", &["II. THE MAIN TASKS"]),
    ("a. Political cooperation", &["a. Political cooperation"]),
    ("The agenda had two items. 1. Trade. 2. Security.", &["The agenda had two items.", "1. Trade.", "2. Security."]),
    ("World War II. The aftermath was long.", &["World War II.", "The aftermath was long."]),
    // Quotes and brackets after the full stop.
    ("He said: \"We agree.\" The talks ended.", &["He said: \"We agree.\"", "The talks ended."]),
    ("\"We agree,\" he said. \"The talks went well.\"", &["\"We agree,\" he said.", "\"The talks went well.\""]),
    (
        "She called it a \"turning point.\" Others disagreed.",
        &["She called it a \"turning point.\"", "Others disagreed."],
    ),
    ("She called it a “turning point”. Others disagreed.", &["She called it a “turning point”.", "Others disagreed."]),
    ("(The talks ended.) Both sides left.", &["(The talks ended.)", "Both sides left."]),
    ("The minister said \"yes.\" and left.", &["The minister said \"yes.\" and left."]),
    ("“Peace is possible.” The president smiled.", &["“Peace is possible.”", "The president smiled."]),
    ("He asked: “Why not?” The room fell silent.", &["He asked: “Why not?”", "The room fell silent."]),
    ("He asked “why not?” and smiled.", &["He asked “why not?” and smiled."]),
    ("The term (see Art. 4) applies.", &["The term (see Art. 4) applies."]),
    ("The talks ended. ‘We are satisfied,’ he said.", &["The talks ended.", "‘We are satisfied,’ he said."]),
    // Ellipses and other terminators.
    ("We waited... The answer came later.", &["We waited...", "The answer came later."]),
    ("We waited… then left.", &["We waited… then left."]),
    ("Really?! Nobody knew.", &["Really?!", "Nobody knew."]),
    ("What happened? No one knows.", &["What happened?", "No one knows."]),
    ("Stop! The car is coming.", &["Stop!", "The car is coming."]),
    // Company and list abbreviations, Latin.
    ("Shares of Acme Inc. The company grew.", &["Shares of Acme Inc.", "The company grew."]),
    ("Acme Inc. Chairman John Doe spoke.", &["Acme Inc. Chairman John Doe spoke."]),
    ("Apples, pears, etc. The list is long.", &["Apples, pears, etc.", "The list is long."]),
    ("Apples, pears, etc. were sold.", &["Apples, pears, etc. were sold."]),
    ("Smith et al. found growth.", &["Smith et al. found growth."]),
    ("Vietnam vs. Thailand drew a crowd.", &["Vietnam vs. Thailand drew a crowd."]),
    ("The case Roe v. Wade was cited.", &["The case Roe v. Wade was cited."]),
    ("Many nations, e.g. Japan, signed.", &["Many nations, e.g. Japan, signed."]),
    ("Some nations, i.e. Laos and Cambodia, signed.", &["Some nations, i.e. Laos and Cambodia, signed."]),
    // Lines, spacing and degenerate input.
    ("The website vietnamplus.vn reported it.", &["The website vietnamplus.vn reported it."]),
    ("Hello.World is not split.", &["Hello.World is not split."]),
    ("First line\nSecond line", &["First line", "Second line"]),
    ("  Spaces around.  ", &["Spaces around."]),
    ("End without period", &["End without period"]),
    ("", &[]),
];

// ---------------------------------------------------------------------------
// Table tests
// ---------------------------------------------------------------------------

#[test]
fn clean_cases() {
    check("clean", clean, CLEAN);
}

#[test]
fn clean_multiline_cases() {
    check("clean_multiline", clean_multiline, CLEAN_MULTILINE);
}

#[test]
fn canonical_tones_cases() {
    check("canonical_tones", canonical_tones, CANONICAL_TONES);
}

#[test]
fn unify_punctuation_cases() {
    check("unify_punctuation", unify_punctuation, UNIFY_PUNCTUATION);
}

#[test]
fn normalized_key_cases() {
    check("normalized_key", normalized_key, NORMALIZED_KEY);
}

#[test]
fn folded_key_cases() {
    check("folded_key", folded_key, FOLDED_KEY);
}

#[test]
fn strip_diacritics_cases() {
    check("strip_diacritics", strip_diacritics, STRIP_DIACRITICS);
}

#[test]
fn has_diacritics_cases() {
    check_has_diacritics(HAS_DIACRITICS);
}

#[test]
fn tokenize_cases() {
    check_tokenize(TOKENIZE);
}

#[test]
fn split_sentences_cases() {
    assert!(SPLIT_SENTENCES.len() >= 100, "{} Vietnamese cases", SPLIT_SENTENCES.len());
    check_sentences(SentenceLang::Vietnamese, SPLIT_SENTENCES);
}

#[test]
fn split_sentences_english_cases() {
    assert!(SPLIT_SENTENCES_EN.len() >= 100, "{} English cases", SPLIT_SENTENCES_EN.len());
    check_sentences(SentenceLang::English, SPLIT_SENTENCES_EN);
}

#[test]
fn tokenize_offsets_are_byte_offsets() {
    let s = "Ông “Nam”";
    let tokens = tokenize(s);
    let spans: Vec<(usize, usize)> = tokens.iter().map(|t| (t.start, t.end)).collect();
    // "Ông" is 4 bytes (Ô is 2), the quotes are 3 bytes each.
    assert_eq!(spans, vec![(0, 4), (5, 8), (8, 11), (11, 14)]);
}

#[test]
fn sentence_offsets_are_byte_offsets() {
    let s = "  Ồ. Được!";
    let sentences = split_sentences(s, SentenceLang::Vietnamese);
    let spans: Vec<(usize, usize)> = sentences.iter().map(|x| (x.start, x.end)).collect();
    // "Ồ" is 3 bytes; "Được!" is 2 + 2 + 3 + 1 + 1 bytes.
    assert_eq!(spans, vec![(2, 6), (7, 16)]);
}

// ---------------------------------------------------------------------------
// Equivalence classes: every member must produce the same key.
// ---------------------------------------------------------------------------

const SAME_NORMALIZED_KEY: &[&[&str]] = &[
    &["hoà bình", "hòa bình", "Hoà Bình", "HÒA BÌNH", "ho\u{0061}\u{0300} bình"],
    &["Uỷ ban", "Ủy ban", "UỶ BAN", "ủy\u{00A0}ban", "U\u{0309}y ban"],
    &["Việt Nam-Lào", "Việt Nam - Lào", "Việt Nam – Lào", "Việt Nam—Lào", "việt nam‐lào"],
    &["“Đổi mới”", "\"Đổi mới\"", "«Đổi mới»", "„Đổi mới‟"],
    &["khoẻ mạnh", "khỏe mạnh", "KHOẺ MẠNH"],
    &["Thuỵ Điển", "Thụy Điển", "ThuỴ ĐIỂN"],
];

const SAME_FOLDED_KEY: &[&[&str]] = &[
    &["Hữu nghị vĩ đại", "huu nghi vi dai", "HỮU NGHỊ VĨ ĐẠI", "Huu Nghi Vi Dai"],
    &["Đà Nẵng", "da nang", "ÐÀ NẴNG", "Da Nang"],
    &["hoà bình", "hòa bình", "hoa binh"],
    &["Việt Nam–Lào", "viet nam - lao", "Viet Nam-Lao"],
];

fn check_same_key(what: &str, key: fn(&str) -> String, classes: &[&[&str]]) {
    let failures = classes
        .iter()
        .filter_map(|class| {
            let keys: Vec<String> = class.iter().map(|s| key(s)).collect();
            keys.iter().any(|k| k != &keys[0]).then(|| format!("  {what} differs within {class:?}: {keys:?}"))
        })
        .collect();
    report(what, failures);
}

#[test]
fn normalized_key_equivalences() {
    check_same_key("normalized_key", normalized_key, SAME_NORMALIZED_KEY);
}

#[test]
fn folded_key_equivalences() {
    check_same_key("folded_key", folded_key, SAME_FOLDED_KEY);
}

// ---------------------------------------------------------------------------
// Properties over every input of every table.
// ---------------------------------------------------------------------------

fn all_inputs() -> Vec<&'static str> {
    let string_tables = [
        CLEAN,
        CLEAN_MULTILINE,
        CANONICAL_TONES,
        UNIFY_PUNCTUATION,
        NORMALIZED_KEY,
        FOLDED_KEY,
        STRIP_DIACRITICS,
        TOKENIZE,
    ];
    let mut inputs: Vec<&'static str> =
        string_tables.iter().flat_map(|table| table.iter().flat_map(|&(a, b)| [a, b])).collect();
    inputs.extend(HAS_DIACRITICS.iter().map(|&(s, _)| s));
    inputs.extend(SPLIT_SENTENCES.iter().map(|&(s, _)| s));
    inputs.extend(SPLIT_SENTENCES_EN.iter().map(|&(s, _)| s));
    inputs.extend(SAME_NORMALIZED_KEY.iter().flat_map(|c| c.iter().copied()));
    inputs.extend(SAME_FOLDED_KEY.iter().flat_map(|c| c.iter().copied()));
    inputs
}

/// Checks `property` for every input, reporting all inputs where it fails.
fn check_property(what: &str, property: impl Fn(&str) -> Result<(), String>) {
    let failures = all_inputs()
        .into_iter()
        .filter_map(|input| property(input).err().map(|e| format!("  {input:?}: {e}")))
        .collect();
    report(what, failures);
}

/// `Ok` if `f` is idempotent on `x`.
fn idempotent(f: fn(&str) -> String, x: &str) -> Result<(), String> {
    let once = f(x);
    let twice = f(&once);
    if once == twice {
        Ok(())
    } else {
        Err(format!("{once:?} -> {twice:?}"))
    }
}

fn equal(a: String, b: String) -> Result<(), String> {
    if a == b {
        Ok(())
    } else {
        Err(format!("{a:?} != {b:?}"))
    }
}

#[test]
fn property_idempotence() {
    check_property("clean idempotence", |x| idempotent(clean, x));
    check_property("clean_multiline idempotence", |x| idempotent(clean_multiline, x));
    check_property("canonical_tones idempotence", |x| idempotent(canonical_tones, x));
    check_property("unify_punctuation idempotence", |x| idempotent(unify_punctuation, x));
    check_property("normalized_key idempotence", |x| idempotent(normalized_key, x));
    check_property("folded_key idempotence", |x| idempotent(folded_key, x));
    check_property("strip_diacritics idempotence", |x| idempotent(strip_diacritics, x));
}

#[test]
fn property_folded_key_ignores_tone_placement() {
    check_property("folded_key(canonical_tones(x))", |x| equal(folded_key(x), folded_key(&canonical_tones(x))));
    check_property("normalized_key(canonical_tones(x))", |x| {
        equal(normalized_key(x), normalized_key(&canonical_tones(x)))
    });
}

#[test]
fn property_nfc_and_nfd_inputs_agree() {
    fn both(f: fn(&str) -> String, x: &str) -> Result<(), String> {
        let nfc: String = x.nfc().collect();
        let nfd: String = x.nfd().collect();
        equal(f(&nfc), f(&nfd))
    }
    check_property("normalized_key NFC/NFD", |x| both(normalized_key, x));
    check_property("folded_key NFC/NFD", |x| both(folded_key, x));
    check_property("canonical_tones NFC/NFD", |x| both(canonical_tones, x));
    check_property("clean NFC/NFD", |x| both(clean, x));
    check_property("strip_diacritics NFC/NFD", |x| both(strip_diacritics, x));
}

#[test]
fn property_outputs_are_nfc() {
    fn is_nfc(f: fn(&str) -> String, x: &str) -> Result<(), String> {
        let out = f(x);
        equal(out.nfc().collect(), out)
    }
    check_property("clean is NFC", |x| is_nfc(clean, x));
    check_property("canonical_tones is NFC", |x| is_nfc(canonical_tones, x));
    check_property("normalized_key is NFC", |x| is_nfc(normalized_key, x));
    check_property("folded_key is NFC", |x| is_nfc(folded_key, x));
}

#[test]
fn property_keys_relate() {
    check_property("folded_key == strip_diacritics(normalized_key)", |x| {
        equal(folded_key(x), strip_diacritics(&normalized_key(x)))
    });
    check_property("folded_key has no diacritics", |x| {
        if has_diacritics(&folded_key(x)) {
            Err(folded_key(x))
        } else {
            Ok(())
        }
    });
    check_property("has_diacritics iff strip_diacritics changes the text", |x| {
        let nfc: String = x.nfc().collect();
        let changes = strip_diacritics(x) != nfc;
        if has_diacritics(x) == changes {
            Ok(())
        } else {
            Err(format!("has_diacritics = {}, strip changes = {changes}", has_diacritics(x)))
        }
    });
    check_property("canonical_tones only moves marks", |x| {
        equal(strip_diacritics(x), strip_diacritics(&canonical_tones(x)))
    });
    check_property("clean(clean_multiline(x)) == clean(x)", |x| equal(clean(&clean_multiline(x)), clean(x)));
}

#[test]
fn property_segmentation_spans_map_back() {
    check_property("tokenize invariants", token_invariants);
    check_property("split_sentences invariants", sentence_invariants);
    check_property("tokenize drops only spacing", |x| {
        let kept: String = tokenize(x).iter().map(|t| t.text).collect();
        let visible: String = x.chars().filter(|&c| !c.is_whitespace()).collect::<String>();
        let kept_clean: String = clean(&kept);
        let visible_clean: String = clean(&visible);
        equal(kept_clean, visible_clean)
    });
}
