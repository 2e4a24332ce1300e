//! IPv6 wherever the spec can put an address: the kernel has no `AF_INET6` sockets, so a service
//! told to bind to or proxy to an IPv6 address fails to start (or answers nothing) on Asterinas.
//!
//! The `[networking]` name servers and the raw `networking.*` IPv6 switches and interface options
//! are checked in [`super::networking`]; this module covers `services.redis.bind` and an nginx
//! site's `proxy-pass` in the spec's sections, and every string that `[nixos]` or an imported
//! module writes, whatever the option (`networking.nameservers`,
//! `services.openssh.listenAddresses`, `services.nginx.defaultListenAddresses`, a
//! `listen [::]:80;` line in `extraConfig`, ...). A word counts as an IPv6 address only when it
//! parses as one whole (optionally in brackets, with a `:port`, a `/prefix` or a URL around it),
//! so MAC addresses (`52:54:00:12:34:56`), times (`12:30`) and Rust paths (`std::io`) do not.

use super::Context;
use super::final_options::{Leaf, Origin};
use super::networking::NO_IPV6;
use crate::check::final_options::AtLeaf as _;
use crate::diagnostic::{Code, Diagnostic};
use crate::spec::keys;
use crate::tree::key_path;
use serde_json::Value as Json;
use std::net::Ipv6Addr;

pub fn check(cx: &mut Context<'_>) {
    redis(cx);
    nginx(cx);
    let leaves: Vec<Leaf> = cx
        .leaves
        .iter()
        .filter(|l| !matches!(l.origin, Origin::Section(_)))
        .filter(|l| !super::networking::refused_ipv6_option(l))
        .cloned()
        .collect();
    for leaf in &leaves {
        if let Some(address) = first_ipv6(&leaf.value) {
            cx.report(
                Diagnostic::new(
                    Code::UnsupportedNetworking,
                    format!(
                        "`{}` ({}) names the IPv6 address `{address}`; {NO_IPV6}",
                        leaf.dotted(),
                        leaf.place()
                    ),
                )
                .at_leaf(leaf, "IPv6 address")
                .help("use an IPv4 address: \"127.0.0.1\" for local clients only, \"0.0.0.0\" for every interface"),
            );
        }
    }
}

fn redis(cx: &mut Context<'_>) {
    let Some(redis) = cx.spec.services.redis.as_ref().filter(|r| r.enable) else {
        return;
    };
    let Some(address) = ipv6_in(&redis.bind) else {
        return;
    };
    let here = key_path![keys::SERVICES, keys::REDIS, keys::BIND];
    let v4 = if address.is_loopback() {
        "127.0.0.1"
    } else {
        "0.0.0.0"
    };
    cx.report(
        Diagnostic::new(
            Code::UnsupportedNetworking,
            format!("redis cannot bind to the IPv6 address `{address}`; {NO_IPV6}"),
        )
        .at(cx.span(&here), "IPv6 address")
        .help(format!(
            "bind to \"{v4}\", the IPv4 address that means the same here"
        ))
        .suggest(cx.span(&here), format!("\"{v4}\"")),
    );
}

fn nginx(cx: &mut Context<'_>) {
    let Some(nginx) = cx.spec.services.nginx.as_ref().filter(|n| n.enable) else {
        return;
    };
    for (name, site) in &nginx.sites {
        let Some(address) = site.proxy_pass.as_deref().and_then(url_host_ipv6) else {
            continue;
        };
        cx.report(
            Diagnostic::new(
                Code::UnsupportedNetworking,
                format!("site `{name}` proxies to the IPv6 address `{address}`; {NO_IPV6}"),
            )
            .at(
                cx.span(&key_path![
                    keys::SERVICES,
                    keys::NGINX,
                    keys::SITES,
                    name,
                    keys::PROXY_PASS
                ]),
                "IPv6 upstream",
            )
            .help("proxy to the upstream's IPv4 address, e.g. \"http://127.0.0.1:3000\""),
        );
    }
}

/// The IPv6 literal in a URL's host (`http://[::1]:8080/` → `::1`).
fn url_host_ipv6(url: &str) -> Option<Ipv6Addr> {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let host = rest.strip_prefix('[')?.split_once(']')?.0;
    host.parse().ok()
}

/// The first IPv6 address in a string: words separated by spaces (redis's `bind`, a line of
/// configuration text), each bracketed or not, with or without a `:port` after the brackets
/// (nginx), a `/prefix` or `%zone` after a bare address, or as a URL's host. Among several words
/// a bare address needs a digit (`::1`, `fe80::1`), so text such as `xs :: [Int]` is not one.
fn ipv6_in(text: &str) -> Option<Ipv6Addr> {
    let words = text.split_whitespace().count();
    text.split_whitespace().find_map(|word| {
        let word = word.trim_matches(|c| matches!(c, '"' | '\'' | ';' | ',' | '(' | ')'));
        if let Some(address) = url_host_ipv6(word).filter(|_| word.contains("://")) {
            return Some(address);
        }
        let word = match word.strip_prefix('[') {
            Some(rest) => rest.split_once(']')?.0,
            // In running text a bare `::` is more likely punctuation than an address.
            None if words > 1 && !word.contains(|c: char| c.is_ascii_digit()) => return None,
            None => word.split(['/', '%']).next().unwrap_or(word),
        };
        word.parse().ok()
    })
}

/// The first IPv6 address in any string of a literal option value.
fn first_ipv6(value: &Json) -> Option<Ipv6Addr> {
    match value {
        Json::String(text) => ipv6_in(text),
        Json::Array(items) => items.iter().find_map(first_ipv6),
        Json::Object(fields) => fields.values().find_map(first_ipv6),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_ipv6_in_every_address_form() {
        assert_eq!(ipv6_in("::1"), Some(Ipv6Addr::LOCALHOST));
        assert_eq!(ipv6_in("127.0.0.1 ::1"), Some(Ipv6Addr::LOCALHOST));
        assert_eq!(ipv6_in("[::]:443"), Some(Ipv6Addr::UNSPECIFIED));
        assert_eq!(ipv6_in("0.0.0.0"), None);
        assert_eq!(ipv6_in("localhost"), None);
        assert_eq!(ipv6_in("fd00::2/64"), "fd00::2".parse().ok());
        assert_eq!(ipv6_in("listen [::]:80;"), Some(Ipv6Addr::UNSPECIFIED));
        assert_eq!(
            ipv6_in("upstream http://[::1]:3000;"),
            Some(Ipv6Addr::LOCALHOST)
        );
        assert_eq!(ipv6_in("52:54:00:12:34:56"), None, "a MAC address");
        assert_eq!(ipv6_in("12:30"), None, "a time");
        assert_eq!(ipv6_in("*-*-* 03:15:00"), None, "a systemd calendar event");
        assert_eq!(ipv6_in("RUST_LOG=std::io"), None, "a Rust path");
        assert_eq!(ipv6_in("::"), Some(Ipv6Addr::UNSPECIFIED));
        assert_eq!(ipv6_in("xs :: [Int]"), None, "a type annotation in text");
        assert_eq!(
            url_host_ipv6("http://[::1]:8080/"),
            Some(Ipv6Addr::LOCALHOST)
        );
        assert_eq!(url_host_ipv6("http://127.0.0.1:8080"), None);
        let listen =
            serde_json::json!([{ "addr": "0.0.0.0", "port": 80 }, { "addr": "[::]", "port": 80 }]);
        assert_eq!(first_ipv6(&listen), Some(Ipv6Addr::UNSPECIFIED));
    }
}
