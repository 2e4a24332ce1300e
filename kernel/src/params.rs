//! Kernel command-line parameter specifications, from `data/params.toml`.
//!
//! A [`ParamSpec`] says what the kernel accepts; [`crate::cmdline`] checks real command lines
//! against it.

use serde::{Deserialize, Serialize};

use crate::Arch;

/// The words the kernel's boolean parser accepts as "on".
pub(crate) const TRUE_WORDS: [&str; 4] = ["1", "on", "yes", "true"];
/// The words the kernel's boolean parser accepts as "off".
pub(crate) const FALSE_WORDS: [&str; 4] = ["0", "off", "no", "false"];

/// How a parameter appears on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ParamKind {
    /// A bare token such as `ro`.
    Flag,
    /// `name=value`; the last occurrence wins.
    KeyValue,
    /// `name=value`; every occurrence counts.
    RepeatableKeyValue,
    /// Bare (on) or `name=` one of the boolean words.
    Boolean,
}

/// The grammar a parameter's value must follow.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ValueGrammar {
    /// No value allowed.
    None,
    /// `1`/`on`/`yes`/`true` or `0`/`off`/`no`/`false`; bare means on.
    Boolean,
    /// A path starting with `/`.
    AbsolutePath,
    /// `/dev/<registered block device name>`.
    DevicePath,
    /// `<size>@<base>:<irq>[:<id>]`.
    VirtioMmio,
    /// Any text.
    Free,
    /// Exactly one of these words (case-sensitive).
    OneOf(Vec<String>),
    /// A comma-separated list of these words.
    ListOf(Vec<String>),
}

impl ValueGrammar {
    /// A short description for error messages, e.g. "an absolute path".
    #[must_use]
    pub fn describe(&self) -> String {
        match self {
            ValueGrammar::None => "no value".to_owned(),
            ValueGrammar::Boolean => "a boolean (1, on, yes, true, 0, off, no, false)".to_owned(),
            ValueGrammar::AbsolutePath => "an absolute path such as /init".to_owned(),
            ValueGrammar::DevicePath => {
                "/dev/<block device name>, e.g. /dev/vda2 (not UUID=, LABEL= or /dev/disk/...)"
                    .to_owned()
            }
            ValueGrammar::VirtioMmio => {
                "<size>@<base>:<irq>[:<id>], e.g. 4K@0xd0000000:5".to_owned()
            }
            ValueGrammar::Free => "any text".to_owned(),
            ValueGrammar::OneOf(words) => format!("one of {}", words.join(", ")),
            ValueGrammar::ListOf(words) => {
                format!("a comma-separated list of {}", words.join(", "))
            }
        }
    }

    /// The complete set of valid values, when the grammar is a closed word list.
    #[must_use]
    pub fn valid_words(&self) -> Vec<String> {
        match self {
            ValueGrammar::Boolean => TRUE_WORDS
                .iter()
                .chain(FALSE_WORDS.iter())
                .map(|word| (*word).to_owned())
                .collect(),
            ValueGrammar::OneOf(words) | ValueGrammar::ListOf(words) => words.clone(),
            _ => Vec::new(),
        }
    }
}

/// Whether the kernel acts on a parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ParamStatus {
    /// The kernel acts on it.
    Implemented,
    /// Recognized and swallowed (not passed to init), but it has no effect yet.
    AcceptedIgnored,
}

impl ParamStatus {
    /// The word the data file uses, e.g. `"accepted-ignored"`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ParamStatus::Implemented => "implemented",
            ParamStatus::AcceptedIgnored => "accepted-ignored",
        }
    }
}

/// Where a parameter's name and meaning come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    /// Inherited from Linux.
    Linux,
    /// Specific to Asterinas.
    Asterinas,
}

/// One row of `data/params.toml`: a parameter the kernel recognizes.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ParamSpec {
    /// Registered name, e.g. `virtio_mmio.device` (never contains `-`).
    pub name: String,
    /// How it appears on the command line.
    pub kind: ParamKind,
    /// Grammar of its value.
    pub value: ValueGrammar,
    /// Architectures whose kernel registers it.
    pub arches: Vec<Arch>,
    /// Whether the kernel acts on it.
    pub status: ParamStatus,
    /// Whether the book's kernel-parameters page documents it.
    pub documented: bool,
    /// Linux-inherited or Asterinas-specific.
    pub origin: Origin,
    /// Parsed before the heap exists and never passed to init.
    #[serde(default)]
    pub early: bool,
    /// Behaviour when absent, in words.
    pub default: Option<String>,
    /// What it does.
    pub summary: String,
    /// Upstream file the facts come from.
    pub source: String,
}

impl ParamSpec {
    /// Whether `arch`'s kernel registers this parameter.
    #[must_use]
    pub fn available_on(&self, arch: Arch) -> bool {
        self.arches.contains(&arch)
    }
}
