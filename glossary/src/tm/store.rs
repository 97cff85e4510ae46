//! TM units on sled.
//!
//! | tree        | key                                   | value                          |
//! |-------------|---------------------------------------|--------------------------------|
//! | `tm_units`  | unit id, `u64` big-endian             | JSON of [`TmUnit`]             |
//! | `tm_pairs`  | FNV-1a 64 of `src\0tgt\0source\0target` | ids (`u64` BE, concatenated) |
//! | `meta`      | `tm_count`                            | `u64` BE                       |
//!
//! `tm_pairs` finds an identical pair (same languages, same cleaned texts)
//! so that adding it again updates the existing unit instead of storing a
//! duplicate; hash collisions are resolved by comparing the stored units.

use super::{AddOutcome, TmUnit, TmUnitDraft};
use crate::error::{Error, RecordKind, Result};
use crate::model::Timestamp;
use crate::store::{abort, next_id, IdKind, Store};
use sled::transaction::{ConflictableTransactionError, TransactionalTree};

const META_TM_COUNT: &[u8] = b"tm_count";
/// The tree of units, keyed by big-endian id.
pub(crate) const UNITS_TREE: &str = "tm_units";

/// The TM trees of a store.
#[derive(Clone)]
pub(crate) struct TmStore {
    store: Store,
    units: sled::Tree,
    pairs: sled::Tree,
}

/// FNV-1a, 64 bit: stable across builds and platforms (unlike std's hasher),
/// which matters for a key that is persisted.
fn fnv64(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            // A NUL byte between parts, so ("ab", "c") and ("a", "bc") differ.
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        for b in p.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

fn pair_key(u: &TmUnit) -> [u8; 8] {
    fnv64(&[u.src_lang.as_str(), u.tgt_lang.as_str(), &u.source, &u.target]).to_be_bytes()
}

fn same_pair(a: &TmUnit, b: &TmUnit) -> bool {
    a.src_lang == b.src_lang && a.tgt_lang == b.tgt_lang && a.source == b.source && a.target == b.target
}

fn decode(v: &[u8]) -> Result<TmUnit> {
    serde_json::from_slice(v).map_err(|e| Error::Corrupt(format!("cannot decode a stored TM unit: {e}")))
}

fn encode(u: &TmUnit) -> Result<Vec<u8>, ConflictableTransactionError<Error>> {
    serde_json::to_vec(u).map_err(|e| ConflictableTransactionError::Abort(Error::Corrupt(e.to_string())))
}

fn ids_of(v: &[u8]) -> Vec<u64> {
    v.chunks_exact(8).map(|c| u64::from_be_bytes(c.try_into().expect("8 bytes"))).collect()
}

fn not_found(id: u64) -> Error {
    Error::NotFound { kind: RecordKind::TmUnit, id: id.to_string() }
}

fn tx_decode(v: &[u8]) -> Result<TmUnit, ConflictableTransactionError<Error>> {
    decode(v).map_err(ConflictableTransactionError::Abort)
}

fn add_count(meta: &TransactionalTree, delta: i64) -> Result<(), ConflictableTransactionError<Error>> {
    let current = meta.get(META_TM_COUNT)?.map_or(0, |v| u64::from_be_bytes(v.as_ref().try_into().unwrap_or([0; 8])));
    meta.insert(META_TM_COUNT, &((current as i64 + delta).max(0) as u64).to_be_bytes())?;
    Ok(())
}

/// Finds a stored unit with the same pair as `u` through `tm_pairs`.
fn find_same(
    units: &TransactionalTree,
    pairs: &TransactionalTree,
    u: &TmUnit,
) -> Result<Option<TmUnit>, ConflictableTransactionError<Error>> {
    if let Some(v) = pairs.get(pair_key(u))? {
        for id in ids_of(&v) {
            if let Some(raw) = units.get(id.to_be_bytes())? {
                let existing = tx_decode(&raw)?;
                if same_pair(&existing, u) {
                    return Ok(Some(existing));
                }
            }
        }
    }
    Ok(None)
}

fn link_pair(pairs: &TransactionalTree, u: &TmUnit) -> Result<(), ConflictableTransactionError<Error>> {
    let key = pair_key(u);
    let mut v = pairs.get(key)?.map(|v| v.to_vec()).unwrap_or_default();
    if !ids_of(&v).contains(&u.id) {
        v.extend_from_slice(&u.id.to_be_bytes());
    }
    pairs.insert(&key, v)?;
    Ok(())
}

fn unlink_pair(pairs: &TransactionalTree, u: &TmUnit) -> Result<(), ConflictableTransactionError<Error>> {
    let key = pair_key(u);
    if let Some(v) = pairs.get(key)? {
        let rest: Vec<u8> = ids_of(&v).into_iter().filter(|&i| i != u.id).flat_map(u64::to_be_bytes).collect();
        if rest.is_empty() {
            pairs.remove(&key)?;
        } else {
            pairs.insert(&key, rest)?;
        }
    }
    Ok(())
}

impl TmStore {
    pub(crate) fn open(store: &Store) -> Result<TmStore> {
        Ok(TmStore {
            store: store.clone(),
            units: store.db.open_tree(UNITS_TREE)?,
            pairs: store.db.open_tree("tm_pairs")?,
        })
    }

    pub(crate) fn count(&self) -> Result<u64> {
        Ok(self
            .store
            .meta
            .get(META_TM_COUNT)?
            .map_or(0, |v| u64::from_be_bytes(v.as_ref().try_into().unwrap_or([0; 8]))))
    }

    pub(crate) fn get(&self, id: u64) -> Result<Option<TmUnit>> {
        self.units.get(id.to_be_bytes())?.map(|v| decode(&v)).transpose()
    }

    pub(crate) fn iter_from(&self, after: Option<u64>) -> impl Iterator<Item = Result<TmUnit>> + '_ {
        let iter = match after {
            Some(id) => match id.checked_add(1) {
                Some(next) => self.units.range(next.to_be_bytes()..),
                None => self.units.range([0xffu8; 9]..),
            },
            None => self.units.iter(),
        };
        iter.map(|r| r.map_err(Error::from).and_then(|(_, v)| decode(&v)))
    }

    /// Adds validated drafts in one transaction and one flush. An identical
    /// pair already stored (or earlier in the batch) is merged: its usage
    /// count goes up and the newer provenance replaces the old one.
    pub(crate) fn add(&self, drafts: Vec<TmUnitDraft>) -> Result<Vec<(TmUnit, AddOutcome)>> {
        let now = Timestamp::now();
        // Ids are issued in the transaction, and only to units stored as
        // new (a merge keeps the stored unit's id); 0 until then.
        let fresh: Vec<TmUnit> = drafts.into_iter().map(|d| d.into_unit(0, now)).collect();
        self.store.transact((&self.units, &self.pairs, &self.store.meta), |(units, pairs, meta)| {
            let mut out = Vec::with_capacity(fresh.len());
            let mut added = 0i64;
            for u in &fresh {
                match find_same(units, pairs, u)? {
                    Some(mut existing) => {
                        existing.usage_count += 1;
                        if !u.provenance.is_empty() {
                            existing.provenance = u.provenance.clone();
                        }
                        if u.note.is_some() {
                            existing.note = u.note.clone();
                        }
                        existing.updated = now;
                        units.insert(&existing.id.to_be_bytes(), encode(&existing)?)?;
                        out.push((existing, AddOutcome::Merged));
                    }
                    None => {
                        let u = TmUnit { id: next_id(meta, IdKind::TmUnit)?, ..u.clone() };
                        units.insert(&u.id.to_be_bytes(), encode(&u)?)?;
                        link_pair(pairs, &u)?;
                        added += 1;
                        out.push((u, AddOutcome::Created));
                    }
                }
            }
            add_count(meta, added)?;
            Ok(out)
        })
    }

    pub(crate) fn replace(&self, id: u64, draft: TmUnitDraft) -> Result<TmUnit> {
        let now = Timestamp::now();
        self.store.transact((&self.units, &self.pairs), |(units, pairs)| {
            let old = match units.get(id.to_be_bytes())? {
                Some(v) => tx_decode(&v)?,
                None => return abort(not_found(id)),
            };
            let mut new = draft.clone().into_unit(id, now);
            new.created = old.created;
            new.usage_count = old.usage_count;
            if let Some(other) = find_same(units, pairs, &new)? {
                if other.id != id {
                    return abort(Error::AlreadyExists { kind: RecordKind::TmUnit, id: other.id.to_string() });
                }
            }
            unlink_pair(pairs, &old)?;
            link_pair(pairs, &new)?;
            units.insert(&id.to_be_bytes(), encode(&new)?)?;
            Ok(new)
        })
    }

    pub(crate) fn delete(&self, id: u64) -> Result<TmUnit> {
        self.store.transact((&self.units, &self.pairs, &self.store.meta), |(units, pairs, meta)| {
            let old = match units.remove(&id.to_be_bytes())? {
                Some(v) => tx_decode(&v)?,
                None => return abort(not_found(id)),
            };
            unlink_pair(pairs, &old)?;
            add_count(meta, -1)?;
            Ok(old)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::fnv64;

    #[test]
    fn fnv_is_stable_and_separates_parts() {
        // Persisted keys depend on this exact function.
        assert_eq!(fnv64(&[""]), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv64(&["a"]), 0xaf63_dc4c_8601_ec8c);
        assert_ne!(fnv64(&["ab", "c"]), fnv64(&["a", "bc"]));
    }
}
