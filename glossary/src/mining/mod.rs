//! Term mining: the fixed phrases of a Vietnamese corpus that deserve a
//! glossary entry — formulas, titles, organisations, names — ranked, with
//! the evidence a reviewer needs, and a review queue to accept, reject or
//! merge them.
//!
//! ```
//! use glossary::mining::{mine, Document, MiningOptions};
//!
//! let text = "Hai bên nhất trí thúc đẩy hợp tác toàn diện trên mọi lĩnh vực. \
//!             Hợp tác toàn diện là nền tảng của quan hệ hai nước. \
//!             Các bộ, ngành tăng cường hợp tác toàn diện trong năm tới.";
//! let docs = vec![Document { id: Some("d1".into()), title: None, text: text.into() }];
//! let outcome = mine(&docs, &MiningOptions::default(), &mut |_| {}).unwrap();
//! let best = &outcome.candidates[0];
//! assert_eq!(best.term, "hợp tác toàn diện");
//! assert_eq!(best.frequency, 3);
//! assert_eq!(best.contexts[0].document, "d1");
//! ```
//!
//! ## Pipeline
//! 1. [`corpus`]: documents are cleaned ([`crate::text::clean_multiline`])
//!    and web boilerplate is dropped by line: lines repeated in the corpus
//!    (a repeated full sentence is kept once), photo captions, bylines,
//!    "Đọc thêm" blocks, cut-off teasers, metadata headers; the sentences
//!    of the kept lines are split once and kept as provenance.
//! 2. [`candidates`]: sentences ([`crate::text::split_sentences`]) are
//!    tokenised ([`crate::text::tokenize`]) into syllables keyed by
//!    [`crate::text::normalized_key`]; every n-gram of 1–8 syllables inside
//!    a run of words (no punctuation, no numbers) that does not start with a
//!    function word is counted in a trie (counts, not copies of the text).
//! 3. [`score`]: termhood (C-value), boundary strength (branching),
//!    unithood (PMI), domain specificity against general Vietnamese
//!    ([`refdata`]), document spread and shape are multiplied; fragments and
//!    phrases ending in function words never become candidates.
//! 4. [`formula`]: comma- and "và"-joined enumerations of candidates that
//!    recur as a unit become formula candidates linked to their members.
//!    The same pass collects the evidence ([`variants`]: spellings and
//!    keyword-in-context examples) of the best n-grams and, from the
//!    sentence where an enumeration recurs, of its members.
//! 5. Ranking, then a catch-up pass over only the sentences before the
//!    evidence of a selected candidate started (often none).
//!
//! Memory: the trie and the enumeration map are bounded
//! ([`MiningOptions::max_ngrams`]); beyond, counting is lossy with a
//! reported error bound ([`CorpusStats::count_error`]).
//!
//! The review queue ([`queue`]) stores candidates in sled, keyed by their
//! normalised key, so mining the same corpus again updates counts; accept,
//! reject and merge are methods of [`crate::Glossary`].
//!
//! Mining never consults the glossary's entries: it works the same on an
//! empty store.

pub mod candidates;
pub mod corpus;
pub mod formula;
pub mod queue;
pub mod refdata;
pub mod score;
mod service;
pub(crate) use service::INTERRUPTED;
pub mod variants;

use std::collections::HashMap;

use crate::error::{Error, Result};

use candidates::{runs, FxMap, Item, Trie, Vocabulary, DASH, ROOT};
use formula::FormulaCollector;
use variants::Evidence;

pub use corpus::{DropReason, PreparedDocument};
pub use queue::{
    candidate_id, AcceptRequest, CandidatePage, CandidateQuery, CandidateSort, CandidateStatus, MergeRequest,
    MiningRun, QueuedCandidate, RunStatus, MAX_CANDIDATE_PAGE,
};

/// Most candidates a run may return.
pub const MAX_TOP: usize = 5_000;
/// Most contexts per candidate.
pub const MAX_CONTEXTS: usize = 20;

/// A document to mine.
#[derive(Clone, Debug, Default)]
pub struct Document {
    /// Id used in contexts; `doc1`, `doc2`, ... when absent.
    pub id: Option<String>,
    /// Title, for the caller's records.
    pub title: Option<String>,
    /// Plain text, UTF-8.
    pub text: String,
}

/// Settings of a mining run.
#[derive(Clone, Debug)]
pub struct MiningOptions {
    /// How many candidates to return (best first), 1..=[`MAX_TOP`].
    pub top: usize,
    /// Fewest occurrences of a candidate (at least 1).
    pub min_frequency: u32,
    /// Keyword-in-context examples per candidate, 0..=[`MAX_CONTEXTS`].
    pub max_contexts: usize,
    /// Memory bound: the most distinct n-grams held while counting, at
    /// least [`MIN_NGRAMS`]. Beyond it the rarest are pruned (lossy
    /// counting, see [`CorpusStats::count_error`]); below it counts are
    /// exact.
    pub max_ngrams: usize,
}

/// Default of [`MiningOptions::max_ngrams`]: about 70 MB of counting
/// structures, exact counts for corpora up to roughly 2-3 MB of text.
pub const DEFAULT_MAX_NGRAMS: usize = 900_000;
/// Least [`MiningOptions::max_ngrams`].
pub const MIN_NGRAMS: usize = 1_000;

impl Default for MiningOptions {
    fn default() -> Self {
        MiningOptions { top: 100, min_frequency: 2, max_contexts: 3, max_ngrams: DEFAULT_MAX_NGRAMS }
    }
}

/// What a candidate is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CandidateKind {
    /// A lowercase phrase ("hợp tác toàn diện").
    Phrase,
    /// Capitalised mid-sentence: a title, organisation, person or place.
    Name,
    /// A single word in capitals ("ASEAN").
    Acronym,
    /// An enumeration of terms that recurs as a unit.
    Formula,
}

impl CandidateKind {
    /// Stable lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            CandidateKind::Phrase => "phrase",
            CandidateKind::Name => "name",
            CandidateKind::Acronym => "acronym",
            CandidateKind::Formula => "formula",
        }
    }
}

/// The factors of a candidate's score (see [`score`]); `score` is their product.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ScoreParts {
    /// C-value: `log2(syllables + 1) × (frequency − mean frequency of longer candidates containing it)`.
    pub termhood: f64,
    /// Branching: low when one neighbour word nearly always extends it (0–1).
    pub boundary: f64,
    /// Association of its parts, `0.5 + npmi/2` of the weakest split (0.5–1).
    pub unithood: f64,
    /// Domain specificity against general Vietnamese (0.35–1.5).
    pub specificity: f64,
    /// Document spread (0.6–1).
    pub spread: f64,
    /// Shape: inner function words, length, names, formula membership.
    pub shape: f64,
}

impl ScoreParts {
    /// The score: the product of the parts.
    pub fn product(&self) -> f64 {
        self.termhood * self.boundary * self.unithood * self.specificity * self.spread * self.shape
    }
}

/// A spelling of a candidate and how often it occurred.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Variant {
    /// The spelling as written.
    pub text: String,
    /// Occurrences.
    pub count: u32,
}

/// A keyword-in-context example.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Context {
    /// Document id.
    pub document: String,
    /// Byte offset of the term in the document's cleaned text.
    pub start: usize,
    /// Byte offset just past the term.
    pub end: usize,
    /// Up to 80 characters of the sentence before the term.
    pub left: String,
    /// The term as written there.
    pub term: String,
    /// Up to 80 characters of the sentence after the term.
    pub right: String,
}

impl Context {
    /// The sentence excerpt as one string.
    pub fn sentence(&self) -> String {
        format!("{}{}{}", self.left, self.term, self.right)
    }
}

/// A ranked candidate with its evidence.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Candidate {
    /// Normalised key ([`crate::text::normalized_key`] of the term).
    pub key: String,
    /// Display form: the most frequent spelling inside sentences.
    pub term: String,
    /// What it is.
    pub kind: CandidateKind,
    /// The score (product of `parts`), rounded to 3 decimals.
    pub score: f64,
    /// The factors of the score.
    pub parts: ScoreParts,
    /// Occurrences in the corpus.
    pub frequency: u32,
    /// Documents it occurs in.
    pub document_frequency: u32,
    /// Length in syllables.
    pub syllables: u32,
    /// Spellings merged into this candidate, most frequent first.
    pub variants: Vec<Variant>,
    /// Keyword-in-context examples, distinct documents first.
    pub contexts: Vec<Context>,
    /// For a formula: its member terms, in order.
    pub members: Vec<String>,
    /// For a term: the formulas it is a member of.
    pub formulas: Vec<String>,
}

/// Counts describing a mined corpus.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CorpusStats {
    /// Documents.
    pub documents: usize,
    /// Bytes of input text.
    pub bytes: usize,
    /// Bytes in lines that were counted.
    pub kept_bytes: usize,
    /// Lines dropped as boilerplate.
    pub dropped_lines: usize,
    /// Sentences counted.
    pub sentences: usize,
    /// Syllable tokens counted.
    pub syllables: u64,
    /// Distinct n-grams counted (kept at the end of counting).
    pub distinct_ngrams: usize,
    /// How many times the counts were pruned to stay within
    /// [`MiningOptions::max_ngrams`].
    #[serde(default)]
    pub prunes: u32,
    /// The most any count may fall short of the true frequency: 0 when
    /// nothing was pruned (exact counts); otherwise n-grams seen fewer
    /// times than this may be missing and others undercounted by up to it.
    #[serde(default)]
    pub count_error: u32,
    /// Passes over the text: 2, or 3 when a formula member ranked too low
    /// for its evidence to be collected in the second.
    #[serde(default)]
    pub passes: u32,
}

/// The result of [`mine`].
#[derive(Clone, Debug)]
pub struct MiningOutcome {
    /// Best candidates first.
    pub candidates: Vec<Candidate>,
    /// Corpus counts.
    pub stats: CorpusStats,
    /// The documents as prepared (cleaned text, kept and dropped lines).
    pub documents: Vec<PreparedDocument>,
}

/// Where a run is, for progress reporting.
#[derive(Clone, Copy, Debug)]
pub struct Progress {
    /// Bytes of text processed so far, over all passes.
    pub done: u64,
    /// Bytes of text the run will process at most (three passes over the
    /// kept text; the third is often skipped).
    pub total: u64,
}

/// Mines candidate terms from documents. `progress` is called after each
/// document of each pass.
pub fn mine(
    documents: &[Document],
    options: &MiningOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<MiningOutcome> {
    validate(options)?;
    let docs = corpus::prepare(documents)?;
    let kept_bytes: usize = docs.iter().map(|d| d.kept.iter().map(|r| r.len()).sum::<usize>()).sum();
    let total = 3 * kept_bytes as u64;
    let mut done = 0u64;
    let mut stats = CorpusStats {
        documents: docs.len(),
        bytes: documents.iter().map(|d| d.text.len()).sum(),
        kept_bytes,
        dropped_lines: docs.iter().map(|d| d.dropped.len()).sum(),
        ..CorpusStats::default()
    };

    // Pass 1: count.
    let mut vocab = Vocabulary::new();
    let mut trie = Trie::with_budget(options.max_ngrams);
    for (n, d) in docs.iter().enumerate() {
        let mut sentences = 0;
        candidates::scan(&mut vocab, &d.text, &d.sentences, |s, v| {
            sentences += 1;
            trie.count_sentence(v, s, n as u32);
        });
        stats.sentences += sentences;
        done += doc_bytes(d);
        progress(Progress { done, total });
    }
    stats.syllables = vocab.total;
    stats.distinct_ngrams = trie.nodes.len() - 1;
    stats.prunes = trie.prunes;
    stats.count_error = trie.epoch;

    // Score n-grams.
    let scored = score::score_all(&trie, &vocab, docs.len(), options.min_frequency);
    let scores = score::NodeScores::new(trie.nodes.len(), &scored);

    // Pass 2: formulas, and evidence for the best n-grams and for the
    // members of each enumeration from the sentence where it recurs.
    let mut evidence: FxMap<u32, Evidence> = {
        let mut best: Vec<&score::Scored> = scored.iter().filter(|s| s.listed).collect();
        best.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.node.cmp(&b.node)));
        best.iter().take(options.top + EVIDENCE_MARGIN).map(|s| (s.node, Evidence::default())).collect()
    };
    let mut starts = EvidenceStarts::new(&trie, &vocab, evidence.keys().copied());
    // Node → the sentence (numbered across documents) its evidence starts at.
    let mut late: FxMap<u32, u32> = FxMap::default();
    let mut sentence_no = 0u32;
    let mut collector = FormulaCollector { threshold: options.min_frequency, ..FormulaCollector::default() };
    for (n, d) in docs.iter().enumerate() {
        candidates::scan(&mut vocab, &d.text, &d.sentences, |s, v| {
            collector.collect(s, &d.text, n as u32, &trie, v, &scores, options.max_contexts);
            for m in collector.seen_members.drain(..) {
                if let std::collections::hash_map::Entry::Vacant(e) = evidence.entry(m) {
                    e.insert(Evidence::default());
                    late.insert(m, sentence_no);
                    starts.add(&trie, m);
                }
            }
            collect_evidence(s, &d.text, n as u32, &trie, &starts, &mut evidence, options.max_contexts);
            sentence_no += 1;
        });
        done += doc_bytes(d);
        progress(Progress { done, total });
    }
    stats.prunes += collector.prunes;
    stats.count_error = stats.count_error.max(collector.epoch);
    let formulas = formula::merge(collector, options.min_frequency);

    // Rank phrases and formulas together; members of a formula get a bonus.
    let member_nodes: HashMap<u32, Vec<usize>> =
        formulas.iter().enumerate().fold(HashMap::new(), |mut m, (i, (k, _))| {
            for &node in k {
                m.entry(node).or_insert_with(Vec::new).push(i);
            }
            m
        });
    let mut ranked: Vec<Ranked> = scored
        .into_iter()
        .filter(|s| s.listed)
        .map(|mut s| {
            if member_nodes.contains_key(&s.node) {
                // The formula attests the member as a unit: its own
                // frequency counts in full, whatever longer phrases it
                // also occurs in ("quan hệ hữu nghị vĩ đại").
                let node = &trie.nodes[s.node as usize];
                s.parts.termhood = s.parts.termhood.max(f64::from(node.syllables).log2() * f64::from(node.freq));
                s.parts.boundary = s.parts.boundary.max(MEMBER_BOUNDARY);
                s.parts.shape *= MEMBER_BONUS;
                s.score = s.parts.product();
            }
            Ranked::Ngram(s)
        })
        .collect();
    for (i, (members, evidence)) in formulas.iter().enumerate() {
        let parts = formula_parts(members, evidence, &trie, &vocab, docs.len());
        ranked.push(Ranked::Formula { index: i, score: parts.product(), parts });
    }
    ranked.sort_by(|a, b| b.score().total_cmp(&a.score()).then(a.tiebreak().cmp(&b.tiebreak())));
    ranked.truncate(options.top);

    // Pass 3, only as far as needed: the sentences before the evidence of a
    // selected n-gram or member started (all of them for an n-gram that
    // pass 2 did not follow).
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
    if !catch_up.is_empty() {
        catch_up.sort_unstable();
        let until = catch_up.last().map_or(0, |&(k, _)| k);
        let mut earlier: FxMap<u32, Evidence> = catch_up.iter().map(|&(_, m)| (m, Evidence::default())).collect();
        let starts = EvidenceStarts::new(&trie, &vocab, earlier.keys().copied());
        let (mut sentence_no, mut next) = (0u32, 0usize);
        let mut finished: Vec<(u32, Evidence)> = Vec::new();
        'docs: for (n, d) in docs.iter().enumerate() {
            if sentence_no >= until {
                break 'docs;
            }
            candidates::scan(&mut vocab, &d.text, &d.sentences, |s, _| {
                // Nodes whose pass-2 evidence starts here are complete.
                while next < catch_up.len() && catch_up[next].0 <= sentence_no {
                    let node = catch_up[next].1;
                    finished.extend(earlier.remove(&node).map(|e| (node, e)));
                    next += 1;
                }
                if sentence_no < until {
                    collect_evidence(s, &d.text, n as u32, &trie, &starts, &mut earlier, options.max_contexts);
                }
                sentence_no += 1;
            });
            done += doc_bytes(d);
            progress(Progress { done, total });
        }
        for (node, e) in finished.into_iter().chain(earlier) {
            if let Some(w) = wanted.get_mut(&node) {
                w.prepend(e);
            }
        }
    }
    progress(Progress { done: total, total });

    let doc_ids: Vec<String> = docs.iter().map(|d| d.id.clone()).collect();
    let display = |node: u32, wanted: &FxMap<u32, Evidence>| -> String {
        let n = &trie.nodes[node as usize];
        match wanted.get(&node) {
            Some(e) => e.display(n.capital > 0 && n.capital >= n.lower),
            None => trie.tokens(node).iter().map(|&t| vocab.get(t).key.as_ref()).collect::<Vec<&str>>().join(" "),
        }
    };
    let mut out = Vec::with_capacity(ranked.len());
    for r in &ranked {
        let candidate = match r {
            Ranked::Ngram(s) => {
                let node = &trie.nodes[s.node as usize];
                let evidence = &wanted[&s.node];
                let term = display(s.node, &wanted);
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
                    frequency: node.freq,
                    document_frequency: node.doc_freq,
                    syllables: u32::from(node.syllables),
                    variants: evidence.variants(),
                    contexts: evidence.contexts(&doc_ids, options.max_contexts),
                    members: Vec::new(),
                    formulas: formulas_of,
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
                    members: members.iter().map(|&m| display(m, &wanted)).collect(),
                    formulas: Vec::new(),
                }
            }
        };
        out.push(candidate);
    }
    Ok(MiningOutcome { candidates: out, stats, documents: docs })
}

/// Candidates beyond `top` whose evidence pass 2 collects, so that pass 3
/// is rarely needed (only when a formula lifts a member from further down).
const EVIDENCE_MARGIN: usize = 100;

/// Score factor for a term that is a member of a recurring formula.
const MEMBER_BONUS: f64 = 1.25;
/// Least boundary factor of a formula member.
const MEMBER_BOUNDARY: f64 = 0.9;

/// Checks a run's documents and options against the limits, cheaply,
/// before a run is accepted.
pub fn check(documents: &[Document], options: &MiningOptions) -> Result<()> {
    validate(options)?;
    corpus::check(documents)
}

fn validate(options: &MiningOptions) -> Result<()> {
    if options.top == 0 || options.top > MAX_TOP {
        return Err(Error::invalid("top", format!("must be between 1 and {MAX_TOP}")));
    }
    if options.min_frequency == 0 {
        return Err(Error::invalid("min_frequency", "must be at least 1"));
    }
    if options.max_contexts > MAX_CONTEXTS {
        return Err(Error::invalid("max_contexts", format!("must be at most {MAX_CONTEXTS}")));
    }
    if options.max_ngrams < MIN_NGRAMS {
        return Err(Error::invalid("max_ngrams", format!("must be at least {MIN_NGRAMS}")));
    }
    Ok(())
}

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
            if !starts.first.get(id as usize).copied().unwrap_or(false) {
                continue;
            }
            let mut node = ROOT;
            for item in &items[i..run.end] {
                let (token, end) = match item {
                    Item::Word { id, end, .. } => (*id, *end),
                    Item::Dash { end, .. } => (DASH, *end),
                    _ => break,
                };
                match trie.child(node, token) {
                    Some(n) => node = n,
                    None => break,
                }
                match starts.marks[node as usize] {
                    0 => break,
                    2 => {
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
