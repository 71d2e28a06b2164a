//! Diagnostics and errors (*virheilmoitukset*).
//!
//! Every problem the parser finds is a [`Diagnostic`]: where it is (1-based line, 0-based byte
//! column in that line, group code, field name), what is wrong ([`DiagnosticKind`]) and how bad
//! it is ([`Severity`]). In [`Mode::Lenient`] diagnostics are collected and parsing goes on; in
//! [`Mode::Strict`] the first error stops parsing with an [`Error`].
//!
//! Values are personal data: a diagnostic carries the offending bytes only when the caller asked
//! for them ([`crate::ParseOptions::capture_values`]), and `Display` prints them only then.
//!
//! ```
//! use muutostieto::{Diagnostic, DiagnosticKind, Severity};
//! let d = Diagnostic::new(3, 27, DiagnosticKind::UnknownGroup).with_group(*b"999");
//! assert_eq!(d.severity, Severity::Error);
//! assert_eq!(d.to_string(), "line 3, column 27, group 999: error: unknown group code (kept as raw bytes)");
//! ```

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;

use crate::hetu::HetuError;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Unusual but well-formed: kept, typed and written back; never stops strict mode.
    Warning,
    /// Malformed: the bytes are kept (raw) but their meaning is lost; stops strict mode.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// Parsing mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Collect diagnostics and keep going (the command-line default).
    #[default]
    Lenient,
    /// Stop at the first error. A wrong header group count is an error here (a warning in
    /// lenient mode, because hand-made files often get it wrong).
    Strict,
}

/// A three-character group code (*ryhmätunnus*) as it stands in the file, e.g. `004`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GroupCode(pub [u8; 3]);

impl GroupCode {
    /// The code as text (`?` for bytes that are not printable ASCII; codes are not personal data).
    pub fn as_string(&self) -> String {
        self.0
            .iter()
            .map(|&b| {
                if b.is_ascii_graphic() || b == b' ' {
                    b as char
                } else {
                    '?'
                }
            })
            .collect()
    }

    /// The numeric value when the code is three digits.
    pub fn number(&self) -> Option<u16> {
        if self.0.iter().all(u8::is_ascii_digit) {
            Some(
                self.0
                    .iter()
                    .fold(0u16, |n, &d| n * 10 + u16::from(d - b'0')),
            )
        } else {
            None
        }
    }
}

impl fmt::Display for GroupCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.as_string())
    }
}

impl fmt::Debug for GroupCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "GroupCode({})", self.as_string())
    }
}

impl Serialize for GroupCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match std::str::from_utf8(&self.0) {
            Ok(code) if self.0.iter().all(|b| b.is_ascii_graphic()) => s.serialize_str(code),
            _ => s.serialize_str(&self.as_string()),
        }
    }
}

/// What is wrong. No variant holds a value from the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum DiagnosticKind {
    /// The line is shorter than the record header.
    #[error("line too short for the {expected}-byte header ({found} bytes)")]
    ShortLine {
        /// Header length.
        expected: usize,
        /// Line length.
        found: usize,
    },
    /// The header is not followed by `|`.
    #[error("header is not followed by '|'")]
    MissingHeaderSeparator,
    /// The header's group count is not two digits.
    #[error("group count is not a number")]
    InvalidGroupCount,
    /// The header's group count differs from the groups on the line.
    #[error("header says {declared} groups, the line has {found}")]
    GroupCountMismatch {
        /// Count in the header.
        declared: u32,
        /// Groups found on the line.
        found: usize,
    },
    /// A group code that no layout describes; the group is kept as raw bytes up to the next `|`.
    #[error("unknown group code (kept as raw bytes)")]
    UnknownGroup,
    /// A group shorter than a code and a change attribute.
    #[error("group shorter than 4 characters (kept as raw bytes)")]
    ShortGroup,
    /// A known group that ends before its fixed length (kept raw).
    #[error("group truncated: {found} of {expected} characters (kept as raw bytes)")]
    TruncatedGroup {
        /// The layout's length.
        expected: usize,
        /// Characters available.
        found: usize,
    },
    /// A known group whose fixed length does not end at `|` or the end of the line (kept raw).
    #[error("group is {found} characters, its layout says {expected} (kept as raw bytes)")]
    GroupLength {
        /// The layout's length (the first one, for codes with two layouts).
        expected: usize,
        /// Characters up to the next `|`.
        found: usize,
    },
    /// The last group is not followed by `|` (accepted and reproduced on write).
    #[error("last group is not followed by '|'")]
    MissingFinalSeparator,
    /// A line ended by a lone carriage return.
    #[error("line ends with a bare CR")]
    BareCr,
    /// A line longer than the reader's limit; it was skipped.
    #[error("line longer than the limit of {limit} bytes (skipped)")]
    LineTooLong {
        /// The limit in bytes.
        limit: usize,
    },
    /// A continuation line (`J` at index 22) with no record before it; kept as a record.
    #[error("continuation line with no record before it")]
    OrphanContinuation,
    /// `J` in the role byte (index 23) but not in the change-type byte (index 22).
    #[error(
        "'J' at index 23 (role), not at index 22 (change type): not treated as a continuation"
    )]
    ContinuationFlagInRole,
    /// A qualifying group (320, 451, 452) with no group before it to qualify.
    #[error("qualifying group with no host group before it")]
    OrphanQualifier,
    /// A date field that is not `yyyymmdd`, `yyyymm00`, `yyyy0000`, `00000000` or `99990000`.
    #[error("invalid date")]
    InvalidDate,
    /// A numeric field with other characters than digits (blank is allowed).
    #[error("not a zero-padded number")]
    NotDigits,
    /// A value that is not in the field's code table (kept as it is).
    #[error("value not in code table {table}")]
    UnknownCode {
        /// Name of the code table.
        table: &'static str,
    },
    /// A personal identity code that is not valid.
    #[error("invalid personal identity code: {}", .0.reason())]
    InvalidPersonId(#[serde(skip)] HetuError),
    /// A value that a record family's own field check rejects (e.g. a building id, VTJ-PRT).
    #[error("invalid {check}: {reason}")]
    InvalidValue {
        /// The check, named like the field kind (`building_id`, …).
        check: &'static str,
        /// What is wrong (no value).
        reason: &'static str,
    },
    /// Control characters (below 0x20, or 0x7F) inside a text field.
    #[error("control character in text")]
    ControlCharacter,
    /// Bytes that are not UTF-8 in a file read as UTF-8.
    #[error("invalid UTF-8")]
    InvalidUtf8,
    /// An input with no bytes at all: a delivery that holds nothing is worth a look.
    #[error("empty input (0 bytes)")]
    EmptyInput,
}

impl DiagnosticKind {
    /// The severity this kind has in lenient mode.
    pub fn default_severity(&self) -> Severity {
        use DiagnosticKind::*;
        match self {
            ShortLine { .. }
            | MissingHeaderSeparator
            | UnknownGroup
            | ShortGroup
            | TruncatedGroup { .. }
            | GroupLength { .. }
            | LineTooLong { .. }
            | InvalidDate
            | InvalidUtf8
            | InvalidGroupCount => Severity::Error,
            GroupCountMismatch { .. }
            | MissingFinalSeparator
            | BareCr
            | OrphanContinuation
            | ContinuationFlagInRole
            | OrphanQualifier
            | NotDigits
            | UnknownCode { .. }
            | InvalidPersonId(_)
            | InvalidValue { .. }
            | ControlCharacter
            | EmptyInput => Severity::Warning,
        }
    }

    /// A short stable name (`unknown_group`, `invalid_date`, …) for statistics and JSON.
    pub fn name(&self) -> &'static str {
        use DiagnosticKind::*;
        match self {
            ShortLine { .. } => "short_line",
            MissingHeaderSeparator => "missing_header_separator",
            InvalidGroupCount => "invalid_group_count",
            GroupCountMismatch { .. } => "group_count_mismatch",
            UnknownGroup => "unknown_group",
            ShortGroup => "short_group",
            TruncatedGroup { .. } => "truncated_group",
            GroupLength { .. } => "group_length",
            MissingFinalSeparator => "missing_final_separator",
            BareCr => "bare_cr",
            LineTooLong { .. } => "line_too_long",
            OrphanContinuation => "orphan_continuation",
            ContinuationFlagInRole => "continuation_flag_in_role",
            OrphanQualifier => "orphan_qualifier",
            InvalidDate => "invalid_date",
            NotDigits => "not_digits",
            UnknownCode { .. } => "unknown_code",
            InvalidPersonId(_) => "invalid_person_id",
            InvalidValue { .. } => "invalid_value",
            ControlCharacter => "control_character",
            InvalidUtf8 => "invalid_utf8",
            EmptyInput => "empty_input",
        }
    }
}

/// One problem found in the input, with its position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// 1-based line number.
    pub line: u64,
    /// 0-based byte column in the line.
    pub column: usize,
    /// The group the problem is in, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<GroupCode>,
    /// The field the problem is in, if any (the English field name of the layout).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<Cow<'static, str>>,
    /// How bad it is.
    pub severity: Severity,
    /// What is wrong.
    #[serde(flatten)]
    pub kind: DiagnosticKind,
    /// The offending bytes, decoded; present only when the caller asked for values.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

impl Diagnostic {
    /// A diagnostic at a position, with the kind's default severity.
    pub fn new(line: u64, column: usize, kind: DiagnosticKind) -> Self {
        Diagnostic {
            line,
            column,
            group: None,
            field: None,
            severity: kind.default_severity(),
            kind,
            value: None,
        }
    }

    /// Sets the group code.
    pub fn with_group(mut self, code: [u8; 3]) -> Self {
        self.group = Some(GroupCode(code));
        self
    }

    /// Sets the field name.
    pub fn with_field(mut self, field: impl Into<Cow<'static, str>>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// Attaches the offending value (only call this when the user asked for values).
    pub fn with_value(mut self, value: String) -> Self {
        self.value = Some(value);
        self
    }

    /// True for [`Severity::Error`].
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)?;
        if let Some(g) = &self.group {
            write!(f, ", group {g}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ", field {field}")?;
        }
        write!(f, ": {}: {}", self.severity, self.kind)?;
        if let Some(v) = &self.value {
            write!(f, " (value {v:?})")?;
        }
        Ok(())
    }
}

/// Why a field value cannot be written at its width.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FieldWriteError {
    /// The value is wider than the field.
    #[error("value is {len} characters, the field is {width}")]
    TooLong {
        /// Field width.
        width: usize,
        /// Value width.
        len: usize,
    },
    /// A value built in code that the field's form cannot hold (a date after 9999, a partial
    /// date with month 13, …): writing it would give another value.
    #[error("value cannot be written in this field's form")]
    NotRepresentable,
    /// A character cannot be written in the output encoding.
    #[error("character at position {position} has no code in the output encoding")]
    Unmappable {
        /// 0-based character position.
        position: usize,
    },
}

impl From<crate::encoding::Unmappable> for FieldWriteError {
    fn from(e: crate::encoding::Unmappable) -> Self {
        FieldWriteError::Unmappable {
            position: e.position,
        }
    }
}

/// A value that cannot be written at its width or in the output encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("cannot write {}field {field}: {kind}", group.map(|g| format!("group {g}, ")).unwrap_or_default())]
pub struct WriteError {
    /// The group, if the field is in one.
    pub group: Option<GroupCode>,
    /// The field name.
    pub field: &'static str,
    /// What is wrong.
    pub kind: FieldWriteError,
}

/// The crate's error type: an I/O error, or the problem that stopped strict parsing.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading or writing failed.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// Strict mode met a problem.
    #[error("{0}")]
    Invalid(Box<Diagnostic>),
    /// A record could not be written.
    #[error("{0}")]
    Write(#[from] WriteError),
    /// A line that should hold one record holds none (an envelope line, or nothing).
    #[error("line {line}: not a record line")]
    NotARecord {
        /// 1-based line number.
        line: u64,
    },
    /// Reading had already stopped at a strict-mode error.
    #[error("reading stopped at an earlier error")]
    Stopped,
}

impl From<Diagnostic> for Error {
    fn from(d: Diagnostic) -> Self {
        Error::Invalid(Box::new(d))
    }
}

/// Where diagnostics go while a record is parsed; decides whether strict mode stops.
#[derive(Debug)]
pub struct Sink<'d> {
    pub(crate) mode: Mode,
    pub(crate) out: &'d mut Vec<Diagnostic>,
    /// Set when strict mode met its first error.
    pub(crate) failed: bool,
}

impl<'d> Sink<'d> {
    /// A sink that appends to `out`.
    pub fn new(mode: Mode, out: &'d mut Vec<Diagnostic>) -> Self {
        Sink {
            mode,
            out,
            failed: false,
        }
    }

    /// Records a diagnostic (escalating a group-count mismatch to an error in strict mode).
    pub fn push(&mut self, mut d: Diagnostic) {
        if self.mode == Mode::Strict {
            if matches!(d.kind, DiagnosticKind::GroupCountMismatch { .. }) {
                d.severity = Severity::Error;
            }
            if d.is_error() {
                self.failed = true;
            }
        }
        self.out.push(d);
    }
}
