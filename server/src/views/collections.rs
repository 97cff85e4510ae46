//! Wire types of collections (named glossaries and TMs).

use glossary::CollectionSelection;
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use utoipa::ToSchema;

/// One collection and what it holds.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct CollectionJson {
    /// Name (`default`, `mofa`, `news-desk`, ...).
    pub name: String,
    /// Concepts in the collection.
    pub concepts: u64,
    /// Translation-memory units in the collection.
    pub tm_units: u64,
}

/// Every collection that holds a record, and always `default`.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct CollectionList {
    /// Collections by name.
    pub items: Vec<CollectionJson>,
}

impl From<&glossary::collections::CollectionInfo> for CollectionJson {
    fn from(c: &glossary::collections::CollectionInfo) -> Self {
        CollectionJson { name: c.name.to_string(), concepts: c.concepts, tm_units: c.tm_units }
    }
}

/// A request's `collection` parameter (absent or blank: every collection;
/// a malformed name: `400 invalid_input` on field `collection`).
pub fn selection(param: Option<&str>) -> Result<CollectionSelection, ApiError> {
    Ok(CollectionSelection::parse(param)?)
}
