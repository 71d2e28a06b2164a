//! The register's read verbs: `show` (a person's current data in the API's perustiedot shape),
//! `history` (every change applied to a person) and `db status`.

use std::collections::HashMap;
use std::io::{self, Write};

use clap::{Args, Subcommand};
use muutostieto::person::codes::ChangeAttribute;
use muutostieto::record::change::ChangeType;
use muutostieto::register::Register;

use super::apply::DbArg;
use super::io::stdout;
use super::report::Report;
use super::{EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE};

/// Arguments of `show`.
#[derive(Debug, Args)]
#[command(after_help = "\
One JSON object per person (the change API's Perustieto: henkilotunnus, tietoryhmat), rebuilt \
from the person's current rows and converted as `convert --to perustiedot` does.
Exit status: 0 every person found, 1 some not in the register, 2 database errors.")]
pub struct ShowArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// Person ids (henkilötunnus).
    #[arg(required = true, value_name = "HETU")]
    pub ids: Vec<String>,
    /// Indented JSON instead of one object per line.
    #[arg(long)]
    pub pretty: bool,
}

/// Arguments of `history`.
#[derive(Debug, Args)]
#[command(after_help = "\
One line per group of every record applied to the person, oldest first: file, line, event \
code, registration date, change type, group code, change attribute. After an id correction \
the history is under the new id.")]
pub struct HistoryArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// Person id (henkilötunnus).
    #[arg(value_name = "HETU")]
    pub id: String,
    /// JSON Lines (one object per record) instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `db`.
#[derive(Debug, Args)]
pub struct DbArgs {
    #[command(subcommand)]
    pub command: DbCommand,
}

/// `db` verbs.
#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Schema version, counts, the files applied (name, sha256, records, time), rejected lines.
    Status(StatusArgs),
}

/// Arguments of `db status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// Rejected lines to list (file, line, byte column, kind).
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub rejected: i64,
}

fn open(db: &DbArg, report: &mut Report) -> Option<Register> {
    match db.open() {
        Ok(r) => Some(r),
        Err(msg) => {
            report.error(msg);
            None
        }
    }
}

/// Runs `show`.
pub fn show(args: ShowArgs) -> io::Result<u8> {
    let mut report = Report::new();
    let Some(mut register) = open(&args.db, &mut report) else {
        return Ok(EXIT_USAGE);
    };
    let mut out = stdout();
    let mut code = EXIT_OK;
    for id in &args.ids {
        let mut shown_id = id.clone();
        let mut person = register.show(id);
        if let Ok(None) = person {
            if let Ok(Some(new)) = register.rekeyed_to(id) {
                report.line(format_args!(
                    "muutostieto: note: {id} was re-keyed to {new} by an id correction; showing {new}"
                ));
                person = register.show(&new);
                shown_id = new;
            }
        }
        match person {
            Ok(Some(p)) => {
                if args.pretty {
                    serde_json::to_writer_pretty(&mut out, &p).map_err(io::Error::from)?;
                } else {
                    serde_json::to_writer(&mut out, &p).map_err(io::Error::from)?;
                }
                out.write_all(b"\n")?;
            }
            Ok(None) => {
                report.error(format_args!("{shown_id}: not in the register"));
                code = code.max(EXIT_PROBLEMS);
            }
            Err(e) => {
                report.error(e);
                return Ok(EXIT_USAGE);
            }
        }
    }
    out.flush()?;
    Ok(code)
}

fn attribute_meaning(a: &str) -> &'static str {
    match a {
        "0" => ChangeAttribute::AdditionalInfo.meaning_str(),
        "1" => ChangeAttribute::Added.meaning_str(),
        "3" => ChangeAttribute::Changed.meaning_str(),
        "4" => ChangeAttribute::Removed.meaning_str(),
        "5" => ChangeAttribute::ToBeCorrected.meaning_str(),
        "6" => ChangeAttribute::Corrected.meaning_str(),
        _ => "unknown",
    }
}

trait Meaning {
    fn meaning_str(self) -> &'static str;
}

impl Meaning for ChangeAttribute {
    fn meaning_str(self) -> &'static str {
        use muutostieto::field::CodeTable;
        self.meaning()
    }
}

fn iso(d: &str) -> String {
    if d.len() == 8 && d.is_ascii() {
        format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..])
    } else if d.is_empty() {
        "-".into()
    } else {
        d.to_string()
    }
}

/// Runs `history`.
pub fn history(args: HistoryArgs) -> io::Result<u8> {
    let mut report = Report::new();
    let Some(mut register) = open(&args.db, &mut report) else {
        return Ok(EXIT_USAGE);
    };
    let (rows, files) = match (register.history(&args.id), register.files()) {
        (Ok(r), Ok(f)) => (r, f),
        (Err(e), _) | (_, Err(e)) => {
            report.error(e);
            return Ok(EXIT_USAGE);
        }
    };
    if rows.is_empty() {
        if let Ok(Some(new)) = register.rekeyed_to(&args.id) {
            report.line(format_args!(
                "muutostieto: note: {} was re-keyed to {new} by an id correction; its history is under {new}",
                args.id
            ));
        } else {
            report.error(format_args!("{}: no history in the register", args.id));
        }
        return Ok(EXIT_PROBLEMS);
    }
    let names: HashMap<i64, &str> = files.iter().map(|f| (f.id, f.name.as_str())).collect();
    let mut out = stdout();
    if !args.json {
        writeln!(
            out,
            "file\tline\tevent\tregistered\tchange type\tgroup\tchange attribute"
        )?;
    }
    for h in &rows {
        let file = names.get(&h.file_id).copied().unwrap_or("?");
        let change_type = if h.change_type == "1" {
            ChangeType::New
        } else {
            ChangeType::Existing
        };
        if args.json {
            let groups: Vec<serde_json::Value> = h
                .groups
                .split(' ')
                .filter(|g| !g.is_empty())
                .map(|g| {
                    let (code, attr) = g.split_once(':').unwrap_or((g, ""));
                    serde_json::json!({"code": code, "change": attr, "meaning": attribute_meaning(attr)})
                })
                .collect();
            let v = serde_json::json!({
                "file": file,
                "line": h.line,
                "event": h.event,
                "registered": if h.registered.is_empty() { serde_json::Value::Null } else { iso(&h.registered).into() },
                "change_type": h.change_type,
                "groups": groups,
            });
            serde_json::to_writer(&mut out, &v).map_err(io::Error::from)?;
            out.write_all(b"\n")?;
            continue;
        }
        let ct = {
            use muutostieto::field::CodeTable;
            change_type.meaning()
        };
        for g in h.groups.split(' ').filter(|g| !g.is_empty()) {
            let (code, attr) = g.split_once(':').unwrap_or((g, ""));
            writeln!(
                out,
                "{file}\t{}\t{}\t{}\t{} ({ct})\t{code}\t{attr} ({})",
                h.line,
                h.event,
                iso(&h.registered),
                h.change_type,
                attribute_meaning(attr)
            )?;
        }
        if h.groups.is_empty() {
            writeln!(
                out,
                "{file}\t{}\t{}\t{}\t{} ({ct})\t-\t-",
                h.line,
                h.event,
                iso(&h.registered),
                h.change_type
            )?;
        }
    }
    out.flush()?;
    Ok(EXIT_OK)
}

/// Runs `db`.
pub fn run(args: DbArgs) -> io::Result<u8> {
    match args.command {
        DbCommand::Status(a) => status(a),
    }
}

fn status(args: StatusArgs) -> io::Result<u8> {
    let mut report = Report::new();
    let Some(mut register) = open(&args.db, &mut report) else {
        return Ok(EXIT_USAGE);
    };
    let (status, rejected) = match (register.status(), register.rejected(args.rejected.max(0))) {
        (Ok(s), Ok(r)) => (s, r),
        (Err(e), _) | (_, Err(e)) => {
            report.error(e);
            return Ok(EXIT_USAGE);
        }
    };
    let mut out = stdout();
    writeln!(out, "register: {} ({})", args.db.shown(), status.backend)?;
    writeln!(out, "schema version: {}", status.schema_version)?;
    writeln!(
        out,
        "persons: {}, current rows: {}, records applied: {}, rejected lines: {}",
        status.persons, status.rows, status.history, status.rejected
    )?;
    writeln!(out, "files applied: {}", status.files.len())?;
    if !status.files.is_empty() {
        writeln!(
            out,
            "  id\tname\tsha256\trecords\trejected\tnew\tnot held\tre-keyed\tregistered\tapplied at"
        )?;
    }
    let names: HashMap<i64, &str> = status
        .files
        .iter()
        .map(|f| (f.id, f.name.as_str()))
        .collect();
    for f in &status.files {
        let registered = match (&f.first_registered, &f.last_registered) {
            (Some(a), Some(b)) => format!("{}..{}", iso(a), iso(b)),
            _ => "-".into(),
        };
        let reapply = match f.reapply_of {
            Some(id) => format!(" (reapplied file {id})"),
            None => String::new(),
        };
        writeln!(
            out,
            "  {}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}{reapply}",
            f.id,
            f.name,
            f.sha256,
            f.records,
            f.rejected,
            f.new_persons,
            f.unknown_persons,
            f.rekeyed,
            registered,
            f.applied_at
        )?;
    }
    if !rejected.is_empty() {
        writeln!(out, "rejected lines (first {}):", rejected.len())?;
        for r in &rejected {
            let file = names.get(&r.file_id).copied().unwrap_or("?");
            writeln!(
                out,
                "  {file}:{}:{}: {}{}",
                r.line,
                r.column,
                r.kind,
                if r.raw.is_some() { " (bytes kept)" } else { "" }
            )?;
        }
    }
    out.flush()?;
    Ok(EXIT_OK)
}
