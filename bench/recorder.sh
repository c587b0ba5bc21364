#!/usr/bin/env bash
# Issue 15, the upstream recorder's cost per sign-in: an A/B in one sitting on one build, with
# bench/signet-bench.yaml, two servers side by side. A (port 18088): the dev connection records its
# exchanges (the default, `record: true`); B (port 18089): `record: false`. Full logins (the whole
# browser journey through the dev connection plus the code exchange): both warmed up for WARM
# seconds, then measured A, B, B, A (SECS each; drift on a shared machine cancels out).
# bench/Bench.java prints per second and per server CPU-second (each server's own utime+stime).
# Then the corpus A kept: rows, bytes of `entry` per row (average) and of a whole row's columns.
# Usage: bench/recorder.sh [CONCURRENCY=8] [SECS=15] [WARM=10]
set -euo pipefail
cd "$(dirname "$0")/.."
conc=${1:-8}; secs=${2:-15}; warm=${3:-10}
./signet help >/dev/null 2>&1 || true   # builds the jar and records the AOT cache when needed
dirs=(); pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "${dirs[@]}"' EXIT
start() { # PORT RECORD
  local data; data=$(mktemp -d); dirs+=("$data")
  sed -e "s/^\( *\)kind: dev-unsafe/&\n\1record: $2/" bench/signet-bench.yaml > "$data/bench.yaml"
  printf 'management:\n  port: 0\n' >> "$data/bench.yaml"
  BENCH_PORT=$1 BENCH_DATA=$data ./signet serve --config "$data/bench.yaml" > "$data/server.log" 2>&1 &
  pids+=($!)
  until curl -sf -o /dev/null "http://127.0.0.1:$1/healthz"; do sleep 0.05; done
}
start 18088 true;  pidA=${pids[0]}; dataA=${dirs[0]}
start 18089 false; pidB=${pids[1]}
bench() { scripts/jdk25 java bench/Bench.java "$1" "http://localhost:$2" "$conc" "$3" "$4"; }
bench login 18088 "$warm" "$pidA" >/dev/null; bench login 18089 "$warm" "$pidB" >/dev/null
for side in A B B A; do
  if [ $side = A ]; then port=18088; pid=$pidA; else port=18089; pid=$pidB; fi
  echo "$side $(bench login $port "$secs" "$pid")"
done
echo "A: record: true (default); B: record: false"
python3 - "$dataA/signet.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
n, entry, row = db.execute("SELECT count(*), avg(length(entry)), avg(length(id) + length(tenant) + length(connection)"
                           " + length(outcome) + length(entry) + 16) FROM upstream_corpus").fetchone()
per = db.execute("SELECT connection, count(*) FROM upstream_corpus GROUP BY tenant, connection").fetchall()
print(f"corpus of A: {n} rows {per}; entry {entry:.0f} bytes per row on average, {row:.0f} bytes with the other columns"
      f" (seq and recorded_at counted as 8 bytes each)")
PY
