//! Items of a change file: a record, or a line kept as it is (envelope or malformed).

use super::{GroupPart, Record, WritePart};
use crate::diag::{Diagnostic, WriteError};
use crate::encoding::Encoding;
use crate::frame::LineEnding;

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

/// One item of a change file: a record of some family (`R`), or a line kept as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item<'a, R> {
    /// A record (its continuation lines merged).
    Record(R),
    /// An envelope line (*kehystietue*, starting with `'''`), kept as it is.
    Envelope(RawLine<'a>),
    /// A line that could not be framed as a record, kept as it is (see the diagnostics).
    Malformed(RawLine<'a>),
    /// A line longer than the reader's limit, skipped (its content is empty; nothing is
    /// written back for it). Only the streaming and chunked readers hand these out.
    Skipped(RawLine<'a>),
}

impl<'a, R> Item<'a, R> {
    /// The same item with its record mapped by `f` (lines kept as they are).
    pub fn map<S>(self, f: impl FnOnce(R) -> S) -> Item<'a, S> {
        match self {
            Item::Record(r) => Item::Record(f(r)),
            Item::Envelope(l) => Item::Envelope(l),
            Item::Malformed(l) => Item::Malformed(l),
            Item::Skipped(l) => Item::Skipped(l),
        }
    }

    /// The item's kind as the JSON shape names it: `record`, `envelope`, `malformed`,
    /// `skipped`.
    pub fn kind(&self) -> &'static str {
        match self {
            Item::Record(_) => "record",
            Item::Envelope(_) => "envelope",
            Item::Malformed(_) => "malformed",
            Item::Skipped(_) => "skipped",
        }
    }

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
            Item::Envelope(l) | Item::Malformed(l) | Item::Skipped(l) => l.number,
        }
    }

    /// Writes the item's bytes.
    pub fn write_to(&self, enc: Encoding, out: &mut Vec<u8>) -> Result<(), WriteError> {
        match self {
            Item::Record(r) => r.write_to(enc, out),
            Item::Skipped(_) => Ok(()),
            Item::Envelope(l) | Item::Malformed(l) => {
                l.encoding
                    .transcode(l.content, enc, out)
                    .map_err(|e| WriteError {
                        group: None,
                        field: "line",
                        kind: e.into(),
                    })?;
                out.extend_from_slice(l.ending.as_bytes());
                Ok(())
            }
        }
    }
}

/// An item with the diagnostics found in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed<'a, R> {
    /// The item.
    pub item: Item<'a, R>,
    /// Its problems (empty for a clean item; no allocation then).
    pub diagnostics: Vec<Diagnostic>,
}
