//! Columnar export (*sarakemuotoinen vienti*): change files as typed tables for analytics
//! engines (DuckDB, Spark, Polars, data warehouses), in Apache Parquet or CSV (feature
//! `parquet`).
//!
//! A [`Plan`] turns a family's [`Schema`](crate::layout::Schema) into tables, one per group
//! layout plus `records` and `rejected`; every column comes from the layouts (the one
//! definition per group), none is listed by hand. A [`Batch`] collects the rows of some records
//! (one batch per chunk of input, built on any thread), cut from the bytes as framing found
//! them ([`Batch::add_view_item`], what the command does) or from typed records
//! ([`Batch::add_item`]); an [`Exporter`] appends batches to the files of an output directory,
//! in bounded row groups, encoding several tables at once on [`Options::threads`] threads, and
//! writes `schema.md` at the end.
//!
//! * **Group tables** `<code>_<name>` (e.g. `004_current_name`): one row per group, with the
//!   record's key columns (`file`, `line`, the record key such as `person_id`, `event`,
//!   `registered`), the group's position (`group_index`, 1-based over the record's groups,
//!   continuation lines included), for qualifying groups (*tarkentavat tietoryhmät*) the
//!   position of the group they qualify (`host_index`: join on `file`, `line` and
//!   `host_index = group_index`), the physical line (`group_line`), then the group's fields.
//! * **Field columns** by [`FieldKind`](crate::layout::FieldKind): text decoded into UTF-8 and
//!   trimmed; dates as `DATE` (a partial date at the first day of its month or year) plus
//!   `<field>_precision` (`day`, `month`, `year`, `none` for `00000000`, `indefinite` for
//!   `99990000`, `invalid`); codes as strings plus `<field>_meaning` when the code table names
//!   its values; municipality numbers plus `<field>_meaning` (the name); digits, ids and
//!   family kinds (building ids) as strings, so that leading zeros stay. A blank field is null.
//! * **`records`**: one row per record: its header fields typed the same way, the declared
//!   group count, the groups and lines found, and its errors and warnings.
//! * **`rejected`**: one row per diagnostic: position, severity, kind and the kind's message —
//!   no values (they are personal data), and the line's bytes only when asked
//!   ([`Options::keep_rejected_bytes`]).
//!
//! ```
//! use muutostieto::export::{Batch, Plan};
//! use muutostieto::read::SliceReader;
//! use muutostieto::person::Person;
//! use muutostieto::ParseOptions;
//!
//! let plan = Plan::new(muutostieto::person::schema(), false);
//! let name = plan.table("004_current_name").unwrap();
//! assert_eq!(name.columns[2].name, "person_id");
//! let mut line = b"010101-900RXBX201702081101|0041K\xf6skinen".to_vec();
//! line.resize(27 + 213, b' ');
//! line.extend_from_slice(b"|\r\n");
//! let mut batch = Batch::new(&plan);
//! for parsed in SliceReader::new(Person, &line, ParseOptions::default()) {
//!     let parsed = parsed.unwrap();
//!     batch.add_item(&plan, "a.PTT", &parsed.item, &parsed.diagnostics, &line);
//! }
//! assert_eq!(batch.rows(plan.index_of("records").unwrap()), 1);
//! assert_eq!(batch.rows(plan.index_of("004_current_name").unwrap()), 1);
//! ```

mod batch;
mod csv;
mod plan;
mod sink;

pub use batch::Batch;
pub use plan::{Column, ColumnType, Plan, Table, TableKind};
pub use sink::{
    ExportError, Exporter, Format, Options, TableSummary, DEFAULT_MEMORY_BUDGET,
    DEFAULT_ROW_GROUP_ROWS,
};
