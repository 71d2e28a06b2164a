//! `muutostieto check`: validate every record and report every problem.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use clap::{Args, ValueEnum};
use muutostieto::record::Family;
use muutostieto::{Diagnostic, DiagnosticKind, Encoding};
use serde::Serialize;

use super::args::{EncodingArg, ReadArgs};
use super::driver::{read_file, Job, Step, StreamError, ViewStep};
use super::family::{with_family, Families};
use super::io::{display_name, json_err, stdout, Files};
use super::report::{format_diagnostic, plural, Report};
use super::{EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE};

/// Report formats of `check` and `idlist check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ReportFormat {
    /// `FILE:LINE:COLUMN: severity: group G, field F: message` lines, then a summary line.
    #[default]
    Text,
    /// One JSON object per line: diagnostics (`"type": "diagnostic"`), then a summary
    /// (`"type": "summary"`).
    Json,
}

/// Arguments of `check`.
#[derive(Debug, Args)]
#[command(after_help = "\
Exit status: 0 when every file is clean, 1 when there are errors or warnings (errors only with \
--allow-warnings), 2 on usage errors or files that cannot be read.
Columns are 0-based byte offsets in the line, as in the format reference.")]
pub struct CheckArgs {
    #[command(flatten)]
    pub files: Files,
    #[command(flatten)]
    pub read: ReadArgs,
    /// Report format (on stdout).
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    /// Exit 0 when there are warnings but no errors.
    #[arg(long)]
    pub allow_warnings: bool,
    /// Print at most N diagnostics per file and count the rest.
    #[arg(long, value_name = "N")]
    pub max_diagnostics: Option<u64>,
}

/// Totals over the files checked.
#[derive(Debug, Default, Serialize)]
pub struct Summary {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub files: u64,
    pub unreadable: u64,
    pub records: u64,
    pub groups: u64,
    pub errors: u64,
    pub warnings: u64,
}

impl Summary {
    /// The exit status for these totals.
    pub fn exit_code(&self, allow_warnings: bool) -> u8 {
        if self.unreadable > 0 {
            EXIT_USAGE
        } else if self.errors > 0 || (self.warnings > 0 && !allow_warnings) {
            EXIT_PROBLEMS
        } else {
            EXIT_OK
        }
    }
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    file: &'a str,
    #[serde(flatten)]
    diagnostic: &'a Diagnostic,
    message: String,
}

#[derive(Serialize)]
struct JsonNote<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    file: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    more: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<String>,
}

/// `check`'s work on one file's items: diagnostics formatted for the report, and counts.
struct CheckJob<'a> {
    name: &'a str,
    json: bool,
    /// Set by the sink once `--max-diagnostics` are shown: later ones are only counted.
    full: AtomicBool,
}

/// What `check` makes of some items.
#[derive(Default)]
struct CheckOut {
    /// Formatted diagnostics (lines of text or JSON)…
    text: Vec<u8>,
    /// …and where each ends.
    ends: Vec<usize>,
    /// Diagnostics not formatted (the limit was reached before them).
    unformatted: u64,
    errors: u64,
    warnings: u64,
    records: u64,
    groups: u64,
    stopped: bool,
    /// Items whose framing errors look like an encoding mismatch: groups of the wrong length
    /// on lines that are valid UTF-8 with letters beyond ASCII (read as a single-byte
    /// encoding), or bytes that are not UTF-8 (read as UTF-8).
    looks_utf8: u64,
    looks_single_byte: u64,
}

impl CheckOut {
    /// Empties the accumulator, keeping its buffers.
    fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
        *self = CheckOut {
            text: std::mem::take(&mut self.text),
            ends: std::mem::take(&mut self.ends),
            ..CheckOut::default()
        };
    }
}

impl<F: Family> Job<F> for CheckJob<'_> {
    type Out = CheckOut;
    const REUSE_OUT: bool = true;

    fn out(&self) -> CheckOut {
        CheckOut::default()
    }

    fn step(&self, out: &mut CheckOut, step: Step<'_, '_, F>) -> io::Result<()> {
        let groups = match &step.item {
            Ok(item) => Ok(item.as_record().map(|r| r.groups.len())),
            Err(_) => Err(()),
        };
        self.count(out, step.diagnostics, step.raw, groups)
    }

    /// `check` needs no typed values: only the diagnostics and the group counts.
    fn step_view(&self, out: &mut CheckOut, step: ViewStep<'_, '_, '_, F>) -> io::Result<()> {
        let groups = match &step.item {
            Ok(item) => Ok(item.as_record().map(|r| r.groups.len())),
            Err(_) => Err(()),
        };
        self.count(out, step.diagnostics, step.raw, groups)
    }
}

impl CheckJob<'_> {
    /// Counts and formats one item's diagnostics; `groups` is the record's group count
    /// (`None` for a line that is not a record, `Err` for the strict-mode stop).
    fn count(
        &self,
        out: &mut CheckOut,
        diagnostics: &[Diagnostic],
        raw: &[u8],
        groups: Result<Option<usize>, ()>,
    ) -> io::Result<()> {
        let full = self.full.load(Ordering::Relaxed);
        for d in diagnostics {
            if d.is_error() {
                out.errors += 1;
            } else {
                out.warnings += 1;
            }
            if full {
                out.unformatted += 1;
                continue;
            }
            if self.json {
                let j = JsonDiagnostic {
                    kind: "diagnostic",
                    file: self.name,
                    diagnostic: d,
                    message: d.kind.to_string(),
                };
                serde_json::to_writer(&mut out.text, &j).map_err(json_err)?;
                out.text.push(b'\n');
            } else {
                writeln!(out.text, "{}", format_diagnostic(self.name, d))?;
            }
            out.ends.push(out.text.len());
        }
        let length_errors = diagnostics.iter().any(|d| {
            matches!(
                d.kind,
                DiagnosticKind::GroupLength { .. } | DiagnosticKind::TruncatedGroup { .. }
            )
        });
        if length_errors && !raw.is_ascii() && std::str::from_utf8(raw).is_ok() {
            out.looks_utf8 += 1;
        }
        if diagnostics
            .iter()
            .any(|d| d.kind == DiagnosticKind::InvalidUtf8)
        {
            out.looks_single_byte += 1;
        }
        match groups {
            Ok(Some(n)) => {
                out.records += 1;
                out.groups += n as u64;
            }
            Ok(None) => {}
            Err(()) => out.stopped = true,
        }
        Ok(())
    }
}

/// Runs `check`: the report on stdout, unreadable files on stderr.
pub fn run(args: CheckArgs) -> io::Result<u8> {
    let mut out = stdout();
    let mut report = Report::new();
    let mut total = Summary {
        kind: "summary",
        ..Summary::default()
    };
    let json = args.format == ReportFormat::Json;
    let families = match Families::new(&args.read.family, false) {
        Ok(f) => f,
        Err(msg) => {
            report.error(msg);
            return Ok(EXIT_USAGE);
        }
    };
    let jobs = args.read.jobs()?;
    for path in &args.files.files {
        let name = display_name(path);
        let mut opts = args.read.options(path);
        let mut shown = 0u64;
        let mut hidden = 0u64;
        let mut stopped = false;
        let (mut looks_utf8, mut looks_single_byte) = (0u64, 0u64);
        let job = CheckJob {
            name: &name,
            json,
            full: AtomicBool::new(false),
        };
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
                    |o: &mut CheckOut, report| {
                        total.errors += o.errors;
                        total.warnings += o.warnings;
                        total.records += o.records;
                        total.groups += o.groups;
                        stopped |= o.stopped;
                        looks_utf8 += o.looks_utf8;
                        looks_single_byte += o.looks_single_byte;
                        let (mut from, mut printed) = (0, false);
                        for &end in &o.ends {
                            if args.max_diagnostics.is_some_and(|max| shown >= max) {
                                hidden += 1;
                            } else {
                                shown += 1;
                                printed = true;
                                out.write_all(&o.text[from..end])?;
                            }
                            from = end;
                        }
                        hidden += o.unformatted;
                        if args.max_diagnostics.is_some_and(|max| shown >= max) {
                            job.full.store(true, Ordering::Relaxed);
                        }
                        if printed {
                            report.sync_stdout(|| out.flush())?;
                        }
                        o.clear();
                        Ok(())
                    }
                ))
            }
        };
        match result {
            Ok(read) => {
                total.files += 1;
                if read.bytes == 0 {
                    let d = Diagnostic::new(0, 0, DiagnosticKind::EmptyInput);
                    total.warnings += 1;
                    if json {
                        let j = JsonDiagnostic {
                            kind: "diagnostic",
                            file: &name,
                            diagnostic: &d,
                            message: d.kind.to_string(),
                        };
                        serde_json::to_writer(&mut out, &j).map_err(json_err)?;
                        out.write_all(b"\n")?;
                    } else {
                        writeln!(out, "{}", format_diagnostic(&name, &d))?;
                    }
                }
            }
            Err(StreamError::Output(e)) => return Err(e),
            Err(StreamError::Input(e)) => {
                total.unreadable += 1;
                report.error(&e);
                if json {
                    let j = JsonNote {
                        kind: "unreadable",
                        file: &name,
                        more: None,
                        message: Some(e.to_string()),
                    };
                    serde_json::to_writer(&mut out, &j).map_err(json_err)?;
                    out.write_all(b"\n")?;
                }
                continue;
            }
        }
        let hint = match opts.encoding {
            Encoding::Utf8 if looks_single_byte > 0 => Some((looks_single_byte, "latin1")),
            Encoding::Latin1 | Encoding::Latin9 if looks_utf8 > 0 => Some((looks_utf8, "utf8")),
            _ => None,
        };
        if let Some((n, try_enc)) = hint {
            report.line(format_args!(
                "muutostieto: note: {name}: the errors of {} look like an encoding mismatch \
                 (read as {}; try --encoding {try_enc})",
                plural(n, "item", "items"),
                opts.encoding.name()
            ));
        }
        if hidden > 0 {
            if json {
                let j = JsonNote {
                    kind: "truncated",
                    file: &name,
                    more: Some(hidden),
                    message: None,
                };
                serde_json::to_writer(&mut out, &j).map_err(json_err)?;
                out.write_all(b"\n")?;
            } else {
                writeln!(out, "{name}: … and {hidden} more")?;
            }
        }
        if stopped {
            if json {
                let j = JsonNote {
                    kind: "stopped",
                    file: &name,
                    more: None,
                    message: Some("stopped at the first error (strict mode)".into()),
                };
                serde_json::to_writer(&mut out, &j).map_err(json_err)?;
                out.write_all(b"\n")?;
            } else {
                writeln!(out, "{name}: stopped at the first error (strict mode)")?;
            }
        }
    }
    if json {
        serde_json::to_writer(&mut out, &total).map_err(json_err)?;
        out.write_all(b"\n")?;
    } else {
        writeln!(out, "{}", summary_line(&total))?;
    }
    out.flush()?;
    Ok(total.exit_code(args.allow_warnings))
}

/// `3 files, 75 records, 600 groups, 2 errors, 5 warnings` (and unreadable files, if any).
fn summary_line(s: &Summary) -> String {
    let mut line = format!(
        "{}, {}, {}, {}, {}",
        plural(s.files, "file", "files"),
        plural(s.records, "record", "records"),
        plural(s.groups, "group", "groups"),
        plural(s.errors, "error", "errors"),
        plural(s.warnings, "warning", "warnings"),
    );
    if s.unreadable > 0 {
        line.push_str(&format!(
            ", {} not readable",
            plural(s.unreadable, "file", "files")
        ));
    }
    line
}
