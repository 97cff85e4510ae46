//! Word pairs learned from the document pair itself (a second pass, in the
//! spirit of Moore 2002 and hunalign's `-realign`).
//!
//! The first pass aligns on length and anchors. Its confident links are
//! then read as a small parallel corpus: every Vietnamese syllable and
//! syllable bigram is counted against every English content word of the
//! linked sentence, and a pair `(v, e)` is kept when
//!
//! * it occurs together in at least [`MIN_JOINT`] links,
//! * its Dice coefficient `2·c(v,e) / (c(v) + c(e))` is at least
//!   [`MIN_DICE`], and
//! * `e` is the best partner of `v` and `v` the best partner of `e`
//!   (mutual best, which keeps one pair per word: "hợp tác" ↔
//!   "cooperation", not also "hợp" ↔ "cooperation").
//!
//! Each kept pair becomes an anchor item of kind [`AnchorKind::Word`]
//! present in the sentences that contain its side, and the second pass
//! aligns again with them. This gives the aligner lexical evidence for
//! the many diplomatic sentences that have no number or name, using only
//! words the document pair itself shows to be translations of each other.

use std::collections::HashMap;

use super::anchors::{AnchorKind, Interner, ItemCounts};
use super::equivalents::is_function_word;
use crate::text::{self, TokenKind};

/// A pair must co-occur in at least this many first-pass links. With 2,
/// chance pairs of common words ("tôi" = "me", "thì" = "just") were learned
/// from 40-sentence TED documents and made leftover sentences look
/// evidenced: links at confidence ≥ 0.9 were right 98.2% of the time with
/// deletions on both sides; with 3, 99.4%, and link F1 moved by at most
/// half a point either way on both test sets (`docs/alignment.md`).
pub(crate) const MIN_JOINT: u32 = 3;
/// Smallest Dice coefficient of a kept pair.
pub(crate) const MIN_DICE: f64 = 0.6;
/// First-pass links below this posterior are not read.
pub(crate) const MIN_POSTERIOR: f64 = 0.5;
/// Most first-pass links read (bounds time on very long documents).
const MAX_LINKS: usize = 2_000;

/// Vietnamese units of a sentence: folded syllables and syllable bigrams
/// (letters only), without repeats.
pub(crate) fn source_units(sentence: &str) -> Vec<String> {
    let tokens = text::tokenize(sentence);
    let mut out = Vec::new();
    let mut prev: Option<String> = None;
    for t in &tokens {
        if t.kind != TokenKind::Word {
            prev = None;
            continue;
        }
        let key = text::folded_key(t.text);
        if let Some(p) = &prev {
            out.push(format!("{p} {key}"));
        }
        out.push(key.clone());
        prev = Some(key);
    }
    out.sort();
    out.dedup();
    out
}

/// English units of a sentence: lowercase content words, without repeats.
pub(crate) fn target_units(sentence: &str) -> Vec<String> {
    let mut out: Vec<String> = text::tokenize(sentence)
        .iter()
        .filter(|t| t.kind == TokenKind::Word)
        .map(|t| text::folded_key(t.text))
        .filter(|k| k.chars().count() > 1 && !is_function_word(k))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Learns word pairs from `links` (source and target sentence indices of
/// the confident first-pass links) and adds one [`AnchorKind::Word`] item
/// per pair to the sentences containing its sides. Returns the number of
/// pairs learned.
pub(crate) fn learn_and_add(
    src_units: &[Vec<String>],
    tgt_units: &[Vec<String>],
    links: &[(Vec<usize>, Vec<usize>)],
    interner: &mut Interner,
    src_items: &mut [ItemCounts],
    tgt_items: &mut [ItemCounts],
) -> usize {
    let mut count_s: HashMap<&str, u32> = HashMap::new();
    let mut count_t: HashMap<&str, u32> = HashMap::new();
    let mut joint: HashMap<(&str, &str), u32> = HashMap::new();
    for (s, t) in links.iter().take(MAX_LINKS) {
        let mut su: Vec<&str> = s.iter().flat_map(|&i| src_units[i].iter().map(String::as_str)).collect();
        let mut tu: Vec<&str> = t.iter().flat_map(|&j| tgt_units[j].iter().map(String::as_str)).collect();
        su.sort_unstable();
        su.dedup();
        tu.sort_unstable();
        tu.dedup();
        for &u in &su {
            *count_s.entry(u).or_default() += 1;
        }
        for &w in &tu {
            *count_t.entry(w).or_default() += 1;
        }
        for &u in &su {
            for &w in &tu {
                *joint.entry((u, w)).or_default() += 1;
            }
        }
    }
    // Dice of every candidate pair, then mutual best.
    let mut best_s: HashMap<&str, (f64, &str)> = HashMap::new();
    let mut best_t: HashMap<&str, (f64, &str)> = HashMap::new();
    let mut scored = Vec::new();
    for (&(u, w), &k) in &joint {
        if k < MIN_JOINT {
            continue;
        }
        let dice = 2.0 * f64::from(k) / f64::from(count_s[u] + count_t[w]);
        if dice < MIN_DICE {
            continue;
        }
        scored.push((u, w, dice));
        // Ties go to the longer unit (a bigram over its syllables), then by text.
        let better = |d: f64, x: &str, cur: Option<&(f64, &str)>| match cur {
            None => true,
            Some(&(cd, cx)) => d > cd || (d == cd && (x.len(), x) > (cx.len(), cx)),
        };
        if better(dice, w, best_s.get(u)) {
            best_s.insert(u, (dice, w));
        }
        if better(dice, u, best_t.get(w)) {
            best_t.insert(w, (dice, u));
        }
    }
    let mut pairs: HashMap<&str, Vec<u32>> = HashMap::new();
    let mut pairs_t: HashMap<&str, Vec<u32>> = HashMap::new();
    let mut learned = 0;
    scored.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    for (u, w, _) in scored {
        if best_s.get(u).is_some_and(|b| b.1 == w) && best_t.get(w).is_some_and(|b| b.1 == u) {
            let id = interner.id(AnchorKind::Word, format!("{u}={w}"));
            pairs.entry(u).or_default().push(id);
            pairs_t.entry(w).or_default().push(id);
            learned += 1;
        }
    }
    if learned == 0 {
        return 0;
    }
    let add = |units: &[Vec<String>], items: &mut [ItemCounts], map: &HashMap<&str, Vec<u32>>| {
        for (sentence, list) in units.iter().zip(items.iter_mut()) {
            let before = list.len();
            for u in sentence {
                if let Some(ids) = map.get(u.as_str()) {
                    list.extend(ids.iter().map(|&id| (id, 1u16)));
                }
            }
            if list.len() > before {
                list.sort_unstable();
            }
        }
    };
    add(src_units, src_items, &pairs);
    add(tgt_units, tgt_items, &pairs_t);
    learned
}
