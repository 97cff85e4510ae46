//! Lexical anchors: the things a translation keeps, so that a sentence and
//! its translation share them — numbers, dates, names, glossary terms and
//! some punctuation.
//!
//! Each sentence becomes a small multiset of anchor *items* (interned
//! strings such as `2.5`, `15%`, `5/2`, `asean`, a lexicon entry id, `?`).
//! Items are normalised so that both languages produce the same string:
//! Vietnamese "2,5" and English "2.5" are `2.5`; "1.000" and "1,000" are
//! `1000`; "5/2/2026", "ngày 5 tháng 2 năm 2026" and "5 February 2026" all
//! give the date `5/2` plus the number `2026`.

use std::collections::HashMap;

use super::lexicon::AnchorLexicon;
use crate::model::Lang;
use crate::text::{self, Token, TokenKind};

/// The kinds of anchors, with different weights.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AnchorKind {
    /// A number other than a small count: `2.5`, `1000`, `2026`, `15%`.
    Number,
    /// An integer from 0 to 10, often written as a word on the other side
    /// ("hai nước" / "the two countries"), so missing it proves little.
    Count,
    /// A day and month (`5/2`) or a month alone (`m2`).
    Date,
    /// A capitalised word or acronym found on both sides (after folding):
    /// "Thongloun", "ASEAN", "Lào" = "Lao".
    Name,
    /// A glossary term on the source side and one of its equivalents on the
    /// target side.
    Term,
    /// `?`, `!`, a parenthesis or a quotation.
    Punct,
    /// A Vietnamese word and an English word that the first pass showed to
    /// translate each other in this document pair (see `learned.rs`).
    Word,
}

impl AnchorKind {
    /// A short label used in reports ("number", "name", ...).
    pub fn as_str(self) -> &'static str {
        match self {
            AnchorKind::Number => "number",
            AnchorKind::Count => "count",
            AnchorKind::Date => "date",
            AnchorKind::Name => "name",
            AnchorKind::Term => "term",
            AnchorKind::Punct => "punct",
            AnchorKind::Word => "word",
        }
    }

    /// Evidence per shared item, before the specificity factor.
    pub(crate) fn match_weight(self) -> f64 {
        match self {
            AnchorKind::Number | AnchorKind::Date => 1.0,
            AnchorKind::Count | AnchorKind::Punct => 0.5,
            AnchorKind::Name => 0.7,
            AnchorKind::Term => 0.6,
            AnchorKind::Word => 0.5,
        }
    }

    /// Evidence *against* a bead per item present on one side only (source
    /// side, target side). Names and target-side terms cost nothing: English
    /// capitalises titles Vietnamese does not, and one English phrase can
    /// render several glossary concepts.
    pub(crate) fn miss_penalty(self) -> (f64, f64) {
        match self {
            AnchorKind::Number | AnchorKind::Date => (2.0, 2.0),
            AnchorKind::Term => (0.3, 0.0),
            AnchorKind::Punct | AnchorKind::Word => (0.3, 0.3),
            AnchorKind::Count | AnchorKind::Name => (0.0, 0.0),
        }
    }
}

/// Interned anchor items of one alignment run; ids are shared by both
/// documents, so equal ids mean equal items.
#[derive(Debug, Default)]
pub(crate) struct Interner {
    ids: HashMap<(AnchorKind, String), u32>,
    pub items: Vec<(AnchorKind, String)>,
}

impl Interner {
    pub fn id(&mut self, kind: AnchorKind, key: String) -> u32 {
        let next = self.items.len() as u32;
        *self.ids.entry((kind, key.clone())).or_insert_with(|| {
            self.items.push((kind, key));
            next
        })
    }
}

/// Anchor items of one sentence: `(item id, count)` sorted by id.
pub(crate) type ItemCounts = Vec<(u32, u16)>;

/// Which side of the lexicon a document is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Side {
    Source,
    Target,
}

/// Language conventions the extractor needs.
#[derive(Clone, Copy, Debug)]
pub(crate) struct LangRules {
    /// `,` is the decimal separator and `.` groups thousands.
    pub decimal_comma: bool,
    /// Vietnamese date words (ngày, tháng, năm) and "phần trăm".
    pub vietnamese: bool,
    /// English month names and "per cent".
    pub english: bool,
}

impl LangRules {
    pub fn for_lang(lang: &Lang) -> LangRules {
        let p = lang.primary();
        LangRules {
            // Languages that write decimals with a comma (the common ones in
            // our users' documents); everything else defaults to a point.
            decimal_comma: matches!(
                p,
                "vi" | "fr" | "de" | "es" | "it" | "pt" | "ru" | "id" | "nl" | "pl" | "cs" | "tr" | "uk" | "ro"
            ),
            vietnamese: p == "vi",
            english: p == "en",
        }
    }
}

/// Extracts the anchor items of one sentence.
pub(crate) fn extract(
    sentence: &str,
    rules: LangRules,
    side: Side,
    lexicon: &AnchorLexicon,
    interner: &mut Interner,
) -> ItemCounts {
    let tokens = text::tokenize(sentence);
    let keys: Vec<String> = tokens.iter().map(|t| text::folded_key(t.text)).collect();
    let mut items: Vec<u32> = Vec::new();

    // Glossary terms.
    let hits = match side {
        Side::Source => lexicon.find_source(&keys),
        Side::Target => lexicon.find_target(&keys),
    };
    for hit in hits {
        for e in hit.entries {
            items.push(interner.id(AnchorKind::Term, e.to_string()));
        }
    }

    numbers_and_dates(&tokens, &keys, rules, interner, &mut items);
    names(&tokens, &keys, interner, &mut items);
    punctuation(sentence, interner, &mut items);

    items.sort_unstable();
    let mut counts: ItemCounts = Vec::with_capacity(items.len());
    for id in items {
        match counts.last_mut() {
            Some((last, n)) if *last == id => *n = n.saturating_add(1),
            _ => counts.push((id, 1)),
        }
    }
    counts
}

/// English month names (and common abbreviations) → month number.
fn english_month(word: &str) -> Option<u32> {
    let m = match word {
        "january" | "jan" => 1,
        "february" | "feb" => 2,
        "march" | "mar" => 3,
        "april" | "apr" => 4,
        "may" => 5,
        "june" | "jun" => 6,
        "july" | "jul" => 7,
        "august" | "aug" => 8,
        "september" | "sep" | "sept" => 9,
        "october" | "oct" => 10,
        "november" | "nov" => 11,
        "december" | "dec" => 12,
        _ => return None,
    };
    Some(m)
}

/// A plain integer token ("5", "12"), without separators.
fn small_int(t: &Token<'_>) -> Option<u32> {
    if t.kind != TokenKind::Number || !t.text.bytes().all(|b| b.is_ascii_digit()) || t.text.len() > 4 {
        return None;
    }
    t.text.parse().ok()
}

fn is_upper_initial(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_uppercase)
}

fn numbers_and_dates(
    tokens: &[Token<'_>],
    keys: &[String],
    rules: LangRules,
    interner: &mut Interner,
    out: &mut Vec<u32>,
) {
    let mut used = vec![false; tokens.len()];
    let day = |k: usize| tokens.get(k).and_then(small_int).filter(|d| (1..=31).contains(d));
    let month = |k: usize| tokens.get(k).and_then(small_int).filter(|m| (1..=12).contains(m));
    let key = |k: usize| keys.get(k).map_or("", String::as_str);

    // Dates written with words.
    for k in 0..tokens.len() {
        if used[k] {
            continue;
        }
        if rules.vietnamese && key(k) == "thang" {
            if let Some(m) = month(k + 1) {
                used[k + 1] = true;
                match k.checked_sub(1).and_then(|d| day(d).map(|v| (d, v))) {
                    Some((d, v)) if !used[d] => {
                        used[d] = true;
                        out.push(interner.id(AnchorKind::Date, format!("{v}/{m}")));
                    }
                    _ => out.push(interner.id(AnchorKind::Date, format!("m{m}"))),
                }
            }
        }
        if rules.english && is_upper_initial(tokens[k].text) {
            if let Some(m) = english_month(key(k)) {
                // "May" is also a verb; only take it next to a day or a year.
                let before = k.checked_sub(1).filter(|&d| !used[d]).and_then(|d| day(d).map(|v| (d, v)));
                let after = day(k + 1);
                let year_follows = tokens.get(k + 1).is_some_and(|t| small_int(t).is_some_and(|y| y > 31));
                if let Some((d, v)) = before {
                    used[d] = true;
                    out.push(interner.id(AnchorKind::Date, format!("{v}/{m}")));
                } else if let Some(v) = after {
                    used[k + 1] = true;
                    out.push(interner.id(AnchorKind::Date, format!("{v}/{m}")));
                } else if m != 5 || year_follows {
                    out.push(interner.id(AnchorKind::Date, format!("m{m}")));
                }
            }
        }
    }

    for (k, t) in tokens.iter().enumerate() {
        if used[k] || t.kind != TokenKind::Number {
            continue;
        }
        // "5th", "21st": an ordinal is its number.
        let raw = t.text;
        let (body, mut percent) = match raw.strip_suffix('%') {
            Some(b) => (b, true),
            None => (raw, false),
        };
        if !percent {
            let next = |n: usize| keys.get(k + n).map(String::as_str);
            percent = (rules.english
                && (next(1) == Some("percent") || (next(1) == Some("per") && next(2) == Some("cent"))))
                || (rules.vietnamese && next(1) == Some("phan") && next(2) == Some("tram"));
        }
        if body.contains('/') {
            slashed(body, interner, out);
            continue;
        }
        if body.contains(':') {
            out.push(interner.id(AnchorKind::Number, body.to_string()));
            continue;
        }
        let Some(value) = canonical_number(body, rules.decimal_comma) else { continue };
        if percent {
            out.push(interner.id(AnchorKind::Number, format!("{value}%")));
        } else {
            let kind = if value.parse::<u32>().is_ok_and(|v| v <= 10) { AnchorKind::Count } else { AnchorKind::Number };
            out.push(interner.id(kind, value));
        }
    }
}

/// "5/2/2026" (day/month/year), "5/2" (day/month), "2/2026" (month/year).
/// Both languages are read day first: the documents we align write
/// "5 February 2026" in English, never the US "2/5/2026".
fn slashed(body: &str, interner: &mut Interner, out: &mut Vec<u32>) {
    let parts: Vec<&str> = body.split('/').collect();
    let num = |s: &str| s.parse::<u32>().ok();
    match parts.as_slice() {
        [d, m, y] if y.len() == 4 => {
            if let (Some(d), Some(m), Some(_)) = (num(d), num(m), num(y)) {
                out.push(interner.id(AnchorKind::Date, format!("{d}/{m}")));
                out.push(interner.id(AnchorKind::Number, y.to_string()));
                return;
            }
        }
        [m, y] if y.len() == 4 => {
            if let (Some(m), Some(_)) = (num(m), num(y)) {
                if (1..=12).contains(&m) {
                    out.push(interner.id(AnchorKind::Date, format!("m{m}")));
                    out.push(interner.id(AnchorKind::Number, y.to_string()));
                    return;
                }
            }
        }
        [d, m] => {
            if let (Some(d), Some(m)) = (num(d), num(m)) {
                if (1..=31).contains(&d) && (1..=12).contains(&m) {
                    out.push(interner.id(AnchorKind::Date, format!("{d}/{m}")));
                    return;
                }
            }
        }
        _ => {}
    }
    out.push(interner.id(AnchorKind::Number, body.to_string()));
}

/// Canonical form of a number written with `.` and `,` separators:
/// digits, then `.` and the decimals without trailing zeros.
///
/// A separator followed by exactly three digits is ambiguous ("1.000" is a
/// thousand in Vietnamese, one in English); `decimal_comma` settles it.
/// Otherwise: with both separators the last one is the decimal mark; a
/// separator repeated groups thousands; a single separator not followed by
/// three digits is a decimal mark.
pub(crate) fn canonical_number(s: &str, decimal_comma: bool) -> Option<String> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b',') {
        return None;
    }
    let dots = s.matches('.').count();
    let commas = s.matches(',').count();
    let decimal_sep: Option<char> = match (dots, commas) {
        (0, 0) => None,
        (_, 0) | (0, _) => {
            let sep = if dots > 0 { '.' } else { ',' };
            let count = dots + commas;
            let after = s.rsplit(sep).next().unwrap_or("");
            if count > 1 {
                None
            } else if after.len() == 3 {
                // Ambiguous: the language decides.
                let sep_is_decimal = (sep == ',') == decimal_comma;
                sep_is_decimal.then_some(sep)
            } else {
                Some(sep)
            }
        }
        _ => {
            // Both: the last one is the decimal mark and occurs once.
            let sep = if s.rfind('.') > s.rfind(',') { '.' } else { ',' };
            if s.matches(sep).count() > 1 {
                return None;
            }
            Some(sep)
        }
    };
    let (int, frac) = match decimal_sep {
        Some(sep) => {
            let i = s.rfind(sep)?;
            (&s[..i], &s[i + 1..])
        }
        None => (s, ""),
    };
    let int: String = int.chars().filter(char::is_ascii_digit).collect();
    if frac.contains(['.', ',']) {
        return None;
    }
    let int = int.trim_start_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    let frac = frac.trim_end_matches('0');
    Some(if frac.is_empty() { int.to_string() } else { format!("{int}.{frac}") })
}

/// Capitalised words (not the first word of the sentence) and acronyms,
/// folded; plus the concatenation of two adjacent capitalised words, so that
/// "Việt Nam" meets "Vietnam" and "Hà Nội" meets "Hanoi".
fn names(tokens: &[Token<'_>], keys: &[String], interner: &mut Interner, out: &mut Vec<u32>) {
    let first_word = tokens.iter().position(|t| t.kind == TokenKind::Word);
    let mut prev_name: Option<usize> = None;
    for (k, t) in tokens.iter().enumerate() {
        if t.kind != TokenKind::Word {
            prev_name = None;
            continue;
        }
        let acronym = t.text.chars().count() >= 2
            && t.text.chars().all(|c| c.is_uppercase() || c.is_ascii_digit())
            && t.text.chars().any(char::is_alphabetic);
        let capitalised = is_upper_initial(t.text) && t.text.chars().count() >= 2;
        let is_name = acronym || (capitalised && Some(k) != first_word);
        if is_name {
            out.push(interner.id(AnchorKind::Name, keys[k].clone()));
            if let Some(p) = prev_name.filter(|&p| p + 1 == k) {
                out.push(interner.id(AnchorKind::Name, format!("{}{}", keys[p], keys[k])));
            }
            prev_name = Some(k);
        } else {
            prev_name = if capitalised { Some(k) } else { None };
        }
    }
}

fn punctuation(sentence: &str, interner: &mut Interner, out: &mut Vec<u32>) {
    let (mut quotes, mut parens) = (0usize, 0usize);
    for c in sentence.chars() {
        match c {
            '?' => out.push(interner.id(AnchorKind::Punct, "?".into())),
            '!' => out.push(interner.id(AnchorKind::Punct, "!".into())),
            '(' => parens += 1,
            '"' | '“' | '”' | '«' | '»' | '„' => quotes += 1,
            _ => {}
        }
    }
    for _ in 0..parens {
        out.push(interner.id(AnchorKind::Punct, "()".into()));
    }
    // A quotation is a pair of marks; an odd mark still counts as one.
    for _ in 0..quotes.div_ceil(2) {
        out.push(interner.id(AnchorKind::Punct, "\"\"".into()));
    }
}
