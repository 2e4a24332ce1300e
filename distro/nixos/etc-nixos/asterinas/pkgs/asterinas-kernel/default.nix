# A pinned Asterinas kernel release artefact.
#
#   pkgs.asterinasKernelRelease {
#     url = "https://.../asterinas-osdk-bin";
#     hash = "sha256-...";            # nix-prefetch-url <url>, then nix hash to-sri
#     features = [ "cvm_guest" ];     # the cargo features it was built with
#   }
#
# The result is the kernel image itself (a single file in the store) with
# passthru.features, which modules/kernel.nix checks against
# aster_nixos.kernel-features.
#
# There is deliberately no default url or hash: no release could be fetched
# and hashed where this was written, and an invented hash would only fail
# later, or worse, look verified.
{ lib, fetchurl }:
{
  url,
  hash,
  # Upstream's default build enables cvm_guest (facts: kernel_features).
  features ? [ "cvm_guest" ],
}:
let
  knownFeatures = [
    "cvm_guest"
    "coverage"
    "riscv_sv39_mode"
  ];
  unknownFeatures = lib.subtractLists knownFeatures features;
in
assert lib.assertMsg (builtins.isString url && url != "")
  "asterinasKernelRelease: url must be the download URL of a kernel image";
assert lib.assertMsg (builtins.isString hash && lib.hasPrefix "sha256-" hash)
  "asterinasKernelRelease: hash must be an SRI sha256 (sha256-...); compute it with nix-prefetch-url ${toString url} and nix hash to-sri --type sha256";
assert lib.assertMsg (hash != lib.fakeHash)
  "asterinasKernelRelease: lib.fakeHash is not a hash; compute the real one with nix-prefetch-url";
assert lib.assertMsg (unknownFeatures == [ ])
  "asterinasKernelRelease: unknown kernel features ${toString unknownFeatures}; known: ${toString knownFeatures}";
fetchurl {
  name = "asterinas-kernel";
  inherit url hash;
  passthru = { inherit features; };
  meta = {
    description = "Asterinas kernel image (pinned release artefact)";
    homepage = "https://github.com/asterinas/asterinas";
    license = lib.licenses.mpl20;
    platforms = [ "x86_64-linux" ];
  };
}
