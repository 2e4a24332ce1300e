//! The spec lowered to NixOS option assignments — the compiler's Nix IR.
//!
//! Each spec section becomes a [`Section`] of bindings whose paths are real NixOS 25.05 options
//! (the declaring module is named beside each group; `docs/mapping.md` has the full table). The
//! same function serves the emitter and the `[nixos]` escape-hatch check, which refuses a raw
//! option that a section already sets.

use crate::nix::{Binding, Expr};
use crate::spec::{DesktopEnvironment, Init, Spec, User};
use std::collections::{BTreeMap, BTreeSet};

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
    if !spec.overrides.is_empty() {
        paths.push(path("nixpkgs.overlays"));
    }
    paths
}

fn path(dotted: &str) -> Vec<String> {
    dotted.split('.').map(str::to_owned).collect()
}

fn set(dotted: &str, value: Expr) -> Binding {
    Binding::new(path(dotted), value)
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
    let mut bindings = vec![set("networking.hostName", Expr::str(&system.hostname))];
    if let Some(timezone) = &system.timezone {
        bindings.push(set("time.timeZone", Expr::str(timezone)));
    }
    if let Some(locale) = &system.locale {
        bindings.push(set("i18n.defaultLocale", Expr::str(locale)));
    }
    bindings.push(set(
        "nixpkgs.hostPlatform",
        Expr::str(system.architecture.nixos_platform()),
    ));
    bindings.push(commented(
        "The release first installed; keep it when upgrading.",
        set("system.stateVersion", Expr::str(&system.state_version)),
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
            "aster_nixos.log-level",
            Expr::str(kernel.log_level.as_str()),
        ),
        set("aster_nixos.console", Expr::str(kernel.console.as_str())),
        commented(
            "A string on purpose: the distro's option is the enum \"true\" / \"false\".",
            set(
                "aster_nixos.disable-systemd",
                Expr::str(if shell { "true" } else { "false" }),
            ),
        ),
    ];
    if shell {
        let hook = kernel.stage_2_hook.as_deref().unwrap_or("/bin/sh -l");
        bindings.push(set("aster_nixos.stage-2-hook", Expr::str(hook)));
    }
    if kernel.stage_1_shell {
        bindings.push(set(
            "aster_nixos.break-into-stage-1-shell",
            Expr::Bool(true),
        ));
    }
    if !kernel.params.is_empty() {
        bindings.push(set(
            "aster_nixos.kernel-params",
            Expr::str_list(kernel.params.iter().cloned()),
        ));
    }
    if !kernel.features.is_empty() {
        bindings.push(set(
            "aster_nixos.kernel-features",
            Expr::str_list(kernel.features.iter().cloned()),
        ));
    }
    if let Some(image) = &kernel.image {
        bindings.push(set("aster_nixos.kernel", Expr::str(image)));
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
        bindings: vec![set("environment.systemPackages", Expr::List(packages))],
    })
}

/// `[services.*]` — see each service's module in the comments below.
fn services(spec: &Spec) -> Vec<Section> {
    let services = &spec.services;
    let mut sections = Vec::new();
    // services/networking/ssh/sshd.nix
    if let Some(ssh) = &services.openssh {
        let mut bindings = vec![set("services.openssh.enable", Expr::Bool(ssh.enable))];
        if ssh.enable {
            bindings.push(set("services.openssh.ports", ports(&ssh.ports)));
            bindings.push(set(
                "services.openssh.openFirewall",
                Expr::Bool(ssh.open_firewall),
            ));
            bindings.push(set(
                "services.openssh.settings.PasswordAuthentication",
                Expr::Bool(ssh.password_authentication),
            ));
            bindings.push(commented(
                "Keyboard-interactive logins are password logins too; they follow password-authentication.",
                set("services.openssh.settings.KbdInteractiveAuthentication", Expr::Bool(ssh.password_authentication)),
            ));
            bindings.push(set(
                "services.openssh.settings.PermitRootLogin",
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
        let mut bindings = vec![set("services.nginx.enable", Expr::Bool(nginx.enable))];
        if nginx.enable {
            for (name, site) in &nginx.sites {
                let mut host = Vec::new();
                if let Some(root) = &site.root {
                    host.push(Binding::new(vec!["root".into()], Expr::str(root)));
                }
                if !site.aliases.is_empty() {
                    host.push(Binding::new(
                        vec!["serverAliases".into()],
                        Expr::str_list(site.aliases.iter().cloned()),
                    ));
                }
                if site.default {
                    host.push(Binding::new(vec!["default".into()], Expr::Bool(true)));
                }
                if let Some(upstream) = &site.proxy_pass {
                    host.push(Binding::new(
                        vec!["locations".into(), "/".into(), "proxyPass".into()],
                        Expr::str(upstream),
                    ));
                }
                let mut binding_path = path("services.nginx.virtualHosts");
                binding_path.push(name.clone());
                bindings.push(Binding::new(binding_path, Expr::Attrs(host)));
            }
        }
        sections.push(Section {
            title: "[services.nginx]".into(),
            bindings,
        });
    }
    // virtualisation/podman/default.nix
    if let Some(podman) = &services.podman {
        let mut bindings = vec![set(
            "virtualisation.podman.enable",
            Expr::Bool(podman.enable),
        )];
        if podman.enable && podman.docker_compat {
            bindings.push(set("virtualisation.podman.dockerCompat", Expr::Bool(true)));
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
                "virtualisation.docker.enable",
                Expr::Bool(docker.enable),
            )],
        });
    }
    // services/databases/redis.nix: the unnamed instance "" is the classic `redis` service. Its
    // port is always written, since named instances would default to 0 (no TCP listener).
    if let Some(redis) = &services.redis {
        let field = |name: &str| {
            ["services", "redis", "servers", "", name]
                .map(str::to_owned)
                .to_vec()
        };
        let mut bindings = vec![Binding::new(field("enable"), Expr::Bool(redis.enable))];
        if redis.enable {
            bindings.push(Binding::new(
                field("port"),
                Expr::Int(i64::from(redis.port)),
            ));
            bindings.push(Binding::new(field("bind"), Expr::str(&redis.bind)));
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
                "services.postgresql.enable",
                Expr::Bool(postgresql.enable),
            )],
        });
    }
    // services/monitoring/prometheus/default.nix
    if let Some(prometheus) = &services.prometheus {
        let mut bindings = vec![set(
            "services.prometheus.enable",
            Expr::Bool(prometheus.enable),
        )];
        if prometheus.enable {
            bindings.push(set(
                "services.prometheus.port",
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
            set("services.xserver.enable", Expr::Bool(true)),
            set(
                "services.xserver.desktopManager.xfce.enable",
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
        if let Some(program) = user.shell.and_then(crate::spec::Shell::program_module) {
            programs.insert(program, name.clone());
        }
        let mut user_path = path("users.users");
        user_path.push(name.clone());
        sections.push(Section {
            title: format!("[users.{}]", crate::nix::attr_name(name)),
            bindings: vec![Binding::new(user_path, Expr::Attrs(user_bindings(user)))],
        });
    }
    if !programs.is_empty() {
        let bindings = programs
            .into_keys()
            .map(|program| {
                commented(
                    "NixOS requires the shell's program module for users who log in with it.",
                    set(&format!("programs.{program}.enable"), Expr::Bool(true)),
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

fn user_bindings(user: &User) -> Vec<Binding> {
    let field = |name: &str, value: Expr| Binding::new(path(name), value);
    let mut bindings = vec![field("isNormalUser", Expr::Bool(true))];
    if let Some(description) = &user.description {
        bindings.push(field("description", Expr::str(description)));
    }
    if !user.groups.is_empty() {
        bindings.push(field(
            "extraGroups",
            Expr::str_list(user.groups.iter().cloned()),
        ));
    }
    if let Some(shell) = user.shell {
        bindings.push(field("shell", pkg(shell.package())));
    }
    if let Some(uid) = user.uid {
        bindings.push(field("uid", Expr::Int(i64::from(uid))));
    }
    if !user.ssh_keys.is_empty() {
        bindings.push(field(
            "openssh.authorizedKeys.keys",
            Expr::str_list(user.ssh_keys.iter().cloned()),
        ));
    }
    if let Some(file) = &user.hashed_password_file {
        bindings.push(field("hashedPasswordFile", Expr::str(file)));
    }
    if let Some(hash) = &user.hashed_password {
        bindings.push(field("hashedPassword", Expr::str(hash)));
    }
    bindings
}

/// The TCP ports services open in the firewall themselves through aster-config (openssh opens its
/// own through `services.openssh.openFirewall`), with the service that asked.
pub fn service_tcp_ports(spec: &Spec) -> Vec<(u16, &'static str)> {
    let services = &spec.services;
    let mut ports = Vec::new();
    if services
        .nginx
        .as_ref()
        .is_some_and(|n| n.enable && n.open_firewall)
    {
        ports.push((80, "nginx"));
    }
    if let Some(redis) = services
        .redis
        .as_ref()
        .filter(|r| r.enable && r.open_firewall)
    {
        ports.push((redis.port, "redis"));
    }
    if services
        .postgresql
        .as_ref()
        .is_some_and(|p| p.enable && p.open_firewall)
    {
        ports.push((5432, "postgresql"));
    }
    if let Some(prometheus) = services
        .prometheus
        .as_ref()
        .filter(|p| p.enable && p.open_firewall)
    {
        ports.push((prometheus.port, "prometheus"));
    }
    ports
}

/// `[networking]` — networking.* (tasks/network-interfaces.nix, services/networking/firewall.nix)
/// and environment.etc."resolv.conf" (system/etc/etc.nix): resolvconf is off on Asterinas NixOS,
/// so the name servers are written to /etc/resolv.conf directly.
fn networking(spec: &Spec) -> Section {
    let net = &spec.networking;
    let mut bindings = Vec::new();
    if !net.nameservers.is_empty() {
        bindings.push(set(
            "networking.nameservers",
            Expr::str_list(net.nameservers.iter().cloned()),
        ));
        let text = net.nameservers.iter().fold(String::new(), |mut text, ns| {
            text.push_str("nameserver ");
            text.push_str(ns);
            text.push('\n');
            text
        });
        bindings.push(commented(
            "resolvconf is off on Asterinas NixOS, so resolv.conf is written directly.",
            Binding::new(
                vec![
                    "environment".into(),
                    "etc".into(),
                    "resolv.conf".into(),
                    "text".into(),
                ],
                Expr::str(text),
            ),
        ));
    }
    bindings.push(set("networking.useDHCP", Expr::Bool(net.dhcp)));
    for (name, interface) in &net.interfaces {
        let addresses = interface
            .addresses
            .iter()
            .filter_map(|cidr| {
                let (address, prefix) = cidr.split_once('/')?;
                let prefix: i64 = prefix.parse().ok()?;
                Some(Expr::Attrs(vec![
                    Binding::new(vec!["address".into()], Expr::str(address)),
                    Binding::new(vec!["prefixLength".into()], Expr::Int(prefix)),
                ]))
            })
            .collect();
        bindings.push(Binding::new(
            vec![
                "networking".into(),
                "interfaces".into(),
                name.clone(),
                "ipv4".into(),
                "addresses".into(),
            ],
            Expr::List(addresses),
        ));
    }
    if let Some(gateway) = &net.gateway {
        bindings.push(set("networking.defaultGateway", Expr::str(gateway)));
    }
    bindings.push(set(
        "networking.firewall.enable",
        Expr::Bool(net.firewall.enable),
    ));
    let service_ports = service_tcp_ports(spec);
    let tcp: BTreeSet<u16> = net
        .firewall
        .allowed_tcp_ports
        .iter()
        .copied()
        .chain(service_ports.iter().map(|(p, _)| *p))
        .collect();
    if !tcp.is_empty() {
        let mut binding = set(
            "networking.firewall.allowedTCPPorts",
            ports(&tcp.into_iter().collect::<Vec<_>>()),
        );
        if !service_ports.is_empty() {
            let opened: Vec<String> = service_ports
                .iter()
                .map(|(p, s)| format!("{p} for {s}"))
                .collect();
            binding.comment = vec![format!(
                "Opened by services with open-firewall: {}.",
                opened.join(", ")
            )];
        }
        bindings.push(binding);
    }
    let udp: BTreeSet<u16> = net.firewall.allowed_udp_ports.iter().copied().collect();
    if !udp.is_empty() {
        bindings.push(set(
            "networking.firewall.allowedUDPPorts",
            ports(&udp.into_iter().collect::<Vec<_>>()),
        ));
    }
    Section {
        title: "[networking]".into(),
        bindings,
    }
}
