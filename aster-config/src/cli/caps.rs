//! `aster-config caps [QUERY]`: what the Asterinas kernel supports, searchable.

use super::{EXIT_OK, EXIT_SPEC_ERRORS, Format};
use aster_kernel::{Entry, kernel};

/// Arguments of `caps`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A syscall, file system, parameter, feature, capability or word to look for, e.g.
    /// `io_uring`. Without it, prints a summary.
    query: Option<String>,
}

pub fn run(args: &Args, format: Format) -> u8 {
    let kernel = kernel();
    let Some(query) = args.query.as_deref().filter(|q| !q.trim().is_empty()) else {
        say!("The Asterinas kernel as aster-config knows it:");
        say!(
            "  {} system calls ({} supported)",
            kernel.syscalls().len(),
            kernel.syscalls().iter().filter(|s| s.supported).count()
        );
        say!(
            "  {} file systems ({} can be the root)",
            kernel.filesystems().len(),
            kernel
                .filesystems()
                .iter()
                .filter(|f| f.can_be_root)
                .count()
        );
        say!(
            "  {} kernel parameters, {} build features, {} architectures",
            kernel.params().len(),
            kernel.features().len(),
            kernel.architectures().len()
        );
        say!(
            "  {} capabilities ({} unsupported)",
            kernel.capabilities().len(),
            kernel
                .capabilities()
                .iter()
                .filter(|c| !c.support.is_available())
                .count()
        );
        say!("Search with `aster-config caps QUERY`, e.g. `aster-config caps io_uring`.");
        return EXIT_OK;
    };
    let hits = kernel.search(query);
    match format {
        Format::Json => {
            let rows: Vec<serde_json::Value> =
                hits.iter().map(|hit| entry_json(&hit.entry)).collect();
            say!(
                "{}",
                serde_json::to_string_pretty(&rows).unwrap_or_default()
            );
        }
        Format::Human => {
            if hits.is_empty() {
                eprintln!(
                    "nothing about `{query}` in the kernel catalog; try a syscall name, a file system or a word such as `namespace`"
                );
            }
            for hit in hits.iter().take(20) {
                print_entry(&hit.entry);
            }
            if hits.len() > 20 {
                say!(
                    "… and {} more; narrow the query or use --format json",
                    hits.len() - 20
                );
            }
        }
    }
    if hits.is_empty() {
        EXIT_SPEC_ERRORS
    } else {
        EXIT_OK
    }
}

fn print_entry(entry: &Entry<'_>) {
    say!("{} {}: {}", entry.kind(), entry.name(), entry.status());
    if !entry.summary().is_empty() {
        say!("  {}", entry.summary());
    }
    if let Entry::Capability(capability) = entry
        && let Some(alternative) = &capability.alternative
    {
        say!("  instead: {alternative}");
    }
    say!("  source: {}", entry.source());
}

fn entry_json(entry: &Entry<'_>) -> serde_json::Value {
    serde_json::json!({
        "kind": entry.kind(),
        "name": entry.name(),
        "status": entry.status(),
        "summary": entry.summary(),
        "source": entry.source(),
    })
}
