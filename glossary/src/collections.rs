//! Collections: named glossaries and TMs inside one store.
//!
//! Every concept and TM unit carries a [`Collection`] (records stored
//! before collections existed read as `default`). The in-memory indexes
//! keep a small numeric id per entry instead of the name: [`CollectionIds`]
//! interns the names (ids are never reused while the process runs) and
//! counts the entries per id, so listing collections and filtering
//! candidates need no store scan. [`ConceptCollections`] is the concept
//! side (concept id → collection id), kept in step by
//! [`crate::Glossary`]'s index refresh; the TM side lives in
//! [`crate::tm::index::TmIndex`].

use std::collections::{BTreeMap, HashMap};
use std::sync::{PoisonError, RwLock};

use crate::error::Result;
use crate::model::{Collection, ConceptId};

/// A collection's number in this process's name table (see [`intern`]).
pub type CollectionId = u32;

/// Collection penalty, in points per position in the search order, when a
/// request gives none (see [`CollectionSelection`]).
pub const DEFAULT_COLLECTION_PENALTY: f64 = 1.0;
/// Largest collection penalty a request may ask for, in points per position.
pub const MAX_COLLECTION_PENALTY: f64 = 30.0;

/// The process-wide name table: every index of every glossary opened in
/// this process numbers collections the same way, so one request's
/// selection is resolved to ids once and checked against any index.
struct Names {
    names: Vec<Collection>,
    ids: BTreeMap<Collection, CollectionId>,
}

static NAMES: RwLock<Names> = RwLock::new(Names { names: Vec::new(), ids: BTreeMap::new() });

/// The id of `c` in the process-wide table, interning it on first sight.
/// Ids are never reused.
pub fn intern(c: &Collection) -> CollectionId {
    if let Some(id) = id_of(c) {
        return id;
    }
    let mut t = NAMES.write().unwrap_or_else(PoisonError::into_inner);
    if let Some(&id) = t.ids.get(c) {
        return id;
    }
    // A name is at most 64 bytes, so the table fills memory long before it
    // could hold 2^32 names.
    let id = CollectionId::try_from(t.names.len()).expect("fewer than 2^32 collection names");
    t.names.push(c.clone());
    t.ids.insert(c.clone(), id);
    id
}

/// The name of process-wide id `id`, if it was handed out.
pub fn name_of(id: CollectionId) -> Option<Collection> {
    NAMES.read().unwrap_or_else(PoisonError::into_inner).names.get(id as usize).cloned()
}

/// The id of `c`, if any index ever held it.
pub fn id_of(c: &Collection) -> Option<CollectionId> {
    NAMES.read().unwrap_or_else(PoisonError::into_inner).ids.get(c).copied()
}

/// Interned collection ids with an entry count per id.
#[derive(Default, Debug)]
pub struct CollectionIds {
    names: Vec<Option<Collection>>,
    counts: Vec<u64>,
}

impl CollectionIds {
    /// The id of `c`, interning it on first sight.
    pub fn intern(&mut self, c: &Collection) -> CollectionId {
        let id = intern(c);
        let i = id as usize;
        if self.names.len() <= i {
            self.names.resize(i + 1, None);
            self.counts.resize(i + 1, 0);
        }
        if self.names[i].is_none() {
            self.names[i] = Some(c.clone());
        }
        id
    }

    /// The id of `c`, if this table ever saw it.
    pub fn id_of(&self, c: &Collection) -> Option<CollectionId> {
        id_of(c).filter(|&id| self.names.get(id as usize).is_some_and(Option::is_some))
    }

    /// Counts one more entry in collection `id`.
    pub fn add(&mut self, id: CollectionId) {
        self.counts[id as usize] += 1;
    }

    /// Counts one entry fewer in collection `id`.
    pub fn sub(&mut self, id: CollectionId) {
        let n = &mut self.counts[id as usize];
        *n = n.saturating_sub(1);
    }

    /// Sets every count to zero (an index about to re-insert its entries).
    pub fn clear_counts(&mut self) {
        self.counts.iter_mut().for_each(|n| *n = 0);
    }

    /// Collections with at least one entry, and their counts.
    pub fn counts(&self) -> impl Iterator<Item = (&Collection, u64)> + '_ {
        self.names
            .iter()
            .zip(self.counts.iter().copied())
            .filter_map(|(c, n)| c.as_ref().filter(|_| n > 0).map(|c| (c, n)))
    }
}

/// Which collections a read sees, in search order: every collection, or
/// the listed ones. The position of a collection in the list is what the
/// collection penalty of TM matches counts (0 for the first).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CollectionSelection {
    names: Option<Vec<Collection>>,
}

impl CollectionSelection {
    /// Every collection.
    pub fn all() -> CollectionSelection {
        CollectionSelection { names: None }
    }

    /// The listed collections, in this order (an empty list sees nothing).
    pub fn only(names: Vec<Collection>) -> CollectionSelection {
        CollectionSelection { names: Some(names) }
    }

    /// A request's `collection` parameter: absent or blank means every
    /// collection; otherwise a comma list of valid names (an invalid name
    /// is an [`crate::Error::InvalidInput`] on field `collection`). A name
    /// listed again keeps its first position.
    pub fn parse(list: Option<&str>) -> Result<CollectionSelection> {
        let Some(list) = list.map(str::trim).filter(|l| !l.is_empty()) else {
            return Ok(CollectionSelection::all());
        };
        let mut names: Vec<Collection> = Vec::new();
        for part in list.split(',') {
            let c = Collection::new(part.trim())?;
            if !names.contains(&c) {
                names.push(c);
            }
        }
        Ok(CollectionSelection::only(names))
    }

    /// The listed names, or `None` for every collection.
    pub fn names(&self) -> Option<&[Collection]> {
        self.names.as_deref()
    }

    /// True when every collection is selected.
    pub fn is_all(&self) -> bool {
        self.names.is_none()
    }

    /// Whether records of `c` are seen.
    pub fn contains(&self, c: &Collection) -> bool {
        self.names.as_ref().is_none_or(|n| n.contains(c))
    }

    /// The position of `c` in the search order (0 when every collection is
    /// selected; `None` when `c` is not selected).
    pub fn position(&self, c: &Collection) -> Option<usize> {
        match &self.names {
            None => Some(0),
            Some(n) => n.iter().position(|x| x == c),
        }
    }

    /// This selection limited to `allowed` (an API key's collections): the
    /// requested names that are allowed, in the requested order, or, when
    /// the request names none, `allowed` in its own order.
    pub fn within(&self, allowed: &CollectionSelection) -> CollectionSelection {
        match (&self.names, &allowed.names) {
            (_, None) => self.clone(),
            (None, Some(a)) => CollectionSelection::only(a.clone()),
            (Some(r), Some(a)) => CollectionSelection::only(r.iter().filter(|c| a.contains(c)).cloned().collect()),
        }
    }

    /// The selection as collection ids, for filtering index entries.
    /// Names no index ever held match nothing and drop out, keeping the
    /// positions of the others.
    pub fn filter(&self) -> CollectionFilter {
        CollectionFilter {
            ids: self
                .names
                .as_ref()
                .map(|n| n.iter().enumerate().filter_map(|(pos, c)| id_of(c).map(|id| (id, pos as u32))).collect()),
        }
    }
}

/// A [`CollectionSelection`] resolved to ids (see
/// [`CollectionSelection::filter`]): what index scans check per entry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CollectionFilter {
    /// (collection id, position in the search order); `None` lets every id through.
    ids: Option<Vec<(CollectionId, u32)>>,
}

impl CollectionFilter {
    /// A filter letting every entry through.
    pub fn all() -> CollectionFilter {
        CollectionFilter { ids: None }
    }

    /// Whether entries of collection `id` are seen.
    pub fn allows(&self, id: CollectionId) -> bool {
        self.ids.as_ref().is_none_or(|v| v.iter().any(|&(i, _)| i == id))
    }

    /// True when every entry is seen.
    pub fn is_all(&self) -> bool {
        self.ids.is_none()
    }
}

/// Which collection each indexed concept is in.
#[derive(Default, Debug)]
pub struct ConceptCollections {
    ids: CollectionIds,
    of: HashMap<ConceptId, CollectionId>,
}

impl ConceptCollections {
    /// Records that concept `id` is (now) in collection `c`.
    pub fn upsert(&mut self, id: &ConceptId, c: &Collection) {
        let new = self.ids.intern(c);
        match self.of.insert(id.clone(), new) {
            Some(old) if old == new => {}
            Some(old) => {
                self.ids.sub(old);
                self.ids.add(new);
            }
            None => self.ids.add(new),
        }
    }

    /// Forgets concept `id`.
    pub fn remove(&mut self, id: &ConceptId) {
        if let Some(old) = self.of.remove(id) {
            self.ids.sub(old);
        }
    }

    /// Every concept with its collection id (in no particular order).
    pub fn entries(&self) -> impl Iterator<Item = (&ConceptId, CollectionId)> + '_ {
        self.of.iter().map(|(id, &c)| (id, c))
    }

    /// Makes room for `n` more concepts.
    pub fn reserve(&mut self, n: usize) {
        self.of.reserve(n);
    }

    /// The collection id of concept `id`.
    pub fn of(&self, id: &ConceptId) -> Option<CollectionId> {
        self.of.get(id).copied()
    }

    /// The interned names and counts.
    pub fn ids(&self) -> &CollectionIds {
        &self.ids
    }
}

/// One collection with how many records it holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CollectionInfo {
    /// The name.
    pub name: Collection,
    /// Concepts in it.
    pub concepts: u64,
    /// TM units in it.
    pub tm_units: u64,
}

/// The collections of both sides, by name; `default` is always listed.
pub(crate) fn merge_counts<'a>(
    concepts: impl Iterator<Item = (&'a Collection, u64)>,
    tm: impl Iterator<Item = (&'a Collection, u64)>,
) -> Vec<CollectionInfo> {
    let mut by_name: std::collections::BTreeMap<Collection, CollectionInfo> = std::collections::BTreeMap::new();
    fn entry<'m>(
        map: &'m mut std::collections::BTreeMap<Collection, CollectionInfo>,
        c: &Collection,
    ) -> &'m mut CollectionInfo {
        map.entry(c.clone()).or_insert_with(|| CollectionInfo { name: c.clone(), concepts: 0, tm_units: 0 })
    }
    entry(&mut by_name, &Collection::default());
    for (c, n) in concepts {
        entry(&mut by_name, c).concepts += n;
    }
    for (c, n) in tm {
        entry(&mut by_name, c).tm_units += n;
    }
    by_name.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> Collection {
        Collection::new(s).unwrap()
    }

    #[test]
    fn concept_counts_follow_moves_and_deletes() {
        let mut cc = ConceptCollections::default();
        let (a, b) = (ConceptId::new("a").unwrap(), ConceptId::new("b").unwrap());
        cc.upsert(&a, &c("mofa"));
        cc.upsert(&b, &c("mofa"));
        cc.upsert(&b, &c("mofa"));
        let counts =
            |cc: &ConceptCollections| cc.ids().counts().map(|(c, n)| (c.as_str().to_string(), n)).collect::<Vec<_>>();
        assert_eq!(counts(&cc), [("mofa".to_string(), 2)]);
        cc.upsert(&b, &c("news"));
        assert_eq!(counts(&cc), [("mofa".to_string(), 1), ("news".to_string(), 1)]);
        cc.remove(&a);
        cc.remove(&a);
        assert_eq!(counts(&cc), [("news".to_string(), 1)]);
        assert_eq!(cc.of(&b), cc.ids().id_of(&c("news")));
        assert_eq!(cc.of(&a), None);
    }

    #[test]
    fn merged_counts_list_default_and_both_sides() {
        let (m, n) = (c("mofa"), c("news"));
        let got = merge_counts([(&m, 3u64)].into_iter(), [(&n, 5u64), (&m, 1)].into_iter());
        let names: Vec<(&str, u64, u64)> = got.iter().map(|i| (i.name.as_str(), i.concepts, i.tm_units)).collect();
        assert_eq!(names, [("default", 0, 0), ("mofa", 3, 1), ("news", 0, 5)]);
    }
}

#[cfg(test)]
mod glossary_tests {
    use std::io::Cursor;

    use crate::formats::{Format, ImportOptions};
    use crate::model::test_support::term;
    use crate::model::{Collection, ConceptDraft, Lang, TermStatus};
    use crate::tm::{Provenance, TmUnitDraft};
    use crate::{Glossary, OpenOptions};

    fn c(s: &str) -> Collection {
        Collection::new(s).unwrap()
    }

    fn unit(source: &str, collection: Option<&str>) -> TmUnitDraft {
        TmUnitDraft {
            src_lang: Lang::new("vi").unwrap(),
            tgt_lang: Lang::new("en").unwrap(),
            source: source.into(),
            target: format!("EN {source}"),
            provenance: Provenance::default(),
            note: None,
            created_by: None,
            collection: collection.map(c),
        }
    }

    fn counts(g: &Glossary) -> Vec<(String, u64, u64)> {
        g.collections().into_iter().map(|i| (i.name.to_string(), i.concepts, i.tm_units)).collect()
    }

    #[test]
    fn records_go_to_their_collection_and_are_counted() {
        let dir = tempfile::tempdir().unwrap();
        let g = Glossary::open(dir.path(), &OpenOptions::default()).unwrap();
        assert_eq!(counts(&g), [("default".to_string(), 0, 0)]);
        let draft = |vi: &str, coll: Option<&str>| ConceptDraft {
            terms: vec![term("vi", vi, TermStatus::Preferred), term("en", "x", TermStatus::Preferred)],
            collection: coll.map(c),
            ..ConceptDraft::default()
        };
        let a = g.create(draft("hòa bình", None), "t").unwrap();
        let b = g.create(draft("hợp tác", Some("mofa")), "t").unwrap();
        assert!(a.collection.is_default());
        assert_eq!(b.collection.as_str(), "mofa");
        // A replace without a collection keeps it; with one, moves it.
        let kept = g.replace(&b.id, draft("hợp tác", None), None, "t").unwrap();
        assert_eq!(kept.collection.as_str(), "mofa");
        g.replace(&a.id, draft("hòa bình", Some("news-desk")), None, "t").unwrap();
        // The same pair in two collections is two units; again in one, a merge.
        let added =
            g.add_tm_units(vec![unit("Hai bên hội đàm.", None), unit("Hai bên hội đàm.", Some("mofa"))]).unwrap();
        assert_ne!(added[0].0.id, added[1].0.id);
        let again = g.add_tm_units(vec![unit("Hai bên hội đàm.", Some("mofa"))]).unwrap();
        assert_eq!(again[0].0.id, added[1].0.id);
        assert_eq!(again[0].0.usage_count, 2);
        let expected = [("default".to_string(), 0, 1), ("mofa".to_string(), 1, 1), ("news-desk".to_string(), 1, 0)];
        assert_eq!(counts(&g), expected);
        // Counts survive a reopen (rebuilt from the records).
        drop(g);
        let g = Glossary::open(dir.path(), &OpenOptions::default()).unwrap();
        assert_eq!(counts(&g), expected);
        g.delete_tm_unit(added[0].0.id).unwrap();
        assert_eq!(counts(&g)[0], ("default".to_string(), 0, 0));
    }

    #[test]
    fn imports_write_into_and_match_within_their_collection() {
        let dir = tempfile::tempdir().unwrap();
        let g = Glossary::open(dir.path(), &OpenOptions::default()).unwrap();
        let tsv = "hòa bình\tpeace\n";
        let import = |coll: &str| {
            let options = ImportOptions { collection: Some(c(coll)), ..ImportOptions::default() };
            g.import(Format::Tsv, &options, || Ok(Cursor::new(tsv.as_bytes().to_vec()))).unwrap()
        };
        assert_eq!(import("default").created, 1);
        // The same term in another collection is a new concept there, not
        // an update of the default one.
        assert_eq!(import("mofa").created, 1);
        assert_eq!(import("mofa").unchanged, 1);
        let expected = [("default".to_string(), 1, 0), ("mofa".to_string(), 1, 0)];
        assert_eq!(counts(&g), expected);
    }

    #[test]
    fn reads_see_the_selected_collections_in_order() {
        use crate::collections::CollectionSelection;
        use crate::tm::matching::PenaltyKind;
        use crate::tm::TmQuery;
        use crate::LookupQuery;
        let dir = tempfile::tempdir().unwrap();
        let g = Glossary::open(dir.path(), &OpenOptions::default()).unwrap();
        for (en, coll) in [("peace", None), ("peace (mofa)", Some("mofa"))] {
            let draft = ConceptDraft {
                terms: vec![term("vi", "hòa bình", TermStatus::Preferred), term("en", en, TermStatus::Preferred)],
                collection: coll.map(c),
                ..ConceptDraft::default()
            };
            g.create(draft, "t").unwrap();
            g.add_tm_units(vec![unit("Hai bên cam kết hòa bình.", coll)]).unwrap();
        }
        let sel = |l: &str| CollectionSelection::parse(Some(l)).unwrap();
        let lookup = |collections: CollectionSelection| {
            let q = LookupQuery {
                text: "hoa bnh".into(),
                src: Lang::new("vi").unwrap(),
                tgt: Some(Lang::new("en").unwrap()),
                limit: 5,
                collections,
            };
            g.lookup(&q).unwrap().into_iter().map(|h| h.targets[0].text.clone()).collect::<Vec<_>>()
        };
        // Fuzzy candidates (a typo) are filtered where they are produced.
        assert_eq!(lookup(CollectionSelection::all()).len(), 2);
        assert_eq!(lookup(sel("mofa")), ["peace (mofa)"]);
        assert_eq!(lookup(sel("default")), ["peace"]);
        assert!(lookup(sel("never-seen")).is_empty());
        assert!(lookup(CollectionSelection::only(vec![])).is_empty());

        let matches = |collections: CollectionSelection, penalty: f64| {
            let q = TmQuery {
                text: "Hai bên cam kết hòa bình.".into(),
                src: Lang::new("vi").unwrap(),
                tgt: Lang::new("en").unwrap(),
                threshold: 70.0,
                limit: 5,
                collections,
                collection_penalty: penalty,
            };
            g.tm_matches(&q).unwrap()
        };
        let got = matches(sel("default,mofa"), 2.5);
        let order: Vec<(&str, f64)> = got.iter().map(|m| (m.unit.collection.as_str(), m.comparison.score)).collect();
        assert_eq!(order, [("default", 100.0), ("mofa", 97.5)]);
        let p = &got[1].comparison.penalties;
        assert_eq!((p[0].kind, p[0].points, p[0].count), (PenaltyKind::Collection, 2.5, 1));
        let got = matches(sel("mofa,default"), 1.0);
        assert_eq!(got[0].unit.collection.as_str(), "mofa");
        assert_eq!(got[1].comparison.score, 99.0);
        assert_eq!(matches(sel("mofa"), 1.0).len(), 1);
        // A penalty can push a match below the threshold.
        let q = TmQuery {
            text: "Hai bên cam kết hòa bình.".into(),
            src: Lang::new("vi").unwrap(),
            tgt: Lang::new("en").unwrap(),
            threshold: 80.0,
            limit: 5,
            collections: sel("mofa,default"),
            collection_penalty: 30.0,
        };
        assert_eq!(g.tm_matches(&q).unwrap().len(), 1);
        let bad = TmQuery { collection_penalty: 30.5, ..q };
        assert!(g.tm_matches(&bad).is_err());
    }

    #[test]
    fn key_limits_intersect_with_the_request_in_request_order() {
        use crate::collections::CollectionSelection;
        let sel = |l: &str| CollectionSelection::parse(Some(l)).unwrap();
        let names =
            |s: &CollectionSelection| s.names().map(|n| n.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(","));
        let all = CollectionSelection::all();
        let cases: &[(&CollectionSelection, &CollectionSelection, Option<&str>)] = &[
            (&all, &all, None),
            (&all, &sel("b,a"), Some("b,a")),
            (&sel("a,b,c"), &sel("c,a"), Some("a,c")),
            (&sel("x"), &sel("a"), Some("")),
            (&sel("a"), &all, Some("a")),
        ];
        for (request, key, want) in cases {
            assert_eq!(names(&request.within(key)).as_deref(), *want, "{request:?} within {key:?}");
        }
        assert!(CollectionSelection::parse(Some(" ")).unwrap().is_all());
        assert!(CollectionSelection::parse(Some("a,B")).is_err());
        assert_eq!(names(&CollectionSelection::parse(Some("b, a,b")).unwrap()).as_deref(), Some("b,a"));
    }

    #[test]
    fn every_format_carries_the_collection_through_export_and_import() {
        use crate::formats::ExportFilter;
        let dir = tempfile::tempdir().unwrap();
        let g = Glossary::open(dir.path(), &OpenOptions::default()).unwrap();
        for (vi, en, coll) in [("hòa bình", "peace", None), ("hợp tác", "cooperation", Some("mofa"))] {
            let draft = ConceptDraft {
                terms: vec![term("vi", vi, TermStatus::Preferred), term("en", en, TermStatus::Preferred)],
                collection: coll.map(c),
                ..ConceptDraft::default()
            };
            g.create(draft, "t").unwrap();
            g.add_tm_units(vec![unit(vi, coll)]).unwrap();
        }
        let expected = [("default".to_string(), 1, 1), ("mofa".to_string(), 1, 1)];
        for format in [Format::Tbx, Format::TbxMartif, Format::Csv, Format::Tsv] {
            let mut file = Vec::new();
            g.export(format, &ExportFilter::default(), &mut file).unwrap();
            let mut tmx = Vec::new();
            g.export(Format::Tmx, &ExportFilter::default(), &mut tmx).unwrap();
            let dir2 = tempfile::tempdir().unwrap();
            let fresh = Glossary::open(dir2.path(), &OpenOptions::default()).unwrap();
            for (f, bytes) in [(format, file.clone()), (Format::Tmx, tmx)] {
                let report = fresh.import(f, &ImportOptions::default(), || Ok(Cursor::new(bytes.clone()))).unwrap();
                assert_eq!(report.created, 2, "{f:?}: {report:?}\n{}", String::from_utf8_lossy(&bytes));
            }
            assert_eq!(counts(&fresh), expected, "{format:?}:\n{}", String::from_utf8_lossy(&file));
            // The store-only export (the CLI's) finds the same shape.
            let mut again = Vec::new();
            crate::formats::service::export(&g.store, format, &ExportFilter::default(), &mut again).unwrap();
            assert_eq!(again, file, "{format:?}");
        }
        // A file value that is not a collection name stays a note.
        let tbx = r#"<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
  <tbxHeader><fileDesc><sourceDesc><p>t</p></sourceDesc></fileDesc></tbxHeader>
  <text><body><conceptEntry id="c9"><admin type="customerSubset">ACME Corp</admin>
    <langSec xml:lang="vi"><termSec><term>an ninh</term></termSec></langSec>
    <langSec xml:lang="en"><termSec><term>security</term></termSec></langSec>
  </conceptEntry></body></text>
</tbx>"#;
        let report =
            g.import(Format::Tbx, &ImportOptions::default(), || Ok(Cursor::new(tbx.as_bytes().to_vec()))).unwrap();
        assert_eq!(report.created, 1, "{report:?}");
        let made = g.get(&crate::model::ConceptId::new("c9").unwrap()).unwrap();
        assert!(made.collection.is_default());
        assert_eq!(made.note.as_deref(), Some("customerSubset: ACME Corp"));
    }
}
