//! The tables of an export and their columns, derived from a family's layouts.

use std::fmt::Write as _;
use std::sync::Arc;

use arrow_schema::{DataType, Field, Schema as ArrowSchema, SchemaRef};

use crate::layout::{FieldDef, FieldKind, GroupLayout, Schema};

/// The type of a column, as it is written to Parquet (and to CSV as text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// UTF-8 text (Parquet `STRING`).
    Utf8,
    /// A 64-bit integer (line numbers, columns).
    Int64,
    /// A 32-bit integer (counts, group positions).
    Int32,
    /// A calendar date (Parquet `DATE`, days since 1970-01-01; CSV `yyyy-mm-dd`).
    Date,
    /// Bytes as they stand (Parquet `BINARY`; CSV hexadecimal).
    Binary,
}

impl ColumnType {
    /// The Arrow type.
    pub fn arrow(self) -> DataType {
        match self {
            ColumnType::Utf8 => DataType::Utf8,
            ColumnType::Int64 => DataType::Int64,
            ColumnType::Int32 => DataType::Int32,
            ColumnType::Date => DataType::Date32,
            ColumnType::Binary => DataType::Binary,
        }
    }

    /// The name used in `schema.md` (the SQL type DuckDB shows).
    pub fn sql(self) -> &'static str {
        match self {
            ColumnType::Utf8 => "VARCHAR",
            ColumnType::Int64 => "BIGINT",
            ColumnType::Int32 => "INTEGER",
            ColumnType::Date => "DATE",
            ColumnType::Binary => "BLOB",
        }
    }
}

/// One column of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The column name (snake_case).
    pub name: String,
    /// Its type.
    pub ty: ColumnType,
    /// What it holds (for `schema.md`).
    pub doc: String,
    /// The layout field whose value this column holds (not set for key, count and extra
    /// columns).
    pub field: Option<String>,
    /// True for a column of few distinct values (codes, meanings, precisions, counts): it is
    /// dictionary-encoded. Other columns (names, ids, line numbers) are written plain, which is
    /// much faster to write and, with zstd, about as small.
    pub repetitive: bool,
}

/// What a table's rows are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableKind {
    /// One row per record (*tietue*).
    Records,
    /// One row per group (*tietoryhmä*) of a layout: the index into the schema's groups.
    Group(usize),
    /// One row per diagnostic.
    Rejected,
}

/// A code table's meanings by code, looked up by the code's bytes packed into a number.
#[derive(Debug)]
pub(crate) struct Meanings {
    /// (packed code, meaning), sorted by code.
    short: Vec<(u64, Box<str>)>,
    /// Codes longer than 7 bytes.
    long: Vec<(Box<[u8]>, Box<str>)>,
}

/// Up to 7 bytes and their count in one number.
#[inline]
fn pack(raw: &[u8]) -> Option<u64> {
    if raw.len() > 7 {
        return None;
    }
    let mut b = [0u8; 8];
    b[..raw.len()].copy_from_slice(raw);
    b[7] = raw.len() as u8;
    Some(u64::from_le_bytes(b))
}

impl Meanings {
    fn new(codes: impl Iterator<Item = (Box<[u8]>, Box<str>)>) -> Meanings {
        let mut short = Vec::new();
        let mut long = Vec::new();
        for (code, meaning) in codes {
            match pack(&code) {
                Some(k) => short.push((k, meaning)),
                None => long.push((code, meaning)),
            }
        }
        short.sort_by_key(|(k, _)| *k);
        Meanings { short, long }
    }

    /// The meaning of a code as it stands.
    #[inline]
    pub(crate) fn get(&self, raw: &[u8]) -> Option<&str> {
        match pack(raw) {
            Some(k) => self
                .short
                .binary_search_by_key(&k, |(c, _)| *c)
                .ok()
                .map(|i| &*self.short[i].1),
            None => self
                .long
                .iter()
                .find(|(c, _)| **c == *raw)
                .map(|(_, m)| &**m),
        }
    }
}

/// What goes with a field's value column.
#[derive(Debug, Clone)]
pub(crate) enum Extra {
    /// Nothing.
    None,
    /// A date's `_precision` column.
    Precision,
    /// A code's `_meaning` column: the table's codes and meanings.
    Meaning(Arc<Meanings>),
    /// A municipality's `_meaning` column (the name from the municipality table).
    Municipality,
}

/// How one layout field becomes columns.
#[derive(Debug, Clone)]
pub(crate) struct FieldPlan {
    /// Offset and width in characters within the header or group bytes.
    pub offset: usize,
    pub len: usize,
    pub kind: FieldKind,
    /// Index of the value column; the extra column (if any) follows it.
    pub column: usize,
    pub extra: Extra,
}

/// One output table.
#[derive(Debug, Clone)]
pub struct Table {
    /// The table (and file) name, e.g. `004_current_name`, `records`.
    pub name: String,
    /// What its rows are.
    pub kind: TableKind,
    /// A description (for `schema.md`).
    pub description: String,
    /// The columns, in order.
    pub columns: Vec<Column>,
    /// The layout fields' column plans (group and records tables).
    pub(crate) fields: Vec<FieldPlan>,
    /// The Arrow schema of the columns.
    pub(crate) arrow: SchemaRef,
}

impl Table {
    /// The Arrow schema of the table.
    pub fn arrow_schema(&self) -> SchemaRef {
        self.arrow.clone()
    }

    /// The index of the column with this name.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }
}

/// Where the key columns of every group row come from: header fields by name.
#[derive(Debug, Clone)]
pub(crate) struct KeyPlan {
    /// The record key: the first header field (`person_id`, `building_id`, …).
    pub key: Option<FieldPlan>,
    /// The `event` header field.
    pub event: Option<FieldPlan>,
    /// The `registered` header field (a date).
    pub registered: Option<FieldPlan>,
}

/// Where the rows of one group layout go.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LayoutPlan {
    /// The table's index.
    pub table: usize,
    /// True for a qualifying group (its table has `host_index`).
    pub qualifying: bool,
}

/// The tables of an export of one record family: `records`, one per group layout, `rejected`.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The family's name (`person`, `building`, or a layout file's).
    pub family: String,
    /// Every table: `records` first, then the group layouts in code order, `rejected` last.
    pub tables: Vec<Table>,
    /// For each group code number, the (layout length, table) pairs.
    pub(crate) by_code: Vec<Vec<(usize, usize)>>,
    /// For each layout of the schema (in its order), its table.
    pub(crate) layouts: Vec<LayoutPlan>,
    /// Where group rows' key columns come from, in the header.
    pub(crate) keys: KeyPlan,
    /// The number of key columns before the group position columns.
    pub(crate) key_columns: usize,
    /// True when `rejected` has the `raw` column.
    pub keep_rejected_bytes: bool,
}

/// Fixed columns of few distinct values.
const REPETITIVE: &[&str] = &[
    "file",
    "event",
    "group_count",
    "groups",
    "lines",
    "errors",
    "warnings",
    "item",
    "severity",
    "kind",
    "group_code",
    "field",
    "message",
];

/// Adds columns under unique names: a name already taken gets a `group_` prefix, then a number.
struct Columns(Vec<Column>);

impl Columns {
    fn push(&mut self, name: &str, ty: ColumnType, doc: impl Into<String>) -> usize {
        let mut unique = name.to_string();
        if self.has(&unique) {
            unique = format!("group_{name}");
        }
        let mut n = 2;
        while self.has(&unique) {
            unique = format!("group_{name}_{n}");
            n += 1;
        }
        let repetitive = REPETITIVE.contains(&name)
            || name.ends_with("_precision")
            || name.ends_with("_meaning")
            || name.ends_with("_index");
        self.0.push(Column {
            name: unique,
            ty,
            doc: doc.into(),
            field: None,
            repetitive,
        });
        self.0.len() - 1
    }

    fn has(&self, name: &str) -> bool {
        self.0.iter().any(|c| c.name == name)
    }

    /// The columns of a layout field: its value and, by kind, a precision or meaning column.
    fn field(&mut self, f: &FieldDef, schema: &Schema, at: &str) -> FieldPlan {
        let from = format!(
            "*{}*; {at} {}, {} character{}, {}",
            f.finnish,
            f.offset,
            f.len,
            if f.len == 1 { "" } else { "s" },
            f.kind.name()
        );
        let (ty, doc) = match f.kind {
            FieldKind::Date => (
                ColumnType::Date,
                format!("{from}. A partial date stands at the first day of its month or year (see `{}_precision`); null for no date, indefinite or invalid", f.name),
            ),
            FieldKind::Text | FieldKind::Char => (
                ColumnType::Utf8,
                format!("{from}. Decoded and trimmed; null when blank"),
            ),
            FieldKind::Code => (
                ColumnType::Utf8,
                format!(
                    "{from}, code table `{}`. The code as written; null when blank",
                    f.code_table.as_deref().unwrap_or("")
                ),
            ),
            _ => (
                ColumnType::Utf8,
                format!("{from}. As written, trimmed (leading zeros kept); null when blank"),
            ),
        };
        let column = self.push(&f.name, ty, doc);
        self.0[column].field = Some(f.name.to_string());
        self.0[column].repetitive = matches!(
            f.kind,
            FieldKind::Code | FieldKind::Municipality | FieldKind::Char
        ) || f.name == "registered";
        let value = self.0[column].name.clone();
        let extra = match f.kind {
            FieldKind::Date => {
                self.push(
                    &format!("{value}_precision"),
                    ColumnType::Utf8,
                    format!("How much of `{value}` is known: day, month, year, none (00000000), indefinite (99990000) or invalid; null when blank"),
                );
                Extra::Precision
            }
            FieldKind::Municipality => {
                self.push(
                    &format!("{value}_meaning"),
                    ColumnType::Utf8,
                    format!("The municipality's name for `{value}` (Finnish; Swedish for Åland), from the crate's municipality table; null when unknown"),
                );
                Extra::Municipality
            }
            FieldKind::Code => {
                let table = f.code_table.as_deref().and_then(|t| schema.code_table(t));
                match table {
                    Some(t) if !t.codes.is_empty() => {
                        self.push(
                            &format!("{value}_meaning"),
                            ColumnType::Utf8,
                            format!(
                                "What `{value}` means, from code table `{}`; null when the table does not list the code",
                                t.name
                            ),
                        );
                        let codes = t
                            .codes
                            .iter()
                            .map(|c| (c.code.as_bytes().into(), c.meaning.as_ref().into()));
                        Extra::Meaning(Arc::new(Meanings::new(codes)))
                    }
                    _ => Extra::None,
                }
            }
            _ => Extra::None,
        };
        FieldPlan {
            offset: f.offset,
            len: f.len,
            kind: f.kind,
            column,
            extra,
        }
    }

    fn finish(self) -> (Vec<Column>, SchemaRef) {
        let fields: Vec<Field> = self
            .0
            .iter()
            .map(|c| {
                Field::new(
                    &c.name,
                    c.ty.arrow(),
                    !matches!(c.name.as_str(), "file" | "line"),
                )
            })
            .collect();
        (self.0, Arc::new(ArrowSchema::new(fields)))
    }
}

/// A table name from a layout's code and name: lowercase letters, digits and `_`.
fn table_name(g: &GroupLayout) -> String {
    let name: String = g
        .name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    format!("{}_{name}", g.code_str())
}

impl Plan {
    /// The tables for `schema`'s layouts; `keep_rejected_bytes` adds the `raw` column to
    /// `rejected`.
    pub fn new(schema: &Schema, keep_rejected_bytes: bool) -> Plan {
        let header = &schema.header.fields;
        let mut tables = Vec::with_capacity(schema.groups.len() + 2);

        // records
        let mut c = Columns(Vec::new());
        c.push(
            "file",
            ColumnType::Utf8,
            "The input file, as named on the command line",
        );
        c.push(
            "line",
            ColumnType::Int64,
            "The record's first line (1-based)",
        );
        let fields: Vec<FieldPlan> = header
            .iter()
            .map(|f| c.field(f, schema, "header offset"))
            .collect();
        c.push(
            "group_count",
            ColumnType::Int32,
            "*tietoryhmien lukumäärä*: the first line's group count as written; null when not two digits",
        );
        c.push(
            "groups",
            ColumnType::Int32,
            "Groups found, continuation lines included",
        );
        c.push(
            "lines",
            ColumnType::Int32,
            "Physical lines (1 + continuation lines, *jatkorivit*)",
        );
        c.push(
            "errors",
            ColumnType::Int32,
            "Errors found in the record (see `rejected`)",
        );
        c.push(
            "warnings",
            ColumnType::Int32,
            "Warnings found in the record (see `rejected`)",
        );
        let (columns, arrow) = c.finish();
        tables.push(Table {
            name: "records".into(),
            kind: TableKind::Records,
            description: format!(
                "One row per {} record (*tietue*), continuation lines merged: the header's fields, typed from the header layout.",
                schema.name
            ),
            columns,
            fields,
            arrow,
        });

        // The key columns of group rows.
        let mut keys = Columns(Vec::new());
        keys.push("file", ColumnType::Utf8, "The input file");
        keys.push(
            "line",
            ColumnType::Int64,
            "The record's first line (join with `records` on `file`, `line`)",
        );
        let key_of = |f: Option<&FieldDef>, keys: &mut Columns| {
            f.map(|f| {
                let mut p = keys.field(f, schema, "header offset");
                // Key columns carry the value (and a date's precision), not the code's meaning.
                if let Extra::Meaning(_) | Extra::Municipality = p.extra {
                    keys.0.pop();
                    p.extra = Extra::None;
                }
                p
            })
        };
        let key_plan = KeyPlan {
            key: key_of(header.first(), &mut keys),
            event: key_of(header.iter().skip(1).find(|f| f.name == "event"), &mut keys),
            registered: key_of(
                header
                    .iter()
                    .skip(1)
                    .find(|f| f.name == "registered" && f.kind == FieldKind::Date),
                &mut keys,
            ),
        };
        let key_columns = keys.0.len();

        let mut by_code = vec![Vec::new(); 1000];
        let mut layouts = Vec::with_capacity(schema.groups.len());
        for (i, g) in schema.groups.iter().enumerate() {
            let mut c = Columns(keys.0.clone());
            c.push(
                "group_index",
                ColumnType::Int32,
                "The group's position in the record, 1-based (continuation lines' groups included)",
            );
            if g.qualifying {
                c.push(
                    "host_index",
                    ColumnType::Int32,
                    "`group_index` of the group this qualifying group belongs to (join on `file`, `line`, `host_index`); null for an orphan",
                );
            }
            c.push(
                "group_line",
                ColumnType::Int64,
                "The physical line the group stands on (a continuation line's own number)",
            );
            let fields: Vec<FieldPlan> = g
                .fields
                .iter()
                .map(|f| c.field(f, schema, "group offset"))
                .collect();
            let (columns, arrow) = c.finish();
            let mut name = table_name(g);
            if tables.iter().any(|t: &Table| t.name == name) {
                name = format!("{name}_{}", g.len);
            }
            let description = format!(
                "Group {} *{}* ({} characters{}{}): {}",
                g.code_str(),
                g.finnish,
                g.len,
                if g.qualifying { ", qualifying" } else { "" },
                g.variant
                    .as_deref()
                    .map(|v| format!("; {v}"))
                    .unwrap_or_default(),
                g.description
            );
            layouts.push(LayoutPlan {
                table: tables.len(),
                qualifying: g.qualifying,
            });
            if let Some(n) = crate::diag::GroupCode(g.code).number() {
                by_code[usize::from(n)].push((g.len, tables.len()));
            }
            tables.push(Table {
                name,
                kind: TableKind::Group(i),
                description,
                columns,
                fields,
                arrow,
            });
        }

        // rejected
        let mut c = Columns(Vec::new());
        c.push("file", ColumnType::Utf8, "The input file");
        c.push(
            "line",
            ColumnType::Int64,
            "The line the problem is on (1-based)",
        );
        c.push(
            "byte_column",
            ColumnType::Int64,
            "The byte column in that line (0-based)",
        );
        c.push(
            "item_line",
            ColumnType::Int64,
            "The first line of the item the problem is in (a record's `line`)",
        );
        c.push(
            "item",
            ColumnType::Utf8,
            "What the item was: record, malformed (a line kept as it is), skipped (too long), envelope, or stop (strict mode stopped)",
        );
        c.push("severity", ColumnType::Utf8, "error or warning");
        c.push(
            "kind",
            ColumnType::Utf8,
            "The diagnostic kind (e.g. invalid_date, unknown_group)",
        );
        c.push(
            "group_code",
            ColumnType::Utf8,
            "The group code, if the problem is in a group",
        );
        c.push(
            "field",
            ColumnType::Utf8,
            "The field name, if the problem is in a field",
        );
        c.push(
            "message",
            ColumnType::Utf8,
            "What is wrong (no values: they are personal data; with --show-values, `value`)",
        );
        c.push(
            "value",
            ColumnType::Utf8,
            "The offending value, only when values were asked for (--show-values); else null",
        );
        if keep_rejected_bytes {
            c.push(
                "raw",
                ColumnType::Binary,
                "The item's bytes as they stand (only with --keep-rejected-bytes: personal data)",
            );
        }
        let (columns, arrow) = c.finish();
        tables.push(Table {
            name: "rejected".into(),
            kind: TableKind::Rejected,
            description: "One row per diagnostic (problem found while reading): positions and kinds, no values unless asked.".into(),
            columns,
            fields: Vec::new(),
            arrow,
        });

        Plan {
            family: schema.name.to_string(),
            tables,
            by_code,
            layouts,
            keys: key_plan,
            key_columns,
            keep_rejected_bytes,
        }
    }

    /// The table with this name.
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }

    /// The index of the table with this name.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.tables.iter().position(|t| t.name == name)
    }

    /// The table of a group, from its code and its width in characters (framing matched the
    /// layout by length, so a group of a layout's length is of that layout).
    pub(crate) fn group_table(&self, code: [u8; 3], width: usize) -> Option<usize> {
        let n = crate::diag::GroupCode(code).number()?;
        self.by_code
            .get(usize::from(n))?
            .iter()
            .find(|(len, _)| *len == width)
            .map(|&(_, t)| t)
    }

    /// `schema.md`: every table and column, generated from the layouts.
    pub fn markdown(&self, extension: &str) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "# Exported tables ({} records)\n", self.family);
        let _ = writeln!(
            out,
            "Generated by `muutostieto export` from the {} layouts: one file per table, \
             `<table>.{extension}`. Group tables join `records` on (`file`, `line`); qualifying \
             groups join their host group on (`file`, `line`, `host_index` = `group_index`). \
             Offsets are 0-based characters (group offsets from the first digit of the group \
             code). A blank field is null.\n",
            self.family
        );
        let _ = writeln!(out, "| table | rows are |\n|---|---|");
        for t in &self.tables {
            let _ = writeln!(out, "| [`{}`](#{}) | {} |", t.name, t.name, t.description);
        }
        for t in &self.tables {
            let _ = writeln!(out, "\n## {}\n\n{}\n", t.name, t.description);
            let _ = writeln!(out, "| column | type | what |\n|---|---|---|");
            for c in &t.columns {
                let _ = writeln!(out, "| `{}` | {} | {} |", c.name, c.ty.sql(), c.doc);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_layout_has_a_table_with_key_columns() {
        let schema = crate::person::schema();
        let plan = Plan::new(schema, false);
        assert_eq!(plan.tables.len(), schema.groups.len() + 2);
        let addr = plan.table("101_permanent_address").unwrap();
        let names: Vec<&str> = addr.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            &names[..8],
            [
                "file",
                "line",
                "person_id",
                "event",
                "registered",
                "registered_precision",
                "group_index",
                "group_line"
            ]
        );
        assert!(names.contains(&"change_meaning"));
        let q = plan.table("452_additional_information");
        let q = q.or_else(|| plan.tables.iter().find(|t| t.name.starts_with("452_")));
        assert!(q.unwrap().column("host_index").is_some());
        // 305 has two layouts: two tables.
        assert_eq!(
            plan.tables
                .iter()
                .filter(|t| t.name.starts_with("305_"))
                .count(),
            2
        );
        let rejected = plan.table("rejected").unwrap();
        assert!(rejected.column("raw").is_none());
        assert!(Plan::new(schema, true)
            .table("rejected")
            .unwrap()
            .column("raw")
            .is_some());
    }

    #[test]
    fn names_are_unique() {
        for schema in [crate::person::schema(), crate::building::schema()] {
            let plan = Plan::new(schema, true);
            let mut tables: Vec<&str> = plan.tables.iter().map(|t| t.name.as_str()).collect();
            tables.sort_unstable();
            tables.dedup();
            assert_eq!(tables.len(), plan.tables.len());
            for t in &plan.tables {
                let mut cols: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
                cols.sort_unstable();
                cols.dedup();
                assert_eq!(cols.len(), t.columns.len(), "{}", t.name);
            }
        }
    }
}
