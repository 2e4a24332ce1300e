//! `aster-config packages [QUERY]`: search the Asterinas NixOS package catalog.

use super::{EXIT_OK, EXIT_SPEC_ERRORS, Format};
use aster_distro::{Package, Status, catalog};
use clap::ValueEnum;

/// Arguments of `packages`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// An attribute, application name or category to look for. Without it, lists the catalog.
    query: Option<String>,
    /// Only packages with this status.
    #[arg(long, value_enum)]
    status: Option<StatusFilter>,
}

/// Catalog statuses to filter on (packages and services alike).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusFilter {
    /// Tested upstream on Asterinas NixOS.
    Verified,
    /// Listed but not tested.
    Untested,
    /// Known not to work, with the reason.
    Broken,
}

impl StatusFilter {
    /// The catalog status this filter keeps.
    pub fn status(self) -> Status {
        match self {
            Self::Verified => Status::Verified,
            Self::Untested => Status::Untested,
            Self::Broken => Status::Broken,
        }
    }
}

/// The catalog rows a search command shows: what `search` finds for a non-blank `query` (every
/// row of `all` without one), kept to those with the status `filter` asks for.
pub fn select<'a, T>(
    query: Option<&str>,
    search: impl FnOnce(&str) -> Vec<&'a T>,
    all: &'a [T],
    filter: Option<StatusFilter>,
    status: impl Fn(&T) -> Status,
) -> Vec<&'a T> {
    let mut found = match query.filter(|q| !q.trim().is_empty()) {
        Some(query) => search(query),
        None => all.iter().collect(),
    };
    if let Some(filter) = filter {
        found.retain(|row| status(row) == filter.status());
    }
    found
}

pub fn run(args: &Args, format: Format) -> u8 {
    let catalog = catalog();
    let found = select(
        args.query.as_deref(),
        |q| catalog.search_packages(q),
        catalog.packages(),
        args.status,
        |p: &Package| p.status,
    );
    show(&found, format, "a package", json_row, human);
    exit_code(&found)
}

fn json_row(p: &Package) -> serde_json::Value {
    serde_json::json!({
        "attr": p.attr, "name": p.display_name(), "status": p.status.as_str(), "category": p.category,
        "needs": p.needs, "reason": p.reason, "alternative": p.alternative, "overlay": p.overlay, "source": p.source,
    })
}

fn human(package: &Package) {
    say!(
        "{} [{}] {}",
        package.display_name(),
        package.status.as_str(),
        package.category
    );
    if let Some(reason) = &package.reason {
        say!("  why: {reason}");
    }
    if !package.needs.is_empty() {
        say!("  needs: {}", package.needs.join(", "));
    }
    if let Some(alternative) = &package.alternative {
        say!("  instead: {alternative}");
    }
    if let Some(overlay) = &package.overlay {
        say!("  patched by the distro overlay `{overlay}`");
    }
}

/// Prints the rows a catalog search found: a JSON array of `json_row`s, or `human` for each
/// (on none, a note that `what` outside the catalog is untested).
pub fn show<T>(
    found: &[&T],
    format: Format,
    what: &str,
    json_row: impl Fn(&T) -> serde_json::Value,
    human: impl Fn(&T),
) {
    match format {
        Format::Json => {
            let rows: Vec<serde_json::Value> = found.iter().map(|row| json_row(row)).collect();
            say!(
                "{}",
                serde_json::to_string_pretty(&rows).unwrap_or_default()
            );
        }
        Format::Human => {
            if found.is_empty() {
                eprintln!(
                    "no catalog entry matches; {what} that is not in the catalog is untested on Asterinas NixOS"
                );
            }
            for row in found {
                human(row);
            }
        }
    }
}

/// A search that found nothing exits like a spec with errors.
pub fn exit_code<T>(found: &[T]) -> u8 {
    if found.is_empty() {
        EXIT_SPEC_ERRORS
    } else {
        EXIT_OK
    }
}
