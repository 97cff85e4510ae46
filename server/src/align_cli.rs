//! The `glossary-server align` subcommand: aligns a document with its
//! translation and prints the links with their confidence.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use glossary::align::{self, AlignOptions, AnchorLexicon, Document};
use glossary::Lang;

use crate::cli::{open_glossary, CliResult, DataArgs};
use crate::routes::align::align_response;

/// Options of `align`.
#[derive(Debug, Args)]
pub struct AlignArgs {
    /// Language of the source document (BCP 47).
    #[arg(long, default_value = "vi")]
    pub src: String,
    /// Language of the translation.
    #[arg(long, default_value = "en")]
    pub tgt: String,
    /// The source document (plain text, UTF-8, at most 2 MiB).
    pub source_file: PathBuf,
    /// Its translation.
    pub target_file: PathBuf,
    /// Print the same JSON as `POST /api/v1/align`.
    #[arg(long)]
    pub json: bool,
    /// Take anchor term pairs from the glossary in this data directory
    /// (default: the bundled starter glossary). The directory must hold a
    /// glossary and must not be in use by a running server.
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
    /// Use no glossary term pairs as anchors.
    #[arg(long, conflicts_with = "data_dir")]
    pub no_glossary: bool,
    /// Leave out links below this confidence (0-1).
    #[arg(long, default_value_t = 0.0)]
    pub min_confidence: f64,
}

/// Runs `align`.
pub fn run(args: AlignArgs) -> CliResult {
    let src = Lang::new(&args.src)?;
    let tgt = Lang::new(&args.tgt)?;
    if !(0.0..=1.0).contains(&args.min_confidence) {
        return Err("--min-confidence must be between 0 and 1".into());
    }
    let read = |p: &PathBuf| std::fs::read_to_string(p).map_err(|e| format!("cannot read {}: {e}", p.display()));
    let (src_text, tgt_text) = (read(&args.source_file)?, read(&args.target_file)?);
    let lexicon = if args.no_glossary {
        AnchorLexicon::new()
    } else if let Some(dir) = &args.data_dir {
        if !dir.join("store").exists() {
            return Err(format!("{} holds no glossary (expected {}/store)", dir.display(), dir.display()).into());
        }
        let g = open_glossary(&DataArgs { data_dir: dir.clone(), no_seed: true, cache_mb: 64 })?;
        g.anchor_lexicon(&src, &tgt)?
    } else {
        align::starter_lexicon(&src, &tgt)?
    };
    let alignment = align::align(
        &Document::new(src.clone(), &src_text),
        &Document::new(tgt.clone(), &tgt_text),
        &lexicon,
        &AlignOptions::default(),
    )?;
    let response = align_response(&alignment, args.min_confidence);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.json {
        serde_json::to_writer_pretty(&mut out, &response)?;
        writeln!(out)?;
    } else {
        let range = |r: &std::ops::Range<usize>| match r.len() {
            0 => "-".to_string(),
            1 => r.start.to_string(),
            _ => format!("{}-{}", r.start, r.end - 1),
        };
        for l in alignment.links.iter().filter(|l| l.confidence >= args.min_confidence) {
            writeln!(
                out,
                "[{} {:.3}] {} {} ↔ {} {}",
                l.kind.as_str(),
                l.confidence,
                src,
                range(&l.src),
                tgt,
                range(&l.tgt)
            )?;
            if !l.src_text.is_empty() {
                writeln!(out, "  {src}: {}", l.src_text)?;
            }
            if !l.tgt_text.is_empty() {
                writeln!(out, "  {tgt}: {}", l.tgt_text)?;
            }
        }
        let s = &response.stats;
        let kinds: Vec<String> = s.by_kind.iter().map(|(k, n)| format!("{n} × {k}")).collect();
        writeln!(
            out,
            "{} links ({}) for {} + {} sentences; mean confidence {:.3}; {} left out below {}",
            s.links,
            kinds.join(", "),
            s.src_sentences,
            s.tgt_sentences,
            s.mean_confidence,
            s.below_min_confidence,
            args.min_confidence
        )?;
    }
    out.flush()?;
    Ok(())
}
