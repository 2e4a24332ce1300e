//! `[imports]` modules travel whole: the files a module names by relative path (other modules,
//! a folder's `default.nix`, plain files it reads) are copied beside the module's copy in
//! `modules/`, so the built tree resolves every path as the source tree did. Checked on the
//! module fixtures by building them and reading the output; the real Nix parses every copy.

mod common;

use common::{aster_config, files_under, nix_parse_failures, root};
use std::path::{Path, PathBuf};

/// Builds `tests/fixtures/ok/<name>.toml` and returns the files of its `modules/` folder (a
/// listed module goes to `modules/<its file name>`, what it names keeps its place beside it).
fn build(name: &str) -> (tempfile::TempDir, Vec<String>) {
    let spec = root().join(format!("tests/fixtures/ok/{name}.toml"));
    let scratch = tempfile::tempdir().expect("tempdir");
    let out = scratch.path().join("out");
    let output = aster_config(&[
        "build",
        "--no-nixpkgs",
        spec.to_str().expect("utf-8"),
        "-o",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let modules = files_under(&out.join("modules"));
    let nix: Vec<PathBuf> = modules
        .iter()
        .filter(|f| Path::new(f).extension().is_some_and(|e| e == "nix"))
        .map(|f| out.join("modules").join(f))
        .collect();
    let failures = nix_parse_failures(&nix);
    assert!(failures.is_empty(), "{failures:?}");
    (scratch, modules)
}

#[test]
fn a_module_takes_the_files_it_imports_and_reads_along() {
    let (_scratch, modules) = build("checks-modules-travel");
    assert_eq!(modules, ["lib/motd", "lib/samba.nix", "main.nix"]);
}

#[test]
fn a_folder_in_imports_brings_its_default_nix() {
    let (scratch, modules) = build("checks-modules-folder");
    assert_eq!(modules, ["main.nix", "sub/default.nix"]);
    // The copy still says `./sub`, which Nix resolves to the copied default.nix.
    let main = std::fs::read_to_string(scratch.path().join("out/modules/main.nix"))
        .expect("main.nix copied");
    assert!(main.contains("imports = [ ./sub ];"), "{main}");
}
