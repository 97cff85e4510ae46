//! Placeables: numbers, percentages, amounts and dates that a translator
//! substitutes mechanically when a TM match differs from the query only in
//! them.
//!
//! Vietnamese writes `2,5` for two and a half and `1.000.000` for a million;
//! English swaps the two separators. Dates are day-first and come in many
//! shapes (`5/2/2026`, `ngày 7/4`, `ngày 7 tháng 4 năm 2026`, `tháng 5`,
//! `tháng 5/2026`); an English target may spell them `5 February 2026`,
//! `February 5, 2026`, `Feb. 5, 2026`, `5/2/2026`, `2026-02-05`, `April 7`,
//! `May`, and the substitute keeps the target's style. Amounts carry a scale
//! word (`tỷ`, `triệu`, `nghìn`, `nghìn tỷ`) that English writes `billion`,
//! `million`, `thousand`, `trillion`.
//!
//! # The rule: all or nothing
//! [`substitute`] pairs the placeables of the stored source with those of
//! the query in order. Every pair whose values differ must be substituted
//! in the target, or nothing is: it returns a [`NotAdapted`] reason
//! instead. A changed placeable is substituted only when its target
//! rendering occurs exactly as many times in the target as the placeable
//! occurs in the source (after the renderings of more specific placeables,
//! such as whole dates, have claimed their part of the target), and when
//! every one of those source occurrences changes to the same new value. So
//! the target never keeps a value the query changed, and no value is
//! replaced at a guessed position.

use std::ops::Range;

use super::matching::Word;
use super::suggest::{NotAdapted, NotAdaptedReason};
use crate::text::{self, TokenKind};

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Associated Press month abbreviations (March to July are never
/// abbreviated).
const MONTH_ABBREVIATIONS: [Option<&str>; 12] = [
    Some("Jan."),
    Some("Feb."),
    None,
    None,
    None,
    None,
    None,
    Some("Aug."),
    Some("Sept."),
    Some("Oct."),
    Some("Nov."),
    Some("Dec."),
];

/// A Vietnamese number (`2,5`, `1.000`, `15%`) in English notation
/// (`2.5`, `1,000`, `15%`). Dates and times are returned unchanged.
pub fn vi_number_to_en(s: &str) -> String {
    if s.contains('/') || s.contains(':') {
        return s.to_string();
    }
    s.chars()
        .map(|c| match c {
            '.' => ',',
            ',' => '.',
            c => c,
        })
        .collect()
}

/// A day-first date `d/m/yyyy`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Date {
    /// Day of month.
    pub day: u32,
    /// Month, 1–12.
    pub month: u32,
    /// Year.
    pub year: u32,
}

impl Date {
    /// Parses `d/m/yyyy` or `d.m.yyyy` (Vietnamese order).
    pub fn parse_vi(s: &str) -> Option<Date> {
        let sep = if s.contains('/') { '/' } else { '.' };
        let mut it = s.split(sep);
        let (d, m, y) = (it.next()?, it.next()?, it.next()?);
        if it.next().is_some() || y.len() != 4 {
            return None;
        }
        let (day, month, year) = (d.parse().ok()?, m.parse().ok()?, y.parse().ok()?);
        (valid_day(day) && valid_month(month)).then_some(Date { day, month, year })
    }
}

/// A multiplier word after a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    /// nghìn, ngàn: thousand.
    Thousand,
    /// triệu: million.
    Million,
    /// tỷ, tỉ: billion.
    Billion,
    /// nghìn tỷ, ngàn tỷ: trillion.
    Trillion,
}

impl Scale {
    /// The English word.
    pub fn english(self) -> &'static str {
        match self {
            Scale::Thousand => "thousand",
            Scale::Million => "million",
            Scale::Billion => "billion",
            Scale::Trillion => "trillion",
        }
    }

    /// The scale an English word (lowercase) names, full or abbreviated.
    fn from_english(word: &str) -> Option<Scale> {
        Some(match word {
            "thousand" => Scale::Thousand,
            "million" | "mn" | "mln" => Scale::Million,
            "billion" | "bn" | "bln" => Scale::Billion,
            "trillion" | "tn" => Scale::Trillion,
            _ => return None,
        })
    }
}

/// The value of a placeable, as compared between source and query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// A number as written (without `%`), whether it is a percentage, and
    /// its scale word.
    Number {
        /// Digits and separators as written, e.g. `2,5`.
        digits: String,
        /// Written with `%` or `phần trăm`.
        percent: bool,
        /// `tỷ`, `triệu`, ...
        scale: Option<Scale>,
    },
    /// A full date.
    Date(Date),
    /// A day and month without a year (`ngày 7/4`, `7 tháng 4`).
    DayMonth {
        /// Day of month.
        day: u32,
        /// Month, 1–12.
        month: u32,
    },
    /// A month of a year (`tháng 5/2026`, `tháng 5 năm 2026`).
    MonthYear {
        /// Month, 1–12.
        month: u32,
        /// Year.
        year: u32,
    },
    /// A month name (`tháng 5`).
    Month(u32),
}

/// A placeable of a segment: its value and the words it covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placeable {
    /// What it says.
    pub value: Value,
    /// Word indices in the segment.
    pub words: Range<usize>,
}

/// A substitution in the target: replace `range` (bytes) with `with`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Replacement {
    /// Bytes of the target to replace.
    pub range: Range<usize>,
    /// What was there.
    pub from: String,
    /// What goes there.
    pub with: String,
}

/// A substitution planned by [`substitute`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// Index of the placeable in the source's list.
    pub source: usize,
    /// Index of the placeable in the query's list.
    pub query: usize,
    /// The edit of the target.
    pub replacement: Replacement,
}

/// The placeables of a Vietnamese segment, in order. Every number word of
/// the segment belongs to exactly one placeable.
pub fn find_vi(words: &[Word]) -> Vec<Placeable> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        if w.number {
            let (value, len) = number_placeable(words, i);
            out.push(Placeable { value, words: i..i + len });
            i += len;
        } else if let Some((value, len)) = month_placeable(words, i) {
            out.push(Placeable { value, words: i..i + len });
            i += len;
        } else {
            i += 1;
        }
    }
    out
}

/// Whether every word of the range `r` of a diff lies in one of the
/// placeables `places` (adjacent placeables such as the two ends of
/// `1,3-1,5` make one diff span). An empty range, the insertion point of
/// words the other side has, counts when it touches a placeable.
pub fn covers(places: &[Placeable], r: &Range<usize>) -> bool {
    if r.is_empty() {
        return places.iter().any(|p| p.words.start <= r.start && r.start <= p.words.end);
    }
    r.clone().all(|i| places.iter().any(|p| p.words.contains(&i)))
}

/// Plans the substitution of every placeable that differs between `source`
/// and `query` in `target` (see the module documentation for the rule).
/// An empty list means that no placeable changed.
pub fn substitute(source: &[Placeable], query: &[Placeable], target: &str) -> Result<Vec<Change>, NotAdapted> {
    if source.len() != query.len() || source.iter().zip(query).any(|(s, q)| !same_kind(&s.value, &q.value)) {
        return Err(NotAdapted::new(
            NotAdaptedReason::PlaceablesDiffer,
            "the query's numbers or dates are not those of the stored source in kind or count",
        ));
    }
    if source.iter().zip(query).all(|(s, q)| s.value == q.value) {
        return Ok(Vec::new());
    }
    let tokens = text::tokenize(target);
    let mut claimed: Vec<Range<usize>> = Vec::new();
    // Distinct source values, most specific rendering first, so that a
    // date's "5 February 2026" is claimed before the number 5 looks for
    // itself.
    let mut groups: Vec<&Value> = Vec::new();
    for p in source {
        if !groups.contains(&&p.value) {
            groups.push(&p.value);
        }
    }
    groups.sort_by_key(|v| specificity(v));
    let mut changes = Vec::new();
    for value in groups {
        let found = occurrences(value, target, &tokens, &claimed);
        claimed.extend(found.iter().map(|o| o.range.clone()));
        let members: Vec<usize> = (0..source.len()).filter(|&i| &source[i].value == value).collect();
        let new_values: Vec<&Value> = members.iter().map(|&i| &query[i].value).collect();
        if new_values.iter().all(|v| *v == value) {
            continue;
        }
        let shown = describe(value);
        if new_values.iter().any(|v| *v != new_values[0]) {
            return Err(NotAdapted::new(
                NotAdaptedReason::AmbiguousPlaceable,
                format!(
                    "{shown} occurs {} in the source and the query changes it in different ways",
                    times(members.len())
                ),
            ));
        }
        if found.is_empty() {
            return Err(NotAdapted::new(
                NotAdaptedReason::PlaceableNotFound,
                format!("{shown} of the stored source is not written in the target in a form we recognise"),
            ));
        }
        if found.len() != members.len() {
            return Err(NotAdapted::new(
                NotAdaptedReason::AmbiguousPlaceable,
                format!(
                    "{shown} occurs {} in the source but {} in the target: cannot tell which to replace",
                    times(members.len()),
                    times(found.len())
                ),
            ));
        }
        for (occurrence, &member) in found.iter().zip(&members) {
            let Some((range, mut with)) = replacement(value, new_values[0], occurrence) else {
                return Err(NotAdapted::new(
                    NotAdaptedReason::PlaceableNotFound,
                    format!("{} cannot be written the way the target writes {shown}", describe(new_values[0])),
                ));
            };
            let from = target[range.clone()].to_string();
            // "in Sept." ends the sentence too: "in March." keeps the full stop.
            if from.ends_with('.') && !with.ends_with('.') && target[range.end..].trim().is_empty() {
                with.push('.');
            }
            changes.push(Change { source: member, query: member, replacement: Replacement { range, from, with } });
        }
    }
    Ok(changes)
}

/// Applies non-overlapping replacements to `target`; `None` if two overlap.
pub fn apply(target: &str, mut reps: Vec<Replacement>) -> Option<String> {
    reps.sort_by_key(|r| r.range.start);
    if reps.windows(2).any(|w| w[0].range.end > w[1].range.start) {
        return None;
    }
    let mut out = String::with_capacity(target.len() + 16);
    let mut last = 0;
    for r in &reps {
        out.push_str(&target[last..r.range.start]);
        out.push_str(&r.with);
        last = r.range.end;
    }
    out.push_str(&target[last..]);
    Some(out)
}

/// The ways the target may write `value`, in target notation, in the
/// styles of [`render`] (used by tests to check adapted targets).
pub fn target_renderings(value: &Value) -> Vec<String> {
    styles_of(value).into_iter().filter_map(|style| render_style(value, style)).collect()
}

// ---------------------------------------------------------------------------
// Recognising placeables in Vietnamese
// ---------------------------------------------------------------------------

fn valid_day(d: u32) -> bool {
    (1..=31).contains(&d)
}

fn valid_month(m: u32) -> bool {
    (1..=12).contains(&m)
}

/// Whether word `i` exists and reads `word` (lowercase, with diacritics);
/// `folded` is `word` without diacritics, checked first because it is free.
fn word_is(words: &[Word], i: usize, folded: &str, word: &str) -> bool {
    words.get(i).is_some_and(|w| !w.number && w.key == folded && text::normalized_key(&w.text) == word)
}

/// A plain integer word (digits only).
fn plain_int(words: &[Word], i: usize) -> Option<u32> {
    let w = words.get(i).filter(|w| w.number)?;
    if !w.text.bytes().all(|b| b.is_ascii_digit()) || w.text.len() > 4 {
        return None;
    }
    w.text.parse().ok()
}

/// `d/m` without a year.
fn parse_day_month(s: &str) -> Option<(u32, u32)> {
    let (d, m) = s.split_once('/')?;
    let (d, m) = (d.parse().ok()?, m.parse().ok()?);
    (valid_day(d) && valid_month(m)).then_some((d, m))
}

/// `m/yyyy`.
fn parse_month_year(s: &str) -> Option<(u32, u32)> {
    let (m, y) = s.split_once('/')?;
    if y.len() != 4 || m.len() > 2 {
        return None;
    }
    let (m, y) = (m.parse().ok()?, y.parse().ok()?);
    valid_month(m).then_some((m, y))
}

/// The placeable starting at number word `i`, and how many words it covers.
fn number_placeable(words: &[Word], i: usize) -> (Value, usize) {
    let t = words[i].text.as_str();
    if let Some(d) = Date::parse_vi(t) {
        return (Value::Date(d), 1);
    }
    if let Some((month, year)) = parse_month_year(t) {
        return (Value::MonthYear { month, year }, 1);
    }
    if let Some((day, month)) = parse_day_month(t) {
        return (Value::DayMonth { day, month }, 1);
    }
    // "7 tháng 4" and "7 tháng 4 năm 2026".
    if let (Some(day), true, Some(month)) =
        (plain_int(words, i), word_is(words, i + 1, "thang", "tháng"), plain_int(words, i + 2))
    {
        if valid_day(day) && valid_month(month) {
            if word_is(words, i + 3, "nam", "năm") {
                if let Some(year) = plain_int(words, i + 4).filter(|y| *y >= 1000) {
                    return (Value::Date(Date { day, month, year }), 5);
                }
            }
            return (Value::DayMonth { day, month }, 3);
        }
    }
    let percent_sign = t.ends_with('%');
    let digits = t.trim_end_matches('%').to_string();
    let mut len = 1;
    let scale = if percent_sign {
        None
    } else if (word_is(words, i + 1, "nghin", "nghìn") || word_is(words, i + 1, "ngan", "ngàn"))
        && (word_is(words, i + 2, "ty", "tỷ") || word_is(words, i + 2, "ti", "tỉ"))
    {
        len = 3;
        Some(Scale::Trillion)
    } else {
        let s = if word_is(words, i + 1, "ty", "tỷ") || word_is(words, i + 1, "ti", "tỉ") {
            Some(Scale::Billion)
        } else if word_is(words, i + 1, "trieu", "triệu") {
            Some(Scale::Million)
        } else if word_is(words, i + 1, "nghin", "nghìn") || word_is(words, i + 1, "ngan", "ngàn") {
            Some(Scale::Thousand)
        } else {
            None
        };
        if s.is_some() {
            len = 2;
        }
        s
    };
    let mut percent = percent_sign;
    if !percent && scale.is_none() && word_is(words, i + 1, "phan", "phần") && word_is(words, i + 2, "tram", "trăm")
    {
        percent = true;
        len = 3;
    }
    (Value::Number { digits, percent, scale }, len)
}

/// "tháng 5", "tháng 5/2026", "tháng 5 năm 2026" starting at word `i`.
fn month_placeable(words: &[Word], i: usize) -> Option<(Value, usize)> {
    if !word_is(words, i, "thang", "tháng") {
        return None;
    }
    let next = words.get(i + 1).filter(|w| w.number)?;
    if let Some((month, year)) = parse_month_year(&next.text) {
        return Some((Value::MonthYear { month, year }, 2));
    }
    let month = plain_int(words, i + 1).filter(|m| valid_month(*m))?;
    if word_is(words, i + 2, "nam", "năm") {
        if let Some(year) = plain_int(words, i + 3).filter(|y| *y >= 1000) {
            return Some((Value::MonthYear { month, year }, 4));
        }
    }
    Some((Value::Month(month), 2))
}

fn same_kind(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number { percent: p, .. }, Value::Number { percent: q, .. }) => p == q,
        _ => std::mem::discriminant(a) == std::mem::discriminant(b),
    }
}

/// Claim order: whole dates before their parts, amounts before bare numbers.
fn specificity(v: &Value) -> u8 {
    match v {
        Value::Date(_) => 0,
        Value::MonthYear { .. } => 1,
        Value::DayMonth { .. } => 2,
        Value::Month(_) => 3,
        Value::Number { scale: Some(_), .. } => 4,
        Value::Number { percent: true, .. } => 5,
        Value::Number { .. } => 6,
    }
}

/// "once", "twice", "3 times".
fn times(n: usize) -> String {
    match n {
        1 => "once".to_string(),
        2 => "twice".to_string(),
        n => format!("{n} times"),
    }
}

/// How a message names a value.
fn describe(v: &Value) -> String {
    match v {
        Value::Number { digits, percent, scale } => {
            let scale = scale.map_or(String::new(), |s| format!(" {}", s.english()));
            format!("\"{digits}{}{scale}\"", if *percent { "%" } else { "" })
        }
        Value::Date(d) => format!("the date {}/{}/{}", d.day, d.month, d.year),
        Value::DayMonth { day, month } => format!("the date {day}/{month}"),
        Value::MonthYear { month, year } => format!("the month {month}/{year}"),
        Value::Month(m) => format!("the month {m}"),
    }
}

// ---------------------------------------------------------------------------
// Finding and rendering placeables in the English target
// ---------------------------------------------------------------------------

/// How the target writes a placeable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Style {
    /// `5 February 2026`, `7 April`, `May 2026`, `May`.
    DayMonthName,
    /// `February 5, 2026`, `April 7`.
    MonthNameDay,
    /// `Feb. 5, 2026`, `Sept.` (AP abbreviations).
    Abbreviated,
    /// `7th April`.
    OrdinalDayMonth,
    /// `April 7th`.
    MonthOrdinalDay,
    /// `2026-02-05`, `2026-05`.
    Iso,
    /// `5/2/2026`, `7/4`, `5/2026`.
    Slash,
    /// A number in English notation (`2.5`); `scale` when the scale word
    /// is part of the occurrence.
    English { scale: bool },
    /// A number as written in the source (`3.5` kept as `3.5`).
    AsWritten { scale: bool },
}

/// An occurrence of a placeable in the target.
#[derive(Clone, Debug)]
struct Occurrence {
    /// All of it, with a number's scale word.
    range: Range<usize>,
    /// A number's digits only (else the same as `range`).
    digits: Range<usize>,
    style: Style,
}

fn styles_of(v: &Value) -> Vec<Style> {
    use Style::*;
    match v {
        Value::Date(_) => vec![DayMonthName, MonthNameDay, Abbreviated, OrdinalDayMonth, MonthOrdinalDay, Iso, Slash],
        Value::DayMonth { .. } => {
            vec![DayMonthName, MonthNameDay, Abbreviated, OrdinalDayMonth, MonthOrdinalDay, Slash]
        }
        Value::MonthYear { .. } => vec![DayMonthName, Iso, Slash],
        Value::Month(_) => vec![DayMonthName, Abbreviated],
        Value::Number { scale, .. } => {
            let scale = scale.is_some();
            vec![English { scale }, AsWritten { scale }]
        }
    }
}

fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// `value` written in `style`, or `None` when the style cannot write it.
fn render_style(value: &Value, style: Style) -> Option<String> {
    use Style::*;
    let name = |m: u32| MONTHS[m as usize - 1];
    let abbr = |m: u32| MONTH_ABBREVIATIONS[m as usize - 1].unwrap_or(MONTHS[m as usize - 1]);
    Some(match (value, style) {
        (Value::Date(d), DayMonthName) => format!("{} {} {}", d.day, name(d.month), d.year),
        (Value::Date(d), MonthNameDay) => format!("{} {}, {}", name(d.month), d.day, d.year),
        (Value::Date(d), Abbreviated) => format!("{} {}, {}", abbr(d.month), d.day, d.year),
        (Value::Date(d), OrdinalDayMonth) => format!("{} {} {}", ordinal(d.day), name(d.month), d.year),
        (Value::Date(d), MonthOrdinalDay) => format!("{} {}, {}", name(d.month), ordinal(d.day), d.year),
        (Value::Date(d), Iso) => format!("{}-{:02}-{:02}", d.year, d.month, d.day),
        (Value::Date(d), Slash) => format!("{}/{}/{}", d.day, d.month, d.year),
        (&Value::DayMonth { day, month }, DayMonthName) => format!("{day} {}", name(month)),
        (&Value::DayMonth { day, month }, MonthNameDay) => format!("{} {day}", name(month)),
        (&Value::DayMonth { day, month }, Abbreviated) => format!("{} {day}", abbr(month)),
        (&Value::DayMonth { day, month }, OrdinalDayMonth) => format!("{} {}", ordinal(day), name(month)),
        (&Value::DayMonth { day, month }, MonthOrdinalDay) => format!("{} {}", name(month), ordinal(day)),
        (&Value::DayMonth { day, month }, Slash) => format!("{day}/{month}"),
        (&Value::MonthYear { month, year }, DayMonthName) => format!("{} {year}", name(month)),
        (&Value::MonthYear { month, year }, Iso) => format!("{year}-{month:02}"),
        (&Value::MonthYear { month, year }, Slash) => format!("{month}/{year}"),
        (&Value::Month(m), DayMonthName) => name(m).to_string(),
        (&Value::Month(m), Abbreviated) => abbr(m).to_string(),
        (Value::Number { digits, scale, .. }, English { scale: with_scale } | AsWritten { scale: with_scale }) => {
            let mut s = if matches!(style, English { .. }) { vi_number_to_en(digits) } else { digits.clone() };
            if with_scale {
                s.push(' ');
                s.push_str(scale.map(Scale::english)?);
            }
            s
        }
        _ => return None,
    })
}

/// What replaces an occurrence of the `old` value: the bytes and the text.
fn replacement(old: &Value, new: &Value, occurrence: &Occurrence) -> Option<(Range<usize>, String)> {
    let (Value::Number { scale: old_scale, .. }, Value::Number { digits, scale: new_scale, .. }) = (old, new) else {
        return Some((occurrence.range.clone(), render_style(new, occurrence.style)?));
    };
    let (english, scale_word) = match occurrence.style {
        Style::English { scale } => (true, scale),
        Style::AsWritten { scale } => (false, scale),
        _ => return None,
    };
    let mut with = if english { vi_number_to_en(digits) } else { digits.clone() };
    if old_scale == new_scale {
        // Only the digits change; the target's scale word (`billion`, `bn`) stays.
        return Some((occurrence.digits.clone(), with));
    }
    if old_scale.is_some() && !scale_word {
        // The target does not write the old scale next to the number.
        return None;
    }
    if let Some(scale) = new_scale {
        with.push(' ');
        with.push_str(scale.english());
    }
    Some((occurrence.range.clone(), with))
}

/// The occurrences of `value` in `target` outside the `claimed` ranges.
fn occurrences(value: &Value, target: &str, tokens: &[text::Token], claimed: &[Range<usize>]) -> Vec<Occurrence> {
    let free = |r: &Range<usize>| claimed.iter().all(|c| c.end <= r.start || r.end <= c.start);
    let mut out: Vec<Occurrence> = Vec::new();
    if let Value::Number { digits, percent, scale } = value {
        let en = vi_number_to_en(digits);
        for (k, t) in tokens.iter().enumerate() {
            if t.kind != TokenKind::Number {
                continue;
            }
            let core = t.text.trim_end_matches('%');
            let style = if core == en {
                Style::English { scale: false }
            } else if core == digits {
                Style::AsWritten { scale: false }
            } else {
                continue;
            };
            let next_word = |n: usize| tokens.get(k + n).map(|t| t.text.to_lowercase());
            let target_percent = t.text.ends_with('%')
                || next_word(1).is_some_and(|w| w == "percent")
                || (next_word(1).is_some_and(|w| w == "per") && next_word(2).is_some_and(|w| w == "cent"));
            if target_percent != *percent {
                continue;
            }
            let target_scale = next_word(1).and_then(|w| Scale::from_english(&w));
            let mut range = t.start..t.start + core.len();
            let mut style = style;
            if let Some(s) = *scale {
                if target_scale.is_some_and(|ts| ts != s) {
                    continue;
                }
                // The scale word goes with the number so that it can change.
                if target_scale == Some(s) {
                    range.end = tokens[k + 1].end;
                    style = match style {
                        Style::English { .. } => Style::English { scale: true },
                        _ => Style::AsWritten { scale: true },
                    };
                }
            } else if target_scale.is_some() {
                continue;
            }
            if free(&range) {
                out.push(Occurrence { digits: t.start..t.start + core.len(), range, style });
            }
        }
        return out;
    }
    for style in styles_of(value) {
        let Some(phrase) = render_style(value, style) else { continue };
        for range in find_phrases(target, &phrase) {
            if free(&range) && out.iter().all(|o| o.range.end <= range.start || range.end <= o.range.start) {
                out.push(Occurrence { digits: range.clone(), range, style });
            }
        }
    }
    out.sort_by_key(|o| o.range.start);
    out
}

/// Byte ranges of `phrase` in `hay` at word and number boundaries: not
/// inside a word, and not part of a longer number or date (`7/4` is not
/// found in `17/4` or `7/4/2026`). A phrase ending in a period needs no
/// boundary after it.
fn find_phrases(hay: &str, phrase: &str) -> Vec<Range<usize>> {
    let joins = |sep: Option<char>, digit: Option<char>| {
        sep.is_some_and(|c| matches!(c, '/' | '-' | '.' | ',' | ':')) && digit.is_some_and(|c| c.is_ascii_digit())
    };
    hay.match_indices(phrase)
        .filter(|(i, m)| {
            let mut before = hay[..*i].chars().rev();
            let (b1, b2) = (before.next(), before.next());
            let mut after = hay[i + m.len()..].chars();
            let (a1, a2) = (after.next(), after.next());
            let free_before = !b1.is_some_and(char::is_alphanumeric) && !joins(b1, b2);
            let free_after = m.ends_with('.') || (!a1.is_some_and(char::is_alphanumeric) && !joins(a1, a2));
            free_before && free_after
        })
        .map(|(i, m)| i..i + m.len())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::matching::{compare, DiffKind, Segment};
    use super::*;
    use crate::model::test_support::Rng;
    use NotAdaptedReason as R;

    #[test]
    fn numbers_change_notation() {
        let cases = [
            ("2,5", "2.5"),
            ("1.000", "1,000"),
            ("1.234,56", "1,234.56"),
            ("15%", "15%"),
            ("3", "3"),
            ("5/2/2026", "5/2/2026"),
            ("10:30", "10:30"),
        ];
        for (vi, en) in cases {
            assert_eq!(vi_number_to_en(vi), en, "{vi}");
        }
    }

    /// The placeable half of `Glossary::adapt` (no glossary terms): every
    /// difference must lie in placeables, then all of them are substituted.
    fn adapt(source: &str, target: &str, query: &str) -> Result<String, NotAdapted> {
        let (s, q) = (Segment::new(source), Segment::new(query));
        let (sp, qp) = (find_vi(&s.words), find_vi(&q.words));
        for d in compare(&q, &s).diff {
            let placeable = covers(&sp, &d.source_words) && covers(&qp, &d.query_words);
            if !placeable && !matches!(d.kind, DiffKind::Diacritics | DiffKind::Case) {
                return Err(NotAdapted::new(R::WordingDiffers, format!("{d:?}")));
            }
        }
        let changes = substitute(&sp, &qp, target)?;
        if changes.is_empty() {
            return Err(NotAdapted::new(R::NoChangeNeeded, ""));
        }
        apply(target, changes.into_iter().map(|c| c.replacement).collect())
            .ok_or_else(|| NotAdapted::new(R::OverlappingSubstitutions, ""))
    }

    /// (stored source, stored target, query, adapted target or reason)
    type Case = (&'static str, &'static str, &'static str, Result<&'static str, NotAdaptedReason>);

    fn check(cases: &[Case]) {
        let failures: Vec<String> = cases
            .iter()
            .filter_map(|(source, target, query, expected)| {
                let got = adapt(source, target, query);
                let got_short = got.as_ref().map(String::as_str).map_err(|e| e.reason);
                (got_short != *expected)
                    .then(|| format!("  {source:?} -> {query:?}\n    target   {target:?}\n    expected {expected:?}\n    got      {got:?}"))
            })
            .collect();
        assert!(failures.is_empty(), "{} adaptation case(s) failed:\n{}", failures.len(), failures.join("\n"));
    }

    const FERTILITY: &str = "Tổng tỷ suất sinh giảm còn 1,3-1,5 con.";
    const FERTILITY_EN: &str = "The total fertility rate dropped to 1.3-1.5 children.";

    #[test]
    fn adaptation_table() {
        check(&[
            // Ranges: both ends, one end, swapped ends.
            (
                FERTILITY,
                FERTILITY_EN,
                "Tổng tỷ suất sinh giảm còn 1,2-1,4 con.",
                Ok("The total fertility rate dropped to 1.2-1.4 children."),
            ),
            (
                FERTILITY,
                FERTILITY_EN,
                "Tổng tỷ suất sinh giảm còn 1,3-1,6 con.",
                Ok("The total fertility rate dropped to 1.3-1.6 children."),
            ),
            (
                FERTILITY,
                FERTILITY_EN,
                "Tổng tỷ suất sinh giảm còn 1,5-1,3 con.",
                Ok("The total fertility rate dropped to 1.5-1.3 children."),
            ),
            (FERTILITY, FERTILITY_EN, "Tổng tỷ suất sinh giảm còn 1,3-1,5 con.", Err(R::NoChangeNeeded)),
            ("Giá tăng 10–15%.", "Prices rose 10-15%.", "Giá tăng 12–20%.", Ok("Prices rose 12-20%.")),
            // Numbers and amounts.
            (
                "Thương mại đạt 2,5 tỷ USD.",
                "Trade reached 2.5 billion USD.",
                "Thương mại đạt 3 tỷ USD.",
                Ok("Trade reached 3 billion USD."),
            ),
            (
                "Thương mại đạt 2,5 tỷ USD.",
                "Trade reached 2.5 billion USD.",
                "Thương mại đạt 3,75 tỷ USD.",
                Ok("Trade reached 3.75 billion USD."),
            ),
            (
                "Thương mại đạt 2,5 tỷ USD.",
                "Trade reached 2.5 billion USD.",
                "Thương mại đạt 300 triệu USD.",
                Ok("Trade reached 300 million USD."),
            ),
            (
                "Thương mại đạt 2,5 tỷ USD.",
                "Trade reached 2.5 billion USD.",
                "Thương mại đạt 2,5 nghìn tỷ USD.",
                Ok("Trade reached 2.5 trillion USD."),
            ),
            (
                "Thương mại đạt 2,5 tỷ USD.",
                "Trade reached USD 2.5bn.",
                "Thương mại đạt 4 tỷ USD.",
                Ok("Trade reached USD 4bn."),
            ),
            (
                "Thương mại đạt 2,5 tỷ USD.",
                "Trade reached USD 2.5bn.",
                "Thương mại đạt 400 triệu USD.",
                Ok("Trade reached USD 400 million."),
            ),
            (
                "Vốn đạt 2,5 tỷ USD.",
                "Capital reached a 2.5-billion-dollar mark.",
                "Vốn đạt 3 tỷ USD.",
                Ok("Capital reached a 3-billion-dollar mark."),
            ),
            (
                "Vốn đạt 2,5 tỷ USD.",
                "Capital reached a 2.5-billion-dollar mark.",
                "Vốn đạt 3 triệu USD.",
                Err(R::PlaceableNotFound),
            ),
            (
                "Thương mại đạt 3 tỷ USD.",
                "Trade reached three billion USD.",
                "Thương mại đạt 4 tỷ USD.",
                Err(R::PlaceableNotFound),
            ),
            (
                "Có 1.000 đại biểu dự.",
                "About 1,000 delegates attended.",
                "Có 1.200 đại biểu dự.",
                Ok("About 1,200 delegates attended."),
            ),
            (
                "Có 1.000 đại biểu dự.",
                "About a thousand delegates attended.",
                "Có 1.200 đại biểu dự.",
                Err(R::PlaceableNotFound),
            ),
            (
                "Lúc 10:30 đoàn đến.",
                "The delegation arrived at 10:30.",
                "Lúc 11:15 đoàn đến.",
                Ok("The delegation arrived at 11:15."),
            ),
            // Percentages, with the sign or in words, in either language.
            ("Xuất khẩu tăng 15%.", "Exports grew by 15%.", "Xuất khẩu tăng 12%.", Ok("Exports grew by 12%.")),
            (
                "Xuất khẩu tăng 15%.",
                "Exports grew by 15 percent.",
                "Xuất khẩu tăng 12%.",
                Ok("Exports grew by 12 percent."),
            ),
            (
                "Xuất khẩu tăng 15%.",
                "Exports grew by 15 per cent.",
                "Xuất khẩu tăng 12,5%.",
                Ok("Exports grew by 12.5 per cent."),
            ),
            ("Xuất khẩu tăng 15 phần trăm.", "Exports grew by 15%.", "Xuất khẩu tăng 12%.", Ok("Exports grew by 12%.")),
            ("Xuất khẩu tăng 15%.", "Exports grew by 15%.", "Xuất khẩu tăng 15 phần trăm.", Err(R::NoChangeNeeded)),
            (
                "Tăng trưởng đạt 3.5 phần trăm.",
                "Growth reached 3.5 percent.",
                "Tăng trưởng đạt 4.5 phần trăm.",
                Ok("Growth reached 4.5 percent."),
            ),
            ("Xuất khẩu tăng 25%.", "Exports grew by 25 points.", "Xuất khẩu tăng 30%.", Err(R::PlaceableNotFound)),
            ("Xuất khẩu tăng 2,5%.", "Exports rose 25% from 2024.", "Xuất khẩu tăng 3%.", Err(R::PlaceableNotFound)),
            ("Xuất khẩu tăng 15%.", "Exports grew by 15%.", "Xuất khẩu tăng 15.", Err(R::PlaceablesDiffer)),
            // Full dates in every target style.
            ("Ký ngày 5/2/2026.", "Signed on 5 February 2026.", "Ký ngày 6/3/2026.", Ok("Signed on 6 March 2026.")),
            (
                "Ký ngày 5/2/2026.",
                "Signed on February 5, 2026.",
                "Ký ngày 12/2/2026.",
                Ok("Signed on February 12, 2026."),
            ),
            ("Ký ngày 5/2/2026.", "Signed on Feb. 5, 2026.", "Ký ngày 12/3/2026.", Ok("Signed on March 12, 2026.")),
            (
                "Ký ngày 5/2/2026.",
                "Signed on 5th February 2026.",
                "Ký ngày 1/2/2026.",
                Ok("Signed on 1st February 2026."),
            ),
            ("Ký ngày 5/2/2026.", "Signed on 2026-02-05.", "Ký ngày 6/2/2026.", Ok("Signed on 2026-02-06.")),
            ("Ký ngày 5/2/2026.", "Signed on 5/2/2026.", "Ký ngày 7/2/2026.", Ok("Signed on 7/2/2026.")),
            (
                "Ký ngày 05/02/2026.",
                "Signed on 5 February 2026.",
                "Ký ngày 07/02/2026.",
                Ok("Signed on 7 February 2026."),
            ),
            ("Ký ngày 5.2.2026.", "Signed on 5 February 2026.", "Ký ngày 7.2.2026.", Ok("Signed on 7 February 2026.")),
            (
                "Ký ngày 7 tháng 4 năm 2026.",
                "Signed on 7 April 2026.",
                "Ký ngày 8 tháng 4 năm 2026.",
                Ok("Signed on 8 April 2026."),
            ),
            ("Ký ngày 5/2/2026.", "Signed on the fifth of February.", "Ký ngày 6/2/2026.", Err(R::PlaceableNotFound)),
            // Day and month without a year.
            (
                "Đoàn đến ngày 7/4.",
                "The delegation arrived on April 7.",
                "Đoàn đến ngày 8/5.",
                Ok("The delegation arrived on May 8."),
            ),
            (
                "Đoàn đến ngày 7/4.",
                "The delegation arrived on 7 April.",
                "Đoàn đến ngày 8/5.",
                Ok("The delegation arrived on 8 May."),
            ),
            (
                "Đoàn đến ngày 30/9.",
                "The delegation arrived on Sept. 30.",
                "Đoàn đến ngày 1/10.",
                Ok("The delegation arrived on Oct. 1."),
            ),
            (
                "Đoàn đến ngày 30/9.",
                "The delegation arrived on September 30th.",
                "Đoàn đến ngày 2/10.",
                Ok("The delegation arrived on October 2nd."),
            ),
            (
                "Đoàn đến ngày 7 tháng 4.",
                "The delegation arrived on 7 April.",
                "Đoàn đến ngày 9 tháng 4.",
                Ok("The delegation arrived on 9 April."),
            ),
            (
                "Đoàn đến ngày 7/4.",
                "The delegation arrived on 7/4/2026.",
                "Đoàn đến ngày 8/4.",
                Err(R::PlaceableNotFound),
            ),
            (
                "Đoàn đến ngày 7/4.",
                "The delegation arrived on 17 April.",
                "Đoàn đến ngày 8/4.",
                Err(R::PlaceableNotFound),
            ),
            // Months.
            (
                "Hội nghị họp vào tháng 5.",
                "The conference meets in May.",
                "Hội nghị họp vào tháng 6.",
                Ok("The conference meets in June."),
            ),
            (
                "Hội nghị họp vào tháng 9.",
                "The conference meets in Sept.",
                "Hội nghị họp vào tháng 3.",
                Ok("The conference meets in March."),
            ),
            (
                "Hội nghị họp vào tháng 5.",
                "The conference meets in the fifth month.",
                "Hội nghị họp vào tháng 6.",
                Err(R::PlaceableNotFound),
            ),
            (
                "Hội nghị họp vào tháng 5/2025.",
                "The conference met in May 2025.",
                "Hội nghị họp vào tháng 7/2025.",
                Ok("The conference met in July 2025."),
            ),
            (
                "Hội nghị họp vào tháng 5 năm 2025.",
                "The conference met in May 2025.",
                "Hội nghị họp vào tháng 7 năm 2024.",
                Ok("The conference met in July 2024."),
            ),
            (
                "Hội nghị họp vào tháng 5.",
                "The conference meets in May.",
                "Hội nghị họp vào tháng 5/2026.",
                Err(R::PlaceablesDiffer),
            ),
            // Repeated and overlapping placeables.
            (
                "Ngày 5/2/2026 có 5 đoàn đến.",
                "On 5 February 2026, 5 delegations arrived.",
                "Ngày 5/2/2026 có 6 đoàn đến.",
                Ok("On 5 February 2026, 6 delegations arrived."),
            ),
            (
                "Ngày 5/2/2026 có 5 đoàn đến.",
                "On 5 February 2026, 5 delegations arrived.",
                "Ngày 6/2/2026 có 5 đoàn đến.",
                Ok("On 6 February 2026, 5 delegations arrived."),
            ),
            (
                "Có 3 tỉnh và 3 thành phố.",
                "There are 3 provinces and 3 cities.",
                "Có 4 tỉnh và 4 thành phố.",
                Ok("There are 4 provinces and 4 cities."),
            ),
            (
                "Có 3 tỉnh và 3 thành phố.",
                "There are 3 provinces and 3 cities.",
                "Có 4 tỉnh và 5 thành phố.",
                Err(R::AmbiguousPlaceable),
            ),
            (
                "Có 3 tỉnh tham gia.",
                "3 provinces and 3 cities took part.",
                "Có 4 tỉnh tham gia.",
                Err(R::AmbiguousPlaceable),
            ),
            ("Năm 2025 tăng 5%.", "In 2025 it rose 5%.", "Năm 2025 tăng 6%.", Ok("In 2025 it rose 6%.")),
            // Differences that are not placeables.
            (
                "Thương mại đạt 2,5 tỷ USD.",
                "Trade reached 2.5 billion USD.",
                "Thương mại giảm 3 tỷ USD.",
                Err(R::WordingDiffers),
            ),
            (
                "Thương mại đạt 2,5 tỷ USD.",
                "Trade reached 2.5 billion USD.",
                "Thương mại đạt hơn 3 tỷ USD.",
                Err(R::WordingDiffers),
            ),
            (
                "Thương mại đạt 2,5 tỷ USD.",
                "Trade reached 2.5 billion USD.",
                "Thương mại đạt 2,5 tỷ USD và 3 tỷ EUR.",
                Err(R::WordingDiffers),
            ),
            (
                "Thương mại đạt 2,5 tỷ USD.",
                "Trade reached 2.5 billion USD.",
                "Thương mại đạt 2,5 3 tỷ USD.",
                Err(R::PlaceablesDiffer),
            ),
            (
                "Thương mại đạt 2,5 tỷ USD.",
                "Trade reached 2.5 billion USD.",
                "thương mại đạt 2,5 tỷ USD",
                Err(R::NoChangeNeeded),
            ),
        ]);
    }

    /// A kind of slot in a generated TM unit.
    #[derive(Clone, Copy, Debug)]
    enum Slot {
        Int,
        Decimal,
        Thousands,
        Percent,
        Amount,
        Date { words: bool },
        DayMonth,
        Month,
        MonthYear,
        Range,
    }

    const SLOTS: [Slot; 11] = [
        Slot::Int,
        Slot::Decimal,
        Slot::Thousands,
        Slot::Percent,
        Slot::Amount,
        Slot::Date { words: false },
        Slot::Date { words: true },
        Slot::DayMonth,
        Slot::Month,
        Slot::MonthYear,
        Slot::Range,
    ];

    /// A random value of `slot`: its Vietnamese text and its values (two
    /// for a range).
    fn generate(rng: &mut Rng, slot: Slot) -> (String, Vec<Value>) {
        let month = |rng: &mut Rng| rng.below(12) as u32 + 1;
        let day = |rng: &mut Rng| rng.below(28) as u32 + 1;
        let year = |rng: &mut Rng| 1990 + rng.below(40) as u32;
        let decimal = |rng: &mut Rng| format!("{},{}", rng.below(10), 1 + rng.below(9));
        let number = |digits: &str, percent: bool, scale: Option<Scale>| Value::Number {
            digits: digits.trim_end_matches('%').to_string(),
            percent,
            scale,
        };
        match slot {
            Slot::Int => {
                let n = (1 + rng.below(999)).to_string();
                (n.clone(), vec![number(&n, false, None)])
            }
            Slot::Decimal => {
                let d = decimal(rng);
                (d.clone(), vec![number(&d, false, None)])
            }
            Slot::Thousands => {
                let d = format!("{}.{:03}", 1 + rng.below(99), rng.below(1000));
                (d.clone(), vec![number(&d, false, None)])
            }
            Slot::Percent => {
                let d = decimal(rng);
                (format!("{d}%"), vec![number(&d, true, None)])
            }
            Slot::Amount => {
                let d = decimal(rng);
                let (vi, scale) = [
                    ("nghìn", Scale::Thousand),
                    ("triệu", Scale::Million),
                    ("tỷ", Scale::Billion),
                    ("nghìn tỷ", Scale::Trillion),
                ][rng.below(4)];
                (format!("{d} {vi}"), vec![number(&d, false, Some(scale))])
            }
            Slot::Date { words } => {
                let d = Date { day: day(rng), month: month(rng), year: year(rng) };
                let vi = if words {
                    format!("ngày {} tháng {} năm {}", d.day, d.month, d.year)
                } else {
                    format!("{}/{}/{}", d.day, d.month, d.year)
                };
                (vi, vec![Value::Date(d)])
            }
            Slot::DayMonth => {
                let (day, month) = (day(rng), month(rng));
                (format!("ngày {day}/{month}"), vec![Value::DayMonth { day, month }])
            }
            Slot::Month => {
                let m = month(rng);
                (format!("tháng {m}"), vec![Value::Month(m)])
            }
            Slot::MonthYear => {
                let (month, year) = (month(rng), year(rng));
                (format!("tháng {month}/{year}"), vec![Value::MonthYear { month, year }])
            }
            Slot::Range => {
                let (a, b) = (decimal(rng), decimal(rng));
                (format!("{a}-{b}"), vec![number(&a, false, None), number(&b, false, None)])
            }
        }
    }

    /// `values` in English, in target style number `style`; `old` is the
    /// value whose rendering decided the style (an "April" written in the
    /// abbreviated style is indistinguishable from the full one, so the
    /// first style giving the same text is the one the target shows).
    fn english(values: &[Value], old: &[Value], style: usize) -> String {
        let one = |v: &Value, old: &Value| match v {
            Value::Number { digits, percent: true, .. } => {
                format!("{}{}", vi_number_to_en(digits), ["%", " percent", " per cent"][style % 3])
            }
            Value::Number { scale: Some(_), .. } => render_style(v, Style::English { scale: true }).unwrap(),
            Value::Number { digits, .. } => vi_number_to_en(digits),
            _ => {
                let styles = styles_of(old);
                let chosen = render_style(old, styles[style % styles.len()]);
                let effective = styles.iter().find(|s| render_style(old, **s) == chosen).unwrap();
                render_style(v, *effective).unwrap()
            }
        };
        values.iter().zip(old).map(|(v, o)| one(v, o)).collect::<Vec<_>>().join("-")
    }

    const VI_FILLER: &[&str] =
        &["hai bên", "nhất trí", "kim ngạch", "đạt", "hợp tác", "đoàn", "ký kết", "tăng", "khoảng", "vào", "đến"];
    const EN_FILLER: &[&str] = &["both sides", "agreed", "trade", "reached", "cooperation", "the delegation", "signed"];

    /// Property: for random TM units and queries that differ only in
    /// placeables, an adapted target, when offered, is the stored target
    /// with exactly the query's values written in the target's own style:
    /// so it has every query placeable in target notation and none of the
    /// replaced ones. Adaptation must be offered in 95% of cases (refusals
    /// come from values repeated by chance).
    #[test]
    fn property_adapted_targets_carry_exactly_the_query_placeables() {
        let mut rng = Rng(0x005e_edad_a97a_b1e5);
        let (mut offered, mut changed_cases) = (0, 0);
        let mut failures = Vec::new();
        for _ in 0..3000 {
            let n = 1 + rng.below(4);
            let (mut source, mut query, mut target, mut expected) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
            let mut replaced = Vec::new();
            let mut new_values = Vec::new();
            let mut changed = false;
            for _ in 0..n {
                let (vf, ef) = (VI_FILLER[rng.below(VI_FILLER.len())], EN_FILLER[rng.below(EN_FILLER.len())]);
                let slot = SLOTS[rng.below(SLOTS.len())];
                let style = rng.below(12);
                let (vi_old, old) = generate(&mut rng, slot);
                let (vi_new, new) = if rng.below(10) < 6 {
                    let mut seed = Rng(rng.next() | 1);
                    std::iter::repeat_with(|| generate(&mut seed, slot)).find(|(v, _)| *v != vi_old).unwrap()
                } else {
                    (vi_old.clone(), old.clone())
                };
                let (en_old, en_new) = (english(&old, &old, style), english(&new, &old, style));
                if vi_new != vi_old {
                    changed = true;
                    replaced.push(en_old.clone());
                }
                new_values.push(en_new.clone());
                source.push(format!("{vf} {vi_old}"));
                query.push(format!("{vf} {vi_new}"));
                target.push(format!("{ef} {en_old}"));
                expected.push(format!("{ef} {en_new}"));
            }
            let (source, query) = (format!("{} xong.", source.join(" ")), format!("{} xong.", query.join(" ")));
            let (target, expected) = (format!("{} today.", target.join(" ")), format!("{} today.", expected.join(" ")));
            if !changed {
                continue;
            }
            changed_cases += 1;
            let Ok(adapted) = adapt(&source, &target, &query) else { continue };
            offered += 1;
            let has = |s: &str| !find_phrases(&adapted, s).is_empty() || adapted.contains(&format!(" {s} "));
            let missing: Vec<&String> = new_values.iter().filter(|v| !has(v)).collect();
            // A replaced rendering may legitimately remain only where a
            // query value writes the same text.
            let stale: Vec<&String> =
                replaced.iter().filter(|r| has(r) && !new_values.iter().any(|v| v.contains(r.as_str()))).collect();
            if adapted != expected || !missing.is_empty() || !stale.is_empty() {
                failures.push(format!(
                    "  {source:?} -> {query:?}\n    target   {target:?}\n    expected {expected:?}\n    adapted  {adapted:?}\n    missing {missing:?} stale {stale:?}"
                ));
            }
        }
        let shown: Vec<&String> = failures.iter().take(15).collect();
        assert!(
            failures.is_empty(),
            "{} wrong adaptations, e.g.:\n{}",
            failures.len(),
            shown.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n")
        );
        assert!(offered * 100 >= changed_cases * 95, "adapted only {offered} of {changed_cases} changed units");
    }
}
