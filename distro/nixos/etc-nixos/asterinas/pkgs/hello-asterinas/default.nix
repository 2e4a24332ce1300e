# hello-asterinas: a tiny package that proves the overlays and the Nix store
# work on an installed system.
#
# It prints exactly what upstream's package of the same name prints
# (distro/etc_nixos/overlays/hello-asterinas/default.nix), because upstream's
# "hello" test expects exactly that line. The package itself is written here
# (writeShellScriptBin rather than upstream's hand-made derivation), so it is
# not the derivation upstream's caches hold; it builds locally in a moment.
{ lib, writeShellScriptBin }:
(writeShellScriptBin "hello-asterinas" ''
  echo "Hello Asterinas!"
'').overrideAttrs
  {
    meta = {
      description = "Prints a greeting; shows Asterinas NixOS packages run";
      mainProgram = "hello-asterinas";
      license = lib.licenses.mpl20;
      platforms = lib.platforms.linux;
    };
  }
