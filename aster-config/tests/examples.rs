//! Every example compiles without errors; every emitted file has a snapshot, parses with the real
//! `nix-instantiate --parse`, and is byte-identical across two builds.

mod common;

use aster_compiler::{Input, build};
use common::{nix_parse_failures, root, toml_files};

#[test]
fn examples_build_and_match_their_snapshots() {
    let examples = toml_files(&root().join("examples"));
    assert!(
        examples.len() >= 6,
        "expected at least six examples, found {}",
        examples.len()
    );
    let scratch = tempfile::tempdir().expect("temp dir");
    let mut written = Vec::new();
    for example in &examples {
        let stem = example.file_stem().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(example).unwrap();
        let input = Input {
            name: &format!("{stem}.toml"),
            bytes: &bytes,
            base_dir: example.parent(),
        };
        let first = build(input);
        let errors: Vec<_> = first
            .checked
            .diagnostics
            .iter()
            .filter(|d| d.severity == aster_compiler::Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{stem} has errors: {errors:#?}");
        let output = first.output.expect("output");
        assert_eq!(
            Some(&output),
            build(input).output.as_ref(),
            "{stem}: two builds differ"
        );
        for (path, bytes) in output.files() {
            let name = format!("{stem}__{}", path.replace('/', "__"));
            let text = String::from_utf8_lossy(bytes);
            insta::with_settings!({ snapshot_path => "../../tests/snapshots/examples", prepend_module_to_snapshot => false }, {
                insta::assert_snapshot!(name, text);
            });
        }
        let warnings: Vec<String> = first
            .checked
            .diagnostics
            .iter()
            .map(|d| format!("{} {}", d.code, d.message))
            .collect();
        insta::with_settings!({ snapshot_path => "../../tests/snapshots/examples", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(format!("{stem}__warnings"), warnings.join("\n"));
        });
        let dir = scratch.path().join(&stem);
        aster_compiler::output::write(&output, &dir).expect("write output");
        written.extend(output.nix_files().map(|(path, _)| dir.join(path)));
    }
    let failures = nix_parse_failures(&written);
    assert!(
        failures.is_empty(),
        "nix-instantiate --parse failed:\n{}",
        failures.join("\n")
    );
}

#[test]
fn full_trees_hold_the_distro_and_parse() {
    let scratch = tempfile::tempdir().expect("temp dir");
    let options = aster_compiler::Options {
        full: true,
        ..aster_compiler::Options::default()
    };
    let mut nix_files = Vec::new();
    for example in toml_files(&root().join("examples")) {
        let stem = example.file_stem().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(&example).unwrap();
        let input = Input {
            name: &format!("{stem}.toml"),
            bytes: &bytes,
            base_dir: example.parent(),
        };
        let output = aster_compiler::build_with(input, &options)
            .output
            .expect("full output");
        for required in [
            "configuration.nix",
            "aster_configuration.nix",
            "asterinas/overlays/default.nix",
        ] {
            assert!(
                output.files().contains_key(required),
                "{stem}: --full lacks {required}"
            );
        }
        let dir = scratch.path().join(&stem);
        aster_compiler::output::write(&output, &dir).expect("write");
        nix_files.extend(output.nix_files().map(|(path, _)| dir.join(path)));
        let listing: Vec<&str> = output.files().keys().map(String::as_str).collect();
        insta::with_settings!({ snapshot_path => "../../tests/snapshots/examples", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(format!("{stem}__full_tree"), listing.join("\n"));
        });
    }
    let failures = nix_parse_failures(&nix_files);
    assert!(
        failures.is_empty(),
        "nix-instantiate --parse failed:\n{}",
        failures.join("\n")
    );
}
