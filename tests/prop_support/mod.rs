//! Strategies shared by the `prop_*` tests: one per field type, typed groups of every layout,
//! headers, and the positions where each field of a written line starts.
//!
//! A group is drawn as a list of owned [`Val`]s, one per field of its layout ([`vals_for`]),
//! and then built into the crate's typed struct by [`build_group`], which names every field of
//! every struct (and checks the names against the layout, so a layout change shows up here).

#![allow(dead_code)]

use muutostieto::field::{Code, CodeTable, Digits, MunicipalityCode, PersonId, Text, VtjDate};
use muutostieto::hetu::{check_character_for, Hetu};
use muutostieto::layout::{FieldDef, FieldKind};
use muutostieto::person::codes::{ChangeType, Country};
use muutostieto::person::*;
use muutostieto::Encoding;

use chrono::{Datelike, NaiveDate};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{select, Index};

/// Letters seen in Finnish, Swedish and foreign names, beyond ASCII.
const LATIN1_LETTERS: &str = "äöåÄÖÅéèêëüÜßæøÆØþÞðÐñÑçÇáíóúÁÉÍÓÚýÿ£§°µ×÷«»¡¿©®";
/// The eight Latin-1 characters that ISO-8859-15 replaced.
const LATIN1_ONLY: &str = "¤¦¨´¸¼½¾";
/// Their replacements in ISO-8859-15.
const LATIN9_ONLY: &str = "€ŠšŽžŒœŸ";
/// Characters only UTF-8 files can hold (2, 3 and 4 bytes).
const BEYOND_LATIN: &str = "ŁłŐőąČěŘ€漢😀";

/// Realistic names and places (each written in every encoding that can hold it).
const NAMES: &[&str] = &[
    "Virtanen",
    "Pälömäki",
    "Hämäläinen",
    "Åberg",
    "Öhman",
    "Sjöström",
    "Straße",
    "Þórsdóttir",
    "Ærøe",
    "Núñez",
    "Gonçalves",
    "Šimková",
    "Žukauskas",
    "Œhlenschläger",
    "Ÿvonne",
    "Hanna Henriikka",
    "José María",
    "Mannerheimintie",
    "Östra Esplanaden",
    "Friedrichstraße 12",
    "SE-111 22 STOCKHOLM",
    "maija.meikalainen@example.com",
    "viittomakieli",
    "P501",
    "XBX",
    "1",
    "text with a | inside",
    "€ 12,50",
    "½ tuntia",
];

/// Every character a text strategy draws from, for text that can be written in all of `encs`.
pub fn alphabet(encs: &[Encoding]) -> Vec<char> {
    let mut all: Vec<char> = (' '..='~').collect();
    for s in [LATIN1_LETTERS, LATIN1_ONLY, LATIN9_ONLY, BEYOND_LATIN] {
        all.extend(s.chars());
    }
    all.into_iter()
        .filter(|c| {
            let s = c.to_string();
            encs.iter().all(|e| e.encode(&s).is_ok())
        })
        .collect()
}

/// One field's value, owned, so that typed values can borrow from it.
#[derive(Debug, Clone)]
pub enum Val {
    /// Text: the string, its bytes in the file's encoding, and whether the typed value is built
    /// from those bytes (as read from a file) or from the string (as built in code).
    Text {
        s: String,
        bytes: Vec<u8>,
        enc: Encoding,
        from_bytes: bool,
    },
    /// A number that fits the width, or blank.
    Digits(Option<u64>),
    /// A date in one of the forms the register uses.
    Date(DateVal),
    /// A known code (an index into the table) or the bytes of an unknown one.
    Code {
        pick: Index,
        unknown: Option<Vec<u8>>,
    },
    /// A person id (valid test id or anything else), or blank.
    Id(Option<Vec<u8>>),
    /// A municipality number's bytes (digits known to the table or not, blank, or not digits).
    Municipality(Vec<u8>),
}

/// The forms of a date field.
#[derive(Debug, Clone)]
pub enum DateVal {
    Full(NaiveDate),
    YearMonth(u16, u8),
    Year(u16),
    Unknown,
    Indefinite,
    Invalid([u8; 8]),
}

/// Text that fits `width` characters and can be written in `enc`: realistic names, or random
/// strings over the encoding's letters (including `|`, which framing must not take as a separator).
/// `also`, when given, is a second encoding the text must be writable in (for transcoding).
pub fn text(enc: Encoding, also: Option<Encoding>, width: usize) -> BoxedStrategy<Val> {
    let encs: Vec<Encoding> = std::iter::once(enc).chain(also).collect();
    let letters = alphabet(&encs);
    let pool: Vec<&'static str> = NAMES
        .iter()
        .copied()
        .filter(|s| s.chars().count() <= width && encs.iter().all(|e| e.encode(s).is_ok()))
        .collect();
    let random = vec(select(letters), 0..=width).prop_map(String::from_iter);
    let s = if pool.is_empty() {
        random.boxed()
    } else {
        prop_oneof![2 => select(pool).prop_map(String::from), 3 => random].boxed()
    };
    (s, any::<bool>())
        .prop_map(move |(s, from_bytes)| {
            let bytes = enc
                .encode(&s)
                .expect("drawn from the alphabet")
                .into_owned();
            Val::Text {
                s,
                bytes,
                enc,
                from_bytes,
            }
        })
        .boxed()
}

/// A zero-padded number that fits `width`, or blank.
pub fn digits(width: usize) -> BoxedStrategy<Val> {
    let max = 10u64.saturating_pow(width.min(19) as u32);
    prop_oneof![
        1 => Just(Val::Digits(None)),
        5 => (0..max).prop_map(|n| Val::Digits(Some(n))),
    ]
    .boxed()
}

fn full_date(years: std::ops::RangeInclusive<i32>) -> impl Strategy<Value = DateVal> {
    (years, 1u32..=366)
        .prop_filter_map("no such day", |(y, o)| NaiveDate::from_yo_opt(y, o))
        .prop_map(DateVal::Full)
}

/// Dates: full (mostly 1900–2030, any year 1–9999 too), `yyyymm00`, `yyyy0000`, `00000000`,
/// `99990000`, and invalid forms (a non-digit, or digits that are no date).
pub fn date() -> BoxedStrategy<Val> {
    let nondigit = (
        proptest::array::uniform8(select(b"0123456789".to_vec())),
        0..8usize,
        select(b" AXx-/.:".to_vec()),
    )
        .prop_map(|(mut b, at, c)| {
            b[at] = c;
            b
        });
    let bad_digits = select(vec![
        *b"20170230",
        *b"20171300",
        *b"00000101",
        *b"00001200",
        *b"20170005",
        *b"19991331",
        *b"99990001",
        *b"20230229",
    ]);
    prop_oneof![
        6 => full_date(1900..=2030),
        1 => full_date(1..=9999),
        1 => (1u16..=9999, 1u8..=12).prop_map(|(y, m)| DateVal::YearMonth(y, m)),
        // Year(9999) is written 99990000, which means "indefinite": see the report.
        1 => (1u16..=9998).prop_map(DateVal::Year),
        2 => Just(DateVal::Unknown),
        1 => Just(DateVal::Indefinite),
        1 => prop_oneof![nondigit, bad_digits].prop_map(DateVal::Invalid),
    ]
    .prop_map(Val::Date)
    .boxed()
}

/// A code of `width` characters: mostly a known value of the field's table, sometimes other
/// characters (kept as `Code::Unknown`, warned about for closed tables): code-like ones, or
/// anything an id can hold in the file's encoding ([`id_units`]: `|`, controls, bytes
/// 0x80–0xFF, multibyte characters in UTF-8).
pub fn code(width: usize, enc: Encoding, also: Option<Encoding>) -> BoxedStrategy<Val> {
    let encs: Vec<Encoding> = std::iter::once(enc).chain(also).collect();
    let unknown = prop_oneof![
        3 => vec(select(b"0123456789ABCXYZ ".to_vec()), width),
        1 => vec(select(id_units(&encs)), width).prop_map(|c| c.concat()),
    ];
    (any::<Index>(), prop::option::weighted(0.2, unknown))
        .prop_map(|(pick, unknown)| Val::Code { pick, unknown })
        .boxed()
}

/// A municipality number: a current or merged one, any three digits, blank, or not digits.
pub fn municipality() -> BoxedStrategy<Val> {
    prop_oneof![
        4 => prop::sample::select(muutostieto::municipality::MUNICIPALITIES)
            .prop_map(|m| Val::Municipality(m.code.as_bytes().to_vec())),
        2 => vec(select(b"0123456789".to_vec()), 3).prop_map(Val::Municipality),
        1 => Just(Val::Municipality(b"   ".to_vec())),
        1 => vec(select(b"0123456789AX- ".to_vec()), 3).prop_map(Val::Municipality),
    ]
    .boxed()
}

/// The century signs of each century (`src/hetu.rs`): `+` for the 1800s; `-` and, since 2023,
/// `Y X W V U` for the 1900s; `A` and, since 2023, `B C D E F` for the 2000s.
pub const CENTURY_SIGNS: [(i32, &[u8]); 3] = [(1800, b"+"), (1900, b"-YXWVU"), (2000, b"ABCDEF")];

/// The signs that stand for the century of `year` (1800–2099).
pub fn signs_for(year: i32) -> &'static [u8] {
    CENTURY_SIGNS
        .iter()
        .rev()
        .find(|(base, _)| year >= *base)
        .map_or(b"+", |(_, s)| *s)
}

/// A valid test id (individual number 900–999, born 1800–2099) with any century sign of its
/// century, the 2023 signs included.
pub fn test_id() -> impl Strategy<Value = Vec<u8>> {
    (full_date(1800..=2099), 900u16..=999, any::<Index>()).prop_map(|(d, ind, sign)| {
        let DateVal::Full(d) = d else { unreachable!() };
        let mut id = Hetu::make(d, ind, false).expect("in range");
        // The check character does not depend on the sign.
        id[6] = *sign.get(signs_for(d.year()));
        id.to_vec()
    })
}

/// `DDMMYY`, sign, individual number and the check character that fits them.
fn assemble(day: u32, month: u32, yy: u32, sign: u8, individual: u16) -> Vec<u8> {
    let mut id = format!("{day:02}{month:02}{yy:02}").into_bytes();
    id.push(sign);
    id.extend(format!("{individual:03}").bytes());
    id.push(check_character_for(
        day * 10_000 + month * 100 + yy,
        individual,
    ));
    id
}

/// Eleven ASCII bytes, nearly an id: a wrong check character (another one of the alphabet, lower
/// case, a space), a byte that is no century sign, a sign whose century has no such date (29
/// February 1900), a day or month that does not exist, individual number 000 or 001 (never
/// issued), a non-digit in the date or the number. Mostly invalid; a few happen to be valid
/// (the tests ask `Hetu::parse` which).
pub fn near_id() -> impl Strategy<Value = Vec<u8>> {
    let wrong_check = (
        test_id(),
        select(b"0123456789ABCDEFHJKLMNPRSTUVWXYabcdefhjkyzGIOQZ -+".to_vec()),
    )
        .prop_map(|(mut id, c)| {
            id[10] = if id[10] == c { b'G' } else { c };
            id
        });
    let bad_sign = (test_id(), select(b"ZGHIayfx*0 /|.=_".to_vec())).prop_map(|(mut id, c)| {
        id[6] = c;
        id
    });
    let signs: Vec<u8> = CENTURY_SIGNS
        .iter()
        .flat_map(|(_, s)| s.iter().copied())
        .collect();
    let bad_date = (
        select(vec![0u32, 1, 28, 29, 30, 31, 32, 99]),
        select(vec![0u32, 1, 2, 4, 12, 13, 99]),
        0u32..100,
        select(signs),
        900u16..=999,
    )
        .prop_map(|(d, m, y, s, i)| assemble(d, m, y, s, i));
    let unissued = (full_date(1800..=2099), 0u16..=1, any::<Index>()).prop_map(|(d, i, sign)| {
        let DateVal::Full(d) = d else { unreachable!() };
        let yy = d.year().rem_euclid(100) as u32;
        assemble(d.day(), d.month(), yy, *sign.get(signs_for(d.year())), i)
    });
    let non_digit =
        (test_id(), 0..10usize, select(b"Oo lI-A+x".to_vec())).prop_map(|(mut id, at, c)| {
            let at = if at >= 6 { at + 1 } else { at };
            id[at] = c;
            id
        });
    prop_oneof![wrong_check, bad_sign, bad_date, unissued, non_digit]
}

/// Bytes that are odd in an id: `|` (the group separator), `'` (envelope lines start `'''`),
/// C0 controls other than CR and LF, DEL, and every byte 0x80–0xFF.
pub fn odd_bytes() -> Vec<u8> {
    let mut v: Vec<u8> = b"|'\0\t\x0b\x0c\x1b\x1f\x7f".to_vec();
    v.extend(0x80..=0xFFu8);
    v
}

/// The pieces an id in a file of every one of `encs` can be made of, one character each, with
/// its bytes. One encoding: printable ASCII, the odd bytes that are one character there (in
/// UTF-8, bytes 0xC0–0xFF alone are stray lead bytes, one character each; bytes 0x80–0xBF
/// would count as part of the character before, moving the field's end, and are left to
/// `prop_bytes`), and in UTF-8 also 2-, 3- and 4-byte characters. Several encodings (a value
/// transcoded): only characters written with the same bytes in all of them, since an id is
/// bytes and is not transcoded as text.
pub fn id_units(encs: &[Encoding]) -> Vec<Vec<u8>> {
    let mut units: Vec<Vec<u8>> = (b' '..=b'~').map(|b| vec![b]).collect();
    let same = encs.windows(2).all(|w| w[0] == w[1]);
    if same {
        let enc = encs[0];
        for b in odd_bytes() {
            if enc.is_single_byte() || !(0x80..0xC0).contains(&b) {
                units.push(vec![b]);
            }
        }
        if enc == Encoding::Utf8 {
            units.extend(
                ["ä", "Å", "€", "Š", "ł", "漢", "😀", "\u{a0}", "\u{85}"]
                    .iter()
                    .map(|c| c.as_bytes().to_vec()),
            );
        }
    } else {
        let chars = b"|'\0\t\x1b\x7f".iter().map(|&b| char::from(b));
        for c in chars
            .chain(LATIN1_LETTERS.chars())
            .chain(LATIN9_ONLY.chars())
        {
            let s = c.to_string();
            let bytes: Vec<_> = encs.iter().map(|e| e.encode(&s).ok()).collect();
            if let Some(Some(b)) = bytes.first() {
                if bytes.iter().all(|x| x.as_ref() == Some(b)) {
                    units.push(b.to_vec());
                }
            }
        }
    }
    units
}

/// An id with odd characters (at most 11): a valid test id with one to three characters replaced
/// by odd ones (see [`id_units`]), or up to 11 characters of anything.
pub fn odd_id(encs: &[Encoding]) -> BoxedStrategy<Vec<u8>> {
    let units = id_units(encs);
    let odd: Vec<Vec<u8>> = units
        .iter()
        .filter(|u| u.len() > 1 || !u[0].is_ascii_alphanumeric())
        .cloned()
        .collect();
    let replaced = (test_id(), vec((0..11usize, select(odd)), 1..=3)).prop_map(|(id, subs)| {
        let mut chars: Vec<Vec<u8>> = id.iter().map(|&b| vec![b]).collect();
        for (at, u) in subs {
            chars[at] = u;
        }
        chars.concat()
    });
    let random = vec(select(units), 0..=11).prop_map(|c| c.concat());
    prop_oneof![replaced, random].boxed()
}

/// Person ids in a file of encoding `enc` (and `also`, when given): valid test ids with every
/// century sign (the 2023 ones included), blank (built blank or 11 spaces), near ids (wrong
/// check character, sign, date or number), and ids with odd characters (`|`, `'`, controls,
/// Latin-1 bytes 0x80–0xFF, stray UTF-8 lead bytes, multibyte characters in UTF-8), shorter
/// ones padded. All but the valid and blank ones are warned about and kept byte for byte.
pub fn person_id(enc: Encoding, also: Option<Encoding>) -> BoxedStrategy<Val> {
    let encs: Vec<Encoding> = std::iter::once(enc).chain(also).collect();
    prop_oneof![
        6 => test_id().prop_map(|id| Val::Id(Some(id))),
        1 => Just(Val::Id(None)),
        1 => Just(Val::Id(Some(vec![b' '; 11]))),
        2 => near_id().prop_map(|id| Val::Id(Some(id))),
        2 => odd_id(&encs)
            // At the start of a line, `'''` makes an envelope line.
            .prop_filter("not an envelope line", |id| !id.starts_with(b"'''"))
            .prop_map(|id| Val::Id(Some(id))),
    ]
    .boxed()
}

/// Eleven bytes for a person-id list (`.HTT`) entry or the id-list builder: valid test ids with
/// every century sign (mostly), near ids, 11 spaces, and 11 bytes of anything (odd bytes, CR
/// and LF included).
pub fn list_id() -> BoxedStrategy<Vec<u8>> {
    let mut any_byte = odd_bytes();
    any_byte.extend(b"\r\n0123456789-+AYB ");
    prop_oneof![
        8 => test_id(),
        2 => near_id(),
        1 => Just(vec![b' '; 11]),
        1 => (test_id(), 0..11usize, select(any_byte.clone())).prop_map(|(mut id, at, b)| {
            id[at] = b;
            id
        }),
        1 => vec(select(any_byte), 11),
    ]
    .boxed()
}

/// A strategy for one field of a layout, in a file of encoding `enc` (text also writable in
/// `also`, when given).
pub fn field(def: &FieldDef, enc: Encoding, also: Option<Encoding>) -> BoxedStrategy<Val> {
    match def.kind {
        FieldKind::Text | FieldKind::Char => text(enc, also, def.len),
        FieldKind::Digits => digits(def.len),
        FieldKind::Date => date(),
        FieldKind::Code => code(def.len, enc, also),
        FieldKind::PersonId => person_id(enc, also),
        FieldKind::Municipality => municipality(),
        // Kinds of other record families (building ids): not in person layouts.
        _ => text(enc, also, def.len),
    }
}

/// Values for every field of a group layout.
pub fn vals_for(kind: GroupKind, enc: Encoding, also: Option<Encoding>) -> Vec<BoxedStrategy<Val>> {
    kind.layout()
        .fields
        .iter()
        .map(|f| field(f, enc, also))
        .collect()
}

/// A typed value from a [`Val`], and the diagnostic the parser must give for it, if any.
pub trait FromVal<'v>: Sized {
    fn from_val(v: &'v Val) -> (Self, Option<&'static str>);
}

impl<'v> FromVal<'v> for Text<'v> {
    fn from_val(v: &'v Val) -> (Self, Option<&'static str>) {
        let Val::Text {
            s,
            bytes,
            enc,
            from_bytes,
        } = v
        else {
            panic!("layout says text, value is {v:?}")
        };
        let t = if *from_bytes {
            Text::from_bytes(bytes, *enc)
        } else {
            Text::new(s)
        };
        (t, None)
    }
}

impl<'v> FromVal<'v> for Digits<'v> {
    fn from_val(v: &'v Val) -> (Self, Option<&'static str>) {
        match v {
            Val::Digits(None) => (Digits::blank(), None),
            Val::Digits(Some(n)) => (Digits::number(*n), None),
            _ => panic!("layout says digits, value is {v:?}"),
        }
    }
}

impl<'v> FromVal<'v> for VtjDate<'v> {
    fn from_val(v: &'v Val) -> (Self, Option<&'static str>) {
        let Val::Date(d) = v else {
            panic!("layout says date, value is {v:?}")
        };
        match d {
            DateVal::Full(d) => (VtjDate::Full(*d), None),
            DateVal::YearMonth(year, month) => (
                VtjDate::YearMonth {
                    year: *year,
                    month: *month,
                },
                None,
            ),
            DateVal::Year(y) => (VtjDate::Year(*y), None),
            DateVal::Unknown => (VtjDate::Unknown, None),
            DateVal::Indefinite => (VtjDate::Indefinite, None),
            DateVal::Invalid(raw) => (VtjDate::Invalid(raw), Some("invalid_date")),
        }
    }
}

impl<'v, T: CodeTable> FromVal<'v> for Code<'v, T> {
    fn from_val(v: &'v Val) -> (Self, Option<&'static str>) {
        let Val::Code { pick, unknown } = v else {
            panic!("layout says code, value is {v:?}")
        };
        match unknown.as_deref().map(|b| (b, T::from_code(b))) {
            // Bytes that happen to be a known code are that code.
            Some((_, Some(t))) => (Code::Known(t), None),
            Some((b, None)) => (Code::Unknown(b), T::CLOSED.then_some("unknown_code")),
            None => (Code::Known(pick.get(T::ENTRIES).1), None),
        }
    }
}

impl<'v> FromVal<'v> for MunicipalityCode<'v> {
    fn from_val(v: &'v Val) -> (Self, Option<&'static str>) {
        let Val::Municipality(b) = v else {
            panic!("layout says municipality, value is {v:?}")
        };
        let blank = b.iter().all(|&c| c == b' ');
        let digits = b.iter().all(u8::is_ascii_digit);
        let problem = (!blank && !digits).then_some("not_digits");
        (MunicipalityCode::from_bytes(b), problem)
    }
}

impl<'v> FromVal<'v> for PersonId<'v> {
    fn from_val(v: &'v Val) -> (Self, Option<&'static str>) {
        match v {
            Val::Id(None) => (PersonId::blank(), None),
            Val::Id(Some(b)) => {
                let bad = !b.trim_ascii_end().is_empty() && Hetu::parse(b).is_err();
                (PersonId::from_bytes(b), bad.then_some("invalid_person_id"))
            }
            _ => panic!("layout says person id, value is {v:?}"),
        }
    }
}

/// Hands out typed field values in layout order and remembers the diagnostics they call for.
pub struct Src<'v, 'e> {
    vals: std::slice::Iter<'v, Val>,
    fields: std::slice::Iter<'static, FieldDef>,
    /// For every field handed out, in order: the diagnostic kind it calls for, if any.
    pub expected: &'e mut Vec<Option<&'static str>>,
}

impl<'v, 'e> Src<'v, 'e> {
    pub fn new(
        vals: &'v [Val],
        fields: &'static [FieldDef],
        expected: &'e mut Vec<Option<&'static str>>,
    ) -> Self {
        assert_eq!(vals.len(), fields.len());
        Src {
            vals: vals.iter(),
            fields: fields.iter(),
            expected,
        }
    }

    pub fn next<T: FromVal<'v>>(&mut self, name: &str) -> T {
        let def = self.fields.next().expect("more values than fields");
        assert_eq!(
            def.name, name,
            "the test's field list is out of step with the layout"
        );
        let (value, diag) = T::from_val(self.vals.next().expect("a value per field"));
        self.expected.push(diag);
        value
    }
}

macro_rules! build {
    ($vals:expr, $expected:expr, $Struct:ident { $($f:ident),+ $(,)? }) => {{
        let mut src = Src::new($vals, $Struct::FIELDS, $expected);
        let built = $Struct { $($f: src.next(stringify!($f)),)+ };
        assert!(src.fields.next().is_none(), "the test's field list misses fields");
        built
    }};
}

/// The typed group of `kind` with the values `vals`; the diagnostic each field calls for (if
/// any) is appended to `expected`.
pub fn build_group<'v>(
    kind: GroupKind,
    vals: &'v [Val],
    expected: &mut Vec<Option<&'static str>>,
) -> Group<'v> {
    let e = expected;
    match kind {
        GroupKind::IdCorrection => Group::IdCorrection(build!(
            vals,
            e,
            IdCorrection {
                change,
                person_id,
                validity
            }
        )),
        GroupKind::MotherTongue => {
            Group::MotherTongue(build!(vals, e, MotherTongue { change, language }))
        }
        GroupKind::Sex => Group::Sex(build!(vals, e, SexGroup { change, sex })),
        GroupKind::CurrentName => Group::CurrentName(build!(
            vals,
            e,
            CurrentName {
                change,
                last_name,
                first_names,
                updated,
                special_characters
            }
        )),
        GroupKind::NameHistory | GroupKind::CallName => {
            let g = build!(
                vals,
                e,
                NameEntry {
                    change,
                    name,
                    name_kind,
                    start,
                    end,
                    non_standard_characters
                }
            );
            if kind == GroupKind::NameHistory {
                Group::NameHistory(g)
            } else {
                Group::CallName(g)
            }
        }
        GroupKind::Citizenship => Group::Citizenship(build!(
            vals,
            e,
            Citizenship {
                change,
                country,
                validity,
                start,
                end
            }
        )),
        GroupKind::BirthMunicipality => Group::BirthMunicipality(build!(
            vals,
            e,
            BirthMunicipality {
                change,
                municipality
            }
        )),
        GroupKind::ForeignBirthplace => Group::ForeignBirthplace(build!(
            vals,
            e,
            ForeignBirthplace {
                change,
                country,
                place
            }
        )),
        GroupKind::DateOfDeath => Group::DateOfDeath(build!(vals, e, DateOfDeath { change, date })),
        GroupKind::NonDisclosure => {
            Group::NonDisclosure(build!(vals, e, NonDisclosure { change, end }))
        }
        GroupKind::PermanentAddress | GroupKind::TemporaryAddress => {
            let g = build!(
                vals,
                e,
                DomesticAddress {
                    change,
                    street_fi,
                    street_sv,
                    house_number,
                    staircase,
                    apartment,
                    division_letter,
                    postal_code,
                    start,
                    end
                }
            );
            if kind == GroupKind::PermanentAddress {
                Group::PermanentAddress(g)
            } else {
                Group::TemporaryAddress(g)
            }
        }
        GroupKind::PostalAddress => Group::PostalAddress(build!(
            vals,
            e,
            PostalAddress {
                change,
                address_fi,
                address_sv,
                postal_code,
                start,
                end
            }
        )),
        GroupKind::PermanentForeignAddress | GroupKind::TemporaryForeignAddress => {
            let g = build!(
                vals,
                e,
                ForeignAddress {
                    change,
                    street,
                    locality,
                    country,
                    start,
                    end
                }
            );
            if kind == GroupKind::PermanentForeignAddress {
                Group::PermanentForeignAddress(g)
            } else {
                Group::TemporaryForeignAddress(g)
            }
        }
        GroupKind::HomeMunicipality => Group::HomeMunicipality(build!(
            vals,
            e,
            HomeMunicipality {
                change,
                municipality,
                moved_in
            }
        )),
        GroupKind::GuardianLegacy => Group::GuardianLegacy(build!(
            vals,
            e,
            GuardianLegacy {
                change,
                guardian_id,
                relationship,
                custody_division,
                validity,
                start,
                end,
                decision_date
            }
        )),
        GroupKind::Guardian => Group::Guardian(build!(
            vals,
            e,
            Guardian {
                change,
                guardian_id,
                kind,
                role,
                start,
                end,
                residence,
                residence_start,
                residence_end
            }
        )),
        GroupKind::Guardianship => Group::Guardianship(build!(
            vals,
            e,
            Guardianship {
                change,
                start,
                end,
                duties_divided,
                legal_capacity,
                trustee_count
            }
        )),
        GroupKind::Trustee => Group::Trustee(build!(
            vals,
            e,
            Trustee {
                change,
                trustee_id,
                business_id,
                municipality,
                legal_aid_office,
                start,
                end
            }
        )),
        GroupKind::PowerOfAttorney => Group::PowerOfAttorney(build!(
            vals,
            e,
            PowerOfAttorney {
                change,
                start,
                end,
                duties_divided,
                attorney_count
            }
        )),
        GroupKind::Attorney => Group::Attorney(build!(
            vals,
            e,
            Attorney {
                change,
                attorney_id,
                start,
                end
            }
        )),
        GroupKind::GuardianRight => Group::GuardianRight(build!(
            vals,
            e,
            GuardianRight {
                change,
                right,
                start,
                end
            }
        )),
        GroupKind::Occupation => Group::Occupation(build!(
            vals,
            e,
            Occupation {
                change,
                occupation_code,
                title
            }
        )),
        GroupKind::Email => Group::Email(build!(
            vals,
            e,
            Email {
                change,
                kind,
                address,
                start,
                end
            }
        )),
        GroupKind::ForeignPersonId => Group::ForeignPersonId(build!(
            vals,
            e,
            ForeignPersonId {
                change,
                foreign_id,
                sex,
                country,
                source,
                id_type,
                validity,
                issued,
                passivated,
                stored_in_vtj,
                passivated_in_vtj,
                valid_in_vtj
            }
        )),
        GroupKind::PersonWithoutId => Group::PersonWithoutId(build!(
            vals,
            e,
            PersonWithoutId {
                change,
                birth_date,
                sex,
                last_name,
                first_names,
                citizenship
            }
        )),
        GroupKind::AdditionalInfo => {
            Group::AdditionalInfo(build!(vals, e, AdditionalInfo { change, text }))
        }
    }
}

/// Header values: the change type is never `J` (that would make a continuation line) and the
/// role never `J` (reported as a misplaced continuation flag); both are tested in `prop_lines`.
pub fn header_vals(enc: Encoding, also: Option<Encoding>) -> Vec<BoxedStrategy<Val>> {
    Header::FIELDS
        .iter()
        .map(|f| match f.name.as_ref() {
            "change_type" => (any::<Index>(), select(vec![&b"0"[..], b"1", b"7"]))
                .prop_map(|(pick, c)| Val::Code {
                    pick,
                    unknown: Some(c.to_vec()),
                })
                .boxed(),
            // An open table with no named values: every role is an unknown code.
            "role" => (
                any::<Index>(),
                select(vec![&b"1"[..], b"2", b"5", b"6", b" ", b"x"]),
            )
                .prop_map(|(pick, r)| Val::Code {
                    pick,
                    unknown: Some(r.to_vec()),
                })
                .boxed(),
            _ => field(f, enc, also),
        })
        .collect()
}

/// A typed header from values drawn by [`header_vals`].
pub fn build_header<'v>(vals: &'v [Val], expected: &mut Vec<Option<&'static str>>) -> Header<'v> {
    build!(
        vals,
        expected,
        Header {
            person_id,
            event,
            registered,
            change_type,
            role
        }
    )
}

/// A fixed, valid header for tests about groups.
pub fn plain_header(change_type: ChangeType) -> Header<'static> {
    Header {
        person_id: PersonId::new("010101-900R"),
        event: Code::Unknown(b"XBX"),
        registered: VtjDate::full(2017, 2, 8).expect("a date"),
        change_type: Code::Known(change_type),
        role: Code::Unknown(b"1"),
    }
}

/// Byte columns where each field starts in a written line: `(column, field name, width in
/// bytes)` for the header and for every group whose layout the writer used (typed groups).
pub fn field_columns(
    line: &[u8],
    enc: Encoding,
    groups: &[Group<'_>],
) -> Vec<(usize, &'static str, usize)> {
    let mut out = Vec::new();
    let name = |f: &'static FieldDef| match &f.name {
        std::borrow::Cow::Borrowed(s) => *s,
        std::borrow::Cow::Owned(_) => "?",
    };
    for f in Header::FIELDS {
        let start = enc.byte_offset(line, f.offset);
        let end = enc.byte_offset(line, f.end());
        out.push((start, name(f), end - start));
    }
    let mut p = enc.byte_offset(line, 26);
    for g in groups {
        assert_eq!(line.get(p), Some(&b'|'), "a separator before each group");
        p += 1;
        let rest = &line[p..];
        if let Some(layout) = g.layout() {
            for f in layout.fields.iter() {
                let start = enc.byte_offset(rest, f.offset);
                let end = enc.byte_offset(rest, f.end());
                out.push((p + start, name(f), end - start));
            }
            p += enc.byte_offset(rest, layout.len);
        } else if let Group::Raw(r) = g {
            p += r.bytes.len();
        }
    }
    out
}

/// Kinds that are not qualifying (hosts).
pub fn host_kinds() -> Vec<GroupKind> {
    KINDS
        .iter()
        .copied()
        .filter(|k| !k.layout().qualifying)
        .collect()
}

/// A country code that means "given as text".
pub fn given_as_text() -> Code<'static, Country> {
    Code::Known(Country::GivenAsText)
}
