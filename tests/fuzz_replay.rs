//! Replays the fuzz corpora and crash files through the fuzz targets' own checks
//! (`fuzz/src/lib.rs`): every file in `fuzz/corpus/<target>/` and `fuzz/artifacts/<target>/`
//! goes through the checks of `<target>` (`record`, `reader`, `roundtrip`, `families`,
//! `idlist`; folders of other names through all of them).
//!
//! The corpus is committed: about 750 small files (1 MB) made from `testdata/` and hand-written
//! inputs (`fuzz/seed.sh`) by 150 s of fuzzing per target, minimised to a set that still reaches
//! every edge the fuzzer reached. A target's test fails when it replayed no file from
//! `fuzz/corpus/<target>/`, so a missing corpus cannot pass unnoticed; each test prints how many
//! files it replayed (`cargo test --test fuzz_replay -- --nocapture`). Crash files
//! (`fuzz/artifacts/<target>/`) are committed while their bug is open; there are usually none.
//!
//! To refresh the corpus (nightly Rust and `cargo install cargo-fuzz`; one fuzzer at a time):
//! `fuzz/seed.sh`, then in `fuzz/` for each target
//! `cargo +nightly fuzz run <target> -- -max_total_time=150 -max_len=4096 -jobs=1 -workers=1`
//! and `cargo +nightly fuzz cmin <target> -- -set_cover_merge=1 -use_counters=0`, and commit
//! `fuzz/corpus` with `git add -A` (details in `fuzz/seed.sh`).
//!
//! Crash files are always all replayed. Corpus files: all of them in release builds
//! (`cargo test --release --test fuzz_replay`), at most 300 per folder (evenly spread) in debug
//! builds, to keep `cargo test` short with a large local corpus (10 000 files take about 20 s in
//! debug). `MUUTOSTIETO_REPLAY_MAX=N` sets the cap (`0`: no cap).

use std::path::{Path, PathBuf};

#[allow(dead_code)]
#[path = "../fuzz/src/lib.rs"]
mod checks;

fn files(dir: &Path, max: Option<usize>) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    match max {
        Some(max) if files.len() > max && max > 0 => {
            let step = files.len() as f64 / max as f64;
            (0..max)
                .map(|i| files[(i as f64 * step) as usize].clone())
                .collect()
        }
        Some(0) => Vec::new(),
        _ => files,
    }
}

/// Replays `target`'s corpus and crash files through `check`; returns how many of each.
fn replay(target: &str, check: fn(&[u8])) -> (usize, usize) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let max = match std::env::var("MUUTOSTIETO_REPLAY_MAX")
        .ok()
        .and_then(|s| s.parse::<usize>().ok())
    {
        Some(0) => None,
        Some(n) => Some(n),
        None if cfg!(debug_assertions) => Some(300),
        None => None,
    };
    let run = |folder: &str, limit| {
        let paths = files(&root.join(folder).join(target), limit);
        for path in &paths {
            let data = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            if std::panic::catch_unwind(|| check(&data)).is_err() {
                panic!("{target}: {} fails its checks", path.display());
            }
        }
        paths.len()
    };
    let corpus = run("corpus", max);
    let artifacts = run("artifacts", None);
    eprintln!("{target}: replayed {corpus} corpus files and {artifacts} crash files");
    (corpus, artifacts)
}

/// A fuzz target's test: its corpus must not be empty (it is committed).
fn replay_target(target: &str, check: fn(&[u8])) {
    let (corpus, _) = replay(target, check);
    assert!(
        corpus > 0,
        "replayed 0 corpus files for {target}: is fuzz/corpus missing?"
    );
}

#[test]
fn record() {
    replay_target("record", checks::record);
}

#[test]
fn reader() {
    replay_target("reader", checks::reader);
}

#[test]
fn roundtrip() {
    replay_target("roundtrip", checks::roundtrip);
}

#[test]
fn idlist() {
    replay_target("idlist", checks::idlist);
}

#[test]
fn families() {
    replay_target("families", checks::families);
}

/// Folders of other names (e.g. a new target's) go through every check; they may be empty.
#[test]
fn other_folders() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    for folder in ["corpus", "artifacts"] {
        let Ok(entries) = std::fs::read_dir(root.join(folder)) else {
            continue;
        };
        for e in entries.filter_map(Result::ok) {
            let name = e.file_name().to_string_lossy().into_owned();
            if e.path().is_dir()
                && !["record", "reader", "roundtrip", "idlist", "families"].contains(&name.as_str())
            {
                replay(&name, checks::all);
            }
        }
    }
}
