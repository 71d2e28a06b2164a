//! `docs/person-layouts.md` is generated from the layout definitions; this test keeps it in
//! step (run with `MUUTOSTIETO_BLESS=1` to write it again).

use std::path::PathBuf;

#[test]
fn person_layout_table_is_current() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/person-layouts.md");
    let generated = muutostieto::person::schema().markdown();
    if std::env::var_os("MUUTOSTIETO_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == generated,
        "docs/person-layouts.md is stale; run with MUUTOSTIETO_BLESS=1"
    );
}
