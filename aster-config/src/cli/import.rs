//! `aster-config import configuration.nix [-o spec.toml]`: start a spec from an existing NixOS
//! configuration.
//!
//! The report (stderr) lists every setting and where it went: a spec key, nowhere (derived, or
//! provided by the distro), `[nixos]`, or the module kept beside the spec. A file that is not
//! valid Nix is a diagnostic (`AC0601`/`AC0602`) with its span, and nothing is written. Existing
//! files are never overwritten.

use super::{EXIT_OK, EXIT_SPEC_ERRORS, render::Style, render::usage_error};
use aster_compiler::{Capped, FileAt, MAX_SPEC_BYTES, SourceFile, read_capped};
use aster_import::{Destination, Imported, MODULE_FILE};
use std::path::{Path, PathBuf};

/// Arguments of `import`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The NixOS configuration to read (usually /etc/nixos/configuration.nix).
    configuration: PathBuf,
    /// Write the spec here (and the kept module beside it); without it, print the spec.
    #[arg(short, long, value_name = "SPEC")]
    output: Option<PathBuf>,
}

pub fn run(args: &Args, style: &Style) -> u8 {
    let name = args.configuration.display().to_string();
    let bytes = match read_capped(FileAt(&args.configuration), MAX_SPEC_BYTES as u64) {
        Ok(Capped::Whole(bytes)) => bytes,
        Ok(Capped::TooLarge(_)) => {
            return usage_error(&format!(
                "{name} is larger than 1 MiB; that is no configuration.nix"
            ));
        }
        Err(e) => return usage_error(&format!("cannot read {name}: {e}")),
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return usage_error(&format!("{name} is not UTF-8 text"));
    };
    let folder = args.configuration.parent().map(|p| {
        if p.as_os_str().is_empty() {
            Path::new(".")
        } else {
            p
        }
    });
    let imported = match aster_import::import(&text, folder) {
        Ok(imported) => imported,
        Err(problems) => {
            let mut diagnostics = aster_compiler::Diagnostics::new();
            for problem in problems {
                diagnostics.push(problem);
            }
            let source = SourceFile {
                name: name.clone(),
                text,
            };
            style.diagnostics(&name, Some(&source), &diagnostics);
            style.status(&format!("{name}: nothing written"));
            return EXIT_SPEC_ERRORS;
        }
    };
    report(style, &imported);
    match &args.output {
        None if imported.module.is_some() => usage_error(&format!(
            "some settings must stay in a module ({MODULE_FILE}); give `-o SPEC` so it can be written beside the spec"
        )),
        None => {
            say_raw!("{}", imported.spec);
            EXIT_OK
        }
        Some(output) => write(&imported, output, folder, style),
    }
}

/// Prints what went where.
fn report(style: &Style, imported: &Imported) {
    for placement in &imported.report {
        let destination = match placement.destination {
            Destination::Spec => "spec",
            Destination::Derived => "derived",
            Destination::Nixos => "[nixos]",
            Destination::Module => "module",
            Destination::Dropped => "dropped",
        };
        style.status(&format!(
            "  {destination:<8} {} — {}",
            placement.option, placement.why
        ));
    }
}

fn write(imported: &Imported, output: &Path, from: Option<&Path>, style: &Style) -> u8 {
    let folder = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let same_folder = from.and_then(|f| f.canonicalize().ok()) == folder.canonicalize().ok();
    if !same_folder && imported.spec.contains("modules = [") {
        style.status("note: `[imports] modules` paths are relative to the configuration's folder; move the modules beside the spec or adjust the paths");
    }
    let module_path = folder.join(MODULE_FILE);
    for path in [output, module_path.as_path()] {
        if path.exists() && (path == output || imported.module.is_some()) {
            return usage_error(&format!(
                "{} exists; aster-config import never overwrites a file",
                path.display()
            ));
        }
    }
    let write = |path: &Path, text: &str| {
        aster_compiler::output::atomic::write_new(path, text.as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    if let Some(module) = &imported.module
        && let Err(message) = write(&module_path, module)
    {
        return usage_error(&message);
    }
    if let Err(message) = write(output, &imported.spec) {
        return usage_error(&message);
    }
    style.status(&format!(
        "wrote {}{}; run `aster-config check {}` next",
        output.display(),
        if imported.module.is_some() {
            format!(" and {}", module_path.display())
        } else {
            String::new()
        },
        output.display()
    ));
    EXIT_OK
}
