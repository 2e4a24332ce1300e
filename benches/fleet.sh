#!/usr/bin/env bash
# Whole-process cost of `aster-config fleet build` on generated fleets of 1,000 and 10,000 hosts,
# against the targets: 10,000 hosts in <= 2 s and <= 100 MiB peak resident set, and 10,000 hosts
# costing <= 11x the time of 1,000.
#
# The fleets come from the generator the in-process benchmark uses
# (`cargo bench -p aster-fleet --bench fleet_build -- --generate DIR N`, i.e.
# `aster_fleet::sample::generate`): a shared base spec, and hosts that differ in name, target, tag
# and one appended package. Each size is built RUNS times by the release binary under
# `/usr/bin/time`, each run into a folder of its own (removing an output just before the next run
# makes that run's file creation slower on ext4, which skips recently freed inodes for a while).
# Prints every run, the median and best wall time and the largest peak resident set per size,
# then the ratios with their targets. Nothing is asserted; the figures go to
# docs/src/benchmarks.md by hand.
#
# Usage: benches/fleet.sh          (from anywhere)
# Environment: RUNS (default 5) runs per size; TMPDIR decides where fleets and outputs are written
# (the default /tmp is a disk file system here; TMPDIR=/dev/shm measures without the disk).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
runs=${RUNS:-5}
target_dir=${CARGO_TARGET_DIR:-$root/target}

cargo build --release -p aster-config --quiet
bin="$target_dir/release/aster-config"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

for hosts in 1000 10000; do
    cargo bench -p aster-fleet --bench fleet_build --quiet -- --generate "$scratch/fleet-$hosts" "$hosts" >&2
done

results="$scratch/results.txt"
for hosts in 1000 10000; do
    for run in $(seq 1 "$runs"); do
        out="$scratch/out-$hosts-$run"
        /usr/bin/time -f "$hosts %e %M" -o "$scratch/time" \
            "$bin" fleet build "$scratch/fleet-$hosts/fleet.toml" -o "$out" >/dev/null 2>"$scratch/stderr" ||
            { cat "$scratch/stderr" >&2; exit 1; }
        cat "$scratch/time" >>"$results"
        read -r _ seconds kib <"$scratch/time"
        echo "fleet build, $hosts hosts, run $run: $seconds s, peak $((kib / 1024)) MiB" >&2
    done
done

python3 - "$results" <<'EOF'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    hosts, seconds, kib = line.split()
    runs.setdefault(int(hosts), []).append((float(seconds), int(kib) / 1024))
summary = {}
print("\nper size: median (best) wall time, largest peak resident set")
for hosts, values in sorted(runs.items()):
    times = [t for t, _ in values]
    median, best, peak = statistics.median(times), min(times), max(m for _, m in values)
    summary[hosts] = (median, best, peak)
    print(f"  {hosts:6} hosts  {median:6.2f} s ({best:.2f} s)  {peak:7.1f} MiB")
median, best, peak = summary[10000]
ratio = median / summary[1000][0]
print("\nagainst the targets:")
for label, value, unit, target, ok in [
    ("10,000 hosts, median time", median, "s", 2.0, median <= 2.0),
    ("10,000 hosts, peak memory", peak, "MiB", 100.0, peak <= 100.0),
    ("10,000 / 1,000 hosts (medians)", ratio, "x", 11.0, ratio <= 11.0),
]:
    verdict = "met" if ok else "NOT met"
    print(f"  {label:32} {value:7.2f} {unit:3} = {value / target:5.2f} of the target {target:g} {unit}: {verdict}")
EOF
