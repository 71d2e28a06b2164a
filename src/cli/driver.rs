//! Reading a file in one thread or several (`--jobs`), with the same output either way.
//!
//! A verb describes its work on the items of a file once, as a [`Job`]: `step` handles one item
//! (with its diagnostics and bytes) into an accumulator, without I/O; a sink writes accumulators
//! out, in file order. [`read_file`] runs the pair over the library's [`Chunker`], which cuts
//! the input into chunks of whole records, and a [`SliceReader`] per chunk, which frames each
//! line once:
//!
//! * one thread (`--jobs 1`): chunk after chunk, in constant memory;
//! * several threads: the library's order-keeping [`par_map`] steps each chunk's items into an
//!   accumulator on a thread pool while the calling thread reads the next chunks and sinks
//!   finished ones in order (at most two chunks per thread are held).
//!
//! A line longer than the limit is skipped by the chunker and stepped as an
//! [`Item::Skipped`](muutostieto::Item::Skipped) with its diagnostic; it ends the record before
//! it. In strict mode the first error ends the file.

use std::io;
use std::path::Path;
use std::time::{Duration, Instant};

use muutostieto::read::{par_map_in, Chunk, Chunker, Flow as ParFlow, MapError, SliceReader};
use muutostieto::record::{Family, Item, RawLine, RecordOf, RecordView};
use muutostieto::{Diagnostic, Mode, ParseOptions};

use super::io::{display_name, Input};
use super::report::{progress_bar, Report};

/// The chunk size aimed at with several threads (`--chunk-size`), at most
/// [`IN_FLIGHT`] / the chunks held at once.
pub const DEFAULT_CHUNK: usize = 4 << 20;

/// Input bytes held at once by the chunks being read ahead or mapped with several threads,
/// whatever `--jobs`: with what the verbs make of them (JSON is about three times the input)
/// the process stays within about 64 MB.
const IN_FLIGHT: usize = 8 << 20;

/// The chunk size of the one-thread path: small enough to stay in the caches and to hand
/// output on early.
const SEQUENTIAL_CHUNK: usize = 256 << 10;

/// How a file is read: in one thread, or on a pool of threads.
pub struct Jobs {
    pool: Option<rayon::ThreadPool>,
    chunk: usize,
}

impl Jobs {
    /// `threads` threads (1: no pool) and chunks of about `chunk` bytes.
    pub fn new(threads: usize, chunk: usize) -> io::Result<Jobs> {
        let pool = if threads > 1 {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .thread_name(|i| format!("muutostieto-{i}"))
                .build()
                .map_err(|e| io::Error::other(format!("cannot start {threads} threads: {e}")))?;
            Some(pool)
        } else {
            None
        };
        // `par_map` holds two chunks per thread.
        let most = (IN_FLIGHT / (2 * threads.max(1))).max(64 << 10);
        Ok(Jobs {
            pool,
            chunk: chunk.clamp(1, most),
        })
    }

    /// True when reading in several threads.
    pub fn is_parallel(&self) -> bool {
        self.pool.is_some()
    }

    /// Reading in one thread.
    pub fn sequential() -> Jobs {
        Jobs {
            pool: None,
            chunk: DEFAULT_CHUNK,
        }
    }
}

/// The number of cores (the default of `--jobs`).
pub fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// What happened to one item of a family `F`, handed to a verb's job.
pub struct Step<'a, 'd, F: Family> {
    /// The item, or the error that stopped strict parsing.
    pub item: Result<Item<'a, RecordOf<'a, F>>, muutostieto::Error>,
    /// The item's raw bytes (line endings included; empty for a skipped line).
    pub raw: &'a [u8],
    /// The number of the item's first line.
    pub first_line: u64,
    /// Diagnostics found in this item.
    pub diagnostics: &'d [Diagnostic],
}

/// What happened to one item, its record checked but not yet typed ([`RecordView`]): for jobs
/// that need no typed values (`check`), and typed on demand for the others.
pub struct ViewStep<'a, 'v, 'd, F: Family> {
    /// The family the record is of.
    pub family: F,
    /// The item, or the error that stopped strict parsing.
    pub item: Result<Item<'a, &'v RecordView<'a>>, muutostieto::Error>,
    /// The item's raw bytes (line endings included; empty for a skipped line).
    pub raw: &'a [u8],
    /// The number of the item's first line.
    pub first_line: u64,
    /// Diagnostics found in this item.
    pub diagnostics: &'d [Diagnostic],
}

impl<'a, 'd, F: Family> ViewStep<'a, '_, 'd, F> {
    /// The step with its record typed.
    pub fn typed(self) -> Step<'a, 'd, F> {
        let family = self.family;
        Step {
            item: self.item.map(|item| item.map(|view| view.typed(family))),
            raw: self.raw,
            first_line: self.first_line,
            diagnostics: self.diagnostics,
        }
    }
}

/// How reading one file ended.
#[derive(Debug, Clone, Copy)]
pub struct FileRead {
    /// Bytes consumed from the input.
    pub bytes: u64,
    /// Time spent reading and handling the file.
    pub elapsed: Duration,
}

/// Why reading a file stopped early.
#[derive(Debug)]
pub enum StreamError {
    /// The input could not be opened or read: report it and go on with the next file.
    Input(io::Error),
    /// Writing the output failed (a closed pipe, a full disk): stop.
    Output(io::Error),
}

/// How a file ended, for a verb's loop over its files: `Ok(Some(read))` when it was read
/// whole, `Ok(None)` when it could not be read (reported, and counted in `unreadable`: the verb
/// goes on with the next file), `Err` when the output failed (the verb stops).
pub fn file_result(
    result: Result<FileRead, StreamError>,
    report: &mut Report,
    unreadable: &mut u64,
) -> io::Result<Option<FileRead>> {
    match result {
        Ok(read) => Ok(Some(read)),
        Err(StreamError::Output(e)) => Err(e),
        Err(StreamError::Input(e)) => {
            *unreadable += 1;
            report.error(e);
            Ok(None)
        }
    }
}

/// A verb's work on the items of one file, the same in one thread and in several.
pub trait Job<F: Family>: Sync {
    /// What stepping items makes: output bytes, messages, counts. Sinks take it in file order.
    type Out: Send;
    /// Sink after every chunk (`true`), or once at the end of the file.
    const SINK_EACH_CHUNK: bool = true;
    /// True when the sink leaves an accumulator as [`Job::out`] makes it (buffers kept), so
    /// that several threads may use it again for another chunk.
    const REUSE_OUT: bool = false;
    /// A new, empty accumulator.
    fn out(&self) -> Self::Out;
    /// Handles one item (or the strict-mode stop) into `out`. Errors are output errors.
    fn step(&self, out: &mut Self::Out, step: Step<'_, '_, F>) -> io::Result<()>;
    /// Handles one item whose record is not typed yet; the default types it for
    /// [`Job::step`]. Jobs that need no typed values override this and skip the typing.
    fn step_view(&self, out: &mut Self::Out, step: ViewStep<'_, '_, '_, F>) -> io::Result<()> {
        self.step(out, step.typed())
    }
}

/// Whether reading goes on after a chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    Go,
    Stop,
}

/// Steps every item of a chunk into `out`, the lines skipped after its bytes last. Gives the
/// number of the line after the chunk with the flow (when reading went to its end).
fn map_chunk<F: Family, J: Job<F>>(
    family: F,
    job: &J,
    chunk: &Chunk,
    out: &mut J::Out,
) -> io::Result<(Flow, u64)> {
    let mut reader: SliceReader<'_, F> = chunk.items(family);
    let mut diags = Vec::new();
    let mut view = RecordView::default();
    loop {
        diags.clear();
        let (start, first_line) = reader.position();
        let Some(item) = reader.next_view(&mut view, &mut diags) else {
            break;
        };
        let (end, _) = reader.position();
        let failed = item.is_err();
        let step = ViewStep {
            family,
            item,
            raw: &chunk.bytes[start..end],
            first_line,
            diagnostics: &diags,
        };
        job.step_view(out, step)?;
        if failed {
            return Ok((Flow::Stop, 0));
        }
    }
    let next_line = reader.position().1 + chunk.skipped.len() as u64;
    for d in &chunk.skipped {
        let diagnostics = std::slice::from_ref(d);
        if chunk.options.mode == Mode::Strict {
            let step = Step {
                item: Err(muutostieto::Error::from(d.clone())),
                raw: &[],
                first_line: d.line,
                diagnostics,
            };
            job.step(out, step)?;
            return Ok((Flow::Stop, 0));
        }
        let line = RawLine {
            number: d.line,
            content: &[],
            ending: muutostieto::frame::LineEnding::None,
            encoding: chunk.options.encoding,
        };
        let step = Step {
            item: Ok(Item::Skipped(line)),
            raw: &[],
            first_line: d.line,
            diagnostics,
        };
        job.step(out, step)?;
    }
    Ok((Flow::Go, next_line))
}

/// Reads every item of an opened input (`path` names it) as records of `family` through `job`,
/// handing the accumulators to `sink` in file order; `sink` writes one out and leaves it empty.
/// Stops after a strict-mode error. Shows a progress bar on stderr for inputs over 64 MB when
/// stderr is a terminal and `CI` is not set; `report` prints above it.
#[allow(clippy::too_many_arguments)]
pub fn read_file<F, J>(
    family: F,
    path: &Path,
    input: Input,
    opts: ParseOptions,
    jobs: &Jobs,
    report: &mut Report,
    job: &J,
    mut sink: impl FnMut(&mut J::Out, &mut Report) -> io::Result<()>,
) -> Result<FileRead, StreamError>
where
    F: Family + Send + Sync,
    J: Job<F>,
{
    let start = Instant::now();
    let name = display_name(path);
    let bar = progress_bar(input.len, &name);
    report.bar = bar.clone();
    let size = match &jobs.pool {
        Some(_) => jobs.chunk,
        None => jobs.chunk.min(SEQUENTIAL_CHUNK),
    };
    let mut chunker = Chunker::new(input.reader, opts, family, size);
    let result = match &jobs.pool {
        None => sequential(family, &mut chunker, report, job, &mut sink, bar.as_ref()),
        Some(pool) => parallel(
            family,
            pool,
            &mut chunker,
            report,
            job,
            &mut sink,
            bar.as_ref(),
        ),
    };
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    report.bar = None;
    result
        .map_err(|e| match e {
            StreamError::Input(e) => {
                StreamError::Input(io::Error::new(e.kind(), format!("{name}: {e}")))
            }
            output => output,
        })
        .map(|()| FileRead {
            bytes: chunker.bytes_read(),
            elapsed: start.elapsed(),
        })
}

fn sequential<R, F, J>(
    family: F,
    chunker: &mut Chunker<R, F>,
    report: &mut Report,
    job: &J,
    sink: &mut impl FnMut(&mut J::Out, &mut Report) -> io::Result<()>,
    bar: Option<&indicatif::ProgressBar>,
) -> Result<(), StreamError>
where
    R: io::Read,
    F: Family,
    J: Job<F>,
{
    let mut out = job.out();
    // Each chunk is read before the next is cut: the reader numbers the lines, the chunker
    // need not count them.
    let mut next_line = 1;
    let result = loop {
        let chunk = match chunker.next_chunk_from(next_line) {
            Ok(Some(chunk)) => chunk,
            Ok(None) => break Ok(()),
            Err(e) => break Err(StreamError::Input(e)),
        };
        let (flow, next) = map_chunk(family, job, &chunk, &mut out).map_err(StreamError::Output)?;
        next_line = next;
        chunker.recycle(chunk.bytes);
        if J::SINK_EACH_CHUNK {
            sink(&mut out, report).map_err(StreamError::Output)?;
        }
        if let Some(bar) = bar {
            bar.set_position(chunker.bytes_read());
        }
        if flow == Flow::Stop {
            break Ok(());
        }
    };
    // What was stepped before a read error is whole: sink it before reporting the error.
    sink(&mut out, report).map_err(StreamError::Output)?;
    result
}

fn parallel<R, F, J>(
    family: F,
    pool: &rayon::ThreadPool,
    chunker: &mut Chunker<R, F>,
    report: &mut Report,
    job: &J,
    sink: &mut impl FnMut(&mut J::Out, &mut Report) -> io::Result<()>,
    bar: Option<&indicatif::ProgressBar>,
) -> Result<(), StreamError>
where
    R: io::Read,
    F: Family + Send + Sync,
    J: Job<F>,
{
    // Accumulators come back emptied from the sink and are used again, so that their buffers
    // (a chunk's JSON is about three times its input) are not allocated anew for every chunk.
    let spare: std::sync::Mutex<Vec<J::Out>> = std::sync::Mutex::new(Vec::new());
    let map = |chunk: &Chunk| {
        let reused = spare.lock().ok().and_then(|mut s| s.pop());
        let mut out = reused.unwrap_or_else(|| job.out());
        let flow = map_chunk(family, job, chunk, &mut out).map(|(flow, _)| flow);
        (out, flow)
    };
    let result = par_map_in(Some(pool), chunker, map, |(mut out, flow), bytes_read| {
        sink(&mut out, report)?;
        if J::REUSE_OUT {
            if let Ok(mut s) = spare.lock() {
                s.push(out);
            }
        }
        if let Some(bar) = bar {
            bar.set_position(bytes_read);
        }
        Ok(match flow? {
            Flow::Go => ParFlow::Continue,
            Flow::Stop => ParFlow::Stop,
        })
    });
    result.map_err(|e| match e {
        MapError::Read(e) => StreamError::Input(e),
        MapError::Sink(e) => StreamError::Output(e),
    })
}
