//! The options every reading verb takes.

use std::io;
use std::path::Path;

use clap::{Args, ValueEnum};
use muutostieto::{Encoding, Mode, ParseOptions};

use super::driver::{default_jobs, Jobs, DEFAULT_CHUNK};
use super::family::FamilyArgs;

/// The `--encoding` choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum EncodingArg {
    /// UTF-8 for `.PART` files (the Java consumer's re-encoded slices), ISO-8859-1 otherwise.
    #[default]
    Auto,
    /// ISO-8859-1, as DVV delivers.
    Latin1,
    /// ISO-8859-15.
    Latin9,
    /// UTF-8 (field widths count characters).
    Utf8,
}

impl EncodingArg {
    /// The encoding for a file.
    pub fn for_path(self, path: &Path) -> Encoding {
        match self {
            EncodingArg::Latin1 => Encoding::Latin1,
            EncodingArg::Latin9 => Encoding::Latin9,
            EncodingArg::Utf8 => Encoding::Utf8,
            EncodingArg::Auto => {
                let is_part = path
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("part"));
                if is_part {
                    Encoding::Utf8
                } else {
                    Encoding::Latin1
                }
            }
        }
    }
}

/// Options every reading verb takes.
#[derive(Debug, Clone, Args)]
pub struct ReadArgs {
    /// Input encoding; `auto` chooses per file: UTF-8 for `.PART`, ISO-8859-1 otherwise.
    #[arg(long, value_enum, default_value_t = EncodingArg::Auto)]
    pub encoding: EncodingArg,
    /// Stop each file at its first error; a wrong header group count is then an error (a
    /// warning otherwise).
    #[arg(long)]
    pub strict: bool,
    /// Include the offending values in diagnostics (they are personal data).
    #[arg(long)]
    pub show_values: bool,
    /// Longest line to read, in bytes; longer lines are reported and skipped.
    #[arg(long, default_value_t = 1 << 20, value_name = "BYTES")]
    pub max_line_length: usize,
    /// Threads that parse (default: the number of cores). With 1 the input is streamed in one
    /// thread; the output is the same either way.
    #[arg(short, long, value_name = "N", value_parser = parse_jobs)]
    pub jobs: Option<usize>,
    /// Bytes per chunk when reading in several threads (for tests).
    #[arg(long, hide = true, default_value_t = DEFAULT_CHUNK, value_name = "BYTES")]
    pub chunk_size: usize,
    #[command(flatten)]
    pub family: FamilyArgs,
}

/// `--jobs N`: a number of threads, 1 or more.
fn parse_jobs(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!("{s:?} is not a number of threads (1 or more)")),
    }
}

impl ReadArgs {
    /// Parse options for a file.
    pub fn options(&self, path: &Path) -> ParseOptions {
        ParseOptions {
            mode: if self.strict {
                Mode::Strict
            } else {
                Mode::Lenient
            },
            encoding: self.encoding.for_path(path),
            capture_values: self.show_values,
            max_line_len: self.max_line_length,
        }
    }

    /// The threads to read with (`--jobs`, by default every core).
    pub fn jobs(&self) -> io::Result<Jobs> {
        Jobs::new(self.jobs.unwrap_or_else(default_jobs), self.chunk_size)
    }
}
