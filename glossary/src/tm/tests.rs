use super::index::TmIndex;
use super::matching::{compare, DiffKind, PenaltyKind, Segment};
use super::*;
use crate::model::test_support::{term, Rng};
use crate::model::{ConceptDraft, ConceptId, Term, TermStatus};
use crate::{Glossary, OpenOptions};

/// A language tag known to be valid (shared with the concordance tests).
pub(super) fn lang(s: &str) -> Lang {
    Lang::new(s).unwrap()
}

/// A vi→en unit draft with no provenance (shared with the concordance tests).
pub(super) fn draft(source: &str, target: &str) -> TmUnitDraft {
    TmUnitDraft {
        src_lang: lang("vi"),
        tgt_lang: lang("en"),
        source: source.into(),
        target: target.into(),
        provenance: Provenance::default(),
        note: None,
        created_by: None,
        collection: None,
    }
}

/// (query, source, score, penalties, diff kinds)
type Case = (&'static str, &'static str, f64, &'static [PenaltyKind], &'static [DiffKind]);

#[test]
fn match_percentages_and_penalties() {
    use DiffKind as D;
    use PenaltyKind as P;
    // Twenty syllables; one changed.
    let twenty = "hai bên nhất trí tăng cường hợp tác trong các lĩnh vực quốc phòng an ninh kinh tế văn hóa";
    let twenty_changed = "hai bên nhất trí tăng cường hợp tác trong các lĩnh vực quốc phòng an toàn kinh tế văn hóa";
    let cases: &[Case] = &[
        ("Hai bên nhất trí tăng cường hợp tác.", "Hai bên nhất trí tăng cường hợp tác.", 100.0, &[], &[]),
        ("Hai bên nhất trí tăng cường hợp tác.", "Hai bên nhất trí tăng cường hợp tác", 99.0, &[P::Punctuation], &[]),
        ("Hai bên nhất trí tăng cường hợp tác.", "hai bên nhất trí tăng cường hợp tác.", 99.0, &[P::Case], &[D::Case]),
        ("Hai bên nhất trí tăng cường hợp tác.", "Hai bên nhất trí tăng cường hợp tác.", 100.0, &[], &[]),
        (twenty, twenty_changed, 95.0, &[], &[D::Replace]),
        // Tone placement is not a difference at all.
        ("Hai nước cùng giữ gìn hòa bình.", "Hai nước cùng giữ gìn hoà bình.", 100.0, &[], &[]),
        // Marks missing in the stored source: one word differs only in diacritics.
        (
            "Kim ngạch thương mại tăng mạnh.",
            "Kim ngach thương mại tăng mạnh.",
            98.0,
            &[P::Diacritics],
            &[D::Diacritics],
        ),
        ("Kim ngạch đạt 2,5 tỷ USD.", "Kim ngạch đạt 3 tỷ USD.", 99.0, &[P::Number], &[D::Number]),
        // 8 words vs 7: one insertion.
        ("Tổng Bí thư đã hội kiến Thủ tướng Lào.", "Tổng Bí thư hội kiến Thủ tướng Lào.", 88.9, &[], &[D::Insert]),
        ("Tổng Bí thư hội kiến Thủ tướng Lào.", "Tổng Bí thư đã hội kiến Thủ tướng Lào.", 88.9, &[], &[D::Delete]),
        ("hợp tác toàn diện", "đoàn kết đặc biệt", 0.0, &[], &[D::Replace]),
    ];
    for (q, s, score, penalties, diff) in cases {
        let c = compare(&Segment::new(q), &Segment::new(s));
        assert_eq!(c.score, *score, "{q:?} vs {s:?}: {c:?}");
        let kinds: Vec<_> = c.penalties.iter().map(|p| p.kind).collect();
        assert_eq!(&kinds, penalties, "{q:?} vs {s:?}");
        let dk: Vec<_> = c.diff.iter().map(|d| d.kind).collect();
        assert_eq!(&dk, diff, "{q:?} vs {s:?}");
    }
}

#[test]
fn diff_spans_point_at_the_words() {
    let q = "Kim ngạch thương mại song phương đạt 2,5 tỷ USD";
    let s = "Kim ngạch song phương đạt 3 tỷ đô la";
    let c = compare(&Segment::new(q), &Segment::new(s));
    let show = |text: &str, r: &std::ops::Range<usize>| text.chars().skip(r.start).take(r.len()).collect::<String>();
    let got: Vec<(DiffKind, String, String)> =
        c.diff.iter().map(|d| (d.kind, show(q, &d.query), show(s, &d.source))).collect();
    assert_eq!(
        got,
        vec![
            (DiffKind::Insert, "thương mại".into(), "".into()),
            (DiffKind::Number, "2,5".into(), "3".into()),
            (DiffKind::Replace, "USD".into(), "đô".into()),
            (DiffKind::Delete, "".into(), "la".into()),
        ]
    );
    // 10 query words, 9 source words, 4 edits (2 inserted, "USD"/"đô" replaced, "la" deleted).
    assert_eq!(c.edits, 4);
    assert_eq!(c.base, 60.0);
}

#[test]
fn index_returns_exactly_what_brute_force_returns() {
    // Small vocabulary so near-duplicates are common; several language pairs.
    let vocab: Vec<String> = (0..40).map(|i| format!("w{i}")).collect();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut index = TmIndex::new();
    let mut segments: Vec<Vec<String>> = Vec::new();
    let pairs = [(lang("vi"), lang("en")), (lang("vi"), lang("fr")), (lang("en"), lang("vi"))];
    for id in 0..1500u64 {
        let seg: Vec<String> = if !segments.is_empty() && rng.below(3) == 0 {
            // A near-duplicate of an earlier segment: a few random edits.
            let mut s = segments[rng.below(segments.len())].clone();
            for _ in 0..rng.below(4) {
                match rng.below(3) {
                    0 if !s.is_empty() => {
                        let i = rng.below(s.len());
                        s[i] = vocab[rng.below(vocab.len())].clone();
                    }
                    1 => {
                        let i = rng.below(s.len() + 1);
                        s.insert(i, vocab[rng.below(vocab.len())].clone());
                    }
                    _ if s.len() > 1 => {
                        s.remove(rng.below(s.len()));
                    }
                    _ => {}
                }
            }
            s
        } else {
            (0..1 + rng.below(14)).map(|_| vocab[rng.below(vocab.len())].clone()).collect()
        };
        let (src, tgt) = &pairs[rng.below(pairs.len())];
        index.upsert(id, src, tgt, &seg.iter().map(String::as_str).collect::<Vec<_>>());
        segments.push(seg);
    }
    // Removals and replacements must keep the index exact too, including
    // after it renumbers its slots (enough replacements to trigger that).
    for _ in 0..3000 {
        let id = rng.below(1500) as u64;
        if rng.below(2) == 0 {
            index.remove(id);
        } else {
            let seg = &segments[rng.below(segments.len())];
            index.upsert(id, &pairs[0].0, &pairs[0].1, &seg.iter().map(String::as_str).collect::<Vec<_>>());
        }
    }
    let mut compared = 0;
    for round in 0..250 {
        let mut q = segments[rng.below(segments.len())].clone();
        for _ in 0..rng.below(4) {
            let i = rng.below(q.len() + 1);
            q.insert(i, if round % 5 == 0 { "unknown".into() } else { vocab[rng.below(vocab.len())].clone() });
        }
        let keys: Vec<&str> = q.iter().map(String::as_str).collect();
        for threshold in [50.0, 70.0, 80.0, 95.0, 100.0] {
            let (src, tgt) = &pairs[round % 2];
            let fast = index.search(&keys, src, tgt, threshold);
            let slow = index.search_brute_force(&keys, src, tgt, threshold);
            assert_eq!(fast, slow, "query {keys:?} at {threshold}");
            compared += slow.len();
        }
    }
    assert!(compared > 300, "the test exercised real matches ({compared})");
}

fn glossary() -> (tempfile::TempDir, Glossary) {
    let dir = tempfile::tempdir().unwrap();
    let g = Glossary::open(dir.path(), &OpenOptions::default()).unwrap();
    (dir, g)
}

fn query(text: &str) -> TmQuery {
    TmQuery {
        text: text.into(),
        src: lang("vi"),
        tgt: lang("en"),
        threshold: 70.0,
        limit: 5,
        collections: Default::default(),
        collection_penalty: 1.0,
    }
}

#[test]
fn units_are_deduplicated_and_kept_in_step_with_the_index() {
    let (dir, g) = glossary();
    let mut d = draft("Hai bên ký kết nhiều văn kiện hợp tác.", "The two sides signed many cooperation documents.");
    d.provenance.document = Some("doc-1".into());
    let first = g.add_tm_units(vec![d.clone()]).unwrap();
    assert_eq!(first[0].1, AddOutcome::Created);
    d.provenance.document = Some("doc-2".into());
    d.source = format!("  {}  ", d.source);
    let again = g.add_tm_units(vec![d.clone()]).unwrap();
    assert_eq!(again[0].1, AddOutcome::Merged);
    assert_eq!(again[0].0.id, first[0].0.id);
    assert_eq!(again[0].0.usage_count, 2);
    assert_eq!(again[0].0.provenance.document.as_deref(), Some("doc-2"));
    assert_eq!(g.tm_count().unwrap(), 1);

    let m = g.tm_matches(&query("Hai bên ký kết nhiều văn kiện hợp tác quan trọng.")).unwrap();
    assert_eq!(m.len(), 1);
    // 11 syllables against 9: two insertions.
    assert_eq!(m[0].comparison.score, 81.8);

    let id = first[0].0.id;
    g.replace_tm_unit(id, draft("Hai bên trao đổi ý kiến.", "The two sides exchanged views.")).unwrap();
    assert!(g.tm_matches(&query("Hai bên ký kết nhiều văn kiện hợp tác.")).unwrap().is_empty());
    assert_eq!(g.tm_matches(&query("Hai bên trao đổi ý kiến.")).unwrap()[0].comparison.score, 100.0);
    drop(g);

    // Reopened: the index is rebuilt from the store.
    let g = Glossary::open(dir.path(), &OpenOptions::default()).unwrap();
    assert_eq!(g.tm_matches(&query("Hai bên trao đổi ý kiến.")).unwrap()[0].unit.id, id);
    g.delete_tm_unit(id).unwrap();
    assert!(g.tm_matches(&query("Hai bên trao đổi ý kiến.")).unwrap().is_empty());
    assert_eq!(g.tm_count().unwrap(), 0);
    assert!(matches!(g.tm_unit(id), Err(Error::NotFound { .. })));

    let err = g.add_tm_units(vec![draft("a", "b"), draft(" ", "c")]).unwrap_err();
    assert!(matches!(err, Error::InvalidInput { ref field, .. } if field == "units[1].source"), "{err}");
    let err = g.tm_matches(&TmQuery { threshold: 10.0, ..query("x") }).unwrap_err();
    assert!(matches!(err, Error::InvalidInput { ref field, .. } if field == "threshold"));
}

fn concept(g: &Glossary, terms: Vec<Term>) -> ConceptId {
    g.create(ConceptDraft { terms, ..Default::default() }, "test").unwrap().id
}

#[test]
fn recognition_finds_whole_terms_longest_first_with_diacritics_checked() {
    use TermStatus::*;
    let (_dir, g) = glossary();
    let formula = concept(
        &g,
        vec![
            term("vi", "hữu nghị vĩ đại, đoàn kết đặc biệt", Preferred),
            term("en", "great friendship and special solidarity", Preferred),
        ],
    );
    let friendship =
        concept(&g, vec![term("vi", "hữu nghị vĩ đại", Preferred), term("en", "great friendship", Preferred)]);
    let coop = concept(&g, vec![term("vi", "hợp tác", Preferred), term("en", "cooperation", Preferred)]);
    let road = concept(&g, vec![term("vi", "đường", Preferred), term("en", "road", Preferred)]);
    let president = concept(
        &g,
        vec![
            term("vi", "Chủ tịch nước", Preferred),
            term("en", "President", Preferred),
            term("en", "Chairman", Deprecated),
        ],
    );
    let vi = lang("vi");
    let en = lang("en");
    let cases: &[(&str, &[(&str, &ConceptId)])] = &[
        (
            "Quan hệ hữu nghị vĩ đại, đoàn kết đặc biệt Việt Nam - Lào.",
            &[("hữu nghị vĩ đại, đoàn kết đặc biệt", &formula)],
        ),
        ("Tình hữu nghị vĩ đại giữa hai nước.", &[("hữu nghị vĩ đại", &friendship)]),
        ("HỢP TÁC toàn diện và hợp tác.", &[("HỢP TÁC", &coop), ("hợp tác", &coop)]),
        ("hop tac toan dien", &[("hop tac", &coop)]),
        // "dương" carries marks that disagree with "đường": not that term.
        ("Con dương và con đường.", &[("đường", &road)]),
        // Inside a longer word, no match.
        ("Hợp tácxã", &[]),
        ("Chủ tịch nước Lào", &[("Chủ tịch nước", &president)]),
    ];
    for (sentence, expected) in cases {
        let got = g.recognize(sentence, &vi, &en).unwrap();
        let got: Vec<(String, ConceptId)> =
            got.iter().map(|r| (r.text.clone(), r.concepts[0].concept.clone())).collect();
        let want: Vec<(String, ConceptId)> = expected.iter().map(|(t, c)| (t.to_string(), (*c).clone())).collect();
        assert_eq!(got, want, "{sentence:?}");
    }
    let r = g.recognize("Ông là Chủ tịch nước.", &vi, &en).unwrap();
    assert_eq!(r[0].chars, 7..20);
    assert_eq!(r[0].concepts[0].targets[0].text, "President");
    // Deprecated English renderings are flagged in English text.
    let r = g.recognize("He met the Chairman of Laos.", &en, &vi).unwrap();
    assert!(r[0].concepts[0].warning.as_deref().unwrap().contains("use \"President\""), "{r:?}");

    // The recogniser follows writes.
    concept(&g, vec![term("vi", "tin cậy chính trị", Preferred), term("en", "political trust", Preferred)]);
    assert_eq!(g.recognize("Củng cố tin cậy chính trị.", &vi, &en).unwrap().len(), 1);
}

#[test]
fn suggestions_adapt_numbers_and_terms() {
    use TermStatus::*;
    let (_dir, g) = glossary();
    concept(&g, vec![term("vi", "Lào", Preferred), term("en", "Laos", Preferred)]);
    concept(&g, vec![term("vi", "Campuchia", Preferred), term("en", "Cambodia", Preferred)]);
    concept(
        &g,
        vec![
            term("vi", "Chủ tịch nước", Preferred),
            term("en", "President", Preferred),
            term("en", "Chairman", Deprecated),
        ],
    );
    g.add_tm_units(vec![
        draft(
            "Kim ngạch thương mại giữa Việt Nam và Lào đạt 2,5 tỷ USD.",
            "Trade between Vietnam and Laos reached 2.5 billion USD.",
        ),
        draft("Hội nghị diễn ra ngày 5/2/2026 tại Hà Nội.", "The conference took place on 5 February 2026 in Hanoi."),
        draft("Chủ tịch nước tiếp Đại sứ.", "The Chairman received the Ambassador."),
    ])
    .unwrap();

    let s = g.suggest(&query("Kim ngạch thương mại giữa Việt Nam và Campuchia đạt 3 tỷ USD.")).unwrap();
    let m = &s.matches[0];
    assert!(m.tm.comparison.score < 100.0 && m.tm.comparison.score >= 80.0, "{:?}", m.tm.comparison);
    let a = m.adapted.as_ref().expect("adapted");
    assert_eq!(a.target, "Trade between Vietnam and Cambodia reached 3 billion USD.");
    let kinds: Vec<_> =
        a.substitutions.iter().map(|x| (x.kind, x.target_from.as_str(), x.target_to.as_str())).collect();
    assert!(kinds.contains(&(suggest::SubstitutionKind::Number, "2.5", "3")), "{kinds:?}");
    assert!(kinds.contains(&(suggest::SubstitutionKind::Term, "Laos", "Cambodia")), "{kinds:?}");
    let recognized: Vec<&str> = s.terms.iter().map(|t| t.text.as_str()).collect();
    assert_eq!(recognized, vec!["Campuchia"]);

    let s = g.suggest(&query("Hội nghị diễn ra ngày 6/3/2026 tại Hà Nội.")).unwrap();
    assert_eq!(s.matches[0].adapted.as_ref().unwrap().target, "The conference took place on 6 March 2026 in Hanoi.");

    // A real wording change is not adapted.
    let s = g.suggest(&query("Kim ngạch thương mại giữa Việt Nam và Lào giảm 2,5 tỷ USD.")).unwrap();
    assert!(s.matches[0].adapted.is_none());
    let why = s.matches[0].not_adapted.as_ref().expect("a reason");
    assert_eq!(why.reason, suggest::NotAdaptedReason::WordingDiffers);
    assert!(why.detail.contains("\"giảm\"") && why.detail.contains("\"đạt\""), "{why:?}");

    // Deprecated renderings in a stored target are flagged.
    let s = g.suggest(&query("Chủ tịch nước tiếp Đại sứ.")).unwrap();
    assert_eq!(s.matches[0].tm.comparison.score, 100.0);
    assert!(s.matches[0].warnings[0].contains("\"Chairman\" is a deprecated term"), "{:?}", s.matches[0].warnings);
    assert!(s.matches[0].adapted.is_none(), "identical: nothing to adapt");
    assert_eq!(s.matches[0].not_adapted.as_ref().unwrap().reason, suggest::NotAdaptedReason::NoChangeNeeded);
}

/// Issue 12: two numbers of a range changed; both are substituted, or no
/// adapted target is offered (it used to give "1.2-1.5" at 98%).
#[test]
fn adapted_targets_substitute_every_changed_placeable() {
    let (_dir, g) = glossary();
    g.add_tm_units(vec![
        draft(
            "Tổng tỷ suất sinh của Hàn Quốc giảm còn 1,3-1,5 con.",
            "South Korea's total fertility rate dropped to 1.3-1.5 children.",
        ),
        draft(
            "Đoàn đến Hà Nội ngày 7/4 và ở lại đến tháng 5.",
            "The delegation arrived in Hanoi on April 7 and stayed until May.",
        ),
        draft("Có 3 tỉnh tham gia chương trình.", "3 provinces and 3 cities joined the programme."),
    ])
    .unwrap();
    let s = g.suggest(&query("Tổng tỷ suất sinh của Hàn Quốc giảm còn 1,2-1,4 con.")).unwrap();
    let a = s.matches[0].adapted.as_ref().expect("adapted");
    assert_eq!(a.target, "South Korea's total fertility rate dropped to 1.2-1.4 children.");
    let subs: Vec<(&str, &str, &str, &str)> = a
        .substitutions
        .iter()
        .map(|x| (x.source.as_str(), x.query.as_str(), x.target_from.as_str(), x.target_to.as_str()))
        .collect();
    assert_eq!(subs, vec![("1,3", "1,2", "1.3", "1.2"), ("1,5", "1,4", "1.5", "1.4")]);

    let s = g.suggest(&query("Đoàn đến Hà Nội ngày 30/9 và ở lại đến tháng 12.")).unwrap();
    let a = s.matches[0].adapted.as_ref().expect("adapted");
    assert_eq!(a.target, "The delegation arrived in Hanoi on September 30 and stayed until December.");

    // "3" is twice in the target but once in the source: no guess.
    let s = g.suggest(&query("Có 4 tỉnh tham gia chương trình.")).unwrap();
    assert!(s.matches[0].adapted.is_none());
    let why = s.matches[0].not_adapted.as_ref().unwrap();
    assert_eq!(why.reason, suggest::NotAdaptedReason::AmbiguousPlaceable, "{why:?}");
}
