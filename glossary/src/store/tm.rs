//! Translation-memory units.
//!
//! | tree        | key                                   | value                          |
//! |-------------|---------------------------------------|--------------------------------|
//! | `tm_units`  | unit id, `u64` big-endian             | JSON of [`TmUnit`]             |
//! | `tm_pairs`  | FNV-1a 64 of `src\0tgt\0source\0target` | ids (`u64` BE, concatenated) |
//! | `meta`      | `tm_count`                            | `u64` BE                       |
//!
//! `tm_pairs` finds an identical pair (same languages, same cleaned texts,
//! same collection) so that adding it again updates the existing unit
//! instead of storing a duplicate; hash collisions (and the same pair in
//! other collections, which shares the key) are resolved by comparing the
//! stored units. A unit without `collection` in its JSON is in `default`.

use super::{add_to_count, from_json, next_id, to_json, IdKind, Store, Tree, TxError, Txn};
use crate::error::{Error, RecordKind, Result};
use crate::model::Timestamp;
use crate::tm::{AddOutcome, TmUnit, TmUnitDraft};

const META_TM_COUNT: &[u8] = b"tm_count";
/// The trees a TM write touches.
const TM_TREES: [Tree; 3] = [Tree::Meta, Tree::TmUnits, Tree::TmPairs];

/// The translation-memory records of a store.
#[derive(Clone)]
pub(crate) struct TmStore {
    store: Store,
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
    a.src_lang == b.src_lang
        && a.tgt_lang == b.tgt_lang
        && a.source == b.source
        && a.target == b.target
        && a.collection == b.collection
}

fn decode(v: &[u8]) -> Result<TmUnit> {
    from_json(v, "TM unit")
}

fn ids_of(v: &[u8]) -> Result<Vec<u64>> {
    if v.len() % 8 != 0 {
        return Err(Error::Corrupt(format!("a tm_pairs record has {} bytes, not a multiple of 8", v.len())));
    }
    Ok(v.chunks_exact(8).map(|c| u64::from_be_bytes(c.try_into().expect("8 bytes"))).collect())
}

fn not_found(id: u64) -> Error {
    Error::NotFound { kind: RecordKind::TmUnit, id: id.to_string() }
}

fn load(txn: &mut dyn Txn, id: u64) -> Result<Option<TmUnit>, TxError> {
    match txn.get(Tree::TmUnits, &id.to_be_bytes())? {
        Some(v) => Ok(Some(decode(&v)?)),
        None => Ok(None),
    }
}

fn put(txn: &mut dyn Txn, u: &TmUnit) -> Result<(), TxError> {
    txn.insert(Tree::TmUnits, &u.id.to_be_bytes(), &to_json(u, "TM unit")?)
}

/// Finds a stored unit with the same pair as `u` through `tm_pairs`.
fn find_same(txn: &mut dyn Txn, u: &TmUnit) -> Result<Option<TmUnit>, TxError> {
    if let Some(v) = txn.get(Tree::TmPairs, &pair_key(u))? {
        for id in ids_of(&v)? {
            if let Some(existing) = load(txn, id)? {
                if same_pair(&existing, u) {
                    return Ok(Some(existing));
                }
            }
        }
    }
    Ok(None)
}

fn link_pair(txn: &mut dyn Txn, u: &TmUnit) -> Result<(), TxError> {
    let key = pair_key(u);
    let mut v = txn.get(Tree::TmPairs, &key)?.unwrap_or_default();
    if !ids_of(&v)?.contains(&u.id) {
        v.extend_from_slice(&u.id.to_be_bytes());
    }
    txn.insert(Tree::TmPairs, &key, &v)
}

fn unlink_pair(txn: &mut dyn Txn, u: &TmUnit) -> Result<(), TxError> {
    let key = pair_key(u);
    if let Some(v) = txn.get(Tree::TmPairs, &key)? {
        let rest: Vec<u8> = ids_of(&v)?.into_iter().filter(|&i| i != u.id).flat_map(u64::to_be_bytes).collect();
        if rest.is_empty() {
            txn.remove(Tree::TmPairs, &key)?;
        } else {
            txn.insert(Tree::TmPairs, &key, &rest)?;
        }
    }
    Ok(())
}

impl TmStore {
    pub(crate) fn open(store: &Store) -> TmStore {
        TmStore { store: store.clone() }
    }

    /// Units stored (a malformed count record is corruption, not 0).
    pub(crate) fn count(&self) -> Result<u64> {
        self.store.counter(META_TM_COUNT)
    }

    pub(crate) fn get(&self, id: u64) -> Result<Option<TmUnit>> {
        self.store.backend().get(Tree::TmUnits, &id.to_be_bytes())?.map(|v| decode(&v)).transpose()
    }

    pub(crate) fn iter_from(&self, after: Option<u64>) -> impl Iterator<Item = Result<TmUnit>> + '_ {
        let after = after.map(|id| id.to_be_bytes().to_vec());
        self.store.iter(Tree::TmUnits, Vec::new(), after).map(|r| r.and_then(|(_, v)| decode(&v)))
    }

    /// Adds validated drafts in one transaction. An identical pair already
    /// stored (or earlier in the batch) is merged: its usage count goes up
    /// and the newer provenance replaces the old one.
    pub(crate) fn add(&self, drafts: Vec<TmUnitDraft>) -> Result<Vec<(TmUnit, AddOutcome)>> {
        let now = Timestamp::now();
        // Ids are issued in the transaction, and only to units stored as
        // new (a merge keeps the stored unit's id); 0 until then.
        let fresh: Vec<TmUnit> = drafts.into_iter().map(|d| d.into_unit(0, now)).collect();
        self.store.transact(&TM_TREES, |txn| {
            let mut out = Vec::with_capacity(fresh.len());
            let mut added = 0i64;
            for u in &fresh {
                match find_same(txn, u)? {
                    Some(mut existing) => {
                        existing.usage_count += 1;
                        if !u.provenance.is_empty() {
                            existing.provenance = u.provenance.clone();
                        }
                        if u.note.is_some() {
                            existing.note = u.note.clone();
                        }
                        existing.updated = now;
                        put(txn, &existing)?;
                        out.push((existing, AddOutcome::Merged));
                    }
                    None => {
                        let u = TmUnit { id: next_id(txn, IdKind::TmUnit)?, ..u.clone() };
                        put(txn, &u)?;
                        link_pair(txn, &u)?;
                        added += 1;
                        out.push((u, AddOutcome::Created));
                    }
                }
            }
            add_to_count(txn, META_TM_COUNT, added)?;
            Ok(out)
        })
    }

    pub(crate) fn replace(&self, id: u64, draft: TmUnitDraft) -> Result<TmUnit> {
        let now = Timestamp::now();
        self.store.transact(&TM_TREES, |txn| {
            let old = load(txn, id)?.ok_or_else(|| not_found(id))?;
            let keep = draft.collection.is_none();
            let mut new = draft.clone().into_unit(id, now);
            if keep {
                new.collection = old.collection.clone();
            }
            new.created = old.created;
            new.usage_count = old.usage_count;
            if let Some(other) = find_same(txn, &new)? {
                if other.id != id {
                    return Err(Error::AlreadyExists { kind: RecordKind::TmUnit, id: other.id.to_string() }.into());
                }
            }
            unlink_pair(txn, &old)?;
            link_pair(txn, &new)?;
            put(txn, &new)?;
            Ok(new)
        })
    }

    pub(crate) fn delete(&self, id: u64) -> Result<TmUnit> {
        self.store.transact(&TM_TREES, |txn| {
            let old = match txn.remove(Tree::TmUnits, &id.to_be_bytes())? {
                Some(v) => decode(&v)?,
                None => return Err(not_found(id).into()),
            };
            unlink_pair(txn, &old)?;
            add_to_count(txn, META_TM_COUNT, -1)?;
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
