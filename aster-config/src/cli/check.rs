//! `aster-config check SPEC`: report every problem in a spec.

use super::{EXIT_OK, EXIT_SPEC_ERRORS, read_spec, render::{Style, usage_error}};
use std::path::PathBuf;

/// Arguments of `check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The spec file (`-` reads standard input).
    spec: PathBuf,
}

pub fn run(args: &Args, style: &Style) -> u8 {
    let (bytes, name, dir) = match read_spec(&args.spec) {
        Ok(read) => read,
        Err(message) => return usage_error(&message),
    };
    let checked = aster_config::check(aster_config::Input {
        name: &name,
        bytes: &bytes,
        base_dir: dir.as_deref(),
    });
    style.diagnostics(&name, checked.source.as_ref(), &checked.diagnostics);
    if checked.diagnostics.has_errors() {
        EXIT_SPEC_ERRORS
    } else {
        style.status(&format!(
            "{name}: ok ({} warning(s))",
            checked.diagnostics.warning_count()
        ));
        EXIT_OK
    }
}
