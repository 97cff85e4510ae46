//! A word translation table learned from the first pass's confident links
//! (IBM Model 1, Brown et al. 1993, as in Moore 2002), and the lexical score
//! it gives a bead in the second pass.
//!
//! The first pass aligns on length and anchors. Its confident 1-1 links are
//! read as a parallel corpus of Vietnamese units (folded syllables and
//! syllable bigrams, [`super::learned::source_units`]) and English content
//! words ([`super::learned::target_units`]), and a few rounds of
//! expectation–maximisation estimate `t(w | u)`, the probability that the
//! unit `u` is translated by the word `w` (with an empty unit that
//! translates words no unit accounts for).
//!
//! A bead's lexical score is the log likelihood ratio of its English words
//! given its Vietnamese sentences against the same words drawn from the
//! document at random:
//!
//! ```text
//! score(S, T) = Σ_{w ∈ T} ln( λ · P(w | S) / P(w) + 1 − λ )
//! P(w | S)    = Σ_{u ∈ S} t(w | u) / (|S| + 1)
//! ```
//!
//! `P(w)` is the word's share of the English words of the document pair,
//! and `λ` ([`MIX`]) mixes the model with that background so that one
//! word the table does not know costs at most `−ln(1 − λ)`. True
//! translations score well above zero, unrelated sentences of similar
//! length (the leftovers next to a deleted sentence) well below: this is
//! the evidence length and anchors lack on sentences without numbers or
//! names.

use std::collections::HashMap;

/// First-pass 1-1 links below this posterior are not read: the table
/// learns what it is shown, and a shifted link read at 0.5 teaches it the
/// first pass's own mistake (dev set, concatenated documents: link F1
/// 0.882 with 0.5, 0.923 with 0.9).
pub(crate) const MIN_POSTERIOR: f64 = 0.9;
/// Fewest confident links the table is trained on; below this the second
/// pass has no lexical score. A 40-sentence document's own links taught
/// it chance pairs that lowered link F1 on the dev set (clean documents
/// 0.993 → 0.973); a few hundred links, as in long documents, teach it
/// real ones.
pub(crate) const MIN_LINKS: usize = 200;
/// Weight of the lexical score against the length and anchor costs (nats
/// per nat), chosen on the dev set among 0.3, 0.5 and 1.
pub(crate) const WEIGHT: f64 = 0.5;
/// Most one English word adds to a bead's score, in nats: without a cap a
/// long true pair scored +40 and its posterior no longer said how sure the
/// link was.
const MAX_WORD_SCORE: f64 = 1.0;
/// Rounds of expectation–maximisation.
pub(crate) const ITERATIONS: usize = 4;
/// Weight of the translation model against the background distribution.
pub(crate) const MIX: f64 = 0.5;

/// Score of a target word the table has never seen (`ln(1 − MIX) / 2`,
/// half of what an unexplained known word costs): the table cannot say
/// whether the source explains it. At the full `ln(1 − MIX)` long true
/// pairs full of new names and rare words scored far below zero and came
/// out as 1-0 + 0-1 (NTREX dev, with a TM table: clean 0.993 → 0.999,
/// del-both 0.969 → 0.971; TED dev: clean 0.989 → 0.990, del-vi 0.961 →
/// 0.965). Neutral (0) did as well on the dev sets but let more leftover
/// sentences pair.
pub(crate) const UNKNOWN_WORD_SCORE: f64 = -0.346_573_590_279_972_6;
/// Entries of the table below this probability are dropped after training.
const MIN_PROBABILITY: f64 = 0.02;
/// Most words kept per unit after training (the likeliest).
const MAX_ROW: usize = 8;
/// Most links read (bounds training time on very long documents).
const MAX_LINKS: usize = 2_000;

/// `t(w | u)` for the units and words of one document pair.
#[derive(Clone, Debug, Default)]
pub(crate) struct TranslationTable {
    src_vocab: HashMap<String, u32>,
    tgt_vocab: HashMap<String, u32>,
    /// Per source unit id: `(target word id, t(w | u))`, sorted by word id.
    rows: Vec<Vec<(u32, f64)>>,
    /// Links the table was trained on.
    pub links: usize,
}

impl TranslationTable {
    /// Trains the table on `links`, each the units of a source sentence and
    /// the words of its target sentence (at most [`MAX_LINKS`] read).
    pub fn train(links: &[(&[String], &[String])]) -> TranslationTable {
        TranslationTable::train_with(links, MAX_LINKS, 1)
    }

    /// [`TranslationTable::train`] reading at most `max_links` links and
    /// keeping only units and words that occur in at least `min_count` of
    /// them (a large background corpus: rare units cost memory and teach
    /// chance pairs).
    pub fn train_with(links: &[(&[String], &[String])], max_links: usize, min_count: usize) -> TranslationTable {
        let links = &links[..links.len().min(max_links)];
        let mut table = TranslationTable::default();
        let (mut src_df, mut tgt_df): (HashMap<&str, usize>, HashMap<&str, usize>) = Default::default();
        if min_count > 1 {
            for (s, t) in links {
                for u in s.iter() {
                    *src_df.entry(u.as_str()).or_default() += 1;
                }
                for w in t.iter() {
                    *tgt_df.entry(w.as_str()).or_default() += 1;
                }
            }
        }
        let keep = |df: &HashMap<&str, usize>, x: &str| min_count <= 1 || df.get(x).copied().unwrap_or(0) >= min_count;
        // Per link: its units (the empty unit first, `u32::MAX`) and words.
        let mut corpus: Vec<(Vec<u32>, Vec<u32>)> = Vec::with_capacity(links.len());
        for (s, t) in links {
            let intern = |vocab: &mut HashMap<String, u32>, x: &String| {
                let next = vocab.len() as u32;
                *vocab.entry(x.clone()).or_insert(next)
            };
            let mut su = vec![u32::MAX];
            su.extend(s.iter().filter(|u| keep(&src_df, u)).map(|u| intern(&mut table.src_vocab, u)));
            let tw = t.iter().filter(|w| keep(&tgt_df, w)).map(|w| intern(&mut table.tgt_vocab, w)).collect();
            corpus.push((su, tw));
        }
        table.links = corpus.len();
        // Every co-occurring (unit, word) pair gets a slot of `t`; each
        // link lists, per target word, the slots of its units (one flat
        // array: `|words| × |units|` slots per link).
        let mut slots: HashMap<(u32, u32), u32> = HashMap::new();
        let mut keys: Vec<(u32, u32)> = Vec::new();
        let mut flat: Vec<u32> = Vec::new();
        for (su, tw) in &corpus {
            for &w in tw {
                for &u in su {
                    let k = *slots.entry((u, w)).or_insert_with(|| {
                        keys.push((u, w));
                        keys.len() as u32 - 1
                    });
                    flat.push(k);
                }
            }
        }
        drop(slots);
        let blocks: Vec<&[u32]> = {
            let mut out = Vec::new();
            let mut at = 0;
            for (su, tw) in &corpus {
                for _ in tw {
                    out.push(&flat[at..at + su.len()]);
                    at += su.len();
                }
            }
            out
        };
        // Uniform start, then expectation–maximisation.
        let mut t = vec![1.0f64; keys.len()];
        let unit_index = |u: u32| if u == u32::MAX { 0 } else { u as usize + 1 };
        let n_units = table.src_vocab.len() + 1;
        for _ in 0..ITERATIONS {
            let mut counts = vec![0.0f64; keys.len()];
            for unit_slots in &blocks {
                let total: f64 = unit_slots.iter().map(|&k| t[k as usize]).sum();
                if total > 0.0 {
                    for &k in unit_slots.iter() {
                        counts[k as usize] += t[k as usize] / total;
                    }
                }
            }
            let mut unit_totals = vec![0.0f64; n_units];
            for (k, &(u, _)) in keys.iter().enumerate() {
                unit_totals[unit_index(u)] += counts[k];
            }
            for (k, &(u, _)) in keys.iter().enumerate() {
                let total = unit_totals[unit_index(u)];
                t[k] = if total > 0.0 { counts[k] / total } else { 0.0 };
            }
        }
        let mut rows: Vec<Vec<(u32, f64)>> = vec![Vec::new(); table.src_vocab.len()];
        for (k, &(u, w)) in keys.iter().enumerate() {
            if u != u32::MAX && t[k] >= MIN_PROBABILITY {
                rows[u as usize].push((w, t[k]));
            }
        }
        for row in &mut rows {
            row.sort_unstable_by(|a, b| b.1.total_cmp(&a.1));
            row.truncate(MAX_ROW);
            row.sort_unstable_by_key(|&(w, _)| w);
        }
        table.rows = rows;
        table
    }

    /// This table and `other` as one: a unit known to both gets the mean
    /// of its two rows, a unit known to one keeps its row. Used to join a
    /// background table (from the translation memory) with a document's own.
    pub fn merge(&self, other: &TranslationTable) -> TranslationTable {
        let mut out = TranslationTable {
            src_vocab: self.src_vocab.clone(),
            tgt_vocab: self.tgt_vocab.clone(),
            rows: self.rows.clone(),
            links: self.links + other.links,
        };
        let mut other_words: Vec<(&str, u32)> = other.tgt_vocab.iter().map(|(k, &v)| (k.as_str(), v)).collect();
        other_words.sort_unstable_by_key(|&(_, v)| v);
        let word_map: Vec<u32> = other_words
            .iter()
            .map(|&(w, _)| {
                let next = out.tgt_vocab.len() as u32;
                *out.tgt_vocab.entry(w.to_string()).or_insert(next)
            })
            .collect();
        for (unit, &id) in &other.src_vocab {
            let row: Vec<(u32, f64)> =
                other.rows[id as usize].iter().map(|&(w, p)| (word_map[w as usize], p)).collect();
            match out.src_vocab.get(unit) {
                Some(&mine) => {
                    let mut joined: HashMap<u32, f64> = HashMap::new();
                    for &(w, p) in out.rows[mine as usize].iter().chain(&row) {
                        *joined.entry(w).or_default() += p / 2.0;
                    }
                    let mut joined: Vec<(u32, f64)> = joined.into_iter().collect();
                    joined.sort_unstable_by_key(|&(w, _)| w);
                    out.rows[mine as usize] = joined;
                }
                None => {
                    out.src_vocab.insert(unit.clone(), out.rows.len() as u32);
                    let mut row = row;
                    row.sort_unstable_by_key(|&(w, _)| w);
                    out.rows.push(row);
                }
            }
        }
        out
    }

    /// `t(w | u)`, 0 when unknown.
    pub fn probability(&self, unit: &str, word: &str) -> f64 {
        let (Some(&u), Some(&w)) = (self.src_vocab.get(unit), self.tgt_vocab.get(word)) else { return 0.0 };
        let row = &self.rows[u as usize];
        row.binary_search_by_key(&w, |&(x, _)| x).map_or(0.0, |k| row[k].1)
    }

    /// The scorer for one document pair: each source sentence's
    /// `Σ_u t(w | u)` per word, each target sentence's words, and the
    /// background share of every word.
    pub fn scorer(&self, src_units: &[Vec<String>], tgt_units: &[Vec<String>]) -> LexicalScorer {
        let mut tgt_vocab: HashMap<&str, u32> = self.tgt_vocab.iter().map(|(k, &v)| (k.as_str(), v)).collect();
        let mut tgt_words = Vec::with_capacity(tgt_units.len());
        let mut counts: Vec<f64> = vec![0.0; tgt_vocab.len()];
        let mut total: f64 = 0.0;
        for sentence in tgt_units {
            let mut ids = Vec::with_capacity(sentence.len());
            for w in sentence {
                let next = tgt_vocab.len() as u32;
                let id = *tgt_vocab.entry(w.as_str()).or_insert(next);
                if id as usize >= counts.len() {
                    counts.push(0.0);
                }
                counts[id as usize] += 1.0;
                total += 1.0;
                ids.push(id);
            }
            tgt_words.push(ids);
        }
        let background = counts.iter().map(|&c: &f64| c.max(1.0) / total.max(1.0)).collect();
        let mut src_sums = Vec::with_capacity(src_units.len());
        let mut src_sizes = Vec::with_capacity(src_units.len());
        let mut dense = vec![0.0f64; self.tgt_vocab.len()];
        let mut touched: Vec<u32> = Vec::new();
        for sentence in src_units {
            for u in sentence {
                if let Some(&id) = self.src_vocab.get(u) {
                    for &(w, p) in &self.rows[id as usize] {
                        if dense[w as usize] == 0.0 {
                            touched.push(w);
                        }
                        dense[w as usize] += p;
                    }
                }
            }
            touched.sort_unstable();
            src_sums.push(touched.iter().map(|&w| (w, std::mem::take(&mut dense[w as usize]))).collect());
            touched.clear();
            src_sizes.push(sentence.len() as f64 + 1.0);
        }
        LexicalScorer { src_sums, src_sizes, tgt_words, background, known: self.tgt_vocab.len() }
    }
}

/// Lexical scores of beads of one document pair (see the module
/// documentation).
#[derive(Debug)]
pub(crate) struct LexicalScorer {
    src_sums: Vec<Vec<(u32, f64)>>,
    src_sizes: Vec<f64>,
    tgt_words: Vec<Vec<u32>>,
    background: Vec<f64>,
    /// Target word ids below this are in the table's vocabulary; the
    /// others were first seen in this document pair.
    known: usize,
}

impl LexicalScorer {
    /// `score(S, T)` for source sentences `s` and target sentences `t`.
    pub fn score(&self, s: std::ops::Range<usize>, t: std::ops::Range<usize>) -> f64 {
        let size: f64 = self.src_sizes[s.clone()].iter().sum::<f64>() - (s.len() as f64 - 1.0).max(0.0);
        let mut total = 0.0;
        for j in t {
            for &w in &self.tgt_words[j] {
                if w as usize >= self.known {
                    total += UNKNOWN_WORD_SCORE;
                    continue;
                }
                let mut sum = 0.0;
                for i in s.clone() {
                    let row = &self.src_sums[i];
                    if let Ok(k) = row.binary_search_by_key(&w, |&(x, _)| x) {
                        sum += row[k].1;
                    }
                }
                total += (MIX * sum / size / self.background[w as usize] + 1.0 - MIX).ln().min(MAX_WORD_SCORE);
            }
        }
        total
    }
}
