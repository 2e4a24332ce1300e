//! The checked-in JSON Schema and diagnostics reference are generated, never hand-edited: these
//! tests fail when they are stale (set `ASTER_UPDATE=1` to rewrite them). The schema is also
//! checked by an independent validator (check-jsonschema, which the test command installs).

// A missing optional validator is reported as skipped on stderr, where cargo test shows it.
#![allow(clippy::print_stderr)]

mod common;

use common::{json_schema_validator as validator, root, toml_files};

fn check_generated(relative: &str, expected: &str) {
    let path = root().join(relative);
    if std::env::var_os("ASTER_UPDATE").is_some() {
        std::fs::write(&path, expected).expect("write generated file");
        return;
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "{relative} is stale; run `ASTER_UPDATE=1 cargo test -p aster-config --test schema`"
    );
}

#[test]
fn checked_in_schema_is_current() {
    check_generated(
        "schema/aster-config.schema.json",
        &aster_compiler::schema::derived_schema_text(),
    );
}

#[test]
fn diagnostics_reference_is_current() {
    check_generated(
        "docs/diagnostics.md",
        &aster_compiler::diagnostic::reference_markdown(),
    );
}

#[test]
fn every_code_has_a_real_explanation() {
    for code in aster_compiler::Code::ALL {
        let text = code.explanation();
        assert!(
            text.starts_with(&format!("# {code}")),
            "{code}: explanation must start with its heading"
        );
        for section in ["## What", "## Why", "## Example"] {
            assert!(
                text.contains(section),
                "{code}: explanation lacks `{section}`"
            );
        }
    }
}

#[test]
fn independent_validator_accepts_examples_and_rejects_a_wrong_file() {
    let Some(mut accept) = validator() else {
        return;
    };
    let schema = root().join("schema/aster-config.schema.json");
    let examples = toml_files(&root().join("examples"));
    let status = accept
        .arg("--schemafile")
        .arg(&schema)
        .args(&examples)
        .output()
        .expect("run validator");
    assert!(
        status.status.success(),
        "examples fail validation:\n{}",
        String::from_utf8_lossy(&status.stdout)
    );

    let Some(mut reject) = validator() else {
        return;
    };
    let wrong = root().join("tests/fixtures/schema-invalid.toml");
    let status = reject
        .arg("--schemafile")
        .arg(&schema)
        .arg(&wrong)
        .output()
        .expect("run validator");
    assert!(
        !status.status.success(),
        "the deliberately wrong file passed validation"
    );
}
