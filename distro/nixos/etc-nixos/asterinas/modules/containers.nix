# Podman and other libpod tools, set up for what the kernel can do.
#
# Upstream equivalent: distro/etc_nixos/modules/container.nix (facts:
# nixos_settings_forced virtualisation.containers.*, unsupported_or_limited
# "Container runtime features", "seccomp", "PID / network / user / time
# namespaces"). Options from nixos/modules/virtualisation/containers.nix.
#
# Active only when something (usually virtualisation.podman.enable) turns on
# virtualisation.containers. Settings that follow from missing kernel
# features are mkForce: podman's own module and containers.conf defaults
# would otherwise ask for namespaces and seccomp that do not exist.
{ config, lib, ... }:
let
  forceAll = lib.mapAttrs (_: lib.mkForce);
in
{
  config = lib.mkIf config.virtualisation.containers.enable {
    # The copy-based vfs driver, with podman's usual state and image
    # directories named explicitly, as upstream does: where nixpkgs gives
    # these as the option's default, any definition replaces the whole
    # default, and storage.conf would lose runroot and graphroot if only the
    # driver were set.
    virtualisation.containers.storage.settings.storage = {
      driver = "vfs";
      runroot = "/run/containers/storage";
      graphroot = "/var/lib/containers/storage";
    };

    # Accept any image signature (a development distro without a keyring).
    # mkDefault: sites with a signing policy replace it.
    virtualisation.containers.policy = lib.mkDefault {
      default = [ { type = "insecureAcceptAnything"; } ];
    };

    virtualisation.containers.containersConf.settings = {
      # Containers share the host's namespaces: the kernel has no PID,
      # network or user namespaces to give them, and no seccomp to confine
      # them, so they also run privileged and unconfined.
      containers = forceAll {
        cgroupns = "host";
        cgroups = "enabled";
        ipcns = "host";
        netns = "host";
        pidns = "host";
        userns = "host";
        privileged = true;
        seccomp_profile = "unconfined";
        keyring = false; # no keyctl/add_key syscalls
        default_sysctls = [ ];
        devices = [ ];
      };
      engine = forceAll {
        # no systemd cgroup manager inside containers, no journald events
        cgroup_manager = "cgroupfs";
        events_logger = "none";
        no_pivot_root = false;
        # the patched runc from overlays/podman
        runtime = "runc";
      };
    };
  };
}
