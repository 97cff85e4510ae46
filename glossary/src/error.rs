//! The crate's one error type.
//!
//! Every fallible operation in `glossary` returns [`Error`]. The variants are
//! coarse on purpose: they say *what kind of thing went wrong* (bad input, a
//! missing record, a conflicting write, a storage failure), which is what an
//! adapter such as the HTTP server needs to pick a status code, and carry a
//! message written for the person who has to fix the input.

use std::fmt;

/// Convenience alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What failed, and why, in words a user can act on.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A language tag is not well-formed BCP 47 (RFC 5646).
    #[error("invalid language tag {tag:?}: {reason}")]
    InvalidLanguageTag {
        /// The tag as given.
        tag: String,
        /// Which rule it breaks.
        reason: String,
    },
    /// Some other input is invalid; `field` names it (e.g. `terms[2].text`).
    #[error("invalid {field}: {reason}")]
    InvalidInput {
        /// Path of the offending field or parameter.
        field: String,
        /// What is wrong and how to fix it.
        reason: String,
    },
    /// The requested record does not exist.
    #[error("{kind} {id:?} not found")]
    NotFound {
        /// What was looked for.
        kind: RecordKind,
        /// Its id.
        id: String,
    },
    /// A record with this id already exists.
    #[error("{kind} {id:?} already exists")]
    AlreadyExists {
        /// What was being created.
        kind: RecordKind,
        /// The id that is taken.
        id: String,
    },
    /// Optimistic concurrency check failed: the record changed since the
    /// caller read it.
    #[error("{kind} {id:?} is at version {actual}, not {expected}: reload it and apply your change again")]
    VersionConflict {
        /// What was being updated.
        kind: RecordKind,
        /// Its id.
        id: String,
        /// The version the caller based its change on.
        expected: u64,
        /// The version in the store.
        actual: u64,
    },
    /// The record is in a state that does not allow the operation (e.g. a
    /// mining candidate that was already accepted).
    #[error("{kind} {id:?}: {reason}")]
    Conflict {
        /// What was being changed.
        kind: RecordKind,
        /// Its id.
        id: String,
        /// Why the operation is refused, and what to do instead.
        reason: String,
    },
    /// The storage engine failed (I/O error, disk full, ...). The write, if
    /// any, was not acknowledged.
    #[error("storage error: {0}")]
    Storage(String),
    /// Data on disk cannot be decoded, or was written by an incompatible
    /// version of this program.
    #[error("corrupt or incompatible data: {0}")]
    Corrupt(String),
    /// Too much background work is running already (see
    /// [`crate::jobs::MAX_BACKGROUND_JOBS`]); nothing was started.
    #[error("{reason}")]
    Busy {
        /// What is full, and what to do.
        reason: String,
        /// Seconds after which trying again is sensible.
        retry_after_secs: u64,
    },
    /// An exchange file (TBX, TSV, CSV, TMX) cannot be read; `problem` says
    /// which kind of trouble, `message` where it is and how to fix it.
    #[error("{message}")]
    InvalidFile {
        /// The kind of problem.
        problem: FileProblem,
        /// Where (line) and what, in words for the person who sent the file.
        message: String,
    },
}

/// Why an exchange file was refused (see [`Error::InvalidFile`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileProblem {
    /// Not well-formed XML: truncated, mismatched tags, not XML at all.
    Malformed,
    /// XML features refused for safety: a DOCTYPE with an internal subset,
    /// entity declarations (billion laughs, external entities).
    Unsafe,
    /// Not UTF-8 (e.g. UTF-16, Latin-1) or contains NUL bytes.
    Encoding,
    /// Larger than the accepted number of bytes.
    TooLarge,
    /// Nesting depth, element count, attribute or text length over a limit.
    LimitExceeded,
    /// Readable, but not a document of the expected format (wrong root
    /// element, missing header, wrong columns, an unclosed CSV quote).
    WrongFormat,
    /// The format is unknown, cannot be guessed, or cannot be imported here.
    UnsupportedFormat,
}

/// The kinds of records the store holds; used in error messages and codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordKind {
    /// A concept entry.
    Concept,
    /// A translation-memory unit.
    TmUnit,
    /// A mined candidate term in the review queue.
    Candidate,
    /// A mining run.
    MiningRun,
    /// A recorded job (an import or a mining run).
    Job,
}

impl fmt::Display for RecordKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RecordKind::Concept => "concept",
            RecordKind::TmUnit => "TM unit",
            RecordKind::Candidate => "candidate",
            RecordKind::MiningRun => "mining run",
            RecordKind::Job => "job",
        })
    }
}

impl Error {
    /// Shorthand for [`Error::InvalidFile`].
    pub fn file(problem: FileProblem, message: impl Into<String>) -> Self {
        Error::InvalidFile { problem, message: message.into() }
    }

    /// Shorthand for [`Error::InvalidInput`].
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::InvalidInput { field: field.into(), reason: reason.into() }
    }
}
