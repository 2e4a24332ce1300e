//! Single-spec reproducibility through the real binary: `aster-config lock SPEC` pins nixpkgs in
//! `<spec>.lock` (the real `nix-prefetch-url` into a private store, against the local stand-in
//! tarball of tests/fleet/harness.rs), `build` writes the pin as `nixpkgs.nix` (the same bytes
//! every time, parsed and evaluated by the real Nix), `apply` hands `nixos-rebuild` exactly the
//! locked nixpkgs (the recording stand-in of tests/deploy/harness.rs logs the arguments) and the
//! generation records it with the built system; a stale lock, a lock whose hash does not match
//! its tarball, and `--locked` without a lock stop everything before anything changes. Also the
//! examples of the `AC0513` and `AC0514` pages. `check` looks package names up in the locked
//! tree when the store has it.

mod common;
#[path = "deploy/harness.rs"]
mod deploy_harness;
#[path = "fleet/harness.rs"]
mod fleet_harness;

use deploy_harness::{Machine, Run};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A machine whose spec folder holds the examples, with the stand-in tarball and a private store.
struct Setup {
    machine: Machine,
    url: String,
    store: PathBuf,
    spec: PathBuf,
}

impl Setup {
    fn new() -> Self {
        let machine = Machine::installed();
        let url = fleet_harness::standin_tarball(&machine.base);
        let store = machine.base.join("store");
        let spec = machine.spec("minimal.toml");
        Setup {
            machine,
            url,
            store,
            spec,
        }
    }

    /// Runs the binary with the private store.
    fn run(&self, args: &[&str]) -> Run {
        self.machine
            .run_env(args, &[("NIX_REMOTE", self.store.to_str().unwrap())])
    }

    fn spec_arg(&self) -> &str {
        self.spec.to_str().unwrap()
    }

    fn lock_file(&self) -> PathBuf {
        self.spec.with_file_name("minimal.lock")
    }

    /// `lock SPEC --nixpkgs <stand-in>`; panics when it fails.
    fn lock(&self) {
        self.run(&["lock", self.spec_arg(), "--nixpkgs", &self.url])
            .expect(0);
    }

    /// `apply SPEC --root ROOT --yes` plus `extra`, with the private store.
    fn apply(&self, extra: &[&str]) -> Run {
        let root = self.machine.root.to_str().unwrap();
        let mut args = vec!["apply", self.spec_arg(), "--root", root, "--yes"];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    /// What the real `nix-prefetch-url` says the locked tarball's store path is.
    fn store_path(&self) -> String {
        let output = Command::new("nix-prefetch-url")
            .args(["--unpack", "--print-path", "--name", "source", &self.url])
            .env("NIX_REMOTE", &self.store)
            .output()
            .expect("nix-prefetch-url is needed (apt-get install nix-bin)");
        assert!(output.status.success());
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .nth(1)
            .expect("a path")
            .to_owned()
    }

    /// The temporary folder and the distro tree's hash (which changes with the distro, not
    /// with the lock) replaced by placeholders.
    fn scrub(&self, text: &str) -> String {
        text.replace(&self.machine.base.display().to_string(), "<base>")
            .replace(&aster_fleet::lock::distro_hash(), "<distro tree hash>")
    }
}

fn snapshot(name: &str, text: &str) {
    insta::with_settings!({ snapshot_path => "../../tests/snapshots/lock", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, text);
    });
}

#[test]
fn a_spec_is_locked_and_built_with_the_pin_the_same_bytes_every_time() {
    let setup = Setup::new();
    let first = setup.run(&["lock", setup.spec_arg()]);
    first.expect(2);
    assert!(first.stderr.contains("--nixpkgs URL"), "{}", first.stderr);
    setup.lock();
    let lock = std::fs::read_to_string(setup.lock_file()).expect("the lock");
    snapshot("minimal.lock", &setup.scrub(&lock));
    // Locking again without --nixpkgs takes the URL from the lock: the same bytes.
    setup.run(&["lock", setup.spec_arg()]).expect(0);
    assert_eq!(std::fs::read_to_string(setup.lock_file()).unwrap(), lock);
    let outs: Vec<PathBuf> = ["out1", "out2"]
        .iter()
        .map(|o| setup.machine.base.join(o))
        .collect();
    for out in &outs {
        setup
            .run(&["build", setup.spec_arg(), "-o", out.to_str().unwrap()])
            .expect(0);
    }
    let pin = std::fs::read_to_string(outs[0].join("nixpkgs.nix")).expect("nixpkgs.nix");
    for name in [
        "nixpkgs.nix",
        "configuration.nix",
        ".aster-config-manifest.json",
    ] {
        assert_eq!(
            std::fs::read(outs[0].join(name)).unwrap(),
            std::fs::read(outs[1].join(name)).unwrap(),
            "{name} differs between two builds"
        );
    }
    snapshot("minimal__nixpkgs.nix", &setup.scrub(&pin));
    let parsed = nix_instantiate(&setup, &["--parse"], &outs[0].join("nixpkgs.nix"));
    assert!(parsed.starts_with("((builtins).fetchTarball"), "{parsed}");
    // Evaluated, it is the same store path that nix-prefetch-url reports for the tarball.
    let evaluated = nix_instantiate(&setup, &["--eval", "--json"], &outs[0].join("nixpkgs.nix"));
    assert_eq!(
        evaluated.trim(),
        format!("\"{}\"", setup.store_path()),
        "fetchTarball and the lock disagree"
    );

    // configuration.nix puts the pinned tree first on the machine's NIX_PATH, so a plain
    // nixos-rebuild or nix-build there uses it too: evaluated with the real lib, the option's
    // definition is `lib.mkBefore [ "nixpkgs=<the locked store path>" ]`.
    let lib = fleet_harness::nixpkgs_lib();
    let probe = outs[0].join("nix-path-probe.nix");
    std::fs::write(
        &probe,
        format!(
            "let lib = import {}; in (import ./configuration.nix {{ config = {{ }}; inherit lib; pkgs = {{ }}; }}).nix.nixPath",
            lib.display()
        ),
    )
    .unwrap();
    let nix_path = nix_instantiate(&setup, &["--eval", "--strict", "--json"], &probe);
    let nix_path: serde_json::Value = serde_json::from_str(&nix_path).unwrap();
    assert_eq!(nix_path["_type"], "order", "{nix_path}");
    assert_eq!(
        nix_path["content"],
        serde_json::json!([format!("nixpkgs={}", setup.store_path())]),
        "{nix_path}"
    );
    assert!(
        nix_path["priority"].as_i64().is_some_and(|p| p < 1000),
        "{nix_path}"
    );
}

#[test]
fn package_names_are_checked_against_the_locked_nixpkgs_when_the_store_has_it() {
    let setup = Setup::new();
    setup.lock();
    // The stand-in has `vim` (minimal.toml installs it) but no `emacs`.
    let spec = std::fs::read_to_string(&setup.spec).expect("spec");
    assert!(
        spec.contains("\"vim\""),
        "minimal.toml no longer installs vim"
    );
    setup.run(&["check", setup.spec_arg()]).expect(0);
    std::fs::write(&setup.spec, spec.replace("\"vim\"", "\"emacs\"")).expect("write");
    let missing = setup.run(&["check", setup.spec_arg()]);
    missing.expect(1);
    assert!(
        missing.stderr.contains("AC0412") && missing.stderr.contains("`emacs`"),
        "{}",
        missing.stderr
    );
    // --nixpkgs still wins over the lock.
    setup
        .run(&["check", setup.spec_arg(), "--no-nixpkgs"])
        .expect(0);
    // With a store that lacks the locked tree, nothing is fetched: the run says why names were
    // not checked.
    let elsewhere = setup.machine.base.join("other-store");
    let run = setup.machine.run_env(
        &["check", setup.spec_arg()],
        &[("NIX_REMOTE", elsewhere.to_str().unwrap())],
    );
    run.expect(0);
    assert!(
        run.stderr.contains("the locked nixpkgs file://")
            && run.stderr.contains("is not in the Nix store yet"),
        "{}",
        run.stderr
    );
    assert!(!elsewhere.exists(), "check wrote a store");
}

fn nix_instantiate(setup: &Setup, args: &[&str], file: &Path) -> String {
    let mut all: Vec<&dyn AsRef<std::ffi::OsStr>> = args.iter().map(|a| a as _).collect();
    all.push(&file);
    common::nix_instantiate(&setup.store, &all)
}

#[test]
fn apply_builds_from_exactly_the_locked_nixpkgs_and_records_it() {
    let setup = Setup::new();
    setup.lock();
    let store_path = setup.store_path();
    let configuration = setup.machine.etc().join("configuration.nix");
    let expected = format!(
        "test -I nixos-config={} -I nixpkgs={store_path}",
        configuration.display()
    );
    let dry = setup.apply(&["--dry-run"]);
    dry.expect(0);
    assert!(dry.stdout.contains(&expected), "{}", dry.stdout);
    assert!(dry.stdout.contains("+ nixpkgs.nix"), "{}", dry.stdout);
    assert!(setup.machine.rebuild_calls().is_empty());
    let run = setup.apply(&[]);
    run.expect(0);
    assert!(
        run.stderr.contains("Fetching the locked nixpkgs"),
        "{}",
        run.stderr
    );
    assert_eq!(setup.machine.rebuild_calls(), [expected]);
    // The pin is installed with the other managed files, so a new pin is a new generation.
    let installed = std::fs::read_to_string(setup.machine.etc().join("nixpkgs.nix")).unwrap();
    assert!(installed.contains(&setup.url), "{installed}");
    // The generation records the nixpkgs and the system the rebuild left in run/current-system.
    let system = std::fs::read_link(setup.machine.root.join("run/current-system"))
        .expect("the fake rebuild links the system");
    let system = system.to_string_lossy().into_owned();
    let manifest: serde_json::Value = serde_json::from_slice(
        &std::fs::read(setup.machine.state().join("generations/2/manifest.json")).unwrap(),
    )
    .unwrap();
    let rebuild = &manifest["rebuilds"][0];
    assert_eq!(rebuild["nixpkgs"]["url"], setup.url.as_str());
    assert_eq!(rebuild["nixpkgs"]["store-path"], store_path.as_str());
    let lock = std::fs::read_to_string(setup.lock_file()).unwrap();
    let sha256 = rebuild["nixpkgs"]["sha256"].as_str().unwrap();
    assert!(lock.contains(sha256), "{lock}");
    assert_eq!(rebuild["system"], system.as_str());
    let listing = setup.machine.at_root(&["generations"]);
    listing.expect(0);
    assert!(
        listing.stdout.contains(&format!(
            "nixpkgs {} (sha256 {sha256}), system {system}",
            setup.url
        )),
        "{}",
        listing.stdout
    );
    let json = setup.machine.at_root(&["generations", "--format", "json"]);
    let items: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(items[1]["system"], system.as_str());
    assert_eq!(items[1]["nixpkgs"]["sha256"], sha256);
    // The same spec and lock again: nothing to do.
    let again = setup.apply(&[]);
    again.expect(0);
    assert!(again.stdout.contains("Nothing to do"), "{}", again.stdout);
    assert_eq!(setup.machine.rebuild_calls().len(), 1);
}

#[test]
fn rollback_rebuilds_a_generation_from_the_nixpkgs_it_was_built_from() {
    let setup = Setup::new();
    setup.lock();
    setup.apply(&[]).expect(0);
    let pinned = setup.machine.rebuild_calls()[0].clone();
    // The lock goes away: the next apply builds from the machine's <nixpkgs> again.
    std::fs::remove_file(setup.lock_file()).unwrap();
    Machine::edit(&setup.spec, "[system]", "[system]\ntimezone = \"UTC\"");
    setup.apply(&[]).expect(0);
    assert!(!setup.machine.rebuild_calls()[1].contains("nixpkgs="));
    let root = setup.machine.root.to_str().unwrap();
    setup
        .run(&["rollback", "2", "--root", root, "--yes"])
        .expect(0);
    assert_eq!(setup.machine.rebuild_calls()[2], pinned);
}

#[test]
fn a_boot_records_the_system_profile_it_made_the_default() {
    let setup = Setup::new();
    setup.lock();
    setup.apply(&["--action", "boot"]).expect(0);
    let profile = setup.machine.root.join("nix/var/nix/profiles");
    let system = std::fs::read_link(profile.join("system-1-link")).unwrap();
    let manifest: serde_json::Value = serde_json::from_slice(
        &std::fs::read(setup.machine.state().join("generations/2/manifest.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        manifest["rebuilds"][0]["system"],
        system.to_string_lossy().as_ref()
    );
}

#[test]
fn a_stale_lock_stops_build_plan_and_apply_before_anything_changes() {
    let setup = Setup::new();
    setup.lock();
    let lock = setup.lock_file();
    let text = std::fs::read_to_string(&lock).unwrap();
    let distro = text
        .lines()
        .find(|l| l.starts_with("distro = "))
        .unwrap()
        .to_owned();
    std::fs::write(
        &lock,
        text.replace(&distro, &format!("distro = \"{}\"", "0".repeat(64))),
    )
    .unwrap();
    let before = setup.machine.root_hash();
    let out = setup.machine.base.join("out");
    let build = setup.run(&["build", setup.spec_arg(), "-o", out.to_str().unwrap()]);
    build.expect(1);
    assert!(build.stderr.contains("AC0514"), "{}", build.stderr);
    assert!(
        build.stderr.contains("another distro tree"),
        "{}",
        build.stderr
    );
    assert!(!out.exists());
    let root = setup.machine.root.to_str().unwrap();
    let plan = setup.run(&["plan", setup.spec_arg(), "--root", root]);
    plan.expect(1);
    assert!(plan.stderr.contains("AC0514"), "{}", plan.stderr);
    let apply = setup.apply(&[]);
    apply.expect(1);
    assert!(apply.stderr.contains("AC0514"), "{}", apply.stderr);
    snapshot("stale-apply", &setup.scrub(&apply.stderr));
    assert_eq!(setup.machine.root_hash(), before);
    assert!(setup.machine.rebuild_calls().is_empty());
}

#[test]
fn a_lock_whose_hash_is_not_its_tarballs_stops_apply_before_anything_changes() {
    let setup = Setup::new();
    setup.lock();
    // Another hash, consistent in both forms (SHA-256 of "hello"): the lock reads as current,
    // but nix-prefetch-url finds that the tarball has another one.
    let lock = setup.lock_file();
    let text: String = std::fs::read_to_string(&lock)
        .unwrap()
        .lines()
        .map(|l| {
            if l.starts_with("sha256 = ") {
                "sha256 = \"094qif9n4cq4fdg459qzbhg1c6wywawwaaivx0k0x8xhbyx4vwic\"\n".to_owned()
            } else if l.starts_with("nar-hash = ") {
                "nar-hash = \"sha256-LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=\"\n".to_owned()
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    std::fs::write(&lock, text).unwrap();
    let before = setup.machine.root_hash();
    let apply = setup.apply(&[]);
    apply.expect(2);
    assert!(apply.stderr.contains("hash mismatch"), "{}", apply.stderr);
    assert!(
        apply.stderr.contains("Nothing was changed"),
        "{}",
        apply.stderr
    );
    assert_eq!(setup.machine.root_hash(), before);
    assert!(setup.machine.rebuild_calls().is_empty());
}

#[test]
fn locked_without_a_lock_is_refused_and_without_locked_nothing_changes() {
    let setup = Setup::new();
    let out = setup.machine.base.join("out");
    let out_arg = out.to_str().unwrap();
    let build = setup.run(&["build", "--locked", setup.spec_arg(), "-o", out_arg]);
    build.expect(1);
    assert!(build.stderr.contains("AC0513"), "{}", build.stderr);
    assert!(!out.exists());
    let before = setup.machine.root_hash();
    let apply = setup.apply(&["--locked"]);
    apply.expect(1);
    assert!(apply.stderr.contains("AC0513"), "{}", apply.stderr);
    assert_eq!(setup.machine.root_hash(), before);
    // Without a lock and without --locked: as before, no pin anywhere.
    setup
        .run(&["build", setup.spec_arg(), "-o", out_arg])
        .expect(0);
    assert!(!out.join("nixpkgs.nix").exists());
    setup.apply(&[]).expect(0);
    let calls = setup.machine.rebuild_calls();
    assert_eq!(calls.len(), 1);
    assert!(!calls[0].contains("nixpkgs="), "{}", calls[0]);
}

#[test]
fn lock_tells_fleet_files_from_specs() {
    let setup = Setup::new();
    let fleet = setup.machine.base.join("fleet.toml");
    std::fs::write(
        &fleet,
        format!(
            "fleet-version = 1\n[pins]\nnixpkgs = \"{}\"\n[[host]]\nname = \"a\"\n",
            setup.url
        ),
    )
    .unwrap();
    let refused = setup.run(&["lock", fleet.to_str().unwrap(), "--nixpkgs", &setup.url]);
    refused.expect(2);
    assert!(
        refused.stderr.contains("is a fleet file"),
        "{}",
        refused.stderr
    );
    let bad = setup.run(&[
        "lock",
        setup.spec_arg(),
        "--nixpkgs",
        "http://example.org/n",
    ]);
    bad.expect(2);
    assert!(!setup.lock_file().exists());
}

/// The fenced TOML blocks of a page: the first is the spec; AC0514's second is the lock beside it.
fn blocks(page: &str) -> Vec<&str> {
    page.split("```toml\n")
        .skip(1)
        .filter_map(|b| b.split("```").next())
        .collect()
}

#[test]
fn the_examples_of_the_spec_lock_pages_report_their_codes() {
    for (code, args) in [
        (
            aster_compiler::Code::SpecMissingLock,
            vec!["build", "--locked"],
        ),
        (aster_compiler::Code::SpecStaleLock, vec!["build"]),
    ] {
        let page = code.explanation();
        let examples = blocks(page);
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("system.toml"), examples[0]).unwrap();
        if let Some(lock) = examples.get(1) {
            std::fs::write(dir.path().join("system.lock"), lock).unwrap();
        }
        let output = Command::new(env!("CARGO_BIN_EXE_aster-config"))
            .args(&args)
            .args(["system.toml", "-o", "out"])
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{code}: {stderr}");
        assert!(stderr.contains(code.as_str()), "{code}: {stderr}");
        assert!(!dir.path().join("out").exists());
    }
}
