//! The persisted lookup-index snapshot: the built structures of the
//! [`TrigramIndex`] (slots, text arenas, trigram table, posting lists,
//! chains) and the concepts' collections, written as flat little-endian
//! arrays to one file of the data directory and tagged with the store's
//! write sequence they reflect ([`crate::store::Store::write_seq`]).
//! Opening a glossary reads the arrays back (no term is re-normalised or
//! re-inserted; the hash maps of integers are refilled from their pairs)
//! and replays the concepts changed after that position. The snapshot is
//! derived data: the store is the truth, and a snapshot that is missing,
//! torn, of another format version, inconsistent or of a position the
//! change log no longer reaches is ignored (the index is rebuilt from the
//! store).
//!
//! # File format (version 6; earlier versions held other layouts)
//! Integers are little-endian. An array is its element count (`u64`) then
//! its elements; a byte string is its length (`u64`) then its bytes; a map
//! of integers is an array of `u64` keys then an array of `u32` values.
//!
//! | part        | content |
//! |-------------|---------|
//! | header      | magic `GLIDXSNP`, format version `u32`, position `u64` |
//! | names       | collection names (count `u32`, byte strings, sorted): the file's collection numbers are positions in this table |
//! | index       | see `TrigramIndex::encode`: live count, slots (11 `u32` each), text arena, language tags, concept-id arena, concept rows (7 `u32` each: id span, first slot, count, hash chain, id hash, collection number), concept-id hash heads, trigram keys by id, document frequencies, posting lists (keys, lengths, all slots back to back), size counts, folded-key and sorted-syllable heads, per-language character counts |
//! | collections | concept count `u64`, then per concept its id (byte string) and collection number `u32` |
//! | trailer     | CRC-32 (`crc32fast`) of every byte before it |
//!
//! Collections are stored by name: the in-memory ids
//! ([`crate::collections::intern`]) are numbered per process in order of
//! first sight, so loading interns each name and maps the file's numbers
//! to this process's ids.
//!
//! The file is written to a temporary name, synced and renamed, so a crash
//! leaves the previous snapshot or the new one; a torn or altered file
//! fails the checksum, and a decoded index is bounds-checked before use.

use std::collections::HashMap;
use std::fs::File;
use std::hash::BuildHasher;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::TrigramIndex;
use crate::collections::{self, CollectionId, ConceptCollections};
use crate::error::{Error, Result};
use crate::model::{Collection, ConceptId};

/// Version of the snapshot format this build writes and reads.
pub const FORMAT_VERSION: u32 = 6;
/// File name of the snapshot in the data directory.
pub const FILE_NAME: &str = "index.snapshot";

const MAGIC: &[u8; 8] = b"GLIDXSNP";
const TRAILER_LEN: usize = 4;

/// Where the snapshot of data directory `dir` lives.
pub fn path_in(dir: &Path) -> PathBuf {
    dir.join(FILE_NAME)
}

/// Appends little-endian integers and arrays to a buffer.
pub(crate) struct SnapWriter {
    buf: Vec<u8>,
}

impl SnapWriter {
    pub(crate) fn u32(&mut self, n: u32) {
        self.buf.extend_from_slice(&n.to_le_bytes());
    }
    pub(crate) fn u64(&mut self, n: u64) {
        self.buf.extend_from_slice(&n.to_le_bytes());
    }
    pub(crate) fn bytes(&mut self, b: &[u8]) {
        self.u64(b.len() as u64);
        self.buf.extend_from_slice(b);
    }
    pub(crate) fn u32s(&mut self, v: &[u32]) {
        self.u64(v.len() as u64);
        self.buf.reserve(v.len() * 4);
        for n in v {
            self.buf.extend_from_slice(&n.to_le_bytes());
        }
    }
    pub(crate) fn u64s(&mut self, v: &[u64]) {
        self.u64(v.len() as u64);
        self.buf.reserve(v.len() * 8);
        for n in v {
            self.buf.extend_from_slice(&n.to_le_bytes());
        }
    }
    /// A map of integers, as its keys then its values (sorted by key, so
    /// equal maps encode equally).
    pub(crate) fn map<S>(&mut self, m: &HashMap<u64, u32, S>) {
        let mut pairs: Vec<(u64, u32)> = m.iter().map(|(&k, &v)| (k, v)).collect();
        pairs.sort_unstable();
        let keys: Vec<u64> = pairs.iter().map(|p| p.0).collect();
        let values: Vec<u32> = pairs.iter().map(|p| p.1).collect();
        self.u64s(&keys);
        self.u32s(&values);
    }
}

/// Reads what [`SnapWriter`] wrote; every read is bounds-checked.
pub(crate) struct SnapReader<'a> {
    buf: &'a [u8],
    at: usize,
}

fn bad(why: &str) -> Error {
    Error::Corrupt(format!("index snapshot: {why}"))
}

impl<'a> SnapReader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.buf.len()).ok_or_else(|| bad("truncated"))?;
        let s = &self.buf[self.at..end];
        self.at = end;
        Ok(s)
    }
    pub(crate) fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().expect("4 bytes")))
    }
    pub(crate) fn u64(&mut self) -> Result<u64> {
        Ok(u64::from_le_bytes(self.take(8)?.try_into().expect("8 bytes")))
    }
    fn len(&mut self, width: usize) -> Result<usize> {
        let n = self.u64()?;
        usize::try_from(n)
            .ok()
            .filter(|n| n.checked_mul(width).is_some_and(|b| b <= self.buf.len() - self.at))
            .ok_or_else(|| bad("an array runs past the end"))
    }
    pub(crate) fn bytes(&mut self) -> Result<&'a [u8]> {
        let n = self.len(1)?;
        self.take(n)
    }
    pub(crate) fn u32s(&mut self) -> Result<Vec<u32>> {
        let n = self.len(4)?;
        Ok(self.take(n * 4)?.chunks_exact(4).map(|c| u32::from_le_bytes(c.try_into().expect("4 bytes"))).collect())
    }
    pub(crate) fn u64s(&mut self) -> Result<Vec<u64>> {
        let n = self.len(8)?;
        Ok(self.take(n * 8)?.chunks_exact(8).map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes"))).collect())
    }
    pub(crate) fn map<S: BuildHasher + Default>(&mut self) -> Result<HashMap<u64, u32, S>> {
        let keys = self.u64s()?;
        let values = self.u32s()?;
        if keys.len() != values.len() {
            return Err(bad("a map's keys and values differ in number"));
        }
        let mut m = HashMap::with_capacity_and_hasher(keys.len(), S::default());
        m.extend(keys.into_iter().zip(values));
        Ok(m)
    }
}

/// Encodes the index and the collections at `position`.
pub fn encode(position: u64, index: &TrigramIndex, collections: &ConceptCollections) -> Vec<u8> {
    let mut w = SnapWriter { buf: Vec::new() };
    w.buf.extend_from_slice(MAGIC);
    w.u32(FORMAT_VERSION);
    w.u64(position);
    // The file's name table: every collection a concept row or a concept names,
    // sorted by name (so the bytes do not depend on this process's ids).
    let mut ids = index.collection_ids();
    ids.extend(collections.entries().map(|(_, c)| c));
    let mut names: Vec<(Collection, CollectionId)> = ids
        .into_iter()
        .map(|id| (collections::name_of(id).expect("indexed collection ids are interned"), id))
        .collect();
    names.sort_unstable();
    let number: HashMap<CollectionId, u32> = names.iter().enumerate().map(|(n, &(_, id))| (id, n as u32)).collect();
    w.u32(names.len() as u32);
    for (n, _) in &names {
        w.bytes(n.as_str().as_bytes());
    }
    index.encode(&mut w, &|id| number[&id]);
    let mut of: Vec<(&ConceptId, CollectionId)> = collections.entries().collect();
    of.sort_unstable();
    w.u64(of.len() as u64);
    for (id, c) in of {
        w.bytes(id.as_str().as_bytes());
        w.u32(number[&c]);
    }
    let crc = crc32fast::hash(&w.buf);
    w.buf.extend_from_slice(&crc.to_le_bytes());
    w.buf
}

/// A decoded snapshot.
pub struct Decoded {
    /// The store position it reflects.
    pub position: u64,
    /// The lookup index.
    pub index: TrigramIndex,
    /// The concepts' collections.
    pub collections: ConceptCollections,
}

/// Decodes a snapshot, or [`Error::Corrupt`] when the checksum, magic,
/// version or any part is wrong.
pub fn decode(buf: &[u8]) -> Result<Decoded> {
    if buf.len() < MAGIC.len() + 12 + TRAILER_LEN {
        return Err(bad("file too short"));
    }
    let (body, crc) = buf.split_at(buf.len() - TRAILER_LEN);
    if crc32fast::hash(body).to_le_bytes() != crc {
        return Err(bad("checksum mismatch (torn or altered file)"));
    }
    let mut r = SnapReader { buf: body, at: 0 };
    if r.take(MAGIC.len())? != MAGIC {
        return Err(bad("not an index snapshot"));
    }
    let version = r.u32()?;
    if version != FORMAT_VERSION {
        return Err(bad(&format!("format version {version}; this build reads {FORMAT_VERSION}")));
    }
    let position = r.u64()?;
    let n = r.u32()? as usize;
    let mut names = Vec::with_capacity(n.min(1 << 16));
    for _ in 0..n {
        let name = std::str::from_utf8(r.bytes()?).map_err(|_| bad("collection name"))?;
        names.push(Collection::new(name).map_err(|_| bad("collection name"))?);
    }
    // This process's ids for the file's numbers.
    let ids: Vec<CollectionId> = names.iter().map(collections::intern).collect();
    let index = TrigramIndex::decode(&mut r, &ids)?;
    let count = r.len(3)?;
    let mut collections = ConceptCollections::default();
    collections.reserve(count);
    for _ in 0..count {
        let id = std::str::from_utf8(r.bytes()?).map_err(|_| bad("concept id"))?;
        let id = ConceptId::new(id).map_err(|_| bad("concept id"))?;
        let c = r.u32()?;
        let name = names.get(c as usize).ok_or_else(|| bad("collection number"))?;
        collections.upsert(&id, name);
    }
    if r.at != body.len() {
        return Err(bad("trailing bytes"));
    }
    Ok(Decoded { position, index, collections })
}

/// Reads the snapshot of data directory `dir`: `Ok(None)` when there is
/// none, [`Error::Corrupt`] when it cannot be used.
pub fn load(dir: &Path) -> Result<Option<Decoded>> {
    let bytes = match std::fs::read(path_in(dir)) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::Storage(format!("cannot read the index snapshot: {e}"))),
    };
    decode(&bytes).map(Some)
}

/// Writes `bytes` (from [`encode`]) as the snapshot of `dir`: to a
/// temporary file, synced, then renamed over the previous one.
pub fn store(dir: &Path, bytes: &[u8]) -> Result<()> {
    let io = |e: std::io::Error| Error::Storage(format!("cannot write the index snapshot: {e}"));
    let tmp = dir.join(format!("{FILE_NAME}.tmp"));
    let mut f = File::create(&tmp).map_err(io)?;
    f.write_all(bytes).map_err(io)?;
    f.sync_all().map_err(io)?;
    drop(f);
    std::fs::rename(&tmp, path_in(dir)).map_err(io)?;
    // Make the rename itself durable.
    File::open(dir).and_then(|d| d.sync_all()).map_err(io)?;
    Ok(())
}
