# aster-config, built from this repository's workspace, for the installer ISO.
#
#   pkgs.callPackage ./aster-config.nix { }
#
# The workspace declares rust-version 1.95 (the toolchain it is tested with) and edition 2024. If the given
# rustPlatform is older (NixOS 25.05 ships an older Rust), evaluation stops
# with a message instead of failing halfway through the build; pass a newer
# rustPlatform then.
{
  lib,
  rustPlatform,
}:
let
  repoRoot = ../../..;
  requiredRust = "1.95";
  rustcVersion = rustPlatform.rust.rustc.version or null;
in
assert lib.assertMsg (rustcVersion == null || lib.versionAtLeast rustcVersion requiredRust)
  "aster-config needs Rust ${requiredRust} or newer, this rustPlatform has ${toString rustcVersion}; pass a newer rustPlatform to distro/nixos/iso";
rustPlatform.buildRustPackage {
  pname = "aster-config";
  version = "0.1.0";

  # The whole workspace (its members depend on each other), without build
  # output or VCS metadata.
  src = lib.cleanSourceWith {
    src = lib.cleanSource repoRoot;
    filter = path: _type: baseNameOf path != "target";
  };
  cargoLock.lockFile = repoRoot + "/Cargo.lock";

  cargoBuildFlags = [
    "--package"
    "aster-config"
  ];
  cargoTestFlags = [
    "--package"
    "aster-config"
  ];

  meta = {
    description = "Compiles a TOML system spec into an Asterinas NixOS configuration";
    mainProgram = "aster-config";
    license = lib.licenses.mpl20;
  };
}
