//! `[networking]`: addresses that parse, ports listed once, and interface names Linux accepts.

use super::Context;
use crate::diagnostic::{Code, Diagnostic};
use crate::spec::keys;
use crate::spec::value::Parsed;
use crate::tree::key_path;
use std::collections::BTreeSet;

pub fn check(cx: &mut Context<'_>) {
    let net = &cx.spec.networking;
    for (index, server) in net.nameservers.iter().enumerate() {
        if let Parsed::Invalid { why, .. } = server {
            cx.report(
                Diagnostic::new(Code::InvalidAddress, why.clone())
                    .at(
                        cx.span(&key_path![keys::NETWORKING, keys::NAMESERVERS, index]),
                        "expected an address such as 1.1.1.1",
                    )
                    .help("name servers are given by address, not by name"),
            );
        }
    }
    if let Some(Parsed::Invalid { why, .. }) = &net.gateway {
        cx.report(Diagnostic::new(Code::InvalidAddress, why.clone()).at(
            cx.span(&key_path![keys::NETWORKING, keys::GATEWAY]),
            "expected an address such as 192.168.1.1",
        ));
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
                    cx.key_span(&key_path![keys::NETWORKING, keys::INTERFACES, name]),
                    "1 to 15 characters, no `/` or spaces",
                )
                .help("use the name `ip link` shows, e.g. \"eth0\" or \"ens3\""),
            );
        }
        for (index, cidr) in interface.addresses.iter().enumerate() {
            if let Parsed::Invalid { text, why } = cidr {
                cx.report(
                    Diagnostic::new(
                        Code::InvalidAddress,
                        format!(
                            "`{}` is not an IPv4 address with prefix length: {why}",
                            text.escape_debug()
                        ),
                    )
                    .at(
                        cx.span(&key_path![
                            keys::NETWORKING,
                            keys::INTERFACES,
                            name,
                            keys::ADDRESSES,
                            index
                        ]),
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
                        cx.span(&key_path![keys::NETWORKING, keys::FIREWALL, key, index]),
                        "listed again",
                    ),
                );
            }
        }
    }
}
