//! The columnar export, read back through the `parquet` crate's Arrow reader: every table of
//! the generated testdata (every group kind, partial dates, ISO-8859-1, ISO-8859-15 and UTF-8
//! text, building files, odd lines) holds, row for row and field for field, what the typed
//! families' JSON says; CSV holds the same tables; `--jobs` and row-group sizes do not change
//! the rows.

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::Command;

use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, Int32Type, Int64Type};
use arrow_array::{Array, RecordBatch};
use arrow_schema::DataType;
use muutostieto::building::Building;
use muutostieto::export::{Batch, Exporter, Format, Options, Plan};
use muutostieto::layout::FieldKind;
use muutostieto::person::Person;
use muutostieto::read::SliceReader;
use muutostieto::record::{Family, RecordView};
use muutostieto::{Encoding, ParseOptions};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_muutostieto");
const TESTDATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata");

/// A temporary directory, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("muutostieto-export-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn testdata(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(TESTDATA).join(name)).unwrap()
}

/// How the exporter is fed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Feed {
    /// Typed records ([`Batch::add_item`]).
    Typed,
    /// Records as framing found them, cut from the bytes ([`Batch::add_view_item`]).
    Views,
}

/// Exports `bytes` read as `family` records into `dir` through the library, in chunks of
/// `every` items per batch; returns the plan and the diagnostics count.
fn export<F: Family>(
    family: F,
    file: &str,
    bytes: &[u8],
    enc: Encoding,
    dir: &Path,
    options: Options,
) -> (Plan, usize) {
    export_fed(family, file, bytes, enc, dir, options, Feed::Typed)
}

fn export_fed<F: Family>(
    family: F,
    file: &str,
    bytes: &[u8],
    enc: Encoding,
    dir: &Path,
    options: Options,
    feed: Feed,
) -> (Plan, usize) {
    let plan = Plan::new(family.schema(), options.keep_rejected_bytes);
    let mut exporter = Exporter::create(dir, &plan, options).unwrap();
    let mut batch = Batch::new(&plan);
    let mut diagnostics = 0;
    let opts = ParseOptions::default().with_encoding(enc);
    let mut reader = SliceReader::new(family, bytes, opts);
    let (mut view, mut diags) = (RecordView::default(), Vec::new());
    for i in 0.. {
        match feed {
            Feed::Typed => {
                let Some(parsed) = reader.next() else { break };
                let parsed = parsed.unwrap();
                diagnostics += parsed.diagnostics.len();
                batch.add_item(&plan, file, &parsed.item, &parsed.diagnostics, b"");
            }
            Feed::Views => {
                diags.clear();
                let Some(item) = reader.next_view(&mut view, &mut diags) else {
                    break;
                };
                diagnostics += diags.len();
                batch.add_view_item(&plan, file, &item.unwrap(), &diags, b"");
            }
        }
        if i % 37 == 36 {
            exporter.write(&mut batch).unwrap();
        }
    }
    exporter.write(&mut batch).unwrap();
    let summary = exporter.finish().unwrap();
    assert_eq!(summary.len(), plan.tables.len());
    (plan, diagnostics)
}

fn json_items<F: Family>(family: F, bytes: &[u8], enc: Encoding) -> Vec<Value> {
    let opts = ParseOptions::default().with_encoding(enc);
    SliceReader::new(family, bytes, opts)
        .map(|p| serde_json::to_value(&p.unwrap().item).unwrap())
        .collect()
}

/// A row: column name to value.
type Row = BTreeMap<String, Value>;

/// A table's rows as JSON objects (dates as `yyyy-mm-dd`), and its column types.
fn read_table(path: &Path) -> (Vec<Row>, Vec<(String, DataType)>) {
    let reader = ParquetRecordBatchReaderBuilder::try_new(File::open(path).unwrap())
        .unwrap()
        .build()
        .unwrap();
    let mut rows = Vec::new();
    let mut types = Vec::new();
    for batch in reader {
        let batch: RecordBatch = batch.unwrap();
        types = batch
            .schema()
            .fields()
            .iter()
            .map(|f| (f.name().clone(), f.data_type().clone()))
            .collect();
        for r in 0..batch.num_rows() {
            let mut row = BTreeMap::new();
            for (col, (name, _)) in batch.columns().iter().zip(&types) {
                row.insert(name.clone(), cell(col, r));
            }
            rows.push(row);
        }
    }
    (rows, types)
}

fn cell(col: &dyn Array, r: usize) -> Value {
    if col.is_null(r) {
        return Value::Null;
    }
    match col.data_type() {
        DataType::Utf8 => json!(col.as_string::<i32>().value(r)),
        DataType::Int64 => json!(col.as_primitive::<Int64Type>().value(r)),
        DataType::Int32 => json!(col.as_primitive::<Int32Type>().value(r)),
        DataType::Date32 => {
            let days = col.as_primitive::<Date32Type>().value(r);
            let d = chrono::NaiveDate::from_num_days_from_ce_opt(days + 719_163).unwrap();
            json!(d.format("%Y-%m-%d").to_string())
        }
        DataType::Binary => json!(col.as_binary::<i32>().value(r).len()),
        other => panic!("unexpected type {other}"),
    }
}

/// Checks one field's columns against the field's JSON value.
fn check_field(kind: FieldKind, name: &str, json: &Value, row: &Row, where_: &str) {
    let value = &row[name];
    match kind {
        FieldKind::Date => {
            let precision = &row[&format!("{name}_precision")];
            let (date, p) = match json {
                Value::Null => (Value::Null, json!("none")),
                Value::String(s) if s == "indefinite" => (Value::Null, json!("indefinite")),
                Value::String(s) if s.len() == 10 => (json!(s), json!("day")),
                Value::String(s) if s.len() == 7 => (json!(format!("{s}-01")), json!("month")),
                Value::String(s) if s.len() == 4 => (json!(format!("{s}-01-01")), json!("year")),
                Value::Object(o) => {
                    let blank = o["invalid"].as_str().unwrap().trim().is_empty();
                    (
                        Value::Null,
                        if blank { Value::Null } else { json!("invalid") },
                    )
                }
                other => panic!("{where_}: date {other}"),
            };
            assert_eq!((value, precision), (&date, &p), "{where_}: {name}");
        }
        FieldKind::Code | FieldKind::Municipality => {
            let meaning = row.get(&format!("{name}_meaning"));
            match json {
                Value::Null => {
                    assert_eq!(value, &Value::Null, "{where_}: {name}");
                    if let Some(m) = meaning {
                        assert_eq!(m, &Value::Null, "{where_}: {name}_meaning");
                    }
                }
                Value::Object(o) => {
                    let code = o["code"].as_str().unwrap().trim();
                    assert_eq!(value, &json!(code), "{where_}: {name}");
                    if let Some(m) = meaning {
                        let want = o.get("meaning").cloned().unwrap_or(Value::Null);
                        assert_eq!(m, &want, "{where_}: {name}_meaning");
                    }
                }
                other => panic!("{where_}: code {other}"),
            }
        }
        _ => {
            let want = match json {
                Value::Null => Value::Null,
                Value::String(s) if s.trim().is_empty() => Value::Null,
                Value::String(s) => json!(s.trim()),
                other => panic!("{where_}: {name} {other}"),
            };
            assert_eq!(value, &want, "{where_}: {name}");
        }
    }
}

/// The name of the column that holds a layout field's value in a table.
fn column_of(plan: &Plan, table: &str, field: &str, after: &str) -> String {
    let t = plan.table(table).unwrap();
    let start = t.column(after).unwrap();
    t.columns[start..]
        .iter()
        .find(|c| c.field.as_deref() == Some(field))
        .unwrap_or_else(|| panic!("{table}: no column for {field}"))
        .name
        .clone()
}

/// Exports a file, fed typed records and then views, and checks every table against the typed
/// JSON; returns rows per table (the same both ways).
fn round_trip<F: Family + Copy>(family: F, name: &str, enc: Encoding) -> HashMap<String, usize> {
    let typed = round_trip_fed(family, name, enc, Feed::Typed);
    let views = round_trip_fed(family, name, enc, Feed::Views);
    assert_eq!(typed, views, "{name}");
    views
}

fn round_trip_fed<F: Family + Copy>(
    family: F,
    name: &str,
    enc: Encoding,
    feed: Feed,
) -> HashMap<String, usize> {
    let bytes = testdata(name);
    let dir = TempDir::new(&format!("{}-{feed:?}", name.replace('.', "_")));
    let options = Options::default();
    let (plan, diagnostics) = export_fed(family, name, &bytes, enc, &dir.0, options, feed);
    let schema = family.schema();
    let items = json_items(family, &bytes, enc);

    let mut tables: HashMap<String, Vec<Row>> = HashMap::new();
    for t in &plan.tables {
        let path = dir.0.join(format!("{}.parquet", t.name));
        let (rows, types) = read_table(&path);
        if !rows.is_empty() {
            // Types as planned: dates are DATE, lines BIGINT.
            for (c, (n, ty)) in t.columns.iter().zip(&types) {
                assert_eq!(&c.name, n);
                assert_eq!(&c.ty.arrow(), ty, "{}.{n}", t.name);
            }
        }
        tables.insert(t.name.clone(), rows);
    }
    assert!(dir.0.join("schema.md").exists());

    // records: one row per record, header fields as in the JSON.
    let records: Vec<&Value> = items.iter().filter(|i| i["type"] == "record").collect();
    let rec_rows = &tables["records"];
    assert_eq!(rec_rows.len(), records.len(), "{name}: records");
    let mut expected_groups: HashMap<String, usize> = HashMap::new();
    for (item, row) in records.iter().zip(rec_rows) {
        let where_ = format!("{name} line {}", item["line"]);
        assert_eq!(row["file"], json!(name));
        assert_eq!(row["line"], item["line"], "{where_}");
        for f in schema.header.fields.iter() {
            let col = column_of(&plan, "records", &f.name, "line");
            check_field(f.kind, &col, &item["header"][&*f.name], row, &where_);
        }
        let gc = &item["group_count"];
        assert_eq!(
            &row["group_count"],
            if gc.is_u64() { gc } else { &Value::Null }
        );

        // Groups, qualifiers after their host, numbered from 1.
        let mut flat = Vec::new();
        for g in item["groups"].as_array().unwrap() {
            let host = flat.len() + 1;
            flat.push((g, None));
            for q in g["qualifiers"].as_array().into_iter().flatten() {
                flat.push((q, Some(host)));
            }
        }
        assert_eq!(row["groups"], json!(flat.len()), "{where_}");
        for (i, (g, host)) in flat.iter().enumerate() {
            if g["group"] == "raw" {
                continue;
            }
            let code = g["code"].as_str().unwrap();
            let layout = schema
                .layouts_for(code.as_bytes())
                .iter()
                .find(|l| l.name == g["group"].as_str().unwrap())
                .unwrap();
            let table = plan
                .tables
                .iter()
                .find(|t| {
                    matches!(t.kind, muutostieto::export::TableKind::Group(i)
                        if std::ptr::eq(&schema.groups[i], layout))
                })
                .unwrap();
            *expected_groups.entry(table.name.clone()).or_default() += 1;
            let index = json!(i + 1);
            let found: Vec<_> = tables[&table.name]
                .iter()
                .filter(|r| r["line"] == item["line"] && r["group_index"] == index)
                .collect();
            assert_eq!(found.len(), 1, "{where_}: group {}", i + 1);
            let r = found[0];
            let where_ = format!("{where_} group {} ({code})", i + 1);
            let key = &*schema.header.fields[0].name;
            assert_eq!(r[key], row[key], "{where_}");
            assert!(!r[key].is_null() || row[key].is_null(), "{where_}");
            assert_eq!(r["registered"], row["registered"], "{where_}");
            if layout.qualifying {
                assert_eq!(r["host_index"], json!(host), "{where_}");
            }
            for f in layout.fields.iter() {
                let col = column_of(&plan, &table.name, &f.name, "group_line");
                check_field(f.kind, &col, &g[&*f.name], r, &where_);
            }
        }
    }
    for t in &plan.tables {
        if let muutostieto::export::TableKind::Group(_) = t.kind {
            let want = expected_groups.get(&t.name).copied().unwrap_or(0);
            assert_eq!(tables[&t.name].len(), want, "{name}: {}", t.name);
        }
    }
    assert_eq!(tables["rejected"].len(), diagnostics, "{name}: rejected");
    tables.into_iter().map(|(k, v)| (k, v.len())).collect()
}

#[test]
fn person_files_round_trip_in_every_encoding() {
    let mut rows: HashMap<String, usize> = HashMap::new();
    for (name, enc) in [
        ("changes.MTT", Encoding::Latin1),
        ("base.PTT", Encoding::Latin1),
        ("latin9.MTT", Encoding::Latin9),
        ("utf8.PTT_001.PART", Encoding::Utf8),
        ("odd.MTT", Encoding::Latin1),
    ] {
        for (t, n) in round_trip(Person, name, enc) {
            *rows.entry(t).or_default() += n;
        }
    }
    // Every group kind got rows.
    for (t, n) in &rows {
        assert!(*n > 0, "no rows in {t}");
    }
}

#[test]
fn building_files_round_trip() {
    for name in ["buildings.RMT", "buildings-base.RPT"] {
        let rows = round_trip(Building, name, Encoding::Latin1);
        assert!(rows["records"] > 0);
    }
}

#[test]
fn partial_dates_and_decoded_text_come_through() {
    let bytes = testdata("changes.MTT");
    let dir = TempDir::new("partial");
    export(
        Person,
        "changes.MTT",
        &bytes,
        Encoding::Latin1,
        &dir.0,
        Options::default(),
    );
    let mut precisions = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(&dir.0).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "parquet") {
            for row in read_table(&path).0 {
                for (k, v) in row {
                    if k.ends_with("_precision") {
                        if let Value::String(s) = v {
                            precisions.insert(s);
                        }
                    }
                }
            }
        }
    }
    for p in ["day", "month", "year", "none"] {
        assert!(precisions.contains(p), "no {p} date in {precisions:?}");
    }
    // Latin-9 letters decode to their own characters.
    let bytes = testdata("latin9.MTT");
    let dir = TempDir::new("latin9");
    export(
        Person,
        "latin9.MTT",
        &bytes,
        Encoding::Latin9,
        &dir.0,
        Options::default(),
    );
    let (names, _) = read_table(&dir.0.join("004_current_name.parquet"));
    let text: String = names
        .iter()
        .flat_map(|r| [&r["last_name"], &r["first_names"]])
        .filter_map(|v| v.as_str())
        .collect();
    assert!(
        text.chars().any(|c| "ŠšŽžŒœŸ€".contains(c)),
        "no Latin-9 letters"
    );
}

#[test]
fn small_row_groups_and_memory_budget_keep_every_row() {
    let bytes = testdata("changes.MTT");
    let dir = TempDir::new("rowgroups");
    let options = Options {
        row_group_rows: 10,
        memory_budget: 1,
        ..Options::default()
    };
    export(
        Person,
        "changes.MTT",
        &bytes,
        Encoding::Latin1,
        &dir.0,
        options,
    );
    let file = File::open(dir.0.join("004_current_name.parquet")).unwrap();
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
    let meta = builder.metadata().clone();
    assert!(meta.num_row_groups() > 5, "{}", meta.num_row_groups());
    assert!(meta.row_groups().iter().all(|g| g.num_rows() <= 10));
    let rows: i64 = meta.row_groups().iter().map(|g| g.num_rows()).sum();
    assert_eq!(
        rows,
        read_table(&dir.0.join("004_current_name.parquet")).0.len() as i64
    );
    assert!(rows > 100);
    // Compressed with zstd.
    let col = meta.row_group(0).column(0);
    assert!(matches!(
        col.compression(),
        parquet::basic::Compression::ZSTD(_)
    ));
}

fn run(args: &[&str]) -> (i32, String) {
    let out = Command::new(BIN).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn files_in(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

#[test]
fn csv_holds_the_same_tables_whatever_the_jobs() {
    let changes = format!("{TESTDATA}/changes.MTT");
    let odd = format!("{TESTDATA}/odd.MTT");
    let pq = TempDir::new("cli-parquet");
    let csv1 = TempDir::new("cli-csv1");
    let csv2 = TempDir::new("cli-csv2");
    let p = pq.0.to_str().unwrap();
    let (code, err) = run(&["export", "--out", p, "-q", &changes, &odd]);
    assert!(code <= 1, "{err}");
    let c1 = csv1.0.to_str().unwrap();
    let (code1, _) = run(&[
        "export", "--format", "csv", "--jobs", "1", "--out", c1, &changes, &odd,
    ]);
    let c2 = csv2.0.to_str().unwrap();
    let (code2, _) = run(&[
        "export",
        "--format",
        "csv",
        "--jobs",
        "2",
        "--chunk-size",
        "3000",
        "--out",
        c2,
        "-q",
        &changes,
        &odd,
    ]);
    assert_eq!((code, code1), (code1, code2));
    let one = files_in(&csv1.0);
    assert_eq!(one, files_in(&csv2.0), "--jobs 2 wrote other CSV");
    let parquet = files_in(&pq.0);
    assert_eq!(one.len(), parquet.len());
    for (name, bytes) in &parquet {
        let Some(stem) = name.strip_suffix(".parquet") else {
            continue;
        };
        let (rows, types) = read_table(&pq.0.join(name));
        let text = &one[&format!("{stem}.csv")];
        let mut reader = csv::Reader::from_reader(&text[..]);
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        let names: Vec<String> = types.iter().map(|(n, _)| n.clone()).collect();
        if !rows.is_empty() {
            assert_eq!(header, names, "{stem}");
        }
        let records: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        assert_eq!(records.len(), rows.len(), "{stem}");
        for (rec, row) in records.iter().zip(&rows) {
            for (h, v) in header.iter().zip(rec.iter()) {
                let want = match &row[h] {
                    Value::Null => String::new(),
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                assert_eq!(v, want, "{stem}.{h}");
            }
        }
        assert!(!bytes.is_empty());
    }
    assert!(one.contains_key("schema.md"));
}

#[test]
fn rejected_rows_carry_no_bytes_unless_asked() {
    let odd = format!("{TESTDATA}/odd.MTT");
    let plain = TempDir::new("rejected-plain");
    let kept = TempDir::new("rejected-kept");
    run(&["export", "-q", "--out", plain.0.to_str().unwrap(), &odd]);
    run(&[
        "export",
        "-q",
        "--keep-rejected-bytes",
        "--out",
        kept.0.to_str().unwrap(),
        &odd,
    ]);
    let (rows, types) = read_table(&plain.0.join("rejected.parquet"));
    assert!(!rows.is_empty());
    assert!(types.iter().all(|(n, _)| n != "raw"));
    assert!(rows.iter().all(|r| r["value"].is_null()));
    let (kept_rows, types) = read_table(&kept.0.join("rejected.parquet"));
    assert!(types
        .iter()
        .any(|(n, t)| n == "raw" && *t == DataType::Binary));
    assert_eq!(kept_rows.len(), rows.len());
    assert!(kept_rows.iter().any(|r| r["raw"].as_u64().unwrap_or(0) > 0));
}

#[test]
fn one_family_per_directory() {
    let dir = TempDir::new("mixed");
    let (code, err) = run(&[
        "export",
        "--out",
        dir.0.to_str().unwrap(),
        &format!("{TESTDATA}/changes.MTT"),
        &format!("{TESTDATA}/buildings.RMT"),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("one family"), "{err}");
    // The person file's tables are whole.
    assert!(!read_table(&dir.0.join("records.parquet")).0.is_empty());
}

#[test]
fn a_layout_file_gives_the_columns() {
    // person layouts exported, 452 widened to 40 characters of text.
    let mut file = muutostieto::layout::LayoutFile::from_schema(muutostieto::person::schema());
    let g = file.groups.iter_mut().find(|g| g.code == "452").unwrap();
    g.length = 44;
    g.fields.last_mut().unwrap().length = 40;
    g.fields.last_mut().unwrap().name = "long_text".into();
    let dir = TempDir::new("layout");
    let layout = dir.0.join("wide.toml");
    std::fs::write(&layout, file.to_toml().unwrap()).unwrap();
    let input = dir.0.join("wide.MTT");
    let text = format!("{:<40}", "a longer plain-text clarification");
    std::fs::write(
        &input,
        format!("010101A900RXBX201702080102|002098|4520{text}|\r\n"),
    )
    .unwrap();
    let out = dir.0.join("out");
    let (code, err) = run(&[
        "export",
        "--layout",
        layout.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        input.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let (rows, _) = read_table(&out.join("452_additional_info.parquet"));
    assert_eq!(rows.len(), 1);
    assert_eq!(
        rows[0]["long_text"],
        json!("a longer plain-text clarification")
    );
    assert_eq!(rows[0]["host_index"], json!(1));
    let (langs, _) = read_table(&out.join("002_mother_tongue.parquet"));
    assert_eq!(langs[0]["group_index"], json!(1));
    let md = std::fs::read_to_string(out.join("schema.md")).unwrap();
    assert!(md.contains("`long_text`"));
}

#[test]
fn written_format_is_parquet_or_csv() {
    assert_eq!(Format::default().extension(), "parquet");
    assert_eq!(Format::Csv.extension(), "csv");
}

#[test]
fn encoding_threads_write_the_same_rows_in_the_same_order() {
    for (name, family_is_person) in [("changes.MTT", true), ("buildings.RMT", false)] {
        let bytes = testdata(name);
        let mut tables = Vec::new();
        for (threads, budget) in [(1, 48 << 20), (3, 48 << 20), (2, 1)] {
            let dir = TempDir::new(&format!("threads{threads}-{budget}-{name}"));
            let options = Options {
                threads,
                memory_budget: budget,
                row_group_rows: 7,
                ..Options::default()
            };
            let enc = Encoding::Latin1;
            let plan = if family_is_person {
                export_fed(Person, name, &bytes, enc, &dir.0, options, Feed::Views).0
            } else {
                export_fed(Building, name, &bytes, enc, &dir.0, options, Feed::Views).0
            };
            let rows: Vec<(String, Vec<Row>)> = plan
                .tables
                .iter()
                .map(|t| {
                    let path = dir.0.join(format!("{}.parquet", t.name));
                    (t.name.clone(), read_table(&path).0)
                })
                .collect();
            assert!(rows.iter().any(|(_, r)| r.len() > 7), "{name}");
            tables.push(rows);
        }
        assert_eq!(tables[0], tables[1], "{name}: 1 and 3 threads");
        assert_eq!(tables[0], tables[2], "{name}: 2 threads, tiny budget");
    }
}
