# The boot chain: GRUB (EFI) -> Asterinas kernel -> busybox stage 1 -> NixOS stage 2.
#
# Upstream equivalent: distro/etc_nixos/modules/core.nix (facts:
# nixos_settings_forced, kernel_parameters.distro_stage1_parameters).
#
# Priorities used in this module, on purpose:
#   lib.mkForce  the kernel leaves no alternative (no Linux kernel, no modules,
#                no NixOS initrd); a different value elsewhere would only
#                produce a system that cannot boot, so ours must win.
#   plain        distro choices that should clash loudly if another module
#                disagrees.
#   lib.mkDefault defaults a user or the compiler is expected to override
#                (hostname, branding, stateVersion, GRUB generation count).
{
  config,
  lib,
  pkgs,
  ...
}:
let
  cfg = config.aster_nixos;

  renderCmdline = import ../lib/cmdline.nix;

  # aster-nixos-install puts the root file system on the second partition of
  # the disk, and the VM gives the installed disk to the guest as its first
  # virtio-blk device. The kernel names block devices itself (no udev, so no
  # /dev/disk/by-label), hence a fixed device name, as upstream has it.
  rootDevice = "/dev/vda2";

  # Stage 1 switches to the newest generation; GRUB keeps only one entry
  # anyway (configurationLimit below).
  stage2Init = "/nix/var/nix/profiles/system/init";

  kernelParams = renderCmdline {
    inherit (cfg) console;
    logLevel = cfg.log-level;
    root = rootDevice;
    init = stage2Init;
    extra = cfg.kernel-params;
    breakIntoStage1Shell = cfg.break-into-stage-1-shell;
  };

  busybox = pkgs.busybox;

  # File systems the kernel registers for mount(2) (facts: filesystems), and
  # "auto", which mount resolves by probing.
  mountableTypes = [
    "ext2"
    "exfat"
    "tmpfs"
    "ramfs"
    "proc"
    "sysfs"
    "cgroup2"
    "configfs"
    "devpts"
    "overlay"
    "virtiofs"
    "auto"
  ];

  # mount point -> why it cannot be mounted at boot, for every fileSystems
  # entry systemd would mount (not "noauto").
  unmountable = lib.filterAttrs (_: why: why != null) (
    lib.mapAttrs (
      _: fs:
      if lib.elem "noauto" (fs.options or [ ]) then
        null
      else if lib.hasPrefix "/dev/disk/" (toString (fs.device or "")) then
        "${fs.device} is a udev link; without udev the kernel's device names (/dev/vda2) are all there is"
      else if !(lib.elem (fs.fsType or "auto") mountableTypes) then
        "the kernel cannot mount ${fs.fsType}"
      else
        null
    ) config.fileSystems
  );

  # Stage 1, run by the kernel as /init of the initramfs (PID 1). The kernel
  # hands it the words after `--` on the command line as arguments; root=,
  # init= and rd.break= are for stage 1, every other word is passed on to
  # init (NixOS stage 2, which hands them to systemd), as upstream does.
  stage1 = pkgs.writeScript "asterinas-stage-1" ''
    #!${busybox}/bin/sh
    export PATH=/bin

    rescue() {
      echo "asterinas stage 1: $*"
      echo "asterinas stage 1: starting a shell; leave it to try to continue booting"
      sh -i
    }

    mkdir -p /proc /sys /run /sysroot
    mount -t proc proc /proc
    mount -t sysfs sysfs /sys
    mount -t tmpfs -o mode=0755 tmpfs /run

    root=
    init=
    rd_break=0
    # Takes out the words meant for stage 1 and keeps the rest, in order, as
    # the positional parameters (the only list POSIX sh has).
    remaining=$#
    while [ "$remaining" -gt 0 ]; do
      arg=$1
      shift
      remaining=$((remaining - 1))
      case "$arg" in
        root=*) root="''${arg#root=}" ;;
        init=*) init="''${arg#init=}" ;;
        rd.break=*) rd_break="''${arg#rd.break=}" ;;
        *) set -- "$@" "$arg" ;;
      esac
    done
    # Ours: if the kernel passed no stage-1 words, look for root= and init=
    # on the whole command line (nothing else from it is passed on).
    if [ -z "$root" ] && [ -r /proc/cmdline ]; then
      # shellcheck disable=SC2013 # words, not lines, are wanted here
      for arg in $(cat /proc/cmdline); do
        case "$arg" in
          root=*) root="''${arg#root=}" ;;
          init=*) init="''${arg#init=}" ;;
        esac
      done
    fi
    [ -n "$root" ] || rescue "no root= on the kernel command line"
    [ -n "$init" ] || rescue "no init= on the kernel command line"

    # The kernel registers virtio disks while we start; give it a moment.
    tries=0
    while [ ! -b "$root" ] && [ "$tries" -lt 50 ]; do
      sleep 0.1
      tries=$((tries + 1))
    done
    # ext2 is the only file system the kernel can use as root.
    mount -t ext2 "$root" /sysroot || rescue "cannot mount $root (ext2) on /sysroot"

    if [ "$rd_break" = 1 ]; then
      echo "asterinas stage 1: rd.break=1, stopping before switching to $root"
      sh -i
    fi

    # Hand the already mounted /dev (populated by the kernel, which has no
    # devtmpfs), /proc, /sys and /run over to the real root. NixOS stage 2
    # skips its own special mounts when /proc is already there.
    for fs in /dev /proc /sys /run; do
      mkdir -p "/sysroot$fs"
      mount --move "$fs" "/sysroot$fs" 2>/dev/null ||
        mount --bind "$fs" "/sysroot$fs" ||
        rescue "cannot hand $fs over to the real root"
    done

    exec switch_root /sysroot "$init" "$@"
  '';

  initrd = pkgs.makeInitrd {
    name = "asterinas-initrd";
    contents = [
      {
        object = stage1;
        symlink = "/init";
      }
      {
        object = "${busybox}/bin";
        symlink = "/bin";
      }
    ];
  };

  # NixOS stage 2 sends its output through `tee` in a process substitution.
  # This line turns each such `exec > >(tee ...` into a no-op that still
  # parses (`true || exec ...`), so stage 2 writes straight to the console.
  silenceStage2Logging = ''
    sed -i 's/^\([[:space:]]*\)exec > >(tee/\1true || exec > >(tee/' "$out/init"
    if ! grep -q 'true || exec > >(tee' "$out/init"; then
      echo "aster_nixos: stage-2 log redirection not found in $out/init;" >&2
      echo "aster_nixos: nixpkgs changed, update asterinas/modules/core.nix" >&2
      exit 1
    fi
  '';

  # With aster_nixos.disable-systemd = "true", stage 2 must not exec systemd;
  # boot.postBootCommands below runs the hook instead.
  dropSystemdExec = ''
    sed -i 's|^\([[:space:]]*\)exec \([^ ]*/systemd\) "\$@"$|\1: aster_nixos.disable-systemd: not starting \2|' "$out/init"
    if grep -q '^[[:space:]]*exec [^ ]*/systemd "\$@"$' "$out/init" ||
      ! grep -q 'aster_nixos.disable-systemd: not starting' "$out/init"; then
      echo "aster_nixos: could not remove the systemd exec from $out/init;" >&2
      echo "aster_nixos: nixpkgs changed, update asterinas/modules/core.nix" >&2
      exit 1
    fi
  '';
in
{
  config = {
    # --- GRUB, EFI only ---
    # The kernel is built for EFI boot (linux-efi-handover64), so these are
    # not negotiable; mkForce also beats a generated hardware or default
    # configuration that picked systemd-boot or EFI variables.
    boot.loader.grub.enable = lib.mkForce true;
    boot.loader.grub.efiSupport = lib.mkForce true;
    # EFI-only install: no MBR/BIOS device to write GRUB to.
    boot.loader.grub.device = lib.mkForce "nodev";
    # Install to the removable-media path (EFI/BOOT/BOOTX64.EFI) so the
    # firmware finds GRUB without NVRAM boot entries. NixOS requires
    # canTouchEfiVariables to be off for that.
    boot.loader.grub.efiInstallAsRemovable = lib.mkForce true;
    boot.loader.efi.canTouchEfiVariables = lib.mkForce false;
    boot.loader.systemd-boot.enable = lib.mkForce false;
    # One boot entry: /boot is FAT, which Asterinas cannot mount, so older
    # generations could not be maintained from the running system anyway.
    # mkDefault: more entries do not break booting.
    boot.loader.grub.configurationLimit = lib.mkDefault 1;

    # --- no Linux kernel, no NixOS initrd ---
    # Nothing Linux-specific may come back: it would be built for nothing and
    # GRUB would boot it instead of Asterinas.
    boot.kernel.enable = lib.mkForce false;
    boot.initrd.enable = lib.mkForce false;
    # modprobe.nix points the kernel at modprobe and links kernel modules;
    # Asterinas loads no Linux modules. Forced because modprobe.nix defines
    # the script at normal priority.
    system.activationScripts.modprobe = lib.mkForce "";
    # The bootspec document (boot.json) describes boot.kernelPackages.kernel
    # and the NixOS initrd, neither of which is booted here; generating it
    # would pull a Linux kernel into the closure. Not upstream: our choice.
    boot.bootspec.enable = lib.mkDefault false;

    # The stage-1 initramfs, for inspection:
    #   nix-build '<nixpkgs/nixos>' -A config.system.build.asterinasInitrd
    system.build.asterinasInitrd = initrd;

    # --- what GRUB boots (modules/system/activation/top-level.nix runs this
    # after it has copied stage 2 to $out/init) ---
    system.systemBuilderCommands = ''
      ${lib.optionalString (config.system.build.asterinasKernel != null) ''
        ln -s ${config.system.build.asterinasKernel} $out/kernel
      ''}
      ln -s ${initrd}/initrd $out/initrd
      printf '%s' ${lib.escapeShellArg kernelParams} > $out/kernel-params
      ${silenceStage2Logging}
      ${lib.optionalString (cfg.disable-systemd == "true") dropSystemdExec}
    '';

    # Runs near the end of stage 2. With systemd disabled the hook runs once,
    # as upstream runs it; when it returns, stage 2 ends there.
    boot.postBootCommands = lib.mkIf (cfg.disable-systemd == "true") ''
      echo "aster_nixos: systemd is disabled; running: ${cfg.stage-2-hook}"
      ${cfg.stage-2-hook}
    '';

    # texinfo's install-info dies with SIGBUS on Asterinas while the system
    # profile is built (upstream FIXME), which breaks nixos-rebuild. Forced:
    # any module that turns info pages on would break it again
    # (nixos/modules/misc/documentation.nix).
    documentation.info.enable = lib.mkForce false;

    # --- file systems ---
    # No fileSystems."/", as upstream: stage 1 mounts the root named on the
    # kernel command line (root=/dev/vda2) and NixOS only requires a root
    # entry for its own initrd, which is off. A hardware-configuration.nix
    # (which nixos-generate-config would write; neither this installer nor
    # upstream's ever runs it) declares an ext4/ext2 root and a vfat /boot by
    # /dev/disk/by-uuid: no udev makes those links and the kernel has no vfat,
    # so systemd would wait for the devices and end in emergency mode. Rather
    # than override such entries silently, evaluation stops and says so.
    assertions = [
      {
        assertion = unmountable == { };
        message = ''
          Asterinas NixOS cannot mount these file systems at boot:
          ${lib.concatStrings (
            lib.mapAttrsToList (mountPoint: why: "  ${mountPoint}: ${why}\n") unmountable
          )}If they come from a hardware-configuration.nix written by
          nixos-generate-config, delete that file: stage 1 mounts the root
          (${rootDevice}, ext2) itself and /boot is only used by the installer.
          Otherwise name devices as /dev/vdXN and use one of: ${lib.concatStringsSep ", " mountableTypes}
          (or add "noauto" to the entry's options).
        '';
      }
    ];

    # --- branding and defaults (upstream: distro/etc_nixos/configuration.nix) ---
    system.nixos.distroName = lib.mkDefault "Asterinas NixOS";
    system.stateVersion = lib.mkDefault "25.05";
  };
}
