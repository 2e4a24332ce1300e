//! `aster-config plan SPEC [--root DIR] [--exit-code]`: what `apply` would change, changing
//! nothing. Also the plan rendering and the spec compilation that `apply` and `rollback` share.
//! With a lock beside the spec, the files to install include `nixpkgs.nix` (the pin), so a
//! new pin shows as a changed file.
//!
//! Exit codes with `--exit-code`: 0 no change, 1 the spec has errors, 2 usage or I/O problems,
//! 3 changes. Without it, a successful plan exits 0 whether or not something would change.

use super::render::{Style, usage_error};
use super::{ColorChoice, EXIT_OK, EXIT_SPEC_ERRORS, EXIT_USAGE, Format, read_spec};
use aster_deploy::Target;
use aster_deploy::install_time::Evidence;
use aster_deploy::plan::{Baseline, FileChangeKind, FileNote, Plan};
use aster_deploy::recover::{self, Finding};
use aster_deploy::session::{self, Desired};
use aster_deploy::summary::{OptionChange, SpecChanges};
use std::fmt::Write as _;
use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};

/// Exit code of `plan --exit-code` when something would change.
pub const EXIT_CHANGES: u8 = 3;

/// Arguments of `plan`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The spec file (`-` reads standard input).
    spec: PathBuf,
    /// The root of the target's file tree: the plan compares with ROOT/etc/nixos.
    #[arg(long, value_name = "DIR", default_value = "/")]
    root: PathBuf,
    /// Exit 0 when nothing would change and 3 when something would (1: spec errors, 2: usage or
    /// I/O problems).
    #[arg(long)]
    exit_code: bool,
    /// Refuse to plan without a current lock beside the spec (`aster-config lock`).
    #[arg(long)]
    locked: bool,
}

pub fn run(args: &Args, style: &Style, format: Format, color: ColorChoice) -> u8 {
    // In JSON mode stdout is the plan document: diagnostics go to stderr, for people.
    let human = Style::new(Format::Human, color);
    let style = if format == Format::Json {
        &human
    } else {
        style
    };
    let (name, desired, _) = match compile(&args.spec, style, args.locked) {
        Ok(compiled) => compiled,
        Err(code) => return code,
    };
    let target = Target::new(&args.root);
    report_findings(&target, false);
    let prepared = match session::prepare(&target, desired, false) {
        Ok(prepared) => prepared,
        Err(error) => return usage_error(&error.to_string()),
    };
    let plan = prepared.plan();
    match format {
        Format::Json => say!("{}", json(&name, &target, plan)),
        Format::Human => say_raw!(
            "{}",
            render(
                plan,
                &target,
                use_color(color, std::io::stdout().is_terminal())
            )
        ),
    }
    if args.exit_code && plan.changes_files() {
        EXIT_CHANGES
    } else {
        EXIT_OK
    }
}

/// Step 1 of plan, apply: reads and compiles the spec, prints its diagnostics; on success the
/// spec's name, the files to install (with `nixpkgs.nix` when the spec has a lock) and the pin.
/// A stale lock, or none under `--locked` (`required`), stops it before the spec is compiled.
pub fn compile(
    path: &Path,
    style: &Style,
    required: bool,
) -> Result<(String, Desired, Option<super::lock::Pin>), u8> {
    let (bytes, name, dir) = read_spec(path).map_err(|message| usage_error(&message))?;
    let shown = super::render::spec_path(path);
    let pin = super::lock::spec_pin(path, required)
        .map_err(|problem| problem.report(style, &shown, "nothing changed"))?;
    let built = aster_compiler::build_with(
        aster_compiler::Input {
            name: &name,
            bytes: &bytes,
            base_dir: dir.as_deref(),
        },
        &aster_compiler::Options {
            pin: pin.as_ref().map(|pin| pin.file.as_str()),
            ..aster_compiler::Options::default()
        },
    );
    let checked = &built.checked;
    style.diagnostics(&shown, checked.source.as_ref(), &checked.diagnostics);
    if let (Some(output), Some(spec)) = (&built.output, &checked.spec) {
        let desired = Desired::compiled(&name, output, spec);
        Ok((name.clone(), desired, pin))
    } else {
        style.status(&format!("{shown}: nothing changed"));
        Err(EXIT_SPEC_ERRORS)
    }
}

/// Prints what interrupted or concurrent runs left (to stderr). `will_recover`: this run is
/// about to recover them under the lock.
pub fn report_findings(target: &Target, will_recover: bool) -> Vec<Finding> {
    let findings = match recover::inspect(target) {
        Ok(findings) => findings,
        Err(error) => {
            eprintln!("warning: {error}");
            return Vec::new();
        }
    };
    for finding in &findings {
        eprintln!("warning: {finding}");
    }
    let needs_recovery = findings.iter().any(|f| !matches!(f, Finding::LockHeld(_)));
    if needs_recovery {
        if will_recover {
            eprintln!("note: recovering it before going on");
        } else {
            eprintln!(
                "note: the next `aster-config apply` or `rollback` on this root recovers it first; the plan below is against the files as they are now"
            );
        }
    }
    findings
}

/// Colour on when chosen, or when automatic, `NO_COLOR` is unset and the stream is a terminal.
pub fn use_color(choice: ColorChoice, terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}

/// The plan for people: summary, file list, diffs.
pub fn render(plan: &Plan, target: &Target, color: bool) -> String {
    let mut out = String::new();
    let dir = target.config_dir();
    let _ = writeln!(out, "Plan for {}", dir.display());
    let baseline = match &plan.baseline {
        Baseline::Nothing => {
            "No previous generation recorded: compared with an empty spec.".to_owned()
        }
        Baseline::Found(n) => format!(
            "Generation {n} holds files found in place, without a spec: compared with an empty spec."
        ),
        Baseline::Spec { number, name } => format!(
            "Compared with generation {number}{}.",
            name.as_deref()
                .map(|n| format!(" ({n})"))
                .unwrap_or_default()
        ),
    };
    let _ = writeln!(out, "{baseline}\n");
    render_changes(&mut out, &plan.changes, &plan.changed_paths());
    out.push('\n');
    let _ = writeln!(out, "Managed files:");
    for file in &plan.files {
        let (mark, word) = match file.kind {
            FileChangeKind::Added => ('+', "added"),
            FileChangeKind::Modified => ('~', "changed"),
            FileChangeKind::Removed => ('-', "removed"),
            FileChangeKind::Unchanged => ('=', "unchanged"),
        };
        let note = match file.note {
            Some(FileNote::TakesOver) => {
                "; replaces a file aster-config did not write, kept as a generation".to_owned()
            }
            Some(FileNote::HandEdited(n)) => {
                format!("; edited by hand since generation {n}, the edit is kept as a generation")
            }
            None => String::new(),
        };
        let _ = writeln!(out, "  {mark} {} ({word}{note})", file.path);
    }
    for warning in &plan.warnings {
        let _ = writeln!(out, "\nwarning: {warning}");
    }
    for item in &plan.install_time {
        let _ = writeln!(out, "\nwarning: {item}");
    }
    for file in &plan.files {
        let diff = file.unified_diff();
        if !diff.is_empty() {
            out.push('\n');
            out.push_str(&paint_diff(&diff, color));
        }
    }
    let changed = plan
        .files
        .iter()
        .filter(|f| f.kind != FileChangeKind::Unchanged)
        .count();
    let _ = writeln!(
        out,
        "\n{} to change, {} unchanged.",
        plural(changed, "file"),
        plural(plan.files.len() - changed, "file")
    );
    out
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The spec's changes; when no setting changed but files do (an imported module or a patch
/// read from disk), says which files, so an edit outside the spec is not reported as nothing.
fn render_changes(out: &mut String, changes: &SpecChanges, changed_files: &[&str]) {
    if changes.is_empty() {
        if changed_files.is_empty() {
            let _ = writeln!(out, "  No setting changed.");
        } else {
            let _ = writeln!(
                out,
                "  No setting of the spec changed; files changed: {}",
                changed_files.join(", ")
            );
        }
        return;
    }
    let mut line = |label: &str, items: Vec<String>| {
        if !items.is_empty() {
            let _ = writeln!(out, "  {label:<24}{}", items.join(", "));
        }
    };
    line("packages added:", changes.packages_added.clone());
    line("packages removed:", changes.packages_removed.clone());
    line("services enabled:", changes.services_enabled.clone());
    line("services disabled:", changes.services_disabled.clone());
    line("users added:", changes.users_added.clone());
    line("users removed:", changes.users_removed.clone());
    line(
        "ports opened:",
        changes
            .ports_opened
            .iter()
            .map(ToString::to_string)
            .collect(),
    );
    line(
        "ports closed:",
        changes
            .ports_closed
            .iter()
            .map(ToString::to_string)
            .collect(),
    );
    line("kernel params added:", changes.kernel_params_added.clone());
    line(
        "kernel params removed:",
        changes.kernel_params_removed.clone(),
    );
    if !changes.options.is_empty() {
        let _ = writeln!(out, "  settings changed:");
        for OptionChange {
            path,
            before,
            after,
        } in &changes.options
        {
            let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "(unset)".to_owned());
            let _ = writeln!(out, "    {path}: {} → {}", show(before), show(after));
        }
    }
}

fn paint_diff(diff: &str, color: bool) -> String {
    if !color {
        return diff.to_owned();
    }
    let mut out = String::new();
    for line in diff.lines() {
        let code = if line.starts_with("+++") || line.starts_with("---") {
            Some("1")
        } else if line.starts_with('+') {
            Some("32")
        } else if line.starts_with('-') {
            Some("31")
        } else if line.starts_with("@@") {
            Some("36")
        } else {
            None
        };
        let _ = match code {
            Some(code) => writeln!(out, "\x1b[{code}m{line}\x1b[0m"),
            None => writeln!(out, "{line}"),
        };
    }
    out
}

fn json(name: &str, target: &Target, plan: &Plan) -> String {
    let c = &plan.changes;
    let ports = |p: &[aster_deploy::summary::Port]| -> Vec<String> {
        p.iter().map(ToString::to_string).collect()
    };
    let baseline = match &plan.baseline {
        Baseline::Nothing => serde_json::Value::Null,
        Baseline::Found(n) => serde_json::json!({ "generation": n, "origin": "found" }),
        Baseline::Spec { number, name } => {
            serde_json::json!({ "generation": number, "origin": "spec", "spec": name })
        }
    };
    let files: Vec<serde_json::Value> = plan
        .files
        .iter()
        .map(|f| {
            serde_json::json!({
                "path": f.path,
                "change": format!("{:?}", f.kind).to_lowercase(),
                "takes-over": f.note == Some(FileNote::TakesOver),
                "hand-edited": matches!(f.note, Some(FileNote::HandEdited(_))),
                "diff": f.unified_diff(),
            })
        })
        .collect();
    let options: Vec<serde_json::Value> = c
        .options
        .iter()
        .map(|o| serde_json::json!({ "path": o.path, "before": o.before, "after": o.after }))
        .collect();
    let document = serde_json::json!({
        "spec": name,
        "target": target.config_dir(),
        "changed": plan.changes_files(),
        "baseline": baseline,
        "summary": {
            "packages-added": c.packages_added, "packages-removed": c.packages_removed,
            "services-enabled": c.services_enabled, "services-disabled": c.services_disabled,
            "users-added": c.users_added, "users-removed": c.users_removed,
            "ports-opened": ports(&c.ports_opened), "ports-closed": ports(&c.ports_closed),
            "kernel-params-added": c.kernel_params_added,
            "kernel-params-removed": c.kernel_params_removed,
            "options": options,
        },
        "files": files,
        "warnings": plan.warnings,
        "install-time-only": plan.install_time.iter().map(|i| serde_json::json!({
            "name": i.name,
            "section": i.section,
            "reason": i.reason,
            "previous-spec-lacks-it": i.evidence == Evidence::PreviousSpecLacksIt,
            "message": i.to_string(),
        })).collect::<Vec<_>>(),
    });
    serde_json::to_string_pretty(&document).unwrap_or_default()
}

/// Prints an error and returns the usage/I/O exit code.
pub fn fail(error: &dyn std::fmt::Display) -> u8 {
    eprintln!("error: {error}");
    EXIT_USAGE
}
