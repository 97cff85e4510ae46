//! Concepts: reads, and the one concept-write path ([`write_concept`]) that
//! every writer uses (CRUD, seeding, import, mining accept and merge,
//! restore from history).

use super::{add_to_count, from_json, history, IdKind, Store, Tree, TxError, Txn, META_SEEDED};
use crate::error::{Error, RecordKind, Result};
use crate::model::{Concept, ConceptDraft, ConceptId, Timestamp};

const META_COUNT: &[u8] = b"concept_count";

/// The trees a concept write touches (list them, plus any other tree the
/// same transaction writes, in [`Store::transact`]).
pub(crate) const CONCEPT_TREES: [Tree; 3] = [Tree::Meta, Tree::Concepts, Tree::History];

/// Who makes a change, and when.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Change<'a> {
    /// The actor's name (an API key's name, `cli`, ...).
    pub actor: &'a str,
    /// The time of the change.
    pub at: Timestamp,
}

/// What a concept write expects to find stored.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Expect {
    /// No concept with this id (a create).
    Absent,
    /// A concept with this id, at this version when given.
    Present(Option<u64>),
    /// Anything (the caller checked).
    Any,
}

fn decode(v: &[u8]) -> Result<Concept> {
    from_json(v, "concept")
}

/// The concept `id` as this transaction sees it.
pub(crate) fn load(txn: &mut dyn Txn, id: &ConceptId) -> Result<Option<Concept>, TxError> {
    match txn.get(Tree::Concepts, id.as_str().as_bytes())? {
        Some(v) => Ok(Some(decode(&v)?)),
        None => Ok(None),
    }
}

/// Fails unless `old` is what `expect` says.
pub(crate) fn check_expect(id: &ConceptId, old: Option<&Concept>, expect: Expect) -> Result<()> {
    match (expect, old) {
        (Expect::Absent, Some(_)) => Err(Error::AlreadyExists { kind: RecordKind::Concept, id: id.to_string() }),
        (Expect::Present(_), None) => Err(Error::NotFound { kind: RecordKind::Concept, id: id.to_string() }),
        (Expect::Present(Some(v)), Some(old)) if v != old.version => Err(Error::VersionConflict {
            kind: RecordKind::Concept,
            id: id.to_string(),
            expected: v,
            actual: old.version,
        }),
        _ => Ok(()),
    }
}

/// The one concept-write path: reads concept `id`, checks `expect`, lets
/// `build` make the new state from the stored one (`None`: delete), then
/// stores it (JSON), keeps the concept count in step, appends the
/// change to the history and to the change log (`changes.rs`), all in the caller's transaction (which must
/// cover [`CONCEPT_TREES`]). Returns the stored state before and after.
pub(crate) fn write_concept(
    txn: &mut dyn Txn,
    id: &ConceptId,
    expect: Expect,
    change: Change<'_>,
    build: impl FnOnce(Option<&Concept>) -> Result<Option<Concept>>,
) -> Result<(Option<Concept>, Option<Concept>), TxError> {
    let old = load(txn, id)?;
    check_expect(id, old.as_ref(), expect)?;
    let new = build(old.as_ref())?;
    let key = id.as_str().as_bytes();
    match &new {
        Some(c) => {
            if c.id != *id {
                return Err(Error::Storage(format!("internal error: concept {} written under id {id}", c.id)).into());
            }
            txn.insert(Tree::Concepts, key, &super::to_json(c, "concept")?)?;
        }
        None => {
            txn.remove(Tree::Concepts, key)?;
        }
    }
    let delta = i64::from(new.is_some()) - i64::from(old.is_some());
    add_to_count(txn, META_COUNT, delta)?;
    history::append(txn, id, change, old.as_ref(), new.as_ref())?;
    super::changes::record(txn, id)?;
    Ok((old, new))
}

/// A fresh concept id inside a transaction: the next number whose `c` id no
/// client has chosen already.
pub(crate) fn next_concept_id(txn: &mut dyn Txn) -> Result<ConceptId, TxError> {
    loop {
        let id = ConceptId::generated(super::next_id(txn, IdKind::Concept)?);
        if txn.get(Tree::Concepts, id.as_str().as_bytes())?.is_none() {
            return Ok(id);
        }
    }
}

impl Store {
    /// Number of concepts.
    pub fn concept_count(&self) -> Result<u64> {
        self.counter(META_COUNT)
    }

    /// Fetches one concept.
    pub fn get(&self, id: &ConceptId) -> Result<Option<Concept>> {
        self.backend.get(Tree::Concepts, id.as_str().as_bytes())?.map(|v| decode(&v)).transpose()
    }

    /// Concepts in id order, starting after `after` (exclusive).
    pub fn iter_from(&self, after: Option<&ConceptId>) -> impl Iterator<Item = Result<Concept>> + '_ {
        let after = after.map(|id| id.as_str().as_bytes().to_vec());
        self.iter(Tree::Concepts, Vec::new(), after).map(|r| r.and_then(|(_, v)| decode(&v)))
    }

    /// Creates concepts from validated drafts in one transaction. With
    /// `mark_seeded`, also records that the starter glossary was loaded (so
    /// it is loaded once only, even if the user empties the glossary later).
    /// `actor` is recorded in each concept's history.
    pub fn create_many(&self, drafts: Vec<ConceptDraft>, mark_seeded: bool, actor: &str) -> Result<Vec<Concept>> {
        let change = Change { actor, at: Timestamp::now() };
        let now = change.at;
        // Ids are issued inside the transaction, with the records; the
        // closure may run more than once, so it starts from the drafts each time.
        let chosen: std::collections::HashSet<&ConceptId> = drafts.iter().filter_map(|d| d.id.as_ref()).collect();
        self.transact(&CONCEPT_TREES, |txn| {
            let mut concepts = Vec::with_capacity(drafts.len());
            for draft in &drafts {
                let id = match draft.id.clone() {
                    Some(id) => id,
                    // Skip numbers that a later draft of the batch asks for.
                    None => loop {
                        let id = next_concept_id(txn)?;
                        if !chosen.contains(&id) {
                            break id;
                        }
                    },
                };
                let concept = draft.clone().into_new_concept(id.clone(), now);
                let (_, new) = write_concept(txn, &id, Expect::Absent, change, |_| Ok(Some(concept)))?;
                concepts.extend(new);
            }
            if mark_seeded {
                txn.insert(Tree::Meta, META_SEEDED, &(now.0 as u64).to_be_bytes())?;
            }
            Ok(concepts)
        })
    }

    /// Replaces the editable fields and terms of concept `id`. With
    /// `expected_version`, fails with [`Error::VersionConflict`] if the
    /// concept changed since the caller read it.
    pub(crate) fn replace(
        &self,
        id: &ConceptId,
        draft: ConceptDraft,
        expected_version: Option<u64>,
        actor: &str,
    ) -> Result<Concept> {
        let change = Change { actor, at: Timestamp::now() };
        self.transact(&CONCEPT_TREES, |txn| {
            let (_, new) = write_concept(txn, id, Expect::Present(expected_version), change, |old| {
                let old = old.expect("checked present");
                Ok(Some(Concept {
                    id: old.id.clone(),
                    subject_field: draft.subject_field.clone(),
                    definition: draft.definition.clone(),
                    note: draft.note.clone(),
                    source: draft.source.clone(),
                    terms: draft.terms.clone(),
                    collection: draft.collection.clone().unwrap_or_else(|| old.collection.clone()),
                    created: old.created,
                    updated: change.at.max(old.updated),
                    version: old.version + 1,
                }))
            })?;
            Ok(new.expect("built"))
        })
    }

    /// Deletes concept `id`; returns what was deleted. Its history stays.
    pub(crate) fn delete(&self, id: &ConceptId, expected_version: Option<u64>, actor: &str) -> Result<Concept> {
        let change = Change { actor, at: Timestamp::now() };
        self.transact(&CONCEPT_TREES, |txn| {
            let (old, _) = write_concept(txn, id, Expect::Present(expected_version), change, |_| Ok(None))?;
            Ok(old.expect("checked present"))
        })
    }

    /// Writes the content of version `version` of concept `id` (from its
    /// history) as a new version. `expected_version` is the version the
    /// caller last saw: the current one, or for a deleted concept the one
    /// that was deleted.
    pub(crate) fn restore_version(
        &self,
        id: &ConceptId,
        version: u64,
        expected_version: Option<u64>,
        actor: &str,
    ) -> Result<Concept> {
        // History entries never change once written, so reading them
        // outside the transaction is safe; the transaction checks that no
        // entry was added meanwhile.
        let entries = self.history(id)?;
        if entries.is_empty() {
            return Err(Error::NotFound { kind: RecordKind::Concept, id: id.to_string() });
        }
        let seen = entries.iter().map(|e| e.seq).max().unwrap_or(0);
        let target = entries
            .iter()
            .rev()
            .find_map(|e| e.after.as_ref().filter(|c| c.version == version))
            .ok_or_else(|| Error::NotFound { kind: RecordKind::Concept, id: format!("{id} version {version}") })?
            .clone();
        let last_version = entries.last().map_or(0, |e| e.version);
        let change = Change { actor, at: Timestamp::now() };
        self.transact(&CONCEPT_TREES, |txn| {
            if history::entry_count(txn, id)? != seen {
                return Err(Error::Conflict {
                    kind: RecordKind::Concept,
                    id: id.to_string(),
                    reason: "changed while the restore was being applied; read its history again".into(),
                }
                .into());
            }
            let (_, new) = write_concept(txn, id, Expect::Any, change, |old| {
                let current = old.map_or(last_version, |c| c.version);
                if let Some(expected) = expected_version {
                    if expected != current {
                        return Err(Error::VersionConflict {
                            kind: RecordKind::Concept,
                            id: id.to_string(),
                            expected,
                            actual: current,
                        });
                    }
                }
                Ok(Some(Concept {
                    id: id.clone(),
                    created: old.map_or(target.created, |c| c.created),
                    updated: old.map_or(change.at, |c| change.at.max(c.updated)),
                    version: current + 1,
                    ..target.clone()
                }))
            })?;
            Ok(new.expect("built"))
        })
    }
}

impl Store {
    /// Writes a batch of planned concepts in one transaction: each is new
    /// (`None`: must not exist yet) or replaces the stored version given.
    /// The job record `job` is written in the same transaction, so after a
    /// crash it says exactly what is stored.
    pub(crate) fn write_import_batch(
        &self,
        writes: &[(Option<u64>, &Concept)],
        job: &crate::jobs::Job,
        actor: &str,
    ) -> Result<()> {
        let change = Change { actor, at: Timestamp::now() };
        let mut trees = CONCEPT_TREES.to_vec();
        trees.push(Tree::Jobs);
        self.transact(&trees, |txn| {
            super::jobs::put_job(txn, job)?;
            for (expected, concept) in writes {
                let expect = match expected {
                    None => Expect::Absent,
                    Some(v) => Expect::Present(Some(*v)),
                };
                write_concept(txn, &concept.id, expect, change, |_| Ok(Some((*concept).clone())))?;
            }
            Ok(())
        })
    }
}
