//! Inline content of an XLIFF source: text and codes, the plain text the
//! TM is asked about, and the placement of the codes in a TM target.
//!
//! The TM stores plain text, so a target never carries codes of its own.
//! Codes are placed by rule, all or nothing ([`place`]):
//! - codes before the first or after the last word of the source (a `<g>`
//!   around the whole sentence, a `<ph/>` at its end) go to the same edge
//!   of the target;
//! - a paired code around a span inside the sentence (`<g>`, `<pc>`,
//!   `<mrk>`, `<bpt>`/`<ept>`, `<bx/>`/`<ex/>`, `<sc/>`/`<ec/>`,
//!   `<sm/>`/`<em/>`) goes around the same text in the target when that
//!   text occurs there once as a whole word (a number, a name), or around
//!   the one occurrence of a glossary equivalent when the span is a
//!   recognised term;
//! - anything else (a standalone code mid-sentence, nested pairs inside
//!   the sentence, a span found twice or not at all) cannot be placed, and
//!   the caller leaves the target empty.
//!
//! Codes are copied from the source as written (same ids, attributes,
//! native data), which is what both XLIFF versions expect in a target.

use std::ops::Range;

use crate::formats::xml::{write_escaped, XmlChild, XmlElement};
use crate::tm::suggest::RecognizedTerm;

/// What a code does to the text around it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    /// Starts a span (`<g>`, `<bpt>`, `<sc/>` ...).
    Open,
    /// Ends the span opened by the code with the same key.
    Close,
    /// Stands alone (`<x/>`, `<ph>`, an isolated code).
    Standalone,
}

/// A piece of inline content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Piece {
    /// Text, references resolved.
    Text(String),
    /// A code: its markup as written, role and pairing key.
    Code { raw: String, role: Role, key: String },
}

/// The inline content of `source`: `doc` is the whole document the
/// element's byte ranges point into.
pub(crate) fn pieces(doc: &str, source: &XmlElement) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut counter = 0usize;
    walk(doc, source, &mut out, &mut counter);
    out
}

fn walk(doc: &str, el: &XmlElement, out: &mut Vec<Piece>, counter: &mut usize) {
    for child in &el.children {
        let e = match child {
            XmlChild::Text(t, _) => {
                out.push(Piece::Text(t.clone()));
                continue;
            }
            XmlChild::Element(e) => e,
        };
        let key_of = |names: &[&str]| names.iter().find_map(|n| e.attr(n)).unwrap_or("").to_string();
        match e.local() {
            // Elements that wrap translatable text: the tags are the codes.
            "g" | "mrk" | "pc" if !e.is_empty_tag() => {
                *counter += 1;
                let key = format!("#{counter}");
                out.push(Piece::Code { raw: doc[e.start_tag.clone()].to_string(), role: Role::Open, key: key.clone() });
                walk(doc, e, out, counter);
                out.push(Piece::Code { raw: doc[e.end_tag.clone()].to_string(), role: Role::Close, key });
            }
            local => {
                let (role, key) = match local {
                    "bpt" | "bx" => (Role::Open, key_of(&["rid", "id"])),
                    "ept" | "ex" => (Role::Close, key_of(&["rid", "id"])),
                    "sc" | "sm" if e.attr("isolated") != Some("yes") => (Role::Open, key_of(&["id"])),
                    "ec" | "em" if e.attr("isolated") != Some("yes") => (Role::Close, key_of(&["startRef"])),
                    _ => (Role::Standalone, String::new()),
                };
                let key = if key.is_empty() { format!("?{local}") } else { format!("{local}:{key}") };
                // bpt/ept, bx/ex... pair across names: use one key space.
                let key = key.replacen("ept:", "bpt:", 1).replacen("ex:", "bx:", 1).replacen("ec:", "sc:", 1);
                let key = key.replacen("em:", "sm:", 1);
                out.push(Piece::Code { raw: doc[e.span()].to_string(), role, key });
            }
        }
    }
}

/// The text of the pieces without their codes.
pub(crate) fn plain_text(pieces: &[Piece]) -> String {
    pieces
        .iter()
        .filter_map(|p| match p {
            Piece::Text(t) => Some(t.as_str()),
            Piece::Code { .. } => None,
        })
        .collect()
}

/// Escaped markup for `target` with the codes of `pieces` placed in it, or
/// `None` when some code cannot be placed (see the module docs). `terms`
/// are the glossary terms recognised in the plain source text (character
/// offsets into it).
pub(crate) fn place(pieces: &[Piece], target: &str, terms: &[RecognizedTerm]) -> Option<String> {
    let plain = plain_text(pieces);
    let chars: Vec<char> = plain.chars().collect();
    let first = chars.iter().position(|c| !c.is_whitespace()).unwrap_or(chars.len());
    let last = chars.iter().rposition(|c| !c.is_whitespace()).map_or(first, |i| i + 1);
    // Each code with its character offset in the plain text.
    let mut codes: Vec<(usize, &str, Role, &str)> = Vec::new();
    let mut at = 0usize;
    for p in pieces {
        match p {
            Piece::Text(t) => at += t.chars().count(),
            Piece::Code { raw, role, key } => codes.push((at, raw, *role, key)),
        }
    }
    let mut prefix = String::new();
    let mut suffix = String::new();
    // Interior pairs: (source chars, open raw, close raw).
    let mut inner: Vec<(Range<usize>, &str, &str)> = Vec::new();
    let mut used = vec![false; codes.len()];
    for i in 0..codes.len() {
        if used[i] {
            continue;
        }
        let (off, raw, role, key) = codes[i];
        let partner = match role {
            Role::Open => (i + 1..codes.len()).find(|&j| codes[j].2 == Role::Close && codes[j].3 == key && !used[j]),
            _ => None,
        };
        match partner {
            Some(j) => {
                used[j] = true;
                let close = codes[j];
                if off <= first && close.0 >= last {
                    prefix.push_str(raw);
                    // Closes come out innermost first: prepend.
                    suffix.insert_str(0, close.1);
                } else {
                    inner.push((off.max(first)..close.0.min(last), raw, close.1));
                }
            }
            None if off <= first => prefix.push_str(raw),
            None if off >= last => suffix.push_str(raw),
            None => return None,
        }
        used[i] = true;
    }
    // Where each interior pair goes in the target (byte ranges).
    let mut spans: Vec<(Range<usize>, &str, &str)> = Vec::with_capacity(inner.len());
    for (range, open, close) in &inner {
        let text: String = chars[range.clone()].iter().collect();
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return None;
        }
        let lead = text.chars().take_while(|c| c.is_whitespace()).count();
        let core = range.start + lead..range.start + lead + trimmed.chars().count();
        let span = locate(target, trimmed, &core, terms)?;
        spans.push((span, open, close));
    }
    spans.sort_by_key(|s| s.0.start);
    if spans.windows(2).any(|w| w[0].0.end > w[1].0.start) {
        return None;
    }
    let mut out = Vec::with_capacity(target.len() + prefix.len() + suffix.len() + 32);
    out.extend_from_slice(prefix.as_bytes());
    let mut pos = 0;
    for (span, open, close) in &spans {
        write_escaped(&mut out, &target[pos..span.start], false).ok()?;
        out.extend_from_slice(open.as_bytes());
        write_escaped(&mut out, &target[span.clone()], false).ok()?;
        out.extend_from_slice(close.as_bytes());
        pos = span.end;
    }
    write_escaped(&mut out, &target[pos..], false).ok()?;
    out.extend_from_slice(suffix.as_bytes());
    String::from_utf8(out).ok()
}

/// The one place in `target` for source text `text` (at characters `core`
/// of the plain source): the same text as a whole word, else the glossary
/// equivalent of a term spanning exactly `core`.
fn locate(target: &str, text: &str, core: &Range<usize>, terms: &[RecognizedTerm]) -> Option<Range<usize>> {
    let same = find_words(target, text);
    if same.len() == 1 {
        return same.into_iter().next();
    }
    if !same.is_empty() {
        return None;
    }
    let term = terms.iter().find(|t| t.chars == *core)?;
    let mut found: Vec<Range<usize>> = Vec::new();
    for c in &term.concepts {
        for t in &c.targets {
            for r in find_words(target, &t.text) {
                if !found.contains(&r) {
                    found.push(r);
                }
            }
        }
    }
    // Overlapping hits of two equivalents ("Save" inside "Save as") are one
    // place only if one contains the others: keep the longest.
    found.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    found.dedup_by(|b, a| a.start <= b.start && b.end <= a.end);
    (found.len() == 1).then(|| found.remove(0))
}

/// Byte ranges where `needle` occurs in `hay` as whole words, letter case
/// ignored.
pub(crate) fn find_words(hay: &str, needle: &str) -> Vec<Range<usize>> {
    let needle: Vec<char> = needle.chars().flat_map(char::to_lowercase).collect();
    if needle.is_empty() {
        return Vec::new();
    }
    let hay_chars: Vec<(usize, char)> = hay.char_indices().collect();
    let mut out = Vec::new();
    for start in 0..hay_chars.len() {
        if start > 0 && hay_chars[start - 1].1.is_alphanumeric() {
            continue;
        }
        let mut n = 0;
        let mut k = start;
        while n < needle.len() && k < hay_chars.len() {
            let mut lower = hay_chars[k].1.to_lowercase();
            let mut ok = true;
            for l in lower.by_ref() {
                if n < needle.len() && needle[n] == l {
                    n += 1;
                } else {
                    ok = false;
                    break;
                }
            }
            if !ok {
                break;
            }
            k += 1;
        }
        if n == needle.len() && (k == hay_chars.len() || !hay_chars[k].1.is_alphanumeric()) {
            let end = hay_chars.get(k).map_or(hay.len(), |c| c.0);
            out.push(hay_chars[start].0..end);
        }
    }
    out
}
