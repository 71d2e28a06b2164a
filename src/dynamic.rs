//! Records read with a layout loaded at run time (*ajonaikainen tietuekuvaus*).
//!
//! A [`Dynamic`] family reads any file that a [`Schema`] describes — typically one loaded from a
//! layout file ([`crate::layout::LayoutFile::load`]) — through the same framing, diagnostics,
//! writer, JSON output and round trip as the built-in families. Values are kept as the bytes of
//! each field ([`DynFields`]); [`DynValue`] reads them by the field's kind when asked.
//!
//! ```
//! use muutostieto::dynamic::Dynamic;
//! use muutostieto::layout::LayoutFile;
//! use muutostieto::read::SliceReader;
//! use muutostieto::{Encoding, ParseOptions};
//!
//! // The person layouts, exported and loaded back as a user would load DVV's own layout.
//! let schema = LayoutFile::load(&LayoutFile::from_schema(muutostieto::person::schema()).to_toml().unwrap()).unwrap();
//! let line = b"010101A900RXBX201702080101|00312|\r\n";
//! let mut out = Vec::new();
//! for parsed in SliceReader::starting_at(Dynamic::new(&schema), line, 1, ParseOptions::default()) {
//!     let parsed = parsed.unwrap();
//!     let record = parsed.item.as_record().unwrap();
//!     assert_eq!(record.header.get("event").unwrap().text(), "XBX");
//!     parsed.item.write_to(Encoding::Latin1, &mut out).unwrap();
//! }
//! assert_eq!(out, line);
//! ```

use std::borrow::Cow;
use std::fmt;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::diag::WriteError;
use crate::diag::{DiagnosticKind, GroupCode};
use crate::encoding::Encoding;
use crate::field::json::{self, WriteJson};
use crate::field::{Digits, FieldCursor, FieldValue, PersonId, SerializeIn, Text, VtjDate};
use crate::layout::{CodeTableDef, FieldDef, FieldKind, GroupLayout, Schema};
use crate::record::{Family, GroupPart, RawGroup, Record, WritePart};

/// The family of a schema known only at run time.
#[derive(Debug, Clone, Copy)]
pub struct Dynamic<'s> {
    schema: &'s Schema,
}

impl<'s> Dynamic<'s> {
    /// A family for `schema`.
    pub fn new(schema: &'s Schema) -> Self {
        Dynamic { schema }
    }
}

/// A record read with a runtime layout.
pub type DynRecord<'a, 's> = Record<'a, DynFields<'a, 's>, DynGroup<'a, 's>>;

/// The values of a header or a group, one byte slice per field of its layout.
#[derive(Clone, PartialEq)]
pub struct DynFields<'a, 's> {
    fields: &'s [FieldDef],
    tables: &'s [CodeTableDef],
    values: Vec<&'a [u8]>,
    encoding: Encoding,
}

/// One field's value, read by its kind when asked.
#[derive(Clone, Copy)]
pub struct DynValue<'a, 's> {
    /// The field's definition.
    pub def: &'s FieldDef,
    /// The bytes as they stand.
    pub raw: &'a [u8],
    encoding: Encoding,
    table: Option<&'s CodeTableDef>,
}

impl<'a, 's> DynValue<'a, 's> {
    /// The text, decoded and without trailing padding.
    pub fn text(&self) -> Cow<'a, str> {
        Text::from_bytes(self.raw, self.encoding).decode()
    }

    /// The value read as a date.
    pub fn date(&self) -> VtjDate<'a> {
        VtjDate::from_bytes(self.raw)
    }

    /// The value read as digits.
    pub fn digits(&self) -> Digits<'a> {
        Digits::from_bytes(self.raw)
    }

    /// The meaning of a code value, when the field has a code table that lists it.
    pub fn meaning(&self) -> Option<&'s str> {
        self.table?.lookup(self.raw).map(|c| c.meaning.as_ref())
    }
}

impl fmt::Debug for DynValue<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={:?}", self.def.name, self.text())
    }
}

impl Serialize for DynValue<'_, '_> {
    /// By kind: text as a string, digits as a string (`null` when blank), dates in the ISO forms
    /// of [`VtjDate`], codes as `{"code", "meaning"}`, ids as strings (`null` when blank).
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.def.kind {
            // Blank (spaces only) is `null` for every kind, as in the typed families.
            FieldKind::Text | FieldKind::Char | FieldKind::Code
                if self.raw.iter().all(|&b| b == b' ') =>
            {
                s.serialize_none()
            }
            FieldKind::Text | FieldKind::Char => s.serialize_str(&self.text()),
            FieldKind::Digits => self.digits().serialize_in(self.encoding, s),
            FieldKind::Municipality => {
                crate::field::serialize_municipality(self.raw, self.encoding, s)
            }
            FieldKind::Date => self.date().serialize_in(self.encoding, s),
            FieldKind::Code => {
                let meaning = self.meaning();
                let mut m = s.serialize_map(None)?;
                m.serialize_entry("code", &self.encoding.decode(self.raw))?;
                if let Some(meaning) = meaning {
                    m.serialize_entry("meaning", meaning)?;
                }
                m.end()
            }
            FieldKind::PersonId | FieldKind::Custom(_) => {
                // Blank means spaces only, as for the typed `PersonId` (`str::trim` would also
                // drop U+0085 and U+00A0, i.e. Latin-1 bytes 0x85 and 0xA0).
                if self.raw.trim_ascii_end().is_empty() {
                    s.serialize_none()
                } else {
                    s.serialize_str(&self.text())
                }
            }
        }
    }
}

impl WriteJson for DynValue<'_, '_> {
    /// The text of the `Serialize` form above.
    fn write_json(&self, _enc: Encoding, out: &mut Vec<u8>) {
        let enc = self.encoding;
        match self.def.kind {
            FieldKind::Text | FieldKind::Char | FieldKind::Code
                if self.raw.iter().all(|&b| b == b' ') =>
            {
                json::write_null(out)
            }
            FieldKind::Text | FieldKind::Char => json::write_str(&self.text(), out),
            FieldKind::Digits => self.digits().write_json(enc, out),
            FieldKind::Municipality => json::write_municipality(self.raw, enc, out),
            FieldKind::Date => self.date().write_json(enc, out),
            FieldKind::Code => json::write_code(self.raw, enc, self.meaning(), out),
            FieldKind::PersonId | FieldKind::Custom(_) => {
                if self.raw.trim_ascii_end().is_empty() {
                    json::write_null(out)
                } else {
                    json::write_str(&self.text(), out)
                }
            }
        }
    }
}

impl WriteJson for DynFields<'_, '_> {
    /// Values are read in the encoding they were read in.
    fn write_json(&self, enc: Encoding, out: &mut Vec<u8>) {
        out.push(b'{');
        self.write_json_entries(enc, out, true);
        out.push(b'}');
    }
}

impl<'a, 's> DynFields<'a, 's> {
    /// Every field as a JSON map entry (a comma before each, but the first when `first`).
    fn write_json_entries(&self, enc: Encoding, out: &mut Vec<u8>, first: bool) {
        for (i, v) in self.iter().enumerate() {
            if i > 0 || !first {
                out.push(b',');
            }
            json::write_key(&v.def.name, out);
            v.write_json(enc, out);
        }
    }

    /// The value of the field with this name.
    pub fn get(&self, name: &str) -> Option<DynValue<'a, 's>> {
        let i = self.fields.iter().position(|f| f.name == name)?;
        Some(self.value(i))
    }

    /// Every field's value, in layout order.
    pub fn iter(&self) -> impl Iterator<Item = DynValue<'a, 's>> + '_ {
        (0..self.values.len()).map(|i| self.value(i))
    }

    /// Replaces a field's bytes (written at the field's width: shorter values are padded,
    /// longer ones fail on write). Returns false when there is no such field.
    pub fn set(&mut self, name: &str, raw: &'a [u8]) -> bool {
        match self.fields.iter().position(|f| f.name == name) {
            Some(i) => {
                self.values[i] = raw;
                true
            }
            None => false,
        }
    }

    fn value(&self, i: usize) -> DynValue<'a, 's> {
        let def = &self.fields[i];
        DynValue {
            def,
            raw: self.values.get(i).copied().unwrap_or_default(),
            encoding: self.encoding,
            table: def
                .code_table
                .as_deref()
                .and_then(|t| self.tables.iter().find(|c| c.name == t)),
        }
    }

    /// Checks every field (no values kept).
    fn check(fields: &[FieldDef], tables: &[CodeTableDef], cur: &mut FieldCursor<'_, '_, '_>) {
        for def in fields {
            let table = def
                .code_table
                .as_deref()
                .and_then(|t| tables.iter().find(|c| c.name == t));
            cur.field_with(&def.name, def.len, |raw, enc| {
                check(def.kind, table, raw, enc)
            });
        }
    }

    fn read(
        fields: &'s [FieldDef],
        tables: &'s [CodeTableDef],
        cur: &mut FieldCursor<'a, '_, '_>,
    ) -> Self {
        let mut values = Vec::with_capacity(fields.len());
        for def in fields {
            let table = def
                .code_table
                .as_deref()
                .and_then(|t| tables.iter().find(|c| c.name == t));
            let raw = cur.field_with(&def.name, def.len, |raw, enc| {
                check(def.kind, table, raw, enc)
            });
            values.push(raw);
        }
        DynFields {
            fields,
            tables,
            values,
            encoding: cur.encoding(),
        }
    }

    fn write_values(
        &self,
        enc: Encoding,
        out: &mut Vec<u8>,
    ) -> Result<(), (&'static str, crate::field::FieldWriteError)> {
        for (def, raw) in self.fields.iter().zip(&self.values) {
            Text::from_bytes(raw, self.encoding)
                .write_field(def.len, enc, out)
                .map_err(|e| (field_name(def), e))?;
        }
        Ok(())
    }

    fn serialize_entries<M: SerializeMap>(&self, m: &mut M) -> Result<(), M::Error> {
        for v in self.iter() {
            m.serialize_entry(v.def.name.as_ref(), &v)?;
        }
        Ok(())
    }
}

/// The name of a field for a write error (built-in names are `'static`; others are shown as
/// "field" with the group code, since write errors carry a `'static` name).
fn field_name(def: &FieldDef) -> &'static str {
    match &def.name {
        Cow::Borrowed(s) => s,
        Cow::Owned(_) => "field",
    }
}

/// Checks a field's bytes by kind, as the typed families do.
fn check(
    kind: FieldKind,
    table: Option<&CodeTableDef>,
    raw: &[u8],
    enc: Encoding,
) -> Option<DiagnosticKind> {
    match kind {
        FieldKind::Text | FieldKind::Char => Text::parse_field(raw, enc).1,
        FieldKind::Digits => Digits::parse_field(raw, enc).1,
        FieldKind::Date => VtjDate::parse_field(raw, enc).1,
        FieldKind::PersonId => PersonId::parse_field(raw, enc).1,
        FieldKind::Municipality => crate::field::check_municipality(raw),
        FieldKind::Custom(k) => (k.check)(raw, enc),
        FieldKind::Code => match table {
            Some(t) if t.closed && t.lookup(raw).is_none() => {
                Some(DiagnosticKind::UnknownCode { table: "layout" })
            }
            _ => None,
        },
    }
}

impl fmt::Debug for DynFields<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for DynFields<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.values.len()))?;
        self.serialize_entries(&mut m)?;
        m.end()
    }
}

impl SerializeIn for DynFields<'_, '_> {
    /// Values are read in the encoding they were read in.
    fn serialize_in<S: Serializer>(&self, _enc: Encoding, s: S) -> Result<S::Ok, S::Error> {
        self.serialize(s)
    }
}

impl crate::record::HeaderPart for DynFields<'_, '_> {
    /// The first header field (the person or building id in DVV's layouts).
    fn key(&self) -> &[u8] {
        self.values.first().copied().unwrap_or_default()
    }
    /// The field named `event`.
    fn event(&self) -> &[u8] {
        self.get("event").map_or(&[][..], |v| v.raw)
    }
    /// The field named `registered`.
    fn registered(&self) -> VtjDate<'_> {
        self.get("registered")
            .map_or(VtjDate::Unknown, |v| v.date())
    }
    /// The byte at the layout's change-type offset (read through the field that holds it).
    fn change_type(&self) -> &[u8] {
        self.get("change_type").map_or(&[][..], |v| v.raw)
    }
}

impl WritePart for DynFields<'_, '_> {
    fn write_part(&self, enc: Encoding, out: &mut Vec<u8>) -> Result<(), WriteError> {
        self.write_values(enc, out)
            .map_err(|(field, kind)| WriteError {
                group: None,
                field,
                kind,
            })
    }
}

/// A group read with a runtime layout, or kept raw.
#[derive(Debug, Clone, PartialEq)]
pub enum DynGroup<'a, 's> {
    /// A group whose layout matched.
    Typed {
        /// Its layout.
        layout: &'s GroupLayout,
        /// Its values (the change attribute first).
        fields: DynFields<'a, 's>,
    },
    /// A group kept as raw bytes.
    Raw(RawGroup<'a>),
}

impl<'a, 's> DynGroup<'a, 's> {
    /// The layout, `None` for raw groups.
    pub fn layout(&self) -> Option<&'s GroupLayout> {
        match self {
            DynGroup::Typed { layout, .. } => Some(layout),
            DynGroup::Raw(_) => None,
        }
    }

    /// The value of a field.
    pub fn get(&self, name: &str) -> Option<DynValue<'a, 's>> {
        match self {
            DynGroup::Typed { fields, .. } => fields.get(name),
            DynGroup::Raw(_) => None,
        }
    }
}

impl WritePart for DynGroup<'_, '_> {
    fn write_part(&self, enc: Encoding, out: &mut Vec<u8>) -> Result<(), WriteError> {
        match self {
            DynGroup::Raw(r) => r.write_to(enc, out),
            DynGroup::Typed { layout, fields } => {
                out.extend_from_slice(&layout.code);
                fields
                    .write_values(enc, out)
                    .map_err(|(field, kind)| WriteError {
                        group: Some(GroupCode(layout.code)),
                        field,
                        kind,
                    })
            }
        }
    }
}

impl GroupPart for DynGroup<'_, '_> {
    fn change(&self) -> Option<u8> {
        match self {
            DynGroup::Raw(r) => r.change(),
            DynGroup::Typed { fields, .. } => {
                fields.values.first().and_then(|v| v.first().copied())
            }
        }
    }

    fn code(&self) -> [u8; 3] {
        match self {
            DynGroup::Raw(r) => r.code(),
            DynGroup::Typed { layout, .. } => layout.code,
        }
    }

    fn is_qualifying(&self) -> bool {
        self.layout().is_some_and(|l| l.qualifying)
    }

    /// Values are read in the encoding they were read in (`_enc` is the same).
    fn write_json_head(&self, enc: Encoding, out: &mut Vec<u8>) {
        match self {
            DynGroup::Raw(r) => r.write_json_head(out),
            DynGroup::Typed { layout, fields } => {
                out.extend_from_slice(b"\"code\":");
                let code = GroupCode(layout.code);
                match std::str::from_utf8(&layout.code) {
                    Ok(c) if layout.code.iter().all(|b| b.is_ascii_graphic()) => {
                        json::write_str(c, out)
                    }
                    _ => json::write_str(&code.as_string(), out),
                }
                out.extend_from_slice(b",\"group\":");
                json::write_str(&layout.name, out);
                fields.write_json_entries(enc, out, false);
            }
        }
    }

    fn serialize_head<M: SerializeMap>(&self, _enc: Encoding, m: &mut M) -> Result<(), M::Error> {
        match self {
            DynGroup::Raw(r) => r.serialize_head(m),
            DynGroup::Typed { layout, fields } => {
                m.serialize_entry("code", &GroupCode(layout.code))?;
                m.serialize_entry("group", layout.name.as_ref())?;
                fields.serialize_entries(m)
            }
        }
    }
}

impl Serialize for DynGroup<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        self.serialize_head(Encoding::Latin1, &mut m)?;
        m.end()
    }
}

impl<'s> Family for Dynamic<'s> {
    type Header<'a> = DynFields<'a, 's>;
    type Group<'a> = DynGroup<'a, 's>;

    fn schema(&self) -> &Schema {
        self.schema
    }

    fn parse_header<'a>(&self, cur: &mut FieldCursor<'a, '_, '_>) -> Self::Header<'a> {
        DynFields::read(&self.schema.header.fields, &self.schema.code_tables, cur)
    }

    fn parse_group<'a>(&self, layout: usize, cur: &mut FieldCursor<'a, '_, '_>) -> Self::Group<'a> {
        let layout = &self.schema.groups[layout];
        DynGroup::Typed {
            layout,
            fields: DynFields::read(&layout.fields, &self.schema.code_tables, cur),
        }
    }

    fn check_header(&self, cur: &mut FieldCursor<'_, '_, '_>) {
        DynFields::check(&self.schema.header.fields, &self.schema.code_tables, cur)
    }

    fn check_group(&self, layout: usize, cur: &mut FieldCursor<'_, '_, '_>) {
        let layout = &self.schema.groups[layout];
        DynFields::check(&layout.fields, &self.schema.code_tables, cur)
    }

    fn raw_group<'a>(&self, raw: RawGroup<'a>) -> Self::Group<'a> {
        DynGroup::Raw(raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::LayoutFile;
    use crate::read::SliceReader;
    use crate::testdata::{generate, Options};
    use crate::ParseOptions;

    /// Reads `bytes` with the typed family and with its exported layout loaded back: same
    /// JSON, same bytes.
    fn same_as_typed<F: Family>(family: F, bytes: &[u8]) {
        let text = LayoutFile::from_schema(family.schema()).to_toml().unwrap();
        let schema = LayoutFile::load_with_kinds(&text, family.field_kinds()).unwrap();
        let typed: Vec<_> = SliceReader::starting_at(family, bytes, 1, ParseOptions::default())
            .map(|p| serde_json::to_value(&p.unwrap().item).unwrap())
            .collect();
        let mut out = Vec::new();
        let mut dynamic = Vec::new();
        for p in SliceReader::starting_at(Dynamic::new(&schema), bytes, 1, ParseOptions::default())
        {
            let p = p.unwrap();
            let unknown_code =
                |d: &crate::Diagnostic| matches!(d.kind, DiagnosticKind::UnknownCode { .. });
            assert!(
                p.diagnostics.iter().all(unknown_code),
                "{:?}",
                p.diagnostics
            );
            p.item.write_to(Encoding::Latin1, &mut out).unwrap();
            dynamic.push(serde_json::to_value(&p.item).unwrap());
        }
        assert!(out == bytes);
        // The JSON is the same as the typed family's, field for field.
        assert_eq!(dynamic.len(), typed.len());
        for (d, t) in dynamic.iter().zip(&typed) {
            assert_eq!(d, t);
        }
    }

    #[test]
    fn generated_files_read_the_same_with_a_loaded_layout() {
        let opts = Options {
            records: 200,
            envelope: true,
            ..Options::default()
        };
        same_as_typed(crate::person::Person, &generate(&opts));
        same_as_typed(
            crate::building::Building,
            &crate::testdata::building::generate(&opts),
        );
    }

    #[test]
    fn changed_widths_parse_a_file_written_to_them() {
        // A user widens 452's text from 30 to 40 characters.
        let mut file = LayoutFile::from_schema(crate::person::schema());
        let g = file.groups.iter_mut().find(|g| g.code == "452").unwrap();
        g.length = 44;
        g.fields.last_mut().unwrap().length = 40;
        let schema = LayoutFile::load(&file.to_toml().unwrap()).unwrap();
        let text = format!("{:<40}", "a longer plain-text clarification");
        let line = format!("010101A900RXBX201702080102|002098|4520{text}|\r\n");
        let mut reader = SliceReader::new(
            Dynamic::new(&schema),
            line.as_bytes(),
            ParseOptions::strict(),
        );
        let parsed = reader.next().unwrap().unwrap();
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        let record = parsed.item.as_record().unwrap();
        assert_eq!(
            record.groups[1].get("text").unwrap().text(),
            "a longer plain-text clarification"
        );
        assert_eq!(
            record.write_to_vec(Encoding::Latin1).unwrap(),
            line.as_bytes()
        );
        // The built-in layout sees a group of the wrong length, kept raw.
        let (rec, diags) =
            crate::PersonRecord::parse(line.as_bytes(), &ParseOptions::default()).unwrap();
        assert!(matches!(rec.groups[1], crate::Group::Raw(_)));
        assert!(matches!(
            diags[0].kind,
            DiagnosticKind::GroupLength {
                expected: 34,
                found: 44
            }
        ));
    }
}
