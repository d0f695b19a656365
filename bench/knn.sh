#!/usr/bin/env bash
# KNN benchmark: cleanlab peer and Oddball's KnnBench in one invocation, on the same machine.
# Usage: bench/knn.sh [--memory]   (from the repository root or anywhere)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PEERS_SRC="${PEERS_SRC:-$ROOT/../shared/peers}"
[ -d "$PEERS_SRC" ] || PEERS_SRC=/work/shared/peers
WORK="$ROOT/bench/target/peers"
export TF_CPP_MIN_LOG_LEVEL=1 TF_ENABLE_ONEDNN_OPTS=1

# (a) the peer's Debian packages
if ! /usr/bin/python3 -c "import sklearn, numpy, scipy, pandas, tqdm, termcolor" 2>/dev/null; then
  apt-get install -y python3-sklearn python3-numpy python3-scipy python3-pandas python3-tqdm python3-termcolor
fi
# OpenBLAS for scikit-learn's and NumPy's matrix products (Debian's default alternative may be the reference
# libblas3, many times slower: the peer would not be at its best)
dpkg -s libopenblas0-pthread >/dev/null 2>&1 || apt-get install -y libopenblas0-pthread

# (b) cleanlab peer from a writable copy (it writes the inputs and its scores to ref/)
rm -rf "$WORK" && mkdir -p "$WORK" && cp -r "$PEERS_SRC"/. "$WORK"/ && chmod -R u+w "$WORK"
echo "== cleanlab peer: (cd $WORK && PYTHONPATH=vendor /usr/bin/python3 knn_peer.py)"
(cd "$WORK" && PYTHONPATH=vendor /usr/bin/python3 knn_peer.py) > "$WORK/knn_peer.log" 2>&1
grep -E '"(fit_score|score)_features_s_(median3|all)"|"knn_metric"|"scaling_factor"' -A0 "$WORK/ref/knn_timings.json"

# (c) Oddball
(cd "$ROOT" && mvn -B -q install -pl api,tf,detector-knn -DskipTests \
  && mvn -B -q install -pl bench -DskipTests \
  && mvn -B -q -pl bench dependency:build-classpath -Dmdep.outputFile=target/cp.txt)
# this checkout's classes first (~/.m2 may hold another checkout's oddball jars), then third-party jars
OWN="$ROOT/bench/target/classes:$ROOT/detector-knn/target/classes:$ROOT/tf/target/classes:$ROOT/api/target/classes"
CP="$OWN:$(tr ':' '\n' < "$ROOT/bench/target/cp.txt" | grep -v '/io/oddball/' | paste -sd:)"
echo "== Oddball: java -cp \$CP io.oddball.bench.KnnBench --ref $WORK/ref"
java -cp "$CP" io.oddball.bench.KnnBench --ref "$WORK/ref" --runs 7 --warmup 2 2>&1 | grep -v ' INFO \|^WARNING: All log\|^I0000'
if [ "${1:-}" = "--memory" ]; then
  echo "== Oddball memory check: java -Xmx12g -cp \$CP io.oddball.bench.KnnBench --memory"
  java -Xmx12g -cp "$CP" io.oddball.bench.KnnBench --memory 2>&1 | grep -v ' INFO \|^WARNING: All log\|^I0000'
fi
