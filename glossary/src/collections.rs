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

use std::collections::HashMap;

use crate::model::{Collection, ConceptId};

/// Interned collection names with an entry count per name.
#[derive(Default, Debug)]
pub struct CollectionIds {
    names: Vec<Collection>,
    counts: Vec<u64>,
}

impl CollectionIds {
    /// The id of `c`, interning it on first sight.
    pub fn intern(&mut self, c: &Collection) -> u16 {
        match self.names.iter().position(|n| n == c) {
            Some(i) => i as u16,
            None => {
                self.names.push(c.clone());
                self.counts.push(0);
                (self.names.len() - 1) as u16
            }
        }
    }

    /// The id of `c`, if it was ever seen.
    pub fn id_of(&self, c: &Collection) -> Option<u16> {
        self.names.iter().position(|n| n == c).map(|i| i as u16)
    }

    /// Counts one more entry in collection `id`.
    pub fn add(&mut self, id: u16) {
        self.counts[usize::from(id)] += 1;
    }

    /// Counts one entry fewer in collection `id`.
    pub fn sub(&mut self, id: u16) {
        let n = &mut self.counts[usize::from(id)];
        *n = n.saturating_sub(1);
    }

    /// Sets every count to zero (an index about to re-insert its entries).
    pub fn clear_counts(&mut self) {
        self.counts.iter_mut().for_each(|n| *n = 0);
    }

    /// Every name interned, by id.
    pub fn names(&self) -> &[Collection] {
        &self.names
    }

    /// Collections with at least one entry, and their counts.
    pub fn counts(&self) -> impl Iterator<Item = (&Collection, u64)> + '_ {
        self.names.iter().zip(self.counts.iter().copied()).filter(|(_, n)| *n > 0)
    }
}

/// Which collection each indexed concept is in.
#[derive(Default, Debug)]
pub struct ConceptCollections {
    ids: CollectionIds,
    of: HashMap<ConceptId, u16>,
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
    pub fn entries(&self) -> impl Iterator<Item = (&ConceptId, u16)> + '_ {
        self.of.iter().map(|(id, &c)| (id, c))
    }

    /// Makes room for `n` more concepts.
    pub fn reserve(&mut self, n: usize) {
        self.of.reserve(n);
    }

    /// The collection id of concept `id`.
    pub fn of(&self, id: &ConceptId) -> Option<u16> {
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
            let options = ImportOptions { collection: c(coll), ..ImportOptions::default() };
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
}
