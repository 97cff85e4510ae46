//! In-memory index for TM fuzzy matching, exact above the threshold.
//!
//! # Why nothing above the threshold is missed
//! A stored source of `m` words can only reach a base score `t` (a fraction)
//! against a query of `n` words if its edit distance `ed ≤ (1 − t)·max(n, m)`.
//! Two facts follow:
//! - **Length bound**: `ed ≥ |n − m|`, so `t·n ≤ m ≤ n / t`.
//! - **Count bound**: every word of the longer sequence that is not paired
//!   with an identical word costs at least one edit, so the two share at
//!   least `max(n, m) − ed ≥ ⌈t·n⌉` words (as multisets).
//!
//! Words are indexed as *(word, occurrence)* elements ("của" twice gives
//! `(của,1)` and `(của,2)`), which turns multiset overlap into set overlap.
//! **Prefix filter**: order the query's `n` elements by how rare they are and
//! keep the first `n − ⌈t·n⌉ + 1`; a source sharing none of them shares at
//! most `⌈t·n⌉ − 1` elements and cannot qualify. So only the postings of the
//! rarest few words are read, every candidate is checked against the length
//! bound, and survivors are verified with a bounded edit distance. Penalties
//! only lower scores, so filtering on the base score is exact for the final
//! score too (a property test checks this against brute force).

use std::collections::{HashMap, HashSet};

use super::matching::{base_score, edit_distance};
use crate::model::Lang;

/// A source segment as the index holds it.
#[derive(Clone, Debug)]
struct Entry {
    id: u64,
    pair: u16,
    keys: Vec<u32>,
}

/// One candidate that passed the filters and the verification.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Candidate {
    /// Unit id.
    pub id: u64,
    /// Base score (0–100) from the word edit distance.
    pub base: f64,
    /// Word edit distance.
    pub edits: usize,
}

/// See the module docs.
#[derive(Default)]
pub struct TmIndex {
    words: HashMap<String, u32>,
    pairs: Vec<(Lang, Lang)>,
    pair_counts: Vec<usize>,
    entries: Vec<Option<Entry>>,
    free: Vec<u32>,
    slot_of: HashMap<u64, u32>,
    postings: HashMap<u64, Vec<u32>>,
}

fn element(word: u32, occurrence: u32) -> u64 {
    (u64::from(word) << 32) | u64::from(occurrence)
}

/// The (word, occurrence) elements of a key sequence.
fn elements(keys: &[u32]) -> Vec<u64> {
    let mut seen: HashMap<u32, u32> = HashMap::new();
    keys.iter()
        .map(|&k| {
            let n = seen.entry(k).or_insert(0);
            *n += 1;
            element(k, *n)
        })
        .collect()
}

impl TmIndex {
    /// An empty index.
    pub fn new() -> TmIndex {
        TmIndex::default()
    }

    /// Number of indexed segments.
    pub fn len(&self) -> usize {
        self.slot_of.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.slot_of.is_empty()
    }

    /// Adds or replaces segment `id` with word keys `keys` for a language pair.
    pub fn upsert(&mut self, id: u64, src: &Lang, tgt: &Lang, keys: &[&str]) {
        self.remove(id);
        let pair = match self.pairs.iter().position(|(s, t)| s == src && t == tgt) {
            Some(p) => p as u16,
            None => {
                self.pairs.push((src.clone(), tgt.clone()));
                self.pair_counts.push(0);
                (self.pairs.len() - 1) as u16
            }
        };
        let keys: Vec<u32> = keys
            .iter()
            .map(|k| {
                let len = self.words.len() as u32;
                *self.words.entry((*k).to_string()).or_insert(len)
            })
            .collect();
        let slot = match self.free.pop() {
            Some(s) => s,
            None => {
                self.entries.push(None);
                (self.entries.len() - 1) as u32
            }
        };
        for e in elements(&keys) {
            self.postings.entry(e).or_default().push(slot);
        }
        self.pair_counts[pair as usize] += 1;
        self.entries[slot as usize] = Some(Entry { id, pair, keys });
        self.slot_of.insert(id, slot);
    }

    /// Removes segment `id` if present.
    pub fn remove(&mut self, id: u64) {
        let Some(slot) = self.slot_of.remove(&id) else { return };
        if let Some(entry) = self.entries[slot as usize].take() {
            self.pair_counts[entry.pair as usize] -= 1;
            for e in elements(&entry.keys) {
                if let Some(list) = self.postings.get_mut(&e) {
                    list.retain(|&s| s != slot);
                    if list.is_empty() {
                        self.postings.remove(&e);
                    }
                }
            }
        }
        self.free.push(slot);
    }

    /// Language pairs with at least one segment.
    pub fn language_pairs(&self) -> Vec<(Lang, Lang)> {
        self.pairs.iter().zip(&self.pair_counts).filter(|(_, &n)| n > 0).map(|(p, _)| p.clone()).collect()
    }

    /// Every segment in a language pair under (`src`, `tgt`) whose base score
    /// against `query` is at least `threshold` (0–100), best first.
    pub fn search(&self, query: &[&str], src: &Lang, tgt: &Lang, threshold: f64) -> Vec<Candidate> {
        let n = query.len();
        if n == 0 {
            return Vec::new();
        }
        let t = (threshold / 100.0).clamp(0.01, 1.0);
        // Words unknown to the index get ids that match nothing.
        let mut unknown = u32::MAX;
        let keys: Vec<u32> = query
            .iter()
            .map(|k| {
                self.words.get(*k).copied().unwrap_or_else(|| {
                    unknown -= 1;
                    unknown
                })
            })
            .collect();
        let need = (t * n as f64 - 1e-9).ceil() as usize;
        let prefix_len = n - need.min(n) + 1;
        let mut elems = elements(&keys);
        elems.sort_by_key(|e| self.postings.get(e).map_or(0, Vec::len));
        let pairs: HashSet<u16> = self
            .pairs
            .iter()
            .enumerate()
            .filter(|(_, (s, g))| s.matches(src) && g.matches(tgt))
            .map(|(i, _)| i as u16)
            .collect();
        let (min_len, max_len) = ((t * n as f64 - 1e-9).ceil() as usize, (n as f64 / t + 1e-9).floor() as usize);
        let mut seen: HashSet<u32> = HashSet::new();
        let mut out = Vec::new();
        for e in elems.iter().take(prefix_len) {
            for &slot in self.postings.get(e).map_or(&[][..], Vec::as_slice) {
                if !seen.insert(slot) {
                    continue;
                }
                let Some(entry) = &self.entries[slot as usize] else { continue };
                let m = entry.keys.len();
                if m < min_len || m > max_len || !pairs.contains(&entry.pair) {
                    continue;
                }
                let max_ed = ((1.0 - t) * n.max(m) as f64 + 1e-9).floor() as usize;
                if let Some(ed) = edit_distance(&keys, &entry.keys, max_ed) {
                    let base = base_score(ed, n, m);
                    if base + 1e-9 >= threshold {
                        out.push(Candidate { id: entry.id, base, edits: ed });
                    }
                }
            }
        }
        out.sort_by(|a, b| b.base.total_cmp(&a.base).then(a.id.cmp(&b.id)));
        out
    }

    /// Ids of segments in a language pair under (`src`, `tgt`) whose words
    /// contain `keys` as a contiguous run, in no particular order. Reads
    /// the postings of the rarest word only.
    pub fn containing(&self, keys: &[&str], src: &Lang, tgt: &Lang) -> Vec<u64> {
        let Some(ids) = keys.iter().map(|k| self.words.get(*k).copied()).collect::<Option<Vec<u32>>>() else {
            return Vec::new();
        };
        let Some(rarest) = ids
            .iter()
            .map(|&w| self.postings.get(&element(w, 1)).map_or(&[][..], Vec::as_slice))
            .min_by_key(|l| l.len())
        else {
            return Vec::new();
        };
        rarest
            .iter()
            .filter_map(|&slot| self.entries[slot as usize].as_ref())
            .filter(|e| {
                let (s, g) = &self.pairs[e.pair as usize];
                s.matches(src) && g.matches(tgt) && e.keys.windows(ids.len()).any(|w| w == ids.as_slice())
            })
            .map(|e| e.id)
            .collect()
    }

    /// Brute force over every segment: the reference the index is tested
    /// against, and the baseline of the benchmark.
    pub fn search_brute_force(&self, query: &[&str], src: &Lang, tgt: &Lang, threshold: f64) -> Vec<Candidate> {
        let mut out = Vec::new();
        let q: Vec<Option<u32>> = query.iter().map(|k| self.words.get(*k).copied()).collect();
        for entry in self.entries.iter().flatten() {
            let (s, g) = &self.pairs[entry.pair as usize];
            if !(s.matches(src) && g.matches(tgt)) {
                continue;
            }
            let e: Vec<Option<u32>> = entry.keys.iter().map(|k| Some(*k)).collect();
            // `None` (unknown word) never equals anything, not even another None.
            let ed = edit_distance_opt(&q, &e);
            let base = base_score(ed, q.len(), e.len());
            if !q.is_empty() && base + 1e-9 >= threshold {
                out.push(Candidate { id: entry.id, base, edits: ed });
            }
        }
        out.sort_by(|a, b| b.base.total_cmp(&a.base).then(a.id.cmp(&b.id)));
        out
    }
}

fn edit_distance_opt(a: &[Option<u32>], b: &[Option<u32>]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, x) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, y) in b.iter().enumerate() {
            let same = x.is_some() && x == y;
            cur[j + 1] = (prev[j] + usize::from(!same)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}
