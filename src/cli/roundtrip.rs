//! `muutostieto roundtrip`: parse and rewrite every item, compare with the input bytes; or
//! rewrite a file in another encoding.

use std::io::{self, Write};
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use muutostieto::record::Family;
use muutostieto::Encoding;

use super::args::{EncodingArg, ReadArgs};
use super::driver::{file_result, read_file, Job, Step, StreamError};
use super::family::{with_family, Families};
use super::io::{create, display_name, Files};
use super::report::{format_diagnostic, plural, Report};
use super::{EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE};

/// The `--to-encoding` choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputEncoding {
    /// UTF-8.
    Utf8,
    /// ISO-8859-1.
    Latin1,
    /// ISO-8859-15.
    Latin9,
}

impl From<OutputEncoding> for Encoding {
    fn from(e: OutputEncoding) -> Self {
        match e {
            OutputEncoding::Utf8 => Encoding::Utf8,
            OutputEncoding::Latin1 => Encoding::Latin1,
            OutputEncoding::Latin9 => Encoding::Latin9,
        }
    }
}

/// Arguments of `roundtrip`.
#[derive(Debug, Args)]
#[command(after_help = "\
Each file is read, every item (record with its continuation lines, envelope or malformed line) is \
written back and compared with the bytes read. The first difference of each file is reported on \
stderr as FILE:LINE:COLUMN (0-based byte column); the values only with --show-values.
With --to-encoding (different from a file's encoding) nothing is compared: the file is transcoded \
into --output and items that cannot be written (characters missing from the output encoding) are \
reported and left out.
Exit status: 0 when every file is identical (or fully transcoded), 1 otherwise, 2 on usage errors \
or files that cannot be read.")]
pub struct RoundtripArgs {
    #[command(flatten)]
    pub files: Files,
    #[command(flatten)]
    pub read: ReadArgs,
    /// Write the rewritten bytes to this file (`-` for stdout); several inputs are concatenated.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Encoding of the rewritten bytes (default: each file's input encoding).
    #[arg(long, value_enum, value_name = "ENCODING", requires = "output")]
    pub to_encoding: Option<OutputEncoding>,
    /// Do not print the summary line on stderr, nor the note on a file whose record family
    /// cannot be told.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Where the first difference is.
struct Difference {
    line: u64,
    column: usize,
    what: String,
}

/// `roundtrip`'s work on one file's items: rewriting, comparing, counting.
struct RoundtripJob<'a> {
    name: &'a str,
    /// The input's encoding…
    enc: Encoding,
    /// …and the output's.
    out_enc: Encoding,
    /// Compare with the input (the encodings are the same).
    compare: bool,
    /// Keep the rewritten bytes (for `--output`).
    keep: bool,
    show_values: bool,
}

/// What `roundtrip` makes of some items.
#[derive(Default)]
struct RoundtripOut {
    /// The rewritten bytes (with `--output`).
    bytes: Vec<u8>,
    differing: u64,
    failed_items: u64,
    first: Option<Difference>,
    /// Lines for stderr.
    messages: Vec<u8>,
}

impl RoundtripOut {
    /// Empties the accumulator, keeping its buffers.
    fn clear(&mut self) {
        self.bytes.clear();
        self.messages.clear();
        self.differing = 0;
        self.failed_items = 0;
        self.first = None;
    }
}

impl<F: Family> Job<F> for RoundtripJob<'_> {
    type Out = RoundtripOut;
    const REUSE_OUT: bool = true;

    fn out(&self) -> RoundtripOut {
        RoundtripOut::default()
    }

    fn step(&self, out: &mut RoundtripOut, step: Step<'_, '_, F>) -> io::Result<()> {
        let name = self.name;
        // Lines skipped by the reader are lost in the rewrite.
        for d in step.diagnostics {
            if matches!(d.kind, muutostieto::DiagnosticKind::LineTooLong { .. }) {
                out.differing += 1;
                if out.first.is_none() {
                    out.first = Some(Difference {
                        line: d.line,
                        column: 0,
                        what: format!("line skipped: {}", d.kind),
                    });
                }
            }
        }
        let item = match step.item {
            Ok(item) => item,
            Err(_) => {
                // Strict mode stopped: the rest of the file is not rewritten, so it differs.
                out.differing += 1;
                if let Some(d) = step.diagnostics.iter().find(|d| d.is_error()) {
                    writeln!(
                        out.messages,
                        "{}: stopped at the first error (strict mode)",
                        format_diagnostic(name, d)
                    )?;
                }
                if out.first.is_none() {
                    let line = step
                        .diagnostics
                        .iter()
                        .find(|d| d.is_error())
                        .map_or(step.first_line, |d| d.line);
                    out.first = Some(Difference {
                        line,
                        column: 0,
                        what: "not rewritten: strict mode stopped at an error".to_string(),
                    });
                }
                return Ok(());
            }
        };
        let start = out.bytes.len();
        if let Err(e) = item.write_to(self.out_enc, &mut out.bytes) {
            out.bytes.truncate(start);
            out.differing += 1;
            out.failed_items += 1;
            if self.compare {
                if out.first.is_none() {
                    out.first = Some(Difference {
                        line: item.line_number(),
                        column: 0,
                        what: format!("cannot be written: {e}"),
                    });
                }
            } else {
                writeln!(
                    out.messages,
                    "{name}:{}:0: error: {e} (item left out)",
                    item.line_number()
                )?;
            }
            return Ok(());
        }
        let written = &out.bytes[start..];
        if self.compare && written != step.raw {
            out.differing += 1;
            if out.first.is_none() {
                out.first = Some(locate(
                    step.first_line,
                    step.raw,
                    written,
                    self.enc,
                    self.show_values,
                ));
            }
        }
        if !self.keep {
            out.bytes.truncate(start);
        }
        Ok(())
    }
}

/// Runs `roundtrip`: reports on stderr, rewritten bytes to `--output`.
pub fn run(args: RoundtripArgs) -> io::Result<u8> {
    let mut report = Report::new();
    if let Some(out) = &args.output {
        if let Ok(out_abs) = out.canonicalize() {
            if args
                .files
                .files
                .iter()
                .any(|f| f.canonicalize().is_ok_and(|f| f == out_abs))
            {
                report.error(format_args!("--output {}: is also an input", out.display()));
                return Ok(EXIT_USAGE);
            }
        }
    }
    let families = match Families::new(&args.read.family, args.quiet) {
        Ok(f) => f,
        Err(msg) => {
            report.error(msg);
            return Ok(EXIT_USAGE);
        }
    };
    let mut output = match &args.output {
        Some(path) => Some(create(path)?),
        None => None,
    };
    let jobs = args.read.jobs()?;
    let (mut identical, mut differ, mut transcoded, mut unreadable) = (0u64, 0u64, 0u64, 0u64);
    for path in &args.files.files {
        let name = display_name(path);
        let mut opts = args.read.options(path);
        let out_enc = args.to_encoding.map_or(opts.encoding, Encoding::from);
        let job = RoundtripJob {
            name: &name,
            enc: opts.encoding,
            out_enc,
            compare: out_enc == opts.encoding,
            keep: output.is_some(),
            show_values: args.read.show_values,
        };
        let mut first: Option<Difference> = None;
        let mut differing = 0u64;
        let mut failed_items = 0u64;
        let result = match families.open(
            path,
            &mut report,
            &mut opts,
            args.read.encoding == EncodingArg::Auto,
        ) {
            Err(e) => Err(StreamError::Input(e)),
            Ok((input, kind)) => {
                with_family!(kind, |family| read_file(
                    family,
                    path,
                    input,
                    opts,
                    &jobs,
                    &mut report,
                    &job,
                    |o: &mut RoundtripOut, report| {
                        if let Some(out) = output.as_mut() {
                            out.write_all(&o.bytes)?;
                        }
                        differing += o.differing;
                        failed_items += o.failed_items;
                        if first.is_none() {
                            first = o.first.take();
                        }
                        report.lines(&o.messages);
                        o.clear();
                        Ok(())
                    }
                ))
            }
        };
        let compare = job.compare;
        if file_result(result, &mut report, &mut unreadable)?.is_none() {
            continue;
        }
        if !compare {
            if failed_items == 0 && differing == 0 {
                transcoded += 1;
            } else {
                differ += 1;
                report.line(format_args!(
                    "{name}: {} not transcoded",
                    plural(differing, "item", "items")
                ));
            }
        } else if let Some(d) = first {
            differ += 1;
            report.line(format_args!(
                "{name}:{}:{}: differs: {} ({} in all)",
                d.line,
                d.column,
                d.what,
                plural(differing, "item differs", "items differ")
            ));
        } else {
            identical += 1;
        }
    }
    if let Some(out) = output.as_mut() {
        out.flush()?;
    }
    if !args.quiet {
        let mut line = format!(
            "roundtrip: {} identical",
            plural(identical, "file", "files")
        );
        if transcoded > 0 {
            line.push_str(&format!(
                ", {} transcoded",
                plural(transcoded, "file", "files")
            ));
        }
        line.push_str(&format!(
            ", {} with differences",
            plural(differ, "file", "files")
        ));
        if unreadable > 0 {
            line.push_str(&format!(
                ", {} not readable",
                plural(unreadable, "file", "files")
            ));
        }
        report.line(line);
    }
    Ok(if unreadable > 0 {
        EXIT_USAGE
    } else if differ > 0 {
        EXIT_PROBLEMS
    } else {
        EXIT_OK
    })
}

/// The line and column of the first byte where `written` differs from `raw` (an item starting
/// at line `first_line`).
fn locate(
    first_line: u64,
    raw: &[u8],
    written: &[u8],
    enc: Encoding,
    show_values: bool,
) -> Difference {
    let at = raw
        .iter()
        .zip(written)
        .position(|(a, b)| a != b)
        .unwrap_or(raw.len().min(written.len()));
    let before = &raw[..at];
    let mut line = first_line;
    let mut line_start = 0;
    let mut i = 0;
    while i < before.len() {
        match before[i] {
            b'\r' if before.get(i + 1) == Some(&b'\n') => {
                i += 1;
                line += 1;
                line_start = i + 1;
            }
            b'\r' | b'\n' => {
                line += 1;
                line_start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    let what = if show_values {
        let line_of = |bytes: &[u8]| {
            let rest = bytes.get(line_start..).unwrap_or_default();
            let end = rest
                .iter()
                .position(|&b| b == b'\n' || b == b'\r')
                .unwrap_or(rest.len());
            enc.decode(&rest[..end]).into_owned()
        };
        format!("input {:?}, written {:?}", line_of(raw), line_of(written))
    } else if written.len() < raw.len() && at == written.len() {
        "written bytes end early".to_string()
    } else if written.len() > raw.len() && at == raw.len() {
        "written bytes are longer".to_string()
    } else {
        "bytes differ".to_string()
    };
    Difference {
        line,
        column: at - line_start,
        what,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_counts_lines_and_columns() {
        let d = locate(
            7,
            b"abc\r\ndef\r\n",
            b"abc\r\ndXf\r\n",
            Encoding::Latin1,
            false,
        );
        assert_eq!((d.line, d.column), (8, 1));
        let d = locate(1, b"abc\n", b"abc\r\n", Encoding::Latin1, true);
        assert_eq!((d.line, d.column), (1, 3));
        assert!(d.what.contains("\"abc\""), "{}", d.what);
    }
}
