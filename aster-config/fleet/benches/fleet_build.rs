//! Benchmark: `fleet build` of generated fleets of 1,000 and 10,000 hosts (a shared base, small
//! per-host differences), in process: read, merge, compile every host, emit, write.
//!
//! `cargo bench -p aster-fleet --bench fleet_build` prints the time of each size and their ratio;
//! `cargo bench -p aster-fleet --bench fleet_build -- --generate DIR N` only writes a fleet of N
//! hosts to DIR (with a lock), to measure the real binary's peak memory with `/usr/bin/time -v`.
//! Figures are recorded in docs/src/benchmarks.md. Not a test: nothing here asserts a time.

#![allow(clippy::print_stdout, missing_docs)]

use std::path::Path;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--generate") {
        let dir = Path::new(&args[at + 1]);
        let hosts: usize = args[at + 2].parse().expect("a host count");
        generate(dir, hosts);
        println!("wrote a fleet of {hosts} hosts to {}", dir.display());
        return;
    }
    let mut times = Vec::new();
    for hosts in [1_000, 10_000] {
        let dir = tempfile::tempdir().expect("temp dir");
        generate(dir.path(), hosts);
        let start = Instant::now();
        let checked = aster_fleet::check(
            &dir.path().join("fleet.toml"),
            &aster_compiler::Options::default(),
            true,
        );
        let Some(output) = aster_fleet::output(&checked) else {
            panic!(
                "the generated fleet does not build: {:?}",
                checked.report.codes()
            );
        };
        aster_compiler::output::write(&output, &dir.path().join("out")).expect("write");
        let elapsed = start.elapsed();
        println!(
            "fleet build, {hosts} hosts: {:.3} s ({} files)",
            elapsed.as_secs_f64(),
            output.files().len()
        );
        times.push(elapsed.as_secs_f64());
    }
    println!("10,000 / 1,000 hosts: {:.2}x the time", times[1] / times[0]);
}

/// Writes `fleet.toml`, `base.toml` and `fleet.lock` for `hosts` hosts into `dir`.
fn generate(dir: &Path, hosts: usize) {
    std::fs::create_dir_all(dir).expect("dir");
    std::fs::write(
        dir.join("base.toml"),
        "spec-version = 1\n[system]\ntimezone = \"UTC\"\n[packages]\ninstall = [\"git\", \"htop\"]\n[users.ops]\ngroups = [\"wheel\"]\n",
    )
    .expect("base");
    let url = "file:///nonexistent/nixpkgs.tar.gz";
    let mut fleet = format!(
        "fleet-version = 1\n[pins]\nnixpkgs = \"{url}\"\n[defaults]\nspec = \"base.toml\"\n"
    );
    let extras = ["curl", "jq", "strace", "vim"];
    for n in 0..hosts {
        let role = if n % 3 == 0 { "db" } else { "web" };
        fleet.push_str(&format!(
            "\n[[host]]\nname = \"h{n:05}\"\ntarget = \"root@10.{}.{}.{}\"\ntags = [\"{role}\"]\nappend = [\"packages.install\"]\n[host.settings.packages]\ninstall = [\"{}\"]\n",
            n / 65536,
            (n / 256) % 256,
            n % 256,
            extras[n % extras.len()]
        ));
    }
    std::fs::write(dir.join("fleet.toml"), fleet).expect("fleet");
    // The lock's hash is not checked by `fleet build` (only its URL and distro hash are); the
    // benchmark never fetches anything.
    let lock = aster_fleet::lock::Lock {
        nixpkgs: aster_fleet::lock::Locked {
            url: url.to_owned(),
            rev: None,
            sha256: "0000000000000000000000000000000000000000000000000000".to_owned(),
            nar_hash: "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=".to_owned(),
        },
        colmena: None,
        distro: aster_fleet::lock::distro_hash(),
    };
    std::fs::write(dir.join("fleet.lock"), aster_fleet::lock::to_text(&lock)).expect("lock");
}
