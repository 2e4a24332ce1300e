//! The command line as a user meets it: presets, explain, completions, man page, exit codes.

mod common;

use common::aster_config;

/// The server preset's stand-in for the admin's key, which `check` refuses until it is replaced
/// (`tests/presets.rs` snapshots that refusal).
const SERVER_KEY_PLACEHOLDER: &str =
    "PASTE YOUR PUBLIC KEY HERE: the whole line of ~/.ssh/id_ed25519.pub";

#[test]
fn every_preset_checks_clean_and_builds() {
    let scratch = tempfile::tempdir().expect("temp dir");
    for preset in ["minimal", "server", "desktop", "container-host"] {
        let init = aster_config(&["init", "--preset", preset]);
        assert_eq!(init.status.code(), Some(0));
        let spec = scratch.path().join(format!("{preset}.toml"));
        let mut text = String::from_utf8(init.stdout).expect("UTF-8 preset");
        if preset == "server" {
            assert!(text.contains(SERVER_KEY_PLACEHOLDER), "{text}");
            // What the admin does first: paste a real public key.
            text = text.replace(
                SERVER_KEY_PLACEHOLDER,
                "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBx1fTRhY2tlZEV4YW1wbGVLZXlGb3JEb2Nz admin@laptop",
            );
        }
        std::fs::write(&spec, text).unwrap();
        let out = scratch.path().join(preset);
        let build = aster_config(&["build", spec.to_str().unwrap(), "-o", out.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&build.stderr);
        assert_eq!(
            build.status.code(),
            Some(0),
            "preset {preset} does not build:\n{stderr}"
        );
        assert!(
            !stderr.contains("error["),
            "preset {preset} has errors:\n{stderr}"
        );
        assert!(out.join("configuration.nix").is_file());
    }
}

#[test]
fn explain_prints_each_code_and_rejects_unknown_ones() {
    let known = aster_config(&["explain", "ac0304"]);
    assert_eq!(known.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&known.stdout).starts_with("# AC0304"));
    let unknown = aster_config(&["explain", "AC9999"]);
    assert_eq!(unknown.status.code(), Some(2));
    let list = aster_config(&["explain"]);
    assert_eq!(
        String::from_utf8_lossy(&list.stdout).lines().count(),
        aster_compiler::Code::ALL.len()
    );
}

#[test]
fn usage_and_io_problems_exit_2() {
    assert_eq!(aster_config(&["check"]).status.code(), Some(2));
    assert_eq!(
        aster_config(&["check", "/nonexistent/spec.toml"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(aster_config(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn build_refuses_a_folder_it_did_not_write() {
    let scratch = tempfile::tempdir().expect("temp dir");
    let foreign = scratch.path().join("etc-nixos");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("hardware-configuration.nix"), "{ }").unwrap();
    let example = common::root().join("examples/minimal.toml");
    let build = aster_config(&[
        "build",
        example.to_str().unwrap(),
        "-o",
        foreign.to_str().unwrap(),
    ]);
    assert_eq!(build.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&build.stderr).contains("was not written by aster-config"));
    assert_eq!(
        std::fs::read_to_string(foreign.join("hardware-configuration.nix")).unwrap(),
        "{ }"
    );
    // A second build into its own earlier output replaces it.
    let own = scratch.path().join("own");
    for _ in 0..2 {
        let build = aster_config(&[
            "build",
            example.to_str().unwrap(),
            "-o",
            own.to_str().unwrap(),
        ]);
        assert_eq!(
            build.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&build.stderr)
        );
    }
}

#[test]
fn completions_man_page_and_help_are_generated() {
    for shell in ["bash", "zsh", "fish"] {
        let out = aster_config(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0));
        assert!(String::from_utf8_lossy(&out.stdout).contains("aster-config"));
    }
    let man = aster_config(&["man"]);
    assert!(String::from_utf8_lossy(&man.stdout).contains(".TH aster-config"));
    let help = aster_config(&["--help"]);
    assert!(String::from_utf8_lossy(&help.stdout).contains("Examples:"));
}

#[test]
fn json_format_reports_positions() {
    let scratch = tempfile::tempdir().expect("temp dir");
    let spec = scratch.path().join("typo.toml");
    std::fs::write(&spec, "[system]\nhostnme = \"x\"\n").unwrap();
    let out = aster_config(&["check", "--format", "json", spec.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let document: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let first = &document["diagnostics"][0];
    assert_eq!(first["code"], "AC0201");
    assert_eq!(first["labels"][0]["begin"]["line"], 2);
    assert_eq!(first["suggestion"]["replacement"], "hostname");
}

#[test]
fn caps_and_packages_answer_questions() {
    let io_uring = aster_config(&["caps", "io_uring"]);
    let text = String::from_utf8_lossy(&io_uring.stdout);
    assert_eq!(io_uring.status.code(), Some(0));
    assert!(
        text.starts_with("capability io-uring: unsupported"),
        "{text}"
    );
    let nothing = aster_config(&["caps", "zzzz-no-such-thing"]);
    assert_eq!(nothing.status.code(), Some(1));
    let docker = aster_config(&["packages", "docker"]);
    let text = String::from_utf8_lossy(&docker.stdout);
    assert!(
        text.contains("docker [broken]") && text.contains("instead: podman"),
        "{text}"
    );
    // Services and NixOS modules have their own search: ACME is a module with its honest status.
    let acme = aster_config(&["services", "acme"]);
    let text = String::from_utf8_lossy(&acme.stdout);
    assert_eq!(acme.status.code(), Some(0), "{text}");
    assert!(
        text.starts_with("acme [untested] NixOS module: security.acme.certs.<name>")
            && text.contains("lego"),
        "{text}"
    );
    let docker = aster_config(&["services", "docker"]);
    let text = String::from_utf8_lossy(&docker.stdout);
    assert!(
        text.starts_with("docker [broken] service: virtualisation.docker.enable")
            && text.contains("instead: podman"),
        "{text}"
    );
    let broken = aster_config(&["--format", "json", "services", "--status", "broken"]);
    let rows: serde_json::Value = serde_json::from_slice(&broken.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    assert!(rows.len() > 10 && rows.iter().all(|r| r["status"] == "broken"));
    assert_eq!(
        aster_config(&["services", "zzzz-no-such-thing"])
            .status
            .code(),
        Some(1)
    );
    let broken = aster_config(&["--format", "json", "packages", "--status", "broken"]);
    let rows: serde_json::Value = serde_json::from_slice(&broken.stdout).unwrap();
    assert!(
        rows.as_array()
            .unwrap()
            .iter()
            .all(|r| r["status"] == "broken")
    );
}

#[test]
fn init_writes_a_new_file_and_never_overwrites() {
    let scratch = tempfile::tempdir().expect("temp dir");
    let spec = scratch.path().join("system.toml");
    let first = aster_config(&["init", spec.to_str().unwrap(), "--preset", "server"]);
    assert_eq!(first.status.code(), Some(0));
    // A spec written to a file starts with the `#:schema` line for the schema written beside it.
    assert_eq!(
        std::fs::read_to_string(&spec).unwrap(),
        format!(
            "#:schema ./aster-config.schema.json\n{}",
            String::from_utf8_lossy(&aster_config(&["init", "--preset", "server"]).stdout)
        )
    );
    std::fs::write(&spec, "# mine\n").unwrap();
    let again = aster_config(&["init", spec.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&spec).unwrap(), "# mine\n");
}

/// In a folder of hosts the failing one must be plain: `check`, `build` and `plan` name the spec
/// by its path from the working directory, while the manifest `build` writes keeps the bare file
/// name (output must not depend on where the command ran).
#[test]
fn diagnostics_name_the_spec_by_its_path_from_the_working_directory() {
    let scratch = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(scratch.path().join("hosts")).unwrap();
    std::fs::write(
        scratch.path().join("hosts/web.toml"),
        "[system]\nhostname = \"web\"\ntimezone = 7\n",
    )
    .unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_aster-config"))
            .args(args)
            .current_dir(scratch.path())
            .env("NO_COLOR", "1")
            .output()
            .expect("run aster-config")
    };
    for args in [
        &["check", "--no-nixpkgs", "hosts/web.toml"][..],
        &["check", "--no-nixpkgs", "./hosts/../hosts/web.toml"][..],
        &["build", "--no-nixpkgs", "hosts/web.toml", "-o", "out"][..],
        &["plan", "--root", "root", "hosts/web.toml"][..],
    ] {
        let output = run(args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{args:?}:\n{stderr}");
        assert!(
            stderr.contains("[hosts/web.toml:3:") && stderr.contains("hosts/web.toml: 1 error(s)"),
            "{args:?} should name hosts/web.toml:\n{stderr}"
        );
    }
    std::fs::write(
        scratch.path().join("hosts/web.toml"),
        "[system]\nhostname = \"web\"\n",
    )
    .unwrap();
    let build = run(&["build", "--no-nixpkgs", "hosts/web.toml", "-o", "out"]);
    assert_eq!(build.status.code(), Some(0), "{build:?}");
    let manifest = std::fs::read_to_string(scratch.path().join("out/.aster-config-manifest.json"));
    let listing: Vec<_> = std::fs::read_dir(scratch.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    let manifest = manifest.unwrap_or_else(|e| panic!("no manifest in {listing:?}: {e}"));
    assert!(manifest.contains("\"spec\": \"web.toml\""), "{manifest}");
}
