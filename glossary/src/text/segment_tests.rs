//! Data-driven tests for word segmentation. Every sentence here was written
//! for these tests. Expected output: words separated by spaces, the
//! syllables of a word joined by `_` (as the text has them, so a glued
//! "COVID-19" stays as written).

use super::*;

/// Renders the words of `s` as described in the module documentation.
fn render(s: &str) -> String {
    words(s)
        .iter()
        .map(|w| s[w.bytes.clone()].split_whitespace().collect::<Vec<_>>().join("_"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Runs [`render`] over a table and reports every failing case at once.
fn check(cases: &[(&str, &str)]) {
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|&(input, expected)| {
            let got = render(input);
            (got != expected).then(|| format!("  {input:?}\n    expected {expected}\n    got      {got}"))
        })
        .collect();
    assert!(failures.is_empty(), "{} segmentation case(s) failed:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn words_of_the_issue() {
    check(&[
        ("Chủ tịch Quốc hội tiếp Đại sứ Lào tại Hà Nội", "Chủ_tịch Quốc_hội tiếp Đại_sứ Lào tại Hà_Nội"),
        ("Hai bên nhất trí tiếp tục hợp tác toàn diện.", "Hai bên nhất_trí tiếp_tục hợp_tác toàn_diện ."),
        ("Bộ trưởng trực tiếp chủ trì cuộc họp báo.", "Bộ_trưởng trực_tiếp chủ_trì cuộc họp_báo ."),
        ("Đoàn đã tiếp xúc cử tri và người lao động.", "Đoàn đã tiếp_xúc cử_tri và người lao_động ."),
        ("Tỉnh Hòa Bình có nhiều người lao động.", "Tỉnh Hòa_Bình có nhiều người lao_động ."),
        ("Tỉnh Hoà Bình", "Tỉnh Hoà_Bình"),
        ("hai nước cam kết giữ gìn hòa bình", "hai nước cam_kết giữ_gìn hòa_bình"),
    ]);
}

#[test]
fn names_titles_and_places() {
    check(&[
        ("Tổng Bí thư Tô Lâm phát biểu tại hội nghị.", "Tổng_Bí_thư Tô_Lâm phát_biểu tại hội_nghị ."),
        (
            "Thủ tướng Phạm Minh Chính hội đàm với Thủ tướng Lào.",
            "Thủ_tướng Phạm_Minh_Chính hội_đàm với Thủ_tướng Lào .",
        ),
        ("Đoàn đã đến Thủ đô Viêng Chăn chiều nay.", "Đoàn đã đến Thủ_đô Viêng_Chăn chiều nay ."),
        (
            "Ông Nguyễn Văn Thắng làm việc tại Thành phố Hồ Chí Minh.",
            "Ông Nguyễn_Văn_Thắng làm_việc tại Thành_phố Hồ_Chí_Minh .",
        ),
        ("Tổng thống Donald Trump gặp Chủ tịch Tập Cận Bình.", "Tổng_thống Donald_Trump gặp Chủ_tịch Tập_Cận_Bình ."),
        ("Đại sứ Nhật Bản trình quốc thư.", "Đại_sứ Nhật_Bản trình quốc_thư ."),
        ("Bà Lê Thị Hoa là giáo viên ở Đà Nẵng.", "Bà Lê_Thị_Hoa là giáo_viên ở Đà_Nẵng ."),
        ("Người dân Hà Nội đón năm mới.", "Người dân Hà_Nội đón năm mới ."),
        ("Sông Hồng chảy qua Hà Nội.", "Sông Hồng chảy qua Hà_Nội ."),
        ("Bộ trưởng Bộ Ngoại giao Bùi Thanh Sơn", "Bộ_trưởng Bộ Ngoại_giao Bùi_Thanh_Sơn"),
        ("Huyện Mai Châu nằm ở phía tây.", "Huyện Mai_Châu nằm ở phía tây ."),
        ("Anh Minh gặp chị Lan ở chợ.", "Anh Minh gặp chị Lan ở chợ ."),
        ("Phó Thủ tướng tiếp Đại sứ Hàn Quốc.", "Phó_Thủ_tướng tiếp Đại_sứ Hàn_Quốc ."),
        ("Quan hệ Việt Nam - Lào là tài sản chung.", "Quan_hệ Việt_Nam - Lào là tài_sản chung ."),
        ("Quan hệ Việt Nam-Lào ngày càng bền chặt.", "Quan_hệ Việt_Nam - Lào ngày_càng bền_chặt ."),
        ("Tổng thống Emmanuel Macron thăm Việt Nam.", "Tổng_thống Emmanuel_Macron thăm Việt_Nam ."),
        ("Tại Washington, hai bên ký hiệp định.", "Tại Washington , hai bên ký hiệp_định ."),
    ]);
}

#[test]
fn numbers_dates_codes_and_abbreviations() {
    check(&[
        ("Ngày 5/2/2026, đoàn đến Hà Nội.", "Ngày 5/2/2026 , đoàn đến Hà_Nội ."),
        ("Số ca mắc COVID-19 tăng 15%.", "Số ca mắc COVID-19 tăng 15% ."),
        ("Virus H5N1 lây sang gia cầm.", "Virus H5N1 lây sang gia_cầm ."),
        ("Hội nghị G20 họp tại Ấn Độ.", "Hội_nghị G20 họp tại Ấn_Độ ."),
        ("Kim ngạch đạt 1.000 tỷ đồng.", "Kim_ngạch đạt 1.000 tỷ đồng ."),
        ("Máy bay F-16 bay qua.", "Máy_bay F-16 bay qua ."),
        ("Virus Sars-CoV-2 biến đổi.", "Virus Sars-CoV-2 biến_đổi ."),
        ("Hợp tác ASEAN-EU phát triển.", "Hợp_tác ASEAN-EU phát_triển ."),
        ("Ông đến TP.HCM lúc 10:30 sáng.", "Ông đến TP.HCM lúc 10:30 sáng ."),
        ("Giai đoạn 2021 - 2025 có nhiều dự án.", "Giai_đoạn 2021 - 2025 có nhiều dự_án ."),
        ("ASEAN và WTO", "ASEAN và WTO"),
        ("tăng 2,5% so với năm 2025", "tăng 2,5% so với năm 2025"),
    ]);
}

/// Tokens written together that are one word although the tokenizer cuts
/// them apart, and the cases that must stay apart.
#[test]
fn glued_units_times_prices_addresses_abbreviations() {
    check(&[
        ("Lễ khai mạc bắt đầu lúc 9h30 sáng nay.", "Lễ khai_mạc bắt_đầu lúc 9h30 sáng nay ."),
        ("Vé vào cửa giá 50k, trẻ em 20k-30k.", "Vé vào cửa giá 50k , trẻ_em 20k-30k ."),
        ("Theo Quyết định 123/QĐ-TTg, Phòng 2A ở tầng ba.", "Theo Quyết_định 123/QĐ-TTg , Phòng 2A ở tầng ba ."),
        ("Văn phòng ở q.3, gần chợ.", "Văn_phòng ở q.3 , gần chợ ."),
        ("Xem thêm tại baoquocte.vn.", "Xem thêm tại baoquocte.vn ."),
        (
            "Liên hệ lienhe@mofa.gov.vn hoặc https://mofa.gov.vn/tin-tuc.",
            "Liên_hệ lienhe@mofa.gov.vn hoặc https://mofa.gov.vn/tin-tuc .",
        ),
        ("Đoàn đến TP. Hồ Chí Minh hôm qua.", "Đoàn đến TP. Hồ_Chí_Minh hôm_qua ."),
        ("Ông H. Nguyễn phát biểu.", "Ông H. Nguyễn phát_biểu ."),
        ("Các nước ASEAN, EU, v.v. đều tham dự.", "Các nước ASEAN , EU , v.v. đều tham_dự ."),
        // The last letter of such a chain needs no period of its own.
        ("Ông sang U.S.A, rồi về nước.", "Ông sang U.S.A , rồi về nước ."),
        ("Bản cập nhật a.b.c đã có.", "Bản cập_nhật a.b.c đã có ."),
        ("Thật sao?! Tuyệt quá!!!", "Thật sao ?! Tuyệt quá !!!"),
        ("Khách gửi e-mail cho ban tổ chức.", "Khách gửi e-mail cho ban tổ_chức ."),
        // A period after a Vietnamese word of one letter ends the sentence.
        ("Ừ. Tôi đi.", "Ừ . Tôi đi ."),
        // At the end of the text the period is the sentence's.
        ("Đội bóng xếp hạng A.", "Đội bóng xếp_hạng A ."),
        // Rows of names and dash compounds written with a hyphen stay apart.
        ("Quan hệ Nga-Ukraine căng thẳng.", "Quan_hệ Nga - Ukraine căng_thẳng ."),
        ("Phát triển kinh tế-xã hội bền vững.", "Phát_triển kinh_tế - xã_hội bền_vững ."),
        ("Năm 2025, kim ngạch đạt 10 tỷ USD.", "Năm 2025 , kim_ngạch đạt 10 tỷ USD ."),
    ]);
}

#[test]
fn everyday_and_news_sentences() {
    check(&[
        ("Chính phủ đã ban hành nghị định mới.", "Chính_phủ đã ban_hành nghị_định mới ."),
        ("Hai nước ký kết thỏa thuận thương mại.", "Hai nước ký_kết thỏa_thuận thương_mại ."),
        ("Công ty tuyển thêm nhân viên.", "Công_ty tuyển thêm nhân_viên ."),
        ("Gia đình tôi sống ở nông thôn.", "Gia_đình tôi sống ở nông_thôn ."),
        ("Học sinh đến trường rất sớm.", "Học_sinh đến trường rất sớm ."),
        ("Chúng tôi không thể trả lời câu hỏi đó.", "Chúng_tôi không_thể trả_lời câu_hỏi đó ."),
        ("Cơ quan điều tra đã phát hiện sai phạm.", "Cơ_quan điều_tra đã phát_hiện sai_phạm ."),
        ("Bác sĩ khuyên bệnh nhân nghỉ ngơi.", "Bác_sĩ khuyên bệnh_nhân nghỉ_ngơi ."),
        ("Doanh nghiệp cần thêm vốn đầu tư.", "Doanh_nghiệp cần thêm vốn đầu_tư ."),
        ("Thời tiết hôm nay rất đẹp.", "Thời_tiết hôm_nay rất đẹp ."),
        ("Tôi đã gọi điện thoại cho mẹ.", "Tôi đã gọi điện_thoại cho mẹ ."),
        ("Bà con nông dân thu hoạch lúa.", "Bà_con nông_dân thu_hoạch lúa ."),
        ("Giá xăng tăng mạnh trong tuần qua.", "Giá xăng tăng mạnh trong tuần qua ."),
        ("Đất nước đang phát triển nhanh.", "Đất_nước đang phát_triển nhanh ."),
        ("Ủy ban nhân dân tỉnh họp chiều nay.", "Ủy_ban nhân_dân tỉnh họp chiều nay ."),
        ("Chính sách giáo dục được đánh giá cao.", "Chính_sách giáo_dục được đánh_giá cao ."),
        ("Hai bên trao đổi về an ninh khu vực.", "Hai bên trao_đổi về an_ninh khu_vực ."),
        ("Cuộc sống của người dân đã thay đổi.", "Cuộc_sống của người dân đã thay_đổi ."),
        ("Anh ấy làm việc rất chăm chỉ.", "Anh ấy làm_việc rất chăm_chỉ ."),
        ("Giao thông ở thành phố thường ùn tắc.", "Giao_thông ở thành_phố thường ùn_tắc ."),
        ("Tôi muốn mua một chiếc xe đạp.", "Tôi muốn mua một chiếc xe_đạp ."),
        ("Đường ống dẫn nước bị vỡ.", "Đường_ống dẫn nước bị vỡ ."),
        ("Lãnh đạo hai nước chứng kiến lễ ký.", "Lãnh_đạo hai nước chứng_kiến lễ ký ."),
        ("Việt Nam coi trọng quan hệ đối tác chiến lược.", "Việt_Nam coi_trọng quan_hệ đối_tác chiến_lược ."),
        ("Đại sứ quán tổ chức lễ kỷ niệm quốc khánh.", "Đại_sứ_quán tổ_chức lễ kỷ_niệm quốc_khánh ."),
        ("Ông khẳng định Việt Nam luôn ủng hộ hòa bình.", "Ông khẳng_định Việt_Nam luôn ủng_hộ hòa_bình ."),
        ("Hội nghị thảo luận về biến đổi khí hậu.", "Hội_nghị thảo_luận về biến_đổi khí_hậu ."),
        ("Phóng viên đặt câu hỏi tại buổi họp báo.", "Phóng_viên đặt câu_hỏi tại buổi họp_báo ."),
        ("Sinh viên tham gia hoạt động tình nguyện.", "Sinh_viên tham_gia hoạt_động tình_nguyện ."),
        ("Chuyến thăm góp phần tăng cường tin cậy chính trị.", "Chuyến_thăm góp_phần tăng_cường tin_cậy chính_trị ."),
        ("Nhà nước bảo vệ quyền lợi của người tiêu dùng.", "Nhà_nước bảo_vệ quyền_lợi của người tiêu_dùng ."),
        ("Quân đội nhân dân luôn sẵn sàng chiến đấu.", "Quân_đội nhân_dân luôn sẵn_sàng chiến_đấu ."),
    ]);
}

#[test]
fn text_typed_without_diacritics() {
    check(&[
        ("Chu tich Quoc hoi tiep Dai su Lao tai Ha Noi", "Chu_tich Quoc_hoi tiep Dai_su Lao tai Ha_Noi"),
        ("hai ben tiep tuc hop tac toan dien", "hai ben tiep_tuc hop_tac toan_dien"),
        ("Bo truong truc tiep chu tri hop bao", "Bo_truong truc_tiep chu_tri hop_bao"),
        ("doan da tiep xuc cu tri va nguoi lao dong", "doan da tiep_xuc cu_tri va nguoi lao_dong"),
        ("Tinh Hoa Binh", "Tinh Hoa_Binh"),
        ("“hop tac toan dien”", "“ hop_tac toan_dien ”"),
    ]);
}

/// Pseudo-random strings over syllables, capitals, digits, hyphens, periods
/// and spaces, to exercise every rule's edges.
fn random_texts() -> Vec<String> {
    let pieces = [
        "Hà",
        "Nội",
        "tiếp",
        "tục",
        "lao",
        "động",
        "COVID",
        "19",
        "-",
        ".",
        " ",
        " ",
        "TP",
        "HCM",
        "Bộ",
        "trưởng",
        "hoà",
        "bình",
        "5/2/2026",
        ",",
        "“",
        "”",
        "x",
        "Q",
        "2,5%",
        "—",
        "\u{200B}",
        "ĐẠI",
        "sứ",
        "",
    ];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..3000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 12) as usize;
            let mut x = state;
            (0..len)
                .map(|_| {
                    x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                    pieces[((x >> 33) % pieces.len() as u64) as usize]
                })
                .collect::<String>()
        })
        .collect()
}

#[test]
fn spans_cover_every_token_in_order() {
    let mut samples: Vec<String> = [
        "Chủ tịch Quốc hội tiếp Đại sứ Lào tại Hà Nội.",
        "  COVID-19 , H5N1 và TP.HCM ... \"Hòa Bình\" ",
        "",
        "-",
        "a-b-c-1",
        "Tiếp tục",
    ]
    .map(String::from)
    .to_vec();
    samples.extend(random_texts());
    for s in &samples {
        let s = s.as_str();
        let tokens = tokenize(s);
        let words = segment(s, &tokens);
        let mut next = 0;
        for w in &words {
            assert_eq!(w.tokens.start, next, "{s:?}: gap or overlap at {w:?}");
            assert!(w.tokens.end > w.tokens.start, "{s:?}: empty word");
            assert_eq!(w.bytes, tokens[w.tokens.start].start..tokens[w.tokens.end - 1].end, "{s:?}");
            next = w.tokens.end;
        }
        assert_eq!(next, tokens.len(), "{s:?}: tokens left uncovered");
        // A word of several tokens is either written without spaces
        // ("COVID-19", "9h30", "TP.HCM", "?!") or a run of syllables
        // (never a number); an abbreviation keeps its period ("TP. HCM").
        for w in words.iter().filter(|w| w.tokens.len() > 1) {
            let parts = &tokens[w.tokens.clone()];
            let glued = parts.windows(2).all(|p| p[0].end == p[1].start);
            let syllables = parts.iter().all(|t| t.kind == TokenKind::Word);
            assert!(glued || syllables, "{s:?}: {w:?}");
        }
    }
}

#[test]
fn lookup_is_case_and_tone_placement_insensitive() {
    let forms = ["hòa bình", "hoà bình", "HÒA BÌNH", "Hoà Bình", "ho\u{0300}a bi\u{0300}nh"];
    for s in forms {
        assert_eq!(words(s).len(), 1, "{s:?} should be one word");
    }
}

#[test]
fn fast_lowercase_agrees_with_the_standard_library() {
    for c in (0u32..0x2000).filter_map(char::from_u32) {
        if let Some(l) = super::lower_vietnamese(c) {
            let want: Vec<char> = c.to_lowercase().collect();
            assert_eq!(vec![l], want, "{c:?} U+{:04X}", c as u32);
        }
    }
}

#[test]
fn model_weights_round_trip_and_bad_files_are_refused() {
    let mut weights = vec![0f32; FEATURES];
    weights[0] = 2.0;
    weights[1] = -1.0;
    weights[7] = 0.5;
    let decoded = decode_weights(&encode_weights(&weights)).expect("own encoding");
    assert_eq!(decoded.len(), FEATURES);
    assert_eq!((decoded[0], decoded[1], decoded[7], decoded[2]), (i16::MAX, -16384, 8192, 0));
    assert!(decode_weights(b"VISEG1").is_none(), "truncated header");
    assert!(decode_weights(&encode_weights(&weights)[..100]).is_none(), "truncated weights");
    let mut other = encode_weights(&weights);
    other[0] = b'X';
    assert!(decode_weights(&other).is_none(), "wrong magic");
    let bundled = decode_weights(MODEL_DATA).expect("bundled model");
    assert!(bundled.iter().filter(|&&w| w != 0).count() > FEATURES / 10, "the bundled model is trained");
}

#[test]
fn the_model_only_joins_what_the_lattice_or_the_lexicon_supports() {
    // Frequent neighbours that are two words: the model must not glue them.
    check(&[
        ("Chủ tịch Quốc hội tiếp đoàn đại biểu cấp cao Lào.", "Chủ_tịch Quốc_hội tiếp đoàn đại_biểu cấp_cao Lào ."),
        ("Chủ tịch nước gửi điện mừng tới Tổng thống Pháp.", "Chủ_tịch nước gửi điện mừng tới Tổng_thống Pháp ."),
    ]);
}

#[test]
fn unlabelled_pairs_join_strongly_associated_unknown_syllables() {
    // A small lexicon that lacks "cá mập" (shark) and both its syllables:
    // the lattice reads them as two unknown syllables unless unlabelled
    // text saw them together with a high pointwise mutual information.
    let lexicon = "tôi\t40\nthấy\t30\nmột\t30\ncon\t20\nở\t20\nbiển\t10\n";
    let text = "Tôi thấy một con cá mập ở biển";
    let tokens = tokenize(text);
    let render = |lexicon: &Lexicon| -> String {
        segment_with(&tokens, lexicon, None, &|_| true)
            .iter()
            .map(|w| text[w.bytes.clone()].replace(' ', "_"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let without = Lexicon::parse(lexicon, "", normalized_key);
    assert_eq!(render(&without), "Tôi thấy một con cá mập ở biển");
    let weak = Lexicon::parse(lexicon, "cá mập\t2\t3.50\n", normalized_key);
    assert_eq!(render(&weak), "Tôi thấy một con cá mập ở biển", "below the PMI floor: no bonus");
    let strong = Lexicon::parse(lexicon, "# comment\ncá mập\t5\t12.00\t40\t3\n", normalized_key);
    assert_eq!(render(&strong), "Tôi thấy một con cá_mập ở biển");
    let info = strong.raw_pairs.values().next().expect("one pair");
    assert_eq!(
        (info.count, info.pmi, info.left, info.right),
        (3, 5, 6, 2),
        "count 5 is class 3 (1 + log2); PMI 12 saturates at class 5; 40 and 3 neighbours are classes 6 and 2"
    );
    // A table without the neighbour columns (the older format) still parses.
    let short = Lexicon::parse(lexicon, "cá mập\t5\t12.00\n", normalized_key);
    let info = short.raw_pairs.values().next().expect("one pair");
    assert_eq!((info.left, info.right), (0, 0));
}

#[test]
fn runs_segmented_apart_give_the_same_words() {
    // Sentences with several runs of syllables (split by punctuation,
    // numbers and glued units); every other run is skipped in turn.
    let sentences = [
        "Chiều 5/2, tại Hà Nội, Chủ tịch Quốc hội tiếp Đại sứ Lào; hai bên nhất trí tiếp tục hợp tác.",
        "Theo đánh giá của các chuyên gia, tỷ lệ tiêm chủng COVID-19 tăng nhanh - đạt 85% trong quý I.",
        "Ông H. cho biết: \"Chúng tôi sẽ giao tiếp với người dân\", rồi đi tiếp đến Tỉnh Hòa Bình.",
        "hai nuoc cam ket giu gin hoa binh, tiep tuc hop tac toan dien; chu tich nuoc tiep doan",
    ];
    for s in sentences {
        let tokens = tokenize(s);
        let all = segment(s, &tokens);
        assert_eq!(segment_runs(&tokens, &|_| true), all, "{s}");
        // The runs, as the segmenter offers them.
        let seen = std::cell::RefCell::new(Vec::new());
        let none = segment_runs(&tokens, &|r: Range<usize>| {
            seen.borrow_mut().push(r);
            false
        });
        let runs: Vec<Range<usize>> = seen.into_inner();
        // With no run wanted, only the fixed units between runs remain.
        assert!(none.iter().all(|w| all.contains(w) && !runs.iter().any(|r| r.contains(&w.tokens.start))), "{s}");
        assert!(runs.len() >= 3, "{s}: {} runs", runs.len());
        for parity in 0..2 {
            let kept: Vec<Range<usize>> = runs.iter().skip(parity).step_by(2).cloned().collect();
            let keep = |r: Range<usize>| kept.contains(&r);
            let some = segment_runs(&tokens, &keep);
            let in_skipped = |w: &Word| runs.iter().any(|r| !kept.contains(r) && r.contains(&w.tokens.start));
            let expected: Vec<Word> = all.iter().filter(|w| !in_skipped(w)).cloned().collect();
            assert_eq!(some, expected, "{s} (runs kept: {kept:?})");
            assert!(some.len() < all.len(), "{s}: skipping runs drops their words");
        }
    }
}

#[test]
fn dictionary_words_are_evidence_for_the_model_not_lattice_words() {
    // "cá mập" and "anh minh" (wise) are dictionary words the treebank
    // lacks (count 0, flag W): the lattice does not change, but the gap
    // inside them is marked for the boundary model, unless the second
    // syllable is capitalised ("Anh Minh" is a title and a name).
    let base = "tôi\t40\nthấy\t30\ncon\t20\nvị\t10\nvua\t10\nanh\t10\nminh\t2\n";
    let with_dictionary = format!("{base}cá mập\t0\tW\nanh minh\t0\tW\n");
    let plain = Lexicon::parse(base, "", normalized_key);
    let dictionary = Lexicon::parse(&with_dictionary, "", normalized_key);
    let evidence = |lexicon: &Lexicon, text: &str| -> (Vec<Range<usize>>, Vec<u8>) {
        let tokens = tokenize(text);
        let units = units(&tokens, lexicon);
        let mut scratch = Scratch::default();
        viterbi(&units, lexicon, &mut scratch);
        gather_evidence(&units, &scratch.best, &scratch.spans, &mut scratch.evidence);
        (scratch.spans.clone(), scratch.evidence.dict.clone())
    };
    for text in ["Tôi thấy con cá mập", "vị vua anh minh", "Tôi thấy Anh Minh"] {
        assert_eq!(evidence(&plain, text).0, evidence(&dictionary, text).0, "same lattice: {text}");
        assert!(evidence(&plain, text).1.iter().all(|&d| d == 0), "{text}");
    }
    assert_eq!(evidence(&dictionary, "Tôi thấy con cá mập").1, [0, 0, 0, 1]);
    assert_eq!(evidence(&dictionary, "vị vua anh minh").1, [0, 0, 1]);
    assert_eq!(evidence(&dictionary, "Tôi thấy Anh Minh").1, [0, 0, 0], "a capitalised second syllable");
}
