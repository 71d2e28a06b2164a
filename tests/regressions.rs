//! Regression tests for bugs found by the property tests and the fuzz targets, each with the
//! minimized input inline. Tests marked `#[ignore]` document a bug that is not fixed yet; the
//! reason names it (run them with `cargo test --test regressions -- --ignored`).

use std::io::BufReader;

use muutostieto::field::PersonId;
use muutostieto::person::{Group, Person};
use muutostieto::read::{Reader, RecordBuf, SliceReader};
use muutostieto::record::Item;
use muutostieto::{DiagnosticKind, Encoding, Mode, ParseOptions, PersonRecord};

const REC: &[u8] = b"010101-900RXXX201702081101|00312|";

/// Found by `prop_typed`: a blank id built in code (`PersonId::blank()`, no bytes) did not equal
/// the same id read back (11 spaces), so typed round trips of guardians without an id failed.
#[test]
fn blank_person_id_equals_its_padding() {
    assert_eq!(PersonId::blank(), PersonId::from_bytes(b"           "));
    assert_ne!(PersonId::blank(), PersonId::from_bytes(b"010101-900R"));
    let mut h = std::collections::HashSet::new();
    h.insert(PersonId::blank());
    assert!(h.contains(&PersonId::from_bytes(b"           ")));
}

/// Found by the `roundtrip` fuzz target: in UTF-8 mode the columns of header-marker
/// diagnostics were character offsets, not byte columns (wrong after a multibyte character).
#[test]
fn header_marker_columns_are_byte_columns_in_utf8() {
    let opts = ParseOptions::default().with_encoding(Encoding::Utf8);
    let diag = |line: &[u8], kind: &str| {
        let p = SliceReader::new(Person, line, opts)
            .next()
            .unwrap()
            .unwrap();
        let d = p
            .diagnostics
            .iter()
            .find(|d| d.kind.name() == kind)
            .unwrap_or_else(|| panic!("no {kind} in {:?}", p.diagnostics));
        d.column
    };
    // "ä" (2 bytes) in the id: the header's 26 characters are 27 bytes.
    let no_sep = "01ä101-900RXXX201702081101X0031|".as_bytes();
    assert_eq!(diag(no_sep, "missing_header_separator"), 27);
    assert_eq!(no_sep[27], b'X');
    let orphan = "01ä101-900RXXX20170208J101|00312|".as_bytes();
    assert_eq!(orphan[diag(orphan, "orphan_continuation")], b'J');
    let role = "01ä101-900RXXX201702081J01|00312|".as_bytes();
    assert_eq!(role[diag(role, "continuation_flag_in_role")], b'J');
}

/// Found by the `reader` checks (`prop_bytes`, strict mode): the streaming reader reads one
/// line ahead to find continuation lines; when that line was over the limit, strict mode
/// returned the error at once and the whole, valid record before it was lost.
#[test]
fn strict_streaming_returns_the_record_before_a_long_line() {
    let input = [REC, b"\r\n", &[b'x'; 100], b"\r\n", REC].concat();
    let opts = ParseOptions {
        mode: Mode::Strict,
        max_line_len: 50,
        ..ParseOptions::default()
    };
    let mut reader = Reader::new(Person, BufReader::with_capacity(8, &input[..]), opts);
    let mut buf = RecordBuf::default();
    let first = reader.read(&mut buf).unwrap().unwrap();
    assert_eq!(first.raw, [REC, b"\r\n"].concat());
    assert!(first.item.as_record().is_some());
    let err = reader.read(&mut buf).unwrap_err();
    assert!(err.to_string().contains("line 2"), "{err}");
    let muutostieto::Error::Invalid(d) = err else {
        panic!("not a diagnostic: {err}")
    };
    assert!(d.kind == DiagnosticKind::LineTooLong { limit: 50 } && d.line == 2);
}

/// Found by the `roundtrip` fuzz target (minimized): without a final `|` a line end is
/// ambiguous. Here the last group (004, 213 characters) is one character short and followed by
/// the final `|`; the parser reads the `|` as the group's last field (`special_characters`)
/// and the line as missing its final separator. Bytes are kept either way; the line must be
/// flagged.
#[test]
fn one_character_short_last_group_is_flagged() {
    let mut line = b"010101-900RXXX201702081101|0041".to_vec();
    line.extend_from_slice(&[b'a'; 100]);
    line.extend_from_slice(&[b'b'; 100]);
    line.extend_from_slice(b"00000000"); // 212 characters: the 1-character field is missing
    line.push(b'|');
    let (rec, diags) = PersonRecord::parse(&line, &ParseOptions::default()).unwrap();
    assert!(
        !diags.is_empty(),
        "a short group before the final '|' passes unnoticed"
    );
    assert_eq!(rec.write_to_vec(Encoding::Latin1).unwrap(), line);
    // Today: a typed 004 whose last field is "|", an unknown code and a missing final `|`.
    let kinds: Vec<_> = diags.iter().map(|d| d.kind.name()).collect();
    assert_eq!(kinds, ["unknown_code", "missing_final_separator"]);
    assert!(matches!(rec.groups[0], Group::CurrentName(_)));
}

/// Found by `prop_typed` review of transcoding (`roundtrip --to-encoding`): fields other than
/// text (codes, digits, ids, invalid dates, the group count) are written as raw bytes whatever
/// the output encoding, so a Latin-1 byte above 0x7F in such a field is copied unchanged into
/// UTF-8 output: the output is not UTF-8 and, where the byte is 0x80–0xBF (a UTF-8
/// continuation byte), the field loses a character of width and the record no longer frames.
/// Fixed: a parsed line is written as it was read and transcoded whole (`LineInfo::encoding`).
#[test]
fn latin1_to_utf8_keeps_non_text_fields() {
    // A 003 group whose sex code is the Latin-1 byte 0xA7 ('§'), and an 002 group whose
    // language is "f\xE4".
    let line = b"010101-900RXXX201702081102|0031\xa7|0021f\xe4|\r\n";
    let (rec, diags) = PersonRecord::parse(line, &ParseOptions::default()).unwrap();
    assert_eq!(diags.len(), 1, "{diags:?}"); // unknown sex code
    let utf8 = rec.write_to_vec(Encoding::Utf8).unwrap();
    assert!(
        std::str::from_utf8(&utf8).is_ok(),
        "output is not UTF-8: {utf8:?}"
    );
    let opts = ParseOptions::default().with_encoding(Encoding::Utf8);
    let (back, _) = PersonRecord::parse(&utf8, &opts).unwrap();
    assert_eq!(back.groups.len(), 2);
    assert!(back.groups.iter().all(|g| !matches!(g, Group::Raw(_))));
    assert_eq!(back.write_to_vec(Encoding::Latin1).unwrap(), line);
}

/// Streaming and slice readers agree on a record split over continuation lines with bare CRs,
/// read through a one-byte buffer (a CR at the end of a buffer must wait for the next byte).
#[test]
fn bare_cr_at_buffer_edges() {
    let cont = b"010101-900RXXX20170208J101|00312|";
    let input = [REC, b"\r", cont, b"\r\n", cont, b"\r", REC].concat();
    let opts = ParseOptions::default();
    let slice: Vec<_> = SliceReader::new(Person, &input, opts)
        .map(Result::unwrap)
        .collect();
    assert_eq!(slice.len(), 2);
    let mut reader =
        Reader::with_chunk_size(Person, BufReader::with_capacity(1, &input[..]), opts, 1);
    let mut buf = RecordBuf::default();
    let mut n = 0;
    while let Some(read) = reader.read(&mut buf).unwrap() {
        let item = read.item;
        assert_eq!(item, slice[n].item);
        assert_eq!(read.diagnostics, slice[n].diagnostics);
        if let Item::Record(r) = &item {
            assert_eq!(r.groups.len(), if n == 0 { 3 } else { 1 });
        }
        n += 1;
    }
    assert_eq!(n, 2);
}

/// Found by the `families` check: same root cause as above. In a UTF-8 (or ISO-8859-15) file,
/// typed person ids, digits and unknown codes are decoded as ISO-8859-1 for JSON and
/// `as_str`, so "ä" in an (invalid) id comes out as "Ã¤", while the run-time (dynamic) family
/// decodes the file's encoding and says "ä": the two families' JSON differ.
/// Fixed: a record's JSON reads every field's bytes in the record's encoding
/// (`field::SerializeIn`); `PersonId::decode` and `Code::decode` take the encoding.
#[test]
fn non_text_fields_decode_in_the_file_encoding() {
    let line = "01ä101-900RXXX201702081101|00312|\r\n".as_bytes();
    let opts = ParseOptions::default().with_encoding(Encoding::Utf8);
    let (rec, _) = PersonRecord::parse(line, &opts).unwrap();
    assert_eq!(rec.header.person_id.decode(Encoding::Utf8), "01ä101-900R");
    let typed = serde_json::to_string(&rec).unwrap();
    assert!(typed.contains("\"01ä101-900R\""), "{typed}");
    // In ISO-8859-1, an unknown code whose bytes happen to be UTF-8 ("\xc7\xbf") is decoded
    // as UTF-8 ("ǿ", one character) instead of "Ç¿" (minimized from the `families` target).
    let line = b"010101-900RXXX201702081101|0021\xc7\xbf|\r\n";
    let (rec, _) = PersonRecord::parse(line, &ParseOptions::default()).unwrap();
    let Group::MotherTongue(g) = &rec.groups[0] else {
        panic!()
    };
    assert_eq!(g.language.as_str(), "Ç¿");
}

/// Found by the `families` fuzz target (minimized): records read with the person layouts at
/// run time called an id blank when it held only Unicode whitespace after decoding (`str::trim`
/// drops U+0085 and U+00A0, Latin-1 bytes 0x85 and 0xA0), so their JSON said `null` where the
/// typed records keep the value.
#[test]
fn dynamic_ids_are_blank_only_when_spaces() {
    let line = b"010101-900RXXX201702081101|3051       \x85   01 1200001010000000000000000|\r\n";
    let opts = ParseOptions::default();
    let typed = SliceReader::new(Person, line, opts)
        .next()
        .unwrap()
        .unwrap();
    let dynamic = SliceReader::new(
        muutostieto::dynamic::Dynamic::new(muutostieto::person::schema()),
        line,
        opts,
    )
    .next()
    .unwrap()
    .unwrap();
    let t = serde_json::to_string(&typed.item).unwrap();
    let d = serde_json::to_string(&dynamic.item).unwrap();
    assert!(t.contains("\"guardian_id\":\"       \u{85}\""), "{t}");
    assert_eq!(d, t);
}

/// Found by a new user: `Writer` kept its buffer when dropped, so a program that forgot
/// `flush` lost its last records. It flushes on drop now, like `std::io::BufWriter`.
#[test]
fn writer_flushes_on_drop() {
    let input = [REC, b"\r\n"].concat();
    let mut out = Vec::new();
    {
        let mut w = muutostieto::Writer::new(&mut out, Encoding::Latin1);
        for p in SliceReader::new(Person, &input, ParseOptions::default()) {
            w.write_item(&p.unwrap().item).unwrap();
        }
    }
    assert_eq!(out, input);
}

/// Left from the last round: after a line skipped for its length, the streaming reader
/// numbered the following lines as if the skipped one were not there.
#[test]
fn line_numbers_after_a_skipped_line() {
    let input = [REC, b"\r\n", &[b'x'; 100], b"\r\n", REC, b"\r\n", REC].concat();
    let opts = ParseOptions {
        max_line_len: 50,
        ..ParseOptions::default()
    };
    for chunk in [1, 7, 64, 4096] {
        let mut reader = Reader::with_chunk_size(Person, &input[..], opts, chunk);
        let mut buf = RecordBuf::default();
        let mut lines = Vec::new();
        while let Some(read) = reader.read(&mut buf).unwrap() {
            lines.push((
                read.item.line_number(),
                matches!(read.item, Item::Skipped(_)),
            ));
        }
        assert_eq!(
            lines,
            [(1, false), (2, true), (3, false), (4, false)],
            "chunk {chunk}"
        );
    }
}
