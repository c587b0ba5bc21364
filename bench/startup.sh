#!/usr/bin/env bash
# Issue 16, start-up and idle footprint, A/B in one sitting: DIR_A and DIR_B (Signet checkouts, each
# through its own ./signet launcher and AOT cache; extra JVM flags per side in OPTS_A / OPTS_B) are
# started ROUNDS times each, alternating A, B, B, A, ..., one at a time, on an existing database
# (bench/signet-bench.yaml, created by a first start per side; NEW_DB=1: a new database for every start,
# schema and first keys created). Per start: wall time to the first 200
# of /healthz, the process's CPU time at that moment, and RSS 2 s later; then the median of each.
# Usage: bench/startup.sh DIR_A DIR_B [ROUNDS=6]
set -euo pipefail
cd "$(dirname "$0")/.."
dirA=$(cd "$1" && pwd); dirB=$(cd "$2" && pwd); rounds=${3:-6}
for d in "$dirA" "$dirB"; do "$d/signet" help >/dev/null 2>&1 || true; done
work=$(mktemp -d); pid=""
trap '[ -z "$pid" ] || kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
port=${PORT:-18094}
if curl -s -o /dev/null "http://127.0.0.1:$port/"; then echo "startup: port $port is taken (set PORT)" >&2; exit 1; fi
for side in A B; do
  mkdir -p "$work/$side/db"
  { cat bench/signet-bench.yaml; printf 'management:\n  port: 0\n'; } > "$work/$side/bench.yaml"
done
once() { # SIDE [measure]
  local dir opts t0 ms cpu
  if [ "$1" = A ]; then dir=$dirA; opts=${OPTS_A:-}; else dir=$dirB; opts=${OPTS_B:-}; fi
  [ -z "${NEW_DB:-}" ] || { rm -rf "$work/$1/db"; mkdir -p "$work/$1/db"; }
  t0=$(date +%s%N)
  BENCH_PORT=$port BENCH_DATA=$work/$1/db SIGNET_JAVA_OPTS="$opts" "$dir/signet" serve --config "$work/$1/bench.yaml" >> "$work/$1/server.log" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/healthz"; do sleep 0.01; done
  ms=$(( ($(date +%s%N) - t0) / 1000000 )); cpu=$(( $(awk '{print $14 + $15}' "/proc/$pid/stat") * 10 ))
  sleep 2
  [ -z "${2:-}" ] || echo "$ms $cpu $(awk '/VmRSS/{printf "%d", $2 / 1024}' "/proc/$pid/status")" >> "$work/$1/runs"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
}
once A; once B   # create each database
for i in $(seq "$rounds"); do
  if [ $((i % 2)) = 1 ]; then once A m; once B m; else once B m; once A m; fi
done
median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
for side in A B; do
  if [ $side = A ]; then d=$dirA; o=${OPTS_A:-}; else d=$dirB; o=${OPTS_B:-}; fi
  echo "$side ($d${o:+ $o}): median of $rounds starts: first 200 after $(cut -d' ' -f1 "$work/$side/runs" | median) ms wall," \
    "$(cut -d' ' -f2 "$work/$side/runs" | median) ms CPU; idle RSS $(cut -d' ' -f3 "$work/$side/runs" | median) MiB" \
    "(each: $(awk '{printf "%s%s/%s/%s", (NR > 1 ? ", " : ""), $1, $2, $3}' "$work/$side/runs"))"
  # Signet's own account of each measured start ("Signet started": store, keys, HTTP in ms)
  echo "  store/keys/http ms: $(grep -a '"Signet started"' "$work/$side/server.log" | tail -n "$rounds" \
    | sed -E 's/.*"store_ms":([0-9]+).*"keys_ms":([0-9]+).*"http_ms":([0-9]+).*/\1\/\2\/\3/' | paste -sd ' ' -)"
done
echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
