//! The `muutostieto` command-line tool: parse, check, statistics and round trips of VTJ change
//! files. See `muutostieto --help`.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
