//! Wire types of term mining and the review queue. [`CandidateJson`] is
//! the one shape of a candidate, printed by `glossary-server mine --json`
//! and served by `/api/v1/candidates`.

use glossary::mining::{
    candidate_id, Candidate, CandidateKind, CandidateStatus, Context, CorpusStats, MiningRun, QueuedCandidate,
    RunStatus, ScoreParts, Variant,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::views::{ConceptJson, TermStatusJson};

/// What a candidate is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CandidateKindJson {
    /// A lowercase phrase ("hợp tác toàn diện").
    Phrase,
    /// Capitalised mid-sentence: a title, organisation, person or place.
    Name,
    /// A single word in capitals ("ASEAN").
    Acronym,
    /// An enumeration of terms that recurs as a unit; see `members`.
    Formula,
}

/// Review status of a queued candidate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CandidateStatusJson {
    /// Waiting for review.
    Pending,
    /// Accepted; `concept_id` names the concept created.
    Accepted,
    /// Rejected; later runs do not propose it again.
    Rejected,
    /// Added to `concept_id` as a variant term.
    Merged,
    /// Already a term of `concept_id` when a run found it; not offered for review.
    Known,
}

/// The glossary concept that already holds a candidate or a spelling of it.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct KnownTermJson {
    /// The concept holding the term.
    pub concept_id: String,
    /// The Vietnamese term of that concept.
    pub term: String,
    /// True when the candidate is a new spelling (other diacritics) of the term, offered as a variant of the concept.
    pub variant: bool,
}

/// The factors of the score; `score` is their product.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct ScorePartsJson {
    /// C-value: log2(syllables) × (frequency − mean frequency of the longer candidates containing it).
    pub termhood: f64,
    /// Branching: near 0 when one neighbouring word nearly always extends it (a fragment).
    pub boundary: f64,
    /// Normalised PMI of its weakest split, 0.2–1.
    pub unithood: f64,
    /// Domain specificity against general Vietnamese (wordfreq), 0.35–1.5.
    pub specificity: f64,
    /// Document spread, 0.6–1.
    pub spread: f64,
    /// Shape: function words inside, length, names, formula membership.
    pub shape: f64,
}

/// A spelling merged into a candidate.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct VariantJson {
    /// The spelling as written.
    pub text: String,
    /// Occurrences.
    pub count: u32,
}

/// A keyword-in-context example.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct ContextJson {
    /// Document id.
    pub document: String,
    /// Byte offset of the term in the document after clean-up (NFC, whitespace).
    pub start: usize,
    /// Byte offset just past the term.
    pub end: usize,
    /// Up to 80 characters before the term (same sentence).
    pub left: String,
    /// The term as written there.
    pub term: String,
    /// Up to 80 characters after the term (same sentence).
    pub right: String,
}

/// A mined candidate term with its evidence (and its review state, when queued).
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "id": "k3f6c0b0e5d2a4b19", "term": "thăm cấp Nhà nước", "key": "thăm cấp nhà nước", "kind": "phrase",
    "score": 11.2, "frequency": 16, "document_frequency": 5, "syllables": 4,
    "variants": [{"text": "thăm cấp Nhà nước", "count": 15}, {"text": "thăm cấp nhà nước", "count": 1}],
    "contexts": [{"document": "d1", "start": 120, "end": 142, "left": "Trong khuôn khổ chuyến ", "term": "thăm cấp Nhà nước", "right": " tới Lào"}],
    "members": [], "formulas": [], "status": "pending"
}))]
pub struct CandidateJson {
    /// Stable id (derived from `key`); use it in the review routes.
    pub id: String,
    /// Display form: the most frequent spelling inside sentences.
    pub term: String,
    /// Normalised key (tone placement, case, dashes unified).
    pub key: String,
    /// What it is.
    pub kind: CandidateKindJson,
    /// Ranking score (product of `parts`).
    pub score: f64,
    /// The factors of the score.
    pub parts: ScorePartsJson,
    /// Occurrences in the corpus.
    pub frequency: u32,
    /// Documents it occurs in.
    pub document_frequency: u32,
    /// Length in syllables.
    pub syllables: u32,
    /// Spellings merged into this candidate, most frequent first.
    pub variants: Vec<VariantJson>,
    /// Keyword-in-context examples, distinct documents first.
    pub contexts: Vec<ContextJson>,
    /// For a formula: its member terms, in order.
    pub members: Vec<String>,
    /// For a term: the formulas it is a member of.
    pub formulas: Vec<String>,
    /// Set when mined with a glossary that already holds the term (or a spelling of it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub known: Option<KnownTermJson>,
    /// Review status (queued candidates only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<CandidateStatusJson>,
    /// Runs that found it (queued candidates only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runs: Option<u32>,
    /// The latest run that found it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_run: Option<u64>,
    /// When it was first proposed, RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_seen: Option<String>,
    /// When it was reviewed, RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewed: Option<String>,
    /// The concept it was accepted as or merged into.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concept_id: Option<String>,
    /// Why it was rejected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// One page of the review queue.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct CandidatePageJson {
    /// Candidates on this page.
    pub items: Vec<CandidateJson>,
    /// Matching candidates in all pages.
    pub total: usize,
    /// Pass as `cursor` to get the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// A document to mine.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[schema(as = MiningDocumentJson)]
#[serde(deny_unknown_fields)]
pub struct DocumentJson {
    /// Id shown in contexts (1–200 characters); `doc1`, `doc2`, ... when absent.
    #[serde(default)]
    pub id: Option<String>,
    /// Title, for your records.
    #[serde(default)]
    pub title: Option<String>,
    /// Plain text (Vietnamese), up to 8 MiB.
    pub text: String,
}

/// Body of `POST /api/v1/mining/runs`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "documents": [{"id": "tuyen-bo-chung", "text": "Hai bên nhất trí tăng cường hợp tác toàn diện. Hợp tác toàn diện là trụ cột của quan hệ hai nước."}],
    "lang": "vi", "top": 50
}))]
pub struct MiningRequest {
    /// Documents, 1–10,000; 16 MiB of JSON in all.
    pub documents: Vec<DocumentJson>,
    /// Language of the documents; only `vi` is supported.
    #[serde(default)]
    pub lang: Option<String>,
    /// Candidates to keep, best first (1–5000, default 100).
    #[serde(default)]
    pub top: Option<usize>,
    /// Fewest occurrences of a candidate (default 2).
    #[serde(default)]
    pub min_frequency: Option<u32>,
    /// Examples per candidate (0–20, default 3).
    #[serde(default)]
    pub max_contexts: Option<usize>,
}

/// State of a mining run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RunStatusJson {
    /// Still mining; poll `GET /api/v1/mining/runs/{id}`.
    Running,
    /// Done; the candidates are in the review queue.
    Completed,
    /// Stopped with an error (see `error`).
    Failed,
}

/// Counts describing a mined corpus.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct CorpusStatsJson {
    /// Documents.
    pub documents: usize,
    /// Bytes of input text.
    pub bytes: usize,
    /// Bytes in lines that were counted (the rest was boilerplate).
    pub kept_bytes: usize,
    /// Lines dropped as boilerplate (captions, teasers, repeated lines, ...).
    pub dropped_lines: usize,
    /// Sentences counted.
    pub sentences: usize,
    /// Syllables counted.
    pub syllables: u64,
    /// Distinct n-grams counted (kept at the end of counting).
    pub distinct_ngrams: usize,
    /// Times the counts were pruned to bound memory (0 for most corpora).
    pub prunes: u32,
    /// The most any frequency may fall short of the truth: 0 means exact
    /// counts; after pruning, n-grams rarer than this may be missing.
    pub count_error: u32,
    /// Passes over the text: 2, or 3 when evidence had to be completed.
    pub passes: u32,
}

/// A mining run and its results summary.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct MiningRunJson {
    /// Run id.
    pub id: u64,
    /// State.
    pub status: RunStatusJson,
    /// Submitted, RFC 3339.
    pub created: String,
    /// Finished, RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finished: Option<String>,
    /// Documents submitted.
    pub documents: usize,
    /// Bytes of text submitted.
    pub bytes: usize,
    /// Candidates requested.
    pub top: usize,
    /// Corpus counts, once completed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stats: Option<CorpusStatsJson>,
    /// Candidates found (rejected ones included).
    pub candidates: usize,
    /// New to the queue.
    pub new: usize,
    /// Already queued: counts and evidence updated, review status kept.
    pub updated: usize,
    /// Rejected earlier: kept out of the pending list.
    pub rejected: usize,
    /// Ids of the candidates found, best first.
    pub results: Vec<String>,
    /// What went wrong, for a failed run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// How far a run working in the background is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress: Option<RunProgressJson>,
    /// The job executing the run (`GET /api/v1/jobs/{id}`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_id: Option<u64>,
}

/// How far a background mining run is: bytes of text processed over all
/// passes, of at most `total_bytes` (three passes over the kept text; the
/// last is often shorter, so a run may finish before 100 %).
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct RunProgressJson {
    /// Bytes processed so far.
    pub done_bytes: u64,
    /// Bytes the run processes at most (0 until the text is prepared).
    pub total_bytes: u64,
    /// `done_bytes / total_bytes`, 0–100.
    pub percent: f64,
}

impl RunProgressJson {
    /// Progress from the miner's counts.
    pub fn new(done: u64, total: u64) -> RunProgressJson {
        let percent = if total == 0 { 0.0 } else { (done as f64 * 1000.0 / total as f64).round() / 10.0 };
        RunProgressJson { done_bytes: done, total_bytes: total, percent: percent.min(100.0) }
    }
}

/// Body of `POST /api/v1/candidates/{id}/accept`.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"english": "state visit", "status": "preferred", "subject_field": "diplomacy"}))]
pub struct AcceptJson {
    /// The Vietnamese term to record if not the candidate's display form (same normalised key, e.g. other case).
    #[serde(default)]
    pub term: Option<String>,
    /// English equivalent.
    #[serde(default)]
    pub english: Option<String>,
    /// Status of the new terms (default `preferred`).
    #[serde(default)]
    pub status: Option<TermStatusJson>,
    /// Subject field of the new concept.
    #[serde(default)]
    pub subject_field: Option<String>,
    /// Note on the new concept.
    #[serde(default)]
    pub note: Option<String>,
    /// Collection (named glossary) of the new concept: 1-64 of
    /// `a-z 0-9 . _ -`, starting with a letter or digit; `default` when
    /// omitted.
    #[serde(default)]
    pub collection: Option<String>,
}

/// Body of `POST /api/v1/candidates/{id}/reject`.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RejectJson {
    /// Why (up to 1,000 characters).
    #[serde(default)]
    pub reason: Option<String>,
}

/// Body of `POST /api/v1/candidates/{id}/merge`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"concept_id": "c12", "status": "admitted"}))]
pub struct MergeJson {
    /// The concept to add the candidate to, as a Vietnamese term.
    pub concept_id: String,
    /// Only if the concept is still at this version (else `409 version_conflict`).
    #[serde(default)]
    pub version: Option<u64>,
    /// Status of the added term (default `admitted`).
    #[serde(default)]
    pub status: Option<TermStatusJson>,
}

/// Result of accept and merge: the candidate and the concept it now belongs to.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct ReviewJson {
    /// The candidate, with its new status.
    pub candidate: CandidateJson,
    /// The concept created or updated.
    pub concept: ConceptJson,
}

impl From<&Candidate> for CandidateJson {
    fn from(c: &Candidate) -> Self {
        CandidateJson {
            id: candidate_id(&c.key),
            term: c.term.clone(),
            key: c.key.clone(),
            kind: kind_json(c.kind),
            score: c.score,
            parts: parts_json(&c.parts),
            frequency: c.frequency,
            document_frequency: c.document_frequency,
            syllables: c.syllables,
            variants: c.variants.iter().map(variant_json).collect(),
            contexts: c.contexts.iter().map(context_json).collect(),
            members: c.members.clone(),
            formulas: c.formulas.clone(),
            known: c.known.as_ref().map(|k| KnownTermJson {
                concept_id: k.concept.to_string(),
                term: k.term.clone(),
                variant: k.variant,
            }),
            status: None,
            runs: None,
            last_run: None,
            first_seen: None,
            reviewed: None,
            concept_id: None,
            reason: None,
        }
    }
}

impl From<&QueuedCandidate> for CandidateJson {
    fn from(q: &QueuedCandidate) -> Self {
        let mut c = CandidateJson::from(&q.candidate);
        c.id = q.id.clone();
        c.status = Some(match q.status {
            CandidateStatus::Pending => CandidateStatusJson::Pending,
            CandidateStatus::Accepted => CandidateStatusJson::Accepted,
            CandidateStatus::Rejected => CandidateStatusJson::Rejected,
            CandidateStatus::Merged => CandidateStatusJson::Merged,
            CandidateStatus::Known => CandidateStatusJson::Known,
        });
        c.runs = Some(q.runs);
        c.last_run = Some(q.last_run);
        c.first_seen = Some(q.first_seen.to_rfc3339());
        c.reviewed = q.reviewed.map(|t| t.to_rfc3339());
        c.concept_id = q.concept.as_ref().map(|id| id.to_string());
        c.reason = q.reason.clone();
        c
    }
}

impl From<&MiningRun> for MiningRunJson {
    fn from(r: &MiningRun) -> Self {
        MiningRunJson {
            id: r.id,
            status: match r.status {
                RunStatus::Running => RunStatusJson::Running,
                RunStatus::Completed => RunStatusJson::Completed,
                RunStatus::Failed => RunStatusJson::Failed,
            },
            created: r.created.to_rfc3339(),
            finished: r.finished.map(|t| t.to_rfc3339()),
            documents: r.documents,
            bytes: r.bytes,
            top: r.top,
            stats: r.stats.as_ref().map(stats_json),
            candidates: r.candidates,
            new: r.new,
            updated: r.updated,
            rejected: r.rejected,
            results: r.results.clone(),
            error: r.error.clone(),
            progress: None,
            job_id: r.job,
        }
    }
}

fn kind_json(k: CandidateKind) -> CandidateKindJson {
    match k {
        CandidateKind::Phrase => CandidateKindJson::Phrase,
        CandidateKind::Name => CandidateKindJson::Name,
        CandidateKind::Acronym => CandidateKindJson::Acronym,
        CandidateKind::Formula => CandidateKindJson::Formula,
    }
}

fn parts_json(p: &ScoreParts) -> ScorePartsJson {
    let r = |x: f64| (x * 1000.0).round() / 1000.0;
    ScorePartsJson {
        termhood: r(p.termhood),
        boundary: r(p.boundary),
        unithood: r(p.unithood),
        specificity: r(p.specificity),
        spread: r(p.spread),
        shape: r(p.shape),
    }
}

fn variant_json(v: &Variant) -> VariantJson {
    VariantJson { text: v.text.clone(), count: v.count }
}

fn context_json(c: &Context) -> ContextJson {
    ContextJson {
        document: c.document.clone(),
        start: c.start,
        end: c.end,
        left: c.left.clone(),
        term: c.term.clone(),
        right: c.right.clone(),
    }
}

fn stats_json(s: &CorpusStats) -> CorpusStatsJson {
    CorpusStatsJson {
        documents: s.documents,
        bytes: s.bytes,
        kept_bytes: s.kept_bytes,
        dropped_lines: s.dropped_lines,
        sentences: s.sentences,
        syllables: s.syllables,
        distinct_ngrams: s.distinct_ngrams,
        prunes: s.prunes,
        count_error: s.count_error,
        passes: s.passes,
    }
}

/// Converts a wire status into the domain one.
pub fn term_status(s: TermStatusJson) -> glossary::TermStatus {
    match s {
        TermStatusJson::Preferred => glossary::TermStatus::Preferred,
        TermStatusJson::Admitted => glossary::TermStatus::Admitted,
        TermStatusJson::Deprecated => glossary::TermStatus::Deprecated,
        TermStatusJson::Superseded => glossary::TermStatus::Superseded,
    }
}

/// Listing parameters of the review queue.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CandidateParams {
    /// `pending` (default), `accepted`, `rejected`, `merged`, or `all`.
    pub status: Option<String>,
    /// Only candidates seen at least this often (default 1).
    pub min_frequency: Option<u32>,
    /// `score` (default, highest first), `frequency`, `term` (alphabetical) or `recent`.
    pub sort: Option<String>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1–200 (default 20).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<usize>,
}
