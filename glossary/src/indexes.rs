//! The in-memory indexes of the concepts: the lookup [`CandidateIndex`] and
//! the recognition [`TermTable`], built from the store when the glossary
//! opens and kept in step by [`ConceptIndexes::refresh`] after every
//! concept write. Features that need them (lookup, import matching, mining,
//! recognition, alignment anchors) borrow this handle; it owns both locks.
//!
//! # Lock order
//! `refresh` takes the index lock, then the term-table lock, then the
//! collections lock, and reads the store while holding them; every other
//! method takes one of them alone and never calls the store under it. No
//! code takes them in another order. (`Glossary::collections` reads the
//! collections, then the TM index: a separate feature's leaf lock.)

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::collections::ConceptCollections;
use crate::engine::IndexStart;
use crate::error::Result;
use crate::index::{CandidateIndex, KeyKind, TermRef, TrigramIndex};
use crate::model::{ConceptId, Lang};
use crate::recognize::{Occurrence, TermTable};
use crate::store::Store;
use crate::text;

/// The lookup index and the term table of the stored concepts.
pub(crate) struct ConceptIndexes {
    index: RwLock<Box<dyn CandidateIndex>>,
    /// Terms for recognition, kept current by every write.
    pub(crate) terms: RwLock<TermTable>,
    /// The collection of every concept (see [`crate::collections`]).
    pub(crate) collections: RwLock<ConceptCollections>,
    /// Concept writes between their commit and the end of their index
    /// refresh (see [`ConceptIndexes::begin_write`]); an index snapshot is
    /// taken only when none is.
    writes_in_flight: AtomicUsize,
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
        let mut index: Box<dyn CandidateIndex> = Box::new(TrigramIndex::new());
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
            terms: RwLock::new(terms),
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

    /// Builds both from every concept of the store, telling why.
    pub(crate) fn open(store: &Store) -> Result<(ConceptIndexes, IndexStart)> {
        Ok((ConceptIndexes::build(store)?, IndexStart::Rebuilt("the snapshot format is being replaced".into())))
    }

    /// Brings the entries of `id` in line with the store. Reading the
    /// store *under the index lock* makes concurrent refreshes converge on
    /// the latest committed state, whatever order they run in.
    pub(crate) fn refresh(&self, store: &Store, id: &ConceptId) -> Result<()> {
        let mut index = self.write_index();
        let mut terms = self.terms.write().unwrap_or_else(PoisonError::into_inner);
        let mut collections = self.collections.write().unwrap_or_else(PoisonError::into_inner);
        match store.get(id)? {
            Some(c) => {
                index.upsert(&c);
                terms.upsert(&c);
                collections.upsert(&c.id, &c.collection);
            }
            None => {
                index.remove(id);
                terms.remove(id);
                collections.remove(id);
            }
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
    pub(crate) fn find_terms(&self, sentence: &str, src: &Lang) -> Vec<Occurrence> {
        self.terms.read().unwrap_or_else(PoisonError::into_inner).find(sentence, src)
    }

    /// The term table's generation (changes with every write).
    pub(crate) fn generation(&self) -> u64 {
        self.terms.read().unwrap_or_else(PoisonError::into_inner).generation()
    }

    pub(crate) fn read_index(&self) -> RwLockReadGuard<'_, Box<dyn CandidateIndex>> {
        // A panic while holding the lock cannot leave the index half-updated
        // in a way that matters more than losing lookups, so keep serving.
        self.index.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write_index(&self) -> RwLockWriteGuard<'_, Box<dyn CandidateIndex>> {
        self.index.write().unwrap_or_else(PoisonError::into_inner)
    }
}
