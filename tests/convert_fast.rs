//! `muutostieto convert` writes each record's JSON straight from the record as checked
//! (`Converter::write_muutos_view`: the mapping table's rows run over the group bytes), not
//! from the typed record. These tests hold it to the typed path on every test file, every
//! sample, generated files of every profile and the fuzz corpora: the same bytes and counts as
//! `Converter::muutos` + `Converted::write_json` (what `convert` printed before), and the same
//! JSON value as `convert::to_muutos` written by serde; for base data (`Perustieto`) too, with
//! one or both move-in spellings, in every encoding and in strict mode (`fuzz/src/lib.rs`,
//! `convert_views`, which the fuzz target `convert` runs on every input it makes).

use std::path::{Path, PathBuf};

use muutostieto::testdata::{generate, DeliveryKind, Options, Profile};
use muutostieto::{Encoding, Mode, ParseOptions};

#[allow(dead_code)]
#[path = "../fuzz/src/lib.rs"]
mod checks;

/// The files in `dir` (not its README), in name order; none when it is missing.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|p| p.is_file() && p.extension().is_none_or(|e| e != "md"))
        .collect();
    found.sort();
    found
}

/// The shared samples; `None` (the test is skipped) when there are none, which fails when
/// `MUUTOSTIETO_REQUIRE_SAMPLES` is set (CI).
fn samples() -> Option<Vec<PathBuf>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/samples");
    let found = files(&dir);
    let required = std::env::var_os("MUUTOSTIETO_REQUIRE_SAMPLES").is_some();
    assert!(
        !(found.is_empty() && required),
        "the samples are required: none in {}",
        dir.display()
    );
    if found.is_empty() {
        eprintln!("skipped: no samples in {}", dir.display());
        return None;
    }
    Some(found)
}

fn opts(enc: Encoding, mode: Mode) -> ParseOptions {
    ParseOptions {
        encoding: enc,
        mode,
        ..ParseOptions::default()
    }
}

/// Every record of `data` in every encoding and mode; in ISO-8859-1 and lenient mode, the
/// records compared (once per option set) and the conversions written straight from their
/// bytes.
fn compare(data: &[u8]) -> (usize, usize) {
    let latin1 = checks::convert_views(data, opts(Encoding::Latin1, Mode::Lenient));
    for enc in Encoding::ALL {
        checks::convert_views(data, opts(enc, Mode::Strict));
        if enc != Encoding::Latin1 {
            checks::convert_views(data, opts(enc, Mode::Lenient));
        }
    }
    latin1
}

#[test]
fn the_fast_path_is_the_typed_path_on_the_testdata() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let files = files(&dir);
    assert!(files.len() >= 5, "testdata/ has its files");
    let mut records = 0;
    for f in &files {
        let (r, direct) = compare(&std::fs::read(f).unwrap());
        records += r;
        // Two conversions per record and option set (changes and base data). The generated
        // person files in one-byte encodings go straight from the bytes; the others (UTF-8,
        // buildings read as persons, odd lines with groups kept raw) partly through the types.
        let name = f.file_name().unwrap().to_string_lossy();
        if ["base.PTT", "changes.MTT", "latin9.MTT"].contains(&&*name) {
            assert_eq!(
                direct,
                2 * r,
                "{name}: every conversion straight from the bytes"
            );
        }
    }
    assert!(records > 1000, "{records} records compared");
}

#[test]
fn the_fast_path_is_the_typed_path_on_the_samples() {
    let Some(files) = samples() else {
        return;
    };
    let (mut records, mut direct) = (0, 0);
    for f in files {
        let (r, d) = compare(&std::fs::read(&f).unwrap());
        records += r;
        direct += d;
    }
    assert!(records > 0, "no sample record compared");
    eprintln!(
        "{direct} of {} conversions straight from the bytes",
        2 * records
    );
}

#[test]
fn the_fast_path_is_the_typed_path_on_generated_files() {
    for (seed, profile, kind) in [
        (5, Profile::RealShaped, DeliveryKind::Change),
        (7, Profile::RealShaped, DeliveryKind::Base),
        (11, Profile::default(), DeliveryKind::Change),
    ] {
        for encoding in [Encoding::Latin1, Encoding::Latin9] {
            let data = generate(&Options {
                seed,
                records: u64::MAX,
                target_bytes: Some(400_000),
                kind,
                encoding,
                continuation_every: 7,
                envelope: true,
                profile,
            });
            let (records, direct) = checks::convert_views(&data, opts(encoding, Mode::Lenient));
            assert!(records > 500, "{records} records");
            assert_eq!(
                direct,
                records * 2,
                "every conversion straight from the bytes"
            );
        }
    }
}

/// The fuzz corpora (inputs made to reach odd corners of framing and fields) through the
/// comparison; crash files of the `convert` target too.
#[test]
fn the_fast_path_is_the_typed_path_on_the_fuzz_corpora() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut n = 0;
    for folder in ["corpus", "artifacts"] {
        let Ok(targets) = std::fs::read_dir(root.join(folder)) else {
            continue;
        };
        for target in targets.filter_map(Result::ok) {
            let all = files(&target.path());
            // Debug builds: every fourth file of the large folders, to keep `cargo test` short.
            let step = if cfg!(debug_assertions) && all.len() > 200 {
                4
            } else {
                1
            };
            for path in all.iter().step_by(step) {
                let data = std::fs::read(path).unwrap();
                if std::panic::catch_unwind(|| checks::convert(&data)).is_err() {
                    panic!("{} fails the conversion checks", path.display());
                }
                n += 1;
            }
        }
    }
    assert!(
        n > 100,
        "replayed {n} corpus files: is fuzz/corpus missing?"
    );
}
