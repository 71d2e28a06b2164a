//! The rules that turn one person record into changes of the register's state (*säännöt*):
//! which row a group matches, and what its change attribute (*muutosattribuutti*) does to it.
//!
//! [`plan`] is pure: it reads a parsed record and returns an owned [`Plan`] (what the record
//! does), which the register then writes. `docs/register.md` states every rule.

use crate::field::{Code, PersonId, Text, VtjDate};
use crate::person::{Group, PersonRecord};
use crate::record::{ChangeAttribute, ChangeType, HeaderPart};
use crate::Encoding;

/// What one group does to the state (one entry of a [`Plan`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Op {
    /// Group code (*ryhmätunnus*), e.g. `*b"101"`.
    pub code: [u8; 3],
    /// The row key (*rivin avain*) within the person and the group code (see [`row_key`]).
    pub key: String,
    /// The row's new content (the host group and its qualifying groups in UTF-8 legacy text,
    /// separated by `|`), or `None` to remove the row.
    pub data: Option<String>,
}

/// What one record does to the register (*suunnitelma*).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Plan {
    /// The header's person id (*henkilötunnus*), as it stands (trailing spaces removed).
    pub person_id: String,
    /// Event code (*tapahtuma*).
    pub event: String,
    /// Registration date (*rekisteröintipäivä*) as `YYYYMMDD`, empty when it is not a full date.
    pub registered: String,
    /// Change type `1` (*uusi*): the person starts afresh, the earlier rows are dropped.
    pub new_person: bool,
    /// The person's new id when the record corrects the id (001, *henkilötunnuskorjaus*).
    pub rekey_to: Option<String>,
    /// The state changes, in record order.
    pub ops: Vec<Op>,
    /// The groups as `code:attribute`, space-separated, qualifying groups included (history).
    pub groups: String,
    /// Attribute-5 groups without an attribute-6 group of the same code after them.
    pub unpaired_corrections: u32,
    /// Qualifying groups with no host group before them on the record.
    pub orphan_qualifiers: u32,
    /// Groups whose change attribute is not one of 0, 1, 3, 4, 5, 6 (no state change).
    pub unknown_attributes: u32,
}

/// Why a record cannot be stored (a positioned reason without values).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unstorable {
    /// The group code where it happened.
    pub group: String,
    /// What: `"nul_character"`, `"unencodable"`.
    pub kind: &'static str,
}

fn date_key(d: &VtjDate<'_>, out: &mut String) {
    match d.to_yyyymmdd() {
        Some(b) => out.extend(b.iter().map(|&c| c as char)),
        None => match d {
            VtjDate::Invalid(raw) => out.push_str(&String::from_utf8_lossy(raw)),
            _ => out.push('?'),
        },
    }
}

fn id_key(id: &PersonId<'_>, enc: Encoding, out: &mut String) {
    out.push_str(&id.decode(enc));
}

fn text_key(t: &Text<'_>, out: &mut String) {
    out.push_str(&t.decode());
}

fn code_key<T: crate::field::CodeTable>(c: &Code<'_, T>, enc: Encoding, out: &mut String) {
    out.push_str(&c.decode(enc));
}

/// The identity of a person without a Finnish id (451) among the qualifiers: birth date,
/// sex, last name and first names.
fn person_without_id_key(qualifiers: &[Group<'_>], enc: Encoding, out: &mut String) {
    for q in qualifiers {
        if let Group::PersonWithoutId(p) = q {
            out.push_str("451:");
            date_key(&p.birth_date, out);
            out.push('/');
            code_key(&p.sex, enc, out);
            out.push('/');
            text_key(&p.last_name, out);
            out.push('/');
            text_key(&p.first_names, out);
            return;
        }
    }
}

/// The key that tells a group's row from the person's other rows of the same code
/// (*rivin tunniste*). Groups the person has at most one of (002, 003, 004, 008, 009, 013,
/// 015, 204, 401) have the empty key; the others:
///
/// | code | key |
/// |---|---|
/// | 001 | the id |
/// | 005, 423 | name kind and start date |
/// | 007 | country |
/// | 101, 102, 103, 104, 105 | start date |
/// | 305 (both layouts) | the guardian's id; when blank, the 451 person (birth date, sex, names) |
/// | 306, 316 | start date |
/// | 307 | the trustee's id; when blank, business id, municipality, legal-aid office and the 451 person |
/// | 317 | the attorney's id; when blank, the 451 person |
/// | 421 | e-mail kind and start date |
/// | 422 | foreign id and country |
/// | unknown codes | the whole group after the change attribute |
///
/// Dates are `YYYYMMDD` as written (`00000000` when unset).
///
/// ```
/// use muutostieto::person::PersonRecord;
/// use muutostieto::register::rules::row_key;
/// use muutostieto::{Encoding, ParseOptions};
///
/// let line = b"010101-900RXBX201909250101|007124612000010100000000|";
/// let (record, _) = PersonRecord::parse(line, &ParseOptions::default()).unwrap();
/// assert_eq!(row_key(&record.groups[0], &[], Encoding::Latin1), "246");
/// ```
pub fn row_key(group: &Group<'_>, qualifiers: &[Group<'_>], enc: Encoding) -> String {
    let mut k = String::new();
    match group {
        Group::IdCorrection(g) => id_key(&g.person_id, enc, &mut k),
        Group::MotherTongue(_)
        | Group::Sex(_)
        | Group::CurrentName(_)
        | Group::BirthMunicipality(_)
        | Group::ForeignBirthplace(_)
        | Group::DateOfDeath(_)
        | Group::NonDisclosure(_)
        | Group::HomeMunicipality(_)
        | Group::Occupation(_) => {}
        Group::NameHistory(g) | Group::CallName(g) => {
            code_key(&g.name_kind, enc, &mut k);
            k.push('/');
            date_key(&g.start, &mut k);
        }
        Group::Citizenship(g) => code_key(&g.country, enc, &mut k),
        Group::PermanentAddress(g) | Group::TemporaryAddress(g) => date_key(&g.start, &mut k),
        Group::PostalAddress(g) => date_key(&g.start, &mut k),
        Group::PermanentForeignAddress(g) | Group::TemporaryForeignAddress(g) => {
            date_key(&g.start, &mut k)
        }
        Group::GuardianLegacy(g) => {
            if g.guardian_id.is_blank() {
                person_without_id_key(qualifiers, enc, &mut k);
            } else {
                id_key(&g.guardian_id, enc, &mut k);
            }
        }
        Group::Guardian(g) => {
            if g.guardian_id.is_blank() {
                person_without_id_key(qualifiers, enc, &mut k);
            } else {
                id_key(&g.guardian_id, enc, &mut k);
            }
        }
        Group::Guardianship(g) => date_key(&g.start, &mut k),
        Group::PowerOfAttorney(g) => date_key(&g.start, &mut k),
        Group::Trustee(g) => {
            if g.trustee_id.is_blank() {
                text_key(&g.business_id, &mut k);
                k.push('/');
                k.push_str(&String::from_utf8_lossy(g.municipality.raw()));
                k.push('/');
                k.push_str(&g.legal_aid_office.as_str());
                k.push('/');
                person_without_id_key(qualifiers, enc, &mut k);
            } else {
                id_key(&g.trustee_id, enc, &mut k);
            }
        }
        Group::Attorney(g) => {
            if g.attorney_id.is_blank() {
                person_without_id_key(qualifiers, enc, &mut k);
            } else {
                id_key(&g.attorney_id, enc, &mut k);
            }
        }
        Group::Email(g) => {
            code_key(&g.kind, enc, &mut k);
            k.push('/');
            date_key(&g.start, &mut k);
        }
        Group::ForeignPersonId(g) => {
            text_key(&g.foreign_id, &mut k);
            k.push('/');
            code_key(&g.country, enc, &mut k);
        }
        Group::GuardianRight(_) | Group::PersonWithoutId(_) | Group::AdditionalInfo(_) => {
            // Qualifying groups have no rows of their own; as hosts (a record starting with
            // one) they are orphans and never reach here.
        }
        Group::Raw(raw) => {
            let rest = raw.bytes.get(4..).unwrap_or_default();
            k.push_str(&raw.encoding.decode(rest));
        }
    }
    k
}

/// The change attribute digit of a group (`b'?'` when it has none).
fn attribute(group: &Group<'_>) -> u8 {
    match group.change() {
        Some(c) => c.raw().first().copied().unwrap_or(b'?'),
        None => match group {
            Group::Raw(r) => r.change().unwrap_or(b'?'),
            _ => b'?',
        },
    }
}

fn known_attribute(group: &Group<'_>) -> Option<ChangeAttribute> {
    group.change().and_then(|c| c.known())
}

/// The row content: the host and its qualifying groups (those removed or to be corrected
/// left out) in UTF-8 legacy text, `|` between them.
fn row_data(host: &Group<'_>, qualifiers: &[Group<'_>]) -> Result<String, Unstorable> {
    thread_local! {
        // Written into, then copied out at its length: one allocation per row.
        static BUF: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    BUF.with_borrow_mut(|buf| row_data_in(host, qualifiers, buf))
}

fn row_data_in(
    host: &Group<'_>,
    qualifiers: &[Group<'_>],
    buf: &mut Vec<u8>,
) -> Result<String, Unstorable> {
    buf.clear();
    let code = || String::from_utf8_lossy(&host.code()).into_owned();
    let unencodable = |g: &Group<'_>| Unstorable {
        group: String::from_utf8_lossy(&g.code()).into_owned(),
        kind: "unencodable",
    };
    host.write_to(Encoding::Utf8, buf)
        .map_err(|_| unencodable(host))?;
    for q in qualifiers {
        if matches!(
            known_attribute(q),
            Some(ChangeAttribute::Removed | ChangeAttribute::ToBeCorrected)
        ) {
            continue;
        }
        buf.push(b'|');
        q.write_to(Encoding::Utf8, buf)
            .map_err(|_| unencodable(q))?;
    }
    if buf.contains(&0) {
        return Err(Unstorable {
            group: code(),
            kind: "nul_character",
        });
    }
    match std::str::from_utf8(buf) {
        Ok(text) => Ok(text.to_owned()),
        Err(_) => Err(unencodable(host)),
    }
}

/// The new id of a record that corrects the person's id (001, case 1 of the format
/// reference): a 001 passivates the header's id (validity `2`) and another 001 carries an
/// active id (validity `1`), both with attribute 1, 3 or 6.
fn rekey_target(record: &PersonRecord<'_>, header_id: &str, enc: Encoding) -> Option<String> {
    let changing = |g: &Group<'_>| {
        matches!(
            known_attribute(g),
            Some(ChangeAttribute::Added | ChangeAttribute::Changed | ChangeAttribute::Corrected)
        )
    };
    let passivated = record.groups.iter().any(|g| match g {
        Group::IdCorrection(c) => {
            changing(g) && c.validity.raw() == b"2" && c.person_id.decode(enc) == header_id
        }
        _ => false,
    });
    if !passivated {
        return None;
    }
    record.groups.iter().find_map(|g| match g {
        Group::IdCorrection(c) if changing(g) && c.validity.raw() == b"1" => {
            let id = c.person_id.decode(enc);
            (!id.is_empty() && id != header_id).then(|| id.into_owned())
        }
        _ => None,
    })
}

/// What `record` (read in `enc`) does to the register: the rules of `docs/register.md`.
///
/// * attribute 1 (added) and 3 (changed) put the group's row (insert or replace the row with
///   the same key); 6 (corrected) after a 5 (to be corrected) of the same code removes the
///   5's row and puts the 6's; a 6 on its own puts its row; 4 (removed) removes the row with
///   the group's key; 0 (additional information) changes nothing;
/// * qualifying groups (320, 451, 452) travel with their host; a host with attribute 0 whose
///   qualifiers carry another attribute puts its row (the qualifiers changed);
/// * change type `1` (new person) starts the person afresh; a 001 that passivates the
///   header's id together with a 001 that carries another, active id re-keys the person.
///
/// Errors when the record cannot be stored (a NUL character, a character UTF-8 cannot carry).
pub fn plan(record: &PersonRecord<'_>, enc: Encoding) -> Result<Plan, Unstorable> {
    let header = &record.header;
    let person_id = header.person_id.decode(enc).into_owned();
    let mut p = Plan {
        event: enc.decode(header.event()).trim_end().to_string(),
        registered: match header.registered {
            VtjDate::Full(_) => header
                .registered
                .to_yyyymmdd()
                .map(|b| b.iter().map(|&c| c as char).collect())
                .unwrap_or_default(),
            _ => String::new(),
        },
        new_person: header.change_type.known() == Some(ChangeType::New),
        rekey_to: rekey_target(record, &person_id, enc),
        person_id,
        ..Plan::default()
    };
    if p.person_id.contains('\0') || p.event.contains('\0') {
        return Err(Unstorable {
            group: String::new(),
            kind: "nul_character",
        });
    }
    p.groups.reserve(record.groups.len() * 6);
    for g in &record.groups {
        if !p.groups.is_empty() {
            p.groups.push(' ');
        }
        p.groups.push_str(&String::from_utf8_lossy(&g.code()));
        p.groups.push(':');
        p.groups.push(attribute(g) as char);
    }
    let entries: Vec<_> = record.entries().collect();
    let mut i = 0;
    while i < entries.len() {
        let e = entries[i];
        i += 1;
        let g = e.group;
        if g.is_qualifying() {
            p.orphan_qualifiers += 1;
            continue;
        }
        let attr = match g {
            Group::Raw(r) => match r.change() {
                Some(b'0') => Some(ChangeAttribute::AdditionalInfo),
                Some(b'1') => Some(ChangeAttribute::Added),
                Some(b'3') => Some(ChangeAttribute::Changed),
                Some(b'4') => Some(ChangeAttribute::Removed),
                Some(b'5') => Some(ChangeAttribute::ToBeCorrected),
                Some(b'6') => Some(ChangeAttribute::Corrected),
                _ => None,
            },
            _ => known_attribute(g),
        };
        let put = |p: &mut Plan| -> Result<(), Unstorable> {
            let data = row_data(g, e.qualifiers)?;
            p.ops.push(Op {
                code: g.code(),
                key: row_key(g, e.qualifiers, enc),
                data: Some(data),
            });
            Ok(())
        };
        let remove = |p: &mut Plan| {
            p.ops.push(Op {
                code: g.code(),
                key: row_key(g, e.qualifiers, enc),
                data: None,
            })
        };
        match attr {
            Some(
                ChangeAttribute::Added | ChangeAttribute::Changed | ChangeAttribute::Corrected,
            ) => put(&mut p)?,
            Some(ChangeAttribute::Removed) => remove(&mut p),
            Some(ChangeAttribute::ToBeCorrected) => {
                let next = entries.get(i).filter(|n| {
                    n.group.code() == g.code()
                        && known_attribute(n.group) == Some(ChangeAttribute::Corrected)
                        || matches!(n.group, Group::Raw(r) if r.code() == g.code() && r.change() == Some(b'6'))
                });
                if next.is_some() {
                    // The 6 that follows puts its row (handled as the next entry).
                    remove(&mut p);
                } else {
                    p.unpaired_corrections += 1;
                }
            }
            Some(ChangeAttribute::AdditionalInfo) => {
                let changed_qualifier = e.qualifiers.iter().any(|q| {
                    known_attribute(q).is_some_and(|a| a != ChangeAttribute::AdditionalInfo)
                });
                if changed_qualifier {
                    put(&mut p)?;
                }
            }
            None => p.unknown_attributes += 1,
        }
    }
    Ok(p)
}
