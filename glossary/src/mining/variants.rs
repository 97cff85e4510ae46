//! Evidence for a candidate: its spelling variants with counts, the
//! keyword-in-context examples a reviewer reads, and the form to display.
//!
//! Occurrences are grouped by normalised key, so spellings that differ in
//! tone placement (hoà/hòa), case, dash style ("Việt Nam-Lào", "Việt Nam –
//! Lào") or quotes are one candidate; each distinct spelling is a variant.
//! The display form is the most frequent spelling seen *inside* a sentence
//! (a capital at the start of a sentence says nothing about the term).

use std::collections::BTreeSet;

use super::{Context, Variant};

/// Most distinct spellings tracked per candidate.
const MAX_VARIANTS: usize = 16;
/// Characters of context shown on each side of the term.
const CONTEXT_CHARS: usize = 80;

/// What the evidence pass gathers for one candidate.
#[derive(Default, Clone, Debug)]
pub(crate) struct Evidence {
    /// Occurrences (including absorbed variants, for formulas).
    pub count: u32,
    /// Occurrences of this exact candidate (before absorbing).
    pub own_count: u32,
    /// Documents seen.
    pub docs: BTreeSet<u32>,
    /// Spellings with (count, count inside a sentence), in the order
    /// first seen: a short list (at most [`MAX_VARIANTS`], nearly always
    /// one to three, the usual spelling first) is searched faster than a
    /// map is hashed, once per occurrence. Nothing else depends on the
    /// order.
    pub spellings: Vec<(String, (u32, u32))>,
    /// Contexts from distinct documents, then further ones.
    pub contexts: Vec<(u32, ContextAt)>,
    spare: Vec<(u32, ContextAt)>,
}

/// A context before it is given its document's id.
#[derive(Clone, Debug)]
pub(crate) struct ContextAt {
    pub start: usize,
    pub end: usize,
    pub left: String,
    pub term: String,
    pub right: String,
}

impl Evidence {
    /// Records one occurrence at `start..end` of `text`, in the sentence
    /// `sentence_start..sentence_end` of document `doc`.
    #[allow(clippy::too_many_arguments)]
    pub fn add(
        &mut self,
        text: &str,
        doc: u32,
        start: usize,
        end: usize,
        sentence_start: usize,
        sentence_end: usize,
        initial: bool,
        max_contexts: usize,
    ) {
        self.count += 1;
        self.own_count += 1;
        // Occurrences come document by document: most are in the last one.
        if self.docs.last() != Some(&doc) {
            self.docs.insert(doc);
        }
        let surface = &text[start..end];
        if let Some((_, v)) = self.spellings.iter_mut().find(|(s, _)| s == surface) {
            v.0 += 1;
            v.1 += u32::from(!initial);
        } else if self.spellings.len() < MAX_VARIANTS {
            self.spellings.push((surface.to_string(), (1, u32::from(!initial))));
        }
        let new_doc = !self.contexts.iter().any(|(d, _)| *d == doc);
        let wanted = if new_doc { self.contexts.len() < max_contexts } else { self.spare.len() < max_contexts };
        if wanted {
            let context = ContextAt {
                start,
                end,
                left: tail_chars(&text[sentence_start..start], CONTEXT_CHARS).to_string(),
                term: surface.to_string(),
                right: head_chars(&text[end..sentence_end], CONTEXT_CHARS).to_string(),
            };
            if new_doc {
                self.contexts.push((doc, context));
            } else {
                self.spare.push((doc, context));
            }
        }
    }

    /// Adds another candidate's evidence (a truncated formula) to this one.
    pub fn absorb(&mut self, other: Evidence) {
        self.count += other.count;
        self.docs.extend(other.docs);
        self.add_spellings(other.spellings);
        self.spare.extend(other.contexts);
        self.spare.extend(other.spare);
    }

    /// Adds spelling counts (up to [`MAX_VARIANTS`] spellings).
    fn add_spellings(&mut self, spellings: Vec<(String, (u32, u32))>) {
        for (s, (c, inner)) in spellings {
            if let Some((_, v)) = self.spellings.iter_mut().find(|(t, _)| *t == s) {
                v.0 += c;
                v.1 += inner;
            } else if self.spellings.len() < MAX_VARIANTS {
                self.spellings.push((s, (c, inner)));
            }
        }
    }

    /// Adds the evidence of occurrences that came *before* this one's
    /// (a pass over the beginning of the corpus, run later); their
    /// contexts go first, as if they had been seen in order.
    pub fn prepend(&mut self, earlier: Evidence) {
        let later = std::mem::replace(self, earlier);
        self.count += later.count;
        self.own_count += later.own_count;
        self.docs.extend(later.docs);
        self.add_spellings(later.spellings);
        for (doc, context) in later.contexts {
            if self.contexts.iter().any(|(d, _)| *d == doc) {
                self.spare.push((doc, context));
            } else {
                self.contexts.push((doc, context));
            }
        }
        self.spare.extend(later.spare);
    }

    /// The form to display: the most frequent spelling inside sentences,
    /// else the most frequent one with its first letter lowercased unless
    /// it looks like a name.
    pub fn display(&self, name_like: bool) -> String {
        let pairs = || self.spellings.iter().map(|(s, v)| (s, v));
        let best = pairs()
            // A phrase in capitals is a heading; a single word in capitals
            // is an acronym and competes ("COVID" against "Covid").
            .filter(|(s, _)| !(is_upper(s) && s.contains(' ')))
            .max_by(|a, b| a.1 .1.cmp(&b.1 .1).then(a.1 .0.cmp(&b.1 .0)).then(b.0.cmp(a.0)))
            .or_else(|| pairs().max_by(|a, b| a.1 .0.cmp(&b.1 .0).then(b.0.cmp(a.0))));
        let Some((s, &(_, inner))) = best else { return String::new() };
        if is_upper(s) && s.contains(' ') {
            // Only seen in a heading in capitals; a single word in capitals is an acronym.
            return s.to_lowercase();
        }
        if inner > 0 || name_like {
            return s.clone();
        }
        let mut chars = s.chars();
        chars.next().map(|c| c.to_lowercase().chain(chars).collect()).unwrap_or_default()
    }

    /// Variants, most frequent first.
    pub fn variants(&self) -> Vec<Variant> {
        let mut v: Vec<Variant> =
            self.spellings.iter().map(|(text, (count, _))| Variant { text: text.clone(), count: *count }).collect();
        v.sort_by(|a, b| b.count.cmp(&a.count).then(a.text.cmp(&b.text)));
        v
    }

    /// Up to `max` contexts, one per document first.
    pub fn contexts(&self, doc_ids: &[String], max: usize) -> Vec<Context> {
        self.contexts
            .iter()
            .chain(self.spare.iter())
            .take(max)
            .map(|(d, c)| Context {
                document: doc_ids[*d as usize].clone(),
                start: c.start,
                end: c.end,
                left: c.left.clone(),
                term: c.term.clone(),
                right: c.right.clone(),
            })
            .collect()
    }
}

fn is_upper(s: &str) -> bool {
    s.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !s.chars().any(char::is_lowercase)
}

fn tail_chars(s: &str, n: usize) -> &str {
    match s.char_indices().rev().nth(n.saturating_sub(1)) {
        Some((i, _)) if n > 0 => &s[i..],
        _ => s,
    }
}

fn head_chars(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn evidence(occurrences: &[(&str, bool)]) -> Evidence {
        let mut e = Evidence::default();
        for (i, (surface, initial)) in occurrences.iter().enumerate() {
            let text = format!("x {surface} y");
            e.add(&text, i as u32 % 2, 2, 2 + surface.len(), 0, text.len(), *initial, 3);
        }
        e
    }

    #[test]
    fn display_forms() {
        // (occurrences with "sentence-initial" flags, name-like, expected display)
        type Case<'a> = (&'a [(&'a str, bool)], bool, &'a str);
        let cases: &[Case] = &[
            (&[("Hợp tác toàn diện", true), ("hợp tác toàn diện", false)], false, "hợp tác toàn diện"),
            (&[("Hợp tác toàn diện", true), ("Hợp tác toàn diện", true)], false, "hợp tác toàn diện"),
            (&[("Tô Lâm", true), ("Tô Lâm", false)], true, "Tô Lâm"),
            (&[("Việt Nam-Lào", false), ("Việt Nam - Lào", false), ("Việt Nam - Lào", false)], true, "Việt Nam - Lào"),
            (&[("TUYÊN BỐ CHUNG", false), ("Tuyên bố chung", false)], false, "Tuyên bố chung"),
            (&[("TUYÊN BỐ CHUNG", false)], false, "tuyên bố chung"),
            (&[("ASEAN", false), ("ASEAN", true)], false, "ASEAN"),
            (&[("COVID", false), ("COVID", false), ("Covid", false)], false, "COVID"),
            (&[("Covid", false), ("Covid", false), ("COVID", false)], false, "Covid"),
        ];
        for (occurrences, name_like, expected) in cases {
            assert_eq!(evidence(occurrences).display(*name_like), *expected, "{occurrences:?}");
        }
    }

    #[test]
    fn variants_and_contexts() {
        let e = evidence(&[("hoà bình", false), ("hòa bình", false), ("hòa bình", false), ("Hòa bình", true)]);
        let v = e.variants();
        assert_eq!((v[0].text.as_str(), v[0].count), ("hòa bình", 2));
        assert_eq!(v.len(), 3);
        let ids = vec!["a".to_string(), "b".to_string()];
        let contexts = e.contexts(&ids, 2);
        assert_eq!(contexts.len(), 2);
        assert_eq!(
            (contexts[0].document.as_str(), contexts[1].document.as_str()),
            ("a", "b"),
            "distinct documents first"
        );
        assert_eq!(
            (contexts[0].left.as_str(), contexts[0].term.as_str(), contexts[0].right.as_str()),
            ("x ", "hoà bình", " y")
        );
    }
}
