//! NixOS modules turned on through `[nixos]` or an imported module, against the distro catalog:
//! the same verdicts a spec section gets, found by the option path itself.
//!
//! Every `<…>.enable = true` in the final option set that a spec section did not write is looked
//! up by its option path in `services.toml` (spec services, desktops and `kind = "module"`
//! entries). Broken ones are errors with the reason, the missing kernel capabilities and the
//! alternative; untested ones are warnings naming the option; a top-level module switch that
//! the catalog does not know (`services.X.enable`, `virtualisation.X.enable`, …) is untested by
//! definition.

use super::super::Context;
use super::super::final_options::{Leaf, Origin};
use super::software::{broken_help, limitation};
use crate::diagnostic::{Code, Diagnostic};
use crate::nix::parse_option_path;
use aster_distro::{Service, Status, catalog};

/// First segments under which `X.enable` turns on a NixOS module of its own (`programs.X` are
/// mostly a package with its configuration, so they are left out).
const MODULE_ROOTS: &[&str] = &[
    "services",
    "virtualisation",
    "networking",
    "hardware",
    "security",
];

pub fn check(cx: &mut Context<'_>) {
    let switches: Vec<&Leaf> = cx
        .leaves
        .iter()
        .filter(|leaf| !matches!(leaf.origin, Origin::Section(_)))
        .filter(|leaf| leaf.path.last().is_some_and(|l| l == "enable") && leaf.is_true())
        .collect();
    if switches.is_empty() {
        return; // no module turned on outside the sections: leave the catalog undecoded
    }
    let rules = enable_rules();
    let found: Vec<(Leaf, Option<&'static Service>)> = switches
        .into_iter()
        .map(|leaf| (leaf.clone(), lookup(&rules, &leaf.path)))
        .collect();
    for (leaf, service) in found {
        let allowed = cx
            .spec
            .services
            .allow_untested
            .iter()
            .any(|a| service.is_some_and(|s| &s.name == a) || *a == leaf.dotted());
        match service {
            Some(service) => report(cx, &leaf, service, allowed),
            None if is_module_switch(&leaf.path) && !allowed => unknown(cx, &leaf),
            None => {}
        }
    }
}

/// The catalog's enable options as segment lists (`<name>` matches any one name).
fn enable_rules() -> Vec<(Vec<String>, &'static Service)> {
    catalog()
        .services()
        .iter()
        .filter_map(|service| {
            let text = service.enable_option().replace("<name>", "\"<name>\"");
            Some((parse_option_path(&text).ok()?, service))
        })
        .collect()
}

/// The catalog entry whose enable option `path` is: an exact match first, then a pattern.
pub fn lookup(
    rules: &[(Vec<String>, &'static Service)],
    path: &[String],
) -> Option<&'static Service> {
    rules
        .iter()
        .find(|(rule, _)| rule == path)
        .or_else(|| {
            rules.iter().find(|(rule, _)| {
                rule.len() == path.len()
                    && rule.iter().zip(path).all(|(r, p)| r == "<name>" || r == p)
            })
        })
        .map(|(_, service)| *service)
}

fn is_module_switch(path: &[String]) -> bool {
    path.len() == 3 && MODULE_ROOTS.contains(&path[0].as_str())
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
                .at(leaf.span.clone(), "known not to work")
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
                .at(leaf.span.clone(), "untested")
                .help(help),
            );
        }
        Status::Verified if !allowed && !service.limitations.is_empty() => {
            cx.report(
                limitation(&service.name, &service.limitations, &service.source)
                    .at(leaf.span.clone(), "works, with limits"),
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
        .at(leaf.span.clone(), "untested module")
        .help(format!(
            "it is not in the distro's catalog, so it may need a kernel feature Asterinas lacks (see `aster-config caps`); add `allow-untested = [\"{option}\"]` under [services] to accept it"
        )),
    );
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
        assert!(!is_module_switch(&path("services.foo.bar.enable")));
    }
}
