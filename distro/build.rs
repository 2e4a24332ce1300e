//! Two build steps for the crate:
//!
//! - Parses and checks `catalog/*.toml` and writes the catalog to `OUT_DIR` as postcard bytes,
//!   which `src/catalog.rs` embeds and decodes at run time. The entry types and the reader
//!   are the crate's own modules, included here by path, so the build script and the library
//!   agree on every field. A broken catalog file fails the build with
//!   `distro/catalog/<file>: <problem>`.
//! - Embeds the distro's `/etc/nixos` tree (`nixos/etc-nixos/`) into the crate, so that
//!   `aster-config build --full` can write it without the source tree at hand.

#![allow(
    dead_code,
    reason = "the included modules carry the library's run-time helpers, unused here"
)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[path = "src/forced.rs"]
mod forced;
#[path = "src/limitations.rs"]
mod limitations;
#[path = "src/packages.rs"]
mod packages;
#[path = "src/rebuild.rs"]
mod rebuild;
#[path = "src/services.rs"]
mod services;
#[path = "src/source.rs"]
mod source;
#[path = "src/status.rs"]
mod status;
#[path = "src/tables.rs"]
mod tables;

fn main() {
    encode_catalog();
    embed_etc_nixos();
}

/// Parses and checks `catalog/*.toml` and writes `OUT_DIR/distro-catalog.postcard`.
fn encode_catalog() {
    let dir = manifest_dir().join("catalog");
    let [packages, services, forced, rebuild, limitations] = [
        "packages.toml",
        "services.toml",
        "forced.toml",
        "rebuild.toml",
        "limitations.toml",
    ]
    .map(|file| read(&dir.join(file)));
    let sources = source::CatalogSources {
        packages: &packages,
        services: &services,
        forced: &forced,
        rebuild: &rebuild,
        limitations: &limitations,
    };
    let catalog = source::load(&sources)
        .unwrap_or_else(|error| panic!("the distro catalog is invalid: {error}"));
    let bytes = postcard::to_allocvec(&catalog).expect("the catalog encodes");
    std::fs::write(out_dir().join("distro-catalog.postcard"), bytes).expect("write the catalog");
}

/// Reads one catalog file and tells cargo to rerun when it changes.
fn read(path: &Path) -> String {
    println!("cargo:rerun-if-changed={}", path.display());
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn out_dir() -> PathBuf {
    PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR is set by cargo"))
}

/// Embeds the distro's `/etc/nixos` tree (`nixos/etc-nixos/`) as `OUT_DIR/etc_nixos.rs`.
fn embed_etc_nixos() {
    let root = manifest_dir().join("nixos/etc-nixos");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    files.sort();
    let mut code = String::from(
        "/// The distro's `/etc/nixos` files: path relative to `/etc/nixos`, and contents.\npub static ETC_NIXOS: &[(&str, &[u8])] = &[\n",
    );
    for (relative, absolute) in &files {
        println!("cargo:rerun-if-changed={}", absolute.display());
        let _ = writeln!(
            code,
            "    ({relative:?}, include_bytes!({:?})),",
            absolute.display().to_string()
        );
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR is set by cargo"))
        .join("etc_nixos.rs");
    std::fs::write(out, code).expect("write etc_nixos.rs");
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, PathBuf)>) {
    let entries =
        std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            collect(root, &path, files);
        } else {
            let relative = path
                .strip_prefix(root)
                .expect("below root")
                .to_string_lossy()
                .replace('\\', "/");
            files.push((relative, path));
        }
    }
}

/// The crate's folder, read when the script runs: a build script binary compiled for one checkout
/// may be reused for another (same target folder), and a path baked in at compile time would then
/// read the wrong data.
fn manifest_dir() -> PathBuf {
    PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
}
