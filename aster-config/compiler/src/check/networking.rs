//! `[networking]`: addresses that parse, ports listed once, and interface names Linux accepts; and
//! what the Asterinas kernel can carry out: no IPv6, no packet filter, and no static addresses or
//! gateway (NixOS applies them through udev device units and `network-setup.service`, which the
//! distro runs without). These rules read the final option set too, so `[nixos]` and imported
//! modules cannot bring back what the spec's keys may not. IPv6 in service addresses is checked
//! by the `ipv6` module beside this one.

use super::Context;
use super::final_options::{Leaf, Origin};
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
    asterinas(cx);
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

/// The kernel has no `AF_INET6` sockets (capability `ipv6`).
pub(super) const NO_IPV6: &str = "the Asterinas kernel has no IPv6 (no AF_INET6 sockets), and the distro sets networking.enableIPv6 = false";

/// Why static addresses and the gateway do nothing on Asterinas NixOS.
const NO_STATIC: &str = "NixOS applies static addresses with one unit per interface that waits for the interface's udev device, and the default gateway with network-setup.service; Asterinas NixOS runs without udev and turns network-setup.service off, so they would be written and do nothing";

/// What to do instead of static addresses.
const USE_DHCP: &str = "use DHCP (`dhcp = true`, the default): the distro runs dhcpcd on every interface; give the machine a fixed address in your DHCP server";

fn asterinas(cx: &mut Context<'_>) {
    let net = &cx.spec.networking;
    for (index, server) in net.nameservers.iter().enumerate() {
        if let Parsed::Valid(std::net::IpAddr::V6(address)) = server {
            cx.report(
                Diagnostic::new(
                    Code::UnsupportedNetworking,
                    format!("`{address}` is an IPv6 name server; {NO_IPV6}"),
                )
                .at(
                    cx.span(&key_path![keys::NETWORKING, keys::NAMESERVERS, index]),
                    "IPv6",
                )
                .help("use an IPv4 name server, e.g. \"1.1.1.1\""),
            );
        }
    }
    for (name, interface) in &net.interfaces {
        if !interface.addresses.is_empty() {
            cx.report(
                Diagnostic::new(
                    Code::UnsupportedNetworking,
                    format!(
                        "static addresses for `{}` cannot be applied on Asterinas NixOS",
                        name.escape_debug()
                    ),
                )
                .at(
                    cx.key_span(&key_path![keys::NETWORKING, keys::INTERFACES, name]),
                    "would do nothing",
                )
                .help(format!("{NO_STATIC}; {USE_DHCP}")),
            );
        }
    }
    if net.gateway.is_some() {
        cx.report(
            Diagnostic::new(
                Code::UnsupportedNetworking,
                "a static default gateway cannot be applied on Asterinas NixOS",
            )
            .at(
                cx.key_span(&key_path![keys::NETWORKING, keys::GATEWAY]),
                "would do nothing",
            )
            .help(format!("{NO_STATIC}; {USE_DHCP}")),
        );
    }
    firewall(cx);
    let leaves: Vec<Leaf> = cx
        .leaves
        .iter()
        .filter(|l| !matches!(l.origin, Origin::Section(_)))
        .cloned()
        .collect();
    for leaf in &leaves {
        raw_networking(cx, leaf);
    }
}

/// The firewall is always off; say so wherever the spec counts on it.
fn firewall(cx: &mut Context<'_>) {
    let mut places = Vec::new();
    let firewall = key_path![keys::NETWORKING, keys::FIREWALL];
    for key in [
        keys::ENABLE,
        keys::ALLOWED_TCP_PORTS,
        keys::ALLOWED_UDP_PORTS,
    ] {
        let mut path = firewall.to_vec();
        path.push(crate::tree::Segment::Key(key.to_owned()));
        let written = cx.tree.find(&path).is_some();
        let asks = match key {
            keys::ENABLE => cx.spec.networking.firewall.enable,
            keys::ALLOWED_TCP_PORTS => !cx.spec.networking.firewall.allowed_tcp_ports.is_empty(),
            _ => !cx.spec.networking.firewall.allowed_udp_ports.is_empty(),
        };
        if written && asks {
            places.push((path, format!("`firewall.{key}`")));
        }
    }
    for service in [
        keys::OPENSSH,
        keys::NGINX,
        keys::REDIS,
        "postgresql",
        "prometheus",
    ] {
        let path = key_path![keys::SERVICES, service, keys::OPEN_FIREWALL].to_vec();
        if cx
            .tree
            .find(&path)
            .is_some_and(|n| n.value == crate::tree::Value::Boolean(true))
        {
            places.push((path, format!("`services.{service}.open-firewall`")));
        }
    }
    for (path, what) in places {
        cx.report(
            Diagnostic::new(
                Code::NoPacketFilter,
                format!("{what} filters nothing: Asterinas has no packet filter, so aster-config turns the NixOS firewall off and every listening port is reachable"),
            )
            .at(cx.key_span(&path), "not enforced")
            .help("bind services that must stay private to 127.0.0.1 and filter traffic in front of the machine (hypervisor or router); remove this key to silence the warning"),
        );
    }
}

/// IPv6 and static addressing written as raw NixOS options.
fn raw_networking(cx: &mut Context<'_>, leaf: &Leaf) {
    let option = leaf.dotted();
    let ipv6 = (leaf.under(&["networking", "enableIPv6"]) && leaf.is_true())
        || leaf.under(&["networking", "interfaces", "*", "ipv6"])
        || leaf.under(&["networking", "defaultGateway6"]);
    let static_v4 = leaf.under(&["networking", "interfaces", "*", "ipv4"])
        || leaf.under(&["networking", "defaultGateway"])
            && !leaf.under(&["networking", "defaultGateway6"]);
    let why = if ipv6 {
        format!("{NO_IPV6}; leave IPv6 out")
    } else if static_v4 {
        format!("{NO_STATIC}; {USE_DHCP}")
    } else {
        return;
    };
    cx.report(
        Diagnostic::new(
            Code::UnsupportedNetworking,
            format!(
                "`{option}` ({}) cannot work on Asterinas NixOS",
                leaf.place()
            ),
        )
        .at(leaf.span.clone(), "would do nothing")
        .help(why),
    );
}
