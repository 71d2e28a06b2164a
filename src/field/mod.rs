//! Field types (*kenttätyypit*): the typed, borrowed value of one fixed-width field.
//!
//! Every type here keeps enough to write back the exact bytes it was parsed from:
//!
//! | type | format | an odd value is kept as |
//! |---|---|---|
//! | [`Text`] | left-aligned, space-padded | the padded bytes |
//! | [`Digits`] | zero-padded number, or blank | the raw bytes (+ `NotDigits` warning) |
//! | [`VtjDate`] | `yyyymmdd`, partial, none, indefinite | [`VtjDate::Invalid`] (+ error) |
//! | [`Code`] | a value from a [`CodeTable`] | [`Code::Unknown`] (+ warning for closed tables) |
//! | [`PersonId`] | personal identity code, or blank | the raw bytes (+ warning) |
//!
//! ```
//! use muutostieto::field::{Code, FieldValue, Text, VtjDate};
//! use muutostieto::person::codes::Sex;
//! use muutostieto::Encoding;
//!
//! let (name, _) = Text::parse_field(b"P\xe4l\xf6m\xe4ki   ", Encoding::Latin1);
//! assert_eq!(name.decode(), "Pälömäki");
//! let (date, _) = VtjDate::parse_field(b"19660500", Encoding::Latin1);
//! assert_eq!(date, VtjDate::YearMonth { year: 1966, month: 5 });
//! let (sex, problem) = Code::<Sex>::parse_field(b"2", Encoding::Latin1);
//! assert_eq!(sex.known(), Some(Sex::Female));
//! assert!(problem.is_none());
//! ```

use std::borrow::Cow;
use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

pub mod json;

use crate::diag::DiagnosticKind;
use crate::encoding::Encoding;

pub use crate::diag::FieldWriteError;

/// A fixed-width field value: how to read it from its bytes and write it back.
///
/// `parse_field` never fails: a value that does not fit the kind is kept (as raw bytes) and the
/// problem is returned beside it.
pub trait FieldValue<'a>: Sized {
    /// The kind shown in layout tables.
    const KIND: FieldKind;
    /// The code table, for code fields.
    const CODE_TABLE: Option<&'static str> = None;
    /// True when the only problems [`FieldValue::check`] finds are control characters and
    /// invalid UTF-8: a reader that has scanned a whole group for those skips the field.
    const SCANNED: bool = false;
    /// Reads the field from exactly its bytes.
    fn parse_field(raw: &'a [u8], enc: Encoding) -> (Self, Option<DiagnosticKind>);
    /// The value without checking it (the typing pass, after a checking pass has reported):
    /// the value [`FieldValue::parse_field`] gives.
    #[inline]
    fn read(raw: &'a [u8], enc: Encoding) -> Self {
        Self::parse_field(raw, enc).0
    }
    /// Writes the JSON of the field's bytes: the [`WriteJson`](json::WriteJson) text of the
    /// value [`FieldValue::read`] gives (types override it to write straight from the bytes).
    #[inline]
    fn write_json_from(raw: &'a [u8], enc: Encoding, out: &mut Vec<u8>)
    where
        Self: json::WriteJson,
    {
        json::WriteJson::write_json(&Self::read(raw, enc), enc, out)
    }
    /// The problem [`FieldValue::parse_field`] would report, without building the value (the
    /// checking pass of every reader; types override it where checking is cheaper than
    /// parsing).
    #[inline]
    fn check(raw: &'a [u8], enc: Encoding) -> Option<DiagnosticKind> {
        Self::parse_field(raw, enc).1
    }
    /// Writes the field at `width` characters in `enc`.
    fn write_field(
        &self,
        width: usize,
        enc: Encoding,
        out: &mut Vec<u8>,
    ) -> Result<(), FieldWriteError>;
}

fn pad(out: &mut Vec<u8>, byte: u8, n: usize) {
    out.extend(std::iter::repeat_n(byte, n));
}

/// Writes `bytes` (already in `enc`) left-aligned in `width` characters, padded with spaces.
pub(crate) fn write_left(
    bytes: &[u8],
    width: usize,
    enc: Encoding,
    out: &mut Vec<u8>,
) -> Result<(), FieldWriteError> {
    let len = enc.width(bytes);
    if len > width {
        return Err(FieldWriteError::TooLong { width, len });
    }
    out.extend_from_slice(bytes);
    pad(out, b' ', width - len);
    Ok(())
}

/// A field kind that a record family brings, such as the building family's identifiers: its name
/// in layout files and the check that reads its bytes. The family declares it as a `static`
/// and lists it where layout files are loaded ([`crate::layout::LayoutFile::load_with_kinds`]),
/// so the lower layers need not know it.
#[derive(Debug)]
pub struct CustomKind {
    /// The name in layout files and tables (snake_case), e.g. `building_id`.
    pub name: &'static str,
    /// A one-line description for documentation.
    pub description: &'static str,
    /// Checks a field's bytes; `None` when they are valid (blank included, if the kind allows it).
    pub check: fn(&[u8], Encoding) -> Option<DiagnosticKind>,
}

/// The kind of a field: how its characters are read and checked.
#[derive(Debug, Clone, Copy)]
pub enum FieldKind {
    /// Left-aligned text padded with spaces.
    Text,
    /// Zero-padded number, or blank.
    Digits,
    /// A value from a code table.
    Code,
    /// `yyyymmdd` date (partial forms allowed).
    Date,
    /// A single character.
    Char,
    /// A personal identity code (*henkilötunnus*), or blank.
    PersonId,
    /// A municipality number (*kuntanumero*), named from the municipality code table.
    Municipality,
    /// A kind that a record family brings (e.g. building ids).
    Custom(&'static CustomKind),
}

impl FieldKind {
    /// The kinds every layout can use, whatever its family.
    pub const BUILT_IN: [FieldKind; 7] = [
        FieldKind::Text,
        FieldKind::Digits,
        FieldKind::Code,
        FieldKind::Date,
        FieldKind::Char,
        FieldKind::PersonId,
        FieldKind::Municipality,
    ];

    /// The name used in layout tables and files.
    pub fn name(self) -> &'static str {
        match self {
            FieldKind::Text => "text",
            FieldKind::Digits => "digits",
            FieldKind::Code => "code",
            FieldKind::Date => "date",
            FieldKind::Char => "char",
            FieldKind::PersonId => "person_id",
            FieldKind::Municipality => "municipality",
            FieldKind::Custom(k) => k.name,
        }
    }

    /// The kind with this name: a built-in one, or one of `custom`.
    pub fn from_name(name: &str, custom: &[&'static CustomKind]) -> Option<FieldKind> {
        FieldKind::BUILT_IN
            .into_iter()
            .find(|k| k.name() == name)
            .or_else(|| {
                custom
                    .iter()
                    .find(|k| k.name == name)
                    .map(|k| FieldKind::Custom(k))
            })
    }
}

impl PartialEq for FieldKind {
    fn eq(&self, other: &Self) -> bool {
        self.name() == other.name()
    }
}

impl Eq for FieldKind {}

impl std::hash::Hash for FieldKind {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.name().hash(h)
    }
}

impl Serialize for FieldKind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl fmt::Display for FieldKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A value's JSON when the encoding of its record is known. Fields that keep only their bytes
/// (ids, codes, digits, invalid dates) decode them in that encoding, so an odd byte in a UTF-8
/// or ISO-8859-15 file comes out as the character it is there. Their plain `Serialize`, with no
/// record around them, decodes as ISO-8859-1.
pub trait SerializeIn {
    /// Serializes the value, its bytes read in `enc`.
    fn serialize_in<S: Serializer>(&self, enc: Encoding, s: S) -> Result<S::Ok, S::Error>;
}

/// `value` serialized with [`SerializeIn`] in `encoding` (for map entries and sequences).
#[derive(Debug, Clone, Copy)]
pub struct In<'v, T: ?Sized>(pub &'v T, pub Encoding);

impl<T: SerializeIn + ?Sized> Serialize for In<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_in(self.1, s)
    }
}

// ---------------------------------------------------------------------------------------------
// Text

/// A text field (*tekstikenttä*): left-aligned, right-padded with spaces, in the file's encoding.
///
/// Parsed text borrows the padded bytes; [`Text::decode`] turns them into a string (without the
/// padding) only when asked. Equality ignores trailing padding.
#[derive(Clone, Copy)]
pub struct Text<'a> {
    bytes: &'a [u8],
    enc: Encoding,
}

impl<'a> Text<'a> {
    /// Text given as a Rust string (written in the output's encoding, padded to the width).
    pub fn new(s: &'a str) -> Self {
        Text {
            bytes: s.as_bytes(),
            enc: Encoding::Utf8,
        }
    }

    /// Text from bytes in a given encoding (as read from a file).
    pub fn from_bytes(bytes: &'a [u8], enc: Encoding) -> Self {
        Text { bytes, enc }
    }

    /// A blank (all-spaces) value.
    pub fn blank() -> Self {
        Text::from_bytes(b"", Encoding::Latin1)
    }

    /// The bytes as stored, padding included.
    pub fn raw(&self) -> &'a [u8] {
        self.bytes
    }

    /// The bytes without trailing spaces.
    pub fn trimmed(&self) -> &'a [u8] {
        trim_end(self.bytes)
    }

    /// The encoding of the bytes.
    pub fn encoding(&self) -> Encoding {
        self.enc
    }

    /// True when the value is all spaces (absent).
    pub fn is_blank(&self) -> bool {
        self.trimmed().is_empty()
    }

    /// The value as a string, without the padding. Borrows for ASCII.
    pub fn decode(&self) -> Cow<'a, str> {
        self.enc.decode(self.trimmed())
    }
}

impl<'a> From<&'a str> for Text<'a> {
    fn from(s: &'a str) -> Self {
        Text::new(s)
    }
}

impl Default for Text<'_> {
    fn default() -> Self {
        Text::blank()
    }
}

impl PartialEq for Text<'_> {
    fn eq(&self, other: &Self) -> bool {
        if self.enc == other.enc || (self.trimmed().is_ascii() && other.trimmed().is_ascii()) {
            self.trimmed() == other.trimmed()
        } else {
            self.decode() == other.decode()
        }
    }
}

impl Eq for Text<'_> {}

impl fmt::Debug for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Text({:?})", self.decode())
    }
}

impl SerializeIn for Text<'_> {
    /// Text knows its encoding: `enc` is not needed.
    fn serialize_in<S: Serializer>(&self, _enc: Encoding, s: S) -> Result<S::Ok, S::Error> {
        self.serialize(s)
    }
}

impl Serialize for Text<'_> {
    /// The decoded text without its padding; `null` when the field is blank (spaces only), as
    /// every blank field is in the crate's JSON.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.bytes.iter().all(|&b| b == b' ') {
            s.serialize_none()
        } else {
            s.serialize_str(&self.decode())
        }
    }
}

/// `bytes` without trailing ASCII whitespace, as `trim_ascii_end` leaves them, but skipping
/// padding eight spaces at a time: fixed-width text fields are mostly padding, and a byte at a
/// time that costs more than writing the text.
#[inline]
pub(crate) fn trim_end(bytes: &[u8]) -> &[u8] {
    without_space_blocks(bytes).trim_ascii_end()
}

/// `bytes` without trailing spaces (only spaces): empty for a blank field.
#[inline]
pub(crate) fn trim_spaces_end(bytes: &[u8]) -> &[u8] {
    let mut rest = without_space_blocks(bytes);
    while let [head @ .., b' '] = rest {
        rest = head;
    }
    rest
}

/// `bytes` without the blocks of eight spaces at their end.
#[inline(always)]
fn without_space_blocks(bytes: &[u8]) -> &[u8] {
    let mut rest = bytes;
    while let Some((head, last)) = rest.split_last_chunk::<8>() {
        if *last != [b' '; 8] {
            break;
        }
        rest = head;
    }
    rest
}

/// True when `bytes` hold nothing a text field reports: no control character, and valid UTF-8
/// in a UTF-8 file. Fields cut at character boundaries out of clean bytes are clean.
#[inline]
pub fn text_is_clean(bytes: &[u8], enc: Encoding) -> bool {
    !has_control(bytes)
        && (enc != Encoding::Utf8 || bytes.is_ascii() || std::str::from_utf8(bytes).is_ok())
}

/// True for bytes that should not stand in text: C0 controls and DEL.
#[inline]
pub fn has_control(bytes: &[u8]) -> bool {
    // No branch and no early exit inside, so that the compiler makes vector instructions of
    // it: this runs over every byte of every line.
    // The smallest byte tells of C0 controls (one vector minimum per block), DEL is looked
    // for beside it.
    let mut min = u8::MAX;
    let mut del = 0u8;
    for &b in bytes {
        min = min.min(b);
        del |= u8::from(b == 0x7F);
    }
    min < 0x20 || del != 0
}

impl<'a> FieldValue<'a> for Text<'a> {
    const KIND: FieldKind = FieldKind::Text;
    const SCANNED: bool = true;
    #[inline]
    fn parse_field(raw: &'a [u8], enc: Encoding) -> (Self, Option<DiagnosticKind>) {
        (Text::from_bytes(raw, enc), Self::check(raw, enc))
    }

    #[inline]
    fn read(raw: &'a [u8], enc: Encoding) -> Self {
        Text::from_bytes(raw, enc)
    }

    #[inline]
    fn check(raw: &'a [u8], enc: Encoding) -> Option<DiagnosticKind> {
        if has_control(raw) {
            Some(DiagnosticKind::ControlCharacter)
        } else if enc == Encoding::Utf8 && !raw.is_ascii() && std::str::from_utf8(raw).is_err() {
            Some(DiagnosticKind::InvalidUtf8)
        } else {
            None
        }
    }

    fn write_field(
        &self,
        width: usize,
        enc: Encoding,
        out: &mut Vec<u8>,
    ) -> Result<(), FieldWriteError> {
        if self.enc == enc || self.bytes.is_ascii() {
            return write_left(self.bytes, width, enc, out);
        }
        // Transcode: the padding is re-made for the output encoding.
        let text = self.decode();
        let bytes = enc.encode(&text).map_err(|e| FieldWriteError::Unmappable {
            position: e.position,
        })?;
        write_left(&bytes, width, enc, out)
    }
}

// ---------------------------------------------------------------------------------------------
// Digits

/// A numeric field (*numeerinen kenttä*): zero-padded digits (`091`, `00100`), or blank.
#[derive(Clone, Copy)]
pub enum Digits<'a> {
    /// The bytes as they stand in a file.
    Raw(&'a [u8]),
    /// A number given in code, zero-padded to the field width when written.
    Number(u64),
}

impl<'a> Digits<'a> {
    /// A number, zero-padded to the field width when written.
    pub fn number(n: u64) -> Digits<'static> {
        Digits::Number(n)
    }

    /// A blank value (spaces).
    pub fn blank() -> Digits<'static> {
        Digits::Raw(b"")
    }

    /// Digits as they stand in a file.
    pub fn from_bytes(raw: &'a [u8]) -> Self {
        Digits::Raw(raw)
    }

    /// The number, when the field holds only digits (surrounding spaces allowed).
    pub fn value(&self) -> Option<u64> {
        let raw = match self {
            Digits::Number(n) => return Some(*n),
            Digits::Raw(raw) => raw,
        };
        let t = raw.trim_ascii();
        if t.is_empty() || t.len() > 19 || !t.iter().all(u8::is_ascii_digit) {
            return None;
        }
        Some(t.iter().fold(0u64, |n, &d| n * 10 + u64::from(d - b'0')))
    }

    /// True when blank.
    pub fn is_blank(&self) -> bool {
        matches!(self, Digits::Raw(raw) if raw.trim_ascii().is_empty())
    }

    /// The value as text exactly as stored (zeros kept), e.g. a municipality `091`.
    pub fn as_str(&self) -> Cow<'a, str> {
        match self {
            Digits::Raw(raw) => encoding_rs::mem::decode_latin1(raw),
            Digits::Number(n) => Cow::Owned(n.to_string()),
        }
    }
}

impl PartialEq for Digits<'_> {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Digits::Raw(a), Digits::Raw(b)) if a == b => true,
            _ => match (self.value(), other.value()) {
                (Some(a), Some(b)) => a == b,
                _ => self.is_blank() && other.is_blank(),
            },
        }
    }
}

impl Eq for Digits<'_> {}

impl fmt::Debug for Digits<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Digits({:?})", self.as_str())
    }
}

impl Serialize for Digits<'_> {
    /// Serialised as the string as stored (zeros kept, blank → `null`): codes such as
    /// municipality `091` and postal code `00100` are identifiers, not quantities.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.serialize_in(Encoding::Latin1, s)
    }
}

impl SerializeIn for Digits<'_> {
    fn serialize_in<S: Serializer>(&self, enc: Encoding, s: S) -> Result<S::Ok, S::Error> {
        match self {
            _ if self.is_blank() => s.serialize_none(),
            Digits::Raw(raw) => s.serialize_str(enc.decode(raw).trim()),
            Digits::Number(_) => s.serialize_str(self.as_str().trim()),
        }
    }
}

impl<'a> FieldValue<'a> for Digits<'a> {
    const KIND: FieldKind = FieldKind::Digits;
    #[inline]
    fn parse_field(raw: &'a [u8], enc: Encoding) -> (Self, Option<DiagnosticKind>) {
        (Digits::from_bytes(raw), Self::check(raw, enc))
    }

    #[inline]
    fn read(raw: &'a [u8], _enc: Encoding) -> Self {
        Digits::from_bytes(raw)
    }

    #[inline]
    fn check(raw: &'a [u8], _enc: Encoding) -> Option<DiagnosticKind> {
        let ok = raw.iter().all(u8::is_ascii_digit) || raw.iter().all(|&b| b == b' ');
        (!ok).then_some(DiagnosticKind::NotDigits)
    }

    fn write_field(
        &self,
        width: usize,
        enc: Encoding,
        out: &mut Vec<u8>,
    ) -> Result<(), FieldWriteError> {
        let mut buf = itoa_buf();
        let raw: &[u8] = match self {
            Digits::Raw(raw) => raw,
            Digits::Number(n) => format_u64(*n, &mut buf),
        };
        let len = enc.width(raw);
        if len > width {
            return Err(FieldWriteError::TooLong { width, len });
        }
        if raw.is_empty() {
            pad(out, b' ', width);
        } else if raw.iter().all(u8::is_ascii_digit) {
            pad(out, b'0', width - len);
            out.extend_from_slice(raw);
        } else {
            out.extend_from_slice(raw);
            pad(out, b' ', width - len);
        }
        Ok(())
    }
}

fn itoa_buf() -> itoa::Buffer {
    itoa::Buffer::new()
}

/// The decimal digits of `n` (the `itoa` crate: two digits a step from a table).
#[inline]
fn format_u64(n: u64, buf: &mut itoa::Buffer) -> &[u8] {
    buf.format(n).as_bytes()
}

// ---------------------------------------------------------------------------------------------
// Dates

/// A date field (*päivämäärä*, `yyyymmdd`), including the legacy forms the register uses.
///
/// Nothing is silently turned into a full date: `19810000` stays "year 1981".
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum VtjDate<'a> {
    /// A full calendar date.
    Full(NaiveDate),
    /// `yyyymm00`: year and month known.
    YearMonth {
        /// Year.
        year: u16,
        /// Month 1–12.
        month: u8,
    },
    /// `yyyy0000`: only the year known.
    Year(u16),
    /// `00000000`: no date / unknown (*ei päivämäärää*).
    Unknown,
    /// `99990000`: valid until further notice (*toistaiseksi*), e.g. the end of a 015 order.
    Indefinite,
    /// Anything else, kept as it stands.
    Invalid(&'a [u8]),
}

pub use crate::hetu::is_valid_ymd;

/// Year, month and day of eight ASCII digits (`None` when any byte is not a digit), read as
/// one 64-bit word.
#[inline]
pub(crate) fn digits8(raw: &[u8]) -> Option<(u16, u8, u8)> {
    let b: [u8; 8] = raw.try_into().ok()?;
    let v = u64::from_le_bytes(b);
    // Every byte 0x30..=0x39: high nibble 3, and adding 6 does not carry into it.
    let hi = 0xF0F0_F0F0_F0F0_F0F0u64;
    if v & hi != 0x3030_3030_3030_3030
        || (v.wrapping_add(0x0606_0606_0606_0606) & hi) != 0x3030_3030_3030_3030
    {
        return None;
    }
    let d = v - 0x3030_3030_3030_3030;
    // Pairs of digits in 16-bit lanes (the first byte is the low one, and the tens digit):
    // lanes YY, yy, MM, DD, each at most 99.
    let lanes = (d & 0x00FF_00FF_00FF_00FF) * 10 + ((d >> 8) & 0x00FF_00FF_00FF_00FF);
    let lane = |i: u32| ((lanes >> (16 * i)) & 0xFF) as u16;
    Some((lane(0) * 100 + lane(1), lane(2) as u8, lane(3) as u8))
}

impl<'a> VtjDate<'a> {
    /// Reads the 8 bytes of a date field.
    #[inline]
    pub fn from_bytes(raw: &'a [u8]) -> Self {
        let Some((year, month, day)) = digits8(raw) else {
            return VtjDate::Invalid(raw);
        };
        match (year, month, day) {
            (0, 0, 0) => VtjDate::Unknown,
            (9999, 0, 0) => VtjDate::Indefinite,
            (0, _, _) => VtjDate::Invalid(raw),
            (y, 0, 0) => VtjDate::Year(y),
            (y, m @ 1..=12, 0) => VtjDate::YearMonth { year: y, month: m },
            (y, m, d) if is_valid_ymd(u32::from(y), u32::from(m), u32::from(d)) => {
                match NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(d)) {
                    Some(date) => VtjDate::Full(date),
                    None => VtjDate::Invalid(raw),
                }
            }
            _ => VtjDate::Invalid(raw),
        }
    }

    /// A full date.
    pub fn full(year: i32, month: u32, day: u32) -> Option<VtjDate<'static>> {
        NaiveDate::from_ymd_opt(year, month, day)
            .filter(|d| (1..=9999).contains(&d.year()))
            .map(VtjDate::Full)
    }

    /// The exact calendar date, when the value is a full date.
    pub fn to_naive_date(&self) -> Option<NaiveDate> {
        match self {
            VtjDate::Full(d) => Some(*d),
            _ => None,
        }
    }

    /// True for `yyyymm00` and `yyyy0000`.
    pub fn is_partial(&self) -> bool {
        matches!(self, VtjDate::YearMonth { .. } | VtjDate::Year(_))
    }

    /// `(year, month, day)` with 0 for unknown parts; `None` for no date, indefinite or invalid.
    /// Orders dates chronologically with partial dates before the full dates of their period.
    pub fn sort_key(&self) -> Option<(u16, u8, u8)> {
        match self {
            VtjDate::Full(d) => Some((d.year() as u16, d.month() as u8, d.day() as u8)),
            VtjDate::YearMonth { year, month } => Some((*year, *month, 0)),
            VtjDate::Year(y) => Some((*y, 0, 0)),
            _ => None,
        }
    }

    /// The 8 characters as written in a file, when the value is well-formed.
    pub fn to_yyyymmdd(&self) -> Option<[u8; 8]> {
        let (y, m, d) = match self {
            VtjDate::Unknown => (0, 0, 0),
            VtjDate::Indefinite => (9999, 0, 0),
            VtjDate::Invalid(_) => return None,
            VtjDate::Full(d) if !(1..=9999).contains(&d.year()) => return None,
            // A partial date whose parts would read back as another value (year 0 is "no
            // date", month 0 "year only") or as no date at all.
            VtjDate::Year(0) | VtjDate::YearMonth { year: 0, .. } => return None,
            VtjDate::YearMonth { month, .. } if !(1..=12).contains(month) => return None,
            other => other.sort_key()?,
        };
        if y > 9999 {
            return None;
        }
        let mut out = [b'0'; 8];
        let mut put = |at: usize, v: u16, n: usize| {
            let mut v = v;
            for i in (0..n).rev() {
                out[at + i] = b'0' + (v % 10) as u8;
                v /= 10;
            }
        };
        put(0, y, 4);
        put(4, u16::from(m), 2);
        put(6, u16::from(d), 2);
        Some(out)
    }

    /// ISO 8601 text: `2017-02-22`, `1966-05`, `1971`; `None` for no date; `indefinite`; the
    /// raw characters for an invalid value.
    pub fn to_iso(&self) -> Option<String> {
        match self {
            VtjDate::Full(d) => Some(d.format("%Y-%m-%d").to_string()),
            VtjDate::YearMonth { year, month } => Some(format!("{year:04}-{month:02}")),
            VtjDate::Year(y) => Some(format!("{y:04}")),
            VtjDate::Unknown => None,
            VtjDate::Indefinite => Some("indefinite".to_string()),
            VtjDate::Invalid(raw) => Some(encoding_rs::mem::decode_latin1(raw).into_owned()),
        }
    }
}

impl fmt::Debug for VtjDate<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VtjDate::Unknown => f.write_str("VtjDate(none)"),
            VtjDate::Invalid(raw) => write!(
                f,
                "VtjDate(invalid {:?})",
                encoding_rs::mem::decode_latin1(raw)
            ),
            other => write!(f, "VtjDate({})", other.to_iso().unwrap_or_default()),
        }
    }
}

impl Serialize for VtjDate<'_> {
    /// `"2017-02-22"`, `"1966-05"`, `"1971"`, `null` (no date), `"indefinite"`, and
    /// `{"invalid": "…"}` for a value that is not a date.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.serialize_in(Encoding::Latin1, s)
    }
}

impl SerializeIn for VtjDate<'_> {
    fn serialize_in<S: Serializer>(&self, enc: Encoding, s: S) -> Result<S::Ok, S::Error> {
        match self {
            VtjDate::Unknown => s.serialize_none(),
            VtjDate::Invalid(raw) => {
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry("invalid", &enc.decode(raw))?;
                m.end()
            }
            VtjDate::Full(d) => {
                let mut buf = [0u8; 10];
                s.serialize_str(iso_full(*d, &mut buf))
            }
            other => s.serialize_str(&other.to_iso().unwrap_or_default()),
        }
    }
}

/// Formats a full date as `yyyy-mm-dd` without allocating.
fn iso_full(d: NaiveDate, buf: &mut [u8; 10]) -> &str {
    iso_ymd(d.year().clamp(0, 9999) as u32, d.month(), d.day(), buf)
}

/// `yyyy-mm-dd` of a year (0–9999), month and day, in a stack buffer.
pub(crate) fn iso_ymd(year: u32, month: u32, day: u32, buf: &mut [u8; 10]) -> &str {
    let parts = [(year, 4usize, 0usize), (month, 2, 5), (day, 2, 8)];
    buf[4] = b'-';
    buf[7] = b'-';
    for (mut v, n, at) in parts {
        for i in (0..n).rev() {
            buf[at + i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
    }
    std::str::from_utf8(buf).unwrap_or("")
}

impl<'a> FieldValue<'a> for VtjDate<'a> {
    const KIND: FieldKind = FieldKind::Date;
    #[inline]
    fn read(raw: &'a [u8], _enc: Encoding) -> Self {
        VtjDate::from_bytes(raw)
    }

    #[inline]
    fn write_json_from(raw: &'a [u8], enc: Encoding, out: &mut Vec<u8>) {
        json::write_date_bytes(raw, enc, out)
    }

    #[inline]
    fn parse_field(raw: &'a [u8], _enc: Encoding) -> (Self, Option<DiagnosticKind>) {
        let d = VtjDate::from_bytes(raw);
        let problem = matches!(d, VtjDate::Invalid(_)).then_some(DiagnosticKind::InvalidDate);
        (d, problem)
    }

    #[inline]
    fn check(raw: &'a [u8], _enc: Encoding) -> Option<DiagnosticKind> {
        // The forms `from_bytes` accepts, without building the date.
        let ok = match digits8(raw) {
            None => false,
            // Unknown (00000000), a year alone, indefinite (99990000).
            Some((_, 0, 0)) => true,
            Some((0, _, _)) => false,
            Some((_, m, 0)) => m <= 12,
            Some((y, m, d)) => is_valid_ymd(u32::from(y), u32::from(m), u32::from(d)),
        };
        (!ok).then_some(DiagnosticKind::InvalidDate)
    }

    fn write_field(
        &self,
        width: usize,
        enc: Encoding,
        out: &mut Vec<u8>,
    ) -> Result<(), FieldWriteError> {
        match (self, self.to_yyyymmdd()) {
            (VtjDate::Invalid(raw), _) => write_left(raw, width, enc, out),
            (_, Some(bytes)) => write_left(&bytes, width, enc, out),
            (_, None) => Err(FieldWriteError::NotRepresentable),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Code tables

/// A table of codes (*koodisto*): the known values of a code field.
///
/// Implemented by the enums that [`code_table!`](crate::code_table) generates.
pub trait CodeTable: Copy + Eq + fmt::Debug + 'static {
    /// The table's name (used in diagnostics, layout files and docs).
    const NAME: &'static str;
    /// True when every valid value is in the table (unknown values are warned about); false
    /// for open lists such as countries, where the table names only special values.
    const CLOSED: bool;
    /// Every entry: code bytes, value, English meaning, Finnish term.
    const ENTRIES: &'static [(&'static [u8], Self, &'static str, &'static str)];
    /// The value for the code bytes.
    fn from_code(raw: &[u8]) -> Option<Self>;
    /// The code bytes of a value.
    fn code(self) -> &'static [u8] {
        Self::ENTRIES
            .iter()
            .find(|e| e.1 == self)
            .map_or(&[][..], |e| e.0)
    }
    /// The English meaning of a value.
    fn meaning(self) -> &'static str {
        Self::ENTRIES
            .iter()
            .find(|e| e.1 == self)
            .map_or("", |e| e.2)
    }
    /// The Finnish term for a value.
    fn finnish(self) -> &'static str {
        Self::ENTRIES
            .iter()
            .find(|e| e.1 == self)
            .map_or("", |e| e.3)
    }
    /// The value's JSON, `{"code": …, "meaning": …}`, made once per table (for an ASCII code,
    /// which reads the same in every encoding); `None` where it is not kept.
    fn json(self) -> Option<&'static [u8]> {
        None
    }
    /// The JSON of a one-byte code field holding `b`, known to the table or not (`null` for a
    /// space), made once per table for printable ASCII and space; `None` where it is not kept
    /// (the field is then written the general way).
    fn byte_json(b: u8) -> Option<&'static [u8]> {
        let _ = b;
        None
    }
}

/// The JSON of every entry of a code table, for [`CodeTable::json`]: `null` for a blank code
/// (as every blank field), `None` for a code that is not ASCII.
pub fn code_table_json<T: CodeTable>() -> Vec<Option<Box<[u8]>>> {
    T::ENTRIES
        .iter()
        .map(|&(code, value, _, _)| {
            code.is_ascii().then(|| {
                let mut out = Vec::new();
                json::write_code_json(Code::<T>::Known(value), Encoding::Latin1, &mut out);
                out.into_boxed_slice()
            })
        })
        .collect()
}

/// The JSON of a one-byte code field for every byte, for [`CodeTable::byte_json`]: kept for
/// printable ASCII and space (what code fields hold), `None` for other bytes (written the
/// general way; the text of bytes beyond ASCII depends on the encoding).
pub fn code_byte_json<T: CodeTable>() -> Vec<Option<Box<[u8]>>> {
    (0..=255u8)
        .map(|b| {
            (b.is_ascii_graphic() || b == b' ').then(|| {
                let raw = [b];
                let code = T::from_code(&raw).map_or(Code::<T>::Unknown(&raw), Code::Known);
                let mut out = Vec::new();
                json::write_code_json(code, Encoding::Latin1, &mut out);
                out.into_boxed_slice()
            })
        })
        .collect()
}

/// Defines a code table: an enum whose variants map to exact code bytes.
///
/// ```
/// muutostieto::code_table! {
///     /// Traffic light (*liikennevalo*).
///     pub enum Light: "light", closed {
///         /// Stop.
///         Red = b"1" => "red", "punainen";
///         /// Go.
///         Green = b"2" => "green", "vihreä";
///     }
/// }
/// use muutostieto::field::CodeTable;
/// assert_eq!(Light::from_code(b"2"), Some(Light::Green));
/// assert_eq!(Light::Red.meaning(), "red");
/// ```
#[macro_export]
macro_rules! code_table {
    ($(
        $(#[$meta:meta])*
        $vis:vis enum $Name:ident : $table:literal, $openness:ident {
            $( $(#[$vmeta:meta])* $Variant:ident = $code:literal => $en:literal, $fi:literal; )*
        }
    )+) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        $vis enum $Name {
            $( $(#[$vmeta])* $Variant, )*
        }

        impl $crate::field::CodeTable for $Name {
            const NAME: &'static str = $table;
            const CLOSED: bool = $crate::code_table!(@closed $openness);
            const ENTRIES: &'static [(&'static [u8], Self, &'static str, &'static str)] = &[
                $( ($code, $Name::$Variant, $en, $fi), )*
            ];
            #[inline]
            fn from_code(raw: &[u8]) -> Option<Self> {
                match raw {
                    $( $code => Some($Name::$Variant), )*
                    _ => None,
                }
            }
            #[inline]
            fn code(self) -> &'static [u8] {
                match self {
                    $( $Name::$Variant => $code, )*
                }
            }
            #[inline]
            fn meaning(self) -> &'static str {
                match self {
                    $( $Name::$Variant => $en, )*
                }
            }
            #[inline]
            fn finnish(self) -> &'static str {
                match self {
                    $( $Name::$Variant => $fi, )*
                }
            }
            #[inline]
            fn json(self) -> Option<&'static [u8]> {
                static JSON: ::std::sync::OnceLock<Vec<Option<Box<[u8]>>>> = ::std::sync::OnceLock::new();
                let all = JSON.get_or_init($crate::field::code_table_json::<$Name>);
                // The variants are declared in the order of `ENTRIES`.
                all.get(self as usize)?.as_deref()
            }
            #[inline]
            fn byte_json(b: u8) -> Option<&'static [u8]> {
                static JSON: ::std::sync::OnceLock<Vec<Option<Box<[u8]>>>> = ::std::sync::OnceLock::new();
                JSON.get_or_init($crate::field::code_byte_json::<$Name>)
                    .get(usize::from(b))?
                    .as_deref()
            }
        }
    )+};
    (@closed closed) => { true };
    (@closed open) => { false };
}

/// A code field (*koodi*): a known value of table `T`, or the unknown bytes kept as they are.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum Code<'a, T: CodeTable> {
    /// A value in the table.
    Known(T),
    /// A value not in the table, kept so that it is written back unchanged.
    Unknown(&'a [u8]),
}

impl<'a, T: CodeTable> Code<'a, T> {
    /// The known value, if any.
    pub fn known(&self) -> Option<T> {
        match self {
            Code::Known(t) => Some(*t),
            Code::Unknown(_) => None,
        }
    }

    /// The code bytes as they stand.
    pub fn raw(&self) -> &'a [u8] {
        match self {
            Code::Known(t) => t.code(),
            Code::Unknown(raw) => raw,
        }
    }

    /// The code as text (codes are ASCII in practice; other bytes are read as ISO-8859-1: see
    /// [`Code::decode`] for a file in another encoding).
    pub fn as_str(&self) -> Cow<'a, str> {
        encoding_rs::mem::decode_latin1(self.raw())
    }

    /// The code as text, its bytes read in `enc` (the encoding of the file it came from).
    pub fn decode(&self, enc: Encoding) -> Cow<'a, str> {
        enc.decode(self.raw())
    }

    /// The English meaning, when the value is known.
    pub fn meaning(&self) -> Option<&'static str> {
        self.known().map(T::meaning)
    }
}

impl<T: CodeTable> From<T> for Code<'_, T> {
    fn from(t: T) -> Self {
        Code::Known(t)
    }
}

impl<T: CodeTable> fmt::Debug for Code<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Code::Known(t) => write!(f, "{t:?}"),
            Code::Unknown(_) => write!(f, "Unknown({:?})", self.as_str()),
        }
    }
}

impl<T: CodeTable> Serialize for Code<'_, T> {
    /// `{"code": "2", "meaning": "female"}`; `meaning` is left out for unknown values; `null`
    /// when the field is blank (spaces only), as every blank field is in the crate's JSON.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.serialize_in(Encoding::Latin1, s)
    }
}

impl<T: CodeTable> SerializeIn for Code<'_, T> {
    fn serialize_in<S: Serializer>(&self, enc: Encoding, s: S) -> Result<S::Ok, S::Error> {
        if self.raw().iter().all(|&b| b == b' ') {
            return s.serialize_none();
        }
        let meaning = self.meaning();
        let mut m = s.serialize_map(Some(1 + usize::from(meaning.is_some())))?;
        m.serialize_entry("code", &*self.decode(enc))?;
        if let Some(meaning) = meaning {
            m.serialize_entry("meaning", meaning)?;
        }
        m.end()
    }
}

impl<'a, T: CodeTable> FieldValue<'a> for Code<'a, T> {
    const KIND: FieldKind = FieldKind::Code;
    const CODE_TABLE: Option<&'static str> = Some(T::NAME);
    #[inline]
    fn parse_field(raw: &'a [u8], _enc: Encoding) -> (Self, Option<DiagnosticKind>) {
        match T::from_code(raw) {
            Some(t) => (Code::Known(t), None),
            None => (
                Code::Unknown(raw),
                T::CLOSED.then_some(DiagnosticKind::UnknownCode { table: T::NAME }),
            ),
        }
    }

    /// A one-byte code (most code fields) is written from JSON made once per byte.
    #[inline]
    fn write_json_from(raw: &'a [u8], enc: Encoding, out: &mut Vec<u8>) {
        if let [b] = *raw {
            if let Some(json) = T::byte_json(b) {
                out.extend_from_slice(json);
                return;
            }
        }
        json::WriteJson::write_json(&Self::read(raw, enc), enc, out)
    }

    fn write_field(
        &self,
        width: usize,
        enc: Encoding,
        out: &mut Vec<u8>,
    ) -> Result<(), FieldWriteError> {
        write_left(self.raw(), width, enc, out)
    }
}

// ---------------------------------------------------------------------------------------------
// Person ids

/// A personal identity code field (*henkilötunnus*): 11 characters, or blank where the layout
/// allows it (e.g. a guardian without a Finnish id, described by a following 451 group).
/// Equality ignores trailing padding, like [`Text`]: [`PersonId::blank`] equals 11 spaces.
#[derive(Clone, Copy)]
pub struct PersonId<'a> {
    raw: &'a [u8],
}

impl PartialEq for PersonId<'_> {
    fn eq(&self, other: &Self) -> bool {
        trim_end(self.raw) == other.raw.trim_ascii_end()
    }
}

impl Eq for PersonId<'_> {}

impl std::hash::Hash for PersonId<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        trim_end(self.raw).hash(state);
    }
}

impl<'a> PersonId<'a> {
    /// An id as it stands in a file (not checked).
    pub fn from_bytes(raw: &'a [u8]) -> Self {
        PersonId { raw }
    }

    /// An id given as text (not checked).
    pub fn new(id: &'a str) -> Self {
        PersonId::from_bytes(id.as_bytes())
    }

    /// A blank id.
    pub fn blank() -> PersonId<'static> {
        PersonId { raw: b"" }
    }

    /// The bytes as stored.
    pub fn raw(&self) -> &'a [u8] {
        self.raw
    }

    /// True when all spaces.
    pub fn is_blank(&self) -> bool {
        trim_end(self.raw).is_empty()
    }

    /// The validated id, or why it is not valid; `None` when blank.
    pub fn hetu(&self) -> Option<Result<crate::hetu::Hetu<'a>, crate::hetu::HetuError>> {
        (!self.is_blank()).then(|| crate::hetu::Hetu::parse(self.raw))
    }

    /// The id as text (trailing spaces removed; bytes beyond ASCII read as ISO-8859-1: see
    /// [`PersonId::decode`] for a file in another encoding).
    pub fn as_str(&self) -> Cow<'a, str> {
        encoding_rs::mem::decode_latin1(trim_end(self.raw))
    }

    /// The id as text (trailing spaces removed), its bytes read in `enc`.
    pub fn decode(&self, enc: Encoding) -> Cow<'a, str> {
        enc.decode(trim_end(self.raw))
    }
}

impl fmt::Debug for PersonId<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PersonId({:?})", self.as_str())
    }
}

impl Serialize for PersonId<'_> {
    /// The id as a string, `null` when blank.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.serialize_in(Encoding::Latin1, s)
    }
}

impl SerializeIn for PersonId<'_> {
    fn serialize_in<S: Serializer>(&self, enc: Encoding, s: S) -> Result<S::Ok, S::Error> {
        if self.is_blank() {
            s.serialize_none()
        } else {
            s.serialize_str(&self.decode(enc))
        }
    }
}

impl<'a> FieldValue<'a> for PersonId<'a> {
    const KIND: FieldKind = FieldKind::PersonId;
    #[inline]
    fn read(raw: &'a [u8], _enc: Encoding) -> Self {
        PersonId::from_bytes(raw)
    }

    #[inline]
    fn parse_field(raw: &'a [u8], _enc: Encoding) -> (Self, Option<DiagnosticKind>) {
        (
            PersonId::from_bytes(raw),
            Self::check(raw, Encoding::Latin1),
        )
    }

    #[inline]
    fn check(raw: &'a [u8], _enc: Encoding) -> Option<DiagnosticKind> {
        // The quick answer first; the error (with its column) only for an invalid id.
        if crate::hetu::Hetu::is_valid(raw) {
            return None;
        }
        match PersonId::from_bytes(raw).hetu() {
            Some(Err(e)) => Some(DiagnosticKind::InvalidPersonId(e)),
            _ => None,
        }
    }

    fn write_field(
        &self,
        width: usize,
        enc: Encoding,
        out: &mut Vec<u8>,
    ) -> Result<(), FieldWriteError> {
        write_left(self.raw, width, enc, out)
    }
}

// ---------------------------------------------------------------------------------------------
// Municipality numbers

/// A municipality number (*kuntanumero*, *kuntakoodi*): three digits of Statistics Finland's
/// municipality classification, named from the code table shipped with the crate
/// ([`crate::municipality`]). Blank is allowed; a number the table does not know is kept as it
/// stands (old files carry municipalities merged away, and the table may lag behind).
#[derive(Clone, Copy)]
pub struct MunicipalityCode<'a> {
    raw: &'a [u8],
}

impl<'a> MunicipalityCode<'a> {
    /// From a field's bytes.
    pub fn from_bytes(raw: &'a [u8]) -> Self {
        MunicipalityCode { raw }
    }

    /// From a three-digit string, e.g. `"091"`.
    pub fn new(code: &'a str) -> Self {
        MunicipalityCode::from_bytes(code.as_bytes())
    }

    /// A blank number.
    pub fn blank() -> MunicipalityCode<'static> {
        MunicipalityCode { raw: b"" }
    }

    /// The bytes as stored.
    pub fn raw(&self) -> &'a [u8] {
        self.raw
    }

    /// True when the field holds spaces only.
    pub fn is_blank(&self) -> bool {
        self.raw.iter().all(|&b| b == b' ')
    }

    /// The municipality, when the table knows the number.
    pub fn lookup(&self) -> Option<&'static crate::municipality::Municipality> {
        crate::municipality::lookup(self.raw)
    }

    /// The Finnish name (for Åland the Swedish one), when the table knows the number.
    pub fn meaning(&self) -> Option<&'static str> {
        self.lookup().map(|m| m.finnish)
    }

    /// The number as text.
    pub fn as_str(&self) -> Cow<'a, str> {
        encoding_rs::mem::decode_latin1(self.raw)
    }
}

impl PartialEq for MunicipalityCode<'_> {
    /// Equal when the stored characters are, trailing padding aside.
    fn eq(&self, other: &Self) -> bool {
        trim_end(self.raw) == other.raw.trim_ascii_end()
    }
}

impl Eq for MunicipalityCode<'_> {}

impl fmt::Debug for MunicipalityCode<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MunicipalityCode({:?})", self.as_str())
    }
}

impl fmt::Display for MunicipalityCode<'_> {
    /// `091 (Helsinki)`, or the number alone when the table does not know it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.meaning() {
            Some(m) => write!(f, "{} ({m})", self.as_str()),
            None => f.write_str(self.as_str().trim_end()),
        }
    }
}

impl Serialize for MunicipalityCode<'_> {
    /// `{"code": "091", "meaning": "Helsinki"}` like any code (no `meaning` for a number the
    /// table does not know); `null` when blank.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serialize_municipality(self.raw, Encoding::Latin1, s)
    }
}

impl SerializeIn for MunicipalityCode<'_> {
    fn serialize_in<S: Serializer>(&self, enc: Encoding, s: S) -> Result<S::Ok, S::Error> {
        serialize_municipality(self.raw, enc, s)
    }
}

/// The JSON of a municipality number's bytes, read in `enc` (shared with records read with a
/// layout file).
pub fn serialize_municipality<S: Serializer>(
    raw: &[u8],
    enc: Encoding,
    s: S,
) -> Result<S::Ok, S::Error> {
    if raw.iter().all(|&b| b == b' ') {
        return s.serialize_none();
    }
    let meaning = crate::municipality::lookup(raw).map(|m| m.finnish);
    let mut m = s.serialize_map(Some(1 + usize::from(meaning.is_some())))?;
    m.serialize_entry("code", &*enc.decode(raw))?;
    if let Some(meaning) = meaning {
        m.serialize_entry("meaning", meaning)?;
    }
    m.end()
}

/// Checks a municipality number's bytes: three digits or blank.
pub fn check_municipality(raw: &[u8]) -> Option<DiagnosticKind> {
    let blank = raw.iter().all(|&b| b == b' ');
    (!blank && !raw.iter().all(u8::is_ascii_digit)).then_some(DiagnosticKind::NotDigits)
}

impl<'a> FieldValue<'a> for MunicipalityCode<'a> {
    const KIND: FieldKind = FieldKind::Municipality;

    #[inline]
    fn parse_field(raw: &'a [u8], _enc: Encoding) -> (Self, Option<DiagnosticKind>) {
        (MunicipalityCode { raw }, check_municipality(raw))
    }

    #[inline]
    fn read(raw: &'a [u8], _enc: Encoding) -> Self {
        MunicipalityCode { raw }
    }

    #[inline]
    fn check(raw: &'a [u8], _enc: Encoding) -> Option<DiagnosticKind> {
        check_municipality(raw)
    }

    fn write_field(
        &self,
        width: usize,
        enc: Encoding,
        out: &mut Vec<u8>,
    ) -> Result<(), FieldWriteError> {
        write_left(self.raw, width, enc, out)
    }
}

// ---------------------------------------------------------------------------------------------
// Display: what a person reads. These print values, which are personal data: the crate's own
// diagnostics never use them; a program that does chooses to show the value.

impl fmt::Display for Text<'_> {
    /// The decoded text without its padding.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.decode())
    }
}

impl fmt::Display for Digits<'_> {
    /// The digits as stored, zeros kept (empty when blank).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str().trim())
    }
}

impl fmt::Display for VtjDate<'_> {
    /// `2017-02-22`, `1966-05`, `1971`, empty for no date, `indefinite`, or the raw characters
    /// of an invalid value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VtjDate::Invalid(raw) => f.write_str(&encoding_rs::mem::decode_latin1(raw)),
            other => f.write_str(&other.to_iso().unwrap_or_default()),
        }
    }
}

impl<T: CodeTable> fmt::Display for Code<'_, T> {
    /// `2 (female)`, or the code alone when the table does not know it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.meaning() {
            Some(m) => write!(f, "{} ({m})", self.as_str()),
            None => f.write_str(&self.as_str()),
        }
    }
}

impl fmt::Display for PersonId<'_> {
    /// The id without padding (empty when blank).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str().trim_end())
    }
}

// ---------------------------------------------------------------------------------------------
// Reading fields in order

/// Takes the bytes of `chars` characters (nom parser): the building block of every field parser.
#[inline]
pub fn take_chars<'a>(
    enc: Encoding,
    chars: usize,
) -> impl Fn(&'a [u8]) -> nom::IResult<&'a [u8], &'a [u8]> {
    move |input: &'a [u8]| match enc.advance(input, chars) {
        Ok(n) => Ok((&input[n..], &input[..n])),
        Err(_) => Err(nom::Err::Error(nom::error::Error::new(
            input,
            nom::error::ErrorKind::Eof,
        ))),
    }
}

/// Reads the fields of one header or group in layout order, reporting each field's problems
/// with its position. Used by the code that [`layout_struct!`](crate::layout_struct) generates:
/// the checking pass ([`FieldCursor::check`], every reader) and the typing pass
/// ([`FieldCursor::field`], on a [quiet](FieldCursor::quiet) cursor once the checking pass has
/// reported).
pub struct FieldCursor<'a, 's, 'd> {
    rest: &'a [u8],
    /// Byte column of `rest` in the line.
    column: usize,
    enc: Encoding,
    line: u64,
    group: Option<[u8; 3]>,
    capture: bool,
    /// True when the group's bytes are known to hold no control character and (UTF-8) to be
    /// valid: text fields need no check.
    scanned: bool,
    sink: Option<&'s mut crate::diag::Sink<'d>>,
}

impl<'a, 's, 'd> FieldCursor<'a, 's, 'd> {
    /// A cursor over `bytes`, which start at byte `column` of line `line`.
    pub fn new(
        bytes: &'a [u8],
        column: usize,
        line: u64,
        group: Option<[u8; 3]>,
        opts: &crate::ParseOptions,
        sink: &'s mut crate::diag::Sink<'d>,
    ) -> Self {
        FieldCursor {
            rest: bytes,
            column,
            enc: opts.encoding,
            line,
            group,
            capture: opts.capture_values,
            scanned: false,
            sink: Some(sink),
        }
    }

    /// A cursor that reports nothing: for typing fields that a checking pass has reported.
    pub fn quiet(bytes: &'a [u8], enc: Encoding) -> Self {
        FieldCursor {
            rest: bytes,
            column: 0,
            enc,
            line: 0,
            group: None,
            capture: false,
            scanned: true,
            sink: None,
        }
    }

    /// Tells the cursor whether its bytes were found clean by [`text_is_clean`]: then
    /// [`FieldCursor::check`] skips text fields, which could report nothing.
    #[inline]
    pub fn scanned(mut self, clean: bool) -> Self {
        self.scanned = clean;
        self
    }

    /// The encoding fields are read in.
    pub fn encoding(&self) -> Encoding {
        self.enc
    }

    /// Reads the next field, `width` characters wide. A short input (which framing rules out)
    /// gives what is left rather than a panic.
    #[inline]
    pub fn field<T: FieldValue<'a>>(&mut self, name: &'static str, width: usize) -> T {
        let column = self.column;
        let raw = self.take(width);
        if self.sink.is_none() {
            return T::read(raw, self.enc);
        }
        let (value, problem) = T::parse_field(raw, self.enc);
        if let Some(kind) = problem {
            self.report(Cow::Borrowed(name), raw, column, kind);
        }
        value
    }

    /// Checks the next field, `width` characters wide, without building its value: the same
    /// diagnostics as [`FieldCursor::field`].
    #[inline]
    pub fn check<T: FieldValue<'a>>(&mut self, name: &'static str, width: usize) {
        let column = self.column;
        let raw = self.take(width);
        if T::SCANNED && self.scanned {
            return;
        }
        if let Some(kind) = T::check(raw, self.enc) {
            self.report(Cow::Borrowed(name), raw, column, kind);
        }
    }

    /// The rest of the cursor's bytes when they are exactly `len` bytes of a single-byte
    /// encoding, so that a caller that knows its fields' offsets can cut them itself
    /// ([`layout_struct!`](crate::layout_struct)'s `check_fields` does); `None` otherwise.
    #[inline(always)]
    pub fn whole(&self, len: usize) -> Option<&'a [u8]> {
        (self.enc.is_single_byte() && self.rest.len() == len).then_some(self.rest)
    }

    /// Checks one field cut out of [`FieldCursor::whole`]'s bytes, `at` bytes into them; call
    /// [`FieldCursor::skip`] with their length afterwards.
    #[inline(always)]
    pub fn check_at<T: FieldValue<'a>>(&mut self, name: &'static str, raw: &'a [u8], at: usize) {
        if T::SCANNED && self.scanned {
            return;
        }
        if let Some(kind) = T::check(raw, self.enc) {
            self.report(Cow::Borrowed(name), raw, self.column + at, kind);
        }
    }

    /// Advances past `len` bytes that the caller has checked itself.
    #[inline(always)]
    pub fn skip(&mut self, len: usize) {
        let len = len.min(self.rest.len());
        self.column += len;
        self.rest = &self.rest[len..];
    }

    /// Reads the next field's bytes, checked by `check` (for layouts known only at run time).
    /// The name is a `Cow` so that a diagnostic can take it without allocating for `'static` names.
    #[inline]
    #[allow(clippy::ptr_arg)]
    pub fn field_with(
        &mut self,
        name: &Cow<'static, str>,
        width: usize,
        check: impl FnOnce(&'a [u8], Encoding) -> Option<DiagnosticKind>,
    ) -> &'a [u8] {
        let column = self.column;
        let raw = self.take(width);
        if self.sink.is_some() {
            if let Some(kind) = check(raw, self.enc) {
                self.report(name.clone(), raw, column, kind);
            }
        }
        raw
    }

    /// Takes `width` characters and advances.
    #[inline(always)]
    fn take(&mut self, width: usize) -> &'a [u8] {
        if self.enc.is_single_byte() && self.rest.len() >= width {
            let (raw, rest) = self.rest.split_at(width);
            self.column += width;
            self.rest = rest;
            return raw;
        }
        self.take_chars(width)
    }

    /// [`FieldCursor::take`] in UTF-8, or past the end. Framing gives every field its whole
    /// width; a caller that does not gets the bytes that are there, reported as a truncated
    /// group (not a panic, not silence).
    #[inline(never)]
    fn take_chars(&mut self, width: usize) -> &'a [u8] {
        let (rest, raw) = match take_chars(self.enc, width)(self.rest) {
            Ok(taken) => taken,
            Err(_) => {
                let found = self.enc.width(self.rest);
                let short = DiagnosticKind::TruncatedGroup {
                    expected: width,
                    found,
                };
                if let Some(sink) = self.sink.as_deref_mut() {
                    let mut d = crate::diag::Diagnostic::new(self.line, self.column, short);
                    d.group = self.group.map(crate::diag::GroupCode);
                    sink.push(d);
                }
                (&[][..], self.rest)
            }
        };
        self.column += raw.len();
        self.rest = rest;
        raw
    }

    #[cold]
    fn report(&mut self, name: Cow<'static, str>, raw: &[u8], column: usize, kind: DiagnosticKind) {
        let Some(sink) = self.sink.as_deref_mut() else {
            return;
        };
        // Point at the wrong character of an id, not at the start of the field.
        let column = match kind {
            DiagnosticKind::InvalidPersonId(e) => column + e.column().min(raw.len()),
            _ => column,
        };
        let mut d = crate::diag::Diagnostic::new(self.line, column, kind).with_field(name);
        d.group = self.group.map(crate::diag::GroupCode);
        if self.capture {
            d.value = Some(self.enc.decode(raw).into_owned());
        }
        sink.push(d);
    }
}

crate::code_table! {
    /// A yes/no character (*kyllä/ei*): `1` yes; blank or `2` no.
    pub enum Flag: "flag", closed {
        /// *kyllä*.
        Yes = b"1" => "yes", "kyllä";
        /// *ei*.
        No = b"2" => "no", "ei";
        /// Not set (means no).
        NotSet = b" " => "not set", "ei asetettu";
    }
}

/// A source of field values, for [`layout_struct!`](crate::layout_struct)'s `from_source`: a
/// field type implements it for each source that can make it (the test-data generator does, for
/// every field type). The source gets the field's name and width.
pub trait FromSource<S>: Sized {
    /// A value for field `field`, `width` characters wide.
    fn from_source(source: &mut S, field: &'static str, width: usize) -> Self;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_agree_with_the_standard_ones() {
        // Every mix of text, spaces and other white space at the end, at lengths around the
        // eight-byte blocks.
        for len in 0..40usize {
            for tail in 0..=len {
                for fill in [b' ', b'\t', b'\r', b'\x0b', 0xA0] {
                    for odd in [None, Some(0), Some(tail / 2), Some(tail.saturating_sub(1))] {
                        let mut v = vec![b'x'; len];
                        v[len - tail..].fill(b' ');
                        if let Some(at) = odd.filter(|_| tail > 0) {
                            v[len - tail + at] = fill;
                        }
                        let spaces = v.len() - v.iter().rev().take_while(|&&b| b == b' ').count();
                        assert_eq!(trim_spaces_end(&v), &v[..spaces], "{v:?}");
                        assert_eq!(trim_end(&v), v.trim_ascii_end(), "{v:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn control_bytes_found_at_any_place() {
        for b in 0..=255u8 {
            let control = b < 0x20 || b == 0x7F;
            for len in [1, 15, 16, 17, 64, 300] {
                for at in [0, len / 2, len - 1] {
                    let mut v = vec![b'a'; len];
                    v[at] = b;
                    assert_eq!(has_control(&v), control, "{b} {len} {at}");
                }
            }
        }
        assert!(!has_control(b""));
    }

    proptest::proptest! {
        /// The quick date check says invalid exactly for the bytes the reader keeps as invalid,
        /// and the word-wise digits read as the digits do one by one.
        #[test]
        fn date_check_agrees_with_reading(raw in proptest::collection::vec(proptest::prop_oneof![
            proptest::strategy::Just(b'0'), proptest::strategy::Just(b'1'),
            proptest::strategy::Just(b'2'), proptest::strategy::Just(b'9'),
            b'0'..=b'9', proptest::prelude::any::<u8>()], 7..=9)) {
            let invalid = matches!(VtjDate::from_bytes(&raw), VtjDate::Invalid(_));
            proptest::prop_assert_eq!(VtjDate::check(&raw, Encoding::Latin1).is_some(), invalid);
            let slow = (raw.len() == 8 && raw.iter().all(u8::is_ascii_digit)).then(|| {
                let n = |r: &[u8]| r.iter().fold(0u16, |a, &b| a * 10 + u16::from(b - b'0'));
                (n(&raw[..4]), n(&raw[4..6]) as u8, n(&raw[6..]) as u8)
            });
            proptest::prop_assert_eq!(digits8(&raw), slow);
        }
    }

    #[test]
    fn dates_the_form_cannot_hold_are_write_errors() {
        let mut out = Vec::new();
        let bad = [
            VtjDate::Full(NaiveDate::from_ymd_opt(10000, 1, 1).unwrap()),
            VtjDate::Full(NaiveDate::from_ymd_opt(-5, 1, 1).unwrap()),
            VtjDate::YearMonth {
                year: 2017,
                month: 13,
            },
            VtjDate::YearMonth {
                year: 2017,
                month: 0,
            },
            VtjDate::Year(0),
            VtjDate::Year(12345),
        ];
        for d in bad {
            assert_eq!(
                d.write_field(8, Encoding::Latin1, &mut out),
                Err(FieldWriteError::NotRepresentable),
                "{d:?}"
            );
        }
        assert!(out.is_empty());
        for raw in [
            &b"20170222"[..],
            b"19660500",
            b"19710000",
            b"00000000",
            b"99990000",
        ] {
            let mut out = Vec::new();
            VtjDate::from_bytes(raw)
                .write_field(8, Encoding::Latin1, &mut out)
                .unwrap();
            assert_eq!(out, raw);
        }
    }

    #[test]
    fn a_field_past_the_end_is_reported_not_dropped() {
        let opts = crate::ParseOptions::default();
        let mut diags = Vec::new();
        let mut sink = crate::diag::Sink::new(opts.mode, &mut diags);
        let mut cur = FieldCursor::new(b"abc", 10, 1, Some(*b"004"), &opts, &mut sink);
        let t: Text<'_> = cur.field("last_name", 5);
        assert_eq!(t.raw(), b"abc");
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].column, 10);
        assert_eq!(
            diags[0].kind,
            DiagnosticKind::TruncatedGroup {
                expected: 5,
                found: 3
            }
        );
    }

    #[test]
    fn display_prints_values_for_people() {
        assert_eq!(Text::new("Köskinen  ").to_string(), "Köskinen");
        assert_eq!(PersonId::new("010101A900R").to_string(), "010101A900R");
        assert_eq!(VtjDate::from_bytes(b"19660500").to_string(), "1966-05");
        assert_eq!(VtjDate::from_bytes(b"99990000").to_string(), "indefinite");
        assert_eq!(Digits::from_bytes(b"091").to_string(), "091");
        let yes: Code<'_, Flag> = Code::Known(Flag::Yes);
        assert_eq!(yes.to_string(), "1 (yes)");
    }

    fn write<'a, T: FieldValue<'a>>(v: &T, width: usize) -> Vec<u8> {
        let mut out = Vec::new();
        v.write_field(width, Encoding::Latin1, &mut out).unwrap();
        out
    }

    #[test]
    fn dates_keep_their_form() {
        for (raw, expect) in [
            (&b"20170222"[..], VtjDate::full(2017, 2, 22).unwrap()),
            (
                b"19660500",
                VtjDate::YearMonth {
                    year: 1966,
                    month: 5,
                },
            ),
            (b"19710000", VtjDate::Year(1971)),
            (b"00000000", VtjDate::Unknown),
            (b"99990000", VtjDate::Indefinite),
        ] {
            let (d, p) = VtjDate::parse_field(raw, Encoding::Latin1);
            assert_eq!(d, expect);
            assert!(p.is_none());
            assert_eq!(write(&d, 8), raw);
        }
        for raw in [
            &b"20170230"[..],
            b"2017022X",
            b"00000101",
            b"20171300",
            b"        ",
            b"2017",
        ] {
            let (d, p) = VtjDate::parse_field(raw, Encoding::Latin1);
            assert!(matches!(d, VtjDate::Invalid(_)));
            assert_eq!(p, Some(DiagnosticKind::InvalidDate));
        }
        let (d, _) = VtjDate::parse_field(b"20170230", Encoding::Latin1);
        assert_eq!(write(&d, 8), b"20170230");
    }

    #[test]
    fn date_json_forms() {
        let j = |raw: &[u8]| serde_json::to_string(&VtjDate::from_bytes(raw)).unwrap();
        assert_eq!(j(b"20170222"), r#""2017-02-22""#);
        assert_eq!(j(b"19660500"), r#""1966-05""#);
        assert_eq!(j(b"19710000"), r#""1971""#);
        assert_eq!(j(b"00000000"), "null");
        assert_eq!(j(b"99990000"), r#""indefinite""#);
        assert_eq!(j(b"2017x222"), r#"{"invalid":"2017x222"}"#);
    }

    #[test]
    fn text_pads_and_compares_without_padding() {
        let (t, _) = Text::parse_field(b"K\xf6skinen  ", Encoding::Latin1);
        assert_eq!(t, Text::new("Köskinen"));
        assert_eq!(write(&Text::new("Köskinen"), 10), b"K\xf6skinen  ");
        let mut out = Vec::new();
        assert_eq!(
            Text::new("abc").write_field(2, Encoding::Latin1, &mut out),
            Err(FieldWriteError::TooLong { width: 2, len: 3 })
        );
        // Latin-1 text written as UTF-8 keeps its width in characters.
        let mut out = Vec::new();
        t.write_field(10, Encoding::Utf8, &mut out).unwrap();
        assert_eq!(out, "Köskinen  ".as_bytes());
        assert_eq!(
            Text::parse_field(b"a\0", Encoding::Latin1).1,
            Some(DiagnosticKind::ControlCharacter)
        );
    }

    #[test]
    fn digits_pad_with_zeros() {
        assert_eq!(write(&Digits::number(91), 3), b"091");
        assert_eq!(write(&Digits::blank(), 3), b"   ");
        let (d, p) = Digits::parse_field(b"1 ", Encoding::Latin1);
        assert_eq!(p, Some(DiagnosticKind::NotDigits));
        assert_eq!(d.value(), Some(1));
        assert_eq!(write(&d, 2), b"1 ");
        assert_eq!(Digits::parse_field(b"   ", Encoding::Latin1).1, None);
    }
}
