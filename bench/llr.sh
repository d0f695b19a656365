#!/usr/bin/env bash
# The shipped likelihood-ratio detector (models/fashion-mnist-llr) on the full Fashion-MNIST and MNIST test sets
# (../shared/data), as recorded in bench/RESULTS.md:
#  1. AUROC, AUPR, FPR@95 of its score (combined) and of every alternative score (-LLR, likelihood, complexity,
#     typicality) on all 10 000 + 10 000 test images, at its own threshold (95th percentile of training images);
#  2. Alibi's threshold procedure, on a COPY of the detector (bench/target/llr/alibi-threshold): the 50th percentile
#     of the scores of a set with 50 % outliers (the first 5 000 images of each test set), then
#     F1/accuracy/precision/recall on the other 5 000 + 5 000 (it uses the test sets, so it never ships);
#  3. with PROXIES=1, how the default score was chosen (issue 22): LlrScoreDump writes every image's log p_s, log p_b
#     and PNG length for the held-out training images, the OOD proxies of LlrProxySets (two draws) and the test sets,
#     and bench/llr_scores.py applies the selection rule to the proxies, then reports MNIST;
#  4. with SNAPSHOTS=DIR (the folder a fit wrote its weights of every epoch into: the llr key snapshotDir), the
#     per-epoch AUROC trend on 2 000 + 2 000 test images, and the in-distribution stand-in AUROCs the training
#     settings were chosen by.
# To retrain first: add "snapshotDir: /tmp/snap" to the detector block of pipelines/fashion-mnist-llr.yaml, then
#     ./oddball fit pipelines/fashion-mnist-llr.yaml --out models/fashion-mnist-llr --overwrite   (76 min, 2 cores)
# Usage: bench/llr.sh [DETECTOR_DIR]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DET="${1:-$ROOT/models/fashion-mnist-llr}"
DATA="${DATA:-$ROOT/../shared/data}"
[ -d "$DATA" ] || DATA=/work/shared/data
F="$DATA/fashion-mnist/t10k-images-idx3-ubyte.gz"
M="$DATA/mnist/t10k-images-idx3-ubyte.gz"
WORK="$ROOT/bench/target/llr"
mkdir -p "$WORK"
cd "$ROOT"
echo "== ./oddball evaluate $DET --in $F --ood $M"
./oddball evaluate "$DET" --in "$F" --ood "$M" 2>&1 | grep -v ' INFO \|^WARNING: All log\|^I0000'

# the threshold set: 5 000 Fashion-MNIST + 5 000 MNIST test images (needs numpy); on a copy of the detector
/usr/bin/python3 - "$F" "$M" "$WORK/threshold-mix.npy" <<'PY'
import gzip, sys, numpy as np
def idx(p):
    with gzip.open(p) as f:
        return np.frombuffer(f.read()[16:], dtype=np.uint8).reshape(-1, 28, 28, 1)
np.save(sys.argv[3], np.concatenate([idx(sys.argv[1])[:5000], idx(sys.argv[2])[:5000]]))
PY
COPY="$WORK/alibi-threshold"
rm -rf "$COPY" && cp -r "$DET" "$COPY"
echo "== ./oddball infer-threshold $COPY --data $WORK/threshold-mix.npy --percent 50"
./oddball infer-threshold "$COPY" --data "$WORK/threshold-mix.npy" --percent 50 2>&1 | grep -v ' INFO \|^WARNING: All log\|^I0000'
echo "== ./oddball evaluate $COPY --in $F --ood $M -O offset=5000   (the images the threshold did not see)"
./oddball evaluate "$COPY" --in "$F" --ood "$M" -O offset=5000 2>&1 | grep -v ' INFO \|^WARNING: All log\|^I0000'

if [ -n "${PROXIES:-}${SNAPSHOTS:-}" ]; then
  (mvn -B -q install -pl bench -am -DskipTests && mvn -B -q -pl bench dependency:build-classpath -Dmdep.outputFile=target/cp.txt)
  OWN="bench/target/classes:detector-llr/target/classes:runtime/target/classes:tf-ops/target/classes:tf/target/classes"
  OWN="$OWN:api/target/classes"
  CP="$OWN:$(tr ':' '\n' < bench/target/cp.txt | grep -v '/io/oddball/' | paste -sd:)"
fi
TRAIN="$DATA/fashion-mnist/train-images-idx3-ubyte.gz"

if [ -n "${PROXIES:-}" ]; then
  # seed 1 and validation split 0.05: pipelines/fashion-mnist-llr.yaml's fit, so "val" = the images it held out
  for seed in 7 8; do
    echo "== java -cp \$CP io.oddball.bench.LlrScoreDump $DET $TRAIN 1 0.05 1000 $WORK/scores-$seed.csv proxy-seed=$seed"
    tests=()
    [ "$seed" = 7 ] && tests=(fashion-test="$F" mnist-test="$M")
    java -cp "$CP" io.oddball.bench.LlrScoreDump "$DET" "$TRAIN" 1 0.05 1000 "$WORK/scores-$seed.csv" \
      proxy-seed=$seed "${tests[@]}" 2>&1 | grep -v ' INFO \|^WARNING: All log\|^I0000\|^20[0-9-]* [0-9:.]*: I \|^To enable'
    /usr/bin/python3 bench/llr_scores.py "$WORK/scores-$seed.csv"
  done
fi

if [ -n "${SNAPSHOTS:-}" ]; then
  echo "== java -cp \$CP io.oddball.bench.LlrEpochs $DET $SNAPSHOTS $F $M 2000"
  java -cp "$CP" io.oddball.bench.LlrEpochs "$DET" "$SNAPSHOTS" "$F" "$M" 2000 2>&1 \
    | grep -v ' INFO \|^WARNING: All log\|^I0000'
  # how the settings were selected, in-distribution only: the fit's held-out training images (seed and validation
  # split of pipelines/fashion-mnist-llr.yaml) vs flipped, turned and patch-shuffled copies of them
  echo "== java -cp \$CP io.oddball.bench.LlrProxies $DET $SNAPSHOTS $TRAIN 1 0.05 1000"
  java -cp "$CP" io.oddball.bench.LlrProxies "$DET" "$SNAPSHOTS" "$TRAIN" 1 0.05 1000 2>&1 \
    | grep -v ' INFO \|^WARNING: All log\|^I0000'
fi
