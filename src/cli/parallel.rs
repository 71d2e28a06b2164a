//! Reading a file in several threads (`--jobs`), with the same output as reading it in one.
//!
//! A verb describes its work on the items of a file once, as a [`Job`]: `step` handles one item
//! (with its diagnostics) into an accumulator, without I/O; a sink writes accumulators out, in
//! file order. [`read_file`] runs the pair either way:
//!
//! * one thread (`--jobs 1`): the streaming reader ([`for_each_item`]), one item at a time;
//! * several threads: a [`Chunker`] cuts the input into chunks of whole records; each chunk's
//!   items are stepped into an accumulator on a thread pool while the calling thread reads the
//!   next chunks and sinks finished ones in order (at most two chunks per thread are held).
//!
//! Where the chunker skipped an over-long line, the streaming reader would have reported it with
//! the record before it and glued the continuation lines after it to that record. The chunks on
//! either side do not know of each other, so the last record of each chunk and the continuation
//! lines a chunk starts with are held back as bytes and stepped by the sink, which puts them
//! together again ([`Seam`]). In strict mode the first over-long line ends the file, as in the
//! streaming reader.

use std::collections::VecDeque;
use std::io;
use std::path::Path;
use std::sync::mpsc;
use std::time::Instant;

use muutostieto::frame::{classify, Line, LineClass, Lines};
use muutostieto::parallel::{Chunk, Chunker};
use muutostieto::read::{Item, SliceReader};
use muutostieto::record::{Family, RecordOf};
use muutostieto::{Diagnostic, Mode, ParseOptions};

use super::input::{
    display_name, for_each_item, progress_bar, FileRead, Input, Report, Step, StreamError,
};

/// The chunk size aimed at (`--chunk-size`).
pub const DEFAULT_CHUNK: usize = 4 << 20;

/// Chunks read ahead or being handled, per thread.
const CHUNKS_PER_THREAD: usize = 2;

/// How a file is read: in one thread, or on a pool of threads.
pub struct Jobs {
    pool: Option<rayon::ThreadPool>,
    chunk: usize,
}

impl Jobs {
    /// `threads` threads (1: the streaming reader) and chunks of about `chunk` bytes.
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
        Ok(Jobs {
            pool,
            chunk: chunk.max(1),
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

/// A verb's work on the items of one file, the same in one thread and in several.
pub trait Job<F: Family>: Sync {
    /// What stepping items makes: output bytes, messages, counts. Sinks take it in file order.
    type Out: Send;
    /// In one thread: sink after every item (`true`), or once at the end of the file.
    const SINK_EACH_ITEM: bool = true;
    /// A new, empty accumulator.
    fn out(&self) -> Self::Out;
    /// Handles one item (or skipped lines' diagnostics, or the strict-mode stop) into `out`.
    /// Errors are output errors.
    fn step(&self, out: &mut Self::Out, step: Step<'_, '_, F>) -> io::Result<()>;
}

/// Reads every item of an opened input (`path` names it) as records of `family` through `job`,
/// handing the accumulators to `sink` in file order; `sink` writes one out and leaves it empty.
/// Stops after a strict-mode error. See [`for_each_item`] for progress bars and errors.
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
    let Some(pool) = &jobs.pool else {
        let mut out = job.out();
        let read = for_each_item(family, path, input, opts, report, |step, report| {
            job.step(&mut out, step)?;
            if J::SINK_EACH_ITEM {
                sink(&mut out, report)
            } else {
                Ok(())
            }
        })?;
        if !J::SINK_EACH_ITEM {
            sink(&mut out, report).map_err(StreamError::Output)?;
        }
        return Ok(read);
    };
    let start = Instant::now();
    let name = display_name(path);
    let bar = progress_bar(input.len, &name);
    report.bar = bar.clone();
    let mut chunker = Chunker::new(input.reader, opts, family, jobs.chunk);
    let mut seam = Seam {
        family,
        opts,
        job,
        sink,
        open: None,
        pending: Vec::new(),
    };
    let window = CHUNKS_PER_THREAD * pool.current_num_threads();
    let result = pool.in_place_scope(|scope| {
        let mut inflight = VecDeque::with_capacity(window);
        // Accumulators sunk (and so empty), to be filled again: their buffers are reused.
        let mut spare: Vec<J::Out> = Vec::with_capacity(window);
        let mut read_error = None;
        let mut eof = false;
        loop {
            while !eof && inflight.len() < window {
                match chunker.next_chunk() {
                    Ok(Some(chunk)) => {
                        let (tx, rx) = mpsc::sync_channel(1);
                        let out = spare.pop().unwrap_or_else(|| job.out());
                        scope.spawn(move |_| {
                            let _ = tx.send(map_chunk(family, job, chunk, out));
                        });
                        inflight.push_back(rx);
                    }
                    Ok(None) => eof = true,
                    Err(e) => {
                        read_error = Some(e);
                        eof = true;
                    }
                }
            }
            let Some(rx) = inflight.pop_front() else {
                break;
            };
            // A closed channel means the task panicked: the scope passes the panic on.
            let Ok(mut mapped) = rx.recv() else {
                return Ok(());
            };
            chunker.recycle(std::mem::take(&mut mapped.bytes));
            if seam
                .chunk(&mut mapped, report)
                .map_err(StreamError::Output)?
                == Flow::Stop
            {
                return Ok(());
            }
            spare.push(mapped.out);
            if let Some(bar) = &bar {
                bar.set_position(chunker.bytes_read());
            }
        }
        match read_error {
            None => seam.finish(report).map_err(StreamError::Output),
            Some(e) => {
                // As the streaming reader does: the record before the error is whole, the
                // diagnostics of lines skipped since are lost with the error.
                seam.close(report).map_err(StreamError::Output)?;
                let e = io::Error::new(e.kind(), format!("{name}: {e}"));
                Err(StreamError::Input(e))
            }
        }
    });
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    report.bar = None;
    result.map(|()| FileRead {
        bytes: chunker.bytes_read(),
        elapsed: start.elapsed(),
    })
}

/// An item's bytes, held back to be stepped by the sink.
#[derive(Debug)]
struct Held {
    first_line: u64,
    bytes: Vec<u8>,
}

/// What a chunk made.
struct Mapped<O> {
    /// The continuation lines the chunk starts with (only after a skipped line, or at the start
    /// of the input), not stepped: they may belong to the record before the skipped line.
    head: Option<Held>,
    /// The other items, stepped.
    out: O,
    /// How many items were stepped into `out`.
    items: usize,
    /// An error of `step` (the items before it are in `out`).
    error: Option<io::Error>,
    /// A strict-mode error ended the chunk (in `out`, or in `head`).
    stopped: bool,
    /// The last item when it is a record, not stepped: lines may be skipped after it (in this
    /// chunk or in the next ones), which are reported with it, and continuation lines after
    /// those belong to it.
    tail: Option<Held>,
    /// Diagnostics of the lines skipped after the chunk.
    skipped: Vec<Diagnostic>,
    /// The chunk's bytes, to be read into again.
    bytes: Vec<u8>,
}

/// The items of whole lines, each with its span.
struct Walk<'b, F: Family> {
    reader: SliceReader<'b, F>,
    lines: Lines<'b>,
    family: F,
    opts: ParseOptions,
}

/// Where an item lies.
struct Span<'b> {
    /// Its first line.
    first: Line<'b>,
    /// Byte range.
    start: usize,
    end: usize,
}

type ItemResult<'b, F> = Result<Item<'b, RecordOf<'b, F>>, muutostieto::Error>;

impl<'b, F: Family> Walk<'b, F> {
    fn new(bytes: &'b [u8], first_line: u64, opts: ParseOptions, family: F) -> Self {
        Walk {
            reader: SliceReader::with_family(bytes, first_line, opts, family),
            lines: Lines::starting_at(bytes, first_line),
            family,
            opts,
        }
    }

    /// True when `line` is a record line.
    fn is_record(&self, line: &Line<'_>) -> bool {
        matches!(
            classify(line.content, self.family.schema(), self.opts.encoding),
            LineClass::Record { .. }
        )
    }

    /// True when `line` continues a record.
    fn continues(&self, line: &Line<'_>) -> bool {
        matches!(
            classify(line.content, self.family.schema(), self.opts.encoding),
            LineClass::Record {
                continuation: true,
                ..
            }
        )
    }

    /// The next item (its diagnostics appended to `diags`) and its span.
    fn next(&mut self, diags: &mut Vec<Diagnostic>) -> Option<(ItemResult<'b, F>, Span<'b>)> {
        let result = self.reader.next_item(diags)?;
        let first = self.lines.next()?;
        let count = match &result {
            Ok(item) => item.as_record().map_or(1, |r| r.line_count()),
            // A strict-mode error: the lines the reader framed as the item.
            Err(_) if self.is_record(&first) => {
                let more = self.lines.clone().take_while(|l| self.continues(l));
                1 + more.count()
            }
            Err(_) => 1,
        };
        let mut last = first;
        for _ in 1..count {
            last = self.lines.next()?;
        }
        let end = last.offset + last.content.len() + last.ending.as_bytes().len();
        let start = first.offset;
        Some((result, Span { first, start, end }))
    }
}

/// Steps a chunk's items (on a pool thread) into `out` (empty), holding back its head and tail
/// (see [`Mapped`]).
fn map_chunk<F: Family, J: Job<F>>(
    family: F,
    job: &J,
    chunk: Chunk,
    out: J::Out,
) -> Mapped<J::Out> {
    let mut m = Mapped {
        head: None,
        out,
        items: 0,
        error: None,
        stopped: false,
        tail: None,
        skipped: Vec::new(),
        bytes: Vec::new(),
    };
    let bytes = &chunk.bytes[..];
    let mut walk = Walk::new(bytes, chunk.first_line, chunk.options, family);
    let mut diags = Vec::new();
    let mut first = true;
    loop {
        diags.clear();
        let Some((result, span)) = walk.next(&mut diags) else {
            break;
        };
        let raw = &bytes[span.start..span.end];
        let held = || Held {
            first_line: span.first.number,
            bytes: raw.to_vec(),
        };
        let failed = result.is_err();
        let last = span.end == bytes.len();
        if std::mem::take(&mut first) && walk.continues(&span.first) {
            m.head = Some(held());
            if failed && !last {
                m.stopped = true;
            }
            if failed || last {
                break;
            }
            continue;
        }
        let is_record = match &result {
            Ok(item) => item.as_record().is_some(),
            Err(_) => walk.is_record(&span.first),
        };
        if last && is_record {
            m.tail = Some(held());
            break;
        }
        m.items += 1;
        let step = Step {
            item: Some(result),
            raw,
            first_line: span.first.number,
            diagnostics: &diags,
        };
        if let Err(e) = job.step(&mut m.out, step) {
            m.error = Some(e);
            break;
        }
        if failed {
            m.stopped = true;
            break;
        }
    }
    m.skipped = chunk.skipped;
    m.bytes = chunk.bytes;
    m
}

/// Whether reading goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    Go,
    Stop,
}

/// The sink's side: chunk results in file order, with the items held back at skipped lines put
/// together as the streaming reader frames them.
struct Seam<'j, F, J, S> {
    family: F,
    opts: ParseOptions,
    job: &'j J,
    sink: S,
    /// The last record so far, which continuation lines after skipped lines may still extend,
    /// and the diagnostics of those skipped lines (reported with it, before its own). Stepped
    /// when an item that is not a continuation line comes, or at the end.
    open: Option<(Held, Vec<Diagnostic>)>,
    /// Diagnostics of skipped lines after an item that is not a record, reported before the
    /// next item.
    pending: Vec<Diagnostic>,
}

impl<F, J, S> Seam<'_, F, J, S>
where
    F: Family,
    J: Job<F>,
    S: FnMut(&mut J::Out, &mut Report) -> io::Result<()>,
{
    /// Sinks one chunk's result.
    fn chunk(&mut self, m: &mut Mapped<J::Out>, report: &mut Report) -> io::Result<Flow> {
        if let Some(head) = m.head.take() {
            match &mut self.open {
                // The streaming reader reads past skipped lines for continuation lines.
                Some((record, _)) => record.bytes.extend_from_slice(&head.bytes),
                None => {
                    if self.flush_pending(report)? == Flow::Stop {
                        return Ok(Flow::Stop);
                    }
                    self.open = Some((head, Vec::new()));
                }
            }
        }
        // An item that is not a continuation line: the open record is whole.
        if (m.items > 0 || m.tail.is_some() || m.stopped)
            && (self.close(report)? == Flow::Stop || self.flush_pending(report)? == Flow::Stop)
        {
            return Ok(Flow::Stop);
        }
        if m.items > 0 {
            (self.sink)(&mut m.out, report)?;
        }
        if let Some(e) = m.error.take() {
            return Err(e);
        }
        if m.stopped {
            return Ok(Flow::Stop);
        }
        if let Some(tail) = m.tail.take() {
            self.open = Some((tail, Vec::new()));
        }
        if m.skipped.is_empty() {
            return Ok(Flow::Go);
        }
        if self.opts.mode == Mode::Strict {
            // The streaming reader stops at the first skipped line: reported with the record
            // before it (which is read, then the reading stops), or alone.
            let skipped = m.skipped.swap_remove(0);
            let stop = muutostieto::Error::from(skipped.clone());
            match self.open.take() {
                Some((record, _)) => {
                    if self.step_held(&record, vec![skipped], report)? == Flow::Go {
                        self.step_one(Some(Err(stop)), &[], report)?;
                    }
                }
                None => self.step_one(Some(Err(stop)), &[skipped], report)?,
            }
            return Ok(Flow::Stop);
        }
        let skipped = std::mem::take(&mut m.skipped);
        match &mut self.open {
            Some((_, skips)) => skips.extend(skipped),
            None => self.pending.extend(skipped),
        }
        Ok(Flow::Go)
    }

    /// At the end of the input.
    fn finish(&mut self, report: &mut Report) -> io::Result<()> {
        if self.close(report)? == Flow::Go {
            self.flush_pending(report)?;
        }
        Ok(())
    }

    /// Steps the open record, if any, with the diagnostics of the lines skipped after it.
    fn close(&mut self, report: &mut Report) -> io::Result<Flow> {
        match self.open.take() {
            Some((record, skipped)) => self.step_held(&record, skipped, report),
            None => Ok(Flow::Go),
        }
    }

    /// Reports the diagnostics of skipped lines that wait for the next item.
    fn flush_pending(&mut self, report: &mut Report) -> io::Result<Flow> {
        if self.pending.is_empty() {
            return Ok(Flow::Go);
        }
        let diags = std::mem::take(&mut self.pending);
        if self.opts.mode == Mode::Strict {
            // Not reached: strict reading stops at the first skipped line.
            let stop = muutostieto::Error::from(diags[0].clone());
            self.step_one(Some(Err(stop)), &diags[..1], report)?;
            return Ok(Flow::Stop);
        }
        self.step_one(None, &diags, report)?;
        Ok(Flow::Go)
    }

    /// Steps and sinks held-back bytes (one item), its diagnostics after `diags`.
    fn step_held(
        &mut self,
        held: &Held,
        mut diags: Vec<Diagnostic>,
        report: &mut Report,
    ) -> io::Result<Flow> {
        let mut out = self.job.out();
        let mut walk = Walk::new(&held.bytes, held.first_line, self.opts, self.family);
        let mut flow = Flow::Go;
        while let Some((result, span)) = walk.next(&mut diags) {
            let failed = result.is_err();
            let step = Step {
                item: Some(result),
                raw: &held.bytes[span.start..span.end],
                first_line: span.first.number,
                diagnostics: &diags,
            };
            self.job.step(&mut out, step)?;
            diags.clear();
            if failed {
                flow = Flow::Stop;
                break;
            }
        }
        (self.sink)(&mut out, report)?;
        Ok(flow)
    }

    /// Steps and sinks one step with no item bytes.
    fn step_one(
        &mut self,
        item: Option<ItemResult<'_, F>>,
        diags: &[Diagnostic],
        report: &mut Report,
    ) -> io::Result<()> {
        let mut out = self.job.out();
        let step = Step {
            item,
            raw: &[],
            first_line: 0,
            diagnostics: diags,
        };
        self.job.step(&mut out, step)?;
        (self.sink)(&mut out, report)
    }
}
