//! Writing (*kirjoittaminen*): typed records back to bytes.
//!
//! A parsed record is written back byte for byte: padding, odd values, raw groups, envelope and
//! malformed lines, continuation lines, a missing final `|` or line ending and a wrong group count
//! are all kept. A record built in code gets padded fields, the real group count, a final `|` and
//! CRLF. Text is written in the writer's encoding (so a Latin-1 file can be rewritten as UTF-8).
//!
//! ```
//! use muutostieto::read::SliceReader;
//! use muutostieto::write::Writer;
//! use muutostieto::{Encoding, ParseOptions};
//!
//! let input = b"010101-900RXXX201702081101|0031|\r\n";
//! let mut writer = Writer::new(Vec::new(), Encoding::Latin1);
//! for parsed in SliceReader::new(input, ParseOptions::default()) {
//!     writer.write_item(&parsed.unwrap().item).unwrap();
//! }
//! assert_eq!(writer.into_inner().unwrap(), input);
//! ```

use std::io::{self, Write};

use crate::diag::Error;
use crate::encoding::Encoding;
use crate::field::FieldWriteError;
use crate::person::PersonRecord;
use crate::read::Item;

pub use crate::diag::WriteError;

/// Writes bytes read in `from` to `out` in `to`, unchanged when no conversion is needed.
pub(crate) fn write_raw(
    bytes: &[u8],
    from: Encoding,
    to: Encoding,
    out: &mut Vec<u8>,
) -> Result<(), FieldWriteError> {
    if from == to || bytes.is_ascii() {
        out.extend_from_slice(bytes);
        return Ok(());
    }
    let text = from.decode(bytes);
    let encoded = to.encode(&text).map_err(|e| FieldWriteError::Unmappable {
        position: e.position,
    })?;
    out.extend_from_slice(&encoded);
    Ok(())
}

/// Writes items and records to an [`io::Write`], through one reused buffer.
#[derive(Debug)]
pub struct Writer<W: Write> {
    inner: W,
    encoding: Encoding,
    buf: Vec<u8>,
}

impl<W: Write> Writer<W> {
    /// A writer producing `encoding`.
    pub fn new(inner: W, encoding: Encoding) -> Self {
        Writer {
            inner,
            encoding,
            buf: Vec::with_capacity(64 * 1024),
        }
    }

    fn flush_if_full(&mut self) -> io::Result<()> {
        if self.buf.len() >= 60 * 1024 {
            self.inner.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }

    /// Writes an item (record, envelope or malformed line).
    pub fn write_item(&mut self, item: &Item<'_>) -> Result<(), Error> {
        let mark = self.buf.len();
        if let Err(e) = item.write_to(self.encoding, &mut self.buf) {
            self.buf.truncate(mark);
            return Err(e.into());
        }
        Ok(self.flush_if_full()?)
    }

    /// Writes a record.
    pub fn write_record(&mut self, record: &PersonRecord<'_>) -> Result<(), Error> {
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
        &self.inner
    }

    /// Flushes buffered bytes.
    pub fn flush(&mut self) -> io::Result<()> {
        self.inner.write_all(&self.buf)?;
        self.buf.clear();
        self.inner.flush()
    }

    /// Flushes and returns the inner writer.
    pub fn into_inner(mut self) -> io::Result<W> {
        self.flush()?;
        Ok(self.inner)
    }
}
