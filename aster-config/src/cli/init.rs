//! `aster-config init`: write a starter spec for a kind of machine (and the JSON Schema beside
//! it, for editors), or print it when no file is named.

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
    /// SSH and a static web site (check asks for your SSH key first).
    Server,
    /// The Xfce desktop (set up at install time).
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

/// The schema's file name beside a spec that `init` writes.
pub const SCHEMA_FILE: &str = "aster-config.schema.json";

/// The first line of a spec written to a file: Taplo (and Even Better TOML, which is Taplo) and
/// Tombi read `#:schema` and resolve a relative path from the spec's folder, so the editor
/// validates and completes with no set-up and no network.
fn schema_line() -> String {
    format!("#:schema ./{SCHEMA_FILE}\n")
}

pub fn run(args: &Args) -> u8 {
    let Some(path) = &args.path else {
        say_raw!("{}", args.preset.text());
        return EXIT_OK;
    };
    let text = format!("{}{}", schema_line(), args.preset.text());
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .and_then(|mut file| std::io::Write::write_all(&mut file, text.as_bytes()));
    match written {
        Ok(()) => {
            let shown = path.display();
            let schema = write_schema_beside(path);
            eprintln!(
                "wrote {shown}{schema}; next: edit it, then `aster-config check {shown}` and `aster-config build {shown} -o out/`"
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

/// Writes the JSON Schema beside the spec (or leaves an identical copy), so the `#:schema` line
/// resolves. A different file of that name is replaced only when it is an older aster-config
/// schema; anything else is left alone with a note. Returns the note for the success line.
fn write_schema_beside(spec: &std::path::Path) -> String {
    let dir = spec.parent().filter(|p| !p.as_os_str().is_empty());
    let schema = dir.map_or_else(|| SCHEMA_FILE.into(), |d| d.join(SCHEMA_FILE));
    let wanted = aster_compiler::schema::SPEC_SCHEMA_TEXT;
    match std::fs::read_to_string(&schema) {
        Ok(existing) if existing == wanted => {
            return format!(" (its schema {} is up to date)", schema.display());
        }
        Ok(existing) if !existing.contains("\"title\": \"aster-config system spec\"") => {
            return format!(
                " ({} exists and is not aster-config's schema, so editors may not validate the spec: `aster-config schema > FILE` writes it)",
                schema.display()
            );
        }
        _ => {}
    }
    match aster_compiler::output::atomic::write_atomic(&schema, wanted.as_bytes()) {
        Ok(()) => format!(" and its JSON Schema {} for editors", schema.display()),
        Err(error) => format!(
            " (but not its schema {}: {error}; editors will not validate the spec until `aster-config schema > {}`)",
            schema.display(),
            schema.display()
        ),
    }
}
