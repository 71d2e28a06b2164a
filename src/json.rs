//! The line-echo JSON shape of records (`muutostieto parse`): one object per item, the header
//! and every group with its fields, qualifying groups nested under their host.
//!
//! ```json
//! {"type": "record", "line": 1, "header": {…}, "group_count": 4,
//!  "groups": [{"code": "004", "group": "current_name", "change": {…}, "last_name": "…", …}]}
//! ```
//!
//! **Blank values**: a field of spaces only (text, digits, codes, ids) and a date `00000000`
//! are `null`; whatever a blank code stands for is in the layout tables. Dates are ISO
//! (`"2017-02-22"`, `"1966-05"`, `"1971"`), `"indefinite"` for `99990000`, and
//! `{"invalid": "…"}` for a value that is not a date. `group_count` is a number (the header's
//! characters as a string when they are not two digits). Each group's own fields come from its
//! layout (see [`crate::layout`]); the record, item and nesting shape is here. The API model of
//! the new change interface is another JSON shape, in [`crate::api`].

use serde::ser::{SerializeMap, SerializeSeq};

use crate::field::json::{write_key, write_null, write_str, write_str_in, write_u64, WriteJson};
use serde::{Serialize, Serializer};

use crate::encoding::Encoding;
use crate::field::{Digits, In, SerializeIn};
use crate::record::{Continuation, Entry, Family, GroupPart, Item, RawLine, Record, RecordView};

/// The header's group count: a number when it is two digits.
struct GroupCount<'a>(Option<Digits<'a>>);

impl Serialize for GroupCount<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            None => s.serialize_none(),
            Some(d) => match d.value() {
                Some(n) if !d.is_blank() => s.serialize_u64(n),
                _ => d.serialize(s),
            },
        }
    }
}

impl<G: GroupPart + Serialize> Serialize for Entry<'_, G> {
    /// The group's map, with `"qualifiers": [...]` when it has any (bytes of ids and codes read
    /// as ISO-8859-1: an entry alone does not know its record's encoding).
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        EntryJson(self.group, self.qualifiers, Encoding::Latin1).serialize(s)
    }
}

/// An entry (a group and its qualifying groups) in its record's encoding.
struct EntryJson<'r, G>(&'r G, &'r [G], Encoding);

impl<G: GroupPart> Serialize for EntryJson<'_, G> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        self.0.serialize_head(self.2, &mut m)?;
        if !self.1.is_empty() {
            m.serialize_entry("qualifiers", &GroupsJson(self.1, self.2))?;
        }
        m.end()
    }
}

/// Groups as a JSON array, in their record's encoding.
struct GroupsJson<'r, G>(&'r [G], Encoding);

impl<G: GroupPart> Serialize for GroupsJson<'_, G> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for g in self.0 {
            seq.serialize_element(&GroupJson(g, self.1))?;
        }
        seq.end()
    }
}

struct GroupJson<'r, G>(&'r G, Encoding);

impl<G: GroupPart> Serialize for GroupJson<'_, G> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        self.0.serialize_head(self.1, &mut m)?;
        m.end()
    }
}

struct Entries<'r, 'a, H, G>(&'r Record<'a, H, G>, Encoding);

impl<H, G: GroupPart> Serialize for Entries<'_, '_, H, G> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        for e in self.0.entries() {
            seq.serialize_element(&EntryJson(e.group, e.qualifiers, self.1))?;
        }
        seq.end()
    }
}

struct ContinuationJson<'r, 'a, H>(&'r Continuation<'a, H>, Encoding);

impl<H: SerializeIn> Serialize for ContinuationJson<'_, '_, H> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(4))?;
        m.serialize_entry("line", &self.0.line.number)?;
        m.serialize_entry("header", &In(&self.0.header, self.1))?;
        m.serialize_entry("group_count", &GroupCount(self.0.line.group_count))?;
        m.serialize_entry("groups", &self.0.groups)?;
        m.end()
    }
}

/// The encoding a record's bytes are read in: the one it was read in; UTF-8 (Rust strings)
/// for a record built in code.
fn encoding_of<H, G>(r: &Record<'_, H, G>) -> Encoding {
    r.line.encoding.unwrap_or(Encoding::Utf8)
}

/// The map entries of a record (for embedding in an item's map).
fn record_entries<H: SerializeIn, G: GroupPart, M: SerializeMap>(
    r: &Record<'_, H, G>,
    m: &mut M,
) -> Result<(), M::Error> {
    let enc = encoding_of(r);
    m.serialize_entry("line", &r.line.number)?;
    m.serialize_entry("header", &In(&r.header, enc))?;
    m.serialize_entry("group_count", &GroupCount(r.line.group_count))?;
    m.serialize_entry("groups", &Entries(r, enc))?;
    if !r.continuations.is_empty() {
        let c: Vec<_> = r
            .continuations
            .iter()
            .map(|c| ContinuationJson(c, enc))
            .collect();
        m.serialize_entry("continuation_lines", &c)?;
    }
    Ok(())
}

impl<H: SerializeIn, G: GroupPart> Serialize for Record<'_, H, G> {
    /// `{"line": 1, "header": {…}, "group_count": 4, "groups": [...]}`, with
    /// `"continuation_lines"` when there are any.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        record_entries(self, &mut m)?;
        m.end()
    }
}

impl<H: SerializeIn, G: GroupPart> Serialize for Item<'_, Record<'_, H, G>> {
    /// `{"type": "record", "line": 1, "header": {…}, "groups": [...]}`, or
    /// `{"type": "envelope" | "malformed", "line": 1, "text": "…"}`.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        match self {
            Item::Record(r) => {
                m.serialize_entry("type", "record")?;
                record_entries(r, &mut m)?;
            }
            Item::Envelope(l) | Item::Malformed(l) | Item::Skipped(l) => {
                let kind = match self {
                    Item::Envelope(_) => "envelope",
                    Item::Malformed(_) => "malformed",
                    _ => "skipped",
                };
                m.serialize_entry("type", kind)?;
                m.serialize_entry("line", &l.number)?;
                m.serialize_entry("text", &l.encoding.decode(l.content))?;
            }
        }
        m.end()
    }
}

// ---------------------------------------------------------------------------------------------
// The same JSON written straight into bytes

/// Writes an item as one JSON object, the text serde_json writes for its `Serialize` form,
/// without serde (see [`crate::field::json`]): what `muutostieto parse` prints. With
/// `file`, the object starts with `"file": name`.
///
/// ```
/// use muutostieto::json::write_item;
/// use muutostieto::person::Person;
/// use muutostieto::read::SliceReader;
/// use muutostieto::ParseOptions;
///
/// let line = b"010101-900RXXX201702081101|00312|\r\n";
/// let parsed = SliceReader::new(Person, line, ParseOptions::default()).next().unwrap().unwrap();
/// let mut out = Vec::new();
/// write_item(&parsed.item, None, &mut out);
/// assert_eq!(out, serde_json::to_vec(&parsed.item).unwrap());
/// ```
pub fn write_item<H: WriteJson, G: GroupPart>(
    item: &Item<'_, Record<'_, H, G>>,
    file: Option<&str>,
    out: &mut Vec<u8>,
) {
    open_item(file, out);
    match item {
        Item::Record(r) => {
            out.extend_from_slice(b"\"type\":\"record\",");
            write_record_entries(r, out);
        }
        Item::Envelope(l) | Item::Malformed(l) | Item::Skipped(l) => {
            write_line_entries(item.kind(), l, out)
        }
    }
    out.push(b'}');
}

/// `{` and, with a file name, `"file": name,`.
fn open_item(file: Option<&str>, out: &mut Vec<u8>) {
    out.push(b'{');
    if let Some(name) = file {
        write_key("file", out);
        write_str(name, out);
        out.push(b',');
    }
}

/// `"continuation_lines": [...]`, each line's header written by `header(i, out)`.
fn write_continuations<'a>(
    lines: impl Iterator<Item = (u64, Option<Digits<'a>>, usize)>,
    mut header: impl FnMut(usize, &mut Vec<u8>),
    out: &mut Vec<u8>,
) {
    out.extend_from_slice(b",\"continuation_lines\":[");
    for (i, (number, count, groups)) in lines.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"line\":");
        write_u64(number, out);
        out.extend_from_slice(b",\"header\":");
        header(i, out);
        out.extend_from_slice(b",\"group_count\":");
        write_group_count(count, out);
        out.extend_from_slice(b",\"groups\":");
        write_u64(groups as u64, out);
        out.push(b'}');
    }
    out.push(b']');
}

/// `"type": kind, "line": n, "text": "…"` of a line kept as it is.
fn write_line_entries(kind: &str, l: &RawLine<'_>, out: &mut Vec<u8>) {
    out.extend_from_slice(b"\"type\":");
    write_str(kind, out);
    out.extend_from_slice(b",\"line\":");
    write_u64(l.number, out);
    out.extend_from_slice(b",\"text\":");
    write_str_in(l.content, l.encoding, out);
}

/// Writes a record as one JSON object (the text of its `Serialize` form).
pub fn write_record<H: WriteJson, G: GroupPart>(r: &Record<'_, H, G>, out: &mut Vec<u8>) {
    out.push(b'{');
    write_record_entries(r, out);
    out.push(b'}');
}

fn write_group_count(count: Option<Digits<'_>>, out: &mut Vec<u8>) {
    // Digits only (as always in a valid file): the number, without trimming first.
    if let Some(Digits::Raw(raw @ [_, ..])) = count {
        if raw.len() <= 19 && raw.iter().all(u8::is_ascii_digit) {
            let n = raw.iter().fold(0u64, |n, &d| n * 10 + u64::from(d - b'0'));
            write_u64(n, out);
            return;
        }
    }
    match count {
        None => write_null(out),
        // A value is never blank.
        Some(d) => match d.value() {
            Some(n) => write_u64(n, out),
            _ => d.write_json(Encoding::Latin1, out),
        },
    }
}

fn write_group<G: GroupPart>(g: &G, enc: Encoding, out: &mut Vec<u8>) {
    out.push(b'{');
    g.write_json_head(enc, out);
    out.push(b'}');
}

fn write_record_entries<H: WriteJson, G: GroupPart>(r: &Record<'_, H, G>, out: &mut Vec<u8>) {
    let enc = encoding_of(r);
    out.extend_from_slice(b"\"line\":");
    write_u64(r.line.number, out);
    out.extend_from_slice(b",\"header\":");
    r.header.write_json(enc, out);
    out.extend_from_slice(b",\"group_count\":");
    write_group_count(r.line.group_count, out);
    out.extend_from_slice(b",\"groups\":[");
    for (i, e) in r.entries().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.push(b'{');
        e.group.write_json_head(enc, out);
        if !e.qualifiers.is_empty() {
            out.extend_from_slice(b",\"qualifiers\":[");
            for (j, q) in e.qualifiers.iter().enumerate() {
                if j > 0 {
                    out.push(b',');
                }
                write_group(q, enc, out);
            }
            out.push(b']');
        }
        out.push(b'}');
    }
    out.push(b']');
    if !r.continuations.is_empty() {
        let lines = r
            .continuations
            .iter()
            .map(|c| (c.line.number, c.line.group_count, c.groups));
        let headers = &r.continuations;
        write_continuations(lines, |i, out| headers[i].header.write_json(enc, out), out);
    }
}

/// Writes an item whose record is a [`RecordView`] (checked, not typed) as one JSON object:
/// the same text as [`write_item`] of the typed item, written straight from the bytes by the
/// family's layouts ([`Family::write_group_json`]), without typing the record.
///
/// ```
/// use muutostieto::json::{write_item, write_view};
/// use muutostieto::person::Person;
/// use muutostieto::read::SliceReader;
/// use muutostieto::record::RecordView;
/// use muutostieto::ParseOptions;
///
/// let line = b"010101-900RXXX201702081101|00312|\r\n";
/// let mut reader = SliceReader::new(Person, line, ParseOptions::default());
/// let (mut view, mut diags) = (RecordView::default(), Vec::new());
/// let item = reader.next_view(&mut view, &mut diags).unwrap().unwrap();
/// let (mut direct, mut typed) = (Vec::new(), Vec::new());
/// write_view(Person, &item, None, &mut direct);
/// write_item(&item.map(|v| v.typed(Person)), None, &mut typed);
/// assert_eq!(direct, typed);
/// ```
pub fn write_view<F: Family>(
    family: F,
    item: &Item<'_, &RecordView<'_>>,
    file: Option<&str>,
    out: &mut Vec<u8>,
) {
    open_item(file, out);
    let view = match item {
        Item::Record(view) => view,
        Item::Envelope(l) | Item::Malformed(l) | Item::Skipped(l) => {
            write_line_entries(item.kind(), l, out);
            return out.push(b'}');
        }
    };
    out.extend_from_slice(b"\"type\":\"record\",");
    let enc = view.encoding();
    let schema = family.schema();
    let qualifying = |g: &crate::frame::FramedGroup<'_>| {
        g.layout
            .and_then(|i| schema.groups.get(i))
            .is_some_and(|l| l.qualifying)
    };
    let (first, rest) = match view.lines.split_first() {
        Some(split) => split,
        None => return out.push(b'}'),
    };
    out.extend_from_slice(b"\"line\":");
    write_u64(first.info.number, out);
    out.extend_from_slice(b",\"header\":");
    family.write_header_json(first.header, enc, out);
    out.extend_from_slice(b",\"group_count\":");
    write_group_count(first.info.group_count, out);
    out.extend_from_slice(b",\"groups\":[");
    let groups = &view.groups;
    let mut i = 0;
    while i < groups.len() {
        if i > 0 {
            out.push(b',');
        }
        out.push(b'{');
        family.write_group_json(&groups[i], enc, out);
        let mut j = i + 1;
        if groups.get(j).is_some_and(qualifying) {
            out.extend_from_slice(b",\"qualifiers\":[");
            while let Some(q) = groups.get(j).filter(|q| qualifying(q)) {
                if j > i + 1 {
                    out.push(b',');
                }
                out.push(b'{');
                family.write_group_json(q, enc, out);
                out.push(b'}');
                j += 1;
            }
            out.push(b']');
        }
        out.push(b'}');
        i = j;
    }
    out.push(b']');
    if !rest.is_empty() {
        let lines = rest
            .iter()
            .map(|c| (c.info.number, c.info.group_count, c.groups));
        write_continuations(
            lines,
            |i, out| family.write_header_json(rest[i].header, enc, out),
            out,
        );
    }
    out.push(b'}');
}
