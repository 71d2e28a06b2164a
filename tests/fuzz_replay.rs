//! Replays the fuzz corpora and crash files through the fuzz targets' own checks
//! (`fuzz/src/lib.rs`): every file in `fuzz/corpus/<target>/` and `fuzz/artifacts/<target>/`
//! goes through the checks of `<target>` (`record`, `reader`, `roundtrip`, `idlist`; files
//! elsewhere through all of them). Folders that are absent (a fresh clone: corpora are not
//! committed) are skipped quietly.
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

fn replay(target: &str, check: fn(&[u8])) {
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
    let mut n = 0;
    for (folder, limit) in [("corpus", max), ("artifacts", None)] {
        for path in files(&root.join(folder).join(target), limit) {
            let data = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            if std::panic::catch_unwind(|| check(&data)).is_err() {
                panic!("{target}: {} fails its checks", path.display());
            }
            n += 1;
        }
    }
    if n > 0 {
        eprintln!("{target}: replayed {n} files");
    }
}

#[test]
fn record() {
    replay("record", checks::record);
}

#[test]
fn reader() {
    replay("reader", checks::reader);
}

#[test]
fn roundtrip() {
    replay("roundtrip", checks::roundtrip);
}

#[test]
fn idlist() {
    replay("idlist", checks::idlist);
}

#[test]
fn families() {
    replay("families", checks::families);
}

/// Folders of other names (e.g. a new target's) go through every check.
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
