//! Keeping a register current (*rekisterin ylläpito*): base deliveries (`.PTT`) and change
//! deliveries (`.MTT`) applied to a database — SQLite (a file; nothing to install) or
//! PostgreSQL (feature `register-postgres`) — so that no change is lost or applied twice.
//!
//! The state is, per person, the current rows of each group: a group code may have several
//! rows (citizenships, guardians, addresses with periods), told apart by a row key
//! ([`rules::row_key`]). What each change attribute does is in [`rules::plan`]; the schema
//! and every rule, with where the format description is silent, are in `docs/register.md`.
//!
//! * One file is one transaction: a crash or a full disk leaves the database as it was.
//! * A file whose sha256 was applied before is refused ([`RegisterError::Duplicate`]) unless
//!   [`ApplyOptions::reapply`] and it was the last one applied.
//! * A file older than the last one applied (by the date and sequence number in its name, or
//!   by its records' registration dates) is refused unless
//!   [`ApplyOptions::allow_out_of_order`].
//! * Lines that do not parse are stored in `rejected` (position and kind; raw bytes only with
//!   [`ApplyOptions::keep_rejected_bytes`]); [`ApplyOptions::strict`] refuses the file instead.
//!
//! ```
//! use muutostieto::register::{ApplyOptions, Register};
//! use muutostieto::ParseOptions;
//!
//! let dir = std::env::temp_dir().join(format!("muutostieto-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir).unwrap();
//! let db = dir.join("register.sqlite");
//! # let _ = std::fs::remove_file(&db);
//! let mut register = Register::open(db.to_str().unwrap()).unwrap();
//! let base = b"010101-900RXXX201702080101|00312|\r\n";
//! let change = b"010101-900RXBX201702090001|00331|\r\n";
//! let opts = ApplyOptions::default();
//! register.apply_bytes("base.PTT", base, ParseOptions::default(), &opts).unwrap();
//! register.apply_bytes("changes.MTT", change, ParseOptions::default(), &opts).unwrap();
//! // The same bytes again are refused.
//! assert!(register.apply_bytes("again.MTT", change, ParseOptions::default(), &opts).is_err());
//! let rows = register.rows("010101-900R").unwrap();
//! assert_eq!(rows.len(), 1);
//! assert_eq!(rows[0].data, "00331");
//! # drop(register);
//! # let _ = std::fs::remove_dir_all(&dir);
//! ```

pub mod backend;
mod batch;
#[cfg(feature = "register-postgres")]
mod postgres;
pub mod rules;
mod sqlite;

use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;
use std::io::{self, Read};
use std::path::Path;
use std::rc::Rc;

use sha2::{Digest, Sha256};

use crate::api::Perustieto;
use crate::convert::{self, ConvertOptions};
use crate::diag::Severity;
use crate::person::{Person, PersonRecord};
use crate::read::{Reader, RecordBuf};
use crate::record::Item;
use crate::{Encoding, Mode, ParseOptions};

pub use backend::{Backend, Batch, FileRow, HistoryRow, PersonRow, RejectedRow, StateRow};
pub use batch::{BatchStats, Batcher, Work};
pub use rules::{plan, Op, Plan, Unstorable};
pub use sqlite::SCHEMA_VERSION;

/// Persons remembered as held while a file is applied (then forgotten, to keep memory bounded).
const KNOWN_LIMIT: usize = 1 << 18;

/// What can go wrong with the register. Messages name files, lines, columns and kinds, never
/// personal values.
#[derive(Debug)]
pub enum RegisterError {
    /// The database failed (the message of its driver).
    Database(String),
    /// The database's schema is newer than this build knows.
    SchemaTooNew {
        /// Version found.
        found: i64,
        /// Newest version known.
        known: i64,
    },
    /// The file's bytes were applied before.
    Duplicate {
        /// The file being applied.
        name: String,
        /// The name it was applied under.
        earlier: String,
        /// When.
        applied_at: String,
        /// `--reapply` was given but files were applied after it.
        later_files: bool,
    },
    /// The file comes before the last one applied.
    OutOfOrder {
        /// The file being applied.
        name: String,
        /// Why it is out of order.
        reason: String,
    },
    /// A line was rejected and strict mode refuses the file.
    Strict {
        /// The file.
        name: String,
        /// Line.
        line: u64,
        /// Byte column.
        column: u64,
        /// Kind of problem.
        kind: String,
    },
    /// The input could not be read.
    Io(io::Error),
    /// The database location is not usable (e.g. PostgreSQL support not built in).
    Usage(String),
}

impl fmt::Display for RegisterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RegisterError::Database(m) => write!(f, "database: {m}"),
            RegisterError::SchemaTooNew { found, known } => write!(
                f,
                "the database has schema version {found}; this muutostieto knows versions up to {known}"
            ),
            RegisterError::Duplicate {
                name,
                earlier,
                applied_at,
                later_files: false,
            } => write!(
                f,
                "{name}: already applied (same sha256 as {earlier}, applied {applied_at}); \
                 --reapply applies it again"
            ),
            RegisterError::Duplicate {
                name,
                earlier,
                applied_at,
                later_files: true,
            } => write!(
                f,
                "{name}: already applied (same sha256 as {earlier}, applied {applied_at}) and \
                 files were applied after it; it cannot be applied again"
            ),
            RegisterError::OutOfOrder { name, reason } => write!(
                f,
                "{name}: out of order: {reason}; --allow-out-of-order applies it anyway"
            ),
            RegisterError::Strict {
                name,
                line,
                column,
                kind,
            } => write!(
                f,
                "{name}:{line}:{column}: {kind}: line rejected; --strict refuses the file (nothing of it was applied)"
            ),
            RegisterError::Io(e) => write!(f, "{e}"),
            RegisterError::Usage(m) => write!(f, "{m}"),
        }
    }
}

impl std::error::Error for RegisterError {}

impl From<io::Error> for RegisterError {
    fn from(e: io::Error) -> Self {
        RegisterError::Io(e)
    }
}

/// The time now, UTC, RFC 3339 in seconds.
pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// How to apply files.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ApplyOptions {
    /// Apply a file whose sha256 was applied before, when it was the last file applied.
    pub reapply: bool,
    /// Apply a file that comes before the last one applied.
    pub allow_out_of_order: bool,
    /// Store the raw bytes of rejected lines (personal data).
    pub keep_rejected_bytes: bool,
    /// Refuse the whole file at its first rejected line.
    pub strict: bool,
}

/// What applying one file did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileSummary {
    /// The file's name.
    pub name: String,
    /// sha256, lowercase hex.
    pub sha256: String,
    /// Records applied.
    pub records: u64,
    /// Lines rejected.
    pub rejected: u64,
    /// Records with change type 1 (new person, started afresh).
    pub new_persons: u64,
    /// Changes for persons the register did not hold, applied as new.
    pub unknown_persons: u64,
    /// Persons re-keyed by an id correction (001).
    pub rekeyed: u64,
    /// Attribute-5 groups without their attribute-6 group.
    pub unpaired_corrections: u64,
    /// Qualifying groups without a host.
    pub orphan_qualifiers: u64,
    /// Groups with an unknown change attribute.
    pub unknown_attributes: u64,
    /// The earlier application this one repeats (`--reapply`).
    pub reapplied: bool,
}

/// The date and sequence number in a delivery's name (*tiedostonimen päivä ja järjestysnumero*):
/// `38950_20171024OPHREK_004.MTT` → (`20171024`, 4); `38950_PT171024OPHREK_001.PTT` →
/// (`20171024`, 1). Either is `None` when the name does not have it.
///
/// ```
/// use muutostieto::register::name_order;
/// assert_eq!(name_order("38950_20171024OPHREK_004.MTT"), (Some("20171024".into()), Some(4)));
/// assert_eq!(name_order("38950_PT171024OPHREK_001.PTT"), (Some("20171024".into()), Some(1)));
/// assert_eq!(name_order("changes.MTT"), (None, None));
/// ```
pub fn name_order(name: &str) -> (Option<String>, Option<i64>) {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let stem = base.split('.').next().unwrap_or(base);
    let parts: Vec<&str> = stem.split('_').collect();
    let mut date = None;
    let mut seq = None;
    if parts.len() >= 2 {
        if let Some(last) = parts.last() {
            if !last.is_empty() && last.len() <= 6 && last.bytes().all(|b| b.is_ascii_digit()) {
                seq = last.parse().ok();
            }
        }
    }
    for p in parts.iter().skip(1) {
        let b = p.as_bytes();
        if b.len() >= 8
            && b[..8].iter().all(u8::is_ascii_digit)
            && (b.len() == 8 || !b[8].is_ascii_digit())
        {
            date = Some(p[..8].to_string());
            break;
        }
        if b.len() >= 8
            && b[..2].eq_ignore_ascii_case(b"PT")
            && b[2..8].iter().all(u8::is_ascii_digit)
            && (b.len() == 8 || !b[8].is_ascii_digit())
        {
            date = Some(format!("20{}", &p[2..8]));
            break;
        }
    }
    (date, seq)
}

/// A register database: open it with [`Register::open`], apply files, read persons.
pub struct Register {
    db: Box<dyn Backend + Send>,
}

impl fmt::Debug for Register {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Register")
            .field("backend", &self.db.kind())
            .finish()
    }
}

/// What a database location names: a PostgreSQL URL or an SQLite file.
pub fn is_postgres_url(target: &str) -> bool {
    target.starts_with("postgres://") || target.starts_with("postgresql://")
}

impl Register {
    /// Opens the register at `target`: a `postgres://` or `postgresql://` URL, or the path of
    /// an SQLite file (created when missing). Applies the schema migrations it lacks.
    pub fn open(target: &str) -> Result<Register, RegisterError> {
        if is_postgres_url(target) {
            #[cfg(feature = "register-postgres")]
            {
                let db = postgres::Postgres::open(target)?;
                return Ok(Register { db: Box::new(db) });
            }
            #[cfg(not(feature = "register-postgres"))]
            {
                return Err(RegisterError::Usage(
                    "PostgreSQL support is not built in (feature register-postgres)".into(),
                ));
            }
        }
        Register::open_sqlite(Path::new(target))
    }

    /// Opens (creates) an SQLite register file.
    pub fn open_sqlite(path: &Path) -> Result<Register, RegisterError> {
        Ok(Register {
            db: Box::new(sqlite::Sqlite::open(path)?),
        })
    }

    /// The backend (`sqlite` or `postgresql`).
    pub fn kind(&self) -> &'static str {
        self.db.kind()
    }

    /// The backend itself, for queries the register does not wrap.
    pub fn backend(&mut self) -> &mut (dyn Backend + Send) {
        &mut *self.db
    }

    /// Starts applying a file named `name`: checks the order of its name against the last
    /// file applied and opens the file's transaction.
    pub fn begin_file(
        &mut self,
        name: &str,
        opts: &ApplyOptions,
    ) -> Result<FileApply<'_>, RegisterError> {
        self.begin_file_hashed(name, opts, || Ok(None))
    }

    /// [`Register::begin_file`] for a file whose sha256 can be had before it is read
    /// (`sha256` gives it, or `None`): when files were applied before, a file applied before
    /// is refused here, before a transaction is opened and before its records are read, as
    /// [`FileApply::finish`] would refuse it. `finish` still checks the hash of the bytes read.
    pub fn begin_file_hashed(
        &mut self,
        name: &str,
        opts: &ApplyOptions,
        sha256: impl FnOnce() -> io::Result<Option<String>>,
    ) -> Result<FileApply<'_>, RegisterError> {
        let prior = self.db.files()?;
        let (name_date, name_seq) = name_order(name);
        if !opts.allow_out_of_order {
            if let Some(last) = prior
                .iter()
                .rev()
                .find(|f| f.name_date.is_some() || f.name_seq.is_some())
            {
                let earlier = match (&name_date, &last.name_date) {
                    (Some(a), Some(b)) if a != b => a < b,
                    (Some(_), Some(_)) | (None, None) => {
                        matches!((name_seq, last.name_seq), (Some(a), Some(b)) if a < b)
                    }
                    _ => false,
                };
                if earlier {
                    return Err(RegisterError::OutOfOrder {
                        name: name.to_string(),
                        reason: format!(
                            "its name's date and sequence number come before those of {}",
                            last.name
                        ),
                    });
                }
            }
        }
        if !prior.is_empty() {
            if let Some(sha256) = sha256()? {
                check_repeat(&prior, name, &sha256, opts)?;
            }
        }
        self.db.begin()?;
        let file = FileRow {
            name: name.to_string(),
            name_date,
            name_seq,
            applied_at: now(),
            ..FileRow::default()
        };
        let id = match self.db.insert_file(&file) {
            Ok(id) => id,
            Err(e) => {
                let _ = self.db.rollback();
                return Err(e);
            }
        };
        Ok(FileApply {
            db: &mut *self.db,
            opts: *opts,
            file: FileRow { id, ..file },
            prior,
            batcher: Batcher::new(id),
            work_buf: Vec::new(),
            rejected: Vec::new(),
            summary: FileSummary {
                name: name.to_string(),
                ..FileSummary::default()
            },
            finished: false,
            known: HashSet::new(),
        })
    }

    /// Applies a file given as bytes (see [`Register::apply_reader`]).
    pub fn apply_bytes(
        &mut self,
        name: &str,
        bytes: &[u8],
        parse: ParseOptions,
        opts: &ApplyOptions,
    ) -> Result<FileSummary, RegisterError> {
        self.apply_hashed(name, bytes, parse, opts, || Ok(Some(sha256_hex(bytes))))
    }

    /// Applies one file read from `input` in one transaction: every record through
    /// [`rules::plan`], lines that do not parse (and records with errors) into `rejected`.
    pub fn apply_reader(
        &mut self,
        name: &str,
        input: impl Read,
        parse: ParseOptions,
        opts: &ApplyOptions,
    ) -> Result<FileSummary, RegisterError> {
        self.apply_hashed(name, input, parse, opts, || Ok(None))
    }

    /// [`Register::apply_reader`] with the sha256 known before (see
    /// [`Register::begin_file_hashed`]).
    fn apply_hashed(
        &mut self,
        name: &str,
        input: impl Read,
        parse: ParseOptions,
        opts: &ApplyOptions,
        sha256: impl FnOnce() -> io::Result<Option<String>>,
    ) -> Result<FileSummary, RegisterError> {
        let mut hashing = HashingReader::new(input);
        let parse = ParseOptions {
            mode: if opts.strict {
                Mode::Strict
            } else {
                Mode::Lenient
            },
            ..parse
        };
        let mut apply = self.begin_file_hashed(name, opts, sha256)?;
        {
            let mut reader = Reader::new(Person, &mut hashing, parse);
            let mut buf = RecordBuf::default();
            loop {
                let read = match reader.read(&mut buf) {
                    Ok(Some(read)) => read,
                    Ok(None) => break,
                    Err(crate::Error::Invalid(d)) => {
                        // Strict mode stops at the first error: the file is refused.
                        let (line, column, kind) = (d.line, d.column as u64, d.kind.name());
                        return Err(apply
                            .reject(line, column, kind, None)
                            .err()
                            .unwrap_or_else(|| RegisterError::Io(io::Error::other("stopped"))));
                    }
                    Err(e) => return Err(RegisterError::Io(io::Error::other(e.to_string()))),
                };
                let line = read.item.line_number();
                let errored = read
                    .diagnostics
                    .iter()
                    .find(|d| d.severity == Severity::Error);
                let raw = |item: &Item<'_, PersonRecord<'_>>| {
                    let mut bytes = Vec::new();
                    let kept = opts.keep_rejected_bytes
                        && item.write_to(parse.encoding, &mut bytes).is_ok();
                    kept.then_some(bytes)
                };
                match (&read.item, errored) {
                    (Item::Record(_), Some(d))
                    | (Item::Malformed(_), Some(d))
                    | (Item::Skipped(_), Some(d)) => {
                        let (l, c, k) = (d.line, d.column as u64, d.kind.name());
                        apply.reject(l, c, k, raw(&read.item).as_deref())?;
                    }
                    (Item::Record(r), None) => apply.record(r, parse.encoding, line)?,
                    (Item::Malformed(_) | Item::Skipped(_), None) => {
                        apply.reject(line, 0, "malformed", raw(&read.item).as_deref())?;
                    }
                    (Item::Envelope(_), _) => {}
                }
            }
        }
        apply.finish(&hashing.hex())
    }

    /// A person's current rows, by code and key (empty when the register does not hold them).
    pub fn rows(&mut self, person_id: &str) -> Result<Vec<StateRow>, RegisterError> {
        self.db.rows(person_id)
    }

    /// A person's latest record, if the register holds the person.
    pub fn person(&mut self, person_id: &str) -> Result<Option<PersonRow>, RegisterError> {
        self.db.person(person_id)
    }

    /// The id `person_id` was re-keyed to by an id correction, if it was.
    pub fn rekeyed_to(&mut self, person_id: &str) -> Result<Option<String>, RegisterError> {
        self.db.rekeyed_to(person_id)
    }

    /// A person's current data in the change API's base-data shape (*perustiedot*): the rows
    /// rebuilt into one legacy record and converted with [`convert::to_perustieto`]. `None`
    /// when the register does not hold the person.
    pub fn show(&mut self, person_id: &str) -> Result<Option<Perustieto>, RegisterError> {
        let Some(person) = self.db.person(person_id)? else {
            return Ok(None);
        };
        let rows = self.db.rows(person_id)?;
        let line = rebuild_line(&person, &rows);
        let opts = ParseOptions::default().with_encoding(Encoding::Utf8);
        match PersonRecord::parse(line.as_bytes(), &opts) {
            Ok((record, _)) => {
                let mut p = convert::to_perustieto(&record, &ConvertOptions::default()).perustieto;
                p.person_id = person_id.to_string();
                Ok(Some(p))
            }
            Err(e) => Err(RegisterError::Database(format!(
                "the stored rows of the person do not parse: {}",
                e
            ))),
        }
    }

    /// Every record applied to a person, oldest first (after re-keying: under the new id).
    pub fn history(&mut self, person_id: &str) -> Result<Vec<HistoryRow>, RegisterError> {
        self.db.history(person_id)
    }

    /// Every applied file, oldest first.
    pub fn files(&mut self) -> Result<Vec<FileRow>, RegisterError> {
        self.db.files()
    }

    /// The schema version, counts and files.
    pub fn status(&mut self) -> Result<Status, RegisterError> {
        let [persons, rows, history, rejected] = self.db.counts()?;
        Ok(Status {
            backend: self.db.kind(),
            schema_version: self.db.schema_version()?,
            persons,
            rows,
            history,
            rejected,
            files: self.db.files()?,
        })
    }

    /// Rejected lines, oldest first, at most `limit`.
    pub fn rejected(&mut self, limit: i64) -> Result<Vec<RejectedRow>, RegisterError> {
        self.db.rejected(limit)
    }

    /// Every person id with its rows, sorted: the whole state, for comparisons.
    pub fn dump(&mut self) -> Result<Dump, RegisterError> {
        let ids = self.db.person_ids()?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let rows = self
                .db
                .rows(&id)?
                .into_iter()
                .map(|r| (r.code, r.key, r.data))
                .collect();
            out.push((id, rows));
        }
        Ok(out)
    }
}

/// The whole state: every person id (sorted) with its rows as (code, key, data), by code and
/// key.
pub type Dump = Vec<(String, Vec<(String, String, String)>)>;

/// The register's state and what was applied (`db status`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// `sqlite` or `postgresql`.
    pub backend: &'static str,
    /// Schema version.
    pub schema_version: i64,
    /// Persons held.
    pub persons: i64,
    /// Current rows.
    pub rows: i64,
    /// History rows (records applied).
    pub history: i64,
    /// Rejected lines.
    pub rejected: i64,
    /// Files applied, oldest first.
    pub files: Vec<FileRow>,
}

/// One legacy line from a person's rows: a header (id, latest event and registration date,
/// change type 1) and every row's groups.
fn rebuild_line(person: &PersonRow, rows: &[StateRow]) -> String {
    let mut id: String = person.person_id.chars().take(11).collect();
    while id.chars().count() < 11 {
        id.push(' ');
    }
    let mut event: String = person.event.chars().take(3).collect();
    while event.chars().count() < 3 {
        event.push(' ');
    }
    let registered = if person.registered.len() == 8 {
        person.registered.as_str()
    } else {
        "00000000"
    };
    let count: usize = rows.iter().map(|r| 1 + r.data.matches('|').count()).sum();
    let mut line = format!("{id}{event}{registered}11{:02}|", count.min(99));
    for r in rows {
        line.push_str(&r.data);
        line.push('|');
    }
    line
}

/// A reader that hashes what it reads (sha256). [`HashingReader::handle`] reads the hash
/// while the reader itself is owned elsewhere (e.g. by a chunker).
pub struct HashingReader<R> {
    inner: R,
    hasher: HashHandle,
}

/// The running sha256 of a [`HashingReader`].
#[derive(Clone, Default)]
pub struct HashHandle(Rc<RefCell<Sha256>>);

impl fmt::Debug for HashHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HashHandle")
    }
}

impl HashHandle {
    /// The sha256 of what was read so far, lowercase hex.
    pub fn hex(&self) -> String {
        hex(&self.0.borrow().clone().finalize())
    }
}

impl<R> HashingReader<R> {
    /// Hashes what is read from `inner`.
    pub fn new(inner: R) -> Self {
        HashingReader {
            inner,
            hasher: HashHandle::default(),
        }
    }

    /// A handle on the running hash.
    pub fn handle(&self) -> HashHandle {
        self.hasher.clone()
    }

    /// The sha256 of what was read so far, lowercase hex.
    pub fn hex(&self) -> String {
        self.hasher.hex()
    }
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.0.borrow_mut().update(&buf[..n.min(buf.len())]);
        Ok(n)
    }
}

/// The sha256 of a file's bytes, lowercase hex.
pub fn sha256_file(path: &Path) -> io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => hasher.update(&buf[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(hex(&hasher.finalize()))
}

/// The sha256 of `bytes`, lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// One file being applied, inside its transaction. Feed it records ([`FileApply::record`] or
/// [`FileApply::plan`]) and rejected lines, then [`FileApply::finish`]; dropped unfinished, the
/// transaction is rolled back and nothing of the file stays.
pub struct FileApply<'r> {
    db: &'r mut (dyn Backend + Send),
    opts: ApplyOptions,
    file: FileRow,
    prior: Vec<FileRow>,
    batcher: Batcher,
    work_buf: Vec<Work>,
    rejected: Vec<RejectedRow>,
    summary: FileSummary,
    finished: bool,
    /// Persons known to be held (stored by an earlier batch of this file, or found).
    known: HashSet<String>,
}

impl fmt::Debug for FileApply<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FileApply")
            .field("file", &self.file.name)
            .field("summary", &self.summary)
            .finish()
    }
}

impl FileApply<'_> {
    /// What was applied so far.
    pub fn summary(&self) -> &FileSummary {
        &self.summary
    }

    /// Applies a parsed record (read in `enc`) whose first line is `line`. A record that
    /// cannot be stored is rejected.
    pub fn record(
        &mut self,
        record: &PersonRecord<'_>,
        enc: Encoding,
        line: u64,
    ) -> Result<(), RegisterError> {
        match rules::plan(record, enc) {
            Ok(plan) => self.plan(plan, line),
            Err(u) => self.reject(line, 0, u.kind, None),
        }
    }

    /// Applies a record's plan (made by [`rules::plan`], e.g. on another thread).
    pub fn plan(&mut self, plan: Plan, line: u64) -> Result<(), RegisterError> {
        let mut work = std::mem::take(&mut self.work_buf);
        self.batcher.push(plan, line, &mut work);
        let result = work.drain(..).try_for_each(|w| self.work(w).map(drop));
        self.work_buf = work;
        result
    }

    /// A batcher for this file: it groups plans into [`Work`] on any thread, for
    /// [`FileApply::work`]; its [`BatchStats`] go to [`FileApply::add_stats`] before
    /// [`FileApply::finish`].
    pub fn batcher(&self) -> Batcher {
        Batcher::new(self.file.id)
    }

    /// Writes one piece of work (a batch, or an id correction) made by a [`Batcher`]; gives
    /// the batch back (emptied of nothing: drop it where it was made, which is cheaper).
    pub fn work(&mut self, work: Work) -> Result<Option<Batch>, RegisterError> {
        match work {
            Work::Rekey { old, new, line } => {
                self.db.rekey(&old, &new, self.file.id, line)?;
                self.known.remove(&old);
                self.known.remove(&new);
                self.summary.rekeyed += 1;
                Ok(None)
            }
            Work::Batch(mut b) => {
                // Which persons of the batch the register holds: those known from earlier
                // batches of this file, and those a query finds.
                let check: Vec<String> = b
                    .firsts
                    .iter()
                    .filter(|&&(_, check)| check)
                    .map(|&(at, _)| &b.history[at].person_id)
                    .filter(|id| !self.known.contains(*id))
                    .cloned()
                    .collect();
                if !check.is_empty() {
                    let found = self.db.existing_persons(&check)?;
                    self.summary.unknown_persons +=
                        (check.len() - found.len().min(check.len())) as u64;
                    self.known.extend(found);
                }
                // Persons stored for the first time: those not known to be held, with their
                // first record in the batch.
                b.persons.clear();
                for &(at, _) in &b.firsts {
                    let h = &b.history[at];
                    if !self.known.contains(&h.person_id) {
                        b.persons.push(PersonRow {
                            person_id: h.person_id.clone(),
                            event: h.event.clone(),
                            registered: h.registered.clone(),
                            file_id: h.file_id,
                            line: h.line,
                        });
                    }
                }
                self.db.write_batch(&b)?;
                for p in &b.persons {
                    if self.known.len() >= KNOWN_LIMIT {
                        self.known.clear();
                    }
                    self.known.insert(p.person_id.clone());
                }
                Ok(Some(b))
            }
        }
    }

    /// Adds what a [`Batcher`] counted (records, new persons, registration dates, notes).
    pub fn add_stats(&mut self, st: &BatchStats) {
        let s = &mut self.summary;
        s.records += st.records;
        s.new_persons += st.new_persons;
        s.unpaired_corrections += st.unpaired_corrections;
        s.orphan_qualifiers += st.orphan_qualifiers;
        s.unknown_attributes += st.unknown_attributes;
        if let Some(r) = &st.first_registered {
            if self.file.first_registered.as_ref().is_none_or(|f| r < f) {
                self.file.first_registered = Some(r.clone());
            }
        }
        if let Some(r) = &st.last_registered {
            if self.file.last_registered.as_ref().is_none_or(|l| r > l) {
                self.file.last_registered = Some(r.clone());
            }
        }
    }

    /// Writes what the own batcher holds and takes its counts.
    fn flush(&mut self) -> Result<(), RegisterError> {
        let mut work = Vec::new();
        self.batcher.finish(&mut work);
        for w in work {
            self.work(w)?;
        }
        let stats = self.batcher.take_stats();
        self.add_stats(&stats);
        Ok(())
    }

    /// Stores a rejected line (position and kind; the raw bytes only when
    /// [`ApplyOptions::keep_rejected_bytes`]). In strict mode, refuses the file instead.
    pub fn reject(
        &mut self,
        line: u64,
        column: u64,
        kind: &str,
        raw: Option<&[u8]>,
    ) -> Result<(), RegisterError> {
        if self.opts.strict {
            return Err(RegisterError::Strict {
                name: self.file.name.clone(),
                line,
                column,
                kind: kind.to_string(),
            });
        }
        self.summary.rejected += 1;
        self.rejected.push(RejectedRow {
            file_id: self.file.id,
            line: line as i64,
            column: column as i64,
            kind: kind.to_string(),
            raw: if self.opts.keep_rejected_bytes {
                raw.map(<[u8]>::to_vec)
            } else {
                None
            },
        });
        if self.rejected.len() >= batch::BATCH_RECORDS {
            self.db.insert_rejected(&self.rejected)?;
            self.rejected.clear();
        }
        Ok(())
    }

    /// Checks the file against those applied before (sha256, registration dates), writes what
    /// is held and commits. On an error nothing of the file stays.
    pub fn finish(mut self, sha256: &str) -> Result<FileSummary, RegisterError> {
        let result = self.finish_inner(sha256);
        if result.is_err() {
            self.abort_inner();
        }
        result
    }

    fn finish_inner(&mut self, sha256: &str) -> Result<FileSummary, RegisterError> {
        // Everything held is written first (the checks below need the file's dates; a
        // refusal rolls it all back).
        self.flush()?;
        self.summary.sha256 = sha256.to_string();
        if let Some(earlier) = check_repeat(&self.prior, &self.file.name, sha256, &self.opts)? {
            self.file.reapply_of = Some(earlier);
            self.summary.reapplied = true;
        }
        if !self.opts.allow_out_of_order {
            let applied_last = self
                .prior
                .iter()
                .filter_map(|f| f.last_registered.as_ref())
                .max();
            if let (Some(before), Some(mine)) = (applied_last, &self.file.last_registered) {
                if mine < before {
                    return Err(RegisterError::OutOfOrder {
                        name: self.file.name.clone(),
                        reason: format!(
                            "its latest registration date ({}) is before the latest already applied ({})",
                            iso(mine),
                            iso(before)
                        ),
                    });
                }
            }
        }
        if !self.rejected.is_empty() {
            self.db.insert_rejected(&self.rejected)?;
            self.rejected.clear();
        }
        let s = &self.summary;
        self.file.sha256 = sha256.to_string();
        self.file.records = s.records as i64;
        self.file.rejected = s.rejected as i64;
        self.file.new_persons = s.new_persons as i64;
        self.file.unknown_persons = s.unknown_persons as i64;
        self.file.rekeyed = s.rekeyed as i64;
        self.file.applied_at = now();
        self.db.update_file(&self.file)?;
        if let Ok(v) = std::env::var("MUUTOSTIETO_TEST_CRASH_BEFORE_COMMIT") {
            // For the crash tests: stop dead, as `kill -9` would, with everything written
            // but not committed.
            if v == "1" {
                std::process::abort();
            }
        }
        self.db.commit()?;
        self.finished = true;
        Ok(self.summary.clone())
    }

    /// Gives up the file: rolls its transaction back.
    pub fn abort(mut self) {
        self.abort_inner();
    }

    fn abort_inner(&mut self) {
        if !self.finished {
            let _ = self.db.rollback();
            self.finished = true;
        }
    }
}

impl Drop for FileApply<'_> {
    fn drop(&mut self) {
        self.abort_inner();
    }
}

/// Whether bytes with `sha256` may be applied after `prior` (the files applied, oldest first):
/// `Ok(None)` when they were never applied; `Ok(Some(id))` when they were, `--reapply` was
/// given and the last application (`id`) is the last file applied; the refusal otherwise.
fn check_repeat(
    prior: &[FileRow],
    name: &str,
    sha256: &str,
    opts: &ApplyOptions,
) -> Result<Option<i64>, RegisterError> {
    let Some(same) = prior.iter().find(|f| f.sha256 == sha256) else {
        return Ok(None);
    };
    let latest = prior
        .iter()
        .rev()
        .find(|f| f.sha256 == sha256)
        .unwrap_or(same);
    let later_files = prior.last().map(|f| f.id) != Some(latest.id);
    if !opts.reapply || later_files {
        return Err(RegisterError::Duplicate {
            name: name.to_string(),
            earlier: same.name.clone(),
            applied_at: same.applied_at.clone(),
            later_files,
        });
    }
    Ok(Some(latest.id))
}

fn iso(d: &str) -> String {
    if d.len() == 8 && d.is_ascii() {
        format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..])
    } else {
        d.to_string()
    }
}
