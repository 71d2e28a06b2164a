//! The one trait over the register's databases (*tietokanta*): SQLite and PostgreSQL.
//!
//! The engine in [`super`] decides what changes; a backend only stores: it runs the schema
//! migrations on open, brackets a file in one transaction, and writes batches of rows.

use super::RegisterError;

/// One applied file (*sovellettu tiedosto*), a row of `files`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FileRow {
    /// Row id (0 before it is stored).
    pub id: i64,
    /// The name it was applied under (`<stdin>` for stdin).
    pub name: String,
    /// sha256 of its bytes, lowercase hex.
    pub sha256: String,
    /// The date in its name (`YYYYMMDD`), when it has one.
    pub name_date: Option<String>,
    /// The sequence number in its name (`_NNN.`), when it has one.
    pub name_seq: Option<i64>,
    /// Earliest and latest full registration date of its records (`YYYYMMDD`).
    pub first_registered: Option<String>,
    /// See `first_registered`.
    pub last_registered: Option<String>,
    /// Records applied.
    pub records: i64,
    /// Lines rejected.
    pub rejected: i64,
    /// Records with change type 1 (new person: started afresh).
    pub new_persons: i64,
    /// Changes (change type 0) for persons the register did not hold, applied as new.
    pub unknown_persons: i64,
    /// Persons re-keyed by an id correction (001).
    pub rekeyed: i64,
    /// When it was applied (UTC, RFC 3339).
    pub applied_at: String,
    /// The id of the earlier application of the same bytes, for `--reapply`.
    pub reapply_of: Option<i64>,
}

/// One current row of a person's group (*nykyinen rivi*), a row of `state`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateRow {
    /// The person (*henkilötunnus*).
    pub person_id: String,
    /// Group code.
    pub code: String,
    /// Row key (see [`row_key`](super::rules::row_key)).
    pub key: String,
    /// The host group and its qualifying groups, UTF-8 legacy text, `|` between them.
    pub data: String,
    /// The file that put it.
    pub file_id: i64,
    /// The line of the record that put it.
    pub line: i64,
}

/// One applied record (*muutoshistoria*), a row of `history`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRow {
    /// The person (after any re-keying).
    pub person_id: String,
    /// The file.
    pub file_id: i64,
    /// The record's first line.
    pub line: i64,
    /// Event code.
    pub event: String,
    /// Registration date as written in the file when a full date, else empty.
    pub registered: String,
    /// Change type (`0` or `1`).
    pub change_type: String,
    /// `code:attribute` of every group, space-separated.
    pub groups: String,
}

/// One rejected line (*hylätty rivi*), a row of `rejected`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedRow {
    /// The file.
    pub file_id: i64,
    /// Line number (1-based).
    pub line: i64,
    /// Byte column (0-based).
    pub column: i64,
    /// What was wrong (a diagnostic kind's name).
    pub kind: String,
    /// The raw bytes, only with `--keep-rejected-bytes` (they are personal data).
    pub raw: Option<Vec<u8>>,
}

/// A person the register holds (*henkilö*, a row of `person`, written when the person is
/// first stored) with the person's latest record (from `history`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRow {
    /// The person.
    pub person_id: String,
    /// The latest record's event code.
    pub event: String,
    /// Its registration date (`YYYYMMDD` or empty).
    pub registered: String,
    /// Its file.
    pub file_id: i64,
    /// Its line.
    pub line: i64,
}

/// A batch of writes, in the order they are made: persons started afresh lose their rows,
/// then rows are removed, then put (insert or replace), then persons and history stored.
#[derive(Debug, Default)]
pub struct Batch {
    /// Persons whose rows are all removed first.
    pub afresh: Vec<String>,
    /// Rows removed: person, code, key.
    pub deletes: Vec<(String, String, String)>,
    /// Rows put.
    pub upserts: Vec<StateRow>,
    /// Persons stored for the first time (a person already held is left as it is).
    pub persons: Vec<PersonRow>,
    /// Each person's first record in the batch: its index in `history`, and whether it is a
    /// change (type 0), for which the register should hold the person (those it does not are
    /// counted as applied as new). [`FileApply::work`](super::FileApply::work) makes
    /// `persons` from them, for the persons not known to be held.
    pub firsts: Vec<(usize, bool)>,
    /// History rows.
    pub history: Vec<HistoryRow>,
}

impl Batch {
    /// True when there is nothing to write.
    pub fn is_empty(&self) -> bool {
        self.afresh.is_empty()
            && self.deletes.is_empty()
            && self.upserts.is_empty()
            && self.persons.is_empty()
            && self.history.is_empty()
            && self.firsts.is_empty()
    }

    /// Empties the batch, keeping its allocations.
    pub fn clear(&mut self) {
        self.afresh.clear();
        self.deletes.clear();
        self.upserts.clear();
        self.persons.clear();
        self.history.clear();
        self.firsts.clear();
    }
}

/// A register database. Every method but `begin`/`commit`/`rollback` may run inside or outside
/// a transaction.
pub trait Backend {
    /// `sqlite` or `postgresql`.
    fn kind(&self) -> &'static str;
    /// The schema version in force (migrations are applied on open).
    fn schema_version(&mut self) -> Result<i64, RegisterError>;
    /// Starts the file's transaction.
    fn begin(&mut self) -> Result<(), RegisterError>;
    /// Commits it.
    fn commit(&mut self) -> Result<(), RegisterError>;
    /// Rolls it back.
    fn rollback(&mut self) -> Result<(), RegisterError>;
    /// Every applied file, oldest first.
    fn files(&mut self) -> Result<Vec<FileRow>, RegisterError>;
    /// Stores a file row and returns its id.
    fn insert_file(&mut self, file: &FileRow) -> Result<i64, RegisterError>;
    /// Updates a stored file row (by id).
    fn update_file(&mut self, file: &FileRow) -> Result<(), RegisterError>;
    /// Which of `ids` the register holds (has a `person` row for).
    fn existing_persons(&mut self, ids: &[String]) -> Result<Vec<String>, RegisterError>;
    /// Writes a batch.
    fn write_batch(&mut self, batch: &Batch) -> Result<(), RegisterError>;
    /// Moves person `old`'s rows, history and person row to `new` (rows of `new` with the same
    /// code and key are replaced) and records the re-keying.
    fn rekey(&mut self, old: &str, new: &str, file_id: i64, line: i64)
        -> Result<(), RegisterError>;
    /// Stores rejected lines.
    fn insert_rejected(&mut self, rows: &[RejectedRow]) -> Result<(), RegisterError>;
    /// A person the register holds, with the latest record applied to it.
    fn person(&mut self, id: &str) -> Result<Option<PersonRow>, RegisterError>;
    /// A person's current rows, by code and key.
    fn rows(&mut self, id: &str) -> Result<Vec<StateRow>, RegisterError>;
    /// A person's history, oldest first.
    fn history(&mut self, id: &str) -> Result<Vec<HistoryRow>, RegisterError>;
    /// The id `id` was re-keyed to, if it was.
    fn rekeyed_to(&mut self, id: &str) -> Result<Option<String>, RegisterError>;
    /// Rejected lines, oldest first (at most `limit`).
    fn rejected(&mut self, limit: i64) -> Result<Vec<RejectedRow>, RegisterError>;
    /// Numbers of persons, rows, history rows and rejected lines.
    fn counts(&mut self) -> Result<[i64; 4], RegisterError>;
    /// Every person id, sorted (for comparing states in tests and exports).
    fn person_ids(&mut self) -> Result<Vec<String>, RegisterError>;
}
