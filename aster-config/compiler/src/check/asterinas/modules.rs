//! NixOS modules turned on through `[nixos]` or an imported module, against the distro catalog:
//! the same verdicts a spec section gets, found by the option path itself.
//!
//! A module is turned on in one of two ways, and both are looked up in `services.toml` (spec
//! services, desktops and `kind = "module"` entries):
//! - a switch: `<…>.enable = true` (`virtualisation.docker.enable`, `programs.sway.enable`);
//! - an instance: any option below one entry of an attribute set whose module has no switch and
//!   turns on once the set is not empty (`networking.wg-quick.interfaces.wg0.address`); the
//!   catalog names the set, ending in `<name>`.
//!
//! Broken ones are errors with the reason, the missing kernel capabilities and the alternative;
//! untested ones are warnings naming the option. A switch the catalog does not know, under one
//! of the roots where NixOS modules live, is untested by definition, unless the distro forces
//! that option itself (the forced-settings check speaks for those).

use super::super::Context;
use super::super::final_options::{Leaf, Origin};
use super::software::{broken_help, limitation};
use crate::check::final_options::AtLeaf as _;
use crate::diagnostic::{Code, Diagnostic};
use crate::nix::parse_option_path;
use crate::spec::keys;
use crate::tree::key_path;
use aster_distro::{Service, Status, catalog};
use std::collections::BTreeSet;

/// First segments under which `….enable` turns on a NixOS module (or a program's module).
/// `systemd` is left out: `systemd.services.<unit>.enable` switches one unit, not a module (the
/// catalog still knows `systemd.network.enable`).
const MODULE_ROOTS: &[&str] = &[
    "services",
    "virtualisation",
    "networking",
    "hardware",
    "security",
    "programs",
    "boot",
];

/// The catalog's enable options as segment lists (`<name>` matches any one name).
type Rules = Vec<(Vec<String>, &'static Service)>;

/// A module the final option set turns on outside the spec's sections.
pub(super) struct Enabled {
    /// The leaf that turns it on (for an instance, the first one written below it).
    leaf: Leaf,
    /// The catalog entry, if the catalog knows the module.
    service: Option<&'static Service>,
}

/// Reports the modules [`enabled`] found.
pub(super) fn check(cx: &mut Context<'_>, enabled: &[Enabled]) {
    for Enabled { leaf, service } in enabled {
        let allowed = is_allowed(cx, leaf, *service);
        match service {
            Some(service) => report(cx, leaf, service, allowed),
            None if !allowed => unknown(cx, leaf),
            None => {}
        }
    }
    oci_backend(cx);
}

/// Every module the final option set turns on outside the spec's sections: catalogued switches
/// and instances, and uncatalogued switches under [`MODULE_ROOTS`] that the distro does not force.
pub(super) fn enabled(cx: &Context<'_>) -> Vec<Enabled> {
    let outside: Vec<&Leaf> = cx
        .leaves
        .iter()
        .filter(|leaf| !matches!(leaf.origin, Origin::Section(_)))
        .collect();
    if outside.is_empty() {
        return Vec::new(); // leave the catalog undecoded
    }
    let rules = enable_rules();
    let forced = forced_options();
    let mut found = Vec::new();
    let mut instances = BTreeSet::new();
    for leaf in outside {
        if leaf.path.last().is_some_and(|l| l == "enable") && leaf.is_true() {
            let service = lookup(&rules, &leaf.path);
            if service.is_some() || is_module_switch(&leaf.path) && !forced.contains(&leaf.path) {
                found.push(Enabled {
                    leaf: leaf.clone(),
                    service,
                });
            }
        } else if let Some((instance, service)) = instance_of(&rules, &leaf.path)
            && instances.insert(instance)
        {
            found.push(Enabled {
                leaf: leaf.clone(),
                service: Some(service),
            });
        }
    }
    found
}

/// `[services] allow-untested` entries that acknowledge nothing: not a spec service, desktop or
/// ACME in use, and no module the final option set turns on (by catalog name or option path).
pub(super) fn unused_allowances(cx: &mut Context<'_>, modules: &[Enabled]) {
    let spec = cx.spec;
    if spec.services.allow_untested.is_empty() {
        return;
    }
    let acme = crate::check::tls::acme_in_use(cx);
    for (index, name) in spec.services.allow_untested.iter().enumerate() {
        let desktop = name == "xfce" && spec.desktop.is_some();
        let enabled = spec.services.enabled().iter().any(|s| s.as_str() == name)
            || modules
                .iter()
                .any(|m| acknowledges(name, &m.leaf, m.service))
            || (name == "acme" && acme);
        if !desktop && !enabled {
            cx.report(
                Diagnostic::new(
                    Code::IgnoredSetting,
                    format!(
                        "`{name}` is in `services.allow-untested` but is not an enabled service"
                    ),
                )
                .at(
                    cx.span(&key_path![keys::SERVICES, keys::ALLOW_UNTESTED, index]),
                    "not enabled",
                ),
            );
        }
    }
}

/// True when `[services] allow-untested` names the module: by its catalog name, or by the option
/// path the warning showed.
fn is_allowed(cx: &Context<'_>, leaf: &Leaf, service: Option<&Service>) -> bool {
    cx.spec
        .services
        .allow_untested
        .iter()
        .any(|entry| acknowledges(entry, leaf, service))
}

/// True when the `allow-untested` entry names the module `leaf` turns on.
fn acknowledges(entry: &str, leaf: &Leaf, service: Option<&Service>) -> bool {
    service.is_some_and(|s| s.name == entry) || entry == leaf.dotted()
}

/// The catalog's enable options as segment lists.
fn enable_rules() -> Rules {
    catalog()
        .services()
        .iter()
        .filter_map(|service| {
            let text = service.enable_option().replace("<name>", "\"<name>\"");
            Some((parse_option_path(&text).ok()?, service))
        })
        .collect()
}

/// The options the distro forces (their own check reports a contradiction).
fn forced_options() -> BTreeSet<Vec<String>> {
    super::forced::forced_settings()
        .into_iter()
        .map(|(path, _)| path)
        .collect()
}

/// The catalog entry whose enable option `path` is: an exact match first, then a pattern.
fn lookup(rules: &Rules, path: &[String]) -> Option<&'static Service> {
    rules
        .iter()
        .find(|(rule, _)| rule == path)
        .or_else(|| rules.iter().find(|(rule, _)| matches(rule, path)))
        .map(|(_, service)| *service)
}

/// The instance `path` lies in (the path down to the instance's name) and its module, when the
/// catalog names an attribute set of instances that `path` is below or at.
fn instance_of(rules: &Rules, path: &[String]) -> Option<(Vec<String>, &'static Service)> {
    rules
        .iter()
        .filter(|(rule, _)| rule.last().is_some_and(|l| l == "<name>"))
        .find(|(rule, _)| path.len() >= rule.len() && matches(rule, &path[..rule.len()]))
        .map(|(rule, service)| (path[..rule.len()].to_vec(), *service))
}

/// Segment-by-segment equality, `<name>` matching any one segment.
fn matches(rule: &[String], path: &[String]) -> bool {
    crate::options::table::matches_pattern(rule.iter().map(String::as_str), path)
}

/// `….enable` under a root where NixOS modules live, at least `root.X.enable` deep.
fn is_module_switch(path: &[String]) -> bool {
    path.len() >= 3 && MODULE_ROOTS.contains(&path[0].as_str())
}

fn report(cx: &mut Context<'_>, leaf: &Leaf, service: &Service, allowed: bool) {
    let option = leaf.dotted();
    let place = leaf.place();
    match service.status {
        Status::Broken => {
            let alternative = service.alternative.as_deref().map(|a| {
                catalog()
                    .service(a)
                    .map_or_else(|| a.to_owned(), |s| format!("{a} ({})", s.enable_option()))
            });
            cx.report(
                Diagnostic::new(
                    Code::BrokenService,
                    format!("`{option}` ({place}) turns on `{}`, which does not work on Asterinas NixOS", service.name),
                )
                .at_leaf(leaf, "known not to work")
                .help(broken_help(
                    service.reason.as_deref(),
                    &service.needs,
                    alternative.as_deref(),
                )),
            );
        }
        Status::Untested if !allowed => {
            let mut help = service
                .note
                .clone()
                .unwrap_or_else(|| "upstream has not tested it".to_owned());
            for limitation in &service.limitations {
                help.push_str("\n- ");
                help.push_str(limitation);
            }
            help.push_str(&format!(
                "\nadd `allow-untested = [\"{}\"]` under [services] to accept it",
                service.name
            ));
            cx.report(
                Diagnostic::new(
                    Code::UntestedService,
                    format!("`{option}` ({place}) turns on `{}`, which is not verified on Asterinas NixOS", service.name),
                )
                .at_leaf(leaf, "untested")
                .help(help),
            );
        }
        Status::Verified if !allowed && !service.limitations.is_empty() => {
            cx.report(
                limitation(&service.name, &service.limitations, &service.source)
                    .at_leaf(leaf, "works, with limits"),
            );
        }
        _ => {}
    }
}

fn unknown(cx: &mut Context<'_>, leaf: &Leaf) {
    let option = leaf.dotted();
    cx.report(
        Diagnostic::new(
            Code::UntestedService,
            format!(
                "`{option}` ({}) turns on a NixOS module nobody has tried on Asterinas NixOS",
                leaf.place()
            ),
        )
        .at_leaf(leaf, "untested module")
        .help(format!(
            "it is not in the distro's catalog, so it may need a kernel feature Asterinas lacks (see `aster-config caps`); add `allow-untested = [\"{option}\"]` under [services] to accept it"
        )),
    );
}

/// `virtualisation.oci-containers` runs its containers with the engine its `backend` names, and
/// turns that engine's module on: with `docker` (set, or NixOS's default for a state version
/// before 22.05) that is Docker, which does not work.
fn oci_backend(cx: &mut Context<'_>) {
    let instance = |l: &&Leaf| l.under(&["virtualisation", "oci-containers", "containers", "*"]);
    let Some(container) = cx.leaves.iter().find(instance).cloned() else {
        return;
    };
    let backend = cx
        .leaves
        .iter()
        .find(|l| l.path == ["virtualisation", "oci-containers", "backend"])
        .cloned();
    let docker = match &backend {
        Some(leaf) => leaf.value.as_str() == Some("docker"),
        None => older_than_22_05(&cx.spec.system.state_version),
    };
    let Some(service) = catalog().service("docker").filter(|_| docker) else {
        return;
    };
    let at = backend.as_ref().unwrap_or(&container);
    let why = if backend.is_some() {
        "`virtualisation.oci-containers.backend = \"docker\"`"
    } else {
        "NixOS's default backend for a state version before 22.05, docker,"
    };
    cx.report(
        Diagnostic::new(
            Code::BrokenService,
            format!(
                "{why} ({}) runs the OCI containers with Docker, which does not work on Asterinas NixOS",
                at.place()
            ),
        )
        .at_leaf(at, "turns Docker on")
        .help(format!(
            "{}\nset `virtualisation.oci-containers.backend = \"podman\"` in [nixos]: the distro's podman runs them",
            broken_help(service.reason.as_deref(), &service.needs, None)
        )),
    );
}

/// True for a NixOS release (`YY.MM`) before 22.05; unreadable versions count as recent.
fn older_than_22_05(version: &str) -> bool {
    let mut parts = version.split('.').map(str::parse::<u32>);
    match (parts.next(), parts.next()) {
        (Some(Ok(year)), Some(Ok(month))) => (year, month) < (22, 5),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(text: &str) -> Vec<String> {
        parse_option_path(text).expect("a path")
    }

    #[test]
    fn finds_catalogued_modules_by_option_path() {
        let rules = enable_rules();
        let docker = lookup(&rules, &path("virtualisation.docker.enable")).expect("docker");
        assert_eq!(docker.name, "docker");
        let classic = lookup(&rules, &path("services.redis.servers.\"\".enable")).expect("redis");
        assert_eq!(classic.name, "redis");
        let named = lookup(&rules, &path("services.redis.servers.cache.enable")).expect("named");
        assert_eq!(named.name, "redis-instance");
        assert!(lookup(&rules, &path("services.nginx.virtualHosts.x.enable")).is_none());
        assert!(is_module_switch(&path("services.foo.enable")));
        assert!(is_module_switch(&path("services.foo.bar.enable")));
        assert!(is_module_switch(&path("programs.sway.enable")));
        assert!(!is_module_switch(&path("documentation.enable")));
    }

    #[test]
    fn finds_modules_turned_on_by_an_instance() {
        let rules = enable_rules();
        let (instance, wg) =
            instance_of(&rules, &path("networking.wg-quick.interfaces.wg0.address")).expect("wg");
        assert_eq!(wg.name, "wg-quick");
        assert_eq!(instance, path("networking.wg-quick.interfaces.wg0"));
        let (_, vpn) =
            instance_of(&rules, &path("services.openvpn.servers.office.config")).expect("vpn");
        assert_eq!(vpn.name, "openvpn");
        assert!(instance_of(&rules, &path("networking.wg-quick")).is_none());
        assert!(instance_of(&rules, &path("services.openvpn.enable")).is_none());
    }

    #[test]
    fn state_versions_before_22_05_default_to_docker() {
        assert!(older_than_22_05("21.11"));
        assert!(!older_than_22_05("22.05"));
        assert!(!older_than_22_05("25.05"));
        assert!(!older_than_22_05("unstable"));
    }
}
