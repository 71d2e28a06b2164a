//! Generated documentation and layout files stay in step with the crate's own layout definitions
//! (the single source). These are **staleness checks, not correctness checks**: a wrong width in
//! a definition is written into the docs and files too and passes here. (The layouts are checked
//! against the specification in `tests/spec_layouts.rs`.) Run with `MUUTOSTIETO_BLESS=1` to write
//! them again after a deliberate change.

use std::path::PathBuf;

use muutostieto::layout::{LayoutFile, Schema};

fn check(path: &str, generated: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path);
    if std::env::var_os("MUUTOSTIETO_BLESS").is_some() {
        std::fs::write(&path, generated).unwrap();
        return;
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == generated,
        "{} is stale; run with MUUTOSTIETO_BLESS=1",
        path.display()
    );
}

fn families() -> [(&'static str, &'static Schema); 2] {
    [
        ("person", muutostieto::person::schema()),
        ("building", muutostieto::building::schema()),
    ]
}

#[test]
fn layout_docs_are_up_to_date_with_the_layout_definitions_staleness_check() {
    for (name, schema) in families() {
        check(&format!("docs/{name}-layouts.md"), &schema.markdown());
    }
}

#[test]
fn layout_files_are_up_to_date_with_the_layout_definitions_staleness_check_and_load_back() {
    for (name, schema) in families() {
        let text = LayoutFile::from_schema(schema).to_toml().unwrap();
        check(&format!("layouts/{name}.toml"), &text);
        let loaded =
            LayoutFile::load_with_kinds(&text, &muutostieto::detect::field_kinds()).unwrap();
        assert_eq!(loaded.header, schema.header, "{name}");
        assert_eq!(loaded.groups, schema.groups, "{name}");
        assert_eq!(loaded.code_tables, schema.code_tables, "{name}");
    }
}

/// The README's links name files a clone has, and its examples write under `/tmp` (not into
/// the repository).
#[test]
fn readme_links_resolve_and_examples_write_under_tmp() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    for (i, _) in readme.match_indices("](") {
        let rest = &readme[i + 2..];
        let target = &rest[..rest.find(')').unwrap()];
        if target.starts_with("http") || target.starts_with('#') {
            continue;
        }
        let path = target.split('#').next().unwrap();
        assert!(
            root.join(path).exists(),
            "README links to {target}, which a clone lacks"
        );
    }
    assert!(
        !readme.contains("../shared"),
        "README names a folder a clone lacks"
    );
    for line in readme.lines() {
        let line = line.split('#').next().unwrap();
        for (i, _) in line.match_indices("> ") {
            let out = line[i + 2..].split_whitespace().next().unwrap_or("");
            assert!(
                out.starts_with("/tmp/")
                    || out.starts_with("/dev/")
                    || out.starts_with('$')
                    || out.is_empty(),
                "README example writes {out:?} into the working directory: {line}"
            );
        }
        if let Some(i) = line.find(" -o ") {
            let out = line[i + 4..].split_whitespace().next().unwrap_or("");
            assert!(
                out.starts_with("/tmp/") || out == "-",
                "README example writes {out:?}: {line}"
            );
        }
    }
}
