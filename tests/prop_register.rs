//! Property: for random sequences of change files (a few persons, groups whose keys collide
//! often, every change attribute, 5/6 pairs, qualifying groups, id corrections, new-person
//! records), the register's state equals a plain in-memory model of the rules written here
//! from `docs/register.md`, and applying the files in one file or file by file gives the
//! same state. On SQLite, and on PostgreSQL when `MUUTOSTIETO_TEST_POSTGRES_URL` is set.
#![cfg(feature = "register")]

#[path = "register_support/mod.rs"]
mod support;

use std::collections::{BTreeMap, BTreeSet};

use muutostieto::register::{ApplyOptions, Register};
use muutostieto::ParseOptions;
use proptest::prelude::*;
use support::*;

const IDS: [&str; 4] = ["010101-900R", "020202A901T", "030303-902Y", "040404-903L"];

/// A small deterministic generator (SplitMix64).
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// One generated group as the model sees it: its text, the key the rules give it, and its
/// qualifying groups (attribute, text).
#[derive(Clone, Debug)]
struct G {
    code: &'static str,
    attr: char,
    text: String,
    key: String,
    quals: Vec<(char, String)>,
}

#[derive(Clone, Debug)]
struct Rec {
    id: &'static str,
    new_person: bool,
    groups: Vec<G>,
    registered: String,
}

fn group(g: &mut Gen, code: &'static str, attr: char) -> G {
    let date = |g: &mut Gen| g.pick(&["20000101", "20100101", "00000000"]).to_string();
    let mk = |text: String, key: String| G {
        code,
        attr,
        text,
        key,
        quals: Vec::new(),
    };
    match code {
        "003" => mk(g003(attr, g.pick(&['1', '2'])), String::new()),
        "004" => mk(
            g004(
                attr,
                g.pick(&["Virtanen", "Korhonen", "Mäkinen"]),
                g.pick(&["Aino", "Eero"]),
            ),
            String::new(),
        ),
        "013" => mk(g013(attr, &date(g)), String::new()),
        "204" => {
            let m = g.pick(&["091", "049", "167"]);
            mk(g204(attr, m, &date(g)), String::new())
        }
        "007" => {
            let c = g.pick(&["246", "752"]);
            let end = date(g);
            mk(g007(attr, c, "19900101", &end), c.to_string())
        }
        "101" => {
            let start = g.pick(&["20000101", "20100101"]);
            let street = g.pick(&["Kotikatu", "Åsgatan", "Tie"]);
            let end = date(g);
            mk(g101(attr, street, start, &end), start.to_string())
        }
        "421" => {
            let start = g.pick(&["20000101", "20100101"]);
            let addr = g.pick(&["a@example.fi", "b@example.fi"]);
            mk(g421(attr, addr, start), format!("99/{start}"))
        }
        "305" => {
            let guardian = g.pick(&[IDS[1], IDS[2], ""]);
            let end = date(g);
            if g.chance(50) && !guardian.is_empty() {
                // The layout from 2019-12-01, with guardian rights.
                let mut x = mk(
                    g305_new(attr, guardian, "20200101", &end),
                    guardian.to_string(),
                );
                for _ in 0..g.below(3) {
                    let a = g.pick(&['0', '1', '4', '3']);
                    x.quals
                        .push((a, g320(a, g.pick(&["T301", "P501"]), "20200101")));
                }
                x
            } else if guardian.is_empty() {
                let birth = g.pick(&["19700101", "19710101"]);
                let mut x = mk(g305(attr, "", "20170101", &end), format!("451/{birth}"));
                x.quals.push(('0', g451(birth, "Smith", "John")));
                x
            } else {
                mk(g305(attr, guardian, "20170101", &end), guardian.to_string())
            }
        }
        _ => unreachable!(),
    }
}

const CODES: [&str; 8] = ["003", "004", "013", "204", "007", "101", "421", "305"];

fn record(g: &mut Gen, registered: String) -> Rec {
    let id = g.pick(&IDS);
    let new_person = g.chance(12);
    let mut groups = Vec::new();
    if g.chance(8) {
        // An id correction: the new id active (1), the header's passivated (3, validity 2).
        let new = g.pick(&IDS);
        if new != id {
            groups.push(G {
                code: "001",
                attr: '1',
                text: g001('1', new, '1'),
                key: new.to_string(),
                quals: vec![],
            });
            groups.push(G {
                code: "001",
                attr: '3',
                text: g001('3', id, '2'),
                key: id.to_string(),
                quals: vec![],
            });
        }
    }
    for _ in 0..1 + g.below(4) {
        let code = g.pick(&CODES);
        let attr = if new_person {
            g.pick(&['1', '1', '0'])
        } else {
            g.pick(&['0', '1', '3', '3', '4', '5', '6'])
        };
        groups.push(group(g, code, attr));
        if attr == '5' && g.chance(85) {
            groups.push(group(g, code, '6'));
        }
    }
    Rec {
        id,
        new_person,
        groups,
        registered,
    }
}

fn render(r: &Rec) -> String {
    let mut parts = Vec::new();
    for gr in &r.groups {
        parts.push(gr.text.clone());
        for (_, q) in &gr.quals {
            parts.push(q.clone());
        }
    }
    let event = if r.new_person { "XSS" } else { "XBX" };
    line(
        r.id,
        event,
        &r.registered,
        if r.new_person { '1' } else { '0' },
        &parts,
    )
}

/// The model: person → (code, key) → row text.
#[derive(Default, Debug)]
struct Model {
    persons: BTreeSet<String>,
    rows: BTreeMap<String, BTreeMap<(String, String), String>>,
    records: usize,
}

impl Model {
    fn apply(&mut self, r: &Rec) {
        self.records += 1;
        let mut id = r.id.to_string();
        let passivates = r.groups.iter().any(|g| {
            g.code == "001" && "136".contains(g.attr) && g.text.ends_with(&format!("{id}2"))
        });
        let target = r.groups.iter().find_map(|g| {
            (g.code == "001" && "136".contains(g.attr) && g.text.ends_with('1') && g.key != id)
                .then(|| g.key.clone())
        });
        if let (true, Some(new)) = (passivates, target) {
            if let Some(old_rows) = self.rows.remove(&id) {
                let rows = self.rows.entry(new.clone()).or_default();
                for (k, v) in old_rows {
                    rows.insert(k, v);
                }
            }
            self.persons.remove(&id);
            id = new;
        }
        self.persons.insert(id.clone());
        let rows = self.rows.entry(id).or_default();
        if r.new_person {
            rows.clear();
        }
        let mut i = 0;
        while i < r.groups.len() {
            let g = &r.groups[i];
            i += 1;
            let k = (g.code.to_string(), g.key.clone());
            let data = || {
                let mut d = g.text.clone();
                for (a, q) in &g.quals {
                    if *a != '4' && *a != '5' {
                        d.push('|');
                        d.push_str(q);
                    }
                }
                d
            };
            match g.attr {
                '1' | '3' | '6' => {
                    rows.insert(k, data());
                }
                '4' => {
                    rows.remove(&k);
                }
                '5' if r
                    .groups
                    .get(i)
                    .is_some_and(|n| n.code == g.code && n.attr == '6') =>
                {
                    rows.remove(&k);
                }
                '0' if g.quals.iter().any(|(a, _)| *a != '0') => {
                    rows.insert(k, data());
                }
                _ => {}
            }
        }
    }

    /// person → sorted (code, data), persons without rows included.
    fn state(&self) -> Vec<(String, Vec<(String, String)>)> {
        self.persons
            .iter()
            .map(|p| {
                let mut rows: Vec<(String, String)> = self
                    .rows
                    .get(p)
                    .map(|m| m.iter().map(|((c, _), d)| (c.clone(), d.clone())).collect())
                    .unwrap_or_default();
                rows.sort();
                (p.clone(), rows)
            })
            .collect()
    }
}

fn db_state(reg: &mut Register) -> Vec<(String, Vec<(String, String)>)> {
    reg.dump()
        .unwrap()
        .into_iter()
        .map(|(p, rows)| {
            let mut rows: Vec<(String, String)> =
                rows.into_iter().map(|(c, _, d)| (c, d)).collect();
            rows.sort();
            (p, rows)
        })
        .collect()
}

fn files(seed: u64, nfiles: usize, per_file: usize) -> Vec<Vec<Rec>> {
    let mut g = Gen(seed);
    let mut day = 0;
    (0..nfiles)
        .map(|_| {
            (0..1 + g.below(per_file as u64))
                .map(|_| {
                    day += 1;
                    let registered = format!("2017{:02}{:02}", 1 + (day / 28) % 12, 1 + day % 28);
                    record(&mut g, registered)
                })
                .collect()
        })
        .collect()
}

fn check(target_one: &str, target_each: &str, seed: u64, nfiles: usize, per_file: usize) {
    let files = files(seed, nfiles, per_file);
    let mut model = Model::default();
    for f in &files {
        for r in f {
            model.apply(r);
        }
    }
    let opts = ApplyOptions {
        allow_out_of_order: true,
        ..ApplyOptions::default()
    };
    let parse = ParseOptions::default().with_encoding(muutostieto::Encoding::Utf8);
    // File by file.
    let mut each = Register::open(target_each).unwrap();
    for (i, f) in files.iter().enumerate() {
        let bytes: String = f.iter().map(render).collect();
        let s = each
            .apply_bytes(&format!("c{i}.MTT"), bytes.as_bytes(), parse, &opts)
            .unwrap();
        assert_eq!(s.rejected, 0);
        assert_eq!(s.records as usize, f.len());
    }
    let state_each = db_state(&mut each);
    assert_eq!(
        state_each,
        model.state(),
        "file by file vs the model (seed {seed})"
    );
    assert_eq!(each.status().unwrap().history as usize, model.records);
    // In one file.
    let mut one = Register::open(target_one).unwrap();
    let all: String = files.iter().flatten().map(render).collect();
    one.apply_bytes("all.MTT", all.as_bytes(), parse, &opts)
        .unwrap();
    assert_eq!(
        db_state(&mut one),
        state_each,
        "one file vs file by file (seed {seed})"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn sqlite_state_equals_the_model(seed in any::<u64>(), nfiles in 1usize..5, per_file in 1usize..30) {
        let dir = temp_dir("prop");
        let one = dir.join("one.sqlite").display().to_string();
        let each = dir.join("each.sqlite").display().to_string();
        check(&one, &each, seed, nfiles, per_file);
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn postgres_state_equals_the_model() {
    let Some(base) = pg_url() else {
        note_pg_skipped("postgres_state_equals_the_model");
        return;
    };
    for seed in 0..12u64 {
        let one = fresh_pg_database(&base, "prop_one");
        let each = fresh_pg_database(&base, "prop_each");
        check(&one, &each, seed * 7919 + 1, 4, 30);
    }
}

#[test]
fn the_model_sees_every_rule() {
    // The generated files exercise what the property is about (so that it can fail).
    let files = files(42, 40, 30);
    let recs: Vec<&Rec> = files.iter().flatten().collect();
    let attrs: BTreeSet<char> = recs
        .iter()
        .flat_map(|r| r.groups.iter().map(|g| g.attr))
        .collect();
    assert_eq!(attrs, ['0', '1', '3', '4', '5', '6'].into_iter().collect());
    assert!(recs.iter().any(|r| r.new_person));
    assert!(recs
        .iter()
        .any(|r| r.groups.iter().any(|g| g.code == "001")));
    assert!(recs
        .iter()
        .any(|r| r.groups.iter().any(|g| !g.quals.is_empty())));
    let mut model = Model::default();
    let mut removed = 0;
    for r in &recs {
        let before: usize = model.rows.values().map(|m| m.len()).sum();
        model.apply(r);
        let after: usize = model.rows.values().map(|m| m.len()).sum();
        removed += usize::from(after < before);
    }
    assert!(removed > 10, "removals happen");
}

#[test]
fn batch_boundaries_do_not_change_the_state() {
    // More records than one batch holds (4096), in one file and in 20 files: both equal the
    // model.
    let mut g = Gen(2024);
    let recs: Vec<Rec> = (0..5000)
        .map(|i| {
            record(
                &mut g,
                format!("2018{:02}{:02}", 1 + (i / 28) % 12, 1 + i % 28),
            )
        })
        .collect();
    let mut model = Model::default();
    for r in &recs {
        model.apply(r);
    }
    let opts = ApplyOptions {
        allow_out_of_order: true,
        ..ApplyOptions::default()
    };
    let parse = ParseOptions::default().with_encoding(muutostieto::Encoding::Utf8);
    let mut targets = vec![{
        let dir = temp_dir("batches");
        (
            dir.join("one.sqlite").display().to_string(),
            dir.join("many.sqlite").display().to_string(),
        )
    }];
    if let Some(base) = pg_url() {
        targets.push((
            fresh_pg_database(&base, "batch_one"),
            fresh_pg_database(&base, "batch_many"),
        ));
    } else {
        note_pg_skipped("batch_boundaries_do_not_change_the_state");
    }
    for (one, many) in targets {
        let mut reg = Register::open(&one).unwrap();
        let all: String = recs.iter().map(render).collect();
        let s = reg
            .apply_bytes("all.MTT", all.as_bytes(), parse, &opts)
            .unwrap();
        assert_eq!(s.records, 5000);
        assert_eq!(db_state(&mut reg), model.state(), "one file ({one})");
        let mut reg = Register::open(&many).unwrap();
        for (i, chunk) in recs.chunks(250).enumerate() {
            let text: String = chunk.iter().map(render).collect();
            reg.apply_bytes(&format!("c{i}.MTT"), text.as_bytes(), parse, &opts)
                .unwrap();
        }
        assert_eq!(db_state(&mut reg), model.state(), "20 files ({many})");
    }
}
