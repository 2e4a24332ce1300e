//! What cannot be added to a running system: catalog entries marked `install-time-only` (Xfce:
//! enabling it through `nixos-rebuild` after the install does not work yet).
//!
//! `check` cannot know whether a spec is being installed or applied to a running machine; `plan`
//! and `apply` can, because they compare the previous generation's spec with the new one. When
//! an install-time-only entry appears in the new spec and the previous one did not have it, the
//! change is named here with the catalog's reason, and `apply` refuses it: a system that would
//! pass every check and still not start its desktop is the worst outcome.

use aster_compiler::Spec;
use serde_json::Value;

/// How sure the plan is that the entry is being added to a system installed without it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    /// The previous generation's spec does not have it.
    PreviousSpecLacksIt,
    /// No previous spec is recorded (first apply on this machine): the system may or may not
    /// have been installed with it.
    NoPreviousSpec,
}

/// One install-time-only entry that the new spec turns on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstallTimeOnly {
    /// Catalog name, e.g. `xfce`.
    pub name: String,
    /// Where it is in the spec, e.g. `[desktop]`.
    pub section: String,
    /// Why, from the catalog: its first limitation, or a generic sentence.
    pub reason: String,
    /// How the distro starts it, which is why it cannot be turned on later (the catalog's
    /// `mechanism`, when it has one).
    pub mechanism: Option<&'static str>,
    /// Upstream source of the fact.
    pub source: String,
    /// What the comparison is based on.
    pub evidence: Evidence,
}

impl std::fmt::Display for InstallTimeOnly {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let added = match self.evidence {
            Evidence::PreviousSpecLacksIt => {
                "the installed generation does not have it, so this adds it to a running system"
            }
            Evidence::NoPreviousSpec => {
                "no earlier spec is recorded here, so unless this machine was installed with it, this adds it to a running system"
            }
        };
        write!(
            f,
            "{} turns on `{}`, which must be in the spec at install time: {added}. Why: ",
            self.section, self.name
        )?;
        if let Some(mechanism) = self.mechanism {
            write!(f, "{mechanism}. ")?;
        }
        write!(
            f,
            "{} (source: upstream {}). Install the machine with this spec instead (`aster-config build --full SPEC -o DIR`, then nixos-install), or remove {} to apply the rest.",
            self.reason.trim_end_matches('.'),
            self.source,
            self.section
        )
    }
}

/// Install-time-only entries that `after` turns on and `before` (the previous generation's spec,
/// `None` when none is recorded) does not.
pub fn added(before: Option<&Value>, after: &Value) -> Vec<InstallTimeOnly> {
    let on = |spec: &Value| -> Vec<(String, String)> {
        serde_json::from_value::<Spec>(spec.clone())
            .map(|spec| turned_on(&spec))
            .unwrap_or_default()
    };
    let previous = before.map(on);
    let catalog = aster_distro::catalog();
    on(after)
        .into_iter()
        .filter(|entry| previous.as_ref().is_none_or(|p| !p.contains(entry)))
        .filter_map(|(name, section)| {
            let service = catalog.service(&name).filter(|s| s.install_time_only)?;
            Some(InstallTimeOnly {
                reason: service.limitations.first().cloned().unwrap_or_else(|| {
                    "It can only be turned on while installing, not later through nixos-rebuild."
                        .to_owned()
                }),
                source: service.source.clone(),
                mechanism: service.mechanism.as_deref(),
                evidence: if previous.is_some() {
                    Evidence::PreviousSpecLacksIt
                } else {
                    Evidence::NoPreviousSpec
                },
                name,
                section,
            })
        })
        .collect()
}

/// Catalog names the spec turns on, with the section that does it.
fn turned_on(spec: &Spec) -> Vec<(String, String)> {
    let mut names: Vec<(String, String)> = spec
        .services
        .enabled()
        .into_iter()
        .map(|name| {
            (
                name.as_str().to_owned(),
                format!("[services.{}]", name.as_str()),
            )
        })
        .collect();
    if let Some(desktop) = &spec.desktop {
        let name = serde_json::to_value(desktop.environment)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        names.push((name, "[desktop]".to_owned()));
    }
    names
}

#[cfg(test)]
mod tests {
    use super::{Evidence, added};
    use serde_json::json;

    #[test]
    fn a_desktop_added_to_a_recorded_spec_is_named_with_the_catalog_reason() {
        let before = json!({ "system": { "hostname": "a" } });
        let after = json!({ "system": { "hostname": "a" }, "desktop": { "environment": "xfce" } });
        let found = added(Some(&before), &after);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].name, "xfce");
        assert_eq!(found[0].evidence, Evidence::PreviousSpecLacksIt);
        assert!(
            found[0].reason.contains("nixos-rebuild"),
            "{}",
            found[0].reason
        );
        let said = found[0].to_string();
        assert!(
            said.contains("must be in the spec at install time"),
            "{said}"
        );
        assert!(
            said.contains("Why: Asterinas NixOS has no display manager"),
            "{said}"
        );
        assert!(said.ends_with("to apply the rest."), "{said}");
        // Kept from the previous spec: nothing is added.
        assert!(added(Some(&after), &after).is_empty());
        // No previous spec: said with less certainty.
        assert_eq!(added(None, &after)[0].evidence, Evidence::NoPreviousSpec);
    }
}
