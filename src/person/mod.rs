//! Person records (*henkilötietueet*) of `.PTT` base deliveries and `.MTT` change deliveries.
//!
//! A record is a 26-character [`Header`] (*tunnisteosa*) and its [`Group`]s (*tietoryhmät*).
//! Qualifying groups (320, 451, 452) stay in line order in [`PersonRecord::groups`];
//! [`PersonRecord::entries`] attaches each run of them to the group before it. Continuation
//! lines (`J` in the change-type byte) are merged into the record before them and written as
//! separate lines again.
//!
//! ```
//! use muutostieto::person::{Group, PersonRecord};
//! use muutostieto::ParseOptions;
//!
//! let mut line = b"010101-900RXXX201702081102|00312|0041".to_vec();
//! line.extend_from_slice(b"P\xe4l\xf6m\xe4ki"); // last name in ISO-8859-1, 8 characters
//! line.extend_from_slice(&[b' '; 92]);
//! line.extend_from_slice(format!("{:<100}", "Maija").as_bytes());
//! line.extend_from_slice(b"00000000 |");
//! let (record, diagnostics) = PersonRecord::parse(&line, &ParseOptions::default()).unwrap();
//! assert!(diagnostics.is_empty());
//! let Group::CurrentName(name) = &record.groups[1] else { panic!() };
//! assert_eq!(name.last_name.decode(), "Pälömäki");
//! assert_eq!(record.write_to_vec(muutostieto::Encoding::Latin1).unwrap(), line);
//! ```
//!
//! The layout of every group: see [`LAYOUTS`] and the generated table in `docs/person-layouts.md`.

pub mod codes;
pub mod groups;

use std::sync::LazyLock;

pub use groups::*;

use crate::diag::{Diagnostic, Error};
use crate::field::{Code, FieldCursor, PersonId, VtjDate};
use crate::layout::Schema;
use crate::record::Family;
use crate::ParseOptions;

crate::layout_struct! {
    /// The record header (*tunnisteosa*), characters 0–23; the group count (24–25) is kept in
    /// [`LineInfo`] because it describes the line, not the person.
    pub struct Header at 0 {
        /// The person the record is about (*henkilötunnus*).
        person_id: PersonId [11] "henkilötunnus",
        /// Event code, e.g. `XBX`; `XXX` in base deliveries (*tapahtuma*).
        event: Code<codes::EventCode> [3] "tapahtuma",
        /// Date the change was registered (*rekisteröintipäivä*).
        registered: VtjDate [8] "rekisteröintipäivä",
        /// New or existing person, or continuation (*muutostyyppi*).
        change_type: Code<codes::ChangeType> [1] "muutostyyppi",
        /// Role of the person in the event; values `1 2 5 6` seen, meaning unpublished (*rooli*).
        role: Code<codes::Role> [1] "rooli",
    }
}

/// Length of the person header in characters.
pub const HEADER_LEN: usize = 26;

/// The person record family: header layout and every group layout.
pub fn schema() -> &'static Schema {
    static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
        Schema::built_in(
            "person",
            "Person records of .PTT and .MTT files (VTJ muutostietopalvelu)",
            Header::FIELDS,
            Some(23),
            LAYOUTS,
            codes::tables(),
        )
    });
    &SCHEMA
}

pub use crate::record::{LineInfo, RawGroup};

/// The person family (*henkilötiedot*): the built-in person layouts and typed groups, for the
/// readers of [`crate::read`] and the [`Writer`](crate::write::Writer).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Person;

impl Family for Person {
    type Header<'a> = Header<'a>;
    type Group<'a> = Group<'a>;

    fn schema(&self) -> &Schema {
        schema()
    }

    #[inline]
    fn parse_header<'a>(&self, cur: &mut FieldCursor<'a, '_, '_>) -> Self::Header<'a> {
        Header::parse_fields(cur)
    }

    #[inline]
    fn parse_group<'a>(&self, layout: usize, cur: &mut FieldCursor<'a, '_, '_>) -> Self::Group<'a> {
        Group::parse_kind(KINDS[layout], cur)
    }

    crate::record::layout_family_methods!();
}

/// An item of a person file: a record, or a line kept as it is.
pub type PersonItem<'a> = crate::record::Item<'a, PersonRecord<'a>>;

/// A person record: header, groups and how its lines were framed.
pub type PersonRecord<'a> = crate::record::Record<'a, Header<'a>, Group<'a>>;

/// A continuation line of a person record.
pub type Continuation<'a> = crate::record::Continuation<'a, Header<'a>>;

/// A person group with the qualifying groups that follow it.
pub type Entry<'r, 'a> = crate::record::Entry<'r, Group<'a>>;

crate::record::family_header!(Header, key: person_id);

impl<'a> PersonRecord<'a> {
    /// Parses one line that holds one record (no continuation lines; see
    /// [`crate::read::SliceReader`] for whole files). In strict mode the first error is returned.
    pub fn parse(line: &'a [u8], opts: &ParseOptions) -> Result<(Self, Vec<Diagnostic>), Error> {
        crate::read::parse_one(Person, line, opts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::{Code, PersonId, VtjDate};

    #[test]
    fn spec_group_lengths() {
        // Section 6 / 9.2 of the format reference.
        let expected: &[(&[u8; 3], &[usize])] = &[
            (b"001", &[16]),
            (b"002", &[6]),
            (b"003", &[5]),
            (b"004", &[213]),
            (b"005", &[123]),
            (b"007", &[24]),
            (b"008", &[7]),
            (b"009", &[57]),
            (b"013", &[12]),
            (b"015", &[12]),
            (b"101", &[237]),
            (b"102", &[237]),
            (b"103", &[125]),
            (b"104", &[183]),
            (b"105", &[183]),
            (b"204", &[15]),
            (b"305", &[43, 50]),
            (b"306", &[24]),
            (b"307", &[49]),
            (b"316", &[23]),
            (b"317", &[31]),
            (b"320", &[24]),
            (b"401", &[43]),
            (b"421", &[277]),
            (b"422", &[74]),
            (b"423", &[123]),
            (b"451", &[216]),
            (b"452", &[34]),
        ];
        let s = schema();
        let codes: Vec<_> = s
            .groups
            .iter()
            .map(|g| g.code)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        assert_eq!(codes.len(), 28);
        for (code, lens) in expected {
            let got: Vec<usize> = s.layouts_for(*code).iter().map(|g| g.len).collect();
            assert_eq!(&got, lens, "group {}", String::from_utf8_lossy(*code));
        }
        assert_eq!(Header::END, 24);
        for (g, kind) in LAYOUTS.iter().zip(KINDS) {
            assert_eq!(kind.layout(), g);
        }
    }

    #[test]
    fn spec_field_offsets() {
        let s = schema();
        let off = |code: &[u8; 3], name: &str| {
            let f = s.layouts_for(code)[0].field(name).unwrap();
            (f.offset, f.len)
        };
        assert_eq!(off(b"101", "postal_code"), (216, 5));
        assert_eq!(off(b"101", "end"), (229, 8));
        assert_eq!(off(b"004", "updated"), (204, 8));
        assert_eq!(off(b"422", "valid_in_vtj"), (73, 1));
        assert_eq!(off(b"307", "legal_aid_office"), (27, 6));
        assert_eq!(off(b"451", "citizenship"), (213, 3));
        assert_eq!(off(b"421", "start"), (261, 8));
        let new305 = &s.layouts_for(b"305")[1];
        assert_eq!(new305.field("residence").unwrap().offset, 33);
    }

    #[test]
    fn built_record_is_written_with_counts_and_crlf() {
        let header = Header {
            person_id: PersonId::new("010101-900R"),
            event: Code::Unknown(b"XBX"),
            registered: VtjDate::full(2017, 2, 8).unwrap(),
            change_type: Code::Known(codes::ChangeType::Existing),
            role: Code::Unknown(b"1"),
        };
        let rec = PersonRecord::new(
            header,
            vec![Group::Sex(SexGroup {
                change: Code::Known(codes::ChangeAttribute::Added),
                sex: Code::Known(codes::Sex::Female),
            })],
        );
        let bytes = rec.write_to_vec(crate::Encoding::Latin1).unwrap();
        assert_eq!(bytes, b"010101-900RXBX201702080101|00312|\r\n");
        let (back, diags) = PersonRecord::parse(&bytes, &ParseOptions::default()).unwrap();
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(back.groups, rec.groups);
        assert_eq!(back.header, rec.header);
    }
}
