//! The distro catalog as one value: a table per catalog file.
//!
//! `build.rs` fills a [`Catalog`] from `catalog/*.toml` (see `source.rs`) and writes it to
//! `OUT_DIR` as postcard bytes; `catalog.rs` decodes those bytes at run time. Both sides
//! compile this same file, so the layout they agree on is written down exactly once.

use serde::{Deserialize, Serialize};

use crate::forced::ForcedSetting;
use crate::limitations::Limitation;
use crate::packages::Package;
use crate::rebuild::RebuildAction;
use crate::services::Service;

/// Everything the distro knows about what works on Asterinas NixOS. Get it with
/// [`crate::catalog()`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Catalog {
    pub(crate) packages: Vec<Package>,
    pub(crate) services: Vec<Service>,
    pub(crate) forced: Vec<ForcedSetting>,
    pub(crate) rebuild_actions: Vec<RebuildAction>,
    pub(crate) limitations: Vec<Limitation>,
}
