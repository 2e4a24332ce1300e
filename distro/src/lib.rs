//! The Asterinas NixOS catalog as `aster-config` sees it.
//!
//! Asterinas NixOS is NixOS running on the Asterinas kernel. Not everything that works on
//! NixOS works there, so the distro keeps a catalog of what is known:
//!
//! - [`Package`]s: nixpkgs attributes that upstream verified, or that are known to be broken
//!   because the kernel lacks something ([`packages`]);
//! - [`Service`]s and desktops a spec can turn on, each identified by the NixOS option that
//!   turns its module on ([`services`]);
//! - [`ForcedSetting`]s: NixOS options the distro forces, and why ([`forced`]);
//! - [`RebuildAction`]s: which `nixos-rebuild` actions work ([`rebuild`]);
//! - [`Limitation`]s: known unsupported or limited areas ([`limitations`]).
//!
//! The data lives in readable TOML files under `distro/catalog/`. `build.rs` parses and
//! checks them (`source.rs`) and embeds the result in a compact binary form, row by row, that
//! [`catalog()`] decodes as lookups reach it (`tables.rs`). Every entry records the upstream
//! Asterinas file its facts came from. Anything not in the package catalog is "untested" by
//! definition.
//!
//! ```
//! use aster_distro::{Status, catalog};
//!
//! let docker = catalog().package("docker").expect("docker is catalogued");
//! assert_eq!(docker.status, Status::Broken);
//! assert_eq!(docker.alternative.as_deref(), Some("podman"));
//! assert_eq!(catalog().search_packages("pytorch")[0].attr.as_deref(), Some("python3"));
//! ```

pub mod catalog;
pub mod forced;
pub mod limitations;
pub mod packages;
pub mod rebuild;
mod search;
pub mod services;
// The TOML reader runs in build.rs; unit tests include it to prove broken text is rejected.
#[cfg(test)]
mod source;
pub mod status;
mod tables;

pub use catalog::{Catalog, catalog};
pub use forced::{ForcedKind, ForcedSetting, ForcedValue};
pub use limitations::{Limitation, LimitationArea, LimitationStatus};
pub use packages::Package;
pub use rebuild::{ActionStatus, RebuildAction};
pub use services::{Service, ServiceKind};
pub use status::Status;

/// The distro's own `/etc/nixos` files, embedded at build time from `distro/nixos/etc-nixos/`.
pub mod etc_nixos {
    include!(concat!(env!("OUT_DIR"), "/etc_nixos.rs"));
}
