#!/usr/bin/env bash
# Sign-in latency p50/p99 with the webhook sink healthy vs hanging, same server, same run
# (issue 5). Loopback only, bounded in time. Usage: bench/sinks.sh [CONCURRENCY=4] [SECS=15]
set -euo pipefail
cd "$(dirname "$0")/.."
conc=${1:-4}; secs=${2:-15}
./signet help >/dev/null 2>&1 || true   # builds the jar when needed
export BENCH_PORT=18081 BENCH_HOOK_PORT=18082 BENCH_DATA=$(mktemp -d)
./signet serve --config bench/signet-sinks.yaml > "$BENCH_DATA/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$BENCH_DATA"' EXIT
until curl -sf -o /dev/null "http://127.0.0.1:$BENCH_PORT/healthz"; do sleep 0.05; done
scripts/jdk25 java bench/SinkLatency.java "http://localhost:$BENCH_PORT" "$BENCH_HOOK_PORT" "$conc" "$secs"
