//! Building and apartment records (*rakennus- ja huoneistotietueet*).
//!
//! **The layout is a reconstruction.** DVV's description of the building change records is not
//! public; the built-in layout is section (d) of `building-format.md`: the person file's framing
//! (26-character header, `|`-separated groups of code + change attribute + fixed-width fields,
//! continuation lines) with real VTJ building and apartment fields and the legacy code lists.
//! Like every layout of this crate it is data ([`schema`], [`LAYOUTS`]), so files in DVV's real
//! layout can be described by a layout file instead.
//!
//! | code | group | |
//! |---|---|---|
//! | 601 | [`Identifiers`] | VTJ-PRT, old building id |
//! | 602 | [`Location`] | property, coordinates |
//! | 603 | [`Address`] | up to four per building |
//! | 604 | [`BasicData`] | use class, building class, status |
//! | 605 | [`Dimensions`] | areas, volume, dwellings |
//! | 606 | [`StructureAndHeating`] | materials, heating |
//! | 607 | [`Fittings`] | |
//! | 608 | [`NetworkConnections`] | |
//! | 701 | [`Apartment`] | one per apartment |
//! | 801 | [`Owner`] | personal data |
//!
//! Read files with [`SliceReader::new`](crate::read::SliceReader::new) or
//! [`Reader::new`](crate::read::Reader::new) and the [`Building`] family; a single
//! line with [`BuildingRecord::parse`]:
//!
//! ```
//! use muutostieto::building::{BuildingRecord, Group};
//! use muutostieto::{Encoding, ParseOptions};
//!
//! let mut line = Vec::new();
//! for piece in [
//!     &b"122334455R"[..], // building id (VTJ-PRT)
//!     b"R", b"RH1", b"20170208", b"0", b" ", b"02", // object, event, date, change type, spare, groups
//!     b"|6031", // 603 address, change attribute 1 (added)
//!     b"1", b"H\xe4meentie", &[b' '; 91], &[b' '; 100], // ordinal; Finnish name (ISO-8859-1); no Swedish
//!     b"12     ", b"00530", b"20170100", b"00000000", // house number, postcode, start (Jan 2017), end
//!     b"|7011", // 701 apartment, added
//!     b"1", b"B", b"033", b" ", b"          ", // ordinal, staircase, number, division, VTJ-PHT
//!     b"1", b"03", b"1", b"00072", b"11011", b" ", b"  ", b"20170201", // type … start
//!     b"|\r\n",
//! ] {
//!     line.extend_from_slice(piece);
//! }
//!
//! let (record, diagnostics) = BuildingRecord::parse(&line, &ParseOptions::strict()).unwrap();
//! assert!(diagnostics.is_empty(), "{diagnostics:?}");
//! let Group::Address(address) = &record.groups[0] else { panic!() };
//! assert_eq!(address.street_fi.decode(), "Hämeentie");
//! let codes: Vec<_> = record.residence_codes().map(|(_, code)| code).collect();
//! assert_eq!(codes, [Some("122334455R1B033 ".to_string())]);
//! assert_eq!(record.write_to_vec(Encoding::Latin1).unwrap(), line);
//! ```
//!
//! Identifiers (VTJ-PRT with its check character, old building ids, apartment ids, residence
//! codes) are in [`ids`]; code tables in [`codes`]; a generator of synthetic building files in
//! `muutostieto::testdata::building` (feature `testdata`).

pub mod codes;
pub mod groups;
pub mod ids;

use std::sync::LazyLock;

pub use groups::*;

use crate::diag::{Diagnostic, Error};
use crate::field::{Code, CustomKind, FieldCursor, Text, VtjDate};
use crate::layout::Schema;
use crate::record::Family;
use crate::ParseOptions;
use ids::BuildingId;

pub use crate::record::{LineInfo, RawGroup};

crate::layout_struct! {
    /// The record header (*tunnisteosa*), characters 0–23; the group count (24–25) is kept in
    /// [`LineInfo`] because it describes the line, not the building.
    pub struct Header at 0 {
        /// The building the record is about (*pysyvä rakennustunnus*, VTJ-PRT).
        building_id: BuildingId [10] "pysyvä rakennustunnus",
        /// Building or building project (*kohteen laji*).
        object_type: Code<codes::ObjectType> [1] "kohteen laji",
        /// Event code, e.g. `RM1` (*tapahtuma*).
        event: Code<codes::Event> [3] "tapahtuma",
        /// Date the change was registered (*rekisteröintipäivä*).
        registered: VtjDate [8] "rekisteröintipäivä",
        /// New or existing building, or continuation (*muutostyyppi*).
        change_type: Code<codes::ChangeType> [1] "muutostyyppi",
        /// Not used, blank (*varalla*).
        spare: Text [1] "varalla",
    }
}

/// Length of the building header in characters (the group count included).
pub const HEADER_LEN: usize = 26;

/// The building record family: header layout and every group layout.
pub fn schema() -> &'static Schema {
    static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
        Schema::built_in(
            "building",
            "Building and apartment records (layout reconstructed: building-format.md (d))",
            Header::FIELDS,
            None,
            LAYOUTS,
            codes::tables(),
        )
    });
    &SCHEMA
}

/// The building family (*rakennustiedot*): the built-in building layouts and typed groups, for
/// [`SliceReader::new`](crate::read::SliceReader::new) and
/// [`Reader::new`](crate::read::Reader::new).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Building;

impl Family for Building {
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

    fn field_kinds(&self) -> &'static [&'static CustomKind] {
        FIELD_KINDS
    }
}

/// The field kinds the building family brings to layout files: `building_id` and
/// `old_building_id`.
pub static FIELD_KINDS: &[&CustomKind] = &[&ids::BUILDING_ID_KIND, &ids::OLD_BUILDING_ID_KIND];

/// A building record: header, groups and how its lines were framed.
pub type BuildingRecord<'a> = crate::record::Record<'a, Header<'a>, Group<'a>>;

/// A continuation line of a building record.
pub type Continuation<'a> = crate::record::Continuation<'a, Header<'a>>;

/// A building group with the qualifying groups that follow it (building groups have none).
pub type Entry<'r, 'a> = crate::record::Entry<'r, Group<'a>>;

crate::record::family_header!(Header, key: building_id);

impl<'a> BuildingRecord<'a> {
    /// Parses one line that holds one record (no continuation lines; see
    /// [`crate::read::SliceReader::new`] for whole files). In strict mode the first
    /// error is returned.
    pub fn parse(line: &'a [u8], opts: &ParseOptions) -> Result<(Self, Vec<Diagnostic>), Error> {
        crate::read::parse_one(Building, line, opts)
    }

    /// The apartments (701 groups), in line order.
    pub fn apartments(&self) -> impl Iterator<Item = &Apartment<'a>> + '_ {
        self.groups.iter().filter_map(|g| match g {
            Group::Apartment(a) => Some(a),
            _ => None,
        })
    }

    /// Each apartment (701 group) with its 16-character residence code (*asuinpaikantunnus*):
    /// the header's building id, then the apartment's address ordinal, staircase, number and
    /// division letter (see [`ids::residence_code`]).
    ///
    /// The code is `None` when a part cannot stand in it: a header id that is not 10 ASCII
    /// letters and digits, or apartment fields that are not an ordinal 1–9, a letter `A`–`Ö`, a
    /// number and a letter `a`–`ö`.
    pub fn residence_codes(&self) -> impl Iterator<Item = (&Apartment<'a>, Option<String>)> + '_ {
        let prt: Option<&[u8; ids::BUILDING_ID_LEN]> = self
            .header
            .building_id
            .raw()
            .trim_ascii_end()
            .try_into()
            .ok();
        self.apartments()
            .map(move |a| (a, prt.and_then(|p| apartment_code(p, a))))
    }
}

fn apartment_code(prt: &[u8; ids::BUILDING_ID_LEN], a: &Apartment<'_>) -> Option<String> {
    let id = ids::ApartmentId::from_fields(&a.staircase, &a.apartment_number, &a.division_letter)
        .ok()?;
    let ordinal = if a.address_ordinal.is_blank() {
        None
    } else {
        Some(u8::try_from(a.address_ordinal.value()?).ok()?)
    };
    let code = id.residence_code(prt, ordinal)?;
    Some(encoding_rs::mem::decode_latin1(&code).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::{Code, Digits, Text, VtjDate};

    /// Section (d) widths of each group's fields (after code and change attribute).
    const SPEC_WIDTHS: &[(&[u8; 3], &[usize])] = &[
        // PRT; old id = property id 14 + check 1 + building number 3; validity; municipality;
        // start; end.
        (b"601", &[10, 14, 1, 3, 1, 3, 8, 8]),
        // property; määräala; unit name; N; E; uncertainty; sub-area; voting district; postcode.
        (b"602", &[14, 18, 50, 7, 7, 1, 6, 4, 5]),
        (b"603", &[1, 100, 100, 7, 5, 8, 8]),
        // use class; class 2018; completed; status; status date; tenure; state; exception
        // permit; renovation flag; renovation date.
        (b"604", &[3, 4, 8, 2, 8, 1, 2, 1, 1, 8]),
        (b"605", &[3, 7, 7, 7, 7, 4, 7]),
        (b"606", &[1, 1, 1, 1, 2]),
        (b"607", &[1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 4]),
        (b"608", &[1, 1, 1, 1, 1]),
        (
            b"701",
            &[1, 1, 3, 1, 10, 1, 2, 1, 5, 1, 1, 1, 1, 1, 1, 2, 8],
        ),
        // owner type; hetu; business id (both kept, see the group docs); name; start.
        (b"801", &[2, 11, 9, 100, 8]),
    ];

    #[test]
    fn spec_group_lengths() {
        let s = schema();
        assert_eq!(s.groups.len(), SPEC_WIDTHS.len());
        for (code, widths) in SPEC_WIDTHS {
            let layouts = s.layouts_for(*code);
            assert_eq!(layouts.len(), 1, "{}", String::from_utf8_lossy(*code));
            let expected = widths.iter().sum::<usize>() + 4;
            assert_eq!(
                layouts[0].len,
                expected,
                "group {}",
                String::from_utf8_lossy(*code)
            );
        }
        let lens: Vec<usize> = LAYOUTS.iter().map(|g| g.len).collect();
        assert_eq!(lens, [52, 116, 233, 42, 46, 10, 20, 9, 45, 134]);
        assert_eq!(Header::END, 24);
        for (g, kind) in LAYOUTS.iter().zip(KINDS) {
            assert_eq!(kind.layout(), g);
            assert!(!g.qualifying);
        }
    }

    #[test]
    fn spec_field_offsets() {
        let s = schema();
        let off = |code: &[u8; 3], name: &str| {
            let f = s.layouts_for(code)[0].field(name).unwrap();
            (f.offset, f.len)
        };
        assert_eq!(off(b"601", "building_id"), (4, 10));
        assert_eq!(off(b"601", "old_building_id"), (14, 18));
        assert_eq!(off(b"602", "north"), (86, 7));
        assert_eq!(off(b"603", "postal_code"), (212, 5));
        assert_eq!(off(b"604", "major_renovation_date"), (34, 8));
        assert_eq!(off(b"606", "heat_source"), (8, 2));
        assert_eq!(off(b"701", "permanent_apartment_id"), (10, 10));
        assert_eq!(off(b"701", "start"), (37, 8));
        assert_eq!(off(b"801", "name"), (26, 100));
        let h = &s.header;
        assert_eq!((h.len, h.change_type_at, h.group_count_at), (26, 22, 24));
        assert_eq!(h.role_at, None);
        let kinds: Vec<_> = h
            .fields
            .iter()
            .map(|f| (f.name.as_ref(), f.offset))
            .collect();
        assert_eq!(
            kinds,
            [
                ("building_id", 0),
                ("object_type", 10),
                ("event", 11),
                ("registered", 14),
                ("change_type", 22),
                ("spare", 23)
            ]
        );
    }

    #[test]
    fn built_record_is_written_and_read_back() {
        let header = Header {
            building_id: ids::BuildingId::new("1019191118"),
            object_type: Code::Known(codes::ObjectType::Building),
            event: Code::Known(codes::Event::Changed),
            registered: VtjDate::full(2017, 2, 8).unwrap(),
            change_type: Code::Known(codes::ChangeType::Existing),
            spare: Text::blank(),
        };
        let rec = BuildingRecord::new(
            header,
            vec![Group::NetworkConnections(NetworkConnections {
                change: Code::Known(codes::ChangeAttribute::Changed),
                sewer: Code::Known(codes::YesNo::Yes),
                water: Code::Known(codes::YesNo::Yes),
                electricity: Code::Known(codes::YesNo::Yes),
                gas: Code::Known(codes::YesNo::No),
                cable: Code::Known(codes::YesNo::Unknown),
            })],
        );
        let bytes = rec.write_to_vec(crate::Encoding::Latin1).unwrap();
        assert_eq!(bytes, b"1019191118RRM1201702080 01|60831110 |\r\n");
        let (back, diags) = BuildingRecord::parse(&bytes, &ParseOptions::strict()).unwrap();
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(back.header, rec.header);
        assert_eq!(back.groups, rec.groups);
        assert_eq!(back.residence_codes().count(), 0);
        let _ = Digits::blank();
    }
}
