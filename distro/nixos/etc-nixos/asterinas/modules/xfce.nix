# The Xfce desktop without a display manager, on the UEFI framebuffer.
#
# Upstream equivalent: distro/etc_nixos/modules/xfce/default.nix (facts:
# nixos_settings_forced services.displayManager.autoLogin.enable,
# services.xserver.displayManager.lightdm.enable, systemd.services.xfce-desktop;
# unsupported_or_limited "sysfs graphics info / udev", "Enabling Xfce after
# install"). Upstream's wallpaper settings (modules/xfce/wallpaper.nix) are
# not carried: they only dress up the desktop.
#
# Takes effect when the configuration enables services.xserver and
# services.xserver.desktopManager.xfce (nixos/modules/services/x11/xserver.nix,
# .../desktop-managers/xfce.nix). Xfce must be enabled at installation time;
# switching it on later with nixos-rebuild does not work yet.
{
  config,
  lib,
  pkgs,
  ...
}:
let
  xcfg = config.services.xserver;
  enabled = xcfg.enable && xcfg.desktopManager.xfce.enable;

  # xinit's startx runs the X server through /etc/X11/xinit/xserverrc, which
  # the startx module fills with NixOS's generated X server arguments, then
  # the client: an Xfce session inside its own D-Bus session bus (there is
  # no logind, so no user bus either).
  startXfce = pkgs.writeShellScriptBin "start_xfce" ''
    set -eu
    cd "$HOME"
    exec ${pkgs.xorg.xinit}/bin/startx \
      ${pkgs.dbus}/bin/dbus-run-session ${pkgs.xfce.xfce4-session}/bin/xfce4-session \
      -- vt1
  '';
in
{
  config = lib.mkMerge [
    {
      # No display manager: lightdm and auto-login both need logind and
      # user sessions, which are placeholders in aster_systemd. mkForce: the
      # xserver module would otherwise pick lightdm by itself.
      services.xserver.displayManager.lightdm.enable = lib.mkForce false;
      services.displayManager.autoLogin.enable = lib.mkForce false;
    }

    (lib.mkIf enabled {
      # startx instead of a display manager; it also writes the xserverrc
      # the launcher relies on (nixos/modules/services/x11/display-managers/startx.nix).
      services.xserver.displayManager.startx.enable = lib.mkDefault true;

      # The kernel offers a plain UEFI framebuffer (/dev/fb0), no DRM/KMS.
      services.xserver.videoDrivers = lib.mkDefault [ "fbdev" ];
      services.xserver.resolutions = lib.mkDefault [
        {
          x = 1280;
          y = 800;
        }
      ];

      # Without udev the X server cannot discover input devices, so they are
      # named here. event0/event1 are what the kernel's keyboard and mouse
      # drivers usually register first; adjust in services.xserver.config if
      # a machine numbers them differently.
      services.xserver.modules = [ pkgs.xorg.xf86inputevdev ];
      services.xserver.serverFlagsSection = ''
        Option "AutoAddDevices" "false"
      '';
      services.xserver.serverLayoutSection = ''
        InputDevice "asterinas-keyboard" "CoreKeyboard"
        InputDevice "asterinas-mouse" "CorePointer"
      '';
      services.xserver.config = ''
        Section "InputDevice"
          Identifier "asterinas-keyboard"
          Driver "evdev"
          Option "Device" "/dev/input/event0"
        EndSection

        Section "InputDevice"
          Identifier "asterinas-mouse"
          Driver "evdev"
          Option "Device" "/dev/input/event1"
        EndSection
      '';

      environment.systemPackages = [
        startXfce
        pkgs.xorg.xf86videofbdev
      ];

      # The desktop owns tty1; systemd.nix leaves tty1's getty out then.
      systemd.services.xfce-desktop = {
        description = "Xfce desktop on tty1 (no display manager)";
        wantedBy = [ "graphical.target" ];
        conflicts = [ "getty@tty1.service" ];
        after = [ "getty@tty1.service" ];
        environment.HOME = "/root";
        serviceConfig = {
          ExecStart = "${startXfce}/bin/start_xfce";
          User = "root";
          TTYPath = "/dev/tty1";
          StandardInput = "tty";
          StandardOutput = "journal";
          Restart = "on-failure";
        };
      };
    })
  ];
}
