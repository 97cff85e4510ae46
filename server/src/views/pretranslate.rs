//! Wire types of XLIFF pre-translation (HTTP and the CLI).

use glossary::formats::xliff::{ClassCount, PretranslateReport};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Pre-translation parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PretranslateParams {
    /// Lowest TM match percentage that fills a target (30-100, default 100:
    /// exact matches only). Matches below it (down to 70) are offered as
    /// candidates.
    #[param(example = 100)]
    pub threshold: Option<f64>,
    /// Source language (BCP 47); default: the file's `source-language` /
    /// `srcLang`.
    #[param(example = "vi")]
    pub src: Option<String>,
    /// Target language (BCP 47); default: the file's `target-language` /
    /// `trgLang` (required when the file has none).
    #[param(example = "en")]
    pub tgt: Option<String>,
    /// Replace targets already there (default false: translated segments
    /// are left alone).
    pub overwrite: Option<bool>,
    /// `header` (default): answer the document, with the report in the
    /// `X-Pretranslate-Report` header; `json`: answer a JSON object with
    /// the report and the document.
    #[param(example = "json")]
    pub report: Option<String>,
    /// Only the TM units and glossary terms of these collections, in
    /// search order: one name or a comma list; every collection when
    /// omitted.
    pub collection: Option<String>,
}

/// Segments of one class and their words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ClassCountJson {
    /// Segments (1.2 trans-units or their `<mrk mtype="seg">`, 2.x segments).
    pub segments: u64,
    /// Words of their source text.
    pub words: u64,
}

impl From<ClassCount> for ClassCountJson {
    fn from(c: ClassCount) -> Self {
        ClassCountJson { segments: c.segments, words: c.words }
    }
}

/// What a pre-translation did, per class of segment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PretranslateReportJson {
    /// XLIFF version of the file (`1.2`, `2.0`, `2.1`, `2.2`).
    pub version: String,
    /// `<file>` elements.
    pub files: u64,
    /// Segments seen, whatever became of them.
    pub segments: u64,
    /// Filled from an exact (100%) match.
    pub exact: ClassCountJson,
    /// Filled from a fuzzy match at or above the threshold (marked for review).
    pub fuzzy: ClassCountJson,
    /// Not filled, candidates recorded (below the threshold, or inline codes
    /// that could not be placed).
    pub candidate: ClassCountJson,
    /// No TM match.
    pub none: ClassCountJson,
    /// Already translated, left as they were.
    pub kept: ClassCountJson,
    /// Not for translation (`translate="no"`, empty, over 2,000 characters).
    pub skipped: ClassCountJson,
    /// Matches at or above the threshold not filled because the inline codes
    /// could not be placed in their target.
    pub codes_not_placed: u64,
    /// Glossary notes (1.2) or glossary entries (2.x) written.
    pub glossary_notes: u64,
}

impl From<&PretranslateReport> for PretranslateReportJson {
    fn from(r: &PretranslateReport) -> Self {
        PretranslateReportJson {
            version: r.version.clone(),
            files: r.files,
            segments: r.segments(),
            exact: r.exact.into(),
            fuzzy: r.fuzzy.into(),
            candidate: r.candidate.into(),
            none: r.none.into(),
            kept: r.kept.into(),
            skipped: r.skipped.into(),
            codes_not_placed: r.codes_not_placed,
            glossary_notes: r.glossary_notes,
        }
    }
}

/// The answer of `POST /pretranslate?report=json`.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct PretranslatedJson {
    /// What was done.
    pub report: PretranslateReportJson,
    /// The pre-translated XLIFF file.
    pub document: String,
}
