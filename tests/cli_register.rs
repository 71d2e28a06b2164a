//! The register from the command line: base + change files applied with `muutostieto apply`
//! and `show` compared with the expected state; a second apply refused; a killed apply
//! (abort before commit, and `kill -9` mid-file) leaves the database as before and the same
//! command run again completes it. On SQLite, and on PostgreSQL when
//! `MUUTOSTIETO_TEST_POSTGRES_URL` is set.
#![cfg(feature = "register")]

#[path = "register_support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use muutostieto::register::Register;
use support::*;

const A: &str = "010101-900R";
const B: &str = "020202A901T";
const C: &str = "030303-902Y";

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_muutostieto"))
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn write(dir: &Path, name: &str, lines: &[String]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, file(lines)).unwrap();
    p
}

fn show(db: &str, id: &str) -> serde_json::Value {
    let o = run(&["show", "--db", db, id]);
    assert!(o.status.success(), "show {id}: {}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// A base delivery and three change deliveries, and one base delivery holding the state the
/// rules say they give.
fn deliveries(dir: &Path) -> (Vec<PathBuf>, PathBuf) {
    let base = write(
        dir,
        "38950_PT170101OPHREK_001.PTT",
        &[
            line(
                A,
                "XXX",
                "20161231",
                '1',
                &[
                    g003('1', '2'),
                    g004('1', "Virtanen", "Aino"),
                    g007('1', "246", "19800101", "00000000"),
                    g101('1', "Kotikatu", "20000101", "00000000"),
                    g204('1', "091", "20000101"),
                ],
            ),
            line(
                C,
                "XXX",
                "20161231",
                '1',
                &[
                    g004('1', "Lapsi", "Leo"),
                    g305('1', A, "20150101", "00000000"),
                    g305('1', "", "20150101", "00000000"),
                    g451("19700101", "Smith", "John"),
                ],
            ),
        ],
    );
    let c1 = write(
        dir,
        "38950_20170201OPHREK_001.MTT",
        &[line(
            A,
            "XBX",
            "20170201",
            '0',
            &[
                // A move: the old address closed, the new one added, the municipality changed.
                g101('3', "Kotikatu", "20000101", "20170131"),
                g101('1', "Uusikatu", "20170201", "00000000"),
                g204('3', "049", "20170201"),
            ],
        )],
    );
    let c2 = write(
        dir,
        "38950_20170301OPHREK_001.MTT",
        &[
            line(
                A,
                "XAN",
                "20170301",
                '0',
                &[
                    g004('3', "Korhonen", "Aino"),
                    g007('1', "752", "20170301", "00000000"),
                ],
            ),
            line(
                C,
                "XBO",
                "20170301",
                '0',
                &[
                    g305('4', "", "20150101", "00000000"),
                    g451("19700101", "Smith", "John"),
                ],
            ),
        ],
    );
    let c3 = write(
        dir,
        "38950_20170401OPHREK_001.MTT",
        &[line(
            A,
            "XAZ",
            "20170401",
            '0',
            &[
                g001('1', B, '1'),
                g001('3', A, '2'),
                g004('0', "Korhonen", "Aino"),
            ],
        )],
    );
    let expected = write(
        dir,
        "expected.PTT",
        &[
            line(
                B,
                "XXX",
                "20170401",
                '1',
                &[
                    g001('1', B, '1'),
                    g001('3', A, '2'),
                    g003('1', '2'),
                    g004('3', "Korhonen", "Aino"),
                    g007('1', "246", "19800101", "00000000"),
                    g007('1', "752", "20170301", "00000000"),
                    g101('3', "Kotikatu", "20000101", "20170131"),
                    g101('1', "Uusikatu", "20170201", "00000000"),
                    g204('3', "049", "20170201"),
                ],
            ),
            line(
                C,
                "XXX",
                "20170301",
                '1',
                &[
                    g004('1', "Lapsi", "Leo"),
                    g305('1', A, "20150101", "00000000"),
                ],
            ),
        ],
    );
    (vec![base, c1, c2, c3], expected)
}

fn db_targets(test: &str, dir: &Path) -> Vec<String> {
    let mut out = vec![dir.join("register.sqlite").display().to_string()];
    match pg_url() {
        Some(base) => out.push(fresh_pg_database(&base, test)),
        None => note_pg_skipped(test),
    }
    out
}

fn expected_db(test: &str, dir: &Path) -> String {
    match pg_url() {
        Some(base) => fresh_pg_database(&base, &format!("{test}_expected")),
        None => dir.join("expected.sqlite").display().to_string(),
    }
}

#[test]
fn base_and_changes_give_the_state_the_rules_say() {
    let dir = temp_dir("cli-e2e");
    let (files, expected) = deliveries(&dir);
    let want_db = expected_db("e2e", &dir);
    let o = run(&["apply", "--db", &want_db, expected.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    for db in db_targets("e2e", &dir) {
        let mut args = vec!["apply", "--db", db.as_str()];
        args.extend(files.iter().map(|p| p.to_str().unwrap()));
        let o = run(&args);
        let err = stderr(&o);
        assert!(o.status.success(), "{err}");
        assert!(err.contains("1 re-keyed"), "{err}");
        assert!(!err.contains("Virtanen"), "no values in the summary");
        for (id, want) in [(B, B), (C, C)] {
            assert_eq!(show(&db, id), show(&want_db, want), "{id} on {db}");
        }
        let b = show(&db, B);
        let groups = b["tietoryhmat"].as_array().unwrap();
        let kotikunta = groups
            .iter()
            .find(|g| g["tietoryhma"] == "KOTIKUNTA")
            .unwrap();
        assert_eq!(kotikunta["kuntakoodi"], "049");
        // The old id: not held, re-keyed (noted, the new id shown).
        let o = run(&["show", "--db", &db, A]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(stderr(&o).contains("re-keyed"));
        // A person never held.
        let o = run(&["show", "--db", &db, "050505-904N"]);
        assert_eq!(o.status.code(), Some(1));
        assert!(stderr(&o).contains("not in the register"));
        // The history, under the new id: the base record and the three changes.
        let o = run(&["history", "--db", &db, B]);
        assert!(o.status.success());
        let text = String::from_utf8(o.stdout).unwrap();
        assert_eq!(text.lines().count(), 1 + 5 + 3 + 2 + 3, "{text}");
        assert!(
            text.contains(
                "38950_20170401OPHREK_001.MTT\t1\tXAZ\t2017-04-01\t0 (existing)\t001\t1 (added)"
            ),
            "{text}"
        );
        // A second apply of the same file is refused.
        let o = run(&["apply", "--db", &db, files[3].to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1));
        assert!(stderr(&o).contains("already applied"), "{}", stderr(&o));
        // Out of order.
        let o = run(&[
            "apply",
            "--db",
            &db,
            "--reapply",
            files[1].to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(1));
        let o = run(&["db", "status", "--db", &db]);
        assert!(o.status.success());
        let status = String::from_utf8(o.stdout).unwrap();
        assert!(status.contains("schema version: 1"), "{status}");
        assert!(status.contains("files applied: 4"), "{status}");
        assert!(status.contains("38950_20170301OPHREK_001.MTT"), "{status}");
    }
}

#[test]
fn stdin_and_rejected_lines_from_the_command_line() {
    let dir = temp_dir("cli-stdin");
    for db in db_targets("stdin", &dir) {
        let input = file(&[
            line(A, "XXX", "20170101", '1', &[g004('1', "Virtanen", "Aino")]),
            "not a record\r\n".to_string(),
        ]);
        let mut child = bin()
            .args(["apply", "--db", &db, "-"])
            .stdin(Stdio::piped())
            .stderr(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write as _;
        child.stdin.take().unwrap().write_all(&input).unwrap();
        let o = child.wait_with_output().unwrap();
        assert_eq!(o.status.code(), Some(1), "a rejected line: exit 1");
        assert!(stderr(&o).contains("1 line rejected"), "{}", stderr(&o));
        let o = run(&["db", "status", "--db", &db]);
        let status = String::from_utf8(o.stdout).unwrap();
        assert!(status.contains("<stdin>:2:0"), "{status}");
        assert!(!status.contains("not a record"));
        // Strict: refused, nothing applied.
        let input2 = file(&[
            line(A, "XBX", "20170201", '0', &[g004('3', "Korhonen", "Aino")]),
            "not a record either\r\n".to_string(),
        ]);
        let p = dir.join("strict.MTT");
        std::fs::write(&p, input2).unwrap();
        let o = run(&["apply", "--db", &db, "--strict", p.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1));
        assert!(
            stderr(&o).contains("--strict refuses the file"),
            "{}",
            stderr(&o)
        );
        let shown = show(&db, A);
        assert_eq!(shown["tietoryhmat"][0]["sukunimi"], "Virtanen");
    }
}

fn dump(db: &str) -> (muutostieto::register::Dump, usize) {
    let mut reg = Register::open(db).unwrap();
    (reg.dump().unwrap(), reg.files().unwrap().len())
}

#[test]
fn an_apply_that_dies_before_commit_leaves_the_database_as_before() {
    let dir = temp_dir("cli-abort");
    let (files, _) = deliveries(&dir);
    for db in db_targets("abort", &dir) {
        let o = run(&["apply", "--db", &db, files[0].to_str().unwrap()]);
        assert!(o.status.success());
        let before = dump(&db);
        let o = bin()
            .args(["apply", "--db", &db, files[1].to_str().unwrap()])
            .env("MUUTOSTIETO_TEST_CRASH_BEFORE_COMMIT", "1")
            .output()
            .unwrap();
        assert!(!o.status.success(), "the child died");
        assert!(o.status.code().is_none(), "by a signal (abort)");
        assert_eq!(dump(&db), before, "nothing of the file stays");
        let o = run(&["apply", "--db", &db, files[1].to_str().unwrap()]);
        assert!(
            o.status.success(),
            "the same command completes: {}",
            stderr(&o)
        );
        let after = dump(&db);
        assert_eq!(after.1, 2);
        assert_ne!(after.0, before.0);
    }
}

#[test]
fn kill_9_mid_file_leaves_the_database_as_before() {
    let dir = temp_dir("cli-kill");
    let big = dir.join("big.MTT");
    let o = run(&[
        "generate",
        "--records",
        "40000",
        "--profile",
        "real-shaped",
        "--seed",
        "5",
        "-o",
        big.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (files, _) = deliveries(&dir);
    for db in db_targets("kill", &dir) {
        let o = run(&["apply", "--db", &db, files[0].to_str().unwrap()]);
        assert!(o.status.success());
        let before = dump(&db);
        let mut child = bin()
            .args([
                "apply",
                "--db",
                &db,
                "--allow-out-of-order",
                "--jobs",
                "1",
                big.to_str().unwrap(),
            ])
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Kill it while it works (it needs seconds for 40 000 records).
        let start = Instant::now();
        std::thread::sleep(Duration::from_millis(700));
        let still_running = child.try_wait().unwrap().is_none();
        child.kill().unwrap(); // SIGKILL
        let status = child.wait().unwrap();
        if !still_running {
            eprintln!(
                "kill test: the apply finished in {:?} before the kill; not a mid-file kill",
                start.elapsed()
            );
            assert!(status.success());
            continue;
        }
        assert!(status.code().is_none(), "killed by a signal");
        assert_eq!(dump(&db), before, "nothing of the killed file stays ({db})");
        let o = run(&[
            "apply",
            "--db",
            &db,
            "--allow-out-of-order",
            big.to_str().unwrap(),
        ]);
        assert!(
            o.status.success(),
            "the same command completes: {}",
            stderr(&o)
        );
        let mut reg = Register::open(&db).unwrap();
        let files = reg.files().unwrap();
        assert_eq!(files.len(), 2);
        assert_eq!(files[1].records, 40000);
    }
}
