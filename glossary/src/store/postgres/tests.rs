//! The PostgreSQL backend against its contract, on a private cluster
//! (`crate::testing`); skipped when PostgreSQL is not installed.

use std::sync::{Arc, Barrier};

use super::*;
use crate::testing::PgCluster;

/// A backend on a fresh database, or `None` (skip) without PostgreSQL.
fn backend() -> Option<PgBackend> {
    let cluster = PgCluster::shared()?;
    Some(PgBackend::connect(&cluster.new_database()).expect("connect to the test database"))
}

fn put(b: &PgBackend, tree: Tree, records: &[(&[u8], &[u8])]) {
    b.transact_dyn(&[tree], &mut |t| {
        for (k, v) in records {
            t.insert(tree, k, v)?;
        }
        Ok(())
    })
    .unwrap();
}

fn keys(records: &[(Vec<u8>, Vec<u8>)]) -> Vec<&[u8]> {
    records.iter().map(|(k, _)| k.as_slice()).collect()
}

#[test]
fn scan_follows_prefix_after_and_limit_in_byte_order() {
    let Some(b) = backend() else { return };
    let all: [&[u8]; 8] = [b"a", b"ab", b"ab\x00", b"ab\xff", b"ab\xff\xff", b"ac", b"b", b"\xff\xff"];
    put(&b, Tree::Concepts, &all.map(|k| (k, &b"v"[..])));
    put(&b, Tree::Jobs, &[(b"ab", b"other tree")]);
    // (prefix, after, limit, expected keys)
    type Case = (&'static [u8], Option<&'static [u8]>, usize, Vec<&'static [u8]>);
    let cases: Vec<Case> = vec![
        (b"", None, 100, all.to_vec()),
        (b"ab", None, 100, vec![b"ab", b"ab\x00", b"ab\xff", b"ab\xff\xff"]),
        (b"ab", Some(b"ab\x00"), 100, vec![b"ab\xff", b"ab\xff\xff"]),
        (b"ab", Some(b"a"), 2, vec![b"ab", b"ab\x00"]),
        (b"ab\xff", None, 100, vec![b"ab\xff", b"ab\xff\xff"]),
        (b"\xff", None, 100, vec![b"\xff\xff"]),
        (b"", Some(b"ac"), 100, vec![b"b", b"\xff\xff"]),
        (b"ab", Some(b"b"), 100, vec![]),
        (b"ab", None, 0, vec![]),
        (b"z", None, 100, vec![]),
    ];
    let mut failures = Vec::new();
    for (prefix, after, limit, expected) in cases {
        let got = b.scan(Tree::Concepts, prefix, after, limit).unwrap();
        if keys(&got) != expected {
            failures.push(format!("scan({prefix:?}, {after:?}, {limit}) = {:?}, expected {expected:?}", keys(&got)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(b.last(Tree::Concepts).unwrap().map(|(k, _)| k), Some(b"\xff\xff".to_vec()));
    assert_eq!(b.len(Tree::Concepts).unwrap(), 8);
    assert_eq!(b.len(Tree::Jobs).unwrap(), 1);
    assert_eq!(b.last(Tree::Meta).unwrap(), None);
}

#[test]
fn a_transaction_sees_its_own_writes_and_an_abort_leaves_nothing() {
    let Some(b) = backend() else { return };
    put(&b, Tree::Meta, &[(b"x", b"1")]);
    let res = b.transact_dyn(&[Tree::Meta], &mut |t| {
        t.insert(Tree::Meta, b"y", b"2")?;
        assert_eq!(t.get(Tree::Meta, b"y")?, Some(b"2".to_vec()));
        assert_eq!(t.remove(Tree::Meta, b"x")?, Some(b"1".to_vec()));
        assert_eq!(t.get(Tree::Meta, b"x")?, None);
        assert_eq!(t.remove(Tree::Meta, b"x")?, None);
        Err(TxError::Abort(Error::Storage("stop".into())))
    });
    assert!(matches!(res, Err(Error::Storage(m)) if m == "stop"));
    assert_eq!(b.get(Tree::Meta, b"x").unwrap(), Some(b"1".to_vec()));
    assert_eq!(b.get(Tree::Meta, b"y").unwrap(), None);
    // Committed: removal and insert both applied, and both in the feed.
    let before = b.feed_position().unwrap();
    b.transact_dyn(&[Tree::Meta], &mut |t| {
        t.remove(Tree::Meta, b"x")?;
        t.insert(Tree::Meta, b"y", b"2")
    })
    .unwrap();
    assert_eq!(b.get(Tree::Meta, b"x").unwrap(), None);
    assert_eq!(b.get(Tree::Meta, b"y").unwrap(), Some(b"2".to_vec()));
    let feed: Vec<(Option<Tree>, Vec<u8>)> =
        b.changes_after(before, 10).unwrap().into_iter().map(|(_, t, k)| (t, k)).collect();
    assert_eq!(feed, vec![(Some(Tree::Meta), b"x".to_vec()), (Some(Tree::Meta), b"y".to_vec())]);
}

/// Read-modify-write from many threads: SERIALIZABLE plus retries lose no
/// increment (what makes version checks and counters hold across servers).
#[test]
fn concurrent_increments_are_not_lost() {
    let Some(b) = backend() else { return };
    let b = Arc::new(b);
    let (threads, rounds) = (6, 20);
    let barrier = Arc::new(Barrier::new(threads));
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let (b, barrier) = (b.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                for _ in 0..rounds {
                    b.transact_dyn(&[Tree::Meta], &mut |t| {
                        let n = t.get(Tree::Meta, b"n")?.map_or(0, |v| u64::from_be_bytes(v.try_into().unwrap()));
                        t.insert(Tree::Meta, b"n", &(n + 1).to_be_bytes())
                    })
                    .unwrap();
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let n = b.get(Tree::Meta, b"n").unwrap().map(|v| u64::from_be_bytes(v.try_into().unwrap()));
    assert_eq!(n, Some((threads * rounds) as u64));
}

#[test]
fn visit_all_goes_through_trees_in_order_and_stops_on_error() {
    let Some(b) = backend() else { return };
    put(&b, Tree::History, &[(b"h", b"1")]);
    put(&b, Tree::Meta, &[(b"m2", b"2"), (b"m1", b"1")]);
    let many: Vec<(Vec<u8>, Vec<u8>)> = (0..2500u32).map(|i| (i.to_be_bytes().to_vec(), vec![1; 3])).collect();
    let refs: Vec<(&[u8], &[u8])> = many.iter().map(|(k, v)| (k.as_slice(), v.as_slice())).collect();
    put(&b, Tree::Concepts, &refs);
    let mut seen = Vec::new();
    b.visit_all(&mut |t, k, _| {
        seen.push((t, k.to_vec()));
        Ok(())
    })
    .unwrap();
    assert_eq!(seen.len(), 2503);
    assert_eq!(seen[..2], [(Tree::Meta, b"m1".to_vec()), (Tree::Meta, b"m2".to_vec())]);
    assert_eq!(seen[2], (Tree::Concepts, 0u32.to_be_bytes().to_vec()));
    assert_eq!(seen[2502], (Tree::History, b"h".to_vec()));
    assert!(seen[2..2502].windows(2).all(|w| w[0].1 < w[1].1));
    let mut calls = 0;
    let res = b.visit_all(&mut |_, _, _| {
        calls += 1;
        if calls == 3 {
            Err(Error::Corrupt("stop here".into()))
        } else {
            Ok(())
        }
    });
    assert!(matches!(res, Err(Error::Corrupt(_))));
    assert_eq!(calls, 3);
}

#[test]
fn migrations_are_recorded_once_and_a_newer_schema_is_refused() {
    let Some(cluster) = PgCluster::shared() else { return };
    let url = cluster.new_database();
    PgBackend::connect(&url).unwrap();
    PgBackend::connect(&url).unwrap();
    let mut client = Client::connect(&url, NoTls).unwrap();
    let versions: Vec<i32> = client
        .query("SELECT version FROM schema_migrations ORDER BY version", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(versions, MIGRATIONS.iter().map(|m| m.0).collect::<Vec<_>>());
    client.execute("INSERT INTO schema_migrations (version, name) VALUES (9999, 'future')", &[]).unwrap();
    let err = PgBackend::connect(&url).err().expect("a newer schema is refused");
    assert!(err.to_string().contains("9999"), "{err}");
}

#[test]
fn servers_opening_a_new_database_together_migrate_it_once() {
    let Some(cluster) = PgCluster::shared() else { return };
    let url = cluster.new_database();
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || PgBackend::connect(&url).map(|_| ()))
        })
        .collect();
    for h in handles {
        h.join().unwrap().unwrap();
    }
}

#[test]
fn prefix_successor_is_the_first_key_past_the_prefix() {
    let cases: [(&[u8], Option<&[u8]>); 5] =
        [(b"", None), (b"a", Some(b"b")), (b"a\xff", Some(b"b")), (b"\xff\xff", None), (b"ab\x00", Some(b"ab\x01"))];
    for (prefix, expected) in cases {
        assert_eq!(prefix_successor(prefix).as_deref(), expected, "prefix {prefix:?}");
    }
}

#[test]
fn passwords_are_left_out_of_messages() {
    assert_eq!(redact("postgres://u:secret@h:5432/db"), "postgres://u:***@h:5432/db");
    assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
    assert_eq!(redact("host=/tmp dbname=x"), "host=/tmp dbname=x");
    assert_eq!(redact("host=h password=secret dbname=x"), "host=h password=*** dbname=x");
}

/// The store contract suite (`store::tests::contract_suite`) on PostgreSQL.
#[test]
fn store_contract_suite_on_postgres() {
    let Some(cluster) = PgCluster::shared() else { return };
    crate::store::tests::contract_suite(|| {
        crate::store::StoreLocation::Postgres(cluster.new_database())
            .open(&crate::store::StoreOptions::default())
            .expect("open a PostgreSQL store")
    });
}

/// copy-store's fingerprint is the snapshot content hash, on both backends.
#[test]
fn copies_between_backends_keep_the_content_hash() {
    use crate::store::copy::{copy_store, fingerprint};
    use crate::store::snapshot::content_hash;
    use crate::store::{StoreLocation, StoreOptions};
    let Some(cluster) = PgCluster::shared() else { return };
    let dir = tempfile::tempdir().unwrap();
    let embedded = StoreLocation::Dir(dir.path().join("a"));
    let g = crate::Glossary::open_at(&embedded, &crate::OpenOptions::default()).unwrap();
    g.seed_starter_if_new().unwrap();
    drop(g);
    let pg = StoreLocation::Postgres(cluster.new_database());
    let back = StoreLocation::Dir(dir.path().join("b"));
    let options = StoreOptions::default();
    let there = copy_store(&embedded, &pg, &options).unwrap();
    let home = copy_store(&pg, &back, &options).unwrap();
    assert_eq!(there.source, there.target);
    assert_eq!(home.target, there.source);
    assert!(there.source.trees.iter().any(|(name, n)| *name == "concepts" && *n > 50), "{:?}", there.source);
    let store = back.open(&options).unwrap();
    assert_eq!(fingerprint(&store).unwrap(), home.target);
    assert_eq!(content_hash(&store).unwrap().to_string(), home.target.hash_hex());
    let err = copy_store(&embedded, &pg, &options).unwrap_err();
    assert!(err.to_string().contains("already holds"), "{err}");
}

/// A lease is live while its connection lasts; pruning keeps every change
/// a live server has not applied (and the newest row, the feed position),
/// and forgets the servers that are gone.
#[test]
fn leases_mark_live_servers_and_bound_pruning() {
    let Some(b) = backend() else { return };
    let write = |k: &[u8]| put(&b, Tree::Meta, &[(k, b"v")]);
    write(b"a");
    write(b"x");
    let (first, first_id, first_pos, _) = b.open_lease(None, None).unwrap();
    let (mut second, second_id, _, _) = b.open_lease(None, None).unwrap();
    assert_ne!(first_id, second_id);
    assert_eq!(first_pos, b.feed_position().unwrap());
    assert!(b.lease_live(first_id).unwrap() && b.lease_live(second_id).unwrap());
    assert!(b.open_lease(Some(first_id), None).is_err(), "a held lease id cannot be taken twice");
    for k in [b"b", b"c", b"d"] {
        write(k);
    }
    let latest = b.feed_position().unwrap();
    // `second` has applied everything, `first` nothing since it started:
    // only the rows before first's position go.
    report_applied(&mut second, second_id, latest).unwrap();
    assert_eq!(b.prune_changes().unwrap(), 1);
    let keys_left = |b: &PgBackend| b.changes_after(0, 100).unwrap().into_iter().map(|c| c.2).collect::<Vec<_>>();
    assert_eq!(keys_left(&b), [b"x".to_vec(), b"b".to_vec(), b"c".to_vec(), b"d".to_vec()]);
    // `first` is gone (its session ended): its row goes, and with it the
    // hold on the rows only it needed; the newest row stays.
    drop(first);
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while b.lease_live(first_id).unwrap() {
        assert!(std::time::Instant::now() < deadline, "the lease outlived its connection");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(b.prune_changes().unwrap(), 3);
    assert_eq!(keys_left(&b), [b"d".to_vec()]);
    assert_eq!(b.feed_position().unwrap(), latest);
    let mut client = b.pool.get().unwrap();
    let ids: Vec<i32> = client.query("SELECT id FROM replicas", &[]).unwrap().iter().map(|r| r.get(0)).collect();
    assert_eq!(ids, [second_id]);
}

#[test]
fn retry_pauses_grow_to_a_ceiling_and_differ_between_threads() {
    for attempt in 1..=20u32 {
        let ceiling = Duration::from_millis(1 << attempt.clamp(1, 6));
        for _ in 0..20 {
            assert!(retry_pause(attempt) <= ceiling, "attempt {attempt}");
        }
    }
    // Two threads colliding at the same attempt draw different pauses (the
    // old pause depended on the process id only, so they were equal).
    let draws: Vec<Duration> = (0..2)
        .map(|_| std::thread::spawn(|| (0..25).map(|_| retry_pause(6)).collect::<Vec<_>>()))
        .flat_map(|h| h.join().unwrap())
        .collect();
    assert!(draws.iter().any(|d| *d != draws[0]), "{draws:?}");
}

/// A lease starts from a snapshot's position only while the feed holds
/// every change after it; otherwise from the newest position. Each store
/// has an id of its own.
#[test]
fn a_lease_starts_from_a_position_the_feed_still_reaches() {
    let Some(b) = backend() else { return };
    let write = |k: &[u8]| put(&b, Tree::Meta, &[(k, b"v")]);
    for k in [b"a", b"b", b"c"] {
        write(k);
    }
    let latest = b.feed_position().unwrap();
    // (from, expected position, expected "from the snapshot")
    let cases = [
        (Some(latest - 2), latest - 2, true),
        (Some(latest), latest, true),
        (Some(latest + 1), latest, false),
        (Some(-1), latest, false),
        (None, latest, false),
    ];
    for (from, position, reached) in cases {
        let (_lease, _, got, got_reached) = b.open_lease(None, from).unwrap();
        assert_eq!((got, got_reached), (position, reached), "from {from:?}");
    }
    // Pruned past: every live lease has applied the newest position.
    let (mut lease, id, _, _) = b.open_lease(None, None).unwrap();
    report_applied(&mut lease, id, latest).unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while b.changes_after(0, 10).unwrap().len() > 1 {
        assert!(std::time::Instant::now() < deadline, "nothing was pruned");
        b.prune_changes().unwrap();
        std::thread::sleep(Duration::from_millis(20));
    }
    let (_again, _, got, reached) = b.open_lease(None, Some(latest - 2)).unwrap();
    assert_eq!((got, reached), (latest, false), "rows after the position were pruned");
    let (_same, _, got, reached) = b.open_lease(None, Some(latest)).unwrap();
    assert_eq!((got, reached), (latest, true), "the newest row is kept");
    let other = backend().unwrap();
    assert_ne!(b.store_id().unwrap(), other.store_id().unwrap());
    assert_eq!(b.store_id().unwrap(), b.store_id().unwrap());
}
