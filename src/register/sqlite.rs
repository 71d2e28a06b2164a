//! The SQLite backend (rusqlite with its bundled SQLite: nothing to install).

use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};

use super::backend::{Backend, Batch, FileRow, HistoryRow, PersonRow, RejectedRow, StateRow};
use super::RegisterError;

/// The schema, version by version. A version is applied once, in one transaction, on open.
const MIGRATIONS: &[(i64, &str)] = &[(
    1,
    "CREATE TABLE files (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        name_date TEXT,
        name_seq INTEGER,
        first_registered TEXT,
        last_registered TEXT,
        records INTEGER NOT NULL DEFAULT 0,
        rejected INTEGER NOT NULL DEFAULT 0,
        new_persons INTEGER NOT NULL DEFAULT 0,
        unknown_persons INTEGER NOT NULL DEFAULT 0,
        rekeyed INTEGER NOT NULL DEFAULT 0,
        applied_at TEXT NOT NULL,
        reapply_of INTEGER REFERENCES files(id)
    );
    CREATE INDEX files_sha256 ON files(sha256);
    CREATE TABLE person (
        person_id TEXT PRIMARY KEY,
        event TEXT NOT NULL,
        registered TEXT NOT NULL,
        file_id INTEGER NOT NULL REFERENCES files(id),
        line INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE state (
        person_id TEXT NOT NULL,
        code TEXT NOT NULL,
        row_key TEXT NOT NULL,
        data TEXT NOT NULL,
        file_id INTEGER NOT NULL REFERENCES files(id),
        line INTEGER NOT NULL
    );
    CREATE UNIQUE INDEX state_key ON state(person_id, code, row_key);
    CREATE TABLE history (
        person_id TEXT NOT NULL,
        file_id INTEGER NOT NULL REFERENCES files(id),
        line INTEGER NOT NULL,
        event TEXT NOT NULL,
        registered TEXT NOT NULL,
        change_type TEXT NOT NULL,
        groups TEXT NOT NULL,
        PRIMARY KEY (person_id, file_id, line)
    ) WITHOUT ROWID;
    CREATE TABLE rejected (
        id INTEGER PRIMARY KEY,
        file_id INTEGER NOT NULL REFERENCES files(id),
        line INTEGER NOT NULL,
        byte_column INTEGER NOT NULL,
        kind TEXT NOT NULL,
        raw BLOB
    );
    CREATE TABLE rekeyed (
        old_id TEXT NOT NULL,
        new_id TEXT NOT NULL,
        file_id INTEGER NOT NULL REFERENCES files(id),
        line INTEGER NOT NULL
    );
    CREATE INDEX rekeyed_old ON rekeyed(old_id);",
)];

/// The newest schema version this build knows.
pub const SCHEMA_VERSION: i64 = 1;

/// A register in an SQLite file.
pub struct Sqlite {
    conn: Connection,
}

fn err(e: rusqlite::Error) -> RegisterError {
    RegisterError::Database(format!("sqlite: {e}"))
}

impl Sqlite {
    /// Opens (creates) the database file and applies the migrations it lacks.
    pub fn open(path: &Path) -> Result<Sqlite, RegisterError> {
        let conn = Connection::open(path).map_err(err)?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = FULL;
             PRAGMA foreign_keys = OFF;
             PRAGMA cache_size = -65536;
             PRAGMA temp_store = MEMORY;
             PRAGMA busy_timeout = 10000;",
        )
        .map_err(err)?;
        let mut db = Sqlite { conn };
        db.migrate()?;
        Ok(db)
    }

    fn migrate(&mut self) -> Result<(), RegisterError> {
        self.conn
            .execute_batch(
                "CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER PRIMARY KEY,
                    applied_at TEXT NOT NULL
                )",
            )
            .map_err(err)?;
        let current = self.schema_version()?;
        if current > SCHEMA_VERSION {
            return Err(RegisterError::SchemaTooNew {
                found: current,
                known: SCHEMA_VERSION,
            });
        }
        for (version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > current) {
            let tx = self.conn.transaction().map_err(err)?;
            tx.execute_batch(sql).map_err(err)?;
            tx.execute(
                "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, ?2)",
                params![version, super::now()],
            )
            .map_err(err)?;
            tx.commit().map_err(err)?;
        }
        Ok(())
    }
}

/// Rows inserted per statement (multi-row `VALUES`).
const ROWS_PER_INSERT: usize = 32;

/// `head VALUES (?, …), (?, …) tail` for `rows` rows of `cols` columns.
fn values_sql(head: &str, tail: &str, cols: usize, rows: usize) -> String {
    let one = format!("({})", vec!["?"; cols].join(", "));
    format!("{head} VALUES {}{tail}", vec![one; rows].join(", "))
}

/// Inserts `items` with multi-row statements of [`ROWS_PER_INSERT`] rows (the rest one by
/// one); `bind` binds one item's `cols` values from parameter index `at` (1-based).
fn multi_insert<T>(
    c: &Connection,
    head: &str,
    tail: &str,
    items: &[T],
    bind: impl Fn(&mut rusqlite::Statement<'_>, usize, &T) -> rusqlite::Result<()>,
    cols: usize,
) -> Result<(), RegisterError> {
    if items.is_empty() {
        return Ok(());
    }
    let mut chunks = items.chunks_exact(ROWS_PER_INSERT);
    if chunks.len() > 0 {
        let mut st = c
            .prepare_cached(&values_sql(head, tail, cols, ROWS_PER_INSERT))
            .map_err(err)?;
        for chunk in &mut chunks {
            for (i, item) in chunk.iter().enumerate() {
                bind(&mut st, 1 + i * cols, item).map_err(err)?;
            }
            st.raw_execute().map_err(err)?;
        }
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut st = c
            .prepare_cached(&values_sql(head, tail, cols, 1))
            .map_err(err)?;
        for item in rest {
            bind(&mut st, 1, item).map_err(err)?;
            st.raw_execute().map_err(err)?;
        }
    }
    Ok(())
}

fn file_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<FileRow> {
    Ok(FileRow {
        id: r.get(0)?,
        name: r.get(1)?,
        sha256: r.get(2)?,
        name_date: r.get(3)?,
        name_seq: r.get(4)?,
        first_registered: r.get(5)?,
        last_registered: r.get(6)?,
        records: r.get(7)?,
        rejected: r.get(8)?,
        new_persons: r.get(9)?,
        unknown_persons: r.get(10)?,
        rekeyed: r.get(11)?,
        applied_at: r.get(12)?,
        reapply_of: r.get(13)?,
    })
}

impl Backend for Sqlite {
    fn kind(&self) -> &'static str {
        "sqlite"
    }

    fn schema_version(&mut self) -> Result<i64, RegisterError> {
        self.conn
            .query_row(
                "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                [],
                |r| r.get(0),
            )
            .map_err(err)
    }

    fn begin(&mut self) -> Result<(), RegisterError> {
        self.conn.execute_batch("BEGIN IMMEDIATE").map_err(err)
    }

    fn commit(&mut self) -> Result<(), RegisterError> {
        self.conn.execute_batch("COMMIT").map_err(err)
    }

    fn rollback(&mut self) -> Result<(), RegisterError> {
        if self.conn.is_autocommit() {
            return Ok(());
        }
        self.conn.execute_batch("ROLLBACK").map_err(err)
    }

    fn files(&mut self) -> Result<Vec<FileRow>, RegisterError> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT id, name, sha256, name_date, name_seq, first_registered, last_registered,
                        records, rejected, new_persons, unknown_persons, rekeyed, applied_at,
                        reapply_of
                 FROM files ORDER BY id",
            )
            .map_err(err)?;
        let rows = st.query_map([], file_from_row).map_err(err)?;
        rows.collect::<Result<_, _>>().map_err(err)
    }

    fn insert_file(&mut self, f: &FileRow) -> Result<i64, RegisterError> {
        self.conn
            .execute(
                "INSERT INTO files (name, sha256, name_date, name_seq, applied_at, reapply_of)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    f.name,
                    f.sha256,
                    f.name_date,
                    f.name_seq,
                    f.applied_at,
                    f.reapply_of
                ],
            )
            .map_err(err)?;
        Ok(self.conn.last_insert_rowid())
    }

    fn update_file(&mut self, f: &FileRow) -> Result<(), RegisterError> {
        self.conn
            .execute(
                "UPDATE files SET sha256 = ?2, first_registered = ?3, last_registered = ?4,
                    records = ?5, rejected = ?6, new_persons = ?7, unknown_persons = ?8,
                    rekeyed = ?9, reapply_of = ?10, applied_at = ?11
                 WHERE id = ?1",
                params![
                    f.id,
                    f.sha256,
                    f.first_registered,
                    f.last_registered,
                    f.records,
                    f.rejected,
                    f.new_persons,
                    f.unknown_persons,
                    f.rekeyed,
                    f.reapply_of,
                    f.applied_at
                ],
            )
            .map_err(err)?;
        Ok(())
    }

    fn existing_persons(&mut self, ids: &[String]) -> Result<Vec<String>, RegisterError> {
        let mut st = self
            .conn
            .prepare_cached("SELECT 1 FROM person WHERE person_id = ?1")
            .map_err(err)?;
        let mut found = Vec::new();
        for id in ids {
            if st.exists([id]).map_err(err)? {
                found.push(id.clone());
            }
        }
        Ok(found)
    }

    fn write_batch(&mut self, b: &Batch) -> Result<(), RegisterError> {
        let c = &self.conn;
        if !b.afresh.is_empty() {
            let mut st = c
                .prepare_cached("DELETE FROM state WHERE person_id = ?1")
                .map_err(err)?;
            for p in &b.afresh {
                st.execute([p]).map_err(err)?;
            }
        }
        if !b.deletes.is_empty() {
            let mut st = c
                .prepare_cached(
                    "DELETE FROM state WHERE person_id = ?1 AND code = ?2 AND row_key = ?3",
                )
                .map_err(err)?;
            for (p, code, key) in &b.deletes {
                st.execute([p, code, key]).map_err(err)?;
            }
        }
        if !b.upserts.is_empty() {
            // Updated in place when the row exists (the key index is not touched), inserted
            // otherwise.
            let mut st = c
                .prepare_cached(
                    "INSERT INTO state (person_id, code, row_key, data, file_id, line)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT (person_id, code, row_key) DO UPDATE
                     SET data = excluded.data, file_id = excluded.file_id, line = excluded.line",
                )
                .map_err(err)?;
            for r in &b.upserts {
                st.raw_bind_parameter(1, &r.person_id).map_err(err)?;
                st.raw_bind_parameter(2, &r.code).map_err(err)?;
                st.raw_bind_parameter(3, &r.key).map_err(err)?;
                st.raw_bind_parameter(4, &r.data).map_err(err)?;
                st.raw_bind_parameter(5, r.file_id).map_err(err)?;
                st.raw_bind_parameter(6, r.line).map_err(err)?;
                st.raw_execute().map_err(err)?;
            }
        }
        // OR IGNORE: no statement can abort half-way, so SQLite needs no statement journal
        // for these multi-row inserts.
        multi_insert(
            c,
            "INSERT OR IGNORE INTO person (person_id, event, registered, file_id, line)",
            "",
            &b.persons,
            |st, at, p| {
                st.raw_bind_parameter(at, &p.person_id)?;
                st.raw_bind_parameter(at + 1, &p.event)?;
                st.raw_bind_parameter(at + 2, &p.registered)?;
                st.raw_bind_parameter(at + 3, p.file_id)?;
                st.raw_bind_parameter(at + 4, p.line)
            },
            5,
        )?;
        multi_insert(
            c,
            "INSERT OR IGNORE INTO history (person_id, file_id, line, event, registered, change_type, groups)",
            "",
            &b.history,
            |st, at, h| {
                st.raw_bind_parameter(at, &h.person_id)?;
                st.raw_bind_parameter(at + 1, h.file_id)?;
                st.raw_bind_parameter(at + 2, h.line)?;
                st.raw_bind_parameter(at + 3, &h.event)?;
                st.raw_bind_parameter(at + 4, &h.registered)?;
                st.raw_bind_parameter(at + 5, &h.change_type)?;
                st.raw_bind_parameter(at + 6, &h.groups)
            },
            7,
        )?;
        Ok(())
    }

    fn rekey(
        &mut self,
        old: &str,
        new: &str,
        file_id: i64,
        line: i64,
    ) -> Result<(), RegisterError> {
        let c = &self.conn;
        c.execute(
            "DELETE FROM state WHERE person_id = ?2 AND EXISTS (SELECT 1 FROM state o
                WHERE o.person_id = ?1 AND o.code = state.code AND o.row_key = state.row_key)",
            [old, new],
        )
        .map_err(err)?;
        c.execute(
            "UPDATE state SET person_id = ?2 WHERE person_id = ?1",
            [old, new],
        )
        .map_err(err)?;
        c.execute(
            "UPDATE history SET person_id = ?2 WHERE person_id = ?1",
            [old, new],
        )
        .map_err(err)?;
        let moved = c
            .execute(
                "UPDATE OR REPLACE person SET person_id = ?2 WHERE person_id = ?1",
                [old, new],
            )
            .map_err(err)?;
        let _ = moved;
        c.execute(
            "INSERT INTO rekeyed (old_id, new_id, file_id, line) VALUES (?1, ?2, ?3, ?4)",
            params![old, new, file_id, line],
        )
        .map_err(err)?;
        Ok(())
    }

    fn insert_rejected(&mut self, rows: &[RejectedRow]) -> Result<(), RegisterError> {
        let mut st = self
            .conn
            .prepare_cached(
                "INSERT INTO rejected (file_id, line, byte_column, kind, raw)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )
            .map_err(err)?;
        for r in rows {
            st.execute(params![r.file_id, r.line, r.column, r.kind, r.raw])
                .map_err(err)?;
        }
        Ok(())
    }

    fn person(&mut self, id: &str) -> Result<Option<PersonRow>, RegisterError> {
        if !self
            .conn
            .prepare_cached("SELECT 1 FROM person WHERE person_id = ?1")
            .map_err(err)?
            .exists([id])
            .map_err(err)?
        {
            return Ok(None);
        }
        let latest = self
            .conn
            .query_row(
                "SELECT person_id, event, registered, file_id, line FROM history
                 WHERE person_id = ?1 ORDER BY file_id DESC, line DESC LIMIT 1",
                [id],
                |r| {
                    Ok(PersonRow {
                        person_id: r.get(0)?,
                        event: r.get(1)?,
                        registered: r.get(2)?,
                        file_id: r.get(3)?,
                        line: r.get(4)?,
                    })
                },
            )
            .optional()
            .map_err(err)?;
        Ok(Some(latest.unwrap_or(PersonRow {
            person_id: id.to_string(),
            event: String::new(),
            registered: String::new(),
            file_id: 0,
            line: 0,
        })))
    }

    fn rows(&mut self, id: &str) -> Result<Vec<StateRow>, RegisterError> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT person_id, code, row_key, data, file_id, line FROM state
                 WHERE person_id = ?1 ORDER BY code, row_key",
            )
            .map_err(err)?;
        let rows = st
            .query_map([id], |r| {
                Ok(StateRow {
                    person_id: r.get(0)?,
                    code: r.get(1)?,
                    key: r.get(2)?,
                    data: r.get(3)?,
                    file_id: r.get(4)?,
                    line: r.get(5)?,
                })
            })
            .map_err(err)?;
        rows.collect::<Result<_, _>>().map_err(err)
    }

    fn history(&mut self, id: &str) -> Result<Vec<HistoryRow>, RegisterError> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT person_id, file_id, line, event, registered, change_type, groups
                 FROM history WHERE person_id = ?1 ORDER BY file_id, line",
            )
            .map_err(err)?;
        let rows = st
            .query_map([id], |r| {
                Ok(HistoryRow {
                    person_id: r.get(0)?,
                    file_id: r.get(1)?,
                    line: r.get(2)?,
                    event: r.get(3)?,
                    registered: r.get(4)?,
                    change_type: r.get(5)?,
                    groups: r.get(6)?,
                })
            })
            .map_err(err)?;
        rows.collect::<Result<_, _>>().map_err(err)
    }

    fn rekeyed_to(&mut self, id: &str) -> Result<Option<String>, RegisterError> {
        self.conn
            .query_row(
                "SELECT new_id FROM rekeyed WHERE old_id = ?1 ORDER BY rowid DESC LIMIT 1",
                [id],
                |r| r.get(0),
            )
            .optional()
            .map_err(err)
    }

    fn rejected(&mut self, limit: i64) -> Result<Vec<RejectedRow>, RegisterError> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT file_id, line, byte_column, kind, raw FROM rejected ORDER BY id LIMIT ?1",
            )
            .map_err(err)?;
        let rows = st
            .query_map([limit], |r| {
                Ok(RejectedRow {
                    file_id: r.get(0)?,
                    line: r.get(1)?,
                    column: r.get(2)?,
                    kind: r.get(3)?,
                    raw: r.get(4)?,
                })
            })
            .map_err(err)?;
        rows.collect::<Result<_, _>>().map_err(err)
    }

    fn counts(&mut self) -> Result<[i64; 4], RegisterError> {
        self.conn
            .query_row(
                "SELECT (SELECT COUNT(*) FROM person), (SELECT COUNT(*) FROM state),
                        (SELECT COUNT(*) FROM history), (SELECT COUNT(*) FROM rejected)",
                [],
                |r| Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?]),
            )
            .map_err(err)
    }

    fn person_ids(&mut self) -> Result<Vec<String>, RegisterError> {
        let mut st = self
            .conn
            .prepare_cached("SELECT person_id FROM person ORDER BY person_id")
            .map_err(err)?;
        let rows = st.query_map([], |r| r.get(0)).map_err(err)?;
        rows.collect::<Result<_, _>>().map_err(err)
    }
}
