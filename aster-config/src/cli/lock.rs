//! `aster-config lock FILE`: pin nixpkgs by NAR hash, for a single spec or for a fleet; and the
//! reading of a spec's lock that `build`, `plan` and `apply` share.
//!
//! The file's top-level keys tell the two apart (`fleet-version`, `pins` or `host`: a fleet
//! file). A fleet is locked from its `[pins]` into `fleet.lock`; a spec into `<spec>.lock` beside
//! it (`web-server.lock` for `web-server.toml`), from `--nixpkgs URL` or, when it has a lock
//! already, from the URL in that lock. Both are the same format, written by the same code
//! (`aster_fleet::lock`). Needs the real Nix and, for remote URLs, the network:
//! `nix-prefetch-url --unpack` downloads each pin once. The lock is written atomically.

use super::{EXIT_OK, EXIT_SPEC_ERRORS, Format, read_spec, render::Style, render::usage_error};
use aster_compiler::{Capped, Diagnostic, Diagnostics, FileAt, SourceFile, read_capped};
use aster_fleet::lock::{self as locks, Lock, Locked};
use std::path::{Path, PathBuf};

/// Arguments of `lock`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The spec or fleet file to lock; the lock is written beside it.
    file: PathBuf,
    /// The nixpkgs tarball to pin a spec to, such as
    /// `https://github.com/NixOS/nixpkgs/archive/<revision>.tar.gz` (default: the URL of the
    /// spec's existing lock). Fleets name theirs in `[pins]`.
    #[arg(long, value_name = "URL")]
    nixpkgs: Option<String>,
}

pub fn run(args: &Args, style: &Style, format: Format) -> u8 {
    if args.file.as_os_str() == "-" {
        return usage_error("lock needs a file, not standard input: the lock is written beside it");
    }
    let text = match read_spec(&args.file) {
        Ok((bytes, _, _)) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(message) => return usage_error(&message),
    };
    if aster_fleet::is_fleet_file(&text) {
        if args.nixpkgs.is_some() {
            return usage_error(&format!(
                "{} is a fleet file: its nixpkgs is `pins.nixpkgs`; change it there and run `aster-config lock` without --nixpkgs",
                super::render::spec_path(&args.file)
            ));
        }
        return lock_fleet(&args.file, style, format);
    }
    lock_spec(&args.file, args.nixpkgs.as_deref(), style)
}

fn lock_fleet(file: &Path, style: &Style, format: Format) -> u8 {
    let location = aster_fleet::read::Location::of(file);
    let mut files = aster_fleet::Files::default();
    let mut report = aster_fleet::Report::default();
    let fleet = aster_fleet::read::read(&location, &mut files, &mut report);
    let checked = aster_fleet::Checked {
        location: location.clone(),
        files,
        fleet: None,
        hosts: Vec::new(),
        lock: None,
        report,
    };
    if checked.report.has_errors() {
        super::fleet::render(style, format, &checked);
        return EXIT_SPEC_ERRORS;
    }
    let Some(fleet) = fleet else {
        return EXIT_SPEC_ERRORS;
    };
    style.status(&format!("fetching {}", fleet.value.pins.nixpkgs));
    let lock = match locks::compute(&fleet) {
        Ok(lock) => lock,
        Err(reason) => return usage_error(&reason),
    };
    let path = location.dir.join(locks::LOCK_FILE);
    write(&path, &locks::to_text(&lock), &lock, style)
}

/// Locks a spec: from `url`, or from the URL of its existing lock.
fn lock_spec(spec: &Path, url: Option<&str>, style: &Style) -> u8 {
    let path = spec_lock_path(spec);
    let shown = super::render::spec_path(&path);
    let url = match url {
        Some(url) => url.to_owned(),
        None => match std::fs::read_to_string(&path) {
            Ok(text) => match locks::parse(&text) {
                Some(parsed) => parsed.lock.nixpkgs.url,
                None => {
                    return usage_error(&format!(
                        "{shown} is not a lock this aster-config can read; name the nixpkgs to pin with --nixpkgs URL"
                    ));
                }
            },
            Err(_) => {
                return usage_error(&format!(
                    "{} has no lock yet ({shown}); name the nixpkgs to pin with --nixpkgs URL, for example --nixpkgs https://github.com/NixOS/nixpkgs/archive/<revision>.tar.gz",
                    super::render::spec_path(spec)
                ));
            }
        },
    };
    if let Some(problem) = aster_fleet::validate::pin_problem(&url) {
        return usage_error(&format!("the nixpkgs URL {problem}"));
    }
    style.status(&format!("fetching {url}"));
    let nixpkgs = match locks::prefetch(&url) {
        Ok(locked) => locked,
        Err(reason) => return usage_error(&reason),
    };
    let lock = Lock {
        nixpkgs,
        colmena: None,
        distro: locks::distro_hash(),
    };
    write(&path, &locks::spec_lock_text(&lock), &lock, style)
}

fn write(path: &Path, text: &str, lock: &Lock, style: &Style) -> u8 {
    if let Err(error) = aster_compiler::output::atomic::write_atomic(path, text.as_bytes()) {
        return usage_error(&format!("cannot write {}: {error}", path.display()));
    }
    style.status(&format!(
        "{}: nixpkgs {} ({})",
        super::render::spec_path(path),
        nixpkgs(&lock.nixpkgs).name(),
        lock.nixpkgs.nar_hash
    ));
    EXIT_OK
}

/// The lock file beside `spec` (`web-server.lock` for `web-server.toml`).
fn spec_lock_path(spec: &Path) -> PathBuf {
    let name = spec
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let dir = spec
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    dir.join(aster_compiler::layout::spec_lock(&name))
}

/// A spec's lock, checked and ready for a build.
pub struct Pin {
    /// What `nixos-rebuild` gets and the generation records.
    pub nixpkgs: aster_deploy::pin::Nixpkgs,
    /// `nixpkgs.nix`, the pin written into the output.
    pub file: String,
}

/// Why a spec's lock cannot be used: diagnostics about the lock file.
pub struct Problem {
    name: String,
    source: Option<SourceFile>,
    diagnostics: Diagnostics,
}

impl Problem {
    /// Prints the diagnostics and says nothing was done; returns the exit code.
    pub fn report(&self, style: &Style, spec_shown: &str, outcome: &str) -> u8 {
        style.diagnostics(&self.name, self.source.as_ref(), &self.diagnostics);
        style.status(&format!("{spec_shown}: {outcome}"));
        EXIT_SPEC_ERRORS
    }
}

/// The lock beside `spec`, checked. `Ok(None)`: there is none and `required` (`--locked`) is
/// off, so the build uses the machine's `<nixpkgs>` as before.
pub fn spec_pin(spec: &Path, required: bool) -> Result<Option<Pin>, Problem> {
    let problem = |name: String, source: Option<SourceFile>, diagnostic: Vec<Diagnostic>| {
        let mut diagnostics = Diagnostics::new();
        for d in diagnostic {
            diagnostics.push(d);
        }
        Problem {
            name,
            source,
            diagnostics,
        }
    };
    // No lock: an error under `--locked`, else the build goes on unpinned.
    let absent = |name: String, lock_shown: &str| {
        if required {
            Err(problem(
                name,
                None,
                vec![locks::missing_spec_lock(lock_shown)],
            ))
        } else {
            Ok(None)
        }
    };
    if spec.as_os_str() == "-" {
        return absent(
            "<stdin>".to_owned(),
            "(a spec read from standard input has no folder to hold one)",
        );
    }
    let path = spec_lock_path(spec);
    let shown = super::render::spec_path(&path);
    let bytes = match read_capped(FileAt(&path), aster_compiler::MAX_SPEC_BYTES as u64) {
        Ok(Capped::Whole(bytes)) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return absent(shown.clone(), &shown);
        }
        Ok(Capped::TooLarge(_)) | Err(_) => Vec::new(),
    };
    let text = String::from_utf8(bytes).unwrap_or_default();
    let source = SourceFile {
        name: shown.clone(),
        text: text.clone(),
    };
    let lock = locks::check_spec_lock(&text)
        .map_err(|diagnostics| problem(shown, Some(source), diagnostics))?;
    Ok(Some(Pin {
        nixpkgs: nixpkgs(&lock.nixpkgs),
        file: locks::pin_nix(&lock.nixpkgs),
    }))
}

/// A lock's nixpkgs as a rebuild uses it and a generation records it, with its store path. Only
/// for a lock that `check_spec_lock` passed or `prefetch` just computed: its `sha256` then decodes
/// (it is the same hash as its `nar-hash`), so the store path is known.
fn nixpkgs(locked: &Locked) -> aster_deploy::pin::Nixpkgs {
    aster_deploy::pin::Nixpkgs {
        url: locked.url.clone(),
        rev: locked.rev.clone(),
        sha256: locked.sha256.clone(),
        store_path: locks::store_path(&locked.sha256)
            .expect("a checked or freshly computed lock's sha256 is Nix base-32"),
    }
}

/// Has `nix-prefetch-url` put the locked nixpkgs into the Nix store (downloading it when it is
/// not there yet) and check its hash, before anything is changed. `Err`: the exit code, after
/// the error.
pub fn fetch(nixpkgs: &aster_deploy::pin::Nixpkgs) -> Result<(), u8> {
    eprintln!(
        "Fetching the locked nixpkgs {} into the Nix store (nix-prefetch-url checks its hash)",
        nixpkgs.name()
    );
    match locks::fetch_pinned(&nixpkgs.url, &nixpkgs.sha256) {
        Ok(path) if path == nixpkgs.store_path => Ok(()),
        Ok(path) => Err(usage_error(&format!(
            "the locked nixpkgs is at {path}, not at {} as recorded; nothing was changed",
            nixpkgs.store_path
        ))),
        Err(reason) => Err(usage_error(&format!("{reason}\nNothing was changed."))),
    }
}
