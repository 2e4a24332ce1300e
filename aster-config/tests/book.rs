//! The guide in `docs/` is an mdBook (`docs/book.toml`, chapters in `docs/src/`, listed in
//! `docs/src/SUMMARY.md`). These tests keep it honest:
//!
//! - the reference chapters in `docs/src/reference/` are generated from the code — every spec
//!   key from the JSON Schema, every diagnostic page, the kernel's capabilities and the distro's
//!   packages and services — and fail when stale (`ASTER_UPDATE=1` rewrites them, as for the
//!   schema);
//! - every chapter is in `SUMMARY.md`, and every relative link of every chapter resolves (to a
//!   file, and to a heading when it names one);
//! - `mdbook build` succeeds with no warning. `mdbook` comes from crates.io (`.ci/test` installs
//!   it); outside CI a missing `mdbook` skips that one test with a note, in CI it fails.

#![allow(clippy::print_stderr)]

mod common;

use common::root;
use serde_json::Value;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

fn check_generated(relative: &str, expected: &str) {
    let path = root().join(relative);
    if std::env::var_os("ASTER_UPDATE").is_some() {
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("create folder");
        std::fs::write(&path, expected).expect("write generated file");
        return;
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "{relative} is stale; run `ASTER_UPDATE=1 cargo test -p aster-config --test book`"
    );
}

/// A table cell: one line, `|` escaped.
fn cell(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

// ---- generated chapters -------------------------------------------------------------------

/// Every key of the spec with its type and description, from the JSON Schema.
fn spec_keys_chapter() -> String {
    let schema = aster_compiler::schema::spec_schema();
    let mut rows = Vec::new();
    walk_keys(schema, schema, "", &mut rows, 0);
    let mut out = String::from(
        "# Spec keys\n\nGenerated from the spec's JSON Schema (`schema/aster-config.schema.json`, itself derived\nfrom the spec types) by `cargo test -p aster-config --test book`. `NAME` stands for a name you\nchoose (a user, a site, an override). Which NixOS option each key becomes is in\n[NixOS options](../mapping.md).\n\n| key | type | description |\n|---|---|---|\n",
    );
    for (key, kind, description) in rows {
        let _ = writeln!(out, "| `{key}` | {kind} | {} |", cell(&description));
    }
    out
}

fn resolve<'a>(root: &'a Value, schema: &'a Value) -> &'a Value {
    let mut schema = schema;
    for _ in 0..8 {
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            let pointer = reference.trim_start_matches('#');
            match root.pointer(pointer) {
                Some(target) => schema = target,
                None => break,
            }
        } else if let Some(Value::Array(parts)) = schema.get("allOf")
            && parts.len() == 1
        {
            schema = &parts[0];
        } else {
            break;
        }
    }
    schema
}

fn type_name(root: &Value, schema: &Value) -> String {
    let resolved = resolve(root, schema);
    if let Some(choices) = resolved.get("enum").and_then(Value::as_array) {
        return choices
            .iter()
            .filter_map(Value::as_str)
            .map(|c| format!("`\"{c}\"`"))
            .collect::<Vec<_>>()
            .join(" or ");
    }
    for keyword in ["oneOf", "anyOf"] {
        if let Some(Value::Array(alternatives)) = resolved.get(keyword) {
            let names: BTreeSet<String> = alternatives
                .iter()
                .map(|a| {
                    a.get("const")
                        .and_then(Value::as_str)
                        .map_or_else(|| type_name(root, a), |c| format!("`\"{c}\"`"))
                })
                .collect();
            return names.into_iter().collect::<Vec<_>>().join(" or ");
        }
    }
    match resolved.get("type") {
        Some(Value::String(t)) if t == "array" => {
            let item = resolved
                .get("items")
                .map_or_else(|| "value".to_owned(), |i| type_name(root, i));
            format!("list of {item}")
        }
        Some(Value::String(t)) if t == "object" => "table".to_owned(),
        Some(Value::String(t)) => t.clone(),
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(Value::as_str)
            .filter(|t| *t != "null")
            .collect::<Vec<_>>()
            .join(" or "),
        _ => "any value".to_owned(),
    }
}

fn walk_keys(
    root: &Value,
    schema: &Value,
    prefix: &str,
    rows: &mut Vec<(String, String, String)>,
    depth: usize,
) {
    let resolved = resolve(root, schema);
    if depth > 6 {
        return;
    }
    if let Some(properties) = resolved.get("properties").and_then(Value::as_object) {
        for (name, child) in properties {
            let key = if prefix.is_empty() {
                name.clone()
            } else {
                format!("{prefix}.{name}")
            };
            let description = child
                .get("description")
                .or_else(|| resolve(root, child).get("description"))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            rows.push((key.clone(), type_name(root, child), description));
            walk_keys(root, child, &key, rows, depth + 1);
        }
    }
    // Keys the spec refuses on purpose, with the reason (`validate::REFUSED_KEYWORD`).
    if let Some(refused) = resolved.get("x-aster-refused").and_then(Value::as_object) {
        for (name, why) in refused {
            rows.push((
                format!("{prefix}.{name}"),
                "refused".to_owned(),
                why.as_str().unwrap_or_default().to_owned(),
            ));
        }
    }
    if let Some(additional) = resolved.get("additionalProperties")
        && additional.is_object()
    {
        let key = if prefix.is_empty() {
            "NAME".to_owned()
        } else {
            format!("{prefix}.NAME")
        };
        if resolve(root, additional).get("properties").is_some() {
            walk_keys(root, additional, &key, rows, depth + 1);
        }
    }
}

/// Every diagnostic page, as `aster-config explain` prints it, one section per code.
fn diagnostics_chapter() -> String {
    let mut out = String::from(
        "# Diagnostic codes\n\nGenerated from `docs/diagnostics/<CODE>.md` (the text `aster-config explain CODE` prints) by\n`cargo test -p aster-config --test book`. Codes are stable and never reused; the examples of\nevery page about a spec are run against the binary by `tests/diagnostic_pages.rs`.\n\n| code | severity | meaning |\n|---|---|---|\n",
    );
    for code in aster_compiler::Code::ALL {
        let heading = code.explanation().lines().next().unwrap_or_default();
        let _ = writeln!(
            out,
            "| [{code}](#{}) | {} | {} |",
            slug(heading),
            severity(*code),
            cell(code.title())
        );
    }
    for code in aster_compiler::Code::ALL {
        out.push('\n');
        for line in code.explanation().lines() {
            // One level down: the chapter has its own title.
            if line.starts_with('#') {
                let _ = writeln!(out, "#{line}");
            } else {
                let _ = writeln!(out, "{line}");
            }
        }
    }
    out
}

fn severity(code: aster_compiler::Code) -> &'static str {
    match code.severity() {
        aster_compiler::Severity::Error => "error",
        aster_compiler::Severity::Warning => "warning",
    }
}

/// The kernel's capabilities: what software can count on.
fn capabilities_chapter() -> String {
    let kernel = aster_kernel::kernel();
    let mut out = String::from(
        "# Kernel capabilities\n\nGenerated from the kernel catalog (`kernel/data/*.toml`) by `cargo test -p aster-config --test\nbook`. `aster-config caps WORD` searches the same data, with system calls, file systems and\nparameters too. A package or service that needs an unsupported capability is refused by\n`check`, naming the capability.\n\n| capability | support | why | instead |\n|---|---|---|---|\n",
    );
    for capability in kernel.capabilities() {
        let _ = writeln!(
            out,
            "| `{}` ({}) | {} | {} | {} |",
            capability.id,
            cell(&capability.title),
            capability.support.as_str(),
            cell(&capability.reason),
            cell(capability.alternative.as_deref().unwrap_or(""))
        );
    }
    out
}

/// The distro's services and packages with their status.
fn catalog_chapter() -> String {
    let catalog = aster_distro::catalog();
    let mut out = String::from(
        "# Packages and services\n\nGenerated from the distro catalog (`distro/catalog/*.toml`) by `cargo test -p aster-config\n--test book`. `verified`: upstream shows it working on Asterinas NixOS; `untested`: nobody has\ntried, `check` warns until you list it in `allow-untested`; `broken`: the kernel lacks something\nit needs, `check` refuses it. `aster-config packages WORD` searches the same data.\n\n## Services and desktops\n\n| name | status | needs | notes |\n|---|---|---|---|\n",
    );
    for service in catalog.services() {
        let notes = service
            .reason
            .iter()
            .chain(service.limitations.iter())
            .chain(service.note.iter())
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(" ");
        let _ = writeln!(
            out,
            "| `{}`{} | {} | {} | {} |",
            service.name,
            if service.install_time_only {
                " (install time only)"
            } else {
                ""
            },
            service.status.as_str(),
            service.needs.join(", "),
            cell(&notes)
        );
    }
    out.push_str("\n## Packages\n\n| attribute | status | category | notes |\n|---|---|---|---|\n");
    for package in catalog.packages() {
        let name = package.attr.as_deref().unwrap_or("(no attribute)");
        let notes = package
            .reason
            .iter()
            .chain(package.alternative.iter().map(|a| a as &String))
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join("; instead: ");
        let _ = writeln!(
            out,
            "| `{name}` | {} | {} | {} |",
            package.status.as_str(),
            cell(&package.category),
            cell(&notes)
        );
    }
    out
}

#[test]
fn generated_reference_chapters_are_current() {
    check_generated("docs/src/reference/spec-keys.md", &spec_keys_chapter());
    check_generated("docs/src/reference/diagnostics.md", &diagnostics_chapter());
    check_generated(
        "docs/src/reference/capabilities.md",
        &capabilities_chapter(),
    );
    check_generated("docs/src/reference/catalog.md", &catalog_chapter());
}

// ---- structure and links ------------------------------------------------------------------

fn src() -> PathBuf {
    root().join("docs/src")
}

fn chapters(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("list docs/src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            chapters(&path, out);
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
}

/// `[text](target)` links, outside code spans and fenced blocks.
fn links(markdown: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut fenced = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        let mut in_code = false;
        let chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            match chars[i] {
                '`' => in_code = !in_code,
                ']' if !in_code && chars.get(i + 1) == Some(&'(') => {
                    let rest: String = chars[i + 2..].iter().collect();
                    if let Some(end) = rest.find(')') {
                        found.push(rest[..end].to_owned());
                    }
                }
                _ => {}
            }
            i += 1;
        }
    }
    found
}

/// The anchor mdBook (and GitHub) gives a heading: lower case, spaces as `-`, only letters,
/// digits, `-` and `_` kept.
fn slug(heading: &str) -> String {
    heading
        .trim_start_matches('#')
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// The heading anchors of a chapter (outside fenced blocks).
fn anchors(markdown: &str) -> BTreeSet<String> {
    let mut fenced = false;
    markdown
        .lines()
        .filter(|l| {
            if l.trim_start().starts_with("```") {
                fenced = !fenced;
            }
            !fenced && l.starts_with('#')
        })
        .map(slug)
        .collect()
}

#[test]
fn every_chapter_is_in_the_summary_and_every_relative_link_resolves() {
    let summary = std::fs::read_to_string(src().join("SUMMARY.md")).expect("docs/src/SUMMARY.md");
    let listed: BTreeSet<String> = links(&summary).into_iter().collect();
    let mut files = Vec::new();
    chapters(&src(), &mut files);
    let mut problems = Vec::new();
    for file in &files {
        let relative = file
            .strip_prefix(src())
            .expect("inside src")
            .display()
            .to_string();
        if relative != "SUMMARY.md" && !listed.contains(&relative) {
            problems.push(format!("{relative} is not in SUMMARY.md"));
        }
        let text = std::fs::read_to_string(file).expect("read chapter");
        for link in links(&text) {
            if link.contains("://") || link.starts_with("mailto:") {
                continue;
            }
            let (path, anchor) = link.split_once('#').unwrap_or((&link, ""));
            let target = if path.is_empty() {
                file.clone()
            } else {
                file.parent().expect("a folder").join(path)
            };
            if !target.exists() {
                problems.push(format!(
                    "{relative}: `{link}` names a file that does not exist"
                ));
                continue;
            }
            if !anchor.is_empty() && target.extension().is_some_and(|e| e == "md") {
                let headings = anchors(&std::fs::read_to_string(&target).unwrap_or_default());
                if !headings.contains(anchor) {
                    problems.push(format!("{relative}: `{link}` names no heading there"));
                }
            }
        }
    }
    assert!(files.len() > 10, "only {} chapters", files.len());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_link_check_finds_broken_links() {
    assert_eq!(
        links("see [a](a.md) and `[b](b.md)`, [c](c.md#x)\n```\n[d](d.md)\n```\n"),
        ["a.md", "c.md#x"]
    );
    assert!(anchors("# Diagnostic codes\n## AC0201: a key\n").contains("ac0201-a-key"));
}

// ---- mdbook -------------------------------------------------------------------------------

fn mdbook() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("MDBOOK").map(PathBuf::from),
        Some(PathBuf::from("mdbook")),
        std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo/bin/mdbook")),
    ];
    candidates.into_iter().flatten().find(|c| {
        Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

#[test]
fn mdbook_builds_the_guide_without_warnings() {
    let Some(mdbook) = mdbook() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "mdbook is required in CI (.ci/test installs it)"
        );
        eprintln!("skipped: mdbook is not installed (`cargo install mdbook --locked`)");
        return;
    };
    let out = tempfile::tempdir().expect("temp dir");
    let output = Command::new(mdbook)
        .arg("build")
        .arg(root().join("docs"))
        .arg("--dest-dir")
        .arg(out.path())
        .output()
        .expect("run mdbook");
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "mdbook build failed:\n{log}");
    let warnings: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("WARN") || l.contains("ERROR"))
        .collect();
    assert!(
        warnings.is_empty(),
        "mdbook warned:\n{}",
        warnings.join("\n")
    );
    assert!(out.path().join("index.html").is_file());
    assert!(out.path().join("reference/diagnostics.html").is_file());
}
