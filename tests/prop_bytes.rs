//! Property tests: arbitrary bytes never panic, and lenient parse → write gives them back byte
//! for byte, in ISO-8859-1, ISO-8859-15 and UTF-8 modes, through the slice reader, the streaming
//! reader (random buffer capacities and line limits) and `PersonRecord::parse`; `.HTT` lists too.
//!
//! The checks are the fuzz targets' own (`fuzz/src/lib.rs`): strict mode agrees with lenient
//! mode, every diagnostic points into its line at the right place for its kind, the streaming
//! reader reads what the slice reader reads (less the lines over its limit, each reported).
//!
//! Inputs: random bytes; random sequences of format tokens (`|`, line endings, `'''`, `J`,
//! group codes, headers, ids with every century sign, Latin-9 letters and 2- to 4-byte UTF-8
//! characters, non-ASCII and invalid UTF-8 bytes); and generated files with random edits.
//!
//! Case counts: every property runs proptest's default (256 cases); `PROPTEST_CASES=N` changes
//! them, e.g. `PROPTEST_CASES=10000 cargo test --release --test prop_bytes`.

#[allow(dead_code)]
#[path = "../fuzz/src/lib.rs"]
mod checks;

use muutostieto::testdata::{generate, DeliveryKind, Options};
use muutostieto::{Encoding, Mode};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

/// proptest's defaults, which honour `PROPTEST_CASES`.
fn config() -> ProptestConfig {
    ProptestConfig::default()
}

const TOKENS: &[&[u8]] = &[
    b"|",
    b"||",
    b"\r",
    b"\n",
    b"\r\n",
    b"'''",
    b"J",
    b"0",
    b"1",
    b"9",
    b"00",
    b"01",
    b"99",
    b" ",
    b"          ",
    b"004",
    b"0041",
    b"305",
    b"3051",
    b"320",
    b"451",
    b"452",
    b"4520",
    b"999",
    b"00000000",
    b"99990000",
    b"2017023X",
    b"010101-900R",
    b"010101-900RXBX201702081101",
    b"010101-900RXXX20170208J101",
    b"010101-900RXXX2017020811J1",
    b"0031",
    b"\xe4",
    b"\xc3\xa4",
    b"\xc3",
    b"\x80",
    b"\xa4",
    b"\xff",
    b"\xf0\x9f\x98",
    b"\0",
    b"\t",
    b"'''ED2'''VRK:003702454372:OVT'TIETO:0037OPHALL:OVT'201711161327'1'STX:INHOUSE'TYP:MUTPHT'NRQ:0'''",
    b"'''EOF'''2'",
    b"131052-308TL",
    b"010101A900RP",
    // The century signs of 2023 and of the 1800s, in ids, a header and list entries.
    b"131052X308T",
    b"010101F900R",
    b"010101+900R",
    b"010101F900RXBX201702081101",
    b"131052Y308TL",
    b"010101C900RP",
    // 4-, 3- and 2-byte UTF-8 characters (emoji, CJK, the euro sign, "Š"), and "€" and "Š" in
    // ISO-8859-15.
    b"\xf0\x9f\x98\x80",
    b"\xe6\xbc\xa2",
    b"\xe2\x82\xac",
    b"\xc5\xa0",
    b"\xa6",
];

fn tokens() -> impl Strategy<Value = Vec<u8>> {
    vec(
        prop_oneof![
            4 => select(TOKENS.to_vec()).prop_map(<[u8]>::to_vec),
            1 => vec(any::<u8>(), 1..8),
        ],
        0..120,
    )
    .prop_map(|parts| parts.concat())
}

#[derive(Debug, Clone)]
enum Edit {
    Set(usize, u8),
    Delete(usize, usize),
    Insert(usize, &'static [u8]),
    Duplicate(usize, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    let interesting = select(b"|\r\n J0912\xe4\xc3\x80\xa4\xff\0'-A+".to_vec());
    prop_oneof![
        4 => (any::<usize>(), prop_oneof![interesting, any::<u8>()]).prop_map(|(i, b)| Edit::Set(i, b)),
        2 => (any::<usize>(), 1usize..300).prop_map(|(i, n)| Edit::Delete(i, n)),
        2 => (any::<usize>(), select(TOKENS.to_vec())).prop_map(|(i, t)| Edit::Insert(i, t)),
        1 => (any::<usize>(), 1usize..600).prop_map(|(i, n)| Edit::Duplicate(i, n)),
    ]
}

/// A small generated file (any encoding, continuation and envelope lines) with random edits.
fn edited_file() -> impl Strategy<Value = Vec<u8>> {
    (
        any::<u64>(),
        1u64..6,
        select(Encoding::ALL.to_vec()),
        any::<bool>(),
        vec(edit(), 0..12),
    )
        .prop_map(|(seed, records, encoding, base, edits)| {
            let mut bytes = generate(&Options {
                seed,
                records,
                target_bytes: None,
                kind: if base {
                    DeliveryKind::Base
                } else {
                    DeliveryKind::Change
                },
                encoding,
                continuation_every: 2,
                envelope: seed % 3 == 0,
                ..Options::default()
            });
            for e in edits {
                let len = bytes.len().max(1);
                match e {
                    Edit::Set(i, b) => {
                        if !bytes.is_empty() {
                            bytes[i % len] = b;
                        }
                    }
                    Edit::Delete(i, n) => {
                        let at = i % len;
                        let end = (at + n).min(bytes.len());
                        bytes.drain(at.min(end)..end);
                    }
                    Edit::Insert(i, t) => {
                        let at = (i % len).min(bytes.len());
                        bytes.splice(at..at, t.iter().copied());
                    }
                    Edit::Duplicate(i, n) => {
                        let at = (i % len).min(bytes.len());
                        let end = (at + n).min(bytes.len());
                        let copy = bytes[at..end].to_vec();
                        bytes.splice(at..at, copy);
                    }
                }
            }
            bytes
        })
}

fn inputs() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        1 => vec(any::<u8>(), 0..1500),
        2 => tokens(),
        3 => edited_file(),
    ]
}

proptest! {
    #![proptest_config(config())]

    /// Slice reader: lenient parse → write is byte-identical, parsing the output gives the same
    /// items, strict mode stops at the first error, diagnostics are positioned.
    #[test]
    fn any_bytes_round_trip(data in inputs()) {
        checks::roundtrip(&data);
    }

    /// `PersonRecord::parse` on any bytes, lenient and strict, values captured or not.
    #[test]
    fn any_bytes_parse_as_one_record_or_an_error(data in inputs()) {
        checks::record(&data);
    }

    /// The streaming reader with any buffer capacity and line limit reads what the slice reader
    /// reads, less the lines over the limit (each reported as `LineTooLong`).
    #[test]
    fn any_bytes_stream(
        data in inputs(),
        capacity in prop_oneof![1usize..=16, 17usize..=4096],
        limit in prop_oneof![0usize..=64, 26usize..=2000, Just(1 << 20)],
    ) {
        for enc in Encoding::ALL {
            for mode in [Mode::Lenient, Mode::Strict] {
                checks::stream(&data, enc, mode, capacity, limit);
            }
        }
    }

    /// Building records and records read with the person layouts at run time keep every byte;
    /// the run-time records give the typed records' JSON.
    #[test]
    fn any_bytes_in_every_family(data in inputs()) {
        checks::families(&data);
    }

    /// `.HTT` person-id lists: any bytes parse, write back, and re-parse to the same list.
    #[test]
    fn any_bytes_as_id_list(data in inputs()) {
        checks::idlist(&data);
    }
}
