//! Scoring: how likely an n-gram is a term worth a glossary entry.
//!
//! ```text
//! score = termhood × boundary × unithood × specificity × spread × shape
//! ```
//!
//! * **termhood** (C-value, Frantzi, Ananiadou & Mima 2000, on direct
//!   extensions): `log2(n + 1) × (f(a) − mean f(b))`, where `n` is the
//!   number of syllables, `f` the frequency and `b` ranges over the
//!   candidates that extend `a` by one content word on either side. A
//!   phrase that only occurs inside a longer one ("tác toàn diện" inside
//!   "hợp tác toàn diện") gets nothing; one that also stands alone keeps
//!   the occurrences the longer phrases do not explain.
//! * **boundary** (branching): `(1 − sₗ³)(1 − sᵣ³)`, where `sₗ` is the
//!   share of `a`'s occurrences taken by its most frequent left extension
//!   (likewise `sᵣ`). A fragment ("hợp tác toàn", always followed by
//!   "diện") has a share of 1 and scores 0; a term followed by many
//!   different words keeps its score. Extensions by a syllable that forms a
//!   word with the edge syllable ("gắn|kết", "liên|kết") are added up, so
//!   "kết chiến lược" is a fragment even though two different words
//!   precede it. Function words, punctuation and a
//!   change between Vietnamese and foreign syllables, or between a lowercase
//!   word and a capitalised name ("Bí thư" | "Tô Lâm"), count as boundaries,
//!   not as extensions.
//! * **unithood** (normalised PMI of the weakest split): for every split of
//!   `a` into two parts that were both counted,
//!   `npmi = ln(p(a) / (p(x) p(y))) / −ln p(a)`; the minimum over splits,
//!   clamped to 0.2–1. Free combinations of frequent parts score low;
//!   phrases whose parts rarely occur apart score high.
//! * **specificity** (weirdness against general Vietnamese): the mean over
//!   syllables of `log10(p_corpus / p_reference)`, mapped to
//!   `clamp(0.5 + 0.25 × w, 0.35, 1.5)`. The reference is the bundled
//!   wordfreq list ([`super::refdata`]). A lowercase candidate that is one
//!   word of the segmented text is compared as a word, with its own
//!   frequency in the word list counted on Vietnamese Wikipedia ("đối
//!   ngoại" is rare there, though "ngoại" is common).
//! * **spread** (document frequency): `0.6 + 0.4 × ln(1 + df) / ln(1 + D)`
//!   for `D` documents, so a phrase from one page's boilerplate ranks below
//!   one used across the corpus.
//! * **shape**: `0.15` per function word inside the phrase, `0.8` per
//!   syllable beyond six, `1.25` for names (capitalised mid-sentence at
//!   least as often as written in lowercase, not counting the capitals it
//!   takes inside a longer name, so "Nhân dân" of "Đảng Nhân dân Cách mạng
//!   Lào" is the common noun; `× 0.7` for two-syllable names), `0.12` for lowercase
//!   two-syllable phrases (mostly ordinary words, not multiword terms),
//!   `0.2` for a lowercase one-word candidate, scaled by its specificity
//!   and by its rarity in general Vietnamese (`0.5–3×`: a word of a
//!   special vocabulary rather than of everyday language),
//!   `0.25` for a mix of Vietnamese and foreign syllables ("Lào Thongloun
//!   Sisoulith"), `1.25` for members of a formula.
//!
//! Single syllables are candidates only as acronyms ("ASEAN") or foreign
//! names ("Vientiane"). Formulas are scored in [`super::formula`].

use super::candidates::{
    FxSet, Node, Trie, Vocabulary, DASH, EDGE_PHRASES, GENERAL_WORDS, MAX_SYLLABLES, NOT_INITIAL_PHRASES, ROOT, TITLES,
};
use super::refdata;
use super::{CandidateKind, ScoreParts};

/// A scored n-gram.
#[derive(Clone, Debug)]
pub(crate) struct Scored {
    pub node: u32,
    pub score: f64,
    pub parts: ScoreParts,
    pub kind: CandidateKind,
    /// May be proposed on its own (not a general word or verb phrase); all
    /// scored n-grams may be formula members.
    pub listed: bool,
}

/// The score of every scored node, indexed by node id.
pub(crate) struct NodeScores(Vec<f64>);

impl NodeScores {
    pub fn new(nodes: usize, scored: &[Scored]) -> NodeScores {
        let mut v = vec![f64::NAN; nodes];
        for s in scored {
            v[s.node as usize] = s.score;
        }
        NodeScores(v)
    }

    /// The node's score, if it was scored.
    pub fn get(&self, node: u32) -> Option<f64> {
        self.0.get(node as usize).copied().filter(|x| !x.is_nan())
    }
}

/// Shape factor for names.
const NAME_BONUS: f64 = 1.25;
/// Shape factor for lowercase two-syllable phrases: mostly ordinary words
/// of the language rather than multiword terms.
const TWO_SYLLABLE_PHRASE: f64 = 0.12;
/// Two-syllable names are often capitalised common nouns ("Nhà nước",
/// "Chủ tịch") or country names; weaker evidence than a longer name.
const TWO_SYLLABLE_NAME: f64 = 0.7;
/// Least specificity of a name: its syllables are common words, so the
/// syllable baseline cannot measure it.
const NAME_SPECIFICITY: f64 = 0.8;
/// Shape factor per function word inside a phrase ("Nhà nước và nhân dân").
const INNER_FUNCTION_WORD: f64 = 0.15;
/// Shape factor for a phrase mixing Vietnamese and foreign syllables: a
/// title or country before a foreign name ("Lào Thongloun Sisoulith").
const MIXED: f64 = 0.25;

/// Distinct extensions on one side from which a phrase counts as a unit of
/// its own on that side.
const VARIETY_EXTENSIONS: u32 = 3;
/// Least boundary factor of a side with [`VARIETY_EXTENSIONS`] or more.
const VARIETY_BOUNDARY: f64 = 0.7;
/// Least boundary factor of a dash compound.
const DASH_COMPOUND_BOUNDARY: f64 = 0.8;
/// Shape factor of a dash compound ("văn hóa - xã hội", "Việt Nam - Lào").
const DASH_COMPOUND: f64 = 1.5;
/// Share of a two-syllable phrase's occurrences after an event classifier
/// from which it is an event noun.
const NOMINAL_SHARE: f64 = 0.2;
/// Shape factor of a two-syllable event noun ("hội đàm", "hội kiến").
const EVENT_NOUN: f64 = 0.6;
/// Shape factor of a lowercase one-word candidate of average specificity
/// ([`SPECIFIC_WORD`]); scaled by the square of its specificity
/// ratio (0.5–2×).
const ONE_WORD: f64 = 0.2;
/// Share of a phrase's occurrences inside one longer phrase from which it
/// is a truncation of that phrase, not proposed.
const TRUNCATION_SHARE: f64 = 0.9;
/// Share of occurrences preceded by a content word from which a phrase
/// starting with a modifier is the tail of longer phrases.
const TAIL_COVER: f64 = 0.8;
/// How many times more frequent than "term + name" the name must be, and
/// the term without it, for the pair to be a free combination.
const FREE_NAME_RATIO: u32 = 3;
/// Frequency at which a lowercase one-word candidate's termhood is its
/// frequency; above it, termhood grows as the square root.
const ONE_WORD_FREQUENCY: f64 = 8.0;
/// Least shape factor of a one-word event noun ("cuộc hội đàm").
const EVENT_WORD: f64 = 1.25;
/// Zipf frequency (per billion syllables) of a word in general Vietnamese
/// at which its [`rarity`] factor is 1; commoner words are discounted,
/// rarer ones lifted.
const COMMON_WORD_ZIPF: f64 = 4.6;
/// Slope of [`rarity`] per Zipf unit.
const RARITY_SLOPE: f64 = 0.4;
/// Least [`rarity`] factor.
const RARITY_MIN: f64 = 0.5;
/// Largest [`rarity`] factor.
const RARITY_MAX: f64 = 3.0;
/// Specificity of a one-word candidate at which it gets [`ONE_WORD`].
const SPECIFIC_WORD: f64 = 0.9;
/// Specificity from which a lowercase two-syllable phrase is lifted above
/// [`TWO_SYLLABLE_PHRASE`] (by up to 4×, as the fourth power of the ratio).
const SPECIFIC_TWO_SYLLABLES: f64 = 0.75;

/// Token sequences of a list of phrases, for those whose syllables occurred.
fn phrase_set(vocab: &Vocabulary, phrases: &[&str]) -> FxSet<Vec<u32>> {
    phrases.iter().filter_map(|p| p.split(' ').map(|w| vocab.lookup_key(w)).collect::<Option<Vec<u32>>>()).collect()
}

/// Scores every node that can be a candidate; the result is unsorted.
pub(crate) fn score_all(trie: &Trie, vocab: &Vocabulary, documents: usize, min_frequency: u32) -> Vec<Scored> {
    let nodes = &trie.nodes;
    let mut ext_sum = vec![0u64; nodes.len()];
    let mut ext_n = vec![0u32; nodes.len()];
    let mut left_max = vec![0u32; nodes.len()];
    let mut right_max = vec![0u32; nodes.len()];
    // Occurrences extended by a syllable that forms a word with the edge
    // syllable ("gắn|kết chiến lược", "liên|kết chiến lược").
    let mut left_glued = vec![0u32; nodes.len()];
    let mut right_glued = vec![0u32; nodes.len()];
    // Capitalised occurrences that are part of a longer name ("Nhân dân"
    // in "Đảng Nhân dân Cách mạng Lào"), by side.
    let mut left_in_name = vec![0u32; nodes.len()];
    let mut right_in_name = vec![0u32; nodes.len()];
    // Occurrences after an event classifier ("cuộc hội đàm").
    let mut nominal = vec![0u32; nodes.len()];
    // Distinct right and left extensions by a content word.
    let mut right_n = vec![0u32; nodes.len()];
    let mut left_n = vec![0u32; nodes.len()];
    // Occurrences extended on the left by a content word (all extensions
    // together): a phrase nearly always preceded by one is the tail of
    // longer phrases.
    let mut left_cover = vec![0u32; nodes.len()];
    // Occurrences followed by a capitalised word: a lowercase last word
    // there is the class noun of the name after it ("Quốc khánh nước" +
    // "Lào").
    let mut before_name = vec![0u32; nodes.len()];
    let mut tokens = Vec::with_capacity(MAX_SYLLABLES * 2);
    let titles = Titles::new(vocab);

    for node in nodes.iter().skip(1) {
        if node.len >= 2
            && node.freq >= min_frequency
            && node.token != DASH
            && node.capital * 2 > node.freq
            && capitalised(trie, node.token)
        {
            before_name[node.parent as usize] += node.freq;
        }
    }
    for (b, node) in nodes.iter().enumerate().skip(1) {
        if node.len < 2 {
            continue;
        }
        // Extensions seen once count for the variety of extensions only.
        let counted = node.freq >= min_frequency;
        trie.tokens_into(b as u32, &mut tokens);
        // Extensions across a dash ("quan hệ Việt Nam" + "- Lào") are
        // boundary evidence only: "Việt Nam" is a term of its own.
        let n = tokens.len();
        if counted && n >= 3 && tokens[n - 2] == DASH && tokens[n - 1] != DASH {
            let a = nodes[node.parent as usize].parent as usize;
            right_max[a] = right_max[a].max(node.freq);
        }
        if counted && n >= 3 && tokens[1] == DASH {
            if let Some(a) = trie.find(&tokens[2..]) {
                left_max[a as usize] = left_max[a as usize].max(node.freq);
            }
        }
        // Right extension: the parent is `b` without its last token.
        let last = *tokens.last().expect("len >= 2");
        let a = node.parent;
        // An extension seen once matters only to a candidate.
        let wanted = counted || nodes[a as usize].ends >= min_frequency && vocab.get(last).end_ok;
        // A class noun before a name ("Quốc khánh" + "nước" + "Lào") does
        // not extend the phrase; in a title it does ("Chủ tịch nước").
        let class_noun = !vocab.get(last).start_ok
            && vocab.get(last).end_ok
            && before_name[b] * 2 > node.freq
            && !titles.ends_with_title(&tokens);
        if wanted
            && !class_noun
            && !free_name_after(trie, a, last, node)
            && last != DASH
            && !titles.person_after_title(&tokens[..n - 1], last, node, vocab)
            && !is_boundary(trie, vocab, a, tokens[tokens.len() - 2], last, node, false)
            && !name_ends(trie, a, last)
        {
            if !counted {
                right_n[a as usize] += u32::from(vocab.get(last).end_ok);
            } else if vocab.get(last).end_ok {
                add_extension(a, node, &mut ext_sum, &mut ext_n, &mut right_max);
                right_n[a as usize] += 1;
                // Capitals that continue past the phrase ("Nhân dân" +
                // "Cách mạng") belong to a longer name; a capitalised
                // word before a lowercase one ("Quốc khánh" + "nước")
                // carries its own.
                let capital_next = capitalised(trie, last);
                if node.capital > 0 && node.capital >= node.lower && capital_next {
                    right_in_name[a as usize] += node.capital;
                }
                if glued(trie, vocab, tokens[tokens.len() - 2], last) {
                    right_glued[a as usize] += node.freq;
                }
            } else if bound_function_word(trie, vocab, tokens[n - 2], last) {
                // A function word that nearly always follows is part of a
                // word the phrase cuts ("... diễn" of "diễn ra"): boundary
                // evidence, but not a longer term. A preposition that
                // follows a verb ("hội kiến với") is not.
                right_max[a as usize] = right_max[a as usize].max(node.freq);
            }
        }
        // Left extension: `b` without its first word, if it was counted
        // (without its first token, or its first two or three when they
        // make one word: "Cộng hòa" + "Dân chủ Nhân dân Lào").
        // A word does not hold a function word or a dash ("hội kiến với"
        // + "Thủ tướng" is no extension), and a title before it is a
        // boundary ("Tổng Bí thư" + "Tô Lâm").
        // A title that goes on into the phrase is no boundary: the phrase
        // starts inside it ("Thứ trưởng" + "Ngoại giao Nguyễn Mạnh Cường"
        // cuts "Thứ trưởng Ngoại giao").
        let left = (1..tokens.len().min(4)).find_map(|k| trie.find(&tokens[k..]).map(|a| (k, a))).filter(|&(k, _)| {
            k == 1
                || titles.spans(&tokens, k)
                || tokens[..k].iter().all(|&t| t != DASH && !vocab.get(t).function)
                    && !titles.ends_with_title(&tokens[..k])
        });
        if let Some((k, a)) = left.filter(|&(_, a)| counted || nodes[a as usize].ends >= min_frequency) {
            let first = vocab.get(tokens[k - 1]);
            if counted && first.classifier {
                nominal[a as usize] += node.freq;
            }
            if first.classifier && !first.start_ok {
                // "chuyến thăm cấp Nhà nước": the classifier marks a noun,
                // it neither extends nor bounds the phrase.
            } else if first.quantifier {
                // "hai bên nhất trí": a boundary test, not a longer term.
                if counted {
                    left_max[a as usize] = left_max[a as usize].max(node.freq);
                }
            } else if titles.spans(&tokens, k)
                || !titles.title_before_person(tokens[k - 1], &tokens[k..], node, vocab)
                    && !is_boundary(trie, vocab, a, tokens[k], tokens[k - 1], node, true)
            {
                left_n[a as usize] += 1;
                left_cover[a as usize] += node.freq;
                if counted {
                    add_extension(a, node, &mut ext_sum, &mut ext_n, &mut left_max);
                    if node.title * 2 > node.freq {
                        left_in_name[a as usize] += node.title;
                    }
                    if glued(trie, vocab, tokens[k - 1], tokens[k]) {
                        left_glued[a as usize] += node.freq;
                    }
                }
            }
        }
    }

    let mut general = phrase_set(vocab, GENERAL_WORDS);
    general.extend(phrase_set(vocab, NOT_INITIAL_PHRASES));
    let verb_starts = phrase_set(vocab, NOT_INITIAL_PHRASES);
    let modifiers = phrase_set(vocab, GENERAL_WORDS);
    let edges = phrase_set(vocab, EDGE_PHRASES);
    // The first and last syllables of the edge phrases, and the first of
    // the verb phrases: an n-gram can start or end with one of those
    // phrases only if its own first or last syllable is among them.
    let edge_firsts: FxSet<u32> = edges.iter().map(|e| e[0]).collect();
    let edge_lasts: FxSet<u32> = edges.iter().filter_map(|e| e.last().copied()).collect();
    let verb_firsts: FxSet<u32> = verb_starts.iter().map(|v| v[0]).collect();
    let misspelt = misspellings(vocab, trie);
    let total = vocab.total.max(1) as f64;
    let mut key = String::new();
    let mut out = Vec::new();
    for (a, node) in nodes.iter().enumerate().skip(1) {
        // A candidate starts and ends on word edges of the segmented text:
        // an n-gram that mostly ends inside a word is a fragment.
        if node.ends < min_frequency
            || node.ends * 2 < node.freq
            || node.token == DASH
            || !vocab.get(node.token).end_ok
            || node.syllables as usize > MAX_SYLLABLES
        {
            continue;
        }
        trie.tokens_into(a as u32, &mut tokens);
        // A classifier capitalised mid-sentence starts the name of an event
        // ("Cuộc gặp cấp cao"); in lowercase it starts no term.
        let first = vocab.get(tokens[0]);
        let named = first.classifier && node.capital * 2 > node.freq;
        if !first.start_ok && !named && node.word_initial * 2 <= node.freq
            || (edge_firsts.contains(&tokens[0]) || edge_lasts.contains(&tokens[tokens.len() - 1]))
                && edges.iter().any(|e| tokens.len() > e.len() && (tokens.starts_with(e) || tokens.ends_with(e)))
        {
            continue;
        }
        let in_name = left_in_name[a].max(right_in_name[a]);
        let Some(kind) = kind_of(node, node.capital.saturating_sub(in_name), &tokens, vocab) else { continue };
        let verb_start = verb_firsts.contains(&tokens[0])
            && verb_starts.iter().any(|v| tokens.len() > v.len() && tokens.starts_with(v));
        let listed = !general.contains(&tokens[..]) && !verb_start;
        let f = f64::from(node.ends);
        let n = f64::from(node.syllables);
        // Nested uses are subtracted unless the phrase is extended by many
        // different words on a side: then the longer phrases are built on
        // it ("hoạt động", "chính sách", "quan hệ" + "đối ngoại"), and it is
        // a unit of its own in all its uses.
        let varied = left_n[a] >= VARIETY_EXTENSIONS || right_n[a] >= VARIETY_EXTENSIONS;
        let nested = if ext_n[a] > 0 && !varied { ext_sum[a] as f64 / f64::from(ext_n[a]) } else { 0.0 };
        let one_word = node.syllables >= 2 && node.whole * 2 > node.ends;
        let mut termhood = n.log2().max(1.0) * (f - nested);
        if (one_word || node.syllables == 2 && node.len == 2) && kind == CandidateKind::Phrase && termhood > 0.0 {
            // A lowercase word's frequency (or a two-syllable phrase's) says
            // less about termhood than a longer phrase's: the most frequent
            // words of a text are its ordinary vocabulary ("quan hệ", "kinh
            // tế"), so it counts as a square root around
            // [`ONE_WORD_FREQUENCY`].
            termhood = (termhood * ONE_WORD_FREQUENCY).sqrt();
        }
        if termhood <= 0.0 {
            continue;
        }
        let share = |m: u32| (f64::from(m) / f).min(1.0);
        let (left, right) = (left_max[a].max(left_glued[a]), right_max[a].max(right_glued[a]));
        // Nearly all uses inside one longer phrase: a truncation of it
        // ("Đảng Nhân dân" of "Đảng Nhân dân Cách mạng Lào"), however often
        // it occurs.
        let dashes = tokens.iter().filter(|&&t| t == DASH).count();
        let mut listed =
            listed && !(kind == CandidateKind::Name && dashes == 0 && share(left.max(right)) >= TRUNCATION_SHARE);
        // A phrase extended by many different words ("Chủ tịch" before
        // "nước", "Quốc hội" and names) is a unit of its own, however
        // frequent its most frequent extension.
        let side = |m: u32, distinct: u32| {
            let b = 1.0 - share(m).powi(3);
            if distinct >= VARIETY_EXTENSIONS {
                b.max(VARIETY_BOUNDARY)
            } else {
                b
            }
        };
        let mut boundary = side(left, left_n[a]) * side(right, right_n[a]);
        if dashes == 1 {
            // A dash compound is one unit ("kinh tế - xã hội"), whatever
            // verb precedes it, unless it cuts a word ("triển kinh tế - xã
            // hội").
            let glued_sides = (1.0 - share(left_glued[a]).powi(3)) * (1.0 - share(right_glued[a]).powi(3));
            boundary = boundary.max(DASH_COMPOUND_BOUNDARY * glued_sides);
        }
        let unithood = unithood(trie, &tokens, node, total, vocab);
        // One lowercase word of the segmented text ("hội đàm", "đối
        // ngoại"): a unit by segmentation, compared with general Vietnamese
        // as a word (the word list). Names and longer phrases are compared
        // through their syllables: the word list is caseless and full of
        // Wikipedia's names of bodies and titles, and measured on the
        // seeds, phrases compared word by word ranked worse.
        let (mut specificity, word_reference) = match (one_word, kind) {
            (true, CandidateKind::Name) => (rarest_syllable_specificity(&tokens, node, vocab, total), None),
            (true, _) => word_specificity(&tokens, node, vocab, total, &mut key),
            (false, _) => (specificity(&tokens, vocab, total), None),
        };
        if kind == CandidateKind::Name {
            // A proper name is made of common syllables ("Biển Đông", "Hà
            // Nội"): the syllable baseline says nothing about it.
            specificity = specificity.max(NAME_SPECIFICITY);
        }
        let spread = 0.6 + 0.4 * (1.0 + f64::from(node.doc_freq)).ln() / (1.0 + documents as f64).ln();
        let inner = if tokens.len() > 2 { &tokens[1..tokens.len() - 1] } else { &[][..] };
        let inner_function = inner.iter().filter(|&&t| t != DASH && is_function(vocab, t)).count();
        let mut shape =
            INNER_FUNCTION_WORD.powi(inner_function as i32) * 0.8f64.powi((node.syllables as i32 - 6).max(0));
        match kind {
            // A foreign name of two syllables is a person's or a place's
            // ("Kaysone Phomvihane"), not a capitalised common noun.
            CandidateKind::Name if node.syllables == 2 && !tokens.iter().all(|&t| vocab.get(t).foreign) => {
                shape *= NAME_BONUS * TWO_SYLLABLE_NAME
            }
            CandidateKind::Name => shape *= NAME_BONUS,
            CandidateKind::Phrase if one_word => {
                // A single word is a term when it is far more frequent here
                // than in general Vietnamese (or names an event), not for
                // its length.
                let eventive = nominal[a] >= 2 && f64::from(nominal[a]) >= NOMINAL_SHARE * f;
                let by_specificity = ONE_WORD
                    * (specificity / SPECIFIC_WORD).powi(2).clamp(0.5, 2.0)
                    * word_reference.map_or(1.0, rarity);
                shape *= if eventive { by_specificity.max(EVENT_WORD) } else { by_specificity };
            }
            CandidateKind::Phrase if node.syllables == 2 => {
                // An event noun ("cuộc hội đàm", "chuyến thăm") is a term of
                // the domain; other two-syllable phrases are mostly
                // ordinary words, unless far more frequent here than in
                // general Vietnamese.
                let eventive = nominal[a] >= 2 && f64::from(nominal[a]) >= NOMINAL_SHARE * f;
                shape *= if eventive {
                    EVENT_NOUN
                } else {
                    TWO_SYLLABLE_PHRASE * (specificity / SPECIFIC_TWO_SYLLABLES).powi(4).clamp(1.0, 4.0)
                };
            }
            _ => {}
        }
        if dashes == 1 {
            shape *= DASH_COMPOUND;
        }
        let words: Vec<u32> = tokens.iter().copied().filter(|&t| t != DASH).collect();
        // A modifier nearly always preceded by the noun it modifies starts
        // no term: "đặc biệt Việt Nam - Lào" is cut from "quan hệ đặc
        // biệt …" and "đoàn kết đặc biệt …".
        listed &= !(modifiers.iter().any(|m| tokens.len() > m.len() && tokens.starts_with(m))
            && f64::from(left_cover[a]) >= TAIL_COVER * f);
        // A name ending in a lowercase class noun that stands before another
        // name ("Quốc khánh nước" + "Lào"), unless the phrase is a title
        // ("Chủ tịch nước" + a name).
        let class_noun_end = kind == CandidateKind::Name
            && !vocab.get(tokens[tokens.len() - 1]).start_ok
            && before_name[a] * 2 > node.freq;
        listed &= !class_noun_end || titles.ends_with_title(&tokens);
        // A term followed by a frequent name that it also goes without
        // ("Chủ tịch nước" + "Lào", "quan hệ" + "Việt Nam - Lào").
        listed &= !with_free_name(trie, vocab, &tokens, node);
        if words.windows(2).any(|w| vocab.get(w[0]).foreign != vocab.get(w[1]).foreign) {
            shape *= MIXED;
            // One Vietnamese syllable next to a foreign name is a country
            // or a place glued to it ("Lào Thongloun Sisoulith"), not a
            // title ("Chủ tịch nước Lào Thongloun Sisoulith").
            listed &= words.iter().filter(|&&t| !vocab.get(t).foreign).count() > 1;
        }
        // A rare misspelling of a frequent syllable ("chuyễn" for
        // "chuyến"): the correct spelling is the candidate.
        listed &= !words.iter().any(|&t| misspelt[t as usize].is_some());
        // "Tổng Bí thư Tô Lâm" is a title and a name; "dự Lễ kỷ niệm" a
        // verb glued to a name.
        listed &= !titles.title_and_person(&tokens, vocab) && !verb_before_name(trie, &tokens, node, vocab);
        // Two names joined by a function word ("Lào của Tổng Bí thư").
        listed &= !(kind == CandidateKind::Name && inner_function > 0);
        let parts = ScoreParts { termhood, boundary, unithood, specificity, spread, shape };
        let score = parts.product();
        if score > 0.0 {
            out.push(Scored { node: a as u32, score, parts, kind, listed });
        }
    }
    out
}

/// Whether syllables `x y` are bound into one word: the pair occurs at
/// least twice and accounts for a fifth or more of the occurrences of the
/// rarer syllable ("gắn kết", "liên kết", "toàn diện"), unlike a chance
/// neighbour ("đẩy hợp": 3 of 27).
fn glued(trie: &Trie, vocab: &Vocabulary, x: u32, y: u32) -> bool {
    if x == DASH || y == DASH {
        return false;
    }
    pair_counts(trie, vocab, x, y).is_some_and(|(together, rarer)| together >= 2 && together * 5 >= rarer)
}

/// Whether syllables `x y` occur together in at least half of the
/// occurrences of the rarer one ("Việt Nam").
fn bound_pair(trie: &Trie, vocab: &Vocabulary, x: u32, y: u32) -> bool {
    pair_counts(trie, vocab, x, y).is_some_and(|(together, rarer)| together * 2 >= rarer)
}

/// How often `x y` occur together, and how often the rarer of the two
/// occurs (at least 1); `None` when the pair is not in the trie.
fn pair_counts(trie: &Trie, vocab: &Vocabulary, x: u32, y: u32) -> Option<(u64, u64)> {
    let pair = trie.find(&[x, y])?;
    let rarer = vocab.counts[x as usize].min(vocab.counts[y as usize]).max(1);
    Some((u64::from(trie.nodes[pair as usize].freq), rarer))
}

/// Whether function word `f` after syllable `x` belongs to a word with it
/// ("diễn ra"): a third or more of the function word's occurrences follow
/// `x`.
fn bound_function_word(trie: &Trie, vocab: &Vocabulary, x: u32, f: u32) -> bool {
    if x == DASH {
        return false;
    }
    let Some(pair) = trie.find(&[x, f]) else { return false };
    u64::from(trie.nodes[pair as usize].freq) * 3 >= vocab.counts[f as usize]
}

/// Records extension `b` of node `a`: its own uses (those ending on a word
/// edge) for the nesting mean, all its occurrences for the boundary share.
fn add_extension(a: u32, b: &Node, sum: &mut [u64], n: &mut [u32], max: &mut [u32]) {
    let a = a as usize;
    sum[a] += u64::from(b.ends);
    n[a] += 1;
    max[a] = max[a].max(b.freq);
}

/// Whether the step from token `inner` (an edge of node `a`) to the extra
/// token `outer` of the extension `b` is a boundary rather than the same
/// term continuing.
fn is_boundary(trie: &Trie, vocab: &Vocabulary, a: u32, inner: u32, outer: u32, b: &Node, left: bool) -> bool {
    if a == ROOT || inner == DASH || outer == DASH {
        return true;
    }
    if vocab.get(inner).foreign != vocab.get(outer).foreign {
        return true;
    }
    // A lowercase word before a capitalised name: "Bí thư" | "Tô Lâm",
    // "năm" | "Quốc khánh".
    let a = &trie.nodes[a as usize];
    left && a.capital * 2 > a.freq && b.lower * 2 > b.freq
}

/// Whether syllable `t` is mostly capitalised where it starts an n-gram.
fn capitalised(trie: &Trie, t: u32) -> bool {
    trie.child(ROOT, t).is_some_and(|n| {
        let n = &trie.nodes[n as usize];
        n.capital > n.lower
    })
}

/// Whether extension `b` of node `a` adds a frequent one-syllable name
/// written in capitals that `a` goes without in most of its uses
/// ("Quốc khánh" + "Lào"): a term and a name side by side, so no nesting.
/// A name that follows in most uses ("Đảng Cộng sản" + "Việt Nam") still
/// extends it.
fn free_name_after(trie: &Trie, a: u32, last: u32, b: &Node) -> bool {
    let Some(name) = trie.child(ROOT, last) else { return false };
    let name = &trie.nodes[name as usize];
    let a = &trie.nodes[a as usize];
    a.len >= 2
        && b.freq * 2 < a.freq
        && name.title * 2 > name.freq
        && name.freq >= FREE_NAME_RATIO * b.freq
        && b.capital * 2 > b.freq
}

/// Whether a name (node `a`, capitalised in every syllable) ends before
/// the mostly lowercase syllable `next`: names end where lowercase starts
/// ("Nguyễn Mạnh Cường" | "trả lời").
fn name_ends(trie: &Trie, a: u32, next: u32) -> bool {
    let node = &trie.nodes[a as usize];
    a != ROOT
        && next != DASH
        && node.title * 2 > node.freq
        && trie.child(ROOT, next).is_some_and(|n| {
            let n = &trie.nodes[n as usize];
            n.lower > n.capital
        })
}

/// Whether `tokens` is a term followed by a capitalised name that combine
/// freely: the name occurs at least [`FREE_NAME_RATIO`] times as often as
/// the pair, the term of two or more syllables also occurs without it, and
/// it is written in the same case there (a capitalised term before the
/// name, as "Quốc hội" + "Lào", is capitalised on its own too; "Cộng đồng"
/// is capitalised only in "Cộng đồng ASEAN", which is a name).
fn with_free_name(trie: &Trie, vocab: &Vocabulary, tokens: &[u32], node: &Node) -> bool {
    (1..tokens.len()).any(|k| {
        // Not between two syllables of one name ("Việt | Nam").
        if tokens[k] == DASH || tokens[k - 1] == DASH || bound_pair(trie, vocab, tokens[k - 1], tokens[k]) {
            return false;
        }
        let (Some(head), Some(name)) = (trie.find(&tokens[..k]), trie.find(&tokens[k..])) else { return false };
        let (head, name) = (&trie.nodes[head as usize], &trie.nodes[name as usize]);
        let own = head.ends.saturating_sub(node.freq);
        let (own_capital, own_lower) =
            (head.capital.saturating_sub(node.capital), head.lower.saturating_sub(node.lower));
        let capital_pair = node.capital * 2 > node.freq;
        head.syllables >= 2
            && head.ends * 2 > head.freq
            && name.ends * 2 > name.freq
            && name.title * 2 > name.freq
            && name.freq >= FREE_NAME_RATIO * node.freq
            && own > 0
            && (own_capital > own_lower) == capital_pair
    })
}

fn is_function(vocab: &Vocabulary, t: u32) -> bool {
    let s = vocab.get(t);
    !s.start_ok && !s.end_ok
}

/// What kind of candidate a node is, or `None` if it cannot be one.
/// `capital` counts the occurrences capitalised mid-sentence on their own,
/// not as part of a longer name.
fn kind_of(node: &Node, capital: u32, tokens: &[u32], vocab: &Vocabulary) -> Option<CandidateKind> {
    let f = node.freq;
    // Capitalised mid-sentence at least as often as written in lowercase.
    let name = capital > 0 && capital >= node.lower;
    if tokens.len() == 1 {
        let syllable = vocab.get(tokens[0]);
        let roman = syllable.key.chars().all(|c| matches!(c, 'i' | 'v' | 'x' | 'l' | 'c' | 'd' | 'm'));
        if node.upper * 2 > f && !roman && syllable.key.chars().count() >= 2 {
            return Some(CandidateKind::Acronym);
        }
        if syllable.foreign && name {
            return Some(CandidateKind::Name);
        }
        return None;
    }
    Some(if name { CandidateKind::Name } else { CandidateKind::Phrase })
}

/// The npmi of the weakest split whose two parts were counted, clamped to
/// 0.2–1; 0.75 when no split can be measured.
fn unithood(trie: &Trie, tokens: &[u32], node: &Node, total: f64, vocab: &Vocabulary) -> f64 {
    if node.syllables < 2 {
        return 1.0;
    }
    let p_a = f64::from(node.freq) / total;
    let mut worst: Option<f64> = None;
    let mut left = ROOT;
    for k in 0..tokens.len() - 1 {
        left = trie.child(left, tokens[k]).expect("prefix of a counted n-gram");
        let (x, y) = (tokens[k], tokens[k + 1]);
        if x == DASH || y == DASH || !vocab.get(y).start_ok {
            continue;
        }
        let Some(right) = trie.find(&tokens[k + 1..]) else { continue };
        let p_x = f64::from(trie.nodes[left as usize].freq) / total;
        let p_y = f64::from(trie.nodes[right as usize].freq) / total;
        let npmi = if p_a >= 1.0 { 1.0 } else { (p_a / (p_x * p_y)).ln() / -p_a.ln() };
        worst = Some(worst.map_or(npmi, |w: f64| w.min(npmi)));
    }
    worst.map_or(0.75, |w| w.clamp(0.2, 1.0))
}

/// Domain specificity of a one-word candidate: `log10(p_corpus /
/// p_reference)` of the word, mapped like [`specificity`], and the
/// reference probability when it is the word's own. The reference is the
/// word's probability in general Vietnamese
/// ([`refdata::word_probability`]); a word written with a dash, which the
/// word list does not hold, falls back to [`rarest_syllable_specificity`]
/// (and has no reference probability of its own).
fn word_specificity(
    tokens: &[u32],
    node: &Node,
    vocab: &Vocabulary,
    total: f64,
    key: &mut String,
) -> (f64, Option<f64>) {
    if tokens.contains(&DASH) {
        return (rarest_syllable_specificity(tokens, node, vocab, total), None);
    }
    let p_ref = refdata::word_probability(word_key(tokens, vocab, key));
    let p_corpus = f64::from(node.ends) / total;
    ((0.5 + 0.25 * (p_corpus / p_ref).log10()).clamp(0.35, 1.5), Some(p_ref))
}

/// Shape factor of a lowercase word by its probability in general
/// Vietnamese: `10^(RARITY_SLOPE × (COMMON_WORD_ZIPF − zipf))`, clamped to
/// [`RARITY_MIN`]–[`RARITY_MAX`]. How often a word occurs here already counts in its
/// termhood and specificity; how rare it is in general text says whether it
/// belongs to a special vocabulary ("song phương", "kim ngạch") or to
/// everyday language ("kinh tế", "quan hệ").
fn rarity(p_reference: f64) -> f64 {
    let zipf = p_reference.log10() + 9.0;
    10f64.powf(RARITY_SLOPE * (COMMON_WORD_ZIPF - zipf)).clamp(RARITY_MIN, RARITY_MAX)
}

/// [`word_specificity`] against the syllable list alone: a word is at most
/// as frequent as its rarest syllable, which stands for its reference
/// probability.
fn rarest_syllable_specificity(tokens: &[u32], node: &Node, vocab: &Vocabulary, total: f64) -> f64 {
    let p_ref = tokens
        .iter()
        .filter(|&&t| t != DASH)
        .map(|&t| refdata::probability(vocab.get(t).zipf))
        .fold(f64::INFINITY, f64::min);
    let p_corpus = f64::from(node.ends) / total;
    (0.5 + 0.25 * (p_corpus / p_ref).log10()).clamp(0.35, 1.5)
}

/// Domain specificity from the syllables' corpus and reference frequencies.
fn specificity(tokens: &[u32], vocab: &Vocabulary, total: f64) -> f64 {
    let mut sum = 0.0;
    let mut n = 0.0;
    for &t in tokens.iter().filter(|&&t| t != DASH) {
        let p_corpus = vocab.counts[t as usize] as f64 / total;
        let p_ref = refdata::probability(vocab.get(t).zipf);
        sum += (p_corpus / p_ref).log10();
        n += 1.0;
    }
    let w = if n > 0.0 { sum / n } else { 0.0 };
    (0.5 + 0.25 * w).clamp(0.35, 1.5)
}

/// The normalised key of a run of syllables (their keys joined by spaces),
/// written into `key`.
fn word_key<'k>(tokens: &[u32], vocab: &Vocabulary, key: &'k mut String) -> &'k str {
    key.clear();
    for (i, &t) in tokens.iter().enumerate() {
        if i > 0 {
            key.push(' ');
        }
        key.push_str(&vocab.get(t).key);
    }
    key
}

/// The titles of [`TITLES`] as token sequences, for splitting "title +
/// name".
struct Titles {
    phrases: FxSet<Vec<u32>>,
    /// Last syllables of the titles ("thư" of "Tổng Bí thư").
    last: FxSet<u32>,
    /// Prefixes of two or more syllables of the titles ("chủ tịch quốc").
    prefixes: FxSet<Vec<u32>>,
    /// Adjacent syllables inside a title ("trưởng", "ngoại"), to rule out
    /// most positions before looking phrases up.
    pairs: FxSet<(u32, u32)>,
}

impl Titles {
    fn new(vocab: &Vocabulary) -> Titles {
        let phrases = phrase_set(vocab, TITLES);
        let last = phrases.iter().filter_map(|p| p.last().copied()).collect();
        let prefixes = phrases.iter().flat_map(|p| (2..=p.len()).map(|k| p[..k].to_vec())).collect();
        let pairs = phrases.iter().flat_map(|p| p.windows(2).map(|w| (w[0], w[1]))).collect();
        Titles { phrases, last, prefixes, pairs }
    }

    /// Whether a title spans position `k` of `tokens`: it starts before `k`
    /// and goes on past it ("thứ trưởng | ngoại giao").
    fn spans(&self, tokens: &[u32], k: usize) -> bool {
        if k == 0 || k >= tokens.len() || !self.pairs.contains(&(tokens[k - 1], tokens[k])) {
            return false;
        }
        (k.saturating_sub(4)..k)
            .any(|i| (k + 1..=tokens.len().min(i + 5)).any(|j| self.phrases.contains(&tokens[i..j])))
    }

    /// Whether `head` ends with a title.
    fn ends_with_title(&self, head: &[u32]) -> bool {
        // A title ending there ends with the last syllable of `head`.
        head.last().is_some_and(|t| self.last.contains(t))
            && (1..=head.len().min(4)).any(|k| self.phrases.contains(&head[head.len() - k..]))
    }

    /// Whether `b` = `head` + `next` is a title followed by the first
    /// syllable of a person's name, capitalised ("Tổng Bí thư" + "Tô").
    fn person_after_title(&self, head: &[u32], next: u32, b: &Node, vocab: &Vocabulary) -> bool {
        if next == DASH || b.capital * 2 <= b.freq || !self.ends_with_title(head) {
            return false;
        }
        // A person ("Tổng Bí thư" + "Tô"), or a country or body before one
        // ("Thủ tướng" + "Lào"), unless the title goes on ("Chủ tịch" +
        // "Quốc hội").
        let mut longer = head.to_vec();
        longer.push(next);
        let goes_on = (2..=longer.len().min(4)).any(|k| self.prefixes.contains(&longer[longer.len() - k..]));
        vocab.get(next).surname || !goes_on
    }

    /// Whether `b` = `first` + `rest` is the last syllable of a title
    /// before a person's name ("thư" + "Tô Lâm").
    fn title_before_person(&self, first: u32, rest: &[u32], b: &Node, vocab: &Vocabulary) -> bool {
        b.capital * 2 > b.freq && self.last.contains(&first) && rest.first().is_some_and(|&t| vocab.get(t).surname)
    }

    /// Whether `tokens` holds a title followed by a person's name (a family
    /// name or a foreign syllable), directly or after a one-syllable
    /// country ("Thủ tướng Lào Sonexay Siphandone").
    fn title_and_person(&self, tokens: &[u32], vocab: &Vocabulary) -> bool {
        (1..tokens.len()).any(|k| {
            let t = vocab.get(tokens[k]);
            let country_between = k >= 2 && tokens[k - 1] != DASH && !vocab.get(tokens[k - 1]).foreign;
            (t.surname || t.foreign)
                && (self.ends_with_title(&tokens[..k])
                    || t.foreign && country_between && self.ends_with_title(&tokens[..k - 1]))
        })
    }
}

/// Whether a phrase is a lowercase word glued before a name ("dự Lễ kỷ
/// niệm", "thăm Lào"): it starts in lowercase while its remainder is
/// mostly written capitalised.
fn verb_before_name(trie: &Trie, tokens: &[u32], node: &Node, vocab: &Vocabulary) -> bool {
    if tokens.len() < 2 || tokens[1] == DASH || node.lower * 2 <= node.freq || vocab.get(tokens[0]).foreign {
        return false;
    }
    trie.find(&tokens[1..]).is_some_and(|r| {
        let r = &trie.nodes[r as usize];
        r.capital * 2 > r.freq
    })
}

/// Most occurrences of a syllable taken for a misspelling.
const MISSPELLING_MAX: u64 = 2;
/// How many times more frequent the same syllable with another tone mark
/// must be for a rare syllable to be a misspelling of it.
const MISSPELLING_RATIO: u64 = 10;

/// Per syllable id: the syllable it misspells, if it is a rare spelling of
/// a syllable that differs from it in the tone mark only and is far more
/// frequent ("chuyễn", 2×, against "chuyến", 30×).
pub(crate) fn misspellings(vocab: &Vocabulary, trie: &Trie) -> Vec<Option<u32>> {
    let mut by_toneless: std::collections::HashMap<String, Vec<u32>> = std::collections::HashMap::new();
    for (id, s) in vocab.syllables.iter().enumerate().skip(1) {
        by_toneless.entry(toneless(&s.key)).or_default().push(id as u32);
    }
    let mut out = vec![None; vocab.syllables.len()];
    for ids in by_toneless.values().filter(|v| v.len() > 1) {
        let Some(&top) = ids.iter().max_by_key(|&&i| (vocab.counts[i as usize], std::cmp::Reverse(i))) else {
            continue;
        };
        let most = vocab.counts[top as usize];
        for &i in ids {
            let c = vocab.counts[i as usize];
            if c <= MISSPELLING_MAX && c * MISSPELLING_RATIO <= most {
                out[i as usize] = Some(top);
            }
        }
    }
    // A misspelling stands where the spelling it misses is used: next to a
    // neighbour it has elsewhere ("toàn diễn" beside "toàn diện",
    // "chuyễn thăm" beside "chuyến thăm"). A word with another meaning has
    // neighbours of its own ("đa phương" beside "đã").
    let mut confirmed = vec![false; out.len()];
    for node in trie.nodes.iter().skip(1).filter(|n| n.len == 2) {
        let (x, y) = (node.parent, node.token);
        let x = trie.nodes[x as usize].token;
        let seen = |pair: [u32; 2]| trie.find(&pair).is_some_and(|p| trie.nodes[p as usize].freq >= 2);
        if let Some(fix) = out.get(y as usize).copied().flatten() {
            confirmed[y as usize] |= seen([x, fix]);
        }
        if let Some(fix) = out.get(x as usize).copied().flatten() {
            confirmed[x as usize] |= seen([fix, y]);
        }
    }
    for (o, ok) in out.iter_mut().zip(confirmed) {
        if !ok {
            *o = None;
        }
    }
    out
}

/// A syllable without its tone mark (vowel marks kept: "chuyễn" → "chuyên").
fn toneless(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfd().filter(|c| !matches!(c, '\u{300}' | '\u{301}' | '\u{303}' | '\u{309}' | '\u{323}')).nfc().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rarity_lifts_special_words_and_discounts_everyday_ones() {
        let rarity_of = |word: &str| rarity(refdata::word_probability(word));
        // A word of diplomacy is rarer in general Vietnamese than an
        // everyday one, so its factor is higher.
        assert!(rarity_of("đối ngoại") > rarity_of("kinh tế"));
        assert!(rarity_of("kinh tế") < 1.0);
        // The factor is 1 at COMMON_WORD_ZIPF and clamped on both sides.
        assert!((rarity(10f64.powf(COMMON_WORD_ZIPF - 9.0)) - 1.0).abs() < 1e-9);
        assert_eq!(rarity(1e-12), RARITY_MAX);
        assert_eq!(rarity(1e-2), RARITY_MIN);
        // A word missing from the list is taken as rare.
        assert_eq!(rarity_of("thongloun sisoulith"), RARITY_MAX);
    }
}
