//! The spec lowered to NixOS option assignments — the compiler's Nix IR.
//!
//! Each spec section becomes a [`Section`] of bindings whose paths are real NixOS 25.05 options.
//! Every option is named by its row in [`table`] (generated from `data/nixos-options.toml`, which
//! also drives `docs/src/mapping.md` and the option-type tests), so an option that is not in the
//! table cannot be written. The same sections serve the emitter and the `[nixos]` escape-hatch
//! check, which refuses a raw option that a section already sets.

pub mod table;

use crate::nix::{Binding, Expr, Op};
use crate::spec::value::Parsed;
use crate::spec::{DesktopEnvironment, Init, ServiceName, Spec, User};
use std::collections::{BTreeMap, BTreeSet};
use table::NixOption;

/// A group of assignments printed under one comment.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// The spec section it comes from, e.g. `[system]`.
    pub title: String,
    /// The assignments, in print order.
    pub bindings: Vec<Binding>,
}

/// Every option assignment the spec's sections make (not `[nixos]`, `[imports]` or overlays).
pub fn sections(spec: &Spec) -> Vec<Section> {
    let mut sections = vec![system(spec), kernel(spec)];
    sections.extend(packages(spec));
    sections.extend(services(spec));
    sections.extend(desktop(spec));
    sections.extend(users(spec));
    sections.push(networking(spec));
    sections.retain(|s| !s.bindings.is_empty());
    sections
}

/// The option paths `sections` assigns, as segment lists.
pub fn owned_paths(spec: &Spec) -> Vec<Vec<String>> {
    let mut paths: Vec<Vec<String>> = sections(spec)
        .into_iter()
        .flat_map(|s| s.bindings)
        .map(|b| b.path)
        .collect();
    paths.push(vec!["imports".to_owned()]);
    paths.extend(overlays(spec).map(|b| b.path));
    paths
}

/// `[overrides]` — nixpkgs.overlays (misc/nixpkgs.nix): one overlay file per override. Printed
/// after the `[nixos]` options, so it is not one of the [`sections`].
pub fn overlays(spec: &Spec) -> Option<Binding> {
    (!spec.overrides.is_empty()).then(|| {
        let overlays = spec
            .overrides
            .keys()
            .map(|name| {
                Expr::apply(
                    Expr::Var("import"),
                    vec![Expr::Path(crate::layout::overlay_output_path(name))],
                )
            })
            .collect();
        set(table::NIXPKGS_OVERLAYS, Expr::List(overlays))
    })
}

/// The spec's locked nixpkgs (`nixpkgs.nix` beside configuration.nix) first on the machine's
/// `NIX_PATH` (config/nix-channel.nix): `nix-build '<nixpkgs>'`, `nix-shell` and a plain
/// `nixos-rebuild` on the machine then use the pinned tree, not the channel. `lib.mkBefore`
/// puts the entry before the distro's (list definitions concatenate), and Nix takes the first
/// `nixpkgs=` it finds.
pub fn pinned_nixpkgs() -> Binding {
    let entry = Expr::BinOp(
        Box::new(Expr::str("nixpkgs=")),
        Op::Add,
        Box::new(Expr::apply(
            Expr::Var("import"),
            vec![Expr::Path(crate::layout::NIXPKGS_PIN.to_owned())],
        )),
    );
    set(
        table::NIX_NIX_PATH,
        Expr::apply(
            Expr::select(Expr::Var("lib"), &["mkBefore"]),
            vec![Expr::List(vec![entry])],
        ),
    )
}

/// `option = value;` for an option without placeholders.
fn set(option: &NixOption, value: Expr) -> Binding {
    Binding::new(option.instantiate(&[]), value)
}

/// `option = value;` with the option's placeholders filled from `names`.
fn set_named(option: &NixOption, names: &[&str], value: Expr) -> Binding {
    Binding::new(option.instantiate(names), value)
}

/// A binding inside an attribute set that sits `depth` segments down the option's path (the
/// fields of `users.users.<name> = { … }` are at depth 3), placeholders filled from `names`.
fn field(option: &NixOption, depth: usize, names: &[&str], value: Expr) -> Binding {
    let mut path = option.instantiate(names);
    path.drain(..depth);
    Binding::new(path, value)
}

fn commented(comment: &str, mut binding: Binding) -> Binding {
    binding.comment = vec![comment.to_owned()];
    binding
}

fn pkg(attr: &str) -> Expr {
    Expr::Select(
        Box::new(Expr::Var("pkgs")),
        attr.split('.').map(str::to_owned).collect(),
    )
}

fn ports(ports: &[u16]) -> Expr {
    Expr::List(ports.iter().map(|p| Expr::Int(i64::from(*p))).collect())
}

/// `[system]` — networking.hostName (tasks/network-interfaces.nix), time.timeZone
/// (config/locale.nix), i18n.defaultLocale (config/i18n.nix), system.stateVersion
/// (misc/version.nix), nixpkgs.hostPlatform (misc/nixpkgs.nix).
fn system(spec: &Spec) -> Section {
    let system = &spec.system;
    let mut bindings = vec![set(
        table::NETWORKING_HOST_NAME,
        Expr::str(&system.hostname),
    )];
    if let Some(timezone) = &system.timezone {
        bindings.push(set(table::TIME_TIME_ZONE, Expr::str(timezone)));
    }
    if let Some(locale) = &system.locale {
        bindings.push(set(table::I18N_DEFAULT_LOCALE, Expr::str(locale)));
    }
    bindings.push(set(
        table::NIXPKGS_HOST_PLATFORM,
        Expr::str(
            &aster_kernel::kernel()
                .architecture_of(system.architecture)
                .nixos_platform,
        ),
    ));
    bindings.push(commented(
        "The release first installed; keep it when upgrading.",
        set(
            table::SYSTEM_STATE_VERSION,
            Expr::str(&system.state_version),
        ),
    ));
    Section {
        title: "[system]".into(),
        bindings,
    }
}

/// `[kernel]` — the distro's `aster_nixos.*` options (distro/nixos/etc-nixos/aster_configuration.nix).
fn kernel(spec: &Spec) -> Section {
    let kernel = &spec.kernel;
    let shell = kernel.init == Init::Shell;
    let mut bindings = vec![
        set(
            table::ASTER_NIXOS_LOG_LEVEL,
            Expr::str(kernel.log_level.as_str()),
        ),
        set(
            table::ASTER_NIXOS_CONSOLE,
            Expr::str(kernel.console.as_str()),
        ),
        commented(
            "A string on purpose: the distro's option is the enum \"true\" / \"false\".",
            set(
                table::ASTER_NIXOS_DISABLE_SYSTEMD,
                Expr::str(if shell { "true" } else { "false" }),
            ),
        ),
    ];
    if shell {
        let hook = kernel.stage_2_hook.as_deref().unwrap_or("/bin/sh -l");
        bindings.push(set(table::ASTER_NIXOS_STAGE_2_HOOK, Expr::str(hook)));
    }
    if kernel.stage_1_shell {
        bindings.push(set(
            table::ASTER_NIXOS_BREAK_INTO_STAGE_1_SHELL,
            Expr::Bool(true),
        ));
    }
    if !kernel.params.is_empty() {
        bindings.push(set(
            table::ASTER_NIXOS_KERNEL_PARAMS,
            Expr::str_list(kernel.params.iter().cloned()),
        ));
    }
    if !kernel.features.is_empty() {
        bindings.push(set(
            table::ASTER_NIXOS_KERNEL_FEATURES,
            Expr::str_list(kernel.features.iter().cloned()),
        ));
    }
    if let Some(image) = &kernel.image {
        bindings.push(set(table::ASTER_NIXOS_KERNEL, Expr::str(image)));
    }
    Section {
        title: "[kernel]".into(),
        bindings,
    }
}

/// `[packages]` — environment.systemPackages (config/system-path.nix).
fn packages(spec: &Spec) -> Option<Section> {
    let mut seen = BTreeSet::new();
    let packages: Vec<Expr> = spec
        .packages
        .install
        .iter()
        .filter(|a| seen.insert(a.as_str()))
        .map(|a| pkg(a))
        .collect();
    (!packages.is_empty()).then(|| Section {
        title: "[packages]".into(),
        bindings: vec![set(
            table::ENVIRONMENT_SYSTEM_PACKAGES,
            Expr::List(packages),
        )],
    })
}

/// `[services.*]` — see each service's module in the comments below.
fn services(spec: &Spec) -> Vec<Section> {
    let services = &spec.services;
    let mut sections = Vec::new();
    // services/networking/ssh/sshd.nix
    if let Some(ssh) = &services.openssh {
        let mut bindings = vec![set(table::SERVICES_OPENSSH_ENABLE, Expr::Bool(ssh.enable))];
        if ssh.enable {
            bindings.push(set(table::SERVICES_OPENSSH_PORTS, ports(&ssh.ports)));
            // No services.openssh.openFirewall: it only adds the ports to the firewall, which
            // is always off on Asterinas (no packet filter); the check warns when the spec
            // counts on it.
            bindings.push(set(
                table::SERVICES_OPENSSH_SETTINGS_PASSWORD_AUTHENTICATION,
                Expr::Bool(ssh.password_authentication),
            ));
            bindings.push(commented(
                "Keyboard-interactive logins are password logins too; they follow password-authentication.",
                set(table::SERVICES_OPENSSH_SETTINGS_KBD_INTERACTIVE_AUTHENTICATION, Expr::Bool(ssh.password_authentication)),
            ));
            bindings.push(set(
                table::SERVICES_OPENSSH_SETTINGS_PERMIT_ROOT_LOGIN,
                Expr::str(ssh.permit_root_login.as_str()),
            ));
        }
        sections.push(Section {
            title: "[services.openssh]".into(),
            bindings,
        });
    }
    // services/web-servers/nginx/default.nix, vhost-options.nix, location-options.nix
    if let Some(nginx) = &services.nginx {
        let mut bindings = vec![set(table::SERVICES_NGINX_ENABLE, Expr::Bool(nginx.enable))];
        if nginx.enable {
            for (name, site) in &nginx.sites {
                // The fields of `services.nginx.virtualHosts.<name> = { … }`.
                let site_field = |option, names: &[&str], value| field(option, 4, names, value);
                let mut host = Vec::new();
                if let Some(root) = &site.root {
                    host.push(site_field(
                        table::SERVICES_NGINX_VIRTUAL_HOSTS_NAME_ROOT,
                        &[name],
                        Expr::str(root),
                    ));
                }
                if !site.aliases.is_empty() {
                    host.push(site_field(
                        table::SERVICES_NGINX_VIRTUAL_HOSTS_NAME_SERVER_ALIASES,
                        &[name],
                        Expr::str_list(site.aliases.iter().cloned()),
                    ));
                }
                if site.default {
                    host.push(site_field(
                        table::SERVICES_NGINX_VIRTUAL_HOSTS_NAME_DEFAULT,
                        &[name],
                        Expr::Bool(true),
                    ));
                }
                if let Some(upstream) = &site.proxy_pass {
                    host.push(site_field(
                        table::SERVICES_NGINX_VIRTUAL_HOSTS_NAME_LOCATIONS_PATH_PROXY_PASS,
                        &[name, "/"],
                        Expr::str(upstream),
                    ));
                }
                host.extend(site_tls(name, site));
                let mut site_path = table::SERVICES_NGINX_VIRTUAL_HOSTS.instantiate(&[]);
                site_path.push(name.clone());
                bindings.push(Binding::new(site_path, Expr::Attrs(host)));
            }
        }
        if nginx.enable && nginx.uses_acme() {
            bindings.extend(acme_account(nginx));
        }
        sections.push(Section {
            title: "[services.nginx]".into(),
            bindings,
        });
    }
    // virtualisation/podman/default.nix
    if let Some(podman) = &services.podman {
        let mut bindings = vec![set(
            table::VIRTUALISATION_PODMAN_ENABLE,
            Expr::Bool(podman.enable),
        )];
        if podman.enable && podman.docker_compat {
            bindings.push(set(
                table::VIRTUALISATION_PODMAN_DOCKER_COMPAT,
                Expr::Bool(true),
            ));
        }
        sections.push(Section {
            title: "[services.podman]".into(),
            bindings,
        });
    }
    // virtualisation/docker.nix
    if let Some(docker) = &services.docker {
        sections.push(Section {
            title: "[services.docker]".into(),
            bindings: vec![set(
                table::VIRTUALISATION_DOCKER_ENABLE,
                Expr::Bool(docker.enable),
            )],
        });
    }
    // services/databases/redis.nix: the unnamed instance "" is the classic `redis` service. Its
    // port is always written, since named instances would default to 0 (no TCP listener).
    if let Some(redis) = &services.redis {
        let classic = &[""];
        let mut bindings = vec![set_named(
            table::SERVICES_REDIS_SERVERS_NAME_ENABLE,
            classic,
            Expr::Bool(redis.enable),
        )];
        if redis.enable {
            bindings.push(set_named(
                table::SERVICES_REDIS_SERVERS_NAME_PORT,
                classic,
                Expr::Int(i64::from(redis.port)),
            ));
            bindings.push(set_named(
                table::SERVICES_REDIS_SERVERS_NAME_BIND,
                classic,
                Expr::str(&redis.bind),
            ));
        }
        sections.push(Section {
            title: "[services.redis]".into(),
            bindings,
        });
    }
    // services/databases/postgresql.nix
    if let Some(postgresql) = &services.postgresql {
        sections.push(Section {
            title: "[services.postgresql]".into(),
            bindings: vec![set(
                table::SERVICES_POSTGRESQL_ENABLE,
                Expr::Bool(postgresql.enable),
            )],
        });
    }
    // services/monitoring/prometheus/default.nix
    if let Some(prometheus) = &services.prometheus {
        let mut bindings = vec![set(
            table::SERVICES_PROMETHEUS_ENABLE,
            Expr::Bool(prometheus.enable),
        )];
        if prometheus.enable {
            bindings.push(set(
                table::SERVICES_PROMETHEUS_PORT,
                Expr::Int(i64::from(prometheus.port)),
            ));
        }
        sections.push(Section {
            title: "[services.prometheus]".into(),
            bindings,
        });
    }
    sections
}

/// `[desktop]` — services.xserver.enable (services/x11/xserver.nix) and
/// services.xserver.desktopManager.xfce.enable (services/x11/desktop-managers/xfce.nix).
fn desktop(spec: &Spec) -> Option<Section> {
    let desktop = spec.desktop.as_ref()?;
    let bindings = match desktop.environment {
        DesktopEnvironment::Xfce => vec![
            set(table::SERVICES_XSERVER_ENABLE, Expr::Bool(true)),
            set(
                table::SERVICES_XSERVER_DESKTOP_MANAGER_XFCE_ENABLE,
                Expr::Bool(true),
            ),
        ],
    };
    Some(Section {
        title: "[desktop]".into(),
        bindings,
    })
}

/// `[users.*]` — users.users.<name>.* (config/users-groups.nix; authorized keys from
/// services/networking/ssh/sshd.nix) and programs.fish / programs.zsh (programs/fish.nix,
/// programs/zsh/zsh.nix), which NixOS requires for a user whose shell they are.
fn users(spec: &Spec) -> Vec<Section> {
    let mut sections = Vec::new();
    let mut programs = BTreeMap::new();
    for (name, user) in &spec.users {
        if let Some(program) = user.shell.and_then(shell_program) {
            programs.insert(program.path, program);
        }
        let mut user_path = table::USERS_USERS_NAME_IS_NORMAL_USER.instantiate(&[name]);
        user_path.truncate(3);
        sections.push(Section {
            title: format!("[users.{}]", crate::nix::attr_name(name)),
            bindings: vec![Binding::new(
                user_path,
                Expr::Attrs(user_bindings(name, user)),
            )],
        });
    }
    if !programs.is_empty() {
        let bindings = programs
            .into_values()
            .map(|program| {
                commented(
                    "NixOS requires the shell's program module for users who log in with it.",
                    set(program, Expr::Bool(true)),
                )
            })
            .collect();
        sections.push(Section {
            title: "[users]: login shells".into(),
            bindings,
        });
    }
    sections
}

/// The program module NixOS requires for users whose login shell it is.
fn shell_program(shell: crate::spec::Shell) -> Option<&'static NixOption> {
    match shell {
        crate::spec::Shell::Bash => None,
        crate::spec::Shell::Fish => Some(table::PROGRAMS_FISH_ENABLE),
        crate::spec::Shell::Zsh => Some(table::PROGRAMS_ZSH_ENABLE),
    }
}

/// The fields of `users.users.<name> = { … }`.
fn user_bindings(name: &str, user: &User) -> Vec<Binding> {
    let user_field = |option, value| field(option, 3, &[name], value);
    let mut bindings = vec![user_field(
        table::USERS_USERS_NAME_IS_NORMAL_USER,
        Expr::Bool(true),
    )];
    if let Some(description) = &user.description {
        bindings.push(user_field(
            table::USERS_USERS_NAME_DESCRIPTION,
            Expr::str(description),
        ));
    }
    if !user.groups.is_empty() {
        bindings.push(user_field(
            table::USERS_USERS_NAME_EXTRA_GROUPS,
            Expr::str_list(user.groups.iter().cloned()),
        ));
    }
    if let Some(shell) = user.shell {
        bindings.push(user_field(
            table::USERS_USERS_NAME_SHELL,
            pkg(shell.package()),
        ));
    }
    if let Some(uid) = user.uid {
        bindings.push(user_field(
            table::USERS_USERS_NAME_UID,
            Expr::Int(i64::from(uid)),
        ));
    }
    if !user.ssh_keys.is_empty() {
        bindings.push(user_field(
            table::USERS_USERS_NAME_OPENSSH_AUTHORIZED_KEYS_KEYS,
            Expr::str_list(user.ssh_keys.iter().cloned()),
        ));
    }
    if let Some(file) = &user.hashed_password_file {
        bindings.push(user_field(
            table::USERS_USERS_NAME_HASHED_PASSWORD_FILE,
            Expr::str(file),
        ));
    }
    if let Some(hash) = &user.hashed_password {
        bindings.push(user_field(
            table::USERS_USERS_NAME_HASHED_PASSWORD,
            Expr::str(hash),
        ));
    }
    bindings
}

/// A site's HTTPS fields (services/web-servers/nginx/vhost-options.nix): `enableACME` or its own
/// `sslCertificate`/`sslCertificateKey`, and `forceSSL` (redirect plain HTTP) or `addSSL` (serve
/// both). Without TLS there are none.
fn site_tls(name: &str, site: &crate::spec::NginxSite) -> Vec<Binding> {
    let site_field = |option, value| field(option, 4, &[name], value);
    let mut host = Vec::new();
    if !site.has_tls() {
        return host;
    }
    if site.acme {
        host.push(site_field(
            table::SERVICES_NGINX_VIRTUAL_HOSTS_NAME_ENABLE_ACME,
            Expr::Bool(true),
        ));
    }
    if let Some(certificate) = &site.certificate {
        host.push(site_field(
            table::SERVICES_NGINX_VIRTUAL_HOSTS_NAME_SSL_CERTIFICATE,
            Expr::str(certificate),
        ));
    }
    if let Some(key) = &site.certificate_key {
        host.push(site_field(
            table::SERVICES_NGINX_VIRTUAL_HOSTS_NAME_SSL_CERTIFICATE_KEY,
            Expr::str(key),
        ));
    }
    host.push(match site.http {
        crate::spec::HttpMode::Redirect => site_field(
            table::SERVICES_NGINX_VIRTUAL_HOSTS_NAME_FORCE_SSL,
            Expr::Bool(true),
        ),
        crate::spec::HttpMode::Serve => site_field(
            table::SERVICES_NGINX_VIRTUAL_HOSTS_NAME_ADD_SSL,
            Expr::Bool(true),
        ),
    });
    host
}

/// The Let's Encrypt account (security/acme/default.nix): `security.acme.acceptTerms` only as the
/// user wrote it (the check refuses `acme = true` without it) and `security.acme.defaults.email`.
fn acme_account(nginx: &crate::spec::Nginx) -> Vec<Binding> {
    let mut bindings = vec![commented(
        "You accepted Let's Encrypt's terms of service (acme-accept-terms).",
        set(
            table::SECURITY_ACME_ACCEPT_TERMS,
            Expr::Bool(nginx.acme_accept_terms),
        ),
    )];
    if let Some(email) = &nginx.acme_email {
        bindings.push(set(table::SECURITY_ACME_DEFAULTS_EMAIL, Expr::str(email)));
    }
    bindings
}

/// The TCP ports services open in the firewall themselves through aster-config (openssh opens its
/// own through `services.openssh.openFirewall`), with the service that asked.
pub fn service_tcp_ports(spec: &Spec) -> Vec<(u16, ServiceName)> {
    let services = &spec.services;
    let mut ports = Vec::new();
    if services
        .nginx
        .as_ref()
        .is_some_and(|n| n.enable && n.open_firewall)
    {
        ports.push((80, ServiceName::Nginx));
        if services
            .nginx
            .as_ref()
            .is_some_and(crate::spec::Nginx::uses_tls)
        {
            ports.push((443, ServiceName::Nginx));
        }
    }
    if let Some(redis) = services
        .redis
        .as_ref()
        .filter(|r| r.enable && r.open_firewall)
    {
        ports.push((redis.port, ServiceName::Redis));
    }
    if services
        .postgresql
        .as_ref()
        .is_some_and(|p| p.enable && p.open_firewall)
    {
        ports.push((5432, ServiceName::Postgresql));
    }
    if let Some(prometheus) = services
        .prometheus
        .as_ref()
        .filter(|p| p.enable && p.open_firewall)
    {
        ports.push((prometheus.port, ServiceName::Prometheus));
    }
    ports
}

/// `[networking]` — networking.nameservers (tasks/network-interfaces.nix),
/// networking.firewall.enable (services/networking/firewall.nix) and
/// environment.etc."resolv.conf" (system/etc/etc.nix): resolvconf is off on Asterinas NixOS, so
/// the name servers are written to /etc/resolv.conf directly. Nothing is written for DHCP: the
/// distro module turns it off (no packet sockets; the kernel sets the interface's address), and
/// `dhcp = true` is refused by the check.
fn networking(spec: &Spec) -> Section {
    let net = &spec.networking;
    let mut bindings = Vec::new();
    // Invalid values are errors the checks report, and a spec with errors emits nothing, so only
    // valid ones can reach the output; `valid()` leaves the others out of the summaries of
    // `plan` and of the `[nixos]` overlap check.
    let nameservers: Vec<String> = net
        .nameservers
        .iter()
        .filter_map(Parsed::valid)
        .map(ToString::to_string)
        .collect();
    if !nameservers.is_empty() {
        let text = nameservers.iter().fold(String::new(), |mut text, ns| {
            text.push_str("nameserver ");
            text.push_str(ns);
            text.push('\n');
            text
        });
        bindings.push(set(
            table::NETWORKING_NAMESERVERS,
            Expr::str_list(nameservers),
        ));
        bindings.push(commented(
            "resolvconf is off on Asterinas NixOS, so resolv.conf is written directly.",
            set_named(
                table::ENVIRONMENT_ETC_NAME_TEXT,
                &["resolv.conf"],
                Expr::str(text),
            ),
        ));
    }
    // DHCP, static addresses and the gateway are refused by the check (the kernel sets its
    // interfaces' addresses itself), so they never reach the output. The firewall is
    // always off: the kernel has no packet filter, and firewall.service would fail at boot;
    // the check warns when the spec opens ports or asks for the firewall.
    bindings.push(commented(
        "Asterinas has no packet filter (no netfilter): every listening port is reachable.",
        set(table::NETWORKING_FIREWALL_ENABLE, Expr::Bool(false)),
    ));
    Section {
        title: "[networking]".into(),
        bindings,
    }
}

/// The option path whose `true` turns service `name` on, exactly as the emitter writes it.
pub fn enable_option(name: ServiceName) -> Vec<String> {
    match name {
        ServiceName::Openssh => table::SERVICES_OPENSSH_ENABLE.instantiate(&[]),
        ServiceName::Nginx => table::SERVICES_NGINX_ENABLE.instantiate(&[]),
        ServiceName::Podman => table::VIRTUALISATION_PODMAN_ENABLE.instantiate(&[]),
        ServiceName::Docker => table::VIRTUALISATION_DOCKER_ENABLE.instantiate(&[]),
        ServiceName::Redis => table::SERVICES_REDIS_SERVERS_NAME_ENABLE.instantiate(&[""]),
        ServiceName::Postgresql => table::SERVICES_POSTGRESQL_ENABLE.instantiate(&[]),
        ServiceName::Prometheus => table::SERVICES_PROMETHEUS_ENABLE.instantiate(&[]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nix::parse_option_path;

    /// The spec's services, the distro's service catalog and the option table name the same
    /// services and the same enable options.
    #[test]
    fn every_service_has_a_catalog_row_with_the_emitted_enable_option() {
        let catalog = aster_distro::catalog();
        for name in ServiceName::ALL {
            let row = catalog
                .service(name.as_str())
                .unwrap_or_else(|| panic!("services.toml has no `{name}`"));
            let path = parse_option_path(row.enable_option()).expect("an option path");
            assert_eq!(path, enable_option(name), "{name}");
        }
        let xfce = catalog.service("xfce").expect("services.toml has xfce");
        assert_eq!(
            parse_option_path(xfce.enable_option()).expect("an option path"),
            table::SERVICES_XSERVER_DESKTOP_MANAGER_XFCE_ENABLE.instantiate(&[])
        );
        let spec_services: Vec<&str> = ServiceName::ALL.iter().map(|n| n.as_str()).collect();
        for row in catalog
            .services()
            .iter()
            .filter(|s| s.kind != aster_distro::ServiceKind::Module)
        {
            assert!(
                spec_services.contains(&row.name.as_str()) || row.name == "xfce",
                "services.toml has `{}`, which the spec cannot turn on",
                row.name
            );
        }
    }
}
