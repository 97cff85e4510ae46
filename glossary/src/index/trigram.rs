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
//! counting its trigrams (recomputed from its folded key) in the query's.
//!
//! # Results depend on the terms only
//! Every choice a query makes among equals is made by content, never by
//! slot number or trigram id (which depend on the order of past updates):
//! trigrams of equal frequency are ordered by their characters, terms of
//! equal promise (the verification budget's cut) by a hash of their
//! concept id and term position, terms of equal Dice coefficient at the
//! candidate limit by (concept id, term position), and
//! [`CandidateIndex::containing`] keeps its first terms in that order.
//! So an index loaded from a snapshot and then updated answers exactly as
//! one rebuilt from the same terms.
//!
//! # Memory layout
//! A term is a fixed-size `Slot` of integers: its concept's ordinal in a
//! concept table, its position, a language id, its status, and byte spans
//! of its display text, normalised key and folded key in one text arena (a
//! key equal to the text, or the folded key equal to the normalised one, is
//! stored once). Its trigram ids are not kept per term (the posting lists
//! hold them); they are recomputed from the folded key when a candidate is
//! verified or a term removed. Concept ids live once in their own arena. Results are
//! built as [`IndexedTerm`] values only for the terms a query returns. Every
//! part is a flat array or a map of integers, which is what makes the
//! snapshot ([`super::snapshot`]) a copy of the arrays rather than a list
//! of terms to re-insert.
//!
//! # Updates
//! Slots are never reused: a new term gets the next slot number, so every
//! posting list stays sorted by construction; removal deletes by binary
//! search. When more than half the slots are dead the index rebuilds
//! itself (amortised O(1) per update).

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;

use super::snapshot::{SnapReader, SnapWriter};
use super::{contains_at_boundary, CandidateIndex, IndexedTerm};
use crate::collections::{CollectionFilter, CollectionId};
use crate::error::{Error, Result};
use crate::model::{Concept, ConceptId, Lang, TermStatus};
use crate::recognize::TermInput;
use crate::text;

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
    /// Display texts and keys of every slot, back to back.
    text: String,
    /// Language tags; a slot holds an index into this table.
    langs: Vec<Lang>,
    /// Concept ids, back to back.
    concept_text: String,
    /// Per concept ordinal: its id and its slots.
    concepts: Vec<ConceptRow>,
    /// Hash of a concept id → first ordinal; chains continue in `ConceptRow::next`.
    concept_heads: HashMap<u64, u32, Identity>,
    /// Packed trigram → dense id.
    gram_ids: HashMap<u64, u32, Identity>,
    /// Packed trigram of each dense id (the inverse of `gram_ids`).
    gram_keys: Vec<u64>,
    /// Number of live terms containing each trigram (all sizes).
    gram_df: Vec<u32>,
    /// (trigram id, trigram count of the term) → slots, ascending.
    postings: HashMap<u64, Vec<u32>, Identity>,
    /// Live terms per trigram count.
    size_counts: Vec<u32>,
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

/// A byte range of an arena.
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
struct Span {
    at: u32,
    len: u32,
}

impl Span {
    fn range(self) -> Range<usize> {
        self.at as usize..(self.at + self.len) as usize
    }
}

/// One indexed term (44 bytes). Its trigrams are not stored: they are
/// recomputed from the folded key where needed (verifying a candidate,
/// removing the term), which costs a few hash probes and saves the 4
/// bytes per trigram a copy of the posting lists would take.
#[derive(Clone, Copy, Debug)]
struct Slot {
    concept: u32,
    term: u32,
    text: Span,
    norm: Span,
    fold: Span,
    next_fold: u32,
    next_sorted: u32,
    lang: u16,
    status: u8,
    live: bool,
}

/// One concept of the concept table.
#[derive(Clone, Copy, Debug)]
struct ConceptRow {
    id: Span,
    /// Its terms are slots `first..first + count` (consecutive: a concept's
    /// terms are inserted together); `count` 0 once removed.
    first: u32,
    count: u32,
    /// Next ordinal with the same id hash, or `NONE`.
    next: u32,
    /// The id's hash, folded to 32 bits (an order among equals that
    /// depends on content only, see `content_hash`).
    hash: u32,
    /// The concept's collection: its process-wide id
    /// ([`crate::collections::intern`]), checked by collection filters
    /// through a slot's `concept` ordinal (stored once per concept, not
    /// per term).
    collection: CollectionId,
}

/// The terms of a [`TrigramIndex`] copied out (concept ids, positions,
/// languages, texts, statuses), for building the recognition term table
/// on another thread without holding the index.
pub(crate) struct TermsCopy {
    slots: Vec<Slot>,
    text: String,
    langs: Vec<Lang>,
    concept_text: String,
    concepts: Vec<ConceptRow>,
}

impl TermsCopy {
    /// Calls `f` with every concept that has terms and its terms, in term
    /// order.
    pub(crate) fn for_each_concept(&self, mut f: impl FnMut(&ConceptId, &[TermInput<'_>])) {
        let mut inputs: Vec<TermInput<'_>> = Vec::new();
        for row in &self.concepts {
            if row.count == 0 {
                continue;
            }
            let Ok(id) = ConceptId::new(&self.concept_text[row.id.range()]) else { continue };
            inputs.clear();
            for s in &self.slots[row.first as usize..(row.first + row.count) as usize] {
                inputs.push(TermInput {
                    term: s.term,
                    lang: &self.langs[usize::from(s.lang)],
                    text: &self.text[s.text.range()],
                    status: status_from(s.status),
                });
            }
            f(&id, &inputs);
        }
    }
}

fn status_code(s: TermStatus) -> u8 {
    match s {
        TermStatus::Preferred => 0,
        TermStatus::Admitted => 1,
        TermStatus::Deprecated => 2,
        TermStatus::Superseded => 3,
    }
}

fn status_from(c: u8) -> TermStatus {
    match c {
        0 => TermStatus::Preferred,
        1 => TermStatus::Admitted,
        2 => TermStatus::Deprecated,
        _ => TermStatus::Superseded,
    }
}

impl TrigramIndex {
    /// An empty index.
    pub fn new() -> Self {
        Self::default()
    }

    /// Approximate heap bytes held by the index (slots, arenas, postings,
    /// maps), for capacity planning; allocator overhead is not counted.
    pub fn approx_heap_bytes(&self) -> usize {
        let postings: usize = self.postings.values().map(|v| v.capacity() * 4 + 24).sum();
        let map_entry = 12 + 1;
        self.slots.capacity() * std::mem::size_of::<Slot>()
            + self.text.capacity()
            + self.concept_text.capacity()
            + self.concepts.capacity() * std::mem::size_of::<ConceptRow>()
            + self.gram_keys.capacity() * 8
            + self.gram_df.capacity() * 4
            + postings
            + self.postings.capacity() * (8 + 24 + 1)
            + (self.gram_ids.capacity()
                + self.by_fold.capacity()
                + self.by_sorted.capacity()
                + self.concept_heads.capacity())
                * map_entry
    }

    /// Copies out what the recognition term table is built from.
    pub(crate) fn terms_copy(&self) -> TermsCopy {
        TermsCopy {
            slots: self.slots.clone(),
            text: self.text.clone(),
            langs: self.langs.clone(),
            concept_text: self.concept_text.clone(),
            concepts: self.concepts.clone(),
        }
    }

    fn str(&self, span: Span) -> &str {
        &self.text[span.range()]
    }

    fn concept_str(&self, ordinal: u32) -> &str {
        &self.concept_text[self.concepts[ordinal as usize].id.range()]
    }

    /// The ordinal of concept `id`, if it was ever indexed.
    fn ordinal(&self, id: &str) -> Option<u32> {
        let mut cur = self.concept_heads.get(&hash_str(id)).copied().unwrap_or(NONE);
        while cur != NONE {
            if self.concept_str(cur) == id {
                return Some(cur);
            }
            cur = self.concepts[cur as usize].next;
        }
        None
    }

    /// The ordinal of concept `id`, added to the table if new.
    fn ordinal_or_add(&mut self, id: &str) -> u32 {
        if let Some(o) = self.ordinal(id) {
            return o;
        }
        let ordinal = self.concepts.len() as u32;
        let at = self.concept_text.len() as u32;
        self.concept_text.push_str(id);
        let hash = hash_str(id);
        let next = self.concept_heads.insert(hash, ordinal).unwrap_or(NONE);
        let folded = (hash ^ hash >> 32) as u32;
        self.concepts.push(ConceptRow {
            id: Span { at, len: id.len() as u32 },
            first: 0,
            count: 0,
            next,
            hash: folded,
            collection: 0,
        });
        ordinal
    }

    fn lang_id(&mut self, lang: &Lang) -> u16 {
        match self.langs.iter().position(|l| l == lang) {
            Some(i) => i as u16,
            None => {
                self.langs.push(lang.clone());
                (self.langs.len() - 1) as u16
            }
        }
    }

    /// Which language ids fall under `lang` (all when `None`).
    fn lang_filter(&self, lang: Option<&Lang>) -> Vec<bool> {
        self.langs.iter().map(|l| lang.is_none_or(|r| l.matches(r))).collect()
    }

    /// Appends `s` to the text arena, or reuses `same` when it holds the
    /// same text.
    fn push_text(&mut self, s: &str, same: Option<Span>) -> Span {
        if let Some(span) = same.filter(|&sp| self.str(sp) == s) {
            return span;
        }
        let at = self.text.len() as u32;
        self.text.push_str(s);
        Span { at, len: s.len() as u32 }
    }

    /// The result value of `slot`.
    fn indexed(&self, slot: u32) -> IndexedTerm {
        let s = &self.slots[slot as usize];
        IndexedTerm {
            concept: ConceptId::new(self.concept_str(s.concept)).expect("indexed concept ids are valid"),
            term: s.term,
            lang: self.langs[usize::from(s.lang)].clone(),
            text: self.str(s.text).to_string(),
            status: status_from(s.status),
            norm: self.str(s.norm).to_string(),
            fold: self.str(s.fold).to_string(),
            collection: self.concepts[s.concept as usize].collection,
        }
    }

    /// Orders slots by (concept id, term position): the content order used
    /// wherever a query chooses among equals.
    fn content_cmp(&self, a: u32, b: u32) -> std::cmp::Ordering {
        let (sa, sb) = (&self.slots[a as usize], &self.slots[b as usize]);
        self.concept_str(sa.concept).cmp(self.concept_str(sb.concept)).then(sa.term.cmp(&sb.term))
    }

    /// A hash of (concept id, term position) of `slot`: an order among
    /// equals that depends on content only and is cheap to compute.
    fn content_hash(&self, slot: u32) -> u64 {
        let s = &self.slots[slot as usize];
        u64::from(self.concepts[s.concept as usize].hash) << 32 | u64::from(s.term)
    }

    /// Inserts one term of concept `ordinal` (its text and keys already in
    /// the arena).
    #[allow(clippy::too_many_arguments)]
    fn insert(&mut self, ordinal: u32, term: u32, lang: u16, status: u8, text: Span, norm: Span, fold: Span) {
        let slot = self.slots.len() as u32;
        let fold_str = &self.text[fold.range()];
        let mut ids: Vec<u32> = Vec::new();
        for_each_gram(fold_str, true, |g| {
            let next = self.gram_ids.len() as u32;
            let id = *self.gram_ids.entry(g).or_insert(next);
            if id == next {
                self.gram_keys.push(g);
            }
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
        let primary = self.langs[usize::from(lang)].primary().to_ascii_lowercase();
        let counts = self.char_counts.entry(primary.clone()).or_default();
        let mut new_char = false;
        for c in fold_str.chars() {
            let n = counts.entry(c).or_insert(0);
            new_char |= *n == 0;
            *n += 1;
        }
        let fold_hash = hash_str(fold_str);
        let sorted_hash = sorted_syllables_hash(fold_str);
        if new_char {
            self.refresh_alphabet(&primary);
        }
        let next_fold = self.by_fold.insert(fold_hash, slot).unwrap_or(NONE);
        let next_sorted = match sorted_hash {
            Some(h) => self.by_sorted.insert(h, slot).unwrap_or(NONE),
            None => NONE,
        };
        self.slots.push(Slot {
            concept: ordinal,
            term,
            text,
            norm,
            fold,
            next_fold,
            next_sorted,
            lang,
            status,
            live: true,
        });
        self.live += 1;
    }

    /// Replaces the terms of concept `id` with `terms`: (position, language,
    /// text, status, normalised key, folded key), in collection `collection`.
    fn put_concept(
        &mut self,
        id: &str,
        collection: CollectionId,
        terms: &[(u32, &Lang, &str, TermStatus, &str, &str)],
    ) {
        self.remove_str(id);
        if terms.is_empty() {
            return;
        }
        let ordinal = self.ordinal_or_add(id);
        let first = self.slots.len() as u32;
        for &(term, lang, text, status, norm, fold) in terms {
            let lang = self.lang_id(lang);
            let text = self.push_text(text, None);
            let norm = self.push_text(norm, Some(text));
            let fold = self.push_text(fold, Some(norm));
            self.insert(ordinal, term, lang, status_code(status), text, norm, fold);
        }
        let row = &mut self.concepts[ordinal as usize];
        row.first = first;
        row.count = terms.len() as u32;
        row.collection = collection;
    }

    fn remove_str(&mut self, id: &str) {
        let Some(ordinal) = self.ordinal(id) else { return };
        let row = self.concepts[ordinal as usize];
        if row.count == 0 {
            return;
        }
        for slot in row.first..row.first + row.count {
            self.remove_slot(slot);
        }
        self.concepts[ordinal as usize].count = 0;
        self.maybe_compact();
    }

    fn remove_slot(&mut self, slot: u32) {
        let s = self.slots[slot as usize];
        if !s.live {
            return;
        }
        self.slots[slot as usize].live = false;
        let ids = self.grams_of(slot);
        let size = ids.len();
        for id in ids {
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
        let fold = self.text[s.fold.range()].to_string();
        if let Some(counts) = self.char_counts.get_mut(&self.langs[usize::from(s.lang)].primary().to_ascii_lowercase())
        {
            for c in fold.chars() {
                if let Some(n) = counts.get_mut(&c) {
                    *n -= 1;
                }
            }
        }
        self.unlink(hash_str(&fold), slot, Which::Fold);
        if let Some(h) = sorted_syllables_hash(&fold) {
            self.unlink(h, slot, Which::Sorted);
        }
        self.live -= 1;
    }

    /// Removes `slot` from the chain starting at `map[hash]`.
    fn unlink(&mut self, hash: u64, slot: u32, which: Which) {
        fn next<'s>(s: &'s mut Slot, which: &Which) -> &'s mut u32 {
            match which {
                Which::Fold => &mut s.next_fold,
                Which::Sorted => &mut s.next_sorted,
            }
        }
        let map = match which {
            Which::Fold => &mut self.by_fold,
            Which::Sorted => &mut self.by_sorted,
        };
        let Some(&head) = map.get(&hash) else { return };
        let after = *next(&mut self.slots[slot as usize], &which);
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
            let link = next(&mut self.slots[cur as usize], &which);
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
        let old = std::mem::take(self);
        for (ordinal, row) in old.concepts.iter().enumerate() {
            if row.count == 0 {
                continue;
            }
            let terms: Vec<(u32, &Lang, &str, TermStatus, &str, &str)> = old.slots
                [row.first as usize..(row.first + row.count) as usize]
                .iter()
                .map(|s| {
                    (
                        s.term,
                        &old.langs[usize::from(s.lang)],
                        old.str(s.text),
                        status_from(s.status),
                        old.str(s.norm),
                        old.str(s.fold),
                    )
                })
                .collect();
            self.put_concept(old.concept_str(ordinal as u32), row.collection, &terms);
        }
    }

    /// The collection of the concept `s` belongs to.
    fn collection_of(&self, s: &Slot) -> CollectionId {
        self.concepts[s.concept as usize].collection
    }

    fn live_slot(&self, slot: u32) -> Option<&Slot> {
        self.slots.get(slot as usize).filter(|s| s.live)
    }

    /// The sorted distinct trigram ids of `slot` (every trigram of an
    /// indexed term has an id).
    fn grams_of(&self, slot: u32) -> Vec<u32> {
        let mut ids = Vec::with_capacity(24);
        for_each_gram(self.str(self.slots[slot as usize].fold), true, |g| {
            if let Some(&id) = self.gram_ids.get(&g) {
                ids.push(id);
            }
        });
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// Live slots whose folded key is `key` (UTF-8 bytes).
    fn fold_chain_bytes(&self, key: &[u8], out: &mut Vec<u32>) {
        let mut cur = self.by_fold.get(&hash_bytes(key)).copied().unwrap_or(NONE);
        while cur != NONE {
            let s = &self.slots[cur as usize];
            if s.live && self.text.as_bytes()[s.fold.range()] == *key {
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
    fn dice_candidates(
        &self,
        fold: &str,
        lang: &Lang,
        max: usize,
        keep: &CollectionFilter,
        scratch: &mut Scratch,
    ) -> Vec<u32> {
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
        by_rarity.sort_by_key(|&id| (self.gram_df[id as usize], self.gram_keys[id as usize]));
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
        if cut < LEVELS && per_level[cut] > quota {
            // Only part of the cut level fits: take its first terms in an
            // order of content (concept id hash, term position, then the
            // ids themselves), not slot order, and drop the rest.
            let (mut at_cut, mut rest): (Vec<_>, Vec<_>) =
                scratch.candidates.iter().copied().partition(|c| usize::from(c.2) == cut);
            if quota > 0 {
                at_cut.select_nth_unstable_by(quota - 1, |a, b| {
                    self.content_hash(a.0).cmp(&self.content_hash(b.0)).then_with(|| self.content_cmp(a.0, b.0))
                });
            }
            at_cut.truncate(quota);
            rest.retain(|c| usize::from(c.2) < cut);
            rest.extend(at_cut);
            scratch.candidates = rest;
            cut += 1;
            quota = 0;
        }
        // The query's known trigrams, sorted: a term's trigrams are
        // recomputed from its folded key and looked up here (no hashing).
        let mut qkeys: Vec<u64> = query.iter().map(|&g| self.gram_keys[g as usize]).collect();
        qkeys.sort_unstable();
        let mut found: Vec<(f64, u32)> = Vec::new();
        let mut grams: Vec<u64> = Vec::with_capacity(32);
        for &(slot, size, missing) in &scratch.candidates {
            let missing = usize::from(missing);
            if missing > cut || (missing == cut && quota == 0) {
                continue;
            }
            if missing == cut {
                quota -= 1;
            }
            let size = usize::from(size);
            grams.clear();
            for_each_gram(self.str(self.slots[slot as usize].fold), true, |g| grams.push(g));
            grams.sort_unstable();
            grams.dedup();
            let shared = grams.iter().filter(|g| qkeys.binary_search(g).is_ok()).count();
            if shared >= min_overlap(x, size, alpha) {
                found.push((2.0 * shared as f64 / (x + size) as f64, slot));
            }
        }
        let langs = self.lang_filter(Some(lang));
        found.retain(|&(_, s)| {
            self.live_slot(s).is_some_and(|t| langs[usize::from(t.lang)] && keep.allows(self.collection_of(t)))
        });
        found.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        if found.len() > max {
            // Equal coefficients straddling the cut: keep the first by
            // content, not by slot.
            let last = found[max - 1].0;
            let start = found.iter().position(|f| f.0 == last).unwrap_or(0);
            let end = found.iter().position(|f| f.0 < last).unwrap_or(found.len());
            if end > max {
                found[start..end].sort_by(|a, b| self.content_cmp(a.1, b.1));
            }
            found.truncate(max);
        }
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

impl CandidateIndex for TrigramIndex {
    fn upsert(&mut self, concept: &Concept) {
        let keys: Vec<(String, String)> = concept
            .terms
            .iter()
            .map(|t| {
                let norm = text::normalized_key(&t.text);
                let fold = text::strip_diacritics(&norm);
                (norm, fold)
            })
            .collect();
        let terms: Vec<(u32, &Lang, &str, TermStatus, &str, &str)> = concept
            .terms
            .iter()
            .zip(&keys)
            .enumerate()
            .map(|(n, (t, (norm, fold)))| (n as u32, &t.lang, t.text.as_str(), t.status, norm.as_str(), fold.as_str()))
            .collect();
        self.put_concept(concept.id.as_str(), crate::collections::intern(&concept.collection), &terms);
    }

    fn remove(&mut self, id: &ConceptId) {
        self.remove_str(id.as_str());
    }

    fn len(&self) -> usize {
        self.live
    }

    fn same_fold(&self, fold: &str, lang: Option<&Lang>) -> Vec<IndexedTerm> {
        let langs = self.lang_filter(lang);
        let mut slots = Vec::new();
        self.fold_chain_bytes(fold.as_bytes(), &mut slots);
        slots
            .into_iter()
            .filter(|&s| langs[usize::from(self.slots[s as usize].lang)])
            .map(|s| self.indexed(s))
            .collect()
    }

    fn fuzzy_candidates_in(&self, fold: &str, lang: &Lang, max: usize, keep: &CollectionFilter) -> Vec<IndexedTerm> {
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
                let key = self.str(s.fold);
                if s.live && key != fold && sorted_syllables(key) == wanted {
                    slots.push(cur);
                }
                cur = s.next_sorted;
            }
        }
        let dice = SCRATCH.with(|s| self.dice_candidates(fold, lang, max, keep, &mut s.borrow_mut()));
        slots.extend(dice);
        let langs = self.lang_filter(Some(lang));
        slots.retain(|&s| {
            self.live_slot(s).is_some_and(|t| langs[usize::from(t.lang)] && keep.allows(self.collection_of(t)))
        });
        // Slot order is fine here: the set is complete, and within one
        // concept slot order is term order in every index.
        slots.sort_unstable();
        slots.dedup();
        slots.into_iter().map(|s| self.indexed(s)).collect()
    }

    fn containing(&self, fold: &str, lang: Option<&Lang>, max: usize, wanted: &CollectionFilter) -> Vec<IndexedTerm> {
        let langs = self.lang_filter(lang);
        // The collection filter applies before the `max` cut, so a
        // selective filter still gets up to `max` of its own terms.
        let keep = |s: u32| {
            let t = &self.slots[s as usize];
            t.live
                && langs[usize::from(t.lang)]
                && wanted.allows(self.collection_of(t))
                && contains_at_boundary(self.str(t.fold), fold, false)
        };
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
        by_rarity.sort_by_key(|&id| (self.gram_df[id as usize], self.gram_keys[id as usize]));
        by_rarity.dedup();
        let mut slots: Vec<u32> = Vec::new();
        if let Some(&rarest) = by_rarity.first() {
            let second = by_rarity.get(1).copied();
            // Every trigram after the left-padded first one lies inside the
            // query, so a term containing it has at least as many.
            let mut inner = ids[1..].to_vec();
            inner.sort_unstable();
            inner.dedup();
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
                // Every other trigram of the query is needed too: look the
                // few survivors up in its list (the string check of `keep`
                // below then verifies the order).
                for &g in by_rarity.iter().skip(2) {
                    if slots.len() == before {
                        break;
                    }
                    let list = self.postings.get(&posting_key(g, size)).map_or(&[][..], Vec::as_slice);
                    let mut k = before;
                    for i in before..slots.len() {
                        if list.binary_search(&slots[i]).is_ok() {
                            slots[k] = slots[i];
                            k += 1;
                        }
                    }
                    slots.truncate(k);
                }
            }
        } else {
            // Single character: no trigram to narrow with.
            slots = (0..self.slots.len() as u32).collect();
        }
        slots.retain(|&s| keep(s));
        if max == 0 {
            return Vec::new();
        }
        if slots.len() > max {
            slots.select_nth_unstable_by(max - 1, |&a, &b| self.content_cmp(a, b));
            slots.truncate(max);
        }
        slots.sort_unstable_by(|&a, &b| self.content_cmp(a, b));
        slots.into_iter().map(|s| self.indexed(s)).collect()
    }
}

impl TrigramIndex {
    /// The collection ids its concept rows hold (live or not).
    pub(crate) fn collection_ids(&self) -> std::collections::BTreeSet<CollectionId> {
        self.concepts.iter().map(|r| r.collection).collect()
    }

    /// Writes every structure of the index (see [`super::snapshot`]); a
    /// concept's collection is written as `number(id)`, its number in the
    /// file's name table (process-wide ids differ between processes).
    pub(crate) fn encode(&self, w: &mut SnapWriter, number: &dyn Fn(CollectionId) -> u32) {
        w.u64(self.live as u64);
        let mut words: Vec<u32> = Vec::with_capacity(self.slots.len() * SLOT_WORDS);
        for s in &self.slots {
            words.extend_from_slice(&[
                s.concept,
                s.term,
                s.text.at,
                s.text.len,
                s.norm.at,
                s.norm.len,
                s.fold.at,
                s.fold.len,
                s.next_fold,
                s.next_sorted,
                u32::from(s.lang) | u32::from(s.status) << 16 | u32::from(s.live) << 24,
            ]);
        }
        w.u32s(&words);
        w.bytes(self.text.as_bytes());
        w.u32(self.langs.len() as u32);
        for l in &self.langs {
            w.bytes(l.as_str().as_bytes());
        }
        w.bytes(self.concept_text.as_bytes());
        let rows: Vec<u32> = self
            .concepts
            .iter()
            .flat_map(|r| [r.id.at, r.id.len, r.first, r.count, r.next, r.hash, number(r.collection)])
            .collect();
        w.u32s(&rows);
        w.map(&self.concept_heads);
        w.u64s(&self.gram_keys);
        w.u32s(&self.gram_df);
        let mut keys: Vec<u64> = self.postings.keys().copied().collect();
        keys.sort_unstable();
        let lens: Vec<u32> = keys.iter().map(|k| self.postings[k].len() as u32).collect();
        let mut all: Vec<u32> = Vec::with_capacity(lens.iter().map(|&n| n as usize).sum());
        for k in &keys {
            all.extend_from_slice(&self.postings[k]);
        }
        w.u64s(&keys);
        w.u32s(&lens);
        w.u32s(&all);
        w.u32s(&self.size_counts);
        w.map(&self.by_fold);
        w.map(&self.by_sorted);
        let mut langs: Vec<&String> = self.char_counts.keys().collect();
        langs.sort();
        w.u32(langs.len() as u32);
        for l in langs {
            w.bytes(l.as_bytes());
            let mut pairs: Vec<(u32, u32)> = self.char_counts[l].iter().map(|(&c, &n)| (c as u32, n)).collect();
            pairs.sort_unstable();
            let flat: Vec<u32> = pairs.into_iter().flat_map(|(c, n)| [c, n]).collect();
            w.u32s(&flat);
        }
    }

    /// Reads what [`TrigramIndex::encode`] wrote, checking that every
    /// offset and slot number it holds is in range (a snapshot that passed
    /// its checksum but was written by a faulty build fails here instead of
    /// panicking later). `ids` maps the file's collection numbers to this
    /// process's ids.
    pub(crate) fn decode(r: &mut SnapReader<'_>, ids: &[CollectionId]) -> Result<TrigramIndex> {
        let bad = |why: &str| Error::Corrupt(format!("index snapshot: {why}"));
        let live = r.u64()? as usize;
        let words = r.u32s()?;
        if words.len() % SLOT_WORDS != 0 {
            return Err(bad("slot table length"));
        }
        let slots: Vec<Slot> = words
            .chunks_exact(SLOT_WORDS)
            .map(|w| Slot {
                concept: w[0],
                term: w[1],
                text: Span { at: w[2], len: w[3] },
                norm: Span { at: w[4], len: w[5] },
                fold: Span { at: w[6], len: w[7] },
                next_fold: w[8],
                next_sorted: w[9],
                lang: (w[10] & 0xffff) as u16,
                status: (w[10] >> 16 & 0xff) as u8,
                live: w[10] >> 24 & 1 == 1,
            })
            .collect();
        drop(words);
        let text = String::from_utf8(r.bytes()?.to_vec()).map_err(|_| bad("text arena is not UTF-8"))?;
        let n_langs = r.u32()? as usize;
        let mut langs = Vec::with_capacity(n_langs.min(1 << 16));
        for _ in 0..n_langs {
            let tag = std::str::from_utf8(r.bytes()?).map_err(|_| bad("language tag"))?;
            langs.push(Lang::new(tag).map_err(|_| bad("language tag"))?);
        }
        let concept_text = String::from_utf8(r.bytes()?.to_vec()).map_err(|_| bad("concept arena is not UTF-8"))?;
        let rows = r.u32s()?;
        if rows.len() % ROW_WORDS != 0 {
            return Err(bad("concept table length"));
        }
        let concepts: Vec<ConceptRow> = rows
            .chunks_exact(ROW_WORDS)
            .map(|w| {
                let collection = *ids.get(w[6] as usize).ok_or_else(|| bad("collection number"))?;
                Ok(ConceptRow {
                    id: Span { at: w[0], len: w[1] },
                    first: w[2],
                    count: w[3],
                    next: w[4],
                    hash: w[5],
                    collection,
                })
            })
            .collect::<Result<_>>()?;
        let concept_heads = r.map()?;
        let gram_keys = r.u64s()?;
        let gram_ids: HashMap<u64, u32, Identity> = gram_keys.iter().enumerate().map(|(i, &k)| (k, i as u32)).collect();
        let gram_df = r.u32s()?;
        let keys = r.u64s()?;
        let lens = r.u32s()?;
        let all = r.u32s()?;
        if keys.len() != lens.len() || lens.iter().map(|&n| n as usize).sum::<usize>() != all.len() {
            return Err(bad("posting lists"));
        }
        let mut postings: HashMap<u64, Vec<u32>, Identity> =
            HashMap::with_capacity_and_hasher(keys.len(), Identity::default());
        let mut at = 0usize;
        for (&k, &n) in keys.iter().zip(&lens) {
            postings.insert(k, all[at..at + n as usize].to_vec());
            at += n as usize;
        }
        drop(all);
        let size_counts = r.u32s()?;
        let by_fold = r.map()?;
        let by_sorted = r.map()?;
        let n = r.u32()? as usize;
        let mut char_counts = HashMap::new();
        for _ in 0..n.min(1 << 16) {
            let lang = std::str::from_utf8(r.bytes()?).map_err(|_| bad("language subtag"))?.to_string();
            let pairs = r.u32s()?;
            let counts: HashMap<char, u32> =
                pairs.chunks_exact(2).filter_map(|p| char::from_u32(p[0]).map(|c| (c, p[1]))).collect();
            char_counts.insert(lang, counts);
        }
        let mut index = TrigramIndex {
            slots,
            live,
            text,
            langs,
            concept_text,
            concepts,
            concept_heads,
            gram_ids,
            gram_keys,
            gram_df,
            postings,
            size_counts,
            by_fold,
            by_sorted,
            char_counts,
            alphabets: HashMap::new(),
        };
        index.check().map_err(|why| bad(&why))?;
        let primaries: Vec<String> = index.char_counts.keys().cloned().collect();
        for p in primaries {
            index.refresh_alphabet(&p);
        }
        Ok(index)
    }

    /// Bounds checks over a decoded index: every span inside its arena on
    /// a character boundary, every slot, ordinal, language and trigram id
    /// in range.
    fn check(&self) -> std::result::Result<(), String> {
        let n_slots = self.slots.len() as u64;
        let in_text = |s: Span| {
            let end = u64::from(s.at) + u64::from(s.len);
            end <= self.text.len() as u64
                && self.text.is_char_boundary(s.at as usize)
                && self.text.is_char_boundary(end as usize)
        };
        let link_ok = |l: u32| l == NONE || u64::from(l) < n_slots;
        for s in &self.slots {
            if !(in_text(s.text) && in_text(s.norm) && in_text(s.fold))
                || (s.concept as usize) >= self.concepts.len()
                || usize::from(s.lang) >= self.langs.len()
                || !link_ok(s.next_fold)
                || !link_ok(s.next_sorted)
                || s.status > 3
            {
                return Err("a slot is out of range".into());
            }
        }
        if self.slots.iter().filter(|s| s.live).count() != self.live {
            return Err("live count".into());
        }
        for r in &self.concepts {
            let end = u64::from(r.id.at) + u64::from(r.id.len);
            if end > self.concept_text.len() as u64
                || !self.concept_text.is_char_boundary(r.id.at as usize)
                || !self.concept_text.is_char_boundary(end as usize)
                || u64::from(r.first) + u64::from(r.count) > n_slots
                || !(r.next == NONE || (r.next as usize) < self.concepts.len())
            {
                return Err("a concept row is out of range".into());
            }
        }
        let n_grams = self.gram_keys.len();
        if self.gram_ids.len() != n_grams
            || self.gram_df.len() != n_grams
            || self.postings.values().flatten().any(|&s| u64::from(s) >= n_slots)
            || self.by_fold.values().chain(self.by_sorted.values()).any(|&s| u64::from(s) >= n_slots)
            || self.concept_heads.values().any(|&o| o as usize >= self.concepts.len())
        {
            return Err("trigram tables are out of range".into());
        }
        Ok(())
    }
}

/// `u32` words per slot in a snapshot.
const SLOT_WORDS: usize = 11;
/// `u32` words per concept row in a snapshot (the last the collection number).
const ROW_WORDS: usize = 7;

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
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
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

    fn texts(v: Vec<IndexedTerm>) -> Vec<String> {
        let mut out: Vec<String> = v.into_iter().map(|t| t.text.clone()).collect();
        out.sort();
        out
    }

    /// A term costs 44 bytes of slot: its collection lives once in its
    /// concept's row.
    #[test]
    fn a_slot_is_44_bytes() {
        assert_eq!(std::mem::size_of::<Slot>(), 44);
        assert_eq!(std::mem::size_of::<ConceptRow>(), 28);
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
        assert_eq!(
            texts(index.containing("tac", None, usize::MAX, &CollectionFilter::all())),
            vec!["hợp tác toàn diện", "tác động", "đối tác"]
        );
        assert_eq!(texts(index.containing("toan d", None, 1, &CollectionFilter::all())), vec!["hợp tác toàn diện"]);
        // A limit keeps the first terms by (concept id, term position).
        assert_eq!(
            texts(index.containing("tac", None, 2, &CollectionFilter::all())),
            vec!["hợp tác toàn diện", "đối tác"]
        );
        assert!(index.containing("oan", None, usize::MAX, &CollectionFilter::all()).is_empty());
        assert!(index.containing("xyz", None, usize::MAX, &CollectionFilter::all()).is_empty());
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
