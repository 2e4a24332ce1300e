//! Two build steps for the crate:
//!
//! - Parses and checks `catalog/*.toml` and writes each table to `OUT_DIR` as postcard bytes,
//!   row after row, plus `distro_index.rs`: where each row starts and the keys lookups search
//!   (package attributes, service names, …). `src/catalog.rs` embeds both and decodes a row
//!   when it is first read. The entry types and the reader are the crate's own modules,
//!   included here by path, so the build script and the library agree on every field. A broken
//!   catalog file fails the build with `distro/catalog/<file>: <problem>`.
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
#[allow(dead_code)] // only the library searches
#[path = "src/search.rs"]
mod search;
#[path = "src/services.rs"]
mod services;
#[path = "src/source.rs"]
mod source;
#[path = "src/status.rs"]
mod status;

fn main() {
    encode_catalog();
    embed_etc_nixos();
}

/// Parses and checks `catalog/*.toml`; writes `OUT_DIR/distro-<table>.postcard` for each table
/// and `OUT_DIR/distro_index.rs`.
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
    let rows = source::load(&sources)
        .unwrap_or_else(|error| panic!("the distro catalog is invalid: {error}"));
    let mut index = String::new();
    encode_table(&mut index, "packages", "PACKAGE_STARTS", &rows.packages);
    let attrs = rows.packages.iter().map(|p| p.attr.as_deref());
    sorted_keys(&mut index, "PACKAGES_BY_ATTR", "package attribute", attrs);
    encode_table(&mut index, "services", "SERVICE_STARTS", &rows.services);
    let names = rows.services.iter().map(|s| Some(s.name.as_str()));
    sorted_keys(&mut index, "SERVICES_BY_NAME", "service name", names);
    let enables: Vec<&str> = rows.services.iter().map(|s| s.enable.as_str()).collect();
    let _ = writeln!(
        index,
        "/// Each service's enable option, in file order.\npub(crate) const SERVICE_ENABLES: &[&str] = &{enables:?};"
    );
    encode_table(&mut index, "forced", "FORCED_STARTS", &rows.forced);
    let options: Vec<(&str, bool)> = rows
        .forced
        .iter()
        .map(|f| (f.option.as_str(), f.when.is_some()))
        .collect();
    let _ = writeln!(
        index,
        "/// Each forced setting's option path and whether it has a `when`, in file order.\npub(crate) const FORCED_OPTIONS: &[(&str, bool)] = &{options:?};"
    );
    encode_table(
        &mut index,
        "rebuild",
        "REBUILD_STARTS",
        &rows.rebuild_actions,
    );
    let actions: Vec<&str> = rows
        .rebuild_actions
        .iter()
        .map(|a| a.name.as_str())
        .collect();
    let _ = writeln!(
        index,
        "/// Each `nixos-rebuild` action's name, in file order.\npub(crate) const REBUILD_NAMES: &[&str] = &{actions:?};"
    );
    encode_table(
        &mut index,
        "limitations",
        "LIMITATION_STARTS",
        &rows.limitations,
    );
    std::fs::write(out_dir().join("distro_index.rs"), index).expect("write distro_index.rs");
}

/// Writes `rows` to `OUT_DIR/distro-<table>.postcard`, each row's bytes after the last, and
/// where each starts (then where the last ends) to `index` as the constant `starts`.
fn encode_table<T: serde::Serialize>(index: &mut String, table: &str, starts: &str, rows: &[T]) {
    let mut bytes = Vec::new();
    let mut offsets = vec![0_u32];
    for row in rows {
        bytes.extend(postcard::to_allocvec(row).expect("a catalog row encodes"));
        offsets.push(u32::try_from(bytes.len()).expect("a table under 4 GiB"));
    }
    std::fs::write(out_dir().join(format!("distro-{table}.postcard")), bytes)
        .expect("write a catalog table");
    let _ = writeln!(
        index,
        "/// Where each row of `{table}` starts, then where the last one ends.\npub(crate) const {starts}: &[u32] = &{offsets:?};"
    );
}

/// Writes the constant `name` to `index`: each present key with its row number, sorted by key
/// for a binary search. Keys are unique (`source.rs` checks).
fn sorted_keys<'a>(
    index: &mut String,
    name: &str,
    what: &str,
    keys: impl Iterator<Item = Option<&'a str>>,
) {
    let mut keyed: Vec<(&str, u32)> = keys
        .enumerate()
        .filter_map(|(row, key)| Some((key?, u32::try_from(row).expect("few rows"))))
        .collect();
    keyed.sort_unstable();
    assert!(
        keyed.windows(2).all(|pair| pair[0].0 != pair[1].0),
        "a {what} appears twice"
    );
    let _ = writeln!(
        index,
        "/// Each {what} with its row, sorted by {what}.\npub(crate) const {name}: &[(&str, u32)] = &{keyed:?};"
    );
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
