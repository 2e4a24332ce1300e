#!/bin/sh
# A recording stand-in for colmena, put first on PATH by tests/fleet_deploy.rs.
#
# Appends one line per call to $FAKE_COLMENA_LOG ("apply ON GOAL" or "exec ON: COMMAND") and
# behaves as colmena would on machines whose state lives in $FAKE_COLMENA_DIR:
#   build-fail-HOST     `apply … build` builds no system for HOST
#   activate-fail-HOST  activation fails on HOST (and its system does not become current)
#   health-fail-HOST    every health check on HOST fails
#   kill-on-activate    the deployer (our parent) is killed during activation
# `apply --keep-result build` writes .gcroots/node-HOST beside the hive, as colmena does.
set -eu
log="${FAKE_COLMENA_LOG:?FAKE_COLMENA_LOG is not set}"
control="${FAKE_COLMENA_DIR:?FAKE_COLMENA_DIR is not set}"
config="" on="" command="" goal="" sub=""
while [ $# -gt 0 ]; do
    case "$1" in
        --config) config="$2"; shift 2 ;;
        --on) on="$2"; shift 2 ;;
        --keep-result) shift ;;
        apply|exec) sub="$1"; shift ;;
        --) shift; command="$*"; break ;;
        *) goal="$1"; shift ;;
    esac
done
hosts="$(printf '%s' "$on" | tr ',' ' ')"
status=0
case "$sub" in
    apply)
        echo "apply $on $goal" >> "$log"
        if [ "$goal" = build ]; then
            mkdir -p "$(dirname "$config")/.gcroots"
            for host in $hosts; do
                [ -e "$control/build-fail-$host" ] && { status=1; continue; }
                ln -sfn "/nix/store/00000000000000000000000000000000-nixos-system-$host" \
                    "$(dirname "$config")/.gcroots/node-$host"
            done
        else
            if [ -e "$control/kill-on-activate" ]; then
                kill -9 "$PPID"
                exit 1
            fi
            for host in $hosts; do
                if [ -e "$control/activate-fail-$host" ]; then status=1; else touch "$control/active-$host"; fi
            done
        fi
        ;;
    exec)
        echo "exec $on: $command" >> "$log"
        for host in $hosts; do
            case "$command" in
                *"readlink -f"*) [ -e "$control/active-$host" ] || status=1 ;;
                *"mkdir -p /run/aster-fleet"*|*"rm -f /run/aster-fleet/armed"*) ;;
                *) [ -e "$control/health-fail-$host" ] && status=1 ;;
            esac
        done
        ;;
esac
exit "$status"
