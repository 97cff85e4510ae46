//! Wire types: the JSON the API reads and writes, with their OpenAPI schemas.
//!
//! These are a compatibility promise to clients, kept apart from the domain
//! types in `glossary` so the engine can change without breaking the API.
//! Conversions live here, next to the types.

pub mod align;
pub mod collections;
pub mod compat;
pub mod concordance;
pub mod equivalents;
pub mod exchange;
pub mod history;
pub mod jobs;
pub mod mining;
pub mod pretranslate;
pub mod suggest;
pub mod tm;

use glossary::{
    Collection, Concept, ConceptDraft, ConceptId, Lang, LookupHit, MatchKind, PartOfSpeech, Term, TermStatus, TermType,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, ErrorCode};

/// Whether translators should use a term (TBX administrativeStatus).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TermStatusJson {
    /// The term to use.
    #[default]
    Preferred,
    /// An acceptable alternative.
    Admitted,
    /// Do not use.
    Deprecated,
    /// Replaced by a newer term.
    Superseded,
}

/// Grammatical category (TBX-Basic partOfSpeech).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PartOfSpeechJson {
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

/// Kind of term (TBX-Basic termType).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TermTypeJson {
    /// Complete form.
    FullForm,
    /// Acronym ("ASEAN").
    Acronym,
    /// Abbreviation.
    Abbreviation,
    /// Shortened form.
    ShortForm,
    /// Variant spelling or wording.
    Variant,
    /// Fixed phrase or formula.
    Phrase,
}

/// A term: one designation of a concept in one language.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"lang": "vi", "text": "thăm cấp Nhà nước", "status": "preferred", "part_of_speech": "noun", "term_type": "phrase"}))]
pub struct TermJson {
    /// BCP 47 language tag, e.g. `vi`, `en`, `en-GB`.
    pub lang: String,
    /// The term, up to 500 characters. Stored cleaned (NFC, single spaces).
    pub text: String,
    /// Usage status; `preferred` when omitted. At most one preferred term per language.
    #[serde(default)]
    pub status: TermStatusJson,
    /// Grammatical category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part_of_speech: Option<PartOfSpeechJson>,
    /// Kind of term.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term_type: Option<TermTypeJson>,
    /// Example sentence using the term.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    /// Where the term comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Note for translators.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Body of `POST /api/v1/concepts`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "subject_field": "diplomacy",
    "terms": [
        {"lang": "vi", "text": "thăm cấp Nhà nước", "status": "preferred"},
        {"lang": "en", "text": "state visit", "status": "preferred"}
    ]
}))]
pub struct NewConcept {
    /// Id to give the concept (1–64 of `A-Z a-z 0-9 _ . -`, starting with a
    /// letter or `_`); generated (`c42`) when omitted.
    #[serde(default)]
    pub id: Option<String>,
    /// Subject field, e.g. "diplomacy".
    #[serde(default)]
    pub subject_field: Option<String>,
    /// Definition.
    #[serde(default)]
    pub definition: Option<String>,
    /// Note.
    #[serde(default)]
    pub note: Option<String>,
    /// Source of the entry.
    #[serde(default)]
    pub source: Option<String>,
    /// Collection (named glossary), e.g. `mofa`: 1-64 of `a-z 0-9 . _ -`,
    /// starting with a letter or digit; `default` when omitted.
    #[serde(default)]
    pub collection: Option<String>,
    /// Terms in any languages; at least one.
    pub terms: Vec<TermJson>,
}

/// Body of `PUT /api/v1/concepts/{id}`: the whole new content of the concept.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConceptUpdate {
    /// The version you read; when given and the concept has changed since,
    /// the update is refused with `version_conflict`.
    #[serde(default)]
    pub version: Option<u64>,
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
    /// Collection to move the concept to; when omitted it stays where it is.
    #[serde(default)]
    pub collection: Option<String>,
    /// Terms; at least one.
    pub terms: Vec<TermJson>,
}

/// A concept entry.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct ConceptJson {
    /// Concept id.
    pub id: String,
    /// Subject field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject_field: Option<String>,
    /// Definition.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub definition: Option<String>,
    /// Note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Source.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Terms in all languages.
    pub terms: Vec<TermJson>,
    /// The collection (named glossary) the concept belongs to.
    pub collection: String,
    /// Creation time, RFC 3339 UTC.
    pub created: String,
    /// Last change, RFC 3339 UTC.
    pub updated: String,
    /// Incremented on every change; send it back in updates to detect conflicts.
    pub version: u64,
}

/// One page of concepts.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct ConceptPageJson {
    /// Concepts on this page, in id order.
    pub items: Vec<ConceptJson>,
    /// Pass as `cursor` to fetch the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
    /// Number of matching concepts, when known without a full scan
    /// (unfiltered listings, and searches with `q` alone).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<u64>,
}

/// How a lookup hit matched the query.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MatchKindJson {
    /// Same text (after whitespace/Unicode clean-up). Score 1.0.
    Exact,
    /// Same after normalising case, tone-mark placement (hoà/hòa), dashes and quotes. Score 0.97.
    Normalized,
    /// Same once diacritics are removed. Score 0.80–0.94: higher when the marks typed agree.
    DiacriticInsensitive,
    /// Close by edit distance or syllable order. Score below 0.80.
    Fuzzy,
    /// The query is a run of whole syllables inside a longer term. Score 0.30–0.45.
    Partial,
}

/// One lookup hit: the best-matching term of one concept and its equivalents.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct LookupHitJson {
    /// The concept.
    pub concept_id: String,
    /// Subject field of the concept.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject_field: Option<String>,
    /// The source-language term that matched.
    pub term: TermJson,
    /// How it matched.
    pub match_kind: MatchKindJson,
    /// Score in [0, 1]; see `match_kind` for the bands.
    pub score: f64,
    /// The concept's terms in the target language (all other languages when
    /// `tgt` is omitted), preferred first.
    pub targets: Vec<TermJson>,
}

/// Result of a lookup.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct LookupResponse {
    /// The query as received.
    pub query: String,
    /// Its normalised matching key.
    pub normalized: String,
    /// Its diacritic-folded key.
    pub folded: String,
    /// Hits, best first.
    pub hits: Vec<LookupHitJson>,
}

/// Server health and glossary size.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Health {
    /// Always `ok` when the server answers.
    pub status: String,
    /// Server version.
    pub version: String,
    /// Number of concepts.
    pub concepts: u64,
    /// Number of terms (all languages).
    pub terms: u64,
    /// Translation-memory units.
    pub tm_units: u64,
    /// When the starter glossary was loaded, RFC 3339; absent if never.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seeded_at: Option<String>,
    /// Where the data lives: `sled` (a data directory) or `postgres`.
    pub store: String,
    /// The change feed of a store shared by several servers (PostgreSQL);
    /// absent for a data directory.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feed: Option<FeedJson>,
    /// True while the recognition term table is still being built after a
    /// start from the index snapshot: lookups are served, suggestions and
    /// recognition wait until it is done.
    #[serde(default)]
    pub warming: bool,
}

/// How far this server's in-memory indexes follow a shared store.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct FeedJson {
    /// Position of the last change applied to this server's indexes.
    pub applied: i64,
    /// Position of the last change committed by any server.
    pub latest: i64,
    /// Changes committed but not yet applied here (`latest - applied`).
    pub lag: i64,
}

/// Parses a language tag from a request, naming the field on error.
pub fn parse_lang(tag: &str, field: &str) -> Result<Lang, ApiError> {
    Lang::new(tag).map_err(|e| ApiError::from(e).with_field(field))
}

impl TermJson {
    fn into_domain(self, i: usize) -> Result<Term, ApiError> {
        Ok(Term {
            lang: parse_lang(&self.lang, &format!("terms[{i}].lang"))?,
            text: self.text,
            status: match self.status {
                TermStatusJson::Preferred => TermStatus::Preferred,
                TermStatusJson::Admitted => TermStatus::Admitted,
                TermStatusJson::Deprecated => TermStatus::Deprecated,
                TermStatusJson::Superseded => TermStatus::Superseded,
            },
            part_of_speech: self.part_of_speech.map(|p| match p {
                PartOfSpeechJson::Noun => PartOfSpeech::Noun,
                PartOfSpeechJson::Verb => PartOfSpeech::Verb,
                PartOfSpeechJson::Adjective => PartOfSpeech::Adjective,
                PartOfSpeechJson::Adverb => PartOfSpeech::Adverb,
                PartOfSpeechJson::Other => PartOfSpeech::Other,
            }),
            term_type: self.term_type.map(|t| match t {
                TermTypeJson::FullForm => TermType::FullForm,
                TermTypeJson::Acronym => TermType::Acronym,
                TermTypeJson::Abbreviation => TermType::Abbreviation,
                TermTypeJson::ShortForm => TermType::ShortForm,
                TermTypeJson::Variant => TermType::Variant,
                TermTypeJson::Phrase => TermType::Phrase,
            }),
            context: self.context,
            source: self.source,
            note: self.note,
        })
    }
}

impl From<&Term> for TermJson {
    fn from(t: &Term) -> Self {
        TermJson {
            lang: t.lang.to_string(),
            text: t.text.clone(),
            status: match t.status {
                TermStatus::Preferred => TermStatusJson::Preferred,
                TermStatus::Admitted => TermStatusJson::Admitted,
                TermStatus::Deprecated => TermStatusJson::Deprecated,
                TermStatus::Superseded => TermStatusJson::Superseded,
            },
            part_of_speech: t.part_of_speech.map(|p| match p {
                PartOfSpeech::Noun => PartOfSpeechJson::Noun,
                PartOfSpeech::Verb => PartOfSpeechJson::Verb,
                PartOfSpeech::Adjective => PartOfSpeechJson::Adjective,
                PartOfSpeech::Adverb => PartOfSpeechJson::Adverb,
                PartOfSpeech::Other => PartOfSpeechJson::Other,
            }),
            term_type: t.term_type.map(|k| match k {
                TermType::FullForm => TermTypeJson::FullForm,
                TermType::Acronym => TermTypeJson::Acronym,
                TermType::Abbreviation => TermTypeJson::Abbreviation,
                TermType::ShortForm => TermTypeJson::ShortForm,
                TermType::Variant => TermTypeJson::Variant,
                TermType::Phrase => TermTypeJson::Phrase,
            }),
            context: t.context.clone(),
            source: t.source.clone(),
            note: t.note.clone(),
        }
    }
}

fn terms_into_domain(terms: Vec<TermJson>) -> Result<Vec<Term>, ApiError> {
    terms.into_iter().enumerate().map(|(i, t)| t.into_domain(i)).collect()
}

impl NewConcept {
    /// Converts to a domain draft (validated later by the engine).
    pub fn into_draft(self) -> Result<ConceptDraft, ApiError> {
        let id = self.id.map(|id| ConceptId::new(&id)).transpose()?;
        Ok(ConceptDraft {
            id,
            subject_field: self.subject_field,
            definition: self.definition,
            note: self.note,
            source: self.source,
            terms: terms_into_domain(self.terms)?,
            collection: self.collection.as_deref().map(Collection::new).transpose()?,
        })
    }
}

impl ConceptUpdate {
    /// Converts to a domain draft and the expected version.
    pub fn into_draft(self) -> Result<(ConceptDraft, Option<u64>), ApiError> {
        let draft = ConceptDraft {
            id: None,
            subject_field: self.subject_field,
            definition: self.definition,
            note: self.note,
            source: self.source,
            terms: terms_into_domain(self.terms)?,
            collection: self.collection.as_deref().map(Collection::new).transpose()?,
        };
        Ok((draft, self.version))
    }
}

impl From<&Concept> for ConceptJson {
    fn from(c: &Concept) -> Self {
        ConceptJson {
            id: c.id.to_string(),
            subject_field: c.subject_field.clone(),
            definition: c.definition.clone(),
            note: c.note.clone(),
            source: c.source.clone(),
            terms: c.terms.iter().map(TermJson::from).collect(),
            collection: c.collection.to_string(),
            created: c.created.to_rfc3339(),
            updated: c.updated.to_rfc3339(),
            version: c.version,
        }
    }
}

impl From<&LookupHit> for LookupHitJson {
    fn from(h: &LookupHit) -> Self {
        LookupHitJson {
            concept_id: h.concept.to_string(),
            subject_field: h.subject_field.clone(),
            term: TermJson::from(&h.term),
            match_kind: match h.kind {
                MatchKind::Exact => MatchKindJson::Exact,
                MatchKind::Normalized => MatchKindJson::Normalized,
                MatchKind::DiacriticInsensitive => MatchKindJson::DiacriticInsensitive,
                MatchKind::Fuzzy => MatchKindJson::Fuzzy,
                MatchKind::Partial => MatchKindJson::Partial,
            },
            score: h.score,
            targets: h.targets.iter().map(TermJson::from).collect(),
        }
    }
}

/// Builds the lookup response body (shared by the HTTP route and the CLI).
pub fn lookup_response(query: &str, hits: &[LookupHit]) -> LookupResponse {
    LookupResponse {
        query: query.to_string(),
        normalized: glossary::text::normalized_key(query),
        folded: glossary::text::folded_key(query),
        hits: hits.iter().map(LookupHitJson::from).collect(),
    }
}

/// Rejects an empty required string parameter.
pub fn require_nonempty(value: &str, field: &str) -> Result<(), ApiError> {
    if value.trim().is_empty() {
        return Err(ApiError::new(ErrorCode::InvalidQuery, format!("`{field}` must not be empty")).with_field(field));
    }
    Ok(())
}

/// Listing parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Search: concepts with a term containing these whole syllables (the
    /// last one may be a prefix), diacritic- and case-insensitive.
    #[param(example = "gan ket")]
    pub q: Option<String>,
    /// Restrict to a language (BCP 47): the search looks at terms in it; a
    /// plain listing shows concepts having a term in it.
    pub lang: Option<String>,
    /// Only concepts with this subject field (case-insensitive).
    pub subject_field: Option<String>,
    /// Only concepts having a term with this status (in `lang`, when
    /// given): `deprecated` lists the concepts that have deprecated terms.
    pub status: Option<TermStatusJson>,
    /// Only concepts without any term in this language (BCP 47), e.g. `en`
    /// for the concepts that have no English yet.
    #[param(example = "en")]
    pub missing_lang: Option<String>,
    /// Only concepts changed at or after this time (RFC 3339).
    #[param(example = "2026-01-01T00:00:00Z")]
    pub updated_since: Option<String>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1–200 (default 20).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<usize>,
    /// Only these collections: one name or a comma list (`project,shared`);
    /// every collection when omitted. Unknown names match nothing.
    pub collection: Option<String>,
}

/// The version guard of a delete.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DeleteParams {
    /// Delete only if the concept is still at this version.
    pub version: Option<u64>,
}

/// Query parameters of a lookup.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct LookupParams {
    /// The term as typed: with or without diacritics, either tone-mark
    /// spelling, typos allowed. At most 500 characters.
    #[param(example = "huu nghi vi dai")]
    pub q: String,
    /// Source language (BCP 47); terms in this language and its subtags are searched.
    #[param(example = "vi")]
    pub src: String,
    /// Target language for the equivalents; all other languages when omitted.
    #[param(example = "en")]
    pub tgt: Option<String>,
    /// Most hits to return, 1–50 (default 10).
    #[param(minimum = 1, maximum = 50)]
    pub limit: Option<usize>,
    /// Only these collections: one name or a comma list (`project,shared`);
    /// every collection when omitted. Unknown names match nothing.
    #[param(example = "default")]
    pub collection: Option<String>,
}
