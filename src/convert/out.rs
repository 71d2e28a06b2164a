//! What a conversion builds: the API groups of one record as plain values in reused buffers
//! (no allocation per record once warm), written out by small `Serialize` views.
//!
//! The JSON they write is that of the [`api`](crate::api) types (`Muutos`, `Perustieto`,
//! `Tietoryhma`); [`Converted::to_muutos`](super::Converted::to_muutos) reads it back into
//! those types, and the tests check that it reads back and writes out to the same value.

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

use crate::encoding::Encoding;

/// A range in one of the arena's buffers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// How exact a date is (`tarkkuus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Precision {
    Day,
    Month,
    Year,
}

impl Precision {
    pub fn token(self) -> &'static str {
        match self {
            Precision::Day => "PAIVA",
            Precision::Month => "KUUKAUSI",
            Precision::Year => "VUOSI",
        }
    }
}

/// `{"arvo":"0000-00-00","tarkkuus":"…"}` per [`Precision`] (in its order), padded to one
/// size, with its length.
const DATE_TEMPLATES: [([u8; 43], usize); 3] = {
    const fn template(text: &[u8]) -> ([u8; 43], usize) {
        let mut buf = [0u8; 43];
        let mut i = 0;
        while i < text.len() {
            buf[i] = text[i];
            i += 1;
        }
        (buf, text.len())
    }
    [
        template(b"{\"arvo\":\"0000-00-00\",\"tarkkuus\":\"PAIVA\"}"),
        template(b"{\"arvo\":\"0000-00-00\",\"tarkkuus\":\"KUUKAUSI\"}"),
        template(b"{\"arvo\":\"0000-00-00\",\"tarkkuus\":\"VUOSI\"}"),
    ]
};

/// A date value: a valid ISO `arvo` (unknown month and day as 01) and its precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DateVal {
    pub year: u16,
    pub month: u8,
    pub day: u8,
    pub precision: Precision,
}

impl DateVal {
    /// `YYYY-MM-DD` in a stack buffer.
    pub fn iso(self, buf: &mut [u8; 10]) -> &str {
        crate::field::iso_ymd(
            u32::from(self.year),
            u32::from(self.month),
            u32::from(self.day),
            buf,
        )
    }

    /// Appends `{"arvo":"YYYY-MM-DD","tarkkuus":"…"}`: the whole object made in a stack buffer
    /// from a template per precision (fixed-size, so no call to copy it), and copied in one
    /// piece.
    pub fn write_json(self, out: &mut Vec<u8>) {
        let (mut buf, len) = DATE_TEMPLATES[self.precision as usize];
        // `{"arvo":"` is 9 bytes; then YYYY-MM-DD (4 digits at most: the legacy field's width).
        let (y, m, d) = (self.year % 10000, self.month % 100, self.day % 100);
        buf[9] = b'0' + (y / 1000) as u8;
        buf[10] = b'0' + (y / 100 % 10) as u8;
        buf[11] = b'0' + (y / 10 % 10) as u8;
        buf[12] = b'0' + (y % 10) as u8;
        buf[14] = b'0' + m / 10;
        buf[15] = b'0' + m % 10;
        buf[17] = b'0' + d / 10;
        buf[18] = b'0' + d % 10;
        out.extend_from_slice(buf.get(..len).unwrap_or_default());
    }

    /// [`DateVal::write_json`] of the value read from these eight digits (`YYYYMMDD`, as the
    /// fast path's date reader reads them): the digits copied, no arithmetic.
    pub fn write_json_digits(self, digits: &[u8; 8], out: &mut Vec<u8>) {
        let (mut buf, len) = DATE_TEMPLATES[self.precision as usize];
        let [y0, y1, y2, y3, m0, m1, d0, d1] = *digits;
        let (m0, m1) = match self.precision {
            Precision::Year => (b'0', b'1'),
            _ => (m0, m1),
        };
        let (d0, d1) = match self.precision {
            Precision::Day => (d0, d1),
            _ => (b'0', b'1'),
        };
        buf[9..13].copy_from_slice(&[y0, y1, y2, y3]);
        buf[14..16].copy_from_slice(&[m0, m1]);
        buf[17..19].copy_from_slice(&[d0, d1]);
        out.extend_from_slice(buf.get(..len).unwrap_or_default());
    }
}

/// One JSON value of a converted group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Val {
    /// No value: the field is left out (a rule's answer, never stored).
    Absent,
    /// A value that cannot be converted: the group goes to `LEGACY_` (never stored).
    Invalid,
    /// Text in the arena.
    Str(Span),
    /// A fixed token (an enum name).
    Static(&'static str),
    Bool(bool),
    /// `{"arvo": ..., "tarkkuus": ...}`.
    Date(DateVal),
    /// `{"fi": ..., "sv": ...}`, a language left out when `None`.
    Ml(Option<Span>, Option<Span>),
    /// A nested object: fields in the arena.
    Obj(Span),
    /// An array: items in the arena.
    Arr(Span),
}

/// The name (`tietoryhma`) of a converted group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Name {
    /// An API group name.
    Api(&'static str),
    /// `LEGACY_` + the legacy code (text in the arena).
    Legacy(Span),
}

/// One converted group.
#[derive(Debug, Clone, Copy)]
pub(crate) struct OutGroup {
    pub name: Name,
    /// `muutosattribuutti` (absent in base data).
    pub change: Option<&'static str>,
    /// The group's fields (`fields` buffer).
    pub fields: Span,
    /// `turvakiellonAlaisetKentat` (`items` buffer, `Static` names); empty when none.
    pub protected: Span,
    /// A `LEGACY_` group's `teksti` (text buffer).
    pub text: Span,
}

/// The buffers of a conversion, reused from record to record.
#[derive(Debug, Default)]
pub(crate) struct Arena {
    pub text: String,
    pub fields: Vec<(&'static str, Val)>,
    pub items: Vec<Val>,
    pub groups: Vec<OutGroup>,
    /// Objects and arrays being built (kept for their capacity).
    spare_objs: Vec<Vec<(&'static str, Val)>>,
    spare_items: Vec<Vec<Val>>,
}

impl Arena {
    pub fn clear(&mut self) {
        self.text.clear();
        self.fields.clear();
        self.items.clear();
        self.groups.clear();
    }

    pub fn str(&self, s: Span) -> &str {
        self.text.get(s.range()).unwrap_or("")
    }

    /// Text decoded from `bytes` in `enc`, without surrounding spaces; `None` when empty.
    pub fn push_text(&mut self, bytes: &[u8], enc: Encoding) -> Option<Span> {
        let bytes = trim_padding(bytes).trim_ascii();
        if bytes.is_empty() {
            return None;
        }
        let start = self.text.len() as u32;
        match enc {
            // One pass for ASCII (encoding_rs checks and borrows); other bytes char by char.
            Encoding::Latin1 => match encoding_rs::mem::decode_latin1(bytes) {
                std::borrow::Cow::Borrowed(s) => self.text.push_str(s),
                std::borrow::Cow::Owned(_) => {
                    self.text.extend(bytes.iter().map(|&b| char::from(b)))
                }
            },
            other => self.text.push_str(&other.decode(bytes)),
        }
        Some(Span {
            start,
            end: self.text.len() as u32,
        })
    }

    /// A string copied in as it is.
    pub fn push_str(&mut self, s: &str) -> Span {
        let start = self.text.len() as u32;
        self.text.push_str(s);
        Span {
            start,
            end: self.text.len() as u32,
        }
    }

    /// An empty object to fill (return it with [`end_obj`](Self::end_obj)).
    pub fn begin_obj(&mut self) -> Vec<(&'static str, Val)> {
        self.spare_objs.pop().unwrap_or_default()
    }

    /// Stores a filled object's fields; the span of them.
    pub fn end_obj(&mut self, mut obj: Vec<(&'static str, Val)>) -> Span {
        let start = self.fields.len() as u32;
        self.fields.append(&mut obj);
        self.spare_objs.push(obj);
        Span {
            start,
            end: self.fields.len() as u32,
        }
    }

    /// An empty array to fill (return it with [`end_arr`](Self::end_arr)).
    pub fn begin_arr(&mut self) -> Vec<Val> {
        self.spare_items.pop().unwrap_or_default()
    }

    /// Stores a filled array's items; the span of them.
    pub fn end_arr(&mut self, mut arr: Vec<Val>) -> Span {
        let start = self.items.len() as u32;
        self.items.append(&mut arr);
        self.spare_items.push(arr);
        Span {
            start,
            end: self.items.len() as u32,
        }
    }

    /// Returns a buffer without storing it (a discarded object).
    pub fn drop_obj(&mut self, mut obj: Vec<(&'static str, Val)>) {
        obj.clear();
        self.spare_objs.push(obj);
    }

    pub fn fields_of(&self, s: Span) -> &[(&'static str, Val)] {
        self.fields.get(s.range()).unwrap_or_default()
    }

    pub fn items_of(&self, s: Span) -> &[Val] {
        self.items.get(s.range()).unwrap_or_default()
    }
}

/// `bytes` without the space padding at its end, eight bytes at a time (fields are mostly
/// padding: a 255-character e-mail field, 100-character names).
fn trim_padding(bytes: &[u8]) -> &[u8] {
    let mut end = bytes.len();
    while end >= 8 && bytes[end - 8..end] == [b' '; 8] {
        end -= 8;
    }
    &bytes[..end]
}

/// Appends `s` as a JSON string, escaped as serde_json escapes it.
pub(crate) fn json_string(out: &mut Vec<u8>, s: &str) {
    json_str(out, s)
}

fn json_str(out: &mut Vec<u8>, s: &str) {
    crate::field::json::write_str(s, out)
}

/// `"key":` for one of the mapping's own keys (`&'static` API field names: ASCII letters, which
/// JSON carries as they are; `keys_need_no_escaping` below checks every one).
#[inline]
fn json_key(out: &mut Vec<u8>, key: &'static str) {
    debug_assert!(key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'));
    out.push(b'"');
    out.extend_from_slice(key.as_bytes());
    out.extend_from_slice(b"\":");
}

impl Arena {
    /// Appends a value as JSON: the bytes serde_json writes for [`ValView`], without serde.
    fn write_val(&self, out: &mut Vec<u8>, val: Val) {
        match val {
            Val::Absent | Val::Invalid => out.extend_from_slice(b"null"),
            Val::Str(span) => json_str(out, self.str(span)),
            Val::Static(token) => json_str(out, token),
            Val::Bool(true) => out.extend_from_slice(b"true"),
            Val::Bool(false) => out.extend_from_slice(b"false"),
            Val::Date(d) => d.write_json(out),
            Val::Ml(fi, sv) => {
                out.push(b'{');
                if let Some(fi) = fi {
                    json_key(out, "fi");
                    json_str(out, self.str(fi));
                }
                if let Some(sv) = sv {
                    if fi.is_some() {
                        out.push(b',');
                    }
                    json_key(out, "sv");
                    json_str(out, self.str(sv));
                }
                out.push(b'}');
            }
            Val::Obj(span) => {
                out.push(b'{');
                for (i, &(key, val)) in self.fields_of(span).iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    json_key(out, key);
                    self.write_val(out, val);
                }
                out.push(b'}');
            }
            Val::Arr(span) => {
                out.push(b'[');
                for (i, &val) in self.items_of(span).iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    self.write_val(out, val);
                }
                out.push(b']');
            }
        }
    }

    /// Appends a group as JSON (the bytes serde_json writes for [`GroupView`]).
    pub fn write_group(&self, out: &mut Vec<u8>, g: &OutGroup) {
        out.extend_from_slice(b"{\"tietoryhma\":");
        match g.name {
            Name::Api(name) => json_str(out, name),
            Name::Legacy(code) => {
                let mut tag = String::with_capacity(10);
                tag.push_str(crate::api::tietoryhma::LEGACY_PREFIX);
                tag.push_str(self.str(code));
                json_str(out, &tag);
            }
        }
        if let Some(change) = g.change {
            out.extend_from_slice(b",\"muutosattribuutti\":");
            json_str(out, change);
        }
        for &(key, val) in self.fields_of(g.fields) {
            out.push(b',');
            json_key(out, key);
            self.write_val(out, val);
        }
        if g.protected.len() > 0 {
            out.extend_from_slice(b",\"turvakiellonAlaisetKentat\":");
            self.write_val(out, Val::Arr(g.protected));
        }
        if let Name::Legacy(_) = g.name {
            out.extend_from_slice(b",\"teksti\":");
            json_str(out, self.str(g.text));
        }
        out.push(b'}');
    }

    /// Appends every group as a JSON array.
    pub fn write_groups(&self, out: &mut Vec<u8>) {
        out.push(b'[');
        for (i, g) in self.groups.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            self.write_group(out, g);
        }
        out.push(b']');
    }
}

/// A value, written as JSON.
struct ValView<'v> {
    arena: &'v Arena,
    val: Val,
}

impl Serialize for ValView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let arena = self.arena;
        match self.val {
            Val::Absent | Val::Invalid => s.serialize_none(),
            Val::Str(span) => s.serialize_str(arena.str(span)),
            Val::Static(token) => s.serialize_str(token),
            Val::Bool(b) => s.serialize_bool(b),
            Val::Date(d) => {
                let mut buf = [0u8; 10];
                let mut m = s.serialize_map(Some(2))?;
                m.serialize_entry("arvo", d.iso(&mut buf))?;
                m.serialize_entry("tarkkuus", d.precision.token())?;
                m.end()
            }
            Val::Ml(fi, sv) => {
                let n = usize::from(fi.is_some()) + usize::from(sv.is_some());
                let mut m = s.serialize_map(Some(n))?;
                if let Some(fi) = fi {
                    m.serialize_entry("fi", arena.str(fi))?;
                }
                if let Some(sv) = sv {
                    m.serialize_entry("sv", arena.str(sv))?;
                }
                m.end()
            }
            Val::Obj(span) => {
                let fields = arena.fields_of(span);
                let mut m = s.serialize_map(Some(fields.len()))?;
                for &(key, val) in fields {
                    m.serialize_entry(key, &ValView { arena, val })?;
                }
                m.end()
            }
            Val::Arr(span) => {
                let items = arena.items_of(span);
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for &val in items {
                    seq.serialize_element(&ValView { arena, val })?;
                }
                seq.end()
            }
        }
    }
}

/// One converted group, written as a `Tietoryhma` object.
pub(crate) struct GroupView<'v> {
    pub arena: &'v Arena,
    pub group: &'v OutGroup,
}

impl Serialize for GroupView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let arena = self.arena;
        let g = self.group;
        let mut m = s.serialize_map(None)?;
        match g.name {
            Name::Api(name) => m.serialize_entry("tietoryhma", name)?,
            Name::Legacy(code) => {
                m.serialize_entry("tietoryhma", &LegacyTag(arena.str(code)))?;
            }
        }
        if let Some(change) = g.change {
            m.serialize_entry("muutosattribuutti", change)?;
        }
        for &(key, val) in arena.fields_of(g.fields) {
            m.serialize_entry(key, &ValView { arena, val })?;
        }
        if g.protected.len() > 0 {
            m.serialize_entry(
                "turvakiellonAlaisetKentat",
                &ValView {
                    arena,
                    val: Val::Arr(g.protected),
                },
            )?;
        }
        if let Name::Legacy(_) = g.name {
            m.serialize_entry("teksti", arena.str(g.text))?;
        }
        m.end()
    }
}

/// `LEGACY_<code>` without building a string.
struct LegacyTag<'a>(&'a str);

impl Serialize for LegacyTag<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&format_args!(
            "{}{}",
            crate::api::tietoryhma::LEGACY_PREFIX,
            self.0
        ))
    }
}

/// The groups of a conversion, written as a JSON array.
pub(crate) struct GroupsView<'v> {
    pub arena: &'v Arena,
}

impl Serialize for GroupsView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let arena = self.arena;
        let mut seq = s.serialize_seq(Some(arena.groups.len()))?;
        for group in &arena.groups {
            seq.serialize_element(&GroupView { arena, group })?;
        }
        seq.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_text() {
        let d = DateVal {
            year: 987,
            month: 5,
            day: 1,
            precision: Precision::Month,
        };
        assert_eq!(d.iso(&mut [0; 10]), "0987-05-01");
        for (year, month, day) in [(987, 5, 1), (1, 1, 1), (2024, 12, 31), (9999, 9, 9)] {
            for precision in [Precision::Day, Precision::Month, Precision::Year] {
                let d = DateVal {
                    year,
                    month,
                    day,
                    precision,
                };
                let mut out = Vec::new();
                d.write_json(&mut out);
                let want = format!(
                    "{{\"arvo\":\"{}\",\"tarkkuus\":\"{}\"}}",
                    d.iso(&mut [0; 10]),
                    precision.token()
                );
                assert_eq!(String::from_utf8(out).unwrap(), want);
            }
        }
        let mut a = Arena::default();
        let s = a.push_text(b"  P\xe4l\xf6  ", Encoding::Latin1).unwrap();
        assert_eq!(a.str(s), "Pälö");
        assert_eq!(a.push_text(b"    ", Encoding::Latin1), None);
        let s = a.push_text(b"\xa4", Encoding::Latin9).unwrap();
        assert_eq!(a.str(s), "€");
        let s = a.push_text("ä ".as_bytes(), Encoding::Utf8).unwrap();
        assert_eq!(a.str(s), "ä");
    }
}
