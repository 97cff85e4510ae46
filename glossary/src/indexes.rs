//! The in-memory indexes of the concepts: the lookup [`CandidateIndex`] and
//! the recognition [`TermTable`], built from the store when the glossary
//! opens and kept in step by [`ConceptIndexes::refresh`] after every
//! concept write. Features that need them (lookup, import matching, mining,
//! recognition, alignment anchors) borrow this handle; it owns both locks.
//!
//! # Start-up from the index snapshot
//! A glossary on a data directory starts from the persisted snapshot
//! ([`crate::index::snapshot`]) when it has a usable one: the lookup index
//! and the collections are read back, then the concepts written after the
//! snapshot's position are replayed from the store, and lookups are
//! served. The term table is then built from the loaded index on a
//! background thread (*warming*): readers of the term table (recognition,
//! suggestions, anchors) wait until it is complete, and writes during the
//! warm-up are queued and applied to the new table before it is installed,
//! so nobody ever sees a half-built table. Without a snapshot everything
//! is built from the store before the glossary opens.
//!
//! # Lock order
//! `refresh` takes the index lock, then the term-table lock, then the
//! collections lock, then the warm-up state, and reads the store while
//! holding them; the snapshot encoder takes the index lock then the
//! collections lock; the warm-up thread takes the term-table lock then the
//! warm-up state; every other method takes one of them alone and never
//! calls the store under it. No code takes them in another order. (`Glossary::collections` reads the
//! collections, then the TM index: a separate feature's leaf lock.)

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::collections::ConceptCollections;
use crate::error::Result;
use crate::index::snapshot as index_snapshot;
use crate::index::{CandidateIndex, KeyKind, TermRef, TermsCopy, TrigramIndex};
use crate::model::{Concept, ConceptId, Lang};
use crate::recognize::{Occurrence, TermTable};
use crate::store::Store;
use crate::text;

/// The lookup index and the term table of the stored concepts.
pub(crate) struct ConceptIndexes {
    index: RwLock<TrigramIndex>,
    /// Terms for recognition, kept current by every write (see the module
    /// docs for the warm-up after a start from the snapshot).
    terms: Arc<Terms>,
    /// The collection of every concept (see [`crate::collections`]).
    pub(crate) collections: RwLock<ConceptCollections>,
    /// Concept writes between their commit and the end of their index
    /// refresh (see [`ConceptIndexes::begin_write`]); an index snapshot is
    /// taken only when none is.
    writes_in_flight: AtomicUsize,
}

/// How the glossary's open built the in-memory lookup index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IndexStart {
    /// Loaded from the persisted snapshot, then `replayed` concepts
    /// written after its position were refreshed from the store (on
    /// PostgreSQL: `replayed` change-feed rows were applied).
    Snapshot {
        /// The snapshot's position: the store's write sequence (sled) or
        /// the change-feed position (PostgreSQL).
        position: u64,
        /// Concepts re-read from the store.
        replayed: usize,
    },
    /// Rebuilt from every concept of the store, for the reason given.
    Rebuilt(String),
}

/// The term table and its warm-up state.
#[derive(Default)]
struct Terms {
    table: RwLock<TermTable>,
    warm: Mutex<Warm>,
    warmed: Condvar,
}

/// Whether the term table is complete, and the writes it has yet to take.
#[derive(Default)]
struct Warm {
    ready: bool,
    /// Concepts written during the warm-up, in order, as the store had them
    /// (`None`: deleted).
    pending: Vec<(ConceptId, Option<Concept>)>,
}

impl Terms {
    fn ready(table: TermTable) -> Terms {
        Terms {
            table: RwLock::new(table),
            warm: Mutex::new(Warm { ready: true, pending: Vec::new() }),
            warmed: Condvar::new(),
        }
    }

    fn wait(&self) {
        let mut warm = self.warm.lock().unwrap_or_else(PoisonError::into_inner);
        while !warm.ready {
            warm = self.warmed.wait(warm).unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// Builds the table from `copy`, applies the writes queued meanwhile
    /// and installs it. Marks the table ready even if building panics (the
    /// table then holds what it had), so no reader waits forever.
    fn warm_up(&self, copy: TermsCopy) {
        let built = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut t = TermTable::default();
            copy.for_each_concept(|id, inputs| t.upsert_terms(id, inputs));
            t
        }));
        drop(copy);
        let mut table = self.table.write().unwrap_or_else(PoisonError::into_inner);
        let mut warm = self.warm.lock().unwrap_or_else(PoisonError::into_inner);
        match built {
            Ok(mut t) => {
                for (id, c) in warm.pending.drain(..) {
                    match c {
                        Some(c) => t.upsert(&c),
                        None => t.remove(&id),
                    }
                }
                *table = t;
            }
            Err(_) => log::error!("building the term table panicked; recognition runs on a partial table"),
        }
        warm.ready = true;
        drop(warm);
        drop(table);
        self.warmed.notify_all();
    }
}

/// Held by a concept write from before its commit until its index refresh
/// is done (see [`crate::Glossary::save_index_snapshot`]).
pub(crate) struct WriteGuard<'a>(&'a AtomicUsize);

impl Drop for WriteGuard<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl ConceptIndexes {
    /// Builds both from every concept of the store.
    pub(crate) fn build(store: &Store) -> Result<ConceptIndexes> {
        let mut index = TrigramIndex::new();
        let mut terms = TermTable::default();
        let mut collections = ConceptCollections::default();
        for concept in store.iter_from(None) {
            let concept = concept?;
            index.upsert(&concept);
            terms.upsert(&concept);
            collections.upsert(&concept.id, &concept.collection);
        }
        Ok(ConceptIndexes {
            index: RwLock::new(index),
            terms: Arc::new(Terms::ready(terms)),
            collections: RwLock::new(collections),
            writes_in_flight: AtomicUsize::new(0),
        })
    }

    /// Marks a concept write in flight until the guard drops; take it
    /// before the store write and keep it until the index is refreshed.
    pub(crate) fn begin_write(&self) -> WriteGuard<'_> {
        self.writes_in_flight.fetch_add(1, Ordering::SeqCst);
        WriteGuard(&self.writes_in_flight)
    }

    /// Whether a concept write is between its commit and its refresh.
    pub(crate) fn writes_in_flight(&self) -> bool {
        self.writes_in_flight.load(Ordering::SeqCst) != 0
    }

    /// Loads the indexes from the snapshot of the store's data directory
    /// and the changes after it, or builds them from every concept of the
    /// store when there is no usable snapshot; tells which.
    pub(crate) fn open(store: &Store) -> Result<(ConceptIndexes, IndexStart)> {
        let why = match store.dir() {
            None => "the store has no data directory (PostgreSQL)".to_string(),
            Some(dir) => match Self::load_snapshot(store, dir) {
                Ok(Ok(loaded)) => return Ok(loaded),
                Ok(Err(why)) => why,
                Err(e) => e.to_string(),
            },
        };
        log::info!("building the lookup index from the store ({why})");
        Ok((ConceptIndexes::build(store)?, IndexStart::Rebuilt(why)))
    }

    /// The indexes from the snapshot in `dir` plus the concepts changed
    /// after it, the term table warming up on a new thread; `Ok(Err(why))`
    /// when there is no usable snapshot.
    fn load_snapshot(store: &Store, dir: &Path) -> Result<std::result::Result<(ConceptIndexes, IndexStart), String>> {
        let Some(loaded) = index_snapshot::load(dir)? else {
            return Ok(Err("no index snapshot".into()));
        };
        let position = loaded.position;
        let Some(changed) = store.changed_since(position)? else {
            return Ok(Err(format!("the index snapshot's position {position} is not in the change log")));
        };
        Ok(Ok(Self::from_snapshot(store, loaded, &changed)?))
    }

    /// The indexes from a decoded snapshot with the concepts in `changed`
    /// re-read from the store, the term table warming up on a new thread.
    /// (A PostgreSQL store passes none: its change feed is replayed from
    /// the snapshot's position once the glossary is open.)
    pub(crate) fn from_snapshot<'a>(
        store: &Store,
        loaded: index_snapshot::Decoded,
        changed: impl IntoIterator<Item = &'a ConceptId>,
    ) -> Result<(ConceptIndexes, IndexStart)> {
        let index_snapshot::Decoded { position, mut index, mut collections } = loaded;
        let mut replayed = 0;
        for id in changed {
            replayed += 1;
            match store.get(id)? {
                Some(c) => {
                    index.upsert(&c);
                    collections.upsert(&c.id, &c.collection);
                }
                None => {
                    index.remove(id);
                    collections.remove(id);
                }
            }
        }
        let copy = index.terms_copy();
        let indexes = ConceptIndexes {
            index: RwLock::new(index),
            terms: Arc::new(Terms::default()),
            collections: RwLock::new(collections),
            writes_in_flight: AtomicUsize::new(0),
        };
        let terms = indexes.terms.clone();
        let spawned = std::thread::Builder::new().name("term-table".into()).spawn(move || terms.warm_up(copy));
        if let Err(e) = spawned {
            // The copy went with the closure; build from the index here.
            log::warn!("cannot start the term-table thread ({e}); building it before opening");
            indexes.terms.warm_up(indexes.read_index().terms_copy());
        }
        Ok((indexes, IndexStart::Snapshot { position, replayed }))
    }

    /// Whether the term table is still being built after a start from the
    /// snapshot (lookups are served meanwhile; recognition waits).
    pub(crate) fn warming(&self) -> bool {
        !self.terms.warm.lock().unwrap_or_else(PoisonError::into_inner).ready
    }

    /// The snapshot of `index` (the locked lookup index) and the
    /// collections at `position`.
    pub(crate) fn encode_snapshot(&self, index: &TrigramIndex, position: u64) -> Vec<u8> {
        let collections = self.collections.read().unwrap_or_else(PoisonError::into_inner);
        index_snapshot::encode(position, index, &collections)
    }

    /// Brings the entries of `id` in line with the store. Reading the
    /// store *under the index lock* makes concurrent refreshes converge on
    /// the latest committed state, whatever order they run in.
    pub(crate) fn refresh(&self, store: &Store, id: &ConceptId) -> Result<()> {
        let mut index = self.write_index();
        let mut terms = self.terms.table.write().unwrap_or_else(PoisonError::into_inner);
        let mut collections = self.collections.write().unwrap_or_else(PoisonError::into_inner);
        let concept = store.get(id)?;
        match &concept {
            Some(c) => {
                index.upsert(c);
                collections.upsert(&c.id, &c.collection);
            }
            None => {
                index.remove(id);
                collections.remove(id);
            }
        }
        let mut warm = self.terms.warm.lock().unwrap_or_else(PoisonError::into_inner);
        if !warm.ready {
            warm.pending.push((id.clone(), concept));
            return Ok(());
        }
        match &concept {
            Some(c) => terms.upsert(c),
            None => terms.remove(id),
        }
        Ok(())
    }

    /// Terms whose `kind` key equals `key`, optionally restricted to
    /// languages under `lang` (RFC 4647 basic filtering), answered from the
    /// in-memory index (which every write refreshes).
    pub(crate) fn find_by_key(&self, kind: KeyKind, key: &str, lang: Option<&Lang>) -> Result<Vec<TermRef>> {
        let index = self.read_index();
        let refs = match kind {
            KeyKind::Folded => index.same_fold(key, lang),
            KeyKind::Normalized => {
                let fold = text::strip_diacritics(key);
                index.same_fold(&fold, lang).into_iter().filter(|t| t.norm == key).collect()
            }
        };
        let mut out: Vec<TermRef> =
            refs.into_iter().map(|t| TermRef { concept: t.concept.clone(), term: t.term }).collect();
        out.sort_by(|a, b| a.concept.as_str().cmp(b.concept.as_str()).then(a.term.cmp(&b.term)));
        Ok(out)
    }

    /// The glossary terms occurring in a sentence (see [`TermTable::find`]).
    /// Waits for the warm-up, if any.
    pub(crate) fn find_terms(&self, sentence: &str, src: &Lang) -> Vec<Occurrence> {
        self.terms.wait();
        self.terms.table.read().unwrap_or_else(PoisonError::into_inner).find(sentence, src)
    }

    /// The term table's generation (changes with every write).
    /// Waits for the warm-up, if any.
    pub(crate) fn generation(&self) -> u64 {
        self.terms.wait();
        self.terms.table.read().unwrap_or_else(PoisonError::into_inner).generation()
    }

    pub(crate) fn read_index(&self) -> RwLockReadGuard<'_, TrigramIndex> {
        // A panic while holding the lock cannot leave the index half-updated
        // in a way that matters more than losing lookups, so keep serving.
        self.index.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write_index(&self) -> RwLockWriteGuard<'_, TrigramIndex> {
        self.index.write().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_support::term;
    use crate::model::{ConceptDraft, TermStatus};
    use crate::{Glossary, OpenOptions};

    fn draft(vi: &str, en: &str) -> ConceptDraft {
        ConceptDraft {
            terms: vec![term("vi", vi, TermStatus::Preferred), term("en", en, TermStatus::Preferred)],
            ..Default::default()
        }
    }

    /// Writes made while the term table warms up are queued and applied
    /// before it is installed: the warmed table finds what a table kept
    /// current by every write finds, and nothing of the deleted concept.
    #[test]
    fn writes_during_the_warm_up_reach_the_table() {
        let dir = tempfile::tempdir().unwrap();
        let g = Glossary::open(dir.path(), &OpenOptions::default()).unwrap();
        let a = g.create(draft("hòa bình", "peace"), "t").unwrap();
        let b = g.create(draft("quan hệ ngoại giao", "diplomatic relations"), "t").unwrap();
        let c = g.create(draft("hiệp định", "agreement"), "t").unwrap();
        // Indexes as a start from a snapshot leaves them: the lookup index
        // loaded, the term table not yet built.
        let mut index = TrigramIndex::new();
        for concept in g.store.iter_from(None) {
            index.upsert(&concept.unwrap());
        }
        let copy = index.terms_copy();
        let warming = ConceptIndexes {
            index: RwLock::new(index),
            terms: Arc::new(Terms::default()),
            collections: RwLock::new(ConceptCollections::default()),
            writes_in_flight: AtomicUsize::new(0),
        };
        assert!(warming.warming());
        g.replace(&a.id, draft("hòa bình bền vững", "lasting peace"), None, "t").unwrap();
        g.delete(&b.id, None, "t").unwrap();
        let d = g.create(draft("đối tác chiến lược", "strategic partner"), "t").unwrap();
        for id in [&a.id, &b.id, &d.id] {
            warming.refresh(&g.store, id).unwrap();
        }
        assert!(warming.warming(), "still warming: the writes were queued");
        warming.terms.warm_up(copy);
        assert!(!warming.warming());
        let vi = Lang::new("vi").unwrap();
        for sentence in [
            "Vì hòa bình bền vững và hiệp định mới.",
            "Quan hệ ngoại giao với đối tác chiến lược.",
            "hoa binh va hiep dinh",
        ] {
            let mut got = warming.find_terms(sentence, &vi);
            let mut want = g.find_terms(sentence, &vi);
            for o in got.iter_mut().chain(want.iter_mut()) {
                o.terms.sort_by(|x, y| x.0.as_str().cmp(y.0.as_str()).then(x.1.cmp(&y.1)));
            }
            assert_eq!(got, want, "{sentence}");
        }
        let found = warming.find_terms("quan hệ ngoại giao", &vi);
        assert!(found.iter().all(|o| o.terms.iter().all(|t| t.0 != b.id)), "{found:?}");
        assert!(!warming.find_terms("hiệp định", &vi).is_empty(), "{:?}", c.id);
    }
}
