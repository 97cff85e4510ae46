//! Pre-translation of XLIFF documents from the translation memory.
//!
//! [`crate::Glossary::pretranslate`] reads an XLIFF 1.2 or 2.x file (through
//! [`super::xml::read_tree`], so every upload rule of the XML layer holds),
//! asks the TM about each translatable segment's source text, and writes the
//! same file back with targets filled and matches recorded. Everything it
//! does not touch is copied byte for byte: edits are spliced into the
//! original text, so comments, namespaces, attribute order and formatting
//! survive.
//!
//! # What a segment becomes
//! | best TM match                      | target                | 1.2 `<target>`                                   | 2.x `<segment>`                     |
//! |------------------------------------|-----------------------|--------------------------------------------------|-------------------------------------|
//! | 100 (exact)                        | filled                | `state="translated" state-qualifier="exact-match"` | `state="translated"`              |
//! | ≥ threshold, below 100             | filled                | `state="needs-review-translation" state-qualifier="fuzzy-match"` (`leveraged-tm` when numbers or terms were adapted) | `state="initial" subState="glossary-server:fuzzy-match"` |
//! | below threshold, ≥ 70              | left empty            | candidates only                                  | candidates only                     |
//! | none                               | left empty            |                                                  |                                     |
//!
//! The threshold defaults to 100: only exact matches are filled unless the
//! caller asks for fuzzy ones. Candidates (the best [`MAX_CANDIDATES`]
//! matches at or above [`CANDIDATE_FLOOR`] or the threshold, whichever is
//! lower) go into `<alt-trans match-quality=".." origin="glossary-server-tm">`
//! (1.2) or the Translation Candidates module's `<mtc:matches>` (2.x), and
//! the glossary terms recognised in the source into `<note from="glossary">`
//! (1.2) or the Glossary module's `<gls:glossary>` (2.x).
//!
//! Inline codes are kept: the TM holds plain text, so the codes of the
//! source are placed in the target by the rules of [`inline`]; when they
//! cannot all be placed, the target stays empty and the match is only
//! offered as a candidate (counted in `codes_not_placed`).
//!
//! Segments that already have a target (or, in 2.x, are `reviewed` or
//! `final`) are left alone unless `overwrite` is set. Units marked
//! `translate="no"` are skipped. A 1.2 unit segmented with `<seg-source>`
//! (Trados, memoQ) is one segment per `<mrk mtype="seg">`: the target
//! mirrors the seg-source with each segment's translation in the `<mrk>` of
//! the same `mid` (state on the target once all its segments are filled),
//! and candidates carry the `mid`. Running the same file through twice gives the same result:
//! candidates and notes written by an earlier run are replaced, not
//! repeated.

mod inline;
mod v12;
mod v2;

use std::fmt::Write as _;
use std::ops::Range;

use crate::error::{Error, FileProblem, Result};
use crate::formats::xml::{read_tree, write_escaped, Limits, XmlChild, XmlElement};
use crate::model::Lang;
use crate::tm::suggest::Suggester;
use crate::tm::{TmQuery, MIN_THRESHOLD};

/// Largest XLIFF file read by default (32 MiB).
pub const DEFAULT_MAX_PRETRANSLATE_BYTES: u64 = 32 * 1024 * 1024;
/// The threshold when none is given: exact matches only fill targets.
pub const DEFAULT_FILL_THRESHOLD: f64 = 100.0;
/// Matches below this score are not offered as candidates (unless the
/// threshold is lower).
pub const CANDIDATE_FLOOR: f64 = 70.0;
/// Most candidates recorded per segment.
pub const MAX_CANDIDATES: usize = 3;
/// The `origin` of the candidates this module writes.
pub const ORIGIN: &str = "glossary-server-tm";
/// The `source` of the glossary terms of XLIFF 2.x.
pub const GLOSSARY_ORIGIN: &str = "glossary-server";
/// The `from` of the glossary notes of XLIFF 1.2.
pub const NOTE_FROM: &str = "glossary";

/// How to pre-translate a document.
#[derive(Clone, Debug)]
pub struct PretranslateOptions {
    /// Source language; the file's (`source-language`, `srcLang`) when `None`.
    pub src: Option<Lang>,
    /// Target language; the file's (`target-language`, `trgLang`) when
    /// `None`. A file without one gets this one written in.
    pub tgt: Option<Lang>,
    /// Lowest TM score that fills a target, [`MIN_THRESHOLD`]–100.
    pub threshold: f64,
    /// Replace targets that are already there.
    pub overwrite: bool,
    /// Largest file accepted, in bytes.
    pub max_bytes: u64,
    /// The TM units and glossary terms used: these collections, in search
    /// order (with the default collection penalty), or every collection.
    pub collections: crate::CollectionSelection,
}

impl Default for PretranslateOptions {
    fn default() -> Self {
        PretranslateOptions {
            src: None,
            tgt: None,
            threshold: DEFAULT_FILL_THRESHOLD,
            overwrite: false,
            max_bytes: DEFAULT_MAX_PRETRANSLATE_BYTES,
            collections: crate::CollectionSelection::all(),
        }
    }
}

impl PretranslateOptions {
    /// Checks the threshold.
    pub fn validate(&self) -> Result<()> {
        if !(MIN_THRESHOLD..=100.0).contains(&self.threshold) {
            return Err(Error::invalid("threshold", format!("must be between {MIN_THRESHOLD} and 100")));
        }
        Ok(())
    }
}

/// Segments and their words.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ClassCount {
    /// Segments (1.2 trans-units, 2.x segments).
    pub segments: u64,
    /// Words of their source text.
    pub words: u64,
}

/// What a pre-translation did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PretranslateReport {
    /// The file's XLIFF version (`1.2`, `2.0`, `2.1`, `2.2`).
    pub version: String,
    /// `<file>` elements.
    pub files: u64,
    /// Filled from an exact match.
    pub exact: ClassCount,
    /// Filled from a fuzzy match at or above the threshold.
    pub fuzzy: ClassCount,
    /// Not filled, but candidates recorded (below the threshold, or codes
    /// that could not be placed).
    pub candidate: ClassCount,
    /// No match at all.
    pub none: ClassCount,
    /// Already translated, left as they were.
    pub kept: ClassCount,
    /// Not for translation (`translate="no"`, empty, too long).
    pub skipped: ClassCount,
    /// Matches at or above the threshold left unfilled because the source's
    /// inline codes could not be placed in their target.
    pub codes_not_placed: u64,
    /// Glossary notes written.
    pub glossary_notes: u64,
}

impl PretranslateReport {
    /// Segments seen, whatever became of them.
    pub fn segments(&self) -> u64 {
        [self.exact, self.fuzzy, self.candidate, self.none, self.kept, self.skipped].iter().map(|c| c.segments).sum()
    }
}

/// A pre-translated document and its report.
#[derive(Clone, Debug)]
pub struct Pretranslated {
    /// The XLIFF file with targets filled.
    pub document: Vec<u8>,
    /// What was done.
    pub report: PretranslateReport,
}

/// Pre-translates an XLIFF 1.2 or 2.x document with the suggestions of
/// `suggester` (see the [module docs](crate::formats::xliff)).
pub(crate) fn pretranslate(
    suggester: &Suggester<'_>,
    input: &[u8],
    options: &PretranslateOptions,
) -> Result<Pretranslated> {
    options.validate()?;
    if input.len() as u64 > options.max_bytes {
        return Err(Error::file(
            FileProblem::TooLarge,
            format!("the file is larger than the limit of {} bytes", options.max_bytes),
        ));
    }
    let root = read_tree(input, Limits::for_size(options.max_bytes))?;
    let doc = std::str::from_utf8(input).map_err(|_| Error::file(FileProblem::Encoding, "not UTF-8"))?;
    if root.local() != "xliff" {
        return Err(Error::file(
            FileProblem::WrongFormat,
            format!("the root element is <{}>, not <xliff>: this is not an XLIFF file", root.name),
        ));
    }
    let version = root.attr("version").unwrap_or("").to_string();
    let mut ctx = Ctx { suggester, doc, options, edits: Vec::new(), report: PretranslateReport::default() };
    ctx.report.version = version.clone();
    match version.as_str() {
        "1.2" => v12::run(&mut ctx, &root)?,
        "2.0" | "2.1" | "2.2" => v2::run(&mut ctx, &root)?,
        "" => return Err(Error::file(FileProblem::WrongFormat, "the <xliff> element has no version attribute")),
        other => {
            return Err(Error::file(
                FileProblem::UnsupportedFormat,
                format!("XLIFF {other} is not supported: pre-translation reads XLIFF 1.2 and 2.x"),
            ))
        }
    }
    let Ctx { edits, report, .. } = ctx;
    Ok(Pretranslated { document: apply(doc, edits).into_bytes(), report })
}

/// A change to the original text: `range` replaced by `text` (an insertion
/// when the range is empty).
#[derive(Clone, Debug)]
struct Edit {
    range: Range<usize>,
    text: String,
}

/// How good the filled target is (worst last).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Quality {
    Exact,
    Fuzzy,
    /// Fuzzy, with numbers or terms substituted for the query's.
    Adapted,
}

/// A TM match offered as a candidate.
struct Candidate {
    score: f64,
    source: String,
    target: String,
}

/// A glossary term found in a source, with its target equivalents.
struct TermNote {
    source: String,
    targets: Vec<String>,
}

/// The outcome for one segment.
struct Work {
    class: Class,
    words: u64,
    /// The target markup (inline codes placed) and its quality.
    target: Option<(String, Quality)>,
    candidates: Vec<Candidate>,
    terms: Vec<TermNote>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    Exact,
    Fuzzy,
    Candidate,
    None,
    Kept,
    Skipped,
}

/// State shared by the version-specific walkers.
struct Ctx<'a> {
    suggester: &'a Suggester<'a>,
    doc: &'a str,
    options: &'a PretranslateOptions,
    edits: Vec<Edit>,
    report: PretranslateReport,
}

impl Ctx<'_> {
    /// Looks the source up in the TM and decides what the segment gets.
    fn translate(&mut self, source: &XmlElement, src: &Lang, tgt: &Lang) -> Result<Work> {
        let pieces = inline::pieces(self.doc, source);
        let plain = inline::plain_text(&pieces);
        let words = word_count(&plain);
        let empty = Work { class: Class::Skipped, words, target: None, candidates: vec![], terms: vec![] };
        if plain.trim().is_empty() || plain.chars().count() > crate::tm::MAX_QUERY_CHARS {
            return Ok(empty);
        }
        let threshold = self.options.threshold;
        let query = TmQuery {
            text: plain.clone(),
            src: src.clone(),
            tgt: tgt.clone(),
            threshold: threshold.min(CANDIDATE_FLOOR),
            limit: MAX_CANDIDATES,
            collections: self.options.collections.clone(),
            collection_penalty: crate::collections::DEFAULT_COLLECTION_PENALTY,
        };
        let suggestion = self.suggester.suggest(&query)?;
        let terms = suggestion
            .terms
            .iter()
            .filter_map(|t| {
                let mut targets: Vec<String> = Vec::new();
                for c in &t.concepts {
                    for x in c.targets.iter().filter(|x| !x.status.is_discouraged()) {
                        if !targets.contains(&x.text) {
                            targets.push(x.text.clone());
                        }
                    }
                }
                (!targets.is_empty()).then(|| TermNote { source: t.text.clone(), targets })
            })
            .collect();
        let candidates: Vec<Candidate> = suggestion
            .matches
            .iter()
            .map(|m| Candidate {
                score: m.tm.comparison.score,
                source: m.tm.unit.source.clone(),
                target: m.adapted.as_ref().map_or_else(|| m.tm.unit.target.clone(), |a| a.target.clone()),
            })
            .collect();
        let mut work = Work { class: Class::None, words, target: None, candidates, terms };
        let Some(best) = suggestion.matches.first() else { return Ok(work) };
        let score = best.tm.comparison.score;
        work.class = Class::Candidate;
        if score + 1e-9 < threshold {
            return Ok(work);
        }
        let quality = if score >= 100.0 - 1e-9 {
            Quality::Exact
        } else if best.adapted.is_some() {
            Quality::Adapted
        } else {
            Quality::Fuzzy
        };
        match inline::place(&pieces, &work.candidates[0].target, &suggestion.terms) {
            Some(markup) => {
                work.class = if quality == Quality::Exact { Class::Exact } else { Class::Fuzzy };
                work.target = Some((markup, quality));
            }
            None => self.report.codes_not_placed += 1,
        }
        Ok(work)
    }

    fn count(&mut self, class: Class, words: u64) {
        let r = &mut self.report;
        let c = match class {
            Class::Exact => &mut r.exact,
            Class::Fuzzy => &mut r.fuzzy,
            Class::Candidate => &mut r.candidate,
            Class::None => &mut r.none,
            Class::Kept => &mut r.kept,
            Class::Skipped => &mut r.skipped,
        };
        c.segments += 1;
        c.words += words;
    }

    fn insert(&mut self, at: usize, text: String) {
        self.edits.push(Edit { range: at..at, text });
    }

    fn replace(&mut self, range: Range<usize>, text: String) {
        self.edits.push(Edit { range, text });
    }

    /// Removes an element with the whitespace before it on its line.
    fn remove(&mut self, el: &XmlElement) {
        let start = self.doc[..el.start_tag.start].trim_end_matches([' ', '\t', '\r', '\n']).len();
        self.edits.push(Edit { range: start..el.end_tag.end, text: String::new() });
    }

    /// The whitespace that indents the line `pos` is on, if `pos` starts it.
    fn indent_at(&self, pos: usize) -> String {
        let line_start = self.doc[..pos].rfind('\n').map_or(0, |i| i + 1);
        let lead = &self.doc[line_start..pos];
        if lead.chars().all(|c| c == ' ' || c == '\t') {
            lead.to_string()
        } else {
            String::new()
        }
    }
}

/// Whether an element holds a translation already (text or codes).
fn has_content(el: &XmlElement) -> bool {
    el.children.iter().any(|c| match c {
        XmlChild::Element(_) => true,
        XmlChild::Text(t, _) => !t.trim().is_empty(),
    })
}

/// A language attribute of the file, or the option that overrides it.
fn language(option: &Option<Lang>, value: Option<&str>, field: &str, attr: &str) -> Result<Lang> {
    if let Some(l) = option {
        return Ok(l.clone());
    }
    match value {
        Some(v) => Lang::new(v).map_err(|_| {
            Error::file(FileProblem::WrongFormat, format!("{attr}=\"{v}\" is not a well-formed BCP 47 language tag"))
        }),
        None => Err(Error::invalid(field, format!("the file has no {attr}: say which language with {field}"))),
    }
}

/// `local` with the prefix of the element it goes next to.
fn qname(prefix: Option<&str>, local: &str) -> String {
    match prefix {
        Some(p) => format!("{p}:{local}"),
        None => local.to_string(),
    }
}

fn word_count(s: &str) -> u64 {
    s.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).count() as u64
}

/// `s` escaped as character data (or as an attribute value with `attr`).
fn esc(s: &str, attr: bool) -> String {
    let mut out = Vec::with_capacity(s.len());
    write_escaped(&mut out, s, attr).expect("writing to memory");
    String::from_utf8(out).expect("escaping keeps UTF-8")
}

/// A score as XLIFF writes it: `87`, `87.5`.
fn score_text(score: f64) -> String {
    let rounded = (score * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

/// The start tag `raw` with attributes set (replaced where present, added at
/// the end otherwise). With `open`, an empty-element tag `<x/>` becomes a
/// start tag `<x>`.
fn set_attrs(raw: &str, set: &[(&str, &str)], open: bool) -> String {
    let (body, close) = match raw.strip_suffix("/>") {
        Some(b) if open => (b, ">"),
        Some(b) => (b, "/>"),
        None => (raw.strip_suffix('>').unwrap_or(raw), ">"),
    };
    let mut out = body.to_string();
    for (name, value) in set {
        let value = esc(value, true);
        match find_attr_value(&out, name) {
            Some(range) => out.replace_range(range, &value),
            None => {
                let trimmed = out.trim_end().len();
                out.truncate(trimmed);
                let _ = write!(out, " {name}=\"{value}\"");
            }
        }
    }
    out.push_str(close);
    out
}

/// Byte range of the value of attribute `name` in a start tag (without the
/// quotes).
fn find_attr_value(tag: &str, name: &str) -> Option<Range<usize>> {
    let b = tag.as_bytes();
    let mut i = tag.find(|c: char| c.is_whitespace())?;
    while i < b.len() {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let name_start = i;
        while i < b.len() && b[i] != b'=' && !b[i].is_ascii_whitespace() {
            i += 1;
        }
        let attr = &tag[name_start..i];
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'=') {
            i += 1;
        }
        let quote = *b.get(i)?;
        if quote != b'"' && quote != b'\'' {
            return None;
        }
        let value_start = i + 1;
        let value_end = value_start + tag[value_start..].find(quote as char)?;
        if attr == name {
            return Some(value_start..value_end);
        }
        i = value_end + 1;
    }
    None
}

/// The original text with the edits spliced in (edits must not overlap;
/// insertions at one place keep their order).
fn apply(doc: &str, mut edits: Vec<Edit>) -> String {
    // An insertion goes before a replacement starting at the same place.
    edits.sort_by_key(|e| (e.range.start, !e.range.is_empty()));
    let mut out = String::with_capacity(doc.len() + edits.iter().map(|e| e.text.len()).sum::<usize>());
    let mut pos = 0;
    for e in edits {
        debug_assert!(e.range.start >= pos, "overlapping edits");
        if e.range.start < pos {
            continue;
        }
        out.push_str(&doc[pos..e.range.start]);
        out.push_str(&e.text);
        pos = e.range.end;
    }
    out.push_str(&doc[pos..]);
    out
}

#[cfg(test)]
mod tests;
