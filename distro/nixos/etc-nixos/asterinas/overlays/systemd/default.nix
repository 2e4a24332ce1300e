# Adds aster_systemd: systemdMinimal with upstream's three patches and the
# placeholder units NixOS's systemd module expects but systemdMinimal lacks.
# modules/systemd.nix selects it as systemd.package.
#
# Upstream: distro/etc_nixos/overlays/systemd/default.nix (facts: overlays
# "systemd"; unsupported_or_limited "systemd-logind / user sessions /
# firstboot", "epoll on /proc/mountinfo", "MS_SLAVE ..."). Same base, same
# patches in the same order under the same store paths, same pname, and the
# same eight placeholder units with the same behaviour.
#
# Not the same derivation as upstream's, so upstream's binary caches cannot
# serve it and it is built from source: the placeholder units are written by
# this project's own postInstall text (upstream's is not copied), and their
# commands are store paths, because upstream's /bin/true and /bin/mkdir do
# not exist on NixOS (only /bin/sh does), so there user-runtime-dir@ could
# not create /run/user/<uid>.
final: prev:
let
  fetchUpstream = import ../fetch-upstream.nix { inherit (final) lib fetchurl fetchzip; };

  trueBin = "${final.coreutils}/bin/true";

  # name -> unit text. logind, user sessions and firstboot are not in
  # systemdMinimal; random-seed does not work yet. Each does nothing and
  # succeeds, except user-runtime-dir@, which creates the runtime directory
  # user sessions expect.
  units = {
    "systemd-logind.service" = ''
      [Unit]
      Description=systemd-logind (placeholder: not available on Asterinas NixOS)
    '';
    "systemd-user-sessions.service" = ''
      [Unit]
      Description=systemd-user-sessions (placeholder: not available on Asterinas NixOS)
    '';
    # logind's D-Bus activation name, so activation requests find a unit.
    "dbus-org.freedesktop.login1.service" = ''
      [Unit]
      Description=org.freedesktop.login1 (placeholder: no logind on Asterinas NixOS)

      [Service]
      Type=dbus
      BusName=org.freedesktop.login1
      ExecStart=${trueBin}
    '';
    "user@.service" = ''
      [Unit]
      Description=user@%i (placeholder: no user managers on Asterinas NixOS)

      [Service]
      Type=oneshot
      RemainAfterExit=yes
      ExecStart=${trueBin}
    '';
    "user-runtime-dir@.service" = ''
      [Unit]
      Description=Runtime directory /run/user/%i (placeholder for logind's unit)

      [Service]
      Type=oneshot
      RemainAfterExit=yes
      ExecStart=${final.coreutils}/bin/mkdir -p /run/user/%i
    '';
    "systemd-firstboot.service" = ''
      [Unit]
      Description=systemd-firstboot (placeholder: not available on Asterinas NixOS)

      [Service]
      Type=oneshot
      ExecStart=${trueBin}
    '';
    "systemd-random-seed.service" = ''
      [Unit]
      Description=systemd-random-seed (placeholder: does not work on Asterinas yet)

      [Service]
      Type=oneshot
      ExecStart=${trueBin}
    '';
    # Only a file, as upstream has it: the wants directory must exist for
    # NixOS to link it, and an empty mount unit is never mounted.
    "local-fs.target.wants/tmp.mount" = ''
      # Placeholder: keeps local-fs.target.wants present; mounts nothing.
    '';
  };

  installUnits = ''
    units=$out/example/systemd/system
    mkdir -p "$units/local-fs.target.wants"
    ${final.lib.concatStrings (
      final.lib.mapAttrsToList (name: text: ''
        printf '%s' ${final.lib.escapeShellArg text} > "$units/${name}"
      '') units
    )}
  '';
in
{
  aster_systemd = prev.systemdMinimal.overrideAttrs (old: {
    patches = (old.patches or [ ]) ++ [
      (fetchUpstream.source "systemd-skip-mount-state-checking")
      (fetchUpstream.source "systemd-no-looping-too-fast-warning")
      (fetchUpstream.source "systemd-ms-slave-to-ms-private")
    ];
    postInstall = (old.postInstall or "") + installUnits;
  });
}
