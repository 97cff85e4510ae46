//! Evaluation of the sentence aligner on the gold documents, and helpers for
//! comparing it with other aligners (see `tools/compare_hunalign.sh`).
//!
//! ```sh
//! cargo run --release -p glossary --example align_eval -- report [DIR] [--no-anchors] [--no-lexicon] [--ratio C] [--condition NAME]
//! cargo run --release -p glossary --example align_eval -- report --parallel VI EN   # a line-aligned corpus, 40 pairs per document
//! cargo run --release -p glossary --example align_eval -- report --ntrex DIR dev|test|all  # NTREX-128 news, one document per id
//! cargo run --release -p glossary --example align_eval -- write-conditions OUT [--parallel VI EN | --ntrex DIR PART] # derived test documents
//! cargo run --release -p glossary --example align_eval -- gold-pairs OUT (--parallel VI EN | --ntrex DIR PART)  # OUT.vi, OUT.en
//! cargo run --release -p glossary --example align_eval -- links VI EN         # this aligner's links, scorer format
//! cargo run --release -p glossary --example align_eval -- corpus-links DIR    # DIR/*/ aligned as one corpus -> DIR/*.out/corpus.links
//! (`report ... --corpus` aligns each condition's documents as one corpus, `align_corpus`)
//! (`report ... --tm [--tm-extra VI EN]` gives each document a word table learned from the
//!  gold pairs of the other documents, plus a background bitext: a translation memory)
//! cargo run --release -p glossary --example align_eval -- tm-build VI EN    # time to learn a TM table from a bitext
//! cargo run --release -p glossary --example align_eval -- tm-links DIR [--parallel VI EN | --ntrex DIR PART] [--tm-extra VI EN]
//!     # DIR/CONDITION-SEED/NAME/ aligned with such a table -> NAME.out/tm.links
//! cargo run --release -p glossary --example align_eval -- equivalents         # equivalents of the checked terms
//! cargo run --release -p glossary --example align_eval -- sentences FILE [--tokens]  # one sentence per line (English if FILE is en*)
//! cargo run --release -p glossary --example align_eval -- score GOLD LINKS    # scores a link file
//! cargo run --release -p glossary --example align_eval -- dictionary          # starter glossary, hunalign format
//! cargo run --release -p glossary --example align_eval -- bench               # timing of a long document pair
//! ```

use std::path::{Path, PathBuf};
use std::time::Instant;

use glossary::align::equivalents::{propose_equivalents, EquivalentsOptions};
use glossary::align::eval::{self, Condition, Scores};
use std::collections::HashMap;

use glossary::align::{
    align, align_corpus, align_with, starter_lexicon, AlignOptions, AnchorLexicon, Document, WordTable,
};
use glossary::text::SentenceLang;
use glossary::Lang;

type Res = Result<(), Box<dyn std::error::Error>>;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("report") => report(&args[1..]),
        Some("sentences") if args.len() == 2 => sentences(Path::new(&args[1]), false),
        Some("sentences") if args.len() == 3 && args[2] == "--tokens" => sentences(Path::new(&args[1]), true),
        Some("score") if args.len() == 3 => score(Path::new(&args[1]), Path::new(&args[2])),
        Some("dictionary") => dictionary(),
        Some("bench") => bench(),
        Some("write-conditions") if args.len() >= 2 => write_conditions(Path::new(&args[1]), &args[2..]),
        Some("links") if args.len() == 3 => links(Path::new(&args[1]), Path::new(&args[2])),
        Some("corpus-links") if args.len() == 2 => corpus_links(Path::new(&args[1])),
        Some("tm-links") if args.len() >= 2 => tm_links(Path::new(&args[1]), &args[2..]),
        Some("tm-build") if args.len() == 3 => tm_build(&args[1..]),
        Some("equivalents") => equivalents(),
        Some("gold-pairs") if args.len() >= 2 => write_gold_pairs(Path::new(&args[1]), &args[2..]),
        _ => Err("usage: align_eval report [DIR | --parallel VI EN] [--no-anchors] [--no-lexicon] [--no-learn] [--ratio C] [--condition NAME] [--corpus] | sentences FILE [--tokens] | score GOLD LINKS | dictionary | bench | write-conditions DIR [--parallel VI EN] | links VI EN | corpus-links DIR | equivalents | gold-pairs OUT (--parallel VI EN | --ntrex DIR PART)".into()),
    };
    if let Err(e) = result {
        eprintln!("align_eval: {e}");
        std::process::exit(1);
    }
}

fn default_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/align")
}

fn langs() -> (Lang, Lang) {
    (Lang::new("vi").expect("vi"), Lang::new("en").expect("en"))
}

fn report(args: &[String]) -> Res {
    let (parallel, args) = take_parallel(args)?;
    let (extra, args) = take_extra(&args)?;
    let args = &args[..];
    let dir = args
        .iter()
        .enumerate()
        .find(|(i, a)| {
            !a.starts_with("--")
                && (*i == 0
                    || !matches!(
                        args[i - 1].as_str(),
                        "--ratio" | "--condition" | "--variance" | "--null-prior" | "--tm-weight"
                    ))
        })
        .map(|(_, a)| PathBuf::from(a))
        .unwrap_or_else(default_dir);
    let no_anchors = args.iter().any(|a| a == "--no-anchors");
    let no_lexicon = args.iter().any(|a| a == "--no-lexicon");
    let docs = match &parallel {
        Some(docs) => docs.clone(),
        None => eval::load_gold_dir(&dir)?,
    };
    let (vi, en) = langs();
    let lexicon = if no_lexicon { AnchorLexicon::new() } else { starter_lexicon(&vi, &en)? };
    let ratio =
        args.iter().position(|a| a == "--ratio").and_then(|i| args.get(i + 1)).map(|r| r.parse::<f64>()).transpose()?;
    let flag = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).map(|r| r.parse::<f64>());
    let variance = flag("--variance").transpose()?;
    let options = AlignOptions {
        variance: variance.unwrap_or(glossary::align::DEFAULT_VARIANCE),
        null_prior: flag("--null-prior").transpose()?.unwrap_or(glossary::align::DEFAULT_NULL_PRIOR),
        learn_words: !args.iter().any(|a| a == "--no-learn"),
        tm_weight: flag("--tm-weight").transpose()?.unwrap_or(glossary::align::DEFAULT_TM_WEIGHT),
        anchor_weight: if no_anchors { 0.0 } else { 1.0 },
        length_ratio: ratio,
        ..AlignOptions::default()
    };

    let (c, var, used) = eval::estimate_length_params(&docs);
    println!("length model from {used} gold 1-1 links: ratio en/vi = {c:.3}, variance s² = {var:.2}");
    let conditions: Vec<Condition> = match args.iter().position(|a| a == "--condition") {
        Some(i) => {
            let name = args.get(i + 1).ok_or("--condition needs a name")?;
            vec![*Condition::ALL.iter().find(|c| c.as_str() == name).ok_or("unknown condition")?]
        }
        None => Condition::ALL.to_vec(),
    };
    let verbose = std::env::var_os("ALIGN_EVAL_VERBOSE").is_some();
    // `--corpus`: the documents of one condition and draw are aligned as one
    // corpus (`align_corpus`), sharing a learned translation table.
    let corpus = args.iter().any(|a| a == "--corpus");
    // `--tm`: each document aligned with a table from the other documents'
    // gold pairs (and `--tm-extra`), as a translation memory would give it.
    let tables = if args.iter().any(|a| a == "--tm") { Some(loo_tables(&docs, &extra)) } else { None };
    if let Some(t) = &tables {
        let sizes: Vec<usize> = t.values().map(|t| t.as_ref().map_or(0, WordTable::pairs)).collect();
        println!(
            "TM tables: {} documents, {}–{} pairs each",
            sizes.len(),
            sizes.iter().min().unwrap_or(&0),
            sizes.iter().max().unwrap_or(&0)
        );
    }
    let mut overall = Calibration::default();
    let start = Instant::now();
    let mut sentences = 0;
    for condition in conditions {
        let mut total = Scores::default();
        let mut calibration = Calibration::default();
        for seed in seeds(condition) {
            let derived = eval::derive_condition(&docs, condition, DELETED_SHARE, seed);
            let pairs: Vec<(Document<'_>, Document<'_>)> = derived
                .iter()
                .map(|d| (Document::new(vi.clone(), &d.source), Document::new(en.clone(), &d.target)))
                .collect();
            let alignments = if corpus {
                align_corpus(&pairs, &lexicon, &options)?
            } else if let Some(tables) = &tables {
                pairs
                    .iter()
                    .zip(&derived)
                    .map(|((s, t), d)| align_with(s, t, &lexicon, &options, table_for(tables, &d.name)))
                    .collect::<Result<Vec<_>, _>>()?
            } else {
                pairs.iter().map(|(s, t)| align(s, t, &lexicon, &options)).collect::<Result<Vec<_>, _>>()?
            };
            for (d, a) in derived.iter().zip(alignments) {
                sentences += a.stats.src_sentences + a.stats.tgt_sentences;
                if verbose {
                    println!("  {}: {} word pairs learned", d.name, a.stats.learned_words);
                }
                let links = eval::link_ranges(&a);
                total.add(&eval::score(&links, &d.gold));
                for l in &a.links {
                    let ok = is_gold(&d.gold, l);
                    calibration.add(l.confidence, ok);
                    if verbose && (!ok || condition == Condition::Clean) {
                        println!(
                            "   {} {} {:?}->{:?} {} {:.3} {:?}\n      {}\n      {}",
                            if ok { " " } else { "✗" },
                            d.name,
                            l.src,
                            l.tgt,
                            l.kind.as_str(),
                            l.confidence,
                            l.anchors,
                            l.src_text,
                            l.tgt_text
                        );
                    }
                }
            }
        }
        println!("{:<10} {}   {}", condition.as_str(), columns(&total), calibration.summary());
        overall.merge(&calibration);
    }
    let secs = start.elapsed().as_secs_f64();
    println!("calibration over all conditions (confidence bin: links, share correct):");
    overall.print();
    println!(
        "aligned {sentences} sentences in {secs:.2} s ({:.0} sentences/s, {:.0} ms per 1,000 sentence pairs)",
        sentences as f64 / secs.max(1e-9),
        secs * 1000.0 / (sentences as f64 / 2000.0).max(1e-9)
    );
    Ok(())
}

/// Share of the sentences deleted per side in the deletion conditions.
const DELETED_SHARE: f64 = 0.1;

/// Deletion seeds per condition: three draws of the deleted sentences
/// (one for the clean documents, which have nothing to draw).
fn seeds(condition: Condition) -> std::ops::RangeInclusive<u64> {
    if condition == Condition::Clean {
        1..=1
    } else {
        1..=3
    }
}

/// Confidence bins: lower edges.
const BINS: [f64; 6] = [0.0, 0.5, 0.8, 0.9, 0.95, 0.99];

/// Links and correct links per confidence bin.
#[derive(Default)]
struct Calibration {
    bins: [(usize, usize); 6],
}

impl Calibration {
    fn add(&mut self, confidence: f64, correct: bool) {
        let b = BINS.iter().rposition(|&lo| confidence >= lo).unwrap_or(0);
        self.bins[b].0 += 1;
        self.bins[b].1 += usize::from(correct);
    }

    fn merge(&mut self, other: &Calibration) {
        for (a, b) in self.bins.iter_mut().zip(other.bins) {
            a.0 += b.0;
            a.1 += b.1;
        }
    }

    /// Links with confidence ≥ 0.9 and the share of them that is right.
    fn summary(&self) -> String {
        let (n, ok) = self.bins[3..].iter().fold((0, 0), |(n, ok), b| (n + b.0, ok + b.1));
        format!("≥0.9: {n:>4} links, {:.3} right", if n == 0 { 1.0 } else { ok as f64 / n as f64 })
    }

    fn print(&self) {
        for (i, (n, ok)) in self.bins.iter().enumerate() {
            let hi = BINS.get(i + 1).copied().unwrap_or(1.0);
            let right = if *n == 0 { String::from("-") } else { format!("{:.3}", *ok as f64 / *n as f64) };
            println!("  [{:.2}, {hi:.2}{}: {n:>5} links, {right} right", BINS[i], if i == 5 { "]" } else { ")" });
        }
    }
}

/// Ranks the equivalents of every term of `equivalents.tsv` over the gold
/// sentence pairs and prints where the checked English comes.
fn equivalents() -> Res {
    let dir = default_dir();
    let docs = eval::load_gold_dir(&dir)?;
    let pairs = eval::gold_pairs(&docs);
    let cases = eval::parse_term_list(&std::fs::read_to_string(dir.join("equivalents.tsv"))?)?;
    let (vi, en) = langs();
    let known = starter_lexicon(&vi, &en)?;
    let start = Instant::now();
    let mut first = 0;
    for (term, english) in &cases {
        let report = propose_equivalents(term, &pairs, &known, &EquivalentsOptions::default())?;
        let rank = report.proposals.iter().position(|p| &p.text == english);
        first += usize::from(rank == Some(0));
        let shown = rank.map_or("-".to_string(), |r| (r + 1).to_string());
        println!("{term:<24} {english:<28} rank {shown:>2}   {}", report.top(3));
    }
    println!(
        "right English first for {first} of {} terms, over {} gold pairs ({:.1} ms)",
        cases.len(),
        pairs.len(),
        start.elapsed().as_secs_f64() * 1000.0
    );
    Ok(())
}

/// Aligns two files (starter glossary as anchors, default options) and
/// prints the links in the scorer's format, with the confidence as a comment.
fn links(vi_file: &Path, en_file: &Path) -> Res {
    let (vi, en) = langs();
    let lexicon = starter_lexicon(&vi, &en)?;
    let (src, tgt) = (std::fs::read_to_string(vi_file)?, std::fs::read_to_string(en_file)?);
    let a = align(&Document::new(vi, &src), &Document::new(en, &tgt), &lexicon, &AlignOptions::default())?;
    for (l, line) in a.links.iter().zip(eval::format_links(&eval::link_ranges(&a)).lines()) {
        println!("{line}\t# {:.3}", l.confidence);
    }
    Ok(())
}

/// Aligns every document `NAME/{vi.txt,en.txt}` under `dir` as one corpus
/// (`align_corpus`) and writes its links to `NAME.out/corpus.links`, in the
/// format of `links` (for `tools/compare_hunalign.sh`).
fn corpus_links(dir: &Path) -> Res {
    let (vi, en) = langs();
    let lexicon = starter_lexicon(&vi, &en)?;
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .filter(|p| p.join("vi.txt").is_file())
        .collect();
    names.sort();
    let texts: Vec<(String, String)> = names
        .iter()
        .map(|p| Ok((std::fs::read_to_string(p.join("vi.txt"))?, std::fs::read_to_string(p.join("en.txt"))?)))
        .collect::<Result<_, std::io::Error>>()?;
    let pairs: Vec<(Document<'_>, Document<'_>)> =
        texts.iter().map(|(s, t)| (Document::new(vi.clone(), s), Document::new(en.clone(), t))).collect();
    let alignments = align_corpus(&pairs, &lexicon, &AlignOptions::default())?;
    for (path, a) in names.iter().zip(alignments) {
        let out = PathBuf::from(format!("{}.out", path.display()));
        std::fs::create_dir_all(&out)?;
        let mut text = String::new();
        for (l, line) in a.links.iter().zip(eval::format_links(&eval::link_ranges(&a)).lines()) {
            text.push_str(&format!("{line}\t# {:.3}\n", l.confidence));
        }
        std::fs::write(out.join("corpus.links"), text)?;
    }
    Ok(())
}

/// Aligns every derived document `DIR/CONDITION-SEED/NAME/` (from
/// `write-conditions`) with the word table of [`loo_tables`] and writes its
/// links to `NAME.out/tm.links`.
fn tm_links(root: &Path, args: &[String]) -> Res {
    let (parallel, args) = take_parallel(args)?;
    let (extra, _) = take_extra(&args)?;
    let docs = match parallel {
        Some(docs) => docs,
        None => eval::load_gold_dir(&default_dir())?,
    };
    let tables = loo_tables(&docs, &extra);
    let (vi, en) = langs();
    let lexicon = starter_lexicon(&vi, &en)?;
    for cond in std::fs::read_dir(root)? {
        let cond = cond?.path();
        if !cond.is_dir() {
            continue;
        }
        for doc in std::fs::read_dir(&cond)? {
            let doc = doc?.path();
            if !doc.join("vi.txt").is_file() {
                continue;
            }
            let name = doc.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let (src, tgt) =
                (std::fs::read_to_string(doc.join("vi.txt"))?, std::fs::read_to_string(doc.join("en.txt"))?);
            let a = align_with(
                &Document::new(vi.clone(), &src),
                &Document::new(en.clone(), &tgt),
                &lexicon,
                &AlignOptions::default(),
                table_for(&tables, &name),
            )?;
            let out = PathBuf::from(format!("{}.out", doc.display()));
            std::fs::create_dir_all(&out)?;
            let mut text = String::new();
            for (l, line) in a.links.iter().zip(eval::format_links(&eval::link_ranges(&a)).lines()) {
                text.push_str(&format!("{line}\t# {:.3}\n", l.confidence));
            }
            std::fs::write(out.join("tm.links"), text)?;
        }
    }
    Ok(())
}

/// The sentence pairs of `--tm-extra` and the remaining arguments.
type ExtraArgs = (Vec<(String, String)>, Vec<String>);

/// Times learning a TM word table from a bitext (the first
/// [`glossary::align::MAX_TM_PAIRS`] line pairs), as a rebuild would.
fn tm_build(files: &[String]) -> Res {
    let args = [String::from("--tm-extra"), files[0].clone(), files[1].clone()];
    let (pairs, _) = take_extra(&args)?;
    let start = Instant::now();
    let table = WordTable::from_pairs(pairs.iter().map(|(s, t)| (s.as_str(), t.as_str())));
    println!("TM word table from {} pairs in {:.2} s", table.pairs(), start.elapsed().as_secs_f64());
    Ok(())
}

/// `--tm-extra VI EN`: a background bitext (Moses-tokenised lines are
/// detokenised; the first [`glossary::align::MAX_TM_PAIRS`]), and the other
/// arguments.
fn take_extra(args: &[String]) -> Result<ExtraArgs, Box<dyn std::error::Error>> {
    let Some(i) = args.iter().position(|a| a == "--tm-extra") else { return Ok((Vec::new(), args.to_vec())) };
    let (Some(vi_file), Some(en_file)) = (args.get(i + 1), args.get(i + 2)) else {
        return Err("--tm-extra needs the Vietnamese and the English file".into());
    };
    let vi = std::fs::read_to_string(vi_file)?;
    let en = std::fs::read_to_string(en_file)?;
    let pairs = vi
        .lines()
        .zip(en.lines())
        .map(|(v, e)| (eval::detokenize(v), eval::detokenize(e)))
        .filter(|(v, e)| !v.trim().is_empty() && !e.trim().is_empty())
        .take(glossary::align::MAX_TM_PAIRS)
        .collect();
    let mut rest = args.to_vec();
    rest.drain(i..i + 3);
    Ok((pairs, rest))
}

/// A translation memory for each document, leave-one-out: the gold
/// sentence pairs of every *other* document, then `extra`. The
/// concatenated document holds every document, so it gets `extra` only
/// (no table when `extra` is empty).
fn loo_tables(docs: &[eval::GoldDocument], extra: &[(String, String)]) -> HashMap<String, Option<WordTable>> {
    let mut out = HashMap::new();
    for (k, d) in docs.iter().enumerate() {
        let others: Vec<eval::GoldDocument> =
            docs.iter().enumerate().filter(|&(j, _)| j != k).map(|(_, d)| d.clone()).collect();
        let mut pairs = eval::gold_pairs(&others);
        pairs.extend(extra.iter().cloned());
        let table = WordTable::from_pairs(pairs.iter().map(|(s, t)| (s.as_str(), t.as_str())));
        out.insert(d.name.clone(), Some(table));
    }
    let concat =
        (!extra.is_empty()).then(|| WordTable::from_pairs(extra.iter().map(|(s, t)| (s.as_str(), t.as_str()))));
    out.insert(String::from("all"), concat);
    out
}

/// The table of a derived document (`NAME-CONDITION`, or `all-concat`).
fn table_for<'a>(tables: &'a HashMap<String, Option<WordTable>>, derived: &str) -> Option<&'a WordTable> {
    let original =
        Condition::ALL.iter().find_map(|c| derived.strip_suffix(&format!("-{}", c.as_str()))).unwrap_or(derived);
    tables.get(original).and_then(Option::as_ref)
}

/// Writes every condition's documents as `DIR/CONDITION-SEED/NAME/{vi.txt,en.txt,gold.tsv}`
/// (for aligners run outside this process, see `tools/compare_hunalign.sh`).
fn write_conditions(out: &Path, args: &[String]) -> Res {
    let docs = match take_parallel(args)?.0 {
        Some(docs) => docs,
        None => eval::load_gold_dir(&default_dir())?,
    };
    for condition in Condition::ALL {
        for seed in seeds(condition) {
            for d in eval::derive_condition(&docs, condition, DELETED_SHARE, seed) {
                let dir = out.join(format!("{}-{seed}", condition.as_str())).join(&d.name);
                std::fs::create_dir_all(&dir)?;
                std::fs::write(dir.join("vi.txt"), &d.source)?;
                std::fs::write(dir.join("en.txt"), &d.target)?;
                std::fs::write(dir.join("gold.tsv"), eval::format_links(&d.gold))?;
            }
        }
    }
    Ok(())
}

/// Writes the gold sentence pairs of a set (`--parallel` or `--ntrex`) as
/// `OUT.vi` and `OUT.en`, one pair per line: a background bitext for
/// `--tm-extra`.
fn write_gold_pairs(out: &Path, args: &[String]) -> Res {
    let docs = take_parallel(args)?.0.ok_or("gold-pairs needs --parallel or --ntrex")?;
    let pairs = eval::gold_pairs(&docs);
    let side = |f: fn(&(String, String)) -> &str| pairs.iter().map(|p| format!("{}\n", f(p))).collect::<String>();
    std::fs::write(out.with_extension("vi"), side(|p| &p.0))?;
    std::fs::write(out.with_extension("en"), side(|p| &p.1))?;
    println!("{} gold pairs written to {}.{{vi,en}}", pairs.len(), out.display());
    Ok(())
}

/// Consecutive line pairs per document built from a parallel corpus.
const PARALLEL_DOC_PAIRS: usize = 40;

/// The documents of `--parallel` (if given) and the remaining arguments.
type ParallelArgs = (Option<Vec<eval::GoldDocument>>, Vec<String>);

/// `--parallel VI EN`: documents of [`PARALLEL_DOC_PAIRS`] consecutive line
/// pairs of a sentence-aligned corpus (Moses-tokenised lines are
/// detokenised), and the other arguments.
fn take_parallel(args: &[String]) -> Result<ParallelArgs, Box<dyn std::error::Error>> {
    if args.iter().any(|a| a == "--ntrex") {
        return take_ntrex(args);
    }
    let Some(i) = args.iter().position(|a| a == "--parallel") else { return Ok((None, args.to_vec())) };
    let (Some(vi_file), Some(en_file)) = (args.get(i + 1), args.get(i + 2)) else {
        return Err("--parallel needs the Vietnamese and the English file".into());
    };
    let read = |f: &str| -> Result<Vec<String>, std::io::Error> {
        Ok(std::fs::read_to_string(f)?.lines().map(eval::detokenize).collect())
    };
    let (vi, en) = (read(vi_file)?, read(en_file)?);
    if vi.len() != en.len() {
        return Err(format!("{vi_file} has {} lines but {en_file} has {}", vi.len(), en.len()).into());
    }
    let docs = eval::documents_from_parallel_lines("parallel", &vi, &en, PARALLEL_DOC_PAIRS);
    with_rest(docs, args, i)
}

/// `--ntrex DIR PART`: the Vietnamese–English documents of NTREX-128
/// (`DIR` holds `newstest2019-ref.vie.txt`, `newstest2019-src.eng.txt` and
/// `DOCUMENT_IDS.tsv`), one document per document id, the lines as they
/// are (not Moses-tokenised). `PART` is `dev` (the 1st, 3rd, 5th, ...
/// document), `test` (the 2nd, 4th, ...) or `all`.
fn take_ntrex(args: &[String]) -> Result<ParallelArgs, Box<dyn std::error::Error>> {
    let i = args.iter().position(|a| a == "--ntrex").ok_or("--ntrex")?;
    let (Some(dir), Some(part)) = (args.get(i + 1), args.get(i + 2)) else {
        return Err("--ntrex needs the directory and dev, test or all".into());
    };
    let dir = Path::new(dir);
    let read = |f: &str| -> Result<Vec<String>, std::io::Error> {
        Ok(std::fs::read_to_string(dir.join(f))?.lines().map(str::to_owned).collect())
    };
    let (vi, en) = (read("newstest2019-ref.vie.txt")?, read("newstest2019-src.eng.txt")?);
    let ids: Vec<String> =
        read("DOCUMENT_IDS.tsv")?.iter().map(|l| l.split('\t').next().unwrap_or("").to_owned()).collect();
    if vi.len() != en.len() || vi.len() != ids.len() {
        return Err(format!(
            "NTREX: {} Vietnamese, {} English lines and {} document ids",
            vi.len(),
            en.len(),
            ids.len()
        )
        .into());
    }
    let keep = |k: usize| match part.as_str() {
        "dev" => Ok(k % 2 == 0),
        "test" => Ok(k % 2 == 1),
        "all" => Ok(true),
        _ => Err(format!("--ntrex part must be dev, test or all, not {part}")),
    };
    let mut docs = Vec::new();
    for d in eval::documents_from_grouped_lines("ntrex", &vi, &en, &ids) {
        let position: usize = d.name.trim_start_matches("ntrex-").parse()?;
        if keep(position)? {
            docs.push(d);
        }
    }
    with_rest(docs, args, i)
}

/// Checks that every document's gold links cover its sentences, and
/// returns the documents with the arguments minus the three at `i` that
/// named them.
fn with_rest(
    docs: Vec<eval::GoldDocument>,
    args: &[String],
    i: usize,
) -> Result<ParallelArgs, Box<dyn std::error::Error>> {
    for d in &docs {
        let n = glossary::text::split_sentences(&d.source, SentenceLang::Vietnamese).len();
        let m = glossary::text::split_sentences(&d.target, SentenceLang::English).len();
        eval::check_coverage(&d.gold, n, m)?;
    }
    let mut rest = args.to_vec();
    rest.drain(i..i + 3);
    Ok((Some(docs), rest))
}

/// Whether a link is in the gold standard (a null link by its one side).
fn is_gold(gold: &[eval::LinkRanges], l: &glossary::align::Link) -> bool {
    eval::score(&[(l.src.clone(), l.tgt.clone())], gold).links.correct == 1
}

/// Link P, R, F1, then pair P, R, F1, as fixed-width columns.
fn columns(s: &Scores) -> String {
    let [a, b, c, d, e, f] =
        [s.links.precision(), s.links.recall(), s.links.f1(), s.pairs.precision(), s.pairs.recall(), s.pairs.f1()];
    format!("{a:>6.3} {b:>6.3} {c:>6.3}  {d:>6.3} {e:>6.3} {f:>6.3}")
}

fn sentences(file: &Path, tokens: bool) -> Res {
    let text = std::fs::read_to_string(file)?;
    // The gold documents are vi.txt and en.txt: the file name gives the language.
    let english = file.file_stem().is_some_and(|s| s.to_string_lossy().starts_with("en"));
    let lang = if english { SentenceLang::English } else { SentenceLang::Vietnamese };
    for s in glossary::text::split_sentences(&text, lang) {
        if tokens {
            println!("{}", tokenized(s.text));
        } else {
            println!("{}", glossary::text::clean(s.text));
        }
    }
    Ok(())
}

fn tokenized(s: &str) -> String {
    glossary::text::tokenize(s)
        .iter()
        .map(|t| glossary::text::clean(t.text).to_lowercase())
        .collect::<Vec<_>>()
        .join(" ")
}

fn score(gold: &Path, links: &Path) -> Res {
    let gold = eval::parse_links(&std::fs::read_to_string(gold)?)?;
    let links = eval::parse_links(&std::fs::read_to_string(links)?)?;
    let s = eval::score(&links, &gold);
    let (l, p) = (&s.links, &s.pairs);
    // Counts first (for summing over documents), then the ratios.
    println!("{} {} {} {} {} {} {}", l.correct, l.predicted, l.gold, p.correct, p.predicted, p.gold, columns(&s));
    Ok(())
}

/// The starter glossary as a hunalign dictionary: `english @ vietnamese`,
/// lowercase, tokens separated by spaces (hunalign matches whole tokens).
fn dictionary() -> Res {
    let (vi, en) = langs();
    let lexicon = starter_lexicon(&vi, &en)?;
    let tok = |s: &str| glossary::text::tokenize(s).iter().map(|t| t.text.to_lowercase()).collect::<Vec<_>>().join(" ");
    for e in lexicon.entries() {
        for t in &e.targets {
            println!("{} @ {}", tok(t), tok(&e.source));
        }
    }
    Ok(())
}

/// Times the aligner on a long pair built by repeating the gold documents,
/// against plain Gale–Church (no anchors) in the same process.
fn bench() -> Res {
    let docs = eval::load_gold_dir(&default_dir())?;
    let (vi, en) = langs();
    let lexicon = starter_lexicon(&vi, &en)?;
    let (mut src, mut tgt) = (String::new(), String::new());
    // The gold links of the concatenation, shifted by the sentences before.
    let mut gold = Vec::new();
    let (mut n, mut m) = (0, 0);
    while src.len() < 1024 * 1024 {
        for d in &docs {
            src.push_str(&d.source);
            src.push('\n');
            tgt.push_str(&d.target);
            tgt.push('\n');
            for (s, t) in &d.gold {
                let shift =
                    |r: &std::ops::Range<usize>, by: usize| if r.is_empty() { 0..0 } else { r.start + by..r.end + by };
                gold.push((shift(s, n), shift(t, m)));
            }
            n += glossary::text::split_sentences(&d.source, SentenceLang::Vietnamese).len();
            m += glossary::text::split_sentences(&d.target, SentenceLang::English).len();
        }
    }
    for (label, weight, learn_words) in [
        ("length only (λ = 0)", 0.0, false),
        ("length + anchors", 1.0, false),
        ("length + anchors + learned words (default)", 1.0, true),
    ] {
        let options = AlignOptions { anchor_weight: weight, learn_words, ..AlignOptions::default() };
        let start = Instant::now();
        let a = align(&Document::new(vi.clone(), &src), &Document::new(en.clone(), &tgt), &lexicon, &options)?;
        let secs = start.elapsed().as_secs_f64();
        let f1 = eval::score(&eval::link_ranges(&a), &gold).links.f1();
        println!(
            "{label}: {} KiB / {} KiB, {} / {} sentences, band {:?}, {} cells, {} runs: {secs:.2} s, link F1 {f1:.3}",
            src.len() / 1024,
            tgt.len() / 1024,
            a.stats.src_sentences,
            a.stats.tgt_sentences,
            a.stats.band,
            a.stats.cells,
            a.stats.attempts
        );
    }
    // The default with a TM word table (the gold pairs: timing only, the
    // table knows the documents), built before the clock starts.
    let pairs = eval::gold_pairs(&docs);
    let start = Instant::now();
    let table = WordTable::from_pairs(pairs.iter().map(|(s, t)| (s.as_str(), t.as_str())));
    let build = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let a = align_with(
        &Document::new(vi.clone(), &src),
        &Document::new(en.clone(), &tgt),
        &lexicon,
        &AlignOptions::default(),
        Some(&table),
    )?;
    let secs = start.elapsed().as_secs_f64();
    let f1 = eval::score(&eval::link_ranges(&a), &gold).links.f1();
    println!(
        "default + TM word table ({} pairs, built in {build:.2} s): {} cells: {secs:.2} s, link F1 {f1:.3}",
        table.pairs(),
        a.stats.cells
    );
    Ok(())
}
