//! Field values written as JSON text straight into a byte buffer (*JSON-kirjoitus*).
//!
//! [`WriteJson`] writes exactly the text that serde_json writes for a value's
//! [`SerializeIn`](super::SerializeIn) form (the crate's line-echo JSON), without going through
//! serde: keys are written as they stand, text is decoded from ISO-8859-1 byte by byte into the
//! output (no `String` in between), and plain ASCII is copied in one piece. The line-echo
//! writer ([`crate::json::write_item`]) is built on it; a test holds both forms equal on every
//! test file.
//!
//! ```
//! use muutostieto::field::json::{write_str_in, WriteJson};
//! use muutostieto::field::Text;
//! use muutostieto::Encoding;
//!
//! let mut out = Vec::new();
//! Text::from_bytes(b"K\xf6skinen \"T\"  ", Encoding::Latin1).write_json(Encoding::Latin1, &mut out);
//! assert_eq!(out, "\"Köskinen \\\"T\\\"\"".as_bytes());
//! out.clear();
//! write_str_in(b"\t", Encoding::Latin1, &mut out);
//! assert_eq!(out, b"\"\\t\"");
//! ```

use crate::encoding::Encoding;

/// A value that writes its own JSON text.
pub trait WriteJson {
    /// Appends the value's JSON to `out`, bytes that keep only their bytes read in `enc` (the
    /// record's encoding).
    fn write_json(&self, enc: Encoding, out: &mut Vec<u8>);
}

/// `true` for bytes that JSON strings carry as they are: printable ASCII but `"` and `\`.
#[inline(always)]
#[allow(clippy::manual_range_contains)]
fn plain(b: u8) -> bool {
    // Bitwise, not short-circuit: no branch, so that loops over bytes become vector code.
    !((b < 0x20) | (b >= 0x7F) | (b == b'"') | (b == b'\\'))
}

/// True when every byte is [`plain`]: eight bytes at a time (the last eight overlap the ones
/// before); shorter text is read as one word by [`short_word`].
#[inline]
fn all_plain(bytes: &[u8]) -> bool {
    let Some(last) = bytes.last_chunk::<8>() else {
        return bytes.is_empty() || not_plain8(padded(short_word(bytes), bytes.len())) == 0;
    };
    let mut bad = not_plain8(u64::from_le_bytes(*last));
    let mut rest = bytes;
    while let Some((block, tail)) = rest.split_first_chunk::<8>() {
        bad |= not_plain8(u64::from_le_bytes(*block));
        rest = tail;
    }
    bad == 0
}

const SPACES: u64 = u64::from_le_bytes([b' '; 8]);

/// One to seven bytes as the low bytes of a little-endian word (zero above them), read with
/// two loads that may overlap instead of a loop.
#[inline(always)]
fn short_word(b: &[u8]) -> u64 {
    let n = b.len();
    if let (Some(lo), Some(hi)) = (b.first_chunk::<4>(), b.last_chunk::<4>()) {
        u64::from(u32::from_le_bytes(*lo)) | u64::from(u32::from_le_bytes(*hi)) << (8 * (n - 4))
    } else if let (Some(lo), Some(hi)) = (b.first_chunk::<2>(), b.last_chunk::<2>()) {
        u64::from(u16::from_le_bytes(*lo)) | u64::from(u16::from_le_bytes(*hi)) << (8 * (n - 2))
    } else {
        b.first().map_or(0, |&x| u64::from(x))
    }
}

/// A word of `n` (1 to 7) bytes with spaces (plain) in the bytes above them.
#[inline(always)]
fn padded(word: u64, n: usize) -> u64 {
    word | SPACES << (8 * n)
}

/// Non-zero when one of eight bytes is not [`plain`] (bit tricks on a `u64`, no branch).
#[inline(always)]
fn not_plain8(x: u64) -> u64 {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    // A zero byte in `v` (exact as a yes or no).
    let has_zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    // The low seven bits of each byte: adding to them never carries into the next byte.
    let low = x & !HIGH;
    // High bit set (>= 0x80), low bits 0x7F (DEL), or low bits under 0x20 (controls).
    let outside = (x | (low + ONES) | !(low + 0x60 * ONES)) & HIGH;
    outside | has_zero(x ^ (u64::from(b'"') * ONES)) | has_zero(x ^ (u64::from(b'\\') * ONES))
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Appends one character's escape the way serde_json writes it.
#[inline]
fn escape_ascii(b: u8, out: &mut Vec<u8>) {
    match b {
        b'"' => out.extend_from_slice(b"\\\""),
        b'\\' => out.extend_from_slice(b"\\\\"),
        b'\n' => out.extend_from_slice(b"\\n"),
        b'\r' => out.extend_from_slice(b"\\r"),
        b'\t' => out.extend_from_slice(b"\\t"),
        0x08 => out.extend_from_slice(b"\\b"),
        0x0C => out.extend_from_slice(b"\\f"),
        b if b < 0x20 => {
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(b >> 4)]);
            out.push(HEX[usize::from(b & 0xF)]);
        }
        b => out.push(b),
    }
}

/// Appends `s` as a JSON string, quotes included.
#[inline]
pub fn write_str(s: &str, out: &mut Vec<u8>) {
    out.push(b'"');
    write_str_body(s.as_bytes(), out);
    out.push(b'"');
}

/// True when no byte of UTF-8 text needs an escape (no control character, `"` or `\`).
#[inline]
fn no_escapes(bytes: &[u8]) -> bool {
    let mut bad = 0u8;
    for &b in bytes {
        bad |= u8::from((b < 0x20) | (b == b'"') | (b == b'\\'));
    }
    bad == 0
}

/// The inside of a JSON string for UTF-8 bytes (valid UTF-8: only ASCII is escaped).
#[inline]
fn write_str_body(bytes: &[u8], out: &mut Vec<u8>) {
    if no_escapes(bytes) {
        out.extend_from_slice(bytes);
        return;
    }
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b < 0x80 && !plain(b) && b != 0x7F {
            out.extend_from_slice(&bytes[start..i]);
            escape_ascii(b, out);
            start = i + 1;
        }
    }
    out.extend_from_slice(&bytes[start..]);
}

/// Appends `bytes`, read in `enc`, as a JSON string (quotes included): the text of
/// `enc.decode(bytes)`.
///
/// Text of plain ASCII (no escape needed, the same in every encoding) is copied here, small
/// enough to be inlined where fields are written; other text goes to an out-of-line writer.
#[inline]
pub fn write_str_in(bytes: &[u8], enc: Encoding, out: &mut Vec<u8>) {
    let n = bytes.len();
    if (1..8).contains(&n) {
        // Short text (codes, numbers, short names): checked as one word and copied as eight
        // bytes cut back to `n`, with no call to a copy routine.
        let word = short_word(bytes);
        if not_plain8(padded(word, n)) == 0 {
            out.reserve(10);
            out.push(b'"');
            let at = out.len();
            out.extend_from_slice(&word.to_le_bytes());
            out.truncate(at + n);
            out.push(b'"');
            return;
        }
    } else if let (8..=16, Some(lo), Some(hi)) =
        (n, bytes.first_chunk::<8>(), bytes.last_chunk::<8>())
    {
        // Eight to sixteen bytes (names, ids): two words that overlap, copied as sixteen
        // bytes cut back to `n`.
        let (lo, hi) = (u64::from_le_bytes(*lo), u64::from_le_bytes(*hi));
        if not_plain8(lo) | not_plain8(hi) == 0 {
            let mut buf = [0u8; 16];
            buf[..8].copy_from_slice(&lo.to_le_bytes());
            buf[n - 8..n].copy_from_slice(&hi.to_le_bytes());
            out.reserve(18);
            out.push(b'"');
            let at = out.len();
            out.extend_from_slice(&buf);
            out.truncate(at + n);
            out.push(b'"');
            return;
        }
    } else if all_plain(bytes) {
        // Room for both quotes at once, then three copies that need not grow the buffer.
        out.reserve(bytes.len() + 2);
        out.push(b'"');
        out.extend_from_slice(bytes);
        out.push(b'"');
        return;
    }
    write_str_escaped(bytes, enc, out);
}

/// [`write_str_in`] for text with bytes beyond ASCII or bytes to escape.
#[inline(never)]
fn write_str_escaped(bytes: &[u8], enc: Encoding, out: &mut Vec<u8>) {
    out.push(b'"');
    if enc == Encoding::Latin1 {
        // Eight bytes at a time while they are plain (most of a Finnish name or street is),
        // byte by byte through a word that is not.
        let one = |b: u8, out: &mut Vec<u8>| {
            if b >= 0x80 {
                out.extend_from_slice(&[0xC0 | (b >> 6), 0x80 | (b & 0x3F)]);
            } else if plain(b) || b == 0x7F {
                out.push(b);
            } else {
                escape_ascii(b, out);
            }
        };
        out.reserve(bytes.len() * 2);
        let mut rest = bytes;
        while let Some((word, tail)) = rest.split_first_chunk::<8>() {
            if not_plain8(u64::from_le_bytes(*word)) == 0 {
                out.extend_from_slice(word);
            } else {
                word.iter().for_each(|&b| one(b, out));
            }
            rest = tail;
        }
        rest.iter().for_each(|&b| one(b, out));
    } else {
        write_str_body(enc.decode(bytes).as_bytes(), out);
    }
    out.push(b'"');
}

/// Appends `"key":` (keys are the crate's own names: written as a JSON string).
#[inline(always)]
pub fn write_key(key: &str, out: &mut Vec<u8>) {
    write_str(key, out);
    out.push(b':');
}

/// Appends `null`.
#[inline(always)]
pub fn write_null(out: &mut Vec<u8>) {
    out.extend_from_slice(b"null");
}

/// Appends a number.
#[inline]
pub fn write_u64(n: u64, out: &mut Vec<u8>) {
    out.extend_from_slice(super::format_u64(n, &mut super::itoa_buf()));
}

/// Appends `{"code": …, "meaning": …}` (no `meaning` when `None`), the code's bytes read in
/// `enc`: the JSON of every code field.
#[inline]
pub fn write_code(raw: &[u8], enc: Encoding, meaning: Option<&str>, out: &mut Vec<u8>) {
    out.extend_from_slice(b"{\"code\":");
    write_str_in(raw, enc, out);
    if let Some(m) = meaning {
        out.extend_from_slice(b",\"meaning\":");
        write_str(m, out);
    }
    out.push(b'}');
}

// ---------------------------------------------------------------------------------------------
// The field types: each as its `SerializeIn` form writes it.

use super::{Code, CodeTable, Digits, MunicipalityCode, PersonId, Text, VtjDate};

impl WriteJson for Text<'_> {
    /// Text knows its encoding: `enc` is not needed.
    #[inline]
    fn write_json(&self, _enc: Encoding, out: &mut Vec<u8>) {
        match super::trim_spaces_end(self.bytes) {
            // All spaces (other whitespace alone is text: it shows as `""`).
            [] => write_null(out),
            text => write_str_in(text.trim_ascii_end(), self.enc, out),
        }
    }
}

impl WriteJson for Digits<'_> {
    #[inline]
    fn write_json(&self, enc: Encoding, out: &mut Vec<u8>) {
        match self {
            // Digits only (no padding to trim), the common case.
            Digits::Raw(raw @ [_, ..]) if raw.iter().all(u8::is_ascii_digit) => {
                write_str_in(raw, enc, out)
            }
            _ if self.is_blank() => write_null(out),
            // ASCII (digits always are) reads the same in every encoding: trimmed and
            // written from the bytes, as the decoded text would be.
            Digits::Raw(raw) if raw.is_ascii() => write_str_in(trim_white(raw), enc, out),
            Digits::Raw(raw) => write_str(enc.decode(raw).trim(), out),
            Digits::Number(n) => {
                out.push(b'"');
                write_u64(*n, out);
                out.push(b'"');
            }
        }
    }
}

/// ASCII bytes without the white space at both ends that `str::trim` takes (tab, line feed,
/// vertical tab, form feed, carriage return, space).
#[inline]
fn trim_white(bytes: &[u8]) -> &[u8] {
    let white = |b: &u8| matches!(b, b'\t'..=b'\r' | b' ');
    let start = bytes.iter().position(|b| !white(b)).unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !white(b))
        .map_or(start, |i| i + 1);
    &bytes[start..end]
}

/// Writes the JSON of a date field's eight bytes as [`VtjDate::from_bytes`] and
/// [`WriteJson`] would, straight from the digits. Inlined where each date field is written
/// (a call cost a fifth of it); an invalid date is written out of line.
#[inline(always)]
pub fn write_date_bytes(raw: &[u8], enc: Encoding, out: &mut Vec<u8>) {
    // `"YYYY-MM-DD"` put together in place and written with one copy; the shorter forms are
    // its first 6 or 9 bytes and a closing quote.
    let iso = |out: &mut Vec<u8>, len: usize| {
        let mut b = *b"\"YYYY-MM-DD\"";
        b[1..5].copy_from_slice(&raw[..4]);
        b[6..8].copy_from_slice(&raw[4..6]);
        b[9..11].copy_from_slice(&raw[6..8]);
        b[len - 1] = b'"';
        // All twelve bytes (a copy of known length), then cut back.
        let at = out.len();
        out.extend_from_slice(&b);
        out.truncate(at + len);
    };
    match super::digits8(raw) {
        Some((0, 0, 0)) => write_null(out),
        Some((9999, 0, 0)) => out.extend_from_slice(b"\"indefinite\""),
        Some((y, 0, 0)) if y > 0 => iso(out, 6),
        Some((y, 1..=12, 0)) if y > 0 => iso(out, 9),
        Some((y, m, d))
            if y > 0 && super::is_valid_ymd(u32::from(y), u32::from(m), u32::from(d)) =>
        {
            iso(out, 12)
        }
        _ => write_invalid_date(raw, enc, out),
    }
}

#[cold]
#[inline(never)]
fn write_invalid_date(raw: &[u8], enc: Encoding, out: &mut Vec<u8>) {
    VtjDate::Invalid(raw).write_json(enc, out);
}

impl WriteJson for VtjDate<'_> {
    #[inline]
    fn write_json(&self, enc: Encoding, out: &mut Vec<u8>) {
        match self {
            VtjDate::Unknown => write_null(out),
            VtjDate::Invalid(raw) => {
                out.extend_from_slice(b"{\"invalid\":");
                write_str_in(raw, enc, out);
                out.push(b'}');
            }
            VtjDate::Full(d) => {
                let mut buf = [0u8; 10];
                out.push(b'"');
                out.extend_from_slice(super::iso_full(*d, &mut buf).as_bytes());
                out.push(b'"');
            }
            other => write_str(&other.to_iso().unwrap_or_default(), out),
        }
    }
}

/// The JSON of a code value: `null` when blank, else [`write_code`] with its meaning.
pub fn write_code_json<T: CodeTable>(code: Code<'_, T>, enc: Encoding, out: &mut Vec<u8>) {
    let raw = code.raw();
    if let (Code::Unknown(_), 1..8) = (code, raw.len()) {
        // A short unknown code of plain ASCII that is not blank (event codes, mostly): its
        // JSON put together from one word.
        let word = short_word(raw);
        let blank = padded(word, raw.len()) == SPACES;
        if !blank && not_plain8(padded(word, raw.len())) == 0 {
            out.reserve(20);
            out.extend_from_slice(b"{\"code\":\"");
            let at = out.len();
            out.extend_from_slice(&word.to_le_bytes());
            out.truncate(at + raw.len());
            out.extend_from_slice(b"\"}");
            return;
        }
    }
    if raw.iter().all(|&b| b == b' ') {
        write_null(out);
    } else {
        write_code(raw, enc, code.meaning(), out);
    }
}

impl<T: CodeTable> WriteJson for Code<'_, T> {
    #[inline]
    fn write_json(&self, enc: Encoding, out: &mut Vec<u8>) {
        match self {
            // Made once per table by `write_code_json`.
            Code::Known(t) => match t.json() {
                Some(json) => out.extend_from_slice(json),
                None => write_code_json(*self, enc, out),
            },
            Code::Unknown(_) => write_code_json(*self, enc, out),
        }
    }
}

impl WriteJson for PersonId<'_> {
    #[inline]
    fn write_json(&self, enc: Encoding, out: &mut Vec<u8>) {
        if self.is_blank() {
            write_null(out);
        } else {
            write_str_in(super::trim_end(self.raw), enc, out);
        }
    }
}

impl WriteJson for MunicipalityCode<'_> {
    #[inline]
    fn write_json(&self, enc: Encoding, out: &mut Vec<u8>) {
        write_municipality(self.raw, enc, out);
    }
}

/// The JSON of a known municipality number's code field, `{"code":"091","meaning":"Helsinki"}`
/// (its Finnish name as meaning), made once per table entry; `None` for other bytes.
fn municipality_json(code: &[u8]) -> Option<&'static [u8]> {
    use crate::municipality::{position, MUNICIPALITIES};
    static JSON: std::sync::OnceLock<Vec<Box<[u8]>>> = std::sync::OnceLock::new();
    let at = position(code)?;
    let json = JSON.get_or_init(|| {
        MUNICIPALITIES
            .iter()
            .map(|m| {
                let mut out = Vec::new();
                write_code(
                    m.code.as_bytes(),
                    Encoding::Latin1,
                    Some(m.finnish),
                    &mut out,
                );
                out.into_boxed_slice()
            })
            .collect()
    });
    json.get(at).map(|b| &**b)
}

/// The JSON of a municipality number's bytes (shared with records read with a layout file).
#[inline]
pub fn write_municipality(raw: &[u8], enc: Encoding, out: &mut Vec<u8>) {
    if raw.iter().all(|&b| b == b' ') {
        write_null(out);
    } else {
        match municipality_json(raw) {
            // A known number is three ASCII digits, the same in every encoding.
            Some(json) => out.extend_from_slice(json),
            None => write_code(raw, enc, None, out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_plain_agrees_with_plain_on_every_byte_and_place() {
        for len in 0..20 {
            for at in 0..len {
                for b in 0..=255u8 {
                    let mut v = vec![b'a'; len];
                    v[at] = b;
                    assert_eq!(all_plain(&v), plain(b), "byte {b:#x} at {at} of {len}");
                }
            }
        }
    }

    use crate::field::{In, SerializeIn};

    fn same<T: WriteJson + SerializeIn>(v: &T, enc: Encoding) {
        let mut out = Vec::new();
        v.write_json(enc, &mut out);
        let want = serde_json::to_vec(&In(v, enc)).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&out),
            String::from_utf8_lossy(&want)
        );
    }

    #[test]
    fn field_values_write_what_serde_writes() {
        let odd: &[&[u8]] = &[
            b"",
            b"  ",
            b"00000000",
            b"99990000",
            b"19810000",
            b"19810500",
            b"20170222",
            b"20170230",
            b"x\"\\\t",
            b" 12 ",
            b"\xa0091\x85",
            b"091",
            b"999",
            b"\xe4\xf6",
            b"\x0b12\x0c",
            b"\t 7\r\n",
            b"010101-900R",
            b"010101-900R  ",
            b"1",
            b"2",
            b"7",
        ];
        for enc in [Encoding::Latin1, Encoding::Latin9, Encoding::Utf8] {
            for &raw in odd {
                same(&Text::from_bytes(raw, enc), enc);
                same(&Digits::from_bytes(raw), enc);
                same(&Digits::number(42), enc);
                same(&VtjDate::from_bytes(raw), enc);
                same(&PersonId::from_bytes(raw), enc);
                same(&MunicipalityCode::from_bytes(raw), enc);
                same(
                    &<Code<'_, super::super::Flag> as super::super::FieldValue>::parse_field(
                        raw, enc,
                    )
                    .0,
                    enc,
                );
            }
        }
    }

    #[test]
    fn municipality_json_is_the_code_with_its_finnish_name() {
        for n in 0..1000 {
            let code = format!("{n:03}").into_bytes();
            let want = crate::municipality::lookup(&code).map(|m| {
                let mut out = Vec::new();
                write_code(&code, Encoding::Latin1, Some(m.finnish), &mut out);
                out
            });
            assert_eq!(municipality_json(&code).map(<[u8]>::to_vec), want, "{n}");
        }
        assert_eq!(municipality_json(b" 91"), None);
    }

    #[test]
    fn one_byte_codes_write_what_the_parsed_code_writes() {
        fn each<T: crate::field::CodeTable>() {
            for enc in [Encoding::Latin1, Encoding::Latin9, Encoding::Utf8] {
                for b in 0..=255u8 {
                    let raw = [b];
                    let mut fast = Vec::new();
                    <Code<'_, T> as crate::field::FieldValue>::write_json_from(
                        &raw, enc, &mut fast,
                    );
                    let mut want = Vec::new();
                    <Code<'_, T> as crate::field::FieldValue>::read(&raw, enc)
                        .write_json(enc, &mut want);
                    assert_eq!(fast, want, "{} {b:#x} {enc:?}", T::NAME);
                }
            }
        }
        each::<super::super::Flag>();
        each::<crate::person::codes::Sex>();
        each::<crate::person::codes::Validity>();
        each::<crate::person::codes::Role>();
        each::<crate::person::codes::Language>();
    }

    #[test]
    fn every_byte_at_every_place_escapes_as_serde_json_does() {
        for enc in [Encoding::Latin1, Encoding::Latin9, Encoding::Utf8] {
            for len in 1..20 {
                for at in 0..len {
                    for b in 0..=255u8 {
                        let mut v = b"M\xe4kel\xe4nkatu 12 A".repeat(2);
                        v.truncate(len);
                        v[at] = b;
                        let mut out = Vec::new();
                        write_str_in(&v, enc, &mut out);
                        let want = serde_json::to_vec(&enc.decode(&v)).unwrap();
                        assert_eq!(out, want, "{enc:?}, byte {b:#x} at {at} of {len}");
                    }
                }
            }
        }
    }

    #[test]
    fn strings_escape_as_serde_json_does() {
        let all: Vec<u8> = (0..=255u8).collect();
        for enc in [Encoding::Latin1, Encoding::Latin9, Encoding::Utf8] {
            for bytes in [
                &all[..],
                b"plain",
                b"",
                b"a\"b\\c\x7f",
                &all[..0x80],
                &all[0x80..],
            ] {
                let mut out = Vec::new();
                write_str_in(bytes, enc, &mut out);
                let want = serde_json::to_vec(&enc.decode(bytes)).unwrap();
                assert_eq!(
                    String::from_utf8_lossy(&out),
                    String::from_utf8_lossy(&want),
                    "{enc:?}"
                );
            }
        }
        let mut out = Vec::new();
        write_u64(0, &mut out);
        out.push(b' ');
        write_u64(u64::MAX, &mut out);
        assert_eq!(out, format!("0 {}", u64::MAX).as_bytes());
    }
}
