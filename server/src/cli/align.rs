//! The `glossary-server align` and `equivalents` subcommands: align a
//! document with its translation and print the links with their
//! confidence; propose equivalents of a term from aligned pairs.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use glossary::align::{self, AlignOptions, AnchorLexicon, Document};
use glossary::Lang;

use crate::cli::{open_glossary, CliResult, DataArgs};
use crate::views::align::align_response;
use crate::views::equivalents::{equivalents_response, SegmentPairJson};

/// Where known term pairs (anchors) come from, for `align` and
/// `equivalents`.
#[derive(Debug, Args)]
pub struct AnchorArgs {
    /// Take anchor term pairs from the glossary in this data directory
    /// (default: the bundled starter glossary). The directory must hold a
    /// glossary and must not be in use by a running server.
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
    /// Take them from this PostgreSQL store instead (`postgres://` URL).
    #[arg(long, conflicts_with = "data_dir")]
    pub store: Option<String>,
    /// Use no glossary term pairs as anchors.
    #[arg(long, conflicts_with_all = ["data_dir", "store"])]
    pub no_glossary: bool,
}

impl AnchorArgs {
    /// The store options naming the glossary asked for, if any.
    fn data(&self) -> Option<DataArgs> {
        if self.data_dir.is_none() && self.store.is_none() {
            return None;
        }
        Some(DataArgs {
            data_dir: self.data_dir.clone(),
            store: self.store.clone(),
            no_seed: true,
            create: false,
            cache_mb: 64,
        })
    }
}

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
    /// Where anchor term pairs come from.
    #[command(flatten)]
    pub anchors: AnchorArgs,
    /// Leave out links below this confidence (0-1).
    #[arg(long, default_value_t = 0.0)]
    pub min_confidence: f64,
}

/// Options of `equivalents`.
#[derive(Debug, Args)]
pub struct EquivalentsArgs {
    /// The term lacking an equivalent.
    #[arg(long)]
    pub term: String,
    /// Language of the term and of the source side.
    #[arg(long, default_value = "vi")]
    pub src: String,
    /// Language of the target side.
    #[arg(long, default_value = "en")]
    pub tgt: String,
    /// Aligned pairs, one per line: source, a tab, target. Without it, the
    /// two FILES are aligned first and their links above
    /// --min-confidence are used.
    #[arg(long, conflicts_with = "files")]
    pub pairs: Option<PathBuf>,
    /// A source document and its translation (when --pairs is not given).
    #[arg(num_args = 2, value_names = ["SOURCE_FILE", "TARGET_FILE"])]
    pub files: Vec<PathBuf>,
    /// Links below this confidence are not used as pairs.
    #[arg(long, default_value_t = glossary::align::equivalents::DEFAULT_MIN_LINK_CONFIDENCE)]
    pub min_confidence: f64,
    /// Most proposals (1-100).
    #[arg(long, default_value_t = glossary::align::equivalents::DEFAULT_PROPOSALS)]
    pub limit: usize,
    /// Print the same JSON as `POST /api/v1/equivalents`.
    #[arg(long)]
    pub json: bool,
    /// Where anchor term pairs come from.
    #[command(flatten)]
    pub anchors: AnchorArgs,
    /// Read the pairs from the translation memory in --data-dir (units
    /// containing the term, plus up to 5,000 others as background).
    #[arg(long, conflicts_with_all = ["pairs", "files"])]
    pub from_tm: bool,
}

/// The anchor lexicon the flags ask for.
fn lexicon(anchors: &AnchorArgs, src: &Lang, tgt: &Lang) -> Result<AnchorLexicon, Box<dyn std::error::Error>> {
    if anchors.no_glossary {
        return Ok(AnchorLexicon::new());
    }
    match anchors.data() {
        Some(data) => {
            if let Some(dir) = anchors.data_dir.as_ref().filter(|d| !d.join("store").exists()) {
                return Err(format!("{} holds no glossary (expected {}/store)", dir.display(), dir.display()).into());
            }
            let g = open_glossary(&data)?;
            let lexicon = g.anchor_lexicon(src, tgt)?;
            Ok(AnchorLexicon::clone(&lexicon))
        }
        None => Ok(align::starter_lexicon(src, tgt)?),
    }
}

fn read(p: &PathBuf) -> Result<String, String> {
    std::fs::read_to_string(p).map_err(|e| format!("cannot read {}: {e}", p.display()))
}

/// Runs `align`.
pub fn run(args: AlignArgs) -> CliResult {
    let src = Lang::new(&args.src)?;
    let tgt = Lang::new(&args.tgt)?;
    if !(0.0..=1.0).contains(&args.min_confidence) {
        return Err("--min-confidence must be between 0 and 1".into());
    }
    let (src_text, tgt_text) = (read(&args.source_file)?, read(&args.target_file)?);
    let lexicon = lexicon(&args.anchors, &src, &tgt)?;
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

/// Runs `equivalents`.
pub fn equivalents(args: EquivalentsArgs) -> CliResult {
    let src = Lang::new(&args.src)?;
    let tgt = Lang::new(&args.tgt)?;
    if args.from_tm {
        let data = args.anchors.data().ok_or("--from-tm needs the store: --data-dir DIR or --store URL")?;
        let g = crate::cli::open_glossary(&data)?;
        let lexicon = g.anchor_lexicon(&src, &tgt)?;
        let pairs: Vec<SegmentPairJson> = g
            .equivalence_pairs_from_tm(&args.term, &src, &tgt)?
            .into_iter()
            .map(|p| SegmentPairJson { source: p.source, target: p.target })
            .collect();
        return print_equivalents(&args, &pairs, &lexicon);
    }
    let lexicon = lexicon(&args.anchors, &src, &tgt)?;
    let pairs: Vec<SegmentPairJson> = match (&args.pairs, args.files.as_slice()) {
        (Some(file), _) => {
            let mut pairs = Vec::new();
            for (n, line) in read(file)?.lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                let (s, t) = line
                    .split_once('\t')
                    .ok_or_else(|| format!("{} line {}: expected source<TAB>target", file.display(), n + 1))?;
                pairs.push(SegmentPairJson { source: s.to_string(), target: t.to_string() });
            }
            pairs
        }
        (None, [source, target]) => {
            let (s, t) = (read(source)?, read(target)?);
            let alignment =
                align::align(&Document::new(src, &s), &Document::new(tgt, &t), &lexicon, &AlignOptions::default())?;
            alignment
                .pairs(args.min_confidence)
                .map(|l| SegmentPairJson { source: l.src_text.clone(), target: l.tgt_text.clone() })
                .collect()
        }
        _ => return Err("give --pairs FILE, a source document and its translation, or --from-tm".into()),
    };
    print_equivalents(&args, &pairs, &lexicon)
}

fn print_equivalents(args: &EquivalentsArgs, pairs: &[SegmentPairJson], lexicon: &AnchorLexicon) -> CliResult {
    glossary::align::equivalents::check_input(
        &args.term,
        pairs.iter().map(|p| (p.source.as_str(), p.target.as_str())),
    )?;
    let options = glossary::align::equivalents::EquivalentsOptions { limit: args.limit, ..Default::default() };
    let report = glossary::align::equivalents::propose_equivalents(
        &args.term,
        pairs.iter().map(|p| (p.source.as_str(), p.target.as_str())),
        lexicon,
        &options,
    )?;
    let response = equivalents_response(args.term.clone(), pairs, report);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.json {
        serde_json::to_writer_pretty(&mut out, &response)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "{}: in {} of {} pairs; {} known equivalents removed",
            response.term, response.term_pairs, response.pairs, response.anchors_removed
        )?;
        for p in &response.proposals {
            writeln!(
                out,
                "  {:<32} dice {:.3}  G² {:>7.2}  {} of {} pairs",
                p.text, p.dice, p.log_likelihood, p.joint, p.candidate_pairs
            )?;
            if let Some(first) = p.support.first() {
                writeln!(out, "      e.g. {}", first.target)?;
            }
        }
    }
    out.flush()?;
    Ok(())
}
