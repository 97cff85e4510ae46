//! Mining and review as operations of [`Glossary`]: runs store their
//! candidates in the queue; accept, reject and merge change the queue and
//! the concepts in one transaction.

use sled::transaction::{ConflictableTransactionError, TransactionalTree};
use sled::Transactional;

use crate::error::{Error, RecordKind, Result};
use crate::model::{Concept, ConceptDraft, Lang, Term, TermStatus, TermType, Timestamp};
use crate::store::{abort, add_count, check_version, decode, encode, finish, term_keys};
use crate::Glossary;

use super::queue::{
    self, from_json, to_json, AcceptRequest, CandidatePage, CandidateQuery, CandidateStatus, MergeRequest, MiningRun,
    QueueTrees, QueuedCandidate, Rejection, RunStatus, MAX_CANDIDATE_PAGE,
};
use super::{candidate_id, mine, CandidateKind, Document, MiningOptions, Progress};

/// Longest rejection reason, in characters.
const MAX_REASON_CHARS: usize = 1_000;

impl Glossary {
    fn queue(&self) -> Result<QueueTrees> {
        QueueTrees::open(&self.store.db)
    }

    /// Records a new mining run (status `running`) for `documents` and
    /// returns it; run it with [`Glossary::execute_mining_run`].
    pub fn create_mining_run(&self, documents: &[Document], options: &MiningOptions) -> Result<MiningRun> {
        let q = self.queue()?;
        let id = self.store.db.generate_id()? + 1;
        let run = MiningRun {
            id,
            status: RunStatus::Running,
            created: Timestamp::now(),
            finished: None,
            documents: documents.len(),
            bytes: documents.iter().map(|d| d.text.len()).sum(),
            top: options.top,
            stats: None,
            candidates: 0,
            new: 0,
            updated: 0,
            rejected: 0,
            results: Vec::new(),
            error: None,
        };
        q.runs.insert(id.to_be_bytes(), to_json(&run)?)?;
        self.store.flush()?;
        Ok(run)
    }

    /// Mines the documents of run `run` and stores the candidates in the
    /// queue: new ones as pending, known ones with updated counts and their
    /// review status kept. Candidates rejected earlier stay rejected. The
    /// run is marked completed (or failed, with the error) in the same
    /// transaction as the candidates.
    pub fn execute_mining_run(
        &self,
        run: u64,
        documents: &[Document],
        options: &MiningOptions,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<MiningRun> {
        let q = self.queue()?;
        let mut record = self.mining_run(run)?;
        let outcome = match mine(documents, options, progress) {
            Ok(o) => o,
            Err(e) => {
                record.status = RunStatus::Failed;
                record.finished = Some(Timestamp::now());
                record.error = Some(e.to_string());
                q.runs.insert(run.to_be_bytes(), to_json(&record)?)?;
                self.store.flush()?;
                return Err(e);
            }
        };
        let now = Timestamp::now();
        // Prepare the records outside the transaction (it may be retried).
        let mut writes: Vec<(String, QueuedCandidate, bool)> = Vec::with_capacity(outcome.candidates.len());
        let (mut new, mut updated, mut rejected) = (0, 0, 0);
        for c in outcome.candidates {
            let key = c.key.clone();
            let existing: Option<QueuedCandidate> =
                q.candidates.get(key.as_bytes())?.map(|v| from_json(&v)).transpose()?;
            let remembered = q.rejections.contains_key(key.as_bytes())?;
            let record = match existing {
                Some(mut old) => {
                    updated += 1;
                    old.candidate = c;
                    if old.last_run != run {
                        old.runs += 1;
                    }
                    old.last_run = run;
                    old.last_seen = now;
                    if remembered {
                        old.status = CandidateStatus::Rejected;
                    }
                    old
                }
                None => {
                    new += 1;
                    QueuedCandidate {
                        id: candidate_id(&key),
                        status: if remembered { CandidateStatus::Rejected } else { CandidateStatus::Pending },
                        candidate: c,
                        runs: 1,
                        last_run: run,
                        first_seen: now,
                        last_seen: now,
                        reviewed: None,
                        concept: None,
                        reason: None,
                    }
                }
            };
            rejected += usize::from(record.status == CandidateStatus::Rejected);
            writes.push((key, record, true));
        }
        record.status = RunStatus::Completed;
        record.finished = Some(now);
        record.stats = Some(outcome.stats);
        record.candidates = writes.len();
        record.new = new;
        record.updated = updated;
        record.rejected = rejected;
        record.results = writes.iter().map(|(_, c, _)| c.id.clone()).collect();
        let encoded: Vec<(String, String, Vec<u8>)> =
            writes.iter().map(|(k, c, _)| Ok((k.clone(), c.id.clone(), to_json(c)?))).collect::<Result<_>>()?;
        let run_json = to_json(&record)?;
        let res = (&q.candidates, &q.ids, &q.runs).transaction(|(tc, ti, tr)| {
            for (key, id, json) in &encoded {
                tc.insert(key.as_bytes(), json.as_slice())?;
                ti.insert(id.as_bytes(), key.as_bytes())?;
            }
            tr.insert(&run.to_be_bytes(), run_json.as_slice())?;
            Ok(())
        });
        finish::<()>(res)?;
        self.store.flush()?;
        Ok(record)
    }

    /// A mining run by id.
    pub fn mining_run(&self, id: u64) -> Result<MiningRun> {
        let q = self.queue()?;
        match q.runs.get(id.to_be_bytes())? {
            Some(v) => from_json(&v),
            None => Err(Error::NotFound { kind: RecordKind::MiningRun, id: id.to_string() }),
        }
    }

    /// A queued candidate by id or by term (any spelling with the same
    /// normalised key).
    pub fn candidate(&self, id_or_term: &str) -> Result<QueuedCandidate> {
        let q = self.queue()?;
        let key = match q.ids.get(id_or_term.as_bytes())? {
            Some(k) => k.to_vec(),
            None => crate::text::normalized_key(id_or_term).into_bytes(),
        };
        match q.candidates.get(&key)? {
            Some(v) => from_json(&v),
            None => Err(Error::NotFound { kind: RecordKind::Candidate, id: id_or_term.to_string() }),
        }
    }

    /// Lists queued candidates, filtered and sorted, one page at a time.
    /// The queue is scanned in full (it holds what reviewers can read, a
    /// few thousand candidates); the cursor is a position in the order.
    pub fn candidates(&self, query: &CandidateQuery) -> Result<CandidatePage> {
        if query.limit == 0 || query.limit > MAX_CANDIDATE_PAGE {
            return Err(Error::invalid("limit", format!("must be between 1 and {MAX_CANDIDATE_PAGE}")));
        }
        let offset: usize = match &query.cursor {
            Some(c) => c.parse().map_err(|_| Error::invalid("cursor", "use the next_cursor of the previous page"))?,
            None => 0,
        };
        let q = self.queue()?;
        let mut items = Vec::new();
        for item in q.candidates.iter() {
            let (_, v) = item?;
            let c: QueuedCandidate = from_json(&v)?;
            if query.status.is_none_or(|s| s == c.status) && c.candidate.frequency >= query.min_frequency {
                items.push(c);
            }
        }
        queue::sort(&mut items, query.sort);
        let total = items.len();
        let end = (offset + query.limit).min(total);
        let page: Vec<QueuedCandidate> = items.into_iter().skip(offset).take(query.limit).collect();
        Ok(CandidatePage { items: page, total, next_cursor: (end < total).then(|| end.to_string()) })
    }

    /// Accepts a candidate: creates a concept with the Vietnamese term (and
    /// the English one, if given) and marks the candidate accepted, in one
    /// transaction. The term's context is the candidate's first example.
    pub fn accept_candidate(&self, id: &str, request: AcceptRequest) -> Result<(QueuedCandidate, Concept)> {
        let q = self.queue()?;
        let current = self.candidate_by_id(&q, id)?;
        check_reviewable(&current, &[CandidateStatus::Pending, CandidateStatus::Rejected])?;
        let text = match &request.term {
            Some(t) => {
                if crate::text::normalized_key(t) != current.candidate.key {
                    return Err(Error::invalid(
                        "term",
                        format!("{t:?} is not a spelling of {:?}; use merge or a new concept", current.candidate.term),
                    ));
                }
                t.clone()
            }
            None => current.candidate.term.clone(),
        };
        let status = request.status.unwrap_or(TermStatus::Preferred);
        let mut terms = vec![Term {
            lang: Lang::new("vi")?,
            text,
            status,
            part_of_speech: None,
            term_type: Some(term_type(current.candidate.kind)),
            context: current.candidate.contexts.first().map(|c| c.sentence()),
            source: Some(format!("term mining, run {}", current.last_run)),
            note: None,
        }];
        if let Some(en) = request.english.filter(|e| !e.trim().is_empty()) {
            terms.push(Term {
                lang: Lang::new("en")?,
                text: en,
                status,
                part_of_speech: None,
                term_type: None,
                context: None,
                source: None,
                note: None,
            });
        }
        let draft = ConceptDraft {
            id: None,
            subject_field: request.subject_field,
            definition: None,
            note: request.note,
            source: None,
            terms,
        }
        .validate()?;
        let now = Timestamp::now();
        let concept = draft.into_new_concept(self.store.fresh_id()?, now);
        let mut updated = current.clone();
        updated.status = CandidateStatus::Accepted;
        updated.reviewed = Some(now);
        updated.concept = Some(concept.id.clone());
        updated.reason = None;
        let json = to_json(&updated)?;
        let key = current.candidate.key.clone();
        let store = &self.store;
        let res = (&store.concepts, &store.term_keys, &store.meta, &q.candidates, &q.rejections).transaction(
            |(c, k, m, tc, tr)| {
                guard_unchanged(tc, &key, &current)?;
                if c.get(concept.id.as_str())?.is_some() {
                    return abort(Error::AlreadyExists { kind: RecordKind::Concept, id: concept.id.to_string() });
                }
                c.insert(concept.id.as_str(), encode(&concept)?)?;
                for tk in term_keys(&concept) {
                    k.insert(tk, &[][..])?;
                }
                add_count(m, 1)?;
                tc.insert(key.as_bytes(), json.as_slice())?;
                tr.remove(key.as_bytes())?;
                Ok(())
            },
        );
        finish::<()>(res)?;
        self.store.flush()?;
        self.refresh(&concept.id)?;
        Ok((updated, concept))
    }

    /// Rejects a candidate; the rejection is remembered by key, so later
    /// runs do not propose it again.
    pub fn reject_candidate(&self, id: &str, reason: Option<String>) -> Result<QueuedCandidate> {
        let reason = reason.map(|r| crate::text::clean(&r)).filter(|r| !r.is_empty());
        if let Some(r) = &reason {
            if r.chars().count() > MAX_REASON_CHARS {
                return Err(Error::invalid("reason", format!("the limit is {MAX_REASON_CHARS} characters")));
            }
        }
        let q = self.queue()?;
        let current = self.candidate_by_id(&q, id)?;
        check_reviewable(&current, &[CandidateStatus::Pending, CandidateStatus::Rejected])?;
        let now = Timestamp::now();
        let mut updated = current.clone();
        updated.status = CandidateStatus::Rejected;
        updated.reviewed = Some(now);
        updated.reason = reason.clone();
        let json = to_json(&updated)?;
        let rejection = to_json(&Rejection { term: current.candidate.term.clone(), at: now, reason })?;
        let key = current.candidate.key.clone();
        let res = (&q.candidates, &q.rejections).transaction(|(tc, tr)| {
            guard_unchanged(tc, &key, &current)?;
            tc.insert(key.as_bytes(), json.as_slice())?;
            tr.insert(key.as_bytes(), rejection.as_slice())?;
            Ok(())
        });
        finish::<()>(res)?;
        self.store.flush()?;
        Ok(updated)
    }

    /// Adds the candidate to an existing concept as a Vietnamese term
    /// (status admitted unless given) and marks it merged, in one
    /// transaction.
    pub fn merge_candidate(&self, id: &str, request: MergeRequest) -> Result<(QueuedCandidate, Concept)> {
        let q = self.queue()?;
        let current = self.candidate_by_id(&q, id)?;
        check_reviewable(&current, &[CandidateStatus::Pending, CandidateStatus::Rejected])?;
        let old = self.get(&request.concept)?;
        check_version(&old, request.version)?;
        let mut terms = old.terms.clone();
        terms.push(Term {
            lang: Lang::new("vi")?,
            text: current.candidate.term.clone(),
            status: request.status.unwrap_or(TermStatus::Admitted),
            part_of_speech: None,
            term_type: Some(TermType::Variant),
            context: current.candidate.contexts.first().map(|c| c.sentence()),
            source: Some(format!("term mining, run {}", current.last_run)),
            note: None,
        });
        let draft = ConceptDraft {
            id: None,
            subject_field: old.subject_field.clone(),
            definition: old.definition.clone(),
            note: old.note.clone(),
            source: old.source.clone(),
            terms,
        }
        .validate()
        .map_err(|e| match e {
            Error::InvalidInput { reason, .. } => Error::invalid("concept", reason),
            other => other,
        })?;
        let now = Timestamp::now();
        let new =
            Concept { terms: draft.terms, updated: now.max(old.updated), version: old.version + 1, ..old.clone() };
        let mut updated = current.clone();
        updated.status = CandidateStatus::Merged;
        updated.reviewed = Some(now);
        updated.concept = Some(new.id.clone());
        updated.reason = None;
        let json = to_json(&updated)?;
        let key = current.candidate.key.clone();
        let store = &self.store;
        let res = (&store.concepts, &store.term_keys, &q.candidates, &q.rejections).transaction(|(c, k, tc, tr)| {
            guard_unchanged(tc, &key, &current)?;
            let stored: Concept = match c.get(new.id.as_str())? {
                Some(v) => decode(&v).map_err(ConflictableTransactionError::Abort)?,
                None => return abort(Error::NotFound { kind: RecordKind::Concept, id: new.id.to_string() }),
            };
            if stored.version != old.version {
                return abort(Error::VersionConflict {
                    kind: RecordKind::Concept,
                    id: new.id.to_string(),
                    expected: old.version,
                    actual: stored.version,
                });
            }
            for tk in term_keys(&stored) {
                k.remove(tk)?;
            }
            for tk in term_keys(&new) {
                k.insert(tk, &[][..])?;
            }
            c.insert(new.id.as_str(), encode(&new)?)?;
            tc.insert(key.as_bytes(), json.as_slice())?;
            tr.remove(key.as_bytes())?;
            Ok(())
        });
        finish::<()>(res)?;
        self.store.flush()?;
        self.refresh(&new.id)?;
        Ok((updated, new))
    }

    fn candidate_by_id(&self, q: &QueueTrees, id: &str) -> Result<QueuedCandidate> {
        let not_found = || Error::NotFound { kind: RecordKind::Candidate, id: id.to_string() };
        let key = q.ids.get(id.as_bytes())?.ok_or_else(not_found)?;
        from_json(&q.candidates.get(&key)?.ok_or_else(not_found)?)
    }
}

/// Refuses to review a candidate twice in a way that would duplicate or
/// contradict a concept.
fn check_reviewable(c: &QueuedCandidate, allowed: &[CandidateStatus]) -> Result<()> {
    if allowed.contains(&c.status) {
        return Ok(());
    }
    let concept = c.concept.as_ref().map(|id| format!(" (concept {id})")).unwrap_or_default();
    Err(Error::Conflict {
        kind: RecordKind::Candidate,
        id: c.id.clone(),
        reason: format!("was already {}{concept}; edit the concept instead", c.status.as_str()),
    })
}

/// Aborts the transaction if the candidate changed since it was read (a
/// concurrent review).
fn guard_unchanged(
    tc: &TransactionalTree,
    key: &str,
    read: &QueuedCandidate,
) -> std::result::Result<(), ConflictableTransactionError<Error>> {
    let now: Option<QueuedCandidate> =
        tc.get(key.as_bytes())?.map(|v| from_json(&v)).transpose().map_err(ConflictableTransactionError::Abort)?;
    match now {
        Some(c) if c.status == read.status && c.last_run == read.last_run => Ok(()),
        _ => abort(Error::Conflict {
            kind: RecordKind::Candidate,
            id: read.id.clone(),
            reason: "changed while this review was being applied; reload it".into(),
        }),
    }
}

fn term_type(kind: CandidateKind) -> TermType {
    match kind {
        CandidateKind::Acronym => TermType::Acronym,
        CandidateKind::Name => TermType::FullForm,
        CandidateKind::Phrase | CandidateKind::Formula => TermType::Phrase,
    }
}
