//! Records (*tietueet*) of any record family: a header, its groups, and how the lines were framed.
//!
//! Person files, building files and files read with a user's layout share everything here:
//! group counts, final `|`, line endings, continuation lines (*jatkorivit*), qualifying groups,
//! raw groups, diagnostics, the writer and the JSON shape. A [`Family`] supplies what differs:
//! the [`Schema`] and the typed header and group values.
//!
//! ```
//! use muutostieto::person::Person;
//! use muutostieto::record::Family;
//! let schema = Person.schema();
//! assert_eq!(schema.name, "person");
//! assert_eq!(schema.layouts_for(b"305").len(), 2);
//! ```

use std::fmt;

use serde::ser::SerializeMap;
use serde::Serialize;

use crate::diag::WriteError;
use crate::diag::{Diagnostic, DiagnosticKind, GroupCode, Sink};
use crate::encoding::Encoding;
use crate::field::{text_is_clean, CustomKind, Digits, FieldCursor, FieldValue, SerializeIn};
use crate::frame::{FramedGroup, Groups, Line, LineEnding, SEPARATOR};

pub mod change;
mod item;
mod macros;
pub(crate) use macros::{family_header, group_catalogue, group_structs, layout_family_methods};

use crate::layout::Schema;
use crate::ParseOptions;
pub use change::{ChangeAttribute, ChangeType};
pub use item::{Item, Parsed, RawLine};

/// A header or group value that can be written back.
pub trait WritePart {
    /// Writes the value (a group: its code and fields, no `|`).
    fn write_part(&self, enc: Encoding, out: &mut Vec<u8>) -> Result<(), WriteError>;
}

/// What every family's header tells, whatever its layout: for statistics and conversion.
pub trait HeaderPart: WritePart {
    /// The record's key as it stands: the person id, the building id, or the first header field.
    fn key(&self) -> &[u8];
    /// The event code (*tapahtuma*), e.g. `XBX`.
    fn event(&self) -> &[u8];
    /// The registration date (*rekisteröintipäivä*).
    fn registered(&self) -> crate::field::VtjDate<'_>;
    /// The change-type byte (*muutostyyppi*): `1` new, `0` existing, `J` continuation.
    fn change_type(&self) -> &[u8];
    /// What the event code means, when the family's code table says.
    fn event_meaning(&self) -> Option<&'static str> {
        None
    }
}

/// What records need to know of a group type.
pub trait GroupPart: WritePart {
    /// The change attribute (*muutosattribuutti*) as it stands; `None` for a group too short to
    /// have one.
    fn change(&self) -> Option<u8>;
    /// The group code.
    fn code(&self) -> [u8; 3];
    /// True for qualifying groups, which attach to the group before them.
    fn is_qualifying(&self) -> bool;
    /// Serialises `code`, `group` (name) and the fields as map entries; bytes of fields that
    /// keep only their bytes are read in `enc`, the record's encoding.
    fn serialize_head<M: SerializeMap>(&self, enc: Encoding, map: &mut M) -> Result<(), M::Error>;
    /// Writes the same entries as [`GroupPart::serialize_head`] as JSON text, without the
    /// braces (see [`crate::field::json`]).
    fn write_json_head(&self, enc: Encoding, out: &mut Vec<u8>);
}

/// A record family: the layouts and the typed values of one kind of change file.
pub trait Family: Copy {
    /// The typed header.
    type Header<'a>: WritePart
        + Clone
        + fmt::Debug
        + PartialEq
        + Serialize
        + SerializeIn
        + crate::field::json::WriteJson;
    /// The typed group.
    type Group<'a>: GroupPart + Clone + fmt::Debug + PartialEq + Serialize;
    /// The layouts.
    fn schema(&self) -> &Schema;
    /// Reads the header fields (everything before the group count).
    fn parse_header<'a>(&self, cur: &mut FieldCursor<'a, '_, '_>) -> Self::Header<'a>;
    /// Reads the fields of a group whose layout (index into `schema().groups`) framing matched;
    /// the cursor stands after the 3-character code.
    fn parse_group<'a>(&self, layout: usize, cur: &mut FieldCursor<'a, '_, '_>) -> Self::Group<'a>;
    /// Checks the header fields, reporting what [`Family::parse_header`] would (the checking
    /// pass of every reader; the default parses and drops the value).
    #[inline]
    fn check_header(&self, cur: &mut FieldCursor<'_, '_, '_>) {
        self.parse_header(cur);
    }
    /// Checks the fields of a group, reporting what [`Family::parse_group`] would.
    #[inline]
    fn check_group(&self, layout: usize, cur: &mut FieldCursor<'_, '_, '_>) {
        self.parse_group(layout, cur);
    }
    /// Writes the JSON head of a framed group (what [`GroupPart::write_json_head`] writes for
    /// the typed group); the default types the group first, families override it to write
    /// straight from the bytes.
    fn write_group_json(&self, group: &FramedGroup<'_>, enc: Encoding, out: &mut Vec<u8>) {
        type_group(*self, group, enc).write_json_head(enc, out);
    }
    /// Writes the JSON of a line's header bytes (the typed header's
    /// [`WriteJson`](crate::field::json::WriteJson)); the default types it first.
    fn write_header_json(&self, header: &[u8], enc: Encoding, out: &mut Vec<u8>) {
        use crate::field::json::WriteJson;
        self.parse_header(&mut FieldCursor::quiet(header, enc))
            .write_json(enc, out);
    }
    /// A group kept raw.
    fn raw_group<'a>(&self, raw: RawGroup<'a>) -> Self::Group<'a>;
    /// The field kinds this family brings (e.g. building ids), for layout files.
    fn field_kinds(&self) -> &'static [&'static CustomKind] {
        &[]
    }
}

/// A group kept as raw bytes: an unknown code, or a known code whose length did not fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawGroup<'a> {
    /// Code, change attribute and fields, as they stand (no `|`).
    pub bytes: &'a [u8],
    /// The encoding of the bytes.
    pub encoding: Encoding,
}

impl RawGroup<'_> {
    /// The first three bytes (space-padded).
    pub fn code(&self) -> [u8; 3] {
        crate::frame::group_code(self.bytes)
    }

    /// Writes the bytes, transcoded when the output encoding differs.
    pub fn write_to(&self, enc: Encoding, out: &mut Vec<u8>) -> Result<(), WriteError> {
        self.encoding
            .transcode(self.bytes, enc, out)
            .map_err(|e| WriteError {
                group: Some(GroupCode(self.code())),
                field: "raw",
                kind: e.into(),
            })
    }

    /// The change attribute byte, if the group has one.
    pub fn change(&self) -> Option<u8> {
        self.bytes.get(3).copied()
    }

    /// [`RawGroup::serialize_head`]'s entries as JSON text.
    pub fn write_json_head(&self, out: &mut Vec<u8>) {
        use crate::field::json::{write_str, write_str_in};
        out.extend_from_slice(b"\"code\":");
        let code = self.code();
        match std::str::from_utf8(&code) {
            Ok(c) if code.iter().all(|b| b.is_ascii_graphic()) => write_str(c, out),
            _ => write_str(&GroupCode(code).as_string(), out),
        }
        out.extend_from_slice(b",\"group\":\"raw\",\"raw\":");
        write_str_in(self.bytes, self.encoding, out);
    }

    /// Map entries `code`, `group: "raw"`, `raw: text`.
    pub fn serialize_head<M: SerializeMap>(&self, m: &mut M) -> Result<(), M::Error> {
        m.serialize_entry("code", &GroupCode(self.code()))?;
        m.serialize_entry("group", "raw")?;
        m.serialize_entry("raw", &self.encoding.decode(self.bytes))
    }
}

/// How one physical line of a record is framed, so that it can be written back exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineInfo<'a> {
    /// 1-based line number in the input (0 for records built in code).
    pub number: u64,
    /// The group count as it stands; `None` means "write the real count".
    pub group_count: Option<Digits<'a>>,
    /// True when the last group is followed by `|` (as DVV writes).
    pub final_separator: bool,
    /// The line ending.
    pub ending: LineEnding,
    /// The encoding the line was read in (`None` for lines built in code). Written in another
    /// encoding, the line is first written as it was read and then transcoded as a whole, so
    /// that odd bytes in any field are carried over character for character and framing, which
    /// counts characters, stays intact.
    pub encoding: Option<Encoding>,
}

impl Default for LineInfo<'_> {
    /// The form of a new line: real group count, final `|`, CRLF.
    fn default() -> Self {
        LineInfo {
            number: 0,
            group_count: None,
            final_separator: true,
            ending: LineEnding::CrLf,
            encoding: None,
        }
    }
}

/// A continuation line (*jatkorivi*) merged into the record before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Continuation<'a, H> {
    /// The line's own header.
    pub header: H,
    /// Its framing.
    pub line: LineInfo<'a>,
    /// How many of the record's groups came from this line (they follow the earlier lines').
    pub groups: usize,
}

/// A record: header, groups and how its lines were framed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record<'a, H, G> {
    /// The header of the (first) line.
    pub header: H,
    /// Framing of the first line.
    pub line: LineInfo<'a>,
    /// Every group, in line order, continuation lines' groups included.
    pub groups: Vec<G>,
    /// Continuation lines, in order.
    pub continuations: Vec<Continuation<'a, H>>,
}

/// The record type of a family.
pub type RecordOf<'a, F> = Record<'a, <F as Family>::Header<'a>, <F as Family>::Group<'a>>;

/// A group with the qualifying groups that follow it.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'r, G> {
    /// The group.
    pub group: &'r G,
    /// The qualifying groups right after it.
    pub qualifiers: &'r [G],
}

impl<'a, H, G> Record<'a, H, G> {
    /// A record built in code: written with the real group count, a final `|` and CRLF.
    pub fn new(header: H, groups: Vec<G>) -> Self {
        Record {
            header,
            line: LineInfo::default(),
            groups,
            continuations: Vec::new(),
        }
    }

    /// Number of groups on the first line.
    pub fn first_line_groups(&self) -> usize {
        let continued: usize = self.continuations.iter().map(|c| c.groups).sum();
        self.groups.len().saturating_sub(continued)
    }

    /// Number of physical lines.
    pub fn line_count(&self) -> usize {
        1 + self.continuations.len()
    }
}

impl<'a, H, G: GroupPart> Record<'a, H, G> {
    /// The groups with their qualifying groups attached (section 5 of the format reference).
    pub fn entries(&self) -> impl Iterator<Item = Entry<'_, G>> + '_ {
        let groups = &self.groups;
        let mut i = 0;
        std::iter::from_fn(move || {
            let group = groups.get(i)?;
            let mut j = i + 1;
            while groups.get(j).is_some_and(GroupPart::is_qualifying) {
                j += 1;
            }
            let entry = Entry {
                group,
                qualifiers: &groups[i + 1..j],
            };
            i = j;
            Some(entry)
        })
    }
}

impl<'a, H: WritePart, G: GroupPart> Record<'a, H, G> {
    /// Writes the record's lines, each with its line ending.
    pub fn write_to(&self, enc: Encoding, out: &mut Vec<u8>) -> Result<(), WriteError> {
        let first = self.first_line_groups();
        write_line(&self.header, &self.line, &self.groups[..first], enc, out)?;
        let mut at = first;
        for c in &self.continuations {
            let end = (at + c.groups).min(self.groups.len());
            write_line(&c.header, &c.line, &self.groups[at..end], enc, out)?;
            at = end;
        }
        Ok(())
    }

    /// The record's bytes.
    pub fn write_to_vec(&self, enc: Encoding) -> Result<Vec<u8>, WriteError> {
        let mut out = Vec::with_capacity(512);
        self.write_to(enc, &mut out)?;
        Ok(out)
    }
}

fn write_line<H: WritePart, G: GroupPart>(
    header: &H,
    info: &LineInfo<'_>,
    groups: &[G],
    enc: Encoding,
    out: &mut Vec<u8>,
) -> Result<(), WriteError> {
    if let Some(source) = info.encoding.filter(|&s| s != enc) {
        // Write the line as it was read, then transcode it whole. A value set in code that the
        // source encoding cannot hold is written directly instead.
        let mut own = Vec::with_capacity(512);
        if write_line_in(header, info, groups, source, &mut own).is_ok() {
            return source.transcode(&own, enc, out).map_err(|e| WriteError {
                group: None,
                field: "line",
                kind: e.into(),
            });
        }
    }
    write_line_in(header, info, groups, enc, out)
}

fn write_line_in<H: WritePart, G: GroupPart>(
    header: &H,
    info: &LineInfo<'_>,
    groups: &[G],
    enc: Encoding,
    out: &mut Vec<u8>,
) -> Result<(), WriteError> {
    header.write_part(enc, out)?;
    let count = info
        .group_count
        .unwrap_or(Digits::number(groups.len() as u64));
    count.write_field(2, enc, out).map_err(|kind| WriteError {
        group: None,
        field: "group_count",
        kind,
    })?;
    for g in groups {
        out.push(SEPARATOR);
        g.write_part(enc, out)?;
    }
    if info.final_separator {
        out.push(SEPARATOR);
    }
    out.extend_from_slice(info.ending.as_bytes());
    Ok(())
}

/// The bytes of one record line, classified by framing.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LineParts<'l, 'a> {
    pub line: &'l Line<'a>,
    pub header: &'a [u8],
    pub count: &'a [u8],
    pub body: &'a [u8],
}

/// One physical line of a record as framing found it (see [`RecordView`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ViewLine<'a> {
    /// The header's bytes (*tunnisteosa*, before the group count).
    pub header: &'a [u8],
    /// How the line is framed.
    pub info: LineInfo<'a>,
    /// How many of the record's groups stand on this line.
    pub groups: usize,
}

/// A record checked but not typed (*tarkistettu tietue*): the headers of its lines and its
/// groups as framing found them, borrowed from the input. Every diagnostic of the record has
/// been reported when a reader hands one out; [`RecordView::typed`] builds the typed record
/// on demand. A reader fills one view after another into the same buffers, so reading views
/// allocates nothing per record once the buffers have grown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordView<'a> {
    /// The physical lines: the first, then its continuation lines.
    pub lines: Vec<ViewLine<'a>>,
    /// Every group, in line order.
    pub groups: Vec<FramedGroup<'a>>,
}

impl<'a> RecordView<'a> {
    /// Empties the view, keeping its buffers.
    pub fn clear(&mut self) {
        self.lines.clear();
        self.groups.clear();
    }

    /// The view emptied, its buffers kept, for input of another lifetime: a reader of one
    /// chunk after another (or one file after another) reuses the same buffers.
    // `filter_map` (not `filter`) because the element type changes lifetime.
    #[allow(clippy::unnecessary_filter_map)]
    pub fn recycle<'b>(self) -> RecordView<'b> {
        // Collecting an empty iterator over a `Vec`'s own buffer into a `Vec` of a type of the
        // same size reuses the allocation (tests/alloc.rs checks that nothing is allocated).
        RecordView {
            lines: self.lines.into_iter().filter_map(|_| None).collect(),
            groups: self.groups.into_iter().filter_map(|_| None).collect(),
        }
    }

    /// The number of the record's first line.
    pub fn line_number(&self) -> u64 {
        self.lines.first().map_or(0, |l| l.info.number)
    }

    /// The encoding the record was read in.
    pub fn encoding(&self) -> Encoding {
        self.lines
            .first()
            .and_then(|l| l.info.encoding)
            .unwrap_or(Encoding::Latin1)
    }

    /// The typed header of the first line.
    pub fn header<F: Family>(&self, family: F) -> Option<F::Header<'a>> {
        let line = self.lines.first()?;
        Some(family.parse_header(&mut FieldCursor::quiet(line.header, self.encoding())))
    }

    /// Group `i`, typed.
    pub fn group<F: Family>(&self, family: F, i: usize) -> Option<F::Group<'a>> {
        self.groups
            .get(i)
            .map(|g| type_group(family, g, self.encoding()))
    }

    /// The typed record (the diagnostics were reported when the view was read).
    pub fn typed<F: Family>(&self, family: F) -> RecordOf<'a, F> {
        let enc = self.encoding();
        let header_of =
            |line: &ViewLine<'a>| family.parse_header(&mut FieldCursor::quiet(line.header, enc));
        let (first, rest) = match self.lines.split_first() {
            Some(split) => split,
            None => (&EMPTY_LINE, &[][..]),
        };
        Record {
            header: header_of(first),
            line: first.info,
            groups: self
                .groups
                .iter()
                .map(|g| type_group(family, g, enc))
                .collect(),
            continuations: rest
                .iter()
                .map(|l| Continuation {
                    header: header_of(l),
                    line: l.info,
                    groups: l.groups,
                })
                .collect(),
        }
    }
}

const EMPTY_LINE: ViewLine<'static> = ViewLine {
    header: &[],
    info: LineInfo {
        number: 0,
        group_count: None,
        final_separator: true,
        ending: LineEnding::CrLf,
        encoding: None,
    },
    groups: 0,
};

#[inline]
fn type_group<'a, F: Family>(family: F, g: &FramedGroup<'a>, enc: Encoding) -> F::Group<'a> {
    match g.layout {
        Some(i) => family.parse_group(
            i,
            &mut FieldCursor::quiet(g.bytes.get(3..).unwrap_or_default(), enc),
        ),
        None => family.raw_group(RawGroup {
            bytes: g.bytes,
            encoding: enc,
        }),
    }
}

/// The start of each layout's JSON head, `"code":"004","group":"current_name"`, made once by a
/// family for [`write_framed_group_json`].
pub fn group_json_heads(layouts: &[crate::layout::GroupLayout]) -> Vec<Box<[u8]>> {
    layouts
        .iter()
        .map(|layout| {
            let mut out = b"\"code\":".to_vec();
            crate::field::json::write_str_in(&layout.code, Encoding::Latin1, &mut out);
            out.extend_from_slice(b",\"group\":");
            crate::field::json::write_str(&layout.name, &mut out);
            out.into_boxed_slice()
        })
        .collect()
}

/// Writes a framed group's JSON head for a family whose layouts' heads are `heads`
/// ([`group_json_heads`]): code and group name, then `fields(layout index, bytes after the
/// code, out)`; raw groups as [`RawGroup::write_json_head`]. Used by the families'
/// [`Family::write_group_json`].
#[inline]
pub fn write_framed_group_json(
    group: &FramedGroup<'_>,
    enc: Encoding,
    out: &mut Vec<u8>,
    heads: &[Box<[u8]>],
    fields: impl FnOnce(usize, &[u8], &mut Vec<u8>),
) {
    match group.layout.and_then(|i| Some((i, heads.get(i)?))) {
        Some((i, head)) => {
            out.extend_from_slice(head);
            fields(i, group.bytes.get(3..).unwrap_or_default(), out);
        }
        None => RawGroup {
            bytes: group.bytes,
            encoding: enc,
        }
        .write_json_head(out),
    }
}

/// Frames and checks one physical line of a record, appending its groups to `view` (a first
/// line when `view` is empty, a continuation line otherwise). Every diagnostic of the line goes
/// to `sink`.
pub(crate) fn frame_line<'a, F: Family>(
    family: F,
    parts: LineParts<'_, 'a>,
    opts: &ParseOptions,
    sink: &mut Sink<'_>,
    view: &mut RecordView<'a>,
) {
    let LineParts {
        line,
        header,
        count,
        body,
    } = parts;
    let first_line = view.lines.is_empty();
    let schema = family.schema();
    let enc = opts.encoding;
    let n = line.number;
    family.check_header(&mut FieldCursor::new(header, 0, n, None, opts, sink));
    if let Some(role_at) = schema.header.role_at {
        let is_j = |at: usize| line.content.get(enc.byte_offset(line.content, at)) == Some(&b'J');
        if is_j(role_at) && !is_j(schema.header.change_type_at) {
            sink.push(Diagnostic::new(
                n,
                enc.byte_offset(line.content, role_at),
                DiagnosticKind::ContinuationFlagInRole,
            ));
        }
    }
    // One scan of the line for what text fields report: when there is nothing, text fields
    // need no check of their own.
    let clean = text_is_clean(body, enc);
    let groups = &mut view.groups;
    let before = groups.len();
    let mut last_truncated = false;
    let mut it = Groups::new(body, header.len() + count.len(), schema, enc);
    while let Some(raw) = it.next() {
        let problem = it.problem();
        last_truncated = matches!(problem, Some(DiagnosticKind::TruncatedGroup { .. }));
        let qualifying = match raw.layout {
            Some(i) => {
                let mut cur = FieldCursor::new(
                    raw.bytes.get(3..).unwrap_or_default(),
                    raw.column + 3,
                    n,
                    Some(raw.code()),
                    opts,
                    sink,
                )
                .scanned(clean);
                family.check_group(i, &mut cur);
                schema.groups[i].qualifying
            }
            None => {
                let kind = problem.unwrap_or(DiagnosticKind::UnknownGroup);
                let mut d = Diagnostic::new(n, raw.column, kind).with_group(raw.code());
                if opts.capture_values {
                    d.value = Some(enc.decode(raw.bytes).into_owned());
                }
                sink.push(d);
                false
            }
        };
        if qualifying && first_line && groups.is_empty() {
            sink.push(
                Diagnostic::new(n, raw.column, DiagnosticKind::OrphanQualifier)
                    .with_group(raw.code()),
            );
        }
        groups.push(raw);
    }
    let found = groups.len() - before;
    let final_separator = it.final_separator();
    if found > 0 && !final_separator && !last_truncated {
        sink.push(Diagnostic::new(
            n,
            line.content.len(),
            DiagnosticKind::MissingFinalSeparator,
        ));
    }
    let (group_count, _) = Digits::parse_field(count, enc);
    let count_col = header.len();
    if count.len() == 2 && count.iter().all(u8::is_ascii_digit) {
        let declared = group_count.value().unwrap_or(0);
        if declared != found as u64 {
            sink.push(
                Diagnostic::new(
                    n,
                    count_col,
                    DiagnosticKind::GroupCountMismatch {
                        declared: declared as u32,
                        found,
                    },
                )
                .with_field("group_count"),
            );
        }
    } else {
        sink.push(
            Diagnostic::new(n, count_col, DiagnosticKind::InvalidGroupCount)
                .with_field("group_count"),
        );
    }
    view.lines.push(ViewLine {
        header,
        info: LineInfo {
            number: n,
            group_count: Some(group_count),
            final_separator,
            ending: line.ending,
            encoding: Some(enc),
        },
        groups: found,
    });
}
