# X server and Xfce packages that run on Asterinas's plain UEFI framebuffer,
# without udev and without full sysfs graphics information.
#
# Upstream: distro/etc_nixos/overlays/desktop/default.nix (facts: overlays
# "desktop"; unsupported_or_limited "sysfs graphics info / udev").
#
# Like upstream, only the three attributes are replaced (`//`, not
# overrideScope): the X drivers and the rest of Xfce stay nixpkgs' own
# packages, which cache.nixos.org serves, instead of being rebuilt against
# the patched server.
final: prev:
let
  fetchUpstream = import ../fetch-upstream.nix { inherit (final) lib fetchurl fetchzip; };
  fbdevConf = fetchUpstream.source "xorgserver-fbdev-conf";
in
{
  xorg = prev.xorg // {
    # Rebuilt with meson, as upstream does, because meson can switch udev off
    # entirely (-Dudev=false -Dudev_kms=false): there is no udev on Asterinas,
    # so the server must not wait for it to announce devices. libudev-zero
    # stands in for the libudev headers, dri-pkgconfig-stub for the DRI
    # pkg-config files meson asks for, libtirpc for the RPC code.
    #
    # Kept from nixpkgs: the source and its version (upstream relabels it as
    # 21.1.4 while building nixpkgs' newer source; a label that does not
    # describe the source is not carried). The phases are this project's own
    # text, so this is not upstream's derivation and is built from source.
    xorgserver = prev.xorg.xorgserver.overrideAttrs (old: {
      patches = (old.patches or [ ]) ++ [
        # the server looks for graphics devices under /sys, which the
        # kernel does not describe; skip that and use fbdev
        (fetchUpstream.source "xorgserver-skip-sysfs-graphics-checks")
      ];
      nativeBuildInputs = (old.nativeBuildInputs or [ ]) ++ [
        final.meson
        final.ninja
        final.pkg-config
      ];
      buildInputs = (old.buildInputs or [ ]) ++ [
        final.dri-pkgconfig-stub
        final.libudev-zero
        final.xorg.fontutil
        final.libtirpc
      ];
      # Upstream's flags (facts: overlays desktop): the Xorg DDX with glamor,
      # no udev, xkb output under $out, the xkbcomp nixpkgs ships, and no
      # optimisation.
      configurePhase = ''
        runHook preConfigure
        meson setup build \
          --prefix="$out" \
          --libdir=lib \
          -Dxorg=true \
          -Dglamor=true \
          -Dudev=false \
          -Dudev_kms=false \
          -Doptimization=0 \
          -Dxkb_output_dir="$out/share/X11/xkb" \
          -Dxkb_bin_dir=${final.xorg.xkbcomp}/bin
        runHook postConfigure
      '';
      buildPhase = ''
        runHook preBuild
        meson compile -C build
        runHook postBuild
      '';
      # No install hooks: nixpkgs' postInstall edits headers in $dev, which
      # only exists after the fixup phase has moved them out of $out. The
      # server reads xorg.conf.d from its own share/X11, where the fbdev and
      # evdev configuration goes (no /etc/X11/xorg.conf is generated).
      installPhase = ''
        meson install -C build
        install -Dm644 ${fbdevConf} "$out/share/X11/xorg.conf.d/10-fbdev.conf"
      '';
    });
  };

  xfce = prev.xfce // {
    # Upstream pins these version labels on nixpkgs' own sources and adds one
    # patch; carried exactly so (the label does not change what is built) so
    # that both are upstream's derivations and its caches serve them.
    xfwm4 = prev.xfce.xfwm4.overrideAttrs { version = "4.16.1"; };
    xfdesktop = prev.xfce.xfdesktop.overrideAttrs (old: {
      version = "4.16.0";
      patches = (old.patches or [ ]) ++ [
        # wallpaper changes did not apply: monitors were named inconsistently
        (fetchUpstream.source "xfdesktop-consistent-monitor-ids")
      ];
    });
  };
}
