//! Which NixOS options become which spec keys: the reverse of the emitter, for the options a
//! spec section owns. Options the emitter derives from other keys (`programs.fish.enable` from a
//! user's shell, say) are not listed: the importer recognises them afterwards, when the spec it
//! wrote is built and produces them again.

use crate::nix::NixValue;
use toml_edit::{Array, DocumentMut, Item, Table, Value};

/// A TOML value for plain data; `None` for what TOML cannot hold (null) or what is not plain.
pub fn toml_value(value: &NixValue) -> Option<Value> {
    Some(match value {
        NixValue::Str(s) => Value::from(s.as_str()),
        NixValue::Int(i) => Value::from(*i),
        NixValue::Float(f) => Value::from(*f),
        NixValue::Bool(b) => Value::from(*b),
        NixValue::List(items) => {
            let mut array = Array::new();
            for item in items {
                array.push(toml_value(item)?);
            }
            Value::Array(array)
        }
        NixValue::Attrs(entries) => {
            let mut table = toml_edit::InlineTable::new();
            for (key, item) in entries {
                table.insert(key, toml_value(item)?);
            }
            Value::InlineTable(table)
        }
        NixValue::Null | NixValue::Package(_) | NixValue::Other => return None,
    })
}

/// The table at `path`, created as a `[section]` when missing.
fn table<'d>(document: &'d mut DocumentMut, path: &[&str]) -> Option<&'d mut Table> {
    let mut table = document.as_table_mut();
    for key in path {
        let item = table.entry(key).or_insert_with(|| {
            let mut fresh = Table::new();
            fresh.set_implicit(true);
            Item::Table(fresh)
        });
        table = item.as_table_mut()?;
    }
    table.set_implicit(false);
    Some(table)
}

/// Sets `path` (the last part is the key) to `value`.
fn set(document: &mut DocumentMut, path: &[&str], value: Value) -> bool {
    let Some((key, parent)) = path.split_last() else {
        return false;
    };
    match table(document, parent) {
        Some(table) => {
            table.insert(key, Item::Value(value));
            true
        }
        None => false,
    }
}

fn strings(value: &NixValue) -> Option<Value> {
    match value {
        NixValue::List(items) if items.iter().all(|i| matches!(i, NixValue::Str(_))) => {
            toml_value(value)
        }
        _ => None,
    }
}

fn ports(value: &NixValue) -> Option<Value> {
    match value {
        NixValue::List(items) if items.iter().all(|i| matches!(i, NixValue::Int(0..=65535))) => {
            toml_value(value)
        }
        _ => None,
    }
}

fn packages(value: &NixValue) -> Option<Value> {
    let NixValue::List(items) = value else {
        return None;
    };
    let mut array = Array::new();
    for item in items {
        let NixValue::Package(name) = item else {
            return None;
        };
        array.push(name.as_str());
    }
    Some(Value::Array(array))
}

/// `[{ address = "a"; prefixLength = n; }]` → `["a/n"]`.
fn addresses(value: &NixValue) -> Option<Value> {
    let NixValue::List(items) = value else {
        return None;
    };
    let mut array = Array::new();
    for item in items {
        let NixValue::Attrs(entries) = item else {
            return None;
        };
        let get = |k: &str| entries.iter().find(|(n, _)| n == k).map(|(_, v)| v);
        match (get("address"), get("prefixLength"), entries.len()) {
            (Some(NixValue::Str(a)), Some(NixValue::Int(p)), 2) => array.push(format!("{a}/{p}")),
            _ => return None,
        }
    }
    Some(Value::Array(array))
}

/// Writes the spec key that `option = value` stands for; false when no section owns it (or the
/// value is not in the form the section writes).
pub fn map(document: &mut DocumentMut, option: &[String], value: &NixValue) -> bool {
    let path: Vec<&str> = option.iter().map(String::as_str).collect();
    let string = |v: &NixValue| match v {
        NixValue::Str(s) => Some(Value::from(s.as_str())),
        _ => None,
    };
    let boolean = |v: &NixValue| match v {
        NixValue::Bool(b) => Some(Value::from(*b)),
        _ => None,
    };
    let integer = |v: &NixValue| match v {
        NixValue::Int(i) => Some(Value::from(*i)),
        _ => None,
    };
    let enabled = |v: &NixValue| matches!(v, NixValue::Bool(true));
    let (target, converted): (Vec<&str>, Option<Value>) = match path.as_slice() {
        ["networking", "hostName"] => (vec!["system", "hostname"], string(value)),
        ["time", "timeZone"] => (vec!["system", "timezone"], string(value)),
        ["i18n", "defaultLocale"] => (vec!["system", "locale"], string(value)),
        ["system", "stateVersion"] => (vec!["system", "state-version"], string(value)),
        ["nixpkgs", "hostPlatform"] => (
            vec!["system", "architecture"],
            match value {
                NixValue::Str(s) => s.strip_suffix("-linux").map(Value::from),
                _ => None,
            },
        ),
        ["environment", "systemPackages"] => (vec!["packages", "install"], packages(value)),
        ["aster_nixos", "log-level"] => (vec!["kernel", "log-level"], string(value)),
        ["aster_nixos", "console"] => (vec!["kernel", "console"], string(value)),
        ["aster_nixos", "kernel-params"] => (vec!["kernel", "params"], strings(value)),
        ["aster_nixos", "disable-systemd"] if value == &NixValue::Str("true".into()) => {
            (vec!["kernel", "init"], Some(Value::from("shell")))
        }
        ["services", "openssh", "enable"] if enabled(value) => {
            return table(document, &["services", "openssh"]).is_some();
        }
        ["services", "openssh", "ports"] => (vec!["services", "openssh", "ports"], ports(value)),
        ["services", "openssh", "openFirewall"] => {
            (vec!["services", "openssh", "open-firewall"], boolean(value))
        }
        ["services", "openssh", "settings", "PasswordAuthentication"] => (
            vec!["services", "openssh", "password-authentication"],
            boolean(value),
        ),
        ["services", "openssh", "settings", "PermitRootLogin"] => (
            vec!["services", "openssh", "permit-root-login"],
            string(value),
        ),
        ["services", "nginx", "enable"] if enabled(value) => {
            return table(document, &["services", "nginx"]).is_some();
        }
        ["services", "nginx", "virtualHosts", site, "root"] => (
            vec!["services", "nginx", "sites", site, "root"],
            string(value),
        ),
        ["services", "nginx", "virtualHosts", site, "serverAliases"] => (
            vec!["services", "nginx", "sites", site, "aliases"],
            strings(value),
        ),
        [
            "services",
            "nginx",
            "virtualHosts",
            site,
            "locations",
            "/",
            "proxyPass",
        ] => (
            vec!["services", "nginx", "sites", site, "proxy-pass"],
            string(value),
        ),
        ["services", "nginx", "virtualHosts", site, "enableACME"] => (
            vec!["services", "nginx", "sites", site, "acme"],
            boolean(value),
        ),
        ["services", "nginx", "virtualHosts", site, "sslCertificate"] => (
            vec!["services", "nginx", "sites", site, "certificate"],
            string(value),
        ),
        [
            "services",
            "nginx",
            "virtualHosts",
            site,
            "sslCertificateKey",
        ] => (
            vec!["services", "nginx", "sites", site, "certificate-key"],
            string(value),
        ),
        ["services", "nginx", "virtualHosts", site, "addSSL"] if enabled(value) => (
            vec!["services", "nginx", "sites", site, "http"],
            Some(Value::from("serve")),
        ),
        ["security", "acme", "acceptTerms"] => (
            vec!["services", "nginx", "acme-accept-terms"],
            boolean(value),
        ),
        ["security", "acme", "defaults", "email"] => {
            (vec!["services", "nginx", "acme-email"], string(value))
        }
        ["virtualisation", "podman", "enable"] if enabled(value) => {
            return table(document, &["services", "podman"]).is_some();
        }
        ["virtualisation", "podman", "dockerCompat"] => {
            (vec!["services", "podman", "docker-compat"], boolean(value))
        }
        ["services", "redis", "servers", "", "enable"] if enabled(value) => {
            return table(document, &["services", "redis"]).is_some();
        }
        ["services", "redis", "servers", "", "port"] => {
            (vec!["services", "redis", "port"], integer(value))
        }
        ["services", "redis", "servers", "", "bind"] => {
            (vec!["services", "redis", "bind"], string(value))
        }
        ["services", "xserver", "desktopManager", "xfce", "enable"] if enabled(value) => {
            (vec!["desktop", "environment"], Some(Value::from("xfce")))
        }
        ["users", "users", name, "isNormalUser"] if enabled(value) => {
            return table(document, &["users", name]).is_some();
        }
        ["users", "users", name, "description"] => {
            (vec!["users", name, "description"], string(value))
        }
        ["users", "users", name, "extraGroups"] => (vec!["users", name, "groups"], strings(value)),
        ["users", "users", name, "uid"] => (vec!["users", name, "uid"], integer(value)),
        ["users", "users", name, "shell"] => (
            vec!["users", name, "shell"],
            match value {
                NixValue::Package(p) if !p.contains('.') => Some(Value::from(p.as_str())),
                _ => None,
            },
        ),
        ["users", "users", name, "openssh", "authorizedKeys", "keys"] => {
            (vec!["users", name, "ssh-keys"], strings(value))
        }
        ["users", "users", name, "hashedPasswordFile"] => {
            (vec!["users", name, "hashed-password-file"], string(value))
        }
        ["users", "users", name, "hashedPassword"] => {
            (vec!["users", name, "hashed-password"], string(value))
        }
        ["networking", "useDHCP"] => (vec!["networking", "dhcp"], boolean(value)),
        ["networking", "nameservers"] => (vec!["networking", "nameservers"], strings(value)),
        ["networking", "defaultGateway"] => (vec!["networking", "gateway"], string(value)),
        ["networking", "firewall", "allowedTCPPorts"] => (
            vec!["networking", "firewall", "allowed-tcp-ports"],
            ports(value),
        ),
        ["networking", "firewall", "allowedUDPPorts"] => (
            vec!["networking", "firewall", "allowed-udp-ports"],
            ports(value),
        ),
        ["networking", "interfaces", name, "ipv4", "addresses"] => (
            vec!["networking", "interfaces", name, "addresses"],
            addresses(value),
        ),
        _ => return false,
    };
    match converted {
        Some(converted) => set(document, &target, converted),
        None => false,
    }
}
