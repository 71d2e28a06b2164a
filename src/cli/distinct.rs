//! An exact count of distinct keys in bounded memory, for `stats` (distinct persons of a
//! national base delivery: 5.6 million).
//!
//! Keys (8 bytes each) are gathered in a buffer; a full buffer is sorted and deduplicated, and
//! when it is still more than half full it is written to an anonymous temporary file as a sorted
//! run. Counting merges the runs and the buffer. Memory: the buffer (8 MB) and one small read
//! buffer per run; disk: 8 bytes per key at most.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};

/// Keys held in memory before a sorted run goes to disk.
const CAPACITY: usize = 1 << 20;

/// A set of `u64` keys that counts its distinct members exactly, in bounded memory.
pub struct DistinctKeys {
    buf: Vec<u64>,
    /// Sorted, deduplicated runs on disk (anonymous files, gone when dropped).
    runs: Vec<File>,
    capacity: usize,
    /// The first error writing a run (reported when counting).
    error: Option<io::Error>,
}

impl Default for DistinctKeys {
    fn default() -> Self {
        DistinctKeys::with_capacity(CAPACITY)
    }
}

impl DistinctKeys {
    /// A set that spills to disk past `capacity` keys in memory.
    pub fn with_capacity(capacity: usize) -> Self {
        DistinctKeys {
            buf: Vec::new(),
            runs: Vec::new(),
            capacity: capacity.max(2),
            error: None,
        }
    }

    /// Adds a key.
    #[inline]
    pub fn insert(&mut self, key: u64) {
        self.buf.push(key);
        if self.buf.len() >= self.capacity {
            self.compact();
        }
    }

    /// True when no key was added.
    pub fn is_empty(&self) -> bool {
        self.buf.is_empty() && self.runs.is_empty()
    }

    /// Moves every key of `other` into this set.
    pub fn absorb(&mut self, other: &mut DistinctKeys) {
        self.runs.append(&mut other.runs);
        if self.error.is_none() {
            self.error = other.error.take();
        }
        for &k in &other.buf {
            self.insert(k);
        }
        other.buf.clear();
    }

    fn compact(&mut self) {
        self.buf.sort_unstable();
        self.buf.dedup();
        if self.buf.len() > self.capacity / 2 {
            match write_run(&self.buf) {
                Ok(file) => self.runs.push(file),
                Err(e) => {
                    // Keep counting in memory; the error is reported by `count`.
                    self.error.get_or_insert(e);
                    self.capacity *= 2;
                    return;
                }
            }
            self.buf.clear();
        }
    }

    /// The number of distinct keys added (the runs are read back; the set stays as it is).
    pub fn count(&mut self) -> io::Result<u64> {
        if let Some(e) = self.error.take() {
            return Err(io::Error::new(
                e.kind(),
                format!("counting distinct keys: cannot write a temporary file: {e}"),
            ));
        }
        self.buf.sort_unstable();
        self.buf.dedup();
        if self.runs.is_empty() {
            return Ok(self.buf.len() as u64);
        }
        let mut readers = Vec::with_capacity(self.runs.len());
        for run in &mut self.runs {
            run.seek(SeekFrom::Start(0))?;
            readers.push(BufReader::with_capacity(64 << 10, &*run));
        }
        let mut heap = BinaryHeap::new();
        for (i, r) in readers.iter_mut().enumerate() {
            if let Some(k) = next_key(r)? {
                heap.push(Reverse((k, i)));
            }
        }
        let mut mem = self.buf.iter().copied().peekable();
        let mut last = None;
        let mut count = 0u64;
        loop {
            let from_runs = heap.peek().map(|Reverse((k, _))| *k);
            let k = match (from_runs, mem.peek().copied()) {
                (None, None) => break,
                (Some(a), Some(b)) if b < a => {
                    mem.next();
                    b
                }
                (None, Some(b)) => {
                    mem.next();
                    b
                }
                (Some(_), _) => {
                    let Some(Reverse((k, i))) = heap.pop() else {
                        break;
                    };
                    if let Some(next) = next_key(&mut readers[i])? {
                        heap.push(Reverse((next, i)));
                    }
                    k
                }
            };
            if last != Some(k) {
                count += 1;
                last = Some(k);
            }
        }
        Ok(count)
    }
}

fn write_run(keys: &[u64]) -> io::Result<File> {
    let file = tempfile::tempfile()?;
    let mut w = BufWriter::with_capacity(64 << 10, file);
    for k in keys {
        w.write_all(&k.to_le_bytes())?;
    }
    w.into_inner().map_err(|e| e.into_error())
}

fn next_key(r: &mut impl Read) -> io::Result<Option<u64>> {
    let mut b = [0u8; 8];
    match r.read_exact(&mut b) {
        Ok(()) => Ok(Some(u64::from_le_bytes(b))),
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn counts_exactly_across_runs() {
        // A small capacity forces many runs; keys repeat within and across runs.
        let mut set = DistinctKeys::with_capacity(64);
        let mut other = DistinctKeys::with_capacity(64);
        let mut seen = HashSet::new();
        let mut x = 12345u64;
        for i in 0..5000 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let k = (x >> 33) % 1500;
            seen.insert(k);
            if i % 3 == 0 {
                other.insert(k);
            } else {
                set.insert(k);
            }
        }
        assert!(set.runs.len() > 3, "runs: {}", set.runs.len());
        set.absorb(&mut other);
        assert!(other.is_empty());
        assert_eq!(set.count().unwrap(), seen.len() as u64);
        // Counting again gives the same.
        assert_eq!(set.count().unwrap(), seen.len() as u64);
        assert_eq!(DistinctKeys::default().count().unwrap(), 0);
    }
}
