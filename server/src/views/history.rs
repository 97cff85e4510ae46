//! Wire types of concept history (`/api/v1/concepts/{id}/history` and
//! `/restore`), converted from `glossary::history`.

use glossary::history::{ChangeAction, ConceptDiff, HistoryEntry, TermChangeKind};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::ConceptJson;

/// What a change did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChangeActionJson {
    /// Created (or re-created by a restore after a delete).
    Created,
    /// Replaced by a new version.
    Updated,
    /// Deleted.
    Deleted,
}

impl From<ChangeAction> for ChangeActionJson {
    fn from(a: ChangeAction) -> Self {
        match a {
            ChangeAction::Created => ChangeActionJson::Created,
            ChangeAction::Updated => ChangeActionJson::Updated,
            ChangeAction::Deleted => ChangeActionJson::Deleted,
        }
    }
}

/// How a term changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TermChangeKindJson {
    /// New term.
    Added,
    /// Term gone.
    Removed,
    /// Same term (language and normalised text), other attributes.
    Changed,
}

/// One term's change.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct TermChangeJson {
    /// Language tag of the term.
    pub lang: String,
    /// Added, removed or changed.
    pub change: TermChangeKindJson,
    /// The term (its new text when changed).
    pub text: String,
    /// For `changed`: which attributes differ (`text`, `status`,
    /// `part_of_speech`, `term_type`, `context`, `source`, `note`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<String>,
}

/// One concept-level field's change.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct FieldChangeJson {
    /// `subject_field`, `definition`, `note` or `source`.
    pub field: String,
    /// Value before (absent: unset).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    /// Value after (absent: unset).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
}

/// What a change changed.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct ConceptDiffJson {
    /// Concept-level fields that changed.
    pub fields: Vec<FieldChangeJson>,
    /// Terms added, removed or changed, by language.
    pub terms: Vec<TermChangeJson>,
}

impl From<ConceptDiff> for ConceptDiffJson {
    fn from(d: ConceptDiff) -> Self {
        ConceptDiffJson {
            fields: d
                .fields
                .into_iter()
                .map(|f| FieldChangeJson { field: f.field.to_string(), before: f.before, after: f.after })
                .collect(),
            terms: d
                .terms
                .into_iter()
                .map(|t| TermChangeJson {
                    lang: t.lang,
                    change: match t.kind {
                        TermChangeKind::Added => TermChangeKindJson::Added,
                        TermChangeKind::Removed => TermChangeKindJson::Removed,
                        TermChangeKind::Changed => TermChangeKindJson::Changed,
                    },
                    text: t.text,
                    attributes: t.attributes.into_iter().map(str::to_string).collect(),
                })
                .collect(),
        }
    }
}

/// One recorded version of a concept.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct HistoryEntryJson {
    /// The concept's version after the change (for a delete: the version
    /// deleted). Pass it to `restore`.
    pub version: u64,
    /// Who: the name of the API key used (`anonymous` on a server without
    /// keys), `cli` for the command line, `starter` for the bundled glossary.
    pub actor: String,
    /// When, RFC 3339 UTC.
    pub at: String,
    /// What the change did.
    pub action: ChangeActionJson,
    /// The differences from the previous version.
    pub diff: ConceptDiffJson,
    /// The concept as this change left it (absent for a delete).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub concept: Option<ConceptJson>,
}

impl From<&HistoryEntry> for HistoryEntryJson {
    fn from(e: &HistoryEntry) -> Self {
        HistoryEntryJson {
            version: e.version,
            actor: e.actor.clone(),
            at: e.at.to_rfc3339(),
            action: e.action.into(),
            diff: e.diff().into(),
            concept: e.after.as_ref().map(ConceptJson::from),
        }
    }
}

/// The history of a concept.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct ConceptHistoryJson {
    /// The concept id.
    pub id: String,
    /// Every recorded change, newest first.
    pub items: Vec<HistoryEntryJson>,
}

/// A restore request.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RestoreRequest {
    /// The version whose content to write again (from the history).
    #[schema(minimum = 1)]
    pub version: u64,
    /// The version you last saw (the current one, or for a deleted concept
    /// the version that was deleted): the restore fails with `409
    /// version_conflict` if the concept changed since.
    #[serde(default)]
    #[schema(minimum = 1)]
    pub expected_version: Option<u64>,
}
