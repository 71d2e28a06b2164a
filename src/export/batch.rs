//! Rows of some records, column by column, for every table of a [`Plan`].

use std::sync::Arc;

use arrow_array::builder::ArrayBuilder;
use arrow_array::builder::{
    BinaryBuilder, Date32Builder, Int32Builder, Int64Builder, StringBuilder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::ArrowError;
use chrono::{Datelike, NaiveDate};

use super::plan::{ColumnType, Extra, FieldPlan, Plan};
use crate::diag::{Diagnostic, Severity};
use crate::encoding::Encoding;
use crate::field::{FieldKind, VtjDate};
use crate::record::{GroupPart, Item, Record, WritePart};

/// Days from 0001-01-01 (chrono's day 1 of the common era) to 1970-01-01.
const UNIX_EPOCH_DAYS_FROM_CE: i32 = 719_163;

/// One column being filled.
#[derive(Debug)]
enum Builder {
    Utf8(StringBuilder),
    Int64(Int64Builder),
    Int32(Int32Builder),
    Date(Date32Builder),
    Binary(BinaryBuilder),
}

impl Builder {
    fn new(ty: ColumnType) -> Builder {
        match ty {
            ColumnType::Utf8 => Builder::Utf8(StringBuilder::new()),
            ColumnType::Int64 => Builder::Int64(Int64Builder::new()),
            ColumnType::Int32 => Builder::Int32(Int32Builder::new()),
            ColumnType::Date => Builder::Date(Date32Builder::new()),
            ColumnType::Binary => Builder::Binary(BinaryBuilder::new()),
        }
    }

    /// The column's array; the builder is left empty, with room for as many values again (so
    /// that the next rows do not grow it step by step).
    fn finish(&mut self) -> ArrayRef {
        match self {
            Builder::Utf8(b) => {
                let (n, bytes) = (b.len(), b.values_slice().len());
                let array = b.finish();
                *b = StringBuilder::with_capacity(n, bytes);
                Arc::new(array)
            }
            Builder::Int64(b) => {
                let n = b.len();
                let array = b.finish();
                *b = Int64Builder::with_capacity(n);
                Arc::new(array)
            }
            Builder::Int32(b) => {
                let n = b.len();
                let array = b.finish();
                *b = Int32Builder::with_capacity(n);
                Arc::new(array)
            }
            Builder::Date(b) => {
                let n = b.len();
                let array = b.finish();
                *b = Date32Builder::with_capacity(n);
                Arc::new(array)
            }
            Builder::Binary(b) => Arc::new(b.finish()),
        }
    }

    #[inline]
    fn str(&mut self, v: Option<&str>) {
        if let Builder::Utf8(b) = self {
            b.append_option(v);
        }
    }

    #[inline]
    fn i64(&mut self, v: Option<i64>) {
        if let Builder::Int64(b) = self {
            b.append_option(v);
        }
    }

    #[inline]
    fn i32(&mut self, v: Option<i32>) {
        if let Builder::Int32(b) = self {
            b.append_option(v);
        }
    }

    #[inline]
    fn date(&mut self, v: Option<i32>) {
        if let Builder::Date(b) = self {
            b.append_option(v);
        }
    }

    #[inline]
    fn bytes(&mut self, v: Option<&[u8]>) {
        if let Builder::Binary(b) = self {
            b.append_option(v);
        }
    }
}

/// The rows of one table.
#[derive(Debug)]
struct TableRows {
    columns: Vec<Builder>,
    rows: usize,
}

/// Rows for every table of a plan, built from items (e.g. one chunk of a file), then taken
/// out as Arrow record batches ([`Batch::take`]). A batch can be built on any thread.
#[derive(Debug)]
pub struct Batch {
    tables: Vec<TableRows>,
    /// A header's or group's bytes, written back in the record's encoding (reused).
    bytes: Vec<u8>,
    /// The header's bytes (reused).
    header: Vec<u8>,
}

/// What the key fields of a record hold, decoded once per record.
struct Keys<'h> {
    key: Option<std::borrow::Cow<'h, str>>,
    event: Option<std::borrow::Cow<'h, str>>,
    registered: Option<(Option<i32>, Option<&'static str>)>,
}

/// A field's characters `offset..offset + len` of `bytes` (clamped: a missing part is empty).
#[inline]
fn slice(bytes: &[u8], offset: usize, len: usize, enc: Encoding) -> &[u8] {
    if enc.is_single_byte() {
        let start = offset.min(bytes.len());
        let end = offset.saturating_add(len).min(bytes.len());
        &bytes[start..end]
    } else {
        let start = enc.byte_offset(bytes, offset);
        let rest = &bytes[start..];
        &rest[..enc.byte_offset(rest, len)]
    }
}

#[inline]
fn blank(raw: &[u8]) -> bool {
    raw.iter().all(|&b| b == b' ')
}

/// A date's value (days since 1970-01-01) and precision.
#[inline]
fn date_value(raw: &[u8]) -> (Option<i32>, Option<&'static str>) {
    let days = |d: Option<NaiveDate>| d.map(|d| d.num_days_from_ce() - UNIX_EPOCH_DAYS_FROM_CE);
    match VtjDate::from_bytes(raw) {
        VtjDate::Full(d) => (days(Some(d)), Some("day")),
        VtjDate::YearMonth { year, month } => (
            days(NaiveDate::from_ymd_opt(
                i32::from(year),
                u32::from(month),
                1,
            )),
            Some("month"),
        ),
        VtjDate::Year(y) => (
            days(NaiveDate::from_ymd_opt(i32::from(y), 1, 1)),
            Some("year"),
        ),
        VtjDate::Unknown => (None, Some("none")),
        VtjDate::Indefinite => (None, Some("indefinite")),
        VtjDate::Invalid(_) if blank(raw) => (None, None),
        VtjDate::Invalid(_) => (None, Some("invalid")),
    }
}

/// The text of a field: decoded, trimmed; `None` when blank.
#[inline]
fn text(raw: &[u8], enc: Encoding) -> Option<std::borrow::Cow<'_, str>> {
    let t = raw.trim_ascii();
    if t.is_empty() {
        return None;
    }
    Some(match enc.decode(t) {
        std::borrow::Cow::Borrowed(s) => std::borrow::Cow::Borrowed(s.trim()),
        std::borrow::Cow::Owned(s) => {
            let trimmed = s.trim();
            if trimmed.len() == s.len() {
                std::borrow::Cow::Owned(s)
            } else {
                std::borrow::Cow::Owned(trimmed.to_string())
            }
        }
    })
}

/// Appends one field's value (and its precision or meaning) to its columns.
#[inline]
fn append_field(columns: &mut [Builder], f: &FieldPlan, bytes: &[u8], enc: Encoding) {
    let raw = slice(bytes, f.offset, f.len, enc);
    match f.kind {
        FieldKind::Date => {
            let (d, p) = date_value(raw);
            columns[f.column].date(d);
            if let Extra::Precision = f.extra {
                columns[f.column + 1].str(p);
            }
        }
        _ => {
            let value = text(raw, enc);
            columns[f.column].str(value.as_deref());
            match &f.extra {
                Extra::None | Extra::Precision => {}
                Extra::Meaning(codes) => {
                    let meaning = value.as_ref().and_then(|_| codes.get(raw));
                    columns[f.column + 1].str(meaning);
                }
                Extra::Municipality => {
                    let name = value
                        .as_ref()
                        .and_then(|_| crate::municipality::lookup(raw))
                        .map(|m| m.finnish);
                    columns[f.column + 1].str(name);
                }
            }
        }
    }
}

/// What an item is, in `rejected.item`.
fn item_kind<R>(item: &Item<'_, R>) -> &'static str {
    match item {
        Item::Record(_) => "record",
        Item::Envelope(_) => "envelope",
        Item::Malformed(_) => "malformed",
        Item::Skipped(_) => "skipped",
    }
}

impl Batch {
    /// An empty batch for the tables of `plan`.
    pub fn new(plan: &Plan) -> Batch {
        Batch {
            tables: plan
                .tables
                .iter()
                .map(|t| TableRows {
                    columns: t.columns.iter().map(|c| Builder::new(c.ty)).collect(),
                    rows: 0,
                })
                .collect(),
            bytes: Vec::with_capacity(512),
            header: Vec::with_capacity(64),
        }
    }

    /// A batch of no tables (a placeholder; adding to it does nothing).
    pub fn empty() -> Batch {
        Batch {
            tables: Vec::new(),
            bytes: Vec::new(),
            header: Vec::new(),
        }
    }

    /// Rows collected for table `table` (an index into [`Plan::tables`]).
    pub fn rows(&self, table: usize) -> usize {
        self.tables.get(table).map_or(0, |t| t.rows)
    }

    /// Rows collected in all tables.
    pub fn total_rows(&self) -> usize {
        self.tables.iter().map(|t| t.rows).sum()
    }

    /// Adds an item of file `file`: a record's row, its groups' rows, and one `rejected` row
    /// per diagnostic. `raw` is the item's bytes (kept in `rejected.raw` only when the plan
    /// asks).
    pub fn add_item<H: WritePart, G: GroupPart>(
        &mut self,
        plan: &Plan,
        file: &str,
        item: &Item<'_, Record<'_, H, G>>,
        diagnostics: &[Diagnostic],
        raw: &[u8],
    ) {
        let line = match item {
            Item::Record(r) => {
                self.add_record(plan, file, r, diagnostics);
                r.line.number
            }
            Item::Envelope(l) | Item::Malformed(l) | Item::Skipped(l) => l.number,
        };
        self.add_diagnostics(plan, file, item_kind(item), line, diagnostics, raw);
    }

    /// Adds one `rejected` row per diagnostic of an item (`item`: record, malformed, skipped,
    /// envelope, or stop for the error that stopped strict mode; `item_line`: its first line).
    pub fn add_diagnostics(
        &mut self,
        plan: &Plan,
        file: &str,
        item: &str,
        item_line: u64,
        diagnostics: &[Diagnostic],
        raw: &[u8],
    ) {
        let Some(t) = self.tables.last_mut() else {
            return;
        };
        for d in diagnostics {
            let c = &mut t.columns;
            c[0].str(Some(file));
            c[1].i64(Some(i64::try_from(d.line).unwrap_or(i64::MAX)));
            c[2].i64(Some(i64::try_from(d.column).unwrap_or(i64::MAX)));
            c[3].i64(Some(i64::try_from(item_line).unwrap_or(i64::MAX)));
            c[4].str(Some(item));
            c[5].str(Some(match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            }));
            c[6].str(Some(d.kind.name()));
            c[7].str(d.group.map(|g| g.as_string()).as_deref());
            c[8].str(d.field.as_deref());
            c[9].str(Some(&d.kind.to_string()));
            c[10].str(d.value.as_deref());
            if plan.keep_rejected_bytes {
                if let Some(b) = c.get_mut(11) {
                    b.bytes(Some(raw));
                }
            }
            t.rows += 1;
        }
    }

    /// Adds a record's row and its groups' rows.
    fn add_record<H: WritePart, G: GroupPart>(
        &mut self,
        plan: &Plan,
        file: &str,
        r: &Record<'_, H, G>,
        diagnostics: &[Diagnostic],
    ) {
        // Bytes as they were read: a record built in code is UTF-8 (Rust strings).
        let enc = r.line.encoding.unwrap_or(Encoding::Utf8);
        let Batch {
            tables,
            bytes,
            header,
        } = self;
        header.clear();
        if r.header.write_part(enc, header).is_err() {
            // A header that cannot be written has no values: its fields are null.
            header.clear();
        }
        let header = &*header;
        let line = i64::try_from(r.line.number).unwrap_or(i64::MAX);

        // records
        if let Some(t) = tables.first_mut() {
            let c = &mut t.columns;
            c[0].str(Some(file));
            c[1].i64(Some(line));
            let mut next = 2;
            for f in &plan.tables[0].fields {
                append_field(c, f, header, enc);
                next = f.column + 1 + usize::from(!matches!(f.extra, Extra::None));
            }
            let count = r
                .line
                .group_count
                .filter(|d| !d.is_blank())
                .and_then(|d| d.value())
                .and_then(|n| i32::try_from(n).ok());
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            c[next].i32(count);
            c[next + 1].i32(Some(i32::try_from(r.groups.len()).unwrap_or(i32::MAX)));
            c[next + 2].i32(Some(i32::try_from(r.line_count()).unwrap_or(i32::MAX)));
            c[next + 3].i32(Some(i32::try_from(errors).unwrap_or(i32::MAX)));
            c[next + 4].i32(Some(
                i32::try_from(diagnostics.len() - errors).unwrap_or(i32::MAX),
            ));
            t.rows += 1;
        }

        // The key columns, decoded once.
        let keys = Keys {
            key: (plan.keys.key.as_ref())
                .and_then(|f| text(slice(header, f.offset, f.len, enc), enc)),
            event: (plan.keys.event.as_ref())
                .and_then(|f| text(slice(header, f.offset, f.len, enc), enc)),
            registered: plan
                .keys
                .registered
                .as_ref()
                .map(|f| date_value(slice(header, f.offset, f.len, enc))),
        };

        // Line numbers of the groups: the first line's, then each continuation line's.
        let mut lines = std::iter::repeat_n(r.line.number, r.first_line_groups()).chain(
            r.continuations
                .iter()
                .flat_map(|c| std::iter::repeat_n(c.line.number, c.groups)),
        );
        let mut host: Option<i32> = None;
        for (i, g) in r.groups.iter().enumerate() {
            let group_line = lines.next().unwrap_or(r.line.number);
            let index = i32::try_from(i + 1).unwrap_or(i32::MAX);
            let qualifying = g.is_qualifying();
            if !qualifying {
                host = Some(index);
            }
            bytes.clear();
            if g.write_part(enc, bytes).is_err() {
                continue;
            }
            let width = if enc.is_single_byte() {
                bytes.len()
            } else {
                enc.width(bytes)
            };
            // Groups kept raw (reported in `rejected`) have no layout's length: no row.
            let Some(ti) = plan.group_table(g.code(), width) else {
                continue;
            };
            let (Some(t), Some(table)) = (tables.get_mut(ti), plan.tables.get(ti)) else {
                continue;
            };
            let c = &mut t.columns;
            c[0].str(Some(file));
            c[1].i64(Some(line));
            let mut next = 2;
            if plan.keys.key.is_some() {
                c[next].str(keys.key.as_deref());
                next += 1;
            }
            if plan.keys.event.is_some() {
                c[next].str(keys.event.as_deref());
                next += 1;
            }
            if let Some((d, p)) = keys.registered {
                c[next].date(d);
                c[next + 1].str(p);
                next += 2;
            }
            debug_assert_eq!(next, plan.key_columns);
            c[next].i32(Some(index));
            next += 1;
            if qualifying {
                c[next].i32(host);
                next += 1;
            }
            c[next].i64(Some(i64::try_from(group_line).unwrap_or(i64::MAX)));
            for f in &table.fields {
                append_field(c, f, bytes, enc);
            }
            t.rows += 1;
        }
    }

    /// Takes the rows of every table that has some, as record batches (with the table's
    /// index), leaving the batch empty and ready for more.
    pub fn take(&mut self, plan: &Plan) -> Result<Vec<(usize, RecordBatch)>, ArrowError> {
        let mut out = Vec::new();
        for (i, t) in self.tables.iter_mut().enumerate() {
            if t.rows == 0 {
                continue;
            }
            let arrays: Vec<ArrayRef> = t.columns.iter_mut().map(Builder::finish).collect();
            t.rows = 0;
            let schema = plan.tables[i].arrow.clone();
            out.push((i, RecordBatch::try_new(schema, arrays)?));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_keep_their_precision() {
        assert_eq!(date_value(b"19700101"), (Some(0), Some("day")));
        assert_eq!(date_value(b"19700200"), (Some(31), Some("month")));
        assert_eq!(date_value(b"19710000"), (Some(365), Some("year")));
        assert_eq!(date_value(b"00000000"), (None, Some("none")));
        assert_eq!(date_value(b"99990000"), (None, Some("indefinite")));
        assert_eq!(date_value(b"        "), (None, None));
        assert_eq!(date_value(b"2017x222"), (None, Some("invalid")));
        assert_eq!(date_value(b"201702"), (None, Some("invalid")));
    }

    #[test]
    fn text_is_decoded_and_trimmed() {
        assert_eq!(text(b"  K\xf6ski  ", Encoding::Latin1).unwrap(), "Köski");
        assert_eq!(text(b"\xa4", Encoding::Latin9).unwrap(), "€");
        assert_eq!(text("Pälö  ".as_bytes(), Encoding::Utf8).unwrap(), "Pälö");
        assert!(text(b"    ", Encoding::Latin1).is_none());
        assert_eq!(
            slice("aäb".as_bytes(), 1, 1, Encoding::Utf8),
            "ä".as_bytes()
        );
        assert_eq!(slice(b"abc", 2, 5, Encoding::Latin1), b"c");
        assert_eq!(slice(b"abc", 7, 5, Encoding::Latin1), b"");
    }
}
