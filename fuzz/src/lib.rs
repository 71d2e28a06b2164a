//! The checks behind the fuzz targets, shared with `tests/fuzz_replay.rs` (which includes this
//! file with `#[path]`), so a corpus or crash file is replayed through exactly what found it.
//!
//! Every function panics when the crate breaks one of its promises on `data`:
//! no panic on any input, lenient parse → write gives the input bytes, strict mode agrees with
//! lenient mode, the streaming reader agrees with the slice reader, every diagnostic points into
//! its line, and no diagnostic carries a value unless asked.

use std::io::BufReader;

use muutostieto::building::Building;
use muutostieto::dynamic::Dynamic;
use muutostieto::frame::{Line, Lines};
use muutostieto::idlist::{self, IdListBuilder};
use muutostieto::person::Person;
use muutostieto::read::{Reader, RecordBuf, SliceReader};
use muutostieto::record::Item;
use muutostieto::record::{Family, Parsed};
use muutostieto::{Diagnostic, DiagnosticKind, Encoding, Mode, ParseOptions, PersonRecord};

/// Header length and the character offsets framing uses (section 3 of the format reference).
const HEADER_LEN: usize = 26;
const COUNT_AT: usize = 24;

fn options(mode: Mode, encoding: Encoding, capture_values: bool) -> ParseOptions {
    ParseOptions {
        mode,
        encoding,
        capture_values,
        ..ParseOptions::default()
    }
}

/// True when strict mode stops at this diagnostic (a group-count mismatch is escalated there).
fn stops_strict(d: &Diagnostic) -> bool {
    d.is_error() || matches!(d.kind, DiagnosticKind::GroupCountMismatch { .. })
}

/// Every diagnostic names an existing line and a byte column inside it, at the right place for
/// its kind; it carries a value only when values were asked for.
pub fn check_positions(
    data: &[u8],
    first_line: u64,
    enc: Encoding,
    capture: bool,
    diags: &[Diagnostic],
) {
    let lines: Vec<Line<'_>> = Lines::starting_at(data, first_line).collect();
    for d in diags {
        assert!(capture || d.value.is_none(), "{d}: value without asking");
        if let DiagnosticKind::LineTooLong { limit } = d.kind {
            assert_eq!(d.column, limit, "{d}");
            continue;
        }
        let index = d
            .line
            .checked_sub(first_line)
            .expect("line before the input") as usize;
        let c = lines
            .get(index)
            .unwrap_or_else(|| panic!("{d}: no such line"))
            .content;
        assert!(
            d.column <= c.len(),
            "{d}: past the end of the line ({} bytes)",
            c.len()
        );
        let at = |i: usize| c.get(i).copied();
        match d.kind {
            DiagnosticKind::ShortLine { .. } => assert_eq!(d.column, 0, "{d}"),
            DiagnosticKind::MissingHeaderSeparator => {
                assert_eq!(d.column, enc.byte_offset(c, HEADER_LEN), "{d}");
                assert_ne!(at(d.column), Some(b'|'), "{d}");
            }
            DiagnosticKind::InvalidGroupCount | DiagnosticKind::GroupCountMismatch { .. } => {
                assert_eq!(d.column, enc.byte_offset(c, COUNT_AT), "{d}")
            }
            DiagnosticKind::OrphanContinuation | DiagnosticKind::ContinuationFlagInRole => {
                assert_eq!(at(d.column), Some(b'J'), "{d}")
            }
            DiagnosticKind::UnknownGroup
            | DiagnosticKind::ShortGroup
            | DiagnosticKind::TruncatedGroup { .. }
            | DiagnosticKind::GroupLength { .. }
            | DiagnosticKind::OrphanQualifier => {
                assert!(d.column > 0 && at(d.column - 1) == Some(b'|'), "{d}")
            }
            DiagnosticKind::MissingFinalSeparator | DiagnosticKind::BareCr => {
                assert_eq!(d.column, c.len(), "{d}")
            }
            _ => assert!(
                d.column < c.len(),
                "{d}: field diagnostic at the end of the line"
            ),
        }
    }
}

/// `PersonRecord::parse` on arbitrary bytes, lenient and strict, in every encoding.
pub fn record(data: &[u8]) {
    for enc in Encoding::ALL {
        for capture in [false, true] {
            let lenient = PersonRecord::parse(data, &options(Mode::Lenient, enc, capture));
            let strict = PersonRecord::parse(data, &options(Mode::Strict, enc, capture));
            match lenient {
                Ok((rec, diags)) => {
                    check_positions(data, 1, enc, capture, &diags);
                    let out = rec
                        .write_to_vec(enc)
                        .expect("a parsed record can be written");
                    assert!(
                        data.starts_with(&out),
                        "written record is not the input's start"
                    );
                    let lines: Vec<_> = Lines::new(data).take(rec.line_count()).collect();
                    let end = lines.last().map_or(0, |l| {
                        l.offset + l.content.len() + l.ending.as_bytes().len()
                    });
                    assert_eq!(out.len(), end, "the record's lines are written whole");
                    let json = serde_json::to_vec(&rec).expect("JSON");
                    let mut fast = Vec::new();
                    muutostieto::json::write_record(&rec, &mut fast);
                    assert!(fast == json, "write_record and serde_json differ");
                    let must_fail = diags.iter().any(stops_strict);
                    match strict {
                        Ok((srec, sdiags)) => {
                            assert!(!must_fail, "strict accepted an error: {diags:?}");
                            assert_eq!(srec, rec);
                            assert_eq!(sdiags, diags);
                        }
                        Err(e) => assert!(must_fail, "strict failed on a clean record: {e}"),
                    }
                }
                Err(_) => assert!(strict.is_err(), "strict parsed what lenient could not"),
            }
        }
    }
}

fn slice_items(data: &[u8], opts: ParseOptions) -> (Vec<Parsed<'_, PersonRecord<'_>>>, bool) {
    let mut items = Vec::new();
    for p in SliceReader::new(Person, data, opts) {
        match p {
            Ok(p) => items.push(p),
            Err(_) => return (items, true),
        }
    }
    (items, false)
}

/// The input without the lines longer than `limit` (what the streaming reader keeps), and the
/// numbers of the lines dropped.
pub fn without_long_lines(data: &[u8], limit: usize) -> (Vec<u8>, Vec<u64>) {
    let mut kept = Vec::with_capacity(data.len());
    let mut dropped = Vec::new();
    for l in Lines::new(data) {
        if l.content.len() > limit {
            dropped.push(l.number);
        } else {
            kept.extend_from_slice(&data[l.offset..l.offset + l.content.len()]);
            kept.extend_from_slice(l.ending.as_bytes());
        }
    }
    (kept, dropped)
}

/// The streaming reader over `data` (buffer `capacity`, lines up to `limit` bytes) against the
/// slice reader: the same items, the same diagnostics, the input bytes back less the long lines.
pub fn stream(data: &[u8], enc: Encoding, mode: Mode, capacity: usize, limit: usize) {
    let opts = ParseOptions {
        max_line_len: limit,
        ..options(mode, enc, false)
    };
    let (kept, dropped) = without_long_lines(data, limit);
    let (expected, slice_failed) = slice_items(data, opts);
    let mut reader = Reader::with_chunk_size(
        Person,
        BufReader::with_capacity(capacity.max(1), data),
        opts,
        capacity.max(1),
    );
    let mut buf = RecordBuf::default();
    let mut read_diags: Vec<Diagnostic> = Vec::new();
    let mut written = Vec::new();
    let mut n = 0;
    let mut stopped = false;
    loop {
        let read = match reader.read(&mut buf) {
            Ok(Some(read)) => read,
            Ok(None) => break,
            Err(e) => {
                assert_eq!(mode, Mode::Strict, "lenient reader failed: {e}");
                if let muutostieto::Error::Invalid(d) = &e {
                    if matches!(d.kind, DiagnosticKind::LineTooLong { .. }) {
                        read_diags.push((**d).clone());
                    }
                }
                stopped = true;
                break;
            }
        };
        if let Item::Skipped(_) = read.item {
            assert!(read.raw.is_empty());
            read_diags.extend_from_slice(read.diagnostics);
            continue;
        }
        let mut out = Vec::new();
        read.item
            .write_to(enc, &mut out)
            .expect("a parsed item can be written");
        assert_eq!(out, read.raw, "item bytes");
        written.extend_from_slice(&out);
        if dropped.is_empty() {
            let p = expected.get(n).expect("the slice reader has this item too");
            assert_eq!(p.item, read.item);
            assert_eq!(p.diagnostics, read.diagnostics);
        }
        n += 1;
    }
    if mode == Mode::Lenient {
        assert!(written == kept, "streaming lost or changed bytes");
        let too_long: Vec<u64> = read_diags.iter().map(|d| d.line).collect();
        assert_eq!(too_long, dropped, "LineTooLong for exactly the long lines");
        assert_eq!(reader.bytes_read() as usize, data.len());
        if dropped.is_empty() {
            assert_eq!(n, expected.len());
        }
    } else if dropped.is_empty() {
        assert_eq!(
            stopped, slice_failed,
            "strict streaming and slice readers disagree"
        );
        assert_eq!(n, expected.len());
    } else {
        // Strict streaming stops at the first long line (or error): every clean item that ends
        // before it must have been returned first.
        let (lenient, _) = slice_items(data, options(Mode::Lenient, enc, false));
        let before = lenient
            .iter()
            .take_while(|p| {
                let lines = p.item.as_record().map_or(1, |r| r.line_count() as u64);
                p.item.line_number() + lines - 1 < dropped[0]
                    && !p.diagnostics.iter().any(stops_strict)
            })
            .count();
        assert!(stopped, "strict streaming went past a long line");
        assert!(
            n >= before,
            "strict streaming lost {} clean items",
            before - n
        );
    }
    for d in &read_diags {
        assert!(matches!(d.kind, DiagnosticKind::LineTooLong { limit: l } if l == limit));
    }
}

/// Reader target: the first byte picks the buffer capacity and line limit; the rest is the file.
pub fn reader(data: &[u8]) {
    let Some((&p, rest)) = data.split_first() else {
        return;
    };
    const CAPACITIES: [usize; 7] = [1, 2, 3, 5, 8, 64, 8192];
    const LIMITS: [usize; 7] = [0, 26, 40, 80, 250, 1000, 1 << 20];
    let capacity = CAPACITIES[usize::from(p) % 7];
    let limit = LIMITS[usize::from(p) / 7 % 7];
    for enc in Encoding::ALL {
        for mode in [Mode::Lenient, Mode::Strict] {
            stream(rest, enc, mode, capacity, limit);
        }
    }
}

/// Lenient parse → write gives the bytes; parsing the output gives the same items; strict mode
/// yields the lenient items up to the first error; a record rebuilt with canonical framing
/// (real count, final `|`, CRLF) parses to the same header and groups.
pub fn roundtrip(data: &[u8]) {
    for enc in Encoding::ALL {
        let opts = options(Mode::Lenient, enc, false);
        let (items, failed) = slice_items(data, opts);
        assert!(!failed, "lenient reading never fails");
        let mut out = Vec::with_capacity(data.len());
        let mut writer = muutostieto::Writer::new(Vec::new(), enc);
        for p in &items {
            check_positions(data, 1, enc, false, &p.diagnostics);
            p.item
                .write_to(enc, &mut out)
                .expect("a parsed item can be written");
            writer.write_item(&p.item).expect("writer");
            json_of(&p.item);
        }
        assert!(out == data, "parse → write changed the bytes");
        assert!(writer.into_inner().expect("flush") == data, "Writer");
        let (again, _) = slice_items(&out, opts);
        assert_eq!(again, items, "parsing the output gives other items");

        let (strict, strict_failed) = slice_items(data, options(Mode::Strict, enc, false));
        let first_bad = items
            .iter()
            .position(|p| p.diagnostics.iter().any(stops_strict));
        assert_eq!(strict_failed, first_bad.is_some());
        assert_eq!(strict.len(), first_bad.unwrap_or(items.len()));
        for (s, l) in strict.iter().zip(&items) {
            assert_eq!(s, l);
        }

        for p in &items {
            let Item::Record(r) = &p.item else { continue };
            // Without a final `|` a line is ambiguous: `…G|` at the end can be a group ending
            // in `|` or a group one character short and the separator; adding the separator
            // changes the reading. Rebuild only lines framed as DVV writes them.
            if !r.line.final_separator || r.continuations.iter().any(|c| !c.line.final_separator) {
                continue;
            }
            // A raw (malformed) group followed by other groups can frame differently once the
            // line break after it is gone: e.g. a 155-character 004, `|` and a 57-character 009
            // make 213 characters, a whole 004. Only records of typed groups are rebuilt.
            if r.groups
                .iter()
                .any(|g| matches!(g, muutostieto::person::Group::Raw(_)))
            {
                continue;
            }
            let rebuilt = PersonRecord::new(r.header, r.groups.clone());
            let Ok(bytes) = rebuilt.write_to_vec(enc) else {
                // More than 99 groups on one line: the count does not fit, an error, not a panic.
                assert!(r.groups.len() > 99, "rebuilt record cannot be written");
                continue;
            };
            let (back, _) = PersonRecord::parse(&bytes, &opts).expect("rebuilt record parses");
            assert_eq!(back.header, r.header, "rebuilt header");
            assert_eq!(back.groups, r.groups, "rebuilt groups");
        }
    }
}

/// The item's line-echo JSON through serde_json, checked to be the text that the direct writer
/// (`muutostieto::json::write_item`, what `parse` prints) writes, with and without a file name.
pub fn json_of<H, G>(item: &Item<'_, muutostieto::record::Record<'_, H, G>>) -> Vec<u8>
where
    H: muutostieto::field::SerializeIn + muutostieto::field::json::WriteJson,
    G: muutostieto::record::GroupPart,
{
    let json = serde_json::to_vec(item).expect("JSON");
    let mut fast = Vec::new();
    muutostieto::json::write_item(item, None, &mut fast);
    assert!(
        fast == json,
        "write_item and serde_json differ:\n{}\n{}",
        String::from_utf8_lossy(&fast),
        String::from_utf8_lossy(&json)
    );
    let name = "a \"file\" \u{e4}";
    let mut named = Vec::new();
    muutostieto::json::write_item(item, Some(name), &mut named);
    let mut want = b"{\"file\":".to_vec();
    want.extend_from_slice(&serde_json::to_vec(name).expect("JSON"));
    want.push(b',');
    want.extend_from_slice(&json[1..]);
    assert!(named == want, "write_item with a file name");
    json
}

/// Reads `data` as `family`'s records both ways, as views (checked, typed on demand) and as
/// typed items: the same diagnostics, the same typed records, and the JSON written straight
/// from a view is the typed item's JSON. Returns how many items were compared.
pub fn views<F: Family>(data: &[u8], opts: ParseOptions, family: F) -> usize
where
    for<'a> F::Header<'a>: PartialEq + std::fmt::Debug,
    for<'a> F::Group<'a>: PartialEq + std::fmt::Debug,
{
    let mut by_view = SliceReader::starting_at(family, data, 1, opts);
    let mut typed = by_view.clone();
    let mut view = muutostieto::record::RecordView::default();
    let mut n = 0;
    loop {
        let (mut dv, mut dt) = (Vec::new(), Vec::new());
        let v = by_view.next_view(&mut view, &mut dv);
        let t = typed.next_item(&mut dt);
        assert_eq!(dv, dt, "next_view and next_item diagnostics");
        let (v, t) = match (v, t) {
            (None, None) => return n,
            (Some(Ok(v)), Some(Ok(t))) => (v, t),
            (Some(Err(a)), Some(Err(b))) => {
                assert_eq!(a.to_string(), b.to_string());
                return n;
            }
            _ => panic!("next_view and next_item end differently"),
        };
        let (mut direct, mut from_typed) = (Vec::new(), Vec::new());
        muutostieto::json::write_view(family, &v, None, &mut direct);
        muutostieto::json::write_item(&t, None, &mut from_typed);
        assert!(
            direct == from_typed,
            "write_view and write_item differ:\n{}\n{}",
            String::from_utf8_lossy(&direct),
            String::from_utf8_lossy(&from_typed)
        );
        assert!(
            v.map(|v| v.typed(family)) == t,
            "a typed view is the typed item"
        );
        n += 1;
    }
}

/// Reads `data` as `family`'s records (lenient): every byte is written back; the JSON of each
/// item is returned.
pub fn family_roundtrip<F: Family>(data: &[u8], opts: ParseOptions, family: F) -> Vec<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len());
    let mut json = Vec::new();
    for p in SliceReader::starting_at(family, data, 1, opts) {
        let p = p.expect("lenient reading never fails");
        p.item
            .write_to(opts.encoding, &mut out)
            .expect("a parsed item can be written");
        json.push(json_of(&p.item));
    }
    assert!(out == data, "parse → write changed the bytes");
    json
}

/// The other record families over the same bytes: buildings keep every byte; records read
/// with the person layouts at run time keep every byte and give the typed family's JSON, in
/// every encoding (both read every field's bytes in the file's encoding).
pub fn families(data: &[u8]) {
    for enc in Encoding::ALL {
        let opts = options(Mode::Lenient, enc, false);
        family_roundtrip(data, opts, Building);
        views(data, opts, Person);
        views(data, opts, Building);
        views(data, opts, Dynamic::new(muutostieto::person::schema()));
        let dynamic = family_roundtrip(data, opts, Dynamic::new(muutostieto::person::schema()));
        let typed: Vec<Vec<u8>> = SliceReader::new(Person, data, opts)
            .map(|p| json_of(&p.expect("lenient").item))
            .collect();
        assert_eq!(dynamic.len(), typed.len());
        for (d, t) in dynamic.iter().zip(&typed) {
            assert!(
                d == t,
                "dynamic and typed JSON differ ({enc}):\n{}\n{}",
                String::from_utf8_lossy(d),
                String::from_utf8_lossy(t)
            );
        }
    }
}

/// `.HTT` lists: parse never panics, write gives the input, parsing again gives the same list,
/// strict mode is the first diagnostic, diagnostics are sorted and in range, and the builder's
/// output from the valid entries is clean.
pub fn idlist(data: &[u8]) {
    let (list, diags) = idlist::parse(data);
    assert!(list.to_bytes() == data, "to_bytes");
    let mut out = Vec::new();
    idlist::write(&list, &mut out).expect("write to a Vec");
    assert!(out == data, "write");
    let (again, diags2) = idlist::parse(&out);
    assert_eq!(again, list);
    assert_eq!(diags2, diags);
    match idlist::parse_strict(data) {
        Ok(l) => {
            assert!(diags.is_empty());
            assert_eq!(l, list);
        }
        Err(e) => assert_eq!(Some(&e), diags.first()),
    }
    assert!(diags
        .windows(2)
        .all(|w| (w[0].line, w[0].column) <= (w[1].line, w[1].column)));
    for d in &diags {
        match list.lines.get(d.line.wrapping_sub(1)) {
            Some(l) => assert!(d.column <= l.content.len(), "{d}"),
            None => assert!(
                d.line == list.lines.len() + 1 && d.column == 0 || d.line == 1,
                "{d}"
            ),
        }
    }
    for e in &list.entries {
        assert_eq!(e.id.len(), 11);
    }

    let ts = list
        .header
        .as_ref()
        .and_then(|h| h.timestamp())
        .unwrap_or_default();
    let valid = |action| {
        list.entries
            .iter()
            .filter(move |e| e.action == action && e.hetu().is_ok())
            .map(|e| e.id)
    };
    let bytes = IdListBuilder::new(None, None, ts)
        .add_all(valid(idlist::Action::Add))
        .remove_all(valid(idlist::Action::Remove))
        .build_bytes(idlist::LineEnding::CrLf)
        .expect("valid ids build");
    let (built, built_diags) = idlist::parse(&bytes);
    assert!(built_diags.is_empty(), "{built_diags:?}");
    let adds: std::collections::HashSet<_> = valid(idlist::Action::Add).collect();
    assert_eq!(built.adds().count(), adds.len());
}

/// Every check, for replaying files whose target is not known.
pub fn all(data: &[u8]) {
    record(data);
    reader(data);
    roundtrip(data);
    families(data);
    idlist(data);
    convert(data);
}

/// The conversion written straight from checked records (`Converter::write_muutos_view`,
/// what `muutostieto convert` prints) against the typed path, in every encoding and mode:
/// the same bytes and counts as `Converter::muutos` of the typed record written with
/// `Converted::write_json`, and the same JSON value as `convert::to_muutos` written by serde
/// (both for `Muutos` and `Perustieto`, with one or both move-in spellings).
pub fn convert(data: &[u8]) {
    for enc in Encoding::ALL {
        for mode in [Mode::Lenient, Mode::Strict] {
            convert_views(data, options(mode, enc, false));
        }
    }
}

/// [`convert`] in one encoding and mode: how many records were compared, and how many of them
/// the fast path wrote straight from their bytes.
pub fn convert_views(data: &[u8], opts: ParseOptions) -> (usize, usize) {
    use muutostieto::convert::{self, ConvertOptions, Converter, Counts};

    let mut one = ConvertOptions::default();
    one.both_move_in_spellings = false;
    let mut reader = SliceReader::starting_at(Person, data, 1, opts);
    let mut view = muutostieto::record::RecordView::default();
    let mut diags = Vec::new();
    let (mut records, mut direct) = (0, 0);
    for convert_opts in [ConvertOptions::default(), one] {
        let (mut fast, mut typed) = (Converter::new(convert_opts), Converter::new(convert_opts));
        loop {
            diags.clear();
            let v = match reader.next_view(&mut view, &mut diags) {
                None | Some(Err(_)) => break,
                Some(Ok(Item::Record(v))) => v,
                Some(Ok(_)) => continue,
            };
            let record = v.typed(Person);
            for with_change in [true, false] {
                let (mut out, mut counts) = (Vec::new(), Counts::default());
                let took = if with_change {
                    fast.write_muutos_view(v, &mut out, &mut counts)
                } else {
                    fast.write_perustieto_view(v, &mut out, &mut counts)
                };
                direct += usize::from(took);
                let converted = if with_change {
                    typed.muutos(&record)
                } else {
                    typed.perustieto(&record)
                };
                let mut want = Vec::new();
                converted.write_json(&mut want);
                let mut want_counts = Counts::default();
                want_counts.add(&converted);
                assert!(
                    out == want,
                    "write_muutos_view and Converted::write_json differ (line {}):\n{}\n{}",
                    v.line_number(),
                    String::from_utf8_lossy(&out),
                    String::from_utf8_lossy(&want)
                );
                assert_eq!(counts, want_counts, "counts (line {})", v.line_number());
                let value: serde_json::Value =
                    serde_json::from_slice(&out).expect("the output is JSON");
                let (api, api_counts) = if with_change {
                    let c = convert::to_muutos(&record, &convert_opts);
                    (serde_json::to_value(&c.muutos), c.counts)
                } else {
                    let c = convert::to_perustieto(&record, &convert_opts);
                    (serde_json::to_value(&c.perustieto), c.counts)
                };
                assert_eq!(
                    value,
                    api.expect("the api types serialize"),
                    "to_muutos (line {})",
                    v.line_number()
                );
                assert_eq!(
                    counts,
                    api_counts,
                    "to_muutos counts (line {})",
                    v.line_number()
                );
            }
            records += 1;
        }
        reader = SliceReader::starting_at(Person, data, 1, opts);
    }
    (records, direct)
}
