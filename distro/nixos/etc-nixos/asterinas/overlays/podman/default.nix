# runc and podman patched for the kernel's missing features.
#
# Upstream: distro/etc_nixos/overlays/podman/default.nix (facts: overlays
# "podman"; unsupported_or_limited "MS_SLAVE ...", "eBPF", "POSIX message
# queues", "Container runtime features"). The same patches in upstream's
# order, under the same store paths (fetchUpstream.source), so both packages
# are the same derivations as upstream's and its binary caches serve them.
final: prev:
let
  fetchUpstream = import ../fetch-upstream.nix { inherit (final) lib fetchurl fetchzip; };
  withPatches =
    names: old:
    {
      patches = (old.patches or [ ]) ++ map fetchUpstream.source names;
    };
in
{
  runc = prev.runc.overrideAttrs (withPatches [
    # the container state transition check trips on missing features
    "runc-no-container-state-check"
    # no POSIX message queues, so no /dev/mqueue mount
    "runc-no-dev-mqueue"
    # no bpf syscall, so no eBPF cgroup device filter
    "runc-no-ebpf-device-filter"
    # user and capability setup is only partly supported; carry on
    "runc-tolerate-user-and-capability-setup"
    # mount propagation: MS_SLAVE is unsupported, MS_PRIVATE works
    "runc-ms-slave-to-ms-private"
  ]);

  # Do not bind /etc/hosts and /etc/resolv.conf into containers. Built with
  # the patched runc, named explicitly as upstream does.
  podman =
    (prev.podman.overrideAttrs (withPatches [
      "podman-no-hosts-resolv-injection"
    ])).override
      { runc = final.runc; };
}
