//! What the verbs share: input files or stdin, encodings, streaming items with a progress bar,
//! buffered output, diagnostics on stderr and broken pipes.

use std::fmt::Display;
use std::fs::File;
use std::io::{self, BufRead, BufReader, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use muutostieto::read::{Item, Reader, RecordBuf};
use muutostieto::record::{Family, RecordOf};
use muutostieto::{Diagnostic, Encoding, Mode, ParseOptions};

use super::family::FamilyArgs;
use super::parallel::{default_jobs, Jobs, DEFAULT_CHUNK};

/// Inputs larger than this get a progress bar (when stderr is a terminal).
const PROGRESS_MIN_BYTES: u64 = 64 * 1024 * 1024;
/// Read and write buffer size.
const BUF_SIZE: usize = 256 * 1024;

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
            reader: Box::new(BufReader::with_capacity(BUF_SIZE, io::stdin().lock())),
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
        reader: Box::new(BufReader::with_capacity(BUF_SIZE, file)),
        len,
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

/// What happened to one item of a family `F`, handed to a verb's callback.
pub struct Step<'a, 'd, F: Family> {
    /// The item, or the error that stopped strict parsing; `None` for diagnostics about lines
    /// skipped at the end of the input.
    pub item: Option<Result<Item<'a, RecordOf<'a, F>>, muutostieto::Error>>,
    /// The item's raw bytes (line endings included; empty when `item` is `None`).
    pub raw: &'a [u8],
    /// The number of the item's first line (0 when `item` is `None`).
    pub first_line: u64,
    /// Diagnostics found in this item (and lines skipped before it).
    pub diagnostics: &'d [Diagnostic],
}

/// How reading one file ended.
#[derive(Debug, Clone, Copy)]
pub struct FileRead {
    /// Bytes consumed from the input.
    pub bytes: u64,
    /// Time spent reading and handling the file.
    pub elapsed: Duration,
}

/// Why streaming a file stopped early.
#[derive(Debug)]
pub enum StreamError {
    /// The input could not be opened or read: report it and go on with the next file.
    Input(io::Error),
    /// Writing the output failed (a closed pipe, a full disk): stop.
    Output(io::Error),
}

/// Streams every item of an opened input (`path` names it) through `f`, reading records of
/// `family`, in constant memory (one item and one line are held). Stops after a strict-mode
/// error. Diagnostics about skipped lines at the end of the input come in a last step with no
/// item. Errors returned by `f` are output errors.
///
/// Shows a progress bar on stderr for inputs over 64 MB when stderr is a terminal and `CI` is
/// not set; `report` prints above it.
pub fn for_each_item<F: Family>(
    family: F,
    path: &Path,
    input: Input,
    opts: ParseOptions,
    report: &mut Report,
    mut f: impl FnMut(Step<'_, '_, F>, &mut Report) -> io::Result<()>,
) -> Result<FileRead, StreamError> {
    let start = Instant::now();
    let bar = progress_bar(input.len, &display_name(path));
    report.bar = bar.clone();
    let mut reader = Reader::with_family(input.reader, opts, family);
    let mut buf = RecordBuf::default();
    let mut diags = Vec::new();
    let mut shown = 0u64;
    let result = loop {
        diags.clear();
        let more = match reader.read_item(&mut buf, &mut diags) {
            Ok(more) => more,
            Err(e) => match strict_stop(e) {
                // A line too long in strict mode: the reader stops with its diagnostic.
                Ok(stop) => {
                    let step = Step {
                        item: Some(Err(stop)),
                        raw: &[],
                        first_line: 0,
                        diagnostics: &diags,
                    };
                    break f(step, report).map_err(StreamError::Output);
                }
                Err(e) => {
                    let e = io::Error::new(e.kind(), format!("{}: {e}", display_name(path)));
                    break Err(StreamError::Input(e));
                }
            },
        };
        if !more {
            if !diags.is_empty() {
                let step = Step {
                    item: None,
                    raw: &[],
                    first_line: 0,
                    diagnostics: &diags,
                };
                if let Err(e) = f(step, report) {
                    break Err(StreamError::Output(e));
                }
            }
            break Ok(());
        }
        let item = buf.parse_with(family, &opts, &mut diags);
        let failed = item.is_err();
        let step = Step {
            item: Some(item),
            raw: buf.as_bytes(),
            first_line: buf.first_line(),
            diagnostics: &diags,
        };
        if let Err(e) = f(step, report) {
            break Err(StreamError::Output(e));
        }
        if failed {
            break Ok(());
        }
        if let Some(bar) = &bar {
            let at = reader.bytes_read();
            if at - shown >= 1 << 20 {
                bar.set_position(at);
                shown = at;
            }
        }
    };
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    report.bar = None;
    result.map(|()| FileRead {
        bytes: reader.bytes_read(),
        elapsed: start.elapsed(),
    })
}

/// The strict-mode error inside an I/O error from the reader (a line over the length limit).
fn strict_stop(e: io::Error) -> Result<muutostieto::Error, io::Error> {
    if e.kind() == io::ErrorKind::InvalidData
        && e.get_ref().is_some_and(|i| i.is::<muutostieto::Error>())
    {
        match e.into_inner().map(|i| i.downcast::<muutostieto::Error>()) {
            Some(Ok(inner)) => return Ok(*inner),
            Some(Err(other)) => return Err(io::Error::new(io::ErrorKind::InvalidData, other)),
            None => return Err(io::Error::from(io::ErrorKind::InvalidData)),
        }
    }
    Err(e)
}

/// A progress bar for a large input, when stderr is a terminal outside CI.
pub fn progress_bar(len: Option<u64>, name: &str) -> Option<ProgressBar> {
    let len = len.filter(|&n| n > PROGRESS_MIN_BYTES)?;
    if !io::stderr().is_terminal() || std::env::var_os("CI").is_some() {
        return None;
    }
    let style = ProgressStyle::with_template(
        "[{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta} {wide_msg}",
    )
    .ok()?
    .progress_chars("=> ");
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr())
        .with_style(style)
        .with_message(name.to_string());
    Some(bar)
}

/// Messages on stderr (diagnostics, notes, summaries): buffered, printed above the progress
/// bar when one is shown, and never failing (a closed stderr is ignored).
pub struct Report {
    out: io::BufWriter<io::Stderr>,
    pub(super) bar: Option<ProgressBar>,
    stdout_is_terminal: bool,
}

impl Report {
    /// A reporter on stderr.
    pub fn new() -> Self {
        Report {
            out: io::BufWriter::with_capacity(64 * 1024, io::stderr()),
            bar: None,
            stdout_is_terminal: io::stdout().is_terminal(),
        }
    }

    /// Prints one line.
    pub fn line(&mut self, msg: impl Display) {
        match &self.bar {
            Some(bar) => {
                let _ = self.out.flush();
                bar.suspend(|| {
                    let _ = writeln!(io::stderr(), "{msg}");
                });
            }
            None => {
                let _ = writeln!(self.out, "{msg}");
            }
        }
    }

    /// Prints lines already formatted (each ending with a newline).
    pub fn lines(&mut self, text: &[u8]) {
        if text.is_empty() {
            return;
        }
        match &self.bar {
            Some(bar) => {
                let _ = self.out.flush();
                bar.suspend(|| {
                    let _ = io::stderr().write_all(text);
                });
            }
            None => {
                let _ = self.out.write_all(text);
            }
        }
    }

    /// Prints an error about an input (`muutostieto: <message>`).
    pub fn error(&mut self, msg: impl Display) {
        self.line(format_args!("muutostieto: error: {msg}"));
    }

    /// Writes out what is buffered for stdout above the progress bar, when a bar is shown and
    /// stdout is the same terminal (otherwise does nothing: the output stays buffered).
    pub fn sync_stdout(&mut self, flush: impl FnOnce() -> io::Result<()>) -> io::Result<()> {
        match &self.bar {
            Some(bar) if self.stdout_is_terminal => bar.suspend(flush),
            _ => Ok(()),
        }
    }

    /// Flushes what is buffered.
    pub fn flush(&mut self) {
        let _ = self.out.flush();
    }
}

impl Drop for Report {
    fn drop(&mut self) {
        self.flush();
    }
}

/// Formats a diagnostic as `FILE:LINE:COLUMN: severity: group G, field F: message`, with the
/// value at the end only when the user asked for values.
pub fn format_diagnostic(file: &str, d: &Diagnostic) -> String {
    use std::fmt::Write as _;
    let mut s = format!("{file}:{}:{}: {}: ", d.line, d.column, d.severity);
    match (&d.group, &d.field) {
        (Some(g), Some(f)) => {
            let _ = write!(s, "group {g}, field {f}: ");
        }
        (Some(g), None) => {
            let _ = write!(s, "group {g}: ");
        }
        (None, Some(f)) => {
            let _ = write!(s, "field {f}: ");
        }
        (None, None) => {}
    }
    let _ = write!(s, "{}", d.kind);
    if let Some(v) = &d.value {
        let _ = write!(s, " (value {v:?})");
    }
    s
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

/// Formats a rate as `12.3 MB/s` (MB = 10^6 bytes).
pub fn mb_per_s(bytes: u64, elapsed: Duration) -> f64 {
    let secs = elapsed.as_secs_f64();
    if secs > 0.0 {
        bytes as f64 / 1e6 / secs
    } else {
        0.0
    }
}

/// `n thing` or `n things`.
pub fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
