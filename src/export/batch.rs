//! Rows of some records, column by column, for every table of a [`Plan`].
//!
//! A record as framing found it ([`RecordView`]) goes straight from its bytes into the
//! columns: each field's bytes are cut at its layout offset, text is decoded once (ASCII
//! borrowed), dates are read once; no typed group, and no string per field, in between.

use std::sync::Arc;

use arrow_array::builder::ArrayBuilder;
use arrow_array::builder::{BinaryBuilder, Date32Builder, Int32Builder, Int64Builder};
use arrow_array::{ArrayRef, RecordBatch, StringArray};
use arrow_schema::ArrowError;
use chrono::Datelike;

use super::plan::{ColumnType, Extra, FieldPlan, Plan};
use crate::diag::{Diagnostic, Severity};
use crate::encoding::Encoding;
use crate::field::{Digits, FieldKind, VtjDate};
use crate::record::{GroupPart, Item, Record, RecordView, WritePart};

/// Days from 0001-01-01 (chrono's day 1 of the common era) to 1970-01-01.
const UNIX_EPOCH_DAYS_FROM_CE: i32 = 719_163;

/// One column being filled.
#[derive(Debug)]
enum Builder {
    /// Text, collected as bytes: every value appended is UTF-8, checked once for the whole
    /// column when it is finished (not value by value).
    Utf8(BinaryBuilder),
    Int64(Int64Builder),
    Int32(Int32Builder),
    Date(Date32Builder),
    Binary(BinaryBuilder),
}

impl Builder {
    fn new(ty: ColumnType) -> Builder {
        match ty {
            ColumnType::Utf8 => Builder::Utf8(BinaryBuilder::new()),
            ColumnType::Int64 => Builder::Int64(Int64Builder::new()),
            ColumnType::Int32 => Builder::Int32(Int32Builder::new()),
            ColumnType::Date => Builder::Date(Date32Builder::new()),
            ColumnType::Binary => Builder::Binary(BinaryBuilder::new()),
        }
    }

    /// The column's array; the builder is left empty, with room for as many values again (so
    /// that the next rows do not grow it step by step).
    fn finish(&mut self) -> Result<ArrayRef, ArrowError> {
        Ok(match self {
            Builder::Utf8(b) => {
                let (n, bytes) = (b.len(), b.values_slice().len());
                let array = b.finish();
                *b = BinaryBuilder::with_capacity(n, bytes);
                Arc::new(StringArray::try_from_binary(array)?)
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
        })
    }

    #[inline]
    fn str(&mut self, v: Option<&str>) {
        self.text(v.map(str::as_bytes));
    }

    /// Appends text given as UTF-8 bytes.
    #[inline]
    fn text(&mut self, v: Option<&[u8]>) {
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

/// Days since 1970-01-01 of the first day of `month` (1–12) of `year` (proleptic Gregorian,
/// Howard Hinnant's `days_from_civil`).
#[inline]
fn first_day(year: u16, month: u8) -> i32 {
    let (m, y) = (i32::from(month), i32::from(year));
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Days since 1970-01-01 of a full date `yyyymmdd` (what [`VtjDate::from_bytes`] reads as
/// [`VtjDate::Full`]), counted without building the date; `None` for anything else.
#[inline]
fn full_date(raw: &[u8]) -> Option<i32> {
    // The eight digits read as one word, by the reader `VtjDate::from_bytes` uses.
    let (year, month, day) = crate::field::digits8(raw)?;
    // Year 0 is no date; a valid day and month make the rest a calendar date (years 1–9999).
    if year == 0 || !crate::hetu::is_valid_ymd(year.into(), month.into(), day.into()) {
        return None;
    }
    Some(first_day(year, month) + i32::from(day) - 1)
}

/// A date's value (days since 1970-01-01) and precision.
#[inline]
fn date_value(raw: &[u8]) -> (Option<i32>, Option<&'static str>) {
    if let Some(days) = full_date(raw) {
        return (Some(days), Some("day"));
    }
    match VtjDate::from_bytes(raw) {
        VtjDate::Full(d) => (
            Some(d.num_days_from_ce() - UNIX_EPOCH_DAYS_FROM_CE),
            Some("day"),
        ),
        VtjDate::YearMonth { year, month } => (Some(first_day(year, month)), Some("month")),
        VtjDate::Year(y) => (Some(first_day(y, 1)), Some("year")),
        VtjDate::Unknown => (None, Some("none")),
        VtjDate::Indefinite => (None, Some("indefinite")),
        VtjDate::Invalid(_) if blank(raw) => (None, None),
        VtjDate::Invalid(_) => (None, Some("invalid")),
    }
}

/// The text of a field as UTF-8 bytes: decoded, trimmed (as [`str::trim`] trims); `None` when
/// blank. ASCII (nearly every field) is borrowed from `raw` as it stands (ASCII is UTF-8);
/// other text is decoded into `scratch`.
#[inline]
fn decode_text<'s>(raw: &'s [u8], enc: Encoding, scratch: &'s mut String) -> Option<&'s [u8]> {
    // Fields are padded with spaces: drop them eight at a time, then trim as usual.
    let mut t = raw;
    while let Some((head, b"        ")) = t.split_last_chunk::<8>() {
        t = head;
    }
    let t = t.trim_ascii();
    let (&first, &last) = (t.first()?, t.last()?);
    if t.is_ascii() {
        // Of the ASCII characters `str::trim` drops, `trim_ascii` keeps only the vertical tab.
        if first != 0x0b && last != 0x0b {
            return Some(t);
        }
        return std::str::from_utf8(t).ok().map(|s| s.trim().as_bytes());
    }
    if enc == Encoding::Utf8 {
        if let Ok(s) = std::str::from_utf8(t) {
            return Some(s.trim().as_bytes());
        }
    }
    scratch.clear();
    match enc {
        Encoding::Latin1 => scratch.extend(t.iter().map(|&b| char::from(b))),
        _ => scratch.push_str(&enc.decode(t)),
    }
    Some(scratch.trim().as_bytes())
}

/// Appends one field's value (and its precision or meaning) to its columns.
#[inline]
fn append_field(
    columns: &mut [Builder],
    f: &FieldPlan,
    bytes: &[u8],
    enc: Encoding,
    scratch: &mut String,
) {
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
            let value = decode_text(raw, enc, scratch);
            let known = value.is_some();
            columns[f.column].text(value);
            match &f.extra {
                Extra::None | Extra::Precision => {}
                Extra::Meaning(codes) => {
                    let meaning = if known { codes.get(raw) } else { None };
                    columns[f.column + 1].str(meaning);
                }
                Extra::Municipality => {
                    let name = if known {
                        crate::municipality::lookup(raw).map(|m| m.finnish)
                    } else {
                        None
                    };
                    columns[f.column + 1].str(name);
                }
            }
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
/// out as Arrow record batches ([`Batch::take`]). A batch can be built on any thread; its
/// builders keep their capacity from one take to the next.
#[derive(Debug)]
pub struct Batch {
    tables: Vec<TableRows>,
    /// Buffers reused from record to record.
    scratch: Scratch,
}

/// Buffers reused from record to record.
#[derive(Debug, Default)]
struct Scratch {
    /// A typed header's or group's bytes, written back in the record's encoding.
    bytes: Vec<u8>,
    /// A typed header's bytes, written back.
    header: Vec<u8>,
    /// Text that is not ASCII, decoded.
    text: String,
    /// The record key and event of the record's group rows, decoded once per record.
    key: Kept,
    event: Kept,
    /// The registration date's value and precision.
    registered: Option<(Option<i32>, Option<&'static str>)>,
}

/// What a record brings to its `records` row, whatever it was read as.
struct RecordRow<'h> {
    line: u64,
    /// The first line's header bytes.
    header: &'h [u8],
    enc: Encoding,
    group_count: Option<Digits<'h>>,
    groups: usize,
    lines: usize,
}

/// One group row: the group's bytes (code first), its table, position and line.
struct GroupRow<'g> {
    bytes: &'g [u8],
    table: usize,
    index: i32,
    /// `Some(host)` for a qualifying group.
    host: Option<Option<i32>>,
    line: u64,
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

/// A text (UTF-8 bytes) kept from record to record in the same buffer.
#[derive(Debug, Default)]
struct Kept {
    text: Vec<u8>,
    set: bool,
}

impl Kept {
    fn set(&mut self, value: Option<&[u8]>) {
        self.text.clear();
        self.set = value.is_some();
        self.text.extend_from_slice(value.unwrap_or_default());
    }

    fn get(&self) -> Option<&[u8]> {
        self.set.then_some(self.text.as_slice())
    }
}

/// A count as a 32-bit column value.
fn count32(n: usize) -> Option<i32> {
    Some(i32::try_from(n).unwrap_or(i32::MAX))
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
            scratch: Scratch::default(),
        }
    }

    /// A batch of no tables (a placeholder; adding to it does nothing).
    pub fn empty() -> Batch {
        Batch {
            tables: Vec::new(),
            scratch: Scratch::default(),
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
    /// asks). The typed record's header and groups are written back to bytes first; a
    /// record as framing found it ([`Batch::add_view_item`]) needs no such step.
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

    /// Adds an item whose record is as framing found it (see [`Batch::add_item`]): the
    /// fields are cut from the bytes at their layouts' offsets.
    pub fn add_view_item(
        &mut self,
        plan: &Plan,
        file: &str,
        item: &Item<'_, &RecordView<'_>>,
        diagnostics: &[Diagnostic],
        raw: &[u8],
    ) {
        let line = match item {
            Item::Record(view) => {
                self.add_view(plan, file, view, diagnostics);
                view.line_number()
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

    /// Adds a record's row and its groups' rows, from the bytes framing found.
    fn add_view(
        &mut self,
        plan: &Plan,
        file: &str,
        view: &RecordView<'_>,
        diagnostics: &[Diagnostic],
    ) {
        let enc = view.encoding();
        let Some(first) = view.lines.first() else {
            return;
        };
        let record = RecordRow {
            line: first.info.number,
            header: first.header,
            enc,
            group_count: first.info.group_count,
            groups: view.groups.len(),
            lines: view.lines.len(),
        };
        let Batch { tables, scratch } = self;
        add_record_row(tables, scratch, plan, file, &record, diagnostics);
        let line = i64::try_from(record.line).unwrap_or(i64::MAX);
        let mut lines = view
            .lines
            .iter()
            .flat_map(|l| std::iter::repeat_n(l.info.number, l.groups));
        let mut host: Option<i32> = None;
        for (i, g) in view.groups.iter().enumerate() {
            let group_line = lines.next().unwrap_or(record.line);
            let index = i32::try_from(i + 1).unwrap_or(i32::MAX);
            // Groups kept raw (reported in `rejected`) have no layout: no row.
            let layout = g.layout.and_then(|l| plan.layouts.get(l));
            let qualifying = layout.is_some_and(|l| l.qualifying);
            if !qualifying {
                host = Some(index);
            }
            let Some(layout) = layout else {
                continue;
            };
            let row = GroupRow {
                bytes: g.bytes,
                table: layout.table,
                index,
                host: qualifying.then_some(host),
                line: group_line,
            };
            add_group_row(tables, scratch, plan, file, line, enc, &row);
        }
    }

    /// Adds a typed record's row and its groups' rows: its header and groups are written
    /// back to bytes, and the group's table found by code and width.
    fn add_record<H: WritePart, G: GroupPart>(
        &mut self,
        plan: &Plan,
        file: &str,
        r: &Record<'_, H, G>,
        diagnostics: &[Diagnostic],
    ) {
        // Bytes as they were read: a record built in code is UTF-8 (Rust strings).
        let enc = r.line.encoding.unwrap_or(Encoding::Utf8);
        let Batch { tables, scratch } = self;
        let mut header = std::mem::take(&mut scratch.header);
        header.clear();
        if r.header.write_part(enc, &mut header).is_err() {
            // A header that cannot be written has no values: its fields are null.
            header.clear();
        }
        let record = RecordRow {
            line: r.line.number,
            header: &header,
            enc,
            group_count: r.line.group_count,
            groups: r.groups.len(),
            lines: r.line_count(),
        };
        add_record_row(tables, scratch, plan, file, &record, diagnostics);
        let line = i64::try_from(r.line.number).unwrap_or(i64::MAX);
        // Line numbers of the groups: the first line's, then each continuation line's.
        let mut lines = std::iter::repeat_n(r.line.number, r.first_line_groups()).chain(
            r.continuations
                .iter()
                .flat_map(|c| std::iter::repeat_n(c.line.number, c.groups)),
        );
        let mut host: Option<i32> = None;
        let mut bytes = std::mem::take(&mut scratch.bytes);
        for (i, g) in r.groups.iter().enumerate() {
            let group_line = lines.next().unwrap_or(r.line.number);
            let index = i32::try_from(i + 1).unwrap_or(i32::MAX);
            let qualifying = g.is_qualifying();
            if !qualifying {
                host = Some(index);
            }
            bytes.clear();
            if g.write_part(enc, &mut bytes).is_err() {
                continue;
            }
            let width = if enc.is_single_byte() {
                bytes.len()
            } else {
                enc.width(&bytes)
            };
            // Groups kept raw (reported in `rejected`) have no layout's length: no row.
            let Some(table) = plan.group_table(g.code(), width) else {
                continue;
            };
            let row = GroupRow {
                bytes: &bytes,
                table,
                index,
                host: qualifying.then_some(host),
                line: group_line,
            };
            add_group_row(tables, scratch, plan, file, line, enc, &row);
        }
        scratch.bytes = bytes;
        scratch.header = header;
    }

    /// Takes the rows of every table that has some, as record batches (with the table's
    /// index), leaving the batch empty and ready for more.
    pub fn take(&mut self, plan: &Plan) -> Result<Vec<(usize, RecordBatch)>, ArrowError> {
        let mut out = Vec::new();
        for (i, t) in self.tables.iter_mut().enumerate() {
            if t.rows == 0 {
                continue;
            }
            let arrays = (t.columns.iter_mut().map(Builder::finish))
                .collect::<Result<Vec<ArrayRef>, ArrowError>>()?;
            t.rows = 0;
            let schema = plan.tables[i].arrow.clone();
            out.push((i, RecordBatch::try_new(schema, arrays)?));
        }
        Ok(out)
    }
}

/// A record's `records` row; keeps its key columns (decoded once) in `scratch` for its groups'
/// rows.
fn add_record_row(
    tables: &mut [TableRows],
    scratch: &mut Scratch,
    plan: &Plan,
    file: &str,
    r: &RecordRow<'_>,
    diagnostics: &[Diagnostic],
) {
    let (header, enc) = (r.header, r.enc);
    if let Some(t) = tables.first_mut() {
        let c = &mut t.columns;
        c[0].str(Some(file));
        c[1].i64(Some(i64::try_from(r.line).unwrap_or(i64::MAX)));
        let mut next = 2;
        for f in &plan.tables[0].fields {
            append_field(c, f, header, enc, &mut scratch.text);
            next = f.column + 1 + usize::from(!matches!(f.extra, Extra::None));
        }
        let count = r
            .group_count
            .filter(|d| !d.is_blank())
            .and_then(|d| d.value())
            .and_then(|n| i32::try_from(n).ok());
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        c[next].i32(count);
        c[next + 1].i32(count32(r.groups));
        c[next + 2].i32(count32(r.lines));
        c[next + 3].i32(count32(errors));
        c[next + 4].i32(count32(diagnostics.len() - errors));
        t.rows += 1;
    }
    let Scratch {
        text, key, event, ..
    } = scratch;
    let field = |f: &FieldPlan| slice(header, f.offset, f.len, enc);
    key.set((plan.keys.key.as_ref()).and_then(|f| decode_text(field(f), enc, text)));
    event.set((plan.keys.event.as_ref()).and_then(|f| decode_text(field(f), enc, text)));
    scratch.registered = plan
        .keys
        .registered
        .as_ref()
        .map(|f| date_value(slice(header, f.offset, f.len, enc)));
}

/// One group's row: the record's key columns, the group's position, its fields.
fn add_group_row(
    tables: &mut [TableRows],
    scratch: &mut Scratch,
    plan: &Plan,
    file: &str,
    line: i64,
    enc: Encoding,
    g: &GroupRow<'_>,
) {
    let (Some(t), Some(table)) = (tables.get_mut(g.table), plan.tables.get(g.table)) else {
        return;
    };
    let c = &mut t.columns;
    c[0].str(Some(file));
    c[1].i64(Some(line));
    let mut next = 2;
    if plan.keys.key.is_some() {
        c[next].text(scratch.key.get());
        next += 1;
    }
    if plan.keys.event.is_some() {
        c[next].text(scratch.event.get());
        next += 1;
    }
    if let Some((d, p)) = scratch.registered {
        c[next].date(d);
        c[next + 1].str(p);
        next += 2;
    }
    debug_assert_eq!(next, plan.key_columns);
    c[next].i32(Some(g.index));
    next += 1;
    if let Some(host) = g.host {
        c[next].i32(host);
        next += 1;
    }
    c[next].i64(Some(i64::try_from(g.line).unwrap_or(i64::MAX)));
    for f in &table.fields {
        append_field(c, f, g.bytes, enc, &mut scratch.text);
    }
    t.rows += 1;
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
    fn partial_dates_stand_at_the_first_day_of_their_period() {
        // Checked against chrono for every month of some years, leap years included.
        for year in [1, 4, 100, 1899, 1900, 1966, 2000, 2024, 9998] {
            for month in 1..=12u8 {
                let chrono = chrono::NaiveDate::from_ymd_opt(i32::from(year), u32::from(month), 1)
                    .map(|d| d.num_days_from_ce() - UNIX_EPOCH_DAYS_FROM_CE);
                assert_eq!(Some(first_day(year, month)), chrono, "{year}-{month}");
            }
        }
        assert_eq!(date_value(b"20240200"), (Some(19_754), Some("month")));
    }

    #[test]
    fn full_dates_count_as_chrono_counts() {
        // Every day of some years (leap years included), and days that are no dates.
        for year in [1u16, 4, 100, 1899, 1900, 1966, 2000, 2024, 9999] {
            for month in 0..=13u8 {
                for day in 0..=32u8 {
                    let raw = format!("{year:04}{month:02}{day:02}");
                    let chrono = chrono::NaiveDate::from_ymd_opt(
                        i32::from(year),
                        u32::from(month),
                        u32::from(day),
                    )
                    .map(|d| d.num_days_from_ce() - UNIX_EPOCH_DAYS_FROM_CE);
                    assert_eq!(full_date(raw.as_bytes()), chrono, "{raw}");
                    if let Some(days) = chrono {
                        assert_eq!(date_value(raw.as_bytes()), (Some(days), Some("day")));
                    }
                }
            }
        }
        for raw in [
            &b"00000101"[..],
            b"0000010a",
            b"2017022",
            b"201702222",
            b"+0170222",
        ] {
            assert_eq!(full_date(raw), None);
        }
    }

    #[test]
    fn text_is_decoded_and_trimmed() {
        let mut s = String::new();
        let mut text = |raw: &[u8], enc| {
            decode_text(raw, enc, &mut s).map(|t| String::from_utf8(t.to_vec()).unwrap())
        };
        assert_eq!(text(b"  K\xf6ski  ", Encoding::Latin1).unwrap(), "Köski");
        assert_eq!(text(b"\xa4", Encoding::Latin9).unwrap(), "€");
        assert_eq!(text("Pälö  ".as_bytes(), Encoding::Utf8).unwrap(), "Pälö");
        assert_eq!(
            text(b"P\xe4l\xf6 ", Encoding::Utf8).unwrap(),
            "P\u{fffd}l\u{fffd}"
        );
        // Latin-1 bytes that happen to be valid UTF-8 are still Latin-1.
        assert_eq!(text("ä".as_bytes(), Encoding::Latin1).unwrap(), "Ã¤");
        // A no-break space is trimmed once decoded, as any Unicode space.
        assert_eq!(text(b"\xa0ab\xa0", Encoding::Latin1).unwrap(), "ab");
        assert!(text(b"    ", Encoding::Latin1).is_none());
        // As `str::trim`: a vertical tab is dropped, but a field of nothing else is not blank.
        assert_eq!(text(b"\x0bab \x0b", Encoding::Latin1).unwrap(), "ab");
        assert_eq!(text(b"\x0b", Encoding::Latin1).unwrap(), "");
        assert_eq!(text(b"\xa0", Encoding::Latin1).unwrap(), "");
        assert_eq!(text(b" ab ", Encoding::Latin1).unwrap(), "ab");
        assert_eq!(
            slice("aäb".as_bytes(), 1, 1, Encoding::Utf8),
            "ä".as_bytes()
        );
        assert_eq!(slice(b"abc", 2, 5, Encoding::Latin1), b"c");
        assert_eq!(slice(b"abc", 7, 5, Encoding::Latin1), b"");
    }
}
