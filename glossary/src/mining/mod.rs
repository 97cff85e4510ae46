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
//! Ranking never consults the glossary's entries: it works the same on an
//! empty store. With a store, [`crate::Glossary::mark_known_candidates`]
//! then marks the candidates the glossary already holds (see
//! `docs/mining.md`).

pub mod candidates;
pub mod corpus;
pub mod formula;
mod pipeline;
pub mod queue;
pub mod refdata;
pub mod score;
mod service;
pub(crate) use service::{mark_known, MiningQueue, INTERRUPTED};
pub mod variants;

use crate::error::{Error, Result};

pub use corpus::{DropReason, PreparedDocument};
pub use pipeline::mine;
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
/// Default of [`MiningOptions::top`].
pub const DEFAULT_TOP: usize = 100;
/// Default of [`MiningOptions::min_frequency`].
pub const DEFAULT_MIN_FREQUENCY: u32 = 2;
/// Default of [`MiningOptions::max_contexts`].
pub const DEFAULT_CONTEXTS: usize = 3;

impl Default for MiningOptions {
    fn default() -> Self {
        MiningOptions {
            top: DEFAULT_TOP,
            min_frequency: DEFAULT_MIN_FREQUENCY,
            max_contexts: DEFAULT_CONTEXTS,
            max_ngrams: DEFAULT_MAX_NGRAMS,
        }
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
    /// The glossary concept that already holds this term or a spelling of
    /// it, when mined with a store ([`crate::Glossary::mark_known_candidates`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub known: Option<KnownTerm>,
}

/// A candidate's match in the glossary.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct KnownTerm {
    /// The concept holding the term.
    pub concept: crate::model::ConceptId,
    /// The Vietnamese term of that concept the candidate matches.
    pub term: String,
    /// `true` when the candidate is a new spelling of the term (same
    /// letters without diacritics, different diacritics), to be offered
    /// as a variant of the concept; `false` when it is the term itself.
    pub variant: bool,
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
