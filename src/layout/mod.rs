//! Record layouts (*tietuekuvaukset*): the one definition of every header and group.
//!
//! A [`GroupLayout`] lists a group's code, names, fixed length and fields ([`FieldDef`]: name,
//! offset, length, kind). The built-in person layouts are `const` data produced by the same
//! macro that defines the typed structs ([`crate::person`]), so parsing, writing, serde names and
//! the documentation table all come from one place and no offset is written twice: offsets are
//! computed from the field widths.
//!
//! A [`Schema`] bundles a header layout and the group layouts of one record family (person,
//! building, or a layout loaded at run time) with an index from group code to layouts. Names
//! are `Cow<'static, str>` so that built-in layouts are free and loaded ones own their text.
//!
//! ```
//! use muutostieto::person;
//! let schema = person::schema();
//! let name = schema.layouts_for(b"004").first().unwrap();
//! assert_eq!(name.len, 213);
//! assert_eq!(name.fields[1].name, "last_name");
//! assert_eq!((name.fields[1].offset, name.fields[1].len), (4, 100));
//! ```

use std::borrow::Cow;
use std::fmt::Write as _;

use serde::Serialize;

pub use crate::field::FieldKind;

#[cfg(feature = "layout-files")]
pub mod file;
mod macros;

#[cfg(feature = "layout-files")]
pub use file::{LayoutFile, LayoutFileError};

/// One field of a layout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldDef {
    /// English field name (snake_case), also the serde/JSON name.
    pub name: Cow<'static, str>,
    /// The Finnish term.
    pub finnish: Cow<'static, str>,
    /// 0-based offset in characters from the start of the group (the first digit of its code)
    /// or, for header fields, from the start of the line.
    pub offset: usize,
    /// Width in characters.
    pub len: usize,
    /// How the field is read.
    pub kind: FieldKind,
    /// The code table of a code field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code_table: Option<Cow<'static, str>>,
}

impl FieldDef {
    /// A field at offset 0; [`place`] sets the offsets of a whole list.
    pub const fn new(
        name: &'static str,
        finnish: &'static str,
        len: usize,
        kind: FieldKind,
        code_table: Option<&'static str>,
    ) -> Self {
        FieldDef {
            name: Cow::Borrowed(name),
            finnish: Cow::Borrowed(finnish),
            offset: 0,
            len,
            kind,
            code_table: match code_table {
                Some(t) => Some(Cow::Borrowed(t)),
                None => None,
            },
        }
    }

    /// One past the last character.
    pub fn end(&self) -> usize {
        self.offset + self.len
    }
}

/// Lays fields out one after another from `start`: the offsets follow from the widths.
pub const fn place<const N: usize>(start: usize, mut fields: [FieldDef; N]) -> [FieldDef; N] {
    let mut offset = start;
    let mut i = 0;
    while i < N {
        fields[i].offset = offset;
        offset += fields[i].len;
        i += 1;
    }
    fields
}

/// The end of the last field: the length of a group or header laid out by [`place`].
pub const fn end_of(fields: &[FieldDef]) -> usize {
    match fields.last() {
        Some(f) => f.offset + f.len,
        None => 0,
    }
}

/// `Some(name)` for a one-element list, `None` for an empty one (for optional macro arguments).
pub const fn optional_name(names: &[&'static str]) -> Option<Cow<'static, str>> {
    match names {
        [name] => Some(Cow::Borrowed(name)),
        _ => None,
    }
}

/// The layout of one data group (*tietoryhmä*).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupLayout {
    /// The 3-digit group code (*ryhmätunnus*).
    #[serde(serialize_with = "ser_code")]
    pub code: [u8; 3],
    /// English name (snake_case), used in JSON.
    pub name: Cow<'static, str>,
    /// Finnish name.
    pub finnish: Cow<'static, str>,
    /// A short English description.
    pub description: Cow<'static, str>,
    /// Fixed length in characters, code and change attribute included.
    pub len: usize,
    /// True for qualifying groups (*tarkentava tietoryhmä*) that attach to the group before them.
    pub qualifying: bool,
    /// A note on when this layout applies (e.g. for the two 305 layouts).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variant: Option<Cow<'static, str>>,
    /// Fields after the 3-character code: the change attribute at offset 3 first.
    pub fields: Cow<'static, [FieldDef]>,
}

fn ser_code<S: serde::Serializer>(code: &[u8; 3], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&String::from_utf8_lossy(code))
}

impl GroupLayout {
    /// The code as text.
    pub fn code_str(&self) -> String {
        String::from_utf8_lossy(&self.code).into_owned()
    }

    /// The field with this name.
    pub fn field(&self, name: &str) -> Option<&FieldDef> {
        self.fields.iter().find(|f| f.name == name)
    }
}

/// The layout of the record header (*tunnisteosa*) and where framing finds its markers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeaderLayout {
    /// Length in characters (26 for person and building files).
    pub len: usize,
    /// Typed header fields (the group count is a framing field, not in this list).
    pub fields: Cow<'static, [FieldDef]>,
    /// Offset of the change-type byte (*muutostyyppi*), `J` on continuation lines.
    pub change_type_at: usize,
    /// Offset of the role byte; a `J` here (and not at `change_type_at`) is reported.
    pub role_at: Option<usize>,
    /// Offset of the 2-digit group count (*tietoryhmien lukumäärä*).
    pub group_count_at: usize,
}

/// One value of a code table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeDef {
    /// The code as it stands in the file (its width is the field's width).
    pub code: Cow<'static, str>,
    /// English meaning.
    pub meaning: Cow<'static, str>,
    /// Finnish term.
    #[serde(default, skip_serializing_if = "str::is_empty")]
    pub finnish: Cow<'static, str>,
}

/// A code table (*koodisto*) as data: for layout files, documentation and dynamic records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeTableDef {
    /// The table's name, referred to by code fields.
    pub name: Cow<'static, str>,
    /// True when every valid value is listed (others are reported); false for open lists.
    #[serde(default = "closed_default")]
    pub closed: bool,
    /// The values.
    pub codes: Vec<CodeDef>,
}

fn closed_default() -> bool {
    true
}

impl CodeTableDef {
    /// The table of a typed code enum.
    pub fn of<T: crate::field::CodeTable>() -> Self {
        CodeTableDef {
            name: Cow::Borrowed(T::NAME),
            closed: T::CLOSED,
            codes: T::ENTRIES
                .iter()
                .map(|(code, _, meaning, finnish)| CodeDef {
                    code: Cow::Owned(String::from_utf8_lossy(code).into_owned()),
                    meaning: Cow::Borrowed(meaning),
                    finnish: Cow::Borrowed(finnish),
                })
                .collect(),
        }
    }

    /// The entry for the code bytes.
    pub fn lookup(&self, raw: &[u8]) -> Option<&CodeDef> {
        self.codes.iter().find(|c| c.code.as_bytes() == raw)
    }
}

/// A record family: header layout, group layouts and an index from code to layouts.
#[derive(Debug, Clone)]
pub struct Schema {
    /// Name of the family (`person`, `building`, or a user layout's name).
    pub name: Cow<'static, str>,
    /// A description (for layout files).
    pub description: Cow<'static, str>,
    /// The header.
    pub header: HeaderLayout,
    /// Group layouts in code order; layouts sharing a code stand next to each other.
    pub groups: Cow<'static, [GroupLayout]>,
    /// Code tables that code fields refer to by name.
    pub code_tables: Vec<CodeTableDef>,
    /// Code number → (first index, count) in `groups`.
    index: Box<[(u16, u8); 1000]>,
}

/// A problem in a layout definition.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LayoutError {
    /// A group code that is not three digits.
    #[error("group {index}: code is not three digits")]
    BadCode {
        /// Index of the group in the list.
        index: usize,
    },
    /// Layouts for one code that are not next to each other.
    #[error("group {code}: its layouts are not next to each other")]
    Scattered {
        /// The code.
        code: String,
    },
    /// Two layouts of one code with the same length (framing could not tell them apart).
    #[error("group {code}: two layouts with the same length {len}")]
    SameLength {
        /// The code.
        code: String,
        /// The length.
        len: usize,
    },
    /// Fields that overlap or leave a gap.
    #[error("group {code}, field {field}: starts at {offset}, expected {expected} (fields must follow each other without gaps or overlaps)")]
    FieldPlacement {
        /// The code (or `header`).
        code: String,
        /// The field.
        field: String,
        /// Its offset.
        offset: usize,
        /// Where the previous field ended.
        expected: usize,
    },
    /// Fields that do not end at the group's length.
    #[error("group {code}: fields end at {end}, the group length is {len}")]
    Length {
        /// The code.
        code: String,
        /// Where the fields end.
        end: usize,
        /// The declared length.
        len: usize,
    },
    /// A code field whose code table is not in the schema.
    #[error("group {code}, field {field}: no code table named {table}")]
    UnknownCodeTable {
        /// The group code (or `header`).
        code: String,
        /// The field.
        field: String,
        /// The missing table.
        table: String,
    },
    /// A code whose width differs from a field that uses its table.
    #[error("code table {table}: code {code:?} is not {len} characters wide, as field {field} is")]
    CodeWidth {
        /// The table.
        table: String,
        /// The code.
        code: String,
        /// A field using the table.
        field: String,
        /// The field's width.
        len: usize,
    },
    /// A field of width 0.
    #[error("group {code}, field {field}: width 0")]
    EmptyField {
        /// The code.
        code: String,
        /// The field.
        field: String,
    },
}

fn check_fields(
    code: &str,
    start: usize,
    fields: &[FieldDef],
    len: usize,
) -> Result<(), LayoutError> {
    let mut expected = start;
    for f in fields {
        if f.len == 0 {
            return Err(LayoutError::EmptyField {
                code: code.into(),
                field: f.name.to_string(),
            });
        }
        if f.offset != expected {
            return Err(LayoutError::FieldPlacement {
                code: code.into(),
                field: f.name.to_string(),
                offset: f.offset,
                expected,
            });
        }
        expected = f.end();
    }
    if expected != len {
        return Err(LayoutError::Length {
            code: code.into(),
            end: expected,
            len,
        });
    }
    Ok(())
}

impl Schema {
    /// Builds a schema, checking every layout (contiguous fields from offset 3 — after the code —
    /// to the group length; codes of three digits; alternative layouts of one code adjacent and
    /// of different lengths).
    pub fn new(
        name: impl Into<Cow<'static, str>>,
        header: HeaderLayout,
        groups: impl Into<Cow<'static, [GroupLayout]>>,
    ) -> Result<Schema, LayoutError> {
        let groups = groups.into();
        check_fields("header", 0, &header.fields, header.group_count_at)?;
        let mut index = Box::new([(0u16, 0u8); 1000]);
        for (i, g) in groups.iter().enumerate() {
            let code = g.code_str();
            let n = crate::diag::GroupCode(g.code)
                .number()
                .ok_or(LayoutError::BadCode { index: i })? as usize;
            check_fields(&code, 3, &g.fields, g.len)?;
            let slot = &mut index[n];
            if slot.1 == 0 {
                *slot = (i as u16, 1);
            } else if slot.0 as usize + slot.1 as usize == i {
                if groups[slot.0 as usize..i].iter().any(|o| o.len == g.len) {
                    return Err(LayoutError::SameLength { code, len: g.len });
                }
                slot.1 += 1;
            } else {
                return Err(LayoutError::Scattered { code });
            }
        }
        Ok(Schema {
            name: name.into(),
            description: Cow::Borrowed(""),
            header,
            groups,
            code_tables: Vec::new(),
            index,
        })
    }

    /// A built-in family in the usual framing (26-character header: change type at 22, group
    /// count at 24), from its `const` layouts and code tables. Panics only if the built-in
    /// definitions are inconsistent, which the crate's tests rule out.
    pub fn built_in(
        name: &'static str,
        description: &'static str,
        header: &'static [FieldDef],
        role_at: Option<usize>,
        groups: &'static [GroupLayout],
        tables: Vec<CodeTableDef>,
    ) -> Schema {
        let header = HeaderLayout {
            len: 26,
            fields: Cow::Borrowed(header),
            change_type_at: 22,
            role_at,
            group_count_at: 24,
        };
        let schema = Schema::new(name, header, groups)
            .and_then(|s| s.with_code_tables(tables))
            .unwrap_or_else(|e| panic!("built-in {name} layouts are inconsistent: {e}"));
        Schema {
            description: Cow::Borrowed(description),
            ..schema
        }
    }

    /// Adds code tables, checking that every code field's table exists and that every code is
    /// as wide as the fields that use it.
    pub fn with_code_tables(mut self, tables: Vec<CodeTableDef>) -> Result<Schema, LayoutError> {
        let fields = self
            .header
            .fields
            .iter()
            .map(|f| ("header".to_string(), f))
            .chain(
                self.groups
                    .iter()
                    .flat_map(|g| g.fields.iter().map(move |f| (g.code_str(), f))),
            );
        for (code, f) in fields {
            let Some(name) = &f.code_table else { continue };
            let Some(table) = tables.iter().find(|t| t.name == *name) else {
                return Err(LayoutError::UnknownCodeTable {
                    code,
                    field: f.name.to_string(),
                    table: name.to_string(),
                });
            };
            if let Some(bad) = table.codes.iter().find(|c| c.code.chars().count() != f.len) {
                return Err(LayoutError::CodeWidth {
                    table: name.to_string(),
                    code: bad.code.to_string(),
                    field: f.name.to_string(),
                    len: f.len,
                });
            }
        }
        self.code_tables = tables;
        Ok(self)
    }

    /// The code table with this name.
    pub fn code_table(&self, name: &str) -> Option<&CodeTableDef> {
        self.code_tables.iter().find(|t| t.name == name)
    }

    /// The layouts for a group code (empty when the code is unknown; two for person 305).
    #[inline]
    pub fn layouts_for(&self, code: &[u8]) -> &[GroupLayout] {
        self.indices_for(code)
            .map_or(&[], |(start, n)| &self.groups[start..start + n])
    }

    /// Index range of the layouts for a code.
    #[inline]
    pub fn indices_for(&self, code: &[u8]) -> Option<(usize, usize)> {
        let [a, b, c] = *code.first_chunk::<3>()?;
        if !(a.is_ascii_digit() && b.is_ascii_digit() && c.is_ascii_digit()) {
            return None;
        }
        let n = usize::from(a - b'0') * 100 + usize::from(b - b'0') * 10 + usize::from(c - b'0');
        let (start, count) = self.index[n];
        (count > 0).then_some((usize::from(start), usize::from(count)))
    }

    /// A Markdown table of every layout: the reference documentation of the format.
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "# {} record layouts\n", self.name);
        let _ = writeln!(
            out,
            "Offsets are 0-based characters; group offsets count from the first digit of the group code.\n\
             Generated from the layout definitions in the crate (`muutostieto layout show {}`).\n",
            self.name
        );
        let _ = writeln!(out, "## Header ({} characters)\n", self.header.len);
        table(&mut out, &self.header.fields);
        let _ = writeln!(
            out,
            "| {} | 2 | group_count | tietoryhmien lukumäärä | digits | |\n",
            self.header.group_count_at
        );
        let _ = writeln!(out, "## Groups\n");
        let _ = writeln!(out, "| code | name | Finnish | length | qualifying |");
        let _ = writeln!(out, "|---|---|---|---|---|");
        for g in self.groups.iter() {
            let _ = writeln!(
                out,
                "| [{}](#{}-{}) | {} | {} | {} | {} |",
                g.code_str(),
                g.code_str(),
                g.len,
                g.name,
                g.finnish,
                g.len,
                if g.qualifying { "yes" } else { "" }
            );
        }
        for g in self.groups.iter() {
            let _ = writeln!(
                out,
                "\n### {}-{}\n\n**{}** `{}` — *{}*, {} characters{}{}.\n",
                g.code_str(),
                g.len,
                g.code_str(),
                g.name,
                g.finnish,
                g.len,
                if g.qualifying { ", qualifying" } else { "" },
                g.variant
                    .as_deref()
                    .map(|v| format!(" ({v})"))
                    .unwrap_or_default()
            );
            if !g.description.is_empty() {
                let _ = writeln!(out, "{}\n", g.description);
            }
            let _ = writeln!(
                out,
                "| offset | len | field | Finnish | kind | code table |"
            );
            let _ = writeln!(out, "|---|---|---|---|---|---|");
            let _ = writeln!(out, "| 0 | 3 | code | ryhmätunnus | digits | |");
            table(&mut out, &g.fields);
        }
        out
    }
}

fn table(out: &mut String, fields: &[FieldDef]) {
    if !out.ends_with("|---|---|---|---|---|---|\n")
        && !out.ends_with("| 0 | 3 | code | ryhmätunnus | digits | |\n")
    {
        let _ = writeln!(
            out,
            "| offset | len | field | Finnish | kind | code table |"
        );
        let _ = writeln!(out, "|---|---|---|---|---|---|");
    }
    for f in fields {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            f.offset,
            f.len,
            f.name,
            f.finnish,
            f.kind.name(),
            f.code_table.as_deref().unwrap_or("")
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIELDS: [FieldDef; 2] = place(
        3,
        [
            FieldDef::new("change", "muutosattribuutti", 1, FieldKind::Code, None),
            FieldDef::new("x", "x", 5, FieldKind::Text, None),
        ],
    );

    fn header() -> HeaderLayout {
        HeaderLayout {
            len: 4,
            fields: Cow::Owned(vec![FieldDef::new("a", "a", 2, FieldKind::Text, None)]),
            change_type_at: 0,
            role_at: None,
            group_count_at: 2,
        }
    }

    fn group(code: &[u8; 3], len: usize) -> GroupLayout {
        GroupLayout {
            code: *code,
            name: "g".into(),
            finnish: "g".into(),
            description: "".into(),
            len,
            qualifying: false,
            variant: None,
            fields: Cow::Owned(FIELDS.to_vec()),
        }
    }

    #[test]
    fn place_computes_offsets() {
        assert_eq!(FIELDS[1].offset, 4);
        assert_eq!(end_of(&FIELDS), 9);
    }

    #[test]
    fn schema_checks_layouts() {
        let ok = Schema::new("t", header(), vec![group(b"001", 9)]).unwrap();
        assert_eq!(ok.layouts_for(b"001").len(), 1);
        assert!(ok.layouts_for(b"002").is_empty());
        assert!(ok.layouts_for(b"0x1").is_empty());
        assert!(matches!(
            Schema::new("t", header(), vec![group(b"001", 10)]),
            Err(LayoutError::Length { .. })
        ));
        assert!(matches!(
            Schema::new("t", header(), vec![group(b"00a", 9)]),
            Err(LayoutError::BadCode { .. })
        ));
        assert!(matches!(
            Schema::new(
                "t",
                header(),
                vec![group(b"001", 9), group(b"002", 9), group(b"001", 9)]
            ),
            Err(LayoutError::Scattered { .. })
        ));
        assert!(matches!(
            Schema::new("t", header(), vec![group(b"001", 9), group(b"001", 9)]),
            Err(LayoutError::SameLength { .. })
        ));
    }
}
