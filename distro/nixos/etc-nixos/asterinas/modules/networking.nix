# DNS without resolvconf: /etc/resolv.conf is written directly; IPv4 only;
# no DHCP (the kernel sets the interface's address itself).
#
# Upstream: distro/etc_nixos/modules/systemd.nix turns the resolvconf unit
# off, and distro/etc_nixos/configuration.nix writes a static resolv.conf
# (facts: nixos_settings_forced systemd.services.resolvconf.enable and
# environment.etc."resolv.conf".text).
{ config, lib, ... }:
let
  nameservers =
    if config.networking.nameservers != [ ] then config.networking.nameservers else [ "8.8.8.8" ];
in
{
  config = {
    # The resolvconf service does not work on Asterinas yet, so nothing would
    # ever fill the file it manages. Declared in
    # nixos/modules/config/resolvconf.nix (its default is already false once
    # environment.etc."resolv.conf" is set; stated here so it stays off).
    networking.resolvconf.enable = lib.mkForce false;

    # networking.nameservers (from the compiler or the user) still decides
    # the servers; without any, a public resolver so name lookups work in a
    # fresh VM. mkDefault: a configuration may write its own file.
    environment.etc."resolv.conf".text = lib.mkDefault (
      lib.concatMapStrings (server: "nameserver ${server}\n") nameservers
    );

    # The kernel has no AF_INET6 (facts: sockets_and_network.not_supported),
    # so nothing may assume IPv6: with enableIPv6 = true, NixOS 25.05's nginx
    # listens on [::0] by default and fails to start, and other services
    # pick IPv6 defaults the same way. Forced: the kernel leaves no choice.
    # (Not set upstream; ours.)
    networking.enableIPv6 = lib.mkForce false;

    # No DHCP client can run: dhcpcd (like every DHCP client NixOS offers)
    # talks on packet sockets, and the kernel has no AF_PACKET (facts:
    # sockets_and_network.not_supported). Nor could a lease be applied: the
    # kernel configures its virtio-net interface itself with the fixed
    # address 10.0.2.15/24 and gateway 10.0.2.2, the addresses of QEMU's user
    # networking (upstream kernel/core/src/net/iface/init.rs, VIRTIO_ADDRESS
    # and VIRTIO_GATEWAY), and its netlink route only answers queries.
    # Forced: no configuration can make DHCP work on this kernel, and with
    # NixOS's default (useDHCP = true) dhcpcd.service would fail at boot.
    # (Not set upstream; ours.)
    networking.useDHCP = lib.mkForce false;
    networking.dhcpcd.enable = lib.mkForce false;

    # Upstream's template default; a hostname from the spec wins.
    networking.hostName = lib.mkDefault "asterinas";
  };
}
