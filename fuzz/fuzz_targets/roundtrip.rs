#![no_main]
//! Fuzz target `roundtrip`: see `muutostieto_fuzz::roundtrip` (fuzz/src/lib.rs) for what is checked.

libfuzzer_sys::fuzz_target!(|data: &[u8]| muutostieto_fuzz::roundtrip(data));
