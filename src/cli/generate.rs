//! `muutostieto generate`: synthetic change files with test ids, for tests and benchmarks.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use muutostieto::testdata::{self, DeliveryKind, Options, Profile};
use muutostieto::Encoding;

use super::EXIT_OK;

/// Kind of delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    /// Base delivery (.PTT): every record new, every group added.
    Base,
    /// Change delivery (.MTT): changes, removals, 5/6 correction pairs.
    Change,
}

/// The mix of groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProfileArg {
    /// Every group code early and often (for tests).
    Coverage,
    /// The shape of real change deliveries: 1–5 groups a record, codes in the proportions of
    /// a real-shaped delivery (for benchmarks).
    RealShaped,
}

/// Output encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutEncoding {
    /// ISO-8859-1.
    Latin1,
    /// ISO-8859-15 (adds letters such as Š, Ž, Œ).
    Latin9,
    /// UTF-8.
    Utf8,
}

/// Arguments of `generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Number of records.
    #[arg(long, default_value_t = 1000)]
    pub records: u64,
    /// Write records until the file reaches this size instead (e.g. 100MB, 1GB, 512KiB).
    #[arg(long, value_parser = parse_size, value_name = "SIZE")]
    pub size: Option<u64>,
    /// Random seed: the same arguments give the same bytes.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Base (.PTT) or change (.MTT) delivery.
    #[arg(long, value_enum, default_value_t = KindArg::Change)]
    pub kind: KindArg,
    /// Output encoding.
    #[arg(long, value_enum, default_value_t = OutEncoding::Latin1)]
    pub encoding: OutEncoding,
    /// Split every N-th record into a continuation line (0 = never).
    #[arg(long, default_value_t = 25, value_name = "N")]
    pub continuation_every: u64,
    /// Add envelope lines (''') before and after the records.
    #[arg(long)]
    pub envelope: bool,
    /// The mix of groups (person files).
    #[arg(long, value_enum, default_value_t = ProfileArg::Coverage)]
    pub profile: ProfileArg,
    /// Output file (stdout when not given).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Parses `100MB`, `1GB`, `512KiB`, `4096`.
fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: u64 = num.parse().map_err(|_| format!("not a size: {s}"))?;
    let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1_000,
        "kib" => 1 << 10,
        "m" | "mb" => 1_000_000,
        "mib" => 1 << 20,
        "g" | "gb" => 1_000_000_000,
        "gib" => 1 << 30,
        other => {
            return Err(format!(
                "unknown size unit {other:?} (use KB, MB, GB, KiB, MiB, GiB)"
            ))
        }
    };
    n.checked_mul(mult)
        .ok_or_else(|| format!("size too large: {s}"))
}

/// Runs `generate`.
pub fn run(args: GenerateArgs) -> io::Result<u8> {
    let opts = Options {
        seed: args.seed,
        records: if args.size.is_some() {
            u64::MAX
        } else {
            args.records
        },
        target_bytes: args.size,
        profile: match args.profile {
            ProfileArg::Coverage => Profile::Coverage,
            ProfileArg::RealShaped => Profile::RealShaped,
        },
        kind: match args.kind {
            KindArg::Base => DeliveryKind::Base,
            KindArg::Change => DeliveryKind::Change,
        },
        encoding: match args.encoding {
            OutEncoding::Latin1 => Encoding::Latin1,
            OutEncoding::Latin9 => Encoding::Latin9,
            OutEncoding::Utf8 => Encoding::Utf8,
        },
        continuation_every: args.continuation_every,
        envelope: args.envelope,
    };
    let out = super::io::create(args.output.as_deref().unwrap_or(Path::new("-")))?;
    let summary = testdata::write(&opts, out)?;
    // The summary is informative only: a closed stderr must not fail the run.
    let _ = writeln!(
        io::stderr(),
        "generated {} records, {} lines, {} bytes",
        summary.records,
        summary.lines,
        summary.bytes
    );
    Ok(EXIT_OK)
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("100MB"), Ok(100_000_000));
        assert_eq!(parse_size("1GiB"), Ok(1 << 30));
        assert_eq!(parse_size("4096"), Ok(4096));
        assert!(parse_size("1TB").is_err());
        assert!(parse_size("x").is_err());
    }
}
