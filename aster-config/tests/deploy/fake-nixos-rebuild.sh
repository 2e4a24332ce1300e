#!/bin/sh
# A recording stand-in for nixos-rebuild, put first on PATH by tests/deploy.rs.
#
# Appends to $FAKE_REBUILD_LOG one "args:" line with its arguments and one "saw" line per file
# it finds in the folder of the nixos-config it was given (path and SHA-256), so a test can tell
# exactly which files a rebuild would have built. Then it sleeps for the number of seconds in
# $FAKE_REBUILD_DIR/sleep (if that file exists) and exits with the code in $FAKE_REBUILD_DIR/exit
# (default 0), printing an evaluation error the way Nix does when the code is not 0.
#
# On success it leaves the links a real rebuild leaves, under the root the nixos-config path
# names (<root>/etc/nixos/configuration.nix), pointing at a made-up system store path that
# depends on the configuration and the -I nixpkgs=… it was given: `test` and `switch` set
# <root>/run/current-system, `switch` and `boot` add a profile generation under
# <root>/nix/var/nix/profiles (system -> system-N-link -> the store path). It logs the path as
# "system: …". Nothing is linked for --rollback or --target-host.
set -eu
log="${FAKE_REBUILD_LOG:?FAKE_REBUILD_LOG is not set}"
control="${FAKE_REBUILD_DIR:?FAKE_REBUILD_DIR is not set}"
config=""
nixpkgs=""
remote=""
rollback=""
action="${1:-}"
for arg in "$@"; do
    case "$arg" in
        nixos-config=*) config="${arg#nixos-config=}" ;;
        nixpkgs=*) nixpkgs="${arg#nixpkgs=}" ;;
        --target-host) remote=1 ;;
        --rollback) rollback=1 ;;
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
root="${config%/etc/nixos/configuration.nix}"
if [ -n "$root" ] && [ "$root" != "$config" ] && [ -z "$remote" ] && [ -z "$rollback" ]; then
    sum="$( (cat "$config"; printf '%s' "$nixpkgs") | sha256sum | cut -c1-32)"
    system="/nix/store/$sum-nixos-system-asterinas-25.05"
    case "$action" in
        test|switch)
            mkdir -p "$root/run"
            ln -sfn "$system" "$root/run/current-system"
            ;;
    esac
    case "$action" in
        switch|boot)
            profiles="$root/nix/var/nix/profiles"
            mkdir -p "$profiles"
            n=$(($(find "$profiles" -name 'system-*-link' | wc -l) + 1))
            ln -sfn "$system" "$profiles/system-$n-link"
            ln -sfn "system-$n-link" "$profiles/system"
            ;;
    esac
    echo "system: $system" >> "$log"
fi
echo "finished: 0" >> "$log"
