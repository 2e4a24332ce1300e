# hello-asterinas: a tiny package that proves the overlays and the Nix store
# work on an installed system. Pure Nix: a shell script, nothing to fetch.
#
# Upstream has a package of the same name and purpose
# (distro/etc_nixos/overlays/hello-asterinas/default.nix); this one is ours.
{ lib, writeShellScriptBin }:
(writeShellScriptBin "hello-asterinas" ''
  kernel=$(uname -s 2>/dev/null || echo unknown)
  echo "Hello from Asterinas NixOS! (kernel: $kernel)"
'').overrideAttrs
  {
    meta = {
      description = "Greeting that shows Asterinas NixOS packages run";
      mainProgram = "hello-asterinas";
      license = lib.licenses.mpl20;
      platforms = lib.platforms.linux;
    };
  }
