//! The persisted index snapshot: load plus replay gives the index a full
//! rebuild gives, and every unusable snapshot falls back to a rebuild.

use std::path::Path;

use super::snapshot;
use super::{CandidateIndex, IndexedTerm};
use crate::collections::{CollectionFilter, CollectionSelection};
use crate::engine::IndexStart;
use crate::model::test_support::{term, Rng};
use crate::model::{Collection, ConceptDraft, ConceptId, Lang, TermStatus};
use crate::{Glossary, LookupQuery, OpenOptions};

const SYLLABLES: &[&str] =
    &["hòa", "bình", "quan", "hệ", "ngoại", "giao", "hiệp", "định", "đối", "tác", "chiến", "lược", "Việt", "Nam"];
const WORDS: &[&str] = &["peace", "relations", "foreign", "affairs", "agreement", "partner", "strategic", "Viet Nam"];

fn open(dir: &Path) -> (Glossary, IndexStart) {
    Glossary::open_reporting(dir, &OpenOptions::default()).unwrap()
}

fn phrase(rng: &mut Rng, words: &[&str]) -> String {
    let n = 1 + rng.below(3);
    (0..n).map(|_| words[rng.below(words.len())]).collect::<Vec<_>>().join(" ")
}

/// Collections drafts are put in (`None`: the default one).
const COLLECTIONS: &[Option<&str>] = &[None, Some("mofa"), Some("press")];

/// A valid draft: one Vietnamese term and up to two distinct English ones
/// (one preferred at most per language), in a random collection.
fn random_draft(rng: &mut Rng) -> ConceptDraft {
    let others = [TermStatus::Admitted, TermStatus::Deprecated, TermStatus::Superseded];
    let mut terms = vec![term("vi", &phrase(rng, SYLLABLES), TermStatus::Preferred)];
    let mut texts: Vec<String> = Vec::new();
    for _ in 0..rng.below(3) {
        let text = phrase(rng, WORDS);
        if texts.iter().any(|t| t.to_lowercase() == text.to_lowercase()) {
            continue;
        }
        let status = if texts.is_empty() { TermStatus::Preferred } else { others[rng.below(3)] };
        terms.push(term("en", &text, status));
        texts.push(text);
    }
    let collection = COLLECTIONS[rng.below(COLLECTIONS.len())].map(|c| Collection::new(c).unwrap());
    ConceptDraft { terms, collection, ..Default::default() }
}

/// Everything the in-memory indexes answer for a set of queries: lookups
/// (of every collection and of some), exact/fuzzy/containing candidates
/// (unfiltered and filtered), recognition and the collection counts.
fn assert_same(a: &[String], b: &[String], what: &str) {
    assert_eq!(a.len(), b.len(), "{what}");
    for (x, y) in a.iter().zip(b) {
        assert_eq!(x, y, "{what}");
    }
}

fn observe(g: &Glossary, queries: &[String]) -> Vec<String> {
    let vi = Lang::new("vi").unwrap();
    let mut out = vec![format!("terms {}", g.indexes.read_index().len())];
    out.push(format!("collections {:?}", g.collections()));
    let some = CollectionSelection::parse(Some("mofa,press")).unwrap();
    let mofa = CollectionSelection::parse(Some("mofa")).unwrap();
    let sorted = |v: Vec<IndexedTerm>| {
        let mut v: Vec<String> = v.into_iter().map(|t| format!("{t:?}")).collect();
        v.sort();
        v
    };
    for q in queries {
        for sel in [CollectionSelection::all(), some.clone(), mofa.clone()] {
            let query = LookupQuery { text: q.clone(), src: vi.clone(), tgt: None, limit: 10, collections: sel };
            let hits = g.lookup(&query).unwrap();
            out.push(format!("{q} lookup {:?} {hits:?}", query.collections));
        }
        let fold = crate::text::folded_key(q);
        let index = g.indexes.read_index();
        out.push(format!("{q} same {:?}", sorted(index.same_fold(&fold, None))));
        out.push(format!("{q} fuzzy {:?}", sorted(index.fuzzy_candidates(&fold, &vi, 50))));
        out.push(format!(
            "{q} containing {:?}",
            sorted(index.containing(&fold, None, usize::MAX, &CollectionFilter::all()))
        ));
        let keep = mofa.filter();
        out.push(format!("{q} fuzzy mofa {:?}", sorted(index.fuzzy_candidates_in(&fold, &vi, 5, &keep))));
        out.push(format!("{q} containing mofa {:?}", index.containing(&fold, None, 3, &keep)));
        drop(index);
        // The concepts sharing one occurrence come in insertion order,
        // which is not part of the contract: compare them as a set.
        let mut found = g.find_terms(&format!("Về {q} và quan hệ."), &vi);
        for o in &mut found {
            o.terms.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()).then(a.1.cmp(&b.1)));
        }
        out.push(format!("{q} find {found:?}"));
    }
    out
}

/// Opens the glossary of `dir` from scratch (snapshot removed) and
/// observes it.
fn observe_rebuilt(dir: &Path, queries: &[String]) -> Vec<String> {
    let _ = std::fs::remove_file(snapshot::path_in(dir));
    let (g, start) = open(dir);
    assert!(matches!(start, IndexStart::Rebuilt(_)), "{start:?}");
    observe(&g, queries)
}

fn queries(rng: &mut Rng) -> Vec<String> {
    let mut q: Vec<String> = (0..30).map(|_| phrase(rng, SYLLABLES)).collect();
    // Typos: one letter dropped.
    for _ in 0..10 {
        let mut s: Vec<char> = phrase(rng, SYLLABLES).chars().collect();
        if s.len() > 3 {
            s.remove(rng.below(s.len()));
        }
        q.push(s.into_iter().collect());
    }
    q
}

/// Random creates, updates and deletes; a snapshot part-way; more writes;
/// a stop without snapshot (as after kill -9). Loading the snapshot and
/// replaying answers every query as a full rebuild does.
#[test]
fn snapshot_plus_replay_equals_rebuild_on_random_data() {
    for seed in [7u64, 1234, 99_991] {
        let dir = tempfile::tempdir().unwrap();
        let mut rng = Rng(seed);
        let qs = queries(&mut rng);
        let expected_replay;
        {
            let (g, start) = open(dir.path());
            assert_eq!(start, IndexStart::Rebuilt("no index snapshot".into()));
            let mut ids: Vec<ConceptId> = Vec::new();
            for round in 0..2 {
                for _ in 0..60 {
                    match rng.below(5) {
                        0..=2 => ids.push(g.create(random_draft(&mut rng), "test").unwrap().id),
                        3 if !ids.is_empty() => {
                            let id = ids[rng.below(ids.len())].clone();
                            g.replace(&id, random_draft(&mut rng), None, "test").unwrap();
                        }
                        _ if !ids.is_empty() => {
                            let id = ids.swap_remove(rng.below(ids.len()));
                            g.delete(&id, None, "test").unwrap();
                        }
                        _ => {}
                    }
                }
                if round == 0 {
                    assert!(g.save_index_snapshot().unwrap().is_some());
                }
            }
            expected_replay = g.writes_since_snapshot().unwrap();
            assert!(expected_replay > 0);
            // Dropped without flush: the snapshot is stale.
        }
        let (g, start) = open(dir.path());
        let IndexStart::Snapshot { replayed, .. } = start else { panic!("snapshot not used: {start:?}") };
        assert!(replayed > 0 && replayed as u64 <= expected_replay, "{replayed} of {expected_replay}");
        let loaded = observe(&g, &qs);
        drop(g);
        assert_same(&loaded, &observe_rebuilt(dir.path(), &qs), "rebuilt");
    }
}

/// Builds a glossary with a few concepts and a current snapshot (flush),
/// returning the queries to compare with.
fn with_snapshot(dir: &Path) -> Vec<String> {
    let (g, _) = open(dir);
    let mut rng = Rng(42);
    for _ in 0..40 {
        g.create(random_draft(&mut rng), "test").unwrap();
    }
    g.flush().unwrap();
    assert!(snapshot::path_in(dir).exists());
    queries(&mut rng)
}

#[test]
fn a_current_snapshot_loads_with_nothing_to_replay() {
    let dir = tempfile::tempdir().unwrap();
    let qs = with_snapshot(dir.path());
    let (g, start) = open(dir.path());
    assert!(matches!(start, IndexStart::Snapshot { replayed: 0, .. }), "{start:?}");
    let loaded = observe(&g, &qs);
    drop(g);
    assert_same(&loaded, &observe_rebuilt(dir.path(), &qs), "rebuilt");
}

/// Without the file the index is rebuilt, and answers as the snapshot did.
#[test]
fn a_missing_snapshot_rebuilds() {
    let dir = tempfile::tempdir().unwrap();
    let qs = with_snapshot(dir.path());
    let (g, start) = open(dir.path());
    assert!(matches!(start, IndexStart::Snapshot { .. }), "{start:?}");
    let loaded = observe(&g, &qs);
    drop(g);
    std::fs::remove_file(snapshot::path_in(dir.path())).unwrap();
    let (g, start) = open(dir.path());
    assert_eq!(start, IndexStart::Rebuilt("no index snapshot".into()));
    assert_same(&observe(&g, &qs), &loaded, "rebuilt");
}

/// A torn file (cut short) and a file with one byte changed fail the
/// checksum and are ignored; the index is rebuilt and complete.
#[test]
fn a_corrupt_snapshot_is_ignored() {
    for damage in ["truncate", "flip"] {
        let dir = tempfile::tempdir().unwrap();
        let qs = with_snapshot(dir.path());
        let path = snapshot::path_in(dir.path());
        let mut bytes = std::fs::read(&path).unwrap();
        match damage {
            "truncate" => bytes.truncate(bytes.len() * 2 / 3),
            _ => {
                let at = bytes.len() / 2;
                bytes[at] ^= 0x20;
            }
        }
        std::fs::write(&path, &bytes).unwrap();
        let (g, start) = open(dir.path());
        let IndexStart::Rebuilt(why) = start else { panic!("a {damage}d snapshot was used") };
        assert!(why.contains("checksum"), "{damage}: {why}");
        let rebuilt = observe(&g, &qs);
        drop(g);
        assert_same(&rebuilt, &observe_rebuilt(dir.path(), &qs), "rebuilt");
    }
}

/// A snapshot older than the change log reaches (the log was trimmed by a
/// later snapshot) cannot be caught up: the index is rebuilt, and holds
/// the writes made after the old snapshot.
#[test]
fn a_snapshot_older_than_the_change_log_rebuilds() {
    let dir = tempfile::tempdir().unwrap();
    let qs = with_snapshot(dir.path());
    let old = std::fs::read(snapshot::path_in(dir.path())).unwrap();
    let created = {
        let (g, _) = open(dir.path());
        let c = g
            .create(
                ConceptDraft {
                    terms: vec![term("vi", "thông cáo báo chí", TermStatus::Preferred)],
                    ..Default::default()
                },
                "t",
            )
            .unwrap();
        g.flush().unwrap();
        c
    };
    std::fs::write(snapshot::path_in(dir.path()), &old).unwrap();
    let (g, start) = open(dir.path());
    let IndexStart::Rebuilt(why) = start else { panic!("an old snapshot was used") };
    assert!(why.contains("change log"), "{why}");
    let fold = crate::text::folded_key("thông cáo báo chí");
    assert_eq!(g.indexes.read_index().same_fold(&fold, None)[0].concept, created.id);
    let rebuilt = observe(&g, &qs);
    drop(g);
    assert_same(&rebuilt, &observe_rebuilt(dir.path(), &qs), "rebuilt");
}

/// The file round-trips the index and the collections: the decoded index
/// answers as the encoded one, keeps taking updates, and a file of
/// another format version is refused.
#[test]
fn encode_decode_round_trip_and_version_check() {
    use super::TrigramIndex;
    use crate::collections::ConceptCollections;
    use crate::model::{Collection, Concept, Timestamp};
    let concept = |id: &str, terms: Vec<crate::model::Term>, collection: &Collection| Concept {
        id: ConceptId::new(id).unwrap(),
        subject_field: None,
        definition: None,
        note: None,
        source: None,
        terms,
        collection: collection.clone(),
        created: Timestamp(0),
        updated: Timestamp(0),
        version: 1,
    };
    // Interned in the opposite order of their names, so the file's
    // numbers (names sorted) differ from this process's ids.
    let (zz, aa) = (Collection::new("zz-round-trip").unwrap(), Collection::new("aa-round-trip").unwrap());
    let (zz_id, aa_id) = (crate::collections::intern(&zz), crate::collections::intern(&aa));
    assert!(zz_id < aa_id);
    let default = Collection::default();
    let mut index = TrigramIndex::new();
    let mut collections = ConceptCollections::default();
    let mut rng = Rng(5);
    for i in 0..200 {
        let name = [&zz, &aa, &default][i % 3];
        let c = concept(&format!("c{i}"), random_draft(&mut rng).terms, name);
        index.upsert(&c);
        collections.upsert(&c.id, name);
    }
    for i in (0..200).step_by(7) {
        index.remove(&ConceptId::new(&format!("c{i}")).unwrap());
    }
    let bytes = snapshot::encode(17, &index, &collections);
    let decoded = snapshot::decode(&bytes).unwrap();
    assert_eq!(decoded.position, 17);
    let counts = |c: &ConceptCollections| c.ids().counts().map(|(n, k)| (n.clone(), k)).collect::<Vec<_>>();
    assert_eq!(counts(&decoded.collections), counts(&collections));
    for i in 0..200 {
        let id = ConceptId::new(&format!("c{i}")).unwrap();
        assert_eq!(decoded.collections.of(&id), collections.of(&id));
    }
    // Re-encoding the decoded index gives the same bytes.
    assert_eq!(snapshot::encode(17, &decoded.index, &decoded.collections), bytes);
    let mut loaded = decoded.index;
    let vi = Lang::new("vi").unwrap();
    let answers = |ix: &TrigramIndex, rng: &mut Rng| -> Vec<String> {
        queries(rng)
            .iter()
            .map(|q| {
                let f = crate::text::folded_key(q);
                let only_aa = CollectionSelection::only(vec![aa.clone()]).filter();
                format!(
                    "{:?} {:?} {:?} {:?} {:?}",
                    ix.same_fold(&f, None),
                    ix.fuzzy_candidates(&f, &vi, 20),
                    ix.containing(&f, Some(&vi), 7, &CollectionFilter::all()),
                    ix.fuzzy_candidates_in(&f, &vi, 5, &only_aa),
                    ix.containing(&f, Some(&vi), 3, &only_aa),
                )
            })
            .collect()
    };
    assert_same(&answers(&loaded, &mut Rng(8)), &answers(&index, &mut Rng(8)), "decoded");
    let extra = concept("c3", vec![term("vi", "hiệp định thương mại", TermStatus::Preferred)], &aa);
    loaded.upsert(&extra);
    index.upsert(&extra);
    let found = loaded.same_fold("hiep dinh thuong mai", None);
    assert_eq!((found[0].concept.as_str(), found[0].collection), ("c3", aa_id));
    // Terms carry this process's id of their collection's name.
    let terms: Vec<IndexedTerm> = ["hoa", "binh", "quan", "giao", "tac", "peace"]
        .iter()
        .flat_map(|w| loaded.containing(w, None, usize::MAX, &CollectionFilter::all()))
        .collect();
    assert!(terms.len() > 20);
    let ids = [zz_id, aa_id, crate::collections::intern(&default)];
    for t in terms.iter().filter(|t| t.concept.as_str() != "c3") {
        assert_eq!(t.collection, ids[t.concept.as_str()[1..].parse::<usize>().unwrap() % 3], "{t:?}");
    }
    assert_same(&answers(&loaded, &mut Rng(9)), &answers(&index, &mut Rng(9)), "updated");

    let mut other = bytes[..bytes.len() - 4].to_vec();
    other[8] = 9;
    let crc = crc32fast::hash(&other);
    other.extend_from_slice(&crc.to_le_bytes());
    let err = match snapshot::decode(&other) {
        Err(e) => e.to_string(),
        Ok(_) => panic!("a snapshot of format version 9 was decoded"),
    };
    assert!(err.contains("format version 9"), "{err}");
}

/// After a snapshot start, the collection counts (GET /api/v1/collections)
/// and collection-filtered lookups are a cold start's, and are not vacuous:
/// several collections hold concepts and a filtered lookup finds some.
#[test]
fn a_snapshot_start_keeps_collections_as_a_cold_start() {
    let dir = tempfile::tempdir().unwrap();
    let qs = with_snapshot(dir.path());
    let (g, start) = open(dir.path());
    assert!(matches!(start, IndexStart::Snapshot { replayed: 0, .. }), "{start:?}");
    let counts = g.collections();
    let named: Vec<&str> = counts.iter().filter(|c| c.concepts > 0).map(|c| c.name.as_str()).collect();
    assert_eq!(named, ["default", "mofa", "press"]);
    assert_eq!(counts.iter().map(|c| c.concepts).sum::<u64>(), 40);
    let vi = Lang::new("vi").unwrap();
    let mofa = CollectionSelection::parse(Some("mofa")).unwrap();
    let mut found = 0;
    for q in &qs {
        let query = LookupQuery { text: q.clone(), src: vi.clone(), tgt: None, limit: 10, collections: mofa.clone() };
        for hit in g.lookup(&query).unwrap() {
            assert_eq!(g.get(&hit.concept).unwrap().collection.as_str(), "mofa");
            found += 1;
        }
    }
    assert!(found > 0);
    let loaded = observe(&g, &qs);
    drop(g);
    assert_same(&loaded, &observe_rebuilt(dir.path(), &qs), "rebuilt");
}
