//! Reading whole files (*lukeminen*): a zero-copy reader over a byte slice and a streaming reader
//! over any [`BufRead`] in constant memory.
//!
//! Both yield [`Item`]s: a [`PersonRecord`] (with its continuation lines merged), an envelope
//! line, or a malformed line kept raw. Writing every item back gives the input bytes.
//!
//! ```
//! use muutostieto::read::{Item, SliceReader};
//! use muutostieto::ParseOptions;
//!
//! let input = b"'''ENVELOPE\r\n010101-900RXXX201702081101|00312|\r\n";
//! let mut items = Vec::new();
//! for parsed in SliceReader::new(input, ParseOptions::default()) {
//!     let parsed = parsed.unwrap();
//!     assert!(parsed.diagnostics.is_empty());
//!     items.push(parsed.item);
//! }
//! assert!(matches!(items[0], Item::Envelope(_)));
//! assert!(matches!(items[1], Item::Record(_)));
//! ```
//!
//! Streaming, reusing one buffer:
//!
//! ```
//! use muutostieto::read::{Reader, RecordBuf};
//! use muutostieto::ParseOptions;
//!
//! let file = std::io::Cursor::new(b"010101-900RXXX201702081101|00312|\r\n".to_vec());
//! let mut reader = Reader::new(file, ParseOptions::default());
//! let mut buf = RecordBuf::default();
//! let mut diagnostics = Vec::new();
//! let mut records = 0;
//! while reader.read_item(&mut buf, &mut diagnostics).unwrap() {
//!     let item = buf.parse(reader.options(), &mut diagnostics).unwrap();
//!     records += item.as_record().is_some() as usize;
//! }
//! assert_eq!(records, 1);
//! ```

use std::io::{self, BufRead};

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::diag::{Diagnostic, DiagnosticKind, Error, Sink};
use crate::encoding::Encoding;
use crate::frame::{classify, find_line_end, Line, LineClass, LineEnding, Lines};
use crate::person::PersonRecord;
use crate::record::{self, Family, GroupPart, LineParts, Person, Record, RecordOf, WritePart};
use crate::write::WriteError;
use crate::ParseOptions;

/// A line kept as it is: an envelope line or a malformed line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawLine<'a> {
    /// 1-based line number.
    pub number: u64,
    /// The line without its ending.
    pub content: &'a [u8],
    /// The line ending.
    pub ending: LineEnding,
    /// The encoding the line was read in.
    pub encoding: Encoding,
}

/// One item of a change file. `R` is the record type (person records by default).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item<'a, R = PersonRecord<'a>> {
    /// A record (its continuation lines merged).
    Record(R),
    /// An envelope line (*kehystietue*, starting with `'''`), kept as it is.
    Envelope(RawLine<'a>),
    /// A line that could not be framed as a record, kept as it is (see the diagnostics).
    Malformed(RawLine<'a>),
}

impl<R> Item<'_, R> {
    /// The record, if this item is one.
    pub fn as_record(&self) -> Option<&R> {
        match self {
            Item::Record(r) => Some(r),
            _ => None,
        }
    }
}

impl<'a, H: WritePart, G: GroupPart> Item<'a, Record<'a, H, G>> {
    /// The 1-based number of the item's first line.
    pub fn line_number(&self) -> u64 {
        match self {
            Item::Record(r) => r.line.number,
            Item::Envelope(l) | Item::Malformed(l) => l.number,
        }
    }

    /// Writes the item's bytes.
    pub fn write_to(&self, enc: Encoding, out: &mut Vec<u8>) -> Result<(), WriteError> {
        match self {
            Item::Record(r) => r.write_to(enc, out),
            Item::Envelope(l) | Item::Malformed(l) => {
                crate::write::write_raw(l.content, l.encoding, enc, out).map_err(|kind| {
                    WriteError {
                        group: None,
                        field: "line",
                        kind,
                    }
                })?;
                out.extend_from_slice(l.ending.as_bytes());
                Ok(())
            }
        }
    }
}

impl<H: Serialize, G: GroupPart + Serialize> Serialize for Item<'_, Record<'_, H, G>> {
    /// `{"type": "record", "line": 1, "header": {…}, "groups": [...]}`, or
    /// `{"type": "envelope" | "malformed", "line": 1, "text": "…"}`.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        match self {
            Item::Record(r) => {
                m.serialize_entry("type", "record")?;
                r.serialize_entries(&mut m)?;
            }
            Item::Envelope(l) | Item::Malformed(l) => {
                let kind = if matches!(self, Item::Envelope(_)) {
                    "envelope"
                } else {
                    "malformed"
                };
                m.serialize_entry("type", kind)?;
                m.serialize_entry("line", &l.number)?;
                m.serialize_entry("text", &l.encoding.decode(l.content))?;
            }
        }
        m.end()
    }
}

/// An item with the diagnostics found in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed<'a, R = PersonRecord<'a>> {
    /// The item.
    pub item: Item<'a, R>,
    /// Its problems (empty for a clean item; no allocation then).
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads items from a byte slice (a whole file, or a memory-mapped one) without copying.
/// `F` is the record family (person records by default).
#[derive(Debug, Clone)]
pub struct SliceReader<'a, F: Family = Person> {
    lines: Lines<'a>,
    pending: Option<Line<'a>>,
    opts: ParseOptions,
    stopped: bool,
    family: F,
}

impl<'a> SliceReader<'a, Person> {
    /// A reader of person records over `input`.
    pub fn new(input: &'a [u8], opts: ParseOptions) -> Self {
        SliceReader::starting_at(input, 1, opts)
    }

    /// A reader of person records over `input` whose first line is numbered `first_line`.
    pub fn starting_at(input: &'a [u8], first_line: u64, opts: ParseOptions) -> Self {
        SliceReader::with_family(input, first_line, opts, Person)
    }
}

impl<'a, F: Family> SliceReader<'a, F> {
    /// A reader of `family`'s records over `input` whose first line is numbered `first_line`.
    pub fn with_family(input: &'a [u8], first_line: u64, opts: ParseOptions, family: F) -> Self {
        SliceReader {
            lines: Lines::starting_at(input, first_line),
            pending: None,
            opts,
            stopped: false,
            family,
        }
    }

    /// The options in use.
    pub fn options(&self) -> &ParseOptions {
        &self.opts
    }

    /// Reads the next item, appending its diagnostics to `diags`. In strict mode the first
    /// error ends reading with `Err`.
    pub fn next_item(
        &mut self,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Result<Item<'a, RecordOf<'a, F>>, Error>> {
        if self.stopped {
            return None;
        }
        let line = self.pending.take().or_else(|| self.lines.next())?;
        let opts = self.opts;
        let enc = opts.encoding;
        let start = diags.len();
        let mut sink = Sink::new(opts.mode, diags);
        check_ending(&line, &mut sink);
        let raw = RawLine {
            number: line.number,
            content: line.content,
            ending: line.ending,
            encoding: enc,
        };
        let family = self.family;
        let schema = family.schema();
        let item = match classify(line.content, schema, enc) {
            LineClass::Envelope => Item::Envelope(raw),
            LineClass::Malformed(kind) => {
                let column = match kind {
                    DiagnosticKind::MissingHeaderSeparator => {
                        enc.byte_offset(line.content, schema.header.len)
                    }
                    _ => 0,
                };
                sink.push(Diagnostic::new(line.number, column, kind));
                Item::Malformed(raw)
            }
            LineClass::Record {
                header,
                count,
                body,
                continuation,
            } => {
                if continuation {
                    sink.push(Diagnostic::new(
                        line.number,
                        enc.byte_offset(line.content, schema.header.change_type_at),
                        DiagnosticKind::OrphanContinuation,
                    ));
                }
                let parts = LineParts {
                    line: &line,
                    header,
                    count,
                    body,
                };
                let mut record = record::parse_first(family, parts, &opts, &mut sink);
                for next in self.lines.by_ref() {
                    match classify(next.content, schema, enc) {
                        LineClass::Record {
                            header,
                            count,
                            body,
                            continuation: true,
                        } => {
                            check_ending(&next, &mut sink);
                            let parts = LineParts {
                                line: &next,
                                header,
                                count,
                                body,
                            };
                            record::parse_continuation(
                                family,
                                &mut record,
                                parts,
                                &opts,
                                &mut sink,
                            );
                        }
                        _ => {
                            self.pending = Some(next);
                            break;
                        }
                    }
                }
                Item::Record(record)
            }
        };
        if sink.failed {
            self.stopped = true;
            let first = diags[start..]
                .iter()
                .find(|d| d.is_error())
                .cloned()
                .unwrap_or_else(|| {
                    Diagnostic::new(
                        line.number,
                        0,
                        DiagnosticKind::ShortLine {
                            expected: 0,
                            found: 0,
                        },
                    )
                });
            return Some(Err(Error::from(first)));
        }
        Some(Ok(item))
    }
}

fn check_ending(line: &Line<'_>, sink: &mut Sink<'_>) {
    if line.ending == LineEnding::Cr {
        sink.push(Diagnostic::new(
            line.number,
            line.content.len(),
            DiagnosticKind::BareCr,
        ));
    }
}

impl<'a, F: Family> Iterator for SliceReader<'a, F> {
    type Item = Result<Parsed<'a, RecordOf<'a, F>>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut diagnostics = Vec::new();
        Some(
            self.next_item(&mut diagnostics)?
                .map(|item| Parsed { item, diagnostics }),
        )
    }
}

/// The bytes of one item (a record line and its continuation lines, or one other line), owned
/// and reused between reads, like `csv::ByteRecord`.
#[derive(Debug, Clone, Default)]
pub struct RecordBuf {
    bytes: Vec<u8>,
    first_line: u64,
}

impl RecordBuf {
    /// The raw bytes of the item, line endings included.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The number of the item's first line.
    pub fn first_line(&self) -> u64 {
        self.first_line
    }

    /// Parses the item as a person record (borrowing from this buffer).
    pub fn parse(
        &self,
        opts: &ParseOptions,
        diags: &mut Vec<Diagnostic>,
    ) -> Result<Item<'_>, Error> {
        self.parse_with(Person, opts, diags)
    }

    /// Parses the item as a record of `family`.
    pub fn parse_with<F: Family>(
        &self,
        family: F,
        opts: &ParseOptions,
        diags: &mut Vec<Diagnostic>,
    ) -> Result<Item<'_, RecordOf<'_, F>>, Error> {
        let mut r = SliceReader::with_family(&self.bytes, self.first_line, *opts, family);
        match r.next_item(diags) {
            Some(result) => result,
            None => Err(Error::from(Diagnostic::new(
                self.first_line,
                0,
                DiagnosticKind::ShortLine {
                    expected: family.schema().header.len,
                    found: 0,
                },
            ))),
        }
    }
}

/// Reads items from any [`BufRead`] in constant memory: at most one item plus one line are held.
///
/// Lines longer than [`ParseOptions::max_line_len`] are skipped with a
/// [`DiagnosticKind::LineTooLong`] diagnostic (a line with no ending in a 1 GB file cannot be
/// held in memory); reading goes on with the next line.
#[derive(Debug)]
pub struct Reader<R, F: Family = Person> {
    inner: R,
    opts: ParseOptions,
    family: F,
    next_line: u64,
    /// The line read ahead (to see whether it continues the record), and its number.
    pending: Option<(Vec<u8>, u64)>,
    spare: Vec<u8>,
    bytes_read: u64,
    /// An error met while reading ahead, returned after the item before it.
    deferred: Option<io::Error>,
}

impl<R: BufRead> Reader<R, Person> {
    /// A reader of person records over `inner`.
    pub fn new(inner: R, opts: ParseOptions) -> Self {
        Reader::with_family(inner, opts, Person)
    }
}

impl<R: BufRead, F: Family> Reader<R, F> {
    /// A reader of `family`'s records over `inner`.
    pub fn with_family(inner: R, opts: ParseOptions, family: F) -> Self {
        Reader {
            inner,
            opts,
            family,
            next_line: 1,
            pending: None,
            spare: Vec::new(),
            bytes_read: 0,
            deferred: None,
        }
    }

    /// The options in use.
    pub fn options(&self) -> &ParseOptions {
        &self.opts
    }

    /// The record family.
    pub fn family(&self) -> F {
        self.family
    }

    /// Bytes consumed from the input so far.
    pub fn bytes_read(&self) -> u64 {
        self.bytes_read
    }

    /// Reads the next item's bytes into `buf`; `Ok(false)` at the end of the input. Skipped
    /// lines are reported in `diags`.
    pub fn read_item(
        &mut self,
        buf: &mut RecordBuf,
        diags: &mut Vec<Diagnostic>,
    ) -> io::Result<bool> {
        buf.bytes.clear();
        if let Some(e) = self.deferred.take() {
            return Err(e);
        }
        let first = match self.pending.take() {
            Some((line, number)) => {
                buf.bytes.extend_from_slice(&line);
                self.spare = line;
                number
            }
            None => match self.read_line(&mut buf.bytes, diags)? {
                Some(number) => number,
                None => return Ok(false),
            },
        };
        buf.first_line = first;
        let enc = self.opts.encoding;
        if !matches!(
            classify(content_of(&buf.bytes), self.family.schema(), enc),
            LineClass::Record { .. }
        ) {
            return Ok(true);
        }
        loop {
            let mut next = std::mem::take(&mut self.spare);
            next.clear();
            let number = match self.read_line(&mut next, diags) {
                Ok(Some(number)) => number,
                Ok(None) => {
                    self.spare = next;
                    return Ok(true);
                }
                Err(e) => {
                    // The record read so far is whole: return it, and the error next time.
                    self.spare = next;
                    self.deferred = Some(e);
                    return Ok(true);
                }
            };
            if matches!(
                classify(content_of(&next), self.family.schema(), enc),
                LineClass::Record {
                    continuation: true,
                    ..
                }
            ) {
                buf.bytes.extend_from_slice(&next);
                self.spare = next;
            } else {
                self.pending = Some((next, number));
                return Ok(true);
            }
        }
    }

    /// Appends one line (with its ending) to `out`; returns its number, or `None` at the end.
    /// Lines longer than the limit are consumed, reported and skipped.
    fn read_line(
        &mut self,
        out: &mut Vec<u8>,
        diags: &mut Vec<Diagnostic>,
    ) -> io::Result<Option<u64>> {
        let limit = self.opts.max_line_len;
        loop {
            let start_len = out.len();
            let mut seen = 0usize; // bytes of this line consumed, ending included
            let mut too_long = false;
            let mut after_cr = false; // the last byte consumed was a CR that ended a chunk
            loop {
                let chunk = match self.inner.fill_buf() {
                    Ok(c) => c,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                };
                if chunk.is_empty() {
                    break;
                }
                if after_cr {
                    // The CR before was followed by LF (CRLF) or by the next line (bare CR).
                    if chunk[0] == b'\n' {
                        if !too_long {
                            out.push(b'\n');
                        }
                        self.inner.consume(1);
                        self.bytes_read += 1;
                    }
                    break;
                }
                let (take, done) = match find_line_end(chunk) {
                    Some((n, LineEnding::Cr)) if n + 1 == chunk.len() => {
                        after_cr = true;
                        (n + 1, false)
                    }
                    Some((n, ending)) => (n + ending.as_bytes().len(), true),
                    None => (chunk.len(), false),
                };
                seen += take;
                if !too_long {
                    if seen > limit.saturating_add(2) {
                        too_long = true;
                        out.truncate(start_len);
                    } else {
                        out.extend_from_slice(&chunk[..take]);
                    }
                }
                self.inner.consume(take);
                self.bytes_read += take as u64;
                if done {
                    break;
                }
            }
            if seen == 0 {
                return Ok(None);
            }
            let number = self.next_line;
            self.next_line += 1;
            if too_long || content_of(&out[start_len..]).len() > limit {
                out.truncate(start_len);
                let d = Diagnostic::new(number, limit, DiagnosticKind::LineTooLong { limit });
                diags.push(d.clone());
                if self.opts.mode == crate::Mode::Strict {
                    return Err(io::Error::new(io::ErrorKind::InvalidData, Error::from(d)));
                }
                continue;
            }
            return Ok(Some(number));
        }
    }
}

fn line_ending_len(line: &[u8]) -> usize {
    if line.ends_with(b"\r\n") {
        2
    } else if line.ends_with(b"\n") || line.ends_with(b"\r") {
        1
    } else {
        0
    }
}

fn content_of(line: &[u8]) -> &[u8] {
    &line[..line.len() - line_ending_len(line)]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip_slice(input: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        for p in SliceReader::new(input, ParseOptions::default()) {
            p.unwrap()
                .item
                .write_to(Encoding::Latin1, &mut out)
                .unwrap();
        }
        out
    }

    fn stream_items(
        input: &[u8],
        chunk: usize,
        opts: ParseOptions,
    ) -> (Vec<Vec<u8>>, Vec<Diagnostic>) {
        let r = io::BufReader::with_capacity(chunk, input);
        let mut reader = Reader::new(r, opts);
        let mut buf = RecordBuf::default();
        let mut diags = Vec::new();
        let mut items = Vec::new();
        while reader.read_item(&mut buf, &mut diags).unwrap() {
            items.push(buf.as_bytes().to_vec());
        }
        (items, diags)
    }

    const REC: &[u8] = b"010101-900RXXX201702081101|00312|";
    const CONT: &[u8] = b"010101-900RXXX20170208J101|00312|";

    #[test]
    fn continuation_lines_merge_and_split_again() {
        let mut input = Vec::new();
        for part in [REC, b"\r\n", CONT, b"\r\n", CONT, b"\n", REC] {
            input.extend_from_slice(part);
        }
        let items: Vec<_> = SliceReader::new(&input, ParseOptions::default())
            .map(Result::unwrap)
            .collect();
        assert_eq!(items.len(), 2);
        let r = items[0].item.as_record().unwrap();
        assert_eq!(r.groups.len(), 3);
        assert_eq!(r.continuations.len(), 2);
        assert_eq!(roundtrip_slice(&input), input);
        for chunk in [1, 2, 3, 7, 64, 8192] {
            let (items, diags) = stream_items(&input, chunk, ParseOptions::default());
            assert!(diags.is_empty());
            assert_eq!(items.len(), 2, "chunk {chunk}");
            assert_eq!(items.concat(), input);
        }
    }

    #[test]
    fn bare_cr_and_long_lines() {
        let mut input = Vec::new();
        for part in [REC, b"\r", REC, b"\r\n", &[b'x'; 100][..], b"\n", REC] {
            input.extend_from_slice(part);
        }
        assert_eq!(roundtrip_slice(&input), input);
        let opts = ParseOptions {
            max_line_len: 50,
            ..ParseOptions::default()
        };
        for chunk in [1, 2, 5, 13, 8192] {
            let (items, diags) = stream_items(&input, chunk, opts);
            assert_eq!(items.len(), 3, "chunk {chunk}");
            assert_eq!(diags.len(), 1);
            assert_eq!(diags[0].line, 3);
            assert!(matches!(
                diags[0].kind,
                DiagnosticKind::LineTooLong { limit: 50 }
            ));
        }
    }

    #[test]
    fn strict_mode_stops_at_first_error() {
        let input = b"010101-900RXXX201702081102|00312|\r\n";
        let mut r = SliceReader::new(input, ParseOptions::strict());
        let err = r.next().unwrap().unwrap_err();
        assert!(
            err.to_string()
                .contains("header says 2 groups, the line has 1"),
            "{err}"
        );
        assert!(r.next().is_none());
        let lenient: Vec<_> = SliceReader::new(input, ParseOptions::default()).collect();
        assert_eq!(lenient[0].as_ref().unwrap().diagnostics.len(), 1);
    }
}
