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

use crate::diag::DiagnosticKind;
use crate::encoding::Encoding;
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

/// Classifies a line against a schema's header layout.
#[inline]
pub fn classify<'a>(content: &'a [u8], schema: &Schema, enc: Encoding) -> LineClass<'a> {
    if content.starts_with(ENVELOPE_PREFIX) {
        return LineClass::Envelope;
    }
    let h = &schema.header;
    let Ok(header_len) = enc.advance(content, h.len) else {
        return LineClass::Malformed(DiagnosticKind::ShortLine {
            expected: h.len,
            found: enc.width(content),
        });
    };
    let body = &content[header_len..];
    if !body.is_empty() && body[0] != SEPARATOR {
        return LineClass::Malformed(DiagnosticKind::MissingHeaderSeparator);
    }
    let count_start = enc.byte_offset(content, h.group_count_at);
    let count_end = enc
        .byte_offset(content, h.group_count_at + 2)
        .min(header_len);
    let flag_at = enc.byte_offset(content, h.change_type_at);
    LineClass::Record {
        header: &content[..count_start.min(header_len)],
        count: &content[count_start.min(count_end)..count_end],
        body,
        continuation: content.get(flag_at) == Some(&b'J'),
    }
}

/// One group as framing found it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FramedGroup<'a> {
    /// The group's bytes: code, change attribute and fields, without the `|`.
    pub bytes: &'a [u8],
    /// Byte column of the group's first byte in the line.
    pub column: usize,
    /// Index of the matching layout in the schema, or `None` (unknown code, wrong length).
    pub layout: Option<usize>,
    /// What was wrong, when the group is kept raw.
    pub problem: Option<DiagnosticKind>,
}

impl FramedGroup<'_> {
    /// The first three bytes (space-padded when the group is shorter).
    pub fn code(&self) -> [u8; 3] {
        let mut c = [b' '; 3];
        for (d, s) in c.iter_mut().zip(self.bytes) {
            *d = *s;
        }
        c
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
        }
    }

    /// True when the body ended with `|` (meaningful once the iterator is exhausted).
    pub fn final_separator(&self) -> bool {
        self.final_separator
    }

    #[inline]
    fn match_layout(&self, rest: &[u8]) -> Result<(usize, usize), DiagnosticKind> {
        let Some((start, count)) = self.schema.indices_for(rest) else {
            return Err(DiagnosticKind::UnknownGroup);
        };
        for i in start..start + count {
            let len = self.schema.groups[i].len;
            if let Ok(n) = self.enc.advance(rest, len) {
                if n == rest.len() || rest[n] == SEPARATOR {
                    return Ok((i, n));
                }
            }
        }
        let expected = self.schema.groups[start].len;
        let raw_end = memchr::memchr(SEPARATOR, rest).unwrap_or(rest.len());
        let found = self.enc.width(&rest[..raw_end]);
        let shortest = self.schema.groups[start..start + count]
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
}

impl<'a> Iterator for Groups<'a, '_> {
    type Item = FramedGroup<'a>;

    #[inline]
    fn next(&mut self) -> Option<FramedGroup<'a>> {
        // `pos` stands on a `|` (before each group) or at the end.
        if self.pos >= self.body.len() {
            return None;
        }
        let start = self.pos + 1;
        let rest = &self.body[start..];
        if rest.is_empty() {
            self.final_separator = true;
            self.pos = self.body.len();
            return None;
        }
        let (len, layout, problem) = match self.match_layout(rest) {
            Ok((i, n)) => (n, Some(i), None),
            Err(kind) => {
                let n = memchr::memchr(SEPARATOR, rest).unwrap_or(rest.len());
                let kind = if self.enc.width(&rest[..n]) < 4 {
                    DiagnosticKind::ShortGroup
                } else {
                    kind
                };
                (n, None, Some(kind))
            }
        };
        self.pos = start + len;
        Some(FramedGroup {
            bytes: &rest[..len],
            column: self.base + start,
            layout,
            problem,
        })
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
        let got: Vec<_> = g.by_ref().map(|r| (r.code(), r.problem)).collect();
        assert_eq!(got, vec![(*b"003", None), (*b"001", None), (*b"452", None)]);
        assert!(g.final_separator());
    }

    #[test]
    fn unknown_and_truncated_groups_are_raw() {
        let schema = person::schema();
        let line = b"010101-900RXXX201701011100|9991abc|0041Short";
        let LineClass::Record { body, .. } = classify(line, schema, Encoding::Latin1) else {
            panic!()
        };
        let mut g = Groups::new(body, 26, schema, Encoding::Latin1);
        let got: Vec<_> = g.by_ref().collect();
        assert_eq!(got[0].problem, Some(DiagnosticKind::UnknownGroup));
        assert_eq!(got[0].bytes, b"9991abc");
        assert_eq!(got[0].column, 27);
        assert_eq!(
            got[1].problem,
            Some(DiagnosticKind::TruncatedGroup {
                expected: 213,
                found: 9
            })
        );
        assert!(!g.final_separator());
    }
}
