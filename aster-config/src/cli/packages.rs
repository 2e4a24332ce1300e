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

pub fn run(args: &Args, format: Format) -> u8 {
    let catalog = catalog();
    let mut found: Vec<&Package> = match args.query.as_deref().filter(|q| !q.trim().is_empty()) {
        Some(query) => catalog.search_packages(query),
        None => catalog.packages().iter().collect(),
    };
    if let Some(filter) = args.status {
        found.retain(|p| p.status == filter.status());
    }
    match format {
        Format::Json => {
            let rows: Vec<serde_json::Value> = found
                .iter()
                .map(|p| serde_json::json!({
                    "attr": p.attr, "name": p.display_name(), "status": p.status.as_str(), "category": p.category,
                    "needs": p.needs, "reason": p.reason, "alternative": p.alternative, "overlay": p.overlay, "source": p.source,
                }))
                .collect();
            say!(
                "{}",
                serde_json::to_string_pretty(&rows).unwrap_or_default()
            );
        }
        Format::Human => {
            if found.is_empty() {
                eprintln!(
                    "no catalog entry matches; a package that is not in the catalog is untested on Asterinas NixOS"
                );
            }
            for package in &found {
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
        }
    }
    if found.is_empty() {
        EXIT_SPEC_ERRORS
    } else {
        EXIT_OK
    }
}
