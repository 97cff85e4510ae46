//! Store tests. The contract tests ([`contract_suite`]) take a function
//! making a fresh, empty [`Store`], so every backend runs the same ones;
//! the tests after them are about the embedded (sled) store's files.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use super::*;
use crate::history::ChangeAction;
use crate::model::test_support::term;
use crate::model::{ConceptDraft, Lang, TermStatus};
use crate::tm::{Provenance, TmUnitDraft};

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

fn unit(s: &str) -> TmUnitDraft {
    TmUnitDraft {
        src_lang: Lang::new("vi").unwrap(),
        tgt_lang: Lang::new("en").unwrap(),
        source: s.into(),
        target: format!("{s} (en)"),
        provenance: Provenance::default(),
        note: None,
        created_by: None,
        collection: None,
    }
}

/// Every store contract test, each on a fresh store from `make`. A backend
/// passes by running this with its own maker (the sled one is
/// [`sled_contract`] below).
pub(crate) fn contract_suite(make: impl Fn() -> Store) {
    type Contract = fn(&dyn Fn() -> Store);
    let tests: [(&str, Contract); 9] = [
        ("primitives", contract_primitives),
        ("transactions", contract_transactions),
        ("concept_writes", contract_concept_writes),
        ("ids", contract_ids),
        ("history", contract_history),
        ("restore_deleted", contract_restore_deleted),
        ("corrupt_counters", contract_corrupt_counters),
        ("snapshot_round_trip", contract_snapshot_round_trip),
        ("change_log", contract_change_log),
    ];
    for (name, test) in tests {
        eprintln!("store contract: {name}");
        test(&make);
    }
}

fn put(store: &Store, tree: Tree, k: &[u8], v: &[u8]) {
    store.transact(&[tree], |txn| txn.insert(tree, k, v)).unwrap();
}

/// Scan, last, len and visit_all semantics.
fn contract_primitives(make: &dyn Fn() -> Store) {
    let store = make();
    let b = store.backend();
    assert_eq!(b.last(Tree::Jobs).unwrap(), None);
    for k in [&b"a"[..], b"ab", b"abc", b"ab\xff", b"b", b"\x00"] {
        put(&store, Tree::Jobs, k, k);
    }
    let keys = |prefix: &[u8], after: Option<&[u8]>, limit| -> Vec<Vec<u8>> {
        b.scan(Tree::Jobs, prefix, after, limit)
            .unwrap()
            .into_iter()
            .map(|(k, v)| {
                assert_eq!(k, v);
                k
            })
            .collect()
    };
    /// (prefix, after, limit, expected keys).
    type Case<'a> = (&'a [u8], Option<&'a [u8]>, usize, Vec<&'a [u8]>);
    let cases: [Case; 7] = [
        (b"", None, 100, vec![b"\x00", b"a", b"ab", b"abc", b"ab\xff", b"b"]),
        (b"ab", None, 100, vec![b"ab", b"abc", b"ab\xff"]),
        (b"ab", Some(b"ab"), 100, vec![b"abc", b"ab\xff"]),
        (b"ab", Some(b"a"), 2, vec![b"ab", b"abc"]),
        (b"", Some(b"abc"), 100, vec![b"ab\xff", b"b"]),
        (b"c", None, 100, vec![]),
        (b"", None, 0, vec![]),
    ];
    for (prefix, after, limit, expected) in cases {
        let expected: Vec<Vec<u8>> = expected.into_iter().map(<[u8]>::to_vec).collect();
        assert_eq!(keys(prefix, after, limit), expected, "scan {prefix:?} after {after:?} limit {limit}");
    }
    assert_eq!(b.last(Tree::Jobs).unwrap().unwrap().0, b"b");
    assert_eq!(b.len(Tree::Jobs).unwrap(), 6);
    assert_eq!(b.len(Tree::TmPairs).unwrap(), 0);
    put(&store, Tree::History, b"h", b"1");
    let mut seen = Vec::new();
    b.visit_all(&mut |t, k, _| {
        seen.push((t, k.to_vec()));
        Ok(())
    })
    .unwrap();
    let trees: Vec<Tree> = seen.iter().map(|(t, _)| *t).collect();
    let mut sorted = trees.clone();
    sorted.sort();
    assert_eq!(trees, sorted, "trees in Tree::ALL order");
    let jobs: Vec<&[u8]> = seen.iter().filter(|(t, _)| *t == Tree::Jobs).map(|(_, k)| k.as_slice()).collect();
    assert_eq!(jobs, [&b"\x00"[..], b"a", b"ab", b"abc", b"ab\xff", b"b"]);
    assert!(seen.contains(&(Tree::History, b"h".to_vec())));
    let codes: Vec<i16> = Tree::ALL.iter().map(|t| t.code()).collect();
    assert_eq!(codes, (0..10).collect::<Vec<i16>>());
}

/// Aborts roll back; reads see the transaction's own writes.
fn contract_transactions(make: &dyn Fn() -> Store) {
    let store = make();
    let err = store
        .transact(&[Tree::Jobs, Tree::TmPairs], |txn| {
            txn.insert(Tree::Jobs, b"x", b"1")?;
            assert_eq!(txn.get(Tree::Jobs, b"x")?, Some(b"1".to_vec()), "own write visible");
            txn.insert(Tree::TmPairs, b"y", b"2")?;
            Err::<(), _>(TxError::Abort(Error::invalid("test", "abort")))
        })
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput { .. }), "{err}");
    assert_eq!(store.backend().get(Tree::Jobs, b"x").unwrap(), None, "aborted write rolled back");
    assert_eq!(store.backend().get(Tree::TmPairs, b"y").unwrap(), None, "in every tree");
    let old = store
        .transact(&[Tree::Jobs], |txn| {
            txn.insert(Tree::Jobs, b"x", b"1")?;
            txn.remove(Tree::Jobs, b"x")
        })
        .unwrap();
    assert_eq!(old, Some(b"1".to_vec()));
    assert_eq!(store.backend().len(Tree::Jobs).unwrap(), 0);
}

fn contract_concept_writes(make: &dyn Fn() -> Store) {
    let store = make();
    let created = store.create_many(vec![draft(None, "Hòa bình", "peace")], false, "ann").unwrap();
    let id = created[0].id.clone();
    assert_eq!(store.concept_count().unwrap(), 1);
    let replaced = store.replace(&id, draft(None, "hữu nghị", "friendship"), Some(1), "bob").unwrap();
    assert_eq!(replaced.version, 2);
    assert_eq!(replaced.created, created[0].created);
    assert_eq!(store.get(&id).unwrap().unwrap(), replaced);

    let err = store.replace(&id, draft(None, "x", "y"), Some(1), "bob").unwrap_err();
    assert!(matches!(err, Error::VersionConflict { expected: 1, actual: 2, .. }), "{err}");
    let err = store.delete(&id, Some(7), "bob").unwrap_err();
    assert!(matches!(err, Error::VersionConflict { .. }), "{err}");
    assert!(store.get(&id).unwrap().is_some(), "a failed delete changes nothing");
    assert_eq!(store.history(&id).unwrap().len(), 2, "failed writes record nothing");

    store.delete(&id, Some(2), "bob").unwrap();
    assert_eq!(store.concept_count().unwrap(), 0);
    assert!(store.get(&id).unwrap().is_none());
    assert!(matches!(store.delete(&id, None, "bob").unwrap_err(), Error::NotFound { .. }));
    assert!(matches!(store.replace(&id, draft(None, "a", "b"), None, "bob").unwrap_err(), Error::NotFound { .. }));
}

/// The change log (`write_seq`, `change.` entries in meta) follows concept
/// writes on the embedded backend, and PostgreSQL keeps none of it.
fn contract_change_log(make: &dyn Fn() -> Store) {
    let store = make();
    let created = store.create_many(vec![draft(None, "Hòa bình", "peace"), draft(None, "hợp tác", "x")], false, "a");
    let id = created.unwrap()[0].id.clone();
    store.replace(&id, draft(None, "hữu nghị", "friendship"), None, "a").unwrap();
    store.delete(&id, None, "a").unwrap();
    let meta: Vec<Vec<u8>> =
        store.backend().scan(Tree::Meta, b"", None, usize::MAX).unwrap().into_iter().map(|(k, _)| k).collect();
    let logged = |k: &Vec<u8>| k.as_slice() == b"write_seq" || k.starts_with(b"change.");
    let logged: Vec<&Vec<u8>> = meta.iter().filter(|k| logged(k)).collect();
    match store.backend_kind() {
        "postgres" => {
            assert!(logged.is_empty(), "change log records on PostgreSQL: {logged:?}");
            assert_eq!(store.write_seq().unwrap(), 0);
        }
        _ => {
            assert_eq!(logged.len(), 5, "write_seq and four changes: {logged:?}");
            assert_eq!(store.write_seq().unwrap(), 4);
            let changed = store.changed_since(0).unwrap().unwrap();
            assert_eq!(changed.len(), 2);
        }
    }
}

fn contract_ids(make: &dyn Fn() -> Store) {
    let store = make();
    store.create_many(vec![draft(Some("c2"), "a", "a")], false, "t").unwrap();
    let err = store.create_many(vec![draft(Some("c2"), "b", "b")], false, "t").unwrap_err();
    assert!(matches!(err, Error::AlreadyExists { .. }));
    // A batch that fails half-way stores nothing.
    let err = store
        .create_many(vec![draft(Some("fresh"), "c", "c"), draft(Some("fresh"), "d", "d")], false, "t")
        .unwrap_err();
    assert!(matches!(err, Error::AlreadyExists { .. }));
    assert!(store.get(&ConceptId::new("fresh").unwrap()).unwrap().is_none());
    assert!(store.history(&ConceptId::new("fresh").unwrap()).unwrap().is_empty());
    assert_eq!(store.concept_count().unwrap(), 1);
    let many = store.create_many((0..20).map(|i| draft(None, &format!("t{i}"), "x")).collect(), false, "t").unwrap();
    let mut seen: Vec<_> = many.iter().map(|c| c.id.clone()).collect();
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 20);
    assert!(!seen.contains(&ConceptId::new("c2").unwrap()));
    // More than one page of the paged iterator.
    let more = store.create_many((0..300).map(|i| draft(None, &format!("u{i}"), "x")).collect(), false, "t").unwrap();
    assert_eq!(more.len(), 300);
    assert_eq!(store.iter_from(None).count(), 321);
    let after = store.iter_from(Some(&ConceptId::new("c2").unwrap())).map(|c| c.unwrap().id).collect::<Vec<_>>();
    assert!(after.iter().all(|id| id.as_str() > "c2"));
    assert_eq!(store.concept_count().unwrap(), 321);
}

fn contract_history(make: &dyn Fn() -> Store) {
    let store = make();
    let v1 = store.create_many(vec![draft(Some("h1"), "hòa bình", "peace")], false, "ann").unwrap().remove(0);
    let id = v1.id.clone();
    let v2 = store.replace(&id, draft(None, "hòa bình", "peace and order"), Some(1), "bob").unwrap();
    store.replace(&id, draft(None, "hòa bình", "lasting peace"), Some(2), "ann").unwrap();
    let h = store.history(&id).unwrap();
    let got: Vec<(u64, u64, &str, ChangeAction)> =
        h.iter().map(|e| (e.seq, e.version, e.actor.as_str(), e.action)).collect();
    assert_eq!(
        got,
        vec![
            (1, 1, "ann", ChangeAction::Created),
            (2, 2, "bob", ChangeAction::Updated),
            (3, 3, "ann", ChangeAction::Updated)
        ]
    );
    assert_eq!(h[0].before, None);
    assert_eq!(h[0].after.as_ref(), Some(&v1));
    assert_eq!(h[1].before.as_ref(), Some(&v1));
    assert_eq!(h[1].after.as_ref(), Some(&v2));
    let restored = store.restore_version(&id, 1, Some(3), "carol").unwrap();
    assert_eq!(restored.version, 4);
    assert_eq!(restored.terms, v1.terms);
    assert_eq!(restored.created, v1.created);
    let err = store.restore_version(&id, 1, Some(3), "carol").unwrap_err();
    assert!(matches!(err, Error::VersionConflict { expected: 3, actual: 4, .. }), "{err}");
    assert!(matches!(store.restore_version(&id, 9, None, "c").unwrap_err(), Error::NotFound { .. }));
    let missing = ConceptId::new("nope").unwrap();
    assert!(matches!(store.restore_version(&missing, 1, None, "c").unwrap_err(), Error::NotFound { .. }));
    // Another id sharing a prefix does not see this history.
    store.create_many(vec![draft(Some("h10"), "a", "b")], false, "ann").unwrap();
    assert_eq!(store.history(&id).unwrap().len(), 4);
    assert_eq!(store.history(&ConceptId::new("h10").unwrap()).unwrap().len(), 1);
}

fn contract_restore_deleted(make: &dyn Fn() -> Store) {
    let store = make();
    let v1 = store.create_many(vec![draft(Some("d1"), "hiệp định", "agreement")], false, "ann").unwrap().remove(0);
    store.delete(&v1.id, Some(1), "bob").unwrap();
    assert_eq!(store.concept_count().unwrap(), 0);
    let h = store.history(&v1.id).unwrap();
    assert_eq!(h.last().map(|e| (e.action, e.version)), Some((ChangeAction::Deleted, 1)));
    assert_eq!(h.last().unwrap().after, None);
    let back = store.restore_version(&v1.id, 1, Some(1), "carol").unwrap();
    assert_eq!(back.version, 2);
    assert_eq!(back.terms, v1.terms);
    assert_eq!(store.concept_count().unwrap(), 1);
    assert_eq!(store.history(&v1.id).unwrap().last().unwrap().action, ChangeAction::Created);
}

fn contract_corrupt_counters(make: &dyn Fn() -> Store) {
    for key in [&b"concept_count"[..], b"tm_count", b"last_id.concept", b"last_id.tm_unit"] {
        let store = make();
        put(&store, Tree::Meta, key, b"\x01\x02");
        let what = String::from_utf8_lossy(key).into_owned();
        let tm = tm::TmStore::open(&store);
        let results = [
            store.concept_count().map(|_| ()),
            tm.count().map(|_| ()),
            store.create_many(vec![draft(None, "a", "b")], false, "t").map(|_| ()),
            tm.add(vec![unit("một")]).map(|_| ()),
        ];
        assert!(
            results.iter().any(|r| matches!(r, Err(Error::Corrupt(m)) if m.contains(&what))),
            "{what}: {results:?}"
        );
        assert!(
            results.iter().all(|r| r.is_ok() || matches!(r, Err(Error::Corrupt(_)))),
            "{what}: never read as 0: {results:?}"
        );
    }
}

fn contract_snapshot_round_trip(make: &dyn Fn() -> Store) {
    let a = make();
    let c = a.create_many(vec![draft(None, "đối tác", "partner")], false, "ann").unwrap().remove(0);
    a.replace(&c.id, draft(None, "đối tác", "partners"), None, "bob").unwrap();
    tm::TmStore::open(&a).add(vec![unit("hai"), unit("ba")]).unwrap();
    let mut bytes = Vec::new();
    let info = snapshot::write_snapshot(&a, &mut bytes).unwrap();
    assert_eq!(info.records_in("history"), 3, "two entries and the counter");
    let b = make();
    snapshot::restore_into_backend(b.backend(), bytes.as_slice()).unwrap();
    assert_eq!(snapshot::content_hash(&b).unwrap(), snapshot::content_hash(&a).unwrap());
    assert_eq!(snapshot::content_hash(&a).unwrap(), info.hash);
    assert_eq!(b.history(&c.id).unwrap().len(), 2);
    let err = snapshot::restore_into_backend(b.backend(), bytes.as_slice()).unwrap_err();
    assert!(matches!(err, Error::InvalidInput { .. }), "only into an empty store: {err}");
}

#[test]
fn sled_contract() {
    let dirs = std::sync::Mutex::new(Vec::new());
    contract_suite(|| {
        let dir = tempfile::tempdir().unwrap();
        let store = open(dir.path());
        dirs.lock().unwrap().push(dir);
        store
    });
}

#[test]
fn data_survives_reopen_and_schema_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = open(dir.path());
        store.create_many(vec![draft(Some("keep"), "thăm cấp Nhà nước", "state visit")], true, "t").unwrap();
    }
    let store = open(dir.path());
    assert_eq!(store.get(&ConceptId::new("keep").unwrap()).unwrap().unwrap().terms[1].text, "state visit");
    assert!(store.seeded_at().unwrap().is_some());
    assert_eq!(store.history(&ConceptId::new("keep").unwrap()).unwrap().len(), 1);
    put(&store, Tree::Meta, META_SCHEMA, &99u32.to_be_bytes());
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
                    store.create_many(vec![d], false, "test").unwrap();
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
            assert_eq!(store.history(&c.id).unwrap().len(), 1, "history entry of {id}");
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
        collection: None,
    };
    let docs = [Document { id: None, title: None, text: "Hai bên nhất trí tăng cường hợp tác.".into() }];
    // (concept ids, tm unit ids, run id) after each of three opens.
    let mut seen = Vec::new();
    for round in 0..3 {
        let g = crate::Glossary::open(dir.path(), &crate::OpenOptions::default()).unwrap();
        let concepts = g
            .store
            .create_many(
                vec![draft(None, &format!("a{round}"), "x"), draft(None, &format!("b{round}"), "y")],
                false,
                "test",
            )
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
        store.create_many(vec![draft(Some("c2000001"), "a", "a"), draft(Some("c17"), "b", "b")], false, "t").unwrap();
        put(&store, Tree::MiningRuns, &2_000_004u64.to_be_bytes(), b"{}");
        store
            .transact(&[Tree::Meta], |txn| {
                for kind in IdKind::ALL {
                    txn.remove(Tree::Meta, kind.counter_key())?;
                }
                Ok(())
            })
            .unwrap();
    }
    let store = open(dir.path());
    let next = store.create_many(vec![draft(None, "c", "c")], false, "t").unwrap();
    assert_eq!(next[0].id.as_str(), "c2000002");
    assert_eq!(store.get(&ConceptId::new("c2000001").unwrap()).unwrap().unwrap().terms[0].text, "a");
    let run = store.transact(&[Tree::Meta], |txn| next_id(txn, IdKind::MiningRun)).unwrap();
    assert_eq!(run, 2_000_005);
    let unit = store.transact(&[Tree::Meta], |txn| next_id(txn, IdKind::TmUnit)).unwrap();
    assert_eq!(unit, 1);
}
