//! `muutostieto layout`: print the built-in layouts (as a layout file, JSON or Markdown) and
//! check layout files.

use std::collections::BTreeSet;
use std::io::{self, Write};
use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use muutostieto::layout::{LayoutFile, Schema};

use super::family::{load_layout, KindArg, LayoutLoadError};
use super::io::{json_err, stdout};
use super::report::Report;
use super::{EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE};

/// Arguments of `layout`.
#[derive(Debug, Args)]
#[command(after_help = "\
A layout file describes a record family in TOML: the header, every group (code, length, fields \
with offset, length and kind) and the code tables. To correct or extend a layout:
  muutostieto layout show person > my.toml     # edit widths, add groups
  muutostieto layout check my.toml
  muutostieto parse --layout my.toml data.MTT")]
pub struct LayoutArgs {
    #[command(subcommand)]
    command: LayoutCommand,
}

#[derive(Debug, Subcommand)]
enum LayoutCommand {
    /// Print the built-in layouts of a family.
    Show(ShowArgs),
    /// Check layout files: `FILE: ok (…)` or `FILE:LINE: message` for each.
    Check(CheckArgs),
}

/// Output formats of `layout show`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum LayoutFormat {
    /// A layout file (TOML) that `--layout` and `layout check` read.
    #[default]
    Toml,
    /// The same layout file as JSON.
    Json,
    /// Markdown tables (the format reference).
    Markdown,
}

/// Arguments of `layout show`.
#[derive(Debug, Args)]
struct ShowArgs {
    /// The family.
    #[arg(value_enum)]
    kind: KindArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = LayoutFormat::Toml)]
    format: LayoutFormat,
}

/// Arguments of `layout check`.
#[derive(Debug, Args)]
#[command(after_help = "\
Exit status: 0 when every file is a valid layout, 1 when some are not, 2 on usage errors or files \
that cannot be read.")]
struct CheckArgs {
    /// Layout files; `-` reads stdin.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
}

/// Runs `layout`.
pub fn run(args: LayoutArgs) -> io::Result<u8> {
    match args.command {
        LayoutCommand::Show(a) => show(a),
        LayoutCommand::Check(a) => check(a),
    }
}

fn show(args: ShowArgs) -> io::Result<u8> {
    let schema = args.kind.schema();
    let mut out = stdout();
    match args.format {
        LayoutFormat::Toml => out.write_all(
            LayoutFile::from_schema(schema)
                .to_toml()
                .map_err(io::Error::other)?
                .as_bytes(),
        )?,
        LayoutFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &LayoutFile::from_schema(schema))
                .map_err(json_err)?;
            out.write_all(b"\n")?;
        }
        LayoutFormat::Markdown => out.write_all(schema.markdown().as_bytes())?,
    }
    out.flush()?;
    Ok(EXIT_OK)
}

/// `28 groups, 29 layouts, 22 code tables` (layouts only when a code has several).
fn summary(schema: &Schema) -> String {
    let codes: BTreeSet<[u8; 3]> = schema.groups.iter().map(|g| g.code).collect();
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut s = plural(codes.len(), "group", "groups");
    if schema.groups.len() != codes.len() {
        s.push_str(&format!(
            ", {}",
            plural(schema.groups.len(), "layout", "layouts")
        ));
    }
    s.push_str(&format!(
        ", {}",
        plural(schema.code_tables.len(), "code table", "code tables")
    ));
    s
}

fn check(args: CheckArgs) -> io::Result<u8> {
    let mut out = stdout();
    let mut report = Report::new();
    let (mut invalid, mut unreadable) = (0u64, 0u64);
    for path in &args.files {
        match load_layout(path) {
            Ok(schema) => writeln!(
                out,
                "{}: ok ({})",
                super::io::display_name(path),
                summary(&schema)
            )?,
            Err(LayoutLoadError::Invalid(msg)) => {
                invalid += 1;
                writeln!(out, "{msg}")?;
            }
            Err(LayoutLoadError::Io(e)) => {
                unreadable += 1;
                out.flush()?;
                report.error(e);
                report.flush();
            }
        }
    }
    out.flush()?;
    Ok(if unreadable > 0 {
        EXIT_USAGE
    } else if invalid > 0 {
        EXIT_PROBLEMS
    } else {
        EXIT_OK
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn person_summary_counts_codes_layouts_and_tables() {
        let s = summary(muutostieto::person::schema());
        assert!(s.contains("layouts"), "{s}");
        assert!(s.ends_with("code tables"), "{s}");
    }
}
