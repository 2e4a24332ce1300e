//! Lock files: nixpkgs (and, for a fleet, colmena) pinned by URL, revision and NAR hash, and the
//! distro tree pinned by its hash. One format and one piece of code for both kinds:
//!
//! - `fleet.lock` beside a fleet file, checked against the fleet's `[pins]` ([`load`]);
//! - `<spec>.lock` beside a single spec (`web-server.lock` for `web-server.toml`), which holds
//!   the only copy of the URL ([`check_spec_lock`]).
//!
//! `aster-config lock` computes a lock with the real Nix (`nix-prefetch-url --unpack`, which needs
//! the network for a remote URL); every later build reads it and refuses to go on when it no
//! longer matches. A locked nixpkgs is used in two ways: as `builtins.fetchTarball { url; sha256; }`
//! in generated Nix ([`pin_nix`], the fleet's hive), and as the store path `nixos-rebuild -I
//! nixpkgs=…` gets ([`store_path`], computed from the hash alone, then fetched and verified by
//! [`fetch_pinned`]).

use crate::model::Fleet;
use crate::report::{Files, FleetDiagnostic};
use aster_compiler::{Code, Diagnostic, sha256_hex, to_hex};
use std::path::Path;
use std::process::Command;

/// The fleet lock file's name, beside the fleet file (a spec's lock is named by
/// [`aster_compiler::layout::spec_lock`]).
pub const LOCK_FILE: &str = "fleet.lock";

/// Version of the lock format.
pub const LOCK_VERSION: i64 = 1;

/// One pinned tarball.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Locked {
    /// The URL, as in the fleet file's `[pins]`.
    pub url: String,
    /// The git revision, when the URL names one (`…/archive/<rev>.tar.gz`).
    pub rev: Option<String>,
    /// SHA-256 of the unpacked tree's NAR serialisation, in Nix's base-32 (for `fetchTarball`).
    pub sha256: String,
    /// The same hash in SRI form (`sha256-…`, for flake inputs).
    pub nar_hash: String,
}

impl Locked {
    /// `builtins.fetchTarball { url; sha256; }`: the pinned tree, as every emitted file that
    /// imports it (`nixpkgs.nix`, the hive, the flake's inputs aside) names it.
    pub fn fetch_tarball(&self) -> aster_compiler::nix::Expr {
        use aster_compiler::nix::{Binding, Expr};
        Expr::apply(
            Expr::select(Expr::Var("builtins"), &["fetchTarball"]),
            vec![Expr::Attrs(vec![
                Binding::new(vec!["url".into()], Expr::str(&self.url)),
                Binding::new(vec!["sha256".into()], Expr::str(&self.sha256)),
            ])],
        )
    }
}

/// A lock: the pins and the distro tree's hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lock {
    /// nixpkgs.
    pub nixpkgs: Locked,
    /// colmena, when the fleet pins it.
    pub colmena: Option<Locked>,
    /// SHA-256 of the distro tree this aster-config embeds.
    pub distro: String,
}

/// SHA-256 of the distro tree every host imports (file names and contents).
pub fn distro_hash() -> String {
    let mut bytes = Vec::new();
    for (path, contents) in aster_distro::etc_nixos::ETC_NIXOS {
        bytes.extend_from_slice(path.as_bytes());
        bytes.push(0);
        bytes.extend_from_slice(sha256_hex(contents).as_bytes());
        bytes.push(b'\n');
    }
    sha256_hex(&bytes)
}

/// The 40-hex-digit revision in a URL such as `…/archive/<rev>.tar.gz`.
pub fn revision(url: &str) -> Option<String> {
    let name = url.rsplit('/').next()?;
    let stem = name.split('.').next()?;
    (stem.len() == 40 && stem.chars().all(|c| c.is_ascii_hexdigit())).then(|| stem.to_owned())
}

/// Computes the hash of one pin with `nix-prefetch-url --unpack` (which downloads and unpacks
/// it into the Nix store, named `source` as `builtins.fetchTarball` names it, so later builds,
/// [`fetch_pinned`] and the package lookup find it at [`store_path`] without fetching it again).
/// Returns what went wrong in words.
pub fn prefetch(url: &str) -> Result<Locked, String> {
    let stdout = nix_prefetch_url(&[url], url)?;
    let sha256 = stdout.trim().to_owned();
    let nar_hash = sri_from_nix32(&sha256)
        .ok_or_else(|| format!("nix-prefetch-url printed `{sha256}`, not a base-32 SHA-256"))?;
    Ok(Locked {
        url: url.to_owned(),
        rev: revision(url),
        sha256,
        nar_hash,
    })
}

/// Computes a lock for the fleet's pins.
pub fn compute(fleet: &Fleet) -> Result<Lock, String> {
    let pins = &fleet.value.pins;
    Ok(Lock {
        nixpkgs: prefetch(&pins.nixpkgs)?,
        colmena: pins.colmena.as_deref().map(prefetch).transpose()?,
        distro: distro_hash(),
    })
}

/// Nix's base-32 alphabet (no e, o, t, u).
const NIX32: &[u8] = b"0123456789abcdfghijklmnpqrsvwxyz";

/// Decodes Nix's base-32 form of a 32-byte hash and writes it as SRI (`sha256-<base64>`).
pub fn sri_from_nix32(text: &str) -> Option<String> {
    nix32_decode(text).map(|bytes| format!("sha256-{}", base64(&bytes)))
}

/// Encodes bytes in Nix's base-32 (as `printHash32`: the last character holds the lowest bits).
fn nix32_encode(bytes: &[u8]) -> String {
    let len = (bytes.len() * 8 - 1) / 5 + 1;
    (0..len)
        .rev()
        .map(|n| {
            let bit = n * 5;
            let (i, j) = (bit / 8, bit % 8);
            let high = bytes.get(i + 1).map_or(0, |b| u16::from(*b) << (8 - j));
            let value = (u16::from(bytes[i]) >> j) | high;
            char::from(NIX32[usize::from(value & 0x1f)])
        })
        .collect()
}

/// Decodes Nix's base-32 form of a 32-byte hash.
fn nix32_decode(text: &str) -> Option<[u8; 32]> {
    const LEN: usize = 32;
    if text.len() != 52 {
        return None;
    }
    let mut bytes = [0u8; LEN];
    for (n, c) in text.bytes().rev().enumerate() {
        let digit = NIX32.iter().position(|&d| d == c)?;
        let bit = n * 5;
        let (i, j) = (bit / 8, bit % 8);
        bytes[i] |= ((digit << j) & 0xff) as u8;
        let carry = digit >> (8 - j);
        if i + 1 < LEN {
            bytes[i + 1] |= carry as u8;
        } else if carry != 0 {
            return None;
        }
    }
    Some(bytes)
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The fleet lock as TOML text (fixed order, so the same lock is the same bytes).
pub fn to_text(lock: &Lock) -> String {
    render(lock, "the fleet file")
}

/// A spec's lock as TOML text; the same format as the fleet's, without colmena.
pub fn spec_lock_text(lock: &Lock) -> String {
    render(lock, "the spec")
}

fn render(lock: &Lock, beside: &str) -> String {
    let mut out =
        format!("# Written by `aster-config lock`; do not edit. Commit it beside {beside}.\n");
    out.push_str(&format!("lock-version = {LOCK_VERSION}\n"));
    out.push_str(&format!(
        "distro = {}\n",
        crate::layer::string_text(&lock.distro)
    ));
    let mut source = |name: &str, locked: &Locked| {
        out.push_str(&format!("\n[{name}]\n"));
        out.push_str(&format!(
            "url = {}\n",
            crate::layer::string_text(&locked.url)
        ));
        if let Some(rev) = &locked.rev {
            out.push_str(&format!("rev = {}\n", crate::layer::string_text(rev)));
        }
        out.push_str(&format!(
            "sha256 = {}\n",
            crate::layer::string_text(&locked.sha256)
        ));
        out.push_str(&format!(
            "nar-hash = {}\n",
            crate::layer::string_text(&locked.nar_hash)
        ));
    };
    source("nixpkgs", &lock.nixpkgs);
    if let Some(colmena) = &lock.colmena {
        source("colmena", colmena);
    }
    out
}

/// A lock as read from its text, with the spans diagnostics point at.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The lock.
    pub lock: Lock,
    /// Where `[nixpkgs] url` is.
    pub nixpkgs_url: Option<Span>,
    /// Where `[colmena] url` is.
    pub colmena_url: Option<Span>,
    /// Where `distro` is.
    pub distro: Option<Span>,
}

type Span = std::ops::Range<usize>;

/// Reads a lock's text (either kind); `None` when it is not a lock this aster-config can read
/// (not TOML, another `lock-version`, or an entry missing).
pub fn parse(text: &str) -> Option<Parsed> {
    let document = toml_edit::Document::parse(text.to_owned()).ok()?;
    let root = document.as_table();
    let string = |table: &dyn toml_edit::TableLike, key: &str| {
        table.get(key).and_then(|i| i.as_str().map(str::to_owned))
    };
    let locked = |key: &str| -> Option<(Locked, Option<Span>)> {
        let table = root.get(key)?.as_table_like()?;
        Some((
            Locked {
                rev: string(table, "rev"),
                url: string(table, "url")?,
                sha256: string(table, "sha256")?,
                nar_hash: string(table, "nar-hash")?,
            },
            table.get("url").and_then(toml_edit::Item::span),
        ))
    };
    let version = root
        .get("lock-version")
        .and_then(toml_edit::Item::as_integer);
    if version != Some(LOCK_VERSION) {
        return None;
    }
    let (nixpkgs, nixpkgs_url) = locked("nixpkgs")?;
    let distro = string(root, "distro")?;
    let colmena = if root.contains_key("colmena") {
        Some(locked("colmena")?)
    } else {
        None
    };
    Some(Parsed {
        colmena_url: colmena.as_ref().and_then(|(_, span)| span.clone()),
        lock: Lock {
            nixpkgs,
            colmena: colmena.map(|(locked, _)| locked),
            distro,
        },
        nixpkgs_url,
        distro: root.get("distro").and_then(toml_edit::Item::span),
    })
}

/// Reads the fleet's lock and checks it against the fleet; every problem is a diagnostic.
pub fn load(
    dir: &Path,
    fleet: &Fleet,
    files: &mut Files,
    report: &mut crate::report::Report,
) -> Option<Lock> {
    let path = dir.join(LOCK_FILE);
    let shown = crate::paths::display(&path);
    let Ok(text) = crate::read::read_text(&path) else {
        report.push(FleetDiagnostic::general(
            Diagnostic::new(
                Code::FleetMissingLock,
                format!("the fleet has no lock file ({shown})"),
            )
            .help("run `aster-config lock` on the fleet file (it needs the network once) and commit the lock"),
        ));
        return None;
    };
    let file = files.add(shown.clone(), text.clone());
    let stale = |message: String, span: Option<Span>| {
        FleetDiagnostic::in_file(
            file,
            Diagnostic::new(Code::FleetStaleLock, message)
                .at(span, "locked here")
                .help("run `aster-config lock` on the fleet file again and commit the new lock"),
        )
    };
    let Some(parsed) = parse(&text) else {
        report.push(stale(
            format!("{shown} is not a lock file this aster-config can read"),
            None,
        ));
        return None;
    };
    let mut ok = true;
    let lock = &parsed.lock;
    if lock.nixpkgs.url != fleet.value.pins.nixpkgs {
        ok = false;
        report.push(stale(
            format!(
                "the lock pins nixpkgs from {}, but the fleet file now names {}",
                lock.nixpkgs.url, fleet.value.pins.nixpkgs
            ),
            parsed.nixpkgs_url.clone(),
        ));
    }
    if lock.colmena.as_ref().map(|l| l.url.as_str()) != fleet.value.pins.colmena.as_deref() {
        ok = false;
        report.push(stale(
            "the lock's colmena pin does not match the fleet file's `pins.colmena`".to_owned(),
            parsed.colmena_url.clone(),
        ));
    }
    if let Some((message, span)) = other_distro(&parsed) {
        ok = false;
        report.push(stale(message, span));
    }
    ok.then_some(parsed.lock)
}

/// When `parsed` was written for another distro tree than this aster-config's: the message and
/// the span of its `distro` (either kind of lock is stale then).
fn other_distro(parsed: &Parsed) -> Option<(String, Option<Span>)> {
    (parsed.lock.distro != distro_hash()).then(|| {
        (
            "the lock was written for another distro tree (another aster-config version)"
                .to_owned(),
            parsed.distro.clone(),
        )
    })
}

/// The diagnostic for `--locked` without a lock beside the spec.
pub fn missing_spec_lock(lock_shown: &str) -> Diagnostic {
    Diagnostic::new(
        Code::SpecMissingLock,
        format!("`--locked` was given, but there is no lock file {lock_shown} beside the spec"),
    )
    .help("pin nixpkgs with `aster-config lock SPEC --nixpkgs URL` (it needs the network once) and commit the lock")
}

/// Reads a spec's lock and checks that it is whole and current: written for this aster-config's
/// distro tree, and not edited by hand (the URL's revision is the locked one, the two hashes are
/// the same hash, the URL is one Nix can fetch). Every problem is an `AC0514` diagnostic.
pub fn check_spec_lock(text: &str) -> Result<Lock, Vec<Diagnostic>> {
    let stale = |message: String, span: Option<Span>| {
        Diagnostic::new(Code::SpecStaleLock, message)
            .at(span, "locked here")
            .help("lock again with `aster-config lock SPEC` (add `--nixpkgs URL` to pin another nixpkgs) and commit the new lock")
    };
    let Some(parsed) = parse(text) else {
        return Err(vec![stale(
            "this is not a lock file this aster-config can read".to_owned(),
            None,
        )]);
    };
    let nixpkgs = &parsed.lock.nixpkgs;
    let mut problems = Vec::new();
    if let Some(problem) = crate::validate::pin_problem(&nixpkgs.url) {
        problems.push(stale(
            format!("the locked nixpkgs URL {problem}"),
            parsed.nixpkgs_url.clone(),
        ));
    }
    if revision(&nixpkgs.url).is_some_and(|rev| nixpkgs.rev.as_deref() != Some(rev.as_str())) {
        problems.push(stale(
            format!(
                "the URL names revision {}, but the lock was computed for {} (the URL was edited by hand)",
                revision(&nixpkgs.url).unwrap_or_default(),
                nixpkgs.rev.as_deref().unwrap_or("no revision")
            ),
            parsed.nixpkgs_url.clone(),
        ));
    }
    if sri_from_nix32(&nixpkgs.sha256).as_deref() != Some(nixpkgs.nar_hash.as_str()) {
        problems.push(stale(
            "`sha256` and `nar-hash` are not the same hash (the lock was edited by hand)"
                .to_owned(),
            parsed.nixpkgs_url.clone(),
        ));
    }
    if let Some((message, span)) = other_distro(&parsed) {
        problems.push(stale(message, span));
    }
    if problems.is_empty() {
        Ok(parsed.lock)
    } else {
        Err(problems)
    }
}

/// `nixpkgs.nix`: the locked tarball as `builtins.fetchTarball { url; sha256; }`, which evaluates
/// to its store path. No path, time or machine name goes in: the same lock gives the same bytes.
pub fn pin_nix(locked: &Locked) -> String {
    let fetch = locked.fetch_tarball();
    // Only a revision read from the URL (40 hex digits) goes into the comment.
    let revision =
        revision(&locked.url).map_or_else(String::new, |rev| format!(" (revision {rev})"));
    format!(
        "# Generated by aster-config {} from the spec's lock: the pinned nixpkgs{revision}.\n\
         # Do not edit: run `aster-config lock` and `aster-config build` again.\n\
         # Evaluates to the nixpkgs source in the Nix store; build this folder with it:\n\
         #   nixos-rebuild test -I nixos-config=./configuration.nix \\\n\
         #     -I nixpkgs=\"$(nix-instantiate --eval --json ./nixpkgs.nix | tr -d '\"')\"\n{}\n",
        env!("CARGO_PKG_VERSION"),
        aster_compiler::nix::print(&fetch)
    )
}

/// The store folder Nix uses: `NIX_STORE_DIR`, else `/nix/store`.
fn store_dir() -> String {
    std::env::var("NIX_STORE_DIR")
        .ok()
        .filter(|d| d.starts_with('/'))
        .map_or_else(
            || "/nix/store".to_owned(),
            |d| d.trim_end_matches('/').to_owned(),
        )
}

/// The store path of the unpacked tarball with NAR hash `sha256` (Nix base-32), named `source`
/// as `builtins.fetchTarball` names it: Nix's fixed-output path, computed from the hash alone
/// (`makeFixedOutputPath` with recursive SHA-256), so it is known without fetching anything.
pub fn store_path(sha256: &str) -> Option<String> {
    store_path_in(&store_dir(), sha256)
}

/// [`store_path`] in the store folder `dir`.
fn store_path_in(dir: &str, sha256: &str) -> Option<String> {
    let nar = nix32_decode(sha256)?;
    let fingerprint = format!("source:sha256:{}:{dir}:{PIN_NAME}", to_hex(&nar));
    let mut compressed = [0u8; 20];
    for (i, byte) in aster_compiler::sha256(fingerprint.as_bytes())
        .iter()
        .enumerate()
    {
        compressed[i % 20] ^= byte;
    }
    Some(format!("{dir}/{}-{PIN_NAME}", nix32_encode(&compressed)))
}

/// Where the store path `path` is on this machine's disk: under the store's root folder when
/// `NIX_REMOTE` names a local store kept elsewhere (`/some/dir` or `local?root=/some/dir`, as
/// tests and chroot installs use), else the path itself.
pub fn on_disk(path: &str) -> std::path::PathBuf {
    let remote = std::env::var("NIX_REMOTE").unwrap_or_default();
    let root = if remote.starts_with('/') {
        Some(remote.split('?').next().unwrap_or_default().to_owned())
    } else {
        remote
            .strip_prefix("local?")
            .and_then(|query| query.split('&').find_map(|kv| kv.strip_prefix("root=")))
            .map(str::to_owned)
    };
    match root {
        Some(root) => Path::new(&root).join(path.trim_start_matches('/')),
        None => std::path::PathBuf::from(path),
    }
}

/// The store name of a pinned tarball (what `builtins.fetchTarball` calls it).
const PIN_NAME: &str = "source";

/// Makes sure the pinned nixpkgs is in the Nix store and is what the lock says:
/// `nix-prefetch-url --unpack --print-path --name source URL SHA256` returns at once when the
/// store already has it, and otherwise downloads and unpacks it and fails on any other hash.
/// Returns its store path, which must be [`store_path`]'s.
pub fn fetch_pinned(url: &str, sha256: &str) -> Result<String, String> {
    let stdout = nix_prefetch_url(
        &["--print-path", url, sha256],
        &format!("the locked nixpkgs {url} with hash {sha256}"),
    )?;
    let path = stdout.lines().nth(1).unwrap_or_default().trim().to_owned();
    let expected = store_path(sha256);
    if expected.as_deref() != Some(path.as_str()) {
        return Err(format!(
            "nix-prefetch-url put the locked nixpkgs at `{path}`, not at {} as its hash says",
            expected.unwrap_or_else(|| "the path its hash names".to_owned())
        ));
    }
    Ok(path)
}

/// Runs `nix-prefetch-url --unpack --name source --type sha256 ARGS…` and returns its standard
/// output; `what` names the tarball in the error when Nix cannot be started or cannot fetch it.
fn nix_prefetch_url(args: &[&str], what: &str) -> Result<String, String> {
    let output = Command::new("nix-prefetch-url")
        .args(["--unpack", "--name", PIN_NAME, "--type", "sha256"])
        .args(args)
        .output()
        .map_err(|e| format!("cannot start nix-prefetch-url (install Nix): {e}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!(
            "nix-prefetch-url could not fetch {what}: {}",
            stderr.trim()
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nix32_to_sri_matches_nix() {
        // SHA-256 of "hello": `nix-hash --flat --type sha256 --base32` of a file holding it,
        // and `sha256sum | xxd -r -p | base64` of the same file.
        assert_eq!(
            sri_from_nix32("094qif9n4cq4fdg459qzbhg1c6wywawwaaivx0k0x8xhbyx4vwic").as_deref(),
            Some("sha256-LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=")
        );
        assert_eq!(sri_from_nix32("short"), None);
    }

    #[test]
    fn store_paths_are_computed_as_nix_computes_them() {
        // `nix-prefetch-url --unpack --print-path --name source` of a small tarball printed this
        // hash and this path.
        assert_eq!(
            store_path_in(
                "/nix/store",
                "19l59z9nbs59axnhw6iqsz5bdagqb22kf0dp2zhkiq5m4b6k5247"
            )
            .as_deref(),
            Some("/nix/store/ms37m6i4z2hfa1lm7a6lch7lw9vcr26l-source")
        );
        assert_eq!(store_path("not a hash"), None);
    }

    #[test]
    fn a_spec_lock_edited_by_hand_is_stale() {
        let lock = Lock {
            nixpkgs: Locked {
                url: "https://github.com/NixOS/nixpkgs/archive/c0bebd16e69e631ac6e52d6eb439daba28ac50cd.tar.gz".to_owned(),
                rev: Some("c0bebd16e69e631ac6e52d6eb439daba28ac50cd".to_owned()),
                sha256: "094qif9n4cq4fdg459qzbhg1c6wywawwaaivx0k0x8xhbyx4vwic".to_owned(),
                nar_hash: "sha256-LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=".to_owned(),
            },
            colmena: None,
            distro: distro_hash(),
        };
        let text = spec_lock_text(&lock);
        assert_eq!(check_spec_lock(&text), Ok(lock));
        let moved = text.replace("archive/c0bebd", "archive/d0bebd");
        let problems = check_spec_lock(&moved).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].code, Code::SpecStaleLock);
        assert!(check_spec_lock("lock-version = 2\n").is_err());
    }

    #[test]
    fn revisions_come_from_archive_urls() {
        assert_eq!(
            revision("https://github.com/NixOS/nixpkgs/archive/c0bebd16e69e631ac6e52d6eb439daba28ac50cd.tar.gz").as_deref(),
            Some("c0bebd16e69e631ac6e52d6eb439daba28ac50cd")
        );
        assert_eq!(revision("file:///tmp/x.tar.gz"), None);
    }
}
