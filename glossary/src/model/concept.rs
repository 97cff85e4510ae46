//! Concepts and terms: [`Concept`], [`ConceptDraft`], [`Term`] and its categories; the draft's validation.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::text;

use super::*;

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
