//! `[kernel]` and `[system] architecture` against the kernel catalog: command-line parameters
//! parsed and validated by the kernel's own command-line model, build features, the target
//! architecture, and log levels the kernel does not know.

use super::super::Context;
use crate::diagnostic::{Code, Diagnostic};
use crate::spec::LogLevel;
use crate::spec::keys;
use crate::tree::key_path;
use aster_kernel::cmdline::{self, ParamError, Severity as ParamSeverity};
use aster_kernel::{Arch, kernel};

/// Parameters the spec's own keys or the distro set; repeating them in `params` would fight.
const OWNED_PARAMS: &[(&str, &str)] = &[
    ("console", "set `kernel.console` instead"),
    ("loglevel", "set `kernel.log-level` instead"),
    (
        "root",
        "the distro sets the root device (the installer's second partition)",
    ),
    (
        "init",
        "the distro sets init; use `kernel.init` to choose systemd or a shell",
    ),
    ("rdinit", "the distro's stage-1 initramfs sets it"),
    ("rd.break", "set `kernel.stage-1-shell = true` instead"),
];

pub fn check(cx: &mut Context<'_>) {
    let arch = cx.spec.system.architecture;
    architecture(cx, arch);
    params(cx, arch);
    features(cx, arch);
    if cx.spec.kernel.log_level == LogLevel::Trace {
        cx.report(
            Diagnostic::new(
                Code::Limitation,
                "the kernel has no `trace` log level; it logs at `debug` instead",
            )
            .at(
                cx.span(&key_path![keys::KERNEL, keys::LOG_LEVEL]),
                "same as \"debug\"",
            )
            .help("use `log-level = \"debug\"` to say what you get"),
        );
    }
}

fn architecture(cx: &mut Context<'_>, arch: Arch) {
    let entry = kernel().architecture_of(arch);
    if !entry.distro_supported {
        cx.report(
            Diagnostic::new(
                Code::UnsupportedArchitecture,
                format!("Asterinas NixOS is not available for {arch}"),
            )
            .at(
                cx.span(&key_path![keys::SYSTEM, keys::ARCHITECTURE]),
                "no distro image for this architecture",
            )
            .help(format!("{} Use \"x86_64\".", entry.note)),
        );
    }
}

fn params(cx: &mut Context<'_>, arch: Arch) {
    let mut parsed = Vec::new();
    for (index, text) in cx.spec.kernel.params.iter().enumerate() {
        let here = key_path![keys::KERNEL, keys::PARAMS, index];
        let items = cmdline::parse(text);
        if items.len() != 1 {
            cx.report(
                Diagnostic::new(
                    Code::KernelParam,
                    format!(
                        "`{}` must be exactly one kernel parameter",
                        text.escape_debug()
                    ),
                )
                .at(
                    cx.span(&here),
                    if items.is_empty() {
                        "empty"
                    } else {
                        "several parameters in one string"
                    },
                )
                .help("write one parameter per string: params = [\"a=1\", \"b\"]"),
            );
            continue;
        }
        let param = items.into_iter().next().expect("one item");
        if let Some((_, why)) = OWNED_PARAMS.iter().find(|(name, _)| *name == param.name) {
            cx.report(
                Diagnostic::new(
                    Code::KernelParamOwned,
                    format!(
                        "`{}` is set by aster-config or the distro, not in `kernel.params`",
                        param.name
                    ),
                )
                .at(cx.span(&here), "already set elsewhere")
                .help(*why),
            );
            continue;
        }
        parsed.push((index, param));
    }
    let params: Vec<_> = parsed.iter().map(|(_, p)| p.clone()).collect();
    for (position, error) in cmdline::check(&params, arch) {
        let index = parsed[position].0;
        report_param(cx, index, &error);
    }
}

fn report_param(cx: &mut Context<'_>, index: usize, error: &ParamError) {
    let here = key_path![keys::KERNEL, keys::PARAMS, index];
    let mut diagnostic = Diagnostic::new(Code::KernelParam, error.to_string())
        .at(cx.span(&here), "not accepted as written");
    if error.severity() == ParamSeverity::Warning {
        diagnostic = diagnostic.warning();
    }
    match error {
        ParamError::UnknownParam {
            suggestions, name, ..
        }
        | ParamError::InvalidValue {
            suggestions, name, ..
        } => {
            if let Some(best) = suggestions.first() {
                let original = &cx.spec.kernel.params[index];
                let replacement = if matches!(error, ParamError::UnknownParam { .. }) {
                    original.replacen(name.as_str(), best, 1)
                } else {
                    format!("{name}={best}")
                };
                diagnostic = diagnostic.suggest(cx.span(&here), format!("\"{replacement}\""));
            }
            if let ParamError::InvalidValue { valid, .. } = error
                && !valid.is_empty()
                && diagnostic.suggestion.is_none()
            {
                diagnostic = diagnostic.help(format!("valid values: {}", valid.join(", ")));
            }
        }
        _ => {}
    }
    if diagnostic.help.is_none() {
        diagnostic = diagnostic.help("see `aster-config caps PARAM` for what the kernel accepts");
    }
    cx.report(diagnostic);
}

fn features(cx: &mut Context<'_>, arch: Arch) {
    for (index, name) in cx.spec.kernel.features.iter().enumerate() {
        let here = key_path![keys::KERNEL, keys::FEATURES, index];
        match kernel().feature(name) {
            None => {
                let names: Vec<&str> = kernel()
                    .features()
                    .iter()
                    .map(|f| f.name.as_str())
                    .collect();
                let mut diagnostic = Diagnostic::new(
                    Code::KernelFeature,
                    format!(
                        "the Asterinas kernel has no build feature `{}`",
                        name.escape_debug()
                    ),
                )
                .at(cx.span(&here), "unknown feature");
                diagnostic = match crate::util::suggest::closest(name, names.iter().copied()) {
                    Some(best) => diagnostic.suggest(cx.span(&here), format!("\"{best}\"")),
                    None => diagnostic.help(format!("the features are: {}", names.join(", "))),
                };
                cx.report(diagnostic);
            }
            Some(feature) if !feature.arches.contains(&arch) => {
                let arches: Vec<&str> = feature.arches.iter().map(|a| a.as_str()).collect();
                cx.report(
                    Diagnostic::new(
                        Code::KernelFeature,
                        format!("the `{name}` feature is not available on {arch}"),
                    )
                    .at(cx.span(&here), format!("only for {}", arches.join(", ")))
                    .also(
                        cx.span(&key_path![keys::SYSTEM, keys::ARCHITECTURE]),
                        "the target architecture",
                    )
                    .help(feature.description.clone()),
                );
            }
            Some(_) => {}
        }
    }
}
