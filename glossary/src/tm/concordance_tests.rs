use super::*;
use crate::model::test_support::{term, Rng};
use crate::model::{ConceptDraft, TermStatus};
use crate::tm::tests::{draft, lang};
use crate::tm::TmUnitDraft;
use crate::Glossary;
use crate::OpenOptions;

const UNITS: &[(&str, &str)] = &[
    // 1
    (
        "Hai nước nhất trí tiếp tục hợp tác toàn diện.",
        "The two countries agreed to continue comprehensive cooperation.",
    ),
    // 2
    ("Quan hệ hop tac toan dien giữa hai nước.", "The comprehensive cooperation between the two countries."),
    // 3
    ("Hai bên tiếp tục trao đổi ý kiến.", "The two sides continued to exchange views."),
    // 4
    ("Tổng Bí thư tiếp Đại sứ Lào.", "The General Secretary received the Lao Ambassador."),
    // 5: a comma between the words is not the phrase.
    ("Hợp tác, toàn diện và bền vững.", "Cooperation, comprehensive and sustainable."),
    // 6: old tone placement.
    ("Củng cố hoà bình và hợp tác toàn diện.", "Consolidating peace and comprehensive cooperation."),
];

fn glossary() -> (tempfile::TempDir, Glossary) {
    let dir = tempfile::tempdir().unwrap();
    let g = Glossary::open(dir.path(), &OpenOptions::default()).unwrap();
    g.add_tm_units(UNITS.iter().map(|(s, t)| draft(s, t)).collect()).unwrap();
    (dir, g)
}

fn query(phrase: &str, side: Side) -> ConcordanceQuery {
    ConcordanceQuery {
        phrase: phrase.into(),
        src: lang("vi"),
        tgt: lang("en"),
        side,
        limit: 20,
        cursor: None,
        collections: Default::default(),
    }
}

/// (phrase, side, expected hits as (unit number, exact, spans as text))
type Case = (&'static str, Side, &'static [(u64, bool, &'static [&'static str])]);

#[test]
fn whole_word_hits_exact_first_with_spans() {
    let (_dir, g) = glossary();
    let cases: &[Case] = &[
        (
            "hợp tác toàn diện",
            Side::Source,
            &[(1, true, &["hợp tác toàn diện"]), (6, true, &["hợp tác toàn diện"]), (2, false, &["hop tac toan dien"])],
        ),
        // Typed without marks: only the unmarked unit is exact.
        (
            "hop tac toan dien",
            Side::Source,
            &[
                (2, true, &["hop tac toan dien"]),
                (1, false, &["hợp tác toàn diện"]),
                (6, false, &["hợp tác toàn diện"]),
            ],
        ),
        // "tiếp" is a word only in unit 4 ("tiếp tục" elsewhere).
        ("tiếp", Side::Source, &[(4, true, &["tiếp"])]),
        ("tiếp tục", Side::Source, &[(1, true, &["tiếp tục"]), (3, true, &["tiếp tục"])]),
        // Tone placement and case never matter.
        ("HÒA BÌNH", Side::Source, &[(6, true, &["hoà bình"])]),
        (
            "comprehensive cooperation",
            Side::Target,
            &[
                (1, true, &["comprehensive cooperation"]),
                (2, true, &["comprehensive cooperation"]),
                (6, true, &["comprehensive cooperation"]),
            ],
        ),
        ("sides", Side::Target, &[(3, true, &["sides"])]),
        ("side", Side::Target, &[]),
        ("Đại sứ Lào", Side::Source, &[(4, true, &["Đại sứ Lào"])]),
        ("không có", Side::Source, &[]),
    ];
    let mut failures = Vec::new();
    for (phrase, side, expected) in cases {
        let page = g.tm_concordance(&query(phrase, *side)).unwrap();
        let got: Vec<(u64, bool, Vec<String>)> = page
            .hits
            .iter()
            .map(|h| {
                let text = if *side == Side::Source { &h.unit.source } else { &h.unit.target };
                let spans = h.spans.iter().map(|r| text.chars().skip(r.start).take(r.len()).collect()).collect();
                (h.unit.id, h.exact, spans)
            })
            .collect();
        let want: Vec<(u64, bool, Vec<String>)> =
            expected.iter().map(|(id, e, s)| (*id, *e, s.iter().map(|x| x.to_string()).collect())).collect();
        if got != want {
            failures.push(format!("{phrase:?}: got {got:?}, want {want:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn aligned_spans_come_from_the_glossary() {
    let (_dir, g) = glossary();
    g.create(
        ConceptDraft {
            terms: vec![
                term("vi", "hợp tác toàn diện", TermStatus::Preferred),
                term("en", "comprehensive cooperation", TermStatus::Preferred),
            ],
            ..ConceptDraft::default()
        },
        "test",
    )
    .unwrap();
    let page = g.tm_concordance(&query("hợp tác toàn diện", Side::Source)).unwrap();
    let first = &page.hits[0];
    assert_eq!(first.unit.id, 1);
    assert_eq!(first.aligned.len(), 1, "{first:?}");
    let span = &first.aligned[0].chars;
    let text: String = first.unit.target.chars().skip(span.start).take(span.len()).collect();
    assert_eq!(text, "comprehensive cooperation");
    // Without a glossary entry for the phrase there is no aligned span.
    let page = g.tm_concordance(&query("tiếp tục", Side::Source)).unwrap();
    assert!(page.hits.iter().all(|h| h.aligned.is_empty()));
}

#[test]
fn pages_follow_the_cursor_across_groups() {
    let (_dir, g) = glossary();
    let mut q = query("hợp tác toàn diện", Side::Source);
    q.limit = 1;
    let mut seen = Vec::new();
    loop {
        let page = g.tm_concordance(&q).unwrap();
        seen.extend(page.hits.iter().map(|h| (h.unit.id, h.exact)));
        match page.next_cursor {
            Some(c) => {
                let text = c.to_string();
                q.cursor = Some(text.parse().unwrap());
            }
            None => break,
        }
        assert!(seen.len() <= 3, "pagination does not end: {seen:?}");
    }
    assert_eq!(seen, vec![(1, true), (6, true), (2, false)]);
    assert!("x12".parse::<ConcordanceCursor>().is_err());
    assert!("e".parse::<ConcordanceCursor>().is_err());
}

#[test]
fn bad_queries_are_refused() {
    let (_dir, g) = glossary();
    for (phrase, limit, field) in [("  ", 5, "q"), ("hợp tác", 0, "limit"), ("hợp tác", 101, "limit")] {
        let mut q = query(phrase, Side::Source);
        q.limit = limit;
        let err = g.tm_concordance(&q).unwrap_err();
        assert!(matches!(err, Error::InvalidInput { field: ref f, .. } if f == field), "{phrase:?}: {err}");
    }
    let long = "a ".repeat(MAX_PHRASE_CHARS);
    assert!(g.tm_concordance(&query(&long, Side::Source)).is_err());
    // Punctuation alone is no word: nothing matches.
    assert_eq!(g.tm_concordance(&query(" ,. ", Side::Source)).unwrap(), ConcordancePage::default());
}

/// On random units, with replacements and removals, the index finds
/// exactly what checking every unit with `occurrences` finds, in order.
#[test]
fn index_equals_a_scan() {
    let dir = tempfile::tempdir().unwrap();
    let g = Glossary::open(dir.path(), &OpenOptions::default()).unwrap();
    let syllables = ["hợp", "hop", "tác", "tac", "toàn", "diện", "tiếp", "tục", "hai", "nước", ",", "Việt", "Nam"];
    let english = ["the", "two", "sides", "cooperation", "comprehensive", ","];
    let mut rng = Rng(7);
    let sentence = |rng: &mut Rng, words: &[&str]| {
        let n = 2 + rng.below(10);
        (0..n).map(|_| words[rng.below(words.len())]).collect::<Vec<_>>().join(" ")
    };
    let drafts: Vec<TmUnitDraft> =
        (0..300).map(|_| draft(&sentence(&mut rng, &syllables), &sentence(&mut rng, &english))).collect();
    let added = g.add_tm_units(drafts).unwrap();
    for (unit, _) in added.iter().step_by(7) {
        g.replace_tm_unit(unit.id, draft(&sentence(&mut rng, &syllables), &sentence(&mut rng, &english))).unwrap();
    }
    for (unit, _) in added.iter().skip(3).step_by(11) {
        g.delete_tm_unit(unit.id).unwrap();
    }
    let units: Vec<TmUnit> = g.tm.iter_from(None).map(|u| u.unwrap()).collect();
    let mut compared = 0;
    for (phrase, side) in [
        ("hợp tác", Side::Source),
        ("hop tac", Side::Source),
        ("toàn diện", Side::Source),
        ("tiếp", Side::Source),
        ("Việt Nam", Side::Source),
        ("hai nước hai", Side::Source),
        ("two sides", Side::Target),
        ("comprehensive", Side::Target),
    ] {
        let mut want: Vec<(u64, bool)> = units
            .iter()
            .filter_map(|u| {
                let (s, l) = if side == Side::Source { (&u.source, &u.src_lang) } else { (&u.target, &u.tgt_lang) };
                let found = occurrences(phrase, s, l);
                (!found.is_empty()).then(|| (u.id, found.iter().any(|o| o.1)))
            })
            .collect();
        want.sort_by_key(|&(id, exact)| (!exact, id));
        let mut q = query(phrase, side);
        q.limit = 7;
        let mut got = Vec::new();
        loop {
            let page = g.tm_concordance(&q).unwrap();
            got.extend(page.hits.iter().map(|h| (h.unit.id, h.exact)));
            match page.next_cursor {
                Some(c) => q.cursor = Some(c),
                None => break,
            }
        }
        assert_eq!(got, want, "{phrase:?}");
        compared += want.len();
    }
    assert!(compared > 100, "the test exercised real hits ({compared})");
}
