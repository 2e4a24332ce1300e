# Xfce's system-wide desktop defaults: the Asterinas NixOS wallpaper and the
# desktop icons (home, file system, removable media, trash).
#
# Upstream equivalent: distro/etc_nixos/modules/xfce/wallpaper.nix. The same
# wallpaper (pinned in overlays/upstream-patches.nix) and the same settings,
# written as /etc/xdg/xfce4/xfconf/xfce-perchannel-xml/xfce4-desktop.xml,
# which xfconf reads for the "xfce4-desktop" channel unless the user has a
# file of their own under ~/.config/xfce4 (that one always wins).
{
  config,
  lib,
  pkgs,
  ...
}:
let
  xcfg = config.services.xserver;
  enabled = xcfg.enable && xcfg.desktopManager.xfce.enable;

  fetchUpstream = import ../overlays/fetch-upstream.nix { inherit (pkgs) lib fetchurl fetchzip; };
  wallpaper = fetchUpstream.file "xfce-wallpaper";

  # xfconf's channel format: nested <property> elements; a group has type
  # "empty", a leaf a type and a value.
  leaf = name: type: value: ''<property name="${name}" type="${type}" value="${toString value}"/>'';
  group = name: children: ''
    <property name="${name}" type="empty">
    ${lib.concatStringsSep "\n" children}
    </property>'';

  # image-style 5: the picture is zoomed to fill the screen.
  workspace = group "workspace0" [
    (leaf "last-image" "string" wallpaper)
    (leaf "image-style" "int" 5)
  ];

  channel = ''
    <?xml version="1.0" encoding="UTF-8"?>
    <channel name="xfce4-desktop" version="1.0">
    ${leaf "last-settings-migration-version" "uint" 1}
    ${group "backdrop" [
      (group "screen0" [
        # xfdesktop names the first monitor both ways, depending on how it
        # finds it; the patched xfdesktop (overlays/desktop) uses them
        # consistently, and both carry the wallpaper.
        (group "monitor0" [ workspace ])
        (group "monitordefault" [ workspace ])
      ])
    ]}
    ${group "desktop-icons" [
      (group "file-icons" [
        (leaf "show-home" "bool" "true")
        (leaf "show-filesystem" "bool" "true")
        (leaf "show-removable" "bool" "true")
        (leaf "show-trash" "bool" "true")
      ])
      (leaf "icon-size" "uint" 48)
    ]}
    </channel>
  '';
in
{
  config = lib.mkIf enabled {
    environment.etc."xdg/xfce4/xfconf/xfce-perchannel-xml/xfce4-desktop.xml" = {
      source = pkgs.writeText "xfce4-desktop.xml" channel;
      mode = "0644";
    };
  };
}
