//! How well something is known to work on Asterinas NixOS.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Support status of a package or service on Asterinas NixOS.
///
/// Written in the catalog files in kebab-case (`verified`, `untested`, `broken`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Upstream documents it as working on Asterinas NixOS, usually with a CI test.
    Verified,
    /// Nobody has tried it on Asterinas NixOS; it may or may not work.
    Untested,
    /// Known not to work, because the kernel lacks something it needs.
    Broken,
}

impl Status {
    /// The status as written in the catalog files (`"verified"`, `"untested"`, `"broken"`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Verified => "verified",
            Self::Untested => "untested",
            Self::Broken => "broken",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
