//! Checking parameters against the catalog: [`validate`] one parameter, [`check`] a whole
//! command line (adding the warnings that need more than one parameter to see).

use std::collections::HashMap;

use super::error::{Forwarding, ParamError};
use super::suggest::suggest;
use super::token::{Param, Target};
use super::virtio_mmio::{VirtioMmioDevice, parse_virtio_mmio};
use crate::params::{FALSE_WORDS, TRUE_WORDS};
use crate::{Arch, ParamKind, ParamSpec, ParamStatus, ValueGrammar, kernel};

/// A parameter's value after validation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// A bare flag that takes no value (`earlycon`).
    Present,
    /// A boolean, bare meaning `true`.
    Bool(bool),
    /// A single word or path.
    Text(String),
    /// A comma-separated list, empty items dropped.
    List(Vec<String>),
    /// A `virtio_mmio.device` region.
    VirtioMmio(VirtioMmioDevice),
}

/// What a valid parameter is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Validated {
    /// A kernel parameter with a well-formed value.
    Kernel {
        /// Its catalog entry.
        spec: &'static ParamSpec,
        /// Its value.
        value: Value,
    },
    /// An environment-variable-style `NAME=value` (upper case, like `PATH`) that the kernel
    /// passes to init's environment on purpose.
    InitEnv {
        /// Variable name.
        name: String,
        /// Variable value.
        value: String,
    },
    /// A token after `--`, passed to init untouched.
    InitArg {
        /// The token as printed.
        text: String,
    },
}

/// Checks one parameter for `arch`'s kernel.
///
/// Names are looked up with `-` read as `_`, as the kernel does. Unknown names are errors
/// (with suggestions) unless they look like environment variables (`PATH=...`).
pub fn validate(param: &Param, arch: Arch) -> Result<Validated, ParamError> {
    if param.target == Target::Init {
        return Ok(Validated::InitArg {
            text: param.render(),
        });
    }
    let Some(spec) = kernel().param(&param.name.replace('-', "_")) else {
        return unknown(param);
    };
    if !spec.available_on(arch) {
        return Err(ParamError::WrongArch {
            name: spec.name.clone(),
            arch,
            arches: spec.arches.clone(),
        });
    }
    if spec.status == ParamStatus::AcceptedIgnored {
        return Err(ParamError::Ignored {
            name: spec.name.clone(),
            reason: "the kernel recognizes it so that it does not reach init, but does not \
                     implement it yet (it logs \"not yet implemented\")"
                .to_owned(),
        });
    }
    let value = check_value(spec, param.value.as_deref(), arch)?;
    Ok(Validated::Kernel { spec, value })
}

fn unknown(param: &Param) -> Result<Validated, ParamError> {
    if let Some(value) = &param.value
        && looks_like_env_var(&param.name)
    {
        return Ok(Validated::InitEnv {
            name: param.name.clone(),
            value: value.clone(),
        });
    }
    let forwarded = if param.name.contains('.') {
        Forwarding::Dropped
    } else if param.value.is_some() {
        Forwarding::InitEnv
    } else {
        Forwarding::InitArgv
    };
    let names = kernel().params().iter().map(|spec| spec.name.as_str());
    Err(ParamError::UnknownParam {
        name: param.name.clone(),
        suggestions: suggest(&param.name.replace('-', "_"), names),
        forwarded,
    })
}

/// `PATH`, `TERM`, `LANG`: upper-case letters, digits and `_`, not starting with a digit.
fn looks_like_env_var(name: &str) -> bool {
    let mut characters = name.chars();
    characters
        .next()
        .is_some_and(|first| first.is_ascii_uppercase() || first == '_')
        && characters.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

fn check_value(spec: &ParamSpec, value: Option<&str>, arch: Arch) -> Result<Value, ParamError> {
    match (&spec.value, value) {
        (ValueGrammar::None, None) => Ok(Value::Present),
        (ValueGrammar::None, Some(value)) => Err(ParamError::UnexpectedValue {
            name: spec.name.clone(),
            value: value.to_owned(),
        }),
        (ValueGrammar::Boolean, None) => Ok(Value::Bool(true)),
        (ValueGrammar::Boolean, Some(value)) => check_boolean(spec, value),
        (_, None) => Err(ParamError::MissingValue {
            name: spec.name.clone(),
            expected: spec.value.describe(),
        }),
        (grammar, Some(value)) => check_text(spec, grammar, value, arch),
    }
}

fn check_boolean(spec: &ParamSpec, value: &str) -> Result<Value, ParamError> {
    if TRUE_WORDS.contains(&value) {
        Ok(Value::Bool(true))
    } else if FALSE_WORDS.contains(&value) {
        Ok(Value::Bool(false))
    } else {
        Err(invalid(spec, value))
    }
}

fn check_text(
    spec: &ParamSpec,
    grammar: &ValueGrammar,
    value: &str,
    arch: Arch,
) -> Result<Value, ParamError> {
    match grammar {
        ValueGrammar::OneOf(words) if words.iter().any(|word| word == value) => {
            Ok(Value::Text(value.to_owned()))
        }
        ValueGrammar::ListOf(words) => {
            let items: Vec<String> = value
                .split(',')
                .filter(|item| !item.is_empty())
                .map(str::to_owned)
                .collect();
            if items.is_empty() {
                return Err(invalid(spec, value));
            }
            match items.iter().find(|item| !words.contains(item)) {
                Some(bad) => Err(invalid(spec, bad)),
                None => Ok(Value::List(items)),
            }
        }
        ValueGrammar::AbsolutePath if value.starts_with('/') => Ok(Value::Text(value.to_owned())),
        ValueGrammar::DevicePath if is_device_path(value) => Ok(Value::Text(value.to_owned())),
        ValueGrammar::VirtioMmio => {
            let device = parse_virtio_mmio(value)?;
            if arch == Arch::X86_64 {
                device.check_x86_64()?;
            }
            Ok(Value::VirtioMmio(device))
        }
        ValueGrammar::Free => Ok(Value::Text(value.to_owned())),
        _ => Err(invalid(spec, value)),
    }
}

/// `/dev/<name>` where the name is a single path component, as the kernel's block-device
/// registry names devices (`vda2`, `nvme0n1p1`).
fn is_device_path(value: &str) -> bool {
    value
        .strip_prefix("/dev/")
        .is_some_and(|device| !device.is_empty() && !device.contains('/'))
}

fn invalid(spec: &ParamSpec, value: &str) -> ParamError {
    let valid = spec.value.valid_words();
    ParamError::InvalidValue {
        name: spec.name.clone(),
        value: value.to_owned(),
        expected: spec.value.describe(),
        suggestions: suggest(value, valid.iter().map(String::as_str)),
        valid,
    }
}

/// Checks a whole command line for `arch`: every problem [`validate`] finds, plus an
/// [`ParamError::Overridden`] warning (at the last occurrence) for single-value parameters
/// given more than once. Returns `(index into params, problem)` pairs in command-line order.
#[must_use]
pub fn check(params: &[Param], arch: Arch) -> Vec<(usize, ParamError)> {
    let mut findings = Vec::new();
    let mut occurrences: HashMap<&str, (usize, usize)> = HashMap::new();
    for (index, param) in params.iter().enumerate() {
        match validate(param, arch) {
            Err(error) => findings.push((index, error)),
            Ok(Validated::Kernel { spec, .. }) if spec.kind != ParamKind::RepeatableKeyValue => {
                let entry = occurrences.entry(spec.name.as_str()).or_insert((0, index));
                *entry = (entry.0 + 1, index);
            }
            Ok(_) => {}
        }
    }
    for (name, (count, last)) in occurrences {
        if count > 1 {
            findings.push((
                last,
                ParamError::Overridden {
                    name: name.to_owned(),
                    count,
                },
            ));
        }
    }
    findings.sort_by_key(|(index, _)| *index);
    findings
}
