//! Consistent snapshots of a whole store, and restoring one into a new data
//! directory.
//!
//! A snapshot holds every tree of the store ([`Tree::ALL`], empty ones
//! included), read with [`Backend::visit_all`], so it works for any backend
//! and the copy is a single point in time: every write that returned
//! before it is in, no write is half in (the sled backend holds its write
//! gate exclusively meanwhile). [`snapshot_to_temp`] copies into an
//! unlinked temporary file (in the data directory of an embedded store,
//! else the system's temporary directory) before the caller streams it,
//! so a slow reader does not hold writes up.
//!
//! # File format (version 1)
//! All integers are big-endian.
//!
//! | part    | content                                                                 |
//! |---------|-------------------------------------------------------------------------|
//! | header  | magic `GLOSSNAP`, format version `u32`, store [`SCHEMA_VERSION`] `u32`, creation time `i64` (ms since the epoch), id watermark `u64`, tree count `u32` |
//! | trees   | per tree, in [`Tree::ALL`] order: `u32` name length, name; then per record in key order: byte `1`, `u32` key length, key, `u32` value length, value; then byte `0` |
//! | trailer | magic `GLOSSEND`, record count `u64`, SHA-256 of the trees part (32 bytes) |
//!
//! The hash covers exactly the bytes of the trees part, so it is a content
//! hash of the store: [`content_hash`] computes the same value from a live
//! store without writing a file. The id watermark is kept in the header
//! for the format's sake only and written as 0: ids come from the per-kind
//! counters in `meta`, which the snapshot carries like every record, so a
//! restored store goes on numbering after its largest ids with nothing
//! more to do. Snapshots of schema version 1 (whose `term_keys` tree is
//! retired) restore too: records of that tree are skipped.
//!
//! Writing and reading stream: memory use is one record at a time (plus a
//! batch of restored records of bounded size).

use std::fmt;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, Write};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use sha2::{Digest, Sha256};

use super::backend::{Backend, Tree};
use super::{Store, SCHEMA_VERSION};
use crate::error::{Error, Result};
use crate::model::Timestamp;

/// Version of the snapshot file format this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;
/// Suggested file name extension of a snapshot.
pub const FILE_EXTENSION: &str = "glsnap";

const MAGIC: &[u8; 8] = b"GLOSSNAP";
const TRAILER_MAGIC: &[u8; 8] = b"GLOSSEND";
/// Longest tree name accepted when reading.
const MAX_NAME_BYTES: u32 = 4096;
/// Largest key or value accepted when reading (stores keep far smaller ones).
const MAX_ITEM_BYTES: u32 = 256 * 1024 * 1024;
/// A restore applies records in batches of at most this many bytes.
const RESTORE_BATCH_BYTES: usize = 256 * 1024;

/// SHA-256 over the trees of a store, as serialised in a snapshot.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ContentHash(pub [u8; 32]);

impl fmt::Display for ContentHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for ContentHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ContentHash({self})")
    }
}

/// What a snapshot holds: from its header, its trees and its trailer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnapshotInfo {
    /// Store schema version of the data.
    pub schema_version: u32,
    /// When the snapshot was taken.
    pub created: Timestamp,
    /// Every tree, in name order, with its number of records.
    pub trees: Vec<(String, u64)>,
    /// Records in all trees.
    pub records: u64,
    /// Content hash of the trees (the trailer's).
    pub hash: ContentHash,
    /// Bytes of the snapshot file.
    pub bytes: u64,
}

impl SnapshotInfo {
    /// Records in the tree named `name` (0 if there is no such tree).
    pub fn records_in(&self, name: &str) -> u64 {
        self.trees.iter().find(|(n, _)| n == name).map_or(0, |(_, c)| *c)
    }
}

/// A writer that hashes what goes through it and counts bytes.
struct Hashing<W> {
    inner: W,
    hasher: Sha256,
    bytes: u64,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// A writer that counts bytes.
struct Counting<W> {
    inner: W,
    bytes: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

fn io_err(e: io::Error) -> Error {
    Error::Storage(format!("cannot write the snapshot: {e}"))
}

fn len_u32(n: usize, what: &str) -> Result<[u8; 4]> {
    u32::try_from(n)
        .ok()
        .filter(|&n| n <= MAX_ITEM_BYTES)
        .map(u32::to_be_bytes)
        .ok_or_else(|| Error::Storage(format!("a {what} of {n} bytes is too large for a snapshot")))
}

fn write_tree_start(out: &mut impl Write, tree: Tree) -> Result<()> {
    let name = tree.name().as_bytes();
    out.write_all(&len_u32(name.len(), "tree name")?).map_err(io_err)?;
    out.write_all(name).map_err(io_err)
}

/// Serialises every tree of `backend` into `out` (the trees part of the
/// format), from one consistent visit; returns the tree names with their
/// record counts.
fn write_trees(backend: &dyn Backend, out: &mut impl Write) -> Result<Vec<(String, u64)>> {
    let mut counts = [0u64; Tree::ALL.len()];
    // The tree being written (its index in Tree::ALL), if one is open.
    let mut open: Option<usize> = None;
    backend.visit_all(&mut |tree, k, v| {
        let i = tree.code() as usize;
        // Close the open tree and write every (empty) tree before this one.
        let from = match open {
            Some(o) if o == i => None,
            Some(o) if o > i => {
                return Err(Error::Storage("internal error: the backend visited trees out of order".into()))
            }
            Some(o) => {
                out.write_all(&[0]).map_err(io_err)?;
                Some(o + 1)
            }
            None => Some(0),
        };
        if let Some(from) = from {
            for t in &Tree::ALL[from..i] {
                write_tree_start(out, *t)?;
                out.write_all(&[0]).map_err(io_err)?;
            }
            write_tree_start(out, tree)?;
            open = Some(i);
        }
        out.write_all(&[1]).map_err(io_err)?;
        out.write_all(&len_u32(k.len(), "key")?).map_err(io_err)?;
        out.write_all(k).map_err(io_err)?;
        out.write_all(&len_u32(v.len(), "value")?).map_err(io_err)?;
        out.write_all(v).map_err(io_err)?;
        counts[i] += 1;
        Ok(())
    })?;
    let from = match open {
        Some(o) => {
            out.write_all(&[0]).map_err(io_err)?;
            o + 1
        }
        None => 0,
    };
    for t in &Tree::ALL[from..] {
        write_tree_start(out, *t)?;
        out.write_all(&[0]).map_err(io_err)?;
    }
    Ok(Tree::ALL.iter().zip(counts).map(|(t, c)| (t.name().to_string(), c)).collect())
}

/// The content hash of everything in `store` (what a snapshot taken now
/// would carry in its trailer).
pub fn content_hash(store: &Store) -> Result<ContentHash> {
    let mut sink = Hashing { inner: io::sink(), hasher: Sha256::new(), bytes: 0 };
    write_trees(store.backend(), &mut sink)?;
    Ok(ContentHash(sink.hasher.finalize().into()))
}

/// Writes a snapshot of `store` into `out` (on sled, writes wait until
/// it returns; see [`snapshot_to_temp`] for a short hold).
pub fn write_snapshot(store: &Store, out: impl Write) -> Result<SnapshotInfo> {
    let created = Timestamp::now();
    // Informational (see the module docs): ids come from `meta` counters.
    let watermark = 0u64;
    let tree_count = Tree::ALL.len();
    let mut out = Counting { inner: BufWriter::with_capacity(256 * 1024, out), bytes: 0 };
    let mut header = Vec::with_capacity(40);
    header.extend_from_slice(MAGIC);
    header.extend_from_slice(&FORMAT_VERSION.to_be_bytes());
    header.extend_from_slice(&SCHEMA_VERSION.to_be_bytes());
    header.extend_from_slice(&created.0.to_be_bytes());
    header.extend_from_slice(&watermark.to_be_bytes());
    header.extend_from_slice(&(tree_count as u32).to_be_bytes());
    out.write_all(&header).map_err(io_err)?;
    let mut hashing = Hashing { inner: &mut out, hasher: Sha256::new(), bytes: 0 };
    let trees = write_trees(store.backend(), &mut hashing)?;
    let hash = ContentHash(hashing.hasher.finalize().into());
    let records = trees.iter().map(|(_, c)| c).sum();
    out.write_all(TRAILER_MAGIC).map_err(io_err)?;
    out.write_all(&u64::to_be_bytes(records)).map_err(io_err)?;
    out.write_all(&hash.0).map_err(io_err)?;
    out.flush().map_err(io_err)?;
    Ok(SnapshotInfo { schema_version: SCHEMA_VERSION, created, trees, records, hash, bytes: out.bytes })
}

/// Takes a snapshot of `store` into a temporary file in its data directory
/// (or the system's temporary directory for a server backend), removed
/// from the directory at once (it lives until the handle is dropped).
/// Returns the file, rewound, ready to be streamed.
pub fn snapshot_to_temp(store: &Store) -> Result<(File, SnapshotInfo)> {
    static SEQ: AtomicU64 = AtomicU64::new(0);
    let dir = store.dir().map_or_else(std::env::temp_dir, Path::to_path_buf);
    let path = dir.join(format!("snapshot-{}-{}.tmp", std::process::id(), SEQ.fetch_add(1, Ordering::Relaxed)));
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| Error::Storage(format!("cannot create {}: {e}", path.display())))?;
    // Unlinked now, so no failure below can leave it behind (on Unix; on
    // other systems the removal fails while the file is open and the file
    // is removed below instead).
    let unlinked = std::fs::remove_file(&path).is_ok();
    let info = write_snapshot(store, &mut file);
    let info = match info {
        Ok(info) => info,
        Err(e) => {
            drop(file);
            if !unlinked {
                let _ = std::fs::remove_file(&path);
            }
            return Err(e);
        }
    };
    file.rewind().map_err(io_err)?;
    Ok((file, info))
}

/// Reads a snapshot's bytes, hashing the trees part.
struct Reader<R> {
    inner: R,
    hasher: Option<Sha256>,
    bytes: u64,
}

fn truncated() -> Error {
    Error::Corrupt("the snapshot file is truncated (it ends before its trailer)".into())
}

impl<R: Read> Reader<R> {
    fn exact(&mut self, buf: &mut [u8]) -> Result<()> {
        self.inner.read_exact(buf).map_err(|e| match e.kind() {
            io::ErrorKind::UnexpectedEof => truncated(),
            _ => Error::Storage(format!("cannot read the snapshot: {e}")),
        })?;
        if let Some(h) = &mut self.hasher {
            h.update(&*buf);
        }
        self.bytes += buf.len() as u64;
        Ok(())
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
        let mut b = [0u8; N];
        self.exact(&mut b)?;
        Ok(b)
    }

    fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_be_bytes(self.array()?))
    }

    fn u64(&mut self) -> Result<u64> {
        Ok(u64::from_be_bytes(self.array()?))
    }

    fn bytes_of(&mut self, limit: u32, what: &str) -> Result<Vec<u8>> {
        let n = self.u32()?;
        if n > limit {
            return Err(Error::Corrupt(format!("the snapshot declares a {what} of {n} bytes (limit {limit})")));
        }
        let mut v = vec![0u8; n as usize];
        self.exact(&mut v)?;
        Ok(v)
    }
}

/// Where [`read_snapshot`] hands what it reads.
trait Sink {
    /// The header's store schema version and id watermark.
    fn header(&mut self, schema: u32, watermark: u64) -> Result<()>;
    /// A tree starts; its records follow.
    fn tree(&mut self, name: &[u8]) -> Result<()>;
    /// One record of the current tree.
    fn record(&mut self, key: Vec<u8>, value: Vec<u8>) -> Result<()>;
}

/// Reads a whole snapshot, handing the header, each tree name and each
/// record to `sink`, and checks the trailer: record count and hash. Any
/// mismatch, truncation or trailing byte is an [`Error::Corrupt`].
fn read_snapshot(input: impl Read, sink: &mut dyn Sink) -> Result<SnapshotInfo> {
    let mut r = Reader { inner: BufReader::with_capacity(256 * 1024, input), hasher: None, bytes: 0 };
    let magic: [u8; 8] = r.array().map_err(|_| not_a_snapshot())?;
    if &magic != MAGIC {
        return Err(not_a_snapshot());
    }
    let version = r.u32()?;
    if version != FORMAT_VERSION {
        return Err(Error::Corrupt(format!(
            "the snapshot has format version {version}; this build reads version {FORMAT_VERSION}"
        )));
    }
    let schema_version = r.u32()?;
    let created = Timestamp(i64::from_be_bytes(r.array()?));
    let watermark = r.u64()?;
    let tree_count = r.u32()?;
    sink.header(schema_version, watermark)?;
    r.hasher = Some(Sha256::new());
    let mut trees = Vec::new();
    let mut records = 0u64;
    for _ in 0..tree_count {
        let name = r.bytes_of(MAX_NAME_BYTES, "tree name")?;
        sink.tree(&name)?;
        let mut count = 0u64;
        loop {
            let [tag] = r.array()?;
            match tag {
                0 => break,
                1 => {
                    let k = r.bytes_of(MAX_ITEM_BYTES, "key")?;
                    let v = r.bytes_of(MAX_ITEM_BYTES, "value")?;
                    sink.record(k, v)?;
                    count += 1;
                }
                other => {
                    return Err(Error::Corrupt(format!(
                        "the snapshot is damaged: unexpected byte {other:#04x} at offset {}",
                        r.bytes - 1
                    )))
                }
            }
        }
        records += count;
        trees.push((String::from_utf8_lossy(&name).into_owned(), count));
    }
    let computed = ContentHash(r.hasher.take().map(|h| h.finalize().into()).unwrap_or_default());
    let end: [u8; 8] = r.array()?;
    if &end != TRAILER_MAGIC {
        return Err(Error::Corrupt("the snapshot is damaged: its trailer is missing or misplaced".into()));
    }
    let declared_records = r.u64()?;
    let declared = ContentHash(r.array()?);
    if declared_records != records {
        return Err(Error::Corrupt(format!(
            "the snapshot is damaged: its trailer counts {declared_records} records but it holds {records}"
        )));
    }
    if declared != computed {
        return Err(Error::Corrupt(format!(
            "the snapshot is damaged: its content hash is {computed}, the trailer says {declared}"
        )));
    }
    let mut extra = [0u8; 1];
    match r.inner.read(&mut extra) {
        Ok(0) => {}
        Ok(_) => return Err(Error::Corrupt("the snapshot has bytes after its trailer".into())),
        Err(e) => return Err(Error::Storage(format!("cannot read the snapshot: {e}"))),
    }
    Ok(SnapshotInfo { schema_version, created, trees, records, hash: declared, bytes: r.bytes })
}

fn not_a_snapshot() -> Error {
    Error::Corrupt("this is not a glossary snapshot (wrong magic bytes)".into())
}

/// Reads a snapshot completely and checks it (trailer count and hash)
/// without restoring anything.
pub fn verify(input: impl Read) -> Result<SnapshotInfo> {
    struct Nothing;
    impl Sink for Nothing {
        fn header(&mut self, _: u32, _: u64) -> Result<()> {
            Ok(())
        }
        fn tree(&mut self, _: &[u8]) -> Result<()> {
            Ok(())
        }
        fn record(&mut self, _: Vec<u8>, _: Vec<u8>) -> Result<()> {
            Ok(())
        }
    }
    read_snapshot(input, &mut Nothing)
}

/// True if `dir` is missing or an empty directory.
pub fn is_empty_dir(dir: &Path) -> Result<bool> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => Ok(entries.next().is_none()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(true),
        Err(e) => Err(Error::Storage(format!("cannot read {}: {e}", dir.display()))),
    }
}

/// Restores the snapshot read from `input` into data directory `dir`,
/// which must be missing or empty (an embedded sled store). Checks the
/// format, the store schema version, and the trailer (record count and
/// content hash); on any failure nothing is left in `dir` (it is removed
/// if this created it).
pub fn restore(dir: &Path, input: impl Read) -> Result<SnapshotInfo> {
    if !is_empty_dir(dir)? {
        return Err(Error::invalid(
            "data_dir",
            format!("{} is not empty: restore only into a new or empty directory", dir.display()),
        ));
    }
    let existed = dir.exists();
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::Storage(format!("cannot create data directory {}: {e}", dir.display())))?;
    let result =
        super::SledBackend::open(dir, 64 * 1024 * 1024).and_then(|backend| restore_into_backend(&backend, input));
    if result.is_err() {
        // The database's files are closed by now (the backend was dropped).
        let _ = std::fs::remove_dir_all(dir.join("store"));
        if !existed {
            let _ = std::fs::remove_dir(dir);
        }
    }
    result
}

/// Restores a snapshot into an empty store of any backend, in batches of
/// bounded size (one transaction each). The store is usable once this
/// returns (open it with [`Store::open`] or [`Store::with_backend`], which
/// migrate an older schema).
pub(crate) fn restore_into_backend(backend: &dyn Backend, input: impl Read) -> Result<SnapshotInfo> {
    for tree in Tree::ALL {
        if tree != Tree::Meta && backend.len(tree)? > 0 {
            return Err(Error::invalid("store", "restore only into an empty store"));
        }
    }
    // A new store's `meta` holds its schema version and zero counters:
    // the snapshot's records replace them (a missing counter is started
    // from the data when the store is next opened).
    let meta: Vec<Vec<u8>> = backend.scan(Tree::Meta, &[], None, usize::MAX)?.into_iter().map(|(k, _)| k).collect();
    backend.transact_dyn(&[Tree::Meta], &mut |txn| {
        for k in &meta {
            txn.remove(Tree::Meta, k)?;
        }
        Ok(())
    })?;
    let mut restorer = Restorer { backend, tree: None, batch: Vec::new(), batch_bytes: 0 };
    let info = read_snapshot(input, &mut restorer)?;
    restorer.apply()?;
    Ok(info)
}

/// Trees of older layouts whose records a restore skips.
const RETIRED_TREES: &[&[u8]] = &[b"term_keys", b"__sled__default"];

/// Writes what [`read_snapshot`] reads into a backend, in batches.
struct Restorer<'a> {
    backend: &'a dyn Backend,
    /// The tree being restored; None while skipping a retired tree.
    tree: Option<Tree>,
    batch: Vec<(Vec<u8>, Vec<u8>)>,
    batch_bytes: usize,
}

impl Restorer<'_> {
    fn apply(&mut self) -> Result<()> {
        if let (Some(tree), false) = (self.tree, self.batch.is_empty()) {
            let batch = std::mem::take(&mut self.batch);
            self.backend.transact_dyn(&[tree], &mut |txn| {
                for (k, v) in &batch {
                    txn.insert(tree, k, v)?;
                }
                Ok(())
            })?;
        }
        self.batch.clear();
        self.batch_bytes = 0;
        Ok(())
    }
}

impl Sink for Restorer<'_> {
    fn header(&mut self, schema: u32, _watermark: u64) -> Result<()> {
        if schema != SCHEMA_VERSION && schema != 1 {
            return Err(Error::Corrupt(format!(
                "the snapshot holds a store of schema version {schema}; this build reads versions 1 to {SCHEMA_VERSION}"
            )));
        }
        Ok(())
    }

    fn tree(&mut self, name: &[u8]) -> Result<()> {
        self.apply()?;
        self.tree = match Tree::from_name(name) {
            Some(t) => Some(t),
            None if RETIRED_TREES.contains(&name) => None,
            None => {
                return Err(Error::Corrupt(format!(
                    "the snapshot holds a tree named {:?} that this build does not know",
                    String::from_utf8_lossy(name)
                )))
            }
        };
        Ok(())
    }

    fn record(&mut self, key: Vec<u8>, value: Vec<u8>) -> Result<()> {
        if self.tree.is_none() {
            return Ok(());
        }
        self.batch_bytes += key.len() + value.len();
        self.batch.push((key, value));
        if self.batch_bytes >= RESTORE_BATCH_BYTES {
            self.apply()?;
        }
        Ok(())
    }
}
