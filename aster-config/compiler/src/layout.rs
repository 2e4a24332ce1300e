//! Where each file goes in `/etc/nixos` (or the output folder): the one place that names them.
//!
//! The compiler writes `configuration.nix` at the top, `overlays/<override>.nix`,
//! `patches/<override>/<file>` and `modules/<file>`. The distro's own files
//! (`aster_configuration.nix`, `asterinas/`) and the machine's `hardware-configuration.nix` never
//! share these names; deployment never touches them.

/// The generated system module.
pub const CONFIGURATION: &str = "configuration.nix";

/// The distro's module, which `configuration.nix` imports first.
pub const DISTRO_MODULE: &str = "aster_configuration.nix";

/// The folder of the distro's own modules, overlays and packages.
pub const DISTRO_DIR: &str = "asterinas";

/// The machine's hardware module, imported when the installer generated one.
pub const HARDWARE_CONFIGURATION: &str = "hardware-configuration.nix";

/// The pinned nixpkgs, written beside `configuration.nix` when the spec has a lock: an expression
/// that fetches the locked tarball (`builtins.fetchTarball { url; sha256; }`) and evaluates to its
/// store path.
pub const NIXPKGS_PIN: &str = "nixpkgs.nix";

/// First path components that are never the compiler's: deployment leaves them alone.
pub const NOT_OURS: &[&str] = &[HARDWARE_CONFIGURATION, DISTRO_MODULE, DISTRO_DIR];

/// Where the overlay of override `name` goes.
pub fn overlay_output_path(name: &str) -> String {
    format!("overlays/{name}.nix")
}

/// Where a patch of override `name` goes (only its file name is kept).
pub fn patch_output_path(name: &str, patch: &str) -> String {
    format!("patches/{name}/{}", file_name(patch))
}

/// Where an `[imports]` module goes (only its file name is kept).
pub fn module_output_path(module: &str) -> String {
    format!("modules/{}", file_name(module))
}

/// The lock file of the spec named `spec` (a file name such as `web-server.toml`), beside it:
/// the name without its last extension, plus `.lock` (`web-server.lock`).
pub fn spec_lock(spec: &str) -> String {
    let name = file_name(spec);
    let stem = std::path::Path::new(name)
        .file_stem()
        .map_or(name.into(), |stem| stem.to_string_lossy());
    format!("{stem}.lock")
}

fn file_name(reference: &str) -> &str {
    reference.rsplit('/').next().unwrap_or(reference)
}
