//! Guard rails: long and pathological queries are rejected with a clear
//! error or answered; none may hang. (No timing asserts: the bounds are
//! structural, see README "Performance"; these tests check that such
//! queries complete and give the documented answer.)

use crate::error::Error;
use crate::lookup::{LookupQuery, MAX_QUERY_CHARS};
use crate::model::test_support::term;
use crate::model::{ConceptDraft, Lang, TermStatus};
use crate::tm::{TmQuery, TmUnitDraft, MAX_QUERY_CHARS as MAX_TM_QUERY_CHARS};
use crate::{Glossary, OpenOptions};

fn lang(tag: &str) -> Lang {
    Lang::new(tag).unwrap()
}

fn glossary() -> (tempfile::TempDir, Glossary) {
    let dir = tempfile::tempdir().unwrap();
    let g = Glossary::open(dir.path(), &OpenOptions::default()).unwrap();
    for (i, text) in ["hợp tác toàn diện", "đối tác chiến lược", "hữu nghị vĩ đại", "a a a"].iter().enumerate()
    {
        g.create(
            ConceptDraft {
                terms: vec![
                    term("vi", text, TermStatus::Preferred),
                    term("en", &format!("term {i}"), TermStatus::Preferred),
                ],
                ..Default::default()
            },
            "test",
        )
        .unwrap();
    }
    g.add_tm_units(vec![TmUnitDraft {
        src_lang: lang("vi"),
        tgt_lang: lang("en"),
        source: "Hai bên nhất trí thúc đẩy hợp tác toàn diện.".into(),
        target: "The two sides agreed to promote comprehensive cooperation.".into(),
        provenance: Default::default(),
        note: None,
        created_by: None,
        collection: None,
    }])
    .unwrap();
    (dir, g)
}

fn lookup(g: &Glossary, text: &str) -> crate::Result<Vec<crate::LookupHit>> {
    g.lookup(&LookupQuery {
        text: text.into(),
        src: lang("vi"),
        tgt: Some(lang("en")),
        limit: 5,
        collections: Default::default(),
    })
}

fn tm(g: &Glossary, text: &str) -> crate::Result<Vec<crate::tm::TmMatch>> {
    g.tm_matches(&TmQuery {
        text: text.into(),
        src: lang("vi"),
        tgt: lang("en"),
        threshold: 70.0,
        limit: 5,
        collections: Default::default(),
        collection_penalty: 1.0,
    })
}

#[test]
fn overlong_queries_are_rejected_with_the_limit_in_the_message() {
    let (_dir, g) = glossary();
    let long = "hợp tác ".repeat(1250); // 10,000 characters
    match lookup(&g, &long) {
        Err(Error::InvalidInput { field, reason: message }) => {
            assert_eq!(field, "q");
            assert!(message.contains(&MAX_QUERY_CHARS.to_string()), "{message}");
        }
        other => panic!("expected a rejection, got {other:?}"),
    }
    match tm(&g, &long) {
        Err(Error::InvalidInput { field, reason: message }) => {
            assert_eq!(field, "text");
            assert!(message.contains(&MAX_TM_QUERY_CHARS.to_string()), "{message}");
        }
        other => panic!("expected a rejection, got {other:?}"),
    }
}

#[test]
fn pathological_queries_within_the_limits_complete() {
    let (_dir, g) = glossary();
    // One syllable repeated up to the limit: few distinct trigrams, a
    // huge edit-distance-1 neighbourhood if it were not capped.
    let repeated = "a ".repeat(MAX_QUERY_CHARS / 2).trim_end().to_string();
    assert!(repeated.chars().count() <= MAX_QUERY_CHARS);
    let hits = lookup(&g, &repeated).unwrap();
    assert!(hits.iter().all(|h| h.score < 0.5), "only partial matches: {hits:?}");
    // Many distinct trigrams (each a rare one): the count filter's budget caps the work.
    let letters: String = (0..MAX_QUERY_CHARS).map(|i| char::from(b'a' + (i * 7 % 26) as u8)).collect();
    assert!(lookup(&g, &letters).unwrap().is_empty());
    // A repeated syllable just under the TM limit: (word, occurrence)
    // elements make its prefix lists the empty ones.
    let syllable = "tác ".repeat(MAX_TM_QUERY_CHARS / 4).trim_end().to_string();
    assert!(tm(&g, &syllable).unwrap().is_empty());
    // And the normal queries still work after those.
    assert_eq!(lookup(&g, "hop tac toan dien").unwrap()[0].term.text, "hợp tác toàn diện");
    assert_eq!(tm(&g, "Hai bên nhất trí thúc đẩy hợp tác toàn diện").unwrap().len(), 1);
}

#[test]
fn recognition_of_a_long_repetitive_sentence_completes() {
    let (_dir, g) = glossary();
    let sentence = "hợp tác toàn diện ".repeat(100);
    let found = g.find_terms(&sentence, &lang("vi"));
    assert_eq!(found.len(), 100);
    assert!(found.iter().all(|o| o.tokens.len() == 4));
}
