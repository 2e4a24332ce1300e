# The Asterinas NixOS installer ISO.
#
#   nix-build distro/nixos/iso --arg kernel ./asterinas-osdk-bin
#   nix-build distro/nixos/iso --arg autoInstall true      # unattended, for CI
#
# The ISO boots an ordinary NixOS (Linux) installer; only the system it
# installs runs Asterinas. Root is logged in automatically and finds an
# editable spec in ~/aster-config.toml. With autoInstall, logging in on the
# virtio console (hvc0) installs that spec onto /dev/vda and powers off
# afterwards whether or not the installation succeeded, as upstream does: an
# unattended run must end, and its log on the console says how it went.
#
# Upstream equivalent: distro/iso_image/default.nix (facts:
# installer_and_iso.iso_image).
{
  pkgs ? import <nixpkgs> { },
  # Unattended install on the virtio console, then power off.
  autoInstall ? false,
  # Kernel image the installed system boots unless its spec names another.
  kernel ? null,
  # Shown in the boot menu and os-release; empty: NixOS's own label.
  version ? "",
  # For building aster-config; must provide Rust 1.88 or newer.
  rustPlatform ? pkgs.rustPlatform,
  # Binary caches and the target system the installer uses by default
  # (upstream: extra-substituters, extra-trusted-public-keys,
  # target_platform); null: the installer's own defaults, which are
  # upstream's caches and x86_64-linux.
  substituters ? null,
  trusted-public-keys ? null,
  system ? null,
}:
let
  inherit (pkgs) lib;

  aster-config = pkgs.callPackage ./aster-config.nix { inherit rustPlatform; };
  installer = import ../installer {
    inherit
      pkgs
      kernel
      aster-config
      substituters
      trusted-public-keys
      system
      ;
  };

  isoModule =
    { lib, ... }:
    {
      imports = [
        "${pkgs.path}/nixos/modules/installer/cd-dvd/installation-cd-minimal.nix"
        "${pkgs.path}/nixos/modules/installer/cd-dvd/channel.nix"
      ];

      system.nixos.distroName = "Asterinas NixOS";
      system.nixos.label = lib.mkIf (version != "") version;
      isoImage.appendToMenuLabel = " Installer";

      # The installation profile logs in user "nixos"; installing needs root.
      # mkForce because that profile sets the option at normal priority.
      services.getty.autologinUser = lib.mkForce "root";

      environment.systemPackages = [
        installer
        aster-config
      ];

      environment.etc."aster-nixos/starter.toml".source = ./starter.toml;

      # Runs for every login shell; only root acts on it (login.sh). The
      # auto-install is chosen here, the behaviour is in the script, which
      # distro/tests/iso.rs runs with stand-ins for the installer and poweroff.
      environment.loginShellInit = ''
        aster_auto_install=${if autoInstall then "1" else "0"}
      ''
      + builtins.readFile ./login.sh;
    };

  nixos = import "${pkgs.path}/nixos/lib/eval-config.nix" {
    inherit (pkgs.stdenv.hostPlatform) system;
    modules = [ isoModule ];
  };
in
nixos.config.system.build.isoImage
