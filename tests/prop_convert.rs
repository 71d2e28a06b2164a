//! Property tests of the conversion: on any parsed input (random bytes, format tokens, generated
//! files with random edits, in every encoding) conversion never panics, every legacy group is
//! accounted for (an API group, nested or merged into one, or a `LEGACY_` group of its own
//! code), and the JSON reads into the api types and writes out to the same value.
//!
//! Case counts: proptest's default (256); `PROPTEST_CASES=N` changes them.

use muutostieto::api::Muutos;
use muutostieto::convert::{ConvertOptions, Converter, GroupName, Placement, API_NAMES};
use muutostieto::person::Person;
use muutostieto::read::SliceReader;
use muutostieto::record::Item;
use muutostieto::testdata::{generate, DeliveryKind, Options};
use muutostieto::{Encoding, ParseOptions};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::Value;

const TOKENS: &[&[u8]] = &[
    b"|",
    b"\r\n",
    b"0",
    b"1",
    b"5",
    b"6",
    b"2",
    b" ",
    b"          ",
    b"00000000",
    b"99990000",
    b"19660500",
    b"2017023X",
    b"***Lis\xe4tietoja",
    b"010101-900R",
    b"010101-900RXBX201702081101|",
    b"010101-900RXBX201709251102|",
    b"0071246119900101",
    b"0151",
    b"3061",
    b"3071",
    b"3161",
    b"3171",
    b"3051",
    b"3201P501",
    b"4510",
    b"4520",
    b"0021",
    b"98",
    b"998",
    b"1011",
    b"2041000",
    b"9991",
    b"\xc3\xa4",
    b"\xff",
];

fn encodings() -> impl Strategy<Value = Encoding> {
    select(Encoding::ALL.to_vec())
}

/// Converts every record of `bytes` with both targets and checks each.
fn check_all(bytes: &[u8], enc: Encoding) -> Result<(), TestCaseError> {
    let mut converter = Converter::new(ConvertOptions::default());
    for parsed in SliceReader::new(Person, bytes, ParseOptions::default().with_encoding(enc)) {
        let Ok(parsed) = parsed else { continue };
        let Item::Record(record) = &parsed.item else {
            continue;
        };
        for base in [false, true] {
            let c = if base {
                converter.perustieto(record)
            } else {
                converter.muutos(record)
            };
            prop_assert_eq!(c.fates().len(), record.groups.len());
            for (g, fate) in record.groups.iter().zip(c.fates()) {
                prop_assert!(fate.output < c.len(), "unplaced {:?}", fate);
                match (fate.placement, c.group_name(fate.output).unwrap()) {
                    (Placement::Legacy, GroupName::Legacy(code)) => {
                        // The tag names the group's own code (its first three characters).
                        let own = g.code();
                        if own.is_ascii() {
                            let own = String::from_utf8_lossy(&own).into_owned();
                            prop_assert_eq!(own.trim_end(), code.trim_end());
                        }
                    }
                    (Placement::Legacy, other) => prop_assert!(false, "legacy in {}", other),
                    (_, GroupName::Api(name)) => prop_assert!(API_NAMES.contains(&name)),
                    (_, GroupName::Legacy(code)) => {
                        prop_assert!(false, "nested in LEGACY_{}", code)
                    }
                }
            }
            let value = c.to_value();
            let mut fast = Vec::new();
            c.write_json(&mut fast);
            prop_assert_eq!(
                String::from_utf8(fast).unwrap(),
                serde_json::to_string(&c).unwrap()
            );
            if !base {
                let muutos: Muutos = serde_json::from_value(value.clone())
                    .map_err(|e| TestCaseError::fail(format!("{e}: {value}")))?;
                prop_assert_eq!(&serde_json::to_value(&muutos).unwrap(), &value);
                prop_assert_eq!(&serde_json::to_value(c.to_muutos()).unwrap(), &value);
            }
            for g in value["tietoryhmat"].as_array().unwrap() {
                let name = g["tietoryhma"].as_str().unwrap_or("");
                prop_assert!(
                    API_NAMES.contains(&name) || name.starts_with("LEGACY_"),
                    "{}",
                    name
                );
                prop_assert_eq!(g.get("muutosattribuutti").is_none() || !base, true);
                if name.starts_with("LEGACY_") {
                    prop_assert!(matches!(g.get("teksti"), Some(Value::String(_))));
                }
            }
        }
    }
    Ok(())
}

fn generated(seed: u64, kind: DeliveryKind, encoding: Encoding) -> Vec<u8> {
    generate(&Options {
        seed,
        records: 20,
        kind,
        encoding,
        ..Options::default()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::default())]

    #[test]
    fn random_bytes_convert_without_panic(bytes in vec(any::<u8>(), 0..600), enc in encodings()) {
        check_all(&bytes, enc)?;
    }

    #[test]
    fn random_format_tokens_convert_without_panic(
        tokens in vec(select(TOKENS.to_vec()), 0..80),
        enc in encodings(),
    ) {
        let mut bytes = b"010101-900RXBX201702081101|".to_vec();
        for t in tokens {
            bytes.extend_from_slice(t);
        }
        check_all(&bytes, enc)?;
    }

    #[test]
    fn generated_records_with_random_edits_convert(
        seed in any::<u64>(),
        base in any::<bool>(),
        enc in encodings(),
        edits in vec((any::<prop::sample::Index>(), any::<u8>()), 0..12),
    ) {
        let kind = if base { DeliveryKind::Base } else { DeliveryKind::Change };
        let mut bytes = generated(seed, kind, enc);
        for (at, byte) in edits {
            if !bytes.is_empty() {
                let i = at.index(bytes.len());
                // Keep line endings where they are, so most lines still frame as records.
                if !matches!(bytes[i], b'\r' | b'\n') {
                    bytes[i] = match byte % 4 {
                        0 => b'0' + byte % 10,
                        1 => b' ',
                        2 => b'|',
                        _ => byte,
                    };
                }
            }
        }
        check_all(&bytes, enc)?;
    }
}
