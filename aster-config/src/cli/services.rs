//! `aster-config services [QUERY]`: search the catalog of services, desktops and NixOS modules —
//! whether each works on Asterinas NixOS, what it needs from the kernel, and how to turn it on.

use super::packages::{StatusFilter, select};
use super::{EXIT_OK, EXIT_SPEC_ERRORS, Format};
use aster_distro::catalog;
use aster_distro::services::{Service, ServiceKind};

/// Arguments of `services`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A name (`samba`), an option (`services.samba`) or a package to look for. Without it, lists
    /// the catalog.
    query: Option<String>,
    /// Only entries with this status.
    #[arg(long, value_enum)]
    status: Option<StatusFilter>,
}

pub fn run(args: &Args, format: Format) -> u8 {
    let catalog = catalog();
    let found = select(
        args.query.as_deref(),
        |q| catalog.search_services(q),
        catalog.services(),
        args.status,
        |s: &Service| s.status,
    );
    match format {
        Format::Json => {
            let rows: Vec<serde_json::Value> = found
                .iter()
                .map(|s| serde_json::json!({
                    "name": s.name, "kind": kind(s.kind), "status": s.status.as_str(), "enable": s.enable_option(),
                    "needs": s.needs, "reason": s.reason, "alternative": s.alternative, "limitations": s.limitations,
                    "note": s.note, "install-time-only": s.install_time_only, "source": s.source,
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
                    "no catalog entry matches; a NixOS module that is not in the catalog is untested on Asterinas NixOS"
                );
            }
            for service in &found {
                human(service);
            }
        }
    }
    if found.is_empty() {
        EXIT_SPEC_ERRORS
    } else {
        EXIT_OK
    }
}

fn human(service: &Service) {
    say!(
        "{} [{}] {}: {}",
        service.name,
        service.status.as_str(),
        kind(service.kind),
        service.enable_option()
    );
    if let Some(reason) = &service.reason {
        say!("  why: {reason}");
    }
    if !service.needs.is_empty() {
        say!("  needs: {}", service.needs.join(", "));
    }
    for limitation in &service.limitations {
        say!("  limit: {limitation}");
    }
    if let Some(note) = &service.note {
        say!("  note: {note}");
    }
    if service.install_time_only {
        say!("  only when installing: put it in the spec you install from");
    }
    if let Some(alternative) = &service.alternative {
        say!("  instead: {alternative}");
    }
}

fn kind(kind: ServiceKind) -> &'static str {
    match kind {
        ServiceKind::Service => "service",
        ServiceKind::Desktop => "desktop",
        ServiceKind::Module => "NixOS module",
    }
}
