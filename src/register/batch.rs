//! Grouping records' plans into writes (*eräkoostaja*), without a database.
//!
//! Two windows: the history and the persons of every [`BATCH_RECORDS`] records go out as one
//! batch, while the row changes are held longer — up to [`WINDOW_BYTES`] of them — and only the
//! last change of each row (person, code, key) is written. A file that changes a person's rows
//! many times thus writes each row about once, which is most of the cost of a database write
//! inside one long transaction (every version of a row stays until the commit).

use std::collections::HashMap;
use std::fmt;

use super::backend::{Batch, HistoryRow, StateRow};
use super::rules::{Op, Plan};

/// Records whose history and persons are written as one batch.
pub(crate) const BATCH_RECORDS: usize = 4096;

/// Bytes of row changes (estimated, see [`op_bytes`]) held before they are written.
pub(crate) const WINDOW_BYTES: usize = 16 << 20;

/// The estimated memory of a held row change: its strings and what holds them.
fn op_bytes(op: &Op) -> usize {
    96 + op.key.len() + op.data.as_ref().map_or(0, String::len)
}

/// What a [`Batcher`] counted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BatchStats {
    /// Records.
    pub records: u64,
    /// Records with change type 1.
    pub new_persons: u64,
    /// Attribute-5 groups without their 6.
    pub unpaired_corrections: u64,
    /// Qualifying groups without a host.
    pub orphan_qualifiers: u64,
    /// Groups with an unknown change attribute.
    pub unknown_attributes: u64,
    /// Earliest full registration date (`YYYYMMDD`).
    pub first_registered: Option<String>,
    /// Latest full registration date.
    pub last_registered: Option<String>,
}

/// A piece of work for the database, made by a [`Batcher`].
#[derive(Debug)]
pub enum Work {
    /// A batch of rows to write.
    Batch(Batch),
    /// An id correction: move person `old` to `new` (record at `line`).
    Rekey {
        /// The old id.
        old: String,
        /// The new id.
        new: String,
        /// The record's line.
        line: i64,
    },
}

/// A person's held row changes.
struct Pending {
    person_id: String,
    /// A new-person record came: the person's rows are removed before `ops` are written.
    afresh: bool,
    /// Changes after the last new-person record: the last change of each row (among the
    /// first [`SCAN_OPS`]).
    ops: Vec<(Op, i64)>,
    /// [`row_tag`] of each of `ops`.
    tags: Vec<u64>,
}

/// A row's (code, key) hashed (FNV-1a), to find a held change of the same row quickly.
fn row_tag(op: &Op) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in op.code.iter().chain(op.key.as_bytes()) {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Held changes of one person searched for the same row.
const SCAN_OPS: usize = 256;

/// Keeps the last change of each row (code, key), in the order of those last changes.
fn coalesce(ops: &mut Vec<(Op, i64)>) {
    let mut last: HashMap<([u8; 3], &str), usize> = HashMap::with_capacity(ops.len());
    for (i, (op, _)) in ops.iter().enumerate() {
        last.insert((op.code, op.key.as_str()), i);
    }
    let keep: Vec<bool> = (0..ops.len())
        .map(|i| {
            let (op, _) = &ops[i];
            last.get(&(op.code, op.key.as_str())) == Some(&i)
        })
        .collect();
    let mut i = 0;
    ops.retain(|_| {
        i += 1;
        keep[i - 1]
    });
}

/// Groups the plans of one file's records into batches: history and persons every
/// 4096 (`BATCH_RECORDS`) records, row changes coalesced to the last change of each row over up to
/// 16 MiB (`WINDOW_BYTES`). Pure (no database): it can run on the reading thread while
/// [`FileApply::work`](super::FileApply::work) writes on another.
pub struct Batcher {
    file_id: i64,
    batch_records: usize,
    window_bytes: usize,
    /// The persons of the history batch: the index of each one's first record in `history`,
    /// and whether that is a change (type 0), in order of first appearance.
    firsts: Vec<(usize, bool)>,
    people_at: HashMap<String, usize>,
    history: Vec<HistoryRow>,
    /// The held row changes, per person in order of first appearance.
    pending: Vec<Pending>,
    pending_at: HashMap<String, usize>,
    held_bytes: usize,
    stats: BatchStats,
}

impl fmt::Debug for Batcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Batcher")
            .field("file_id", &self.file_id)
            .field("held_records", &self.history.len())
            .field("held_bytes", &self.held_bytes)
            .field("stats", &self.stats)
            .finish()
    }
}

impl Batcher {
    pub(crate) fn new(file_id: i64) -> Batcher {
        Batcher::with_limits(file_id, BATCH_RECORDS, WINDOW_BYTES)
    }

    /// A batcher with other limits (records per history batch, bytes of held row changes).
    pub(crate) fn with_limits(file_id: i64, batch_records: usize, window_bytes: usize) -> Batcher {
        Batcher {
            file_id,
            batch_records: batch_records.max(1),
            window_bytes,
            firsts: Vec::new(),
            people_at: HashMap::new(),
            history: Vec::new(),
            pending: Vec::new(),
            pending_at: HashMap::new(),
            held_bytes: 0,
            stats: BatchStats::default(),
        }
    }

    /// What was counted so far.
    pub fn stats(&self) -> &BatchStats {
        &self.stats
    }

    /// Takes what was counted so far.
    pub(crate) fn take_stats(&mut self) -> BatchStats {
        std::mem::take(&mut self.stats)
    }

    /// Adds a record's plan (its first line is `line`); full batches and id corrections go
    /// to `out`, in the order they must be written.
    pub fn push(&mut self, plan: Plan, line: u64, out: &mut Vec<Work>) {
        let line = line as i64;
        let mut person_id = plan.person_id;
        if let Some(new) = plan.rekey_to {
            // Everything held is written before the person's rows and history move.
            self.finish(out);
            out.push(Work::Rekey {
                old: std::mem::replace(&mut person_id, new.clone()),
                new,
                line,
            });
        }
        let st = &mut self.stats;
        st.records += 1;
        st.unpaired_corrections += u64::from(plan.unpaired_corrections);
        st.orphan_qualifiers += u64::from(plan.orphan_qualifiers);
        st.unknown_attributes += u64::from(plan.unknown_attributes);
        if !plan.registered.is_empty() {
            let r = &plan.registered;
            if st.first_registered.as_ref().is_none_or(|f| r < f) {
                st.first_registered = Some(r.clone());
            }
            if st.last_registered.as_ref().is_none_or(|l| r > l) {
                st.last_registered = Some(r.clone());
            }
        }
        if plan.new_person {
            st.new_persons += 1;
        }
        if !self.people_at.contains_key(&person_id) {
            self.people_at.insert(person_id.clone(), self.firsts.len());
            self.firsts.push((self.history.len(), !plan.new_person));
        }
        self.hold(&person_id, plan.new_person, plan.ops, line);
        self.history.push(HistoryRow {
            person_id,
            file_id: self.file_id,
            line,
            event: plan.event,
            registered: plan.registered,
            change_type: if plan.new_person { "1" } else { "0" }.into(),
            groups: plan.groups,
        });
        if self.history.len() >= self.batch_records {
            self.finish_history(out);
        }
        if self.held_bytes >= self.window_bytes {
            self.finish_rows(out);
        }
    }

    /// Holds a record's row changes (after removing the person's when `afresh`).
    fn hold(&mut self, person_id: &str, afresh: bool, ops: Vec<Op>, line: i64) {
        let at = match self.pending_at.get(person_id) {
            Some(&at) => at,
            None => {
                self.pending_at
                    .insert(person_id.to_string(), self.pending.len());
                self.pending.push(Pending {
                    person_id: person_id.to_string(),
                    afresh: false,
                    ops: Vec::new(),
                    tags: Vec::new(),
                });
                self.pending.len() - 1
            }
        };
        let p = &mut self.pending[at];
        if afresh {
            p.afresh = true;
            self.held_bytes -= p.ops.iter().map(|(op, _)| op_bytes(op)).sum::<usize>();
            p.ops.clear();
            p.tags.clear();
        }
        for op in ops {
            self.held_bytes += op_bytes(&op);
            // A later change of a held row replaces it (persons have few rows: a short scan
            // of tags; beyond `SCAN_OPS` the changes are coalesced when written).
            let tag = row_tag(&op);
            let scanned = p.tags.len().min(SCAN_OPS);
            let same = p.tags[..scanned].iter().enumerate().position(|(j, &t)| {
                t == tag && p.ops[j].0.code == op.code && p.ops[j].0.key == op.key
            });
            match same {
                Some(j) => {
                    self.held_bytes -= op_bytes(&p.ops[j].0);
                    p.ops[j] = (op, line);
                }
                None => {
                    p.ops.push((op, line));
                    p.tags.push(tag);
                }
            }
        }
    }

    /// Puts the history batch (history rows, persons first seen, persons to check) into `out`.
    fn finish_history(&mut self, out: &mut Vec<Work>) {
        if self.history.is_empty() {
            return;
        }
        let b = Batch {
            history: std::mem::take(&mut self.history),
            firsts: std::mem::take(&mut self.firsts),
            ..Batch::default()
        };
        self.people_at.clear();
        out.push(Work::Batch(b));
    }

    /// Puts the held row changes into `out` as one batch: persons started afresh, then the
    /// last change of each row.
    fn finish_rows(&mut self, out: &mut Vec<Work>) {
        if self.pending.is_empty() {
            return;
        }
        let mut b = Batch::default();
        for mut p in self.pending.drain(..) {
            if p.ops.len() > SCAN_OPS {
                coalesce(&mut p.ops);
            }
            for (op, line) in p.ops {
                match op.data {
                    Some(data) => b.upserts.push(StateRow {
                        person_id: p.person_id.clone(),
                        code: code_text(op.code),
                        key: op.key,
                        data,
                        file_id: self.file_id,
                        line,
                    }),
                    // After the person's rows were removed, a removal finds nothing.
                    None if p.afresh => {}
                    None => b
                        .deletes
                        .push((p.person_id.clone(), code_text(op.code), op.key)),
                }
            }
            if p.afresh {
                b.afresh.push(p.person_id);
            }
        }
        self.pending_at.clear();
        self.held_bytes = 0;
        out.push(Work::Batch(b));
    }

    /// Puts everything held into `out` (at the end of a file and before an id correction).
    pub fn finish(&mut self, out: &mut Vec<Work>) {
        self.finish_history(out);
        self.finish_rows(out);
    }
}

/// A group code as text.
fn code_text(code: [u8; 3]) -> String {
    String::from_utf8_lossy(&code).into_owned()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    /// Rows per person: (code, key) → (data, line).
    type State = BTreeMap<String, BTreeMap<(String, String), (String, i64)>>;

    fn rekey(state: &mut State, old: &str, new: &str) {
        if let Some(rows) = state.remove(old) {
            state.entry(new.to_string()).or_default().extend(rows);
        }
    }

    /// The rules applied one record at a time, as written in docs/register.md.
    fn model(plans: &[Plan]) -> State {
        let mut state = State::new();
        for (line, p) in plans.iter().enumerate() {
            let mut id = p.person_id.clone();
            if let Some(new) = &p.rekey_to {
                rekey(&mut state, &id, new);
                id = new.clone();
            }
            let rows = state.entry(id).or_default();
            if p.new_person {
                rows.clear();
            }
            for op in &p.ops {
                let k = (code_text(op.code), op.key.clone());
                match &op.data {
                    Some(d) => rows.insert(k, (d.clone(), line as i64)),
                    None => rows.remove(&k),
                };
            }
        }
        state.retain(|_, rows| !rows.is_empty());
        state
    }

    /// What the batches do to a database.
    fn written(work: Vec<Work>) -> (State, usize) {
        let mut state = State::new();
        let mut history = 0;
        for w in work {
            match w {
                Work::Rekey { old, new, .. } => rekey(&mut state, &old, &new),
                Work::Batch(b) => {
                    for p in &b.afresh {
                        state.remove(p);
                    }
                    for (p, code, key) in b.deletes {
                        state.entry(p).or_default().remove(&(code, key));
                    }
                    for r in b.upserts {
                        state
                            .entry(r.person_id)
                            .or_default()
                            .insert((r.code, r.key), (r.data, r.line));
                    }
                    history += b.history.len();
                }
            }
        }
        state.retain(|_, rows| !rows.is_empty());
        (state, history)
    }

    fn plans(seed: u64, n: usize) -> Vec<Plan> {
        let mut x = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        let mut next = move |m: u64| {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (x >> 33) % m
        };
        let ids = ["A", "B", "C", "D", "E"];
        (0..n)
            .map(|i| {
                let person_id = ids[next(5) as usize].to_string();
                let rekey_to = (next(40) == 0).then(|| ids[next(5) as usize].to_string());
                let ops = (0..next(5))
                    .map(|_| Op {
                        code: [*b"101", *b"204", *b"305"][next(3) as usize],
                        key: ["", "k1", "k2", "k3"][next(4) as usize].to_string(),
                        data: (next(4) != 0).then(|| format!("d{i}")),
                    })
                    .collect();
                Plan {
                    person_id,
                    rekey_to,
                    new_person: next(10) == 0,
                    ops,
                    ..Plan::default()
                }
            })
            .filter(|p| p.rekey_to.as_ref() != Some(&p.person_id))
            .collect()
    }

    #[test]
    fn windows_and_batches_of_any_size_give_the_state_of_the_rules() {
        for seed in 0..40 {
            let plans = plans(seed, 300);
            let expected = model(&plans);
            assert!(!expected.is_empty());
            for (records, bytes) in [(1, 0), (3, 250), (7, 2_000), (50, 1 << 20), (4096, 1 << 30)] {
                let mut batcher = Batcher::with_limits(1, records, bytes);
                let mut work = Vec::new();
                for (line, p) in plans.iter().enumerate() {
                    batcher.push(p.clone(), line as u64, &mut work);
                }
                batcher.finish(&mut work);
                let (state, history) = written(work);
                assert_eq!(history, plans.len());
                assert_eq!(state, expected, "seed {seed}, limits {records}/{bytes}");
                assert_eq!(batcher.stats().records, plans.len() as u64);
            }
        }
    }

    #[test]
    fn a_row_changed_many_times_in_a_window_is_written_once() {
        let plans: Vec<Plan> = (0..1000)
            .map(|i| Plan {
                person_id: "A".into(),
                ops: vec![Op {
                    code: *b"204",
                    key: String::new(),
                    data: Some(format!("{i}")),
                }],
                ..Plan::default()
            })
            .collect();
        let mut batcher = Batcher::with_limits(1, 100, 1 << 20);
        let mut work = Vec::new();
        for (line, p) in plans.into_iter().enumerate() {
            batcher.push(p, line as u64, &mut work);
        }
        batcher.finish(&mut work);
        let upserts: Vec<&StateRow> = work
            .iter()
            .flat_map(|w| match w {
                Work::Batch(b) => b.upserts.iter().collect(),
                Work::Rekey { .. } => Vec::new(),
            })
            .collect();
        assert_eq!(upserts.len(), 1);
        assert_eq!(upserts[0].data, "999");
        assert_eq!(upserts[0].line, 999);
        let batches = work.iter().filter(|w| matches!(w, Work::Batch(_))).count();
        assert_eq!(batches, 11, "10 history batches and one of rows");
    }
}
