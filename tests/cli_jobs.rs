//! `--jobs`: reading in several threads gives the same stdout, stderr and exit status as
//! reading in one, for every verb that reads records, on generated, building, odd and random
//! files (continuation lines, envelope and malformed lines, over-long lines, CR-only line ends,
//! strict mode, stdin). Small `--chunk-size`s put chunk boundaries everywhere. Reading through
//! a memory map (`--mmap`) gives the same as reading with read calls.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_muutostieto");
const TESTDATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata");

/// A temporary directory, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("muutostieto-jobs-{}-{name}", std::process::id()));
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

/// Exit status, stdout and stderr of a run.
#[derive(Debug, PartialEq, Eq)]
struct Run {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: String,
}

fn run(args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut child = Command::new(BIN)
        .args(args)
        .env_remove("CI")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        let input = input.to_vec();
        std::thread::spawn(move || {
            let _ = pipe.write_all(&input);
        });
    }
    let o = child.wait_with_output().unwrap();
    let mut stdout = o.stdout;
    if args.first() == Some(&"stats") {
        stdout = without_timing(&stdout);
    }
    Run {
        code: o.status.code(),
        stdout,
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// `stats --format json` without the fields that depend on time.
fn without_timing(json: &[u8]) -> Vec<u8> {
    let mut v: serde_json::Value = serde_json::from_slice(json).unwrap();
    let strip = |s: &mut serde_json::Value| {
        let m = s.as_object_mut().unwrap();
        for k in ["elapsed_seconds", "mb_per_second", "records_per_second"] {
            assert!(m.remove(k).is_some(), "{k}");
        }
    };
    for f in v["files"].as_array_mut().unwrap() {
        strip(f);
    }
    strip(&mut v["total"]);
    serde_json::to_vec_pretty(&v).unwrap()
}

/// Runs `verb` on `input` (a file, or `-` with `stdin`) with `--jobs 1` and with several
/// threads and chunk sizes, and checks that every output is the same. Returns the `--jobs 1`
/// run.
fn assert_same(verb: &[&str], input: &Path, stdin: Option<&[u8]>, chunks: &[&str]) -> Run {
    let path = input.to_str().unwrap();
    let with = |jobs: &[&str]| {
        let mut args = verb.to_vec();
        args.extend_from_slice(jobs);
        args.push(path);
        run(&args, stdin)
    };
    let one = with(&["--jobs", "1"]);
    assert!(
        one.code.is_some_and(|c| c <= 1) && !one.stderr.contains("panicked"),
        "{verb:?} {path}: {one:?}"
    );
    // Reading through a memory map (`--mmap`) gives the same too.
    let mut variants: Vec<Vec<&str>> = vec![
        vec!["--jobs", "4"],
        vec!["--jobs", "1", "--mmap"],
        vec!["--jobs", "4", "--mmap"],
    ];
    for c in chunks {
        variants.push(vec!["--jobs", "3", "--chunk-size", c]);
    }
    for jobs in variants {
        let many = with(&jobs);
        if many != one {
            let (a, b) = (
                String::from_utf8_lossy(&one.stdout),
                String::from_utf8_lossy(&many.stdout),
            );
            panic!(
                "{verb:?} {jobs:?} {path}: differs from --jobs 1\n--- jobs 1 ({:?}):\n{a}\n{}\n--- \
                 {jobs:?} ({:?}):\n{b}\n{}",
                one.code, one.stderr, many.code, many.stderr
            );
        }
    }
    one
}

/// The verbs and formats that read records.
const VERBS: &[&[&str]] = &[
    &["check"],
    &["check", "--format", "json"],
    &["check", "--max-diagnostics", "2"],
    &["parse"],
    &["parse", "--format", "json"],
    &["parse", "--format", "csv", "--group", "004"],
    &["roundtrip", "--output", "-"],
    &["stats", "--format", "json"],
    &["check", "--strict"],
    &["parse", "--strict"],
    &["roundtrip", "--strict", "--output", "-"],
    &["stats", "--strict", "--format", "json"],
    &["convert"],
    &["convert", "--envelope", "--strict"],
];

fn assert_same_for_every_verb(input: &Path, extra: &[&str], chunks: &[&str]) {
    let building = input.to_str().unwrap().contains(".R");
    for verb in VERBS {
        // Building files are not converted.
        if building && verb[0] == "convert" {
            continue;
        }
        // The CSV verb names a group of the file's family (a usage error is no baseline).
        let verb: &[&str] = match *verb {
            ["parse", "--format", "csv", "--group", "004"] if building => {
                &["parse", "--format", "csv", "--group", "601"]
            }
            v => v,
        };
        let mut args = verb.to_vec();
        args.extend_from_slice(extra);
        assert_same(&args, input, None, chunks);
    }
}

fn generate(t: &TempDir, name: &str, args: &[&str]) -> PathBuf {
    let path = t.0.join(name);
    let mut all = vec!["generate", "-o", path.to_str().unwrap()];
    all.extend_from_slice(args);
    let o = run(&all, None);
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    path
}

#[test]
fn generated_file_with_continuations_and_envelope() {
    let t = TempDir::new("generated");
    let f = generate(
        &t,
        "g.MTT",
        &[
            "--records",
            "3000",
            "--continuation-every",
            "3",
            "--envelope",
        ],
    );
    assert_same_for_every_verb(&f, &[], &["4096", "100000"]);
    // Stdin, read in chunks too.
    let bytes = std::fs::read(&f).unwrap();
    for verb in [
        &["parse"][..],
        &["check", "--format", "json"],
        &["roundtrip"],
    ] {
        assert_same(verb, Path::new("-"), Some(&bytes), &["4096"]);
    }
    // Several files: `"file"` members in JSON, one summary.
    let g = generate(&t, "g.PTT", &["--records", "500", "--kind", "base"]);
    for verb in [&["parse", "--format", "json"][..], &["check"], &["stats"]] {
        let mut args = verb.to_vec();
        args.push(g.to_str().unwrap());
        if verb[0] == "stats" {
            args.extend(["--format", "json"]);
        }
        assert_same(&args, &f, None, &["5000"]);
    }
}

#[test]
fn building_odd_and_other_testdata_files() {
    for name in [
        "buildings.RMT",
        "buildings-base.RPT",
        "odd.MTT",
        "changes.MTT",
        "latin9.MTT",
        "utf8.PTT_001.PART",
    ] {
        let f = Path::new(TESTDATA).join(name);
        assert_same_for_every_verb(&f, &[], &["1", "2000"]);
    }
    let f = Path::new(TESTDATA).join("buildings.RMT");
    assert_same(
        &["parse", "--format", "csv", "--group", "601"],
        &f,
        None,
        &["1"],
    );
}

#[test]
fn over_long_lines_and_cr_line_ends() {
    let t = TempDir::new("long");
    let f = generate(
        &t,
        "g.MTT",
        &["--records", "2000", "--continuation-every", "4"],
    );
    let bytes = std::fs::read(&f).unwrap();
    // Every 37th line made too long, some between a record and its continuation lines.
    let mut long = Vec::new();
    for (i, line) in bytes.split_inclusive(|&b| b == b'\n').enumerate() {
        if i % 37 == 5 {
            long.extend_from_slice(&vec![b'x'; 700 + i]);
            long.extend_from_slice(b"\r\n");
        }
        long.extend_from_slice(line);
    }
    long.extend_from_slice(&[b'y'; 900]);
    let f = t.file("long.MTT", &long);
    assert_same_for_every_verb(&f, &["--max-line-length", "600"], &["1", "3000"]);
    // CR-only line ends (bare CR is a warning on every line).
    let cr: Vec<u8> = bytes.iter().copied().filter(|&b| b != b'\n').collect();
    let f = t.file("cr.MTT", &cr);
    assert_same_for_every_verb(&f, &[], &["1", "3000"]);
    assert_same(&["check"], Path::new("-"), Some(&cr), &["10000"]);
}

#[test]
fn skipped_line_ending_split_across_reads() {
    // The skipped line's CR ends a 64 KiB read and its LF starts the next one.
    let t = TempDir::new("split");
    let rec = b"010101A900RXBX201702080101|00312|\r\n";
    let mut bytes = rec.to_vec();
    bytes.resize(3 * 65536 - 1, b'x');
    bytes.extend_from_slice(b"\r\n");
    bytes.extend_from_slice(&rec.repeat(3));
    let f = t.file("split.MTT", &bytes);
    let one = assert_same(
        &["check", "--kind", "person", "--max-line-length", "1000"],
        &f,
        None,
        &["1"],
    );
    assert!(
        String::from_utf8_lossy(&one.stdout).contains("4 records, 4 groups, 1 error"),
        "{one:?}"
    );
}

#[test]
fn strict_mode_prints_nothing_after_the_first_error() {
    let t = TempDir::new("strict");
    let f = generate(&t, "g.MTT", &["--records", "3000"]);
    let mut bytes = std::fs::read(&f).unwrap();
    // An unknown group near the middle: an error.
    let at = bytes.len() / 2;
    let line_start = at + bytes[at..].iter().position(|&b| b == b'\n').unwrap() + 1;
    let bar = line_start + bytes[line_start..].iter().position(|&b| b == b'|').unwrap();
    bytes[bar + 1..bar + 4].copy_from_slice(b"999");
    let error_line = 1 + bytes[..line_start].iter().filter(|&&b| b == b'\n').count() as u64;
    let f = t.file("strict.MTT", &bytes);
    for verb in VERBS {
        assert_same(verb, &f, None, &["1", "5000"]);
    }
    let one = assert_same(&["parse", "--strict"], &f, None, &["5000"]);
    assert_eq!(one.code, Some(1));
    let items: Vec<serde_json::Value> = String::from_utf8(one.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(!items.is_empty());
    let last = items.last().unwrap()["line"].as_u64().unwrap();
    assert!(last < error_line, "{last} {error_line}");
    assert!(
        one.stderr.contains("stopped at the first error"),
        "{}",
        one.stderr
    );
}

#[test]
fn broken_pipe_ends_quietly_in_several_threads() {
    let t = TempDir::new("pipe");
    let f = generate(&t, "g.MTT", &["--records", "20000"]);
    for verb in [
        &["parse", "--jobs", "4"][..],
        &["parse", "--jobs", "4", "--format", "csv", "--group", "004"],
        &["roundtrip", "--jobs", "4", "--output", "-"],
    ] {
        let mut child = Command::new(BIN)
            .args(verb)
            .arg(&f)
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
        let mut first = Vec::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_until(b'\n', &mut first)
            .unwrap();
        assert!(!first.is_empty());
        let status = child.wait().unwrap();
        let err = err.join().unwrap();
        assert_eq!(status.code(), Some(0), "{verb:?}: {err}");
        assert!(
            !err.contains("panicked") && !err.contains("Broken pipe"),
            "{verb:?}: {err}"
        );
    }
}

#[test]
fn jobs_must_be_a_positive_number() {
    for bad in ["0", "x", "-1"] {
        let o = run(&["check", "--jobs", bad, "x.MTT"], None);
        assert_eq!(o.code, Some(2), "{bad}: {o:?}");
    }
}

/// A small random number generator (xorshift64*), so that failures can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The longest line the random files are read with.
const LIMIT: usize = 60;

/// A record line of `groups` groups (a wrong count now and then); `J` makes a continuation.
fn record_line(rng: &mut Rng, change_type: u8) -> Vec<u8> {
    let groups = 1 + rng.below(4) as usize;
    let count = if rng.below(8) == 0 {
        groups + 1
    } else {
        groups
    };
    let mut line =
        format!("010101A900RXBX20170208{}1{count:02}|", change_type as char).into_bytes();
    for _ in 0..groups {
        match rng.below(4) {
            0 => line.extend_from_slice(b"0131201702X2|"),
            1 => line.extend_from_slice(b"99912|"),
            _ => line.extend_from_slice(b"00312|"),
        }
    }
    line
}

/// A random file of record, continuation, envelope, malformed, empty and over-long lines with
/// every kind of line ending.
fn random_file(rng: &mut Rng) -> Vec<u8> {
    let lines = 1 + rng.below(25);
    let mut out = Vec::new();
    for i in 0..lines {
        let content = match rng.below(100) {
            0..=34 => {
                let change_type = if rng.below(2) == 0 { b'1' } else { b'0' };
                record_line(rng, change_type)
            }
            35..=54 => record_line(rng, b'J'),
            55..=61 => b"'''ENVELOPE'''".to_vec(),
            62..=69 => {
                let n = rng.below(30) as usize;
                (0..n).map(|_| b'a' + rng.below(26) as u8).collect()
            }
            70..=84 => vec![b'x'; LIMIT + 1 + rng.below(80) as usize],
            85..=92 => {
                let mut l = record_line(rng, b'J');
                l.resize(LIMIT + rng.below(3) as usize, b' ');
                l
            }
            _ => Vec::new(),
        };
        out.extend_from_slice(&content);
        let last = i + 1 == lines;
        match rng.below(10) {
            0..=4 => out.extend_from_slice(b"\r\n"),
            5..=6 => out.push(b'\n'),
            7..=8 => out.push(b'\r'),
            _ if last => {}
            _ => out.extend_from_slice(b"\r\n"),
        }
    }
    out
}

/// Random files, each read by every verb in one thread and in several with chunks of 1 and 40
/// bytes (a chunk boundary after almost every record).
/// `CLI_JOBS_RANDOM=N,S` reads N files per test from seeds varied by S instead.
fn random_files(seed: u64, count: usize, verbs: &[&[&str]]) {
    let (count, seed) = match std::env::var("CLI_JOBS_RANDOM") {
        Ok(v) => {
            let (n, s) = v.split_once(',').unwrap_or((&v, "0"));
            (n.parse().unwrap(), seed ^ s.parse::<u64>().unwrap())
        }
        Err(_) => (count, seed),
    };
    let t = TempDir::new(&format!("random-{seed}"));
    let mut rng = Rng(seed);
    let limit = LIMIT.to_string();
    for i in 0..count {
        let bytes = random_file(&mut rng);
        let f = t.file(&format!("r{i}.MTT"), &bytes);
        for verb in verbs {
            let mut args = verb.to_vec();
            args.extend(["--max-line-length", &limit, "--kind", "person"]);
            assert_same(&args, &f, None, &["1", "40"]);
        }
        // Stdin, and the family told from the first record line.
        let verb = verbs[i % verbs.len()];
        let mut args = verb.to_vec();
        args.extend(["--max-line-length", &limit]);
        assert_same(&args, Path::new("-"), Some(&bytes), &["1"]);
    }
}

#[test]
fn random_files_check() {
    random_files(
        0x9e37_79b9_7f4a_7c15,
        40,
        &[
            &["check"],
            &["check", "--format", "json", "--max-diagnostics", "3"],
            &["check", "--strict"],
        ],
    );
}

#[test]
fn random_files_parse() {
    random_files(
        0x2545_f491_4f6c_dd1d,
        40,
        &[
            &["parse"],
            &["parse", "--format", "json"],
            &["parse", "--format", "csv", "--group", "003"],
            &["parse", "--strict"],
        ],
    );
}

#[test]
fn random_files_roundtrip_and_stats() {
    random_files(
        0xd1b5_4a32_d192_ed03,
        40,
        &[
            &["roundtrip", "--output", "-"],
            &["roundtrip", "--strict"],
            &["stats", "--format", "json"],
        ],
    );
}
