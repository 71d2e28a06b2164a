//! Framing (*kehystys*): lines, envelope lines, the record header and the data groups.
//!
//! This layer knows nothing of field meanings: it splits the input into lines (CRLF, LF, a bare
//! CR, or nothing at the end of the file), recognises envelope lines (`'''…`), cuts the fixed
//! header off a record line and finds each group's end **from its layout's fixed length**, so a
//! `|` inside a text field cannot break a record. A group whose code no layout knows is kept raw
//! up to the next `|`. It never allocates.
//!
//! ```
//! use muutostieto::frame::{Lines, LineEnding};
//! let lines: Vec<_> = Lines::new(b"a\r\nb\nc").collect();
//! assert_eq!(lines.len(), 3);
//! assert_eq!(lines[0].ending, LineEnding::CrLf);
//! assert_eq!(lines[2].ending, LineEnding::None);
//! ```

use serde::Serialize;

use nom::branch::alt;
use nom::bytes::complete::{tag, take_till};
use nom::combinator::{eof, peek, value};
use nom::Parser;

use crate::diag::DiagnosticKind;
use crate::encoding::Encoding;
use crate::field::take_chars;
use crate::layout::Schema;

/// The group separator.
pub const SEPARATOR: u8 = b'|';

/// The prefix of envelope lines.
pub const ENVELOPE_PREFIX: &[u8] = b"'''";

/// How a line ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LineEnding {
    /// `\r\n`, as DVV delivers.
    #[default]
    CrLf,
    /// `\n`.
    Lf,
    /// A bare `\r`.
    Cr,
    /// No line ending (the last line of a file).
    None,
}

impl LineEnding {
    /// The bytes of the line ending.
    pub fn as_bytes(self) -> &'static [u8] {
        match self {
            LineEnding::CrLf => b"\r\n",
            LineEnding::Lf => b"\n",
            LineEnding::Cr => b"\r",
            LineEnding::None => b"",
        }
    }
}

/// One physical line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line<'a> {
    /// 1-based line number.
    pub number: u64,
    /// Byte offset of the line in the input.
    pub offset: usize,
    /// The line without its ending.
    pub content: &'a [u8],
    /// The line ending.
    pub ending: LineEnding,
}

/// Splits a buffer into lines with `memchr`.
#[derive(Debug, Clone)]
pub struct Lines<'a> {
    input: &'a [u8],
    pos: usize,
    number: u64,
}

impl<'a> Lines<'a> {
    /// Lines of `input`, numbered from 1.
    pub fn new(input: &'a [u8]) -> Self {
        Lines::starting_at(input, 1)
    }

    /// Lines of `input`, the first numbered `first`.
    pub fn starting_at(input: &'a [u8], first: u64) -> Self {
        Lines {
            input,
            pos: 0,
            number: first,
        }
    }

    /// The bytes not yet returned.
    pub fn remaining(&self) -> &'a [u8] {
        &self.input[self.pos..]
    }

    /// The byte offset of the next line and its number.
    pub fn position(&self) -> (usize, u64) {
        (self.pos, self.number)
    }
}

/// The number of lines in `bytes`, as [`Lines`] gives them (a CR LF, an LF or a lone CR ends a
/// line; a last line without an ending counts too), counted in one branch-free pass that the
/// compiler turns into vector code, without finding each line.
pub fn count_lines(bytes: &[u8]) -> usize {
    // Byte pairs (this, next): an LF ends a line, a CR ends one unless an LF follows.
    fn ends(x: u8, y: u8) -> u8 {
        u8::from(x == b'\n') | (u8::from(x == b'\r') & u8::from(y != b'\n'))
    }
    const LANES: usize = 32;
    // Each byte lane counts at most 255 before the lanes are added up.
    const BLOCK: usize = LANES * 255;
    if bytes.is_empty() {
        return 0;
    }
    let (head, next) = (&bytes[..bytes.len() - 1], &bytes[1..]);
    let mut n = 0usize;
    for (a, b) in head.chunks(BLOCK).zip(next.chunks(BLOCK)) {
        let mut acc = [0u8; LANES];
        let (a32, b32) = (a.chunks_exact(LANES), b.chunks_exact(LANES));
        let (ra, rb) = (a32.remainder(), b32.remainder());
        for (x, y) in a32.zip(b32) {
            // Fixed-size arrays: no bounds checks, so the loop becomes vector code.
            let (Ok(x), Ok(y)) = (<&[u8; LANES]>::try_from(x), <&[u8; LANES]>::try_from(y)) else {
                continue;
            };
            for j in 0..LANES {
                acc[j] = acc[j].wrapping_add(ends(x[j], y[j]));
            }
        }
        n += acc.iter().map(|&k| usize::from(k)).sum::<usize>();
        n += ra
            .iter()
            .zip(rb)
            .map(|(&x, &y)| usize::from(ends(x, y)))
            .sum::<usize>();
    }
    // The last byte ends a line if it is an ending, and is in the unfinished last line if
    // not: one line either way.
    n + 1
}

/// False when no line of `bytes` can be longer than `limit` bytes (line endings included):
/// every aligned block of half that size holds a line ending, and a longer line would hold a
/// whole such block. True means "maybe": find the lines to know.
pub fn may_have_line_longer_than(bytes: &[u8], limit: usize) -> bool {
    if bytes.len() <= limit {
        return false;
    }
    let half = (limit / 2).max(1);
    bytes
        .chunks(half)
        .any(|block| block.len() == half && memchr::memchr2(b'\n', b'\r', block).is_none())
}

/// Finds the end of the first line in `bytes`: (content length, ending), or `None` when no
/// line ending is in `bytes`.
#[inline]
pub fn find_line_end(bytes: &[u8]) -> Option<(usize, LineEnding)> {
    let i = memchr::memchr2(b'\n', b'\r', bytes)?;
    Some(if bytes[i] == b'\n' {
        (i, LineEnding::Lf)
    } else if bytes.get(i + 1) == Some(&b'\n') {
        (i, LineEnding::CrLf)
    } else {
        (i, LineEnding::Cr)
    })
}

impl<'a> Iterator for Lines<'a> {
    type Item = Line<'a>;

    #[inline]
    fn next(&mut self) -> Option<Line<'a>> {
        let rest = &self.input[self.pos..];
        if rest.is_empty() {
            return None;
        }
        let (len, ending) = find_line_end(rest).unwrap_or((rest.len(), LineEnding::None));
        let line = Line {
            number: self.number,
            offset: self.pos,
            content: &rest[..len],
            ending,
        };
        self.pos += len + ending.as_bytes().len();
        self.number += 1;
        Some(line)
    }
}

/// What a line is, before its groups are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineClass<'a> {
    /// An envelope line (starts with `'''`).
    Envelope,
    /// A record line: header bytes, group count bytes, and the rest (starting at the `|` after
    /// the header, or empty).
    Record {
        /// The header without the group count.
        header: &'a [u8],
        /// The two group-count characters.
        count: &'a [u8],
        /// Everything after the header.
        body: &'a [u8],
        /// True when the change-type byte is `J`.
        continuation: bool,
    },
    /// A line that cannot be a record (kept raw), and why.
    Malformed(DiagnosticKind),
}

/// Classifies a line against a schema's header layout (with [`record_header`]).
#[inline]
pub fn classify<'a>(content: &'a [u8], schema: &Schema, enc: Encoding) -> LineClass<'a> {
    if content.starts_with(ENVELOPE_PREFIX) {
        return LineClass::Envelope;
    }
    match record_header(schema, enc)(content) {
        Ok((body, h)) => LineClass::Record {
            header: h.header,
            count: h.count,
            body,
            continuation: h.continuation,
        },
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => LineClass::Malformed(e.kind),
        // Complete input: nom's streaming "incomplete" does not arise.
        Err(nom::Err::Incomplete(_)) => LineClass::Malformed(DiagnosticKind::ShortLine {
            expected: schema.header.len,
            found: enc.width(content),
        }),
    }
}

/// One group as framing found it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FramedGroup<'a> {
    /// The group's bytes: code, change attribute and fields, without the `|`.
    pub bytes: &'a [u8],
    /// Byte column of the group's first byte in the line.
    pub column: usize,
    /// Index of the matching layout in the schema, or `None` (unknown code, wrong length:
    /// [`Groups::problem`] tells which, right after the group is read).
    pub layout: Option<usize>,
}

impl FramedGroup<'_> {
    /// The first three bytes (space-padded when the group is shorter).
    pub fn code(&self) -> [u8; 3] {
        group_code(self.bytes)
    }
}

/// The first three bytes of a group, space-padded when it is shorter.
#[inline]
pub(crate) fn group_code(bytes: &[u8]) -> [u8; 3] {
    match *bytes {
        [a, b, c, ..] => [a, b, c],
        // A short group, byte by byte: a copy of the shorter length would call `memcpy` for
        // every group.
        ref short => {
            let mut c = [b' '; 3];
            for (d, s) in c.iter_mut().zip(short) {
                *d = *s;
            }
            c
        }
    }
}

/// Iterates over the groups of a record line's body (everything after the header).
///
/// After the last group, [`Groups::final_separator`] tells whether the line ended with `|`.
#[derive(Debug, Clone)]
pub struct Groups<'a, 's> {
    body: &'a [u8],
    pos: usize,
    base: usize,
    schema: &'s Schema,
    enc: Encoding,
    final_separator: bool,
    /// Why the group read last is kept raw (kept here, not in every group).
    problem: Option<DiagnosticKind>,
}

impl<'a, 's> Groups<'a, 's> {
    /// Groups of `body`, which starts at byte column `base` of its line.
    pub fn new(body: &'a [u8], base: usize, schema: &'s Schema, enc: Encoding) -> Self {
        Groups {
            body,
            pos: 0,
            base,
            schema,
            enc,
            final_separator: false,
            problem: None,
        }
    }

    /// Why the group the iterator gave last is kept raw (unknown code, wrong length, …), or
    /// `None` when it matched a layout.
    pub fn problem(&self) -> Option<DiagnosticKind> {
        self.problem
    }

    /// True when the body ended with `|` (meaningful once the iterator is exhausted).
    pub fn final_separator(&self) -> bool {
        self.final_separator
    }
}

impl<'a> Iterator for Groups<'a, '_> {
    type Item = FramedGroup<'a>;

    #[inline]
    fn next(&mut self) -> Option<FramedGroup<'a>> {
        // `pos` stands on a `|` (before each group) or at the end.
        let input = self.body.get(self.pos..).filter(|r| !r.is_empty())?;
        // The common case without the nom wrapper: a group whose layout's length ends at `|`
        // or at the end of the line, found by the same `match_layout` the parser uses (a test
        // below holds both ways to the same groups).
        if let Some((&SEPARATOR, rest)) = input.split_first() {
            if let Ok((i, n)) = match_layout(self.schema, self.enc, rest) {
                let column = self.base + self.pos + 1;
                self.pos += 1 + n;
                self.problem = None;
                return Some(FramedGroup {
                    bytes: &rest[..n],
                    column,
                    layout: Some(i),
                });
            }
        }
        self.next_by_parser(input)
    }
}

impl<'a> Groups<'a, '_> {
    /// The general way: the end of the line, unknown codes, wrong lengths, UTF-8. Kept out of
    /// line so that the common case above stays small enough to inline.
    #[inline(never)]
    fn next_by_parser(&mut self, input: &'a [u8]) -> Option<FramedGroup<'a>> {
        let (rest, item) = group(self.schema, self.enc)(input).ok()?;
        let start = self.pos + 1;
        self.pos = self.body.len() - rest.len();
        match item {
            GroupItem::End => {
                self.final_separator = true;
                None
            }
            GroupItem::Group { bytes, layout } => {
                self.problem = layout.err();
                Some(FramedGroup {
                    bytes,
                    column: self.base + start,
                    layout: layout.ok(),
                })
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The grammar, as nom parsers: `&[u8]` in, borrowed parts out, errors that say where.

/// The error of the framing parsers: what is wrong ([`DiagnosticKind`]) and where: `input` is
/// the rest of the line at the problem, so its byte column is `line.len() - input.len()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameError<'a> {
    /// The input where the problem is.
    pub input: &'a [u8],
    /// What is wrong.
    pub kind: DiagnosticKind,
}

impl<'a> nom::error::ParseError<&'a [u8]> for FrameError<'a> {
    /// A nom primitive failed: the input ended (the only way framing's primitives fail).
    fn from_error_kind(input: &'a [u8], _kind: nom::error::ErrorKind) -> Self {
        FrameError {
            input,
            kind: DiagnosticKind::ShortGroup,
        }
    }

    fn append(_input: &'a [u8], _kind: nom::error::ErrorKind, other: Self) -> Self {
        other
    }
}

/// What a framing parser gives back.
pub type FrameResult<'a, T> = nom::IResult<&'a [u8], T, FrameError<'a>>;

fn fail<T>(input: &[u8], kind: DiagnosticKind) -> FrameResult<'_, T> {
    Err(nom::Err::Error(FrameError { input, kind }))
}

/// The parts of a record line's header (*tunnisteosa*).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordHeader<'a> {
    /// The header without the group count.
    pub header: &'a [u8],
    /// The two group-count characters.
    pub count: &'a [u8],
    /// True when the change-type byte is `J` (a continuation line).
    pub continuation: bool,
}

/// Parses a record line's header (nom): `schema`'s header length in characters of `enc`,
/// followed by `|` or the end of the line (which is not consumed). Errors: the line is too
/// short ([`DiagnosticKind::ShortLine`]) or the header is not followed by `|`
/// ([`DiagnosticKind::MissingHeaderSeparator`], at the byte after the header).
///
/// ```
/// use muutostieto::frame::record_header;
/// use muutostieto::{person, Encoding};
///
/// let line = b"010101-900RXXX20170208J101|00312|";
/// let (rest, h) = record_header(person::schema(), Encoding::Latin1)(line).unwrap();
/// assert_eq!((h.count, h.continuation, rest), (&b"01"[..], true, &b"|00312|"[..]));
/// ```
pub fn record_header<'a>(
    schema: &Schema,
    enc: Encoding,
) -> impl Fn(&'a [u8]) -> FrameResult<'a, RecordHeader<'a>> + '_ {
    move |line: &'a [u8]| {
        let h = &schema.header;
        let short = DiagnosticKind::ShortLine {
            expected: h.len,
            found: enc.width(line),
        };
        let (rest, header) = take_chars(enc, h.len)
            .parse(line)
            .or_else(|_| fail(line, short))?;
        // `|` or the end of the line must follow (peeked, not consumed).
        let (_, ()) = alt((value((), peek(tag(&[SEPARATOR][..]))), value((), eof)))
            .parse(rest)
            .or_else(|_: nom::Err<FrameError<'a>>| {
                fail(rest, DiagnosticKind::MissingHeaderSeparator)
            })?;
        let len = header.len();
        let count_start = enc.byte_offset(header, h.group_count_at).min(len);
        let count_end = enc.byte_offset(header, h.group_count_at + 2).min(len);
        let flag_at = enc.byte_offset(header, h.change_type_at);
        let parts = RecordHeader {
            header: &header[..count_start],
            count: &header[count_start.min(count_end)..count_end],
            continuation: header.get(flag_at) == Some(&b'J'),
        };
        Ok((rest, parts))
    }
}

/// What the group parser finds after a `|`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupItem<'a> {
    /// A group: its bytes (code, change attribute, fields; no `|`), the index of its layout in
    /// the schema, or why it is kept raw.
    Group {
        /// The bytes.
        bytes: &'a [u8],
        /// The layout, or `Err` with the reason the group is kept raw.
        layout: Result<usize, DiagnosticKind>,
    },
    /// The `|` ends the line (the final separator).
    End,
}

/// Parses one `|` and the group after it (nom), finding the group's end **from its layout's
/// fixed length** (a length that ends at `|` or the end of the line): a `|` inside a text field
/// cannot split a group. A code no layout knows, or a group of no layout's length, is kept raw
/// up to the next `|` ([`GroupItem::Group`] with the reason).
///
/// ```
/// use muutostieto::frame::{group, GroupItem};
/// use muutostieto::{person, Encoding};
///
/// let schema = person::schema();
/// let (rest, g) = group(schema, Encoding::Latin1)(b"|00312|").unwrap();
/// assert!(matches!(g, GroupItem::Group { bytes: b"00312", layout: Ok(_) }));
/// assert_eq!(group(schema, Encoding::Latin1)(rest).unwrap().1, GroupItem::End);
/// ```
pub fn group<'a>(
    schema: &Schema,
    enc: Encoding,
) -> impl Fn(&'a [u8]) -> FrameResult<'a, GroupItem<'a>> + '_ {
    move |input: &'a [u8]| {
        let (rest, _) = tag(&[SEPARATOR][..]).parse(input)?;
        if rest.is_empty() {
            return Ok((rest, GroupItem::End));
        }
        match match_layout(schema, enc, rest) {
            Ok((i, n)) => Ok((
                &rest[n..],
                GroupItem::Group {
                    bytes: &rest[..n],
                    layout: Ok(i),
                },
            )),
            Err(kind) => {
                let (after, bytes) =
                    take_till::<_, _, FrameError<'a>>(|b| b == SEPARATOR).parse(rest)?;
                let kind = if enc.width(bytes) < 4 {
                    DiagnosticKind::ShortGroup
                } else {
                    kind
                };
                Ok((
                    after,
                    GroupItem::Group {
                        bytes,
                        layout: Err(kind),
                    },
                ))
            }
        }
    }
}

/// The layout whose fixed length ends at `|` or the end of `rest`: (index, byte length).
#[inline]
fn match_layout(
    schema: &Schema,
    enc: Encoding,
    rest: &[u8],
) -> Result<(usize, usize), DiagnosticKind> {
    let Some((start, count)) = schema.indices_for(rest) else {
        return Err(DiagnosticKind::UnknownGroup);
    };
    for i in start..start + count {
        let len = schema.groups[i].len;
        if let Ok(n) = enc.advance(rest, len) {
            if n == rest.len() || rest[n] == SEPARATOR {
                return Ok((i, n));
            }
        }
    }
    let expected = schema.groups[start].len;
    let raw_end = memchr::memchr(SEPARATOR, rest).unwrap_or(rest.len());
    let found = enc.width(&rest[..raw_end]);
    let shortest = schema.groups[start..start + count]
        .iter()
        .map(|g| g.len)
        .min()
        .unwrap_or(expected);
    if raw_end == rest.len() && found < shortest {
        Err(DiagnosticKind::TruncatedGroup {
            expected: shortest,
            found,
        })
    } else {
        Err(DiagnosticKind::GroupLength { expected, found })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::person;

    #[test]
    fn line_endings() {
        let v: Vec<_> = Lines::new(b"a\rb\r\n\nc\n")
            .map(|l| (l.content, l.ending))
            .collect();
        assert_eq!(
            v,
            vec![
                (&b"a"[..], LineEnding::Cr),
                (b"b", LineEnding::CrLf),
                (b"", LineEnding::Lf),
                (b"c", LineEnding::Lf)
            ]
        );
        assert_eq!(Lines::new(b"").count(), 0);
    }

    proptest::proptest! {
        /// Counting lines, and telling that none is long, agree with finding them.
        #[test]
        fn lines_counted_as_found(bytes in proptest::collection::vec(proptest::prop_oneof![
            proptest::strategy::Just(b'\r'), proptest::strategy::Just(b'\n'),
            proptest::strategy::Just(b'a')], 0..600), limit in 0usize..40) {
            proptest::prop_assert_eq!(count_lines(&bytes), Lines::new(&bytes).count());
            let long = Lines::new(&bytes).any(|l| l.content.len() > limit);
            if long {
                proptest::prop_assert!(may_have_line_longer_than(&bytes, limit));
            }
        }
    }

    #[test]
    fn lines_counted_across_blocks() {
        let v = b"x\r\n".repeat(1000);
        assert_eq!(count_lines(&v), 1000);
        let mut w = v.clone();
        w[254] = b'\r';
        w[255] = b'y';
        assert_eq!(count_lines(&w), Lines::new(&w).count());
        assert!(!may_have_line_longer_than(&v, 10));
    }

    #[test]
    fn groups_found_by_length_even_with_a_bar_in_text() {
        let schema = person::schema();
        let mut line = b"010101-900RXXX201701011100|00312|".to_vec();
        line.extend_from_slice(b"0011010101-900R1|");
        // A 452 (34 chars) whose text contains '|'.
        line.extend_from_slice(b"4520a|b                           |");
        let LineClass::Record { body, .. } = classify(&line, schema, Encoding::Latin1) else {
            panic!()
        };
        let mut g = Groups::new(body, 26, schema, Encoding::Latin1);
        let mut got = Vec::new();
        while let Some(r) = g.next() {
            got.push((r.code(), g.problem()));
        }
        assert_eq!(got, vec![(*b"003", None), (*b"001", None), (*b"452", None)]);
        assert!(g.final_separator());
    }

    /// The groups as the general parser alone finds them (what `Groups` did before its quick
    /// way): the reference for the test below.
    fn groups_by_parser<'a>(
        body: &'a [u8],
        schema: &Schema,
        enc: Encoding,
    ) -> (Vec<(FramedGroup<'a>, Option<DiagnosticKind>)>, bool) {
        let (mut pos, mut out) = (0, Vec::new());
        while let Some(input) = body.get(pos..).filter(|r| !r.is_empty()) {
            let Ok((rest, item)) = group(schema, enc)(input) else {
                break;
            };
            let start = pos + 1;
            pos = body.len() - rest.len();
            match item {
                GroupItem::End => return (out, true),
                GroupItem::Group { bytes, layout } => out.push((
                    FramedGroup {
                        bytes,
                        column: 26 + start,
                        layout: layout.ok(),
                    },
                    layout.err(),
                )),
            }
        }
        (out, false)
    }

    proptest::proptest! {
        #[test]
        fn quick_framing_finds_what_the_parser_finds(
            parts in proptest::collection::vec((0usize..6, 0usize..40, proptest::prelude::any::<u8>()), 0..8),
            utf8 in proptest::prelude::any::<bool>(),
            final_bar in proptest::prelude::any::<bool>(),
        ) {
            let schema = person::schema();
            let enc = if utf8 { Encoding::Utf8 } else { Encoding::Latin1 };
            let codes: Vec<&[u8]> = vec![b"003", b"001", b"452", b"004", b"101", b"999"];
            let mut body = Vec::new();
            for (code, cut, byte) in parts {
                body.push(b'|');
                body.extend_from_slice(codes[code]);
                let len = schema.indices_for(codes[code]).map_or(10, |(i, _)| schema.groups[i].len);
                // Whole groups, groups cut short or too long, odd bytes (a '|' or a letter
                // beyond ASCII) inside.
                let n = if cut < 30 { len.saturating_sub(3) } else { cut };
                for k in 0..n {
                    body.push(if k == cut { byte } else { b'1' });
                }
            }
            if final_bar { body.push(b'|'); }
            let mut quick = Groups::new(&body, 26, schema, enc);
            let mut got = Vec::new();
            while let Some(g) = quick.next() {
                got.push((g, quick.problem()));
            }
            let (want, fin) = groups_by_parser(&body, schema, enc);
            proptest::prop_assert_eq!(got, want);
            proptest::prop_assert_eq!(quick.final_separator(), fin);
        }
    }

    #[test]
    fn unknown_and_truncated_groups_are_raw() {
        let schema = person::schema();
        let line = b"010101-900RXXX201701011100|9991abc|0041Short";
        let LineClass::Record { body, .. } = classify(line, schema, Encoding::Latin1) else {
            panic!()
        };
        let mut g = Groups::new(body, 26, schema, Encoding::Latin1);
        let mut got = Vec::new();
        while let Some(r) = g.next() {
            got.push((r, g.problem()));
        }
        assert_eq!(got[0].1, Some(DiagnosticKind::UnknownGroup));
        assert_eq!(got[0].0.bytes, b"9991abc");
        assert_eq!(got[0].0.column, 27);
        assert_eq!(
            got[1].1,
            Some(DiagnosticKind::TruncatedGroup {
                expected: 213,
                found: 9
            })
        );
        assert!(!g.final_separator());
    }
}
