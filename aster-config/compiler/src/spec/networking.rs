//! `[networking]`: name servers, and the keys a NixOS user expects here (firewall, DHCP, static
//! IPv4 addresses) that the Asterinas kernel cannot carry out: they are kept so that specs written
//! for other machines read, and the checks say what each one does on Asterinas NixOS.

use super::value::{Ipv4Cidr, Parsed};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr};

/// Network settings.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct Networking {
    /// DNS servers, e.g. `["1.1.1.1"]`. Written to `/etc/resolv.conf` directly, because
    /// resolvconf is off on Asterinas NixOS.
    pub nameservers: Vec<Parsed<IpAddr>>,
    /// DHCP cannot run on Asterinas NixOS, so this stays `false` (the default); `true` is an
    /// error. The kernel has no packet sockets, which DHCP clients need, and it gives its
    /// virtio-net interface the fixed address 10.0.2.15/24 with the gateway 10.0.2.2 (QEMU's
    /// user networking) itself.
    pub dhcp: bool,
    /// The firewall. Asterinas has no packet filter, so the NixOS firewall is always off and
    /// every listening port is reachable; these keys filter nothing (a warning says so).
    pub firewall: Firewall,
    /// Static IPv4 addresses by interface name: `interfaces.eth0.addresses = ["192.168.1.10/24"]`.
    /// Refused on Asterinas NixOS: the kernel sets its interfaces' addresses itself.
    pub interfaces: BTreeMap<String, Interface>,
    /// The default IPv4 gateway, e.g. `"192.168.1.1"`. Refused on Asterinas NixOS: the kernel
    /// sets the gateway (10.0.2.2) itself.
    pub gateway: Option<Parsed<Ipv4Addr>>,
}

/// The firewall: nothing on Asterinas NixOS, which has no packet filter.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct Firewall {
    /// Asterinas has no packet filter, so the NixOS firewall is always off (the default,
    /// `false`); `true` filters nothing and is a warning.
    pub enable: bool,
    /// TCP ports a firewall would open. Every listening port is reachable on Asterinas NixOS
    /// whatever this says, so a non-empty list is a warning.
    pub allowed_tcp_ports: Vec<u16>,
    /// UDP ports a firewall would open; like `allowed-tcp-ports`, a warning on Asterinas NixOS.
    pub allowed_udp_ports: Vec<u16>,
}

/// Static addresses of one interface.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct Interface {
    /// IPv4 addresses with prefix length, e.g. `"192.168.1.10/24"`.
    pub addresses: Vec<Parsed<Ipv4Cidr>>,
}
