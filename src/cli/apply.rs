//! `muutostieto apply`: base and change deliveries applied to a register database, one file
//! per transaction (the library's `register` module does the work; this verb reads the files
//! with the shared driver, planning records on every core).

use std::io::{self, BufReader, Write};

use clap::Args;
use muutostieto::person::Person;
use muutostieto::record::Item;
use muutostieto::register::{self, ApplyOptions, FileSummary, HashingReader, Plan, Register};
use muutostieto::Encoding;

use super::args::ReadArgs;
use super::driver::{read_file, Job, Jobs, Step, StreamError};
use super::family::{Families, Kind, KindArg};
use super::io::{display_name, Files, Input};
use super::report::{format_diagnostic, plural, Report};
use super::{EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE};

/// Rejected lines printed per file (the rest are counted).
const MAX_MESSAGES: usize = 20;

/// The `--db` option of the register verbs.
#[derive(Debug, Clone, Args)]
pub struct DbArg {
    /// The register: an SQLite file (created when missing) or a `postgres://` /
    /// `postgresql://` URL.
    #[arg(long, value_name = "DB")]
    pub db: String,
}

impl DbArg {
    /// Opens the register; errors as a message for stderr.
    pub fn open(&self) -> Result<Register, String> {
        Register::open(&self.db).map_err(|e| format!("{}: {e}", self.shown()))
    }

    /// The location to show: a URL without its password.
    pub fn shown(&self) -> String {
        shown_db(&self.db)
    }
}

/// A database location for messages: a URL's password replaced by `***`.
pub fn shown_db(db: &str) -> String {
    if !register::is_postgres_url(db) {
        return db.to_string();
    }
    let Some(scheme_end) = db.find("://") else {
        return db.to_string();
    };
    let rest = &db[scheme_end + 3..];
    let Some(at) = rest.find('@') else {
        return db.to_string();
    };
    match rest[..at].find(':') {
        Some(colon) => format!(
            "{}{}:***{}",
            &db[..scheme_end + 3],
            &rest[..colon],
            &rest[at..]
        ),
        None => db.to_string(),
    }
}

/// Arguments of `apply`.
#[derive(Debug, Args)]
#[command(after_help = "\
Applies person files (.PTT base deliveries, .MTT change deliveries, .PART slices) to a register, \
in the order given; each file is one transaction: a failure or a kill leaves the database as it \
was before the file, and the same command run again completes it. The rules (row keys per group, \
change attributes, id corrections, new persons) are in docs/register.md.
A file applied before (same sha256) is refused unless --reapply and it was the last file applied. \
A file whose name (…_YYYYMMDD…_NNN.MTT) or registration dates come before the last one applied is \
refused unless --allow-out-of-order. Lines that do not parse are stored in the `rejected` table \
(position and kind; their bytes only with --keep-rejected-bytes); --strict refuses the file at \
the first one. The first refused file stops the run.
Exit status: 0 every file applied, 1 a file refused or lines rejected, 2 usage, I/O or database \
errors.")]
pub struct ApplyArgs {
    #[command(flatten)]
    pub db: DbArg,
    #[command(flatten)]
    pub files: Files,
    #[command(flatten)]
    pub read: ReadArgs,
    /// Apply a file again although the same bytes were applied (only the last file applied).
    #[arg(long)]
    pub reapply: bool,
    /// Apply files whose names or registration dates come before the last file applied.
    #[arg(long)]
    pub allow_out_of_order: bool,
    /// Keep the raw bytes of rejected lines in the database (they are personal data).
    #[arg(long)]
    pub keep_rejected_bytes: bool,
    /// Do not print the summary.
    #[arg(short, long)]
    pub quiet: bool,
}

/// What stepping some items made, in file order.
enum Planned {
    Record(Plan, u64),
    Rejected {
        line: u64,
        column: u64,
        kind: &'static str,
        raw: Option<Vec<u8>>,
    },
}

/// What the reading thread sends the database thread.
enum Msg {
    Work(register::Work),
    Rejected {
        line: u64,
        column: u64,
        kind: &'static str,
        raw: Option<Vec<u8>>,
    },
    Stats(register::BatchStats),
}

#[derive(Default)]
struct ApplyOut {
    items: Vec<Planned>,
    messages: Vec<u8>,
    shown: usize,
}

struct ApplyJob<'a> {
    name: &'a str,
    encoding: Encoding,
    keep_bytes: bool,
}

impl Job<Person> for ApplyJob<'_> {
    type Out = ApplyOut;

    fn out(&self) -> ApplyOut {
        ApplyOut::default()
    }

    fn step(&self, out: &mut ApplyOut, step: Step<'_, '_, Person>) -> io::Result<()> {
        let error = step.diagnostics.iter().find(|d| d.is_error());
        let raw = || self.keep_bytes.then(|| step.raw.to_vec());
        let reject = |out: &mut ApplyOut, line: u64, column: u64, kind: &'static str| {
            out.items.push(Planned::Rejected {
                line,
                column,
                kind,
                raw: raw(),
            });
        };
        if let Some(d) = error {
            if out.shown < MAX_MESSAGES {
                out.shown += 1;
                writeln!(out.messages, "{}", format_diagnostic(self.name, d))?;
            }
            reject(out, d.line, d.column as u64, d.kind.name());
            return Ok(());
        }
        match step.item {
            Ok(Item::Record(record)) => match register::plan(&record, self.encoding) {
                Ok(plan) => out.items.push(Planned::Record(plan, step.first_line)),
                Err(u) => {
                    if out.shown < MAX_MESSAGES {
                        out.shown += 1;
                        writeln!(
                            out.messages,
                            "{}:{}: error: group {}: {}: the record cannot be stored",
                            self.name, step.first_line, u.group, u.kind
                        )?;
                    }
                    reject(out, step.first_line, 0, u.kind);
                }
            },
            Ok(Item::Envelope(_)) => {}
            Ok(Item::Malformed(_) | Item::Skipped(_)) | Err(_) => {
                reject(out, step.first_line, 0, "malformed");
            }
        }
        Ok(())
    }
}

#[derive(Default)]
struct Totals {
    files: u64,
    refused: u64,
    summary: FileSummary,
}

/// Runs `apply`.
pub fn run(args: ApplyArgs) -> io::Result<u8> {
    let mut report = Report::new();
    if args.read.family.layout.is_some() || args.read.family.kind == Some(KindArg::Building) {
        report.error("apply reads person files (.PTT, .MTT) with the built-in person layouts");
        return Ok(EXIT_USAGE);
    }
    let families = match Families::new(&args.read.family, args.quiet) {
        Ok(f) => f,
        Err(msg) => {
            report.error(msg);
            return Ok(EXIT_USAGE);
        }
    };
    let mut register = match args.db.open() {
        Ok(r) => r,
        Err(msg) => {
            report.error(msg);
            return Ok(EXIT_USAGE);
        }
    };
    let opts = ApplyOptions {
        reapply: args.reapply,
        allow_out_of_order: args.allow_out_of_order,
        keep_rejected_bytes: args.keep_rejected_bytes,
        strict: args.read.strict,
    };
    // One reading thread by default: the database, on its own thread, is the bottleneck, and
    // parsing on more threads only competes with it for the cores.
    let jobs = Jobs::new(args.read.jobs.unwrap_or(1), args.read.chunk_size)?;
    let mut totals = Totals::default();
    let mut code = EXIT_OK;
    for path in &args.files.files {
        let name = display_name(path);
        let (parse, input, kind) = match families.open_read(path, &args.read, &mut report) {
            Ok(opened) => opened,
            Err(e) => {
                report.error(e);
                code = EXIT_USAGE;
                break;
            }
        };
        if !matches!(kind, Kind::Person) {
            report.error(format_args!(
                "{name}: {} records; apply reads person files only (.PTT, .MTT)",
                kind.name()
            ));
            code = EXIT_USAGE;
            break;
        }
        let hashing = HashingReader::new(input.reader);
        let hash = hashing.handle();
        let input = Input {
            reader: Box::new(BufReader::with_capacity(256 * 1024, hashing)),
            len: input.len,
        };
        let started = std::time::Instant::now();
        // A named regular file is hashed first (only when files were applied before), so
        // that a file applied before is refused before it is read; stdin is hashed as read.
        let early_hash = || -> io::Result<Option<String>> {
            if path.as_os_str() == "-" || !std::fs::metadata(path)?.is_file() {
                return Ok(None);
            }
            register::sha256_file(path)
                .map(Some)
                .map_err(|e| io::Error::new(e.kind(), format!("{name}: {e}")))
        };
        let mut apply = match register.begin_file_hashed(&name, &opts, early_hash) {
            Ok(a) => a,
            Err(e) => {
                code = refusal_code(&e);
                report.error(e);
                totals.refused += 1;
                break;
            }
        };
        let job = ApplyJob {
            name: &name,
            encoding: parse.encoding,
            keep_bytes: args.keep_rejected_bytes,
        };
        let mut shown = 0usize;
        let mut hidden = 0u64;
        // Reading and planning here, writing on a thread of its own: the database works
        // while the next records are parsed. The channel is bounded: memory stays constant.
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Msg>>(4);
        // Written batches come back to be dropped here, where their strings were made.
        let (back_tx, back_rx) = std::sync::mpsc::channel::<register::Batch>();
        let mut batcher = apply.batcher();
        let (result, applied) = std::thread::scope(|scope| {
            let writer = scope.spawn(
                move || -> Result<register::FileApply<'_>, register::RegisterError> {
                    for msgs in rx {
                        for msg in msgs {
                            match msg {
                                Msg::Work(w) => {
                                    if let Some(b) = apply.work(w)? {
                                        let _ = back_tx.send(b);
                                    }
                                }
                                Msg::Rejected {
                                    line,
                                    column,
                                    kind,
                                    raw,
                                } => apply.reject(line, column, kind, raw.as_deref())?,
                                Msg::Stats(st) => apply.add_stats(&st),
                            }
                        }
                    }
                    Ok(apply)
                },
            );
            let mut works = Vec::new();
            let mut to_msgs = |items: &mut Vec<Planned>, batcher: &mut register::Batcher| {
                let mut msgs = Vec::new();
                for item in items.drain(..) {
                    match item {
                        Planned::Record(plan, line) => {
                            batcher.push(plan, line, &mut works);
                            msgs.extend(works.drain(..).map(Msg::Work));
                        }
                        Planned::Rejected {
                            line,
                            column,
                            kind,
                            raw,
                        } => msgs.push(Msg::Rejected {
                            line,
                            column,
                            kind,
                            raw,
                        }),
                    }
                }
                msgs
            };
            let result = read_file(
                Person,
                path,
                input,
                parse,
                &jobs,
                &mut report,
                &job,
                |o: &mut ApplyOut, report| {
                    if shown < MAX_MESSAGES {
                        report.lines(&o.messages);
                        shown += o.shown;
                    } else {
                        hidden += o.shown as u64;
                    }
                    o.messages.clear();
                    o.shown = 0;
                    back_rx.try_iter().for_each(drop);
                    let msgs = to_msgs(&mut o.items, &mut batcher);
                    if msgs.is_empty() {
                        return Ok(());
                    }
                    // A closed channel: the writer stopped on an error (reported below).
                    tx.send(msgs)
                        .map_err(|_| io::Error::other("the database writer stopped"))
                },
            );
            if result.is_ok() {
                let mut rest = Vec::new();
                batcher.finish(&mut rest);
                let mut msgs: Vec<Msg> = rest.into_iter().map(Msg::Work).collect();
                msgs.push(Msg::Stats(batcher.stats().clone()));
                let _ = tx.send(msgs);
            }
            drop(tx);
            let applied = writer.join().unwrap_or_else(|_| {
                Err(register::RegisterError::Database(
                    "the database writer panicked".into(),
                ))
            });
            back_rx.try_iter().for_each(drop);
            (result, applied)
        });
        if hidden > 0 {
            report.line(format_args!(
                "{name}: {} more not shown",
                plural(hidden, "rejected line", "rejected lines")
            ));
        }
        let apply = match applied {
            Ok(apply) => apply,
            Err(e) => {
                code = refusal_code(&e);
                report.error(e);
                totals.refused += 1;
                break;
            }
        };
        if let Err(StreamError::Input(e) | StreamError::Output(e)) = result {
            drop(apply);
            report.error(format_args!("{e}; nothing of {name} was applied"));
            code = EXIT_USAGE;
            break;
        }
        match apply.finish(&hash.hex()) {
            Ok(s) => {
                totals.files += 1;
                if !args.quiet {
                    // From the start of the file to its commit: reading and writing.
                    let secs = started.elapsed().as_secs_f64().max(1e-9);
                    report.line(format_args!(
                        "apply: {name}: {}{}, {} new, {} for persons not held (applied as new), \
                         {} re-keyed, {} rejected; sha256 {}; {:.2} s, {:.0} records/s",
                        plural(s.records, "record", "records"),
                        if s.reapplied { " (reapplied)" } else { "" },
                        s.new_persons,
                        s.unknown_persons,
                        s.rekeyed,
                        plural(s.rejected, "line", "lines"),
                        &s.sha256[..16.min(s.sha256.len())],
                        secs,
                        s.records as f64 / secs,
                    ));
                    let notes = [
                        (
                            s.unpaired_corrections,
                            "to-be-corrected (5) group without its corrected (6) group",
                            "to-be-corrected (5) groups without their corrected (6) groups",
                        ),
                        (
                            s.orphan_qualifiers,
                            "qualifying group without a host",
                            "qualifying groups without a host",
                        ),
                        (
                            s.unknown_attributes,
                            "group with an unknown change attribute",
                            "groups with an unknown change attribute",
                        ),
                    ];
                    for (n, one, many) in notes {
                        if n > 0 {
                            report.line(format_args!(
                                "  note: {} (no state change)",
                                plural(n, one, many)
                            ));
                        }
                    }
                }
                if s.rejected > 0 {
                    code = code.max(EXIT_PROBLEMS);
                }
                add(&mut totals.summary, &s);
            }
            Err(e) => {
                code = refusal_code(&e);
                report.error(e);
                totals.refused += 1;
                break;
            }
        }
    }
    if !args.quiet && args.files.files.len() > 1 {
        let s = &totals.summary;
        report.line(format_args!(
            "apply: {} applied{}: {}, {} rejected, into {}",
            plural(totals.files, "file", "files"),
            if totals.refused > 0 {
                ", then one refused (the rest not applied)"
            } else {
                ""
            },
            plural(s.records, "record", "records"),
            plural(s.rejected, "line", "lines"),
            args.db.shown()
        ));
    }
    Ok(code)
}

/// Exit status for a refused or failed file.
fn refusal_code(e: &register::RegisterError) -> u8 {
    use register::RegisterError as E;
    match e {
        E::Duplicate { .. } | E::OutOfOrder { .. } | E::Strict { .. } => EXIT_PROBLEMS,
        E::Database(_) | E::SchemaTooNew { .. } | E::Io(_) | E::Usage(_) => EXIT_USAGE,
    }
}

fn add(t: &mut FileSummary, s: &FileSummary) {
    t.records += s.records;
    t.rejected += s.rejected;
    t.new_persons += s.new_persons;
    t.unknown_persons += s.unknown_persons;
    t.rekeyed += s.rekeyed;
}
