//! Identifiers: [`ConceptId`] and [`Collection`] names.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Identifier of a concept: 1–64 characters from `A–Z a–z 0–9 _ . -`,
/// starting with a letter or `_` (so it is also a valid XML `xml:id`, which
/// TBX requires). Generated ids look like `c42`.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ConceptId(String);

impl ConceptId {
    /// Validates an id.
    pub fn new(id: &str) -> Result<ConceptId> {
        let ok_first = id.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
        let ok_rest = id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
        if id.is_empty() || id.len() > 64 || !ok_first || !ok_rest {
            return Err(Error::invalid(
                "id",
                format!("{id:?} is not a valid concept id: use 1-64 characters from A-Z a-z 0-9 _ . -, starting with a letter or '_'"),
            ));
        }
        Ok(ConceptId(id.to_string()))
    }

    /// The id generated for the `n`th concept.
    pub(crate) fn generated(n: u64) -> ConceptId {
        ConceptId(format!("c{n}"))
    }

    /// The id as a string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ConceptId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for ConceptId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ConceptId({})", self.0)
    }
}

impl FromStr for ConceptId {
    type Err = Error;
    fn from_str(s: &str) -> Result<ConceptId> {
        ConceptId::new(s)
    }
}

impl TryFrom<String> for ConceptId {
    type Error = Error;
    fn try_from(s: String) -> Result<ConceptId> {
        ConceptId::new(&s)
    }
}

impl From<ConceptId> for String {
    fn from(c: ConceptId) -> String {
        c.0
    }
}

/// Longest collection name, in characters.
pub const MAX_COLLECTION_CHARS: usize = 64;

/// A named glossary / TM inside one store (`default`, `mofa`, `news-desk`):
/// 1-64 characters from `a-z 0-9 . _ -`, starting with a letter or digit.
///
/// Records stored before collections existed have no such field and read as
/// [`Collection::default`] (`default`); records in the default collection are
/// stored without the field, so their encoding is unchanged.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Collection(String);

/// The name of the collection every record belongs to unless told otherwise.
pub const DEFAULT_COLLECTION: &str = "default";

impl Collection {
    /// Validates a collection name.
    pub fn new(name: &str) -> Result<Collection> {
        let ok_first = name.bytes().next().is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
        let ok_rest =
            name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-'));
        if !ok_first || !ok_rest || name.len() > MAX_COLLECTION_CHARS {
            return Err(Error::invalid(
                "collection",
                format!(
                    "{name:?} is not a valid collection name: use 1-{MAX_COLLECTION_CHARS} characters from a-z 0-9 . _ -, starting with a letter or digit"
                ),
            ));
        }
        Ok(Collection(name.to_string()))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True for the `default` collection.
    pub fn is_default(&self) -> bool {
        self.0 == DEFAULT_COLLECTION
    }
}

impl Default for Collection {
    fn default() -> Collection {
        Collection(DEFAULT_COLLECTION.to_string())
    }
}

impl fmt::Display for Collection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Collection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Collection({})", self.0)
    }
}

impl FromStr for Collection {
    type Err = Error;
    fn from_str(s: &str) -> Result<Collection> {
        Collection::new(s)
    }
}

impl TryFrom<String> for Collection {
    type Error = Error;
    fn try_from(s: String) -> Result<Collection> {
        Collection::new(&s)
    }
}

impl From<Collection> for String {
    fn from(c: Collection) -> String {
        c.0
    }
}
