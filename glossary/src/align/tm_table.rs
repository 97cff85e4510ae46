//! A word translation table learned from the translation memory's pairs
//! for a language pair, and the per-language-pair cache that keeps it.
//!
//! A single short article has too few confident links to teach the aligner
//! a table of its own (`lexical.rs` needs [`super::lexical::MIN_LINKS`]);
//! the translation memory of a working server holds thousands of sentence
//! pairs of the same kind. [`WordTable::from_pairs`] trains IBM Model 1 on
//! them (the same EM as the document's own table, at most
//! [`MAX_TM_PAIRS`] pairs, units and words seen in fewer than
//! [`MIN_UNIT_PAIRS`] pairs dropped). The engine keeps one table per
//! language pair ([`TmWordTables`]); the request path only reads it, and a
//! rebuild is asked for when the TM has grown by [`REBUILD_GROWTH`] since
//! the last build ([`needs_rebuild`]) and done by the caller off the
//! request path.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::{learned, lexical};
use crate::error::Result;
use crate::model::Lang;
use crate::tm::TranslationMemory;

/// Most TM pairs a table is trained on (the newest are not preferred: the
/// TM is read in id order).
pub const MAX_TM_PAIRS: usize = 50_000;
/// Fewest TM pairs of a language pair worth a table; below this the
/// aligner works without one (a few pairs teach chance word pairs).
pub const MIN_TM_PAIRS: usize = 200;
/// A table is rebuilt when the TM holds this fraction more units than when
/// it was last built (0.25: at 1,000 units the next build is at 1,250).
pub const REBUILD_GROWTH: f64 = 0.25;
/// Units and words seen in fewer TM pairs than this are left out of the
/// table.
const MIN_UNIT_PAIRS: usize = 2;

/// A word translation table learned from sentence pairs (see the module
/// documentation), given to [`super::align_with`].
#[derive(Clone, Debug)]
pub struct WordTable {
    pub(crate) table: lexical::TranslationTable,
}

impl WordTable {
    /// Trains a table on `(source, target)` sentence pairs (the first
    /// [`MAX_TM_PAIRS`]). Source sentences are read as Vietnamese-style
    /// syllables and syllable bigrams, targets as content words.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> WordTable {
        let units: Vec<(Vec<String>, Vec<String>)> = pairs
            .into_iter()
            .take(MAX_TM_PAIRS)
            .map(|(s, t)| (learned::source_units(s), learned::target_units(t)))
            .filter(|(s, t)| !s.is_empty() && !t.is_empty())
            .collect();
        let links: Vec<(&[String], &[String])> = units.iter().map(|(s, t)| (s.as_slice(), t.as_slice())).collect();
        WordTable { table: lexical::TranslationTable::train_with(&links, MAX_TM_PAIRS, MIN_UNIT_PAIRS) }
    }

    /// Sentence pairs the table was trained on.
    pub fn pairs(&self) -> usize {
        self.table.links
    }

    /// `t(word | unit)`: how likely the source unit (a folded syllable or
    /// syllable bigram, e.g. "hop tac") is translated by the target word
    /// (folded, e.g. "cooperation"); 0 when the table does not know it.
    pub fn probability(&self, unit: &str, word: &str) -> f64 {
        self.table.probability(unit, word)
    }
}

/// Whether a table built when the TM held `built_at` units (`None`: never
/// built) should be rebuilt now that it holds `units`: the first time the
/// TM reaches [`MIN_TM_PAIRS`] units, then whenever it has grown by
/// [`REBUILD_GROWTH`].
pub fn needs_rebuild(built_at: Option<usize>, units: usize) -> bool {
    match built_at {
        None => units >= MIN_TM_PAIRS,
        Some(n) => units as f64 >= (n.max(MIN_TM_PAIRS) as f64) * (1.0 + REBUILD_GROWTH),
    }
}

#[derive(Default)]
struct Entry {
    table: Option<Arc<WordTable>>,
    built_at: Option<usize>,
    building: bool,
}

/// The engine's tables, one per language pair.
#[derive(Default)]
pub(crate) struct TmWordTables {
    entries: Mutex<HashMap<(String, String), Entry>>,
}

fn key(src: &Lang, tgt: &Lang) -> (String, String) {
    (src.as_str().to_ascii_lowercase(), tgt.as_str().to_ascii_lowercase())
}

impl TmWordTables {
    /// The current table of a language pair, and whether the caller should
    /// rebuild it (off the request path) because the TM, now of `units`
    /// units, has grown; only one caller is told to, until it calls
    /// [`TmWordTables::rebuild`].
    pub fn current(&self, src: &Lang, tgt: &Lang, units: usize) -> (Option<Arc<WordTable>>, bool) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let entry = entries.entry(key(src, tgt)).or_default();
        let rebuild = !entry.building && needs_rebuild(entry.built_at, units);
        if rebuild {
            entry.building = true;
        }
        (entry.table.clone(), rebuild)
    }

    /// Rebuilds the table of a language pair from `tm` (which held `units`
    /// units when the rebuild was asked for) and returns the pairs it came
    /// from. The TM is read and the table trained without holding the
    /// cache's lock.
    pub fn rebuild(&self, tm: &TranslationMemory, src: &Lang, tgt: &Lang, units: usize) -> Result<usize> {
        let built = read_pairs(tm, src, tgt).map(|pairs| {
            let table = WordTable::from_pairs(pairs.iter().map(|(s, t)| (s.as_str(), t.as_str())));
            (table.pairs() >= MIN_TM_PAIRS).then_some(table)
        });
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let entry = entries.entry(key(src, tgt)).or_default();
        entry.building = false;
        let table = built?;
        entry.built_at = Some(units);
        let pairs = table.as_ref().map_or(0, WordTable::pairs);
        entry.table = table.map(Arc::new);
        Ok(pairs)
    }
}

/// The TM's pairs of a language pair, in id order, at most [`MAX_TM_PAIRS`].
fn read_pairs(tm: &TranslationMemory, src: &Lang, tgt: &Lang) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for unit in tm.iter_from(None) {
        let unit = unit?;
        if unit.src_lang.matches(src) && unit.tgt_lang.matches(tgt) {
            out.push((unit.source, unit.target));
            if out.len() == MAX_TM_PAIRS {
                break;
            }
        }
    }
    Ok(out)
}
