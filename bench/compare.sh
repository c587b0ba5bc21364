#!/usr/bin/env bash
# Issue 16's side-by-side comparison, one command: Signet (through ./signet serve with
# bench/compare-signet.yaml), Spring Authorization Server 7.1.2 (bench/spring-as, Spring Boot 4.0.7,
# built here) and Keycloak 26.7.3 (keycloak-quarkus-dist from Maven Central into bench/.cache,
# start-dev with bench/keycloak-realm.json), started one after another on free loopback ports (never
# two servers at once), each driven by bench/Compare.java through the same scenarios: a closed-loop
# maximum (req/s, per server CPU-second) then an open loop at 70% of it (3-10 s not recorded, then
# HdrHistogram p50/p99 from each request's intended send time). Prints one table and writes it to bench/results/compare-DATE.md.
# The load generator runs on the same cores as the server.
#
# Usage: bench/compare.sh [WARM=20] [SECS=20] [CONC=64] [LOGIN_CONC=16]
#   QUICK=1                       3 s warm-up and 3 s per level (to test the script itself)
#   SERVERS="signet spring keycloak"   which servers, in this order
#   SCENARIOS=discovery,jwks,...  which scenarios (default: all; see bench/Compare.java)
#   GEN_JAVA_OPTS=...             JVM flags of the load generator (e.g. -Xlog:gc:file=/tmp/gen-%p.log)
#   NO_SCRAPE=1                   do not read Signet's own histogram from /metrics (to see what the scrapes cost the open loop)
#   SIGNET_JAVA_OPTS=...          Signet's extra JVM flags (the launcher's; e.g. -Xlog:gc:file=/tmp/gc-%p.log:timemillis;
#                                 %p: the restart at the end would overwrite the run's log)
#   OPEN_LOOP=event               the open loop on two selector threads instead of one thread per connection
#                                 (OPEN_LOOP_THREADS=N); OPEN_FRACTION=0.5 its rate (default 0.7 of the maximum);
#                                 OPEN_TRACE=1 prints late (>25 ms) requests per 10 ms slot (README "Performance")
set -euo pipefail
cd "$(dirname "$0")/.."
warm=${1:-20}; secs=${2:-20}; conc=${3:-64}; lconc=${4:-16}
if [ "${QUICK:-0}" = 1 ]; then warm=3; secs=3; fi
servers=${SERVERS:-signet spring keycloak}
all=discovery,jwks,introspect,userinfo,userinfo-rs256,refresh,login,cc,cc-rs256
scenarios=${SCENARIOS:-$all}
KC_VERSION=26.7.3

if ! scripts/jdk25 java -version >/dev/null 2>&1; then
  echo "compare: no JDK 25 found (set JAVA_HOME to one; see scripts/jdk25)" >&2; exit 1
fi
hdr="$HOME/.m2/repository/org/hdrhistogram/HdrHistogram/2.2.2/HdrHistogram-2.2.2.jar"
[ -f "$hdr" ] || scripts/jdk25 ./mvnw -B -ntp -q dependency:get -Dartifact=org.hdrhistogram:HdrHistogram:2.2.2 >&2 || true
if [ ! -f "$hdr" ]; then
  echo "compare: $hdr is missing and could not be fetched from Maven Central" >&2; exit 1
fi

work=$(mktemp -d)
mkdir -p bench/results bench/.cache
logs=bench/.cache/logs   # each server's output of the last run (kept after it: the first place to look when a scenario fails)
mkdir -p "$logs"
stamp=$(date -u +%Y-%m-%d-%H%M)
tsv=bench/results/compare-$stamp.tsv
md=bench/results/compare-$stamp.md
: > "$tsv"
pid=""

# Every server runs in its own process group (setsid): stopping it stops whatever it started.
stop_server() {
  [ -n "$pid" ] || return 0
  kill -TERM -- "-$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=""
}
sampler=""
# (each step may fail without skipping the next: set -e also applies inside a trap)
trap '[ -z "$generator" ] || kill "$generator" 2>/dev/null || true; stop_server || true; [ -z "$sampler" ] || kill "$sampler" 2>/dev/null || true; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

scripts/jdk25 javac -nowarn -cp "$hdr" -d "$work/classes" bench/Compare.java
compare() { scripts/jdk25 java ${GEN_JAVA_OPTS:-} -cp "$work/classes:$hdr" Compare "$@"; }
# The load generator in the background and waited for: a signal stops the script (and so every server) at once.
generator=""
drive() { compare "$@" & generator=$!; wait "$generator"; }
read -r p_signet p_mgmt p_spring p_kc p_kcmgmt < <(compare ports 5)

# RSS in MiB of a process and everything below it.
rss() {
  ps -e -o pid=,ppid=,rss= | awk -v root="$1" '{ parent[$1]=$2; rss[$1]=$3 }
    END { for (p in rss) { q=p; for (i=0; i<20 && q>1; i++) { if (q==root) { sum+=rss[p]; break } q=parent[q] } } printf "%d", sum/1024 }'
}
load() { cut -d' ' -f1 /proc/loadavg; }
meta() { printf '%s\tmeta\t%s\n' "$1" "$2" >> "$tsv"; }

# start NAME READY_URL LOG COMMAND...: start-up to the first 200 of READY_URL, or a message.
start() {
  local name=$1 url=$2 log=$3; shift 3
  local t0; t0=$(date +%s%N)
  setsid "$@" > "$log" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "$url"; do
    if ! kill -0 "$pid" 2>/dev/null || [ $(( ($(date +%s%N) - t0) / 1000000000 )) -gt 240 ]; then
      echo "compare: $name did not start (see $log):" >&2; tail -5 "$log" >&2
      meta "$name" "note=did not start"; stop_server; return 1
    fi
    sleep 0.02
  done
  startup_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  # idle RSS 2 s after the first 200 (the JIT still compiling start-up code) and 10 s after it (settled)
  sleep 2
  rss_idle=$(rss "$pid")
  sleep 8
  rss_settled=$(rss "$pid")
  load_before=$(load)
  echo "== $name: first 200 after $startup_ms ms, idle RSS $rss_idle MiB (2 s), $rss_settled MiB (10 s), load average $load_before"
}

# run NAME DISCOVERY_URL SCENARIOS [METRICS_URL]: the scenarios, then the footprint after them.
run() {
  drive run "$1" "$2" "$pid" "$tsv" "$3" "$warm" "$secs" "$conc" "$lconc" "${4:-}" || echo "compare: $1's run stopped early" >&2
  meta "$1" "startup_ms=$startup_ms	rss_idle_mib=$rss_idle	rss_settled_mib=$rss_settled	rss_after_mib=$(rss "$pid")	load=$load_before / $(load)"
  stop_server
}

# The machine's 1-minute load average every 5 s, for the report (the cores are shared).
(while :; do cut -d' ' -f1 /proc/loadavg >> "$work/loadavg"; sleep 5; done) &
sampler=$!
others=$(echo "$scenarios" | tr ',' '\n' | grep -v -- '-rs256$' | paste -sd, -)   # RS256 is their default
echo "compare: warm-up ${warm} s, ${secs} s per level, $conc connections ($lconc for logins); load generator and servers share $(nproc) cores"
for server in $servers; do
  case $server in
    signet)
      ./signet help >/dev/null 2>&1 || { echo "compare: ./signet could not build Signet" >&2; continue; }
      mkdir -p "$work/signet"
      if BENCH_PORT=$p_signet BENCH_MGMT_PORT=$p_mgmt BENCH_DATA=$work/signet start signet \
          "http://localhost:$p_signet/.well-known/openid-configuration" "$logs/signet.log" \
          env BENCH_PORT="$p_signet" BENCH_MGMT_PORT="$p_mgmt" BENCH_DATA="$work/signet" ./signet serve --config bench/compare-signet.yaml; then
        run signet "http://localhost:$p_signet/.well-known/openid-configuration" "$scenarios" "http://127.0.0.1:$p_mgmt/metrics"
        # a restart on the database the runs left (an operator's usual start: no migration, keys on disk)
        if start signet-restart "http://localhost:$p_signet/.well-known/openid-configuration" "$logs/signet-restart.log" \
            env BENCH_PORT="$p_signet" BENCH_MGMT_PORT="$p_mgmt" BENCH_DATA="$work/signet" ./signet serve --config bench/compare-signet.yaml; then
          meta signet "restart_ms=$startup_ms	restart_rss_idle_mib=$rss_idle	restart_rss_settled_mib=$rss_settled"
          stop_server
        fi
      fi ;;
    spring)
      if ! scripts/jdk25 ./mvnw -B -ntp -q -f bench/spring-as/pom.xml package -DskipTests > "$work/spring-build.log" 2>&1; then
        echo "compare: Spring Authorization Server could not be built (see below); going on without it" >&2
        tail -20 "$work/spring-build.log" >&2; meta spring "note=could not be built"; continue
      fi
      if start spring "http://127.0.0.1:$p_spring/.well-known/openid-configuration" "$logs/spring.log" \
          scripts/jdk25 java -jar bench/spring-as/target/spring-as.jar --server.port="$p_spring"; then
        run spring "http://localhost:$p_spring/.well-known/openid-configuration" "$others"
      fi ;;
    keycloak)
      kc=bench/.cache/keycloak-$KC_VERSION
      if [ ! -x "$kc/bin/kc.sh" ]; then
        scripts/jdk25 ./mvnw -B -ntp -q dependency:copy -Dartifact=org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip \
            -DoutputDirectory=bench/.cache > "$work/kc-fetch.log" 2>&1 && (cd bench/.cache && unzip -q -o keycloak-quarkus-dist-$KC_VERSION.zip) || true
      fi
      if [ ! -x "$kc/bin/kc.sh" ]; then
        echo "compare: Keycloak $KC_VERSION could not be fetched from Maven Central (see below); going on without it" >&2
        tail -20 "$work/kc-fetch.log" >&2; meta keycloak "note=could not be fetched"; continue
      fi
      rm -rf "$kc/data"; mkdir -p "$kc/data/import"; cp bench/keycloak-realm.json "$kc/data/import/bench-realm.json"
      if start keycloak "http://127.0.0.1:$p_kc/realms/bench/.well-known/openid-configuration" "$logs/keycloak.log" \
          scripts/jdk25 "$kc/bin/kc.sh" start-dev --http-host=127.0.0.1 --http-port="$p_kc" --http-management-port="$p_kcmgmt" --import-realm; then
        run keycloak "http://localhost:$p_kc/realms/bench/.well-known/openid-configuration" "$others"
      fi ;;
    *) echo "compare: unknown server $server (signet, spring, keycloak)" >&2 ;;
  esac
done

{
  echo "# Signet vs Spring Authorization Server vs Keycloak ($(date -u '+%Y-%m-%d %H:%M UTC'))"
  echo
  echo "\`bench/compare.sh $warm $secs $conc $lconc\`: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')),"
  echo "$(scripts/jdk25 java -version 2>&1 | head -1); the load generator shares the cores with the server; one server at a time."
  echo "Closed loop: $conc connections ($lconc for logins), ${warm} s warm-up, ${secs} s measured; open loop at 70% of each"
  echo "server's own maximum for ${secs} s after $(( warm < 3 ? 3 : warm > 10 ? 10 : warm )) s at that rate not recorded (new connections), latency from each request's"
  echo "intended send time (HdrHistogram); for a login,"
  echo "p50/p99 are of the whole login (pages + code exchange), Signet's own p99 is per HTTP request. Per CPU-s = per"
  echo "second of the server's utime+stime (/proc, its whole process tree). Machine load average (1 min) during the"
  echo "run: $(sort -n "$work/loadavg" | head -1)–$(sort -n "$work/loadavg" | tail -1) (median $(sort -n "$work/loadavg" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'))."
  echo
  compare table "$tsv"
} > "$md"
echo
cat "$md"
echo "(written to $md; raw figures in $tsv)"
