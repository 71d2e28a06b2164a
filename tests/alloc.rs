//! The steady state allocates nothing per record: reading views (`SliceReader::next_view`,
//! the checking pass that `check` runs) and writing their JSON (`json::write_view`, what
//! `parse` prints) into reused buffers. A counting allocator counts every allocation made
//! while a file is read, after a first pass has grown the buffers; it must be zero however many
//! records the file holds.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use muutostieto::person::Person;
use muutostieto::read::SliceReader;
use muutostieto::record::{Item, RecordView};
use muutostieto::testdata::{generate, Options, Profile};
use muutostieto::{Diagnostic, ParseOptions};

struct Counting;

thread_local! {
    // Per thread: the tests of this file run side by side.
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

fn count() {
    let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
}

fn allocations() -> u64 {
    ALLOCATIONS.with(Cell::get)
}

// SAFETY: every call is passed on to the system allocator unchanged; only a counter is added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Reads `input` with the buffers given, checking and writing JSON; returns (records, bytes).
fn pass(
    input: &[u8],
    view: &mut RecordView<'static>,
    diags: &mut Vec<Diagnostic>,
    json: &mut Vec<u8>,
) -> (u64, usize) {
    // The view's buffers are reused across inputs of any lifetime: take them out, use them,
    // put them back empty (`RecordView::recycle`).
    let mut local = std::mem::take(view).recycle();
    let mut reader = SliceReader::new(Person, input, ParseOptions::default());
    let (mut records, mut bytes) = (0, 0);
    loop {
        diags.clear();
        json.clear();
        let Some(item) = reader.next_view(&mut local, diags) else {
            break;
        };
        let item = item.expect("lenient reading does not stop");
        records += u64::from(matches!(item, Item::Record(_)));
        muutostieto::json::write_view(Person, &item, None, json);
        bytes += json.len();
    }
    *view = local.recycle();
    (records, bytes)
}

#[test]
fn reading_views_and_writing_json_allocates_nothing_per_record() {
    for profile in [Profile::RealShaped, Profile::Coverage] {
        let input = generate(&Options {
            records: 3000,
            profile,
            continuation_every: 7,
            ..Options::default()
        });
        let (mut view, mut diags, mut json) = (RecordView::default(), Vec::new(), Vec::new());
        // The first pass grows the buffers.
        let first = pass(&input, &mut view, &mut diags, &mut json);
        assert_eq!(first.0, 3000);
        let before = allocations();
        let again = pass(&input, &mut view, &mut diags, &mut json);
        let allocated = allocations() - before;
        assert_eq!(again, first);
        assert!(first.1 > input.len(), "JSON was written");
        assert_eq!(
            allocated, 0,
            "{profile:?}: {allocated} allocations while reading 3000 records"
        );
    }
}

#[test]
fn the_counter_counts() {
    // The test above could pass by counting nothing: a typed record allocates its groups.
    let input = generate(&Options::default());
    let before = allocations();
    let records = SliceReader::new(Person, &input, ParseOptions::default()).count();
    assert!(records > 0);
    assert!(allocations() - before >= records as u64);
}
