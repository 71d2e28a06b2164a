//! The `muutostieto` command-line tool: parse, check, statistics and round trips of VTJ change
//! files. See `muutostieto --help`.

// The one `unsafe` block is the memory map of `--mmap` (cli/io.rs).
#![deny(unsafe_code)]

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
