# runc and podman patched for the kernel's missing features.
#
# Upstream: distro/etc_nixos/overlays/podman/default.nix (facts: overlays
# "podman"; unsupported_or_limited "MS_SLAVE ...", "eBPF", "POSIX message
# queues", "Container runtime features").
final: prev:
let
  fetchUpstream = import ../fetch-upstream.nix { inherit (final) lib fetchurl; };
  addPatches =
    names: old:
    {
      patches = (old.patches or [ ]) ++ map fetchUpstream.file names;
    };
in
{
  runc = prev.runc.overrideAttrs (
    addPatches [
      # mount propagation: MS_SLAVE is unsupported, MS_PRIVATE works
      "runc-ms-slave-to-ms-private"
      # no bpf syscall, so no eBPF cgroup device filter
      "runc-no-ebpf-device-filter"
      # no POSIX message queues, so no /dev/mqueue mount
      "runc-no-dev-mqueue"
      # user and capability setup is only partly supported; carry on
      "runc-tolerate-user-and-capability-setup"
      # the container state transition check trips on missing features
      "runc-no-container-state-check"
    ]
  );

  # podman is called with runc from the final package set, so it already
  # runs the patched runc above; it only needs its own patch.
  podman = prev.podman.overrideAttrs (addPatches [
    # do not bind /etc/hosts and /etc/resolv.conf into containers
    "podman-no-hosts-resolv-injection"
  ]);
}
