#!/usr/bin/env bash
# Issue 16 A/B: ES256/RS256 sign and verify per CPU-second of one thread, JDK providers vs Conscrypt,
# through dev.signet.keys.SignatureProvider (bench/SignBench.java). Usage: bench/sign.sh [SECONDS_PER_ROW=5]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/jdk25 ./mvnw -B -ntp -q -o compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=runtime
scripts/jdk25 java --enable-native-access=ALL-UNNAMED -cp "target/classes:$(cat target/bench.cp)" bench/SignBench.java "${1:-5}" 2>&1 \
  | grep -v '^{'   # drop the JSON log lines (the provider choice)
