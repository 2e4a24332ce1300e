//! Every preset as a newcomer meets it: `aster-config init --preset NAME system.toml`, then
//! `aster-config check system.toml`, through the real binary. The output of both is a snapshot
//! (`tests/snapshots/presets/`), so a new warning on a preset's first check is a reviewed change.
//!
//! A preset either checks clean or carries a comment for each warning it expects; the server
//! preset must not be deployable as is (it has no real SSH key), so its check fails and says why.

mod common;

use common::{root, scrub};
use std::path::Path;
use std::process::Command;

/// The presets `init --preset` offers (its `--help` lists the same names; a test below checks).
const PRESETS: &[&str] = &["minimal", "server", "desktop", "container-host"];

fn run(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_aster-config"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .output()
        .expect("run aster-config");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code(), scrub(&text, &[(dir, "<dir>")]))
}

/// `init` then `check`, as one transcript.
fn first_check(preset: &str) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let (init_code, init) = run(dir.path(), &["init", "--preset", preset, "system.toml"]);
    assert_eq!(init_code, Some(0), "init --preset {preset}: {init}");
    let (code, check) = run(dir.path(), &["check", "--no-nixpkgs", "system.toml"]);
    let transcript = format!(
        "$ aster-config init --preset {preset} system.toml\n{init}\n$ aster-config check --no-nixpkgs system.toml\nexit: {}\n{check}",
        code.map_or("signal".to_owned(), |c| c.to_string())
    );
    (code, transcript)
}

/// Lines of the preset that are comments.
fn comments(preset: &str) -> String {
    let text = std::fs::read_to_string(root().join(format!("aster-config/presets/{preset}.toml")))
        .expect("read the preset");
    text.lines()
        .filter(|l| l.trim_start().starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Each warning code the check printed must be named in a comment of the preset.
fn warnings_are_explained(preset: &str, transcript: &str) {
    let comments = comments(preset);
    let mut lines = transcript.lines().peekable();
    while let Some(line) = lines.next() {
        let code = line.trim();
        let is_code = code.len() == 6 && code.starts_with("AC");
        let warning = lines
            .clone()
            .take(3)
            .any(|next| next.trim_start().starts_with('⚠'));
        if is_code && warning {
            assert!(
                comments.contains(code),
                "the {preset} preset warns with {code} on its first check but no comment in it explains that warning (name the code in the comment)"
            );
        }
    }
}

fn snapshot(name: &str, transcript: &str) {
    insta::with_settings!({
        snapshot_path => root().join("tests/snapshots/presets"),
        prepend_module_to_snapshot => false,
    }, {
        insta::assert_snapshot!(name, transcript);
    });
}

#[test]
fn minimal_preset_checks_clean() {
    let (code, transcript) = first_check("minimal");
    assert_eq!(code, Some(0), "{transcript}");
    warnings_are_explained("minimal", &transcript);
    snapshot("minimal", &transcript);
}

#[test]
fn container_host_preset_checks_clean() {
    let (code, transcript) = first_check("container-host");
    assert_eq!(code, Some(0), "{transcript}");
    warnings_are_explained("container-host", &transcript);
    snapshot("container-host", &transcript);
}

#[test]
fn desktop_preset_checks_clean() {
    let (code, transcript) = first_check("desktop");
    assert_eq!(code, Some(0), "{transcript}");
    warnings_are_explained("desktop", &transcript);
    snapshot("desktop", &transcript);
}

#[test]
fn server_preset_is_not_deployable_until_a_real_key_is_added() {
    let (code, transcript) = first_check("server");
    assert_eq!(
        code,
        Some(1),
        "the server preset must fail its check until the admin adds a real SSH key:\n{transcript}"
    );
    assert!(transcript.contains("ssh-keys"), "{transcript}");
    warnings_are_explained("server", &transcript);
    snapshot("server", &transcript);
}

#[test]
fn every_preset_of_init_is_tested_here() {
    let (_, help) = run(&root(), &["init", "--help"]);
    let section = help
        .split("--preset")
        .nth(1)
        .and_then(|rest| rest.split("[default:").next())
        .unwrap_or_default();
    let listed = section
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- "))
        .filter_map(|l| l.split(':').next())
        .map(str::trim)
        .collect::<Vec<_>>();
    assert_eq!(listed, PRESETS, "init --help lists:\n{help}");
    for preset in PRESETS {
        assert!(
            root()
                .join(format!("aster-config/presets/{preset}.toml"))
                .is_file()
        );
    }
}
