//! `glossary-server pretranslate`: an XLIFF file filled from the TM of a
//! data directory (what `POST /api/v1/pretranslate` does), the report on
//! stderr.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use glossary::formats::xliff::{self, ClassCount, PretranslateOptions};
use glossary::Lang;

use crate::cli::{open_glossary, CliResult, DataArgs};
use crate::views::pretranslate::PretranslateReportJson;

/// Options of `pretranslate`.
#[derive(Debug, Args)]
pub struct PretranslateArgs {
    /// Data location.
    #[command(flatten)]
    pub data: DataArgs,
    /// Lowest TM match percentage that fills a target (30-100; 100: exact
    /// matches only). Matches down to 70 are recorded as candidates.
    #[arg(long, default_value_t = xliff::DEFAULT_FILL_THRESHOLD)]
    pub threshold: f64,
    /// Source language; default: the file's.
    #[arg(long)]
    pub src: Option<String>,
    /// Target language; default: the file's (required when it has none).
    #[arg(long)]
    pub tgt: Option<String>,
    /// Replace targets already there.
    #[arg(long)]
    pub overwrite: bool,
    /// Print the report as JSON (the `X-Pretranslate-Report` shape) on stderr.
    #[arg(long)]
    pub json: bool,
    /// Largest file accepted, in MiB.
    #[arg(long, default_value_t = xliff::DEFAULT_MAX_PRETRANSLATE_BYTES >> 20)]
    pub max_mb: u64,
    /// Only the TM units and glossary terms of these collections, in
    /// search order (one name or a comma list).
    #[arg(long)]
    pub collection: Option<String>,
    /// Where to write the filled file; stdout when omitted.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// The XLIFF 1.2 or 2.x file.
    pub file: PathBuf,
}

/// Runs `pretranslate`.
pub fn pretranslate(args: PretranslateArgs) -> CliResult {
    let options = PretranslateOptions {
        src: args.src.as_deref().map(Lang::new).transpose()?,
        tgt: args.tgt.as_deref().map(Lang::new).transpose()?,
        threshold: args.threshold,
        overwrite: args.overwrite,
        max_bytes: args.max_mb.max(1) << 20,
        collections: glossary::CollectionSelection::parse(args.collection.as_deref())?,
    };
    options.validate()?;
    let input = std::fs::read(&args.file).map_err(|e| format!("cannot read {}: {e}", args.file.display()))?;
    let glossary = open_glossary(&args.data)?;
    let done = glossary.pretranslate(&input, &options)?;
    match &args.output {
        Some(path) => {
            let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
            name.push(".partial");
            let partial = path.with_file_name(name);
            std::fs::write(&partial, &done.document).map_err(|e| format!("cannot write {}: {e}", partial.display()))?;
            std::fs::rename(&partial, path).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&done.document)?;
            out.flush()?;
        }
    }
    let report = PretranslateReportJson::from(&done.report);
    let mut err = std::io::stderr().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut err, &report)?;
        writeln!(err)?;
        return Ok(());
    }
    let r = &done.report;
    writeln!(
        err,
        "{}: XLIFF {}, {} segments (threshold {})",
        args.file.display(),
        r.version,
        report.segments,
        options.threshold
    )?;
    let rows: [(&str, ClassCount); 6] = [
        ("exact", r.exact),
        ("fuzzy", r.fuzzy),
        ("candidate only", r.candidate),
        ("no match", r.none),
        ("kept (translated)", r.kept),
        ("skipped", r.skipped),
    ];
    for (name, c) in rows {
        writeln!(err, "  {name:<18} {:>6} segments {:>8} words", c.segments, c.words)?;
    }
    if r.codes_not_placed > 0 {
        writeln!(err, "  {} matches not filled: their inline codes could not be placed", r.codes_not_placed)?;
    }
    writeln!(err, "  {} glossary notes", r.glossary_notes)?;
    Ok(())
}
