//! Where alignment meets the translation memory: storing aligned pairs as
//! TM units, and reading TM pairs back as evidence for equivalents.

use super::Alignment;
use crate::error::Result;
use crate::model::{Collection, Lang};
use crate::tm::matching::Segment;
use crate::tm::{AddOutcome, Provenance, TmUnitDraft, TranslationMemory};

/// Most TM pairs containing the term read for equivalents.
pub const MAX_TERM_PAIRS: usize = 5_000;
/// Most other TM pairs read as background counts for equivalents.
pub const MAX_BACKGROUND_PAIRS: usize = 5_000;

/// What storing an alignment did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StoredAlignment {
    /// Pairs stored as new units.
    pub created: usize,
    /// Pairs already in the TM (their usage count went up).
    pub merged: usize,
    /// Links left out: below the confidence, or not a pair (1-0, 0-1).
    pub skipped: usize,
}

/// A TM pair read as evidence, with the unit it comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TmPair {
    /// Unit id.
    pub id: u64,
    /// Source segment.
    pub source: String,
    /// Target segment.
    pub target: String,
}

impl super::equivalents::SegmentPair for &TmPair {
    fn source(&self) -> &str {
        &self.source
    }
    fn target(&self) -> &str {
        &self.target
    }
}

/// Stores the links of an alignment that pair sentences with at least
/// `min_confidence` as units of `tm` in `collection` (`default` when
/// `None`; one transaction), with `provenance`.
pub(crate) fn store_alignment(
    tm: &TranslationMemory,
    alignment: &Alignment,
    src: &Lang,
    tgt: &Lang,
    min_confidence: f64,
    provenance: &Provenance,
    collection: Option<&Collection>,
) -> Result<StoredAlignment> {
    let drafts: Vec<TmUnitDraft> = alignment
        .pairs(min_confidence)
        .map(|l| TmUnitDraft {
            src_lang: src.clone(),
            tgt_lang: tgt.clone(),
            source: l.src_text.clone(),
            target: l.tgt_text.clone(),
            provenance: provenance.clone(),
            note: Some(format!("aligned {} with confidence {:.3}", l.kind.as_str(), l.confidence)),
            created_by: Some("alignment".into()),
            collection: collection.cloned(),
        })
        .collect();
    let skipped = alignment.links.len() - drafts.len();
    if drafts.is_empty() {
        return Ok(StoredAlignment { skipped, ..StoredAlignment::default() });
    }
    let added = tm.add(drafts)?;
    let created = added.iter().filter(|(_, o)| *o == AddOutcome::Created).count();
    Ok(StoredAlignment { created, merged: added.len() - created, skipped })
}

/// Pairs of `tm` for a language pair as evidence for the equivalents of
/// `term`: every unit whose source contains the term's words (up to
/// [`MAX_TERM_PAIRS`]) and up to [`MAX_BACKGROUND_PAIRS`] others, which
/// give the background counts that tell a rendering from words that are
/// frequent everywhere.
pub(crate) fn equivalence_pairs(tm: &TranslationMemory, term: &str, src: &Lang, tgt: &Lang) -> Result<Vec<TmPair>> {
    let seg = Segment::new(term);
    let mut with_term: Vec<u64> = {
        let index = tm.read_index();
        index.containing(&seg.keys(), src, tgt)
    };
    with_term.sort_unstable();
    with_term.truncate(MAX_TERM_PAIRS);
    let mut out = Vec::with_capacity(with_term.len() + MAX_BACKGROUND_PAIRS);
    for id in &with_term {
        if let Some(u) = tm.get(*id)? {
            out.push(TmPair { id: u.id, source: u.source, target: u.target });
        }
    }
    let mut background = 0;
    for u in tm.iter_from(None) {
        let u = u?;
        if background == MAX_BACKGROUND_PAIRS {
            break;
        }
        if u.src_lang.matches(src) && u.tgt_lang.matches(tgt) && with_term.binary_search(&u.id).is_err() {
            out.push(TmPair { id: u.id, source: u.source, target: u.target });
            background += 1;
        }
    }
    Ok(out)
}
