use super::inline::{find_words, pieces, place};
use super::*;
use crate::formats::xml::{read_tree, Limits};
use crate::model::test_support::term;
use crate::model::{ConceptDraft, TermStatus};
use crate::tm::suggest::RecognizedTerm;
use crate::tm::{Provenance, TmUnitDraft};
use crate::Glossary;
use crate::OpenOptions;

const SAMPLE_12: &str = include_str!("../../../tests/data/xliff/sample-1.2.xlf");
const SAMPLE_21: &str = include_str!("../../../tests/data/xliff/sample-2.1.xlf");
const SAMPLE_12_SEGMENTED: &str = include_str!("../../../tests/data/xliff/sample-1.2-segmented.xlf");

fn lang(s: &str) -> Lang {
    Lang::new(s).unwrap()
}

/// A glossary with the TM and terms the samples are written against.
fn glossary() -> (tempfile::TempDir, Glossary) {
    let dir = tempfile::tempdir().unwrap();
    let g = Glossary::open(dir.path(), &OpenOptions::default()).unwrap();
    let pairs = [
        ("Tình hữu nghị vĩ đại giữa hai dân tộc.", "The great friendship between the two peoples."),
        ("Hai bên nhất trí tăng cường hợp tác.", "The two sides agreed to strengthen cooperation."),
        ("Tổng Bí thư hội kiến Thủ tướng Lào.", "The General Secretary met the Lao Prime Minister."),
    ];
    let drafts = pairs
        .iter()
        .map(|(s, t)| TmUnitDraft {
            src_lang: lang("vi"),
            tgt_lang: lang("en"),
            source: s.to_string(),
            target: t.to_string(),
            provenance: Provenance::default(),
            note: None,
            created_by: None,
            collection: None,
        })
        .collect();
    g.add_tm_units(drafts).unwrap();
    for (vi, en) in [("Thủ tướng", "Prime Minister"), ("Tổng Bí thư", "General Secretary")] {
        let terms = vec![term("vi", vi, TermStatus::Preferred), term("en", en, TermStatus::Preferred)];
        g.create(ConceptDraft { terms, ..Default::default() }, "test").unwrap();
    }
    (dir, g)
}

fn run(g: &Glossary, input: &str, options: &PretranslateOptions) -> (String, PretranslateReport) {
    let out = g.pretranslate(input.as_bytes(), options).unwrap();
    (String::from_utf8(out.document).unwrap(), out.report)
}

fn count(segments: u64, words: u64) -> ClassCount {
    ClassCount { segments, words }
}

/// The text between `<tag ... id="id"` and the end of that element.
fn unit<'a>(doc: &'a str, open: &str) -> &'a str {
    let start = doc.find(open).unwrap_or_else(|| panic!("{open} not in\n{doc}"));
    let name = open[1..].split([' ', '>']).next().unwrap();
    let end = doc[start..].find(&format!("</{name}>")).unwrap() + start;
    &doc[start..end]
}

#[test]
fn xliff12_exact_fuzzy_novel_and_coded_units() {
    let (_dir, g) = glossary();
    let (out, report) = run(&g, SAMPLE_12, &PretranslateOptions::default());
    assert_eq!(report.version, "1.2");
    assert_eq!(report.files, 1);
    assert_eq!(report.exact, count(3, 26), "{report:?}");
    assert_eq!(report.candidate, count(2, 18), "{report:?}");
    assert_eq!(report.none, count(1, 10), "{report:?}");
    assert_eq!(report.kept, count(1, 8), "{report:?}");
    assert_eq!(report.skipped, count(1, 3), "{report:?}");
    assert_eq!(report.fuzzy, ClassCount::default());
    assert_eq!(report.codes_not_placed, 1);
    assert_eq!(report.segments(), 8);

    let u1 = unit(&out, "<trans-unit id=\"1\"");
    assert!(u1.contains("<target xml:lang=\"en\" state=\"translated\" state-qualifier=\"exact-match\">The great friendship between the two peoples.</target>"), "{u1}");
    assert!(
        u1.contains("<alt-trans match-quality=\"100\" origin=\"glossary-server-tm\"><source xml:lang=\"vi\">"),
        "{u1}"
    );
    // The <g> goes around the glossary equivalent of the term it wraps.
    let u2 = unit(&out, "<trans-unit id=\"2\"");
    assert!(u2.contains(">The General Secretary met the Lao <g id=\"1\">Prime Minister</g>.</target>"), "{u2}");
    assert!(u2.contains("<note from=\"glossary\" annotates=\"source\">Tổng Bí thư = General Secretary</note>\n        <note from=\"glossary\" annotates=\"source\">Thủ tướng = Prime Minister</note>"), "{u2}");
    // Fuzzy below the default threshold: the empty target stays, a candidate is offered.
    let u3 = unit(&out, "<trans-unit id=\"3\"");
    assert!(u3.contains("<target/>"), "{u3}");
    assert!(u3.contains("<alt-trans match-quality=\"80\""), "{u3}");
    let u4 = unit(&out, "<trans-unit id=\"4\"");
    assert!(!u4.contains("target") && !u4.contains("alt-trans"), "{u4}");
    // Translated already: untouched, byte for byte.
    let u5 = unit(SAMPLE_12, "<trans-unit id=\"5\"");
    assert!(out.contains(u5));
    // Codes at the edges go to the edges.
    let u6 = unit(&out, "<trans-unit id=\"6\"");
    assert!(
        u6.contains(">The great friendship between the two peoples.<ph id=\"2\">&lt;br/&gt;</ph></target>"),
        "{u6}"
    );
    assert!(u6.contains("state-qualifier=\"exact-match\"><x id=\"1\"/>The great"), "{u6}");
    // A pair inside the sentence around words the target does not show: not filled.
    let u7 = unit(&out, "<trans-unit id=\"7\"");
    assert!(!u7.contains("</source>\n        <target"), "{u7}");
    assert!(u7.contains("<alt-trans match-quality=\"100\""), "{u7}");
    assert!(unit(&out, "<trans-unit id=\"8\"").ends_with("</source>\n      "));
    // Everything around the units is the original text.
    assert!(out.starts_with(&SAMPLE_12[..SAMPLE_12.find("<body>").unwrap()]));
    assert!(out.ends_with("    </body>\n  </file>\n</xliff>\n"));
    read_tree(out.as_bytes(), Limits::for_size(1 << 20)).expect("well-formed");
}

#[test]
fn xliff12_units_segmented_with_seg_source() {
    let (_dir, g) = glossary();
    let (out, report) = run(&g, SAMPLE_12_SEGMENTED, &PretranslateOptions::default());
    assert_eq!(report.exact, count(3, 25), "{report:?}");
    assert_eq!(report.none, count(1, 10), "{report:?}");
    assert_eq!(report.kept, count(1, 8), "{report:?}");
    // A new target mirrors the seg-source; the unfilled segment stays empty
    // and the target gets no state, since not all of it is translated.
    let s1 = unit(&out, "<trans-unit id=\"s1\"");
    assert!(
        s1.contains("</seg-source>\n        <target xml:lang=\"en\"><mrk mtype=\"seg\" mid=\"1\">The great friendship between the two peoples.</mrk> <mrk mtype=\"seg\" mid=\"2\"></mrk></target>"),
        "{s1}"
    );
    assert!(s1.contains("<alt-trans mid=\"1\" match-quality=\"100\""), "{s1}");
    // An existing target: the translated segment kept, the empty one filled.
    let s2 = unit(&out, "<trans-unit id=\"s2\"");
    assert!(
        s2.contains("<target state=\"translated\" state-qualifier=\"exact-match\"><mrk mtype=\"seg\" mid=\"3\">The General Secretary received the Lao Prime Minister.</mrk> <mrk mtype=\"seg\" mid=\"4\">The two sides agreed to strengthen cooperation.</mrk></target>"),
        "{s2}"
    );
    assert!(!s2.contains("alt-trans mid=\"3\""), "the kept segment gets no candidates: {s2}");
    let s3 = unit(&out, "<trans-unit id=\"s3\"");
    assert!(
        s3.contains("<target xml:lang=\"en\" state=\"translated\" state-qualifier=\"exact-match\"><g id=\"1\"><mrk mtype=\"seg\" mid=\"5\">The two sides agreed to strengthen cooperation.</mrk></g></target>"),
        "{s3}"
    );
}

#[test]
fn a_second_run_changes_nothing() {
    let (_dir, g) = glossary();
    let samples =
        [(SAMPLE_12, 100.0), (SAMPLE_12, 75.0), (SAMPLE_21, 100.0), (SAMPLE_21, 75.0), (SAMPLE_12_SEGMENTED, 75.0)];
    for (sample, threshold) in samples {
        let options = PretranslateOptions { threshold, ..PretranslateOptions::default() };
        let (once, _) = run(&g, sample, &options);
        let (twice, report) = run(&g, &once, &options);
        assert_eq!(once, twice, "threshold {threshold}");
        assert_eq!(report.exact.segments + report.fuzzy.segments, 0, "{report:?}");
        let overwrite = PretranslateOptions { overwrite: true, ..options };
        let (once, _) = run(&g, sample, &overwrite);
        let (twice, _) = run(&g, &once, &overwrite);
        assert_eq!(once, twice, "overwrite, threshold {threshold}");
    }
}

#[test]
fn fuzzy_matches_fill_at_a_lower_threshold() {
    let (_dir, g) = glossary();
    let options = PretranslateOptions { threshold: 80.0, ..PretranslateOptions::default() };
    let (out, report) = run(&g, SAMPLE_12, &options);
    assert_eq!(report.fuzzy, count(1, 10), "{report:?}");
    let u3 = unit(&out, "<trans-unit id=\"3\"");
    assert!(
        u3.contains("<target state=\"needs-review-translation\" state-qualifier=\"fuzzy-match\">The two sides agreed to strengthen cooperation.</target>"),
        "{u3}"
    );
    let (out, report) = run(&g, SAMPLE_21, &options);
    assert_eq!(report.fuzzy, count(1, 10), "{report:?}");
    let u3 = unit(&out, "<unit id=\"u3\"");
    assert!(u3.contains("<segment id=\"s3\" state=\"initial\" subState=\"glossary-server:fuzzy-match\">"), "{u3}");

    // Once the TM has the sentence, overwriting makes it exact, sub-state too.
    let exact = TmUnitDraft {
        src_lang: lang("vi"),
        tgt_lang: lang("en"),
        source: "Hai bên nhất trí tăng cường hợp tác kinh tế.".into(),
        target: "The two sides agreed to strengthen economic cooperation.".into(),
        provenance: Provenance::default(),
        note: None,
        created_by: None,
        collection: None,
    };
    g.add_tm_units(vec![exact]).unwrap();
    let overwrite = PretranslateOptions { overwrite: true, ..options };
    let (again, report) = run(&g, &out, &overwrite);
    assert_eq!(report.exact.segments, 5, "{report:?}");
    let u3 = unit(&again, "<unit id=\"u3\"");
    assert!(u3.contains("<segment id=\"s3\" state=\"translated\" subState=\"glossary-server:exact-match\">"), "{u3}");
    assert!(u3.contains("<target>The two sides agreed to strengthen economic cooperation.</target>"), "{u3}");
    assert_eq!(u3.matches("<mtc:match ").count(), 2, "the old candidate is replaced: {u3}");
}

#[test]
fn overwrite_replaces_existing_targets() {
    let (_dir, g) = glossary();
    let options = PretranslateOptions { threshold: 80.0, overwrite: true, ..PretranslateOptions::default() };
    let (out, report) = run(&g, SAMPLE_12, &options);
    assert_eq!(report.kept, ClassCount::default());
    let u5 = unit(&out, "<trans-unit id=\"5\"");
    assert!(
        u5.contains("<target state=\"translated\" state-qualifier=\"exact-match\">The General Secretary met the Lao Prime Minister.</target>"),
        "{u5}"
    );
}

#[test]
fn xliff21_segments_matches_and_glossary_module() {
    let (_dir, g) = glossary();
    let (out, report) = run(&g, SAMPLE_21, &PretranslateOptions::default());
    assert_eq!(report.version, "2.1");
    assert_eq!(report.exact, count(3, 26), "{report:?}");
    assert_eq!(report.candidate, count(2, 18), "{report:?}");
    assert_eq!(report.none, count(1, 10), "{report:?}");
    assert_eq!(report.kept, count(1, 8), "{report:?}");
    assert_eq!(report.skipped, count(1, 3), "{report:?}");

    let u1 = unit(&out, "<unit id=\"u1\"");
    assert!(u1.contains("<segment id=\"s1\" state=\"translated\">"), "{u1}");
    assert!(u1.contains("<target>The great friendship between the two peoples.</target>"), "{u1}");
    assert!(u1.contains("<mtc:matches xmlns:mtc=\"urn:oasis:names:tc:xliff:matches:2.0\">"), "{u1}");
    assert!(u1.contains("<mtc:match ref=\"#s1\" similarity=\"100\" matchQuality=\"100\" origin=\"glossary-server-tm\" type=\"tm\"><source>"), "{u1}");
    let u2 = unit(&out, "<unit id=\"u2\"");
    assert!(
        u2.contains("<target>The General Secretary met the Lao <pc id=\"1\" dataRefStart=\"d1\" dataRefEnd=\"d2\">Prime Minister</pc>.<ph id=\"2\" dataRef=\"d3\"/></target>"),
        "{u2}"
    );
    assert!(u2.contains("<gls:glossEntry><gls:term source=\"glossary-server\">Thủ tướng</gls:term><gls:translation>Prime Minister</gls:translation></gls:glossEntry>"), "{u2}");
    // The module elements come first in the unit, before originalData.
    assert!(u2.find("<gls:glossary").unwrap() < u2.find("<originalData>").unwrap());
    // A segment without an id gets one for its candidate to point at.
    let u3 = unit(&out, "<unit id=\"u3\"");
    assert!(u3.contains("<mtc:match ref=\"#s3\" similarity=\"80\""), "{u3}");
    assert!(!u3.contains("</source>\n          <target>"), "{u3}");
    assert!(!u3.contains("gs1"), "the novel segment has no candidate, so no id: {u3}");
    let u6 = unit(&out, "<unit id=\"u6\"");
    assert!(
        u6.contains(
            "<target><mrk id=\"m1\" translate=\"yes\">The great friendship between the two peoples.</mrk></target>"
        ),
        "{u6}"
    );
    let u7 = unit(&out, "<unit id=\"u7\"");
    assert!(!u7.contains("</source>\n        <target>") && u7.contains("<mtc:match ref=\"#s7\""), "{u7}");
    assert!(out.contains(unit(SAMPLE_21, "<unit id=\"u5\"")));
    assert!(out.contains(unit(SAMPLE_21, "<unit id=\"u8\"")));
}

#[test]
fn segments_without_ids_get_one_when_a_candidate_needs_it() {
    let (_dir, g) = glossary();
    let doc = "<xliff xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" version=\"2.0\" srcLang=\"vi\">\
               <file id=\"f\"><unit id=\"u\"><segment><source>Hai bên nhất trí tăng cường hợp tác kinh tế.</source></segment>\
               <ignorable id=\"gs1\"><source> </source></ignorable></unit></file></xliff>";
    let options = PretranslateOptions { tgt: Some(lang("en")), ..PretranslateOptions::default() };
    let (out, report) = run(&g, doc, &options);
    assert_eq!(report.candidate.segments, 1);
    assert!(out.contains("trgLang=\"en\""), "{out}");
    assert!(out.contains("<segment id=\"gs2\">"), "{out}");
    assert!(out.contains("ref=\"#gs2\""), "{out}");
}

#[test]
fn refusals() {
    let (_dir, g) = glossary();
    let cases: &[(&str, FileProblem, &str)] = &[
        ("<tmx version=\"1.4\"/>", FileProblem::WrongFormat, "not <xliff>"),
        ("<xliff version=\"1.1\"/>", FileProblem::UnsupportedFormat, "XLIFF 1.1 is not supported"),
        ("<xliff/>", FileProblem::WrongFormat, "no version"),
        ("<xliff version=\"1.2\"><file", FileProblem::Malformed, ""),
        ("<!DOCTYPE x [<!ENTITY a \"b\">]><xliff version=\"1.2\">&a;</xliff>", FileProblem::Unsafe, "internal subset"),
        ("plain text", FileProblem::Malformed, "not an XML document"),
    ];
    for (input, problem, needle) in cases {
        match g.pretranslate(input.as_bytes(), &PretranslateOptions::default()) {
            Err(Error::InvalidFile { problem: p, message }) => {
                assert_eq!(p, *problem, "{input}: {message}");
                assert!(message.contains(needle), "{input}: {message}");
            }
            other => panic!("{input}: expected a file error, got {other:?}"),
        }
    }
    let no_target = "<xliff version=\"1.2\"><file source-language=\"vi\"><body/></file></xliff>";
    let err = g.pretranslate(no_target.as_bytes(), &PretranslateOptions::default()).unwrap_err();
    assert!(matches!(&err, Error::InvalidInput { field, .. } if field == "tgt"), "{err:?}");
    let low = PretranslateOptions { threshold: 10.0, ..PretranslateOptions::default() };
    let err = g.pretranslate(SAMPLE_12.as_bytes(), &low).unwrap_err();
    assert!(matches!(&err, Error::InvalidInput { field, .. } if field == "threshold"), "{err:?}");
    let small = PretranslateOptions { max_bytes: 100, ..PretranslateOptions::default() };
    let err = g.pretranslate(SAMPLE_12.as_bytes(), &small).unwrap_err();
    assert!(matches!(err, Error::InvalidFile { problem: FileProblem::TooLarge, .. }), "{err:?}");
}

/// Places the codes of `source` (inline markup) in `target`; `term` is a
/// recognised term (characters of the plain source) with its equivalent.
fn check(source: &str, target: &str, known: Option<(std::ops::Range<usize>, &str)>, expected: Option<&str>) {
    let doc = format!("<source>{source}</source>");
    let root = read_tree(doc.as_bytes(), Limits::for_size(1 << 20)).unwrap();
    let parts = pieces(&doc, &root);
    let terms: Vec<RecognizedTerm> = known
        .into_iter()
        .map(|(chars, en)| RecognizedTerm {
            chars,
            text: String::new(),
            kind: crate::recognize::RecognitionKind::Normalized,
            concepts: vec![crate::tm::suggest::RecognizedConcept {
                concept: crate::model::ConceptId::new("c1").unwrap(),
                subject_field: None,
                term: term("vi", "x", TermStatus::Preferred),
                targets: vec![term("en", en, TermStatus::Preferred)],
                warning: None,
            }],
        })
        .collect();
    assert_eq!(place(&parts, target, &terms).as_deref(), expected, "{source:?} into {target:?}");
}

#[test]
fn code_placement() {
    // No codes: the target, escaped.
    check("Tăng 5%.", "Up 5% & more.", None, Some("Up 5% &amp; more."));
    // Edges.
    check("<x id=\"1\"/>Xin chào", "Hello", None, Some("<x id=\"1\"/>Hello"));
    check("<g id=\"1\">Xin chào</g>", "Hello", None, Some("<g id=\"1\">Hello</g>"));
    check(" <g id=\"1\"><g id=\"2\">Xin chào</g></g> ", "Hello", None, Some("<g id=\"1\"><g id=\"2\">Hello</g></g>"));
    check(
        "<bpt id=\"1\">[b]</bpt>Xin chào<ept id=\"1\">[/b]</ept>",
        "Hello",
        None,
        Some("<bpt id=\"1\">[b]</bpt>Hello<ept id=\"1\">[/b]</ept>"),
    );
    check("Xin chào<ph id=\"1\">{0}</ph>", "Hello", None, Some("Hello<ph id=\"1\">{0}</ph>"));
    // Inside: the same text once in the target (a number, a name).
    check("Tăng <g id=\"1\">5%</g> năm nay.", "Up 5% this year.", None, Some("Up <g id=\"1\">5%</g> this year."));
    check(
        "Gặp <pc id=\"1\">ASEAN</pc> và <pc id=\"2\">EU</pc>.",
        "Met the EU and ASEAN.",
        None,
        Some("Met the <pc id=\"2\">EU</pc> and <pc id=\"1\">ASEAN</pc>."),
    );
    check("Số <bx id=\"1\"/>5<ex id=\"2\" rid=\"1\"/> và 5", "Number 5 and 5", None, None);
    check(
        "Số <sc id=\"1\"/>7<ec startRef=\"1\"/> mới",
        "New number 7",
        None,
        Some("New number <sc id=\"1\"/>7<ec startRef=\"1\"/>"),
    );
    // Inside: a glossary term's equivalent, found once, any case.
    check(
        "Nhấn <g id=\"1\">Lưu</g> ngay.",
        "Press SAVE now.",
        Some((5..8, "Save")),
        Some("Press <g id=\"1\">SAVE</g> now."),
    );
    check("Nhấn <g id=\"1\">Lưu</g> ngay.", "Save and save now.", Some((5..8, "Save")), None);
    check("Nhấn <g id=\"1\">Lưu</g> ngay.", "Press it now.", Some((5..8, "Save")), None);
    check("Nhấn <g id=\"1\">Lưu</g> ngay.", "Press save now.", None, None);
    // Standalone codes inside, nested pairs inside, empty pairs: not placed.
    check("Xin<x id=\"1\"/> chào", "Hello", None, None);
    check("A <g id=\"1\">5 <g id=\"2\">6</g></g> b", "A 5 6 b", None, None);
    check("A <g id=\"1\"></g>b", "A b", None, None);
}

#[test]
fn whole_word_search() {
    let cases: &[(&str, &str, &[std::ops::Range<usize>])] = &[
        ("Save the file, save it.", "save", &[0..4, 15..19]),
        ("Unsaved saves", "save", &[]),
        ("Đà Nẵng and ĐÀ NẴNG", "đà nẵng", &[0..11, 16..27]),
        ("5% and 15% and 5%", "5%", &[0..2, 15..17]),
        ("", "x", &[]),
    ];
    for (hay, needle, expected) in cases {
        assert_eq!(&find_words(hay, needle), expected, "{needle:?} in {hay:?}");
    }
}

#[test]
fn attribute_editing_keeps_the_tag() {
    let cases = [
        ("<target>", vec![("state", "translated")], true, "<target state=\"translated\">"),
        ("<target/>", vec![("state", "new")], true, "<target state=\"new\">"),
        (
            "<segment id='s1' state='initial'>",
            vec![("state", "translated")],
            false,
            "<segment id='s1' state='translated'>",
        ),
        ("<file a=\"1\"\n  b=\"2\" >", vec![("c", "<&\"")], false, "<file a=\"1\"\n  b=\"2\" c=\"&lt;&amp;&quot;\">"),
        ("<x:seg state=\"x\"/>", vec![("id", "1")], false, "<x:seg state=\"x\" id=\"1\"/>"),
    ];
    for (raw, set, open, expected) in cases {
        assert_eq!(set_attrs(raw, &set, open), expected, "{raw}");
    }
}
