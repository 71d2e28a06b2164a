//! Property tests: generated files → parse → write gives the same bytes, through the slice
//! reader and the streaming reader (random `BufReader` capacities), with exactly the expected
//! items, groups and diagnostics.
//!
//! A file is a sequence of lines: records (typed groups of every layout from the crate's
//! generator, unknown groups, a truncated last group, a right or wrong or non-numeric group
//! count, with or without the final `|`, a misplaced `J` in the role byte), their continuation
//! lines, orphan continuation lines, envelope lines and malformed lines (too short, no `|` after
//! the header), each ended by CRLF, LF, a bare CR or (last line) nothing.
//!
//! Case counts: every property runs proptest's default (256 cases); `PROPTEST_CASES=N` changes
//! them, e.g. `PROPTEST_CASES=10000 cargo test --release --test prop_lines`.

mod prop_support;

use std::io::BufReader;

use muutostieto::field::Code;
use muutostieto::frame::LineEnding;
use muutostieto::person::codes::ChangeType;
use muutostieto::person::Person;
use muutostieto::person::{Group, GroupKind, Header, KINDS};
use muutostieto::read::{Reader, RecordBuf, SliceReader};
use muutostieto::record::Item;
use muutostieto::record::Parsed;
use muutostieto::testdata::{synth_group, Rng};
use muutostieto::{Encoding, Mode, ParseOptions, PersonRecord};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

use prop_support::alphabet;

/// proptest's defaults, which honour `PROPTEST_CASES`.
fn config() -> ProptestConfig {
    ProptestConfig::default()
}

#[derive(Debug, Clone)]
enum GroupSpec {
    /// A typed group of a layout, from the crate's generator.
    Typed(GroupKind, u64),
    /// A group with a code no layout knows, kept raw.
    Unknown(&'static str, String),
}

#[derive(Debug, Clone)]
enum Count {
    Real,
    Wrong(u8),
    NotDigits(&'static str),
}

#[derive(Debug, Clone)]
struct RecLine {
    header_seed: u64,
    groups: Vec<GroupSpec>,
    /// Cut the last group to this fraction of its length (raw, truncated).
    truncate_last: Option<u8>,
    count: Count,
    final_sep: bool,
    role_j: bool,
    ending: LineEnding,
}

#[derive(Debug, Clone)]
enum LineSpec {
    Record {
        orphan: bool,
        first: RecLine,
        continuations: Vec<RecLine>,
    },
    Envelope(String, LineEnding),
    Short(String, LineEnding),
    NoSeparator(u64, String, LineEnding),
}

fn ending() -> impl Strategy<Value = LineEnding> {
    prop_oneof![
        6 => Just(LineEnding::CrLf),
        2 => Just(LineEnding::Lf),
        1 => Just(LineEnding::Cr),
    ]
}

fn chars(enc: Encoding, len: std::ops::RangeInclusive<usize>) -> impl Strategy<Value = String> {
    let letters: Vec<char> = alphabet(&[enc]).into_iter().filter(|&c| c != '|').collect();
    vec(select(letters), len).prop_map(String::from_iter)
}

fn group_spec(enc: Encoding) -> impl Strategy<Value = GroupSpec> {
    prop_oneof![
        8 => (select(KINDS.to_vec()), any::<u64>()).prop_map(|(k, s)| GroupSpec::Typed(k, s)),
        1 => (select(vec!["999", "000", "006", "500", "ABC", "9 9"]), chars(enc, 1..=40))
            .prop_map(|(c, body)| GroupSpec::Unknown(c, body)),
    ]
}

fn rec_line(enc: Encoding) -> impl Strategy<Value = RecLine> {
    (
        any::<u64>(),
        vec(group_spec(enc), 0..6),
        prop::option::weighted(0.1, 0u8..100),
        prop_oneof![
            8 => Just(Count::Real),
            1 => (0u8..100).prop_map(Count::Wrong),
            1 => select(vec!["x1", " 1", "1 ", "  ", "-1"]).prop_map(Count::NotDigits),
        ],
        prop::bool::weighted(0.85),
        prop::bool::weighted(0.05),
        ending(),
    )
        .prop_map(
            |(header_seed, groups, truncate_last, count, final_sep, role_j, ending)| RecLine {
                header_seed,
                groups,
                truncate_last,
                count,
                final_sep,
                role_j,
                ending,
            },
        )
}

fn line_spec(enc: Encoding) -> impl Strategy<Value = LineSpec> {
    prop_oneof![
        10 => (prop::bool::weighted(0.1), rec_line(enc), vec(rec_line(enc), 0..3))
            .prop_map(|(orphan, first, continuations)| LineSpec::Record { orphan, first, continuations }),
        1 => (chars(enc, 0..=60), ending()).prop_map(|(s, e)| LineSpec::Envelope(s, e)),
        1 => (chars(enc, 1..=25), ending())
            .prop_filter("not an envelope", |(s, _)| !s.starts_with("'''"))
            .prop_map(|(s, e)| LineSpec::Short(s, e)),
        1 => (any::<u64>(), chars(enc, 1..=30), ending()).prop_map(|(h, s, e)| LineSpec::NoSeparator(h, s, e)),
    ]
}

/// What one generated line must read as.
#[derive(Debug, Default)]
struct Expect {
    /// `(line, column, kind)` of every diagnostic.
    diags: Vec<(u64, usize, &'static str)>,
    /// Per item: kind, and for records the groups per line and the typed groups (None = raw,
    /// with its bytes).
    items: Vec<ItemExpect>,
}

#[derive(Debug)]
enum ItemExpect {
    Record {
        per_line: Vec<usize>,
        groups: Vec<Result<Group<'static>, Vec<u8>>>,
    },
    Envelope,
    Malformed,
}

fn header_bytes(seed: u64, enc: Encoding, change: ChangeType, role_j: bool) -> Vec<u8> {
    let mut rng = Rng::new(seed, enc);
    let mut h = Header::from_source(&mut rng);
    h.change_type = Code::Known(change);
    if role_j {
        h.role = muutostieto::field::Text::new("J");
    }
    let mut out = Vec::new();
    h.write_fields(enc, &mut out)
        .expect("generated header fits");
    out
}

/// Writes one record line and records what it must read as.
#[allow(clippy::too_many_arguments)]
fn write_rec_line(
    spec: &RecLine,
    change: ChangeType,
    first_of_record: bool,
    enc: Encoding,
    number: u64,
    out: &mut Vec<u8>,
    exp: &mut Expect,
    groups: &mut Vec<Result<Group<'static>, Vec<u8>>>,
) {
    let start = out.len();
    let role_j = spec.role_j && change != ChangeType::Continuation;
    out.extend(header_bytes(spec.header_seed, enc, change, role_j));
    if role_j {
        exp.diags.push((number, 23, "continuation_flag_in_role"));
    }
    if change == ChangeType::Continuation && first_of_record {
        exp.diags.push((number, 22, "orphan_continuation"));
    }
    let n = spec.groups.len();
    match spec.count {
        Count::Real => out.extend(format!("{n:02}").bytes()),
        Count::Wrong(w) => {
            out.extend(format!("{w:02}").bytes());
            if usize::from(w) != n {
                exp.diags.push((number, 24, "group_count_mismatch"));
            }
        }
        Count::NotDigits(s) => {
            out.extend(s.bytes());
            exp.diags.push((number, 24, "invalid_group_count"));
        }
    }
    let mut truncated = false;
    for (i, g) in spec.groups.iter().enumerate() {
        out.push(b'|');
        let col = out.len() - start;
        let last = i + 1 == n;
        match g {
            GroupSpec::Typed(kind, seed) => {
                let group = synth_group(&mut Rng::new(*seed, enc), *kind);
                let mut bytes = Vec::new();
                group
                    .write_to(enc, &mut bytes)
                    .expect("generated group fits");
                let len = kind.layout().len;
                // Only the last group is cut: a cut group followed by more groups could be read
                // with them as one group (framing goes by length; `|` may stand in text).
                let shortest = if kind.layout().code == *b"305" {
                    43
                } else {
                    len
                };
                match spec.truncate_last.filter(|_| last && shortest >= 6) {
                    Some(frac) => {
                        // 4 characters up to two short of the shortest layout of the code (one
                        // short before a final `|` reads as a whole group ending in `|`).
                        let keep = 4 + usize::from(frac) * (shortest - 6) / 100;
                        bytes.truncate(enc.byte_offset(&bytes, keep));
                        truncated = true;
                        exp.diags.push((
                            number,
                            col,
                            if spec.final_sep {
                                "group_length"
                            } else {
                                "truncated_group"
                            },
                        ));
                        groups.push(Err(bytes.clone()));
                    }
                    None => {
                        if first_of_record && i == 0 && group.is_qualifying() {
                            exp.diags.push((number, col, "orphan_qualifier"));
                        }
                        groups.push(Ok(group));
                    }
                }
                out.extend(bytes);
            }
            GroupSpec::Unknown(code, body) => {
                let mut bytes = format!("{code}1").into_bytes();
                bytes.extend(enc.encode(body).expect("from the alphabet").iter());
                exp.diags.push((number, col, "unknown_group"));
                groups.push(Err(bytes.clone()));
                out.extend(bytes);
            }
        }
    }
    if spec.final_sep {
        out.push(b'|');
    } else if n > 0 && !truncated {
        exp.diags
            .push((number, out.len() - start, "missing_final_separator"));
    }
    end_line(spec.ending, number, out.len() - start, out, exp);
}

fn end_line(ending: LineEnding, number: u64, len: usize, out: &mut Vec<u8>, exp: &mut Expect) {
    if ending == LineEnding::Cr {
        exp.diags.push((number, len, "bare_cr"));
    }
    out.extend_from_slice(ending.as_bytes());
}

/// The bytes of a file and what it must read as.
fn build(specs: &[LineSpec], enc: Encoding, last_ending: Option<LineEnding>) -> (Vec<u8>, Expect) {
    let mut out = Vec::new();
    let mut exp = Expect::default();
    let mut number = 0u64;
    let mut after_record = false;
    for spec in specs {
        match spec {
            LineSpec::Record {
                orphan,
                first,
                continuations,
            } => {
                // A continuation line after a record would continue it: orphans only elsewhere.
                let orphan = *orphan && !after_record;
                let change = if orphan {
                    ChangeType::Continuation
                } else if first.header_seed % 2 == 0 {
                    ChangeType::Existing
                } else {
                    ChangeType::New
                };
                let mut groups = Vec::new();
                let mut per_line = Vec::new();
                number += 1;
                write_rec_line(
                    first,
                    change,
                    true,
                    enc,
                    number,
                    &mut out,
                    &mut exp,
                    &mut groups,
                );
                per_line.push(first.groups.len());
                for c in continuations {
                    number += 1;
                    write_rec_line(
                        c,
                        ChangeType::Continuation,
                        false,
                        enc,
                        number,
                        &mut out,
                        &mut exp,
                        &mut groups,
                    );
                    per_line.push(c.groups.len());
                }
                exp.items.push(ItemExpect::Record { per_line, groups });
                after_record = true;
            }
            LineSpec::Envelope(s, e) => {
                number += 1;
                out.extend_from_slice(b"'''");
                let body = enc.encode(s).expect("from the alphabet");
                out.extend_from_slice(&body);
                end_line(*e, number, 3 + body.len(), &mut out, &mut exp);
                exp.items.push(ItemExpect::Envelope);
                after_record = false;
            }
            LineSpec::Short(s, e) => {
                number += 1;
                let body = enc.encode(s).expect("from the alphabet");
                out.extend_from_slice(&body);
                exp.diags.push((number, 0, "short_line"));
                end_line(*e, number, body.len(), &mut out, &mut exp);
                exp.items.push(ItemExpect::Malformed);
                after_record = false;
            }
            LineSpec::NoSeparator(h, s, e) => {
                number += 1;
                let mut line = header_bytes(*h, enc, ChangeType::Existing, false);
                line.extend_from_slice(b"01");
                line.extend_from_slice(&enc.encode(s).expect("from the alphabet"));
                out.extend_from_slice(&line);
                exp.diags.push((number, 26, "missing_header_separator"));
                end_line(*e, number, line.len(), &mut out, &mut exp);
                exp.items.push(ItemExpect::Malformed);
                after_record = false;
            }
        }
    }
    if let Some(last) = last_ending.filter(|_| !out.is_empty()) {
        // Replace the last line's ending (no ending at all is allowed only there).
        let old = [LineEnding::CrLf, LineEnding::Lf, LineEnding::Cr]
            .into_iter()
            .find(|e| out.ends_with(e.as_bytes()))
            .expect("every line has an ending");
        out.truncate(out.len() - old.as_bytes().len());
        if old == LineEnding::Cr {
            exp.diags.retain(|d| !(d.0 == number && d.2 == "bare_cr"));
        }
        let len = out.len()
            - out
                .iter()
                .rposition(|&b| b == b'\n' || b == b'\r')
                .map_or(0, |i| i + 1);
        end_line(last, number, len, &mut out, &mut exp);
    }
    exp.diags.sort();
    (out, exp)
}

fn file(enc: Encoding) -> impl Strategy<Value = (Vec<LineSpec>, Option<LineEnding>)> {
    (
        vec(line_spec(enc), 0..8),
        prop::option::of(prop_oneof![Just(LineEnding::None), ending()]),
    )
}

fn check_items(
    items: &[Parsed<'_, PersonRecord<'_>>],
    exp: &Expect,
    enc: Encoding,
) -> Result<(), TestCaseError> {
    prop_assert_eq!(items.len(), exp.items.len(), "items");
    let mut diags: Vec<_> = items
        .iter()
        .flat_map(|p| {
            p.diagnostics
                .iter()
                .map(|d| (d.line, d.column, d.kind.name()))
        })
        .collect();
    diags.sort();
    prop_assert_eq!(&diags, &exp.diags);
    for (p, e) in items.iter().zip(&exp.items) {
        match (&p.item, e) {
            (Item::Record(r), ItemExpect::Record { per_line, groups }) => {
                prop_assert_eq!(r.first_line_groups(), per_line[0]);
                let cont: Vec<usize> = r.continuations.iter().map(|c| c.groups).collect();
                prop_assert_eq!(&cont[..], &per_line[1..]);
                prop_assert_eq!(r.groups.len(), groups.len());
                for (got, want) in r.groups.iter().zip(groups) {
                    match (got, want) {
                        (Group::Raw(raw), Err(bytes)) => prop_assert_eq!(raw.bytes, &bytes[..]),
                        (g, Ok(w)) => prop_assert_eq!(g, w),
                        (g, w) => prop_assert!(false, "got {:?}, want {:?}", g, w),
                    }
                }
                serde_json::to_vec(&p.item).map_err(|e| TestCaseError::fail(e.to_string()))?;
            }
            (Item::Envelope(_), ItemExpect::Envelope)
            | (Item::Malformed(_), ItemExpect::Malformed) => {}
            (got, want) => prop_assert!(false, "got {:?}, want {:?}", got, want),
        }
        let _ = enc;
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    /// Slice reader and streaming reader read the generated file as expected and write it back.
    #[test]
    fn generated_lines_round_trip_through_both_readers(
        (enc, (specs, last), capacity) in select(Encoding::ALL.to_vec()).prop_flat_map(|enc| {
            (Just(enc), file(enc), prop_oneof![1usize..=64, Just(8192)])
        })
    ) {
        let (bytes, exp) = build(&specs, enc, last);
        let opts = ParseOptions::default().with_encoding(enc);
        let items: Vec<Parsed<'_, PersonRecord<'_>>> = SliceReader::new(Person, &bytes, opts)
            .collect::<Result<_, _>>()
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        check_items(&items, &exp, enc)?;
        let mut out = Vec::new();
        for p in &items {
            p.item.write_to(enc, &mut out).map_err(|e| TestCaseError::fail(e.to_string()))?;
        }
        prop_assert!(out == bytes, "slice reader: parse → write changed the bytes");

        let mut reader = Reader::with_chunk_size(Person, BufReader::with_capacity(capacity, &bytes[..]), opts, capacity);
        let mut buf = RecordBuf::default();
        let mut out = Vec::new();
        let mut n = 0;
        while let Some(read) = reader.read(&mut buf).map_err(|e| TestCaseError::fail(e.to_string()))? {
            prop_assert!(n < items.len(), "streaming reader has more items");
            prop_assert_eq!(&read.item, &items[n].item);
            prop_assert_eq!(read.diagnostics, &items[n].diagnostics[..]);
            read.item.write_to(enc, &mut out).map_err(|e| TestCaseError::fail(e.to_string()))?;
            n += 1;
        }
        prop_assert_eq!(n, items.len());
        prop_assert!(out == bytes, "streaming reader: parse → write changed the bytes");

        // Strict mode gives the same items up to the first with an error, then stops.
        let strict: Vec<_> = SliceReader::new(Person, &bytes, ParseOptions { mode: Mode::Strict, ..opts }).collect();
        let first_bad = items.iter().position(|p| p.diagnostics.iter().any(|d| {
            d.is_error() || matches!(d.kind, muutostieto::DiagnosticKind::GroupCountMismatch { .. })
        }));
        prop_assert_eq!(strict.len(), first_bad.map_or(items.len(), |i| i + 1));
        for (i, s) in strict.iter().enumerate() {
            match s {
                Ok(p) => prop_assert_eq!(&p.item, &items[i].item),
                Err(_) => prop_assert_eq!(Some(i), first_bad),
            }
        }
    }
}
