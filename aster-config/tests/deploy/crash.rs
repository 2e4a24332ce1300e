//! Crash safety: the binary is stopped at each step with the test-only `ASTER_CONFIG_FAULT`;
//! the managed files must then be the old or the new ones (each file whole and the journal in
//! place where a swap was cut short), read-only commands must report the leftovers without
//! changing anything, and the next apply must recover and finish.

// Without the feature only the guard test below is compiled; the rest is unused then.
#![cfg_attr(not(feature = "fault-injection"), allow(dead_code, unused_imports))]

use super::harness::{Machine, compiled, wait_for};
use aster_deploy::fault::Fault;
use std::collections::BTreeMap;
use std::fs;

type Files = BTreeMap<String, Vec<u8>>;

/// The expected state of the managed files right after the process stopped at `fault`.
enum AfterKill {
    Old,
    New,
    /// Mid-swap or mid-restore: each file is whole (old or new) and the journal says so.
    EachFileOldOrNew(&'static str),
}

#[cfg(feature = "fault-injection")]
#[test]
fn a_kill_at_each_step_leaves_old_or_new_files_and_the_next_run_recovers() {
    for fault in Fault::ALL {
        kill_at(fault);
    }
}

/// The crash tests need a binary built with the `fault-injection` feature (the test command
/// passes `--features aster-config/fault-injection`). Without it they cannot run: in CI that is a
/// failure, never a quiet skip.
#[cfg(not(feature = "fault-injection"))]
#[test]
fn crash_tests_need_the_fault_injection_feature() {
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must run the tests with --features aster-config/fault-injection"
    );
    #[allow(clippy::print_stderr)]
    {
        eprintln!("skipped: the crash tests need --features aster-config/fault-injection");
    }
}

fn kill_at(fault: Fault) {
    let name = fault.name();
    let machine = Machine::installed();
    let spec = machine.spec("with-override.toml");
    machine.apply(&spec, &[]).expect(0);
    let old = compiled(&spec);
    Machine::edit(&spec, "hostname = \"patched\"", "hostname = \"patched-2\"");
    Machine::edit(
        &spec.with_file_name("patches/xfdesktop/0001-fix-monitor-ids.patch"),
        "((n) + 0)",
        "((n) + 1)",
    );
    Machine::edit(&spec.with_file_name("extra.nix"), "\"vim\"", "\"nano\"");
    let new = compiled(&spec);
    assert!(
        old.keys().filter(|p| old[*p] != new[*p]).count() >= 3,
        "the change must touch several files"
    );
    let (expected, report) = match fault {
        Fault::AfterStage => (AfterKill::Old, "leftover staging folder"),
        Fault::AfterLock => (AfterKill::Old, "stale lock"),
        Fault::AfterGeneration => (AfterKill::Old, "stopped in phase `recorded`"),
        Fault::MidSwap => (
            AfterKill::EachFileOldOrNew("swapping"),
            "stopped in phase `swapping`",
        ),
        Fault::AfterSwap => (AfterKill::New, "stopped in phase `swapped`"),
        Fault::BeforeRebuild | Fault::DuringRebuild => {
            (AfterKill::New, "stopped in phase `rebuilding`")
        }
        Fault::MidRestore => (
            AfterKill::EachFileOldOrNew("restoring"),
            "stopped in phase `restoring`",
        ),
    };
    if fault == Fault::MidRestore {
        machine.rebuild_exits(1);
    }
    if fault == Fault::DuringRebuild {
        machine.rebuild_sleeps(2);
    }
    let root = machine.root.to_str().unwrap().to_owned();
    let killed = machine.run_env(
        &["apply", spec.to_str().unwrap(), "--root", &root, "--yes"],
        &[("ASTER_CONFIG_FAULT", name)],
    );
    assert_eq!(
        killed.code, None,
        "{name}: the run was not stopped\n{}",
        killed.stderr
    );
    let on_disk: Files = machine
        .managed_files()
        .into_iter()
        .filter(|(p, _)| !p.starts_with(".aster-config-staging-"))
        .collect();
    match expected {
        AfterKill::Old => assert_eq!(on_disk, old, "{name}: not the old files"),
        AfterKill::New => assert_eq!(on_disk, new, "{name}: not the new files"),
        AfterKill::EachFileOldOrNew(phase) => {
            assert_eq!(
                on_disk.keys().collect::<Vec<_>>(),
                new.keys().collect::<Vec<_>>(),
                "{name}"
            );
            for (path, bytes) in &on_disk {
                assert!(
                    bytes == &old[path] || bytes == &new[path],
                    "{name}: {path} is neither old nor new"
                );
            }
            let journal = fs::read_to_string(machine.state().join("transaction.json")).unwrap();
            assert!(
                journal.contains(&format!("\"phase\": \"{phase}\"")),
                "{name}: {journal}"
            );
        }
    }
    if fault == Fault::DuringRebuild {
        // The orphaned rebuild still runs: nothing may start until it ends.
        let refused = machine.apply(&spec, &[]);
        refused.expect(2);
        assert!(
            refused
                .stderr
                .contains("started by an interrupted aster-config run is still running"),
            "{}",
            refused.stderr
        );
        wait_for(|| machine.log().matches("finished:").count() == 2);
        fs::remove_file(machine.base.join("control/sleep")).unwrap();
        // The shell writes its last log line just before it exits.
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
    // Read-only commands report what was left and change nothing.
    let before = machine.root_hash();
    let plan = machine.at_root(&["plan", spec.to_str().unwrap()]);
    plan.expect(0);
    assert!(
        plan.stderr.contains(report),
        "{name}: plan does not report `{report}`:\n{}",
        plan.stderr
    );
    assert!(
        plan.stderr
            .contains("the next `aster-config apply` or `rollback` on this root recovers it first"),
        "{name}"
    );
    let list = machine.at_root(&["generations"]);
    assert!(
        list.stderr.contains(report),
        "{name}: generations does not report it:\n{}",
        list.stderr
    );
    let dry = machine.apply(&spec, &["--dry-run"]);
    dry.expect(0);
    assert_eq!(
        machine.root_hash(),
        before,
        "{name}: a read-only command changed the root"
    );
    // The next apply recovers, then applies.
    machine.rebuild_exits(0);
    let next = machine.apply(&spec, &[]);
    next.expect(0);
    assert!(
        next.stderr.contains("recovered: "),
        "{name}: {}",
        next.stderr
    );
    assert_eq!(
        machine.managed_files(),
        new,
        "{name}: the next apply did not install the new files"
    );
    assert!(!machine.state().join("transaction.json").exists());
    assert!(!fs::read_dir(machine.etc()).unwrap().any(|e| {
        e.unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with(".aster-config-staging-")
    }));
    let list = machine.at_root(&["generations"]);
    assert!(!list.stdout.contains("pending"), "{name}: {}", list.stdout);
    assert!(
        list.stderr.is_empty(),
        "{name}: leftovers after recovery: {}",
        list.stderr
    );
    // No rebuild ever saw a mixture of old and new files.
    assert_rebuilds_saw_whole_sets(&machine, &[&old, &new], name);
}

fn assert_rebuilds_saw_whole_sets(machine: &Machine, sets: &[&Files], name: &str) {
    let sets: Vec<BTreeMap<String, String>> = sets
        .iter()
        .map(|files| {
            files
                .iter()
                .map(|(p, b)| (p.clone(), aster_compiler::sha256_hex(b)))
                .collect()
        })
        .collect();
    for call in machine.log().split("args: ").skip(1) {
        let seen: BTreeMap<String, String> = call
            .lines()
            .filter_map(|l| l.strip_prefix("  saw "))
            .filter_map(|l| l.split_once(' '))
            .filter(|(p, _)| sets[0].contains_key(*p) || sets[1].contains_key(*p))
            .map(|(p, h)| (p.to_owned(), h.to_owned()))
            .collect();
        assert!(
            sets.contains(&seen),
            "{name}: a rebuild saw a mixture: {seen:?}"
        );
    }
}
