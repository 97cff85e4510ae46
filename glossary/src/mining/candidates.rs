//! Candidate extraction: syllable tokens become interned ids, sentences
//! become runs of words, and every n-gram of 1–8 syllables that may start a
//! term is counted in a trie.
//!
//! * **Vocabulary.** Each distinct raw token is normalised once
//!   ([`text::normalized_key`]); spellings that share a key (hoà/hòa,
//!   Hợp/hợp) share an id. The id carries what the rest of the miner needs
//!   to know about the syllable: may it start or end a term (function
//!   words may not), is it foreign (not a possible Vietnamese syllable),
//!   how frequent is it in general Vietnamese.
//! * **Runs.** A term never crosses punctuation or a number, so a sentence
//!   is cut into runs of words. A dash between two words stays inside the
//!   run ("Việt Nam - Lào", "kinh tế - xã hội") but never starts or ends an
//!   n-gram.
//! * **Trie.** The n-grams starting at one position are the path from the
//!   root through the following tokens, so counting all of them costs one
//!   hash lookup per step (placed by the hash of the path, checked against
//!   the node's `(parent, token)`). Each node keeps
//!   its frequency, document frequency and capitalisation counts: counts,
//!   not copies of the text.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::text::{self, TokenKind};

use super::refdata;

/// Longest candidate, in syllables.
pub const MAX_SYLLABLES: usize = 8;

/// Most function words inside a counted n-gram: a phrase with one
/// ("Nhà nước và nhân dân") can be a term; beyond that it is a clause.
pub const MAX_FUNCTION_WORDS: usize = 2;

/// Id of the dash token inside runs.
pub(crate) const DASH: u32 = 0;
/// The trie's root node.
pub(crate) const ROOT: u32 = 0;

/// Function words that neither start nor end a term: particles,
/// prepositions, conjunctions, pronouns, aspect and degree markers,
/// quantifiers, numerals and units. Written for this project and
/// deliberately narrow: "cấp", "bên", "nhà", "đánh giá" are content words
/// here (they make "thăm cấp Nhà nước", "hai bên", "Nhà nước").
#[rustfmt::skip]
pub const FUNCTION_WORDS: &[&str] = &[
    "của", "và", "các", "những", "với", "trong", "là", "có", "được", "bị", "đã", "sẽ", "đang", "vừa", "cho", "về",
    "tại", "từ", "đến", "tới", "theo", "để", "này", "đó", "kia", "ấy", "khi", "thì", "mà", "nhưng", "hoặc", "hay",
    "cũng", "vẫn", "rất", "ở", "vào", "ra", "lên", "xuống", "như", "bằng", "do", "bởi", "vì", "nên", "nhằm", "cùng",
    "đều", "chưa", "chỉ", "luôn", "lại", "hơn", "nữa", "cả", "mọi", "mỗi", "trên", "dưới", "sau", "trước", "ngay",
    "đây", "nay", "gì", "nào", "ai", "rằng", "thế", "vậy", "nếu", "tuy", "dù", "song", "hết", "nhau", "lẫn", "chúng",
    "ta", "tôi", "họ", "mình", "nó", "ông", "bà", "qua", "giữa", "một", "hai", "ba", "bốn", "nhiều", "ít", "lần",
    "thứ", "rồi", "đi", "sang", "thêm", "còn", "hãy", "đừng", "chứ", "nhé", "ạ", "vâng", "thật", "quá", "lắm", "đâu",
    "tỷ", "triệu", "nghìn", "ngàn", "usd", "vnđ", "km", "gần", "khoảng", "cần", "phải", "muốn", "xin",
];

/// Words that may start a term but not end one: classifiers and
/// nominalisers ("tình hình" but not "... tình"), date words.
#[rustfmt::skip]
pub const NOT_FINAL: &[&str] = &[
    "không", "năm", "ngày", "tháng", "sự", "việc", "cuộc", "chuyến", "nền", "mối", "tình", "tính",
];

/// Words that may end a term but not start one: nominalisers and
/// classifiers ("chuyến thăm cấp Nhà nước" is "thăm cấp Nhà nước" with the
/// classifier of journeys), "nước" before a country's name.
#[rustfmt::skip]
pub const NOT_INITIAL: &[&str] = &[
    "sự", "việc", "mối", "nền", "chuyến", "cuộc", "nước",
];

/// Quantifiers and numerals: function words that still belong to the noun
/// phrase they precede ("hai bên", "các nước"). They never start a term,
/// but a term that nearly always follows one is a fragment of the longer
/// phrase ("bên nhất trí" of "hai bên nhất trí"), so n-grams starting with
/// them are counted for the boundary test.
#[rustfmt::skip]
pub const QUANTIFIERS: &[&str] = &[
    "hai", "ba", "bốn", "một", "mỗi", "các", "những", "mọi", "nhiều",
];

/// General words of the news register (evaluative adjectives, generic
/// nouns, time adverbs, which an encyclopedia rarely uses and the word
/// list therefore takes for rare) that are never a glossary entry on their own, however often they
/// occur; the verbs and adverbs of [`NOT_INITIAL_PHRASES`] are not either. They may occur inside a longer term and
/// as formula members ("hòa bình, ổn định, hợp tác và phát triển").
#[rustfmt::skip]
pub const GENERAL_WORDS: &[&str] = &[
    "trao đổi", "hỗ trợ", "giúp đỡ", "lẫn nhau", "tích cực", "mạnh mẽ", "chặt chẽ", "sâu sắc", "to lớn", "thực hiện",
    "quan trọng", "hiệu quả", "cụ thể", "thuận lợi", "thực chất", "nổi bật", "đặc biệt", "toàn diện", "bền vững",
    "lâu dài", "vững chắc", "xây dựng", "phát triển", "thời gian", "hoạt động", "tình hình", "kết quả", "vấn đề",
    "lĩnh vực", "quan tâm", "điều kiện", "nhiều năm", "hiện nay", "gần đây", "tới đây", "sắp tới", "cho rằng",
    "mong muốn", "quyết tâm", "nỗ lực", "chủ trương", "định hướng", "thống nhất", "tiếp xúc", "gặp gỡ", "dự kiến",
    "nghiên cứu", "giai đoạn", "bối cảnh", "cơ hội", "thách thức", "tiềm năng", "tiếp đón",
    "năm ngoái", "năm nay", "năm tới", "hôm qua", "tuần trước", "tuần tới", "tháng trước", "tháng tới",
];

/// General verbs and adverbs that do not start a term: a phrase starting
/// with one is a verb phrase ("tăng cường hợp tác", "tiếp tục phát huy").
#[rustfmt::skip]
pub const NOT_INITIAL_PHRASES: &[&str] = &[
    "tiếp tục", "đồng thời", "góp phần", "khẳng định", "nhấn mạnh", "nhất trí", "thúc đẩy", "tăng cường",
    "triển khai", "đẩy mạnh", "nâng cao", "mở rộng", "duy trì", "phát huy", "củng cố", "hướng tới", "tham gia",
    "chia sẻ", "ủng hộ", "bày tỏ", "cho biết", "thể hiện", "đánh giá", "cùng nhau", "ngày càng", "không ngừng",
    "hết sức", "kịp thời", "thường xuyên", "đạt được", "mang lại", "diễn ra", "tiến hành", "đề nghị", "hoan nghênh",
    "cảm ơn", "chúc mừng", "trân trọng", "nhiệt liệt", "tạo điều kiện", "bảo đảm", "đảm bảo", "tập trung", "chỉ đạo",
    "xác định", "coi trọng", "ưu tiên", "nhân dịp", "thông qua", "bên cạnh", "tin tưởng", "phối hợp", "đưa",
    "giữ vững", "tháo gỡ", "đóng góp", "dày công", "làm", "mang", "tạo",
];

/// Reporting verbs and multi-syllable aspect and tense markers: a clause
/// starts or ends there, so a candidate never does ("Tổng Bí thư Tô Lâm
/// nhấn mạnh" is a name and a verb). Single-syllable markers ("đã",
/// "đang", "sẽ", "được", "bị") are in [`FUNCTION_WORDS`].
#[rustfmt::skip]
pub const EDGE_PHRASES: &[&str] = &[
    "nhấn mạnh", "khẳng định", "tái khẳng định", "dự kiến", "cho biết", "cho rằng", "đề nghị", "bày tỏ",
    "phát biểu", "chúc mừng", "hoan nghênh", "đánh giá", "cảm ơn", "nhất trí", "thông báo", "chia sẻ",
    "trả lời", "đề xuất", "tin tưởng", "ghi nhận", "kêu gọi", "nhận định", "lưu ý", "tuyên bố rằng",
    "chủ trì", "đồng chủ trì", "tham dự", "từng", "sắp", "đã và đang", "vừa qua", "tiếp tục", "hôm nay",
];

/// Titles (heads of a "title + name" phrase): a title followed by a
/// person's name ("Tổng Bí thư Tô Lâm", "Chủ tịch Hồ Chí Minh") is two
/// entries, the title and the name, not one; likewise the class noun
/// "thủ đô" before a capital's name ("Thủ đô Viêng Chăn").
#[rustfmt::skip]
pub const TITLES: &[&str] = &[
    "tổng bí thư", "bí thư", "chủ tịch", "chủ tịch nước", "chủ tịch quốc hội", "thủ tướng", "phó thủ tướng",
    "bộ trưởng", "thứ trưởng", "bộ trưởng ngoại giao", "thứ trưởng ngoại giao", "đại sứ", "tổng thống", "phó tổng thống", "quốc vương", "ngoại trưởng",
    "trưởng ban", "phó chủ tịch", "tổng thư ký", "đồng chí", "phu nhân", "người phát ngôn", "chủ nhiệm",
    "giám đốc", "tổng giám đốc", "thượng tướng", "đại tướng", "trung tướng", "thiếu tướng", "thủ đô",
];

/// Common Vietnamese family names that start a person's name after a title
/// (ambiguous ones such as "Thái", "Hà", "Cao" or "Lâm", which also start
/// place names, are left out).
#[rustfmt::skip]
pub const SURNAMES: &[&str] = &[
    "nguyễn", "trần", "lê", "phạm", "hoàng", "huỳnh", "phan", "vũ", "võ", "đặng", "bùi", "đỗ", "hồ", "ngô",
    "dương", "lý", "tô", "đinh", "trịnh", "lương", "đào", "vương", "trương", "tạ", "quách", "phùng", "kiều",
    "tống", "lưu", "đoàn", "văn", "nông",
];

/// Classifiers of events and journeys: one before a word marks it as a
/// noun of the domain ("cuộc hội đàm", "chuyến thăm", "lễ đón").
#[rustfmt::skip]
pub const EVENT_CLASSIFIERS: &[&str] = &["cuộc", "chuyến", "lễ", "buổi", "kỳ", "phiên"];

/// What the miner knows about one vocabulary entry.
#[derive(Clone, Debug)]
pub(crate) struct Syllable {
    /// Normalised key.
    pub key: Box<str>,
    /// May start a term.
    pub start_ok: bool,
    /// May end a term.
    pub end_ok: bool,
    /// A quantifier or numeral (see [`QUANTIFIERS`]).
    pub quantifier: bool,
    /// An event classifier (see [`EVENT_CLASSIFIERS`]).
    pub classifier: bool,
    /// A family name (see [`SURNAMES`]).
    pub surname: bool,
    /// A function word (see [`FUNCTION_WORDS`]).
    pub function: bool,
    /// Not a possible Vietnamese syllable (a foreign name, an acronym).
    pub foreign: bool,
    /// General-language frequency, Zipf scale.
    pub zipf: f32,
}

/// A fast hasher for integer and short-string keys (the "Fx" multiply-rotate
/// hash): the miner's maps are hit once per token, and SipHash would
/// dominate the run time. Keys come from the corpus, not from an attacker
/// who could choose collisions, and the maps live for one run.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

const FX_SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(b));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.write_u64(u64::from(i));
    }
    fn write_u32(&mut self, i: u32) {
        self.write_u64(u64::from(i));
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(FX_SEED);
    }
    fn write_u128(&mut self, i: u128) {
        self.write_u64(i as u64);
        self.write_u64((i >> 64) as u64);
    }
    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }
    fn finish(&self) -> u64 {
        // The multiply only carries low input bits upwards: without this
        // final mix, keys that differ in their high half (the parent of a
        // trie edge) would land in the same buckets, and the trie's map
        // would degrade to quadratic time on text with many n-grams.
        let x = self.0 ^ (self.0 >> 32);
        let x = x.wrapping_mul(0xD6E8_FEB8_6659_FD93);
        x ^ (x >> 32)
    }
}

/// A `HashMap` with [`FxHasher`].
pub(crate) type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// A `HashSet` with [`FxHasher`].
pub(crate) type FxSet<T> = std::collections::HashSet<T, BuildHasherDefault<FxHasher>>;

/// A map keyed by strings for the per-token lookups: a string of at most
/// [`StrMap::SHORT`] bytes (nearly every syllable) is keyed by its bytes
/// and length packed in one integer, so a lookup hashes two words and
/// compares integers instead of calling `memcmp`; longer strings go to an
/// ordinary map.
pub(crate) struct StrMap<V> {
    short: FxMap<u128, V>,
    long: FxMap<Box<str>, V>,
}

impl<V> Default for StrMap<V> {
    fn default() -> Self {
        StrMap { short: FxMap::default(), long: FxMap::default() }
    }
}

impl<V> StrMap<V> {
    /// Longest string kept packed.
    const SHORT: usize = 15;

    /// The bytes of `s` as a little-endian integer, with its length in
    /// the top byte. Read as whole words (the first and the last four or
    /// eight bytes, which overlap), not copied byte by byte into a buffer:
    /// a buffer read back as one integer stalls the processor.
    fn packed(s: &str) -> Option<u128> {
        let b = s.as_bytes();
        let len = b.len();
        let word = |at: usize| u64::from_le_bytes(b[at..at + 8].try_into().expect("eight bytes"));
        let half = |at: usize| u64::from(u32::from_le_bytes(b[at..at + 4].try_into().expect("four bytes")));
        let (lo, hi) = match len {
            0 => (0, 0),
            1..=3 => {
                // The first, middle and last byte are all of them.
                let byte = |at: usize| u64::from(b[at]) << (8 * at);
                (byte(0) | byte(len / 2) | byte(len - 1), 0)
            }
            4..=7 => (half(0) | half(len - 4) >> (8 * (8 - len)) << 32, 0),
            8 => (word(0), 0),
            9..=Self::SHORT => (word(0), word(len - 8) >> (8 * (16 - len))),
            _ => return None,
        };
        Some(u128::from(lo) | u128::from(hi) << 64 | (len as u128) << 120)
    }

    pub fn get(&self, s: &str) -> Option<&V> {
        match Self::packed(s) {
            Some(k) => self.short.get(&k),
            None => self.long.get(s),
        }
    }

    pub fn insert(&mut self, s: &str, v: V) {
        match Self::packed(s) {
            Some(k) => self.short.insert(k, v),
            None => self.long.insert(s.into(), v),
        };
    }

    pub fn len(&self) -> usize {
        self.short.len() + self.long.len()
    }

    pub fn clear(&mut self) {
        self.short.clear();
        self.long.clear();
    }

    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.short.values_mut().chain(self.long.values_mut())
    }
}

/// The vocabulary of a run.
pub(crate) struct Vocabulary {
    pub syllables: Vec<Syllable>,
    by_key: FxMap<Box<str>, u32>,
    by_raw: StrMap<u32>,
    /// What each id reads as since [`Vocabulary::fold_misspellings`] (itself
    /// before).
    folded: Vec<u32>,
    /// Per syllable, the [`traits`] bits of its [`Syllable`]: the flags
    /// the counting walk reads at every position, one byte each, so that
    /// they stay in the cache (a [`Syllable`] is 32 bytes).
    traits: Vec<u8>,
    /// Corpus frequency of each syllable.
    pub counts: Vec<u64>,
    /// Total syllable tokens counted.
    pub total: u64,
}

impl Vocabulary {
    pub fn new() -> Vocabulary {
        let dash = Syllable {
            key: "-".into(),
            start_ok: false,
            end_ok: false,
            quantifier: false,
            classifier: false,
            surname: false,
            function: false,
            foreign: false,
            zipf: 0.0,
        };
        let mut by_key = FxMap::default();
        by_key.insert("-".into(), DASH);
        Vocabulary {
            syllables: vec![dash],
            by_key,
            by_raw: StrMap::default(),
            folded: vec![DASH],
            traits: vec![0],
            counts: vec![0],
            total: 0,
        }
    }

    /// The id of a raw word token.
    pub fn id(&mut self, raw: &str) -> u32 {
        if let Some(&id) = self.by_raw.get(raw) {
            return id;
        }
        let key = text::normalized_key(raw);
        let id = match self.by_key.get(key.as_str()) {
            Some(&id) => id,
            None => {
                let id = self.syllables.len() as u32;
                let syllable = classify(&key, raw);
                self.traits.push(traits::of(&syllable));
                self.syllables.push(syllable);
                self.folded.push(id);
                self.counts.push(0);
                self.by_key.insert(key.into(), id);
                id
            }
        };
        self.by_raw.insert(raw, id);
        id
    }

    /// Makes every spelling of a misspelt syllable read as the syllable it
    /// misses (`fold[id]`), for the scans that follow: their occurrences
    /// join the correct spelling's n-grams as variants. Counts are kept.
    pub fn fold_misspellings(&mut self, fold: &[Option<u32>]) {
        let target = |id: &mut u32| {
            if let Some(Some(t)) = fold.get(*id as usize) {
                *id = *t;
            }
        };
        self.by_raw.values_mut().for_each(target);
        self.by_key.values_mut().for_each(target);
        self.folded.iter_mut().for_each(target);
    }

    /// What an id returned before [`Vocabulary::fold_misspellings`] reads
    /// as now.
    pub fn current(&self, id: u32) -> u32 {
        self.folded[id as usize]
    }

    /// The id of a normalised key, if it occurred.
    pub fn lookup_key(&self, key: &str) -> Option<u32> {
        self.by_key.get(key).copied()
    }

    pub fn get(&self, id: u32) -> &Syllable {
        &self.syllables[id as usize]
    }

    /// The [`traits`] bits of a syllable.
    #[inline]
    pub fn traits(&self, id: u32) -> u8 {
        self.traits[id as usize]
    }
}

/// Flags of a [`Syllable`] as bits ([`Vocabulary::traits`]).
pub(crate) mod traits {
    use super::Syllable;

    pub const START_OK: u8 = 1;
    pub const QUANTIFIER: u8 = 1 << 1;
    pub const CLASSIFIER: u8 = 1 << 2;
    pub const FUNCTION: u8 = 1 << 3;

    /// The bits of `s`.
    pub fn of(s: &Syllable) -> u8 {
        let bit = |set: bool, b: u8| if set { b } else { 0 };
        bit(s.start_ok, START_OK)
            | bit(s.quantifier, QUANTIFIER)
            | bit(s.classifier, CLASSIFIER)
            | bit(s.function, FUNCTION)
    }
}

fn classify(key: &str, raw: &str) -> Syllable {
    let function = FUNCTION_WORDS.contains(&key);
    Syllable {
        key: key.into(),
        start_ok: !function && !NOT_INITIAL.contains(&key),
        end_ok: !function && !NOT_FINAL.contains(&key),
        quantifier: QUANTIFIERS.contains(&key),
        classifier: EVENT_CLASSIFIERS.contains(&key),
        surname: SURNAMES.contains(&key),
        function,
        foreign: is_foreign(raw),
        zipf: refdata::zipf(key),
    }
}

/// Consonants that can open a Vietnamese syllable (diacritics stripped, so
/// "đ" is "d"), the empty one last.
const INITIALS: [&str; 27] = [
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c", "d", "g", "h", "k", "l", "m", "n",
    "p", "r", "s", "t", "v", "x", "",
];

/// Consonants that can close a Vietnamese syllable (the empty one too).
const FINALS: [&str; 9] = ["", "c", "ch", "m", "n", "ng", "nh", "p", "t"];

/// Whether a word cannot be one Vietnamese syllable: letters outside the
/// Vietnamese alphabet (f, j, w, z), more than one vowel group
/// ("Thongloun", "Sisoulith"), more than seven letters, or consonants
/// that no Vietnamese syllable has before or after its vowels ("Trump",
/// "York", "Bob", "Clinton").
pub(crate) fn is_foreign(word: &str) -> bool {
    // A Roman numeral ("XIV" of "Đại hội XIV") numbers what stands before
    // it; it is no foreign name (nor a term on its own).
    if word.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | 'L' | 'C' | 'D' | 'M'))
        && word.chars().any(|c| matches!(c, 'I' | 'V' | 'X'))
    {
        return false;
    }
    // "ð" (eth) is a common mistyping of "đ".
    let base = text::strip_diacritics(word).to_lowercase().replace('ð', "d");
    if base.chars().count() > 7 || base.chars().any(|c| matches!(c, 'f' | 'j' | 'w' | 'z')) {
        return true;
    }
    let vowel = |c: char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
    // Some opening consonant, then one group of vowels, then a closing
    // consonant ("gì" is "g" + "i", "quốc" is "qu" + "o" + "c").
    !INITIALS.iter().any(|initial| {
        base.strip_prefix(initial).is_some_and(|rest| {
            let vowels = rest.find(|c: char| !vowel(c)).unwrap_or(rest.len());
            vowels > 0 && FINALS.contains(&&rest[vowels..])
        })
    })
}

/// Flags of one token occurrence.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct TokenFlags {
    /// Starts with an uppercase letter.
    pub capital: bool,
    /// Two or more letters, all uppercase.
    pub upper: bool,
    /// First word of its sentence (or right after a colon or an opening
    /// quote), where capitals say nothing.
    pub initial: bool,
    /// Starts a word of the segmented sentence ([`text::segment`]); always
    /// set when the scan does not segment.
    pub word_start: bool,
    /// Ends a word of the segmented sentence; always set when the scan
    /// does not segment.
    pub word_end: bool,
}

/// One item of a scanned sentence.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Item {
    /// A word with its id, byte span in the document and flags.
    Word { id: u32, start: usize, end: usize, flags: TokenFlags },
    /// A dash between two words.
    Dash { start: usize, end: usize },
    /// A comma (separates enumeration members).
    Comma,
    /// Other punctuation or a number: ends runs and enumerations.
    Break,
}

/// A sentence as items, with its byte span and whether it is written in
/// capitals throughout (a heading), where case carries no information.
pub(crate) struct ScannedSentence {
    pub items: Vec<Item>,
    pub start: usize,
    pub end: usize,
    pub shouting: bool,
}

/// The sentences of the kept lines of a document, as byte ranges of its
/// text (the provenance every context refers to). A line holds no line
/// break (the lines of cleaned text).
pub(crate) fn sentence_spans(text: &str, lines: &[std::ops::Range<usize>]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut sentences = Vec::new();
    for line in lines {
        sentences.clear();
        text::sentence::split_line_into(&text[line.clone()], text::SentenceLang::Vietnamese, &mut sentences);
        out.extend(sentences.iter().map(|s| line.start + s.start..line.start + s.end));
    }
    out
}

/// What the first scan of a document records for the later ones: every
/// item of every sentence, so that they neither tokenise, segment nor look
/// syllables up again. One entry per item (about one per token), as
/// parallel arrays: byte span, vocabulary id (as first looked up; words
/// only) and [`item_bits`].
#[derive(Default)]
pub(crate) struct TokenRecord {
    starts: Vec<u32>,
    ends: Vec<u32>,
    ids: Vec<u32>,
    bits: Vec<u8>,
    /// Per sentence: the end of its items in the arrays above.
    sentence_ends: Vec<u32>,
    /// Per sentence: written in capitals throughout.
    shouting: Vec<bool>,
}

/// The bits of a recorded item: its kind, and for a word the flags that do
/// not depend on the vocabulary (which a later scan may have folded).
mod item_bits {
    pub const KIND: u8 = 0b11;
    pub const WORD: u8 = 0;
    pub const DASH: u8 = 1;
    pub const COMMA: u8 = 2;
    pub const BREAK: u8 = 3;
    pub const CAPITAL: u8 = 1 << 2;
    pub const UPPER: u8 = 1 << 3;
    pub const INITIAL: u8 = 1 << 4;
    /// Starts a segmented word and does not follow a name's hyphen.
    pub const EDGE_START: u8 = 1 << 5;
    /// Follows the hyphen of a hyphenated name.
    pub const GLUED: u8 = 1 << 6;
    pub const WORD_END: u8 = 1 << 7;
}

impl TokenRecord {
    fn push_sentence(&mut self, sentence: &ScannedSentence, word_bits: &[u8]) {
        let mut words = word_bits.iter();
        for item in &sentence.items {
            let (start, end, id, bits) = match *item {
                Item::Word { id, start, end, flags } => {
                    let mut bits = *words.next().expect("one entry per word");
                    bits |= if flags.capital { item_bits::CAPITAL } else { 0 };
                    bits |= if flags.upper { item_bits::UPPER } else { 0 };
                    bits |= if flags.initial { item_bits::INITIAL } else { 0 };
                    bits |= if flags.word_end { item_bits::WORD_END } else { 0 };
                    (start, end, id, bits | item_bits::WORD)
                }
                Item::Dash { start, end } => (start, end, DASH, item_bits::DASH),
                Item::Comma => (0, 0, DASH, item_bits::COMMA),
                Item::Break => (0, 0, DASH, item_bits::BREAK),
            };
            self.starts.push(start as u32);
            self.ends.push(end as u32);
            self.ids.push(id);
            self.bits.push(bits);
        }
        self.sentence_ends.push(self.bits.len() as u32);
        self.shouting.push(sentence.shouting);
    }
}

/// Where a scan gets the items of a document's sentences from.
pub(crate) enum WordEdges<'a> {
    /// Tokenise and segment each sentence ([`text::segment`]), look its
    /// syllables up, and record the items.
    Segment(&'a mut TokenRecord),
    /// What a [`WordEdges::Segment`] scan of the same document recorded
    /// (ids go through [`Vocabulary::current`], for folded misspellings).
    Replay(&'a TokenRecord),
}

/// After a classifier that starts a word ("chuyến thăm"), the noun it
/// classifies may start a term ("thăm cấp Nhà nước").
fn after_classifier(items: &[Item], vocab: &Vocabulary) -> bool {
    matches!(items.last(), Some(Item::Word { id, flags, .. })
        if flags.word_start && !flags.word_end && vocab.traits(*id) & (traits::START_OK | traits::FUNCTION) == 0)
}

/// Scans the sentences of a document (see [`sentence_spans`]), calling `f`
/// once per sentence; the items carry the word edges of the segmented
/// sentence (see [`WordEdges`]).
pub(crate) fn scan(
    vocab: &mut Vocabulary,
    text: &str,
    sentences: &[std::ops::Range<usize>],
    source: WordEdges<'_>,
    f: impl FnMut(&ScannedSentence, &mut Vocabulary),
) {
    match source {
        WordEdges::Segment(record) => scan_segmenting(vocab, text, sentences, record, f),
        WordEdges::Replay(record) => replay(vocab, sentences, record, f),
    }
}

/// [`scan`] from a record: the items as the first scan built them.
fn replay(
    vocab: &mut Vocabulary,
    sentences: &[std::ops::Range<usize>],
    record: &TokenRecord,
    mut f: impl FnMut(&ScannedSentence, &mut Vocabulary),
) {
    let mut sentence = ScannedSentence { items: Vec::new(), start: 0, end: 0, shouting: false };
    let mut from = 0;
    for (n, span) in sentences.iter().enumerate() {
        sentence.items.clear();
        sentence.start = span.start;
        sentence.end = span.end;
        let to = record.sentence_ends[n] as usize;
        for j in from..to {
            let bits = record.bits[j];
            let (start, end) = (record.starts[j] as usize, record.ends[j] as usize);
            let item = match bits & item_bits::KIND {
                item_bits::WORD => {
                    let glued = bits & item_bits::GLUED != 0;
                    let word_start =
                        bits & item_bits::EDGE_START != 0 || !glued && after_classifier(&sentence.items, vocab);
                    let flags = TokenFlags {
                        capital: bits & item_bits::CAPITAL != 0,
                        upper: bits & item_bits::UPPER != 0,
                        initial: bits & item_bits::INITIAL != 0,
                        word_start,
                        word_end: bits & item_bits::WORD_END != 0,
                    };
                    Item::Word { id: vocab.current(record.ids[j]), start, end, flags }
                }
                item_bits::DASH => Item::Dash { start, end },
                item_bits::COMMA => Item::Comma,
                _ => Item::Break,
            };
            sentence.items.push(item);
        }
        from = to;
        sentence.shouting = record.shouting[n];
        f(&sentence, vocab);
    }
}

/// [`scan`] from the text: tokenises and segments each sentence, and
/// records its items.
fn scan_segmenting(
    vocab: &mut Vocabulary,
    text: &str,
    sentences: &[std::ops::Range<usize>],
    record: &mut TokenRecord,
    mut f: impl FnMut(&ScannedSentence, &mut Vocabulary),
) {
    let mut sentence = ScannedSentence { items: Vec::new(), start: 0, end: 0, shouting: false };
    // Per token: starts a word (bit 0), ends one (bit 1).
    let mut edges: Vec<u8> = Vec::new();
    // Per word item: its [`item_bits::EDGE_START`] and [`item_bits::GLUED`].
    let mut word_bits: Vec<u8> = Vec::new();
    let mut tokens: Vec<text::Token> = Vec::new();
    // About one item per five bytes of text; the arrays are trimmed after.
    let items = sentences.iter().map(|s| s.len()).sum::<usize>() / 5 + 1;
    record.starts.reserve(items);
    record.ends.reserve(items);
    record.ids.reserve(items);
    record.bits.reserve(items);
    record.sentence_ends.reserve(sentences.len());
    record.shouting.reserve(sentences.len());
    for span in sentences {
        let base = span.start;
        sentence.items.clear();
        sentence.start = span.start;
        sentence.end = span.end;
        word_bits.clear();
        text::tokenize_into(&text[span.clone()], &mut tokens);
        edges.clear();
        edges.resize(tokens.len(), 0);
        for w in text::segment(&text[span.clone()], &tokens) {
            edges[w.tokens.start] |= 1;
            edges[w.tokens.end - 1] |= 2;
            split_name_run(vocab, &tokens, w.tokens, &mut edges);
        }
        // Set after the dash of a hyphenated name: the next syllable
        // continues the name's word.
        let mut glued = false;
        let mut initial = true;
        let (mut words, mut upper_words) = (0, 0);
        let mut k = 0;
        while k < tokens.len() {
            let t = &tokens[k];
            k += 1;
            let (start, mut end) = (base + t.start, base + t.end);
            match t.kind {
                TokenKind::Word => {
                    let capital = t.text.chars().next().is_some_and(char::is_uppercase);
                    let (mut letters, mut lower) = (0, false);
                    for c in t.text.chars() {
                        letters += usize::from(text::is_letter(c));
                        lower |= c.is_lowercase();
                        // One lowercase letter settles it: not in capitals.
                        if lower {
                            break;
                        }
                    }
                    let upper = letters >= 2 && !lower;
                    words += 1;
                    upper_words += usize::from(upper);
                    // "COVID-19": a word, a hyphen and a number written
                    // together are one name.
                    let numbered = tokens.get(k..k + 2).is_some_and(|n| {
                        n[0].text == "-"
                            && n[1].kind == TokenKind::Number
                            && t.end == n[0].start
                            && n[0].end == n[1].start
                            && n[1].text.bytes().all(|b| b.is_ascii_digit())
                    });
                    let first = k - 1;
                    let edge_start = edges[first] & 1 != 0 && !glued;
                    let word_start = edge_start || !glued && after_classifier(&sentence.items, vocab);
                    if numbered {
                        end = base + tokens[k + 1].end;
                        k += 2;
                    }
                    let word_end = edges[k - 1] & 2 != 0;
                    word_bits.push(
                        if edge_start { item_bits::EDGE_START } else { 0 } | if glued { item_bits::GLUED } else { 0 },
                    );
                    glued = false;
                    let id = vocab.id(&text[start..end]);
                    let flags = TokenFlags { capital, upper, initial, word_start, word_end };
                    sentence.items.push(Item::Word { id, start, end, flags });
                    initial = false;
                }
                TokenKind::Punct if is_dash(t.text) => {
                    let between_words = k > 1
                        && tokens[k - 2].kind == TokenKind::Word
                        && tokens.get(k).is_some_and(|n| n.kind == TokenKind::Word);
                    if between_words && hyphenated_name(&tokens[k - 2], t, &tokens[k]) {
                        // "Viêng-chăn": the syllables of one name, not a
                        // compound of two ("Việt Nam-Lào").
                        if let Some(Item::Word { flags, .. }) = sentence.items.last_mut() {
                            flags.word_end = false;
                        }
                        glued = true;
                        continue;
                    }
                    sentence.items.push(if between_words { Item::Dash { start, end } } else { Item::Break });
                }
                TokenKind::Punct if t.text == "," => sentence.items.push(Item::Comma),
                TokenKind::Punct => {
                    if matches!(t.text, ":" | "“" | "\"" | "(" | "«" | "‘" | "'") {
                        initial = true;
                    }
                    sentence.items.push(Item::Break);
                }
                TokenKind::Number => sentence.items.push(Item::Break),
            }
        }
        sentence.shouting = words >= 3 && upper_words * 10 >= words * 6;
        record.push_sentence(&sentence, &word_bits);
        f(&sentence, vocab);
    }
    record.starts.shrink_to_fit();
    record.ends.shrink_to_fit();
    record.ids.shrink_to_fit();
    record.bits.shrink_to_fit();
}

/// Least Zipf frequency of a syllable that a capitalised run may be split
/// after or before: rarer syllables ("Viêng", 3.3) are parts of a
/// transliterated name.
const NAME_SPLIT_ZIPF: f32 = 3.5;

/// The segmenter reads a run of capitalised syllables as one name ("Quốc
/// khánh Lào", "Cộng hòa Dân chủ Nhân dân Lào"); the miner splits names
/// itself (titles, bodies, countries), so inside such a run every edge
/// between two common Vietnamese syllables, or between one and a foreign
/// syllable, is a word edge. A
/// transliterated name stays whole ("Viêng Chăn": "Thủ đô Viêng" is never
/// a candidate).
fn split_name_run(vocab: &mut Vocabulary, tokens: &[text::Token], word: std::ops::Range<usize>, edges: &mut [u8]) {
    let capital = |t: &text::Token| t.kind == TokenKind::Word && t.text.chars().next().is_some_and(char::is_uppercase);
    if word.len() < 2 || !tokens[word.clone()].iter().all(capital) {
        return;
    }
    // (foreign, common Vietnamese syllable)
    let kind = |t: &text::Token, vocab: &mut Vocabulary| {
        let id = vocab.id(t.text);
        let s = vocab.get(id);
        (s.foreign, !s.foreign && s.zipf >= NAME_SPLIT_ZIPF)
    };
    for j in word.start..word.end - 1 {
        let (a, b) = (kind(&tokens[j], vocab), kind(&tokens[j + 1], vocab));
        // Between common syllables, or where a Vietnamese word meets a
        // foreign name ("Lào | Thongloun Sisoulith").
        let split = a.1 && b.1 || a.0 != b.0 && (a.1 || b.1);
        if tokens[j].end < tokens[j + 1].start && split {
            edges[j] |= 2;
            edges[j + 1] |= 1;
        }
    }
}

/// Whether a dash written without spaces joins the syllables of one name:
/// a capitalised syllable, then a lowercase one ("Viêng-chăn"), where a
/// compound joins two capitalised names or two lowercase words.
fn hyphenated_name(before: &text::Token, dash: &text::Token, after: &text::Token) -> bool {
    let capital = |t: &text::Token| t.text.chars().next().is_some_and(char::is_uppercase);
    before.end == dash.start && dash.end == after.start && capital(before) && !capital(after)
}

fn is_dash(s: &str) -> bool {
    matches!(s, "-" | "–" | "—" | "‒" | "−" | "‐" | "‑")
}

/// Runs of words (with inner dashes) of a scanned sentence, as index ranges
/// into its items.
pub(crate) fn runs(items: &[Item]) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < items.len() && !matches!(items[i], Item::Word { .. }) {
            i += 1;
        }
        if i >= items.len() {
            return None;
        }
        let start = i;
        while i < items.len() && matches!(items[i], Item::Word { .. } | Item::Dash { .. }) {
            i += 1;
        }
        Some(start..i)
    })
}

/// The id of an item (dash or word).
pub(crate) fn item_id(item: &Item) -> u32 {
    match item {
        Item::Word { id, .. } => *id,
        _ => DASH,
    }
}

/// One node of the n-gram trie: the n-gram spelled by the path to it.
#[derive(Clone, Debug, Default)]
pub(crate) struct Node {
    pub parent: u32,
    pub token: u32,
    /// Tokens (syllables and dashes).
    pub len: u8,
    /// Syllables.
    pub syllables: u8,
    pub freq: u32,
    pub doc_freq: u32,
    pub last_doc: u32,
    /// Occurrences whose first syllable is capitalised mid-sentence.
    pub capital: u32,
    /// Occurrences where every syllable is capitalised mid-sentence.
    pub title: u32,
    /// Occurrences written in capitals (outside headings).
    pub upper: u32,
    /// Occurrences whose first syllable is lowercase.
    pub lower: u32,
    /// Occurrences that end on a word edge of the segmented sentence (all
    /// occurrences start on one): the candidate's own uses, where the
    /// others cut a word ("Thủ đô Viêng" of "Thủ đô Viêng Chăn").
    pub ends: u32,
    /// Occurrences that are exactly one segmented word ("họp báo").
    pub whole: u32,
    /// Occurrences whose first syllable is a function word starting a word
    /// of two or more syllables, where it may start a term ("tỷ lệ").
    pub word_initial: u32,
    /// The pruning epoch when the node was (re)created: the most its
    /// counts can fall short of the truth (see [`Trie::prune`]).
    pub delta: u32,
}

/// The epoch step of a lossy-counting prune: the least `step >= 1` such
/// that at most `target` of the items (given as `count + delta`) stay above
/// `epoch + step`, or the largest step considered (63) if none does.
pub(crate) fn lossy_step(items: impl Iterator<Item = u32>, epoch: u32, target: usize) -> u32 {
    // Histogram of how far each item is above the epoch (capped).
    const CAP: usize = 64;
    let mut above = [0usize; CAP + 1];
    for v in items {
        above[(v.saturating_sub(epoch) as usize).min(CAP)] += 1;
    }
    let mut kept: usize = above[1..].iter().sum();
    let mut step = 0;
    while step < CAP - 1 && (step == 0 || kept > target) {
        step += 1;
        kept -= above[step];
    }
    step as u32
}

/// [`path_hash`] of the root's (empty) path.
pub(crate) const PATH_SEED: u32 = 0x2545_F491;

/// An empty slot of the trie's child table.
const EMPTY: u32 = u32::MAX;

/// The bits of a child-table slot that hold a tag of the node's path hash
/// (its top bits, which never pick the slot of a table of fewer than 2^24
/// slots), when node ids fit in the rest ([`Trie::tag_mask`]).
const TAG_BITS: u32 = 0xFF00_0000;

/// Steps of a walk whose child-table slots are read ahead (the longest
/// walk without dashes).
const WALK_AHEAD: usize = MAX_SYLLABLES + 2;

/// Smallest child table.
const MIN_SLOTS: usize = 1024;

/// The hash of a token path extended by one token (`hash` is the path's
/// hash so far, [`PATH_SEED`] for the empty path): a multiply-xorshift
/// mix whose low bits place a node in the trie's child table.
#[inline]
pub(crate) fn path_hash(hash: u32, token: u32) -> u32 {
    let mut x = hash.rotate_left(11) ^ token.wrapping_mul(0x9E37_79B1);
    x ^= x >> 16;
    x = x.wrapping_mul(0x7FEB_352D);
    x ^= x >> 15;
    x = x.wrapping_mul(0x846C_A68B);
    x ^ (x >> 16)
}

/// Asks the processor to bring `slice[i]` into the cache without waiting
/// for it (x86-64: a prefetch instruction; elsewhere nothing): unlike a
/// load, it does not hold up the instructions after it.
#[inline]
fn prefetch<T>(slice: &[T], i: usize) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        let p = slice[i..].as_ptr().cast();
        // SAFETY: SSE is part of every x86-64 processor, and a prefetch
        // only hints: it reads nothing into the program and cannot fault
        // (the pointer is in bounds anyway).
        unsafe { _mm_prefetch::<_MM_HINT_T0>(p) };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (slice, i);
}

/// The n-gram trie.
pub(crate) struct Trie {
    pub nodes: Vec<Node>,
    /// Children of inner nodes: an open-addressing table (linear
    /// probing, at most half full) of node ids, placed by the hash of the
    /// node's whole token path ([`path_hash`]) and told apart by the
    /// node's own `parent` and `token`. Placing by the path rather than by
    /// `(parent, token)` means a walk knows where every step's slot is
    /// before the previous step's lookup has returned, so the processor
    /// can fetch them at the same time; one `u32` per slot keeps the table
    /// small. The top bits of a slot are a tag of the node's path hash
    /// when the budget lets ids fit in the rest ([`Trie::tag_mask`]), so a
    /// probe passes over nearly every other node of its run without
    /// reading it (a node read is a cache miss; the slots skipped share a
    /// cache line). [`EMPTY`] where there is none.
    slots: Vec<u32>,
    /// [`TAG_BITS`] when slots carry tags, else 0 (a budget of 2^24 nodes
    /// or more).
    tag_mask: u32,
    /// Occupied slots.
    filled: usize,
    /// [`path_hash`] of each node's token path.
    hashes: Vec<u32>,
    /// Children of the root, indexed by token: every counted position
    /// starts there, so the first step of a walk needs no hash lookup.
    /// `u32::MAX` where there is none.
    root_children: Vec<u32>,
    /// Lossy-counting epoch: the most any count can fall short (0 until
    /// the first prune, so small corpora are counted exactly).
    pub epoch: u32,
    /// Prunes so far.
    pub prunes: u32,
    /// Most nodes held: counting prunes to half of it when it is exceeded.
    budget: usize,
}

/// Nodes a walk may add beyond the budget before the prune check.
const WALK_NODES: usize = 4 * MAX_SYLLABLES;

/// Largest budget whose child table carries tags: the trie then never
/// holds more than `budget + WALK_NODES` nodes (it prunes after every walk
/// that takes it past the budget), so ids stay below 2^23, clear of
/// [`TAG_BITS`], and the table below 2^24 slots.
const MAX_TAGGED_BUDGET: usize = (1 << 23) - 2 * WALK_NODES;

impl Trie {
    /// A trie without a memory bound.
    #[cfg(test)]
    pub fn new() -> Trie {
        Trie::with_budget(usize::MAX)
    }

    /// A trie that holds at most about `budget` nodes (see [`Trie::prune`]).
    pub fn with_budget(budget: usize) -> Trie {
        Trie {
            nodes: vec![Node::default()],
            slots: Vec::new(),
            filled: 0,
            hashes: vec![PATH_SEED],
            root_children: Vec::new(),
            epoch: 0,
            prunes: 0,
            budget,
            tag_mask: if budget < MAX_TAGGED_BUDGET { TAG_BITS } else { 0 },
        }
    }

    /// Bounds memory by lossy counting (Manku & Motwani 2002) on the trie:
    /// raises the epoch by the least step that leaves at most `target`
    /// nodes with `freq + delta` above it, and drops the others. A dropped
    /// n-gram had occurred at most `epoch` times since it was created
    /// (`freq + delta <= epoch`), so when it comes back with `delta =
    /// epoch`, its count is short by at most the epoch; an n-gram more
    /// frequent than the epoch is never lost. A node's `freq + delta` never
    /// exceeds its parent's, so dropping never orphans a kept node; nodes
    /// whose parent is dropped are dropped all the same.
    pub fn prune(&mut self, target: usize) {
        self.epoch += lossy_step(self.nodes[1..].iter().map(|n| n.freq + n.delta), self.epoch, target);
        self.prunes += 1;
        let epoch = self.epoch;
        let mut new_id = vec![u32::MAX; self.nodes.len()];
        new_id[ROOT as usize] = ROOT;
        let mut write = 1;
        for read in 1..self.nodes.len() {
            let n = &self.nodes[read];
            let parent = new_id[n.parent as usize];
            if n.freq + n.delta <= epoch || parent == u32::MAX {
                continue;
            }
            let mut n = n.clone();
            n.parent = parent;
            new_id[read] = write as u32;
            self.nodes[write] = n;
            self.hashes[write] = self.hashes[read];
            write += 1;
        }
        self.nodes.truncate(write);
        self.hashes.truncate(write);
        self.slots.iter_mut().for_each(|c| *c = EMPTY);
        self.filled = 0;
        self.root_children.iter_mut().for_each(|c| *c = u32::MAX);
        for id in 1..self.nodes.len() as u32 {
            let n = &self.nodes[id as usize];
            if n.parent == ROOT {
                self.root_children[n.token as usize] = id;
            } else {
                self.place(id);
            }
        }
    }

    /// Puts an inner node into the child table (which has room).
    fn place(&mut self, id: u32) {
        let hash = self.hashes[id as usize];
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        while self.slots[i] != EMPTY {
            i = (i + 1) & mask;
        }
        self.slots[i] = self.slot_of(hash, id);
        self.filled += 1;
    }

    /// What the child table holds for node `id` with path hash `hash`.
    #[inline]
    fn slot_of(&self, hash: u32, id: u32) -> u32 {
        hash & self.tag_mask | id
    }

    /// Doubles the child table (at least [`MIN_SLOTS`]) and places its
    /// nodes again.
    fn grow(&mut self) {
        let len = (self.slots.len() * 2).max(MIN_SLOTS);
        let old = std::mem::replace(&mut self.slots, vec![EMPTY; len]);
        self.filled = 0;
        for slot in old.into_iter().filter(|&c| c != EMPTY) {
            self.place(slot & !self.tag_mask);
        }
    }

    /// The child table's slot of `(parent, token)`, whose path hash is
    /// `hash`: `Ok` with the child, or `Err` with the empty slot where it
    /// would go.
    #[inline]
    fn probe(&self, hash: u32, parent: u32, token: u32) -> std::result::Result<u32, usize> {
        if self.slots.is_empty() {
            return Err(0);
        }
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        loop {
            let s = self.slots[i];
            if s == EMPTY {
                return Err(i);
            }
            if s & self.tag_mask == hash & self.tag_mask {
                let c = s & !self.tag_mask;
                let n = &self.nodes[c as usize];
                if n.parent == parent && n.token == token {
                    return Ok(c);
                }
            }
            i = (i + 1) & mask;
        }
    }

    pub fn child(&self, parent: u32, token: u32) -> Option<u32> {
        if parent == ROOT {
            return self.child_hashed(parent, token, 0);
        }
        self.child_hashed(parent, token, path_hash(self.hashes[parent as usize], token))
    }

    /// [`Trie::child`] for a caller that walks from the root and keeps
    /// the path hash (`hash`: [`path_hash`] of the parent's hash and
    /// `token`; [`PATH_SEED`] is the root's), so that no hash is read back.
    pub fn child_hashed(&self, parent: u32, token: u32, hash: u32) -> Option<u32> {
        if parent == ROOT {
            return self.root_children.get(token as usize).copied().filter(|&c| c != u32::MAX);
        }
        self.probe(hash, parent, token).ok()
    }

    /// Reads the child-table slot of each step of the walk over `items`
    /// (up to the longest walk), all at once: the reads do not wait on
    /// each other, so the slots are in the cache when the walk, which
    /// must go step by step, gets there. The path hashes of those steps
    /// go to `hashes`, for the walk; returns how many.
    #[inline]
    fn touch_walk(&self, items: &[Item], hashes: &mut [u32; WALK_AHEAD]) -> usize {
        let mut hash = PATH_SEED;
        let n = items.len().min(WALK_AHEAD);
        for (k, item) in items[..n].iter().enumerate() {
            hash = path_hash(hash, item_id(item));
            hashes[k] = hash;
            if k > 0 && !self.slots.is_empty() {
                prefetch(&self.slots, hash as usize & (self.slots.len() - 1));
            }
        }
        n
    }

    /// The child of `parent` by `token`, added if missing; `hash` is its
    /// path hash (`path_hash(hash of parent, token)`).
    #[inline]
    fn child_or_insert(&mut self, parent: u32, token: u32, syllable: bool, hash: u32) -> u32 {
        let mut slot = 0;
        if parent == ROOT {
            if let Some(&n) = self.root_children.get(token as usize).filter(|&&c| c != u32::MAX) {
                return n;
            }
        } else {
            if (self.filled + 1) * 2 > self.slots.len() {
                self.grow();
            }
            match self.probe(hash, parent, token) {
                Ok(n) => return n,
                Err(i) => slot = i,
            }
        }
        let id = self.nodes.len() as u32;
        debug_assert_eq!(id & self.tag_mask, 0, "node ids stay clear of the tag");
        let p = &self.nodes[parent as usize];
        let node = Node {
            parent,
            token,
            len: p.len + 1,
            syllables: p.syllables + u8::from(syllable),
            delta: self.epoch,
            ..Node::default()
        };
        if self.nodes.len() == self.nodes.capacity() {
            // Doubling, but never past the budget's worth: a full trie
            // then holds no more memory than it needs.
            let limit = self.budget.saturating_add(WALK_NODES);
            let wanted = (self.nodes.len() * 2).min(limit).max(self.nodes.len() + 1);
            self.nodes.reserve_exact(wanted - self.nodes.len());
            self.hashes.reserve_exact(wanted - self.hashes.len());
        }
        self.nodes.push(node);
        self.hashes.push(hash);
        if parent == ROOT {
            if self.root_children.len() <= token as usize {
                self.root_children.resize(token as usize + 1, u32::MAX);
            }
            self.root_children[token as usize] = id;
        } else {
            self.slots[slot] = self.slot_of(hash, id);
            self.filled += 1;
        }
        id
    }

    /// The node of a token sequence, if it was counted.
    pub fn find(&self, tokens: &[u32]) -> Option<u32> {
        tokens.iter().try_fold(ROOT, |n, &t| self.child(n, t))
    }

    /// The tokens of a node, first to last.
    pub fn tokens(&self, node: u32) -> Vec<u32> {
        let mut out = Vec::with_capacity(self.nodes[node as usize].len as usize);
        self.tokens_into(node, &mut out);
        out
    }

    /// [`Trie::tokens`] into a vector the caller keeps (cleared first).
    pub fn tokens_into(&self, mut node: u32, out: &mut Vec<u32>) {
        out.clear();
        while node != ROOT {
            out.push(self.nodes[node as usize].token);
            node = self.nodes[node as usize].parent;
        }
        out.reverse();
    }

    /// Counts every n-gram of a sentence that may start a term.
    pub fn count_sentence(&mut self, vocab: &mut Vocabulary, sentence: &ScannedSentence, doc: u32) {
        let items = &sentence.items;
        for item in items {
            if let Item::Word { id, .. } = item {
                vocab.counts[*id as usize] += 1;
                vocab.total += 1;
            }
        }
        for run in runs(items) {
            for i in run.clone() {
                let Item::Word { id: first, flags: first_flags, .. } = items[i] else { continue };
                // An n-gram starts on a word edge; a function syllable that
                // starts a longer word ("tỷ lệ") is no function word there.
                let t = vocab.traits(first);
                let in_word = !first_flags.word_end && t & traits::FUNCTION != 0;
                let may_start = traits::START_OK | traits::QUANTIFIER | traits::CLASSIFIER;
                if !first_flags.word_start || t & may_start == 0 && !in_word {
                    continue;
                }
                let mut hashes = [0; WALK_AHEAD];
                let ahead = self.touch_walk(&items[i..run.end], &mut hashes);
                let mut first_word = true;
                let case_known = !sentence.shouting && !first_flags.initial;
                let mut node = ROOT;
                let mut hash = PATH_SEED;
                let mut title = true;
                let mut upper = true;
                let mut function_words = 0;
                // Syllables of `node` (its `syllables` field), kept here so
                // that the walk does not wait on the node's memory.
                let mut syllables = 0;
                for (k, item) in items[i..run.end].iter().enumerate() {
                    let (token, is_word, edges) = match item {
                        Item::Word { id, flags, .. } => {
                            title &= flags.capital;
                            upper &= flags.upper;
                            (*id, true, (flags.word_start, flags.word_end))
                        }
                        _ => (DASH, false, (false, false)),
                    };
                    // One syllable beyond the longest candidate, so that an
                    // 8-syllable phrase still sees its extensions; and one
                    // function word beyond the first, so that a phrase with
                    // one inside still sees its extensions, while the
                    // clauses beyond (never candidates) are not counted.
                    if is_word && syllables > MAX_SYLLABLES || function_words >= MAX_FUNCTION_WORDS {
                        break;
                    }
                    // A function syllable inside a longer word ("tỷ lệ") is
                    // part of that word.
                    if is_word && edges == (true, true) && vocab.traits(token) & traits::FUNCTION != 0 {
                        function_words += 1;
                    }
                    hash = if k < ahead { hashes[k] } else { path_hash(hash, token) };
                    node = self.child_or_insert(node, token, is_word, hash);
                    syllables += usize::from(is_word);
                    let n = &mut self.nodes[node as usize];
                    n.freq += 1;
                    if n.last_doc != doc + 1 {
                        n.last_doc = doc + 1;
                        n.doc_freq += 1;
                    }
                    if case_known {
                        n.capital += u32::from(first_flags.capital);
                        n.title += u32::from(title);
                    }
                    if !sentence.shouting {
                        n.upper += u32::from(upper);
                    }
                    n.lower += u32::from(!first_flags.capital);
                    n.word_initial += u32::from(in_word);
                    if edges.1 {
                        n.ends += 1;
                        n.whole += u32::from(first_word);
                    }
                    first_word &= !edges.1 && is_word;
                }
                // Checked per position, so that one huge sentence cannot
                // grow the trie past its budget either.
                if self.nodes.len() > self.budget {
                    self.prune(self.budget / 2);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn foreign_words() {
        let cases = [
            ("Thongloun", true),
            ("Sisoulith", true),
            ("Khamphao", true),
            ("Vientiane", true),
            ("ASEAN", true),
            ("Lào", false),
            ("nghị", false),
            ("Nguyễn", false),
            ("khuỷu", false),
            ("Zürich", true),
            // Consonants no Vietnamese syllable has at its edges.
            ("Trump", true),
            ("York", true),
            ("Bob", true),
            ("Clinton", true),
            // Every shape of Vietnamese syllable stays Vietnamese.
            ("gì", false),
            ("quốc", false),
            ("nghiêng", false),
            ("Đảng", false),
            ("oái", false),
            ("xoong", false),
            ("khuya", false),
            ("Viêng", false),
            ("ạ", false),
            ("ðó", false),
            ("XIV", false),
        ];
        for (word, foreign) in cases {
            assert_eq!(is_foreign(word), foreign, "{word}");
        }
    }

    #[test]
    fn function_words_are_normalised_keys() {
        let lists = FUNCTION_WORDS.iter().chain(NOT_FINAL).chain(NOT_INITIAL).chain(QUANTIFIERS);
        let phrases = GENERAL_WORDS.iter().chain(NOT_INITIAL_PHRASES).chain(EDGE_PHRASES).chain(TITLES);
        for w in lists.chain(phrases).chain(SURNAMES).chain(EVENT_CLASSIFIERS) {
            assert_eq!(text::normalized_key(w), *w, "{w} must be written as its key");
        }
        for content in ["cấp", "bên", "nhà", "đánh", "giá", "nước", "hợp", "tác"] {
            assert!(!FUNCTION_WORDS.contains(&content), "{content} is a content word");
        }
    }

    /// Counts the n-grams of `text` and returns the frequency of `phrase`.
    fn freq(text: &str, phrase: &str) -> u32 {
        word_counts(text, phrase).0
    }

    /// Counts the n-grams of `text` and returns (occurrences, occurrences
    /// ending on a word edge, occurrences that are one word) of `phrase`.
    fn word_counts(text: &str, phrase: &str) -> (u32, u32, u32) {
        let mut vocab = Vocabulary::new();
        let mut trie = Trie::new();
        let sentences = sentence_spans(text, std::slice::from_ref(&(0..text.len())));
        scan(&mut vocab, text, &sentences, WordEdges::Segment(&mut TokenRecord::default()), |s, v| {
            trie.count_sentence(v, s, 0);
        });
        let ids: Option<Vec<u32>> = crate::text::tokenize(phrase)
            .iter()
            .map(|t| if t.text == "-" { Some(DASH) } else { vocab.lookup_key(&text::normalized_key(t.text)) })
            .collect();
        ids.and_then(|ids| trie.find(&ids)).map_or((0, 0, 0), |n| {
            let n = &trie.nodes[n as usize];
            (n.freq, n.ends, n.whole)
        })
    }

    /// N-grams start on word edges of the segmented sentence, and their own
    /// uses end on one: a name is not cut, a word's syllable starts nothing,
    /// and a function syllable inside a word does not break the run.
    #[test]
    fn ngrams_follow_word_edges() {
        let text = "Đoàn đến Thủ đô Viêng Chăn. Thủ đô Viêng Chăn đón đoàn. \
                    Tỷ lệ tiêm chủng tăng nhanh, tỷ lệ tiêm chủng cao. Hai bên tổ chức họp báo chung.";
        // (phrase, occurrences from a word start, ending on a word edge, one word)
        let cases = [
            ("Thủ đô Viêng", (2, 0, 0)), // cuts the name
            ("Thủ đô Viêng Chăn", (2, 2, 0)),
            ("Viêng Chăn", (2, 2, 2)),
            ("đô Viêng Chăn", (0, 0, 0)), // starts inside "Thủ đô"
            ("tỷ lệ tiêm chủng", (2, 2, 0)),
            ("lệ tiêm chủng", (0, 0, 0)),
            ("họp báo", (1, 1, 1)),
            ("báo chung", (0, 0, 0)),
        ];
        let got: Vec<(&str, (u32, u32, u32))> = cases.iter().map(|&(p, _)| (p, word_counts(text, p))).collect();
        assert_eq!(got, cases);
    }

    #[test]
    fn lossy_steps() {
        // (count + delta of the items, epoch, target, expected step)
        let cases: &[(&[u32], u32, usize, u32)] = &[
            (&[1, 1, 1, 5], 0, 2, 1),    // the singletons go
            (&[1, 2, 2, 3, 9], 0, 1, 3), // raise until one is left
            (&[4, 4, 5], 3, 10, 1),      // always at least one step
            (&[3, 3], 2, 0, 1),          // everything may go
            (&[200, 200], 0, 1, 63),     // capped
        ];
        for &(items, epoch, target, step) in cases {
            assert_eq!(lossy_step(items.iter().copied(), epoch, target), step, "{items:?} {epoch} {target}");
        }
    }

    /// Lossy counting keeps a frequent phrase among many rare n-grams,
    /// within its error bound, and holds the trie to its budget.
    #[test]
    fn pruning_bounds_memory_and_error() {
        let filler = [
            "mưa",
            "nắng",
            "sông",
            "núi",
            "đồng",
            "lúa",
            "cá",
            "chim",
            "hoa",
            "lá",
            "gió",
            "mây",
            "biển",
            "đảo",
            "rừng",
            "đường",
            "phố",
            "chợ",
            "làng",
            "xóm",
            "cầu",
            "đò",
            "thuyền",
            "xe",
            "tàu",
            "bàn",
            "ghế",
            "sách",
            "vở",
            "bút",
        ];
        let mut x: u64 = 7;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            filler[(x % filler.len() as u64) as usize]
        };
        let mut text = String::new();
        for i in 0..600 {
            let words: Vec<&str> = (0..10).map(|_| next()).collect();
            text.push_str(&words.join(" "));
            if i % 10 == 0 {
                text.push_str(" hợp tác toàn diện");
            }
            text.push_str(".\n");
        }
        let budget = 4_000;
        let mut vocab = Vocabulary::new();
        let mut trie = Trie::with_budget(budget);
        let mut peak = 0;
        // One sentence (a line without a full stop would do): the bound
        // holds inside a sentence too.
        let text = text.replace(".\n", " ");
        let sentences = sentence_spans(&text, std::slice::from_ref(&(0..text.len())));
        assert_eq!(sentences.len(), 1);
        scan(&mut vocab, &text, &sentences, WordEdges::Segment(&mut TokenRecord::default()), |s, v| {
            trie.count_sentence(v, s, 0);
            peak = peak.max(trie.nodes.len());
        });
        assert!(trie.prunes > 0 && trie.epoch > 0, "the filler exceeds the budget");
        assert!(peak <= budget, "the trie stays within its budget: {peak}");
        let ids: Vec<u32> =
            ["hợp", "tác", "toàn", "diện"].iter().map(|w| vocab.lookup_key(w).expect("counted")).collect();
        let node = trie.find(&ids).expect("a phrase seen 60 times survives pruning");
        let n = &trie.nodes[node as usize];
        assert!(n.freq <= 60 && n.freq + trie.epoch >= 60, "freq {} epoch {}", n.freq, trie.epoch);
        // Every kept node is reachable from its parent (no orphans).
        for (id, n) in trie.nodes.iter().enumerate().skip(1) {
            assert_eq!(trie.child(n.parent, n.token), Some(id as u32));
            assert!((n.parent as usize) < id);
        }
    }

    /// A trie whose child table carries hash tags (a budget below
    /// [`MAX_TAGGED_BUDGET`]) counts exactly as one without (an unbounded
    /// budget): same nodes in the same order, same counts, same lookups.
    #[test]
    fn tagged_child_table_counts_as_untagged() {
        let text = "Hai bên nhất trí tăng cường hợp tác toàn diện, thúc đẩy quan hệ đối tác chiến lược. \
                    Bộ trưởng Ngoại giao hai nước ký kết thỏa thuận về hành lang kinh tế - xã hội. "
            .repeat(30);
        let count = |mut trie: Trie| {
            let mut vocab = Vocabulary::new();
            let sentences = sentence_spans(&text, std::slice::from_ref(&(0..text.len())));
            scan(&mut vocab, &text, &sentences, WordEdges::Segment(&mut TokenRecord::default()), |s, v| {
                trie.count_sentence(v, s, 0);
            });
            trie
        };
        let (tagged, plain) = (count(Trie::with_budget(1 << 20)), count(Trie::new()));
        assert_eq!((tagged.tag_mask, plain.tag_mask), (TAG_BITS, 0));
        assert!(tagged.nodes.len() > 100, "{}", tagged.nodes.len());
        let key = |n: &Node| (n.parent, n.token, n.freq, n.ends, n.whole, n.capital);
        assert!(tagged.nodes.iter().map(key).eq(plain.nodes.iter().map(key)));
        for (id, n) in tagged.nodes.iter().enumerate().skip(1) {
            assert_eq!(tagged.child(n.parent, n.token), Some(id as u32));
            assert_eq!(plain.child(n.parent, n.token), Some(id as u32));
        }
    }

    /// The packed key of a short string is its bytes and its length, as
    /// a copy into a 16-byte buffer would give.
    #[test]
    fn packed_keys_are_bytes_and_length() {
        let words =
            ["", "a", "và", "Hà", "ở", "Nội", "Việt", "nước", "Nguyễn", "hoà", "COVID", "Quốc", "thưởng", "Thongloun"];
        let longer = ["nghiêng", "Sisoulith", "abcdefghijklmno", "ẠẸỊỌỤ", "a-b", "Hà Nội"];
        for w in words.iter().chain(&longer) {
            let mut bytes = [0u8; 16];
            bytes[..w.len()].copy_from_slice(w.as_bytes());
            bytes[15] = w.len() as u8;
            assert_eq!(StrMap::<()>::packed(w), Some(u128::from_le_bytes(bytes)), "{w:?}");
        }
        assert_eq!(StrMap::<()>::packed("abcdefghijklmnop"), None);
        // Every length from 0 to 15 bytes.
        let s = "0123456789abcdef";
        for n in 0..=15 {
            let mut bytes = [0u8; 16];
            bytes[..n].copy_from_slice(&s.as_bytes()[..n]);
            bytes[15] = n as u8;
            assert_eq!(StrMap::<()>::packed(&s[..n]), Some(u128::from_le_bytes(bytes)), "{n} bytes");
        }
    }

    /// Keys that differ only in their high half (two ids packed in a
    /// `u64`): the low bits of their hashes, which pick the bucket, must
    /// differ too.
    #[test]
    fn hash_spreads_parent_bits() {
        use std::hash::BuildHasher;
        let build = BuildHasherDefault::<FxHasher>::default();
        let buckets: std::collections::HashSet<u64> =
            (0..4096u64).map(|parent| build.hash_one(parent << 32 | 17) & 0xFFF).collect();
        assert!(buckets.len() > 2_000, "only {} of 4096 buckets used", buckets.len());
    }

    #[test]
    fn ngram_counts() {
        let text = "Hai bên thúc đẩy hợp tác toàn diện. Hợp tác toàn diện, gắn kết chiến lược Việt Nam – Lào. \
                    Quan hệ Việt Nam-Lào 2026 phát triển.";
        let cases = [
            ("hợp tác toàn diện", 2), // case and sentence start do not matter
            ("hợp tác", 2),
            ("Việt Nam - Lào", 2), // dash styles meet
            ("diện gắn kết", 0),   // not across a comma
            ("Lào phát triển", 0), // not across a number
            ("của", 0),            // function words start nothing
            ("bên thúc đẩy", 1),
            ("- Lào", 0),       // a dash starts nothing
            ("Lào quan hệ", 0), // not across sentences
        ];
        for (phrase, expected) in cases {
            assert_eq!(freq(text, phrase), expected, "{phrase}");
        }
    }
}
