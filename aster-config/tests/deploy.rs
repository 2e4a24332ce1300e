//! `plan`, `apply`, `rollback` and `generations`, end to end: the real binary against a temporary
//! root, with a recording `nixos-rebuild` (tests/deploy/fake-nixos-rebuild.sh) first on PATH.
//!
//! Crash safety is tested by stopping the binary at each step with the test-only
//! `ASTER_CONFIG_FAULT=<point>` (it aborts there, like `kill -9`), then checking that the managed
//! files are the old or the new ones and that the next run reports and recovers the leftovers.
//!
//! `apply --no-rebuild` installs and records a generation without calling `nixos-rebuild`; such
//! a generation is a target only of a rollback that puts files back; after a successful `test`,
//! `apply` says the next reboot undoes it, naming the folder the files really went to.

mod common;
#[path = "deploy/crash.rs"]
mod crash;
#[path = "deploy/harness.rs"]
mod harness;

use harness::{Machine, compiled, wait_for};
use std::fs;
use std::os::unix::fs::MetadataExt as _;
use std::path::Path;

/// The lines of the plan's list of managed files.
fn file_list(stdout: &str) -> Vec<&str> {
    stdout
        .lines()
        .filter(|l| {
            ["  + ", "  ~ ", "  - ", "  = "]
                .iter()
                .any(|m| l.starts_with(m))
        })
        .collect()
}

/// The plan's text up to the first diff, with the temporary root replaced by `[ROOT]`.
fn summary(machine: &Machine, stdout: &str) -> String {
    let head = stdout.split("\n--- ").next().unwrap_or(stdout);
    head.replace(&machine.root.display().to_string(), "[ROOT]")
}

fn snapshot(name: &str, text: &str) {
    insta::with_settings!({
        snapshot_path => "../../tests/snapshots/deploy",
        prepend_module_to_snapshot => false,
    }, {
        insta::assert_snapshot!(name, text);
    });
}

#[test]
fn first_apply_on_an_empty_root_installs_and_rebuilds() {
    let machine = Machine::empty();
    let spec = machine.spec("minimal.toml");
    let run = machine.apply(&spec, &[]);
    run.expect(0);
    assert!(
        run.stdout.contains("aster_configuration.nix is missing"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr
            .contains("warning: `nixos-rebuild test` changes this machine"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("Done: generation 1 is installed"),
        "{}",
        run.stderr
    );
    assert_eq!(machine.managed_files(), compiled(&spec));
    let configuration = machine.etc().join("configuration.nix");
    assert_eq!(
        machine.rebuild_calls(),
        [format!("test -I nixos-config={}", configuration.display())]
    );
    // The rebuild ran after the swap: it saw the new configuration.nix.
    let new_hash = aster_compiler::sha256_hex(&compiled(&spec)["configuration.nix"]);
    assert!(
        machine
            .log()
            .contains(&format!("saw configuration.nix {new_hash}"))
    );
    let list = machine.at_root(&["generations"]);
    list.expect(0);
    assert!(list.stdout.contains("*1"), "{}", list.stdout);
    assert!(list.stdout.contains("applied (test)"), "{}", list.stdout);
    // Without a lock no nixpkgs is recorded, but the system the rebuild left in
    // run/current-system is.
    let system = fs::read_link(machine.root.join("run/current-system")).unwrap();
    assert!(
        list.stdout
            .contains(&format!("     system {}", system.display())),
        "{}",
        list.stdout
    );
    assert!(!list.stdout.contains("nixpkgs"), "{}", list.stdout);
    assert!(
        machine
            .state()
            .join("generations/1/manifest.json")
            .is_file()
    );
    assert!(
        machine
            .state()
            .join("generations/1/files/configuration.nix")
            .is_file()
    );
    assert!(!machine.state().join("transaction.json").exists());
    assert_eq!(
        fs::read_to_string(machine.state().join("lock")).unwrap(),
        ""
    );
}

#[test]
fn a_second_apply_of_the_same_spec_does_nothing() {
    let machine = Machine::installed();
    let spec = machine.spec("minimal.toml");
    machine.apply(&spec, &[]).expect(0);
    let before = machine.root_hash();
    let again = machine.apply(&spec, &[]);
    again.expect(0);
    assert!(again.stdout.contains("Nothing to do"), "{}", again.stdout);
    assert_eq!(machine.rebuild_calls().len(), 1);
    assert_eq!(machine.root_hash(), before);
    // A different action on the same files rebuilds without recording a new generation.
    let build = machine.apply(&spec, &["--action", "build"]);
    build.expect(0);
    assert!(
        build.stdout.contains("only the rebuild runs"),
        "{}",
        build.stdout
    );
    assert_eq!(machine.rebuild_calls().len(), 2);
    assert!(machine.rebuild_calls()[1].starts_with("build -I nixos-config="));
    assert!(!machine.state().join("generations/3").exists());
}

#[test]
fn the_installers_files_are_kept_and_hardware_configuration_is_never_touched() {
    let machine = Machine::installed();
    let hardware = machine.etc().join("hardware-configuration.nix");
    let hardware_bytes = fs::read(&hardware).unwrap();
    let hardware_meta = fs::metadata(&hardware).unwrap();
    let installer = fs::read(machine.etc().join("configuration.nix")).unwrap();
    let spec = machine.spec("with-override.toml");
    let plan = machine.at_root(&["plan", spec.to_str().unwrap()]);
    plan.expect(0);
    assert!(
        plan.stdout
            .contains("~ configuration.nix (changed; replaces a file aster-config did not write")
    );
    let run = machine.apply(&spec, &[]);
    run.expect(0);
    assert!(
        run.stderr
            .contains("Kept the files that were in place as generation 1"),
        "{}",
        run.stderr
    );
    // Remove the override and the module: their files go, the machine's files stay.
    fs::write(machine.etc().join("modules-keep.nix"), "{ }\n").unwrap();
    fs::create_dir_all(machine.etc().join("overlays")).unwrap();
    fs::write(
        machine.etc().join("overlays/mine.nix"),
        "self: super: { }\n",
    )
    .unwrap();
    let text = fs::read_to_string(&spec).unwrap();
    let trimmed = text
        .split("[overrides.xfdesktop]")
        .next()
        .unwrap()
        .to_owned()
        + "[nixos]\n\"services.xserver.xkb.layout\" = \"de\"\n";
    fs::write(&spec, trimmed).unwrap();
    let plan = machine.at_root(&["plan", spec.to_str().unwrap()]);
    plan.expect(0);
    for removed in [
        "overlays/xfdesktop.nix",
        "modules/extra.nix",
        "patches/xfdesktop/0001-fix-monitor-ids.patch",
    ] {
        assert!(
            plan.stdout.contains(&format!("- {removed} (removed)")),
            "{}",
            plan.stdout
        );
    }
    let listed = file_list(&plan.stdout);
    assert_eq!(listed.len(), 4, "{listed:?}");
    for foreign in [
        "hardware-configuration.nix",
        "aster_configuration.nix",
        "overlays/mine.nix",
        "modules-keep.nix",
        "asterinas/",
    ] {
        assert!(
            !listed.iter().any(|l| l.contains(foreign)),
            "{foreign} shown in the plan:\n{}",
            plan.stdout
        );
        assert!(
            !plan.stdout.contains(&format!("--- a/{foreign}")),
            "{foreign} diffed:\n{}",
            plan.stdout
        );
    }
    machine.apply(&spec, &[]).expect(0);
    assert!(
        !machine.etc().join("modules").exists(),
        "the emptied modules/ folder stays"
    );
    assert!(!machine.etc().join("patches").exists());
    assert!(
        machine.etc().join("overlays/mine.nix").is_file(),
        "a foreign file in overlays/ was removed"
    );
    assert!(machine.etc().join("modules-keep.nix").is_file());
    // Back to the installer's own configuration.nix.
    machine.at_root(&["rollback", "1", "--yes"]).expect(0);
    assert_eq!(
        fs::read(machine.etc().join("configuration.nix")).unwrap(),
        installer
    );
    assert!(!machine.etc().join("overlays/xfdesktop.nix").exists());
    let after = fs::metadata(&hardware).unwrap();
    assert_eq!(fs::read(&hardware).unwrap(), hardware_bytes);
    assert_eq!(
        (after.ino(), after.mtime(), after.mtime_nsec()),
        (
            hardware_meta.ino(),
            hardware_meta.mtime(),
            hardware_meta.mtime_nsec()
        )
    );
}

#[test]
fn change_then_rollback_then_rollback_of_the_system_generation() {
    let machine = Machine::installed();
    let spec = machine.spec("web-server.toml");
    machine.apply(&spec, &[]).expect(0);
    let first = compiled(&spec);
    Machine::edit(&spec, "hostname = \"web-01\"", "hostname = \"web-02\"");
    let second = compiled(&spec);
    let run = machine.apply(&spec, &[]);
    run.expect(0);
    assert!(
        run.stdout.contains("system.hostname: web-01 → web-02"),
        "{}",
        run.stdout
    );
    assert_eq!(machine.managed_files(), second);
    let list = machine.at_root(&["generations"]);
    assert!(list.stdout.contains("*3"), "{}", list.stdout);
    let back = machine.at_root(&["rollback", "--yes"]);
    back.expect(0);
    assert!(
        back.stdout.contains("Rolling back to generation 2"),
        "{}",
        back.stdout
    );
    assert_eq!(machine.managed_files(), first);
    let calls = machine.rebuild_calls();
    assert_eq!(calls.len(), 3);
    assert!(!calls[2].contains("--rollback"));
    // The files already match generation 2: nixos-rebuild --rollback instead of a build.
    let again = machine.at_root(&["rollback", "2", "--yes"]);
    again.expect(0);
    assert!(
        again.stdout.contains("already match generation 2"),
        "{}",
        again.stdout
    );
    assert!(
        machine.rebuild_calls()[3].ends_with("--rollback"),
        "{:?}",
        machine.rebuild_calls()
    );
    assert_eq!(machine.managed_files(), first);
    let list = machine.at_root(&["generations"]);
    assert!(list.stdout.contains("*2"), "{}", list.stdout);
    assert!(
        list.stdout.contains("applied (test --rollback)"),
        "{}",
        list.stdout
    );
}

#[test]
fn a_failing_rebuild_puts_the_previous_files_back_and_shows_its_error() {
    let machine = Machine::installed();
    let spec = machine.spec("minimal.toml");
    machine.apply(&spec, &[]).expect(0);
    let old = machine.managed_files();
    Machine::edit(&spec, "\"vim\"", "\"vim\", \"git\"");
    let new = compiled(&spec);
    machine.rebuild_exits(1);
    let run = machine.apply(&spec, &[]);
    run.expect(4);
    assert!(
        run.stderr
            .contains("error: `nixos-rebuild test` failed (exit status 1)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("Put back the files of generation 2; generation 3 is recorded as failed."),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "What nixos-rebuild reported:\n  | building the system configuration...\n  | error:\n"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("  |        error: attribute 'hello-asterinas' missing"),
        "{}",
        run.stderr
    );
    assert_eq!(machine.managed_files(), old);
    // The failed rebuild had seen the new files.
    let new_hash = aster_compiler::sha256_hex(&new["configuration.nix"]);
    assert!(
        machine
            .log()
            .contains(&format!("saw configuration.nix {new_hash}"))
    );
    let list = machine.at_root(&["generations"]);
    assert!(list.stdout.contains("failed (test)"), "{}", list.stdout);
    assert!(list.stdout.contains("*2"), "{}", list.stdout);
    // A failure on the very first apply leaves no managed file behind.
    let empty = Machine::empty();
    let spec = empty.spec("minimal.toml");
    empty.rebuild_exits(1);
    empty.apply(&spec, &[]).expect(4);
    assert!(
        empty.managed_files().is_empty(),
        "{:?}",
        empty.managed_files().keys()
    );
}

#[test]
fn a_held_lock_refuses_a_second_apply_and_touches_nothing() {
    let machine = Machine::installed();
    let spec = machine.spec("minimal.toml");
    fs::create_dir_all(machine.state()).unwrap();
    let lock = fs::File::create(machine.state().join("lock")).unwrap();
    lock.lock().unwrap();
    let before = machine.root_hash();
    let run = machine.apply(&spec, &[]);
    run.expect(2);
    assert!(
        run.stderr
            .contains("another aster-config run holds the lock"),
        "{}",
        run.stderr
    );
    assert_eq!(machine.root_hash(), before);
    assert!(machine.rebuild_calls().is_empty());
    drop(lock);
    machine.apply(&spec, &[]).expect(0);
}

#[test]
fn two_applies_at_once_the_second_is_refused_with_the_first_ones_pid() {
    let machine = Machine::installed();
    let spec = machine.spec("minimal.toml");
    machine.rebuild_sleeps(2);
    let root = machine.root.to_str().unwrap().to_owned();
    let mut first = machine
        .command(
            &["apply", spec.to_str().unwrap(), "--root", &root, "--yes"],
            &[],
        )
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    wait_for(|| machine.log().contains("args:"));
    let second = machine.apply(&spec, &["--action", "build"]);
    second.expect(2);
    assert!(
        second
            .stderr
            .contains(&format!("pid {}, `aster-config apply`", first.id())),
        "{}",
        second.stderr
    );
    assert!(first.wait().unwrap().success());
    assert_eq!(machine.rebuild_calls().len(), 1);
}

#[test]
fn a_dead_owner_in_the_lock_is_reported_as_stale_and_taken_over() {
    let machine = Machine::installed();
    let spec = machine.spec("minimal.toml");
    fs::create_dir_all(machine.state()).unwrap();
    fs::write(
        machine.state().join("lock"),
        r#"{"pid":4294967294,"start":1,"command":"apply","since":0}"#,
    )
    .unwrap();
    let plan = machine.at_root(&["plan", spec.to_str().unwrap()]);
    assert!(
        plan.stderr
            .contains("stale lock: an earlier run (pid 4294967294"),
        "{}",
        plan.stderr
    );
    let run = machine.apply(&spec, &[]);
    run.expect(0);
    assert!(
        run.stderr.contains("recovered: stale lock"),
        "{}",
        run.stderr
    );
}

#[test]
fn dry_run_touches_nothing_and_prints_the_exact_command() {
    let machine = Machine::installed();
    let spec = machine.spec("minimal.toml");
    machine.apply(&spec, &[]).expect(0);
    Machine::edit(&spec, "\"vim\"", "\"vim\", \"git\"");
    let before = machine.root_hash();
    let run = machine.apply(
        &spec,
        &[
            "--dry-run",
            "--action",
            "switch",
            "--target-host",
            "root@web-01",
        ],
    );
    run.expect(0);
    let config = machine.etc().join("configuration.nix");
    assert!(run.stdout.contains(&format!("Dry run: nothing was changed. An apply would run:\n  nixos-rebuild switch -I nixos-config={} --target-host root@web-01", config.display())), "{}", run.stdout);
    assert!(run.stderr.contains("warning: `nixos-rebuild switch` does not work on Asterinas NixOS yet: Upstream marks `nixos-rebuild switch` as not supported yet."), "{}", run.stderr);
    assert!(
        run.stdout.contains("packages added:         git"),
        "{}",
        run.stdout
    );
    assert_eq!(machine.root_hash(), before);
    assert_eq!(machine.rebuild_calls().len(), 1);
    // On an empty root it does not even create /etc/nixos.
    let empty = Machine::empty();
    let spec = empty.spec("minimal.toml");
    empty.apply(&spec, &["--dry-run"]).expect(0);
    assert_eq!(fs::read_dir(&empty.root).unwrap().count(), 0);
}

#[test]
fn without_a_terminal_and_without_yes_apply_refuses_and_cleans_up() {
    let machine = Machine::empty();
    let spec = machine.spec("minimal.toml");
    let root = machine.root.to_str().unwrap().to_owned();
    let run = machine.run(&["apply", spec.to_str().unwrap(), "--root", &root]);
    run.expect(2);
    assert!(
        run.stderr.contains("standard input is not a terminal"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("Plan for"), "the plan is shown first");
    assert_eq!(
        fs::read_dir(&machine.root).unwrap().count(),
        0,
        "staging or /etc/nixos left behind"
    );
}

#[test]
fn action_and_target_host_reach_nixos_rebuild_and_rollback_reuses_the_host() {
    let machine = Machine::installed();
    let spec = machine.spec("minimal.toml");
    let run = machine.apply(&spec, &["--action", "boot", "--target-host", "root@web-01"]);
    run.expect(0);
    assert!(
        run.stderr
            .contains("`nixos-rebuild boot` is not tested on Asterinas NixOS"),
        "{}",
        run.stderr
    );
    assert!(machine.rebuild_calls()[0].starts_with("boot -I nixos-config="));
    assert!(machine.rebuild_calls()[0].ends_with("--target-host root@web-01"));
    let back = machine.at_root(&["rollback", "--yes"]);
    back.expect(0);
    assert!(
        back.stderr.contains("Using --target-host root@web-01"),
        "{}",
        back.stderr
    );
    assert!(
        !back.stderr.contains("changes this machine"),
        "{}",
        back.stderr
    );
    assert!(
        !run.stderr.contains("changes this machine"),
        "{}",
        run.stderr
    );
    assert!(machine.rebuild_calls()[1].starts_with("test -I"));
    assert!(machine.rebuild_calls()[1].ends_with("--target-host root@web-01"));
    let unknown = machine.apply(&spec, &["--action", "reboot"]);
    unknown.expect(2);
    assert!(
        unknown.stderr.contains(
            "unknown action `reboot`; choose one of: test, switch, boot, build, dry-build"
        ),
        "{}",
        unknown.stderr
    );
}

#[test]
fn plan_exit_codes() {
    let machine = Machine::installed();
    let spec = machine.spec("minimal.toml");
    let plan = |spec: &Path| machine.at_root(&["plan", spec.to_str().unwrap(), "--exit-code"]);
    plan(&spec).expect(3);
    machine.at_root(&["plan", spec.to_str().unwrap()]).expect(0);
    machine.apply(&spec, &[]).expect(0);
    plan(&spec).expect(0);
    let broken = spec.with_file_name("broken.toml");
    fs::write(&broken, "[system]\nhostnme = \"x\"\n").unwrap();
    plan(&broken).expect(1);
    plan(&spec.with_file_name("missing.toml")).expect(2);
    machine.at_root(&["rollback", "99", "--yes"]).expect(2);
}

#[test]
fn plan_summary_snapshots() {
    let machine = Machine::installed();
    let spec = machine.spec("web-server.toml");
    let first = machine.at_root(&["plan", spec.to_str().unwrap()]);
    first.expect(0);
    snapshot("plan-first-apply", &summary(&machine, &first.stdout));
    machine.apply(&spec, &[]).expect(0);
    Machine::edit(&spec, "hostname = \"web-01\"", "hostname = \"web-02\"");
    Machine::edit(
        &spec,
        "install = [\"git\", \"vim\", \"htop\", \"curl\"]",
        "install = [\"git\", \"vim\", \"htop\", \"tmux\"]",
    );
    Machine::edit(
        &spec,
        "console = \"hvc0\"",
        "console = \"hvc0\"\nparams = [\"i8042.exist=0\"]",
    );
    Machine::edit(
        &spec,
        "firewall.allowed-tcp-ports = [22]",
        "firewall.allowed-tcp-ports = [22, 8080]",
    );
    Machine::edit(
        &spec,
        "[services.nginx]",
        "[services.redis]\nopen-firewall = true\n\n[services.nginx]",
    );
    Machine::edit(
        &spec,
        "[users.alice]",
        "[users.bob]\ngroups = [\"users\"]\n\n[users.alice]",
    );
    Machine::edit(&spec, "shell = \"fish\"", "shell = \"zsh\"");
    let change = machine.at_root(&["plan", spec.to_str().unwrap()]);
    change.expect(0);
    snapshot("plan-change", &summary(&machine, &change.stdout));
    assert!(
        change
            .stdout
            .contains("--- a/configuration.nix\n+++ b/configuration.nix\n")
    );
    assert!(
        change
            .stdout
            .contains("\n+  networking.hostName = \"web-02\";\n"),
        "{}",
        change.stdout
    );
    // A hand edit is called out and kept.
    let configuration = machine.etc().join("configuration.nix");
    fs::write(
        &configuration,
        fs::read_to_string(&configuration).unwrap() + "# edited by hand\n",
    )
    .unwrap();
    let edited = machine.at_root(&["plan", spec.to_str().unwrap()]);
    snapshot("plan-hand-edited", &summary(&machine, &edited.stdout));
    let json = machine.at_root(&["plan", spec.to_str().unwrap(), "--format", "json"]);
    let document: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(document["changed"], true);
    assert_eq!(
        document["summary"]["ports-opened"],
        serde_json::json!(["tcp/6379", "tcp/8080"])
    );
    assert_eq!(document["files"][0]["hand-edited"], true);
}

#[test]
fn not_root_while_targeting_slash_is_a_clear_error() {
    let machine = Machine::empty();
    let spec = machine.spec("minimal.toml");
    for args in [
        vec!["apply", spec.to_str().unwrap(), "--yes"],
        vec!["rollback", "--yes"],
    ] {
        let mut command = machine.command(&args, &[]);
        let is_root = aster_deploy::proc::effective_uid() == Some(0);
        if is_root {
            // Run the binary as `nobody` instead, from a copy `nobody` can reach whatever the
            // permissions of the target folder.
            let program = machine.base.join("aster-config-copy");
            if !program.exists() {
                fs::copy(command.get_program(), &program).unwrap();
            }
            let mut wrapped = std::process::Command::new("setpriv");
            wrapped
                .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                .arg(program)
                .args(command.get_args());
            for (key, value) in command.get_envs() {
                if let Some(value) = value {
                    wrapped.env(key, value);
                }
            }
            command = wrapped;
        }
        let output = command.current_dir(&machine.base).output().expect("run");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains("changing /etc/nixos and running nixos-rebuild need root"),
            "{stderr}"
        );
        assert!(!stderr.contains("Permission denied"), "{stderr}");
    }
}

#[test]
fn a_symbolic_link_where_a_managed_file_goes_is_refused_before_anything_changes() {
    let machine = Machine::installed();
    let spec = machine.spec("minimal.toml");
    let configuration = machine.etc().join("configuration.nix");
    fs::remove_file(&configuration).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", &configuration).unwrap();
    let before = machine.root_hash();
    let run = machine.apply(&spec, &[]);
    run.expect(2);
    assert!(
        run.stderr.contains("is a symbolic link or a folder"),
        "{}",
        run.stderr
    );
    assert_eq!(machine.root_hash(), before);
    assert!(machine.rebuild_calls().is_empty());
}

// --- the rebuild step skipped on purpose, and what a `test` rebuild leaves ---------------

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
