//! The output directory: one file per table, appended to batch after batch.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use arrow_array::RecordBatch;
use arrow_schema::ArrowError;
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::errors::ParquetError;
use parquet::file::properties::{EnabledStatistics, WriterProperties, WriterPropertiesBuilder};
use parquet::schema::types::ColumnPath;

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
}

impl Default for Options {
    /// Parquet, 128 Ki rows per row group, 48 MiB held, zstd level 1, no raw bytes.
    fn default() -> Self {
        Options {
            format: Format::Parquet,
            row_group_rows: DEFAULT_ROW_GROUP_ROWS,
            memory_budget: DEFAULT_MEMORY_BUDGET,
            zstd_level: Some(1),
            keep_rejected_bytes: false,
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

/// Writes the tables of a [`Plan`] into a directory: `<table>.parquet` (or `.csv`) each, and
/// `schema.md`. Batches are appended as they come; Parquet row groups are flushed at
/// [`Options::row_group_rows`] rows, or earlier when the tables together hold more than
/// [`Options::memory_budget`] encoded bytes.
pub struct Exporter {
    dir: PathBuf,
    options: Options,
    plan: Plan,
    writers: Vec<TableWriter>,
    paths: Vec<PathBuf>,
    rows: Vec<u64>,
    /// Batches gathered per table, their rows and bytes.
    gathered: Vec<(Vec<RecordBatch>, usize, usize)>,
}

impl std::fmt::Debug for Exporter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Exporter")
            .field("dir", &self.dir)
            .field("options", &self.options)
            .field("rows", &self.rows)
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
        let mut writers = Vec::with_capacity(plan.tables.len());
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
            writers.push(writer);
            paths.push(path);
        }
        Ok(Exporter {
            dir: dir.to_path_buf(),
            options,
            plan: plan.clone(),
            rows: vec![0; plan.tables.len()],
            gathered: (0..plan.tables.len()).map(|_| (Vec::new(), 0, 0)).collect(),
            writers,
            paths,
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
        self.keep_within_budget()
    }

    /// Writes a table's gathered batches as one.
    fn write_gathered(&mut self, i: usize) -> Result<(), ExportError> {
        let (mut batches, _, _) = std::mem::take(&mut self.gathered[i]);
        let rb = if batches.len() > 1 {
            arrow_select::concat::concat_batches(&self.plan.tables[i].arrow, &batches)?
        } else {
            match batches.pop() {
                Some(rb) => rb,
                None => return Ok(()),
            }
        };
        {
            let path = &self.paths[i];
            match &mut self.writers[i] {
                TableWriter::Parquet(w) => w.write(&rb).map_err(|source| ExportError::Parquet {
                    path: path.clone(),
                    source,
                })?,
                TableWriter::Csv(w) => {
                    super::csv::rows(&rb, w).map_err(|source| ExportError::Io {
                        path: path.clone(),
                        source,
                    })?
                }
            }
            self.rows[i] += rb.num_rows() as u64;
        }
        Ok(())
    }

    /// Flushes the largest tables' row groups while all together hold more than the budget.
    fn keep_within_budget(&mut self) -> Result<(), ExportError> {
        loop {
            let mut total = 0usize;
            let mut largest: Option<(usize, usize)> = None;
            for (i, w) in self.writers.iter().enumerate() {
                if let TableWriter::Parquet(w) = w {
                    let size = w.memory_size();
                    total += size;
                    if largest.is_none_or(|(_, s)| size > s) {
                        largest = Some((i, size));
                    }
                }
            }
            let Some((i, size)) = largest else {
                return Ok(());
            };
            if total <= self.options.memory_budget || size == 0 {
                return Ok(());
            }
            if let TableWriter::Parquet(w) = &mut self.writers[i] {
                if w.in_progress_rows() == 0 {
                    return Ok(());
                }
                w.flush().map_err(|source| ExportError::Parquet {
                    path: self.paths[i].clone(),
                    source,
                })?;
            }
        }
    }

    /// Rows written so far, per table (in [`Plan::tables`] order).
    pub fn rows(&self) -> &[u64] {
        &self.rows
    }

    /// Closes every file and writes `schema.md`; returns the rows of every table.
    pub fn finish(mut self) -> Result<Vec<TableSummary>, ExportError> {
        for i in 0..self.writers.len() {
            self.write_gathered(i)?;
        }
        let mut summary = Vec::with_capacity(self.writers.len());
        for (((w, path), rows), table) in self
            .writers
            .into_iter()
            .zip(self.paths)
            .zip(self.rows)
            .zip(&self.plan.tables)
        {
            match w {
                TableWriter::Parquet(w) => {
                    let file = w.into_inner().map_err(|source| ExportError::Parquet {
                        path: path.clone(),
                        source,
                    })?;
                    finish_file(file, &path)?;
                }
                TableWriter::Csv(file) => finish_file(file, &path)?,
            }
            summary.push(TableSummary {
                name: table.name.clone(),
                path,
                rows,
            });
        }
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
