use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use super::*;
use crate::model::test_support::term;
use crate::model::TermStatus;

fn draft(id: Option<&str>, vi: &str, en: &str) -> ConceptDraft {
    ConceptDraft {
        id: id.map(|i| ConceptId::new(i).unwrap()),
        subject_field: Some("diplomacy".into()),
        terms: vec![term("vi", vi, TermStatus::Preferred), term("en", en, TermStatus::Preferred)],
        ..Default::default()
    }
}

fn open(dir: &Path) -> Store {
    Store::open(dir, &StoreOptions { cache_capacity: 8 * 1024 * 1024 }).unwrap()
}

fn ids(refs: &[TermRef]) -> Vec<(String, u32)> {
    refs.iter().map(|r| (r.concept.to_string(), r.term)).collect()
}

#[test]
fn create_replace_delete_keep_indexes_in_step() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let vi = Lang::new("vi").unwrap();
    let created = store.create_many(vec![draft(None, "Hòa bình", "peace")], false).unwrap();
    let id = created[0].id.clone();
    assert_eq!(store.concept_count().unwrap(), 1);
    assert_eq!(ids(&store.find_by_key(KeyKind::Folded, "hoa binh", Some(&vi)).unwrap()), vec![(id.to_string(), 0)]);
    assert_eq!(ids(&store.find_by_key(KeyKind::Normalized, "hòa bình", None).unwrap()), vec![(id.to_string(), 0)]);
    assert!(store.find_by_key(KeyKind::Folded, "hoa binh", Some(&Lang::new("en").unwrap())).unwrap().is_empty());

    let replaced = store.replace(&id, draft(None, "hữu nghị", "friendship"), Some(1)).unwrap();
    assert_eq!(replaced.version, 2);
    assert_eq!(replaced.created, created[0].created);
    assert!(store.find_by_key(KeyKind::Folded, "hoa binh", None).unwrap().is_empty(), "old keys removed");
    assert_eq!(store.find_by_key(KeyKind::Folded, "huu nghi", None).unwrap().len(), 1);

    let err = store.replace(&id, draft(None, "x", "y"), Some(1)).unwrap_err();
    assert!(matches!(err, Error::VersionConflict { expected: 1, actual: 2, .. }), "{err}");
    let err = store.delete(&id, Some(7)).unwrap_err();
    assert!(matches!(err, Error::VersionConflict { .. }), "{err}");
    assert!(store.get(&id).unwrap().is_some(), "a failed delete changes nothing");

    store.delete(&id, Some(2)).unwrap();
    assert_eq!(store.concept_count().unwrap(), 0);
    assert!(store.get(&id).unwrap().is_none());
    assert!(store.find_by_key(KeyKind::Folded, "huu nghi", None).unwrap().is_empty());
    assert!(matches!(store.delete(&id, None).unwrap_err(), Error::NotFound { .. }));
}

#[test]
fn ids_are_unique_and_user_ids_respected() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    store.create_many(vec![draft(Some("c2"), "a", "a")], false).unwrap();
    let err = store.create_many(vec![draft(Some("c2"), "b", "b")], false).unwrap_err();
    assert!(matches!(err, Error::AlreadyExists { .. }));
    // A batch that fails half-way stores nothing.
    let err =
        store.create_many(vec![draft(Some("fresh"), "c", "c"), draft(Some("fresh"), "d", "d")], false).unwrap_err();
    assert!(matches!(err, Error::AlreadyExists { .. }));
    assert!(store.get(&ConceptId::new("fresh").unwrap()).unwrap().is_none());
    assert_eq!(store.concept_count().unwrap(), 1);
    let many = store.create_many((0..20).map(|i| draft(None, &format!("t{i}"), "x")).collect(), false).unwrap();
    let mut seen: Vec<_> = many.iter().map(|c| c.id.clone()).collect();
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 20);
    assert!(!seen.contains(&ConceptId::new("c2").unwrap()));
    assert_eq!(store.iter_from(None).count(), 21);
    let after = store.iter_from(Some(&ConceptId::new("c2").unwrap())).map(|c| c.unwrap().id).collect::<Vec<_>>();
    assert!(after.iter().all(|id| id.as_str() > "c2"));
}

#[test]
fn data_survives_reopen_and_schema_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = open(dir.path());
        store.create_many(vec![draft(Some("keep"), "thăm cấp Nhà nước", "state visit")], true).unwrap();
    }
    let store = open(dir.path());
    assert_eq!(store.get(&ConceptId::new("keep").unwrap()).unwrap().unwrap().terms[1].text, "state visit");
    assert!(store.seeded_at().unwrap().is_some());
    store.meta.insert(META_SCHEMA, &99u32.to_be_bytes()).unwrap();
    store.flush().unwrap();
    drop(store);
    let err = Store::open(dir.path(), &StoreOptions::default()).err().expect("newer schema refused");
    assert!(matches!(err, Error::Corrupt(ref m) if m.contains("schema version 99")), "{err}");
}

const CHILD_ENV: &str = "GLOSSARY_DURABILITY_DIR";

/// Not a test on its own: the writer process of the SIGKILL test. It creates
/// concepts from two threads as fast as it can and prints `ACK <id>` after
/// each create returned `Ok`, until it is killed.
#[test]
#[ignore = "helper process for sigkill_loses_no_acknowledged_write"]
fn durability_child() {
    let Ok(dir) = std::env::var(CHILD_ENV) else { return };
    let store = open(Path::new(&dir));
    let threads: Vec<_> = (0..2)
        .map(|t| {
            let store = store.clone();
            std::thread::spawn(move || {
                for n in 0.. {
                    let id = format!("t{t}n{n}");
                    let d = draft(Some(&id), &format!("hợp tác {id}"), &format!("cooperation {id}"));
                    store.create_many(vec![d], false).unwrap();
                    // One write(2) per line so lines never interleave.
                    let line = format!("ACK {id}\n");
                    use std::io::Write;
                    std::io::stdout().lock().write_all(line.as_bytes()).unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
}

#[test]
fn sigkill_loses_no_acknowledged_write() {
    let rounds: u64 = std::env::var("DURABILITY_ROUNDS").ok().and_then(|s| s.parse().ok()).unwrap_or(8);
    for round in 0..rounds {
        let dir = tempfile::tempdir().unwrap();
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "store::tests::durability_child", "--ignored", "--nocapture", "--test-threads=1"])
            .env(CHILD_ENV, dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        // Kill after a different number of acknowledgements each round, so
        // the kill lands at different points of the write path.
        let kill_after = 10 + (round * 37) % 90;
        let mut acked = Vec::new();
        for line in lines.by_ref() {
            let line = line.unwrap();
            if let Some(id) = line.strip_prefix("ACK ") {
                acked.push(id.to_string());
                if acked.len() as u64 == kill_after {
                    break;
                }
            }
        }
        child.kill().unwrap(); // SIGKILL on Unix
                               // Lines the child printed before it died were acknowledged too.
        for line in lines {
            if let Some(id) = line.unwrap().strip_prefix("ACK ") {
                acked.push(id.to_string());
            }
        }
        child.wait().unwrap();
        assert!(acked.len() as u64 >= kill_after, "round {round}: child died early after {} acks", acked.len());

        let store = open(dir.path());
        for id in &acked {
            let c = store
                .get(&ConceptId::new(id).unwrap())
                .unwrap()
                .unwrap_or_else(|| panic!("round {round}: acknowledged concept {id} lost"));
            assert_eq!(c.terms[1].text, format!("cooperation {id}"));
            let key = text::folded_key(&format!("hợp tác {id}"));
            assert_eq!(store.find_by_key(KeyKind::Folded, &key, None).unwrap().len(), 1, "index entry of {id}");
        }
        let stored = store.iter_from(None).count() as u64;
        assert!(stored >= acked.len() as u64);
        assert_eq!(store.concept_count().unwrap(), stored, "round {round}: counter matches contents");
    }
}

#[test]
fn ids_stay_small_and_sequential_across_restarts() {
    use crate::mining::{Document, MiningOptions};
    use crate::tm::{Provenance, TmUnitDraft};
    let dir = tempfile::tempdir().unwrap();
    let unit = |s: &str| TmUnitDraft {
        src_lang: Lang::new("vi").unwrap(),
        tgt_lang: Lang::new("en").unwrap(),
        source: s.into(),
        target: format!("{s} (en)"),
        provenance: Provenance::default(),
        note: None,
        created_by: None,
    };
    let docs = [Document { id: None, title: None, text: "Hai bên nhất trí tăng cường hợp tác.".into() }];
    // (concept ids, tm unit ids, run id) after each of three opens.
    let mut seen = Vec::new();
    for round in 0..3 {
        let g = crate::Glossary::open(dir.path(), &crate::OpenOptions::default()).unwrap();
        let concepts = g
            .store
            .create_many(vec![draft(None, &format!("a{round}"), "x"), draft(None, &format!("b{round}"), "y")], false)
            .unwrap();
        // The second unit repeats the first: merged, so it takes no number.
        let units = g.add_tm_units(vec![unit(&format!("u{round}")), unit(&format!("u{round}"))]).unwrap();
        let run = g.create_mining_run(&docs, &MiningOptions::default()).unwrap();
        seen.push((
            concepts.iter().map(|c| c.id.to_string()).collect::<Vec<_>>(),
            units.iter().map(|(u, _)| u.id).collect::<Vec<_>>(),
            run.id,
        ));
    }
    let expected: Vec<(Vec<String>, Vec<u64>, u64)> = (0..3u64)
        .map(|r| (vec![format!("c{}", 2 * r + 1), format!("c{}", 2 * r + 2)], vec![r + 1, r + 1], r + 1))
        .collect();
    assert_eq!(seen, expected);
}

#[test]
fn a_store_without_counters_continues_after_its_largest_ids() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = open(dir.path());
        // Ids issued by the old scheme (sled's generate_id jumped on restart).
        store.create_many(vec![draft(Some("c2000001"), "a", "a"), draft(Some("c17"), "b", "b")], false).unwrap();
        let runs = store.db.open_tree(crate::mining::queue::RUNS).unwrap();
        runs.insert(2_000_004u64.to_be_bytes(), b"{}".as_slice()).unwrap();
        for kind in IdKind::ALL {
            store.meta.remove(kind.counter_key()).unwrap();
        }
        store.flush().unwrap();
    }
    let store = open(dir.path());
    let next = store.create_many(vec![draft(None, "c", "c")], false).unwrap();
    assert_eq!(next[0].id.as_str(), "c2000002");
    assert_eq!(store.get(&ConceptId::new("c2000001").unwrap()).unwrap().unwrap().terms[0].text, "a");
    let run = store.meta.transaction(|m| next_id(m, IdKind::MiningRun)).unwrap();
    assert_eq!(run, 2_000_005);
    let unit = store.meta.transaction(|m| next_id(m, IdKind::TmUnit)).unwrap();
    assert_eq!(unit, 1);
}
