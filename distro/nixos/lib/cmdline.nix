# The kernel command line renderer, re-exported for tools and tests outside
# /etc/nixos.
#
# The function itself lives in ../etc-nixos/asterinas/lib/cmdline.nix because
# etc-nixos/ is copied verbatim into every installed system's /etc/nixos and
# the boot module there must be able to import it. Keeping a single copy means
# the preview and the installed system can never disagree.
import ../etc-nixos/asterinas/lib/cmdline.nix
