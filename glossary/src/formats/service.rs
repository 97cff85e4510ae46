//! Import and export on the glossary: streaming export from the store,
//! two-pass import applied in bounded batches.
//!
//! # Export
//! [`export`] iterates the store in id order and hands each concept that
//! passes the [`ExportFilter`] to the format's writer, which writes it to
//! the output at once: memory does not grow with the glossary. It needs
//! only a [`Store`], so the command line can export without building the
//! lookup index.
//!
//! # Import
//! 1. **Check pass**: the whole file is read and parsed, nothing stored. A
//!    truncated, hostile or wrongly encoded file fails here and the store
//!    stays as it was.
//! 2. **Apply pass**: the file is read again; entries are matched, merged,
//!    validated and written in batches of [`BATCH_SIZE`], each batch one
//!    sled transaction followed by one flush, then the lookup index is
//!    refreshed for the concepts written.
//!
//! Matching an entry to an existing concept, in this order:
//! - its **id**, if a concept has it *and* shares at least one term with the
//!   entry (an unrelated concept that happens to carry the same id, e.g.
//!   `c5` from another termbase, is not overwritten: the entry is matched as
//!   if it had no id, and created under a new id if nothing matches);
//! - else its **preferred term** in its first language (the entry's
//!   explicitly preferred term, or its first term there): a concept having
//!   that term (same normalised key, any status), provided that for every
//!   other language of the entry the concept either has no term or has the
//!   entry's preferred term too.
//!
//! Merging never deletes: concept fields given in the file replace the
//! stored ones, fields the file leaves out are kept; a term of the file
//! that the concept has (same language and normalised text) gets the file's
//! attributes where the file gives them, other terms are added. A term
//! without a status in the file keeps its status, or, when new, becomes
//! preferred if its language has no preferred term yet and admitted
//! otherwise; a term the file marks preferred makes the previous preferred
//! term of that language admitted. An entry whose merge changes nothing is
//! counted as unchanged, so importing the same file twice creates nothing.

use std::collections::{HashMap, HashSet};
use std::io::{self, BufRead, Write};

use crate::error::{Error, FileProblem, Result};
use crate::formats::martif::MARTIF;
use crate::formats::tbx::{TbxReader, TbxWriter, V3};
use crate::formats::tm_exchange::export_tmx;
use crate::formats::tsv::{comment_of, CsvReader, CsvWriter, TsvReader, TsvWriter};
use crate::formats::xml::Limits;
use crate::formats::{ExportFilter, Format, ImportEntry, ImportOptions, ImportReport};
use crate::index::KeyKind;
use crate::indexes::ConceptIndexes;
use crate::jobs::{Job, JobCounts, JobKind, JobRunner};
use crate::model::{Concept, ConceptDraft, ConceptId, Lang, Term, TermStatus, Timestamp};
use crate::store::Store;
use crate::text::normalized_key;
use crate::tm::TranslationMemory;

/// Entries applied per store transaction (and flush) during an import.
pub const BATCH_SIZE: usize = 500;

/// What an export wrote: concepts and their terms (glossary formats), or
/// translation-memory units (TMX).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExportSummary {
    /// Concepts written.
    pub concepts: u64,
    /// Terms written.
    pub terms: u64,
    /// Translation-memory units written (a TMX export; `None` for the
    /// glossary formats).
    pub tm_units: Option<u64>,
}

impl std::fmt::Display for ExportSummary {
    /// "12 concepts (30 terms)", or "100 TM units" for a TMX export.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.tm_units {
            Some(units) => write!(f, "{units} TM units"),
            None => write!(f, "{} concepts ({} terms)", self.concepts, self.terms),
        }
    }
}

/// Writes the concepts of `store` that pass `filter` to `out` in `format`,
/// one at a time ([`Format::Tmx`]: the translation-memory units of the
/// filter's language pair). TSV needs a language pair: `vi` → `en` unless the
/// filter names one. Give `out` a buffer (`BufWriter`); it is flushed at
/// the end.
///
/// TSV and CSV get a `collection` column when the export covers several
/// collections: the filter names more than one, or names none and the
/// store holds concepts outside `default` (found by reading concepts up to
/// the first such one; [`crate::Glossary::export`] knows it from memory).
pub fn export(store: &Store, format: Format, filter: &ExportFilter, out: &mut dyn Write) -> Result<ExportSummary> {
    let several = match (format, filter.collections.names()) {
        (Format::Tsv | Format::Csv, Some(names)) => names.len() > 1,
        (Format::Tsv | Format::Csv, None) => {
            let mut other = false;
            for c in store.iter_from(None) {
                if !c?.collection.is_default() {
                    other = true;
                    break;
                }
            }
            other
        }
        _ => false,
    };
    export_shaped(store, format, filter, several, out)
}

/// [`export`], told whether TSV and CSV carry the `collection` column.
pub(crate) fn export_shaped(
    store: &Store,
    format: Format,
    filter: &ExportFilter,
    with_collection: bool,
    out: &mut dyn Write,
) -> Result<ExportSummary> {
    if format == Format::Tmx {
        return export_tmx(store, filter, out);
    }
    let mut filter = filter.clone();
    if format == Format::Tsv {
        filter.src.get_or_insert_with(|| Lang::new("vi").expect("valid tag"));
        filter.tgt.get_or_insert_with(|| Lang::new("en").expect("valid tag"));
    }
    if format == Format::TbxMartif && !any_match(store, &filter)? {
        return Err(empty_martif());
    }
    let write_err = |e: io::Error| Error::Storage(format!("cannot write the export: {e}"));
    let mut summary = ExportSummary::default();
    let mut each = |write: &mut dyn FnMut(&Concept) -> io::Result<()>| -> Result<()> {
        for concept in store.iter_from(None) {
            if let Some(c) = filter.apply(concept?) {
                write(&c).map_err(write_err)?;
                summary.concepts += 1;
                summary.terms += c.terms.len() as u64;
            }
        }
        Ok(())
    };
    match format {
        Format::Tbx | Format::TbxMartif => {
            let dialect = if format == Format::Tbx { V3 } else { MARTIF };
            let first = filter.src.iter().chain(filter.tgt.iter()).cloned().collect();
            let mut w = TbxWriter::begin(out, dialect, &filter.describe(), first).map_err(write_err)?;
            each(&mut |c| w.concept(c))?;
            w.finish().map_err(write_err)?;
        }
        Format::Tsv => {
            let (src, tgt) = (filter.src.clone().expect("set above"), filter.tgt.clone().expect("set above"));
            let mut w = TsvWriter { out, src, tgt, with_collection };
            each(&mut |c| w.concept(c))?;
            w.out.flush().map_err(write_err)?;
        }
        Format::Csv => {
            let mut w = CsvWriter::begin(out, with_collection).map_err(write_err)?;
            each(&mut |c| w.concept(c))?;
            out_flush(w).map_err(write_err)?;
        }
        Format::Tmx => unreachable!("handled above"),
    }
    Ok(summary)
}

/// Whether any concept of `store` passes `filter`.
fn any_match(store: &Store, filter: &ExportFilter) -> Result<bool> {
    for concept in store.iter_from(None) {
        if filter.apply(concept?).is_some() {
            return Ok(true);
        }
    }
    Ok(false)
}

/// TBX 2008 requires at least one `termEntry` in `<body>`, so an export
/// that matches nothing cannot be a valid file.
fn empty_martif() -> Error {
    Error::invalid(
        "format",
        "no concept matches this export, and a TBX 2008 (tbx-martif) file needs at least one entry; \
         widen the filter or use format=tbx (TBX v3 allows an empty glossary)",
    )
}

fn out_flush(w: CsvWriter<'_>) -> io::Result<()> {
    w.flush()
}

/// Checks, before any byte is sent, that an export of `store` can be
/// written: a TBX 2008 export must match at least one concept (see
/// [`export`], which checks the same).
pub(crate) fn check_export(store: &Store, format: Format, filter: &ExportFilter) -> Result<()> {
    if format == Format::TbxMartif && !any_match(store, filter)? {
        return Err(empty_martif());
    }
    Ok(())
}

/// What an import writes to and reads from: the concept store and its
/// indexes (matching, then refreshing what a batch wrote), the translation
/// memory (TMX), and the job runner (the import's record, its progress and
/// the import lock).
pub(crate) struct Importer<'a> {
    pub(crate) store: &'a Store,
    pub(crate) indexes: &'a ConceptIndexes,
    pub(crate) tm: &'a TranslationMemory,
    pub(crate) jobs: &'a JobRunner,
}

impl Importer<'_> {
    /// Imports a file as a new foreground job (see
    /// [`crate::Glossary::import`]).
    pub(crate) fn import<F, R>(&self, format: Format, options: &ImportOptions, open: F) -> Result<ImportReport>
    where
        F: FnMut() -> io::Result<R>,
        R: BufRead,
    {
        let job = self.jobs.begin_job(JobKind::Import, false, Some(format), options.atomic)?;
        JobRunner::run_import_job(self, job, None, format, options, open, None)
    }

    /// The apply pass of a file that passed [`check_file`] with `total`
    /// entries: TMX into the translation memory, any other format into the
    /// glossary. Run by [`JobRunner::run_import_job`] under the import lock.
    pub(crate) fn apply<F, R>(
        &self,
        format: Format,
        options: &ImportOptions,
        open: F,
        job: &mut Job,
        total: u64,
    ) -> Result<ImportReport>
    where
        F: FnMut() -> io::Result<R>,
        R: BufRead,
    {
        if format == Format::Tmx {
            self.import_tmx(options, open, job, total)
        } else {
            self.import_glossary(format, options, open, job, total)
        }
    }

    /// The apply pass of a glossary file; `job` gets the counts with every
    /// batch.
    pub(crate) fn import_glossary<F, R>(
        &self,
        format: Format,
        options: &ImportOptions,
        mut open: F,
        job: &mut Job,
        total: u64,
    ) -> Result<ImportReport>
    where
        F: FnMut() -> io::Result<R>,
        R: BufRead,
    {
        let open_err = |e: io::Error| Error::file(FileProblem::Malformed, format!("cannot read the file: {e}"));
        let batch_size = if options.atomic { usize::MAX } else { BATCH_SIZE };

        let mut reader = EntryReader::open(format, open().map_err(open_err)?, options)?;
        let mut report = ImportReport::new(reader.format());
        let mut batch: Vec<ImportEntry> = Vec::with_capacity(BATCH_SIZE);
        let apply = |batch: &[ImportEntry], report: &mut ImportReport, job: &mut Job| -> Result<()> {
            self.apply_batch(batch, report, job, options).map_err(|e| partial(e, report))?;
            self.jobs.note_import_progress(job, report, total);
            Ok(())
        };
        loop {
            let next = reader.next_entry().map_err(|e| partial(e, &report))?;
            let Some(entry) = next else { break };
            report.entries += 1;
            for key in &entry.kept {
                *report.kept_as_notes.entry(key.clone()).or_insert(0) += 1;
            }
            for w in &entry.warnings {
                report.warn(format!("entry {} (line {}): {w}", entry.number, entry.line));
            }
            if !entry.problems.is_empty() {
                let reason = entry.problems.join("; ");
                report.skip(&entry, reason);
                continue;
            }
            batch.push(entry);
            if batch.len() == batch_size {
                apply(&batch, &mut report, job)?;
                batch.clear();
            }
        }
        if !batch.is_empty() {
            apply(&batch, &mut report, job)?;
        }
        Ok(report)
    }

    fn apply_batch(
        &self,
        entries: &[ImportEntry],
        report: &mut ImportReport,
        job: &Job,
        options: &ImportOptions,
    ) -> Result<()> {
        let actor = options.actor.as_str();
        let mut attempt = 0;
        loop {
            attempt += 1;
            let plan = self.plan(entries, options)?;
            // The job record with the counts this batch will reach, written
            // in the batch's transaction: after a crash it says exactly
            // what is stored.
            let mut record = job.clone();
            record.counts = JobCounts {
                entries: report.entries,
                created: report.created + plan.created,
                updated: report.updated + plan.updated,
                unchanged: report.unchanged + plan.unchanged,
                skipped: report.skipped_count + plan.skipped.len() as u64,
                batches: report.batches + 1,
            };
            let writes: Vec<(Option<u64>, &Concept)> =
                plan.writes.iter().map(|w| (w.expected_version, &w.concept)).collect();
            let _write = self.indexes.begin_write();
            match self.store.write_import_batch(&writes, &record, actor) {
                Ok(()) => {
                    for w in &plan.writes {
                        self.indexes.refresh(self.store, &w.concept.id)?;
                    }
                    report.created += plan.created;
                    report.updated += plan.updated;
                    report.unchanged += plan.unchanged;
                    report.batches += 1;
                    for (i, reason) in plan.skipped {
                        report.skip(&entries[i], reason);
                    }
                    for w in plan.warnings {
                        report.warn(w);
                    }
                    return Ok(());
                }
                // Someone changed a concept between planning and commit:
                // plan again against the new state.
                Err(Error::VersionConflict { .. } | Error::AlreadyExists { .. } | Error::NotFound { .. })
                    if attempt < 3 => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// Decides what each entry of a batch does, without writing.
    fn plan(&self, entries: &[ImportEntry], options: &ImportOptions) -> Result<Plan> {
        let now = Timestamp::now();
        let mut plan = Plan::default();
        // Concepts written earlier in this batch, by id (index into writes).
        let mut pending: HashMap<ConceptId, usize> = HashMap::new();
        for (i, entry) in entries.iter().enumerate() {
            let collection = match options.collection_of(entry.collection.as_deref()) {
                Ok(c) => c,
                Err(reason) => {
                    plan.skipped.push((i, reason));
                    continue;
                }
            };
            let collection = &collection;
            let at = format!("entry {} (line {})", entry.number, entry.line);
            let requested = match entry.id.as_deref().map(ConceptId::new) {
                Some(Ok(id)) => Some(id),
                Some(Err(_)) => {
                    let id = entry.id.as_deref().unwrap_or_default();
                    plan.warnings.push(format!("{at}: id {id:?} is not a valid concept id; a new id is used"));
                    None
                }
                None => None,
            };
            let lookup = |id: &ConceptId, plan: &Plan| -> Result<Option<Concept>> {
                match pending.get(id) {
                    Some(&w) => Ok(Some(plan.writes[w].concept.clone())),
                    None => self.store.get(id),
                }
            };
            let mut target: Option<Concept> = None;
            let mut id_for_new = None;
            if let Some(id) = &requested {
                match lookup(id, &plan)? {
                    Some(c) if c.collection != *collection => plan
                        .warnings
                        .push(format!("{at}: id {id} belongs to collection {}; a new id is used", c.collection)),
                    Some(c) if shares_a_term(&c, entry) => target = Some(c),
                    Some(_) => plan.warnings.push(format!(
                        "{at}: id {id} belongs to an unrelated concept (no term in common); not merged into it"
                    )),
                    None => id_for_new = Some(id.clone()),
                }
            }
            if target.is_none() {
                target = self.match_by_preferred(entry, &plan, &pending, collection)?;
            }
            let draft = merge(target.as_ref(), entry);
            let draft = match draft.validate() {
                Ok(d) => d,
                Err(e) => {
                    plan.skipped.push((i, e.to_string()));
                    continue;
                }
            };
            match target {
                Some(old) => {
                    if same_content(&old, &draft) {
                        plan.unchanged += 1;
                        continue;
                    }
                    let new = Concept {
                        id: old.id.clone(),
                        subject_field: draft.subject_field,
                        definition: draft.definition,
                        note: draft.note,
                        source: draft.source,
                        terms: draft.terms,
                        collection: old.collection.clone(),
                        created: old.created,
                        updated: now.max(old.updated),
                        version: old.version + 1,
                    };
                    let w = match pending.get(&old.id) {
                        Some(&w) => {
                            plan.writes[w].concept = Concept { version: old.version, ..new };
                            w
                        }
                        None => {
                            pending.insert(old.id.clone(), plan.writes.len());
                            plan.writes.push(PlannedWrite { expected_version: Some(old.version), concept: new });
                            plan.writes.len() - 1
                        }
                    };
                    plan.index_keys(w);
                    plan.updated += 1;
                }
                None => {
                    let id = match id_for_new {
                        Some(id) if !pending.contains_key(&id) => id,
                        _ => self.store.fresh_id()?,
                    };
                    if let Some(asked) = requested.as_ref().filter(|r| **r != id) {
                        plan.warnings.push(format!("{at}: created as {id} (id {asked} was not usable)"));
                    }
                    let created = entry.created.map_or(now, |c| c.min(now));
                    let concept = Concept {
                        id: id.clone(),
                        subject_field: draft.subject_field,
                        definition: draft.definition,
                        note: draft.note,
                        source: draft.source,
                        terms: draft.terms,
                        collection: collection.clone(),
                        created,
                        updated: now,
                        version: 1,
                    };
                    pending.insert(id, plan.writes.len());
                    plan.writes.push(PlannedWrite { expected_version: None, concept });
                    plan.index_keys(plan.writes.len() - 1);
                    plan.created += 1;
                }
            }
        }
        Ok(plan)
    }

    /// The concept matching the entry's preferred term in its first
    /// language (see the module documentation).
    fn match_by_preferred(
        &self,
        entry: &ImportEntry,
        plan: &Plan,
        pending: &HashMap<ConceptId, usize>,
        collection: &crate::model::Collection,
    ) -> Result<Option<Concept>> {
        let preferred = entry_preferred(entry);
        let Some((lang, key)) = preferred.first().cloned() else { return Ok(None) };
        let mut seen: HashSet<ConceptId> = HashSet::new();
        let mut candidates: Vec<Concept> = Vec::new();
        // Concepts planned in this batch first (the store does not have them yet).
        for &w in plan.keys.get(&key).map(Vec::as_slice).unwrap_or_default() {
            let c = &plan.writes[w].concept;
            if has_key(c, &lang, &key) && seen.insert(c.id.clone()) {
                candidates.push(c.clone());
            }
        }
        for r in self.indexes.find_by_key(KeyKind::Normalized, &key, Some(&lang))? {
            if seen.insert(r.concept.clone()) && !pending.contains_key(&r.concept) {
                if let Some(c) = self.store.get(&r.concept)? {
                    candidates.push(c);
                }
            }
        }
        Ok(candidates.into_iter().filter(|c| c.collection == *collection).find(|c| {
            preferred[1..].iter().all(|(l, k)| {
                let theirs: Vec<&Term> = c.terms.iter().filter(|t| &t.lang == l).collect();
                theirs.is_empty() || theirs.iter().any(|t| normalized_key(&t.text) == *k)
            })
        }))
    }
}

#[derive(Default)]
struct Plan {
    writes: Vec<PlannedWrite>,
    /// Normalised term keys of the planned concepts → their write index,
    /// so matching within a batch is not quadratic.
    keys: HashMap<String, Vec<usize>>,
    created: u64,
    updated: u64,
    unchanged: u64,
    skipped: Vec<(usize, String)>,
    warnings: Vec<String>,
}

impl Plan {
    fn index_keys(&mut self, w: usize) {
        for t in &self.writes[w].concept.terms {
            let slot = self.keys.entry(normalized_key(&t.text)).or_default();
            if !slot.contains(&w) {
                slot.push(w);
            }
        }
    }
}

/// A concept to store: new (`expected_version` None) or replacing the
/// stored version `expected_version`.
struct PlannedWrite {
    expected_version: Option<u64>,
    concept: Concept,
}

/// The readers behind one interface.
enum EntryReader<R: BufRead> {
    Tbx(Box<TbxReader<R>>),
    Tsv(TsvReader<R>),
    Csv(CsvReader<R>),
}

impl<R: BufRead> EntryReader<R> {
    fn open(format: Format, input: R, options: &ImportOptions) -> Result<EntryReader<R>> {
        Ok(match format {
            Format::Tbx | Format::TbxMartif => {
                EntryReader::Tbx(Box::new(TbxReader::new(input, Limits::for_size(options.max_bytes))?))
            }
            Format::Tsv => {
                EntryReader::Tsv(TsvReader::new(input, options.max_bytes, options.src.clone(), options.tgt.clone()))
            }
            Format::Csv => EntryReader::Csv(CsvReader::new(input, options.max_bytes)?),
            Format::Tmx => {
                return Err(Error::file(FileProblem::UnsupportedFormat, "TMX goes to the translation memory"))
            }
        })
    }

    fn format(&self) -> Format {
        match self {
            EntryReader::Tbx(r) => r.format(),
            EntryReader::Tsv(_) => Format::Tsv,
            EntryReader::Csv(_) => Format::Csv,
        }
    }

    fn next_entry(&mut self) -> Result<Option<ImportEntry>> {
        match self {
            EntryReader::Tbx(r) => r.next_entry(),
            EntryReader::Tsv(r) => r.next_entry(),
            EntryReader::Csv(r) => r.next_entry(),
        }
    }
}

/// Most entries an all-or-nothing import ([`ImportOptions::atomic`])
/// applies in its one transaction: the whole plan and every written
/// concept are held in memory until it commits.
pub const MAX_ATOMIC_ENTRIES: u64 = 20_000;

/// The check pass of an import: reads and parses the whole file, stores
/// nothing, and returns how many entries (TMX: units) it has. A file that
/// is unreadable, unsafe, wrongly encoded, over a limit or not of `format`
/// fails here, as does an all-or-nothing import over the cap.
pub(crate) fn check_file<F, R>(format: Format, options: &ImportOptions, open: &mut F) -> Result<u64>
where
    F: FnMut() -> io::Result<R>,
    R: BufRead,
{
    let open_err = |e: io::Error| Error::file(FileProblem::Malformed, format!("cannot read the file: {e}"));
    let input = open().map_err(open_err)?;
    let total = if format == Format::Tmx {
        crate::formats::tm_exchange::check_tmx(input, options)?
    } else {
        let mut check = EntryReader::open(format, input, options)?;
        let mut total = 0u64;
        while check.next_entry()?.is_some() {
            total += 1;
        }
        total
    };
    check_atomic(options, total)?;
    Ok(total)
}

/// Refuses an all-or-nothing import of more than [`MAX_ATOMIC_ENTRIES`].
pub(crate) fn check_atomic(options: &ImportOptions, entries: u64) -> Result<()> {
    if options.atomic && entries > MAX_ATOMIC_ENTRIES {
        return Err(Error::invalid(
            "atomic",
            format!(
                "an all-or-nothing import holds at most {MAX_ATOMIC_ENTRIES} entries in one transaction and this \
                 file has {entries}: import it without atomic (committed in batches of {BATCH_SIZE}) or split it"
            ),
        ));
    }
    Ok(())
}

/// Says how much was applied when a later part of the file fails.
fn partial(e: Error, report: &ImportReport) -> Error {
    if report.batches == 0 {
        return e;
    }
    let done = format!(
        "after {} concepts were created and {} updated in {} committed batches (the file changed while it was imported?)",
        report.created, report.updated, report.batches
    );
    match e {
        Error::InvalidFile { problem, message } => {
            Error::InvalidFile { problem, message: format!("{message} ({done})") }
        }
        Error::Storage(m) => Error::Storage(format!("{m} ({done})")),
        other => other,
    }
}

/// The entry's preferred term per language, languages in order of first
/// appearance: the term marked preferred, or else the first one.
fn entry_preferred(entry: &ImportEntry) -> Vec<(Lang, String)> {
    let mut out: Vec<(Lang, String, bool)> = Vec::new();
    for t in &entry.terms {
        let explicit = t.status == Some(TermStatus::Preferred);
        match out.iter_mut().find(|(l, _, _)| *l == t.term.lang) {
            Some(slot) if explicit && !slot.2 => *slot = (t.term.lang.clone(), normalized_key(&t.term.text), true),
            Some(_) => {}
            None => out.push((t.term.lang.clone(), normalized_key(&t.term.text), explicit)),
        }
    }
    out.into_iter().map(|(l, k, _)| (l, k)).collect()
}

fn has_key(c: &Concept, lang: &Lang, key: &str) -> bool {
    c.terms.iter().any(|t| t.lang.matches(lang) && normalized_key(&t.text) == key)
}

fn shares_a_term(c: &Concept, entry: &ImportEntry) -> bool {
    entry.terms.iter().any(|t| {
        let key = normalized_key(&t.term.text);
        c.terms.iter().any(|mine| mine.lang == t.term.lang && normalized_key(&mine.text) == key)
    })
}

/// The concept as it should be after applying `entry` to `existing`.
fn merge(existing: Option<&Concept>, entry: &ImportEntry) -> ConceptDraft {
    let pick = |file: &Option<String>, mine: Option<&Option<String>>| file.clone().or_else(|| mine.cloned().flatten());
    let mut draft = ConceptDraft {
        id: None,
        subject_field: pick(&entry.subject_field, existing.map(|c| &c.subject_field)),
        definition: pick(&entry.definition, existing.map(|c| &c.definition)),
        note: pick(&entry.note, existing.map(|c| &c.note)),
        source: pick(&entry.source, existing.map(|c| &c.source)),
        terms: existing.map(|c| c.terms.clone()).unwrap_or_default(),
        collection: None,
    };
    if let Some(comment) = &entry.comment {
        let current = existing.and_then(|c| comment_of(&c.definition, &c.note));
        if current.as_deref() != Some(comment.as_str()) {
            draft.note = Some(comment.clone());
        }
    }
    for it in &entry.terms {
        let key = normalized_key(&it.term.text);
        let lang = &it.term.lang;
        let pos = draft.terms.iter().position(|t| &t.lang == lang && normalized_key(&t.text) == key);
        let index = match pos {
            Some(p) => {
                let t = &mut draft.terms[p];
                let file = &it.term;
                if file.part_of_speech.is_some() {
                    t.part_of_speech = file.part_of_speech;
                }
                if file.term_type.is_some() {
                    t.term_type = file.term_type;
                }
                for (mine, theirs) in
                    [(&mut t.context, &file.context), (&mut t.source, &file.source), (&mut t.note, &file.note)]
                {
                    if theirs.is_some() {
                        mine.clone_from(theirs);
                    }
                }
                if let Some(s) = it.status {
                    t.status = s;
                }
                p
            }
            None => {
                let has_preferred = draft.terms.iter().any(|t| &t.lang == lang && t.status == TermStatus::Preferred);
                let status =
                    it.status.unwrap_or(if has_preferred { TermStatus::Admitted } else { TermStatus::Preferred });
                draft.terms.push(Term { status, ..it.term.clone() });
                draft.terms.len() - 1
            }
        };
        if it.status == Some(TermStatus::Preferred) {
            for (j, t) in draft.terms.iter_mut().enumerate() {
                if j != index && &t.lang == lang && t.status == TermStatus::Preferred {
                    t.status = TermStatus::Admitted;
                }
            }
        }
    }
    draft
}

fn same_content(c: &Concept, d: &ConceptDraft) -> bool {
    c.subject_field == d.subject_field
        && c.definition == d.definition
        && c.note == d.note
        && c.source == d.source
        && c.terms == d.terms
}

#[cfg(test)]
mod tests;
