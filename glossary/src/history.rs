//! Concept change history: what every concept write records (who, when,
//! the versions before and after), and the differences between two
//! versions. The records are written by the store's one concept-write path
//! (`store/concepts.rs`) in the transaction of the change, so history and
//! concepts never disagree; see `docs/history.md`.

use serde::{Deserialize, Serialize};

use crate::model::{Concept, Term, Timestamp};
use crate::text;

/// What a change did to the concept.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeAction {
    /// The concept was created (or re-created after a delete).
    Created,
    /// The concept was replaced by a new version.
    Updated,
    /// The concept was deleted.
    Deleted,
}

/// One recorded change of one concept.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// Position of the change in the concept's history (1, 2, ...).
    pub seq: u64,
    /// The concept's version after the change (for a delete, the version
    /// that was deleted).
    pub version: u64,
    /// Who made the change: an API key's name, `anonymous`, `cli`, ...
    pub actor: String,
    /// When.
    pub at: Timestamp,
    /// What it did.
    pub action: ChangeAction,
    /// The concept before the change (None for a create).
    pub before: Option<Concept>,
    /// The concept after the change (None for a delete).
    pub after: Option<Concept>,
}

impl HistoryEntry {
    /// The differences this change made.
    pub fn diff(&self) -> ConceptDiff {
        diff(self.before.as_ref(), self.after.as_ref())
    }
}

/// How one term changed between two versions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TermChangeKind {
    /// The term is new.
    Added,
    /// The term is gone.
    Removed,
    /// Same term (same language and normalised text), other attributes.
    Changed,
}

/// One term's change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TermChange {
    /// The term's language tag.
    pub lang: String,
    /// Added, removed or changed.
    pub kind: TermChangeKind,
    /// The term's text (the new one when changed).
    pub text: String,
    /// For a change: the attributes that differ (`text`, `status`,
    /// `part_of_speech`, `term_type`, `context`, `source`, `note`).
    pub attributes: Vec<&'static str>,
}

/// One concept-level field's change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldChange {
    /// `subject_field`, `definition`, `note`, `source`, or `collection`
    /// (reported only when a concept moves between collections).
    pub field: &'static str,
    /// The value before.
    pub before: Option<String>,
    /// The value after.
    pub after: Option<String>,
}

/// The differences between two versions of a concept.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConceptDiff {
    /// Concept-level fields that changed.
    pub fields: Vec<FieldChange>,
    /// Terms added, removed or changed, in language order.
    pub terms: Vec<TermChange>,
}

/// The differences from `before` to `after` (either may be absent: a
/// create adds every term, a delete removes every term).
pub fn diff(before: Option<&Concept>, after: Option<&Concept>) -> ConceptDiff {
    let mut out = ConceptDiff::default();
    let field = |c: Option<&Concept>, f: fn(&Concept) -> &Option<String>| c.and_then(|c| f(c).clone());
    type Field = fn(&Concept) -> &Option<String>;
    let fields: [(&'static str, Field); 4] = [
        ("subject_field", |c| &c.subject_field),
        ("definition", |c| &c.definition),
        ("note", |c| &c.note),
        ("source", |c| &c.source),
    ];
    for (name, get) in fields {
        let (b, a) = (field(before, get), field(after, get));
        if b != a {
            out.fields.push(FieldChange { field: name, before: b, after: a });
        }
    }
    if let (Some(b), Some(a)) = (before, after) {
        if b.collection != a.collection {
            out.fields.push(FieldChange {
                field: "collection",
                before: Some(b.collection.to_string()),
                after: Some(a.collection.to_string()),
            });
        }
    }
    let key = |t: &Term| (t.lang.as_str().to_string(), text::normalized_key(&t.text));
    let old: Vec<&Term> = before.map(|c| c.terms.iter().collect()).unwrap_or_default();
    let new: Vec<&Term> = after.map(|c| c.terms.iter().collect()).unwrap_or_default();
    let mut matched_old = vec![false; old.len()];
    for t in &new {
        match old.iter().enumerate().position(|(i, o)| !matched_old[i] && key(o) == key(t)) {
            Some(i) => {
                matched_old[i] = true;
                let attributes = changed_attributes(old[i], t);
                if !attributes.is_empty() {
                    out.terms.push(TermChange {
                        lang: t.lang.as_str().to_string(),
                        kind: TermChangeKind::Changed,
                        text: t.text.clone(),
                        attributes,
                    });
                }
            }
            None => out.terms.push(TermChange {
                lang: t.lang.as_str().to_string(),
                kind: TermChangeKind::Added,
                text: t.text.clone(),
                attributes: Vec::new(),
            }),
        }
    }
    for (i, o) in old.iter().enumerate() {
        if !matched_old[i] {
            out.terms.push(TermChange {
                lang: o.lang.as_str().to_string(),
                kind: TermChangeKind::Removed,
                text: o.text.clone(),
                attributes: Vec::new(),
            });
        }
    }
    out.terms.sort_by(|a, b| a.lang.cmp(&b.lang));
    out
}

fn changed_attributes(a: &Term, b: &Term) -> Vec<&'static str> {
    let mut out = Vec::new();
    let checks: [(&'static str, bool); 7] = [
        ("text", a.text != b.text),
        ("status", a.status != b.status),
        ("part_of_speech", a.part_of_speech != b.part_of_speech),
        ("term_type", a.term_type != b.term_type),
        ("context", a.context != b.context),
        ("source", a.source != b.source),
        ("note", a.note != b.note),
    ];
    for (name, differs) in checks {
        if differs {
            out.push(name);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_support::term;
    use crate::model::{ConceptId, TermStatus};

    fn concept(terms: Vec<Term>, note: Option<&str>) -> Concept {
        Concept {
            id: ConceptId::new("c1").unwrap(),
            subject_field: Some("diplomacy".into()),
            definition: None,
            note: note.map(str::to_string),
            source: None,
            terms,
            collection: Default::default(),
            created: Timestamp(1),
            updated: Timestamp(1),
            version: 1,
        }
    }

    /// (before terms, after terms, expected (lang, kind, text, attributes)).
    type Case = (Vec<Term>, Vec<Term>, Vec<(&'static str, TermChangeKind, &'static str, Vec<&'static str>)>);

    fn check(case: Case) {
        let (before, after, expected) = case;
        let d = diff(Some(&concept(before, None)), Some(&concept(after, None)));
        let got: Vec<_> =
            d.terms.iter().map(|t| (t.lang.as_str(), t.kind, t.text.as_str(), t.attributes.clone())).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn term_changes_per_language() {
        use TermChangeKind::*;
        let p = TermStatus::Preferred;
        let cases: Vec<Case> = vec![
            (vec![term("vi", "hòa bình", p)], vec![term("vi", "hòa bình", p)], vec![]),
            (
                vec![term("vi", "hòa bình", p)],
                vec![term("vi", "hòa bình", p), term("en", "peace", p)],
                vec![("en", Added, "peace", vec![])],
            ),
            (
                vec![term("vi", "hòa bình", p), term("en", "peace", p)],
                vec![term("vi", "hòa bình", p)],
                vec![("en", Removed, "peace", vec![])],
            ),
            (
                vec![term("en", "peace", p)],
                vec![term("en", "peace", TermStatus::Deprecated)],
                vec![("en", Changed, "peace", vec!["status"])],
            ),
            // Tone placement differs only: the same term, its text changed.
            (
                vec![term("vi", "hoà bình", p)],
                vec![term("vi", "hòa bình", p)],
                vec![("vi", Changed, "hòa bình", vec!["text"])],
            ),
            (
                vec![term("en", "peace", p)],
                vec![term("en", "harmony", p)],
                vec![("en", Added, "harmony", vec![]), ("en", Removed, "peace", vec![])],
            ),
        ];
        for case in cases {
            check(case);
        }
    }

    #[test]
    fn fields_and_whole_concepts() {
        let p = TermStatus::Preferred;
        let a = concept(vec![term("vi", "hữu nghị", p)], None);
        let b = concept(vec![term("vi", "hữu nghị", p)], Some("checked"));
        let d = diff(Some(&a), Some(&b));
        assert_eq!(d.fields, vec![FieldChange { field: "note", before: None, after: Some("checked".into()) }]);
        assert!(d.terms.is_empty());
        let created = diff(None, Some(&a));
        assert_eq!(created.terms.len(), 1);
        assert_eq!(created.terms[0].kind, TermChangeKind::Added);
        assert_eq!(created.fields.len(), 1, "subject_field appears");
        let deleted = diff(Some(&a), None);
        assert_eq!(deleted.terms[0].kind, TermChangeKind::Removed);
        let moved = Concept { collection: crate::model::Collection::new("mofa").unwrap(), ..a.clone() };
        let d = diff(Some(&a), Some(&moved));
        assert_eq!(
            d.fields,
            vec![FieldChange { field: "collection", before: Some("default".into()), after: Some("mofa".into()) }]
        );
    }
}
