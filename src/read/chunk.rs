//! Chunks (*lohkot*): a file cut at record boundaries, in bounded memory.
//!
//! A [`Chunker`] cuts any reader into chunks of about a target size at record boundaries: a
//! chunk never ends just before a continuation line, so every record is whole in one chunk.
//! The streaming [`Reader`](super::Reader) parses one chunk at a time;
//! [`par_map`](super::par_map) parses a batch of chunks on all cores and hands the results on in
//! file order. A line longer than [`ParseOptions::max_line_len`] is skipped and reported; it
//! ends the chunk, so the line after it starts a new record.
//!
//! ```
//! use muutostieto::person::Person;
//! use muutostieto::read::Chunker;
//! use muutostieto::ParseOptions;
//!
//! let file = b"010101-900RXXX201702081101|00312|\r\n010101-900RXXX20170208J101|00312|\r\n";
//! let mut chunker = Chunker::new(&file[..], ParseOptions::default(), Person, 1);
//! let chunk = chunker.next_chunk().unwrap().unwrap();
//! assert_eq!(chunk.items(Person).count(), 1); // the continuation line stays with its record
//! assert!(chunker.next_chunk().unwrap().is_none());
//! ```

use std::io::{self, Read};

use super::SliceReader;
use crate::diag::{Diagnostic, DiagnosticKind, Error};
use crate::frame::{classify, LineClass};
use crate::record::{Family, Item, Parsed, RawLine, RecordOf};
use crate::ParseOptions;

/// A run of whole records (and other lines) cut from a file.
#[derive(Debug, Clone, Default)]
pub struct Chunk {
    /// Number of the chunk's first line.
    pub first_line: u64,
    /// The bytes, line endings included.
    pub bytes: Vec<u8>,
    /// Lines skipped after this chunk's bytes (longer than the limit).
    pub skipped: Vec<Diagnostic>,
    /// The parse options.
    pub options: ParseOptions,
}

impl Chunk {
    /// The chunk's items, parsed as `family` records (borrowing from the chunk), without the
    /// lines skipped after them (see [`Chunk::parsed`]).
    pub fn items<F: Family>(&self, family: F) -> SliceReader<'_, F> {
        SliceReader::starting_at(family, &self.bytes, self.first_line, self.options)
    }

    /// Every item of the chunk in order, the lines skipped after its bytes last (as
    /// [`Item::Skipped`]; in strict mode the first of them is an error).
    pub fn parsed<'c, F: Family + 'c>(
        &'c self,
        family: F,
    ) -> impl Iterator<Item = Result<Parsed<'c, RecordOf<'c, F>>, Error>> + 'c {
        let strict = self.options.mode == crate::Mode::Strict;
        let encoding = self.options.encoding;
        self.items(family).chain(self.skipped.iter().map(move |d| {
            if strict {
                return Err(Error::from(d.clone()));
            }
            let line = RawLine {
                number: d.line,
                content: &[],
                ending: crate::frame::LineEnding::None,
                encoding,
            };
            Ok(Parsed {
                item: Item::Skipped(line),
                diagnostics: vec![d.clone()],
            })
        }))
    }

    /// Number of lines in the chunk.
    pub fn line_count(&self) -> u64 {
        crate::frame::count_lines(&self.bytes) as u64
    }
}

/// Cuts a reader into chunks at record boundaries.
#[derive(Debug)]
pub struct Chunker<R, F> {
    inner: R,
    family: F,
    opts: ParseOptions,
    target: usize,
    buf: Vec<u8>,
    next_line: u64,
    eof: bool,
    /// Discarding the rest of a line that was too long.
    skipping: bool,
    /// The skipped line ended with a CR at the end of a read: an LF next belongs to it.
    skip_lf: bool,
    bytes_read: u64,
    /// Buffers of handled chunks (see [`Chunker::recycle`]), to read into again.
    spare: Vec<Vec<u8>>,
}

impl<R: Read, F: Family> Chunker<R, F> {
    /// A chunker aiming at chunks of `target` bytes (a few MB suits most machines).
    pub fn new(inner: R, opts: ParseOptions, family: F, target: usize) -> Self {
        Chunker {
            inner,
            family,
            opts,
            target: target.max(1),
            buf: Vec::new(),
            next_line: 1,
            eof: false,
            skipping: false,
            skip_lf: false,
            bytes_read: 0,
            spare: Vec::new(),
        }
    }

    /// Gives back the bytes of a chunk that was handled, to be read into again: saves
    /// allocating (and the system zeroing) fresh memory for every chunk.
    pub fn recycle(&mut self, bytes: Vec<u8>) {
        if self.spare.len() < 4 {
            self.spare.push(bytes);
        }
    }

    /// Bytes read from the input so far.
    pub fn bytes_read(&self) -> u64 {
        self.bytes_read
    }

    /// The parse options.
    pub fn options(&self) -> &ParseOptions {
        &self.opts
    }

    /// The record family.
    pub fn family(&self) -> F {
        self.family
    }

    /// The next chunk, or `None` at the end of the input.
    pub fn next_chunk(&mut self) -> io::Result<Option<Chunk>> {
        self.cut(true)
    }

    /// The next chunk with its first line numbered `first_line`, or `None` at the end of the
    /// input: for a caller that reads each chunk before it asks for the next, and so knows
    /// where the last one ended (the line after its last item, plus one for each of its
    /// [`Chunk::skipped`] lines). The chunker then does not count the lines of each chunk,
    /// which saves a pass over the bytes.
    ///
    /// ```
    /// use muutostieto::person::Person;
    /// use muutostieto::read::Chunker;
    /// use muutostieto::ParseOptions;
    ///
    /// let file = b"010101-900RXXX201702081101|00312|\r\n020202-900RXXX201702081101|00312|\r\n";
    /// let mut chunker = Chunker::new(&file[..], ParseOptions::default(), Person, 40);
    /// let mut next_line = 1;
    /// while let Some(chunk) = chunker.next_chunk_from(next_line).unwrap() {
    ///     let mut items = chunk.items(Person);
    ///     while let Some(item) = items.next() {
    ///         item.unwrap();
    ///     }
    ///     next_line = items.position().1 + chunk.skipped.len() as u64;
    /// }
    /// assert_eq!(next_line, 3);
    /// ```
    pub fn next_chunk_from(&mut self, first_line: u64) -> io::Result<Option<Chunk>> {
        self.next_line = first_line;
        self.cut(false)
    }

    /// The next chunk; its lines are counted (to number the next one) when `count` is set.
    fn cut(&mut self, count: bool) -> io::Result<Option<Chunk>> {
        let limit = self.opts.max_line_len;
        loop {
            // Where the unfinished last line starts, and whether a cut exists before it.
            let last_start = last_line_start(&self.buf);
            if self.eof || (self.buf.len() >= self.target && self.cut_point(last_start).is_some()) {
                break;
            }
            if self.buf.len() - last_start > limit.saturating_add(2) {
                if last_start > 0 {
                    // Hand out what comes before the long line first.
                    return Ok(Some(self.take(last_start, count)));
                }
                // The line that starts the buffer is too long: skip it to its end.
                let line = self.next_line;
                self.next_line += 1;
                self.buf.clear();
                self.skipping = true;
                let mut chunk = self.empty_chunk(line);
                chunk.skipped.push(Diagnostic::new(
                    line,
                    limit,
                    DiagnosticKind::LineTooLong { limit },
                ));
                return Ok(Some(chunk));
            }
            self.fill()?;
        }
        if self.buf.is_empty() {
            return Ok(None);
        }
        let cut = if self.eof {
            self.buf.len()
        } else {
            self.cut_point(last_line_start(&self.buf))
                .unwrap_or(self.buf.len())
        };
        Ok(Some(self.take(cut, count)))
    }

    /// The last place before `upto` where a line starts that does not continue a record.
    fn cut_point(&self, upto: usize) -> Option<usize> {
        let schema = self.family.schema();
        let mut end = upto;
        while end > 0 {
            let start = last_line_start(&self.buf[..end - 1]);
            let at = end;
            // The line at `at` (complete up to `upto`, or the unfinished last line).
            let line_end = crate::frame::find_line_end(&self.buf[at..])
                .map_or(self.buf.len(), |(n, _)| at + n);
            let line = &self.buf[at..line_end];
            let continues = matches!(
                classify(line, schema, self.opts.encoding),
                LineClass::Record {
                    continuation: true,
                    ..
                }
            );
            let undecided =
                line_end == self.buf.len() && line.len() <= schema.header.len && !self.eof;
            // Cut before a line that is known not to continue the record before it.
            if at > 0 && at < self.buf.len() && !continues && !undecided {
                return Some(at);
            }
            if start == 0 {
                return None;
            }
            end = start;
        }
        None
    }

    /// Hands out `buf[..cut]` (whole lines), ending early at a line over the length limit,
    /// which is dropped and reported, as the streaming reader does. Without `count`, the lines
    /// are counted only to number such a long line (the caller numbers the next chunk).
    fn take(&mut self, cut: usize, count: bool) -> Chunk {
        let limit = self.opts.max_line_len;
        let bytes = &self.buf[..cut];
        // The lines before the first one over the limit, and that line. Usually no line can
        // be that long, and the lines are only counted (the worker finds them).
        let mut lines = 0;
        let mut long = None;
        if crate::frame::may_have_line_longer_than(bytes, limit) {
            for l in crate::frame::Lines::new(bytes) {
                if l.content.len() > limit {
                    let end = l.offset + l.content.len() + l.ending.as_bytes().len();
                    long = Some((l.offset, end));
                    break;
                }
                lines += 1;
            }
        } else if count {
            lines = crate::frame::count_lines(bytes) as u64;
        }
        let (end, drop) = long.unwrap_or((cut, cut));
        // The rest goes to a buffer with room for the next chunk.
        let mut rest = self.spare.pop().unwrap_or_default();
        rest.clear();
        rest.reserve(self.target.min(64 << 20) + self.block_size());
        rest.extend_from_slice(&self.buf[drop..]);
        self.buf.truncate(end);
        let bytes = std::mem::replace(&mut self.buf, rest);
        let mut chunk = self.empty_chunk(self.next_line);
        chunk.bytes = bytes;
        self.next_line += lines;
        if long.is_some() {
            let line = self.next_line;
            self.next_line += 1;
            chunk.skipped.push(Diagnostic::new(
                line,
                limit,
                DiagnosticKind::LineTooLong { limit },
            ));
        }
        chunk
    }

    fn empty_chunk(&self, first_line: u64) -> Chunk {
        Chunk {
            first_line,
            bytes: Vec::new(),
            skipped: Vec::new(),
            options: self.opts,
        }
    }

    /// Bytes asked for by one read.
    fn block_size(&self) -> usize {
        (self.target / 2).clamp(64 * 1024, 4 << 20)
    }

    /// Reads more input (discarding the rest of a skipped line first).
    fn fill(&mut self) -> io::Result<()> {
        loop {
            let start = self.buf.len();
            let want = self.block_size();
            self.buf.reserve(want);
            // Straight into the buffer's spare room: no copy through a block, no zeroing.
            let result = (&mut self.inner)
                .take(want as u64)
                .read_to_end(&mut self.buf);
            let n = self.buf.len() - start;
            self.bytes_read += n as u64;
            result?;
            if n == 0 {
                self.eof = true;
                return Ok(());
            }
            if std::mem::take(&mut self.skip_lf) && self.buf[start] == b'\n' {
                self.buf.remove(start);
            }
            if self.skipping {
                let data = &self.buf[start..];
                match memchr::memchr2(b'\n', b'\r', data) {
                    None => {
                        self.buf.truncate(start);
                        continue;
                    }
                    Some(i) => {
                        // A CR LF split across reads is one line ending, as for the streaming
                        // reader.
                        self.skip_lf = data[i] == b'\r' && i + 1 == data.len();
                        let skip = if data[i] == b'\r' && data.get(i + 1) == Some(&b'\n') {
                            i + 2
                        } else {
                            i + 1
                        };
                        self.buf.drain(start..start + skip);
                        self.skipping = false;
                    }
                }
            }
            return Ok(());
        }
    }
}

/// Where the last line of `buf` starts (after the last line ending; 0 when there is none).
/// A CR at the very end is not yet known to end a line.
fn last_line_start(buf: &[u8]) -> usize {
    let mut end = buf.len();
    while let Some(i) = memchr::memrchr2(b'\n', b'\r', &buf[..end]) {
        if buf[i] == b'\r' && i + 1 == buf.len() {
            end = i;
            continue;
        }
        return i + 1;
    }
    0
}

#[cfg(test)]
#[cfg(all(feature = "parallel", feature = "testdata"))]
mod tests {
    use super::*;
    use crate::person::Person;
    use crate::read::par_map;
    use crate::testdata::{generate, Options};
    use crate::Encoding;

    fn rewrite_in_chunks(
        input: &[u8],
        target: usize,
        opts: ParseOptions,
    ) -> (Vec<u8>, Vec<u64>, usize) {
        let mut chunker = Chunker::new(input, opts, Person, target);
        let mut out = Vec::new();
        let mut firsts = Vec::new();
        let mut skipped = 0;
        par_map(
            &mut chunker,
            |chunk| {
                let mut bytes = Vec::new();
                let mut lines = Vec::new();
                for p in chunk.items(Person) {
                    let p = p.unwrap();
                    lines.push(p.item.line_number());
                    p.item.write_to(Encoding::Latin1, &mut bytes).unwrap();
                }
                (bytes, lines, chunk.skipped.len())
            },
            |(bytes, lines, s), _| {
                out.extend_from_slice(&bytes);
                firsts.extend(lines);
                skipped += s;
                Ok::<_, ()>(crate::read::Flow::Continue)
            },
        )
        .unwrap();
        (out, firsts, skipped)
    }

    #[test]
    fn chunks_keep_records_whole_and_in_order() {
        let file = generate(&Options {
            records: 2000,
            continuation_every: 3,
            envelope: true,
            ..Options::default()
        });
        let sequential: Vec<u64> = SliceReader::new(Person, &file, ParseOptions::default())
            .map(|p| p.unwrap().item.line_number())
            .collect();
        for target in [1, 100, 4096, 65536, 10 << 20] {
            let (out, lines, skipped) = rewrite_in_chunks(&file, target, ParseOptions::default());
            assert!(out == file, "target {target}");
            assert_eq!(lines, sequential, "target {target}");
            assert_eq!(skipped, 0);
        }
    }

    #[test]
    fn odd_line_endings_and_long_lines() {
        let rec = b"010101A900RXBX201702080101|00312|";
        let cont = b"010101A900RXBX20170208J101|00312|";
        let mut input = Vec::new();
        for part in [
            &rec[..],
            b"\r",
            cont,
            b"\r\n",
            rec,
            b"\n",
            &[b'x'; 300],
            b"\r\n",
            rec,
            b"\r",
            rec,
        ] {
            input.extend_from_slice(part);
        }
        let opts = ParseOptions {
            max_line_len: 100,
            ..ParseOptions::default()
        };
        for target in [1, 7, 40, 1000] {
            let (out, lines, skipped) = rewrite_in_chunks(&input, target, opts);
            assert_eq!(skipped, 1, "target {target}");
            assert_eq!(lines, vec![1, 3, 5, 6], "target {target}");
            let mut expect = input.clone();
            let long = expect.windows(300).position(|w| w == [b'x'; 300]).unwrap();
            expect.drain(long..long + 302);
            assert!(out == expect, "target {target}");
        }
    }

    #[test]
    fn skipped_line_ending_split_across_reads() {
        // The skipped line's CR is the last byte of a read (reads are 64 KiB for small
        // targets), its LF the first of the next: one line ending, no empty line after it.
        let rec = b"010101A900RXBX201702080101|00312|\r\n";
        let mut input = rec.to_vec();
        input.resize(3 * 65536 - 1, b'x');
        input.extend_from_slice(b"\r\n");
        input.extend_from_slice(rec);
        let opts = ParseOptions {
            max_line_len: 1000,
            ..ParseOptions::default()
        };
        let (out, lines, skipped) = rewrite_in_chunks(&input, 1, opts);
        assert_eq!(skipped, 1);
        assert_eq!(lines, vec![1, 3]);
        assert!(out == [&rec[..], rec].concat());
    }
}
