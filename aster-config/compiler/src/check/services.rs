//! `[services.*]`: values a service's NixOS module would reject or misread, settings that
//! conflict, and a server nobody can log in to.

use super::Context;
use crate::diagnostic::{Code, Diagnostic};
use crate::spec::keys;
use crate::tree::key_path;
use std::collections::BTreeSet;
use std::net::IpAddr;

pub fn check(cx: &mut Context<'_>) {
    openssh(cx);
    nginx(cx);
    containers(cx);
    redis(cx);
}

fn openssh(cx: &mut Context<'_>) {
    let Some(ssh) = cx.spec.services.openssh.as_ref().filter(|s| s.enable) else {
        return;
    };
    let mut seen = BTreeSet::new();
    for (index, port) in ssh.ports.iter().enumerate() {
        if !seen.insert(port) {
            cx.report(
                Diagnostic::new(
                    Code::Duplicate,
                    format!("port {port} is listed twice in `services.openssh.ports`"),
                )
                .at(
                    cx.span(&key_path![
                        keys::SERVICES,
                        keys::OPENSSH,
                        keys::PORTS,
                        index
                    ]),
                    "listed again",
                ),
            );
        }
        if *port == 0 {
            cx.report(
                Diagnostic::new(Code::OutOfRange, "port 0 is not a port sshd can listen on").at(
                    cx.span(&key_path![
                        keys::SERVICES,
                        keys::OPENSSH,
                        keys::PORTS,
                        index
                    ]),
                    "use 1 to 65535",
                ),
            );
        }
    }
    let written = cx
        .tree
        .find(&key_path![keys::SERVICES, keys::OPENSSH, keys::PORTS])
        .is_some_and(|n| matches!(&n.value, crate::tree::Value::Array(items) if !items.is_empty()));
    if ssh.ports.is_empty() && !written {
        cx.report(
            Diagnostic::new(
                Code::Conflict,
                "`services.openssh` is enabled but listens on no port",
            )
            .at(
                cx.span(&key_path![keys::SERVICES, keys::OPENSSH, keys::PORTS]),
                "empty",
            )
            .help("use `ports = [22]` or disable the service"),
        );
    }
    let anyone_has_keys = cx.spec.users.values().any(|u| !u.ssh_keys.is_empty());
    if !ssh.password_authentication && !anyone_has_keys {
        cx.report(
            Diagnostic::new(
                Code::SshLockout,
                "SSH is enabled, but password logins are off and no user has `ssh-keys`",
            )
            .at(
                cx.key_span(&key_path![keys::SERVICES, keys::OPENSSH]),
                "nobody can log in over SSH",
            )
            .help(
                "add `ssh-keys = [\"ssh-ed25519 AAAA… you@laptop\"]` to a user in `[users.NAME]`",
            ),
        );
    }
}

fn nginx(cx: &mut Context<'_>) {
    let Some(nginx) = cx.spec.services.nginx.as_ref().filter(|n| n.enable) else {
        return;
    };
    for (name, site) in &nginx.sites {
        let here = key_path![keys::SERVICES, keys::NGINX, keys::SITES, name];
        if let Err(why) = server_name(name) {
            cx.report(
                Diagnostic::new(Code::BadFormat, format!("`{}` is not a server name nginx accepts: {why}", name.escape_debug()))
                    .at(cx.key_span(&here), "invalid server name")
                    .help("use a domain name such as \"example.org\", a wildcard \"*.example.org\", or \"_\""),
            );
        }
        for (index, alias) in site.aliases.iter().enumerate() {
            if let Err(why) = server_name(alias) {
                cx.report(
                    Diagnostic::new(
                        Code::BadFormat,
                        format!(
                            "`{}` is not a server name nginx accepts: {why}",
                            alias.escape_debug()
                        ),
                    )
                    .at(
                        cx.span(&key_path![
                            keys::SERVICES,
                            keys::NGINX,
                            keys::SITES,
                            name,
                            keys::ALIASES,
                            index
                        ]),
                        "invalid server name",
                    ),
                );
            }
        }
        if let Some(root) = &site.root {
            if !root.starts_with('/') {
                cx.report(
                    Diagnostic::new(
                        Code::NotAbsolute,
                        format!(
                            "the root of site `{name}` must be an absolute path, not `{}`",
                            root.escape_debug()
                        ),
                    )
                    .at(
                        cx.span(&key_path![
                            keys::SERVICES,
                            keys::NGINX,
                            keys::SITES,
                            name,
                            keys::ROOT
                        ]),
                        "relative path",
                    )
                    .help("NixOS accepts only absolute paths here, e.g. \"/var/www/example\""),
                );
            } else if let Err(why) =
                super::names::single_line(root).and_then(|()| no_nginx_syntax(root))
            {
                cx.report(
                    Diagnostic::new(Code::BadFormat, format!("the root of site `{name}` cannot be used in nginx's configuration: {why}"))
                        .at(cx.span(&key_path![keys::SERVICES, keys::NGINX, keys::SITES, name, keys::ROOT]), "unusable path"),
                );
            }
        }
        if let Some(upstream) = &site.proxy_pass
            && let Err(why) = proxy_url(upstream)
        {
            cx.report(
                Diagnostic::new(
                    Code::BadFormat,
                    format!(
                        "`{}` is not a URL nginx can proxy to: {why}",
                        upstream.escape_debug()
                    ),
                )
                .at(
                    cx.span(&key_path![
                        keys::SERVICES,
                        keys::NGINX,
                        keys::SITES,
                        name,
                        keys::PROXY_PASS
                    ]),
                    "invalid URL",
                )
                .help("use a URL such as \"http://127.0.0.1:3000\""),
            );
        }
        if site.root.is_some() && site.proxy_pass.is_some() {
            cx.report(
                Diagnostic::new(
                    Code::Conflict,
                    format!(
                        "site `{name}` has both `root` and `proxy-pass`; nginx would only proxy"
                    ),
                )
                .at(
                    cx.key_span(&key_path![
                        keys::SERVICES,
                        keys::NGINX,
                        keys::SITES,
                        name,
                        keys::PROXY_PASS
                    ]),
                    "forwards every request",
                )
                .also(
                    cx.key_span(&key_path![
                        keys::SERVICES,
                        keys::NGINX,
                        keys::SITES,
                        name,
                        keys::ROOT
                    ]),
                    "so these files are never served",
                )
                .help("keep one of them"),
            );
        }
    }
}

fn containers(cx: &mut Context<'_>) {
    let services = &cx.spec.services;
    let compat = services
        .podman
        .as_ref()
        .is_some_and(|p| p.enable && p.docker_compat);
    let docker = services.docker.as_ref().is_some_and(|d| d.enable);
    if compat && docker {
        cx.report(
            Diagnostic::new(
                Code::Conflict,
                "podman's `docker-compat` and the docker service both provide the `docker` command",
            )
            .at(
                cx.key_span(&key_path![
                    keys::SERVICES,
                    keys::PODMAN,
                    keys::DOCKER_COMPAT
                ]),
                "provides `docker`",
            )
            .also(
                cx.key_span(&key_path![keys::SERVICES, keys::DOCKER]),
                "also provides `docker`",
            )
            .help("remove `[services.docker]`: podman with `docker-compat` runs docker commands"),
        );
    }
}

fn redis(cx: &mut Context<'_>) {
    let Some(redis) = cx.spec.services.redis.as_ref().filter(|r| r.enable) else {
        return;
    };
    if redis.bind.parse::<IpAddr>().is_err() {
        cx.report(
            Diagnostic::new(
                Code::InvalidAddress,
                format!(
                    "`{}` is not an IP address redis can bind to",
                    redis.bind.escape_debug()
                ),
            )
            .at(
                cx.span(&key_path![keys::SERVICES, keys::REDIS, keys::BIND]),
                "not an IP address",
            )
            .help("use \"127.0.0.1\" for local clients only, or \"0.0.0.0\" for every interface"),
        );
    }
}

/// nginx server names: labels of letters, digits and `-`, optionally a leading `*.` or trailing
/// `.*`, or the catch-all `_`.
fn server_name(name: &str) -> Result<(), String> {
    if name == "_" || name == "localhost" {
        return Ok(());
    }
    let trimmed = name.strip_prefix("*.").unwrap_or(name);
    let trimmed = trimmed.strip_suffix(".*").unwrap_or(trimmed);
    if trimmed.is_empty() || trimmed.len() > 253 {
        return Err("it is empty or longer than 253 characters".into());
    }
    for label in trimmed.split('.') {
        if label.is_empty() {
            return Err("it has an empty label".into());
        }
        if let Some(c) = label
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
        {
            return Err(format!("it contains `{}`", c.escape_default()));
        }
    }
    Ok(())
}

fn proxy_url(url: &str) -> Result<(), String> {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
        .ok_or("it must start with http:// or https://")?;
    if rest.is_empty() {
        return Err("it has no host".into());
    }
    no_nginx_syntax(url)
}

/// nginx's configuration syntax treats these specially; a value containing them would change the
/// configuration rather than be part of it.
fn no_nginx_syntax(text: &str) -> Result<(), String> {
    match text.chars().find(|c| {
        c.is_whitespace()
            || c.is_control()
            || matches!(c, ';' | '{' | '}' | '"' | '\'' | '\\' | '$')
    }) {
        Some(c) => Err(format!("it contains `{}`", c.escape_default())),
        None => Ok(()),
    }
}
