//! Runs the `muutostieto` binary: every verb, exit codes, output formats, stdin, several files,
//! broken pipes and the sample files (skipped when `../shared/samples` is absent).

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use chrono::NaiveDate;
use muutostieto::hetu::Hetu;
use muutostieto::idlist::{self, Action};

const BIN: &str = env!("CARGO_BIN_EXE_muutostieto");
const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/samples");

/// A temporary directory, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("muutostieto-cli-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn file(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.0.join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A valid test id for a birth date and individual number.
fn id(y: i32, m: u32, d: u32, n: u16) -> String {
    let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
    String::from_utf8(Hetu::make(date, n, false).unwrap().to_vec()).unwrap()
}

/// A record line (CRLF) with the right group count.
fn rec(person: &str, groups: &[&str]) -> String {
    let mut s = format!("{person}XXX2017020811{:02}|", groups.len());
    for g in groups {
        s.push_str(g);
        s.push('|');
    }
    s.push_str("\r\n");
    s
}

/// A 004 group: last name and first names, no update date.
fn name_group(last: &str, first: &str) -> String {
    format!("0041{last:<100}{first:<100}00000000 ")
}

/// A 013 group: date of death (yyyymmdd).
fn death_group(date: &str) -> String {
    format!("0131{date}")
}

/// Two clean records.
fn clean_file() -> String {
    let a = id(1980, 3, 4, 123);
    let b = id(1990, 12, 31, 456);
    let mut s = rec(&a, &["00312", &name_group("Nieminen", "Maija")]);
    s.push_str(&rec(
        &b,
        &["00311", &death_group("20170222"), &death_group("19660500")],
    ));
    s
}

fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env_remove("CI")
        .output()
        .expect("run muutostieto")
}

fn run_path(verb: &[&str], paths: &[&Path], extra: &[&str]) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.args(verb).args(paths).args(extra);
    cmd.output().expect("run muutostieto")
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

fn json_lines(s: &str) -> Vec<serde_json::Value> {
    s.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn samples() -> Option<Vec<PathBuf>> {
    let Ok(entries) = std::fs::read_dir(SAMPLES) else {
        no_samples(SAMPLES);
        return None;
    };
    let mut out: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy();
            n.contains(".PTT") || n.contains(".MTT")
        })
        .collect();
    out.sort();
    Some(out)
}

// ---------------------------------------------------------------------------------------------
// Usage

#[test]
fn help_for_every_verb() {
    for verb in [
        &["--help"][..],
        &["parse", "--help"],
        &["check", "--help"],
        &["stats", "--help"],
        &["roundtrip", "--help"],
        &["idlist", "--help"],
        &["idlist", "check", "--help"],
        &["idlist", "make", "--help"],
        &["generate", "--help"],
        &["layout", "--help"],
        &["layout", "show", "--help"],
        &["layout", "check", "--help"],
    ] {
        let o = run(verb);
        assert_eq!(code(&o), 0, "{verb:?}");
        assert!(stdout(&o).contains("Usage: muutostieto"), "{verb:?}");
    }
    let o = run(&["check", "--help"]);
    assert!(stdout(&o).contains("--max-diagnostics"));
    assert!(stdout(&o).contains("Exit status"));
    for verb in ["parse", "check", "stats", "roundtrip"] {
        let help = stdout(&run(&[verb, "--help"]));
        assert!(help.contains("--kind <KIND>"), "{verb}");
        assert!(help.contains("--layout <FILE>"), "{verb}");
    }
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &[][..],
        &["parse"],
        &["check", "--no-such-flag", "x"],
        &["frobnicate"],
        &["parse", "--format", "csv", "x.PTT"],
        &["idlist", "make"],
        &["idlist", "make", "--add", "x", "--timestamp", "2017"],
        &["roundtrip", "--to-encoding", "utf8", "x.PTT"],
    ] {
        let o = run(args);
        assert_eq!(code(&o), 2, "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).is_empty(), "{args:?}");
        assert!(o.stdout.is_empty(), "{args:?}");
    }
    let t = TempDir::new("usage");
    let f = t.file("a.PTT", clean_file());
    for group in ["999", "04", "abc"] {
        let o = run_path(&["parse", "--format", "csv", "--group", group], &[&f], &[]);
        assert_eq!(code(&o), 2, "{group}");
        assert!(stderr(&o).contains("--group"), "{}", stderr(&o));
    }
}

#[test]
fn missing_file_is_an_io_error_and_other_files_still_run() {
    let t = TempDir::new("missing");
    let good = t.file("good.PTT", clean_file());
    let missing = t.0.join("missing.PTT");
    for verb in [
        &["check"][..],
        &["parse"],
        &["stats"],
        &["roundtrip"],
        &["idlist", "check"],
    ] {
        let o = run_path(verb, &[&missing, &good], &[]);
        assert_eq!(code(&o), 2, "{verb:?}");
        assert!(
            stderr(&o).contains("missing.PTT"),
            "{verb:?}: {}",
            stderr(&o)
        );
        assert!(!stderr(&o).contains("panicked"));
    }
    // The good file was still read.
    let o = run_path(&["check"], &[&missing, &good], &[]);
    assert!(
        stdout(&o).contains("1 file, 2 records, 5 groups, 0 errors, 0 warnings"),
        "{}",
        stdout(&o)
    );
}

// ---------------------------------------------------------------------------------------------
// check

#[test]
fn check_clean_file_exits_0_with_summary() {
    let t = TempDir::new("check-clean");
    let f = t.file("a.PTT", clean_file());
    let o = run_path(&["check"], &[&f], &[]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    assert_eq!(
        stdout(&o),
        "1 file, 2 records, 5 groups, 0 errors, 0 warnings\n"
    );
}

#[test]
fn check_reports_positions_without_values() {
    let t = TempDir::new("check-errors");
    let person = id(1975, 6, 7, 890);
    let mut text = clean_file();
    // Line 3: an unknown group at column 33 and a bad date in 013 at column 39 + 4.
    text.push_str(&rec(&person, &["00312", "999xx", &death_group("20171399")]));
    let f = t.file("bad.PTT", &text);
    let o = run_path(&["check"], &[&f], &[]);
    assert_eq!(code(&o), 1);
    let out = stdout(&o);
    let name = f.display().to_string();
    assert!(
        out.contains(&format!(
            "{name}:3:33: error: group 999: unknown group code"
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "{name}:3:43: error: group 013, field date: invalid date"
        )),
        "{out}"
    );
    assert!(
        out.ends_with("1 file, 3 records, 8 groups, 2 errors, 0 warnings\n"),
        "{out}"
    );
    assert!(
        !out.contains("20171399") && !out.contains(&person),
        "values leaked: {out}"
    );
    // With --show-values the offending value is shown.
    let o = run_path(&["check", "--show-values"], &[&f], &[]);
    assert!(stdout(&o).contains("20171399"), "{}", stdout(&o));
    // --strict stops at the first error.
    let o = run_path(&["check", "--strict"], &[&f], &[]);
    assert_eq!(code(&o), 1);
    assert!(
        stdout(&o).contains("stopped at the first error"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn check_warnings_and_allow_warnings() {
    let t = TempDir::new("check-warn");
    // Header says 2 groups, the line has 1: a warning in lenient mode.
    let line = format!("{}XXX201702081102|00312|\r\n", id(2001, 1, 1, 2));
    let f = t.file("w.PTT", line);
    let o = run_path(&["check"], &[&f], &[]);
    assert_eq!(code(&o), 1);
    assert!(
        stdout(&o)
            .contains(":1:24: warning: field group_count: header says 2 groups, the line has 1"),
        "{}",
        stdout(&o)
    );
    let o = run_path(&["check", "--allow-warnings"], &[&f], &[]);
    assert_eq!(code(&o), 0);
    let o = run_path(&["check", "--allow-warnings", "--strict"], &[&f], &[]);
    assert_eq!(code(&o), 1, "strict makes the count mismatch an error");
}

#[test]
fn check_json_and_max_diagnostics() {
    let t = TempDir::new("check-json");
    let mut text = String::new();
    for i in 0..5 {
        text.push_str(&rec(&id(1960, 1, 1 + i, 100), &["999xx"]));
    }
    let f = t.file("many.PTT", &text);
    let g = t.file("clean.PTT", clean_file());
    let o = run_path(&["check", "--format", "json"], &[&f, &g], &[]);
    assert_eq!(code(&o), 1);
    let lines = json_lines(&stdout(&o));
    assert_eq!(lines.len(), 6);
    for d in &lines[..5] {
        assert_eq!(d["type"], "diagnostic");
        assert_eq!(d["file"], f.display().to_string());
        assert_eq!(d["kind"], "unknown_group");
        assert_eq!(d["group"], "999");
        assert_eq!(d["severity"], "error");
        assert_eq!(d["column"], 27);
        assert!(d["message"].is_string());
    }
    let s = &lines[5];
    assert_eq!(s["type"], "summary");
    assert_eq!(
        (
            s["files"].as_u64(),
            s["records"].as_u64(),
            s["errors"].as_u64()
        ),
        (Some(2), Some(7), Some(5))
    );

    let o = run_path(&["check", "--max-diagnostics", "2"], &[&f], &[]);
    let out = stdout(&o);
    assert_eq!(out.lines().count(), 4, "{out}");
    assert!(out.contains("… and 3 more"), "{out}");
    assert!(out.contains("5 errors"), "{out}");
}

#[test]
fn check_reads_stdin() {
    let o = run_stdin(&["check", "-"], clean_file().as_bytes());
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("2 records"));
    let o = run_stdin(&["check", "-"], b"not a record\n");
    assert_eq!(code(&o), 1);
    assert!(
        stdout(&o).starts_with("<stdin>:1:0: error:"),
        "{}",
        stdout(&o)
    );
}

// ---------------------------------------------------------------------------------------------
// parse

#[test]
fn parse_jsonl_json_and_stdin() {
    let t = TempDir::new("parse");
    let f = t.file("a.PTT", clean_file());
    let o = run_path(&["parse"], &[&f], &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let items = json_lines(&stdout(&o));
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["type"], "record");
    assert!(items[0].get("file").is_none());
    assert!(
        stderr(&o).contains("parse: 1 file, 2 records, 0 errors, 0 warnings"),
        "{}",
        stderr(&o)
    );

    let o = run_path(&["parse", "--format", "json", "-q"], &[&f, &f], &[]);
    assert_eq!(code(&o), 0);
    let arr: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let arr = arr.as_array().unwrap();
    assert_eq!(arr.len(), 4);
    assert_eq!(arr[3]["file"], f.display().to_string());
    assert!(o.stderr.is_empty(), "-q: {}", stderr(&o));

    // An empty input is an empty array.
    let e = t.file("empty.PTT", "");
    let o = run_path(&["parse", "--format", "json"], &[&e], &[]);
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap(),
        serde_json::json!([])
    );

    let o = run_stdin(&["parse", "-"], clean_file().as_bytes());
    assert_eq!(code(&o), 0);
    assert_eq!(json_lines(&stdout(&o)).len(), 2);
}

#[test]
fn parse_errors_go_to_stderr_and_exit_1() {
    let t = TempDir::new("parse-err");
    let mut text = clean_file();
    text.push_str(&rec(&id(1950, 5, 5, 55), &["999xx"]));
    let f = t.file("a.PTT", text);
    let o = run_path(&["parse"], &[&f], &[]);
    assert_eq!(code(&o), 1);
    assert_eq!(json_lines(&stdout(&o)).len(), 3);
    assert!(
        stderr(&o).contains(":3:27: error: group 999: unknown group code"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn parse_csv_rows_of_one_group() {
    let t = TempDir::new("parse-csv");
    let f = t.file("a.PTT", clean_file());
    let o = run_path(
        &["parse", "--format", "csv", "--group", "013", "-q"],
        &[&f],
        &[],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    let rows: Vec<&str> = out.lines().collect();
    assert_eq!(rows[0], "file,line,person_id,code,change,date");
    let b = id(1990, 12, 31, 456);
    let name = f.display().to_string();
    assert_eq!(rows[1], format!("{name},2,{b},013,1,2017-02-22"));
    assert_eq!(rows[2], format!("{name},2,{b},013,1,1966-05"));
    assert_eq!(rows.len(), 3);

    let o = run_path(
        &["parse", "--format", "csv", "--group", "004", "-q"],
        &[&f],
        &[],
    );
    let mut rdr = csv::Reader::from_reader(&o.stdout[..]);
    let headers = rdr.headers().unwrap().clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        [
            "file",
            "line",
            "person_id",
            "code",
            "change",
            "last_name",
            "first_names",
            "updated",
            "special_characters"
        ]
    );
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0][5], "Nieminen");
    assert_eq!(&rows[0][6], "Maija");
    assert_eq!(&rows[0][7], "");

    // Groups of a continuation line carry that line's number.
    let a = id(1980, 3, 4, 123);
    let text = format!("{}{a}XXX20190101J101|00332|\r\n", rec(&a, &["00312"]));
    let c = t.file("cont.PTT", text);
    let o = run_path(
        &["parse", "--format", "csv", "--group", "003", "-q"],
        &[&c],
        &[],
    );
    let out = stdout(&o);
    let rows: Vec<&str> = out.lines().skip(1).collect();
    let name = c.display().to_string();
    assert_eq!(
        rows,
        [
            format!("{name},1,{a},003,1,2"),
            format!("{name},2,{a},003,3,2")
        ]
    );

    // 305 has two layouts: a layout column and the union of the field names.
    let o = run_path(
        &["parse", "--format", "csv", "--group", "305", "-q"],
        &[&f],
        &[],
    );
    let header = stdout(&o).lines().next().unwrap().to_string();
    assert!(
        header.starts_with("file,line,person_id,code,change,layout,guardian_id,"),
        "{header}"
    );
    assert!(
        header.contains("decision_date") && header.contains("residence_end"),
        "{header}"
    );
}

// ---------------------------------------------------------------------------------------------
// stats

#[test]
fn stats_text_and_json() {
    let t = TempDir::new("stats");
    let mut text = String::from("'''ENVELOPE'''\r\n");
    text.push_str(&clean_file());
    text.push_str("short\r\n");
    // The same person again, and a continuation line.
    let a = id(1980, 3, 4, 123);
    text.push_str(&rec(&a, &["00312"]));
    text.push_str(&format!("{a}XXX20190101J101|00332|\r\n"));
    let f = t.file("a.PTT", &text);
    let o = run_path(&["stats", "--format", "json"], &[&f], &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let s = &v["files"][0];
    assert_eq!(s["records"], 3);
    assert_eq!(s["distinct_persons"], 2);
    assert_eq!(s["lines"], 6);
    assert_eq!(s["continuation_lines"], 1);
    assert_eq!(s["envelope_lines"], 1);
    assert_eq!(s["malformed_lines"], 1);
    assert_eq!(s["group_codes"]["003"]["total"], 4);
    assert_eq!(s["group_codes"]["003"]["by_change"]["1"], 3);
    assert_eq!(s["group_codes"]["003"]["by_change"]["3"], 1);
    assert_eq!(s["group_codes"]["013"]["by_change"]["1"], 2);
    assert_eq!(s["events"]["XXX"], 3);
    assert_eq!(s["change_types"]["1"], 3);
    assert_eq!(s["registration_dates"]["min"], "2017-02-08");
    assert_eq!(s["registration_dates"]["max"], "2017-02-08");
    assert_eq!(s["diagnostics"]["by_kind"]["short_line"], 1);
    assert_eq!(s["bytes"], text.len());
    assert!(s["mb_per_second"].is_number());
    assert_eq!(v["total"]["records"], 3);

    let o = run_path(&["stats"], &[&f, &f], &[]);
    let out = stdout(&o);
    assert!(out.contains("distinct persons     2"), "{out}");
    assert!(out.contains("total (2 files)"), "{out}");
    assert!(out.contains("records              6"), "{out}");
    assert!(out.contains("attr 1") && out.contains("attr 3"), "{out}");
}

// ---------------------------------------------------------------------------------------------
// roundtrip

#[test]
fn roundtrip_identical_and_differences() {
    let t = TempDir::new("roundtrip");
    let f = t.file("a.PTT", clean_file());
    let o = run_path(&["roundtrip"], &[&f, &f], &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).contains("2 files identical"), "{}", stderr(&o));

    // A line over the length limit is skipped by the reader: the rewrite differs there.
    let mut text = clean_file();
    text.push_str(&format!("{}\r\n", "x".repeat(300)));
    text.push_str(&rec(&id(1999, 9, 9, 99), &["00312"]));
    let g = t.file("long.PTT", &text);
    let o = run_path(&["roundtrip", "--max-line-length", "250"], &[&f, &g], &[]);
    assert_eq!(code(&o), 1);
    let err = stderr(&o);
    assert!(
        err.contains(&format!("{}:3:0: differs", g.display())),
        "{err}"
    );
    assert!(
        err.contains("1 file identical, 1 file with differences"),
        "{err}"
    );

    let o = run_stdin(&["roundtrip", "-"], clean_file().as_bytes());
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}

#[test]
fn roundtrip_output_and_transcoding() {
    let t = TempDir::new("transcode");
    let person = id(1966, 5, 1, 222);
    let latin1: Vec<u8> = {
        let mut v = rec(&person, &[&name_group("Pxlxmxki", "Tarja")]).into_bytes();
        for b in v.iter_mut().filter(|b| **b == b'x') {
            *b = 0xE4; // ä in ISO-8859-1
        }
        v
    };
    let f = t.file("a.PTT", &latin1);
    // Same encoding: the copy is identical.
    let copy = t.0.join("copy.PTT");
    let o = run_path(&["roundtrip", "--output"], &[&copy, &f], &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(std::fs::read(&copy).unwrap(), latin1);
    // Transcode to UTF-8: not compared, the output is the UTF-8 text.
    let utf8 = t.0.join("a.PTT_001.PART");
    let o = run_path(
        &["roundtrip", "--to-encoding", "utf8", "--output"],
        &[&utf8, &f],
        &[],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).contains("1 file transcoded"), "{}", stderr(&o));
    let text = String::from_utf8(std::fs::read(&utf8).unwrap()).unwrap();
    assert!(text.contains("Pälämäki"), "{text}");
    // And back: the .PART is read as UTF-8 and rewritten as Latin-1.
    let back = t.0.join("back.PTT");
    let o = run_path(
        &["roundtrip", "--to-encoding", "latin1", "--output"],
        &[&back, &utf8],
        &[],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(std::fs::read(&back).unwrap(), latin1);
    // A character Latin-9 lacks (¤, 0xA4) cannot be transcoded: exit 1, reported by line.
    let mut odd = latin1.clone();
    let at = odd.iter().position(|&b| b == 0xE4).unwrap();
    odd[at] = 0xA4;
    let g = t.file("odd.PTT", &odd);
    let out9 = t.0.join("odd9.PTT");
    let o = run_path(
        &["roundtrip", "--to-encoding", "latin9", "--output"],
        &[&out9, &g],
        &[],
    );
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!("{}:1:0: error:", g.display())),
        "{}",
        stderr(&o)
    );
    // Output onto an input is refused.
    let o = run_path(&["roundtrip", "--output"], &[&f, &f], &[]);
    assert_eq!(code(&o), 2);
    assert_eq!(std::fs::read(&f).unwrap(), latin1);
}

// ---------------------------------------------------------------------------------------------
// idlist

#[test]
fn idlist_make_and_check() {
    let t = TempDir::new("idlist");
    let a1 = id(1990, 5, 1, 901);
    let a2 = id(1985, 2, 3, 40);
    let r1 = id(1970, 7, 8, 555);
    let adds = t.file("add.txt", format!("{a1}\n\n  {a2}  \r\n{a1}\n"));
    let removes = t.file("remove.txt", format!("{r1}\n{a2}\n"));
    let out = t.0.join("list.HTT");
    let o = run(&[
        "idlist",
        "make",
        "--add",
        adds.to_str().unwrap(),
        "--remove",
        removes.to_str().unwrap(),
        "--timestamp",
        "201711161327",
        "--sender",
        "TESTI01",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    assert!(stderr(&o).contains("1 duplicate"), "{}", stderr(&o));
    let bytes = std::fs::read(&out).unwrap();
    let list = idlist::parse_strict(&bytes).unwrap();
    let entries: Vec<(String, Action)> = list
        .entries
        .iter()
        .map(|e| (String::from_utf8(e.id.to_vec()).unwrap(), e.action))
        .collect();
    assert_eq!(
        entries,
        [
            (a1.clone(), Action::Add),
            (a2.clone(), Action::Add),
            (r1.clone(), Action::Remove),
            (a2.clone(), Action::Remove)
        ]
    );
    let header = list.header.as_ref().unwrap();
    assert_eq!(header.sender_id(), Some("TESTI01"));
    assert_eq!(header.timestamp_raw(), Some(&b"201711161327"[..]));
    assert_eq!(list.trailer.unwrap().count, Some(4));

    let o = run_path(&["idlist", "check"], &[&out], &[]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    assert!(
        stdout(&o).contains("1 file, 4 entries (2 add, 2 remove), 0 errors, 0 warnings"),
        "{}",
        stdout(&o)
    );

    // CRLF, stdout, only removes, default timestamp.
    let o = run(&[
        "idlist",
        "make",
        "--remove",
        removes.to_str().unwrap(),
        "--line-ending",
        "crlf",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let list = idlist::parse_strict(&o.stdout).unwrap();
    assert_eq!(list.entries.len(), 2);
    assert!(o.stdout.windows(2).any(|w| w == b"\r\n"));
    // Ids from stdin.
    let o = run_stdin(
        &["idlist", "make", "--add", "-"],
        format!("{a1}\n").as_bytes(),
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(idlist::parse_strict(&o.stdout).unwrap().entries.len(), 1);
}

#[test]
fn idlist_make_rejects_invalid_ids_by_position() {
    let t = TempDir::new("idlist-bad");
    let good = id(1990, 5, 1, 901);
    let mut bad = good.clone().into_bytes();
    bad[10] = if bad[10] == b'A' { b'B' } else { b'A' };
    let bad = String::from_utf8(bad).unwrap();
    let adds = t.file("add.txt", format!("{good}\n\n {bad}\n"));
    let out = t.0.join("out.HTT");
    let o = run(&[
        "idlist",
        "make",
        "--add",
        adds.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 1);
    let err = stderr(&o);
    assert!(
        err.contains(&format!(
            "{}:3:11: error: invalid identity code in the add list: check character",
            adds.display()
        )),
        "{err}"
    );
    assert!(
        !err.contains(&bad) && !err.contains(&good),
        "values leaked: {err}"
    );
    assert!(!out.exists(), "nothing is written");
    let o = run(&[
        "idlist",
        "make",
        "--add",
        adds.to_str().unwrap(),
        "--show-values",
    ]);
    assert!(stderr(&o).contains(&bad));
    assert!(o.stdout.is_empty());
}

#[test]
fn idlist_check_reports_positions() {
    let t = TempDir::new("idlist-check");
    let good = id(1990, 5, 1, 901);
    let mut bad = good.clone().into_bytes();
    bad[10] = if bad[10] == b'A' { b'B' } else { b'A' };
    let bad = String::from_utf8(bad).unwrap();
    let text = format!(
        "'''ED2'''VRK:003702454372:OVT'TIETO:0037OPHALL:OVT'201711161327'1'STX:INHOUSE'TYP:MUTPHT'NRQ:0'''\n{good}L\n{bad}P\n'''EOF'''3'"
    );
    let f = t.file("x.HTT", &text);
    let o = run_path(&["idlist", "check"], &[&f], &[]);
    assert_eq!(code(&o), 1);
    let out = stdout(&o);
    assert!(
        out.contains(&format!(
            "{}:3:10: error: invalid identity code",
            f.display()
        )),
        "{out}"
    );
    assert!(
        out.contains("trailer count is 3 but the file has 2 body lines"),
        "{out}"
    );
    assert!(!out.contains(&bad), "{out}");
    let o = run_path(&["idlist", "check", "--format", "json"], &[&f], &[]);
    let lines = json_lines(&stdout(&o));
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["type"], "diagnostic");
    assert_eq!(lines[0]["kind"], "invalid_id");
    assert_eq!(lines[0]["line"], 3);
    assert_eq!(lines[2]["type"], "summary");
    assert_eq!(lines[2]["errors"], 2);
    let o = run_stdin(&["idlist", "check", "-"], text.as_bytes());
    assert_eq!(code(&o), 1);
}

// ---------------------------------------------------------------------------------------------
// Broken pipes

/// Spawns the tool, reads one line of its stdout, closes the pipe, and checks that it ends with
/// exit 0 and no panic.
fn assert_quiet_on_broken_pipe(args: &[&str], input: &Path) {
    let mut child = Command::new(BIN)
        .args(args)
        .arg(input)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let err = std::thread::spawn(move || {
        let mut err = String::new();
        stderr.read_to_string(&mut err).unwrap();
        err
    });
    let stdout = child.stdout.take().unwrap();
    let mut first = String::new();
    BufReader::new(stdout).read_line(&mut first).unwrap();
    assert!(!first.is_empty(), "{args:?}");
    // The reader (and the pipe) was dropped at the end of the statement above.
    let status = child.wait().unwrap();
    let err = err.join().unwrap();
    assert_eq!(status.code(), Some(0), "{args:?}: {err}");
    assert!(!err.contains("panicked"), "{args:?}: {err}");
    assert!(!err.contains("Broken pipe"), "{args:?}: {err}");
}

#[test]
fn broken_pipe_ends_quietly() {
    let t = TempDir::new("pipe");
    let mut text = String::new();
    let line = rec(
        &id(1980, 3, 4, 123),
        &["00312", &name_group("Nieminen", "Maija"), "999xx"],
    );
    for _ in 0..20_000 {
        text.push_str(&line);
    }
    let f = t.file("big.PTT", &text);
    assert_quiet_on_broken_pipe(&["parse"], &f);
    assert_quiet_on_broken_pipe(&["parse", "--format", "json"], &f);
    assert_quiet_on_broken_pipe(&["parse", "--format", "csv", "--group", "004"], &f);
    assert_quiet_on_broken_pipe(&["check"], &f);
    assert_quiet_on_broken_pipe(&["check", "--format", "json"], &f);
    assert_quiet_on_broken_pipe(&["roundtrip", "--output", "-"], &f);
}

// ---------------------------------------------------------------------------------------------
// generate

#[test]
fn generated_files_check_clean_and_round_trip() {
    let t = TempDir::new("generate");
    for (name, extra) in [
        ("g.MTT", &[][..]),
        (
            "g.PTT_001.PART",
            &["--kind", "base", "--encoding", "utf8", "--envelope"],
        ),
    ] {
        let f = t.0.join(name);
        let mut args = vec![
            "generate",
            "--records",
            "300",
            "--seed",
            "7",
            "-o",
            f.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let o = run(&args);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        let o = run_path(&["check"], &[&f], &[]);
        assert_eq!(code(&o), 0, "{name}: {}", stdout(&o));
        assert!(stdout(&o).contains("300 records"), "{}", stdout(&o));
        let o = run_path(&["roundtrip"], &[&f], &[]);
        assert_eq!(code(&o), 0, "{name}: {}", stderr(&o));
        let o = run_path(&["stats", "--format", "json"], &[&f], &[]);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["total"]["records"], 300);
    }
}

// ---------------------------------------------------------------------------------------------
// Samples

#[test]
fn samples_check_roundtrip_and_stats() {
    let Some(files) = samples() else { return };
    let paths: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    // Every sample parses: only warnings (the hand-edited counts and the like).
    let o = run_path(&["check", "--format", "json"], &paths, &[]);
    let lines = json_lines(&stdout(&o));
    let summary = lines.last().unwrap();
    assert_eq!(summary["files"].as_u64(), Some(files.len() as u64));
    assert_eq!(summary["errors"], 0, "{}", stdout(&o));
    assert_eq!(summary["unreadable"], 0);
    let o = run_path(&["check", "--allow-warnings"], &paths, &[]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));

    let o = run_path(&["roundtrip"], &paths, &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!("{} files identical", files.len())),
        "{}",
        stderr(&o)
    );

    let ptt = Path::new(SAMPLES).join("OPHREK.PTT");
    let o = run_path(&["stats", "--format", "json"], &[&ptt], &[]);
    assert_eq!(code(&o), 0);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["files"][0]["records"], 25);
    assert_eq!(v["files"][0]["distinct_persons"], 25);
    let o = run_path(&["stats"], &[&ptt], &[]);
    assert!(
        stdout(&o).contains("records              25"),
        "{}",
        stdout(&o)
    );

    let htt = Path::new(SAMPLES).join("38950_20171116.HTT");
    let o = run_path(&["idlist", "check"], &[&htt], &[]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    assert!(
        stdout(&o).contains("15 entries (12 add, 3 remove)"),
        "{}",
        stdout(&o)
    );
}

/// `roundtrip --strict` that stops at an error has not rewritten the whole file: it differs.
#[test]
fn roundtrip_strict_stop_is_a_difference() {
    let odd = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/odd.MTT");
    for jobs in ["1", "2"] {
        let out = run(&["roundtrip", "--strict", "--jobs", jobs, odd]);
        assert_eq!(out.status.code(), Some(1), "--jobs {jobs}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("0 files identical, 1 file with differences"),
            "{stderr}"
        );
    }
}

/// A test that needs `../shared/samples` and cannot find it: fails when
/// `MUUTOSTIETO_REQUIRE_SAMPLES` is set (`.ci/run` sets it, where the folder exists), else says
/// so on stderr (`cargo test -- --nocapture` shows the line).
fn no_samples(what: &str) {
    if std::env::var_os("MUUTOSTIETO_REQUIRE_SAMPLES").is_some() {
        panic!("{what} is required (MUUTOSTIETO_REQUIRE_SAMPLES is set) but not found");
    }
    eprintln!("SKIPPED (not a pass): {what} not found");
}

/// An empty delivery is not silently fine: `check` warns (exit 1 unless `--allow-warnings`).
#[test]
fn check_warns_about_an_empty_input() {
    let t = TempDir::new("empty");
    let empty = t.file("empty.MTT", b"");
    let o = run_path(&["check"], &[&empty], &[]);
    assert_eq!(code(&o), 1, "{o:?}");
    assert!(stdout(&o).contains("empty input"), "{}", stdout(&o));
    let o = run_path(&["check", "--allow-warnings"], &[&empty], &[]);
    assert_eq!(code(&o), 0, "{o:?}");
    let o = run_path(&["check", "--format", "json"], &[&empty], &[]);
    let lines = json_lines(&stdout(&o));
    assert!(
        lines.iter().any(|l| l["kind"] == "empty_input"),
        "{lines:?}"
    );
}

/// A person-id list given to a change-file verb is refused with a pointer to `idlist check`,
/// instead of one header error per line.
#[test]
fn an_id_list_points_to_idlist_check() {
    let t = TempDir::new("htt");
    let list = format!(
        "'''ED2'''VRK:1:OVT'X:2:OVT'201711161327'1'STX:INHOUSE'TYP:MUTPHT'NRQ:0'''\n{}L\n{}P\n'''EOF'''2'",
        id(1980, 3, 4, 123),
        id(1990, 12, 31, 456)
    );
    let path = t.file("list.HTT", list);
    let o = run_path(&["check"], &[&path], &[]);
    assert_eq!(code(&o), 2, "{o:?}");
    assert!(
        stderr(&o).contains("muutostieto idlist check"),
        "{}",
        stderr(&o)
    );
    assert!(!stdout(&o).contains("header"), "{}", stdout(&o));
}

/// A UTF-8 file not named `.PART` is read as UTF-8 by `--encoding auto` (with a note), not as
/// ISO-8859-1 with an error per group; `--encoding latin1` still reads it as asked.
#[test]
fn auto_encoding_detects_utf8() {
    let t = TempDir::new("utf8");
    let text = rec(
        &id(1980, 3, 4, 123),
        &["00312", &name_group("Pälömäki", "Åsa")],
    );
    let path = t.file("utf8.MTT", text.as_bytes());
    let o = run_path(&["check"], &[&path], &[]);
    assert_eq!(code(&o), 0, "{o:?}");
    assert!(stderr(&o).contains("reading as UTF-8"), "{}", stderr(&o));
    let o = run_path(&["parse"], &[&path], &[]);
    assert!(stdout(&o).contains("Pälömäki"), "{}", stdout(&o));
    let o = run_path(&["check", "--encoding", "latin1"], &[&path], &[]);
    assert_eq!(code(&o), 1, "{o:?}");
    assert!(stderr(&o).contains("try --encoding utf8"), "{}", stderr(&o));
    // And the other way round: ISO-8859-1 read as UTF-8.
    let mut line = b"010101A900RXBX201702080101|0041P\xe4l\xf6m\xe4ki".to_vec();
    line.extend(std::iter::repeat_n(b' ', 92 + 100));
    line.extend_from_slice(b"00000000 |\r\n");
    let latin1 = t.file("latin1.MTT", line);
    let o = run_path(&["check", "--encoding", "utf8"], &[&latin1], &[]);
    assert!(
        stderr(&o).contains("try --encoding latin1"),
        "{}",
        stderr(&o)
    );
}

/// The text report of `stats` names what codes mean, as the JSON of `parse` does.
#[test]
fn stats_text_prints_code_meanings() {
    let base = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/base.PTT");
    let o = run(&["stats", base]);
    assert_eq!(code(&o), 0, "{o:?}");
    let text = stderr(&o) + &stdout(&o);
    assert!(text.contains("1 (new)"), "{text}");
    assert!(text.contains("XXX (base delivery record)"), "{text}");
}
