# Nix daemon settings the Asterinas kernel requires, and the distro caches.
#
# Upstream equivalent: distro/etc_nixos/modules/core.nix (facts:
# nixos_settings_forced nix.*, unsupported_or_limited area "nix").
# Options are declared in nixos/modules/config/nix.nix (nix.settings, a
# freeform nix.conf) and nixos/modules/config/nix-channel.nix (nix.nixPath).
#
# The four kernel-driven settings are mkForce: each one enables a feature the
# kernel does not have, so a module that turns it back on (a hardening
# profile, say) would break every build rather than make it safer.
{
  config,
  lib,
  options,
  ...
}:
let
  cfg = config.aster_nixos;

  # "a b  c" -> [ "a" "b" "c" ]; the options are space-separated strings.
  words = text: lib.filter (word: word != "") (lib.splitString " " text);
in
{
  config = {
    nix.settings = {
      # The build sandbox needs PID, network and user namespaces; the kernel
      # only has mount, UTS, IPC and cgroup namespaces.
      sandbox = lib.mkForce false;
      # Syscall filtering is done with seccomp, which the kernel lacks.
      filter-syscalls = lib.mkForce false;
      # Build users (nixbld*) do not work yet (upstream issue #2672), so
      # builds run as the user who asked for them.
      build-users-group = lib.mkForce "";
      # Closures are built on the installing host or copied in unsigned;
      # requiring signatures would reject them.
      require-sigs = lib.mkForce false;

      # The distro's patched packages come from its own caches. Plain
      # definitions: these lists concatenate with cache.nixos.org, which
      # nix.nix adds itself.
      substituters = words cfg.substituters;
      trusted-public-keys = words cfg.trusted-public-keys;
    };

    # nix-build, nix-shell and nix-env on the installed system see the same
    # overlays as the system itself. <nixpkgs-overlays> may name a file that
    # evaluates to a list of overlays, which is what the aggregator is. The
    # option default is kept (a plain definition would replace it) and one
    # entry is added.
    nix.nixPath = options.nix.nixPath.default ++ [
      "nixpkgs-overlays=/etc/nixos/asterinas/overlays/default.nix"
    ];
  };
}
