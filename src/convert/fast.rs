//! The conversion written straight from a checked record's bytes ([`RecordView`]): the rows of
//! the mapping table, compiled once per layout into field offsets, pre-escaped keys and enum
//! names, run over each group's bytes and written as JSON into the output, with no typed
//! record, no arena and no allocation per record once the buffers have grown.
//!
//! It runs the same record-level rules as [`build`](super::build) (entries, nesting, the
//! merged 007, chains of 307/317, the security ban, `LEGACY_` groups, notes and placements) in
//! the same order, so that it writes the same bytes and counts the same; a group that cannot
//! be converted is rolled back by truncating the output. Records it does not take (a group
//! kept raw, an encoding of several bytes a character, a layout it has no compiled rows for)
//! go through the typed path instead; `tests/convert_fast.rs` and the fuzz target `convert`
//! hold both paths to the same output.

use std::sync::LazyLock;

use crate::encoding::Encoding;
use crate::field::json::{write_str, write_str_in};
use crate::field::{FieldKind, VtjDate};
use crate::frame::FramedGroup;
use crate::person::{GroupKind, KINDS};
use crate::record::RecordView;

use super::build::{by_kind, change_token, merged_change, own_placement, Walk, CITIZENSHIP_LISTS};
use super::out::{DateVal, Precision};
use super::rules::ban_in_force;
use super::table::{self, CodeMap, Target};
use super::{ConvertOptions, Counts, Note, NoteKind, Placement, API_NAMES};

/// How a legacy field is read (the typed path's `Src` variants).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Src {
    /// Text in the record's encoding.
    Text,
    /// Digits (ISO-8859-1).
    Digits,
    /// A code or a municipality number (ISO-8859-1).
    Code,
    /// An identity code (ISO-8859-1; blank when only trailing spaces).
    Id,
    /// A date.
    Date,
}

/// `bytes` without surrounding ASCII white space (`trim_ascii`), the space padding at the end
/// skipped eight bytes at a time first (fields are mostly padding: 100-character names, a
/// 255-character e-mail field).
#[inline]
fn trim(bytes: &[u8]) -> &[u8] {
    // The padding at the end by the field layer's block-wise trim, then the start.
    crate::field::trim_end(bytes).trim_ascii_start()
}

/// `00000000`: no date (`VtjDate::Unknown`), the only form of eight zeros.
const NO_DATE: &[u8] = b"00000000";

/// A date field as the API date it gives: `Some(None)` for none, `None` when invalid (what
/// `rules::date_val` gives for `VtjDate::from_bytes`, without building a calendar date).
#[inline]
fn date_of_bytes(raw: &[u8]) -> Option<Option<DateVal>> {
    // `00000000`, the most common value of a date field, by one comparison of a word.
    if raw == NO_DATE {
        return Some(None);
    }
    // `00000000` (`VtjDate::Unknown`) and `99990000` (`VtjDate::Indefinite`): no date.
    let (year, month, day) = match crate::field::digits8(raw)? {
        (0, 0, 0) | (9999, 0, 0) => return Some(None),
        ymd => ymd,
    };
    let (month, day, precision) = match (year, month, day) {
        (0, _, _) => return None,
        (_, 0, 0) => (1, 1, Precision::Year),
        (_, 1..=12, 0) => (month, 1, Precision::Month),
        _ if crate::hetu::is_valid_ymd(u32::from(year), u32::from(month), u32::from(day)) => {
            (month, day, Precision::Day)
        }
        _ => return None,
    };
    Some(Some(DateVal {
        year,
        month,
        day,
        precision,
    }))
}

/// A field of a group: where it stands and how it is read (eight bytes, so that a row's
/// fields are copied in two words).
#[derive(Debug, Clone, Copy)]
struct At {
    off: u32,
    len: u16,
    src: Src,
}

impl At {
    /// A field at `off`, `len` long; `None` when they do not fit an `At`.
    fn new(off: usize, len: usize, src: Src) -> Option<At> {
        Some(At {
            off: off.try_into().ok()?,
            len: len.try_into().ok()?,
            src,
        })
    }

    /// Where it ends.
    fn end(&self) -> usize {
        self.off as usize + usize::from(self.len)
    }

    #[inline]
    fn bytes<'a>(&self, group: &'a [u8]) -> &'a [u8] {
        group.get(self.off as usize..self.end()).unwrap_or_default()
    }

    /// The encoding its bytes are read in.
    fn enc(&self, record: Encoding) -> Encoding {
        match self.src {
            Src::Text => record,
            _ => Encoding::Latin1,
        }
    }

    /// True when the field holds nothing (`Src::is_blank` of the typed path).
    fn is_blank(&self, group: &[u8]) -> bool {
        let b = self.bytes(group);
        match self.src {
            Src::Text | Src::Digits | Src::Code => trim(b).is_empty(),
            Src::Id => b.trim_ascii_end().is_empty(),
            Src::Date => b == NO_DATE,
        }
    }
}

/// A rule of the table (see `RULE_DOCS`), compiled.
#[derive(Debug, Clone, Copy)]
enum Rule {
    /// `text`, `id`, `digits`, `raw`.
    Str,
    Nonzero,
    Date,
    DateAlt,
    Code(&'static CodeMap),
    Ml,
    Person,
    Qualifier,
    PlaceOr452,
    /// `rights` (any digit) and `rights_added` / `_changed` / `_removed` (that digit).
    Rights(Option<u8>),
    Guardians,
    Attorneys,
    ActiveId,
    PreviousIds,
    Dead,
    BanActive,
}

/// One row: `,"key":` and how its value is made.
#[derive(Debug)]
struct Row {
    key: &'static str,
    json_key: Key,
    rule: Rule,
    fields: [Option<At>; 2],
    protected: bool,
    /// A `code` row's map compiled ([`compile_codes`]); `None` for other rows, and for maps
    /// with a code longer than a word (read through the map itself).
    codes: Option<Box<[CodeOut]>>,
}

/// A legacy code of a map as a word (its bytes little-endian, zeros after them) and its
/// length, with what it writes: `,"key":"TOKEN"`.
#[derive(Debug)]
struct CodeOut {
    word: u64,
    len: usize,
    out: Piece,
}

/// Bytes written often: a [`Key`] when they fit in one, else a boxed slice.
#[derive(Debug)]
enum Piece {
    Short(Key),
    Long(Box<[u8]>),
}

impl Piece {
    fn new(bytes: &[u8]) -> Piece {
        if bytes.len() < KEY_SIZE {
            Piece::Short(key_of(bytes))
        } else {
            Piece::Long(bytes.into())
        }
    }

    #[inline(always)]
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            Piece::Short(key) => put_key(out, key),
            Piece::Long(bytes) => out.extend_from_slice(bytes),
        }
    }
}

/// Up to eight bytes as a word, little-endian, zeros after them.
#[inline]
fn word_of(bytes: &[u8]) -> u64 {
    bytes.iter().rev().fold(0, |w, &b| (w << 8) | u64::from(b))
}

/// A code map's pairs as words, in their order, each with its key and token written.
fn compile_codes(key: &[u8], map: &CodeMap) -> Option<Box<[CodeOut]>> {
    map.pairs
        .iter()
        .map(|&(code, token, _)| {
            (code.len() <= 8).then(|| {
                let mut out = key.to_vec();
                write_str(token, &mut out);
                CodeOut {
                    word: word_of(code.as_bytes()),
                    len: code.len(),
                    out: Piece::new(&out),
                }
            })
        })
        .collect()
}

/// A layout's compiled rows.
#[derive(Debug)]
struct Layout {
    kind: GroupKind,
    target: Target,
    /// The index of its API group name in [`API_NAMES`] (none for qualifying groups).
    name: Option<u8>,
    rows: Vec<Row>,
    /// Legacy fields without an API field (noted when not blank).
    not_carried: Vec<(&'static str, At)>,
    /// The fields whose text may hold the security-ban placeholder (address groups).
    placeholder: Vec<At>,
    /// The group's code, for `LEGACY_<code>`.
    code: [u8; 3],
    qualifying: bool,
    len: usize,
}

fn at(kind: GroupKind, name: &str) -> Option<At> {
    let f = kind.layout().field(name)?;
    let src = match f.kind {
        FieldKind::Text => Src::Text,
        FieldKind::Digits => Src::Digits,
        FieldKind::Code | FieldKind::Municipality => Src::Code,
        FieldKind::PersonId => Src::Id,
        FieldKind::Date => Src::Date,
        _ => return None,
    };
    At::new(f.offset, f.len, src)
}

fn rule_of(r: &table::RowMap) -> Option<Rule> {
    Some(match r.rule {
        "text" | "id" | "digits" | "raw" => Rule::Str,
        "nonzero" => Rule::Nonzero,
        "date" => Rule::Date,
        "date_alt" => Rule::DateAlt,
        "code" => Rule::Code(r.code_map?),
        "ml" => Rule::Ml,
        "person" => Rule::Person,
        "qualifier" => Rule::Qualifier,
        "place_or_452" => Rule::PlaceOr452,
        "rights" => Rule::Rights(None),
        "rights_added" => Rule::Rights(Some(b'1')),
        "rights_changed" => Rule::Rights(Some(b'3')),
        "rights_removed" => Rule::Rights(Some(b'4')),
        "guardians" => Rule::Guardians,
        "attorneys" => Rule::Attorneys,
        "active_id" => Rule::ActiveId,
        "previous_ids" => Rule::PreviousIds,
        "dead" => Rule::Dead,
        "ban_active" => Rule::BanActive,
        _ => return None,
    })
}

/// `,"key":` padded to a fixed size, its length in the last byte: copied as a whole (no call
/// to copy a slice of unknown length) and cut back to its length ([`put_key`]).
type Key = [u8; KEY_SIZE];

/// The size of a [`Key`] (keys are at most one byte shorter).
const KEY_SIZE: usize = 48;

/// A [`Key`] of these bytes (a compile-time error for bytes that do not fit).
const fn key_of(bytes: &[u8]) -> Key {
    assert!(bytes.len() < KEY_SIZE);
    let mut key = [0u8; KEY_SIZE];
    let mut i = 0;
    while i < bytes.len() {
        key[i] = bytes[i];
        i += 1;
    }
    key[KEY_SIZE - 1] = bytes.len() as u8;
    key
}

/// The bytes of a [`Key`].
fn key_bytes(key: &Key) -> &[u8] {
    key.get(..usize::from(key[KEY_SIZE - 1]))
        .unwrap_or_default()
}

/// Appends a [`Key`]'s bytes.
#[inline(always)]
fn put_key(out: &mut Vec<u8>, key: &Key) {
    let len = out.len() + usize::from(key[KEY_SIZE - 1]);
    out.extend_from_slice(key);
    out.truncate(len);
}

/// `,"key":` (keys are the table's own ASCII names); `None` when longer than a [`Key`] holds.
fn json_key(key: &str) -> Option<Key> {
    let mut out = vec![b','];
    write_str(key, &mut out);
    out.push(b':');
    (out.len() < KEY_SIZE).then(|| key_of(&out))
}

/// The fields a layout's placeholder check reads (the typed path's `is_placeholder_address`).
fn placeholder_fields(kind: GroupKind) -> &'static [&'static str] {
    match kind {
        GroupKind::PermanentAddress | GroupKind::TemporaryAddress => &["street_fi", "street_sv"],
        GroupKind::PostalAddress => &["address_fi", "address_sv"],
        GroupKind::PermanentForeignAddress | GroupKind::TemporaryForeignAddress => {
            &["street", "locality"]
        }
        _ => &[],
    }
}

/// A layout compiled, `None` when one of its rows or fields cannot be (its records then go
/// through the typed path).
fn compile(kind: GroupKind) -> Option<Layout> {
    let (map, name) = by_kind(kind)?;
    let mut rows = Vec::new();
    for r in map.rows {
        let mut fields = [None; 2];
        if r.legacy.len() > 2 {
            return None;
        }
        for (slot, f) in fields.iter_mut().zip(r.legacy) {
            *slot = Some(at(kind, f)?);
        }
        let rule = rule_of(r)?;
        let json_key = json_key(r.key)?;
        let codes = match rule {
            Rule::Code(map) => compile_codes(key_bytes(&json_key), map),
            _ => None,
        };
        rows.push(Row {
            key: r.key,
            json_key,
            rule,
            fields,
            protected: r.protected,
            codes,
        });
    }
    // The 452's text is taken by its host as the value of its first row: one text row.
    if kind == GroupKind::AdditionalInfo
        && !(rows.len() == 1 && matches!(rows[0].rule, Rule::Str) && rows[0].fields[1].is_none())
    {
        return None;
    }
    let not_carried = map
        .not_carried
        .iter()
        .map(|&f| Some((f, at(kind, f)?)))
        .collect::<Option<Vec<_>>>()?;
    let placeholder = placeholder_fields(kind)
        .iter()
        .map(|f| at(kind, f))
        .collect::<Option<Vec<_>>>()?;
    let layout = kind.layout();
    if !layout.code.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(Layout {
        kind,
        target: map.target,
        name,
        rows,
        not_carried,
        placeholder,
        code: layout.code,
        qualifying: layout.qualifying,
        len: layout.len,
    })
}

/// What is made once: every layout's rows, the group heads, the fields the record-level
/// rules read.
struct Tables {
    layouts: Vec<Option<Layout>>,
    /// `{"tietoryhma":"NAME"` per API name.
    heads: Vec<Piece>,
    /// `,"muutosattribuutti":"TOKEN"` per change byte (empty when it has no token).
    changes: Vec<Piece>,
    /// 001: the identity code and its validity.
    id_correction: Option<(At, At)>,
    /// 015: the end date.
    ban_end: Option<At>,
    /// 204: the municipality.
    home_municipality: Option<At>,
    /// The header: the person's identity code and the registration date.
    person_id: Option<At>,
    registered: Option<At>,
}

static TABLES: LazyLock<Tables> = LazyLock::new(|| {
    let header = |name: &str| {
        let f = crate::person::schema()
            .header
            .fields
            .iter()
            .find(|f| f.name == name)?;
        At::new(f.offset, f.len, Src::Id)
    };
    Tables {
        layouts: KINDS.iter().map(|&k| compile(k)).collect(),
        heads: API_NAMES
            .iter()
            .map(|name| {
                let mut out = b"{\"tietoryhma\":".to_vec();
                write_str(name, &mut out);
                Piece::new(&out)
            })
            .collect(),
        changes: (0..=255u8)
            .map(|d| match change_token(d) {
                Some(token) => {
                    let mut out = b",\"muutosattribuutti\":".to_vec();
                    write_str(token, &mut out);
                    Piece::new(&out)
                }
                None => Piece::new(b""),
            })
            .collect(),
        id_correction: at(GroupKind::IdCorrection, "person_id")
            .zip(at(GroupKind::IdCorrection, "validity")),
        ban_end: at(GroupKind::NonDisclosure, "end"),
        home_municipality: at(GroupKind::HomeMunicipality, "municipality"),
        person_id: header("person_id"),
        registered: header("registered"),
    }
});

/// No output yet.
const UNSET: usize = usize::MAX;

/// The buffers of the fast path, reused from record to record.
#[derive(Debug, Default)]
pub(crate) struct Fast {
    /// Per legacy group: the output group it went into, and how.
    fates: Vec<(usize, Placement)>,
    notes: Vec<Note>,
    entries: Vec<(u32, u32)>,
    /// The layout of each legacy group.
    layouts: Vec<u16>,
    protected: Vec<&'static str>,
    /// The 007 objects of the merged group: change digit and range in `scratch`.
    cits: Vec<(u8, u32, u32)>,
    scratch: Vec<u8>,
    /// The output groups: an API name index, or `LEGACY_` and the legacy group.
    made: Vec<Made>,
    /// The months of the full registration dates read, each with the `muutospv` of its
    /// days (a file's records fall in a few months).
    months: RegisteredMonths,
    /// The record's notes counted by code and kind.
    note_keys: Vec<(([u8; 3], NoteKind), u64)>,
    /// Whether notes are counted in `pending` (see [`Converter::defer_note_counts`]).
    ///
    /// [`Converter::defer_note_counts`]: super::Converter::defer_note_counts
    pub defer_notes: bool,
    /// Notes counted but not yet added to a [`Counts`].
    pub pending: PendingNotes,
}

/// A note's key in [`Counts::notes`]: the legacy group code and the kind.
type NoteKey = ([u8; 3], NoteKind);

/// The slots of [`PendingNotes`]' index (a power of two; at most half of them are used).
const NOTE_SLOTS: usize = 512;

/// Notes counted per key without a look-up in [`Counts::notes`] (a `BTreeMap` whose keys
/// compare strings): the keys in the order seen, found through a small open-addressing index,
/// added to a `Counts` by [`PendingNotes::flush`].
#[derive(Debug, Default)]
pub(crate) struct PendingNotes {
    keys: Vec<(NoteKey, u64)>,
    /// Per slot: one more than an index into `keys`, 0 when free ([`NOTE_SLOTS`] once used).
    slots: Vec<u16>,
}

/// Where a key's search in [`PendingNotes`] starts. Two equal keys whose field names are
/// different copies of the same text may start at different slots and be held twice: they
/// are added to the same entry by [`PendingNotes::flush`].
#[inline]
fn note_slot(key: &NoteKey) -> usize {
    let (tag, field): (u8, &str) = match key.1 {
        NoteKind::NotCarried { field } => (1, field),
        NoteKind::InvalidValue { field } => (2, field),
        NoteKind::UnmappableChange => (3, ""),
        NoteKind::NoCounterpart => (4, ""),
        NoteKind::OrphanQualifier => (5, ""),
        NoteKind::UnusedQualifier => (6, ""),
        NoteKind::Unidentified => (7, ""),
        NoteKind::NestedChangeNotCarried => (8, ""),
        NoteKind::ChangeDropped => (9, ""),
        NoteKind::Protected => (10, ""),
        NoteKind::PlaceholderWithoutBan => (11, ""),
        NoteKind::InvalidRegistrationDate => (12, ""),
    };
    let [a, b, c] = key.0;
    let h = u64::from(u32::from_le_bytes([a, b, c, tag]))
        ^ (field.as_ptr() as u64).rotate_left(24)
        ^ ((field.len() as u64) << 40);
    (h.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 55) as usize % NOTE_SLOTS
}

impl PendingNotes {
    /// Counts `n` notes of `key`; into `counts` straight when the index is half full.
    #[inline]
    fn add(&mut self, key: NoteKey, n: u64, counts: &mut Counts) {
        if self.slots.is_empty() {
            self.slots.resize(NOTE_SLOTS, 0);
        }
        let mut s = note_slot(&key);
        loop {
            match self.slots[s] {
                0 => break,
                i => {
                    let entry = &mut self.keys[usize::from(i) - 1];
                    if entry.0 == key {
                        entry.1 += n;
                        return;
                    }
                }
            }
            s = (s + 1) % NOTE_SLOTS;
        }
        if self.keys.len() >= NOTE_SLOTS / 2 {
            *counts.notes.entry(key).or_default() += n;
            return;
        }
        self.keys.push((key, n));
        self.slots[s] = self.keys.len() as u16;
    }

    /// Adds the notes counted to `counts` and forgets them.
    pub fn flush(&mut self, counts: &mut Counts) {
        if self.keys.is_empty() {
            return;
        }
        for (key, n) in self.keys.drain(..) {
            *counts.notes.entry(key).or_default() += n;
        }
        self.slots.fill(0);
    }
}

/// A month of [`RegisteredMonths`]: its `YYYYMM` bytes, year, month and days, and the
/// `muutospv` of its days worked out so far (index 1 on; `filled` has their bits).
#[derive(Debug)]
struct Month {
    ym: [u8; 6],
    year: u16,
    month: u8,
    days: u8,
    filled: u32,
    muutospv: [[u8; 24]; 32],
}

/// The slots of [`RegisteredMonths`] (ten years of months go to different slots).
const MONTH_SLOTS: usize = 128;

/// Months of full registration dates, a month to a slot chosen by its `YYYYMM` bytes: a
/// registration date in one of them is read from its day's two digits and its `muutospv`
/// worked out once, instead of reading the date and working out its `muutospv` each time.
#[derive(Debug, Default)]
struct RegisteredMonths {
    /// [`MONTH_SLOTS`] once used.
    slots: Vec<Option<Box<Month>>>,
}

/// The slot of a month's `YYYYMM` bytes: the month's number counted from the century's
/// start (for digits), modulo the slots.
#[inline]
fn month_slot(ym: &[u8; 6]) -> usize {
    let digit = |b: u8| usize::from(b.wrapping_sub(b'0'));
    let yy = digit(ym[2]) * 10 + digit(ym[3]);
    let mm = digit(ym[4]) * 10 + digit(ym[5]);
    (yy * 12 + mm) % MONTH_SLOTS
}

impl RegisteredMonths {
    /// A registration date's `muutospv` and `(y, m, d)` when it is a full date: what
    /// [`date_of_bytes`] with day precision and [`muutospv_ymd`] give.
    ///
    /// [`muutospv_ymd`]: super::time::muutospv_ymd
    #[inline]
    fn get(&mut self, raw: &[u8]) -> Option<([u8; 24], (u16, u8, u8))> {
        if let Some((ym, dd)) = <&[u8; 8]>::try_from(raw).ok().map(|r| r.split_at(6)) {
            let slot = <&[u8; 6]>::try_from(ym).map_or(0, month_slot);
            if let Some(m) = self.slots.get_mut(slot).and_then(Option::as_mut) {
                if m.ym == ym {
                    let (tens, ones) = (dd[0].wrapping_sub(b'0'), dd[1].wrapping_sub(b'0'));
                    let day = tens.wrapping_mul(10).wrapping_add(ones);
                    if tens > 9 || ones > 9 || !(1..=m.days).contains(&day) {
                        return None;
                    }
                    let d = usize::from(day);
                    if m.filled & (1 << d) == 0 {
                        super::time::muutospv_ymd(m.year, m.month, day, &mut m.muutospv[d]);
                        m.filled |= 1 << d;
                    }
                    return Some((m.muutospv[d], (m.year, m.month, day)));
                }
            }
        }
        self.read(raw)
    }

    /// The date read in full; its month put in its slot.
    #[cold]
    #[inline(never)]
    fn read(&mut self, raw: &[u8]) -> Option<([u8; 24], (u16, u8, u8))> {
        let v = match date_of_bytes(raw) {
            Some(Some(v)) if v.precision == Precision::Day => v,
            _ => return None,
        };
        let mut buf = [0u8; 24];
        super::time::muutospv_ymd(v.year, v.month, v.day, &mut buf);
        if let Some(ym) = raw.get(..6).and_then(|ym| <&[u8; 6]>::try_from(ym).ok()) {
            let mut muutospv = [[0u8; 24]; 32];
            muutospv[usize::from(v.day)] = buf;
            if self.slots.is_empty() {
                self.slots.resize_with(MONTH_SLOTS, || None);
            }
            self.slots[month_slot(ym)] = Some(Box::new(Month {
                ym: *ym,
                year: v.year,
                month: v.month,
                days: super::time::days_in_month(v.year, v.month),
                filled: 1 << v.day,
                muutospv,
            }));
        }
        Some((buf, (v.year, v.month, v.day)))
    }
}

#[derive(Debug, Clone, Copy)]
enum Made {
    Api(u8),
    Legacy(usize),
}

/// What holds for the whole record.
#[derive(Debug, Clone, Copy, Default)]
struct Facts {
    registered: Option<(u16, u8, u8)>,
    ban_active: bool,
    placeholder: bool,
}

/// The value a rule made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Made1 {
    Written,
    Absent,
    Invalid,
}

struct Cx<'f, 'v, 'a> {
    t: &'static Tables,
    groups: &'v [FramedGroup<'a>],
    layouts: &'f [u16],
    entries: &'f [(u32, u32)],
    enc: Encoding,
    facts: Facts,
    opts: &'f ConvertOptions,
    with_change: bool,
    fates: &'f mut Vec<(usize, Placement)>,
    notes: &'f mut Vec<Note>,
    protected: &'f mut Vec<&'static str>,
    walk: Walk,
}

fn digit(g: &FramedGroup<'_>) -> u8 {
    g.bytes.get(3).copied().unwrap_or(b' ')
}

/// A string value: the field's bytes trimmed, `,"key":"…"`; nothing when empty.
fn put_str(out: &mut Vec<u8>, key: &Key, bytes: &[u8], enc: Encoding) -> Made1 {
    let t = trim(bytes);
    if t.is_empty() {
        return Made1::Absent;
    }
    put_key(out, key);
    write_str_in(t, enc, out);
    Made1::Written
}

/// Closes an object whose entries (each after a comma) were written from `at` on.
fn close_obj(out: &mut Vec<u8>, at: usize) {
    if out.len() == at {
        out.extend_from_slice(b"{}");
    } else {
        out[at] = b'{';
        out.push(b'}');
    }
}

impl Cx<'_, '_, '_> {
    fn layout(&self, g: usize) -> Option<&'static Layout> {
        let i = *self.layouts.get(g)? as usize;
        self.t.layouts.get(i)?.as_ref()
    }

    fn kind(&self, g: usize) -> Option<GroupKind> {
        self.layout(g).map(|l| l.kind)
    }

    fn note(&mut self, group: usize, kind: NoteKind) {
        self.notes.push(Note {
            group: Some(group),
            kind,
        });
    }

    fn is_unplaced(&self, g: usize) -> bool {
        self.fates.get(g).is_some_and(|f| f.0 == UNSET)
    }

    fn place(&mut self, g: usize, placement: Placement) {
        let output = self.walk.output;
        if let Some(f) = self.fates.get_mut(g) {
            *f = (output, placement);
        }
    }

    fn unplace_if_here(&mut self, g: usize) {
        let output = self.walk.output;
        if let Some(f) = self.fates.get_mut(g).filter(|f| f.0 == output) {
            *f = (UNSET, Placement::Legacy);
        }
    }

    fn first_qualifier(&self, code: &[u8; 3]) -> Option<usize> {
        (self.walk.quals.0..self.walk.quals.1)
            .find(|&q| self.groups[q].code() == *code && self.is_unplaced(q))
    }

    /// Runs the rows of group `g` (`cur`), writing its entries; the rows written, as bits.
    fn emit_rows(&mut self, g: usize, out: &mut Vec<u8>) -> u64 {
        let Some(layout) = self.layout(g) else {
            return 0;
        };
        let bytes = self.groups[g].bytes;
        let mut written = 0u64;
        for (i, row) in layout.rows.iter().enumerate() {
            let mark = out.len();
            let made = self.rule(row, bytes, out);
            if self.walk.protect && row.protected {
                out.truncate(mark);
                self.protected.push(row.key);
                continue;
            }
            match made {
                Made1::Written => written |= 1 << i.min(63),
                Made1::Absent => {}
                Made1::Invalid => {
                    out.truncate(mark);
                    self.walk.invalid = true;
                    self.note(self.walk.cur, NoteKind::InvalidValue { field: row.key });
                }
            }
        }
        for &(field, f) in &layout.not_carried {
            if !f.is_blank(bytes) {
                self.note(self.walk.cur, NoteKind::NotCarried { field });
            }
        }
        written
    }

    /// The entries of group `g` with its qualifying groups `quals`, built alone; `None` (and
    /// nothing written) when it cannot be converted.
    fn child(&mut self, g: usize, quals: (usize, usize), out: &mut Vec<u8>) -> Option<u64> {
        let d = digit(self.groups.get(g)?);
        if change_token(d).is_none() {
            self.note(g, NoteKind::UnmappableChange);
            return None;
        }
        let saved = self.walk.enter(g, quals, d);
        let mark = out.len();
        let written = self.emit_rows(g, out);
        let invalid = self.walk.leave(saved);
        if invalid {
            for q in quals.0..quals.1 {
                self.unplace_if_here(q);
            }
            out.truncate(mark);
            return None;
        }
        Some(written)
    }

    fn rule(&mut self, row: &Row, bytes: &[u8], out: &mut Vec<u8>) -> Made1 {
        let key = &row.json_key;
        let enc = self.enc;
        let str_of = |out: &mut Vec<u8>, f: Option<At>| match f {
            Some(f) if f.src != Src::Date => put_str(out, key, f.bytes(bytes), f.enc(enc)),
            _ => Made1::Absent,
        };
        let date_of = |f: Option<At>| match f {
            Some(f) if f.src == Src::Date => date_of_bytes(f.bytes(bytes)),
            _ => Some(None),
        };
        let [f0, f1] = row.fields;
        match row.rule {
            Rule::Str => str_of(out, f0),
            Rule::Nonzero => match f0 {
                Some(f)
                    if f.src == Src::Digits
                        && crate::field::Digits::from_bytes(f.bytes(bytes)).value() == Some(0) =>
                {
                    Made1::Absent
                }
                _ => str_of(out, f0),
            },
            Rule::DateAlt if !self.opts.both_move_in_spellings => Made1::Absent,
            Rule::Date | Rule::DateAlt => match f0 {
                Some(f) if f.src == Src::Date => match date_of(f0) {
                    Some(Some(v)) => {
                        put_key(out, key);
                        match <&[u8; 8]>::try_from(f.bytes(bytes)) {
                            Ok(digits) => v.write_json_digits(digits, out),
                            Err(_) => v.write_json(out),
                        }
                        Made1::Written
                    }
                    Some(None) => Made1::Absent,
                    None => Made1::Invalid,
                },
                _ => Made1::Absent,
            },
            Rule::Dead => match f0 {
                Some(f) if f.src == Src::Date => match date_of(f0) {
                    Some(v) => {
                        put_key(out, key);
                        out.extend_from_slice(if v.is_some() { b"true" } else { b"false" });
                        Made1::Written
                    }
                    None => Made1::Invalid,
                },
                _ => Made1::Absent,
            },
            Rule::BanActive => match f0 {
                Some(f) if f.src == Src::Date => {
                    let end = VtjDate::from_bytes(f.bytes(bytes));
                    match ban_in_force(self.walk.change_digit, &end, self.facts.registered) {
                        Some(active) => {
                            put_key(out, key);
                            out.extend_from_slice(if active { b"true" } else { b"false" });
                            Made1::Written
                        }
                        None => Made1::Invalid,
                    }
                }
                _ => Made1::Absent,
            },
            Rule::Code(map) => match f0 {
                Some(f) if f.src != Src::Date => {
                    let raw = trim(f.bytes(bytes));
                    if let Some(codes) = &row.codes {
                        let found = (raw.len() <= 8)
                            .then(|| {
                                let (word, len) = (word_of(raw), raw.len());
                                codes.iter().find(|c| c.word == word && c.len == len)
                            })
                            .flatten();
                        return match found {
                            Some(c) => {
                                c.out.put(out);
                                Made1::Written
                            }
                            None => str_of(out, f0),
                        };
                    }
                    match map.pairs.iter().find(|(code, _, _)| code.as_bytes() == raw) {
                        Some((_, token, _)) => {
                            put_key(out, key);
                            write_str(token, out);
                            Made1::Written
                        }
                        None => str_of(out, f0),
                    }
                }
                _ => Made1::Absent,
            },
            Rule::Ml => {
                let text = |f: Option<At>| match f {
                    Some(f) if f.src != Src::Date => {
                        let t = trim(f.bytes(bytes));
                        (!t.is_empty()).then_some((t, f.enc(enc)))
                    }
                    _ => None,
                };
                let (fi, sv) = (text(f0), text(f1));
                if fi.is_none() && sv.is_none() {
                    return Made1::Absent;
                }
                put_key(out, key);
                out.push(b'{');
                if let Some((t, e)) = fi {
                    out.extend_from_slice(b"\"fi\":");
                    write_str_in(t, e, out);
                }
                if let Some((t, e)) = sv {
                    if fi.is_some() {
                        out.push(b',');
                    }
                    out.extend_from_slice(b"\"sv\":");
                    write_str_in(t, e, out);
                }
                out.push(b'}');
                Made1::Written
            }
            Rule::Person => {
                let before = out.len();
                put_key(out, key);
                let at = out.len();
                if let Some(f) = f0.filter(|f| f.src != Src::Date) {
                    const ID: Key = key_of(b",\"henkilotunnus\":");
                    put_str(out, &ID, f.bytes(bytes), f.enc(enc));
                }
                if let Some(q) = self.first_qualifier(b"451") {
                    if self.child(q, (q + 1, q + 1), out).is_some() {
                        self.place(q, Placement::Nested);
                    }
                }
                if out.len() == at {
                    out.truncate(before);
                    return Made1::Absent;
                }
                close_obj(out, at);
                Made1::Written
            }
            Rule::Qualifier => self.qualifier(key, out),
            Rule::PlaceOr452 => match str_of(out, f0) {
                Made1::Absent => self.qualifier(key, out),
                made => made,
            },
            Rule::Rights(only) => {
                if only.is_some() && !self.with_change {
                    return Made1::Absent;
                }
                let before = out.len();
                put_key(out, key);
                out.push(b'[');
                let start = out.len();
                let (from, to) = self.walk.quals;
                for q in from..to {
                    if self.kind(q) != Some(GroupKind::GuardianRight) {
                        continue;
                    }
                    if only.is_some_and(|d| d != digit(&self.groups[q])) {
                        continue;
                    }
                    let mark = out.len();
                    if mark > start {
                        out.push(b',');
                    }
                    let at = out.len();
                    match self.child(q, (q + 1, q + 1), out) {
                        Some(_) => {
                            close_obj(out, at);
                            self.place(q, Placement::Nested);
                        }
                        None => out.truncate(mark),
                    }
                }
                if out.len() == start {
                    out.truncate(before);
                    return Made1::Absent;
                }
                out.push(b']');
                Made1::Written
            }
            Rule::Guardians => self.chain(GroupKind::Trustee, "edunvalvoja", key, out),
            Rule::Attorneys => self.chain(GroupKind::Attorney, "edunvalvontavaltuutettu", key, out),
            Rule::ActiveId => match self.ids_with(b'1').next() {
                Some(id) => put_str(out, key, id, Encoding::Latin1),
                None => Made1::Absent,
            },
            Rule::PreviousIds => {
                let mut ids = self.ids_with(b'2').peekable();
                if ids.peek().is_none() {
                    return Made1::Absent;
                }
                put_key(out, key);
                out.push(b'[');
                let start = out.len();
                for id in ids {
                    let t = trim(id);
                    if t.is_empty() {
                        continue;
                    }
                    if out.len() > start {
                        out.push(b',');
                    }
                    write_str_in(t, Encoding::Latin1, out);
                }
                out.push(b']');
                Made1::Written
            }
        }
    }

    /// The identity codes of the record's 001 groups with this validity.
    fn ids_with(&self, validity: u8) -> impl Iterator<Item = &[u8]> + '_ {
        let fields = self.t.id_correction;
        (0..self.groups.len()).filter_map(move |g| {
            let (id, valid) = fields?;
            if self.kind(g) != Some(GroupKind::IdCorrection) {
                return None;
            }
            let bytes = self.groups[g].bytes;
            (valid.bytes(bytes) == [validity] && !id.is_blank(bytes)).then(|| id.bytes(bytes))
        })
    }

    /// The text of the first unplaced 452 after the current group.
    fn qualifier(&mut self, key: &Key, out: &mut Vec<u8>) -> Made1 {
        let Some(q) = self.first_qualifier(b"452") else {
            return Made1::Absent;
        };
        let d = digit(&self.groups[q]);
        if change_token(d).is_none() {
            self.note(q, NoteKind::UnmappableChange);
            return Made1::Absent;
        }
        let Some(text) = self
            .layout(q)
            .and_then(|l| l.rows.first())
            .and_then(|r| r.fields[0])
        else {
            return Made1::Absent;
        };
        let made = put_str(
            out,
            key,
            text.bytes(self.groups[q].bytes),
            text.enc(self.enc),
        );
        if made == Made1::Written {
            self.place(q, Placement::Nested);
        }
        made
    }

    /// The groups of `kind` that follow the current entry (or start with it), each an object
    /// of the array; one without the person (`person_key`) is left for `LEGACY_`.
    fn chain(&mut self, kind: GroupKind, person_key: &str, key: &Key, out: &mut Vec<u8>) -> Made1 {
        let host_digit = self.walk.change_digit;
        let before = out.len();
        put_key(out, key);
        out.push(b'[');
        let start = out.len();
        let mut e = self.walk.chain_from;
        while let Some(&(g, end)) = self.entries.get(e) {
            let (g, end) = (g as usize, end as usize);
            if self.kind(g) != Some(kind) || !self.is_unplaced(g) {
                break;
            }
            let person_row = self
                .layout(g)
                .and_then(|l| l.rows.iter().position(|r| r.key == person_key));
            let mark = out.len();
            if mark > start {
                out.push(b',');
            }
            let at = out.len();
            if let Some(written) = self.child(g, (g + 1, end), out) {
                if person_row.is_none_or(|i| written & (1 << i.min(63)) == 0) {
                    out.truncate(mark);
                    self.note(g, NoteKind::Unidentified);
                    for q in g + 1..end {
                        self.unplace_if_here(q);
                    }
                    e += 1;
                    continue;
                }
                close_obj(out, at);
                self.place(g, Placement::Nested);
                if digit(&self.groups[g]) != host_digit {
                    self.note(g, NoteKind::NestedChangeNotCarried);
                }
            } else {
                out.truncate(mark);
            }
            e += 1;
        }
        self.walk.consumed_until = self.walk.consumed_until.max(e);
        if out.len() == start {
            out.truncate(before);
            return Made1::Absent;
        }
        out.push(b']');
        Made1::Written
    }

    /// Whether a group's protected fields are removed (the typed path's `is_protected`).
    fn is_protected(&self, g: usize) -> bool {
        let Some(layout) = self.layout(g) else {
            return false;
        };
        let bytes = self.groups[g].bytes;
        if layout.kind == GroupKind::HomeMunicipality {
            return self
                .t
                .home_municipality
                .is_some_and(|f| f.bytes(bytes) == b"000")
                && (self.facts.ban_active || self.facts.placeholder);
        }
        is_placeholder(layout, bytes)
    }
}

/// Whether one of the layout's placeholder fields starts with `***` (after white space; what
/// `trim(…).starts_with(b"***")` gives, the end's spaces never reaching into the stars).
fn is_placeholder(layout: &Layout, bytes: &[u8]) -> bool {
    layout
        .placeholder
        .iter()
        .any(|f| f.bytes(bytes).trim_ascii_start().starts_with(b"***"))
}

impl Fast {
    /// Converts a checked record and appends its JSON to `out` (a `Muutos`, or with
    /// `with_change` false a `Perustieto`), counting it; `false` (nothing written or counted)
    /// when the record is not one the fast path takes.
    pub fn convert(
        &mut self,
        view: &RecordView<'_>,
        opts: &ConvertOptions,
        with_change: bool,
        out: &mut Vec<u8>,
        counts: &mut Counts,
    ) -> bool {
        let t: &'static Tables = &TABLES;
        let enc = view.encoding();
        let Some(header) = view.lines.first().map(|l| l.header) else {
            return false;
        };
        let (Some(id_at), Some(reg_at)) = (t.person_id, t.registered) else {
            return false;
        };
        if !enc.is_single_byte() || header.len() < reg_at.end() {
            return false;
        }
        let groups = &view.groups[..];
        self.layouts.clear();
        for g in groups {
            let fits = g.layout.and_then(|i| {
                let layout = t.layouts.get(i)?.as_ref()?;
                (layout.len == g.bytes.len()).then_some(i as u16)
            });
            match fits {
                Some(i) => self.layouts.push(i),
                None => return false,
            }
        }
        let qualifying = |i: u16| {
            t.layouts
                .get(i as usize)
                .and_then(Option::as_ref)
                .is_some_and(|l| l.qualifying)
        };
        self.entries.clear();
        let mut i = 0;
        while i < groups.len() {
            let mut j = i + 1;
            while self.layouts.get(j).is_some_and(|&l| qualifying(l)) {
                j += 1;
            }
            self.entries.push((i as u32, j as u32));
            i = j;
        }
        self.fates.clear();
        self.fates.resize(groups.len(), (UNSET, Placement::Legacy));
        self.notes.clear();
        self.made.clear();

        let start = out.len();
        out.extend_from_slice(b"{\"henkilotunnus\":");
        write_str_in(trim(id_at.bytes(header)), Encoding::Latin1, out);
        let reg_bytes = reg_at.bytes(header);
        // A full date (`VtjDate::Full`): what `date_of_bytes` reads with day precision.
        let registered = self.months.get(reg_bytes);
        match &registered {
            Some((utc, _)) => {
                if with_change {
                    out.extend_from_slice(b",\"muutospv\":\"");
                    out.extend_from_slice(utc);
                    out.push(b'"');
                }
            }
            None => {
                if with_change {
                    out.extend_from_slice(b",\"muutospv\":\"\"");
                }
                self.notes.push(Note {
                    group: None,
                    kind: NoteKind::InvalidRegistrationDate,
                });
            }
        }
        let registered = registered.map(|(_, ymd)| ymd);
        out.extend_from_slice(b",\"tietoryhmat\":[");
        let mut facts = Facts {
            registered,
            ..Facts::default()
        };
        for (g, &l) in groups.iter().zip(&self.layouts) {
            let Some(layout) = t.layouts.get(l as usize).and_then(Option::as_ref) else {
                continue;
            };
            if layout.kind == GroupKind::NonDisclosure {
                let d = digit(g);
                let end = t
                    .ban_end
                    .map_or(VtjDate::Unknown, |f| VtjDate::from_bytes(f.bytes(g.bytes)));
                if ban_in_force(d, &end, registered) == Some(true) && change_token(d).is_some() {
                    facts.ban_active = true;
                }
            } else if !layout.placeholder.is_empty() && !facts.placeholder {
                facts.placeholder = is_placeholder(layout, g.bytes);
            }
        }
        let entries = std::mem::take(&mut self.entries);
        let layouts = std::mem::take(&mut self.layouts);
        let mut cits = std::mem::take(&mut self.cits);
        let mut scratch = std::mem::take(&mut self.scratch);
        let mut cx = Cx {
            t,
            groups,
            layouts: &layouts,
            entries: &entries,
            enc,
            facts,
            opts,
            with_change,
            fates: &mut self.fates,
            notes: &mut self.notes,
            protected: &mut self.protected,
            walk: Walk::default(),
        };
        let made = &mut self.made;
        let mut e = 0;
        while e < entries.len() {
            cx.walk.consumed_until = e + 1;
            let host = entries[e].0 as usize;
            if cx.is_unplaced(host) {
                top(&mut cx, e, out, made, &mut cits, &mut scratch);
            }
            let last = entries[cx.walk.consumed_until - 1].1 as usize;
            for g in host..last {
                if cx.is_unplaced(g) {
                    legacy(&mut cx, g, out, made);
                }
            }
            e = cx.walk.consumed_until.max(e + 1);
        }
        out.extend_from_slice(b"]}");
        debug_assert!(out.len() > start);
        self.entries = entries;
        self.layouts = layouts;
        self.cits = cits;
        self.scratch = scratch;
        self.notes.sort_unstable();
        self.notes.dedup();
        self.count(groups, counts);
        true
    }

    fn count(&mut self, groups: &[FramedGroup<'_>], counts: &mut Counts) {
        counts.records += 1;
        counts.legacy_groups_in += groups.len() as u64;
        if counts.api_groups.len() < API_NAMES.len() {
            counts.api_groups.resize(API_NAMES.len(), 0);
        }
        for m in &self.made {
            match *m {
                Made::Api(i) => {
                    if let Some(n) = counts.api_groups.get_mut(i as usize) {
                        *n += 1;
                    }
                }
                Made::Legacy(g) => {
                    let code = groups.get(g).map_or([b'?'; 3], FramedGroup::code);
                    let code = std::str::from_utf8(&code).unwrap_or("???");
                    match counts.legacy_groups.get_mut(code) {
                        Some(n) => *n += 1,
                        None => {
                            counts.legacy_groups.insert(code.to_owned(), 1);
                        }
                    }
                }
            }
        }
        for &(_, placement) in &self.fates {
            counts.placements[placement as usize] += 1;
        }
        let code_of = |note: &Note| {
            note.group.map_or(*b"---", |g| {
                groups.get(g).map_or(*b"???", FramedGroup::code)
            })
        };
        if self.defer_notes {
            for note in &self.notes {
                self.pending.add((code_of(note), note.kind), 1, counts);
            }
            return;
        }
        // The record's notes by code and kind first (a record's guardians share theirs), then
        // one look-up in the map per key.
        let keys = &mut self.note_keys;
        keys.clear();
        for note in &self.notes {
            let key = (code_of(note), note.kind);
            match keys.iter_mut().find(|(k, _)| *k == key) {
                Some((_, n)) => *n += 1,
                None => keys.push((key, 1)),
            }
        }
        for &(key, n) in keys.iter() {
            *counts.notes.entry(key).or_default() += n;
        }
    }
}

/// Starts an output group: the separator and `{"tietoryhma":…` with its change value.
fn open_group(cx: &Cx<'_, '_, '_>, out: &mut Vec<u8>, name: u8, change: Option<u8>) {
    if cx.walk.output > 0 {
        out.push(b',');
    }
    if let Some(head) = cx.t.heads.get(name as usize) {
        head.put(out);
    }
    if let Some(d) = change.filter(|_| cx.with_change) {
        cx.t.changes[d as usize].put(out);
    }
}

/// Converts the host of entry `e` into a group of its own (left unplaced when it cannot be).
fn top(
    cx: &mut Cx<'_, '_, '_>,
    e: usize,
    out: &mut Vec<u8>,
    made: &mut Vec<Made>,
    cits: &mut Vec<(u8, u32, u32)>,
    scratch: &mut Vec<u8>,
) {
    let (h, end) = (cx.entries[e].0 as usize, cx.entries[e].1 as usize);
    let Some(layout) = cx.layout(h) else {
        cx.note(h, NoteKind::NoCounterpart);
        return;
    };
    let Some(name) = layout.name else {
        cx.note(h, NoteKind::OrphanQualifier);
        return;
    };
    let d = digit(&cx.groups[h]);
    if change_token(d).is_none() {
        cx.note(h, NoteKind::UnmappableChange);
        return;
    }
    let output = made.len();
    cx.walk.start(output, h, (h + 1, end), d);
    cx.protected.clear();
    let mark = out.len();
    match layout.target {
        Target::Group => {
            cx.walk.protect = cx.is_protected(h);
            cx.walk.chain_from = e + 1;
            open_group(cx, out, name, Some(d));
            cx.emit_rows(h, out);
        }
        Target::Nested => {
            const TRUSTEES: Key = key_of(b",\"nykyisetEdunvalvojat\":");
            const ATTORNEYS: Key = key_of(b",\"nykyisetEdunvalvontavaltuutetut\":");
            cx.walk.chain_from = e;
            open_group(cx, out, name, Some(d));
            let made = if layout.kind == GroupKind::Trustee {
                cx.chain(GroupKind::Trustee, "edunvalvoja", &TRUSTEES, out)
            } else {
                cx.chain(
                    GroupKind::Attorney,
                    "edunvalvontavaltuutettu",
                    &ATTORNEYS,
                    out,
                )
            };
            if made != Made1::Written {
                cx.walk.invalid = true;
            }
        }
        Target::Merged => match citizenship(cx, e, cits, scratch) {
            Some(change) => {
                open_group(cx, out, name, None);
                if cx.with_change {
                    out.extend_from_slice(b",\"muutosattribuutti\":");
                    write_str(change, out);
                }
                write_citizenships(cx.with_change, cits, scratch, out);
            }
            None => cx.walk.invalid = true,
        },
        Target::Qualifier => cx.walk.invalid = true,
    }
    if cx.walk.invalid {
        for f in cx.fates.iter_mut() {
            if f.0 == output {
                *f = (UNSET, Placement::Legacy);
            }
        }
        cx.walk.consumed_until = e + 1;
        out.truncate(mark);
        return;
    }
    if !cx.protected.is_empty() {
        out.extend_from_slice(b",\"turvakiellonAlaisetKentat\":[");
        for (i, key) in cx.protected.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            write_str(key, out);
        }
        out.push(b']');
    }
    out.push(b'}');
    if cx.walk.protect {
        cx.note(h, NoteKind::Protected);
        if !cx.facts.ban_active {
            cx.note(h, NoteKind::PlaceholderWithoutBan);
        }
    }
    if !cx.with_change && !matches!(d, b'0' | b'1') {
        cx.note(h, NoteKind::ChangeDropped);
    }
    made.push(Made::Api(name));
    if cx.is_unplaced(h) {
        cx.place(h, own_placement(layout.target));
    }
}

/// The record's 007 groups from entry `e` on, each object into `scratch` (`cits`): the merged
/// change value, `None` when entry `e`'s own 007 cannot be converted.
fn citizenship(
    cx: &mut Cx<'_, '_, '_>,
    e: usize,
    cits: &mut Vec<(u8, u32, u32)>,
    scratch: &mut Vec<u8>,
) -> Option<&'static str> {
    cits.clear();
    scratch.clear();
    for k in e..cx.entries.len() {
        let (g, end) = (cx.entries[k].0 as usize, cx.entries[k].1 as usize);
        if cx.kind(g) != Some(GroupKind::Citizenship) || !cx.is_unplaced(g) {
            continue;
        }
        let at = scratch.len();
        match cx.child(g, (g + 1, end), scratch) {
            Some(_) => {
                close_obj(scratch, at);
                cits.push((digit(&cx.groups[g]), at as u32, scratch.len() as u32));
                cx.place(g, Placement::Merged);
            }
            None if k == e => return None,
            None => {}
        }
    }
    Some(merged_change(cits.iter().map(|c| c.0)))
}

/// `henkilonKansalaisuudet` and, in changes, the delta list of each change digit.
fn write_citizenships(
    with_change: bool,
    cits: &[(u8, u32, u32)],
    scratch: &[u8],
    out: &mut Vec<u8>,
) {
    let list = |out: &mut Vec<u8>, key: &str, keep: &dyn Fn(u8) -> bool| {
        out.push(b',');
        write_str(key, out);
        out.extend_from_slice(b":[");
        let mut first = true;
        for &(d, from, to) in cits {
            if keep(d) {
                if !first {
                    out.push(b',');
                }
                first = false;
                out.extend_from_slice(scratch.get(from as usize..to as usize).unwrap_or_default());
            }
        }
        out.push(b']');
    };
    list(out, "henkilonKansalaisuudet", &|_| true);
    if !with_change {
        return;
    }
    for (digit, key) in CITIZENSHIP_LISTS {
        if cits.iter().any(|c| c.0 == digit) {
            list(out, key, &|d| d == digit);
        }
    }
}

/// Group `g` as a `LEGACY_<code>` group: its text as in the file.
fn legacy(cx: &mut Cx<'_, '_, '_>, g: usize, out: &mut Vec<u8>, made: &mut Vec<Made>) {
    let group = &cx.groups[g];
    let Some(layout) = cx.layout(g) else {
        return;
    };
    if !made.is_empty() {
        out.push(b',');
    }
    out.extend_from_slice(b"{\"tietoryhma\":\"LEGACY_");
    out.extend_from_slice(&layout.code);
    out.push(b'"');
    if cx.with_change {
        cx.t.changes[digit(group) as usize].put(out);
    }
    out.extend_from_slice(b",\"teksti\":");
    write_str_in(group.bytes, cx.enc, out);
    out.push(b'}');
    if layout.qualifying && cx.notes.iter().all(|n| n.group != Some(g)) {
        cx.note(g, NoteKind::UnusedQualifier);
    }
    cx.walk.output = made.len();
    made.push(Made::Legacy(g));
    cx.place(g, Placement::Legacy);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::person::LAYOUTS;

    #[test]
    fn dates_are_read_as_the_typed_path_reads_them() {
        let mut raws: Vec<Vec<u8>> = vec![b"".to_vec(), b"0000000".to_vec(), b"2019 101".to_vec()];
        for year in [
            "0000", "0001", "1900", "1999", "2000", "2024", "9999", "19x9",
        ] {
            for month in 0..=13 {
                for day in 0..=32 {
                    raws.push(format!("{year}{month:02}{day:02}").into_bytes());
                }
            }
        }
        for raw in &raws {
            if let (Some(Some(v)), Ok(digits)) =
                (date_of_bytes(raw), <&[u8; 8]>::try_from(&raw[..]))
            {
                let (mut a, mut b) = (Vec::new(), Vec::new());
                v.write_json(&mut a);
                v.write_json_digits(digits, &mut b);
                assert_eq!(a, b);
            }
            assert_eq!(
                date_of_bytes(raw),
                super::super::rules::date_val(&VtjDate::from_bytes(raw)),
                "{}",
                String::from_utf8_lossy(raw)
            );
        }
    }

    #[test]
    fn trim_is_trim_ascii() {
        let mut texts: Vec<Vec<u8>> = Vec::new();
        for len in 0..80 {
            for content in [0, 1, 3, 9, 17, 40] {
                for lead in [0, 1, 2] {
                    let mut t = vec![b' '; len];
                    for b in t.iter_mut().take(content.min(len)) {
                        *b = b'x';
                    }
                    t.rotate_right(lead.min(len));
                    texts.push(t.clone());
                    if let Some(last) = t.last_mut() {
                        *last = b'\t';
                    }
                    texts.push(t);
                }
            }
        }
        for t in &texts {
            assert_eq!(trim(t), t.trim_ascii(), "{t:?}");
        }
    }

    #[test]
    fn registration_dates_from_their_months_are_read_as_in_full() {
        let mut raws: Vec<Vec<u8>> = vec![b"".to_vec(), b"2019010".to_vec(), b"201901011".to_vec()];
        for year in [
            "0000", "0001", "1900", "1942", "1996", "2000", "2019", "2024", "9999",
        ] {
            for month in 0..=13 {
                for day in 0..=33 {
                    raws.push(format!("{year}{month:02}{day:02}").into_bytes());
                }
                for dd in ["0x", "x1", " 1", "1 ", "3:", "/1", "  "] {
                    raws.push(format!("{year}{month:02}{dd}").into_bytes());
                }
            }
        }
        let full = |raw: &[u8]| match date_of_bytes(raw) {
            Some(Some(v)) if v.precision == Precision::Day => {
                let mut buf = [0u8; 24];
                super::super::time::muutospv_ymd(v.year, v.month, v.day, &mut buf);
                Some((buf, (v.year, v.month, v.day)))
            }
            _ => None,
        };
        // In order, backwards and in a scattered order: every date once with its month cached
        // and once (at least) without; months that share a slot replace each other.
        let mut months = RegisteredMonths::default();
        let n = raws.len();
        let order = (0..n)
            .chain((0..n).rev())
            .chain((0..n).map(|i| i * 7919 % n));
        for i in order {
            let raw = &raws[i];
            assert_eq!(
                months.get(raw),
                full(raw),
                "{}",
                String::from_utf8_lossy(raw)
            );
        }
    }

    #[test]
    fn pending_notes_count_as_the_map_does() {
        // Field names: the layouts' own, and copies of some at other addresses.
        let mut fields: Vec<&'static str> = vec!["", "street_fi", "first_names", "x"];
        for f in ["street_fi", "first_names", "x"] {
            fields.push(Box::leak(f.to_owned().into_boxed_str()));
        }
        let kinds = |field: &'static str| {
            [
                NoteKind::NotCarried { field },
                NoteKind::InvalidValue { field },
                NoteKind::UnmappableChange,
                NoteKind::NoCounterpart,
                NoteKind::OrphanQualifier,
                NoteKind::UnusedQualifier,
                NoteKind::Unidentified,
                NoteKind::NestedChangeNotCarried,
                NoteKind::ChangeDropped,
                NoteKind::Protected,
                NoteKind::PlaceholderWithoutBan,
                NoteKind::InvalidRegistrationDate,
            ]
        };
        let mut keys = Vec::new();
        for code in 0..40u32 {
            let code = [b'0' + (code / 10) as u8, b'0' + (code % 10) as u8, b'1'];
            for &f in &fields {
                for kind in kinds(f) {
                    keys.push((code, kind));
                }
            }
        }
        // Far more keys than the index holds, in an order that revisits them.
        let (mut pending, mut deferred, mut direct) = (
            PendingNotes::default(),
            Counts::default(),
            Counts::default(),
        );
        let mut x = 12345u64;
        for i in 0..20_000u64 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let span = if i < 10_000 { 300 } else { keys.len() };
            let key = keys[(x >> 33) as usize % span];
            let n = 1 + (x & 3);
            pending.add(key, n, &mut deferred);
            *direct.notes.entry(key).or_default() += n;
            if i == 15_000 {
                pending.flush(&mut deferred);
            }
        }
        pending.flush(&mut deferred);
        assert_eq!(deferred.notes, direct.notes);
        pending.flush(&mut deferred);
        assert_eq!(deferred.notes, direct.notes);
    }

    #[test]
    fn fields_are_two_words_a_row() {
        assert_eq!(std::mem::size_of::<Option<At>>(), 8);
    }

    #[test]
    fn every_layout_compiles() {
        for (i, kind) in KINDS.iter().enumerate() {
            assert!(TABLES.layouts[i].is_some(), "{kind:?}");
            assert_eq!(LAYOUTS[i].code, TABLES.layouts[i].as_ref().unwrap().code);
        }
        assert!(TABLES.id_correction.is_some() && TABLES.ban_end.is_some());
        assert!(TABLES.home_municipality.is_some());
        assert!(TABLES.person_id.is_some() && TABLES.registered.is_some());
    }
}
