//! Inputs and outputs of the verbs: files or stdin, buffered stdout, broken pipes.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use clap::Args;

/// Read buffer size: no larger than the first read `read_to_end` makes (8 KiB), so that every
/// read of the chunker bypasses the buffer (no copy); peeking at a file's start needs no more.
const READ_BUF_SIZE: usize = 8 * 1024;
/// Write buffer size.
const BUF_SIZE: usize = 64 * 1024;

/// Input files: at least one; `-` is stdin.
#[derive(Debug, Clone, Args)]
pub struct Files {
    /// Input files; `-` reads stdin.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

/// An opened input and its size when known.
pub struct Input {
    /// The buffered reader.
    pub reader: Box<dyn BufRead>,
    /// The file size (`None` for stdin and other streams).
    pub len: Option<u64>,
}

/// Opens a file, or stdin for `-`. Errors name the file.
pub fn open(path: &Path) -> io::Result<Input> {
    if path == Path::new("-") {
        return Ok(Input {
            reader: Box::new(BufReader::with_capacity(READ_BUF_SIZE, io::stdin().lock())),
            len: None,
        });
    }
    let named = |e: io::Error| io::Error::new(e.kind(), format!("{}: {e}", path.display()));
    let file = File::open(path).map_err(named)?;
    let meta = file.metadata().map_err(named)?;
    if meta.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{}: is a directory", path.display()),
        ));
    }
    let len = meta.is_file().then_some(meta.len());
    Ok(Input {
        reader: Box::new(BufReader::with_capacity(READ_BUF_SIZE, file)),
        len,
    })
}

/// Opens a regular file through a read-only memory map (`--mmap`); stdin, other special
/// files and empty files are opened as [`open`] does. The chunker reads from the map as from
/// a file, so the items and the output are the same (tests/cli_jobs.rs).
#[allow(unsafe_code)]
pub fn open_mapped(path: &Path) -> io::Result<Input> {
    if path == Path::new("-") {
        return open(path);
    }
    let named = |e: io::Error| io::Error::new(e.kind(), format!("{}: {e}", path.display()));
    let file = File::open(path).map_err(named)?;
    let meta = file.metadata().map_err(named)?;
    if !meta.is_file() || meta.len() == 0 {
        return open(path);
    }
    // SAFETY: the map is read-only and private to this process, and only read as bytes. If
    // another program truncates the file while it is mapped, reading past the new end raises
    // SIGBUS and ends the process: the flag's help says so, and it is not the default.
    let map = unsafe { memmap2::Mmap::map(&file) }.map_err(named)?;
    #[cfg(unix)]
    let _ = map.advise(memmap2::Advice::Sequential);
    Ok(Input {
        reader: Box::new(io::Cursor::new(map)),
        len: Some(meta.len()),
    })
}

/// Reads a whole input (for `.HTT` lists and id lists, which are small). Errors name the file.
pub fn read_all(path: &Path) -> io::Result<Vec<u8>> {
    let mut input = open(path)?;
    let mut bytes = Vec::with_capacity(input.len.unwrap_or(0) as usize);
    input
        .reader
        .read_to_end(&mut bytes)
        .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", display_name(path))))?;
    Ok(bytes)
}

/// The name to show for an input.
pub fn display_name(path: &Path) -> String {
    if path == Path::new("-") {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    }
}

/// Buffered stdout (or a file): the data output of a verb.
pub fn stdout() -> io::BufWriter<io::StdoutLock<'static>> {
    io::BufWriter::with_capacity(BUF_SIZE, io::stdout().lock())
}

/// Creates an output file, or stdout for `-`.
pub fn create(path: &Path) -> io::Result<Box<dyn Write>> {
    if path == Path::new("-") {
        return Ok(Box::new(stdout()));
    }
    let file = File::create(path)
        .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
    Ok(Box::new(io::BufWriter::with_capacity(BUF_SIZE, file)))
}

/// True for an error caused by a closed output pipe (e.g. `| head`), also when wrapped by
/// serde_json, csv or another I/O error.
pub fn is_broken_pipe(e: &io::Error) -> bool {
    if e.kind() == io::ErrorKind::BrokenPipe {
        return true;
    }
    let mut inner: Option<&(dyn std::error::Error + 'static)> = e.get_ref().map(|i| i as _);
    while let Some(err) = inner {
        if let Some(io) = err.downcast_ref::<io::Error>() {
            if io.kind() == io::ErrorKind::BrokenPipe {
                return true;
            }
        }
        if let Some(csv) = err.downcast_ref::<csv::Error>() {
            if let csv::ErrorKind::Io(io) = csv.kind() {
                if io.kind() == io::ErrorKind::BrokenPipe {
                    return true;
                }
            }
        }
        if let Some(json) = err.downcast_ref::<serde_json::Error>() {
            if json.io_error_kind() == Some(io::ErrorKind::BrokenPipe) {
                return true;
            }
        }
        inner = err.source();
    }
    false
}

/// A serde_json error as an I/O error (the original I/O error when there is one).
pub fn json_err(e: serde_json::Error) -> io::Error {
    io::Error::from(e)
}

/// A csv error as an I/O error (the original I/O error when there is one).
pub fn csv_err(e: csv::Error) -> io::Error {
    if matches!(e.kind(), csv::ErrorKind::Io(_)) {
        if let csv::ErrorKind::Io(io) = e.into_kind() {
            return io;
        }
        return io::Error::other("csv output failed");
    }
    io::Error::other(e)
}
