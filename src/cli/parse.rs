//! `muutostieto parse`: records as JSON Lines.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use clap::Args;

use super::input::{display_name, for_each_item, ReadArgs};
use super::{EXIT_OK, EXIT_PROBLEMS};

/// Arguments of `parse`.
#[derive(Debug, Args)]
pub struct ParseArgs {
    /// Input files (`-` for stdin).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub read: ReadArgs,
}

/// Runs `parse`: JSON Lines on stdout, diagnostics on stderr.
pub fn run(args: ParseArgs) -> io::Result<u8> {
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(256 * 1024, stdout.lock());
    let mut errors = false;
    for path in &args.files {
        let opts = args.read.options(path);
        let name = display_name(path);
        for_each_item(
            path,
            opts,
            |step| {
                for d in step.diagnostics {
                    errors |= d.is_error();
                    eprintln!("{name}: {d}");
                }
                match step.item {
                    Some(Ok(item)) => {
                        serde_json::to_writer(&mut out, &item).map_err(io::Error::from)?;
                        out.write_all(b"\n")
                    }
                    Some(Err(e)) => {
                        errors = true;
                        eprintln!("{name}: stopped (strict mode): {e}");
                        Ok(())
                    }
                    None => Ok(()),
                }
            },
        )?;
    }
    out.flush()?;
    Ok(if errors { EXIT_PROBLEMS } else { EXIT_OK })
}
