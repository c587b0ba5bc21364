#!/usr/bin/env bash
# Issue 16, footprint under load: what a burst does to Signet's memory, and whether it gives it back.
# Starts Signet through DIR's ./signet launcher (its JVM flags and AOT cache; extra flags in
# SIGNET_JAVA_OPTS, as an operator would give them) with bench/compare-signet.yaml on free loopback
# ports, then:
#   1. a mixed burst, everything at once for 3 x SECS seconds (each generator first signs its users in): userinfo and client_credentials (CONC clients
#      each), refresh (CONC/2) and full logins (LOGIN_CONC), each its own bench/Bench.java;
#   2. bench/Compare.java's Signet run over SCENARIOS (default: all; discovery and jwks first): per
#      scenario a closed loop at CONC (LOGIN_CONC for logins) then an open loop at 70% of that maximum,
#      the load bench/compare.sh puts on Signet (where 2 GB of RSS after the runs were seen).
# Prints RSS idle (2 s after the first 200), the peak (sampled every 0.2 s), right after the load and
# 10 s after it stopped, each with the Java heap committed then (jstat: survivors + eden + old) and
# the number of failed requests; exits 1 when the server died (e.g. an OutOfMemoryError with
# -XX:+ExitOnOutOfMemoryError) or a request failed. Not a test: figures, on a shared machine.
# Usage: [SIGNET_JAVA_OPTS=...] bench/burst.sh [DIR=.] [SECS=5] [CONC=64] [LOGIN_CONC=16] [SCENARIOS=...]
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(cd "${1:-.}" && pwd); secs=${2:-5}; conc=${3:-64}; lconc=${4:-16}
scenarios=${5:-discovery,jwks,introspect,userinfo,userinfo-rs256,refresh,login,cc,cc-rs256}
hdr="$HOME/.m2/repository/org/hdrhistogram/HdrHistogram/2.2.2/HdrHistogram-2.2.2.jar"
[ -f "$hdr" ] || scripts/jdk25 ./mvnw -B -ntp -q dependency:get -Dartifact=org.hdrhistogram:HdrHistogram:2.2.2 >&2
jdk=$(dirname "$(dirname "$(scripts/jdk25 sh -c 'command -v java')")")
"$dir/signet" help >/dev/null 2>&1 || { echo "burst: $dir/signet could not build Signet" >&2; exit 1; }
work=$(mktemp -d); pid=""; sampler=""
trap '[ -z "$sampler" ] || kill "$sampler" 2>/dev/null; [ -z "$pid" ] || kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
scripts/jdk25 javac -nowarn -cp "$hdr" -d "$work/classes" bench/Compare.java bench/Bench.java
read -r port mport < <(scripts/jdk25 java -cp "$work/classes:$hdr" Compare ports 2)
mkdir "$work/db"
BENCH_PORT=$port BENCH_MGMT_PORT=$mport BENCH_DATA=$work/db "$dir/signet" serve --config bench/compare-signet.yaml > "$work/server.log" 2>&1 &
pid=$!
t0=$(date +%s%N)
until curl -sf -o /dev/null "http://127.0.0.1:$port/healthz"; do
  kill -0 "$pid" 2>/dev/null || { echo "burst: Signet did not start:" >&2; tail -5 "$work/server.log" >&2; exit 1; }
  sleep 0.02
done
echo "burst: $dir (SIGNET_JAVA_OPTS=${SIGNET_JAVA_OPTS:-}) first 200 after $(( ($(date +%s%N) - t0) / 1000000 )) ms; load average $(cut -d' ' -f1 /proc/loadavg)"
rss() { awk '/VmRSS/{printf "%d", $2 / 1024}' "/proc/$pid/status"; }
heap() { # committed Java heap in MiB: survivors + eden + old generation (any collector)
  "$jdk/bin/jstat" -gc "$pid" | awk 'NR==1 { for (i = 1; i <= NF; i++) col[$i] = i }
    NR==2 { printf "%d", ($col["S0C"] + $col["S1C"] + $col["EC"] + $col["OC"]) / 1024 }'
}
alive() { kill -0 "$pid" 2>/dev/null || { echo "burst: the server died (see below)" >&2; tail -20 "$work/server.log" >&2; exit 1; }; }
sleep 2
echo "idle:               RSS $(rss) MiB, heap committed $(heap) MiB"
(while kill -0 "$pid" 2>/dev/null; do rss >> "$work/rss" 2>/dev/null || true; echo >> "$work/rss"; sleep 0.2; done) &
sampler=$!
bench() { scripts/jdk25 java -cp "$work/classes" Bench "$1" "http://localhost:$port" "$2" $((secs * 3)) "$pid" 2>&1 | sed "s/^/  $1 x$2: /"; }
echo "1. mixed burst, $((secs * 3)) s: userinfo x$conc, cc x$conc, refresh x$((conc / 2)), login x$lconc at once"
bench userinfo "$conc" > "$work/b1" & b1=$!
bench cc "$conc" > "$work/b2" & b2=$!
bench refresh $((conc / 2)) > "$work/b3" & b3=$!
bench login "$lconc" > "$work/b4" & b4=$!
wait "$b1" "$b2" "$b3" "$b4" || true
cat "$work"/b[1-4]
alive
echo "   after it:        RSS $(rss) MiB, heap committed $(heap) MiB"
echo "2. bench/Compare.java over $scenarios: ${secs} s closed loop x$conc (logins x$lconc), then ${secs} s open loop at 70%"
scripts/jdk25 java -cp "$work/classes:$hdr" Compare run signet "http://localhost:$port/.well-known/openid-configuration" "$pid" \
    "$work/out.tsv" "$scenarios" 2 "$secs" "$conc" "$lconc" 2>&1 | sed 's/^/  /' || true
alive
kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true; sampler=""
echo "   right after:     RSS $(rss) MiB, heap committed $(heap) MiB; peak RSS during the load $(sort -n "$work/rss" | tail -1) MiB"
sleep 10
alive
echo "   10 s after:      RSS $(rss) MiB, heap committed $(heap) MiB; load average $(cut -d' ' -f1 /proc/loadavg)"
if [[ "${SIGNET_JAVA_OPTS:-}" == *NativeMemoryTracking* ]]; then
  "$jdk/bin/jcmd" "$pid" VM.native_memory summary | grep -E '^Total|^-' | sed 's/^/  /'
fi
failed=$(cat "$work"/b[1-4] | grep -o '[0-9]* failed' | awk '{s += $1} END {print s + 0}')
failed=$(( failed + $(awk -F'\t' '{ for (i = 3; i <= NF; i++) if ($i ~ /^(failed|open_failed)=/) { split($i, kv, "="); s += kv[2] } } END { print s + 0 }' "$work/out.tsv") ))
grep -q OutOfMemoryError "$work/server.log" && { echo "burst: OutOfMemoryError in the server log" >&2; exit 1; }
echo "failed requests: $failed"
# what the server complained about (JSON log lines at WARN or ERROR: count per message and reason)
grep -E '"level":"(WARN|ERROR)"' "$work/server.log" | grep -v 'UNSAFE: dev connection' \
  | sed -E 's/.*"message":"([^"]*)".*/\1/' | sort | uniq -c | sort -rn | head -5 | sed 's/^/  server log: /' || true
[ "$failed" = 0 ]
