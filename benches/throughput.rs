//! Throughput of every reading layer on two generated MTT buffers (corpora):
//!
//! * `coverage` — the test generator's default mix (every group code in turn, 1–6 groups a
//!   record, continuation and envelope lines): long records;
//! * `real_shaped` — `generate --profile real-shaped`: 1–5 groups a record in the proportions
//!   of a real-shaped change delivery, about 297 bytes a record, as users' files are.
//!
//! `cargo bench --bench throughput` (add `-- --quick` or a filter such as `-- typed` to shorten).
//! Each buffer is ISO-8859-1 and `MUUTOSTIETO_BENCH_MB` megabytes (default 100; e.g.
//! `MUUTOSTIETO_BENCH_MB=10` for a quick run). Whole-process figures against `wc -l`:
//! `benches/compare.sh`.
//!
//! Rows, each over the whole buffer:
//! * `memchr_newlines` — counting `\n` with memchr: the baseline;
//! * `framing` — lines, header and group framing (`frame::Lines`, `classify`, `Groups`);
//! * `checked` — every line framed and every field checked into a reused `RecordView`, typed
//!   on demand only (`SliceReader::next_view`): what `check` runs;
//! * `typed_parse` — typed zero-copy parse with validation (`SliceReader`, diagnostics kept);
//! * `typed_parse_streaming` — the same through the streaming `Reader` and a `RecordBuf`;
//! * `parse_decode_text` — typed parse, then every text field of every group decoded;
//! * `parse_write` — typed parse, then `Item::write_to` into a reused buffer;
//! * `json_lines` — checked records written as JSON Lines straight from their bytes
//!   (`json::write_view`): what `parse` prints;
//! * `json_typed` — typed parse, then `json::write_item` of every item (the same text);
//! * `json_serde` — typed parse, then `serde_json::to_writer` of every item (the same text).
//!
//! Criterion reports bytes per second (`Throughput::Bytes`). A summary table at the end (best
//! of three timed passes per row) adds records per second and the ratio to the memchr baseline.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, Criterion, Throughput};
use muutostieto::frame::{classify, Groups, LineClass, Lines};
use muutostieto::json;
use muutostieto::person::Person;
use muutostieto::person::{self, Group, Header};
use muutostieto::read::{Reader, RecordBuf, SliceReader};
use muutostieto::record::{Item, RecordView};
use muutostieto::testdata::{generate, DeliveryKind, Options, Profile};
use muutostieto::{Diagnostic, Encoding, ParseOptions};

const ENC: Encoding = Encoding::Latin1;

/// The corpora: name and generator profile.
const CORPORA: [(&str, Profile); 2] = [
    ("coverage", Profile::Coverage),
    ("real_shaped", Profile::RealShaped),
];

fn buffer(profile: Profile) -> &'static [u8] {
    static COVERAGE: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    static REAL: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    let cell = match profile {
        Profile::Coverage => &COVERAGE,
        Profile::RealShaped => &REAL,
    };
    cell.get_or_init(|| {
        let mb: u64 = std::env::var("MUUTOSTIETO_BENCH_MB")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(100);
        let t = Instant::now();
        let bytes = generate(&Options {
            seed: 2017,
            records: u64::MAX,
            target_bytes: Some(mb * 1_000_000),
            kind: DeliveryKind::Change,
            encoding: ENC,
            continuation_every: if profile == Profile::Coverage { 25 } else { 0 },
            envelope: profile == Profile::Coverage,
            profile,
        });
        eprintln!(
            "generated {} bytes, {} records, in {:.1?}",
            bytes.len(),
            count_records(&bytes),
            t.elapsed()
        );
        bytes
    })
}

fn count_records(buf: &[u8]) -> u64 {
    typed_parse(buf)
}

fn opts() -> ParseOptions {
    ParseOptions::default().with_encoding(ENC)
}

// ---------------------------------------------------------------------------------------------
// The rows. Each returns a number that depends on all the work (so nothing is optimised away).

fn memchr_newlines(buf: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', buf).count() as u64
}

fn framing(buf: &[u8]) -> u64 {
    let schema = person::schema();
    let mut groups = 0u64;
    for line in Lines::new(buf) {
        if let LineClass::Record {
            header,
            count,
            body,
            ..
        } = classify(line.content, schema, ENC)
        {
            let base = header.len() + count.len();
            for g in Groups::new(body, base, schema, ENC) {
                groups += g.layout.map_or(1000, |i| i as u64);
            }
        }
    }
    groups
}

fn typed_parse(buf: &[u8]) -> u64 {
    let mut reader = SliceReader::new(Person, buf, opts());
    let mut diags: Vec<Diagnostic> = Vec::new();
    let mut records = 0u64;
    while let Some(item) = reader.next_item(&mut diags) {
        if let Ok(Item::Record(r)) = item {
            records += 1;
            black_box(&r);
        }
    }
    assert!(
        diags.is_empty(),
        "generated data is clean: {:?}",
        diags.first()
    );
    records
}

fn typed_parse_streaming(buf: &[u8]) -> u64 {
    let opts = opts();
    let mut reader = Reader::new(Person, buf, opts);
    let mut rb = RecordBuf::default();
    let mut records = 0u64;
    while let Some(read) = reader.read(&mut rb).expect("in memory") {
        if let Item::Record(_) = read.item {
            records += 1;
        }
    }
    records
}

/// Decodes every text field of a header.
fn decode_header(h: &Header<'_>) -> usize {
    h.event.as_str().len() + h.role.as_str().len()
}

/// Decodes every text field of a group (a visitor over the concrete group types).
fn decode_group(g: &Group<'_>) -> usize {
    match g {
        Group::CurrentName(g) => g.last_name.decode().len() + g.first_names.decode().len(),
        Group::NameHistory(g) | Group::CallName(g) => g.name.decode().len(),
        Group::ForeignBirthplace(g) => g.place.decode().len(),
        Group::PermanentAddress(g) | Group::TemporaryAddress(g) => {
            g.street_fi.decode().len()
                + g.street_sv.decode().len()
                + g.house_number.decode().len()
                + g.staircase.decode().len()
                + g.division_letter.decode().len()
        }
        Group::PostalAddress(g) => g.address_fi.decode().len() + g.address_sv.decode().len(),
        Group::PermanentForeignAddress(g) | Group::TemporaryForeignAddress(g) => {
            g.street.decode().len() + g.locality.decode().len()
        }
        Group::Trustee(g) => g.business_id.decode().len(),
        Group::GuardianRight(g) => g.right.decode().len(),
        Group::Occupation(g) => g.occupation_code.decode().len() + g.title.decode().len(),
        Group::Email(g) => g.address.decode().len(),
        Group::ForeignPersonId(g) => g.foreign_id.decode().len() + g.id_type.decode().len(),
        Group::PersonWithoutId(g) => g.last_name.decode().len() + g.first_names.decode().len(),
        Group::AdditionalInfo(g) => g.text.decode().len(),
        Group::Raw(r) => r.encoding.decode(r.bytes).len(),
        // Groups without text fields.
        _ => 0,
    }
}

fn parse_decode_text(buf: &[u8]) -> u64 {
    let mut reader = SliceReader::new(Person, buf, opts());
    let mut diags: Vec<Diagnostic> = Vec::new();
    let mut chars = 0usize;
    while let Some(item) = reader.next_item(&mut diags) {
        if let Ok(Item::Record(r)) = item {
            chars += decode_header(&r.header);
            chars += r
                .continuations
                .iter()
                .map(|c| decode_header(&c.header))
                .sum::<usize>();
            chars += r.groups.iter().map(decode_group).sum::<usize>();
        }
    }
    chars as u64
}

/// A buffered writer's buffer: written out (here: cleared) when over 64 KiB.
const FLUSH_AT: usize = 64 * 1024;

fn parse_write(buf: &[u8], out: &mut Vec<u8>) -> u64 {
    let mut reader = SliceReader::new(Person, buf, opts());
    let mut diags: Vec<Diagnostic> = Vec::new();
    let mut written = 0u64;
    out.clear();
    while let Some(item) = reader.next_item(&mut diags) {
        item.expect("lenient").write_to(ENC, out).expect("write");
        if out.len() > FLUSH_AT {
            written += out.len() as u64;
            out.clear();
        }
    }
    written + out.len() as u64
}

fn checked(buf: &[u8]) -> u64 {
    let mut reader = SliceReader::new(Person, buf, opts());
    let mut diags: Vec<Diagnostic> = Vec::new();
    let mut view = RecordView::default();
    let mut groups = 0u64;
    while let Some(item) = reader.next_view(&mut view, &mut diags) {
        if let Ok(Item::Record(r)) = item {
            groups += r.groups.len() as u64;
        }
    }
    assert!(diags.is_empty(), "generated data is clean");
    groups
}

fn json_lines(buf: &[u8], out: &mut Vec<u8>) -> u64 {
    let mut reader = SliceReader::new(Person, buf, opts());
    let mut diags: Vec<Diagnostic> = Vec::new();
    let mut view = RecordView::default();
    let mut written = 0u64;
    out.clear();
    while let Some(item) = reader.next_view(&mut view, &mut diags) {
        json::write_view(Person, &item.expect("lenient"), None, out);
        out.push(b'\n');
        if out.len() > FLUSH_AT {
            written += out.len() as u64;
            out.clear();
        }
    }
    written + out.len() as u64
}

fn json_typed(buf: &[u8], out: &mut Vec<u8>) -> u64 {
    let mut reader = SliceReader::new(Person, buf, opts());
    let mut diags: Vec<Diagnostic> = Vec::new();
    let mut written = 0u64;
    out.clear();
    while let Some(item) = reader.next_item(&mut diags) {
        json::write_item(&item.expect("lenient"), None, out);
        out.push(b'\n');
        if out.len() > FLUSH_AT {
            written += out.len() as u64;
            out.clear();
        }
    }
    written + out.len() as u64
}

fn json_serde(buf: &[u8], out: &mut Vec<u8>) -> u64 {
    let mut reader = SliceReader::new(Person, buf, opts());
    let mut diags: Vec<Diagnostic> = Vec::new();
    let mut written = 0u64;
    out.clear();
    while let Some(item) = reader.next_item(&mut diags) {
        serde_json::to_writer(&mut *out, &item.expect("lenient")).expect("JSON");
        out.push(b'\n');
        if out.len() > FLUSH_AT {
            written += out.len() as u64;
            out.clear();
        }
    }
    written + out.len() as u64
}

type Row = (&'static str, fn(&[u8], &mut Vec<u8>) -> u64);

fn rows() -> Vec<Row> {
    vec![
        ("memchr_newlines", |b, _| memchr_newlines(b)),
        ("framing", |b, _| framing(b)),
        ("checked", |b, _| checked(b)),
        ("typed_parse", |b, _| typed_parse(b)),
        ("typed_parse_streaming", |b, _| typed_parse_streaming(b)),
        ("parse_decode_text", |b, _| parse_decode_text(b)),
        ("parse_write", parse_write),
        ("json_lines", json_lines),
        ("json_typed", json_typed),
        ("json_serde", json_serde),
    ]
}

fn throughput(c: &mut Criterion) {
    for (corpus, profile) in CORPORA {
        let buf = buffer(profile);
        let mut group = c.benchmark_group(corpus);
        group.throughput(Throughput::Bytes(buf.len() as u64));
        group.sample_size(10);
        group.warm_up_time(Duration::from_secs(1));
        group.measurement_time(Duration::from_secs(5));
        let mut out = Vec::with_capacity(FLUSH_AT * 2);
        for (name, f) in rows() {
            group.bench_function(name, |b| b.iter(|| black_box(f(black_box(buf), &mut out))));
        }
        group.finish();
    }
}

/// Best of three passes per row: MB/s, records/s and the ratio to the memchr baseline.
fn summary(c: &mut Criterion) {
    let _ = c;
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    if std::env::args().any(|a| a == "--list" || a == "--test") {
        return;
    }
    for (corpus, profile) in CORPORA {
        summary_of(corpus, buffer(profile), &filter);
    }
}

fn summary_of(corpus: &str, buf: &[u8], filter: &[String]) {
    let records = count_records(buf) as f64;
    let mb = buf.len() as f64 / 1e6;
    let mut out = Vec::with_capacity(FLUSH_AT * 2);
    let mut baseline = None;
    eprintln!(
        "\n{corpus} ({} bytes a record)\n{:<24} {:>10} {:>14} {:>9}",
        (buf.len() as f64 / records).round(),
        "row",
        "MB/s",
        "records/s",
        "/memchr"
    );
    for (name, f) in rows() {
        if !filter.is_empty()
            && name != "memchr_newlines"
            && !filter.iter().any(|p| name.contains(p.as_str()))
        {
            continue;
        }
        let best = (0..3)
            .map(|_| {
                let t = Instant::now();
                black_box(f(black_box(buf), &mut out));
                t.elapsed().as_secs_f64()
            })
            .fold(f64::INFINITY, f64::min);
        let base = *baseline.get_or_insert(best);
        eprintln!(
            "{name:<24} {:>10.0} {:>14.0} {:>9.3}",
            mb / best,
            records / best,
            base / best
        );
    }
}

criterion_group!(benches, throughput, summary);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
}
