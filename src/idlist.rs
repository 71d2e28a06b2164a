//! Person-id list files (`.HTT`, *henkilötunnuslista*).
//!
//! A customer sends such a file to DVV to say which persons' changes it
//! wants to follow. The file is ASCII text:
//!
//! ```text
//! '''ED2'''VRK:003702454372:OVT'TIETO:0037OPHALL:OVT'201711161327'1'STX:INHOUSE'TYP:MUTPHT'NRQ:0'''
//! 010141-412AL
//! 060371-807MP
//! '''EOF'''2'
//! ```
//!
//! * the header (*otsikko*, an "ED2" envelope) with apostrophe-separated
//!   segments: receiver `VRK:<id>:OVT` (VRK = the registry), sender
//!   `TIETO:<id>:OVT` (the customer), timestamp `yyyyMMddHHmm`, `1`,
//!   `STX:INHOUSE`, message type `TYP:MUTPHT` and `NRQ:0`;
//! * body lines: an 11-character identity code followed by `L` (add,
//!   *lisäys*) or `P` (remove, *poisto*);
//! * the trailer `'''EOF'''<count>'` where count is the number of body lines.
//!
//! Lines may end in LF, CR LF or CR, and the last line may lack a line
//! ending (the real sample has none after the trailer).
//!
//! [`parse`] is lenient: it never fails and never panics, it returns the
//! list together with [`IdListDiagnostic`]s. [`parse_strict`] stops at the
//! first diagnostic. [`write()`] reproduces the parsed input byte for byte,
//! because every line is kept as a raw slice with its line ending
//! ([`IdList::lines`]); the typed fields are interpretations of those lines.
//! [`IdListBuilder`] makes new lists.
//!
//! Diagnostics report line, column and what is wrong but never an
//! identity code or any other value from the input.
//!
//! # Example
//!
//! ```
//! use chrono::NaiveDate;
//! use muutostieto::hetu::Hetu;
//! use muutostieto::idlist::{self, Action, IdListBuilder, LineEnding};
//!
//! let ts = NaiveDate::from_ymd_opt(2017, 11, 16).unwrap().and_hms_opt(13, 27, 0).unwrap();
//! let add = Hetu::make(NaiveDate::from_ymd_opt(1990, 5, 1).unwrap(), 901, false).unwrap();
//! let bytes = IdListBuilder::new(None, None, ts)
//!     .add(add)
//!     .remove(b"010101A900R")
//!     .build_bytes(LineEnding::Lf)?;
//!
//! let (list, diagnostics) = idlist::parse(&bytes);
//! assert!(diagnostics.is_empty());
//! assert_eq!(list.header.as_ref().unwrap().sender_id(), Some("0037OPHALL"));
//! assert_eq!(list.header.as_ref().unwrap().timestamp(), Some(ts));
//! assert_eq!(list.entries.len(), 2);
//! assert_eq!(list.entries[1].action, Action::Remove);
//! assert_eq!(list.trailer.as_ref().unwrap().count, Some(2));
//! assert_eq!(list.to_bytes(), bytes);
//!
//! // A problem is reported by position only.
//! let broken = String::from_utf8(bytes).unwrap().replace("A900R", "A900S");
//! let (_, diagnostics) = idlist::parse(broken.as_bytes());
//! assert_eq!(diagnostics[0].to_string(),
//!            "line 3, column 10: error: invalid identity code: check character does not match");
//! # Ok::<(), idlist::BuildError>(())
//! ```

use std::collections::HashMap;
use std::fmt;
use std::io::{self, Write};

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};

use crate::diag::Severity;
pub use crate::frame::LineEnding;
use crate::hetu::{Hetu, HetuError, HETU_LEN};

/// Start of the header line.
pub const HEADER_START: &[u8] = b"'''ED2'''";
/// End of the header line.
pub const HEADER_END: &[u8] = b"'''";
/// Start of the trailer line.
pub const TRAILER_START: &[u8] = b"'''EOF'''";
/// Receiver id used when none is given: the registry (VRK/DVV) OVT id.
pub const DEFAULT_RECEIVER_ID: &str = "003702454372";
/// Sender id used when none is given (the customer in the sample file).
pub const DEFAULT_SENDER_ID: &str = "0037OPHALL";
/// Message type of a person-id list.
pub const MESSAGE_TYPE: &str = "MUTPHT";

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
const ENTRY_LEN: usize = HETU_LEN + 1;

/// What a body line asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// `L`: start following the person (*lisäys*).
    Add,
    /// `P`: stop following the person (*poisto*).
    Remove,
    /// Any other byte (reported as [`IdListProblem::UnknownAction`]).
    Unknown(u8),
}

impl Action {
    /// Interprets an action byte.
    pub fn from_byte(b: u8) -> Action {
        match b {
            b'L' => Action::Add,
            b'P' => Action::Remove,
            other => Action::Unknown(other),
        }
    }

    /// The action byte as written.
    pub fn as_byte(&self) -> u8 {
        match *self {
            Action::Add => b'L',
            Action::Remove => b'P',
            Action::Unknown(b) => b,
        }
    }
}

/// One body line: identity code plus action. The id is *not* necessarily
/// valid (see [`Entry::hetu`]); invalid ids are reported as diagnostics.
///
/// `Debug` does not print the id.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Entry<'a> {
    /// The 11 bytes of the identity code as written.
    pub id: &'a [u8],
    /// `L`/`P`.
    pub action: Action,
    /// 1-based line number.
    pub line: usize,
}

impl<'a> Entry<'a> {
    /// Validates the id.
    pub fn hetu(&self) -> Result<Hetu<'a>, HetuError> {
        Hetu::parse(self.id)
    }
}

impl fmt::Debug for Entry<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Entry")
            .field("id", &"..")
            .field("action", &self.action)
            .field("line", &self.line)
            .finish()
    }
}

/// The trailer line `'''EOF'''<count>'`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Trailer<'a> {
    /// The whole line without its line ending.
    pub raw: &'a [u8],
    /// The bytes after `'''EOF'''` up to (not including) the closing
    /// apostrophe, or to the end of the line if there is none.
    pub count_raw: &'a [u8],
    /// The count, when `count_raw` is a plain decimal number that fits in
    /// `u64` and the closing apostrophe is there.
    pub count: Option<u64>,
    /// 1-based line number.
    pub line: usize,
}

/// Which part of the header a diagnostic is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HeaderSegment {
    /// The start marker `'''ED2'''`.
    Start,
    /// Receiver (*vastaanottaja*) `VRK:<id>:OVT`.
    Receiver,
    /// Sender (*lähettäjä*) `TIETO:<id>:OVT`.
    Sender,
    /// Creation time `yyyyMMddHHmm` (*aikaleima*).
    Timestamp,
    /// The constant `1` after the timestamp (meaning undocumented).
    Flag,
    /// Syntax `STX:INHOUSE`.
    Syntax,
    /// Message type `TYP:MUTPHT`.
    MessageType,
    /// `NRQ:0`.
    Nrq,
    /// The end marker `'''`.
    End,
    /// Segments after `NRQ:0`.
    Extra,
}

impl HeaderSegment {
    const ORDER: [HeaderSegment; 7] = [
        HeaderSegment::Receiver,
        HeaderSegment::Sender,
        HeaderSegment::Timestamp,
        HeaderSegment::Flag,
        HeaderSegment::Syntax,
        HeaderSegment::MessageType,
        HeaderSegment::Nrq,
    ];

    fn index(self) -> Option<usize> {
        HeaderSegment::ORDER.iter().position(|s| *s == self)
    }
}

impl fmt::Display for HeaderSegment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            HeaderSegment::Start => "start marker '''ED2'''",
            HeaderSegment::Receiver => "receiver (VRK:<id>:OVT)",
            HeaderSegment::Sender => "sender (TIETO:<id>:OVT)",
            HeaderSegment::Timestamp => "timestamp (yyyyMMddHHmm)",
            HeaderSegment::Flag => "flag (1)",
            HeaderSegment::Syntax => "syntax (STX:INHOUSE)",
            HeaderSegment::MessageType => "message type (TYP:MUTPHT)",
            HeaderSegment::Nrq => "NRQ:0",
            HeaderSegment::End => "end marker '''",
            HeaderSegment::Extra => "extra segment",
        })
    }
}

/// One apostrophe-separated header segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Segment<'a> {
    /// 0-based byte offset in the header line.
    pub column: usize,
    /// The segment without the separators.
    pub bytes: &'a [u8],
}

/// The header line (*otsikkotietue*, "ED2" envelope), with typed access to
/// its segments. The raw bytes are kept, so nothing is lost.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Envelope<'a> {
    raw: &'a [u8],
    has_bom: bool,
    segments: Vec<Segment<'a>>,
    timestamp: Option<NaiveDateTime>,
}

/// Returns the id in `<prefix><id>:OVT` when it is a valid party id.
fn party_id<'a>(segment: &'a [u8], prefix: &[u8]) -> Option<&'a str> {
    let id = segment.strip_prefix(prefix)?.strip_suffix(b":OVT")?;
    if is_party_id(id) {
        std::str::from_utf8(id).ok()
    } else {
        None
    }
}

/// Sender/receiver ids: non-empty ASCII letters and digits.
fn is_party_id(id: &[u8]) -> bool {
    !id.is_empty() && id.iter().all(u8::is_ascii_alphanumeric)
}

fn parse_timestamp(bytes: &[u8]) -> Option<NaiveDateTime> {
    if bytes.len() != 12 || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let num = |from: usize, to: usize| -> Option<u32> {
        bytes
            .get(from..to)?
            .iter()
            .try_fold(0u32, |acc, &d| Some(acc * 10 + u32::from(d - b'0')))
    };
    let year = i32::try_from(num(0, 4)?).ok()?;
    NaiveDate::from_ymd_opt(year, num(4, 6)?, num(6, 8)?)?.and_hms_opt(num(8, 10)?, num(10, 12)?, 0)
}

impl<'a> Envelope<'a> {
    /// The whole header line without its line ending (including a UTF-8
    /// byte order mark if there was one).
    pub fn raw(&self) -> &'a [u8] {
        self.raw
    }

    /// Whether the line started with a UTF-8 byte order mark.
    pub fn has_bom(&self) -> bool {
        self.has_bom
    }

    /// All segments between `'''ED2'''` and the closing `'''`, in order.
    pub fn segments(&self) -> &[Segment<'a>] {
        &self.segments
    }

    /// The raw bytes of a known segment, if present.
    /// [`HeaderSegment::Start`], [`HeaderSegment::End`] and
    /// [`HeaderSegment::Extra`] give `None`; use [`Envelope::extra_segments`].
    pub fn segment(&self, which: HeaderSegment) -> Option<&'a [u8]> {
        which
            .index()
            .and_then(|i| self.segments.get(i))
            .map(|s| s.bytes)
    }

    /// Receiver id from `VRK:<id>:OVT` (`003702454372` in practice).
    pub fn receiver_id(&self) -> Option<&'a str> {
        party_id(self.segment(HeaderSegment::Receiver)?, b"VRK:")
    }

    /// Sender (customer) id from `TIETO:<id>:OVT`.
    pub fn sender_id(&self) -> Option<&'a str> {
        party_id(self.segment(HeaderSegment::Sender)?, b"TIETO:")
    }

    /// The timestamp segment as written.
    pub fn timestamp_raw(&self) -> Option<&'a [u8]> {
        self.segment(HeaderSegment::Timestamp)
    }

    /// The timestamp, if it is a valid `yyyyMMddHHmm`.
    ///
    /// Note: the known Java producer formats with the week-based year
    /// pattern `YYYY`, so files made in the last days of December may carry
    /// the next year.
    pub fn timestamp(&self) -> Option<NaiveDateTime> {
        self.timestamp
    }

    /// Message type from `TYP:<type>` (`MUTPHT` for these lists).
    pub fn message_type(&self) -> Option<&'a str> {
        let t = self
            .segment(HeaderSegment::MessageType)?
            .strip_prefix(b"TYP:")?;
        std::str::from_utf8(t).ok()
    }

    /// Segments after the seven known ones.
    pub fn extra_segments(&self) -> &[Segment<'a>] {
        self.segments
            .get(HeaderSegment::ORDER.len()..)
            .unwrap_or(&[])
    }

    /// Parses a header line (which must start with `'''ED2'''`, optionally
    /// after a BOM), pushing diagnostics for line `line`.
    fn parse(raw: &'a [u8], line: usize, diags: &mut Vec<IdListDiagnostic>) -> Envelope<'a> {
        let (has_bom, offset) = if raw.starts_with(UTF8_BOM) {
            (true, UTF8_BOM.len())
        } else {
            (false, 0)
        };
        let mut push = |column: usize, severity: Severity, kind: IdListProblem| {
            diags.push(IdListDiagnostic {
                line,
                column,
                severity,
                kind,
            })
        };
        if has_bom {
            push(0, Severity::Warning, IdListProblem::ByteOrderMark);
        }
        let body_start = offset + HEADER_START.len();
        let after_start = raw.get(body_start..).unwrap_or(&[]);
        let inner = match after_start.strip_suffix(HEADER_END) {
            Some(inner) => inner,
            None => {
                push(
                    raw.len(),
                    Severity::Error,
                    IdListProblem::BadHeader {
                        segment: HeaderSegment::End,
                    },
                );
                after_start
            }
        };
        let mut segments = Vec::new();
        let mut column = body_start;
        for bytes in inner.split(|&b| b == b'\'') {
            segments.push(Segment { column, bytes });
            column += bytes.len() + 1;
        }
        let end_column = body_start + inner.len();
        let mut timestamp = None;
        for (i, which) in HeaderSegment::ORDER.iter().copied().enumerate() {
            let Some(seg) = segments.get(i) else {
                push(
                    end_column,
                    Severity::Error,
                    IdListProblem::BadHeader { segment: which },
                );
                break;
            };
            let b = seg.bytes;
            let (ok, severity) = match which {
                HeaderSegment::Receiver => (party_id(b, b"VRK:").is_some(), Severity::Error),
                HeaderSegment::Sender => (party_id(b, b"TIETO:").is_some(), Severity::Error),
                HeaderSegment::Timestamp => {
                    timestamp = parse_timestamp(b);
                    if timestamp.is_none() {
                        push(seg.column, Severity::Error, IdListProblem::BadTimestamp);
                    }
                    (true, Severity::Error)
                }
                HeaderSegment::Flag => (b == b"1", Severity::Warning),
                HeaderSegment::Syntax => (b == b"STX:INHOUSE", Severity::Warning),
                HeaderSegment::MessageType => (b == b"TYP:MUTPHT", Severity::Error),
                _ => (b == b"NRQ:0", Severity::Warning),
            };
            if !ok {
                push(
                    seg.column,
                    severity,
                    IdListProblem::BadHeader { segment: which },
                );
            }
        }
        if let Some(extra) = segments.get(HeaderSegment::ORDER.len()) {
            push(
                extra.column,
                Severity::Warning,
                IdListProblem::BadHeader {
                    segment: HeaderSegment::Extra,
                },
            );
        }
        Envelope {
            raw,
            has_bom,
            segments,
            timestamp,
        }
    }
}

/// What a line was taken to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LineKind {
    /// The header (first line).
    Header,
    /// A body line with the right length, in [`IdList::entries`].
    Entry,
    /// A non-empty body line that is not 12 bytes long (counted as a body
    /// line for the trailer count).
    Malformed,
    /// A header line that is not the first line.
    UnexpectedHeader,
    /// The trailer.
    Trailer,
    /// An empty line.
    Blank,
    /// A non-empty line after the trailer.
    Trailing,
}

/// One physical line exactly as in the input. `Debug` does not print the
/// content.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Line<'a> {
    /// 1-based line number.
    pub number: usize,
    /// The bytes without the line ending.
    pub content: &'a [u8],
    /// The line ending that followed.
    pub ending: LineEnding,
    /// How the line was interpreted.
    pub kind: LineKind,
}

impl fmt::Debug for Line<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Line")
            .field("number", &self.number)
            .field("len", &self.content.len())
            .field("ending", &self.ending)
            .field("kind", &self.kind)
            .finish()
    }
}

/// A parsed person-id list (*henkilötunnuslista*), borrowing the input.
///
/// [`write()`] serialises [`IdList::lines`]; the other fields are typed
/// views of those lines (editing them does not change what is written —
/// use [`IdListBuilder`] to make a new list).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdList<'a> {
    /// The header, when the first line is one.
    pub header: Option<Envelope<'a>>,
    /// All body lines of the right length, in file order (including ones
    /// with invalid ids or unknown actions).
    pub entries: Vec<Entry<'a>>,
    /// The trailer, when present.
    pub trailer: Option<Trailer<'a>>,
    /// Every line of the input, in order, with its line ending.
    pub lines: Vec<Line<'a>>,
}

impl<'a> IdList<'a> {
    /// The entries with [`Action::Add`].
    pub fn adds(&self) -> impl Iterator<Item = &Entry<'a>> + '_ {
        self.entries.iter().filter(|e| e.action == Action::Add)
    }

    /// The entries with [`Action::Remove`].
    pub fn removes(&self) -> impl Iterator<Item = &Entry<'a>> + '_ {
        self.entries.iter().filter(|e| e.action == Action::Remove)
    }

    /// The first line ending in the file (`None` for a single line without one).
    pub fn line_ending(&self) -> LineEnding {
        self.lines
            .iter()
            .map(|l| l.ending)
            .find(|e| *e != LineEnding::None)
            .unwrap_or(LineEnding::None)
    }

    /// The bytes [`write()`] produces (for a parsed list, exactly the input).
    pub fn to_bytes(&self) -> Vec<u8> {
        let len = self
            .lines
            .iter()
            .map(|l| l.content.len() + l.ending.as_bytes().len())
            .sum();
        let mut out = Vec::with_capacity(len);
        for l in &self.lines {
            out.extend_from_slice(l.content);
            out.extend_from_slice(l.ending.as_bytes());
        }
        out
    }
}

/// What a diagnostic is about. Messages never contain input values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum IdListProblem {
    /// The first line is not a header (or the input is empty).
    #[error("missing header line (expected '''ED2''' at the start)")]
    MissingHeader,
    /// A header segment is missing or malformed.
    #[error("malformed header: {segment}")]
    BadHeader {
        /// Which segment.
        segment: HeaderSegment,
    },
    /// The header timestamp is not a valid `yyyyMMddHHmm`.
    #[error("header timestamp is not a valid yyyyMMddHHmm date and time")]
    BadTimestamp,
    /// The file starts with a UTF-8 byte order mark (warning).
    #[error("UTF-8 byte order mark before the header")]
    ByteOrderMark,
    /// A header line other than the first line.
    #[error("header line after the first line")]
    UnexpectedHeader,
    /// An empty line (warning).
    #[error("blank line")]
    BlankLine,
    /// Different line endings in one file (warning, reported once).
    #[error("line ending differs from the first line's")]
    MixedLineEndings,
    /// A body line is not 12 bytes (11-character id + action).
    #[error("entry line must be 12 bytes: an 11-character identity code followed by L or P")]
    BadEntryLength,
    /// The identity code of an entry is invalid.
    #[error("invalid identity code: {}", .0.reason())]
    InvalidId(HetuError),
    /// The action byte is neither `L` nor `P`.
    #[error("unknown action (expected L or P)")]
    UnknownAction,
    /// Same id with the same action again (warning).
    #[error("duplicate entry: same identity code and action as line {first_line}")]
    DuplicateEntry {
        /// Line of the first occurrence.
        first_line: usize,
    },
    /// No trailer line.
    #[error("missing trailer line '''EOF'''<count>'")]
    MissingTrailer,
    /// The trailer is not `'''EOF'''<count>'`.
    #[error("malformed trailer (expected '''EOF'''<count>')")]
    BadTrailer,
    /// The trailer's count does not match the number of body lines (all
    /// non-blank lines between the header and the trailer except stray
    /// header lines: [`LineKind::Entry`] and [`LineKind::Malformed`]).
    #[error("trailer count is {found} but the file has {expected} body lines")]
    TrailerCountMismatch {
        /// Number of body lines in the file.
        expected: u64,
        /// Count written in the trailer.
        found: u64,
    },
    /// Non-empty lines after the trailer (reported once).
    #[error("data after the trailer line")]
    TrailingData,
}

/// A problem found while parsing, with its position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[error("line {line}, column {column}: {severity}: {kind}")]
pub struct IdListDiagnostic {
    /// 1-based line number.
    pub line: usize,
    /// 0-based byte offset in the line.
    pub column: usize,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong.
    pub kind: IdListProblem,
}

/// Splits into lines, each with its line ending; concatenating them gives
/// back the input exactly.
fn split_lines(input: &[u8]) -> Vec<(&[u8], LineEnding)> {
    let mut out = Vec::new();
    let mut rest = input;
    while !rest.is_empty() {
        let Some(i) = memchr::memchr2(b'\n', b'\r', rest) else {
            out.push((rest, LineEnding::None));
            break;
        };
        let (content, tail) = rest.split_at(i);
        let (ending, skip) = match tail {
            [b'\r', b'\n', ..] => (LineEnding::CrLf, 2),
            [b'\r', ..] => (LineEnding::Cr, 1),
            _ => (LineEnding::Lf, 1),
        };
        out.push((content, ending));
        rest = tail.get(skip..).unwrap_or(&[]);
    }
    out
}

fn is_header_line(content: &[u8]) -> bool {
    content.starts_with(HEADER_START)
        || content
            .strip_prefix(UTF8_BOM)
            .is_some_and(|c| c.starts_with(HEADER_START))
}

fn parse_trailer(raw: &[u8], line: usize) -> (Trailer<'_>, Option<IdListDiagnostic>) {
    let rest = raw.get(TRAILER_START.len()..).unwrap_or(&[]);
    let (count_raw, closed) = match rest.iter().position(|&b| b == b'\'') {
        Some(i) => (rest.get(..i).unwrap_or(&[]), true),
        None => (rest, false),
    };
    let count = if count_raw.is_empty() || !count_raw.iter().all(u8::is_ascii_digit) {
        None
    } else {
        count_raw.iter().try_fold(0u64, |acc, &d| {
            acc.checked_mul(10)?.checked_add(u64::from(d - b'0'))
        })
    };
    let well_formed = count.is_some() && closed && rest.len() == count_raw.len() + 1;
    let diag = (!well_formed).then(|| {
        let offset = match count_raw.iter().position(|b| !b.is_ascii_digit()) {
            Some(i) => i,
            // Empty or too large for u64.
            None if count.is_none() => 0,
            // The closing apostrophe is missing.
            None if !closed => count_raw.len(),
            // Something after the closing apostrophe.
            None => count_raw.len() + 1,
        };
        IdListDiagnostic {
            line,
            column: TRAILER_START.len() + offset,
            severity: Severity::Error,
            kind: IdListProblem::BadTrailer,
        }
    });
    let trailer = Trailer {
        raw,
        count_raw,
        count: if well_formed { count } else { None },
        line,
    };
    (trailer, diag)
}

/// Parses a person-id list leniently: never fails, never panics.
///
/// Returns the list and all diagnostics sorted by position. Whatever the
/// input, [`write()`] of the returned list gives the input back exactly.
pub fn parse(input: &[u8]) -> (IdList<'_>, Vec<IdListDiagnostic>) {
    let raw_lines = split_lines(input);
    let mut diags = Vec::new();
    let mut lines = Vec::with_capacity(raw_lines.len());
    let mut header = None;
    let mut entries = Vec::with_capacity(raw_lines.len());
    let mut trailer: Option<Trailer<'_>> = None;
    let mut seen: HashMap<(&[u8], Action), usize> = HashMap::new();
    let mut body_lines: u64 = 0;
    let mut first_ending = None;
    let mut mixed_reported = false;
    let mut trailing_reported = false;

    for (idx, (content, ending)) in raw_lines.iter().copied().enumerate() {
        let number = idx + 1;
        let diag = |diags: &mut Vec<IdListDiagnostic>, column, severity, kind| {
            diags.push(IdListDiagnostic {
                line: number,
                column,
                severity,
                kind,
            })
        };
        if ending != LineEnding::None {
            match first_ending {
                None => first_ending = Some(ending),
                Some(first) if first != ending && !mixed_reported => {
                    mixed_reported = true;
                    diag(
                        &mut diags,
                        content.len(),
                        Severity::Warning,
                        IdListProblem::MixedLineEndings,
                    );
                }
                Some(_) => {}
            }
        }
        let header_like = is_header_line(content);
        if number == 1 && !header_like {
            diag(&mut diags, 0, Severity::Error, IdListProblem::MissingHeader);
        }
        let kind = if trailer.is_some() {
            if content.is_empty() {
                diag(&mut diags, 0, Severity::Warning, IdListProblem::BlankLine);
                LineKind::Blank
            } else {
                if !trailing_reported {
                    trailing_reported = true;
                    diag(&mut diags, 0, Severity::Error, IdListProblem::TrailingData);
                }
                LineKind::Trailing
            }
        } else if header_like {
            if number == 1 {
                header = Some(Envelope::parse(content, number, &mut diags));
                LineKind::Header
            } else {
                diag(
                    &mut diags,
                    0,
                    Severity::Error,
                    IdListProblem::UnexpectedHeader,
                );
                LineKind::UnexpectedHeader
            }
        } else if content.starts_with(TRAILER_START) {
            let (t, d) = parse_trailer(content, number);
            diags.extend(d);
            if let Some(found) = t.count {
                if found != body_lines {
                    diags.push(IdListDiagnostic {
                        line: number,
                        column: TRAILER_START.len(),
                        severity: Severity::Error,
                        kind: IdListProblem::TrailerCountMismatch {
                            expected: body_lines,
                            found,
                        },
                    });
                }
            }
            trailer = Some(t);
            LineKind::Trailer
        } else if content.is_empty() {
            diag(&mut diags, 0, Severity::Warning, IdListProblem::BlankLine);
            LineKind::Blank
        } else {
            body_lines += 1;
            match content.split_last() {
                Some((&action_byte, id)) if content.len() == ENTRY_LEN => {
                    if let Err(e) = Hetu::parse(id) {
                        diag(
                            &mut diags,
                            e.column(),
                            Severity::Error,
                            IdListProblem::InvalidId(e),
                        );
                    }
                    let action = Action::from_byte(action_byte);
                    if let Action::Unknown(_) = action {
                        diag(
                            &mut diags,
                            HETU_LEN,
                            Severity::Error,
                            IdListProblem::UnknownAction,
                        );
                    }
                    if let Some(&first_line) = seen.get(&(id, action)) {
                        diag(
                            &mut diags,
                            0,
                            Severity::Warning,
                            IdListProblem::DuplicateEntry { first_line },
                        );
                    } else {
                        seen.insert((id, action), number);
                    }
                    entries.push(Entry {
                        id,
                        action,
                        line: number,
                    });
                    LineKind::Entry
                }
                _ => {
                    diag(
                        &mut diags,
                        content.len().min(ENTRY_LEN),
                        Severity::Error,
                        IdListProblem::BadEntryLength,
                    );
                    LineKind::Malformed
                }
            }
        };
        lines.push(Line {
            number,
            content,
            ending,
            kind,
        });
    }

    if input.is_empty() {
        diags.push(IdListDiagnostic {
            line: 1,
            column: 0,
            severity: Severity::Error,
            kind: IdListProblem::MissingHeader,
        });
    }
    if trailer.is_none() {
        // Position of the end of input.
        let (line, column) = match lines.last() {
            Some(l) if l.ending == LineEnding::None => (l.number, l.content.len()),
            Some(l) => (l.number + 1, 0),
            None => (1, 0),
        };
        diags.push(IdListDiagnostic {
            line,
            column,
            severity: Severity::Error,
            kind: IdListProblem::MissingTrailer,
        });
    }
    diags.sort_by_key(|d| (d.line, d.column));
    (
        IdList {
            header,
            entries,
            trailer,
            lines,
        },
        diags,
    )
}

/// Parses strictly: the first diagnostic (by position; warnings included)
/// is returned as the error.
pub fn parse_strict(input: &[u8]) -> Result<IdList<'_>, IdListDiagnostic> {
    let (list, diags) = parse(input);
    match diags.into_iter().next() {
        Some(d) => Err(d),
        None => Ok(list),
    }
}

/// Writes the list's lines with their line endings. For a list from
/// [`parse`] this reproduces the input exactly.
pub fn write<W: Write>(list: &IdList<'_>, mut out: W) -> io::Result<()> {
    for l in &list.lines {
        out.write_all(l.content)?;
        out.write_all(l.ending.as_bytes())?;
    }
    Ok(())
}

/// Which builder list an error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListKind {
    /// Ids given to [`IdListBuilder::add`].
    Add,
    /// Ids given to [`IdListBuilder::remove`].
    Remove,
}

impl fmt::Display for ListKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ListKind::Add => "add (L)",
            ListKind::Remove => "remove (P)",
        })
    }
}

/// Why [`IdListBuilder::build_bytes`] failed. Never contains input values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum BuildError {
    /// An id is not a valid identity code.
    #[error("invalid identity code in the {list} list at position {position}: {}", .error.reason())]
    InvalidId {
        /// Which list.
        list: ListKind,
        /// 1-based position in the order the ids were given.
        position: usize,
        /// What is wrong with it.
        error: HetuError,
    },
    /// The sender id is empty or not ASCII letters and digits.
    #[error("sender id must be non-empty ASCII letters and digits")]
    InvalidSender,
    /// The receiver id is empty or not ASCII letters and digits.
    #[error("receiver id must be non-empty ASCII letters and digits")]
    InvalidReceiver,
    /// The timestamp's year does not fit in four digits.
    #[error("timestamp year must be between 0 and 9999")]
    Timestamp,
    /// [`LineEnding::None`] was asked for.
    #[error("line ending must be CR LF, LF or CR")]
    NoLineEnding,
}

/// Builds a new person-id list.
///
/// Output: the header, all add (`L`) lines, then all remove (`P`) lines,
/// then the trailer with the number of body lines. Within each list,
/// duplicates are dropped (the first occurrence is kept); the same id may
/// be both added and removed. By default there is **no line ending after
/// the trailer**, like the real sample file (the Java producer writes one;
/// see [`IdListBuilder::final_line_ending`]).
///
/// `Debug` prints only counts, not ids.
#[derive(Clone)]
pub struct IdListBuilder {
    sender: String,
    receiver: String,
    timestamp: NaiveDateTime,
    adds: Vec<Vec<u8>>,
    removes: Vec<Vec<u8>>,
    final_line_ending: bool,
}

impl fmt::Debug for IdListBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IdListBuilder")
            .field("sender", &self.sender)
            .field("receiver", &self.receiver)
            .field("timestamp", &self.timestamp)
            .field("adds", &self.adds.len())
            .field("removes", &self.removes.len())
            .field("final_line_ending", &self.final_line_ending)
            .finish()
    }
}

impl IdListBuilder {
    /// A builder with sender and receiver ids (defaults
    /// [`DEFAULT_SENDER_ID`] and [`DEFAULT_RECEIVER_ID`] when `None`) and
    /// the header timestamp (minutes are kept, seconds dropped).
    pub fn new(sender: Option<&str>, receiver: Option<&str>, timestamp: NaiveDateTime) -> Self {
        IdListBuilder {
            sender: sender.unwrap_or(DEFAULT_SENDER_ID).to_owned(),
            receiver: receiver.unwrap_or(DEFAULT_RECEIVER_ID).to_owned(),
            timestamp,
            adds: Vec::new(),
            removes: Vec::new(),
            final_line_ending: false,
        }
    }

    /// Adds a person to follow (`L`). Validated by [`build_bytes`](Self::build_bytes).
    // The name mirrors `remove`; this is not arithmetic addition.
    #[allow(clippy::should_implement_trait)]
    pub fn add(mut self, id: impl AsRef<[u8]>) -> Self {
        self.adds.push(id.as_ref().to_vec());
        self
    }

    /// Removes a person (`P`). Validated by [`build_bytes`](Self::build_bytes).
    pub fn remove(mut self, id: impl AsRef<[u8]>) -> Self {
        self.removes.push(id.as_ref().to_vec());
        self
    }

    /// [`add`](Self::add) for each id.
    pub fn add_all<I: IntoIterator<Item = T>, T: AsRef<[u8]>>(self, ids: I) -> Self {
        ids.into_iter().fold(self, |b, id| b.add(id))
    }

    /// [`remove`](Self::remove) for each id.
    pub fn remove_all<I: IntoIterator<Item = T>, T: AsRef<[u8]>>(self, ids: I) -> Self {
        ids.into_iter().fold(self, |b, id| b.remove(id))
    }

    /// Whether to end the trailer line with a line ending too (default
    /// `false`, like the sample file).
    pub fn final_line_ending(mut self, yes: bool) -> Self {
        self.final_line_ending = yes;
        self
    }

    /// Produces the file. Fails on the first invalid id (adds checked
    /// before removes), an invalid sender/receiver id, a year outside
    /// 0–9999 or [`LineEnding::None`].
    pub fn build_bytes(&self, line_ending: LineEnding) -> Result<Vec<u8>, BuildError> {
        if line_ending == LineEnding::None {
            return Err(BuildError::NoLineEnding);
        }
        if !is_party_id(self.sender.as_bytes()) {
            return Err(BuildError::InvalidSender);
        }
        if !is_party_id(self.receiver.as_bytes()) {
            return Err(BuildError::InvalidReceiver);
        }
        let ts = self.timestamp;
        if !(0..=9999).contains(&ts.year()) {
            return Err(BuildError::Timestamp);
        }
        let adds = dedup_valid(&self.adds, ListKind::Add)?;
        let removes = dedup_valid(&self.removes, ListKind::Remove)?;
        let nl = line_ending.as_bytes();

        let mut out = Vec::with_capacity(128 + (adds.len() + removes.len()) * 14);
        out.extend_from_slice(HEADER_START);
        out.extend_from_slice(b"VRK:");
        out.extend_from_slice(self.receiver.as_bytes());
        out.extend_from_slice(b":OVT'TIETO:");
        out.extend_from_slice(self.sender.as_bytes());
        out.extend_from_slice(b":OVT'");
        out.extend_from_slice(
            format!(
                "{:04}{:02}{:02}{:02}{:02}",
                ts.year(),
                ts.month(),
                ts.day(),
                ts.hour(),
                ts.minute()
            )
            .as_bytes(),
        );
        out.extend_from_slice(b"'1'STX:INHOUSE'TYP:MUTPHT'NRQ:0");
        out.extend_from_slice(HEADER_END);
        out.extend_from_slice(nl);
        for (ids, code) in [(&adds, b'L'), (&removes, b'P')] {
            for id in ids.iter() {
                out.extend_from_slice(id);
                out.push(code);
                out.extend_from_slice(nl);
            }
        }
        out.extend_from_slice(TRAILER_START);
        out.extend_from_slice((adds.len() + removes.len()).to_string().as_bytes());
        out.push(b'\'');
        if self.final_line_ending {
            out.extend_from_slice(nl);
        }
        Ok(out)
    }
}

/// Validates every id and drops repeats (keeping the first).
fn dedup_valid(ids: &[Vec<u8>], list: ListKind) -> Result<Vec<&[u8]>, BuildError> {
    let mut seen = std::collections::HashSet::with_capacity(ids.len());
    let mut out = Vec::with_capacity(ids.len());
    for (i, id) in ids.iter().enumerate() {
        let h = Hetu::parse(id).map_err(|error| BuildError::InvalidId {
            list,
            position: i + 1,
            error,
        })?;
        if seen.insert(h.as_bytes()) {
            out.push(h.as_bytes());
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2017, 11, 16)
            .and_then(|d| d.and_hms_opt(13, 27, 0))
            .expect("timestamp")
    }

    #[test]
    fn split_keeps_everything() {
        let input = b"a\r\nb\nc\rd";
        let lines = split_lines(input);
        assert_eq!(
            lines,
            vec![
                (&b"a"[..], LineEnding::CrLf),
                (&b"b"[..], LineEnding::Lf),
                (&b"c"[..], LineEnding::Cr),
                (&b"d"[..], LineEnding::None),
            ]
        );
        assert!(split_lines(b"").is_empty());
        assert_eq!(split_lines(b"\n"), vec![(&b""[..], LineEnding::Lf)]);
        assert_eq!(
            split_lines(b"\r\r\n"),
            vec![(&b""[..], LineEnding::Cr), (&b""[..], LineEnding::CrLf)]
        );
    }

    #[test]
    fn builder_output_shape() {
        let bytes = IdListBuilder::new(None, None, ts())
            .add("131052-308T")
            .add("131052-308T")
            .remove("010101A900R")
            .add("010101A900R")
            .build_bytes(LineEnding::Lf)
            .expect("valid");
        assert_eq!(
            bytes,
            b"'''ED2'''VRK:003702454372:OVT'TIETO:0037OPHALL:OVT'201711161327'1'STX:INHOUSE'TYP:MUTPHT'NRQ:0'''\n131052-308TL\n010101A900RL\n010101A900RP\n'''EOF'''3'"
        );
    }

    #[test]
    fn builder_errors_name_position_only() {
        let err = IdListBuilder::new(None, None, ts())
            .add("131052-308T")
            .remove("131052-308T")
            .remove("131052-308U")
            .build_bytes(LineEnding::CrLf)
            .expect_err("invalid");
        assert_eq!(
            err,
            BuildError::InvalidId {
                list: ListKind::Remove,
                position: 2,
                error: HetuError::CheckCharacter { column: 10 }
            }
        );
        assert_eq!(
            err.to_string(),
            "invalid identity code in the remove (P) list at position 2: check character does not match"
        );
        let b = IdListBuilder::new(Some("a'b"), None, ts());
        assert_eq!(
            b.build_bytes(LineEnding::Lf),
            Err(BuildError::InvalidSender)
        );
        let b = IdListBuilder::new(None, Some(""), ts());
        assert_eq!(
            b.build_bytes(LineEnding::Lf),
            Err(BuildError::InvalidReceiver)
        );
        let b = IdListBuilder::new(None, None, ts());
        assert_eq!(
            b.build_bytes(LineEnding::None),
            Err(BuildError::NoLineEnding)
        );
    }

    #[test]
    fn header_problems() {
        let (list, d) = parse(b"'''ED2'''VRK:1:OVT'X:2:OVT'201713161327'1'STX:INHOUSE'TYP:MUTPHT'NRQ:0'extra'''\n'''EOF'''0'");
        let kinds: Vec<_> = d.iter().map(|d| (d.column, d.severity, d.kind)).collect();
        assert_eq!(
            kinds,
            vec![
                (
                    19,
                    Severity::Error,
                    IdListProblem::BadHeader {
                        segment: HeaderSegment::Sender
                    }
                ),
                (27, Severity::Error, IdListProblem::BadTimestamp),
                (
                    71,
                    Severity::Warning,
                    IdListProblem::BadHeader {
                        segment: HeaderSegment::Extra
                    }
                ),
            ]
        );
        let h = list.header.expect("header");
        assert_eq!(h.receiver_id(), Some("1"));
        assert_eq!(h.sender_id(), None);
        assert_eq!(h.timestamp(), None);
        assert_eq!(h.timestamp_raw(), Some(&b"201713161327"[..]));
        assert_eq!(h.message_type(), Some(MESSAGE_TYPE));
        assert_eq!(h.extra_segments().len(), 1);

        let (_, d) = parse(b"'''ED2'''VRK:1:OVT\n'''EOF'''0'");
        assert_eq!(
            d.iter().map(|d| d.kind).collect::<Vec<_>>(),
            vec![
                IdListProblem::BadHeader {
                    segment: HeaderSegment::End
                },
                IdListProblem::BadHeader {
                    segment: HeaderSegment::Sender
                },
            ]
        );
    }

    #[test]
    fn trailer_forms() {
        for (t, column, count) in [
            (&b"'''EOF'''0'"[..], None, Some(0)),
            (b"'''EOF'''15'", None, Some(15)),
            (b"'''EOF'''", Some(9), None),
            (b"'''EOF'''0", Some(10), None),
            (b"'''EOF'''x'", Some(9), None),
            (b"'''EOF'''1x'", Some(10), None),
            (b"'''EOF'''0'x", Some(11), None),
            (b"'''EOF'''99999999999999999999999'", Some(9), None),
        ] {
            let (tr, d) = parse_trailer(t, 2);
            assert_eq!(d.map(|d| d.column), column);
            assert_eq!(tr.count, count);
        }
    }
}
