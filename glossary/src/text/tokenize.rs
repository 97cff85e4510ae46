//! Syllable tokenisation of original (unnormalised) text.
//!
//! Vietnamese writes one syllable per space-separated unit, and glossary
//! matching works on syllable sequences, so the tokenizer's job is to find
//! syllables, numbers and punctuation and report *where* they are. It runs
//! on the text exactly as the user supplied it and returns byte offsets, so
//! a match found on normalised keys can be highlighted in the original.
//! Callers normalise each token's text themselves (usually with
//! [`crate::text::normalized_key`]).

use unicode_normalization::char::is_combining_mark;

use super::normalize::is_invisible;

/// What a [`Token`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// A run of letters (with their combining marks) and digits that starts
    /// with a letter: a syllable, a foreign word, an acronym, or an
    /// alphanumeric code such as `G20` or `H5N1`.
    Word,
    /// A run that starts with a digit: digits, with `.`, `,`, `/` or `:`
    /// allowed between digits and an optional trailing `%`, e.g. `2,5`,
    /// `1.000.000`, `5/2/2026`, `10:30`, `15%`.
    Number,
    /// Any other visible character, one per token (a dash is always its own
    /// token); a run of three or more periods forms a single ellipsis token.
    Punct,
}

/// A token of the input with its position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    /// The token as it appears in the input; always `&input[start..end]`.
    pub text: &'a str,
    /// Byte offset of the first byte of the token in the input.
    pub start: usize,
    /// Byte offset one past the last byte of the token in the input.
    pub end: usize,
    /// What kind of token this is.
    pub kind: TokenKind,
}

/// Characters that continue a word once it has started.
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    super::is_letter(c) || c.is_numeric() || is_combining_mark(c)
}

/// The length in bytes of the character at the start of `b` (valid UTF-8,
/// starting on a character) if it is a letter of U+00C0–U+023F other than
/// × and ÷, or of U+1E00–U+1EFF (all letters: [`super::is_letter`]), read
/// from its first two bytes; `None` for any other character.
#[inline]
fn vietnamese_letter_len(b: &[u8]) -> Option<usize> {
    match *b {
        // U+00D7 × and U+00F7 ÷ are C3 97 and C3 B7.
        [0xC3, 0x97 | 0xB7, ..] => None,
        [0xC3..=0xC8, _, ..] => Some(2),
        // E1 B8 80 (U+1E00) to E1 BB BF (U+1EFF).
        [0xE1, 0xB8..=0xBB, _, ..] => Some(3),
        _ => None,
    }
}

/// Splits the original text into words, numbers and punctuation, skipping
/// whitespace.
///
/// * **Word**: a maximal run of letters, combining marks and digits that
///   starts with a letter. Hyphens, dashes and apostrophes are *not* part
///   of words: "Việt Nam-Lào" gives `Việt`, `Nam`, `-`, `Lào`, and
///   "COVID-19" gives `COVID`, `-`, `19`. This keeps tokens aligned with
///   syllables, which is what the glossary matches on.
/// * **Number**: a run starting with a digit, covering digits joined by
///   `.`, `,`, `/` or `:` (each followed by a digit) and an optional
///   trailing `%`. Vietnamese uses `.` for thousands and `,` for decimals,
///   but English sources do the opposite, so both are accepted anywhere.
///   A range "10–15%" gives `10`, `–`, `15%`.
/// * **Punct**: any other character that is not whitespace, one per token,
///   together with any combining marks that follow it (so a grapheme is
///   never split). A run of three or more `.` is one token.
///
/// Invisible characters (zero-width space and joiners, soft hyphen, BOM,
/// bidi marks) are skipped between tokens and kept inside a word they
/// interrupt: a word broken by a soft hyphen or a zero-width space stays
/// one token, just as [`crate::text::clean`] joins it into one word.
///
/// Offsets are byte offsets into `s`, and `&s[t.start..t.end] == t.text`
/// always holds.
#[must_use]
pub fn tokenize(s: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::with_capacity(s.len() / 5 + 1);
    tokenize_into(s, &mut tokens);
    tokens
}

/// [`tokenize`] into a vector the caller keeps (it is cleared first), so
/// that tokenising many sentences reuses one allocation.
pub fn tokenize_into<'a>(s: &'a str, tokens: &mut Vec<Token<'a>>) {
    tokens.clear();
    // Positions are byte offsets; `at` decodes the character starting there.
    let at = |i: usize| s.get(i..).and_then(|rest| rest.chars().next());
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // ASCII needs no decoding (most of the bytes even of Vietnamese text).
        let c = if bytes[i].is_ascii() { char::from(bytes[i]) } else { at(i).expect("a character starts here") };
        if c.is_whitespace() || is_invisible(c) {
            i += c.len_utf8();
            continue;
        }
        let start = i;
        let kind;
        if super::is_letter(c) {
            kind = TokenKind::Word;
            i += c.len_utf8();
            loop {
                // ASCII letters and digits continue a word; other ASCII
                // characters end it (none is invisible or a combining mark).
                while bytes.get(i).is_some_and(u8::is_ascii_alphanumeric) {
                    i += 1;
                }
                if bytes.get(i).is_none_or(u8::is_ascii) {
                    break;
                }
                // The letters of Vietnamese (Latin-1 to Latin Extended-B,
                // Latin Extended Additional) continue a word without
                // decoding; anything else is decoded below.
                if let Some(n) = vietnamese_letter_len(&bytes[i..]) {
                    i += n;
                    continue;
                }
                let d = at(i).expect("a character starts here");
                if is_word_char(d) {
                    i += d.len_utf8();
                    continue;
                }
                // Invisible characters stay inside the word only when a
                // word character follows them (none is one itself).
                if !is_invisible(d) {
                    break;
                }
                let mut j = i + d.len_utf8();
                while let Some(e) = at(j).filter(|&e| is_invisible(e)) {
                    j += e.len_utf8();
                }
                match at(j) {
                    Some(e) if is_word_char(e) => i = j + e.len_utf8(),
                    _ => break,
                }
            }
        } else if c.is_numeric() {
            kind = TokenKind::Number;
            i += c.len_utf8();
            loop {
                match at(i) {
                    Some(d) if d.is_numeric() => i += d.len_utf8(),
                    // The separator is ASCII, so the digit starts at `i + 1`.
                    Some('.' | ',' | '/' | ':') => match at(i + 1) {
                        Some(d) if d.is_numeric() => i += 1 + d.len_utf8(),
                        _ => break,
                    },
                    _ => break,
                }
            }
            if at(i) == Some('%') {
                i += 1;
            }
        } else {
            kind = TokenKind::Punct;
            let dots = s[i..].bytes().take_while(|&b| b == b'.').count();
            i += if dots >= 3 { dots } else { c.len_utf8() };
            while let Some(d) = at(i).filter(|&d| is_combining_mark(d)) {
                i += d.len_utf8();
            }
        }
        tokens.push(Token { text: &s[start..i], start, end: i, kind });
    }
}

#[cfg(test)]
mod tests {
    /// The byte-level letter test agrees with decoding the character and
    /// asking [`super::super::is_letter`], for every character it accepts
    /// and every character of the blocks around them.
    #[test]
    fn vietnamese_letters_by_bytes() {
        let mut accepted = 0;
        for c in (0x80u32..0x2100).filter_map(char::from_u32) {
            let mut buf = [0u8; 4];
            let s = c.encode_utf8(&mut buf);
            let mut bytes = s.as_bytes().to_vec();
            bytes.extend_from_slice(b"ab");
            match super::vietnamese_letter_len(&bytes) {
                Some(n) => {
                    assert_eq!(n, c.len_utf8(), "{c:?}");
                    assert!(super::super::is_letter(c), "{c:?} U+{:04X}", c as u32);
                    accepted += 1;
                }
                None => assert!(
                    !((0xC0..=0x23F).contains(&(c as u32)) || (0x1E00..=0x1EFF).contains(&(c as u32)))
                        || !super::super::is_letter(c),
                    "{c:?} U+{:04X} is a letter of the fast ranges",
                    c as u32
                ),
            }
        }
        assert_eq!(accepted, (0x240 - 0xC0 - 2) + 0x100);
    }
}
