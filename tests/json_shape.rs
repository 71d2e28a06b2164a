//! The JSON shape of `parse`, as the README promises it: one rule for blank values (`null`),
//! `group_count` a number, codes with their meaning (header event codes and municipality
//! numbers included).

use muutostieto::person::Person;
use muutostieto::read::SliceReader;
use muutostieto::testdata::{generate, Options};
use muutostieto::ParseOptions;
use serde_json::Value;

fn items() -> Vec<Value> {
    let bytes = generate(&Options {
        records: 300,
        ..Options::default()
    });
    SliceReader::new(Person, &bytes, ParseOptions::default())
        .map(|p| serde_json::to_value(&p.unwrap().item).unwrap())
        .collect()
}

/// Every value below `v`, with its key.
fn walk<'v>(key: &str, v: &'v Value, out: &mut Vec<(String, &'v Value)>) {
    out.push((key.to_string(), v));
    match v {
        Value::Object(m) => m.iter().for_each(|(k, v)| walk(k, v, out)),
        Value::Array(a) => a.iter().for_each(|v| walk(key, v, out)),
        _ => {}
    }
}

#[test]
fn blank_values_are_null() {
    let items = items();
    let mut all = Vec::new();
    for i in &items {
        walk("", i, &mut all);
    }
    let mut nulls = 0;
    for (key, v) in &all {
        match v {
            Value::String(s) => assert!(
                !s.is_empty() && !s.bytes().all(|b| b == b' '),
                "{key}: a blank string instead of null"
            ),
            Value::Object(m) if m.contains_key("code") && !key.is_empty() => {
                let code = m["code"].as_str().unwrap_or("");
                assert!(
                    !code.bytes().all(|b| b == b' '),
                    "{key}: a blank code instead of null"
                );
            }
            Value::Null => nulls += 1,
            _ => {}
        }
    }
    assert!(nulls > 100, "the generated data has blank fields: {nulls}");
}

#[test]
fn group_count_is_a_number() {
    for i in items() {
        if i["type"] == "record" {
            assert!(i["group_count"].is_u64(), "{}", i["group_count"]);
        }
    }
}

#[test]
fn event_codes_and_municipalities_carry_their_meaning() {
    let base = generate(&Options {
        records: 20,
        kind: muutostieto::testdata::DeliveryKind::Base,
        ..Options::default()
    });
    let first = SliceReader::new(Person, &base, ParseOptions::default())
        .next()
        .unwrap()
        .unwrap();
    let v = serde_json::to_value(&first.item).unwrap();
    assert_eq!(v["header"]["event"]["code"], "XXX");
    assert_eq!(v["header"]["event"]["meaning"], "base delivery record");
    let mut seen = 0;
    for i in items() {
        for g in i["groups"].as_array().into_iter().flatten() {
            if g["code"] == "204" {
                let m = &g["municipality"];
                assert!(m["code"].is_string(), "{g}");
                let code = m["code"].as_str().unwrap();
                let name = muutostieto::municipality::lookup(code.as_bytes()).map(|m| m.finnish);
                assert_eq!(m["meaning"].as_str(), name, "{g}");
                seen += 1;
            }
        }
    }
    assert!(seen > 0);
}
