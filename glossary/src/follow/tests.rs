//! The index cache of a PostgreSQL store (see the module docs): a server
//! restarted from its cache and the change feed answers as a cold start
//! does; a cache of another database, or older than the pruned feed, is
//! not used. Skipped when PostgreSQL is not installed.

use std::path::Path;

use crate::engine::IndexStart;
use crate::index::snapshot as index_snapshot;
use crate::index::CandidateIndex;
use crate::model::test_support::{term, Rng};
use crate::model::{Collection, ConceptDraft, ConceptId, Lang, TermStatus};
use crate::store::StoreLocation;
use crate::testing::PgCluster;
use crate::{Glossary, LookupQuery, OpenOptions};

const SYLLABLES: &[&str] = &["hòa", "bình", "quan", "hệ", "ngoại", "giao", "hiệp", "định", "đối", "tác", "Việt", "Nam"];
const WORDS: &[&str] = &["peace", "relations", "foreign", "affairs", "agreement", "partner", "Viet Nam"];

fn phrase(rng: &mut Rng, words: &[&str]) -> String {
    let n = 1 + rng.below(3);
    (0..n).map(|_| words[rng.below(words.len())]).collect::<Vec<_>>().join(" ")
}

fn draft(rng: &mut Rng) -> ConceptDraft {
    let collection = ["mofa", "press"].get(rng.below(3)).map(|c| Collection::new(c).unwrap());
    ConceptDraft {
        terms: vec![
            term("vi", &phrase(rng, SYLLABLES), TermStatus::Preferred),
            term("en", &phrase(rng, WORDS), TermStatus::Preferred),
        ],
        collection,
        ..Default::default()
    }
}

fn open(location: &StoreLocation, cache: Option<&Path>) -> (Glossary, IndexStart) {
    let options = OpenOptions { index_cache: cache.map(Path::to_path_buf), ..OpenOptions::default() };
    Glossary::open_at_reporting(location, &options).unwrap()
}

/// What the in-memory indexes answer: lookups of random phrases (and of
/// typos), recognition in a sentence, the collection counts.
fn observe(g: &Glossary) -> Vec<String> {
    let vi = Lang::new("vi").unwrap();
    let mut rng = Rng(5);
    let mut out = vec![format!("terms {}", g.indexes.read_index().len()), format!("{:?}", g.collections())];
    for i in 0..40 {
        let mut q = phrase(&mut rng, SYLLABLES);
        if i % 4 == 0 && q.chars().count() > 3 {
            q = q.chars().skip(1).collect();
        }
        let collections = crate::collections::CollectionSelection::all();
        let query = LookupQuery { text: q.clone(), src: vi.clone(), tgt: None, limit: 10, collections };
        out.push(format!("{q}: {:?}", g.lookup(&query).unwrap()));
    }
    let mut found = g.find_terms("Quan hệ ngoại giao vì hòa bình và hiệp định đối tác Việt Nam.", &vi);
    for o in &mut found {
        o.terms.sort_by(|x, y| x.0.as_str().cmp(y.0.as_str()).then(x.1.cmp(&y.1)));
    }
    out.push(format!("{found:?}"));
    out
}

fn cold(location: &StoreLocation) -> Vec<String> {
    let (g, start) = open(location, None);
    assert!(matches!(start, IndexStart::Rebuilt(_)), "{start:?}");
    observe(&g)
}

/// Writes `n` concepts through `g`, then replaces and deletes some of
/// those in `ids` (and adds the new ones to it).
fn write(g: &Glossary, rng: &mut Rng, ids: &mut Vec<ConceptId>, n: usize) {
    for _ in 0..n {
        ids.push(g.create(draft(rng), "test").unwrap().id);
    }
    for _ in 0..n / 4 {
        let id = ids[rng.below(ids.len())].clone();
        g.replace(&id, draft(rng), None, "test").unwrap();
        let gone = ids.swap_remove(rng.below(ids.len()));
        g.delete(&gone, None, "test").unwrap();
    }
}

/// A store with 40 concepts and a server's cache of it, written at a clean
/// stop; returns the writer (a server without cache) and the ids.
fn cached_store(location: &StoreLocation, cache: &Path, rng: &mut Rng) -> (Glossary, Vec<ConceptId>) {
    let (writer, _) = open(location, None);
    let mut ids = Vec::new();
    write(&writer, rng, &mut ids, 40);
    let (server, start) = open(location, Some(cache));
    let IndexStart::Rebuilt(why) = start else { panic!("no cache yet, but {start:?}") };
    assert!(why.contains("no index snapshot"), "{why}");
    server.flush().unwrap();
    (writer, ids)
}

fn cache_dir(cache: &Path) -> std::path::PathBuf {
    let dirs: Vec<_> = std::fs::read_dir(cache).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(dirs.len(), 1, "{dirs:?}");
    assert!(index_snapshot::path_in(&dirs[0]).exists(), "no snapshot in {}", dirs[0].display());
    dirs[0].clone()
}

/// A server stopped cleanly, more creates, updates and deletes through
/// another server, the server restarted: it starts from its cache,
/// replays the feed, and answers as a cold start does.
#[test]
fn a_restart_from_the_cache_replays_the_feed_and_equals_a_cold_start() {
    let Some(cluster) = PgCluster::shared() else { return };
    let location = StoreLocation::Postgres(cluster.new_database());
    let cache = tempfile::tempdir().unwrap();
    let mut rng = Rng(11);
    let (writer, mut ids) = cached_store(&location, cache.path(), &mut rng);
    cache_dir(cache.path());
    write(&writer, &mut rng, &mut ids, 20);

    let (server, start) = open(&location, Some(cache.path()));
    let IndexStart::Snapshot { replayed, .. } = start else { panic!("cache not used: {start:?}") };
    assert!(replayed >= 20, "replayed {replayed} feed rows after 20 creates, 5 updates and 5 deletes");
    assert_eq!(observe(&server), cold(&location));
    // Restarted again with nothing new: nothing to replay, same answers.
    server.flush().unwrap();
    drop(server);
    let (server, start) = open(&location, Some(cache.path()));
    assert!(matches!(start, IndexStart::Snapshot { replayed: 0, .. }), "{start:?}");
    assert_eq!(observe(&server), cold(&location));
}

/// Another database finds nothing for it in the same cache directory;
/// one database's snapshot copied under another's name is refused (and
/// replaced at the next snapshot). Both rebuild and answer as a cold
/// start.
#[test]
fn a_cache_of_another_database_is_not_used() {
    let Some(cluster) = PgCluster::shared() else { return };
    let first = StoreLocation::Postgres(cluster.new_database());
    let cache = tempfile::tempdir().unwrap();
    let mut rng = Rng(12);
    cached_store(&first, cache.path(), &mut rng);
    let first_dir = cache_dir(cache.path());

    let second = StoreLocation::Postgres(cluster.new_database());
    let (writer, _) = open(&second, None);
    write(&writer, &mut rng, &mut Vec::new(), 12);
    let (g, start) = open(&second, Some(cache.path()));
    let IndexStart::Rebuilt(why) = start else { panic!("another database's cache was used: {start:?}") };
    assert!(why.contains("no index snapshot"), "{why}");
    assert_eq!(observe(&g), cold(&second));
    g.flush().unwrap();
    drop(g);

    // The first database's directory copied over the second's.
    let second_dir = std::fs::read_dir(cache.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| *p != first_dir)
        .expect("the second database's cache directory");
    for name in [index_snapshot::FILE_NAME, super::STORE_ID_FILE] {
        std::fs::copy(first_dir.join(name), second_dir.join(name)).unwrap();
    }
    let (g, start) = open(&second, Some(cache.path()));
    let IndexStart::Rebuilt(why) = start else { panic!("a copied cache was used: {start:?}") };
    assert!(why.contains("belonged to store"), "{why}");
    assert_eq!(observe(&g), cold(&second));
    assert!(!index_snapshot::path_in(&second_dir).exists(), "the other store's snapshot was left in place");
    g.flush().unwrap();
    drop(g);
    let (_, start) = open(&second, Some(cache.path()));
    assert!(matches!(start, IndexStart::Snapshot { replayed: 0, .. }), "{start:?}");
}

/// Changes after the cache's position pruned from the feed (as every live
/// server's pruning does once all have applied them): the cache cannot
/// be caught up, the index is rebuilt and holds the later writes.
#[test]
fn a_cache_older_than_the_pruned_feed_rebuilds() {
    let Some(cluster) = PgCluster::shared() else { return };
    let url = cluster.new_database();
    let location = StoreLocation::Postgres(url.clone());
    let cache = tempfile::tempdir().unwrap();
    let mut rng = Rng(13);
    let (writer, mut ids) = cached_store(&location, cache.path(), &mut rng);
    write(&writer, &mut rng, &mut ids, 8);
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let pruned = client.execute("DELETE FROM changes WHERE seq < (SELECT max(seq) FROM changes)", &[]).unwrap();
    assert!(pruned > 0);

    let (g, start) = open(&location, Some(cache.path()));
    let IndexStart::Rebuilt(why) = start else { panic!("a cache older than the feed was used: {start:?}") };
    assert!(why.contains("no longer holds"), "{why}");
    assert_eq!(observe(&g), cold(&location));
    assert_eq!(g.stats().unwrap().concepts as usize, ids.len());
}
