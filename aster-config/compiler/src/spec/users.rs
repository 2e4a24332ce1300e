//! `[users.NAME]`: login users.
//!
//! Every spec user is a normal (human) user. Plaintext passwords are refused: the keys exist in
//! the types only so that the check pass can explain why, instead of calling them unknown. They
//! are left out of the schema's `properties` (so editors say "'password' was unexpected" and never
//! repeat the value, as a `not` schema made them do) and named in its `x-aster-refused` list,
//! which tells the shape check to let them through to that explanation.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One login user.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
#[schemars(extend("x-aster-refused" = {
    "password": REFUSED_PASSWORD,
    "initial-password": REFUSED_PASSWORD,
}))]
pub struct User {
    /// Full name or other description (no `:` and no line breaks).
    pub description: Option<String>,
    /// Extra groups, e.g. `"wheel"` to use sudo.
    pub groups: Vec<String>,
    /// Login shell.
    pub shell: Option<Shell>,
    /// SSH public keys allowed to log in as this user, one key per string.
    pub ssh_keys: Vec<String>,
    /// Absolute path of a file on the target holding the password hash (`mkpasswd -m yescrypt`).
    pub hashed_password_file: Option<String>,
    /// A password hash (`mkpasswd -m yescrypt`). Prefer `hashed-password-file`.
    pub hashed_password: Option<String>,
    /// Fixed numeric user id (1000 or more).
    #[schemars(range(min = 1000, max = 60000))]
    pub uid: Option<u32>,
    /// Refused: a plaintext password would be world-readable in the Nix store. Use
    /// `hashed-password-file`.
    #[schemars(skip)]
    pub password: Option<serde_json::Value>,
    /// Refused: a plaintext password would be world-readable in the Nix store. Use
    /// `hashed-password-file`.
    #[schemars(skip)]
    pub initial_password: Option<serde_json::Value>,
}

/// Why `password` and `initial-password` are refused, in the schema's `x-aster-refused` list.
const REFUSED_PASSWORD: &str = "Refused: plaintext passwords end up world-readable in the Nix store. Use `hashed-password-file` (`aster-config passwd USER` writes the file).";

/// Login shells aster-config can set up (including the `programs.*.enable` NixOS needs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Shell {
    /// GNU Bash (the NixOS default).
    Bash,
    /// The friendly interactive shell.
    Fish,
    /// The Z shell.
    Zsh,
}

impl Shell {
    /// The nixpkgs attribute of the shell package.
    pub fn package(self) -> &'static str {
        match self {
            Shell::Bash => "bash",
            Shell::Fish => "fish",
            Shell::Zsh => "zsh",
        }
    }
}
