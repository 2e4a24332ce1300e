//! `[system]` and `spec-version`: version, host name, time zone, locale, state version.

use super::final_options::Origin;
use super::{Context, names};
use crate::diagnostic::{Code, Diagnostic};
use crate::spec::CURRENT_SPEC_VERSION;
use crate::spec::keys;
use crate::tree::key_path;
use crate::util::suggest::closest;

pub fn check(cx: &mut Context<'_>) {
    let spec = cx.spec;
    if let Some(version) = spec.spec_version.filter(|v| *v != CURRENT_SPEC_VERSION) {
        cx.report(
            Diagnostic::new(Code::UnsupportedSpecVersion, format!("spec-version {version} is not known to this aster-config, which reads version {CURRENT_SPEC_VERSION}"))
                .at(cx.span(&key_path![keys::SPEC_VERSION]), "unknown version")
                .help(if version > CURRENT_SPEC_VERSION { "upgrade aster-config to read this spec" } else { "set `spec-version = 1`" }),
        );
    }
    let system = &spec.system;
    if let Err(why) = names::hostname(&system.hostname) {
        cx.report(
            Diagnostic::new(
                Code::InvalidHostname,
                format!(
                    "`{}` is not a valid host name: {why}",
                    system.hostname.escape_debug()
                ),
            )
            .at(
                cx.span(&key_path![keys::SYSTEM, keys::HOSTNAME]),
                "invalid host name",
            )
            .help("use one label of letters, digits and `-`, such as \"web-01\""),
        );
    }
    if let Some(timezone) = &system.timezone {
        let here = cx.span(&key_path![keys::SYSTEM, keys::TIMEZONE]);
        if let Some(diagnostic) = timezone_diagnostic(timezone, "", here, true) {
            cx.report(diagnostic);
        }
    }
    raw_timezones(cx);
    if let Some(locale) = &system.locale
        && !locale_is_valid(locale)
    {
        cx.report(
            Diagnostic::new(
                Code::InvalidLocale,
                format!("`{}` is not a locale name", locale.escape_debug()),
            )
            .at(
                cx.span(&key_path![keys::SYSTEM, keys::LOCALE]),
                "expected language_COUNTRY.CHARSET",
            )
            .help("use a name such as \"en_US.UTF-8\", \"de_DE.UTF-8\" or \"C.UTF-8\""),
        );
    }
    if let Err(why) = state_version_problem(&system.state_version) {
        cx.report(
            Diagnostic::new(
                Code::InvalidStateVersion,
                format!("`{}` {why}", system.state_version.escape_debug()),
            )
            .at(
                cx.span(&key_path![keys::SYSTEM, keys::STATE_VERSION]),
                "not a release this system can have started from",
            )
            .help(
                "use the release you first installed with; Asterinas NixOS is based on \"25.05\"",
            ),
        );
    }
}

/// `time.timeZone` as `[nixos]` or a module writes it: the same tz database check as
/// `system.timezone` (NixOS itself only refuses spaces, and a misspelt zone leaves the machine
/// on UTC).
fn raw_timezones(cx: &mut Context<'_>) {
    let zones: Vec<(String, String, Option<crate::diagnostic::Span>)> = cx
        .leaves
        .iter()
        .filter(|l| !matches!(l.origin, Origin::Section(_)) && l.path == ["time", "timeZone"])
        .filter_map(|l| Some((l.value.as_str()?.to_owned(), l.place(), l.span.clone())))
        .collect();
    for (zone, place, span) in zones {
        if let Some(diagnostic) =
            timezone_diagnostic(&zone, &format!(" (`time.timeZone` {place})"), span, false)
        {
            cx.report(diagnostic);
        }
    }
}

/// The error for a time zone the tz database does not have, with the closest name as help (and,
/// with `suggest`, as a replacement of the value at `span`, a TOML string); `where_` follows the
/// zone in the message.
fn timezone_diagnostic(
    zone: &str,
    where_: &str,
    span: Option<crate::diagnostic::Span>,
    suggest: bool,
) -> Option<Diagnostic> {
    let why = timezone_problem(zone).err()?;
    let diagnostic = Diagnostic::new(
        Code::InvalidTimezone,
        format!(
            "`{}`{where_} is not a time zone: {why}",
            zone.escape_debug()
        ),
    )
    .at(span.clone(), "invalid time zone");
    Some(match closest_timezone(zone) {
        Some(best) if suggest => diagnostic.suggest(span, format!("\"{best}\"")),
        Some(best) => diagnostic.help(format!("did you mean `{best}`?")),
        None => diagnostic.help(
            "use a tz database name such as \"Europe/Berlin\", \"America/New_York\" or \"UTC\"",
        ),
    })
}

/// Every name in the IANA tz database that glibc (and so NixOS's `time.timeZone`) knows, from
/// `chrono-tz`'s copy of the database.
fn timezones() -> impl Iterator<Item = &'static str> {
    chrono_tz::TZ_VARIANTS.iter().map(|zone| zone.name())
}

/// Why `zone` is not a tz database name: the closest shape problem first, then absence from the
/// database (a typo such as `Europe/Berln` is well-formed but names no zone, and NixOS would
/// build a system whose clock silently falls back to UTC).
fn timezone_problem(zone: &str) -> Result<(), String> {
    if timezones().any(|name| name == zone) {
        return Ok(());
    }
    if zone.is_empty() {
        return Err("it is empty".into());
    }
    if zone.contains(char::is_whitespace) {
        return Err("it contains a space (tz names use `_`)".into());
    }
    if zone.split('/').any(|part| part.is_empty() || part == "..") {
        return Err("its parts must be names separated by single `/`".into());
    }
    if let Some(c) = zone
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '-' | '+')))
    {
        return Err(format!("it contains `{}`", c.escape_default()));
    }
    Err("the tz database has no zone of that name".into())
}

/// The tz name closest to a misspelt one; spaces are read as the `_` tz names use.
fn closest_timezone(zone: &str) -> Option<&'static str> {
    if zone.split('/').any(|part| part == "..") {
        return None;
    }
    closest(&zone.replace(' ', "_"), timezones())
}

fn locale_is_valid(locale: &str) -> bool {
    let (name, charset) = locale.split_once('.').unwrap_or((locale, ""));
    let name = name.split_once('@').map_or(name, |(n, _)| n);
    let language_ok =
        |l: &str| (2..=3).contains(&l.len()) && l.chars().all(|c| c.is_ascii_lowercase());
    let name_ok = match name.split_once('_') {
        Some((language, country)) => {
            language_ok(language)
                && country.len() == 2
                && country.chars().all(|c| c.is_ascii_uppercase())
        }
        None => name == "C" || name == "POSIX" || language_ok(name),
    };
    let charset_ok = charset.is_empty()
        || charset
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-');
    name_ok && charset_ok
}

/// NixOS releases up to the one Asterinas NixOS is based on (a state version cannot be newer
/// than the release the system runs).
const RELEASES: &[&str] = &[
    "13.10", "14.04", "14.12", "15.09", "16.03", "16.09", "17.03", "17.09", "18.03", "18.09",
    "19.03", "19.09", "20.03", "20.09", "21.05", "21.11", "22.05", "22.11", "23.05", "23.11",
    "24.05", "24.11", "25.05",
];

/// What is wrong with a state version, in words that are true both ways: a real release newer
/// than the distro's base is named as such, not as "not a release".
fn state_version_problem(version: &str) -> Result<(), String> {
    if RELEASES.contains(&version) {
        return Ok(());
    }
    let newer = version.split_once('.').is_some_and(|(year, month)| {
        year.len() == 2
            && year.chars().all(|c| c.is_ascii_digit())
            && matches!(month, "05" | "11")
            && year >= "25"
    });
    if newer {
        Err("is newer than 25.05, the NixOS release Asterinas NixOS is based on; a system cannot have been installed with a release it does not run".to_owned())
    } else {
        Err("is not a NixOS release (releases are written YY.MM, e.g. 24.11 or 25.05)".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_common_values() {
        assert!(timezone_problem("Europe/Berlin").is_ok());
        assert!(timezone_problem("America/Argentina/Buenos_Aires").is_ok());
        assert!(timezone_problem("UTC").is_ok());
        assert!(timezone_problem("Europe/Berln").is_err_and(|why| why.contains("no zone")));
        assert_eq!(closest_timezone("Europe/Berln"), Some("Europe/Berlin"));
        assert_eq!(closest_timezone("europe/berlin"), Some("Europe/Berlin"));
        assert_eq!(
            closest_timezone("America/New York"),
            Some("America/New_York")
        );
        assert_eq!(closest_timezone("../etc"), None);
        assert!(timezone_problem("Europe Berlin").is_err());
        assert!(timezone_problem("../etc").is_err());
        assert!(locale_is_valid("en_US.UTF-8"));
        assert!(locale_is_valid("C.UTF-8"));
        assert!(locale_is_valid("de_DE@euro.ISO-8859-15"));
        assert!(!locale_is_valid("english"));
        assert!(!locale_is_valid("en-US.UTF-8"));
        assert!(state_version_problem("25.05").is_ok());
        assert!(state_version_problem("20.09").is_ok());
        assert!(state_version_problem("25.11").is_err_and(|why| why.contains("newer")));
        assert!(
            state_version_problem("25.5").is_err_and(|why| why.contains("not a NixOS release"))
        );
        assert!(state_version_problem("latest").is_err());
    }
}
