//! A plaintext password in a spec is refused everywhere without being repeated: an editor that
//! validates with the JSON Schema says the key is not allowed (the schema used to make Taplo say
//! `{} is not allowed for "hunter2"`), and aster-config's own check explains what to do instead.
//!
//! The independent validator is check-jsonschema (the test command installs it; outside CI a
//! missing one skips with a note, in CI it fails). Taplo 0.9 (`npx @taplo/cli check --schema …`)
//! gives the same message: "Additional properties are not allowed ('password' was unexpected)".

#![allow(clippy::print_stderr)]

mod common;

use common::{json_schema_validator as validator, root};
use std::process::Command;

const SECRET: &str = "hunter2-Correct-Horse";

fn spec_with(key: &str) -> String {
    format!("[system]\nhostname = \"box\"\n\n[users.alice]\n{key} = \"{SECRET}\"\n")
}

#[test]
fn the_schema_refuses_a_plaintext_password_without_repeating_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    for key in ["password", "initial-password"] {
        let Some(mut validate) = validator() else {
            return;
        };
        let spec = dir.path().join(format!("{key}.toml"));
        std::fs::write(&spec, spec_with(key)).expect("write spec");
        let output = validate
            .arg("--schemafile")
            .arg(root().join("schema/aster-config.schema.json"))
            .arg(&spec)
            .output()
            .expect("run check-jsonschema");
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(!output.status.success(), "{key} passed validation:\n{said}");
        assert!(
            !said.contains(SECRET),
            "the validator repeats the password:\n{said}"
        );
        assert!(
            said.contains(&format!("'{key}' was unexpected")),
            "the validator does not name the key:\n{said}"
        );
    }
}

#[test]
fn check_explains_the_refusal_and_names_the_passwd_helper() {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = dir.path().join("system.toml");
    std::fs::write(&spec, spec_with("password")).expect("write spec");
    let output = Command::new(env!("CARGO_BIN_EXE_aster-config"))
        .args(["check", "--no-nixpkgs", "--format", "json"])
        .arg(&spec)
        .output()
        .expect("run check");
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("a JSON report");
    let text = report.to_string();
    assert!(text.contains("AC0304"), "{text}");
    assert!(text.contains("sudo aster-config passwd alice"), "{text}");
    assert!(text.contains("hashed-password-file"), "{text}");
    // The shape check lets the key through to that explanation: no "unknown key" on top.
    assert!(!text.contains("AC0201"), "{text}");
}
