//! Checks of single fleet values: host names, SSH destinations, pins, health checks.
//!
//! Each function returns `None` when the value is fine, or a sentence saying what is wrong.

/// colmena's reserved node names.
const RESERVED: &[&str] = &["defaults", "meta", "network"];

/// What is wrong with a host name, if anything.
pub fn host_name_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("the host name is empty".into());
    }
    if name.len() > 63 {
        return Some(format!(
            "the host name has {} characters; at most 63 fit a host name",
            name.len()
        ));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        return Some(format!(
            "the host name holds `{}`; use lower-case letters, digits and `-`",
            bad.escape_debug()
        ));
    }
    if name.starts_with('-') || name.ends_with('-') {
        return Some("the host name starts or ends with `-`".into());
    }
    if RESERVED.contains(&name) {
        return Some(format!(
            "`{name}` is a name colmena reserves for itself (defaults, meta, network)"
        ));
    }
    None
}

/// A host name lower-cased with other characters turned into `-`, when that makes a valid one.
pub fn host_name_fix(name: &str) -> Option<String> {
    let fixed: String = name
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let fixed = fixed.trim_matches('-').to_owned();
    (host_name_problem(&fixed).is_none() && fixed != name).then_some(fixed)
}

/// An SSH destination split into user and host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Destination {
    /// The user, when given.
    pub user: Option<String>,
    /// The host name or address.
    pub host: String,
}

/// Parses `host` or `user@host`, or says what is wrong.
pub fn destination(target: &str) -> Result<Destination, String> {
    if target.is_empty() {
        return Err("the target is empty".into());
    }
    if target.starts_with('-') {
        return Err("the target starts with `-`, which SSH would read as an option".into());
    }
    if let Some(bad) = target.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "the target holds `{}`; a destination has no spaces or control characters",
            bad.escape_debug()
        ));
    }
    let (user, host) = match target.split_once('@') {
        Some((user, host)) => (Some(user), host),
        None => (None, target),
    };
    if let Some(user) = user {
        let valid = !user.is_empty()
            && user.len() <= 32
            && user
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
            && user
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
        if !valid {
            return Err(format!(
                "`{}` is not a valid user name",
                user.escape_debug()
            ));
        }
    }
    if host.contains('@') {
        return Err("the target has more than one `@`".into());
    }
    if let Some(bracketed) = host.strip_prefix('[') {
        let inner = bracketed
            .strip_suffix(']')
            .ok_or("an IPv6 address must end with `]`")?;
        return inner
            .parse::<std::net::Ipv6Addr>()
            .map(|_| Destination {
                user: user.map(str::to_owned),
                host: inner.to_owned(),
            })
            .map_err(|_| format!("`{inner}` is not an IPv6 address"));
    }
    if host.parse::<std::net::Ipv6Addr>().is_ok() {
        return Ok(Destination {
            user: user.map(str::to_owned),
            host: host.to_owned(),
        });
    }
    if let Some((_, port)) = host.rsplit_once(':') {
        return Err(format!(
            "the target names a port (`:{port}`); write the port as `port = {port}`"
        ));
    }
    let labels_ok = host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        });
    if !labels_ok {
        return Err(format!(
            "`{}` is not a host name or IP address",
            host.escape_debug()
        ));
    }
    Ok(Destination {
        user: user.map(str::to_owned),
        host: host.to_owned(),
    })
}

/// What is wrong with a pin URL, if anything.
pub fn pin_problem(url: &str) -> Option<String> {
    if url
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '\\')
    {
        return Some("holds spaces, quotes or control characters".into());
    }
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("file:///"));
    let Some(rest) = rest else {
        return Some(format!(
            "is `{}`; it must start with https:// (or file:/// for a local tarball)",
            url.escape_debug()
        ));
    };
    let path = rest.split(['?', '#']).next().unwrap_or(rest);
    let tarball = [".tar.gz", ".tgz", ".tar.xz", ".tar.bz2", ".tar.zst", ".tar"]
        .iter()
        .any(|ext| path.ends_with(ext));
    (!tarball)
        .then(|| "does not name a tarball (.tar.gz, .tar.xz, .tar.bz2, .tar.zst, .tgz)".into())
}

/// What is wrong with a health check (the text, and whether it is about the name).
pub fn health_problem(name: &str, command: &str) -> Option<(String, bool)> {
    if name.trim().is_empty() || name.contains(['\n', '\r']) {
        return Some(("a health check needs a one-line name".into(), true));
    }
    if command.trim().is_empty() {
        return Some((format!("health check `{name}` has an empty command"), false));
    }
    if command.contains(['\n', '\r']) {
        return Some((
            format!("health check `{name}` has a command of several lines"),
            false,
        ));
    }
    None
}

/// The known key closest to `key` (case-insensitive match first, then edit distance ≥ 0.6).
pub fn closest<'k>(key: &str, known: &[&'k str]) -> Option<&'k str> {
    if let Some(exact) = known.iter().find(|k| k.eq_ignore_ascii_case(key)) {
        return Some(exact);
    }
    known
        .iter()
        .map(|k| (strsim::normalized_damerau_levenshtein(key, k), *k))
        .filter(|(score, _)| *score >= 0.6)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destinations() {
        assert_eq!(
            destination("root@web-01.example.org"),
            Ok(Destination {
                user: Some("root".into()),
                host: "web-01.example.org".into()
            })
        );
        assert!(destination("10.0.0.5").is_ok());
        assert!(destination("deploy@[fd00::1]").is_ok());
        assert!(destination("-oProxyCommand=x").is_err());
        assert!(destination("web 01").is_err());
        assert!(destination("web:22").is_err());
        assert!(destination("a@b@c").is_err());
        assert!(destination("Root@web").is_err());
    }

    #[test]
    fn host_names() {
        assert!(host_name_problem("web-01").is_none());
        assert!(host_name_problem("Web_01").is_some());
        assert_eq!(host_name_fix("Web_01").as_deref(), Some("web-01"));
        assert!(host_name_problem("defaults").is_some());
    }

    #[test]
    fn pins() {
        assert!(pin_problem("https://github.com/NixOS/nixpkgs/archive/c0bebd16e69e631ac6e52d6eb439daba28ac50cd.tar.gz").is_none());
        assert!(pin_problem("file:///tmp/n.tar.gz").is_none());
        assert!(pin_problem("http://x/n.tar.gz").is_some());
        assert!(pin_problem("https://x/nixpkgs").is_some());
    }
}
