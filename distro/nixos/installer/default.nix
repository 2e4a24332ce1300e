# The installer as a package: aster-nixos-install with its tools on PATH and
# the distro's etc-nixos tree next to it.
#
#   nix-build distro/nixos/installer                       # needs <nixpkgs>
#   nix-build distro/nixos/installer --arg kernel ./asterinas-osdk-bin
#
# Upstream equivalent: distro/aster_nixos_installer/default.nix (facts:
# installer_and_iso.installer_derivation). Upstream substitutes option
# defaults into its templates; here they stay ordinary option defaults, and
# only an optional kernel image is added to the packaged etc-nixos.
{
  pkgs ? import <nixpkgs> { },
  # A kernel image to install by default (becomes
  # etc-nixos/asterinas/kernel-image, which aster_configuration.nix uses when
  # aster_nixos.kernel is not set). null: the configuration must name one.
  kernel ? null,
  # aster-config, for installing from a TOML spec; null: taken from PATH.
  aster-config ? null,
  # The script's defaults for --substituters / --trusted-public-keys /
  # --system (upstream's extra-substituters, extra-trusted-public-keys and
  # target_platform); null keeps the script's own: upstream's release and
  # dev caches, x86_64-linux.
  substituters ? null,
  trusted-public-keys ? null,
  system ? null,
}:
let
  inherit (pkgs) lib;

  runtimeTools = with pkgs; [
    bash
    coreutils
    util-linux # mount, umount, blkid
    parted
    gptfdisk # sgdisk
    dosfstools # mkfs.fat
    e2fsprogs # mkfs.ext2
    nix # nix-build, nix-env, nix-store
    nixos-install-tools # nixos-install
  ];
in
pkgs.stdenvNoCC.mkDerivation {
  pname = "aster-nixos-install";
  version = "0.1.0";

  src = lib.fileset.toSource {
    root = ../.;
    fileset = lib.fileset.unions [
      ./aster-nixos-install
      ../etc-nixos
    ];
  };

  nativeBuildInputs = [ pkgs.makeWrapper ];
  nativeInstallCheckInputs = [ pkgs.shellcheck ];

  dontBuild = true;

  installPhase = ''
    runHook preInstall
    install -Dm755 installer/aster-nixos-install $out/bin/aster-nixos-install
    mkdir -p $out/share/aster-nixos
    cp -R etc-nixos $out/share/aster-nixos/etc-nixos
    ${lib.optionalString (kernel != null) ''
      install -Dm644 ${kernel} $out/share/aster-nixos/etc-nixos/asterinas/kernel-image
    ''}
    wrapProgram $out/bin/aster-nixos-install \
      --prefix PATH : ${lib.makeBinPath runtimeTools} \
      --set-default ASTER_ETC_NIXOS $out/share/aster-nixos/etc-nixos \
      ${lib.optionalString (aster-config != null) "--set-default ASTER_CONFIG ${lib.getExe aster-config}"} \
      ${lib.optionalString (substituters != null) "--set-default ASTER_SUBSTITUTERS ${lib.escapeShellArg substituters}"} \
      ${lib.optionalString (trusted-public-keys != null) "--set-default ASTER_TRUSTED_PUBLIC_KEYS ${lib.escapeShellArg trusted-public-keys}"} \
      ${lib.optionalString (system != null) "--set-default ASTER_SYSTEM ${lib.escapeShellArg system}"}
    runHook postInstall
  '';

  doInstallCheck = true;
  installCheckPhase = ''
    shellcheck installer/aster-nixos-install
    $out/bin/aster-nixos-install --help > /dev/null
  '';

  meta = {
    description = "Installs Asterinas NixOS onto a disk";
    mainProgram = "aster-nixos-install";
    license = lib.licenses.mpl20;
    platforms = lib.platforms.linux;
  };
}
