//! Online snapshots: writers keep going while a snapshot is taken, and the
//! restored store is consistent and holds everything acknowledged before.

use std::collections::HashSet;
use std::fs::File;
use std::io::{Read, Seek};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use glossary::store::snapshot::{self, SnapshotInfo};
use glossary::store::{Store, StoreOptions};
use glossary::tm::{Provenance, TmUnitDraft};
use glossary::{ConceptDraft, ConceptId, Error, Glossary, Lang, OpenOptions, Term, TermStatus};

fn term(lang: &str, text: &str) -> Term {
    Term {
        lang: Lang::new(lang).unwrap(),
        text: text.into(),
        status: TermStatus::Preferred,
        part_of_speech: None,
        term_type: None,
        context: None,
        source: None,
        note: None,
    }
}

fn concept(id: &str, n: usize) -> ConceptDraft {
    ConceptDraft {
        id: Some(ConceptId::new(id).unwrap()),
        terms: vec![term("vi", &format!("hiệp định số {n}")), term("en", &format!("agreement number {n}"))],
        ..Default::default()
    }
}

fn unit(n: usize) -> TmUnitDraft {
    TmUnitDraft {
        src_lang: Lang::new("vi").unwrap(),
        tgt_lang: Lang::new("en").unwrap(),
        source: format!("Hai bên ký hiệp định số {n}."),
        target: format!("The two sides signed agreement number {n}."),
        provenance: Provenance::default(),
        note: None,
        created_by: None,
        collection: None,
    }
}

fn read_all(file: &mut File) -> Vec<u8> {
    let mut bytes = Vec::new();
    file.rewind().unwrap();
    file.read_to_end(&mut bytes).unwrap();
    bytes
}

fn hash_of_dir(dir: &Path) -> snapshot::ContentHash {
    let store = Store::open(dir, &StoreOptions::default()).unwrap();
    snapshot::content_hash(&store).unwrap()
}

#[test]
fn a_snapshot_taken_under_write_load_restores_consistently() {
    let src = tempfile::tempdir().unwrap();
    let g = Arc::new(Glossary::open(src.path(), &OpenOptions::default()).unwrap());
    let stop = Arc::new(AtomicBool::new(false));
    let acked_concepts = Arc::new(Mutex::new(Vec::<String>::new()));
    let acked_units = Arc::new(Mutex::new(Vec::<u64>::new()));
    let mut writers = Vec::new();
    for w in 0..2 {
        let (g, stop, acked) = (g.clone(), stop.clone(), acked_concepts.clone());
        writers.push(std::thread::spawn(move || {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                let id = format!("w{w}n{n}");
                g.create(concept(&id, w * 1_000_000 + n), "test").unwrap();
                acked.lock().unwrap().push(id);
                // Some deletes too, so the counter goes both ways.
                if n % 7 == 6 {
                    let gone = format!("w{w}n{}", n - 3);
                    g.delete(&ConceptId::new(&gone).unwrap(), None, "test").unwrap();
                    acked.lock().unwrap().retain(|x| *x != gone);
                }
                n += 1;
            }
        }));
    }
    {
        let (g, stop, acked) = (g.clone(), stop.clone(), acked_units.clone());
        writers.push(std::thread::spawn(move || {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                let added = g.add_tm_units(vec![unit(n)]).unwrap();
                acked.lock().unwrap().push(added[0].0.id);
                n += 1;
            }
        }));
    }
    // Let every writer get going before the snapshot.
    while acked_concepts.lock().unwrap().len() < 60 || acked_units.lock().unwrap().len() < 30 {
        std::thread::yield_now();
    }
    let before_concepts: Vec<String> = acked_concepts.lock().unwrap().clone();
    let before_units: Vec<u64> = acked_units.lock().unwrap().clone();
    let (mut file, info) = g.snapshot().unwrap();
    // The writers go on for a while after the snapshot point.
    let after = acked_concepts.lock().unwrap().len();
    while acked_concepts.lock().unwrap().len() < after + 30 {
        std::thread::yield_now();
    }
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.join().unwrap();
    }
    let bytes = read_all(&mut file);
    assert_eq!(bytes.len() as u64, info.bytes);
    assert!(info.records_in("concepts") >= 50, "{info:?}");
    assert!(g.stats().unwrap().concepts > info.records_in("concepts"), "writes went on after the snapshot");

    let dst = tempfile::tempdir().unwrap();
    let target = dst.path().join("restored");
    let restored = snapshot::restore(&target, bytes.as_slice()).unwrap();
    assert_eq!(restored, SnapshotInfo { bytes: info.bytes, ..info.clone() });
    // Hash of the restored store = the trailer's.
    assert_eq!(hash_of_dir(&target), info.hash);

    let r = Glossary::open(&target, &OpenOptions::default()).unwrap();
    let stats = r.stats().unwrap();
    // The counters equal the records (no write was half in the snapshot).
    assert_eq!(stats.concepts, info.records_in("concepts"));
    assert_eq!(stats.tm_units, info.records_in("tm_units"));
    let mut page = r.list(&glossary::ConceptQuery { limit: 200, ..Default::default() }).unwrap();
    let mut listed = HashSet::new();
    loop {
        listed.extend(page.items.iter().map(|c| c.id.to_string()));
        let Some(cursor) = page.next_cursor.clone() else { break };
        page = r.list(&glossary::ConceptQuery { limit: 200, cursor: Some(cursor), ..Default::default() }).unwrap();
    }
    assert_eq!(listed.len() as u64, stats.concepts);
    for id in &before_concepts {
        // A concept acknowledged before the snapshot and deleted only after
        // it is still in the snapshot; one deleted before is not.
        assert!(listed.contains(id) || g.get(&ConceptId::new(id).unwrap()).is_err(), "{id} missing");
    }
    for id in &before_units {
        r.tm_unit(*id).unwrap_or_else(|e| panic!("TM unit {id} acknowledged before the snapshot is missing: {e}"));
    }
    // Ids given out after the restore do not reuse stored ones.
    let fresh = r.add_tm_units(vec![unit(9_999_999)]).unwrap();
    assert!(!before_units.contains(&fresh[0].0.id));
    assert_eq!(r.tm_count().unwrap(), stats.tm_units + 1);
    let created = r.create(ConceptDraft { terms: vec![term("vi", "công hàm")], ..Default::default() }, "test").unwrap();
    assert!(!listed.contains(created.id.as_str()));
}

#[test]
fn a_quiet_store_snapshots_to_its_own_content_hash_and_damaged_files_are_refused() {
    let src = tempfile::tempdir().unwrap();
    let g = Glossary::open(src.path(), &OpenOptions::default()).unwrap();
    for n in 0..20 {
        g.create(concept(&format!("c{n}"), n), "test").unwrap();
    }
    g.add_tm_units((0..5).map(unit).collect()).unwrap();
    let run = g.create_mining_run(&[], &glossary::mining::MiningOptions::default()).unwrap();
    let (mut file, info) = g.snapshot().unwrap();
    assert_eq!(info.hash, g.content_hash().unwrap());
    assert_eq!(info.records_in("mining_runs"), 1);
    assert_eq!(info.records_in("concepts"), 20);
    // One history entry and one entry counter per concept.
    assert_eq!(info.records_in("history"), 40);
    assert!(!info.trees.iter().any(|(name, _)| name == "term_keys"), "retired in schema 2");
    let bytes = read_all(&mut file);
    assert_eq!(snapshot::verify(bytes.as_slice()).unwrap(), info);

    // Restoring into a non-empty directory is refused, and leaves it alone.
    let busy = tempfile::tempdir().unwrap();
    std::fs::write(busy.path().join("keep.txt"), "x").unwrap();
    let err = snapshot::restore(busy.path(), bytes.as_slice()).unwrap_err();
    assert!(err.to_string().contains("not empty"), "{err}");
    assert!(busy.path().join("keep.txt").exists());

    let check = |bytes: &[u8], expect: &str| {
        let dst = tempfile::tempdir().unwrap();
        let target = dst.path().join("d");
        match snapshot::restore(&target, bytes) {
            Err(Error::Corrupt(m)) => assert!(m.contains(expect), "{m} (wanted {expect:?})"),
            other => panic!("a damaged file was accepted: {other:?} (wanted {expect:?})"),
        }
        assert!(!target.exists(), "a refused restore leaves nothing behind");
    };
    check(&bytes[..bytes.len() / 2], "truncated");
    check(&bytes[..bytes.len() - 1], "truncated");
    check(&bytes[..10], "truncated");
    check(b"PK\x03\x04 not a snapshot at all", "magic");
    let mut flipped = bytes.clone();
    let at = bytes.len() / 2;
    flipped[at] ^= 0x20;
    // A flipped byte inside a key or value changes the hash; one in a
    // length or tag makes the structure unreadable.
    let dst = tempfile::tempdir().unwrap();
    assert!(matches!(snapshot::restore(&dst.path().join("d"), flipped.as_slice()), Err(Error::Corrupt(_))));
    let mut longer = bytes.clone();
    longer.push(0);
    check(&longer, "after its trailer");
    let mut wrong_count = bytes.clone();
    let n = wrong_count.len();
    wrong_count[n - 33] ^= 1;
    check(&wrong_count, "counts");

    // The intact file restores, and the interrupted mining run is reported
    // as such by the restored glossary.
    let dst = tempfile::tempdir().unwrap();
    snapshot::restore(dst.path(), bytes.as_slice()).unwrap();
    assert_eq!(hash_of_dir(dst.path()), info.hash);
    let r = Glossary::open(dst.path(), &OpenOptions::default()).unwrap();
    assert_eq!(r.mining_run(run.id).unwrap().status, glossary::mining::queue::RunStatus::Failed);
    assert_eq!(r.stats().unwrap().concepts, 20);

    // An offline snapshot written straight to a file is the same content.
    drop(g);
    let store = Store::open(src.path(), &StoreOptions::default()).unwrap();
    let mut out = Vec::new();
    let offline = snapshot::write_snapshot(&store, &mut out).unwrap();
    assert_eq!(offline.hash, info.hash);
    assert_eq!(out.len() as u64, offline.bytes);
}
