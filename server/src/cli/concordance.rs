//! `glossary-server concordance`: the TM units containing a phrase.

use std::io::Write;

use clap::{Args, ValueEnum};
use glossary::tm::concordance::{ConcordanceQuery, Side, DEFAULT_CONCORDANCE_LIMIT};
use glossary::Lang;

use crate::cli::{open_glossary, CliResult, DataArgs};
use crate::views::concordance::ConcordanceResponse;

/// Side searched.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum SideArg {
    /// Source segments.
    Source,
    /// Target segments.
    Target,
}

/// Options of `concordance`.
#[derive(Debug, Args)]
pub struct ConcordanceArgs {
    /// Data location.
    #[command(flatten)]
    pub data: DataArgs,
    /// Source language of the units.
    #[arg(long, default_value = "vi")]
    pub src: String,
    /// Target language of the units.
    #[arg(long, default_value = "en")]
    pub tgt: String,
    /// Side searched.
    #[arg(long, value_enum, default_value = "source")]
    pub side: SideArg,
    /// Most hits (1-100).
    #[arg(long, default_value_t = DEFAULT_CONCORDANCE_LIMIT)]
    pub limit: usize,
    /// Only these collections: one name or a comma list (`project,shared`).
    #[arg(long)]
    pub collection: Option<String>,
    /// Print the JSON of `GET /api/v1/tm/concordance`.
    #[arg(long)]
    pub json: bool,
    /// The phrase (whole words; diacritics optional).
    pub phrase: String,
}

/// Runs `concordance`: one page of hits, the phrase marked with ⟦ ⟧.
pub fn concordance(args: ConcordanceArgs) -> CliResult {
    let query = ConcordanceQuery {
        phrase: args.phrase,
        src: Lang::new(&args.src)?,
        tgt: Lang::new(&args.tgt)?,
        side: match args.side {
            SideArg::Source => Side::Source,
            SideArg::Target => Side::Target,
        },
        limit: args.limit,
        cursor: None,
        collections: glossary::CollectionSelection::parse(args.collection.as_deref())?,
    };
    let glossary = open_glossary(&args.data)?;
    let page = glossary.tm_concordance(&query)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.json {
        serde_json::to_writer_pretty(&mut out, &ConcordanceResponse::new(&query, &page))?;
        writeln!(out)?;
        return Ok(out.flush()?);
    }
    if page.hits.is_empty() {
        writeln!(out, "(no unit contains {:?})", query.phrase)?;
    }
    for h in &page.hits {
        let (searched, other) = match query.side {
            Side::Source => (&h.unit.source, &h.unit.target),
            Side::Target => (&h.unit.target, &h.unit.source),
        };
        let aligned: Vec<_> = h.aligned.iter().map(|a| a.chars.clone()).collect();
        let mark = if h.exact { "" } else { " (other diacritics)" };
        writeln!(out, "#{}{mark}\n  {}\n  {}", h.unit.id, marked(searched, &h.spans), marked(other, &aligned))?;
    }
    if page.next_cursor.is_some() {
        writeln!(out, "(more hits: raise --limit)")?;
    }
    Ok(out.flush()?)
}

/// `s` with the character ranges (in order, not overlapping) in ⟦ ⟧.
fn marked(s: &str, spans: &[std::ops::Range<usize>]) -> String {
    let mut out = String::with_capacity(s.len() + 8 * spans.len());
    for (i, c) in s.chars().enumerate() {
        if spans.iter().any(|r| r.start == i) {
            out.push('⟦');
        }
        out.push(c);
        if spans.iter().any(|r| r.end == i + 1) {
            out.push('⟧');
        }
    }
    out
}
