//! `[networking]`: name servers, firewall, DHCP and static IPv4 addresses.

use super::value::{Ipv4Cidr, Parsed};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr};

/// Network settings.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct Networking {
    /// DNS servers, e.g. `["1.1.1.1"]`. Written to `/etc/resolv.conf` directly, because
    /// resolvconf is off on Asterinas NixOS.
    pub nameservers: Vec<Parsed<IpAddr>>,
    /// Get addresses by DHCP on every interface without a static address.
    pub dhcp: bool,
    /// The packet filter.
    pub firewall: Firewall,
    /// Static IPv4 addresses by interface name: `interfaces.eth0.addresses = ["192.168.1.10/24"]`.
    pub interfaces: BTreeMap<String, Interface>,
    /// The default IPv4 gateway, e.g. `"192.168.1.1"`.
    pub gateway: Option<Parsed<Ipv4Addr>>,
}

impl Default for Networking {
    fn default() -> Self {
        Self {
            nameservers: Vec::new(),
            dhcp: true,
            firewall: Firewall::default(),
            interfaces: BTreeMap::new(),
            gateway: None,
        }
    }
}

/// The firewall.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct Firewall {
    /// Filter incoming traffic (on by default).
    pub enable: bool,
    /// TCP ports open to the network, besides those services open themselves.
    pub allowed_tcp_ports: Vec<u16>,
    /// UDP ports open to the network.
    pub allowed_udp_ports: Vec<u16>,
}

impl Default for Firewall {
    fn default() -> Self {
        Self {
            enable: true,
            allowed_tcp_ports: Vec::new(),
            allowed_udp_ports: Vec::new(),
        }
    }
}

/// Static addresses of one interface.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct Interface {
    /// IPv4 addresses with prefix length, e.g. `"192.168.1.10/24"`.
    pub addresses: Vec<Parsed<Ipv4Cidr>>,
}
