//! The semantic summary of a change: what a person wants to know before reading a diff.
//!
//! It compares two specs in their normalized JSON form (`serde_json::to_value(&spec)`, which is
//! what each generation records): packages added and removed, services enabled and disabled,
//! users added and removed, firewall ports opened and closed (the spec's own ports plus those
//! services open, computed from the typed spec), kernel parameters, and every other setting that
//! changed, by its spec path. The previous spec is optional: without one, the new spec is
//! compared with the empty spec.

use aster_compiler::Spec;
use serde_json::Value;
use std::collections::BTreeSet;

/// A port and its protocol, e.g. `tcp/22`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Port {
    /// `tcp` or `udp`.
    pub protocol: &'static str,
    /// The port number.
    pub number: u16,
}

impl std::fmt::Display for Port {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.protocol, self.number)
    }
}

/// One setting that changed, by its dotted spec path; values are compact JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionChange {
    /// e.g. `system.hostname` or `nixos."services.xserver.xkb.layout"`.
    pub path: String,
    /// The old value (`None`: not set).
    pub before: Option<String>,
    /// The new value (`None`: no longer set).
    pub after: Option<String>,
}

/// Everything that changed between two specs, by kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SpecChanges {
    /// Packages newly installed.
    pub packages_added: Vec<String>,
    /// Packages no longer installed.
    pub packages_removed: Vec<String>,
    /// Services turned on.
    pub services_enabled: Vec<String>,
    /// Services turned off.
    pub services_disabled: Vec<String>,
    /// New users.
    pub users_added: Vec<String>,
    /// Users no longer declared.
    pub users_removed: Vec<String>,
    /// Firewall ports opened.
    pub ports_opened: Vec<Port>,
    /// Firewall ports closed.
    pub ports_closed: Vec<Port>,
    /// Kernel command-line parameters added.
    pub kernel_params_added: Vec<String>,
    /// Kernel command-line parameters removed.
    pub kernel_params_removed: Vec<String>,
    /// Every other setting that changed.
    pub options: Vec<OptionChange>,
}

impl SpecChanges {
    /// The changes from `before` (none: the empty spec) to `after`.
    pub fn between(before: Option<&Value>, after: &Value) -> Self {
        let empty = serde_json::to_value(Spec::default()).unwrap_or(Value::Null);
        let before = before.unwrap_or(&empty);
        let mut changes = SpecChanges::default();
        let strings = |v: &Value, pointer: &str| -> BTreeSet<String> {
            v.pointer(pointer)
                .and_then(Value::as_array)
                .map(|a| a.iter().map(render).collect())
                .unwrap_or_default()
        };
        (changes.packages_added, changes.packages_removed) = set_diff(
            &strings(before, "/packages/install"),
            &strings(after, "/packages/install"),
        );
        (changes.kernel_params_added, changes.kernel_params_removed) = set_diff(
            &strings(before, "/kernel/params"),
            &strings(after, "/kernel/params"),
        );
        let (old_services, new_services) = (enabled_services(before), enabled_services(after));
        (changes.services_enabled, changes.services_disabled) =
            set_diff(&old_services, &new_services);
        let (old_users, new_users) = (keys(before, "/users"), keys(after, "/users"));
        (changes.users_added, changes.users_removed) = set_diff(&old_users, &new_users);
        let (opened, closed) = set_diff(&open_ports(before), &open_ports(after));
        (changes.ports_opened, changes.ports_closed) = (opened, closed);
        let toggled: BTreeSet<String> = changes
            .services_enabled
            .iter()
            .chain(&changes.services_disabled)
            .map(|s| format!("services.{s}"))
            .chain(
                changes
                    .users_added
                    .iter()
                    .chain(&changes.users_removed)
                    .map(|u| format!("users.{}", key(u))),
            )
            .collect();
        let mut before_leaves = Vec::new();
        let mut after_leaves = Vec::new();
        flatten(before, String::new(), &mut before_leaves);
        flatten(after, String::new(), &mut after_leaves);
        let covered = |path: &str| {
            SUMMARIZED.contains(&path)
                || toggled
                    .iter()
                    .any(|t| path == t || path.starts_with(&format!("{t}.")))
        };
        let old: std::collections::BTreeMap<String, String> = before_leaves.into_iter().collect();
        let new: std::collections::BTreeMap<String, String> = after_leaves.into_iter().collect();
        let paths: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
        for path in paths {
            let (a, b) = (old.get(path), new.get(path));
            if a != b && !covered(path) {
                changes.options.push(OptionChange {
                    path: path.clone(),
                    before: a.cloned(),
                    after: b.cloned(),
                });
            }
        }
        changes
    }

    /// True when nothing changed.
    pub fn is_empty(&self) -> bool {
        self == &SpecChanges::default()
    }

    /// One line for `aster-config generations`, e.g. `+2 packages, nginx enabled, tcp/80 opened`.
    pub fn one_line(&self) -> String {
        let mut parts = Vec::new();
        let count = |n: usize, word: &str| {
            if n == 1 {
                format!("{n} {word}")
            } else {
                format!("{n} {word}s")
            }
        };
        if !self.packages_added.is_empty() {
            parts.push(format!("+{}", count(self.packages_added.len(), "package")));
        }
        if !self.packages_removed.is_empty() {
            parts.push(format!(
                "-{}",
                count(self.packages_removed.len(), "package")
            ));
        }
        if !self.services_enabled.is_empty() {
            parts.push(format!("{} enabled", self.services_enabled.join(", ")));
        }
        if !self.services_disabled.is_empty() {
            parts.push(format!("{} disabled", self.services_disabled.join(", ")));
        }
        if !self.users_added.is_empty() {
            parts.push(format!("+user {}", self.users_added.join(", ")));
        }
        if !self.users_removed.is_empty() {
            parts.push(format!("-user {}", self.users_removed.join(", ")));
        }
        let list = |ports: &[Port]| {
            ports
                .iter()
                .map(Port::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !self.ports_opened.is_empty() {
            parts.push(format!("opened {}", list(&self.ports_opened)));
        }
        if !self.ports_closed.is_empty() {
            parts.push(format!("closed {}", list(&self.ports_closed)));
        }
        let params = self.kernel_params_added.len() + self.kernel_params_removed.len();
        if params > 0 {
            parts.push(count(params, "kernel parameter change"));
        }
        if !self.options.is_empty() {
            parts.push(count(self.options.len(), "setting"));
        }
        if parts.is_empty() {
            "no setting changed".to_owned()
        } else {
            parts.join("; ")
        }
    }
}

/// Leaf paths summarized in their own category rather than as options (the format version is
/// not a setting).
const SUMMARIZED: &[&str] = &[
    "spec-version",
    "packages.install",
    "kernel.params",
    "networking.firewall.allowed-tcp-ports",
    "networking.firewall.allowed-udp-ports",
];

fn set_diff<T: Ord + Clone>(before: &BTreeSet<T>, after: &BTreeSet<T>) -> (Vec<T>, Vec<T>) {
    (
        after.difference(before).cloned().collect(),
        before.difference(after).cloned().collect(),
    )
}

fn keys(value: &Value, pointer: &str) -> BTreeSet<String> {
    value
        .pointer(pointer)
        .and_then(Value::as_object)
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

fn enabled_services(spec: &Value) -> BTreeSet<String> {
    serde_json::from_value::<Spec>(spec.clone())
        .map(|spec| {
            spec.services
                .enabled()
                .into_iter()
                .map(|name| name.as_str().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// The ports open to the network: the firewall's own lists and what services open themselves.
fn open_ports(spec: &Value) -> BTreeSet<Port> {
    let Ok(spec) = serde_json::from_value::<Spec>(spec.clone()) else {
        return BTreeSet::new();
    };
    let firewall = &spec.networking.firewall;
    let tcp = |number| Port {
        protocol: "tcp",
        number,
    };
    let mut ports: BTreeSet<Port> = firewall
        .allowed_tcp_ports
        .iter()
        .copied()
        .map(tcp)
        .collect();
    ports.extend(firewall.allowed_udp_ports.iter().map(|&number| Port {
        protocol: "udp",
        number,
    }));
    ports.extend(
        aster_compiler::options::service_tcp_ports(&spec)
            .into_iter()
            .map(|(port, _)| tcp(port)),
    );
    if let Some(ssh) = spec
        .services
        .openssh
        .as_ref()
        .filter(|s| s.enable && s.open_firewall)
    {
        ports.extend(ssh.ports.iter().copied().map(tcp));
    }
    ports
}

/// Leaf values by dotted path; arrays are leaves.
fn flatten(value: &Value, path: String, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (name, inner) in map {
                let child = if path.is_empty() {
                    key(name)
                } else {
                    format!("{path}.{}", key(name))
                };
                flatten(inner, child, out);
            }
        }
        Value::Null => {}
        other => out.push((path, render(other))),
    }
}

/// A path component, quoted when it is not a plain word.
fn key(name: &str) -> String {
    if !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        name.to_owned()
    } else {
        format!("{name:?}")
    }
}

fn render(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::SpecChanges;
    use serde_json::json;

    #[test]
    fn categorizes_a_change() {
        let before = json!({
            "packages": {"install": ["vim", "git"]},
            "services": {"openssh": {"enable": true, "ports": [22], "open-firewall": true,
                "password-authentication": false, "permit-root-login": "no"}},
            "system": {"hostname": "a"},
        });
        let after = json!({
            "packages": {"install": ["vim", "htop"]},
            "services": {"nginx": {"enable": true, "sites": {}, "open-firewall": true}},
            "users": {"bob": {"groups": []}},
            "system": {"hostname": "b"},
            "kernel": {"params": ["quiet"]},
        });
        let changes = SpecChanges::between(Some(&before), &after);
        assert_eq!(changes.packages_added, ["htop"]);
        assert_eq!(changes.packages_removed, ["git"]);
        assert_eq!(changes.services_enabled, ["nginx"]);
        assert_eq!(changes.services_disabled, ["openssh"]);
        assert_eq!(changes.users_added, ["bob"]);
        assert_eq!(changes.kernel_params_added, ["quiet"]);
        let paths: Vec<&str> = changes.options.iter().map(|o| o.path.as_str()).collect();
        assert_eq!(paths, ["system.hostname"]);
        assert_eq!(
            changes.one_line(),
            "+1 package; -1 package; nginx enabled; openssh disabled; +user bob; opened tcp/80; closed tcp/22; 1 kernel parameter change; 1 setting"
        );
    }
}
