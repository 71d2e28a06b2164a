//! Writing (*kirjoittaminen*): records of any family back to bytes.
//!
//! A parsed record is written back byte for byte: padding, odd values, raw groups, envelope and
//! malformed lines, continuation lines, a missing final `|` or line ending and a wrong group count
//! are all kept. A record built in code gets padded fields, the real group count, a final `|` and
//! CRLF. Text is written in the writer's encoding (so a Latin-1 file can be rewritten as UTF-8).
//!
//! ```
//! use muutostieto::person::Person;
//! use muutostieto::read::SliceReader;
//! use muutostieto::write::Writer;
//! use muutostieto::{Encoding, ParseOptions};
//!
//! let input = b"010101-900RXXX201702081101|0031|\r\n";
//! let mut writer = Writer::new(Vec::new(), Encoding::Latin1);
//! for parsed in SliceReader::new(Person, input, ParseOptions::default()) {
//!     writer.write_item(&parsed.unwrap().item).unwrap();
//! }
//! assert_eq!(writer.into_inner().unwrap(), input);
//! ```

use std::io::{self, Write};

use crate::diag::Error;
use crate::encoding::Encoding;
use crate::record::{GroupPart, Item, Record, WritePart};

pub use crate::diag::WriteError;

/// Writes items and records of any family to an [`io::Write`], through one reused buffer.
///
/// Like [`std::io::BufWriter`], the buffer is flushed when the writer is dropped, and an error
/// of that last flush is lost: call [`Writer::flush`] or [`Writer::into_inner`] to see it.
#[derive(Debug)]
pub struct Writer<W: Write> {
    inner: Option<W>,
    encoding: Encoding,
    buf: Vec<u8>,
}

impl<W: Write> Writer<W> {
    /// A writer producing `encoding`.
    pub fn new(inner: W, encoding: Encoding) -> Self {
        Writer {
            inner: Some(inner),
            encoding,
            buf: Vec::with_capacity(64 * 1024),
        }
    }

    fn inner(&mut self) -> &mut W {
        self.inner
            .as_mut()
            .expect("the inner writer is taken only by into_inner")
    }

    fn flush_if_full(&mut self) -> io::Result<()> {
        if self.buf.len() >= 60 * 1024 {
            let buf = std::mem::take(&mut self.buf);
            let result = self.inner().write_all(&buf);
            self.buf = buf;
            self.buf.clear();
            result?;
        }
        Ok(())
    }

    /// Writes an item (record, envelope or malformed line; nothing for a skipped line).
    pub fn write_item<H: WritePart, G: GroupPart>(
        &mut self,
        item: &Item<'_, Record<'_, H, G>>,
    ) -> Result<(), Error> {
        let mark = self.buf.len();
        if let Err(e) = item.write_to(self.encoding, &mut self.buf) {
            self.buf.truncate(mark);
            return Err(e.into());
        }
        Ok(self.flush_if_full()?)
    }

    /// Writes a record.
    pub fn write_record<H: WritePart, G: GroupPart>(
        &mut self,
        record: &Record<'_, H, G>,
    ) -> Result<(), Error> {
        let mark = self.buf.len();
        if let Err(e) = record.write_to(self.encoding, &mut self.buf) {
            self.buf.truncate(mark);
            return Err(e.into());
        }
        Ok(self.flush_if_full()?)
    }

    /// Writes bytes as they are (e.g. an item's raw bytes).
    pub fn write_raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.buf.extend_from_slice(bytes);
        self.flush_if_full()
    }

    /// The inner writer (bytes still buffered here are not in it yet).
    pub fn get_ref(&self) -> &W {
        self.inner
            .as_ref()
            .expect("the inner writer is taken only by into_inner")
    }

    /// Flushes buffered bytes.
    pub fn flush(&mut self) -> io::Result<()> {
        let buf = std::mem::take(&mut self.buf);
        let result = self
            .inner()
            .write_all(&buf)
            .and_then(|()| self.inner().flush());
        self.buf = buf;
        self.buf.clear();
        result
    }

    /// Flushes and returns the inner writer.
    pub fn into_inner(mut self) -> io::Result<W> {
        self.flush()?;
        Ok(self
            .inner
            .take()
            .expect("the inner writer is taken only once"))
    }
}

impl<W: Write> Drop for Writer<W> {
    /// Flushes what is buffered; an error here is lost (see [`Writer::flush`]).
    fn drop(&mut self) {
        if self.inner.is_some() && !self.buf.is_empty() {
            let _ = self.flush();
        }
    }
}
