//! Reads and checks the catalog's TOML files (`catalog/*.toml`) into [`CatalogRows`].
//!
//! This runs at build time: `build.rs` includes this file, and a broken catalog file fails the
//! build with the file's name and the problem. The crate's unit tests include it too, to prove
//! that broken text is rejected. Nothing parses TOML at run time.
//!
//! The rules: known keys and status words only (the types say so); per file, no duplicates,
//! a `source` everywhere and a `reason` for every broken entry (plus each file's own rules
//! below); across files, every `requires` and `alternative` names a catalog entry, and an
//! alternative is not broken itself.

use std::collections::BTreeSet;
use std::fmt;

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::forced::{ForcedKind, ForcedSetting, ForcedValue};
use crate::limitations::Limitation;
use crate::packages::Package;
use crate::rebuild::RebuildAction;
use crate::services::Service;
use crate::status::Status;

/// Every row of the five catalog files, checked: what `build.rs` encodes.
#[derive(Debug, Clone)]
pub struct CatalogRows {
    /// `packages.toml`, in file order.
    pub packages: Vec<Package>,
    /// `services.toml`, in file order.
    pub services: Vec<Service>,
    /// `forced.toml`, in file order.
    pub forced: Vec<ForcedSetting>,
    /// `rebuild.toml`, in file order.
    pub rebuild_actions: Vec<RebuildAction>,
    /// `limitations.toml`, in file order.
    pub limitations: Vec<Limitation>,
}

/// The text of the five catalog files.
#[derive(Debug, Clone, Copy)]
pub struct CatalogSources<'a> {
    /// Contents of `packages.toml`.
    pub packages: &'a str,
    /// Contents of `services.toml`.
    pub services: &'a str,
    /// Contents of `forced.toml`.
    pub forced: &'a str,
    /// Contents of `rebuild.toml`.
    pub rebuild: &'a str,
    /// Contents of `limitations.toml`.
    pub limitations: &'a str,
}

/// A catalog file that does not parse or breaks a catalog rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogError {
    /// File name, e.g. `packages.toml`.
    pub file: &'static str,
    /// What is wrong (for parse errors, with line and column).
    pub message: String,
}

impl fmt::Display for CatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "distro/catalog/{}: {}", self.file, self.message)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PackagesFile {
    package: Vec<Package>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ServicesFile {
    service: Vec<Service>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ForcedFile {
    setting: Vec<RawForcedSetting>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RebuildFile {
    action: Vec<RebuildAction>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LimitationsFile {
    limitation: Vec<Limitation>,
}

/// A `[[setting]]` as written: exactly one of `value` and `value-text` must be present.
#[derive(Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct RawForcedSetting {
    option: String,
    value: Option<toml::Value>,
    value_text: Option<String>,
    kind: ForcedKind,
    when: Option<String>,
    reason: String,
    spec_key: Option<String>,
    resolution: Option<String>,
    source: String,
}

impl TryFrom<RawForcedSetting> for ForcedSetting {
    type Error = String;

    fn try_from(raw: RawForcedSetting) -> Result<Self, Self::Error> {
        let value = match (raw.value, raw.value_text) {
            (Some(value), None) => {
                reject_datetimes(&raw.option, &value)?;
                ForcedValue::Literal(value)
            }
            (None, Some(text)) => ForcedValue::Expression(text),
            _ => {
                return Err(format!(
                    "forced setting `{}` needs exactly one of `value` and `value-text`",
                    raw.option
                ));
            }
        };
        Ok(Self {
            option: raw.option,
            value,
            kind: raw.kind,
            when: raw.when,
            reason: raw.reason,
            spec_key: raw.spec_key,
            resolution: raw.resolution,
            source: raw.source,
        })
    }
}

/// NixOS has no datetime values, and the embedded form has no room for one.
fn reject_datetimes(option: &str, value: &toml::Value) -> Result<(), String> {
    match value {
        toml::Value::Datetime(datetime) => Err(format!(
            "forced setting `{option}`: {datetime} is a TOML datetime, which NixOS has no value for"
        )),
        toml::Value::Array(items) => items
            .iter()
            .try_for_each(|item| reject_datetimes(option, item)),
        toml::Value::Table(table) => table
            .values()
            .try_for_each(|item| reject_datetimes(option, item)),
        _ => Ok(()),
    }
}

/// Parses and checks catalog files given as text.
pub fn load(sources: &CatalogSources<'_>) -> Result<CatalogRows, CatalogError> {
    let packages = parse::<PackagesFile>("packages.toml", sources.packages)?.package;
    check("packages.toml", check_packages(&packages))?;
    let services = parse::<ServicesFile>("services.toml", sources.services)?.service;
    check("services.toml", check_services(&services))?;
    let forced = parse::<ForcedFile>("forced.toml", sources.forced)?
        .setting
        .into_iter()
        .map(ForcedSetting::try_from)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|message| CatalogError {
            file: "forced.toml",
            message,
        })?;
    check("forced.toml", check_forced(&forced))?;
    let rebuild_actions = parse::<RebuildFile>("rebuild.toml", sources.rebuild)?.action;
    check("rebuild.toml", check_rebuild_actions(&rebuild_actions))?;
    let limitations = parse::<LimitationsFile>("limitations.toml", sources.limitations)?.limitation;
    check("limitations.toml", check_limitations(&limitations))?;
    check_references(&packages, &services)?;
    Ok(CatalogRows {
        packages,
        services,
        forced,
        rebuild_actions,
        limitations,
    })
}

fn parse<T: DeserializeOwned>(file: &'static str, text: &str) -> Result<T, CatalogError> {
    toml::from_str(text).map_err(|error| CatalogError {
        file,
        message: error.to_string(),
    })
}

fn check(file: &'static str, result: Result<(), String>) -> Result<(), CatalogError> {
    result.map_err(|message| CatalogError { file, message })
}

/// Checks the rules a package list must follow; returns the first broken one.
fn check_packages(packages: &[Package]) -> Result<(), String> {
    let mut attrs = BTreeSet::new();
    for package in packages {
        let name = package.display_name();
        if let Some(attr) = &package.attr
            && !attrs.insert(attr.as_str())
        {
            return Err(format!("duplicate package attr `{attr}`"));
        }
        if package.attr.is_none() && package.requires.is_none() {
            return Err(format!(
                "package `{name}` has no `attr`, so it must name the service that provides it in `requires`"
            ));
        }
        if package.source.trim().is_empty() {
            return Err(format!("package `{name}` has an empty `source`"));
        }
        if package.status == Status::Broken
            && package
                .reason
                .as_deref()
                .is_none_or(|r| r.trim().is_empty())
        {
            return Err(format!("broken package `{name}` needs a `reason`"));
        }
        if package.status == Status::Broken && package.needs.is_empty() {
            return Err(format!(
                "broken package `{name}` must name the kernel capabilities it lacks in `needs`"
            ));
        }
    }
    Ok(())
}

/// Checks the rules a service list must follow; returns the first broken one.
fn check_services(services: &[Service]) -> Result<(), String> {
    let mut names = BTreeSet::new();
    let mut enables = BTreeSet::new();
    for service in services {
        let name = service.name.as_str();
        if !names.insert(name) {
            return Err(format!("duplicate service `{name}`"));
        }
        if !enables.insert(service.enable.as_str()) {
            return Err(format!(
                "service `{name}`: another service already has enable = `{}`",
                service.enable
            ));
        }
        // A module without an enable option is turned on by defining any instance of an
        // attribute set (`networking.wg-quick.interfaces.<name>`).
        let switch = service.enable.ends_with(".enable") || service.enable.ends_with(".<name>");
        if !switch || service.enable.contains(char::is_whitespace) {
            return Err(format!(
                "service `{name}`: enable = `{}` must be the NixOS option path ending in `.enable`, or an attribute set of instances ending in `.<name>`",
                service.enable
            ));
        }
        if service.source.trim().is_empty() {
            return Err(format!("service `{name}` has an empty `source`"));
        }
        if service.status == Status::Broken
            && service
                .reason
                .as_deref()
                .is_none_or(|r| r.trim().is_empty())
        {
            return Err(format!("broken service `{name}` needs a `reason`"));
        }
    }
    Ok(())
}

/// Checks the rules an action list must follow; returns the first broken one.
fn check_rebuild_actions(actions: &[RebuildAction]) -> Result<(), String> {
    let mut names = BTreeSet::new();
    for action in actions {
        if !names.insert(action.name.as_str()) {
            return Err(format!("duplicate rebuild action `{}`", action.name));
        }
        if action.source.trim().is_empty() {
            return Err(format!(
                "rebuild action `{}` has an empty `source`",
                action.name
            ));
        }
    }
    Ok(())
}

/// Checks the rules a limitation list must follow; returns the first broken one.
fn check_limitations(limitations: &[Limitation]) -> Result<(), String> {
    for limitation in limitations {
        if limitation.detail.trim().is_empty() || limitation.source.trim().is_empty() {
            return Err(format!(
                "limitation `{}` needs a `detail` and a `source`",
                limitation.item
            ));
        }
    }
    Ok(())
}

/// Checks the rules a forced-settings list must follow; returns the first broken one.
fn check_forced(settings: &[ForcedSetting]) -> Result<(), String> {
    let mut seen = BTreeSet::new();
    for setting in settings {
        let option = setting.option.as_str();
        if !seen.insert((option, setting.when.as_deref())) {
            return Err(format!("duplicate forced setting `{option}`"));
        }
        if (setting.kind == ForcedKind::Conditional) != setting.when.is_some() {
            return Err(format!(
                "forced setting `{option}`: `when` is required for kind conditional and only then"
            ));
        }
        if setting.reason.trim().is_empty() || setting.source.trim().is_empty() {
            return Err(format!(
                "forced setting `{option}` needs a `reason` and a `source`"
            ));
        }
        if setting.resolution.is_some() && setting.spec_key.is_none() {
            return Err(format!(
                "forced setting `{option}` has a `resolution` but no `spec-key`"
            ));
        }
    }
    Ok(())
}

/// Every `requires` and `alternative` must name a catalog entry, and an alternative must not
/// itself be broken.
fn check_references(packages: &[Package], services: &[Service]) -> Result<(), CatalogError> {
    let package = |attr: &str| packages.iter().find(|p| p.attr.as_deref() == Some(attr));
    let service = |name: &str| services.iter().find(|s| s.name == name);
    let check_alternative = |file: &'static str, name: &str, alternative: &str| {
        let status = package(alternative)
            .map(|p| p.status)
            .or_else(|| service(alternative).map(|s| s.status));
        let message = match status {
            None => format!("`{name}` names unknown alternative `{alternative}`"),
            Some(Status::Broken) => {
                format!("`{name}` names alternative `{alternative}`, which is broken itself")
            }
            Some(_) => return Ok(()),
        };
        Err(CatalogError { file, message })
    };
    for entry in packages {
        let name = entry.display_name();
        if let Some(required) = &entry.requires
            && service(required).is_none()
        {
            return Err(CatalogError {
                file: "packages.toml",
                message: format!("package `{name}` requires unknown service `{required}`"),
            });
        }
        if let Some(alternative) = &entry.alternative {
            check_alternative("packages.toml", name, alternative)?;
        }
    }
    for entry in services {
        if let Some(alternative) = &entry.alternative {
            check_alternative("services.toml", &entry.name, alternative)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The real catalog files, as `build.rs` reads them.
    fn embedded() -> CatalogSources<'static> {
        CatalogSources {
            packages: include_str!("../catalog/packages.toml"),
            services: include_str!("../catalog/services.toml"),
            forced: include_str!("../catalog/forced.toml"),
            rebuild: include_str!("../catalog/rebuild.toml"),
            limitations: include_str!("../catalog/limitations.toml"),
        }
    }

    #[test]
    fn the_real_files_load() {
        assert!(load(&embedded()).is_ok());
    }

    /// The embedded tables decode to the files' rows, whether a lookup decodes one row or a
    /// listing decodes the table, and every lookup by key finds its row.
    #[test]
    fn the_embedded_catalog_is_the_files() {
        let rows = load(&embedded()).expect("the real files load");
        let lookups = crate::Catalog::embedded();
        for package in &rows.packages {
            let attr = package.attr.as_deref().unwrap_or("(none)");
            assert_eq!(
                lookups.package(attr),
                package.attr.as_ref().map(|_| package)
            );
        }
        for service in &rows.services {
            assert_eq!(lookups.service(&service.name), Some(service));
            assert_eq!(
                lookups.service_by_enable_option(&service.enable),
                Some(service)
            );
        }
        for setting in &rows.forced {
            let same: Vec<_> = rows
                .forced
                .iter()
                .filter(|f| f.option == setting.option)
                .collect();
            let unconditional = same.iter().find(|f| f.when.is_none());
            let expected = *unconditional.unwrap_or(&same[0]);
            assert_eq!(lookups.forced_option(&setting.option), Some(expected));
        }
        for action in &rows.rebuild_actions {
            assert_eq!(lookups.rebuild_action(&action.name), Some(action));
        }
        assert_eq!(lookups.package("no-such-package"), None);
        assert_eq!(lookups.service("no-such-service"), None);

        let listings = crate::Catalog::embedded();
        assert_eq!(listings.packages(), rows.packages);
        assert_eq!(listings.services(), rows.services);
        assert_eq!(listings.forced(), rows.forced);
        assert_eq!(listings.rebuild_actions(), rows.rebuild_actions);
        assert_eq!(listings.limitations(), rows.limitations);
        let first = &rows.packages[0];
        assert_eq!(
            listings.package(first.attr.as_deref().expect("an attr")),
            Some(first)
        );
    }

    /// Loads the embedded catalog with one file replaced by `text`; returns the error message.
    fn load_error(file: &str, text: &str) -> String {
        let mut sources = embedded();
        match file {
            "packages" => sources.packages = text,
            "services" => sources.services = text,
            "forced" => sources.forced = text,
            "rebuild" => sources.rebuild = text,
            _ => sources.limitations = text,
        }
        match load(&sources) {
            Ok(_) => panic!("catalog with bad {file} loaded"),
            Err(error) => error.to_string(),
        }
    }

    /// A valid package table for attribute `attr`, to build bad files from.
    fn package(attr: &str, extra: &str) -> String {
        format!(
            r#"
    [[package]]
    attr = "{attr}"
    category = "System Core"
    applications = []
    source = "x.md"
    {extra}
    "#
        )
    }

    #[test]
    fn loader_rejects_broken_packages() {
        let verified = package("a", r#"status = "verified""#);
        let message = load_error("packages", &format!("{verified}{verified}"));
        assert!(message.contains("duplicate package attr `a`"), "{message}");

        let no_reason = package("b", "status = \"broken\"\nneeds = [\"bpf\"]");
        assert!(load_error("packages", &no_reason).contains("needs a `reason`"));

        let unknown_field = package("c", "status = \"verified\"\ncolour = \"red\"");
        let message = load_error("packages", &unknown_field);
        assert!(
            message.starts_with("distro/catalog/packages.toml:") && message.contains("colour"),
            "{message}"
        );

        let bad_status = package("d", r#"status = "works""#);
        assert!(load_error("packages", &bad_status).contains("works"));

        let unknown_alternative = package(
            "e",
            "status = \"broken\"\nneeds = [\"bpf\"]\nreason = \"r\"\nalternative = \"nope\"",
        );
        assert!(
            load_error("packages", &unknown_alternative).contains("unknown alternative `nope`")
        );

        let no_attr = r#"
    [[package]]
    status = "verified"
    category = "System Core"
    applications = ["Thing"]
    source = "x.md"
    "#;
        assert!(load_error("packages", no_attr).contains("must name the service"));
    }

    #[test]
    fn loader_rejects_broken_other_files() {
        let both_values = r#"
    [[setting]]
    option = "a.b"
    value = true
    value-text = "true"
    kind = "forced"
    reason = "r"
    source = "x.nix"
    "#;
        assert!(
            load_error("forced", both_values).contains("exactly one of `value` and `value-text`")
        );

        let empty_source = r#"
    [[action]]
    name = "test"
    status = "verified"
    activates = true
    boot-default = false
    summary = "s"
    reason = "r"
    source = " "
    "#;
        assert!(load_error("rebuild", empty_source).contains("empty `source`"));

        let service = r#"
    [[service]]
    name = "s"
    kind = "service"
    status = "untested"
    enable = "services.s.enable"
    source = "x"
    "#;
        let message = load_error("services", &format!("{service}{service}"));
        assert!(message.contains("duplicate service `s`"), "{message}");

        let bad_area = r#"
    [[limitation]]
    area = "moon"
    item = "i"
    status = "limited"
    detail = "d"
    source = "x"
    "#;
        assert!(
            load_error("limitations", bad_area).starts_with("distro/catalog/limitations.toml:")
        );
    }

    #[test]
    fn services_need_a_distinct_enable_option() {
        let service = |name: &str, enable: &str| {
            format!(
                "[[service]]\nname = \"{name}\"\nkind = \"service\"\nstatus = \"untested\"\n\
                 enable = \"{enable}\"\nsource = \"x\"\n"
            )
        };
        let clash = service("a", "services.a.enable") + &service("b", "services.a.enable");
        let message = load_error("services", &clash);
        assert!(message.contains("already has enable"), "{message}");
        let message = load_error("services", &service("a", "services.a.ports"));
        assert!(message.contains("ending in `.enable`"), "{message}");
    }

    #[test]
    fn forced_datetimes_are_rejected() {
        let text = "[[setting]]\noption = \"a.b\"\nvalue = 1979-05-27\nkind = \"forced\"\n\
                    reason = \"r\"\nsource = \"x.nix\"\n";
        assert!(load_error("forced", text).contains("datetime"));
    }
}
