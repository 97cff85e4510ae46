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
#[derive(Clone, Debug)]
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
