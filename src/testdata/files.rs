//! The files in the repository's `testdata/` folder and how each is made (the golden test
//! `tests/testdata_files.rs` checks them and writes them again with `MUUTOSTIETO_BLESS=1`).

use super::{generate, odd_file, DeliveryKind, Options};
use crate::encoding::Encoding;

/// The files in the repository's `testdata/` folder: name and how each is made.
pub fn repository_files() -> Vec<(&'static str, Vec<u8>)> {
    let file = |opts: Options| generate(&opts);
    vec![
        (
            "base.PTT",
            file(Options {
                seed: 1,
                records: 60,
                kind: DeliveryKind::Base,
                continuation_every: 20,
                ..Options::default()
            }),
        ),
        (
            "changes.MTT",
            file(Options {
                seed: 2,
                records: 300,
                envelope: true,
                ..Options::default()
            }),
        ),
        (
            "latin9.MTT",
            file(Options {
                seed: 3,
                records: 80,
                encoding: Encoding::Latin9,
                ..Options::default()
            }),
        ),
        (
            "utf8.PTT_001.PART",
            file(Options {
                seed: 4,
                records: 40,
                kind: DeliveryKind::Base,
                encoding: Encoding::Utf8,
                continuation_every: 10,
                ..Options::default()
            }),
        ),
        ("odd.MTT", odd_file().0),
        (
            "buildings.RMT",
            crate::testdata::building::generate(&Options {
                seed: 21,
                records: 150,
                envelope: true,
                continuation_every: 15,
                ..Options::default()
            }),
        ),
        (
            "buildings-base.RPT",
            crate::testdata::building::generate(&Options {
                seed: 22,
                records: 40,
                kind: DeliveryKind::Base,
                continuation_every: 10,
                ..Options::default()
            }),
        ),
    ]
}
