//! Wire types of glossary export and import (HTTP and the CLI).

use std::collections::BTreeMap;

use crate::views::TermStatusJson;
use glossary::formats::SkippedEntry;
use glossary::ImportReport;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Export parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    /// `tbx` (TBX-Basic v3, default), `tbx-martif` (TBX 2008, for OmegaT and
    /// translate-toolkit), `tsv` (OmegaT glossary), `csv`, or `tmx` (the
    /// translation memory, TMX 1.4b).
    #[param(example = "tbx")]
    pub format: Option<String>,
    /// Source language (BCP 47): only concepts with a term in it. With
    /// `tgt`, only terms of the two languages are written. TSV defaults to `vi`.
    #[param(example = "vi")]
    pub src: Option<String>,
    /// Target language (BCP 47): only concepts with a term in it. TSV
    /// defaults to `en`.
    #[param(example = "en")]
    pub tgt: Option<String>,
    /// Only concepts with this subject field (case-insensitive). Not for `tmx`.
    pub subject_field: Option<String>,
    /// Only terms with this status (concepts left without terms are dropped).
    /// Not for `tmx`.
    pub status: Option<TermStatusJson>,
    /// Also write deprecated and superseded terms, marked with their status
    /// (TBX: `administrativeStatus` per term; CSV: the `status` column;
    /// TSV: `[deprecated]` at the start of the comment). Default `false`:
    /// only preferred and admitted terms, so CAT tools never offer a term
    /// not to use. Ignored with `status`.
    pub include_deprecated: Option<bool>,
    /// Only concepts (TMX: units) changed at or after this time (RFC 3339).
    #[param(example = "2026-01-01T00:00:00Z")]
    pub updated_since: Option<String>,
    /// Only concepts (TMX: units) of these collections: one name or a comma list (`project,shared`);
    /// every collection when omitted. Unknown names match nothing.
    pub collection: Option<String>,
}

/// Import parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// `tbx` or `tbx-martif` (either TBX dialect is read), `tsv` or `csv`
    /// into the glossary; `tmx` into the translation memory. When omitted, a
    /// body starting with `<` is read as TBX; otherwise say which.
    pub format: Option<String>,
    /// Language of a TSV file's first column (default `vi`).
    pub src: Option<String>,
    /// Language of a TSV file's second column (default `en`).
    pub tgt: Option<String>,
    /// All or nothing: apply the whole file in one transaction, so that a
    /// failure or a crash leaves none of it stored. At most 20,000 entries
    /// (a larger file is refused with `invalid_input`, field `atomic`).
    /// Default `false`: batches of 500, each committed and flushed.
    pub atomic: Option<bool>,
    /// The collection to import into: new concepts and TM units are stored
    /// there, and only its concepts are matched and updated. Without it,
    /// each entry goes into the collection the file names (TBX
    /// `customerSubset`, TMX `x-collection`, the TSV/CSV `collection`
    /// column), else `default`; for an API key limited to collections,
    /// entries naming other collections are skipped.
    pub collection: Option<String>,
}

/// What an import did.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"format": "tbx", "entries": 3, "created": 2, "updated": 1, "unchanged": 0,
    "skipped": [], "skipped_count": 0, "kept_as_notes": {"admin customerSubset": 1}, "warnings": [], "batches": 1}))]
pub struct ImportReportJson {
    /// The format read (for TBX, the dialect found in the file).
    pub format: String,
    /// Entries read (concept entries, or TSV/CSV rows and row groups).
    pub entries: u64,
    /// New concepts stored.
    pub created: u64,
    /// Existing concepts changed (terms added, fields replaced).
    pub updated: u64,
    /// Entries whose content the glossary already had.
    pub unchanged: u64,
    /// Entries not applied, with reasons (the first 100).
    pub skipped: Vec<SkippedEntryJson>,
    /// Number of skipped entries.
    pub skipped_count: u64,
    /// Data categories without a field of their own, kept as notes, with counts.
    pub kept_as_notes: BTreeMap<String, u64>,
    /// Ids reassigned, values not recognised (the first 100).
    pub warnings: Vec<String>,
    /// Store transactions committed (each flushed to disk).
    pub batches: u64,
    /// The job that recorded the import (`GET /api/v1/jobs/{id}`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_id: Option<u64>,
}

/// An entry that was not imported.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct SkippedEntryJson {
    /// Position of the entry in the file (1-based).
    pub entry: u64,
    /// Line where it starts.
    pub line: u64,
    /// Its id in the file, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Why, and what to fix.
    pub reason: String,
}

impl From<&ImportReport> for ImportReportJson {
    fn from(r: &ImportReport) -> Self {
        ImportReportJson {
            format: r.format.name().to_string(),
            entries: r.entries,
            created: r.created,
            updated: r.updated,
            unchanged: r.unchanged,
            skipped: r.skipped.iter().map(SkippedEntryJson::from).collect(),
            skipped_count: r.skipped_count,
            kept_as_notes: r.kept_as_notes.clone(),
            warnings: r.warnings.clone(),
            batches: r.batches,
            job_id: r.job,
        }
    }
}

impl From<&SkippedEntry> for SkippedEntryJson {
    fn from(s: &SkippedEntry) -> Self {
        SkippedEntryJson { entry: s.entry, line: s.line, id: s.id.clone(), reason: s.reason.clone() }
    }
}

/// The multipart upload of `POST /import`, for the spec.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ImportUpload {
    /// The file (one part with a file name, or named `file`); its file name
    /// and content type tell the format when `format` is not given. Other
    /// parts are ignored.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}
