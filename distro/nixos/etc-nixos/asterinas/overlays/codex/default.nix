# codex from a newer nixpkgs than NixOS 25.05 (upstream verified that
# version on Asterinas). Upstream: distro/etc_nixos/overlays/codex/default.nix
# (facts: overlays "codex", from_nixpkgs_rev b77b3de8...).
#
# Upstream imports that nixpkgs through fetchFromGitHub (import from
# derivation); here builtins.fetchTarball of the same archive with the same
# hash, evaluated at evaluation time. The codex derivation is the same either
# way (same nixpkgs, same system, same config), so upstream's caches serve it.
# The newer nixpkgs is only fetched and evaluated when codex is used.
final: prev:
let
  fetchUpstream = import ../fetch-upstream.nix { inherit (final) lib fetchurl fetchzip; };
  newerNixpkgs = import (fetchUpstream.tarball "nixpkgs-for-codex") {
    inherit (final.stdenv.hostPlatform) system;
    config = prev.config or { };
  };
in
{
  inherit (newerNixpkgs) codex;
}
