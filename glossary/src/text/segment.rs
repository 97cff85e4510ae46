//! Vietnamese word segmentation: syllables in, words out.
//!
//! Vietnamese puts a space between syllables, and a word is one or more
//! syllables ("họp báo", "Bộ trưởng", "lao động"). [`segment`] groups the
//! tokens of [`tokenize`] into words and reports each word's token range and
//! byte span in the original text; every token belongs to exactly one word,
//! in order, so callers can test word boundaries on token indices.
//!
//! # Method
//!
//! 1. **Fixed units.** Punctuation is a word of its own. A chain of words and
//!    numbers glued by hyphens without spaces is one word when a part holds a
//!    digit or every part is an acronym ("COVID-19", "Sars-CoV-2", "ASEAN-EU",
//!    but "Việt Nam-Lào" stays apart); acronyms glued by a period ("TP.HCM")
//!    are one word; a number ("5/2/2026", "1.000", "15%") is one word.
//! 2. **Lattice.** Between fixed units, every span of syllables that is in
//!    the lexicon (case-insensitive, canonical tone placement, so "hoà" is
//!    "hòa") is a candidate word; every single syllable is one too. A pair of
//!    syllables that the lexicon lacks as a word is a candidate whose score
//!    adds how often (in the treebank) its first syllable starts a longer
//!    word and its second continues one, so compounds of bound syllables
//!    missing from the lexicon still come out whole, plus a bonus when
//!    unlabelled text shows the two syllables strongly associated (high
//!    pointwise mutual information); a run of two or more
//!    capitalised syllables is a candidate name unless it starts where a
//!    title or class noun of the lexicon starts ("Chủ tịch", "Tỉnh"), so
//!    "Tỉnh Hòa Bình" is "Tỉnh" + "Hòa Bình".
//! 3. **Viterbi.** The segmentation maximising the sum of the words' log
//!    unigram probabilities (counted on a gold-segmented treebank) wins.
//! 4. **Boundary model.** An averaged perceptron decides each gap between
//!    two syllables (same word or not) from hashed features: the syllables
//!    around it, their shapes, lexicon matches spanning, ending and
//!    starting there, the pair's count, association and variety of
//!    neighbours in unlabelled text (and the association of the pairs
//!    before and after it), whether the pair and the pairs beside it are
//!    words of a dictionary (English Wiktionary's two-syllable Vietnamese
//!    words; a pair whose second syllable is capitalised is not a common
//!    word), and the lattice's decision of step 3. A dictionary word the
//!    treebank lacks is no lattice word: it only opens the gap to the
//!    model, which learned how far to trust it.
//!
//! Text typed entirely without diacritics ("Chu tich Quoc hoi") is looked
//! up in the same lexicon keyed by folded syllables and segmented by the
//! lattice alone, so its words still come out whole; text with any
//! diacritic uses the accented lexicon and the model.
//!
//! The lexicon (`glossary/data/vi-words.tsv`) and the model's weights
//! (`glossary/data/vi-segment-model.bin`) are derived from the sentences of
//! the Universal Dependencies Vietnamese VTB treebank (CC BY-SA 4.0) plus a
//! hand-written supplement, and the lexicon marks the words of
//! `tools/segment_dictionary.txt` (English Wiktionary, by its contributors,
//! CC BY-SA 4.0) that the treebank does not write as two words;
//! `tools/train_segment_model.sh` regenerates them. The syllable pairs (`glossary/data/vi-syllable-pairs.tsv`) are
//! counted on a sample of Vietnamese Wikipedia (CC BY-SA, by Wikipedia's
//! contributors) and the Vietnamese side of NTREX-128 (CC BY-SA 4.0) by
//! `tools/build_segment_pairs.py`. `docs/segmentation.md` gives the
//! method's figures.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;
use std::sync::LazyLock;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use super::normalize::{folded_key, normalized_key};
use super::tokenize::{tokenize, Token, TokenKind};

/// A word: one or more tokens of `text::tokenize(s)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Indices of the word's tokens in the token slice.
    pub tokens: Range<usize>,
    /// Byte span of the word in the text, from its first token's start to
    /// its last token's end.
    pub bytes: Range<usize>,
}

/// Words of `s`, covering every token of `tokenize(s)` in order
/// (punctuation tokens are one-token words, except a hyphen or period
/// inside a glued unit such as "COVID-19" or "TP.HCM").
///
/// `tokens` must be `tokenize(s)` or a contiguous slice of it; token
/// ranges index `tokens`, and byte spans are the tokens' offsets into `s`
/// (the words are found from the tokens alone).
#[must_use]
pub fn segment(_s: &str, tokens: &[Token<'_>]) -> Vec<Word> {
    segment_either(tokens, &LEXICON, &FOLDED_LEXICON, &MODEL, &|_| true)
}

/// [`segment`] for the parts of a sentence a caller needs: the words of
/// each run of syllables (the text between punctuation, numbers and other
/// fixed units) whose token range `wanted` accepts, and every fixed unit;
/// the other runs are skipped, not segmented. Each run is segmented on its
/// own, with its neighbouring units as context, so the words returned are
/// exactly those [`segment`] gives there.
#[must_use]
pub fn segment_runs(tokens: &[Token<'_>], wanted: &dyn Fn(Range<usize>) -> bool) -> Vec<Word> {
    segment_either(tokens, &LEXICON, &FOLDED_LEXICON, &MODEL, wanted)
}

/// Whether the lexicon marks a one-syllable word as standing before names
/// or nouns of people: a title or class noun ("ông", "bà", "đoàn",
/// "tỉnh"). Case and tone placement do not matter.
#[must_use]
pub fn stands_before_names(syllable: &str) -> bool {
    let mut buffer = String::new();
    LEXICON.lookup(syllable, &mut buffer).is_some_and(|id| LEXICON.titles[id as usize])
}

/// [`segment_runs`] with the given accented and folded lexicons and model.
fn segment_either(
    tokens: &[Token<'_>],
    lexicon: &Lexicon,
    folded: &Lexicon,
    model: &[i16],
    wanted: &dyn Fn(Range<usize>) -> bool,
) -> Vec<Word> {
    // Text typed without any diacritics is looked up in the lexicon with
    // diacritics folded away ("tiep tuc" is "tiếp tục"); the boundary model
    // was trained on accented text, so such text keeps the lattice alone.
    let unaccented = tokens.iter().filter(|t| t.kind == TokenKind::Word).all(|t| t.text.is_ascii());
    if unaccented {
        segment_with(tokens, folded, None, wanted)
    } else {
        segment_with(tokens, lexicon, Some(model), wanted)
    }
}

/// [`segment_runs`] with a given lexicon and, if any, boundary model weights.
fn segment_with(
    tokens: &[Token<'_>],
    lexicon: &Lexicon,
    model: Option<&[i16]>,
    wanted: &dyn Fn(Range<usize>) -> bool,
) -> Vec<Word> {
    thread_local! {
        // Working memory reused across calls (callers such as the miner
        // segment one sentence at a time).
        static SCRATCH: RefCell<(Vec<Unit>, String, Scratch)> = RefCell::default();
    }
    SCRATCH.with(|cell| {
        let (units, buffer, scratch) = &mut *cell.borrow_mut();
        fill_units(tokens, lexicon, units, buffer);
        segment_units(tokens, units, lexicon, model, scratch, wanted)
    })
}

/// The words of `tokens`, whose units are `units`.
fn segment_units(
    tokens: &[Token<'_>],
    units: &[Unit],
    lexicon: &Lexicon,
    model: Option<&[i16]>,
    scratch: &mut Scratch,
    wanted: &dyn Fn(Range<usize>) -> bool,
) -> Vec<Word> {
    let mut words = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < units.len() {
        if units[i].syllable.is_none() {
            push_word(&mut words, tokens, units[i].tokens.clone());
            i += 1;
            continue;
        }
        let end = units[i..].iter().position(|u| u.syllable.is_none()).map_or(units.len(), |p| i + p);
        if !wanted(units[i].tokens.start..units[end - 1].tokens.end) {
            i = end;
            continue;
        }
        viterbi(&units[i..end], lexicon, scratch);
        if let Some(weights) = model {
            decide_gaps(units, i..end, lexicon, weights, scratch);
        }
        for span in &scratch.spans {
            let first = &units[i + span.start];
            let last = &units[i + span.end - 1];
            push_word(&mut words, tokens, first.tokens.start..last.tokens.end);
        }
        i = end;
    }
    words
}

/// Shortcut: [`tokenize`] + [`segment`].
#[must_use]
pub fn words(s: &str) -> Vec<Word> {
    segment(s, &tokenize(s))
}

fn push_word(words: &mut Vec<Word>, tokens: &[Token<'_>], range: Range<usize>) {
    let bytes = tokens[range.start].start..tokens[range.end - 1].end;
    words.push(Word { tokens: range, bytes });
}

// ---------------------------------------------------------------------------
// Lexicon
// ---------------------------------------------------------------------------

/// A fast multiplicative hasher for the lexicon's small keys (the standard
/// SipHash dominated segmentation profiles); keys are not attacker-chosen
/// in a way that matters, since the tables are built from bundled data.
#[derive(Default)]
struct FastHasher(u64);

impl Hasher for FastHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.write_u64(u64::from_le_bytes(chunk.try_into().expect("8 bytes")));
        }
        for &b in chunks.remainder() {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_u128(&mut self, n: u128) {
        self.write_u64(n as u64);
        self.write_u64((n >> 64) as u64);
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

/// Longest lexicon word considered, in syllables.
const MAX_SYLLABLES: usize = 6;
/// Bits per syllable id in a packed word key.
const ID_BITS: u32 = 20;

/// What the lexicon knows about one syllable.
#[derive(Debug, Clone, Copy, Default)]
struct SyllableInfo {
    /// Log probability of the syllable as a word on its own, if seen so.
    alone: Option<f32>,
    /// Occurrences as a word on its own, as the first syllable of a longer
    /// word, and as a later syllable of one.
    counts: [u32; 3],
    /// Log probability that an occurrence starts a longer word.
    starts: f32,
    /// Log probability that an occurrence continues a longer word.
    continues: f32,
}

/// A multi-syllable key of the lexicon: a word, a prefix of longer words,
/// or both.
#[derive(Debug, Clone, Copy, Default)]
struct Entry {
    /// Log probability as a word, if the key is a word.
    score: Option<f32>,
    /// The word is a title, class noun or country name that stands before
    /// names.
    title: bool,
    /// Some longer word starts with this key.
    prefix: bool,
    /// The word is in the hand-written supplement of the lexicon.
    listed: bool,
    /// The two syllables are a word of the external dictionary (English
    /// Wiktionary's Vietnamese entries), whether or not the treebank has it.
    dict: bool,
    /// Occurrences as a word (summed over the rows that share the key).
    count: u32,
}

struct Lexicon {
    /// Syllable key (normalised, or folded) → id (index into `syllables`).
    ids: FxMap<Box<str>, u32>,
    syllables: Vec<SyllableInfo>,
    /// Single syllables that stand before names, by syllable id.
    titles: Vec<bool>,
    /// FNV-1a hash of each syllable's key, by syllable id (aliases share
    /// their syllable's), for the boundary model's features.
    hashes: Vec<u64>,
    /// Packed syllable ids (two or more) → entry.
    words: FxMap<u128, Entry>,
    /// Score of a syllable the lexicon does not know as a word.
    unknown: f32,
    /// Score of a name candidate.
    name: f32,
    /// Base score of a pair of syllables missing from the lexicon, before
    /// the syllables' tendencies to start and continue words are added.
    pair: f32,
    /// Those tendencies for a syllable the lexicon lacks.
    unknown_info: SyllableInfo,
    /// Statistics of adjacent syllable pairs in unlabelled text, keyed by
    /// [`pair_key`] of the two syllable ids.
    raw_pairs: FxMap<u64, RawPair>,
}

/// What unlabelled text says about two adjacent syllables
/// (`glossary/data/vi-syllable-pairs.tsv`).
#[derive(Debug, Clone, Copy, Default)]
struct RawPair {
    /// Count class: the count's base-2 logarithm plus one (0: not in the
    /// table), at most 15.
    count: u8,
    /// Pointwise mutual information in classes of 1.5 nats, 0 to 5.
    pmi: u8,
    /// Distinct syllables seen before and after the pair (accessor
    /// variety), in classes: the base-2 logarithm plus one, at most 10.
    left: u8,
    right: u8,
    /// Lattice bonus of the pair as an unknown two-syllable word.
    bonus: f32,
    /// Associated enough (PMI at least `RAW_GATE_PMI`) and seen with
    /// enough different neighbours on both sides (`RAW_GATE_VARIETY`) that
    /// the boundary model may join the pair even where neither the lattice
    /// nor a lexicon word does.
    gate: bool,
}

/// Base-2 logarithm class of a count: 0 for 0, else 1 + floor(log2 n),
/// saturating at `max`.
fn log2_class(n: u32, max: u8) -> u8 {
    // At most 32.
    #[allow(clippy::cast_possible_truncation)]
    let c = if n == 0 { 0 } else { (n.ilog2() + 1) as u8 };
    c.min(max)
}

fn pair_key(a: u32, b: u32) -> u64 {
    (u64::from(a) << 32) | u64::from(b)
}

/// The bundled lexicon (see the module documentation).
const LEXICON_DATA: &str = include_str!("../../data/vi-words.tsv");

// Scores, in natural-log units relative to a word seen once in the lexicon,
// tuned by hand on the VTB dev split (never on test).

/// A syllable the lexicon never saw as a word on its own.
const UNKNOWN_SYLLABLE: f32 = -0.7;
/// A run of capitalised syllables read as a name.
const NAME: f32 = 0.0;
/// A pair of syllables the lexicon lacks, before adding the tendencies of
/// its first syllable to start and of its second to continue longer words.
const UNKNOWN_PAIR: f32 = -6.0;
/// Those tendencies for a syllable the lexicon lacks altogether.
const UNKNOWN_TENDENCY: f32 = -3.0;
/// Additive smoothing of the tendencies.
const TENDENCY_SMOOTHING: f32 = 0.5;
/// Lattice bonus of an unknown pair per nat of its pointwise mutual
/// information in unlabelled text above `RAW_PMI_FLOOR`.
const RAW_PMI_WEIGHT: f32 = 1.0;
/// PMI (nats) below which unlabelled text gives an unknown pair no bonus.
const RAW_PMI_FLOOR: f32 = 4.0;
/// PMI (nats) from which a pair of the unlabelled table opens its gap to
/// the boundary model.
const RAW_GATE_PMI: f32 = 0.0;
/// Distinct neighbours a pair of the unlabelled table needs on each side
/// to open its gap to the boundary model: a pair always followed by the
/// same few syllables ("lễ ký" + "kết") is a piece of a longer phrase.
const RAW_GATE_VARIETY: u32 = 5;

/// Adjacent syllable pairs counted in unlabelled text (see the module
/// documentation).
const PAIR_DATA: &str = include_str!("../../data/vi-syllable-pairs.tsv");

static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| Lexicon::parse(LEXICON_DATA, PAIR_DATA, normalized_key));

/// The same lexicon keyed by syllables without diacritics (words that fold
/// together pool their counts), for text typed without them.
static FOLDED_LEXICON: LazyLock<Lexicon> = LazyLock::new(|| Lexicon::parse(LEXICON_DATA, PAIR_DATA, folded_key));

fn pack(ids: &[u32]) -> u128 {
    ids.iter().fold(0u128, |acc, &id| (acc << ID_BITS) | u128::from(id + 1))
}

impl Lexicon {
    /// Parses a lexicon and a table of unlabelled syllable pairs (in the
    /// bundled files' formats), keying each syllable by `key`.
    fn parse(data: &str, pairs: &str, key: fn(&str) -> String) -> Self {
        let rows: Vec<(Vec<String>, u32, &str)> = data
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|line| {
                let mut cols = line.split('\t');
                let word = cols.next()?;
                let count = cols.next()?.trim().parse().ok()?;
                let flag = cols.next().unwrap_or("").trim();
                let syllables: Vec<String> = word.split_whitespace().map(key).collect();
                (!syllables.is_empty() && syllables.len() <= MAX_SYLLABLES).then_some((syllables, count, flag))
            })
            .collect();
        let total: f64 = rows.iter().map(|r| f64::from(r.1)).sum::<f64>().max(1.0);
        let log_p = |count: f64| (count / total).ln() as f32;
        let mut lexicon = Lexicon {
            ids: FxMap::default(),
            syllables: Vec::new(),
            titles: Vec::new(),
            hashes: Vec::new(),
            words: FxMap::default(),
            unknown: log_p(1.0) + UNKNOWN_SYLLABLE,
            name: log_p(1.0) + NAME,
            pair: log_p(1.0) + UNKNOWN_PAIR,
            unknown_info: SyllableInfo {
                starts: UNKNOWN_TENDENCY,
                continues: UNKNOWN_TENDENCY,
                ..SyllableInfo::default()
            },
            raw_pairs: FxMap::default(),
        };
        for (syllables, count, flag) in rows {
            let ids: Vec<u32> = syllables.iter().map(|s| lexicon.intern(s)).collect();
            let title = flag.contains('T');
            if let [id] = ids[..] {
                let info = &mut lexicon.syllables[id as usize];
                info.counts[0] += count;
                lexicon.titles[id as usize] |= title;
                continue;
            }
            for (k, &id) in ids.iter().enumerate() {
                lexicon.syllables[id as usize].counts[if k == 0 { 1 } else { 2 }] += count;
            }
            for len in 2..ids.len() {
                lexicon.words.entry(pack(&ids[..len])).or_default().prefix = true;
            }
            let entry = lexicon.words.entry(pack(&ids)).or_default();
            entry.count += count;
            entry.title |= title;
            entry.listed |= flag.contains('S');
            entry.dict |= flag.contains('W');
        }
        for entry in lexicon.words.values_mut() {
            entry.score = (entry.count > 0).then(|| log_p(f64::from(entry.count)));
        }
        let tendency = |part: u32, total: u32| {
            ((part as f32 + TENDENCY_SMOOTHING) / (total as f32 + 3.0 * TENDENCY_SMOOTHING)).ln()
        };
        // Syllables of unlabelled pairs get ids too; one never seen in a
        // word keeps the tendencies of an unknown syllable. The table
        // spells its ~15,000 syllables some 290,000 times: each spelling
        // is keyed (normalised) once.
        let mut keyed: FxMap<&str, u32> = FxMap::default();
        for line in pairs.lines().filter(|l| !l.starts_with('#')) {
            let mut cols = line.split('\t');
            let (Some(pair), Some(count), Some(pmi)) = (cols.next(), cols.next(), cols.next()) else { continue };
            let (Ok(count), Ok(pmi)) = (count.trim().parse::<u32>(), pmi.trim().parse::<f32>()) else { continue };
            // Accessor varieties (absent in older tables: 0).
            let mut variety = || cols.next().and_then(|c| c.trim().parse::<u32>().ok()).unwrap_or(0);
            let (left, right) = (variety(), variety());
            let Some((a, b)) = pair.split_once(' ') else { continue };
            let mut id = |spelling| *keyed.entry(spelling).or_insert_with(|| lexicon.intern(&key(spelling)));
            let (a, b) = (id(a), id(b));
            let raw = RawPair {
                count: log2_class(count, 15),
                // Non-negative and small after the clamp.
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                pmi: (pmi / 1.5).clamp(0.0, 5.0) as u8,
                left: log2_class(left, 10),
                right: log2_class(right, 10),
                bonus: RAW_PMI_WEIGHT * (pmi - RAW_PMI_FLOOR).max(0.0),
                gate: pmi >= RAW_GATE_PMI && left.min(right) >= RAW_GATE_VARIETY,
            };
            // Pairs that fold together keep the most frequent one's figures.
            lexicon.raw_pairs.entry(pair_key(a, b)).or_insert(raw);
        }
        for info in &mut lexicon.syllables {
            info.alone = (info.counts[0] > 0).then(|| log_p(f64::from(info.counts[0])));
            let total = info.counts.iter().sum();
            if total == 0 {
                info.starts = UNKNOWN_TENDENCY;
                info.continues = UNKNOWN_TENDENCY;
                continue;
            }
            info.starts = tendency(info.counts[1], total);
            info.continues = tendency(info.counts[2], total);
        }
        lexicon.add_tone_aliases();
        lexicon
    }

    fn intern(&mut self, syllable: &str) -> u32 {
        if let Some(&id) = self.ids.get(syllable) {
            return id;
        }
        let id = u32::try_from(self.syllables.len()).expect("fewer than 2^20 syllables");
        assert!(id < (1 << ID_BITS) - 1, "too many syllables for the packed keys");
        self.ids.insert(syllable.into(), id);
        self.syllables.push(SyllableInfo::default());
        self.titles.push(false);
        self.hashes.push(fnv1a(syllable.as_bytes()));
        id
    }

    /// The id of a token's syllable, looked up by its lowercase form: the
    /// lexicon holds every syllable in both tone placements ("hòa" and
    /// "hoà", see [`Lexicon::add_tone_aliases`]), so only text that is not
    /// NFC needs the full normalised key. When the syllable is missing,
    /// `buffer` holds its lowercase form.
    fn lookup(&self, text: &str, buffer: &mut String) -> Option<u32> {
        buffer.clear();
        // A lowercase ASCII syllable is its own key: no copy unless missing.
        if text.bytes().all(|b| b.is_ascii_lowercase()) {
            let id = self.ids.get(text).copied();
            if id.is_none() {
                buffer.push_str(text);
            }
            return id;
        }
        for c in text.chars() {
            match lower_vietnamese(c) {
                Some(l) => buffer.push(l),
                None => buffer.extend(c.to_lowercase()),
            }
        }
        if let Some(&id) = self.ids.get(buffer.as_str()) {
            return Some(id);
        }
        if text.is_ascii() || is_nfc_quick(buffer.chars()) == IsNormalized::Yes {
            return None;
        }
        self.ids.get(normalized_key(text).as_str()).copied()
    }

    /// Whether the lexicon knows `text` as a Vietnamese syllable: seen in a
    /// word of the gold sentences or of the supplement, not only in the
    /// unlabelled pairs (where English words are frequent too).
    fn is_vietnamese(&self, text: &str, buffer: &mut String) -> bool {
        self.lookup(text, buffer).is_some_and(|id| self.syllables[id as usize].counts.iter().any(|&c| c > 0))
    }

    /// Adds, for every syllable whose tone mark could sit on either of two
    /// vowels, the other placement as an alias of the same id: the old
    /// style ("hoà", "thuý") that [`normalized_key`] would turn into the
    /// canonical one. Checked against `normalized_key` itself, so an alias
    /// is only ever a spelling of the same syllable.
    fn add_tone_aliases(&mut self) {
        let canonical: Vec<(Box<str>, u32)> = self.ids.iter().map(|(k, &v)| (k.clone(), v)).collect();
        for (syllable, id) in canonical {
            for alias in moved_tone(&syllable) {
                if normalized_key(&alias) == *syllable {
                    self.ids.entry(alias.into()).or_insert(id);
                }
            }
        }
    }
}

/// The spellings of `syllable` with its tone mark moved to a neighbouring
/// vowel (none when it has no tone mark).
fn moved_tone(syllable: &str) -> Vec<String> {
    const TONES: [char; 5] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];
    let chars: Vec<char> = syllable.nfd().collect();
    let Some(at) = chars.iter().position(|c| TONES.contains(c)) else { return Vec::new() };
    let tone = chars[at];
    let mut bare = chars.clone();
    bare.remove(at);
    // Base vowels (with their own marks after them) in the toneless syllable.
    let vowel_ends: Vec<usize> = (0..bare.len())
        .filter(|&i| "aeiouy".contains(bare[i]))
        .map(|i| {
            let mut end = i + 1;
            while end < bare.len() && is_combining_mark(bare[end]) {
                end += 1;
            }
            end
        })
        .collect();
    vowel_ends
        .into_iter()
        .filter_map(|end| {
            let mut v = bare.clone();
            v.insert(end, tone);
            let s: String = v.into_iter().nfc().collect();
            (s != syllable).then_some(s)
        })
        .collect()
}

/// The lowercase of `c` without the standard library's table search, for
/// ASCII and the precomposed letters of Vietnamese; `None` for others.
#[inline]
fn lower_vietnamese(c: char) -> Option<char> {
    let code = c as u32;
    let lower = match code {
        0x41..=0x5A => code + 0x20,
        0..=0x7F => code,
        // Latin-1 capitals (not the multiplication sign).
        0xC0..=0xDE if code != 0xD7 => code + 0x20,
        0xDF..=0xFF => code,
        // Đ, Ĩ, Ũ, Ơ and their lowercase.
        0x110 | 0x128 | 0x168 | 0x1A0 => code + 1,
        0x111 | 0x129 | 0x169 | 0x1A1 | 0x1B0 => code,
        // Ư.
        0x1AF => 0x1B0,
        // Latin Extended Additional, Vietnamese block: capitals are even.
        0x1EA0..=0x1EF9 => code | 1,
        _ => return None,
    };
    char::from_u32(lower)
}

// ---------------------------------------------------------------------------
// Units: syllables and fixed words
// ---------------------------------------------------------------------------

/// A syllable that may join its neighbours, or a fixed word.
#[derive(Debug, Clone)]
struct Unit {
    tokens: Range<usize>,
    /// `Some` for a syllable: its lexicon id, if known.
    syllable: Option<Option<u32>>,
    /// Starts with an uppercase letter.
    capitalised: bool,
    /// First unit of the text or after sentence punctuation, where a
    /// capital letter says nothing about names.
    sentence_start: bool,
    /// Hash of the unit's lowercase, tone-canonical form (a syllable) or of
    /// its class (numbers, glued units) or text (punctuation), for the
    /// boundary model's features.
    hash: u64,
    /// The unit's shape, one of the `SHAPE_` constants.
    shape: u8,
}

fn is_hyphen(t: &Token<'_>) -> bool {
    matches!(t.text, "-" | "\u{2010}" | "\u{2011}")
}

fn is_acronym(text: &str) -> bool {
    // The lowercase test first: it stops at the second letter of most words.
    !text.chars().any(char::is_lowercase) && text.chars().filter(|c| c.is_alphabetic()).count() >= 2
}

/// End (exclusive) of the chain of tokens glued to `tokens[i]` by `glue`
/// tokens without any space, or `i + 1`.
fn glued_chain(tokens: &[Token<'_>], i: usize, glue: fn(&Token<'_>) -> bool) -> usize {
    let mut end = i + 1;
    while end + 1 < tokens.len()
        && glue(&tokens[end])
        && tight(tokens, end)
        && tight(tokens, end + 1)
        && tokens[end + 1].kind != TokenKind::Punct
    {
        end += 2;
    }
    end
}

/// Whether `tokens[k]` starts where `tokens[k - 1]` ends, with no space
/// between them.
fn tight(tokens: &[Token<'_>], k: usize) -> bool {
    k > 0 && k < tokens.len() && tokens[k - 1].end == tokens[k].start
}

/// Marks that are written several in a row as one ("?!", "!!!", "^^").
fn is_repeatable_mark(text: &str) -> bool {
    matches!(text, "!" | "?" | "." | "\u{2026}" | "^" | "-" | "*" | "~")
}

/// Last labels of web addresses written without a scheme ("bktt.vn").
const DOMAINS: [&str; 16] =
    ["vn", "com", "org", "net", "edu", "gov", "info", "int", "io", "uk", "fr", "de", "jp", "cn", "kr", "ru"];

/// Abbreviations written with a period before a name or a number ("TP. Hồ
/// Chí Minh", "Q. 3", "GS. Nguyễn Văn A"); single letters are initials.
const ABBREVIATIONS: [&str; 14] =
    ["tp", "tx", "tt", "gs", "pgs", "ts", "ths", "bs", "ks", "th", "mr", "mrs", "dr", "st"];

/// A letter that stands for a name or a word when a period follows it ("H.
/// Nguyễn", "q. 1"): a Latin letter without diacritics, or "Đ". Vietnamese
/// words of one letter ("Ừ.", "Ở.") carry diacritics.
fn is_initial(text: &str) -> bool {
    let mut chars = text.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if c.is_ascii_alphabetic() || c == 'Đ' || c == 'đ')
}

/// A unit of tokens written together that the tokenizer cut apart but that
/// is one word whatever the lexicon says, other than the chains of
/// [`glued_chain`]: a web or e-mail address ("bktt.vn", "an@gmail.com"),
/// digits glued to letters ("9h30", "25k", "1A", "123/QĐ-TTg", "q.1"), an
/// abbreviation with its period before a word ("TP. HCM", "H. Nguyễn"), or
/// single letters with periods ("v.v.", "U.S.A"). Punctuation at the end of the
/// chunk ("9h30," "bktt.vn.") stays out. Returns the end, hash and shape.
fn glued_unit(tokens: &[Token<'_>], i: usize) -> Option<(usize, u64, u8)> {
    if !tight(tokens, i + 1) {
        return None;
    }
    let single_letter = |t: &Token<'_>| t.kind == TokenKind::Word && t.text.chars().count() == 1;
    // "v.v.", "U.S.": letters each followed by a period.
    let mut k = i;
    while k + 1 < tokens.len() && single_letter(&tokens[k]) && tokens[k + 1].text == "." && tight(tokens, k + 1) {
        k += 2;
        if !(tight(tokens, k) && single_letter(&tokens[k])) {
            break;
        }
    }
    if k >= i + 4 {
        // A last letter without its period ("U.S.A", "x.y.z") belongs too.
        if tight(tokens, k)
            && single_letter(&tokens[k])
            && (!tight(tokens, k + 1) || tokens[k + 1].kind == TokenKind::Punct)
        {
            k += 1;
        }
        return Some((k, GLUED_HASH, SHAPE_GLUED));
    }
    // The chunk, without the punctuation that ends it.
    let mut end = i + 1;
    while tight(tokens, end) {
        end += 1;
    }
    let mut core = end;
    while core > i + 1 && tokens[core - 1].kind == TokenKind::Punct {
        core -= 1;
    }
    let chunk = &tokens[i..core];
    let marks = || chunk.iter().filter(|t| t.kind == TokenKind::Punct).map(|t| t.text);
    if chunk.len() >= 3 {
        let first = chunk[0].text;
        let web = (first.eq_ignore_ascii_case("http") || first.eq_ignore_ascii_case("https")) && chunk[1].text == ":"
            || first.eq_ignore_ascii_case("www") && chunk[1].text == "."
            || marks().any(|m| m == "@")
            || chunk[chunk.len() - 2].text == "."
                && DOMAINS.contains(&chunk[chunk.len() - 1].text)
                && chunk[chunk.len() - 1].kind == TokenKind::Word;
        if web
            && marks().all(|m| matches!(m, "." | "-" | "_" | "/" | ":" | "@" | "?" | "=" | "&" | "%" | "#" | "~" | "+"))
        {
            return Some((core, GLUED_HASH, SHAPE_GLUED));
        }
    }
    if chunk.len() >= 2
        && chunk.iter().any(|t| t.kind == TokenKind::Number || t.text.bytes().any(|b| b.is_ascii_digit()))
        && chunk.iter().any(|t| t.kind == TokenKind::Word && t.text.chars().any(char::is_alphabetic))
        && marks().all(|m| matches!(m, "." | "," | "-" | "/" | ":" | "\u{2010}" | "\u{2011}"))
    {
        return Some((core, NUMBER_HASH, SHAPE_NUMBER));
    }
    let t = &tokens[i];
    if t.kind == TokenKind::Word
        && tokens[i + 1].text == "."
        && i + 2 < tokens.len()
        && !tight(tokens, i + 2)
        && tokens[i + 2].kind != TokenKind::Punct
        && (is_initial(t.text) || ABBREVIATIONS.iter().any(|a| t.text.eq_ignore_ascii_case(a)))
    {
        return Some((i + 2, GLUED_HASH, SHAPE_GLUED));
    }
    None
}

/// Whether a punctuation token can end a sentence or open a quotation, so
/// that the next word is capitalised whatever it is.
fn starts_sentence_after(t: &Token<'_>) -> bool {
    !matches!(t.text, "," | ";" | "(" | "-" | "\u{2013}" | "\u{2014}" | "/" | "&")
}

fn units(tokens: &[Token<'_>], lexicon: &Lexicon) -> Vec<Unit> {
    let mut units = Vec::with_capacity(tokens.len());
    fill_units(tokens, lexicon, &mut units, &mut String::new());
    units
}

/// [`units`] into `units` (cleared first), with `buffer` as working memory.
fn fill_units(tokens: &[Token<'_>], lexicon: &Lexicon, units: &mut Vec<Unit>, buffer: &mut String) {
    units.clear();
    let mut i = 0;
    let fixed = |tokens: Range<usize>, hash: u64, shape: u8| Unit {
        tokens,
        syllable: None,
        capitalised: false,
        sentence_start: false,
        hash,
        shape,
    };
    while i < tokens.len() {
        let t = &tokens[i];
        if t.kind == TokenKind::Punct {
            // "?!", "...", "^^": a run of such marks written together is one.
            let mut end = i + 1;
            if is_repeatable_mark(t.text) {
                while tight(tokens, end) && is_repeatable_mark(tokens[end].text) {
                    end += 1;
                }
            }
            let hash = if end == i + 1 { fnv1a(t.text.as_bytes()) } else { GLUED_HASH };
            units.push(fixed(i..end, hash, SHAPE_PUNCT));
            i = end;
            continue;
        }
        let hyphen_end = glued_chain(tokens, i, is_hyphen);
        if hyphen_end > i + 1 {
            let parts = || tokens[i..hyphen_end].iter().step_by(2);
            let mut foreign = || {
                // "e-mail", "Wai-kru": a part that is no Vietnamese
                // syllable, in a chain that is not a row of names
                // ("Việt Nam-Lào", "Nga-Ukraine" stay apart).
                !parts().all(|p| p.text.chars().next().is_some_and(char::is_uppercase))
                    && parts().any(|p| !lexicon.is_vietnamese(p.text, buffer))
            };
            if parts().any(|p| p.text.chars().any(|c| c.is_ascii_digit()))
                || parts().all(|p| is_acronym(p.text))
                || foreign()
            {
                units.push(fixed(i..hyphen_end, GLUED_HASH, SHAPE_GLUED));
                i = hyphen_end;
                continue;
            }
        }
        let dot_end = glued_chain(tokens, i, |t| t.text == ".");
        if dot_end > i + 1
            && tokens[i..dot_end].iter().step_by(2).all(|p| p.kind == TokenKind::Word && is_acronym(p.text))
        {
            units.push(fixed(i..dot_end, GLUED_HASH, SHAPE_GLUED));
            i = dot_end;
            continue;
        }
        if let Some((end, hash, shape)) = glued_unit(tokens, i) {
            units.push(fixed(i..end, hash, shape));
            i = end;
            continue;
        }
        if t.kind == TokenKind::Number || t.text.chars().any(|c| c.is_ascii_digit()) {
            units.push(fixed(i..i + 1, NUMBER_HASH, SHAPE_NUMBER));
        } else {
            // An acronym ("LHQ", "WTO") is a word of its own, not part of a name.
            let upper = t.text.chars().next().is_some_and(char::is_uppercase);
            let acronym = upper && is_acronym(t.text);
            let capitalised = upper && !acronym;
            let sentence_start =
                i == 0 || (tokens[i - 1].kind == TokenKind::Punct && starts_sentence_after(&tokens[i - 1]));
            let id = lexicon.lookup(t.text, buffer);
            let hash = id.map_or_else(|| fnv1a(buffer.as_bytes()), |k| lexicon.hashes[k as usize]);
            let shape = match (acronym, capitalised, sentence_start) {
                (true, _, _) => SHAPE_ACRONYM,
                (_, true, true) => SHAPE_CAPITAL_START,
                (_, true, false) => SHAPE_CAPITAL,
                _ => SHAPE_LOWER,
            };
            units.push(Unit { tokens: i..i + 1, syllable: Some(id), capitalised, sentence_start, hash, shape });
        }
        i += 1;
    }
}

// ---------------------------------------------------------------------------
// Viterbi over the lattice of candidate words
// ---------------------------------------------------------------------------

#[derive(Default)]
struct Scratch {
    best: Vec<f32>,
    back: Vec<usize>,
    /// The winning words, as unit ranges relative to the run.
    spans: Vec<Range<usize>>,
    /// The boundary model's evidence for the run.
    evidence: GapEvidence,
}

/// Segments a run of syllable units into `scratch.spans`.
fn viterbi(run: &[Unit], lexicon: &Lexicon, scratch: &mut Scratch) {
    let n = run.len();
    let Scratch { best, back, spans, evidence } = scratch;
    let id = |k: usize| run[k].syllable.flatten();
    // Each gap's pair in the unlabelled table, looked up once here for the
    // lattice and kept for the boundary model ([`gather_evidence`]).
    evidence.raw.clear();
    evidence.raw.extend((0..n.saturating_sub(1)).map(|g| {
        id(g).zip(id(g + 1)).and_then(|(x, y)| lexicon.raw_pairs.get(&pair_key(x, y))).copied().unwrap_or_default()
    }));
    best.clear();
    best.resize(n + 1, f32::NEG_INFINITY);
    back.clear();
    back.resize(n + 1, 0);
    best[0] = 0.0;
    // The words tried, kept for the boundary model's margins ([`lattice_margins`]).
    let GapEvidence { edges, single, found, .. } = evidence;
    edges.clear();
    found.clear();
    single.clear();
    single.resize(n, f32::NEG_INFINITY);
    let mut relax = |best: &mut Vec<f32>, from: usize, to: usize, score: f32| {
        if to == from + 1 {
            single[from] = single[from].max(score);
        } else {
            edges.push((from, to, score));
        }
        let total = best[from] + score;
        if total > best[to] {
            best[to] = total;
            back[to] = from;
        }
    };
    for i in 0..n {
        let here = best[i];
        if here == f32::NEG_INFINITY {
            continue;
        }
        let info = id(i).map_or(lexicon.unknown_info, |k| lexicon.syllables[k as usize]);
        relax(best, i, i + 1, info.alone.unwrap_or(lexicon.unknown));
        // Lexicon words starting here.
        let mut title_here = id(i).is_some_and(|k| lexicon.titles[k as usize]);
        let mut ids = [0u32; MAX_SYLLABLES];
        // Whether this syllable and the next are a lexicon word.
        let mut known_pair = false;
        if let Some(k) = id(i) {
            ids[0] = k;
            let mut len = 1;
            while i + len < n && len < MAX_SYLLABLES {
                let Some(next) = id(i + len) else { break };
                ids[len] = next;
                len += 1;
                let Some(entry) = lexicon.words.get(&pack(&ids[..len])) else { break };
                if entry.score.is_some() || len == 2 && entry.dict {
                    // At most MAX_SYLLABLES.
                    #[allow(clippy::cast_possible_truncation)]
                    found.push((i, len as u8, *entry));
                }
                if let Some(score) = entry.score {
                    relax(best, i, i + len, score);
                    title_here |= entry.title;
                    known_pair |= len == 2;
                }
                if !entry.prefix {
                    break;
                }
            }
        }
        // Two syllables the lexicon lacks as a word, scored by how often
        // the first starts and the second continues longer words.
        if i + 1 < n && !run[i + 1].capitalised {
            let next = id(i + 1).map_or(lexicon.unknown_info, |k| lexicon.syllables[k as usize]);
            if !known_pair {
                relax(best, i, i + 2, lexicon.pair + info.starts + next.continues + evidence.raw[i].bonus);
            }
        }
        // Names: runs of capitalised syllables not starting with a title,
        // nor with a common word capitalised only because a sentence starts.
        let common_start = run[i].sentence_start && info.alone.is_some();
        if run[i].capitalised && !title_here && !common_start {
            let mut j = i + 1;
            while j < n && run[j].capitalised {
                j += 1;
                relax(best, i, j, lexicon.name);
            }
        }
    }
    spans.clear();
    let mut j = n;
    while j > 0 {
        let i = back[j];
        spans.push(i..j);
        j = i;
    }
    spans.reverse();
}

// ---------------------------------------------------------------------------
// Boundary model: a linear classifier on each gap between two syllables
// ---------------------------------------------------------------------------

/// Shapes of units, for the boundary model's features.
const SHAPE_OUTSIDE: u8 = 0;
const SHAPE_LOWER: u8 = 1;
const SHAPE_CAPITAL: u8 = 2;
const SHAPE_CAPITAL_START: u8 = 3;
const SHAPE_ACRONYM: u8 = 4;
const SHAPE_NUMBER: u8 = 5;
const SHAPE_PUNCT: u8 = 6;
const SHAPE_GLUED: u8 = 7;

/// Stand-in hashes of units that are not syllables or punctuation, and of
/// positions before the first and after the last unit.
const NUMBER_HASH: u64 = 0x6e75_6d62_6572;
const GLUED_HASH: u64 = 0x0067_6c75_6564;
const OUTSIDE_HASH: u64 = 0x006f_7574_7369_6465;

/// The model's weights are indexed by `FEATURE_BITS`-bit feature hashes.
const FEATURE_BITS: u32 = 18;
/// Number of weights.
const FEATURES: usize = 1 << FEATURE_BITS;
/// Features per gap (see [`gap_features`]).
const GAP_FEATURES: usize = 41;

/// The bundled weights (`tools/train_segment_model.sh` writes them):
/// `VISEG1`, the feature bits (u32), a scale (f32), then one i16 per
/// feature, little-endian; a weight is its i16 times the scale.
const MODEL_DATA: &[u8] = include_bytes!("../../data/vi-segment-model.bin");

static MODEL: LazyLock<Vec<i16>> = LazyLock::new(|| decode_weights(MODEL_DATA).expect("bundled segment model"));

/// The quantised weights of a model file (their common scale only matters
/// for training: a gap's decision is the sign of its sum).
fn decode_weights(data: &[u8]) -> Option<Vec<i16>> {
    let rest = data.strip_prefix(b"VISEG1")?;
    let bits = u32::from_le_bytes(rest.get(..4)?.try_into().ok()?);
    let scale = f32::from_le_bytes(rest.get(4..8)?.try_into().ok()?);
    let body = rest.get(8..)?;
    if scale.is_nan() || scale <= 0.0 {
        return None;
    }
    if bits != FEATURE_BITS || body.len() != FEATURES * 2 {
        return None;
    }
    Some(body.chunks_exact(2).map(|c| i16::from_le_bytes([c[0], c[1]])).collect())
}

fn encode_weights(weights: &[f32]) -> Vec<u8> {
    let max = weights.iter().fold(0f32, |m, w| m.max(w.abs())).max(f32::MIN_POSITIVE);
    let scale = max / f32::from(i16::MAX);
    let mut out = b"VISEG1".to_vec();
    out.extend_from_slice(&FEATURE_BITS.to_le_bytes());
    out.extend_from_slice(&scale.to_le_bytes());
    for w in weights {
        // The rounded quotient lies within ±i16::MAX by construction.
        #[allow(clippy::cast_possible_truncation)]
        let q = (w / scale).round().clamp(-f32::from(i16::MAX), f32::from(i16::MAX)) as i16;
        out.extend_from_slice(&q.to_le_bytes());
    }
    out
}

/// FNV-1a, 64 bits.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

/// Index of the feature made of a template number and its values.
fn feature(template: u64, values: &[u64]) -> u32 {
    let mut h = (template + 1).wrapping_mul(0xff51_afd7_ed55_8ccd);
    for &v in values {
        h = (h ^ v).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        h ^= h >> 31;
    }
    // The top FEATURE_BITS bits fit in u32.
    #[allow(clippy::cast_possible_truncation)]
    let index = (h >> (64 - FEATURE_BITS)) as u32;
    index
}

/// Lexicon matches and the lattice's decision around each gap of a run.
#[derive(Default)]
struct GapEvidence {
    /// Per gap: syllables of the longest lexicon word spanning it, and of
    /// the longest such word of the hand-written supplement.
    cover: Vec<u8>,
    listed: Vec<u8>,
    /// Per unit: syllables of the longest lexicon word (of two or more)
    /// ending / starting there.
    ends: Vec<u8>,
    starts: Vec<u8>,
    /// Per gap: count class of the two syllables as a lexicon word (0: not one).
    pair: Vec<u8>,
    /// Per gap: 1 when the two syllables are a word of the external
    /// dictionary.
    dict: Vec<u8>,
    /// Per gap: syllables of the lattice's word spanning it (0: the lattice
    /// puts a boundary there).
    lattice: Vec<u8>,
    /// Per gap: the pair's statistics in unlabelled text (default: not in
    /// the table, or not two known syllables), looked up once per gap by
    /// [`viterbi`] for its unknown-pair bonus, and read again for the gate
    /// and for the gap's and its neighbours' features.
    raw: Vec<RawPair>,
    /// The lattice's words of two or more units (first unit, end, score)
    /// in the order [`viterbi`] tried them, the score of each unit as a
    /// word on its own, the best score from each unit to the run's end,
    /// and per gap the lattice's margin for joining it (the best
    /// segmentation with a word across the gap minus the best with a
    /// boundary there).
    edges: Vec<(usize, usize, f32)>,
    single: Vec<f32>,
    /// The lexicon's keys that [`viterbi`] found from each unit (first
    /// unit, syllables, entry): its words, and the dictionary's pairs.
    found: Vec<(usize, u8, Entry)>,
    to_end: Vec<f32>,
    margin: Vec<f32>,
}

/// Fills `evidence.margin`: per gap of a run of `n` units, the lattice's
/// margin for joining it, the best path with a word across the gap minus
/// the best path with a boundary there, from the best scores up to each
/// unit (`best`, [`viterbi`]'s) and from each unit to the run's end
/// (`to_end`, over the words [`viterbi`] recorded).
fn lattice_margins(n: usize, best: &[f32], evidence: &mut GapEvidence) {
    let GapEvidence { edges, single, to_end, margin, .. } = evidence;
    to_end.clear();
    to_end.resize(n + 1, f32::NEG_INFINITY);
    to_end[n] = 0.0;
    // Longer words were recorded by increasing start.
    let mut longer = edges.iter().rev().peekable();
    for i in (0..n).rev() {
        let mut t = single[i] + to_end[i + 1];
        while let Some(&(_, to, score)) = longer.next_if(|e| e.0 == i) {
            t = t.max(score + to_end[to]);
        }
        to_end[i] = t;
    }
    margin.clear();
    margin.resize(n.saturating_sub(1), f32::NEG_INFINITY);
    for &(from, to, score) in edges.iter() {
        let through = best[from] + score + to_end[to];
        for m in &mut margin[from..to - 1] {
            *m = m.max(through);
        }
    }
    for (g, m) in margin.iter_mut().enumerate() {
        *m -= best[g + 1] + to_end[g + 1];
    }
}

/// Fills `evidence` for the run `units[run]`, whose lattice segmentation
/// is `spans` (relative to the run) with forward scores `best`; its `raw`,
/// recorded words and lexicon keys found are [`viterbi`]'s, filled for the
/// same run (so the lexicon is not walked twice). Only the boundary model
/// reads it (text without diacritics keeps the lattice).
fn gather_evidence(units: &[Unit], best: &[f32], spans: &[Range<usize>], evidence: &mut GapEvidence) {
    let n = units.len();
    lattice_margins(n, best, evidence);
    let gaps = n.saturating_sub(1);
    for (v, len) in [
        (&mut evidence.cover, gaps),
        (&mut evidence.listed, gaps),
        (&mut evidence.pair, gaps),
        (&mut evidence.dict, gaps),
        (&mut evidence.lattice, gaps),
    ] {
        v.clear();
        v.resize(len, 0);
    }
    for v in [&mut evidence.ends, &mut evidence.starts] {
        v.clear();
        v.resize(n, 0);
    }
    for &(i, l, entry) in &evidence.found {
        let len = usize::from(l);
        // A dictionary word is a common word: not one whose second
        // syllable is capitalised ("Anh Minh" is a title and a name,
        // not "anh minh", wise).
        if len == 2 && entry.dict && !units[i + 1].capitalised {
            evidence.dict[i] = 1;
        }
        if entry.score.is_some() {
            evidence.starts[i] = evidence.starts[i].max(l);
            evidence.ends[i + len - 1] = evidence.ends[i + len - 1].max(l);
            for g in i..i + len - 1 {
                evidence.cover[g] = evidence.cover[g].max(l);
                if entry.listed {
                    evidence.listed[g] = evidence.listed[g].max(l);
                }
            }
            if len == 2 {
                evidence.pair[i] = match entry.count {
                    0..=1 => 1,
                    2..=4 => 2,
                    5..=19 => 3,
                    _ => 4,
                };
            }
        }
    }
    for span in spans {
        // Lattice words are at most a run long; the class saturates.
        #[allow(clippy::cast_possible_truncation)]
        let l = span.len().min(8) as u8;
        for g in span.start..span.end - 1 {
            evidence.lattice[g] = l;
        }
    }
}

/// Features of the gap between `units[a]` and `units[a + 1]` (both
/// syllables of the run `units[run]`), written to `out`.
fn gap_features(
    units: &[Unit],
    run: &Range<usize>,
    a: usize,
    lexicon: &Lexicon,
    evidence: &GapEvidence,
    out: &mut [u32; GAP_FEATURES],
) {
    let at = |k: isize| -> Option<&Unit> { usize::try_from(k).ok().and_then(|k| units.get(k)) };
    let a_i = a as isize;
    let u = |d: isize| at(a_i + d).map_or(OUTSIDE_HASH, |x| x.hash);
    let sh = |d: isize| u64::from(at(a_i + d).map_or(SHAPE_OUTSIDE, |x| x.shape));
    let info = |k: usize| units[k].syllable.flatten().map_or(lexicon.unknown_info, |id| lexicon.syllables[id as usize]);
    let (left, right) = (info(a), info(a + 1));
    // Log tendencies to start / continue words, in classes of half a nat.
    let class = |x: f32| -> u64 {
        // Non-negative and small after the clamp.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let c = (-x * 2.0).clamp(0.0, 15.0) as u64;
        c
    };
    let g = a - run.start;
    let (r0, r1) = (a - run.start, a + 1 - run.start);
    let cover = u64::from(evidence.cover[g]);
    let end_here = u64::from(evidence.ends[r0]);
    let start_next = u64::from(evidence.starts[r1]);
    let pair = u64::from(evidence.pair[g]);
    let lattice = u64::from(evidence.lattice[g]);
    let listed = u64::from(evidence.listed[g]);
    let alone = u64::from(left.alone.is_some()) * 2 + u64::from(right.alone.is_some());
    let shapes = sh(0) * 8 + sh(1);
    // Unlabelled-text statistics of this pair and of the pairs before and
    // after it; the units next to a run are not syllables, so pairs
    // reaching outside it have none.
    let raw_at = |g: Option<usize>| g.and_then(|g| evidence.raw.get(g)).copied().unwrap_or_default();
    let (raw, before, after) = (raw_at(Some(g)), raw_at(g.checked_sub(1)), raw_at(Some(g + 1)));
    let (raw_count, raw_pmi) = (u64::from(raw.count), u64::from(raw.pmi));
    let (raw_left, raw_right) = (u64::from(raw.left), u64::from(raw.right));
    // The lattice's margin for joining, in classes of half a nat.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let margin = (evidence.margin[g] * 2.0 + 12.5).clamp(0.0, 24.5) as u64;
    let dict_at = |g: Option<usize>| g.and_then(|g| evidence.dict.get(g)).map_or(0, |&d| u64::from(d));
    let (dict, dict_before, dict_after) = (dict_at(Some(g)), dict_at(g.checked_sub(1)), dict_at(Some(g + 1)));
    let values: [(u64, &[u64]); GAP_FEATURES] = [
        (0, &[]),
        (1, &[u(-1)]),
        (2, &[u(0)]),
        (3, &[u(1)]),
        (4, &[u(2)]),
        (5, &[u(-1), u(0)]),
        (6, &[u(0), u(1)]),
        (7, &[u(1), u(2)]),
        (8, &[u(-1), u(0), u(1)]),
        (9, &[u(0), u(1), u(2)]),
        (10, &[shapes]),
        (11, &[sh(-1), shapes, sh(2)]),
        (12, &[cover, end_here, start_next]),
        (13, &[pair, cover]),
        (14, &[alone, pair]),
        (15, &[lattice]),
        (16, &[lattice, shapes]),
        (17, &[lattice, cover, pair]),
        (18, &[u(0), sh(1)]),
        (19, &[sh(0), u(1)]),
        (20, &[u(0), cover]),
        (21, &[u(1), cover]),
        (22, &[class(left.starts), class(right.continues)]),
        (23, &[class(left.continues), class(right.starts), alone]),
        (24, &[u(0), lattice]),
        (25, &[u(1), lattice]),
        (26, &[listed, cover]),
        (27, &[listed, shapes]),
        (28, &[raw_count, raw_pmi, lattice]),
        (29, &[raw_pmi, cover, pair]),
        (30, &[raw_count, raw_pmi, shapes]),
        (31, &[raw_count, raw_left, raw_right]),
        (32, &[raw_pmi, raw_left.min(raw_right)]),
        (33, &[u64::from(before.pmi), raw_pmi, u64::from(after.pmi)]),
        (34, &[u64::from(before.right), raw_pmi, raw_left]),
        (35, &[u64::from(after.left), raw_pmi, raw_right]),
        (36, &[margin]),
        (37, &[margin, shapes]),
        (38, &[margin, raw_pmi, pair]),
        (39, &[dict, dict_before, dict_after]),
        (40, &[dict, lattice, cover]),
    ];
    for (slot, (template, v)) in out.iter_mut().zip(values) {
        *slot = feature(template, v);
    }
}

/// Replaces `scratch.spans` (the lattice's words of the run `units[run]`)
/// by the boundary model's: two syllables join when the weights of their
/// gap's features sum above zero.
fn decide_gaps(units: &[Unit], run: Range<usize>, lexicon: &Lexicon, weights: &[i16], scratch: &mut Scratch) {
    let Scratch { best, spans, evidence, .. } = scratch;
    gather_evidence(&units[run.clone()], best, spans, evidence);
    let mut features = [0u32; GAP_FEATURES];
    spans.clear();
    let mut start = 0;
    for a in run.start..run.end - 1 {
        let g = a - run.start;
        // The model joins only what the lattice or a lexicon word joins;
        // a word of the hand-written supplement that the lattice chose
        // stays whole (the list is there for words the treebank has too
        // rarely), and so does a run of capitalised syllables the lattice
        // chose as one word (a name: the model, trained on few names,
        // split more right ones than wrong ones). Only the other gaps
        // need the model.
        let join =
            if evidence.lattice[g] == 0 && evidence.cover[g] == 0 && !evidence.raw[g].gate && evidence.dict[g] == 0 {
                false
            } else if evidence.lattice[g] > 0
                && (evidence.listed[g] > 0 || units[a].capitalised && units[a + 1].capitalised)
            {
                true
            } else {
                gap_features(units, &run, a, lexicon, evidence, &mut features);
                features.iter().map(|&f| i32::from(weights[f as usize])).sum::<i32>() > 0
            };
        if !join {
            spans.push(start..a + 1 - run.start);
            start = a + 1 - run.start;
        }
    }
    spans.push(start..run.len());
}

/// Training support for `tools/train_segment_model.sh` (the
/// `segment_train` example); not part of the stable interface.
#[doc(hidden)]
pub mod training {
    use super::{
        gap_features, gather_evidence, segment_either, segment_with, units, viterbi, Lexicon, Scratch, Token, Word,
        GAP_FEATURES,
    };
    use crate::text::normalize::{folded_key, normalized_key};

    /// Number of weights a model has.
    pub const FEATURES: usize = super::FEATURES;

    /// A lexicon parsed from the text of a `vi-words.tsv` file.
    pub struct TrainingLexicon(Lexicon);

    impl TrainingLexicon {
        /// Parses a lexicon in the format of `glossary/data/vi-words.tsv`.
        #[must_use]
        pub fn parse(tsv: &str) -> Self {
            Self(Lexicon::parse(tsv, super::PAIR_DATA, normalized_key))
        }

        /// [`Self::parse`] with a table of syllable pairs in the format of
        /// `glossary/data/vi-syllable-pairs.tsv` instead of the bundled one
        /// (to measure a new table before bundling it).
        #[must_use]
        pub fn parse_with_pairs(tsv: &str, pairs: &str) -> Self {
            Self(Lexicon::parse(tsv, pairs, normalized_key))
        }
    }

    /// Calls `visit(features, byte)` for every gap between two syllables
    /// that the boundary model decides, with `byte` the end of the gap's
    /// left token in the text.
    pub fn gaps(tokens: &[Token<'_>], lexicon: &TrainingLexicon, mut visit: impl FnMut(&[u32], usize)) {
        let lexicon = &lexicon.0;
        let units = units(tokens, lexicon);
        let mut scratch = Scratch::default();
        let mut features = [0u32; GAP_FEATURES];
        let mut i = 0;
        while i < units.len() {
            if units[i].syllable.is_none() {
                i += 1;
                continue;
            }
            let end = units[i..].iter().position(|u| u.syllable.is_none()).map_or(units.len(), |p| i + p);
            viterbi(&units[i..end], lexicon, &mut scratch);
            gather_evidence(&units[i..end], &scratch.best, &scratch.spans, &mut scratch.evidence);
            for a in i..end - 1 {
                gap_features(&units, &(i..end), a, lexicon, &scratch.evidence, &mut features);
                visit(&features, tokens[units[a].tokens.end - 1].end);
            }
            i = end;
        }
    }

    /// Segments with the given lexicon and weights (`None`: the lattice
    /// alone).
    #[must_use]
    pub fn segment(tokens: &[Token<'_>], lexicon: &TrainingLexicon, weights: Option<&[i16]>) -> Vec<Word> {
        segment_with(tokens, &lexicon.0, weights, &|_| true)
    }

    /// A lexicon and model read from files (in the bundled files' formats),
    /// segmenting exactly as [`super::segment`] does with the bundled ones;
    /// for scoring a model trained without a test set's sentences.
    pub struct Segmenter {
        lexicon: Lexicon,
        folded: Lexicon,
        weights: Vec<i16>,
    }

    impl Segmenter {
        /// The segmenter of a lexicon's text and a model file's bytes, or
        /// `None` when the model file is not valid.
        #[must_use]
        pub fn new(tsv: &str, model: &[u8]) -> Option<Self> {
            Some(Self {
                lexicon: Lexicon::parse(tsv, super::PAIR_DATA, normalized_key),
                folded: Lexicon::parse(tsv, super::PAIR_DATA, folded_key),
                weights: super::decode_weights(model)?,
            })
        }

        /// The words of `tokens` (see [`super::segment`]).
        #[must_use]
        pub fn segment(&self, tokens: &[Token<'_>]) -> Vec<Word> {
            segment_either(tokens, &self.lexicon, &self.folded, &self.weights, &|_| true)
        }
    }

    /// The bundled file's bytes for `weights` (quantised to 16 bits).
    #[must_use]
    pub fn encode(weights: &[f32]) -> Vec<u8> {
        super::encode_weights(weights)
    }

    /// The quantised weights of a file written by [`encode`].
    #[must_use]
    pub fn decode(data: &[u8]) -> Option<Vec<i16>> {
        super::decode_weights(data)
    }
}

#[cfg(test)]
#[path = "segment_tests.rs"]
mod tests;
