//! The JSON model of the change API (`muutostieto::api`): hand-written documents in
//! `tests/fixtures/api/` (shapes from sections 1.2–1.5 of the mapping spec) read into the types
//! and written back to the same JSON value, whole and piece by piece.

use std::collections::BTreeSet;
use std::path::PathBuf;

use muutostieto::api::*;
use serde_json::{json, Value};

fn fixture_text(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/api")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn fixture(name: &str) -> Value {
    serde_json::from_str(&fixture_text(name)).unwrap()
}

const ALL_FIXTURES: &[&str] = &[
    "muutokset.json",
    "muutokset-kirjausavain-merkkijonona.json",
    "perustiedot.json",
    "perustiedot-vko.json",
    "kirjausavain.json",
];

/// Reads `text` as `T` (from the text, not from a `Value`) and writes it back as a `Value`.
fn reread<T: serde::de::DeserializeOwned + serde::Serialize>(text: &str) -> (T, Value) {
    let typed: T = serde_json::from_str(text).unwrap();
    let again = serde_json::to_value(&typed).unwrap();
    (typed, again)
}

/// Every group object in a document, nested `voimassaolevatTiedot` included.
fn raw_groups(doc: &Value) -> Vec<Value> {
    fn walk(v: &Value, out: &mut Vec<Value>) {
        match v {
            Value::Object(map) => {
                if map.contains_key("tietoryhma") {
                    out.push(v.clone());
                }
                map.values().for_each(|v| walk(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(doc, &mut out);
    out
}

fn groups_of_changes(resp: &MuutoksetResponse) -> Vec<&Tietoryhma> {
    resp.changes.iter().flat_map(|c| &c.groups).collect()
}

// --- Whole documents ----------------------------------------------------------------------------

#[test]
fn muutokset_document_round_trips() {
    let text = fixture_text("muutokset.json");
    let (resp, again): (MuutoksetResponse, _) = reread(&text);
    assert_eq!(again, fixture("muutokset.json"));
    assert_eq!(resp.latest_token, 5_446_623_424);
    assert!(!resp.up_to_date);
    assert_eq!(resp.changes.len(), 5);
    assert_eq!(resp.extra["palvelunTunniste"], "hiekkalaatikko");
    assert_eq!(resp.changes[4].extra["kasittelytunnus"], 42);
}

#[test]
fn perustiedot_document_round_trips() {
    let text = fixture_text("perustiedot.json");
    let (resp, again): (PerustiedotResponse, _) = reread(&text);
    assert_eq!(again, fixture("perustiedot.json"));
    assert!(resp.up_to_date);
    assert_eq!(resp.persons().len(), 3);
    assert_eq!(resp.extraction_date, None);
    assert_eq!(
        resp.persons()[2].extra["lisatietoja"]["lahde"],
        "hiekkalaatikko"
    );
    // Base data has no change attributes.
    for person in resp.persons() {
        for group in &person.groups {
            assert_eq!(group.change(), None, "{}", group.name());
        }
    }
}

#[test]
fn token_sent_as_a_string_is_written_back_as_a_number() {
    let text = fixture_text("muutokset-kirjausavain-merkkijonona.json");
    let (resp, again): (MuutoksetResponse, _) = reread(&text);
    assert_eq!(resp.latest_token, 5_446_623_423);
    // The only difference from the input: the token normalises from "5446623423" to 5446623423.
    let mut expected = fixture("muutokset-kirjausavain-merkkijonona.json");
    assert_eq!(expected["viimeisinKirjausavain"], "5446623423");
    expected["viimeisinKirjausavain"] = json!(5_446_623_423_i64);
    assert_eq!(again, expected);
    // Written as a number, it reads back to the same value and stays a number.
    let twice: MuutoksetResponse = serde_json::from_value(again.clone()).unwrap();
    assert_eq!(twice, resp);
    assert_eq!(serde_json::to_value(&twice).unwrap(), again);
}

#[test]
fn kirjausavain_and_weekly_perustiedot_round_trip() {
    let (token, again): (KirjausavainResponse, _) = reread(&fixture_text("kirjausavain.json"));
    assert_eq!(token.latest_token, 5_446_623_423);
    assert_eq!(again, fixture("kirjausavain.json"));

    let (weekly, again): (PerustiedotResponse, _) = reread(&fixture_text("perustiedot-vko.json"));
    assert_eq!(weekly.extraction_date.as_deref(), Some("2024-05-06"));
    assert_eq!(weekly.base_data, None, "a missing key is kept missing");
    assert!(weekly.persons().is_empty());
    assert_eq!(again, fixture("perustiedot-vko.json"));

    let empty = json!({"ajanTasalla": true, "perustiedot": []});
    let resp: PerustiedotResponse = serde_json::from_value(empty.clone()).unwrap();
    assert_eq!(resp.base_data, Some(vec![]));
    assert_eq!(serde_json::to_value(&resp).unwrap(), empty);
}

#[test]
fn token_accepts_number_or_numeric_string_only() {
    for (input, expected) in [
        (json!(0), 0),
        (json!(5_446_623_423_i64), 5_446_623_423),
        (json!("5446623423"), 5_446_623_423),
        (json!(i64::MAX), i64::MAX),
        (json!("-1"), -1),
    ] {
        let resp: KirjausavainResponse =
            serde_json::from_value(json!({ "viimeisinKirjausavain": input })).unwrap();
        assert_eq!(resp.latest_token, expected, "{input}");
        assert_eq!(
            serde_json::to_value(&resp).unwrap(),
            json!({ "viimeisinKirjausavain": expected })
        );
    }
    for bad in [
        json!("12a"),
        json!(""),
        json!(1.5),
        json!(u64::MAX),
        json!(null),
        json!(true),
    ] {
        let err =
            serde_json::from_value::<KirjausavainResponse>(json!({ "viimeisinKirjausavain": bad }));
        assert!(err.is_err(), "{bad} was accepted");
    }
    // From text too (the string path of the JSON deserializer, not of Value).
    let resp: MuutoksetResponse = serde_json::from_str(
        r#"{"viimeisinKirjausavain": "7", "muutokset": [], "ajanTasalla": true}"#,
    )
    .unwrap();
    assert_eq!(resp.latest_token, 7);
}

#[test]
fn requests_have_the_api_shapes() {
    let req = MuutoksetRequest {
        latest_token: 5_446_623_423,
        person_ids: vec!["010101A900R".into()],
    };
    let v = serde_json::to_value(&req).unwrap();
    assert_eq!(
        v,
        json!({"viimeisinKirjausavain": 5_446_623_423_i64, "hetulista": ["010101A900R"]})
    );
    assert_eq!(serde_json::from_value::<MuutoksetRequest>(v).unwrap(), req);

    let all = PerustiedotRequest {
        person_ids: vec!["010101A900R".into()],
        groups: None,
    };
    assert_eq!(
        serde_json::to_value(&all).unwrap(),
        json!({"hetulista": ["010101A900R"]})
    );
    let some = PerustiedotRequest {
        groups: Some(vec![
            "EDELLINEN_KOTIKUNTA".into(),
            "KOTIKUNTA".into(),
            "TURVAKIELTO".into(),
        ]),
        ..all
    };
    let v = serde_json::to_value(&some).unwrap();
    assert_eq!(v["tietoryhmat"][2], "TURVAKIELTO");
    assert_eq!(
        serde_json::from_value::<PerustiedotRequest>(v).unwrap(),
        some
    );
}

// --- Coverage of the group catalogue ----------------------------------------------------------

#[test]
fn each_document_covers_every_known_group_name_with_its_typed_variant() {
    let changes: MuutoksetResponse = serde_json::from_value(fixture("muutokset.json")).unwrap();
    let base: PerustiedotResponse = serde_json::from_value(fixture("perustiedot.json")).unwrap();
    let documents: [(&str, Vec<&Tietoryhma>); 2] = [
        ("muutokset.json", groups_of_changes(&changes)),
        (
            "perustiedot.json",
            base.persons().iter().flat_map(|p| &p.groups).collect(),
        ),
    ];
    for (name, groups) in documents {
        let mut typed = BTreeSet::new();
        for group in &groups {
            let is_known = Tietoryhma::KNOWN_NAMES.contains(&&*group.name());
            match group {
                Tietoryhma::Unknown(_) => assert!(!is_known, "{name}: {} untyped", group.name()),
                Tietoryhma::Legacy(_) => assert!(group.name().starts_with("LEGACY_")),
                _ => {
                    assert!(is_known);
                    typed.insert(group.name().into_owned());
                }
            }
        }
        let missing: Vec<_> = Tietoryhma::KNOWN_NAMES
            .iter()
            .filter(|n| !typed.contains(**n))
            .collect();
        assert!(missing.is_empty(), "{name} lacks {missing:?}");
        assert!(
            groups.iter().any(|g| matches!(g, Tietoryhma::Legacy(_))),
            "{name}"
        );
        assert!(
            groups.iter().any(|g| matches!(g, Tietoryhma::Unknown(_))),
            "{name}"
        );
    }
}

#[test]
fn every_group_round_trips_alone() {
    let mut count = 0;
    for name in ALL_FIXTURES {
        for raw in raw_groups(&fixture(name)) {
            let text = serde_json::to_string(&raw).unwrap();
            let (group, again): (Tietoryhma, _) = reread(&text);
            assert_eq!(again, raw, "{name}: {}", group.name());
            let from_value: Tietoryhma = serde_json::from_value(raw.clone()).unwrap();
            assert_eq!(from_value, group);
            assert_eq!(group.name(), raw["tietoryhma"].as_str().unwrap());
            count += 1;
        }
    }
    assert!(count > 70, "only {count} groups");
}

#[test]
fn every_muutos_and_perustieto_round_trips_alone() {
    for raw in fixture("muutokset.json")["muutokset"].as_array().unwrap() {
        let (change, again): (Muutos, _) = reread(&raw.to_string());
        assert_eq!(&again, raw, "{}", change.person_id);
        assert!(change.changed_at_utc().is_ok());
    }
    for raw in fixture("perustiedot.json")["perustiedot"]
        .as_array()
        .unwrap()
    {
        let (person, again): (Perustieto, _) = reread(&raw.to_string());
        assert_eq!(&again, raw, "{}", person.person_id);
    }
}

#[test]
fn fixtures_use_valid_test_person_ids_only() {
    fn walk(key: &str, v: &Value, out: &mut Vec<String>) {
        match v {
            Value::String(s)
                if key.ends_with("enkilotunnus") || key.ends_with("enkilotunnukset") =>
            {
                out.push(s.clone())
            }
            Value::Array(items) => items.iter().for_each(|i| walk(key, i, out)),
            Value::Object(map) => map.iter().for_each(|(k, v)| walk(k, v, out)),
            _ => {}
        }
    }
    let mut ids = Vec::new();
    for name in ALL_FIXTURES {
        walk("", &fixture(name), &mut ids);
    }
    assert!(ids.len() > 20);
    for id in ids {
        if id == "19900228-1234" {
            continue; // the foreign personal number (ulkomainenHenkilotunnus)
        }
        let hetu = muutostieto::hetu::Hetu::parse(id.as_bytes())
            .unwrap_or_else(|e| panic!("{id}: {}", e.reason()));
        assert!(hetu.is_test_id(), "{id}");
    }
}

// --- Typed content ------------------------------------------------------------------------------

fn changes() -> MuutoksetResponse {
    serde_json::from_value(fixture("muutokset.json")).unwrap()
}

fn find<'a>(groups: &[&'a Tietoryhma], name: &str, nth: usize) -> &'a Tietoryhma {
    groups
        .iter()
        .filter(|g| g.name() == name)
        .nth(nth)
        .unwrap_or_else(|| panic!("no {name} #{nth}"))
}

#[test]
fn partial_dates_keep_their_precision() {
    let resp = changes();
    let groups = groups_of_changes(&resp);
    let Tietoryhma::CustodianLimited(custody) = find(&groups, "HUOLTAJA_SUPPEA", 0) else {
        panic!()
    };
    let birth = custody
        .custodian
        .as_ref()
        .unwrap()
        .birth_date
        .as_ref()
        .unwrap();
    assert_eq!(birth.precision, Precision::Month);
    assert_eq!(birth.value, "1978-05-01");
    let Tietoryhma::PreviousHomeMunicipality(prev) = find(&groups, "EDELLINEN_KOTIKUNTA", 0) else {
        panic!()
    };
    let moved = prev.move_in_date().unwrap();
    assert_eq!(
        (moved.value.as_str(), &moved.precision),
        ("1995-00-00", &Precision::Year)
    );
    assert_eq!(
        moved.date(),
        None,
        "a year-only date is not a calendar date"
    );
    assert_eq!(
        prev.moved_out.as_ref().unwrap().date().unwrap().to_string(),
        "2018-01-01"
    );
    let Tietoryhma::SecurityBan(ban) = find(&groups, "TURVAKIELTO", 0) else {
        panic!()
    };
    assert_eq!(ban.active, Some(true));
    assert_eq!(ban.end.as_ref().unwrap().value, "9999-00-00");
    assert_eq!(ban.end.as_ref().unwrap().precision, Precision::Year);

    assert_eq!(
        Precision::from_token("TUNTI"),
        Precision::Other("TUNTI".into())
    );
    let odd: Paivamaara =
        serde_json::from_value(json!({"arvo": "2020", "tarkkuus": "TUNTI", "x": 1})).unwrap();
    assert_eq!(odd.precision.as_str(), "TUNTI");
    assert_eq!(
        serde_json::to_value(&odd).unwrap(),
        json!({"arvo": "2020", "tarkkuus": "TUNTI", "x": 1})
    );
}

#[test]
fn protected_groups_list_their_removed_fields() {
    let resp = changes();
    let groups = groups_of_changes(&resp);
    let Tietoryhma::PermanentDomesticAddress(addr) =
        find(&groups, "VAKINAINEN_KOTIMAINEN_OSOITE", 1)
    else {
        panic!()
    };
    assert_eq!(addr.change, Some(Muutosattribuutti::Changed));
    assert_eq!(addr.street, None);
    let fields = addr.protected_fields.as_ref().unwrap();
    assert_eq!(fields.len(), 9);
    assert_eq!(fields[0], "katunimi");

    let base: PerustiedotResponse = serde_json::from_value(fixture("perustiedot.json")).unwrap();
    let Tietoryhma::DomesticPostalAddress(post) = base.persons()[0]
        .groups
        .iter()
        .find(|g| g.name() == "KOTIMAINEN_POSTIOSOITE")
        .unwrap()
    else {
        panic!()
    };
    assert_eq!(
        post.protected_fields.as_ref().unwrap()[3],
        "VAKINAINEN_KOTIMAINEN_OSOITE"
    );
}

#[test]
fn nested_person_references_with_and_without_id() {
    let resp = changes();
    let groups = groups_of_changes(&resp);
    let Tietoryhma::Custodian(custody) = find(&groups, "HUOLTAJA", 0) else {
        panic!()
    };
    let custodian = custody.custodian.as_ref().unwrap();
    assert_eq!(custodian.person_id.as_deref(), Some("010180-9015"));
    assert_eq!(custody.kind, Some(CustodianKind::Statutory));
    assert_eq!(custody.role, Some(CustodianRole::Mother));
    assert_eq!(custody.living, Some(LivingArrangement::WithMother));
    assert_eq!(custody.custody_changed, Some(true));
    assert_eq!(custody.living_changed, Some(false));
    let rights = custody.rights.as_ref().unwrap();
    assert_eq!(rights.len(), 2);
    assert_eq!(
        rights[0].right,
        Some(CustodyRightKind::DivisionDescribedInText)
    );
    assert_eq!(
        rights[0].content.as_deref(),
        Some("Huolto jaettu sopimuksen mukaan")
    );
    assert_eq!(
        rights[1].right,
        Some(CustodyRightKind::Other("P001".into()))
    );
    assert!(rights[1].end.is_some());
    assert_eq!(custody.added_rights.as_ref().unwrap().len(), 1);
    assert_eq!(custody.ward, None);

    // A custodian without an identity code (the legacy 451 shape).
    let Tietoryhma::CustodianLimited(limited) = find(&groups, "HUOLTAJA_SUPPEA", 0) else {
        panic!()
    };
    let person = limited.custodian.as_ref().unwrap();
    assert_eq!(person.person_id, None);
    assert_eq!(person.first_names.as_deref(), Some("Jean Pierre"));
    assert_eq!(person.sex, Some(Sex::Male));
    assert_eq!(person.citizenship_code.as_deref(), Some("250"));
    assert_eq!(limited.role, Some(CustodianRole::OtherCustodian));
    assert_eq!(
        limited.living,
        Some(LivingArrangement::Other("ISAN_LUONA".into()))
    );

    // The mirror, seen from the custodian.
    let Tietoryhma::Ward(ward) = find(&groups, "HUOLLETTAVA", 0) else {
        panic!()
    };
    assert_eq!(
        ward.ward.as_ref().unwrap().person_id.as_deref(),
        Some("010101A900R")
    );
    let Tietoryhma::WardLimited(removed) = find(&groups, "HUOLLETTAVA_SUPPEA", 0) else {
        panic!()
    };
    assert_eq!(removed.change, Some(Muutosattribuutti::Removed));
    assert_eq!(removed.current_data, Some(vec![]));
}

#[test]
fn guardianship_and_power_of_attorney_nest_their_persons() {
    let resp = changes();
    let groups = groups_of_changes(&resp);
    let Tietoryhma::Guardianship(g) = find(&groups, "EDUNVALVONTA", 0) else {
        panic!()
    };
    assert_eq!(g.start.as_ref().unwrap().value, "2019-09-01");
    let guardians = g.guardians.as_ref().unwrap();
    assert_eq!(guardians.len(), 2);
    assert_eq!(
        guardians[0].guardian.as_ref().unwrap().person_id.as_deref(),
        Some("310870-906R")
    );
    let no_id = guardians[1].guardian.as_ref().unwrap();
    assert_eq!(no_id.person_id, None);
    assert_eq!(
        no_id.birth_date.as_ref().unwrap().precision,
        Precision::Year
    );
    assert!(
        guardians[1].extra.contains_key("tehtavienAlkamispv"),
        "unknown nested field kept"
    );

    let Tietoryhma::ContinuingPowerOfAttorney(p) = find(&groups, "EDUNVALVONTAVALTUUTUS", 0) else {
        panic!()
    };
    let attorney = &p.attorneys.as_ref().unwrap()[0];
    assert_eq!(
        attorney.attorney.as_ref().unwrap().last_name.as_deref(),
        Some("Valtuutettu")
    );
    assert_eq!(attorney.start.as_ref().unwrap().value, "2019-05-01");
    assert_eq!(attorney.end, None);
}

#[test]
fn home_municipality_move_in_date_under_either_spelling() {
    let resp = changes();
    let groups = groups_of_changes(&resp);
    let home = |nth| match find(&groups, "KOTIKUNTA", nth) {
        Tietoryhma::HomeMunicipality(h) => h.clone(),
        other => panic!("{other:?}"),
    };
    // Both spellings, as the API sends them.
    let both = home(0);
    assert!(both.moved_in.is_some() && both.moved_in_capital_p.is_some());
    // Only the capital-P spelling (KORJATTAVA), then only the documented one (KORJATTU).
    let capital = home(1);
    assert_eq!(capital.change, Some(Muutosattribuutti::BeingCorrected));
    assert_eq!(capital.moved_in, None);
    assert_eq!(capital.move_in_date().unwrap().value, "2018-01-01");
    let lower = home(2);
    assert_eq!(lower.change, Some(Muutosattribuutti::Corrected));
    assert_eq!(lower.moved_in_capital_p, None);
    assert_eq!(lower.move_in_date().unwrap().value, "2018-01-01");

    // Setting the date keeps each group's spellings.
    let date = Paivamaara::new("2020-02-02", Precision::Day);
    for (mut group, keys) in [
        (both, &["kuntaanMuuttoPv", "kuntaanMuuttopv"][..]),
        (capital, &["kuntaanMuuttoPv"][..]),
        (lower, &["kuntaanMuuttopv"][..]),
        (HomeMunicipality::default(), &["kuntaanMuuttopv"][..]),
    ] {
        group.set_move_in_date(Some(date.clone()));
        let v = serde_json::to_value(&group).unwrap();
        let present: Vec<_> = v
            .as_object()
            .unwrap()
            .keys()
            .filter(|k| k.starts_with("kuntaanMuutto"))
            .collect();
        assert_eq!(present, keys);
        for key in keys {
            assert_eq!(v[key]["arvo"], "2020-02-02");
        }
    }
}

#[test]
fn unknown_groups_fields_and_tokens_are_kept() {
    let resp = changes();
    let groups = groups_of_changes(&resp);
    let Tietoryhma::Unknown(map) = find(&groups, "JOKU_MUU", 0) else {
        panic!()
    };
    assert_eq!(map["tyhja"], Value::Null);
    assert_eq!(map["mitaTahansa"]["sisakkain"][1], 2.5);
    assert_eq!(
        find(&groups, "JOKU_MUU", 0).change(),
        Some(Muutosattribuutti::Added)
    );

    let Tietoryhma::PermanentDomesticAddress(addr) =
        find(&groups, "VAKINAINEN_KOTIMAINEN_OSOITE", 0)
    else {
        panic!()
    };
    assert_eq!(addr.extra.len(), 1);
    assert_eq!(
        addr.extra["osoitteenLisatieto"],
        "kenttä, jota tämä crate ei tunne"
    );
    assert_eq!(addr.address_number, Some(1));
    assert_eq!(
        addr.street.as_ref().unwrap().swedish(),
        Some("Mannerheimvägen")
    );

    let Tietoryhma::ForeignPersonalId(id) = find(&groups, "ULKOMAINEN_HENKILOTUNNUS", 0) else {
        panic!()
    };
    assert_eq!(
        id.extra["myontaja"],
        Value::Null,
        "a null unknown field stays null"
    );

    let Tietoryhma::Sex(sex) = find(&groups, "SUKUPUOLI", 1) else {
        panic!()
    };
    assert_eq!(sex.sex, Some(Sex::Other("MUU".into())));
    assert_eq!(
        sex.change,
        Some(Muutosattribuutti::Other(
            "UUSI_ARVO_JOTA_EI_VIELA_TUNNETA".into()
        ))
    );
    assert_eq!(sex.change.as_ref().unwrap().legacy_digit(), None);
}

#[test]
fn citizenships_and_corrections() {
    let resp = changes();
    let groups = groups_of_changes(&resp);
    let Tietoryhma::Citizenship(c) = find(&groups, "KANSALAISUUS", 0) else {
        panic!()
    };
    let all = c.citizenships.as_ref().unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[1].country_code.as_deref(), Some("752"));
    assert_eq!(all[1].validity, Some(Validity::Active));
    assert_eq!(c.added.as_ref().unwrap().len(), 1);
    assert_eq!(
        c.changed,
        Some(vec![]),
        "an empty list is kept apart from an absent one"
    );
    assert_eq!(c.corrected, None);

    // The death date removed by a correction: KORJATTAVA directly followed by KORJATTU.
    let death = &resp.changes[2].groups;
    let i = death
        .iter()
        .position(|g| g.name() == "KUOLINPAIVA")
        .unwrap();
    assert_eq!(death[i].change(), Some(Muutosattribuutti::BeingCorrected));
    let Tietoryhma::Death(corrected) = &death[i + 1] else {
        panic!()
    };
    assert_eq!(corrected.change, Some(Muutosattribuutti::Corrected));
    assert_eq!((corrected.dead, &corrected.date), (Some(false), &None));

    // The identity code correction: one AKTIIVI + LISATTY, one PASSIIVI + MUUTETTU.
    let ids = &resp.changes[4].groups;
    let (Tietoryhma::IdCorrection(new), Tietoryhma::IdCorrection(old)) = (&ids[0], &ids[1]) else {
        panic!()
    };
    assert_eq!(
        (new.validity.clone(), new.change.clone()),
        (Some(Validity::Active), Some(Muutosattribuutti::Added))
    );
    assert_eq!(old.validity, Some(Validity::Passive));
    assert_eq!(old.changed_id.as_deref(), Some("111111-9094"));
    assert_eq!(old.active_id.as_deref(), Some("111111-9116"));
    assert_eq!(ids[2].change(), Some(Muutosattribuutti::AdditionalInfo));

    // Current data nested inside a changed group.
    let Tietoryhma::TemporaryDomesticAddress(t) = find(&groups, "TILAPAINEN_KOTIMAINEN_OSOITE", 0)
    else {
        panic!()
    };
    let current = t.current_data.as_ref().unwrap();
    let Tietoryhma::TemporaryDomesticAddress(now) = &current[0] else {
        panic!()
    };
    assert_eq!(now.house_number.as_deref(), Some("12"));
    assert_eq!(now.change, None);
}

#[test]
fn legacy_groups() {
    let resp = changes();
    let groups = groups_of_changes(&resp);
    let Tietoryhma::Legacy(legacy) = find(&groups, "LEGACY_205", 0) else {
        panic!()
    };
    assert_eq!(legacy.code, "205");
    assert_eq!(legacy.change, Some(Muutosattribuutti::Added));
    assert_eq!(legacy.text, "2051Vanha ryhmä, jolle ei ole vastinetta   ");

    // Built by a converter; alone it is the same object as inside a Tietoryhma.
    let built = LegacyGroup::new("320", Muutosattribuutti::from_legacy_digit(0), "3200P001");
    let expected = json!({
        "tietoryhma": "LEGACY_320", "muutosattribuutti": "LISATIETO", "teksti": "3200P001"
    });
    assert_eq!(serde_json::to_value(&built).unwrap(), expected);
    let wrapped = Tietoryhma::Legacy(built.clone());
    assert_eq!(serde_json::to_value(&wrapped).unwrap(), expected);
    assert_eq!(wrapped.name(), "LEGACY_320");
    assert_eq!(
        serde_json::from_value::<LegacyGroup>(expected.clone()).unwrap(),
        built
    );
    assert_eq!(
        serde_json::from_value::<Tietoryhma>(expected).unwrap(),
        wrapped
    );

    // Without a change attribute, and with an unknown field.
    let v = json!({"tietoryhma": "LEGACY_999", "teksti": "9992", "lisa": [1]});
    let Tietoryhma::Legacy(g) = serde_json::from_value::<Tietoryhma>(v.clone()).unwrap() else {
        panic!()
    };
    assert_eq!((g.change.clone(), g.extra.len()), (None, 1));
    assert_eq!(serde_json::to_value(Tietoryhma::Legacy(g)).unwrap(), v);

    // LEGACY_ objects of another shape are unknown groups, kept whole.
    for odd in [
        json!({"tietoryhma": "LEGACY_ABC", "teksti": "x"}),
        json!({"tietoryhma": "LEGACY_0012", "teksti": "x"}),
        json!({"tietoryhma": "LEGACY_001"}),
        json!({"tietoryhma": "LEGACY_001", "teksti": 5}),
        json!({"tietoryhma": "LEGACY_001", "teksti": "x", "muutosattribuutti": 1}),
    ] {
        let g: Tietoryhma = serde_json::from_value(odd.clone()).unwrap();
        assert!(matches!(g, Tietoryhma::Unknown(_)), "{odd}");
        assert_eq!(serde_json::to_value(&g).unwrap(), odd);
    }
    assert!(serde_json::from_value::<LegacyGroup>(
        json!({"tietoryhma": "KOTIKUNTA", "teksti": "x"})
    )
    .is_err());
}

// --- Shared shapes ------------------------------------------------------------------------------

#[test]
fn multilingual_text_keeps_null_apart_from_absent() {
    for v in [
        json!({}),
        json!({"fi": "Katu"}),
        json!({"fi": "Katu", "sv": null}),
        json!({"fi": "Katu", "sv": "Gata"}),
        json!({"fi": null, "sv": null}),
        json!({"sv": "Gata", "en": "Street"}),
    ] {
        let text: Monikielinen = serde_json::from_value(v.clone()).unwrap();
        assert_eq!(serde_json::to_value(&text).unwrap(), v);
        let from_str: Monikielinen = serde_json::from_str(&v.to_string()).unwrap();
        assert_eq!(from_str, text);
    }
    let t: Monikielinen = serde_json::from_value(json!({"fi": "Katu", "sv": null})).unwrap();
    assert_eq!((t.finnish(), t.swedish()), (Some("Katu"), None));
    assert_eq!(t.sv, Some(None));
    let absent: Monikielinen = serde_json::from_value(json!({"fi": "Katu"})).unwrap();
    assert_eq!(absent.sv, None);
    assert_eq!(
        serde_json::to_value(Monikielinen::new(Some("Katu"), None)).unwrap(),
        json!({"fi": "Katu"})
    );
    // Inside a group (flattened buffering path) the same holds.
    let g =
        json!({"tietoryhma": "KOTIMAINEN_POSTIOSOITE", "postiosoite": {"fi": "PL 1", "sv": null}});
    let group: Tietoryhma = serde_json::from_value(g.clone()).unwrap();
    assert_eq!(serde_json::to_value(&group).unwrap(), g);
}

#[test]
fn null_in_a_known_optional_field_reads_as_absent() {
    // The documented normalisation: only Monikielinen keeps null apart from absent.
    let g: Tietoryhma = serde_json::from_value(
        json!({"tietoryhma": "KOTIKUNTA", "kuntakoodi": "091", "kuntaanMuuttopv": null}),
    )
    .unwrap();
    let Tietoryhma::HomeMunicipality(h) = &g else {
        panic!()
    };
    assert_eq!(h.moved_in, None);
    assert_eq!(
        serde_json::to_value(&g).unwrap(),
        json!({"tietoryhma": "KOTIKUNTA", "kuntakoodi": "091"})
    );
}

#[test]
fn malformed_groups_are_errors() {
    let missing = serde_json::from_value::<Tietoryhma>(json!({"kuntakoodi": "091"}));
    assert!(missing.unwrap_err().to_string().contains("tietoryhma"));
    assert!(serde_json::from_value::<Tietoryhma>(json!({"tietoryhma": 5})).is_err());
    assert!(serde_json::from_value::<Tietoryhma>(json!(["KOTIKUNTA"])).is_err());
    // A known group with a field of the wrong JSON type; the message names the group.
    let err = serde_json::from_str::<Muutos>(
        r#"{"henkilotunnus": "010101A900R", "muutospv": "2019-09-24T21:00:00.000Z",
            "tietoryhmat": [{"tietoryhma": "VAKINAINEN_KOTIMAINEN_OSOITE", "osoitenumero": "1"}]}"#,
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("VAKINAINEN_KOTIMAINEN_OSOITE"),
        "{err}"
    );
    assert!(serde_json::from_value::<Paivamaara>(json!({"arvo": "2020-01-01"})).is_err());
}

#[test]
fn change_attribute_legacy_digits_follow_table_1_4() {
    let table = [
        (0, "LISATIETO"),
        (1, "LISATTY"),
        (3, "MUUTETTU"),
        (4, "POISTETTU"),
        (5, "KORJATTAVA"),
        (6, "KORJATTU"),
    ];
    for (digit, token) in table {
        let value = Muutosattribuutti::from_legacy_digit(digit).unwrap();
        assert_eq!(value.as_str(), token);
        assert_eq!(value.legacy_digit(), Some(digit));
        assert_eq!(Muutosattribuutti::from_token(token), value);
        assert!(value.is_known());
    }
    for digit in [2, 7, 9, b'1'] {
        assert_eq!(Muutosattribuutti::from_legacy_digit(digit), None);
    }
    assert_eq!(Muutosattribuutti::KNOWN.len(), 6);
    assert_eq!(
        Muutosattribuutti::from_token("KORJATTAVAA").legacy_digit(),
        None
    );
}

#[test]
fn open_enums_read_and_write_their_tokens() {
    assert_eq!(Sex::from_token("MIES"), Sex::Male);
    assert_eq!(Sex::from("NAINEN".to_string()), Sex::Female);
    assert_eq!("PUUTTUU".parse::<Sex>().unwrap(), Sex::Missing);
    assert_eq!(Sex::Other("X".into()).to_string(), "X");
    assert!(!Sex::from_token("X").is_known());
    for token in NameKind::KNOWN.iter().chain(NameChangeMethod::KNOWN) {
        let v = json!(token);
        let a: NameKind = serde_json::from_value(v.clone()).unwrap();
        let b: NameChangeMethod = serde_json::from_value(v.clone()).unwrap();
        assert!(a.is_known() != b.is_known());
        assert_eq!(serde_json::to_value(&a).unwrap(), v);
        assert_eq!(serde_json::to_value(&b).unwrap(), v);
    }
    assert_eq!(CustodianRole::KNOWN.len(), 6);
    let err = serde_json::from_value::<Sex>(json!(1))
        .unwrap_err()
        .to_string();
    assert!(err.contains("sukupuoli"), "{err}");
}

#[test]
fn instants_are_kept_as_sent() {
    let resp = changes();
    let change = &resp.changes[1];
    assert_eq!(change.changed_at, "2019-09-25T06:30:15.250Z");
    let t = change.changed_at_utc().unwrap();
    assert_eq!(Muutos::format_instant(t), change.changed_at);
    // Another precision is kept as written, not reformatted.
    let other: Muutos = serde_json::from_value(
        json!({"henkilotunnus": "010101A900R", "muutospv": "2019-09-24T21:00:00Z", "tietoryhmat": []}),
    )
    .unwrap();
    assert_eq!(
        serde_json::to_value(&other).unwrap()["muutospv"],
        "2019-09-24T21:00:00Z"
    );
    assert_eq!(
        Muutos::format_instant(other.changed_at_utc().unwrap()),
        "2019-09-24T21:00:00.000Z"
    );
}

#[test]
fn a_converter_can_build_groups_from_defaults() {
    let change = Muutos {
        person_id: "010101A900R".into(),
        changed_at: "2017-02-08T00:00:00.000Z".into(),
        groups: vec![
            Tietoryhma::HomeMunicipality(HomeMunicipality {
                change: Muutosattribuutti::from_legacy_digit(1),
                municipality_code: Some("091".into()),
                moved_in: Some(Paivamaara::day(
                    chrono::NaiveDate::from_ymd_opt(2017, 2, 1).unwrap(),
                )),
                ..Default::default()
            }),
            Tietoryhma::Custodian(Custody {
                change: Some(Muutosattribuutti::Added),
                custodian: Some(HenkiloViite {
                    first_names: Some("Jean".into()),
                    birth_date: Some(Paivamaara::new("1978-05-01", Precision::Month)),
                    ..Default::default()
                }),
                role: Some(CustodianRole::Father),
                ..Default::default()
            }),
        ],
        extra: Default::default(),
    };
    let expected = json!({
        "henkilotunnus": "010101A900R",
        "muutospv": "2017-02-08T00:00:00.000Z",
        "tietoryhmat": [
            {"tietoryhma": "KOTIKUNTA", "muutosattribuutti": "LISATTY", "kuntakoodi": "091",
             "kuntaanMuuttopv": {"arvo": "2017-02-01", "tarkkuus": "PAIVA"}},
            {"tietoryhma": "HUOLTAJA", "muutosattribuutti": "LISATTY",
             "huoltaja": {"etunimet": "Jean", "syntymapv": {"arvo": "1978-05-01", "tarkkuus": "KUUKAUSI"}},
             "huoltajanRooli": "ISA"}
        ]
    });
    assert_eq!(serde_json::to_value(&change).unwrap(), expected);
    // The tag comes first in the text.
    let text = serde_json::to_string(&change.groups[0]).unwrap();
    assert!(text.starts_with(r#"{"tietoryhma":"KOTIKUNTA","#), "{text}");
    assert_eq!(serde_json::from_value::<Muutos>(expected).unwrap(), change);
}

#[test]
fn reference_doc_names_every_group_and_token() {
    let doc = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/api-model.md"),
    )
    .unwrap();
    let tokens = Tietoryhma::KNOWN_NAMES
        .iter()
        .chain(Muutosattribuutti::KNOWN)
        .chain(Precision::KNOWN)
        .chain(Sex::KNOWN)
        .chain(Validity::KNOWN)
        .chain(NameKind::KNOWN)
        .chain(NameChangeMethod::KNOWN)
        .chain(CustodianKind::KNOWN)
        .chain(CustodianRole::KNOWN)
        .chain(LivingArrangement::KNOWN)
        .chain(CustodyRightKind::KNOWN);
    for token in tokens {
        assert!(
            doc.contains(&format!("`{token}`")),
            "docs/api-model.md lacks {token}"
        );
    }
    // And every top-level JSON key of the typed groups in the fixtures, except the tag and
    // the fields the fixtures add on purpose as unknown.
    const UNKNOWN_ON_PURPOSE: &[&str] =
        &["osoitteenLisatieto", "myontaja", "tilapaisenOsoitteenLaji"];
    let mut keys = BTreeSet::new();
    for name in ALL_FIXTURES {
        for raw in raw_groups(&fixture(name)) {
            let group: Tietoryhma = serde_json::from_value(raw.clone()).unwrap();
            if !matches!(group, Tietoryhma::Unknown(_) | Tietoryhma::Legacy(_)) {
                keys.extend(raw.as_object().unwrap().keys().cloned());
            }
        }
    }
    keys.remove("tietoryhma");
    assert!(keys.len() > 60, "{}", keys.len());
    for key in keys {
        if !UNKNOWN_ON_PURPOSE.contains(&key.as_str()) {
            assert!(
                doc.contains(&format!("`{key}`")),
                "docs/api-model.md lacks {key}"
            );
        }
    }
}
