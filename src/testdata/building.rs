//! Synthetic building files (*rakennustietojen testiaineisto*) in the layout of this crate
//! (section (d) of the building format reference).
//!
//! Buildings are drawn with consistent attributes: a detached house has one dwelling without an
//! apartment id, a block of flats has two to four addresses, staircases and numbered apartments,
//! the dwelling count and area in 605 match the 701 groups, electric heating burns electricity,
//! a network connection comes with its fitting. Street, property and owner names carry Latin-1
//! letters (`ä`, `ö`, `å`); dates include partial ones (`yyyymm00`, `yyyy0000`). Building ids
//! are valid VTJ-PRTs from a fixed pool; owners who are persons have test identity codes
//! (individual number 900–999), so no record can be about a real person. Values not set here
//! come from [`FromSource`] for [`Rng`] through each group's `from_source()`.
//!
//! A base delivery ([`DeliveryKind::Base`]) holds every building in full (every group added,
//! event `XXX`). A change delivery cycles through the events of section (d2) in its first
//! records (new building, attributes changed, completed, removed, old id changed, apartments
//! changed), so its first record already has every group code; later events are drawn at random.
//! Changes include removals (attribute 4) and to-be-corrected / corrected pairs (5 then 6).
//! The VTJ-PHT values and owner kinds have an invented shape: their real form is unpublished.
//!
//! ```
//! use muutostieto::building::Building;
//! use muutostieto::testdata::building as testdata;
//! use muutostieto::read::SliceReader;
//! use muutostieto::testdata::Options;
//! use muutostieto::ParseOptions;
//!
//! let bytes = testdata::generate(&Options { records: 20, ..Options::default() });
//! let reader = SliceReader::starting_at(Building, &bytes, 1, ParseOptions::strict());
//! let mut records = 0;
//! for parsed in reader {
//!     let parsed = parsed.unwrap();
//!     assert!(parsed.diagnostics.is_empty());
//!     records += parsed.item.as_record().is_some() as usize;
//! }
//! assert_eq!(records, 20);
//! ```

use std::io::{self, Write};
use std::sync::LazyLock;

use crate::building::codes::*;
use crate::building::ids::{BuildingId, OldBuildingId};
use crate::building::{
    Address, Apartment, BasicData, BuildingRecord, Continuation, Dimensions, Fittings, Group,
    GroupKind, Header, Identifiers, LineInfo, Location, NetworkConnections, Owner,
    StructureAndHeating,
};
use crate::field::FromSource;
use crate::field::{Code, Digits, PersonId, Text, VtjDate};
use crate::testdata::{DeliveryKind, Options, Rng, Summary};

/// Size of the id pools.
const POOL: usize = 4096;

/// Valid VTJ-PRTs, all different.
static BUILDING_IDS: LazyLock<Vec<[u8; 10]>> = LazyLock::new(|| {
    (0..POOL as u32)
        .filter_map(|i| BuildingId::make(100_000_007 + i * 24_371))
        .collect()
});

/// Old building ids whose municipality is `MUNICIPALITIES[i % len]`.
static OLD_IDS: LazyLock<Vec<[u8; 18]>> = LazyLock::new(|| {
    (0..POOL)
        .filter_map(|i| {
            let m = &MUNICIPALITIES[i % MUNICIPALITIES.len()];
            OldBuildingId::make(
                m.code,
                1 + (i * 7 % 60) as u16,
                1 + (i * 13 % 400) as u16,
                1 + (i % 37) as u16,
                b'A' + (i % 26) as u8,
                1 + (i % 4) as u16,
            )
        })
        .collect()
});

/// Permanent apartment ids (VTJ-PHT): 10 characters; the real form is unpublished, these are
/// digits.
static APARTMENT_IDS: LazyLock<Vec<String>> = LazyLock::new(|| {
    (0..POOL as u64)
        .map(|i| format!("{}", 1_200_000_000 + i * 104_729))
        .collect()
});

/// Business ids (*Y-tunnus*) with a valid check digit (weights 7 9 10 5 8 4 2, mod 11).
static BUSINESS_IDS: LazyLock<Vec<String>> = LazyLock::new(|| {
    (0..64u32)
        .filter_map(|i| {
            let n = 2_000_000 + i * 97_531;
            let digits: Vec<u32> = format!("{n:07}")
                .bytes()
                .map(|b| u32::from(b - b'0'))
                .collect();
            let sum: u32 = digits
                .iter()
                .zip([7, 9, 10, 5, 8, 4, 2])
                .map(|(d, w)| d * w)
                .sum();
            let check = match sum % 11 {
                0 => 0,
                1 => return None,
                r => 11 - r,
            };
            Some(format!("{n:07}-{check}"))
        })
        .collect()
});

impl FromSource<Rng> for BuildingId<'static> {
    /// A valid VTJ-PRT; blank now and then, except in the header's `building_id`.
    fn from_source(rng: &mut Rng, field: &'static str, _width: usize) -> Self {
        if field != "building_id" && rng.chance(10) {
            return BuildingId::blank();
        }
        let ids: &'static [[u8; 10]] = &BUILDING_IDS;
        BuildingId::from_bytes(&ids[rng.below(ids.len() as u64) as usize])
    }
}

impl FromSource<Rng> for OldBuildingId<'static> {
    /// A valid old building id, blank now and then (buildings from 2014 on have none).
    fn from_source(rng: &mut Rng, _field: &'static str, _width: usize) -> Self {
        if rng.chance(10) {
            return OldBuildingId::blank();
        }
        let ids: &'static [[u8; 18]] = &OLD_IDS;
        OldBuildingId::from_bytes(&ids[rng.below(ids.len() as u64) as usize])
    }
}

/// A municipality with plausible postal codes and ETRS-TM35FIN coordinates.
struct Municipality {
    code: u16,
    postal_codes: &'static [u64],
    north: u64,
    east: u64,
    swedish_only: bool,
}

const MUNICIPALITIES: &[Municipality] = &[
    Municipality {
        code: 91,
        postal_codes: &[100, 530, 980],
        north: 6_672_000,
        east: 385_000,
        swedish_only: false,
    },
    Municipality {
        code: 49,
        postal_codes: &[2100, 2650],
        north: 6_675_000,
        east: 375_000,
        swedish_only: false,
    },
    Municipality {
        code: 837,
        postal_codes: &[33100, 33500],
        north: 6_822_000,
        east: 327_000,
        swedish_only: false,
    },
    Municipality {
        code: 853,
        postal_codes: &[20100, 20540],
        north: 6_709_000,
        east: 239_000,
        swedish_only: false,
    },
    Municipality {
        code: 564,
        postal_codes: &[90100, 90570],
        north: 7_212_000,
        east: 427_000,
        swedish_only: false,
    },
    Municipality {
        code: 478,
        postal_codes: &[22100],
        north: 6_679_000,
        east: 107_000,
        swedish_only: true,
    },
    Municipality {
        code: 167,
        postal_codes: &[80100],
        north: 6_944_000,
        east: 642_000,
        swedish_only: false,
    },
    Municipality {
        code: 698,
        postal_codes: &[96100],
        north: 7_374_000,
        east: 443_000,
        swedish_only: false,
    },
];

/// Street names in Finnish and Swedish.
const STREETS: &[(&str, &str)] = &[
    ("Mannerheimintie", "Mannerheimvägen"),
    ("Hämeentie", "Tavastvägen"),
    ("Mäkelänkatu", "Mäkelägatan"),
    ("Läntinen Rantakatu", "Västra Strandgatan"),
    ("Köydenpunojankatu", "Repslagargatan"),
    ("Jääkärinkatu", "Jägargatan"),
    ("Itäinen Pitkäkatu", "Östra Långgatan"),
    ("Pyynikintie", ""),
    ("Kääntöpöydänkuja", ""),
    ("Pöllöntie", ""),
    ("Yliopistonkatu", "Universitetsgatan"),
];
const SWEDISH_STREETS: &[&str] = &[
    "Torggatan",
    "Ålandsvägen",
    "Norra Esplanadgatan",
    "Östra Skolgatan",
];
const HOUSE_NUMBERS: &[&str] = &["1", "2", "5", "7", "12", "14", "8b", "3b", "13-15", "21"];
const PROPERTY_NAMES: &[&str] = &[
    "Mäkelä",
    "Rantala",
    "Kivistö",
    "Ylä-Hänninen",
    "Åsgård",
    "Kärkkäälä",
    "Yrjölä",
    "Solbacka",
    "Pöllölä",
    "",
];
const PARCELS: &[&str] = &["M601", "M602", "M1001", "M9010"];
const VOTING_DISTRICTS: &[&str] = &["001", "002", "014", "027A", "103", "005B"];
const PERSON_OWNERS: &[&str] = &[
    "Hämäläinen Väinö Olavi",
    "Öhman Åsa Kristina",
    "Mäkelä Pekka",
    "Sjöström Björn Erik",
    "Järvinen Aino",
    "Korhonen Matti Juhani",
    "Pälömäki Tuulikki",
];
const HOUSING_COMPANIES: &[&str] = &[
    "Asunto Oy Hämeentie 12",
    "As Oy Pöllölän Kartano",
    "Bostads Ab Östra Långgatan 5",
    "Asunto Oy Kääntöpöytä",
];
const PROPERTY_COMPANIES: &[&str] = &[
    "Kiinteistö Oy Länsiväylä",
    "Fastighets Ab Ålandsvägen 3",
    "Kiinteistö Oy Jääkärinkatu 14",
];
const STAIRCASES: &[&str] = &["A", "B", "C", "D"];

/// What kind of building a record is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Block,
    Detached,
    Pair,
    Row,
    Office,
    Sauna,
}

const SHAPES: [Shape; 6] = [
    Shape::Block,
    Shape::Detached,
    Shape::Row,
    Shape::Pair,
    Shape::Office,
    Shape::Sauna,
];

impl Shape {
    fn random(rng: &mut Rng) -> Shape {
        match rng.below(100) {
            0..=34 => Shape::Detached,
            35..=49 => Shape::Pair,
            50..=64 => Shape::Row,
            65..=84 => Shape::Block,
            85..=91 => Shape::Office,
            _ => Shape::Sauna,
        }
    }

    fn classes(self, rng: &mut Rng) -> (UseClass1994, BuildingClass2018) {
        match self {
            Shape::Detached => (
                UseClass1994::OneDwellingHouses,
                BuildingClass2018::DetachedHouses,
            ),
            Shape::Pair => (
                UseClass1994::TwoDwellingHouses,
                BuildingClass2018::SemiDetachedHouses,
            ),
            Shape::Row => (UseClass1994::RowHouses, BuildingClass2018::RowHouses),
            Shape::Block => (
                rng.pick(&[
                    UseClass1994::OtherBlocksOfFlats,
                    UseClass1994::GalleryAccessBlocks,
                ]),
                BuildingClass2018::BlocksOfFlats,
            ),
            Shape::Office => (UseClass1994::Offices, BuildingClass2018::Offices),
            Shape::Sauna => (UseClass1994::Saunas, BuildingClass2018::Saunas),
        }
    }

    fn usage(self) -> UsageStatus {
        match self {
            Shape::Office => UsageStatus::BusinessUse,
            Shape::Sauna => UsageStatus::Other,
            _ => UsageStatus::PermanentHousing,
        }
    }
}

/// One building: where its pooled ids are, where it stands, what it is.
#[derive(Clone, Copy)]
struct Site {
    pool: usize,
    shape: Shape,
    addresses: u64,
    apartments: u64,
}

impl Site {
    fn new(rng: &mut Rng, pool: usize, shape: Shape) -> Site {
        let addresses = match shape {
            Shape::Block => 2 + rng.below(3),
            Shape::Row => 1 + rng.below(2),
            Shape::Sauna => rng.below(2),
            _ => 1,
        };
        let apartments = match shape {
            Shape::Detached => 1,
            Shape::Pair => 2,
            Shape::Row => 3 + rng.below(4),
            Shape::Block => 4 + rng.below(7),
            Shape::Office => 1 + rng.below(3),
            Shape::Sauna => 0,
        };
        Site {
            pool: pool % POOL,
            shape,
            addresses,
            apartments,
        }
    }

    fn municipality(&self) -> &'static Municipality {
        &MUNICIPALITIES[self.pool % MUNICIPALITIES.len()]
    }

    fn building_id(&self) -> BuildingId<'static> {
        let ids: &'static [[u8; 10]] = &BUILDING_IDS;
        BuildingId::from_bytes(&ids[self.pool % ids.len()])
    }

    fn old_id(&self) -> &'static [u8; 18] {
        let ids: &'static [[u8; 18]] = &OLD_IDS;
        &ids[self.pool % ids.len()]
    }

    fn postal_code(&self) -> Digits<'static> {
        let m = self.municipality();
        Digits::number(m.postal_codes[self.pool % m.postal_codes.len()])
    }
}

fn known<T: crate::field::CodeTable>(t: T) -> Code<'static, T> {
    Code::Known(t)
}

fn set(mut g: Group<'static>, attr: ChangeAttribute) -> Group<'static> {
    g.set_change(known(attr));
    g
}

fn identifiers(rng: &mut Rng, site: &Site) -> Group<'static> {
    let mut g = Identifiers::from_source(rng);
    g.building_id = site.building_id();
    g.old_building_id = OldBuildingId::from_bytes(site.old_id());
    g.id_validity = known(if rng.chance(90) {
        IdValidity::Active
    } else {
        rng.pick(&[IdValidity::Passive, IdValidity::OldData])
    });
    g.municipality = crate::testdata::municipality_code(u64::from(site.municipality().code));
    Group::Identifiers(g)
}

fn location(rng: &mut Rng, site: &Site) -> Group<'static> {
    let m = site.municipality();
    let mut g = Location::from_source(rng);
    g.property_id = Digits::from_bytes(&site.old_id()[..14]);
    g.parcel = Text::new(if rng.chance(10) {
        rng.pick(PARCELS)
    } else {
        ""
    });
    g.property_name = Text::new(rng.pick(PROPERTY_NAMES));
    g.north = Digits::number(m.north + rng.below(8_000));
    g.east = Digits::number(m.east + rng.below(8_000));
    g.sub_area = Digits::number(if rng.chance(5) {
        999_999
    } else {
        (1 + rng.below(9)) * 100_000 + rng.below(100) * 1_000 + rng.below(1_000)
    });
    g.voting_district = Text::new(rng.pick(VOTING_DISTRICTS));
    g.postal_code = site.postal_code();
    Group::Location(g)
}

fn address(rng: &mut Rng, site: &Site, ordinal: u64) -> Group<'static> {
    let mut g = Address::from_source(rng);
    g.address_ordinal = Digits::number(ordinal);
    let (fi, sv) = if site.municipality().swedish_only {
        ("", rng.pick(SWEDISH_STREETS))
    } else {
        rng.pick(STREETS)
    };
    g.street_fi = Text::new(fi);
    g.street_sv = Text::new(sv);
    g.house_number = Text::new(rng.pick(HOUSE_NUMBERS));
    g.postal_code = site.postal_code();
    Group::Address(g)
}

fn basic_data(rng: &mut Rng, site: &Site) -> BasicData<'static> {
    let mut g = BasicData::from_source(rng);
    let (use_class, class) = site.shape.classes(rng);
    g.use_class = known(use_class);
    g.building_class = known(class);
    g.usage_status = known(site.shape.usage());
    g.building_state = Text::new(rng.pick(&["20", "20", "10", ""]));
    g.exception_permit = if rng.chance(90) {
        known(ExceptionPermitReason::Blank)
    } else {
        g.exception_permit
    };
    if g.major_renovation.known() != Some(YesNo::Yes) {
        g.major_renovation_date = VtjDate::Unknown;
    }
    g
}

fn apartment(rng: &mut Rng, site: &Site, index: u64) -> Apartment<'static> {
    let mut g = Apartment::from_source(rng);
    let ordinal = if site.addresses == 0 {
        Digits::blank()
    } else {
        Digits::number(1 + index % site.addresses)
    };
    g.address_ordinal = ordinal;
    let (staircase, number) = match site.shape {
        Shape::Detached | Shape::Sauna => ("", None),
        Shape::Pair => (STAIRCASES[(index % 2) as usize], None),
        Shape::Row => (STAIRCASES[(index / 4 % 4) as usize], Some(index + 1)),
        Shape::Block | Shape::Office => (STAIRCASES[(index / 6 % 4) as usize], Some(index + 1)),
    };
    g.staircase = Text::new(staircase);
    g.apartment_number = number.map_or(Digits::blank(), Digits::number);
    g.division_letter = Text::new(if site.shape == Shape::Block && rng.chance(8) {
        "a"
    } else {
        ""
    });
    let phts: &'static [String] = &APARTMENT_IDS;
    g.permanent_apartment_id = if rng.chance(10) {
        Text::blank()
    } else {
        Text::new(&phts[(site.pool * 16 + index as usize) % phts.len()])
    };
    let business = site.shape == Shape::Office;
    g.apartment_type = known(if business {
        ApartmentType::BusinessPremises
    } else {
        ApartmentType::Dwelling
    });
    g.rooms = Digits::number(1 + rng.below(if business { 12 } else { 6 }));
    g.area = Digits::number(match site.shape {
        Shape::Detached => 90 + rng.below(110),
        Shape::Pair | Shape::Row => 55 + rng.below(60),
        Shape::Office => 80 + rng.below(900),
        _ => 25 + rng.below(90),
    });
    g.tenure = Text::new(rng.pick(&["", "1", "2"]));
    g.occupancy = Text::new(rng.pick(&["", "01", "05"]));
    g
}

fn dimensions(rng: &mut Rng, site: &Site, apartments: &[Apartment<'static>]) -> Group<'static> {
    let mut g = Dimensions::from_source(rng);
    let dwellings: Vec<u64> = apartments
        .iter()
        .filter(|a| a.apartment_type.known() == Some(ApartmentType::Dwelling))
        .filter_map(|a| a.area.value())
        .collect();
    let business: u64 = apartments
        .iter()
        .filter(|a| a.apartment_type.known() == Some(ApartmentType::BusinessPremises))
        .filter_map(|a| a.area.value())
        .sum();
    let dwelling_area: u64 = dwellings.iter().sum();
    let floors = match site.shape {
        Shape::Block => 3 + rng.below(6),
        Shape::Office => 2 + rng.below(5),
        Shape::Sauna => 1,
        _ => 1 + rng.below(2),
    };
    let floor_area = match site.shape {
        Shape::Sauna => 8 + rng.below(30),
        _ => (dwelling_area + business) * 115 / 100 + rng.below(40),
    };
    let basement = if rng.chance(30) { rng.below(200) } else { 0 };
    let total = floor_area + basement + rng.below(20);
    g.floors = Digits::number(floors);
    g.floor_area = Digits::number(floor_area);
    g.total_area = Digits::number(total);
    g.volume = Digits::number(total * (32 + rng.below(10)) / 10);
    g.basement_area = Digits::number(basement);
    g.dwellings = Digits::number(dwellings.len() as u64);
    g.dwelling_area = Digits::number(dwelling_area);
    Group::Dimensions(g)
}

fn structure(rng: &mut Rng, site: &Site) -> Group<'static> {
    let mut g = StructureAndHeating::from_source(rng);
    if site.shape == Shape::Sauna {
        g.heating_method = known(HeatingMethod::Stove);
        g.heat_source = known(HeatSource::Wood);
    }
    // VRK rules CR335/336 and CR343: no fixed heating means no fuel; electric heating burns
    // electricity.
    match g.heating_method.known() {
        Some(HeatingMethod::NoFixedHeating) | Some(HeatingMethod::Blank) => {
            g.heat_source = known(HeatSource::Blank)
        }
        Some(HeatingMethod::DirectElectric) => g.heat_source = known(HeatSource::Electricity),
        _ if g.heat_source.known() == Some(HeatSource::Blank) => {
            g.heat_source = known(HeatSource::DistrictHeat)
        }
        _ => {}
    }
    Group::StructureAndHeating(g)
}

fn yes_mostly(rng: &mut Rng, percent: u64) -> Code<'static, YesNo> {
    known(if rng.chance(percent) {
        YesNo::Yes
    } else {
        rng.pick(&[YesNo::No, YesNo::No, YesNo::Unknown])
    })
}

fn fittings(rng: &mut Rng, site: &Site, floors: u64) -> Fittings<'static> {
    let mut g = Fittings::from_source(rng);
    let housing = !matches!(site.shape, Shape::Sauna);
    g.electricity = yes_mostly(rng, 95);
    g.sewer = yes_mostly(rng, if housing { 90 } else { 20 });
    g.water = yes_mostly(rng, if housing { 90 } else { 30 });
    g.hot_water = yes_mostly(rng, if housing { 85 } else { 10 });
    g.lift = known(if floors >= 4 { YesNo::Yes } else { YesNo::No });
    g.saunas = Digits::number(match site.shape {
        Shape::Block => rng.below(4),
        Shape::Sauna => 1,
        _ => rng.below(2),
    });
    g.pools = Digits::number(u64::from(rng.chance(3)));
    g.shelter_size = Digits::number(match site.shape {
        Shape::Block | Shape::Office if rng.chance(60) => 20 + rng.below(200),
        _ => 0,
    });
    g
}

fn connections(rng: &mut Rng, f: &Fittings<'static>) -> Group<'static> {
    let mut g = NetworkConnections::from_source(rng);
    // A connection comes with its fitting (VRK rules CR324, CR328, CR341).
    let follow = |fitting: Code<'static, YesNo>, rng: &mut Rng| {
        if fitting.known() == Some(YesNo::Yes) && rng.chance(80) {
            known(YesNo::Yes)
        } else {
            known(rng.pick(&[YesNo::No, YesNo::Unknown]))
        }
    };
    g.sewer = follow(f.sewer, rng);
    g.water = follow(f.water, rng);
    g.electricity = follow(f.electricity, rng);
    g.gas = follow(f.gas, rng);
    Group::NetworkConnections(g)
}

fn owner(rng: &mut Rng, site: &Site) -> Group<'static> {
    let mut g = Owner::from_source(rng);
    match site.shape {
        Shape::Detached | Shape::Pair | Shape::Sauna => {
            g.owner_type = Text::new("02");
            g.person_id = PersonId::from_bytes(crate::testdata::test_id(rng));
            g.business_id = Text::blank();
            g.name = Text::new(rng.pick(PERSON_OWNERS));
        }
        shape => {
            let ids: &'static [String] = &BUSINESS_IDS;
            g.owner_type = Text::new("03");
            g.person_id = PersonId::blank();
            g.business_id = Text::new(&ids[site.pool % ids.len()]);
            g.name = Text::new(rng.pick(if shape == Shape::Office {
                PROPERTY_COMPANIES
            } else {
                HOUSING_COMPANIES
            }));
        }
    }
    Group::Owner(g)
}

/// A synthetic group of a kind, for a random building.
pub fn synth_group(rng: &mut Rng, kind: GroupKind) -> Group<'static> {
    let shape = Shape::random(rng);
    let pool = rng.below(POOL as u64) as usize;
    let site = Site::new(rng, pool, shape);
    match kind {
        GroupKind::Identifiers => identifiers(rng, &site),
        GroupKind::Location => location(rng, &site),
        GroupKind::Address => address(rng, &site, 1),
        GroupKind::BasicData => Group::BasicData(basic_data(rng, &site)),
        GroupKind::Dimensions => {
            let apartments: Vec<_> = (0..site.apartments)
                .map(|i| apartment(rng, &site, i))
                .collect();
            dimensions(rng, &site, &apartments)
        }
        GroupKind::StructureAndHeating => structure(rng, &site),
        GroupKind::Fittings => Group::Fittings(fittings(rng, &site, 2)),
        GroupKind::NetworkConnections => {
            let f = fittings(rng, &site, 2);
            connections(rng, &f)
        }
        GroupKind::Apartment => {
            let index = rng.below(8);
            Group::Apartment(apartment(rng, &site, index))
        }
        GroupKind::Owner => owner(rng, &site),
    }
}

/// Every group of a building, in code order, with change attribute `attr`.
fn full_building(rng: &mut Rng, site: &Site, attr: ChangeAttribute) -> Vec<Group<'static>> {
    let apartments: Vec<_> = (0..site.apartments)
        .map(|i| apartment(rng, site, i))
        .collect();
    let mut groups = vec![identifiers(rng, site), location(rng, site)];
    groups.extend((1..=site.addresses).map(|o| address(rng, site, o)));
    groups.push(Group::BasicData(basic_data(rng, site)));
    let dims = dimensions(rng, site, &apartments);
    let floors = match &dims {
        Group::Dimensions(d) => d.floors.value().unwrap_or(1),
        _ => 1,
    };
    groups.push(dims);
    groups.push(structure(rng, site));
    let f = fittings(rng, site, floors);
    groups.push(Group::Fittings(f));
    groups.push(connections(rng, &f));
    groups.extend(apartments.into_iter().map(Group::Apartment));
    let owners = match site.shape {
        Shape::Detached | Shape::Pair => 1 + rng.below(2),
        _ => 1,
    };
    for _ in 0..owners {
        groups.push(owner(rng, site));
    }
    groups.into_iter().map(|g| set(g, attr)).collect()
}

/// Pushes a group with `attr`; a to-be-corrected group is followed by its corrected one.
fn push_change(
    groups: &mut Vec<Group<'static>>,
    rng: &mut Rng,
    attr: ChangeAttribute,
    mut make: impl FnMut(&mut Rng) -> Group<'static>,
) {
    if attr == ChangeAttribute::ToBeCorrected {
        groups.push(set(make(rng), ChangeAttribute::ToBeCorrected));
        groups.push(set(make(rng), ChangeAttribute::Corrected));
    } else {
        groups.push(set(make(rng), attr));
    }
}

const EVENT_CYCLE: [Event; 6] = [
    Event::New,
    Event::Changed,
    Event::Completed,
    Event::Removed,
    Event::OldIdChanged,
    Event::ApartmentChanged,
];

/// The groups of a change record for `event`.
fn change_groups(rng: &mut Rng, site: &Site, event: Event, n: u64) -> Vec<Group<'static>> {
    if event == Event::New {
        return full_building(rng, site, ChangeAttribute::Added);
    }
    let mut groups = Vec::with_capacity(8);
    if event != Event::OldIdChanged {
        // The identifiers as context (*lisätieto*).
        groups.push(set(identifiers(rng, site), ChangeAttribute::AdditionalInfo));
    }
    match event {
        Event::Changed => {
            const CHANGEABLE: [GroupKind; 8] = [
                GroupKind::Location,
                GroupKind::Address,
                GroupKind::BasicData,
                GroupKind::Dimensions,
                GroupKind::StructureAndHeating,
                GroupKind::Fittings,
                GroupKind::NetworkConnections,
                GroupKind::Owner,
            ];
            let mut kinds = vec![CHANGEABLE[(n / 6 % 8) as usize]];
            for _ in 0..rng.below(3) {
                kinds.push(rng.pick(&CHANGEABLE));
            }
            kinds.sort_by_key(|k| *k as usize);
            kinds.dedup();
            for kind in kinds {
                let attr = match kind {
                    GroupKind::Address | GroupKind::Owner => rng.pick(&[
                        ChangeAttribute::Added,
                        ChangeAttribute::Removed,
                        ChangeAttribute::Changed,
                        ChangeAttribute::ToBeCorrected,
                    ]),
                    _ => rng.pick(&[
                        ChangeAttribute::Changed,
                        ChangeAttribute::Changed,
                        ChangeAttribute::ToBeCorrected,
                    ]),
                };
                let ordinal = 1 + rng.below(site.addresses.max(1));
                push_change(&mut groups, rng, attr, |rng| match kind {
                    GroupKind::Address => address(rng, site, ordinal),
                    GroupKind::Dimensions => {
                        let apartments: Vec<_> = (0..site.apartments)
                            .map(|i| apartment(rng, site, i))
                            .collect();
                        dimensions(rng, site, &apartments)
                    }
                    GroupKind::BasicData => Group::BasicData(basic_data(rng, site)),
                    other => synth_for(rng, site, other),
                });
            }
        }
        Event::Completed => {
            let mut b = basic_data(rng, site);
            b.completed = VtjDate::Full(
                chrono::NaiveDate::from_yo_opt(
                    2016 + rng.below(4) as i32,
                    1 + rng.below(365) as u32,
                )
                .unwrap_or_default(),
            );
            b.usage_status_changed = b.completed;
            groups.push(set(Group::BasicData(b), ChangeAttribute::Changed));
            let apartments: Vec<_> = (0..site.apartments)
                .map(|i| apartment(rng, site, i))
                .collect();
            groups.push(set(
                dimensions(rng, site, &apartments),
                ChangeAttribute::Changed,
            ));
        }
        Event::Removed => {
            let mut b = basic_data(rng, site);
            b.usage_status = known(rng.pick(&[
                UsageStatus::DemolishedForNew,
                UsageStatus::DemolishedOther,
                UsageStatus::Destroyed,
            ]));
            groups.push(set(Group::BasicData(b), ChangeAttribute::Changed));
            for o in 1..=site.addresses {
                groups.push(set(address(rng, site, o), ChangeAttribute::Removed));
            }
            for i in 0..site.apartments.min(3) {
                groups.push(set(
                    Group::Apartment(apartment(rng, site, i)),
                    ChangeAttribute::Removed,
                ));
            }
        }
        Event::OldIdChanged => {
            // After a property division the building stands on a new property: a new old id.
            let moved = Site {
                pool: (site.pool + POOL / 2) % POOL,
                ..*site
            };
            let mut old = identifiers(rng, site);
            let mut new = identifiers(rng, &moved);
            if let (Group::Identifiers(o), Group::Identifiers(n)) = (&mut old, &mut new) {
                n.building_id = o.building_id;
                n.municipality = o.municipality;
                o.id_validity = known(IdValidity::Passive);
            }
            groups.push(set(old, ChangeAttribute::Removed));
            groups.push(set(new, ChangeAttribute::Added));
            let mut loc = location(rng, site);
            if let Group::Location(l) = &mut loc {
                l.property_id = Digits::from_bytes(&moved.old_id()[..14]);
            }
            groups.push(set(loc, ChangeAttribute::Changed));
        }
        Event::ApartmentChanged => {
            for _ in 0..1 + rng.below(3) {
                let attr = rng.pick(&[
                    ChangeAttribute::Added,
                    ChangeAttribute::Changed,
                    ChangeAttribute::Removed,
                    ChangeAttribute::ToBeCorrected,
                ]);
                let index = rng.below(site.apartments.max(1) + 1);
                push_change(&mut groups, rng, attr, |rng| {
                    Group::Apartment(apartment(rng, site, index))
                });
            }
        }
        _ => {}
    }
    groups
}

/// A group of `kind` for `site` (kinds without special handling in [`change_groups`]).
fn synth_for(rng: &mut Rng, site: &Site, kind: GroupKind) -> Group<'static> {
    match kind {
        GroupKind::Location => location(rng, site),
        GroupKind::StructureAndHeating => structure(rng, site),
        GroupKind::Fittings => Group::Fittings(fittings(rng, site, 2)),
        GroupKind::NetworkConnections => {
            let f = fittings(rng, site, 2);
            connections(rng, &f)
        }
        GroupKind::Owner => owner(rng, site),
        other => synth_group(rng, other),
    }
}

/// Record number `n` of a file; `offset` spreads files over the id pools.
fn record(rng: &mut Rng, n: u64, offset: usize, opts: &Options) -> BuildingRecord<'static> {
    let shape = if n < SHAPES.len() as u64 {
        SHAPES[n as usize]
    } else {
        Shape::random(rng)
    };
    let site = Site::new(rng, offset + (n % POOL as u64) as usize, shape);
    let mut header = Header::from_source(rng);
    header.building_id = site.building_id();
    header.object_type = known(ObjectType::Building);
    header.spare = Text::blank();
    let groups = match opts.kind {
        DeliveryKind::Base => {
            header.event = known(Event::Base);
            header.change_type = known(ChangeType::New);
            full_building(rng, &site, ChangeAttribute::Added)
        }
        DeliveryKind::Change => {
            let event = if n < 2 * EVENT_CYCLE.len() as u64 {
                EVENT_CYCLE[(n % EVENT_CYCLE.len() as u64) as usize]
            } else {
                rng.pick(&[
                    Event::New,
                    Event::Changed,
                    Event::Changed,
                    Event::Changed,
                    Event::Completed,
                    Event::Removed,
                    Event::OldIdChanged,
                    Event::ApartmentChanged,
                    Event::ApartmentChanged,
                ])
            };
            header.event = known(event);
            header.change_type = known(if event == Event::New {
                ChangeType::New
            } else {
                ChangeType::Existing
            });
            if event == Event::New && rng.chance(40) {
                header.object_type = known(ObjectType::Project);
            }
            change_groups(rng, &site, event, n)
        }
    };
    let mut rec = BuildingRecord::new(header, groups);
    let every = opts.continuation_every;
    if every > 0 && n % every == every - 1 && rec.groups.len() >= 2 {
        let continued = rec.groups.len() - rec.groups.len() / 2;
        let mut h = header;
        h.change_type = known(ChangeType::Continuation);
        rec.continuations.push(Continuation {
            header: h,
            line: LineInfo::default(),
            groups: continued,
        });
    }
    rec
}

/// Writes a synthetic building file.
pub fn write(opts: &Options, out: impl Write) -> io::Result<Summary> {
    let mut rng = Rng::new(opts.seed ^ 0xB1D1_0000_0000_0601, opts.encoding);
    let offset = rng.below(POOL as u64) as usize;
    crate::testdata::write_records(opts, out, "synthetic-buildings", |n| {
        record(&mut rng, n, offset, opts)
    })
}

/// A synthetic building file in memory.
pub fn generate(opts: &Options) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail, and generated values always fit their fields.
    let _ = write(opts, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pools_hold_valid_ids() {
        assert_eq!(BUILDING_IDS.len(), POOL);
        let distinct: std::collections::BTreeSet<_> = BUILDING_IDS.iter().collect();
        assert_eq!(distinct.len(), POOL);
        assert!(BUILDING_IDS
            .iter()
            .all(|id| BuildingId::from_bytes(id).is_valid()));
        assert_eq!(OLD_IDS.len(), POOL);
        assert!(OLD_IDS
            .iter()
            .all(|id| OldBuildingId::from_bytes(id).is_valid()));
        assert!(APARTMENT_IDS.iter().all(|id| id.len() == 10));
        assert!(BUSINESS_IDS.len() > 40);
        assert!(BUSINESS_IDS.iter().all(|id| id.len() == 9));
    }

    #[test]
    fn deterministic_and_sized() {
        let o = Options::default();
        assert_eq!(generate(&o), generate(&o));
        let big = generate(&Options {
            records: u64::MAX,
            target_bytes: Some(200_000),
            ..o
        });
        assert!(big.len() >= 200_000 && big.len() < 220_000, "{}", big.len());
    }

    #[test]
    fn every_kind_can_be_synthesized() {
        let mut rng = Rng::new(5, crate::Encoding::Latin1);
        for kind in crate::building::KINDS {
            let g = synth_group(&mut rng, *kind);
            assert_eq!(g.kind(), Some(*kind));
        }
    }
}
