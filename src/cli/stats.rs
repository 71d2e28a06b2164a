//! `muutostieto stats`: counts per file and in total.
//!
//! Works for every record family: the header facts come from [`HeaderPart`] (the record key —
//! person id, building id or a layout's first header field —, event, registration date, change
//! type) and the group facts from [`GroupPart`].
//!
//! Memory is bounded: the distinct record keys are counted exactly by [`DistinctKeys`], which
//! holds at most a million 8-byte keys in memory and sorts the rest into temporary files. A
//! well-formed person id or building id packs into the key exactly (digits × 4 bits, century
//! sign and check character × 7 bits); anything else is hashed into the upper half of the key
//! space, where collisions are possible but improbable.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::hash::{Hash, Hasher};
use std::io::{self, Write};
use std::time::{Duration, Instant};

use clap::{Args, ValueEnum};
use muutostieto::field::Text;
use muutostieto::layout::Schema;
use muutostieto::record::Item;
use muutostieto::record::{GroupPart, HeaderPart, RecordOf};
use muutostieto::Encoding;
use serde::Serialize;

use super::args::{EncodingArg, ReadArgs};
use super::distinct::DistinctKeys;
use super::driver::{file_result, read_file, Job, Jobs, Step, StreamError};
use super::family::{key_noun, with_family, CliFamily, Families};
use super::io::{display_name, json_err, stdout, Files};
use super::report::{format_diagnostic, mb_per_s, plural, Report};
use super::{EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE};

/// Distinct event codes kept per file; further codes are counted as `(other)`.
const MAX_EVENT_CODES: usize = 1000;

/// Output formats of `stats`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum StatsFormat {
    /// Tables for people.
    #[default]
    Text,
    /// One JSON document: `{"files": [...], "total": {...}}`.
    Json,
}

/// Arguments of `stats`.
#[derive(Debug, Args)]
#[command(after_help = "\
Counts records, distinct record keys (persons, buildings, or a layout file's first header field), \
lines (continuation, envelope, malformed and skipped lines), event codes, change types, group codes \
by change attribute (like section 9.3 of the format reference), diagnostics by kind, the range of \
registration dates, bytes and throughput (MB = 10^6 bytes), per file and in total.
JSON: each file has \"family\" (person, building, layout; mixed for a total over several) and one \
of \"distinct_persons\", \"distinct_buildings\" or \"distinct_keys\".
Memory: bounded; the distinct persons or buildings are counted exactly, past a million of them \
with the help of temporary files.
Diagnostics themselves are not printed (see `muutostieto check`); --show-values does not apply.
With --strict files are read in one thread (--jobs does not apply), so that \"bytes\" counts what \
was read up to the stop.
Exit status: 0; 1 when --strict stopped a file at an error; 2 on usage errors or files that cannot \
be read.")]
pub struct StatsArgs {
    #[command(flatten)]
    pub files: Files,
    #[command(flatten)]
    pub read: ReadArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = StatsFormat::Text)]
    pub format: StatsFormat,
}

/// The set of distinct record keys: exact, in bounded memory (see [`DistinctKeys`]).
type KeySet = DistinctKeys;

/// The compact key of a header record key: person ids below 2^50, building ids (9 digits and a
/// check character) at bit 62 and up, anything else hashed at bit 63 and up.
fn record_key(raw: &[u8]) -> u64 {
    const DIGITS: [usize; 9] = [0, 1, 2, 3, 4, 5, 7, 8, 9];
    if raw.len() == 11
        && DIGITS.iter().all(|&i| raw[i].is_ascii_digit())
        && raw[6].is_ascii()
        && raw[10].is_ascii()
    {
        let mut k = 0u64;
        for i in DIGITS {
            k = k << 4 | u64::from(raw[i] - b'0');
        }
        k = k << 7 | u64::from(raw[6]);
        k << 7 | u64::from(raw[10])
    } else if raw.len() == 10 && raw[..9].iter().all(u8::is_ascii_digit) && raw[9].is_ascii() {
        let mut k = 0u64;
        for &d in &raw[..9] {
            k = k << 4 | u64::from(d - b'0');
        }
        1 << 62 | k << 7 | u64::from(raw[9])
    } else {
        let mut h = std::hash::DefaultHasher::new();
        raw.hash(&mut h);
        h.finish() | 1 << 63
    }
}

/// Counts of one group code.
#[derive(Debug, Default, Clone, Serialize)]
struct GroupCount {
    name: String,
    total: u64,
    by_change: BTreeMap<String, u64>,
}

/// Registration date range.
#[derive(Debug, Default, Clone, Serialize)]
struct DateRange {
    min: Option<String>,
    max: Option<String>,
    /// Records whose registration date is missing, indefinite or invalid.
    without_date: u64,
}

/// Diagnostics counts.
#[derive(Debug, Default, Clone, Serialize)]
struct DiagCounts {
    errors: u64,
    warnings: u64,
    by_kind: BTreeMap<&'static str, u64>,
}

/// Statistics of one file or of all files.
#[derive(Debug, Default, Clone, Serialize)]
struct Stats {
    file: String,
    /// `person`, `building`, `layout`, or `mixed` for a total over several families.
    family: String,
    bytes: u64,
    elapsed_seconds: f64,
    mb_per_second: f64,
    records_per_second: f64,
    lines: u64,
    records: u64,
    /// `distinct_persons`, `distinct_buildings` or `distinct_keys`: one entry.
    #[serde(flatten)]
    distinct: BTreeMap<String, u64>,
    #[serde(skip)]
    noun: (&'static str, &'static str),
    groups: u64,
    continuation_lines: u64,
    envelope_lines: u64,
    malformed_lines: u64,
    skipped_lines: u64,
    registration_dates: DateRange,
    change_types: BTreeMap<String, u64>,
    events: BTreeMap<String, u64>,
    group_codes: BTreeMap<String, GroupCount>,
    diagnostics: DiagCounts,
    #[serde(skip)]
    date_min: Option<(u16, u8, u8)>,
    #[serde(skip)]
    date_max: Option<(u16, u8, u8)>,
    /// Distinct event codes counted before further ones go to `(other)`.
    #[serde(skip)]
    event_cap: usize,
    /// The keys of `events` in the order they were first met.
    #[serde(skip)]
    event_order: Vec<String>,
    /// The meanings of the event codes and change types seen (for the text report).
    #[serde(skip)]
    meanings: BTreeMap<String, &'static str>,
}

impl Stats {
    fn new(file: String, family: &str, noun: (&'static str, &'static str)) -> Self {
        Stats {
            file,
            family: family.to_string(),
            noun,
            event_cap: MAX_EVENT_CODES,
            ..Stats::default()
        }
    }

    fn item<F: CliFamily>(
        &mut self,
        family: &F,
        item: &Item<'_, RecordOf<'_, F>>,
        enc: Encoding,
        keys: &mut KeySet,
    ) {
        match item {
            Item::Envelope(_) => {
                self.lines += 1;
                self.envelope_lines += 1;
            }
            Item::Malformed(_) => {
                self.lines += 1;
                self.malformed_lines += 1;
            }
            // Counted from its diagnostic (see `diagnostic`).
            Item::Skipped(_) => {}
            Item::Record(r) => {
                self.records += 1;
                self.lines += r.line_count() as u64;
                self.continuation_lines += r.continuations.len() as u64;
                self.groups += r.groups.len() as u64;
                if let Some(h) = F::header_part(&r.header) {
                    self.header(h, enc, keys);
                }
                for g in &r.groups {
                    let code = GroupPart::code(g);
                    let code_text = printable(&code);
                    let change = match GroupPart::change(g) {
                        Some(c) => change_label(&[c]).into_owned(),
                        None => change_label(b"").into_owned(),
                    };
                    let entry = match self.group_codes.get_mut(&*code_text) {
                        Some(e) => e,
                        None => self
                            .group_codes
                            .entry(code_text.into_owned())
                            .or_insert_with(|| GroupCount {
                                name: group_name(family.schema(), &code),
                                ..GroupCount::default()
                            }),
                    };
                    entry.total += 1;
                    bump(&mut entry.by_change, &change);
                }
            }
        }
    }

    /// Counts what a record's header tells.
    fn header(&mut self, h: &dyn HeaderPart, enc: Encoding, keys: &mut KeySet) {
        keys.insert(record_key(h.key()));
        match h.registered().sort_key() {
            Some(k) => {
                self.date_min = Some(self.date_min.map_or(k, |m| m.min(k)));
                self.date_max = Some(self.date_max.map_or(k, |m| m.max(k)));
            }
            None => self.registration_dates.without_date += 1,
        }
        let change = enc.decode(h.change_type());
        if !self.change_types.contains_key(&*change) {
            use muutostieto::field::CodeTable as _;
            if let Some(c) = muutostieto::record::ChangeType::from_code(h.change_type()) {
                self.meanings
                    .insert(format!("change {change}"), c.meaning());
            }
        }
        bump(&mut self.change_types, &change);
        let event = Text::from_bytes(h.event(), enc).decode();
        if !self.events.contains_key(&*event) {
            if let Some(m) = h.event_meaning() {
                self.meanings.insert(format!("event {event}"), m);
            }
        }
        self.event(&event, 1);
    }

    /// Counts `n` records of an event code, or of `(other)` once the cap is reached.
    fn event(&mut self, event: &str, n: u64) {
        let key = if self.events.len() < self.event_cap || self.events.contains_key(event) {
            event
        } else {
            "(other)"
        };
        match self.events.get_mut(key) {
            Some(v) => *v += n,
            None => {
                self.events.insert(key.to_string(), n);
                self.event_order.push(key.to_string());
            }
        }
    }

    fn diagnostic(&mut self, d: &muutostieto::Diagnostic) {
        if d.is_error() {
            self.diagnostics.errors += 1;
        } else {
            self.diagnostics.warnings += 1;
        }
        if matches!(d.kind, muutostieto::DiagnosticKind::LineTooLong { .. }) {
            self.lines += 1;
            self.skipped_lines += 1;
        }
        *self.diagnostics.by_kind.entry(d.kind.name()).or_default() += 1;
    }

    /// Sets the derived numbers.
    fn finish(&mut self, keys: usize, bytes: u64, elapsed: Duration) {
        self.distinct.clear();
        self.distinct
            .insert(format!("distinct_{}", self.noun.1), keys as u64);
        self.bytes = bytes;
        self.elapsed_seconds = elapsed.as_secs_f64();
        self.mb_per_second = mb_per_s(bytes, elapsed);
        self.records_per_second = if self.elapsed_seconds > 0.0 {
            self.records as f64 / self.elapsed_seconds
        } else {
            0.0
        };
        self.registration_dates.min = self.date_min.map(format_key);
        self.registration_dates.max = self.date_max.map(format_key);
    }

    /// Adds the counts of a later part of the same file, event codes capped as if counted here.
    fn absorb(&mut self, o: &Stats) {
        self.add_counts(o);
        // Codes in the order the file has them: the same codes reach the cap as when counted
        // one by one (`(other)` of a capped part goes to `(other)` here too).
        for k in &o.event_order {
            self.event(k, o.events[k]);
        }
    }

    /// Adds another file's counts (distinct keys and timing are set by `finish`).
    fn add(&mut self, o: &Stats) {
        if self.family.is_empty() {
            self.family = o.family.clone();
            self.noun = o.noun;
        } else {
            if self.family != o.family {
                self.family = "mixed".into();
            }
            if self.noun != o.noun {
                self.noun = ("key", "keys");
            }
        }
        self.add_counts(o);
        for (k, v) in &o.events {
            *self.events.entry(k.clone()).or_default() += v;
        }
    }

    /// Adds every count but the event codes'.
    fn add_counts(&mut self, o: &Stats) {
        self.lines += o.lines;
        self.records += o.records;
        self.groups += o.groups;
        self.continuation_lines += o.continuation_lines;
        self.envelope_lines += o.envelope_lines;
        self.malformed_lines += o.malformed_lines;
        self.skipped_lines += o.skipped_lines;
        self.registration_dates.without_date += o.registration_dates.without_date;
        self.meanings
            .extend(o.meanings.iter().map(|(k, v)| (k.clone(), *v)));
        for k in o.date_min.into_iter().chain(o.date_max) {
            self.date_min = Some(self.date_min.map_or(k, |m| m.min(k)));
            self.date_max = Some(self.date_max.map_or(k, |m| m.max(k)));
        }
        for (k, v) in &o.change_types {
            *self.change_types.entry(k.clone()).or_default() += v;
        }
        for (k, g) in &o.group_codes {
            let e = self
                .group_codes
                .entry(k.clone())
                .or_insert_with(|| GroupCount {
                    name: g.name.clone(),
                    ..GroupCount::default()
                });
            e.total += g.total;
            for (c, v) in &g.by_change {
                *e.by_change.entry(c.clone()).or_default() += v;
            }
        }
        self.diagnostics.errors += o.diagnostics.errors;
        self.diagnostics.warnings += o.diagnostics.warnings;
        for (k, v) in &o.diagnostics.by_kind {
            *self.diagnostics.by_kind.entry(k).or_default() += v;
        }
    }
}

/// The name of a group code (`guardian_legacy/guardian` for the two person 305 layouts).
fn group_name(schema: &Schema, code: &[u8; 3]) -> String {
    let names: Vec<&str> = schema.layouts_for(code).iter().map(|l| &*l.name).collect();
    if names.is_empty() {
        "(unknown)".into()
    } else {
        names.join("/")
    }
}

fn bump(map: &mut BTreeMap<String, u64>, key: &str) {
    match map.get_mut(key) {
        Some(v) => *v += 1,
        None => {
            map.insert(key.to_string(), 1);
        }
    }
}

/// Code bytes as text, `?` for anything not printable ASCII (borrowed when printable).
fn printable(bytes: &[u8]) -> Cow<'_, str> {
    if bytes.iter().all(u8::is_ascii_graphic) {
        if let Ok(s) = std::str::from_utf8(bytes) {
            return Cow::Borrowed(s);
        }
    }
    Cow::Owned(
        bytes
            .iter()
            .map(|&b| if b.is_ascii_graphic() { b as char } else { '?' })
            .collect(),
    )
}

/// A change attribute as a table column: the code, `blank` or `none`.
fn change_label(raw: &[u8]) -> Cow<'_, str> {
    match raw {
        [] => Cow::Borrowed("none"),
        [b' '] => Cow::Borrowed("blank"),
        other => printable(other),
    }
}

fn format_key((y, m, d): (u16, u8, u8)) -> String {
    match (m, d) {
        (0, _) => format!("{y:04}"),
        (m, 0) => format!("{y:04}-{m:02}"),
        (m, d) => format!("{y:04}-{m:02}-{d:02}"),
    }
}

/// `stats`' work on one file's items: the counts of a part of the file.
struct StatsJob<'a, F> {
    family: F,
    name: &'a str,
    enc: Encoding,
    event_cap: usize,
}

/// What `stats` makes of some items.
struct StatsOut {
    stats: Stats,
    keys: KeySet,
    stopped: bool,
    /// Lines for stderr.
    messages: Vec<u8>,
}

impl<F: CliFamily + Sync> Job<F> for StatsJob<'_, F> {
    type Out = StatsOut;
    const SINK_EACH_CHUNK: bool = false;

    fn out(&self) -> StatsOut {
        let mut stats = Stats::new(String::new(), "", ("key", "keys"));
        stats.event_cap = self.event_cap;
        StatsOut {
            stats,
            keys: KeySet::default(),
            stopped: false,
            messages: Vec::new(),
        }
    }

    fn step(&self, out: &mut StatsOut, step: Step<'_, '_, F>) -> io::Result<()> {
        for d in step.diagnostics {
            out.stats.diagnostic(d);
        }
        match step.item {
            Ok(item) => out.stats.item(&self.family, &item, self.enc, &mut out.keys),
            Err(_) => {
                out.stopped = true;
                if let Some(d) = step.diagnostics.iter().find(|d| d.is_error()) {
                    writeln!(
                        out.messages,
                        "{}: stopped at the first error (strict mode)",
                        format_diagnostic(self.name, d)
                    )?;
                }
            }
        }
        Ok(())
    }
}

#[derive(Serialize)]
struct JsonOut<'a> {
    files: &'a [Stats],
    total: &'a Stats,
}

/// Runs `stats`: the tables (or JSON) on stdout, unreadable files on stderr.
pub fn run(args: StatsArgs) -> io::Result<u8> {
    let start = Instant::now();
    let mut report = Report::new();
    let several = args.files.files.len() > 1;
    let families = match Families::new(&args.read.family, false) {
        Ok(f) => f,
        Err(msg) => {
            report.error(msg);
            return Ok(EXIT_USAGE);
        }
    };
    let mut all = KeySet::default();
    let mut files = Vec::new();
    let mut total = Stats::new("total".into(), "", ("key", "keys"));
    total.family.clear();
    let mut unreadable = 0u64;
    let mut stopped = false;
    let mut total_bytes = 0u64;
    // The bytes read are counted up to where strict mode stops only when reading in one thread.
    let jobs = if args.read.strict {
        Jobs::sequential()
    } else {
        args.read.jobs()?
    };
    // Chunks count every event code; the cap applies when they are added up in file order.
    let event_cap = if jobs.is_parallel() {
        usize::MAX
    } else {
        MAX_EVENT_CODES
    };
    for path in &args.files.files {
        let name = display_name(path);
        let mut opts = args.read.options(path);
        opts.capture_values = false;
        let mut stats = Stats::new(name.clone(), "", ("key", "keys"));
        let mut keys = KeySet::default();
        let result = match families.open(
            path,
            &mut report,
            &mut opts,
            args.read.encoding == EncodingArg::Auto,
        ) {
            Err(e) => Err(StreamError::Input(e)),
            Ok((input, kind)) => {
                stats.family = kind.name().to_string();
                stats.noun = key_noun(kind.schema());
                with_family!(kind, |family| {
                    let job = StatsJob {
                        family,
                        name: &name,
                        enc: opts.encoding,
                        event_cap,
                    };
                    read_file(
                        family,
                        path,
                        input,
                        opts,
                        &jobs,
                        &mut report,
                        &job,
                        |o: &mut StatsOut, report| {
                            stats.absorb(&o.stats);
                            if keys.is_empty() {
                                std::mem::swap(&mut keys, &mut o.keys);
                            } else {
                                keys.absorb(&mut o.keys);
                            }
                            stopped |= o.stopped;
                            report.lines(&o.messages);
                            *o = job.out();
                            Ok(())
                        },
                    )
                })
            }
        };
        if let Some(read) = file_result(result, &mut report, &mut unreadable)? {
            stats.finish(keys.count()? as usize, read.bytes, read.elapsed);
            total_bytes += read.bytes;
            total.add(&stats);
            if several {
                all.absorb(&mut keys);
            } else {
                all = keys;
            }
            files.push(stats);
        }
    }
    total.finish(all.count()? as usize, total_bytes, start.elapsed());
    let mut out = stdout();
    match args.format {
        StatsFormat::Json => {
            serde_json::to_writer_pretty(
                &mut out,
                &JsonOut {
                    files: &files,
                    total: &total,
                },
            )
            .map_err(json_err)?;
            out.write_all(b"\n")?;
        }
        StatsFormat::Text => {
            for (i, s) in files.iter().enumerate() {
                if i > 0 {
                    out.write_all(b"\n")?;
                }
                out.write_all(table(s, &s.file).as_bytes())?;
            }
            if files.len() > 1 {
                out.write_all(b"\n")?;
                let title = format!("total ({})", plural(files.len() as u64, "file", "files"));
                out.write_all(table(&total, &title).as_bytes())?;
            }
        }
    }
    out.flush()?;
    Ok(if unreadable > 0 {
        EXIT_USAGE
    } else if stopped {
        EXIT_PROBLEMS
    } else {
        EXIT_OK
    })
}

/// `XBX 136, XBL 74, …` by count, most frequent first.
/// `k (meaning): n, …`, most frequent first; meanings looked up as `"{what} {k}"`.
fn by_count(map: &BTreeMap<String, u64>, what: &str, meanings: &BTreeMap<String, &str>) -> String {
    if map.is_empty() {
        return "-".into();
    }
    let mut v: Vec<_> = map.iter().collect();
    v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    v.iter()
        .map(|(k, n)| match meanings.get(&format!("{what} {k}")) {
            Some(m) => format!("{k} ({m}): {n}"),
            None => format!("{k}: {n}"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The human-readable report of one file (or the total).
fn table(s: &Stats, title: &str) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "{title}");
    let row = |o: &mut String, label: &str, value: String| {
        let _ = writeln!(o, "  {label:<20} {value}");
    };
    row(
        &mut o,
        "bytes",
        format!(
            "{} in {:.3} s ({:.1} MB/s, {:.0} records/s)",
            s.bytes, s.elapsed_seconds, s.mb_per_second, s.records_per_second
        ),
    );
    row(
        &mut o,
        "lines",
        format!(
            "{} ({} continuation, {} envelope, {} malformed, {} skipped)",
            s.lines, s.continuation_lines, s.envelope_lines, s.malformed_lines, s.skipped_lines
        ),
    );
    row(&mut o, "family", s.family.clone());
    row(&mut o, "records", s.records.to_string());
    let distinct = s.distinct.values().next().copied().unwrap_or(0);
    row(
        &mut o,
        &format!("distinct {}", s.noun.1),
        distinct.to_string(),
    );
    row(&mut o, "groups", s.groups.to_string());
    let d = &s.registration_dates;
    let range = match (&d.min, &d.max) {
        (Some(a), Some(b)) => format!("{a} .. {b}"),
        _ => "-".into(),
    };
    let range = if d.without_date > 0 {
        format!("{range} ({} without a date)", d.without_date)
    } else {
        range
    };
    row(&mut o, "registration dates", range);
    row(
        &mut o,
        "change types",
        by_count(&s.change_types, "change", &s.meanings),
    );
    row(&mut o, "events", by_count(&s.events, "event", &s.meanings));
    let diags = if s.diagnostics.by_kind.is_empty() {
        "none".to_string()
    } else {
        let kinds: Vec<_> = s
            .diagnostics
            .by_kind
            .iter()
            .map(|(k, n)| format!("{k}: {n}"))
            .collect();
        format!(
            "{}, {}: {}",
            plural(s.diagnostics.errors, "error", "errors"),
            plural(s.diagnostics.warnings, "warning", "warnings"),
            kinds.join(", ")
        )
    };
    row(&mut o, "diagnostics", diags);
    if !s.group_codes.is_empty() {
        let attrs: BTreeSet<&String> = s
            .group_codes
            .values()
            .flat_map(|g| g.by_change.keys())
            .collect();
        let name_w = s
            .group_codes
            .values()
            .map(|g| g.name.len())
            .max()
            .unwrap_or(4)
            .max(4);
        let w = attrs.iter().map(|a| a.len()).max().unwrap_or(1).max(7);
        let _ = writeln!(o);
        let _ = write!(o, "  {:<5} {:<name_w$} {:>9}", "group", "name", "total");
        for a in &attrs {
            let _ = write!(o, " {:>w$}", format!("attr {a}"));
        }
        let _ = writeln!(o);
        for (code, g) in &s.group_codes {
            let _ = write!(o, "  {code:<5} {:<name_w$} {:>9}", g.name, g.total);
            for a in &attrs {
                let _ = write!(o, " {:>w$}", g.by_change.get(*a).copied().unwrap_or(0));
            }
            let _ = writeln!(o);
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_keys_are_exact_for_well_formed_ids() {
        let a = record_key(b"010101A900R");
        let b = record_key(b"010101-900R");
        let c = record_key(b"010101A900S");
        assert!(a != b && a != c && b != c);
        assert!(a < 1 << 50);
        assert!(record_key(b"not an id") >= 1 << 63);
        assert_eq!(record_key(b"010101A900R"), a);
        let p = record_key(b"122334455R");
        let q = record_key(b"122334456R");
        assert!(p != q);
        assert!((1 << 62..1 << 63).contains(&p));
    }

    #[test]
    fn date_keys() {
        assert_eq!(format_key((2017, 2, 22)), "2017-02-22");
        assert_eq!(format_key((1966, 5, 0)), "1966-05");
        assert_eq!(format_key((1971, 0, 0)), "1971");
    }
}
