//! The PostgreSQL backend: the store's keyspaces as rows of one table.
//!
//! # Layout
//! `kv(tree smallint, k bytea, v bytea, primary key (tree, k))` holds every
//! record; `tree` is [`Tree::code`], keys and values are the bytes the sled
//! backend keeps, and bytea compares bytewise, so range scans see the
//! same order. `changes(seq bigserial, tree, k)` gets one row per key a
//! transaction inserted or removed, in that transaction: the change feed
//! replicas read (see [`PgBackend::changes_after`]).
//!
//! # Schema migrations
//! The files of `glossary/migrations/` (embedded in [`MIGRATIONS`]) are
//! applied in order at open, in one transaction holding an advisory lock
//! (so servers started together do not race), and recorded in
//! `schema_migrations(version, name, applied_at)`. A database that records
//! a version this build does not know was written by a newer build and is
//! refused.
//!
//! # Transactions
//! Every [`Backend::transact_dyn`] runs SERIALIZABLE: PostgreSQL aborts one
//! of two transactions whose reads and writes overlap (SQLSTATE 40001, or a
//! deadlock, 40P01), and the body runs again on a fresh snapshot. That is
//! what keeps read-check-write sequences (optimistic `version` checks, id
//! counters) correct across several servers sharing the database. Writes
//! are buffered in the transaction (later reads see them) and sent at the
//! end in three statements whatever their number. The commit returns after
//! PostgreSQL has flushed its WAL (`synchronous_commit` on, the default),
//! so an acknowledged write survives a crash of either process.
//!
//! Before its final writes, a transaction that changes something takes an
//! exclusive transaction-level advisory lock ([`FEED_LOCK`]), held until
//! commit: `changes.seq` values are then issued in commit order, so a
//! reader that has seen `seq` N has seen every change committed before N's.
//! This serialises only the last step of writing transactions (the
//! statements and the commit), not their reads.
//!
//! # Connections
//! A small pool of synchronous `postgres` clients: at most
//! [`MAX_CONNECTIONS`] open at once (callers wait for a free one), closed
//! connections are dropped and replaced, so the store survives a restart
//! of PostgreSQL (requests in flight at that moment fail).

use std::collections::BTreeMap;
use std::sync::{Condvar, Mutex, PoisonError};
use std::time::Duration;

use postgres::error::SqlState;
use postgres::{Client, IsolationLevel, NoTls, Transaction};

use super::backend::{Backend, Tree, TxError, Txn};
use crate::error::{Error, Result};

/// Schema migrations in order: (version, name, SQL).
pub const MIGRATIONS: &[(i32, &str, &str)] = &[
    (1, "0001_kv", include_str!("../../migrations/0001_kv.sql")),
    (2, "0002_changes", include_str!("../../migrations/0002_changes.sql")),
    (3, "0003_replicas", include_str!("../../migrations/0003_replicas.sql")),
    (4, "0004_store_identity", include_str!("../../migrations/0004_store_identity.sql")),
];

/// Most connections one store holds open.
pub const MAX_CONNECTIONS: usize = 16;

/// Advisory lock key serialising migrations ("glossary" in ASCII, high bits).
const MIGRATION_LOCK: i64 = 0x676c_6f73_7361_7279;
/// Advisory lock key held by writing transactions from their final writes
/// to their commit, so `changes.seq` follows commit order.
pub const FEED_LOCK: i64 = MIGRATION_LOCK + 1;
/// Advisory lock key taken (try-lock) by whoever prunes `changes`, and by
/// a server registering its start position, so neither sees the other half
/// done.
const PRUNE_LOCK: i64 = MIGRATION_LOCK + 2;
/// First key of the two-key advisory locks a live server holds on its
/// lease connection (the second is its lease id); the two-key form cannot
/// clash with the one-key locks above.
const LEASE_CLASS: i32 = 0x676c_6f73;
/// Channel notified (in the writing transaction) when `changes` grows.
pub const FEED_CHANNEL: &str = "glossary_changes";

/// How many times a transaction body runs before a serialization failure
/// is reported as an error.
const MAX_ATTEMPTS: u32 = 64;
/// The pause before retrying a transaction after its `attempt`-th
/// serialization failure: uniform in 0..=min(2^attempt, 64) ms ("full
/// jitter"). The randomness mixes the thread, the clock and the attempt, so
/// threads of one process that collided do not retry in lockstep (a pause
/// derived from the process id alone was the same for all of them).
fn retry_pause(attempt: u32) -> Duration {
    use std::hash::{BuildHasher, Hash, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    std::thread::current().id().hash(&mut h);
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().subsec_nanos().hash(&mut h);
    attempt.hash(&mut h);
    let ceiling_ms = 1u64 << attempt.clamp(1, 6);
    Duration::from_micros(h.finish() % (ceiling_ms * 1000 + 1))
}

/// Rows fetched per round trip by [`Backend::visit_all`].
const VISIT_BATCH: i32 = 1000;

/// One row of the change feed: position, tree (`None`: unknown to this
/// build), key.
pub(crate) type Change = (i64, Option<Tree>, Vec<u8>);

/// A store kept in PostgreSQL.
pub struct PgBackend {
    pool: Pool,
}

impl PgBackend {
    /// Connects to the database at `url` (a `postgres://` URL or a libpq
    /// key=value string) and applies the schema migrations it lacks.
    pub fn connect(url: &str) -> Result<PgBackend> {
        let config: postgres::Config =
            url.parse().map_err(|e| Error::Storage(format!("invalid PostgreSQL URL {}: {e}", redact(url))))?;
        let backend =
            PgBackend { pool: Pool { config, state: Mutex::new(PoolState::default()), freed: Condvar::new() } };
        migrate(&mut *backend.pool.get()?)?;
        Ok(backend)
    }

    /// The last `changes.seq` (0 when nothing was ever written).
    pub fn feed_position(&self) -> Result<i64> {
        let mut conn = self.pool.get()?;
        let row = conn.query_one("SELECT coalesce(max(seq), 0) FROM changes", &[]).map_err(pg)?;
        Ok(row.get(0))
    }

    /// Up to `limit` changes after position `after`, in order: (seq, tree,
    /// key); the tree is `None` for a tree this build does not know (a
    /// newer build's).
    pub(crate) fn changes_after(&self, after: i64, limit: i64) -> Result<Vec<Change>> {
        let mut conn = self.pool.get()?;
        let rows = conn
            .query("SELECT seq, tree, k FROM changes WHERE seq > $1 ORDER BY seq LIMIT $2", &[&after, &limit])
            .map_err(pg)?;
        Ok(rows.iter().map(|r| (r.get(0), tree_of(r.get(1)), r.get(2))).collect())
    }

    /// The random id this database got when its schema was created
    /// (migration `0004_store_identity`): what an index cache is filed
    /// under.
    pub fn store_id(&self) -> Result<String> {
        let mut conn = self.pool.get()?;
        let row = conn.query_one("SELECT id FROM store_identity", &[]).map_err(pg)?;
        Ok(row.get(0))
    }

    /// Opens this server's lease: a dedicated connection holding the
    /// session-level advisory lock (`LEASE_CLASS`, id) for a random free id,
    /// and a `replicas` row recording the feed position the caller's
    /// indexes start from. Returns the connection, the id, the position
    /// and whether it is `from`. With `id`, takes that id again (a lease
    /// connection lost and reopened).
    ///
    /// The position is `from` (the position of an index snapshot) when the
    /// feed still holds every change after it: `from` is not beyond the
    /// newest change, and no row after it was pruned (the oldest row kept
    /// is at most `from + 1`; a gap left by an aborted transaction also
    /// fails this test, which only costs a rebuild). Otherwise it is the
    /// newest position as of now, the one a rebuild from the store starts
    /// from. The check and the registration run under the prune lock, so
    /// no prune falls between them, and the registered position holds
    /// back later prunes.
    pub(crate) fn open_lease(&self, id: Option<i32>, from: Option<i64>) -> Result<(Client, i32, i64, bool)> {
        let mut client = self.pool.config.connect(NoTls).map_err(pg)?;
        let mut attempt = 0u32;
        let id = loop {
            let candidate = match id {
                Some(id) => id,
                None => random_id(attempt),
            };
            let row =
                client.query_one("SELECT pg_try_advisory_lock($1, $2)", &[&LEASE_CLASS, &candidate]).map_err(pg)?;
            if row.get::<_, bool>(0) {
                break candidate;
            }
            attempt += 1;
            if id.is_some() || attempt > 100 {
                return Err(Error::Storage(format!("cannot take a lease: id {candidate} is held by another session")));
            }
        };
        let mut tx = client.transaction().map_err(pg)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&PRUNE_LOCK]).map_err(pg)?;
        let row = tx.query_one("SELECT coalesce(max(seq), 0), min(seq) FROM changes", &[]).map_err(pg)?;
        let (latest, oldest): (i64, Option<i64>) = (row.get(0), row.get(1));
        let reaches = |from: i64| from >= 0 && from <= latest && oldest.is_none_or(|o| o <= from.saturating_add(1));
        let (position, from_snapshot) = match from {
            Some(from) if reaches(from) => (from, true),
            _ => (latest, false),
        };
        tx.execute(
            "INSERT INTO replicas (id, applied) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET applied = EXCLUDED.applied",
            &[&id, &position],
        )
        .map_err(pg)?;
        tx.commit().map_err(pg)?;
        Ok((client, id, position, from_snapshot))
    }

    /// Whether the server holding lease `id` is live (its session holds the
    /// lease lock; PostgreSQL drops it when the session ends, `kill -9`
    /// included).
    pub fn lease_live(&self, id: i32) -> Result<bool> {
        let mut conn = self.pool.get()?;
        let row = conn.query_one(LEASE_LIVE, &[&LEASE_CLASS, &id]).map_err(pg)?;
        Ok(row.get(0))
    }

    /// Deletes the `replicas` rows of servers that are no longer live and
    /// the `changes` rows below the smallest position a live server has
    /// applied (the newest row always stays, it is the feed's position).
    /// Does nothing when another server is pruning. Returns the number of
    /// change rows deleted.
    pub(crate) fn prune_changes(&self) -> Result<u64> {
        let mut conn = self.pool.get()?;
        let mut tx = conn.transaction().map_err(pg)?;
        let row = tx.query_one("SELECT pg_try_advisory_xact_lock($1)", &[&PRUNE_LOCK]).map_err(pg)?;
        if !row.get::<_, bool>(0) {
            return Ok(0);
        }
        tx.execute(
            "DELETE FROM replicas r WHERE NOT EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' \
             AND l.classid::bigint = $1::int::bigint AND l.objid::bigint = r.id AND l.objsubid = 2 AND l.granted \
             AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()))",
            &[&LEASE_CLASS],
        )
        .map_err(pg)?;
        let deleted =
            tx.execute("DELETE FROM changes WHERE seq < (SELECT min(applied) FROM replicas)", &[]).map_err(pg)?;
        tx.commit().map_err(pg)?;
        Ok(deleted)
    }

    /// A dedicated connection (outside the pool) for LISTEN.
    pub(crate) fn listener(&self) -> Result<Client> {
        let mut client = self.pool.config.connect(NoTls).map_err(pg)?;
        client.batch_execute(&format!("LISTEN {FEED_CHANNEL}")).map_err(pg)?;
        Ok(client)
    }
}

impl Backend for PgBackend {
    fn kind(&self) -> &'static str {
        "postgres"
    }

    fn get(&self, tree: Tree, key: &[u8]) -> Result<Option<Vec<u8>>> {
        let mut conn = self.pool.get()?;
        let row = conn.query_opt("SELECT v FROM kv WHERE tree = $1 AND k = $2", &[&tree.code(), &key]).map_err(pg)?;
        Ok(row.map(|r| r.get(0)))
    }

    fn scan(&self, tree: Tree, prefix: &[u8], after: Option<&[u8]>, limit: usize) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let after = after.filter(|a| *a >= prefix);
        let end = prefix_successor(prefix);
        // The lower bound is the larger of the prefix and `after`
        // (exclusive), the upper the prefix's successor, when it has one.
        let mut sql = String::from("SELECT k, v FROM kv WHERE tree = $1 AND k >= $2");
        let code = tree.code();
        let mut params: Vec<&(dyn postgres::types::ToSql + Sync)> = vec![&code, &prefix];
        if let Some(a) = &after {
            params.push(a);
            sql.push_str(&format!(" AND k > ${}", params.len()));
        }
        if let Some(e) = &end {
            params.push(e);
            sql.push_str(&format!(" AND k < ${}", params.len()));
        }
        params.push(&limit);
        sql.push_str(&format!(" ORDER BY k LIMIT ${}", params.len()));
        let mut conn = self.pool.get()?;
        let rows = conn.query(&sql, &params).map_err(pg)?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    fn last(&self, tree: Tree) -> Result<Option<(Vec<u8>, Vec<u8>)>> {
        let mut conn = self.pool.get()?;
        let row = conn
            .query_opt("SELECT k, v FROM kv WHERE tree = $1 ORDER BY k DESC LIMIT 1", &[&tree.code()])
            .map_err(pg)?;
        Ok(row.map(|r| (r.get(0), r.get(1))))
    }

    fn len(&self, tree: Tree) -> Result<u64> {
        let mut conn = self.pool.get()?;
        let row = conn.query_one("SELECT count(*) FROM kv WHERE tree = $1", &[&tree.code()]).map_err(pg)?;
        Ok(row.get::<_, i64>(0) as u64)
    }

    fn transact_dyn(
        &self,
        _trees: &[Tree],
        body: &mut dyn FnMut(&mut dyn Txn) -> std::result::Result<(), TxError>,
    ) -> Result<()> {
        let mut conn = self.pool.get()?;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let outcome = run_once(&mut conn, body);
            match outcome {
                Ok(()) => return Ok(()),
                Err(TxError::Abort(e)) => return Err(e),
                Err(TxError::Conflict) if attempt < MAX_ATTEMPTS => {
                    std::thread::sleep(retry_pause(attempt));
                }
                Err(TxError::Conflict) => {
                    return Err(Error::Storage(format!(
                        "a transaction was cancelled by concurrent writes {MAX_ATTEMPTS} times in a row; try again"
                    )))
                }
            }
        }
    }

    fn visit_all(&self, visit: &mut dyn FnMut(Tree, &[u8], &[u8]) -> Result<()>) -> Result<()> {
        let mut conn = self.pool.get()?;
        let mut tx = conn
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .map_err(pg)?;
        // Trees in code order are trees in Tree::ALL order.
        let portal = tx.bind("SELECT tree, k, v FROM kv ORDER BY tree, k", &[]).map_err(pg)?;
        loop {
            let rows = tx.query_portal(&portal, VISIT_BATCH).map_err(pg)?;
            for r in &rows {
                let code: i16 = r.get(0);
                let tree = tree_of(code)
                    .ok_or_else(|| Error::Corrupt(format!("the kv table holds records of unknown tree {code}")))?;
                visit(tree, r.get(1), r.get(2))?;
            }
            if rows.len() < VISIT_BATCH as usize {
                break;
            }
        }
        tx.commit().map_err(pg)
    }
}

/// One attempt of a transaction: SERIALIZABLE, the body, the buffered
/// writes, commit.
/// Whether lease ($1, $2) is held by a live session.
const LEASE_LIVE: &str = "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' \
                          AND classid::bigint = $1::int::bigint AND objid::bigint = $2::int::bigint \
                          AND objsubid = 2 AND granted \
                          AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))";

/// Records `applied` as the feed position of lease `id`, on the lease's
/// own connection.
pub(crate) fn report_applied(lease: &mut Client, id: i32, applied: i64) -> Result<()> {
    lease.execute("UPDATE replicas SET applied = $2 WHERE id = $1", &[&id, &applied]).map_err(pg)?;
    Ok(())
}

/// A lease id (positive, so it reads the same as an `oid` in `pg_locks`),
/// different on every call and in every process.
fn random_id(attempt: u32) -> i32 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    h.write_u32(attempt);
    h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos()));
    (h.finish() & 0x7fff_ffff) as i32
}

fn run_once(
    conn: &mut Client,
    body: &mut dyn FnMut(&mut dyn Txn) -> std::result::Result<(), TxError>,
) -> std::result::Result<(), TxError> {
    let tx = conn.build_transaction().isolation_level(IsolationLevel::Serializable).start().map_err(tx_err)?;
    let mut txn = PgTxn { tx, writes: BTreeMap::new() };
    body(&mut txn)?;
    let PgTxn { mut tx, writes } = txn;
    if !writes.is_empty() {
        write_all(&mut tx, writes)?;
    }
    tx.commit().map_err(tx_err)
}

/// Sends a transaction's writes: upserts, deletions, change rows, NOTIFY.
fn write_all(
    tx: &mut Transaction<'_>,
    writes: BTreeMap<(Tree, Vec<u8>), Option<Vec<u8>>>,
) -> std::result::Result<(), TxError> {
    let (mut put_trees, mut put_keys, mut put_values) = (Vec::new(), Vec::new(), Vec::new());
    let (mut del_trees, mut del_keys) = (Vec::new(), Vec::new());
    let (mut all_trees, mut all_keys) = (Vec::with_capacity(writes.len()), Vec::with_capacity(writes.len()));
    for ((tree, key), value) in writes {
        all_trees.push(tree.code());
        all_keys.push(key.clone());
        match value {
            Some(v) => {
                put_trees.push(tree.code());
                put_keys.push(key);
                put_values.push(v);
            }
            None => {
                del_trees.push(tree.code());
                del_keys.push(key);
            }
        }
    }
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&FEED_LOCK]).map_err(tx_err)?;
    if !put_keys.is_empty() {
        tx.execute(
            "INSERT INTO kv (tree, k, v) SELECT * FROM unnest($1::smallint[], $2::bytea[], $3::bytea[]) \
             ON CONFLICT (tree, k) DO UPDATE SET v = EXCLUDED.v",
            &[&put_trees, &put_keys, &put_values],
        )
        .map_err(tx_err)?;
    }
    if !del_keys.is_empty() {
        tx.execute(
            "DELETE FROM kv WHERE (tree, k) IN (SELECT * FROM unnest($1::smallint[], $2::bytea[]))",
            &[&del_trees, &del_keys],
        )
        .map_err(tx_err)?;
    }
    tx.execute(
        "INSERT INTO changes (tree, k) SELECT * FROM unnest($1::smallint[], $2::bytea[])",
        &[&all_trees, &all_keys],
    )
    .map_err(tx_err)?;
    tx.execute("SELECT pg_notify($1, '')", &[&FEED_CHANNEL]).map_err(tx_err)?;
    Ok(())
}

/// Reads and buffered writes of one attempt.
struct PgTxn<'a> {
    tx: Transaction<'a>,
    /// Final state of every key written: `Some(value)` or removed.
    writes: BTreeMap<(Tree, Vec<u8>), Option<Vec<u8>>>,
}

impl Txn for PgTxn<'_> {
    fn get(&mut self, tree: Tree, key: &[u8]) -> std::result::Result<Option<Vec<u8>>, TxError> {
        if let Some(w) = self.writes.get(&(tree, key.to_vec())) {
            return Ok(w.clone());
        }
        let row =
            self.tx.query_opt("SELECT v FROM kv WHERE tree = $1 AND k = $2", &[&tree.code(), &key]).map_err(tx_err)?;
        Ok(row.map(|r| r.get(0)))
    }

    fn insert(&mut self, tree: Tree, key: &[u8], value: &[u8]) -> std::result::Result<(), TxError> {
        self.writes.insert((tree, key.to_vec()), Some(value.to_vec()));
        Ok(())
    }

    fn remove(&mut self, tree: Tree, key: &[u8]) -> std::result::Result<Option<Vec<u8>>, TxError> {
        let old = self.get(tree, key)?;
        if old.is_some() {
            self.writes.insert((tree, key.to_vec()), None);
        }
        Ok(old)
    }

    fn keeps_change_log(&self) -> bool {
        // No index snapshot on PostgreSQL servers: see `Txn::keeps_change_log`.
        false
    }
}

/// Applies the migrations the database lacks, under an advisory lock.
fn migrate(conn: &mut Client) -> Result<()> {
    let mut tx = conn.transaction().map_err(pg)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).map_err(pg)?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version integer PRIMARY KEY,
             name text NOT NULL,
             applied_at timestamptz NOT NULL DEFAULT now()
         )",
    )
    .map_err(pg)?;
    let applied: Vec<i32> = tx
        .query("SELECT version FROM schema_migrations ORDER BY version", &[])
        .map_err(pg)?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let known = MIGRATIONS.last().map_or(0, |m| m.0);
    if let Some(newer) = applied.iter().find(|v| **v > known) {
        return Err(Error::Corrupt(format!(
            "the database has schema migration {newer}; this build knows migrations up to {known}"
        )));
    }
    for (version, name, sql) in MIGRATIONS {
        if applied.contains(version) {
            continue;
        }
        tx.batch_execute(sql)
            .map_err(|e| Error::Storage(format!("schema migration {name} failed: {}", describe(&e))))?;
        tx.execute("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", &[version, name]).map_err(pg)?;
        log::info!("PostgreSQL store: applied schema migration {name}");
    }
    tx.commit().map_err(pg)
}

/// The tree with code `code`.
fn tree_of(code: i16) -> Option<Tree> {
    Tree::ALL.into_iter().find(|t| t.code() == code)
}

/// The smallest byte string greater than every string starting with
/// `prefix`; `None` when there is none (empty prefix, or all 0xFF).
fn prefix_successor(prefix: &[u8]) -> Option<Vec<u8>> {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < 0xFF {
            end.push(last + 1);
            return Some(end);
        }
    }
    None
}

fn is_conflict(e: &postgres::Error) -> bool {
    matches!(e.code(), Some(c) if *c == SqlState::T_R_SERIALIZATION_FAILURE || *c == SqlState::T_R_DEADLOCK_DETECTED)
}

fn tx_err(e: postgres::Error) -> TxError {
    if is_conflict(&e) {
        TxError::Conflict
    } else {
        TxError::Abort(pg(e))
    }
}

/// A PostgreSQL error as the crate's storage error.
fn pg(e: postgres::Error) -> Error {
    Error::Storage(format!("PostgreSQL: {}", describe(&e)))
}

fn describe(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{} ({})", db.message(), db.code().code()),
        None => e.to_string(),
    }
}

/// `url` without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let user_info = &url[s + 3..at];
            match user_info.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &user_info[..c], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url
            .split(' ')
            .map(|part| if part.starts_with("password=") { "password=***" } else { part })
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// A bounded pool of connections.
struct Pool {
    config: postgres::Config,
    state: Mutex<PoolState>,
    freed: Condvar,
}

#[derive(Default)]
struct PoolState {
    idle: Vec<Client>,
    /// Connections open, idle or lent.
    open: usize,
}

/// A connection lent by the pool; given back when dropped.
struct Conn<'a> {
    pool: &'a Pool,
    client: Option<Client>,
}

impl Pool {
    fn get(&self) -> Result<Conn<'_>> {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            while let Some(client) = state.idle.pop() {
                if !client.is_closed() {
                    return Ok(Conn { pool: self, client: Some(client) });
                }
                state.open -= 1;
            }
            if state.open < MAX_CONNECTIONS {
                state.open += 1;
                drop(state);
                return match self.config.connect(NoTls) {
                    Ok(client) => Ok(Conn { pool: self, client: Some(client) }),
                    Err(e) => {
                        self.state.lock().unwrap_or_else(PoisonError::into_inner).open -= 1;
                        self.freed.notify_one();
                        Err(Error::Storage(format!("cannot connect to PostgreSQL: {}", describe(&e))))
                    }
                };
            }
            state = self.freed.wait(state).unwrap_or_else(PoisonError::into_inner);
        }
    }
}

impl Drop for Pool {
    /// Each client owns a small runtime, which cannot be dropped on a
    /// thread driving async tasks (a store dropped inside an async test or
    /// handler): the idle clients are closed on a thread of their own.
    fn drop(&mut self) {
        let idle = std::mem::take(&mut self.state.get_mut().unwrap_or_else(PoisonError::into_inner).idle);
        if !idle.is_empty() {
            let _ = std::thread::Builder::new().name("pg-close".into()).spawn(move || drop(idle));
        }
    }
}

impl std::ops::Deref for Conn<'_> {
    type Target = Client;
    fn deref(&self) -> &Client {
        self.client.as_ref().expect("a lent connection is present until dropped")
    }
}

impl std::ops::DerefMut for Conn<'_> {
    fn deref_mut(&mut self) -> &mut Client {
        self.client.as_mut().expect("a lent connection is present until dropped")
    }
}

impl Drop for Conn<'_> {
    fn drop(&mut self) {
        let mut state = self.pool.state.lock().unwrap_or_else(PoisonError::into_inner);
        match self.client.take() {
            Some(c) if !c.is_closed() => state.idle.push(c),
            _ => state.open -= 1,
        }
        drop(state);
        self.pool.freed.notify_one();
    }
}

#[cfg(test)]
mod tests;
