//! The lookup index: exact key maps, an edit-distance-1 neighbourhood and
//! a character-trigram inverted index with count filtering (CPMerge).
//!
//! # What a fuzzy query gets
//! [`CandidateIndex::fuzzy_candidates`] returns, for a folded query `q`:
//! 1. **every** term whose folded key is at Damerau–Levenshtein distance
//!    exactly 1 from `q` (one typo: a letter inserted, deleted, replaced, or
//!    two neighbours swapped), for queries of up to
//!    [`NEIGHBOURHOOD_MAX_CHARS`] characters. The neighbourhood is generated
//!    on the query side (every variant over the alphabet of the indexed keys
//!    in the query's language)
//!    and looked up in the exact folded-key map, so it costs a few hundred
//!    hash probes and no extra memory;
//! 2. **every** term with the same syllables in another order (a hash map
//!    keyed by the sorted syllables);
//! 3. up to `max` further terms ranked by the Dice coefficient of their
//!    trigram sets with the query's, among those whose Dice coefficient is at
//!    least a threshold α. α is the lowest of 0.5, 0.6, 0.7, 0.8 whose
//!    estimated work (postings to read) fits [`POSTINGS_BUDGET`]: small
//!    glossaries get a permissive threshold, huge ones a strict one, and no
//!    query reads more than a bounded number of postings.
//!
//! Terms with the query's own folded key come from [`CandidateIndex::same_fold`].
//!
//! # Count filtering
//! Keys are padded with a space on both sides and cut into distinct
//! trigrams. With `|X|` the query's trigram count and `|Y|` a term's, Dice
//! `2|X∩Y| / (|X|+|Y|) ≥ α` implies `α/(2−α)·|X| ≤ |Y| ≤ (2−α)/α·|X|` and
//! `|X∩Y| ≥ τ = ⌈α(|X|+|Y|)/2⌉`. Postings are kept per (trigram, `|Y|`), so
//! each admissible size is a separate bucket with its own τ, and a term of
//! that size sharing τ trigrams with the query must appear in at least one
//! of the query's `|X| − τ + 1` rarest trigrams' lists (Okazaki & Tsujii
//! 2010, "Simple and efficient algorithm for approximate dictionary
//! matching"). Only those lists are read; each term found is verified by
//! merging its sorted trigram ids with the query's.
//!
//! # Updates
//! Slots are never reused: a new term gets the next slot number, so every
//! posting list stays sorted by construction; removal deletes by binary
//! search. When more than half the slots are dead the index rebuilds
//! itself (amortised O(1) per update).

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::{contains_at_boundary, CandidateIndex, IndexedTerm};
use crate::model::{Concept, ConceptId, Lang};

/// Queries up to this many characters get their whole edit-distance-1
/// neighbourhood looked up (longer ones rely on trigrams, where one edit
/// barely changes the Dice coefficient anyway).
pub const NEIGHBOURHOOD_MAX_CHARS: usize = 48;
/// Most postings one query's trigram stage reads (the count filter picks
/// the strictest threshold that fits; a query that does not fit even at
/// the strictest one stops reading here).
pub const POSTINGS_BUDGET: usize = 6_000;
/// Dice thresholds tried, most permissive first.
const DICE_LADDER: [f64; 4] = [0.5, 0.6, 0.7, 0.8];
/// Most terms whose trigram overlap is computed exactly per query, taken
/// in order of how many of the query's rarest trigrams they share.
pub const VERIFY_BUDGET: usize = 256;
/// Candidates are grouped by missing signature trigrams, up to this many levels.
const LEVELS: usize = 64;
/// Characters used to build neighbourhood variants: the most frequent ones
/// of the indexed keys (Vietnamese folded keys use about 25).
const ALPHABET_MAX: usize = 40;
const NONE: u32 = u32::MAX;

/// See the module docs.
#[derive(Default)]
pub struct TrigramIndex {
    slots: Vec<Slot>,
    live: usize,
    by_concept: HashMap<ConceptId, Vec<u32>>,
    /// Packed trigram → dense id.
    gram_ids: HashMap<u64, u32, Identity>,
    /// Number of live terms containing each trigram (all sizes).
    gram_df: Vec<u32>,
    /// (trigram id, trigram count of the term) → slots, ascending.
    postings: HashMap<u64, Vec<u32>, Identity>,
    /// Live terms per trigram count.
    size_counts: Vec<u32>,
    /// Sorted distinct trigram ids of every slot, back to back.
    gram_arena: Vec<u32>,
    /// Per slot: where its trigram ids start in `gram_arena`, and how many.
    /// Kept apart from `slots` so verification touches only small data.
    gram_spans: Vec<(u32, u32)>,
    /// Hash of the folded key → first slot; chains continue in `Slot::next_fold`.
    by_fold: HashMap<u64, u32, Identity>,
    /// Hash of the sorted syllables → first slot; chains in `Slot::next_sorted`.
    by_sorted: HashMap<u64, u32, Identity>,
    /// Per primary language subtag: how often each character occurs in
    /// folded keys.
    char_counts: HashMap<String, HashMap<char, u32>>,
    /// Per primary language subtag: the characters neighbourhood variants
    /// are built from, UTF-8 encoded (a Vietnamese query is not tried with
    /// the digits of English terms).
    alphabets: HashMap<String, Vec<Vec<u8>>>,
}

struct Slot {
    term: Option<IndexedTerm>,
    next_fold: u32,
    next_sorted: u32,
}

impl TrigramIndex {
    /// An empty index.
    pub fn new() -> Self {
        Self::default()
    }

    /// Approximate heap bytes held by the index (terms, postings, maps),
    /// for capacity planning; allocator overhead is not counted.
    pub fn approx_heap_bytes(&self) -> usize {
        let strings: usize = self
            .slots
            .iter()
            .filter_map(|s| s.term.as_ref())
            .map(|t| t.text.capacity() + t.norm.capacity() + t.fold.capacity() + t.concept.as_str().len() + 8)
            .sum();
        let postings: usize = self.postings.values().map(|v| v.capacity() * 4 + 24).sum();
        let map_entry = 16 + 1;
        strings
            + self.slots.capacity() * std::mem::size_of::<Slot>()
            + self.gram_arena.capacity() * 4
            + self.gram_spans.capacity() * 8
            + postings
            + (self.postings.capacity()
                + self.gram_ids.capacity()
                + self.by_fold.capacity()
                + self.by_sorted.capacity())
                * map_entry
            + self.by_concept.capacity() * (24 + 24 + 1)
            + self.by_concept.values().map(|v| v.capacity() * 4).sum::<usize>()
    }

    fn insert(&mut self, term: IndexedTerm) {
        let slot = self.slots.len() as u32;
        let mut ids: Vec<u32> = Vec::new();
        for_each_gram(&term.fold, true, |g| {
            let next = self.gram_ids.len() as u32;
            let id = *self.gram_ids.entry(g).or_insert(next);
            ids.push(id);
        });
        ids.sort_unstable();
        ids.dedup();
        let size = ids.len();
        if self.gram_df.len() < self.gram_ids.len() {
            self.gram_df.resize(self.gram_ids.len(), 0);
        }
        if self.size_counts.len() <= size {
            self.size_counts.resize(size + 1, 0);
        }
        self.size_counts[size] += 1;
        for &id in &ids {
            self.gram_df[id as usize] += 1;
            self.postings.entry(posting_key(id, size)).or_default().push(slot);
        }
        let grams_at = self.gram_arena.len() as u32;
        self.gram_arena.extend_from_slice(&ids);
        let primary = term.lang.primary().to_ascii_lowercase();
        let counts = self.char_counts.entry(primary.clone()).or_default();
        let mut new_char = false;
        for c in term.fold.chars() {
            let n = counts.entry(c).or_insert(0);
            new_char |= *n == 0;
            *n += 1;
        }
        if new_char {
            self.refresh_alphabet(&primary);
        }
        let fold_hash = hash_str(&term.fold);
        let next_fold = self.by_fold.insert(fold_hash, slot).unwrap_or(NONE);
        let next_sorted = match sorted_syllables_hash(&term.fold) {
            Some(h) => self.by_sorted.insert(h, slot).unwrap_or(NONE),
            None => NONE,
        };
        self.by_concept.entry(term.concept.clone()).or_default().push(slot);
        self.slots.push(Slot { term: Some(term), next_fold, next_sorted });
        self.gram_spans.push((grams_at, size as u32));
        self.live += 1;
    }

    fn remove_slot(&mut self, slot: u32) {
        let Some(term) = self.slots[slot as usize].term.take() else { return };
        let (at, len) = self.gram_spans[slot as usize];
        let (at, len) = (at as usize, len as usize);
        let size = len;
        for i in at..at + len {
            let id = self.gram_arena[i];
            self.gram_df[id as usize] -= 1;
            let key = posting_key(id, size);
            if let Some(list) = self.postings.get_mut(&key) {
                if let Ok(p) = list.binary_search(&slot) {
                    list.remove(p);
                }
                if list.is_empty() {
                    self.postings.remove(&key);
                }
            }
        }
        self.size_counts[size] -= 1;
        if let Some(counts) = self.char_counts.get_mut(&term.lang.primary().to_ascii_lowercase()) {
            for c in term.fold.chars() {
                if let Some(n) = counts.get_mut(&c) {
                    *n -= 1;
                }
            }
        }
        self.unlink(hash_str(&term.fold), slot, |s| &mut s.next_fold, Which::Fold);
        if let Some(h) = sorted_syllables_hash(&term.fold) {
            self.unlink(h, slot, |s| &mut s.next_sorted, Which::Sorted);
        }
        self.live -= 1;
    }

    /// Removes `slot` from the chain starting at `map[hash]`.
    fn unlink(&mut self, hash: u64, slot: u32, next: fn(&mut Slot) -> &mut u32, which: Which) {
        let map = match which {
            Which::Fold => &mut self.by_fold,
            Which::Sorted => &mut self.by_sorted,
        };
        let Some(&head) = map.get(&hash) else { return };
        let after = *next(&mut self.slots[slot as usize]);
        if head == slot {
            if after == NONE {
                map.remove(&hash);
            } else {
                map.insert(hash, after);
            }
            return;
        }
        let mut cur = head;
        while cur != NONE {
            let link = next(&mut self.slots[cur as usize]);
            if *link == slot {
                *link = after;
                return;
            }
            cur = *link;
        }
    }

    fn refresh_alphabet(&mut self, primary: &str) {
        let Some(counts) = self.char_counts.get(primary) else { return };
        let mut chars: Vec<(char, u32)> =
            counts.iter().filter(|(c, n)| **n > 0 && **c != ' ').map(|(&c, &n)| (c, n)).collect();
        chars.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut alphabet: Vec<char> = chars.into_iter().take(ALPHABET_MAX).map(|(c, _)| c).collect();
        // A space splits one syllable into two: a common typo.
        alphabet.push(' ');
        self.alphabets.insert(primary.to_string(), alphabet.iter().map(|c| c.to_string().into_bytes()).collect());
    }

    /// Rebuilds from the live terms when most slots are dead.
    fn maybe_compact(&mut self) {
        let dead = self.slots.len() - self.live;
        if dead < 1024 || dead < self.live {
            return;
        }
        let terms: Vec<IndexedTerm> = std::mem::take(&mut self.slots).into_iter().filter_map(|s| s.term).collect();
        *self = TrigramIndex::default();
        for t in terms {
            self.insert(t);
        }
    }

    fn term(&self, slot: u32) -> Option<&IndexedTerm> {
        self.slots.get(slot as usize).and_then(|s| s.term.as_ref())
    }

    fn grams_of(&self, slot: u32) -> &[u32] {
        let (at, len) = self.gram_spans[slot as usize];
        &self.gram_arena[at as usize..(at + len) as usize]
    }

    /// Live slots whose folded key equals `fold`.
    fn fold_chain(&self, fold: &str, mut f: impl FnMut(u32)) {
        let mut cur = self.by_fold.get(&hash_bytes(fold.as_bytes())).copied().unwrap_or(NONE);
        while cur != NONE {
            let s = &self.slots[cur as usize];
            if s.term.as_ref().is_some_and(|t| t.fold == fold) {
                f(cur);
            }
            cur = s.next_fold;
        }
    }

    /// Live slots whose folded key is `key` (UTF-8 bytes).
    fn fold_chain_bytes(&self, key: &[u8], out: &mut Vec<u32>) {
        let mut cur = self.by_fold.get(&hash_bytes(key)).copied().unwrap_or(NONE);
        while cur != NONE {
            let s = &self.slots[cur as usize];
            if s.term.as_ref().is_some_and(|t| t.fold.as_bytes() == key) {
                out.push(cur);
            }
            cur = s.next_fold;
        }
    }

    /// Slots at Damerau–Levenshtein distance exactly 1 from `fold`. Variants
    /// are built as bytes: each edit replaces whole UTF-8 sequences, so
    /// every variant is valid UTF-8 without checking.
    fn neighbourhood(&self, fold: &str, lang: &Lang, out: &mut Vec<u32>) {
        let q = fold.as_bytes();
        // Byte offset of every char, plus the end.
        let bounds: Vec<usize> = fold.char_indices().map(|(i, _)| i).chain([q.len()]).collect();
        let n = bounds.len() - 1;
        let mut buf: Vec<u8> = Vec::with_capacity(q.len() + 8);
        let alphabet: Vec<&[u8]> = self
            .alphabets
            .get(&lang.primary().to_ascii_lowercase())
            .map_or_else(Vec::new, |a| a.iter().map(Vec::as_slice).collect());
        for i in 0..n {
            let (a, b) = (bounds[i], bounds[i + 1]);
            // deletion
            buf.clear();
            buf.extend_from_slice(&q[..a]);
            buf.extend_from_slice(&q[b..]);
            self.fold_chain_bytes(&buf, out);
            // transposition with the next char
            if i + 1 < n {
                let c = bounds[i + 2];
                if q[a..b] != q[b..c] {
                    buf.clear();
                    buf.extend_from_slice(&q[..a]);
                    buf.extend_from_slice(&q[b..c]);
                    buf.extend_from_slice(&q[a..b]);
                    buf.extend_from_slice(&q[c..]);
                    self.fold_chain_bytes(&buf, out);
                }
            }
            // substitution
            for ch in &alphabet {
                if *ch != &q[a..b] {
                    buf.clear();
                    buf.extend_from_slice(&q[..a]);
                    buf.extend_from_slice(ch);
                    buf.extend_from_slice(&q[b..]);
                    self.fold_chain_bytes(&buf, out);
                }
            }
        }
        // insertion
        for &a in &bounds {
            for ch in &alphabet {
                buf.clear();
                buf.extend_from_slice(&q[..a]);
                buf.extend_from_slice(ch);
                buf.extend_from_slice(&q[a..]);
                self.fold_chain_bytes(&buf, out);
            }
        }
        out.sort_unstable();
        out.dedup();
    }

    /// Up to `max` slots by Dice coefficient with the query's trigrams, best first.
    fn dice_candidates(&self, fold: &str, lang: &Lang, max: usize, scratch: &mut Scratch) -> Vec<u32> {
        // The query's distinct trigram ids; unknown trigrams count in |X| but match nothing.
        let mut query: Vec<u32> = Vec::new();
        let mut unknown = 0usize;
        let mut seen_unknown: Vec<u64> = Vec::new();
        for_each_gram(fold, true, |g| match self.gram_ids.get(&g) {
            Some(&id) => query.push(id),
            None => {
                if !seen_unknown.contains(&g) {
                    seen_unknown.push(g);
                    unknown += 1;
                }
            }
        });
        query.sort_unstable();
        query.dedup();
        let x = query.len() + unknown;
        if x == 0 || query.is_empty() {
            return Vec::new();
        }
        // Rarest first; unknown trigrams would come first with empty lists.
        let mut by_rarity = query.clone();
        by_rarity.sort_by_key(|&id| (self.gram_df[id as usize], id));
        let alpha = DICE_LADDER
            .iter()
            .copied()
            .find(|&a| self.estimated_reads(&by_rarity, unknown, x, a) <= POSTINGS_BUDGET)
            .unwrap_or(DICE_LADDER[DICE_LADDER.len() - 1]);
        let (lo, hi) = size_bounds(x, alpha);
        let hi = hi.min(self.size_counts.len().saturating_sub(1));
        scratch.count.resize(self.slots.len(), 0);
        // (slot, size, signature trigrams it lacks).
        scratch.candidates.clear();
        let mut reads = 0usize;
        for size in lo..=hi {
            if self.size_counts[size] == 0 || reads > 2 * POSTINGS_BUDGET {
                continue;
            }
            let tau = min_overlap(x, size, alpha);
            if tau > x.min(size) || tau == 0 {
                continue;
            }
            // The rarest |X| − τ + 1 trigrams, unknown ones included (their lists are empty).
            let signature = (x - tau + 1).saturating_sub(unknown).min(by_rarity.len());
            scratch.touched.clear();
            for &id in &by_rarity[..signature] {
                let Some(list) = self.postings.get(&posting_key(id, size)) else { continue };
                reads += list.len();
                for &slot in list {
                    let c = &mut scratch.count[slot as usize];
                    if *c == 0 {
                        scratch.touched.push(slot);
                    }
                    *c = c.saturating_add(1);
                }
                if reads > 2 * POSTINGS_BUDGET {
                    break;
                }
            }
            for &slot in &scratch.touched {
                let c = usize::from(std::mem::take(&mut scratch.count[slot as usize]));
                let missing = signature.saturating_sub(c).min(LEVELS - 1);
                scratch.candidates.push((slot, size as u16, missing as u16));
            }
        }
        // Verify the most promising first: a term lacking fewer of the
        // query's rarest trigrams has a higher bound on its overlap. A
        // counting pass finds how many levels fit the verification budget.
        let mut per_level = [0usize; LEVELS];
        for &(_, _, missing) in &scratch.candidates {
            per_level[missing as usize] += 1;
        }
        let (mut cut, mut below) = (LEVELS, 0usize);
        for (level, &n) in per_level.iter().enumerate() {
            if below + n > VERIFY_BUDGET {
                cut = level;
                break;
            }
            below += n;
        }
        let mut quota = VERIFY_BUDGET - below;
        // The query's trigrams as a bit set over trigram ids.
        let bits = &mut scratch.query_bits;
        bits.clear();
        bits.resize(self.gram_ids.len().div_ceil(64), 0);
        for &g in &query {
            bits[g as usize / 64] |= 1 << (g % 64);
        }
        let mut found: Vec<(f64, u32)> = Vec::new();
        for &(slot, size, missing) in &scratch.candidates {
            let missing = usize::from(missing);
            if missing > cut || (missing == cut && quota == 0) {
                continue;
            }
            if missing == cut {
                quota -= 1;
            }
            let size = usize::from(size);
            let shared = self.grams_of(slot).iter().filter(|&&g| bits[g as usize / 64] >> (g % 64) & 1 == 1).count();
            if shared >= min_overlap(x, size, alpha) {
                found.push((2.0 * shared as f64 / (x + size) as f64, slot));
            }
        }
        found.retain(|&(_, s)| self.term(s).is_some_and(|t| t.lang.matches(lang)));
        found.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        found.truncate(max);
        found.into_iter().map(|(_, s)| s).collect()
    }

    /// Postings the count filter would read at threshold `alpha`, over-estimated
    /// by ignoring the size buckets.
    fn estimated_reads(&self, by_rarity: &[u32], unknown: usize, x: usize, alpha: f64) -> usize {
        let (lo, _) = size_bounds(x, alpha);
        let tau = min_overlap(x, lo.max(1), alpha);
        let signature = (x + 1).saturating_sub(tau).saturating_sub(unknown).min(by_rarity.len());
        by_rarity[..signature].iter().map(|&id| self.gram_df[id as usize] as usize).sum()
    }
}

enum Which {
    Fold,
    Sorted,
}

#[derive(Default)]
struct Scratch {
    /// Per slot: signature trigrams seen (zero between queries).
    count: Vec<u16>,
    touched: Vec<u32>,
    candidates: Vec<(u32, u16, u16)>,
    query_bits: Vec<u64>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

impl CandidateIndex for TrigramIndex {
    fn upsert(&mut self, concept: &Concept) {
        self.upsert_entries(&concept.id, IndexedTerm::from_concept(concept));
    }

    fn upsert_entries(&mut self, id: &ConceptId, entries: Vec<IndexedTerm>) {
        self.remove(id);
        for t in entries {
            self.insert(t);
        }
    }

    fn entries(&self) -> Vec<&IndexedTerm> {
        // In concept id order (the store's), so a load inserts in the
        // order a rebuild does.
        let mut ids: Vec<&ConceptId> = self.by_concept.keys().collect();
        ids.sort_unstable_by(|a, b| a.as_str().cmp(b.as_str()));
        let mut out = Vec::with_capacity(self.live);
        for id in ids {
            let at = out.len();
            out.extend(self.by_concept[id].iter().filter_map(|&s| self.term(s)));
            out[at..].sort_by_key(|t| t.term);
        }
        out
    }

    fn remove(&mut self, id: &ConceptId) {
        let Some(slots) = self.by_concept.remove(id) else { return };
        for slot in slots {
            self.remove_slot(slot);
        }
        self.maybe_compact();
    }

    fn len(&self) -> usize {
        self.live
    }

    fn same_fold(&self, fold: &str, lang: Option<&Lang>) -> Vec<&IndexedTerm> {
        let mut out = Vec::new();
        self.fold_chain(fold, |s| {
            if let Some(t) = self.term(s).filter(|t| lang.is_none_or(|l| t.lang.matches(l))) {
                out.push(t);
            }
        });
        out
    }

    fn fuzzy_candidates(&self, fold: &str, lang: &Lang, max: usize) -> Vec<&IndexedTerm> {
        if fold.is_empty() || max == 0 {
            return Vec::new();
        }
        let mut slots: Vec<u32> = Vec::new();
        if fold.chars().count() <= NEIGHBOURHOOD_MAX_CHARS {
            self.neighbourhood(fold, lang, &mut slots);
        }
        if let Some(h) = sorted_syllables_hash(fold) {
            let mut cur = self.by_sorted.get(&h).copied().unwrap_or(NONE);
            let wanted = sorted_syllables(fold);
            while cur != NONE {
                let s = &self.slots[cur as usize];
                if s.term.as_ref().is_some_and(|t| t.fold != fold && sorted_syllables(&t.fold) == wanted) {
                    slots.push(cur);
                }
                cur = s.next_sorted;
            }
        }
        let dice = SCRATCH.with(|s| self.dice_candidates(fold, lang, max, &mut s.borrow_mut()));
        slots.extend(dice);
        slots.sort_unstable();
        slots.dedup();
        slots.into_iter().filter_map(|s| self.term(s)).filter(|t| t.lang.matches(lang)).collect()
    }

    fn containing(&self, fold: &str, lang: Option<&Lang>) -> Vec<&IndexedTerm> {
        let keep =
            |t: &IndexedTerm| lang.is_none_or(|l| t.lang.matches(l)) && contains_at_boundary(&t.fold, fold, false);
        let mut ids: Vec<u32> = Vec::new();
        let mut missing = false;
        for_each_gram(fold, false, |g| match self.gram_ids.get(&g) {
            Some(&id) => ids.push(id),
            None => missing = true,
        });
        if missing {
            // A trigram no term has: nothing can contain the query.
            return Vec::new();
        }
        let mut by_rarity = ids.clone();
        by_rarity.sort_by_key(|&id| (self.gram_df[id as usize], id));
        by_rarity.dedup();
        let Some(&rarest) = by_rarity.first() else {
            // Single character: no trigram to narrow with.
            return self.slots.iter().filter_map(|s| s.term.as_ref()).filter(|t| keep(t)).collect();
        };
        let second = by_rarity.get(1).copied();
        // Every trigram after the left-padded first one lies inside the
        // query, so a term containing it has them all (a cheap check on
        // sorted ids before the string search), and at least as many.
        let mut inner = ids[1..].to_vec();
        inner.sort_unstable();
        inner.dedup();
        let mut slots: Vec<u32> = Vec::new();
        for size in inner.len().max(1)..self.size_counts.len() {
            if self.size_counts[size] == 0 {
                continue;
            }
            let Some(list) = self.postings.get(&posting_key(rarest, size)) else { continue };
            let other = second.map(|g| self.postings.get(&posting_key(g, size)).map_or(&[][..], Vec::as_slice));
            let before = slots.len();
            match other {
                // Both trigrams are needed: merge the two sorted lists first.
                Some(other) => intersect_into(list, other, &mut slots),
                None => slots.extend_from_slice(list),
            }
            let mut k = before;
            for i in before..slots.len() {
                if sorted_overlap(&inner, self.grams_of(slots[i])) == inner.len() {
                    slots[k] = slots[i];
                    k += 1;
                }
            }
            slots.truncate(k);
        }
        slots.sort_unstable();
        slots.into_iter().filter_map(|s| self.term(s)).filter(|t| keep(t)).collect()
    }
}

/// A hasher for keys that already are well-mixed 64-bit hashes or dense ids.
#[derive(Default, Clone, Copy)]
struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        // Spread dense keys (trigram ids, packed chars) over the table.
        self.0 = n.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

type Identity = BuildHasherDefault<IdentityHasher>;

/// FNV-1a over the bytes of `s`, then mixed.
fn hash_str(s: &str) -> u64 {
    hash_bytes(s.as_bytes())
}

fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    h ^ (h >> 29)
}

fn sorted_syllables(fold: &str) -> Vec<&str> {
    let mut v: Vec<&str> = fold.split(' ').collect();
    v.sort_unstable();
    v
}

/// Hash of the sorted syllables, for keys of two syllables or more.
fn sorted_syllables_hash(fold: &str) -> Option<u64> {
    if !fold.contains(' ') {
        return None;
    }
    Some(hash_str(&sorted_syllables(fold).join(" ")).rotate_left(17))
}

fn posting_key(gram: u32, size: usize) -> u64 {
    (u64::from(gram) << 20) | size.min((1 << 20) - 1) as u64
}

/// Packs three chars into one integer key (21 bits each covers all of Unicode).
fn gram_key(a: char, b: char, c: char) -> u64 {
    (u64::from(a as u32) << 42) | (u64::from(b as u32) << 21) | u64::from(c as u32)
}

/// Calls `f` with every trigram of `" " + s + " "` (or only the left pad
/// with `right_pad` false), repeats included.
fn for_each_gram(s: &str, right_pad: bool, mut f: impl FnMut(u64)) {
    let mut window = [' ', ' ', ' '];
    let mut filled = 1;
    let mut push = |c: char, f: &mut dyn FnMut(u64)| {
        window = [window[1], window[2], c];
        filled += 1;
        if filled >= 3 {
            f(gram_key(window[0], window[1], window[2]));
        }
    };
    // Start with the left pad in the last position.
    for c in s.chars() {
        push(c, &mut f);
    }
    if right_pad {
        push(' ', &mut f);
    }
}

/// Admissible trigram counts of a term for Dice ≥ `alpha` with `x` query trigrams.
fn size_bounds(x: usize, alpha: f64) -> (usize, usize) {
    let lo = (alpha / (2.0 - alpha) * x as f64 - 1e-9).ceil().max(1.0) as usize;
    let hi = ((2.0 - alpha) / alpha * x as f64 + 1e-9).floor() as usize;
    (lo, hi)
}

/// Least number of shared trigrams for Dice ≥ `alpha` between sizes `x` and `y`.
fn min_overlap(x: usize, y: usize, alpha: f64) -> usize {
    (alpha * (x + y) as f64 / 2.0 - 1e-9).ceil() as usize
}

/// Appends the elements common to two ascending lists.
fn intersect_into(a: &[u32], b: &[u32], out: &mut Vec<u32>) {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
}

/// Size of the intersection of two ascending lists.
fn sorted_overlap(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_support::term;
    use crate::model::TermStatus;

    fn concept(id: &str, texts: &[&str]) -> Concept {
        Concept {
            id: ConceptId::new(id).unwrap(),
            subject_field: None,
            definition: None,
            note: None,
            source: None,
            terms: texts.iter().map(|t| term("vi", t, TermStatus::Preferred)).collect(),
            collection: Default::default(),
            created: crate::model::Timestamp(0),
            updated: crate::model::Timestamp(0),
            version: 1,
        }
    }

    fn texts(v: Vec<&IndexedTerm>) -> Vec<String> {
        let mut out: Vec<String> = v.into_iter().map(|t| t.text.clone()).collect();
        out.sort();
        out
    }

    #[test]
    fn grams_are_padded_windows() {
        let mut got = Vec::new();
        for_each_gram("ab", true, |g| got.push(g));
        assert_eq!(got, vec![gram_key(' ', 'a', 'b'), gram_key('a', 'b', ' ')]);
        got.clear();
        for_each_gram("ab", false, |g| got.push(g));
        assert_eq!(got, vec![gram_key(' ', 'a', 'b')]);
        got.clear();
        for_each_gram("a", false, |g| got.push(g));
        assert!(got.is_empty());
    }

    #[test]
    fn one_typo_is_always_found_and_updates_are_seen() {
        let vi = Lang::new("vi").unwrap();
        let mut index = TrigramIndex::new();
        index.upsert(&concept("c1", &["hợp tác toàn diện"]));
        index.upsert(&concept("c2", &["đối tác chiến lược"]));
        index.upsert(&concept("c3", &["hữu nghị"]));
        // deletion, insertion, substitution, transposition, split syllable
        for q in
            ["hop tac toan din", "hop tac toan dien x", "hop tac toan dian", "hop tac toan deni", "hop tac toa ndien"]
        {
            let got = texts(index.fuzzy_candidates(q, &vi, 10));
            assert!(got.contains(&"hợp tác toàn diện".to_string()), "{q}: {got:?}");
        }
        // Swapped syllables.
        assert!(texts(index.fuzzy_candidates("nghi huu", &vi, 10)).contains(&"hữu nghị".to_string()));
        assert_eq!(texts(index.same_fold("huu nghi", Some(&vi))), vec!["hữu nghị".to_string()]);
        // Replace and delete are reflected at once.
        index.upsert(&concept("c3", &["hữu hảo"]));
        assert!(index.same_fold("huu nghi", None).is_empty());
        assert_eq!(texts(index.same_fold("huu hao", None)), vec!["hữu hảo".to_string()]);
        index.remove(&ConceptId::new("c1").unwrap());
        assert!(index.fuzzy_candidates("hop tac toan din", &vi, 10).iter().all(|t| t.concept.as_str() != "c1"));
        assert_eq!(index.len(), 2);
        // Other languages are filtered out.
        assert!(index.fuzzy_candidates("doi tac chien luoc", &Lang::new("en").unwrap(), 10).is_empty());
    }

    #[test]
    fn containing_finds_syllable_runs() {
        let mut index = TrigramIndex::new();
        index.upsert(&concept("c1", &["hợp tác toàn diện", "đối tác"]));
        index.upsert(&concept("c2", &["tác động"]));
        assert_eq!(texts(index.containing("tac", None)), vec!["hợp tác toàn diện", "tác động", "đối tác"]);
        assert_eq!(texts(index.containing("toan d", None)), vec!["hợp tác toàn diện"]);
        assert!(index.containing("oan", None).is_empty());
        assert!(index.containing("xyz", None).is_empty());
    }

    #[test]
    fn many_updates_compact_and_stay_consistent() {
        let vi = Lang::new("vi").unwrap();
        let mut index = TrigramIndex::new();
        for round in 0..4 {
            for i in 0..700 {
                index.upsert(&concept(&format!("c{i}"), &[&format!("thuật ngữ số {i} vòng {round}")]));
            }
        }
        assert_eq!(index.len(), 700);
        assert!(index.slots.len() < 4 * 700, "compaction ran");
        let got = texts(index.same_fold("thuat ngu so 5 vong 3", Some(&vi)));
        assert_eq!(got, vec!["thuật ngữ số 5 vòng 3".to_string()]);
        assert!(index.same_fold("thuat ngu so 5 vong 2", Some(&vi)).is_empty());
        let fuzzy = texts(index.fuzzy_candidates("thuat ngu so 5 vong 4", &vi, 5));
        assert!(fuzzy.contains(&"thuật ngữ số 5 vòng 3".to_string()), "{fuzzy:?}");
    }
}
