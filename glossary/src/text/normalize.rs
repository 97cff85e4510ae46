//! Cleaning, canonicalisation and matching keys for Vietnamese text.
//!
//! The functions here are pure string-to-string transformations. They are
//! layered: [`clean`] produces the display form, [`canonical_tones`] fixes
//! the one spelling variation that Unicode normalisation cannot (tone mark
//! placement), and [`normalized_key`] / [`folded_key`] combine everything
//! into keys used for lookups. See the module documentation of
//! [`crate::text`] for the overall design.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

// ---------------------------------------------------------------------------
// Character classes shared with the tokenizer and the sentence splitter.
// ---------------------------------------------------------------------------

/// Characters that have no visible rendering and carry no meaning for
/// matching, so they are deleted from the display form.
///
/// Besides the zero-width characters and the soft hyphen required by the
/// specification, this includes the bidirectional control marks and
/// isolates (LRM, RLM, ALM, LRE…PDF, LRI…PDI): they are routinely pasted in
/// from web pages and Word documents, are invisible in left-to-right text and
/// would otherwise make two visually identical terms compare unequal. The
/// Mongolian vowel separator (formerly a space, now a format character) and
/// the invisible mathematical operators are included for the same reason.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'                      // soft hyphen
            | '\u{061C}'                // Arabic letter mark
            | '\u{180E}'                // Mongolian vowel separator
            | '\u{200B}'..='\u{200F}'   // ZWSP, ZWNJ, ZWJ, LRM, RLM
            | '\u{202A}'..='\u{202E}'   // bidi embeddings / overrides
            | '\u{2060}'..='\u{2064}'   // word joiner, invisible operators
            | '\u{2066}'..='\u{2069}'   // bidi isolates
            | '\u{FEFF}' // zero-width no-break space / byte order mark
    )
}

/// Mandatory line breaks in the sense of Unicode's line breaking algorithm
/// (UAX #14 classes BK, CR, LF and NL).
///
/// `\r` is listed on its own; callers that must treat `\r\n` as a single
/// break handle the pair themselves.
pub(crate) fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{000B}' | '\u{000C}' | '\u{0085}' | '\u{2028}' | '\u{2029}')
}

/// Combining marks that count as *diacritics* for [`strip_diacritics`] and
/// [`has_diacritics`]: the combining diacritical mark blocks used by Latin,
/// Greek and Cyrillic text.
///
/// Marks of other scripts (Indic vowel signs, Hebrew points, …) are left
/// alone on purpose: removing them changes letters rather than accents, and
/// the accent-insensitive search this serves is about Latin-script input.
fn is_diacritic_mark(c: char) -> bool {
    matches!(
        c,
        '\u{0300}'..='\u{036F}'
            | '\u{1AB0}'..='\u{1AFF}'
            | '\u{1DC0}'..='\u{1DFF}'
            | '\u{20D0}'..='\u{20FF}'
            | '\u{FE20}'..='\u{FE2F}'
    )
}

/// `Ð` (U+00D0, Latin capital letter eth) is visually identical to `Đ`
/// (U+0110) and regularly shows up in Vietnamese text produced by legacy
/// encoders and some keyboard layouts. We treat it as `Đ` wherever letters
/// are compared, never in the display form.
const CAPITAL_ETH: char = '\u{00D0}';

// ---------------------------------------------------------------------------
// Display form
// ---------------------------------------------------------------------------

/// Cleans single-line text (a term, a query, a sentence) into its display
/// form.
///
/// * Invisible characters (zero-width space/joiners, word joiner, BOM, soft
///   hyphen, bidi controls) are deleted. This happens *before*
///   composition, so a soft hyphen that split a letter from its accent does
///   not prevent them from composing.
/// * The result is in Unicode NFC, so equal-looking strings from different
///   input methods become byte-equal.
/// * Every whitespace character (ASCII, NBSP, narrow NBSP, figure space, the
///   other Unicode spaces, tabs, line breaks) becomes one ASCII space, runs
///   are collapsed and the ends trimmed.
///
/// Nothing else changes: letters, case, tone mark placement and punctuation
/// are what the author wrote, because this is what users see.
#[must_use]
pub fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    clean_into(s, &mut out);
    out
}

/// [`clean`], appending to `out`.
fn clean_into(s: &str, out: &mut String) {
    if is_clean_already(s) {
        out.push_str(s);
        return;
    }
    // Most text arrives already in NFC without invisible characters: the
    // quick check answers that without decomposing, and then only the
    // whitespace needs work.
    if s.chars().all(is_plain_nfc) || (!s.chars().any(is_invisible) && is_nfc_quick(s.chars()) == IsNormalized::Yes) {
        return collapse_whitespace_into(s, out);
    }
    let composed: String = s.chars().filter(|&c| !is_invisible(c)).nfc().collect();
    collapse_whitespace_into(&composed, out)
}

/// Whether [`clean`] leaves `s` as it is: characters of [`is_plain_nfc`]
/// only, and no whitespace but single spaces between other characters (one
/// pass, as most lines of a document are already like that).
fn is_clean_already(s: &str) -> bool {
    if s.starts_with(' ') || s.ends_with(' ') {
        return false;
    }
    let b = s.as_bytes();
    let mut after_space = false;
    let mut i = 0;
    while i < b.len() {
        // Visible ASCII (most bytes): plain, not whitespace.
        let run = i;
        while b.get(i).is_some_and(|x| (0x21..0x7F).contains(x)) {
            i += 1;
        }
        if i > run {
            after_space = false;
            if i == b.len() {
                break;
            }
        }
        let x = b[i];
        if x == b' ' {
            if after_space {
                return false;
            }
            after_space = true;
            i += 1;
            continue;
        }
        after_space = false;
        // The precomposed letters of Vietnamese text, from their first
        // bytes: U+00C0–U+023F (below U+0300, not the soft hyphen) and
        // U+1EA0–U+1EF9 are plain and not whitespace.
        if let Some(n) = plain_letter_len(&b[i..]) {
            i += n;
            continue;
        }
        if x.is_ascii() {
            // Every ASCII character is plain; of them, only the tab and
            // the line breaks (U+0009–U+000D) are whitespace besides the space.
            if (0x09..=0x0D).contains(&x) {
                return false;
            }
            i += 1;
        } else {
            let c = s[i..].chars().next().expect("a character starts here");
            if c.is_whitespace() || !is_plain_nfc(c) {
                return false;
            }
            i += c.len_utf8();
        }
    }
    true
}

/// The length in bytes of the character at the start of `b` (valid UTF-8,
/// starting on a character) if it lies in U+00C0–U+023F or U+1EA0–U+1EF9
/// (all [`is_plain_nfc`] and none whitespace), read from its first bytes;
/// `None` for any other character.
#[inline]
fn plain_letter_len(b: &[u8]) -> Option<usize> {
    match *b {
        [0xC3..=0xC8, _, ..] => Some(2),
        // E1 BA A0 (U+1EA0) to E1 BB B9 (U+1EF9).
        [0xE1, 0xBA, 0xA0..=0xBF, ..] | [0xE1, 0xBB, 0x80..=0xB9, ..] => Some(3),
        _ => None,
    }
}

/// Characters that are visible, have canonical combining class 0 and are
/// NFC-stable on their own (so a string made only of them is in NFC):
/// Latin-1, Latin Extended-A and -B, the precomposed Vietnamese letters and
/// the dashes, quotes and ellipsis of General Punctuation. Nearly all
/// Vietnamese text consists of these, and this test is much cheaper than
/// the Unicode quick check. The claim is tested character by character
/// against [`is_nfc_quick`].
fn is_plain_nfc(c: char) -> bool {
    (c < '\u{0300}' && c != '\u{00AD}')
        || ('\u{1EA0}'..='\u{1EF9}').contains(&c)
        || ('\u{2010}'..='\u{2027}').contains(&c)
}

/// Cleans a multi-line document while keeping its line structure, which in
/// our corpus carries meaning (headlines, paragraphs, list items).
///
/// * `\r\n`, lone `\r` and the other Unicode mandatory breaks (vertical
///   tab, form feed, NEL, U+2028, U+2029) all become `\n`.
/// * Each line is cleaned with [`clean`]: spaces collapsed, line trimmed.
/// * Several consecutive blank lines (including lines containing only
///   whitespace or invisible characters) become a single blank line, which
///   is how paragraphs are separated; blank lines at the start and end are
///   removed. The result has no trailing newline.
#[must_use]
pub fn clean_multiline(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut blank_pending = false;
    for line in split_lines(s) {
        let before = out.len();
        if before > 0 {
            out.push('\n');
            if blank_pending {
                out.push('\n');
            }
        }
        let content = out.len();
        clean_into(line, &mut out);
        if out.len() == content {
            // Only remember blank lines *between* content, never leading ones.
            out.truncate(before);
            blank_pending = before > 0;
            continue;
        }
        blank_pending = false;
    }
    out
}

/// Splits on mandatory line breaks, treating `\r\n` as one break. Reads
/// bytes: the breaks of [`is_line_break`] are `\n`, `\r`, `\x0B`, `\x0C`
/// and the UTF-8 sequences of U+0085 (`C2 85`), U+2028 (`E2 80 A8`) and
/// U+2029 (`E2 80 A9`), which never occur inside another character.
fn split_lines(s: &str) -> Vec<&str> {
    let b = s.as_bytes();
    let mut lines = Vec::new();
    let (mut start, mut i) = (0, 0);
    // Skip to the next byte that may start a break.
    while let Some(k) = b[i..].iter().position(|&x| matches!(x, b'\n' | b'\r' | 0x0B | 0x0C | 0xC2 | 0xE2)) {
        i += k;
        let len = match b[i] {
            b'\n' | 0x0B | 0x0C => 1,
            b'\r' => 1 + usize::from(b.get(i + 1) == Some(&b'\n')),
            0xC2 if b.get(i + 1) == Some(&0x85) => 2,
            0xE2 if b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0xA8 | 0xA9)) => 3,
            _ => {
                i += 1;
                continue;
            }
        };
        lines.push(&s[start..i]);
        i += len;
        start = i;
    }
    lines.push(&s[start..]);
    lines
}

/// Replaces every run of whitespace by one ASCII space and trims the ends,
/// appending the result to `out`.
fn collapse_whitespace_into(s: &str, out: &mut String) {
    let mut first = true;
    for word in s.split(char::is_whitespace).filter(|w| !w.is_empty()) {
        if !first {
            out.push(' ');
        }
        first = false;
        out.push_str(word);
    }
}

// ---------------------------------------------------------------------------
// Tone mark placement
// ---------------------------------------------------------------------------

/// Combining grave accent: the *huyền* tone.
const GRAVE: char = '\u{0300}';
/// Combining acute accent: the *sắc* tone.
const ACUTE: char = '\u{0301}';
/// Combining tilde: the *ngã* tone.
const TILDE: char = '\u{0303}';
/// Combining hook above: the *hỏi* tone.
const HOOK_ABOVE: char = '\u{0309}';
/// Combining dot below: the *nặng* tone.
const DOT_BELOW: char = '\u{0323}';

/// Combining circumflex: part of the letters â, ê, ô.
const CIRCUMFLEX: char = '\u{0302}';
/// Combining breve: part of the letter ă.
const BREVE: char = '\u{0306}';
/// Combining horn: part of the letters ơ, ư.
const HORN: char = '\u{031B}';

/// Every vowel nucleus (the vowel letters that remain after removing the
/// glide of a `qu`/`gi` onset) that occurs in Vietnamese syllables, spelled
/// in lowercase without tone.
///
/// A syllable whose nucleus is not listed is treated as foreign and left
/// untouched. This keeps [`canonical_tones`] from "correcting" words such as
/// French *où* (whose vowel run `ou` does not exist in Vietnamese) while all
/// genuine old/new spelling pairs still meet. `oo` only occurs in loanwords
/// (*xoong*, *moóc*) and `oao` / `uêu` only in reduplicated onomatopoeia, but
/// they are genuine Vietnamese spellings.
const VIETNAMESE_NUCLEI: &[&str] = &[
    // single vowels
    "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", //
    // two vowels
    "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi", "oo", "ôi", "ơi", "ua",
    "uâ", "uê", "ui", "uô", "uơ", "uy", "ưa", "ưi", "ưu", "ươ", "yê", // three vowels
    "iêu", "yêu", "oai", "oao", "oay", "oeo", "uây", "uêu", "uôi", "uya", "uyê", "uyu", "ươi", "ươu",
];

/// One letter of a decomposed syllable: the base letter as written (case
/// preserved) plus at most one quality mark and at most one tone mark.
#[derive(Debug, Clone, Copy)]
struct Letter {
    base: char,
    quality: Option<char>,
    tone: Option<char>,
}

impl Letter {
    /// The base letter in lowercase (bases are ASCII or đ/Đ/Ð).
    fn lower(&self) -> char {
        self.base.to_ascii_lowercase()
    }

    fn is_vowel(&self) -> bool {
        matches!(self.lower(), 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
    }

    /// The vowel as a Vietnamese letter, lowercase and without tone, e.g.
    /// `ư` for `U` + horn. Only meaningful for vowels.
    fn vowel_letter(&self) -> char {
        match (self.lower(), self.quality) {
            ('a', Some(BREVE)) => 'ă',
            ('a', Some(CIRCUMFLEX)) => 'â',
            ('e', Some(CIRCUMFLEX)) => 'ê',
            ('o', Some(CIRCUMFLEX)) => 'ô',
            ('o', Some(HORN)) => 'ơ',
            ('u', Some(HORN)) => 'ư',
            (c, _) => c,
        }
    }
}

/// Moves the tone mark of every Vietnamese syllable to its canonical
/// position, so that the two spelling conventions in use compare equal.
///
/// Vietnamese has two conventions for the tone mark on syllables whose
/// nucleus has two or three vowels and no final consonant: the
/// traditional ("old") style writes *hòa, thúy, ủy, khỏe*, the newer style
/// *hoà, thuý, uỷ, khoẻ*. Both are common, often within one document, and
/// NFC does not unify them because they are different letters. This
/// function rewrites every syllable to the traditional style, the one the
/// project settled on; for matching, only the fact that both spellings
/// meet matters.
///
/// A syllable is a maximal run of letters (with their combining marks). It
/// is decomposed into letters, quality marks (circumflex, breve, horn,
/// which are part of the letter and never move) and one tone mark (grave,
/// acute, tilde, hook above, dot below). Its nucleus is its only run of
/// vowels (`a ă â e ê i o ô ơ u ư y`), minus the `u` of a `qu` onset and the
/// `i` of a `gi` onset when another vowel follows (*quý*, *già*, but *gì*).
/// The tone then goes:
///
/// 1. on the last vowel carrying a quality mark, if any (*người, được,
///    thuyết, hữu, mưa*);
/// 2. otherwise, if a final consonant follows, on the last vowel of the
///    nucleus (*hoàn, huỳnh, toán*);
/// 3. otherwise on the only vowel, on the first of two (*hòa, thúy, mùa,
///    tài*) or on the middle one of three (*ngoài, khuỷu, xoáy, ngoẹo*).
///
/// Syllables that are not plausibly Vietnamese are left exactly as they
/// are: no tone mark, more than one tone mark, a tone mark on a consonant,
/// more than one vowel run (*café*), a letter outside the Vietnamese
/// alphabet extended with f, j, w, z (*España*, *Zürich*), any other
/// combining mark, or a vowel sequence that Vietnamese does not have (*où*).
///
/// Case and all other characters are preserved; the output is NFC. The
/// function is idempotent, and as a side effect it also repairs misplaced
/// marks such as *qúy* → *quý*.
#[must_use]
pub fn canonical_tones(s: &str) -> String {
    let chars: Vec<char> = s.nfd().collect();
    let mut out: Vec<char> = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        if !super::is_letter(chars[i]) {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        while i < chars.len() && (super::is_letter(chars[i]) || is_combining_mark(chars[i])) {
            i += 1;
        }
        let run = &chars[start..i];
        match retone_syllable(run) {
            Some(fixed) => out.extend(fixed),
            None => out.extend_from_slice(run),
        }
    }
    out.into_iter().nfc().collect()
}

/// Splits an NFD letter run into [`Letter`]s, or returns `None` if the run
/// contains anything a Vietnamese syllable cannot.
fn parse_letters(run: &[char]) -> Option<Vec<Letter>> {
    let mut letters: Vec<Letter> = Vec::with_capacity(run.len());
    for &c in run {
        if is_combining_mark(c) {
            let letter = letters.last_mut()?;
            match c {
                GRAVE | ACUTE | TILDE | HOOK_ABOVE | DOT_BELOW => {
                    if letter.tone.replace(c).is_some() {
                        return None;
                    }
                }
                CIRCUMFLEX | BREVE | HORN => {
                    let valid = matches!(
                        (letter.lower(), c),
                        ('a', CIRCUMFLEX | BREVE) | ('e' | 'o', CIRCUMFLEX) | ('o' | 'u', HORN)
                    );
                    if !valid || letter.quality.replace(c).is_some() {
                        return None;
                    }
                }
                _ => return None,
            }
        } else if c.is_ascii_alphabetic() || matches!(c, 'đ' | 'Đ' | CAPITAL_ETH) {
            letters.push(Letter { base: c, quality: None, tone: None });
        } else {
            return None;
        }
    }
    Some(letters)
}

/// Returns the syllable with its tone mark in canonical position, or `None`
/// when the run must be left unchanged (see [`canonical_tones`]).
fn retone_syllable(run: &[char]) -> Option<Vec<char>> {
    let mut letters = parse_letters(run)?;

    let mut toned = letters.iter().enumerate().filter(|(_, l)| l.tone.is_some());
    let (tone_at, tone_letter) = toned.next()?;
    if toned.next().is_some() || !tone_letter.is_vowel() {
        return None;
    }
    let tone = tone_letter.tone?;

    let first_vowel = letters.iter().position(Letter::is_vowel)?;
    let vowel_end = first_vowel + letters[first_vowel..].iter().take_while(|l| l.is_vowel()).count();
    if letters[vowel_end..].iter().any(Letter::is_vowel) {
        return None; // several vowel runs: several syllables or a foreign word
    }

    // `qu` and `gi` onsets: their u / i is part of the consonant, not of the
    // nucleus, as long as a vowel follows (quý, già — but gì, gìn).
    let mut nucleus_start = first_vowel;
    if first_vowel > 0 && vowel_end - first_vowel >= 2 {
        let onset_end = letters[first_vowel - 1].lower();
        let glide = letters[first_vowel];
        let is_onset_glide = glide.quality.is_none() && matches!((onset_end, glide.lower()), ('q', 'u') | ('g', 'i'));
        if is_onset_glide {
            nucleus_start += 1;
        }
    }

    let nucleus = &letters[nucleus_start..vowel_end];
    let spelled: String = nucleus.iter().map(Letter::vowel_letter).collect();
    if !VIETNAMESE_NUCLEI.contains(&spelled.as_str()) {
        return None;
    }

    let has_final_consonant = vowel_end < letters.len();
    let target = if let Some(k) = nucleus.iter().rposition(|l| l.quality.is_some()) {
        nucleus_start + k
    } else if has_final_consonant {
        vowel_end - 1
    } else if nucleus.len() == 3 {
        nucleus_start + 1
    } else {
        nucleus_start
    };

    letters[tone_at].tone = None;
    letters[target].tone = Some(tone);

    // Quality mark before tone mark: both have combining class 230, so their
    // order is significant and NFC only composes `â` + grave, not the reverse.
    let mut out = Vec::with_capacity(run.len());
    for l in &letters {
        out.push(l.base);
        out.extend(l.quality);
        out.extend(l.tone);
    }
    Some(out)
}

// ---------------------------------------------------------------------------
// Punctuation
// ---------------------------------------------------------------------------

/// Maps typographic punctuation variants to their ASCII equivalents.
///
/// Word processors and news sites "smarten" dashes and quotes
/// inconsistently, and the choice carries no meaning for matching:
///
/// * hyphens and dashes U+2010–U+2015 and the minus sign U+2212 → `-`;
/// * double quotes `“ ” „ ‟ « »` and the double prime `″` → `"`;
/// * single quotes `‘ ’ ‚ ‛` and the prime `′` → `'`;
/// * the ellipsis `…` → `...`.
///
/// Nothing else changes.
#[must_use]
pub fn unify_punctuation(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\u{2010}'..='\u{2015}' | '\u{2212}' => out.push('-'),
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}' | '\u{2033}' => out.push('"'),
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => out.push('\''),
            '\u{2026}' => out.push_str("..."),
            _ => out.push(c),
        }
    }
    out
}

/// Surrounds every run of ASCII hyphens with single spaces, so that
/// "Việt Nam-Lào", "Việt Nam - Lào" and "Việt Nam--Lào" share a key.
///
/// A run (`--`) counts as one dash because it is the usual typewriter
/// spelling of an em dash.
fn space_dashes(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut in_run = false;
    for c in s.chars() {
        if c == '-' {
            if !in_run {
                out.push_str(" - ");
            }
            in_run = true;
        } else {
            out.push(c);
            in_run = false;
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Keys
// ---------------------------------------------------------------------------

/// The matching key that keeps diacritics.
///
/// Two texts that a Vietnamese reader would consider the same term get the
/// same key: the text is [`clean`]ed, tone marks are put in canonical
/// position ([`canonical_tones`]), everything is lowercased with full
/// Unicode rules (`Đ` → `đ`; the look-alike `Ð` U+00D0 is read as `Đ`
/// first), punctuation is unified ([`unify_punctuation`]), every dash gets a
/// space on each side (so "Việt Nam-Lào", "Việt Nam – Lào" and
/// "Việt Nam—Lào" all give "việt nam - lào"), and whitespace is collapsed.
/// The result is NFC.
///
/// Keys are for comparison only, never for display: "10–15%" becomes
/// "10 - 15%". The function is idempotent, so stored keys can be
/// recomputed from themselves.
#[must_use]
pub fn normalized_key(s: &str) -> String {
    let toned = canonical_tones(&clean(s));
    let lowered: String =
        toned.chars().map(|c| if c == CAPITAL_ETH { 'Đ' } else { c }).collect::<String>().to_lowercase();
    let spaced = space_dashes(&unify_punctuation(&lowered));
    // `clean` collapses the spaces introduced around dashes and recomposes
    // anything lowercasing may have decomposed (e.g. `İ` → `i` + dot above).
    clean(&spaced)
}

/// Removes every diacritic, leaving base letters: `Hữu nghị` → `Huu nghi`.
///
/// The text is decomposed (NFD), the combining marks of the diacritical
/// blocks U+0300–U+036F, U+1AB0–U+1AFF, U+1DC0–U+1DFF, U+20D0–U+20FF and
/// U+FE20–U+FE2F are dropped, and `đ`/`Đ` (which Unicode does not decompose)
/// become `d`/`D`, as Vietnamese readers expect when accents are omitted.
/// The look-alike `Ð` (U+00D0) also becomes `D`. Case is preserved; the
/// result is NFC.
#[must_use]
pub fn strip_diacritics(s: &str) -> String {
    s.nfd()
        .filter(|&c| !is_diacritic_mark(c))
        .map(|c| match c {
            'đ' => 'd',
            'Đ' | CAPITAL_ETH => 'D',
            other => other,
        })
        .nfc()
        .collect()
}

/// The accent-insensitive matching key: [`strip_diacritics`] applied to
/// [`normalized_key`], e.g. "Hữu nghị vĩ đại" → "huu nghi vi dai".
///
/// Many users type Vietnamese without accents (or with a broken input
/// method), so lookups fall back to this key. It is idempotent.
#[must_use]
pub fn folded_key(s: &str) -> String {
    strip_diacritics(&normalized_key(s))
}

/// Returns `true` if the text contains any diacritic that
/// [`strip_diacritics`] would remove: a combining mark after NFD, or one of
/// `đ`, `Đ` (or the look-alike `Ð`).
///
/// Callers use this to decide whether a query was typed with accents (and
/// should be matched on [`normalized_key`]) or without (and should be
/// matched on [`folded_key`]).
#[must_use]
pub fn has_diacritics(s: &str) -> bool {
    s.nfd().any(|c| is_diacritic_mark(c) || matches!(c, 'đ' | 'Đ' | CAPITAL_ETH))
}

#[cfg(test)]
mod plain_nfc_tests {
    use super::*;

    /// Inputs for the byte-level scans: every line break, whitespace and
    /// invisible character next to ASCII, two- and three-byte letters.
    const SCAN_CASES: &[&str] = &[
        "",
        " ",
        "a",
        "Hà Nội",
        "Hà  Nội",
        " Hà Nội",
        "Hà Nội ",
        "Hà\tNội",
        "Hà\u{00A0}Nội",
        "Hà\u{202F}Nội",
        "Hà\u{3000}Nội",
        "Hà\u{00AD}Nội",
        "Hà\u{200B}Nội",
        "Ha\u{0300} Nội",
        "Việt Nam – Lào … “hợp tác”",
        "dòng một\ndòng hai",
        "dòng một\r\ndòng hai\r\n",
        "một\rhai\r\r\nba",
        "một\u{000B}hai\u{000C}ba",
        "một\u{0085}hai\u{2028}ba\u{2029}bốn",
        "\u{2027}\u{2026}\u{2030}\u{0084}\u{0086}",
        "\n\n",
        "x\u{001C}y\u{007F}z",
        "ẠẸỊỌỤỲỹ đĐ ơư",
        "Hanoi Laos",
        "Hanoi  Laos",
        "Hanoi\tLaos",
        "a\u{7F}b \u{1}c",
        "COVID-19, 2025.",
    ];

    /// The byte-level [`is_clean_already`] and [`split_lines`] agree with
    /// the character-level definitions they replace.
    #[test]
    fn byte_scans_match_character_scans() {
        let clean_by_chars = |s: &str| {
            !s.starts_with(' ')
                && !s.ends_with(' ')
                && !s.contains("  ")
                && s.chars().all(|c| c == ' ' || !c.is_whitespace() && is_plain_nfc(c))
        };
        let lines_by_chars = |s: &str| {
            let mut lines = Vec::new();
            let mut start = 0;
            let mut chars = s.char_indices().peekable();
            while let Some((i, c)) = chars.next() {
                if is_line_break(c) {
                    lines.push(s[start..i].to_string());
                    start = i + c.len_utf8();
                    if c == '\r' && chars.peek().is_some_and(|&(_, n)| n == '\n') {
                        start = chars.next().expect("peeked").0 + 1;
                    }
                }
            }
            lines.push(s[start..].to_string());
            lines
        };
        for s in SCAN_CASES {
            assert_eq!(is_clean_already(s), clean_by_chars(s), "is_clean_already({s:?})");
            assert_eq!(split_lines(s), lines_by_chars(s), "split_lines({s:?})");
        }
        assert!(is_clean_already("Hà Nội"));
        assert_eq!(split_lines("a\r\nb\u{2029}c").len(), 3);
    }

    /// The byte-level letter test accepts exactly the characters of its
    /// two ranges, each plain and not whitespace, with its UTF-8 length.
    #[test]
    fn plain_letters_by_bytes() {
        let mut accepted = 0;
        for c in (0x80..=0x2FFFu32).filter_map(char::from_u32) {
            let mut buf = [0u8; 4];
            let mut bytes = c.encode_utf8(&mut buf).as_bytes().to_vec();
            bytes.extend_from_slice(b" x");
            let in_ranges = (0xC0..=0x23F).contains(&(c as u32)) || (0x1EA0..=0x1EF9).contains(&(c as u32));
            match plain_letter_len(&bytes) {
                Some(n) => {
                    assert!(in_ranges && is_plain_nfc(c) && !c.is_whitespace(), "{c:?} U+{:04X}", c as u32);
                    assert_eq!(n, c.len_utf8());
                    accepted += 1;
                }
                None => assert!(!in_ranges, "{c:?} U+{:04X} is in the ranges", c as u32),
            }
        }
        assert_eq!(accepted, 0x180 + 90);
    }

    /// Every character the fast path accepts is a visible starter that
    /// passes the Unicode quick check with "yes".
    #[test]
    fn plain_characters_are_nfc_stable() {
        let plain: Vec<char> = (0..=0x2FFFu32).filter_map(char::from_u32).filter(|&c| is_plain_nfc(c)).collect();
        assert!(plain.len() > 700, "the fast path covers the Vietnamese alphabet");
        for c in plain {
            assert!(!is_invisible(c), "{c:?} is invisible");
            // Quick check "yes" (not "maybe") means the character never
            // composes with what precedes it, so any string of such
            // characters is in NFC.
            assert_eq!(is_nfc_quick(std::iter::once(c)), IsNormalized::Yes, "{c:?} ({:04X})", c as u32);
            assert_eq!(unicode_normalization::char::canonical_combining_class(c), 0, "{c:?}");
        }
    }
}
