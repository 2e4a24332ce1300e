//! Bad-input and good-input fixtures, run through the real binary.
//!
//! `tests/fixtures/err/*.toml` must exit 1 from `check` and `build`, write nothing, and every
//! diagnostic must have a code; `tests/fixtures/ok/*.toml` must exit 0. The human rendering of
//! each fixture's diagnostics is snapshotted under `tests/snapshots/fixtures/`.

mod common;

use common::{aster_config, root, scrub, toml_files};
use std::path::Path;

fn snapshot(kind: &str, fixture: &Path, code: Option<i32>, stderr: &str) {
    let name = format!("{kind}__{}", fixture.file_stem().unwrap().to_string_lossy());
    let text = format!(
        "exit: {}\n{}",
        code.map_or("signal".into(), |c| c.to_string()),
        stderr
    );
    insta::with_settings!({ snapshot_path => "../../tests/snapshots/fixtures", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, text);
    });
}

#[test]
fn error_fixtures_report_coded_diagnostics_and_write_nothing() {
    let fixtures = toml_files(&root().join("tests/fixtures/err"));
    assert!(
        fixtures.len() >= 25,
        "expected at least 25 error fixtures, found {}",
        fixtures.len()
    );
    let scratch = tempfile::tempdir().expect("temp dir");
    for fixture in &fixtures {
        let path = fixture.to_str().unwrap();
        let check = aster_config(&["check", "--no-nixpkgs", path]);
        let stderr = String::from_utf8_lossy(&check.stderr).into_owned();
        assert_eq!(
            check.status.code(),
            Some(1),
            "{path}: check should exit 1\n{stderr}"
        );
        let json = aster_config(&["check", "--no-nixpkgs", "--format", "json", path]);
        let document: serde_json::Value =
            serde_json::from_slice(&json.stdout).expect("JSON diagnostics");
        let diagnostics = document["diagnostics"]
            .as_array()
            .expect("diagnostics array");
        assert!(!diagnostics.is_empty(), "{path}: no diagnostics");
        for diagnostic in diagnostics {
            let code = diagnostic["code"].as_str().unwrap_or_default();
            assert!(
                code.starts_with("AC") && code.len() == 6,
                "{path}: bad code {code}"
            );
        }
        let out = scratch.path().join("out");
        let build = aster_config(&["build", "--no-nixpkgs", path, "-o", out.to_str().unwrap()]);
        assert_eq!(build.status.code(), Some(1), "{path}: build should exit 1");
        assert!(!out.exists(), "{path}: build wrote output despite errors");
        snapshot(
            "err",
            fixture,
            check.status.code(),
            &scrub(&stderr, &[(fixture.parent().unwrap(), "<fixtures>")]),
        );
    }
}

#[test]
fn ok_fixtures_check_clean() {
    let fixtures = toml_files(&root().join("tests/fixtures/ok"));
    assert!(!fixtures.is_empty(), "no ok fixtures");
    for fixture in &fixtures {
        let path = fixture.to_str().unwrap();
        let check = aster_config(&["check", "--no-nixpkgs", path]);
        let stderr = String::from_utf8_lossy(&check.stderr).into_owned();
        assert_eq!(
            check.status.code(),
            Some(0),
            "{path}: check should exit 0\n{stderr}"
        );
        snapshot(
            "ok",
            fixture,
            check.status.code(),
            &scrub(&stderr, &[(fixture.parent().unwrap(), "<fixtures>")]),
        );
    }
}
