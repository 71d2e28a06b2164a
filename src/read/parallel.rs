//! Parallel reading (*rinnakkaiskäsittely*): chunks mapped on all cores, results in file order.

use std::collections::VecDeque;
use std::io::{self, Read};
use std::sync::mpsc;

use super::chunk::{Chunk, Chunker};
use crate::record::Family;

/// Chunks read ahead or being mapped, per thread of the pool.
const CHUNKS_PER_THREAD: usize = 2;

/// Whether [`par_map`] goes on after a result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Go on with the next chunk.
    Continue,
    /// Stop: no more chunks are read or mapped (e.g. strict mode met an error).
    Stop,
}

/// Why [`par_map`] stopped early.
#[derive(Debug)]
pub enum MapError<E> {
    /// Reading the input failed (the results of the chunks before were handed on).
    Read(io::Error),
    /// The sink failed.
    Sink(E),
}

/// Maps every chunk of `chunker` through `map` on the threads of the current rayon pool
/// (`pool.install(|| par_map(…))` chooses one), handing the results to `sink` in file order, so
/// the output is the same as a sequential run. Reading, mapping and sinking overlap: the calling
/// thread reads ahead and sinks while the pool maps, and at most two chunks per thread are held,
/// whatever the file size; their buffers are read into again. `sink` gets each result and the
/// bytes read so far (for a progress bar) and says whether to go on.
///
/// ```
/// use muutostieto::person::Person;
/// use muutostieto::read::{par_map, Chunker, Flow};
/// use muutostieto::ParseOptions;
///
/// let file = b"010101-900RXXX201702081101|00312|\r\n".repeat(500);
/// let mut chunker = Chunker::new(&file[..], ParseOptions::default(), Person, 4096);
/// let mut records = 0;
/// par_map(&mut chunker, |chunk| chunk.items(Person).filter(|i| i.is_ok()).count(), |n, _| {
///     records += n;
///     Ok::<_, std::io::Error>(Flow::Continue)
/// })
/// .unwrap();
/// assert_eq!(records, 500);
/// ```
pub fn par_map<R, F, T, E>(
    chunker: &mut Chunker<R, F>,
    map: impl Fn(&Chunk) -> T + Sync,
    sink: impl FnMut(T, u64) -> Result<Flow, E>,
) -> Result<(), MapError<E>>
where
    R: Read,
    F: Family,
    T: Send,
{
    par_map_in(None, chunker, map, sink)
}

/// [`par_map`] on the threads of `pool` (`None`: the current rayon pool). The calling thread
/// stays the one that reads and sinks, so neither the reader nor the sink need be `Send`.
pub fn par_map_in<R, F, T, E>(
    pool: Option<&rayon::ThreadPool>,
    chunker: &mut Chunker<R, F>,
    map: impl Fn(&Chunk) -> T + Sync,
    mut sink: impl FnMut(T, u64) -> Result<Flow, E>,
) -> Result<(), MapError<E>>
where
    R: Read,
    F: Family,
    T: Send,
{
    let threads = pool.map_or_else(rayon::current_num_threads, |p| p.current_num_threads());
    let window = CHUNKS_PER_THREAD * threads.max(1);
    let map = &map;
    match pool {
        Some(pool) => pool.in_place_scope(|scope| pipeline(scope, window, chunker, map, &mut sink)),
        None => rayon::in_place_scope(|scope| pipeline(scope, window, chunker, map, &mut sink)),
    }
}

/// Reads ahead up to `window` chunks, maps them on `scope`'s threads, sinks them in order.
fn pipeline<'s, R, F, T, E, M>(
    scope: &rayon::Scope<'s>,
    window: usize,
    chunker: &mut Chunker<R, F>,
    map: &'s M,
    sink: &mut impl FnMut(T, u64) -> Result<Flow, E>,
) -> Result<(), MapError<E>>
where
    R: Read,
    F: Family,
    T: Send + 's,
    M: Fn(&Chunk) -> T + Sync,
{
    let mut inflight = VecDeque::with_capacity(window);
    let mut read_error = None;
    let mut eof = false;
    loop {
        while !eof && inflight.len() < window {
            match chunker.next_chunk() {
                Ok(Some(chunk)) => {
                    let (tx, rx) = mpsc::sync_channel(1);
                    scope.spawn(move |_| {
                        let result = map(&chunk);
                        let _ = tx.send((result, chunk.bytes));
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
        let Ok((result, bytes)) = rx.recv() else {
            return Ok(());
        };
        chunker.recycle(bytes);
        if sink(result, chunker.bytes_read()).map_err(MapError::Sink)? == Flow::Stop {
            return Ok(());
        }
    }
    match read_error {
        None => Ok(()),
        Some(e) => Err(MapError::Read(e)),
    }
}
