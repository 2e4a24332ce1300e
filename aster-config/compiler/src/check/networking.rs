//! `[networking]`: addresses that parse, ports listed once, and interface names Linux accepts.

use super::Context;
use crate::diagnostic::{Code, Diagnostic};
use crate::path;
use std::collections::BTreeSet;
use std::net::{IpAddr, Ipv4Addr};

pub fn check(cx: &mut Context<'_>) {
    let net = &cx.spec.networking;
    for (index, server) in net.nameservers.iter().enumerate() {
        if server.parse::<IpAddr>().is_err() {
            cx.report(
                Diagnostic::new(
                    Code::InvalidAddress,
                    format!("`{}` is not an IP address", server.escape_debug()),
                )
                .at(
                    cx.span(&path!["networking", "nameservers", index]),
                    "expected an address such as 1.1.1.1",
                )
                .help("name servers are given by address, not by name"),
            );
        }
    }
    if let Some(gateway) = &net.gateway
        && gateway.parse::<Ipv4Addr>().is_err()
    {
        cx.report(
            Diagnostic::new(
                Code::InvalidAddress,
                format!("`{}` is not an IPv4 address", gateway.escape_debug()),
            )
            .at(
                cx.span(&path!["networking", "gateway"]),
                "expected an address such as 192.168.1.1",
            ),
        );
    }
    for (name, interface) in &net.interfaces {
        if name.is_empty()
            || name.len() > 15
            || name.contains(|c: char| c == '/' || c.is_whitespace() || c.is_control())
            || name == "."
            || name == ".."
        {
            cx.report(
                Diagnostic::new(
                    Code::BadFormat,
                    format!("`{}` is not a network interface name", name.escape_debug()),
                )
                .at(
                    cx.key_span(&path!["networking", "interfaces", name]),
                    "1 to 15 characters, no `/` or spaces",
                )
                .help("use the name `ip link` shows, e.g. \"eth0\" or \"ens3\""),
            );
        }
        for (index, cidr) in interface.addresses.iter().enumerate() {
            if let Err(why) = ipv4_cidr(cidr) {
                cx.report(
                    Diagnostic::new(
                        Code::InvalidAddress,
                        format!(
                            "`{}` is not an IPv4 address with prefix length: {why}",
                            cidr.escape_debug()
                        ),
                    )
                    .at(
                        cx.span(&path!["networking", "interfaces", name, "addresses", index]),
                        "expected e.g. 192.168.1.10/24",
                    ),
                );
            }
        }
    }
    for (key, ports) in [
        ("allowed-tcp-ports", &net.firewall.allowed_tcp_ports),
        ("allowed-udp-ports", &net.firewall.allowed_udp_ports),
    ] {
        let mut seen = BTreeSet::new();
        for (index, port) in ports.iter().enumerate() {
            if !seen.insert(port) {
                cx.report(
                    Diagnostic::new(
                        Code::Duplicate,
                        format!("port {port} is listed twice in `networking.firewall.{key}`"),
                    )
                    .at(
                        cx.span(&path!["networking", "firewall", key, index]),
                        "listed again",
                    ),
                );
            }
        }
    }
}

fn ipv4_cidr(text: &str) -> Result<(), String> {
    let (address, prefix) = text.split_once('/').ok_or("the `/prefix` is missing")?;
    address
        .parse::<Ipv4Addr>()
        .map_err(|_| format!("`{address}` is not an IPv4 address"))?;
    match prefix.parse::<u8>() {
        Ok(length) if length <= 32 => Ok(()),
        _ => Err(format!("`{prefix}` is not a prefix length from 0 to 32")),
    }
}
