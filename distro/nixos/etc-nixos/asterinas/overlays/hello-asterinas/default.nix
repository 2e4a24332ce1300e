# Adds hello-asterinas, the distro's smoke-test package
# (upstream: distro/etc_nixos/overlays/hello-asterinas/default.nix).
final: _prev: {
  hello-asterinas = final.callPackage ../../pkgs/hello-asterinas { };
}
