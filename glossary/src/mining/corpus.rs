//! Corpus preparation: validation, clean-up and web boilerplate removal,
//! then the scanner that turns kept lines into sentences and token runs.
//!
//! News pages arrive with navigation, photo captions, bylines, metadata
//! headers and blocks of related-article teasers (car prices, horoscopes,
//! football fixtures). Counted as text, they would put "bảng giá xe" next to
//! "hữu nghị vĩ đại". Boilerplate is therefore removed *by line* before any
//! counting; every dropped line is reported with its reason, so a reviewer
//! can check the filter.

use std::collections::HashMap;
use std::ops::Range;

use crate::error::{Error, Result};
use crate::text;

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
    /// The line occurs more than once in the corpus (a headline printed
    /// twice, a teaser title, site navigation shared by several pages).
    Repeated,
    /// A photo caption ("... Ảnh: Thống Nhất - TTXVN").
    Caption,
    /// Everything after a "Đọc thêm" / "Tin liên quan" marker.
    ReadMore,
    /// A related-article teaser: a summary cut off with "..." and its title.
    Teaser,
    /// A byline, a "follow us" line or another short line without a sentence.
    Byline,
}

impl DropReason {
    /// Stable lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            DropReason::Repeated => "repeated",
            DropReason::Caption => "caption",
            DropReason::ReadMore => "read_more",
            DropReason::Teaser => "teaser",
            DropReason::Byline => "byline",
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
        docs.push(PreparedDocument { id, text: cleaned, kept, dropped: Vec::new() });
    }
    remove_boilerplate(&mut docs);
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
        if d.text.chars().any(|c| c.is_control() && !c.is_whitespace()) {
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

/// Byte ranges of the non-empty lines of cleaned text.
fn line_ranges(s: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in s.char_indices().chain(std::iter::once((s.len(), '\n'))) {
        if c == '\n' {
            if i > start {
                out.push(start..i);
            }
            start = i + 1;
        }
    }
    out
}

/// Applies the boilerplate rules to every document (see [`DropReason`]).
fn remove_boilerplate(docs: &mut [PreparedDocument]) {
    // How often each line occurs in the whole corpus (by normalised key).
    // The keys are computed once and reused by the rules below.
    let keys: Vec<Vec<String>> =
        docs.iter().map(|d| d.kept.iter().map(|r| text::normalized_key(&d.text[r.clone()])).collect()).collect();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for k in keys.iter().flatten() {
        *seen.entry(k.as_str()).or_default() += 1;
    }
    for (d, doc_keys) in docs.iter_mut().zip(&keys) {
        let mut kept = Vec::with_capacity(d.kept.len());
        let mut dropped = Vec::new();
        let lines = std::mem::take(&mut d.kept);
        let mut after_marker = false;
        for (n, r) in lines.iter().enumerate() {
            let mut r = r.clone();
            let mut trimmed = false;
            if n == 0 {
                let prefix = metadata_prefix_len(&d.text[r.clone()]);
                r.start += prefix;
                trimmed = prefix > 0;
                if r.is_empty() {
                    continue;
                }
            }
            let line = &d.text[r.clone()];
            let recomputed;
            let key: &str = if trimmed {
                recomputed = text::normalized_key(line);
                &recomputed
            } else {
                &doc_keys[n]
            };
            let words = line.split_whitespace().count();
            let reason = if after_marker {
                Some(DropReason::ReadMore)
            } else if READ_MORE_MARKERS.contains(&key.trim_end_matches([':', '.', '>', ' ']).trim()) {
                after_marker = true;
                Some(DropReason::ReadMore)
            } else if seen.get(key).copied().unwrap_or(0) > 1 && words >= 2 {
                Some(DropReason::Repeated)
            } else if is_caption(line) {
                Some(DropReason::Caption)
            } else if is_truncated(line) {
                // The teaser's title is the line before, if it is not a sentence.
                if let Some(prev) = kept.last() {
                    let prev: &Range<usize> = prev;
                    if !ends_sentence(&d.text[prev.clone()]) {
                        let title = kept.pop().expect("checked");
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
                None => kept.push(r),
            }
        }
        d.kept = kept;
        dropped.sort_by_key(|(r, _)| r.start);
        d.dropped = dropped;
    }
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
    let lower = line.to_lowercase();
    lower.contains("ảnh:") || lower.contains("(ảnh") || lower.contains("ảnh minh họa") || lower.contains("ảnh minh hoạ")
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
    fn lines_shared_by_documents_are_dropped() {
        let docs = prepare(&[
            doc("Chuyên mục Thời sự Quốc tế\nHai nước ký hiệp định thương mại."),
            doc("Chuyên mục Thời sự Quốc tế\nThủ tướng tiếp Đại sứ."),
        ])
        .unwrap();
        assert_eq!(kept_lines(&docs, 0), vec!["Hai nước ký hiệp định thương mại."]);
        assert_eq!(kept_lines(&docs, 1), vec!["Thủ tướng tiếp Đại sứ."]);
        assert_eq!(docs[1].id, "doc2");
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
