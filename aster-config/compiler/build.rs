//! Turns `data/nixos-options.toml` — every NixOS option the emitter may write, with its declared
//! type and module — into Rust data at build time: one `NixOption` row each, and one constant per
//! option (`NETWORKING_HOST_NAME` for `networking.hostName`), so the emitter names options by
//! constant and a misspelt option cannot compile. Nothing is parsed at run time.

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let data = manifest_dir().join("data/nixos-options.toml");
    println!("cargo:rerun-if-changed={}", data.display());
    let text = std::fs::read_to_string(&data).expect("read data/nixos-options.toml");
    let document: toml::Table = toml::from_str(&text)
        .unwrap_or_else(|e| panic!("data/nixos-options.toml is not valid TOML: {e}"));
    let rows = document
        .get("option")
        .and_then(toml::Value::as_array)
        .expect("data/nixos-options.toml: [[option]] tables");
    let mut table = String::from("pub(crate) static ALL: &[NixOption] = &[\n");
    let mut constants = String::new();
    let mut names = std::collections::BTreeSet::new();
    for (index, row) in rows.iter().enumerate() {
        let field = |key: &str| -> String {
            row.get(key)
                .and_then(toml::Value::as_str)
                .unwrap_or_else(|| panic!("data/nixos-options.toml: option {index} has no `{key}`"))
                .to_owned()
        };
        let path = field("path");
        let name = constant_name(&path);
        assert!(
            names.insert(name.clone()),
            "data/nixos-options.toml: `{path}` is listed twice"
        );
        let _ = writeln!(
            table,
            "    NixOption {{ path: {path:?}, declared_type: {:?}, nix_type: {:?}, module: {:?}, spec_key: {:?}, read: {:?} }},",
            field("type"),
            field("nix-type"),
            field("module"),
            field("spec"),
            field("read"),
        );
        let _ = writeln!(
            constants,
            "/// `{path}` (declared in `{}`).\npub const {name}: &NixOption = &ALL[{index}];",
            field("module")
        );
    }
    table.push_str("];\n\n");
    table.push_str(&constants);
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR is set by cargo"))
        .join("nixos_options.rs");
    std::fs::write(out, table).expect("write nixos_options.rs");
}

/// `services.nginx.virtualHosts.<name>.root` → `SERVICES_NGINX_VIRTUAL_HOSTS_NAME_ROOT`.
fn constant_name(path: &str) -> String {
    let mut name = String::new();
    let mut previous_lower = false;
    for c in path.chars() {
        match c {
            '.' | '-' | '_' => {
                if !name.ends_with('_') {
                    name.push('_');
                }
                previous_lower = false;
            }
            '<' | '>' | '"' => {}
            c if c.is_ascii_uppercase() => {
                if previous_lower {
                    name.push('_');
                }
                name.push(c);
                previous_lower = false;
            }
            c => {
                name.push(c.to_ascii_uppercase());
                previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
            }
        }
    }
    name
}

/// The crate's folder, read when the script runs: a build script binary compiled for one checkout
/// may be reused for another (same target folder), and a path baked in at compile time would then
/// read the wrong data.
fn manifest_dir() -> PathBuf {
    PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
}
