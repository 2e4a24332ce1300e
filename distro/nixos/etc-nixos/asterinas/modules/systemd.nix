# systemd on Asterinas: the patched package, the units that must stay off,
# and the consoles.
#
# Upstream equivalent: distro/etc_nixos/modules/systemd.nix (facts:
# nixos_settings_forced systemd.*, services.*, users.users.root.*,
# unsupported_or_limited area "systemd"); SYSTEMD_LOG_LEVEL comes from
# upstream's core.nix.
#
# Units switched off here are mkForce: on Asterinas they fail or stall boot,
# so a module that enables them as a side effect must not win. To try one
# again on a newer kernel, set it with `lib.mkOverride 40 true`, which
# outranks mkForce (50).
{
  config,
  lib,
  pkgs,
  ...
}:
let
  # Extra consoles beyond tty1: the virtio console first, then VTs 2-6.
  extraConsoles = [
    "autovt@hvc0.service"
  ]
  ++ map (n: "autovt@tty${toString n}.service") [
    2
    3
    4
    5
    6
  ];
in
{
  config = {
    # systemdMinimal with Asterinas patches and placeholder units, built by
    # overlays/systemd. The stock package needs kernel features that are
    # missing (epoll on /proc/mountinfo, MS_SLAVE propagation), so it does
    # not boot. Declared in nixos/modules/system/boot/systemd.nix.
    systemd.package = lib.mkForce pkgs.aster_systemd;

    # The kernel cannot write core dumps.
    systemd.coredump.enable = lib.mkForce false;
    # Needs pressure-stall information and cgroup features that do not work
    # yet (nixos/modules/system/boot/systemd/oomd.nix).
    systemd.oomd.enable = lib.mkForce false;
    # udev does not run (no uevent-driven device management yet); the kernel
    # creates device nodes itself. nixos/modules/services/hardware/udev.nix.
    services.udev.enable = lib.mkForce false;
    # timesyncd does not work yet (nixos/modules/system/boot/timesyncd.nix).
    services.timesyncd.enable = lib.mkForce false;

    # Units that do not work yet and hold up or fail boot.
    systemd.services = {
      logrotate.enable = lib.mkForce false;
      # networking is brought up without the scripted network-setup unit
      network-setup.enable = lib.mkForce false;
      # /etc/resolv.conf is written directly, see networking.nix
      resolvconf.enable = lib.mkForce false;
      # the patched package ships a no-op placeholder for this unit too
      systemd-random-seed.enable = lib.mkForce false;
      systemd-tmpfiles-clean.enable = lib.mkForce false;
      systemd-tmpfiles-setup.enable = lib.mkForce false;
    };

    # Quiet systemd until the errors and warnings it prints are fixed
    # (upstream TODO). mkDefault: raise it when debugging.
    environment.sessionVariables.SYSTEMD_LOG_LEVEL = lib.mkDefault "crit";
    systemd.extraConfig = ''
      LogLevel=crit
      ShowStatus=no
    '';

    # A root shell on every console, straight away. mkDefault: the compiler
    # or the user may set a different user or none.
    services.getty.autologinUser = lib.mkDefault "root";
    # users-groups.nix gives root its shell with mkDefault (1000); 900 wins
    # over that without clashing, and still yields to a plain definition.
    users.users.root.shell = lib.mkOverride 900 "${pkgs.bash}/bin/bash";
    # Root stays locked, as upstream has it: no password hash here, so
    # users-groups.nix's own initialHashedPassword "!" applies and neither a
    # console login nor `su` accepts any password. The autologin above still
    # gives a root shell on the consoles. mkDefault: a spec or the user may
    # set a real hash (or hashedPasswordFile) for root.
    users.users.root.hashedPassword = lib.mkDefault null;

    # Logins on hvc0 (the usual VM console) and tty2-tty6; tty1 too unless
    # the Xfce desktop owns it.
    systemd.targets.getty.wants =
      lib.optional (!config.services.xserver.enable) "autovt@tty1.service" ++ extraConsoles;
  };
}
