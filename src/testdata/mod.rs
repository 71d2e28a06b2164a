//! Synthetic test data (*testiaineisto*): realistic person change files with test ids.
//!
//! Every person id has an individual number 900–999 (the range reserved for test ids), so no
//! generated record can be a real person. Values are drawn per field by [`FromSource`] for [`Rng`] from
//! the same layout definitions that drive parsing, so a generated file exercises every group.
//! Output is deterministic for a seed.
//!
//! What a file holds: every group code in its first records (both 305 layouts, 320/451/452
//! qualifying groups after their hosts), partial dates (`yyyymm00`, `yyyy0000`), `00000000` and
//! `99990000`, Latin-1 letters (and Latin-9 letters such as `Š` and `€` when the encoding is
//! ISO-8859-15), continuation lines and, on request, envelope lines.
//!
//! ```
//! use muutostieto::person::Person;
//! use muutostieto::read::SliceReader;
//! use muutostieto::testdata::{generate, Options};
//! use muutostieto::ParseOptions;
//!
//! let bytes = generate(&Options { records: 50, ..Options::default() });
//! let mut records = 0;
//! for parsed in SliceReader::new(Person, &bytes, ParseOptions::strict()) {
//!     let parsed = parsed.unwrap();
//!     assert!(parsed.diagnostics.is_empty());
//!     records += parsed.item.as_record().is_some() as usize;
//! }
//! assert_eq!(records, 50);
//! ```

use std::io::{self, Write};
use std::sync::LazyLock;

use chrono::NaiveDate;

use crate::encoding::Encoding;
use crate::field::{
    Code, CodeTable, Digits, FromSource, MunicipalityCode, PersonId, Text, VtjDate,
};
use crate::person::codes::*;
use crate::person::{AdditionalInfo, GroupKind, GuardianRight, PersonWithoutId};
use crate::person::{Continuation, Group, Header, LineInfo, PersonRecord, KINDS};

pub mod building;
pub mod files;

/// A small, fast, seedable generator (SplitMix64).
#[derive(Debug, Clone)]
pub struct Rng {
    state: u64,
    /// The output encoding: text pools hold Latin-9-only letters only for ISO-8859-15.
    pub encoding: Encoding,
}

impl Rng {
    /// A generator for a seed.
    pub fn new(seed: u64, encoding: Encoding) -> Self {
        Rng {
            state: seed ^ 0x9E37_79B9_7F4A_7C15,
            encoding,
        }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next_u64() % n
        }
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// One element of a non-empty slice.
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
}

/// A field type that can make a synthetic value for a named field of a given width.
pub trait Synth: Sized {
    /// A value for field `field` that fits in `width` characters.
    fn from_source(rng: &mut Rng, field: &'static str, width: usize) -> Self;
}

const LAST_NAMES: &[&str] = &[
    "Virtanen",
    "Korhonen",
    "Mäkinen",
    "Nieminen",
    "Mäkelä",
    "Hämäläinen",
    "Laine",
    "Heikkinen",
    "Koskinen",
    "Järvinen",
    "Lehtonen",
    "Lehtinen",
    "Saarinen",
    "Salminen",
    "Heinonen",
    "Niemi",
    "Heikkilä",
    "Kinnunen",
    "Salonen",
    "Turunen",
    "Pälömäki",
    "Åberg",
    "Öhman",
    "Sjöström",
    "Ekström",
    "Müller",
    "Núñez",
    "Gonçalves",
    "Þórsdóttir",
    "Ðukovic",
    "Ærøe",
    "Straße",
];
const LATIN9_LAST_NAMES: &[&str] = &["Šimková", "Žukauskas", "Œhlenschläger", "Šimonová"];
const FIRST_NAMES: &[&str] = &[
    "Matti",
    "Maija",
    "Juha",
    "Anna",
    "Pekka",
    "Aino",
    "Väinö",
    "Elina",
    "Sakari",
    "Tuulikki",
    "Eetu",
    "Hanna Henriikka",
    "Tarja Annika",
    "Orvokki Reetta Liisa",
    "Åsa",
    "Björn Erik",
    "Jörg",
    "José María",
    "Zoë",
    "Ðóra",
];
const LATIN9_FIRST_NAMES: &[&str] = &["Šárka", "Žaneta", "Ÿvonne"];
const STREETS: &[&str] = &[
    "Mannerheimintie",
    "Hämeentie",
    "Lauttasaarentie",
    "Mikkolantie",
    "Hieromakatu",
    "Aleksanterinkatu",
    "Pohjoisesplanadi",
    "Yliopistonkatu",
    "Länsiväylä",
    "Åkervägen",
    "Östra Esplanaden",
];
const STREETS_SV: &[&str] = &[
    "Mannerheimvägen",
    "Tavastvägen",
    "Drumsövägen",
    "Mickelsvägen",
    "",
];
const HOUSE_NUMBERS: &[&str] = &["1", "5", "12", "8b", "3b", "13-15", "10-12", "27"];
const LOCALITIES: &[&str] = &[
    "NO-3200 SANDEFJORD",
    "SE-111 22 STOCKHOLM",
    "10115 BERLIN",
    "75001 PARIS",
    "TALLINN",
];
const FOREIGN_STREETS: &[&str] = &[
    "Storgatan 1",
    "Friedrichstraße 12",
    "Rue de Rivoli 5",
    "Narva mnt 7",
];
const PLACES: &[&str] = &["Stockholm", "Tallinn", "Göteborg", "Kraków", "Zürich", ""];
const OCCUPATIONS: &[&str] = &[
    "kauppias",
    "kukkakauppias",
    "reskontranhoitaja",
    "sairaanhoitaja",
    "ohjelmoija",
    "lääkäri",
];
const EMAILS: &[&str] = &[
    "testi.henkilo@example.fi",
    "maija.meikalainen@example.com",
    "info@example.org",
    "",
];
const TEXTS: &[&str] = &[
    "viittomakieli",
    "Kosovo",
    "tuntematon kieli",
    "Ihantuntematon valtio",
];
const EVENTS: &[&str] = &[
    "XBX", "XBL", "XSS", "XBO", "XCF", "XBV", "XAZ", "XCM", "XCI", "XUF", "XCA", "XO1",
];
const RIGHTS: &[&str] = &["P501", "T301", "T302", "A101"];
const MUNICIPALITIES: &[u64] = &[
    91, 49, 478, 890, 257, 167, 287, 200, 198, 426, 766, 837, 853, 564,
];

/// A pool of valid test ids (individual numbers 900–999), both classic and 2023 century signs.
static TEST_IDS: LazyLock<Vec<[u8; 11]>> = LazyLock::new(|| {
    let mut rng = Rng::new(0x07E5_71D5, Encoding::Latin1);
    let mut ids = Vec::with_capacity(4096);
    while ids.len() < 4096 {
        let year = 1930 + rng.below(90) as i32;
        let ordinal = 1 + rng.below(365) as u32;
        let Some(date) = NaiveDate::from_yo_opt(year, ordinal) else {
            continue;
        };
        let individual = 900 + rng.below(100) as u16;
        if let Some(id) = crate::hetu::Hetu::make(date, individual, rng.chance(10)) {
            ids.push(id);
        }
    }
    ids
});

/// A valid test id from the pool.
pub fn test_id(rng: &mut Rng) -> &'static [u8] {
    let ids: &'static [[u8; 11]] = &TEST_IDS;
    &ids[rng.below(ids.len() as u64) as usize]
}

fn fit(s: &'static str, width: usize) -> &'static str {
    if s.chars().count() <= width {
        s
    } else {
        ""
    }
}

impl FromSource<Rng> for Text<'static> {
    fn from_source(rng: &mut Rng, field: &'static str, width: usize) -> Self {
        let latin9 = rng.encoding != Encoding::Latin1 && rng.chance(15);
        let s = match field {
            "last_name" if latin9 => rng.pick(LATIN9_LAST_NAMES),
            "first_names" if latin9 => rng.pick(LATIN9_FIRST_NAMES),
            "last_name" => rng.pick(LAST_NAMES),
            "first_names" | "name" => rng.pick(FIRST_NAMES),
            "street_fi" | "address_fi" => rng.pick(STREETS),
            "street_sv" | "address_sv" => rng.pick(STREETS_SV),
            "house_number" => rng.pick(HOUSE_NUMBERS),
            "staircase" => rng.pick(&["A", "B", "C", ""]),
            "division_letter" => rng.pick(&["", "", "a", "b"]),
            "street" => rng.pick(FOREIGN_STREETS),
            "locality" => rng.pick(LOCALITIES),
            "place" => rng.pick(PLACES),
            "title" => rng.pick(OCCUPATIONS),
            "address" => rng.pick(EMAILS),
            "text" => rng.pick(TEXTS),
            "foreign_id" => rng.pick(&["19800101-1234", "AB1234567", "850612-9012"]),
            "business_id" => rng.pick(&["", "", "1234567-1"]),
            "right" => rng.pick(RIGHTS),
            "event" => rng.pick(EVENTS),
            "role" => rng.pick(&["1", "1", "1", "5", "2", "6"]),
            _ => "",
        };
        Text::new(fit(s, width))
    }
}

impl FromSource<Rng> for Digits<'static> {
    fn from_source(rng: &mut Rng, field: &'static str, width: usize) -> Self {
        let n = match field {
            "municipality" => rng.pick(MUNICIPALITIES),
            "postal_code" => {
                rng.pick(&[100, 120, 200, 530, 2100, 20100, 33100, 90100, 96100, 99980])
            }
            "apartment" if rng.chance(40) => return Digits::blank(),
            "apartment" => 1 + rng.below(60),
            "legal_aid_office" => rng.pick(&[0, 374, 201]),
            "trustee_count" | "attorney_count" => rng.below(3),
            _ => rng.below(10u64.saturating_pow(width.min(18) as u32)),
        };
        Digits::number(n)
    }
}

impl FromSource<Rng> for MunicipalityCode<'static> {
    fn from_source(rng: &mut Rng, field: &'static str, width: usize) -> Self {
        let n = rng.pick(MUNICIPALITIES);
        let _ = (field, width);
        municipality_code(n)
    }
}

/// The municipality number `n` as it is written (a code of the table, so `'static`).
pub fn municipality_code(n: u64) -> MunicipalityCode<'static> {
    let code = format!("{n:03}");
    crate::municipality::lookup(code.as_bytes())
        .map_or(MunicipalityCode::blank(), |m| MunicipalityCode::new(m.code))
}

fn full_date(rng: &mut Rng, from: i32, years: u64) -> VtjDate<'static> {
    let year = from + rng.below(years) as i32;
    let ordinal = 1 + rng.below(365) as u32;
    NaiveDate::from_yo_opt(year, ordinal).map_or(VtjDate::Unknown, VtjDate::Full)
}

impl FromSource<Rng> for VtjDate<'static> {
    fn from_source(rng: &mut Rng, field: &'static str, _width: usize) -> Self {
        let ends = field.contains("end") || field.contains("passivated") || field == "updated";
        if field == "registered" {
            return full_date(rng, 2016, 4);
        }
        if ends && rng.chance(80) {
            return VtjDate::Unknown;
        }
        match rng.below(100) {
            0..=4 => VtjDate::YearMonth {
                year: 1950 + rng.below(60) as u16,
                month: 1 + rng.below(12) as u8,
            },
            5..=8 => VtjDate::Year(1950 + rng.below(60) as u16),
            9..=11 => VtjDate::Unknown,
            _ => full_date(rng, 1940, 80),
        }
    }
}

impl<T: CodeTable> FromSource<Rng> for Code<'static, T> {
    fn from_source(rng: &mut Rng, _field: &'static str, width: usize) -> Self {
        if T::NAME == "event" || T::NAME == "role" {
            // Event codes and roles are open lists; draw them as text fields are drawn.
            let _ = rng.encoding != Encoding::Latin1 && rng.chance(15);
            let pool: &[&'static str] = if T::NAME == "event" {
                EVENTS
            } else {
                &["1", "1", "1", "5", "2", "6"]
            };
            let code = fit(rng.pick(pool), width).as_bytes();
            return T::from_code(code).map_or(Code::Unknown(code), Code::Known);
        }
        if !T::CLOSED && rng.chance(20) {
            // Open lists (countries, languages): values outside the named ones.
            let other: &'static [u8] = match T::NAME {
                "country" => rng.pick(&[&b"578"[..], b"233", b"300", b"090", b"840", b"250"]),
                _ => rng.pick(&[&b"fr"[..], b"no", b"ur", b"it", b"is", b"ab"]),
            };
            return Code::Unknown(other);
        }
        Code::Known(rng.pick(T::ENTRIES).1)
    }
}

impl FromSource<Rng> for PersonId<'static> {
    fn from_source(rng: &mut Rng, field: &'static str, _width: usize) -> Self {
        if field != "person_id" && rng.chance(15) {
            return PersonId::blank();
        }
        PersonId::from_bytes(test_id(rng))
    }
}

/// Kind of delivery to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DeliveryKind {
    /// Base delivery (*perustietoaineisto*, `.PTT`): every record new, every group added.
    Base,
    /// Change delivery (*muutostietoaineisto*, `.MTT`): changes, removals, 5/6 corrections.
    #[default]
    Change,
}

/// Which mix of groups records get.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Profile {
    /// Every layout early and often: the first records cover every group code in turn, then
    /// 1–6 groups a record drawn evenly (for tests).
    #[default]
    Coverage,
    /// The shape of real change deliveries (for benchmarks): 1–5 groups a record, mostly 2–3
    /// (about 2.6 on average, some 290 bytes a record), codes drawn in the proportions of the
    /// real-shaped sample delivery (section 9.1 of the format reference: guardians, addresses,
    /// names, mother tongues and citizenships the most common).
    RealShaped,
}

/// How often each group appears in a real-shaped change delivery (occurrences in the
/// 460-record sample of the format reference, section 9.1; 305 split between its layouts).
const REAL_WEIGHTS: &[(GroupKind, u64)] = &[
    (GroupKind::IdCorrection, 14),
    (GroupKind::MotherTongue, 88),
    (GroupKind::Sex, 56),
    (GroupKind::CurrentName, 123),
    (GroupKind::NameHistory, 67),
    (GroupKind::Citizenship, 78),
    (GroupKind::ForeignBirthplace, 8),
    (GroupKind::DateOfDeath, 9),
    (GroupKind::NonDisclosure, 10),
    (GroupKind::PermanentAddress, 169),
    (GroupKind::TemporaryAddress, 6),
    (GroupKind::PostalAddress, 11),
    (GroupKind::PermanentForeignAddress, 12),
    (GroupKind::TemporaryForeignAddress, 4),
    (GroupKind::HomeMunicipality, 86),
    (GroupKind::GuardianLegacy, 300),
    (GroupKind::Guardian, 38),
    (GroupKind::Guardianship, 5),
    (GroupKind::Trustee, 5),
    (GroupKind::PowerOfAttorney, 4),
    (GroupKind::Attorney, 3),
    (GroupKind::Occupation, 15),
    (GroupKind::Email, 32),
    (GroupKind::ForeignPersonId, 2),
    (GroupKind::CallName, 12),
];

fn real_kind(rng: &mut Rng) -> GroupKind {
    let total: u64 = REAL_WEIGHTS.iter().map(|(_, w)| w).sum();
    let mut at = rng.below(total);
    for (k, w) in REAL_WEIGHTS {
        if at < *w {
            return *k;
        }
        at -= w;
    }
    GroupKind::PermanentAddress
}

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Seed: the same options give the same bytes.
    pub seed: u64,
    /// Number of records (a record with continuation lines counts once).
    pub records: u64,
    /// Stop after the record that reaches this many bytes, when set.
    pub target_bytes: Option<u64>,
    /// Base or change delivery.
    pub kind: DeliveryKind,
    /// Output encoding.
    pub encoding: Encoding,
    /// Split every n-th record (with two or more groups) into a continuation line; 0 = never.
    pub continuation_every: u64,
    /// Write an envelope line (`'''`) before and after the records.
    pub envelope: bool,
    /// The mix of groups.
    pub profile: Profile,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            seed: 1,
            records: 100,
            target_bytes: None,
            kind: DeliveryKind::Change,
            encoding: Encoding::Latin1,
            continuation_every: 25,
            envelope: false,
            profile: Profile::Coverage,
        }
    }
}

/// What was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Summary {
    /// Records written.
    pub records: u64,
    /// Lines written (records, continuation and envelope lines).
    pub lines: u64,
    /// Bytes written.
    pub bytes: u64,
}

/// A synthetic group of a kind.
pub fn synth_group(rng: &mut Rng, kind: GroupKind) -> Group<'static> {
    use crate::person::*;
    match kind {
        GroupKind::IdCorrection => Group::IdCorrection(IdCorrection::from_source(rng)),
        GroupKind::MotherTongue => Group::MotherTongue(MotherTongue::from_source(rng)),
        GroupKind::Sex => Group::Sex(SexGroup::from_source(rng)),
        GroupKind::CurrentName => Group::CurrentName(CurrentName::from_source(rng)),
        GroupKind::NameHistory => Group::NameHistory(NameEntry::from_source(rng)),
        GroupKind::Citizenship => Group::Citizenship(Citizenship::from_source(rng)),
        GroupKind::BirthMunicipality => {
            Group::BirthMunicipality(BirthMunicipality::from_source(rng))
        }
        GroupKind::ForeignBirthplace => {
            Group::ForeignBirthplace(ForeignBirthplace::from_source(rng))
        }
        GroupKind::DateOfDeath => Group::DateOfDeath(DateOfDeath::from_source(rng)),
        GroupKind::NonDisclosure => {
            let mut g = NonDisclosure::from_source(rng);
            if rng.chance(50) {
                g.end = VtjDate::Indefinite;
            }
            Group::NonDisclosure(g)
        }
        GroupKind::PermanentAddress => Group::PermanentAddress(DomesticAddress::from_source(rng)),
        GroupKind::TemporaryAddress => Group::TemporaryAddress(DomesticAddress::from_source(rng)),
        GroupKind::PostalAddress => Group::PostalAddress(PostalAddress::from_source(rng)),
        GroupKind::PermanentForeignAddress => {
            Group::PermanentForeignAddress(ForeignAddress::from_source(rng))
        }
        GroupKind::TemporaryForeignAddress => {
            Group::TemporaryForeignAddress(ForeignAddress::from_source(rng))
        }
        GroupKind::HomeMunicipality => Group::HomeMunicipality(HomeMunicipality::from_source(rng)),
        GroupKind::GuardianLegacy => Group::GuardianLegacy(GuardianLegacy::from_source(rng)),
        GroupKind::Guardian => Group::Guardian(Guardian::from_source(rng)),
        GroupKind::Guardianship => Group::Guardianship(Guardianship::from_source(rng)),
        GroupKind::Trustee => Group::Trustee(Trustee::from_source(rng)),
        GroupKind::PowerOfAttorney => Group::PowerOfAttorney(PowerOfAttorney::from_source(rng)),
        GroupKind::Attorney => Group::Attorney(Attorney::from_source(rng)),
        GroupKind::GuardianRight => Group::GuardianRight(GuardianRight::from_source(rng)),
        GroupKind::Occupation => Group::Occupation(Occupation::from_source(rng)),
        GroupKind::Email => Group::Email(Email::from_source(rng)),
        GroupKind::ForeignPersonId => Group::ForeignPersonId(ForeignPersonId::from_source(rng)),
        GroupKind::CallName => Group::CallName(NameEntry::from_source(rng)),
        GroupKind::PersonWithoutId => Group::PersonWithoutId(PersonWithoutId::from_source(rng)),
        GroupKind::AdditionalInfo => Group::AdditionalInfo(AdditionalInfo::from_source(rng)),
    }
}

/// The qualifying groups a host group calls for (section 5 of the format reference).
fn qualifiers(rng: &mut Rng, host: &Group<'static>, out: &mut Vec<Group<'static>>) {
    let text = |rng: &mut Rng| {
        let mut g = AdditionalInfo::from_source(rng);
        g.change = Code::Known(ChangeAttribute::AdditionalInfo);
        Group::AdditionalInfo(g)
    };
    let person = |rng: &mut Rng, out: &mut Vec<Group<'static>>| {
        let mut p = PersonWithoutId::from_source(rng);
        p.change = Code::Known(ChangeAttribute::AdditionalInfo);
        let needs_text = p.citizenship.known() == Some(Country::GivenAsText);
        out.push(Group::PersonWithoutId(p));
        if needs_text {
            out.push(text(rng));
        }
    };
    let country_text = |c: &Code<'static, Country>| c.known() == Some(Country::GivenAsText);
    match host {
        Group::MotherTongue(g) if g.language.known() == Some(Language::GivenAsText) => {
            out.push(text(rng))
        }
        Group::Citizenship(g) if country_text(&g.country) => out.push(text(rng)),
        Group::ForeignBirthplace(g) if country_text(&g.country) => out.push(text(rng)),
        Group::PermanentForeignAddress(g) | Group::TemporaryForeignAddress(g)
            if country_text(&g.country) =>
        {
            out.push(text(rng))
        }
        Group::GuardianLegacy(g) if g.guardian_id.is_blank() => person(rng, out),
        Group::Guardian(g) => {
            for _ in 0..rng.below(3) {
                let mut r = GuardianRight::from_source(rng);
                r.change = g.change;
                out.push(Group::GuardianRight(r));
            }
            if g.guardian_id.is_blank() {
                person(rng, out);
            }
        }
        Group::Trustee(g) if g.trustee_id.is_blank() => person(rng, out),
        Group::Attorney(g) if g.attorney_id.is_blank() => person(rng, out),
        _ => {}
    }
}

/// Groups for record number `n`: the first records cover every layout in turn.
fn groups_for(rng: &mut Rng, n: u64, kind: DeliveryKind, profile: Profile) -> Vec<Group<'static>> {
    let hosts: Vec<GroupKind> = KINDS
        .iter()
        .copied()
        .filter(|k| !k.layout().qualifying)
        .collect();
    let mut chosen: Vec<GroupKind> = Vec::new();
    if profile == Profile::RealShaped {
        let count = match rng.below(100) {
            0..=34 => 1,
            35..=69 => 2,
            70..=87 => 3,
            88..=95 => 4,
            _ => 5,
        };
        for _ in 0..count {
            chosen.push(real_kind(rng));
        }
    } else if kind == DeliveryKind::Base {
        chosen.extend([
            GroupKind::MotherTongue,
            GroupKind::Sex,
            GroupKind::CurrentName,
            GroupKind::NameHistory,
            GroupKind::Citizenship,
            GroupKind::PermanentAddress,
            GroupKind::HomeMunicipality,
        ]);
    } else if rng.chance(60) {
        chosen.push(GroupKind::CurrentName);
    }
    if profile == Profile::Coverage {
        // Cover every layout in the first records, then draw at random.
        chosen.push(hosts[(n as usize) % hosts.len()]);
        for _ in 0..rng.below(4) {
            chosen.push(rng.pick(&hosts));
        }
    }
    chosen.sort_by_key(|k| *k as usize);
    let mut groups = Vec::with_capacity(chosen.len() + 4);
    for k in chosen {
        let mut g = synth_group(rng, k);
        let attr = match kind {
            DeliveryKind::Base => ChangeAttribute::Added,
            DeliveryKind::Change => rng.pick(&[
                ChangeAttribute::Added,
                ChangeAttribute::Changed,
                ChangeAttribute::Changed,
                ChangeAttribute::AdditionalInfo,
                ChangeAttribute::Removed,
                ChangeAttribute::ToBeCorrected,
            ]),
        };
        g.set_change(Code::Known(attr));
        let mut quals = Vec::new();
        qualifiers(rng, &g, &mut quals);
        if attr == ChangeAttribute::ToBeCorrected {
            // A 5 group is followed by its corrected 6 group of the same code.
            groups.push(g);
            groups.extend(quals.iter().copied());
            let mut fixed = synth_group(rng, k);
            fixed.set_change(Code::Known(ChangeAttribute::Corrected));
            groups.push(fixed);
            let mut q2 = Vec::new();
            qualifiers(rng, &fixed, &mut q2);
            groups.extend(q2);
        } else {
            groups.push(g);
            groups.extend(quals);
        }
    }
    groups
}

/// The records of a file, one at a time.
fn record(rng: &mut Rng, n: u64, opts: &Options) -> PersonRecord<'static> {
    let mut header = Header::from_source(rng);
    header.change_type = Code::Known(match opts.kind {
        DeliveryKind::Base => ChangeType::New,
        DeliveryKind::Change if rng.chance(10) => ChangeType::New,
        DeliveryKind::Change => ChangeType::Existing,
    });
    if opts.kind == DeliveryKind::Base {
        header.event = Code::Known(EventCode::BaseDelivery);
        header.role = Code::Unknown(b"1");
    }
    let groups = groups_for(rng, n, opts.kind, opts.profile);
    let mut rec = PersonRecord::new(header, groups);
    let every = opts.continuation_every;
    if every > 0 && n % every == every - 1 && rec.groups.len() >= 2 {
        // Split at a host group so that qualifying groups stay with their host.
        let split = (rec.groups.len() / 2..rec.groups.len())
            .find(|&i| !rec.groups[i].is_qualifying())
            .unwrap_or(rec.groups.len());
        let continued = rec.groups.len() - split;
        if continued > 0 {
            let mut h = header;
            h.change_type = Code::Known(ChangeType::Continuation);
            rec.continuations.push(Continuation {
                header: h,
                line: LineInfo::default(),
                groups: continued,
            });
        }
    }
    rec
}

/// Writes a synthetic file.
pub fn write(opts: &Options, out: impl Write) -> io::Result<Summary> {
    let mut rng = Rng::new(opts.seed, opts.encoding);
    write_records(opts, out, "synthetic", |n| record(&mut rng, n, opts))
}

/// Writes the records `make` gives for numbers 0, 1, … as a file: as many as `opts` asks for
/// (or until the size is reached), with envelope lines when asked. Shared by every family's
/// generator.
pub fn write_records<H, G>(
    opts: &Options,
    mut out: impl Write,
    label: &str,
    mut make: impl FnMut(u64) -> crate::record::Record<'static, H, G>,
) -> io::Result<Summary>
where
    H: crate::record::WritePart,
    G: crate::record::GroupPart,
{
    let mut summary = Summary::default();
    let mut buf = Vec::with_capacity(64 * 1024);
    if opts.envelope {
        buf.extend_from_slice(format!("'''TESTIAINEISTO'''muutostieto'{label}'\r\n").as_bytes());
        summary.lines += 1;
    }
    let mut n = 0;
    while n < opts.records {
        let rec = make(n);
        rec.write_to(opts.encoding, &mut buf)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        summary.records += 1;
        summary.lines += rec.line_count() as u64;
        n += 1;
        if buf.len() >= 60 * 1024 {
            out.write_all(&buf)?;
            summary.bytes += buf.len() as u64;
            buf.clear();
        }
        let written = summary.bytes + buf.len() as u64;
        if opts.target_bytes.is_some_and(|t| written >= t) {
            break;
        }
    }
    if opts.envelope {
        buf.extend_from_slice(format!("'''EOF'''{}'\r\n", summary.records).as_bytes());
        summary.lines += 1;
    }
    out.write_all(&buf)?;
    summary.bytes += buf.len() as u64;
    out.flush()?;
    Ok(summary)
}

/// A synthetic file in memory.
pub fn generate(opts: &Options) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail, and generated values always fit their fields.
    let _ = write(opts, &mut out);
    out
}

/// A small file of deliberate oddities, one per line, for tests and demonstrations of `check`:
/// each line is a generated record with one thing wrong (or unusual), and the list of what is
/// wrong, line by line. Parse → write gives the bytes back for all of them.
pub fn odd_file() -> (Vec<u8>, Vec<(u64, &'static str)>) {
    let mut rng = Rng::new(99, Encoding::Latin1);
    let opts = Options {
        continuation_every: 0,
        ..Options::default()
    };
    let mut line = |n: u64| {
        let mut rec = record(&mut rng, n, &opts);
        rec.line.ending = crate::frame::LineEnding::None;
        rec.write_to_vec(Encoding::Latin1).unwrap_or_default()
    };
    let mut out = Vec::new();
    let mut expect = Vec::new();
    let mut push = |out: &mut Vec<u8>, bytes: &[u8], ending: &[u8], what: &'static str| {
        let number = expect.len() as u64 + 1;
        out.extend_from_slice(bytes);
        out.extend_from_slice(ending);
        expect.push((number, what));
    };
    push(&mut out, b"'''ENVELOPE'''synthetic'", b"\r\n", "envelope");
    let ok = line(0);
    push(&mut out, &ok, b"\r\n", "clean");
    let mut l = line(1);
    l[24..26].copy_from_slice(b"99");
    push(&mut out, &l, b"\r\n", "group_count_mismatch");
    let mut l = line(2);
    l.extend_from_slice(b"9991unknown group|");
    let count = format!("{:02}", count_groups(&l));
    l[24..26].copy_from_slice(count.as_bytes());
    push(&mut out, &l, b"\r\n", "unknown_group");
    let mut l = line(3);
    l.pop();
    push(&mut out, &l, b"\r\n", "missing_final_separator");
    let mut l = line(4);
    l[14..22].copy_from_slice(b"2017023X");
    push(&mut out, &l, b"\r\n", "invalid_date");
    let mut l = line(5);
    l[10] = if l[10] == b'A' { b'B' } else { b'A' };
    push(&mut out, &l, b"\r\n", "invalid_person_id");
    push(&mut out, b"not a record", b"\r\n", "short_line");
    let mut l = line(6);
    l[23] = b'J';
    push(&mut out, &l, b"\r\n", "continuation_flag_in_role");
    let l = line(7);
    push(&mut out, &l, b"\r", "bare_cr");
    let mut l = line(8);
    l.truncate(l.len() - 5);
    push(&mut out, &l, b"\r\n", "truncated_group");
    let mut l = line(9);
    // A 452 whose text holds a '|': found by its fixed length, not split.
    l.extend_from_slice(format!("4520{:<30}|", "text with a | inside").as_bytes());
    let count = format!("{:02}", count_groups(&l) - 1);
    l[24..26].copy_from_slice(count.as_bytes());
    push(&mut out, &l, b"\r\n", "clean");
    let ok = line(10);
    push(&mut out, &ok, b"", "clean");
    (out, expect)
}

/// Groups on a generated line (its `|` count; generated text holds no `|`).
fn count_groups(line: &[u8]) -> usize {
    line.iter().filter(|&&b| b == b'|').count() - 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::person::Person;
    use crate::read::SliceReader;
    use crate::ParseOptions;
    use std::collections::BTreeSet;

    fn check(opts: Options) -> BTreeSet<[u8; 3]> {
        let bytes = generate(&opts);
        let mut codes = BTreeSet::new();
        let mut out = Vec::new();
        let popts = ParseOptions::strict().with_encoding(opts.encoding);
        for p in SliceReader::new(Person, &bytes, popts) {
            let p = p.unwrap();
            let bad: Vec<_> = p
                .diagnostics
                .iter()
                .filter(|d| !matches!(d.kind, crate::DiagnosticKind::UnknownCode { .. }))
                .collect();
            assert!(bad.is_empty(), "{bad:?}");
            if let Some(r) = p.item.as_record() {
                codes.extend(r.groups.iter().map(Group::code));
            }
            p.item.write_to(opts.encoding, &mut out).unwrap();
        }
        assert!(out == bytes, "round trip");
        codes
    }

    #[test]
    fn generated_files_cover_every_code_and_round_trip() {
        for encoding in Encoding::ALL {
            for kind in [DeliveryKind::Base, DeliveryKind::Change] {
                let codes = check(Options {
                    records: 120,
                    kind,
                    encoding,
                    envelope: true,
                    continuation_every: 7,
                    ..Options::default()
                });
                assert_eq!(codes.len(), 28, "{kind:?} {encoding:?}");
            }
        }
    }

    #[test]
    fn test_ids_are_test_ids() {
        for id in TEST_IDS.iter() {
            let h = crate::hetu::Hetu::parse(id).unwrap();
            assert!(h.is_test_id());
        }
    }

    #[test]
    fn deterministic_and_sized() {
        let o = Options::default();
        assert_eq!(generate(&o), generate(&o));
        let big = generate(&Options {
            records: u64::MAX,
            target_bytes: Some(100_000),
            ..o
        });
        assert!(big.len() >= 100_000 && big.len() < 110_000);
    }
}
