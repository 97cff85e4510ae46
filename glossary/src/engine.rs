//! [`Glossary`]: the handle adapters use, a facade over the features. It
//! owns the durable [`Store`] and one handle per feature (the concept
//! indexes, the translation memory, the mining queue, the anchor lexicon
//! cache, the job runner) and lends them to the feature functions it
//! calls; see ARCHITECTURE.md for who owns what and the lock order.

use std::collections::BTreeSet;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::align::tm::{StoredAlignment, TmPair};
use crate::align::{Alignment, AnchorLexicon, AnchorLexicons, WordTable};
use crate::collections::{CollectionInfo, CollectionSelection};
use crate::error::{Error, RecordKind, Result};
use crate::follow::{FeedPosition, FeedStatus, Follower, IndexCache};
use crate::formats::service::Importer;
use crate::formats::xliff::{PretranslateOptions, Pretranslated};
use crate::formats::{ExportFilter, ExportSummary, Format, ImportOptions, ImportReport};
use crate::history::HistoryEntry;
use crate::index::snapshot as index_snapshot;
use crate::index::CandidateIndex;
pub use crate::indexes::IndexStart;
use crate::indexes::{ConceptIndexes, WriteGuard};
use crate::jobs::{Job, JobHost, JobPage, JobProgress, JobQuery, JobRunner, Submitted};
use crate::lookup::{self, LookupHit, LookupQuery, QueryKeys};
use crate::mining::queue::{AcceptRequest, CandidatePage, CandidateQuery, MergeRequest, MiningRun, QueuedCandidate};
use crate::mining::{Candidate, Document, MiningOptions, MiningQueue, Progress};
use crate::model::{Collection, Concept, ConceptDraft, ConceptId, Lang, TermStatus, Timestamp};
use crate::recognize::Occurrence;
use crate::starter;
use crate::store::snapshot::{ContentHash, SnapshotInfo};
use crate::store::{Store, StoreLocation, StoreOptions};
use crate::text;
use crate::tm::concordance::{ConcordancePage, ConcordanceQuery};
use crate::tm::suggest::{RecognizedTerm, Suggester, Suggestion};
use crate::tm::Provenance;
use crate::tm::{AddOutcome, TmMatch, TmPage, TmQuery, TmUnit, TmUnitDraft, TranslationMemory};

/// The actor recorded for the starter glossary's concepts.
pub const STARTER_ACTOR: &str = "starter";

/// Most concepts one page of [`Glossary::list`] returns.
pub const MAX_PAGE_SIZE: usize = 200;

/// Page size of listings (concepts, TM units, candidates) when the caller
/// gives none.
pub const DEFAULT_PAGE_SIZE: usize = 20;

/// Concept writes after which the background thread of
/// [`Glossary::spawn_index_snapshots`] writes a new index snapshot.
pub const SNAPSHOT_EVERY_WRITES: u64 = 10_000;
/// How often that thread checks.
pub const SNAPSHOT_CHECK: std::time::Duration = std::time::Duration::from_secs(30);
/// Age after which any write makes a new snapshot due.
pub const SNAPSHOT_MAX_AGE: std::time::Duration = std::time::Duration::from_secs(600);

/// Options for [`Glossary::open`].
#[derive(Clone, Debug)]
pub struct OpenOptions {
    /// Storage tuning.
    pub store: StoreOptions,
    /// Background jobs (imports and mining runs) allowed at once (default
    /// [`crate::jobs::MAX_BACKGROUND_JOBS`]).
    pub max_background_jobs: usize,
    /// A directory where a glossary on a PostgreSQL store keeps its index
    /// snapshot (see [`crate::follow`]'s "Index cache"), to start from it
    /// and the change feed instead of rebuilding from the database. `None`
    /// (the default): always rebuild. Ignored for a data directory, which
    /// keeps its snapshot inside.
    pub index_cache: Option<PathBuf>,
}

impl Default for OpenOptions {
    fn default() -> Self {
        OpenOptions {
            store: StoreOptions::default(),
            max_background_jobs: crate::jobs::MAX_BACKGROUND_JOBS,
            index_cache: None,
        }
    }
}

/// A filtered, paginated listing request.
#[derive(Clone, Debug, Default)]
pub struct ConceptQuery {
    /// Search text: concepts with a term containing these syllables (or
    /// syllable prefix), diacritic-insensitive.
    pub q: Option<String>,
    /// Only terms in this language are searched (with `q`), or only concepts
    /// having a term in it (without `q`).
    pub lang: Option<Lang>,
    /// Only concepts with this subject field (case-insensitive).
    pub subject_field: Option<String>,
    /// Only concepts having a term with this status (in `lang`, when given):
    /// `Deprecated` lists the concepts with deprecated terms.
    pub status: Option<TermStatus>,
    /// Only concepts with no term in this language ("no English yet").
    pub missing_lang: Option<Lang>,
    /// Only concepts changed at or after this time.
    pub updated_since: Option<Timestamp>,
    /// Continue after this concept id (from a previous page's `next_cursor`).
    pub cursor: Option<ConceptId>,
    /// Page size, 1..=[`MAX_PAGE_SIZE`].
    pub limit: usize,
    /// Only concepts of these collections.
    pub collections: CollectionSelection,
}

/// One page of concepts, in id order.
#[derive(Clone, Debug)]
pub struct ConceptPage {
    /// The concepts.
    pub items: Vec<Concept>,
    /// Pass as `cursor` to get the next page; `None` on the last page.
    pub next_cursor: Option<ConceptId>,
    /// Number of matching concepts, when known without a full scan
    /// (always for unfiltered listings and for searches with `q` alone).
    pub total: Option<u64>,
}

/// Counts describing the glossary.
#[derive(Clone, Debug)]
pub struct Stats {
    /// Concepts stored.
    pub concepts: u64,
    /// Terms indexed (all languages).
    pub terms: u64,
    /// When the starter glossary was loaded, if it was.
    pub seeded_at: Option<Timestamp>,
    /// Translation-memory units stored.
    pub tm_units: u64,
}

/// The glossary: durable concept store plus lookup index.
pub struct Glossary {
    // One handle per feature, lent to the feature functions the methods
    // call (crate-visible for the crate's tests).
    pub(crate) store: Store,
    /// The lookup index and the term table (see [`crate::indexes`]).
    pub(crate) indexes: ConceptIndexes,
    /// The translation memory (records and index).
    pub(crate) tm: TranslationMemory,
    /// The mining review queue (see [`crate::mining`]).
    pub(crate) mining: MiningQueue,
    /// The last anchor lexicon built (see [`Glossary::anchor_lexicon`]).
    pub(crate) anchors: AnchorLexicons,
    /// Job records, background work and the import lock (see [`crate::jobs`]).
    pub(crate) jobs: JobRunner,
    /// The change feed of a shared (PostgreSQL) store, read from the
    /// position this glossary's indexes have caught up to.
    feed: Option<Follower>,
    /// The position of the last index snapshot written or loaded.
    pub(crate) snapshot_position: AtomicU64,
    /// Where the index snapshot is kept: the data directory, or the index
    /// cache of a PostgreSQL store; `None`: no snapshot.
    snapshot_dir: Option<PathBuf>,
}

impl Glossary {
    /// Opens the glossary in `dir` and builds the in-memory index from it.
    pub fn open(dir: &Path, options: &OpenOptions) -> Result<Glossary> {
        Ok(Self::open_reporting(dir, options)?.0)
    }

    /// [`Glossary::open`], also telling how the lookup index was built: from
    /// the persisted snapshot plus the changes after it, or from scratch.
    pub fn open_reporting(dir: &Path, options: &OpenOptions) -> Result<(Glossary, IndexStart)> {
        Glossary::open_at_reporting(&StoreLocation::Dir(dir.to_path_buf()), options)
    }

    /// Opens the glossary at `location` (a data directory or a PostgreSQL
    /// database) and builds the in-memory index from it.
    pub fn open_at(location: &StoreLocation, options: &OpenOptions) -> Result<Glossary> {
        Ok(Glossary::open_at_reporting(location, options)?.0)
    }

    /// [`Glossary::open_at`], also telling how the lookup index was built.
    /// A data directory keeps an index snapshot; a PostgreSQL store starts
    /// from one only with [`OpenOptions::index_cache`], replaying the
    /// change feed from the snapshot's position before this returns (so
    /// the first lookup already sees every change committed before the
    /// open), and is otherwise read in full.
    pub fn open_at_reporting(location: &StoreLocation, options: &OpenOptions) -> Result<(Glossary, IndexStart)> {
        let (store, feed, cache) = Follower::open(location, &options.store, options.index_cache.as_deref())?;
        let (indexes, start, snapshot_dir) = match cache {
            Some(IndexCache { dir, loaded: Ok(decoded) }) => {
                let (indexes, start) = ConceptIndexes::from_snapshot(&store, decoded, std::iter::empty())?;
                (indexes, start, Some(dir))
            }
            Some(IndexCache { dir, loaded: Err(why) }) => {
                log::info!("building the lookup index from the store ({why})");
                (ConceptIndexes::build(&store)?, IndexStart::Rebuilt(why), Some(dir))
            }
            None => {
                let (indexes, start) = ConceptIndexes::open(&store)?;
                (indexes, start, store.dir().map(Path::to_path_buf))
            }
        };
        let position = match &start {
            IndexStart::Snapshot { position, .. } => *position,
            IndexStart::Rebuilt(_) => 0,
        };
        let tm = TranslationMemory::open(&store)?;
        let owner = feed.as_ref().map(Follower::owner);
        let jobs = JobRunner::open(&store, options.max_background_jobs, owner)?;
        let mining = MiningQueue::open(&store);
        let glossary = Glossary {
            store,
            indexes,
            tm,
            mining,
            anchors: AnchorLexicons::default(),
            jobs,
            feed,
            snapshot_position: AtomicU64::new(position),
            snapshot_dir,
        };
        let live = |owner| glossary.lease_live(owner);
        glossary.mining.fail_interrupted_mining_runs(&|job| glossary.jobs.job_owner_live(job, &live))?;
        glossary.jobs.interrupt_unfinished_jobs(&live)?;
        let start = match (start, &glossary.feed) {
            // The changes other servers committed after the cached snapshot.
            (IndexStart::Snapshot { position, .. }, Some(feed)) => {
                let g = &glossary;
                let (_, replayed) = feed.apply_counting(Duration::ZERO, &g.store, &g.indexes, &g.tm, &g.mining)?;
                IndexStart::Snapshot { position, replayed }
            }
            (start, _) => start,
        };
        Ok((glossary, start))
    }

    /// Marks a concept write in flight until the guard drops; take it
    /// before the store write and keep it until the index is refreshed.
    pub(crate) fn begin_write(&self) -> WriteGuard<'_> {
        self.indexes.begin_write()
    }

    /// Writes the lookup index to its snapshot file in the data directory
    /// (see [`crate::index::snapshot`]) and trims the change log up to the
    /// snapshot's position; on PostgreSQL, to the index cache, at the
    /// change-feed position applied. Returns that position, or `None` when
    /// nothing was written: no data directory or index cache, nothing
    /// changed since the last snapshot, or a write in flight (try again
    /// later). Runs off the request path (shutdown, a background thread);
    /// readers keep reading while it encodes, writers wait for the
    /// encoding only.
    pub fn save_index_snapshot(&self) -> Result<Option<u64>> {
        let Some(dir) = self.snapshot_dir.clone() else { return Ok(None) };
        let (position, bytes) = {
            let index = self.indexes.read_index();
            // Read the position before checking for writes in flight: a
            // write counted in it committed after raising the in-flight
            // count, so if the count is 0 now its refresh is done (refreshes
            // need the index lock this holds). On PostgreSQL the feed's
            // applied position is stored after the refreshes of every
            // change up to it, so the index reflects at least that.
            let position = self.snapshot_source_position()?;
            if self.indexes.writes_in_flight() {
                return Ok(None);
            }
            if position == self.snapshot_position.load(Ordering::SeqCst) && index_snapshot::path_in(&dir).exists() {
                return Ok(None);
            }
            (position, self.indexes.encode_snapshot(&index, position))
        };
        index_snapshot::store(&dir, &bytes)?;
        self.snapshot_position.store(position, Ordering::SeqCst);
        if self.feed.is_none() {
            self.store.trim_changes(position)?;
        }
        Ok(Some(position))
    }

    /// The position an index snapshot taken now reflects: the store's
    /// write sequence, or on a shared store the change-feed position the
    /// indexes have applied.
    fn snapshot_source_position(&self) -> Result<u64> {
        match &self.feed {
            Some(feed) => Ok(u64::try_from(feed.applied()).unwrap_or(0)),
            None => self.store.write_seq(),
        }
    }

    /// Approximate heap bytes of the lookup index (see
    /// [`crate::index::TrigramIndex::approx_heap_bytes`]).
    pub fn index_heap_bytes(&self) -> usize {
        self.indexes.read_index().approx_heap_bytes()
    }

    /// Whether the recognition term table is still being built after a
    /// start from the index snapshot (lookups are served meanwhile;
    /// recognition and suggestions wait for it).
    pub fn warming(&self) -> bool {
        self.indexes.warming()
    }

    /// Concept writes since the last index snapshot (to decide when the
    /// next one is due); on PostgreSQL, change-feed rows applied since.
    pub fn writes_since_snapshot(&self) -> Result<u64> {
        Ok(self.snapshot_source_position()?.saturating_sub(self.snapshot_position.load(Ordering::SeqCst)))
    }

    /// Starts a background thread that keeps the index snapshot recent, so
    /// a server killed without a clean shutdown replays little at its next
    /// start: every [`SNAPSHOT_CHECK`] it writes one when
    /// [`SNAPSHOT_EVERY_WRITES`] concept writes have accumulated, or any
    /// have and [`SNAPSHOT_MAX_AGE`] has passed. Never on the request path;
    /// the thread ends once the glossary is dropped.
    pub fn spawn_index_snapshots(glossary: &Arc<Glossary>) -> std::io::Result<()> {
        let weak = Arc::downgrade(glossary);
        std::thread::Builder::new().name("index-snapshot".into()).spawn(move || {
            let mut last = std::time::Instant::now();
            loop {
                std::thread::sleep(SNAPSHOT_CHECK);
                let Some(g) = weak.upgrade() else { return };
                let due = match g.writes_since_snapshot() {
                    Ok(n) => n >= SNAPSHOT_EVERY_WRITES || (n > 0 && last.elapsed() >= SNAPSHOT_MAX_AGE),
                    Err(_) => false,
                };
                if due {
                    match g.save_index_snapshot() {
                        Ok(Some(position)) => {
                            last = std::time::Instant::now();
                            log::info!("index snapshot written at position {position}");
                        }
                        Ok(None) => {}
                        Err(e) => log::warn!("cannot write the index snapshot: {e}"),
                    }
                }
            }
        })?;
        Ok(())
    }

    /// Loads the bundled starter glossary if the store is empty and has
    /// never been seeded. Returns how many concepts were added.
    pub fn seed_starter_if_new(&self) -> Result<usize> {
        let _write = self.begin_write();
        if self.store.seeded_at()?.is_some() || self.store.concept_count()? > 0 {
            return Ok(0);
        }
        let created = self.store.create_many(starter::starter_drafts()?, true, STARTER_ACTOR)?;
        for c in &created {
            self.refresh(&c.id)?;
        }
        Ok(created.len())
    }

    /// Creates a concept from a draft (validated here); `actor` is recorded
    /// in its history.
    pub fn create(&self, draft: ConceptDraft, actor: &str) -> Result<Concept> {
        let _write = self.begin_write();
        let draft = draft.validate()?;
        let mut created = self.store.create_many(vec![draft], false, actor)?;
        let concept = created.pop().ok_or_else(|| Error::Storage("create returned nothing".into()))?;
        self.refresh(&concept.id)?;
        Ok(concept)
    }

    /// Replaces the editable fields and terms of concept `id`. With
    /// `expected_version`, fails with [`Error::VersionConflict`] if the
    /// concept changed since the caller read it.
    pub fn replace(
        &self,
        id: &ConceptId,
        draft: ConceptDraft,
        expected_version: Option<u64>,
        actor: &str,
    ) -> Result<Concept> {
        let draft = draft.validate()?;
        if let Some(other) = &draft.id {
            if other != id {
                return Err(Error::invalid("id", format!("the body names concept {other} but the path names {id}")));
            }
        }
        let _write = self.begin_write();
        let concept = self.store.replace(id, draft, expected_version, actor)?;
        self.refresh(id)?;
        Ok(concept)
    }

    /// Deletes concept `id` (its history stays, and it can be restored).
    pub fn delete(&self, id: &ConceptId, expected_version: Option<u64>, actor: &str) -> Result<Concept> {
        let _write = self.begin_write();
        let old = self.store.delete(id, expected_version, actor)?;
        self.refresh(id)?;
        Ok(old)
    }

    /// Adds TM units (validated here) in one transaction; identical pairs
    /// are merged, not duplicated.
    pub fn add_tm_units(&self, drafts: Vec<TmUnitDraft>) -> Result<Vec<(TmUnit, AddOutcome)>> {
        self.tm.add(drafts)
    }

    /// Fetches a TM unit.
    pub fn tm_unit(&self, id: u64) -> Result<TmUnit> {
        self.tm.unit(id)
    }

    /// Replaces a TM unit's content (keeps id, created, usage count).
    pub fn replace_tm_unit(&self, id: u64, draft: TmUnitDraft) -> Result<TmUnit> {
        self.tm.replace(id, draft)
    }

    /// Deletes a TM unit.
    pub fn delete_tm_unit(&self, id: u64) -> Result<TmUnit> {
        self.tm.delete(id)
    }

    /// Lists TM units in id order, optionally for one language pair and
    /// some collections (`total` counts every unit).
    pub fn list_tm_units(
        &self,
        src: Option<&Lang>,
        tgt: Option<&Lang>,
        collections: &CollectionSelection,
        cursor: Option<u64>,
        limit: usize,
    ) -> Result<TmPage> {
        self.tm.list(src, tgt, collections, cursor, limit)
    }

    /// Number of TM units.
    pub fn tm_count(&self) -> Result<u64> {
        self.tm.count()
    }

    /// Fuzzy TM matches for a sentence, best first.
    pub fn tm_matches(&self, query: &TmQuery) -> Result<Vec<TmMatch>> {
        self.tm.matches(query)
    }

    /// Language pairs present in the TM.
    pub fn tm_language_pairs(&self) -> Vec<(Lang, Lang)> {
        self.tm.language_pairs()
    }

    // Alignment and equivalents: `align::{lexicon, tm}`.

    /// The anchor lexicon of the glossary for a language pair (every `src`
    /// term with its concept's `tgt` terms), kept until the glossary changes.
    pub fn anchor_lexicon(&self, src: &Lang, tgt: &Lang) -> Result<Arc<AnchorLexicon>> {
        self.anchors.lexicon(self.indexes.generation(), &self.store, src, tgt)
    }

    /// Stores the links of an alignment that pair sentences with at least
    /// `min_confidence` as TM units of `collection` (`default` when `None`;
    /// one transaction), with `provenance`.
    pub fn store_alignment(
        &self,
        alignment: &Alignment,
        src: &Lang,
        tgt: &Lang,
        min_confidence: f64,
        provenance: &Provenance,
        collection: Option<&Collection>,
    ) -> Result<StoredAlignment> {
        crate::align::tm::store_alignment(&self.tm, alignment, src, tgt, min_confidence, provenance, collection)
    }

    /// The word translation table learned from the TM's pairs of a
    /// language pair (none until the TM has [`crate::align::MIN_TM_PAIRS`]
    /// units of that pair and a build has finished), and whether the caller
    /// should call [`Glossary::rebuild_tm_word_table`] off the request path
    /// because the pair's units have grown by [`crate::align::REBUILD_GROWTH`]
    /// since the last build
    /// (only one caller is told to at a time).
    pub fn tm_word_table(&self, src: &Lang, tgt: &Lang) -> (Option<Arc<WordTable>>, bool) {
        let units = self.tm.read_index().pair_len(src, tgt);
        self.anchors.word_tables.current(src, tgt, units)
    }

    /// Builds the TM word table of a language pair again (reads up to
    /// [`crate::align::MAX_TM_PAIRS`] pairs and trains; seconds on a large
    /// TM). Returns the pairs it was trained on (0: too few for a table).
    pub fn rebuild_tm_word_table(&self, src: &Lang, tgt: &Lang) -> Result<usize> {
        let units = self.tm.read_index().pair_len(src, tgt);
        self.anchors.word_tables.rebuild(&self.tm, src, tgt, units)
    }

    /// TM pairs of a language pair as evidence for the equivalents of
    /// `term` (see [`crate::align::tm::MAX_TERM_PAIRS`]).
    pub fn equivalence_pairs_from_tm(&self, term: &str, src: &Lang, tgt: &Lang) -> Result<Vec<TmPair>> {
        crate::align::tm::equivalence_pairs(&self.tm, term, src, tgt)
    }

    // Suggestions and recognition: `tm::suggest::Suggester`.

    fn suggester(&self) -> Suggester<'_> {
        Suggester { tm: &self.tm, terms: &self.indexes, store: &self.store }
    }

    /// The glossary terms occurring in a sentence, as spans with concept
    /// ids, without reading the concepts from the store (what highlighting
    /// needs); [`Glossary::recognize`] adds equivalents and warnings.
    pub fn find_terms(&self, sentence: &str, src: &Lang) -> Vec<Occurrence> {
        self.indexes.find_terms(sentence, src)
    }

    /// The glossary terms occurring in a sentence, with their equivalents in `tgt`.
    pub fn recognize(&self, sentence: &str, src: &Lang, tgt: &Lang) -> Result<Vec<RecognizedTerm>> {
        self.suggester().recognize(sentence, src, tgt, &CollectionSelection::all())
    }

    /// [`Glossary::recognize`] with the concepts of some collections only.
    pub fn recognize_in(
        &self,
        sentence: &str,
        src: &Lang,
        tgt: &Lang,
        collections: &CollectionSelection,
    ) -> Result<Vec<RecognizedTerm>> {
        self.suggester().recognize(sentence, src, tgt, collections)
    }

    /// Suggestions for one sentence: TM matches, the glossary terms it
    /// contains, and targets adapted to the sentence.
    pub fn suggest(&self, query: &TmQuery) -> Result<Suggestion> {
        self.suggester().suggest(query)
    }

    /// Units containing a phrase as whole words, with the aligned spans of
    /// the glossary's terms (see [`crate::tm::concordance`]).
    pub fn tm_concordance(&self, query: &ConcordanceQuery) -> Result<ConcordancePage> {
        crate::tm::concordance::concordance(&self.tm, &self.indexes, query)
    }

    /// Pre-translates an XLIFF 1.2 or 2.x document from the TM (see the
    /// [module docs](crate::formats::xliff)).
    pub fn pretranslate(&self, input: &[u8], options: &PretranslateOptions) -> Result<Pretranslated> {
        crate::formats::xliff::pretranslate(&self.suggester(), input, options)
    }

    // Exchange files: `formats::service` (export, import), `formats::tm_exchange` (TMX).

    /// Exports the glossary, or with [`Format::Tmx`] the translation
    /// memory (see [`crate::formats::service::export`]).
    pub fn export(&self, format: Format, filter: &ExportFilter, out: &mut dyn Write) -> Result<ExportSummary> {
        let several = match filter.collections.names() {
            Some(names) => names.len() > 1,
            None => self.indexes.collections.read().unwrap_or_else(|e| e.into_inner()).ids().counts().nth(1).is_some(),
        };
        crate::formats::service::export_shaped(&self.store, format, filter, several, out)
    }

    /// Checks, before any byte is sent, that an export can be written: a
    /// TBX 2008 export must match at least one concept.
    pub fn check_export(&self, format: Format, filter: &ExportFilter) -> Result<()> {
        crate::formats::service::check_export(&self.store, format, filter)
    }

    fn importer(&self) -> Importer<'_> {
        Importer { store: &self.store, indexes: &self.indexes, tm: &self.tm, jobs: &self.jobs }
    }

    /// Imports a file: a glossary format into the glossary, TMX into the
    /// translation memory. `open` is called twice: once for a check pass that
    /// stores nothing, then for the pass that applies the entries in
    /// batches (see [`crate::formats::service`] for matching and merging).
    ///
    /// Fails with [`Error::InvalidFile`] when the file is unreadable,
    /// unsafe, wrongly encoded, too large, or not of `format` (any TBX
    /// dialect is read for [`Format::Tbx`] and [`Format::TbxMartif`]); then
    /// nothing was stored.
    ///
    /// The import is a recorded job ([`crate::jobs`]; its id is in the
    /// report) and waits for any other import of this store to finish
    /// first. With [`ImportOptions::atomic`] the whole file is applied in
    /// one transaction (at most [`crate::formats::service::MAX_ATOMIC_ENTRIES`]
    /// entries; a larger file is refused with [`Error::InvalidInput`] before
    /// anything is stored).
    pub fn import<F, R>(&self, format: Format, options: &ImportOptions, open: F) -> Result<ImportReport>
    where
        F: FnMut() -> std::io::Result<R>,
        R: BufRead,
    {
        self.importer().import(format, options, open)
    }

    // Jobs: records, progress and background threads in `jobs::JobRunner`.

    /// A job by id, with its progress if it is running.
    pub fn job(&self, id: u64) -> Result<Job> {
        self.jobs.job(id)
    }

    /// Jobs, newest first, one page at a time.
    pub fn jobs(&self, query: &JobQuery) -> Result<JobPage> {
        self.jobs.jobs(query)
    }

    /// Progress of a mining run working in the background.
    pub fn mining_run_progress(&self, run: &MiningRun) -> Option<JobProgress> {
        self.jobs.mining_run_progress(run)
    }

    /// Imports a file (see [`Glossary::import`]) within the call when it
    /// is at most [`crate::jobs::SYNC_IMPORT_BYTES`], else on a background
    /// thread: then the job to poll is returned at once, or [`Error::Busy`]
    /// when the background jobs are full.
    pub fn submit_import<D>(
        self: &Arc<Self>,
        format: Format,
        options: ImportOptions,
        data: D,
    ) -> Result<Submitted<ImportReport, Job>>
    where
        D: AsRef<[u8]> + Send + 'static,
    {
        JobRunner::submit_import(self, format, options, data)
    }

    /// Mines documents into the review queue (see
    /// [`Glossary::execute_mining_run`]) within the call when their text
    /// is at most [`crate::jobs::SYNC_MINING_BYTES`], else on a background
    /// thread: then the run (status `running`) is returned at once, or
    /// [`Error::Busy`] when the background jobs are full. Either way the
    /// run is a job.
    pub fn submit_mining_run(
        self: &Arc<Self>,
        documents: Vec<Document>,
        options: MiningOptions,
    ) -> Result<Submitted<MiningRun>> {
        JobRunner::submit_mining_run(self, documents, options)
    }

    // Mining and review: state and rules in `mining::MiningQueue`.

    /// Records a new mining run (status `running`) for `documents` and
    /// returns it; run it with [`Glossary::execute_mining_run`].
    pub fn create_mining_run(&self, documents: &[Document], options: &MiningOptions) -> Result<MiningRun> {
        self.mining.create_mining_run(documents, options)
    }

    /// Mines the documents of run `run` and stores the candidates in the
    /// queue: new ones as pending, known ones with updated counts and their
    /// review status kept; candidates rejected earlier stay rejected. The
    /// run is marked completed (or failed, with the error) in the same
    /// transaction as the candidates.
    pub fn execute_mining_run(
        &self,
        run: u64,
        documents: &[Document],
        options: &MiningOptions,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<MiningRun> {
        self.mining.execute_mining_run(run, documents, options, progress, &|c| self.mark_known_candidates(c))
    }

    /// Marks the candidates the glossary already holds as Vietnamese terms
    /// (see [`crate::mining::KnownTerm`]).
    pub fn mark_known_candidates(&self, candidates: &mut [Candidate]) -> Result<()> {
        crate::mining::mark_known(candidates, &|kind, key, lang| self.indexes.find_by_key(kind, key, lang), &|id| {
            self.store.get(id)
        })
    }

    /// A mining run by id.
    pub fn mining_run(&self, id: u64) -> Result<MiningRun> {
        self.mining.mining_run(id)
    }

    /// A queued candidate by id or by term (any spelling with the same
    /// normalised key).
    pub fn candidate(&self, id_or_term: &str) -> Result<QueuedCandidate> {
        self.mining.candidate(id_or_term)
    }

    /// Lists queued candidates, filtered and sorted, one page at a time.
    pub fn candidates(&self, query: &CandidateQuery) -> Result<CandidatePage> {
        self.mining.candidates(query)
    }

    /// Accepts a candidate: creates a concept with the Vietnamese term (and
    /// the English one, if given) and marks the candidate accepted, in one
    /// transaction; `actor` is recorded in the concept's history.
    pub fn accept_candidate(
        &self,
        id: &str,
        request: AcceptRequest,
        actor: &str,
    ) -> Result<(QueuedCandidate, Concept)> {
        let _write = self.begin_write();
        let (candidate, concept) = self.mining.accept_candidate(id, request, actor)?;
        self.refresh(&concept.id)?;
        Ok((candidate, concept))
    }

    /// Rejects a candidate; the rejection is remembered by key, so later
    /// runs do not propose it again.
    pub fn reject_candidate(&self, id: &str, reason: Option<String>) -> Result<QueuedCandidate> {
        self.mining.reject_candidate(id, reason)
    }

    /// Adds the candidate to an existing concept as a Vietnamese term
    /// (status admitted unless given) and marks it merged, in one
    /// transaction; `actor` is recorded in the concept's history.
    pub fn merge_candidate(&self, id: &str, request: MergeRequest, actor: &str) -> Result<(QueuedCandidate, Concept)> {
        let _write = self.begin_write();
        let old = self.get(&request.concept)?;
        let (candidate, concept) = self.mining.merge_candidate(id, request, old, actor)?;
        self.refresh(&concept.id)?;
        Ok((candidate, concept))
    }

    /// Every recorded change of concept `id`, newest first; a concept that
    /// never existed is [`Error::NotFound`] (a deleted one has history).
    pub fn history(&self, id: &ConceptId) -> Result<Vec<HistoryEntry>> {
        let mut entries = self.store.history(id)?;
        if entries.is_empty() {
            return Err(Error::NotFound { kind: RecordKind::Concept, id: id.to_string() });
        }
        entries.reverse();
        Ok(entries)
    }

    /// Writes the content of version `version` of concept `id` as a new
    /// version (recorded in its history like any write). `expected_version`
    /// is the version the caller last saw (for a deleted concept, the
    /// version that was deleted).
    pub fn restore(&self, id: &ConceptId, version: u64, expected_version: Option<u64>, actor: &str) -> Result<Concept> {
        let _write = self.begin_write();
        let concept = self.store.restore_version(id, version, expected_version, actor)?;
        self.refresh(id)?;
        Ok(concept)
    }

    /// Fetches concept `id`, or [`Error::NotFound`].
    pub fn get(&self, id: &ConceptId) -> Result<Concept> {
        self.store.get(id)?.ok_or_else(|| Error::NotFound { kind: RecordKind::Concept, id: id.to_string() })
    }

    /// Lists concepts, optionally searched and filtered, one page at a time.
    pub fn list(&self, query: &ConceptQuery) -> Result<ConceptPage> {
        if query.limit == 0 || query.limit > MAX_PAGE_SIZE {
            return Err(Error::invalid("limit", format!("must be between 1 and {MAX_PAGE_SIZE}")));
        }
        let subject = query.subject_field.as_deref().map(str::to_lowercase);
        let in_lang = |t: &&crate::model::Term| query.lang.as_ref().is_none_or(|l| t.lang.matches(l));
        let keep = |c: &Concept| {
            subject.as_ref().is_none_or(|s| c.subject_field.as_deref().is_some_and(|f| f.to_lowercase() == *s))
                && query.lang.as_ref().is_none_or(|l| c.terms.iter().any(|t| t.lang.matches(l)))
                && query.status.is_none_or(|st| c.terms.iter().filter(in_lang).any(|t| t.status == st))
                && query.missing_lang.as_ref().is_none_or(|m| !c.terms.iter().any(|t| t.lang.matches(m)))
                && query.updated_since.is_none_or(|since| c.updated >= since)
                && query.collections.contains(&c.collection)
        };
        // Filters that need each concept read: no total without a full scan.
        let term_filters = query.status.is_some()
            || query.missing_lang.is_some()
            || query.updated_since.is_some()
            || !query.collections.is_all();
        let mut items = Vec::with_capacity(query.limit);
        let more;
        let total;
        match query.q.as_deref().map(text::folded_key).filter(|q| !q.is_empty()) {
            Some(fold) => {
                check_query_len(&fold)?;
                let ids: BTreeSet<ConceptId> = {
                    let index = self.indexes.read_index();
                    let keep = query.collections.filter();
                    index
                        .containing(&fold, query.lang.as_ref(), usize::MAX, &keep)
                        .into_iter()
                        .map(|t| t.concept.clone())
                        .collect()
                };
                total = (subject.is_none() && !term_filters).then_some(ids.len() as u64);
                let start = query.cursor.as_ref().map(|c| std::ops::Bound::Excluded(c.clone()));
                let range = ids.range((start.unwrap_or(std::ops::Bound::Unbounded), std::ops::Bound::Unbounded));
                let found = range.filter_map(|id| self.store.get(id).transpose());
                more = fill_page(found, &keep, query.limit, &mut items)?;
            }
            None => {
                total = (subject.is_none() && query.lang.is_none() && !term_filters)
                    .then(|| self.store.concept_count())
                    .transpose()?;
                more = fill_page(self.store.iter_from(query.cursor.as_ref()), &keep, query.limit, &mut items)?;
            }
        }
        let next_cursor = if more { items.last().map(|c| c.id.clone()) } else { None };
        Ok(ConceptPage { items, next_cursor, total })
    }

    /// Ranked lookup of a term (see [`crate::lookup`] for the scoring).
    pub fn lookup(&self, query: &LookupQuery) -> Result<Vec<LookupHit>> {
        if query.limit == 0 || query.limit > lookup::MAX_LIMIT {
            return Err(Error::invalid("limit", format!("must be between 1 and {}", lookup::MAX_LIMIT)));
        }
        check_query_len(&query.text)?;
        let q = QueryKeys::new(&query.text);
        if q.fold.is_empty() {
            return Err(Error::invalid("q", "the query is empty"));
        }
        // Ranked on the index's own copy of the terms; only the concepts of
        // the final hits are read from the store.
        let keep = query.collections.filter();
        let ranked = lookup::rank(&*self.indexes.read_index(), &q, &query.src, query.limit, &keep);
        let mut hits = Vec::with_capacity(ranked.len().min(query.limit));
        for lookup::RankedTerm { concept: id, kind, score, term: n } in ranked {
            if hits.len() == query.limit {
                break;
            }
            // A concept changed or deleted since the index was read is skipped.
            let Some(concept) = self.store.get(&id)? else { continue };
            let Some(term) = concept.terms.get(n as usize).cloned() else { continue };
            let targets = match &query.tgt {
                Some(tgt) => concept.terms_in(tgt).into_iter().cloned().collect(),
                None => {
                    let mut v: Vec<_> = concept.terms.iter().filter(|t| !t.lang.matches(&query.src)).cloned().collect();
                    v.sort_by_key(|t| t.status.rank());
                    v
                }
            };
            hits.push(LookupHit {
                concept: id,
                subject_field: concept.subject_field.clone(),
                term,
                kind,
                score: (score * 1000.0).round() / 1000.0,
                targets,
            });
        }
        Ok(hits)
    }

    /// Counts.
    pub fn stats(&self) -> Result<Stats> {
        Ok(Stats {
            concepts: self.store.concept_count()?,
            terms: self.indexes.read_index().len() as u64,
            seeded_at: self.store.seeded_at()?,
            tm_units: self.tm.count()?,
        })
    }

    /// Takes a consistent snapshot of the whole store while writes go on
    /// (they wait only while the trees are copied into a temporary file).
    /// Returns the file, rewound, and what it holds. See
    /// [`crate::store::snapshot::snapshot_to_temp`].
    pub fn snapshot(&self) -> Result<(std::fs::File, SnapshotInfo)> {
        crate::store::snapshot::snapshot_to_temp(&self.store)
    }

    /// The content hash of the whole store (see
    /// [`crate::store::snapshot::content_hash`]).
    pub fn content_hash(&self) -> Result<ContentHash> {
        crate::store::snapshot::content_hash(&self.store)
    }

    /// The collections holding concepts or TM units (and always `default`),
    /// by name, with their counts: read from the in-memory indexes, no
    /// store scan.
    pub fn collections(&self) -> Vec<CollectionInfo> {
        let concepts = self.indexes.collections.read().unwrap_or_else(|e| e.into_inner());
        let tm = self.tm.read_index();
        crate::collections::merge_counts(concepts.ids().counts(), tm.collections().counts())
    }

    /// Syncs all writes to disk (every write already does) and writes the
    /// index snapshot, so the next start loads it: call at shutdown.
    pub fn flush(&self) -> Result<()> {
        self.store.flush()?;
        self.save_index_snapshot()?;
        Ok(())
    }

    /// The store's backend: `"sled"` or `"postgres"`.
    pub fn store_kind(&self) -> &'static str {
        self.store.backend_kind()
    }

    /// Whether other servers may write to this glossary's store (a
    /// PostgreSQL store): then [`Glossary::apply_changes`] must run in a
    /// loop to keep the in-memory indexes in step.
    pub fn follows_changes(&self) -> bool {
        self.feed.is_some()
    }

    /// Waits up to `timeout` for writes committed through the shared
    /// store (by any server, this one included), then brings the lookup
    /// index, the term table and the TM index in line with every change
    /// after the last position applied. Returns the position reached, or
    /// `None` for a store no other server writes to. One caller at a time
    /// does the work; others wait for it.
    pub fn apply_changes(&self, timeout: Duration) -> Result<Option<FeedPosition>> {
        self.feed
            .as_ref()
            .map(|f| f.apply_changes(timeout, &self.store, &self.indexes, &self.tm, &self.mining))
            .transpose()
    }

    /// Whether lease `owner` (a server sharing this glossary's store) is
    /// live; `false` for a store no other server shares.
    pub(crate) fn lease_live(&self, owner: i32) -> Result<bool> {
        self.feed.as_ref().map_or(Ok(false), |f| f.lease_live(owner))
    }

    /// The feed position the indexes have caught up to and the latest one
    /// in the store; `None` without a feed.
    pub fn feed_status(&self) -> Result<Option<FeedStatus>> {
        self.feed.as_ref().map(Follower::status).transpose()
    }

    /// Brings the indexes in line with the store for concept `id`.
    pub(crate) fn refresh(&self, id: &ConceptId) -> Result<()> {
        self.indexes.refresh(&self.store, id)
    }
}

impl JobHost for Glossary {
    fn runner(&self) -> &JobRunner {
        &self.jobs
    }

    fn importer(&self) -> Importer<'_> {
        Glossary::importer(self)
    }

    fn mining_queue(&self) -> &MiningQueue {
        &self.mining
    }

    fn mark_known(&self, candidates: &mut [Candidate]) -> Result<()> {
        self.mark_known_candidates(candidates)
    }
}

/// Moves concepts that pass `keep` into `items` until it holds `limit`;
/// returns whether more would have followed.
fn fill_page(
    concepts: impl Iterator<Item = Result<Concept>>,
    keep: &impl Fn(&Concept) -> bool,
    limit: usize,
    items: &mut Vec<Concept>,
) -> Result<bool> {
    for c in concepts {
        let c = c?;
        if !keep(&c) {
            continue;
        }
        if items.len() == limit {
            return Ok(true);
        }
        items.push(c);
    }
    Ok(false)
}

fn check_query_len(q: &str) -> Result<()> {
    let n = q.chars().count();
    if n > lookup::MAX_QUERY_CHARS {
        return Err(Error::invalid("q", format!("is {n} characters long; the limit is {}", lookup::MAX_QUERY_CHARS)));
    }
    Ok(())
}
