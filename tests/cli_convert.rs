//! `muutostieto convert`: JSON Lines of `Muutos` and `Perustieto` objects, the `--envelope`
//! documents, `--jobs` (the same output whatever the number of threads), stdin, the summary,
//! and the usage errors (building files, `--layout`).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use muutostieto::api::{MuutoksetResponse, Muutos, PerustiedotResponse, Perustieto};
use muutostieto::testdata::{generate, DeliveryKind, Options};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_muutostieto");

fn testdata(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(name)
}

fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env_remove("CI")
        .output()
        .expect("run muutostieto")
}

fn run_path(verb: &[&str], path: &Path, extra: &[&str]) -> Output {
    Command::new(BIN)
        .args(verb)
        .arg(path)
        .args(extra)
        .output()
        .expect("run muutostieto")
}

fn run_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exit code")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// A temporary file, removed on drop.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, bytes: &[u8]) -> Self {
        let p = std::env::temp_dir().join(format!(
            "muutostieto-cli-convert-{}-{name}",
            std::process::id()
        ));
        std::fs::write(&p, bytes).unwrap();
        TempFile(p)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[test]
fn convert_writes_one_muutos_a_line_and_a_summary() {
    let o = run_path(&["convert"], &testdata("changes.MTT"), &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    let mut n = 0;
    for line in out.lines() {
        let value: Value = serde_json::from_str(line).unwrap();
        let muutos: Muutos = serde_json::from_value(value.clone()).unwrap();
        assert_eq!(serde_json::to_value(&muutos).unwrap(), value);
        assert!(
            muutos.changed_at.ends_with(":00:00.000Z"),
            "{}",
            muutos.changed_at
        );
        n += 1;
    }
    assert_eq!(n, 300);
    let err = stderr(&o);
    assert!(
        err.contains("convert: 1 file, 300 records → 300 muutokset"),
        "{err}"
    );
    assert!(err.contains("API groups: HENKILOTUNNUS_KORJAUS"), "{err}");
    assert!(err.contains("LEGACY_ groups: LEGACY_452"), "{err}");
    assert!(
        err.contains("2 lines not converted (envelope or malformed)"),
        "{err}"
    );
}

#[test]
fn perustiedot_have_no_change_attributes() {
    let o = run_path(
        &["convert", "--to", "perustiedot"],
        &testdata("base.PTT"),
        &["-q"],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(!out.contains("muutosattribuutti"));
    assert!(!out.contains("muutospv"));
    for line in out.lines() {
        let value: Value = serde_json::from_str(line).unwrap();
        let person: Perustieto = serde_json::from_value(value.clone()).unwrap();
        assert_eq!(serde_json::to_value(&person).unwrap(), value);
    }
}

#[test]
fn envelope_is_one_response_document() {
    let lines = stdout(&run_path(&["convert"], &testdata("changes.MTT"), &["-q"]));
    let o = run_path(
        &["convert", "--envelope"],
        &testdata("changes.MTT"),
        &["-q"],
    );
    assert_eq!(code(&o), 0);
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let response: MuutoksetResponse = serde_json::from_value(doc.clone()).unwrap();
    assert_eq!(serde_json::to_value(&response).unwrap(), doc);
    assert_eq!(response.latest_token, 0);
    assert!(response.up_to_date);
    let each: Vec<Value> = lines
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(doc["muutokset"].as_array().unwrap(), &each);

    let o = run_path(
        &["convert", "--envelope", "--to", "perustiedot"],
        &testdata("base.PTT"),
        &["-q"],
    );
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let response: PerustiedotResponse = serde_json::from_value(doc.clone()).unwrap();
    assert_eq!(serde_json::to_value(&response).unwrap(), doc);
    assert!(!response.persons().is_empty());

    // No record: an empty list.
    let o = run_stdin(&["convert", "--envelope", "-q", "-"], b"");
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(doc["muutokset"], serde_json::json!([]));
}

#[test]
fn jobs_1_and_jobs_3_write_the_same_bytes() {
    let bytes = generate(&Options {
        seed: 5,
        records: 3000,
        kind: DeliveryKind::Change,
        ..Options::default()
    });
    let file = TempFile::new("jobs.MTT", &bytes);
    for extra in [&[][..], &["--envelope"][..], &["--to", "perustiedot"][..]] {
        let run_jobs = |jobs: &str| {
            let mut args = vec!["convert", "--jobs", jobs, "--chunk-size", "20000"];
            args.extend_from_slice(extra);
            run_path(&args, &file.0, &[])
        };
        let one = run_jobs("1");
        let three = run_jobs("3");
        assert_eq!(code(&one), 0, "{}", stderr(&one));
        assert!(one.stdout == three.stdout, "{extra:?}");
        assert_eq!(stderr(&one), stderr(&three), "{extra:?}");
        assert!(stdout(&one).len() > 100_000);
    }
}

#[test]
fn stdin_and_the_encodings_of_parse() {
    let bytes = std::fs::read(testdata("utf8.PTT_001.PART")).unwrap();
    let from_file = run_path(&["convert"], &testdata("utf8.PTT_001.PART"), &["-q"]);
    let from_stdin = run_stdin(&["convert", "--encoding", "utf8", "-q", "-"], &bytes);
    assert_eq!(code(&from_stdin), 0, "{}", stderr(&from_stdin));
    assert!(from_file.stdout == from_stdin.stdout);
    let latin9 = run_path(
        &["convert", "--encoding", "latin9"],
        &testdata("latin9.MTT"),
        &["-q"],
    );
    assert_eq!(code(&latin9), 0);
    assert!(stdout(&latin9).contains('€') || stdout(&latin9).contains('Š'));
}

#[test]
fn building_files_and_layout_files_are_usage_errors() {
    let o = run_path(&["convert"], &testdata("buildings.RMT"), &[]);
    assert_eq!(code(&o), 2);
    assert!(stdout(&o).is_empty());
    let err = stderr(&o);
    assert!(err.contains("convert reads person files only"), "{err}");
    let o = run(&["convert", "--kind", "building", "x.MTT"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("person files only"), "{}", stderr(&o));
    let o = run(&["convert", "--layout", "layouts/person.toml", "x.MTT"]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("--layout is not supported"),
        "{}",
        stderr(&o)
    );
    let o = run(&["convert", "/nonexistent/file.MTT"]);
    assert_eq!(code(&o), 2);
}

#[test]
fn strict_mode_and_diagnostics_as_parse() {
    // A record with an invalid date: lenient mode converts it (the group is LEGACY_) and exits
    // 1 for the error; strict mode stops there.
    let line =
        b"010101-900RXBX201702081102|00312|013120171399|\r\n010101-900RXBX201702081101|00312|\r\n";
    let o = run_stdin(&["convert", "-"], line);
    assert_eq!(code(&o), 1);
    let out = stdout(&o);
    assert_eq!(out.lines().count(), 2);
    assert!(out.contains("\"tietoryhma\":\"LEGACY_013\""), "{out}");
    let err = stderr(&o);
    assert!(err.contains("<stdin>:1:"), "{err}");
    assert!(err.contains("LEGACY_013 1"), "{err}");
    let o = run_stdin(&["convert", "--strict", "-"], line);
    assert_eq!(code(&o), 1);
    assert!(stdout(&o).is_empty());
    assert!(stderr(&o).contains("stopped at the first error"));
}
