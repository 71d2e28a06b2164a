//! Conversion of legacy person records into the change API's JSON model (*muunnos*): one
//! [`Muutos`] per record, or one [`Perustieto`] (base
//! data: the groups without `muutosattribuutti`).
//!
//! Every legacy group is accounted for: it becomes an API group, is nested in one (qualifying
//! groups 320/451/452, guardians 307, attorneys 317), is merged into one (the 007 citizenships
//! into one `KANSALAISUUS`), or, when it has no API counterpart, becomes a `LEGACY_<code>`
//! group that carries its text. [`Converted::fates`] says which, group by group.
//!
//! The mapping is one table ([`mapping_table`]), from which `docs/api-mapping.md` is generated
//! ([`mapping_markdown`]); it lists each rule, and marks what the sources do not settle as
//! inferred. The rules for every group:
//!
//! * `muutospv` is the header's registration date at 00:00 Finnish time as a UTC instant
//!   (`2019-09-24T21:00:00.000Z` is 25 September 2019; summer time is computed, see
//!   [`helsinki_midnight_utc`]);
//! * `muutosattribuutti` from the change digit (digit 5 is `KORJATTAVA`); groups keep their order;
//! * dates are `{"arvo": "YYYY-MM-DD", "tarkkuus": "PAIVA"}`; a partial date keeps a valid
//!   `arvo` (missing parts as 01) with `KUUKAUSI` or `VUOSI`; `00000000` and `99990000` leave the
//!   field out; an invalid date sends the group to `LEGACY_` (no value is invented);
//! * codes become the API's enum names where the API lists them, else stay as they are; text is
//!   decoded and trimmed; empty fields are left out;
//! * an address with the security-ban placeholder (`***Lisätietoja maistraatista`) loses its
//!   address fields, which are named in `turvakiellonAlaisetKentat`.
//!
//! Three ways in: [`to_muutos`] / [`to_perustieto`] give the [`api`](crate::api) types; a
//! [`Converter`] reuses its buffers from record to record and writes JSON straight from them
//! ([`Converter::muutos`], [`Converted::write_json`]); and
//! [`Converter::write_muutos_view`] writes the JSON of a record as the readers check it
//! ([`RecordView`]), with the mapping table's rows compiled once per layout (field offsets,
//! pre-escaped keys, enum names) and run over the group bytes, no typed record in between
//! (what `muutostieto convert` does; the same bytes, which `tests/convert_fast.rs` and the fuzz
//! target `convert` check).
//!
//! ```
//! use muutostieto::convert::{self, ConvertOptions};
//! use muutostieto::person::PersonRecord;
//! use muutostieto::api::Tietoryhma;
//! use muutostieto::ParseOptions;
//!
//! // A 2019-09-25 record with a sex group (003) and a death date of May 1966 (013).
//! let line = b"010101-900RXBX201909250102|00312|013119660500|";
//! let (record, _) = PersonRecord::parse(line, &ParseOptions::default()).unwrap();
//! let conversion = convert::to_muutos(&record, &ConvertOptions::default());
//! let muutos = &conversion.muutos;
//! assert_eq!(muutos.person_id, "010101-900R");
//! assert_eq!(muutos.changed_at, "2019-09-24T21:00:00.000Z");
//! let Tietoryhma::Death(death) = &muutos.groups[1] else { panic!() };
//! assert_eq!(death.dead, Some(true));
//! let date = death.date.as_ref().unwrap();
//! assert_eq!((date.value.as_str(), date.precision.as_str()), ("1966-05-01", "KUUKAUSI"));
//! assert_eq!(
//!     serde_json::to_value(&muutos.groups[0]).unwrap(),
//!     serde_json::json!({"tietoryhma": "SUKUPUOLI", "muutosattribuutti": "LISATTY", "sukupuoli": "NAINEN"})
//! );
//! ```

mod build;
mod fast;
mod out;
mod rules;
mod table;
mod time;

use std::collections::BTreeMap;
use std::fmt;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

use crate::api::{Muutos, Perustieto, Tietoryhma};
use crate::person::{Person, PersonRecord};
use crate::record::RecordView;

use build::State;
use out::{GroupView, GroupsView, Name};

pub use rules::RULE_DOCS;
pub use table::{CodeMap, GroupMap, RowMap, Target, CODE_MAPS, GENERAL};
pub use time::helsinki_midnight_offset;

/// Every API group name a conversion can make (besides `LEGACY_<code>`).
pub const API_NAMES: &[&str] = &[
    "HENKILOTUNNUS_KORJAUS",
    "AIDINKIELI",
    "SUKUPUOLI",
    "HENKILON_NIMI",
    "NIMENMUUTOS",
    "KANSALAISUUS",
    "SYNTYMAKOTIKUNTA",
    "ULKOMAINEN_SYNTYMAPAIKKA",
    "KUOLINPAIVA",
    "TURVAKIELTO",
    "VAKINAINEN_KOTIMAINEN_OSOITE",
    "TILAPAINEN_KOTIMAINEN_OSOITE",
    "KOTIMAINEN_POSTIOSOITE",
    "VAKINAINEN_ULKOMAINEN_OSOITE",
    "TILAPAINEN_ULKOMAINEN_OSOITE",
    "KOTIKUNTA",
    "HUOLTAJA",
    "EDUNVALVONTA",
    "EDUNVALVONTAVALTUUTUS",
    "AMMATTI",
    "SAHKOPOSTIOSOITE",
    "ULKOMAINEN_HENKILOTUNNUS",
    "KUTSUMANIMI",
];

/// The mapping table: one entry per legacy group layout.
pub fn mapping_table() -> &'static [GroupMap] {
    table::TABLE
}

/// The mapping document (`docs/api-mapping.md`), generated from [`mapping_table`].
pub fn mapping_markdown() -> String {
    table::markdown()
}

/// `muutospv` for a registration date: 00:00 Finnish time as a UTC instant,
/// `YYYY-MM-DDTHH:00:00.000Z`.
///
/// ```
/// use chrono::NaiveDate;
/// use muutostieto::convert::helsinki_midnight_utc;
/// let winter = NaiveDate::from_ymd_opt(2019, 1, 15).unwrap();
/// let summer = NaiveDate::from_ymd_opt(2019, 9, 25).unwrap();
/// assert_eq!(helsinki_midnight_utc(winter), "2019-01-14T22:00:00.000Z");
/// assert_eq!(helsinki_midnight_utc(summer), "2019-09-24T21:00:00.000Z");
/// ```
pub fn helsinki_midnight_utc(date: chrono::NaiveDate) -> String {
    time::muutospv(date)
}

/// How to convert.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConvertOptions {
    /// Send `KOTIKUNTA`'s move-in date under both spellings the API uses (`kuntaanMuuttopv`
    /// and `kuntaanMuuttoPv`), as the API does. Off: only `kuntaanMuuttopv`.
    pub both_move_in_spellings: bool,
}

impl Default for ConvertOptions {
    /// Both move-in spellings.
    fn default() -> Self {
        ConvertOptions {
            both_move_in_spellings: true,
        }
    }
}

/// How a legacy group went into the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Placement {
    /// An API group of its own.
    Group,
    /// Nested in an API group (qualifying groups, 307, 317).
    Nested,
    /// Merged with others into one API group (007).
    Merged,
    /// A `LEGACY_<code>` group.
    Legacy,
}

/// Where one legacy group went: the index of the output group and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fate {
    /// Index into the output's groups (`tietoryhmat`).
    pub output: usize,
    /// How.
    pub placement: Placement,
}

/// Something a conversion could not carry over as it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NoteKind {
    /// A legacy field with a value has no API field (see `not carried` in the mapping).
    NotCarried {
        /// The legacy field (the person layout's name).
        field: &'static str,
    },
    /// A value a rule cannot convert (e.g. an invalid date): the group went to `LEGACY_`.
    InvalidValue {
        /// The API field.
        field: &'static str,
    },
    /// The change digit has no API value (2, or not a digit): the group went to `LEGACY_`.
    UnmappableChange,
    /// A group with no API counterpart (unknown code, or kept raw): `LEGACY_`.
    NoCounterpart,
    /// A qualifying group with no host: `LEGACY_`.
    OrphanQualifier,
    /// A qualifying group its host has no field for: `LEGACY_`.
    UnusedQualifier,
    /// A nested guardian or attorney with no person the API can name (no identity code, no
    /// 451): kept as `LEGACY_`.
    Unidentified,
    /// The change digit of a nested group (307, 317) differs from its host's and is not carried.
    NestedChangeNotCarried,
    /// Base data: a change digit other than 0 or 1 was left out with `muutosattribuutti`.
    ChangeDropped,
    /// An address with the security-ban placeholder: its fields were removed.
    Protected,
    /// … in a record without an active 015.
    PlaceholderWithoutBan,
    /// The registration date is not a full date: `muutospv` is empty.
    InvalidRegistrationDate,
}

impl fmt::Display for NoteKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NoteKind::NotCarried { field } => write!(f, "{field} not carried (no API field)"),
            NoteKind::InvalidValue { field } => {
                write!(f, "{field}: value not convertible, group kept as LEGACY_")
            }
            NoteKind::UnmappableChange => {
                f.write_str("change digit without API value, group kept as LEGACY_")
            }
            NoteKind::NoCounterpart => f.write_str("no API counterpart, kept as LEGACY_"),
            NoteKind::OrphanQualifier => {
                f.write_str("qualifying group without host, kept as LEGACY_")
            }
            NoteKind::UnusedQualifier => {
                f.write_str("qualifying group its host has no field for, kept as LEGACY_")
            }
            NoteKind::Unidentified => {
                f.write_str("guardian or attorney without identity code or 451, kept as LEGACY_")
            }
            NoteKind::NestedChangeNotCarried => {
                f.write_str("nested group's own change digit not carried")
            }
            NoteKind::ChangeDropped => f.write_str("change digit dropped in base data"),
            NoteKind::Protected => f.write_str("security-ban placeholder: fields removed"),
            NoteKind::PlaceholderWithoutBan => {
                f.write_str("security-ban placeholder without an active 015 in the record")
            }
            NoteKind::InvalidRegistrationDate => {
                f.write_str("registration date not a full date: muutospv empty")
            }
        }
    }
}

/// A note about one conversion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Note {
    /// The index of the legacy group (`None` for the record's header).
    pub group: Option<usize>,
    /// What.
    pub kind: NoteKind,
}

/// Converts records, reusing its buffers: the fast way to write many records as JSON.
///
/// ```
/// use muutostieto::convert::{ConvertOptions, Converter};
/// use muutostieto::person::PersonRecord;
/// use muutostieto::ParseOptions;
///
/// let line = b"010101-900RXBX201902010101|00312|";
/// let (record, _) = PersonRecord::parse(line, &ParseOptions::default()).unwrap();
/// let mut converter = Converter::new(ConvertOptions::default());
/// let mut out = Vec::new();
/// serde_json::to_writer(&mut out, &converter.muutos(&record)).unwrap();
/// assert_eq!(
///     String::from_utf8(out).unwrap(),
///     r#"{"henkilotunnus":"010101-900R","muutospv":"2019-01-31T22:00:00.000Z","tietoryhmat":[{"tietoryhma":"SUKUPUOLI","muutosattribuutti":"LISATTY","sukupuoli":"NAINEN"}]}"#
/// );
/// ```
#[derive(Debug, Default)]
pub struct Converter {
    opts: ConvertOptions,
    state: State,
    fast: fast::Fast,
}

impl Converter {
    /// A converter with these options.
    pub fn new(opts: ConvertOptions) -> Self {
        Converter {
            opts,
            state: State::default(),
            fast: fast::Fast::default(),
        }
    }

    /// Converts a record as the readers hand it out (checked, not typed: a [`RecordView`])
    /// into a change (`Muutos`), appends its JSON object to `out` and counts it in `counts`:
    /// the same bytes and counts as [`Converter::muutos`] of the typed record, then
    /// [`Counts::add`] and [`Converted::write_json`]. What `muutostieto convert` does.
    ///
    /// The fields are mapped straight from the group bytes at the layouts' offsets (the rows of
    /// the mapping table, compiled once), with no typed record in between; a record in a
    /// multi-byte encoding or with a group kept raw is typed and converted as
    /// [`Converter::muutos`] does. Returns `true` when the record was written straight from its
    /// bytes.
    ///
    /// ```
    /// use muutostieto::convert::{ConvertOptions, Converter, Counts};
    /// use muutostieto::person::Person;
    /// use muutostieto::read::SliceReader;
    /// use muutostieto::record::RecordView;
    /// use muutostieto::ParseOptions;
    ///
    /// let line = b"010101-900RXBX201902010101|00312|\r\n";
    /// let mut reader = SliceReader::new(Person, line, ParseOptions::default());
    /// let (mut view, mut diags) = (RecordView::default(), Vec::new());
    /// let item = reader.next_view(&mut view, &mut diags).unwrap().unwrap();
    /// let muutostieto::Item::Record(view) = item else { panic!() };
    /// let mut converter = Converter::new(ConvertOptions::default());
    /// let (mut out, mut counts) = (Vec::new(), Counts::default());
    /// assert!(converter.write_muutos_view(view, &mut out, &mut counts));
    /// let typed = view.typed(Person);
    /// assert_eq!(out, serde_json::to_vec(&converter.muutos(&typed)).unwrap());
    /// assert_eq!(counts.records, 1);
    /// ```
    pub fn write_muutos_view(
        &mut self,
        view: &RecordView<'_>,
        out: &mut Vec<u8>,
        counts: &mut Counts,
    ) -> bool {
        self.write_view(view, true, out, counts)
    }

    /// [`Converter::write_muutos_view`] for one person's base data (`Perustieto`).
    pub fn write_perustieto_view(
        &mut self,
        view: &RecordView<'_>,
        out: &mut Vec<u8>,
        counts: &mut Counts,
    ) -> bool {
        self.write_view(view, false, out, counts)
    }

    /// Counts the notes of the records that [`Converter::write_muutos_view`] and
    /// [`Converter::write_perustieto_view`] write from their bytes in the converter, not in
    /// the `counts` they are given, until [`Converter::flush_note_counts`] adds them to a
    /// [`Counts`]: one look-up in [`Counts::notes`] per kind of note a flush, not one per
    /// record. Everything else is counted as before.
    pub fn defer_note_counts(&mut self) {
        self.fast.defer_notes = true;
    }

    /// Adds the notes counted since the last flush (see [`Converter::defer_note_counts`]) to
    /// `counts`.
    pub fn flush_note_counts(&mut self, counts: &mut Counts) {
        self.fast.pending.flush(counts);
    }

    fn write_view(
        &mut self,
        view: &RecordView<'_>,
        with_change: bool,
        out: &mut Vec<u8>,
        counts: &mut Counts,
    ) -> bool {
        if self
            .fast
            .convert(view, &self.opts, with_change, out, counts)
        {
            return true;
        }
        let record = view.typed(Person);
        let converted = if with_change {
            self.muutos(&record)
        } else {
            self.perustieto(&record)
        };
        counts.add(&converted);
        converted.write_json(out);
        false
    }

    /// Converts a record into a change (`Muutos`).
    pub fn muutos(&mut self, record: &PersonRecord<'_>) -> Converted<'_> {
        self.state.convert(record, &self.opts, true);
        Converted {
            state: &self.state,
            base: false,
        }
    }

    /// Converts a record into one person's base data (`Perustieto`: no `muutosattribuutti`).
    pub fn perustieto(&mut self, record: &PersonRecord<'_>) -> Converted<'_> {
        self.state.convert(record, &self.opts, false);
        Converted {
            state: &self.state,
            base: true,
        }
    }
}

/// One converted record, held in its [`Converter`]'s buffers. Serializes as a `Muutos` or a
/// `Perustieto` object.
#[derive(Debug, Clone, Copy)]
pub struct Converted<'c> {
    state: &'c State,
    base: bool,
}

impl<'c> Converted<'c> {
    /// Where each legacy group went (index-aligned with the record's groups).
    pub fn fates(&self) -> &'c [Fate] {
        &self.state.fates
    }

    /// What could not be carried over as it stands.
    pub fn notes(&self) -> &'c [Note] {
        &self.state.notes
    }

    /// The number of output groups.
    pub fn len(&self) -> usize {
        self.state.arena.groups.len()
    }

    /// True when there are no output groups.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The name of output group `i` (`LEGACY_<code>` for legacy groups).
    pub fn group_name(&self, i: usize) -> Option<GroupName<'c>> {
        let arena = &self.state.arena;
        arena.groups.get(i).map(|g| match g.name {
            Name::Api(name) => GroupName::Api(name),
            Name::Legacy(code) => GroupName::Legacy(arena.str(code)),
        })
    }

    /// The person's identity code.
    pub fn person_id(&self) -> &'c str {
        self.state.arena.str(self.state.person_id)
    }

    /// `muutospv` (empty when the registration date is not a full date).
    pub fn changed_at(&self) -> &'c str {
        self.state.arena.str(self.state.changed_at)
    }

    /// Appends the JSON object to `out`: the same bytes as `serde_json::to_writer(out, self)`,
    /// written without serde (the fast path of `muutostieto convert`).
    pub fn write_json(&self, out: &mut Vec<u8>) {
        let arena = &self.state.arena;
        out.extend_from_slice(b"{\"henkilotunnus\":");
        out::json_string(out, self.person_id());
        if !self.base {
            out.extend_from_slice(b",\"muutospv\":");
            out::json_string(out, self.changed_at());
        }
        out.extend_from_slice(b",\"tietoryhmat\":");
        arena.write_groups(out);
        out.push(b'}');
    }

    /// The JSON value.
    pub fn to_value(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// The groups as [`Tietoryhma`] values (a group the api types cannot read, which would be a
    /// bug, is kept whole as `Unknown`).
    pub fn groups(&self) -> Vec<Tietoryhma> {
        let arena = &self.state.arena;
        arena
            .groups
            .iter()
            .map(|group| {
                let value = serde_json::to_value(GroupView { arena, group }).unwrap_or_default();
                match serde_json::from_value::<Tietoryhma>(value.clone()) {
                    Ok(g) => g,
                    Err(_) => match value {
                        Value::Object(map) => Tietoryhma::Unknown(map),
                        _ => Tietoryhma::Unknown(Map::new()),
                    },
                }
            })
            .collect()
    }

    /// As the api type `Muutos`.
    pub fn to_muutos(&self) -> Muutos {
        Muutos {
            person_id: self.person_id().to_owned(),
            changed_at: self.changed_at().to_owned(),
            groups: self.groups(),
            extra: Map::new(),
        }
    }

    /// As the api type `Perustieto`.
    pub fn to_perustieto(&self) -> Perustieto {
        Perustieto {
            person_id: self.person_id().to_owned(),
            groups: self.groups(),
            extra: Map::new(),
        }
    }
}

impl Serialize for Converted<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(3 - usize::from(self.base)))?;
        m.serialize_entry("henkilotunnus", self.person_id())?;
        if !self.base {
            m.serialize_entry("muutospv", self.changed_at())?;
        }
        m.serialize_entry(
            "tietoryhmat",
            &GroupsView {
                arena: &self.state.arena,
            },
        )?;
        m.end()
    }
}

/// The name of an output group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupName<'c> {
    /// An API group name (one of [`API_NAMES`]).
    Api(&'static str),
    /// `LEGACY_` and this legacy code.
    Legacy(&'c str),
}

impl fmt::Display for GroupName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GroupName::Api(name) => f.write_str(name),
            GroupName::Legacy(code) => {
                write!(f, "{}{code}", crate::api::tietoryhma::LEGACY_PREFIX)
            }
        }
    }
}

/// A record converted into the api types, with where each group went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conversion {
    /// The change.
    pub muutos: Muutos,
    /// Where each legacy group went (index-aligned with the record's groups).
    pub fates: Vec<Fate>,
    /// What could not be carried over as it stands.
    pub notes: Vec<Note>,
    /// Counts of the output groups and notes.
    pub counts: Counts,
}

/// A record converted into one person's base data, with where each group went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseConversion {
    /// The base data.
    pub perustieto: Perustieto,
    /// Where each legacy group went.
    pub fates: Vec<Fate>,
    /// What could not be carried over as it stands.
    pub notes: Vec<Note>,
    /// Counts of the output groups and notes.
    pub counts: Counts,
}

/// Converts one legacy record into a change (`Muutos`).
pub fn to_muutos(record: &PersonRecord<'_>, opts: &ConvertOptions) -> Conversion {
    let mut converter = Converter::new(*opts);
    let converted = converter.muutos(record);
    let mut counts = Counts::default();
    counts.add(&converted);
    Conversion {
        muutos: converted.to_muutos(),
        fates: converted.fates().to_vec(),
        notes: converted.notes().to_vec(),
        counts,
    }
}

/// Converts one legacy record (of a base delivery) into one person's base data
/// (`Perustieto`): the same groups, without `muutosattribuutti`.
pub fn to_perustieto(record: &PersonRecord<'_>, opts: &ConvertOptions) -> BaseConversion {
    let mut converter = Converter::new(*opts);
    let converted = converter.perustieto(record);
    let mut counts = Counts::default();
    counts.add(&converted);
    BaseConversion {
        perustieto: converted.to_perustieto(),
        fates: converted.fates().to_vec(),
        notes: converted.notes().to_vec(),
        counts,
    }
}

/// Counts over converted records: output groups by name, what became of the legacy groups,
/// notes by kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// Records converted.
    pub records: u64,
    /// Legacy groups read.
    pub legacy_groups_in: u64,
    /// Output groups per name of [`API_NAMES`] (same order).
    pub api_groups: Vec<u64>,
    /// `LEGACY_<code>` groups per code.
    pub legacy_groups: BTreeMap<String, u64>,
    /// Legacy groups by how they went into the output, indexed by [`Placement`] (as `usize`).
    pub placements: [u64; 4],
    /// Notes per legacy group code and kind (`"---"` for the header).
    pub notes: BTreeMap<([u8; 3], NoteKind), u64>,
}

impl Counts {
    /// Adds one converted record.
    pub fn add(&mut self, c: &Converted<'_>) {
        self.records += 1;
        self.legacy_groups_in += c.fates().len() as u64;
        if self.api_groups.len() < API_NAMES.len() {
            self.api_groups.resize(API_NAMES.len(), 0);
        }
        let arena = &c.state.arena;
        for g in &arena.groups {
            match g.name {
                Name::Api(name) => {
                    if let Some(i) = API_NAMES.iter().position(|n| *n == name) {
                        self.api_groups[i] += 1;
                    }
                }
                Name::Legacy(code) => {
                    let code = arena.str(code);
                    match self.legacy_groups.get_mut(code) {
                        Some(n) => *n += 1,
                        None => {
                            self.legacy_groups.insert(code.to_owned(), 1);
                        }
                    }
                }
            }
        }
        for fate in c.fates() {
            self.placements[fate.placement as usize] += 1;
        }
        for note in c.notes() {
            let code = note.group.map_or(*b"---", |g| {
                c.state.codes.get(g).copied().unwrap_or(*b"???")
            });
            *self.notes.entry((code, note.kind)).or_default() += 1;
        }
    }

    /// Adds other counts.
    pub fn merge(&mut self, other: &Counts) {
        self.records += other.records;
        self.legacy_groups_in += other.legacy_groups_in;
        if self.api_groups.len() < other.api_groups.len() {
            self.api_groups.resize(other.api_groups.len(), 0);
        }
        for (a, b) in self.api_groups.iter_mut().zip(&other.api_groups) {
            *a += b;
        }
        for (k, v) in &other.legacy_groups {
            *self.legacy_groups.entry(k.clone()).or_default() += v;
        }
        for (a, b) in self.placements.iter_mut().zip(&other.placements) {
            *a += b;
        }
        for (k, v) in &other.notes {
            *self.notes.entry(*k).or_default() += v;
        }
    }

    /// Legacy groups that went the given way.
    pub fn placed(&self, placement: Placement) -> u64 {
        self.placements[placement as usize]
    }

    /// All output groups.
    pub fn output_groups(&self) -> u64 {
        self.api_groups.iter().sum::<u64>() + self.legacy_groups.values().sum::<u64>()
    }
}
