//! # glossary
//!
//! The engine of a bilingual glossary and translation-memory server for
//! diplomatic texts, Vietnamese → English first. It knows nothing about
//! HTTP: the `server` crate is a thin adapter over [`Glossary`].
//!
//! ```
//! use glossary::{ConceptDraft, Glossary, Lang, LookupQuery, OpenOptions, Term, TermStatus};
//!
//! let dir = tempfile::tempdir().unwrap();
//! let glossary = Glossary::open(dir.path(), &OpenOptions::default()).unwrap();
//! let term = |lang: &str, text: &str| Term {
//!     lang: Lang::new(lang).unwrap(),
//!     text: text.into(),
//!     status: TermStatus::Preferred,
//!     part_of_speech: None,
//!     term_type: None,
//!     context: None,
//!     source: None,
//!     note: None,
//! };
//! glossary
//!     .create(
//!         ConceptDraft {
//!             terms: vec![term("vi", "hữu nghị vĩ đại"), term("en", "great friendship")],
//!             ..Default::default()
//!         },
//!         "example", // who: recorded in the concept's history
//!     )
//!     .unwrap();
//!
//! // Typed without diacritics, found all the same.
//! let hits = glossary
//!     .lookup(&LookupQuery {
//!         text: "huu nghi vi dai".into(),
//!         src: Lang::new("vi").unwrap(),
//!         tgt: Some(Lang::new("en").unwrap()),
//!         limit: 5,
//!         collections: Default::default(), // every collection
//!     })
//!     .unwrap();
//! assert_eq!(hits[0].term.text, "hữu nghị vĩ đại");
//! assert_eq!(hits[0].targets[0].text, "great friendship");
//! ```
//!
//! ## Overview
//! - [`text`]: Vietnamese normalisation (NFC, tone placement, folding),
//!   tokenising and sentence splitting. Pure functions.
//! - [`model`]: concepts and terms (TBX model) with their invariants.
//! - [`store`]: durable storage behind one seam (the `Backend` trait; sled by
//!   default); every acknowledged write is durable.
//! - [`history`]: concept change history and diffs.
//! - [`index`]: the in-memory candidate index behind fuzzy lookup.
//! - [`lookup`]: scoring and ranking of lookup hits.
//! - [`tm`]: translation memory: units, fuzzy matching with penalties and
//!   diffs, the exact candidate index, placeables and suggestions.
//! - [`recognize`]: glossary terms occurring in a sentence (term-key probes, on word boundaries).
//! - [`mining`]: term candidates mined from Vietnamese documents, and their
//!   review queue.
//! - [`Glossary`]: the handle that keeps store and index in step.
//! - [`align`]: sentence alignment of a document with its translation, and
//!   English equivalents mined from aligned pairs.
//! - [`jobs`]: imports and mining runs as recorded jobs; the runner of
//!   background work and its bound.
//! - [`formats`]: exchange files (TBX v3, TBX 2008, TSV, CSV, TMX), read
//!   safely and written in a streaming fashion.
#![deny(missing_docs)]

pub mod align;
pub mod collections;
pub mod error;
pub mod formats;
pub mod history;
pub mod index;
pub mod jobs;
pub mod lookup;
pub mod mining;
pub mod model;
pub mod recognize;
pub mod starter;
pub mod store;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod text;
pub mod tm;

mod engine;
mod follow;
mod indexes;

pub use collections::CollectionSelection;
pub use engine::{
    ConceptPage, ConceptQuery, Glossary, IndexStart, OpenOptions, Stats, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE,
};
pub use error::FileProblem;
pub use error::{Error, RecordKind, Result};
pub use follow::{FeedPosition, FeedStatus};
pub use formats::{ExportFilter, ExportSummary, Format, ImportOptions, ImportReport};
pub use lookup::{LookupHit, LookupQuery, MatchKind};
pub use model::{
    Collection, Concept, ConceptDraft, ConceptId, Lang, PartOfSpeech, Term, TermStatus, TermType, Timestamp,
};
