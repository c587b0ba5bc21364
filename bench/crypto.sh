#!/usr/bin/env bash
# Issue 16 A/B: the same server with SIGNET_CRYPTO=jdk and with Conscrypt (auto), one after the other,
# client_credentials (ES256 access token) and userinfo (ES256 access token verified) per server CPU-second.
# Usage: bench/crypto.sh [CONCURRENCY=8] [SECS=15]
set -euo pipefail
cd "$(dirname "$0")/.."
conc=${1:-8}; secs=${2:-15}
./signet help >/dev/null 2>&1 || true
for crypto in jdk auto; do
  export BENCH_PORT=18082 BENCH_DATA=$(mktemp -d)
  SIGNET_CRYPTO=$crypto ./signet serve --config bench/signet-bench.yaml > "$BENCH_DATA/server.log" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$BENCH_PORT/healthz"; do sleep 0.05; done
  echo "SIGNET_CRYPTO=$crypto: $(grep -o '"crypto_provider":"[A-Za-z]*"' "$BENCH_DATA/server.log" | head -1)"
  bench() { scripts/jdk25 java bench/Bench.java "$1" "http://localhost:$BENCH_PORT" "$conc" "$2" "$pid"; }
  echo "  warm-up $(bench cc 10)"
  echo "  warm-up $(bench userinfo 5)"
  for round in 1 2; do
    echo "  $(bench cc "$secs")"
    echo "  $(bench userinfo "$secs")"
  done
  kill $pid; wait $pid 2>/dev/null || true; rm -rf "$BENCH_DATA"
done
