//! NixOS settings that Asterinas NixOS forces, and why.
//!
//! Read from `distro/catalog/forced.toml` (at build time, see `source.rs`). The distro's own
//! modules set these; a spec that asks for something else is contradicting the distro.
//! Entries that a spec key could contradict name that key in [`ForcedSetting::spec_key`] and
//! say what the compiler does instead in [`ForcedSetting::resolution`].

use serde::{Deserialize, Serialize};

/// How the distro sets an option.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ForcedValue {
    /// A plain value, written in the catalog as a TOML value.
    Literal(#[serde(with = "literal_wire")] toml::Value),
    /// A Nix expression or a short description of one (written as `value-text`).
    Expression(String),
}

/// One option the distro sets.
///
/// In `forced.toml` exactly one of `value` and `value-text` gives [`ForcedSetting::value`];
/// `source.rs` checks that at build time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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

/// The embedded catalog's form of a [`toml::Value`].
///
/// `toml::Value` deserializes only from self-describing formats, and postcard is not one, so
/// literals travel as this tagged mirror and are rebuilt at load time (no TOML is parsed).
/// Forced values are never datetimes; `source.rs` rejects them at build time.
mod literal_wire {
    use serde::{Deserialize, Deserializer, Serialize, Serializer, ser::Error as _};

    #[derive(Serialize, Deserialize)]
    enum Wire {
        String(String),
        Integer(i64),
        Float(f64),
        Boolean(bool),
        Array(Vec<Wire>),
        Table(Vec<(String, Wire)>),
    }

    fn to_wire(value: &toml::Value) -> Result<Wire, String> {
        Ok(match value {
            toml::Value::String(text) => Wire::String(text.clone()),
            toml::Value::Integer(number) => Wire::Integer(*number),
            toml::Value::Float(number) => Wire::Float(*number),
            toml::Value::Boolean(flag) => Wire::Boolean(*flag),
            toml::Value::Datetime(datetime) => {
                return Err(format!("datetime {datetime} is not a NixOS value"));
            }
            toml::Value::Array(items) => {
                Wire::Array(items.iter().map(to_wire).collect::<Result<_, _>>()?)
            }
            toml::Value::Table(table) => Wire::Table(
                table
                    .iter()
                    .map(|(key, item)| Ok((key.clone(), to_wire(item)?)))
                    .collect::<Result<_, String>>()?,
            ),
        })
    }

    fn from_wire(wire: Wire) -> toml::Value {
        match wire {
            Wire::String(text) => toml::Value::String(text),
            Wire::Integer(number) => toml::Value::Integer(number),
            Wire::Float(number) => toml::Value::Float(number),
            Wire::Boolean(flag) => toml::Value::Boolean(flag),
            Wire::Array(items) => toml::Value::Array(items.into_iter().map(from_wire).collect()),
            Wire::Table(entries) => toml::Value::Table(
                entries
                    .into_iter()
                    .map(|(key, item)| (key, from_wire(item)))
                    .collect(),
            ),
        }
    }

    pub(super) fn serialize<S: Serializer>(
        value: &toml::Value,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        to_wire(value)
            .map_err(S::Error::custom)?
            .serialize(serializer)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<toml::Value, D::Error> {
        Wire::deserialize(deserializer).map(from_wire)
    }
}

/// The row of the entry for `option_path` in `options` (each entry's option path and whether it
/// has a `when` condition, in file order), preferring the unconditional one when there are
/// several.
pub(crate) fn find(options: &[(&str, bool)], option_path: &str) -> Option<usize> {
    let mut matching = options
        .iter()
        .enumerate()
        .filter(|(_, (option, _))| *option == option_path);
    let (first, (_, conditional)) = matching.next()?;
    if !conditional {
        return Some(first);
    }
    let unconditional = matching.find(|(_, (_, conditional))| !conditional);
    Some(unconditional.map_or(first, |(row, _)| row))
}
