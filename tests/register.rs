//! The register's rules, one test each, on SQLite and (when `MUUTOSTIETO_TEST_POSTGRES_URL` is
//! set) PostgreSQL: what each change attribute does, row keys, qualifying groups, id
//! corrections, new persons, duplicates, order, rejected lines, schema.
#![cfg(feature = "register")]

#[path = "register_support/mod.rs"]
mod support;

use muutostieto::register::{ApplyOptions, FileSummary, Register, RegisterError};
use muutostieto::ParseOptions;
use support::*;

const A: &str = "010101-900R";
const B: &str = "020202A901T";
const C: &str = "030303-902Y";

fn apply(reg: &mut Register, name: &str, lines: &[String]) -> FileSummary {
    reg.apply_bytes(
        name,
        &file(lines),
        ParseOptions::default(),
        &ApplyOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn try_apply(
    reg: &mut Register,
    name: &str,
    lines: &[String],
    opts: &ApplyOptions,
) -> Result<FileSummary, RegisterError> {
    reg.apply_bytes(name, &file(lines), ParseOptions::default(), opts)
}

/// (code, key) of a person's rows.
fn keys(reg: &mut Register, id: &str) -> Vec<(String, String)> {
    reg.rows(id)
        .unwrap()
        .into_iter()
        .map(|r| (r.code, r.key))
        .collect()
}

fn data(reg: &mut Register, id: &str, code: &str) -> Vec<String> {
    reg.rows(id)
        .unwrap()
        .into_iter()
        .filter(|r| r.code == code)
        .map(|r| r.data)
        .collect()
}

fn kv(code: &str, key: &str) -> (String, String) {
    (code.to_string(), key.to_string())
}

/// Runs `f` on a fresh register of every backend.
fn each(test: &str, mut f: impl FnMut(&mut Register)) {
    for target in targets(test) {
        let mut reg = Register::open(&target).unwrap_or_else(|e| panic!("{target}: {e}"));
        eprintln!("{test}: on {}", reg.kind());
        f(&mut reg);
    }
}

fn base(reg: &mut Register) {
    apply(
        reg,
        "base.PTT",
        &[line(
            A,
            "XXX",
            "20170101",
            '1',
            &[
                g003('1', '2'),
                g004('1', "Virtanen", "Aino"),
                g007('1', "246", "19800101", "00000000"),
                g007('1', "752", "19900101", "00000000"),
                g101('1', "Kotikatu", "20000101", "00000000"),
                g204('1', "091", "20000101"),
            ],
        )],
    );
}

#[test]
fn added_inserts_a_row_per_key() {
    each("added", |reg| {
        base(reg);
        assert_eq!(
            keys(reg, A),
            vec![
                kv("003", ""),
                kv("004", ""),
                kv("007", "246"),
                kv("007", "752"),
                kv("101", "20000101"),
                kv("204", ""),
            ]
        );
        assert!(data(reg, A, "004")[0].starts_with("0041Virtanen"));
    });
}

#[test]
fn changed_replaces_the_matching_row_only() {
    each("changed", |reg| {
        base(reg);
        let s = apply(
            reg,
            "c1.MTT",
            &[line(
                A,
                "XBX",
                "20170201",
                '0',
                &[
                    g004('3', "Korhonen", "Aino"),
                    g007('3', "752", "19900101", "20170131"),
                ],
            )],
        );
        assert_eq!(s.records, 1);
        assert_eq!(s.unknown_persons, 0);
        assert!(data(reg, A, "004")[0].starts_with("0043Korhonen"));
        let cit = data(reg, A, "007");
        assert_eq!(cit.len(), 2);
        assert!(cit[0].starts_with("0071246")); // untouched
        assert!(cit[1].ends_with("1990010120170131")); // the 752 row, its end date set
    });
}

#[test]
fn changed_without_a_matching_row_inserts() {
    each("changed-new-key", |reg| {
        base(reg);
        apply(
            reg,
            "c1.MTT",
            &[line(
                A,
                "XBX",
                "20170201",
                '0',
                &[g007('3', "578", "20170101", "00000000")],
            )],
        );
        assert_eq!(data(reg, A, "007").len(), 3);
    });
}

#[test]
fn removed_removes_the_matching_row_only() {
    each("removed", |reg| {
        base(reg);
        apply(
            reg,
            "c1.MTT",
            &[line(
                A,
                "XBX",
                "20170201",
                '0',
                &[
                    g007('4', "246", "19800101", "00000000"),
                    // Removing what is not there changes nothing.
                    g007('4', "999", "19800101", "00000000"),
                ],
            )],
        );
        let k = keys(reg, A);
        assert!(!k.contains(&kv("007", "246")));
        assert!(k.contains(&kv("007", "752")));
        assert_eq!(k.len(), 5);
    });
}

#[test]
fn corrected_replaces_the_to_be_corrected_row() {
    each("corrected", |reg| {
        base(reg);
        // The start date (the key) of the address is corrected: the old row goes, the new comes.
        apply(
            reg,
            "c1.MTT",
            &[line(
                A,
                "XBX",
                "20170201",
                '0',
                &[
                    g101('5', "Kotikatu", "20000101", "00000000"),
                    g101('6', "Kotikatu", "20000201", "00000000"),
                    g013('5', "20170115"),
                    g013('6', "00000000"),
                ],
            )],
        );
        let k = keys(reg, A);
        assert!(!k.contains(&kv("101", "20000101")));
        assert!(k.contains(&kv("101", "20000201")));
        // A death date corrected to "no date" (the API's kuollut=false case) is a row with zeros.
        assert_eq!(data(reg, A, "013"), vec!["013600000000".to_string()]);
    });
}

#[test]
fn corrected_without_to_be_corrected_puts_its_row() {
    each("corrected-alone", |reg| {
        base(reg);
        apply(
            reg,
            "c1.MTT",
            &[line(
                A,
                "XBX",
                "20170201",
                '0',
                &[g204('6', "167", "20170201")],
            )],
        );
        assert!(data(reg, A, "204")[0].starts_with("2046167"));
    });
}

#[test]
fn an_unknown_change_attribute_changes_nothing_and_is_counted() {
    each("attribute-2", |reg| {
        base(reg);
        let s = apply(
            reg,
            "c1.MTT",
            &[line(
                A,
                "XBX",
                "20170201",
                '0',
                &[g204('2', "167", "20170201")],
            )],
        );
        assert_eq!(s.unknown_attributes, 1);
        assert!(data(reg, A, "204")[0].starts_with("2041091"));
        assert_eq!(reg.history(A).unwrap()[1].groups, "204:2");
    });
}

#[test]
fn to_be_corrected_alone_changes_nothing_and_is_counted() {
    each("unpaired", |reg| {
        base(reg);
        let s = apply(
            reg,
            "c1.MTT",
            &[line(
                A,
                "XBX",
                "20170201",
                '0',
                &[g007('5', "246", "19800101", "00000000")],
            )],
        );
        assert_eq!(s.unpaired_corrections, 1);
        assert!(keys(reg, A).contains(&kv("007", "246")));
    });
}

#[test]
fn additional_information_changes_nothing_but_is_history() {
    each("additional", |reg| {
        base(reg);
        apply(
            reg,
            "c1.MTT",
            &[line(
                A,
                "XBX",
                "20170201",
                '0',
                &[
                    g101('0', "Muukatu", "20000101", "00000000"),
                    g004('0', "Muu", "Nimi"),
                ],
            )],
        );
        assert!(data(reg, A, "101")[0].starts_with("1011Kotikatu"));
        assert!(data(reg, A, "004")[0].starts_with("0041Virtanen"));
        let h = reg.history(A).unwrap();
        assert_eq!(h.len(), 2);
        assert_eq!(h[1].groups, "101:0 004:0");
        assert_eq!(h[1].event, "XBX");
        assert_eq!(h[1].registered, "20170201");
    });
}

#[test]
fn new_person_record_starts_afresh() {
    each("afresh", |reg| {
        base(reg);
        let s = apply(
            reg,
            "c1.MTT",
            &[line(
                A,
                "XSS",
                "20170201",
                '1',
                &[g004('1', "Uusi", "Aino"), g003('1', '2')],
            )],
        );
        assert_eq!(s.new_persons, 1);
        assert_eq!(keys(reg, A), vec![kv("003", ""), kv("004", "")]);
        // The history stays.
        assert_eq!(reg.history(A).unwrap().len(), 2);
    });
}

#[test]
fn id_correction_rekeys_the_person_and_keeps_the_history() {
    each("rekey", |reg| {
        base(reg);
        let s = apply(
            reg,
            "c1.MTT",
            &[line(
                A,
                "XAZ",
                "20170201",
                '0',
                &[
                    g001('1', B, '1'),
                    g001('3', A, '2'),
                    g004('0', "Virtanen", "Aino"),
                ],
            )],
        );
        assert_eq!(s.rekeyed, 1);
        assert!(reg.rows(A).unwrap().is_empty());
        assert!(reg.person(A).unwrap().is_none());
        assert_eq!(reg.rekeyed_to(A).unwrap().as_deref(), Some(B));
        let k = keys(reg, B);
        assert!(k.contains(&kv("001", A)) && k.contains(&kv("001", B)));
        assert!(k.contains(&kv("007", "752")));
        let h = reg.history(B).unwrap();
        assert_eq!(
            h.len(),
            2,
            "the base record and the correction, under the new id"
        );
        assert!(reg.history(A).unwrap().is_empty());
        // Later changes come under the new id.
        apply(
            reg,
            "c2.MTT",
            &[line(
                B,
                "XBX",
                "20170301",
                '0',
                &[g204('3', "049", "20170301")],
            )],
        );
        assert!(data(reg, B, "204")[0].starts_with("2043049"));
        // A 001 listing another active id without passivating the header's does not re-key.
        let s = apply(
            reg,
            "c3.MTT",
            &[line(B, "XAZ", "20170401", '0', &[g001('1', C, '1')])],
        );
        assert_eq!(s.rekeyed, 0);
        assert!(reg.person(B).unwrap().is_some());
    });
}

#[test]
fn qualifying_groups_travel_with_their_host() {
    each("qualifying", |reg| {
        apply(
            reg,
            "base.PTT",
            &[line(
                C,
                "XXX",
                "20170101",
                '1',
                &[
                    g305('1', B, "20170101", "00000000"),
                    g305('1', "", "20170101", "00000000"),
                    g451("19700101", "Smith", "John"),
                    g305('1', "", "20170101", "00000000"),
                    g451("19710101", "Smith", "Jane"),
                ],
            )],
        );
        let k = keys(reg, C);
        assert_eq!(k.len(), 3, "{k:?}");
        assert!(k.contains(&kv("305", B)));
        let with_451: Vec<String> = data(reg, C, "305")
            .into_iter()
            .filter(|d| d.contains("|4510"))
            .collect();
        assert_eq!(with_451.len(), 2, "the 451 is part of its host's row");
        // Removing the guardian without an id: matched by the 451 person.
        apply(
            reg,
            "c1.MTT",
            &[line(
                C,
                "XBO",
                "20170201",
                '0',
                &[
                    g305('4', "", "20170101", "00000000"),
                    g451("19700101", "Smith", "John"),
                ],
            )],
        );
        let rows = data(reg, C, "305");
        assert_eq!(rows.len(), 2);
        assert!(rows.iter().all(|d| !d.contains("John")));
        assert!(rows.iter().any(|d| d.contains("Jane")));
    });
}

#[test]
fn a_changed_qualifier_under_an_unchanged_host_replaces_the_row() {
    each("rights", |reg| {
        apply(
            reg,
            "base.PTT",
            &[line(
                C,
                "XXX",
                "20200101",
                '1',
                &[
                    g305_new('1', B, "20200101", "00000000"),
                    g320('1', "T301", "20200101"),
                ],
            )],
        );
        assert!(data(reg, C, "305")[0].contains("|3201T301"));
        apply(
            reg,
            "c1.MTT",
            &[line(
                C,
                "XBO",
                "20200201",
                '0',
                &[
                    g305_new('0', B, "20200101", "00000000"),
                    g320('4', "T301", "20200101"),
                    g320('1', "P501", "20200201"),
                ],
            )],
        );
        let rows = data(reg, C, "305");
        assert_eq!(rows.len(), 1);
        assert!(rows[0].contains("|3201P501"), "{rows:?}");
        assert!(!rows[0].contains("T301"), "a removed right is not kept");
    });
}

#[test]
fn a_change_for_an_unknown_person_is_applied_as_new_and_counted() {
    each("unknown", |reg| {
        base(reg);
        let s = apply(
            reg,
            "c1.MTT",
            &[
                line(B, "XBX", "20170201", '0', &[g004('3', "Uusi", "Bertta")]),
                line(B, "XBX", "20170202", '0', &[g003('3', '2')]),
                line(A, "XBX", "20170202", '0', &[g003('3', '2')]),
            ],
        );
        assert_eq!(s.unknown_persons, 1, "B counted once, A is held");
        assert_eq!(keys(reg, B), vec![kv("003", ""), kv("004", "")]);
    });
}

#[test]
fn the_same_file_twice_is_refused_unless_reapplied_last() {
    each("duplicate", |reg| {
        base(reg);
        let c1 = [line(
            A,
            "XBX",
            "20170201",
            '0',
            &[g204('3', "049", "20170201")],
        )];
        apply(reg, "c1.MTT", &c1);
        let again = try_apply(reg, "c1-copy.MTT", &c1, &ApplyOptions::default());
        assert!(matches!(
            again,
            Err(RegisterError::Duplicate {
                later_files: false,
                ..
            })
        ));
        let msg = again.unwrap_err().to_string();
        assert!(
            msg.contains("already applied") && msg.contains("c1.MTT"),
            "{msg}"
        );
        assert!(!msg.contains(A), "no personal values in messages");
        assert_eq!(reg.files().unwrap().len(), 2);
        let reapply = ApplyOptions {
            reapply: true,
            ..ApplyOptions::default()
        };
        let s = try_apply(reg, "c1.MTT", &c1, &reapply).unwrap();
        assert!(s.reapplied);
        let files = reg.files().unwrap();
        assert_eq!(files.len(), 3);
        assert_eq!(files[2].reapply_of, Some(files[1].id));
        // Not when something was applied after it.
        apply(
            reg,
            "c2.MTT",
            &[line(A, "XBX", "20170301", '0', &[g003('3', '1')])],
        );
        let base_again = try_apply(reg, "c1.MTT", &c1, &reapply);
        assert!(matches!(
            base_again,
            Err(RegisterError::Duplicate {
                later_files: true,
                ..
            })
        ));
        assert_eq!(reg.files().unwrap().len(), 4);
    });
}

#[test]
fn a_file_applied_before_is_refused_before_its_lines_are_read() {
    each("duplicate_early", |reg| {
        base(reg);
        let lines = [
            line(A, "XBX", "20170201", '0', &[g204('3', "049", "20170201")]),
            "this is not a record line at all\r\n".to_string(),
        ];
        let s = try_apply(reg, "c1.MTT", &lines, &ApplyOptions::default()).unwrap();
        assert_eq!((s.records, s.rejected), (1, 1));
        // Read again with --strict, its bad line would refuse it; it is refused as a repeat
        // first, since its sha256 is known before it is read.
        let strict = ApplyOptions {
            strict: true,
            ..ApplyOptions::default()
        };
        let again = try_apply(reg, "c1-copy.MTT", &lines, &strict);
        assert!(
            matches!(again, Err(RegisterError::Duplicate { .. })),
            "{again:?}"
        );
        // Over a reader the hash is known only at the end: the strict refusal comes first.
        let read = reg.apply_reader(
            "c1-stdin.MTT",
            &file(&lines)[..],
            ParseOptions::default(),
            &strict,
        );
        assert!(
            matches!(read, Err(RegisterError::Strict { .. })),
            "{read:?}"
        );
        assert_eq!(
            reg.files().unwrap().len(),
            2,
            "nothing of the refused files stays"
        );
    });
}

#[test]
fn files_out_of_order_are_refused_by_name_or_by_dates() {
    each("order", |reg| {
        let rec =
            |date: &str, code: &str| vec![line(A, "XBX", date, '0', &[g204('3', code, date)])];
        apply(reg, "38950_20171024OPHREK_004.MTT", &rec("20171023", "091"));
        // An earlier sequence number on the same day.
        let e = try_apply(
            reg,
            "38950_20171024OPHREK_003.MTT",
            &rec("20171024", "049"),
            &ApplyOptions::default(),
        );
        assert!(matches!(e, Err(RegisterError::OutOfOrder { .. })), "{e:?}");
        // An earlier day.
        let e = try_apply(
            reg,
            "38950_20171023OPHREK_009.MTT",
            &rec("20171024", "049"),
            &ApplyOptions::default(),
        );
        assert!(matches!(e, Err(RegisterError::OutOfOrder { .. })), "{e:?}");
        // A name without a date, but records older than those applied.
        let e = try_apply(
            reg,
            "old.MTT",
            &rec("20160101", "049"),
            &ApplyOptions::default(),
        );
        let msg = e.as_ref().unwrap_err().to_string();
        assert!(
            msg.contains("registration date") && msg.contains("2016-01-01"),
            "{msg}"
        );
        assert!(
            data(reg, A, "204")[0].starts_with("2043091"),
            "nothing of the refused files"
        );
        let allow = ApplyOptions {
            allow_out_of_order: true,
            ..ApplyOptions::default()
        };
        try_apply(reg, "old.MTT", &rec("20160101", "049"), &allow).unwrap();
        assert!(data(reg, A, "204")[0].starts_with("2043049"));
        // The next in order is fine.
        apply(reg, "38950_20171025OPHREK_005.MTT", &rec("20171025", "167"));
    });
}

#[test]
fn rejected_lines_are_stored_without_bytes_or_refuse_the_file_in_strict_mode() {
    each("rejected", |reg| {
        base(reg);
        let mut lines = vec![
            line(A, "XBX", "20170201", '0', &[g204('3', "049", "20170201")]),
            "this is not a record line at all\r\n".to_string(),
            // A group cut short: an error.
            "010101-900RXBX201702020001|0043Lyhyt|\r\n".to_string(),
        ];
        let s = try_apply(reg, "c1.MTT", &lines, &ApplyOptions::default()).unwrap();
        assert_eq!(s.records, 1);
        assert_eq!(s.rejected, 2);
        let rej = reg.rejected(10).unwrap();
        assert_eq!(rej.len(), 2);
        assert_eq!(rej[0].line, 2);
        assert_eq!(rej[1].line, 3);
        assert!(rej.iter().all(|r| r.raw.is_none() && !r.kind.is_empty()));
        assert!(
            data(reg, A, "004")[0].starts_with("0041Virtanen"),
            "the bad 004 was not applied"
        );
        // Kept bytes on request.
        lines[0] = line(A, "XBX", "20170203", '0', &[g204('3', "167", "20170203")]);
        let keep = ApplyOptions {
            keep_rejected_bytes: true,
            ..ApplyOptions::default()
        };
        try_apply(reg, "c2.MTT", &lines, &keep).unwrap();
        let rej = reg.rejected(10).unwrap();
        assert_eq!(rej.len(), 4);
        assert!(rej[2]
            .raw
            .as_deref()
            .is_some_and(|r| r.starts_with(b"this is not")));
        // Strict: the whole file is refused, nothing of it stays.
        lines[0] = line(A, "XBX", "20170204", '0', &[g204('3', "257", "20170204")]);
        let strict = ApplyOptions {
            strict: true,
            ..ApplyOptions::default()
        };
        let before = reg.dump().unwrap();
        let files = reg.files().unwrap().len();
        let e = try_apply(reg, "c3.MTT", &lines, &strict);
        assert!(
            matches!(e, Err(RegisterError::Strict { line: 2, .. })),
            "{e:?}"
        );
        assert_eq!(reg.dump().unwrap(), before);
        assert_eq!(reg.files().unwrap().len(), files);
        assert_eq!(reg.rejected(10).unwrap().len(), 4);
    });
}

#[test]
fn schema_is_versioned_and_reopening_keeps_the_data() {
    for target in targets("schema") {
        {
            let mut reg = Register::open(&target).unwrap();
            assert_eq!(reg.status().unwrap().schema_version, 1);
            base(&mut reg);
        }
        let mut reg = Register::open(&target).unwrap();
        let st = reg.status().unwrap();
        assert_eq!(st.schema_version, muutostieto::register::SCHEMA_VERSION);
        assert_eq!((st.persons, st.rows, st.history), (1, 6, 1));
        assert_eq!(st.files.len(), 1);
        assert_eq!(st.files[0].records, 1);
        assert_eq!(st.files[0].sha256.len(), 64);
    }
}

#[test]
fn show_gives_the_perustiedot_shape() {
    each("show", |reg| {
        base(reg);
        apply(
            reg,
            "c1.MTT",
            &[line(
                A,
                "XBX",
                "20170201",
                '0',
                &[g204('3', "049", "20170201")],
            )],
        );
        let p = reg.show(A).unwrap().expect("held");
        let v = serde_json::to_value(&p).unwrap();
        assert_eq!(v["henkilotunnus"], A);
        let groups = v["tietoryhmat"].as_array().unwrap();
        let names: Vec<&str> = groups
            .iter()
            .map(|g| g["tietoryhma"].as_str().unwrap())
            .collect();
        assert_eq!(
            names,
            [
                "SUKUPUOLI",
                "HENKILON_NIMI",
                "KANSALAISUUS",
                "VAKINAINEN_KOTIMAINEN_OSOITE",
                "KOTIKUNTA"
            ]
        );
        let kotikunta = &groups[4];
        assert_eq!(kotikunta["kuntakoodi"], "049");
        assert!(kotikunta.get("muutosattribuutti").is_none());
        assert_eq!(groups[1]["sukunimi"], "Virtanen");
        assert!(reg.show(B).unwrap().is_none());
    });
}

#[test]
fn the_same_rules_on_every_backend() {
    // The same files give the same state on SQLite and PostgreSQL.
    let Some(pg) = pg_url() else {
        note_pg_skipped("backends-agree");
        return;
    };
    let dir = temp_dir("agree");
    let input = muutostieto::testdata::generate(&muutostieto::testdata::Options {
        records: 400,
        seed: 7,
        ..Default::default()
    });
    let allow = ApplyOptions {
        allow_out_of_order: true,
        ..ApplyOptions::default()
    };
    let mut dumps = Vec::new();
    for target in [
        dir.join("r.sqlite").display().to_string(),
        fresh_pg_database(&pg, "agree"),
    ] {
        let mut reg = Register::open(&target).unwrap();
        reg.apply_bytes("g.MTT", &input, ParseOptions::default(), &allow)
            .unwrap();
        dumps.push(reg.dump().unwrap());
    }
    assert!(!dumps[0].is_empty());
    assert_eq!(dumps[0], dumps[1]);
}
