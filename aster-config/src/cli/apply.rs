//! `aster-config apply SPEC`: check, stage, show the plan and ask, lock, keep the installed
//! files as a generation and swap in the new ones, run `nixos-rebuild`, and put the old files
//! back if it fails. Also the steps `rollback` shares: picking the action, the privilege check,
//! the confirmation, and running the rebuild with its output streamed.
//!
//! Exit codes: 0 done (or nothing to do, or declined), 1 the spec has errors (or adds what must
//! be there at install time, such as the Xfce desktop, to a running system), 2 usage or I/O
//! problems (including a held lock and a refused confirmation), 4 `nixos-rebuild` failed and the
//! previous files were put back.
//!
//! With a lock beside the spec, `nixos-rebuild` gets `-I nixpkgs=<store path of the locked
//! tarball>`; after the confirmation and before anything is changed, `nix-prefetch-url` puts that
//! tarball into the Nix store (downloading it only when missing) and checks its hash.

use super::plan::{compile, fail, render, report_findings, use_color};
use super::render::{Style, usage_error};
use super::{ColorChoice, EXIT_OK, EXIT_SPEC_ERRORS, EXIT_USAGE};
use aster_deploy::install_time::Evidence;
use aster_deploy::rebuild::{self, Event, RebuildCommand};
use aster_deploy::recover::Finding;
use aster_deploy::session::{self, Intent, Locked, Prepared, RebuildEnd, Report};
use aster_deploy::{DeployError, Target};
use aster_distro::{ActionStatus, RebuildAction};
use std::io::{BufRead as _, IsTerminal as _, Write as _};
use std::path::PathBuf;
use std::time::Duration;

/// Exit code when `nixos-rebuild` failed (the previous files are back in place).
pub const EXIT_REBUILD_FAILED: u8 = 4;

/// What a `nixos-rebuild test` leaves behind, said after every successful one; `config_dir` is
/// where the files went (`/etc/nixos`, or `DIR/etc/nixos` under `--root DIR`).
pub fn test_is_temporary(config_dir: &std::path::Path) -> String {
    format!(
        "Note: `test` activates the new system now but does not make it the boot default: the next reboot starts the previous system again (the files in {} stay as they are). After a reboot, run the same `apply` again; or make it the boot default with `--action boot`, which is untested on Asterinas NixOS (and GRUB keeps a single entry there, so a system that fails to boot leaves no older one to pick).",
        config_dir.display()
    )
}

/// Arguments of `apply`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The spec file (`-` reads standard input).
    spec: PathBuf,
    /// Refuse to apply without a current lock beside the spec (`aster-config lock`), so the
    /// rebuild never uses an unpinned nixpkgs.
    #[arg(long)]
    locked: bool,
    #[command(flatten)]
    how: How,
}

/// The options `apply` and `rollback` share.
#[derive(Debug, clap::Args)]
pub struct How {
    /// The nixos-rebuild action: switch, boot, test, build or dry-build. Default: the action
    /// upstream verifies on Asterinas NixOS (`test`); others get a warning with the reason.
    #[arg(long, value_name = "ACTION")]
    pub action: Option<String>,
    /// The root of the target's file tree (files go to ROOT/etc/nixos, state to
    /// ROOT/var/lib/aster-config).
    #[arg(long, value_name = "DIR", default_value = "/")]
    pub root: PathBuf,
    /// Build here and activate on HOST over SSH (passed to nixos-rebuild).
    #[arg(long, value_name = "HOST")]
    pub target_host: Option<String>,
    /// Do not ask for confirmation (required when standard input is not a terminal).
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Check, plan and print the exact nixos-rebuild command; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Install the files and record the generation, but do not run nixos-rebuild (implied under
    /// `--root DIR` when nixos-rebuild is not installed, so deploys can be practised anywhere).
    #[arg(long)]
    pub no_rebuild: bool,
}

impl How {
    /// Whether the rebuild step is skipped: asked for, or practising under `--root` on a machine
    /// without `nixos-rebuild`.
    pub fn skips_rebuild(&self, target: &Target, program: Option<&std::path::Path>) -> bool {
        self.no_rebuild || (program.is_none() && !target.is_system_root())
    }
}

pub fn run(args: &Args, style: &Style, color: ColorChoice) -> u8 {
    // Step 1: check. Nothing is touched when the spec has errors.
    let (_, desired, pin) = match compile(&args.spec, style, args.locked) {
        Ok(compiled) => compiled,
        Err(code) => return code,
    };
    let how = &args.how;
    let Some(action) = choose_action(how.action.as_deref()) else {
        return EXIT_USAGE;
    };
    let target = Target::new(&how.root);
    if !how.skips_rebuild(&target, rebuild::find_program().as_deref()) {
        warn_local_activation(&target, action, how.target_host.as_deref());
    }
    let program = match preflight(&target, how) {
        Ok(program) => program,
        Err(code) => return code,
    };
    // Step 2: stage the new files beside the target.
    let prepared = match session::prepare(&target, desired, !how.dry_run) {
        Ok(prepared) => prepared,
        Err(error) => return fail(&error),
    };
    let command = RebuildCommand {
        action: action.name.clone(),
        configuration: target.configuration(),
        target_host: how.target_host.clone(),
        rollback: false,
        nixpkgs: pin.map(|pin| pin.nixpkgs),
    };
    let intent = prepared.intent(&action.name, how.target_host.as_deref());
    say_raw!(
        "{}",
        render(
            prepared.plan(),
            &target,
            use_color(color, std::io::stdout().is_terminal())
        )
    );
    if let Some(code) = refuse_install_time_only(&prepared) {
        prepared.discard();
        return code;
    }
    if intent == Intent::NothingToDo {
        say!(
            "\nNothing to do: the files in {} already match this spec and `nixos-rebuild {}` succeeded on them.",
            target.config_dir().display(),
            action.name
        );
        prepared.discard();
        return EXIT_OK;
    }
    if intent == Intent::RebuildOnly {
        say!("\nThe files already match; only the rebuild runs.");
    }
    carry_out(
        prepared,
        &command,
        program,
        how,
        intent == Intent::RebuildOnly,
    )
}

/// Refuses (exit 1) a spec that adds an install-time-only entry (the Xfce desktop) to a system
/// whose recorded spec does not have it: every check passes, yet the desktop would not start.
/// Without a recorded spec the plan's warning is all that can be said.
fn refuse_install_time_only(prepared: &Prepared) -> Option<u8> {
    let refused: Vec<_> = prepared
        .plan()
        .install_time
        .iter()
        .filter(|i| i.evidence == Evidence::PreviousSpecLacksIt)
        .collect();
    if refused.is_empty() {
        return None;
    }
    for item in refused {
        eprintln!("error: not applied: {item}");
    }
    Some(EXIT_SPEC_ERRORS)
}

/// The root check, the `nixos-rebuild` lookup and the report of leftovers, before anything is
/// written. Returns the program to run (none in a dry run that cannot find it).
pub fn preflight(target: &Target, how: &How) -> Result<Option<PathBuf>, u8> {
    if !how.dry_run
        && target.is_system_root()
        && aster_deploy::proc::effective_uid().is_some_and(|uid| uid != 0)
    {
        return Err(usage_error(
            "changing /etc/nixos and running nixos-rebuild need root: run this as root (for example with sudo), practise on a copy with `--root DIR`, or look first with `--dry-run`",
        ));
    }
    let program = rebuild::find_program();
    if !how.skips_rebuild(target, program.as_deref()) && program.is_none() && !how.dry_run {
        return Err(usage_error(&format!(
            "`{}` was not found on PATH; apply and rollback run on NixOS (use `--dry-run` to see the command elsewhere)",
            rebuild::PROGRAM
        )));
    }
    let findings = report_findings(target, !how.dry_run);
    if how.dry_run {
        return Ok(program);
    }
    if let Some(Finding::LockHeld(owner)) =
        findings.iter().find(|f| matches!(f, Finding::LockHeld(_)))
    {
        return Err(fail(&DeployError::LockHeld {
            path: aster_deploy::lock::lock_path(&target.state_dir()),
            owner: owner.clone(),
        }));
    }
    if !findings.is_empty() {
        match session::recover_now(target, "apply") {
            Ok(recovered) => {
                for recovered in recovered {
                    eprintln!("recovered: {recovered}");
                }
            }
            Err(error) => return Err(fail(&error)),
        }
    }
    Ok(program)
}

/// Warns that an activating action with a `--root` other than `/` and no `--target-host` still
/// changes this machine (nixos-rebuild has no root of its own).
pub fn warn_local_activation(target: &Target, action: &RebuildAction, target_host: Option<&str>) {
    if !target.is_system_root()
        && target_host.is_none()
        && (action.activates || action.boot_default)
    {
        eprintln!(
            "warning: `nixos-rebuild {}` changes this machine, built from {}; --root does not redirect it (add --target-host HOST to deploy elsewhere)",
            action.name,
            target.config_dir().display()
        );
    }
}

/// The catalog entry of the requested action (default: the verified one), with its warning
/// printed. `None` (after an error message) for an unknown action.
pub fn choose_action(requested: Option<&str>) -> Option<&'static RebuildAction> {
    let catalog = aster_distro::catalog();
    let action = match requested {
        Some(name) => catalog.rebuild_action(name),
        None => catalog
            .rebuild_actions()
            .iter()
            .find(|a| a.status == ActionStatus::Verified),
    };
    let Some(action) = action else {
        let names: Vec<&str> = catalog
            .rebuild_actions()
            .iter()
            .map(|a| a.name.as_str())
            .collect();
        usage_error(&format!(
            "unknown action `{}`; choose one of: {}",
            requested.unwrap_or_default(),
            names.join(", ")
        ));
        return None;
    };
    let verdict = match action.status {
        ActionStatus::Verified | ActionStatus::Works => None,
        ActionStatus::Untested => Some("is not tested on Asterinas NixOS"),
        ActionStatus::Unsupported => Some("does not work on Asterinas NixOS yet"),
    };
    if let Some(verdict) = verdict {
        eprintln!(
            "warning: `nixos-rebuild {}` {verdict}: {}",
            action.name, action.reason
        );
        if let Some(note) = &action.note {
            eprintln!("  note: {note}");
        }
        eprintln!("  (source: upstream {})", action.source);
    }
    Some(action)
}

/// Steps 3–7 after the plan is shown: dry-run stop, confirmation, lock, install (or rebuild
/// only), report.
pub fn carry_out(
    prepared: Prepared,
    command: &RebuildCommand,
    program: Option<PathBuf>,
    how: &How,
    rebuild_only: bool,
) -> u8 {
    let shown = command.display();
    let skip = how.skips_rebuild(prepared.target(), program.as_deref());
    let rollback_to = prepared.restores();
    if how.dry_run {
        if skip {
            say!(
                "\nDry run: nothing was changed. The files would be put in place without running `{shown}`."
            );
        } else {
            say!("\nDry run: nothing was changed. An apply would run:\n  {shown}");
        }
        prepared.discard();
        return EXIT_OK;
    }
    let config_dir = prepared.target().config_dir();
    if skip && !how.no_rebuild {
        // Said here, once the run is known to go ahead, never before an error.
        let what = rollback_to.map_or_else(
            || {
                format!(
                    "the files are installed under {} and recorded as a generation",
                    config_dir.display()
                )
            },
            |n| {
                format!(
                    "the files of generation {n} are put back under {}",
                    config_dir.display()
                )
            },
        );
        eprintln!(
            "note: `{}` is not installed here, so the rebuild step is skipped: {what}, nothing is built or activated",
            rebuild::PROGRAM
        );
    }
    let program = if skip {
        None
    } else if let Some(program) = program {
        Some(program)
    } else {
        prepared.discard();
        return EXIT_USAGE;
    };
    if skip && rebuild_only {
        say!("\nThe files already match and the rebuild step is skipped: nothing to do.");
        prepared.discard();
        return EXIT_OK;
    }
    let question = if skip {
        format!(
            "\nProceed and install the files without running nixos-rebuild (`{shown}` is skipped)?"
        )
    } else {
        format!("\nProceed and run `{shown}`?")
    };
    match confirm(&question, how.yes) {
        Ok(true) => {}
        Ok(false) => {
            eprintln!("Nothing was changed.");
            prepared.discard();
            return EXIT_OK;
        }
        Err(code) => {
            prepared.discard();
            return code;
        }
    }
    // The locked nixpkgs must be in the store, with its hash, before anything changes.
    if let (false, Some(nixpkgs)) = (skip, &command.nixpkgs)
        && let Err(code) = super::lock::fetch(nixpkgs)
    {
        prepared.discard();
        return code;
    }
    // Step 4: the lock; then whatever an interrupted run left is recovered.
    let locked = match prepared.lock(if command.rollback {
        "rollback"
    } else {
        "apply"
    }) {
        Ok(locked) => locked,
        Err(error) => return fail(&error),
    };
    for recovered in locked.recovered() {
        eprintln!("recovered: {recovered}");
    }
    if !locked.as_planned() {
        locked.abandon();
        return fail(&DeployError::ChangedSincePlan);
    }
    let ran = Ran {
        command,
        rollback_to,
        config_dir: &config_dir,
    };
    install(locked, program.as_deref(), &ran, rebuild_only)
}

/// What ran, for the closing report.
struct Ran<'a> {
    command: &'a RebuildCommand,
    /// The generation a rollback put back (`None`: an apply).
    rollback_to: Option<u32>,
    /// Where the files are.
    config_dir: &'a std::path::Path,
}

fn install(
    locked: Locked,
    program: Option<&std::path::Path>,
    ran: &Ran<'_>,
    rebuild_only: bool,
) -> u8 {
    let command = ran.command;
    let mut progress = Progress::new(format!("nixos-rebuild {}", command.action));
    if program.is_some() {
        eprintln!("Running {}", command.display());
    }
    let result = match program {
        Some(program) if rebuild_only => {
            locked.rebuild_only(program, command, |event| progress.show(event))
        }
        _ => locked.install(program, command, |event| progress.show(event)),
    };
    progress.clear();
    match result {
        Ok(report) => explain(&report, ran),
        Err(error) => {
            eprintln!(
                "error: {error}\nThe journal in the state folder records how far this run got; the next `aster-config apply` or `rollback` puts the files back in a consistent state."
            );
            EXIT_USAGE
        }
    }
}

/// Tells how steps 5–7 ended and picks the exit code.
fn explain(report: &Report, ran: &Ran<'_>) -> u8 {
    let command = ran.command;
    let previous = report.previous.map_or_else(
        || "no managed files".to_owned(),
        |n| format!("the files of generation {n}"),
    );
    if let Some(found) = report.found {
        eprintln!("Kept the files that were in place as generation {found}.");
    }
    match &report.end {
        RebuildEnd::Succeeded(outcome) => {
            eprintln!(
                "Done: generation {} is installed and `nixos-rebuild {}` succeeded in {}.",
                report.generation,
                command.action,
                elapsed(outcome.elapsed)
            );
            if command.action == "test" {
                eprintln!("{}", test_is_temporary(ran.config_dir));
            }
            EXIT_OK
        }
        RebuildEnd::Skipped if ran.rollback_to.is_some() => {
            eprintln!(
                "Done: the files of generation {} are back in {}; nixos-rebuild was not run, so nothing was built or activated.",
                report.generation,
                ran.config_dir.display()
            );
            EXIT_OK
        }
        RebuildEnd::Skipped => {
            eprintln!(
                "Done: generation {} is installed and recorded; nixos-rebuild was not run, so nothing was built or activated.",
                report.generation
            );
            EXIT_OK
        }
        RebuildEnd::Failed(outcome) => {
            eprintln!(
                "\nerror: `nixos-rebuild {}` failed ({}) after {}.",
                command.action,
                outcome.status,
                elapsed(outcome.elapsed)
            );
            if report.replaced_files {
                eprintln!(
                    "Put back {previous}; generation {} is recorded as failed.",
                    report.generation
                );
            } else {
                eprintln!("No file was changed.");
            }
            if !outcome.stderr_tail.is_empty() {
                eprintln!("What nixos-rebuild reported:");
                for line in &outcome.stderr_tail {
                    eprintln!("  | {line}");
                }
            }
            eprintln!(
                "Full output: {} and {}",
                outcome.logs.0.display(),
                outcome.logs.1.display()
            );
            EXIT_REBUILD_FAILED
        }
        RebuildEnd::NotStarted(error) => {
            eprintln!("\nerror: {error}");
            if report.replaced_files {
                eprintln!("Put back {previous}.");
            }
            EXIT_USAGE
        }
    }
}

fn elapsed(duration: Duration) -> String {
    let seconds = duration.as_secs();
    if seconds >= 60 {
        format!("{}m{:02}s", seconds / 60, seconds % 60)
    } else {
        format!("{}.{}s", seconds, duration.subsec_millis() / 100)
    }
}

/// Asks on the terminal. Without a terminal and without `--yes`: a usage error.
pub fn confirm(question: &str, yes: bool) -> Result<bool, u8> {
    if yes {
        return Ok(true);
    }
    if !std::io::stdin().is_terminal() {
        return Err(usage_error(
            "not changing anything without confirmation: standard input is not a terminal. Review the plan above and pass --yes to go ahead",
        ));
    }
    eprint!("{question} [y/N] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    if std::io::stdin().lock().read_line(&mut answer).is_err() {
        return Ok(false);
    }
    Ok(matches!(answer.trim().to_lowercase().as_str(), "y" | "yes"))
}

/// Streams the rebuild's lines and shows a spinner with the elapsed time while it is quiet (on a
/// terminal), or a line every 30 seconds of silence (in logs).
struct Progress {
    label: String,
    terminal: bool,
    drawn: bool,
    frame: usize,
    next_note: Duration,
}

impl Progress {
    fn new(label: String) -> Self {
        Self {
            label,
            terminal: std::io::stderr().is_terminal(),
            drawn: false,
            frame: 0,
            next_note: Duration::from_secs(30),
        }
    }

    fn show(&mut self, event: Event<'_>) {
        match event {
            Event::Stdout(line) => {
                self.clear();
                say!("{line}");
            }
            Event::Stderr(line) => {
                self.clear();
                eprintln!("{line}");
            }
            Event::Quiet(since_start) if self.terminal => {
                const FRAMES: [char; 4] = ['|', '/', '-', '\\'];
                self.frame = (self.frame + 1) % FRAMES.len();
                eprint!(
                    "\r\x1b[2K{} {} ({})",
                    FRAMES[self.frame],
                    self.label,
                    elapsed(since_start)
                );
                let _ = std::io::stderr().flush();
                self.drawn = true;
            }
            Event::Quiet(since_start) => {
                if since_start >= self.next_note {
                    eprintln!("… {} still running ({})", self.label, elapsed(since_start));
                    self.next_note = since_start + Duration::from_secs(30);
                }
            }
        }
    }

    fn clear(&mut self) {
        if self.drawn {
            eprint!("\r\x1b[2K");
            let _ = std::io::stderr().flush();
            self.drawn = false;
        }
    }
}
