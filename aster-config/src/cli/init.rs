//! `aster-config init`: print a starter spec for a kind of machine.

use super::EXIT_OK;
use clap::ValueEnum;

/// Arguments of `init`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What the machine is for.
    #[arg(long, value_enum, default_value_t = Preset::Minimal)]
    preset: Preset,
}

/// Starter specs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Preset {
    /// A bare system with a few tools.
    Minimal,
    /// SSH and a web server behind the firewall.
    Server,
    /// The Xfce desktop with a browser.
    Desktop,
    /// Podman for containers.
    ContainerHost,
}

impl Preset {
    /// The spec text of the preset.
    pub fn text(self) -> &'static str {
        match self {
            Preset::Minimal => include_str!("../../presets/minimal.toml"),
            Preset::Server => include_str!("../../presets/server.toml"),
            Preset::Desktop => include_str!("../../presets/desktop.toml"),
            Preset::ContainerHost => include_str!("../../presets/container-host.toml"),
        }
    }
}

pub fn run(args: &Args) -> u8 {
    say_raw!("{}", args.preset.text());
    EXIT_OK
}
