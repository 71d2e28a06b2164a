#![no_main]
//! Fuzz target `families`: see `muutostieto_fuzz::families` (fuzz/src/lib.rs) for what is checked.

libfuzzer_sys::fuzz_target!(|data: &[u8]| muutostieto_fuzz::families(data));
