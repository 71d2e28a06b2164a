//! No JSON object the crate writes has a key twice: `jq` and Python keep one of them and lose
//! the other (a 401 occupation group once wrote `"code"` for the group code and for its field).
//! Checked on the JSON of every group layout of every family, typed and loaded from a layout
//! file, with a JSON reader that rejects duplicate keys at any depth.

use std::collections::HashSet;
use std::fmt;

use muutostieto::building::Building;
use muutostieto::dynamic::Dynamic;
use muutostieto::layout::LayoutFile;
use muutostieto::person::Person;
use muutostieto::read::SliceReader;
use muutostieto::record::Family;
use muutostieto::testdata::{generate, Options};
use muutostieto::ParseOptions;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

/// Any JSON value; deserializing fails on an object with a key twice.
struct Unique;

impl<'de> de::Deserialize<'de> for Unique {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(UniqueVisitor)
    }
}

struct UniqueVisitor;

impl<'de> Visitor<'de> for UniqueVisitor {
    type Value = Unique;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Unique, E> {
        Ok(Unique)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Unique, E> {
        Ok(Unique)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Unique, E> {
        Ok(Unique)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Unique, E> {
        Ok(Unique)
    }
    fn visit_str<E>(self, _: &str) -> Result<Unique, E> {
        Ok(Unique)
    }
    fn visit_unit<E>(self) -> Result<Unique, E> {
        Ok(Unique)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Unique, A::Error> {
        while seq.next_element::<Unique>()?.is_some() {}
        Ok(Unique)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Unique, A::Error> {
        let mut keys = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if !keys.insert(key.clone()) {
                return Err(de::Error::custom(format!("duplicate key {key:?}")));
            }
            map.next_value::<Unique>()?;
        }
        Ok(Unique)
    }
}

/// Every item of `bytes` read as `family` serializes to JSON without a duplicate key; returns
/// the group codes seen.
fn check<F: Family>(family: F, bytes: &[u8]) -> HashSet<String> {
    let mut codes = HashSet::new();
    for parsed in SliceReader::new(family, bytes, ParseOptions::default()) {
        let item = parsed.unwrap().item;
        let json = serde_json::to_string(&item).unwrap();
        if let Err(e) = serde_json::from_str::<Unique>(&json) {
            panic!("{e} in {}", &json[..json.len().min(2000)]);
        }
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        for g in value["groups"].as_array().into_iter().flatten() {
            codes.insert(g["code"].as_str().unwrap_or("?").to_string());
        }
    }
    codes
}

fn every_code<F: Family>(family: &F) -> HashSet<String> {
    family
        .schema()
        .groups
        .iter()
        .filter(|g| !g.qualifying)
        .map(|g| g.code_str())
        .collect()
}

#[test]
fn person_json_has_no_duplicate_keys() {
    let bytes = generate(&Options {
        records: 300,
        ..Options::default()
    });
    let seen = check(Person, &bytes);
    assert!(
        every_code(&Person).is_subset(&seen),
        "not every group was checked: {seen:?}"
    );
    let text = LayoutFile::from_schema(Person.schema()).to_toml().unwrap();
    let schema = LayoutFile::load(&text).unwrap();
    check(Dynamic::new(&schema), &bytes);
}

#[test]
fn building_json_has_no_duplicate_keys() {
    let bytes = muutostieto::testdata::building::generate(&Options {
        records: 100,
        ..Options::default()
    });
    let seen = check(Building, &bytes);
    assert!(
        every_code(&Building).is_subset(&seen),
        "not every group was checked: {seen:?}"
    );
    let text = LayoutFile::from_schema(Building.schema())
        .to_toml()
        .unwrap();
    let schema = LayoutFile::load_with_kinds(&text, Building.field_kinds()).unwrap();
    check(Dynamic::new(&schema), &bytes);
}
