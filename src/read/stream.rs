//! The streaming reader: any [`Read`] in constant memory, one call per item.

use std::io::Read;

use super::chunk::{Chunk, Chunker};
use super::SliceReader;
use crate::diag::{Diagnostic, Error};
use crate::record::{Family, Item, RecordOf};
use crate::ParseOptions;

/// The chunk size the streaming reader aims at: large enough that cutting costs nothing per
/// record, small enough to stay in the caches.
pub const STREAM_CHUNK: usize = 256 * 1024;

/// Reads items from any [`Read`] in constant memory: one chunk of whole records (about
/// [`STREAM_CHUNK`] bytes) is held at a time, in a [`RecordBuf`] that is reused.
///
/// Lines longer than [`ParseOptions::max_line_len`] are skipped and handed out as
/// [`Item::Skipped`] with a [`LineTooLong`](crate::DiagnosticKind::LineTooLong) diagnostic (a line
/// with no ending in a 1 GB file cannot be held in memory); reading goes on with the next line,
/// which starts a new record. In strict mode the first error ends reading with `Err`.
#[derive(Debug)]
pub struct Reader<R, F> {
    chunker: Chunker<R, F>,
    stopped: bool,
    /// A chunk was cut (the next one is numbered from the buffer's position).
    started: bool,
}

/// The reused buffer of a [`Reader`]: the current chunk, the position in it and the diagnostics
/// of the last item (cleared for every item).
#[derive(Debug, Default)]
pub struct RecordBuf {
    chunk: Chunk,
    /// Byte offset of the next item in the chunk, and its line number.
    pos: usize,
    line: u64,
    /// Skipped lines of the chunk already handed out.
    skipped: usize,
    diagnostics: Vec<Diagnostic>,
}

/// One item read by [`Reader::read`], borrowing the reader's buffer.
#[derive(Debug)]
pub struct ReadItem<'b, R> {
    /// The item.
    pub item: Item<'b, R>,
    /// The item's diagnostics.
    pub diagnostics: &'b [Diagnostic],
    /// The item's bytes as they stand in the input, line endings included (empty for a skipped
    /// line).
    pub raw: &'b [u8],
}

impl<R: Read, F: Family> Reader<R, F> {
    /// A reader of `family`'s records over `inner` (buffering is done here: no `BufReader`
    /// needed).
    pub fn new(family: F, inner: R, opts: ParseOptions) -> Self {
        Reader::with_chunk_size(family, inner, opts, STREAM_CHUNK)
    }

    /// A reader holding chunks of about `chunk` bytes.
    pub fn with_chunk_size(family: F, inner: R, opts: ParseOptions, chunk: usize) -> Self {
        Reader {
            chunker: Chunker::new(inner, opts, family, chunk),
            stopped: false,
            started: false,
        }
    }

    /// The options in use.
    pub fn options(&self) -> &ParseOptions {
        self.chunker.options()
    }

    /// The record family.
    pub fn family(&self) -> F {
        self.chunker.family()
    }

    /// Bytes consumed from the input so far (read ahead included).
    pub fn bytes_read(&self) -> u64 {
        self.chunker.bytes_read()
    }

    /// Reads and parses the next item into `buf`; `Ok(None)` at the end of the input. The
    /// item, its diagnostics and its bytes borrow `buf` until the next call.
    pub fn read<'b>(
        &mut self,
        buf: &'b mut RecordBuf,
    ) -> Result<Option<ReadItem<'b, RecordOf<'b, F>>>, Error> {
        if self.stopped {
            return Ok(None);
        }
        let family = self.chunker.family();
        let opts = *self.chunker.options();
        loop {
            if buf.pos < buf.chunk.bytes.len() {
                break;
            }
            if buf.skipped < buf.chunk.skipped.len() {
                let d = buf.chunk.skipped[buf.skipped].clone();
                buf.skipped += 1;
                buf.diagnostics.clear();
                buf.diagnostics.push(d);
                let d = &buf.diagnostics[0];
                if opts.mode == crate::Mode::Strict {
                    self.stopped = true;
                    return Err(Error::from(d.clone()));
                }
                let item = Item::Skipped(crate::record::RawLine {
                    number: d.line,
                    content: &[],
                    ending: crate::frame::LineEnding::None,
                    encoding: opts.encoding,
                });
                return Ok(Some(ReadItem {
                    item,
                    diagnostics: &buf.diagnostics,
                    raw: &[],
                }));
            }
            let old = std::mem::take(&mut buf.chunk.bytes);
            self.chunker.recycle(old);
            // The chunk before was read to its end: its last line is known, uncounted.
            let first_line = if self.started {
                buf.line + buf.chunk.skipped.len() as u64
            } else {
                1
            };
            self.started = true;
            match self.chunker.next_chunk_from(first_line)? {
                Some(c) => {
                    buf.line = c.first_line;
                    buf.chunk = c;
                    buf.pos = 0;
                    buf.skipped = 0;
                }
                None => {
                    self.stopped = true;
                    return Ok(None);
                }
            }
        }
        let RecordBuf {
            chunk,
            pos,
            line,
            diagnostics,
            ..
        } = buf;
        diagnostics.clear();
        let rest = &chunk.bytes[*pos..];
        let mut reader = SliceReader::starting_at(family, rest, *line, opts);
        let result = reader.next_item(diagnostics);
        let (used, next_line) = reader.position();
        let raw = &rest[..used];
        *pos += used;
        *line = next_line;
        match result {
            Some(Ok(item)) => Ok(Some(ReadItem {
                item,
                diagnostics,
                raw,
            })),
            Some(Err(e)) => {
                self.stopped = true;
                Err(e)
            }
            // A chunk holds whole lines: an empty rest was caught above.
            None => Ok(None),
        }
    }
}
