#![no_main]
//! Fuzz target `record`: see `muutostieto_fuzz::record` (fuzz/src/lib.rs) for what is checked.

libfuzzer_sys::fuzz_target!(|data: &[u8]| muutostieto_fuzz::record(data));
