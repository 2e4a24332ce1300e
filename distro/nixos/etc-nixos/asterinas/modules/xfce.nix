# The Xfce desktop without a display manager, on the UEFI framebuffer.
#
# Upstream equivalent: distro/etc_nixos/modules/xfce/default.nix and its
# start_xfce.sh (facts: nixos_settings_forced
# services.displayManager.autoLogin.enable,
# services.xserver.displayManager.lightdm.enable, systemd.services.xfce-desktop;
# unsupported_or_limited "sysfs graphics info / udev", "Enabling Xfce after
# install"). The wallpaper and desktop icons are in xfce-wallpaper.nix.
#
# Started as upstream starts it: a system unit on tty1 runs a script that
# starts a D-Bus session bus, the X server on :0 / vt1 and an Xfce session.
# The X server reads its configuration from the xorg.conf.d snippet the
# desktop overlay installs with it (fbdev on /dev/fb0, evdev keyboard
# "Keyboard" and mouse "Mouse0" on /dev/input/event0 and event1); NixOS's
# generated X configuration is not used, so none of the services.xserver
# driver or layout options apply.
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

  # This project's script; the steps, flags and log files are upstream's.
  startXfce = pkgs.writeShellScriptBin "start_xfce" ''
    # The system profile: PATH, XDG_DATA_DIRS and the rest Xfce looks for.
    # shellcheck disable=SC1091
    . /etc/profile

    # 1. A D-Bus session bus (there is no logind, so no user bus).
    mkdir -p /var/lib/dbus
    ${pkgs.dbus}/bin/dbus-uuidgen --ensure=/var/lib/dbus/machine-id
    eval "$(${pkgs.dbus}/bin/dbus-launch --sh-syntax)"

    # 2. The X server on vt1, with the keyboard and mouse its xorg.conf.d
    #    snippet declares; modules and keymaps from the system profile.
    nohup ${pkgs.xorg.xorgserver}/bin/Xorg :0 vt1 \
      -modulepath /run/current-system/sw/lib/xorg/modules \
      -xkbdir /run/current-system/sw/share/X11/xkb \
      -logverbose 0 \
      -logfile /var/log/xorg_debug.log \
      -novtswitch \
      -keeptty \
      -keyboard keyboard \
      -pointer mouse0 \
      >/var/log/xorg.log 2>&1 &

    # 3. The Xfce session on that display, logging to a root-only file.
    export DISPLAY=:0
    log=/var/log/xfce-session.log
    mkdir -p "$(dirname "$log")"
    : >"$log"
    chmod 600 "$log"
    nohup ${pkgs.xfce.xfce4-session}/bin/xfce4-session >>"$log" 2>&1 &
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

    # The framebuffer driver the xorg.conf.d snippet names, in the system
    # profile where -modulepath looks (upstream adds it whenever X is on).
    (lib.mkIf xcfg.enable {
      environment.systemPackages = [ pkgs.xorg.xf86videofbdev ];
    })

    (lib.mkIf enabled {
      environment.systemPackages = [ startXfce ];

      # The desktop owns tty1; systemd.nix leaves tty1's getty out then.
      # Unit settings as upstream: a simple service whose script starts the
      # server and the session in the background and returns; KillMode
      # process leaves them running, Restart no keeps a failed desktop from
      # looping.
      systemd.services.xfce-desktop = {
        description = "XFCE Desktop Environment";
        wantedBy = [ "multi-user.target" ];
        conflicts = [ "getty@tty1.service" ];
        serviceConfig = {
          Type = "simple";
          Environment = "DISPLAY=:0";
          ExecStart = "${startXfce}/bin/start_xfce";
          StandardOutput = "tty";
          StandardError = "tty";
          KillMode = "process";
          Delegate = "yes";
          Restart = "no";
        };
      };
    })
  ];
}
