# codex from a newer nixpkgs than NixOS 25.05 (upstream verified that
# version on Asterinas). Upstream: distro/etc_nixos/overlays/codex/default.nix
# (facts: overlays "codex", from_nixpkgs_rev b77b3de8...).
#
# The newer nixpkgs is only fetched and evaluated when codex is used.
final: _prev:
let
  fetchUpstream = import ../fetch-upstream.nix { inherit (final) lib fetchurl; };
  newerNixpkgs = import (fetchUpstream.tarball "nixpkgs-for-codex") {
    inherit (final.stdenv.hostPlatform) system;
  };
in
{
  inherit (newerNixpkgs) codex;
}
