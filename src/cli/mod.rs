//! Command-line interface. Each verb lives in its own module; `input` holds what they share
//! (opening files or stdin, choosing the encoding, streaming items with their diagnostics).

mod input;
mod parse;

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
#[command(name = "muutostieto", version, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Parse a change file and write its records as JSON Lines (one object per record).
    Parse(parse::ParseArgs),
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
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) if input::is_broken_pipe(&e) => ExitCode::from(EXIT_OK),
        Err(e) => {
            eprintln!("muutostieto: {e}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}
