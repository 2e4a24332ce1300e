//! `aster-config init`: print a starter spec for a kind of machine.

use super::EXIT_OK;
use clap::ValueEnum;

/// Arguments of `init`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to write the spec; without it, the spec is printed. An existing file is never
    /// overwritten.
    path: Option<std::path::PathBuf>,
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
    let Some(path) = &args.path else {
        say_raw!("{}", args.preset.text());
        return EXIT_OK;
    };
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .and_then(|mut file| std::io::Write::write_all(&mut file, args.preset.text().as_bytes()));
    match written {
        Ok(()) => {
            let shown = path.display();
            eprintln!(
                "wrote {shown}; next: edit it, then `aster-config check {shown}` and `aster-config build {shown} -o out/`"
            );
            EXIT_OK
        }
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
            super::render::usage_error(&format!(
                "{} already exists; aster-config init never overwrites a file",
                path.display()
            ))
        }
        Err(error) => {
            super::render::usage_error(&format!("cannot write {}: {error}", path.display()))
        }
    }
}
