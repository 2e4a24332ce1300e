# Which Asterinas kernel image the system boots, and checks on that choice.
#
# Sets system.build.asterinasKernel, the image core.nix links into the system
# closure as $out/kernel (where GRUB looks for it).
#
# Two ways in (see distro/README.md, "How the kernel enters the system"):
#   * aster_nixos.kernel = /path/to/asterinas-osdk-bin;  a local file, copied
#     into the Nix store at evaluation time;
#   * aster_nixos.kernel = pkgs.asterinasKernelRelease { url = ...; hash = ...; };
#     a pinned release artefact fetched with fetchurl (../pkgs/asterinas-kernel).
# Upstream bakes the freshly built image into the installer instead
# (facts: installer_and_iso.installer_derivation.kernel_input).
{
  config,
  lib,
  pkgs,
  ...
}:
let
  cfg = config.aster_nixos;
  chosen = cfg.kernel;

  isPackage = chosen != null && lib.isDerivation chosen;

  # A string path outside the store would become a symlink to a file on the
  # machine that evaluated the configuration, which the installed system does
  # not have. Copy it into the store; store paths and packages stay as they
  # are, and path literals are copied by string interpolation anyway.
  image =
    if chosen == null || isPackage || builtins.isPath chosen then
      chosen
    else if lib.hasPrefix "${builtins.storeDir}/" (toString chosen) then
      chosen
    else
      builtins.path {
        path = chosen;
        name = "asterinas-kernel";
      };

  # Only packages can say how they were built.
  declaredFeatures = if isPackage && chosen ? features then chosen.features else null;
  missingFeatures =
    if declaredFeatures == null then [ ] else lib.subtractLists declaredFeatures cfg.kernel-features;

  # Features that only exist on one architecture (facts: kernel_features).
  featureArch = {
    cvm_guest = "x86_64";
    riscv_sv39_mode = "riscv64";
  };
  wrongArchFeatures = lib.filter (
    feature:
    featureArch ? ${feature} && featureArch.${feature} != pkgs.stdenv.hostPlatform.parsed.cpu.name
  ) cfg.kernel-features;
in
{
  config = {
    system.build.asterinasKernel = image;

    assertions = [
      {
        assertion = chosen != null;
        message = ''
          aster_nixos.kernel is not set, so there is no Asterinas kernel to boot.
          Choose one of:
            1. a kernel image built locally (for example with `make kernel` in the
               Asterinas tree):
                 aster_nixos.kernel = /path/to/target/osdk/iso_root/boot/asterinas-osdk-bin;
            2. a pinned release artefact, fetched and checked by hash:
                 aster_nixos.kernel = pkgs.asterinasKernelRelease {
                   url = "https://.../asterinas-osdk-bin";
                   hash = "sha256-...";  # from: nix-prefetch-url --type sha256 <url>, then nix hash to-sri
                 };
        '';
      }
      {
        assertion = missingFeatures == [ ];
        message = ''
          aster_nixos.kernel-features asks for ${lib.concatStringsSep ", " missingFeatures},
          but the kernel package ${if isPackage then chosen.name else "?"} was built with
          [ ${lib.concatStringsSep " " (if declaredFeatures == null then [ ] else declaredFeatures)} ].
          Use a kernel built with those cargo features, or drop them from kernel-features.
        '';
      }
      {
        assertion = wrongArchFeatures == [ ];
        message = ''
          aster_nixos.kernel-features contains ${lib.concatStringsSep ", " wrongArchFeatures},
          which the kernel only has on another architecture than
          ${pkgs.stdenv.hostPlatform.parsed.cpu.name} (cvm_guest: x86_64, riscv_sv39_mode: riscv64).
        '';
      }
    ];

    warnings = lib.optional (chosen != null && declaredFeatures == null && cfg.kernel-features != [ ]) ''
      aster_nixos.kernel-features = [ ${lib.concatStringsSep " " cfg.kernel-features} ] cannot be
      checked: aster_nixos.kernel is a plain image file, which does not record the
      features it was built with. Make sure it was built with them.
    '';
  };
}
