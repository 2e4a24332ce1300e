# switch-to-configuration-ng without the system D-Bus, which does not work on
# Asterinas yet: the patch skips reading unit state over D-Bus, so only
# `nixos-rebuild test`-style activation is expected to work.
#
# Upstream: distro/etc_nixos/overlays/switch-to-configuration-ng/default.nix
# (facts: overlays "switch-to-configuration-ng"; unsupported_or_limited
# "system D-Bus for switch-to-configuration", "nixos-rebuild switch"). Same
# patch under the same store path, so the same derivation as upstream's.
final: prev:
let
  fetchUpstream = import ../fetch-upstream.nix { inherit (final) lib fetchurl fetchzip; };
in
{
  switch-to-configuration-ng = prev.switch-to-configuration-ng.overrideAttrs (old: {
    patches = (old.patches or [ ]) ++ [
      (fetchUpstream.source "switch-to-configuration-ng-bypass-system-dbus")
    ];
  });
}
