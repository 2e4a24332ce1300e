#!/bin/sh
# Replays fuzzer inputs through the real binary and the real Nix parser — the two things the
# fuzz target itself does not reach:
#   1. `aster-config check` (human and JSON rendering) must exit 0 or 1, never crash;
#   2. every input that builds must give .nix files that `nix-instantiate --parse` accepts
#      (the target only asks rnix).
# Usage, from aster-config/:  fuzz/replay.sh [BINARY] [INPUT_DIR]
# Defaults: ../target/debug/aster-config and fuzz/corpus/check_build. Prints each problem and a
# summary; exits 1 when there was any problem.
set -u

bin=${1:-../target/debug/aster-config}
inputs=${2:-fuzz/corpus/check_build}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# File references in the inputs resolve against a copy of the examples, as in the fuzz target.
cp -r ../examples "$work/spec"

total=0
built=0
problems=0
for input in "$inputs"/*; do
    [ -f "$input" ] || continue
    total=$((total + 1))
    for format in human json; do
        NO_COLOR=1 timeout 20 "$bin" check --format "$format" "$input" >/dev/null 2>&1
        code=$?
        if [ "$code" -gt 1 ]; then
            echo "check --format $format exited $code: $input"
            problems=$((problems + 1))
        fi
    done
    cp "$input" "$work/spec/input.toml"
    rm -rf "$work/out"
    NO_COLOR=1 timeout 20 "$bin" build "$work/spec/input.toml" -o "$work/out" >/dev/null 2>&1
    code=$?
    if [ "$code" -gt 1 ]; then
        echo "build exited $code: $input"
        problems=$((problems + 1))
    fi
    [ -d "$work/out" ] || continue
    built=$((built + 1))
    : >"$work/refused"
    # shellcheck disable=SC2016 # the inner script expands its own arguments
    find "$work/out" -name '*.nix' -exec sh -c '
        for nix do
            NIX_REMOTE=dummy:// nix-instantiate --parse "$nix" >/dev/null 2>"$0.error" && continue
            echo "Nix refuses $nix:"
            head -n 3 "$0.error"
            echo "$nix" >>"$0"
        done' "$work/refused" {} +
    refused=$(wc -l <"$work/refused")
    if [ "$refused" -gt 0 ]; then
        echo "  (built from $input)"
        problems=$((problems + refused))
    fi
done
echo "$total inputs, $built built, $problems problem(s)"
[ "$problems" -eq 0 ]
