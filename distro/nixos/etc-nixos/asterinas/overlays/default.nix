# The overlay aggregator: every distro overlay, as a list.
#
# aster_configuration.nix sets nixpkgs.overlays to this list, and
# modules/nix-settings.nix points <nixpkgs-overlays> at this file so that
# nix-build and nix-shell on the installed system see the same packages.
#
# One directory per overlay; each directory's default.nix is an overlay
# function `final: prev: { ... }`. The first seven are upstream's, in
# upstream's order (facts: overlays, nixos_settings_forced nixpkgs.overlays);
# asterinas-kernel is ours.
[
  (import ./desktop)
  (import ./hello-asterinas)
  (import ./podman)
  (import ./switch-to-configuration-ng)
  (import ./systemd)
  (import ./jtreg)
  (import ./codex)
  (import ./asterinas-kernel)
]
