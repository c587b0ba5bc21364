#!/usr/bin/env bash
# Issue 16, "no signature work the protocol does not need": an A/B in one sitting on one build, with
# bench/signet-bench.yaml plus two settings, two servers side by side. A (port 18086):
# server.verified_token_cache 0 and the bench client's refresh_id_token true (what Signet did before:
# every use verifies a signature, every refresh signs an ID token). B (port 18087): the cache on
# (auto, the default: 4,371 tokens at the launcher's -Xmx80m) and refresh_id_token false. userinfo and introspect differ only by the cache,
# refresh only by refresh_id_token. Per mode: both warmed up for WARM seconds, then measured A, B, B, A
# (SECS each; drift on a shared machine cancels out). bench/Bench.java prints per second and per server
# CPU-second (each server's own utime+stime).
# Usage: bench/nosig.sh [CONCURRENCY=16] [SECS=10] [WARM=8]
set -euo pipefail
cd "$(dirname "$0")/.."
conc=${1:-16}; secs=${2:-10}; warm=${3:-8}
./signet help >/dev/null 2>&1 || true   # builds the jar and records the AOT cache when needed
dirs=(); pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "${dirs[@]}"' EXIT
start() { # PORT CACHE REFRESH_ID_TOKEN
  local data; data=$(mktemp -d); dirs+=("$data"); mkdir "$data/db"   # the configuration outside data.dir (README "Reload")
  sed -e "s/^server:/server:\n  verified_token_cache: $2/" \
      -e "s/^\( *\)post_logout_redirect_uris:\(.*\)/&\n\1refresh_id_token: $3/" bench/signet-bench.yaml > "$data/bench.yaml"
  printf 'management:\n  port: 0\n' >> "$data/bench.yaml"
  BENCH_PORT=$1 BENCH_DATA=$data/db ./signet serve --config "$data/bench.yaml" > "$data/server.log" 2>&1 &
  pids+=($!)
  until curl -sf -o /dev/null "http://127.0.0.1:$1/healthz"; do sleep 0.05; done
}
start 18086 0 true;      pidA=${pids[0]}
start 18087 auto false;  pidB=${pids[1]}
bench() { scripts/jdk25 java bench/Bench.java "$1" "http://localhost:$2" "$conc" "$3" "$4"; }
bench cc 18086 "$warm" "$pidA" >/dev/null; bench cc 18087 "$warm" "$pidB" >/dev/null
for mode in userinfo introspect refresh; do
  bench "$mode" 18086 "$warm" "$pidA" >/dev/null; bench "$mode" 18087 "$warm" "$pidB" >/dev/null
  for side in A B B A; do
    if [ $side = A ]; then port=18086; pid=$pidA; else port=18087; pid=$pidB; fi
    echo "$side $(bench "$mode" $port "$secs" "$pid")"
  done
done
echo "A: verified_token_cache 0, refresh_id_token true; B: verified_token_cache auto, refresh_id_token false"
