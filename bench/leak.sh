#!/usr/bin/env bash
# Native-memory leak check: RSS over many Pipeline.score calls (io.oddball.bench.LeakBench).
# Usage: bench/leak.sh [--calls 10000] [--rows 32] [--features 64] [--reference 2000] [--warmup 500]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
export TF_CPP_MIN_LOG_LEVEL=2 TF_ENABLE_ONEDNN_OPTS=1
(cd "$ROOT" && mvn -B -q install -pl api,tf,detector-knn,runtime -DskipTests \
  && mvn -B -q install -pl bench -DskipTests \
  && mvn -B -q -pl bench dependency:build-classpath -Dmdep.outputFile=target/cp.txt)
# this checkout's classes first (~/.m2 may hold another checkout's oddball jars), then third-party jars
OWN="$ROOT/bench/target/classes:$ROOT/runtime/target/classes:$ROOT/detector-knn/target/classes"
OWN="$OWN:$ROOT/tf/target/classes:$ROOT/api/target/classes"
CP="$OWN:$(tr ':' '\n' < "$ROOT/bench/target/cp.txt" | grep -v '/io/oddball/' | paste -sd:)"
echo "== java -Xmx1g -cp \$CP io.oddball.bench.LeakBench $*"
java -Xmx1g -cp "$CP" io.oddball.bench.LeakBench "$@" 2>&1 | grep -v ' INFO \|^WARNING: All log\|^I0000'
