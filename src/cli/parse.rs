//! `muutostieto parse`: records as JSON Lines, one JSON array, or CSV rows of one group code.

use std::io::{self, Write};

use clap::{Args, ValueEnum};
use muutostieto::field::{Text, VtjDate};
use muutostieto::layout::{FieldDef, FieldKind, GroupLayout, Schema};
use muutostieto::record::Item;
use muutostieto::record::{Family, GroupPart, Record, WritePart};
use muutostieto::Encoding;

use super::args::ReadArgs;
use super::driver::{file_result, read_file, Job, Step, ViewStep};
use super::family::{with_family, Families};
use super::io::{csv_err, display_name, stdout, Files};
use super::report::{format_diagnostic, plural, Report};
use super::{EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE};
use muutostieto::Diagnostic;

/// Output formats of `parse`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ParseFormat {
    /// One JSON object per line and item (record, envelope or malformed line).
    #[default]
    Jsonl,
    /// One JSON array of all items, streamed.
    Json,
    /// One CSV row per group of the code given with --group.
    Csv,
}

/// Arguments of `parse`.
#[derive(Debug, Args)]
#[command(after_help = "\
JSON: items carry a \"file\" member when several files are given.
CSV columns: file,line, the record key (person_id, building_id, or a layout file's first header \
field), code,change, then the group's field names in layout order (of the first file's family). \
For a code with two layouts (person 305) there is a \"layout\" column after \"change\" \
(guardian_legacy or guardian) and the field columns are the union of both layouts; fields the \
row's layout lacks are empty. \
Values: decoded text without padding, ISO dates (2017-02-22, 1966-05, 1971, empty for no date, \
\"indefinite\"), codes and numbers as written. Groups that could not be parsed (kept raw) have no row.
Exit status: 0 when no errors were found (warnings are allowed), 1 when some were, 2 on usage errors or \
files that cannot be read.")]
pub struct ParseArgs {
    #[command(flatten)]
    pub files: Files,
    #[command(flatten)]
    pub read: ReadArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ParseFormat::Jsonl)]
    pub format: ParseFormat,
    /// The group code for CSV output, e.g. 004 or 451 (qualifying groups included), or 601 for
    /// buildings.
    #[arg(long, value_name = "CODE", required_if_eq("format", "csv"))]
    pub group: Option<String>,
    /// Do not print the summary line on stderr, nor the note on a file whose record family
    /// cannot be told.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Runs `parse`: data on stdout, diagnostics and the summary on stderr.
pub fn run(args: ParseArgs) -> io::Result<u8> {
    let mut report = Report::new();
    let csv_code = match (&args.format, &args.group) {
        (ParseFormat::Csv, Some(code)) => match group_code(code) {
            Ok(code) => Some(code),
            Err(msg) => {
                report.error(msg);
                return Ok(EXIT_USAGE);
            }
        },
        (_, Some(_)) => {
            report.error("--group is only used with --format csv");
            return Ok(EXIT_USAGE);
        }
        _ => None,
    };
    let families = match Families::new(&args.read.family, args.quiet) {
        Ok(f) => f,
        Err(msg) => {
            report.error(msg);
            return Ok(EXIT_USAGE);
        }
    };
    let mut output = Output {
        out: stdout(),
        array: args.format == ParseFormat::Json,
        first: true,
    };
    output.begin()?;
    let with_file = args.files.files.len() > 1;
    let mut columns: Option<Columns> = None;
    let jobs = args.read.jobs()?;
    let mut totals = Totals::default();
    for path in &args.files.files {
        let name = display_name(path);
        let (opts, input, kind) = match families.open_read(path, &args.read, &mut report) {
            Ok(opened) => opened,
            Err(e) => {
                totals.unreadable += 1;
                report.error(e);
                continue;
            }
        };
        if let Some(code) = csv_code {
            match &columns {
                None => match csv_columns(kind.name(), kind.schema(), code) {
                    Ok(c) => {
                        output.out.write_all(&csv_header(&c)?)?;
                        columns = Some(c);
                    }
                    Err(msg) => {
                        report.error(msg);
                        return Ok(EXIT_USAGE);
                    }
                },
                Some(c) if c.family != kind.name() => {
                    totals.unreadable += 1;
                    report.error(format_args!(
                        "{name}: {} records, but the CSV columns are those of the {} records \
                         read first (give files of one family)",
                        kind.name(),
                        c.family
                    ));
                    continue;
                }
                Some(_) => {}
            }
        }
        let format = match (csv_code, &columns) {
            (Some(code), Some(columns)) => Format::Csv { columns, code },
            _ => Format::Json {
                array: output.array,
                with_file,
            },
        };
        let job = ParseJob {
            name: &name,
            enc: opts.encoding,
            format,
        };
        let result = with_family!(kind, |family| read_file(
            family,
            path,
            input,
            opts,
            &jobs,
            &mut report,
            &job,
            |o: &mut ParseOut, report| {
                totals.records += o.records;
                totals.errors += o.errors;
                totals.warnings += o.warnings;
                report.lines(&o.messages);
                output.write(o)?;
                report.sync_stdout(|| output.out.flush())?;
                o.clear();
                Ok(())
            }
        ));
        if file_result(result, &mut report, &mut totals.unreadable)?.is_some() {
            totals.files += 1;
        }
    }
    output.end()?;
    if !args.quiet {
        let mut line = format!(
            "parse: {}, {}, {}, {}",
            plural(totals.files, "file", "files"),
            plural(totals.records, "record", "records"),
            plural(totals.errors, "error", "errors"),
            plural(totals.warnings, "warning", "warnings"),
        );
        if totals.unreadable > 0 {
            line.push_str(&format!(
                ", {} not readable",
                plural(totals.unreadable, "file", "files")
            ));
        }
        report.line(line);
    }
    Ok(if totals.unreadable > 0 {
        EXIT_USAGE
    } else if totals.errors > 0 {
        EXIT_PROBLEMS
    } else {
        EXIT_OK
    })
}

#[derive(Default)]
struct Totals {
    files: u64,
    unreadable: u64,
    records: u64,
    errors: u64,
    warnings: u64,
}

/// How `parse` writes items.
enum Format<'a> {
    Json { array: bool, with_file: bool },
    Csv { columns: &'a Columns, code: [u8; 3] },
}

/// `parse`'s work on one file's items: JSON or CSV text, diagnostics and counts.
struct ParseJob<'a> {
    name: &'a str,
    enc: Encoding,
    format: Format<'a>,
}

/// What `parse` makes of some items.
struct ParseOut {
    /// JSON items (in an array: separated by `,\n`, with none before the first).
    json: Vec<u8>,
    /// CSV rows, written out from `csv_sent` on (the writer is kept between items)…
    csv: csv::Writer<Vec<u8>>,
    csv_sent: usize,
    /// …and how many.
    rows: u64,
    /// Items in `json`.
    items: u64,
    records: u64,
    errors: u64,
    warnings: u64,
    /// Lines for stderr.
    messages: Vec<u8>,
    /// A group's bytes, rewritten (reused).
    group: Vec<u8>,
    /// A CSV row's values (reused).
    row: Vec<String>,
}

impl ParseOut {
    /// Empties the accumulator, keeping its buffers.
    fn clear(&mut self) {
        self.json.clear();
        self.messages.clear();
        self.items = 0;
        self.records = 0;
        self.errors = 0;
        self.warnings = 0;
    }
}

impl<F: Family> Job<F> for ParseJob<'_> {
    type Out = ParseOut;
    const REUSE_OUT: bool = true;

    fn out(&self) -> ParseOut {
        ParseOut {
            json: Vec::new(),
            csv: csv_writer(Vec::new()),
            csv_sent: 0,
            rows: 0,
            items: 0,
            records: 0,
            errors: 0,
            warnings: 0,
            messages: Vec::new(),
            group: Vec::with_capacity(512),
            row: Vec::new(),
        }
    }

    fn step(&self, out: &mut ParseOut, step: Step<'_, '_, F>) -> io::Result<()> {
        let Some(item) = self.messages(out, step.diagnostics, step.item.ok())? else {
            return Ok(());
        };
        match &self.format {
            Format::Json { .. } => {
                self.json(out, |file, o| muutostieto::json::write_item(&item, file, o));
                Ok(())
            }
            Format::Csv { columns, code } => match &item {
                Item::Record(r) => csv_rows(out, columns, *code, self.name, r, self.enc),
                _ => Ok(()),
            },
        }
    }

    /// JSON is written from the record as checked, without typing it (the same text:
    /// tests/json_fast.rs); CSV rows from the typed record.
    fn step_view(&self, out: &mut ParseOut, step: ViewStep<'_, '_, '_, F>) -> io::Result<()> {
        if !matches!(self.format, Format::Json { .. }) {
            return self.step(out, step.typed());
        }
        let family = step.family;
        let Some(item) = self.messages(out, step.diagnostics, step.item.ok())? else {
            return Ok(());
        };
        self.json(out, |file, o| {
            muutostieto::json::write_view(family, &item, file, o)
        });
        Ok(())
    }
}

impl ParseJob<'_> {
    /// Counts and formats an item's diagnostics; gives back the item (`None` for the
    /// strict-mode stop, which is reported), counting it when it is a record.
    fn messages<'a, T>(
        &self,
        out: &mut ParseOut,
        diagnostics: &[Diagnostic],
        item: Option<Item<'a, T>>,
    ) -> io::Result<Option<Item<'a, T>>> {
        let name = self.name;
        for d in diagnostics {
            if d.is_error() {
                out.errors += 1;
            } else {
                out.warnings += 1;
            }
            writeln!(out.messages, "{}", format_diagnostic(name, d))?;
        }
        let Some(item) = item else {
            writeln!(
                out.messages,
                "{name}: stopped at the first error (strict mode)"
            )?;
            return Ok(None);
        };
        out.records += u64::from(item.as_record().is_some());
        Ok(Some(item))
    }

    /// Writes one item's JSON with `write(file name or None, buffer)`, as a line or an array
    /// element.
    fn json(&self, out: &mut ParseOut, write: impl FnOnce(Option<&str>, &mut Vec<u8>)) {
        let Format::Json { array, with_file } = self.format else {
            return;
        };
        let o = &mut out.json;
        if array && out.items > 0 {
            o.extend_from_slice(b",\n");
        }
        out.items += 1;
        write(with_file.then_some(self.name), o);
        if !array {
            o.push(b'\n');
        }
    }
}

/// `parse`'s stdout.
struct Output {
    out: io::BufWriter<io::StdoutLock<'static>>,
    /// One JSON array.
    array: bool,
    /// No item written yet.
    first: bool,
}

impl Output {
    fn begin(&mut self) -> io::Result<()> {
        if self.array {
            self.out.write_all(b"[")?;
        }
        Ok(())
    }

    /// Writes what some items made.
    fn write(&mut self, o: &mut ParseOut) -> io::Result<()> {
        if o.items > 0 {
            if self.array {
                self.out
                    .write_all(if self.first { b"\n" } else { b",\n" })?;
            }
            self.first = false;
            self.out.write_all(&o.json)?;
        }
        if o.rows > 0 {
            o.csv.flush()?;
            let rows = o.csv.get_ref();
            self.out.write_all(&rows[o.csv_sent..])?;
            o.csv_sent = rows.len();
            o.rows = 0;
            if o.csv_sent > 1 << 20 {
                o.csv = csv_writer(Vec::new());
                o.csv_sent = 0;
            }
        }
        Ok(())
    }

    fn end(&mut self) -> io::Result<()> {
        if self.array {
            self.out
                .write_all(if self.first { b"]\n" } else { b"\n]\n" })?;
        }
        self.out.flush()
    }
}

/// The CSV columns for a group code: its layouts and the union of their field names (the
/// change attribute, at offset 3 in every layout, has its own column).
struct Columns {
    /// The family whose layouts these are (`person`, `building`, `layout`).
    family: &'static str,
    layouts: Vec<GroupLayout>,
    fields: Vec<String>,
    /// The header field that identifies the record (the first one).
    key: Option<FieldDef>,
}

/// The three digits of `--group`.
fn group_code(code: &str) -> Result<[u8; 3], String> {
    code.as_bytes()
        .try_into()
        .ok()
        .filter(|b: &[u8; 3]| b.iter().all(u8::is_ascii_digit))
        .ok_or_else(|| format!("--group {code}: a group code is three digits, e.g. 004"))
}

fn csv_columns(family: &'static str, schema: &Schema, code: [u8; 3]) -> Result<Columns, String> {
    let layouts = schema.layouts_for(&code);
    if layouts.is_empty() {
        return Err(format!(
            "--group {}: no such group code in the {} layouts",
            String::from_utf8_lossy(&code),
            schema.name
        ));
    }
    let mut fields: Vec<String> = Vec::new();
    for layout in layouts {
        for f in layout.fields.iter().filter(|f| f.name != "change") {
            if !fields.iter().any(|n| *n == f.name) {
                fields.push(f.name.to_string());
            }
        }
    }
    Ok(Columns {
        family,
        layouts: layouts.to_vec(),
        fields,
        key: schema.header.fields.first().cloned(),
    })
}

/// A CSV writer as `parse` writes.
fn csv_writer<W: Write>(w: W) -> csv::Writer<W> {
    csv::WriterBuilder::new().flexible(false).from_writer(w)
}

/// The CSV header line.
fn csv_header(columns: &Columns) -> io::Result<Vec<u8>> {
    let key = columns.key.as_ref().map_or("key", |f| &f.name);
    let mut head: Vec<String> = ["file", "line", key, "code", "change"]
        .map(String::from)
        .to_vec();
    if columns.layouts.len() > 1 {
        head.push("layout".into());
    }
    // A group field named like a fixed column (001's person_id) gets a `group_` prefix.
    for f in &columns.fields {
        let name = if head.contains(f) {
            format!("group_{f}")
        } else {
            f.clone()
        };
        head.push(name);
    }
    let mut w = csv_writer(Vec::new());
    w.write_record(&head).map_err(csv_err)?;
    w.into_inner().map_err(|e| e.into_error())
}

/// The CSV rows of a record's groups of `code`.
fn csv_rows<H: WritePart, G: GroupPart>(
    out: &mut ParseOut,
    columns: &Columns,
    code: [u8; 3],
    file: &str,
    r: &Record<'_, H, G>,
    enc: Encoding,
) -> io::Result<()> {
    // Line numbers of the groups: the first line's, then each continuation line's.
    let mut lines = std::iter::repeat_n(r.line.number, r.first_line_groups()).chain(
        r.continuations
            .iter()
            .flat_map(|c| std::iter::repeat_n(c.line.number, c.groups)),
    );
    let buf = &mut out.group;
    let row = &mut out.row;
    // The record key, read from the header's bytes by the first header field's layout.
    buf.clear();
    let key = match &columns.key {
        Some(f) => {
            if let Err(e) = r.header.write_part(enc, buf) {
                // No row without its key: the record's rows are left out, and said so.
                out.errors += 1;
                writeln!(
                    out.messages,
                    "{file}:{}:0: error: {e} (the record's CSV rows are left out)",
                    r.line.number
                )?;
                return Ok(());
            }
            if enc.width(buf) >= f.end() {
                field_text(buf, f.offset, f.len, f.kind, enc)
            } else {
                String::new()
            }
        }
        None => String::new(),
    };
    for group in &r.groups {
        let line = lines.next().unwrap_or(r.line.number);
        if group.code() != code {
            continue;
        }
        buf.clear();
        if let Err(e) = group.write_part(enc, buf) {
            out.errors += 1;
            writeln!(
                out.messages,
                "{file}:{line}:0: error: {e} (CSV row left out)"
            )?;
            continue;
        }
        // Framing matches a layout by length, so a group with a layout's length is of that
        // layout; groups kept raw (reported as diagnostics) have no layout's length.
        let width = enc.width(buf);
        let Some(layout) = columns.layouts.iter().find(|l| l.len == width) else {
            continue;
        };
        row.clear();
        row.push(file.to_string());
        row.push(line.to_string());
        row.push(key.clone());
        row.push(String::from_utf8_lossy(&code).into_owned());
        row.push(field_text(buf, 3, 1, FieldKind::Code, enc));
        if columns.layouts.len() > 1 {
            row.push(layout.name.to_string());
        }
        for name in &columns.fields {
            let value = layout
                .field(name)
                .map(|f| field_text(buf, f.offset, f.len, f.kind, enc))
                .unwrap_or_default();
            row.push(value);
        }
        out.csv.write_record(&*row).map_err(csv_err)?;
        out.rows += 1;
    }
    Ok(())
}

/// The CSV text of one field of a group's bytes (`offset`/`len` in characters from the first
/// digit of the code).
fn field_text(group: &[u8], offset: usize, len: usize, kind: FieldKind, enc: Encoding) -> String {
    let start = enc.byte_offset(group, offset);
    let end = start + enc.byte_offset(&group[start..], len);
    let raw = &group[start..end];
    match kind {
        FieldKind::Date => VtjDate::from_bytes(raw).to_iso().unwrap_or_default(),
        FieldKind::Text => Text::from_bytes(raw, enc).decode().trim().to_string(),
        _ => enc.decode(raw).trim().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guardian_columns_are_the_union_of_both_layouts() {
        let person = muutostieto::person::schema();
        let c = csv_columns("person", person, *b"305").unwrap();
        assert_eq!(c.layouts.len(), 2);
        assert_eq!(c.fields[0], "guardian_id");
        let has = |n: &str| c.fields.iter().any(|f| f == n);
        assert!(has("decision_date") && has("residence_end"));
        assert!(!has("change"));
        assert_eq!(c.key.unwrap().name, "person_id");
        assert!(csv_columns("person", person, *b"999").is_err());
        assert!(group_code("04").is_err());
        assert!(group_code("abc").is_err());
        assert_eq!(group_code("004"), Ok(*b"004"));
    }

    #[test]
    fn field_text_by_kind() {
        let g = b"0041Nieminen  19660500";
        assert_eq!(
            field_text(g, 4, 10, FieldKind::Text, Encoding::Latin1),
            "Nieminen"
        );
        assert_eq!(
            field_text(g, 14, 8, FieldKind::Date, Encoding::Latin1),
            "1966-05"
        );
        assert_eq!(field_text(g, 3, 1, FieldKind::Code, Encoding::Latin1), "1");
        let u = "0041Pälö      00000000".as_bytes();
        assert_eq!(
            field_text(u, 4, 10, FieldKind::Text, Encoding::Utf8),
            "Pälö"
        );
        assert_eq!(field_text(u, 14, 8, FieldKind::Date, Encoding::Utf8), "");
    }
}
