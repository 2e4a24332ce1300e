//! `aster-config fleet check|build|plan|apply FLEET.toml`: many machines from one fleet file.
//!
//! Exit codes: 0 done; 1 the fleet (a host's spec, the fleet file or the lock) has errors;
//! 2 usage or I/O problems (an `--on` that selects a host or tag the fleet does not have, no
//! confirmation); 3 `plan --exit-code` found changes; 4 some hosts failed and were put back.

use super::{EXIT_OK, EXIT_SPEC_ERRORS, EXIT_USAGE, Format, render::Style, render::usage_error};
use aster_compiler::Diagnostics;
use aster_fleet::deploy::{self, Colmena, Event, Goal, Outcome};
use aster_fleet::{Checked, FleetDiagnostic, Wanted};
use std::io::{BufRead as _, IsTerminal as _};
use std::path::{Path, PathBuf};

/// Exit code of `fleet apply` when some hosts failed (and were put back).
pub const EXIT_HOSTS_FAILED: u8 = 4;

/// The fleet subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Check every host of a fleet; report every problem, each in the file that set it.
    #[command(after_help = "Example:\n  aster-config fleet check fleet.toml")]
    Check(CheckArgs),
    /// Write hive.nix, flake.nix, hosts/<host>/ and the distro tree to a folder.
    #[command(after_help = "Example:\n  aster-config fleet build fleet.toml -o out/")]
    Build(BuildArgs),
    /// Show, per host, what a deploy would change (packages, services, users, ports, options).
    #[command(
        after_help = "Examples:\n  aster-config fleet plan fleet.toml\n  aster-config fleet plan fleet.toml --on @web --exit-code\n\nWith --exit-code: 0 no change, 1 errors, 2 usage, 3 changes."
    )]
    Plan(PlanArgs),
    /// Deploy through colmena with a dead-man's switch; put failing hosts back.
    #[command(
        after_help = "Examples:\n  aster-config fleet apply fleet.toml --on @web\n  aster-config fleet apply fleet.toml --goal switch --yes\n\nExit codes: 0 every host kept the new generation, 1 errors, 2 usage or I/O problems, 4 some hosts failed and were put back."
    )]
    Apply(ApplyArgs),
}

/// Arguments of `fleet check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The fleet file.
    fleet: PathBuf,
}

/// Arguments of `fleet build`.
#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// The fleet file.
    fleet: PathBuf,
    /// The output folder; created, or replaced when it holds an earlier aster-config output.
    #[arg(short, long, value_name = "DIR")]
    output: PathBuf,
}

/// Arguments of `fleet plan`.
#[derive(Debug, clap::Args)]
pub struct PlanArgs {
    /// The fleet file.
    fleet: PathBuf,
    /// Hosts and tags: `web-01,@db`.
    #[arg(long, value_name = "SELECTOR")]
    on: Option<String>,
    /// Exit with 3 when some host would change.
    #[arg(long)]
    exit_code: bool,
}

/// Arguments of `fleet apply`.
#[derive(Debug, clap::Args)]
pub struct ApplyArgs {
    /// The fleet file.
    fleet: PathBuf,
    /// Hosts and tags: `web-01,@db`.
    #[arg(long, value_name = "SELECTOR")]
    on: Option<String>,
    /// What to do with the new systems.
    #[arg(long, value_parser = ["test", "boot", "switch"], default_value = "test")]
    goal: String,
    /// Do not ask for confirmation (for scripts).
    #[arg(long)]
    yes: bool,
}

/// Runs a fleet subcommand.
pub fn run(command: &Command, style: &Style, format: Format) -> u8 {
    match command {
        Command::Check(args) => check(args, style, format),
        Command::Build(args) => build(args, style, format),
        Command::Plan(args) => plan(args, style, format),
        Command::Apply(args) => apply(args, style, format),
    }
}

fn compile(path: &Path, need_lock: bool, wanted: Wanted) -> Checked {
    aster_fleet::check(path, &aster_compiler::Options::default(), need_lock, wanted)
}

fn check(args: &CheckArgs, style: &Style, format: Format) -> u8 {
    let checked = compile(&args.fleet, false, Wanted::NOTHING);
    render(style, format, &checked);
    if checked.report.has_errors() {
        return EXIT_SPEC_ERRORS;
    }
    style.status(&format!(
        "{}: ok, {} host(s) ({} warning(s))",
        shown(&checked),
        checked.hosts.len(),
        checked.report.warning_count()
    ));
    EXIT_OK
}

fn build(args: &BuildArgs, style: &Style, format: Format) -> u8 {
    let built = aster_fleet::build(
        &args.fleet,
        &aster_compiler::Options::default(),
        &args.output,
    );
    let checked = &built.checked;
    render(style, format, checked);
    match built.written {
        None => {
            style.status(&format!("{}: nothing written", shown(checked)));
            EXIT_SPEC_ERRORS
        }
        Some(Ok(files)) => {
            style.status(&format!(
                "{}: wrote {} host(s), {files} file(s) to {}",
                shown(checked),
                checked.hosts.len(),
                args.output.display()
            ));
            EXIT_OK
        }
        Some(Err(error)) => usage_error(&format!("cannot write the output: {error}")),
    }
}

fn shown(checked: &Checked) -> String {
    aster_fleet::paths::display(&checked.location.file)
}

/// Prints every diagnostic, grouped by file, with the hosts each one concerns.
pub fn render(style: &Style, format: Format, checked: &Checked) {
    if format == Format::Json {
        let items: Vec<serde_json::Value> = checked
            .report
            .diagnostics
            .iter()
            .map(|d| {
                let file = d.file.map(|f| checked.files.get(f).name.clone());
                let labels: Vec<serde_json::Value> = d
                    .diagnostic
                    .labels
                    .iter()
                    .map(|l| {
                        let (line, column) = d
                            .file
                            .map_or((0, 0), |f| checked.files.line_column(f, l.span.start));
                        serde_json::json!({"start": l.span.start, "end": l.span.end, "text": l.text,
                            "primary": l.primary, "line": line, "column": column})
                    })
                    .collect();
                serde_json::json!({"file": file, "hosts": d.hosts, "code": d.diagnostic.code,
                    "severity": d.diagnostic.severity, "message": d.diagnostic.message,
                    "labels": labels, "help": d.diagnostic.help, "suggestion": d.diagnostic.suggestion})
            })
            .collect();
        let document = serde_json::json!({
            "fleet": shown(checked),
            "errors": checked.report.error_count(),
            "warnings": checked.report.warning_count(),
            "diagnostics": items,
        });
        say!(
            "{}",
            serde_json::to_string_pretty(&document).unwrap_or_default()
        );
        return;
    }
    for diagnostic in &checked.report.diagnostics {
        render_one(style, checked, diagnostic);
    }
}

fn render_one(style: &Style, checked: &Checked, diagnostic: &FleetDiagnostic) {
    let mut shown_diagnostic = diagnostic.diagnostic.clone();
    match diagnostic.hosts.as_slice() {
        [] => {}
        [one] => shown_diagnostic.message = format!("host {one}: {}", shown_diagnostic.message),
        many => {
            shown_diagnostic.message =
                format!("hosts {}: {}", many.join(", "), shown_diagnostic.message);
        }
    }
    let mut one = Diagnostics::new();
    one.push(shown_diagnostic);
    match diagnostic.file {
        Some(file) => {
            let source = checked.files.get(file);
            style.diagnostics(&source.name, Some(source), &one);
        }
        None => style.diagnostics(&shown(checked), None, &one),
    }
}

/// Renders `--on` problems (no file to point into) and returns the usage exit code.
fn selection(
    style: &Style,
    format: Format,
    checked: &Checked,
    on: Option<&str>,
) -> Result<Vec<usize>, u8> {
    let Some(fleet) = &checked.fleet else {
        return Err(EXIT_SPEC_ERRORS);
    };
    aster_fleet::select::select(&fleet.value, on).map_err(|problems| {
        let shown_checked = Checked {
            location: checked.location.clone(),
            files: checked.files.clone(),
            fleet: None,
            hosts: Vec::new(),
            lock: None,
            report: aster_fleet::Report {
                diagnostics: problems.into_iter().map(FleetDiagnostic::general).collect(),
            },
        };
        render(style, format, &shown_checked);
        EXIT_USAGE
    })
}

fn plan(args: &PlanArgs, style: &Style, format: Format) -> u8 {
    let checked = compile(&args.fleet, true, Wanted::SPECS);
    render(style, format, &checked);
    let selected = match selection(style, format, &checked, args.on.as_deref()) {
        Ok(selected) => selected,
        Err(code) => return code,
    };
    if checked.report.has_errors() {
        style.status(&format!("{}: nothing planned", shown(&checked)));
        return EXIT_SPEC_ERRORS;
    }
    let summaries = summarize(&checked, &selected);
    let changed = summaries.iter().filter(|(_, line)| line.is_some()).count();
    for (host, line) in &summaries {
        say!("{host}: {}", line.as_deref().unwrap_or("no change"));
    }
    say!("{changed} of {} host(s) would change", summaries.len());
    if args.exit_code && changed > 0 {
        3
    } else {
        EXIT_OK
    }
}

/// Per selected host: its summary of changes since the last deployed spec (`None`: no change).
fn summarize(checked: &Checked, selected: &[usize]) -> Vec<(String, Option<String>)> {
    let Some(fleet) = &checked.fleet else {
        return Vec::new();
    };
    let state = state_dir(checked);
    let builds: std::collections::HashMap<&str, &aster_fleet::compile::HostBuild> = checked
        .hosts
        .iter()
        .map(|build| (build.name.as_str(), build))
        .collect();
    selected
        .iter()
        .filter_map(|i| {
            let name = &fleet.value.host[*i].name;
            let spec = builds.get(name.as_str())?.spec.as_ref()?;
            let before =
                std::fs::read_to_string(state.join("deployed").join(format!("{name}.json")))
                    .ok()
                    .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok());
            let summary = aster_deploy::summary::SpecChanges::between(before.as_ref(), spec);
            let line = if before.is_none() {
                Some(format!("new host: {}", summary.one_line()))
            } else if summary.is_empty() {
                None
            } else {
                Some(summary.one_line())
            };
            Some((name.clone(), line))
        })
        .collect()
}

fn state_dir(checked: &Checked) -> PathBuf {
    checked.location.dir.join(deploy::STATE_DIR)
}

fn apply(args: &ApplyArgs, style: &Style, format: Format) -> u8 {
    let goal = Goal::parse(&args.goal).unwrap_or(Goal::Test);
    let checked = compile(&args.fleet, true, Wanted::EVERYTHING);
    render(style, format, &checked);
    let selected = match selection(style, format, &checked, args.on.as_deref()) {
        Ok(selected) => selected,
        Err(code) => return code,
    };
    let (Some(fleet), Some(lock), Some(output)) =
        (&checked.fleet, &checked.lock, aster_fleet::output(&checked))
    else {
        style.status(&format!("{}: nothing deployed", shown(&checked)));
        return EXIT_SPEC_ERRORS;
    };
    let state = state_dir(&checked);
    let build_dir = state.join("build");
    let colmena = Colmena::new(&build_dir, &state);
    if let Some(journal) = deploy::interrupted(&state) {
        eprintln!(
            "an earlier `fleet apply` (run {}) was interrupted while {} host(s) were armed: {}",
            journal.run,
            journal.hosts.len(),
            journal.hosts.join(", ")
        );
        eprintln!("recovering: putting those hosts back on their previous generation");
        match deploy::recover(&colmena, &journal) {
            Ok(unreached) if unreached.is_empty() => eprintln!("recovered"),
            Ok(unreached) => eprintln!(
                "could not reach {}; their dead-man's switches put them back by themselves",
                unreached.join(", ")
            ),
            Err(error) => return usage_error(&format!("cannot recover: {error}")),
        }
    }
    for (host, line) in summarize(&checked, &selected) {
        eprintln!("{host}: {}", line.as_deref().unwrap_or("no change"));
    }
    if !args.yes && !confirm(selected.len(), goal) {
        eprintln!("nothing deployed");
        return EXIT_USAGE;
    }
    if let Err(error) = aster_compiler::output::write(&output, &build_dir) {
        return usage_error(&format!("cannot write the build folder: {error}"));
    }
    let plan = deploy::Plan {
        run: run_token(),
        goal,
        timeout: fleet.value.deploy.rollback_timeout,
        targets: selected
            .iter()
            .map(|i| deploy::Target {
                name: fleet.value.host[*i].name.clone(),
                health: fleet.value.host[*i].health.clone(),
            })
            .collect(),
    };
    let mut progress = |event: Event| match event {
        Event::Step(text) => style.status(&format!("==> {text}")),
        Event::Host(host, text) => style.status(&format!("    [{host}] {text}")),
    };
    let outcomes = match deploy::deploy(&colmena, &plan, &mut progress) {
        Ok(outcomes) => outcomes,
        Err(error) => return usage_error(&format!("{error}")),
    };
    let _ = deploy::record(&state, lock, goal, &outcomes);
    remember_deployed(&checked, &state, &outcomes);
    summary_table(&outcomes, &state);
    if outcomes.iter().all(|(_, o)| o.ok()) {
        EXIT_OK
    } else {
        EXIT_HOSTS_FAILED
    }
}

fn confirm(hosts: usize, goal: Goal) -> bool {
    if !std::io::stdin().is_terminal() {
        eprintln!(
            "refusing to deploy without confirmation: pass --yes (standard input is not a terminal)"
        );
        return false;
    }
    eprint!(
        "deploy to {hosts} host(s) with goal `{}`? [y/N] ",
        goal.as_str()
    );
    let mut answer = String::new();
    let _ = std::io::stdin().lock().read_line(&mut answer);
    matches!(answer.trim(), "y" | "Y" | "yes")
}

/// A token for this run: process id and time, in hex.
fn run_token() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{:x}{:x}", std::process::id(), nanos)
}

/// Keeps the spec each kept host now runs, for the next plan.
fn remember_deployed(checked: &Checked, state: &Path, outcomes: &[(String, Outcome)]) {
    let folder = state.join("deployed");
    let _ = std::fs::create_dir_all(&folder);
    let specs: std::collections::HashMap<&str, &serde_json::Value> = checked
        .hosts
        .iter()
        .filter_map(|h| Some((h.name.as_str(), h.spec.as_ref()?)))
        .collect();
    for (host, outcome) in outcomes {
        if let (true, Some(spec)) = (outcome.ok(), specs.get(host.as_str())) {
            let text = serde_json::to_string_pretty(spec).unwrap_or_default();
            let _ = std::fs::write(folder.join(format!("{host}.json")), text);
        }
    }
}

fn summary_table(outcomes: &[(String, Outcome)], state: &Path) {
    let width = outcomes
        .iter()
        .map(|(h, _)| h.len())
        .max()
        .unwrap_or(4)
        .max(4);
    say!("{:width$}  result", "host");
    for (host, outcome) in outcomes {
        let result = match outcome {
            Outcome::Kept { .. } => "ok",
            Outcome::NotBuilt => "not built",
            Outcome::RolledBack { .. } => "rolled back",
            Outcome::RevertsByItself { .. } => "reverting",
        };
        say!("{host:width$}  {result}: {}", deploy::describe(outcome));
    }
    let kept = outcomes.iter().filter(|(_, o)| o.ok()).count();
    say!(
        "{kept} of {} host(s) kept the new generation",
        outcomes.len()
    );
    if kept < outcomes.len() {
        say!("colmena's output: {}", state.join("colmena.log").display());
    }
}
