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
use serde::{Serialize, Serializer};

use crate::encoding::Encoding;
use crate::field::{Digits, In, SerializeIn};
use crate::record::{Continuation, Entry, GroupPart, Item, Record};

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
