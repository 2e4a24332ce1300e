//! `aster-config fmt`: the canonical layout, checked as properties and through the real binary.
//!
//! Properties, over every example and fixture that parses and over specs from the round-trip
//! generator (`roundtrip/model.rs`, with comments and blank lines scattered in): formatting is
//! idempotent, keeps every comment, and the formatted spec checks and builds exactly as the
//! original did — the same diagnostics (code, severity, message, help) and the same output files
//! apart from the header, which names the spec's hash. A fixture fmt refuses must be one that
//! does not parse (check says so too) or be listed in [`MUST_REFUSE`]. The project's examples
//! are formatted already. The binary: a snapshot of a messy spec formatted, `--check` printing a
//! diff and exiting 1, and a file that does not parse left untouched (exit 1).

mod common;
#[path = "roundtrip/model.rs"]
#[allow(dead_code)]
mod model;

use aster_compiler::format::{FormatError, format};
use aster_compiler::{Input, MANIFEST_FILE, build};
use common::{aster_config, root, toml_files};
use proptest::prelude::prop;
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use std::collections::BTreeMap;
use std::path::Path;
use toml_edit::{DocumentMut, Item, Table};

/// Fixtures fmt must refuse with `ChangedMeaning` (AC0001): files whose meaning the formatter
/// cannot keep, each with the reason and the issue that tracks it. None today; a fixture that
/// hits `ChangedMeaning` and is not listed here fails the property test, so a formatter bug
/// cannot hide as a skipped file.
const MUST_REFUSE: &[&str] = &[];

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

/// The comments of a TOML text, each trimmed, sorted: a multiset to compare. A `#` inside a
/// string (basic, literal, multi-line) or a quoted key is not a comment.
fn comments(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let opening = ["\"\"\"", "\'\'\'", "\"", "\'"]
            .into_iter()
            .find(|quote| rest.starts_with(*quote));
        if let Some(quote) = opening {
            rest = after_string(&rest[quote.len()..], quote);
        } else if c == '#' {
            let end = rest.find('\n').unwrap_or(rest.len());
            found.push(rest[..end].trim().to_owned());
            rest = &rest[end..];
        } else {
            rest = &rest[c.len_utf8()..];
        }
    }
    found.sort();
    found
}

/// The text after a string's closing `quote` (escapes count in basic strings only).
fn after_string<'a>(text: &'a str, quote: &str) -> &'a str {
    let escapes = quote.starts_with('"');
    let mut at = 0;
    while at < text.len() {
        if escapes && text[at..].starts_with('\\') {
            at += 1 + text[at + 1..].chars().next().map_or(0, char::len_utf8);
        } else if text[at..].starts_with(quote) {
            // `""""` ends a multi-line string with a quote inside it: the closing run is last.
            let mut end = at + quote.len();
            while quote.len() == 3 && text[end..].starts_with(&quote[..1]) && end - at < 5 {
                end += 1;
            }
            return &text[end..];
        } else {
            at += text[at..].chars().next().map_or(1, char::len_utf8);
        }
    }
    ""
}

/// Formats `text` and checks the properties: idempotent, every comment kept, the same
/// check/build outcome.
fn check_properties(name: &str, text: &str, dir: Option<&Path>) -> Result<String, FormatError> {
    let formatted = format(text)?;
    assert_eq!(
        format(&formatted).as_ref(),
        Ok(&formatted),
        "{name}: formatting twice changed the text"
    );
    assert_eq!(
        comments(text),
        comments(&formatted),
        "{name}: formatting lost or changed a comment:\n{formatted}"
    );
    assert_eq!(
        outcome(text, dir),
        outcome(&formatted, dir),
        "{name}: formatting changed what check/build produce:\n{formatted}"
    );
    Ok(formatted)
}

/// True when `check` refuses `text` while reading it (not TOML, not UTF-8, too deep…): the
/// reason fmt gives for leaving a file alone.
fn check_refuses_to_read(text: &str) -> bool {
    aster_compiler::check(Input {
        name: "spec.toml",
        bytes: text.as_bytes(),
        base_dir: None,
    })
    .diagnostics
    .iter()
    .any(|d| {
        d.code.phase() == aster_compiler::diagnostic::Phase::Read
            && d.severity == aster_compiler::Severity::Error
    })
}

#[test]
fn formatting_is_idempotent_and_keeps_meaning_on_every_example_and_fixture() {
    let mut formatted = 0;
    let mut refused = Vec::new();
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
            let name = file.strip_prefix(root()).unwrap().display().to_string();
            match check_properties(&name, &text, Some(&dir)) {
                Ok(_) => formatted += 1,
                Err(FormatError::NotToml) => assert!(
                    check_refuses_to_read(&text),
                    "{name}: fmt calls it not TOML, but check reads it"
                ),
                Err(FormatError::ChangedMeaning) => {
                    assert!(
                        MUST_REFUSE.contains(&name.as_str()),
                        "{name}: formatting would change its meaning (AC0001)"
                    );
                    refused.push(name);
                }
            }
        }
    }
    assert_eq!(refused, MUST_REFUSE, "fmt must refuse exactly these files");
    assert!(formatted > 60, "only {formatted} files were formatted");
}

/// Scatters comments and blank lines through a generated spec: a comment above some headers,
/// above some keys (with or without a blank line first), after some values. `choices` picks
/// where; every comment is numbered so a lost or doubled one shows.
fn decorate(text: &str, choices: &[u8]) -> String {
    let mut document: DocumentMut = text.parse().unwrap();
    let mut next = choices.iter().copied().cycle();
    let mut count = 0;
    decorate_table(document.as_table_mut(), &mut next, &mut count);
    document.to_string()
}

fn decorate_table(table: &mut Table, next: &mut impl Iterator<Item = u8>, count: &mut usize) {
    if !table.is_implicit() && !table.is_dotted() && next.next().unwrap_or(0).is_multiple_of(2) {
        *count += 1;
        table
            .decor_mut()
            .set_prefix(format!("\n# about this section ({count})\n"));
    }
    let dotted = table.is_dotted();
    for (mut key, item) in table.iter_mut() {
        let choice = next.next().unwrap_or(0);
        match item {
            Item::Value(value) if !dotted => {
                *count += 1;
                let prefix = match choice % 4 {
                    0 => "\n".to_owned(),
                    1 => format!("# above a key ({count})\n"),
                    2 => format!("\n# after a blank line ({count})\n"),
                    _ => String::new(),
                };
                key.leaf_decor_mut().set_prefix(prefix);
                if choice >= 4 {
                    value
                        .decor_mut()
                        .set_suffix(format!(" # after a value ({count})"));
                }
            }
            Item::Table(child) => decorate_table(child, next, count),
            Item::ArrayOfTables(array) => {
                for child in array.iter_mut() {
                    decorate_table(child, next, count);
                }
            }
            _ => {}
        }
    }
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
    let strategy = (model::case(), prop::collection::vec(0u8..8, 1..40));
    let mut commented = 0;
    for index in 0..cases {
        let (case, choices) = strategy.new_tree(&mut runner).unwrap().current();
        let text = decorate(&case.toml(), &choices);
        commented += usize::from(!comments(&text).is_empty());
        let formatted = check_properties(&format!("generated case {index}"), &text, None);
        assert!(
            formatted.is_ok(),
            "generated case {index} did not format ({formatted:?}):\n{text}"
        );
    }
    assert!(
        commented > cases as usize / 2,
        "only {commented} of {cases} cases had comments"
    );
}

#[test]
fn the_comment_reader_skips_strings() {
    let text = "a = \"# no\" # yes 1\nb = '# no'\nc = \"\"\"\n# no \\\"\"\" # no\n\"\"\"\n# yes 2\n\"k#ey\" = 1\n";
    assert_eq!(comments(text), ["# yes 1", "# yes 2"]);
}

/// The project's own examples are in the canonical layout: `fmt --check examples/*.toml` passes.
#[test]
fn the_examples_are_formatted() {
    let files = toml_files(&root().join("examples"));
    assert!(files.len() >= 6, "examples went missing");
    let mut args = vec!["fmt", "--check"];
    args.extend(files.iter().map(|f| f.to_str().unwrap()));
    let output = aster_config(&args);
    assert_eq!(
        output.status.code(),
        Some(0),
        "run `aster-config fmt examples/*.toml`:\n{}",
        String::from_utf8_lossy(&output.stdout)
    );
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
