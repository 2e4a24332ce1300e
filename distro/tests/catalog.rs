//! Checks the distro catalog data: it loads, follows its rules, and covers everything upstream
//! documents (every verified application and attribute, every forced setting).
//!
//! The expected upstream lists live in `tests/fixtures/upstream-verified-applications.toml`,
//! copied from the reference facts, so the tests run from a clean clone; when the facts file
//! itself is beside the checkout (`<workspace>/../shared/reference/`, required under CI), the
//! fixture and the forced settings are compared against it. Capability ids are checked against
//! the `aster-kernel` catalog.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use aster_distro::{
    ActionStatus, ForcedKind, ForcedValue, LimitationArea, ServiceKind, Status, catalog,
};
use aster_kernel::{Support, kernel};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct Upstream {
    distinct_attrs: Vec<String>,
    application: Vec<UpstreamApplication>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UpstreamApplication {
    name: String,
    category: String,
}

fn upstream() -> Upstream {
    let text = include_str!("fixtures/upstream-verified-applications.toml");
    toml::from_str(text).expect("fixture parses")
}

/// The reference facts (`<workspace>/../shared/reference/asterinas-facts.json`), when this
/// checkout sits beside `shared/`. Under CI (`CI` set) a missing file fails the test.
fn facts() -> Option<serde_json::Value> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/reference/asterinas-facts.json");
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(serde_json::from_str(&text).expect("the facts file is JSON")),
        Err(error) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI needs {}: {error}",
                path.display()
            );
            None
        }
    }
}

#[test]
fn the_fixture_is_the_facts_verified_list() {
    let Some(facts) = facts() else { return };
    let verified = &facts["verified_packages"];
    let from_facts: BTreeSet<(String, String)> = verified["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| {
            let field = |key: &str| e[key].as_str().expect(key).to_owned();
            (field("name"), field("category"))
        })
        .collect();
    let upstream = upstream();
    let from_fixture: BTreeSet<(String, String)> = upstream
        .application
        .iter()
        .map(|a| (a.name.clone(), a.category.clone()))
        .collect();
    assert_eq!(from_fixture, from_facts);
    assert_eq!(upstream.application.len(), from_fixture.len(), "no repeats");
    let attrs: BTreeSet<&str> = verified["distinct_nixpkgs_attrs"]
        .as_array()
        .expect("attrs")
        .iter()
        .filter_map(serde_json::Value::as_str)
        .collect();
    let fixture_attrs: BTreeSet<&str> =
        upstream.distinct_attrs.iter().map(String::as_str).collect();
    assert_eq!(fixture_attrs, attrs);
}

#[test]
fn forced_settings_are_the_facts_forced_settings() {
    let Some(facts) = facts() else { return };
    let settings = facts["nixos_settings_forced"]
        .as_array()
        .expect("forced settings");
    // A fact may annotate its option, e.g. "environment.systemPackages (+start_xfce, ...)".
    let from_facts: BTreeSet<&str> = settings
        .iter()
        .map(|f| f["option"].as_str().expect("option"))
        .map(|option| option.split(" (").next().unwrap_or(option))
        .collect();
    // Upstream's modules set the rows whose source is a distro file; the others are forced by
    // aster-config's own distro modules because of a kernel fact, and name that kernel file.
    let (upstream, ours): (Vec<_>, Vec<_>) = catalog()
        .forced()
        .iter()
        .partition(|f| f.source.starts_with("distro/"));
    for setting in &ours {
        assert!(
            setting.source.starts_with("kernel/"),
            "`{}` has neither an upstream distro file nor a kernel file as its source",
            setting.option
        );
    }
    let catalogued: BTreeSet<&str> = upstream.iter().map(|f| f.option.as_str()).collect();
    assert_eq!(catalogued, from_facts);
    assert_eq!(upstream.len(), settings.len(), "one entry per fact");
}

/// The distro's overlays, as named in upstream's `nixpkgs.overlays`.
const OVERLAYS: [&str; 7] = [
    "desktop",
    "hello-asterinas",
    "podman",
    "switch-to-configuration-ng",
    "systemd",
    "jtreg",
    "codex",
];

/// The service names of spec v1.
const SPEC_V1_SERVICES: [&str; 8] = [
    "openssh",
    "nginx",
    "podman",
    "docker",
    "redis",
    "postgresql",
    "prometheus",
    "xfce",
];

#[test]
fn embedded_catalog_loads() {
    let catalog = catalog();
    assert!(!catalog.packages().is_empty());
    assert!(!catalog.services().is_empty());
    assert!(!catalog.forced().is_empty());
    assert!(!catalog.rebuild_actions().is_empty());
    assert!(!catalog.limitations().is_empty());
}

#[test]
fn names_are_unique() {
    let catalog = catalog();
    let attrs: Vec<&str> = catalog
        .packages()
        .iter()
        .filter_map(|p| p.attr.as_deref())
        .collect();
    assert_eq!(
        attrs.len(),
        attrs.iter().collect::<BTreeSet<_>>().len(),
        "duplicate package attr"
    );
    let services: BTreeSet<&str> = catalog.services().iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        services.len(),
        catalog.services().len(),
        "duplicate service"
    );
    let forced: BTreeSet<(&str, Option<&str>)> = catalog
        .forced()
        .iter()
        .map(|f| (f.option.as_str(), f.when.as_deref()))
        .collect();
    assert_eq!(
        forced.len(),
        catalog.forced().len(),
        "duplicate forced option"
    );
    let actions: BTreeSet<&str> = catalog
        .rebuild_actions()
        .iter()
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(
        actions.len(),
        catalog.rebuild_actions().len(),
        "duplicate rebuild action"
    );
}

#[test]
fn every_entry_records_its_upstream_source() {
    let catalog = catalog();
    let sources = catalog
        .packages()
        .iter()
        .map(|p| (p.display_name(), &p.source))
        .chain(
            catalog
                .services()
                .iter()
                .map(|s| (s.name.as_str(), &s.source)),
        )
        .chain(
            catalog
                .forced()
                .iter()
                .map(|f| (f.option.as_str(), &f.source)),
        )
        .chain(
            catalog
                .rebuild_actions()
                .iter()
                .map(|a| (a.name.as_str(), &a.source)),
        )
        .chain(
            catalog
                .limitations()
                .iter()
                .map(|l| (l.item.as_str(), &l.source)),
        );
    for (name, source) in sources {
        assert!(!source.trim().is_empty(), "{name} has no source");
        assert!(
            !source.starts_with('/') && source.contains('.'),
            "{name}: source `{source}` is not a repository file path"
        );
    }
}

#[test]
fn broken_entries_explain_themselves() {
    let catalog = catalog();
    for package in catalog
        .packages()
        .iter()
        .filter(|p| p.status == Status::Broken)
    {
        let name = package.display_name();
        assert!(
            package.reason.as_deref().is_some_and(|r| !r.is_empty()),
            "{name} has no reason"
        );
        assert!(
            !package.needs.is_empty(),
            "{name} names no missing capability"
        );
        for id in &package.needs {
            assert!(
                package
                    .reason
                    .as_deref()
                    .unwrap_or("")
                    .contains(id.as_str()),
                "{name}: reason does not name capability {id}"
            );
        }
    }
    for service in catalog
        .services()
        .iter()
        .filter(|s| s.status == Status::Broken)
    {
        assert!(
            service.reason.as_deref().is_some_and(|r| !r.is_empty()),
            "{} has no reason",
            service.name
        );
        assert!(
            !service.needs.is_empty(),
            "{} names no missing capability",
            service.name
        );
    }
    let expected_alternatives = [
        ("docker", "podman"),
        ("libvirt", "qemu_kvm"),
        ("lxc", "podman"),
        ("bcc", "strace"),
        ("bpftrace", "strace"),
    ];
    for (attr, alternative) in expected_alternatives {
        let package = catalog
            .package(attr)
            .unwrap_or_else(|| panic!("{attr} missing"));
        assert_eq!(package.status, Status::Broken, "{attr}");
        assert_eq!(package.alternative.as_deref(), Some(alternative), "{attr}");
        let target = catalog
            .package(alternative)
            .unwrap_or_else(|| panic!("{alternative} missing"));
        assert_eq!(
            target.status,
            Status::Verified,
            "alternative {alternative} of {attr}"
        );
    }
}

#[test]
fn every_upstream_application_is_represented_once() {
    let upstream = upstream();
    let catalog = catalog();
    let listed: usize = catalog
        .packages()
        .iter()
        .map(|p| p.applications.len())
        .sum();
    assert_eq!(
        listed,
        upstream.application.len(),
        "applications lists must add up to upstream's list"
    );

    let mut placed: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for app in &upstream.application {
        let homes: Vec<_> = catalog
            .packages()
            .iter()
            .filter(|p| {
                p.applications.contains(&app.name) && p.categories().any(|c| c == app.category)
            })
            .collect();
        assert_eq!(
            homes.len(),
            1,
            "{} ({}) must sit in exactly one entry of its category",
            app.name,
            app.category
        );
        assert_eq!(homes[0].status, Status::Verified, "{}", app.name);
        *placed
            .entry((app.name.as_str(), app.category.as_str()))
            .or_default() += 1;
    }
    assert_eq!(
        placed.len(),
        upstream.application.len(),
        "upstream (name, category) pairs are distinct"
    );
}

#[test]
fn every_upstream_attribute_is_a_verified_package() {
    let upstream = upstream();
    assert!(!upstream.distinct_attrs.is_empty());
    let catalog = catalog();
    for attr in &upstream.distinct_attrs {
        let package = catalog
            .package(attr)
            .unwrap_or_else(|| panic!("upstream attr {attr} is missing"));
        assert_eq!(package.status, Status::Verified, "{attr}");
    }
}

#[test]
fn categories_are_upstream_categories() {
    let known: BTreeSet<String> = upstream()
        .application
        .into_iter()
        .map(|a| a.category)
        .collect();
    for package in catalog().packages() {
        for category in package.categories() {
            assert!(
                known.contains(category),
                "{}: unknown category {category}",
                package.display_name()
            );
        }
    }
}

#[test]
fn overlays_are_the_distros_overlays() {
    let catalog = catalog();
    let overlays = catalog
        .packages()
        .iter()
        .filter_map(|p| p.overlay.as_deref())
        .chain(
            catalog
                .services()
                .iter()
                .filter_map(|s| s.overlay.as_deref()),
        );
    for overlay in overlays {
        assert!(OVERLAYS.contains(&overlay), "unknown overlay {overlay}");
    }
    assert_eq!(
        catalog.package("podman").and_then(|p| p.overlay.as_deref()),
        Some("podman")
    );
    assert_eq!(
        catalog
            .package("systemd")
            .and_then(|p| p.overlay.as_deref()),
        Some("systemd")
    );
    // The distro's jtreg overlay provides the OpenJDK CI suite's harness.
    let jtreg = catalog.package("jtreg").expect("jtreg");
    assert_eq!(jtreg.status, Status::Verified);
    assert_eq!(jtreg.overlay.as_deref(), Some("jtreg"));
}

#[test]
fn capability_ids_are_kebab_case() {
    let catalog = catalog();
    let ids = catalog
        .packages()
        .iter()
        .flat_map(|p| &p.needs)
        .chain(catalog.services().iter().flat_map(|s| &s.needs))
        .chain(catalog.limitations().iter().flat_map(|l| &l.capabilities));
    for id in ids {
        assert!(
            !id.is_empty()
                && id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "bad capability id `{id}`"
        );
    }
}

#[test]
fn services_are_spec_v1() {
    let catalog = catalog();
    let names: BTreeSet<&str> = catalog
        .services()
        .iter()
        .filter(|s| s.kind != ServiceKind::Module)
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(names, SPEC_V1_SERVICES.into_iter().collect());
    assert!(
        catalog
            .services()
            .iter()
            .filter(|s| s.kind == ServiceKind::Module)
            .count()
            >= 20,
        "the catalog covers the NixOS modules people commonly enable"
    );

    let xfce = catalog.service("xfce").expect("xfce");
    assert_eq!(xfce.kind, ServiceKind::Desktop);
    assert!(xfce.install_time_only);
    assert_eq!(xfce.status, Status::Verified);

    let podman = catalog.service("podman").expect("podman");
    assert_eq!(podman.status, Status::Verified);
    assert_eq!(podman.enable_option(), "virtualisation.podman.enable");
    assert!(podman.limitations.iter().any(|l| l.contains("vfs")));

    let docker = catalog.service("docker").expect("docker");
    assert_eq!(docker.status, Status::Broken);
    assert_eq!(docker.alternative.as_deref(), Some("podman"));
    assert_eq!(docker.enable_option(), "virtualisation.docker.enable");

    assert!(
        catalog
            .services()
            .iter()
            .filter(|s| s.kind == ServiceKind::Desktop)
            .all(|s| s.name == "xfce")
    );
}

#[test]
fn forced_settings_cover_upstream() {
    let catalog = catalog();

    let udev = catalog.forced_option("services.udev.enable").expect("udev");
    assert_eq!(
        udev.value,
        ForcedValue::Literal(toml::Value::Boolean(false))
    );
    assert_eq!(udev.kind, ForcedKind::Forced);

    let packages = catalog
        .forced_option("environment.systemPackages")
        .expect("systemPackages");
    assert_eq!(
        packages.kind,
        ForcedKind::TemplateDefault,
        "the unconditional entry wins"
    );

    let resolv = catalog
        .forced_option("systemd.services.resolvconf.enable")
        .expect("resolvconf");
    assert_eq!(resolv.spec_key.as_deref(), Some("networking.nameservers"));

    let containers = catalog
        .forced_option("virtualisation.containers.containersConf.settings.containers")
        .expect("containers");
    match &containers.value {
        ForcedValue::Literal(toml::Value::Table(table)) => assert_eq!(
            table.get("netns").and_then(toml::Value::as_str),
            Some("host")
        ),
        other => panic!("expected a table, got {other:?}"),
    }
    for option in [
        "nix.settings.sandbox",
        "documentation.info.enable",
        "boot.loader.grub.enable",
    ] {
        assert!(
            catalog
                .forced_option(option)
                .is_some_and(|f| f.spec_key.is_some()),
            "{option} should name its spec key"
        );
    }
    assert!(catalog.forced_option("no.such.option").is_none());
}

#[test]
fn only_test_is_a_verified_rebuild_action() {
    let catalog = catalog();
    let verified: Vec<&str> = catalog
        .rebuild_actions()
        .iter()
        .filter(|a| a.status == ActionStatus::Verified)
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(verified, ["test"]);
    let names: BTreeSet<&str> = catalog
        .rebuild_actions()
        .iter()
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(
        names,
        ["boot", "build", "dry-build", "switch", "test"]
            .into_iter()
            .collect()
    );
    assert_eq!(
        catalog.rebuild_action("switch").map(|a| a.status),
        Some(ActionStatus::Unsupported)
    );
    for name in ["build", "dry-build"] {
        let action = catalog.rebuild_action(name).expect(name);
        assert_eq!(action.status, ActionStatus::Works);
        assert!(!action.activates && !action.boot_default);
    }
    let test = catalog.rebuild_action("test").expect("test");
    assert!(test.activates && !test.boot_default);
}

#[test]
fn limitations_cover_the_kernel_gaps() {
    let catalog = catalog();
    for id in [
        "seccomp",
        "bpf",
        "kvm",
        "kernel-modules",
        "sysv-shm",
        "ipv6",
    ] {
        assert!(
            catalog.limitations().iter().any(|l| l.area == LimitationArea::Kernel && l.capabilities.iter().any(|c| c == id)),
            "no kernel limitation about {id}"
        );
    }
}

#[test]
fn search_ranks_exact_matches_first() {
    let catalog = catalog();
    let attrs = |query: &str| -> Vec<String> {
        catalog
            .search_packages(query)
            .iter()
            .map(|p| p.display_name().to_owned())
            .collect()
    };
    assert_eq!(
        attrs("python3").first().map(String::as_str),
        Some("python3")
    );
    assert_eq!(attrs("PyTorch"), ["python3"]);
    assert_eq!(attrs("MOUSEPAD"), ["xfce.mousepad"]);
    let nginx = attrs("nginx");
    assert_eq!(nginx.first().map(String::as_str), Some("nginx"));
    let go = attrs("go");
    assert_eq!(
        go.first().map(String::as_str),
        Some("go"),
        "exact before prefix: {go:?}"
    );
    assert!(go.iter().any(|a| a == "go-task"));
    let browsers = attrs("web browsers");
    assert_eq!(browsers, ["firefox", "links2", "w3m"]);
    assert!(attrs("").is_empty());
    assert!(attrs("no-such-package-anywhere").is_empty());
}

/// Every capability id the distro catalog mentions, with the entry that mentions it.
fn capability_references() -> Vec<(String, &'static str)> {
    let catalog = catalog();
    let packages = catalog.packages().iter().flat_map(|p| {
        p.needs
            .iter()
            .map(|id| (p.display_name().to_owned(), id.as_str()))
    });
    let services = catalog
        .services()
        .iter()
        .flat_map(|s| s.needs.iter().map(|id| (s.name.clone(), id.as_str())));
    let limitations = catalog.limitations().iter().flat_map(|l| {
        l.capabilities
            .iter()
            .map(|id| (l.item.clone(), id.as_str()))
    });
    packages.chain(services).chain(limitations).collect()
}

#[test]
fn capability_ids_exist_in_the_kernel_catalog() {
    let references = capability_references();
    assert!(
        references.len() > 40,
        "expected many capability references, got {}",
        references.len()
    );
    for (entry, id) in references {
        assert!(
            kernel().capability(id).is_some(),
            "{entry}: capability `{id}` is not in aster-kernel"
        );
    }
}

#[test]
fn broken_entries_need_what_the_kernel_lacks_and_verified_ones_what_it_has() {
    let catalog = catalog();
    let support = |id: &str| kernel().capability(id).map(|c| c.support);
    let entries = catalog
        .packages()
        .iter()
        .map(|p| (p.display_name(), p.status, &p.needs))
        .chain(
            catalog
                .services()
                .iter()
                .map(|s| (s.name.as_str(), s.status, &s.needs)),
        );
    for (name, status, needs) in entries {
        for id in needs {
            let support = support(id);
            match status {
                Status::Broken => assert!(
                    matches!(support, Some(Support::Unsupported | Support::Partial)),
                    "broken {name} needs `{id}`, which the kernel supports ({support:?})"
                ),
                Status::Verified => assert!(
                    support.is_some_and(Support::is_available),
                    "verified {name} needs `{id}`, which the kernel lacks ({support:?})"
                ),
                Status::Untested => assert!(support.is_some(), "{name}: unknown capability `{id}`"),
            }
        }
    }
}

#[test]
fn services_are_found_by_their_enable_option() {
    let catalog = catalog();
    for service in catalog.services() {
        let option = service.enable_option();
        assert!(
            option.ends_with(".enable") || option.ends_with(".<name>"),
            "{}: {option}",
            service.name
        );
        assert_eq!(
            catalog
                .service_by_enable_option(option)
                .map(|s| s.name.as_str()),
            Some(service.name.as_str())
        );
    }
    // Spelled as the compiler writes them.
    let by = |path: &str| {
        catalog
            .service_by_enable_option(path)
            .map(|s| s.name.as_str())
    };
    assert_eq!(by("services.openssh.enable"), Some("openssh"));
    assert_eq!(by("virtualisation.podman.enable"), Some("podman"));
    assert_eq!(
        by("services.xserver.desktopManager.xfce.enable"),
        Some("xfce")
    );
    assert_eq!(by(r#"services.redis.servers."".enable"#), Some("redis"));
    assert_eq!(by("services.openssh.ports"), None);
}

#[test]
fn acme_has_a_row_with_its_honest_status() {
    // The compiler's ACME warning (check/tls.rs) takes its words from this row.
    let row = catalog().service("acme").expect("acme");
    assert_eq!(row.status, Status::Untested);
    assert!(row.note.as_deref().is_some_and(|n| n.contains("port 80")));
}
