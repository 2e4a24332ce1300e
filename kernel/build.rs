//! Parses and checks `data/*.toml` at build time and writes the catalog to `OUT_DIR` as
//! postcard bytes, which `src/catalog.rs` embeds and decodes at run time.
//!
//! The row types and the reader are the crate's own modules, included here by path, so the
//! build script and the library agree on every field. A broken data file fails the build with
//! `kernel/data/<file>: <problem>`.

#![allow(
    dead_code,
    unreachable_pub,
    reason = "the included modules carry the library's run-time helpers, unused here"
)]

use std::path::{Path, PathBuf};

#[path = "src/arch.rs"]
mod arch;
#[path = "src/caps.rs"]
mod caps;
#[path = "src/features.rs"]
mod features;
#[path = "src/filesystems.rs"]
mod filesystems;
#[path = "src/namespaces.rs"]
mod namespaces;
#[path = "src/params.rs"]
mod params;
#[path = "src/source.rs"]
mod source;
#[path = "src/syscalls.rs"]
mod syscalls;
#[path = "src/tables.rs"]
mod tables;

// The included modules name each other through the crate root, as the library does.
use arch::{Arch, Architecture};
use caps::Capability;
use features::Feature;
use filesystems::Filesystem;
use namespaces::Namespace;
use params::ParamSpec;
use syscalls::{Coverage, Syscall};
use tables::Kernel;

const FILES: [&str; 7] = [
    "architectures.toml",
    "features.toml",
    "params.toml",
    "syscalls.toml",
    "filesystems.toml",
    "namespaces.toml",
    "capabilities.toml",
];

fn main() {
    let data = manifest_dir().join("data");
    let [
        architectures,
        features,
        params,
        syscalls,
        filesystems,
        namespaces,
        capabilities,
    ] = FILES.map(|file| read(&data.join(file)));
    let files = source::DataFiles {
        architectures: &architectures,
        features: &features,
        params: &params,
        syscalls: &syscalls,
        filesystems: &filesystems,
        namespaces: &namespaces,
        capabilities: &capabilities,
    };
    let kernel = source::load(&files)
        .unwrap_or_else(|error| panic!("the kernel catalog is invalid: {error}"));
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR is set by cargo"));
    let write = |name: &str, bytes: Result<Vec<u8>, postcard::Error>| {
        let bytes = bytes.expect("the catalog encodes");
        std::fs::write(out.join(format!("kernel-{name}.postcard")), bytes)
            .expect("write the catalog");
    };
    write(
        "architectures",
        postcard::to_allocvec(&*kernel.architectures),
    );
    write("features", postcard::to_allocvec(&*kernel.features));
    write("params", postcard::to_allocvec(&*kernel.params));
    write("syscalls", postcard::to_allocvec(&*kernel.syscalls));
    write("filesystems", postcard::to_allocvec(&*kernel.filesystems));
    write("namespaces", postcard::to_allocvec(&*kernel.namespaces));
    write("capabilities", postcard::to_allocvec(&*kernel.capabilities));
}

/// Reads one data file and tells cargo to rerun when it changes.
fn read(path: &Path) -> String {
    println!("cargo:rerun-if-changed={}", path.display());
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The crate's folder, read when the script runs: a build script binary compiled for one checkout
/// may be reused for another (same target folder), and a path baked in at compile time would then
/// read the wrong data.
fn manifest_dir() -> PathBuf {
    PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
}
