//! TMX 1.4b in and out of the translation memory, over the format layer
//! in [`super::tmx`].
//!
//! # Mapping
//! | TM unit            | TMX                                                  |
//! |--------------------|------------------------------------------------------|
//! | id                 | `tu/@tuid`                                           |
//! | created / updated  | `tu/@creationdate` / `tu/@changedate`                |
//! | created_by         | `tu/@creationid`                                     |
//! | usage_count        | `tu/@usagecount`                                     |
//! | provenance         | `<prop type="x-document">`, `x-title`, `x-url`, `x-date` |
//! | collection         | `<prop type="x-collection">` (only outside `default`) |
//! | note               | `<note>`                                             |
//! | source / target    | `<tuv xml:lang=src>` / `<tuv xml:lang=tgt>` with `<seg>` |
//!
//! On import the source variant is the one in the unit's `srclang`, else the
//! header's (with `*all*`, the first variant); every other variant becomes a
//! unit with that source. The TM stores plain text, so inline codes are
//! dropped ([`super::tmx::Segment::plain_text`]) and counted in the report;
//! other `<prop>`s are kept in the note. A valid `x-collection` puts the
//! unit in that collection when the import names none (an invalid one is
//! kept in the note). Like glossary imports, the whole
//! file is checked before anything is stored, then units are added in
//! batches (one transaction and flush each); a pair already in the TM is
//! merged (its usage count goes up), reported as `updated`.

use std::io::{self, BufRead, Write};

use crate::error::{Error, FileProblem, Result};
use crate::formats::service::Importer;
use crate::formats::tmx::{tmx_date, Segment, TmxHeader, TmxNote, TmxProp, TmxReader, TmxUnit, TmxVariant, TmxWriter};
use crate::formats::{append_note, ExportFilter, ExportSummary, Format, ImportEntry, ImportOptions, ImportReport};
use crate::jobs::Job;
use crate::model::Lang;
use crate::store::tm::TmStore;
use crate::store::Store;
use crate::tm::{AddOutcome, Provenance, TmUnit, TmUnitDraft};

const BATCH: usize = 500;

/// Writes the translation memory (the units of the filter's language pair
/// changed since `updated_since`) as TMX.
pub(crate) fn export_tmx(store: &Store, filter: &ExportFilter, out: &mut dyn Write) -> Result<ExportSummary> {
    filter.check_for(Format::Tmx)?;
    let write_err = |e: io::Error| Error::Storage(format!("cannot write the export: {e}"));
    let tm = TmStore::open(store);
    let src = filter.src.clone();
    let mut header = TmxHeader::new(&src.clone().unwrap_or_else(|| Lang::new("vi").expect("valid tag")));
    if src.is_none() {
        header.src_lang = "*all*".into();
    }
    header.creation_date = None;
    let mut w = TmxWriter::new(out, &header).map_err(write_err)?;
    let mut units = 0u64;
    for unit in tm.iter_from(None) {
        let u = unit?;
        let keep = filter.src.as_ref().is_none_or(|l| u.src_lang.matches(l))
            && filter.tgt.as_ref().is_none_or(|l| u.tgt_lang.matches(l))
            && filter.updated_since.is_none_or(|t| u.updated >= t)
            && filter.collections.contains(&u.collection);
        if keep {
            w.write_unit(&to_tmx(&u)).map_err(write_err)?;
            units += 1;
        }
    }
    w.finish().map_err(write_err)?;
    Ok(ExportSummary { tm_units: Some(units), ..ExportSummary::default() })
}

/// The `<tu>` property naming a unit's collection (written for units outside
/// `default`).
const COLLECTION_PROP: &str = "x-collection";

fn to_tmx(u: &TmUnit) -> TmxUnit {
    let p = &u.provenance;
    let collection = (!u.collection.is_default()).then(|| u.collection.to_string());
    let props = [
        ("x-document", &p.document),
        ("x-title", &p.title),
        ("x-url", &p.url),
        ("x-date", &p.date),
        (COLLECTION_PROP, &collection),
    ]
    .into_iter()
    .filter_map(|(kind, v)| v.as_ref().map(|v| TmxProp { kind: kind.into(), lang: None, value: v.clone() }))
    .collect();
    let variant = |lang: &Lang, text: &str| TmxVariant {
        lang: lang.clone(),
        attrs: vec![],
        props: vec![],
        notes: vec![],
        segment: Segment::from_text(text),
    };
    TmxUnit {
        tuid: Some(u.id.to_string()),
        creation_date: Some(tmx_date(u.created)),
        creation_id: u.created_by.clone(),
        change_date: Some(tmx_date(u.updated)),
        other_attrs: vec![("usagecount".into(), u.usage_count.to_string())],
        props,
        notes: u.note.iter().map(|n| TmxNote { lang: None, text: n.clone() }).collect(),
        variants: vec![variant(&u.src_lang, &u.source), variant(&u.tgt_lang, &u.target)],
        ..TmxUnit::default()
    }
}

/// The check pass of a TMX import: unusable units are only skipped later;
/// anything else (the XML itself) refuses the file before anything is
/// stored. Returns the number of units.
pub(crate) fn check_tmx<R: BufRead>(input: R, options: &ImportOptions) -> Result<u64> {
    let mut total = 0u64;
    for unit in TmxReader::new(input, options.max_bytes)? {
        match unit {
            Err(Error::InvalidFile { problem: FileProblem::WrongFormat, .. }) | Ok(_) => total += 1,
            Err(e) => return Err(e),
        }
    }
    Ok(total)
}

impl Importer<'_> {
    /// Imports a TMX file into the translation memory (see the module
    /// documentation); `open` is called twice, like [`crate::Glossary::import`].
    /// The file passed [`check_tmx`] with `total` units. `job` gets the
    /// counts after every batch; with [`ImportOptions::atomic`] all units
    /// go in one transaction.
    pub(crate) fn import_tmx<F, R>(
        &self,
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
        let batch_size = if options.atomic { usize::MAX } else { BATCH };
        let reader = TmxReader::new(open().map_err(open_err)?, options.max_bytes)?;
        let header_src = reader.header().src_lang.clone();
        let mut report = ImportReport::new(Format::Tmx);
        let mut batch: Vec<TmUnitDraft> = Vec::with_capacity(BATCH);
        let mut with_codes = 0u64;
        for unit in reader {
            report.entries += 1;
            let here = ImportEntry { number: report.entries, ..Default::default() };
            let unit = match unit {
                Ok(u) => u,
                Err(e @ Error::InvalidFile { problem: FileProblem::WrongFormat, .. }) => {
                    report.skip(&here, e.to_string());
                    continue;
                }
                Err(e) => return Err(e),
            };
            let here = ImportEntry { id: unit.tuid.clone(), ..here };
            if unit.variants.iter().any(|v| v.segment.has_codes()) {
                with_codes += 1;
            }
            match drafts_of(&unit, &header_src, &mut report) {
                Ok(drafts) => {
                    let named = unit
                        .props
                        .iter()
                        .find(|p| p.kind == COLLECTION_PROP && crate::model::Collection::new(p.value.trim()).is_ok())
                        .map(|p| p.value.trim());
                    let collection = match options.collection_of(named) {
                        Ok(c) => c,
                        Err(reason) => {
                            report.skip(&here, reason);
                            continue;
                        }
                    };
                    for mut d in drafts {
                        d.collection = Some(collection.clone());
                        match d.clone().validate(None) {
                            Ok(_) => batch.push(d),
                            Err(e) => report.skip(&here, e.to_string()),
                        }
                    }
                }
                Err(reason) => report.skip(&here, reason),
            }
            if batch.len() >= batch_size {
                self.add_batch(&mut batch, &mut report)?;
                self.record_tmx_batch(job, &report, total)?;
            }
        }
        if !batch.is_empty() {
            self.add_batch(&mut batch, &mut report)?;
            self.record_tmx_batch(job, &report, total)?;
        }
        if with_codes > 0 {
            report.warn(format!(
                "{with_codes} units had inline codes (bpt/ept/ph/...); the translation memory keeps their plain text"
            ));
        }
        Ok(report)
    }

    /// Saves the job's counts after a committed batch (a crash between the
    /// two leaves the record one batch behind).
    fn record_tmx_batch(&self, job: &mut Job, report: &ImportReport, total: u64) -> Result<()> {
        self.jobs.note_import_progress(job, report, total);
        self.jobs.save_job(job)
    }

    fn add_batch(&self, batch: &mut Vec<TmUnitDraft>, report: &mut ImportReport) -> Result<()> {
        for (_, outcome) in self.tm.add(std::mem::take(batch))? {
            match outcome {
                AddOutcome::Created => report.created += 1,
                AddOutcome::Merged => report.updated += 1,
            }
        }
        report.batches += 1;
        Ok(())
    }
}

/// The TM drafts of one TMX unit: source variant × every other variant.
fn drafts_of(
    unit: &TmxUnit,
    header_src: &str,
    report: &mut ImportReport,
) -> std::result::Result<Vec<TmUnitDraft>, String> {
    let wanted = unit.src_lang.as_deref().unwrap_or(header_src);
    let source = if wanted == "*all*" {
        unit.variants.first()
    } else {
        let lang = Lang::new(wanted).map_err(|e| format!("srclang: {e}"))?;
        unit.variants.iter().find(|v| v.lang.matches(&lang))
    }
    .ok_or_else(|| format!("no variant in the source language {wanted}"))?;
    let mut provenance = Provenance::default();
    let mut note = None;
    for n in &unit.notes {
        append_note(&mut note, &n.text);
    }
    for p in &unit.props {
        let slot = match p.kind.as_str() {
            "x-document" => &mut provenance.document,
            "x-title" => &mut provenance.title,
            "x-url" => &mut provenance.url,
            "x-date" => &mut provenance.date,
            // Read by the importer (it decides whether the file's collection applies).
            COLLECTION_PROP if crate::model::Collection::new(p.value.trim()).is_ok() => continue,
            other => {
                append_note(&mut note, &format!("{other}: {}", p.value));
                *report.kept_as_notes.entry(format!("prop {other}")).or_insert(0) += 1;
                continue;
            }
        };
        *slot = Some(p.value.clone());
    }
    let targets: Vec<&TmxVariant> = unit.variants.iter().filter(|v| !std::ptr::eq(*v, source)).collect();
    if targets.is_empty() {
        return Err("the unit has only one language".to_string());
    }
    Ok(targets
        .into_iter()
        .map(|t| TmUnitDraft {
            src_lang: source.lang.clone(),
            tgt_lang: t.lang.clone(),
            source: source.segment.plain_text(),
            target: t.segment.plain_text(),
            provenance: provenance.clone(),
            note: note.clone(),
            created_by: unit.creation_id.clone(),
            collection: None,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use super::*;
    use crate::Glossary;
    use crate::OpenOptions;

    fn open() -> (tempfile::TempDir, Glossary) {
        let dir = tempfile::tempdir().unwrap();
        let g = Glossary::open(dir.path(), &OpenOptions::default()).unwrap();
        (dir, g)
    }

    fn export(g: &Glossary, filter: &ExportFilter) -> String {
        let mut out = Vec::new();
        g.export(Format::Tmx, filter, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// Without ids and dates, which a new store assigns itself.
    fn comparable(doc: &str) -> String {
        doc.lines()
            .map(|l| match l.trim_start().starts_with("<tu ") {
                true => "<tu>".to_string(),
                false => l.to_string(),
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn import(g: &Glossary, doc: &str) -> Result<ImportReport> {
        g.import(Format::Tmx, &ImportOptions::default(), || Ok(Cursor::new(doc.as_bytes().to_vec())))
    }

    #[test]
    fn tm_round_trip_through_tmx() {
        let (_d1, g1) = open();
        let (vi, en) = (Lang::new("vi").unwrap(), Lang::new("en").unwrap());
        let draft = |s: &str, t: &str, doc: Option<&str>| TmUnitDraft {
            src_lang: vi.clone(),
            tgt_lang: en.clone(),
            source: s.into(),
            target: t.into(),
            provenance: Provenance {
                document: doc.map(str::to_string),
                url: doc.map(|_| "https://example.org/a?b=1&c=2".into()),
                ..Default::default()
            },
            note: doc.map(|_| "checked by the desk <senior>".into()),
            created_by: Some("terminologist".into()),
            collection: None,
        };
        g1.add_tm_units(vec![
            draft(
                "Hai bên nhất trí tăng cường \"hợp tác\" & đối thoại.",
                "Both sides agreed to step up \"cooperation\" & dialogue.",
                Some("joint-statement-2026"),
            ),
            draft("Kim ngạch thương mại đạt 2,5 tỷ USD.", "Trade reached 2.5 billion USD.", None),
        ])
        .unwrap();
        let first = export(&g1, &ExportFilter::default());
        assert!(first.contains("srclang=\"*all*\"") && first.contains("usagecount=\"1\""), "{first}");
        assert!(first.contains("<prop type=\"x-url\">https://example.org/a?b=1&amp;c=2</prop>"), "{first}");
        let (_d2, g2) = open();
        let report = import(&g2, &first).unwrap();
        assert_eq!((report.entries, report.created, report.skipped_count), (2, 2, 0), "{report:?}");
        assert_eq!(comparable(&export(&g2, &ExportFilter::default())), comparable(&first));
        let again = import(&g2, &first).unwrap();
        assert_eq!((again.created, again.updated), (0, 2), "identical pairs merge: {again:?}");
        assert_eq!(g2.tm_count().unwrap(), 2);

        let pair = ExportFilter { src: Some(vi), tgt: Some(Lang::new("fr").unwrap()), ..Default::default() };
        assert!(!export(&g1, &pair).contains("<tu "), "no vi→fr units");
        let bad = ExportFilter { status: Some(crate::TermStatus::Preferred), ..Default::default() };
        assert!(g1.export(Format::Tmx, &bad, &mut Vec::new()).is_err());
    }

    #[test]
    fn the_sample_tmx_imports_with_codes_dropped_and_reported() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/standards/samples/tmx14b-vi-en.tmx");
        let Ok(doc) = std::fs::read_to_string(&path) else {
            assert_ne!(std::env::var("CI").as_deref(), Ok("true"), "CI: {} is missing", path.display());
            eprintln!("skipped: {} not found", path.display());
            return;
        };
        let (_d, g) = open();
        let report = import(&g, &doc).unwrap();
        assert_eq!((report.entries, report.created), (2, 2), "{report:?}");
        assert!(report.warnings.iter().any(|w| w.contains("1 units had inline codes")), "{report:?}");
        assert_eq!(report.kept_as_notes.get("prop x-domain"), Some(&1));
        let units: Vec<TmUnit> = g.tm.iter_from(None).collect::<Result<_>>().unwrap();
        assert_eq!(units[1].target, "Press Save to continue.");
        assert_eq!(units[0].note.as_deref(), Some("x-domain: diplomacy"));
        assert_eq!(units[0].created_by.as_deref(), Some("alice"));

        let one_language = "<tmx version=\"1.4\"><header creationtool=\"t\" creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"t\" adminlang=\"en\" srclang=\"vi\" datatype=\"plaintext\"/><body><tu><tuv xml:lang=\"vi\"><seg>chỉ một</seg></tuv></tu><tu><tuv><seg>x</seg></tuv></tu></body></tmx>";
        let report = import(&g, one_language).unwrap();
        assert_eq!((report.created, report.skipped_count), (0, 2), "{report:?}");
        let laughs = "<!DOCTYPE tmx [<!ENTITY a \"b\">]><tmx/>";
        assert!(matches!(import(&g, laughs), Err(Error::InvalidFile { problem: FileProblem::Unsafe, .. })));
        assert_eq!(g.tm_count().unwrap(), 2, "nothing stored from refused files");
    }
}
