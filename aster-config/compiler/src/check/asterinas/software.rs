//! Packages and services against the distro catalog: broken ones are errors with the missing
//! kernel capability and the alternative, untested ones are warnings unless allowed, and the
//! limitations upstream documents (Xfce only at first install) are warnings with the fact.

use super::super::Context;
use super::capability_reason;
use crate::diagnostic::{Code, Diagnostic};
use crate::spec::keys;
use crate::tree::key_path;
use aster_distro::{Status, catalog};
use std::sync::OnceLock;

pub fn check(cx: &mut Context<'_>) {
    packages(cx);
    services(cx);
    desktop(cx);
}

fn packages(cx: &mut Context<'_>) {
    let spec = cx.spec;
    for (index, attr) in spec.packages.install.iter().enumerate() {
        let here = key_path![keys::PACKAGES, keys::INSTALL, index];
        if crate::check::names::attr_path(attr).is_err() || attr.starts_with("pkgs.") {
            continue; // already reported as a malformed attribute path or a `pkgs.` prefix
        }
        let entry = catalog().package(attr);
        match entry.map(|p| p.status) {
            Some(Status::Broken) => {
                let package = entry.expect("matched Some");
                let mut diagnostic = Diagnostic::new(
                    Code::BrokenPackage,
                    format!("`{attr}` does not work on Asterinas NixOS"),
                )
                .at(cx.span(&here), "known not to work");
                diagnostic.help = Some(broken_help(
                    package.reason.as_deref(),
                    &package.needs,
                    package.alternative.as_deref(),
                ));
                if let Some(alternative) = package
                    .alternative
                    .as_deref()
                    .filter(|a| catalog().package(a).is_some())
                {
                    diagnostic = diagnostic.suggest(cx.span(&here), format!("\"{alternative}\""));
                    diagnostic.help = Some(broken_help(
                        package.reason.as_deref(),
                        &package.needs,
                        Some(alternative),
                    ));
                }
                cx.report(diagnostic);
            }
            Some(Status::Verified) => {}
            status => {
                if spec.packages.allow_untested.contains(attr) {
                    continue;
                }
                let why = match status {
                    Some(_) => entry.and_then(|p| p.note.clone()).unwrap_or_else(|| "it is listed but was not tested upstream".to_owned()),
                    None => "it is not in the Asterinas NixOS catalog, so nobody has tried it on the Asterinas kernel".to_owned(),
                };
                let diagnostic = Diagnostic::new(
                    Code::UntestedPackage,
                    format!("`{attr}` is not verified on Asterinas NixOS: {why}"),
                )
                .at(cx.span(&here), "untested");
                // A name the catalog lacks but nearly has is most likely a typo: offer the
                // catalog's name (no nixpkgs needed) and do not advise allow-listing the typo.
                let typo_of = entry
                    .is_none()
                    .then(|| closest_catalog_package(attr))
                    .flatten();
                cx.report(match typo_of {
                    Some(best) => diagnostic
                        .help(format!("did you mean `{best}`? it is in the Asterinas NixOS catalog; `aster-config packages` lists every package known to work"))
                        .suggest(cx.span(&here), format!("\"{best}\"")),
                    None => diagnostic.help(format!("it may need a kernel feature Asterinas lacks; add `allow-untested = [\"{attr}\"]` to [packages] to accept it, or see `aster-config packages`")),
                });
            }
        }
    }
}

/// The catalog package (one that is not known broken) whose attribute is closest to `attr`.
///
/// A spec may list many thousands of packages the catalog lacks, so names that cannot reach the
/// suggestion threshold are dropped first by their letters alone (see [`Letters`]) before the
/// costly edit distance runs; the catalog's side is computed once.
fn closest_catalog_package(attr: &str) -> Option<&'static str> {
    static NAMES: OnceLock<Vec<(&'static str, Letters)>> = OnceLock::new();
    let names = NAMES.get_or_init(|| {
        catalog()
            .packages()
            .iter()
            .filter(|p| p.status != Status::Broken)
            .filter_map(|p| p.attr.as_deref())
            .map(|name| (name, Letters::of(name)))
            .collect()
    });
    let wanted = Letters::of(attr);
    let near = names
        .iter()
        .filter(|(_, letters)| wanted.may_be_close(letters))
        .map(|(name, _)| *name);
    crate::util::suggest::closest(attr, near)
}

/// How often each ASCII letter occurs in a name, compared as `util::suggest` compares (lower
/// case, `_` read as `-`); `None` for names with other characters, which are never filtered out.
struct Letters(Option<([u16; 128], usize)>);

impl Letters {
    fn of(name: &str) -> Self {
        if !name.is_ascii() || name.len() > usize::from(u16::MAX) {
            return Self(None);
        }
        let mut counts = [0u16; 128];
        for byte in name.bytes() {
            let byte = if byte == b'_' {
                b'-'
            } else {
                byte.to_ascii_lowercase()
            };
            counts[usize::from(byte)] += 1;
        }
        Self(Some((counts, name.len())))
    }

    /// False when the two names cannot be similar enough for a suggestion. The bag distance
    /// (letters one has beyond the other, whichever side has more) never exceeds the
    /// Damerau-Levenshtein distance: a substitution or an insertion changes it by at most one,
    /// a transposition not at all.
    fn may_be_close(&self, other: &Self) -> bool {
        let (Some((mine, my_len)), Some((theirs, their_len))) = (&self.0, &other.0) else {
            return true;
        };
        let (mut extra_mine, mut extra_theirs) = (0u32, 0u32);
        for (a, b) in mine.iter().zip(theirs) {
            extra_mine += u32::from(a.saturating_sub(*b));
            extra_theirs += u32::from(b.saturating_sub(*a));
        }
        let longest = (*my_len).max(*their_len);
        // similarity = 1 - distance / longest >= THRESHOLD, in integers (THRESHOLD is 0.6).
        longest == 0 || 5 * extra_mine.max(extra_theirs) as usize <= 2 * longest
    }
}

pub(super) fn broken_help(
    reason: Option<&str>,
    needs: &[String],
    alternative: Option<&str>,
) -> String {
    let mut help = reason
        .unwrap_or("upstream reports it as not working")
        .to_owned();
    if !needs.is_empty() {
        help.push_str("\nmissing from the kernel:");
        for id in needs {
            help.push_str("\n- ");
            help.push_str(capability_reason(id).trim_end_matches('.'));
        }
    }
    match alternative {
        // The one alternative with a spec section of its own: show the lines to write.
        Some(name) if name.starts_with("podman") => help.push_str(
            "\nuse podman instead; in the spec write:\n  [services.podman]\n  docker-compat = true   # a `docker` command that runs podman",
        ),
        Some(alternative) => help.push_str(&format!("\nuse `{alternative}` instead")),
        None => {}
    }
    help
}

fn services(cx: &mut Context<'_>) {
    let spec = cx.spec;
    for name in spec.services.enabled() {
        let here = key_path![keys::SERVICES, name.as_str()];
        let Some(service) = catalog().service(name.as_str()) else {
            continue;
        };
        let allowed = spec
            .services
            .allow_untested
            .iter()
            .any(|a| a == name.as_str());
        match service.status {
            Status::Broken => {
                cx.report(
                    Diagnostic::new(
                        Code::BrokenService,
                        format!("the `{name}` service does not work on Asterinas NixOS"),
                    )
                    .at(cx.key_span(&here), "known not to work")
                    .help(broken_help(
                        service.reason.as_deref(),
                        &service.needs,
                        service
                            .alternative
                            .as_deref()
                            .map(|a| a.trim_start_matches("services.")),
                    )),
                );
            }
            Status::Untested if !allowed => {
                let mut help = service
                    .note
                    .clone()
                    .or_else(|| service.reason.clone())
                    .unwrap_or_else(|| "upstream has not tested it".to_owned());
                for limitation in &service.limitations {
                    help.push_str("\n- ");
                    help.push_str(limitation);
                }
                help.push_str(&format!(
                    "\nadd `allow-untested = [\"{name}\"]` under [services] to accept it"
                ));
                cx.report(
                    Diagnostic::new(
                        Code::UntestedService,
                        format!("the `{name}` service is not verified on Asterinas NixOS"),
                    )
                    .at(cx.key_span(&here), "untested")
                    .help(help),
                );
            }
            Status::Verified if !allowed && !service.limitations.is_empty() => {
                cx.report(
                    limitation(name.as_str(), &service.limitations, &service.source)
                        .at(cx.key_span(&here), "works, with limits"),
                );
            }
            _ => {}
        }
    }
}

fn desktop(cx: &mut Context<'_>) {
    if cx.spec.desktop.is_none() || cx.spec.services.allow_untested.iter().any(|a| a == "xfce") {
        return;
    }
    let Some(xfce) = catalog().service("xfce") else {
        return;
    };
    let mut facts: Vec<String> = xfce.limitations.clone();
    if xfce.install_time_only && facts.is_empty() {
        facts.push(
            "Xfce must be part of the first installation; nixos-rebuild cannot add it later"
                .to_owned(),
        );
    }
    let diagnostic = limitation("xfce", &facts, &xfce.source)
        .at(cx.key_span(&key_path![keys::DESKTOP]), "works, with limits");
    cx.report(diagnostic);
}

/// One warning listing every documented limit of a verified service.
pub(super) fn limitation(name: &str, facts: &[String], source: &str) -> Diagnostic {
    let mut help = facts
        .iter()
        .map(|f| format!("- {f}"))
        .collect::<Vec<_>>()
        .join("\n");
    // `services.allow-untested` acknowledges desktops too, though a desktop is not a service:
    // say where the list is without calling the desktop one.
    let desktop = catalog()
        .service(name)
        .is_some_and(|s| s.kind == aster_distro::ServiceKind::Desktop);
    let acknowledge = if desktop {
        format!(
            "to acknowledge, add `allow-untested = [\"{name}\"]` to [services]: that list takes desktops as well as services"
        )
    } else {
        format!("add `allow-untested = [\"{name}\"]` under [services] to acknowledge")
    };
    help.push_str(&format!("\n(source: {source}; {acknowledge})"));
    Diagnostic::new(
        Code::Limitation,
        format!("`{name}` works on Asterinas NixOS with limits worth knowing"),
    )
    .help(help)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_letter_filter_keeps_typos_and_drops_strangers() {
        let close = |a: &str, b: &str| Letters::of(a).may_be_close(&Letters::of(b));
        assert!(close("vmi", "vim"));
        assert!(close("Git", "git"));
        assert!(close("python_3", "python-3"));
        assert!(
            close("abcde", "abcxy"),
            "distance 2 of 5 is exactly the threshold"
        );
        assert!(!close("abcde", "axyzw"));
        assert!(!close("p12345", "vim"));
        assert!(
            crate::util::suggest::THRESHOLD.to_bits() == 0.6f64.to_bits(),
            "the integer form above assumes 0.6"
        );
        assert_eq!(closest_catalog_package("vmi"), Some("vim"));
        assert_eq!(closest_catalog_package("p12345"), None);
    }
}
