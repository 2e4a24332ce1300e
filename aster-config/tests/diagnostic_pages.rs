//! Every diagnostic page (`docs/diagnostics/<CODE>.md`, also what `aster-config explain` prints)
//! shows "A spec that triggers it" and its "Fixed" version. This test runs both through the real
//! binary (`check --format json`): the first must report the page's code, the second must not.
//! A page whose example no longer triggers its code is wrong documentation, and this is where it
//! shows.
//!
//! Some pages describe circumstances around the spec — the bytes it was saved as, a patch or a
//! module beside it — and [`circumstances`] recreates exactly those. Pages of codes that are not
//! about a spec (the `AC05xx` fleet files and `AC06xx` imports, whose examples are fleet files or
//! Nix; `AC0001`, a bug with no spec to show) have their own tests beside those commands.

use aster_compiler::Code;
use std::path::Path;
use std::process::Command;

/// Pages that cannot be run here, with the reason. Each must still fail to run, so that a page
/// that starts working is taken off the list.
const NOT_RUN_HERE: &[(&str, &str)] = &[(
    "AC0412",
    "needs a real nixpkgs (`check --nixpkgs`); tests/nixpkgs.rs covers the code",
)];

/// The spec bytes of one example and the files to create beside it, as its page describes them.
fn circumstances(code: &str, trigger: bool, spec: &str, dir: &Path) -> Vec<u8> {
    let write = |relative: &str, bytes: &[u8]| {
        let path = dir.join(relative);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("create a folder");
        std::fs::write(path, bytes).expect("write a file the page names");
    };
    match (code, trigger) {
        // "this text saved as Latin-1": every character below U+0100 as one byte.
        ("AC0101", true) => spec
            .chars()
            .map(|c| u8::try_from(u32::from(c)).expect("Latin-1 text"))
            .collect(),
        // "a 40 MiB patch"; the fixed one is a few kilobytes.
        ("AC0103", _) => {
            write("patches/vendor-blobs.patch", &vec![b'+'; 40 * 1024 * 1024]);
            write("patches/fix-wallpaper.patch", b"--- a/x\n+++ b/x\n");
            spec.as_bytes().to_vec()
        }
        // The pages show `xxd` dumps of `[system]` with and without the mark.
        ("AC0105", true) => b"\xEF\xBB\xBF[system]\n".to_vec(),
        ("AC0105", false) => b"[system]\n".to_vec(),
        // "the patch at hosts/web/patches/fix-build.patch", beside the spec.
        ("AC0308", _) => {
            write("patches/fix-build.patch", b"--- a/x\n+++ b/x\n");
            spec.as_bytes().to_vec()
        }
        // "`broken.nix` containing `{ services.openssh.enable = true`", fixed in `extra.nix`.
        ("AC0330", _) => {
            write("broken.nix", b"{ services.openssh.enable = true\n");
            write("extra.nix", b"{ services.openssh.enable = true; }\n");
            spec.as_bytes().to_vec()
        }
        // "`extra.nix` containing `{ lib, ... }: { config = lib.mkIf true { … }; }`", fixed by
        // writing the option literally.
        ("AC0422", trigger) => {
            let module: &[u8] = if trigger {
                b"{ lib, ... }: { config = lib.mkIf true { services.samba.enable = true; }; }\n"
            } else {
                b"{ ... }: { services.samba.enable = true; }\n"
            };
            write("extra.nix", module);
            spec.as_bytes().to_vec()
        }
        _ => spec.as_bytes().to_vec(),
    }
}

/// The example blocks of a page: AC0105 shows its examples as `xxd` dumps.
fn examples(page: &str) -> Option<(&str, &str)> {
    let language = if page.contains("```toml") {
        "toml"
    } else {
        "text"
    };
    Some((
        block_after(page, "A spec that triggers it", language)?,
        block_after(page, "Fixed", language)?,
    ))
}

/// The fenced block in `language` that follows `label`.
fn block_after<'a>(page: &'a str, label: &str, language: &str) -> Option<&'a str> {
    let after = &page[page.find(label)?..];
    let fence = format!("```{language}\n");
    let start = after.find(&fence)? + fence.len();
    let end = after[start..].find("\n```")?;
    Some(&after[start..=start + end])
}

/// The codes `check --format json` reports for the example (written with its circumstances to a
/// fresh folder).
fn codes_reported(code: Code, trigger: bool, spec: &str) -> Vec<String> {
    let dir = tempfile::tempdir().expect("temp dir");
    let bytes = circumstances(code.as_str(), trigger, spec, dir.path());
    let path = dir.path().join("spec.toml");
    std::fs::write(&path, bytes).expect("write the example");
    let output = Command::new(env!("CARGO_BIN_EXE_aster-config"))
        .args(["check", "--no-nixpkgs", "--format", "json"])
        .arg(&path)
        .env("NO_COLOR", "1")
        .output()
        .expect("run aster-config check");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut codes = Vec::new();
    collect_codes(
        &serde_json::from_str(&stdout).unwrap_or_else(|e| {
            panic!(
                "check --format json printed no JSON ({e}):\n{stdout}\n{}",
                String::from_utf8_lossy(&output.stderr)
            )
        }),
        &mut codes,
    );
    codes
}

fn collect_codes(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            if let Some(code) = map.get("code").and_then(serde_json::Value::as_str) {
                out.push(code.to_owned());
            }
            map.values().for_each(|v| collect_codes(v, out));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_codes(v, out)),
        _ => {}
    }
}

/// `AC01xx`–`AC04xx` are about a spec (reading, shape, meaning, Asterinas); `AC0001` is a bug.
fn is_about_a_spec(code: Code) -> bool {
    let code = code.as_str();
    code != "AC0001"
        && ["AC01", "AC02", "AC03", "AC04"]
            .iter()
            .any(|p| code.starts_with(p))
}

#[test]
fn every_spec_page_example_triggers_its_code_and_its_fix_does_not() {
    let mut problems = Vec::new();
    let mut checked = 0;
    for &code in Code::ALL.iter().filter(|c| is_about_a_spec(**c)) {
        let skipped = NOT_RUN_HERE.iter().find(|(c, _)| *c == code.as_str());
        let verdict = run_page(code);
        match (verdict, skipped) {
            (Ok(()), None) => checked += 1,
            (Err(problem), None) => problems.push(problem),
            (Err(_), Some(_)) => {}
            (Ok(()), Some((_, why))) => problems.push(format!(
                "{code}: its examples work now; take it off NOT_RUN_HERE (it says: {why})"
            )),
        }
    }
    assert!(
        problems.is_empty(),
        "diagnostic pages whose examples do not do what they say:\n{}",
        problems.join("\n")
    );
    assert!(checked >= 40, "only {checked} pages were checked");
}

/// Runs one page's examples.
fn run_page(code: Code) -> Result<(), String> {
    let Some((trigger, fixed)) = examples(code.explanation()) else {
        return Err(format!(
            "{code}: the page lacks \"A spec that triggers it\" or \"Fixed\" with a fenced example"
        ));
    };
    let reported = codes_reported(code, true, trigger);
    if !reported.iter().any(|c| c == code.as_str()) {
        return Err(format!(
            "{code}: the example that should trigger it reports {reported:?}"
        ));
    }
    let reported = codes_reported(code, false, fixed);
    if reported.iter().any(|c| c == code.as_str()) {
        return Err(format!("{code}: the fixed example still reports it"));
    }
    Ok(())
}
