//! Edit distances over characters, allocation-free in the steady state.
//!
//! Lookup scores every candidate with a normalised Damerau–Levenshtein
//! similarity and, for reordered syllables, a normalised Levenshtein one.
//! These functions return exactly what `strsim::normalized_damerau_levenshtein`
//! and `strsim::normalized_levenshtein` return (a test compares them on
//! thousands of inputs), but keep their buffers in a per-thread scratch
//! area instead of allocating several vectors and a hash map per call.

use std::cell::RefCell;

/// `1 − d / max(|a|, |b|)` with `d` the unrestricted Damerau–Levenshtein
/// distance (insertions, deletions, substitutions and transpositions of
/// adjacent characters, which may be edited again), lengths in characters;
/// `1.0` for two empty strings.
pub fn normalized_damerau_levenshtein(a: &str, b: &str) -> f64 {
    normalized(a, b, |s| damerau(&s.a, &s.b, &mut s.table, &mut s.last_row))
}

/// `1 − d / max(|a|, |b|)` with `d` the Levenshtein distance in characters;
/// `1.0` for two empty strings.
pub fn normalized_levenshtein(a: &str, b: &str) -> f64 {
    normalized(a, b, |s| levenshtein(&s.a, &s.b, &mut s.table))
}

/// Loads both strings as chars into the scratch area and normalises the
/// distance `distance` computes there.
fn normalized(a: &str, b: &str, distance: impl FnOnce(&mut Scratch) -> usize) -> f64 {
    SCRATCH.with(|s| {
        let s = &mut *s.borrow_mut();
        load(&mut s.a, a);
        load(&mut s.b, b);
        let longest = s.a.len().max(s.b.len());
        if longest == 0 {
            return 1.0;
        }
        1.0 - distance(s) as f64 / longest as f64
    })
}

#[derive(Default)]
struct Scratch {
    a: Vec<char>,
    b: Vec<char>,
    table: Vec<usize>,
    /// Last row (1-based) where each character was seen in `a`: ASCII in
    /// the first 128 slots, anything else in the tail as (char, row) pairs.
    last_row: LastRow,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

fn load(buf: &mut Vec<char>, s: &str) {
    buf.clear();
    buf.extend(s.chars());
}

struct LastRow {
    ascii: [usize; 128],
    other: Vec<(char, usize)>,
}

impl Default for LastRow {
    fn default() -> Self {
        LastRow { ascii: [0; 128], other: Vec::new() }
    }
}

impl LastRow {
    fn clear(&mut self) {
        self.ascii = [0; 128];
        self.other.clear();
    }

    fn get(&self, c: char) -> usize {
        if c.is_ascii() {
            self.ascii[c as usize]
        } else {
            self.other.iter().find(|(k, _)| *k == c).map_or(0, |&(_, r)| r)
        }
    }

    fn set(&mut self, c: char, row: usize) {
        if c.is_ascii() {
            self.ascii[c as usize] = row;
        } else if let Some(slot) = self.other.iter_mut().find(|(k, _)| *k == c) {
            slot.1 = row;
        } else {
            self.other.push((c, row));
        }
    }
}

/// Lowrance–Wagner dynamic programme for the unrestricted distance, on a
/// `(|a|+2) × (|b|+2)` table whose first row and column hold a sentinel.
fn damerau(a: &[char], b: &[char], table: &mut Vec<usize>, last_row: &mut LastRow) -> usize {
    let (n, m) = (a.len(), b.len());
    let width = m + 2;
    let sentinel = n + m;
    table.clear();
    table.resize((n + 2) * width, 0);
    let at = |i: usize, j: usize| i * width + j;
    table[at(0, 0)] = sentinel;
    for i in 0..=n {
        table[at(i + 1, 0)] = sentinel;
        table[at(i + 1, 1)] = i;
    }
    for j in 0..=m {
        table[at(0, j + 1)] = sentinel;
        table[at(1, j + 1)] = j;
    }
    last_row.clear();
    for i in 1..=n {
        let mut last_col = 0;
        for j in 1..=m {
            let i1 = last_row.get(b[j - 1]);
            let j1 = last_col;
            let cost = if a[i - 1] == b[j - 1] {
                last_col = j;
                0
            } else {
                1
            };
            let substitute = table[at(i, j)] + cost;
            let insert = table[at(i + 1, j)] + 1;
            let delete = table[at(i, j + 1)] + 1;
            let transpose = table[at(i1, j1)] + (i - i1 - 1) + 1 + (j - j1 - 1);
            table[at(i + 1, j + 1)] = substitute.min(insert).min(delete).min(transpose);
        }
        last_row.set(a[i - 1], i);
    }
    table[at(n + 1, m + 1)]
}

/// Two-row Levenshtein distance.
fn levenshtein(a: &[char], b: &[char], rows: &mut Vec<usize>) -> usize {
    let m = b.len();
    rows.clear();
    rows.extend(0..=m);
    rows.resize(2 * (m + 1), 0);
    let (mut prev, mut cur) = (0, m + 1);
    for (i, x) in a.iter().enumerate() {
        rows[cur] = i + 1;
        for (j, y) in b.iter().enumerate() {
            let sub = rows[prev + j] + usize::from(x != y);
            rows[cur + j + 1] = sub.min(rows[prev + j + 1] + 1).min(rows[cur + j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    rows[prev + m]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_support::Rng;

    fn string(rng: &mut Rng, alphabet: &[char], max_len: usize) -> String {
        let len = rng.below(max_len + 1);
        (0..len).map(|_| alphabet[rng.below(alphabet.len())]).collect()
    }

    #[test]
    fn equals_strsim_on_random_strings() {
        // Small alphabets make repeats and transpositions frequent; the
        // Vietnamese letters exercise the non-ASCII path.
        let alphabets: [&[char]; 3] =
            [&['a', 'b', 'c'], &['a', 'b', 'c', 'd', ' ', 'e', 'n', 'g'], &['ư', 'ơ', 'a', 'đ', 'n', ' ', 'ệ']];
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for alphabet in alphabets {
            for _ in 0..3000 {
                let a = string(&mut rng, alphabet, 9);
                let b = string(&mut rng, alphabet, 9);
                assert_eq!(
                    normalized_damerau_levenshtein(&a, &b),
                    strsim::normalized_damerau_levenshtein(&a, &b),
                    "damerau {a:?} {b:?}"
                );
                assert_eq!(normalized_levenshtein(&a, &b), strsim::normalized_levenshtein(&a, &b), "lev {a:?} {b:?}");
            }
        }
    }

    #[test]
    fn known_distances() {
        // (a, b, damerau distance, levenshtein distance)
        let cases = [
            ("", "", 0, 0),
            ("abc", "", 3, 3),
            ("ca", "abc", 2, 3),
            ("huu nghi", "huu ngih", 1, 2),
            ("hợp tác", "hợp tác", 0, 0),
            ("đường", "dương", 2, 2),
            ("a cat", "an act", 2, 3),
        ];
        for (a, b, dl, lev) in cases {
            let longest = a.chars().count().max(b.chars().count());
            if longest == 0 {
                assert_eq!(normalized_damerau_levenshtein(a, b), 1.0);
                continue;
            }
            assert_eq!(normalized_damerau_levenshtein(a, b), 1.0 - dl as f64 / longest as f64, "{a:?} {b:?}");
            assert_eq!(normalized_levenshtein(a, b), 1.0 - lev as f64 / longest as f64, "{a:?} {b:?}");
        }
    }
}
