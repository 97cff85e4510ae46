//! Corpus preparation: validation, clean-up and web boilerplate removal,
//! then the scanner that turns kept lines into sentences and token runs.
//!
//! News pages arrive with navigation, photo captions, bylines, metadata
//! headers and blocks of related-article teasers (car prices, horoscopes,
//! football fixtures). Counted as text, they would put "bảng giá xe" next to
//! "hữu nghị vĩ đại". Boilerplate is therefore removed *by line* before any
//! counting; every dropped line is reported with its reason, so a reviewer
//! can check the filter.

use std::ops::Range;

use crate::error::{Error, Result};
use crate::text;

use super::candidates::{FxHasher, FxMap, StrMap};
use super::Document;

/// Most documents one mining run accepts.
pub const MAX_DOCUMENTS: usize = 10_000;
/// Largest document, in bytes.
pub const MAX_DOCUMENT_BYTES: usize = 8 * 1024 * 1024;
/// Largest corpus, in bytes.
pub const MAX_CORPUS_BYTES: usize = 64 * 1024 * 1024;
/// Longest document id or title, in characters.
pub const MAX_ID_CHARS: usize = 200;

/// Why a line was left out of the counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DropReason {
    /// The line occurs more than once in the corpus and is not a sentence
    /// (a headline printed twice, a teaser title, site navigation shared by
    /// several pages).
    Repeated,
    /// A later copy of a sentence already counted (the same wire text
    /// published by several pages).
    Duplicate,
    /// A photo caption ("... Ảnh: Thống Nhất - TTXVN").
    Caption,
    /// Everything after a "Đọc thêm" / "Tin liên quan" marker.
    ReadMore,
    /// A related-article teaser: a summary cut off with "..." and its title.
    Teaser,
    /// A byline, a "follow us" line or another short line without a sentence.
    Byline,
    /// At the end of a document, one of a block of lines whose words mostly
    /// do not occur in the rest of it (teasers of unrelated articles).
    OffTopic,
}

impl DropReason {
    /// Stable lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            DropReason::Repeated => "repeated",
            DropReason::Duplicate => "duplicate",
            DropReason::Caption => "caption",
            DropReason::ReadMore => "read_more",
            DropReason::Teaser => "teaser",
            DropReason::Byline => "byline",
            DropReason::OffTopic => "off_topic",
        }
    }
}

/// A document ready for counting: its cleaned text and the lines kept.
#[derive(Clone, Debug)]
pub struct PreparedDocument {
    /// Document id (given, or `doc1`, `doc2`, ... in input order).
    pub id: String,
    /// The text after [`text::clean_multiline`]; every offset the miner
    /// reports is a byte offset into this string.
    pub text: String,
    /// Byte ranges of the lines that are counted (metadata prefixes such as
    /// "date 2026-02-06" already cut off).
    pub kept: Vec<Range<usize>>,
    /// Lines left out, with the reason.
    pub dropped: Vec<(Range<usize>, DropReason)>,
    /// Byte ranges of the sentences of the kept lines, in order.
    pub sentences: Vec<Range<usize>>,
}

/// Markers after which a news page only has links to other articles.
const READ_MORE_MARKERS: &[&str] = &[
    "đọc thêm",
    "xem thêm",
    "tin liên quan",
    "bài liên quan",
    "tin cùng chuyên mục",
    "tin khác",
    "tin mới",
    "tin nổi bật",
    "có thể bạn quan tâm",
    "phiên bản di động",
];

/// Fewest words of a repeated line that is counted once as a sentence
/// rather than dropped as boilerplate.
const MIN_SENTENCE_WORDS: usize = 8;

/// Most words of a line that is a "read more" marker.
const MAX_MARKER_WORDS: usize = 6;

fn is_read_more(key: &str) -> bool {
    READ_MORE_MARKERS.contains(&key.trim_end_matches([':', '.', '>', ' ']).trim())
}

/// Validates, cleans and filters the documents of a run.
pub fn prepare(documents: &[Document]) -> Result<Vec<PreparedDocument>> {
    check(documents)?;
    let mut docs = Vec::with_capacity(documents.len());
    for (i, d) in documents.iter().enumerate() {
        let id = match &d.id {
            Some(id) => text::clean(id),
            None => format!("doc{}", i + 1),
        };
        let cleaned = text::clean_multiline(&d.text);
        let kept = line_ranges(&cleaned);
        docs.push(PreparedDocument { id, text: cleaned, kept, dropped: Vec::new(), sentences: Vec::new() });
    }
    remove_boilerplate(&mut docs);
    for d in &mut docs {
        d.sentences = super::candidates::sentence_spans(&d.text, &d.kept);
    }
    Ok(docs)
}

/// Checks the limits on documents without preparing them.
pub fn check(documents: &[Document]) -> Result<()> {
    if documents.is_empty() {
        return Err(Error::invalid("documents", "give at least one document"));
    }
    if documents.len() > MAX_DOCUMENTS {
        return Err(Error::invalid("documents", format!("at most {MAX_DOCUMENTS} documents per run")));
    }
    let total: usize = documents.iter().map(|d| d.text.len()).sum();
    if total > MAX_CORPUS_BYTES {
        return Err(Error::invalid(
            "documents",
            format!("the corpus has {total} bytes; the limit is {MAX_CORPUS_BYTES}"),
        ));
    }
    for (i, d) in documents.iter().enumerate() {
        let field = format!("documents[{i}]");
        if d.text.len() > MAX_DOCUMENT_BYTES {
            return Err(Error::invalid(
                format!("{field}.text"),
                format!("has {} bytes; the limit is {MAX_DOCUMENT_BYTES}", d.text.len()),
            ));
        }
        if has_control(&d.text) {
            return Err(Error::invalid(format!("{field}.text"), "contains control characters (is it a binary file?)"));
        }
        if let Some(id) = &d.id {
            let n = text::clean(id).chars().count();
            if n == 0 || n > MAX_ID_CHARS {
                return Err(Error::invalid(format!("{field}.id"), format!("must be 1-{MAX_ID_CHARS} characters")));
            }
        }
        if d.title.as_ref().is_some_and(|t| t.chars().count() > MAX_ID_CHARS) {
            return Err(Error::invalid(format!("{field}.title"), format!("the limit is {MAX_ID_CHARS} characters")));
        }
    }
    Ok(())
}

/// Whether the text holds a control character that is not whitespace
/// (`char::is_control && !char::is_whitespace`), read from the bytes: the
/// controls are U+0000–U+001F (of which U+0009–U+000D are whitespace),
/// U+007F, and U+0080–U+009F (two bytes from 0xC2; U+0085 is whitespace).
fn has_control(text: &str) -> bool {
    const CHUNK: usize = 32;
    let b = text.as_bytes();
    let control_at = |i: usize| match b[i] {
        0x09..=0x0D => false,
        0x00..=0x1F | 0x7F => true,
        0xC2 => b.get(i + 1).is_some_and(|&n| (0x80..=0x9F).contains(&n) && n != 0x85),
        _ => false,
    };
    // Chunks without a byte that may start a control (nearly all) are
    // passed over with a test the compiler can run on many bytes at once.
    b.chunks(CHUNK).enumerate().any(|(n, chunk)| {
        chunk.iter().fold(false, |seen, &c| seen | (c < 0x20 || c == 0x7F || c == 0xC2))
            && (n * CHUNK..n * CHUNK + chunk.len()).any(control_at)
    })
}

/// Byte ranges of the non-empty lines of cleaned text.
fn line_ranges(s: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    // A newline byte is always a whole character in UTF-8.
    for i in s.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i).chain(std::iter::once(s.len())) {
        if i > start {
            out.push(start..i);
        }
        start = i + 1;
    }
    out
}

/// Line keys for the boilerplate rules, cheaply: a line's key is the
/// [`text::normalized_key`] of each of its space-separated chunks, joined
/// by spaces, and each distinct chunk is normalised once per run (the
/// cache grows with the vocabulary, not with the corpus). For the
/// repeated-line rule only a 64-bit hash of the key is kept per line. Each
/// chunk also knows its topic word (see [`off_topic_tail`]), if any.
#[derive(Default)]
struct LineKeys {
    chunks: StrMap<Chunk>,
    /// Topic words (normalised, punctuation trimmed) and their ids.
    topic_words: FxMap<Box<str>, u32>,
}

struct Chunk {
    key: Box<str>,
    /// FNV-1a hash of `key`, so that a line's hash combines one number per
    /// chunk instead of walking every byte again.
    hash: u64,
    /// Id of the chunk's topic word, or [`NOT_TOPICAL`].
    topic: u32,
}

const NOT_TOPICAL: u32 = u32::MAX;

/// FNV-1a, 64 bits.
const FNV_OFFSET: u64 = 0xCBF2_9CE4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01B3;

/// Distinct chunks kept in the cache; beyond this it starts over (between
/// documents), so a corpus of unique tokens cannot grow it without bound.
const MAX_CACHED_CHUNKS: usize = 1 << 20;

impl LineKeys {
    /// Calls `f` with each chunk of the line, normalised.
    fn each_chunk(&mut self, line: &str, mut f: impl FnMut(&Chunk)) {
        // Split at space bytes (a space is always a whole character in
        // UTF-8), which is cheaper than `str::split`'s character search.
        let bytes = line.as_bytes();
        let mut start = 0;
        while start < bytes.len() {
            let end = bytes[start..].iter().position(|&b| b == b' ').map_or(bytes.len(), |p| start + p);
            let piece = &line[start..end];
            start = end + 1;
            if piece.is_empty() {
                continue;
            }
            match self.chunks.get(piece) {
                Some(chunk) => f(chunk),
                None => {
                    let key = text::normalized_key(piece);
                    let word = key.trim_matches(|c: char| !c.is_alphanumeric());
                    let topical = word.chars().count() >= 2
                        && word.chars().all(char::is_alphabetic)
                        && !super::candidates::FUNCTION_WORDS.contains(&word)
                        && super::refdata::zipf(word) < TOPIC_MAX_ZIPF;
                    let topic = if topical {
                        let next = self.topic_words.len() as u32;
                        *self.topic_words.entry(word.into()).or_insert(next)
                    } else {
                        NOT_TOPICAL
                    };
                    let hash = key.bytes().fold(FNV_OFFSET, |h, b| (h ^ u64::from(b)).wrapping_mul(FNV_PRIME));
                    let chunk = Chunk { key: key.into(), hash, topic };
                    f(&chunk);
                    self.chunks.insert(piece, chunk);
                }
            }
        }
    }

    /// Forgets the cache if it grew too large (call between documents:
    /// topic ids stay valid within one).
    fn trim(&mut self) {
        if self.chunks.len() >= MAX_CACHED_CHUNKS {
            self.chunks.clear();
            self.topic_words.clear();
        }
    }

    fn key(&mut self, line: &str) -> String {
        let mut out = String::with_capacity(line.len());
        self.each_chunk(line, |chunk| {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&chunk.key);
        });
        out
    }

    /// A hash of [`LineKeys::key`] (of its chunks' hashes, in order),
    /// without building the key, and the line's number of words (chunks:
    /// a cleaned line has no whitespace but single spaces); the line's
    /// topic words, in order, repeated as they occur, are appended to
    /// `topics` on the way.
    fn hash(&mut self, line: &str, topics: &mut Vec<u32>) -> (u64, usize) {
        let mut h: u64 = FNV_OFFSET;
        let mut words = 0;
        self.each_chunk(line, |chunk| {
            h = (h.rotate_left(23) ^ chunk.hash).wrapping_mul(0x9E37_79B9_7F4A_7C15);
            words += 1;
            if chunk.topic != NOT_TOPICAL {
                topics.push(chunk.topic);
            }
        });
        (h, words)
    }
}

/// A line, the hash of its key, its number of words, and its topic words
/// (a range of the corpus-wide list).
type HashedLine = (Range<usize>, u64, usize, Range<usize>);

/// Applies the boilerplate rules to every document (see [`DropReason`]).
fn remove_boilerplate(docs: &mut [PreparedDocument]) {
    let mut keys = LineKeys::default();
    // Each line with the hash of its key (metadata prefixes cut off first)
    // and its topic words (as a range of `topics`, see
    // [`off_topic_tail`]), and how often each key occurs in the whole
    // corpus. Topic ids are only compared within a document, and the cache
    // is not trimmed during this loop, so they stay consistent.
    let mut lines_of: Vec<Vec<HashedLine>> = Vec::with_capacity(docs.len());
    let mut topics: Vec<u32> = Vec::new();
    let mut seen: FxMap<u64, u32> = FxMap::default();
    for d in docs.iter_mut() {
        let mut lines = Vec::with_capacity(d.kept.len());
        for (n, r) in std::mem::take(&mut d.kept).into_iter().enumerate() {
            let mut r = r;
            if n == 0 {
                r.start += metadata_prefix_len(&d.text[r.clone()]);
                if r.is_empty() {
                    continue;
                }
            }
            let from = topics.len();
            let (h, words) = keys.hash(&d.text[r.clone()], &mut topics);
            *seen.entry(h).or_default() += 1;
            lines.push((r, h, words, from..topics.len()));
        }
        lines_of.push(lines);
    }
    let mut first_copy: std::collections::HashSet<u64, std::hash::BuildHasherDefault<FxHasher>> = Default::default();
    for (d, lines) in docs.iter_mut().zip(lines_of) {
        let mut kept: Vec<Range<usize>> = Vec::with_capacity(lines.len());
        // The topic words of each kept line.
        let mut kept_topics: Vec<&[u32]> = Vec::with_capacity(lines.len());
        let mut dropped = Vec::new();
        let mut after_marker = false;
        for (r, hash, words, topic_range) in lines {
            let line = &d.text[r.clone()];
            debug_assert_eq!(words, line.split_whitespace().count());
            let reason = if after_marker {
                Some(DropReason::ReadMore)
            } else if words <= MAX_MARKER_WORDS && is_read_more(&keys.key(line)) {
                after_marker = true;
                Some(DropReason::ReadMore)
            } else if seen.get(&hash).copied().unwrap_or(0) > 1 && words >= 2 {
                // A full sentence carried by several pages (wire copy) is
                // counted once; a repeated line that is not a sentence
                // (headline printed twice, teaser title, navigation) not at all.
                if words >= MIN_SENTENCE_WORDS && ends_sentence(line) && first_copy.insert(hash) {
                    None
                } else if first_copy.contains(&hash) {
                    Some(DropReason::Duplicate)
                } else {
                    Some(DropReason::Repeated)
                }
            } else if is_caption(line) {
                Some(DropReason::Caption)
            } else if is_truncated(line) {
                // The teaser's title is the line before, if it is not a sentence.
                if let Some(prev) = kept.last() {
                    let prev: &Range<usize> = prev;
                    if !ends_sentence(&d.text[prev.clone()]) {
                        let title = kept.pop().expect("checked");
                        kept_topics.pop();
                        dropped.push((title, DropReason::Teaser));
                    }
                }
                Some(DropReason::Teaser)
            } else if is_byline(line, words) {
                Some(DropReason::Byline)
            } else {
                None
            };
            match reason {
                Some(why) => dropped.push((r, why)),
                None => {
                    kept.push(r);
                    kept_topics.push(&topics[topic_range]);
                }
            }
        }
        let off_topic = off_topic_tail(&kept_topics);
        keys.trim();
        for r in kept.drain(kept.len() - off_topic..) {
            dropped.push((r, DropReason::OffTopic));
        }
        d.kept = kept;
        dropped.sort_by_key(|(r, _)| r.start);
        d.dropped = dropped;
    }
}

/// Fewest kept lines a document must keep for the off-topic rule to look
/// at its tail (a short text has no body to compare with).
const MIN_BODY_LINES: usize = 5;
/// Share of a tail line's content syllables that must occur in the rest
/// of the document for it to be on topic.
const MIN_TOPIC_OVERLAP: f64 = 0.3;
/// Content syllables a line needs to be judged (shorter lines go with the
/// block they are in).
const MIN_JUDGED_SYLLABLES: usize = 4;
/// Syllables more frequent than this in general Vietnamese (Zipf), and
/// function words, say nothing about the topic.
const TOPIC_MAX_ZIPF: f32 = 6.3;

/// How many lines at the end of `kept` (the topic words of each kept line)
/// are a block of teasers on other topics (car prices, horoscopes, football
/// fixtures) without a "read more" marker or cut-off summaries to give them
/// away: lines, walking back from the end, whose content syllables mostly
/// do not occur in the rest of the document. The block ends at the first line on topic; a block
/// made only of short lines is not dropped.
fn off_topic_tail(kept: &[&[u32]]) -> usize {
    if kept.len() < MIN_BODY_LINES * 2 {
        return 0;
    }
    // Occurrences of each topic word in the document.
    let mut total: FxMap<u32, u32> = FxMap::default();
    for line in kept {
        for &w in *line {
            *total.entry(w).or_default() += 1;
        }
    }
    let mut block = 0;
    let mut judged_off = 0;
    for line in kept.iter().rev() {
        if kept.len() - block <= MIN_BODY_LINES {
            break;
        }
        // The line's topic words with their occurrences in it.
        let mut words = line.to_vec();
        words.sort_unstable();
        let mut counted: Vec<(u32, u32)> = Vec::with_capacity(words.len());
        for w in words {
            match counted.last_mut() {
                Some((last, n)) if *last == w => *n += 1,
                _ => counted.push((w, 1)),
            }
        }
        if counted.len() >= MIN_JUDGED_SYLLABLES {
            // Shared: occurring outside this line and the block after it.
            let shared = counted.iter().filter(|(w, n)| total[w] > *n).count();
            if shared as f64 >= MIN_TOPIC_OVERLAP * counted.len() as f64 {
                break;
            }
            judged_off += 1;
        }
        for (w, n) in counted {
            *total.get_mut(&w).expect("counted above") -= n;
        }
        block += 1;
    }
    // Drop whole block only if some line was judged off topic; trailing
    // short lines before the first on-topic line stay otherwise.
    if judged_off == 0 {
        return 0;
    }
    block
}

/// Length of a leading metadata header such as "date 2026-02-06 " (scraper
/// output), or 0.
fn metadata_prefix_len(line: &str) -> usize {
    let Some(rest) = line.strip_prefix("date ") else { return 0 };
    let date: String = rest.chars().take_while(|c| c.is_ascii_digit() || *c == '-').collect();
    let plausible = date.len() == 10 && date.as_bytes()[4] == b'-' && date.as_bytes()[7] == b'-';
    if !plausible {
        return 0;
    }
    let after = &rest[date.len()..];
    line.len() - after.trim_start().len()
}

/// A photo caption: a line carrying a photo credit.
fn is_caption(line: &str) -> bool {
    // Most lines do not mention a photo at all: look for the word first.
    if !["ảnh", "Ảnh", "ẢNH"].iter().any(|w| line.contains(w)) {
        return false;
    }
    // In lowercase, the line holds "ảnh:", "(ảnh", "ảnh minh họa" or "ảnh
    // minh hoạ". Every such "ả" is an "ả" or "Ả" of the line (no other
    // character lowercases to it), so only the characters around those are
    // lowercased, not the whole line (many lines hold "ảnh hưởng").
    line.char_indices().filter(|&(_, c)| c == 'ả' || c == 'Ả').any(|(i, c)| {
        let after: String = line[i + c.len_utf8()..].chars().take(11).flat_map(char::to_lowercase).collect();
        after.starts_with("nh")
            && (line[..i].ends_with('(')
                || after[2..].starts_with(':')
                || after[2..].starts_with(" minh họa")
                || after[2..].starts_with(" minh hoạ"))
    })
}

/// A summary cut short ("... Đại sứ Lào tại Việt ..."), as related-article
/// blocks print them.
fn is_truncated(line: &str) -> bool {
    let t = line.trim_end();
    t.ends_with("...") || t.ends_with('…')
}

/// Ends like a sentence (so it is body text, not a title).
fn ends_sentence(line: &str) -> bool {
    line.trim_end().ends_with(['.', '!', '?', '"', '”', ')', ';', ':'])
}

/// Short lines that are not sentences: an author's name ("Thành Long"), a
/// "follow us on" line naming a web site.
fn is_byline(line: &str, words: usize) -> bool {
    if words <= 8 && line.split_whitespace().any(is_domain_name) {
        return true;
    }
    let capitalised = line.split_whitespace().all(|w| w.chars().next().is_some_and(char::is_uppercase));
    (2..=4).contains(&words) && capitalised && !ends_sentence(line) && !line.chars().any(|c| c.is_ascii_digit())
}

fn is_domain_name(word: &str) -> bool {
    let w = word.trim_matches(|c: char| !c.is_alphanumeric()).to_ascii_lowercase();
    [".vn", ".com", ".net", ".org", ".gov"].iter().any(|tld| w.ends_with(tld) && w.len() > tld.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Document {
        Document { id: None, title: None, text: text.into() }
    }

    /// The caption test agrees with lowercasing the whole line and
    /// looking for the credit there (in a line that names a photo).
    #[test]
    fn captions_match_the_lowercase_definition() {
        let by_lowercase = |line: &str| {
            if !["ảnh", "Ảnh", "ẢNH"].iter().any(|w| line.contains(w)) {
                return false;
            }
            let lower = line.to_lowercase();
            ["ảnh:", "(ảnh", "ảnh minh họa", "ảnh minh hoạ"].iter().any(|p| lower.contains(p))
        };
        let lines = [
            "Quang cảnh hội đàm. Ảnh: Thống Nhất - TTXVN",
            "Quang cảnh hội đàm (Ảnh: TTXVN)",
            "Quang cảnh hội đàm (ẢNH: TTXVN)",
            "Bộ trưởng phát biểu. ẢNH MINH HỌA",
            "Bộ trưởng phát biểu. Ảnh Minh Hoạ",
            "Bộ trưởng phát biểu. ảnh minh họa: VNA",
            "Ảnh hưởng của dịch bệnh đến kinh tế",
            "Hai nước chịu ảnh hưởng của bão. Ảnh",
            "Hình ảnh đẹp về đất nước (ảnh",
            "ảnh",
            "ảnh minh",
            "ảnh minh hoa",
            "Chụp ảnh :",
            "ẢnH: bạn đọc",
            "ẢnH: bạn đọc, ảnh của tòa soạn",
            "(ẢNh tư liệu)",
            "Ảnh mình họa",
            "Xem ảnh minh họa tại đây",
            "Không có chữ nào như vậy",
        ];
        let mut found = 0;
        for line in lines {
            assert_eq!(is_caption(line), by_lowercase(line), "{line:?}");
            found += usize::from(is_caption(line));
        }
        assert!(found >= 8, "{found}");
    }

    fn kept_lines(docs: &[PreparedDocument], n: usize) -> Vec<&str> {
        docs[n].kept.iter().map(|r| &docs[n].text[r.clone()]).collect()
    }

    #[test]
    fn boilerplate_rules() {
        // (document lines, lines that must be kept, lines that must be dropped with the reason)
        let text = "date 2026-02-06 Hai bên ký kết thỏa thuận hợp tác.\n\
            Thu Hà\n\
            Theo dõi Baotintuc.vn trên\n\
            Bộ trưởng phát biểu tại lễ ký. Ảnh: Minh Đức - TTXVN\n\
            Hai bên nhất trí tăng cường hợp tác kinh tế.\n\
            Giá vàng hôm nay tăng mạnh\n\
            Giá vàng hôm nay tăng mạnh\n\
            Bản tin thời tiết\n\
            Trời nắng nóng kéo dài ở các tỉnh ...\n\
            Đọc thêm\n\
            Lịch thi đấu bóng đá hôm nay.";
        let docs = prepare(&[doc(text)]).unwrap();
        assert_eq!(
            kept_lines(&docs, 0),
            vec!["Hai bên ký kết thỏa thuận hợp tác.", "Hai bên nhất trí tăng cường hợp tác kinh tế."]
        );
        let reasons: Vec<(&str, DropReason)> =
            docs[0].dropped.iter().map(|(r, why)| (&docs[0].text[r.clone()], *why)).collect();
        let expected = [
            ("Thu Hà", DropReason::Byline),
            ("Theo dõi Baotintuc.vn trên", DropReason::Byline),
            ("Bộ trưởng phát biểu tại lễ ký. Ảnh: Minh Đức - TTXVN", DropReason::Caption),
            ("Giá vàng hôm nay tăng mạnh", DropReason::Repeated),
            ("Giá vàng hôm nay tăng mạnh", DropReason::Repeated),
            ("Bản tin thời tiết", DropReason::Teaser),
            ("Trời nắng nóng kéo dài ở các tỉnh ...", DropReason::Teaser),
            ("Đọc thêm", DropReason::ReadMore),
            ("Lịch thi đấu bóng đá hôm nay.", DropReason::ReadMore),
        ];
        assert_eq!(reasons, expected);
    }

    #[test]
    fn lines_shared_by_documents() {
        let wire = "Hai bên nhất trí nâng kim ngạch thương mại song phương lên mức mới.";
        let docs = prepare(&[
            doc(&format!("Chuyên mục Thời sự Quốc tế\nHai nước ký hiệp định thương mại.\n{wire}")),
            doc(&format!("Chuyên mục Thời sự Quốc tế\nThủ tướng tiếp Đại sứ.\n{}", wire.replace("song", "Song"))),
        ])
        .unwrap();
        // Navigation goes everywhere; a sentence carried by both pages is counted once.
        assert_eq!(kept_lines(&docs, 0), vec!["Hai nước ký hiệp định thương mại.", wire]);
        assert_eq!(kept_lines(&docs, 1), vec!["Thủ tướng tiếp Đại sứ."]);
        let reasons: Vec<DropReason> = docs[1].dropped.iter().map(|(_, why)| *why).collect();
        assert_eq!(reasons, vec![DropReason::Repeated, DropReason::Duplicate]);
        assert_eq!(docs[1].id, "doc2");
    }

    /// A diplomatic body written for this test, ten lines.
    const BODY: &[&str] = &[
        "Bộ trưởng Ngoại giao hai nước đã hội đàm tại thủ đô Viêng Chăn.",
        "Hai bộ trưởng đánh giá cao quan hệ hữu nghị truyền thống giữa hai nước.",
        "Hai bên nhất trí tăng cường hợp tác ngoại giao và trao đổi đoàn các cấp.",
        "Bộ trưởng Ngoại giao Việt Nam đề nghị hai nước sớm ký hiệp định về biên giới.",
        "Phía Lào cảm ơn Việt Nam đã hỗ trợ đào tạo cán bộ ngoại giao.",
        "Hai bộ trưởng thống nhất tổ chức kỳ họp ủy ban hợp tác song phương vào tháng sau.",
        "Hai bên nhất trí phối hợp chặt chẽ tại các diễn đàn khu vực và quốc tế.",
        "Bộ trưởng Ngoại giao Lào nhận lời mời thăm chính thức Việt Nam.",
        "Hai nước kỷ niệm quan hệ ngoại giao bằng nhiều hoạt động giao lưu hữu nghị.",
        "Cuộc hội đàm diễn ra trong không khí hữu nghị, tin cậy giữa hai bộ trưởng.",
    ];

    #[test]
    fn off_topic_tail_blocks() {
        let tail = [
            "Lịch thi đấu bóng đá cuối tuần: câu lạc bộ chủ nhà tiếp đội khách trên sân vận động",
            "Giá xe máy điện giảm mạnh trong đợt khuyến mãi đầu năm tại các đại lý",
            "Tử vi cung Bạch Dương tuần này: may mắn về tài lộc và sức khỏe",
        ];
        let text = format!("{}\n{}", BODY.join("\n"), tail.join("\n"));
        let docs = prepare(&[doc(&text)]).unwrap();
        assert_eq!(kept_lines(&docs, 0), BODY.to_vec());
        let off: Vec<&str> = docs[0]
            .dropped
            .iter()
            .filter(|(_, why)| *why == DropReason::OffTopic)
            .map(|(r, _)| &docs[0].text[r.clone()])
            .collect();
        assert_eq!(off, tail.to_vec());

        // A last line on the document's topic, and a short closing line,
        // are kept, and so is everything before them.
        let ending = [
            "Hai bộ trưởng ký biên bản kỳ họp ủy ban hợp tác song phương về biên giới.",
            "Viêng Chăn, ngày 5 tháng 2.",
        ];
        let text = format!("{}\n{}\n{}", BODY.join("\n"), tail[0], ending.join("\n"));
        let docs = prepare(&[doc(&text)]).unwrap();
        assert_eq!(docs[0].kept.len(), BODY.len() + 3, "{:?}", docs[0].dropped);
        // A short text has no body to compare with: nothing is judged.
        let docs = prepare(&[doc(&format!("{}\n{}", BODY[..4].join("\n"), tail.join("\n")))]).unwrap();
        assert_eq!(docs[0].kept.len(), 7);
    }

    #[test]
    fn metadata_prefixes() {
        let cases = [
            ("date 2026-02-06 (TBTCO) - Tổng Bí thư", "(TBTCO) - Tổng Bí thư"),
            ("date 2026-02-06", ""),
            ("date of signing", "date of signing"),
            ("Hai bên", "Hai bên"),
        ];
        for (line, rest) in cases {
            assert_eq!(&line[metadata_prefix_len(line)..], rest, "{line}");
        }
    }

    #[test]
    fn control_characters() {
        let samples = [
            "plain",
            "tab\tand\r\nlines",
            "a\u{0}b",
            "a\u{1f}b",
            "a\u{7f}b",
            "a\u{80}b",
            "a\u{85}b",
            "a\u{9f}b",
            "a\u{a0}b",
            "Việt Nam\u{2028}",
            "\u{c2}\u{bf}",
            "x\u{b}\u{c}",
        ];
        // The same around the edges of the 32-byte chunks the scan reads
        // (a two-byte control split across two chunks, too).
        let long: Vec<String> = (29..=35)
            .flat_map(|n| {
                ["\u{1}", "\u{80}", "\u{85}", "\u{9f}", "\u{a0}", "ệ", "\u{7f}"].map(|c| "a".repeat(n) + c + "b")
            })
            .collect();
        for s in samples.iter().copied().chain(long.iter().map(String::as_str)) {
            assert_eq!(has_control(s), s.chars().any(|c| c.is_control() && !c.is_whitespace()), "{s:?}");
        }
        assert!(has_control("a\u{1}") && !has_control("Hợp tác toàn diện\n"));
        assert!(has_control(&("a".repeat(31) + "\u{80}")) && !has_control(&("a".repeat(31) + "\u{85}")));
    }

    #[test]
    fn invalid_corpora() {
        let cases: Vec<(Vec<Document>, &str)> = vec![
            (vec![], "at least one document"),
            (vec![doc("a\u{0}b")], "control characters"),
            (vec![Document { id: Some(" ".into()), title: None, text: "x".into() }], "documents[0].id"),
        ];
        for (docs, expected) in cases {
            let err = prepare(&docs).unwrap_err().to_string();
            assert!(err.contains(expected), "{err} should mention {expected}");
        }
    }
}
