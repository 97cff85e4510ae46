//! Import and export against real stores: round trips, idempotence,
//! matching and merging, hostile files.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use super::*;
use crate::formats::by_language;
use crate::formats::{ImportReport, DEFAULT_MAX_IMPORT_BYTES};
use crate::model::{PartOfSpeech, TermType};
use crate::Glossary;
use crate::{LookupQuery, OpenOptions};

fn open() -> (tempfile::TempDir, Glossary) {
    let dir = tempfile::tempdir().unwrap();
    let g = Glossary::open(dir.path(), &OpenOptions::default()).unwrap();
    (dir, g)
}

fn lang(tag: &str) -> Lang {
    Lang::new(tag).unwrap()
}

fn term(l: &str, text: &str, status: TermStatus) -> Term {
    Term::bare(lang(l), text, status)
}

/// Three concepts using every field, with Vietnamese text, quotes,
/// ampersands and angle brackets.
fn fixture(g: &Glossary) {
    let visit = ConceptDraft {
        id: Some(ConceptId::new("state-visit").unwrap()),
        subject_field: Some("diplomacy & protocol".into()),
        definition: Some(
            "A visit by a head of state at the invitation of another, with \"full\" honours <formal>.".into(),
        ),
        note: Some("Use “state visit”, never 'official trip' & never <visit>.".into()),
        source: Some("Bộ Ngoại giao & MOFA style sheet".into()),
        collection: None,
        terms: vec![
            Term {
                part_of_speech: Some(PartOfSpeech::Noun),
                term_type: Some(TermType::Phrase),
                context: Some("Chủ tịch nước thăm cấp Nhà nước tới Lào từ 5/2/2026.".into()),
                source: Some("Báo Nhân Dân".into()),
                note: Some("Viết hoa \"Nhà nước\" & giữ <nguyên>.".into()),
                ..term("vi", "thăm cấp Nhà nước", TermStatus::Preferred)
            },
            term("vi", "chuyến thăm cấp nhà nước", TermStatus::Admitted),
            Term {
                part_of_speech: Some(PartOfSpeech::Noun),
                term_type: Some(TermType::FullForm),
                context: Some("The \"state visit\" ran from 5 to 7 February & ended in Vientiane.".into()),
                source: Some("VNA & MOFA <english>".into()),
                ..term("en", "state visit", TermStatus::Preferred)
            },
            term("en", "official state trip", TermStatus::Deprecated),
        ],
    };
    let formula = ConceptDraft {
        id: Some(ConceptId::new("vn-lao-formula").unwrap()),
        subject_field: Some("diplomacy & protocol".into()),
        terms: vec![
            Term {
                term_type: Some(TermType::Phrase),
                part_of_speech: Some(PartOfSpeech::Other),
                ..term("vi", "hữu nghị vĩ đại, đoàn kết đặc biệt, hợp tác toàn diện", TermStatus::Preferred)
            },
            term("en", "great friendship, special solidarity and comprehensive cooperation", TermStatus::Preferred),
            Term {
                part_of_speech: Some(PartOfSpeech::Verb),
                term_type: Some(TermType::Variant),
                ..term("en", "great friendship, special solidarity, comprehensive cooperation", TermStatus::Superseded)
            },
        ],
        ..Default::default()
    };
    let peace = ConceptDraft {
        terms: vec![
            Term { term_type: Some(TermType::Acronym), ..term("vi", "ASEAN", TermStatus::Preferred) },
            Term { part_of_speech: Some(PartOfSpeech::Adjective), ..term("en", "ASEAN", TermStatus::Preferred) },
            Term {
                part_of_speech: Some(PartOfSpeech::Adverb),
                term_type: Some(TermType::ShortForm),
                ..term("fr", "ANASE", TermStatus::Preferred)
            },
            Term {
                term_type: Some(TermType::Abbreviation),
                ..term("en", "Assoc. of SE Asian Nations", TermStatus::Admitted)
            },
        ],
        ..Default::default()
    };
    for d in [visit, formula, peace] {
        g.create(d, "test").unwrap();
    }
}

fn export_string(g: &Glossary, format: Format, filter: &ExportFilter) -> String {
    let mut out = Vec::new();
    g.export(format, filter, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn import_bytes(g: &Glossary, format: Format, doc: &[u8]) -> Result<ImportReport> {
    g.import(format, &ImportOptions::default(), || Ok(Cursor::new(doc.to_vec())))
}

fn without_dates(doc: &str) -> String {
    doc.lines().filter(|l| !l.contains("<date>")).collect::<Vec<_>>().join("\n")
}

fn all(g: &Glossary) -> Vec<Concept> {
    g.store.iter_from(None).collect::<Result<Vec<_>>>().unwrap()
}

/// Concept contents without timestamps; terms grouped by language (TBX
/// groups them in language sections).
fn contents(g: &Glossary) -> Vec<(String, ConceptDraft)> {
    all(g)
        .into_iter()
        .map(|mut c| {
            let order: Vec<Lang> = by_language(&c.terms).into_iter().map(|(l, _)| l.clone()).collect();
            c.terms.sort_by_key(|t| order.iter().position(|l| *l == t.lang));
            let draft = ConceptDraft {
                id: None,
                subject_field: c.subject_field,
                definition: c.definition,
                note: c.note,
                source: c.source,
                terms: c.terms,
                collection: None,
            };
            (c.id.to_string(), draft)
        })
        .collect()
}

#[test]
fn tbx_round_trips_are_identical_and_reimport_changes_nothing() {
    // Round trips need every term, deprecated ones included.
    let everything = ExportFilter { include_deprecated: true, ..Default::default() };
    for format in [Format::Tbx, Format::TbxMartif, Format::Csv] {
        let (_d1, g1) = open();
        fixture(&g1);
        let first = export_string(&g1, format, &everything);
        let (_d2, g2) = open();
        let report = import_bytes(&g2, format, first.as_bytes()).unwrap();
        assert_eq!((report.entries, report.created, report.updated), (3, 3, 0), "{format}: {report:?}");
        assert!(
            report.skipped.is_empty() && report.kept_as_notes.is_empty() && report.warnings.is_empty(),
            "{report:?}"
        );
        assert_eq!(report.format, format);
        let second = export_string(&g2, format, &everything);
        assert_eq!(without_dates(&second), without_dates(&first), "{format} export → import → export");
        assert_eq!(contents(&g2), contents(&g1), "{format}: every field survives");
        if format != Format::Csv {
            let created: Vec<Timestamp> = all(&g2).iter().map(|c| c.created).collect();
            assert_eq!(created, all(&g1).iter().map(|c| c.created).collect::<Vec<_>>(), "origination dates kept");
        }
        let again = import_bytes(&g2, format, first.as_bytes()).unwrap();
        assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 3), "{format}: {again:?}");
        assert_eq!(g2.store.concept_count().unwrap(), 3);
        // Importing a glossary's own export into it changes nothing either.
        let own = import_bytes(&g1, format, first.as_bytes()).unwrap();
        assert_eq!((own.created, own.updated, own.unchanged), (0, 0, 3), "{format}: {own:?}");
    }
}

#[test]
fn v3_export_puts_every_category_where_tbx_basic_wants_it() {
    let (_d, g) = open();
    fixture(&g);
    let all = ExportFilter { include_deprecated: true, ..Default::default() };
    let doc = export_string(&g, Format::Tbx, &all);
    assert!(doc.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tbx xmlns=\"urn:iso:std:iso:30042:ed-2\" type=\"TBX-Basic\" style=\"dca\""));
    let visit = &doc[doc.find("<conceptEntry id=\"state-visit\">").unwrap()..];
    let visit = &visit[..visit.find("</conceptEntry>").unwrap()];
    let expected_order = [
        "<descrip type=\"subjectField\">diplomacy &amp; protocol</descrip>",
        "<descrip type=\"definition\">A visit by a head of state at the invitation of another, with \"full\" honours &lt;formal&gt;.</descrip>",
        "<admin type=\"source\">Bộ Ngoại giao &amp; MOFA style sheet</admin>",
        "<note>Use “state visit”, never 'official trip' &amp; never &lt;visit&gt;.</note>",
        "<transac type=\"transactionType\">origination</transac>",
        "<transac type=\"transactionType\">modification</transac>",
        "<langSec xml:lang=\"vi\">",
        "<term>thăm cấp Nhà nước</term>",
        "<termNote type=\"partOfSpeech\">noun</termNote>",
        "<termNote type=\"termType\">phrase</termNote>",
        "<termNote type=\"administrativeStatus\">preferredTerm-admn-sts</termNote>",
        "<descrip type=\"context\">Chủ tịch nước thăm cấp Nhà nước tới Lào từ 5/2/2026.</descrip>",
        "<admin type=\"source\">Báo Nhân Dân</admin>",
        "<note>Viết hoa \"Nhà nước\" &amp; giữ &lt;nguyên&gt;.</note>",
        "<term>chuyến thăm cấp nhà nước</term>",
        "<termNote type=\"administrativeStatus\">admittedTerm-admn-sts</termNote>",
        "<langSec xml:lang=\"en\">",
        "<term>state visit</term>",
        "<termNote type=\"termType\">fullForm</termNote>",
        "<term>official state trip</term>",
        "<termNote type=\"administrativeStatus\">deprecatedTerm-admn-sts</termNote>",
    ];
    let mut at = 0;
    for piece in expected_order {
        let found = visit[at..].find(piece).unwrap_or_else(|| panic!("{piece} missing after byte {at} in\n{visit}"));
        at += found + piece.len();
    }
    assert!(doc.contains("supersededTerm-admn-sts") && doc.contains("shortForm") && doc.contains("abbreviation"));
}

/// What OmegaT would offer for "Tổng Bí thư": by default only the terms
/// translators may use, in every glossary format; with `include_deprecated`
/// the deprecated one too, marked per term.
#[test]
fn deprecated_terms_stay_out_of_default_exports() {
    let (_d, g) = open();
    g.create(
        ConceptDraft {
            terms: vec![
                term("vi", "Tổng Bí thư", TermStatus::Preferred),
                term("en", "General Secretary", TermStatus::Preferred),
                term("en", "Secretary General", TermStatus::Deprecated),
            ],
            ..ConceptDraft::default()
        },
        "test",
    )
    .unwrap();
    let all = ExportFilter { include_deprecated: true, ..Default::default() };
    for format in [Format::TbxMartif, Format::Tbx, Format::Tsv, Format::Csv] {
        let doc = export_string(&g, format, &ExportFilter::default());
        assert!(doc.contains("General Secretary"), "{format}: {doc}");
        assert!(!doc.contains("Secretary General"), "{format}: deprecated term exported by default:\n{doc}");
        let doc = export_string(&g, format, &all);
        assert!(doc.contains("Secretary General"), "{format}: {doc}");
    }
    let martif = export_string(&g, Format::TbxMartif, &all);
    let tig = &martif[martif.find("<term>Secretary General</term>").unwrap()..];
    let tig = &tig[..tig.find("</tig>").unwrap()];
    assert!(tig.contains("<termNote type=\"administrativeStatus\">deprecatedTerm-admn-sts</termNote>"), "{tig}");
    let tsv = export_string(&g, Format::Tsv, &all);
    assert_eq!(tsv, "Tổng Bí thư\tGeneral Secretary\nTổng Bí thư\tSecretary General\t[deprecated]\n");
    let csv = export_string(&g, Format::Csv, &all);
    assert!(csv.contains(",en,Secretary General,deprecated,"), "{csv}");

    // The marked TSV imports back with the status.
    let (_d2, g2) = open();
    import_bytes(&g2, Format::Tsv, tsv.as_bytes()).unwrap();
    let back = export_string(&g2, Format::Tsv, &all);
    assert_eq!(back, tsv);
    assert_eq!(export_string(&g2, Format::Tsv, &ExportFilter::default()), "Tổng Bí thư\tGeneral Secretary\n");
}

#[test]
fn tsv_round_trip_and_idempotence() {
    let (_d1, g1) = open();
    fixture(&g1);
    let first = export_string(&g1, Format::Tsv, &ExportFilter::default());
    let lines: Vec<&str> = first.lines().collect();
    assert_eq!(lines[0], "ASEAN\tASEAN", "concepts in id order");
    assert_eq!(
        lines[3],
        "hữu nghị vĩ đại, đoàn kết đặc biệt, hợp tác toàn diện\tgreat friendship, special solidarity and comprehensive cooperation"
    );
    assert!(lines.contains(&"thăm cấp Nhà nước\tstate visit\tA visit by a head of state at the invitation of another, with \"full\" honours <formal>. | Use “state visit”, never 'official trip' & never <visit>."), "{first}");
    assert!(
        lines.iter().any(|l| l.starts_with("chuyến thăm cấp nhà nước\tstate visit\t")),
        "admitted source terms get lines too"
    );
    assert_eq!(lines.len(), 4);

    let (_d2, g2) = open();
    let report = import_bytes(&g2, Format::Tsv, first.as_bytes()).unwrap();
    assert_eq!((report.entries, report.created), (4, 4), "{report:?}");
    assert_eq!(export_string(&g2, Format::Tsv, &ExportFilter::default()), first);
    let again = import_bytes(&g2, Format::Tsv, first.as_bytes()).unwrap();
    assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 4));
    let own = import_bytes(&g1, Format::Tsv, first.as_bytes()).unwrap();
    assert_eq!((own.created, own.updated, own.unchanged), (0, 0, 4), "{own:?}");

    // Other language pairs come from the options.
    let fr = ExportFilter { src: Some(lang("fr")), tgt: Some(lang("en")), ..Default::default() };
    assert_eq!(export_string(&g1, Format::Tsv, &fr), "ANASE\tASEAN\n");
}

#[test]
fn merging_adds_terms_and_moves_the_preferred_status() {
    let (_d, g) = open();
    fixture(&g);
    let doc = r#"<?xml version="1.0"?>
<martif type="TBX-Basic" xml:lang="en"><martifHeader><fileDesc><sourceDesc><p>x</p></sourceDesc></fileDesc></martifHeader>
<text><body>
  <termEntry id="state-visit">
    <langSet xml:lang="en">
      <tig><term>state-level visit</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>
      <tig><term>State  visit</term><note>capitalised in headlines</note></tig>
    </langSet>
  </termEntry>
  <termEntry>
    <langSet xml:lang="vi"><tig><term>hòa bình</term></tig></langSet>
    <langSet xml:lang="en"><tig><term>peace</term></tig><tig><term>tranquillity</term></tig></langSet>
  </termEntry>
  <termEntry>
    <langSet xml:lang="vi"><tig><term>hoà bình</term></tig></langSet>
    <langSet xml:lang="en"><tig><term>peace</term></tig><tig><term>calm</term></tig></langSet>
  </termEntry>
</body></text></martif>"#;
    let report = import_bytes(&g, Format::Tbx, doc.as_bytes()).unwrap();
    assert_eq!(report.format, Format::TbxMartif, "the dialect comes from the file");
    assert_eq!((report.created, report.updated, report.unchanged), (1, 2, 0), "{report:?}");
    let visit = g.get(&ConceptId::new("state-visit").unwrap()).unwrap();
    assert_eq!(visit.version, 2);
    assert_eq!(visit.subject_field.as_deref(), Some("diplomacy & protocol"), "fields the file omits are kept");
    let en: Vec<(&str, TermStatus)> =
        visit.terms.iter().filter(|t| t.lang == lang("en")).map(|t| (t.text.as_str(), t.status)).collect();
    assert_eq!(
        en,
        [
            ("state visit", TermStatus::Admitted),
            ("official state trip", TermStatus::Deprecated),
            ("state-level visit", TermStatus::Preferred)
        ]
    );
    let sv = visit.terms.iter().find(|t| t.text == "state visit").unwrap();
    assert_eq!(sv.note.as_deref(), Some("capitalised in headlines"));
    assert_eq!(sv.context.as_deref().map(|c| c.starts_with("The \"state visit\"")), Some(true), "kept");
    // The second peace entry (other tone spelling) matched the first,
    // created in the same batch: one concept, terms added as admitted.
    let hits = g
        .lookup(&LookupQuery {
            text: "hoa binh".into(),
            src: lang("vi"),
            tgt: Some(lang("en")),
            limit: 5,
            collections: Default::default(),
        })
        .unwrap();
    assert_eq!(hits.len(), 1, "{hits:?}");
    let targets: Vec<(&str, TermStatus)> = hits[0].targets.iter().map(|t| (t.text.as_str(), t.status)).collect();
    assert_eq!(
        targets,
        [("peace", TermStatus::Preferred), ("tranquillity", TermStatus::Admitted), ("calm", TermStatus::Admitted)]
    );
}

#[test]
fn an_unrelated_concept_with_the_same_id_is_not_overwritten() {
    let (_d, g) = open();
    fixture(&g);
    let before = g.get(&ConceptId::new("state-visit").unwrap()).unwrap();
    let csv = "concept_id,lang,term\nstate-visit,vi,kinh tế số\nstate-visit,en,digital economy\n";
    let report = import_bytes(&g, Format::Csv, csv.as_bytes()).unwrap();
    assert_eq!(report.created, 1, "{report:?}");
    assert!(report.warnings.iter().any(|w| w.contains("unrelated concept")), "{report:?}");
    assert_eq!(g.get(&before.id).unwrap(), before);
    assert_eq!(g.store.concept_count().unwrap(), 4);
}

fn shared(rel: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared").join(rel);
    if path.exists() {
        return Some(path);
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("CI: {} is missing", path.display());
    }
    eprintln!("skipped: {} not found (../shared next to the repo)", path.display());
    None
}

#[test]
fn the_tbx_basic_sample_imports_with_unknown_categories_kept_as_notes() {
    let Some(path) = shared("standards/samples/tbx-basic-v3-vi-en.tbx") else { return };
    let (_d, g) = open();
    let report = g
        .import(Format::Tbx, &ImportOptions::default(), || std::fs::File::open(&path).map(std::io::BufReader::new))
        .unwrap();
    assert_eq!((report.entries, report.created), (2, 2), "{report:?}");
    assert_eq!(report.kept_as_notes.get("admin customerSubset"), Some(&1), "{report:?}");
    let c1 = g.get(&ConceptId::new("c1").unwrap()).unwrap();
    assert_eq!(c1.subject_field.as_deref(), Some("diplomacy"));
    assert_eq!(c1.note.as_deref(), Some("customerSubset: ACME | Set phrase in official speeches."));
    assert_eq!(c1.definition.as_deref(), Some("A close and lasting friendly relationship between two nations."));
    let vi = &c1.terms[0];
    assert_eq!(
        (vi.text.as_str(), vi.status, vi.part_of_speech, vi.term_type),
        ("hữu nghị vĩ đại", TermStatus::Preferred, Some(PartOfSpeech::Noun), Some(TermType::Phrase))
    );
    assert_eq!(vi.context.as_deref(), Some("Tình hữu nghị vĩ đại giữa hai dân tộc."));
    assert_eq!(vi.source.as_deref(), Some("Báo Nhân Dân"), "source inside descripGrp");
    assert_eq!(c1.terms[1].source.as_deref(), Some("in-house style guide"));
    let c2 = g.get(&ConceptId::new("c2").unwrap()).unwrap();
    assert_eq!(c2.terms[0].status, TermStatus::Preferred, "no status in the file: first term preferred");
    assert_eq!(c2.terms[1].status, TermStatus::Admitted, "explicit admitted");
    let again = g
        .import(Format::Tbx, &ImportOptions::default(), || std::fs::File::open(&path).map(std::io::BufReader::new))
        .unwrap();
    assert_eq!((again.created, again.unchanged), (0, 2), "{again:?}");
}

#[test]
fn bad_entries_are_skipped_with_reasons_and_the_rest_applied() {
    let (_d, g) = open();
    let long = "x".repeat(600);
    let doc = format!(
        r#"<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" style="dca" xml:lang="en"><tbxHeader><fileDesc><sourceDesc><p>t</p></sourceDesc></fileDesc></tbxHeader><text><body>
<conceptEntry id="ok"><langSec xml:lang="vi"><termSec><term>hợp tác</term><termNote type="partOfSpeech">danh từ</termNote></termSec></langSec></conceptEntry>
<conceptEntry id="badlang"><langSec xml:lang="vietnamese_VN"><termSec><term>x</term></termSec></langSec></conceptEntry>
<conceptEntry id="long"><langSec xml:lang="en"><termSec><term>{long}</term></termSec></langSec></conceptEntry>
<conceptEntry id="empty"><descrip type="subjectField">nothing</descrip><langSec xml:lang="en"><termSec><term>  </term></termSec></langSec></conceptEntry>
</body></text></tbx>"#
    );
    let report = import_bytes(&g, Format::Tbx, doc.as_bytes()).unwrap();
    assert_eq!((report.entries, report.created, report.skipped_count), (4, 1, 3), "{report:?}");
    let reasons: Vec<(Option<&str>, &str)> =
        report.skipped.iter().map(|s| (s.id.as_deref(), s.reason.as_str())).collect();
    assert!(reasons[0].0 == Some("badlang") && reasons[0].1.contains("vietnamese_VN"), "{reasons:?}");
    assert!(reasons[1].0 == Some("long") && reasons[1].1.contains("limit is 500"), "{reasons:?}");
    assert!(reasons[2].0 == Some("empty") && reasons[2].1.contains("must not be empty"), "{reasons:?}");
    assert!(report.skipped.iter().all(|s| s.line >= 2));
    let ok = g.get(&ConceptId::new("ok").unwrap()).unwrap();
    assert_eq!(ok.terms[0].note.as_deref(), Some("partOfSpeech: danh từ"), "unknown value kept as a note");
    assert!(report.warnings.iter().any(|w| w.contains("danh từ")), "{report:?}");
}

#[test]
fn hostile_files_are_refused_and_the_store_is_untouched() {
    let (_d, g) = open();
    fixture(&g);
    let before = all(&g);
    let header = r#"<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" style="dca" xml:lang="en"><tbxHeader><fileDesc><sourceDesc><p>t</p></sourceDesc></fileDesc></tbxHeader><text><body>"#;
    let entry = |i: usize| {
        format!(
            r#"<conceptEntry id="n{i}"><langSec xml:lang="vi"><termSec><term>mục {i}</term></termSec></langSec></conceptEntry>"#
        )
    };
    // 1,200 good entries (more than two batches), then the file stops.
    let truncated = format!("{header}{}<conceptEntry id=\"cut\"><langSec", (0..1200).map(entry).collect::<String>());
    let laughs = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n{}]>\n<lolz>&lol9;</lolz>",
        (1..10)
            .map(|i| format!(
                " <!ENTITY lol{i} \"{}\">\n",
                format!("&lol{};", if i == 1 { String::new() } else { (i - 1).to_string() }).repeat(10)
            ))
            .collect::<String>()
    );
    let xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE tbx [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n<tbx>&xxe;</tbx>";
    let quadratic =
        format!("<!DOCTYPE tbx [<!ENTITY a \"{}\">]><tbx>{}</tbx>", "a".repeat(50_000), "&a;".repeat(50_000));
    let utf16: Vec<u8> = format!("{header}</body></text></tbx>").encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    let latin1: Vec<u8> = [header.as_bytes(), b"<conceptEntry id=\"l\"><langSec xml:lang=\"fr\"><termSec><term>caf\xe9</term></termSec></langSec></conceptEntry></body></text></tbx>"].concat();
    let deep = format!("{header}{}", "<note>".repeat(100));
    let huge_attr = format!("{header}<conceptEntry id=\"{}\"/></body></text></tbx>", "a".repeat(2_000_000));
    let cases: Vec<(&str, Format, Vec<u8>, FileProblem)> = vec![
        ("billion laughs", Format::Tbx, laughs.into_bytes(), FileProblem::Unsafe),
        ("external entity", Format::Tbx, xxe.into(), FileProblem::Unsafe),
        ("quadratic blowup", Format::Tbx, quadratic.into_bytes(), FileProblem::Unsafe),
        ("truncated", Format::Tbx, truncated.into_bytes(), FileProblem::Malformed),
        ("UTF-16 without BOM", Format::Tbx, utf16, FileProblem::Encoding),
        ("Latin-1", Format::Tbx, latin1, FileProblem::Encoding),
        ("not XML", Format::Tbx, b"source\ttarget\nhoa binh\tpeace\n".to_vec(), FileProblem::Malformed),
        ("not TBX", Format::Tbx, b"<tmx version=\"1.4\"/>".to_vec(), FileProblem::WrongFormat),
        ("deeply nested", Format::Tbx, deep.into_bytes(), FileProblem::LimitExceeded),
        ("huge attribute", Format::Tbx, huge_attr.into_bytes(), FileProblem::LimitExceeded),
        ("Latin-1 TSV", Format::Tsv, b"h\xf2a b\xecnh\tpeace\n".to_vec(), FileProblem::Encoding),
        ("CSV without header", Format::Csv, b"hoa binh,peace\n".to_vec(), FileProblem::WrongFormat),
        ("CSV open quote", Format::Csv, b"lang,term\nvi,\"open\n".to_vec(), FileProblem::WrongFormat),
    ];
    for (name, format, bytes, expected) in cases {
        match import_bytes(&g, format, &bytes) {
            Err(Error::InvalidFile { problem, message }) => {
                assert_eq!(problem, expected, "{name}: {message}");
                assert!(message.starts_with("line "), "{name}: {message}");
            }
            other => panic!("{name}: expected a file error, got {other:?}"),
        }
        assert_eq!(all(&g), before, "{name}: the store changed");
        assert_eq!(g.store.concept_count().unwrap(), 3, "{name}");
    }
    let too_big = g.import(Format::Tsv, &ImportOptions { max_bytes: 10, ..Default::default() }, || {
        Ok(Cursor::new(b"hoa binh\tpeace\nchien luoc\tstrategy\n".to_vec()))
    });
    assert!(matches!(too_big, Err(Error::InvalidFile { problem: FileProblem::TooLarge, .. })), "{too_big:?}");
    assert_eq!(DEFAULT_MAX_IMPORT_BYTES, 1 << 30);
}

#[test]
fn large_imports_go_in_batches_and_reach_the_lookup_index() {
    let (_d, g) = open();
    let tsv: String = (0..1200).map(|i| format!("điều khoản {i}\tclause {i}\n")).collect();
    let report = import_bytes(&g, Format::Tsv, tsv.as_bytes()).unwrap();
    assert_eq!((report.created, report.batches), (1200, 3), "{report:?}");
    assert_eq!(g.stats().unwrap().concepts, 1200);
    assert_eq!(g.stats().unwrap().terms, 2400);
    let hits = g
        .lookup(&LookupQuery {
            text: "dieu khoan 1199".into(),
            src: lang("vi"),
            tgt: Some(lang("en")),
            limit: 1,
            collections: Default::default(),
        })
        .unwrap();
    assert_eq!(hits[0].targets[0].text, "clause 1199");
    let summary = g.export(Format::Csv, &ExportFilter::default(), &mut Vec::new()).unwrap();
    assert_eq!((summary.concepts, summary.terms), (1200, 2400));
}

#[test]
fn dca_and_dct_versions_of_the_astronomy_example_import_alike() {
    let (Some(dca), Some(dct)) = (
        shared("standards/schemas/tbx/basic_dialect/DCA/Example_Astronomy_DCA_VALID.tbx"),
        shared("standards/schemas/tbx/basic_dialect/DCT/Example_Astronomy_DCT_VALID.tbx"),
    ) else {
        return;
    };
    let import = |path: &PathBuf| {
        let (dir, g) = open();
        let report = g
            .import(Format::Tbx, &ImportOptions::default(), || std::fs::File::open(path).map(std::io::BufReader::new))
            .unwrap();
        (dir, g, report)
    };
    let (_d1, g1, r1) = import(&dca);
    let (_d2, g2, r2) = import(&dct);
    assert_eq!((r1.entries, r1.created, r1.skipped_count), (45, 45, 0), "{r1:?}");
    assert_eq!((r2.entries, r2.created, r2.skipped_count), (45, 45, 0), "{r2:?}");
    let (mut a, mut b) = (contents(&g1), contents(&g2));
    // The DCA sample has a few more langSec-level "G-Source" notes than the
    // DCT one (c7, c32, ...): compare concept notes separately.
    for list in [&mut a, &mut b] {
        for (_, d) in list.iter_mut() {
            d.note = d
                .note
                .take()
                .map(|n| n.split(" | ").filter(|p| !p.starts_with("G-Source")).collect::<Vec<_>>().join(" | "));
        }
    }
    assert_eq!(a.len(), 45);
    for (a, b) in a.iter().zip(b.iter()) {
        assert_eq!(a, b, "DCT elements read as their DCA equivalents");
    }
    assert_eq!(r1.kept_as_notes, r2.kept_as_notes);
    let c1 = g1.get(&ConceptId::new("c1").unwrap()).unwrap();
    assert_eq!(c1.subject_field.as_deref(), Some("General"));
    assert!(
        c1.note.as_deref().unwrap_or("").contains("xGraphic: Open_Cluster.JPG <https://en.wikipedia.org/"),
        "{c1:?}"
    );
    assert_eq!(c1.created, Timestamp::parse_rfc3339("2010-04-17T00:00:00Z").unwrap());
}
