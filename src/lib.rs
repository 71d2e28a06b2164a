//! # muutostieto
//!
//! Reads, validates, rewrites and converts the fixed-width change files of the Finnish population
//! information system (VTJ *muutostietopalvelu*, Digi- ja väestötietovirasto DVV): base
//! deliveries (`.PTT`), change deliveries (`.MTT`) and person-id lists (`.HTT`).
//!
//! * **Zero-copy**: records borrow from the input; text is decoded (ISO-8859-1, ISO-8859-15 or
//!   UTF-8) only when asked.
//! * **Byte-exact**: parse → write gives back the input bytes, odd bytes included; unknown groups
//!   and code values are kept raw.
//! * **One definition per group**: each layout ([`layout`]) drives parsing, writing, serde and
//!   the documentation table.
//! * **Positioned diagnostics** ([`Diagnostic`]: line, byte column, group, field) that never
//!   print personal data unless asked; strict and lenient [`Mode`]s; no panics on any input.
//!
//! ```
//! use muutostieto::person::{Group, Person};
//! use muutostieto::read::SliceReader;
//! use muutostieto::record::Item;
//! use muutostieto::ParseOptions;
//!
//! let mut line = b"010101-900RXBX201702081101|0041K\xf6skinen".to_vec();
//! line.resize(27 + 213, b' ');
//! line.extend_from_slice(b"|\r\n");
//! for parsed in SliceReader::new(Person, &line, ParseOptions::default()) {
//!     let parsed = parsed.unwrap();
//!     if let Item::Record(record) = parsed.item {
//!         for group in &record.groups {
//!             if let Group::CurrentName(name) = group {
//!                 assert_eq!(name.last_name.decode(), "Köskinen");
//!             }
//!         }
//!     }
//! }
//! ```
//!
//! Modules, from the bytes up (each uses only those before it): [`encoding`], [`hetu`]
//! (identity codes), [`diag`] (diagnostics, errors), [`field`] (typed values), [`layout`] (the
//! one definition of every header and group), [`frame`] (lines, header, groups), [`record`]
//! (records of any family, continuation lines, qualifying groups), [`read`] (slice, streaming,
//! chunked and parallel readers), [`write`](mod@write); then the record families [`person`],
//! [`building`] and [`dynamic`] (layouts loaded at run time); above them [`detect`], [`idlist`]
//! (`.HTT`), `convert` (person records into the new API's JSON model, feature `api`) and
//! `testdata` (the generator, feature `testdata`); on the same level as `detect`, `export`
//! (typed tables in Parquet or CSV for DuckDB, Spark and Polars, feature `parquet`). Beside
//! them, two leaves: [`municipality`] (the municipality code table) and `api` (the JSON model
//! of the new change API, feature `api`).
//!
//! Features: `cli` (default) builds the `muutostieto` command and turns on `testdata`,
//! `layout-files` (TOML layout files), `parallel` (rayon), `api` (serde_json: the API model
//! and the conversion) and `parquet` (the Apache Arrow and Parquet crates, zstd: the columnar
//! export). With `default-features = false` the library needs only nom, serde, thiserror,
//! encoding_rs, chrono and memchr.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

// The layers, from the bytes up. A module uses only modules of lower layers (`.ci/layers.py`
// checks it): lower layers know no record family and no front end.
// Leaves: encodings, identity codes, the municipality code table.
pub mod encoding;
pub mod hetu;
pub mod municipality;
// Diagnostics and errors.
pub mod diag;
// Typed field values.
pub mod field;
// The one definition of every header and group.
pub mod layout;
// Framing: lines, header, groups.
pub mod frame;
// Records of any family.
pub mod record;
// Reading and writing; the line-echo JSON shape.
pub mod json;
pub mod read;
pub mod write;
// Record families.
pub mod building;
pub mod dynamic;
pub mod person;
// Above the families: family detection, person-id lists, conversion into the API model, the
// test-data generator.
#[cfg(feature = "api")]
pub mod convert;
pub mod detect;
pub mod idlist;
// Beside detection: the columnar export (Parquet, CSV) for analytics engines.
#[cfg(feature = "parquet")]
pub mod export;
// Above the families: keeping a register current (SQLite, PostgreSQL).
#[cfg(feature = "register")]
pub mod register;
#[cfg(feature = "testdata")]
pub mod testdata;
// A leaf beside the layers: the JSON model of the new change API (serde only).
#[cfg(feature = "api")]
pub mod api;

pub use diag::{Diagnostic, DiagnosticKind, Error, Mode, Severity};
pub use encoding::Encoding;
pub use person::{Group, Person, PersonRecord};
pub use read::{Reader, RecordBuf, SliceReader};
pub use record::Item;
pub use write::Writer;

/// How to parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParseOptions {
    /// Strict (stop at the first error) or lenient (collect diagnostics).
    pub mode: Mode,
    /// The input's encoding.
    pub encoding: Encoding,
    /// Put the offending values into diagnostics (personal data: off by default).
    pub capture_values: bool,
    /// Longest line the streaming reader holds, in bytes (longer lines are reported and skipped).
    pub max_line_len: usize,
}

impl Default for ParseOptions {
    /// Lenient, ISO-8859-1, no values in diagnostics, lines up to 1 MiB.
    fn default() -> Self {
        ParseOptions {
            mode: Mode::Lenient,
            encoding: Encoding::Latin1,
            capture_values: false,
            max_line_len: 1 << 20,
        }
    }
}

impl ParseOptions {
    /// Default options in strict mode.
    pub fn strict() -> Self {
        ParseOptions {
            mode: Mode::Strict,
            ..ParseOptions::default()
        }
    }

    /// These options with another encoding.
    pub fn with_encoding(self, encoding: Encoding) -> Self {
        ParseOptions { encoding, ..self }
    }
}

/// The README's examples, compiled and run as doctests so that they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
