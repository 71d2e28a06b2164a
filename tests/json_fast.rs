//! The JSON that `parse` prints is written straight into bytes (`muutostieto::json::write_item`,
//! built on `muutostieto::field::json`), not through serde. These tests hold it to the text
//! serde_json writes for the same items (the `Serialize` impls, which the JSON shape tests pin
//! down), on every test file and sample, in every family and every encoding. The fuzz targets
//! check the same on every input they make (`fuzz/src/lib.rs`, `json_of` and `views`), and
//! that the JSON written from a `RecordView` without typing it (what `parse` prints) is the
//! typed item's.

use std::path::{Path, PathBuf};

use muutostieto::building::Building;
use muutostieto::dynamic::Dynamic;
use muutostieto::person::Person;
use muutostieto::record::Family;
use muutostieto::{Encoding, ParseOptions};

#[allow(dead_code)]
#[path = "../fuzz/src/lib.rs"]
mod checks;

fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_none_or(|e| e != "md"))
        .collect();
    files.sort();
    files
}

/// Every item of `data` as `family`'s records, in `enc`: direct JSON == serde JSON.
fn same_json<F: Family>(family: F, data: &[u8], enc: Encoding) -> usize
where
    for<'a> F::Header<'a>: PartialEq + std::fmt::Debug,
    for<'a> F::Group<'a>: PartialEq + std::fmt::Debug,
{
    let opts = ParseOptions {
        encoding: enc,
        ..ParseOptions::default()
    };
    let mut n = 0;
    for p in muutostieto::read::SliceReader::new(family, data, opts) {
        checks::json_of(&p.expect("lenient reading never fails").item);
        n += 1;
    }
    // The JSON written from views (checked, not typed), as `parse` does.
    assert_eq!(checks::views(data, opts, family), n);
    n
}

fn all_families(data: &[u8]) -> usize {
    let person_layouts = muutostieto::person::schema();
    let mut n = 0;
    for enc in Encoding::ALL {
        n += same_json(Person, data, enc);
        n += same_json(Building, data, enc);
        n += same_json(Dynamic::new(person_layouts), data, enc);
    }
    n
}

#[test]
fn direct_json_is_serde_json_on_the_testdata() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let files = files(&dir);
    assert!(files.len() >= 5, "testdata/ has its files");
    let items: usize = files
        .iter()
        .map(|f| all_families(&std::fs::read(f).unwrap()))
        .sum();
    assert!(items > 1000, "{items} items compared");
}

#[test]
fn direct_json_is_serde_json_on_the_samples() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/samples");
    let files = files(&dir);
    if files.is_empty() {
        assert!(
            std::env::var_os("MUUTOSTIETO_REQUIRE_SAMPLES").is_none(),
            "the samples are required"
        );
        eprintln!("skipped: no samples in {}", dir.display());
        return;
    }
    for f in files {
        all_families(&std::fs::read(&f).unwrap());
    }
}
