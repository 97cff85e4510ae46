//! TMX 1.4b (translation memory exchange): a streaming reader and writer
//! with their own neutral types.
//!
//! This is the format layer only: the translation memory that will fill
//! and consume these types is a later feature, so nothing here touches the
//! store. What it guarantees:
//!
//! - [`TmxWriter`] writes every header attribute the DTD requires
//!   (`creationtool`, `creationtoolversion`, `segtype`, `o-tmf`, `adminlang`,
//!   `srclang`, `datatype`), `xml:lang` on every `tuv`, and streams one
//!   unit at a time;
//! - [`TmxReader`] is an iterator of units over the safe XML reader (a
//!   plain `<!DOCTYPE tmx SYSTEM "tmx14.dtd">` is fine, entity declarations
//!   are refused), so a large memory is read in constant memory;
//! - a [`Segment`] keeps its inline codes (`bpt`, `ept`, `it`, `ph`, `ut`,
//!   `hi`) with their attributes and native code text, so a read → write
//!   round trip gives the same units; [`Segment::plain_text`] is the text a
//!   matcher should compare. `<sub>` inside a code is kept as part of the
//!   code's text (flattened).

use std::io::{self, BufRead, Write};

use crate::error::{FileProblem, Result};
use crate::formats::xml::{write_escaped, Element, Limits, Node, SafeReader};
use crate::model::{Lang, Timestamp};

/// Segmentation level (`segtype`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum SegType {
    /// Larger than a paragraph.
    Block,
    /// A paragraph.
    Paragraph,
    /// A sentence (the usual value).
    #[default]
    Sentence,
    /// Smaller than a sentence.
    Phrase,
}

impl SegType {
    /// The attribute value.
    pub fn as_str(self) -> &'static str {
        match self {
            SegType::Block => "block",
            SegType::Paragraph => "paragraph",
            SegType::Sentence => "sentence",
            SegType::Phrase => "phrase",
        }
    }

    fn parse(s: &str) -> Option<SegType> {
        Some(match s {
            "block" => SegType::Block,
            "paragraph" => SegType::Paragraph,
            "sentence" => SegType::Sentence,
            "phrase" => SegType::Phrase,
            _ => return None,
        })
    }
}

/// The `<header>`: seven required attributes, the optional ones, and its
/// properties and notes.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct TmxHeader {
    /// Tool that wrote the file.
    pub creation_tool: String,
    /// Its version.
    pub creation_tool_version: String,
    /// Segmentation level.
    pub seg_type: SegType,
    /// Original translation-memory format.
    pub o_tmf: String,
    /// Language of notes and properties.
    pub admin_lang: String,
    /// Source language of the units, or `*all*`.
    pub src_lang: String,
    /// Kind of data (`plaintext`, `html`, ...).
    pub data_type: String,
    /// Original encoding.
    pub o_encoding: Option<String>,
    /// Creation date, `YYYYMMDDThhmmssZ`.
    pub creation_date: Option<String>,
    /// Who created the file.
    pub creation_id: Option<String>,
    /// Last change date, `YYYYMMDDThhmmssZ`.
    pub change_date: Option<String>,
    /// Who changed it last.
    pub change_id: Option<String>,
    /// `<prop>` elements.
    pub props: Vec<TmxProp>,
    /// `<note>` elements.
    pub notes: Vec<TmxNote>,
}

impl TmxHeader {
    /// A header as this server writes it: plain-text sentences from `src_lang`.
    pub fn new(src_lang: &Lang) -> TmxHeader {
        TmxHeader {
            creation_tool: "glossary-server".into(),
            creation_tool_version: env!("CARGO_PKG_VERSION").into(),
            seg_type: SegType::Sentence,
            o_tmf: "glossary-server".into(),
            admin_lang: "en".into(),
            src_lang: src_lang.to_string(),
            data_type: "plaintext".into(),
            creation_date: Some(tmx_date(Timestamp::now())),
            ..TmxHeader::default()
        }
    }
}

/// A `<prop type="...">` value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TmxProp {
    /// The `type` attribute (e.g. `x-domain`).
    pub kind: String,
    /// `xml:lang`, if given.
    pub lang: Option<String>,
    /// The value.
    pub value: String,
}

/// A `<note>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TmxNote {
    /// `xml:lang`, if given.
    pub lang: Option<String>,
    /// The text.
    pub text: String,
}

/// A translation unit `<tu>`.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct TmxUnit {
    /// `tuid`.
    pub tuid: Option<String>,
    /// `srclang` of this unit, when it differs from the header's.
    pub src_lang: Option<String>,
    /// `creationdate`.
    pub creation_date: Option<String>,
    /// `creationid`.
    pub creation_id: Option<String>,
    /// `changedate`.
    pub change_date: Option<String>,
    /// `changeid`.
    pub change_id: Option<String>,
    /// Other attributes (`usagecount`, `datatype`, ...), kept in order.
    pub other_attrs: Vec<(String, String)>,
    /// `<prop>`s.
    pub props: Vec<TmxProp>,
    /// `<note>`s.
    pub notes: Vec<TmxNote>,
    /// One variant per language.
    pub variants: Vec<TmxVariant>,
}

impl TmxUnit {
    /// The variant in language `lang` (RFC 4647 basic filtering).
    pub fn variant(&self, lang: &Lang) -> Option<&TmxVariant> {
        self.variants.iter().find(|v| v.lang.matches(lang))
    }
}

/// A `<tuv>`: one language's segment with its own metadata.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TmxVariant {
    /// `xml:lang`.
    pub lang: Lang,
    /// Attributes other than `xml:lang` (`creationdate`, `changeid`, ...), in order.
    pub attrs: Vec<(String, String)>,
    /// `<prop>`s.
    pub props: Vec<TmxProp>,
    /// `<note>`s.
    pub notes: Vec<TmxNote>,
    /// The `<seg>`.
    pub segment: Segment,
}

/// The content of a `<seg>`: text with inline codes.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Segment {
    /// Text runs and codes, in order.
    pub parts: Vec<Inline>,
}

/// A piece of a segment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Inline {
    /// Translatable text.
    Text(String),
    /// A native code (`<bpt>`, `<ept>`, `<it>`, `<ph>`, `<ut>`).
    Code(InlineCode),
    /// `<hi>`: highlighted text that may hold codes.
    Hi {
        /// Its attributes (`x`, `type`).
        attrs: Vec<(String, String)>,
        /// Its content.
        content: Vec<Inline>,
    },
}

/// Kind of inline code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeKind {
    /// Begin of a paired code.
    Bpt,
    /// End of a paired code.
    Ept,
    /// Isolated code (its pair is in another segment).
    It,
    /// Placeholder (a standalone code).
    Ph,
    /// Unknown code (deprecated in TMX 1.4).
    Ut,
}

impl CodeKind {
    fn name(self) -> &'static str {
        match self {
            CodeKind::Bpt => "bpt",
            CodeKind::Ept => "ept",
            CodeKind::It => "it",
            CodeKind::Ph => "ph",
            CodeKind::Ut => "ut",
        }
    }

    fn parse(name: &str) -> Option<CodeKind> {
        Some(match name {
            "bpt" => CodeKind::Bpt,
            "ept" => CodeKind::Ept,
            "it" => CodeKind::It,
            "ph" => CodeKind::Ph,
            "ut" => CodeKind::Ut,
            _ => return None,
        })
    }
}

/// An inline code with its attributes (`i`, `x`, `type`, `pos`, `assoc`)
/// and its native code text (e.g. `<b>`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InlineCode {
    /// Which code element.
    pub kind: CodeKind,
    /// Its attributes, in order.
    pub attrs: Vec<(String, String)>,
    /// The native code it stands for.
    pub code: String,
}

impl Segment {
    /// A segment of plain text.
    pub fn from_text(text: &str) -> Segment {
        Segment { parts: vec![Inline::Text(text.to_string())] }
    }

    /// The translatable text without codes (`Press Save to continue.`).
    pub fn plain_text(&self) -> String {
        fn walk(parts: &[Inline], out: &mut String) {
            for p in parts {
                match p {
                    Inline::Text(t) => out.push_str(t),
                    Inline::Code(_) => {}
                    Inline::Hi { content, .. } => walk(content, out),
                }
            }
        }
        let mut out = String::new();
        walk(&self.parts, &mut out);
        out
    }

    /// Whether the segment has inline codes.
    pub fn has_codes(&self) -> bool {
        fn any(parts: &[Inline]) -> bool {
            parts.iter().any(|p| match p {
                Inline::Text(_) => false,
                Inline::Code(_) => true,
                Inline::Hi { content, .. } => any(content),
            })
        }
        any(&self.parts)
    }
}

/// A date as TMX writes it: `20260206T083000Z`.
pub fn tmx_date(t: Timestamp) -> String {
    let iso = t.to_rfc3339(); // 2026-02-06T08:30:00.000Z
    let digits: String = iso.chars().take(19).filter(|c| c.is_ascii_digit() || *c == 'T').collect();
    format!("{digits}Z")
}

/// Streams units into a TMX 1.4b document.
pub struct TmxWriter<W: Write> {
    out: W,
}

impl<W: Write> TmxWriter<W> {
    /// Writes the prolog, the header and opens `<body>`.
    pub fn new(mut out: W, header: &TmxHeader) -> io::Result<TmxWriter<W>> {
        writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
        writeln!(out, "<!DOCTYPE tmx SYSTEM \"tmx14.dtd\">")?;
        writeln!(out, "<tmx version=\"1.4\">")?;
        let mut attrs: Vec<(&str, &str)> = vec![
            ("creationtool", &header.creation_tool),
            ("creationtoolversion", &header.creation_tool_version),
            ("segtype", header.seg_type.as_str()),
            ("o-tmf", &header.o_tmf),
            ("adminlang", &header.admin_lang),
            ("srclang", &header.src_lang),
            ("datatype", &header.data_type),
        ];
        for (k, v) in [
            ("o-encoding", &header.o_encoding),
            ("creationdate", &header.creation_date),
            ("creationid", &header.creation_id),
            ("changedate", &header.change_date),
            ("changeid", &header.change_id),
        ] {
            if let Some(v) = v {
                attrs.push((k, v));
            }
        }
        write!(out, "  <header")?;
        for (k, v) in attrs {
            write_attr(&mut out, k, v)?;
        }
        if header.props.is_empty() && header.notes.is_empty() {
            writeln!(out, "/>")?;
        } else {
            writeln!(out, ">")?;
            write_notes_props(&mut out, "    ", &header.notes, &header.props)?;
            writeln!(out, "  </header>")?;
        }
        writeln!(out, "  <body>")?;
        Ok(TmxWriter { out })
    }

    /// Writes one unit.
    pub fn write_unit(&mut self, unit: &TmxUnit) -> io::Result<()> {
        let out = &mut self.out;
        write!(out, "    <tu")?;
        for (k, v) in [
            ("tuid", &unit.tuid),
            ("srclang", &unit.src_lang),
            ("creationdate", &unit.creation_date),
            ("creationid", &unit.creation_id),
            ("changedate", &unit.change_date),
            ("changeid", &unit.change_id),
        ] {
            if let Some(v) = v {
                write_attr(out, k, v)?;
            }
        }
        for (k, v) in &unit.other_attrs {
            write_attr(out, k, v)?;
        }
        writeln!(out, ">")?;
        write_notes_props(out, "      ", &unit.notes, &unit.props)?;
        for v in &unit.variants {
            write!(out, "      <tuv")?;
            write_attr(out, "xml:lang", v.lang.as_str())?;
            for (k, val) in &v.attrs {
                write_attr(out, k, val)?;
            }
            writeln!(out, ">")?;
            write_notes_props(out, "        ", &v.notes, &v.props)?;
            write!(out, "        <seg>")?;
            write_inline(out, &v.segment.parts)?;
            writeln!(out, "</seg>")?;
            writeln!(out, "      </tuv>")?;
        }
        writeln!(out, "    </tu>")
    }

    /// Closes the document and returns the writer.
    pub fn finish(mut self) -> io::Result<W> {
        writeln!(self.out, "  </body>")?;
        writeln!(self.out, "</tmx>")?;
        self.out.flush()?;
        Ok(self.out)
    }
}

fn write_attr(out: &mut dyn Write, k: &str, v: &str) -> io::Result<()> {
    write!(out, " {k}=\"")?;
    write_escaped(out, v, true)?;
    write!(out, "\"")
}

fn write_notes_props(out: &mut dyn Write, indent: &str, notes: &[TmxNote], props: &[TmxProp]) -> io::Result<()> {
    // The DTD allows notes and props in any order; notes first is conventional.
    for n in notes {
        write!(out, "{indent}<note")?;
        if let Some(l) = &n.lang {
            write_attr(out, "xml:lang", l)?;
        }
        write!(out, ">")?;
        write_escaped(out, &n.text, false)?;
        writeln!(out, "</note>")?;
    }
    for p in props {
        write!(out, "{indent}<prop")?;
        write_attr(out, "type", &p.kind)?;
        if let Some(l) = &p.lang {
            write_attr(out, "xml:lang", l)?;
        }
        write!(out, ">")?;
        write_escaped(out, &p.value, false)?;
        writeln!(out, "</prop>")?;
    }
    Ok(())
}

fn write_inline(out: &mut dyn Write, parts: &[Inline]) -> io::Result<()> {
    for p in parts {
        match p {
            Inline::Text(t) => write_escaped(out, t, false)?,
            Inline::Code(c) => {
                write!(out, "<{}", c.kind.name())?;
                for (k, v) in &c.attrs {
                    write_attr(out, k, v)?;
                }
                write!(out, ">")?;
                write_escaped(out, &c.code, false)?;
                write!(out, "</{}>", c.kind.name())?;
            }
            Inline::Hi { attrs, content } => {
                write!(out, "<hi")?;
                for (k, v) in attrs {
                    write_attr(out, k, v)?;
                }
                write!(out, ">")?;
                write_inline(out, content)?;
                write!(out, "</hi>")?;
            }
        }
    }
    Ok(())
}

/// Reads a TMX document unit by unit.
///
/// Iterating yields `Err` for a unit that cannot be used (no `xml:lang`,
/// a bad language tag) and goes on with the next; an error of the XML
/// itself ends the iteration.
pub struct TmxReader<R: BufRead> {
    xml: SafeReader<R>,
    header: TmxHeader,
    units: u64,
    done: bool,
}

impl<R: BufRead> TmxReader<R> {
    /// Reads up to the end of the header. `max_bytes` caps the file size.
    pub fn new(input: R, max_bytes: u64) -> Result<TmxReader<R>> {
        let mut xml = SafeReader::new(input, Limits::for_size(max_bytes));
        match xml.next()? {
            Some(Node::Start(e)) if e.name == "tmx" => {}
            Some(Node::Start(e)) => {
                return Err(xml.error(FileProblem::WrongFormat, format!("the root element is <{}>, not <tmx>", e.name)))
            }
            _ => return Err(xml.error(FileProblem::Malformed, "no root element")),
        }
        let header = loop {
            match xml.next()? {
                Some(Node::Start(e)) if e.name == "header" => break read_header(&mut xml, &e)?,
                Some(Node::Start(e)) => {
                    return Err(xml.error(FileProblem::WrongFormat, format!("<{}> where <header> was expected", e.name)))
                }
                Some(_) => {}
                None => return Err(xml.error(FileProblem::WrongFormat, "the TMX has no <header>")),
            }
        };
        Ok(TmxReader { xml, header, units: 0, done: false })
    }

    /// The file's header.
    pub fn header(&self) -> &TmxHeader {
        &self.header
    }

    /// Outer `Err`: the file is unreadable from here; inner: this unit is.
    fn next_unit(&mut self) -> Result<Option<Result<TmxUnit>>> {
        loop {
            match self.xml.next()? {
                Some(Node::Start(e)) if e.name == "tu" => {
                    self.units += 1;
                    return read_unit(&mut self.xml, &e, self.units).map(Some);
                }
                Some(Node::Start(e)) if e.name == "body" => {}
                Some(Node::Start(_)) => self.xml.skip()?,
                Some(_) => {}
                None => return Ok(None),
            }
        }
    }
}

impl<R: BufRead> Iterator for TmxReader<R> {
    type Item = Result<TmxUnit>;

    fn next(&mut self) -> Option<Result<TmxUnit>> {
        if self.done {
            return None;
        }
        match self.next_unit() {
            Ok(Some(unit)) => Some(unit),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

fn opt(e: &Element, k: &str) -> Option<String> {
    e.attr(k).map(str::to_string)
}

fn read_header<R: BufRead>(xml: &mut SafeReader<R>, e: &Element) -> Result<TmxHeader> {
    let req = |k: &str| opt(e, k).unwrap_or_default();
    let seg = req("segtype");
    let mut header = TmxHeader {
        creation_tool: req("creationtool"),
        creation_tool_version: req("creationtoolversion"),
        seg_type: SegType::parse(&seg).unwrap_or_default(),
        o_tmf: req("o-tmf"),
        admin_lang: req("adminlang"),
        src_lang: req("srclang"),
        data_type: req("datatype"),
        o_encoding: opt(e, "o-encoding"),
        creation_date: opt(e, "creationdate"),
        creation_id: opt(e, "creationid"),
        change_date: opt(e, "changedate"),
        change_id: opt(e, "changeid"),
        props: Vec::new(),
        notes: Vec::new(),
    };
    if header.src_lang.is_empty() {
        return Err(xml.error(FileProblem::WrongFormat, "the TMX <header> has no srclang"));
    }
    read_notes_props(xml, &mut header.notes, &mut header.props, |_, _| Ok(false))?;
    Ok(header)
}

/// Reads `note`/`prop` children until the element's end; other children
/// go to `other`, which says whether it consumed them.
fn read_notes_props<R: BufRead>(
    xml: &mut SafeReader<R>,
    notes: &mut Vec<TmxNote>,
    props: &mut Vec<TmxProp>,
    mut other: impl FnMut(&mut SafeReader<R>, &Element) -> Result<bool>,
) -> Result<()> {
    let depth = xml.depth();
    while let Some(node) = xml.next()? {
        match node {
            Node::Start(c) if c.name == "note" => {
                let text = xml.text_content()?;
                notes.push(TmxNote { lang: opt(&c, "xml:lang"), text });
            }
            Node::Start(c) if c.name == "prop" => {
                let value = xml.text_content()?;
                props.push(TmxProp { kind: opt(&c, "type").unwrap_or_default(), lang: opt(&c, "xml:lang"), value });
            }
            Node::Start(c) if !other(xml, &c)? => xml.skip()?,
            Node::Start(_) => {}
            Node::End(_) if xml.depth() < depth => return Ok(()),
            _ => {}
        }
    }
    Err(xml.error(FileProblem::Malformed, "unexpected end of file"))
}

fn read_unit<R: BufRead>(xml: &mut SafeReader<R>, e: &Element, n: u64) -> Result<Result<TmxUnit>> {
    let known = ["tuid", "srclang", "creationdate", "creationid", "changedate", "changeid"];
    let mut unit = TmxUnit {
        tuid: opt(e, "tuid"),
        src_lang: opt(e, "srclang"),
        creation_date: opt(e, "creationdate"),
        creation_id: opt(e, "creationid"),
        change_date: opt(e, "changedate"),
        change_id: opt(e, "changeid"),
        other_attrs: e.attrs.iter().filter(|(k, _)| !known.contains(&k.as_str())).cloned().collect(),
        ..TmxUnit::default()
    };
    let mut problem: Option<String> = None;
    let mut variants = Vec::new();
    read_notes_props(xml, &mut unit.notes, &mut unit.props, |xml, c| {
        if c.name != "tuv" {
            return Ok(false);
        }
        match read_variant(xml, c)? {
            Ok(v) => variants.push(v),
            Err(p) => problem = problem.take().or(Some(p)),
        }
        Ok(true)
    })?;
    unit.variants = variants;
    if let Some(p) = problem {
        let id = unit.tuid.as_deref().map(|t| format!(" (tuid {t})")).unwrap_or_default();
        return Ok(Err(xml.error(FileProblem::WrongFormat, format!("translation unit {n}{id}: {p}"))));
    }
    Ok(Ok(unit))
}

/// The variant, or (inner `Err`) why it cannot be used.
fn read_variant<R: BufRead>(xml: &mut SafeReader<R>, e: &Element) -> Result<std::result::Result<TmxVariant, String>> {
    let lang = e.attr("xml:lang").or_else(|| e.attr("lang")).map(Lang::new);
    let attrs = e.attrs.iter().filter(|(k, _)| k != "xml:lang" && k != "lang").cloned().collect();
    let (mut notes, mut props) = (Vec::new(), Vec::new());
    let mut segment = None;
    read_notes_props(xml, &mut notes, &mut props, |xml, c| {
        if c.name != "seg" {
            return Ok(false);
        }
        segment = Some(Segment { parts: read_inline(xml)? });
        Ok(true)
    })?;
    Ok(match (lang, segment) {
        (None, _) => Err("a <tuv> has no xml:lang".to_string()),
        (Some(Err(e)), _) => Err(e.to_string()),
        (_, None) => Err("a <tuv> has no <seg>".to_string()),
        (Some(Ok(lang)), Some(segment)) => Ok(TmxVariant { lang, attrs, props, notes, segment }),
    })
}

/// Reads inline content up to the end of the current element.
fn read_inline<R: BufRead>(xml: &mut SafeReader<R>) -> Result<Vec<Inline>> {
    let depth = xml.depth();
    let mut parts: Vec<Inline> = Vec::new();
    while let Some(node) = xml.next()? {
        match node {
            Node::Text(t) => match parts.last_mut() {
                Some(Inline::Text(prev)) => prev.push_str(&t),
                _ => parts.push(Inline::Text(t)),
            },
            Node::Start(c) => match CodeKind::parse(&c.name) {
                Some(kind) => {
                    let code = xml.text_content()?;
                    parts.push(Inline::Code(InlineCode { kind, attrs: c.attrs, code }));
                }
                None if c.name == "hi" => {
                    let content = read_inline(xml)?;
                    parts.push(Inline::Hi { attrs: c.attrs, content });
                }
                // Not allowed by the DTD; keep its text rather than lose it.
                None => {
                    let t = xml.text_content()?;
                    parts.push(Inline::Text(t));
                }
            },
            Node::End(_) if xml.depth() < depth => return Ok(parts),
            Node::End(_) => {}
        }
    }
    Err(xml.error(FileProblem::Malformed, "unexpected end of file"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    fn sample() -> Option<String> {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/standards/samples/tmx14b-vi-en.tmx");
        match std::fs::read_to_string(&path) {
            Ok(s) => Some(s),
            Err(_) if std::env::var("CI").as_deref() == Ok("true") => panic!("CI: {} is missing", path.display()),
            Err(_) => {
                eprintln!("skipped: {} not found (../shared next to the repo)", path.display());
                None
            }
        }
    }

    fn read(doc: &str) -> (TmxHeader, Vec<TmxUnit>) {
        let reader = TmxReader::new(doc.as_bytes(), 1 << 20).unwrap();
        let header = reader.header().clone();
        let units = reader.collect::<Result<Vec<_>>>().unwrap();
        (header, units)
    }

    fn write(header: &TmxHeader, units: &[TmxUnit]) -> String {
        let mut w = TmxWriter::new(Vec::new(), header).unwrap();
        for u in units {
            w.write_unit(u).unwrap();
        }
        String::from_utf8(w.finish().unwrap()).unwrap()
    }

    #[test]
    fn the_sample_reads_with_its_codes_and_round_trips() {
        let Some(doc) = sample() else { return };
        let (header, units) = read(&doc);
        assert_eq!(header.creation_tool, "glossary-server");
        assert_eq!(header.src_lang, "vi");
        assert_eq!(header.seg_type, SegType::Sentence);
        assert_eq!(units.len(), 2);
        let vi = Lang::new("vi").unwrap();
        let en = Lang::new("en").unwrap();
        assert_eq!(units[0].tuid.as_deref(), Some("1"));
        assert_eq!(units[0].creation_id.as_deref(), Some("alice"));
        assert_eq!(units[0].props, vec![TmxProp { kind: "x-domain".into(), lang: None, value: "diplomacy".into() }]);
        assert_eq!(units[0].variant(&vi).unwrap().segment.plain_text(), "Tình hữu nghị vĩ đại giữa hai dân tộc.");
        let seg = &units[1].variant(&en).unwrap().segment;
        assert_eq!(seg.plain_text(), "Press Save to continue.");
        assert!(seg.has_codes());
        assert_eq!(
            seg.parts[1],
            Inline::Code(InlineCode { kind: CodeKind::Bpt, attrs: vec![("i".into(), "1".into())], code: "<b>".into() })
        );
        assert_eq!(units[1].notes[0].text, "Inline formatting kept as paired codes.");

        let written = write(&header, &units);
        assert!(written.contains("<bpt i=\"1\">&lt;b&gt;</bpt>Save<ept i=\"1\">&lt;/b&gt;</ept>"), "{written}");
        let (header2, units2) = read(&written);
        assert_eq!(header2, header);
        assert_eq!(units2, units);
        assert_eq!(write(&header2, &units2), written, "second write is identical");
    }

    #[test]
    fn writer_emits_required_attributes_and_escapes() {
        let vi = Lang::new("vi").unwrap();
        let header = TmxHeader { creation_date: None, ..TmxHeader::new(&vi) };
        let unit = TmxUnit {
            tuid: Some("q\"1".into()),
            variants: vec![
                TmxVariant {
                    lang: vi.clone(),
                    attrs: vec![],
                    props: vec![],
                    notes: vec![],
                    segment: Segment::from_text("Việt Nam & Lào <2026>"),
                },
                TmxVariant {
                    lang: Lang::new("en").unwrap(),
                    attrs: vec![("changeid".into(), "bob".into())],
                    props: vec![],
                    notes: vec![],
                    segment: Segment {
                        parts: vec![
                            Inline::Text("Viet Nam ".into()),
                            Inline::Hi {
                                attrs: vec![("type".into(), "bold".into())],
                                content: vec![
                                    Inline::Text("and".into()),
                                    Inline::Code(InlineCode {
                                        kind: CodeKind::Ph,
                                        attrs: vec![],
                                        code: "<br/>".into(),
                                    }),
                                ],
                            },
                            Inline::Text(" Laos".into()),
                        ],
                    },
                },
            ],
            ..TmxUnit::default()
        };
        let doc = write(&header, std::slice::from_ref(&unit));
        for attr in [
            "creationtool=",
            "creationtoolversion=",
            "segtype=\"sentence\"",
            "o-tmf=",
            "adminlang=\"en\"",
            "srclang=\"vi\"",
            "datatype=\"plaintext\"",
        ] {
            assert!(doc.contains(attr), "{attr} missing in {doc}");
        }
        assert!(doc.contains("<seg>Việt Nam &amp; Lào &lt;2026&gt;</seg>"), "{doc}");
        assert!(doc.contains("tuid=\"q&quot;1\""), "{doc}");
        let (_, units) = read(&doc);
        assert_eq!(units, vec![unit.clone()]);
        assert_eq!(units[0].variants[1].segment.plain_text(), "Viet Nam and Laos");
    }

    #[test]
    fn unusable_units_are_reported_and_reading_goes_on() {
        let doc = "<tmx version=\"1.4\"><header creationtool=\"x\" creationtoolversion=\"1\" segtype=\"sentence\" \
                   o-tmf=\"x\" adminlang=\"en\" srclang=\"vi\" datatype=\"plaintext\"/><body>\
                   <tu tuid=\"a\"><tuv><seg>no lang</seg></tuv></tu>\
                   <tu tuid=\"b\"><tuv xml:lang=\"vi\"><seg>có</seg></tuv></tu></body></tmx>";
        let results: Vec<Result<TmxUnit>> = TmxReader::new(doc.as_bytes(), 1 << 20).unwrap().collect();
        assert_eq!(results.len(), 2);
        let err = results[0].as_ref().unwrap_err().to_string();
        assert!(err.contains("tuid a") && err.contains("no xml:lang"), "{err}");
        assert_eq!(results[1].as_ref().unwrap().tuid.as_deref(), Some("b"));

        let laughs = "<!DOCTYPE tmx [<!ENTITY a \"aaaa\">]><tmx/>";
        assert!(matches!(
            TmxReader::new(laughs.as_bytes(), 1 << 20).err(),
            Some(Error::InvalidFile { problem: FileProblem::Unsafe, .. })
        ));
        let tbx = "<martif type=\"TBX\"/>";
        assert!(matches!(
            TmxReader::new(tbx.as_bytes(), 1 << 20).err(),
            Some(Error::InvalidFile { problem: FileProblem::WrongFormat, .. })
        ));
    }

    #[test]
    fn dates_in_tmx_form() {
        assert_eq!(tmx_date(Timestamp(1_770_366_600_123)), "20260206T083000Z");
    }
}
