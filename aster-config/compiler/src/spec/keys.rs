//! The spec's keys as constants, for the source map: checks find the span of a value by a path
//! of these (`key_path![keys::SERVICES, keys::OPENSSH, keys::PORTS]`), so a misspelt key does not
//! compile, and `path!` refuses string literals. A test checks that every constant is a key the
//! spec's schema declares.

/// `acme`
pub const ACME: &str = "acme";
/// `acme-accept-terms`
pub const ACME_ACCEPT_TERMS: &str = "acme-accept-terms";
/// `acme-email`
pub const ACME_EMAIL: &str = "acme-email";
/// `certificate`
pub const CERTIFICATE: &str = "certificate";
/// `certificate-key`
pub const CERTIFICATE_KEY: &str = "certificate-key";
/// `http`
pub const HTTP: &str = "http";
/// `addresses`
pub const ADDRESSES: &str = "addresses";
/// `aliases`
pub const ALIASES: &str = "aliases";
/// `allow-untested`
pub const ALLOW_UNTESTED: &str = "allow-untested";
/// `architecture`
pub const ARCHITECTURE: &str = "architecture";
/// `attr`
pub const ATTR: &str = "attr";
/// `bind`
pub const BIND: &str = "bind";
/// `description`
pub const DESCRIPTION: &str = "description";
/// `desktop`
pub const DESKTOP: &str = "desktop";
/// `dhcp`
pub const DHCP: &str = "dhcp";
/// `docker`
pub const DOCKER: &str = "docker";
/// `docker-compat`
pub const DOCKER_COMPAT: &str = "docker-compat";
/// `features`
pub const FEATURES: &str = "features";
/// `firewall`
pub const FIREWALL: &str = "firewall";
/// `gateway`
pub const GATEWAY: &str = "gateway";
/// `groups`
pub const GROUPS: &str = "groups";
/// `hashed-password`
pub const HASHED_PASSWORD: &str = "hashed-password";
/// `hashed-password-file`
pub const HASHED_PASSWORD_FILE: &str = "hashed-password-file";
/// `hostname`
pub const HOSTNAME: &str = "hostname";
/// `image`
pub const IMAGE: &str = "image";
/// `imports`
pub const IMPORTS: &str = "imports";
/// `init`
pub const INIT: &str = "init";
/// `install`
pub const INSTALL: &str = "install";
/// `interfaces`
pub const INTERFACES: &str = "interfaces";
/// `kernel`
pub const KERNEL: &str = "kernel";
/// `locale`
pub const LOCALE: &str = "locale";
/// `log-level`
pub const LOG_LEVEL: &str = "log-level";
/// `modules`
pub const MODULES: &str = "modules";
/// `nameservers`
pub const NAMESERVERS: &str = "nameservers";
/// `networking`
pub const NETWORKING: &str = "networking";
/// `nginx`
pub const NGINX: &str = "nginx";
/// `nixos`
pub const NIXOS: &str = "nixos";
/// `openssh`
pub const OPENSSH: &str = "openssh";
/// `overrides`
pub const OVERRIDES: &str = "overrides";
/// `packages`
pub const PACKAGES: &str = "packages";
/// `params`
pub const PARAMS: &str = "params";
/// `patches`
pub const PATCHES: &str = "patches";
/// `podman`
pub const PODMAN: &str = "podman";
/// `ports`
pub const PORTS: &str = "ports";
/// `proxy-pass`
pub const PROXY_PASS: &str = "proxy-pass";
/// `redis`
pub const REDIS: &str = "redis";
/// `root`
pub const ROOT: &str = "root";
/// `services`
pub const SERVICES: &str = "services";
/// `sites`
pub const SITES: &str = "sites";
/// `spec-version`
pub const SPEC_VERSION: &str = "spec-version";
/// `ssh-keys`
pub const SSH_KEYS: &str = "ssh-keys";
/// `stage-2-hook`
pub const STAGE_2_HOOK: &str = "stage-2-hook";
/// `state-version`
pub const STATE_VERSION: &str = "state-version";
/// `system`
pub const SYSTEM: &str = "system";
/// `timezone`
pub const TIMEZONE: &str = "timezone";
/// `users`
pub const USERS: &str = "users";
/// `version`
pub const VERSION: &str = "version";
/// `allowed-tcp-ports`
pub const ALLOWED_TCP_PORTS: &str = "allowed-tcp-ports";
/// `allowed-udp-ports`
pub const ALLOWED_UDP_PORTS: &str = "allowed-udp-ports";
/// `console`
pub const CONSOLE: &str = "console";
/// `default`
pub const DEFAULT: &str = "default";
/// `enable`
pub const ENABLE: &str = "enable";
/// `open-firewall`
pub const OPEN_FIREWALL: &str = "open-firewall";
/// `src-hash`
pub const SRC_HASH: &str = "src-hash";
/// `src-url`
pub const SRC_URL: &str = "src-url";

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    /// Every property name anywhere in the derived schema.
    fn property_names(value: &serde_json::Value, names: &mut BTreeSet<String>) {
        match value {
            serde_json::Value::Object(map) => {
                if let Some(serde_json::Value::Object(properties)) = map.get("properties") {
                    names.extend(properties.keys().cloned());
                }
                map.values().for_each(|v| property_names(v, names));
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| property_names(v, names)),
            _ => {}
        }
    }

    #[test]
    fn every_key_is_a_key_of_the_spec() {
        let schema: serde_json::Value =
            serde_json::from_str(&crate::schema::derived_schema_text()).expect("schema JSON");
        let mut names = BTreeSet::new();
        property_names(&schema, &mut names);
        for key in [
            super::ADDRESSES,
            super::ALIASES,
            super::ALLOW_UNTESTED,
            super::ARCHITECTURE,
            super::ATTR,
            super::BIND,
            super::DESCRIPTION,
            super::DESKTOP,
            super::DHCP,
            super::DOCKER,
            super::DOCKER_COMPAT,
            super::FEATURES,
            super::FIREWALL,
            super::GATEWAY,
            super::GROUPS,
            super::HASHED_PASSWORD,
            super::HASHED_PASSWORD_FILE,
            super::HOSTNAME,
            super::IMAGE,
            super::IMPORTS,
            super::INIT,
            super::INSTALL,
            super::INTERFACES,
            super::KERNEL,
            super::LOCALE,
            super::LOG_LEVEL,
            super::MODULES,
            super::NAMESERVERS,
            super::NETWORKING,
            super::NGINX,
            super::NIXOS,
            super::OPENSSH,
            super::OVERRIDES,
            super::PACKAGES,
            super::PARAMS,
            super::PATCHES,
            super::PODMAN,
            super::PORTS,
            super::PROXY_PASS,
            super::ACME,
            super::ACME_ACCEPT_TERMS,
            super::ACME_EMAIL,
            super::CERTIFICATE,
            super::CERTIFICATE_KEY,
            super::HTTP,
            super::REDIS,
            super::ROOT,
            super::SERVICES,
            super::SITES,
            super::SPEC_VERSION,
            super::SSH_KEYS,
            super::STAGE_2_HOOK,
            super::STATE_VERSION,
            super::SYSTEM,
            super::TIMEZONE,
            super::USERS,
            super::VERSION,
            super::ALLOWED_TCP_PORTS,
            super::ALLOWED_UDP_PORTS,
            super::CONSOLE,
            super::DEFAULT,
            super::ENABLE,
            super::OPEN_FIREWALL,
            super::SRC_HASH,
            super::SRC_URL,
        ] {
            assert!(names.contains(key), "`{key}` is not a key of the spec");
        }
    }
}
