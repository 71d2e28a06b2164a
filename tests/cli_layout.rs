//! Runs the `muutostieto` binary for record families: `layout show` and `layout check`,
//! `--layout FILE`, `--kind`, and detection of the family from each file's first record line.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use muutostieto::layout::LayoutFile;

const BIN: &str = env!("CARGO_BIN_EXE_muutostieto");
const TESTDATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata");

/// A temporary directory, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "muutostieto-cli-layout-{}-{name}",
            std::process::id()
        ));
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

/// A path as text (the test paths are UTF-8).
fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn testdata(name: &str) -> PathBuf {
    Path::new(TESTDATA).join(name)
}

fn run<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Output {
    Command::new(BIN)
        .args(args)
        .env_remove("CI")
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

fn json_lines(s: &str) -> Vec<serde_json::Value> {
    s.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn stats_json(args: &[&str], files: &[&Path]) -> serde_json::Value {
    let mut a: Vec<&str> = vec!["stats", "--format", "json"];
    a.extend(args);
    a.extend(files.iter().map(|p| s(p)));
    let o = run(&a);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// The person layouts exported by `layout show person`.
fn person_layout(t: &TempDir) -> PathBuf {
    let o = run(&["layout", "show", "person"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    t.file("person.toml", &o.stdout)
}

// ---------------------------------------------------------------------------------------------
// layout show

#[test]
fn layout_show_toml_json_and_markdown() {
    for (kind, schema) in [
        ("person", muutostieto::person::schema()),
        ("building", muutostieto::building::schema()),
    ] {
        let o = run(&["layout", "show", kind]);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        let back =
            LayoutFile::load_with_kinds(&stdout(&o), &muutostieto::detect::field_kinds()).unwrap();
        assert_eq!(back.groups, schema.groups, "{kind}");
        assert_eq!(back.header, schema.header, "{kind}");
        assert_eq!(back.code_tables, schema.code_tables, "{kind}");
        // --format toml is the default.
        let o2 = run(&["layout", "show", kind, "--format", "toml"]);
        assert_eq!(o2.stdout, o.stdout);

        let o = run(&["layout", "show", kind, "--format", "json"]);
        assert_eq!(code(&o), 0);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["format"], "muutostieto-layout");
        assert_eq!(v["name"], kind);
        // The JSON is the same layout file as the TOML.
        let file: LayoutFile = serde_json::from_value(v).unwrap();
        assert_eq!(file, LayoutFile::from_schema(schema));

        let o = run(&["layout", "show", kind, "--format", "markdown"]);
        assert_eq!(code(&o), 0);
        let md = stdout(&o);
        assert!(md.starts_with(&format!("# {kind} record layouts")), "{md}");
        assert_eq!(md.matches("\n### ").count(), schema.groups.len());
    }
    // Both layouts of person group 305, in the table and as sections.
    let md = stdout(&run(&["layout", "show", "person", "--format", "markdown"]));
    assert_eq!(md.matches("| [305](#305-").count(), 2, "{md}");
    assert_eq!(md.matches("\n### 305-").count(), 2);

    for bad in [
        &["layout"][..],
        &["layout", "show"],
        &["layout", "show", "animal"],
        &["layout", "show", "person", "--format", "yaml"],
        &["layout", "check"],
    ] {
        let o = run(bad);
        assert_eq!(code(&o), 2, "{bad:?}");
        assert!(o.stdout.is_empty(), "{bad:?}");
    }
    let o = run(&["layout", "--help"]);
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).contains("layout show person > my.toml"));
}

// ---------------------------------------------------------------------------------------------
// layout check

#[test]
fn layout_check_good_bad_and_missing_files() {
    let t = TempDir::new("check");
    let good = person_layout(&t);
    let o = run(&["layout", "check", s(&good)]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        format!(
            "{}: ok (28 groups, 29 layouts, {} code tables)\n",
            good.display(),
            muutostieto::person::schema().code_tables.len()
        )
    );

    // Group 452's text made to overlap the change attribute.
    let text = std::fs::read_to_string(&good).unwrap();
    let at = text.find("code = \"452\"").unwrap();
    let field = at + text[at..].find("offset = 4").unwrap();
    let mut bad_text = text.clone();
    bad_text.replace_range(field..field + "offset = 4".len(), "offset = 3");
    let bad_line = 1 + bad_text[..field].matches('\n').count();
    let bad = t.file("bad.toml", &bad_text);
    let o = run(&["layout", "check", s(&bad), s(&good)]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    // The line of the offending [[group.field]] table (just above its offset).
    let reported: usize = lines[0]
        .strip_prefix(&format!("{}:", bad.display()))
        .and_then(|rest| rest.split(':').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        reported <= bad_line && reported + 6 > bad_line,
        "{reported} vs {bad_line}"
    );
    assert!(
        lines[0].ends_with("group 452, field text: offset 3 overlaps change, which ends at 4"),
        "{out}"
    );
    assert_eq!(
        lines[1],
        format!(
            "{}: ok (28 groups, 29 layouts, {} code tables)",
            good.display(),
            muutostieto::person::schema().code_tables.len()
        )
    );

    // Not TOML at all, and not UTF-8.
    let junk = t.file("junk.toml", "format = \"muutostieto-layout\"\nversion = \n");
    let latin = t.file("latin.toml", b"# \xe4\n");
    let o = run(&["layout", "check", s(&junk), s(&latin)]);
    assert_eq!(code(&o), 1);
    let out = stdout(&o);
    assert!(out.contains(&format!("{}:2: ", junk.display())), "{out}");
    assert!(
        out.contains(&format!("{}:1: not UTF-8 text", latin.display())),
        "{out}"
    );

    // A missing file is an I/O error (exit 2), reported on stderr; the others are still checked.
    let missing = t.0.join("missing.toml");
    let o = run(&["layout", "check", s(&missing), s(&bad)]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("missing.toml"), "{}", stderr(&o));
    assert!(stdout(&o).contains("overlaps change"));

    // stdin.
    let o = run_stdin(&["layout", "check", "-"], text.as_bytes());
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).starts_with("<stdin>: ok ("), "{}", stdout(&o));
}

// ---------------------------------------------------------------------------------------------
// --layout

#[test]
fn parse_with_the_exported_person_layout_gives_the_same_json() {
    let t = TempDir::new("same-json");
    let layout = person_layout(&t);
    for file in ["changes.MTT", "base.PTT", "odd.MTT"] {
        let data = testdata(file);
        let plain = run(&["parse", s(&data)]);
        let with = run(&["parse", "--layout", s(&layout), s(&data)]);
        assert_eq!(code(&with), code(&plain), "{file}: {}", stderr(&with));
        assert!(!plain.stdout.is_empty());
        // Same records, same diagnostics (odd.MTT has some), same summary.
        assert_eq!(stdout(&with), stdout(&plain), "{file}");
        assert_eq!(stderr(&with), stderr(&plain), "{file}");
    }
    // The other verbs take --layout too.
    let data = testdata("changes.MTT");
    for verb in ["check", "roundtrip", "stats"] {
        let o = run(&[verb, "--layout", s(&layout), s(&data)]);
        assert_eq!(code(&o), 0, "{verb}: {}{}", stdout(&o), stderr(&o));
    }
    let v = stats_json(&["--layout", layout.to_str().unwrap()], &[&data]);
    assert_eq!(v["files"][0]["family"], "layout");
    assert_eq!(v["files"][0]["records"], 300);
    // The first header field is a person id: the keys are persons.
    assert!(v["files"][0]["distinct_persons"].as_u64().unwrap() > 0);
    // CSV columns come from the layout file.
    let o = run(&[
        "parse",
        "--layout",
        s(&layout),
        "--format",
        "csv",
        "--group",
        "004",
        s(&data),
    ]);
    let plain = run(&["parse", "--format", "csv", "--group", "004", s(&data)]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).starts_with("file,line,person_id,code,change,last_name,"));
    assert_eq!(stdout(&o), stdout(&plain));
}

#[test]
fn a_widened_group_parses_a_file_written_to_it() {
    let t = TempDir::new("widened");
    // A user widens 452's text from 30 to 40 characters.
    let mut file = LayoutFile::from_schema(muutostieto::person::schema());
    let g = file.groups.iter_mut().find(|g| g.code == "452").unwrap();
    g.length = 44;
    g.fields.last_mut().unwrap().length = 40;
    let layout = t.file("wide.toml", file.to_toml().unwrap());
    let o = run(&["layout", "check", s(&layout)]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));

    let text = format!("{:<40}", "a longer plain-text clarification");
    let line = format!("010101A900RXBX201702080102|002098|4520{text}|\r\n");
    let data = t.file("wide.MTT", &line);
    let o = run(&["parse", "--layout", s(&layout), s(&data)]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let items = json_lines(&stdout(&o));
    let groups = items[0]["groups"].as_array().unwrap();
    assert_eq!(groups[0]["code"], "002");
    assert_eq!(groups[0]["qualifiers"][0]["code"], "452");
    assert_eq!(
        groups[0]["qualifiers"][0]["text"],
        "a longer plain-text clarification"
    );
    for verb in ["check", "roundtrip"] {
        let o = run(&[verb, "--layout", s(&layout), s(&data)]);
        assert_eq!(code(&o), 0, "{verb}: {}{}", stdout(&o), stderr(&o));
    }
    // The built-in layout sees a 452 of the wrong length.
    let o = run(&["check", s(&data)]);
    assert_eq!(code(&o), 1);
    assert!(stdout(&o).contains("group 452"), "{}", stdout(&o));
}

#[test]
fn a_bad_layout_file_is_a_usage_error_with_its_line() {
    let t = TempDir::new("bad-layout");
    let text = std::fs::read_to_string(person_layout(&t)).unwrap();
    let bad = t.file("bad.toml", text.replacen("length = 34", "length = 35", 1));
    let missing = t.0.join("missing.toml");
    let data = testdata("changes.MTT");
    for verb in ["parse", "check", "stats", "roundtrip"] {
        let o = run(&[verb, "--layout", s(&bad), s(&data)]);
        assert_eq!(code(&o), 2, "{verb}");
        let err = stderr(&o);
        let prefix = format!("muutostieto: error: {}:", bad.display());
        assert!(err.starts_with(&prefix), "{verb}: {err}");
        let line = err[prefix.len()..].split(':').next().unwrap();
        assert!(line.parse::<usize>().is_ok(), "{verb}: {err}");
        assert!(o.stdout.is_empty(), "{verb}");

        let o = run(&[verb, "--layout", s(&missing), s(&data)]);
        assert_eq!(code(&o), 2, "{verb}");
        assert!(stderr(&o).contains("missing.toml"), "{verb}");
    }
}

#[test]
fn kind_and_layout_together_are_a_usage_error() {
    let t = TempDir::new("both");
    let layout = person_layout(&t);
    let data = testdata("changes.MTT");
    for verb in ["parse", "check", "stats", "roundtrip"] {
        let o = run(&[verb, "--kind", "person", "--layout", s(&layout), s(&data)]);
        assert_eq!(code(&o), 2, "{verb}");
        assert!(stderr(&o).contains("cannot be used with"), "{verb}");
        assert!(o.stdout.is_empty());
        let o = run(&[verb, "--kind", "animal", data.to_str().unwrap()]);
        assert_eq!(code(&o), 2, "{verb}");
    }
}

// ---------------------------------------------------------------------------------------------
// Detection and --kind

#[test]
fn families_are_detected_per_file() {
    let person = testdata("changes.MTT");
    let base = testdata("base.PTT");
    let building = testdata("buildings.RMT");
    let building_base = testdata("buildings-base.RPT");
    let v = stats_json(&[], &[&person, &building, &base, &building_base]);
    let families: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["family"].as_str().unwrap())
        .collect();
    assert_eq!(families, ["person", "building", "person", "building"]);
    assert!(v["files"][0]["distinct_persons"].as_u64().unwrap() > 0);
    assert!(v["files"][1]["distinct_buildings"].as_u64().unwrap() > 0);
    assert_eq!(v["total"]["family"], "mixed");
    assert!(v["total"]["distinct_keys"].as_u64().unwrap() > 0);
    // Every file of both families checks clean and round-trips.
    for verb in ["check", "roundtrip"] {
        let o = run(&[verb, s(&person), s(&building), s(&building_base)]);
        assert_eq!(code(&o), 0, "{verb}: {}{}", stdout(&o), stderr(&o));
    }
    // stdin is detected too.
    let bytes = std::fs::read(&building).unwrap();
    let o = run_stdin(&["check", "-"], &bytes);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    let o = run_stdin(&["parse", "-"], &bytes);
    let items = json_lines(&stdout(&o));
    assert!(
        items[1]["header"]["building_id"].is_string(),
        "{}",
        items[1]
    );
    // Read as persons, a building file is full of errors.
    let o = run(&["check", "--kind", "person", s(&building)]);
    assert_eq!(code(&o), 1);
    let o = run(&["check", "--kind", "building", s(&person)]);
    assert_eq!(code(&o), 1);
}

#[test]
fn an_unknown_first_line_is_read_as_person_with_a_note() {
    let input = b"'''ENVELOPE'''\r\nnot a record line at all, but long enough\r\n";
    let o = run_stdin(&["parse", "-"], input);
    let err = stderr(&o);
    assert_eq!(err.matches("note:").count(), 1, "{err}");
    assert!(err.contains("reading as person records"), "{err}");
    let o = run_stdin(&["parse", "-q", "-"], input);
    assert!(!stderr(&o).contains("note:"), "{}", stderr(&o));
    // --kind: no detection, no note.
    let o = run_stdin(&["parse", "--kind", "person", "-"], input);
    assert!(!stderr(&o).contains("note:"), "{}", stderr(&o));
    // Empty files and envelope-only files have nothing to tell: no note.
    let o = run_stdin(&["check", "-"], b"'''ENVELOPE'''\r\n");
    assert_eq!(code(&o), 0);
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
}

#[test]
fn every_verb_reads_building_files() {
    let t = TempDir::new("building");
    let files = [testdata("buildings.RMT"), testdata("buildings-base.RPT")];
    for kind in [&["--kind", "building"][..], &[]] {
        let args = |verb: &str| {
            let mut a: Vec<std::ffi::OsString> = vec![verb.into()];
            a.extend(kind.iter().map(Into::into));
            a.extend(files.iter().map(|f| f.clone().into_os_string()));
            a
        };
        let o = run(&args("check"));
        assert_eq!(code(&o), 0, "{kind:?}: {}", stdout(&o));
        assert!(stdout(&o).contains("0 errors, 0 warnings"));

        let o = run(&args("parse"));
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        let items = json_lines(&stdout(&o));
        let records: Vec<_> = items.iter().filter(|i| i["type"] == "record").collect();
        assert!(records.len() > 100);
        assert!(records
            .iter()
            .all(|r| r["header"]["building_id"].is_string()));
        assert!(records.iter().all(|r| r["file"].is_string()));

        let o = run(&args("roundtrip"));
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        assert!(stderr(&o).contains("2 files identical"));

        let mut a = args("stats");
        a.extend(["--format".into(), "json".into()]);
        let o = run(&a);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["total"]["family"], "building");
        assert!(v["total"]["distinct_buildings"].as_u64().unwrap() > 0);
        assert!(v["total"]["group_codes"]["601"]["total"].as_u64().unwrap() > 0);
        assert_eq!(v["total"]["group_codes"]["701"]["name"], "apartment");
        assert!(v["total"]["events"].as_object().unwrap().len() > 1);
        assert!(v["total"]["registration_dates"]["min"].is_string());

        let o = run(&args("stats"));
        assert!(stdout(&o).contains("distinct buildings"), "{}", stdout(&o));

        let mut a = args("parse");
        a.extend([
            "--format".into(),
            "csv".into(),
            "--group".into(),
            "603".into(),
        ]);
        let o = run(&a);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        let out = stdout(&o);
        assert!(
            out.starts_with("file,line,building_id,code,change,address_ordinal,street_fi,"),
            "{out}"
        );
        assert!(out.lines().count() > 10);
    }

    // The exported building layout reads building files as the built-in one does.
    let o = run(&["layout", "show", "building"]);
    let layout = t.file("building.toml", &o.stdout);
    let data = testdata("buildings.RMT");
    let with = run(&["parse", "--layout", s(&layout), s(&data)]);
    let plain = run(&["parse", s(&data)]);
    assert_eq!(code(&with), 0, "{}", stderr(&with));
    assert_eq!(stdout(&with), stdout(&plain));

    // CSV of several families cannot share columns.
    let o = run(&[
        "parse",
        "--format",
        "csv",
        "--group",
        "601",
        s(&data),
        s(&testdata("changes.MTT")),
    ]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("give files of one family"),
        "{}",
        stderr(&o)
    );
    // A person group code is not a building group code.
    let o = run(&["parse", "--format", "csv", "--group", "004", s(&data)]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("no such group code in the building layouts"));
}
