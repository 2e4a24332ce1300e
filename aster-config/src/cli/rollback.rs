//! `aster-config rollback [N]`: put back the files of generation N (default: the one before the
//! installed generation) and run `nixos-rebuild`; when the files already match generation N, run
//! `nixos-rebuild <action> --rollback` instead, which returns the system to its previous NixOS
//! generation without building. Same steps, lock, recovery and exit codes as `apply`.
//!
//! When no rebuild runs (practising under `--root DIR` without `nixos-rebuild`, or
//! `--no-rebuild`) only files go back, so a generation installed with its rebuild skipped
//! ("not built") is a target too; with a rebuild, only generations that were built or found in
//! place are, so a rollback never pretends a system exists that was never built.

use super::ColorChoice;
use super::EXIT_USAGE;
use super::apply::{How, carry_out, choose_action, preflight, warn_local_activation};
use super::plan::{fail, render, use_color};
use aster_deploy::generations::{Generation, Store};
use aster_deploy::rebuild::RebuildCommand;
use aster_deploy::session::{self, Desired, Source};
use aster_deploy::{DeployError, Target};
use std::io::IsTerminal as _;

/// Arguments of `rollback`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The generation to go back to (see `aster-config generations`); default: the newest one
    /// before the installed generation that was built or found in place.
    generation: Option<u32>,
    #[command(flatten)]
    how: How,
}

pub fn run(args: &Args, color: ColorChoice) -> u8 {
    let how = &args.how;
    let target = Target::new(&how.root);
    let store = Store::new(&target.state_dir());
    let Some(action) = choose_action(how.action.as_deref()) else {
        return EXIT_USAGE;
    };
    // Recovery first: it may change which generation is installed.
    let program = match preflight(&target, how) {
        Ok(program) => program,
        Err(code) => return code,
    };
    // Without a rebuild only files go back, so a generation that was never built is a target.
    let files_only = how.skips_rebuild(&target, program.as_deref());
    let (generation, current) = match pick(&store, args.generation, files_only) {
        Ok(picked) => picked,
        Err(error) => return fail(&error),
    };
    let files = match store.files(&generation) {
        Ok(files) => files,
        Err(error) => return fail(&error),
    };
    let number = generation.number;
    let target_host = how.target_host.clone().or_else(|| {
        let host = current.as_ref()?.rebuilds.last()?.target_host.clone()?;
        eprintln!("Using --target-host {host}, recorded for the installed generation.");
        Some(host)
    });
    if !files_only {
        warn_local_activation(&target, action, target_host.as_deref());
    }
    let nixpkgs = generation.nixpkgs().cloned();
    let desired = Desired {
        files,
        source: Source::Generation(Box::new(generation)),
    };
    let prepared = match session::prepare(&target, desired, !how.dry_run) {
        Ok(prepared) => prepared,
        Err(error) => return fail(&error),
    };
    let files_match = !prepared.plan().changes_files() && prepared.installed().matches_record();
    let command = RebuildCommand {
        action: action.name.clone(),
        configuration: target.configuration(),
        target_host,
        rollback: files_match,
        // Rebuilt from the nixpkgs it was built from before (none needed for --rollback).
        nixpkgs: nixpkgs.filter(|_| !files_match),
    };
    say_raw!(
        "{}",
        render(
            prepared.plan(),
            &target,
            use_color(color, std::io::stdout().is_terminal())
        )
    );
    if files_match {
        say!(
            "\nThe files in {} already match generation {number}: `nixos-rebuild {} --rollback` returns the system to its previous NixOS generation instead.",
            target.config_dir().display(),
            action.name
        );
    } else {
        say!("\nRolling back to generation {number}.");
    }
    carry_out(prepared, &command, program, how, files_match)
}

/// Generation `requested`, or the newest restorable one before the installed one; with the
/// installed generation. With `files_only` (no rebuild runs) a generation whose files were
/// installed without a rebuild counts too: only its files come back, and nothing claims it was
/// ever built. With a rebuild, only generations that were built or found in place count.
fn pick(
    store: &Store,
    requested: Option<u32>,
    files_only: bool,
) -> Result<(Generation, Option<Generation>), DeployError> {
    let restorable = |g: &Generation| {
        if files_only {
            g.is_restorable_files()
        } else {
            g.is_restorable()
        }
    };
    let current_number = store.current()?;
    let current = current_number.map(|n| store.get(n)).transpose()?;
    let generation = match requested {
        Some(n) => store.get(n)?,
        None => store
            .list()?
            .into_iter()
            .rev()
            .find(|g| restorable(g) && current_number.is_none_or(|c| g.number < c))
            .ok_or_else(|| {
                DeployError::Generation(
                    "there is no earlier generation to roll back to (see `aster-config generations`)"
                        .to_owned(),
                )
            })?,
    };
    if !restorable(&generation) {
        let files_hint = if generation.is_restorable_files() {
            " (its files were installed without a rebuild: `--no-rebuild` puts back just its files)"
        } else {
            ""
        };
        return Err(DeployError::Generation(format!(
            "generation {} is {} and cannot be rolled back to{files_hint}; pick one that was applied or found in place (see `aster-config generations`)",
            generation.number,
            generation.status()
        )));
    }
    Ok((generation, current))
}
