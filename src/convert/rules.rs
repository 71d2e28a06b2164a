//! The rules that the mapping table ([`super::table`]) names: each turns legacy field values
//! (or, for record-level rules, the record around the group) into one JSON value. Every rule
//! has a description in [`RULE_DOCS`], which the generated documentation prints.

use crate::encoding::Encoding;
use crate::field::{Code, CodeTable, Digits, MunicipalityCode, PersonId, Text, VtjDate};
use crate::person::{Group, GroupKind};

use super::build::Cx;
use super::out::{DateVal, Precision, Val};
use super::table::CodeMap;
use super::{NoteKind, Placement};

/// What each rule does, for the generated documentation.
pub const RULE_DOCS: &[(&str, &str)] = &[
    ("text", "text decoded in the file's encoding, spaces trimmed; left out when empty"),
    ("id", "the identity code as it stands, trimmed; left out when blank"),
    ("digits", "the digits as they stand (leading zeros kept); left out when blank"),
    ("nonzero", "the digits as they stand; left out when blank or all zeros (`000` = no apartment)"),
    ("date", "a date (`{arvo, tarkkuus}`, see Dates); `00000000` and `99990000` leave the field out; an invalid date sends the group to `LEGACY_`"),
    ("date_alt", "the same date again under the second spelling the API uses (option `both_move_in_spellings`, on by default)"),
    ("code", "the code's API enum name from the code map named; another code as it stands; left out when blank (unless the map names blank)"),
    ("raw", "the code as it stands, trimmed; left out when blank"),
    ("ml", "multilingual text `{fi, sv}` from the Finnish and Swedish fields; a language left out when empty, the field when both are"),
    ("person", "a nested person (`HenkiloViite`): `henkilotunnus` from this field when not blank, and the fields of the first 451 qualifying group (`syntymapv`, `sukupuoli`, `sukunimi`, `etunimet`, `kansalaisuuskoodi`); left out when both are missing"),
    ("qualifier", "the text of the first 452 qualifying group after this group"),
    ("place_or_452", "the place; when blank, the text of the first 452 qualifying group"),
    ("rights", "every 320 qualifying group after this 305, in order, as `{oikeus, oikeudenAlkupv, oikeudenLoppupv}`"),
    ("rights_added", "the 320 groups with change digit 1 (changes only, not base data)"),
    ("rights_changed", "the 320 groups with change digit 3 (changes only)"),
    ("rights_removed", "the 320 groups with change digit 4 (changes only)"),
    ("guardians", "every 307 group that follows this 306 (each with its 451), in order, as `{edunvalvoja}`; a 307 with neither an identity code nor a 451 (a guardian known only by municipality or legal-aid office, which the API has no field for) becomes `LEGACY_307` instead"),
    ("attorneys", "every 317 group that follows this 316 (each with its 451), in order, as `{edunvalvontavaltuutettu, valtuutussuhteenAlkupv, valtuutussuhteenLoppupv}`; one without a person becomes `LEGACY_317`"),
    ("active_id", "the identity code of the record's 001 group with validity 1"),
    ("previous_ids", "the identity codes of the record's 001 groups with validity 2, in order"),
    ("dead", "`true` when a date of death is given, `false` when it is `00000000` (a removed death date comes as a correction with `kuollut: false`)"),
    ("ban_active", "`false` when the group's change digit is 4 (removed) or the end date lies before the record's registration date (a partial end date counts to the end of its month or year), else `true` (also for `99990000`, indefinite)"),
];

/// A legacy field value, whatever its type.
#[derive(Clone, Copy)]
pub enum Src<'x, 'a> {
    Text(&'x Text<'a>),
    Digits(&'x Digits<'a>),
    Date(&'x VtjDate<'a>),
    Code(&'a [u8]),
    Id(&'x PersonId<'a>),
}

impl<'x, 'a> From<&'x Text<'a>> for Src<'x, 'a> {
    fn from(v: &'x Text<'a>) -> Self {
        Src::Text(v)
    }
}

impl<'x, 'a> From<&'x Digits<'a>> for Src<'x, 'a> {
    fn from(v: &'x Digits<'a>) -> Self {
        Src::Digits(v)
    }
}

impl<'x, 'a> From<&'x VtjDate<'a>> for Src<'x, 'a> {
    fn from(v: &'x VtjDate<'a>) -> Self {
        Src::Date(v)
    }
}

impl<'x, 'a, T: CodeTable> From<&'x Code<'a, T>> for Src<'x, 'a> {
    fn from(v: &'x Code<'a, T>) -> Self {
        Src::Code(v.raw())
    }
}

impl<'x, 'a> From<&'x MunicipalityCode<'a>> for Src<'x, 'a> {
    fn from(v: &'x MunicipalityCode<'a>) -> Self {
        Src::Code(v.raw())
    }
}

impl<'x, 'a> From<&'x PersonId<'a>> for Src<'x, 'a> {
    fn from(v: &'x PersonId<'a>) -> Self {
        Src::Id(v)
    }
}

impl Src<'_, '_> {
    /// True when the field holds nothing (spaces, or `00000000` for a date).
    pub fn is_blank(&self) -> bool {
        match self {
            Src::Text(t) => t.raw().trim_ascii().is_empty(),
            Src::Digits(d) => d.is_blank(),
            Src::Date(d) => matches!(d, VtjDate::Unknown),
            Src::Code(raw) => raw.trim_ascii().is_empty(),
            Src::Id(id) => id.is_blank(),
        }
    }

    /// The bytes and their encoding, for text-like fields.
    fn bytes(&self) -> Option<(&[u8], Encoding)> {
        match self {
            Src::Text(t) => Some((t.raw(), t.encoding())),
            Src::Digits(Digits::Raw(raw)) => Some((raw, Encoding::Latin1)),
            Src::Digits(Digits::Number(_)) => None,
            Src::Code(raw) => Some((raw, Encoding::Latin1)),
            Src::Id(id) => Some((id.raw(), Encoding::Latin1)),
            Src::Date(_) => None,
        }
    }
}

/// A text-like field as a string value.
fn string(cx: &mut Cx<'_, '_, '_>, f: Src<'_, '_>) -> Val {
    if let Src::Digits(Digits::Number(n)) = f {
        return Val::Str(cx.arena.push_str(&n.to_string()));
    }
    match f.bytes() {
        Some((bytes, enc)) => cx.arena.push_text(bytes, enc).map_or(Val::Absent, Val::Str),
        None => Val::Absent,
    }
}

pub fn text(cx: &mut Cx<'_, '_, '_>, f: Src<'_, '_>) -> Val {
    string(cx, f)
}

pub fn id(cx: &mut Cx<'_, '_, '_>, f: Src<'_, '_>) -> Val {
    string(cx, f)
}

pub fn digits(cx: &mut Cx<'_, '_, '_>, f: Src<'_, '_>) -> Val {
    string(cx, f)
}

pub fn raw(cx: &mut Cx<'_, '_, '_>, f: Src<'_, '_>) -> Val {
    string(cx, f)
}

pub fn nonzero(cx: &mut Cx<'_, '_, '_>, f: Src<'_, '_>) -> Val {
    match f {
        Src::Digits(d) if d.value() == Some(0) => Val::Absent,
        other => string(cx, other),
    }
}

/// A legacy date as an API date: `Some(None)` for no date, `None` when invalid.
pub fn date_val(d: &VtjDate<'_>) -> Option<Option<DateVal>> {
    Some(match *d {
        VtjDate::Full(date) => {
            use chrono::Datelike;
            Some(DateVal {
                year: date.year() as u16,
                month: date.month() as u8,
                day: date.day() as u8,
                precision: Precision::Day,
            })
        }
        VtjDate::YearMonth { year, month } => Some(DateVal {
            year,
            month,
            day: 1,
            precision: Precision::Month,
        }),
        VtjDate::Year(year) => Some(DateVal {
            year,
            month: 1,
            day: 1,
            precision: Precision::Year,
        }),
        VtjDate::Unknown | VtjDate::Indefinite => None,
        VtjDate::Invalid(_) => return None,
    })
}

pub fn date(_cx: &mut Cx<'_, '_, '_>, f: Src<'_, '_>) -> Val {
    match f {
        Src::Date(d) => match date_val(d) {
            Some(Some(v)) => Val::Date(v),
            Some(None) => Val::Absent,
            None => Val::Invalid,
        },
        _ => Val::Absent,
    }
}

pub fn date_alt(cx: &mut Cx<'_, '_, '_>, f: Src<'_, '_>) -> Val {
    if cx.opts.both_move_in_spellings {
        date(cx, f)
    } else {
        Val::Absent
    }
}

pub fn code(cx: &mut Cx<'_, '_, '_>, map: &CodeMap, f: Src<'_, '_>) -> Val {
    let raw = match f.bytes() {
        Some((raw, _)) => raw.trim_ascii(),
        None => return Val::Absent,
    };
    if let Some((_, token, _)) = map.pairs.iter().find(|(code, _, _)| code.as_bytes() == raw) {
        return Val::Static(token);
    }
    string(cx, f)
}

pub fn ml(cx: &mut Cx<'_, '_, '_>, fi: Src<'_, '_>, sv: Src<'_, '_>) -> Val {
    let fi = match string(cx, fi) {
        Val::Str(s) => Some(s),
        _ => None,
    };
    let sv = match string(cx, sv) {
        Val::Str(s) => Some(s),
        _ => None,
    };
    if fi.is_none() && sv.is_none() {
        Val::Absent
    } else {
        Val::Ml(fi, sv)
    }
}

pub fn person(cx: &mut Cx<'_, '_, '_>, f: Src<'_, '_>) -> Val {
    let id = string(cx, f);
    let without_id = cx.first_qualifier(b"451").and_then(|q| cx.child_fields(q));
    let mut obj = cx.arena.begin_obj();
    if let Val::Str(_) = id {
        obj.push(("henkilotunnus", id));
    }
    if let Some((q, fields)) = without_id {
        obj.extend_from_slice(&fields);
        cx.arena.drop_obj(fields);
        cx.place(q, Placement::Nested);
    }
    if obj.is_empty() {
        cx.arena.drop_obj(obj);
        return Val::Absent;
    }
    Val::Obj(cx.arena.end_obj(obj))
}

pub fn qualifier(cx: &mut Cx<'_, '_, '_>) -> Val {
    let Some(q) = cx.first_qualifier(b"452") else {
        return Val::Absent;
    };
    let Some((_, fields)) = cx.child_fields(q) else {
        return Val::Absent;
    };
    let v = fields.first().map_or(Val::Absent, |&(_, v)| v);
    cx.arena.drop_obj(fields);
    if let Val::Str(_) = v {
        cx.place(q, Placement::Nested);
    }
    v
}

pub fn place_or_452(cx: &mut Cx<'_, '_, '_>, f: Src<'_, '_>) -> Val {
    match string(cx, f) {
        Val::Absent => qualifier(cx),
        v => v,
    }
}

/// The 320 groups after the current 305 whose change digit passes `keep`, as an array.
fn rights_where(cx: &mut Cx<'_, '_, '_>, keep: fn(u8) -> bool) -> Val {
    let (start, end) = cx.walk.quals;
    let mut arr = cx.arena.begin_arr();
    for q in start..end {
        let Group::GuardianRight(right) = &cx.groups[q] else {
            continue;
        };
        if !keep(right.change.raw().first().copied().unwrap_or(b' ')) {
            continue;
        }
        if let Some((_, fields)) = cx.child_fields(q) {
            arr.push(Val::Obj(cx.arena.end_obj(fields)));
            cx.place(q, Placement::Nested);
        }
    }
    if arr.is_empty() {
        cx.arena.end_arr(arr);
        return Val::Absent;
    }
    Val::Arr(cx.arena.end_arr(arr))
}

pub fn rights(cx: &mut Cx<'_, '_, '_>) -> Val {
    rights_where(cx, |_| true)
}

pub fn rights_added(cx: &mut Cx<'_, '_, '_>) -> Val {
    if !cx.with_change {
        return Val::Absent;
    }
    rights_where(cx, |d| d == b'1')
}

pub fn rights_changed(cx: &mut Cx<'_, '_, '_>) -> Val {
    if !cx.with_change {
        return Val::Absent;
    }
    rights_where(cx, |d| d == b'3')
}

pub fn rights_removed(cx: &mut Cx<'_, '_, '_>) -> Val {
    if !cx.with_change {
        return Val::Absent;
    }
    rights_where(cx, |d| d == b'4')
}

/// The groups of kind `kind` that follow the current entry (or start with it, for a chain
/// without its host group), each built as an object of the array. A group whose object lacks
/// the person (`person_key`: a guardian known only by a municipality or legal-aid office, which
/// the API has no field for) is not nested: it is left for `LEGACY_`.
fn chain(cx: &mut Cx<'_, '_, '_>, kind: GroupKind, person_key: &str) -> Val {
    let host_digit = cx.walk.change_digit;
    let mut arr = cx.arena.begin_arr();
    let mut e = cx.walk.chain_from;
    while let Some(&(g, end)) = cx.entries.get(e) {
        let g = g as usize;
        if cx.groups[g].kind() != Some(kind) || !cx.is_unplaced(g) {
            break;
        }
        if let Some((_, fields)) = cx.child_fields_with(g, (g + 1, end as usize)) {
            if !fields.iter().any(|(key, _)| *key == person_key) {
                cx.note(g, NoteKind::Unidentified);
                cx.arena.drop_obj(fields);
                for q in g + 1..end as usize {
                    cx.unplace_if_here(q);
                }
                e += 1;
                continue;
            }
            arr.push(Val::Obj(cx.arena.end_obj(fields)));
            cx.place(g, Placement::Nested);
            let digit = cx.groups[g].change().and_then(|c| c.raw().first().copied());
            if digit != Some(host_digit) {
                cx.note(g, NoteKind::NestedChangeNotCarried);
            }
        }
        e += 1;
    }
    cx.walk.consumed_until = cx.walk.consumed_until.max(e);
    if arr.is_empty() {
        cx.arena.end_arr(arr);
        return Val::Absent;
    }
    Val::Arr(cx.arena.end_arr(arr))
}

pub fn guardians(cx: &mut Cx<'_, '_, '_>) -> Val {
    chain(cx, GroupKind::Trustee, "edunvalvoja")
}

pub fn attorneys(cx: &mut Cx<'_, '_, '_>) -> Val {
    chain(cx, GroupKind::Attorney, "edunvalvontavaltuutettu")
}

/// The identity codes of the record's 001 groups with the given validity.
fn ids_with<'r>(cx: &Cx<'_, 'r, '_>, validity: u8) -> impl Iterator<Item = usize> + 'r {
    let groups: &'r [Group<'_>] = cx.groups;
    groups.iter().enumerate().filter_map(move |(i, g)| match g {
        Group::IdCorrection(c) if c.validity.raw() == [validity] && !c.person_id.is_blank() => {
            Some(i)
        }
        _ => None,
    })
}

fn id_of(cx: &mut Cx<'_, '_, '_>, i: usize) -> Val {
    match &cx.groups[i] {
        Group::IdCorrection(c) => string(cx, Src::Id(&c.person_id)),
        _ => Val::Absent,
    }
}

pub fn active_id(cx: &mut Cx<'_, '_, '_>) -> Val {
    match ids_with(cx, b'1').next() {
        Some(i) => id_of(cx, i),
        None => Val::Absent,
    }
}

pub fn previous_ids(cx: &mut Cx<'_, '_, '_>) -> Val {
    let found: Vec<usize> = ids_with(cx, b'2').collect();
    if found.is_empty() {
        return Val::Absent;
    }
    let mut arr = cx.arena.begin_arr();
    for i in found {
        if let v @ Val::Str(_) = id_of(cx, i) {
            arr.push(v);
        }
    }
    Val::Arr(cx.arena.end_arr(arr))
}

pub fn dead(_cx: &mut Cx<'_, '_, '_>, f: Src<'_, '_>) -> Val {
    match f {
        Src::Date(d) => match date_val(d) {
            Some(Some(_)) => Val::Bool(true),
            Some(None) => Val::Bool(false),
            None => Val::Invalid,
        },
        _ => Val::Absent,
    }
}

/// Whether a security ban is in force: `None` when its end date is invalid.
pub fn ban_in_force(
    digit: u8,
    end: &VtjDate<'_>,
    registered: Option<(u16, u8, u8)>,
) -> Option<bool> {
    let last_day = match *end {
        VtjDate::Invalid(_) => return None,
        VtjDate::Unknown | VtjDate::Indefinite => None,
        VtjDate::YearMonth { year, month } => Some((year, month, 31)),
        VtjDate::Year(year) => Some((year, 12, 31)),
        full => full.sort_key(),
    };
    let ended = match (last_day, registered) {
        (Some(end), Some(reg)) => end < reg,
        _ => false,
    };
    Some(digit != b'4' && !ended)
}

pub fn ban_active(cx: &mut Cx<'_, '_, '_>, f: Src<'_, '_>) -> Val {
    match f {
        Src::Date(end) => match ban_in_force(cx.walk.change_digit, end, cx.facts.registered) {
            Some(active) => Val::Bool(active),
            None => Val::Invalid,
        },
        _ => Val::Absent,
    }
}
