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

/// The kind of a field: how its characters are read and checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
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
    /// A permanent building id (*pysyvä rakennustunnus*, VTJ-PRT): 9 digits and a check
    /// character, or blank.
    BuildingId,
    /// An old, property-based building id (*kiinteistöön perustuva rakennustunnus*): 14-digit
    /// property id, check letter, 3-digit building number, or blank.
    OldBuildingId,
}

impl FieldKind {
    /// The name used in layout tables and files.
    pub fn name(self) -> &'static str {
        match self {
            FieldKind::Text => "text",
            FieldKind::Digits => "digits",
            FieldKind::Code => "code",
            FieldKind::Date => "date",
            FieldKind::Char => "char",
            FieldKind::PersonId => "person_id",
            FieldKind::BuildingId => "building_id",
            FieldKind::OldBuildingId => "old_building_id",
        }
    }
}

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

/// A record family: header layout, group layouts and an index from code to layouts.
#[derive(Debug, Clone)]
pub struct Schema {
    /// Name of the family (`person`, `building`, or a user layout's name).
    pub name: Cow<'static, str>,
    /// The header.
    pub header: HeaderLayout,
    /// Group layouts in code order; layouts sharing a code stand next to each other.
    pub groups: Cow<'static, [GroupLayout]>,
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
            header,
            groups,
            index,
        })
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

/// Defines a fixed-width struct once: the borrowed struct, its `FIELDS` layout table (offsets
/// computed from the widths), its field parser, writer and serde entries.
///
/// Each field is `name: Type [width] "Finnish term"` with an optional doc comment; `Type` is a
/// [`FieldValue`](crate::field::FieldValue) with a lifetime (`Text`, `Digits`, `VtjDate`,
/// `PersonId`, `Code<Table>`).
#[macro_export]
macro_rules! layout_struct {
    (
        $(#[$meta:meta])*
        $vis:vis struct $Name:ident at $start:literal {
            $( $(#[$fmeta:meta])* $field:ident : $Ty:ident $(<$Arg:ty>)? [$len:literal] $fi:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
        $vis struct $Name<'a> {
            $( $(#[$fmeta])* pub $field: $crate::field::$Ty<'a $(, $Arg)?>, )+
        }

        impl<'a> $Name<'a> {
            /// The layout of this struct's fields, in order, with offsets.
            pub const FIELDS: &'static [$crate::layout::FieldDef] = &$crate::layout::place($start, [
                $( $crate::layout::FieldDef::new(
                    stringify!($field),
                    $fi,
                    $len,
                    <$crate::field::$Ty<'static $(, $Arg)?> as $crate::field::FieldValue<'static>>::KIND,
                    <$crate::field::$Ty<'static $(, $Arg)?> as $crate::field::FieldValue<'static>>::CODE_TABLE,
                ), )+
            ]);

            /// Length in characters from the start of the group or line to the end of the last field.
            pub const END: usize = $crate::layout::end_of(Self::FIELDS);

            /// Reads every field in order.
            #[inline]
            pub fn parse_fields(cur: &mut $crate::field::FieldCursor<'a, '_, '_>) -> Self {
                $Name { $( $field: cur.field(stringify!($field), $len), )+ }
            }

            /// Writes every field in order at its width.
            pub fn write_fields(
                &self,
                enc: $crate::Encoding,
                out: &mut Vec<u8>,
            ) -> Result<(), (&'static str, $crate::field::FieldWriteError)> {
                use $crate::field::FieldValue as _;
                $( self.$field.write_field($len, enc, out).map_err(|e| (stringify!($field), e))?; )+
                Ok(())
            }

            /// A synthetic value for every field (test data; see [`crate::testdata`]).
            pub fn synthesize(rng: &mut $crate::testdata::Rng) -> $Name<'static> {
                use $crate::testdata::Synth as _;
                $Name { $( $field: <$crate::field::$Ty<'static $(, $Arg)?>>::synth(rng, stringify!($field), $len), )+ }
            }

            /// Serialises every field as a map entry (for embedding in a larger map).
            pub fn serialize_entries<M: serde::ser::SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
                $( map.serialize_entry(stringify!($field), &self.$field)?; )+
                Ok(())
            }
        }
    };
}

/// Defines the group structs: every group starts with its change attribute at offset 3.
#[doc(hidden)]
#[macro_export]
macro_rules! group_structs {
    ($( $(#[$meta:meta])* $Name:ident { $($body:tt)* } )+) => {$(
        $crate::layout_struct! {
            $(#[$meta])*
            pub struct $Name at 3 {
                /// Change attribute (*muutosattribuutti*).
                change: Code<$crate::codes::ChangeAttribute> [1] "muutosattribuutti",
                $($body)*
            }
        }
    )+};
}

/// Defines the group catalogue: code → struct, names, and the `Group` enum with its dispatch.
#[doc(hidden)]
#[macro_export]
macro_rules! group_catalogue {
    ($(
        $(#[$meta:meta])*
        $code:literal $Variant:ident($Struct:ident), $name:literal, $fi:literal, $en:literal,
            qualifying $q:literal $(, variant $var:literal)?;
    )+) => {
        /// A typed person data group (*tietoryhmä*), one variant per group code (two for 305).
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Group<'a> {
            $( $(#[$meta])* $Variant($Struct<'a>), )+
            /// A group kept as raw bytes (unknown code or wrong length), written back unchanged.
            Raw($crate::record::RawGroup<'a>),
        }

        /// Which layout a typed group has: one value per entry of [`LAYOUTS`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum GroupKind {
            $( $(#[$meta])* $Variant, )+
        }

        /// The layouts of every person group, in code order (the format's catalogue).
        pub const LAYOUTS: &[$crate::layout::GroupLayout] = &[
            $( $crate::layout::GroupLayout {
                code: *$code,
                name: ::std::borrow::Cow::Borrowed($name),
                finnish: ::std::borrow::Cow::Borrowed($fi),
                description: ::std::borrow::Cow::Borrowed($en),
                len: $Struct::END,
                qualifying: $q,
                variant: $crate::layout::optional_name(&[$($var)?]),
                fields: ::std::borrow::Cow::Borrowed($Struct::FIELDS),
            }, )+
        ];

        /// [`GroupKind`] for each entry of [`LAYOUTS`].
        pub const KINDS: &[GroupKind] = &[ $( GroupKind::$Variant, )+ ];

        impl GroupKind {
            /// The layout of this kind.
            pub fn layout(self) -> &'static $crate::layout::GroupLayout {
                &LAYOUTS[self as usize]
            }
        }

        impl<'a> Group<'a> {
            /// Reads the fields of a group whose layout framing has matched.
            #[inline]
            pub fn parse_kind(kind: GroupKind, cur: &mut $crate::field::FieldCursor<'a, '_, '_>) -> Group<'a> {
                match kind {
                    $( GroupKind::$Variant => Group::$Variant($Struct::parse_fields(cur)), )+
                }
            }

            /// The layout kind, `None` for raw groups.
            pub fn kind(&self) -> Option<GroupKind> {
                match self {
                    $( Group::$Variant(_) => Some(GroupKind::$Variant), )+
                    Group::Raw(_) => None,
                }
            }

            /// The change attribute, `None` for raw groups.
            pub fn change(&self) -> Option<$crate::field::Code<'a, $crate::codes::ChangeAttribute>> {
                match self {
                    $( Group::$Variant(g) => Some(g.change), )+
                    Group::Raw(_) => None,
                }
            }

            /// Sets the change attribute (no effect on raw groups).
            pub fn set_change(&mut self, change: $crate::field::Code<'a, $crate::codes::ChangeAttribute>) {
                match self {
                    $( Group::$Variant(g) => g.change = change, )+
                    Group::Raw(_) => {}
                }
            }

            /// Writes the group's fields (after the code) at their widths.
            pub fn write_fields(
                &self,
                enc: $crate::Encoding,
                out: &mut Vec<u8>,
            ) -> Result<(), (&'static str, $crate::field::FieldWriteError)> {
                match self {
                    $( Group::$Variant(g) => g.write_fields(enc, out), )+
                    Group::Raw(_) => Ok(()),
                }
            }

            /// Serialises the group's fields as map entries.
            pub fn serialize_fields<M: serde::ser::SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
                match self {
                    $( Group::$Variant(g) => g.serialize_entries(map), )+
                    Group::Raw(_) => Ok(()),
                }
            }
        }

impl<'a> Group<'a> {
    /// The layout, `None` for raw groups.
    pub fn layout(&self) -> Option<&'static $crate::layout::GroupLayout> {
        self.kind().map(GroupKind::layout)
    }

    /// The group code.
    pub fn code(&self) -> [u8; 3] {
        match self {
            Group::Raw(r) => r.code(),
            other => other.layout().map_or([b' '; 3], |l| l.code),
        }
    }

    /// The English name of the group (`raw` for raw groups).
    pub fn name(&self) -> &'static str {
        self.layout().map_or("raw", |l| match &l.name {
            std::borrow::Cow::Borrowed(s) => s,
            std::borrow::Cow::Owned(_) => "",
        })
    }

    /// True for qualifying groups (320, 451, 452).
    pub fn is_qualifying(&self) -> bool {
        self.layout().is_some_and(|l| l.qualifying)
    }

    /// Writes the group (code and fields, no `|`).
    pub fn write_to(&self, enc: $crate::Encoding, out: &mut Vec<u8>) -> Result<(), $crate::write::WriteError> {
        match self {
            Group::Raw(r) => r.write_to(enc, out),
            typed => {
                out.extend_from_slice(&typed.code());
                typed.write_fields(enc, out).map_err(|(field, kind)| $crate::write::WriteError {
                    group: Some($crate::diag::GroupCode(typed.code())),
                    field,
                    kind,
                })
            }
        }
    }
}

impl $crate::record::WritePart for Group<'_> {
    fn write_part(&self, enc: $crate::Encoding, out: &mut Vec<u8>) -> Result<(), $crate::write::WriteError> {
        self.write_to(enc, out)
    }
}

impl $crate::record::GroupPart for Group<'_> {
    fn code(&self) -> [u8; 3] {
        Group::code(self)
    }

    fn is_qualifying(&self) -> bool {
        Group::is_qualifying(self)
    }

    fn serialize_head<M: serde::ser::SerializeMap>(&self, m: &mut M) -> Result<(), M::Error> {
        match self {
            Group::Raw(r) => r.serialize_head(m),
            typed => {
                m.serialize_entry("code", &$crate::diag::GroupCode(typed.code()))?;
                m.serialize_entry("group", typed.name())?;
                typed.serialize_fields(m)
            }
        }
    }
}

impl serde::Serialize for Group<'_> {
    /// `{"code": "004", "group": "current_name", "change": {…}, "last_name": …}`; raw groups
    /// carry `"raw"` with their text.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = serde::Serializer::serialize_map(s, None)?;
        use serde::ser::SerializeMap as _;
        use $crate::record::GroupPart as _;
        self.serialize_head(&mut m)?;
        m.end()
    }
}

    };
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
