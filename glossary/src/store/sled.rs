//! The sled implementation of [`Backend`]: the embedded default, one sled
//! database per data directory (`<dir>/store`), one sled tree per [`Tree`].
//!
//! # Durability
//! Every transaction runs as one sled transaction over the trees it names
//! and returns only after [`sled::Db::flush`] has synced the log (one flush
//! covers every tree of the database). A write that returned `Ok` survives
//! `kill -9`; one that returned `Err` may or may not have happened.
//!
//! # The write gate
//! sled has no snapshots, so this backend has a store-wide write gate (a
//! `RwLock<()>`). Every transaction holds it shared while it runs (writes
//! never wait for each other on it) and flushes after releasing it;
//! [`Backend::visit_all`] holds it exclusively while it reads every tree,
//! so a visit sees every write that returned before it started and none
//! that is half applied. This is the only module that names a sled type.

use std::cell::RefCell;
use std::path::Path;
use std::sync::{PoisonError, RwLock};

use sled::transaction::{
    ConflictableTransactionError, TransactionError, TransactionalTree, UnabortableTransactionError,
};
use sled::Transactional;

use super::backend::{Backend, Tree, TxError, Txn};
use crate::error::{Error, Result};

/// Trees of older layouts, removed when a store is opened (their content is
/// no longer read; see `store/mod.rs`, "Migrations").
const RETIRED_TREES: &[&str] = &["term_keys"];

impl From<sled::Error> for Error {
    fn from(e: sled::Error) -> Self {
        match e {
            sled::Error::Corruption { .. } => Error::Corrupt(e.to_string()),
            other => Error::Storage(other.to_string()),
        }
    }
}

/// A sled database with one open tree per [`Tree`].
pub(crate) struct SledBackend {
    db: sled::Db,
    trees: Vec<sled::Tree>,
    gate: RwLock<()>,
}

impl SledBackend {
    /// Opens (creating if needed) the sled database of data directory `dir`.
    pub(crate) fn open(dir: &Path, cache_capacity: u64) -> Result<SledBackend> {
        let db = open_db(dir, cache_capacity)?;
        let trees = Tree::ALL.iter().map(|t| db.open_tree(t.name())).collect::<std::result::Result<_, _>>()?;
        Ok(SledBackend { db, trees, gate: RwLock::new(()) })
    }

    fn tree(&self, tree: Tree) -> &sled::Tree {
        &self.trees[tree.code() as usize]
    }

    /// Removes the trees of older layouts, if any; true if one was removed.
    pub(crate) fn drop_retired_trees(&self) -> Result<bool> {
        let names = self.db.tree_names();
        let mut dropped = false;
        for name in RETIRED_TREES {
            if names.iter().any(|n| n.as_ref() == name.as_bytes()) {
                let _gate = self.gate.write().unwrap_or_else(PoisonError::into_inner);
                self.db.drop_tree(name)?;
                dropped = true;
            }
        }
        if dropped {
            self.db.flush()?;
        }
        Ok(dropped)
    }
}

/// Opens (creating if needed) the sled database of data directory `dir`.
fn open_db(dir: &Path, cache_capacity: u64) -> Result<sled::Db> {
    let config = sled::Config::new().path(dir.join("store")).cache_capacity(cache_capacity);
    // sled releases its directory lock when the last handle's background
    // thread exits, a moment after the handle is dropped: a reopen in the
    // same process can race it, so retry briefly before giving up.
    let mut attempt = 0;
    loop {
        match config.open() {
            Ok(db) => return Ok(db),
            Err(sled::Error::Io(io)) if io.to_string().contains("lock") && attempt < 20 => {
                attempt += 1;
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            Err(sled::Error::Io(io)) if io.to_string().contains("lock") => {
                return Err(Error::Storage(format!(
                    "the data directory {} is in use by another process (a running glossary-server keeps it \
                     until it stops); use that server's HTTP API, or stop it first",
                    dir.display()
                )))
            }
            Err(sled::Error::Io(io)) => {
                return Err(Error::Storage(format!("cannot open store in {}: {io}", dir.display())))
            }
            Err(other) => return Err(Error::from(other)),
        }
    }
}

/// The transaction view: the sled views of the declared trees.
struct SledTxn<'a> {
    declared: &'a [Tree],
    views: &'a [TransactionalTree],
}

impl SledTxn<'_> {
    fn view(&self, tree: Tree) -> Result<&TransactionalTree, TxError> {
        match self.declared.iter().position(|&t| t == tree) {
            Some(i) => Ok(&self.views[i]),
            None => Err(TxError::Abort(Error::Storage(format!(
                "internal error: tree {} used in a transaction that did not declare it",
                tree.name()
            )))),
        }
    }
}

fn tx_err(e: UnabortableTransactionError) -> TxError {
    match e {
        UnabortableTransactionError::Conflict => TxError::Conflict,
        UnabortableTransactionError::Storage(e) => TxError::Abort(Error::from(e)),
    }
}

impl Txn for SledTxn<'_> {
    fn get(&mut self, tree: Tree, key: &[u8]) -> Result<Option<Vec<u8>>, TxError> {
        Ok(self.view(tree)?.get(key).map_err(tx_err)?.map(|v| v.to_vec()))
    }

    fn insert(&mut self, tree: Tree, key: &[u8], value: &[u8]) -> Result<(), TxError> {
        self.view(tree)?.insert(key, value).map_err(tx_err)?;
        Ok(())
    }

    fn remove(&mut self, tree: Tree, key: &[u8]) -> Result<Option<Vec<u8>>, TxError> {
        Ok(self.view(tree)?.remove(key).map_err(tx_err)?.map(|v| v.to_vec()))
    }

    fn keeps_change_log(&self) -> bool {
        true
    }
}

impl Backend for SledBackend {
    fn kind(&self) -> &'static str {
        "sled"
    }

    fn get(&self, tree: Tree, key: &[u8]) -> Result<Option<Vec<u8>>> {
        Ok(self.tree(tree).get(key)?.map(|v| v.to_vec()))
    }

    fn scan(&self, tree: Tree, prefix: &[u8], after: Option<&[u8]>, limit: usize) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
        let mut start = prefix.to_vec();
        if let Some(after) = after {
            // The smallest key greater than `after`.
            let mut next = after.to_vec();
            next.push(0);
            if next > start {
                start = next;
            }
        }
        let mut out = Vec::new();
        if limit == 0 {
            return Ok(out);
        }
        for item in self.tree(tree).range(start..) {
            let (k, v) = item?;
            if !k.starts_with(prefix) {
                break;
            }
            out.push((k.to_vec(), v.to_vec()));
            if out.len() >= limit {
                break;
            }
        }
        Ok(out)
    }

    fn last(&self, tree: Tree) -> Result<Option<(Vec<u8>, Vec<u8>)>> {
        Ok(self.tree(tree).last()?.map(|(k, v)| (k.to_vec(), v.to_vec())))
    }

    fn len(&self, tree: Tree) -> Result<u64> {
        Ok(self.tree(tree).len() as u64)
    }

    fn transact_dyn(&self, trees: &[Tree], body: &mut dyn FnMut(&mut dyn Txn) -> Result<(), TxError>) -> Result<()> {
        let mut declared: Vec<Tree> = trees.to_vec();
        declared.sort();
        declared.dedup();
        let handles: Vec<sled::Tree> = declared.iter().map(|&t| self.tree(t).clone()).collect();
        // sled wants an `Fn`; it calls it again only after the previous
        // attempt returned, so the borrow never overlaps.
        let body = RefCell::new(body);
        let gate = self.gate.read().unwrap_or_else(PoisonError::into_inner);
        let res = handles.as_slice().transaction(|views: &Vec<TransactionalTree>| {
            let mut txn = SledTxn { declared: &declared, views };
            let mut body = body.borrow_mut();
            match (*body)(&mut txn) {
                Ok(()) => Ok(()),
                Err(TxError::Conflict) => Err(ConflictableTransactionError::Conflict),
                Err(TxError::Abort(e)) => Err(ConflictableTransactionError::Abort(e)),
            }
        });
        drop(gate);
        match res {
            Ok(()) => {}
            Err(TransactionError::Abort(e)) => return Err(e),
            Err(TransactionError::Storage(e)) => return Err(Error::from(e)),
        }
        self.db.flush()?;
        Ok(())
    }

    fn visit_all(&self, visit: &mut dyn FnMut(Tree, &[u8], &[u8]) -> Result<()>) -> Result<()> {
        let _gate = self.gate.write().unwrap_or_else(PoisonError::into_inner);
        for tree in Tree::ALL {
            for item in self.tree(tree).iter() {
                let (k, v) = item?;
                visit(tree, &k, &v)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Store, StoreOptions, SCHEMA_VERSION};

    /// A version-1 store (with its `term_keys` tree) opens: the tree is
    /// dropped and the schema version becomes the current one.
    #[test]
    fn a_version_1_store_is_migrated_on_open() {
        let dir = tempfile::tempdir().unwrap();
        {
            let db = open_db(dir.path(), 8 << 20).unwrap();
            db.open_tree("meta").unwrap().insert("schema_version", &1u32.to_be_bytes()).unwrap();
            db.open_tree("concepts")
                .unwrap()
                .insert(
                    "c1",
                    r#"{"id":"c1","terms":[{"lang":"vi","text":"hòa bình"}],"created":1,"updated":1,"version":1}"#
                        .as_bytes(),
                )
                .unwrap();
            db.open_tree("meta").unwrap().insert("concept_count", &1u64.to_be_bytes()).unwrap();
            db.open_tree("term_keys")
                .unwrap()
                .insert(b"f\0hoa binh\0vi\0c1\0\0\0\0\0".as_slice(), b"".as_slice())
                .unwrap();
            db.flush().unwrap();
        }
        let store = Store::open(dir.path(), &StoreOptions::default()).unwrap();
        assert_eq!(store.concept_count().unwrap(), 1);
        assert_eq!(store.get(&crate::model::ConceptId::new("c1").unwrap()).unwrap().unwrap().terms[0].text, "hòa bình");
        let version = store.backend().get(Tree::Meta, b"schema_version").unwrap().unwrap();
        assert_eq!(version, SCHEMA_VERSION.to_be_bytes());
        drop(store);
        let db = open_db(dir.path(), 8 << 20).unwrap();
        assert!(!db.tree_names().iter().any(|n| n.as_ref() == b"term_keys"), "the retired tree is gone");
    }
}
