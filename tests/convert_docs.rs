//! `docs/api-mapping.md` is generated from the conversion's mapping table (the code the
//! conversion runs). A **staleness check**: run with `MUUTOSTIETO_BLESS=1` to write it again
//! after a deliberate change of the table.

use std::path::PathBuf;

#[test]
fn api_mapping_doc_is_up_to_date_with_the_mapping_table_staleness_check() {
    let generated = muutostieto::convert::mapping_markdown();
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/api-mapping.md");
    if std::env::var_os("MUUTOSTIETO_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == generated,
        "{} is stale; run with MUUTOSTIETO_BLESS=1",
        path.display()
    );
}

#[test]
fn the_mapping_doc_names_every_code_and_marks_inferred_rules() {
    let doc = muutostieto::convert::mapping_markdown();
    for m in muutostieto::convert::mapping_table() {
        assert!(doc.contains(&format!("\n### {} ", m.code)), "{}", m.code);
    }
    assert!(doc.contains("**inferred**"));
    assert!(doc.contains("LEGACY_<code>"));
}
