//! Bad-input and good-input fixtures, run through the real binary: one named test per file.
//!
//! `tests/fixtures/err/*.toml` must exit 1 from `check` and `build`, write nothing, and every
//! diagnostic must have a code; `tests/fixtures/ok/*.toml` must exit 0. The human rendering of
//! each fixture's diagnostics is snapshotted under `tests/snapshots/fixtures/`.
//!
//! This file has its own harness (`harness = false`, libtest-mimic) so that every fixture is a
//! test of its own, named `err::<stem>` or `ok::<stem>`: one failing fixture does not hide the
//! others, and `cargo test --test fixtures -- err::users` runs a few. The runner prints the usual
//! `test result:` line.

mod common;

use common::{aster_config, root, scrub, toml_files};
use libtest_mimic::{Arguments, Failed, Trial};
use std::path::{Path, PathBuf};

fn main() {
    let arguments = Arguments::from_args();
    let mut trials = Vec::new();
    let errors = toml_files(&root().join("tests/fixtures/err"));
    let oks = toml_files(&root().join("tests/fixtures/ok"));
    trials.push(Trial::test("there_are_enough_fixtures", {
        let (errors, oks) = (errors.len(), oks.len());
        move || enough_fixtures(errors, oks)
    }));
    trials.extend(errors.into_iter().map(|fixture| {
        trial(
            "err",
            fixture,
            error_fixture_reports_coded_diagnostics_and_writes_nothing,
        )
    }));
    trials.extend(
        oks.into_iter()
            .map(|fixture| trial("ok", fixture, ok_fixture_checks_clean)),
    );
    libtest_mimic::run(&arguments, trials).exit();
}

/// A test named `kind::stem` that runs `test` on `fixture`.
fn trial(kind: &str, fixture: PathBuf, test: fn(&Path) -> Result<(), Failed>) -> Trial {
    let name = format!("{kind}::{}", stem(&fixture));
    Trial::test(name, move || test(&fixture))
}

fn stem(fixture: &Path) -> String {
    fixture
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn enough_fixtures(errors: usize, oks: usize) -> Result<(), Failed> {
    if errors < 25 {
        return Err(format!("expected at least 25 error fixtures, found {errors}").into());
    }
    if oks == 0 {
        return Err("no ok fixtures".into());
    }
    Ok(())
}

/// Fails the trial with `message` unless `condition` holds.
fn ensure(condition: bool, message: impl FnOnce() -> String) -> Result<(), Failed> {
    if condition {
        Ok(())
    } else {
        Err(message().into())
    }
}

fn snapshot(kind: &str, fixture: &Path, code: Option<i32>, stderr: &str) {
    let name = format!("{kind}__{}", stem(fixture));
    let text = format!(
        "exit: {}\n{}",
        code.map_or("signal".into(), |c| c.to_string()),
        stderr
    );
    insta::with_settings!({ snapshot_path => "../../tests/snapshots/fixtures", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, text);
    });
}

fn error_fixture_reports_coded_diagnostics_and_writes_nothing(
    fixture: &Path,
) -> Result<(), Failed> {
    let path = fixture.to_str().ok_or("fixture path is not UTF-8")?;
    let check = aster_config(&["check", "--no-nixpkgs", path]);
    let stderr = String::from_utf8_lossy(&check.stderr).into_owned();
    ensure(check.status.code() == Some(1), || {
        format!(
            "check should exit 1, not {:?}\n{stderr}",
            check.status.code()
        )
    })?;
    let json = aster_config(&["check", "--no-nixpkgs", "--format", "json", path]);
    let document: serde_json::Value = serde_json::from_slice(&json.stdout)
        .map_err(|e| format!("--format json printed no JSON document: {e}"))?;
    let diagnostics = document["diagnostics"]
        .as_array()
        .ok_or("the JSON document has no diagnostics array")?;
    ensure(!diagnostics.is_empty(), || "no diagnostics".to_owned())?;
    for diagnostic in diagnostics {
        let code = diagnostic["code"].as_str().unwrap_or_default();
        ensure(code.starts_with("AC") && code.len() == 6, || {
            format!("bad code {code:?}")
        })?;
    }
    let scratch = tempfile::tempdir()?;
    let out = scratch.path().join("out");
    let out_arg = out.to_str().ok_or("temp path is not UTF-8")?;
    let build = aster_config(&["build", "--no-nixpkgs", path, "-o", out_arg]);
    ensure(build.status.code() == Some(1), || {
        format!("build should exit 1, not {:?}", build.status.code())
    })?;
    ensure(!out.exists(), || {
        "build wrote output despite errors".to_owned()
    })?;
    snapshot(
        "err",
        fixture,
        check.status.code(),
        &scrub(
            &stderr,
            &[(fixture.parent().unwrap_or(fixture), "<fixtures>")],
        ),
    );
    Ok(())
}

fn ok_fixture_checks_clean(fixture: &Path) -> Result<(), Failed> {
    let path = fixture.to_str().ok_or("fixture path is not UTF-8")?;
    let check = aster_config(&["check", "--no-nixpkgs", path]);
    let stderr = String::from_utf8_lossy(&check.stderr).into_owned();
    ensure(check.status.code() == Some(0), || {
        format!(
            "check should exit 0, not {:?}\n{stderr}",
            check.status.code()
        )
    })?;
    snapshot(
        "ok",
        fixture,
        check.status.code(),
        &scrub(
            &stderr,
            &[(fixture.parent().unwrap_or(fixture), "<fixtures>")],
        ),
    );
    Ok(())
}
