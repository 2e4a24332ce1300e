//! A newcomer's first steps, through the real binary: `passwd` writes a crypt hash only root can
//! read and never shows the password, `init` writes a spec an editor validates with no set-up,
//! `man --out` writes every page the main page names, `help SUBCOMMAND` works, `apply --root`
//! practises a deploy on a machine without `nixos-rebuild`, and `rollback --root` puts the
//! previous files back there.

// A test that cannot run its reference comparison says so on stderr (and fails in CI).
#![allow(clippy::print_stderr)]

mod common;

use common::{practise, root};
use std::os::unix::fs::PermissionsExt as _;
use std::process::{Command, Output};

fn binary() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_aster-config"));
    command.env("NO_COLOR", "1");
    command
}

fn run_with_stdin(args: &[&str], stdin: &str) -> Output {
    common::output_with_stdin(binary().args(args), stdin)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `openssl passwd -6 -salt SALT PASSWORD`, the reference implementation of the hash; `None`
/// (with a note) when openssl is missing outside CI. In CI (`CI` set) a missing openssl fails.
fn openssl_sha512_crypt(password: &str, salt: &str) -> Option<String> {
    let output = Command::new("openssl")
        .args(["passwd", "-6", "-salt", salt, password])
        .output();
    match output {
        Ok(output) if output.status.success() => Some(text(&output.stdout).trim().to_owned()),
        _ => {
            assert!(
                std::env::var_os("CI").is_none(),
                "openssl is required in CI to check password hashes"
            );
            eprintln!("skipped the openssl comparison: openssl is not installed");
            None
        }
    }
}

#[test]
fn passwd_writes_a_private_sha512_crypt_hash_and_never_shows_the_password() {
    let machine = tempfile::tempdir().expect("temp dir");
    let root_arg = machine.path().to_str().expect("utf-8 path");
    let password = "correct horse battery staple";
    let output = run_with_stdin(
        &["passwd", "alice", "--stdin", "--root", root_arg],
        &format!("{password}\n"),
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    let stderr = text(&output.stderr);
    assert!(!stdout.contains(password) && !stderr.contains(password));
    assert_eq!(
        stdout.trim(),
        "hashed-password-file = \"/etc/secrets/alice.hash\""
    );
    let file = machine.path().join("etc/secrets/alice.hash");
    let mode = std::fs::metadata(&file)
        .expect("hash file")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "the hash file is mode {mode:o}");
    let hash = std::fs::read_to_string(&file).expect("read hash");
    let hash = hash.trim_end();
    let fields: Vec<&str> = hash.split('$').collect();
    assert_eq!(fields.len(), 4, "{hash}");
    assert_eq!((fields[0], fields[1]), ("", "6"), "{hash}");
    assert_eq!(fields[2].len(), 16, "a 16-character salt: {hash}");
    assert_eq!(
        fields[3].len(),
        86,
        "an 86-character SHA-512 digest: {hash}"
    );
    if let Some(reference) = openssl_sha512_crypt(password, fields[2]) {
        assert_eq!(hash, reference);
    }
    // The spec names the file; a spec with that line checks clean of password problems.
    let spec = machine.path().join("system.toml");
    std::fs::write(
        &spec,
        "[system]\nhostname = \"box\"\n\n[users.alice]\ngroups = [\"wheel\"]\nhashed-password-file = \"/etc/secrets/alice.hash\"\n",
    )
    .expect("write spec");
    let checked = binary()
        .args(["check", "--no-nixpkgs"])
        .arg(&spec)
        .output()
        .expect("check");
    assert_eq!(checked.status.code(), Some(0), "{}", text(&checked.stderr));
}

#[test]
fn passwd_refuses_what_it_cannot_do_safely() {
    let machine = tempfile::tempdir().expect("temp dir");
    let root_arg = machine.path().to_str().expect("utf-8 path");
    // Not a terminal and no --stdin: nothing is read in the clear by surprise.
    let output = run_with_stdin(&["passwd", "alice", "--root", root_arg], "secret\n");
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("pass --stdin"));
    // An empty password, and a user name that would leave /etc/secrets.
    let empty = run_with_stdin(&["passwd", "alice", "--stdin", "--root", root_arg], "\n");
    assert_eq!(empty.status.code(), Some(2));
    let escape = run_with_stdin(
        &["passwd", "../../etc/shadow", "--stdin", "--root", root_arg],
        "secret\n",
    );
    assert_eq!(escape.status.code(), Some(2));
    assert!(!text(&escape.stderr).contains("secret"));
    assert_eq!(
        std::fs::read_dir(machine.path()).expect("list").count(),
        0,
        "nothing may be written"
    );
}

#[test]
fn init_writes_a_schema_line_and_the_schema_beside_the_spec() {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = dir.path().join("system.toml");
    let output = binary()
        .args(["init", "--preset", "minimal"])
        .arg(&spec)
        .output()
        .expect("init");
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let written = std::fs::read_to_string(&spec).expect("spec");
    assert!(
        written.starts_with("#:schema ./aster-config.schema.json\n"),
        "{written}"
    );
    let schema = std::fs::read_to_string(dir.path().join("aster-config.schema.json"))
        .expect("the schema beside the spec");
    let checked_in = std::fs::read_to_string(root().join("schema/aster-config.schema.json"))
        .expect("checked-in schema");
    assert_eq!(schema, checked_in);
    let checked = binary()
        .args(["check", "--no-nixpkgs"])
        .arg(&spec)
        .output()
        .expect("check");
    assert_eq!(checked.status.code(), Some(0), "{}", text(&checked.stderr));
}

#[test]
fn schemastore_entry_has_the_catalog_fields() {
    let entry: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("schema/schemastore-catalog-entry.json"))
            .expect("entry"),
    )
    .expect("JSON");
    for field in ["name", "description", "fileMatch", "url"] {
        assert!(entry.get(field).is_some(), "the entry lacks `{field}`");
    }
    assert!(entry["fileMatch"].as_array().is_some_and(|m| !m.is_empty()));
}

#[test]
fn man_out_writes_every_page_the_main_page_names() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = binary()
        .args(["man", "--out"])
        .arg(dir.path())
        .output()
        .expect("man");
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let main = std::fs::read_to_string(dir.path().join("aster-config.1")).expect("main page");
    let mut named = Vec::new();
    for word in main.split(|c: char| c.is_whitespace() || c == ',') {
        let word = word.replace("\\-", "-");
        if let Some(page) = word.strip_suffix("(1)")
            && page.starts_with("aster-config-")
        {
            named.push(page.to_owned());
        }
    }
    assert!(
        named.iter().any(|p| p == "aster-config-init"),
        "the main page names no subcommand pages: {named:?}"
    );
    for page in &named {
        assert!(
            dir.path().join(format!("{page}.1")).is_file(),
            "{page}(1) is named but was not written"
        );
    }
    assert!(dir.path().join("aster-config-passwd.1").is_file());
}

#[test]
fn help_subcommand_prints_that_subcommands_help() {
    let output = binary().args(["help", "init"]).output().expect("help");
    assert_eq!(output.status.code(), Some(0));
    let stdout = text(&output.stdout);
    assert!(stdout.contains("Usage: aster-config init"), "{stdout}");
    // `init` writes a file (and the schema beside it); it prints only without one.
    assert!(
        stdout.starts_with("Write a starter spec to a file, with its JSON Schema beside it"),
        "{stdout}"
    );
    assert!(stdout.contains("--preset"), "{stdout}");
}

#[test]
fn apply_under_root_without_nixos_rebuild_installs_and_says_the_rebuild_was_skipped() {
    let machine = tempfile::tempdir().expect("temp dir");
    let spec = root().join("examples/minimal.toml");
    let output = practise(
        machine.path(),
        [
            std::ffi::OsStr::new("apply"),
            "--yes".as_ref(),
            spec.as_os_str(),
        ],
    );
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("is not installed here, so the rebuild step is skipped"),
        "{stderr}"
    );
    assert!(
        stderr.contains("nixos-rebuild was not run, so nothing was built or activated"),
        "{stderr}"
    );
    assert!(machine.path().join("etc/nixos/configuration.nix").is_file());
    // generations lists it as installed; after a hand edit it is no longer marked current.
    let listed = binary()
        .args(["generations", "--root"])
        .arg(machine.path())
        .output()
        .expect("generations");
    let listing = text(&listed.stdout);
    assert!(listing.contains("*1"), "{listing}");
    let configuration = machine.path().join("etc/nixos/configuration.nix");
    let mut edited = std::fs::read_to_string(&configuration).expect("read");
    edited.push_str("# edited by hand\n");
    std::fs::write(&configuration, edited).expect("edit");
    let listed = binary()
        .args(["generations", "--root"])
        .arg(machine.path())
        .output()
        .expect("generations");
    let listing = text(&listed.stdout);
    assert!(
        listing.contains("~1") && !listing.contains("*1"),
        "{listing}"
    );
    assert!(listing.contains("edited by hand since"), "{listing}");
}

#[test]
fn apply_no_rebuild_is_explicit_and_test_says_it_lasts_until_reboot() {
    // The sentence `apply` prints after a successful `test` and the README say the same thing.
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README");
    assert!(
        readme.contains("the next reboot starts the previous system again"),
        "the README must say that `test` is undone at the next reboot"
    );
    let help = binary()
        .args(["apply", "--help"])
        .output()
        .expect("apply --help");
    assert!(text(&help.stdout).contains("--no-rebuild"));
}

#[test]
fn rollback_under_root_without_nixos_rebuild_puts_the_previous_files_back() {
    let machine = tempfile::tempdir().expect("temp dir");
    let work = tempfile::tempdir().expect("temp dir");
    let spec = work.path().join("system.toml");
    let spec_arg = spec.to_str().expect("utf-8 path");
    let configuration = machine.path().join("etc/nixos/configuration.nix");
    let installed = || std::fs::read_to_string(&configuration).expect("configuration.nix");

    // Only one generation: nothing to go back to, and no note pretends something happens.
    std::fs::write(&spec, "[system]\nhostname = \"first\"\n").expect("write spec");
    let applied = practise(machine.path(), &["apply", "--yes", spec_arg]);
    assert_eq!(applied.status.code(), Some(0), "{}", text(&applied.stderr));
    let first = installed();
    let alone = practise(machine.path(), &["rollback", "--yes"]);
    let stderr = text(&alone.stderr);
    assert_eq!(alone.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("no earlier generation"), "{stderr}");
    assert!(
        !stderr.contains("note:"),
        "a note before the error: {stderr}"
    );

    std::fs::write(&spec, "[system]\nhostname = \"second\"\n").expect("write spec");
    let applied = practise(machine.path(), &["apply", "--yes", spec_arg]);
    assert_eq!(applied.status.code(), Some(0), "{}", text(&applied.stderr));
    let second = installed();
    assert!(second.contains("\"second\"") && first.contains("\"first\""));

    // `rollback`: generation 1 was never built (the rebuild was skipped), yet its files come back.
    let back = practise(machine.path(), &["rollback", "--yes"]);
    let (stdout, stderr) = (text(&back.stdout), text(&back.stderr));
    assert_eq!(back.status.code(), Some(0), "{stdout}{stderr}");
    assert!(stdout.contains("Rolling back to generation 1."), "{stdout}");
    assert!(
        stderr.contains(
            "is not installed here, so the rebuild step is skipped: the files of generation 1 are put back under"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("Done: the files of generation 1 are back in")
            && stderr.contains("nothing was built or activated"),
        "{stderr}"
    );
    assert!(!stderr.contains("warning:"), "{stderr}");
    assert_eq!(installed(), first);

    // `rollback 2` goes forward again; `generations` marks it current, still "not built".
    let forward = practise(machine.path(), &["rollback", "2", "--yes"]);
    assert_eq!(forward.status.code(), Some(0), "{}", text(&forward.stderr));
    assert_eq!(installed(), second);
    let listed = practise(machine.path(), &["generations"]);
    let listing = text(&listed.stdout);
    assert!(listing.contains("*2"), "{listing}");
    assert!(
        listing.lines().filter(|l| l.contains("not built")).count() == 2,
        "{listing}"
    );
}
