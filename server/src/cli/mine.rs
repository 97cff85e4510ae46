//! `glossary-server mine`: term mining from the command line, without a
//! server; with `--data-dir`, candidates the glossary holds are marked.

use std::io::{IsTerminal, Write};

use glossary::mining::{mine as mine_documents, CandidateKind, Document, MiningOptions, Progress};

use crate::cli::{CliResult, MineArgs};
use crate::views::mining::CandidateJson;

/// Runs `mine`.
pub fn mine(args: MineArgs) -> CliResult {
    let lang = glossary::Lang::new(&args.lang)?;
    if lang.primary() != "vi" {
        return Err(format!("mining supports Vietnamese (--lang vi) only, not {lang}").into());
    }
    let mut documents = Vec::with_capacity(args.files.len());
    for path in &args.files {
        let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            format!("{} is not UTF-8 text (invalid byte at offset {})", path.display(), e.utf8_error().valid_up_to())
        })?;
        let id = path.file_name().map(|n| n.to_string_lossy().into_owned());
        documents.push(Document { id, title: None, text });
    }
    let options = MiningOptions {
        top: args.top,
        min_frequency: args.min_frequency,
        max_contexts: args.contexts,
        max_ngrams: args.max_ngrams,
    };

    // A progress bar only for a person watching a terminal.
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {bytes}/{total_bytes} ({eta})")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar.set_message("mining");
        bar
    });
    let mut report = |p: Progress| {
        if let Some(bar) = &bar {
            bar.set_length(p.total);
            bar.set_position(p.done);
        }
    };
    let mut outcome = mine_documents(&documents, &options, &mut report)?;
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }

    if args.data_dir.is_some() || args.store.is_some() {
        if let Some(dir) = args.data_dir.as_ref().filter(|d| !d.is_dir()) {
            return Err(format!("{} is not a data directory", dir.display()).into());
        }
        let data = crate::cli::DataArgs {
            data_dir: args.data_dir.clone(),
            store: args.store.clone(),
            no_seed: true,
            create: false,
            cache_mb: 64,
        };
        crate::cli::open_glossary(&data)?.mark_known_candidates(&mut outcome.candidates)?;
    }

    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.json {
        let json: Vec<CandidateJson> = outcome.candidates.iter().map(CandidateJson::from).collect();
        serde_json::to_writer_pretty(&mut out, &json)?;
        writeln!(out)?;
    } else {
        writeln!(out, "{:>4}  {:>8}  {:>5}  {:>3}  {:<8}  term", "rank", "score", "freq", "df", "kind")?;
        for (i, c) in outcome.candidates.iter().enumerate() {
            writeln!(
                out,
                "{:>4}  {:>8.2}  {:>5}  {:>3}  {:<8}  {}",
                i + 1,
                c.score,
                c.frequency,
                c.document_frequency,
                c.kind.as_str(),
                c.term
            )?;
            if c.kind == CandidateKind::Formula {
                writeln!(out, "{:>36}members: {}", "", c.members.join(" | "))?;
            }
            if let Some(k) = &c.known {
                let what = if k.variant { "new spelling of" } else { "known:" };
                writeln!(out, "{:>36}{what} {} ({})", "", k.term, k.concept)?;
            }
            if c.variants.len() > 1 {
                let v: Vec<String> = c.variants.iter().map(|v| format!("{} ({})", v.text, v.count)).collect();
                writeln!(out, "{:>36}variants: {}", "", v.join(", "))?;
            }
            // Keyword in context, the term in brackets (--contexts N).
            for ctx in &c.contexts {
                writeln!(out, "{:>36}{}: …{}[{}]{}…", "", ctx.document, ctx.left, ctx.term, ctx.right)?;
            }
        }
        let s = &outcome.stats;
        writeln!(
            out,
            "\n{} documents, {} bytes ({} kept, {} boilerplate lines dropped), {} sentences, {} syllables",
            s.documents, s.bytes, s.kept_bytes, s.dropped_lines, s.sentences, s.syllables
        )?;
        if s.count_error > 0 {
            writeln!(
                out,
                "counts are approximate: pruned {} times to stay within --max-ngrams {}; \
                 frequencies may be short by up to {}",
                s.prunes, options.max_ngrams, s.count_error
            )?;
        }
    }
    out.flush()?;
    Ok(())
}
