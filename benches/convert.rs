//! Throughput of `convert` JSON Lines beside `parse` JSON Lines, on the same generated buffer.
//!
//! `cargo bench --bench convert -- --warm-up-time 1 --measurement-time 3`. The buffer is made
//! by `testdata::generate` (a change delivery with continuation and envelope lines, ISO-8859-1,
//! every group code) and is `MUUTOSTIETO_BENCH_MB` megabytes (default 20).
//!
//! Rows, each over the whole buffer, one thread, output into a reused buffer cleared at 64 KiB
//! (as a buffered writer would):
//! * `parse_json_lines` — what `parse` prints: checked records written as JSON Lines straight
//!   from their bytes (`json::write_view`);
//! * `convert_view_json_lines` — what `convert` prints: each checked record's `Muutos` written
//!   straight from its bytes (`Converter::write_muutos_view`, the mapping table's rows compiled
//!   once per layout), with the summary's counts;
//! * `convert_json_lines` — typed parse, then a reused `Converter` builds each record's
//!   `Muutos` in its buffers and writes it (`Converted::write_json`, the typed path);
//! * `convert_serde_json_lines` — the same through its `Serialize` impl and serde_json;
//! * `convert_perustiedot_json_lines` — the same for base data (`Perustieto`);
//! * `convert_only` — typed parse and conversion, no JSON (what the conversion itself costs);
//! * `parse_only` — typed parse alone (the floor).
//!
//! Criterion reports input bytes per second (`Throughput::Bytes`).

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use muutostieto::convert::{ConvertOptions, Converter, Counts};
use muutostieto::person::Person;
use muutostieto::read::SliceReader;
use muutostieto::record::Item;
use muutostieto::testdata::{generate, DeliveryKind, Options, Profile};
use muutostieto::{Diagnostic, Encoding, ParseOptions};

const ENC: Encoding = Encoding::Latin1;

/// Output buffered up to this much, then "written" (cleared).
const FLUSH_AT: usize = 64 * 1024;

fn buffer() -> &'static [u8] {
    static BUF: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    BUF.get_or_init(|| {
        let mb: u64 = std::env::var("MUUTOSTIETO_BENCH_MB")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(20);
        let t = Instant::now();
        let bytes = generate(&Options {
            seed: 2017,
            records: u64::MAX,
            target_bytes: Some(mb * 1_000_000),
            kind: DeliveryKind::Change,
            encoding: ENC,
            continuation_every: 0,
            envelope: false,
            // The shape of users' change files (see benches/throughput.rs).
            profile: Profile::RealShaped,
        });
        eprintln!("generated {} bytes in {:.1?}", bytes.len(), t.elapsed());
        bytes
    })
}

fn opts() -> ParseOptions {
    ParseOptions::default().with_encoding(ENC)
}

fn parse_json_lines(buf: &[u8], out: &mut Vec<u8>, _c: &mut Converter) -> u64 {
    let mut reader = SliceReader::new(Person, buf, opts());
    let mut diags: Vec<Diagnostic> = Vec::new();
    let mut view = muutostieto::record::RecordView::default();
    let mut written = 0u64;
    out.clear();
    while let Some(item) = reader.next_view(&mut view, &mut diags) {
        muutostieto::json::write_view(Person, &item.expect("lenient"), None, out);
        out.push(b'\n');
        if out.len() > FLUSH_AT {
            written += out.len() as u64;
            out.clear();
        }
    }
    written + out.len() as u64
}

fn convert_lines(buf: &[u8], out: &mut Vec<u8>, conv: &mut Converter, base: bool) -> u64 {
    let mut reader = SliceReader::new(Person, buf, opts());
    let mut diags: Vec<Diagnostic> = Vec::new();
    let mut written = 0u64;
    out.clear();
    while let Some(item) = reader.next_item(&mut diags) {
        if let Ok(Item::Record(r)) = item {
            let converted = if base {
                conv.perustieto(&r)
            } else {
                conv.muutos(&r)
            };
            converted.write_json(out);
            out.push(b'\n');
            if out.len() > FLUSH_AT {
                written += out.len() as u64;
                out.clear();
            }
        }
    }
    written + out.len() as u64
}

fn convert_view_json_lines(buf: &[u8], out: &mut Vec<u8>, conv: &mut Converter) -> u64 {
    let mut reader = SliceReader::new(Person, buf, opts());
    let mut diags: Vec<Diagnostic> = Vec::new();
    let mut view = muutostieto::record::RecordView::default();
    let mut counts = Counts::default();
    let mut written = 0u64;
    out.clear();
    while let Some(item) = reader.next_view(&mut view, &mut diags) {
        if let Ok(Item::Record(v)) = item {
            conv.write_muutos_view(v, out, &mut counts);
            out.push(b'\n');
            if out.len() > FLUSH_AT {
                written += out.len() as u64;
                out.clear();
            }
        }
    }
    black_box(&counts);
    written + out.len() as u64
}

fn convert_json_lines(buf: &[u8], out: &mut Vec<u8>, conv: &mut Converter) -> u64 {
    convert_lines(buf, out, conv, false)
}

fn convert_serde_json_lines(buf: &[u8], out: &mut Vec<u8>, conv: &mut Converter) -> u64 {
    let mut reader = SliceReader::new(Person, buf, opts());
    let mut diags: Vec<Diagnostic> = Vec::new();
    let mut written = 0u64;
    out.clear();
    while let Some(item) = reader.next_item(&mut diags) {
        if let Ok(Item::Record(r)) = item {
            serde_json::to_writer(&mut *out, &conv.muutos(&r)).expect("JSON");
            out.push(b'\n');
            if out.len() > FLUSH_AT {
                written += out.len() as u64;
                out.clear();
            }
        }
    }
    written + out.len() as u64
}

fn parse_only(buf: &[u8], _out: &mut Vec<u8>, _conv: &mut Converter) -> u64 {
    let mut reader = SliceReader::new(Person, buf, opts());
    let mut diags: Vec<Diagnostic> = Vec::new();
    let mut records = 0u64;
    while let Some(item) = reader.next_item(&mut diags) {
        if let Ok(Item::Record(r)) = item {
            records += black_box(&r).groups.len() as u64;
        }
    }
    records
}

fn convert_perustiedot_json_lines(buf: &[u8], out: &mut Vec<u8>, conv: &mut Converter) -> u64 {
    convert_lines(buf, out, conv, true)
}

fn convert_only(buf: &[u8], _out: &mut Vec<u8>, conv: &mut Converter) -> u64 {
    let mut reader = SliceReader::new(Person, buf, opts());
    let mut diags: Vec<Diagnostic> = Vec::new();
    let mut groups = 0u64;
    while let Some(item) = reader.next_item(&mut diags) {
        if let Ok(Item::Record(r)) = item {
            groups += conv.muutos(&r).len() as u64;
        }
    }
    groups
}

type Row = (&'static str, fn(&[u8], &mut Vec<u8>, &mut Converter) -> u64);

const ROWS: &[Row] = &[
    ("parse_only", parse_only),
    ("parse_json_lines", parse_json_lines),
    ("convert_view_json_lines", convert_view_json_lines),
    ("convert_json_lines", convert_json_lines),
    ("convert_serde_json_lines", convert_serde_json_lines),
    (
        "convert_perustiedot_json_lines",
        convert_perustiedot_json_lines,
    ),
    ("convert_only", convert_only),
];

fn bench(c: &mut Criterion) {
    let buf = buffer();
    let mut group = c.benchmark_group("convert");
    group.throughput(Throughput::Bytes(buf.len() as u64));
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(3));
    let mut out = Vec::with_capacity(FLUSH_AT * 2);
    let mut conv = Converter::new(ConvertOptions::default());
    for (name, f) in ROWS {
        group.bench_function(*name, |b| {
            b.iter(|| black_box(f(black_box(buf), &mut out, &mut conv)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
