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
//! rarest few words are read, and every segment found there is checked
//! against the length bound. **Count filter**: a segment of `m` words needs
//! `⌈t·max(n, m)⌉` shared elements; the ones not counted in the prefix lists
//! are looked up by binary search in the remaining (sorted) lists, stopping
//! as soon as the count is reached or out of reach. Survivors are verified
//! with an edit distance computed in the band `|i − j| ≤ max_ed`. Penalties
//! only lower scores, so filtering on the base score is exact for the final
//! score too (a property test checks this against brute force).

use std::cell::RefCell;
use std::collections::HashMap;

use super::concordance::ConcordanceIndex;
use super::matching::{base_score, Segment};
use super::TmUnit;
use crate::collections::{CollectionFilter, CollectionIds};
use crate::model::{Collection, Lang};

/// A source segment as the index holds it.
#[derive(Clone, Debug)]
struct Entry {
    id: u64,
    pair: u32,
    /// Collection id (see [`TmIndex::collections`]).
    coll: crate::collections::CollectionId,
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
    /// Collection names of the entries, interned, with counts.
    collections: CollectionIds,
    /// Slots are never reused (new segments get the next slot), so every
    /// posting list is sorted by construction; dead slots are `None` until
    /// the index compacts itself.
    entries: Vec<Option<Entry>>,
    /// Word count of every slot (0 when dead), apart from `entries` so the
    /// length filter reads little memory.
    lens: Vec<u32>,
    slot_of: HashMap<u64, u32>,
    postings: HashMap<u64, Vec<u32>>,
    /// Whole-word phrase search over both sides of the same units.
    pub(crate) concordance: ConcordanceIndex,
}

#[derive(Default)]
struct Scratch {
    /// Per slot: prefix elements shared with the query (zero between queries).
    count: Vec<u16>,
    touched: Vec<u32>,
    rows: Vec<usize>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
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

    /// Adds or replaces segment `id` with word keys `keys` for a language
    /// pair, in the default collection.
    pub fn upsert(&mut self, id: u64, src: &Lang, tgt: &Lang, keys: &[&str]) {
        self.upsert_in(id, &Collection::default(), src, tgt, keys);
    }

    /// Adds or replaces segment `id` of collection `collection`.
    pub fn upsert_in(&mut self, id: u64, collection: &Collection, src: &Lang, tgt: &Lang, keys: &[&str]) {
        self.remove(id);
        let coll = self.collections.intern(collection);
        let pair = match self.pairs.iter().position(|(s, t)| s == src && t == tgt) {
            Some(p) => p as u32,
            None => {
                self.pairs.push((src.clone(), tgt.clone()));
                self.pair_counts.push(0);
                (self.pairs.len() - 1) as u32
            }
        };
        let keys: Vec<u32> = keys
            .iter()
            .map(|k| match self.words.get(*k) {
                Some(&w) => w,
                None => {
                    let w = self.words.len() as u32;
                    self.words.insert((*k).to_string(), w);
                    w
                }
            })
            .collect();
        self.insert(Entry { id, pair, coll, keys });
    }

    fn insert(&mut self, entry: Entry) {
        let slot = self.entries.len() as u32;
        for e in elements(&entry.keys) {
            self.postings.entry(e).or_default().push(slot);
        }
        self.pair_counts[entry.pair as usize] += 1;
        self.collections.add(entry.coll);
        self.slot_of.insert(entry.id, slot);
        self.lens.push(entry.keys.len() as u32);
        self.entries.push(Some(entry));
    }

    /// Adds or replaces a stored unit: its source for fuzzy matching, both
    /// sides for concordance.
    pub fn upsert_unit(&mut self, unit: &TmUnit) {
        let seg = Segment::new(&unit.source);
        self.upsert_in(unit.id, &unit.collection, &unit.src_lang, &unit.tgt_lang, &seg.keys());
        self.concordance.upsert(unit);
    }

    /// The concordance part of the index.
    pub fn concordance(&self) -> &ConcordanceIndex {
        &self.concordance
    }

    /// Removes segment `id` if present.
    pub fn remove(&mut self, id: u64) {
        self.concordance.remove(id);
        let Some(slot) = self.slot_of.remove(&id) else { return };
        if let Some(entry) = self.entries[slot as usize].take() {
            self.lens[slot as usize] = 0;
            self.pair_counts[entry.pair as usize] -= 1;
            self.collections.sub(entry.coll);
            for e in elements(&entry.keys) {
                if let Some(list) = self.postings.get_mut(&e) {
                    if let Ok(p) = list.binary_search(&slot) {
                        list.remove(p);
                    }
                    if list.is_empty() {
                        self.postings.remove(&e);
                    }
                }
            }
        }
        self.maybe_compact();
    }

    /// Renumbers the live segments when most slots are dead (amortised
    /// O(1) per update).
    fn maybe_compact(&mut self) {
        let dead = self.entries.len() - self.slot_of.len();
        if dead < 1024 || dead < self.slot_of.len() {
            return;
        }
        let live: Vec<Entry> = std::mem::take(&mut self.entries).into_iter().flatten().collect();
        self.lens.clear();
        self.slot_of.clear();
        self.postings.clear();
        for c in &mut self.pair_counts {
            *c = 0;
        }
        self.collections.clear_counts();
        for entry in live {
            self.insert(entry);
        }
    }

    /// The collections of the indexed units, with their unit counts.
    pub fn collections(&self) -> &CollectionIds {
        &self.collections
    }

    /// Language pairs with at least one segment.
    pub fn language_pairs(&self) -> Vec<(Lang, Lang)> {
        self.pairs.iter().zip(&self.pair_counts).filter(|(_, &n)| n > 0).map(|(p, _)| p.clone()).collect()
    }

    /// Number of segments in language pairs under (`src`, `tgt`) (the pairs
    /// [`TmIndex::search`] looks in).
    pub fn pair_len(&self, src: &Lang, tgt: &Lang) -> usize {
        self.pairs
            .iter()
            .zip(&self.pair_counts)
            .filter(|((s, g), _)| s.matches(src) && g.matches(tgt))
            .map(|(_, &n)| n)
            .sum()
    }

    /// Every segment in a language pair under (`src`, `tgt`) whose base score
    /// against `query` is at least `threshold` (0–100), best first.
    pub fn search(&self, query: &[&str], src: &Lang, tgt: &Lang, threshold: f64) -> Vec<Candidate> {
        self.search_in(query, src, tgt, threshold, &CollectionFilter::all())
    }

    /// [`TmIndex::search`] among the segments of the collections `keep`
    /// lets through (checked on each candidate before its verification).
    pub fn search_in(
        &self,
        query: &[&str],
        src: &Lang,
        tgt: &Lang,
        threshold: f64,
        keep: &CollectionFilter,
    ) -> Vec<Candidate> {
        SCRATCH.with(|s| self.search_with(query, src, tgt, threshold, keep, &mut s.borrow_mut()))
    }

    /// The collection id of segment `id`, if indexed.
    pub fn collection_of(&self, id: u64) -> Option<crate::collections::CollectionId> {
        let slot = *self.slot_of.get(&id)?;
        self.entries[slot as usize].as_ref().map(|e| e.coll)
    }

    fn search_with(
        &self,
        query: &[&str],
        src: &Lang,
        tgt: &Lang,
        threshold: f64,
        keep: &CollectionFilter,
        s: &mut Scratch,
    ) -> Vec<Candidate> {
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
        let empty: &[u32] = &[];
        let mut elems: Vec<&[u32]> =
            elements(&keys).iter().map(|e| self.postings.get(e).map_or(empty, Vec::as_slice)).collect();
        elems.sort_by_key(|l| l.len());
        let pairs: Vec<bool> = self.pairs.iter().map(|(s, g)| s.matches(src) && g.matches(tgt)).collect();
        let (min_len, max_len) = ((t * n as f64 - 1e-9).ceil() as usize, (n as f64 / t + 1e-9).floor() as usize);
        // Count filter, phase 1: shared prefix elements per segment, for
        // segments whose length can reach the threshold.
        s.count.resize(self.entries.len(), 0);
        s.touched.clear();
        for list in &elems[..prefix_len] {
            for &slot in *list {
                let m = self.lens[slot as usize] as usize;
                if m < min_len || m > max_len {
                    continue;
                }
                let c = &mut s.count[slot as usize];
                if *c == 0 {
                    s.touched.push(slot);
                }
                *c = c.saturating_add(1);
            }
        }
        let suffix = &elems[prefix_len..];
        let mut out = Vec::new();
        for i in 0..s.touched.len() {
            let slot = s.touched[i];
            let mut shared = usize::from(std::mem::take(&mut s.count[slot as usize]));
            let m = self.lens[slot as usize] as usize;
            // Phase 2: the segment needs ⌈t·max(n, m)⌉ shared elements; look
            // the others up in the remaining (commoner) lists, stopping as
            // soon as the count is reached or out of reach.
            let required = (t * n.max(m) as f64 - 1e-9).ceil() as usize;
            let mut left = suffix.len();
            for list in suffix {
                if shared >= required || shared + left < required {
                    break;
                }
                left -= 1;
                shared += usize::from(list.binary_search(&slot).is_ok());
            }
            if shared < required {
                continue;
            }
            let Some(entry) = &self.entries[slot as usize] else { continue };
            if !pairs[entry.pair as usize] || !keep.allows(entry.coll) {
                continue;
            }
            let max_ed = ((1.0 - t) * n.max(m) as f64 + 1e-9).floor() as usize;
            if let Some(ed) = bounded_edit_distance(&keys, &entry.keys, max_ed, &mut s.rows) {
                let base = base_score(ed, n, m);
                if base + 1e-9 >= threshold {
                    out.push(Candidate { id: entry.id, base, edits: ed });
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

/// Levenshtein distance of two key sequences if at most `max`, computed
/// only in the diagonal band `|i − j| ≤ max` (cells outside it exceed
/// `max` anyway), with the row buffer reused across calls.
fn bounded_edit_distance(a: &[u32], b: &[u32], max: usize, rows: &mut Vec<usize>) -> Option<usize> {
    let (n, m) = (a.len(), b.len());
    if n.abs_diff(m) > max {
        return None;
    }
    let inf = max + 1;
    rows.clear();
    rows.resize(2 * (m + 1), inf);
    let (mut prev, mut cur) = (0, m + 1);
    for j in 0..=m.min(max) {
        rows[prev + j] = j;
    }
    for i in 1..=n {
        let lo = i.saturating_sub(max).max(1);
        let hi = (i + max).min(m);
        rows[cur] = if i <= max { i } else { inf };
        if lo > 1 {
            rows[cur + lo - 1] = inf;
        }
        let mut row_min = rows[cur];
        for j in lo..=hi {
            let sub = rows[prev + j - 1] + usize::from(a[i - 1] != b[j - 1]);
            let v = sub.min(rows[prev + j] + 1).min(rows[cur + j - 1] + 1).min(inf);
            rows[cur + j] = v;
            row_min = row_min.min(v);
        }
        if hi < m {
            rows[cur + hi + 1] = inf;
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    let d = rows[prev + m];
    (d <= max).then_some(d)
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
