//! `[kernel]`: how the Asterinas kernel boots and what it is built with.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Kernel settings. They map to the distro's `aster_nixos.*` options.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct Kernel {
    /// How much the kernel logs (`loglevel=` on the command line).
    pub log_level: LogLevel,
    /// The console device that receives kernel messages and the login prompt.
    pub console: Console,
    /// What runs after the kernel has mounted the root file system.
    pub init: Init,
    /// The command run at the end of stage 2 when `init = "shell"` (default `/bin/sh -l`).
    pub stage_2_hook: Option<String>,
    /// Stop in the initramfs shell instead of switching to the real root (debugging only).
    pub stage_1_shell: bool,
    /// Extra kernel command-line parameters, e.g. `"i8042.exist=0"`.
    pub params: Vec<String>,
    /// Kernel build features the kernel image must have, e.g. `"cvm_guest"`.
    pub features: Vec<String>,
    /// Absolute path of a kernel image to boot instead of the distro's default.
    pub image: Option<String>,
}

/// Kernel log levels accepted by the distro.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum LogLevel {
    /// Only errors (the distro's default).
    #[default]
    Error,
    /// Errors and warnings.
    Warn,
    /// Informational messages too.
    Info,
    /// Debugging output.
    Debug,
    /// Everything the kernel can say.
    Trace,
}

/// Console devices accepted by the distro.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Console {
    /// The virtio console of a virtual machine (the distro's default).
    #[default]
    Hvc0,
    /// The first virtual terminal on the framebuffer.
    Tty0,
}

/// What starts after the kernel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Init {
    /// systemd starts the system's services (the default).
    #[default]
    Systemd,
    /// No systemd: stage 2 runs `stage-2-hook`, a shell by default.
    Shell,
}

impl LogLevel {
    /// The value of `aster_nixos.log-level`.
    pub fn as_str(self) -> &'static str {
        match self {
            LogLevel::Error => "error",
            LogLevel::Warn => "warn",
            LogLevel::Info => "info",
            LogLevel::Debug => "debug",
            LogLevel::Trace => "trace",
        }
    }
}

impl Console {
    /// The value of `aster_nixos.console`.
    pub fn as_str(self) -> &'static str {
        match self {
            Console::Hvc0 => "hvc0",
            Console::Tty0 => "tty0",
        }
    }
}
