//! `aster-config fmt`: the canonical layout, checked as properties and through the real binary.
//!
//! Properties, over every example and fixture that parses and over specs from the round-trip
//! generator (`roundtrip/model.rs`): formatting is idempotent, and the formatted spec checks and
//! builds exactly as the original did — the same diagnostics (code, severity, message, help) and
//! the same output files apart from the header, which names the spec's hash. The binary: a
//! snapshot of a messy spec formatted, `--check` printing a diff and exiting 1, and a file that
//! does not parse left untouched (exit 1).

mod common;
#[path = "roundtrip/model.rs"]
#[allow(dead_code)]
mod model;

use aster_compiler::format::format;
use aster_compiler::{Input, MANIFEST_FILE, build};
use common::{aster_config, root, toml_files};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use std::collections::BTreeMap;
use std::path::Path;

/// What a build of `text` produces, as far as formatting must keep it: every diagnostic without
/// its span, and every output file without its generated header.
fn outcome(text: &str, dir: Option<&Path>) -> (Vec<String>, BTreeMap<String, String>) {
    let built = build(Input {
        name: "spec.toml",
        bytes: text.as_bytes(),
        base_dir: dir,
    });
    let mut diagnostics: Vec<String> = built
        .checked
        .diagnostics
        .iter()
        .map(|d| format!("{} {:?} {} {:?}", d.code, d.severity, d.message, d.help))
        .collect();
    diagnostics.sort();
    let files = built
        .output
        .map(|tree| {
            tree.files()
                .iter()
                .filter(|(name, _)| name.as_str() != MANIFEST_FILE)
                .map(|(name, bytes)| {
                    (
                        name.clone(),
                        without_header(&String::from_utf8_lossy(bytes)),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    (diagnostics, files)
}

/// The text after the leading `# …` header lines.
fn without_header(text: &str) -> String {
    text.lines()
        .skip_while(|l| l.starts_with("# "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Formats `text` and checks both properties; `None` when it is not TOML.
fn check_properties(name: &str, text: &str, dir: Option<&Path>) -> Option<String> {
    let formatted = format(text).ok()?;
    assert_eq!(
        format(&formatted).as_ref(),
        Ok(&formatted),
        "{name}: formatting twice changed the text"
    );
    assert_eq!(
        outcome(text, dir),
        outcome(&formatted, dir),
        "{name}: formatting changed what check/build produce:\n{formatted}"
    );
    Some(formatted)
}

#[test]
fn formatting_is_idempotent_and_keeps_meaning_on_every_example_and_fixture() {
    let mut formatted = 0;
    for folder in [
        "examples",
        "tests/fixtures/ok",
        "tests/fixtures/err",
        "tests/fixtures/fmt",
    ] {
        let dir = root().join(folder);
        for file in toml_files(&dir) {
            let bytes = std::fs::read(&file).unwrap();
            let Ok(text) = String::from_utf8(bytes) else {
                continue;
            };
            if check_properties(&file.display().to_string(), &text, Some(&dir)).is_some() {
                formatted += 1;
            }
        }
    }
    assert!(formatted > 60, "only {formatted} files were formatted");
}

#[test]
fn formatting_is_idempotent_and_keeps_meaning_on_generated_specs() {
    let cases: u32 = std::env::var("ASTER_FMT_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(200);
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]),
    );
    let strategy = model::case();
    for index in 0..cases {
        let case = strategy.new_tree(&mut runner).unwrap().current();
        let text = case.toml();
        let formatted = check_properties(&format!("generated case {index}"), &text, None);
        assert!(
            formatted.is_some(),
            "generated case {index} did not format:\n{text}"
        );
    }
}

#[test]
fn a_messy_spec_is_formatted_with_its_comments() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("messy.toml");
    std::fs::copy(root().join("tests/fixtures/fmt/messy.toml"), &file).unwrap();
    let output = aster_config(&["fmt", file.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let formatted = std::fs::read_to_string(&file).unwrap();
    insta::with_settings!({snapshot_path => root().join("tests/snapshots/fmt"), prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!("messy", formatted);
    });
    let again = aster_config(&["fmt", "--check", file.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(0), "{again:?}");
}

#[test]
fn check_prints_a_diff_and_exits_1_without_writing() {
    let original = root().join("tests/fixtures/fmt/messy.toml");
    let before = std::fs::read(&original).unwrap();
    let output = aster_config(&["fmt", "--check", original.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(std::fs::read(&original).unwrap(), before);
    let diff = String::from_utf8(output.stdout).unwrap();
    assert!(
        diff.starts_with("--- a/messy.toml\n+++ b/messy.toml\n"),
        "{diff}"
    );
    assert!(diff.contains("+hostname = \"messy\""), "{diff}");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("1 file(s) would be reformatted"),
        "{stderr}"
    );
}

#[test]
fn a_file_that_does_not_parse_is_never_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-toml.toml");
    std::fs::copy(root().join("tests/fixtures/fmt/not-toml.toml"), &file).unwrap();
    let before = std::fs::read(&file).unwrap();
    let output = aster_config(&["fmt", file.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        std::fs::read(&file).unwrap(),
        before,
        "the file was rewritten"
    );
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("AC0102"), "{stderr}");
    assert!(
        stderr.contains("not formatted (it does not parse)"),
        "{stderr}"
    );
}

#[test]
fn standard_input_is_formatted_to_standard_output() {
    use std::io::Write as _;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_aster-config"))
        .args(["fmt", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"[system]\ntimezone='UTC'\nhostname = \"a\"\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "[system]\nhostname = \"a\"\ntimezone = \"UTC\"\n"
    );
}
