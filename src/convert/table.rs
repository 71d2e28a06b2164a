//! The mapping table: for every legacy person group (each layout), where it goes in the API
//! model and how each API field is made from which legacy fields. The conversion runs these
//! rows, and `docs/api-mapping.md` is generated from them ([`markdown`]), so the document says
//! what the code does.
//!
//! A row is `"apiField" = rule<CODE_MAP>(legacy_fields) [flags];` where the rule is one of
//! [`rules`](super::rules) (described in [`RULE_DOCS`](super::rules::RULE_DOCS)), the code map
//! one of the maps below, and the flags `inferred` (not settled by the sources; marked in the
//! document) and `protected` (removed, and named in `turvakiellonAlaisetKentat`, when the
//! group carries the security-ban placeholder). Legacy fields a group has but no row uses are
//! listed as `not_carried`: the API has no field for them; a conversion notes each one that was
//! not blank.

use std::fmt::Write as _;

use crate::person::{Group, GroupKind};

use super::build::Cx;
use super::out::Val;
use super::rules::{self, Src};

/// Where a legacy group goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A group of its own, named by the target.
    Group,
    /// Merged with the record's other groups of the code into one group (007 → `KANSALAISUUS`).
    Merged,
    /// Nested in the group before it, at the target path (307, 317).
    Nested,
    /// A qualifying group, nested in its host (320, 451, 452).
    Qualifier,
}

impl Target {
    fn describe(self) -> &'static str {
        match self {
            Target::Group => "group",
            Target::Merged => "merged into one group per record",
            Target::Nested => "nested in the group before it",
            Target::Qualifier => "qualifying group, nested in its host",
        }
    }
}

/// A code map: legacy codes and the API enum names they become.
#[derive(Debug)]
pub struct CodeMap {
    /// The map's name in the table.
    pub name: &'static str,
    /// `(legacy code, API name, inferred)`; a blank legacy code is `""`.
    pub pairs: &'static [(&'static str, &'static str, bool)],
}

/// One row: an API field and how it is made.
#[derive(Debug)]
pub struct RowMap {
    /// The API field (JSON name).
    pub key: &'static str,
    /// The rule's name (see [`super::rules::RULE_DOCS`]).
    pub rule: &'static str,
    /// The code map the rule uses.
    pub code_map: Option<&'static CodeMap>,
    /// The legacy fields it reads (the person layout's field names).
    pub legacy: &'static [&'static str],
    /// Not settled by the sources.
    pub inferred: bool,
    /// Removed under a security ban.
    pub protected: bool,
}

/// The mapping of one legacy group layout.
#[derive(Debug)]
pub struct GroupMap {
    /// The legacy code, e.g. `"101"`.
    pub code: &'static str,
    /// The layout.
    pub kind: GroupKind,
    /// Where the group goes.
    pub target: Target,
    /// The API group name, or the path it is nested at.
    pub api: &'static str,
    /// The whole placement is inferred.
    pub inferred: bool,
    /// The rows, in output order.
    pub rows: &'static [RowMap],
    /// Legacy fields without an API counterpart.
    pub not_carried: &'static [&'static str],
    /// Further rules in words.
    pub notes: &'static [&'static str],
}

macro_rules! code_maps {
    ($( $Name:ident = [ $( ($code:literal, $api:literal $(, $inf:ident)?) ),+ $(,)? ]; )+) => {
        $(
            pub static $Name: CodeMap = CodeMap {
                name: stringify!($Name),
                pairs: &[ $( ($code, $api, code_maps!(@inf $($inf)?)) ),+ ],
            };
        )+
        /// Every code map, for the documentation.
        pub static CODE_MAPS: &[&CodeMap] = &[ $( &$Name ),+ ];
    };
    (@inf) => { false };
    (@inf inferred) => { true };
}

macro_rules! mapping {
    ( $(
        $code:literal $Variant:ident => $target:ident $api:literal $([ $($gflag:ident)+ ])? {
            $( $key:literal = $rule:ident $(< $param:ident >)? ( $($f:ident),* ) $([ $($flag:ident)+ ])? ; )*
        }
        $( not_carried ( $($nc:ident),+ ) ; )?
        $( note $note:literal ; )*
    )+ ) => {
        /// The mapping of every legacy person group layout, in code order.
        pub static TABLE: &[GroupMap] = &[ $(
            GroupMap {
                code: $code,
                kind: GroupKind::$Variant,
                target: Target::$target,
                api: $api,
                inferred: mapping!(@inferred $($($gflag)+)?),
                rows: &[ $( RowMap {
                    key: $key,
                    rule: stringify!($rule),
                    code_map: mapping!(@map $($param)?),
                    legacy: &[ $(stringify!($f)),* ],
                    inferred: mapping!(@inferred $($($flag)+)?),
                    protected: mapping!(@protected $($($flag)+)?),
                } ),* ],
                not_carried: &[ $($(stringify!($nc)),+)? ],
                notes: &[ $($note),* ],
            },
        )+ ];

        /// Runs the rows of a typed group into `obj` (nothing for raw groups).
        pub(crate) fn emit_rows(
            group: &Group<'_>,
            cx: &mut Cx<'_, '_, '_>,
            obj: &mut Vec<(&'static str, Val)>,
        ) {
            match group {
                $( Group::$Variant(_g) => {
                    $( {
                        let v = rules::$rule(cx $(, &$param)? $(, Src::from(&_g.$f))*);
                        cx.put(obj, $key, v, mapping!(@protected $($($flag)+)?));
                    } )*
                    $( $( cx.uncarried(Src::from(&_g.$nc), stringify!($nc)); )+ )?
                } )+
                Group::Raw(_) => {}
            }
        }
    };
    (@map) => { None };
    (@map $p:ident) => { Some(&$p) };
    (@inferred) => { false };
    (@inferred inferred $($r:ident)*) => { true };
    (@inferred $x:ident $($r:ident)*) => { mapping!(@inferred $($r)*) };
    (@protected) => { false };
    (@protected protected $($r:ident)*) => { true };
    (@protected $x:ident $($r:ident)*) => { mapping!(@protected $($r)*) };
}

code_maps! {
    ID_VALIDITY = [("1", "AKTIIVI"), ("2", "PASSIIVI")];
    VALIDITY = [("1", "AKTIIVI"), ("2", "PASSIIVI")];
    SEX = [("1", "MIES"), ("2", "NAINEN"), ("", "PUUTTUU")];
    SEX_OF_PERSON = [("1", "MIES"), ("2", "NAINEN")];
    NAME_KIND = [
        ("01", "NYKYINEN_SUKUNIMI"),
        ("02", "NYKYINEN_ETUNIMI"),
        ("04", "NYKYINEN_KUTSUMANIMI"),
        ("05", "EDELLINEN_SUKUNIMI"),
        ("06", "EDELLINEN_ETUNIMI"),
        ("07", "VIIMEKSI_NAIMATTOMANA_OLLESSA_OLLUT_SUKUNIMI"),
        ("09", "EDELLINEN_KUTSUMANIMI"),
    ];
    GUARDIAN_KIND = [("1", "LAKISAATEINEN_HUOLTAJA"), ("2", "MAARATTY_HUOLTAJA")];
    LEGACY_GUARDIAN_KIND = [
        ("03", "LAKISAATEINEN_HUOLTAJA", inferred),
        ("36", "MAARATTY_HUOLTAJA", inferred),
        ("06", "MAARATTY_HUOLTAJA", inferred),
    ];
    GUARDIAN_ROLE = [
        ("1", "ISA"),
        ("2", "AITI"),
        ("3", "ADOPTIOISA"),
        ("4", "ADOPTIOAITI"),
        ("6", "TUNNUSTANUT_AITI", inferred),
        ("", "MUU_HUOLTAJA", inferred),
    ];
    RESIDENCE = [("2", "AIDIN_LUONA")];
}

mapping! {
    "001" IdCorrection => Group "HENKILOTUNNUS_KORJAUS" {
        "voimassaolo" = code<ID_VALIDITY>(validity);
        "muutettuHenkilotunnus" = id(person_id);
        "aktiivinenHenkilotunnus" = active_id() [inferred];
        "edellisetHenkilotunnukset" = previous_ids() [inferred];
    }
    note "Each 001 group becomes one group, as the API sends one `AKTIIVI` and one `PASSIIVI` group for one change.";

    "002" MotherTongue => Group "AIDINKIELI" {
        "kielikoodi" = raw(language);
        "nimi" = qualifier();
    }
    note "`kielikoodiISO6392` is not made: the legacy format has only the two-letter code.";

    "003" Sex => Group "SUKUPUOLI" {
        "sukupuoli" = code<SEX>(sex);
    }

    "004" CurrentName => Group "HENKILON_NIMI" {
        "sukunimi" = text(last_name);
        "etunimi" = text(first_names);
        "alkupv" = date(updated) [inferred];
        "lisatieto" = raw(special_characters) [inferred];
    }
    note "The date at offset 204 (Java `lastUpdateDate`) is taken as the name's start date, and the flag at 212 (Java `additionalInformation`) as `lisatieto`: the names match, the meanings are not documented.";

    "005" NameHistory => Group "NIMENMUUTOS" {
        "nimi" = text(name);
        "nimilaji" = code<NAME_KIND>(name_kind);
        "alkupv" = date(start);
        "loppupv" = date(end);
    }
    not_carried(non_standard_characters);
    note "Always `NIMENMUUTOS`: the legacy group has no `nimenmuutostapa`, so `NIMENMUUTOS_LAAJA` is never made.";

    "007" Citizenship => Merged "KANSALAISUUS.henkilonKansalaisuudet[]" {
        "kansalaisuuskoodi" = raw(country);
        "voimassaolo" = code<VALIDITY>(validity);
        "saamispv" = date(start);
        "menetyspv" = date(end);
    }
    note "All 007 groups of a record become ONE `KANSALAISUUS` group, at the place of the first: every citizenship in `henkilonKansalaisuudet` (in order), and, in changes (not base data), each also in the delta list of its change digit: 1 `lisatytKansalaisuudet`, 3 `muutetutKansalaisuudet`, 4 `poistetutKansalaisuudet`, 5 `korjattavatKansalaisuudet`, 6 `korjatutKansalaisuudet` (0: none). [inferred]";
    note "The merged group's `muutosattribuutti`: `LISATIETO` when every digit is 0; else the one value of the non-zero digits when they agree; `KORJATTU` for 5 and 6 together; otherwise `MUUTETTU`. [inferred]";
    note "A 452 after a 007 (country `998` named in words) has no API field (`CitizenshipEntry` has only the code): it becomes `LEGACY_452`.";

    "008" BirthMunicipality => Group "SYNTYMAKOTIKUNTA" {
        "kuntakoodi" = digits(municipality);
    }

    "009" ForeignBirthplace => Group "ULKOMAINEN_SYNTYMAPAIKKA" {
        "valtiokoodi" = raw(country);
        "ulkomainenSyntymapaikka" = place_or_452(place) [inferred];
    }
    note "A 452 (country `998` in words) fills `ulkomainenSyntymapaikka` only when the place is blank; otherwise it becomes `LEGACY_452`. [inferred]";

    "013" DateOfDeath => Group "KUOLINPAIVA" {
        "kuollut" = dead(date) [inferred];
        "kuolinpv" = date(date);
    }

    "015" NonDisclosure => Group "TURVAKIELTO" {
        "turvakieltoAktiivinen" = ban_active(end) [inferred];
        "turvaLoppuPv" = date(end);
    }
    note "`99990000` (until further notice): `turvakieltoAktiivinen: true` and no `turvaLoppuPv`.";

    "101" PermanentAddress => Group "VAKINAINEN_KOTIMAINEN_OSOITE" {
        "katunimi" = ml(street_fi, street_sv) [protected];
        "katunumero" = text(house_number) [protected];
        "huoneistokirjain" = text(staircase) [protected];
        "huoneistonumero" = nonzero(apartment) [protected];
        "jakokirjain" = text(division_letter) [protected];
        "postinumero" = digits(postal_code) [protected];
        "alkupv" = date(start);
        "loppupv" = date(end);
    }
    note "The staircase letter (*porraskirjain*) is the API's `huoneistokirjain` (the letter of the dwelling identifier's layout in section 1.5).";
    note "`postitoimipaikka`, `rakennustunnus`, `osoitenumero`, `kuntakoodi` and the `*_ASUINPAIKKATUNNUS` group are not made: the legacy group has no such fields.";

    "102" TemporaryAddress => Group "TILAPAINEN_KOTIMAINEN_OSOITE" {
        "katunimi" = ml(street_fi, street_sv) [protected];
        "katunumero" = text(house_number) [protected];
        "huoneistokirjain" = text(staircase) [protected];
        "huoneistonumero" = nonzero(apartment) [protected];
        "jakokirjain" = text(division_letter) [protected];
        "postinumero" = digits(postal_code) [protected];
        "alkupv" = date(start);
        "loppupv" = date(end);
    }
    note "As 101.";

    "103" PostalAddress => Group "KOTIMAINEN_POSTIOSOITE" {
        "postiosoite" = ml(address_fi, address_sv) [protected];
        "postinumero" = digits(postal_code) [protected];
        "alkupv" = date(start);
        "loppupv" = date(end);
    }
    note "Always `KOTIMAINEN_POSTIOSOITE`: nothing in the legacy group tells a foreign postal address.";

    "104" PermanentForeignAddress => Group "VAKINAINEN_ULKOMAINEN_OSOITE" {
        "lahiosoite" = text(street) [protected];
        "paikkakunta" = text(locality) [protected];
        "valtiokoodi" = raw(country) [protected];
        "valtionimi" = qualifier() [protected];
        "alkupv" = date(start);
        "loppupv" = date(end);
    }

    "105" TemporaryForeignAddress => Group "TILAPAINEN_ULKOMAINEN_OSOITE" {
        "lahiosoite" = text(street) [protected];
        "paikkakunta" = text(locality) [protected];
        "valtiokoodi" = raw(country) [protected];
        "valtionimi" = qualifier() [protected];
        "alkupv" = date(start);
        "loppupv" = date(end);
    }

    "204" HomeMunicipality => Group "KOTIKUNTA" {
        "kuntakoodi" = digits(municipality) [protected inferred];
        "kuntaanMuuttopv" = date(moved_in);
        "kuntaanMuuttoPv" = date_alt(moved_in);
    }
    note "The API sends the move-in date under both spellings (section 1.5); so does the conversion, unless `both_move_in_spellings` is off.";
    note "Municipality `000` in a record with a security ban (an active 015, or an address with the placeholder) is the placeholder: `kuntakoodi` is removed and named in `turvakiellonAlaisetKentat`. [inferred]";
    note "Always `KOTIKUNTA`: the legacy group does not tell a previous municipality, so `EDELLINEN_KOTIKUNTA` is never made.";

    "305" GuardianLegacy => Group "HUOLTAJA" {
        "huoltaja" = person(guardian_id);
        "huoltajanLaji" = code<LEGACY_GUARDIAN_KIND>(relationship) [inferred];
        "huoltosuhteenAlkupv" = date(start);
        "huoltosuhteenLoppupv" = date(end);
        "oikeudet" = rights();
        "lisatytOikeudet" = rights_added() [inferred];
        "muutetutOikeudet" = rights_changed() [inferred];
        "poistetutOikeudet" = rights_removed() [inferred];
    }
    not_carried(custody_division, validity, decision_date);
    note "The layout before 2019-12-01 (43 characters). The legacy consumer itself reads only the id and the dates of it.";
    note "Always `HUOLTAJA` (the record is the child's); `HUOLTAJA_SUPPEA`, `HUOLLETTAVA*` are never made.";

    "305" Guardian => Group "HUOLTAJA" {
        "huoltaja" = person(guardian_id);
        "huoltajanLaji" = code<GUARDIAN_KIND>(kind);
        "huoltajanRooli" = code<GUARDIAN_ROLE>(role);
        "huoltosuhteenAlkupv" = date(start);
        "huoltosuhteenLoppupv" = date(end);
        "asuminen" = code<RESIDENCE>(residence);
        "asumisenAlkupv" = date(residence_start);
        "asumisenLoppupv" = date(residence_end);
        "oikeudet" = rights();
        "lisatytOikeudet" = rights_added() [inferred];
        "muutetutOikeudet" = rights_changed() [inferred];
        "poistetutOikeudet" = rights_removed() [inferred];
    }
    note "The layout from 2019-12-01 (50 characters). A 452 after the 451 (the person's country `998` in words) has no API field: it becomes `LEGACY_452`.";

    "306" Guardianship => Group "EDUNVALVONTA" {
        "alkupv" = date(start);
        "paatymispv" = date(end);
        "nykyisetEdunvalvojat" = guardians() [inferred];
    }
    not_carried(duties_divided, legal_capacity, trustee_count);

    "307" Trustee => Nested "EDUNVALVONTA.nykyisetEdunvalvojat[]" [inferred] {
        "edunvalvoja" = person(trustee_id);
    }
    not_carried(business_id, municipality, legal_aid_office, start, end);
    note "A 307 that does not follow a 306 (or another nested 307) starts an `EDUNVALVONTA` group of its own, with its change digit and only `nykyisetEdunvalvojat`.";
    note "A 307 with a blank identity code and no 451 (a guardian known by municipality or legal-aid office only; seen in the samples) is not nested as an empty person: it becomes `LEGACY_307`.";
    note "The 307's own change digit is not carried (the API has none per guardian); a conversion notes it when it differs from the 306's.";

    "316" PowerOfAttorney => Group "EDUNVALVONTAVALTUUTUS" {
        "nykyisetEdunvalvontavaltuutetut" = attorneys() [inferred];
    }
    not_carried(start, end, duties_divided, attorney_count);

    "317" Attorney => Nested "EDUNVALVONTAVALTUUTUS.nykyisetEdunvalvontavaltuutetut[]" [inferred] {
        "edunvalvontavaltuutettu" = person(attorney_id);
        "valtuutussuhteenAlkupv" = date(start);
        "valtuutussuhteenLoppupv" = date(end);
    }
    note "As 307: a 317 without a 316 before it starts an `EDUNVALVONTAVALTUUTUS` group of its own; its change digit is not carried.";

    "320" GuardianRight => Qualifier "HUOLTAJA.oikeudet[]" {
        "oikeus" = raw(right);
        "oikeudenAlkupv" = date(start);
        "oikeudenLoppupv" = date(end);
    }
    note "The right code (`P501`, `T301`, …) is kept as it stands: the API's `oikeus` tokens for it are not known.";

    "401" Occupation => Group "AMMATTI" {
        "ammatti" = text(title);
    }
    not_carried(occupation_code);

    "421" Email => Group "SAHKOPOSTIOSOITE" {
        "sahkopostiosoite" = text(address);
        "lajikoodi" = raw(kind);
        "alkupv" = date(start);
        "loppupv" = date(end);
    }
    note "The kind code (99, 11, 12) is kept as it stands: the API's `lajikoodi` values for them are not known (one, `MAISTRAATTI`, is seen).";

    "422" ForeignPersonId => Group "ULKOMAINEN_HENKILOTUNNUS" {
        "ulkomainenHenkilotunnus" = text(foreign_id);
        "valtiokoodi" = raw(country);
        "voimassaolo" = code<VALIDITY>(validity);
    }
    not_carried(sex, source, id_type, issued, passivated, stored_in_vtj, passivated_in_vtj, valid_in_vtj);

    "423" CallName => Group "KUTSUMANIMI" {
        "nimi" = text(name);
        "nimilaji" = code<NAME_KIND>(name_kind);
        "alkupv" = date(start);
        "loppupv" = date(end);
    }
    not_carried(non_standard_characters);

    "451" PersonWithoutId => Qualifier "huoltaja / edunvalvoja / edunvalvontavaltuutettu (HenkiloViite)" [inferred] {
        "syntymapv" = date(birth_date);
        "sukupuoli" = code<SEX_OF_PERSON>(sex);
        "sukunimi" = text(last_name);
        "etunimet" = text(first_names);
        "kansalaisuuskoodi" = raw(citizenship);
    }
    note "Nested in the person reference of the 305, 307 or 317 before it (the first 451 only); elsewhere, or a second one, it becomes `LEGACY_451`.";

    "452" AdditionalInfo => Qualifier "AIDINKIELI.nimi, *_ULKOMAINEN_OSOITE.valtionimi, ULKOMAINEN_SYNTYMAPAIKKA.ulkomainenSyntymapaikka" [inferred] {
        "nimi | valtionimi | ulkomainenSyntymapaikka" = text(text);
    }
    note "The text of the first 452 after a 002, 104, 105 or (when its place is blank) 009 fills that group's free-text field; any other 452 becomes `LEGACY_452`.";
}

/// The mapping of a typed group's layout.
pub fn entry_of(kind: GroupKind) -> Option<&'static GroupMap> {
    TABLE.iter().find(|m| m.kind == kind)
}

/// The rules that hold for every group, for the document: `(rule, inferred)`.
pub const GENERAL: &[(&str, bool)] = &[
    ("One `Muutos` per legacy record (continuation lines already merged by the reader); `henkilotunnus` is the header's identity code.", false),
    ("`muutospv` is the header's registration date at 00:00 Finnish time (EET, UTC+2; summer time EEST, UTC+3, from the last Sunday of March to the last Sunday of October; before 1996 to the last Sunday of September) as a UTC instant with milliseconds: 25 September 2019 is `2019-09-24T21:00:00.000Z`. A registration date that is not a full date gives an empty `muutospv` and a note.", false),
    ("`muutosattribuutti` from the change digit (table 1.4): 0 `LISATIETO`, 1 `LISATTY`, 3 `MUUTETTU`, 4 `POISTETTU`, 5 `KORJATTAVA`, 6 `KORJATTU`. A group whose digit has no value (2, or not a digit) becomes `LEGACY_<code>`. Base data (`perustiedot`) leaves `muutosattribuutti` out.", false),
    ("The groups keep their order: a `KORJATTAVA` group is directly followed by its `KORJATTU` replacement; nested groups go into their host; `LEGACY_` groups made of a host's qualifying or nested groups follow the host.", false),
    ("Dates: `{\"arvo\": \"YYYY-MM-DD\", \"tarkkuus\": \"PAIVA\"}`. A partial date keeps a valid ISO `arvo` with a missing month or day as 01 and says which parts are real: `yyyymm00` → `KUUKAUSI`, `yyyy0000` → `VUOSI`.", true),
    ("`00000000` (no date) and `99990000` (until further notice) leave the date field out.", false),
    ("An invalid date (or any value a rule cannot convert) sends the whole group to `LEGACY_<code>`: no value is invented.", false),
    ("Text is decoded in the file's encoding and trimmed; empty fields are left out.", false),
    ("Codes become the API's enum names where section 1.5 lists them (code maps below); any other code is kept as it stands.", false),
    ("Security ban: an address group (101–105) whose text starts with the register's placeholder `***` (e.g. `***Lisätietoja maistraatista`) loses its `protected` fields, which are named in `turvakiellonAlaisetKentat`. This holds in a record with an active 015 and, as a decision, also without one (the placeholder is never an address; a note says so).", false),
    ("A group with no API counterpart (an unknown code, a group kept raw, a qualifying group without a host) is never dropped: it becomes `{\"tietoryhma\": \"LEGACY_<code>\", \"muutosattribuutti\": ..., \"teksti\": \"<the group as in the file>\"}`, and the conversion counts it.", false),
];

fn layout_field(kind: GroupKind, name: &str) -> String {
    match kind.layout().field(name) {
        Some(f) => format!("`{name}` ({}:{})", f.offset, f.len),
        None => format!("`{name}`"),
    }
}

/// The mapping document (`docs/api-mapping.md`), generated from the table.
pub fn markdown() -> String {
    let mut s = String::new();
    s.push_str(
        "# Legacy person groups → the change API's JSON model\n\n\
         Generated from the conversion's mapping table (`src/convert/table.rs`) by \
         `muutostieto::convert::mapping_markdown()`; `tests/convert_docs.rs` checks that this file \
         is up to date (`MUUTOSTIETO_BLESS=1` writes it again). The API model is \
         `docs/api-model.md`; the sources are sections 1.3–1.8 of the API mapping spec and the \
         person format reference. **inferred** marks what the sources do not settle.\n\n\
         ## Rules for every group\n\n",
    );
    for (rule, inferred) in GENERAL {
        let mark = if *inferred { " **inferred**" } else { "" };
        let _ = writeln!(s, "- {rule}{mark}");
    }
    s.push_str("\n## Summary\n\n| legacy | layout | → | API |\n|---|---|---|---|\n");
    for m in TABLE {
        let mark = if m.inferred { " **inferred**" } else { "" };
        let _ = writeln!(
            s,
            "| {} | {} | {} | `{}`{mark} |",
            m.code,
            m.kind.layout().name,
            m.target.describe(),
            m.api
        );
    }
    s.push_str("| other | unknown code, raw group, qualifying group without a host | group | `LEGACY_<code>` |\n");
    s.push_str("\n## Groups\n");
    for m in TABLE {
        let layout = m.kind.layout();
        let variant = layout
            .variant
            .as_ref()
            .map(|v| format!(", {v}"))
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "\n### {} {} ({}{variant}) → `{}`\n",
            m.code, layout.finnish, layout.name, m.api
        );
        let mark = if m.inferred { " **inferred**" } else { "" };
        let _ = writeln!(s, "{}.{mark}\n", capitalise(m.target.describe()));
        if !m.rows.is_empty() {
            s.push_str(
                "| API field | legacy field (offset:length) | rule | notes |\n|---|---|---|---|\n",
            );
            for r in m.rows {
                let legacy = if r.legacy.is_empty() {
                    from_record(r.rule).to_string()
                } else {
                    r.legacy
                        .iter()
                        .map(|f| layout_field(m.kind, f))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let rule = match r.code_map {
                    Some(map) => format!("`{}` with `{}`", r.rule, map.name),
                    None => format!("`{}`", r.rule),
                };
                let mut flags = Vec::new();
                if r.inferred {
                    flags.push("**inferred**");
                }
                if r.protected {
                    flags.push("protected");
                }
                let _ = writeln!(
                    s,
                    "| `{}` | {legacy} | {rule} | {} |",
                    r.key,
                    flags.join(", ")
                );
            }
            s.push('\n');
        }
        if !m.not_carried.is_empty() {
            let fields: Vec<_> = m
                .not_carried
                .iter()
                .map(|f| layout_field(m.kind, f))
                .collect();
            let _ = writeln!(s, "Not carried (no API field): {}.\n", fields.join(", "));
        }
        for note in m.notes {
            let note = note.replace("[inferred]", "**inferred**");
            let _ = writeln!(s, "- {note}");
        }
    }
    s.push_str("\n## Rules\n\n| rule | what it does |\n|---|---|\n");
    for (name, doc) in rules::RULE_DOCS {
        let _ = writeln!(s, "| `{name}` | {doc} |");
    }
    s.push_str(
        "\n## Code maps\n\nA code not in the map is kept as it stands; blank is `\"\"`.\n\n",
    );
    for map in CODE_MAPS {
        let pairs: Vec<_> = map
            .pairs
            .iter()
            .map(|(code, api, inferred)| {
                let code = if code.is_empty() { "blank" } else { code };
                let mark = if *inferred { " (**inferred**)" } else { "" };
                format!("{code} → `{api}`{mark}")
            })
            .collect();
        let _ = writeln!(s, "- `{}`: {}", map.name, pairs.join(", "));
    }
    s
}

/// What a record-level rule reads, for the document.
fn from_record(rule: &str) -> &'static str {
    match rule {
        "qualifier" => "the 452 after it",
        "rights" | "rights_added" | "rights_changed" | "rights_removed" => {
            "the 320 groups after it"
        }
        "guardians" => "the 307 groups after it",
        "attorneys" => "the 317 groups after it",
        "active_id" | "previous_ids" => "the record's 001 groups",
        _ => "(record)",
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
