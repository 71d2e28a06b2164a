//! Layout files (*tietuekuvaustiedostot*): a record family described in TOML.
//!
//! A layout file lets a user who holds DVV's own description of a record family parse, check,
//! write and convert files of that family without a new release. Format (version 1):
//!
//! ```toml
//! format = "muutostieto-layout"   # required, always this
//! version = 1                     # required
//! name = "building"               # the family's name
//! description = "…"               # optional
//!
//! [header]
//! length = 26                     # header length in characters
//! change_type_at = 22             # offset of the change-type byte (J = continuation line)
//! role_at = 23                    # optional: a J here alone is reported
//! group_count_at = 24             # offset of the 2-digit group count; the fields end here
//!
//! [[header.field]]                # fields in order, no gaps or overlaps, from offset 0
//! name = "building_id"
//! finnish = "pysyvä rakennustunnus"   # optional
//! offset = 0
//! length = 10
//! kind = "building_id"            # text, digits, code, date, char, person_id, building_id, old_building_id
//!
//! [[group]]
//! code = "601"                    # three digits; two layouts of one code must differ in length
//! name = "identifiers"
//! finnish = "tunnisteet"          # optional
//! description = "…"               # optional
//! length = 60                     # code and change attribute included
//! qualifying = false              # optional: true attaches the group to the one before it
//! variant = "…"                   # optional: when this layout applies
//!
//! [[group.field]]                 # from offset 3 (after the code) to `length`, no gaps
//! name = "change"
//! offset = 3
//! length = 1
//! kind = "code"
//! codes = "change_attribute"      # optional: a code table below
//!
//! [[code_table]]
//! name = "change_attribute"
//! closed = true                   # optional (default true): unknown values are reported
//! codes = [{ code = "1", meaning = "added", finnish = "lisätty" }]
//! ```
//!
//! [`LayoutFile::load`] checks everything and reports problems with the line of the layout file
//! they are on; [`LayoutFile::from_schema`] exports any schema (`muutostieto layout show person`
//! gives the built-in person layouts as a starting point).
//!
//! ```
//! use muutostieto::layout::LayoutFile;
//! let text = LayoutFile::from_schema(muutostieto::person::schema()).to_toml().unwrap();
//! let schema = LayoutFile::load(&text).unwrap();
//! assert_eq!(schema.groups.len(), muutostieto::person::schema().groups.len());
//! ```

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::field::CustomKind;

use super::{CodeTableDef, FieldDef, FieldKind, GroupLayout, HeaderLayout, LayoutError, Schema};

/// The value of `format` in every layout file.
pub const FORMAT: &str = "muutostieto-layout";
/// The format version this crate reads and writes.
pub const VERSION: u32 = 1;

/// A layout file, as written in TOML.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayoutFile {
    /// Always [`FORMAT`].
    pub format: String,
    /// Always [`VERSION`].
    pub version: u32,
    /// Name of the record family.
    pub name: String,
    /// Free description.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The header.
    pub header: HeaderFile,
    /// The groups.
    #[serde(rename = "group", default)]
    pub groups: Vec<GroupFile>,
    /// Code tables.
    #[serde(rename = "code_table", default, skip_serializing_if = "Vec::is_empty")]
    pub code_tables: Vec<CodeTableDef>,
}

/// The `[header]` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderFile {
    /// Header length.
    pub length: usize,
    /// Offset of the change-type byte.
    pub change_type_at: usize,
    /// Offset of the role byte, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_at: Option<usize>,
    /// Offset of the group count.
    pub group_count_at: usize,
    /// Header fields.
    #[serde(rename = "field", default)]
    pub fields: Vec<FieldFile>,
}

/// A `[[group]]` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupFile {
    /// Three-digit code.
    pub code: String,
    /// English name.
    pub name: String,
    /// Finnish name.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub finnish: String,
    /// Description.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Length, code and change attribute included.
    pub length: usize,
    /// Qualifying group.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub qualifying: bool,
    /// When this layout applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// Fields from offset 3.
    #[serde(rename = "field", default)]
    pub fields: Vec<FieldFile>,
}

/// A `[[…field]]` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldFile {
    /// English name (snake_case recommended; used in JSON).
    pub name: String,
    /// Finnish term.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub finnish: String,
    /// Offset in characters.
    pub offset: usize,
    /// Width in characters.
    pub length: usize,
    /// Kind: `text`, `digits`, `code`, `date`, `char`, `person_id`, or a kind a record family
    /// brings (e.g. `building_id`), see [`LayoutFile::load_with_kinds`].
    pub kind: String,
    /// Code table name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub codes: Option<String>,
}

/// A problem in a layout file, with the line it is on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}", line.map(|l| format!("line {l}: ")).unwrap_or_default())]
pub struct LayoutFileError {
    /// 1-based line in the layout file, when known.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

/// Only the positions of groups and fields, read beside the data for error messages.
#[derive(Deserialize)]
struct Spans {
    header: Option<toml::Spanned<HeaderSpans>>,
    #[serde(rename = "group", default)]
    groups: Vec<toml::Spanned<GroupSpans>>,
}

#[derive(Deserialize)]
struct HeaderSpans {
    #[serde(rename = "field", default)]
    fields: Vec<toml::Spanned<serde::de::IgnoredAny>>,
}

#[derive(Deserialize)]
struct GroupSpans {
    #[serde(rename = "field", default)]
    fields: Vec<toml::Spanned<serde::de::IgnoredAny>>,
}

fn line_of(text: &str, offset: usize) -> usize {
    1 + text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

impl LayoutFile {
    /// Reads and checks a layout file that uses only the built-in field kinds
    /// ([`FieldKind::BUILT_IN`]), giving the schema it describes.
    pub fn load(text: &str) -> Result<Schema, LayoutFileError> {
        LayoutFile::load_with_kinds(text, &[])
    }

    /// Reads and checks a layout file whose fields may also use the kinds in `kinds` (those a
    /// record family brings, such as building ids).
    pub fn load_with_kinds(
        text: &str,
        kinds: &[&'static CustomKind],
    ) -> Result<Schema, LayoutFileError> {
        let file: LayoutFile = toml::from_str(text).map_err(|e| LayoutFileError {
            line: e.span().map(|s| line_of(text, s.start)),
            message: e.message().to_string(),
        })?;
        let spans: Option<Spans> = toml::from_str(text).ok();
        file.to_schema(kinds).map_err(|(place, message)| {
            let line = spans.as_ref().and_then(|s| place.line(s, text));
            LayoutFileError { line, message }
        })
    }

    /// Serialises as TOML.
    pub fn to_toml(&self) -> Result<String, LayoutFileError> {
        toml::to_string(self).map_err(|e| LayoutFileError {
            line: None,
            message: format!("cannot write the layout as TOML: {e}"),
        })
    }

    /// The layout file of a schema (to export built-in layouts).
    pub fn from_schema(schema: &Schema) -> LayoutFile {
        let field = |f: &FieldDef| FieldFile {
            name: f.name.to_string(),
            finnish: f.finnish.to_string(),
            offset: f.offset,
            length: f.len,
            kind: f.kind.name().to_string(),
            codes: f.code_table.as_ref().map(|c| c.to_string()),
        };
        LayoutFile {
            format: FORMAT.to_string(),
            version: VERSION,
            name: schema.name.to_string(),
            description: schema.description.to_string(),
            header: HeaderFile {
                length: schema.header.len,
                change_type_at: schema.header.change_type_at,
                role_at: schema.header.role_at,
                group_count_at: schema.header.group_count_at,
                fields: schema.header.fields.iter().map(field).collect(),
            },
            groups: schema
                .groups
                .iter()
                .map(|g| GroupFile {
                    code: g.code_str(),
                    name: g.name.to_string(),
                    finnish: g.finnish.to_string(),
                    description: g.description.to_string(),
                    length: g.len,
                    qualifying: g.qualifying,
                    variant: g.variant.as_ref().map(|v| v.to_string()),
                    fields: g.fields.iter().map(field).collect(),
                })
                .collect(),
            code_tables: schema.code_tables.clone(),
        }
    }

    /// Checks the file and builds the schema; errors say where (for the line lookup).
    fn to_schema(&self, kinds: &[&'static CustomKind]) -> Result<Schema, (Place, String)> {
        if self.format != FORMAT {
            return Err((Place::Top, format!("format must be \"{FORMAT}\"")));
        }
        if self.version != VERSION {
            return Err((
                Place::Top,
                format!(
                    "version {} is not supported (this program reads version {VERSION})",
                    self.version
                ),
            ));
        }
        let h = &self.header;
        if h.group_count_at + 2 != h.length {
            return Err((
                Place::Header,
                format!(
                    "header: the group count (2 characters at {}) must end the header (length {})",
                    h.group_count_at, h.length
                ),
            ));
        }
        for (what, at) in [
            ("change_type_at", Some(h.change_type_at)),
            ("role_at", h.role_at),
        ] {
            if let Some(at) = at {
                if at >= h.group_count_at {
                    return Err((
                        Place::Header,
                        format!("header: {what} {at} is not before the group count"),
                    ));
                }
            }
        }
        let header_fields = check_fields(
            "header",
            0,
            h.group_count_at,
            &h.fields,
            kinds,
            Place::HeaderField,
        )?;
        let mut groups: Vec<(usize, GroupLayout)> = Vec::with_capacity(self.groups.len());
        for (gi, g) in self.groups.iter().enumerate() {
            let place = Place::Group(gi);
            let is_code = g.code.len() == 3 && g.code.bytes().all(|b| b.is_ascii_digit());
            if !is_code {
                return Err((
                    place,
                    format!("group {:?}: code must be three digits", g.code),
                ));
            }
            if g.length < 4 {
                return Err((
                    place,
                    format!(
                        "group {}: length {} is shorter than a code and a change attribute",
                        g.code, g.length
                    ),
                ));
            }
            if g.name.trim().is_empty() {
                return Err((place, format!("group {}: name is empty", g.code)));
            }
            let label = format!("group {}", g.code);
            let fields = check_fields(&label, 3, g.length, &g.fields, kinds, |i| {
                Place::GroupField(gi, i)
            })?;
            let code = [
                g.code.as_bytes()[0],
                g.code.as_bytes()[1],
                g.code.as_bytes()[2],
            ];
            groups.push((
                gi,
                GroupLayout {
                    code,
                    name: Cow::Owned(g.name.clone()),
                    finnish: Cow::Owned(g.finnish.clone()),
                    description: Cow::Owned(g.description.clone()),
                    len: g.length,
                    qualifying: g.qualifying,
                    variant: g.variant.clone().map(Cow::Owned),
                    fields: Cow::Owned(fields),
                },
            ));
        }
        // Layouts of one code must stand together; keep the file's order otherwise.
        groups.sort_by_key(|(_, g)| g.code);
        for pair in groups.windows(2) {
            if pair[0].1.code == pair[1].1.code && pair[0].1.len == pair[1].1.len {
                return Err((
                    Place::Group(pair[1].0),
                    format!(
                        "group {}: two layouts of length {}; framing could not tell them apart",
                        pair[1].1.code_str(),
                        pair[1].1.len
                    ),
                ));
            }
        }
        let mut seen = std::collections::HashSet::new();
        for t in &self.code_tables {
            if !seen.insert(t.name.clone()) {
                return Err((
                    Place::Top,
                    format!("code table {} is defined twice", t.name),
                ));
            }
        }
        let header = HeaderLayout {
            len: h.length,
            fields: Cow::Owned(header_fields),
            change_type_at: h.change_type_at,
            role_at: h.role_at,
            group_count_at: h.group_count_at,
        };
        let group_list: Vec<GroupLayout> = groups.into_iter().map(|(_, g)| g).collect();
        let schema = Schema::new(self.name.clone(), header, group_list)
            .and_then(|s| s.with_code_tables(self.code_tables.clone()))
            .map_err(|e| (self.place_of(&e), e.to_string()))?;
        Ok(Schema {
            description: Cow::Owned(self.description.clone()),
            ..schema
        })
    }

    fn place_of(&self, e: &LayoutError) -> Place {
        let (code, field) = match e {
            LayoutError::UnknownCodeTable { code, field, .. } => (Some(code.as_str()), field),
            LayoutError::CodeWidth { field, .. } => (None, field),
            _ => return Place::Top,
        };
        for (gi, g) in self.groups.iter().enumerate() {
            if code.is_none_or(|c| c == g.code) {
                if let Some(fi) = g.fields.iter().position(|f| f.name == *field) {
                    return Place::GroupField(gi, fi);
                }
            }
        }
        if let Some(fi) = self.header.fields.iter().position(|f| f.name == *field) {
            return Place::HeaderField(fi);
        }
        Place::Top
    }
}

/// Where in the file a problem is.
#[derive(Debug, Clone, Copy)]
enum Place {
    Top,
    Header,
    HeaderField(usize),
    Group(usize),
    GroupField(usize, usize),
}

impl Place {
    fn line(self, spans: &Spans, text: &str) -> Option<usize> {
        let start = match self {
            Place::Top => return None,
            Place::Header => spans.header.as_ref()?.span().start,
            Place::HeaderField(i) => spans.header.as_ref()?.get_ref().fields.get(i)?.span().start,
            Place::Group(g) => spans.groups.get(g)?.span().start,
            Place::GroupField(g, i) => spans.groups.get(g)?.get_ref().fields.get(i)?.span().start,
        };
        Some(line_of(text, start))
    }
}

/// Checks that fields run from `start` to `end` without gaps or overlaps, with unique names.
fn check_fields(
    label: &str,
    start: usize,
    end: usize,
    fields: &[FieldFile],
    kinds: &[&'static CustomKind],
    place: impl Fn(usize) -> Place,
) -> Result<Vec<FieldDef>, (Place, String)> {
    let mut expected = start;
    let mut out: Vec<FieldDef> = Vec::with_capacity(fields.len());
    for (i, f) in fields.iter().enumerate() {
        let at = place(i);
        if f.name.trim().is_empty() {
            return Err((at, format!("{label}: field {} has no name", i + 1)));
        }
        if out.iter().any(|o| o.name == f.name) {
            return Err((at, format!("{label}: field {} is defined twice", f.name)));
        }
        if f.length == 0 {
            return Err((at, format!("{label}, field {}: length 0", f.name)));
        }
        let Some(kind) = FieldKind::from_name(&f.kind, kinds) else {
            let known: Vec<&str> = FieldKind::BUILT_IN
                .iter()
                .map(|k| k.name())
                .chain(kinds.iter().map(|k| k.name))
                .collect();
            return Err((
                at,
                format!(
                    "{label}, field {}: unknown kind {:?} (known: {})",
                    f.name,
                    f.kind,
                    known.join(", ")
                ),
            ));
        };
        if f.offset < expected {
            let previous = out
                .last()
                .map(|o| o.name.to_string())
                .unwrap_or_else(|| "the group code".into());
            return Err((
                at,
                format!(
                    "{label}, field {}: offset {} overlaps {previous}, which ends at {expected}",
                    f.name, f.offset
                ),
            ));
        }
        if f.offset > expected {
            return Err((
                at,
                format!(
                    "{label}, field {}: gap of {} characters before it (offsets {expected}–{}); describe them as a field",
                    f.name,
                    f.offset - expected,
                    f.offset - 1
                ),
            ));
        }
        expected = f.offset + f.length;
        out.push(FieldDef {
            name: Cow::Owned(f.name.clone()),
            finnish: Cow::Owned(f.finnish.clone()),
            offset: f.offset,
            len: f.length,
            kind,
            code_table: f.codes.clone().map(Cow::Owned),
        });
    }
    if expected != end {
        let at = if fields.is_empty() {
            Place::Top
        } else {
            place(fields.len() - 1)
        };
        return Err((
            at,
            format!("{label}: fields end at {expected}, the length says {end}"),
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = r#"
format = "muutostieto-layout"
version = 1
name = "small"

[header]
length = 26
change_type_at = 22
group_count_at = 24

[[header.field]]
name = "id"
offset = 0
length = 24
kind = "text"

[[group]]
code = "900"
name = "thing"
length = 10

[[group.field]]
name = "change"
offset = 3
length = 1
kind = "code"
codes = "change"

[[group.field]]
name = "value"
offset = 4
length = 6
kind = "digits"

[[code_table]]
name = "change"
codes = [{ code = "1", meaning = "added" }, { code = "3", meaning = "changed" }]
"#;

    #[test]
    fn loads_a_small_layout() {
        let s = LayoutFile::load(SMALL).unwrap();
        assert_eq!(s.name, "small");
        assert_eq!(s.layouts_for(b"900")[0].len, 10);
        assert_eq!(s.code_table("change").unwrap().codes.len(), 2);
    }

    #[test]
    fn reports_problems_with_their_line() {
        let overlap = SMALL.replace("offset = 4\nlength = 6", "offset = 3\nlength = 7");
        let e = LayoutFile::load(&overlap).unwrap_err();
        assert!(e.message.contains("overlaps change"), "{e}");
        assert_eq!(e.line, Some(29));
        let gap = SMALL.replace("offset = 4\nlength = 6", "offset = 5\nlength = 5");
        let e = LayoutFile::load(&gap).unwrap_err();
        assert!(e.message.contains("gap of 1 characters"), "{e}");
        let len = SMALL.replace("length = 10", "length = 11");
        assert!(LayoutFile::load(&len)
            .unwrap_err()
            .message
            .contains("fields end at 10"));
        let kind = SMALL.replace("kind = \"digits\"", "kind = \"money\"");
        let e = LayoutFile::load(&kind).unwrap_err();
        assert!(
            e.message.contains(
                "unknown kind \"money\" (known: text, digits, code, date, char, person_id, municipality)"
            ),
            "{e}"
        );
        assert!(matches!(e.line, Some(29..=33)), "{e}");
        let table = SMALL.replace("codes = \"change\"", "codes = \"nope\"");
        let e = LayoutFile::load(&table).unwrap_err();
        assert!(e.message.contains("no code table named nope"), "{e}");
        assert_eq!(e.line, Some(22));
        let width = SMALL.replace("code = \"3\"", "code = \"33\"");
        assert!(LayoutFile::load(&width)
            .unwrap_err()
            .message
            .contains("not 1 characters wide"));
        let version = SMALL.replace("version = 1", "version = 2");
        assert!(LayoutFile::load(&version)
            .unwrap_err()
            .message
            .contains("version 2"));
        let code = SMALL.replace("code = \"900\"", "code = \"9a0\"");
        assert!(LayoutFile::load(&code)
            .unwrap_err()
            .message
            .contains("three digits"));
    }

    #[test]
    fn person_layouts_export_and_load_back() {
        let person = crate::person::schema();
        let text = LayoutFile::from_schema(person).to_toml().unwrap();
        let back = LayoutFile::load(&text).unwrap();
        assert_eq!(back.groups, person.groups);
        assert_eq!(back.header, person.header);
        assert_eq!(back.code_tables, person.code_tables);
    }
}
