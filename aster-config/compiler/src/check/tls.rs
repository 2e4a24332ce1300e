//! HTTPS for `[services.nginx]` sites: a Let's Encrypt certificate (`acme = true`) or the site's
//! own (`certificate` + `certificate-key`); and virtual hosts that `[nixos]` or a module gives
//! `enableACME = true`, which need the same account.
//!
//! Everything NixOS would refuse at evaluation (an ACME certificate without an account e-mail or
//! without the accepted terms: security/acme/default.nix asserts both) or nginx would refuse at
//! start (a certificate without its key, a path that breaks nginx's unquoted `ssl_certificate`
//! line) is an error here, so `check` never passes a site that cannot start. What only the
//! machine can tell (is port 80 reachable from the internet under the site's name? does lego run
//! under Asterinas?) is a warning that says so.

use super::Context;
use super::final_options::{Leaf, Origin};
use crate::check::final_options::AtLeaf as _;
use crate::diagnostic::{Code, Diagnostic};
use crate::spec::{HttpMode, Nginx, NginxSite, keys};
use crate::tree::key_path;
use std::net::IpAddr;

pub fn check(cx: &mut Context<'_>) {
    raw_acme(cx);
    let Some(nginx) = cx.spec.services.nginx.as_ref().filter(|n| n.enable) else {
        return;
    };
    for (name, site) in &nginx.sites {
        own_certificate(cx, name, site);
        acme_name(cx, name, site);
        if !site.has_tls() && site.http != HttpMode::Redirect {
            cx.report(
                Diagnostic::new(
                    Code::IgnoredSetting,
                    format!("`http` of site `{name}` has no effect: the site has no HTTPS"),
                )
                .at(cx.key_span(&site_key(name, keys::HTTP)), "no effect")
                .help("add `acme = true` or `certificate` and `certificate-key`, or remove `http`"),
            );
        }
    }
    if let Some(first) = nginx.sites.iter().find(|(_, s)| s.acme).map(|(n, _)| n) {
        let acme = cx.key_span(&site_key(first, keys::ACME));
        reachable(cx, nginx, first, acme.clone());
        untested(cx, acme);
    }
    account(cx, nginx);
}

fn site_key<'a>(name: &'a str, key: &'a str) -> [crate::tree::Segment; 5] {
    key_path![keys::SERVICES, keys::NGINX, keys::SITES, name, key]
}

/// `certificate` and `certificate-key`: both or neither, absolute, usable in nginx's config, and
/// not together with `acme`.
fn own_certificate(cx: &mut Context<'_>, name: &str, site: &NginxSite) {
    match (&site.certificate, &site.certificate_key) {
        (Some(_), None) | (None, Some(_)) => {
            let (given, missing) = if site.certificate.is_some() {
                (keys::CERTIFICATE, keys::CERTIFICATE_KEY)
            } else {
                (keys::CERTIFICATE_KEY, keys::CERTIFICATE)
            };
            cx.report(
                Diagnostic::new(
                    Code::CertificateWithoutKey,
                    format!("site `{name}` has `{given}` but no `{missing}`; nginx needs both to serve HTTPS"),
                )
                .at(cx.key_span(&site_key(name, given)), format!("`{missing}` is missing"))
                .help(format!(
                    "add `{missing} = \"/absolute/path\"` to the site: the certificate (PEM) and its private key are two files"
                )),
            );
        }
        _ => {}
    }
    for key in [keys::CERTIFICATE, keys::CERTIFICATE_KEY] {
        let value = if key == keys::CERTIFICATE {
            &site.certificate
        } else {
            &site.certificate_key
        };
        let Some(path) = value else { continue };
        if let Err(why) = certificate_path(path) {
            cx.report(
                Diagnostic::new(
                    Code::NotAbsolute,
                    format!("`{key}` of site `{name}` cannot be used: {why}"),
                )
                .at(cx.span(&site_key(name, key)), "not a usable path")
                .help("write the absolute path of the file on the machine, e.g. \"/var/lib/certs/example.org.pem\""),
            );
        }
    }
    if site.acme && (site.certificate.is_some() || site.certificate_key.is_some()) {
        let own = if site.certificate.is_some() {
            keys::CERTIFICATE
        } else {
            keys::CERTIFICATE_KEY
        };
        cx.report(
            Diagnostic::new(
                Code::Conflict,
                format!("site `{name}` asks for a Let's Encrypt certificate and also names its own"),
            )
            .at(cx.key_span(&site_key(name, keys::ACME)), "Let's Encrypt")
            .also(cx.key_span(&site_key(name, own)), "its own certificate")
            .help("keep one: `acme = true` to have Let's Encrypt issue and renew it, or `certificate` and `certificate-key` for files you manage"),
        );
    }
}

/// A certificate path nginx reads from its unquoted `ssl_certificate` line.
fn certificate_path(path: &str) -> Result<(), String> {
    if !path.starts_with('/') {
        return Err(format!("`{}` is not an absolute path", path.escape_debug()));
    }
    if let Some(c) = path
        .chars()
        .find(|c| c.is_whitespace() || matches!(c, ';' | '{' | '}' | '"' | '\'' | '$' | '#'))
    {
        return Err(format!(
            "it contains `{}`, which nginx's configuration cannot hold in a path",
            c.escape_debug()
        ));
    }
    Ok(())
}

/// `acme = true` on a name Let's Encrypt can issue for.
fn acme_name(cx: &mut Context<'_>, name: &str, site: &NginxSite) {
    if !site.acme {
        return;
    }
    let acme = cx.key_span(&site_key(name, keys::ACME));
    if let Err(why) = public_name(name) {
        cx.report(
            Diagnostic::new(
                Code::AcmeName,
                format!("Let's Encrypt cannot issue a certificate for `{}`: {why}", name.escape_debug()),
            )
            .at(acme.clone(), "needs a public domain name")
            .also(cx.key_span(&key_path![keys::SERVICES, keys::NGINX, keys::SITES, name]), "this name")
            .help("name the site by a domain that points at this machine (e.g. \"www.example.org\"), or use `certificate` and `certificate-key` with your own certificate"),
        );
    }
}

/// `open-firewall = false` with `acme`: the spec asks for port 80 to stay closed while the HTTP-01
/// challenge needs it reachable from the internet (reported once, at the first site with
/// `acme`). Asterinas has no packet filter, so the key closes nothing on the machine itself
/// (AC0421); only a filter in front of it (router, hypervisor) could, and would stop the
/// certificate.
fn reachable(
    cx: &mut Context<'_>,
    nginx: &Nginx,
    name: &str,
    acme: Option<crate::diagnostic::Span>,
) {
    if !nginx.open_firewall {
        cx.report(
            Diagnostic::new(
                Code::AcmeUnreachable,
                format!("site `{name}` gets its certificate over port 80 from the internet, but `open-firewall = false` asks for port 80 to stay closed"),
            )
            .at(acme, "Let's Encrypt must reach port 80")
            .also(cx.span(&key_path![keys::SERVICES, keys::NGINX, keys::OPEN_FIREWALL]), "closes nothing on Asterinas")
            .help("Let's Encrypt's HTTP-01 challenge fetches http://<name>/.well-known/acme-challenge/ over port 80 (for every site with `acme = true`). Asterinas has no packet filter, so this key closes nothing on the machine; if port 80 is closed in front of it (router, hypervisor, cloud security group), open it there for the site's name. Then remove `open-firewall = false`"),
        );
    }
}

/// The status of ACME on Asterinas NixOS, from the distro catalog's `acme` row.
fn untested(cx: &mut Context<'_>, at: Option<crate::diagnostic::Span>) {
    if cx.spec.services.allow_untested.iter().any(|a| a == "acme") {
        return;
    }
    let Some(row) = aster_distro::catalog()
        .service("acme")
        .filter(|r| r.status != aster_distro::Status::Verified)
    else {
        return;
    };
    let why = row
        .note
        .clone()
        .or_else(|| row.reason.clone())
        .unwrap_or_default();
    cx.report(
        Diagnostic::new(
            Code::UntestedService,
            "Let's Encrypt certificates (ACME) are not verified on Asterinas NixOS",
        )
        .at(at, "untested")
        .help(format!(
            "{why}\nif lego fails there, nginx keeps serving the temporary self-signed certificate, which browsers refuse; add `allow-untested = [\"acme\"]` under [services] to accept it"
        )),
    );
}

/// True when the output asks for an ACME certificate: an nginx site with `acme = true`, a
/// virtual host with `enableACME = true` or a `security.acme.certs` entry, whoever wrote it.
pub(super) fn acme_in_use(cx: &Context<'_>) -> bool {
    cx.leaves.iter().any(|l| asks_acme(l) || acme_cert(l))
}

/// `….enableACME = true`: a virtual host asking for a certificate.
fn asks_acme(leaf: &Leaf) -> bool {
    leaf.path.last().is_some_and(|last| last == "enableACME") && leaf.is_true()
}

/// An option of a `security.acme.certs` entry.
fn acme_cert(leaf: &Leaf) -> bool {
    leaf.under(&["security", "acme", "certs", "*"])
}

/// ACME asked for through `[nixos]` or a module (`services.nginx.virtualHosts.<name>.enableACME`):
/// the same account errors NixOS's assertions would raise, and the same "untested" warning as a
/// site's `acme = true`. A `security.acme.certs` entry gets its warning from the modules check.
fn raw_acme(cx: &mut Context<'_>) {
    let raw = |l: &&Leaf| !matches!(l.origin, Origin::Section(_));
    let Some(first) = cx.leaves.iter().filter(raw).find(|l| asks_acme(l)).cloned() else {
        return;
    };
    if !cx.leaves.iter().filter(raw).any(acme_cert) {
        untested(cx, first.span.clone());
    }
    let terms = cx
        .leaves
        .iter()
        .any(|l| l.path == ["security", "acme", "acceptTerms"] && l.is_true());
    let email = cx.leaves.iter().any(|l| {
        (l.path == ["security", "acme", "defaults", "email"]
            || l.under(&["security", "acme", "certs", "*", "email"]))
            && l.value.as_str().is_some_and(|e| !e.is_empty())
    });
    let option = first.dotted();
    let place = first.place();
    if !email {
        cx.report(
            Diagnostic::new(
                Code::AcmeAccount,
                format!("`{option}` ({place}) asks for a Let's Encrypt certificate, but no account e-mail is set"),
            )
            .at_leaf(&first, "needs an account e-mail")
            .help("add `\"security.acme.defaults.email\" = \"you@example.org\"` to [nixos]; NixOS refuses ACME without it, and Let's Encrypt writes to it before a certificate expires"),
        );
    }
    if !terms {
        cx.report(
            Diagnostic::new(
                Code::AcmeAccount,
                format!("`{option}` ({place}) asks for a Let's Encrypt certificate, but their terms of service are not accepted"),
            )
            .at_leaf(&first, "needs `security.acme.acceptTerms = true`")
            .help("read https://letsencrypt.org/repository/, then add `\"security.acme.acceptTerms\" = true` to [nixos]; NixOS refuses ACME without it"),
        );
    }
}

/// A name Let's Encrypt issues for: a public DNS name with a dot, not an address, not a wildcard
/// (those need the DNS-01 challenge) and not a local-only name.
fn public_name(name: &str) -> Result<(), &'static str> {
    let bare = name.trim_end_matches('.');
    if bare.parse::<IpAddr>().is_ok() {
        return Err("it is an IP address, and the HTTP-01 challenge needs a domain name");
    }
    if bare.contains('*') {
        return Err("wildcard names need the DNS-01 challenge, which aster-config does not set up");
    }
    if bare == "_" || !bare.contains('.') {
        return Err("it is not a domain name in public DNS");
    }
    let local = [
        ".local",
        ".localhost",
        ".internal",
        ".lan",
        ".home.arpa",
        ".test",
        ".example",
        ".invalid",
    ];
    if local.iter().any(|suffix| bare.ends_with(suffix)) {
        return Err("the name is reserved for local networks or testing and has no public DNS");
    }
    Ok(())
}

/// `acme-email` and `acme-accept-terms`: required by any `acme = true`, pointless without one.
fn account(cx: &mut Context<'_>, nginx: &Nginx) {
    let nginx_path = key_path![keys::SERVICES, keys::NGINX];
    let first_acme = nginx.sites.iter().find(|(_, s)| s.acme).map(|(n, _)| n);
    let Some(site) = first_acme else {
        if nginx.acme_email.is_some() || nginx.acme_accept_terms {
            let key = if nginx.acme_email.is_some() {
                keys::ACME_EMAIL
            } else {
                keys::ACME_ACCEPT_TERMS
            };
            cx.report(
                Diagnostic::new(
                    Code::IgnoredSetting,
                    format!("`{key}` has no effect: no site has `acme = true`"),
                )
                .at(
                    cx.key_span(&key_path![keys::SERVICES, keys::NGINX, key]),
                    "no effect",
                )
                .help("add `acme = true` to the sites that should get a Let's Encrypt certificate"),
            );
        }
        return;
    };
    let acme = cx.key_span(&site_key(site, keys::ACME));
    match &nginx.acme_email {
        None => cx.report(
            Diagnostic::new(
                Code::AcmeAccount,
                "a Let's Encrypt certificate needs an account e-mail: `acme-email` is missing in [services.nginx]",
            )
            .at(acme.clone(), "needs `acme-email`")
            .also(cx.key_span(&nginx_path), "add it here")
            .help("add `acme-email = \"you@example.org\"` under [services.nginx]; Let's Encrypt writes to it before a certificate expires"),
        ),
        Some(email) => {
            if let Err(why) = email_address(email) {
                cx.report(
                    Diagnostic::new(
                        Code::BadFormat,
                        format!("`{}` is not an e-mail address Let's Encrypt accepts: {why}", email.escape_debug()),
                    )
                    .at(cx.span(&key_path![keys::SERVICES, keys::NGINX, keys::ACME_EMAIL]), "not an e-mail address")
                    .help("write one address, e.g. \"admin@example.org\""),
                );
            }
        }
    }
    if !nginx.acme_accept_terms {
        cx.report(
            Diagnostic::new(
                Code::AcmeAccount,
                "a Let's Encrypt certificate needs their terms of service accepted: `acme-accept-terms = true` is missing in [services.nginx]",
            )
            .at(acme, "needs `acme-accept-terms = true`")
            .also(cx.key_span(&nginx_path), "add it here")
            .help("read https://letsencrypt.org/repository/, then add `acme-accept-terms = true` under [services.nginx]; NixOS refuses ACME without it"),
        );
    }
}

/// One plain address: `local@domain.tld`, no spaces or display name.
fn email_address(email: &str) -> Result<(), &'static str> {
    let Some((local, domain)) = email.split_once('@') else {
        return Err("it has no `@`");
    };
    if local.is_empty() || domain.contains('@') {
        return Err("it needs exactly one name before a single `@`");
    }
    if email
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"' | ','))
    {
        return Err("it contains spaces, quotes, brackets or commas");
    }
    if !domain.contains('.') || domain.starts_with('.') || domain.ends_with('.') {
        return Err("the part after `@` is not a domain name");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_names_are_told_apart_from_local_ones() {
        assert!(public_name("example.org").is_ok());
        assert!(public_name("www.example.org.").is_ok());
        assert!(public_name("localhost").is_err());
        assert!(public_name("printer.local").is_err());
        assert!(public_name("192.0.2.1").is_err());
        assert!(public_name("*.example.org").is_err());
        assert!(public_name("_").is_err());
    }

    #[test]
    fn email_addresses_need_one_at_and_a_domain() {
        assert!(email_address("admin@example.org").is_ok());
        assert!(email_address("admin").is_err());
        assert!(email_address("a@b@example.org").is_err());
        assert!(email_address("Admin <admin@example.org>").is_err());
        assert!(email_address("admin@localhost").is_err());
    }

    #[test]
    fn certificate_paths_must_fit_nginx_lines() {
        assert!(certificate_path("/var/lib/certs/site.pem").is_ok());
        assert!(certificate_path("certs/site.pem").is_err());
        assert!(certificate_path("/var/lib/certs/a b.pem").is_err());
        assert!(certificate_path("/x;ssl_verify off").is_err());
    }
}
