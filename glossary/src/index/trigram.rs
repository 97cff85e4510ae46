//! A character-trigram inverted index over folded term keys.
//!
//! Each folded key is padded with a space on both sides and cut into
//! overlapping three-character grams; every gram maps to the terms that
//! contain it. A query's candidates are the terms sharing the most grams
//! with it. This is the classic approach of `pg_trgm` and of many spelling
//! correctors: simple, incremental, and good at typos, but its work grows
//! with the length of the posting lists of common grams.

use std::collections::HashMap;

use super::{contains_at_boundary, CandidateIndex, IndexedTerm};
use crate::model::{Concept, ConceptId, Lang};

/// See the module docs.
#[derive(Default)]
pub struct TrigramIndex {
    slots: Vec<Option<IndexedTerm>>,
    free: Vec<u32>,
    by_concept: HashMap<ConceptId, Vec<u32>>,
    postings: HashMap<u64, Vec<u32>>,
}

/// Packs three chars into one integer key (21 bits each covers all of Unicode).
fn gram_key(a: char, b: char, c: char) -> u64 {
    (u64::from(a as u32) << 42) | (u64::from(b as u32) << 21) | u64::from(c as u32)
}

/// Distinct grams of `" " + s + " "` (or only the left pad with `right_pad` false).
fn grams(s: &str, right_pad: bool) -> Vec<u64> {
    let mut chars: Vec<char> = Vec::with_capacity(s.len() + 2);
    chars.push(' ');
    chars.extend(s.chars());
    if right_pad {
        chars.push(' ');
    }
    let mut out: Vec<u64> = chars.windows(3).map(|w| gram_key(w[0], w[1], w[2])).collect();
    out.sort_unstable();
    out.dedup();
    out
}

impl TrigramIndex {
    /// An empty index.
    pub fn new() -> Self {
        Self::default()
    }

    fn insert(&mut self, term: IndexedTerm) {
        let g = grams(&term.fold, true);
        let slot = match self.free.pop() {
            Some(s) => {
                self.slots[s as usize] = Some(term);
                s
            }
            None => {
                self.slots.push(Some(term));
                (self.slots.len() - 1) as u32
            }
        };
        let concept = self.slots[slot as usize].as_ref().map(|t| t.concept.clone()).expect("just filled");
        for k in g {
            self.postings.entry(k).or_default().push(slot);
        }
        self.by_concept.entry(concept).or_default().push(slot);
    }

    fn entry(&self, slot: u32) -> Option<&IndexedTerm> {
        self.slots.get(slot as usize).and_then(Option::as_ref)
    }
}

impl CandidateIndex for TrigramIndex {
    fn upsert(&mut self, concept: &Concept) {
        self.remove(&concept.id);
        for t in IndexedTerm::from_concept(concept) {
            self.insert(t);
        }
    }

    fn remove(&mut self, id: &ConceptId) {
        let Some(slots) = self.by_concept.remove(id) else { return };
        for slot in slots {
            if let Some(term) = self.slots[slot as usize].take() {
                for k in grams(&term.fold, true) {
                    if let Some(list) = self.postings.get_mut(&k) {
                        list.retain(|&s| s != slot);
                        if list.is_empty() {
                            self.postings.remove(&k);
                        }
                    }
                }
                self.free.push(slot);
            }
        }
    }

    fn len(&self) -> usize {
        self.slots.len() - self.free.len()
    }

    fn fuzzy_candidates(&self, fold: &str, lang: &Lang, max: usize) -> Vec<&IndexedTerm> {
        let q = grams(fold, true);
        if q.is_empty() || max == 0 {
            return Vec::new();
        }
        let mut hits: HashMap<u32, u32> = HashMap::new();
        for k in &q {
            if let Some(list) = self.postings.get(k) {
                for &slot in list {
                    *hits.entry(slot).or_insert(0) += 1;
                }
            }
        }
        // Rank by Dice coefficient on gram sets, so a short term inside a long
        // query and a long term containing a short query both score below a
        // term of the query's own size.
        let qn = q.len() as f64;
        let mut scored: Vec<(f64, u32)> = hits
            .into_iter()
            .filter_map(|(slot, shared)| {
                let t = self.entry(slot)?;
                if !t.lang.matches(lang) {
                    return None;
                }
                let tn = (t.fold.chars().count() + 1) as f64;
                Some((2.0 * f64::from(shared) / (qn + tn), slot))
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.truncate(max);
        scored.into_iter().filter_map(|(_, s)| self.entry(s)).collect()
    }

    fn containing(&self, fold: &str, lang: Option<&Lang>) -> Vec<&IndexedTerm> {
        let keep =
            |t: &IndexedTerm| lang.is_none_or(|l| t.lang.matches(l)) && contains_at_boundary(&t.fold, fold, false);
        let q = grams(fold, false);
        if q.is_empty() {
            // Single character: no gram to narrow with.
            return self.slots.iter().flatten().filter(|t| keep(t)).collect();
        }
        // Intersect through the rarest gram's posting list.
        let rarest = q.iter().map(|k| self.postings.get(k).map_or(&[][..], Vec::as_slice)).min_by_key(|l| l.len());
        rarest.unwrap_or(&[]).iter().filter_map(|&s| self.entry(s)).filter(|t| keep(t)).collect()
    }
}
