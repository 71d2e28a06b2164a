//! `muutostieto idlist check` and `idlist make`: person-id list files (`.HTT`).

use std::collections::HashSet;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;
use clap::{ArgGroup, Args, Subcommand, ValueEnum};
use muutostieto::hetu::Hetu;
use muutostieto::idlist::{self, IdListBuilder, IdListDiagnostic, LineEnding};
use serde::Serialize;

use super::check::ReportFormat;
use super::io::{create, display_name, json_err, read_all, stdout};
use super::report::{plural, Report};
use super::{EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE};

/// Arguments of `idlist`.
#[derive(Debug, Args)]
pub struct IdlistArgs {
    #[command(subcommand)]
    pub command: IdlistCommand,
}

/// The `idlist` verbs.
#[derive(Debug, Subcommand)]
pub enum IdlistCommand {
    /// Validate person-id list files (.HTT): header, every id, the trailer count.
    Check(IdCheckArgs),
    /// Build a valid .HTT file from plain lists of ids to add and to remove.
    Make(MakeArgs),
}

/// Arguments of `idlist check`.
#[derive(Debug, Args)]
#[command(after_help = "\
Diagnostics (on stdout) give the position and what is wrong, never an id.
Exit status: 0 when every file is clean, 1 when there are errors or warnings (errors only with \
--allow-warnings), 2 on usage errors or files that cannot be read.")]
pub struct IdCheckArgs {
    /// .HTT files; `-` reads stdin.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
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

/// Line endings of a new list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum LineEndingArg {
    /// `\n`, as in the sample file.
    #[default]
    Lf,
    /// `\r\n`.
    Crlf,
}

/// Arguments of `idlist make`.
#[derive(Debug, Args)]
#[command(
    group(ArgGroup::new("lists").required(true).multiple(true).args(["add", "remove"])),
    after_help = "\
Id lists: one identity code per line; blank lines and surrounding spaces are ignored. Invalid ids \
are reported with their list file and line (the id itself only with --show-values) and nothing is \
written. Repeated ids are written once per list; an id may be both added and removed.
Output: the header, the L lines, the P lines, then '''EOF'''<count>'.
Exit status: 0 when the list was written, 1 when an id is invalid, 2 on usage or I/O errors."
)]
pub struct MakeArgs {
    /// File of ids to start following (L lines); `-` reads stdin. May be repeated.
    #[arg(long, value_name = "FILE")]
    pub add: Vec<PathBuf>,
    /// File of ids to stop following (P lines); `-` reads stdin. May be repeated.
    #[arg(long, value_name = "FILE")]
    pub remove: Vec<PathBuf>,
    /// Sender (customer) id in the header, ASCII letters and digits.
    #[arg(long, value_name = "ID", default_value = idlist::DEFAULT_SENDER_ID)]
    pub sender: String,
    /// Receiver id in the header (the registry), ASCII letters and digits.
    #[arg(long, value_name = "ID", default_value = idlist::DEFAULT_RECEIVER_ID)]
    pub receiver: String,
    /// Header timestamp as yyyyMMddHHmm (default: now, UTC).
    #[arg(long, value_name = "yyyyMMddHHmm", value_parser = parse_timestamp)]
    pub timestamp: Option<NaiveDateTime>,
    /// Line endings.
    #[arg(long, value_enum, default_value_t = LineEndingArg::Lf)]
    pub line_ending: LineEndingArg,
    /// End the trailer line with a line ending too (the sample file has none).
    #[arg(long)]
    pub final_line_ending: bool,
    /// Output file (default: stdout).
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// Include invalid ids in the error messages (they are personal data).
    #[arg(long)]
    pub show_values: bool,
}

fn parse_timestamp(s: &str) -> Result<NaiveDateTime, String> {
    if s.len() != 12 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err("expected 12 digits: yyyyMMddHHmm".into());
    }
    NaiveDateTime::parse_from_str(s, "%Y%m%d%H%M")
        .map_err(|_| "not a valid date and time (yyyyMMddHHmm)".into())
}

/// Runs an `idlist` verb.
pub fn run(args: IdlistArgs) -> io::Result<u8> {
    match args.command {
        IdlistCommand::Check(a) => check(a),
        IdlistCommand::Make(a) => make(a),
    }
}

#[derive(Debug, Default, Serialize)]
struct Summary {
    #[serde(rename = "type")]
    kind: &'static str,
    files: u64,
    unreadable: u64,
    entries: u64,
    adds: u64,
    removes: u64,
    errors: u64,
    warnings: u64,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    file: &'a str,
    line: usize,
    column: usize,
    severity: String,
    #[serde(rename = "kind")]
    diagnostic_kind: String,
    message: String,
}

/// `BadHeader { segment: Sender }` → `bad_header`.
fn kind_name(d: &IdListDiagnostic) -> String {
    let debug = format!("{:?}", d.kind);
    let ident: String = debug
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let mut out = String::with_capacity(ident.len() + 4);
    for (i, c) in ident.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn check(args: IdCheckArgs) -> io::Result<u8> {
    let mut out = stdout();
    let mut report = Report::new();
    let json = args.format == ReportFormat::Json;
    let mut total = Summary {
        kind: "summary",
        ..Summary::default()
    };
    for path in &args.files {
        let name = display_name(path);
        let bytes = match read_all(path) {
            Ok(b) => b,
            Err(e) => {
                total.unreadable += 1;
                report.error(e);
                continue;
            }
        };
        total.files += 1;
        let (list, diags) = idlist::parse(&bytes);
        total.entries += list.entries.len() as u64;
        total.adds += list.adds().count() as u64;
        total.removes += list.removes().count() as u64;
        let mut hidden = 0u64;
        for (i, d) in diags.iter().enumerate() {
            match d.severity {
                muutostieto::Severity::Error => total.errors += 1,
                muutostieto::Severity::Warning => total.warnings += 1,
            }
            if args.max_diagnostics.is_some_and(|max| i as u64 >= max) {
                hidden += 1;
                continue;
            }
            if json {
                let j = JsonDiagnostic {
                    kind: "diagnostic",
                    file: &name,
                    line: d.line,
                    column: d.column,
                    severity: d.severity.to_string(),
                    diagnostic_kind: kind_name(d),
                    message: d.kind.to_string(),
                };
                serde_json::to_writer(&mut out, &j).map_err(json_err)?;
                out.write_all(b"\n")?;
            } else {
                writeln!(
                    out,
                    "{name}:{}:{}: {}: {}",
                    d.line, d.column, d.severity, d.kind
                )?;
            }
        }
        if hidden > 0 {
            if json {
                let j = serde_json::json!({"type": "truncated", "file": name, "more": hidden});
                serde_json::to_writer(&mut out, &j).map_err(json_err)?;
                out.write_all(b"\n")?;
            } else {
                writeln!(out, "{name}: … and {hidden} more")?;
            }
        }
    }
    if json {
        serde_json::to_writer(&mut out, &total).map_err(json_err)?;
        out.write_all(b"\n")?;
    } else {
        let mut line = format!(
            "{}, {} ({} add, {} remove), {}, {}",
            plural(total.files, "file", "files"),
            plural(total.entries, "entry", "entries"),
            total.adds,
            total.removes,
            plural(total.errors, "error", "errors"),
            plural(total.warnings, "warning", "warnings"),
        );
        if total.unreadable > 0 {
            line.push_str(&format!(
                ", {} not readable",
                plural(total.unreadable, "file", "files")
            ));
        }
        writeln!(out, "{line}")?;
    }
    out.flush()?;
    Ok(if total.unreadable > 0 {
        EXIT_USAGE
    } else if total.errors > 0 || (total.warnings > 0 && !args.allow_warnings) {
        EXIT_PROBLEMS
    } else {
        EXIT_OK
    })
}

/// Reads a plain list of ids: one per line, blank lines and surrounding spaces ignored.
/// Invalid ids are reported (by file, line and column) and counted in `invalid`.
fn read_ids(
    path: &Path,
    list: &str,
    show_values: bool,
    report: &mut Report,
    invalid: &mut u64,
) -> io::Result<Vec<[u8; 11]>> {
    let bytes = read_all(path)?;
    let name = display_name(path);
    let mut ids = Vec::new();
    for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let lead = line.iter().take_while(|b| b.is_ascii_whitespace()).count();
        let id = line.trim_ascii();
        if id.is_empty() {
            continue;
        }
        match Hetu::parse(id) {
            Ok(h) => {
                let mut key = [0u8; 11];
                key.copy_from_slice(h.as_bytes());
                ids.push(key);
            }
            Err(e) => {
                *invalid += 1;
                let mut msg = format!(
                    "{name}:{}:{}: error: invalid identity code in the {list} list: {}",
                    i + 1,
                    lead + e.column().min(id.len()),
                    e.reason()
                );
                if show_values {
                    msg.push_str(&format!(" (value {:?})", String::from_utf8_lossy(id)));
                }
                report.line(msg);
            }
        }
    }
    Ok(ids)
}

fn make(args: MakeArgs) -> io::Result<u8> {
    let mut report = Report::new();
    let stdin_uses = args
        .add
        .iter()
        .chain(&args.remove)
        .filter(|p| p.as_os_str() == "-")
        .count();
    if stdin_uses > 1 {
        report.error("only one list can be read from stdin (-)");
        return Ok(EXIT_USAGE);
    }
    let mut invalid = 0u64;
    let mut adds = Vec::new();
    for path in &args.add {
        adds.extend(read_ids(
            path,
            "add",
            args.show_values,
            &mut report,
            &mut invalid,
        )?);
    }
    let mut removes = Vec::new();
    for path in &args.remove {
        removes.extend(read_ids(
            path,
            "remove",
            args.show_values,
            &mut report,
            &mut invalid,
        )?);
    }
    if invalid > 0 {
        report.error(format_args!(
            "{}: nothing written",
            plural(invalid, "invalid identity code", "invalid identity codes")
        ));
        return Ok(EXIT_PROBLEMS);
    }
    let distinct = |ids: &[[u8; 11]]| ids.iter().collect::<HashSet<_>>().len();
    let (n_add, n_remove) = (distinct(&adds), distinct(&removes));
    let duplicates = adds.len() + removes.len() - n_add - n_remove;
    let timestamp = args
        .timestamp
        .unwrap_or_else(|| chrono::Local::now().naive_local());
    let ending = match args.line_ending {
        LineEndingArg::Lf => LineEnding::Lf,
        LineEndingArg::Crlf => LineEnding::CrLf,
    };
    let built = IdListBuilder::new(Some(&args.sender), Some(&args.receiver), timestamp)
        .add_all(&adds)
        .remove_all(&removes)
        .final_line_ending(args.final_line_ending)
        .build_bytes(ending);
    let bytes = match built {
        Ok(b) => b,
        Err(e) => {
            report.error(e);
            return Ok(EXIT_USAGE);
        }
    };
    let mut out = create(args.output.as_deref().unwrap_or(Path::new("-")))?;
    out.write_all(&bytes)?;
    out.flush()?;
    let mut note = format!("idlist make: {n_add} to add, {n_remove} to remove");
    if duplicates > 0 {
        note.push_str(&format!(
            " ({} dropped)",
            plural(duplicates as u64, "duplicate", "duplicates")
        ));
    }
    report.line(note);
    Ok(EXIT_OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        assert!(parse_timestamp("201711161327").is_ok());
        assert!(parse_timestamp("201713161327").is_err());
        assert!(parse_timestamp("2017111613").is_err());
    }

    #[test]
    fn kind_names() {
        let d = IdListDiagnostic {
            line: 1,
            column: 0,
            severity: muutostieto::Severity::Error,
            kind: idlist::IdListProblem::BadHeader {
                segment: idlist::HeaderSegment::Sender,
            },
        };
        assert_eq!(kind_name(&d), "bad_header");
    }
}
