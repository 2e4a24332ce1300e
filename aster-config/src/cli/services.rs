//! `aster-config services [QUERY]`: search the catalog of services, desktops and NixOS modules —
//! whether each works on Asterinas NixOS, what it needs from the kernel, and how to turn it on.

use super::Format;
use super::packages::{StatusFilter, exit_code, select, show};
use aster_distro::catalog;
use aster_distro::services::Service;

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
    show(&found, format, "a NixOS module", json_row, human);
    exit_code(&found)
}

fn json_row(s: &Service) -> serde_json::Value {
    serde_json::json!({
        "name": s.name, "kind": s.kind.as_str(), "status": s.status.as_str(), "enable": s.enable_option(),
        "needs": s.needs, "reason": s.reason, "alternative": s.alternative, "limitations": s.limitations,
        "note": s.note, "install-time-only": s.install_time_only, "source": s.source,
    })
}

fn human(service: &Service) {
    say!(
        "{} [{}] {}: {}",
        service.name,
        service.status.as_str(),
        service.kind.as_str(),
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
