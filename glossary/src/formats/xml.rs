//! Safe, streaming XML reading and escaping shared by the TBX and TMX
//! readers and writers.
//!
//! Uploads are hostile until proven otherwise. [`SafeReader`] wraps
//! quick-xml's pull parser (which never expands entities or fetches
//! anything) and adds what quick-xml leaves to its callers:
//!
//! - a plain `<!DOCTYPE tmx SYSTEM "tmx14.dtd">` is accepted, but an internal
//!   subset (`[...]`, where `<!ENTITY` lives: billion laughs, quadratic
//!   blowup, external entities) is refused as [`FileProblem::Unsafe`];
//! - only the five predefined entities and character references are
//!   resolved; any other `&name;` is an error;
//! - the input must be UTF-8 (a UTF-16 or Latin-1 file is refused with a
//!   message saying so, instead of being read as garbage);
//! - caps on total bytes, bytes of one token (a tag with its attributes, or
//!   one run of text), nesting depth and element count, so memory stays
//!   bounded whatever the file holds;
//! - a well-formedness check of the document as a whole: exactly one root,
//!   no text outside it, nothing left open at the end (a truncated file).
//!
//! Errors carry the line where reading stopped.

use std::borrow::Cow;
use std::io::{self, BufRead, Read, Write};
use std::ops::Range;

use quick_xml::events::Event;
use quick_xml::XmlVersion;

use crate::error::{Error, FileProblem, Result};

/// Caps applied while reading one file.
#[derive(Clone, Debug)]
pub(crate) struct Limits {
    /// Total bytes of the file.
    pub max_bytes: u64,
    /// Bytes of one token: a start tag with its attributes, or a run of text.
    pub max_token_bytes: usize,
    /// Characters of one attribute value.
    pub max_attr_chars: usize,
    /// Element nesting depth.
    pub max_depth: usize,
    /// Elements in the whole file.
    pub max_elements: u64,
}

impl Limits {
    /// The caps for a file of at most `max_bytes` bytes.
    pub fn for_size(max_bytes: u64) -> Limits {
        Limits {
            max_bytes,
            max_token_bytes: 1024 * 1024,
            max_attr_chars: 64 * 1024,
            max_depth: 64,
            max_elements: 20_000_000,
        }
    }
}

/// An element's start: its local name (prefix dropped) and attributes
/// (qualified names, values with references resolved).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
}

impl Element {
    /// The value of attribute `key` (qualified name, e.g. `xml:lang`).
    pub fn attr(&self, key: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
}

/// What [`SafeReader::next`] returns. Adjacent text, CDATA and references
/// come merged into one `Text`; empty elements come as `Start` + `End`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Node {
    Start(Element),
    End(String),
    Text(String),
}

/// A streaming XML reader with the safety rules of this module.
pub(crate) struct SafeReader<R: BufRead> {
    reader: quick_xml::Reader<Guard<R>>,
    buf: Vec<u8>,
    limits: Limits,
    depth: usize,
    elements: u64,
    root_seen: bool,
    root_closed: bool,
    /// A node read ahead while merging text.
    pending: Option<Node>,
    /// The end of an empty element `<x/>`, delivered after its start.
    pending_end: Option<String>,
    text: String,
    finished: bool,
}

impl<R: BufRead> SafeReader<R> {
    /// Reads from `input` under `limits`.
    pub fn new(input: R, limits: Limits) -> SafeReader<R> {
        let guard = Guard {
            inner: input,
            total: 0,
            since_reset: 0,
            line: 1,
            max_bytes: limits.max_bytes,
            max_token: limits.max_token_bytes as u64,
            started: false,
            problem: None,
        };
        let mut reader = quick_xml::Reader::from_reader(guard);
        let config = reader.config_mut();
        config.check_end_names = true;
        config.check_comments = false;
        SafeReader {
            reader,
            buf: Vec::new(),
            limits,
            depth: 0,
            elements: 0,
            root_seen: false,
            root_closed: false,
            pending: None,
            pending_end: None,
            text: String::new(),
            finished: false,
        }
    }

    /// The line reading has reached (1-based), for messages.
    pub fn line(&self) -> u64 {
        self.reader.get_ref().line
    }

    /// An [`Error::InvalidFile`] located at the current line.
    pub fn error(&self, problem: FileProblem, message: impl std::fmt::Display) -> Error {
        err_at(self.line(), problem, message)
    }

    /// Current element depth (the root element's children are at depth 1
    /// once the root's `Start` was returned).
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// The next node, or `None` at the end of a complete document.
    pub fn next(&mut self) -> Result<Option<Node>> {
        // A start stashed while text was delivered comes before the end
        // of that (empty) element.
        if let Some(node) = self.pending.take() {
            return self.deliver(node);
        }
        if let Some(end) = self.pending_end.take() {
            self.close(&end)?;
            return Ok(Some(Node::End(end)));
        }
        loop {
            match self.read_raw()? {
                Raw::Text(t) => {
                    if self.depth == 0 {
                        // Between prolog, root and trailer only whitespace may appear.
                        self.text_node(t)?;
                        continue;
                    }
                    if self.text.len() + t.len() > self.limits.max_token_bytes {
                        return Err(self.error(
                            FileProblem::LimitExceeded,
                            format!("a run of text is longer than {} bytes", self.limits.max_token_bytes),
                        ));
                    }
                    self.text.push_str(&t);
                }
                Raw::Node(node) => {
                    if !self.text.is_empty() {
                        let text = std::mem::take(&mut self.text);
                        self.pending = Some(node);
                        if let Some(n) = self.text_node(text)? {
                            return Ok(Some(n));
                        }
                        let node = self.pending.take().expect("just stored");
                        return self.deliver(node);
                    }
                    return self.deliver(node);
                }
                Raw::Eof => {
                    if !self.text.is_empty() {
                        let text = std::mem::take(&mut self.text);
                        if let Some(n) = self.text_node(text)? {
                            return Ok(Some(n));
                        }
                    }
                    return self.end_of_input();
                }
            }
        }
    }

    /// Concatenated text of the element whose `Start` was just returned,
    /// through its descendants, up to and including its `End`.
    pub fn text_content(&mut self) -> Result<String> {
        let target = self.depth;
        let mut out = String::new();
        loop {
            match self.next()? {
                Some(Node::Text(t)) => out.push_str(&t),
                Some(Node::Start(_)) => {}
                Some(Node::End(_)) if self.depth < target => return Ok(out),
                Some(Node::End(_)) => {}
                None => return Err(self.error(FileProblem::Malformed, "unexpected end of file")),
            }
        }
    }

    /// Skips the rest of the element whose `Start` was just returned.
    pub fn skip(&mut self) -> Result<()> {
        let target = self.depth;
        loop {
            match self.next()? {
                Some(Node::End(_)) if self.depth < target => return Ok(()),
                Some(_) => {}
                None => return Err(self.error(FileProblem::Malformed, "unexpected end of file")),
            }
        }
    }

    fn text_node(&mut self, text: String) -> Result<Option<Node>> {
        if self.depth == 0 {
            if text.chars().all(char::is_whitespace) {
                return Ok(None);
            }
            return Err(
                self.error(FileProblem::Malformed, "text outside the root element: this is not an XML document")
            );
        }
        Ok(Some(Node::Text(text)))
    }

    fn deliver(&mut self, node: Node) -> Result<Option<Node>> {
        match &node {
            Node::Start(_) => {}
            Node::End(name) => {
                let name = name.clone();
                self.close(&name)?;
            }
            Node::Text(_) => {}
        }
        Ok(Some(node))
    }

    fn open(&mut self) -> Result<()> {
        if self.root_closed {
            return Err(self.error(FileProblem::Malformed, "a second root element after the end of the document"));
        }
        self.root_seen = true;
        self.depth += 1;
        self.elements += 1;
        if self.depth > self.limits.max_depth {
            return Err(self.error(
                FileProblem::LimitExceeded,
                format!("elements are nested more than {} deep", self.limits.max_depth),
            ));
        }
        if self.elements > self.limits.max_elements {
            return Err(self.error(
                FileProblem::LimitExceeded,
                format!("the file has more than {} elements", self.limits.max_elements),
            ));
        }
        Ok(())
    }

    fn close(&mut self, _name: &str) -> Result<()> {
        self.depth = self.depth.saturating_sub(1);
        if self.depth == 0 {
            self.root_closed = true;
        }
        Ok(())
    }

    fn end_of_input(&mut self) -> Result<Option<Node>> {
        if self.finished {
            return Ok(None);
        }
        self.finished = true;
        if !self.root_seen {
            return Err(self.error(FileProblem::Malformed, "no XML element found: the file is empty or not XML"));
        }
        if self.depth > 0 {
            return Err(self.error(
                FileProblem::Malformed,
                format!("the file ends inside {} open element(s): it is truncated", self.depth),
            ));
        }
        Ok(None)
    }

    fn read_raw(&mut self) -> Result<Raw> {
        if self.finished {
            return Ok(Raw::Eof);
        }
        // A loop, not recursion: a file of a million comments must not
        // exhaust the stack.
        loop {
            self.buf.clear();
            self.reader.get_mut().since_reset = 0;
            let event = match self.reader.read_event_into(&mut self.buf) {
                Ok(e) => e,
                Err(e) => {
                    let guard = self.reader.get_ref();
                    if let Some((problem, msg)) = &guard.problem {
                        return Err(Error::file(*problem, format!("line {}: {msg}", guard.line)));
                    }
                    let problem = match &e {
                        quick_xml::Error::Encoding(_) => FileProblem::Encoding,
                        _ => FileProblem::Malformed,
                    };
                    let message = match problem {
                        FileProblem::Encoding => {
                            "the file is not valid UTF-8 (Latin-1 or Windows-1252?): save it as UTF-8".to_string()
                        }
                        _ => format!("not well-formed XML: {e}"),
                    };
                    return Err(self.error(problem, message));
                }
            };
            let line = self.reader.get_ref().line;
            return Ok(match event {
                Event::Decl(d) => {
                    if let Some(enc) = d.encoding() {
                        let enc =
                            enc.map_err(|e| Error::file(FileProblem::Malformed, format!("bad XML declaration: {e}")))?;
                        let e = enc.to_ascii_lowercase();
                        if !matches!(e.as_str(), "utf-8" | "utf8" | "us-ascii" | "ascii") {
                            return Err(err_at(
                                line,
                                FileProblem::Encoding,
                                format!("the file declares encoding {enc:?}; only UTF-8 is read: convert it to UTF-8"),
                            ));
                        }
                    }
                    continue;
                }
                Event::DocType(d) => {
                    let body: &str = &d;
                    if body.contains('[') || body.contains("<!ENTITY") || body.contains("ENTITY") {
                        return Err(err_at(
                            line,
                            FileProblem::Unsafe,
                            "the DOCTYPE has an internal subset or entity declarations, which are refused for \
                             safety (entity expansion, external entities): remove everything between [ and ]",
                        ));
                    }
                    continue;
                }
                Event::PI(_) | Event::Comment(_) => return self.read_raw(),
                Event::Start(s) => {
                    let element = element(&s, line, &self.limits)?;
                    self.open()?;
                    Raw::Node(Node::Start(element))
                }
                Event::Empty(s) => {
                    let element = element(&s, line, &self.limits)?;
                    self.open()?;
                    self.pending_end = Some(element.name.clone());
                    Raw::Node(Node::Start(element))
                }
                Event::End(e) => Raw::Node(Node::End(e.local_name().as_ref().to_string())),
                Event::Text(t) => Raw::Text(t.xml10_content().into_owned()),
                Event::CData(t) => Raw::Text(t.xml10_content().into_owned()),
                Event::GeneralRef(r) => {
                    let resolved = match r.resolve_char_ref() {
                        Ok(Some(c)) => c.to_string(),
                        Ok(None) => match predefined(&r) {
                            Some(s) => s.to_string(),
                            None => {
                                let name: &str = &r;
                                return Err(err_at(
                                    line,
                                    FileProblem::Malformed,
                                    format!(
                                        "unknown entity &{name};: XML predefines only &lt; &gt; &amp; &apos; &quot; \
                                         (write the character itself or a numeric reference such as &#160;)"
                                    ),
                                ));
                            }
                        },
                        Err(e) => {
                            return Err(err_at(line, FileProblem::Malformed, format!("bad character reference: {e}")))
                        }
                    };
                    Raw::Text(resolved)
                }
                Event::Eof => Raw::Eof,
            });
        }
    }
}

fn element(s: &quick_xml::events::BytesStart<'_>, line: u64, limits: &Limits) -> Result<Element> {
    let name = s.local_name().as_ref().to_string();
    let mut attrs = Vec::new();
    for a in s.attributes() {
        let a = a.map_err(|e| err_at(line, FileProblem::Malformed, format!("bad attribute in <{name}>: {e}")))?;
        let value: Cow<'_, str> = a.normalized_value(XmlVersion::Implicit1_0).map_err(|e| {
            err_at(line, FileProblem::Malformed, format!("bad attribute value in <{name}>: {e} (only &lt; &gt; &amp; &apos; &quot; and numeric references are allowed)"))
        })?;
        if value.chars().count() > limits.max_attr_chars {
            return Err(err_at(
                line,
                FileProblem::LimitExceeded,
                format!("an attribute of <{name}> is longer than {} characters", limits.max_attr_chars),
            ));
        }
        attrs.push((a.key.as_ref().to_string(), value.into_owned()));
    }
    Ok(Element { name, attrs })
}

fn err_at(line: u64, problem: FileProblem, message: impl std::fmt::Display) -> Error {
    Error::file(problem, format!("line {line}: {message}"))
}

enum Raw {
    Node(Node),
    Text(String),
    Eof,
}

fn predefined(name: &str) -> Option<&'static str> {
    Some(match name {
        "lt" => "<",
        "gt" => ">",
        "amp" => "&",
        "apos" => "'",
        "quot" => "\"",
        _ => return None,
    })
}

/// Most bytes [`Guard`] hands the parser per refill, so that the caps are
/// checked at least this often whatever the underlying reader buffers.
const WINDOW_BYTES: usize = 64 * 1024;

/// Counts what the parser consumes: enforces the byte caps, refuses NUL
/// bytes and UTF-16 up front, and tracks the line number for messages.
/// Every cap holds for a body already in memory as for a file read in
/// pieces: the parser never sees more than [`WINDOW_BYTES`] at once.
struct Guard<R> {
    inner: R,
    total: u64,
    since_reset: u64,
    line: u64,
    max_bytes: u64,
    max_token: u64,
    started: bool,
    problem: Option<(FileProblem, String)>,
}

impl<R: BufRead> Guard<R> {
    fn refuse(&mut self, problem: FileProblem, message: String) -> io::Error {
        self.problem = Some((problem, message.clone()));
        io::Error::other(message)
    }
}

impl<R: BufRead> Read for Guard<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Guard<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if let Some((_, m)) = &self.problem {
            return Err(io::Error::other(m.clone()));
        }
        let (empty, utf16) = {
            let buf = self.inner.fill_buf()?;
            let utf16 = !self.started
                && (buf.starts_with(&[0xFF, 0xFE])
                    || buf.starts_with(&[0xFE, 0xFF])
                    || (buf.len() >= 2 && (buf[0] == 0 || buf[1] == 0)));
            (buf.is_empty(), utf16)
        };
        if !empty {
            self.started = true;
        }
        if utf16 {
            let m = "the file is UTF-16 or UTF-32, not UTF-8: save it as UTF-8".to_string();
            return Err(self.refuse(FileProblem::Encoding, m));
        }
        if !empty && self.total >= self.max_bytes {
            let m = format!("the file is larger than the limit of {} bytes", self.max_bytes);
            return Err(self.refuse(FileProblem::TooLarge, m));
        }
        if !empty && self.since_reset > self.max_token {
            let m = format!("one tag or run of text is longer than {} bytes", self.max_token);
            return Err(self.refuse(FileProblem::LimitExceeded, m));
        }
        // Hand the parser at most one window at a time: a reader over a body
        // already in memory returns all of it at once, and quick-xml would
        // then scan a whole 50 MB start tag before coming back here.
        let buf = self.inner.fill_buf()?;
        let n = buf.len().min(WINDOW_BYTES);
        Ok(&buf[..n])
    }

    fn consume(&mut self, n: usize) {
        // The bytes being consumed are the head of the buffer fill_buf just
        // returned; asking again does no I/O while it is not used up. Each
        // byte is looked at once, here.
        let mut nul = false;
        if let Ok(buf) = self.inner.fill_buf() {
            let n = n.min(buf.len());
            for &b in &buf[..n] {
                if b == b'\n' {
                    self.line += 1;
                } else if b == 0 {
                    nul = true;
                }
            }
        }
        self.total += n as u64;
        self.since_reset += n as u64;
        self.inner.consume(n);
        if nul && self.problem.is_none() {
            self.problem = Some((
                FileProblem::Encoding,
                "the file contains NUL bytes: it is UTF-16/UTF-32 or binary, not UTF-8 text; save it as UTF-8"
                    .to_string(),
            ));
        }
    }
}

/// An element of a document read by [`read_tree`]: its name as written
/// (with its prefix), attributes, children and where its tags sit in the
/// input, so that an editor can splice changes into the original bytes.
#[derive(Clone, Debug)]
pub(crate) struct XmlElement {
    /// Qualified name as written (`xlf:target`, `target`).
    pub name: String,
    /// Attributes (qualified names, values with references resolved).
    pub attrs: Vec<(String, String)>,
    /// Byte range of the start tag (the whole tag for `<x/>`).
    pub start_tag: Range<usize>,
    /// Byte range of the end tag (empty, at `start_tag.end`, for `<x/>`).
    pub end_tag: Range<usize>,
    /// Child elements and text, in order.
    pub children: Vec<XmlChild>,
}

/// A child of an [`XmlElement`].
#[derive(Clone, Debug)]
pub(crate) enum XmlChild {
    /// An element.
    Element(XmlElement),
    /// Text (references resolved, CDATA included) and its byte range.
    Text(String, Range<usize>),
}

impl XmlElement {
    /// The name without its prefix.
    pub fn local(&self) -> &str {
        self.name.rsplit(':').next().unwrap_or(&self.name)
    }

    /// The prefix of the name (`xlf` in `xlf:target`), if any.
    pub fn prefix(&self) -> Option<&str> {
        self.name.split_once(':').map(|(p, _)| p)
    }

    /// The value of attribute `key` (qualified name).
    pub fn attr(&self, key: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// Whether it was written as an empty-element tag `<x/>`.
    pub fn is_empty_tag(&self) -> bool {
        self.end_tag.is_empty() && self.end_tag.start == self.start_tag.end
    }

    /// Bytes from its start tag to its end tag, inclusive.
    pub fn span(&self) -> Range<usize> {
        self.start_tag.start..self.end_tag.end
    }

    /// Child elements.
    pub fn elements(&self) -> impl Iterator<Item = &XmlElement> {
        self.children.iter().filter_map(|c| match c {
            XmlChild::Element(e) => Some(e),
            XmlChild::Text(..) => None,
        })
    }

    /// The first child element with this local name.
    pub fn child(&self, local: &str) -> Option<&XmlElement> {
        self.elements().find(|e| e.local() == local)
    }

    /// Concatenated text of the element and its descendants.
    pub fn text(&self) -> String {
        let mut out = String::new();
        fn walk(e: &XmlElement, out: &mut String) {
            for c in &e.children {
                match c {
                    XmlChild::Element(e) => walk(e, out),
                    XmlChild::Text(t, _) => out.push_str(t),
                }
            }
        }
        walk(self, &mut out);
        out
    }
}

/// Reads a whole document into a tree of [`XmlElement`]s with byte
/// positions, for editors that rewrite parts of a file and copy the rest
/// byte for byte (XLIFF pre-translation).
///
/// The input first goes through [`SafeReader`] from start to end, so every
/// rule of this module holds (UTF-8, no internal subset, no unknown
/// entities, the caps); only then is it parsed again, from memory, for
/// positions. Comments and processing instructions are not in the tree
/// (they stay in the bytes around it).
pub(crate) fn read_tree(input: &[u8], limits: Limits) -> Result<XmlElement> {
    let mut check = SafeReader::new(input, limits);
    while check.next()?.is_some() {}
    let text = std::str::from_utf8(input)
        .map_err(|_| Error::file(FileProblem::Encoding, "the file is not valid UTF-8: save it as UTF-8"))?;
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<XmlElement> = Vec::new();
    let mut root = None;
    let malformed =
        |e: &dyn std::fmt::Display| Error::file(FileProblem::Malformed, format!("not well-formed XML: {e}"));
    loop {
        let before = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| malformed(&e))?;
        let after = reader.buffer_position() as usize;
        let text_piece = match event {
            Event::Start(ref s) | Event::Empty(ref s) => {
                let empty = matches!(event, Event::Empty(_));
                let name = s.name().into_inner().to_string();
                let mut attrs = Vec::new();
                for a in s.attributes() {
                    let a = a.map_err(|e| malformed(&e))?;
                    let v = a.normalized_value(XmlVersion::Implicit1_0).map_err(|e| malformed(&e))?;
                    attrs.push((a.key.into_inner().to_string(), v.into_owned()));
                }
                let el = XmlElement { name, attrs, start_tag: before..after, end_tag: after..after, children: vec![] };
                if empty {
                    attach(&mut stack, &mut root, el);
                } else {
                    stack.push(el);
                }
                None
            }
            Event::End(_) => {
                let mut el = stack.pop().ok_or_else(|| malformed(&"an end tag without a start"))?;
                el.end_tag = before..after;
                attach(&mut stack, &mut root, el);
                None
            }
            Event::Text(t) => Some(t.xml10_content().into_owned()),
            Event::CData(t) => Some(t.xml10_content().into_owned()),
            Event::GeneralRef(r) => Some(match r.resolve_char_ref() {
                Ok(Some(c)) => c.to_string(),
                _ => predefined(&r).unwrap_or_default().to_string(),
            }),
            Event::Eof => break,
            Event::Decl(_) | Event::DocType(_) | Event::PI(_) | Event::Comment(_) => None,
        };
        if let (Some(t), Some(parent)) = (text_piece, stack.last_mut()) {
            match parent.children.last_mut() {
                Some(XmlChild::Text(prev, span)) if span.end == before => {
                    prev.push_str(&t);
                    span.end = after;
                }
                _ => parent.children.push(XmlChild::Text(t, before..after)),
            }
        }
    }
    root.ok_or_else(|| Error::file(FileProblem::Malformed, "no XML element found: the file is empty or not XML"))
}

fn attach(stack: &mut [XmlElement], root: &mut Option<XmlElement>, el: XmlElement) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(XmlChild::Element(el)),
        None => *root = Some(el),
    }
}

/// Writes `s` as XML character data: `& < >` escaped, characters XML 1.0
/// does not allow dropped. With `attr`, quotes are escaped too.
pub(crate) fn write_escaped(out: &mut dyn Write, s: &str, attr: bool) -> io::Result<()> {
    let mut start = 0;
    for (i, c) in s.char_indices() {
        let rep: Option<&str> = match c {
            '&' => Some("&amp;"),
            '<' => Some("&lt;"),
            '>' => Some("&gt;"),
            '"' if attr => Some("&quot;"),
            '\t' | '\n' | '\r' if attr => None,
            '\t' | '\n' | '\r' => continue,
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => Some(""),
            _ => continue,
        };
        out.write_all(&s.as_bytes()[start..i])?;
        match rep {
            Some(r) => out.write_all(r.as_bytes())?,
            // Whitespace in attributes would be normalised to spaces by readers.
            None => write!(out, "&#{};", c as u32)?,
        }
        start = i + c.len_utf8();
    }
    out.write_all(&s.as_bytes()[start..])
}

/// `<name>text</name>` with the text escaped.
pub(crate) fn write_text_element(out: &mut dyn Write, indent: &str, name: &str, text: &str) -> io::Result<()> {
    write!(out, "{indent}<{name}>")?;
    write_escaped(out, text, false)?;
    writeln!(out, "</{name}>")
}

/// `<name type="kind">text</name>` with the text escaped.
pub(crate) fn write_typed(out: &mut dyn Write, indent: &str, name: &str, kind: &str, text: &str) -> io::Result<()> {
    write!(out, "{indent}<{name} type=\"{kind}\">")?;
    write_escaped(out, text, false)?;
    writeln!(out, "</{name}>")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(input: &str) -> Result<Vec<Node>> {
        read_with(input.as_bytes(), Limits::for_size(1 << 20))
    }

    fn read_with(input: &[u8], limits: Limits) -> Result<Vec<Node>> {
        let mut r = SafeReader::new(input, limits);
        let mut out = Vec::new();
        while let Some(n) = r.next()? {
            out.push(n);
        }
        Ok(out)
    }

    fn problem_of(input: &[u8], limits: Limits) -> (FileProblem, String) {
        match read_with(input, limits) {
            Err(Error::InvalidFile { problem, message }) => (problem, message),
            other => panic!("expected a file error for {:?}, got {other:?}", String::from_utf8_lossy(input)),
        }
    }

    #[test]
    fn reads_elements_text_and_references() {
        let nodes = read_all(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE tmx SYSTEM \"tmx14.dtd\">\n\
             <a x=\"1 &amp; 2\"><b/>Tom &amp; Jerry &#x1EA1;<![CDATA[<raw>]]><!-- c --></a>\n",
        )
        .unwrap();
        assert_eq!(
            nodes,
            vec![
                Node::Start(Element { name: "a".into(), attrs: vec![("x".into(), "1 & 2".into())] }),
                Node::Start(Element { name: "b".into(), attrs: vec![] }),
                Node::End("b".into()),
                Node::Text("Tom & Jerry ạ<raw>".into()),
                Node::End("a".into()),
            ]
        );
    }

    #[test]
    fn hostile_inputs_get_their_problem() {
        let small = Limits { max_depth: 8, max_elements: 50, max_attr_chars: 100, ..Limits::for_size(4096) };
        let laughs = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;\">]><lolz>&lol2;</lolz>";
        let xxe = "<!DOCTYPE foo [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><foo>&xxe;</foo>";
        let utf16: Vec<u8> = "<a>x</a>".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let mut utf16_bom = vec![0xFF, 0xFE];
        utf16_bom.extend_from_slice(&utf16);
        let deep = "<a>".repeat(20) + &"</a>".repeat(20);
        let many = format!("<r>{}</r>", "<e/>".repeat(60));
        let long_attr = format!("<r a=\"{}\"/>", "x".repeat(200));
        let huge = format!("<r>{}</r>", "x".repeat(5000));
        let cases: Vec<(Vec<u8>, FileProblem, &str)> = vec![
            (laughs.into(), FileProblem::Unsafe, "internal subset"),
            (xxe.into(), FileProblem::Unsafe, "internal subset"),
            ("<a>&nbsp;</a>".into(), FileProblem::Malformed, "unknown entity &nbsp;"),
            ("<a x=\"&foo;\"/>".into(), FileProblem::Malformed, "bad attribute value"),
            ("<a><b>text</b>".into(), FileProblem::Malformed, "truncated"),
            ("<a><b>te".into(), FileProblem::Malformed, "truncated"),
            ("<a></b>".into(), FileProblem::Malformed, "not well-formed"),
            ("hello, world\n".into(), FileProblem::Malformed, "not an XML document"),
            ("".into(), FileProblem::Malformed, "empty or not XML"),
            ("<a/><b/>".into(), FileProblem::Malformed, "second root"),
            (b"<a>caf\xe9</a>".to_vec(), FileProblem::Encoding, "not valid UTF-8"),
            ("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a/>".into(), FileProblem::Encoding, "ISO-8859-1"),
            (utf16, FileProblem::Encoding, "UTF-16"),
            (b"<a>x\0y</a>".to_vec(), FileProblem::Encoding, "NUL bytes"),
            (utf16_bom, FileProblem::Encoding, "UTF-16"),
            (deep.into(), FileProblem::LimitExceeded, "nested more than 8"),
            (many.into(), FileProblem::LimitExceeded, "more than 50 elements"),
            (long_attr.into(), FileProblem::LimitExceeded, "longer than 100 characters"),
            (huge.into(), FileProblem::TooLarge, "larger than the limit of 4096"),
        ];
        for (input, expected, needle) in cases {
            let (problem, message) = problem_of(&input, small.clone());
            assert_eq!(problem, expected, "{:?}: {message}", String::from_utf8_lossy(&input));
            assert!(message.contains(needle), "{message:?} should contain {needle:?}");
            assert!(message.starts_with("line "), "{message}");
        }
    }

    #[test]
    fn one_token_cannot_exceed_the_token_cap() {
        let limits = Limits { max_token_bytes: 1000, ..Limits::for_size(1 << 20) };
        let huge_attr = format!("<r a=\"{}\"/>", "x".repeat(100_000));
        let (problem, message) = problem_of(huge_attr.as_bytes(), limits.clone());
        assert_eq!(problem, FileProblem::LimitExceeded, "{message}");
        let huge_text = format!("<r>{}</r>", "y".repeat(100_000));
        let (problem, _) = problem_of(huge_text.as_bytes(), limits);
        assert_eq!(problem, FileProblem::LimitExceeded);
    }

    #[test]
    fn caps_hold_for_a_body_already_in_memory() {
        // A slice is a BufRead whose buffer is the whole input: the token cap
        // must still stop a huge start tag long before its end.
        let attrs: String = (0..400_000).map(|i| format!(" a{i}=\"x\"")).collect();
        let tag = format!("<martif{attrs}><text/></martif>");
        assert!(tag.len() > 4 << 20);
        let mut r = SafeReader::new(tag.as_bytes(), Limits::for_size(64 << 20));
        let err = r.next().unwrap_err();
        match err {
            Error::InvalidFile { problem, message } => {
                assert_eq!(problem, FileProblem::LimitExceeded, "{message}");
                assert!(message.contains("longer than 1048576 bytes"), "{message}");
            }
            other => panic!("expected a limit error, got {other:?}"),
        }
        let consumed = r.reader.get_ref().total;
        assert!(consumed <= (1 << 20) + 2 * WINDOW_BYTES as u64, "read {consumed} bytes before refusing");
    }

    #[test]
    fn the_tree_knows_where_every_tag_is() {
        let doc = "<?xml version=\"1.0\"?>\n<a x=\"1\"><!-- c --><b>Tom &amp; <![CDATA[<J>]]></b><c/>\n</a>";
        let root = read_tree(doc.as_bytes(), Limits::for_size(1 << 20)).unwrap();
        assert_eq!(&doc[root.start_tag.clone()], "<a x=\"1\">");
        assert_eq!(&doc[root.end_tag.clone()], "</a>");
        assert_eq!(root.attr("x"), Some("1"));
        let b = root.child("b").unwrap();
        assert_eq!(&doc[b.span()], "<b>Tom &amp; <![CDATA[<J>]]></b>");
        assert_eq!(b.text(), "Tom & <J>");
        assert!(
            matches!(&b.children[..], [XmlChild::Text(t, r)] if t == "Tom & <J>" && &doc[r.clone()] == "Tom &amp; <![CDATA[<J>]]>")
        );
        let c = root.child("c").unwrap();
        assert!(c.is_empty_tag() && &doc[c.span()] == "<c/>");
        // The safety rules hold: the full SafeReader pass comes first.
        let err = read_tree(b"<!DOCTYPE a [<!ENTITY e \"x\">]><a>&e;</a>", Limits::for_size(1 << 20)).unwrap_err();
        assert!(matches!(err, Error::InvalidFile { problem: FileProblem::Unsafe, .. }), "{err:?}");
        let prefixed = read_tree(b"<x:a xmlns:x=\"u\"><x:b/></x:a>", Limits::for_size(1 << 20)).unwrap();
        assert_eq!((prefixed.local(), prefixed.prefix()), ("a", Some("x")));
    }

    #[test]
    fn escaping_is_minimal_and_safe() {
        let mut out = Vec::new();
        write_escaped(&mut out, "a<b & \"c\"\u{1}\n", false).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "a&lt;b &amp; \"c\"\n");
        let mut out = Vec::new();
        write_escaped(&mut out, "x\"y\tz", true).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "x&quot;y&#9;z");
    }
}
