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
/// Entries of the table below this probability are dropped after training.
const MIN_PROBABILITY: f64 = 0.02;
/// Most words kept per unit after training (the likeliest).
const MAX_ROW: usize = 8;
/// Most links read (bounds training time on very long documents).
const MAX_LINKS: usize = 2_000;

/// `t(w | u)` for the units and words of one document pair.
#[derive(Debug, Default)]
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
    /// the words of its target sentence.
    pub fn train(links: &[(&[String], &[String])]) -> TranslationTable {
        let mut table = TranslationTable::default();
        let mut corpus: Vec<(Vec<u32>, Vec<u32>)> = Vec::new();
        for (s, t) in links.iter().take(MAX_LINKS) {
            let intern = |vocab: &mut HashMap<String, u32>, x: &String| {
                let next = vocab.len() as u32;
                *vocab.entry(x.clone()).or_insert(next)
            };
            // Unit 0 is the empty unit.
            let mut su = vec![u32::MAX];
            su.extend(s.iter().map(|u| intern(&mut table.src_vocab, u)));
            let tw = t.iter().map(|w| intern(&mut table.tgt_vocab, w)).collect();
            corpus.push((su, tw));
        }
        table.links = corpus.len();
        // Every co-occurring (unit, word) pair gets a slot of `t`; each
        // link lists, per target word, the slots of its units.
        let mut slots: HashMap<(u32, u32), usize> = HashMap::new();
        let mut keys: Vec<(u32, u32)> = Vec::new();
        let mut links_slots: Vec<Vec<Vec<usize>>> = Vec::with_capacity(corpus.len());
        for (su, tw) in &corpus {
            let per_word = tw
                .iter()
                .map(|&w| {
                    su.iter()
                        .map(|&u| {
                            *slots.entry((u, w)).or_insert_with(|| {
                                keys.push((u, w));
                                keys.len() - 1
                            })
                        })
                        .collect()
                })
                .collect();
            links_slots.push(per_word);
        }
        // Uniform start, then expectation–maximisation.
        let mut t = vec![1.0f64; keys.len()];
        let unit_index = |u: u32| if u == u32::MAX { 0 } else { u as usize + 1 };
        let n_units = table.src_vocab.len() + 1;
        for _ in 0..ITERATIONS {
            let mut counts = vec![0.0f64; keys.len()];
            for per_word in &links_slots {
                for unit_slots in per_word {
                    let total: f64 = unit_slots.iter().map(|&k| t[k]).sum();
                    if total > 0.0 {
                        for &k in unit_slots {
                            counts[k] += t[k] / total;
                        }
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

    /// `t(w | u)`, 0 when unknown.
    #[cfg(test)]
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
        LexicalScorer { src_sums, src_sizes, tgt_words, background }
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
}

impl LexicalScorer {
    /// `score(S, T)` for source sentences `s` and target sentences `t`.
    pub fn score(&self, s: std::ops::Range<usize>, t: std::ops::Range<usize>) -> f64 {
        let size: f64 = self.src_sizes[s.clone()].iter().sum::<f64>() - (s.len() as f64 - 1.0).max(0.0);
        let mut total = 0.0;
        for j in t {
            for &w in &self.tgt_words[j] {
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
