# Every file the overlays and modules fetch, in one place:
#   name -> { url; hash; }
#
# Patches and config snippets come from the upstream Asterinas repository,
# pinned to commit 604948581512d83734377974d4c34adb4530f2d7 (the commit the
# project's facts were read from). Their hashes are the SHA-256 of each
# file's exact bytes, as listed in the project's reference table
# (shared/reference/asterinas-upstream-files.json); a test compares every
# entry here with that table. The other entries are the pins upstream's own
# overlays and modules make (codex's nixpkgs, jtreg's sources and bundled
# jars, the desktop wallpaper), with the hashes upstream records for them.
#
# How each entry is fetched is up to the caller (see fetch-upstream.nix):
# `source` for upstream repository files, `file` for plain downloads, `zip`
# and `tarball` for archives that are unpacked (the hash is then that of the
# unpacked tree, as with fetchzip and builtins.fetchTarball).
let
  commit = "604948581512d83734377974d4c34adb4530f2d7";
  upstream = path: "https://github.com/asterinas/asterinas/raw/${commit}/${path}";
in
{
  # --- systemd (overlays/systemd) ---
  # systemd polls /proc/mountinfo with epoll, which the kernel lacks.
  systemd-skip-mount-state-checking = {
    url = upstream "distro/etc_nixos/overlays/systemd/0001-Skip-mount-state-checking.patch";
    hash = "sha256-ncpKGwed0MCNVqRt23cc9OxLsqqdLXFzbnLWRLJ8Zog=";
  };
  # Without mount-state events systemd's event loop spins and warns.
  systemd-no-looping-too-fast-warning = {
    url = upstream "distro/etc_nixos/overlays/systemd/0002-Disable-loop-too-fast-warning.patch";
    hash = "sha256-KpYHMDQovwb6O7KOXTXUuRV2KN0kY1MXYAhQwSCStlc=";
  };
  # MS_SLAVE propagation is not supported; MS_PRIVATE is.
  systemd-ms-slave-to-ms-private = {
    url = upstream "distro/etc_nixos/overlays/systemd/0003-Switch-MS_SLAVE-to-MS_PRIVATE.patch";
    hash = "sha256-5BNma/EfGD7yYDIjqY64z5bWAvXdLIFaKp1TzgywsCc=";
  };

  # --- runc and podman (overlays/podman) ---
  runc-no-container-state-check = {
    url = upstream "distro/etc_nixos/overlays/podman/runc-Disable-container-state-check.patch";
    hash = "sha256-Pb+TSWFxuIxuA6LaNzZwQfYJpgF43+4BaKKAKkkfP6o=";
  };
  runc-no-dev-mqueue = {
    url = upstream "distro/etc_nixos/overlays/podman/runc-Disable-creating-dev-mqueue.patch";
    hash = "sha256-5ZOOlY9RyGOAwepJ25+2BQSWS+tXmpIU8CdZEN+0DxE=";
  };
  runc-no-ebpf-device-filter = {
    url = upstream "distro/etc_nixos/overlays/podman/runc-Disable-eBPF-for-device-filtering.patch";
    hash = "sha256-2f8lx1shTplmfNQ+BLT44ZClsJQthfNC+heD11LPj5k=";
  };
  runc-tolerate-user-and-capability-setup = {
    url = upstream "distro/etc_nixos/overlays/podman/runc-Disable-user-and-capability-setup-checks.patch";
    hash = "sha256-6j8FNeLl60RtklX+Lqka7vYwkv6DTIdgjJtiBPCxcf4=";
  };
  runc-ms-slave-to-ms-private = {
    url = upstream "distro/etc_nixos/overlays/podman/runc-Switch-MS_SLAVE-to-MS_PRIVATE.patch";
    hash = "sha256-Ss5xthV0rAU6xl59aIioVHuNtWYJeHxX1cHz6j6oVbE=";
  };
  podman-no-hosts-resolv-injection = {
    url = upstream "distro/etc_nixos/overlays/podman/Podman-Disable-etc-hosts-and-etc-resolv-conf-injection.patch";
    hash = "sha256-Ofgcid6xAD07utK2WcHQsMdFbtLjSX5xchCNVOqkSJI=";
  };

  # --- switch-to-configuration-ng (overlays/switch-to-configuration-ng) ---
  switch-to-configuration-ng-bypass-system-dbus = {
    url = upstream "distro/etc_nixos/overlays/switch-to-configuration-ng/0001-Bypass-system-dbus.patch";
    hash = "sha256-oINqNj1k/wLZLwnzaJeHrH5yph7/OosCkmYCLl/Vmkg=";
  };

  # --- desktop (overlays/desktop) ---
  xorgserver-skip-sysfs-graphics-checks = {
    url = upstream "distro/etc_nixos/overlays/desktop/patches/xorgServer/0001-Skip-checking-graphics-under-sys.patch";
    hash = "sha256-NrQcnCk6hfGJQRZQU8MR3F3vu5VxAj1Szn0AvaJ+rLM=";
  };
  # The X server's configuration: fbdev on /dev/fb0 at 1280x800, evdev
  # keyboard and mouse on /dev/input/event0 and event1.
  xorgserver-fbdev-conf = {
    url = upstream "distro/etc_nixos/overlays/desktop/patches/xorgServer/10-fbdev.conf";
    hash = "sha256-uscZLu8a7VZEn23xr1mnng6tK7sKjtkq9dww/KpOHhQ=";
  };
  xfdesktop-consistent-monitor-ids = {
    url = upstream "distro/etc_nixos/overlays/desktop/patches/xfdesktop4/0001-Fix-not-using-consistent-monitor-identifiers.patch";
    hash = "sha256-Z4L40aBf3OzAr91w6lnw7DcAzcih7uT4GnnYWM9G+To=";
  };

  # --- the Xfce wallpaper (modules/xfce-wallpaper.nix) ---
  # Upstream: distro/etc_nixos/modules/xfce/wallpaper.nix (its nix32 sha256
  # written here in SRI form).
  xfce-wallpaper = {
    url = "https://raw.githubusercontent.com/asterinas/asterinas-artwork/f92b04a998f16c0b11f22987181a67c9106c3684/aster_nixos/v0.18.0/wallpaper_berry-madjidi_unsplash_1625x1080.png";
    hash = "sha256-H9IWJ3bc0YRRMjWqDvsFRzIJNNMu6TAvtQXcl7BF2Xg=";
  };

  # --- jtreg (overlays/jtreg) ---
  jtreg-use-tools-from-path = {
    url = upstream "distro/etc_nixos/overlays/jtreg/0001-Make-jtreg-use-tools-from-PATH.patch";
    hash = "sha256-i1rP0UGdFzHLV3821zQxBxDKRyp4c0Y02vEFWsKhjpg=";
  };
  jtreg-no-werror-for-helpers-on-jdk21 = {
    url = upstream "distro/etc_nixos/overlays/jtreg/0002-Drop-Werror-for-helper-classes-on-JDK-21.patch";
    hash = "sha256-CnoB/WDckW4ILvsjOIduEw469Gyr49kblIzg9Hs1tAk=";
  };
  # The pins below are upstream's (distro/etc_nixos/overlays/jtreg/default.nix),
  # where the hashes are written without base64 padding; here with it.
  jtreg-source = {
    url = "https://github.com/openjdk/jtreg/archive/refs/tags/jtreg-7.3.1+1.zip";
    hash = "sha256-m9/BkM2fVfAFYMCMnCEkqZhRbYQYeo2YCyZCt+b0ggg=";
  };
  jtharness-source = {
    url = "https://github.com/openjdk/jtharness/archive/refs/tags/jt6.0-b24.zip";
    hash = "sha256-E0YlUXBVwC+m7ZVF/RYqKXpRneMYY9y3ewtz8+26T/U=";
  };
  asmtools-source = {
    url = "https://github.com/openjdk/asmtools/archive/refs/tags/7.0-b09.zip";
    hash = "sha256-jgrAmfgCPisAEMP9oTCKmdjMeLuBpVPKg4pW9SL/4lY=";
  };
  junit-console-standalone-jar = {
    url = "https://repo1.maven.org/maven2/org/junit/platform/junit-platform-console-standalone/1.8.2/junit-platform-console-standalone-1.8.2.jar";
    hash = "sha256-3EmPI0Io+ByBi+z7a39x9z3ysOmV+T8lwF/O0Md+Y1Y=";
  };
  # Upstream takes this licence text from junit's main branch, not a tag; if
  # it ever changes there, the fetch fails on its hash (never silently).
  junit-license = {
    url = "https://github.com/junit-team/junit-framework/raw/refs/heads/main/LICENSE.md";
    hash = "sha256-WqTNRMERrdF40cLi/jbVikhAEsgBZ9+SX4Js1k1BG/A=";
  };
  testng-jar = {
    url = "https://repo1.maven.org/maven2/org/testng/testng/7.3.0/testng-7.3.0.jar";
    hash = "sha256-Y3J0iPlxfVfw0KD+5aH8EKK+nPz/LsOnGHZW1mPAd04=";
  };
  testng-license = {
    url = "https://github.com/testng-team/testng/raw/refs/tags/7.3.0/LICENSE.txt";
    hash = "sha256-wbnfEnXnafPbqwANHkV6LUsPKOtdpsd+SNw37rogLtc=";
  };
  jcommander-jar = {
    url = "https://repo1.maven.org/maven2/com/beust/jcommander/1.78/jcommander-1.78.jar";
    hash = "sha256-eJHeu4S1+D6b1XWT6+zjOZq74P2TjPMGs1NMV5E7lhU=";
  };
  guice-jar = {
    url = "https://repo1.maven.org/maven2/com/google/inject/guice/4.2.3/guice-4.2.3.jar";
    hash = "sha256-oh5Q/7tn563FtGz3ueGkgPHg8E/UIB3bHGXakSkGAa8=";
  };

  # --- codex (overlays/codex) ---
  # The nixpkgs revision upstream takes its newer codex from; the hash is that
  # of the unpacked tree (what fetchFromGitHub and builtins.fetchTarball check).
  nixpkgs-for-codex = {
    url = "https://github.com/NixOS/nixpkgs/archive/b77b3de8775677f84492abe84635f87b0e153f0f.tar.gz";
    hash = "sha256-nOesoDCiXcUftqbRBMz9tt4blI5PvljMWbm3kuCA+0s=";
  };
}
