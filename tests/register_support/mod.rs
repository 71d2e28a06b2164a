//! Shared by the register tests: databases to test against (SQLite always, PostgreSQL when
//! `MUUTOSTIETO_TEST_POSTGRES_URL` is set) and legacy lines built from readable parts.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

pub const PG_ENV: &str = "MUUTOSTIETO_TEST_POSTGRES_URL";

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A fresh, empty temporary directory.
pub fn temp_dir(label: &str) -> PathBuf {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!(
        "muutostieto-register-{label}-{}-{n}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The PostgreSQL server URL of the environment, if any.
pub fn pg_url() -> Option<String> {
    std::env::var(PG_ENV).ok().filter(|s| !s.is_empty())
}

/// Prints the skip notice for a test that would have used PostgreSQL (straight to stderr,
/// past the test harness's capture, so that `cargo test` shows it).
pub fn note_pg_skipped(test: &str) {
    use std::io::Write as _;
    let _ = writeln!(
        std::io::stderr(),
        "{test}: skipped: no PostgreSQL (set {PG_ENV})"
    );
}

/// A URL for a new, empty PostgreSQL database on the server of `base`.
pub fn fresh_pg_database(base: &str, label: &str) -> String {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let name = format!(
        "mt_{}_{}_{n}",
        label.replace(|c: char| !c.is_ascii_alphanumeric(), "_"),
        std::process::id()
    )
    .to_ascii_lowercase();
    let mut client = postgres::Client::connect(base, postgres::NoTls)
        .unwrap_or_else(|e| panic!("cannot connect to {PG_ENV}: {e}"));
    client
        .batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
        .unwrap();
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .unwrap();
    let (url, query) = match base.split_once('?') {
        Some((u, q)) => (u, Some(q)),
        None => (base, None),
    };
    let scheme_end = url.find("://").map_or(0, |i| i + 3);
    let root = match url[scheme_end..].find('/') {
        Some(slash) => &url[..scheme_end + slash],
        None => url,
    };
    match query {
        Some(q) => format!("{root}/{name}?{q}"),
        None => format!("{root}/{name}"),
    }
}

/// The databases a test runs against: an SQLite file, and a PostgreSQL database when the
/// environment names a server (otherwise a skip notice is printed).
pub fn targets(test: &str) -> Vec<String> {
    let dir = temp_dir(test);
    let mut out = vec![dir.join("register.sqlite").display().to_string()];
    match pg_url() {
        Some(base) => out.push(fresh_pg_database(&base, test)),
        None => note_pg_skipped(test),
    }
    out
}

/// A record line: header and groups, CRLF.
pub fn line(
    id: &str,
    event: &str,
    registered: &str,
    change_type: char,
    groups: &[String],
) -> String {
    assert_eq!(id.len(), 11, "test ids are 11 characters");
    let mut s = format!("{id}{event}{registered}{change_type}1{:02}|", groups.len());
    for g in groups {
        s.push_str(g);
        s.push('|');
    }
    s.push_str("\r\n");
    s
}

fn pad(s: &str, n: usize) -> String {
    let mut s = s.to_string();
    while s.chars().count() < n {
        s.push(' ');
    }
    s
}

pub fn g001(attr: char, id: &str, validity: char) -> String {
    format!("001{attr}{}{validity}", pad(id, 11))
}
pub fn g002(attr: char, lang: &str) -> String {
    format!("002{attr}{}", pad(lang, 2))
}
pub fn g003(attr: char, sex: char) -> String {
    format!("003{attr}{sex}")
}
pub fn g004(attr: char, last: &str, first: &str) -> String {
    format!("004{attr}{}{}00000000 ", pad(last, 100), pad(first, 100))
}
pub fn g007(attr: char, country: &str, start: &str, end: &str) -> String {
    format!("007{attr}{country}1{start}{end}")
}
pub fn g013(attr: char, date: &str) -> String {
    format!("013{attr}{date}")
}
pub fn g101(attr: char, street: &str, start: &str, end: &str) -> String {
    format!(
        "101{attr}{}{}{}A012 00100{start}{end}",
        pad(street, 100),
        pad("", 100),
        pad("5", 7)
    )
}
pub fn g204(attr: char, municipality: &str, moved: &str) -> String {
    format!("204{attr}{municipality}{moved}")
}
/// 305 in the layout before 2019-12-01 (43 characters).
pub fn g305(attr: char, guardian: &str, start: &str, end: &str) -> String {
    format!("305{attr}{}03 1{start}{end}00000000", pad(guardian, 11))
}
/// 305 in the layout from 2019-12-01 (50 characters).
pub fn g305_new(attr: char, guardian: &str, start: &str, end: &str) -> String {
    format!("305{attr}{}12{start}{end}1{start}{end}", pad(guardian, 11))
}
pub fn g320(attr: char, right: &str, start: &str) -> String {
    format!("320{attr}{right}{start}00000000")
}
pub fn g451(birth: &str, last: &str, first: &str) -> String {
    format!("4510{birth}1{}{}752", pad(last, 100), pad(first, 100))
}
pub fn g421(attr: char, address: &str, start: &str) -> String {
    format!("421{attr}99{}{start}00000000", pad(address, 255))
}

/// The lines joined into a file.
pub fn file(lines: &[String]) -> Vec<u8> {
    lines.concat().into_bytes()
}
