#![no_main]
//! Fuzz target `idlist`: see `muutostieto_fuzz::idlist` (fuzz/src/lib.rs) for what is checked.

libfuzzer_sys::fuzz_target!(|data: &[u8]| muutostieto_fuzz::idlist(data));
