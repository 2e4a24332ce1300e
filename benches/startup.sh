#!/usr/bin/env bash
# Whole-process start-up cost of aster-config, against named anchors.
#
# Times, in interleaved hyperfine rounds (same machine, same minutes):
#   cat    `cat examples/web-server.toml`: the anchor, the least any tool reading the spec does
#   check  `aster-config check examples/web-server.toml`
#   build  `aster-config build examples/web-server.toml -o <tmp>`
#   nix    `nix-instantiate --eval --strict` of `builtins.fromTOML` on the same file
#          (what reading the spec in Nix itself would cost)
# and prints the ratios of the means and of the medians with their targets: check/cat <= 2,
# nix/check >= 10, build/cat <= 3.
# Nothing is asserted; the numbers go to docs/src/benchmarks.md by hand.
#
# `build` syncs what it writes (fsync, for crash safety), which on a disk file system is most of
# its time and varies with other disk traffic; TMPDIR=/dev/shm puts its output on tmpfs.
#
# Usage: benches/startup.sh [SPEC]      (from anywhere; needs hyperfine and nix-instantiate)
# Environment: RUNS (default 100) measured runs per command, split over ROUNDS (default 5)
# rounds; JSON=path keeps the pooled times;
# CARGO_TARGET_DIR is honoured (the binary is taken from where cargo builds it).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
spec=${1:-examples/web-server.toml}
runs=${RUNS:-100}

if ! command -v hyperfine >/dev/null; then
    echo "hyperfine is missing; installing it (Debian package)" >&2
    apt-get install -y hyperfine >/dev/null
fi
command -v nix-instantiate >/dev/null || {
    echo "nix-instantiate is missing (apt-get install nix-bin)" >&2
    exit 2
}

cargo build --release -p aster-config --quiet
target=${CARGO_TARGET_DIR:-target}
case $target in /*) ;; *) target="$root/$target" ;; esac
bin="$target/release/aster-config"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
json=${JSON:-$scratch/startup.json}
export NIX_REMOTE=dummy://

# Load on a shared machine drifts within seconds, and hyperfine times each command in one block,
# so one long run would compare commands measured under different loads. Instead ROUNDS short
# rounds (default 5) each time every command, and the medians and means pool all rounds.
rounds=${ROUNDS:-5}
per_round=$(( (runs + rounds - 1) / rounds ))
for round in $(seq 1 "$rounds"); do
    # `build` refuses to write into a folder it did not write, so each run gets a fresh one.
    hyperfine --warmup 3 --runs "$per_round" -N --export-json "$scratch/round-$round.json" \
        --prepare "rm -rf $scratch/out" \
        --command-name cat "cat $spec" \
        --command-name check "$bin check $spec" \
        --command-name build "$bin build $spec -o $scratch/out" \
        --command-name nix "nix-instantiate --eval --strict -E 'builtins.fromTOML (builtins.readFile ./$spec)'" \
        >&2
done
python3 - "$json" "$scratch"/round-*.json <<'EOF'
import json, sys
pooled = {}
for path in sys.argv[2:]:
    for r in json.load(open(path))["results"]:
        pooled.setdefault(r["command"], []).extend(r["times"])
json.dump({"results": [{"command": c, "times": t} for c, t in pooled.items()]}, open(sys.argv[1], "w"))
EOF

python3 - "$json" <<'EOF'
import json, statistics, sys
pooled = json.load(open(sys.argv[1]))["results"]
results = {
    r["command"]: {"mean": statistics.mean(r["times"]), "median": statistics.median(r["times"])}
    for r in pooled
}
print(f"\nmean (median) per command, {len(pooled[0]['times'])} runs each:")
for name in ["cat", "check", "build", "nix"]:
    r = results[name]
    print(f"  {name:6} {r['mean'] * 1e3:8.2f} ms  ({r['median'] * 1e3:.2f} ms)")
print("\nratios of the means and of the medians (target):")
for label, top, bottom, target, ok in [
    ("check / cat", "check", "cat", "<= 2", lambda v: v <= 2),
    ("nix / check", "nix", "check", ">= 10", lambda v: v >= 10),
    ("build / cat", "build", "cat", "<= 3", lambda v: v <= 3),
]:
    ratios = [results[top][s] / results[bottom][s] for s in ("mean", "median")]
    verdicts = ["met" if ok(v) else "NOT met" for v in ratios]
    print(
        f"  {label:12} {ratios[0]:6.2f}x mean ({verdicts[0]}), "
        f"{ratios[1]:6.2f}x median ({verdicts[1]})  (target {target})"
    )
EOF
