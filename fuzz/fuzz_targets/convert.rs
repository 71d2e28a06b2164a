#![no_main]
//! Fuzz target `convert`: see `muutostieto_fuzz::convert` (fuzz/src/lib.rs) for what is checked.

libfuzzer_sys::fuzz_target!(|data: &[u8]| muutostieto_fuzz::convert(data));
