//! Command-line interface. Each verb lives in its own module. What they share, from the bottom
//! up: `io` (files or stdin, buffered output, broken pipes), `report` (stderr, progress bar),
//! `driver` (reading a file's items in one thread or several, `--jobs`, with the same output),
//! `family` (which record family a file holds), `args` (the options of every reading verb).

mod apply;
mod args;
mod check;
mod convert;
mod db;
mod distinct;
mod driver;
mod export;
mod family;
mod generate;
mod idlist;
mod io;
mod layout;
mod parse;
mod report;
mod roundtrip;
mod stats;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Exit code: success.
pub const EXIT_OK: u8 = 0;
/// Exit code: the input has problems (or differs, for `roundtrip`).
pub const EXIT_PROBLEMS: u8 = 1;
/// Exit code: usage or I/O error.
pub const EXIT_USAGE: u8 = 2;

/// Reads, checks and converts the fixed-width change files of the Finnish population
/// information system (VTJ muutostietopalvelu): .PTT, .MTT and .HTT.
#[derive(Debug, Parser)]
#[command(
    name = "muutostieto",
    version,
    propagate_version = true,
    after_help = "\
Every verb reads several files; `-` is stdin. The record family (--kind person) is told from \
each file's first record line; --layout FILE reads files with the layouts of a layout file (see \
`muutostieto layout`). Data goes to stdout, diagnostics to stderr (except for `check`, whose \
report is its data). Diagnostics give positions, group codes and field names; \
values (personal data) only with --show-values.
Exit status: 0 success, 1 problems found in the input, 2 usage or I/O errors."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Parse change files and write their records as JSON Lines, a JSON array or CSV.
    Parse(parse::ParseArgs),
    /// Read every record and report every problem, with a summary.
    Check(check::CheckArgs),
    /// Convert person records into the change API's JSON model (muutokset or perustiedot).
    Convert(convert::ConvertArgs),
    /// Export change files as typed tables (Parquet or CSV), one per group kind, for DuckDB,
    /// Spark and Polars.
    Export(export::ExportArgs),
    /// Count records, persons, lines, events, groups, diagnostics and throughput.
    Stats(stats::StatsArgs),
    /// Parse and rewrite every record, compare with the input bytes (or transcode).
    Roundtrip(roundtrip::RoundtripArgs),
    /// Person-id list files (.HTT): check or make.
    Idlist(idlist::IdlistArgs),
    /// Record layouts: print the built-in ones, check layout files.
    Layout(layout::LayoutArgs),
    /// Write a synthetic change file with test ids (for tests and benchmarks).
    Generate(generate::GenerateArgs),
    /// Apply base and change deliveries to a register (SQLite file or PostgreSQL), one
    /// transaction per file.
    Apply(apply::ApplyArgs),
    /// A person's current data in the register, as the change API's perustiedot JSON.
    Show(db::ShowArgs),
    /// Every change applied to a person in the register.
    History(db::HistoryArgs),
    /// The register database: `db status`.
    Db(db::DbArgs),
}

/// Runs the tool.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let result = match cli.command {
        Command::Parse(args) => parse::run(args),
        Command::Check(args) => check::run(args),
        Command::Convert(args) => convert::run(args),
        Command::Export(args) => export::run(args),
        Command::Stats(args) => stats::run(args),
        Command::Roundtrip(args) => roundtrip::run(args),
        Command::Idlist(args) => idlist::run(args),
        Command::Layout(args) => layout::run(args),
        Command::Generate(args) => generate::run(args),
        Command::Apply(args) => apply::run(args),
        Command::Show(args) => db::show(args),
        Command::History(args) => db::history(args),
        Command::Db(args) => db::run(args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) if io::is_broken_pipe(&e) => ExitCode::from(EXIT_OK),
        Err(e) => {
            use std::io::Write as _;
            let _ = writeln!(std::io::stderr(), "muutostieto: error: {e}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}
