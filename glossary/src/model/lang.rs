//! Language tags: [`Lang`], BCP 47 syntax and canonical case.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// A BCP 47 language tag (RFC 5646), well-formed and in canonical case
/// (`vi`, `en-GB`, `zh-Hant-TW`, `sr-Latn-RS`).
///
/// Checks syntax only: there is no IANA registry on board, so `qq` passes
/// (it is a well-formed private-use range) while `english` or `e` do not.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Lang(String);

impl Lang {
    /// Parses and canonicalises a tag.
    pub fn new(tag: &str) -> Result<Lang> {
        canonical_lang(tag)
            .map(Lang)
            .map_err(|reason| Error::InvalidLanguageTag { tag: tag.to_string(), reason: reason.to_string() })
    }

    /// The tag as a string.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The primary language subtag (`vi` of `vi-VN`).
    pub fn primary(&self) -> &str {
        self.0.split('-').next().unwrap_or(&self.0)
    }

    /// RFC 4647 basic filtering: does this tag fall under `range`?
    /// `en` matches `en` and `en-GB`; `en-GB` does not match `en`.
    pub fn matches(&self, range: &Lang) -> bool {
        // Compared in place: this runs for every lookup candidate.
        let (tag, range) = (self.0.as_bytes(), range.0.as_bytes());
        tag.len() >= range.len()
            && tag[..range.len()].eq_ignore_ascii_case(range)
            && (tag.len() == range.len() || tag[range.len()] == b'-')
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Lang({})", self.0)
    }
}

impl FromStr for Lang {
    type Err = Error;
    fn from_str(s: &str) -> Result<Lang> {
        Lang::new(s)
    }
}

impl TryFrom<String> for Lang {
    type Error = Error;
    fn try_from(s: String) -> Result<Lang> {
        Lang::new(&s)
    }
}

impl From<Lang> for String {
    fn from(l: Lang) -> String {
        l.0
    }
}

/// Checks RFC 5646 `langtag` / `privateuse` syntax and returns the tag in
/// canonical case: language lowercase, script titlecase, region uppercase.
fn canonical_lang(tag: &str) -> std::result::Result<String, &'static str> {
    if tag.is_empty() {
        return Err("the tag is empty");
    }
    if tag.len() > 64 {
        return Err("the tag is longer than 64 characters");
    }
    if !tag.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return Err("only ASCII letters, digits and '-' are allowed");
    }
    let subtags: Vec<&str> = tag.split('-').collect();
    if subtags.iter().any(|s| s.is_empty() || s.len() > 8) {
        return Err("every subtag must have 1 to 8 characters");
    }
    let alpha = |s: &str| s.bytes().all(|b| b.is_ascii_alphabetic());
    let digit = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mut out: Vec<String> = Vec::with_capacity(subtags.len());
    let mut i = 0;
    let first = subtags[0];
    if first.eq_ignore_ascii_case("x") {
        // Whole tag is private use: x-1*8alphanum ...
        if subtags.len() < 2 {
            return Err("a private-use tag needs at least one subtag after 'x'");
        }
        return Ok(tag.to_ascii_lowercase());
    }
    if !(alpha(first) && (2..=8).contains(&first.len()) && first.len() != 4) {
        return Err("the primary language subtag must be 2-3 or 5-8 letters (e.g. 'vi', 'en')");
    }
    out.push(first.to_ascii_lowercase());
    i += 1;
    // extlang: up to three 3-letter subtags, only after a 2-3 letter language.
    let mut extlangs = 0;
    while first.len() <= 3 && i < subtags.len() && subtags[i].len() == 3 && alpha(subtags[i]) && extlangs < 3 {
        out.push(subtags[i].to_ascii_lowercase());
        i += 1;
        extlangs += 1;
    }
    if i < subtags.len() && subtags[i].len() == 4 && alpha(subtags[i]) {
        let s = subtags[i].to_ascii_lowercase();
        out.push(s[..1].to_ascii_uppercase() + &s[1..]);
        i += 1;
    }
    if i < subtags.len()
        && ((subtags[i].len() == 2 && alpha(subtags[i])) || (subtags[i].len() == 3 && digit(subtags[i])))
    {
        out.push(subtags[i].to_ascii_uppercase());
        i += 1;
    }
    let mut variants = Vec::new();
    while i < subtags.len() {
        let s = subtags[i];
        let is_variant = (5..=8).contains(&s.len()) || (s.len() == 4 && s.as_bytes()[0].is_ascii_digit());
        if !is_variant {
            break;
        }
        let v = s.to_ascii_lowercase();
        if variants.contains(&v) {
            return Err("a variant subtag is repeated");
        }
        variants.push(v.clone());
        out.push(v);
        i += 1;
    }
    let mut singletons = Vec::new();
    while i < subtags.len() {
        let s = subtags[i].to_ascii_lowercase();
        if s.len() != 1 {
            return Err(
                "unexpected subtag: expected script (4 letters), region (2 letters or 3 digits), variant, or extension",
            );
        }
        if s == "x" {
            if i + 1 >= subtags.len() {
                return Err("'x' must be followed by at least one private-use subtag");
            }
            out.extend(subtags[i..].iter().map(|s| s.to_ascii_lowercase()));
            return Ok(out.join("-"));
        }
        if singletons.contains(&s) {
            return Err("an extension singleton is repeated");
        }
        singletons.push(s.clone());
        out.push(s);
        i += 1;
        let start = i;
        while i < subtags.len() && subtags[i].len() >= 2 {
            out.push(subtags[i].to_ascii_lowercase());
            i += 1;
        }
        if i == start {
            return Err("an extension singleton must be followed by subtags of 2-8 characters");
        }
    }
    Ok(out.join("-"))
}
