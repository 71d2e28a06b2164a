//! The output directory: one file per table, appended to batch after batch.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};

use arrow_array::RecordBatch;
use arrow_schema::{ArrowError, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::errors::ParquetError;
use parquet::file::properties::{EnabledStatistics, WriterProperties, WriterPropertiesBuilder};
use parquet::schema::types::ColumnPath;
use rayon::prelude::*;

use super::batch::Batch;
use super::plan::{ColumnType, Plan, Table};

/// A table's writer properties: columns of few distinct values dictionary-encoded; row-group
/// statistics (minimum, maximum, nulls) for numbers and dates, not for strings, whose minimum
/// and maximum cost much to keep (a comparison per value) and prune little.
fn properties(base: &WriterPropertiesBuilder, table: &Table) -> WriterProperties {
    let mut b = base.clone();
    for c in &table.columns {
        let path = ColumnPath::from(c.name.as_str());
        if c.repetitive {
            b = b.set_column_dictionary_enabled(path.clone(), true);
        }
        if matches!(c.ty, ColumnType::Utf8 | ColumnType::Binary) {
            b = b.set_column_statistics_enabled(path, EnabledStatistics::None);
        }
    }
    b.build()
}

/// The default rows per row group (`--row-group-rows`).
pub const DEFAULT_ROW_GROUP_ROWS: usize = 128 * 1024;

/// Rows of a table gathered from small batches before they go to its writer together (the
/// writer's cost per call is paid once per this many rows, not once per chunk of input).
const GATHER_ROWS: usize = 16 * 1024;

/// Bytes of a table's gathered batches at which they go to its writer whatever their rows.
const GATHER_BYTES: usize = 1 << 20;

/// The size of a Parquet data or dictionary page (the writer's default is 1 MiB).
const PAGE_BYTES: usize = 256 << 10;

/// Encoded bytes all tables may hold before the largest is flushed as a row group.
pub const DEFAULT_MEMORY_BUDGET: usize = 48 << 20;

/// The file format of the tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Apache Parquet, zstd-compressed.
    #[default]
    Parquet,
    /// CSV with a header line (UTF-8, `,`, `"` quoting; nulls empty; dates `yyyy-mm-dd`).
    Csv,
}

impl Format {
    /// The file extension (`parquet`, `csv`).
    pub fn extension(self) -> &'static str {
        match self {
            Format::Parquet => "parquet",
            Format::Csv => "csv",
        }
    }
}

/// How an export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Parquet or CSV.
    pub format: Format,
    /// Rows per Parquet row group at most.
    pub row_group_rows: usize,
    /// Encoded bytes held for all tables before the largest table's row group is flushed
    /// early (keeps memory bounded however wide the tables are).
    pub memory_budget: usize,
    /// zstd level (1–22) for Parquet; `None` writes uncompressed.
    pub zstd_level: Option<i32>,
    /// Keep the bytes of items with diagnostics in `rejected.raw` (personal data).
    pub keep_rejected_bytes: bool,
    /// Threads that encode the tables (1: the caller's thread encodes as it writes). With
    /// more, the writers hold at most half of [`Options::memory_budget`] (the batches queued
    /// for the threads and their buffers take the rest).
    pub threads: usize,
}

impl Default for Options {
    /// Parquet, 128 Ki rows per row group, 48 MiB held, zstd level 1, no raw bytes, encoded in
    /// the caller's thread.
    fn default() -> Self {
        Options {
            format: Format::Parquet,
            row_group_rows: DEFAULT_ROW_GROUP_ROWS,
            memory_budget: DEFAULT_MEMORY_BUDGET,
            zstd_level: Some(1),
            keep_rejected_bytes: false,
            threads: 1,
        }
    }
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Creating or writing a file.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What happened.
        source: io::Error,
    },
    /// The Parquet writer failed.
    #[error("{path}: {source}")]
    Parquet {
        /// The file.
        path: PathBuf,
        /// What happened.
        source: ParquetError,
    },
    /// Rows did not fit their table's columns (a bug).
    #[error("building columns: {0}")]
    Arrow(#[from] ArrowError),
    /// Options that cannot be used.
    #[error("{0}")]
    Options(String),
}

/// How many rows a table got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableSummary {
    /// The table's name.
    pub name: String,
    /// Its file.
    pub path: PathBuf,
    /// Rows written.
    pub rows: u64,
}

enum TableWriter {
    Parquet(Box<ArrowWriter<BufWriter<File>>>),
    Csv(BufWriter<File>),
}

impl TableWriter {
    /// Appends the rows of `rb`.
    fn write(&mut self, rb: &RecordBatch, path: &Path) -> Result<(), ExportError> {
        match self {
            TableWriter::Parquet(w) => w.write(rb).map_err(|source| ExportError::Parquet {
                path: path.to_path_buf(),
                source,
            }),
            TableWriter::Csv(w) => super::csv::rows(rb, w).map_err(|source| ExportError::Io {
                path: path.to_path_buf(),
                source,
            }),
        }
    }

    /// Encoded bytes held for the row group being filled.
    fn memory_size(&self) -> usize {
        match self {
            TableWriter::Parquet(w) => w.memory_size(),
            TableWriter::Csv(_) => 0,
        }
    }

    /// Closes the row group being filled; false when it had no rows (nothing to flush).
    fn flush(&mut self, path: &Path) -> Result<bool, ExportError> {
        match self {
            TableWriter::Parquet(w) if w.in_progress_rows() > 0 => {
                w.flush().map_err(|source| ExportError::Parquet {
                    path: path.to_path_buf(),
                    source,
                })?;
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    /// Finishes the file.
    fn close(self, path: &Path) -> Result<(), ExportError> {
        let file = match self {
            TableWriter::Parquet(w) => w.into_inner().map_err(|source| ExportError::Parquet {
                path: path.to_path_buf(),
                source,
            })?,
            TableWriter::Csv(file) => file,
        };
        finish_file(file, path)
    }
}

/// One table's writer and what waits for it.
struct Slot {
    /// The writer; taken out while a thread encodes with it (`None` also after closing).
    writer: Option<TableWriter>,
    /// Gathered batches waiting for the writer, in order.
    queue: VecDeque<Vec<RecordBatch>>,
    /// True while a task drains the queue.
    busy: bool,
    /// Rows written.
    rows: u64,
}

/// What the encoding threads share.
struct Shared {
    slots: Vec<Mutex<Slot>>,
    paths: Vec<PathBuf>,
    schemas: Vec<SchemaRef>,
    /// Encoded bytes each table holds for its row group being filled.
    memory: Vec<AtomicUsize>,
    budget: usize,
    /// Bytes of queued batches and the tasks running; the exporter waits on `done`.
    pending: Mutex<Pending>,
    done: Condvar,
    /// The first error of an encoding thread.
    error: Mutex<Option<ExportError>>,
}

#[derive(Default)]
struct Pending {
    bytes: usize,
    tasks: usize,
}

/// Batches queued for the encoding threads at most (the exporter waits beyond).
const QUEUED_BYTES: usize = 4 << 20;

impl Shared {
    /// Writes gathered batches of table `i` with its writer (taken out of the slot meanwhile);
    /// then keeps the tables within the memory budget.
    fn encode(&self, i: usize, batches: Vec<RecordBatch>) -> Result<(), ExportError> {
        let rb = match batches.len() {
            0 => return Ok(()),
            1 => batches.into_iter().next(),
            _ => Some(arrow_select::concat::concat_batches(
                &self.schemas[i],
                &batches,
            )?),
        };
        let Some(rb) = rb else { return Ok(()) };
        let Some(mut writer) = self.lock(i).writer.take() else {
            return Ok(());
        };
        let result = writer.write(&rb, &self.paths[i]);
        self.memory[i].store(writer.memory_size(), Ordering::Relaxed);
        {
            let mut slot = self.lock(i);
            slot.writer = Some(writer);
            slot.rows += rb.num_rows() as u64;
        }
        result?;
        self.keep_within_budget()
    }

    /// Flushes the largest tables' row groups while all together hold more than the budget
    /// (a table being written by another thread is left to that thread).
    fn keep_within_budget(&self) -> Result<(), ExportError> {
        loop {
            let mut total = 0usize;
            let mut largest: Option<(usize, usize)> = None;
            for (i, m) in self.memory.iter().enumerate() {
                let size = m.load(Ordering::Relaxed);
                total += size;
                if largest.is_none_or(|(_, s)| size > s) {
                    largest = Some((i, size));
                }
            }
            let Some((i, size)) = largest else {
                return Ok(());
            };
            if total <= self.budget || size == 0 {
                return Ok(());
            }
            let mut slot = self.lock(i);
            let Some(writer) = slot.writer.as_mut() else {
                return Ok(());
            };
            let flushed = writer.flush(&self.paths[i])?;
            self.memory[i].store(writer.memory_size(), Ordering::Relaxed);
            if !flushed {
                return Ok(());
            }
        }
    }

    fn lock(&self, i: usize) -> std::sync::MutexGuard<'_, Slot> {
        self.slots[i].lock().unwrap_or_else(|e| e.into_inner())
    }

    fn pending(&self) -> std::sync::MutexGuard<'_, Pending> {
        self.pending.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Keeps the first error.
    fn fail(&self, e: ExportError) {
        let mut error = self.error.lock().unwrap_or_else(|e| e.into_inner());
        error.get_or_insert(e);
    }

    /// The first error, taken.
    fn take_error(&self) -> Option<ExportError> {
        self.error.lock().unwrap_or_else(|e| e.into_inner()).take()
    }

    /// Encodes what is queued for table `i`, in order, until its queue is empty.
    fn drain(self: &Arc<Self>, i: usize) {
        loop {
            let batches = {
                let mut slot = self.lock(i);
                match slot.queue.pop_front() {
                    Some(b) => b,
                    None => {
                        slot.busy = false;
                        break;
                    }
                }
            };
            let bytes: usize = batches.iter().map(RecordBatch::get_array_memory_size).sum();
            if let Err(e) = self.encode(i, batches) {
                self.fail(e);
            }
            let mut pending = self.pending();
            pending.bytes = pending.bytes.saturating_sub(bytes);
            self.done.notify_all();
        }
        let mut pending = self.pending();
        pending.tasks = pending.tasks.saturating_sub(1);
        self.done.notify_all();
    }
}

/// Writes the tables of a [`Plan`] into a directory: `<table>.parquet` (or `.csv`) each, and
/// `schema.md`. Batches are appended as they come; Parquet row groups are flushed at
/// [`Options::row_group_rows`] rows, or earlier when the tables together hold more than
/// [`Options::memory_budget`] encoded bytes. With [`Options::threads`] above 1 the tables are
/// encoded on that many threads (each table's batches in order, several tables at once) while
/// the caller goes on.
pub struct Exporter {
    dir: PathBuf,
    options: Options,
    plan: Plan,
    shared: Arc<Shared>,
    pool: Option<rayon::ThreadPool>,
    /// Batches gathered per table, their rows and bytes.
    gathered: Vec<(Vec<RecordBatch>, usize, usize)>,
}

impl std::fmt::Debug for Exporter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Exporter")
            .field("dir", &self.dir)
            .field("options", &self.options)
            .finish()
    }
}

impl Exporter {
    /// Creates `dir` (and its parents) and a file for every table of `plan`, replacing files
    /// of the same names.
    pub fn create(dir: &Path, plan: &Plan, options: Options) -> Result<Exporter, ExportError> {
        if options.row_group_rows == 0 {
            return Err(ExportError::Options(
                "row groups need at least one row".into(),
            ));
        }
        if let Some(level) = options.zstd_level {
            if ZstdLevel::try_new(level).is_err() {
                return Err(ExportError::Options(format!(
                    "zstd level {level} is not between 1 and 22"
                )));
            }
        }
        std::fs::create_dir_all(dir).map_err(|source| ExportError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let compression = match options.zstd_level.map(ZstdLevel::try_new) {
            Some(Ok(level)) => Compression::ZSTD(level),
            _ => Compression::UNCOMPRESSED,
        };
        let base = WriterProperties::builder()
            .set_compression(compression)
            .set_max_row_group_row_count(Some(options.row_group_rows))
            .set_dictionary_enabled(false)
            .set_statistics_enabled(EnabledStatistics::Chunk)
            // Many tables of many columns each hold a page being filled: keep pages small.
            .set_data_page_size_limit(PAGE_BYTES)
            .set_dictionary_page_size_limit(PAGE_BYTES)
            .set_created_by(format!("muutostieto {}", env!("CARGO_PKG_VERSION")));
        let pool = if options.threads > 1 {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(options.threads)
                .thread_name(|i| format!("muutostieto-export-{i}"))
                .build()
                .map_err(|e| {
                    ExportError::Options(format!(
                        "cannot start {} encoding threads: {e}",
                        options.threads
                    ))
                })?;
            Some(pool)
        } else {
            None
        };
        let mut slots = Vec::with_capacity(plan.tables.len());
        let mut paths = Vec::with_capacity(plan.tables.len());
        for t in &plan.tables {
            let path = dir.join(format!("{}.{}", t.name, options.format.extension()));
            let io_err = |source| ExportError::Io {
                path: path.clone(),
                source,
            };
            let file = BufWriter::with_capacity(1 << 16, File::create(&path).map_err(io_err)?);
            let writer = match options.format {
                Format::Parquet => TableWriter::Parquet(Box::new(
                    ArrowWriter::try_new(file, t.arrow.clone(), Some(properties(&base, t)))
                        .map_err(|source| ExportError::Parquet {
                            path: path.clone(),
                            source,
                        })?,
                )),
                Format::Csv => {
                    let mut file = file;
                    super::csv::header(&t.arrow, &mut file).map_err(io_err)?;
                    TableWriter::Csv(file)
                }
            };
            slots.push(Mutex::new(Slot {
                writer: Some(writer),
                queue: VecDeque::new(),
                busy: false,
                rows: 0,
            }));
            paths.push(path);
        }
        let shared = Shared {
            memory: (0..slots.len()).map(|_| AtomicUsize::new(0)).collect(),
            slots,
            paths,
            schemas: plan.tables.iter().map(|t| t.arrow.clone()).collect(),
            // With encoding threads, the queued batches and each thread's buffers come on top
            // of the writers': those get half the budget.
            budget: if pool.is_some() {
                options.memory_budget / 2
            } else {
                options.memory_budget
            },
            pending: Mutex::new(Pending::default()),
            done: Condvar::new(),
            error: Mutex::new(None),
        };
        Ok(Exporter {
            dir: dir.to_path_buf(),
            options,
            plan: plan.clone(),
            gathered: (0..plan.tables.len()).map(|_| (Vec::new(), 0, 0)).collect(),
            shared: Arc::new(shared),
            pool,
        })
    }

    /// Appends the rows of `batch` (taking them out: the batch is left empty). Small batches
    /// are gathered per table and written together.
    pub fn write(&mut self, batch: &mut Batch) -> Result<(), ExportError> {
        for (i, rb) in batch.take(&self.plan)? {
            let g = &mut self.gathered[i];
            g.1 += rb.num_rows();
            g.2 += rb.get_array_memory_size();
            g.0.push(rb);
            if g.1 >= GATHER_ROWS || g.2 >= GATHER_BYTES {
                self.write_gathered(i)?;
            }
        }
        match self.shared.take_error() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Writes a table's gathered batches as one: here, or queued for the encoding threads.
    fn write_gathered(&mut self, i: usize) -> Result<(), ExportError> {
        let (batches, _, bytes) = std::mem::take(&mut self.gathered[i]);
        if batches.is_empty() {
            return Ok(());
        }
        let Some(pool) = &self.pool else {
            return self.shared.encode(i, batches);
        };
        let shared = &self.shared;
        let mut pending = shared.pending();
        while pending.bytes > QUEUED_BYTES {
            pending = shared.done.wait(pending).unwrap_or_else(|e| e.into_inner());
        }
        pending.bytes += bytes;
        let mut slot = shared.lock(i);
        slot.queue.push_back(batches);
        if !slot.busy {
            slot.busy = true;
            pending.tasks += 1;
            let shared = Arc::clone(shared);
            pool.spawn(move || shared.drain(i));
        }
        Ok(())
    }

    /// Waits until the encoding threads have written everything queued.
    fn wait(&self) {
        let mut pending = self.shared.pending();
        while pending.tasks > 0 {
            pending = self
                .shared
                .done
                .wait(pending)
                .unwrap_or_else(|e| e.into_inner());
        }
    }

    /// Rows written so far, per table (in [`Plan::tables`] order; with encoding threads, what
    /// they have written yet).
    pub fn rows(&self) -> Vec<u64> {
        (0..self.shared.slots.len())
            .map(|i| self.shared.lock(i).rows)
            .collect()
    }

    /// Closes every file and writes `schema.md`; returns the rows of every table.
    pub fn finish(mut self) -> Result<Vec<TableSummary>, ExportError> {
        for i in 0..self.gathered.len() {
            self.write_gathered(i)?;
        }
        self.wait();
        if let Some(e) = self.shared.take_error() {
            return Err(e);
        }
        let shared = &self.shared;
        let close = |i: usize| -> Result<TableSummary, ExportError> {
            let (writer, rows) = {
                let mut slot = shared.lock(i);
                (slot.writer.take(), slot.rows)
            };
            if let Some(w) = writer {
                w.close(&shared.paths[i])?;
            }
            Ok(TableSummary {
                name: self.plan.tables[i].name.clone(),
                path: shared.paths[i].clone(),
                rows,
            })
        };
        // Closing writes each table's last row group: the tables in parallel when there are
        // threads.
        let n = shared.slots.len();
        let closed: Vec<Result<TableSummary, ExportError>> = match &self.pool {
            Some(pool) => pool.install(|| (0..n).into_par_iter().map(close).collect()),
            None => (0..n).map(close).collect(),
        };
        let summary = closed.into_iter().collect::<Result<Vec<_>, _>>()?;
        let schema_md = self.dir.join("schema.md");
        std::fs::write(
            &schema_md,
            self.plan.markdown(self.options.format.extension()),
        )
        .map_err(|source| ExportError::Io {
            path: schema_md,
            source,
        })?;
        Ok(summary)
    }
}

/// Flushes a file's buffer.
fn finish_file(mut file: BufWriter<File>, path: &Path) -> Result<(), ExportError> {
    file.flush().map_err(|source| ExportError::Io {
        path: path.to_path_buf(),
        source,
    })
}
