//! Mining quality on the shared seed documents (`../shared/seeds`, next to
//! the repository): what a terminologist expects at the top, and what must
//! never be proposed. Skipped with a message when the seeds are absent
//! (fails instead when `CI=true`).

use std::path::Path;

use glossary::mining::{candidates::FUNCTION_WORDS, mine, CandidateKind, Document, MiningOptions};

fn seed_documents() -> Option<Vec<Document>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/seeds");
    if !dir.is_dir() {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "CI: {} is missing", dir.display());
        eprintln!("skipping: {} not found (the shared seeds live next to the repository)", dir.display());
        return None;
    }
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    Some(
        paths
            .iter()
            .map(|p| Document {
                id: Some(p.file_name().unwrap().to_string_lossy().into_owned()),
                title: None,
                text: std::fs::read_to_string(p).unwrap(),
            })
            .collect(),
    )
}

/// (term, must rank at or above)
const EXPECTED: &[(&str, usize)] = &[
    ("hữu nghị vĩ đại, đoàn kết đặc biệt, hợp tác toàn diện, gắn kết chiến lược", 10),
    ("hữu nghị vĩ đại", 20),
    ("đoàn kết đặc biệt", 20),
    ("hợp tác toàn diện", 30),
    ("gắn kết chiến lược", 20),
    ("thăm cấp Nhà nước", 30),
    ("Đảng Nhân dân Cách mạng Lào", 15),
    ("Tổng Bí thư", 10),
    ("Tô Lâm", 15),
    ("Thongloun Sisoulith", 30),
    ("Đảng Cộng sản Việt Nam", 40),
    ("Cộng hòa Dân chủ Nhân dân Lào", 40),
    ("ASEAN", 40),
    ("hòa bình, ổn định, hợp tác và phát triển", 60),
];

/// Substrings no candidate in the top 100 may contain: boilerplate (car
/// prices, horoscopes, football, captions, metadata) and fragments that cut
/// a word.
const FORBIDDEN: &[&str] = &[
    "bảng giá",
    "Peugeot",
    "Lexus",
    "xe",
    "tử vi",
    "hoàng đạo",
    "bóng đá",
    "thi đấu",
    "Arsenal",
    "Ảnh",
    "TTXVN",
    "date",
    "Đọc thêm",
    "Baoquocte",
    "Thống Nhất",
    "Venezuela",
];

/// Whole candidates that must not appear: fragments of longer terms.
const FRAGMENTS: &[&str] = &[
    "tác toàn diện",
    "hợp tác toàn",
    "nghị vĩ đại",
    "hữu nghị vĩ",
    "kết chiến lược",
    "Bí thư Tô Lâm",
    "Tổng Bí thư Tô Lâm",
    "Nhân dân Cách mạng Lào",
    "Lào Thongloun Sisoulith",
];

/// Ordinary words of the news register: frequent, but a glossary of
/// diplomatic phrases does not need them near the top.
/// "Nhân dân" is capitalised mostly inside names ("Đảng Nhân dân Cách mạng
/// Lào"); on its own it is the common noun.
const ORDINARY_WORDS: &[&str] = &["kinh tế", "quan hệ", "chiến lược", "an ninh", "lãnh đạo", "ổn định", "Nhân dân"];

/// What a terminologist lists from the seeds, by class: (class, term, must
/// rank at or above). Every term occurs at least twice in the seeds.
const MUST_FIND: &[(&str, &str, usize)] = &[
    ("title", "Tổng Bí thư", 10),
    ("title", "Chủ tịch nước", 40),
    ("title", "Chủ tịch Quốc hội", 60),
    ("title", "Đại sứ", 100),
    ("title", "Thủ tướng", 100),
    ("title", "Phu nhân", 60),
    ("body", "Đảng Nhân dân Cách mạng Lào", 15),
    ("body", "Đảng Cộng sản Việt Nam", 40),
    ("body", "Chính phủ", 100),
    ("event", "hội kiến", 100),
    ("event", "hội đàm", 100),
    ("event", "thăm cấp Nhà nước", 30),
    ("dash compound", "Việt Nam - Lào", 5),
    ("dash compound", "chính trị – ngoại giao", 80),
    ("dash compound", "quốc phòng - an ninh", 100),
    ("formula", "hữu nghị vĩ đại, đoàn kết đặc biệt, hợp tác toàn diện, gắn kết chiến lược", 10),
    ("formula", "hòa bình, ổn định, hợp tác và phát triển", 60),
    ("name", "Tô Lâm", 15),
    ("name", "Thongloun Sisoulith", 30),
    ("name", "Viêng Chăn", 60),
    ("name", "Cộng hòa Dân chủ Nhân dân Lào", 40),
];

/// A terminologist's list of the seeds: every term that occurs at least
/// twice in the articles (teasers, captions and other boilerplate the miner
/// drops left aside), by class. Written by reading the five articles, not
/// from the miner's output; recall@100 is the share of it in the top 100.
#[rustfmt::skip]
const RECALL: &[(&str, &str)] = &[
    ("title", "Tổng Bí thư"), ("title", "Chủ tịch nước"), ("title", "Chủ tịch Quốc hội"), ("title", "Thủ tướng"),
    ("title", "Đại sứ"), ("title", "Phu nhân"), ("title", "Thứ trưởng Ngoại giao"), ("title", "Thứ trưởng"),
    ("title", "Ủy viên Trung ương Đảng"), ("title", "Thủ tướng Chính phủ"),
    ("body", "Đảng Nhân dân Cách mạng Lào"), ("body", "Đảng Cộng sản Việt Nam"), ("body", "Ban Chấp hành Trung ương"),
    ("body", "Chính phủ"), ("body", "Quốc hội"), ("body", "Nhà nước"), ("body", "Đoàn đại biểu cấp cao"),
    ("body", "Liên hợp quốc"), ("body", "Cộng đồng ASEAN"), ("body", "Ủy ban liên Chính phủ"), ("body", "ASEAN"),
    ("body", "Đại hội đại biểu toàn quốc"),
    ("event", "thăm cấp Nhà nước"), ("event", "hội đàm"), ("event", "hội kiến"), ("event", "Lễ kỷ niệm"),
    ("event", "Quốc khánh"), ("event", "Cuộc gặp cấp cao"), ("event", "Đại hội XII"), ("event", "Đại hội"),
    ("dash compound", "Việt Nam - Lào"), ("dash compound", "Lào - Việt Nam"), ("dash compound", "kinh tế - xã hội"),
    ("dash compound", "quốc phòng - an ninh"), ("dash compound", "chính trị – ngoại giao"),
    ("dash compound", "giáo dục - đào tạo"), ("dash compound", "giao thông - vận tải"),
    ("dash compound", "Hà Nội - Viêng Chăn"),
    ("formula", "hữu nghị vĩ đại, đoàn kết đặc biệt, hợp tác toàn diện, gắn kết chiến lược"),
    ("formula", "hòa bình, ổn định, hợp tác và phát triển"), ("formula", "bền vững, tự cường và thịnh vượng"),
    ("formula", "độc lập, chủ quyền, toàn vẹn lãnh thổ"), ("formula", "an ninh truyền thống và phi truyền thống"),
    ("formula", "chí tình, chí nghĩa"), ("formula", "độc lập, tự chủ"),
    ("name", "Tô Lâm"), ("name", "Thongloun Sisoulith"), ("name", "Sonexay Siphandone"),
    ("name", "Saysomphone Phomvihane"), ("name", "Khamphao Ernthavanh"), ("name", "Nguyễn Mạnh Cường"),
    ("name", "Kaysone Phomvihane"), ("name", "Souphanouvong"), ("name", "Hồ Chí Minh"),
    ("place", "Việt Nam"), ("place", "Viêng Chăn"), ("place", "Cộng hòa Dân chủ Nhân dân Lào"), ("place", "Đông Nam Á"),
    ("place", "Mê Công"), ("place", "tiểu vùng Mê Công"), ("place", "Biển Đông"), ("place", "Hà Nội"),
    ("place", "Vũng Áng"), ("place", "Thanh Thủy"), ("place", "Campuchia"),
    ("instrument", "Công ước"), ("instrument", "Hiệp định"), ("instrument", "Nghị định thư"), ("instrument", "UNCLOS"),
    ("phrase", "hữu nghị vĩ đại"), ("phrase", "đoàn kết đặc biệt"), ("phrase", "hợp tác toàn diện"),
    ("phrase", "gắn kết chiến lược"), ("phrase", "quan hệ đặc biệt"), ("phrase", "tin cậy chính trị"),
    ("phrase", "kim ngạch thương mại"), ("phrase", "nguồn nhân lực"), ("phrase", "cơ sở hạ tầng"),
    ("phrase", "đường cao tốc"), ("phrase", "giao lưu nhân dân"), ("phrase", "lãnh đạo cấp cao"),
    ("phrase", "tội phạm mạng"), ("phrase", "toàn vẹn lãnh thổ"), ("phrase", "bảo vệ Tổ quốc"),
    ("phrase", "lợi ích chiến lược"), ("phrase", "thương mại song phương"), ("phrase", "chuyển đổi số"),
    ("phrase", "đổi mới sáng tạo"), ("phrase", "kinh tế vĩ mô"),
    ("word", "đối ngoại"), ("word", "song phương"), ("word", "đa phương"), ("word", "hội nhập"), ("word", "thủy chung"),
    ("word", "tham vấn"), ("word", "nội hàm"), ("word", "trụ cột"), ("word", "kim ngạch"), ("word", "biên giới"),
    ("word", "cửa khẩu"), ("word", "Tổ quốc"), ("word", "kỷ niệm"), ("word", "quốc phòng"), ("word", "hợp tác"),
];

/// Least recall@100 of [`RECALL`]: 68/104 measured (56 before the ranking
/// changes of docs/mining.md, "Recall on the seeds"; 68 before the
/// word-level baseline, 69 with it and the previous segmenter, 68 with the
/// segmenter trained with the Wikipedia pairs table and the word list
/// regenerated by it: ranks 99-101 trade places).
const RECALL_FLOOR: f64 = 0.65;
/// Least number of the single-word terms of [`RECALL`] in the top 100: 4
/// measured (2 before the word-level baseline; 5 with the previous
/// segmenter, whose fifth, "tham vấn", is now 101st).
const WORD_FLOOR: usize = 4;

/// Edges no candidate in the top 50 may have: reporting verbs and aspect
/// markers (function words are checked against their own list).
const BAD_EDGES: &[&str] = &[
    "nhấn mạnh",
    "khẳng định",
    "dự kiến",
    "cho biết",
    "cho rằng",
    "đề nghị",
    "bày tỏ",
    "đã",
    "đang",
    "sẽ",
    "được",
    "bị",
    "dự",
];

/// Truncated names: the complete name is in the seeds, the truncation must
/// not be proposed at all.
const TRUNCATED: &[&str] = &["Thủ đô Viêng", "Nhân dân Cách mạng Lào", "Dân chủ Nhân dân Lào", "Bí thư Tô Lâm"];

/// Ranks of the table's terms by normalised key, reporting every miss at once.
fn check_must_find(terms: &[(String, String)]) {
    let mut misses = Vec::new();
    for (class, term, max_rank) in MUST_FIND {
        let key = glossary::text::normalized_key(term);
        let rank = terms.iter().position(|(k, _)| *k == key).map(|i| i + 1);
        if rank.is_none_or(|r| r > *max_rank) {
            misses.push(format!("{class} {term:?} ranks {rank:?}, expected within {max_rank}"));
        }
    }
    assert!(misses.is_empty(), "{}", misses.join("\n"));
}

#[test]
fn seeds_find_each_class_and_no_bad_edges() {
    let Some(docs) = seed_documents() else { return };
    let outcome = mine(&docs, &MiningOptions { top: 100, ..MiningOptions::default() }, &mut |_| {}).unwrap();
    let terms: Vec<(String, String)> = outcome.candidates.iter().map(|c| (c.key.clone(), c.term.clone())).collect();
    check_must_find(&terms);
    for c in outcome.candidates.iter().take(50).filter(|c| c.kind != CandidateKind::Formula) {
        let lower = format!(" {} ", c.term.to_lowercase());
        for edge in BAD_EDGES {
            assert!(
                !lower.starts_with(&format!(" {edge} ")) && !lower.ends_with(&format!(" {edge} ")),
                "{:?} starts or ends with {edge:?}",
                c.term
            );
        }
    }
    for c in &outcome.candidates {
        assert!(!TRUNCATED.contains(&c.term.as_str()), "truncated name {:?} proposed", c.term);
        assert!(!c.term.contains(" dự Lễ") && !c.term.starts_with("dự "), "verb glued to a name: {:?}", c.term);
        assert!(!c.term.starts_with("chuyễn"), "misspelling proposed: {:?}", c.term);
    }
}

/// "Quốc khánh" is capitalised in all its uses, mostly before a lowercase
/// word ("Quốc khánh nước ..."): its capitals are its own, so it is a name,
/// not a fragment of the names after it.
#[test]
fn seeds_capitalised_word_before_lowercase_is_a_name() {
    let Some(docs) = seed_documents() else { return };
    let outcome = mine(&docs, &MiningOptions { top: 400, ..MiningOptions::default() }, &mut |_| {}).unwrap();
    let national_day = outcome.candidates.iter().find(|c| c.term == "Quốc khánh");
    assert_eq!(national_day.map(|c| c.kind), Some(CandidateKind::Name), "{national_day:?}");
}

#[test]
fn seeds_rank_diplomatic_terms_and_nothing_laughable() {
    let Some(docs) = seed_documents() else { return };
    let outcome = mine(&docs, &MiningOptions { top: 100, ..MiningOptions::default() }, &mut |_| {}).unwrap();
    let terms: Vec<&str> = outcome.candidates.iter().map(|c| c.term.as_str()).collect();
    for (term, max_rank) in EXPECTED {
        let rank = terms.iter().position(|t| t == term).map(|i| i + 1);
        assert!(rank.is_some_and(|r| r <= *max_rank), "{term:?} ranks {rank:?}, expected within {max_rank}: {terms:?}");
    }
    // Evidence is gathered over two or three passes (members of formulas
    // catch up on the sentences before their formula recurred): every
    // occurrence is counted once, so the spellings add up to the frequency.
    for c in outcome.candidates.iter().filter(|c| c.kind != CandidateKind::Formula) {
        let spelled: u32 = c.variants.iter().map(|v| v.count).sum();
        assert_eq!(spelled, c.frequency, "{}: variants {:?}", c.term, c.variants);
        assert!(!c.contexts.is_empty(), "{} has contexts", c.term);
    }
    for word in ORDINARY_WORDS {
        let rank = terms.iter().position(|t| t == word).map(|i| i + 1);
        assert!(rank.is_none_or(|r| r > 30), "ordinary word {word:?} ranks {rank:?}");
    }
    for c in &outcome.candidates {
        for bad in FORBIDDEN {
            assert!(!c.term.contains(bad), "boilerplate {bad:?} in candidate {:?}", c.term);
        }
        assert!(!FRAGMENTS.contains(&c.term.as_str()), "fragment {:?} proposed", c.term);
        if c.kind == CandidateKind::Formula {
            continue;
        }
        // Edges are words: a function syllable inside a longer word
        // ("Thứ trưởng", "tỷ lệ") is not a function word.
        let lower = c.term.to_lowercase();
        let words = glossary::text::words(&lower);
        for edge in [&words[0], &words[words.len() - 1]] {
            let edge = &lower[edge.bytes.clone()];
            assert!(!FUNCTION_WORDS.contains(&edge), "{:?} starts or ends with a function word", c.term);
        }
    }
    let formula = &outcome.candidates[terms.iter().position(|t| t.starts_with("hữu nghị vĩ đại, ")).unwrap()];
    assert_eq!(formula.members, ["hữu nghị vĩ đại", "đoàn kết đặc biệt", "hợp tác toàn diện", "gắn kết chiến lược"]);
    assert!(formula.frequency >= 6, "{formula:?}");
    let spellings: Vec<&str> = formula.variants.iter().map(|v| v.text.as_str()).collect();
    assert!(spellings.iter().any(|s| s.contains(" và ")), "the variant with 'và' is merged: {spellings:?}");
    assert!(
        spellings.iter().any(|s| !s.contains("gắn kết")),
        "the variant without the last member is merged: {spellings:?}"
    );
    let member = &outcome.candidates[terms.iter().position(|t| *t == "đoàn kết đặc biệt").unwrap()];
    assert!(member.formulas.iter().any(|f| f.starts_with("hữu nghị vĩ đại, ")), "{member:?}");
    let dash = &outcome.candidates[terms.iter().position(|t| *t == "Việt Nam - Lào").unwrap()];
    let dash_styles: Vec<&str> = dash.variants.iter().map(|v| v.text.as_str()).collect();
    assert!(dash_styles.contains(&"Việt Nam-Lào") && dash_styles.contains(&"Việt Nam – Lào"), "{dash_styles:?}");
    assert!(outcome.stats.dropped_lines >= 40, "teasers and captions are dropped: {:?}", outcome.stats);
}

/// Recall@100 of the terminologist's list, with the misses by class in
/// the failure message (and printed, so `--nocapture` shows them).
#[test]
fn seeds_recall_at_100() {
    let Some(docs) = seed_documents() else { return };
    let outcome = mine(&docs, &MiningOptions { top: 100, ..MiningOptions::default() }, &mut |_| {}).unwrap();
    let keys: Vec<&str> = outcome.candidates.iter().map(|c| c.key.as_str()).collect();
    let mut misses: Vec<String> = Vec::new();
    for (class, term) in RECALL {
        if !keys.contains(&glossary::text::normalized_key(term).as_str()) {
            misses.push(format!("{class}: {term}"));
        }
    }
    let found = RECALL.len() - misses.len();
    let recall = found as f64 / RECALL.len() as f64;
    let words = RECALL.iter().filter(|(class, _)| *class == "word").count();
    let words_found = words - misses.iter().filter(|m| m.starts_with("word: ")).count();
    let report = format!(
        "recall@100 {found}/{} = {recall:.2}, single words {words_found}/{words}; missed:\n{}",
        RECALL.len(),
        misses.join("\n")
    );
    eprintln!("{report}");
    assert!(recall >= RECALL_FLOOR, "{report}");
    assert!(words_found >= WORD_FLOOR, "{report}");
}

/// With memory bounded far below what the seeds need, counting is lossy
/// but the frequent terms survive near the top, and the run says its
/// counts are approximate.
#[test]
fn seeds_with_a_small_memory_bound() {
    let Some(docs) = seed_documents() else { return };
    let exact = mine(&docs, &MiningOptions { top: 30, ..MiningOptions::default() }, &mut |_| {}).unwrap();
    assert_eq!((exact.stats.prunes, exact.stats.count_error), (0, 0), "the seeds fit the default bound");
    let options = MiningOptions { top: 30, max_ngrams: 6_000, ..MiningOptions::default() };
    let bounded = mine(&docs, &options, &mut |_| {}).unwrap();
    assert!(bounded.stats.prunes > 0 && bounded.stats.count_error > 0, "{:?}", bounded.stats);
    assert!(bounded.stats.distinct_ngrams <= 6_000, "{:?}", bounded.stats);
    let terms: Vec<&str> = bounded.candidates.iter().map(|c| c.term.as_str()).collect();
    for term in [
        "hữu nghị vĩ đại, đoàn kết đặc biệt, hợp tác toàn diện, gắn kết chiến lược",
        "hữu nghị vĩ đại",
        "Đảng Nhân dân Cách mạng Lào",
        "Tô Lâm",
    ] {
        assert!(terms.contains(&term), "{term:?} missing from the bounded top 30: {terms:?}");
    }
    let shared = exact.candidates.iter().filter(|c| terms.contains(&c.term.as_str())).count();
    eprintln!("bounded run: {:?}; {shared} of the exact top 30 kept", bounded.stats);
    assert!(shared >= 20, "only {shared} of the exact top 30 survive the bound: {terms:?}");
    for c in &bounded.candidates {
        let e = exact.candidates.iter().find(|e| e.key == c.key);
        if let Some(e) = e {
            assert!(
                c.frequency <= e.frequency && c.frequency + bounded.stats.count_error >= e.frequency,
                "{}: {} vs exact {} (error bound {})",
                c.term,
                c.frequency,
                e.frequency,
                bounded.stats.count_error
            );
        }
    }
}

/// A concept holding one Vietnamese term (and an English one).
fn concept(vi: &str, en: &str) -> glossary::ConceptDraft {
    serde_json::from_value(serde_json::json!({
        "terms": [{"lang": "vi", "text": vi}, {"lang": "en", "text": en}]
    }))
    .unwrap()
}

/// Mining with a store: the terms the glossary already holds are marked
/// known with their concept and stay out of the pending queue; the others
/// stay pending.
#[test]
fn seeds_mined_into_a_store_mark_its_terms_known() {
    use glossary::mining::queue::{CandidateQuery, CandidateStatus};
    let Some(docs) = seed_documents() else { return };
    let dir = tempfile::tempdir().unwrap();
    let g = glossary::Glossary::open(dir.path(), &glossary::OpenOptions::default()).unwrap();
    let vietnam = g.create(concept("Việt Nam", "Vietnam"), "test").unwrap();
    let secretary = g.create(concept("Tổng Bí thư", "General Secretary"), "test").unwrap();
    let options = MiningOptions { top: 100, ..MiningOptions::default() };
    let run = g.create_mining_run(&docs, &options).unwrap();
    g.execute_mining_run(run.id, &docs, &options, &mut |_| {}).unwrap();

    for (term, id) in [("Việt Nam", &vietnam.id), ("Tổng Bí thư", &secretary.id)] {
        let c = g.candidate(term).unwrap_or_else(|e| panic!("{term} was mined: {e}"));
        assert_eq!(c.status, CandidateStatus::Known, "{term}: {c:?}");
        assert_eq!(c.concept.as_ref(), Some(id), "{term}");
        let known = c.candidate.known.as_ref().expect("known term recorded");
        assert_eq!((&known.concept, known.term.as_str(), known.variant), (id, term, false));
    }
    let pending = g.candidates(&CandidateQuery { limit: 200, ..CandidateQuery::default() }).unwrap();
    let terms: Vec<&str> = pending.items.iter().map(|c| c.candidate.term.as_str()).collect();
    assert!(!terms.contains(&"Việt Nam") && !terms.contains(&"Tổng Bí thư"), "{terms:?}");
    assert!(terms.contains(&"Tô Lâm"), "other candidates stay pending: {terms:?}");
    assert!(pending.items.iter().all(|c| c.candidate.known.is_none()), "no pending candidate is known");

    // Without the store nothing is known; marking finds the same concepts.
    let mut outcome = mine(&docs, &options, &mut |_| {}).unwrap();
    assert!(outcome.candidates.iter().all(|c| c.known.is_none()));
    g.mark_known_candidates(&mut outcome.candidates).unwrap();
    let known: Vec<&str> = outcome.candidates.iter().filter(|c| c.known.is_some()).map(|c| c.term.as_str()).collect();
    assert!(known.contains(&"Việt Nam") && known.contains(&"Tổng Bí thư"), "{known:?}");
}
