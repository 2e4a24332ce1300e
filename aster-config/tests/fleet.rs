//! Fleets through the real binary: the fleet fixtures (every bad input a coded diagnostic in its
//! file, nothing written), examples/fleet built from a locked local stand-in for nixpkgs (every
//! emitted file snapshotted, parsed by the real Nix, byte-identical across runs), colmena built
//! from the vendored source reading the hive, the fleet schema's staleness, and the examples of
//! every `AC05xx` page.

mod common;
#[path = "fleet/harness.rs"]
mod harness;

use harness::{Fleet, workspace};
use std::path::{Path, PathBuf};
use std::process::Command;

fn aster_config(cwd: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_aster-config"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env("NIX_REMOTE", "dummy://")
        .output()
        .expect("run aster-config")
}

fn snapshot(name: &str, text: &str) {
    insta::with_settings!({ snapshot_path => "../../tests/snapshots/fleet", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, text);
    });
}

/// Each folder of tests/fixtures/fleet/err holds a `fleet.toml` (and the files it names); its
/// optional `args` file holds the command (default `fleet check fleet.toml`), `{out}` standing
/// for a fresh output folder, and `expect` the exit code (default 1).
#[test]
fn error_fixtures_report_coded_diagnostics_in_their_files_and_write_nothing() {
    let root = workspace();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root.join("tests/fixtures/fleet/err"))
        .expect("fixtures")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(
        dirs.len() >= 12,
        "expected at least 12 fleet error fixtures"
    );
    for dir in dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let relative = dir.strip_prefix(&root).expect("inside").to_path_buf();
        let out = tempfile::tempdir().expect("temp");
        let out_dir = out.path().join("out");
        let args_text = std::fs::read_to_string(dir.join("args"))
            .unwrap_or_else(|_| "fleet check fleet.toml".into());
        let args: Vec<String> = args_text
            .split_whitespace()
            .map(|a| {
                a.replace(
                    "fleet.toml",
                    &relative.join("fleet.toml").display().to_string(),
                )
                .replace("{out}", &out_dir.display().to_string())
            })
            .collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = aster_config(&root, &args);
        let expect: i32 = std::fs::read_to_string(dir.join("expect"))
            .map_or(1, |t| t.trim().parse().expect("exit code"));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(expect), "{name}: {stderr}");
        assert!(
            stderr.contains("AC0"),
            "{name}: no diagnostic code in {stderr}"
        );
        assert!(!out_dir.exists(), "{name}: wrote {}", out_dir.display());
        snapshot(
            &format!("err__{name}"),
            &format!("args: {}\nexit: {expect}\n{stderr}", args_text.trim()),
        );
    }
}

#[test]
fn the_example_fleet_builds_the_same_bytes_twice_and_nix_parses_every_file() {
    let fleet = Fleet::example();
    let unlocked = fleet.run(&["fleet", "build", "fleet.toml", "-o", "out"]);
    assert_eq!(
        unlocked.status.code(),
        Some(1),
        "a build without a lock must fail"
    );
    assert!(String::from_utf8_lossy(&unlocked.stderr).contains("AC0505"));
    fleet.lock();
    let lock = std::fs::read_to_string(fleet.dir.join("fleet.lock")).expect("lock");
    snapshot("example__fleet.lock", &fleet.scrub(&lock));
    for out in ["out1", "out2"] {
        let run = fleet.run(&["fleet", "build", "fleet.toml", "-o", out]);
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
    }
    let (out1, out2) = (fleet.dir.join("out1"), fleet.dir.join("out2"));
    let first = common::files_under(&out1);
    let second = common::files_under(&out2);
    assert_eq!(first.len(), second.len());
    let mut listing = String::new();
    for (a, b) in first.iter().zip(&second) {
        let bytes = std::fs::read(out1.join(a)).expect("read");
        assert_eq!(
            bytes,
            std::fs::read(out2.join(b)).expect("read"),
            "{} differs",
            out1.join(a).display()
        );
        listing.push_str(&format!("{a}\n"));
        let shown = a;
        if !shown.starts_with("distro/") && !shown.starts_with('.') {
            snapshot(
                &format!("example__{}", shown.replace('/', "__")),
                &fleet.scrub(&String::from_utf8_lossy(&bytes)),
            );
        }
    }
    snapshot("example__files", &listing);
    let nix: Vec<PathBuf> = first
        .iter()
        .filter(|p| Path::new(p).extension().is_some_and(|e| e == "nix"))
        .map(|p| out1.join(p))
        .collect();
    for file in &nix {
        let parsed = Command::new("nix-instantiate")
            .arg("--parse")
            .arg(file)
            .env("NIX_REMOTE", "dummy://")
            .output()
            .expect("nix-instantiate is needed (apt-get install nix-bin)");
        assert!(
            parsed.status.success(),
            "{}: {}",
            file.display(),
            String::from_utf8_lossy(&parsed.stderr)
        );
    }
}

#[test]
fn a_stale_lock_is_refused_and_nothing_is_written() {
    let fleet = Fleet::example();
    fleet.lock();
    let file = fleet.file();
    let text = std::fs::read_to_string(&file).expect("read");
    std::fs::write(&file, text.replace("standin.tar.gz", "standin-new.tar.gz")).expect("write");
    let run = fleet.run(&["fleet", "build", "fleet.toml", "-o", "out"]);
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stderr).contains("AC0506"));
    assert!(!fleet.dir.join("out").exists());
}

/// colmena built from ../shared/vendor/colmena (`.ci/test` builds it and sets `COLMENA_BIN`).
fn colmena() -> Option<PathBuf> {
    let candidate = std::env::var_os("COLMENA_BIN").map_or_else(
        || workspace().join("target/colmena/release/colmena"),
        PathBuf::from,
    );
    if candidate.is_file() {
        return Some(candidate);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "colmena is required in CI: {} is missing (.ci/test builds it)",
        candidate.display()
    );
    #[allow(clippy::print_stderr)]
    {
        eprintln!(
            "skipped: no colmena at {} (set COLMENA_BIN)",
            candidate.display()
        );
    }
    None
}

#[test]
fn colmena_reads_the_hosts_targets_and_tags_the_fleet_file_says() {
    let Some(colmena) = colmena() else {
        return;
    };
    let fleet = Fleet::example();
    fleet.lock();
    let run = fleet.run(&["fleet", "build", "fleet.toml", "-o", "out"]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let output = Command::new(colmena)
        .arg("--config")
        .arg(fleet.dir.join("out/hive.nix"))
        .args([
            "eval",
            "-E",
            "{ nodes, ... }: builtins.mapAttrs (n: v: { inherit (v.config.deployment) tags targetHost targetUser targetPort; }) nodes",
        ])
        .env("NIX_REMOTE", &fleet.store)
        .output()
        .expect("run colmena");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let nodes: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(
        nodes,
        serde_json::json!({
            "web-01": {"tags": ["web", "production"], "targetHost": "web-01.example.org", "targetUser": "deploy", "targetPort": null},
            "web-02": {"tags": ["web"], "targetHost": "web-02.example.org", "targetUser": "deploy", "targetPort": 2222},
            "db-01": {"tags": ["db", "production"], "targetHost": "10.0.0.20", "targetUser": "root", "targetPort": null},
        })
    );
}

#[test]
fn checked_in_fleet_schema_is_current() {
    let path = workspace().join("schema/aster-fleet.schema.json");
    let expected = aster_fleet::schema::derived_schema_text();
    if std::env::var_os("ASTER_UPDATE").is_some() {
        std::fs::write(&path, &expected).expect("write schema");
        return;
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "schema/aster-fleet.schema.json is stale; run `ASTER_UPDATE=1 cargo test -p aster-config --test fleet`"
    );
}

/// The first fleet file of each `AC05xx` page reports that code (`--on X` from the page when the
/// page runs `fleet plan`, `fleet build` for the lock page).
#[test]
fn every_fleet_code_page_example_reports_its_code() {
    for code in aster_compiler::Code::ALL
        .iter()
        .filter(|c| c.as_str().starts_with("AC05"))
    {
        let page = code.explanation();
        let Some(block) = page
            .split("```toml\n")
            .nth(1)
            .and_then(|b| b.split("```").next())
        else {
            continue;
        };
        if !block.contains("fleet-version") {
            continue;
        }
        let dir = tempfile::tempdir().expect("temp");
        std::fs::write(dir.path().join("fleet.toml"), block).expect("write");
        let on = page
            .split("--on ")
            .nth(1)
            .and_then(|rest| rest.split('`').next())
            .map(str::to_owned);
        let args: Vec<String> = match (&on, code.as_str()) {
            (Some(on), _) => vec![
                "fleet".into(),
                "plan".into(),
                "fleet.toml".into(),
                "--on".into(),
                on.clone(),
            ],
            (None, "AC0505") => vec![
                "fleet".into(),
                "build".into(),
                "fleet.toml".into(),
                "-o".into(),
                "out".into(),
            ],
            (None, _) => vec!["fleet".into(), "check".into(), "fleet.toml".into()],
        };
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = aster_config(dir.path(), &args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains(code.as_str()),
            "{code}: the page's example does not report it:\n{stderr}"
        );
        assert!(
            matches!(output.status.code(), Some(1 | 2)),
            "{code}: exit {:?}",
            output.status.code()
        );
    }
}
