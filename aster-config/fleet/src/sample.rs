//! Generated fleets, for the benchmark (`benches/fleet_build.rs`, `benches/fleet.sh`) and tests:
//! a shared base spec, and hosts that differ in their name, target, tag and one appended package,
//! with a lock that names the pin without fetching it. Not part of the fleet format.

use std::fmt::Write as _;
use std::io;
use std::path::Path;

/// Writes `fleet.toml`, `base.toml` and `fleet.lock` for `hosts` hosts into `dir` (created).
pub fn generate(dir: &Path, hosts: usize) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    std::fs::write(
        dir.join("base.toml"),
        "spec-version = 1\n[system]\ntimezone = \"UTC\"\n[packages]\ninstall = [\"git\", \"htop\"]\n[users.ops]\ngroups = [\"wheel\"]\n",
    )?;
    let url = "file:///nonexistent/nixpkgs.tar.gz";
    let mut fleet = format!(
        "fleet-version = 1\n[pins]\nnixpkgs = \"{url}\"\n[defaults]\nspec = \"base.toml\"\n"
    );
    let extras = ["curl", "jq", "strace", "vim"];
    for n in 0..hosts {
        let role = if n % 3 == 0 { "db" } else { "web" };
        let _ = write!(
            fleet,
            "\n[[host]]\nname = \"h{n:05}\"\ntarget = \"root@10.{}.{}.{}\"\ntags = [\"{role}\"]\nappend = [\"packages.install\"]\n[host.settings.packages]\ninstall = [\"{}\"]\n",
            n / 65536,
            (n / 256) % 256,
            n % 256,
            extras[n % extras.len()]
        );
    }
    std::fs::write(dir.join("fleet.toml"), fleet)?;
    // `fleet build` checks the lock's URL and distro hash, not the NAR hash: nothing is fetched.
    let lock = crate::lock::Lock {
        nixpkgs: crate::lock::Locked {
            url: url.to_owned(),
            rev: None,
            sha256: "0000000000000000000000000000000000000000000000000000".to_owned(),
            nar_hash: "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=".to_owned(),
        },
        colmena: None,
        distro: crate::lock::distro_hash(),
    };
    std::fs::write(dir.join("fleet.lock"), crate::lock::to_text(&lock))
}
