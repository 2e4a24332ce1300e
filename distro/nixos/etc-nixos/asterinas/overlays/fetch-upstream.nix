# Fetches an entry of upstream-patches.nix by name, refusing entries whose
# hash has not been recorded yet.
#
#   fetchUpstream = import ../fetch-upstream.nix { inherit (final) lib fetchurl; };
#   fetchUpstream.file "systemd-ms-slave-to-ms-private"     # a store path (fetchurl)
#   fetchUpstream.tarball "nixpkgs-for-codex"               # an unpacked tree (fetchTarball)
#
# Everything is fetched with a fixed hash; nothing here ever falls back to an
# unverified download.
{ lib, fetchurl }:
let
  entries = import ./upstream-patches.nix;

  lookup =
    name:
    entries.${name} or (throw "fetch-upstream: no entry \"${name}\" in asterinas/overlays/upstream-patches.nix");

  # The message names the command that produces the missing hash and the file
  # to put it in, both in the repository and on an installed system.
  requireHash =
    name: entry:
    if entry.hash != null then
      entry
    else
      throw ''
        ${name}: no hash is recorded for
          ${entry.url}
        so it cannot be fetched reproducibly. Compute it with
          nix-prefetch-url ${lib.optionalString (entry.unpack or false) "--unpack "}${entry.url}
          nix hash to-sri --type sha256 <the printed hash>
        and set `hash = "sha256-...";` for "${name}" in
          distro/nixos/etc-nixos/asterinas/overlays/upstream-patches.nix
        (on an installed system: /etc/nixos/asterinas/overlays/upstream-patches.nix).
      '';
in
{
  file =
    name:
    let
      entry = requireHash name (lookup name);
    in
    fetchurl {
      name = "${name}${lib.optionalString (lib.hasSuffix ".patch" entry.url) ".patch"}";
      inherit (entry) url hash;
    };

  tarball =
    name:
    let
      entry = requireHash name (lookup name);
    in
    builtins.fetchTarball {
      inherit (entry) url;
      sha256 = entry.hash;
    };
}
