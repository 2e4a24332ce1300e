//! A fleet file's diagnostics: the fleet crate's check on the editor's text, turned into the
//! compiler's diagnostics of this one document.
//!
//! A problem written in the fleet file keeps its span, fix and labels. A problem in a host's own
//! spec file, or one without a file (a missing lock), cannot point into this document: it sits
//! on the first line and names its file, so nothing the command line would report is hidden.
//! Every message says which hosts it concerns, as `aster-config fleet check` does.

use aster_compiler::{Checked, Diagnostic, Diagnostics};
use std::path::Path;

/// The fleet file's own entry in the fleet check's files (read first, see `check_text`).
const FLEET_FILE: usize = 0;

/// Checks `text` as the fleet file at `path` (host specs are read from disk beside it).
pub fn check(path: &Path, text: &str) -> Checked {
    let checked = aster_fleet::check_text(path, text, &aster_compiler::Options::default());
    let mut diagnostics = Diagnostics::new();
    for found in &checked.report.diagnostics {
        let mut diagnostic = found.diagnostic.clone();
        prefix_hosts(&mut diagnostic, &found.hosts);
        match found.file {
            Some(FLEET_FILE) => {}
            elsewhere => {
                if let Some(file) = elsewhere {
                    let name = &checked.files.get(file).name;
                    diagnostic.message = format!("in {name}: {}", diagnostic.message);
                }
                diagnostic.labels.clear();
                diagnostic.suggestion = None;
            }
        }
        diagnostics.push(diagnostic);
    }
    Checked {
        diagnostics,
        ..Checked::default()
    }
}

/// `host web-01: …` / `hosts web-01, web-02: …`, as the command line says it.
fn prefix_hosts(diagnostic: &mut Diagnostic, hosts: &[String]) {
    match hosts {
        [] => {}
        [one] => diagnostic.message = format!("host {one}: {}", diagnostic.message),
        many => diagnostic.message = format!("hosts {}: {}", many.join(", "), diagnostic.message),
    }
}
