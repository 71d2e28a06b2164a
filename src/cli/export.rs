//! `muutostieto export`: change files as typed tables (Parquet or CSV) in a directory, one per
//! group kind plus `records` and `rejected`, for DuckDB, Spark and Polars.

use std::io;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use clap::{Args, ValueEnum};
use muutostieto::export::{Batch, Exporter, Format, Options, Plan, DEFAULT_ROW_GROUP_ROWS};
use muutostieto::record::Family;

use super::args::ReadArgs;
use super::driver::{default_jobs, file_result, read_file, Job, Jobs, Step, ViewStep};
use super::family::{with_family, Families};
use super::io::{display_name, Files};
use super::report::{mb_per_s, plural, Report};
use super::{EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE};

/// Output formats of `export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ExportFormat {
    /// Apache Parquet (zstd), for DuckDB, Spark, Polars, pandas.
    #[default]
    Parquet,
    /// CSV with a header line, for tools that cannot read Parquet.
    Csv,
}

/// Arguments of `export`.
#[derive(Debug, Args)]
#[command(after_help = "\
Writes into DIR one table per group layout (e.g. 004_current_name.parquet, \
101_permanent_address.parquet), records.parquet (one row per record), rejected.parquet (one row \
per diagnostic: positions and kinds, no values unless --show-values, no bytes unless \
--keep-rejected-bytes) and schema.md, which describes every column. Existing files of those names \
are replaced. Group rows carry file, line, the record key (person_id, building_id), event, \
registered; join them with records on (file, line); qualifying groups (320, 451, 452) with their \
host on (file, line, host_index = group_index). Dates are DATE columns plus <field>_precision \
(day, month, year, none, indefinite, invalid); codes are strings plus <field>_meaning. \
All files of one run must be of one record family (the columns are that family's). \
Diagnostics are not printed (they are in rejected); the summary is, unless -q.
Exit status: 0 when no errors were found (warnings are allowed), 1 when some were, 2 on usage or \
output errors or files that cannot be read.")]
pub struct ExportArgs {
    #[command(flatten)]
    pub files: Files,
    #[command(flatten)]
    pub read: ReadArgs,
    /// The output directory (created when missing).
    #[arg(long, short = 'o', value_name = "DIR")]
    pub out: PathBuf,
    /// Table format.
    #[arg(long, value_enum, default_value_t = ExportFormat::Parquet)]
    pub format: ExportFormat,
    /// Rows per Parquet row group at most (row groups are flushed earlier when the tables
    /// together hold 48 MiB).
    #[arg(long, default_value_t = DEFAULT_ROW_GROUP_ROWS as u64, value_name = "N",
          value_parser = clap::value_parser!(u64).range(1..))]
    pub row_group_rows: u64,
    /// zstd level for Parquet (1-22; 0 writes uncompressed).
    #[arg(long, default_value_t = 1, value_name = "LEVEL",
          value_parser = clap::value_parser!(i32).range(0..=22))]
    pub zstd_level: i32,
    /// Keep the bytes of items with diagnostics in rejected.raw (personal data).
    #[arg(long)]
    pub keep_rejected_bytes: bool,
    /// Do not print the summary, nor the note on a file whose record family cannot be told.
    #[arg(short, long)]
    pub quiet: bool,
}

/// `export`'s work on one file's items: rows into a batch.
struct ExportJob<'a> {
    plan: &'a Plan,
    name: &'a str,
    leftover: Arc<Mutex<Vec<Batch>>>,
}

/// The chunk size with several threads (other verbs read 4 MiB chunks).
const PARALLEL_CHUNK: usize = 1 << 20;

/// Rows a batch gathers before the sink writes it, reading in one thread (whose accumulator
/// lives from chunk to chunk): the writers then get fewer, larger batches.
const SEQUENTIAL_BATCH_ROWS: usize = 32 * 1024;

/// What `export` makes of some items.
struct ExportOut {
    batch: Batch,
    records: u64,
    errors: u64,
    warnings: u64,
    stopped: bool,
    /// Where the rows still in `batch` go when the accumulator is dropped (at the end of a
    /// file read in one thread, the driver drops it after the last sink).
    leftover: Arc<Mutex<Vec<Batch>>>,
}

impl Drop for ExportOut {
    fn drop(&mut self) {
        if self.batch.total_rows() > 0 {
            let batch = std::mem::replace(&mut self.batch, Batch::empty());
            if let Ok(mut left) = self.leftover.lock() {
                left.push(batch);
            }
        }
    }
}

impl<F: Family> Job<F> for ExportJob<'_> {
    type Out = ExportOut;
    /// The sink takes the rows and zeroes the counts: the batch's builders are used again.
    const REUSE_OUT: bool = true;

    fn out(&self) -> ExportOut {
        ExportOut {
            batch: Batch::new(self.plan),
            records: 0,
            errors: 0,
            warnings: 0,
            stopped: false,
            leftover: self.leftover.clone(),
        }
    }

    fn step(&self, out: &mut ExportOut, step: Step<'_, '_, F>) -> io::Result<()> {
        out.count(step.diagnostics);
        match &step.item {
            Ok(item) => {
                out.records += u64::from(item.as_record().is_some());
                out.batch
                    .add_item(self.plan, self.name, item, step.diagnostics, step.raw);
            }
            Err(_) => out.stop(self, step.first_line, step.diagnostics, step.raw),
        }
        Ok(())
    }

    /// Records go into the columns from their bytes, untyped.
    fn step_view(&self, out: &mut ExportOut, step: ViewStep<'_, '_, '_, F>) -> io::Result<()> {
        out.count(step.diagnostics);
        match &step.item {
            Ok(item) => {
                out.records += u64::from(item.as_record().is_some());
                out.batch
                    .add_view_item(self.plan, self.name, item, step.diagnostics, step.raw);
            }
            Err(_) => out.stop(self, step.first_line, step.diagnostics, step.raw),
        }
        Ok(())
    }
}

impl ExportOut {
    /// Counts an item's diagnostics.
    fn count(&mut self, diagnostics: &[muutostieto::Diagnostic]) {
        for d in diagnostics {
            if d.is_error() {
                self.errors += 1;
            } else {
                self.warnings += 1;
            }
        }
    }

    /// The error that stopped strict mode, in `rejected`.
    fn stop(
        &mut self,
        job: &ExportJob<'_>,
        first_line: u64,
        diagnostics: &[muutostieto::Diagnostic],
        raw: &[u8],
    ) {
        self.stopped = true;
        self.batch
            .add_diagnostics(job.plan, job.name, "stop", first_line, diagnostics, raw);
    }
}

/// Runs `export`.
pub fn run(args: ExportArgs) -> io::Result<u8> {
    let mut report = Report::new();
    let families = match Families::new(&args.read.family, args.quiet) {
        Ok(f) => f,
        Err(msg) => {
            report.error(msg);
            return Ok(EXIT_USAGE);
        }
    };
    let threads = args.read.jobs.unwrap_or_else(default_jobs);
    let options = Options {
        format: match args.format {
            ExportFormat::Parquet => Format::Parquet,
            ExportFormat::Csv => Format::Csv,
        },
        row_group_rows: usize::try_from(args.row_group_rows).unwrap_or(usize::MAX),
        zstd_level: (args.zstd_level > 0).then_some(args.zstd_level),
        keep_rejected_bytes: args.keep_rejected_bytes,
        // As many threads encode the tables as read the input: the sink hands them the rows.
        threads,
        ..Options::default()
    };
    // Several threads parse and fill batches while this one writes: smaller chunks than other
    // verbs read keep the batches in flight (two per thread) small.
    let jobs = Jobs::new(threads, args.read.chunk_size.min(PARALLEL_CHUNK))?;
    // The plan and the exporter are made for the first file's family.
    let mut target: Option<(&'static str, Plan, Exporter)> = None;
    let (mut files, mut unreadable, mut records, mut errors, mut warnings, mut bytes) =
        (0u64, 0u64, 0u64, 0u64, 0u64, 0u64);
    let mut stopped = 0u64;
    let start = std::time::Instant::now();
    for path in &args.files.files {
        let name = display_name(path);
        let (opts, input, kind) = match families.open_read(path, &args.read, &mut report) {
            Ok(opened) => opened,
            Err(e) => {
                unreadable += 1;
                report.error(e);
                continue;
            }
        };
        match &target {
            None => {
                let plan = Plan::new(kind.schema(), options.keep_rejected_bytes);
                let exporter = match Exporter::create(&args.out, &plan, options) {
                    Ok(e) => e,
                    Err(e) => {
                        report.error(e);
                        return Ok(EXIT_USAGE);
                    }
                };
                target = Some((kind.name(), plan, exporter));
            }
            Some((family, _, _)) if *family != kind.name() => {
                unreadable += 1;
                report.error(format_args!(
                    "{name}: {} records, but the tables are those of the {family} records read \
                     first (export files of one family per directory)",
                    kind.name()
                ));
                continue;
            }
            Some(_) => {}
        }
        let Some((_, plan, exporter)) = target.as_mut() else {
            continue;
        };
        let leftover = Arc::new(Mutex::new(Vec::new()));
        let job = ExportJob {
            plan,
            name: &name,
            leftover: leftover.clone(),
        };
        let whole = jobs.is_parallel();
        let mut failed: Option<muutostieto::export::ExportError> = None;
        let result = with_family!(kind, |family| read_file(
            family,
            path,
            input,
            opts,
            &jobs,
            &mut report,
            &job,
            |o: &mut ExportOut, _report| {
                records += o.records;
                errors += o.errors;
                warnings += o.warnings;
                stopped += u64::from(o.stopped);
                o.records = 0;
                o.errors = 0;
                o.warnings = 0;
                o.stopped = false;
                // In one thread the accumulator lives on: let it gather rows first.
                let ready = whole || o.batch.total_rows() >= SEQUENTIAL_BATCH_ROWS;
                if ready && failed.is_none() {
                    if let Err(e) = exporter.write(&mut o.batch) {
                        let msg = e.to_string();
                        failed = Some(e);
                        return Err(io::Error::other(msg));
                    }
                }
                Ok(())
            }
        ));
        drop(job);
        let left = match Arc::try_unwrap(leftover) {
            Ok(m) => m.into_inner().unwrap_or_default(),
            Err(shared) => shared
                .lock()
                .map(|mut v| std::mem::take(&mut *v))
                .unwrap_or_default(),
        };
        for mut batch in left {
            if failed.is_none() {
                if let Err(e) = exporter.write(&mut batch) {
                    failed = Some(e);
                }
            }
        }
        if let Some(e) = failed {
            report.error(e);
            return Ok(EXIT_USAGE);
        }
        if let Some(read) = file_result(result, &mut report, &mut unreadable)? {
            files += 1;
            bytes += read.bytes;
        }
    }
    let summary = match target {
        Some((_, _, exporter)) => match exporter.finish() {
            Ok(s) => s,
            Err(e) => {
                report.error(e);
                return Ok(EXIT_USAGE);
            }
        },
        None => Vec::new(),
    };
    if !args.quiet {
        let tables = summary.iter().filter(|t| t.rows > 0).count();
        let rows: u64 = summary.iter().map(|t| t.rows).sum();
        let mut line = format!(
            "export: {}, {}, {}, {} into {} ({} with rows, {}), {:.1} MB/s",
            plural(files, "file", "files"),
            plural(records, "record", "records"),
            plural(errors, "error", "errors"),
            plural(warnings, "warning", "warnings"),
            args.out.display(),
            plural(tables as u64, "table", "tables"),
            plural(rows, "row", "rows"),
            mb_per_s(bytes, start.elapsed()),
        );
        if stopped > 0 {
            line.push_str(&format!(
                ", {} stopped at an error (strict mode)",
                plural(stopped, "file", "files")
            ));
        }
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
    } else if errors > 0 {
        EXIT_PROBLEMS
    } else {
        EXIT_OK
    })
}
