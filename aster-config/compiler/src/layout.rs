//! Where each generated or copied file goes in the output folder.
//!
//! `configuration.nix` at the top, `overlays/<override>.nix`, `patches/<override>/<file>` and
//! `modules/<file>`. The distro's own files (`aster_configuration.nix`, `asterinas/`) and the
//! machine's `hardware-configuration.nix` never share these names.

/// The generated system module.
pub const CONFIGURATION: &str = "configuration.nix";

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

fn file_name(reference: &str) -> &str {
    reference.rsplit('/').next().unwrap_or(reference)
}
