//! The storage seam: what a storage engine must offer the rest of the store.
//!
//! Everything persistent goes through [`Backend`]: point reads, ordered
//! prefix scans, one atomic transaction type ([`Txn`]) and a consistent
//! full visit (snapshots, content hashes, copies between stores). Records
//! live in a fixed set of named keyspaces ([`Tree`]); keys and values are
//! opaque bytes here (their encoding belongs to the typed operations of
//! `store/`). Keys compare bytewise.

/// The named keyspaces of a store. The sled backend keeps one sled tree per variant (name() is the sled tree name, unchanged from today's names so existing stores open); PostgreSQL keeps one table kv(tree smallint, k bytea, v bytea, primary key (tree, k)) keyed by code().
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Tree {
    /// Schema version, counters, seeding mark.
    Meta,
    /// Concepts by id.
    Concepts,
    /// Translation-memory units by big-endian id.
    TmUnits,
    /// Translation-memory de-duplication keys.
    TmPairs,
    /// Mining review queue, by normalised key.
    MiningCandidates,
    /// Mining candidate id → normalised key.
    MiningIds,
    /// Rejected mining candidates.
    MiningRejections,
    /// Mining runs by big-endian id.
    MiningRuns,
    /// Jobs by big-endian id.
    Jobs,
    /// Concept change history.
    History,
}

impl Tree {
    /// Every tree, in a fixed order (snapshots and visits follow it).
    pub(crate) const ALL: [Tree; 10] = [
        Tree::Meta,
        Tree::Concepts,
        Tree::TmUnits,
        Tree::TmPairs,
        Tree::MiningCandidates,
        Tree::MiningIds,
        Tree::MiningRejections,
        Tree::MiningRuns,
        Tree::Jobs,
        Tree::History,
    ];

    /// Stable on-disk name.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Tree::Meta => "meta",
            Tree::Concepts => "concepts",
            Tree::TmUnits => "tm_units",
            Tree::TmPairs => "tm_pairs",
            Tree::MiningCandidates => "mining_candidates",
            Tree::MiningIds => "mining_ids",
            Tree::MiningRejections => "mining_rejections",
            Tree::MiningRuns => "mining_runs",
            Tree::Jobs => "jobs",
            Tree::History => "history",
        }
    }

    /// Stable number, 0..=9 in [`Tree::ALL`] order.
    pub(crate) fn code(self) -> i16 {
        self as i16
    }

    /// The tree named `name`, if any.
    pub(crate) fn from_name(name: &[u8]) -> Option<Tree> {
        Tree::ALL.into_iter().find(|t| t.name().as_bytes() == name)
    }
}

/// Why a transaction body stopped.
pub(crate) enum TxError {
    /// Give up: the transaction is rolled back and the error returned.
    Abort(crate::Error),
    /// A concurrent transaction interfered: the backend runs the body again.
    Conflict,
}

impl From<crate::Error> for TxError {
    fn from(e: crate::Error) -> Self {
        TxError::Abort(e)
    }
}

/// Reads and writes inside one transaction.
pub(crate) trait Txn {
    /// The value of `key` in `tree`, as this transaction sees it.
    fn get(&mut self, tree: Tree, key: &[u8]) -> Result<Option<Vec<u8>>, TxError>;
    /// Sets `key` to `value`.
    fn insert(&mut self, tree: Tree, key: &[u8], value: &[u8]) -> Result<(), TxError>;
    /// Removes `key`; returns the value it had.
    fn remove(&mut self, tree: Tree, key: &[u8]) -> Result<Option<Vec<u8>>, TxError>;
    /// Whether concept writes in this backend keep the change log of
    /// [`super::changes`] (`write_seq` and `change.` entries in `meta`).
    /// Only a backend whose server writes the index snapshot does: the
    /// embedded store. PostgreSQL does not (one hot row every writer would
    /// update, and entries no snapshot would ever trim; it has its own
    /// ordered `changes` table and feed).
    fn keeps_change_log(&self) -> bool;
}

/// A storage engine. Keys compare bytewise (memcmp order).
pub(crate) trait Backend: Send + Sync + 'static {
    /// `"sled"` or `"postgres"`.
    fn kind(&self) -> &'static str; // "sled" | "postgres"
    /// The value of `key` in `tree`.
    fn get(&self, tree: Tree, key: &[u8]) -> crate::Result<Option<Vec<u8>>>;
    /// Up to `limit` records of `tree` whose key starts with `prefix` and is > `after` (all, when None), in key order.
    fn scan(
        &self,
        tree: Tree,
        prefix: &[u8],
        after: Option<&[u8]>,
        limit: usize,
    ) -> crate::Result<Vec<(Vec<u8>, Vec<u8>)>>;
    /// The record with the greatest key, if any.
    fn last(&self, tree: Tree) -> crate::Result<Option<(Vec<u8>, Vec<u8>)>>;
    /// Number of records in `tree`.
    fn len(&self, tree: Tree) -> crate::Result<u64>;
    /// One atomic transaction over `trees` (sled needs the list; other backends may ignore it). `body` may run more than once (on Conflict the backend retries), so it must have no side effects outside the Txn. Returns Ok only once the commit is durable (synced).
    fn transact_dyn(
        &self,
        trees: &[Tree],
        body: &mut dyn FnMut(&mut dyn Txn) -> Result<(), TxError>,
    ) -> crate::Result<()>;
    /// Calls `visit` for every record of every tree (trees in Tree::ALL order, keys in order) from ONE consistent point in time: no write half applied, every write acknowledged before the call included. For snapshots/backup, copy-store and content hashes.
    #[allow(clippy::type_complexity)]
    fn visit_all(&self, visit: &mut dyn FnMut(Tree, &[u8], &[u8]) -> crate::Result<()>) -> crate::Result<()>;
}
