//! Property tests: typed values → write → parse gives the same values.
//!
//! * every one of the 29 group layouts, with a strategy per field type (text from realistic
//!   Latin-1, Latin-9 and UTF-8 letters that fit the width, digits, dates in every form the
//!   register uses, known and unknown codes (unknown ones with odd bytes too), person ids of
//!   every kind: valid test ids with every century sign (the 2023 signs included), blank, near
//!   ids with a wrong check character, sign, date or number, ids with `|`, controls, bytes
//!   0x80–0xFF or multibyte characters: see `prop_support::person_id`);
//! * whole records with continuation lines;
//! * the crate's own seeded generator (`testdata::synth_group`, `testdata::generate`) from a
//!   proptest-chosen seed;
//! * text written in one encoding, read, and written in another.
//!
//! Each written line is parsed back and must give the same typed values, exactly the
//! diagnostics its odd values call for (kind and byte column), and the same bytes again; and it
//! goes through the `families` check of `fuzz/src/lib.rs` (the run-time person family gives the
//! typed family's JSON).
//!
//! Case counts: every property runs proptest's default (256 cases; the per-layout property 256
//! per layout). `PROPTEST_CASES=N` changes them all, e.g.
//! `PROPTEST_CASES=10000 cargo test --release --test prop_typed`.

mod prop_support;

#[allow(dead_code)]
#[path = "../fuzz/src/lib.rs"]
mod checks;

use muutostieto::hetu::Hetu;
use muutostieto::person::codes::ChangeType;
use muutostieto::person::Person;
use muutostieto::person::{Continuation, Group, GroupKind, PersonRecord, KINDS};
use muutostieto::read::SliceReader;
use muutostieto::record::Item;
use muutostieto::testdata::{generate, synth_group, DeliveryKind, Options, Profile, Rng};
use muutostieto::{Encoding, Mode, ParseOptions};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::TestRunner;

use prop_support::*;

/// proptest's defaults, which honour `PROPTEST_CASES`.
fn config() -> ProptestConfig {
    ProptestConfig::default()
}

/// One line to build: header values and groups (kind and field values).
type LineSpec = (Vec<Val>, Vec<(GroupKind, Vec<Val>)>);

fn encodings() -> impl Strategy<Value = Encoding> {
    select(Encoding::ALL.to_vec())
}

fn group_spec(
    enc: Encoding,
    also: Option<Encoding>,
) -> impl Strategy<Value = (GroupKind, Vec<Val>)> {
    select(KINDS.to_vec()).prop_flat_map(move |k| (Just(k), vals_for(k, enc, also)))
}

fn line_spec(
    enc: Encoding,
    also: Option<Encoding>,
    groups: usize,
) -> impl Strategy<Value = LineSpec> {
    (
        header_vals(enc, also),
        proptest::collection::vec(group_spec(enc, also), 0..=groups),
    )
}

/// A record built from line specs (the first line and its continuation lines) and, per line,
/// the diagnostic each field calls for.
fn build(lines: &[LineSpec]) -> (PersonRecord<'_>, Vec<Vec<Option<&'static str>>>) {
    let mut expected = Vec::new();
    let mut record: Option<PersonRecord<'_>> = None;
    for (i, (header, groups)) in lines.iter().enumerate() {
        let mut exp = Vec::new();
        let mut h = build_header(header, &mut exp);
        if i > 0 {
            h.change_type = muutostieto::field::Code::Known(ChangeType::Continuation);
            exp[3] = None;
        }
        let gs: Vec<Group<'_>> = groups
            .iter()
            .map(|(k, vals)| build_group(*k, vals, &mut exp))
            .collect();
        expected.push(exp);
        match &mut record {
            None => record = Some(PersonRecord::new(h, gs)),
            Some(r) => {
                r.continuations.push(Continuation {
                    header: h,
                    line: Default::default(),
                    groups: gs.len(),
                });
                r.groups.extend(gs);
            }
        }
    }
    (record.expect("at least one line"), expected)
}

/// The groups written on each line of a record.
fn groups_per_line<'r, 'a>(r: &'r PersonRecord<'a>) -> Vec<&'r [Group<'a>]> {
    let mut out = Vec::new();
    let first = r.first_line_groups();
    out.push(&r.groups[..first]);
    let mut at = first;
    for c in &r.continuations {
        out.push(&r.groups[at..at + c.groups]);
        at += c.groups;
    }
    out
}

/// Writes `record` in `enc`, reads it back, and checks values, diagnostics and bytes.
fn check(
    record: &PersonRecord<'_>,
    expected: &[Vec<Option<&'static str>>],
    enc: Encoding,
) -> Result<Vec<u8>, TestCaseError> {
    let bytes = record
        .write_to_vec(enc)
        .map_err(|e| TestCaseError::fail(format!("write: {e}")))?;
    // Where the diagnostics must be: per line, each field's column and the kind it calls for.
    let mut want = Vec::new();
    let mut line_start = 0;
    for (n, (groups, exp)) in groups_per_line(record)
        .into_iter()
        .zip(expected)
        .enumerate()
    {
        let end = line_start
            + bytes[line_start..]
                .windows(2)
                .position(|w| w == b"\r\n")
                .unwrap();
        let line = &bytes[line_start..end];
        let cols = field_columns(line, enc, groups);
        prop_assert_eq!(cols.len(), exp.len());
        for ((col, _name, width), kind) in cols.into_iter().zip(exp) {
            let Some(kind) = kind else { continue };
            let col = match *kind {
                "invalid_person_id" => {
                    let raw = &line[col..col + width];
                    col + Hetu::parse(raw).unwrap_err().column().min(raw.len())
                }
                _ => col,
            };
            want.push((n as u64 + 1, col, *kind));
        }
        if n == 0 && groups.first().is_some_and(Group::is_qualifying) {
            want.push((1, enc.byte_offset(line, 26) + 1, "orphan_qualifier"));
        }
        line_start = end + 2;
    }
    want.sort();

    let opts = ParseOptions::default().with_encoding(enc);
    let parsed: Vec<_> = SliceReader::new(Person, &bytes, opts).collect();
    prop_assert_eq!(parsed.len(), 1, "one record");
    let parsed = parsed.into_iter().next().unwrap().unwrap();
    let Item::Record(back) = &parsed.item else {
        return Err(TestCaseError::fail("not a record"));
    };
    prop_assert_eq!(&back.header, &record.header);
    prop_assert_eq!(back.groups.len(), record.groups.len());
    for (i, (b, r)) in back.groups.iter().zip(&record.groups).enumerate() {
        prop_assert_eq!(b.kind(), r.kind(), "group {}", i);
        prop_assert_eq!(b, r, "group {}", i);
    }
    prop_assert_eq!(back.continuations.len(), record.continuations.len());
    for (b, r) in back.continuations.iter().zip(&record.continuations) {
        prop_assert_eq!(&b.header, &r.header);
        prop_assert_eq!(b.groups, r.groups);
    }
    let mut got: Vec<_> = parsed
        .diagnostics
        .iter()
        .map(|d| (d.line, d.column, d.kind.name()))
        .collect();
    got.sort();
    prop_assert_eq!(got, want);
    prop_assert_eq!(back.write_to_vec(enc).unwrap(), bytes.clone());
    // The run-time (dynamic) family reads the same values, the building family keeps the bytes.
    checks::families(&bytes);

    // Strict mode stops exactly when an error was expected.
    let strict = PersonRecord::parse(
        &bytes,
        &ParseOptions {
            mode: Mode::Strict,
            ..opts
        },
    );
    let has_error = parsed.diagnostics.iter().any(|d| d.is_error());
    prop_assert_eq!(strict.is_err(), has_error);
    Ok(bytes)
}

#[test]
fn every_group_layout_round_trips() {
    for &kind in KINDS {
        let mut runner = TestRunner::new(ProptestConfig {
            failure_persistence: None,
            ..config()
        });
        let strategy = encodings().prop_flat_map(move |enc| {
            (Just(enc), header_vals(enc, None), vals_for(kind, enc, None))
        });
        runner
            .run(&strategy, |(enc, header, vals)| {
                let lines = vec![(header, vec![(kind, vals)])];
                let (record, expected) = build(&lines);
                prop_assert_eq!(record.groups[0].kind(), Some(kind));
                check(&record, &expected, enc).map(drop)
            })
            .unwrap_or_else(|e| panic!("group {} {kind:?}: {e}", kind.layout().code_str()));
    }
}

proptest! {
    #![proptest_config(config())]

    /// Whole records: up to 8 groups of any layouts on the first line and up to two
    /// continuation lines.
    #[test]
    fn records_with_continuation_lines_round_trip(
        (enc, lines) in encodings().prop_flat_map(|enc| {
            (Just(enc), proptest::collection::vec(line_spec(enc, None, 8), 1..=3))
        })
    ) {
        let (record, expected) = build(&lines);
        check(&record, &expected, enc)?;
    }

    /// Text written in one encoding, read, written in another and read again keeps its values;
    /// written back in the first encoding it gives the first bytes.
    #[test]
    fn typed_values_survive_transcoding(
        (from, to, lines) in (encodings(), encodings()).prop_flat_map(|(from, to)| {
            (Just(from), Just(to), proptest::collection::vec(line_spec(from, Some(to), 6), 1..=2))
        })
    ) {
        let (record, expected) = build(&lines);
        let first = check(&record, &expected, from)?;
        let (back, _) = PersonRecord::parse(&first, &ParseOptions::default().with_encoding(from))
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        // parse() reads one line; read the whole record with its continuation lines.
        let back = if record.continuations.is_empty() {
            back
        } else {
            let mut items = SliceReader::new(Person, &first, ParseOptions::default().with_encoding(from));
            let Some(Ok(p)) = items.next() else { return Err(TestCaseError::fail("no item")) };
            let Item::Record(r) = p.item else { return Err(TestCaseError::fail("not a record")) };
            r
        };
        let converted = back
            .write_to_vec(to)
            .map_err(|e| TestCaseError::fail(format!("write in {to}: {e}")))?;
        let mut items = SliceReader::new(Person, &converted, ParseOptions::default().with_encoding(to));
        let Some(Ok(p)) = items.next() else { return Err(TestCaseError::fail("no item")) };
        let Item::Record(again) = p.item else { return Err(TestCaseError::fail("not a record")) };
        prop_assert_eq!(&again.header, &record.header);
        prop_assert_eq!(&again.groups, &record.groups);
        prop_assert_eq!(again.write_to_vec(from).unwrap(), first);
    }

    /// The crate's typed generator, seeded by proptest: every layout, one record.
    #[test]
    fn synthesized_groups_round_trip(seed in any::<u64>(), enc in encodings()) {
        let mut rng = Rng::new(seed, enc);
        let groups: Vec<Group<'static>> = KINDS.iter().map(|&k| synth_group(&mut rng, k)).collect();
        let record = PersonRecord::new(plain_header(ChangeType::Existing), groups);
        let bytes = record.write_to_vec(enc).unwrap();
        let (back, diags) = PersonRecord::parse(&bytes, &ParseOptions::strict().with_encoding(enc))
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(diags.is_empty(), "{:?}", diags);
        prop_assert_eq!(&back.groups, &record.groups);
        prop_assert_eq!(back.write_to_vec(enc).unwrap(), bytes);
    }

    /// Generated files (base or change deliveries, continuation and envelope lines) read
    /// strictly without a diagnostic and write back byte for byte.
    #[test]
    fn generated_files_round_trip(
        seed in any::<u64>(),
        enc in encodings(),
        base in any::<bool>(),
        records in 1u64..40,
        continuation_every in 0u64..6,
        envelope in any::<bool>(),
    ) {
        let bytes = generate(&Options {
            seed,
            records,
            target_bytes: None,
            kind: if base { DeliveryKind::Base } else { DeliveryKind::Change },
            encoding: enc,
            continuation_every,
            envelope,
            profile: if seed % 2 == 0 { Profile::Coverage } else { Profile::RealShaped },
        });
        let mut out = Vec::new();
        let mut n = 0;
        for p in SliceReader::new(Person, &bytes, ParseOptions::strict().with_encoding(enc)) {
            let p = p.map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
            n += u64::from(p.item.as_record().is_some());
            p.item.write_to(enc, &mut out).unwrap();
        }
        prop_assert_eq!(n, records);
        prop_assert!(out == bytes);
    }
}
