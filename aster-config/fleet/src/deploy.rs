//! Deploying a built fleet through colmena, with a dead-man's switch on every host.
//!
//! colmena does the real work — evaluation, parallel builds, SSH, copying closures, activation —
//! and this module strings its commands together so that a bad change cannot strand a machine:
//!
//! 1. `colmena apply --keep-result build` builds every selected host; `.gcroots/node-<host>`
//!    then names each built system (recorded in the fleet's generation).
//! 2. `colmena exec` **arms** a dead-man's switch on each host: a detached `sh` that sleeps for
//!    `deploy.rollback-timeout` seconds and then reverts to the previous generation, unless the
//!    run's token file has been removed by then.
//! 3. `colmena apply <goal>` activates (default goal `test`, as for one host).
//! 4. Each host's activation is confirmed (its current system is the one built), then its
//!    health checks run (`colmena exec`).
//! 5. Healthy hosts are **disarmed** — the deployer reached them again. A host that failed is
//!    reverted at once; one that cannot be reached reverts by itself when its timer runs out.
//!
//! A journal (`.aster-fleet/journal.json` beside the fleet file) exists while hosts are armed; a run that
//! finds one reports the interrupted run and fires its switches at once ([`recover`]).

use crate::model::HealthCheck;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What `colmena apply` does with the new system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Goal {
    /// Activate now; the boot entry is unchanged (the default, as upstream verifies).
    Test,
    /// Make it the boot default; activate on the next boot.
    Boot,
    /// Activate now and make it the boot default.
    Switch,
}

impl Goal {
    /// The goal as colmena spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Goal::Test => "test",
            Goal::Boot => "boot",
            Goal::Switch => "switch",
        }
    }

    /// Parses a goal name.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "test" => Some(Goal::Test),
            "boot" => Some(Goal::Boot),
            "switch" => Some(Goal::Switch),
            _ => None,
        }
    }

    /// The link on the host that names the system this goal installs.
    fn installed_link(self) -> &'static str {
        match self {
            Goal::Test | Goal::Switch => "/run/current-system",
            Goal::Boot => "/nix/var/nix/profiles/system",
        }
    }
}

/// The shell command that puts a host back on its previous generation after `goal`.
///
/// After `test` the system profile still names the previous system, so activating it is enough;
/// after `switch` or `boot` the profile gained a generation, which is rolled back first.
pub fn revert_command(goal: Goal) -> String {
    const PROFILE: &str = "/nix/var/nix/profiles/system";
    match goal {
        Goal::Test => format!("{PROFILE}/bin/switch-to-configuration test"),
        Goal::Boot => {
            format!("nix-env -p {PROFILE} --rollback && {PROFILE}/bin/switch-to-configuration boot")
        }
        Goal::Switch => format!(
            "nix-env -p {PROFILE} --rollback && {PROFILE}/bin/switch-to-configuration switch"
        ),
    }
}

/// Where the token of an armed switch lives on a host.
const TOKEN: &str = "/run/aster-fleet/armed";

/// Reverts now when the host is still armed by run `run` (and disarms it): what the switch does
/// when its time is up, and what a later run does to recover.
pub fn fire_script(run: &str, goal: Goal) -> String {
    format!(
        "if [ \"$(cat {TOKEN} 2>/dev/null)\" = {run} ]; then rm -f {TOKEN}; {}; fi",
        revert_command(goal)
    )
}

/// Arms the dead-man's switch for run `run`: the token, and a detached timer that fires it.
pub fn arm_script(run: &str, goal: Goal, timeout: u32) -> String {
    format!(
        "mkdir -p /run/aster-fleet && echo {run} > {TOKEN} && setsid sh -c {} </dev/null >/dev/null 2>&1 &",
        shell_quote(&format!("sleep {timeout}; {}", fire_script(run, goal)))
    )
}

/// Disarms run `run`'s switch (only that run's: a newer run's token is left alone).
pub fn disarm_script(run: &str) -> String {
    format!("if [ \"$(cat {TOKEN} 2>/dev/null)\" = {run} ]; then rm -f {TOKEN}; fi")
}

/// Succeeds when the host's installed system is `system`.
pub fn confirm_script(goal: Goal, system: &str) -> String {
    format!(
        "[ \"$(readlink -f {})\" = {} ]",
        goal.installed_link(),
        shell_quote(system)
    )
}

/// `text` as one POSIX shell word.
pub fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

/// A host to deploy.
#[derive(Debug, Clone)]
pub struct Target {
    /// Its name (the colmena node).
    pub name: String,
    /// Its health checks.
    pub health: Vec<HealthCheck>,
}

/// What happened to one host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// It runs the new system.
    Kept {
        /// The built system's store path.
        system: String,
    },
    /// Its build failed; nothing changed on it.
    NotBuilt,
    /// Activation or a health check failed, and it was put back on its previous generation.
    RolledBack {
        /// Why.
        reason: String,
    },
    /// It failed and could not be reached to put it back: its switch reverts it by itself.
    RevertsByItself {
        /// Why.
        reason: String,
    },
}

impl Outcome {
    /// True for hosts that run the new system.
    pub fn ok(&self) -> bool {
        matches!(self, Outcome::Kept { .. })
    }
}

/// A progress event, for the CLI to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A step starts (one line).
    Step(String),
    /// Something happened to one host.
    Host(String, String),
}

/// Runs colmena on one hive.
#[derive(Debug, Clone)]
pub struct Colmena {
    /// The program (`colmena`, or `ASTER_COLMENA`).
    pub program: PathBuf,
    /// The built fleet folder holding `hive.nix`.
    pub dir: PathBuf,
    /// Where deploy state lives (journal, log, generations), outside the built folder, which
    /// every build replaces.
    pub state: PathBuf,
}

/// Why a deploy could not go on at all.
#[derive(Debug)]
pub enum DeployError {
    /// colmena could not be started.
    Spawn(std::io::Error),
    /// The journal could not be written or read.
    Journal(PathBuf, std::io::Error),
}

impl std::fmt::Display for DeployError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DeployError::Spawn(e) if e.kind() == std::io::ErrorKind::NotFound => write!(
                f,
                "`colmena` was not found on PATH; install colmena (or set ASTER_COLMENA to its path)"
            ),
            DeployError::Spawn(e) => write!(f, "cannot start colmena: {e}"),
            DeployError::Journal(path, e) => write!(f, "{}: {e}", path.display()),
        }
    }
}

impl std::error::Error for DeployError {}

impl Colmena {
    /// colmena for the fleet built in `dir`, keeping state in `state`: `ASTER_COLMENA` when
    /// set, else `colmena` on `PATH`.
    pub fn new(dir: &Path, state: &Path) -> Self {
        let program = std::env::var_os("ASTER_COLMENA")
            .map_or_else(|| PathBuf::from("colmena"), PathBuf::from);
        Self {
            program,
            dir: std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf()),
            state: std::path::absolute(state).unwrap_or_else(|_| state.to_path_buf()),
        }
    }

    /// Runs `colmena --config hive.nix ARGS`; true when it succeeded. Its output goes to
    /// `.aster-fleet/colmena.log` (appended), which the CLI points at on failure.
    fn run(&self, args: &[&str]) -> Result<bool, DeployError> {
        let state = self.state.clone();
        std::fs::create_dir_all(&state).map_err(|e| DeployError::Journal(state.clone(), e))?;
        let log_path = state.join("colmena.log");
        let output = Command::new(&self.program)
            .arg("--config")
            .arg(self.dir.join(crate::emit::HIVE))
            .args(args)
            .current_dir(&self.dir)
            .output()
            .map_err(DeployError::Spawn)?;
        let mut log = String::new();
        let _ = writeln!(log, "$ colmena {}", args.join(" "));
        log.push_str(&String::from_utf8_lossy(&output.stdout));
        log.push_str(&String::from_utf8_lossy(&output.stderr));
        let _ = writeln!(log, "exit: {:?}", output.status.code());
        append(&log_path, &log).map_err(|e| DeployError::Journal(log_path.clone(), e))?;
        Ok(output.status.success())
    }

    fn exec(&self, hosts: &[&str], script: &str) -> Result<bool, DeployError> {
        let on = hosts.join(",");
        let command = format!("sh -c {}", shell_quote(script));
        self.run(&["exec", "--on", &on, "--", &command])
    }

    /// Runs `script` on each host (one colmena call when all succeed); returns the hosts where it
    /// failed.
    fn exec_each<'h>(
        &self,
        hosts: &[&'h str],
        script: &dyn Fn(&str) -> String,
    ) -> Result<Vec<&'h str>, DeployError> {
        if hosts.is_empty() {
            return Ok(Vec::new());
        }
        let scripts: Vec<String> = hosts.iter().map(|h| script(h)).collect();
        if scripts.iter().all(|s| *s == scripts[0]) && self.exec(hosts, &scripts[0])? {
            return Ok(Vec::new());
        }
        let mut failed = Vec::new();
        for (host, script) in hosts.iter().zip(&scripts) {
            if !self.exec(&[host], script)? {
                failed.push(*host);
            }
        }
        Ok(failed)
    }
}

/// The folder beside the fleet file where deploy state lives.
pub const STATE_DIR: &str = ".aster-fleet";

fn append(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    file.write_all(text.as_bytes())
}

/// The journal of a run whose hosts are armed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Journal {
    /// The run's token.
    pub run: String,
    /// Its goal.
    pub goal: String,
    /// The hosts it armed.
    pub hosts: Vec<String>,
}

fn journal_path(state: &Path) -> PathBuf {
    state.join("journal.json")
}

/// The journal an interrupted run left in `state`, if any.
pub fn interrupted(state: &Path) -> Option<Journal> {
    let text = std::fs::read_to_string(journal_path(state)).ok()?;
    serde_json::from_str(&text).ok()
}

/// Recovers from an interrupted run: fires its switches on its hosts now (a host that already
/// reverted, or was disarmed, is left alone) and removes the journal. Returns the hosts that
/// could not be reached (their own timers still revert them).
pub fn recover(colmena: &Colmena, journal: &Journal) -> Result<Vec<String>, DeployError> {
    let goal = Goal::parse(&journal.goal).unwrap_or(Goal::Test);
    let hosts: Vec<&str> = journal.hosts.iter().map(String::as_str).collect();
    let unreachable = colmena.exec_each(&hosts, &|_| fire_script(&journal.run, goal))?;
    let path = journal_path(&colmena.state);
    std::fs::remove_file(&path).map_err(|e| DeployError::Journal(path.clone(), e))?;
    Ok(unreachable.into_iter().map(str::to_owned).collect())
}

/// A deploy to run.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The run's token (unique per run; a hex string).
    pub run: String,
    /// The goal.
    pub goal: Goal,
    /// Seconds before an unreached host reverts by itself.
    pub timeout: u32,
    /// The selected hosts, in fleet order.
    pub targets: Vec<Target>,
}

/// Deploys `plan`; every host gets an outcome. `progress` hears each step and host event.
pub fn deploy(
    colmena: &Colmena,
    plan: &Plan,
    progress: &mut dyn FnMut(Event),
) -> Result<Vec<(String, Outcome)>, DeployError> {
    let names: Vec<&str> = plan.targets.iter().map(|t| t.name.as_str()).collect();
    let on = names.join(",");
    let gcroots = colmena.dir.join(".gcroots");
    let _ = std::fs::remove_dir_all(&gcroots);
    progress(Event::Step(format!(
        "building {} host(s) with colmena",
        names.len()
    )));
    colmena.run(&["apply", "--on", &on, "--keep-result", "build"])?;
    let mut outcomes: Vec<(String, Outcome)> = Vec::new();
    let mut built: Vec<(&str, String)> = Vec::new();
    for name in &names {
        if let Ok(system) = std::fs::read_link(gcroots.join(format!("node-{name}"))) {
            built.push((name, system.to_string_lossy().into_owned()));
        } else {
            progress(Event::Host(
                (*name).to_owned(),
                "build failed; not deployed".into(),
            ));
            outcomes.push(((*name).to_owned(), Outcome::NotBuilt));
        }
    }
    if built.is_empty() {
        return Ok(outcomes);
    }
    let live: Vec<&str> = built.iter().map(|(n, _)| *n).collect();
    let journal = Journal {
        run: plan.run.clone(),
        goal: plan.goal.as_str().to_owned(),
        hosts: live.iter().map(|h| (*h).to_owned()).collect(),
    };
    let path = journal_path(&colmena.state);
    let text = serde_json::to_string_pretty(&journal).unwrap_or_default();
    std::fs::write(&path, text).map_err(|e| DeployError::Journal(path.clone(), e))?;
    progress(Event::Step(format!(
        "arming the dead-man's switch ({} s) on {} host(s)",
        plan.timeout,
        live.len()
    )));
    let arm = arm_script(&plan.run, plan.goal, plan.timeout);
    let unarmed = colmena.exec_each(&live, &|_| arm.clone())?;
    let mut failed: Vec<(String, String)> = Vec::new();
    for host in &unarmed {
        failed.push((
            (*host).to_owned(),
            "could not be reached to arm the dead-man's switch; not activated".into(),
        ));
    }
    let armed: Vec<&str> = live
        .iter()
        .copied()
        .filter(|h| !unarmed.contains(h))
        .collect();
    if !armed.is_empty() {
        progress(Event::Step(format!(
            "activating ({}) on {} host(s)",
            plan.goal.as_str(),
            armed.len()
        )));
        let all_ok = colmena.run(&["apply", "--on", &armed.join(","), plan.goal.as_str()])?;
        let system_of = |h: &str| {
            built
                .iter()
                .find(|(n, _)| *n == h)
                .map_or(String::new(), |(_, s)| s.clone())
        };
        let not_active = if all_ok {
            Vec::new()
        } else {
            colmena.exec_each(&armed, &|h| confirm_script(plan.goal, &system_of(h)))?
        };
        for host in &not_active {
            failed.push((
                (*host).to_owned(),
                format!("activation ({}) failed", plan.goal.as_str()),
            ));
        }
        let active: Vec<&str> = armed
            .iter()
            .copied()
            .filter(|h| !not_active.contains(h))
            .collect();
        let unhealthy = health(colmena, plan, &active, progress)?;
        for (host, check) in &unhealthy {
            failed.push((host.clone(), format!("health check `{check}` failed")));
        }
        let healthy: Vec<&str> = active
            .iter()
            .copied()
            .filter(|h| !unhealthy.iter().any(|(u, _)| u == h))
            .collect();
        progress(Event::Step(format!(
            "disarming {} healthy host(s)",
            healthy.len()
        )));
        let unreached = colmena.exec_each(&healthy, &|_| disarm_script(&plan.run))?;
        for host in &healthy {
            if unreached.contains(host) {
                failed.push((
                    (*host).to_owned(),
                    "could not be reached again after activation".into(),
                ));
            } else {
                progress(Event::Host(
                    (*host).to_owned(),
                    "kept the new generation".into(),
                ));
                outcomes.push((
                    (*host).to_owned(),
                    Outcome::Kept {
                        system: system_of(host),
                    },
                ));
            }
        }
    }
    let failing: Vec<&str> = failed
        .iter()
        .map(|(h, _)| h.as_str())
        .filter(|h| !unarmed.contains(h))
        .collect();
    if !failing.is_empty() {
        progress(Event::Step(format!(
            "putting {} host(s) back on their previous generation",
            failing.len()
        )));
    }
    let fire = fire_script(&plan.run, plan.goal);
    let unreachable: Vec<String> = colmena
        .exec_each(&failing, &|_| fire.clone())?
        .into_iter()
        .map(str::to_owned)
        .collect();
    for (host, reason) in failed {
        let outcome = if unreachable.contains(&host) {
            Outcome::RevertsByItself { reason }
        } else {
            Outcome::RolledBack { reason }
        };
        progress(Event::Host(host.clone(), describe(&outcome)));
        outcomes.push((host, outcome));
    }
    std::fs::remove_file(&path).map_err(|e| DeployError::Journal(path.clone(), e))?;
    outcomes.sort_by_key(|(h, _)| names.iter().position(|n| n == h));
    Ok(outcomes)
}

/// Runs the health checks of `hosts`; returns the failing hosts with the first failed check.
fn health(
    colmena: &Colmena,
    plan: &Plan,
    hosts: &[&str],
    progress: &mut dyn FnMut(Event),
) -> Result<Vec<(String, String)>, DeployError> {
    let mut unhealthy: Vec<(String, String)> = Vec::new();
    let checks: usize = plan
        .targets
        .iter()
        .filter(|t| hosts.contains(&t.name.as_str()))
        .map(|t| t.health.len())
        .sum();
    if checks > 0 {
        progress(Event::Step(format!("running {checks} health check(s)")));
    }
    for target in plan
        .targets
        .iter()
        .filter(|t| hosts.contains(&t.name.as_str()))
    {
        for check in &target.health {
            if unhealthy.iter().any(|(h, _)| *h == target.name) {
                break;
            }
            if !colmena.exec(&[&target.name], &check.command)? {
                unhealthy.push((target.name.clone(), check.name.clone()));
            }
        }
    }
    Ok(unhealthy)
}

/// One line for an outcome.
pub fn describe(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Kept { .. } => "kept the new generation".into(),
        Outcome::NotBuilt => "build failed; nothing changed".into(),
        Outcome::RolledBack { reason } => format!("{reason}; put back on its previous generation"),
        Outcome::RevertsByItself { reason } => format!(
            "{reason}; unreachable, its dead-man's switch puts it back on its previous generation"
        ),
    }
}

/// A fleet generation: what a deploy left on each host, with the nixpkgs it was built from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Generation {
    /// Its number (1, 2, …).
    pub number: u32,
    /// When it was deployed (seconds since 1970).
    pub at: u64,
    /// The goal.
    pub goal: String,
    /// The nixpkgs URL the hosts were built from.
    pub nixpkgs_url: String,
    /// Its revision, when the URL names one.
    pub nixpkgs_revision: Option<String>,
    /// Each kept host's built system (store path).
    pub systems: std::collections::BTreeMap<String, String>,
    /// Hosts that did not keep it, with the reason.
    pub failed: std::collections::BTreeMap<String, String>,
}

/// Records a generation under `<state>/generations/<N>.json`; returns its number.
pub fn record(
    state: &Path,
    lock: &crate::lock::Lock,
    goal: Goal,
    outcomes: &[(String, Outcome)],
) -> std::io::Result<u32> {
    let folder = state.join("generations");
    std::fs::create_dir_all(&folder)?;
    let number = std::fs::read_dir(&folder)?
        .filter_map(|e| {
            e.ok()?
                .file_name()
                .to_str()?
                .strip_suffix(".json")?
                .parse::<u32>()
                .ok()
        })
        .max()
        .unwrap_or(0)
        + 1;
    let generation = Generation {
        number,
        at: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
        goal: goal.as_str().to_owned(),
        nixpkgs_url: lock.nixpkgs.url.clone(),
        nixpkgs_revision: lock.nixpkgs.rev.clone(),
        systems: outcomes
            .iter()
            .filter_map(|(h, o)| match o {
                Outcome::Kept { system } => Some((h.clone(), system.clone())),
                _ => None,
            })
            .collect(),
        failed: outcomes
            .iter()
            .filter(|(_, o)| !o.ok())
            .map(|(h, o)| (h.clone(), describe(o)))
            .collect(),
    };
    let text = serde_json::to_string_pretty(&generation).unwrap_or_default();
    std::fs::write(folder.join(format!("{number}.json")), text + "\n")?;
    Ok(number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_switch_reverts_only_its_own_run() {
        let fire = fire_script("abc", Goal::Test);
        assert!(fire.contains("= abc ]"));
        assert!(fire.contains("/nix/var/nix/profiles/system/bin/switch-to-configuration test"));
        assert!(
            revert_command(Goal::Switch)
                .starts_with("nix-env -p /nix/var/nix/profiles/system --rollback")
        );
        let arm = arm_script("abc", Goal::Test, 120);
        assert!(arm.contains("sleep 120;"));
        assert_eq!(shell_quote("a'b"), "'a'\\''b'");
    }
}
