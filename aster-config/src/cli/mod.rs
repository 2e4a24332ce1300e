//! Command-line interface: argument parsing and dispatch to one module per subcommand.
//!
//! Exit codes: 0 success (warnings allowed), 1 the spec has errors, 2 usage or I/O problems.

/// `println!` for the CLI: when the reader has gone away (`aster-config caps | head`), the
/// process ends quietly with success instead of panicking on a broken pipe.
macro_rules! say {
    ($($arg:tt)*) => { $crate::cli::write_stdout(format_args!("{}\n", format_args!($($arg)*))) };
}

/// `print!` for the CLI, with the same broken-pipe behaviour as `say!`.
macro_rules! say_raw {
    ($($arg:tt)*) => { $crate::cli::write_stdout(format_args!($($arg)*)) };
}

mod apply;
mod build;
mod caps;
mod check;
mod crypt;
mod explain;
mod fleet;
mod fmt;
mod generate;
mod generations;
mod import;
mod init;
mod lock;
mod lsp;
mod packages;
mod parse;
mod passwd;
mod plan;
mod render;
mod rollback;
mod services;

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit code when everything went well.
pub const EXIT_OK: u8 = 0;
/// Exit code when the spec has errors.
pub const EXIT_SPEC_ERRORS: u8 = 1;
/// Exit code for usage and I/O problems.
pub const EXIT_USAGE: u8 = 2;

const EXAMPLES: &str = "\
Examples:
  aster-config init system.toml --preset server    start a spec
  aster-config check system.toml                    find every problem at once
  aster-config build system.toml -o out/            write configuration.nix and overlays
  aster-config explain AC0201                       what a diagnostic code means
  aster-config schema > aster-config.schema.json    JSON Schema for your editor";

/// Compile a simple TOML system spec into a checked configuration.nix for Asterinas NixOS.
#[derive(Debug, Parser)]
#[command(name = "aster-config", version, about, after_help = EXAMPLES, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    globals: Globals,
}

// The options every subcommand takes, in their own struct so that `parse` can give them to a
// command that has only the subcommand the arguments name. (No doc comment: on an `Args` struct
// it would become an `about`; and no argument group, which the flattened struct would add.)
#[derive(Debug, clap::Args)]
#[group(skip)]
struct Globals {
    /// How to print diagnostics.
    #[arg(long, global = true, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// When to use colour (`NO_COLOR` in the environment also turns it off).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

/// Output format of diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Annotated source snippets for people.
    Human,
    /// One JSON document for editors and CI.
    Json,
}

/// Colour choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when printing to a terminal and `NO_COLOR` is unset.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Write a starter spec to a file, with its JSON Schema beside it (or print it without a file).
    #[command(
        after_help = "Examples:\n  aster-config init system.toml --preset server\n  aster-config init --preset desktop > system.toml"
    )]
    Init(init::Args),
    /// Check a spec and report every problem.
    #[command(
        after_help = "Example:\n  aster-config check system.toml\n  aster-config check --format json system.toml"
    )]
    Check(check::Args),
    /// Check a spec and write configuration.nix, overlays and copied files to a folder.
    #[command(after_help = "Example:\n  aster-config build examples/web-server.toml -o out/")]
    Build(build::Args),
    /// Search what the Asterinas kernel supports: syscalls, file systems, parameters, features.
    #[command(
        after_help = "Examples:\n  aster-config caps io_uring\n  aster-config caps virtio_mmio.device\n  aster-config caps"
    )]
    Caps(caps::Args),
    /// Search the Asterinas NixOS package catalog (status, category, reason).
    #[command(
        after_help = "Examples:\n  aster-config packages docker\n  aster-config packages --status broken"
    )]
    Packages(packages::Args),
    /// Search the catalog of services, desktops and NixOS modules (status, needs, how to turn on).
    #[command(
        after_help = "Examples:\n  aster-config services samba\n  aster-config services --status broken"
    )]
    Services(services::Args),
    /// Print the spec's JSON Schema.
    Schema,
    /// Explain a diagnostic code (or list all codes).
    #[command(after_help = "Example:\n  aster-config explain AC0304")]
    Explain(explain::Args),
    /// Print shell completions.
    #[command(
        after_help = "Example:\n  aster-config completions bash > /etc/bash_completion.d/aster-config"
    )]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Show what `apply` would change under ROOT/etc/nixos: a summary, then a diff per file.
    #[command(
        after_help = "Examples:\n  aster-config plan system.toml\n  aster-config plan system.toml --root /mnt --exit-code\n\nWith --exit-code: 0 no change, 1 spec errors, 2 usage or I/O problems, 3 changes."
    )]
    Plan(plan::Args),
    /// Install the compiled spec in ROOT/etc/nixos and run nixos-rebuild; undo it if that fails.
    #[command(
        after_help = "Examples:\n  sudo aster-config apply system.toml\n  aster-config apply system.toml --dry-run\n  sudo aster-config apply system.toml --action boot --yes\n\nExit codes: 0 done, 1 spec errors, 2 usage or I/O problems, 4 nixos-rebuild failed (old files put back)."
    )]
    Apply(apply::Args),
    /// Go back to an earlier generation's files (default: the one before) and run nixos-rebuild.
    #[command(
        after_help = "Examples:\n  aster-config generations\n  sudo aster-config rollback\n  sudo aster-config rollback 3"
    )]
    Rollback(rollback::Args),
    /// List the generations recorded under ROOT/var/lib/aster-config.
    #[command(after_help = "Example:\n  aster-config generations --root /mnt")]
    Generations(generations::Args),
    /// Many machines from one fleet file: check, build (colmena hive + flake), plan, apply.
    #[command(subcommand)]
    Fleet(fleet::Command),
    /// Pin nixpkgs by NAR hash: a spec's in SPEC.lock beside it, a fleet's (and colmena) in
    /// fleet.lock (needs Nix and, once, the network).
    #[command(
        after_help = "Examples:\n  aster-config lock system.toml --nixpkgs https://github.com/NixOS/nixpkgs/archive/<revision>.tar.gz\n  aster-config lock system.toml      # again, from the URL in system.lock\n  aster-config lock fleet.toml       # a fleet: from its [pins]\n\nbuild, plan and apply use the lock beside the spec; --locked makes them refuse to run without one."
    )]
    Lock(lock::Args),
    /// Rewrite specs in the canonical layout (schema order, every comment kept).
    #[command(
        after_help = "Examples:\n  aster-config fmt system.toml\n  aster-config fmt --check examples/*.toml\n\nExit codes: 0 formatted (or already so), 1 a file would change under --check or does not parse, 2 I/O problems."
    )]
    Fmt(fmt::Args),
    /// Start a spec from an existing NixOS configuration.nix (a report says what went where).
    #[command(
        after_help = "Examples:\n  aster-config import /etc/nixos/configuration.nix -o system.toml\n  aster-config import configuration.nix > system.toml"
    )]
    Import(import::Args),
    /// Run the language server on standard input and output (for editors; see docs/src/editors.md).
    #[command(after_help = "Example (what an editor runs):\n  aster-config lsp")]
    Lsp(lsp::Args),
    /// Print the man page (roff), or write every page with `--out DIR`.
    #[command(
        after_help = "Examples:\n  aster-config man | man -l -\n  aster-config man --out /usr/local/share/man/man1"
    )]
    Man {
        /// Write `aster-config.1` and one `aster-config-SUBCOMMAND.1` per subcommand here.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Ask for a user's password (twice, without echo) and write its hash for `hashed-password-file`.
    #[command(
        after_help = "Examples:\n  sudo aster-config passwd alice\n  aster-config passwd alice --root /mnt\n  printf '%s\\n' \"$PW\" | aster-config passwd alice --stdin --out /etc/secrets/alice.hash"
    )]
    Passwd(passwd::Args),
    #[command(hide = true)]
    /// Write the man page and completions into a folder (for packagers).
    GenerateAssets {
        /// Where to write them.
        dir: PathBuf,
    },
}

/// Parses arguments and runs the subcommand.
pub fn main() -> ExitCode {
    let cli = match parse::parse_from(std::env::args_os().collect()) {
        Ok(cli) => cli,
        Err(error) => {
            let code = if error.use_stderr() {
                EXIT_USAGE
            } else {
                EXIT_OK
            };
            let _ = error.print();
            return ExitCode::from(code);
        }
    };
    let Globals { format, color } = cli.globals;
    let style = render::Style::new(format, color);
    let code = match cli.command {
        Command::Init(args) => init::run(&args),
        Command::Check(args) => check::run(&args, &style),
        Command::Build(args) => build::run(&args, &style),
        Command::Caps(args) => caps::run(&args, format),
        Command::Packages(args) => packages::run(&args, format),
        Command::Services(args) => services::run(&args, format),
        Command::Schema => {
            say_raw!("{}", aster_compiler::schema::SPEC_SCHEMA_TEXT);
            EXIT_OK
        }
        Command::Explain(args) => explain::run(&args),
        Command::Completions { shell } => generate::completions(shell),
        Command::Plan(args) => plan::run(&args, &style, format, color),
        Command::Apply(args) => apply::run(&args, &style, color),
        Command::Rollback(args) => rollback::run(&args, color),
        Command::Generations(args) => generations::run(&args, format),
        Command::Fleet(command) => fleet::run(&command, &style, format),
        Command::Lock(args) => lock::run(&args, &style, format),
        Command::Fmt(args) => fmt::run(&args, &style),
        Command::Import(args) => import::run(&args, &style),
        Command::Lsp(args) => lsp::run(&args),
        Command::Man { out } => generate::man(out.as_deref()),
        Command::Passwd(args) => passwd::run(&args),
        Command::GenerateAssets { dir } => generate::assets(&dir),
    };
    ExitCode::from(code)
}

/// Writes to stdout; exits quietly when stdout is closed.
pub fn write_stdout(args: std::fmt::Arguments<'_>) {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    if out.write_fmt(args).and_then(|()| out.flush()).is_err() {
        std::process::exit(i32::from(EXIT_OK));
    }
}

/// Writes bytes to stdout, with the same quiet exit as [`write_stdout`] when it is closed.
pub fn write_stdout_bytes(bytes: &[u8]) {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    if out.write_all(bytes).and_then(|()| out.flush()).is_err() {
        std::process::exit(i32::from(EXIT_OK));
    }
}

/// Reads a spec argument (`-` is standard input) into bytes, its display name and its folder.
///
/// At most one byte past [`aster_compiler::MAX_SPEC_BYTES`] is read. A regular file over the cap
/// is handed on, so the compiler reports it as `AC0103` like any other problem of the spec; a
/// device, pipe or standard input that yields that much is refused here (exit 2): it is not a
/// spec file, and `aster-config check /dev/zero` must end at once instead of filling memory.
pub fn read_spec(path: &std::path::Path) -> Result<(Vec<u8>, String, Option<PathBuf>), String> {
    use aster_compiler::{Capped, FileAt, MAX_SPEC_BYTES, read_capped};
    let cap = MAX_SPEC_BYTES as u64;
    if path.as_os_str() == "-" {
        return match read_capped(std::io::stdin().lock(), cap) {
            Ok(Capped::Whole(bytes)) => Ok((bytes, "<stdin>".to_owned(), None)),
            Ok(Capped::TooLarge(_)) => Err(format!(
                "standard input has more than {cap} bytes; a spec is at most 1 MiB"
            )),
            Err(e) => Err(format!("cannot read standard input: {e}")),
        };
    }
    let bytes = match read_capped(FileAt(path), cap) {
        Ok(Capped::Whole(bytes)) => bytes,
        Ok(Capped::TooLarge(start)) if path.metadata().is_ok_and(|m| m.is_file()) => start,
        Ok(Capped::TooLarge(_)) => {
            return Err(format!(
                "{} is not a regular file and yields more than {cap} bytes; a spec is a TOML file of at most 1 MiB",
                path.display()
            ));
        }
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    let dir = path.parent().map(|p| {
        if p.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            p.to_path_buf()
        }
    });
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    Ok((bytes, name, dir))
}
