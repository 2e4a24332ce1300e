//! NixOS settings that Asterinas NixOS forces, and why.
//!
//! Loaded from `distro/catalog/forced.toml`. The distro's own modules set these; a spec that
//! asks for something else is contradicting the distro. Entries that a spec key could
//! contradict name that key in [`ForcedSetting::spec_key`] and say what the compiler does
//! instead in [`ForcedSetting::resolution`].

use std::collections::BTreeSet;

use serde::Deserialize;

/// How the distro sets an option.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ForcedKind {
    /// Always set to this value by the distro's modules.
    Forced,
    /// The distro adds its own script or commands to it.
    Injected,
    /// The distro appends to the NixOS default.
    Extended,
    /// Set only when some other option is on (see [`ForcedSetting::when`]).
    Conditional,
    /// A default in the installer's `configuration.nix` template; users may change it.
    TemplateDefault,
}

/// The value the distro gives an option.
#[derive(Debug, Clone, PartialEq)]
pub enum ForcedValue {
    /// A plain value, written in the catalog as a TOML value.
    Literal(toml::Value),
    /// A Nix expression or a short description of one (written as `value-text`).
    Expression(String),
}

/// One option the distro sets.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(try_from = "RawForcedSetting")]
#[non_exhaustive]
pub struct ForcedSetting {
    /// NixOS option path, e.g. `services.udev.enable` or `environment.etc."resolv.conf".text`.
    pub option: String,
    /// What the distro sets it to.
    pub value: ForcedValue,
    /// How the distro sets it.
    pub kind: ForcedKind,
    /// Condition under which the setting applies, for conditional entries.
    pub when: Option<String>,
    /// Why, in words a newcomer understands.
    pub reason: String,
    /// Key of the aster-config spec whose value could contradict this setting.
    pub spec_key: Option<String>,
    /// What the compiler does when the spec sets [`ForcedSetting::spec_key`].
    pub resolution: Option<String>,
    /// Upstream Asterinas file that sets it.
    pub source: String,
}

/// The on-disk shape: exactly one of `value` and `value-text` must be present.
#[derive(Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct RawForcedSetting {
    option: String,
    value: Option<toml::Value>,
    value_text: Option<String>,
    kind: ForcedKind,
    when: Option<String>,
    reason: String,
    spec_key: Option<String>,
    resolution: Option<String>,
    source: String,
}

impl TryFrom<RawForcedSetting> for ForcedSetting {
    type Error = String;

    fn try_from(raw: RawForcedSetting) -> Result<Self, Self::Error> {
        let value = match (raw.value, raw.value_text) {
            (Some(value), None) => ForcedValue::Literal(value),
            (None, Some(text)) => ForcedValue::Expression(text),
            _ => {
                return Err(format!(
                    "forced setting `{}` needs exactly one of `value` and `value-text`",
                    raw.option
                ));
            }
        };
        Ok(Self {
            option: raw.option,
            value,
            kind: raw.kind,
            when: raw.when,
            reason: raw.reason,
            spec_key: raw.spec_key,
            resolution: raw.resolution,
            source: raw.source,
        })
    }
}

/// The entry for `option_path`, preferring the unconditional one when there are several.
pub(crate) fn find<'a>(
    settings: &'a [ForcedSetting],
    option_path: &str,
) -> Option<&'a ForcedSetting> {
    let mut matching = settings.iter().filter(|s| s.option == option_path);
    let first = matching.next()?;
    if first.when.is_none() {
        return Some(first);
    }
    matching.find(|s| s.when.is_none()).or(Some(first))
}

/// Checks the rules a forced-settings list must follow; returns the first broken one.
pub(crate) fn validate(settings: &[ForcedSetting]) -> Result<(), String> {
    let mut seen = BTreeSet::new();
    for setting in settings {
        let option = setting.option.as_str();
        if !seen.insert((option, setting.when.as_deref())) {
            return Err(format!("duplicate forced setting `{option}`"));
        }
        if (setting.kind == ForcedKind::Conditional) != setting.when.is_some() {
            return Err(format!(
                "forced setting `{option}`: `when` is required for kind conditional and only then"
            ));
        }
        if setting.reason.trim().is_empty() || setting.source.trim().is_empty() {
            return Err(format!(
                "forced setting `{option}` needs a `reason` and a `source`"
            ));
        }
        if setting.resolution.is_some() && setting.spec_key.is_none() {
            return Err(format!(
                "forced setting `{option}` has a `resolution` but no `spec-key`"
            ));
        }
    }
    Ok(())
}
