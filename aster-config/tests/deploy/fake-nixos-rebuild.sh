#!/bin/sh
# A recording stand-in for nixos-rebuild, put first on PATH by tests/deploy.rs.
#
# Appends to $FAKE_REBUILD_LOG one "args:" line with its arguments and one "saw" line per file
# it finds in the folder of the nixos-config it was given (path and SHA-256), so a test can tell
# exactly which files a rebuild would have built. Then it sleeps for the number of seconds in
# $FAKE_REBUILD_DIR/sleep (if that file exists) and exits with the code in $FAKE_REBUILD_DIR/exit
# (default 0), printing an evaluation error the way Nix does when the code is not 0.
set -eu
log="${FAKE_REBUILD_LOG:?FAKE_REBUILD_LOG is not set}"
control="${FAKE_REBUILD_DIR:?FAKE_REBUILD_DIR is not set}"
config=""
for arg in "$@"; do
    case "$arg" in
        nixos-config=*) config="${arg#nixos-config=}" ;;
    esac
done
{
    printf 'args:'
    printf ' %s' "$@"
    printf '\n'
    if [ -n "$config" ] && [ -d "$(dirname "$config")" ]; then
        (cd "$(dirname "$config")" && find . -type f ! -path './.aster-config-staging-*' | LC_ALL=C sort | while read -r file; do
            printf '  saw %s %s\n' "${file#./}" "$(sha256sum < "$file" | cut -d' ' -f1)"
        done)
    fi
} >> "$log"
echo "building the system configuration..." >&2
if [ -f "$control/sleep" ]; then
    sleep "$(cat "$control/sleep")"
fi
code=0
if [ -f "$control/exit" ]; then
    code="$(cat "$control/exit")"
fi
if [ "$code" != 0 ]; then
    cat >&2 <<'EOF'
error:
       … while evaluating the attribute 'config.system.build.toplevel'
       error: attribute 'hello-asterinas' missing
       at /etc/nixos/configuration.nix:27:35:
           26|   # [packages]
           27|   environment.systemPackages = [ pkgs.hello-asterinas pkgs.vim ];
             |                                   ^
EOF
    echo "finished: $code" >> "$log"
    exit "$code"
fi
echo "/nix/store/0000000000000000000000000000000-nixos-system-asterinas-25.05"
echo "finished: 0" >> "$log"
