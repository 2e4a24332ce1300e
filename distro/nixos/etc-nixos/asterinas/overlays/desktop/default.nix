# X server and Xfce packages that run on Asterinas's plain UEFI framebuffer,
# without udev and without full sysfs graphics information.
#
# Upstream: distro/etc_nixos/overlays/desktop/default.nix (facts: overlays
# "desktop"; unsupported_or_limited "sysfs graphics info / udev").
# Differences: upstream rebuilds the X server with meson and ships an
# xorg.conf.d snippet; we keep nixpkgs' autotools build, turn the udev
# backends off with configure flags, and leave the fbdev/evdev configuration
# to modules/xfce.nix.
final: prev:
let
  fetchUpstream = import ../fetch-upstream.nix { inherit (final) lib fetchurl; };
in
{
  xorg = prev.xorg.overrideScope (
    _xfinal: xprev: {
      xorgserver = xprev.xorgserver.overrideAttrs (old: {
        patches = (old.patches or [ ]) ++ [
          # the server looks for graphics devices under /sys, which the
          # kernel does not describe; skip that and use fbdev
          (fetchUpstream.file "xorgserver-skip-sysfs-graphics-checks")
        ];
        # no udev: input devices are configured statically instead
        configureFlags = (old.configureFlags or [ ]) ++ [
          "--disable-config-udev"
          "--disable-config-udev-kms"
        ];
      });
    }
  );

  xfce = prev.xfce.overrideScope (
    _xfinal: xprev: {
      # the version upstream verified; newer ones need what the kernel lacks
      xfwm4 = xprev.xfwm4.overrideAttrs {
        version = "4.16.1";
        src = fetchUpstream.file "xfwm4-4_16_1-source";
      };
      xfdesktop = xprev.xfdesktop.overrideAttrs (old: {
        version = "4.16.0";
        src = fetchUpstream.file "xfdesktop-4_16_0-source";
        patches = (old.patches or [ ]) ++ [
          # wallpaper changes did not apply: monitors were named inconsistently
          (fetchUpstream.file "xfdesktop-consistent-monitor-ids")
        ];
      });
    }
  );
}
