//! `[nixos]` options against what Asterinas NixOS forces, and file systems the kernel cannot
//! mount: a raw option that fights a forced distro setting is an error that says why the distro
//! forces it.

use super::super::Context;
use crate::diagnostic::{Code, Diagnostic};
use crate::nix::parse_option_path;
use crate::spec::keys;
use crate::tree::key_path;
use aster_distro::{ForcedKind, ForcedValue, catalog};
use serde_json::Value as Json;

pub fn check(cx: &mut Context<'_>) {
    let forced: Vec<(Vec<String>, &aster_distro::ForcedSetting)> = catalog()
        .forced()
        .iter()
        .filter(|f| f.kind == ForcedKind::Forced)
        .filter_map(|f| Some((parse_option_path(&f.option).ok()?, f)))
        .collect();
    for (key, value) in &cx.spec.nixos {
        let Ok(path) = parse_option_path(key) else {
            continue;
        };
        let here = key_path![keys::NIXOS, key];
        for (option, setting) in &forced {
            let literal = match &setting.value {
                ForcedValue::Literal(literal) => serde_json::to_value(literal).ok(),
                ForcedValue::Expression(_) => None,
            };
            // Compare the two values at the deeper of the two paths.
            let (given, forced_value) = if option.starts_with(&path) {
                (descend(value, &option[path.len()..]), literal.as_ref())
            } else if path.starts_with(option) {
                (
                    Some(value),
                    literal
                        .as_ref()
                        .and_then(|l| descend(l, &path[option.len()..])),
                )
            } else {
                (None, None)
            };
            let Some(given) = given else { continue };
            let same = forced_value.is_some_and(|f| f == given);
            if !same {
                let shown = match &setting.value {
                    ForcedValue::Literal(literal) => literal.to_string(),
                    ForcedValue::Expression(text) => text.clone(),
                };
                cx.report(
                    Diagnostic::new(
                        Code::ForcedSetting,
                        format!("Asterinas NixOS forces `{}` to {shown}", setting.option),
                    )
                    .at(cx.key_span(&here), "contradicts the distro")
                    .help(format!("{} (source: {})", setting.reason, setting.source)),
                );
            }
        }
        filesystems(cx, &path, value, key);
    }
}

/// The part of `value` at `rest` (a path below the option the value was given for).
fn descend<'v>(value: &'v Json, rest: &[String]) -> Option<&'v Json> {
    rest.iter().try_fold(value, |value, name| value.get(name))
}

/// `fileSystems.<mount point>.fsType` values the kernel cannot mount (or boot from, for `/`).
fn filesystems(cx: &mut Context<'_>, path: &[String], value: &Json, key: &String) {
    let here = key_path![keys::NIXOS, key];
    let mut found: Vec<(String, String)> = Vec::new();
    match path {
        [first, mount, field] if first == "fileSystems" && field == "fsType" => {
            if let Some(kind) = value.as_str() {
                found.push((mount.clone(), kind.to_owned()));
            }
        }
        [first, mount] if first == "fileSystems" => {
            if let Some(kind) = value.get("fsType").and_then(Json::as_str) {
                found.push((mount.clone(), kind.to_owned()));
            }
        }
        _ => {}
    }
    for (mount, kind) in found {
        let entry = aster_kernel::kernel().filesystem(&kind);
        let mountable = entry.is_some_and(|f| f.status == aster_kernel::FsStatus::Mountable);
        let roots: Vec<&str> = aster_kernel::kernel()
            .filesystems()
            .iter()
            .filter(|f| f.can_be_root)
            .map(|f| f.name.as_str())
            .collect();
        if mount == "/" && !entry.is_some_and(|f| f.can_be_root) {
            cx.report(
                Diagnostic::new(
                    Code::UnsupportedFilesystem,
                    format!("the Asterinas kernel cannot boot from a `{kind}` root file system"),
                )
                .at(cx.span(&here), "not a root file system Asterinas can mount")
                .help(format!(
                    "the root must be one of: {}; the installer formats it as ext2",
                    roots.join(", ")
                )),
            );
        } else if !mountable {
            cx.report(
                Diagnostic::new(
                    Code::UnsupportedFilesystem,
                    format!("the Asterinas kernel cannot mount `{kind}` file systems"),
                )
                .at(cx.span(&here), "unsupported file system")
                .help("see `aster-config caps filesystem` for the file systems it mounts"),
            );
        }
    }
}
