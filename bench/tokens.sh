#!/usr/bin/env bash
# Issue 14: what introspection and revocation cost, per server CPU-second (bench/Bench.java modes
# introspect and revoke) on the bench configuration. Usage: bench/tokens.sh [CONCURRENCY=8] [SECS=10]
set -euo pipefail
cd "$(dirname "$0")/.."
conc=${1:-8}; secs=${2:-10}
./signet help >/dev/null 2>&1 || true
export BENCH_PORT=18081 BENCH_DATA=$(mktemp -d)
# management on a free port (never the default 9464); the configuration outside the data directory
# (Signet watches the configuration's directory: WAL writes next to it would wake the watcher)
conf=$(mktemp -d); { cat bench/signet-bench.yaml; printf 'management:\n  port: 0\n'; } > "$conf/bench.yaml"
./signet serve --config "$conf/bench.yaml" > "$BENCH_DATA/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$BENCH_DATA" "$conf"' EXIT
until curl -sf -o /dev/null "http://127.0.0.1:$BENCH_PORT/healthz"; do sleep 0.05; done
bench() { scripts/jdk25 java bench/Bench.java "$1" "http://localhost:$BENCH_PORT" "$conc" "$2" "$pid"; }
echo "warm-up $(bench cc 5)"
for round in 1 2; do
  echo "$(bench introspect "$secs")"
  echo "$(bench revoke "$secs")"
done
