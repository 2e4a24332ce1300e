//! `aster-config import`: the fixpoint over every example, fixtures through the real binary, and
//! the examples of the import diagnostics' pages.
//!
//! Fixpoint: each example is built, its `configuration.nix` imported, the imported spec built
//! again — and the second `configuration.nix` must equal the first apart from the header (which
//! names the spec and its hash). Fixtures (`tests/fixtures/import/`): a hand-written
//! configuration with sections, derived options, `[nixos]` data and a kept module, snapshotted
//! (spec, module and report); one whose body is wrapped in `let … in` and `with pkgs;`, split
//! the same way with the wrappers kept in the module; a file that is not Nix, one cut short (one
//! error, not one per cascade) and one whose body is computed (`lib.mkMerge`), each a coded
//! diagnostic with its span and nothing written.

mod common;

use aster_compiler::{Input, build, layout::CONFIGURATION};
use common::{aster_config, root, scrub, toml_files};
use std::path::Path;

/// `configuration.nix` without its `# …` header lines.
fn body(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .lines()
        .skip_while(|l| l.starts_with("# "))
        .collect::<Vec<_>>()
        .join("\n")
}

fn build_into(spec: &str, spec_dir: &Path, out: &Path) -> Vec<u8> {
    let built = build(Input {
        name: "spec.toml",
        bytes: spec.as_bytes(),
        base_dir: Some(spec_dir),
    });
    let output = built.output.unwrap_or_else(|| {
        panic!(
            "{} does not build: {:#?}",
            spec_dir.display(),
            built.checked.diagnostics
        )
    });
    aster_compiler::output::write(&output, out).unwrap();
    output.files()[CONFIGURATION].clone()
}

#[test]
fn build_import_build_is_a_fixpoint_for_every_example() {
    let examples = root().join("examples");
    let files = toml_files(&examples);
    assert!(files.len() >= 6, "examples went missing");
    for file in files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let dir = tempfile::tempdir().unwrap();
        let first_out = dir.path().join("out");
        let spec = std::fs::read_to_string(&file).unwrap();
        let first = build_into(&spec, &examples, &first_out);
        let text = String::from_utf8(first.clone()).unwrap();
        let imported = aster_import::import(&text, Some(&first_out))
            .unwrap_or_else(|e| panic!("{name}: import failed: {e:#?}"));
        std::fs::write(first_out.join("imported.toml"), &imported.spec).unwrap();
        if let Some(module) = &imported.module {
            std::fs::write(first_out.join(aster_import::MODULE_FILE), module).unwrap();
        }
        let second = build_into(&imported.spec, &first_out, &dir.path().join("again"));
        assert_eq!(
            body(&first),
            body(&second),
            "{name}: build → import → build changed configuration.nix; the imported spec was:\n{}",
            imported.spec
        );
    }
}

/// `aster-config import CONFIG -o SPEC`.
fn import_to(config: &Path, spec: &Path) -> std::process::Output {
    aster_config(&[
        "import",
        config.to_str().unwrap(),
        "-o",
        spec.to_str().unwrap(),
    ])
}

fn snapshot(name: &str, text: &str) {
    insta::with_settings!({snapshot_path => root().join("tests/snapshots/import"), prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!(name, text);
    });
}

/// Imports `fixture` (with `extra` files beside it) into a temporary folder; snapshots the
/// report, the spec and the module as `NAME_report`, `NAME_spec`, `NAME_module`, checks the spec
/// and that a second import refuses to overwrite it.
fn imported(fixture: &str, extra: &[&str], name: &str) {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join(fixture);
    for file in std::iter::once(&fixture).chain(extra) {
        std::fs::copy(
            root().join("tests/fixtures/import").join(file),
            dir.path().join(file),
        )
        .unwrap();
    }
    let spec = dir.path().join("system.toml");
    let output = import_to(&config, &spec);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let report = scrub(
        &String::from_utf8_lossy(&output.stderr),
        &[(dir.path(), "[DIR]")],
    );
    snapshot(&format!("{name}_report"), &report);
    snapshot(
        &format!("{name}_spec"),
        &std::fs::read_to_string(&spec).unwrap(),
    );
    snapshot(
        &format!("{name}_module"),
        &std::fs::read_to_string(dir.path().join(aster_import::MODULE_FILE)).unwrap(),
    );
    // The spec it wrote checks (the kept module is beside it).
    let check = aster_config(&["check", "--no-nixpkgs", spec.to_str().unwrap()]);
    assert_eq!(check.status.code(), Some(0), "{check:?}");
    // It never overwrites.
    let again = import_to(&config, &spec);
    assert_eq!(again.status.code(), Some(2), "{again:?}");
}

#[test]
fn a_hand_written_configuration_is_split_and_reported() {
    imported("configuration.nix", &["motd"], "configuration");
}

/// `let … in` and `with pkgs;` around the body: plain settings that do not use them become spec
/// data; the rest, the `inherit` included, stays in the module under the same wrappers, and the
/// report says so line by line.
#[test]
fn a_body_in_let_and_with_is_split_and_its_wrappers_kept_in_the_module() {
    imported("let-with-body.nix", &[], "let_with_body");
}

fn refused(fixture: &str, code: &str) {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join(fixture);
    std::fs::copy(root().join("tests/fixtures/import").join(fixture), &config).unwrap();
    let spec = dir.path().join("system.toml");
    let output = import_to(&config, &spec);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert!(!spec.exists(), "{fixture}: a spec was written");
    let stderr = scrub(
        &String::from_utf8_lossy(&output.stderr),
        &[(dir.path(), "[DIR]")],
    );
    assert!(stderr.contains(code), "{stderr}");
    snapshot(fixture.trim_end_matches(".nix"), &stderr);
}

#[test]
fn a_file_that_is_not_nix_is_a_diagnostic_with_its_span() {
    refused("not-nix.nix", "AC0601");
}

#[test]
fn a_file_cut_short_is_one_diagnostic() {
    refused("cut-short.nix", "AC0601");
}

#[test]
fn a_computed_module_is_a_diagnostic_with_its_span() {
    refused("merge-body.nix", "AC0602");
}

/// The Nix blocks of a diagnostic page: the one that triggers it, then the fixed one.
fn page_examples(code: aster_compiler::Code) -> (String, String) {
    let text = code.explanation();
    let blocks: Vec<String> = text
        .split("```nix\n")
        .skip(1)
        .map(|b| b.split("```").next().unwrap().to_owned())
        .collect();
    assert_eq!(
        blocks.len(),
        2,
        "{code}: expected a triggering and a fixed example"
    );
    (blocks[0].clone(), blocks[1].clone())
}

#[test]
fn the_examples_of_the_import_pages_behave_as_they_say() {
    for code in aster_compiler::Code::ALL
        .iter()
        .filter(|c| c.phase() == aster_compiler::diagnostic::Phase::Import)
    {
        let (triggers, fixed) = page_examples(*code);
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("configuration.nix");
        std::fs::write(&file, triggers).unwrap();
        let output = aster_config(&["import", file.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(1), "{code}: {output:?}");
        assert!(
            String::from_utf8_lossy(&output.stderr).contains(code.as_str()),
            "{code}: {output:?}"
        );
        std::fs::write(&file, fixed).unwrap();
        let output = aster_config(&["import", file.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(0), "{code} fixed: {output:?}");
    }
}
