//! A fast path for [`folded_key`] of one token, for hot loops (term
//! recognition folds every token of every sentence).
//!
//! [`folded_key`] runs the whole pipeline (clean-up, NFD/NFC, tone
//! placement, Unicode lowercasing, punctuation) and allocates several
//! strings. For a token made only of ASCII characters other than
//! whitespace and `-`, and of precomposed letters whose folded key is one
//! ASCII letter (all Vietnamese letters, both cases), the key is simply the
//! concatenation of each character's folded key: lowercasing is per
//! character for these letters, diacritics are all removed whatever their
//! placement, and only `-` and whitespace get special treatment. The table
//! of those letters is computed once *from [`folded_key`] itself*, so the
//! two cannot disagree on a letter; anything else takes the slow path.
//! A test compares both on many random strings.

use std::sync::OnceLock;

use super::normalize::{folded_key, normalized_key};

/// Appends the [`folded_key`] of `s` to `out`.
pub fn push_folded(s: &str, out: &mut String) {
    let start = out.len();
    let table = letter_table();
    for c in s.chars() {
        let folded = if c.is_ascii() {
            (!c.is_ascii_whitespace() && c != '-').then(|| c.to_ascii_lowercase())
        } else {
            table.get(c)
        };
        match folded {
            Some(f) => out.push(f),
            None => {
                out.truncate(start);
                out.push_str(&folded_key(s));
                return;
            }
        }
    }
}

/// Whether [`normalized_key`]`(word) == norm`, for a `norm` that is itself
/// a normalised key (a fixed point of [`normalized_key`]).
///
/// Fast path: when `word` lowercases character by character to exactly
/// `norm`, the word already has canonical tone placement, no invisible
/// characters and no punctuation to unify (`norm` has none of those), so
/// its key is `norm` (the look-alike `Ð`, which the keys read as `Đ`, always
/// takes the slow path). Otherwise the full key is computed and compared.
pub fn normalizes_to(word: &str, norm: &str) -> bool {
    let mut rest = norm.chars();
    let same = word.chars().all(|c| {
        // `Ð` (U+00D0) is read as `Đ` by the keys, not lowercased to `ð`.
        if c == '\u{00D0}' {
            return false;
        }
        let mut lower = c.to_lowercase();
        match (lower.next(), lower.next()) {
            (Some(l), None) => rest.next() == Some(l),
            _ => false,
        }
    });
    (same && rest.next().is_none()) || normalized_key(word) == norm
}

/// Precomposed letters (Latin-1 Supplement to Latin Extended-B, and Latin
/// Extended Additional) whose folded key is a single ASCII letter.
struct LetterTable {
    low: Vec<u8>,
    additional: Vec<u8>,
}

const LOW: (u32, u32) = (0x00C0, 0x0250);
const ADDITIONAL: (u32, u32) = (0x1E00, 0x1F00);

impl LetterTable {
    fn get(&self, c: char) -> Option<char> {
        let code = c as u32;
        let b = if (LOW.0..LOW.1).contains(&code) {
            self.low[(code - LOW.0) as usize]
        } else if (ADDITIONAL.0..ADDITIONAL.1).contains(&code) {
            self.additional[(code - ADDITIONAL.0) as usize]
        } else {
            0
        };
        (b != 0).then_some(b as char)
    }
}

fn letter_table() -> &'static LetterTable {
    static TABLE: OnceLock<LetterTable> = OnceLock::new();
    TABLE.get_or_init(|| {
        let fill = |(from, to): (u32, u32)| -> Vec<u8> {
            (from..to)
                .map(|code| {
                    let Some(c) = char::from_u32(code).filter(|c| c.is_alphabetic()) else { return 0 };
                    let key = folded_key(&c.to_string());
                    match key.as_bytes() {
                        [b] if b.is_ascii_alphabetic() => *b,
                        _ => 0,
                    }
                })
                .collect()
        };
        LetterTable { low: fill(LOW), additional: fill(ADDITIONAL) }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fast(s: &str) -> String {
        let mut out = String::from("keep:");
        push_folded(s, &mut out);
        out.strip_prefix("keep:").expect("appends").to_string()
    }

    #[test]
    fn known_tokens() {
        let cases = [
            ("Đường", "duong"),
            ("HOÀ", "hoa"),
            ("hoà", "hoa"),
            ("Nghị", "nghi"),
            ("ỦY", "uy"),
            ("COVID", "covid"),
            ("2,5", "2,5"),
            ("15%", "15%"),
            ("–", "-"),
            ("…", "..."),
            ("“", "\""),
            ("Ð", "d"),
            ("İ", "i"),
            ("ß", "ß"),
            ("hợp\u{200B}tác", "hoptac"),
            ("ho\u{0300}a", "hoa"),
            ("", ""),
        ];
        for (token, want) in cases {
            assert_eq!(fast(token), want, "{token:?}");
            assert_eq!(fast(token), folded_key(token), "{token:?}");
        }
    }

    #[test]
    fn equals_folded_key_on_random_strings() {
        // Vietnamese letters in both cases, ASCII, digits, punctuation,
        // dashes and quotes, combining marks, invisible characters, spaces,
        // and a few letters outside Vietnamese.
        let alphabet: Vec<char> = "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵÀÁẢÃẠẰẮẲẴẶẦẤẨẪẬÈÉẺẼẸỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌỒỐỔỖỘỜỚỞỠỢÙÚỦŨỤỪỨỬỮỰỲÝỶỸỴ0123456789.,;:%/()'\"-–—“”…ÐİßøæÇñ\u{0300}\u{0301}\u{0303}\u{0309}\u{0323}\u{0302}\u{031B}\u{200B}\u{00AD} \u{00A0}"
                .chars()
                .collect();
        let mut state: u64 = 0x853c_49e6_748f_ea9b;
        for _ in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 9) as usize;
            let mut s = String::new();
            let mut x = state;
            for _ in 0..len {
                x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                s.push(alphabet[((x >> 33) % alphabet.len() as u64) as usize]);
            }
            assert_eq!(fast(&s), folded_key(&s), "{s:?}");
            // The shortcut of `normalizes_to`: claiming "equal" from a
            // per-character lowercase match must agree with the full key.
            let lower: String = s.chars().flat_map(char::to_lowercase).collect();
            if normalized_key(&lower) == lower {
                assert_eq!(normalizes_to(&s, &lower), normalized_key(&s) == lower, "{s:?}");
            }
            let norm = normalized_key(&s);
            assert!(normalizes_to(&s, &norm), "{s:?}");
        }
    }
}
