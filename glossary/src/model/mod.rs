//! The concept-oriented data model (after TBX, ISO 30042).
//!
//! A [`Concept`] is one meaning ("state visit"); it holds [`Term`]s in any
//! number of languages, each with a [`TermStatus`] saying whether a translator
//! should use it. Invariants are kept by constructors: a [`Lang`] is always a
//! well-formed, case-canonical BCP 47 tag; a [`ConceptId`] is always usable as
//! an XML id and a storage key; a [`ConceptDraft`] that passed
//! [`ConceptDraft::validate`] has clean, non-empty term texts.
//!
//! One file per kind of value: `lang` (tags), `ids` (concept ids,
//! collection names), `timestamp`, `concept` (concepts, terms,
//! drafts and their validation).

mod concept;
mod ids;
mod lang;
mod timestamp;

pub use concept::*;
pub use ids::*;
pub use lang::*;
pub use timestamp::*;

/// Longest term text accepted, in characters.
pub const MAX_TERM_CHARS: usize = 500;
/// Longest free-text field (definition, note, context, source), in characters.
pub const MAX_FIELD_CHARS: usize = 4_000;
/// Most terms one concept may hold.
pub const MAX_TERMS_PER_CONCEPT: usize = 200;
/// Longest subject field, in characters.
pub const MAX_SUBJECT_FIELD_CHARS: usize = 200;

/// Test helpers shared by the crate's unit tests.
#[cfg(test)]
pub(crate) mod test_support {
    use super::*;

    /// A small deterministic generator (xorshift) for property tests.
    pub(crate) struct Rng(pub(crate) u64);

    impl Rng {
        /// The next 64 random bits.
        pub(crate) fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        /// A number in `0..n`.
        pub(crate) fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    /// A term with only language, text and status set.
    pub(crate) fn term(lang: &str, text: &str, status: TermStatus) -> Term {
        Term::bare(Lang::new(lang).unwrap(), text, status)
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::term;
    use super::*;

    fn check_lang(input: &str, expected: Option<&str>) {
        let got = Lang::new(input).ok().map(|l| l.as_str().to_string());
        assert_eq!(got.as_deref(), expected, "Lang::new({input:?})");
    }

    #[test]
    fn language_tags() {
        let cases: &[(&str, Option<&str>)] = &[
            ("vi", Some("vi")),
            ("VI", Some("vi")),
            ("en-gb", Some("en-GB")),
            ("zh-hant-tw", Some("zh-Hant-TW")),
            ("sr-Latn-RS", Some("sr-Latn-RS")),
            ("es-419", Some("es-419")),
            ("de-CH-1996", Some("de-CH-1996")),
            ("en-US-x-twain", Some("en-US-x-twain")),
            ("x-private", Some("x-private")),
            ("zh-yue-HK", Some("zh-yue-HK")),
            ("en-a-bbb-x-a-ccc", Some("en-a-bbb-x-a-ccc")),
            ("", None),
            ("e", None),
            ("english", Some("english")), // 5-8 letters: registered-language syntax
            ("en_US", None),
            ("en-", None),
            ("-en", None),
            ("en--US", None),
            ("vi-VN-", None),
            ("abcd", None),
            ("en-toolongsubtag", None),
            ("de-1996-1996", None),
            ("en-a", None),
            ("en-a-bbb-a-ccc", None),
            ("x", None),
            ("tiếng", None),
            ("en US", None),
        ];
        for (input, expected) in cases {
            check_lang(input, *expected);
        }
    }

    #[test]
    fn language_range_matching() {
        let l = |s| Lang::new(s).unwrap();
        assert!(l("en-GB").matches(&l("en")));
        assert!(l("en").matches(&l("en")));
        assert!(!l("en").matches(&l("en-GB")));
        assert!(!l("eng").matches(&l("en")));
        assert!(l("vi-VN").matches(&l("vi")));
    }

    #[test]
    fn concept_ids() {
        for ok in ["c1", "state-visit", "_x.1", "A"] {
            assert!(ConceptId::new(ok).is_ok(), "{ok}");
        }
        for bad in ["", "1c", "-a", "a b", "a/b", "ý", &"a".repeat(65)] {
            assert!(ConceptId::new(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn collection_names() {
        for ok in ["default", "mofa", "news-desk", "2026.q1", "a_b", &"a".repeat(64)] {
            assert_eq!(Collection::new(ok).unwrap().as_str(), ok);
        }
        for bad in ["", "Mofa", "-a", ".a", "a b", "a/b", "ý", "a,b", &"a".repeat(65)] {
            assert!(Collection::new(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn concepts_without_a_collection_read_as_default() {
        let old = r#"{"id":"c1","terms":[{"lang":"vi","text":"hòa bình"}],"created":1,"updated":1,"version":1}"#;
        let c: Concept = serde_json::from_str(old).unwrap();
        assert!(c.collection.is_default());
        assert!(!serde_json::to_string(&c).unwrap().contains("collection"), "default is not written");
        let moved = Concept { collection: Collection::new("mofa").unwrap(), ..c };
        let back: Concept = serde_json::from_str(&serde_json::to_string(&moved).unwrap()).unwrap();
        assert_eq!(back.collection.as_str(), "mofa");
    }

    #[test]
    fn timestamps_round_trip() {
        let t = Timestamp(1_770_366_600_123);
        let s = t.to_rfc3339();
        assert_eq!(s, "2026-02-06T08:30:00.123Z");
        assert_eq!(Timestamp::parse_rfc3339(&s).unwrap(), t);
        assert!(Timestamp::parse_rfc3339("yesterday").is_err());
    }

    #[test]
    fn draft_validation() {
        let ok = ConceptDraft {
            note: Some("  ".into()),
            terms: vec![
                term("vi", " hữu\u{a0}nghị  vĩ đại ", TermStatus::Preferred),
                term("en", "great friendship", TermStatus::Preferred),
            ],
            ..Default::default()
        }
        .validate()
        .unwrap();
        assert_eq!(ok.terms[0].text, "hữu nghị vĩ đại");
        assert_eq!(ok.note, None, "blank optional fields become absent");

        let cases: Vec<(Vec<Term>, &str)> = vec![
            (vec![], "at least one term"),
            (vec![term("vi", "   ", TermStatus::Preferred)], "must not be empty"),
            (vec![term("vi", "a\u{7}b", TermStatus::Preferred)], "control characters"),
            (
                vec![term("vi", "hòa bình", TermStatus::Preferred), term("vi", "hoà bình", TermStatus::Admitted)],
                "duplicates",
            ),
            (
                vec![term("en", "peace", TermStatus::Preferred), term("en", "calm", TermStatus::Preferred)],
                "more than one preferred",
            ),
            (vec![term("vi", &"a".repeat(MAX_TERM_CHARS + 1), TermStatus::Preferred)], "limit is 500"),
        ];
        for (terms, expected) in cases {
            let err = ConceptDraft { terms, ..Default::default() }.validate().unwrap_err().to_string();
            assert!(err.contains(expected), "{err:?} should mention {expected:?}");
        }
    }
}
