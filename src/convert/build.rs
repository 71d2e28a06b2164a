//! The conversion of one record: the entries (groups with their qualifying groups) in order,
//! each through its row of the mapping table, with the record-level rules (nesting, merging,
//! the security ban) and `LEGACY_` groups for everything without a place.

use std::sync::LazyLock;

use crate::encoding::Encoding;
use crate::field::{Text, VtjDate};
use crate::person::{Group, GroupKind, PersonRecord, KINDS};
use crate::record::GroupPart;

use super::out::{Arena, Name, OutGroup, Span, Val};
use super::rules::{self, Src};
use super::table::{self, Target};
use super::{ConvertOptions, Fate, Note, NoteKind, Placement, API_NAMES};

/// No output yet.
const UNSET: Fate = Fate {
    output: usize::MAX,
    placement: Placement::Legacy,
};

/// The API value of a legacy change digit (table 1.4), `None` for 2 and anything else.
pub(crate) fn change_token(digit: u8) -> Option<&'static str> {
    Some(match digit {
        b'0' => "LISATIETO",
        b'1' => "LISATTY",
        b'3' => "MUUTETTU",
        b'4' => "POISTETTU",
        b'5' => "KORJATTAVA",
        b'6' => "KORJATTU",
        _ => return None,
    })
}

/// A layout's table entry and the index of its API group name, if it has a group of its own.
pub(crate) type KindEntry = (&'static table::GroupMap, Option<u8>);

/// Per layout (in `KINDS` order): its table entry and, for groups of their own, the index of
/// its API name in [`API_NAMES`].
static BY_KIND: LazyLock<Vec<Option<KindEntry>>> = LazyLock::new(|| {
    KINDS
        .iter()
        .map(|&kind| {
            table::entry_of(kind).map(|m| {
                let name = match m.target {
                    Target::Group => api_index(m.api),
                    Target::Merged => api_index("KANSALAISUUS"),
                    Target::Nested if kind == GroupKind::Trustee => api_index("EDUNVALVONTA"),
                    Target::Nested => api_index("EDUNVALVONTAVALTUUTUS"),
                    Target::Qualifier => None,
                };
                (m, name)
            })
        })
        .collect()
});

fn api_index(name: &str) -> Option<u8> {
    API_NAMES.iter().position(|n| *n == name).map(|i| i as u8)
}

pub(crate) fn by_kind(kind: GroupKind) -> Option<KindEntry> {
    BY_KIND.get(kind as usize).copied().flatten()
}

/// What holds for the whole record.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Facts {
    /// The registration date, `(y, m, d)`.
    pub registered: Option<(u16, u8, u8)>,
    /// A 015 in force.
    pub ban_active: bool,
    /// An address with the security-ban placeholder.
    pub placeholder: bool,
}

fn placeholder_text(t: &Text<'_>) -> bool {
    t.raw().trim_ascii_start().starts_with(b"***")
}

/// Whether an address group carries the placeholder text.
fn is_placeholder_address(g: &Group<'_>) -> bool {
    match g {
        Group::PermanentAddress(a) | Group::TemporaryAddress(a) => {
            placeholder_text(&a.street_fi) || placeholder_text(&a.street_sv)
        }
        Group::PostalAddress(a) => {
            placeholder_text(&a.address_fi) || placeholder_text(&a.address_sv)
        }
        Group::PermanentForeignAddress(a) | Group::TemporaryForeignAddress(a) => {
            placeholder_text(&a.street) || placeholder_text(&a.locality)
        }
        _ => false,
    }
}

/// Whether a group's protected fields are removed (the security-ban placeholder).
fn is_protected(g: &Group<'_>, facts: &Facts) -> bool {
    match g {
        Group::HomeMunicipality(h) => {
            h.municipality.raw() == b"000" && (facts.ban_active || facts.placeholder)
        }
        other => is_placeholder_address(other),
    }
}

fn digit_of(g: &Group<'_>) -> u8 {
    GroupPart::change(g).unwrap_or(b' ')
}

/// Where a conversion stands in a record (the typed and the byte paths alike).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Walk {
    /// The group whose rows run, and its qualifying groups.
    pub cur: usize,
    pub quals: (usize, usize),
    /// Its change digit.
    pub change_digit: u8,
    /// A rule met a value it cannot convert.
    pub invalid: bool,
    /// The group's protected fields are removed.
    pub protect: bool,
    /// The index the group being built will have in the output.
    pub output: usize,
    /// The entry a chain of nested groups (307, 317) starts at.
    pub chain_from: usize,
    /// Entries up to here are taken by the group being built.
    pub consumed_until: usize,
}

impl Walk {
    /// Turns to group `g` (change digit `digit`) with its qualifying groups `quals`, built
    /// alone; what to [`leave`](Walk::leave) with afterwards.
    pub fn enter(&mut self, g: usize, quals: (usize, usize), digit: u8) -> Walk {
        let saved = *self;
        self.turn(g, quals, digit);
        saved
    }

    /// Starts output group `output`, made of group `h` (change digit `digit`) with its
    /// qualifying groups `quals`.
    pub fn start(&mut self, output: usize, h: usize, quals: (usize, usize), digit: u8) {
        self.output = output;
        self.turn(h, quals, digit);
    }

    fn turn(&mut self, g: usize, quals: (usize, usize), digit: u8) {
        (self.cur, self.quals, self.change_digit) = (g, quals, digit);
        (self.invalid, self.protect) = (false, false);
    }

    /// Back to the group before [`enter`](Walk::enter); whether the group entered met an
    /// invalid value.
    pub fn leave(&mut self, saved: Walk) -> bool {
        let invalid = self.invalid;
        (self.cur, self.quals, self.change_digit) = (saved.cur, saved.quals, saved.change_digit);
        (self.invalid, self.protect) = (saved.invalid, saved.protect);
        invalid
    }
}

/// The buffers of a converter, reused from record to record.
#[derive(Debug, Default)]
pub(crate) struct State {
    pub arena: Arena,
    pub fates: Vec<Fate>,
    pub notes: Vec<Note>,
    pub entries: Vec<(u32, u32)>,
    /// The code of each legacy group.
    pub codes: Vec<[u8; 3]>,
    pub person_id: Span,
    pub changed_at: Span,
    scratch: Vec<u8>,
    protected: Vec<Val>,
    citizenships: Vec<(u8, Val)>,
}

/// The context the table's rules run in.
pub(crate) struct Cx<'c, 'r, 'a> {
    pub arena: &'c mut Arena,
    pub groups: &'r [Group<'a>],
    pub entries: &'c [(u32, u32)],
    pub facts: Facts,
    pub opts: &'c ConvertOptions,
    fates: &'c mut Vec<Fate>,
    notes: &'c mut Vec<Note>,
    protected: &'c mut Vec<Val>,
    /// Where the conversion stands.
    pub walk: Walk,
    /// Changes (else base data: no change attributes, no delta lists).
    pub with_change: bool,
}

impl Cx<'_, '_, '_> {
    /// Adds a field to an object (or, when protected, names it instead).
    pub fn put(
        &mut self,
        obj: &mut Vec<(&'static str, Val)>,
        key: &'static str,
        v: Val,
        protected: bool,
    ) {
        if self.walk.protect && protected {
            self.protected.push(Val::Static(key));
            return;
        }
        match v {
            Val::Absent => {}
            Val::Invalid => {
                self.walk.invalid = true;
                self.note(self.walk.cur, NoteKind::InvalidValue { field: key });
            }
            v => obj.push((key, v)),
        }
    }

    /// Notes a legacy field without an API counterpart that holds a value.
    pub fn uncarried(&mut self, f: Src<'_, '_>, field: &'static str) {
        if !f.is_blank() {
            self.note(self.walk.cur, NoteKind::NotCarried { field });
        }
    }

    pub fn note(&mut self, group: usize, kind: NoteKind) {
        self.notes.push(Note {
            group: Some(group),
            kind,
        });
    }

    /// Leaves group `g` unplaced again if it was put into the group being built.
    pub fn unplace_if_here(&mut self, g: usize) {
        if self
            .fates
            .get(g)
            .is_some_and(|f| f.output == self.walk.output)
        {
            self.fates[g] = UNSET;
        }
    }

    pub fn is_unplaced(&self, g: usize) -> bool {
        self.fates.get(g).is_some_and(|f| f.output == usize::MAX)
    }

    /// Puts group `g` into the group being built.
    pub fn place(&mut self, g: usize, placement: Placement) {
        if let Some(f) = self.fates.get_mut(g) {
            *f = Fate {
                output: self.walk.output,
                placement,
            };
        }
    }

    /// The first unplaced qualifying group with this code after the current group.
    pub fn first_qualifier(&self, code: &[u8; 3]) -> Option<usize> {
        (self.walk.quals.0..self.walk.quals.1)
            .find(|&q| GroupPart::code(&self.groups[q]) == *code && self.is_unplaced(q))
    }

    /// The fields of group `g` (no qualifying groups of its own), built alone; `None` when it
    /// cannot be converted.
    pub fn child_fields(&mut self, g: usize) -> Option<(usize, Vec<(&'static str, Val)>)> {
        self.child_fields_with(g, (g + 1, g + 1))
    }

    /// The fields of group `g` with its qualifying groups `quals`, built alone; `None` when it
    /// cannot be converted (its qualifying groups are then left unplaced).
    pub fn child_fields_with(
        &mut self,
        g: usize,
        quals: (usize, usize),
    ) -> Option<(usize, Vec<(&'static str, Val)>)> {
        let group = self.groups.get(g)?;
        let digit = digit_of(group);
        if change_token(digit).is_none() {
            self.note(g, NoteKind::UnmappableChange);
            return None;
        }
        let saved = self.walk.enter(g, quals, digit);
        let mut obj = self.arena.begin_obj();
        table::emit_rows(group, self, &mut obj);
        let invalid = self.walk.leave(saved);
        if invalid {
            for q in quals.0..quals.1 {
                self.unplace_if_here(q);
            }
            self.arena.drop_obj(obj);
            return None;
        }
        Some((g, obj))
    }
}

impl State {
    /// Converts one record into the arena (`with_change`: changes, else base data).
    pub fn convert(&mut self, record: &PersonRecord<'_>, opts: &ConvertOptions, with_change: bool) {
        let groups = &record.groups[..];
        self.arena.clear();
        self.fates.clear();
        self.fates.resize(groups.len(), UNSET);
        self.notes.clear();
        self.entries.clear();
        self.codes.clear();
        self.codes.extend(groups.iter().map(GroupPart::code));
        let mut at = 0u32;
        for entry in record.entries() {
            let end = at + 1 + entry.qualifiers.len() as u32;
            self.entries.push((at, end));
            at = end;
        }
        self.person_id = self
            .arena
            .push_text(record.header.person_id.raw(), Encoding::Latin1)
            .unwrap_or_default();
        let registered = match record.header.registered {
            VtjDate::Full(date) => {
                let mut buf = [0u8; 24];
                self.changed_at = self
                    .arena
                    .push_str(super::time::muutospv_into(date, &mut buf));
                record.header.registered.sort_key()
            }
            _ => {
                self.changed_at = Span::default();
                self.notes.push(Note {
                    group: None,
                    kind: NoteKind::InvalidRegistrationDate,
                });
                None
            }
        };
        let mut facts = Facts {
            registered,
            ..Facts::default()
        };
        for g in groups {
            match g {
                Group::NonDisclosure(ban) => {
                    if rules::ban_in_force(digit_of(g), &ban.end, registered) == Some(true)
                        && change_token(digit_of(g)).is_some()
                    {
                        facts.ban_active = true;
                    }
                }
                other => facts.placeholder |= is_placeholder_address(other),
            }
        }
        let entries = std::mem::take(&mut self.entries);
        let mut cx = Cx {
            arena: &mut self.arena,
            groups,
            entries: &entries,
            facts,
            opts,
            fates: &mut self.fates,
            notes: &mut self.notes,
            protected: &mut self.protected,
            walk: Walk::default(),
            with_change,
        };
        let mut e = 0;
        while e < entries.len() {
            cx.walk.consumed_until = e + 1;
            let host = entries[e].0 as usize;
            if cx.is_unplaced(host) {
                top(&mut cx, e, with_change, &mut self.citizenships);
            }
            let last = entries[cx.walk.consumed_until - 1].1 as usize;
            for g in host..last {
                if cx.is_unplaced(g) {
                    legacy(&mut cx, g, record, with_change, &mut self.scratch);
                }
            }
            e = cx.walk.consumed_until.max(e + 1);
        }
        self.entries = entries;
        self.notes.sort_unstable();
        self.notes.dedup();
    }
}

/// Converts the host of entry `e` into a group of its own (left unplaced when it cannot be).
fn top(cx: &mut Cx<'_, '_, '_>, e: usize, with_change: bool, cits: &mut Vec<(u8, Val)>) {
    let (h, end) = (cx.entries[e].0 as usize, cx.entries[e].1 as usize);
    let group = &cx.groups[h];
    let Some((map, name)) = group.kind().and_then(by_kind) else {
        cx.note(h, NoteKind::NoCounterpart);
        return;
    };
    let Some(name) = name else {
        cx.note(h, NoteKind::OrphanQualifier);
        return;
    };
    let digit = digit_of(group);
    let Some(token) = change_token(digit) else {
        cx.note(h, NoteKind::UnmappableChange);
        return;
    };
    let output = cx.arena.groups.len();
    cx.walk.start(output, h, (h + 1, end), digit);
    cx.protected.clear();
    let mut obj = cx.arena.begin_obj();
    let mut change = token;
    match map.target {
        Target::Group => {
            cx.walk.protect = is_protected(group, &cx.facts);
            cx.walk.chain_from = e + 1;
            table::emit_rows(group, cx, &mut obj);
        }
        Target::Nested => {
            // A 307 or 317 without its host: a group of the host's name with the chain only.
            cx.walk.chain_from = e;
            let (key, v) = if group.kind() == Some(GroupKind::Trustee) {
                ("nykyisetEdunvalvojat", rules::guardians(cx))
            } else {
                ("nykyisetEdunvalvontavaltuutetut", rules::attorneys(cx))
            };
            match v {
                Val::Absent => cx.walk.invalid = true,
                v => obj.push((key, v)),
            }
        }
        Target::Merged => match citizenship(cx, e, cits, with_change) {
            Some((merged, fields)) => {
                change = merged;
                obj.extend_from_slice(&fields);
                cx.arena.drop_obj(fields);
            }
            None => cx.walk.invalid = true,
        },
        Target::Qualifier => cx.walk.invalid = true,
    }
    if cx.walk.invalid {
        for f in cx.fates.iter_mut() {
            if f.output == output {
                *f = UNSET;
            }
        }
        cx.walk.consumed_until = e + 1;
        cx.arena.drop_obj(obj);
        return;
    }
    let fields = cx.arena.end_obj(obj);
    let mut protected = cx.arena.begin_arr();
    protected.extend_from_slice(cx.protected);
    let protected = cx.arena.end_arr(protected);
    if cx.walk.protect {
        cx.note(h, NoteKind::Protected);
        if !cx.facts.ban_active {
            cx.note(h, NoteKind::PlaceholderWithoutBan);
        }
    }
    let change = if with_change {
        Some(change)
    } else {
        if !matches!(digit, b'0' | b'1') {
            cx.note(h, NoteKind::ChangeDropped);
        }
        None
    };
    cx.arena.groups.push(OutGroup {
        name: Name::Api(API_NAMES[name as usize]),
        change,
        fields,
        protected,
        text: Span::default(),
    });
    if cx.is_unplaced(h) {
        cx.place(h, own_placement(map.target));
    }
}

/// How a group converted on its own went into the output: merged (007) or a group.
pub(crate) fn own_placement(target: Target) -> Placement {
    if target == Target::Merged {
        Placement::Merged
    } else {
        Placement::Group
    }
}

/// The delta lists of the merged `KANSALAISUUS` group: the change digit each one takes.
pub(crate) const CITIZENSHIP_LISTS: [(u8, &str); 5] = [
    (b'1', "lisatytKansalaisuudet"),
    (b'3', "muutetutKansalaisuudet"),
    (b'4', "poistetutKansalaisuudet"),
    (b'5', "korjattavatKansalaisuudet"),
    (b'6', "korjatutKansalaisuudet"),
];

/// The merged `KANSALAISUUS` group's `muutosattribuutti` from its 007 groups' change digits:
/// `LISATIETO` when all are 0, else the one value of the others when they agree, `KORJATTU`
/// for 5 and 6 together, otherwise `MUUTETTU`.
pub(crate) fn merged_change(digits: impl Iterator<Item = u8>) -> &'static str {
    let mut digits = digits.filter(|&d| d != b'0');
    match digits.next() {
        None => "LISATIETO",
        Some(first) => {
            let (mut same, mut corrections) = (true, matches!(first, b'5' | b'6'));
            for d in digits {
                same &= d == first;
                corrections &= matches!(d, b'5' | b'6');
            }
            if same {
                change_token(first).unwrap_or("MUUTETTU")
            } else if corrections {
                "KORJATTU"
            } else {
                "MUUTETTU"
            }
        }
    }
}

/// The one `KANSALAISUUS` group of the record's 007 groups from entry `e` on: its change value
/// and fields. `None` when entry `e`'s own 007 cannot be converted.
fn citizenship(
    cx: &mut Cx<'_, '_, '_>,
    e: usize,
    cits: &mut Vec<(u8, Val)>,
    with_change: bool,
) -> Option<(&'static str, Vec<(&'static str, Val)>)> {
    cits.clear();
    for k in e..cx.entries.len() {
        let (g, end) = (cx.entries[k].0 as usize, cx.entries[k].1 as usize);
        if cx.groups[g].kind() != Some(GroupKind::Citizenship) || !cx.is_unplaced(g) {
            continue;
        }
        match cx.child_fields_with(g, (g + 1, end)) {
            Some((_, fields)) => {
                let span = cx.arena.end_obj(fields);
                cits.push((digit_of(&cx.groups[g]), Val::Obj(span)));
                cx.place(g, Placement::Merged);
            }
            None if k == e => return None,
            None => {}
        }
    }
    let mut obj = cx.arena.begin_obj();
    let mut all = cx.arena.begin_arr();
    all.extend(cits.iter().map(|&(_, v)| v));
    obj.push(("henkilonKansalaisuudet", Val::Arr(cx.arena.end_arr(all))));
    for (digit, key) in CITIZENSHIP_LISTS {
        if with_change && cits.iter().any(|&(d, _)| d == digit) {
            let mut arr = cx.arena.begin_arr();
            arr.extend(cits.iter().filter(|&&(d, _)| d == digit).map(|&(_, v)| v));
            obj.push((key, Val::Arr(cx.arena.end_arr(arr))));
        }
    }
    Some((merged_change(cits.iter().map(|&(d, _)| d)), obj))
}

/// Group `g` as a `LEGACY_<code>` group: its text as in the file.
fn legacy(
    cx: &mut Cx<'_, '_, '_>,
    g: usize,
    record: &PersonRecord<'_>,
    with_change: bool,
    scratch: &mut Vec<u8>,
) {
    let group = &cx.groups[g];
    let (code, text) = match group {
        Group::Raw(raw) => {
            let text = raw.encoding.decode(raw.bytes);
            let code: String = text.chars().take(3).collect();
            (cx.arena.push_str(&code), cx.arena.push_str(&text))
        }
        typed => {
            let enc = record.line.encoding.unwrap_or(Encoding::Utf8);
            scratch.clear();
            let written = match typed.write_to(enc, scratch) {
                Ok(()) => enc,
                Err(_) => {
                    scratch.clear();
                    let _ = typed.write_to(Encoding::Utf8, scratch);
                    Encoding::Utf8
                }
            };
            let code = String::from_utf8_lossy(&typed.code()).into_owned();
            let text = written.decode(scratch);
            (cx.arena.push_str(&code), cx.arena.push_str(&text))
        }
    };
    let change = if with_change {
        change_token(digit_of(group))
    } else {
        None
    };
    if group.is_qualifying() && cx.notes.iter().all(|n| n.group != Some(g)) {
        cx.note(g, NoteKind::UnusedQualifier);
    }
    cx.walk.output = cx.arena.groups.len();
    cx.arena.groups.push(OutGroup {
        name: Name::Legacy(code),
        change,
        fields: Span::default(),
        protected: Span::default(),
        text,
    });
    cx.place(g, Placement::Legacy);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn change_tokens_are_table_1_4() {
        for digit in 0..=255u8 {
            let api = if digit.is_ascii_digit() {
                crate::api::Muutosattribuutti::from_legacy_digit(digit - b'0')
            } else {
                None
            };
            assert_eq!(
                change_token(digit),
                api.as_ref().map(|a| a.as_str()),
                "{digit}"
            );
        }
    }

    #[test]
    fn every_layout_has_a_table_entry_and_every_group_target_an_api_name() {
        for &kind in KINDS {
            let (map, name) = by_kind(kind).expect("table entry");
            assert_eq!(name.is_none(), map.target == Target::Qualifier, "{kind:?}");
        }
    }
}
