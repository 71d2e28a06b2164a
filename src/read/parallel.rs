//! Parallel reading (*rinnakkaiskäsittely*): chunks parsed on all cores, results in file order.

use std::io::{self, Read};

use rayon::prelude::*;

use super::chunk::{Chunk, Chunker};
use crate::record::Family;

/// Maps every chunk through `map` on all cores (of the current rayon pool), handing the results
/// to `sink` in file order, so output is the same as a sequential run. Holds at most a batch of
/// chunks (two per thread) at a time, whatever the file size. Stops at the first error of the
/// reader or of `sink`.
///
/// ```
/// use muutostieto::person::Person;
/// use muutostieto::read::{par_map, Chunker};
/// use muutostieto::ParseOptions;
///
/// let file = b"010101-900RXXX201702081101|00312|\r\n".repeat(500);
/// let chunker = Chunker::new(&file[..], ParseOptions::default(), Person, 4096);
/// let mut records = 0;
/// par_map(chunker, |chunk| chunk.items(Person).filter(|i| i.is_ok()).count(), |n| {
///     records += n;
///     Ok(())
/// })
/// .unwrap();
/// assert_eq!(records, 500);
/// ```
pub fn par_map<R, F, T>(
    mut chunker: Chunker<R, F>,
    map: impl Fn(&Chunk) -> T + Sync,
    mut sink: impl FnMut(T) -> io::Result<()>,
) -> io::Result<()>
where
    R: Read,
    F: Family,
    T: Send,
{
    let batch = 2 * rayon::current_num_threads().max(1);
    let mut chunks: Vec<Chunk> = Vec::with_capacity(batch);
    loop {
        for c in chunks.drain(..) {
            chunker.recycle(c.bytes);
        }
        while chunks.len() < batch {
            match chunker.next_chunk()? {
                Some(c) => chunks.push(c),
                None => break,
            }
        }
        if chunks.is_empty() {
            return Ok(());
        }
        let results: Vec<T> = chunks.par_iter().map(&map).collect();
        for r in results {
            sink(r)?;
        }
    }
}
