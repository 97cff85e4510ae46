//! Scoring an alignment against a gold standard.
//!
//! Gold and system alignments are lists of links, each a source and a
//! target sentence range. The text format has one link per line: source
//! indices, a tab, target indices (`-` for none); `#` starts a comment:
//!
//! ```text
//! 0<TAB>0
//! 1,2<TAB>1      # two source sentences merged into one
//! 3<TAB>-        # a source sentence left out of the translation
//! -<TAB>2
//! ```
//!
//! Two measures, both precision / recall / F1:
//! * **links**: a system link counts when the gold has exactly the same
//!   link (same sentences on both sides; a 1-0 or 0-1 link is identified by
//!   its one non-empty side). Strict: a 2-1 link where the gold says 1-1 +
//!   1-0 is wrong.
//! * **pairs**: every link of two non-empty sides stands for the sentence
//!   pairs `(i, j)` of its cross product; precision and recall over those
//!   pairs. Lenient: the 2-1 above still earns one correct pair of two.

use std::collections::HashSet;
use std::ops::Range;

use crate::error::{Error, Result};
use crate::text::SentenceLang;

/// A link as two sentence ranges.
pub type LinkRanges = (Range<usize>, Range<usize>);

/// Precision, recall and F1 with their counts.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Prf {
    /// Items of the system output also in the gold standard.
    pub correct: usize,
    /// Items of the system output.
    pub predicted: usize,
    /// Items of the gold standard.
    pub gold: usize,
}

impl Prf {
    /// `correct / predicted` (1 when nothing was predicted).
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.predicted)
    }

    /// `correct / gold` (1 when the gold is empty).
    pub fn recall(&self) -> f64 {
        ratio(self.correct, self.gold)
    }

    /// Harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    /// Adds counts (micro-averaging over documents).
    pub fn add(&mut self, other: &Prf) {
        self.correct += other.correct;
        self.predicted += other.predicted;
        self.gold += other.gold;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

/// Both measures for one document (or summed over several).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Scores {
    /// Exact link match.
    pub links: Prf,
    /// Sentence pairs.
    pub pairs: Prf,
}

impl Scores {
    /// Adds counts.
    pub fn add(&mut self, other: &Scores) {
        self.links.add(&other.links);
        self.pairs.add(&other.pairs);
    }
}

/// Scores `system` against `gold`.
pub fn score(system: &[LinkRanges], gold: &[LinkRanges]) -> Scores {
    let key = |(s, t): &LinkRanges| {
        let side = |r: &Range<usize>| if r.is_empty() { None } else { Some((r.start, r.end)) };
        (side(s), side(t))
    };
    let gold_links: HashSet<_> = gold.iter().map(key).collect();
    let sys_links: HashSet<_> = system.iter().map(key).collect();
    let gold_pairs = pairs(gold);
    let sys_pairs = pairs(system);
    Scores {
        links: Prf {
            correct: sys_links.intersection(&gold_links).count(),
            predicted: sys_links.len(),
            gold: gold_links.len(),
        },
        pairs: Prf {
            correct: sys_pairs.intersection(&gold_pairs).count(),
            predicted: sys_pairs.len(),
            gold: gold_pairs.len(),
        },
    }
}

fn pairs(links: &[LinkRanges]) -> HashSet<(usize, usize)> {
    links.iter().flat_map(|(s, t)| s.clone().flat_map(move |i| t.clone().map(move |j| (i, j)))).collect()
}

/// Parses the link format described in the module documentation.
pub fn parse_links(s: &str) -> Result<Vec<LinkRanges>> {
    let mut out = Vec::new();
    for (n, line) in s.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let bad = |why: &str| Error::invalid(format!("line {}", n + 1), format!("{why}: {line:?}"));
        let mut cols = line.split('\t');
        let (Some(a), Some(b), None) = (cols.next(), cols.next(), cols.next()) else {
            return Err(bad("expected two tab-separated columns"));
        };
        let side = |col: &str| -> Result<Range<usize>> {
            let col = col.trim();
            if col == "-" || col.is_empty() {
                return Ok(0..0);
            }
            let idx: Vec<usize> = col
                .split(',')
                .map(|x| x.trim().parse::<usize>())
                .collect::<Result<_, _>>()
                .map_err(|_| bad("bad index"))?;
            if idx.windows(2).any(|w| w[1] != w[0] + 1) {
                return Err(bad("indices of one side must be consecutive"));
            }
            Ok(idx[0]..idx[idx.len() - 1] + 1)
        };
        let (s, t) = (side(a)?, side(b)?);
        if s.is_empty() && t.is_empty() {
            return Err(bad("a link needs at least one sentence"));
        }
        out.push((s, t));
    }
    Ok(out)
}

/// Writes links in the format [`parse_links`] reads.
pub fn format_links(links: &[LinkRanges]) -> String {
    let side = |r: &Range<usize>| {
        if r.is_empty() {
            "-".to_string()
        } else {
            r.clone().map(|i| i.to_string()).collect::<Vec<_>>().join(",")
        }
    };
    links.iter().map(|(s, t)| format!("{}\t{}\n", side(s), side(t))).collect()
}

/// Checks that `links` cover source sentences `0..n` and target sentences
/// `0..m` each exactly once, in order (what a monotone alignment must do).
pub fn check_coverage(links: &[LinkRanges], n: usize, m: usize) -> Result<()> {
    let (mut next_s, mut next_t) = (0, 0);
    for (k, (s, t)) in links.iter().enumerate() {
        if !s.is_empty() {
            if s.start != next_s {
                return Err(Error::invalid(
                    format!("link {k}"),
                    format!("source starts at {} but {next_s} is next", s.start),
                ));
            }
            next_s = s.end;
        }
        if !t.is_empty() {
            if t.start != next_t {
                return Err(Error::invalid(
                    format!("link {k}"),
                    format!("target starts at {} but {next_t} is next", t.start),
                ));
            }
            next_t = t.end;
        }
    }
    if next_s != n || next_t != m {
        return Err(Error::invalid(
            "links",
            format!("cover {next_s} of {n} source and {next_t} of {m} target sentences"),
        ));
    }
    Ok(())
}

/// A document pair with its gold alignment, as stored in a directory with
/// `vi.txt`, `en.txt` and `gold.tsv`.
#[derive(Clone, Debug, PartialEq)]
pub struct GoldDocument {
    /// The directory name.
    pub name: String,
    /// Source text.
    pub source: String,
    /// Target text.
    pub target: String,
    /// Gold links.
    pub gold: Vec<LinkRanges>,
}

/// Loads every sub-directory of `dir` holding `vi.txt`, `en.txt` and
/// `gold.tsv`, in name order, and checks that each gold file covers every
/// sentence of both texts (as [`crate::text::split_sentences`] splits them).
pub fn load_gold_dir(dir: &std::path::Path) -> Result<Vec<GoldDocument>> {
    let io = |p: &std::path::Path, e: std::io::Error| Error::invalid(p.display().to_string(), e.to_string());
    let mut names: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| io(dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("gold.tsv").is_file())
        .collect();
    names.sort();
    let mut docs = Vec::new();
    for path in names {
        let read = |f: &str| std::fs::read_to_string(path.join(f)).map_err(|e| io(&path.join(f), e));
        let (source, target) = (read("vi.txt")?, read("en.txt")?);
        let gold = parse_links(&read("gold.tsv")?)?;
        let n = crate::text::split_sentences(&source, SentenceLang::Vietnamese).len();
        let m = crate::text::split_sentences(&target, SentenceLang::English).len();
        check_coverage(&gold, n, m)
            .map_err(|e| Error::invalid(path.display().to_string(), format!("gold.tsv does not fit the texts: {e}")))?;
        let name = path.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        docs.push(GoldDocument { name, source, target, gold });
    }
    Ok(docs)
}

/// The links of an alignment as sentence ranges.
pub fn link_ranges(alignment: &super::Alignment) -> Vec<LinkRanges> {
    alignment.links.iter().map(|l| (l.src.clone(), l.tgt.clone())).collect()
}

/// Gale & Church's length parameters estimated from the 1-1 gold links:
/// the ratio `c = Σ l_t / Σ l_s` and the variance `s²` of
/// `(l_t − c·l_s) / √((l_s + l_t/c) / 2)`, lengths as
/// [`super::sentence_length`] counts them. Returns `(c, s², links used)`.
pub fn estimate_length_params(docs: &[GoldDocument]) -> (f64, f64, usize) {
    let mut pairs = Vec::new();
    for d in docs {
        let src = crate::text::split_sentences(&d.source, SentenceLang::Vietnamese);
        let tgt = crate::text::split_sentences(&d.target, SentenceLang::English);
        for (s, t) in &d.gold {
            if s.len() == 1 && t.len() == 1 {
                pairs.push((
                    super::sentence_length(src[s.start].text) as f64,
                    super::sentence_length(tgt[t.start].text) as f64,
                ));
            }
        }
    }
    let (ls, lt): (f64, f64) = pairs.iter().fold((0.0, 0.0), |(a, b), &(x, y)| (a + x, b + y));
    if pairs.is_empty() || ls == 0.0 {
        return (1.0, 0.0, 0);
    }
    let c = lt / ls;
    let var = pairs.iter().map(|&(x, y)| (y - c * x).powi(2) / ((x + y / c) / 2.0)).sum::<f64>() / pairs.len() as f64;
    (c, var, pairs.len())
}

/// A test condition derived from the gold documents, to see how the aligner
/// copes with translations that are not sentence for sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Condition {
    /// The documents as they are.
    Clean,
    /// A share of the source (Vietnamese) sentences deleted.
    DeleteSource,
    /// A share of the target (English) sentences deleted.
    DeleteTarget,
    /// A share deleted on each side, chosen independently (the sentences
    /// left without a partner must come out as 1-0 / 0-1).
    DeleteBoth,
    /// Every document of the set concatenated into one pair, after deleting
    /// on both sides as in [`Condition::DeleteBoth`].
    Concatenated,
}

impl Condition {
    /// All conditions, in report order.
    pub const ALL: [Condition; 5] = [
        Condition::Clean,
        Condition::DeleteSource,
        Condition::DeleteTarget,
        Condition::DeleteBoth,
        Condition::Concatenated,
    ];

    /// Short name used in reports and directory names.
    pub fn as_str(self) -> &'static str {
        match self {
            Condition::Clean => "clean",
            Condition::DeleteSource => "del-vi",
            Condition::DeleteTarget => "del-en",
            Condition::DeleteBoth => "del-both",
            Condition::Concatenated => "concat",
        }
    }

    fn deletes(self) -> (bool, bool) {
        match self {
            Condition::Clean => (false, false),
            Condition::DeleteSource => (true, false),
            Condition::DeleteTarget => (false, true),
            Condition::DeleteBoth | Condition::Concatenated => (true, true),
        }
    }
}

/// Derives the documents of `condition` from `docs`: `share` (0.1) of the
/// sentences of each side concerned are deleted (at least one per
/// document), chosen by a generator seeded from `seed` and the document's
/// name, so the same call always gives the same documents. Derived texts
/// hold one sentence per line (the aligner ends a sentence at every line
/// break), and their gold links are the original ones with the deleted
/// sentences taken out: a link that loses one side becomes 1-0 or 0-1, one
/// that loses both disappears.
pub fn derive_condition(docs: &[GoldDocument], condition: Condition, share: f64, seed: u64) -> Vec<GoldDocument> {
    let (del_src, del_tgt) = condition.deletes();
    let derived: Vec<GoldDocument> = docs
        .iter()
        .map(|d| {
            let src: Vec<String> = crate::text::split_sentences(&d.source, SentenceLang::Vietnamese)
                .iter()
                .map(|s| crate::text::clean(s.text))
                .collect();
            let tgt: Vec<String> = crate::text::split_sentences(&d.target, SentenceLang::English)
                .iter()
                .map(|s| crate::text::clean(s.text))
                .collect();
            let mut rng = SplitMix(seed ^ fnv(&d.name));
            let keep_src = if del_src { keep_mask(src.len(), share, &mut rng) } else { vec![true; src.len()] };
            let keep_tgt = if del_tgt { keep_mask(tgt.len(), share, &mut rng) } else { vec![true; tgt.len()] };
            let (new_src, src_text) = renumber(&src, &keep_src);
            let (new_tgt, tgt_text) = renumber(&tgt, &keep_tgt);
            let map = |r: &Range<usize>, new: &[Option<usize>]| -> Range<usize> {
                let kept: Vec<usize> = r.clone().filter_map(|i| new[i]).collect();
                match (kept.first(), kept.last()) {
                    (Some(&a), Some(&b)) => a..b + 1,
                    _ => 0..0,
                }
            };
            // A link that lost one side leaves each sentence of the other
            // side on its own (a 2-1 that lost its target is two 1-0).
            let mut gold = Vec::new();
            for (s, t) in &d.gold {
                let (s, t) = (map(s, &new_src), map(t, &new_tgt));
                match (s.is_empty(), t.is_empty()) {
                    (false, false) => gold.push((s, t)),
                    (false, true) => gold.extend(s.map(|i| (i..i + 1, 0..0))),
                    (true, false) => gold.extend(t.map(|j| (0..0, j..j + 1))),
                    (true, true) => {}
                }
            }
            let name = format!("{}-{}", d.name, condition.as_str());
            GoldDocument { name, source: src_text, target: tgt_text, gold }
        })
        .collect();
    if condition != Condition::Concatenated {
        return derived;
    }
    let mut all =
        GoldDocument { name: "all-concat".into(), source: String::new(), target: String::new(), gold: vec![] };
    let (mut n, mut m) = (0, 0);
    for d in derived {
        let shift = |r: &Range<usize>, by: usize| if r.is_empty() { 0..0 } else { r.start + by..r.end + by };
        all.gold.extend(d.gold.iter().map(|(s, t)| (shift(s, n), shift(t, m))));
        n += d.source.lines().count();
        m += d.target.lines().count();
        all.source.push_str(&d.source);
        all.target.push_str(&d.target);
    }
    vec![all]
}

/// Which of `n` sentences to keep: `round(share · n)` (at least one when
/// `share > 0`) deleted at random, never all of them.
fn keep_mask(n: usize, share: f64, rng: &mut SplitMix) -> Vec<bool> {
    let mut keep = vec![true; n];
    let wanted = ((share * n as f64).round() as usize).max(usize::from(share > 0.0)).min(n.saturating_sub(1));
    let mut deleted = 0;
    while deleted < wanted {
        let i = (rng.next() % n as u64) as usize;
        if keep[i] {
            keep[i] = false;
            deleted += 1;
        }
    }
    keep
}

/// New index of each kept sentence, and the kept sentences one per line.
fn renumber(sentences: &[String], keep: &[bool]) -> (Vec<Option<usize>>, String) {
    let mut next = 0;
    let mut text = String::new();
    let new = sentences
        .iter()
        .zip(keep)
        .map(|(s, &k)| {
            k.then(|| {
                text.push_str(s);
                text.push('\n');
                next += 1;
                next - 1
            })
        })
        .collect();
    (new, text)
}

/// SplitMix64: a small deterministic generator (no dependency needed for
/// choosing a few sentences).
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// FNV-1a of a name, to vary the deletions between documents.
fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

/// The sentence pairs of the gold links that pair sentences (1-1, 2-1,
/// ...), each side's sentences joined by a space: a small, checked parallel
/// corpus for evaluating equivalents.
pub fn gold_pairs(docs: &[GoldDocument]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for d in docs {
        let src = crate::text::split_sentences(&d.source, SentenceLang::Vietnamese);
        let tgt = crate::text::split_sentences(&d.target, SentenceLang::English);
        for (s, t) in &d.gold {
            if s.is_empty() || t.is_empty() {
                continue;
            }
            let join = |sentences: &[crate::text::Sentence<'_>], r: &Range<usize>| {
                sentences[r.clone()].iter().map(|x| crate::text::clean(x.text)).collect::<Vec<_>>().join(" ")
            };
            out.push((join(&src, s), join(&tgt, t)));
        }
    }
    out
}

/// Parses a list of `term<TAB>english` lines (`#` starts a comment, blank
/// lines are skipped).
pub fn parse_term_list(s: &str) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for (n, line) in s.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim_end();
        if line.trim().is_empty() {
            continue;
        }
        let (term, english) = line
            .split_once('\t')
            .ok_or_else(|| Error::invalid(format!("line {}", n + 1), "needs a term, a tab and its English"))?;
        out.push((term.trim().to_string(), english.trim().to_lowercase()));
    }
    Ok(out)
}

/// Undoes the tokenisation of a Moses-tokenised line (the form of the
/// IWSLT'15 English–Vietnamese release: spaces around punctuation, `&quot;`
/// and `&apos;` escapes): entities decoded, no space before `, . ; : ! ? %
/// )` or an English clitic (`'s`, `n't`), none after `(`, and straight
/// double quotes attached inwards (opening to the next word, closing to the
/// previous one).
pub fn detokenize(line: &str) -> String {
    let decoded = line
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#91;", "[")
        .replace("&#93;", "]")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    let mut out = String::with_capacity(decoded.len());
    let mut glue_next = false;
    let mut open_quote = false;
    for token in decoded.split_whitespace() {
        let closing = matches!(token, "," | "." | ";" | ":" | "!" | "?" | "%" | ")" | "]" | "..." | "n't")
            || (token.starts_with('\'') && token.len() > 1 && token[1..].chars().all(char::is_alphabetic))
            || (token == "\"" && open_quote);
        if !out.is_empty() && !closing && !glue_next {
            out.push(' ');
        }
        out.push_str(token);
        glue_next = matches!(token, "(" | "[") || (token == "\"" && !open_quote);
        if token == "\"" {
            open_quote = !open_quote;
        }
    }
    // An odd quote mark at the end closes what an earlier line opened.
    if out.ends_with(" \"") {
        out.remove(out.len() - 2);
    }
    out
}

/// Documents of `per_doc` consecutive line pairs of a sentence-aligned
/// parallel corpus (line `k` of `source` translates line `k` of `target`),
/// named `{name}-{nnn}`, with their gold links.
///
/// A corpus line is not always one sentence: [`crate::text::split_sentences`]
/// may cut it in several. A pair whose lines give one sentence on each side
/// is a gold 1-1 link, one sentence against two a 1-2 or 2-1 link. Pairs with
/// more sentences (two against two could be a 2-2 link or two 1-1 links;
/// the corpus does not say) or an empty side are left out, on both sides at
/// once, so the documents stay translations of each other.
pub fn documents_from_parallel_lines(
    name: &str,
    source: &[String],
    target: &[String],
    per_doc: usize,
) -> Vec<GoldDocument> {
    // Chunks of `per_doc` *kept* pairs: line k belongs to the chunk of the
    // kept pairs before it (a left-out line never starts a document).
    let mut kept = 0;
    let groups: Vec<usize> = source
        .iter()
        .zip(target)
        .map(|(s, t)| {
            let group = kept / per_doc.max(1);
            kept += usize::from(sentence_counts(s, t).is_some());
            group
        })
        .collect();
    documents_from_grouped_lines(name, source, target, &groups)
}

/// The sentence counts of a line pair kept as a gold link (1-1, 1-2, 2-1),
/// `None` for a pair left out.
fn sentence_counts(source: &str, target: &str) -> Option<(usize, usize)> {
    let a = crate::text::split_sentences(source.trim(), SentenceLang::Vietnamese).len();
    let b = crate::text::split_sentences(target.trim(), SentenceLang::English).len();
    matches!((a, b), (1, 1) | (1, 2) | (2, 1)).then_some((a, b))
}

/// Documents of a sentence-aligned parallel corpus whose lines carry a
/// document label (`groups[k]` for line `k`, e.g. the document ids of
/// NTREX-128): each run of consecutive lines with the same label is one
/// document, named `{name}-{nnn}` by its position. Lines are kept or left
/// out as in [`documents_from_parallel_lines`]; a document left with no
/// line pair is dropped (the positions count it all the same).
pub fn documents_from_grouped_lines<G: PartialEq>(
    name: &str,
    source: &[String],
    target: &[String],
    groups: &[G],
) -> Vec<GoldDocument> {
    let mut docs: Vec<GoldDocument> = Vec::new();
    let (mut n, mut m) = (0, 0);
    let mut position = 0;
    for (k, ((s, t), g)) in source.iter().zip(target).zip(groups).enumerate() {
        if k == 0 || groups[k - 1] != *g {
            if k > 0 {
                position += 1;
            }
            docs.push(GoldDocument {
                name: format!("{name}-{position:03}"),
                source: String::new(),
                target: String::new(),
                gold: Vec::new(),
            });
            (n, m) = (0, 0);
        }
        let Some((a, b)) = sentence_counts(s, t) else { continue };
        let (s, t) = (s.trim(), t.trim());
        let doc = docs.last_mut().expect("a document was pushed");
        doc.gold.push((n..n + a, m..m + b));
        n += a;
        m += b;
        doc.source.push_str(s);
        doc.source.push('\n');
        doc.target.push_str(t);
        doc.target.push('\n');
    }
    docs.retain(|d| !d.gold.is_empty());
    docs
}
