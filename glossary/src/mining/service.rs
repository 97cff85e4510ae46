//! Mining and review: [`MiningQueue`] owns the review queue's state (its
//! records, the generation and the remembered listing order); runs store
//! their candidates in the queue; accept, reject and merge change the queue
//! and the concept in one transaction. What it needs of the rest of the
//! glossary (known terms, the concept a merge extends) comes in as
//! arguments; [`crate::Glossary`]'s mining methods call these and refresh
//! the lookup index after a concept write.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use crate::error::{Error, RecordKind, Result};
use crate::index::{KeyKind, TermRef};
use crate::model::{Concept, ConceptDraft, ConceptId, Lang, Term, TermStatus, TermType, Timestamp};
use crate::store::concepts::{check_expect, Change, Expect};
use crate::store::mining::QueueStore;
use crate::store::Store;

use super::queue::{
    self, AcceptRequest, CandidatePage, CandidateQuery, CandidateStatus, ListingCache, MergeRequest, MiningRun,
    QueuedCandidate, Rejection, RunStatus, MAX_CANDIDATE_PAGE,
};
use super::{candidate_id, mine, CandidateKind, Document, MiningOptions, Progress};

/// The error of a run that a restart interrupted.
pub(crate) const INTERRUPTED: &str =
    "interrupted: the server stopped before the run finished; nothing was stored, submit the documents again";

/// Longest rejection reason, in characters.
const MAX_REASON_CHARS: usize = 1_000;

/// The review queue's state.
pub(crate) struct MiningQueue {
    records: QueueStore,
    /// Bumped after every write to the queue.
    generation: AtomicU64,
    /// The order of the last candidate listing.
    listing: Mutex<Option<ListingCache>>,
}

/// Finds the terms with a given key (the lookup index's `find_by_key`).
pub(crate) type FindByKey<'a> = &'a dyn Fn(KeyKind, &str, Option<&Lang>) -> Result<Vec<TermRef>>;
/// Reads one concept.
pub(crate) type GetConcept<'a> = &'a dyn Fn(&ConceptId) -> Result<Option<Concept>>;

/// Marks the candidates the glossary already holds as Vietnamese terms
/// ([`super::KnownTerm`]): a term with the same normalised key is the
/// term itself; one with the same letters but other diacritics makes the
/// candidate a new spelling of that concept's term. Formulas are checked
/// like terms.
pub(crate) fn mark_known(candidates: &mut [super::Candidate], find: FindByKey<'_>, get: GetConcept<'_>) -> Result<()> {
    let vi = Lang::new("vi").expect("valid tag");
    for c in candidates.iter_mut() {
        c.known = None;
        let exact = find(KeyKind::Normalized, &c.key, Some(&vi))?;
        let (refs, variant) = if exact.is_empty() {
            let folded = crate::text::folded_key(&c.term);
            (find(KeyKind::Folded, &folded, Some(&vi))?, true)
        } else {
            (exact, false)
        };
        let Some(found) = refs.into_iter().min_by(|a, b| a.concept.as_str().cmp(b.concept.as_str())) else {
            continue;
        };
        let Some(concept) = get(&found.concept)? else { continue };
        let Some(term) = concept.terms.get(found.term as usize) else { continue };
        c.known = Some(super::KnownTerm { concept: found.concept, term: term.text.clone(), variant });
    }
    Ok(())
}

impl MiningQueue {
    /// The queue of `store`.
    pub(crate) fn open(store: &Store) -> MiningQueue {
        MiningQueue { records: QueueStore::open(store), generation: AtomicU64::new(0), listing: Mutex::new(None) }
    }

    fn queue(&self) -> Result<&QueueStore> {
        Ok(&self.records)
    }

    /// Records a new mining run (status `running`) for `documents` and
    /// returns it; run it with [`crate::Glossary::execute_mining_run`].
    pub(crate) fn create_mining_run(&self, documents: &[Document], options: &MiningOptions) -> Result<MiningRun> {
        self.create_mining_run_for(documents, options, None)
    }

    /// [`crate::Glossary::create_mining_run`] for the job `job`.
    pub(crate) fn create_mining_run_for(
        &self,
        documents: &[Document],
        options: &MiningOptions,
        job: Option<u64>,
    ) -> Result<MiningRun> {
        let q = self.queue()?;
        let draft = MiningRun {
            id: 0,
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
            job,
        };
        // The run's number and its record commit together.
        q.create_run(&draft)
    }

    /// Marks the runs a previous process left `running` (it stopped or was
    /// killed mid-run) as failed, so that clients polling them learn to
    /// submit again instead of waiting for ever. Called when the glossary
    /// is opened. A data directory belongs to one process at a time; on a
    /// shared store, a run whose job `live` says belongs to a live server
    /// is left alone. Returns how many runs were marked.
    pub(crate) fn fail_interrupted_mining_runs(&self, live: &dyn Fn(u64) -> Result<bool>) -> Result<usize> {
        let q = self.queue()?;
        let mut marked = 0;
        let running: Vec<MiningRun> =
            q.runs().filter(|r| r.as_ref().map_or(true, |r| r.status == RunStatus::Running)).collect::<Result<_>>()?;
        for mut run in running {
            if run.status != RunStatus::Running || run.job.map(live).transpose()?.unwrap_or(false) {
                continue;
            }
            run.status = RunStatus::Failed;
            run.finished = Some(Timestamp::now());
            run.error = Some(INTERRUPTED.to_string());
            q.save_run(&run)?;
            marked += 1;
        }
        Ok(marked)
    }

    /// Mines the documents of run `run` and stores the candidates in the
    /// queue: new ones as pending, known ones with updated counts and their
    /// review status kept. Candidates rejected earlier stay rejected. The
    /// run is marked completed (or failed, with the error) in the same
    /// transaction as the candidates.
    pub(crate) fn execute_mining_run(
        &self,
        run: u64,
        documents: &[Document],
        options: &MiningOptions,
        progress: &mut dyn FnMut(Progress),
        mark_known: &dyn Fn(&mut [super::Candidate]) -> Result<()>,
    ) -> Result<MiningRun> {
        let q = self.queue()?;
        let mut record = self.mining_run(run)?;
        let outcome = match mine(documents, options, progress) {
            Ok(o) => o,
            Err(e) => {
                record.status = RunStatus::Failed;
                record.finished = Some(Timestamp::now());
                record.error = Some(e.to_string());
                q.save_run(&record)?;
                return Err(e);
            }
        };
        let mut outcome = outcome;
        mark_known(&mut outcome.candidates)?;
        let now = Timestamp::now();
        // Prepare the records outside the transaction (it may be retried).
        let mut writes: Vec<(String, QueuedCandidate, bool)> = Vec::with_capacity(outcome.candidates.len());
        let (mut new, mut updated, mut rejected) = (0, 0, 0);
        for c in outcome.candidates {
            let key = c.key.clone();
            let existing = q.candidate(key.as_bytes())?;
            let remembered = q.is_rejected(key.as_bytes())?;
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
            let mut record = record;
            if let Some(known) = record.candidate.known.as_ref().filter(|k| !k.variant) {
                // Already in the glossary: recorded, not offered for review.
                if record.status == CandidateStatus::Pending {
                    record.status = CandidateStatus::Known;
                    record.concept = Some(known.concept.clone());
                }
            }
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
        let writes: Vec<(String, QueuedCandidate)> = writes.into_iter().map(|(k, c, _)| (k, c)).collect();
        let res = q.store_run_results(&writes, &record);
        self.finish_queue_write(res)?;
        Ok(record)
    }

    /// A mining run by id.
    pub(crate) fn mining_run(&self, id: u64) -> Result<MiningRun> {
        let q = self.queue()?;
        match q.run(id)? {
            Some(run) => Ok(run),
            None => Err(Error::NotFound { kind: RecordKind::MiningRun, id: id.to_string() }),
        }
    }

    /// A queued candidate by id or by term (any spelling with the same
    /// normalised key).
    pub(crate) fn candidate(&self, id_or_term: &str) -> Result<QueuedCandidate> {
        let q = self.queue()?;
        let key = match q.key_of_id(id_or_term)? {
            Some(k) => k,
            None => crate::text::normalized_key(id_or_term).into_bytes(),
        };
        match q.candidate(&key)? {
            Some(c) => Ok(c),
            None => Err(Error::NotFound { kind: RecordKind::Candidate, id: id_or_term.to_string() }),
        }
    }

    /// Lists queued candidates, filtered and sorted, one page at a time;
    /// the cursor is a position in the order. The first page scans the
    /// queue and remembers the order of the matching keys; the following
    /// pages of the same listing decode only their own records, until the
    /// queue changes.
    pub(crate) fn candidates(&self, query: &CandidateQuery) -> Result<CandidatePage> {
        if query.limit == 0 || query.limit > MAX_CANDIDATE_PAGE {
            return Err(Error::invalid("limit", format!("must be between 1 and {MAX_CANDIDATE_PAGE}")));
        }
        let offset: usize = match &query.cursor {
            Some(c) => c.parse().map_err(|_| Error::invalid("cursor", "use the next_cursor of the previous page"))?,
            None => 0,
        };
        let q = self.queue()?;
        let mut cache = self.listing.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let generation = self.generation.load(Ordering::Acquire);
        let fresh = cache.as_ref().is_some_and(|c| {
            c.generation == generation
                && c.status == query.status
                && c.min_frequency == query.min_frequency
                && c.sort == query.sort
        });
        let mut first_page = None;
        if !fresh {
            let mut items = Vec::new();
            for item in q.candidates() {
                let (key, c) = item?;
                if query.status.is_none_or(|s| s == c.status) && c.candidate.frequency >= query.min_frequency {
                    items.push((key, c));
                }
            }
            queue::sort_by_candidate(&mut items, query.sort, |(_, c)| c);
            let keys = items.iter().map(|(k, _)| k.clone()).collect();
            first_page = Some(items.into_iter().skip(offset).take(query.limit).map(|(_, c)| c).collect::<Vec<_>>());
            *cache = Some(ListingCache {
                generation,
                status: query.status,
                min_frequency: query.min_frequency,
                sort: query.sort,
                keys,
            });
        }
        let listing = cache.as_ref().expect("filled above");
        let total = listing.keys.len();
        let page = match first_page {
            Some(page) => page,
            None => {
                let mut page = Vec::with_capacity(query.limit);
                for key in listing.keys.iter().skip(offset).take(query.limit) {
                    if let Some(c) = q.candidate(key)? {
                        page.push(c);
                    }
                }
                page
            }
        };
        let end = (offset + query.limit).min(total);
        Ok(CandidatePage { items: page, total, next_cursor: (end < total).then(|| end.to_string()) })
    }

    /// Forgets the remembered listing order: another server changed the
    /// queue (a shared store's change feed).
    pub(crate) fn queue_changed_elsewhere(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    /// Ends a transaction on the queue trees (made with
    /// [`crate::store::Store::transact`], so already flushed if it
    /// committed): invalidates the remembered listing order whether or not
    /// it committed, then reports the transaction's outcome.
    fn finish_queue_write(&self, res: Result<()>) -> Result<()> {
        self.generation.fetch_add(1, Ordering::AcqRel);
        res
    }

    /// Accepts a candidate: creates a concept with the Vietnamese term (and
    /// the English one, if given) and marks the candidate accepted, in one
    /// transaction. The term's context is the candidate's first example.
    pub(crate) fn accept_candidate(
        &self,
        id: &str,
        request: AcceptRequest,
        actor: &str,
    ) -> Result<(QueuedCandidate, Concept)> {
        let q = self.queue()?;
        let current = self.candidate_by_id(q, id)?;
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
            collection: request.collection,
        }
        .validate()?;
        let now = Timestamp::now();
        let concept = draft.into_new_concept(self.records.fresh_concept_id()?, now);
        let mut updated = current.clone();
        updated.status = CandidateStatus::Accepted;
        updated.reviewed = Some(now);
        updated.concept = Some(concept.id.clone());
        updated.reason = None;
        let res = q.review_into_concept(&current, &updated, &concept, None, Change { actor, at: now });
        self.finish_queue_write(res)?;
        Ok((updated, concept))
    }

    /// Rejects a candidate; the rejection is remembered by key, so later
    /// runs do not propose it again.
    pub(crate) fn reject_candidate(&self, id: &str, reason: Option<String>) -> Result<QueuedCandidate> {
        let reason = reason.map(|r| crate::text::clean(&r)).filter(|r| !r.is_empty());
        if let Some(r) = &reason {
            if r.chars().count() > MAX_REASON_CHARS {
                return Err(Error::invalid("reason", format!("the limit is {MAX_REASON_CHARS} characters")));
            }
        }
        let q = self.queue()?;
        let current = self.candidate_by_id(q, id)?;
        check_reviewable(&current, &[CandidateStatus::Pending, CandidateStatus::Rejected])?;
        let now = Timestamp::now();
        let mut updated = current.clone();
        updated.status = CandidateStatus::Rejected;
        updated.reviewed = Some(now);
        updated.reason = reason.clone();
        let rejection = Rejection { term: current.candidate.term.clone(), at: now, reason };
        let res = q.reject(&current, &updated, &rejection);
        self.finish_queue_write(res)?;
        Ok(updated)
    }

    /// Adds the candidate to an existing concept as a Vietnamese term
    /// (status admitted unless given) and marks it merged, in one
    /// transaction.
    /// `old` is the concept named by the request, as stored.
    pub(crate) fn merge_candidate(
        &self,
        id: &str,
        request: MergeRequest,
        old: Concept,
        actor: &str,
    ) -> Result<(QueuedCandidate, Concept)> {
        let q = self.queue()?;
        let current = self.candidate_by_id(q, id)?;
        check_reviewable(&current, &[CandidateStatus::Pending, CandidateStatus::Rejected])?;
        check_expect(&old.id, Some(&old), Expect::Present(request.version))?;
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
            collection: Some(old.collection.clone()),
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
        let res = q.review_into_concept(&current, &updated, &new, Some(old.version), Change { actor, at: now });
        self.finish_queue_write(res)?;
        Ok((updated, new))
    }

    fn candidate_by_id(&self, q: &QueueStore, id: &str) -> Result<QueuedCandidate> {
        let not_found = || Error::NotFound { kind: RecordKind::Candidate, id: id.to_string() };
        let key = q.key_of_id(id)?.ok_or_else(not_found)?;
        q.candidate(&key)?.ok_or_else(not_found)
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

fn term_type(kind: CandidateKind) -> TermType {
    match kind {
        CandidateKind::Acronym => TermType::Acronym,
        CandidateKind::Name => TermType::FullForm,
        CandidateKind::Phrase | CandidateKind::Formula => TermType::Phrase,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Glossary, OpenOptions};

    #[test]
    fn runs_interrupted_by_a_restart_are_failed_on_open() {
        let dir = tempfile::tempdir().unwrap();
        let docs = vec![Document { id: None, title: None, text: "Hai bên ký kết hiệp định.".into() }];
        let (running, done) = {
            let g = Glossary::open(dir.path(), &OpenOptions::default()).unwrap();
            let running = g.create_mining_run(&docs, &MiningOptions::default()).unwrap();
            let done = g.create_mining_run(&docs, &MiningOptions::default()).unwrap();
            g.execute_mining_run(done.id, &docs, &MiningOptions::default(), &mut |_| {}).unwrap();
            (running.id, done.id)
        };
        let g = Glossary::open(dir.path(), &OpenOptions::default()).unwrap();
        let run = g.mining_run(running).unwrap();
        assert_eq!(run.status, RunStatus::Failed);
        assert_eq!(run.error.as_deref(), Some(INTERRUPTED));
        assert!(run.finished.is_some());
        assert_eq!(g.mining_run(done).unwrap().status, RunStatus::Completed, "finished runs are left alone");
    }

    #[test]
    fn pages_follow_the_queue_as_it_changes() {
        let dir = tempfile::tempdir().unwrap();
        let g = Glossary::open(dir.path(), &OpenOptions::default()).unwrap();
        let text =
            "Hai bên thúc đẩy hợp tác toàn diện và hành lang kinh tế. Hợp tác toàn diện mở ra hành lang kinh tế. \
                    Hành lang kinh tế nối cảng biển quốc tế. Cảng biển quốc tế phục vụ hợp tác toàn diện.";
        let docs = vec![Document { id: None, title: None, text: text.into() }];
        let run = g.create_mining_run(&docs, &MiningOptions::default()).unwrap();
        g.execute_mining_run(run.id, &docs, &MiningOptions::default(), &mut |_| {}).unwrap();
        let query = |cursor: Option<String>| CandidateQuery { limit: 1, cursor, ..CandidateQuery::default() };
        let all: Vec<String> = {
            let page = g.candidates(&CandidateQuery { limit: 100, ..CandidateQuery::default() }).unwrap();
            page.items.iter().map(|c| c.candidate.term.clone()).collect()
        };
        assert!(all.len() >= 3, "{all:?}");
        // Page by page (the later pages come from the remembered order).
        let (mut seen, mut cursor) = (Vec::new(), None);
        loop {
            let page = g.candidates(&query(cursor)).unwrap();
            assert_eq!(page.total, all.len());
            seen.extend(page.items.iter().map(|c| c.candidate.term.clone()));
            match page.next_cursor {
                Some(c) => cursor = Some(c),
                None => break,
            }
        }
        assert_eq!(seen, all);
        // A review changes the next page of the same listing.
        let first = g.candidates(&query(None)).unwrap().items.remove(0);
        g.reject_candidate(&first.id, None).unwrap();
        let page = g.candidates(&query(Some("0".into()))).unwrap();
        assert_eq!(page.total, all.len() - 1);
        assert_ne!(page.items[0].id, first.id, "the rejected candidate left the pending listing");
    }
}
