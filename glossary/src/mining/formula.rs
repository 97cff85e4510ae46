//! Formulas: fixed enumerations of terms that recur as a unit, such as
//! "hữu nghị vĩ đại, đoàn kết đặc biệt, hợp tác toàn diện, gắn kết chiến
//! lược" or "hòa bình, ổn định, hợp tác và phát triển".
//!
//! Within a clause (text between punctuation other than commas), the
//! segments between commas and "và" are examined:
//!
//! * an inner segment is a member when the whole segment is a scored
//!   candidate of 2–5 syllables without function words or dashes;
//! * the first and last segments usually carry more words ("củng cố quan
//!   hệ hữu nghị vĩ đại", "gắn kết chiến lược Việt Nam - Lào"), so their
//!   member is the suffix (prefix) that is a candidate, choosing the length
//!   closest to the neighbouring member's — enumerations are parallel.
//!
//! An enumeration of two or more members is an occurrence of the formula
//! spelled by its members, whatever the separators (", " or " và "). A
//! formula that is the beginning of a longer recurring one ("... , hợp tác
//! toàn diện" without "gắn kết chiến lược") counts as a variant of the
//! longer one. Formulas of three or more members seen at least
//! `min_frequency` times become candidates linked to their members.

use std::collections::BTreeSet;

use super::candidates::{FxMap, Item, ScannedSentence, Trie, Vocabulary, DASH};
use super::score::NodeScores;
use super::variants::Evidence;

/// Fewest members of a formula candidate.
pub const MIN_MEMBERS: usize = 3;
/// Longest member, in syllables.
const MAX_MEMBER_SYLLABLES: usize = 5;

/// Occurrences of one member sequence.
#[derive(Default)]
pub(crate) struct FormulaStats {
    pub evidence: Evidence,
    /// The collector's epoch when the sequence was (re)inserted: the most
    /// its count can fall short.
    pub delta: u32,
}

/// Most member sequences held; beyond, the rarest are pruned (lossy
/// counting, as for n-grams), so memory does not grow with the corpus.
pub const MAX_SEQUENCES: usize = 20_000;

/// Collects enumerations sentence by sentence.
#[derive(Default)]
pub(crate) struct FormulaCollector {
    pub formulas: FxMap<Vec<u32>, FormulaStats>,
    /// Members of the enumerations that reached `threshold` occurrences
    /// since the caller last drained it.
    pub seen_members: Vec<u32>,
    /// Occurrences at which an enumeration's members are reported.
    pub threshold: u32,
    /// Lossy-counting epoch: the most a sequence's count can fall short.
    pub epoch: u32,
    /// Prunes so far.
    pub prunes: u32,
}

/// A member found in a segment: its node and item range.
struct Member {
    node: u32,
    first: usize,
    last: usize,
}

impl FormulaCollector {
    /// Finds the enumerations of one sentence. `scores` holds the score of
    /// every candidate node.
    #[allow(clippy::too_many_arguments)]
    pub fn collect(
        &mut self,
        sentence: &ScannedSentence,
        text: &str,
        doc: u32,
        trie: &Trie,
        vocab: &Vocabulary,
        scores: &NodeScores,
        max_contexts: usize,
    ) {
        let items = &sentence.items;
        // Segments of the current clause: item ranges between separators.
        let mut segments: Vec<(usize, usize)> = Vec::new();
        let mut start = 0;
        // The id whose key is "và" (compared by id, not by key, per word).
        let and = vocab.lookup_key("và").filter(|&id| &*vocab.get(id).key == "và");
        let flush = |segments: &mut Vec<(usize, usize)>, this: &mut Self| {
            if segments.len() >= 2 {
                this.enumerations(segments, sentence, text, doc, trie, vocab, scores, max_contexts);
            }
            segments.clear();
        };
        for (i, item) in items.iter().enumerate() {
            let separator = match item {
                Item::Comma => true,
                Item::Word { id, .. } => Some(*id) == and,
                _ => false,
            };
            if separator || matches!(item, Item::Break) {
                if i > start {
                    segments.push((start, i));
                }
                if !separator {
                    flush(&mut segments, self);
                }
                start = i + 1;
            }
        }
        if items.len() > start {
            segments.push((start, items.len()));
        }
        flush(&mut segments, self);
    }

    /// Raises the epoch by the least step that leaves at most `target`
    /// sequences with `count + delta` above it, and drops the others (see
    /// [`super::candidates::Trie::prune`]).
    fn prune(&mut self, target: usize) {
        let counts = self.formulas.values().map(|f| f.evidence.count + f.delta);
        self.epoch += super::candidates::lossy_step(counts, self.epoch, target);
        self.prunes += 1;
        let epoch = self.epoch;
        self.formulas.retain(|_, f| f.evidence.count + f.delta > epoch);
    }

    #[allow(clippy::too_many_arguments)]
    fn enumerations(
        &mut self,
        segments: &[(usize, usize)],
        sentence: &ScannedSentence,
        text: &str,
        doc: u32,
        trie: &Trie,
        vocab: &Vocabulary,
        scores: &NodeScores,
        max_contexts: usize,
    ) {
        let items = &sentence.items;
        // The ids of a segment's items, in one buffer reused for each.
        fn fill<'b>(buffer: &'b mut Vec<u32>, items: &[Item], r: (usize, usize)) -> &'b [u32] {
            buffer.clear();
            buffer.extend(items[r.0..r.1].iter().map(super::candidates::item_id));
            buffer
        }
        let mut buffer: Vec<u32> = Vec::new();
        let whole: Vec<Option<u32>> =
            segments.iter().map(|&r| member_node(fill(&mut buffer, items, r), trie, vocab, scores)).collect();
        let mut i = 0;
        while i < segments.len() {
            if whole[i].is_none() {
                i += 1;
                continue;
            }
            let p = i;
            while i < segments.len() && whole[i].is_some() {
                i += 1;
            }
            let q = i - 1; // inner run p..=q
            let mut members: Vec<Member> = Vec::new();
            let syllables =
                |r: (usize, usize)| items[r.0..r.1].iter().filter(|&t| matches!(t, Item::Word { .. })).count();
            if p > 0 {
                let seg = segments[p - 1];
                let want = syllables(segments[p]);
                if let Some((node, first)) = best_edge(fill(&mut buffer, items, seg), want, true, trie, vocab, scores) {
                    members.push(Member { node, first: seg.0 + first, last: seg.1 - 1 });
                }
            }
            for (&r, node) in segments[p..=q].iter().zip(&whole[p..=q]) {
                members.push(Member { node: node.expect("whole"), first: r.0, last: r.1 - 1 });
            }
            if q + 1 < segments.len() {
                let seg = segments[q + 1];
                let want = syllables(segments[q]);
                if let Some((node, len)) = best_edge(fill(&mut buffer, items, seg), want, false, trie, vocab, scores) {
                    members.push(Member { node, first: seg.0, last: seg.0 + len - 1 });
                }
            }
            if members.len() < 2 {
                continue;
            }
            let (Some(start), Some(end)) =
                (span_start(items, members[0].first), span_end(items, members[members.len() - 1].last))
            else {
                continue;
            };
            let key: Vec<u32> = members.iter().map(|m| m.node).collect();
            let initial = matches!(items[members[0].first], Item::Word { flags, .. } if flags.initial);
            let epoch = self.epoch;
            let stats = self
                .formulas
                .entry(key)
                .or_insert_with(|| FormulaStats { evidence: Evidence::default(), delta: epoch });
            stats.evidence.add(text, doc, start, end, sentence.start, sentence.end, initial, max_contexts);
            if stats.evidence.count == self.threshold.max(1) {
                self.seen_members.extend(members.iter().map(|m| m.node));
            }
            if self.formulas.len() > MAX_SEQUENCES {
                self.prune(MAX_SEQUENCES / 2);
            }
        }
    }
}

fn span_start(items: &[Item], i: usize) -> Option<usize> {
    match items[i] {
        Item::Word { start, .. } | Item::Dash { start, .. } => Some(start),
        _ => None,
    }
}

fn span_end(items: &[Item], i: usize) -> Option<usize> {
    match items[i] {
        Item::Word { end, .. } | Item::Dash { end, .. } => Some(end),
        _ => None,
    }
}

/// The candidate node of a whole segment, if it can be a member.
fn member_node(tokens: &[u32], trie: &Trie, vocab: &Vocabulary, scores: &NodeScores) -> Option<u32> {
    if !(2..=MAX_MEMBER_SYLLABLES).contains(&tokens.len()) || tokens.contains(&DASH) {
        return None;
    }
    if tokens.iter().any(|&t| {
        let s = vocab.get(t);
        !s.start_ok && !s.end_ok
    }) {
        return None;
    }
    let node = trie.find(tokens)?;
    // Formulas enumerate phrases; a run of names is a list of people.
    let n = &trie.nodes[node as usize];
    let name = n.capital > 0 && n.capital >= n.lower;
    (scores.get(node).is_some() && !name).then_some(node)
}

/// The best member at the end (`suffix`) or start of an edge segment:
/// returns the node and, for a suffix, the offset of its first token; for a
/// prefix, its length.
fn best_edge(
    tokens: &[u32],
    want: usize,
    suffix: bool,
    trie: &Trie,
    vocab: &Vocabulary,
    scores: &NodeScores,
) -> Option<(u32, usize)> {
    let mut best: Option<(usize, f64, u32, usize)> = None; // (distance, -score, node, pos)
    for len in 2..=MAX_MEMBER_SYLLABLES.min(tokens.len()) {
        let (slice, pos) =
            if suffix { (&tokens[tokens.len() - len..], tokens.len() - len) } else { (&tokens[..len], len) };
        let Some(node) = member_node(slice, trie, vocab, scores) else { continue };
        let distance = len.abs_diff(want);
        let score = scores.get(node).expect("member nodes are scored");
        let better = best.is_none_or(|(d, s, _, _)| distance < d || (distance == d && score > s));
        if better {
            best = Some((distance, score, node, pos));
        }
    }
    best.map(|(_, _, node, pos)| (node, pos))
}

/// Merges each formula into the longest recurring formula it begins, and
/// returns the formulas with at least `MIN_MEMBERS` members seen at least
/// `min_frequency` times (merged counts).
pub(crate) fn merge(collector: FormulaCollector, min_frequency: u32) -> Vec<(Vec<u32>, Evidence)> {
    let mut all: Vec<(Vec<u32>, Evidence)> = collector.formulas.into_iter().map(|(k, v)| (k, v.evidence)).collect();
    // Longest first, then most frequent: targets come before what merges into them.
    all.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(b.1.count.cmp(&a.1.count)).then(a.0.cmp(&b.0)));
    let mut kept: Vec<(Vec<u32>, Evidence)> = Vec::new();
    for (key, evidence) in all {
        let target = kept
            .iter_mut()
            .filter(|(k, e)| k.len() > key.len() && k.starts_with(&key) && e.own_count >= 2)
            .max_by_key(|(_, e)| e.own_count);
        match target {
            Some((_, e)) => e.absorb(evidence),
            None => kept.push((key, evidence)),
        }
    }
    // An enumeration seen once that goes on past a shorter one holds an
    // occurrence of that one ("độc lập, chủ quyền, toàn vẹn lãnh thổ" +
    // ", bảo đảm ..."): the shorter counts it, without its spelling.
    let target: Vec<Option<usize>> = kept
        .iter()
        .map(|(key, e)| {
            if e.own_count >= 2 || key.len() <= MIN_MEMBERS {
                return None;
            }
            (0..kept.len())
                .filter(|&i| {
                    let k = &kept[i].0;
                    k.len() >= MIN_MEMBERS && k.len() < key.len() && key.starts_with(k)
                })
                .max_by_key(|&i| kept[i].0.len())
        })
        .collect();
    // Targets are strictly shorter, so following them ends.
    let last = |mut i: usize| {
        while let Some(t) = target[i] {
            i = t;
        }
        i
    };
    let moved: Vec<(usize, u32, BTreeSet<u32>)> = (0..kept.len())
        .filter(|&j| target[j].is_some())
        .map(|j| (last(j), kept[j].1.count, kept[j].1.docs.clone()))
        .collect();
    for (i, count, docs) in moved {
        kept[i].1.count += count;
        kept[i].1.docs.extend(docs);
    }
    let mut gone = target.iter().map(Option::is_some);
    kept.retain(|_| !gone.next().expect("one target per formula"));
    kept.retain(|(k, e)| k.len() >= MIN_MEMBERS && e.count >= min_frequency);
    kept
}
