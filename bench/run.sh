#!/usr/bin/env bash
# Benchmark: starts the built jar with bench/signet-bench.yaml, measures start-up to the first 200
# and idle RSS, then runs logins and client_credentials (warm-up first) and reports per server
# CPU-second. Loopback only, bounded in time. Usage: bench/run.sh [CONCURRENCY] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
conc=${1:-16}; secs=${2:-20}
[ -f target/signet.jar ] || scripts/jdk25 ./mvnw -q -B -DskipTests package
export BENCH_PORT=18080 BENCH_DATA=$(mktemp -d)
start=$(date +%s%N)
scripts/jdk25 java -XX:+UseSerialGC -jar target/signet.jar serve --config bench/signet-bench.yaml > "$BENCH_DATA/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$BENCH_DATA"' EXIT
until curl -sf -o /dev/null "http://127.0.0.1:$BENCH_PORT/healthz"; do sleep 0.02; done
echo "start-up to first 200: $(( ($(date +%s%N) - start) / 1000000 )) ms (first start: creates the database and keys)"
sleep 1
jpid=$(pgrep -P $pid java || echo $pid)
echo "idle RSS: $(( $(awk '/VmRSS/{print $2}' /proc/$jpid/status) / 1024 )) MiB; jar: $(( $(stat -c %s target/signet.jar) / 1024 / 1024 )) MiB"
run() { scripts/jdk25 java bench/Bench.java "$@" "http://127.0.0.1:$BENCH_PORT" "$conc" "$secs" "$jpid"; }
scripts/jdk25 java bench/Bench.java login "http://127.0.0.1:$BENCH_PORT" "$conc" 5 "$jpid" >/dev/null
run login
scripts/jdk25 java bench/Bench.java cc "http://127.0.0.1:$BENCH_PORT" "$conc" 5 "$jpid" >/dev/null
run cc
echo "RSS after load: $(( $(awk '/VmRSS/{print $2}' /proc/$jpid/status) / 1024 )) MiB"
