//! Limits and output safety.
//!
//! The size cap (`AC0103`) and the nesting cap (`AC0104`) at and past their edges; no stack
//! overflow on 100,000 nested arrays (through the real binary, and through the library on a small
//! thread stack, which proves that nothing recurses once per level); long strings that reach Nix
//! whole; a mebibyte of entries checked (how fast: the compile benchmark). Then the output: files only inside the chosen
//! folder, override names checked before they become file names (`AC0322`), and symbolic links —
//! as the output folder, inside an earlier output, or as a referenced patch or module — never
//! followed. Inputs that are large or need symbolic links are made here at run time rather than
//! committed as fixtures.

mod common;

use aster_compiler::MAX_DEPTH;
use aster_compiler::MAX_SPEC_BYTES;
use aster_compiler::{Built, Input, Severity};
use common::aster_config;
use std::os::unix::fs::symlink;
use std::path::Path;

fn build(bytes: &[u8]) -> Built {
    build_in(bytes, None)
}

fn build_in(bytes: &[u8], base_dir: Option<&Path>) -> Built {
    aster_compiler::build(Input {
        name: "limits.toml",
        bytes,
        base_dir,
    })
}

fn error_codes(built: &Built) -> Vec<&'static str> {
    built
        .checked
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.code.as_str())
        .collect()
}

/// Every diagnostic points into the text (the size cap has no text to point into).
fn assert_spans_inside(built: &Built) {
    let text = built
        .checked
        .source
        .as_ref()
        .map_or("", |s| s.text.as_str());
    for diagnostic in &built.checked.diagnostics {
        for label in &diagnostic.labels {
            assert!(
                label.span.end <= text.len()
                    && text.is_char_boundary(label.span.start)
                    && text.is_char_boundary(label.span.end),
                "{}: span {:?} outside a text of {} bytes",
                diagnostic.code,
                label.span,
                text.len()
            );
        }
    }
}

/// A valid spec padded with a comment to exactly `size` bytes.
fn padded_spec(size: usize) -> Vec<u8> {
    let mut text = String::from("[system]\nhostname = \"big\"\n#");
    let padding = size - text.len() - 1;
    text.push_str(&"x".repeat(padding));
    text.push('\n');
    assert_eq!(text.len(), size);
    text.into_bytes()
}

#[test]
fn a_spec_over_one_mebibyte_is_refused_with_ac0103() {
    let at_cap = build(&padded_spec(MAX_SPEC_BYTES));
    assert!(
        error_codes(&at_cap).is_empty(),
        "{:?}",
        error_codes(&at_cap)
    );
    assert!(at_cap.output.is_some());
    let over = build(&padded_spec(MAX_SPEC_BYTES + 1));
    assert_eq!(error_codes(&over), ["AC0103"]);
    assert!(over.output.is_none());
    let message = &over.checked.diagnostics.iter().next().expect("one").message;
    assert!(
        message.contains("1048577 bytes") && message.contains("at most 1048576"),
        "{message}"
    );
    // Through the binary: exit 1, the code on stderr, nothing written.
    let scratch = tempfile::tempdir().expect("temp dir");
    let spec = scratch.path().join("huge.toml");
    std::fs::write(&spec, padded_spec(2 * MAX_SPEC_BYTES)).unwrap();
    let out = scratch.path().join("out");
    let run = aster_config(&["build", spec.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stderr).contains("AC0103"));
    assert!(!out.exists());
}

/// `[nixos] "rt.x"` set to `levels` arrays nested in each other.
fn nested_arrays(levels: usize) -> String {
    format!(
        "[nixos]\n\"rt.x\" = {}{}\n",
        "[".repeat(levels),
        "]".repeat(levels)
    )
}

/// `[nixos] "rt.x"` set to `levels` inline tables nested in each other.
fn nested_tables(levels: usize) -> String {
    format!(
        "[nixos]\n\"rt.x\" = {}1{}\n",
        "{ a = ".repeat(levels),
        " }".repeat(levels)
    )
}

#[test]
fn nesting_is_accepted_up_to_the_cap_and_refused_past_it_with_ac0104() {
    // The document root is level 0, `[nixos]` level 1, the value level 2: so `MAX_DEPTH - 1`
    // arrays put the innermost one exactly at the cap.
    for nested in [nested_arrays, nested_tables] {
        let deepest_allowed = build(nested(MAX_DEPTH - 1).as_bytes());
        assert!(
            error_codes(&deepest_allowed).is_empty(),
            "{:?}",
            deepest_allowed.checked.diagnostics
        );
        assert!(deepest_allowed.output.is_some());
        let too_deep = build(nested(MAX_DEPTH).as_bytes());
        assert_eq!(error_codes(&too_deep), ["AC0104"]);
        assert_spans_inside(&too_deep);
        let diagnostic = too_deep.checked.diagnostics.iter().next().expect("one");
        assert!(diagnostic.primary_span().is_some(), "AC0104 without a span");
    }
    // Past the TOML parser's own limit, the same code, and a span even for dotted keys (which
    // the parser reports without one).
    let long_key = format!("[nixos]\n{} = 1\n", vec!["a"; 100].join("."));
    for text in [nested_arrays(100), nested_tables(100), long_key.clone()] {
        let built = build(text.as_bytes());
        assert_eq!(error_codes(&built), ["AC0104"], "{}", &text[..40]);
        assert_spans_inside(&built);
        let span = built
            .checked
            .diagnostics
            .iter()
            .next()
            .and_then(|d| d.primary_span().cloned());
        assert!(
            span.as_ref().is_some_and(|s| s.start >= "[nixos]\n".len()),
            "{span:?}"
        );
    }
}

/// Inputs nested 100,000 (or, for dotted keys, 400,000) levels deep, each under the size cap.
fn deep_inputs() -> Vec<(&'static str, String)> {
    let levels = 100_000;
    vec![
        (
            "arrays",
            format!("a = {}{}\n", "[".repeat(levels), "]".repeat(levels)),
        ),
        ("arrays, unclosed", format!("a = {}\n", "[".repeat(levels))),
        (
            "inline tables",
            format!("a = {}1{}\n", "{b=".repeat(levels), "}".repeat(levels)),
        ),
        (
            "dotted keys",
            format!("{} = 1\n", vec!["a"; 4 * levels].join(".")),
        ),
        (
            "table header",
            format!("[{}]\n", vec!["a"; 4 * levels].join(".")),
        ),
        (
            "arrays of tables",
            (1..300).fold(String::new(), |mut text, n| {
                text.push_str("[[");
                text.push_str(&vec!["a"; n].join("."));
                text.push_str("]]\n");
                text
            }),
        ),
    ]
}

#[test]
fn deep_nesting_never_overflows_the_stack_of_the_library() {
    // 512 KiB is a sixteenth of a main thread's stack. In a debug build toml_edit's parser needs
    // about 350 KiB at its own 80-level limit; that the same stack holds 100,000 levels shows that
    // no pass recurses once per level beyond the caps.
    let mut cases = deep_inputs();
    cases.push(("arrays at the parser's limit", nested_arrays(79)));
    for (name, text) in cases {
        assert!(text.len() <= MAX_SPEC_BYTES, "{name} is over the size cap");
        let codes = std::thread::Builder::new()
            .stack_size(512 * 1024)
            .spawn(move || {
                let built = build(text.as_bytes());
                assert_spans_inside(&built);
                assert!(built.output.is_none());
                error_codes(&built)
            })
            .expect("spawn")
            .join()
            .unwrap_or_else(|_| panic!("{name}: the library panicked"));
        assert_eq!(codes, ["AC0104"], "{name}");
    }
}

#[test]
fn deep_nesting_never_overflows_the_stack_of_the_binary() {
    let scratch = tempfile::tempdir().expect("temp dir");
    for (index, (name, text)) in deep_inputs().into_iter().enumerate() {
        let spec = scratch.path().join(format!("deep-{index}.toml"));
        std::fs::write(&spec, text).unwrap();
        let out = scratch.path().join("out");
        for args in [
            vec!["check", spec.to_str().unwrap()],
            vec!["check", "--format", "json", spec.to_str().unwrap()],
            vec!["build", spec.to_str().unwrap(), "-o", out.to_str().unwrap()],
        ] {
            let run = aster_config(&args);
            assert_eq!(
                run.status.code(),
                Some(1),
                "{name}: {args:?} ended by a signal or with a wrong code"
            );
            let all = format!(
                "{}{}",
                String::from_utf8_lossy(&run.stdout),
                String::from_utf8_lossy(&run.stderr)
            );
            assert!(all.contains("AC0104"), "{name}: {all}");
        }
        assert!(!out.exists());
    }
}

/// Evaluates `expression` (with `m` bound to the module in `dir`/configuration.nix) with the real
/// Nix and returns its JSON.
fn nix_eval(dir: &Path, expression: &str) -> serde_json::Value {
    let nix = format!(
        "let m = import ./configuration.nix {{ config = {{ }}; lib = {{ optional = c: x: if c then [ x ] else [ ]; }}; pkgs = {{ }}; }}; in {expression}"
    );
    std::fs::write(dir.join("eval.nix"), nix).unwrap();
    let stdout = common::nix_instantiate(
        "dummy://",
        &[&"--eval", &"--strict", &"--json", &dir.join("eval.nix")],
    );
    serde_json::from_str(&stdout).expect("JSON")
}

#[test]
fn half_a_megabyte_string_reaches_nix_whole() {
    let chunk = "abc ${x} ''$ \"q\" \\ é\t日本 ";
    let long = chunk.repeat(500_000 / chunk.len());
    let long_name = "n.${}\"".repeat(20_000);
    let description = "Ada Lovelace, first programmer ".repeat(10_000);
    let mut doc = toml_edit::DocumentMut::new();
    doc["users"]["ada"]["description"] = toml_edit::value(description.clone());
    doc["nixos"]["\"rt\".\"long\""] = toml_edit::value(long.clone());
    let key = format!(
        "rt.names.\"{}\"",
        long_name.replace('\\', "\\\\").replace('"', "\\\"")
    );
    doc["nixos"][key.as_str()] = toml_edit::value(1);
    let text = doc.to_string();
    assert!(text.len() > 700_000 && text.len() <= MAX_SPEC_BYTES);
    let built = build(text.as_bytes());
    assert!(error_codes(&built).is_empty(), "{:?}", error_codes(&built));
    let output = built.output.expect("output");
    let scratch = tempfile::tempdir().expect("temp dir");
    for (path, bytes) in output.files() {
        std::fs::write(scratch.path().join(path), bytes).unwrap();
    }
    let seen = nix_eval(
        scratch.path(),
        "[ m.rt.long m.users.users.ada.description (builtins.attrNames m.rt.names) ]",
    );
    assert_eq!(seen, serde_json::json!([long, description, [long_name]]));
}

/// `count` copies of `entry(i)` after `header`, stopping below the size cap.
fn mebibyte_of(header: &str, entry: impl Fn(usize) -> String) -> String {
    let mut text = String::from(header);
    for i in 0.. {
        let next = entry(i);
        if text.len() + next.len() > MAX_SPEC_BYTES {
            break;
        }
        text.push_str(&next);
    }
    text
}

/// Checks `text` with the library and asserts that it was read into a spec. How long that takes
/// is measured by `cargo bench -p aster-compiler --bench compile` (the 20,000-package spec), not
/// asserted here.
fn check_reads(name: &str, text: &str) {
    let checked = aster_compiler::check(Input {
        name: "many.toml",
        bytes: text.as_bytes(),
        base_dir: None,
    });
    assert!(
        checked.spec.is_some(),
        "{name}: {:?}",
        checked.diagnostics.iter().next()
    );
}

#[test]
fn a_mebibyte_of_entries_is_checked() {
    let cases = [
        (
            "users",
            mebibyte_of("", |i| format!("[users.u{i}]\ndescription = \"x\"\n")),
        ),
        (
            "packages",
            mebibyte_of("[packages]\ninstall = [\n", |i| format!("\"p{i}\",\n")) + "]\n",
        ),
        (
            "ports",
            mebibyte_of("[networking.firewall]\nallowed-tcp-ports = [\n", |i| {
                format!("{},\n", i % 65536)
            }) + "]\n",
        ),
        (
            "interfaces",
            mebibyte_of("", |i| format!("[networking.interfaces.e{i}]\n")),
        ),
    ];
    for (name, text) in cases {
        check_reads(name, &text);
    }
}

#[test]
fn a_mebibyte_of_nixos_options_is_checked() {
    let text = mebibyte_of("[nixos]\n", |i| format!("\"rt.k{i}\" = {i}\n"));
    check_reads("nixos", &text);
}

#[test]
fn an_override_of_a_deeply_nested_attribute_stays_small() {
    let spec = format!(
        "[overrides.x]\nattr = \"{}\"\nversion = \"1\"\n",
        vec!["a"; 20].join(".")
    );
    let built = build(spec.as_bytes());
    match &built.output {
        Some(output) => {
            let size = output.files()["overlays/x.nix"].len();
            assert!(
                size < 64 * 1024,
                "a 20-name attribute gave a {size}-byte overlay"
            );
        }
        None => assert!(!error_codes(&built).is_empty()),
    }
}

/// Every path under `dir`, relative, sorted (symbolic links are listed, not followed).
fn listing(dir: &Path) -> Vec<String> {
    common::paths_under(dir, true)
}

fn example_output() -> aster_compiler::OutputTree {
    let example = common::root().join("examples/with-override.toml");
    let bytes = std::fs::read(&example).unwrap();
    let built = build_in(&bytes, example.parent());
    built.output.expect("the example builds")
}

#[test]
fn output_is_written_only_inside_the_chosen_folder() {
    let tree = example_output();
    let scratch = tempfile::tempdir().expect("temp dir");
    let target = scratch.path().join("out");
    for _ in 0..2 {
        aster_compiler::output::write(&tree, &target).expect("write");
        let mut expected: Vec<String> = tree
            .files()
            .keys()
            .flat_map(|file| {
                let path = Path::new(file);
                path.ancestors()
                    .filter(|a| !a.as_os_str().is_empty())
                    .map(|a| format!("out/{}", a.display()))
                    .collect::<Vec<_>>()
            })
            .chain([
                "out".to_owned(),
                format!("out/{}", aster_compiler::MANIFEST_FILE),
            ])
            .collect();
        expected.sort();
        expected.dedup();
        // No staging or old copies are left beside the output, and nothing outside it.
        assert_eq!(listing(scratch.path()), expected);
    }
}

fn override_spec(name: &str) -> String {
    let mut doc = toml_edit::DocumentMut::new();
    doc["overrides"] = toml_edit::table();
    doc["overrides"][name]["attr"] = toml_edit::value("hello");
    doc["overrides"][name]["version"] = toml_edit::value("1.0");
    // A version needs its source (AC0331); the hash is well-formed, never fetched here.
    doc["overrides"][name]["src-url"] = toml_edit::value("https://example.org/hello-1.0.tar.gz");
    doc["overrides"][name]["src-hash"] =
        toml_edit::value("sha256-DV9gFUOC/uELEUocNOeF2LH0kgc64tOm97FHaHs2aqA=");
    doc.to_string()
}

#[test]
fn override_names_are_checked_before_they_become_file_names() {
    let long = "a".repeat(101);
    for bad in [
        "../x", "a/b", "..", ".", ".hidden", "-x", "", "x y", "a\\b", "ünï", "a\nb", "a:b", &long,
    ] {
        let built = build(override_spec(bad).as_bytes());
        assert!(
            error_codes(&built).contains(&"AC0322"),
            "{bad:?}: {:?}",
            error_codes(&built)
        );
        assert!(built.output.is_none());
        assert_spans_inside(&built);
    }
    for good in ["xfdesktop", "gtk+3", "lib.a_b-c"] {
        let built = build(override_spec(good).as_bytes());
        assert!(
            !error_codes(&built).contains(&"AC0322"),
            "{good}: {:?}",
            error_codes(&built)
        );
        let output = built.output.expect("output");
        assert!(output.files().contains_key(&format!("overlays/{good}.nix")));
    }
}

#[test]
fn a_symbolic_link_as_the_output_folder_is_refused() {
    let tree = example_output();
    let scratch = tempfile::tempdir().expect("temp dir");
    let elsewhere = scratch.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    let link = scratch.path().join("out");
    symlink(&elsewhere, &link).unwrap();
    let error = aster_compiler::output::write(&tree, &link).expect_err("a link must be refused");
    assert!(error.to_string().contains("symbolic link"), "{error}");
    assert!(listing(&elsewhere).is_empty(), "wrote through the link");
    // A dangling link is refused too, and its target is not created.
    let missing = scratch.path().join("missing");
    let dangling = scratch.path().join("dangling");
    symlink(&missing, &dangling).unwrap();
    assert!(aster_compiler::output::write(&tree, &dangling).is_err());
    assert!(!missing.exists());
    // The binary says so and exits 2 (an I/O problem, not a spec error).
    let example = common::root().join("examples/minimal.toml");
    let run = aster_config(&[
        "build",
        example.to_str().unwrap(),
        "-o",
        link.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(2));
    assert!(listing(&elsewhere).is_empty());
}

#[test]
fn symbolic_links_inside_an_earlier_output_are_never_followed() {
    let tree = example_output();
    let scratch = tempfile::tempdir().expect("temp dir");
    let target = scratch.path().join("out");
    aster_compiler::output::write(&tree, &target).expect("first write");
    let victim = scratch.path().join("victim.txt");
    std::fs::write(&victim, "precious").unwrap();
    let victim_dir = scratch.path().join("victim-dir");
    std::fs::create_dir(&victim_dir).unwrap();
    std::fs::write(victim_dir.join("keep.txt"), "keep").unwrap();
    // Someone replaces generated files with links out of the folder.
    std::fs::remove_file(target.join("configuration.nix")).unwrap();
    symlink(&victim, target.join("configuration.nix")).unwrap();
    std::fs::remove_dir_all(target.join("overlays")).unwrap();
    symlink(&victim_dir, target.join("overlays")).unwrap();
    aster_compiler::output::write(&tree, &target).expect("second write");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    assert_eq!(listing(&victim_dir), ["keep.txt"]);
    assert!(
        std::fs::symlink_metadata(target.join("configuration.nix"))
            .unwrap()
            .is_file()
    );
    assert!(
        std::fs::symlink_metadata(target.join("overlays"))
            .unwrap()
            .is_dir()
    );
    // A manifest that is itself a link does not make a folder ours.
    let foreign = scratch.path().join("foreign");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("hardware-configuration.nix"), "{ }").unwrap();
    symlink(
        target.join(aster_compiler::MANIFEST_FILE),
        foreign.join(aster_compiler::MANIFEST_FILE),
    )
    .unwrap();
    let error = aster_compiler::output::write(&tree, &foreign).expect_err("not ours");
    assert!(
        error
            .to_string()
            .contains("was not written by aster-config"),
        "{error}"
    );
    assert_eq!(
        std::fs::read_to_string(foreign.join("hardware-configuration.nix")).unwrap(),
        "{ }"
    );
}

/// A spec folder with one override patch and one module, each given by `patch` and `module`.
fn spec_with_references(dir: &Path, patch: &str, module: &str) -> Vec<u8> {
    let text = format!(
        "[overrides.hello]\nattr = \"hello\"\npatches = [\"{patch}\"]\n\n[imports]\nmodules = [\"{module}\"]\n"
    );
    std::fs::write(dir.join("spec.toml"), &text).unwrap();
    text.into_bytes()
}

#[test]
fn references_through_symbolic_links_out_of_the_spec_folder_are_refused() {
    let scratch = tempfile::tempdir().expect("temp dir");
    let outside = scratch.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    std::fs::write(outside.join("secret.patch"), "secret").unwrap();
    std::fs::write(outside.join("secret.nix"), "{ }").unwrap();
    let spec_dir = scratch.path().join("spec");
    std::fs::create_dir_all(spec_dir.join("patches")).unwrap();
    // A file link and a folder link, both leading out.
    symlink(
        outside.join("secret.patch"),
        spec_dir.join("patches/evil.patch"),
    )
    .unwrap();
    symlink(&outside, spec_dir.join("linked")).unwrap();
    let bytes = spec_with_references(&spec_dir, "patches/evil.patch", "linked/secret.nix");
    let built = build_in(&bytes, Some(&spec_dir));
    assert_eq!(error_codes(&built), ["AC0307", "AC0307"]);
    assert_spans_inside(&built);
    let messages: Vec<&str> = built
        .checked
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert!(
        messages.iter().all(|m| m.contains("symbolic link")),
        "{messages:?}"
    );
    // The binary: exit 1 and nothing written.
    let out = scratch.path().join("out");
    let spec = spec_dir.join("spec.toml");
    let run = aster_config(&["build", spec.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(1));
    assert!(!out.exists());
    // Links that stay inside the folder are fine, and so is a spec folder reached through a link.
    std::fs::write(spec_dir.join("real.patch"), "fix").unwrap();
    std::fs::write(spec_dir.join("real.nix"), "{ }").unwrap();
    symlink(
        spec_dir.join("real.patch"),
        spec_dir.join("patches/inside.patch"),
    )
    .unwrap();
    let via = scratch.path().join("via-link");
    symlink(&spec_dir, &via).unwrap();
    let bytes = spec_with_references(&spec_dir, "patches/inside.patch", "real.nix");
    let built = build_in(&bytes, Some(&via));
    assert!(
        error_codes(&built).is_empty(),
        "{:?}",
        built.checked.diagnostics
    );
    let output = built.output.expect("output");
    assert_eq!(output.files()["patches/hello/inside.patch"], b"fix");
}

#[test]
fn absolute_and_climbing_references_are_refused_before_any_file_is_read() {
    let scratch = tempfile::tempdir().expect("temp dir");
    let spec_dir = scratch.path().join("spec");
    std::fs::create_dir(&spec_dir).unwrap();
    std::fs::write(scratch.path().join("up.patch"), "up").unwrap();
    for (patch, module) in [
        ("/etc/passwd", "/etc/nixos/configuration.nix"),
        ("../up.patch", "../spec/../x.nix"),
        ("patches/../../up.patch", "./a/../../x.nix"),
    ] {
        let bytes = spec_with_references(&spec_dir, patch, module);
        let built = build_in(&bytes, Some(&spec_dir));
        assert_eq!(
            error_codes(&built),
            ["AC0307", "AC0307"],
            "{patch} {module}"
        );
        assert_spans_inside(&built);
    }
}
