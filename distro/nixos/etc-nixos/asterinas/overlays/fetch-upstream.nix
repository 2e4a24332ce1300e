# Fetches an entry of upstream-patches.nix by name, always with its pinned
# hash.
#
#   fetchUpstream = import ../fetch-upstream.nix { inherit (final) lib fetchurl fetchzip; };
#   fetchUpstream.source "systemd-ms-slave-to-ms-private"  # upstream repository file
#   fetchUpstream.file "testng-jar"                        # a download (fetchurl)
#   fetchUpstream.zip "jtreg-source"                       # an unpacked zip (fetchzip)
#   fetchUpstream.tarball "nixpkgs-for-codex"              # an unpacked tarball
#
# `source` is how upstream's own repository files come in. Upstream's
# overlays name them as path literals (`./0001-foo.patch`), which Nix adds to
# the store as a "source" path whose name is the file name and whose hash is
# that of the contents. A fetchurl derivation would give the same bytes a
# different store path and make every patched package a different
# derivation from upstream's, which upstream's binary caches could then not
# serve. So the file is downloaded at evaluation time (builtins.fetchurl,
# checked against the pinned hash) and added again with builtins.path under
# upstream's file name: the result is the very store path upstream's path
# literal yields, and a package patched with it is the same derivation as
# upstream's. (Dropping the string context is safe: the fetched file is
# already in the store, and builtins.path records the new path's own context.)
{
  lib,
  fetchurl,
  fetchzip,
}:
let
  entries = import ./upstream-patches.nix;

  lookup =
    name:
    let
      entry =
        entries.${name} or (throw "fetch-upstream: no entry \"${name}\" in asterinas/overlays/upstream-patches.nix");
    in
    if builtins.isString (entry.hash or null) && lib.hasPrefix "sha256-" entry.hash then
      entry
    else
      throw "fetch-upstream: \"${name}\" has no SRI sha256 hash in asterinas/overlays/upstream-patches.nix; nothing is fetched without one";
in
{
  source =
    name:
    let
      entry = lookup name;
      fetched = builtins.fetchurl {
        inherit (entry) url;
        sha256 = entry.hash;
      };
    in
    builtins.path {
      name = baseNameOf entry.url;
      path = builtins.unsafeDiscardStringContext fetched;
    };

  file =
    name:
    let
      entry = lookup name;
    in
    fetchurl { inherit (entry) url hash; };

  zip =
    name:
    let
      entry = lookup name;
    in
    fetchzip { inherit (entry) url hash; };

  tarball =
    name:
    let
      entry = lookup name;
    in
    builtins.fetchTarball {
      inherit (entry) url;
      sha256 = entry.hash;
    };
}
