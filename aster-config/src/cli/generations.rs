//! `aster-config generations [--root DIR]`: the recorded generations — number, time, spec hash,
//! status and summary — with the installed one marked `*` (or `~` when its files have been
//! edited by hand since). Under a generation that was built, an indented line names the locked
//! nixpkgs it was built from and the system's store path, when they are known. `--format json`
//! prints them as one JSON array. Reports (never changes) what interrupted runs left.

use super::plan::{fail, report_findings};
use super::{EXIT_OK, Format};
use aster_deploy::Target;
use aster_deploy::files::FileSet;
use aster_deploy::generations::{Generation, Store};
use aster_deploy::session::Installed;
use aster_deploy::time::format_utc;
use std::path::PathBuf;

/// Arguments of `generations`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The root of the target's file tree (state in ROOT/var/lib/aster-config).
    #[arg(long, value_name = "DIR", default_value = "/")]
    root: PathBuf,
}

pub fn run(args: &Args, format: Format) -> u8 {
    let target = Target::new(&args.root);
    let store = Store::new(&target.state_dir());
    report_findings(&target, false);
    let (list, current) = match store.list().and_then(|l| Ok((l, store.current()?))) {
        Ok(found) => found,
        Err(error) => return fail(&error),
    };
    // The record says which generation was installed last; the disk says whether its files are
    // still what is there. Files edited by hand are no generation's (the next apply keeps them
    // as a "found" generation before replacing them).
    let edited = current.is_some()
        && Installed::read(&target, &FileSet::new()).is_ok_and(|i| !i.matches_record());
    let installed = current.filter(|_| !edited);
    if format == Format::Json {
        let items: Vec<serde_json::Value> = list
            .iter()
            .map(|g| {
                serde_json::json!({
                    "number": g.number,
                    "created": g.created,
                    "created-utc": format_utc(g.created),
                    "origin": g.origin,
                    "status": g.status(),
                    "spec": g.spec_name,
                    "spec-sha256": g.spec_sha256,
                    "summary": g.summary,
                    "files": g.files,
                    "installed": Some(g.number) == installed,
                    "edited-by-hand": edited && Some(g.number) == current,
                    "nixpkgs": g.nixpkgs(),
                    "system": g.system(),
                })
            })
            .collect();
        say!(
            "{}",
            serde_json::to_string_pretty(&items).unwrap_or_default()
        );
        return EXIT_OK;
    }
    if list.is_empty() {
        say!(
            "No generations recorded in {}.",
            target.state_dir().join("generations").display()
        );
        return EXIT_OK;
    }
    let rows: Vec<[String; 6]> = list
        .iter()
        .map(|g| {
            [
                format!(
                    "{}{}",
                    if Some(g.number) == installed {
                        "*"
                    } else if Some(g.number) == current {
                        "~"
                    } else {
                        " "
                    },
                    g.number
                ),
                format_utc(g.created),
                g.spec_name.clone().unwrap_or_else(|| "(found)".to_owned()),
                g.spec_sha256
                    .as_deref()
                    .map_or_else(|| "-".to_owned(), |h| h.chars().take(12).collect()),
                g.status(),
                g.summary.clone(),
            ]
        })
        .collect();
    let header = [
        "GEN",
        "CREATED (UTC)",
        "SPEC",
        "SPEC SHA256",
        "STATUS",
        "SUMMARY",
    ]
    .map(str::to_owned);
    let mut widths = [0usize; 5];
    for row in std::iter::once(&header).chain(&rows) {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let details = std::iter::once(None).chain(list.iter().map(built_from));
    for (row, detail) in std::iter::once(&header).chain(&rows).zip(details) {
        let mut line = String::new();
        for (cell, width) in row.iter().zip(widths) {
            line.push_str(&format!("{cell:<width$}  "));
        }
        line.push_str(&row[5]);
        say!("{}", line.trim_end());
        if let Some(detail) = detail {
            say!("{:indent$}{detail}", "", indent = widths[0] + 2);
        }
    }
    match current {
        Some(n) if edited => say!(
            "\n~ generation {n} was installed last, but its files in {} have been edited by hand since, so no generation matches them; the next apply keeps the edited files as a found generation before replacing them",
            target.config_dir().display()
        ),
        Some(n) => say!(
            "\n* generation {n}'s files are in {}",
            target.config_dir().display()
        ),
        None => say!(
            "\nNo generation's files are installed in {}.",
            target.config_dir().display()
        ),
    }
    EXIT_OK
}

/// What a generation was built from and into, when recorded: `nixpkgs <rev> (sha256 <hash>),
/// system /nix/store/…`.
fn built_from(generation: &Generation) -> Option<String> {
    let nixpkgs = generation
        .nixpkgs()
        .map(|n| format!("nixpkgs {} (sha256 {})", n.name(), n.sha256));
    let system = generation.system().map(|s| format!("system {s}"));
    let parts: Vec<String> = nixpkgs.into_iter().chain(system).collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}
