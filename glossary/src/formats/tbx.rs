//! TBX-Basic, TBX v3 (ISO 30042:2019), DCA style: writer, and the reader
//! for both TBX dialects (v3 `<tbx>` and TBX 2008 `<martif>`).
//!
//! # Mapping (checked against the core RNG and the TBX-Basic Schematron)
//!
//! | our field              | TBX                                                                 | level |
//! |------------------------|---------------------------------------------------------------------|-------|
//! | concept id             | `conceptEntry/@id`                                                  | concept |
//! | subject_field          | `<descrip type="subjectField">`                                     | concept (only there) |
//! | definition             | `<descrip type="definition">`                                       | concept (read at langSec too) |
//! | source                 | `<admin type="source">`                                             | concept |
//! | collection             | `<admin type="customerSubset">` (only outside `default`)            | concept |
//! | note                   | `<note>`                                                            | concept |
//! | created / updated      | `<transacGrp>` with `transac` `origination` / `modification` and `<date>` | concept |
//! | term lang              | `langSec/@xml:lang`                                                 | langSec |
//! | term text              | `<term>`                                                            | termSec |
//! | part_of_speech         | `<termNote type="partOfSpeech">` noun, verb, adjective, adverb, other | termSec, right after term |
//! | term_type              | `<termNote type="termType">` fullForm, acronym, …, phrase           | termSec, right after term |
//! | status                 | `<termNote type="administrativeStatus">` preferredTerm-admn-sts, …  | termSec, right after term |
//! | context                | `<descrip type="context">`                                          | termSec (only there) |
//! | term source            | `<admin type="source">`                                             | termSec |
//! | term note              | `<note>`                                                            | termSec |
//!
//! On import, a concept-level `customerSubset` that is a valid collection
//! name gives the entry's collection (used when the import names none;
//! see `docs/collections.md`). Data categories without a field here
//! (`customerSubset` values that are not collection names, `projectSubset`,
//! `geographicalUsage`, `xref`, …) are kept as notes at their level
//! (`"customerSubset: ACME"`) and counted in the report; a second value of
//! a single-valued field goes to the note too. Grouping elements
//! (`descripGrp`, `adminGrp`, `termNoteGrp`, `termGrp` in `ntig`) are read
//! through. DCT-style files (`<min:subjectField>`, `<basic:source>`) are
//! read as their DCA equivalents. The concept's origination date becomes
//! its `created` time; the rest of the transaction history (modification
//! dates, responsibility, transactions at language or term level) is not
//! imported: the store keeps its own times.

use std::io::{self, BufRead, Write};

use crate::error::{FileProblem, Result};
use crate::formats::martif::MARTIF;
use crate::formats::xml::{write_escaped, write_text_element, write_typed, Element, Limits, Node, SafeReader};
use crate::formats::{
    append_note, by_language, parse_pos, parse_status, parse_term_type, pos_name, set_or_note, status_tbx,
    term_type_tbx, Format, ImportEntry, ImportTerm,
};
use crate::model::{Collection, Concept, Lang, Timestamp};

/// Element names of one TBX dialect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Dialect {
    pub format: Format,
    pub root: &'static str,
    pub header: &'static str,
    pub entry: &'static str,
    pub lang_sec: &'static str,
    pub term_sec: &'static str,
}

/// TBX v3.
pub(crate) const V3: Dialect = Dialect {
    format: Format::Tbx,
    root: "tbx",
    header: "tbxHeader",
    entry: "conceptEntry",
    lang_sec: "langSec",
    term_sec: "termSec",
};

/// Streams concepts out as a TBX document of either dialect.
pub(crate) struct TbxWriter<'a> {
    out: &'a mut dyn Write,
    dialect: Dialect,
    body_open: bool,
    /// Languages whose sections come first (source, target), in this order.
    first: Vec<Lang>,
}

impl<'a> TbxWriter<'a> {
    /// Writes the prolog and header. `description` goes into
    /// `sourceDesc/p` (which TBX-Basic requires).
    /// Language sections of `first` (the export's source and target) are
    /// written first: TBX 2008 readers take the first `langSet` as source.
    pub fn begin(
        out: &'a mut dyn Write,
        dialect: Dialect,
        description: &str,
        first: Vec<Lang>,
    ) -> io::Result<TbxWriter<'a>> {
        writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
        if dialect == V3 {
            writeln!(
                out,
                "<tbx xmlns=\"urn:iso:std:iso:30042:ed-2\" type=\"TBX-Basic\" style=\"dca\" xml:lang=\"en\">"
            )?;
        } else {
            writeln!(out, "<martif type=\"TBX-Basic\" xml:lang=\"en\">")?;
        }
        writeln!(out, "  <{}>", dialect.header)?;
        writeln!(out, "    <fileDesc>")?;
        writeln!(out, "      <titleStmt>")?;
        write_text_element(out, "        ", "title", "Glossary export")?;
        writeln!(out, "      </titleStmt>")?;
        writeln!(out, "      <sourceDesc>")?;
        write_text_element(
            out,
            "        ",
            "p",
            &format!("Exported by glossary-server {} ({description})", env!("CARGO_PKG_VERSION")),
        )?;
        writeln!(out, "      </sourceDesc>")?;
        writeln!(out, "    </fileDesc>")?;
        writeln!(out, "  </{}>", dialect.header)?;
        writeln!(out, "  <text>")?;
        let mut w = TbxWriter { out, dialect, body_open: false, first };
        if dialect == MARTIF {
            // TBX 2008 requires <body>; v3 makes it optional but then wants
            // at least one entry in it, so v3 opens it with the first entry.
            w.open_body()?;
        }
        Ok(w)
    }

    fn open_body(&mut self) -> io::Result<()> {
        if !self.body_open {
            writeln!(self.out, "    <body>")?;
            self.body_open = true;
        }
        Ok(())
    }

    /// Writes one concept entry.
    pub fn concept(&mut self, c: &Concept) -> io::Result<()> {
        self.open_body()?;
        let d = self.dialect;
        let out = &mut *self.out;
        write!(out, "      <{} id=\"", d.entry)?;
        write_escaped(out, c.id.as_str(), true)?;
        writeln!(out, "\">")?;
        let i = "        ";
        if let Some(s) = &c.subject_field {
            write_typed(out, i, "descrip", "subjectField", s)?;
        }
        if let Some(s) = &c.definition {
            write_typed(out, i, "descrip", "definition", s)?;
        }
        if let Some(s) = &c.source {
            write_typed(out, i, "admin", "source", s)?;
        }
        if !c.collection.is_default() {
            write_typed(out, i, "admin", "customerSubset", c.collection.as_str())?;
        }
        if let Some(s) = &c.note {
            write_text_element(out, i, "note", s)?;
        }
        for (kind, when) in [("origination", c.created), ("modification", c.updated)] {
            writeln!(out, "{i}<transacGrp>")?;
            writeln!(out, "{i}  <transac type=\"transactionType\">{kind}</transac>")?;
            writeln!(out, "{i}  <date>{}</date>", when.to_rfc3339())?;
            writeln!(out, "{i}</transacGrp>")?;
        }
        let mut groups = by_language(&c.terms);
        groups.sort_by_key(|(lang, _)| self.first.iter().position(|f| lang.matches(f)).unwrap_or(usize::MAX));
        for (lang, terms) in groups {
            writeln!(out, "{i}<{} xml:lang=\"{}\">", d.lang_sec, lang.as_str())?;
            for t in terms {
                let j = "            ";
                writeln!(out, "          <{}>", d.term_sec)?;
                write_text_element(out, j, "term", &t.text)?;
                if let Some(p) = t.part_of_speech {
                    write_typed(out, j, "termNote", "partOfSpeech", pos_name(p))?;
                }
                if let Some(k) = t.term_type {
                    write_typed(out, j, "termNote", "termType", term_type_tbx(k))?;
                }
                write_typed(out, j, "termNote", "administrativeStatus", status_tbx(t.status))?;
                if let Some(s) = &t.context {
                    write_typed(out, j, "descrip", "context", s)?;
                }
                if let Some(s) = &t.source {
                    write_typed(out, j, "admin", "source", s)?;
                }
                if let Some(s) = &t.note {
                    write_text_element(out, j, "note", s)?;
                }
                writeln!(out, "          </{}>", d.term_sec)?;
            }
            writeln!(out, "{i}</{}>", d.lang_sec)?;
        }
        writeln!(out, "      </{}>", d.entry)
    }

    /// Closes the document.
    pub fn finish(mut self) -> io::Result<()> {
        if self.dialect == MARTIF {
            // An empty TBX 2008 body does not validate (the XSD wants one
            // termEntry), but readers accept it; we never invent an entry.
            self.open_body()?;
        }
        if self.body_open {
            writeln!(self.out, "    </body>")?;
        }
        writeln!(self.out, "  </text>")?;
        writeln!(self.out, "</{}>", self.dialect.root)?;
        self.out.flush()
    }
}

/// Reads concept entries from a TBX v3 or TBX 2008 document, one at a time.
pub(crate) struct TbxReader<R: BufRead> {
    xml: SafeReader<R>,
    dialect: Dialect,
    entries: u64,
    done: bool,
}

impl<R: BufRead> TbxReader<R> {
    /// Reads up to the root element and tells the dialect from it.
    pub fn new(input: R, limits: Limits) -> Result<TbxReader<R>> {
        let mut xml = SafeReader::new(input, limits);
        let dialect = loop {
            match xml.next()? {
                Some(Node::Start(e)) if e.name == V3.root => break V3,
                Some(Node::Start(e)) if e.name == MARTIF.root => break MARTIF,
                Some(Node::Start(e)) => {
                    return Err(xml.error(
                        FileProblem::WrongFormat,
                        format!("the root element is <{}>, not <tbx> (TBX v3) or <martif> (TBX 2008)", e.name),
                    ))
                }
                Some(_) => {}
                None => return Err(xml.error(FileProblem::Malformed, "no root element")),
            }
        };
        Ok(TbxReader { xml, dialect, entries: 0, done: false })
    }

    /// The dialect found.
    pub fn format(&self) -> Format {
        self.dialect.format
    }

    /// The next entry, `None` after the last. Errors are fatal (the file is
    /// unreadable from there on); problems of one entry are in the entry.
    pub fn next_entry(&mut self) -> Result<Option<ImportEntry>> {
        if self.done {
            return Ok(None);
        }
        loop {
            match self.xml.next()? {
                Some(Node::Start(e)) if is_entry(&e.name) => {
                    self.entries += 1;
                    let entry = self.entry(&e)?;
                    return Ok(Some(entry));
                }
                Some(Node::Start(e)) if e.name == V3.header || e.name == MARTIF.header || e.name == "back" => {
                    self.xml.skip()?
                }
                Some(_) => {}
                None => {
                    self.done = true;
                    return Ok(None);
                }
            }
        }
    }

    fn entry(&mut self, e: &Element) -> Result<ImportEntry> {
        let mut entry = ImportEntry {
            number: self.entries,
            line: self.xml.line(),
            id: e.attr("id").map(str::to_string),
            ..Default::default()
        };
        let depth = self.xml.depth();
        while let Some(node) = self.xml.next()? {
            match node {
                Node::Start(child) if is_lang_sec(&child.name) => self.lang_sec(&child, &mut entry)?,
                Node::Start(child) if child.name == "transacGrp" => self.transac(&mut entry)?,
                Node::Start(child) if is_group(&child.name) => {}
                Node::Start(child) => {
                    let text = self.xml.text_content()?;
                    concept_level(&child, &text, None, &mut entry);
                }
                Node::End(_) if self.xml.depth() < depth => return Ok(entry),
                _ => {}
            }
        }
        Err(self.xml.error(FileProblem::Malformed, "unexpected end of file"))
    }

    fn lang_sec(&mut self, e: &Element, entry: &mut ImportEntry) -> Result<()> {
        let lang = match e.attr("xml:lang").or_else(|| e.attr("lang")) {
            Some(tag) => match Lang::new(tag) {
                Ok(l) => Some(l),
                Err(err) => {
                    entry.problems.push(format!("<{}> has xml:lang {tag:?}: {err}", e.name));
                    None
                }
            },
            None => {
                entry.problems.push(format!("a <{}> has no xml:lang", e.name));
                None
            }
        };
        let depth = self.xml.depth();
        while let Some(node) = self.xml.next()? {
            match node {
                Node::Start(child) if is_term_sec(&child.name) => self.term_sec(lang.as_ref(), entry)?,
                Node::Start(child) if is_group(&child.name) => {}
                Node::Start(child) if child.name == "transacGrp" => self.xml.skip()?,
                Node::Start(child) => {
                    let text = self.xml.text_content()?;
                    concept_level(&child, &text, lang.as_ref(), entry);
                }
                Node::End(_) if self.xml.depth() < depth => return Ok(()),
                _ => {}
            }
        }
        Err(self.xml.error(FileProblem::Malformed, "unexpected end of file"))
    }

    fn term_sec(&mut self, lang: Option<&Lang>, entry: &mut ImportEntry) -> Result<()> {
        let depth = self.xml.depth();
        let mut term: Option<ImportTerm> = None;
        // Categories seen before <term> (invalid order, but keep them).
        let mut early: Vec<(Element, String)> = Vec::new();
        while let Some(node) = self.xml.next()? {
            match node {
                Node::Start(child) if child.name == "term" => {
                    let text = self.xml.text_content()?;
                    match (lang, &term) {
                        (Some(l), None) => term = Some(ImportTerm::new(l.clone(), text)),
                        (Some(_), Some(_)) => entry.problems.push("a term section holds two <term>s".to_string()),
                        (None, _) => {}
                    }
                }
                Node::Start(child) if is_group(&child.name) || child.name == "termGrp" => {}
                Node::Start(child) if child.name == "transacGrp" => self.xml.skip()?,
                Node::Start(child) => {
                    let text = self.xml.text_content()?;
                    match term.as_mut() {
                        Some(t) => term_level(&child, &text, t, entry),
                        None => early.push((child, text)),
                    }
                }
                Node::End(_) if self.xml.depth() < depth => {
                    match term {
                        Some(mut t) => {
                            for (child, text) in early {
                                term_level(&child, &text, &mut t, entry);
                            }
                            entry.terms.push(t);
                        }
                        None if lang.is_some() => entry.problems.push("a term section has no <term>".to_string()),
                        None => {}
                    }
                    return Ok(());
                }
                _ => {}
            }
        }
        Err(self.xml.error(FileProblem::Malformed, "unexpected end of file"))
    }

    fn transac(&mut self, entry: &mut ImportEntry) -> Result<()> {
        let depth = self.xml.depth();
        let (mut kind, mut date) = (None, None);
        while let Some(node) = self.xml.next()? {
            match node {
                Node::Start(child) if child.name == "transac" || child.name == "transactionType" => {
                    kind = Some(self.xml.text_content()?)
                }
                Node::Start(child) if child.name == "date" => date = Some(self.xml.text_content()?),
                // Responsibility and the like: transaction history is not imported.
                Node::Start(_) => self.xml.skip()?,
                Node::End(_) if self.xml.depth() < depth => break,
                _ => {}
            }
        }
        let origination = kind.as_deref().map(str::trim).is_some_and(|k| k == "origination" || k == "creation");
        if origination {
            if let Some(d) = date {
                match parse_date(&d) {
                    Some(t) => entry.created = Some(t),
                    None => entry.warnings.push(format!("origination date {d:?} is not an ISO date; ignored")),
                }
            }
        }
        Ok(())
    }
}

/// DCT-style TBX names the data category by the element
/// (`<min:subjectField>`); this gives the DCA form (`<descrip
/// type="subjectField">`) so one set of rules reads both styles.
fn canonical(e: &Element) -> std::borrow::Cow<'_, Element> {
    let kind = match e.name.as_str() {
        "subjectField" | "definition" | "context" => "descrip",
        "source" | "customerSubset" | "projectSubset" => "admin",
        "partOfSpeech"
        | "termType"
        | "administrativeStatus"
        | "geographicalUsage"
        | "grammaticalGender"
        | "termLocation" => "termNote",
        "crossReference" => "ref",
        "externalCrossReference" | "xGraphic" => "xref",
        _ => return std::borrow::Cow::Borrowed(e),
    };
    let mut attrs = e.attrs.clone();
    attrs.retain(|(k, _)| k != "type");
    attrs.push(("type".to_string(), e.name.clone()));
    std::borrow::Cow::Owned(Element { name: kind.to_string(), attrs })
}

fn is_entry(name: &str) -> bool {
    name == V3.entry || name == MARTIF.entry
}

fn is_lang_sec(name: &str) -> bool {
    name == V3.lang_sec || name == MARTIF.lang_sec
}

fn is_term_sec(name: &str) -> bool {
    name == V3.term_sec || name == MARTIF.term_sec || name == "ntig"
}

/// Grouping elements whose children count at the group's level.
fn is_group(name: &str) -> bool {
    matches!(name, "descripGrp" | "adminGrp" | "termNoteGrp")
}

/// The report key and note label of an element we keep as a note.
fn category(e: &Element) -> (String, String) {
    match e.attr("type") {
        Some(t) => (format!("{} {t}", e.name), t.to_string()),
        None => (e.name.clone(), e.name.clone()),
    }
}

fn keep_as_note(e: &Element, text: &str, note: &mut Option<String>, entry_kept: &mut Vec<String>) {
    let (key, label) = category(e);
    let mut value = text.trim().to_string();
    if let Some(target) = e.attr("target") {
        value = if value.is_empty() { target.to_string() } else { format!("{value} <{target}>") };
    }
    append_note(note, &format!("{label}: {value}"));
    entry_kept.push(key);
}

/// A data category met at concept or language level.
fn concept_level(e: &Element, text: &str, lang: Option<&Lang>, entry: &mut ImportEntry) {
    let e = &*canonical(e);
    let kind = e.attr("type");
    let lang_label = |label: &str| match lang {
        Some(l) => format!("{label} ({l})"),
        None => label.to_string(),
    };
    match (e.name.as_str(), kind) {
        ("descrip", Some("subjectField")) if lang.is_none() => {
            set_or_note(&mut entry.subject_field, &mut entry.note, "subjectField", text)
        }
        ("descrip", Some("definition")) => {
            set_or_note(&mut entry.definition, &mut entry.note, &lang_label("definition"), text)
        }
        ("admin", Some("source")) => set_or_note(&mut entry.source, &mut entry.note, &lang_label("source"), text),
        ("admin", Some("customerSubset"))
            if lang.is_none() && entry.collection.is_none() && Collection::new(text.trim()).is_ok() =>
        {
            entry.collection = Some(text.trim().to_string())
        }
        ("note", _) => append_note(&mut entry.note, text),
        _ => keep_as_note(e, text, &mut entry.note, &mut entry.kept),
    }
}

/// A data category met inside a term section.
fn term_level(e: &Element, text: &str, term: &mut ImportTerm, entry: &mut ImportEntry) {
    let e = &*canonical(e);
    let value = text.trim();
    let t = &mut term.term;
    let recognised = match (e.name.as_str(), e.attr("type")) {
        ("termNote", Some("partOfSpeech")) => match parse_pos(value) {
            Some(p) if t.part_of_speech.is_none() => {
                t.part_of_speech = Some(p);
                true
            }
            _ => false,
        },
        ("termNote", Some("termType")) => match parse_term_type(value) {
            Some(k) if t.term_type.is_none() => {
                t.term_type = Some(k);
                true
            }
            _ => false,
        },
        ("termNote", Some("administrativeStatus" | "normativeAuthorization")) => match parse_status(value) {
            Some(s) if term.status.is_none() => {
                term.status = Some(s);
                true
            }
            _ => false,
        },
        ("descrip", Some("context")) => {
            set_or_note(&mut t.context, &mut t.note, "context", text);
            true
        }
        ("admin", Some("source")) => {
            set_or_note(&mut t.source, &mut t.note, "source", text);
            true
        }
        ("note", _) => {
            append_note(&mut t.note, text);
            true
        }
        _ => {
            keep_as_note(e, text, &mut t.note, &mut entry.kept);
            true
        }
    };
    if !recognised {
        let what = e.attr("type").unwrap_or("termNote");
        entry.warnings.push(format!(
            "{what} {value:?} of term {:?} is not a TBX-Basic value (or is given twice); kept as a note",
            term.term.text
        ));
        append_note(&mut term.term.note, &format!("{what}: {value}"));
    }
}

/// `2026-02-06T08:30:00Z` (any RFC 3339) or a plain date `2026-02-06`.
pub(crate) fn parse_date(s: &str) -> Option<Timestamp> {
    let s = s.trim();
    if let Ok(t) = Timestamp::parse_rfc3339(s) {
        return Some(t);
    }
    Timestamp::parse_rfc3339(&format!("{s}T00:00:00Z")).ok()
}
