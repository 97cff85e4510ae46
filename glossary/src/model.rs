//! The concept-oriented data model (after TBX, ISO 30042).
//!
//! A [`Concept`] is one meaning ("state visit"); it holds [`Term`]s in any
//! number of languages, each with a [`TermStatus`] saying whether a translator
//! should use it. Invariants are kept by constructors: a [`Lang`] is always a
//! well-formed, case-canonical BCP 47 tag; a [`ConceptId`] is always usable as
//! an XML id and a storage key; a [`ConceptDraft`] that passed
//! [`ConceptDraft::validate`] has clean, non-empty term texts.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::text;

/// Longest term text accepted, in characters.
pub const MAX_TERM_CHARS: usize = 500;
/// Longest free-text field (definition, note, context, source), in characters.
pub const MAX_FIELD_CHARS: usize = 4_000;
/// Most terms one concept may hold.
pub const MAX_TERMS_PER_CONCEPT: usize = 200;
/// Longest subject field, in characters.
pub const MAX_SUBJECT_FIELD_CHARS: usize = 200;

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

/// Identifier of a concept: 1–64 characters from `A–Z a–z 0–9 _ . -`,
/// starting with a letter or `_` (so it is also a valid XML `xml:id`, which
/// TBX requires). Generated ids look like `c42`.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ConceptId(String);

impl ConceptId {
    /// Validates an id.
    pub fn new(id: &str) -> Result<ConceptId> {
        let ok_first = id.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
        let ok_rest = id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
        if id.is_empty() || id.len() > 64 || !ok_first || !ok_rest {
            return Err(Error::invalid(
                "id",
                format!("{id:?} is not a valid concept id: use 1-64 characters from A-Z a-z 0-9 _ . -, starting with a letter or '_'"),
            ));
        }
        Ok(ConceptId(id.to_string()))
    }

    /// The id generated for the `n`th concept.
    pub(crate) fn generated(n: u64) -> ConceptId {
        ConceptId(format!("c{n}"))
    }

    /// The id as a string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ConceptId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for ConceptId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ConceptId({})", self.0)
    }
}

impl FromStr for ConceptId {
    type Err = Error;
    fn from_str(s: &str) -> Result<ConceptId> {
        ConceptId::new(s)
    }
}

impl TryFrom<String> for ConceptId {
    type Error = Error;
    fn try_from(s: String) -> Result<ConceptId> {
        ConceptId::new(&s)
    }
}

impl From<ConceptId> for String {
    fn from(c: ConceptId) -> String {
        c.0
    }
}

/// Longest collection name, in characters.
pub const MAX_COLLECTION_CHARS: usize = 64;

/// A named glossary / TM inside one store (`default`, `mofa`, `news-desk`):
/// 1-64 characters from `a-z 0-9 . _ -`, starting with a letter or digit.
///
/// Records stored before collections existed have no such field and read as
/// [`Collection::default`] (`default`); records in the default collection are
/// stored without the field, so their encoding is unchanged.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Collection(String);

/// The name of the collection every record belongs to unless told otherwise.
pub const DEFAULT_COLLECTION: &str = "default";

impl Collection {
    /// Validates a collection name.
    pub fn new(name: &str) -> Result<Collection> {
        let ok_first = name.bytes().next().is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
        let ok_rest =
            name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-'));
        if !ok_first || !ok_rest || name.len() > MAX_COLLECTION_CHARS {
            return Err(Error::invalid(
                "collection",
                format!(
                    "{name:?} is not a valid collection name: use 1-{MAX_COLLECTION_CHARS} characters from a-z 0-9 . _ -, starting with a letter or digit"
                ),
            ));
        }
        Ok(Collection(name.to_string()))
    }

    /// Parses a comma-separated list (`project,shared`), in order, without
    /// repeats; an empty list is an error.
    pub fn parse_list(list: &str) -> Result<Vec<Collection>> {
        let mut out: Vec<Collection> = Vec::new();
        for part in list.split(',') {
            let c = Collection::new(part.trim())?;
            if out.contains(&c) {
                return Err(Error::invalid("collection", format!("{c} is listed twice")));
            }
            out.push(c);
        }
        Ok(out)
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True for the `default` collection.
    pub fn is_default(&self) -> bool {
        self.0 == DEFAULT_COLLECTION
    }
}

impl Default for Collection {
    fn default() -> Collection {
        Collection(DEFAULT_COLLECTION.to_string())
    }
}

impl fmt::Display for Collection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Collection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Collection({})", self.0)
    }
}

impl FromStr for Collection {
    type Err = Error;
    fn from_str(s: &str) -> Result<Collection> {
        Collection::new(s)
    }
}

impl TryFrom<String> for Collection {
    type Error = Error;
    fn try_from(s: String) -> Result<Collection> {
        Collection::new(&s)
    }
}

impl From<Collection> for String {
    fn from(c: Collection) -> String {
        c.0
    }
}

/// A point in time, milliseconds since the Unix epoch (UTC).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Serialize, Deserialize)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// The current time.
    pub fn now() -> Timestamp {
        let d = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        Timestamp(d.as_millis() as i64)
    }

    /// RFC 3339 in UTC with millisecond precision, e.g. `2026-02-06T08:30:00.000Z`.
    pub fn to_rfc3339(self) -> String {
        let nanos = i128::from(self.0) * 1_000_000;
        match time::OffsetDateTime::from_unix_timestamp_nanos(nanos) {
            Ok(t) => {
                let fmt = time::macros::format_description!(
                    "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
                );
                t.format(&fmt).unwrap_or_else(|_| self.0.to_string())
            }
            Err(_) => self.0.to_string(),
        }
    }

    /// Parses RFC 3339 (any offset).
    pub fn parse_rfc3339(s: &str) -> Result<Timestamp> {
        let t = time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
            .map_err(|e| Error::invalid("timestamp", format!("{s:?} is not an RFC 3339 date-time: {e}")))?;
        Ok(Timestamp((t.unix_timestamp_nanos() / 1_000_000) as i64))
    }
}

/// Whether translators should use a term (TBX `administrativeStatus`).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum TermStatus {
    /// The term to use.
    #[default]
    Preferred,
    /// Acceptable alternative.
    Admitted,
    /// Do not use; a warning is shown when it appears.
    Deprecated,
    /// Replaced by a newer term; do not use in new texts.
    Superseded,
}

impl TermStatus {
    /// Rank for ordering equivalents: preferred first.
    pub fn rank(self) -> u8 {
        self as u8
    }

    /// True for statuses a translator should avoid.
    pub fn is_discouraged(self) -> bool {
        matches!(self, TermStatus::Deprecated | TermStatus::Superseded)
    }
}

/// Grammatical category (TBX-Basic `partOfSpeech` values).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartOfSpeech {
    /// Noun or noun phrase.
    Noun,
    /// Verb or verb phrase.
    Verb,
    /// Adjective.
    Adjective,
    /// Adverb.
    Adverb,
    /// Anything else.
    Other,
}

/// Kind of term (TBX-Basic `termType` values).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TermType {
    /// The complete form ("Đảng Cộng sản Việt Nam").
    FullForm,
    /// An acronym ("ASEAN", "CPV").
    Acronym,
    /// An abbreviation ("TP.").
    Abbreviation,
    /// A shortened form ("Đảng").
    ShortForm,
    /// A variant spelling or wording.
    Variant,
    /// A fixed multi-word phrase or formula.
    Phrase,
}

/// One designation of a concept in one language.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    /// Language of the term.
    pub lang: Lang,
    /// The term as it should be displayed (cleaned: NFC, single spaces).
    pub text: String,
    /// Usage status.
    #[serde(default)]
    pub status: TermStatus,
    /// Grammatical category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part_of_speech: Option<PartOfSpeech>,
    /// Kind of term.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term_type: Option<TermType>,
    /// An example sentence using the term.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    /// Where the term comes from (publication, URL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Free note for translators.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Term {
    /// A term with only language, text and status set.
    pub(crate) fn bare(lang: Lang, text: impl Into<String>, status: TermStatus) -> Term {
        Term {
            lang,
            text: text.into(),
            status,
            part_of_speech: None,
            term_type: None,
            context: None,
            source: None,
            note: None,
        }
    }
}

/// A concept entry as stored.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Concept {
    /// Identifier.
    pub id: ConceptId,
    /// Subject field (domain), e.g. "diplomacy".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject_field: Option<String>,
    /// Definition of the concept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub definition: Option<String>,
    /// Free note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Where the entry comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Terms in all languages, in the order the curator gave them.
    pub terms: Vec<Term>,
    /// The collection the concept belongs to (absent in the stored record
    /// means `default`).
    #[serde(default, skip_serializing_if = "Collection::is_default")]
    pub collection: Collection,
    /// When the concept was created.
    pub created: Timestamp,
    /// When the concept was last changed.
    pub updated: Timestamp,
    /// Incremented on every change; used for optimistic concurrency.
    pub version: u64,
}

impl Concept {
    /// Terms of the concept whose language falls under `lang`, preferred first
    /// (stable within a status).
    pub fn terms_in(&self, lang: &Lang) -> Vec<&Term> {
        let mut v: Vec<&Term> = self.terms.iter().filter(|t| t.lang.matches(lang)).collect();
        v.sort_by_key(|t| t.status.rank());
        v
    }
}

/// The editable part of a concept: what a client sends to create or replace one.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConceptDraft {
    /// Requested id (create only); generated when absent.
    #[serde(default)]
    pub id: Option<ConceptId>,
    /// Subject field.
    #[serde(default)]
    pub subject_field: Option<String>,
    /// Definition.
    #[serde(default)]
    pub definition: Option<String>,
    /// Note.
    #[serde(default)]
    pub note: Option<String>,
    /// Source.
    #[serde(default)]
    pub source: Option<String>,
    /// Terms, at least one.
    pub terms: Vec<Term>,
    /// Collection: on create, `None` means `default`; on replace, `None`
    /// keeps the concept's collection.
    #[serde(default)]
    pub collection: Option<Collection>,
}

impl ConceptDraft {
    /// The stored form of a new concept made from this (validated) draft.
    pub(crate) fn into_new_concept(self, id: ConceptId, now: Timestamp) -> Concept {
        Concept {
            id,
            subject_field: self.subject_field,
            definition: self.definition,
            note: self.note,
            source: self.source,
            terms: self.terms,
            collection: self.collection.unwrap_or_default(),
            created: now,
            updated: now,
            version: 1,
        }
    }

    /// Cleans every text field (NFC, whitespace) and checks the invariants:
    /// at least one term, non-empty texts within length limits, no control
    /// characters, no two terms with the same normalised text in one
    /// language, at most one preferred term per language.
    pub fn validate(mut self) -> Result<ConceptDraft> {
        if self.terms.is_empty() {
            return Err(Error::invalid("terms", "a concept needs at least one term"));
        }
        if self.terms.len() > MAX_TERMS_PER_CONCEPT {
            return Err(Error::invalid("terms", format!("at most {MAX_TERMS_PER_CONCEPT} terms per concept")));
        }
        clean_opt(&mut self.subject_field, "subject_field", MAX_SUBJECT_FIELD_CHARS)?;
        clean_opt(&mut self.definition, "definition", MAX_FIELD_CHARS)?;
        clean_opt(&mut self.note, "note", MAX_FIELD_CHARS)?;
        clean_opt(&mut self.source, "source", MAX_FIELD_CHARS)?;
        let mut seen: Vec<(String, String)> = Vec::with_capacity(self.terms.len());
        let mut preferred: Vec<&str> = Vec::new();
        for (i, term) in self.terms.iter_mut().enumerate() {
            let field = format!("terms[{i}].text");
            term.text = clean_required(&term.text, &field, MAX_TERM_CHARS)?;
            clean_opt(&mut term.context, &format!("terms[{i}].context"), MAX_FIELD_CHARS)?;
            clean_opt(&mut term.source, &format!("terms[{i}].source"), MAX_FIELD_CHARS)?;
            clean_opt(&mut term.note, &format!("terms[{i}].note"), MAX_FIELD_CHARS)?;
            let key = (term.lang.as_str().to_string(), text::normalized_key(&term.text));
            if seen.contains(&key) {
                return Err(Error::invalid(
                    field,
                    format!(
                        "{:?} duplicates another {} term of this concept (after normalisation)",
                        term.text, term.lang
                    ),
                ));
            }
            seen.push(key);
        }
        for term in &self.terms {
            if term.status == TermStatus::Preferred {
                if preferred.contains(&term.lang.as_str()) {
                    return Err(Error::invalid(
                        "terms",
                        format!("more than one preferred {} term: mark the others 'admitted'", term.lang),
                    ));
                }
                preferred.push(term.lang.as_str());
            }
        }
        Ok(self)
    }
}

fn clean_required(s: &str, field: &str, max_chars: usize) -> Result<String> {
    if s.chars().any(|c| c.is_control() && !c.is_whitespace()) {
        return Err(Error::invalid(field, "contains control characters"));
    }
    let cleaned = text::clean(s);
    if cleaned.is_empty() {
        return Err(Error::invalid(field, "must not be empty"));
    }
    let n = cleaned.chars().count();
    if n > max_chars {
        return Err(Error::invalid(field, format!("is {n} characters long; the limit is {max_chars}")));
    }
    Ok(cleaned)
}

fn clean_opt(v: &mut Option<String>, field: &str, max_chars: usize) -> Result<()> {
    if let Some(s) = v.take() {
        let cleaned = clean_required(&s, field, max_chars);
        match cleaned {
            Ok(c) => *v = Some(c),
            // An empty optional field is the same as an absent one.
            Err(Error::InvalidInput { ref reason, .. }) if reason == "must not be empty" => *v = None,
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Test helpers shared by the crate's unit tests.
#[cfg(test)]
pub(crate) mod test_support {
    use super::*;

    /// A small deterministic generator (xorshift) for property tests.
    pub(crate) struct Rng(pub(crate) u64);

    impl Rng {
        /// The next 64 random bits.
        pub(crate) fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        /// A number in `0..n`.
        pub(crate) fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    /// A term with only language, text and status set.
    pub(crate) fn term(lang: &str, text: &str, status: TermStatus) -> Term {
        Term::bare(Lang::new(lang).unwrap(), text, status)
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::term;
    use super::*;

    fn check_lang(input: &str, expected: Option<&str>) {
        let got = Lang::new(input).ok().map(|l| l.as_str().to_string());
        assert_eq!(got.as_deref(), expected, "Lang::new({input:?})");
    }

    #[test]
    fn language_tags() {
        let cases: &[(&str, Option<&str>)] = &[
            ("vi", Some("vi")),
            ("VI", Some("vi")),
            ("en-gb", Some("en-GB")),
            ("zh-hant-tw", Some("zh-Hant-TW")),
            ("sr-Latn-RS", Some("sr-Latn-RS")),
            ("es-419", Some("es-419")),
            ("de-CH-1996", Some("de-CH-1996")),
            ("en-US-x-twain", Some("en-US-x-twain")),
            ("x-private", Some("x-private")),
            ("zh-yue-HK", Some("zh-yue-HK")),
            ("en-a-bbb-x-a-ccc", Some("en-a-bbb-x-a-ccc")),
            ("", None),
            ("e", None),
            ("english", Some("english")), // 5-8 letters: registered-language syntax
            ("en_US", None),
            ("en-", None),
            ("-en", None),
            ("en--US", None),
            ("vi-VN-", None),
            ("abcd", None),
            ("en-toolongsubtag", None),
            ("de-1996-1996", None),
            ("en-a", None),
            ("en-a-bbb-a-ccc", None),
            ("x", None),
            ("tiếng", None),
            ("en US", None),
        ];
        for (input, expected) in cases {
            check_lang(input, *expected);
        }
    }

    #[test]
    fn language_range_matching() {
        let l = |s| Lang::new(s).unwrap();
        assert!(l("en-GB").matches(&l("en")));
        assert!(l("en").matches(&l("en")));
        assert!(!l("en").matches(&l("en-GB")));
        assert!(!l("eng").matches(&l("en")));
        assert!(l("vi-VN").matches(&l("vi")));
    }

    #[test]
    fn concept_ids() {
        for ok in ["c1", "state-visit", "_x.1", "A"] {
            assert!(ConceptId::new(ok).is_ok(), "{ok}");
        }
        for bad in ["", "1c", "-a", "a b", "a/b", "ý", &"a".repeat(65)] {
            assert!(ConceptId::new(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn collection_names() {
        for ok in ["default", "mofa", "news-desk", "2026.q1", "a_b", &"a".repeat(64)] {
            assert_eq!(Collection::new(ok).unwrap().as_str(), ok);
        }
        for bad in ["", "Mofa", "-a", ".a", "a b", "a/b", "ý", "a,b", &"a".repeat(65)] {
            assert!(Collection::new(bad).is_err(), "{bad}");
        }
        let list = Collection::parse_list("project, shared").unwrap();
        assert_eq!(list.iter().map(Collection::as_str).collect::<Vec<_>>(), ["project", "shared"]);
        assert!(Collection::parse_list("a,a").is_err());
        assert!(Collection::parse_list("a,").is_err());
    }

    #[test]
    fn concepts_without_a_collection_read_as_default() {
        let old = r#"{"id":"c1","terms":[{"lang":"vi","text":"hòa bình"}],"created":1,"updated":1,"version":1}"#;
        let c: Concept = serde_json::from_str(old).unwrap();
        assert!(c.collection.is_default());
        assert!(!serde_json::to_string(&c).unwrap().contains("collection"), "default is not written");
        let moved = Concept { collection: Collection::new("mofa").unwrap(), ..c };
        let back: Concept = serde_json::from_str(&serde_json::to_string(&moved).unwrap()).unwrap();
        assert_eq!(back.collection.as_str(), "mofa");
    }

    #[test]
    fn timestamps_round_trip() {
        let t = Timestamp(1_770_366_600_123);
        let s = t.to_rfc3339();
        assert_eq!(s, "2026-02-06T08:30:00.123Z");
        assert_eq!(Timestamp::parse_rfc3339(&s).unwrap(), t);
        assert!(Timestamp::parse_rfc3339("yesterday").is_err());
    }

    #[test]
    fn draft_validation() {
        let ok = ConceptDraft {
            note: Some("  ".into()),
            terms: vec![
                term("vi", " hữu\u{a0}nghị  vĩ đại ", TermStatus::Preferred),
                term("en", "great friendship", TermStatus::Preferred),
            ],
            ..Default::default()
        }
        .validate()
        .unwrap();
        assert_eq!(ok.terms[0].text, "hữu nghị vĩ đại");
        assert_eq!(ok.note, None, "blank optional fields become absent");

        let cases: Vec<(Vec<Term>, &str)> = vec![
            (vec![], "at least one term"),
            (vec![term("vi", "   ", TermStatus::Preferred)], "must not be empty"),
            (vec![term("vi", "a\u{7}b", TermStatus::Preferred)], "control characters"),
            (
                vec![term("vi", "hòa bình", TermStatus::Preferred), term("vi", "hoà bình", TermStatus::Admitted)],
                "duplicates",
            ),
            (
                vec![term("en", "peace", TermStatus::Preferred), term("en", "calm", TermStatus::Preferred)],
                "more than one preferred",
            ),
            (vec![term("vi", &"a".repeat(MAX_TERM_CHARS + 1), TermStatus::Preferred)], "limit is 500"),
        ];
        for (terms, expected) in cases {
            let err = ConceptDraft { terms, ..Default::default() }.validate().unwrap_err().to_string();
            assert!(err.contains(expected), "{err:?} should mention {expected:?}");
        }
    }
}
