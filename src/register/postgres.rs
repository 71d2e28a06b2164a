//! The PostgreSQL backend (the sync `postgres` client). History and rejected lines are
//! loaded with binary `COPY`; row changes are copied into a temporary staging table and
//! applied from it with three set-based statements sent together, so a batch costs a handful
//! of round trips and the server parses no SQL per row.

use std::io::Write as _;

use postgres::{Client, NoTls};

use super::backend::{Backend, Batch, FileRow, HistoryRow, PersonRow, RejectedRow, StateRow};
use super::sqlite::SCHEMA_VERSION;
use super::RegisterError;

/// The schema, version by version (the same tables as SQLite's).
const MIGRATIONS: &[(i64, &str)] = &[(
    1,
    "CREATE TABLE files (
        id BIGSERIAL PRIMARY KEY,
        name TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        name_date TEXT,
        name_seq BIGINT,
        first_registered TEXT,
        last_registered TEXT,
        records BIGINT NOT NULL DEFAULT 0,
        rejected BIGINT NOT NULL DEFAULT 0,
        new_persons BIGINT NOT NULL DEFAULT 0,
        unknown_persons BIGINT NOT NULL DEFAULT 0,
        rekeyed BIGINT NOT NULL DEFAULT 0,
        applied_at TEXT NOT NULL,
        reapply_of BIGINT REFERENCES files(id)
    );
    CREATE INDEX files_sha256 ON files(sha256);
    CREATE TABLE person (
        person_id TEXT COLLATE \"C\" PRIMARY KEY,
        event TEXT NOT NULL,
        registered TEXT NOT NULL,
        file_id BIGINT NOT NULL REFERENCES files(id),
        line BIGINT NOT NULL
    );
    CREATE TABLE state (
        person_id TEXT COLLATE \"C\" NOT NULL,
        code TEXT COLLATE \"C\" NOT NULL,
        row_key TEXT COLLATE \"C\" NOT NULL,
        data TEXT NOT NULL,
        file_id BIGINT NOT NULL REFERENCES files(id),
        line BIGINT NOT NULL,
        PRIMARY KEY (person_id, code, row_key)
    ) WITH (fillfactor = 70);
    CREATE TABLE history (
        person_id TEXT COLLATE \"C\" NOT NULL,
        file_id BIGINT NOT NULL REFERENCES files(id),
        line BIGINT NOT NULL,
        event TEXT NOT NULL,
        registered TEXT NOT NULL,
        change_type TEXT NOT NULL,
        groups TEXT NOT NULL,
        PRIMARY KEY (person_id, file_id, line)
    );
    CREATE TABLE rejected (
        id BIGSERIAL PRIMARY KEY,
        file_id BIGINT NOT NULL REFERENCES files(id),
        line BIGINT NOT NULL,
        byte_column BIGINT NOT NULL,
        kind TEXT NOT NULL,
        raw BYTEA
    );
    CREATE TABLE rekeyed (
        id BIGSERIAL PRIMARY KEY,
        old_id TEXT COLLATE \"C\" NOT NULL,
        new_id TEXT NOT NULL,
        file_id BIGINT NOT NULL REFERENCES files(id),
        line BIGINT NOT NULL
    );
    CREATE INDEX rekeyed_old ON rekeyed(old_id);",
)];

/// A register in a PostgreSQL database.
pub struct Postgres {
    client: Client,
}

/// The driver's message without the server's detail (which can quote values).
fn err(e: postgres::Error) -> RegisterError {
    match e.as_db_error() {
        Some(db) => RegisterError::Database(format!(
            "postgresql: {} ({})",
            db.message(),
            db.code().code()
        )),
        None => RegisterError::Database(format!("postgresql: {e}")),
    }
}

impl Postgres {
    /// Connects and applies the migrations the database lacks.
    pub fn open(url: &str) -> Result<Postgres, RegisterError> {
        let client = Client::connect(url, NoTls).map_err(err)?;
        let mut db = Postgres { client };
        db.migrate()?;
        Ok(db)
    }

    fn migrate(&mut self) -> Result<(), RegisterError> {
        self.client
            .batch_execute(
                "SET client_min_messages = WARNING;
                 CREATE TABLE IF NOT EXISTS schema_migrations (
                    version BIGINT PRIMARY KEY,
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
            let mut tx = self.client.transaction().map_err(err)?;
            // One migrator at a time.
            tx.batch_execute("LOCK TABLE schema_migrations IN EXCLUSIVE MODE")
                .map_err(err)?;
            let again: i64 = tx
                .query_one(
                    "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                    &[],
                )
                .map_err(err)?
                .get(0);
            if again >= *version {
                continue;
            }
            tx.batch_execute(sql).map_err(err)?;
            tx.execute(
                "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)",
                &[version, &super::now()],
            )
            .map_err(err)?;
            tx.commit().map_err(err)?;
        }
        Ok(())
    }
}

/// The staging table of row changes (one per session, emptied at commit): `kind` 0 removes
/// all of a person's rows, 1 removes one row, 2 puts one.
const STAGE: &str = "CREATE TEMP TABLE IF NOT EXISTS muutostieto_stage (
        kind SMALLINT NOT NULL,
        person_id TEXT COLLATE \"C\" NOT NULL,
        code TEXT COLLATE \"C\",
        row_key TEXT COLLATE \"C\",
        data TEXT,
        file_id BIGINT,
        line BIGINT
    ) ON COMMIT DELETE ROWS";

/// What the staged row changes do, in order: persons started afresh lose their rows, rows
/// are removed, rows are put. One message (one round trip); the staging table is analysed
/// first so that the joins use the state's key index when the stage is small.
const APPLY_STAGE: &str = "ANALYZE muutostieto_stage;
    DELETE FROM state s USING muutostieto_stage t
        WHERE t.kind = 0 AND s.person_id = t.person_id;
    DELETE FROM state s USING muutostieto_stage t
        WHERE t.kind = 1 AND s.person_id = t.person_id AND s.code = t.code
          AND s.row_key = t.row_key;
    INSERT INTO state (person_id, code, row_key, data, file_id, line)
        SELECT person_id, code, row_key, data, file_id, line FROM muutostieto_stage
        WHERE kind = 2
        ON CONFLICT (person_id, code, row_key) DO UPDATE
        SET data = EXCLUDED.data, file_id = EXCLUDED.file_id, line = EXCLUDED.line;
    TRUNCATE muutostieto_stage";

/// Bytes of COPY data encoded before they are handed to the connection.
const COPY_CHUNK: usize = 256 * 1024;

/// A `COPY … FROM STDIN (FORMAT binary)` in progress: rows are encoded into a buffer that is
/// sent in chunks (the format: PostgreSQL's documentation of COPY, "Binary Format").
struct Copy<'a> {
    writer: postgres::CopyInWriter<'a>,
    buf: Vec<u8>,
}

impl<'a> Copy<'a> {
    fn new(client: &'a mut Client, sql: &str) -> Result<Copy<'a>, RegisterError> {
        let writer = client.copy_in(sql).map_err(err)?;
        let mut buf = Vec::with_capacity(COPY_CHUNK + 4096);
        // Signature, flags (no OIDs), header extension length.
        buf.extend_from_slice(b"PGCOPY\n\xff\r\n\0");
        buf.extend_from_slice(&0i32.to_be_bytes());
        buf.extend_from_slice(&0i32.to_be_bytes());
        Ok(Copy { writer, buf })
    }

    /// Starts a row of `fields` fields.
    fn row(&mut self, fields: i16) {
        self.buf.extend_from_slice(&fields.to_be_bytes());
    }

    fn bytes(&mut self, b: &[u8]) {
        // Rows longer than 2 GiB cannot come from a line of a change file.
        self.buf.extend_from_slice(&(b.len() as i32).to_be_bytes());
        self.buf.extend_from_slice(b);
    }

    fn text(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }

    fn int8(&mut self, v: i64) {
        self.buf.extend_from_slice(&8i32.to_be_bytes());
        self.buf.extend_from_slice(&v.to_be_bytes());
    }

    fn int2(&mut self, v: i16) {
        self.buf.extend_from_slice(&2i32.to_be_bytes());
        self.buf.extend_from_slice(&v.to_be_bytes());
    }

    fn null(&mut self) {
        self.buf.extend_from_slice(&(-1i32).to_be_bytes());
    }

    /// Sends what is encoded when it is a chunk's worth.
    fn flush_some(&mut self) -> Result<(), RegisterError> {
        if self.buf.len() >= COPY_CHUNK {
            self.send()?;
        }
        Ok(())
    }

    fn send(&mut self) -> Result<(), RegisterError> {
        let sent = self.writer.write_all(&self.buf);
        self.buf.clear();
        sent.map_err(|e| RegisterError::Database(format!("postgresql: COPY: {e}")))
    }

    /// Ends the data and waits for the server to store it.
    fn finish(mut self) -> Result<(), RegisterError> {
        self.buf.extend_from_slice(&(-1i16).to_be_bytes());
        self.send()?;
        self.writer.finish().map_err(err)?;
        Ok(())
    }
}

impl Postgres {
    /// Writes a batch's row changes: copied into the staging table, then applied from it.
    fn write_rows(&mut self, b: &Batch) -> Result<(), RegisterError> {
        self.client.batch_execute(STAGE).map_err(err)?;
        let mut copy = Copy::new(
            &mut self.client,
            "COPY muutostieto_stage (kind, person_id, code, row_key, data, file_id, line)
             FROM STDIN (FORMAT binary)",
        )?;
        for p in &b.afresh {
            copy.row(7);
            copy.int2(0);
            copy.text(p);
            (0..5).for_each(|_| copy.null());
            copy.flush_some()?;
        }
        for (p, code, key) in &b.deletes {
            copy.row(7);
            copy.int2(1);
            copy.text(p);
            copy.text(code);
            copy.text(key);
            (0..3).for_each(|_| copy.null());
            copy.flush_some()?;
        }
        for r in &b.upserts {
            copy.row(7);
            copy.int2(2);
            copy.text(&r.person_id);
            copy.text(&r.code);
            copy.text(&r.key);
            copy.text(&r.data);
            copy.int8(r.file_id);
            copy.int8(r.line);
            copy.flush_some()?;
        }
        copy.finish()?;
        self.client.batch_execute(APPLY_STAGE).map_err(err)
    }
}

fn file_from_row(r: &postgres::Row) -> FileRow {
    FileRow {
        id: r.get(0),
        name: r.get(1),
        sha256: r.get(2),
        name_date: r.get(3),
        name_seq: r.get(4),
        first_registered: r.get(5),
        last_registered: r.get(6),
        records: r.get(7),
        rejected: r.get(8),
        new_persons: r.get(9),
        unknown_persons: r.get(10),
        rekeyed: r.get(11),
        applied_at: r.get(12),
        reapply_of: r.get(13),
    }
}

impl Backend for Postgres {
    fn kind(&self) -> &'static str {
        "postgresql"
    }

    fn schema_version(&mut self) -> Result<i64, RegisterError> {
        Ok(self
            .client
            .query_one(
                "SELECT COALESCE(MAX(version), 0)::BIGINT FROM schema_migrations",
                &[],
            )
            .map_err(err)?
            .get(0))
    }

    fn begin(&mut self) -> Result<(), RegisterError> {
        self.client.batch_execute("BEGIN").map_err(err)
    }

    fn commit(&mut self) -> Result<(), RegisterError> {
        self.client.batch_execute("COMMIT").map_err(err)
    }

    fn rollback(&mut self) -> Result<(), RegisterError> {
        self.client.batch_execute("ROLLBACK").map_err(err)
    }

    fn files(&mut self) -> Result<Vec<FileRow>, RegisterError> {
        let rows = self
            .client
            .query(
                "SELECT id, name, sha256, name_date, name_seq, first_registered, last_registered,
                        records, rejected, new_persons, unknown_persons, rekeyed, applied_at,
                        reapply_of
                 FROM files ORDER BY id",
                &[],
            )
            .map_err(err)?;
        Ok(rows.iter().map(file_from_row).collect())
    }

    fn insert_file(&mut self, f: &FileRow) -> Result<i64, RegisterError> {
        Ok(self
            .client
            .query_one(
                "INSERT INTO files (name, sha256, name_date, name_seq, applied_at, reapply_of)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                &[
                    &f.name,
                    &f.sha256,
                    &f.name_date,
                    &f.name_seq,
                    &f.applied_at,
                    &f.reapply_of,
                ],
            )
            .map_err(err)?
            .get(0))
    }

    fn update_file(&mut self, f: &FileRow) -> Result<(), RegisterError> {
        self.client
            .execute(
                "UPDATE files SET sha256 = $2, first_registered = $3, last_registered = $4,
                    records = $5, rejected = $6, new_persons = $7, unknown_persons = $8,
                    rekeyed = $9, reapply_of = $10, applied_at = $11
                 WHERE id = $1",
                &[
                    &f.id,
                    &f.sha256,
                    &f.first_registered,
                    &f.last_registered,
                    &f.records,
                    &f.rejected,
                    &f.new_persons,
                    &f.unknown_persons,
                    &f.rekeyed,
                    &f.reapply_of,
                    &f.applied_at,
                ],
            )
            .map_err(err)?;
        Ok(())
    }

    fn existing_persons(&mut self, ids: &[String]) -> Result<Vec<String>, RegisterError> {
        let rows = self
            .client
            .query(
                "SELECT person_id FROM person WHERE person_id = ANY($1)",
                &[&ids],
            )
            .map_err(err)?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    fn write_batch(&mut self, b: &Batch) -> Result<(), RegisterError> {
        if !b.afresh.is_empty() || !b.deletes.is_empty() || !b.upserts.is_empty() {
            self.write_rows(b)?;
        }
        let c = &mut self.client;
        if !b.persons.is_empty() {
            let ps = &b.persons;
            let p: Vec<&str> = ps.iter().map(|r| r.person_id.as_str()).collect();
            let ev: Vec<&str> = ps.iter().map(|r| r.event.as_str()).collect();
            let reg: Vec<&str> = ps.iter().map(|r| r.registered.as_str()).collect();
            let file: Vec<i64> = ps.iter().map(|r| r.file_id).collect();
            let line: Vec<i64> = ps.iter().map(|r| r.line).collect();
            c.execute(
                "INSERT INTO person (person_id, event, registered, file_id, line)
                 SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[],
                                      $5::bigint[])
                 ON CONFLICT (person_id) DO NOTHING",
                &[&p, &ev, &reg, &file, &line],
            )
            .map_err(err)?;
        }
        if !b.history.is_empty() {
            let mut copy = Copy::new(
                c,
                "COPY history (person_id, file_id, line, event, registered, change_type, groups)
                 FROM STDIN (FORMAT binary)",
            )?;
            for h in &b.history {
                copy.row(7);
                copy.text(&h.person_id);
                copy.int8(h.file_id);
                copy.int8(h.line);
                copy.text(&h.event);
                copy.text(&h.registered);
                copy.text(&h.change_type);
                copy.text(&h.groups);
                copy.flush_some()?;
            }
            copy.finish()?;
        }
        Ok(())
    }

    fn rekey(
        &mut self,
        old: &str,
        new: &str,
        file_id: i64,
        line: i64,
    ) -> Result<(), RegisterError> {
        let c = &mut self.client;
        c.execute(
            "DELETE FROM state n USING state o
             WHERE n.person_id = $2 AND o.person_id = $1 AND o.code = n.code
               AND o.row_key = n.row_key",
            &[&old, &new],
        )
        .map_err(err)?;
        c.execute(
            "UPDATE state SET person_id = $2 WHERE person_id = $1",
            &[&old, &new],
        )
        .map_err(err)?;
        c.execute(
            "UPDATE history SET person_id = $2 WHERE person_id = $1",
            &[&old, &new],
        )
        .map_err(err)?;
        c.execute(
            "DELETE FROM person WHERE person_id = $2 AND EXISTS
                (SELECT 1 FROM person WHERE person_id = $1)",
            &[&old, &new],
        )
        .map_err(err)?;
        c.execute(
            "UPDATE person SET person_id = $2 WHERE person_id = $1",
            &[&old, &new],
        )
        .map_err(err)?;
        c.execute(
            "INSERT INTO rekeyed (old_id, new_id, file_id, line) VALUES ($1, $2, $3, $4)",
            &[&old, &new, &file_id, &line],
        )
        .map_err(err)?;
        Ok(())
    }

    fn insert_rejected(&mut self, rows: &[RejectedRow]) -> Result<(), RegisterError> {
        if rows.is_empty() {
            return Ok(());
        }
        let mut copy = Copy::new(
            &mut self.client,
            "COPY rejected (file_id, line, byte_column, kind, raw) FROM STDIN (FORMAT binary)",
        )?;
        for r in rows {
            copy.row(5);
            copy.int8(r.file_id);
            copy.int8(r.line);
            copy.int8(r.column);
            copy.text(&r.kind);
            match &r.raw {
                Some(raw) => copy.bytes(raw),
                None => copy.null(),
            }
            copy.flush_some()?;
        }
        copy.finish()
    }

    fn person(&mut self, id: &str) -> Result<Option<PersonRow>, RegisterError> {
        let held = self
            .client
            .query_opt("SELECT 1 FROM person WHERE person_id = $1", &[&id])
            .map_err(err)?;
        if held.is_none() {
            return Ok(None);
        }
        let row = self
            .client
            .query_opt(
                "SELECT person_id, event, registered, file_id, line FROM history
                 WHERE person_id = $1 ORDER BY file_id DESC, line DESC LIMIT 1",
                &[&id],
            )
            .map_err(err)?;
        Ok(Some(row.map_or_else(
            || PersonRow {
                person_id: id.to_string(),
                event: String::new(),
                registered: String::new(),
                file_id: 0,
                line: 0,
            },
            |r| PersonRow {
                person_id: r.get(0),
                event: r.get(1),
                registered: r.get(2),
                file_id: r.get(3),
                line: r.get(4),
            },
        )))
    }

    fn rows(&mut self, id: &str) -> Result<Vec<StateRow>, RegisterError> {
        let rows = self
            .client
            .query(
                "SELECT person_id, code, row_key, data, file_id, line FROM state
                 WHERE person_id = $1 ORDER BY code COLLATE \"C\", row_key COLLATE \"C\"",
                &[&id],
            )
            .map_err(err)?;
        Ok(rows
            .iter()
            .map(|r| StateRow {
                person_id: r.get(0),
                code: r.get(1),
                key: r.get(2),
                data: r.get(3),
                file_id: r.get(4),
                line: r.get(5),
            })
            .collect())
    }

    fn history(&mut self, id: &str) -> Result<Vec<HistoryRow>, RegisterError> {
        let rows = self
            .client
            .query(
                "SELECT person_id, file_id, line, event, registered, change_type, groups
                 FROM history WHERE person_id = $1 ORDER BY file_id, line",
                &[&id],
            )
            .map_err(err)?;
        Ok(rows
            .iter()
            .map(|r| HistoryRow {
                person_id: r.get(0),
                file_id: r.get(1),
                line: r.get(2),
                event: r.get(3),
                registered: r.get(4),
                change_type: r.get(5),
                groups: r.get(6),
            })
            .collect())
    }

    fn rekeyed_to(&mut self, id: &str) -> Result<Option<String>, RegisterError> {
        let row = self
            .client
            .query_opt(
                "SELECT new_id FROM rekeyed WHERE old_id = $1 ORDER BY id DESC LIMIT 1",
                &[&id],
            )
            .map_err(err)?;
        Ok(row.map(|r| r.get(0)))
    }

    fn rejected(&mut self, limit: i64) -> Result<Vec<RejectedRow>, RegisterError> {
        let rows = self
            .client
            .query(
                "SELECT file_id, line, byte_column, kind, raw FROM rejected ORDER BY id LIMIT $1",
                &[&limit],
            )
            .map_err(err)?;
        Ok(rows
            .iter()
            .map(|r| RejectedRow {
                file_id: r.get(0),
                line: r.get(1),
                column: r.get(2),
                kind: r.get(3),
                raw: r.get(4),
            })
            .collect())
    }

    fn counts(&mut self) -> Result<[i64; 4], RegisterError> {
        let r = self
            .client
            .query_one(
                "SELECT (SELECT COUNT(*) FROM person), (SELECT COUNT(*) FROM state),
                        (SELECT COUNT(*) FROM history), (SELECT COUNT(*) FROM rejected)",
                &[],
            )
            .map_err(err)?;
        Ok([r.get(0), r.get(1), r.get(2), r.get(3)])
    }

    fn person_ids(&mut self) -> Result<Vec<String>, RegisterError> {
        let rows = self
            .client
            .query(
                "SELECT person_id FROM person ORDER BY person_id COLLATE \"C\"",
                &[],
            )
            .map_err(err)?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }
}
