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

use crate::field::Digits;
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
    /// The group's map, with `"qualifiers": [...]` when it has any.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        self.group.serialize_head(&mut m)?;
        if !self.qualifiers.is_empty() {
            m.serialize_entry("qualifiers", self.qualifiers)?;
        }
        m.end()
    }
}

struct Entries<'r, 'a, H, G>(&'r Record<'a, H, G>);

impl<H, G: GroupPart + Serialize> Serialize for Entries<'_, '_, H, G> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        for e in self.0.entries() {
            seq.serialize_element(&e)?;
        }
        seq.end()
    }
}

struct ContinuationJson<'r, 'a, H>(&'r Continuation<'a, H>);

impl<H: Serialize> Serialize for ContinuationJson<'_, '_, H> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(4))?;
        m.serialize_entry("line", &self.0.line.number)?;
        m.serialize_entry("header", &self.0.header)?;
        m.serialize_entry("group_count", &GroupCount(self.0.line.group_count))?;
        m.serialize_entry("groups", &self.0.groups)?;
        m.end()
    }
}

/// The map entries of a record (for embedding in an item's map).
fn record_entries<H: Serialize, G: GroupPart + Serialize, M: SerializeMap>(
    r: &Record<'_, H, G>,
    m: &mut M,
) -> Result<(), M::Error> {
    {
        let this = r;
        m.serialize_entry("line", &this.line.number)?;
        m.serialize_entry("header", &this.header)?;
        m.serialize_entry("group_count", &GroupCount(this.line.group_count))?;
        m.serialize_entry("groups", &Entries(this))?;
        if !this.continuations.is_empty() {
            let c: Vec<_> = this.continuations.iter().map(ContinuationJson).collect();
            m.serialize_entry("continuation_lines", &c)?;
        }
        Ok(())
    }
}

impl<H: Serialize, G: GroupPart + Serialize> Serialize for Record<'_, H, G> {
    /// `{"line": 1, "header": {…}, "group_count": "04", "groups": [...]}`, with
    /// `"continuation_lines"` when there are any.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        record_entries(self, &mut m)?;
        m.end()
    }
}

impl<H: Serialize, G: GroupPart + Serialize> Serialize for Item<'_, Record<'_, H, G>> {
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
