//! `muutostieto convert`: person records into the change API's JSON model — one `Muutos` (or
//! one `Perustieto`) per line, or one whole response document.

use std::io::{self, Write};

use clap::{Args, ValueEnum};
use muutostieto::convert::{ConvertOptions, Converter, Counts, Placement, API_NAMES};
use muutostieto::person::Person;
use muutostieto::record::Item;

use super::args::ReadArgs;
use super::driver::{file_result, read_file, Job, Step, ViewStep};
use super::family::{Families, Kind, KindArg};
use super::io::{display_name, stdout, Files};
use super::report::{format_diagnostic, plural, Report};
use super::{EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE};

/// What `convert` makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ConvertTarget {
    /// Changes: one `Muutos` per record (`POST /api/v1/muutokset`).
    #[default]
    Muutokset,
    /// Base data: one person (`Perustieto`, no `muutosattribuutti`) per record
    /// (`POST /api/v1/perustiedot`).
    Perustiedot,
}

/// Arguments of `convert`.
#[derive(Debug, Args)]
#[command(after_help = "\
Person files only (.PTT, .MTT, .PART); a building file is a usage error. Every legacy group \
becomes an API group, is nested in one (320, 451, 452, 307, 317) or merged into one (007 → one \
KANSALAISUUS), or, without an API counterpart, becomes a LEGACY_<code> group with its text. \
The mapping: docs/api-mapping.md. Envelope and malformed lines are not converted (see the \
summary). The summary on stderr counts the groups by name.
Exit status: 0 when no errors were found (warnings are allowed), 1 when some were, 2 on usage errors or \
files that cannot be read.")]
pub struct ConvertArgs {
    #[command(flatten)]
    pub files: Files,
    #[command(flatten)]
    pub read: ReadArgs,
    /// What to make.
    #[arg(long, value_enum, default_value_t = ConvertTarget::Muutokset)]
    pub to: ConvertTarget,
    /// Write one response document (`MuutoksetResponse` with `viimeisinKirjausavain` 0 and
    /// `ajanTasalla` true, or `PerustiedotResponse`) instead of one JSON object per line.
    #[arg(long)]
    pub envelope: bool,
    /// Send KOTIKUNTA's move-in date only as `kuntaanMuuttopv` (the API also sends
    /// `kuntaanMuuttoPv`).
    #[arg(long)]
    pub one_move_in_spelling: bool,
    /// Do not print the summary on stderr.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Runs `convert`: JSON on stdout, diagnostics and the summary on stderr.
pub fn run(args: ConvertArgs) -> io::Result<u8> {
    let mut report = Report::new();
    if args.read.family.layout.is_some() {
        report.error("convert reads person files with the built-in person layouts; --layout is not supported");
        return Ok(EXIT_USAGE);
    }
    if args.read.family.kind == Some(KindArg::Building) {
        report.error(
            "convert reads person files only (.PTT, .MTT); --kind building is not supported",
        );
        return Ok(EXIT_USAGE);
    }
    let families = match Families::new(&args.read.family, args.quiet) {
        Ok(f) => f,
        Err(msg) => {
            report.error(msg);
            return Ok(EXIT_USAGE);
        }
    };
    let base = args.to == ConvertTarget::Perustiedot;
    let mut opts = ConvertOptions::default();
    opts.both_move_in_spellings = !args.one_move_in_spelling;
    let mut output = Output {
        out: stdout(),
        envelope: args.envelope,
        base,
        first: true,
    };
    output.begin()?;
    let jobs = args.read.jobs()?;
    let mut totals = Totals::default();
    for path in &args.files.files {
        let name = display_name(path);
        let (opts_read, input, kind) = match families.open_read(path, &args.read, &mut report) {
            Ok(opened) => opened,
            Err(e) => {
                totals.unreadable += 1;
                report.error(e);
                continue;
            }
        };
        if !matches!(kind, Kind::Person) {
            totals.unreadable += 1;
            report.error(format_args!(
                "{name}: {} records; convert reads person files only (.PTT, .MTT)",
                kind.name()
            ));
            continue;
        }
        let job = ConvertJob {
            name: &name,
            base,
            envelope: args.envelope,
            opts,
        };
        let result = read_file(
            Person,
            path,
            input,
            opts_read,
            &jobs,
            &mut report,
            &job,
            |o: &mut ConvertOut, report| {
                o.converter.flush_note_counts(&mut o.counts);
                totals.counts.merge(&o.counts);
                totals.errors += o.errors;
                totals.warnings += o.warnings;
                totals.not_converted += o.not_converted;
                report.lines(&o.messages);
                output.write(o)?;
                report.sync_stdout(|| output.out.flush())?;
                o.clear();
                Ok(())
            },
        );
        if file_result(result, &mut report, &mut totals.unreadable)?.is_some() {
            totals.files += 1;
        }
    }
    output.end()?;
    if !args.quiet {
        summary(&mut report, &totals, base);
    }
    Ok(if totals.unreadable > 0 {
        EXIT_USAGE
    } else if totals.errors > 0 {
        EXIT_PROBLEMS
    } else {
        EXIT_OK
    })
}

#[derive(Default)]
struct Totals {
    files: u64,
    unreadable: u64,
    errors: u64,
    warnings: u64,
    not_converted: u64,
    counts: Counts,
}

/// The summary on stderr: records, groups by name, `LEGACY_` groups, notes.
fn summary(report: &mut Report, t: &Totals, base: bool) {
    let c = &t.counts;
    let made = if base { "perustiedot" } else { "muutokset" };
    let mut line = format!(
        "convert: {}, {} → {} {made}; {} → {} ({} of them LEGACY_); {}, {}",
        plural(t.files, "file", "files"),
        plural(c.records, "record", "records"),
        c.records,
        plural(c.legacy_groups_in, "legacy group", "legacy groups"),
        plural(c.output_groups(), "group", "groups"),
        c.legacy_groups.values().sum::<u64>(),
        plural(t.errors, "error", "errors"),
        plural(t.warnings, "warning", "warnings"),
    );
    if t.not_converted > 0 {
        line.push_str(&format!(
            ", {} not converted (envelope or malformed)",
            plural(t.not_converted, "line", "lines")
        ));
    }
    if t.unreadable > 0 {
        line.push_str(&format!(
            ", {} not readable",
            plural(t.unreadable, "file", "files")
        ));
    }
    report.line(line);
    if c.legacy_groups_in > 0 {
        report.line(format_args!(
            "  legacy groups: {} own group, {} nested, {} merged, {} LEGACY_",
            c.placed(Placement::Group),
            c.placed(Placement::Nested),
            c.placed(Placement::Merged),
            c.placed(Placement::Legacy),
        ));
    }
    let groups: Vec<String> = API_NAMES
        .iter()
        .zip(&c.api_groups)
        .filter(|(_, n)| **n > 0)
        .map(|(name, n)| format!("{name} {n}"))
        .collect();
    if !groups.is_empty() {
        report.line(format_args!("  API groups: {}", groups.join(", ")));
    }
    if !c.legacy_groups.is_empty() {
        let legacy: Vec<String> = c
            .legacy_groups
            .iter()
            .map(|(code, n)| format!("LEGACY_{code} {n}"))
            .collect();
        report.line(format_args!("  LEGACY_ groups: {}", legacy.join(", ")));
    }
    for ((code, kind), n) in &c.notes {
        report.line(format_args!(
            "  note: {} {kind}: {}",
            String::from_utf8_lossy(code),
            plural(*n, "time", "times")
        ));
    }
}

/// `convert`'s work on one file's items.
struct ConvertJob<'a> {
    name: &'a str,
    base: bool,
    envelope: bool,
    opts: ConvertOptions,
}

/// What `convert` makes of some items.
struct ConvertOut {
    /// JSON (in an envelope: objects separated by `,\n`, none before the first).
    json: Vec<u8>,
    /// Objects in `json`.
    items: u64,
    counts: Counts,
    errors: u64,
    warnings: u64,
    not_converted: u64,
    /// Lines for stderr.
    messages: Vec<u8>,
    converter: Converter,
}

impl ConvertOut {
    /// Empties the accumulator, keeping its buffers.
    fn clear(&mut self) {
        self.json.clear();
        self.messages.clear();
        self.items = 0;
        self.counts = Counts::default();
        self.errors = 0;
        self.warnings = 0;
        self.not_converted = 0;
    }
}

impl Job<Person> for ConvertJob<'_> {
    type Out = ConvertOut;
    const REUSE_OUT: bool = true;

    fn out(&self) -> ConvertOut {
        ConvertOut {
            json: Vec::new(),
            items: 0,
            counts: Counts::default(),
            errors: 0,
            warnings: 0,
            not_converted: 0,
            messages: Vec::new(),
            converter: {
                // The notes are added to `counts` once a chunk, before it is merged.
                let mut converter = Converter::new(self.opts);
                converter.defer_note_counts();
                converter
            },
        }
    }

    fn step(&self, out: &mut ConvertOut, step: Step<'_, '_, Person>) -> io::Result<()> {
        let Some(item) = self.messages(out, step.diagnostics, step.item)? else {
            return Ok(());
        };
        let Item::Record(record) = &item else {
            out.not_converted += 1;
            return Ok(());
        };
        self.open_object(out);
        let converted = if self.base {
            out.converter.perustieto(record)
        } else {
            out.converter.muutos(record)
        };
        out.counts.add(&converted);
        converted.write_json(&mut out.json);
        self.close_object(out);
        Ok(())
    }

    /// Records are converted from the record as checked, without typing it (the same text:
    /// tests/convert_fast.rs).
    fn step_view(
        &self,
        out: &mut ConvertOut,
        step: ViewStep<'_, '_, '_, Person>,
    ) -> io::Result<()> {
        let Some(item) = self.messages(out, step.diagnostics, step.item)? else {
            return Ok(());
        };
        let Item::Record(view) = item else {
            out.not_converted += 1;
            return Ok(());
        };
        self.open_object(out);
        let ConvertOut {
            converter,
            json,
            counts,
            ..
        } = out;
        if self.base {
            converter.write_perustieto_view(view, json, counts);
        } else {
            converter.write_muutos_view(view, json, counts);
        }
        self.close_object(out);
        Ok(())
    }
}

impl ConvertJob<'_> {
    /// Counts and prints an item's diagnostics; the item, unless strict mode stopped at it.
    fn messages<T>(
        &self,
        out: &mut ConvertOut,
        diagnostics: &[muutostieto::Diagnostic],
        item: Result<T, muutostieto::Error>,
    ) -> io::Result<Option<T>> {
        let name = self.name;
        for d in diagnostics {
            if d.is_error() {
                out.errors += 1;
            } else {
                out.warnings += 1;
            }
            writeln!(out.messages, "{}", format_diagnostic(name, d))?;
        }
        match item {
            Ok(item) => Ok(Some(item)),
            Err(_) => {
                writeln!(
                    out.messages,
                    "{name}: stopped at the first error (strict mode)"
                )?;
                Ok(None)
            }
        }
    }

    /// The separator before an object (in an envelope).
    fn open_object(&self, out: &mut ConvertOut) {
        if self.envelope && out.items > 0 {
            out.json.extend_from_slice(b",\n");
        }
    }

    /// The line end after an object (JSON Lines), and its count.
    fn close_object(&self, out: &mut ConvertOut) {
        if !self.envelope {
            out.json.push(b'\n');
        }
        out.items += 1;
    }
}

/// `convert`'s stdout.
struct Output {
    out: io::BufWriter<io::StdoutLock<'static>>,
    envelope: bool,
    base: bool,
    /// No object written yet.
    first: bool,
}

impl Output {
    fn begin(&mut self) -> io::Result<()> {
        if self.envelope {
            let head: &[u8] = if self.base {
                b"{\"ajanTasalla\":true,\"perustiedot\":["
            } else {
                b"{\"viimeisinKirjausavain\":0,\"muutokset\":["
            };
            self.out.write_all(head)?;
        }
        Ok(())
    }

    fn write(&mut self, o: &ConvertOut) -> io::Result<()> {
        if o.items > 0 {
            if self.envelope {
                self.out
                    .write_all(if self.first { b"\n" } else { b",\n" })?;
            }
            self.first = false;
            self.out.write_all(&o.json)?;
        }
        Ok(())
    }

    fn end(&mut self) -> io::Result<()> {
        if self.envelope {
            let newline: &[u8] = if self.first { b"" } else { b"\n" };
            self.out.write_all(newline)?;
            let tail: &[u8] = if self.base {
                b"]}\n"
            } else {
                b"],\"ajanTasalla\":true}\n"
            };
            self.out.write_all(tail)?;
        }
        self.out.flush()
    }
}
