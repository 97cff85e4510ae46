//! Tabular glossaries: OmegaT's tab-separated format and CSV with a header.
//!
//! # TSV (OmegaT glossary)
//! One line per source term: `source<TAB>target<TAB>comment`, UTF-8, no
//! header (OmegaT reads `.utf8` (UTF-8), `.txt` and `.tab` (system
//! encoding) glossaries in a project's `glossary/` folder this way; it
//! ignores `.tsv`). On export every source-language term of a
//! concept gets a line, preferred first, with the concept's first-ranked
//! target term; the comment is the concept's definition and note joined by
//! ` | `. Deprecated and superseded terms are left out unless the export
//! includes them; then each such target term gets a line of its own, and a
//! line holding one starts its comment with the status in brackets
//! (`[deprecated]`, or `[deprecated source]` when it is the source term),
//! which the reader turns back into the term's status. On import each line becomes an entry with the source and target
//! term; its comment becomes the concept's note unless it equals what the
//! matched concept would export (so re-importing an export changes nothing); lines starting with `#` and blank lines are
//! skipped. Languages are not in the file: they come from the export
//! filter / import options (default `vi` → `en`). An export of several
//! collections adds a fourth column, the concept's collection (the comment
//! column is then always written, empty if need be); on import a fourth
//! column holding a valid collection name is the entry's collection.
//!
//! # CSV (spreadsheets)
//! RFC 4180 (`,` separated, `"` quoted, `""` inside quotes), a header row,
//! then one row per term, concept fields repeated on each row of a concept:
//!
//! `concept_id,subject_field,definition,concept_note,concept_source,lang,term,status,part_of_speech,term_type,context,term_source,term_note`
//!
//! plus a last column `collection` in an export of several collections
//! (read back on import, like `concept_id`, from a concept's first row).
//!
//! Values use the API's names (`preferred`, `noun`, `full_form`). On
//! import, consecutive rows with the same non-empty `concept_id` form one
//! concept (invent an id such as `new-1` to group new rows); a row without
//! one is a concept of its own. Columns may come in any order; `lang` and
//! `term` are required; unknown columns are kept as term notes.

use std::io::{self, BufRead, Read, Write};

use crate::error::{Error, FileProblem, Result};
use crate::formats::{
    append_note, parse_pos, parse_status, parse_term_type, pos_name, status_name, term_type_name, ImportEntry,
    ImportTerm,
};
use crate::model::{Collection, Concept, Lang, Term, TermStatus};

/// Longest line (or CSV record) read, in bytes.
pub(crate) const MAX_LINE_BYTES: u64 = 1024 * 1024;

/// The CSV header, in the order the writer uses.
pub const CSV_COLUMNS: [&str; 13] = [
    "concept_id",
    "subject_field",
    "definition",
    "concept_note",
    "concept_source",
    "lang",
    "term",
    "status",
    "part_of_speech",
    "term_type",
    "context",
    "term_source",
    "term_note",
];

/// Writes OmegaT TSV lines for a language pair.
pub(crate) struct TsvWriter<'a> {
    pub out: &'a mut dyn Write,
    pub src: Lang,
    pub tgt: Lang,
    /// Write the concept's collection as a fourth column.
    pub with_collection: bool,
}

impl TsvWriter<'_> {
    /// Writes the lines of one concept (none if it lacks either language):
    /// each source term with the best target term, then (when the export
    /// includes them) each further deprecated or superseded target term
    /// with the first source term. A line holding such a term starts its
    /// comment with its status: `[deprecated]` / `[superseded]` for the
    /// target term, `[deprecated source]` / `[superseded source]` for the
    /// source term (the reader understands both).
    pub fn concept(&mut self, c: &Concept) -> io::Result<()> {
        let targets = c.terms_in(&self.tgt);
        let Some(&target) = targets.first() else { return Ok(()) };
        let sources = c.terms_in(&self.src);
        let comment = comment_of(&c.definition, &c.note);
        let collection = self.with_collection.then_some(c.collection.as_str());
        for &source in &sources {
            self.line(source, target, &comment, collection)?;
        }
        if let Some(&first) = sources.first() {
            for &extra in targets.iter().skip(1).filter(|t| !usable(t.status)) {
                self.line(first, extra, &comment, collection)?;
            }
        }
        Ok(())
    }

    fn line(
        &mut self,
        source: &Term,
        target: &Term,
        comment: &Option<String>,
        collection: Option<&str>,
    ) -> io::Result<()> {
        write_cell(self.out, &source.text)?;
        self.out.write_all(b"\t")?;
        write_cell(self.out, &target.text)?;
        let mark = if !usable(target.status) {
            Some((target.status, ""))
        } else {
            (!usable(source.status)).then_some((source.status, " source"))
        };
        if mark.is_some() || comment.is_some() || collection.is_some() {
            self.out.write_all(b"\t")?;
        }
        if let Some((status, which)) = mark {
            write!(self.out, "[{}{which}]", status_name(status))?;
            if comment.is_some() {
                self.out.write_all(b" ")?;
            }
        }
        if let Some(comment) = comment {
            write_cell(self.out, comment)?;
        }
        if let Some(collection) = collection {
            self.out.write_all(b"\t")?;
            write_cell(self.out, collection)?;
        }
        self.out.write_all(b"\n")
    }
}

/// Whether translators may use a term with this status.
fn usable(status: TermStatus) -> bool {
    matches!(status, TermStatus::Preferred | TermStatus::Admitted)
}

/// The comment column of a concept: definition and note joined by ` | `.
pub(crate) fn comment_of(definition: &Option<String>, note: &Option<String>) -> Option<String> {
    let mut comment = None;
    for part in [definition, note].into_iter().flatten() {
        append_note(&mut comment, part);
    }
    comment
}

/// Stored texts are cleaned (no tabs or newlines); this keeps a line a
/// line even if that ever changes.
fn write_cell(out: &mut dyn Write, s: &str) -> io::Result<()> {
    if s.contains(['\t', '\n', '\r']) {
        out.write_all(s.replace(['\t', '\n', '\r'], " ").as_bytes())
    } else {
        out.write_all(s.as_bytes())
    }
}

/// Writes the CSV layout.
pub(crate) struct CsvWriter<'a> {
    out: &'a mut dyn Write,
    with_collection: bool,
}

/// The extra CSV column of an export of several collections.
pub const CSV_COLLECTION_COLUMN: &str = "collection";

impl<'a> CsvWriter<'a> {
    /// Writes the header (with a last `collection` column when asked).
    pub fn begin(out: &'a mut dyn Write, with_collection: bool) -> io::Result<CsvWriter<'a>> {
        let extra = if with_collection { format!(",{CSV_COLLECTION_COLUMN}") } else { String::new() };
        writeln!(out, "{}{extra}", CSV_COLUMNS.join(","))?;
        Ok(CsvWriter { out, with_collection })
    }

    /// Writes one row per term of `c`.
    pub fn concept(&mut self, c: &Concept) -> io::Result<()> {
        for t in &c.terms {
            let cells: [&str; 13] = [
                c.id.as_str(),
                c.subject_field.as_deref().unwrap_or(""),
                c.definition.as_deref().unwrap_or(""),
                c.note.as_deref().unwrap_or(""),
                c.source.as_deref().unwrap_or(""),
                t.lang.as_str(),
                &t.text,
                status_name(t.status),
                t.part_of_speech.map(pos_name).unwrap_or(""),
                t.term_type.map(term_type_name).unwrap_or(""),
                t.context.as_deref().unwrap_or(""),
                t.source.as_deref().unwrap_or(""),
                t.note.as_deref().unwrap_or(""),
            ];
            for (i, cell) in cells.iter().enumerate() {
                if i > 0 {
                    self.out.write_all(b",")?;
                }
                write_csv_cell(self.out, cell)?;
            }
            if self.with_collection {
                self.out.write_all(b",")?;
                write_csv_cell(self.out, c.collection.as_str())?;
            }
            self.out.write_all(b"\r\n")?;
        }
        Ok(())
    }

    /// Flushes the output.
    pub fn flush(self) -> io::Result<()> {
        self.out.flush()
    }
}

fn write_csv_cell(out: &mut dyn Write, s: &str) -> io::Result<()> {
    if s.contains([',', '"', '\n', '\r']) || s.starts_with(' ') || s.ends_with(' ') {
        out.write_all(b"\"")?;
        out.write_all(s.replace('"', "\"\"").as_bytes())?;
        out.write_all(b"\"")
    } else {
        out.write_all(s.as_bytes())
    }
}

/// Reads UTF-8 lines under a size cap.
pub(crate) struct LineReader<R> {
    input: R,
    total: u64,
    max_bytes: u64,
    /// Line number of the last line returned (1-based).
    pub line: u64,
    buf: Vec<u8>,
}

impl<R: BufRead> LineReader<R> {
    pub fn new(input: R, max_bytes: u64) -> LineReader<R> {
        LineReader { input, total: 0, max_bytes, line: 0, buf: Vec::new() }
    }

    fn error(&self, problem: FileProblem, message: impl std::fmt::Display) -> Error {
        Error::file(problem, format!("line {}: {message}", self.line))
    }

    /// The next line without its line break, `None` at the end.
    pub fn next_line(&mut self) -> Result<Option<String>> {
        self.buf.clear();
        let n = (&mut self.input)
            .take(MAX_LINE_BYTES + 1)
            .read_until(b'\n', &mut self.buf)
            .map_err(|e| Error::file(FileProblem::Malformed, format!("cannot read the file: {e}")))?;
        if n == 0 {
            return Ok(None);
        }
        self.line += 1;
        self.total += n as u64;
        if self.total > self.max_bytes {
            return Err(self.error(FileProblem::TooLarge, format!("the file is larger than {} bytes", self.max_bytes)));
        }
        if n as u64 > MAX_LINE_BYTES {
            return Err(self.error(FileProblem::LimitExceeded, format!("a line is longer than {MAX_LINE_BYTES} bytes")));
        }
        if self.line == 1 && (self.buf.starts_with(&[0xFF, 0xFE]) || self.buf.starts_with(&[0xFE, 0xFF])) {
            return Err(self.error(FileProblem::Encoding, "the file is UTF-16, not UTF-8: save it as UTF-8"));
        }
        if self.buf.contains(&0) {
            return Err(self.error(
                FileProblem::Encoding,
                "the file contains NUL bytes: it is UTF-16/UTF-32 or binary, not UTF-8 text; save it as UTF-8",
            ));
        }
        let mut bytes: &[u8] = &self.buf;
        if self.line == 1 {
            bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        }
        while let Some(b) = bytes.last().filter(|b| **b == b'\n' || **b == b'\r') {
            let _ = b;
            bytes = &bytes[..bytes.len() - 1];
        }
        match std::str::from_utf8(bytes) {
            Ok(s) => Ok(Some(s.to_string())),
            Err(_) => Err(self.error(
                FileProblem::Encoding,
                "the file is not valid UTF-8 (Latin-1 or Windows-1252?): save it as UTF-8",
            )),
        }
    }
}

/// Reads OmegaT TSV lines as entries of a language pair.
pub(crate) struct TsvReader<R> {
    lines: LineReader<R>,
    src: Lang,
    tgt: Lang,
    entries: u64,
}

impl<R: BufRead> TsvReader<R> {
    pub fn new(input: R, max_bytes: u64, src: Lang, tgt: Lang) -> TsvReader<R> {
        TsvReader { lines: LineReader::new(input, max_bytes), src, tgt, entries: 0 }
    }

    pub fn next_entry(&mut self) -> Result<Option<ImportEntry>> {
        loop {
            let Some(line) = self.lines.next_line()? else { return Ok(None) };
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            self.entries += 1;
            let mut cols = line.splitn(3, '\t');
            let source = cols.next().unwrap_or("").trim().to_string();
            let target = cols.next().unwrap_or("").trim().to_string();
            let mut comment = cols.next().unwrap_or("");
            // A last column that is a collection name is the collection.
            let mut collection = None;
            if let Some((rest, last)) = comment.rsplit_once('\t') {
                if Collection::new(last.trim()).is_ok() {
                    collection = Some(last.trim().to_string());
                    comment = rest;
                }
            }
            let mut comment = comment.trim();
            let mut mark = None;
            if let Some((status, rest)) = comment.strip_prefix('[').and_then(|c| c.split_once(']')) {
                let (status, source_side) = match status.strip_suffix(" source") {
                    Some(s) => (s, true),
                    None => (status, false),
                };
                if let Some(status) = parse_status(status) {
                    mark = Some((status, source_side));
                    comment = rest.trim();
                }
            }
            let mut entry =
                ImportEntry { number: self.entries, line: self.lines.line, collection, ..Default::default() };
            if source.is_empty() || target.is_empty() {
                entry
                    .problems
                    .push("a glossary line needs a source term and a target term separated by a tab".to_string());
            } else {
                entry.terms.push(ImportTerm::new(self.src.clone(), source));
                entry.terms.push(ImportTerm::new(self.tgt.clone(), target));
                if let Some((status, source_side)) = mark {
                    entry.terms[usize::from(!source_side)].status = Some(status);
                }
            }
            if !comment.is_empty() {
                entry.comment = Some(comment.to_string());
            }
            return Ok(Some(entry));
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Column {
    ConceptId,
    SubjectField,
    Definition,
    ConceptNote,
    ConceptSource,
    Lang,
    Term,
    Status,
    PartOfSpeech,
    TermType,
    Context,
    TermSource,
    TermNote,
    Collection,
    Other(String),
}

impl Column {
    fn from_header(name: &str) -> Column {
        match name.trim().to_ascii_lowercase().replace([' ', '-'], "_").as_str() {
            "concept_id" | "id" => Column::ConceptId,
            "subject_field" => Column::SubjectField,
            "definition" => Column::Definition,
            "concept_note" => Column::ConceptNote,
            "concept_source" => Column::ConceptSource,
            "lang" | "language" => Column::Lang,
            "term" => Column::Term,
            "status" => Column::Status,
            "part_of_speech" => Column::PartOfSpeech,
            "term_type" => Column::TermType,
            "context" => Column::Context,
            "term_source" | "source" => Column::TermSource,
            "term_note" | "note" => Column::TermNote,
            "collection" => Column::Collection,
            _ => Column::Other(name.trim().to_string()),
        }
    }
}

/// Reads the CSV layout, grouping rows into concept entries.
pub(crate) struct CsvReader<R> {
    lines: LineReader<R>,
    columns: Vec<Column>,
    entries: u64,
    /// A row read ahead (its line and cells) that starts the next entry.
    pending: Option<(u64, Vec<String>)>,
}

impl<R: BufRead> CsvReader<R> {
    /// Reads and checks the header.
    pub fn new(input: R, max_bytes: u64) -> Result<CsvReader<R>> {
        let mut lines = LineReader::new(input, max_bytes);
        let header = loop {
            match read_record(&mut lines)? {
                Some(cells) if cells.iter().all(|c| c.trim().is_empty()) => continue,
                Some(cells) => break cells,
                None => {
                    return Err(Error::file(FileProblem::WrongFormat, "the CSV file is empty: it needs a header row"))
                }
            }
        };
        let columns: Vec<Column> = header.iter().map(|h| Column::from_header(h)).collect();
        if !columns.contains(&Column::Lang) || !columns.contains(&Column::Term) {
            return Err(Error::file(
                FileProblem::WrongFormat,
                format!(
                    "line {}: the CSV header needs the columns lang and term (found: {}); expected {}",
                    lines.line,
                    header.join(","),
                    CSV_COLUMNS.join(",")
                ),
            ));
        }
        Ok(CsvReader { lines, columns, entries: 0, pending: None })
    }

    fn next_row(&mut self) -> Result<Option<(u64, Vec<String>)>> {
        if let Some(p) = self.pending.take() {
            return Ok(Some(p));
        }
        loop {
            let Some(cells) = read_record(&mut self.lines)? else { return Ok(None) };
            if cells.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            return Ok(Some((self.lines.line, cells)));
        }
    }

    fn cell<'c>(&self, cells: &'c [String], col: &Column) -> &'c str {
        self.columns.iter().position(|c| c == col).and_then(|i| cells.get(i)).map(|s| s.trim()).unwrap_or("")
    }

    pub fn next_entry(&mut self) -> Result<Option<ImportEntry>> {
        let Some((line, first)) = self.next_row()? else { return Ok(None) };
        self.entries += 1;
        let id = self.cell(&first, &Column::ConceptId).to_string();
        let mut entry =
            ImportEntry { number: self.entries, line, id: (!id.is_empty()).then(|| id.clone()), ..Default::default() };
        let mut row = Some((line, first));
        while let Some((line, cells)) = row.take() {
            self.add_row(&mut entry, line, &cells);
            if id.is_empty() {
                break;
            }
            match self.next_row()? {
                Some((l, next)) if self.cell(&next, &Column::ConceptId) == id => row = Some((l, next)),
                Some(other) => self.pending = Some(other),
                None => {}
            }
        }
        Ok(Some(entry))
    }

    fn add_row(&self, entry: &mut ImportEntry, line: u64, cells: &[String]) {
        let first_set = |field: &mut Option<String>, v: &str| {
            if field.is_none() && !v.is_empty() {
                *field = Some(v.to_string());
            }
        };
        first_set(&mut entry.subject_field, self.cell(cells, &Column::SubjectField));
        first_set(&mut entry.definition, self.cell(cells, &Column::Definition));
        first_set(&mut entry.note, self.cell(cells, &Column::ConceptNote));
        first_set(&mut entry.source, self.cell(cells, &Column::ConceptSource));
        let collection = self.cell(cells, &Column::Collection);
        if entry.collection.is_none() && !collection.is_empty() {
            match Collection::new(collection) {
                Ok(_) => entry.collection = Some(collection.to_string()),
                Err(_) => entry
                    .warnings
                    .push(format!("line {line}: collection {collection:?} is not a valid collection name; ignored")),
            }
        }
        let lang = self.cell(cells, &Column::Lang);
        let text = self.cell(cells, &Column::Term);
        let lang = match Lang::new(lang) {
            Ok(l) => l,
            Err(e) => {
                entry.problems.push(format!("line {line}: column lang: {e}"));
                return;
            }
        };
        if text.is_empty() {
            entry.problems.push(format!("line {line}: the term is empty"));
            return;
        }
        let mut term = ImportTerm::new(lang, text.to_string());
        let t = &mut term.term;
        let status = self.cell(cells, &Column::Status);
        if !status.is_empty() {
            match parse_status(status) {
                Some(s) => term.status = Some(s),
                None => {
                    entry.warnings.push(format!("line {line}: status {status:?} is not preferred, admitted, deprecated or superseded; kept as a note"));
                    append_note(&mut t.note, &format!("status: {status}"));
                }
            }
        }
        let pos = self.cell(cells, &Column::PartOfSpeech);
        if !pos.is_empty() {
            match parse_pos(pos) {
                Some(p) => t.part_of_speech = Some(p),
                None => {
                    entry.warnings.push(format!("line {line}: part_of_speech {pos:?} is not noun, verb, adjective, adverb or other; kept as a note"));
                    append_note(&mut t.note, &format!("part_of_speech: {pos}"));
                }
            }
        }
        let kind = self.cell(cells, &Column::TermType);
        if !kind.is_empty() {
            match parse_term_type(kind) {
                Some(k) => t.term_type = Some(k),
                None => {
                    entry
                        .warnings
                        .push(format!("line {line}: term_type {kind:?} is not a known term type; kept as a note"));
                    append_note(&mut t.note, &format!("term_type: {kind}"));
                }
            }
        }
        let opt = |v: &str| (!v.is_empty()).then(|| v.to_string());
        t.context = opt(self.cell(cells, &Column::Context));
        t.source = opt(self.cell(cells, &Column::TermSource));
        append_note(&mut t.note, self.cell(cells, &Column::TermNote));
        for (i, col) in self.columns.iter().enumerate() {
            if let Column::Other(name) = col {
                let v = cells.get(i).map(|s| s.trim()).unwrap_or("");
                if !v.is_empty() {
                    append_note(&mut t.note, &format!("{name}: {v}"));
                    entry.kept.push(format!("column {name}"));
                }
            }
        }
        if cells.len() > self.columns.len() && cells[self.columns.len()..].iter().any(|c| !c.trim().is_empty()) {
            entry.warnings.push(format!("line {line}: more cells than header columns; the extra cells were ignored"));
        }
        entry.terms.push(term);
    }
}

/// One RFC 4180 record (may span lines inside quotes).
fn read_record<R: BufRead>(lines: &mut LineReader<R>) -> Result<Option<Vec<String>>> {
    let Some(first) = lines.next_line()? else { return Ok(None) };
    let start = lines.line;
    let mut record = first;
    loop {
        match split_csv(&record) {
            Some(cells) => return Ok(Some(cells)),
            None => {
                if record.len() as u64 > MAX_LINE_BYTES {
                    return Err(lines.error(FileProblem::LimitExceeded, "a quoted cell is longer than 1 MiB"));
                }
                match lines.next_line()? {
                    Some(more) => {
                        record.push('\n');
                        record.push_str(&more);
                    }
                    None => {
                        return Err(Error::file(
                            FileProblem::WrongFormat,
                            format!("line {start}: a quoted cell is not closed before the end of the file"),
                        ))
                    }
                }
            }
        }
    }
}

/// Splits a record; `None` when a quote is still open (the record goes on
/// on the next line).
fn split_csv(s: &str) -> Option<Vec<String>> {
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut chars = s.chars().peekable();
    let mut quoted = false;
    let mut at_start = true;
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    cell.push('"');
                } else {
                    quoted = false;
                }
            } else {
                cell.push(c);
            }
        } else if c == '"' && at_start {
            quoted = true;
            at_start = false;
        } else if c == ',' {
            cells.push(std::mem::take(&mut cell));
            at_start = true;
        } else {
            cell.push(c);
            at_start = false;
        }
    }
    if quoted {
        return None;
    }
    cells.push(cell);
    Some(cells)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_splitting() {
        let cases: &[(&str, Option<&[&str]>)] = &[
            ("a,b,c", Some(&["a", "b", "c"])),
            ("a,,c", Some(&["a", "", "c"])),
            ("\"a,b\",c", Some(&["a,b", "c"])),
            ("\"say \"\"hi\"\"\",x", Some(&["say \"hi\"", "x"])),
            ("\"open", None),
            ("\"multi\nline\",z", Some(&["multi\nline", "z"])),
            ("", Some(&[""])),
            ("Hà Nội,\"Việt Nam – Lào\"", Some(&["Hà Nội", "Việt Nam – Lào"])),
        ];
        for (input, expected) in cases {
            let got = split_csv(input);
            assert_eq!(
                got.as_deref().map(|v| v.iter().map(String::as_str).collect::<Vec<_>>()),
                expected.map(|e| e.to_vec()),
                "{input:?}"
            );
        }
    }

    #[test]
    fn csv_cells_round_trip_through_the_writer() {
        for cell in ["plain", "a, b", "say \"hi\"", " padded ", "", "Việt Nam & Lào <b>"] {
            let mut out = Vec::new();
            write_csv_cell(&mut out, cell).unwrap();
            let written = String::from_utf8(out).unwrap();
            assert_eq!(split_csv(&written).unwrap(), vec![cell.to_string()], "{written}");
        }
    }

    #[test]
    fn lines_refuse_bad_encodings() {
        let read = |bytes: &[u8]| {
            let mut r = LineReader::new(bytes, 1 << 20);
            let mut out = Vec::new();
            loop {
                match r.next_line() {
                    Ok(Some(l)) => out.push(l),
                    Ok(None) => return Ok(out),
                    Err(e) => return Err(e),
                }
            }
        };
        assert_eq!(read(b"\xEF\xBB\xBFa\tb\r\nc\n").unwrap(), vec!["a\tb", "c"]);
        for (bytes, needle) in [
            (&b"caf\xe9\tcoffee\n"[..], "not valid UTF-8"),
            (&b"\xFF\xFEa\x00"[..], "UTF-16"),
            (&b"a\x00b\n"[..], "NUL"),
        ] {
            let err = read(bytes).unwrap_err();
            assert!(matches!(err, Error::InvalidFile { problem: FileProblem::Encoding, .. }), "{err}");
            assert!(err.to_string().contains(needle), "{err}");
        }
        assert!(LineReader::new(&b"abc\ndef\n"[..], 5).next_line().is_ok(), "first line fits");
        let mut r = LineReader::new(&b"abc\ndef\n"[..], 5);
        r.next_line().unwrap();
        let err = r.next_line().unwrap_err();
        assert!(matches!(err, Error::InvalidFile { problem: FileProblem::TooLarge, .. }), "{err}");
    }
}
