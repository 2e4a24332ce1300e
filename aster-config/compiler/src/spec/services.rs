//! `[services.*]`: the system services a spec can turn on.
//!
//! Each service is a table; writing the table turns the service on (`enable` defaults to `true`),
//! so `[services.openssh]` alone is enough. Services that listen on the network say explicitly
//! whether their ports are listed as open in the (on Asterinas, inactive) firewall (`open-firewall`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The services aster-config knows, by name.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct Services {
    /// Services (and `"xfce"` for the desktop) whose Asterinas status you accept as it is, e.g.
    /// `["nginx"]`: aster-config stops warning that they are untested or limited.
    pub allow_untested: Vec<String>,
    /// The OpenSSH server, for remote logins.
    pub openssh: Option<Openssh>,
    /// The nginx web server.
    pub nginx: Option<Nginx>,
    /// Podman, the daemonless container engine (verified on Asterinas with the vfs driver).
    pub podman: Option<Podman>,
    /// Docker (not supported on Asterinas: see `aster-config explain` for the reason).
    pub docker: Option<Docker>,
    /// The Redis key-value store.
    pub redis: Option<Redis>,
    /// The `PostgreSQL` database server.
    pub postgresql: Option<Postgresql>,
    /// The Prometheus monitoring server.
    pub prometheus: Option<Prometheus>,
}

/// A service of `[services.*]`: the key that names its table, and its row in the distro's
/// service catalog (`distro/catalog/services.toml`, keyed by the same name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ServiceName {
    /// `[services.openssh]`
    Openssh,
    /// `[services.nginx]`
    Nginx,
    /// `[services.podman]`
    Podman,
    /// `[services.docker]`
    Docker,
    /// `[services.redis]`
    Redis,
    /// `[services.postgresql]`
    Postgresql,
    /// `[services.prometheus]`
    Prometheus,
}

impl ServiceName {
    /// Every service, in the order the spec's `[services]` section declares them.
    pub const ALL: [ServiceName; 7] = [
        ServiceName::Openssh,
        ServiceName::Nginx,
        ServiceName::Podman,
        ServiceName::Docker,
        ServiceName::Redis,
        ServiceName::Postgresql,
        ServiceName::Prometheus,
    ];

    /// The key of its table, which is also its name in the distro's catalog.
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceName::Openssh => "openssh",
            ServiceName::Nginx => "nginx",
            ServiceName::Podman => "podman",
            ServiceName::Docker => "docker",
            ServiceName::Redis => "redis",
            ServiceName::Postgresql => "postgresql",
            ServiceName::Prometheus => "prometheus",
        }
    }
}

impl std::fmt::Display for ServiceName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Services {
    /// Whether the spec turns `name` on.
    pub fn is_enabled(&self, name: ServiceName) -> bool {
        match name {
            ServiceName::Openssh => self.openssh.as_ref().is_some_and(|s| s.enable),
            ServiceName::Nginx => self.nginx.as_ref().is_some_and(|s| s.enable),
            ServiceName::Podman => self.podman.as_ref().is_some_and(|s| s.enable),
            ServiceName::Docker => self.docker.as_ref().is_some_and(|s| s.enable),
            ServiceName::Redis => self.redis.as_ref().is_some_and(|s| s.enable),
            ServiceName::Postgresql => self.postgresql.as_ref().is_some_and(|s| s.enable),
            ServiceName::Prometheus => self.prometheus.as_ref().is_some_and(|s| s.enable),
        }
    }

    /// The services the spec enables, in spec order.
    pub fn enabled(&self) -> Vec<ServiceName> {
        ServiceName::ALL
            .into_iter()
            .filter(|name| self.is_enabled(*name))
            .collect()
    }
}

fn yes() -> bool {
    true
}

/// The OpenSSH server.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Openssh {
    /// Run the service (default `true` once the table is written).
    #[serde(default = "yes")]
    pub enable: bool,
    /// TCP ports sshd listens on.
    #[serde(default = "Openssh::default_ports")]
    pub ports: Vec<u16>,
    /// Allow logging in with a password. Off by default: log in with `ssh-keys` instead.
    #[serde(default)]
    pub password_authentication: bool,
    /// Whether root may log in over SSH.
    #[serde(default)]
    pub permit_root_login: PermitRootLogin,
    /// List `ports` as open in the firewall settings. Asterinas has no packet filter, so the firewall is off and every listening port is reachable either way.
    #[serde(default = "yes")]
    pub open_firewall: bool,
}

impl Openssh {
    fn default_ports() -> Vec<u16> {
        vec![22]
    }
}

/// sshd's `PermitRootLogin` choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum PermitRootLogin {
    /// Root may log in with a key but never with a password (NixOS's default).
    #[default]
    ProhibitPassword,
    /// Root may not log in over SSH.
    No,
    /// Root may log in only to run commands forced by its authorized keys.
    ForcedCommandsOnly,
    /// Root may log in with any method, passwords included.
    Yes,
}

impl PermitRootLogin {
    /// The `sshd_config` value.
    pub fn as_str(self) -> &'static str {
        match self {
            PermitRootLogin::ProhibitPassword => "prohibit-password",
            PermitRootLogin::No => "no",
            PermitRootLogin::ForcedCommandsOnly => "forced-commands-only",
            PermitRootLogin::Yes => "yes",
        }
    }
}

/// The nginx web server.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Nginx {
    /// Run the service (default `true` once the table is written).
    #[serde(default = "yes")]
    pub enable: bool,
    /// Web sites by server name: `sites."example.org".root = "/var/www/example"`.
    #[serde(default)]
    pub sites: BTreeMap<String, NginxSite>,
    /// List port 80 (and 443 when a site has TLS) as open in the firewall settings. Asterinas has no packet filter, so the firewall is off and every listening port is reachable either way.
    #[serde(default = "yes")]
    pub open_firewall: bool,
    /// The email address of your Let's Encrypt account, needed once a site has `acme = true`:
    /// Let's Encrypt writes to it about expiring certificates.
    #[serde(default)]
    pub acme_email: Option<String>,
    /// Set to `true` to accept Let's Encrypt's terms of service
    /// (<https://letsencrypt.org/repository/>); certificates are only issued once you do.
    #[serde(default)]
    pub acme_accept_terms: bool,
}

impl Nginx {
    /// Whether some site asks Let's Encrypt for a certificate.
    pub fn uses_acme(&self) -> bool {
        self.sites.values().any(|site| site.acme)
    }

    /// Whether some site answers on HTTPS.
    pub fn uses_tls(&self) -> bool {
        self.sites.values().any(NginxSite::has_tls)
    }
}

/// One nginx virtual host.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct NginxSite {
    /// Absolute path of the folder to serve files from.
    pub root: Option<String>,
    /// Forward every request to this URL instead of serving files, e.g. `"http://127.0.0.1:3000"`.
    pub proxy_pass: Option<String>,
    /// Other server names answered by this site.
    pub aliases: Vec<String>,
    /// Answer requests for unknown server names with this site.
    pub default: bool,
    /// Serve HTTPS with a certificate from Let's Encrypt, requested and renewed automatically.
    /// Needs `acme-email` and `acme-accept-terms` in `[services.nginx]`, and the site reachable
    /// from the internet on port 80 under its name.
    pub acme: bool,
    /// Serve HTTPS with your own certificate: the absolute path of its PEM file on the machine
    /// (with `certificate-key`). The file is read when nginx starts, never by aster-config.
    pub certificate: Option<String>,
    /// The absolute path of the private key of `certificate` on the machine.
    pub certificate_key: Option<String>,
    /// With HTTPS: `"redirect"` (default) sends plain-HTTP visitors to HTTPS; `"serve"` answers
    /// on both.
    pub http: HttpMode,
}

impl NginxSite {
    /// Whether the site answers on HTTPS (a Let's Encrypt certificate or its own).
    pub fn has_tls(&self) -> bool {
        self.acme || self.certificate.is_some() || self.certificate_key.is_some()
    }
}

/// What a site with HTTPS does with plain HTTP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum HttpMode {
    /// Redirect every plain-HTTP request to HTTPS (nginx `forceSSL`).
    #[default]
    Redirect,
    /// Answer plain HTTP as well as HTTPS (nginx `addSSL`).
    Serve,
}

/// Podman.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Podman {
    /// Run the service (default `true` once the table is written).
    #[serde(default = "yes")]
    pub enable: bool,
    /// Provide a `docker` command that runs podman.
    #[serde(default)]
    pub docker_compat: bool,
}

/// Docker.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Docker {
    /// Run the service (default `true` once the table is written).
    #[serde(default = "yes")]
    pub enable: bool,
}

/// Redis.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Redis {
    /// Run the service (default `true` once the table is written).
    #[serde(default = "yes")]
    pub enable: bool,
    /// TCP port.
    #[serde(default = "Redis::default_port")]
    pub port: u16,
    /// Address to listen on; `"127.0.0.1"` keeps it local.
    #[serde(default = "Redis::default_bind")]
    pub bind: String,
    /// List `port` as open in the firewall settings. Asterinas has no packet filter, so the firewall is off and every listening port is reachable either way.
    #[serde(default)]
    pub open_firewall: bool,
}

impl Redis {
    fn default_port() -> u16 {
        6379
    }
    fn default_bind() -> String {
        "127.0.0.1".to_owned()
    }
}

/// `PostgreSQL`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Postgresql {
    /// Run the service (default `true` once the table is written).
    #[serde(default = "yes")]
    pub enable: bool,
    /// List port 5432 as open in the firewall settings. Asterinas has no packet filter, so the firewall is off and every listening port is reachable either way.
    #[serde(default)]
    pub open_firewall: bool,
}

/// Prometheus.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Prometheus {
    /// Run the service (default `true` once the table is written).
    #[serde(default = "yes")]
    pub enable: bool,
    /// TCP port of the web interface.
    #[serde(default = "Prometheus::default_port")]
    pub port: u16,
    /// List `port` as open in the firewall settings. Asterinas has no packet filter, so the firewall is off and every listening port is reachable either way.
    #[serde(default)]
    pub open_firewall: bool,
}

impl Prometheus {
    fn default_port() -> u16 {
        9090
    }
}
