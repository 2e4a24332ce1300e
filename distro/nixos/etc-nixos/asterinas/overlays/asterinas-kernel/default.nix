# Adds asterinasKernelRelease, the builder for a pinned Asterinas kernel
# release artefact (ours; see ../../pkgs/asterinas-kernel). A function, not a
# package: there is no release whose hash we could pin here, so the caller
# supplies url and hash.
final: _prev: {
  asterinasKernelRelease = import ../../pkgs/asterinas-kernel { inherit (final) lib fetchurl; };
}
