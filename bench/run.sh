#!/usr/bin/env bash
# Benchmark on this machine, loopback only, bounded in time. Starts Signet through the launcher
# (same JVM flags and AOT cache as `./signet serve`) with bench/signet-bench.yaml, then reports:
# start-up to the first 200, idle RSS, and logins and client_credentials per second and per
# server CPU-second, cold (first WARM seconds) and warm (the SECS seconds after).
# Usage: bench/run.sh [CONCURRENCY=16] [SECS=20] [WARM=30]
set -euo pipefail
cd "$(dirname "$0")/.."
conc=${1:-16}; secs=${2:-20}; warm=${3:-30}
./signet help >/dev/null 2>&1 || true   # builds the jar and records the AOT cache when needed
export BENCH_PORT=18088 BENCH_DATA=$(mktemp -d)
start=$(date +%s%N)
# management on a free port (never the default 9464); the configuration outside the data directory
# (Signet watches the configuration's directory: WAL writes next to it would wake the watcher)
conf=$(mktemp -d); { cat bench/signet-bench.yaml; printf 'management:\n  port: 0\n'; } > "$conf/bench.yaml"
./signet serve --config "$conf/bench.yaml" > "$BENCH_DATA/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$BENCH_DATA" "$conf"' EXIT
until curl -sf -o /dev/null "http://127.0.0.1:$BENCH_PORT/healthz"; do sleep 0.01; done
echo "start-up to first 200: $(( ($(date +%s%N) - start) / 1000000 )) ms (new database: includes creating the signing keys)"
sleep 1
echo "idle RSS: $(( $(awk '/VmRSS/{print $2}' /proc/$pid/status) / 1024 )) MiB; jar: $(( $(stat -c %s target/signet.jar) / 1024 / 1024 )) MiB"
bench() { scripts/jdk25 java bench/Bench.java "$1" "http://localhost:$BENCH_PORT" "$conc" "$2" "$pid"; }
echo "cold  $(bench login "$warm")"
echo "warm  $(bench login "$secs")"
echo "cold  $(bench cc 10)"
echo "warm  $(bench cc "$secs")"
echo "RSS after load: $(( $(awk '/VmRSS/{print $2}' /proc/$pid/status) / 1024 )) MiB"
