//! What `plan` and `apply` say about changes outside the spec's settings, through the real binary
//! on a practice root (`--root DIR`, no `nixos-rebuild`):
//!
//! - an edit of an imported module alone is named ("files changed: modules/extra.nix"), not
//!   reported as "No setting changed";
//! - a desktop added to a machine whose recorded spec has none is named with the catalog's reason
//!   (Xfce is install-time-only), and `apply` refuses it; with no recorded spec, `plan` warns.

mod common;

use std::path::Path;
use std::process::{Command, Output};

/// `aster-config ARGS SPEC --root MACHINE` on the practice root ([`common::practise`]).
fn aster_config(args: &[&str], root: &Path, spec: &Path) -> Output {
    let mut all: Vec<&std::ffi::OsStr> = args.iter().map(std::ffi::OsStr::new).collect();
    all.push(spec.as_os_str());
    common::practise(root, all)
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

const BASE: &str = "[system]\nhostname = \"box\"\n";

#[test]
fn plan_names_an_imported_module_that_changed_alone() {
    let work = tempfile::tempdir().expect("temp dir");
    let machine = tempfile::tempdir().expect("temp dir");
    let spec = work.path().join("system.toml");
    std::fs::write(
        &spec,
        format!("{BASE}\n[imports]\nmodules = [\"./extra.nix\"]\n"),
    )
    .expect("write spec");
    let module = work.path().join("extra.nix");
    std::fs::write(
        &module,
        "{ ... }:\n{\n  environment.variables.EDITOR = \"vim\";\n}\n",
    )
    .expect("write module");
    let applied = aster_config(&["apply", "--yes", "--no-rebuild"], machine.path(), &spec);
    assert_eq!(applied.status.code(), Some(0), "{}", text(&applied));

    std::fs::write(
        &module,
        "{ ... }:\n{\n  environment.variables.EDITOR = \"nano\";\n}\n",
    )
    .expect("edit module");
    let planned = aster_config(&["plan"], machine.path(), &spec);
    let shown = text(&planned);
    assert_eq!(planned.status.code(), Some(0), "{shown}");
    assert!(!shown.contains("No setting changed."), "{shown}");
    assert!(
        shown.contains("No setting of the spec changed; files changed: modules/extra.nix"),
        "{shown}"
    );

    // The generation records the same line.
    let applied = aster_config(&["apply", "--yes", "--no-rebuild"], machine.path(), &spec);
    assert_eq!(applied.status.code(), Some(0), "{}", text(&applied));
    let listed = Command::new(env!("CARGO_BIN_EXE_aster-config"))
        .args(["generations", "--root"])
        .arg(machine.path())
        .output()
        .expect("generations");
    let listing = String::from_utf8_lossy(&listed.stdout);
    assert!(
        listing.contains("files changed: modules/extra.nix"),
        "{listing}"
    );
}

#[test]
fn a_desktop_added_to_a_running_system_is_refused_with_the_reason() {
    let work = tempfile::tempdir().expect("temp dir");
    let machine = tempfile::tempdir().expect("temp dir");
    let spec = work.path().join("system.toml");
    std::fs::write(&spec, BASE).expect("write spec");
    let applied = aster_config(&["apply", "--yes", "--no-rebuild"], machine.path(), &spec);
    assert_eq!(applied.status.code(), Some(0), "{}", text(&applied));
    let installed = std::fs::read(machine.path().join("etc/nixos/configuration.nix"))
        .expect("installed configuration");

    std::fs::write(
        &spec,
        format!(
            "{BASE}\n[services]\nallow-untested = [\"xfce\"]\n\n[desktop]\nenvironment = \"xfce\"\n"
        ),
    )
    .expect("add a desktop");
    let planned = aster_config(&["plan"], machine.path(), &spec);
    let shown = text(&planned);
    assert_eq!(planned.status.code(), Some(0), "{shown}");
    assert!(
        shown.contains("[desktop] turns on `xfce`, which must be in the spec at install time"),
        "{shown}"
    );
    assert!(shown.contains("nixos-rebuild does not work yet"), "{shown}");
    // The why, plainly: how the distro starts the desktop, which only an install sets up.
    assert!(
        shown.contains("Why: Asterinas NixOS has no display manager: the distro starts Xfce at boot from its `xfce-desktop` service, which takes tty1 away from the text login"),
        "{shown}"
    );

    let refused = aster_config(&["apply", "--yes", "--no-rebuild"], machine.path(), &spec);
    let shown = text(&refused);
    assert_eq!(refused.status.code(), Some(1), "{shown}");
    assert!(shown.contains("error: not applied: [desktop]"), "{shown}");
    assert_eq!(
        std::fs::read(machine.path().join("etc/nixos/configuration.nix")).expect("still there"),
        installed,
        "a refused apply must leave the installed files alone"
    );
}

#[test]
fn a_first_apply_with_a_desktop_warns_that_it_belongs_to_the_install() {
    let work = tempfile::tempdir().expect("temp dir");
    let machine = tempfile::tempdir().expect("temp dir");
    let spec = work.path().join("system.toml");
    std::fs::write(
        &spec,
        format!(
            "{BASE}\n[services]\nallow-untested = [\"xfce\"]\n\n[desktop]\nenvironment = \"xfce\"\n"
        ),
    )
    .expect("write spec");
    let planned = aster_config(&["plan"], machine.path(), &spec);
    let shown = text(&planned);
    assert_eq!(planned.status.code(), Some(0), "{shown}");
    assert!(
        shown.contains("unless this machine was installed with it"),
        "{shown}"
    );
}
