//! Exchange formats: how the glossary leaves and enters the server.
//!
//! | format        | export | import | module        |
//! |---------------|--------|--------|---------------|
//! | TBX-Basic v3 (ISO 30042:2019, DCA style) | yes | yes | [`tbx`]    |
//! | TBX 2008 "martif" (what OmegaT and translate-toolkit read) | yes | yes | [`martif`] |
//! | OmegaT glossary TSV (source, target, comment) | yes | yes | [`tsv`] |
//! | CSV with a header, one row per term | yes | yes | [`tsv`] |
//! | TMX 1.4b (translation memory) | yes | yes | [`tmx`] (format), `tm_exchange.rs` (TM) |
//!
//! Writers stream: they are handed one concept at a time while the store
//! is iterated, so exporting a million concepts takes the memory of one.
//! Readers stream too ([`xml::SafeReader`] on quick-xml, never a DOM) and
//! refuse hostile XML (see [`xml`]). Importing is done by
//! [`crate::Glossary::import`], which applies entries in bounded batches;
//! see `service.rs` for the matching rules.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use crate::collections::CollectionSelection;
use crate::error::{Error, FileProblem, Result};
use crate::model::{Concept, Lang, PartOfSpeech, Term, TermStatus, TermType, Timestamp};

pub mod martif;
pub mod tbx;
pub mod tmx;
pub mod tsv;
pub mod xliff;

pub(crate) mod service;
pub(crate) mod tm_exchange;
pub(crate) mod xml;

pub use service::{export, ExportSummary, BATCH_SIZE, MAX_ATOMIC_ENTRIES};

/// Largest file [`crate::Glossary::import`] reads by default (the HTTP
/// server applies its own, smaller upload limit).
pub const DEFAULT_MAX_IMPORT_BYTES: u64 = 1024 * 1024 * 1024;

/// How to read a file to import.
#[derive(Clone, Debug)]
pub struct ImportOptions {
    /// Largest file accepted, in bytes.
    pub max_bytes: u64,
    /// Language of the first column of a TSV file.
    pub src: Lang,
    /// Language of the second column of a TSV file.
    pub tgt: Lang,
    /// All or nothing: apply the whole file in one transaction (at most
    /// [`MAX_ATOMIC_ENTRIES`] entries), so that an interruption leaves none
    /// of it stored. Otherwise entries are committed in batches of
    /// [`BATCH_SIZE`].
    pub atomic: bool,
    /// Who imports (recorded in the history of every concept written):
    /// the API key's name over HTTP, `cli` on the command line.
    pub actor: String,
    /// The collection the file goes into: new concepts are created there,
    /// and only concepts of this collection are matched and updated. When
    /// `None`, each entry goes into the collection the file gives it (TBX
    /// `<admin type="customerSubset">`, TMX `<prop type="x-collection">`,
    /// the `collection` column of TSV and CSV), or `default`.
    pub collection: Option<crate::model::Collection>,
    /// Entries whose collection is not in this selection are skipped (an
    /// API key limited to collections importing a file that names others).
    pub allowed: CollectionSelection,
}

impl ImportOptions {
    /// The collection of an entry that names `from_file` (the file's raw
    /// value, if any), or why it may not be written: the request's
    /// collection wins, then a valid name from the file, then `default`.
    pub(crate) fn collection_of(
        &self,
        from_file: Option<&str>,
    ) -> std::result::Result<crate::model::Collection, String> {
        let c = match (&self.collection, from_file) {
            (Some(c), _) => c.clone(),
            (None, Some(name)) => crate::model::Collection::new(name).unwrap_or_default(),
            (None, None) => crate::model::Collection::default(),
        };
        if self.allowed.contains(&c) {
            Ok(c)
        } else {
            Err(format!("collection {c} is outside the collections this import may write into"))
        }
    }
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            max_bytes: DEFAULT_MAX_IMPORT_BYTES,
            src: Lang::new("vi").expect("valid tag"),
            tgt: Lang::new("en").expect("valid tag"),
            atomic: false,
            actor: "cli".to_string(),
            collection: None,
            allowed: CollectionSelection::all(),
        }
    }
}

/// A glossary exchange format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// TBX-Basic, TBX v3 (ISO 30042:2019), DCA style.
    Tbx,
    /// TBX 2008 (`<martif>` root), read by OmegaT and translate-toolkit.
    TbxMartif,
    /// OmegaT's tab-separated glossary: source, target, comment.
    Tsv,
    /// Comma-separated values with a header, one row per term.
    Csv,
    /// TMX 1.4b: the translation memory (not the glossary).
    Tmx,
}

impl Format {
    /// Every format, in the order they are documented.
    pub const ALL: [Format; 5] = [Format::Tbx, Format::TbxMartif, Format::Tsv, Format::Csv, Format::Tmx];

    /// The name used on the command line and in the API.
    pub fn name(self) -> &'static str {
        match self {
            Format::Tbx => "tbx",
            Format::TbxMartif => "tbx-martif",
            Format::Tsv => "tsv",
            Format::Csv => "csv",
            Format::Tmx => "tmx",
        }
    }

    /// Parses a format name (`tbx`, `tbx-martif`, `tsv`, `csv`, `tmx`).
    pub fn from_name(name: &str) -> Result<Format> {
        let lower = name.trim().to_ascii_lowercase();
        match lower.as_str() {
            "tbx" | "tbx-basic" | "tbx3" | "tbx-v3" => Ok(Format::Tbx),
            "tbx-martif" | "martif" | "tbx2008" | "tbx-2008" => Ok(Format::TbxMartif),
            "tsv" | "txt" | "omegat" => Ok(Format::Tsv),
            "csv" => Ok(Format::Csv),
            "tmx" => Ok(Format::Tmx),
            _ => Err(Error::file(
                FileProblem::UnsupportedFormat,
                format!(
                    "unknown format {name:?}: use tbx, tbx-martif, tsv, csv (glossary) or tmx (translation memory)"
                ),
            )),
        }
    }

    /// Guesses the format from a file name: `.tbx` → TBX v3 on export
    /// (either TBX dialect on import), `.tsv`/`.txt` → TSV, `.csv` → CSV.
    /// `.tmx` → TMX (the translation memory). TBX 2008 output needs
    /// `--format tbx-martif`.
    pub fn guess(path: &Path) -> Result<Format> {
        let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
        match ext.as_str() {
            "tbx" | "xml" => Ok(Format::Tbx),
            "tsv" | "txt" | "utf8" => Ok(Format::Tsv),
            "csv" => Ok(Format::Csv),
            "tmx" => Ok(Format::Tmx),
            _ => Err(Error::file(
                FileProblem::UnsupportedFormat,
                format!(
                    "cannot tell the format of {} from its extension: name it .tbx, .tsv, .csv or .tmx, or give --format",
                    path.display()
                ),
            )),
        }
    }

    /// Media type of an export.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Tbx | Format::TbxMartif | Format::Tmx => "application/xml; charset=utf-8",
            Format::Tsv => "text/tab-separated-values; charset=utf-8",
            Format::Csv => "text/csv; charset=utf-8",
        }
    }

    /// A file name for an export.
    pub fn file_name(self) -> &'static str {
        match self {
            Format::Tbx => "glossary.tbx",
            Format::TbxMartif => "glossary-tbx2008.tbx",
            // OmegaT reads `.utf8` glossaries as UTF-8 (`.txt` in the
            // system's encoding, and ignores `.tsv`).
            Format::Tsv => "glossary.utf8",
            Format::Csv => "glossary.csv",
            Format::Tmx => "memory.tmx",
        }
    }

    /// Whether the format is XML (and so read by the safe XML reader).
    pub fn is_xml(self) -> bool {
        matches!(self, Format::Tbx | Format::TbxMartif | Format::Tmx)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Which concepts and terms an export contains. All criteria combine.
#[derive(Clone, Debug, Default)]
pub struct ExportFilter {
    /// Source language: only concepts with a (kept) term in it. With
    /// `tgt`, terms in other languages are left out.
    pub src: Option<Lang>,
    /// Target language: only concepts with a (kept) term in it. With
    /// `src`, terms in other languages are left out.
    pub tgt: Option<Lang>,
    /// Only concepts with this subject field (case-insensitive).
    pub subject_field: Option<String>,
    /// Only terms with this status (concepts left without terms are dropped).
    pub status: Option<TermStatus>,
    /// Only concepts changed at or after this time.
    pub updated_since: Option<Timestamp>,
    /// Also write deprecated and superseded terms (marked with their status
    /// in each format). Without it, and without a `status` filter, an
    /// export carries only preferred and admitted terms, so a CAT tool that
    /// shows every equivalent it reads (OmegaT) never offers a term
    /// translators must not use.
    pub include_deprecated: bool,
    /// Only concepts (or, in TMX, units) of these collections.
    pub collections: CollectionSelection,
}

impl ExportFilter {
    /// The part of `concept` this filter lets through, if any.
    pub fn apply(&self, mut concept: Concept) -> Option<Concept> {
        if !self.collections.contains(&concept.collection) {
            return None;
        }
        if let Some(since) = self.updated_since {
            if concept.updated < since {
                return None;
            }
        }
        if let Some(subject) = &self.subject_field {
            let same = concept.subject_field.as_deref().is_some_and(|s| s.to_lowercase() == subject.to_lowercase());
            if !same {
                return None;
            }
        }
        let pair = self.src.is_some() && self.tgt.is_some();
        concept.terms.retain(|t| {
            let status_ok = match self.status {
                Some(s) => t.status == s,
                None => self.include_deprecated || matches!(t.status, TermStatus::Preferred | TermStatus::Admitted),
            };
            status_ok && (!pair || self.src.iter().chain(self.tgt.iter()).any(|l| t.lang.matches(l)))
        });
        let has = |lang: &Option<Lang>| lang.as_ref().is_none_or(|l| concept.terms.iter().any(|t| t.lang.matches(l)));
        if concept.terms.is_empty() || !has(&self.src) || !has(&self.tgt) {
            return None;
        }
        Some(concept)
    }

    /// Checks that the filter makes sense for `format` (call it before
    /// starting a streamed response: errors during the stream cannot change
    /// its status any more).
    pub fn check_for(&self, format: Format) -> Result<()> {
        if format == Format::Tmx && (self.subject_field.is_some() || self.status.is_some()) {
            return Err(Error::invalid(
                "format",
                "subject_field and status filter glossary exports; a TMX export holds the translation memory",
            ));
        }
        Ok(())
    }

    /// A one-line description for file headers, e.g. `vi→en, status preferred`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        match (&self.src, &self.tgt) {
            (Some(s), Some(t)) => parts.push(format!("languages {s} and {t}")),
            (Some(s), None) => parts.push(format!("concepts with {s} terms")),
            (None, Some(t)) => parts.push(format!("concepts with {t} terms")),
            (None, None) => {}
        }
        if let Some(s) = &self.subject_field {
            parts.push(format!("subject field {s:?}"));
        }
        if let Some(s) = self.status {
            parts.push(format!("status {}", status_name(s)));
        }
        if let Some(names) = self.collections.names() {
            let names: Vec<&str> = names.iter().map(|c| c.as_str()).collect();
            parts.push(format!("collections {}", names.join(", ")));
        }
        if let Some(t) = self.updated_since {
            parts.push(format!("updated since {}", t.to_rfc3339()));
        }
        if self.status.is_none() {
            parts.push(if self.include_deprecated {
                "deprecated and superseded terms included".to_string()
            } else {
                "preferred and admitted terms only".to_string()
            });
        }
        parts.join(", ")
    }
}

/// What an import did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportReport {
    /// The format read (for TBX, the dialect found in the file).
    pub format: Format,
    /// Entries read (concept entries, or TSV/CSV rows).
    pub entries: u64,
    /// New concepts stored.
    pub created: u64,
    /// Existing concepts changed.
    pub updated: u64,
    /// Entries that matched a concept already holding everything they say.
    pub unchanged: u64,
    /// Entries not applied, with reasons (the first [`MAX_LISTED`] of them;
    /// `skipped_count` has the total).
    pub skipped: Vec<SkippedEntry>,
    /// Number of skipped entries.
    pub skipped_count: u64,
    /// Data categories the model has no field for, kept as notes, with how
    /// often each was met (e.g. `admin customerSubset` → 3).
    pub kept_as_notes: BTreeMap<String, u64>,
    /// Other things worth knowing (ids reassigned, values not recognised),
    /// the first [`MAX_LISTED`] of them.
    pub warnings: Vec<String>,
    /// Store transactions committed (each followed by a flush).
    pub batches: u64,
    /// The job that recorded the import ([`crate::jobs`]).
    pub job: Option<u64>,
}

/// How many skipped entries and warnings a report lists.
pub const MAX_LISTED: usize = 100;

impl ImportReport {
    pub(crate) fn new(format: Format) -> ImportReport {
        ImportReport {
            format,
            entries: 0,
            created: 0,
            updated: 0,
            unchanged: 0,
            skipped: Vec::new(),
            skipped_count: 0,
            kept_as_notes: BTreeMap::new(),
            warnings: Vec::new(),
            batches: 0,
            job: None,
        }
    }

    pub(crate) fn skip(&mut self, entry: &ImportEntry, reason: String) {
        self.skipped_count += 1;
        if self.skipped.len() < MAX_LISTED {
            self.skipped.push(SkippedEntry { entry: entry.number, line: entry.line, id: entry.id.clone(), reason });
        }
    }

    pub(crate) fn warn(&mut self, warning: String) {
        if self.warnings.len() < MAX_LISTED {
            self.warnings.push(warning);
        }
    }
}

/// An entry of the file that was not applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkippedEntry {
    /// Position of the entry in the file (1-based).
    pub entry: u64,
    /// Line where the entry starts.
    pub line: u64,
    /// The entry's id in the file, if it has one.
    pub id: Option<String>,
    /// Why it was skipped and how to fix it.
    pub reason: String,
}

/// One concept entry as read from a file, before matching and validation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct ImportEntry {
    /// Position in the file (1-based).
    pub number: u64,
    /// Line where it starts.
    pub line: u64,
    pub id: Option<String>,
    pub subject_field: Option<String>,
    pub definition: Option<String>,
    pub note: Option<String>,
    pub source: Option<String>,
    /// A TSV comment: definition and note of an export, or a new note.
    pub comment: Option<String>,
    pub terms: Vec<ImportTerm>,
    /// Origination date given in the file.
    pub created: Option<Timestamp>,
    /// Problems that make the entry unusable (e.g. a bad language tag).
    pub problems: Vec<String>,
    /// Data categories kept as notes (report keys).
    pub kept: Vec<String>,
    /// Values not understood but kept (messages for the report).
    pub warnings: Vec<String>,
    /// The collection the file names for the entry (a valid name).
    pub collection: Option<String>,
}

/// A term as read from a file: `status` is `None` when the file does not
/// say (then the first term of a language becomes preferred).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ImportTerm {
    pub term: Term,
    pub status: Option<TermStatus>,
}

impl ImportTerm {
    pub fn new(lang: Lang, text: String) -> ImportTerm {
        ImportTerm { term: Term::bare(lang, text, TermStatus::Preferred), status: None }
    }
}

/// Appends `text` to a note, separated by ` | `.
pub(crate) fn append_note(note: &mut Option<String>, text: &str) {
    let text = text.trim();
    if text.is_empty() {
        return;
    }
    match note {
        Some(n) if !n.is_empty() => {
            n.push_str(" | ");
            n.push_str(text);
        }
        _ => *note = Some(text.to_string()),
    }
}

/// Sets a single-valued field; a second value goes to the note with its label.
pub(crate) fn set_or_note(field: &mut Option<String>, note: &mut Option<String>, label: &str, text: &str) {
    let text = text.trim();
    if text.is_empty() {
        return;
    }
    if field.is_none() {
        *field = Some(text.to_string());
    } else {
        append_note(note, &format!("{label}: {text}"));
    }
}

/// Terms grouped by language, languages in order of first appearance,
/// terms in their stored order within a language.
pub(crate) fn by_language(terms: &[Term]) -> Vec<(&Lang, Vec<&Term>)> {
    let mut groups: Vec<(&Lang, Vec<&Term>)> = Vec::new();
    for t in terms {
        match groups.iter_mut().find(|(l, _)| *l == &t.lang) {
            Some((_, v)) => v.push(t),
            None => groups.push((&t.lang, vec![t])),
        }
    }
    groups
}

/// The snake_case name of a status (as in the JSON API and CSV).
pub fn status_name(s: TermStatus) -> &'static str {
    match s {
        TermStatus::Preferred => "preferred",
        TermStatus::Admitted => "admitted",
        TermStatus::Deprecated => "deprecated",
        TermStatus::Superseded => "superseded",
    }
}

/// TBX-Basic `administrativeStatus` value of a status.
pub(crate) fn status_tbx(s: TermStatus) -> &'static str {
    match s {
        TermStatus::Preferred => "preferredTerm-admn-sts",
        TermStatus::Admitted => "admittedTerm-admn-sts",
        TermStatus::Deprecated => "deprecatedTerm-admn-sts",
        TermStatus::Superseded => "supersededTerm-admn-sts",
    }
}

/// Reads a status from either naming (`preferredTerm-admn-sts`, `preferred`).
pub(crate) fn parse_status(v: &str) -> Option<TermStatus> {
    let v = v.trim();
    let v = v.strip_suffix("-admn-sts").unwrap_or(v);
    let v = v.strip_suffix("Term").unwrap_or(v);
    Some(match v.to_ascii_lowercase().as_str() {
        "preferred" | "standardized" => TermStatus::Preferred,
        "admitted" => TermStatus::Admitted,
        "deprecated" => TermStatus::Deprecated,
        "superseded" => TermStatus::Superseded,
        _ => return None,
    })
}

/// TBX-Basic `partOfSpeech` value (also our CSV value).
pub(crate) fn pos_name(p: PartOfSpeech) -> &'static str {
    match p {
        PartOfSpeech::Noun => "noun",
        PartOfSpeech::Verb => "verb",
        PartOfSpeech::Adjective => "adjective",
        PartOfSpeech::Adverb => "adverb",
        PartOfSpeech::Other => "other",
    }
}

pub(crate) fn parse_pos(v: &str) -> Option<PartOfSpeech> {
    Some(match v.trim().to_ascii_lowercase().as_str() {
        "noun" => PartOfSpeech::Noun,
        "verb" => PartOfSpeech::Verb,
        "adjective" => PartOfSpeech::Adjective,
        "adverb" => PartOfSpeech::Adverb,
        "other" => PartOfSpeech::Other,
        _ => return None,
    })
}

/// TBX-Basic `termType` value.
pub(crate) fn term_type_tbx(t: TermType) -> &'static str {
    match t {
        TermType::FullForm => "fullForm",
        TermType::Acronym => "acronym",
        TermType::Abbreviation => "abbreviation",
        TermType::ShortForm => "shortForm",
        TermType::Variant => "variant",
        TermType::Phrase => "phrase",
    }
}

/// Our snake_case name of a term type (CSV, JSON API).
pub(crate) fn term_type_name(t: TermType) -> &'static str {
    match t {
        TermType::FullForm => "full_form",
        TermType::Acronym => "acronym",
        TermType::Abbreviation => "abbreviation",
        TermType::ShortForm => "short_form",
        TermType::Variant => "variant",
        TermType::Phrase => "phrase",
    }
}

/// Reads a term type in either naming (`fullForm`, `full_form`).
pub(crate) fn parse_term_type(v: &str) -> Option<TermType> {
    let key: String = v.trim().chars().filter(|c| *c != '_' && *c != '-').collect::<String>().to_ascii_lowercase();
    Some(match key.as_str() {
        "fullform" => TermType::FullForm,
        "acronym" => TermType::Acronym,
        "abbreviation" => TermType::Abbreviation,
        "shortform" => TermType::ShortForm,
        "variant" => TermType::Variant,
        "phrase" => TermType::Phrase,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_names_and_guesses() {
        for f in Format::ALL {
            assert_eq!(Format::from_name(f.name()).unwrap(), f);
        }
        let cases: &[(&str, Option<Format>)] = &[
            ("glossary.tbx", Some(Format::Tbx)),
            ("G.TBX", Some(Format::Tbx)),
            ("omegat/glossary.txt", Some(Format::Tsv)),
            ("a.tsv", Some(Format::Tsv)),
            ("sheet.csv", Some(Format::Csv)),
            ("memory.tmx", Some(Format::Tmx)),
            ("noext", None),
            ("x.docx", None),
        ];
        for (path, expected) in cases {
            assert_eq!(Format::guess(Path::new(path)).ok(), *expected, "{path}");
        }
        let err = Format::from_name("docx").unwrap_err().to_string();
        assert!(err.contains("tmx (translation memory)"), "{err}");
        assert!(matches!(
            Format::from_name("docx"),
            Err(Error::InvalidFile { problem: FileProblem::UnsupportedFormat, .. })
        ));
    }

    #[test]
    fn value_tables_read_both_namings() {
        let cases: &[(&str, Option<TermStatus>)] = &[
            ("preferredTerm-admn-sts", Some(TermStatus::Preferred)),
            ("admittedTerm-admn-sts", Some(TermStatus::Admitted)),
            ("deprecatedTerm-admn-sts", Some(TermStatus::Deprecated)),
            ("supersededTerm-admn-sts", Some(TermStatus::Superseded)),
            ("preferred", Some(TermStatus::Preferred)),
            ("Deprecated", Some(TermStatus::Deprecated)),
            ("deprecatedTerm", Some(TermStatus::Deprecated)),
            ("legalTerm", None),
        ];
        for (v, expected) in cases {
            assert_eq!(parse_status(v), *expected, "{v}");
        }
        for s in [TermStatus::Preferred, TermStatus::Admitted, TermStatus::Deprecated, TermStatus::Superseded] {
            assert_eq!(parse_status(status_tbx(s)), Some(s));
            assert_eq!(parse_status(status_name(s)), Some(s));
        }
        for t in [
            TermType::FullForm,
            TermType::Acronym,
            TermType::Abbreviation,
            TermType::ShortForm,
            TermType::Variant,
            TermType::Phrase,
        ] {
            assert_eq!(parse_term_type(term_type_tbx(t)), Some(t));
            assert_eq!(parse_term_type(term_type_name(t)), Some(t));
        }
        assert_eq!(parse_term_type("properNoun"), None);
        assert_eq!(parse_pos("Noun"), Some(PartOfSpeech::Noun));
        assert_eq!(parse_pos("danh từ"), None);
    }

    #[test]
    fn filter_keeps_the_pair_and_the_status() {
        let l = |s: &str| Lang::new(s).unwrap();
        let term = |lang: &str, text: &str, status| Term::bare(l(lang), text, status);
        let concept = Concept {
            id: crate::model::ConceptId::new("c1").unwrap(),
            subject_field: Some("Diplomacy".into()),
            definition: None,
            note: None,
            source: None,
            terms: vec![
                term("vi", "hòa bình", TermStatus::Preferred),
                term("en", "peace", TermStatus::Preferred),
                term("en", "calm", TermStatus::Deprecated),
                term("fr", "paix", TermStatus::Preferred),
            ],
            collection: Default::default(),
            created: Timestamp(1000),
            updated: Timestamp(2000),
            version: 1,
        };
        let texts = |f: &ExportFilter| {
            f.apply(concept.clone()).map(|c| c.terms.iter().map(|t| t.text.clone()).collect::<Vec<_>>())
        };
        let pair = ExportFilter { src: Some(l("vi")), tgt: Some(l("en")), ..Default::default() };
        assert_eq!(texts(&pair).unwrap(), ["hòa bình", "peace"], "deprecated terms are left out by default");
        let with_deprecated = ExportFilter { include_deprecated: true, ..pair.clone() };
        assert_eq!(texts(&with_deprecated).unwrap(), ["hòa bình", "peace", "calm"]);
        let preferred = ExportFilter { status: Some(TermStatus::Preferred), ..pair.clone() };
        assert_eq!(texts(&preferred).unwrap(), ["hòa bình", "peace"]);
        let no_target = ExportFilter { tgt: Some(l("de")), ..pair.clone() };
        assert_eq!(texts(&no_target), None);
        let subject = ExportFilter { subject_field: Some("diplomacy".into()), ..Default::default() };
        assert_eq!(texts(&subject).unwrap().len(), 3, "subject match is case-insensitive; no pair keeps all");
        let other_subject = ExportFilter { subject_field: Some("economy".into()), ..Default::default() };
        assert_eq!(texts(&other_subject), None);
        assert!(texts(&ExportFilter { updated_since: Some(Timestamp(2000)), ..Default::default() }).is_some());
        assert!(texts(&ExportFilter { updated_since: Some(Timestamp(2001)), ..Default::default() }).is_none());
        let deprecated_vi = ExportFilter { status: Some(TermStatus::Deprecated), ..pair };
        assert_eq!(texts(&deprecated_vi), None, "no deprecated vi term: concept dropped");
    }
}
