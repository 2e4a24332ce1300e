//! The rebuild step skipped on purpose, and what a `test` rebuild leaves, end to end: the real
//! binary against a temporary root with the recording `nixos-rebuild`
//! (tests/deploy/fake-nixos-rebuild.sh) first on PATH.
//!
//! - `apply --no-rebuild` installs the files and records the generation, never calls
//!   `nixos-rebuild`, and says so;
//! - a generation installed that way is never a target of a rollback that rebuilds (no system
//!   is pretended), only of one that puts files back (`--no-rebuild`);
//! - after a successful `test`, `apply` says that the next reboot undoes it, naming the folder
//!   the files really went to.

mod common;
#[path = "deploy/harness.rs"]
mod harness;

use harness::{Machine, compiled};

#[test]
fn apply_no_rebuild_installs_and_records_but_never_calls_nixos_rebuild() {
    let machine = Machine::installed();
    let spec = machine.spec("minimal.toml");
    let run = machine.apply(&spec, &["--no-rebuild"]);
    run.expect(0);
    assert_eq!(machine.log(), "", "nixos-rebuild was called");
    assert_eq!(machine.managed_files(), compiled(&spec));
    assert!(
        run.stderr.contains(
            "Done: generation 2 is installed and recorded; nixos-rebuild was not run, so nothing was built or activated."
        ),
        "{}",
        run.stderr
    );
    // Asked for: no note about a missing nixos-rebuild, and no warning about activation.
    assert!(
        !run.stderr.contains("is not installed here"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("changes this machine"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("Kept the files that were in place as generation 1."),
        "{}",
        run.stderr
    );
    let list = machine.at_root(&["generations"]);
    list.expect(0);
    assert!(list.stdout.contains("*2"), "{}", list.stdout);
    assert!(list.stdout.contains("not built"), "{}", list.stdout);
    assert!(
        machine
            .state()
            .join("generations/2/files/configuration.nix")
            .is_file()
    );
    assert_eq!(machine.log(), "", "nixos-rebuild was called");
}

#[test]
fn a_generation_never_built_is_no_target_for_a_rollback_that_rebuilds() {
    let machine = Machine::installed();
    let spec = machine.spec("minimal.toml");
    machine.apply(&spec, &["--no-rebuild"]).expect(0);
    let not_built = compiled(&spec);
    Machine::edit(&spec, "hostname = \"asterinas\"", "hostname = \"other\"");
    machine.apply(&spec, &[]).expect(0);
    assert_eq!(machine.rebuild_calls().len(), 1);
    // Generation 2 (the --no-rebuild one) was never built: `rollback 2` with a rebuild refuses
    // it and says how to put back just its files; the default passes over it to the files
    // that were found in place (generation 1).
    let default = machine.at_root(&["rollback", "--dry-run"]);
    default.expect(0);
    assert!(
        default.stdout.contains("Rolling back to generation 1."),
        "{}",
        default.stdout
    );
    let refused = machine.at_root(&["rollback", "2", "--yes"]);
    refused.expect(2);
    assert!(
        refused
            .stderr
            .contains("generation 2 is not built and cannot be rolled back to (its files were installed without a rebuild: `--no-rebuild` puts back just its files)"),
        "{}",
        refused.stderr
    );
    assert!(!refused.stderr.contains("note:"), "{}", refused.stderr);
    assert_eq!(machine.rebuild_calls().len(), 1);
    let files_only = machine.at_root(&["rollback", "2", "--yes", "--no-rebuild"]);
    files_only.expect(0);
    assert!(
        files_only
            .stderr
            .contains("Done: the files of generation 2 are back in"),
        "{}",
        files_only.stderr
    );
    assert_eq!(machine.managed_files(), not_built);
    assert_eq!(machine.rebuild_calls().len(), 1);
}

#[test]
fn a_successful_test_says_the_next_reboot_undoes_it_naming_the_real_folder() {
    let machine = Machine::installed();
    let spec = machine.spec("minimal.toml");
    let run = machine.apply(&spec, &[]);
    run.expect(0);
    let etc = machine.etc();
    assert!(
        run.stderr.contains(&format!(
            "Note: `test` activates the new system now but does not make it the boot default: the next reboot starts the previous system again (the files in {} stay as they are).",
            etc.display()
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("After a reboot, run the same `apply` again"),
        "{}",
        run.stderr
    );
    // Not after an action that is not `test`.
    Machine::edit(&spec, "hostname = \"asterinas\"", "hostname = \"other\"");
    let built = machine.apply(&spec, &["--action", "build"]);
    built.expect(0);
    assert!(!built.stderr.contains("Note: `test`"), "{}", built.stderr);
}
