# Adds aster_systemd: systemdMinimal patched for Asterinas, with placeholder
# units for what systemdMinimal leaves out or what does not work yet.
# modules/systemd.nix selects it as systemd.package.
#
# Upstream: distro/etc_nixos/overlays/systemd/default.nix (facts: overlays
# "systemd"; unsupported_or_limited "systemd-logind / user sessions /
# firstboot", "epoll on /proc/mountinfo", "MS_SLAVE ...").
final: prev:
let
  fetchUpstream = import ../fetch-upstream.nix { inherit (final) lib fetchurl; };

  # NixOS's systemd module links these units from the package and fails when
  # one is missing. Each placeholder is skipped by systemd (its condition is
  # never met), so nothing runs and nothing fails.
  placeholders = [
    "systemd-logind.service"
    "systemd-user-sessions.service"
    "user@.service"
    "user-runtime-dir@.service"
    "systemd-firstboot.service"
    "systemd-random-seed.service"
  ];

  neverCondition = "ConditionPathExists=/run/aster_systemd/placeholder-units-never-run";

  placeholderService =
    unit:
    final.writeText unit ''
      [Unit]
      Description=Placeholder for ${unit} (not available on Asterinas yet)
      ${neverCondition}

      [Service]
      Type=oneshot
      RemainAfterExit=yes
      ExecStart=/run/current-system/sw/bin/true
    '';

  # A mount unit needs What/Where to load at all.
  placeholderTmpMount = final.writeText "tmp.mount" ''
    [Unit]
    Description=Placeholder for tmp.mount (not available on Asterinas yet)
    ${neverCondition}

    [Mount]
    What=tmpfs
    Where=/tmp
    Type=tmpfs
  '';

  installPlaceholders = ''
    units=$out/example/systemd/system
    mkdir -p "$units/local-fs.target.wants"
    ${final.lib.concatMapStrings (unit: ''
      install -m 0644 ${placeholderService unit} "$units/${unit}"
    '') placeholders}
    install -m 0644 ${placeholderTmpMount} "$units/tmp.mount"
    ln -sfn ../tmp.mount "$units/local-fs.target.wants/tmp.mount"
    # logind's D-Bus activation alias
    ln -sfn systemd-logind.service "$units/dbus-org.freedesktop.login1.service"
  '';
in
{
  aster_systemd = prev.systemdMinimal.overrideAttrs (old: {
    pname = "aster-systemd";
    patches = (old.patches or [ ]) ++ [
      (fetchUpstream.file "systemd-skip-mount-state-checking")
      (fetchUpstream.file "systemd-no-looping-too-fast-warning")
      (fetchUpstream.file "systemd-ms-slave-to-ms-private")
    ];
    postInstall = (old.postInstall or "") + installPlaceholders;
  });
}
