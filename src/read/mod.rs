//! Reading whole files (*lukeminen*): a zero-copy reader over a byte slice, a streaming reader
//! over any [`Read`](std::io::Read) in constant memory, and the chunker both the streaming and
//! the parallel reading stand on.
//!
//! Every reader is generic over the record family ([`Family`]): person files
//! ([`crate::person::Person`]), building files, or a layout loaded at run time. They yield
//! [`Item`]s: a record (with its continuation lines merged), an envelope line, or a malformed
//! line kept raw. Writing every item back gives the input bytes.
//!
//! Lines are framed once: the [`Chunker`] cuts the input at record boundaries (it looks at one
//! line per cut), and a [`SliceReader`] frames and parses each line of a chunk once.
//!
//! ```
//! use muutostieto::person::Person;
//! use muutostieto::read::SliceReader;
//! use muutostieto::record::Item;
//! use muutostieto::ParseOptions;
//!
//! let input = b"'''ENVELOPE\r\n010101-900RXXX201702081101|00312|\r\n";
//! let mut items = Vec::new();
//! for parsed in SliceReader::new(Person, input, ParseOptions::default()) {
//!     let parsed = parsed.unwrap();
//!     assert!(parsed.diagnostics.is_empty());
//!     items.push(parsed.item);
//! }
//! assert!(matches!(items[0], Item::Envelope(_)));
//! assert!(matches!(items[1], Item::Record(_)));
//! ```
//!
//! Streaming, one call per item, reusing one buffer (like `csv`'s `read_byte_record`):
//!
//! ```
//! use muutostieto::person::Person;
//! use muutostieto::read::{Reader, RecordBuf};
//! use muutostieto::ParseOptions;
//!
//! let file = std::io::Cursor::new(b"010101-900RXXX201702081101|00312|\r\n".to_vec());
//! let mut reader = Reader::new(Person, file, ParseOptions::default());
//! let mut buf = RecordBuf::default();
//! let mut records = 0;
//! while let Some(parsed) = reader.read(&mut buf).unwrap() {
//!     assert!(parsed.diagnostics.is_empty());
//!     records += parsed.item.as_record().is_some() as usize;
//! }
//! assert_eq!(records, 1);
//! ```

use crate::diag::{Diagnostic, DiagnosticKind, Error, Sink};
use crate::frame::{classify, Line, LineClass, LineEnding, Lines};
use crate::record::{self, Family, Item, LineParts, Parsed, RawLine, RecordOf, RecordView};
use crate::ParseOptions;

mod chunk;
#[cfg(feature = "parallel")]
mod parallel;
mod stream;

pub use chunk::{Chunk, Chunker};
#[cfg(feature = "parallel")]
pub use parallel::{par_map, par_map_in, Flow, MapError};
pub use stream::{ReadItem, Reader, RecordBuf, STREAM_CHUNK};

/// Reads items from a byte slice (a whole file, a memory-mapped one, or a chunk) without
/// copying; `F` is the record family.
#[derive(Debug, Clone)]
pub struct SliceReader<'a, F: Family> {
    lines: Lines<'a>,
    /// The line read ahead (it did not continue the record before it), and what it is.
    pending: Option<(Line<'a>, LineClass<'a>)>,
    opts: ParseOptions,
    stopped: bool,
    family: F,
    /// The buffers [`SliceReader::next_item`] frames records into before typing them.
    scratch: RecordView<'a>,
}

impl<'a, F: Family> SliceReader<'a, F> {
    /// A reader of `family`'s records over `input`.
    pub fn new(family: F, input: &'a [u8], opts: ParseOptions) -> Self {
        SliceReader::starting_at(family, input, 1, opts)
    }

    /// A reader of `family`'s records over `input` whose first line is numbered `first_line`.
    pub fn starting_at(family: F, input: &'a [u8], first_line: u64, opts: ParseOptions) -> Self {
        SliceReader {
            lines: Lines::starting_at(input, first_line),
            pending: None,
            opts,
            stopped: false,
            family,
            scratch: RecordView::default(),
        }
    }

    /// The options in use.
    pub fn options(&self) -> &ParseOptions {
        &self.opts
    }

    /// The byte offset in the input of the next item, and the number of its first line.
    pub fn position(&self) -> (usize, u64) {
        match &self.pending {
            Some((line, _)) => (line.offset, line.number),
            None => self.lines.position(),
        }
    }

    /// Reads the next item, appending its diagnostics to `diags`. In strict mode the first
    /// error ends reading with `Err`.
    pub fn next_item(
        &mut self,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Result<Item<'a, RecordOf<'a, F>>, Error>> {
        let mut view = std::mem::take(&mut self.scratch);
        let family = self.family;
        let item = self
            .next_view(&mut view, diags)
            .map(|r| r.map(|item| item.map(|v| v.typed(family))));
        self.scratch = view;
        item
    }

    /// Reads the next item without typing its record: a record is framed and checked into
    /// `view` (its diagnostics appended to `diags`, as [`SliceReader::next_item`] gives them)
    /// and handed out as a [`RecordView`], typed on demand. The view's buffers are reused, so
    /// a loop over a file allocates nothing per record once they have grown:
    ///
    /// ```
    /// use muutostieto::person::Person;
    /// use muutostieto::read::SliceReader;
    /// use muutostieto::record::{Item, RecordView};
    /// use muutostieto::ParseOptions;
    ///
    /// let input = b"010101-900RXXX201702081101|00312|\r\n010101-900RXXX201702081101|00312|\r\n";
    /// let mut reader = SliceReader::new(Person, input, ParseOptions::default());
    /// let (mut view, mut diags) = (RecordView::default(), Vec::new());
    /// let mut groups = 0;
    /// while let Some(item) = reader.next_view(&mut view, &mut diags) {
    ///     if let Item::Record(record) = item.unwrap() {
    ///         groups += record.groups.len();
    ///         assert!(record.group(Person, 0).is_some());
    ///     }
    /// }
    /// assert_eq!((groups, diags.len()), (2, 0));
    /// ```
    pub fn next_view<'v>(
        &mut self,
        view: &'v mut RecordView<'a>,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Result<Item<'a, &'v RecordView<'a>>, Error>> {
        if self.stopped {
            return None;
        }
        view.clear();
        let (line, class) = match self.pending.take() {
            Some(read_ahead) => read_ahead,
            None => {
                let line = self.lines.next()?;
                (
                    line,
                    classify(line.content, self.family.schema(), self.opts.encoding),
                )
            }
        };
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
        let item = match class {
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
                record::frame_line(family, parts, &opts, &mut sink, view);
                for next in self.lines.by_ref() {
                    let class = classify(next.content, schema, enc);
                    match class {
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
                            record::frame_line(family, parts, &opts, &mut sink, view);
                        }
                        _ => {
                            self.pending = Some((next, class));
                            break;
                        }
                    }
                }
                Item::Record(())
            }
        };
        if sink.failed {
            self.stopped = true;
            // The sink fails only on an error it was given, so one is there.
            let first = diags[start..].iter().find(|d| d.is_error()).cloned();
            return Some(Err(first.map_or(Error::Stopped, Error::from)));
        }
        Some(Ok(item.map(|()| &*view)))
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

/// Parses one line that holds one record of `family` (no continuation lines; see
/// [`SliceReader`] for whole files). In strict mode the first error is returned.
pub fn parse_one<'a, F: Family>(
    family: F,
    line: &'a [u8],
    opts: &ParseOptions,
) -> Result<(RecordOf<'a, F>, Vec<Diagnostic>), Error> {
    let mut reader = SliceReader::new(family, line, *opts);
    let mut diags = Vec::new();
    match reader.next_item(&mut diags) {
        Some(Ok(Item::Record(r))) => Ok((r, diags)),
        Some(Err(e)) => Err(e),
        Some(Ok(item)) => {
            // An envelope or malformed line: malformed lines carry their diagnostic.
            let d = diags.into_iter().find(Diagnostic::is_error);
            let line = item.line_number();
            Err(d.map_or(Error::NotARecord { line }, Error::from))
        }
        None => Err(Error::NotARecord { line: 1 }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encoding::Encoding;
    use crate::person::Person;
    use std::io;

    fn roundtrip_slice(input: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        for p in SliceReader::new(Person, input, ParseOptions::default()) {
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
        let mut reader = Reader::with_chunk_size(Person, r, opts, chunk);
        let mut buf = RecordBuf::default();
        let mut diags = Vec::new();
        let mut items = Vec::new();
        while let Some(read) = reader.read(&mut buf).unwrap() {
            if matches!(read.item, Item::Skipped(_)) {
                diags.extend_from_slice(read.diagnostics);
            } else {
                items.push(read.raw.to_vec());
            }
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
        let items: Vec<_> = SliceReader::new(Person, &input, ParseOptions::default())
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
            assert_eq!(items.len(), 3, "chunk {chunk}: {items:?}");
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
        let mut r = SliceReader::new(Person, input, ParseOptions::strict());
        let err = r.next().unwrap().unwrap_err();
        assert!(
            err.to_string()
                .contains("header says 2 groups, the line has 1"),
            "{err}"
        );
        assert!(r.next().is_none());
        let lenient: Vec<_> = SliceReader::new(Person, input, ParseOptions::default()).collect();
        assert_eq!(lenient[0].as_ref().unwrap().diagnostics.len(), 1);
    }
}
