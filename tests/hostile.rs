//! Hostile input: a 1 GB line, random bytes, NUL bytes, bare CR line ends, truncated groups,
//! a group count of 99, dates that are not digits, invalid UTF-8. Each gives a positioned
//! diagnostic (line, byte column, kind), the reader goes on with the next line, and lenient
//! parse → write gives the input back.
//!
//! The long-line test streams a line of `MUUTOSTIETO_HOSTILE_BYTES` bytes (default 1 GB,
//! 1 << 30) from a generating reader, never held in memory, and checks with a counting
//! allocator that the reader's memory stays bounded. Run it in release for the full size:
//! `cargo test --release --test hostile`; set e.g. `MUUTOSTIETO_HOSTILE_BYTES=100000000` for a
//! shorter run.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::io::{self, BufReader, Read};

use muutostieto::person::Person;
use muutostieto::read::{Reader, RecordBuf, SliceReader};
use muutostieto::record::Item;
use muutostieto::{Diagnostic, DiagnosticKind, Encoding, Mode, ParseOptions};

// ---------------------------------------------------------------------------------------------
// A counting allocator: live heap bytes and their peak, per thread (tests run in parallel).

struct Counting;

thread_local! {
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn account(delta: isize) {
    // `try_with`: the thread-locals may be gone while a thread shuts down.
    let _ = LIVE.try_with(|live| {
        let now = live.get() + delta;
        live.set(now);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(now)));
    });
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        account(layout.size() as isize);
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        account(-(layout.size() as isize));
        System.dealloc(ptr, layout)
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        account(layout.size() as isize);
        System.alloc_zeroed(layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        account(new_size as isize - layout.size() as isize);
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Live heap bytes of this thread, and resets the peak to them.
fn reset_peak() -> isize {
    let live = LIVE.with(Cell::get);
    PEAK.with(|p| p.set(live));
    live
}

fn peak() -> isize {
    PEAK.with(Cell::get)
}

// ---------------------------------------------------------------------------------------------
// A generating reader: byte strings and long runs of a repeated pattern, never in memory whole.

enum Part {
    Bytes(Vec<u8>),
    /// `len` bytes of `pattern` repeated.
    Repeat(Vec<u8>, u64),
}

struct Generated {
    parts: std::vec::IntoIter<Part>,
    current: Option<Part>,
    pos: u64,
    /// A block of the current pattern, repeated, to copy from.
    block: Vec<u8>,
}

impl Generated {
    fn new(parts: Vec<Part>) -> Self {
        let mut g = Generated {
            parts: parts.into_iter(),
            current: None,
            pos: 0,
            block: Vec::new(),
        };
        g.advance();
        g
    }

    fn advance(&mut self) {
        self.current = self.parts.next();
        self.pos = 0;
        if let Some(Part::Repeat(pattern, _)) = &self.current {
            let n = (64 * 1024 / pattern.len().max(1)).max(1);
            self.block = pattern.repeat(n);
        }
    }
}

impl Read for Generated {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let (len, n) = match &self.current {
                None => return Ok(0),
                Some(Part::Bytes(b)) => {
                    let rest = &b[self.pos as usize..];
                    let n = rest.len().min(buf.len());
                    buf[..n].copy_from_slice(&rest[..n]);
                    (b.len() as u64, n)
                }
                Some(Part::Repeat(pattern, len)) => {
                    let offset = (self.pos % pattern.len() as u64) as usize;
                    let left = (*len - self.pos).min(buf.len() as u64) as usize;
                    let n = left.min(self.block.len() - offset);
                    buf[..n].copy_from_slice(&self.block[offset..offset + n]);
                    (*len, n)
                }
            };
            self.pos += n as u64;
            if self.pos >= len {
                self.advance();
            }
            if n > 0 || buf.is_empty() {
                return Ok(n);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------

/// A clean two-group record line (003 sex, 004 name) in ISO-8859-1, no line ending.
fn good_line() -> Vec<u8> {
    good_line_in(Encoding::Latin1)
}

fn good_line_in(enc: Encoding) -> Vec<u8> {
    let text = format!(
        "010101-900RXBX201702081102|00312|0041{:<100}{:<100}00000000 |",
        "P\u{e4}l\u{f6}m\u{e4}ki", "Maija"
    );
    enc.encode(&text).expect("Latin letters").into_owned()
}

/// Byte column where the 004 group of [`good_line`] starts (after its `|`).
const NAME_GROUP: usize = 33;

fn size() -> u64 {
    std::env::var("MUUTOSTIETO_HOSTILE_BYTES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1 << 30)
}

/// Each item's first line, kind and diagnostics.
type Items = Vec<(u64, &'static str, Vec<Diagnostic>)>;

/// Streams `parts`, returning the items, the reader's own diagnostics, and the bytes written
/// back.
fn stream(parts: Vec<Part>, opts: ParseOptions) -> (Items, Vec<Diagnostic>, Vec<u8>) {
    let mut reader = Reader::new(
        Person,
        BufReader::with_capacity(64 * 1024, Generated::new(parts)),
        opts,
    );
    let mut buf = RecordBuf::default();
    let mut read_diags = Vec::new();
    let mut items = Vec::new();
    let mut out = Vec::new();
    while let Some(read) = reader.read(&mut buf).expect("lenient reading") {
        let kind = match read.item {
            Item::Record(_) => "record",
            Item::Envelope(_) => "envelope",
            Item::Malformed(_) => "malformed",
            Item::Skipped(_) => {
                // The reader's own diagnostic: the line was not kept.
                read_diags.extend_from_slice(read.diagnostics);
                continue;
            }
        };
        read.item.write_to(opts.encoding, &mut out).expect("write");
        items.push((read.item.line_number(), kind, read.diagnostics.to_vec()));
    }
    (items, read_diags, out)
}

#[test]
fn a_gigabyte_line_is_skipped_in_bounded_memory() {
    let size = size();
    let opts = ParseOptions::default();
    let limit = opts.max_line_len;
    let good = good_line();
    let mut crlf = good.clone();
    crlf.extend_from_slice(b"\r\n");
    // A line that looks like a record (a header, then groups), far over the limit, with a CRLF;
    // then a good line; then another long line with no line ending at all, at the end.
    let mut start = b"010101-900RXBX201702081199".to_vec();
    start.extend_from_slice(b"|");
    let parts = vec![
        Part::Bytes(crlf.clone()),
        Part::Bytes(start),
        Part::Repeat(b"00312|".to_vec(), size),
        Part::Bytes(b"\r\n".to_vec()),
        Part::Bytes(crlf.clone()),
        Part::Repeat(b"x".to_vec(), size / 8),
    ];
    let before = reset_peak();
    let t = std::time::Instant::now();
    let (items, read_diags, out) = stream(parts, opts);
    let elapsed = t.elapsed();
    let grew = peak() - before;
    eprintln!(
        "{:.2} GB streamed in {elapsed:.2?}; peak heap growth {} KiB",
        (size + size / 8) as f64 / 1e9,
        grew / 1024
    );
    assert!(
        grew < (8 * limit) as isize,
        "heap grew by {grew} bytes while skipping a {size}-byte line (limit {limit})"
    );
    assert_eq!(
        items
            .iter()
            .map(|(line, kind, d)| (*line, *kind, d.len()))
            .collect::<Vec<_>>(),
        vec![(1, "record", 0), (3, "record", 0)],
        "the lines after the long ones are read"
    );
    let positions: Vec<_> = read_diags
        .iter()
        .map(|d| (d.line, d.column, d.kind))
        .collect();
    assert_eq!(
        positions,
        vec![
            (2, limit, DiagnosticKind::LineTooLong { limit }),
            (4, limit, DiagnosticKind::LineTooLong { limit }),
        ]
    );
    assert!(read_diags.iter().all(Diagnostic::is_error));
    assert_eq!(
        out,
        [crlf.clone(), crlf].concat(),
        "the other lines are kept whole"
    );

    // Strict mode stops at the long line with the same diagnostic, as an error.
    let mut reader = Reader::new(
        Person,
        BufReader::new(Generated::new(vec![
            Part::Bytes(good_line()),
            Part::Bytes(b"\n".to_vec()),
            Part::Repeat(b"y".to_vec(), (limit as u64) * 3),
        ])),
        ParseOptions {
            mode: Mode::Strict,
            ..opts
        },
    );
    let mut buf = RecordBuf::default();
    // The record before the long line is whole: it is returned, then the error.
    let first = reader.read(&mut buf).unwrap().unwrap();
    assert_eq!(first.raw, [&good_line()[..], b"\n"].concat());
    let err = reader.read(&mut buf).unwrap_err();
    assert!(matches!(err, muutostieto::Error::Invalid(_)), "{err}");
    assert!(err.to_string().contains("line 2, column 1048576"), "{err}");
}

/// Reads `good`, `bad` (with `ending`) and `good` again through both readers and checks the
/// diagnostics of the bad line (`(column, kind)`, sorted), the good lines' cleanliness and the
/// bytes written back.
fn check_bad_line(enc: Encoding, bad: &[u8], ending: &[u8], expected: &[(usize, &str)]) {
    let good = good_line_in(enc);
    let mut input = good.clone();
    input.extend_from_slice(b"\r\n");
    input.extend_from_slice(bad);
    input.extend_from_slice(ending);
    input.extend_from_slice(&good);
    input.extend_from_slice(b"\r\n");
    let opts = ParseOptions::default().with_encoding(enc);

    let items: Vec<_> = SliceReader::new(Person, &input, opts)
        .map(|p| p.expect("lenient"))
        .collect();
    let lines: Vec<u64> = items.iter().map(|p| p.item.line_number()).collect();
    assert_eq!(lines, vec![1, 2, 3], "one item per line");
    assert!(items[0].diagnostics.is_empty() && items[2].diagnostics.is_empty());
    assert!(items[2].item.as_record().is_some(), "the next line is read");
    let mut got: Vec<(usize, &str)> = items[1]
        .diagnostics
        .iter()
        .map(|d| {
            assert_eq!(d.line, 2);
            assert!(d.value.is_none(), "no value unless asked");
            (d.column, d.kind.name())
        })
        .collect();
    got.sort();
    let mut want = expected.to_vec();
    want.sort();
    assert_eq!(got, want, "{:?}", String::from_utf8_lossy(bad));
    let mut out = Vec::new();
    for p in &items {
        p.item.write_to(enc, &mut out).unwrap();
    }
    assert_eq!(out, input, "lenient parse → write");

    for capacity in [1, 7, 64, 8192] {
        let mut reader = Reader::with_chunk_size(
            Person,
            BufReader::with_capacity(capacity, &input[..]),
            opts,
            capacity,
        );
        let mut buf = RecordBuf::default();
        let mut n = 0;
        while let Some(read) = reader.read(&mut buf).unwrap() {
            assert_eq!(read.item, items[n].item);
            assert_eq!(read.diagnostics, items[n].diagnostics);
            n += 1;
        }
        assert_eq!(n, 3);
    }
}

fn record_with(f: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut l = good_line();
    f(&mut l);
    l
}

#[test]
fn random_bytes_line() {
    // A fixed line of "random" bytes (SplitMix64) without line breaks; 40 bytes, so not short.
    let mut rng = muutostieto::testdata::Rng::new(7, Encoding::Latin1);
    let bad: Vec<u8> = std::iter::repeat_with(|| rng.next_u64() as u8)
        .filter(|b| !matches!(b, b'\r' | b'\n' | b'|' | b'\''))
        .take(40)
        .collect();
    check_bad_line(
        Encoding::Latin1,
        &bad,
        b"\r\n",
        &[(26, "missing_header_separator")],
    );
    check_bad_line(Encoding::Latin1, &bad[..20], b"\n", &[(0, "short_line")]);
}

#[test]
fn nul_bytes() {
    check_bad_line(
        Encoding::Latin1,
        &[0; 40],
        b"\r\n",
        &[(26, "missing_header_separator")],
    );
    // A NUL in a last name, in the header date, and as the group count.
    let bad = record_with(|l| l[NAME_GROUP + 6] = 0);
    check_bad_line(
        Encoding::Latin1,
        &bad,
        b"\r\n",
        &[(NAME_GROUP + 4, "control_character")],
    );
    let bad = record_with(|l| l[16] = 0);
    check_bad_line(Encoding::Latin1, &bad, b"\r\n", &[(14, "invalid_date")]);
    let bad = record_with(|l| l[24..26].copy_from_slice(b"\0\0"));
    check_bad_line(
        Encoding::Latin1,
        &bad,
        b"\r\n",
        &[(24, "invalid_group_count")],
    );
}

#[test]
fn cr_only_line_ends() {
    let good = good_line();
    let bad = good_line();
    check_bad_line(Encoding::Latin1, &bad, b"\r", &[(good.len(), "bare_cr")]);
    // A whole file with bare CRs: every line read on its own, each reported.
    let input = [&good[..], b"\r", &good, b"\r", &good, b"\r"].concat();
    let items: Vec<_> = SliceReader::new(Person, &input, ParseOptions::default())
        .map(Result::unwrap)
        .collect();
    assert_eq!(items.len(), 3);
    for (i, p) in items.iter().enumerate() {
        let d: Vec<_> = p
            .diagnostics
            .iter()
            .map(|d| (d.line, d.column, d.kind.name()))
            .collect();
        assert_eq!(d, vec![(i as u64 + 1, good.len(), "bare_cr")]);
    }
}

#[test]
fn truncated_groups() {
    // The 004 group cut short at the end of the line (no final `|`), and before a final `|`.
    let bad = record_with(|l| l.truncate(l.len() - 21));
    check_bad_line(
        Encoding::Latin1,
        &bad,
        b"\r\n",
        &[(NAME_GROUP, "truncated_group")],
    );
    let bad = record_with(|l| {
        l.truncate(l.len() - 21);
        l.push(b'|');
    });
    check_bad_line(
        Encoding::Latin1,
        &bad,
        b"\r\n",
        &[(NAME_GROUP, "group_length")],
    );
    // Cut inside the group code: too short to be a group.
    let bad = b"010101-900RXBX201702081102|00312|00".to_vec();
    check_bad_line(
        Encoding::Latin1,
        &bad,
        b"\r\n",
        &[(33, "short_group"), (35, "missing_final_separator")],
    );
    // Cut inside the header.
    check_bad_line(
        Encoding::Latin1,
        b"010101-900RXBX2017",
        b"\r\n",
        &[(0, "short_line")],
    );
}

#[test]
fn group_count_of_99() {
    let bad = record_with(|l| l[24..26].copy_from_slice(b"99"));
    check_bad_line(
        Encoding::Latin1,
        &bad,
        b"\r\n",
        &[(24, "group_count_mismatch")],
    );
    // Strict mode stops there.
    let input = [&good_line()[..], b"\r\n", &bad, b"\r\n"].concat();
    let mut r = SliceReader::new(Person, &input, ParseOptions::strict());
    assert!(r.next().unwrap().is_ok());
    let err = r.next().unwrap().unwrap_err();
    assert!(err.to_string().starts_with("line 2, column 24"), "{err}");
    assert!(r.next().is_none());
}

#[test]
fn dates_that_are_not_digits() {
    // Header registration date (column 14) and the 004 date (group offset 204).
    let bad = record_with(|l| l[14..22].copy_from_slice(b"2017-02-"));
    check_bad_line(Encoding::Latin1, &bad, b"\r\n", &[(14, "invalid_date")]);
    let bad = record_with(|l| l[NAME_GROUP + 204..NAME_GROUP + 212].copy_from_slice(b"   X0101"));
    check_bad_line(
        Encoding::Latin1,
        &bad,
        b"\r\n",
        &[(NAME_GROUP + 204, "invalid_date")],
    );
}

#[test]
fn invalid_utf8_in_utf8_mode() {
    // In the UTF-8 line, "Pälömäki" is 11 bytes; make its "ä" an incomplete 3-byte sequence,
    // keeping the character count, so the group still frames.
    let good = good_line_in(Encoding::Utf8);
    let at = NAME_GROUP + 4 + 1;
    assert_eq!(&good[at..at + 2], "ä".as_bytes());
    let mut bad = good.clone();
    bad[at] = 0xE4; // a 3-byte lead followed by one continuation byte: still one character
    check_bad_line(
        Encoding::Utf8,
        &bad,
        b"\r\n",
        &[(NAME_GROUP + 4, "invalid_utf8")],
    );
    // A byte that is not UTF-8 in the header's person id.
    let mut bad = good.clone();
    bad[2] = 0xFF;
    check_bad_line(Encoding::Utf8, &bad, b"\r\n", &[(2, "invalid_person_id")]);
    // A two-byte character in the header: the separator column is a byte column.
    let mut bad = good.clone();
    bad.splice(2..3, [0xC3, 0xA4]);
    bad[27] = b'X';
    let col = Encoding::Utf8.byte_offset(&bad, 26);
    assert_eq!(col, 27);
    check_bad_line(
        Encoding::Utf8,
        &bad,
        b"\r\n",
        &[(col, "missing_header_separator")],
    );
}

#[test]
fn transcoding_keeps_non_text_fields() {
    // A Latin-1 record whose code and digit fields hold non-ASCII bytes, converted to UTF-8.
    // See tests/regressions.rs for the failing case; here the ASCII-only case works.
    let good = good_line();
    let (rec, _) = muutostieto::PersonRecord::parse(&good, &ParseOptions::default()).unwrap();
    let utf8 = rec.write_to_vec(Encoding::Utf8).unwrap();
    let (back, diags) = muutostieto::PersonRecord::parse(
        &utf8,
        &ParseOptions::default().with_encoding(Encoding::Utf8),
    )
    .unwrap();
    assert!(diags.is_empty());
    assert_eq!(back.groups, rec.groups);
}
