# Every file the overlays take from outside this repository, in one place:
# name -> { url; hash; }.
#
# Patches come from the upstream Asterinas repository, pinned to commit
# 604948581512d83734377974d4c34adb4530f2d7 (the commit the project's facts
# were read from); the paths are those listed as `also_sources` of the
# `overlays` facts. The other entries are source tarballs the desktop and
# codex overlays pin.
#
# The hashes are null ON PURPOSE: they could not be computed where these
# files were written (no network to those hosts), and a made-up or fake hash
# would pretend to a verification that never happened. Until an entry has a
# hash, using the package that needs it stops evaluation with the command to
# run (see fetch-upstream.nix). To fill one in:
#
#   nix-prefetch-url <url>            # prints a base32 sha256
#   nix hash to-sri --type sha256 <that base32>
#
# and write the sha256-... string as `hash`. Entries with `unpack = true`
# are unpacked before hashing: use `nix-prefetch-url --unpack <url>` instead.
let
  upstream = path: "https://github.com/asterinas/asterinas/raw/604948581512d83734377974d4c34adb4530f2d7/${path}";
in
{
  # --- systemd (overlays/systemd) ---
  # systemd polls /proc/mountinfo with epoll, which the kernel lacks.
  systemd-skip-mount-state-checking = {
    url = upstream "distro/etc_nixos/overlays/systemd/0001-Skip-mount-state-checking.patch";
    hash = null;
  };
  # Without mount-state events systemd's event loop spins and warns.
  systemd-no-looping-too-fast-warning = {
    url = upstream "distro/etc_nixos/overlays/systemd/0002-Disable-loop-too-fast-warning.patch";
    hash = null;
  };
  # MS_SLAVE propagation is not supported; MS_PRIVATE is.
  systemd-ms-slave-to-ms-private = {
    url = upstream "distro/etc_nixos/overlays/systemd/0003-Switch-MS_SLAVE-to-MS_PRIVATE.patch";
    hash = null;
  };

  # --- runc and podman (overlays/podman) ---
  runc-ms-slave-to-ms-private = {
    url = upstream "distro/etc_nixos/overlays/podman/runc-Switch-MS_SLAVE-to-MS_PRIVATE.patch";
    hash = null;
  };
  runc-no-ebpf-device-filter = {
    url = upstream "distro/etc_nixos/overlays/podman/runc-Disable-eBPF-for-device-filtering.patch";
    hash = null;
  };
  runc-no-dev-mqueue = {
    url = upstream "distro/etc_nixos/overlays/podman/runc-Disable-creating-dev-mqueue.patch";
    hash = null;
  };
  runc-tolerate-user-and-capability-setup = {
    url = upstream "distro/etc_nixos/overlays/podman/runc-Disable-user-and-capability-setup-checks.patch";
    hash = null;
  };
  runc-no-container-state-check = {
    url = upstream "distro/etc_nixos/overlays/podman/runc-Disable-container-state-check.patch";
    hash = null;
  };
  podman-no-hosts-resolv-injection = {
    url = upstream "distro/etc_nixos/overlays/podman/Podman-Disable-etc-hosts-and-etc-resolv-conf-injection.patch";
    hash = null;
  };

  # --- switch-to-configuration-ng (overlays/switch-to-configuration-ng) ---
  switch-to-configuration-ng-bypass-system-dbus = {
    url = upstream "distro/etc_nixos/overlays/switch-to-configuration-ng/0001-Bypass-system-dbus.patch";
    hash = null;
  };

  # --- desktop (overlays/desktop) ---
  xorgserver-skip-sysfs-graphics-checks = {
    url = upstream "distro/etc_nixos/overlays/desktop/patches/xorgServer/0001-Skip-checking-graphics-under-sys.patch";
    hash = null;
  };
  xfdesktop-consistent-monitor-ids = {
    url = upstream "distro/etc_nixos/overlays/desktop/patches/xfdesktop4/0001-Fix-not-using-consistent-monitor-identifiers.patch";
    hash = null;
  };
  # Release tarballs of the Xfce versions upstream pins (facts: overlays desktop).
  xfwm4-4_16_1-source = {
    url = "https://archive.xfce.org/src/xfce/xfwm4/4.16/xfwm4-4.16.1.tar.bz2";
    hash = null;
  };
  xfdesktop-4_16_0-source = {
    url = "https://archive.xfce.org/src/xfce/xfdesktop/4.16/xfdesktop-4.16.0.tar.bz2";
    hash = null;
  };

  # --- codex (overlays/codex) ---
  # The nixpkgs revision upstream takes its newer codex from (facts: overlays codex).
  nixpkgs-for-codex = {
    url = "https://github.com/NixOS/nixpkgs/archive/b77b3de8775677f84492abe84635f87b0e153f0f.tar.gz";
    hash = null;
    unpack = true;
  };
}
