//! `[networking]`: addresses that parse, ports listed once, and interface names Linux accepts; and
//! what the Asterinas kernel can carry out: no IPv6, no packet filter, no DHCP and no static
//! addresses or gateway (the kernel gives its virtio-net interface a fixed address and user space
//! cannot change it). These rules read the final option set too, so `[nixos]` and imported
//! modules cannot bring back what the spec's keys may not. IPv6 addresses anywhere in the final
//! option set are checked by the `ipv6` module beside this one.

use super::Context;
use super::final_options::{Leaf, Origin};
use crate::check::final_options::AtLeaf as _;
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

/// Why static addresses and the gateway do nothing on Asterinas NixOS (capability
/// `interface-config`).
const NO_STATIC: &str = "the Asterinas kernel configures its network interfaces itself and user space cannot change them: the virtio-net interface always has the address 10.0.2.15/24 and the default gateway 10.0.2.2 (QEMU's user networking), and the kernel's netlink and interface ioctls only read addresses and routes";

/// Why DHCP cannot run on Asterinas NixOS (capabilities `packet-sockets`, `interface-config`).
pub(super) const NO_DHCP: &str = "no DHCP client can run on Asterinas NixOS: DHCP clients talk on packet sockets, which the kernel lacks (no AF_PACKET), and the kernel gives its virtio-net interface the fixed address 10.0.2.15/24 with the gateway 10.0.2.2 itself (QEMU's user networking)";

/// What to do instead of choosing the machine's address.
const FORWARD_PORTS: &str = "leave the address to the kernel and reach the machine through port forwarding on the host, e.g. QEMU `-netdev user,id=net0,hostfwd=tcp::2222-:22` makes its SSH port 22 reachable as host port 2222";

fn asterinas(cx: &mut Context<'_>) {
    let net = &cx.spec.networking;
    if net.dhcp {
        let here = key_path![keys::NETWORKING, keys::DHCP];
        cx.report(
            Diagnostic::new(
                Code::UnsupportedNetworking,
                "DHCP cannot run on Asterinas NixOS",
            )
            .at(cx.span(&here), "no DHCP client can run")
            .help(format!(
                "{NO_DHCP}\nremove `dhcp = true` (the default is false); {FORWARD_PORTS}"
            ))
            .suggest(cx.span(&here), "false"),
        );
    }
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
                .help(format!("{NO_STATIC}; {FORWARD_PORTS}")),
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
            .help(format!("{NO_STATIC}; {FORWARD_PORTS}")),
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
        raw_firewall(cx, leaf);
    }
}

/// What to do when the spec counts on a firewall.
const FIREWALL_HELP: &str = "bind services that must stay private to 127.0.0.1 and filter traffic in front of the machine (hypervisor or router); remove this setting to silence the warning";

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
            .help(FIREWALL_HELP),
        );
    }
}

/// IPv6 options refused as a whole, whatever their value: an interface's IPv6 settings and the
/// IPv6 gateway.
pub(super) fn refused_ipv6_option(leaf: &Leaf) -> bool {
    leaf.under(&["networking", "interfaces", "*", "ipv6"])
        || leaf.under(&["networking", "defaultGateway6"])
}

/// IPv6, per-interface DHCP and static addressing written as raw NixOS options (the global
/// `networking.useDHCP` and `networking.dhcpcd.enable` are forced off by the distro, which the
/// forced-settings check reports).
fn raw_networking(cx: &mut Context<'_>, leaf: &Leaf) {
    let option = leaf.dotted();
    let ipv6 =
        (leaf.under(&["networking", "enableIPv6"]) && leaf.is_true()) || refused_ipv6_option(leaf);
    let dhcp = leaf.under(&["networking", "interfaces", "*", "useDHCP"]) && leaf.is_true();
    let static_v4 = leaf.under(&["networking", "interfaces", "*", "ipv4"])
        || leaf.under(&["networking", "defaultGateway"])
            && !leaf.under(&["networking", "defaultGateway6"]);
    let why = if ipv6 {
        format!("{NO_IPV6}; leave IPv6 out")
    } else if dhcp {
        format!("{NO_DHCP}; {FORWARD_PORTS}")
    } else if static_v4 {
        format!("{NO_STATIC}; {FORWARD_PORTS}")
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
        .at_leaf(leaf, "would do nothing")
        .help(why),
    );
}

/// Ports opened through raw NixOS options (`networking.firewall.allowedTCPPorts`, a service's
/// `openFirewall = true`, ...): the firewall they open them in is always off. The firewall's own
/// `enable` is a broken module in the distro catalog, which the modules check reports.
fn raw_firewall(cx: &mut Context<'_>, leaf: &Leaf) {
    let last = leaf.path.last().map_or("", String::as_str);
    let opens_ports = leaf.under(&["networking", "firewall"])
        && last.starts_with("allowed")
        && leaf.value.as_array().is_some_and(|ports| !ports.is_empty());
    let open_firewall = last == "openFirewall" && leaf.is_true();
    if !opens_ports && !open_firewall {
        return;
    }
    cx.report(
        Diagnostic::new(
            Code::NoPacketFilter,
            format!(
                "`{}` ({}) filters nothing: Asterinas has no packet filter, so the NixOS firewall is off and every listening port is reachable",
                leaf.dotted(),
                leaf.place()
            ),
        )
        .at_leaf(leaf, "not enforced")
        .help(FIREWALL_HELP),
    );
}
