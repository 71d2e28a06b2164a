//! What the verbs share: input files or stdin, encodings, and streaming items.

use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::path::Path;

use clap::{Args, ValueEnum};
use muutostieto::read::{Item, Reader, RecordBuf};
use muutostieto::{Diagnostic, Encoding, Mode, ParseOptions};

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
    /// Input encoding.
    #[arg(long, value_enum, default_value_t = EncodingArg::Auto)]
    pub encoding: EncodingArg,
    /// Stop at the first error; a wrong header group count is an error (a warning otherwise).
    #[arg(long)]
    pub strict: bool,
    /// Include the offending values in diagnostics (they are personal data).
    #[arg(long)]
    pub show_values: bool,
    /// Longest line to read, in bytes; longer lines are reported and skipped.
    #[arg(long, default_value_t = 1 << 20, value_name = "BYTES")]
    pub max_line_length: usize,
}

impl ReadArgs {
    /// Parse options for a file.
    pub fn options(&self, path: &Path) -> ParseOptions {
        ParseOptions {
            mode: if self.strict { Mode::Strict } else { Mode::Lenient },
            encoding: self.encoding.for_path(path),
            capture_values: self.show_values,
            max_line_len: self.max_line_length,
        }
    }
}

/// Opens a file, or stdin for `-`.
pub fn open(path: &Path) -> io::Result<Box<dyn BufRead>> {
    if path == Path::new("-") {
        Ok(Box::new(BufReader::with_capacity(256 * 1024, io::stdin().lock())))
    } else {
        let file = File::open(path).map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
        Ok(Box::new(BufReader::with_capacity(256 * 1024, file)))
    }
}

/// The name to show for an input.
pub fn display_name(path: &Path) -> String {
    if path == Path::new("-") {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    }
}

/// What happened to one item, handed to a verb's callback.
pub struct Step<'a, 'd> {
    /// The item, or the error that stopped strict parsing; `None` for diagnostics about lines
    /// skipped at the end of the input.
    pub item: Option<Result<Item<'a>, muutostieto::Error>>,
    /// The item's raw bytes (line endings included).
    #[allow(dead_code)] // used by the roundtrip and stats verbs
    pub raw: &'a [u8],
    /// Diagnostics found in this item (and lines skipped before it).
    pub diagnostics: &'d [Diagnostic],
}

/// Streams every item of a file through `f`, in constant memory, and returns the bytes read.
/// Stops after a strict-mode error. Diagnostics about skipped lines at the end of the input come
/// in a last step with no item.
pub fn for_each_item(
    path: &Path,
    opts: ParseOptions,
    mut f: impl FnMut(Step<'_, '_>) -> io::Result<()>,
) -> io::Result<u64> {
    let mut reader = Reader::new(open(path)?, opts);
    let mut buf = RecordBuf::default();
    let mut diags = Vec::new();
    loop {
        diags.clear();
        if !reader.read_item(&mut buf, &mut diags)? {
            if !diags.is_empty() {
                f(Step {
                    item: None,
                    raw: &[],
                    diagnostics: &diags,
                })?;
            }
            break;
        }
        let item = buf.parse(&opts, &mut diags);
        let failed = item.is_err();
        f(Step {
            item: Some(item),
            raw: buf.as_bytes(),
            diagnostics: &diags,
        })?;
        if failed {
            break;
        }
    }
    Ok(reader.bytes_read())
}

/// True for an error caused by a closed output pipe (e.g. `| head`).
pub fn is_broken_pipe(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::BrokenPipe
}
