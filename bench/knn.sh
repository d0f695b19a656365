#!/usr/bin/env bash
# KNN benchmark: the cleanlab peer (bench/peers/knn_peer.py: cleanlab's OutOfDistribution from PyPI, in
# bench/.venv-cleanlab, made on first use and reused after) and Oddball's KnnBench in one invocation, on the same
# machine; the peer writes the inputs and its scores, which KnnBench reads and compares. A benchmark tool: never run
# in CI.
# Usage: bench/knn.sh [--memory]   (from the repository root or anywhere)
#   PYTHON, CLEANLAB_VERSION: see bench/peers/common.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
source "$ROOT/bench/peers/common.sh"
WORK="$ROOT/bench/target/peers"
export TF_CPP_MIN_LOG_LEVEL=1 TF_ENABLE_ONEDNN_OPTS=1 BENCH_OUT="$WORK/ref"
rm -rf "$WORK" && mkdir -p "$WORK/ref"
cpu_line

# (a) cleanlab from PyPI (with the scikit-learn, SciPy and NumPy wheels it brings), as a user installs it
PY_CLEANLAB="$(cleanlab_python)"

# (b) the cleanlab peer
echo "== cleanlab peer: BENCH_OUT=$BENCH_OUT $PY_CLEANLAB bench/peers/knn_peer.py"
"$PY_CLEANLAB" "$PEERS/knn_peer.py" > "$WORK/knn_peer.log" 2>&1 \
  || { cat "$WORK/knn_peer.log"; echo "bench/knn.sh: the cleanlab peer failed (its output above)" >&2; exit 1; }
grep -E '"(cleanlab_version|sklearn|numpy)"|"(fit_score|score)_features_s_(median3|all)"' "$WORK/ref/knn_timings.json"
grep -E '"knn_metric"|"scaling_factor"' "$WORK/ref/knn_timings.json"

# (c) Oddball
oddball_classpath detector-knn tf api
echo "== Oddball: java -cp \$CP io.oddball.bench.KnnBench --ref $WORK/ref"
java -cp "$CP" io.oddball.bench.KnnBench --ref "$WORK/ref" --runs 7 --warmup 2 2>&1 | oddball_filter
if [ "${1:-}" = "--memory" ]; then
  echo "== Oddball memory check: java -Xmx12g -cp \$CP io.oddball.bench.KnnBench --memory"
  java -Xmx12g -cp "$CP" io.oddball.bench.KnnBench --memory 2>&1 | oddball_filter
fi
