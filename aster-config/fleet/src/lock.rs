//! The lock file (`fleet.lock` beside the fleet file): nixpkgs (and colmena) pinned by URL,
//! revision and NAR hash, and the distro tree pinned by its hash.
//!
//! `aster-config lock` computes it with the real Nix (`nix-prefetch-url --unpack`, which needs the
//! network for a remote URL); every later build reads it and refuses to go on when it is missing
//! or no longer matches the fleet file's pins or this aster-config's distro tree.

use crate::model::Fleet;
use crate::report::{Files, FleetDiagnostic};
use aster_compiler::{Code, Diagnostic, sha256_hex};
use std::path::Path;
use std::process::Command;

/// The lock file's name, beside the fleet file.
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
/// it into the Nix store). Returns what went wrong in words.
pub fn prefetch(url: &str) -> Result<Locked, String> {
    let output = Command::new("nix-prefetch-url")
        .args(["--unpack", "--type", "sha256", url])
        .output()
        .map_err(|e| format!("cannot start nix-prefetch-url (install Nix): {e}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!(
            "nix-prefetch-url could not fetch {url}: {}",
            stderr.trim()
        ));
    }
    let sha256 = String::from_utf8_lossy(&output.stdout).trim().to_owned();
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
    Some(format!("sha256-{}", base64(&bytes)))
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

/// The lock as TOML text (fixed order, so the same lock is the same bytes).
pub fn to_text(lock: &Lock) -> String {
    let mut out = String::from(
        "# Written by `aster-config lock`; do not edit. Commit it beside the fleet file.\n",
    );
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
    let stale = |message: String, span: Option<std::ops::Range<usize>>| {
        FleetDiagnostic::in_file(
            file,
            Diagnostic::new(Code::FleetStaleLock, message)
                .at(span, "locked here")
                .help("run `aster-config lock` on the fleet file again and commit the new lock"),
        )
    };
    let Ok(document) = toml_edit::Document::parse(text.clone()) else {
        report.push(stale(
            format!("{shown} is not a lock file aster-config can read"),
            None,
        ));
        return None;
    };
    let root = document.as_table();
    let string = |table: &dyn toml_edit::TableLike, key: &str| {
        table.get(key).and_then(|i| i.as_str().map(str::to_owned))
    };
    let locked = |key: &str| -> Option<(Locked, Option<std::ops::Range<usize>>)> {
        let table = root.get(key)?.as_table_like()?;
        let url = string(table, "url")?;
        let sha256 = string(table, "sha256")?;
        let nar_hash = string(table, "nar-hash")?;
        Some((
            Locked {
                rev: string(table, "rev"),
                url,
                sha256,
                nar_hash,
            },
            table.get("url").and_then(toml_edit::Item::span),
        ))
    };
    let version_ok = root
        .get("lock-version")
        .and_then(toml_edit::Item::as_integer)
        == Some(LOCK_VERSION);
    let (Some((nixpkgs, nixpkgs_span)), Some(distro), true) =
        (locked("nixpkgs"), string(root, "distro"), version_ok)
    else {
        report.push(stale(
            format!("{shown} is not a lock file this aster-config can read"),
            None,
        ));
        return None;
    };
    let mut ok = true;
    if nixpkgs.url != fleet.value.pins.nixpkgs {
        ok = false;
        report.push(stale(
            format!(
                "the lock pins nixpkgs from {}, but the fleet file now names {}",
                nixpkgs.url, fleet.value.pins.nixpkgs
            ),
            nixpkgs_span,
        ));
    }
    let colmena = locked("colmena");
    if colmena.as_ref().map(|(l, _)| l.url.as_str()) != fleet.value.pins.colmena.as_deref() {
        ok = false;
        report.push(stale(
            "the lock's colmena pin does not match the fleet file's `pins.colmena`".to_owned(),
            colmena.as_ref().and_then(|(_, s)| s.clone()),
        ));
    }
    if distro != distro_hash() {
        ok = false;
        report.push(stale(
            "the lock was written for another distro tree (another aster-config version)"
                .to_owned(),
            root.get("distro").and_then(toml_edit::Item::span),
        ));
    }
    ok.then(|| Lock {
        nixpkgs,
        colmena: colmena.map(|(l, _)| l),
        distro,
    })
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
    fn revisions_come_from_archive_urls() {
        assert_eq!(
            revision("https://github.com/NixOS/nixpkgs/archive/c0bebd16e69e631ac6e52d6eb439daba28ac50cd.tar.gz").as_deref(),
            Some("c0bebd16e69e631ac6e52d6eb439daba28ac50cd")
        );
        assert_eq!(revision("file:///tmp/x.tar.gz"), None);
    }
}
