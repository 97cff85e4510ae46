//! Sentence splitting for Vietnamese and English news and diplomatic text.
//!
//! Sentences are the unit of the translation memory and of alignment, so a
//! wrong split produces segments that never match again. The splitter is
//! therefore conservative: it breaks only where the evidence is strong
//! (terminal punctuation, whitespace, then something that can start a
//! sentence) and knows the traps of each language's news text. Like the
//! tokenizer it works on the original text and reports byte offsets.
//!
//! # Rules shared by both languages
//! - Every line break ends a sentence.
//! - A sentence ends after `.`, `!`, `?` or `…` (repeated or combined),
//!   plus the closing quotes and brackets that follow, when whitespace and
//!   then an uppercase letter, a digit, an opening quote or bracket, or a
//!   dash follow. Never before a lowercase word, never inside a number
//!   (`3.5`, `1.000`, `5/2/2026` have no space after the period).
//! - A bare list or heading number (`1.`, `2.3.`, `IV.`, `a.`, `Điều 5.`)
//!   belongs to what follows it: "3. Both sides welcomed it." is one
//!   sentence, and it starts a new one after the previous full stop.
//!
//! # Vietnamese ([`SentenceLang::Vietnamese`])
//! No break after the titles and place abbreviations of [`VI_ABBREVIATIONS`]
//! (`TP. Hồ Chí Minh`, `PGS. TS.`, `Th.S.`), after compounds of them
//! (`PGS.TS.`) or after a capital without tone mark used as an initial
//! (`H. Clinton`, `Q. 1`). Multi-letter Roman numerals end sentences
//! (`Đại hội XIV. Sau đó…`), one-letter interjections too (`Ồ.`).
//!
//! # English ([`SentenceLang::English`])
//! Abbreviations come in three groups:
//! - never a sentence end ([`EN_TITLES`]: `Mr.`, `Dr.`, `Sen.`, `Gov.`,
//!   `Gen.`, `Lt.`, `Col.`, `vs.`, `e.g.` ...);
//! - not a sentence end before a number ([`EN_BEFORE_NUMBERS`]: months such
//!   as `Jan. 6` or `Sept. 30`, `No. 5`, `Art. 3`); before a word they may
//!   end a sentence;
//! - ambiguous ([`EN_AMBIGUOUS`]: `St.`, `Inc.`, `Jr.`, `etc.`, `a.m.`),
//!   like initials (`J. R. R. Tolkien`) and dotted initialisms (`U.S.`,
//!   `U.K.`, `D.C.`): they end a sentence only when the next word is a
//!   common sentence opener (`The`, `He`, `It`, `But` ... see
//!   [`EN_OPENERS`]) or a numbered paragraph (`3. Both sides…`) follows.

use unicode_normalization::UnicodeNormalization;

use super::normalize::{is_invisible, is_line_break};
use crate::model::Lang;

/// Which language's conventions [`split_sentences`] applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SentenceLang {
    /// Vietnamese (also used for languages without rules of their own).
    Vietnamese,
    /// English.
    English,
}

impl SentenceLang {
    /// The rules for a language tag: English for `en` and its variants,
    /// Vietnamese for everything else.
    pub fn of(lang: &Lang) -> SentenceLang {
        if lang.primary().eq_ignore_ascii_case("en") {
            SentenceLang::English
        } else {
            SentenceLang::Vietnamese
        }
    }
}

/// A sentence of the input with its position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence<'a> {
    /// The sentence without surrounding whitespace (or invisible format
    /// characters); always `&input[start..end]`, never empty.
    pub text: &'a str,
    /// Byte offset of the first byte of the sentence in the input.
    pub start: usize,
    /// Byte offset one past the last byte of the sentence in the input.
    pub end: usize,
}

/// Vietnamese abbreviations written with a final period that is *not* the
/// end of a sentence, because they always introduce the word that follows
/// (a name, a place, a number). Matching is case-sensitive, so case
/// variants that occur in practice are listed individually.
///
/// * Places: `TP`/`Tp` (thành phố), `TX`/`Tx` (thị xã), `TT` (thị trấn).
///   Single letters such as `Q.` (quận), `P.` (phường), `H.` (huyện),
///   `X.` (xã) are covered by the initials rule.
/// * Academic and professional titles: `GS` (giáo sư), `PGS` (phó giáo
///   sư), `TS` (tiến sĩ), `TSKH` (tiến sĩ khoa học), `ThS`/`Th.S` (thạc sĩ),
///   `BS` (bác sĩ), `KS` (kỹ sư), `LS` (luật sư). Combinations such as
///   `PGS.TS.` or `GS.TSKH.` are recognised piece by piece.
/// * Doctoral candidates: `NCS` (nghiên cứu sinh).
/// * References: `NXB`/`Nxb` (nhà xuất bản), `tr`/`Tr` (trang, page).
/// * Foreign titles and words common in translated diplomatic news: `Mr`,
///   `Mrs`, `Ms`, `Dr`, `Prof`, `St`, `No`, `vs`/`Vs`.
///
/// `v.v.` (và vân vân, "etc.") and `etc.` are deliberately *not* listed:
/// they close enumerations and frequently end a sentence, and when they do
/// not, the next word is lowercase and no break happens anyway.
pub const VI_ABBREVIATIONS: &[&str] = &[
    "TP", "Tp", "TX", "Tx", "TT", "GS", "PGS", "TS", "TSKH", "ThS", "Th.S", "BS", "KS", "LS", "NCS", "NXB", "Nxb",
    "tr", "Tr", "Mr", "Mrs", "Ms", "Dr", "Prof", "St", "No", "vs", "Vs",
];

/// English abbreviations that never end a sentence: titles before a name,
/// and Latin or comparison words that always continue.
pub const EN_TITLES: &[&str] = &[
    "Mr", "Mrs", "Ms", "Messrs", "Dr", "Prof", "Sen", "Sens", "Rep", "Reps", "Gov", "Govs", "Gen", "Lt", "Col", "Maj",
    "Capt", "Cmdr", "Adm", "Sgt", "Cpl", "Pvt", "Brig", "Rev", "Hon", "Pres", "Amb", "Supt", "Insp", "Det", "Atty",
    "Fr", "Msgr", "Mt", "Ft", "vs", "Vs", "v", "e.g", "i.e", "cf", "viz", "approx",
];

/// English abbreviations that do not end a sentence before a number
/// (`Jan. 6`, `No. 10`, `Art. 5`): months and reference words.
pub const EN_BEFORE_NUMBERS: &[&str] = &[
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "No", "Nos", "no", "Art",
    "art", "Vol", "vol", "Fig", "fig", "p", "pp", "para", "Para", "Sec", "sec", "Ch", "ch", "Ex", "Tel", "tel",
];

/// English abbreviations that may end a sentence: they do when a common
/// sentence opener follows ("… Acme Inc. The deal…").
pub const EN_AMBIGUOUS: &[&str] = &[
    "St", "Ave", "Blvd", "Rd", "Inc", "Corp", "Co", "Ltd", "Bros", "Jr", "Sr", "etc", "al", "Univ", "Dept", "est", "ca",
];

/// Words that commonly open an English sentence; after an ambiguous
/// abbreviation or an initial they mark a sentence end.
pub const EN_OPENERS: &[&str] = &[
    "A",
    "According",
    "After",
    "Also",
    "Although",
    "An",
    "And",
    "As",
    "At",
    "Because",
    "Before",
    "Both",
    "But",
    "By",
    "During",
    "Each",
    "Earlier",
    "For",
    "From",
    "He",
    "Her",
    "Here",
    "His",
    "However",
    "I",
    "If",
    "In",
    "It",
    "Its",
    "Last",
    "Later",
    "Many",
    "Meanwhile",
    "More",
    "Most",
    "My",
    "No",
    "Now",
    "On",
    "One",
    "Our",
    "She",
    "Since",
    "So",
    "Some",
    "Such",
    "That",
    "The",
    "Their",
    "Then",
    "There",
    "These",
    "They",
    "This",
    "Those",
    "Thus",
    "To",
    "Under",
    "We",
    "What",
    "When",
    "Where",
    "While",
    "With",
    "Yet",
    "You",
];

/// Punctuation that ends a sentence.
fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…')
}

/// Closing quotes and brackets that belong to the sentence they follow:
/// `“Đồng ý.” Ông nói` ends after the closing quote.
fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | '”' | '’' | '»' | '›' | ')' | ']' | '}')
}

/// Opening quotes and brackets that may start a sentence.
fn is_opener(c: char) -> bool {
    matches!(c, '"' | '\'' | '“' | '‘' | '„' | '‚' | '«' | '‹' | '(' | '[' | '{')
}

/// Hyphens and dashes; a dash after a sentence end introduces dialogue or
/// a new item.
fn is_dash(c: char) -> bool {
    matches!(c, '-' | '\u{2010}'..='\u{2015}' | '\u{2212}')
}

/// Characters the splitter treats as spacing: whitespace and invisible
/// format characters.
fn is_space(c: char) -> bool {
    c.is_whitespace() || is_invisible(c)
}

/// Whether `c` can begin a new sentence. Lowercase letters cannot: a
/// period followed by a lowercase word is an abbreviation or a typo, not a
/// sentence end.
fn can_start_sentence(c: char) -> bool {
    c.is_uppercase() || c.is_numeric() || is_opener(c) || is_dash(c)
}

/// Splits text into sentences with the rules of `lang` (see the module
/// documentation for the English ones).
///
/// * Every line break ends a sentence: in our corpus lines are headlines,
///   paragraphs or list items.
/// * Within a line, a sentence ends after `.`, `!`, `?` or `…` (repeated or
///   combined, e.g. `?!` or `...`), plus any closing quotes and brackets
///   that follow, when that is followed by whitespace and then an uppercase
///   letter, a digit, an opening quote or bracket, or a dash. The end of
///   the line always ends a sentence.
/// * Never inside numbers: "3.5", "1.000", "5/2/2026" have no whitespace
///   after the period; "2,5" and "10–15%" have no terminator.
/// * Vietnamese: never after a known abbreviation ([`VI_ABBREVIATIONS`], e.g.
///   "TP. Hồ Chí Minh", "PGS.TS. Nguyễn Văn A") or a single capital letter
///   without tone mark used as an initial ("H. Clinton", "J.F. Kennedy",
///   "Q. 1"); one-letter interjections such as "Ồ." do end sentences.
///   Multi-letter Roman numerals are not abbreviations: "Đại hội XIV. Tổng
///   Bí thư…" splits after "XIV.".
/// * Never after a bare list or heading number: "1. Bối cảnh", "II. NHIỆM
///   VỤ", "a. Hợp tác", "Điều 5. Phạm vi áp dụng" stay one segment.
/// * Never when the next visible character is lowercase.
///
/// Sentences are trimmed of surrounding whitespace (and invisible
/// characters) and never empty; `sentence.text == &text[sentence.start..sentence.end]`.
#[must_use]
pub fn split_sentences(text: &str, lang: SentenceLang) -> Vec<Sentence<'_>> {
    let mut sentences = Vec::new();
    let mut line_start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    // Line breaks are ASCII controls or start with byte C2 (U+0085) or E2
    // (U+2028, U+2029): other bytes need no decoding.
    while let Some(k) = bytes[i..].iter().position(|&b| matches!(b, b'\n' | b'\r' | 0x0B | 0x0C | 0xC2 | 0xE2)) {
        i += k;
        let c = text[i..].chars().next().expect("a character starts here");
        if is_line_break(c) {
            split_line(text, line_start, i, lang, &mut sentences);
            line_start = i + c.len_utf8();
        }
        i += c.len_utf8();
    }
    split_line(text, line_start, text.len(), lang, &mut sentences);
    sentences
}

/// [`split_sentences`] of one line (text without line breaks, such as a
/// line of cleaned text), appended to `out`: the same sentences, without
/// looking for line breaks again or allocating a vector per line.
pub(crate) fn split_line_into<'a>(line: &'a str, lang: SentenceLang, out: &mut Vec<Sentence<'a>>) {
    debug_assert!(!line.chars().any(is_line_break), "one line: {line:?}");
    split_line(line, 0, line.len(), lang, out);
}

/// Splits the line `text[line_start..line_end]` and appends its sentences.
fn split_line<'a>(text: &'a str, line_start: usize, line_end: usize, lang: SentenceLang, out: &mut Vec<Sentence<'a>>) {
    let line = &text[line_start..line_end];
    // Positions are byte offsets into `line`, always on character boundaries.
    let char_at = |p: usize| line.get(p..).and_then(|rest| rest.chars().next());

    let mut segment_start = 0;
    let mut i = 0;
    // Terminators are '.', '!', '?' and '…' (bytes E2 80 A6): skip to the
    // next byte that may start one.
    while let Some(k) = line.as_bytes()[i..].iter().position(|&b| matches!(b, b'.' | b'!' | b'?' | 0xE2)) {
        i += k;
        let c = char_at(i).expect("a character starts here");
        if !is_terminator(c) {
            i += c.len_utf8();
            continue;
        }
        let terminator_start = i;
        while let Some(d) = char_at(i).filter(|&d| is_terminator(d)) {
            i += d.len_utf8();
        }
        let terminator_end = i;
        while let Some(d) = char_at(i).filter(|&d| is_closer(d) || is_terminator(d)) {
            i += d.len_utf8();
        }
        let has_closers = i > terminator_end;

        // The candidate end must be followed by spacing, then by something
        // that can start a sentence. The end of the line is handled below.
        if !char_at(i).is_some_and(is_space) {
            continue;
        }
        let mut next = i;
        while let Some(d) = char_at(next).filter(|&d| is_space(d)) {
            next += d.len_utf8();
        }
        let Some(following) = char_at(next) else {
            break;
        };
        if !can_start_sentence(following) {
            i = next;
            continue;
        }
        let cut = i;
        // One period, alone ('.' is one byte).
        let lone_period = terminator_end - terminator_start == 1 && c == '.' && !has_closers;
        if lone_period
            && (is_abbreviation(&line[..terminator_start], &line[next..], lang)
                || is_enumerator(line[segment_start..cut].trim_matches(is_space)))
        {
            i = next;
            continue;
        }

        push_trimmed(text, line_start + segment_start, line_start + cut, out);
        segment_start = cut;
        i = next;
    }
    push_trimmed(text, line_start + segment_start, line_end, out);
}

/// Whether the word right before a period (the end of `before`) is an
/// abbreviation or an initial, so the period does not end the sentence;
/// `after` is the text from the next visible character on.
fn is_abbreviation(before: &str, after: &str, lang: SentenceLang) -> bool {
    let word_start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| !(c.is_alphabetic() || c == '.' || is_combining(c)))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = before[word_start..].trim_start_matches('.');
    if word.is_empty() {
        return false;
    }
    match lang {
        SentenceLang::Vietnamese => {
            VI_ABBREVIATIONS.contains(&word)
                // Compound titles ("PGS.TS") and chains of initials ("J.F").
                || word.split('.').all(|piece| VI_ABBREVIATIONS.contains(&piece) || is_initial(piece))
        }
        SentenceLang::English => english_abbreviation(word, after),
    }
}

/// The English rules for the word before a period (see the module docs).
fn english_abbreviation(word: &str, after: &str) -> bool {
    if EN_TITLES.contains(&word) {
        return true;
    }
    let next_is_digit = after.starts_with(|c: char| c.is_ascii_digit());
    if EN_BEFORE_NUMBERS.contains(&word) && next_is_digit {
        return true;
    }
    // Initials ("J."), dotted initialisms ("U.S", "a.m", "Ph.D") and the
    // ambiguous abbreviations continue unless a sentence plainly starts.
    let initialism = if word.contains('.') {
        word.split('.').all(|piece| (1..=2).contains(&piece.chars().count()))
    } else {
        word.chars().count() == 1 && word.starts_with(char::is_uppercase)
    };
    if !(initialism || EN_AMBIGUOUS.contains(&word)) {
        return false;
    }
    if next_is_digit {
        // "… the U.S. 3. Both sides…": a numbered paragraph starts.
        return !starts_numbered_paragraph(after);
    }
    let next_word: &str = after.split(|c: char| !c.is_alphabetic()).next().unwrap_or("");
    !EN_OPENERS.contains(&next_word)
}

/// Whether `text` starts with a paragraph number: digits, a period, a space.
fn starts_numbered_paragraph(text: &str) -> bool {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && digits <= 3 && text[digits..].starts_with(". ")
}

/// Labels of the divisions of legal and diplomatic documents, which are
/// written "Điều 5. Phạm vi áp dụng" (article 5, then its title).
const DIVISION_LABELS: &[&str] =
    &["điều", "khoản", "điểm", "mục", "chương", "phần", "article", "chapter", "section", "part"];

/// Whether `segment` (the candidate sentence, ending in a period) is only a
/// list or heading number: "1.", "2.3.", "IV.", "a.", "Điều 5.", "CHƯƠNG
/// II.". Such a marker belongs to the heading or item that follows it; a
/// translation segment "1." on its own would be useless.
fn is_enumerator(segment: &str) -> bool {
    let Some(body) = segment.strip_suffix('.') else {
        return false;
    };
    let number = match body.split_once(char::is_whitespace) {
        Some((label, rest)) => {
            let label: String = label.nfc().collect::<String>().to_lowercase();
            if !DIVISION_LABELS.contains(&label.as_str()) {
                return false;
            }
            rest.trim_matches(is_space)
        }
        None => body,
    };
    let mut chars = number.chars();
    match (chars.next(), chars.next()) {
        (None, _) => false,
        // Item letters are a, b, c, d, đ, …; a single letter with a tone
        // mark is an interjection ("Ồ."), not a marker.
        (Some(c), None) if c.is_ascii_alphabetic() || matches!(c, 'đ' | 'Đ') => true,
        (Some(first), _) => {
            let arabic = first.is_ascii_digit() && number.chars().all(|c| c.is_ascii_digit() || c == '.');
            let roman = number.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | 'L' | 'C' | 'D' | 'M'));
            arabic || roman
        }
    }
}

/// A single uppercase letter, as in the initial "H." of "H. Clinton" or
/// "Đ." of a Vietnamese name.
///
/// Initials are written without tone marks, so a letter carrying one is
/// not an initial: that excludes the one-letter interjections that really
/// do end sentences ("Ồ. Thì ra là vậy.", "Ừ. Được rồi."). Quality marks are
/// fine ("Â.", "Ư.").
fn is_initial(piece: &str) -> bool {
    let mut chars = piece.nfd();
    let Some(first) = chars.next() else {
        return false;
    };
    first.is_uppercase() && chars.all(|c| is_combining(c) && !is_tone_mark(c))
}

/// The five Vietnamese tone marks as combining characters.
fn is_tone_mark(c: char) -> bool {
    matches!(c, '\u{0300}' | '\u{0301}' | '\u{0303}' | '\u{0309}' | '\u{0323}')
}

/// Any combining mark (General_Category=Mark), which belongs to the letter
/// before it.
fn is_combining(c: char) -> bool {
    unicode_normalization::char::is_combining_mark(c)
}

/// Appends `text[start..end]` trimmed of spacing, unless nothing is left.
fn push_trimmed<'a>(text: &'a str, start: usize, end: usize, out: &mut Vec<Sentence<'a>>) {
    let raw = &text[start..end];
    let left_trimmed = raw.trim_start_matches(is_space);
    let trimmed = left_trimmed.trim_end_matches(is_space);
    if trimmed.is_empty() {
        return;
    }
    let start = start + (raw.len() - left_trimmed.len());
    out.push(Sentence { text: trimmed, start, end: start + trimmed.len() });
}
