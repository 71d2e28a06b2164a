//! The files in `testdata/` are made by the generator in `muutostieto::testdata`. The first
//! test is a **staleness check, not a correctness check**: it compares the files with what the
//! generator makes now, so a generator bug is copied into the files and passes. (The layouts are
//! checked against the specification in `tests/spec_layouts.rs`.) Run it with
//! `MUUTOSTIETO_BLESS=1` to write the files again after a deliberate change of the generator.

use std::path::PathBuf;

use muutostieto::person::Person;
use muutostieto::read::SliceReader;
use muutostieto::testdata::files::repository_files;
use muutostieto::testdata::odd_file;
use muutostieto::{Encoding, ParseOptions};

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata")
}

#[test]
fn testdata_files_are_up_to_date_with_the_generator_staleness_check() {
    let bless = std::env::var_os("MUUTOSTIETO_BLESS").is_some();
    for (name, bytes) in repository_files() {
        let path = dir().join(name);
        if bless {
            std::fs::write(&path, &bytes).unwrap();
            continue;
        }
        let on_disk = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            on_disk == bytes,
            "{name} differs from the generator; run with MUUTOSTIETO_BLESS=1"
        );
    }
}

#[test]
fn odd_file_gives_one_diagnostic_per_odd_line() {
    let (bytes, expect) = odd_file();
    let mut got: Vec<(u64, &'static str)> = Vec::new();
    let mut out = Vec::new();
    for parsed in SliceReader::new(Person, &bytes, ParseOptions::default()) {
        let parsed = parsed.unwrap();
        let line = parsed.item.line_number();
        let kinds: Vec<_> = parsed.diagnostics.iter().map(|d| d.kind.name()).collect();
        let kind = match (&parsed.item, kinds.as_slice()) {
            (muutostieto::Item::Envelope(_), []) => "envelope",
            (_, []) => "clean",
            (_, [one]) => one,
            (_, many) => panic!("line {line}: several diagnostics {many:?}"),
        };
        got.push((line, kind));
        parsed.item.write_to(Encoding::Latin1, &mut out).unwrap();
    }
    assert_eq!(got, expect);
    assert!(out == bytes, "round trip");
}
