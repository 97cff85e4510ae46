//! Vietnamese text normalisation for the glossary.
//!
//! Vietnamese text reaches us from many sources (news sites, Word
//! documents, PDFs, people typing queries on phones) and the *same* word
//! can be encoded in many byte sequences that look identical on screen:
//!
//! * precomposed (NFC) versus decomposed (NFD) letters, e.g. `ệ` as one
//!   code point or as `e` + dot below + circumflex;
//! * two competing conventions for where the tone mark sits in a
//!   syllable (`hoà` versus `hòa`, `thuý` versus `thúy`, `uỷ` versus `ủy`);
//! * no-break and other exotic spaces, zero-width characters and soft
//!   hyphens copied out of web pages and word processors;
//! * typographic dashes and quotes in all their variants.
//!
//! The glossary has to treat all of those as the same text, while still
//! showing users exactly what they (or the source document) wrote. This
//! module therefore separates three layers:
//!
//! 1. **Display form** — [`clean`] / [`clean_multiline`]: only invisible
//!    noise is removed (NFC, whitespace, zero-width characters). Letters,
//!    case, tone placement and punctuation are kept as written.
//! 2. **Matching keys** — [`normalized_key`] (keeps diacritics, canonical
//!    tone placement, lowercase, unified punctuation) and [`folded_key`]
//!    (additionally strips every diacritic, for users who type without
//!    accents). Keys are never shown to users; they only need to be equal
//!    for texts a reader would consider equal, and they are idempotent so
//!    they can be stored and re-derived safely.
//! 3. **Segmentation of the original text** — [`tokenize()`] and
//!    [`split_sentences`] work on the *unnormalised* input and report byte
//!    offsets, so callers can highlight or replace spans in the document
//!    the user actually supplied.
//!
//! The building blocks ([`canonical_tones`], [`unify_punctuation`],
//! [`strip_diacritics`], [`has_diacritics`]) are exported too, because
//! callers occasionally need one step on its own (e.g. canonical tones for
//! display without lowercasing).

pub mod fold;
pub mod normalize;
pub mod segment;
pub mod sentence;
pub mod tokenize;

#[cfg(test)]
mod tests;

pub use fold::{normalizes_to, push_folded};
pub use normalize::{
    canonical_tones, clean, clean_multiline, folded_key, has_diacritics, normalized_key, strip_diacritics,
    unify_punctuation,
};
pub use segment::{segment, segment_runs, stands_before_names, words, Word};
pub use sentence::{split_sentences, Sentence, SentenceLang};
pub use tokenize::{tokenize, tokenize_into, Token, TokenKind};

/// `c.is_alphabetic()`, with a fast path for ASCII and the Latin blocks
/// Vietnamese is written in (the standard library looks those up in a
/// table, which dominated tokenising and mining profiles).
#[inline]
pub(crate) fn is_letter(c: char) -> bool {
    match c as u32 {
        0..=0x7F => c.is_ascii_alphabetic(),
        0xD7 | 0xF7 => false,
        0xC0..=0x24F | 0x1E00..=0x1EFF => true,
        _ => c.is_alphabetic(),
    }
}

#[cfg(test)]
mod letter_tests {
    #[test]
    fn is_letter_agrees_with_the_standard_library() {
        for c in (0u32..0x3_0000).filter_map(char::from_u32) {
            assert_eq!(super::is_letter(c), c.is_alphabetic(), "{c:?} U+{:04X}", c as u32);
        }
    }
}
