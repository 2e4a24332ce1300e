# Asterinas NixOS: the module every installed system imports.
#
# The configuration.nix that aster-config emits imports this file. It
#   1. declares the `aster_nixos.*` options (the knobs the compiler sets),
#   2. imports the distro modules under ./asterinas/modules, which make a
#      NixOS system boot on the Asterinas kernel instead of Linux, and
#   3. applies the distro's package overlays from ./asterinas/overlays.
#
# Upstream equivalent: distro/aster_nixos_installer/templates/aster_configuration.nix
# (facts: aster_nixos_options). Upstream fills the defaults in at installer
# build time from @placeholders@; here they are ordinary option defaults and
# the compiler writes the chosen values into configuration.nix instead.
{ lib, ... }:
let
  inherit (lib) mkOption types;

  # The kernel build features a system may ask for (facts: kernel_features,
  # upstream kernel/Cargo.toml).
  # Upstream's binary caches for the distro's patched packages (upstream
  # Makefile: RELEASE_/DEV_SUBSTITUTER and their keys, which upstream's
  # build scripts pass to the installer, the ISO and these option defaults).
  upstreamCaches = [
    {
      url = "https://aster-nixos-release.cachix.org";
      key = "aster-nixos-release.cachix.org-1:xB6U/f5ck5vGDJZ04kPp3zGpZ4Nro9X4+TSSMAETVFE=";
    }
    {
      url = "https://aster-nixos-dev.cachix.org";
      key = "aster-nixos-dev.cachix.org-1:xrCbE2flfliFTQCY/2HeJoT2tCO+5kMTZeLIUH9lnIA=";
    }
  ];

  kernelFeatureNames = [
    "cvm_guest"
    "coverage"
    "riscv_sv39_mode"
  ];
in
{
  imports = [
    ./asterinas/modules/kernel.nix
    ./asterinas/modules/core.nix
    ./asterinas/modules/nix-settings.nix
    ./asterinas/modules/systemd.nix
    ./asterinas/modules/networking.nix
    ./asterinas/modules/xfce.nix
    ./asterinas/modules/xfce-wallpaper.nix
    ./asterinas/modules/containers.nix
  ];

  options.aster_nixos = {
    kernel = mkOption {
      # Upstream declares a plain path whose default is the freshly built
      # kernel. Here the default is an image packaged next to this file by the
      # installer (installer/default.nix, argument `kernel`) when there is one,
      # else null, and modules/kernel.nix asserts with instructions.
      type = types.nullOr types.path;
      default = if builtins.pathExists ./asterinas/kernel-image then ./asterinas/kernel-image else null;
      defaultText = lib.literalExpression "./asterinas/kernel-image if the installer packaged one, else null";
      example = "/home/me/asterinas/target/osdk/iso_root/boot/asterinas-osdk-bin";
      description = ''
        The Asterinas kernel image to boot. Either a local file (for example
        the image `make kernel` / cargo osdk builds), which is copied into the
        Nix store, or a pinned release artefact built with
        `pkgs.asterinasKernelRelease { url = ...; hash = ...; }`.
      '';
    };

    disable-systemd = mkOption {
      # A string enum, not a bool, because that is how upstream declares it
      # and how the compiler emits it.
      type = types.enum [
        "true"
        "false"
      ];
      default = "false";
      description = ''
        "true" stops stage 2 from starting systemd; it runs
        `aster_nixos.stage-2-hook` instead (a debugging aid).
      '';
    };

    stage-2-hook = mkOption {
      type = types.str;
      default = "/bin/sh -l";
      description = ''
        Command stage 2 runs once, instead of starting systemd, when
        `aster_nixos.disable-systemd` is "true".
      '';
    };

    log-level = mkOption {
      type = types.enum [
        "error"
        "warn"
        "info"
        "debug"
        "trace"
      ];
      default = "error";
      description = ''
        Kernel log level, written as loglevel= on the kernel command line.
        The kernel has no "trace" level; it is rendered as "debug", the most
        verbose level the kernel knows.
      '';
    };

    console = mkOption {
      # The kernel also accepts ttyS0; upstream's option offers only these two.
      type = types.enum [
        "tty0"
        "hvc0"
      ];
      default = "hvc0";
      description = ''
        Console device, written as console= on the kernel command line.
        hvc0 is the virtio console; tty0 needs a boot protocol with a
        framebuffer (linux-efi-handover64 or linux-efi-pe64).
      '';
    };

    break-into-stage-1-shell = mkOption {
      type = types.bool;
      default = false;
      description = ''
        Stop in the initramfs busybox shell instead of switching to the real
        root (rd.break=1 on the kernel command line).
      '';
    };

    substituters = mkOption {
      # One space-separated string, as upstream and the compiler have it.
      type = types.str;
      default = lib.concatMapStringsSep " " (cache: cache.url) upstreamCaches;
      example = "";
      description = ''
        Binary caches for the distro's patched packages, space separated;
        by default upstream's release and dev caches. Added to
        nix.settings.substituters (after which cache.nixos.org still comes).
        "" turns them off. They serve only derivations identical to
        upstream's (see distro/README.md for which are); the rest is built
        from source either way.
      '';
    };

    trusted-public-keys = mkOption {
      type = types.str;
      default = lib.concatMapStringsSep " " (cache: cache.key) upstreamCaches;
      example = "";
      description = ''
        Public keys of `aster_nixos.substituters`, space separated; by
        default those of upstream's caches. Added to
        nix.settings.trusted-public-keys.
      '';
    };

    # --- ours (not upstream) ---

    kernel-params = mkOption {
      type = types.listOf types.str;
      default = [ ];
      example = [ "i8042.exist=0" ];
      description = ''
        Extra kernel parameters, appended after the distro's own and before
        the `--` that starts the stage-1 arguments. Entries must not contain
        whitespace or double quotes.
      '';
    };

    kernel-features = mkOption {
      type = types.listOf (types.enum kernelFeatureNames);
      default = [ ];
      example = [ "cvm_guest" ];
      description = ''
        Kernel build features this system needs. When the kernel is a package
        that declares `passthru.features`, evaluation fails if one of these is
        missing from it; for a plain image file it only produces a warning,
        because a file cannot tell how it was built.
      '';
    };
  };

  config = {
    # No nixpkgs.hostPlatform here. Upstream writes the installer's target
    # into its template; here the installer passes it as `--argstr system`,
    # which reaches nixpkgs.system, and any definition of hostPlatform, even a
    # mkDefault one, would win over that and build for the wrong machine.
    # A compiled spec sets hostPlatform from its [system] architecture; on the
    # installed machine nixos-rebuild evaluates for the machine itself.

    # Every distro overlay, in the aggregator's order. A plain definition so it
    # merges (list concatenation) with overlays the compiler or the user adds.
    nixpkgs.overlays = import ./asterinas/overlays;
  };
}
