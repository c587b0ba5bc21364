#!/usr/bin/env bash
# Issue 16, Signet's own hot paths and footprint: an A/B of two builds (or of two sets of JVM flags)
# in one sitting, two servers side by side. DIR_A and DIR_B are Signet checkouts (e.g. a `git worktree`
# of the commit before a change, and this one); each is started through its own ./signet launcher
# (its JVM flags and AOT cache; extra flags per side in OPTS_A / OPTS_B, passed as SIGNET_JAVA_OPTS)
# with this checkout's bench/signet-bench.yaml plus an RS256 client (bench-rs). Per side: start-up
# to the first 200 on an existing database (started once to create it, stopped, started again) and
# idle RSS 2 s later; then per mode both are warmed up WARM seconds and measured A, B, B, A (SECS
# each; drift on a shared machine cancels out); RSS after everything, and the load average.
# Usage: bench/hot.sh DIR_A DIR_B [CONCURRENCY=16] [SECS=10] [WARM=8] [MODES="userinfo refresh login cc cc-rs256"]
# PORT_A / PORT_B (default 18091 / 18092): other ports when another hot.sh runs on the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
dirA=$(cd "$1" && pwd); dirB=$(cd "$2" && pwd)
conc=${3:-16}; secs=${4:-10}; warm=${5:-8}; modes=${6:-userinfo refresh login cc cc-rs256}
for d in "$dirA" "$dirB"; do "$d/signet" help >/dev/null 2>&1 || true; done
dirs=(); pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "${dirs[@]}"' EXIT
rss() { echo "$(( $(awk '/VmRSS/{print $2}' "/proc/$1/status") / 1024 )) MiB"; }
serve() { # DIR PORT DATA OPTS; sets pid
  BENCH_PORT=$2 BENCH_DATA=$3/db SIGNET_JAVA_OPTS="$4" "$1/signet" serve --config "$3/bench.yaml" >> "$3/server.log" 2>&1 &
  pid=$!
}
start() { # NAME DIR PORT OPTS
  local data t0; data=$(mktemp -d); dirs+=("$data")
  # the configuration outside the data directory: Signet watches the configuration's directory for
  # changes, and every WAL write to a database next to it would wake the watcher (~7% of a login's CPU)
  mkdir "$data/db"
  sed -e 's/^    clients:/&\n      - id: bench-rs\n        secret: bench-secret-0123456789\n        redirect_uris: [http:\/\/localhost:9\/cb]\n        grant_types: [client_credentials]\n        access_token_signed_response_alg: RS256/' \
      bench/signet-bench.yaml > "$data/bench.yaml"
  printf 'management:\n  port: 0\n' >> "$data/bench.yaml"
  serve "$2" "$3" "$data" "$4"
  until curl -sf -o /dev/null "http://127.0.0.1:$3/healthz"; do sleep 0.05; done
  kill "$pid"; wait "$pid" 2>/dev/null || true
  t0=$(date +%s%N); serve "$2" "$3" "$data" "$4"; pids+=("$pid")
  until curl -sf -o /dev/null "http://127.0.0.1:$3/healthz"; do sleep 0.01; done
  local ms=$(( ($(date +%s%N) - t0) / 1000000 )) ticks; ticks=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  echo "$1 ($2 ${4:-}): start-up to first 200, existing database $ms ms wall, $(( ticks * 10 )) ms CPU"
}
portA=${PORT_A:-18091}; portB=${PORT_B:-18092}
for p in "$portA" "$portB"; do
  if curl -s -o /dev/null "http://127.0.0.1:$p/"; then echo "hot: port $p is taken (another hot.sh? set PORT_A / PORT_B)" >&2; exit 1; fi
done
start A "$dirA" "$portA" "${OPTS_A:-}"; pidA=$pid
start B "$dirB" "$portB" "${OPTS_B:-}"; pidB=$pid
sleep 2
echo "idle RSS: A $(rss $pidA), B $(rss $pidB); threads: A $(ls /proc/$pidA/task | wc -l), B $(ls /proc/$pidB/task | wc -l)"
bench() { # MODE PORT SECS PID
  local mode=$1 client=""
  [ "$mode" = cc-rs256 ] && { mode=cc; client=bench-rs:bench-secret-0123456789; }
  BENCH_CLIENT=${client:-bench:bench-secret-0123456789} scripts/jdk25 java bench/Bench.java "$mode" "http://localhost:$2" "$conc" "$3" "$4"
}
for mode in $modes; do
  bench "$mode" "$portA" "$warm" "$pidA" >/dev/null; bench "$mode" "$portB" "$warm" "$pidB" >/dev/null
  for side in A B B A; do
    if [ $side = A ]; then port=$portA; pid=$pidA; else port=$portB; pid=$pidB; fi
    echo "$side $mode $(bench "$mode" $port "$secs" "$pid") | load $(cut -d' ' -f1 /proc/loadavg)"
  done
done
echo "RSS after: A $(rss $pidA), B $(rss $pidB)"
