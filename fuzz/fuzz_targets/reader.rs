#![no_main]
//! Fuzz target `reader`: see `muutostieto_fuzz::reader` (fuzz/src/lib.rs) for what is checked.

libfuzzer_sys::fuzz_target!(|data: &[u8]| muutostieto_fuzz::reader(data));
