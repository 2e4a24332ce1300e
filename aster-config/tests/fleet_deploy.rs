//! `aster-config fleet apply` with a recording `colmena` first on PATH (tests/fleet/fake-colmena.sh):
//! every colmena call is logged, never pretended. Covered: all hosts succeed; one host fails
//! activation → put back, the others keep the new generation; a failed health check → put back;
//! an interrupted deploy → the next run reports it and fires the switches; `--on` selection;
//! nothing runs without confirmation.

mod common;
#[path = "fleet/harness.rs"]
mod harness;

use harness::{Fleet, workspace};
use std::os::unix::fs::PermissionsExt as _;
use std::path::PathBuf;

struct Stand {
    fleet: Fleet,
    control: PathBuf,
    log: PathBuf,
    bin: PathBuf,
}

impl Stand {
    fn new() -> Self {
        let fleet = Fleet::example();
        fleet.lock();
        let control = fleet.base.join("control");
        let bin = fleet.base.join("bin");
        std::fs::create_dir_all(&control).expect("mkdir");
        std::fs::create_dir_all(&bin).expect("mkdir");
        let fake = bin.join("colmena");
        std::fs::copy(
            workspace().join("aster-config/tests/fleet/fake-colmena.sh"),
            &fake,
        )
        .expect("copy");
        std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        let log = fleet.base.join("colmena.log");
        Stand {
            fleet,
            control,
            log,
            bin,
        }
    }

    fn apply(&self, extra: &[&str]) -> (Option<i32>, String, String) {
        let mut args = vec!["fleet", "apply", "fleet.toml"];
        args.extend_from_slice(extra);
        let path = format!(
            "{}:{}",
            self.bin.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let output = self
            .fleet
            .command(&args)
            .env("PATH", path)
            .env_remove("ASTER_COLMENA")
            .env("FAKE_COLMENA_LOG", &self.log)
            .env("FAKE_COLMENA_DIR", &self.control)
            .output()
            .expect("run");
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    }

    fn set(&self, name: &str) {
        std::fs::write(self.control.join(name), "").expect("control file");
    }

    fn calls(&self) -> Vec<String> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .map(str::to_owned)
            .collect()
    }

    /// The hosts the revert (switch-to-configuration of the old profile) was sent to.
    fn reverted(&self) -> Vec<String> {
        self.calls()
            .iter()
            .filter(|c| {
                c.starts_with("exec ")
                    && c.contains("switch-to-configuration test")
                    && !c.contains("sleep ")
            })
            .map(|c| {
                c["exec ".len()..]
                    .split(':')
                    .next()
                    .unwrap_or("")
                    .to_owned()
            })
            .collect()
    }
}

#[test]
fn every_host_succeeds_and_is_disarmed() {
    let stand = Stand::new();
    let (code, stdout, stderr) = stand.apply(&["--yes"]);
    assert_eq!(code, Some(0), "{stderr}");
    let calls = stand.calls();
    assert_eq!(calls[0], "apply web-01,web-02,db-01 build");
    assert!(
        calls.iter().any(|c| c
            .starts_with("exec web-01,web-02,db-01: sh -c 'mkdir -p /run/aster-fleet")
            && c.contains("sleep 120;")),
        "{calls:#?}"
    );
    assert!(
        calls.contains(&"apply web-01,web-02,db-01 test".to_owned()),
        "{calls:#?}"
    );
    assert!(
        calls
            .iter()
            .any(|c| c.starts_with("exec web-01: sh -c 'curl -fsS http://localhost/"))
    );
    assert!(
        calls
            .iter()
            .any(|c| c.starts_with("exec web-01,web-02,db-01:")
                && c.contains("rm -f /run/aster-fleet/armed")
                && !c.contains("switch-to-configuration"))
    );
    assert!(stand.reverted().is_empty());
    assert!(
        stdout.contains("3 of 3 host(s) kept the new generation"),
        "{stdout}"
    );
    assert!(
        stderr.contains("[web-01] kept the new generation"),
        "{stderr}"
    );
    let generation =
        std::fs::read_to_string(stand.fleet.dir.join(".aster-fleet/generations/1.json"))
            .expect("generation");
    assert!(generation.contains("nixos-system-web-01"), "{generation}");
    assert!(generation.contains("\"nixpkgs-url\""), "{generation}");
    assert!(!stand.fleet.dir.join(".aster-fleet/journal.json").exists());
}

#[test]
fn a_host_whose_activation_fails_is_put_back_and_the_others_keep_it() {
    let stand = Stand::new();
    stand.set("activate-fail-web-02");
    let (code, stdout, _) = stand.apply(&["--yes"]);
    assert_eq!(code, Some(4));
    assert_eq!(stand.reverted(), ["web-02"]);
    assert!(
        stdout.contains("web-02  rolled back: activation (test) failed"),
        "{stdout}"
    );
    assert!(stdout.contains("web-01  ok"), "{stdout}");
    assert!(
        stdout.contains("2 of 3 host(s) kept the new generation"),
        "{stdout}"
    );
}

#[test]
fn a_failed_health_check_puts_the_host_back() {
    let stand = Stand::new();
    stand.set("health-fail-db-01");
    let (code, stdout, _) = stand.apply(&["--yes"]);
    assert_eq!(code, Some(4));
    assert_eq!(stand.reverted(), ["db-01"]);
    assert!(
        stdout.contains("db-01   rolled back: health check `redis` failed"),
        "{stdout}"
    );
}

#[test]
fn an_interrupted_deploy_is_reported_and_recovered_by_the_next_run() {
    let stand = Stand::new();
    stand.set("kill-on-activate");
    let (code, _, _) = stand.apply(&["--yes"]);
    assert_eq!(code, None, "the deployer was killed");
    assert!(stand.fleet.dir.join(".aster-fleet/journal.json").exists());
    std::fs::remove_file(stand.control.join("kill-on-activate")).expect("rm");
    let before = stand.calls().len();
    let (code, _, stderr) = stand.apply(&["--yes"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains("was interrupted while 3 host(s) were armed"),
        "{stderr}"
    );
    let recovery = &stand.calls()[before];
    assert!(
        recovery
            .starts_with("exec web-01,web-02,db-01: sh -c 'if [ \"$(cat /run/aster-fleet/armed"),
        "{recovery}"
    );
    assert!(
        recovery.contains("switch-to-configuration test"),
        "{recovery}"
    );
}

#[test]
fn on_selects_hosts_by_tag_and_name() {
    let stand = Stand::new();
    let (code, _, stderr) = stand.apply(&["--yes", "--on", "@web,db-01", "--goal", "switch"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stand
            .calls()
            .contains(&"apply web-01,web-02,db-01 switch".to_owned())
    );
    let stand = Stand::new();
    let (code, _, _) = stand.apply(&["--yes", "--on", "@db"]);
    assert_eq!(code, Some(0));
    assert_eq!(stand.calls()[0], "apply db-01 build");
    let (code, _, stderr) = stand.apply(&["--yes", "--on", "web-9"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("AC0501"), "{stderr}");
}

#[test]
fn nothing_runs_without_confirmation() {
    let stand = Stand::new();
    let (code, _, stderr) = stand.apply(&[]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("pass --yes"), "{stderr}");
    assert!(
        stand.calls().is_empty(),
        "colmena ran: {:#?}",
        stand.calls()
    );
}
