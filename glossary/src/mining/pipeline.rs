//! The mining run, one function per stage of the [module docs](super):
//! [`prepare`](corpus::prepare) the corpus, [`count`] the n-grams (pass 1),
//! [`score`](score::score_all) them, [`collect`] formulas and evidence
//! (pass 2), [`rank`] phrases and formulas together, [`catch_up`] on the
//! evidence a late-selected candidate missed (pass 3, often skipped), and
//! [`present`] the candidates with their display forms.

use std::collections::HashMap;

use crate::error::Result;

use super::candidates::{
    self, path_hash, runs, FxMap, Item, TokenRecord, Trie, Vocabulary, WordEdges, DASH, PATH_SEED, ROOT,
};
use super::corpus::{self, PreparedDocument};
use super::formula::{self, FormulaCollector};
use super::refdata;
use super::score::{self, NodeScores, Scored};
use super::variants::Evidence;
use super::{
    validate, Candidate, CandidateKind, CorpusStats, Document, MiningOptions, MiningOutcome, Progress, ScoreParts,
};

/// Mines candidate terms from documents. `progress` is called after each
/// document of each pass.
pub fn mine(
    documents: &[Document],
    options: &MiningOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<MiningOutcome> {
    validate(options)?;
    // 1. Corpus clean-up.
    let docs = corpus::prepare(documents)?;
    let kept_bytes: usize = docs.iter().map(doc_bytes).sum::<u64>() as usize;
    let mut meter = Meter { done: 0, total: 3 * kept_bytes as u64, progress };
    let mut stats = CorpusStats {
        documents: docs.len(),
        bytes: documents.iter().map(|d| d.text.len()).sum(),
        kept_bytes,
        dropped_lines: docs.iter().map(|d| d.dropped.len()).sum(),
        ..CorpusStats::default()
    };
    // 2. Counting.
    let (mut vocab, trie, edges) = count(&docs, options, &mut stats, &mut meter);
    // 3. Scoring; rare misspellings then read as the spelling they miss,
    // so that their occurrences become variants of its candidates.
    let scored = score::score_all(&trie, &vocab, docs.len(), options.min_frequency);
    vocab.fold_misspellings(&score::misspellings(&vocab, &trie));
    // 4. Formulas and evidence.
    let (collected, formulas) = collect(&docs, &edges, options, &trie, &mut vocab, &scored, &mut stats, &mut meter);
    // 5. Ranking, then the catch-up pass.
    let ranked = rank(scored, &formulas, &trie, &vocab, docs.len(), options.top);
    let wanted =
        catch_up(&docs, &edges, options, &trie, &mut vocab, &ranked, &formulas, collected, &mut stats, &mut meter);
    (meter.progress)(Progress { done: meter.total, total: meter.total });
    let candidates = present(&docs, options, &trie, &vocab, &ranked, &formulas, &wanted);
    Ok(MiningOutcome { candidates, stats, documents: docs })
}

/// Progress over the passes.
struct Meter<'a> {
    done: u64,
    total: u64,
    progress: &'a mut dyn FnMut(Progress),
}

impl Meter<'_> {
    fn document_done(&mut self, d: &PreparedDocument) {
        self.done += doc_bytes(d);
        (self.progress)(Progress { done: self.done, total: self.total });
    }
}

/// Word edges and syllable ids of each document's tokens, recorded by the
/// counting pass.
type DocumentEdges = Vec<TokenRecord>;

/// Stage 2, pass 1: the sentences are segmented into words (once: the word
/// edges are kept for the later passes), and every n-gram that may start a
/// term is counted in a trie.
fn count(
    docs: &[PreparedDocument],
    options: &MiningOptions,
    stats: &mut CorpusStats,
    meter: &mut Meter,
) -> (Vocabulary, Trie, DocumentEdges) {
    let mut vocab = Vocabulary::new();
    let mut trie = Trie::with_budget(options.max_ngrams);
    let mut edges = Vec::with_capacity(docs.len());
    for (n, d) in docs.iter().enumerate() {
        let mut sentences = 0;
        let mut doc_edges = TokenRecord::default();
        candidates::scan(&mut vocab, &d.text, &d.sentences, WordEdges::Segment(&mut doc_edges), |s, v| {
            sentences += 1;
            trie.count_sentence(v, s, n as u32);
        });
        stats.sentences += sentences;
        edges.push(doc_edges);
        meter.document_done(d);
    }
    stats.syllables = vocab.total;
    stats.distinct_ngrams = trie.nodes.len() - 1;
    stats.prunes = trie.prunes;
    stats.count_error = trie.epoch;
    (vocab, trie, edges)
}

/// What pass 2 gathers.
struct Collected {
    /// Evidence of the best n-grams and of formula members, by node.
    evidence: FxMap<u32, Evidence>,
    /// Node → the sentence (numbered across documents) its evidence starts
    /// at, for the members added during the pass.
    late: FxMap<u32, u32>,
}

/// A formula: its member nodes and its evidence.
type Formula = (Vec<u32>, Evidence);

/// Stage 4, pass 2: formulas, and evidence for the best n-grams and for the
/// members of each enumeration from the sentence where it recurs.
#[allow(clippy::too_many_arguments)]
fn collect(
    docs: &[PreparedDocument],
    edges: &DocumentEdges,
    options: &MiningOptions,
    trie: &Trie,
    vocab: &mut Vocabulary,
    scored: &[Scored],
    stats: &mut CorpusStats,
    meter: &mut Meter,
) -> (Collected, Vec<Formula>) {
    let scores = NodeScores::new(trie.nodes.len(), scored);
    let mut evidence: FxMap<u32, Evidence> = {
        let mut best: Vec<&Scored> = scored.iter().filter(|s| s.listed).collect();
        best.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.node.cmp(&b.node)));
        best.iter().take(options.top + EVIDENCE_MARGIN).map(|s| (s.node, Evidence::default())).collect()
    };
    let mut starts = EvidenceStarts::new(trie, vocab, evidence.keys().copied());
    let mut late: FxMap<u32, u32> = FxMap::default();
    let mut sentence_no = 0u32;
    let mut collector = FormulaCollector { threshold: options.min_frequency, ..FormulaCollector::default() };
    for (n, d) in docs.iter().enumerate() {
        candidates::scan(vocab, &d.text, &d.sentences, WordEdges::Replay(&edges[n]), |s, v| {
            collector.collect(s, &d.text, n as u32, trie, v, &scores, options.max_contexts);
            for m in collector.seen_members.drain(..) {
                if let std::collections::hash_map::Entry::Vacant(e) = evidence.entry(m) {
                    e.insert(Evidence::default());
                    late.insert(m, sentence_no);
                    starts.add(trie, m);
                }
            }
            collect_evidence(s, &d.text, n as u32, trie, &starts, &mut evidence, options.max_contexts);
            sentence_no += 1;
        });
        meter.document_done(d);
    }
    stats.prunes += collector.prunes;
    stats.count_error = stats.count_error.max(collector.epoch);
    let formulas = formula::merge(collector, options.min_frequency);
    (Collected { evidence, late }, formulas)
}

/// Stage 5: phrases and formulas ranked together, the best `top` kept;
/// members of a formula get a bonus.
fn rank(
    scored: Vec<Scored>,
    formulas: &[Formula],
    trie: &Trie,
    vocab: &Vocabulary,
    documents: usize,
    top: usize,
) -> Vec<Ranked> {
    let member_nodes = member_nodes(formulas);
    let mut ranked: Vec<Ranked> = scored
        .into_iter()
        .filter(|s| s.listed)
        .map(|mut s| {
            if member_nodes.contains_key(&s.node) {
                // The formula attests the member as a unit: its own
                // frequency counts in full, whatever longer phrases it
                // also occurs in ("quan hệ hữu nghị vĩ đại").
                // (A two-syllable member keeps its own termhood: the
                // frequency of a word is weak evidence, see `score`.)
                let node = &trie.nodes[s.node as usize];
                if node.syllables > 2 {
                    s.parts.termhood = s.parts.termhood.max(f64::from(node.syllables).log2() * f64::from(node.freq));
                }
                s.parts.boundary = s.parts.boundary.max(MEMBER_BOUNDARY);
                s.parts.shape *= MEMBER_BONUS;
                s.score = s.parts.product();
            }
            Ranked::Ngram(s)
        })
        .collect();
    for (i, (members, evidence)) in formulas.iter().enumerate() {
        let parts = formula_parts(members, evidence, trie, vocab, documents);
        ranked.push(Ranked::Formula { index: i, score: parts.product(), parts });
    }
    ranked.sort_by(|a, b| b.score().total_cmp(&a.score()).then(a.tiebreak().cmp(&b.tiebreak())));
    ranked.truncate(top);
    ranked
}

/// Formula member node → the formulas (indices) it belongs to.
fn member_nodes(formulas: &[Formula]) -> HashMap<u32, Vec<usize>> {
    formulas.iter().enumerate().fold(HashMap::new(), |mut m, (i, (k, _))| {
        for &node in k {
            m.entry(node).or_insert_with(Vec::new).push(i);
        }
        m
    })
}

/// Stage 5, pass 3, only as far as needed: the sentences before the
/// evidence of a selected n-gram or member started (all of them for an
/// n-gram that pass 2 did not follow). Returns the evidence of every
/// selected node.
#[allow(clippy::too_many_arguments)]
fn catch_up(
    docs: &[PreparedDocument],
    edges: &DocumentEdges,
    options: &MiningOptions,
    trie: &Trie,
    vocab: &mut Vocabulary,
    ranked: &[Ranked],
    formulas: &[Formula],
    collected: Collected,
    stats: &mut CorpusStats,
    meter: &mut Meter,
) -> FxMap<u32, Evidence> {
    let Collected { mut evidence, late } = collected;
    let mut wanted: FxMap<u32, Evidence> = FxMap::default();
    let mut catch_up: Vec<(u32, u32)> = Vec::new(); // (evidence starts at sentence, node)
    let selected = ranked.iter().flat_map(|r| match r {
        Ranked::Ngram(s) => vec![s.node],
        Ranked::Formula { index, .. } => formulas[*index].0.clone(),
    });
    for node in selected {
        if wanted.contains_key(&node) {
            continue;
        }
        let start = match evidence.remove(&node) {
            Some(e) => {
                wanted.insert(node, e);
                late.get(&node).copied().unwrap_or(0)
            }
            None => {
                wanted.insert(node, Evidence::default());
                u32::MAX
            }
        };
        if start > 0 {
            catch_up.push((start, node));
        }
    }
    stats.passes = if catch_up.is_empty() { 2 } else { 3 };
    if catch_up.is_empty() {
        return wanted;
    }
    catch_up.sort_unstable();
    let until = catch_up.last().map_or(0, |&(k, _)| k);
    let mut earlier: FxMap<u32, Evidence> = catch_up.iter().map(|&(_, m)| (m, Evidence::default())).collect();
    let starts = EvidenceStarts::new(trie, vocab, earlier.keys().copied());
    let (mut sentence_no, mut next) = (0u32, 0usize);
    let mut finished: Vec<(u32, Evidence)> = Vec::new();
    for (n, d) in docs.iter().enumerate() {
        if sentence_no >= until {
            break;
        }
        candidates::scan(vocab, &d.text, &d.sentences, WordEdges::Replay(&edges[n]), |s, _| {
            // Nodes whose pass-2 evidence starts here are complete.
            while next < catch_up.len() && catch_up[next].0 <= sentence_no {
                let node = catch_up[next].1;
                finished.extend(earlier.remove(&node).map(|e| (node, e)));
                next += 1;
            }
            if sentence_no < until {
                collect_evidence(s, &d.text, n as u32, trie, &starts, &mut earlier, options.max_contexts);
            }
            sentence_no += 1;
        });
        meter.document_done(d);
    }
    for (node, e) in finished.into_iter().chain(earlier) {
        if let Some(w) = wanted.get_mut(&node) {
            w.prepend(e);
        }
    }
    wanted
}

/// The selected candidates with their evidence and display forms.
fn present(
    docs: &[PreparedDocument],
    options: &MiningOptions,
    trie: &Trie,
    vocab: &Vocabulary,
    ranked: &[Ranked],
    formulas: &[Formula],
    wanted: &FxMap<u32, Evidence>,
) -> Vec<Candidate> {
    let member_nodes = member_nodes(formulas);
    let doc_ids: Vec<String> = docs.iter().map(|d| d.id.clone()).collect();
    let display = |node: u32| -> String {
        let n = &trie.nodes[node as usize];
        match wanted.get(&node) {
            Some(e) => e.display(n.capital > 0 && n.capital >= n.lower),
            None => trie.tokens(node).iter().map(|&t| vocab.get(t).key.as_ref()).collect::<Vec<&str>>().join(" "),
        }
    };
    let mut out = Vec::with_capacity(ranked.len());
    for r in ranked {
        let candidate = match r {
            Ranked::Ngram(s) => {
                let node = &trie.nodes[s.node as usize];
                let evidence = &wanted[&s.node];
                let term = display(s.node);
                let formulas_of: Vec<String> = member_nodes
                    .get(&s.node)
                    .map(|v| v.iter().map(|&i| formula_display(&formulas[i].1)).collect())
                    .unwrap_or_default();
                Candidate {
                    key: crate::text::normalized_key(&term),
                    term,
                    kind: s.kind,
                    score: round3(s.score),
                    parts: s.parts,
                    // The evidence passes count the uses on word edges,
                    // misspellings included: the spellings add up to it.
                    frequency: evidence.count,
                    document_frequency: node.doc_freq,
                    syllables: u32::from(node.syllables),
                    variants: evidence.variants(),
                    contexts: evidence.contexts(&doc_ids, options.max_contexts),
                    members: Vec::new(),
                    formulas: formulas_of,
                    known: None,
                }
            }
            Ranked::Formula { index, score, parts } => {
                let (members, evidence) = &formulas[*index];
                let term = formula_display(evidence);
                Candidate {
                    key: crate::text::normalized_key(&term),
                    term,
                    kind: CandidateKind::Formula,
                    score: round3(*score),
                    parts: *parts,
                    frequency: evidence.count,
                    document_frequency: evidence.docs.len() as u32,
                    syllables: members.iter().map(|&m| u32::from(trie.nodes[m as usize].syllables)).sum(),
                    variants: evidence.variants(),
                    contexts: evidence.contexts(&doc_ids, options.max_contexts),
                    members: members.iter().map(|&m| display(m)).collect(),
                    formulas: Vec::new(),
                    known: None,
                }
            }
        };
        out.push(candidate);
    }
    out
}

/// Candidates beyond `top` whose evidence pass 2 collects, so that pass 3
/// is rarely needed (only when a formula lifts a member from further down).
const EVIDENCE_MARGIN: usize = 100;

/// Score factor for a term that is a member of a recurring formula.
const MEMBER_BONUS: f64 = 1.25;
/// Least boundary factor of a formula member.
const MEMBER_BOUNDARY: f64 = 0.9;

fn doc_bytes(d: &PreparedDocument) -> u64 {
    d.kept.iter().map(|r| r.len() as u64).sum()
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

enum Ranked {
    Ngram(score::Scored),
    Formula { index: usize, score: f64, parts: ScoreParts },
}

impl Ranked {
    fn score(&self) -> f64 {
        match self {
            Ranked::Ngram(s) => s.score,
            Ranked::Formula { score, .. } => *score,
        }
    }
    fn tiebreak(&self) -> (u8, u32) {
        match self {
            Ranked::Ngram(s) => (1, s.node),
            Ranked::Formula { index, .. } => (0, *index as u32),
        }
    }
}

/// A formula's display form: its most frequent full spelling.
fn formula_display(evidence: &Evidence) -> String {
    evidence.display(false)
}

/// Score of a formula: C-value without nesting (a formula is the longest
/// unit), the members' mean specificity, document spread.
fn formula_parts(
    members: &[u32],
    evidence: &Evidence,
    trie: &Trie,
    vocab: &Vocabulary,
    documents: usize,
) -> ScoreParts {
    let syllables: u32 = members.iter().map(|&m| u32::from(trie.nodes[m as usize].syllables)).sum();
    let total = vocab.total.max(1) as f64;
    let mut spec = 0.0;
    for &m in members {
        let tokens = trie.tokens(m);
        let words: Vec<u32> = tokens.into_iter().filter(|&t| t != DASH).collect();
        let w: f64 = words
            .iter()
            .map(|&t| (vocab.counts[t as usize] as f64 / total / refdata::probability(vocab.get(t).zipf)).log10())
            .sum::<f64>()
            / words.len().max(1) as f64;
        spec += (0.5 + 0.25 * w).clamp(0.35, 1.5);
    }
    ScoreParts {
        termhood: f64::from(syllables + 1).log2() * f64::from(evidence.count),
        boundary: 1.0,
        unithood: 1.0,
        specificity: spec / members.len().max(1) as f64,
        spread: 0.6 + 0.4 * (1.0 + evidence.docs.len() as f64).ln() / (1.0 + documents as f64).ln(),
        shape: 1.0,
    }
}

/// Where the wanted n-grams of the evidence passes can start (their first
/// tokens) and which trie nodes lie on the way to one, so that most
/// positions of a sentence are skipped without a trie lookup and walks stop
/// as soon as they leave every wanted path.
struct EvidenceStarts {
    first: Vec<bool>,
    /// Per trie node: 0 off every wanted path, 1 on the way, 2 wanted.
    marks: Vec<u8>,
}

impl EvidenceStarts {
    fn new(trie: &Trie, vocab: &Vocabulary, wanted: impl Iterator<Item = u32>) -> EvidenceStarts {
        let mut starts = EvidenceStarts { first: vec![false; vocab.syllables.len()], marks: vec![0; trie.nodes.len()] };
        for node in wanted {
            starts.add(trie, node);
        }
        starts
    }

    fn add(&mut self, trie: &Trie, node: u32) {
        self.marks[node as usize] = 2;
        let mut n = node;
        loop {
            let parent = trie.nodes[n as usize].parent;
            if parent == ROOT {
                break;
            }
            if self.marks[parent as usize] == 0 {
                self.marks[parent as usize] = 1;
            }
            n = parent;
        }
        let t = trie.nodes[n as usize].token as usize;
        if self.first.len() <= t {
            self.first.resize(t + 1, false);
        }
        self.first[t] = true;
    }
}

/// Pass 3 for one sentence: records occurrences of the wanted nodes.
fn collect_evidence(
    sentence: &candidates::ScannedSentence,
    text: &str,
    doc: u32,
    trie: &Trie,
    starts: &EvidenceStarts,
    wanted: &mut FxMap<u32, Evidence>,
    max_contexts: usize,
) {
    let items = &sentence.items;
    for run in runs(items) {
        for i in run.clone() {
            let Item::Word { id, start, flags, .. } = items[i] else { continue };
            if !flags.word_start || !starts.first.get(id as usize).copied().unwrap_or(false) {
                continue;
            }
            let mut node = ROOT;
            let mut hash = PATH_SEED;
            for item in &items[i..run.end] {
                let (token, end, word_end) = match item {
                    Item::Word { id, end, flags, .. } => (*id, *end, flags.word_end),
                    Item::Dash { end, .. } => (DASH, *end, false),
                    _ => break,
                };
                hash = path_hash(hash, token);
                match trie.child_hashed(node, token, hash) {
                    Some(n) => node = n,
                    None => break,
                }
                match starts.marks[node as usize] {
                    0 => break,
                    2 if word_end => {
                        if let Some(e) = wanted.get_mut(&node) {
                            let initial = flags.initial && !sentence.shouting;
                            e.add(text, doc, start, end, sentence.start, sentence.end, initial, max_contexts);
                        }
                    }
                    _ => {}
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A rare spelling that differs from a far more frequent one by a tone
    /// mark is folded into its candidate as a variant, counted in its
    /// frequency, and not proposed on its own.
    #[test]
    fn misspellings_become_variants() {
        let mut text = String::new();
        let verbs = ["thúc đẩy", "mở rộng", "củng cố", "nâng tầm"];
        for i in 0..12 {
            text.push_str(&format!("Năm {i}, hai nước {} hợp tác toàn diện với nhau. ", verbs[i % 4]));
        }
        text.push_str("Hai bên ghi nhận hợp tác toàn diễn giữa hai nước.");
        let docs = [Document { id: Some("a".into()), title: None, text }];
        let outcome = mine(&docs, &MiningOptions::default(), &mut |_| {}).unwrap();
        let terms: Vec<&str> = outcome.candidates.iter().map(|c| c.term.as_str()).collect();
        assert!(!terms.iter().any(|t| t.contains("diễn")), "{terms:?}");
        let c = outcome.candidates.iter().find(|c| c.term == "hợp tác toàn diện").expect("the phrase is mined");
        let variants: Vec<(&str, u32)> = c.variants.iter().map(|v| (v.text.as_str(), v.count)).collect();
        assert!(variants.contains(&("hợp tác toàn diễn", 1)), "{variants:?}");
        assert_eq!(c.frequency, 13);
        assert_eq!(variants.iter().map(|v| v.1).sum::<u32>(), 13);
    }
}
