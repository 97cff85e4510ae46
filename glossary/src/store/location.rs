//! Where a store lives: a data directory (the embedded sled backend) or a
//! PostgreSQL database, and opening either as a [`Store`].

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use super::postgres::{redact, PgBackend};
use super::snapshot::SnapshotInfo;
use super::{Store, StoreOptions};
use crate::error::Result;

/// A store's location.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreLocation {
    /// A data directory holding an embedded (sled) store.
    Dir(PathBuf),
    /// A PostgreSQL database, by connection URL (`postgres://` or
    /// `postgresql://`).
    Postgres(String),
}

impl StoreLocation {
    /// Reads a command-line value: a `postgres://` or `postgresql://` URL
    /// names a database, anything else a data directory.
    pub fn parse(s: &str) -> StoreLocation {
        if s.starts_with("postgres://") || s.starts_with("postgresql://") {
            StoreLocation::Postgres(s.to_string())
        } else {
            StoreLocation::Dir(PathBuf::from(s))
        }
    }

    /// Opens (creating if needed) the store: [`Store::open`] for a
    /// directory; for a database, connects and applies the schema
    /// migrations it lacks.
    pub fn open(&self, options: &StoreOptions) -> Result<Store> {
        match self {
            StoreLocation::Dir(dir) => Store::open(dir, options),
            StoreLocation::Postgres(url) => Store::with_backend(Arc::new(PgBackend::connect(url)?), options),
        }
    }
}

impl StoreLocation {
    /// Restores the snapshot read from `input` into this location, which
    /// must hold no records (a missing or empty data directory, or a
    /// database without records); see [`super::snapshot::restore`].
    pub fn restore_snapshot(&self, input: impl std::io::Read) -> Result<SnapshotInfo> {
        match self {
            StoreLocation::Dir(dir) => super::snapshot::restore(dir, input),
            StoreLocation::Postgres(url) => super::snapshot::restore_into_backend(&PgBackend::connect(url)?, input),
        }
    }
}

/// The location for messages: a directory's path, or the URL without its
/// password.
impl fmt::Display for StoreLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreLocation::Dir(dir) => write!(f, "{}", dir.display()),
            StoreLocation::Postgres(url) => f.write_str(&redact(url)),
        }
    }
}
