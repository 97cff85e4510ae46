//! The persisted lookup-index snapshot: every [`IndexedTerm`] of the index
//! written to one file of the data directory, tagged with the store's write
//! sequence it reflects ([`crate::store::Store::write_seq`]). Opening a
//! glossary loads it and replays the concepts changed after that position
//! instead of reading and re-normalising every concept. The snapshot is
//! derived data: the store is the truth, and a snapshot that is missing,
//! torn, of another format version or of a position the change log no
//! longer reaches is ignored (the index is rebuilt from the store).
//!
//! # File format (version 1)
//! Integers are little-endian.
//!
//! | part    | content |
//! |---------|---------|
//! | header  | magic `GLIDXSNP`, format version `u32`, position `u64`, entry count `u64` |
//! | entries | per term, grouped by concept: concept id (`u16` length, UTF-8), term position `u32`, language tag (`u8` length, ASCII), status `u8`, text, normalised key, folded key (each `u32` length, UTF-8) |
//! | trailer | SHA-256 of every byte before it (32 bytes) |
//!
//! The file is written to a temporary name, synced and renamed, so a crash
//! leaves the previous snapshot or the new one; a torn or altered file
//! fails the checksum.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::IndexedTerm;
use crate::error::{Error, Result};
use crate::model::{ConceptId, Lang, TermStatus};

/// Version of the snapshot format this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;
/// File name of the snapshot in the data directory.
pub const FILE_NAME: &str = "index.snapshot";

const MAGIC: &[u8; 8] = b"GLIDXSNP";
const HASH_LEN: usize = 32;

/// Where the snapshot of data directory `dir` lives.
pub fn path_in(dir: &Path) -> PathBuf {
    dir.join(FILE_NAME)
}

fn status_code(s: TermStatus) -> u8 {
    match s {
        TermStatus::Preferred => 0,
        TermStatus::Admitted => 1,
        TermStatus::Deprecated => 2,
        TermStatus::Superseded => 3,
    }
}

fn status_from(c: u8) -> Option<TermStatus> {
    Some(match c {
        0 => TermStatus::Preferred,
        1 => TermStatus::Admitted,
        2 => TermStatus::Deprecated,
        3 => TermStatus::Superseded,
        _ => return None,
    })
}

/// Encodes `entries` (grouped by concept) at `position`.
pub fn encode<'a>(position: u64, entries: impl ExactSizeIterator<Item = &'a IndexedTerm>) -> Vec<u8> {
    let mut out = Vec::with_capacity(24 + entries.len() * 64);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&position.to_le_bytes());
    out.extend_from_slice(&(entries.len() as u64).to_le_bytes());
    for t in entries {
        // Every field of the entry, named, so a new one fails to compile
        // here until the format carries it.
        let IndexedTerm { concept, term, lang, text, status, norm, fold } = t;
        let id = concept.as_str().as_bytes();
        out.extend_from_slice(&(id.len() as u16).to_le_bytes());
        out.extend_from_slice(id);
        out.extend_from_slice(&term.to_le_bytes());
        let tag = lang.as_str().as_bytes();
        out.push(tag.len() as u8);
        out.extend_from_slice(tag);
        out.push(status_code(*status));
        for s in [text, norm, fold] {
            out.extend_from_slice(&(s.len() as u32).to_le_bytes());
            out.extend_from_slice(s.as_bytes());
        }
    }
    let hash = Sha256::digest(&out);
    out.extend_from_slice(&hash);
    out
}

/// Why a snapshot file was not used.
fn bad(why: &str) -> Error {
    Error::Corrupt(format!("index snapshot: {why}"))
}

struct Reader<'a> {
    buf: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.buf.len()).ok_or_else(|| bad("truncated entry"))?;
        let s = &self.buf[self.at..end];
        self.at = end;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }
    fn u16(&mut self) -> Result<u16> {
        Ok(u16::from_le_bytes(self.take(2)?.try_into().expect("2 bytes")))
    }
    fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().expect("4 bytes")))
    }
    fn u64(&mut self) -> Result<u64> {
        Ok(u64::from_le_bytes(self.take(8)?.try_into().expect("8 bytes")))
    }
    fn str(&mut self, n: usize) -> Result<&'a str> {
        std::str::from_utf8(self.take(n)?).map_err(|_| bad("a string is not UTF-8"))
    }
}

/// Decodes a snapshot: its position and entries (grouped by concept), or
/// [`Error::Corrupt`] when the checksum, magic, version or an entry is wrong.
pub fn decode(buf: &[u8]) -> Result<(u64, Vec<IndexedTerm>)> {
    if buf.len() < MAGIC.len() + 20 + HASH_LEN {
        return Err(bad("file too short"));
    }
    let (body, hash) = buf.split_at(buf.len() - HASH_LEN);
    if Sha256::digest(body).as_slice() != hash {
        return Err(bad("checksum mismatch (torn or altered file)"));
    }
    let mut r = Reader { buf: body, at: 0 };
    if r.take(MAGIC.len())? != MAGIC {
        return Err(bad("not an index snapshot"));
    }
    let version = r.u32()?;
    if version != FORMAT_VERSION {
        return Err(bad(&format!("format version {version}; this build reads {FORMAT_VERSION}")));
    }
    let position = r.u64()?;
    let count = r.u64()?;
    let mut entries = Vec::with_capacity(count.min(body.len() as u64 / 16) as usize);
    let mut last_id: Option<ConceptId> = None;
    for _ in 0..count {
        let n = r.u16()? as usize;
        let id = r.str(n)?;
        let concept = match &last_id {
            Some(prev) if prev.as_str() == id => prev.clone(),
            _ => ConceptId::new(id).map_err(|_| bad("invalid concept id"))?,
        };
        last_id = Some(concept.clone());
        let term = r.u32()?;
        let n = r.u8()? as usize;
        let lang = Lang::new(r.str(n)?).map_err(|_| bad("invalid language tag"))?;
        let status = status_from(r.u8()?).ok_or_else(|| bad("unknown term status"))?;
        let mut s = [String::new(), String::new(), String::new()];
        for slot in &mut s {
            let n = r.u32()? as usize;
            *slot = r.str(n)?.to_owned();
        }
        let [text, norm, fold] = s;
        entries.push(IndexedTerm { concept, term, lang, text, status, norm, fold });
    }
    if r.at != body.len() {
        return Err(bad("trailing bytes after the entries"));
    }
    Ok((position, entries))
}

/// Reads the snapshot of data directory `dir`: `Ok(None)` when there is
/// none, [`Error::Corrupt`] when it cannot be used.
pub fn load(dir: &Path) -> Result<Option<(u64, Vec<IndexedTerm>)>> {
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
