//! Building records: generated files parse cleanly and round-trip byte for byte through both
//! readers, every group occurs, building ids are checked (warnings, the record kept), residence
//! codes, JSON, unknown groups.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::io::BufReader;
use std::path::PathBuf;

use muutostieto::building::codes::{
    ApartmentType, ChangeAttribute, ChangeType, Event, KitchenType, ObjectType, YesNo,
};
use muutostieto::building::ids::BuildingId;
use muutostieto::building::{Apartment, Building, BuildingRecord, Group, Header, HEADER_LEN};
use muutostieto::field::{Code, CodeTable, Digits, Text, VtjDate};
use muutostieto::read::{Reader, RecordBuf, SliceReader};
use muutostieto::record::Item;
use muutostieto::testdata::{DeliveryKind, Options};
use muutostieto::{DiagnosticKind, Encoding, ParseOptions, Severity};

const ALL_CODES: [&[u8; 3]; 10] = [
    b"601", b"602", b"603", b"604", b"605", b"606", b"607", b"608", b"701", b"801",
];

/// Reads `bytes` strictly with the slice reader; asserts no diagnostics and a byte-exact round
/// trip; returns how often each group code occurs per record (max) and in total.
fn check_slice(bytes: &[u8], enc: Encoding) -> (BTreeMap<[u8; 3], usize>, usize) {
    let opts = ParseOptions::strict().with_encoding(enc);
    let mut out = Vec::with_capacity(bytes.len());
    let mut most: BTreeMap<[u8; 3], usize> = BTreeMap::new();
    let mut continued = 0;
    for parsed in SliceReader::starting_at(Building, bytes, 1, opts) {
        let parsed = parsed.unwrap();
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        if let Item::Record(r) = &parsed.item {
            let mut here: BTreeMap<[u8; 3], usize> = BTreeMap::new();
            for g in &r.groups {
                assert!(g.kind().is_some(), "raw group in generated data");
                *here.entry(g.code()).or_default() += 1;
            }
            for (code, n) in here {
                let m = most.entry(code).or_default();
                *m = (*m).max(n);
            }
            continued += r.continuations.len();
        }
        parsed.item.write_to(enc, &mut out).unwrap();
    }
    assert!(out == bytes, "slice reader round trip");
    (most, continued)
}

/// Reads `bytes` with the streaming reader in chunks of `chunk` bytes; asserts no diagnostics
/// and a byte-exact round trip.
fn check_stream(bytes: &[u8], enc: Encoding, chunk: usize) {
    let opts = ParseOptions::strict().with_encoding(enc);
    let mut reader = Reader::with_chunk_size(
        Building,
        BufReader::with_capacity(chunk, bytes),
        opts,
        chunk,
    );
    let mut buf = RecordBuf::default();
    let mut diags = Vec::new();
    let mut out = Vec::with_capacity(bytes.len());
    while let Some(read) = reader.read(&mut buf).unwrap() {
        diags.extend_from_slice(read.diagnostics);
        read.item.write_to(enc, &mut out).unwrap();
    }
    assert!(diags.is_empty(), "{diags:?}");
    assert!(out == bytes, "streaming round trip, chunk {chunk}");
}

#[test]
fn generated_files_are_clean_cover_every_group_and_round_trip() {
    for encoding in Encoding::ALL {
        for kind in [DeliveryKind::Base, DeliveryKind::Change] {
            let opts = Options {
                records: 90,
                kind,
                encoding,
                envelope: true,
                continuation_every: 7,
                ..Options::default()
            };
            let bytes = muutostieto::testdata::building::generate(&opts);
            let (most, continued) = check_slice(&bytes, encoding);
            let codes: BTreeSet<_> = most.keys().copied().collect();
            let all: BTreeSet<_> = ALL_CODES.iter().map(|c| **c).collect();
            assert_eq!(codes, all, "{kind:?} {encoding:?}");
            assert!(most[b"603"] >= 2, "several addresses in one record");
            assert!(most[b"701"] >= 3, "several apartments in one record");
            assert!(continued >= 5, "continuation lines");
            for chunk in [1, 7, 64, 8192] {
                check_stream(&bytes, encoding, chunk);
            }
        }
    }
}

#[test]
fn change_files_hold_removals_and_corrections() {
    let bytes = muutostieto::testdata::building::generate(&Options {
        records: 200,
        ..Options::default()
    });
    let mut attrs = BTreeSet::new();
    let mut events = BTreeSet::new();
    let mut object_types = HashSet::new();
    for parsed in SliceReader::starting_at(Building, &bytes, 1, ParseOptions::strict()) {
        let parsed = parsed.unwrap();
        let Item::Record(r) = parsed.item else {
            continue;
        };
        events.insert(r.header.event.raw().to_vec());
        object_types.extend(r.header.object_type.known());
        for (i, g) in r.groups.iter().enumerate() {
            let attr = g.change().and_then(|c| c.known()).unwrap();
            attrs.insert(attr.code().to_vec());
            if attr == ChangeAttribute::ToBeCorrected {
                // A 5 group is followed by its corrected 6 group of the same code.
                let next = &r.groups[i + 1];
                assert_eq!(next.code(), g.code());
                assert_eq!(
                    next.change().and_then(|c| c.known()),
                    Some(ChangeAttribute::Corrected)
                );
            }
        }
    }
    for a in ["0", "1", "3", "4", "5", "6"] {
        assert!(attrs.contains(a.as_bytes()), "change attribute {a}");
    }
    for e in ["RU1", "RM1", "RV1", "RP1", "RT1", "RH1"] {
        assert!(events.contains(e.as_bytes()), "event {e}");
    }
    assert!(object_types.contains(&ObjectType::Project));
}

#[test]
fn generated_dates_include_partial_ones() {
    let bytes = muutostieto::testdata::building::generate(&Options {
        records: 60,
        kind: DeliveryKind::Base,
        ..Options::default()
    });
    let (mut year_month, mut year) = (0, 0);
    for parsed in SliceReader::starting_at(Building, &bytes, 1, ParseOptions::strict()) {
        if let Item::Record(r) = parsed.unwrap().item {
            for g in &r.groups {
                let dates: Vec<VtjDate> = match g {
                    Group::Identifiers(i) => vec![i.start, i.end],
                    Group::Address(a) => vec![a.start, a.end],
                    Group::BasicData(b) => vec![b.completed, b.usage_status_changed],
                    Group::Apartment(a) => vec![a.start],
                    Group::Owner(o) => vec![o.start],
                    _ => vec![],
                };
                for d in dates {
                    year_month += usize::from(matches!(d, VtjDate::YearMonth { .. }));
                    year += usize::from(matches!(d, VtjDate::Year(_)));
                }
            }
        }
    }
    assert!(year_month > 0 && year > 0, "{year_month} {year}");
}

fn testdata(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn repository_building_files_are_clean() {
    for name in ["buildings.RMT", "buildings-base.RPT"] {
        let bytes = testdata(name);
        let (most, _) = check_slice(&bytes, Encoding::Latin1);
        assert_eq!(most.len(), ALL_CODES.len(), "{name}");
        check_stream(&bytes, Encoding::Latin1, 4096);
        // ISO-8859-1: Latin-1 letters are single bytes, not UTF-8.
        assert!(bytes.contains(&0xe4), "{name}: an 'ä' byte");
        assert!(std::str::from_utf8(&bytes).is_err());
    }
}

/// The first clean generated record line (no continuation) that has a 601 group, without its
/// line ending.
fn sample_line() -> Vec<u8> {
    let bytes = muutostieto::testdata::building::generate(&Options {
        records: 3,
        kind: DeliveryKind::Base,
        continuation_every: 0,
        ..Options::default()
    });
    let end = bytes.windows(2).position(|w| w == b"\r\n").unwrap();
    bytes[..end].to_vec()
}

fn group_column(line: &[u8], code: &[u8; 3]) -> usize {
    let mut pat = b"|".to_vec();
    pat.extend_from_slice(code);
    line.windows(4).position(|w| w == pat.as_slice()).unwrap() + 1
}

#[test]
fn building_id_vectors() {
    for ok in ["122334455R", "199887766E", "100840657D", "1019191118"] {
        assert!(BuildingId::new(ok).is_valid(), "{ok}");
    }
    for bad in ["100012345A", "123456789A", "123456789V", "1234567880"] {
        assert!(!BuildingId::new(bad).is_valid(), "{bad}");
    }
    for n in [100_000_000, 123_456_789, 199_999_999] {
        let id = BuildingId::make(n).unwrap();
        assert!(BuildingId::from_bytes(&id).is_valid());
    }
}

#[test]
fn invalid_ids_are_warnings_at_the_field_and_the_record_is_kept() {
    let mut line = sample_line();
    let c601 = group_column(&line, b"601");
    for (at, bad, field) in [
        (0, &b"123456789A"[..], "building_id"),
        (c601 + 4, b"1234567880", "building_id"),
        (c601 + 14, b"09100400120005a001", "old_building_id"),
    ] {
        line[at..at + bad.len()].copy_from_slice(bad);
        for opts in [ParseOptions::default(), ParseOptions::strict()] {
            let (record, diags) = BuildingRecord::parse(&line, &opts).unwrap();
            let d = diags
                .iter()
                .find(|d| d.column == at)
                .unwrap_or_else(|| panic!("no diagnostic at {at}: {diags:?}"));
            assert!(matches!(d.kind, DiagnosticKind::InvalidValue { .. }));
            assert_eq!(d.severity, Severity::Warning);
            assert_eq!(d.field.as_deref(), Some(field));
            assert_eq!(d.group.is_some(), at != 0);
            let text = d.to_string();
            assert!(
                !text.contains(std::str::from_utf8(bad).unwrap()),
                "value in message: {text}"
            );
            // Kept raw and written back unchanged.
            assert!(record.write_to_vec(Encoding::Latin1).unwrap() == line);
        }
    }
    let (_, diags) = BuildingRecord::parse(&line, &ParseOptions::default()).unwrap();
    assert_eq!(diags.len(), 3, "{diags:?}");
    // With values captured on request.
    let opts = ParseOptions {
        capture_values: true,
        ..ParseOptions::default()
    };
    let (_, diags) = BuildingRecord::parse(&line, &opts).unwrap();
    assert_eq!(diags[0].value.as_deref(), Some("123456789A"));
}

fn apartment(
    ordinal: &'static str,
    staircase: &'static str,
    number: &'static str,
    division: &'static str,
) -> Group<'static> {
    Group::Apartment(Apartment {
        change: Code::Known(ChangeAttribute::Added),
        address_ordinal: Digits::from_bytes(ordinal.as_bytes()),
        staircase: Text::new(staircase),
        apartment_number: Digits::from_bytes(number.as_bytes()),
        division_letter: Text::new(division),
        permanent_apartment_id: Text::blank(),
        apartment_type: Code::Known(ApartmentType::Dwelling),
        rooms: Digits::number(3),
        kitchen_type: Code::Known(KitchenType::Kitchen),
        area: Digits::number(72),
        wc: Code::Known(YesNo::Yes),
        bath: Code::Known(YesNo::Yes),
        sauna: Code::Known(YesNo::No),
        balcony: Code::Known(YesNo::Yes),
        hot_water: Code::Known(YesNo::Unknown),
        tenure: Text::blank(),
        occupancy: Text::blank(),
        start: VtjDate::YearMonth {
            year: 2017,
            month: 2,
        },
    })
}

fn header(id: &'static str) -> Header<'static> {
    Header {
        building_id: BuildingId::new(id),
        object_type: Code::Known(ObjectType::Building),
        event: Code::Known(Event::ApartmentChanged),
        registered: VtjDate::full(2017, 2, 8).unwrap(),
        change_type: Code::Known(ChangeType::Existing),
        spare: Text::blank(),
    }
}

#[test]
fn residence_codes_join_header_and_apartments() {
    let rec = BuildingRecord::new(
        header("122334455R"),
        vec![
            apartment("1", "B", "033", ""),
            apartment("2", "", "   ", ""),
            apartment("1", "Ä", "005", "ä"),
            apartment("1", "1", "005", ""),
            apartment(" ", "A", "001", "b"),
        ],
    );
    // Through the file: Latin-1 bytes and back.
    let bytes = rec.write_to_vec(Encoding::Latin1).unwrap();
    let (back, diags) = BuildingRecord::parse(&bytes, &ParseOptions::strict()).unwrap();
    assert!(diags.is_empty(), "{diags:?}");
    for r in [&rec, &back] {
        let codes: Vec<Option<String>> = r.residence_codes().map(|(_, c)| c).collect();
        assert_eq!(
            codes,
            [
                Some("122334455R1B033 ".to_string()),
                Some("122334455R2     ".to_string()),
                Some("122334455R1Ä005ä".to_string()),
                None, // staircase "1" is not a letter
                Some("122334455R A001b".to_string()),
            ]
        );
        for code in codes.iter().flatten() {
            assert_eq!(code.chars().count(), 16);
        }
    }
    // The same from a UTF-8 file.
    let utf8 = rec.write_to_vec(Encoding::Utf8).unwrap();
    let opts = ParseOptions::strict().with_encoding(Encoding::Utf8);
    let (back, _) = BuildingRecord::parse(&utf8, &opts).unwrap();
    assert_eq!(
        back.residence_codes().nth(2).unwrap().1.as_deref(),
        Some("122334455R1Ä005ä")
    );
    // No code without a usable building id.
    let rec = BuildingRecord::new(header("          "), vec![apartment("1", "B", "033", "")]);
    assert_eq!(rec.residence_codes().next().unwrap().1, None);
}

#[test]
fn json_has_decoded_names_and_iso_dates() {
    let bytes = testdata("buildings-base.RPT");
    let mut found_street = false;
    for parsed in SliceReader::starting_at(Building, &bytes, 1, ParseOptions::strict()) {
        let item = parsed.unwrap().item;
        let json = serde_json::to_string(&item).unwrap();
        if let Item::Record(r) = &item {
            assert!(json.contains(r#""type":"record""#));
            assert!(json.contains(r#""group":"identifiers""#));
            // The registration date in ISO form.
            let d = match r.header.registered {
                VtjDate::Full(d) => d,
                other => panic!("{other:?}"),
            };
            assert!(json.contains(&format!(r#""registered":"{}""#, d.format("%Y-%m-%d"))));
            for g in &r.groups {
                if let Group::Address(a) = g {
                    let street = a.street_fi.decode();
                    if !street.is_ascii() {
                        found_street = true;
                        assert!(
                            json.contains(&format!(r#""street_fi":"{street}""#)),
                            "{json}"
                        );
                    }
                }
            }
        }
    }
    assert!(found_street, "a street name with Latin-1 letters");

    let rec = BuildingRecord::new(header("122334455R"), vec![apartment("1", "Ä", "005", "ä")]);
    let bytes = rec.write_to_vec(Encoding::Latin1).unwrap();
    let (back, _) = BuildingRecord::parse(&bytes, &ParseOptions::strict()).unwrap();
    let json = serde_json::to_string(&back).unwrap();
    for part in [
        r#""building_id":"122334455R""#,
        r#""registered":"2017-02-08""#,
        r#""event":{"code":"RH1","meaning":"apartment data changed"}"#,
        r#""group":"apartment""#,
        r#""staircase":"Ä""#,
        r#""division_letter":"ä""#,
        r#""start":"2017-02""#,
        r#""kitchen_type":{"code":"1","meaning":"kitchen"}"#,
    ] {
        assert!(json.contains(part), "{part} not in {json}");
    }
}

#[test]
fn unknown_groups_are_kept_raw_and_written_back() {
    let mut line = sample_line();
    // An unknown code and a person group code, both unknown to the building layouts.
    line.extend_from_slice(b"9991anything at all|0031|");
    let declared: usize = std::str::from_utf8(&line[24..26]).unwrap().parse().unwrap();
    let count = format!("{:02}", declared + 2);
    line[24..26].copy_from_slice(count.as_bytes());
    line.extend_from_slice(b"\r\n");

    let mut items = SliceReader::starting_at(Building, &line, 1, ParseOptions::default());
    let parsed = items.next().unwrap().unwrap();
    let Item::Record(r) = &parsed.item else {
        panic!("{:?}", parsed.item)
    };
    let raw: Vec<_> = r
        .groups
        .iter()
        .filter_map(|g| match g {
            Group::Raw(raw) => Some(raw.bytes),
            _ => None,
        })
        .collect();
    assert_eq!(raw, [&b"9991anything at all"[..], b"0031"]);
    let kinds: Vec<_> = parsed.diagnostics.iter().map(|d| d.kind.name()).collect();
    assert_eq!(kinds, ["unknown_group", "unknown_group"]);
    let mut out = Vec::new();
    parsed.item.write_to(Encoding::Latin1, &mut out).unwrap();
    assert_eq!(out, line);
    // JSON names the raw group.
    let json = serde_json::to_string(&parsed.item).unwrap();
    assert!(
        json.contains(r#""group":"raw","raw":"9991anything at all""#),
        "{json}"
    );
    // Strict mode stops at an unknown group (an error).
    let mut strict = SliceReader::starting_at(Building, &line, 1, ParseOptions::strict());
    assert!(strict.next().unwrap().is_err());
}

#[test]
fn person_lines_are_not_building_lines() {
    // A person header read with the building family: the id is no VTJ-PRT and 004 is unknown.
    let mut line = b"010101-900RXXX201702081101|0041".to_vec();
    line.resize(27 + 213, b' ');
    line.extend_from_slice(b"|\r\n");
    let (record, diags) = BuildingRecord::parse(&line, &ParseOptions::default()).unwrap();
    assert!(matches!(record.groups[0], Group::Raw(_)));
    assert!(diags
        .iter()
        .any(|d| matches!(d.kind, DiagnosticKind::InvalidValue { .. }) && d.column == 0));
    assert_eq!(record.write_to_vec(Encoding::Latin1).unwrap(), line);
    assert_eq!(HEADER_LEN, 26);
}
