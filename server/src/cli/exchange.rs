//! The `export` and `import` subcommands: glossary files from and into a
//! data directory, without a running server.
//!
//! `export` opens only the store (not the lookup index), iterates it and
//! writes each concept at once, so its memory does not grow with the
//! glossary; it writes to `FILE.partial` and renames it when complete, so a
//! failed export never leaves a truncated FILE behind.

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use clap::Args;
use glossary::formats::status_name;
use glossary::{ExportFilter, Format, ImportOptions, ImportReport, Lang, TermStatus, Timestamp};

use crate::cli::{open_glossary, CliResult, DataArgs, CLI_ACTOR};
use crate::views::exchange::ImportReportJson;

/// Options of `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Data location.
    #[command(flatten)]
    pub data: DataArgs,
    /// tbx (TBX-Basic v3), tbx-martif (TBX 2008, for OmegaT), tsv (OmegaT
    /// glossary), csv, or tmx (the translation memory). Default: from FILE's
    /// extension (.tbx, .tsv/.txt, .csv, .tmx), else tbx.
    #[arg(long)]
    pub format: Option<String>,
    /// Only concepts with a term in this language (BCP 47); with --tgt,
    /// only the two languages' terms. TSV default: vi.
    #[arg(long, visible_alias = "lang")]
    pub src: Option<String>,
    /// Only concepts with a term in this language. TSV default: en.
    #[arg(long)]
    pub tgt: Option<String>,
    /// Only concepts with this subject field (case-insensitive).
    #[arg(long)]
    pub subject_field: Option<String>,
    /// Only terms with this status: preferred, admitted, deprecated, superseded.
    #[arg(long)]
    pub status: Option<String>,
    /// Also write deprecated and superseded terms, marked with their status
    /// (by default only preferred and admitted terms are written).
    #[arg(long)]
    pub include_deprecated: bool,
    /// Only concepts changed at or after this time (RFC 3339).
    #[arg(long)]
    pub updated_since: Option<String>,
    /// Only concepts (TMX: units) of these collections: one name or a comma list.
    #[arg(long)]
    pub collection: Option<String>,
    /// Where to write; stdout when omitted.
    pub file: Option<PathBuf>,
}

/// Options of `import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Data location.
    #[command(flatten)]
    pub data: DataArgs,
    /// tbx or tbx-martif (either TBX dialect is read), tsv or csv into the
    /// glossary; tmx into the translation memory. Default: from FILE's
    /// extension.
    #[arg(long)]
    pub format: Option<String>,
    /// Language of a TSV file's first column.
    #[arg(long, default_value = "vi")]
    pub src: String,
    /// Language of a TSV file's second column.
    #[arg(long, default_value = "en")]
    pub tgt: String,
    /// Print the report as JSON (the shape of `POST /api/v1/import`).
    #[arg(long)]
    pub json: bool,
    /// Largest file accepted, in MiB (a guard against runaway input; raise
    /// it for very large termbases).
    #[arg(long, default_value_t = 1024)]
    pub max_mb: u64,
    /// All or nothing: apply the whole file in one transaction (at most
    /// 20,000 entries), so that a failure or a kill leaves none of it
    /// stored. Default: batches of 500, each committed and flushed.
    #[arg(long)]
    pub atomic: bool,
    /// The collection to import into (created concepts and TM units go
    /// there; only its concepts are matched and updated). Without it, each
    /// entry goes into the collection the file names (TBX customerSubset,
    /// TMX x-collection, the TSV/CSV collection column), else `default`.
    #[arg(long)]
    pub collection: Option<String>,
    /// The file to import.
    pub file: PathBuf,
}

/// Runs `export`.
pub fn export(args: ExportArgs) -> CliResult {
    let format = match (&args.format, &args.file) {
        (Some(name), _) => Format::from_name(name)?,
        (None, Some(path)) => Format::guess(path)?,
        (None, None) => Format::Tbx,
    };
    let filter = ExportFilter {
        src: args.src.as_deref().map(Lang::new).transpose()?,
        tgt: args.tgt.as_deref().map(Lang::new).transpose()?,
        subject_field: args.subject_field.clone(),
        status: args.status.as_deref().map(parse_status).transpose()?,
        include_deprecated: args.include_deprecated,
        updated_since: args.updated_since.as_deref().map(Timestamp::parse_rfc3339).transpose()?,
        collections: glossary::CollectionSelection::parse(args.collection.as_deref())?,
    };
    let store = crate::cli::open_store(&args.data)?;
    let summary = match &args.file {
        Some(path) => {
            let partial = partial_path(path);
            let result = (|| -> CliResult {
                let mut out = BufWriter::with_capacity(
                    256 * 1024,
                    File::create(&partial).map_err(|e| format!("cannot create {}: {e}", partial.display()))?,
                );
                let summary = glossary::formats::export(&store, format, &filter, &mut out)?;
                out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
                std::fs::rename(&partial, path).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
                eprintln!("exported {summary} as {format} to {}", path.display());
                Ok(())
            })();
            if result.is_err() {
                let _ = std::fs::remove_file(&partial);
            }
            result
        }
        None => {
            let stdout = std::io::stdout();
            let mut out = BufWriter::with_capacity(256 * 1024, stdout.lock());
            let summary = glossary::formats::export(&store, format, &filter, &mut out)?;
            out.flush()?;
            log::info!("exported {summary} as {format}");
            Ok(())
        }
    };
    summary
}

/// Runs `import`.
pub fn import(args: ImportArgs) -> CliResult {
    let format = match &args.format {
        Some(name) => Format::from_name(name)?,
        None => Format::guess(&args.file)?,
    };
    let options = ImportOptions {
        src: Lang::new(&args.src)?,
        tgt: Lang::new(&args.tgt)?,
        max_bytes: args.max_mb.max(1) << 20,
        atomic: args.atomic,
        actor: CLI_ACTOR.to_string(),
        collection: args.collection.as_deref().map(glossary::Collection::new).transpose()?,
        allowed: glossary::CollectionSelection::all(),
    };
    File::open(&args.file).map_err(|e| format!("cannot open {}: {e}", args.file.display()))?;
    let glossary = open_glossary(&args.data)?;
    let path = args.file.clone();
    let report = crate::cli::progress::with_import_progress(&glossary, || {
        glossary.import(format, &options, || File::open(&path).map(BufReader::new))
    })?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &ImportReportJson::from(&report))?;
        writeln!(out)?;
    } else {
        print_report(&mut out, &args.file, &report)?;
    }
    Ok(())
}

fn print_report(out: &mut dyn Write, file: &Path, r: &ImportReport) -> std::io::Result<()> {
    writeln!(
        out,
        "imported {} ({}): {} entries: {} created, {} updated, {} unchanged, {} skipped ({} batches){}",
        file.display(),
        r.format,
        r.entries,
        r.created,
        r.updated,
        r.unchanged,
        r.skipped_count,
        r.batches,
        r.job.map(|id| format!(", job {id}")).unwrap_or_default()
    )?;
    for s in &r.skipped {
        let id = s.id.as_deref().map(|i| format!(", id {i}")).unwrap_or_default();
        writeln!(out, "  skipped entry {} (line {}{id}): {}", s.entry, s.line, s.reason)?;
    }
    if r.skipped_count > r.skipped.len() as u64 {
        writeln!(out, "  ... and {} more skipped", r.skipped_count - r.skipped.len() as u64)?;
    }
    for (category, n) in &r.kept_as_notes {
        writeln!(out, "  kept as notes: {category} ({n}×)")?;
    }
    for w in &r.warnings {
        writeln!(out, "  warning: {w}")?;
    }
    Ok(())
}

fn parse_status(s: &str) -> Result<TermStatus, String> {
    [TermStatus::Preferred, TermStatus::Admitted, TermStatus::Deprecated, TermStatus::Superseded]
        .into_iter()
        .find(|t| status_name(*t) == s.trim().to_ascii_lowercase())
        .ok_or_else(|| format!("unknown status {s:?}: use preferred, admitted, deprecated or superseded"))
}

fn partial_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".partial");
    path.with_file_name(name)
}
