//! Placeables: numbers, percentages, money amounts and dates that a
//! translator substitutes mechanically when a TM match differs from the
//! query only in them.
//!
//! Vietnamese writes `2,5` for two and a half and `1.000.000` for a million;
//! English swaps the two separators. Dates are day-first (`5/2/2026`); an
//! English target may spell them `5 February 2026`, `February 5, 2026`,
//! `5/2/2026` or `2026-02-05`, and the substitute keeps the target's style.

use std::ops::Range;

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
    /// Parses `d/m/yyyy` (Vietnamese order).
    pub fn parse_vi(s: &str) -> Option<Date> {
        let mut it = s.split('/');
        let (d, m, y) = (it.next()?.parse().ok()?, it.next()?.parse().ok()?, it.next()?.parse().ok()?);
        if it.next().is_some() || !(1..=31).contains(&d) || !(1..=12).contains(&m) || !(1000..=9999).contains(&y) {
            return None;
        }
        Some(Date { day: d, month: m, year: y })
    }

    /// The ways an English text may write this date, with a renderer for each.
    fn styles(self) -> [String; 4] {
        let month = MONTHS[self.month as usize - 1];
        [
            format!("{} {} {}", self.day, month, self.year),
            format!("{} {}, {}", month, self.day, self.year),
            format!("{}-{:02}-{:02}", self.year, self.month, self.day),
            format!("{}/{}/{}", self.day, self.month, self.year),
        ]
    }
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

/// Finds the target's rendering of source number `from` (Vietnamese
/// notation) and returns the replacement rendering `to` the same way.
/// `skip` occurrences are passed over (for repeated numbers).
pub fn replace_number(target: &str, from: &str, to: &str, skip: usize) -> Option<Replacement> {
    if let (Some(a), Some(b)) = (Date::parse_vi(from), Date::parse_vi(to)) {
        for (style_a, style_b) in a.styles().iter().zip(b.styles().iter()) {
            if let Some(range) = find_phrase(target, style_a, skip) {
                return Some(Replacement { from: target[range.clone()].to_string(), range, with: style_b.clone() });
            }
        }
        return None;
    }
    let core = |s: &str| s.trim_end_matches('%').to_string();
    let (from_core, to_core) = (core(from), core(to));
    // English notation first, then the number as written in the source.
    for (needle, with) in
        [(vi_number_to_en(&from_core), vi_number_to_en(&to_core)), (from_core.clone(), to_core.clone())]
    {
        let mut seen = 0;
        for t in text::tokenize(target) {
            if t.kind == TokenKind::Number && core(t.text) == needle {
                if seen == skip {
                    let end = t.start + needle.len();
                    return Some(Replacement { range: t.start..end, from: needle.clone(), with });
                }
                seen += 1;
            }
        }
    }
    None
}

/// Byte range of the `skip`-th occurrence of `phrase` in `hay` at word boundaries.
fn find_phrase(hay: &str, phrase: &str, skip: usize) -> Option<Range<usize>> {
    let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
    hay.match_indices(phrase)
        .filter(|(i, m)| boundary(hay[..*i].chars().next_back()) && boundary(hay[i + m.len()..].chars().next()))
        .nth(skip)
        .map(|(i, m)| i..i + m.len())
}

/// Applies non-overlapping replacements to `target`.
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

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn replacements_keep_the_target_style() {
        let cases: &[(&str, &str, &str, Option<&str>)] = &[
            ("Trade reached 2.5 billion USD.", "2,5", "3", Some("Trade reached 3 billion USD.")),
            ("Trade reached 2.5 billion USD.", "2,5", "3,75", Some("Trade reached 3.75 billion USD.")),
            ("It grew by 15% in 2025.", "15%", "12%", Some("It grew by 12% in 2025.")),
            ("It grew by 15 percent.", "15%", "12%", Some("It grew by 12 percent.")),
            ("About 1,000 delegates attended.", "1.000", "1.200", Some("About 1,200 delegates attended.")),
            ("Signed on 5 February 2026.", "5/2/2026", "6/3/2026", Some("Signed on 6 March 2026.")),
            ("Signed on February 5, 2026.", "5/2/2026", "12/2/2026", Some("Signed on February 12, 2026.")),
            ("Signed on 2026-02-05.", "5/2/2026", "6/2/2026", Some("Signed on 2026-02-06.")),
            ("Signed on 5/2/2026.", "5/2/2026", "7/2/2026", Some("Signed on 7/2/2026.")),
            ("Up 25% from 2024.", "2,5", "3", None),
            ("The 12 projects.", "2", "3", None),
        ];
        for (target, from, to, expected) in cases {
            let got = replace_number(target, from, to, 0).and_then(|r| apply(target, vec![r]));
            assert_eq!(got.as_deref(), *expected, "{target:?}: {from} -> {to}");
        }
    }
}
