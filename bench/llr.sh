#!/usr/bin/env bash
# The shipped likelihood-ratio detector (models/fashion-mnist-llr) on the full Fashion-MNIST and MNIST test sets
# (../shared/data), as recorded in bench/RESULTS.md:
#  1. AUROC, AUPR, FPR@95 of -LLR and of plain likelihood on all 10 000 + 10 000 test images;
#  2. Alibi's threshold procedure: the 50th percentile of the scores of a set with 50 % outliers (the first 5 000
#     images of each test set), written into the detector, then F1/accuracy/precision/recall on the other 5 000 + 5 000;
#  3. with SNAPSHOTS=DIR (the folder a fit wrote its weights of every epoch into: the llr key snapshotDir), the
#     per-epoch AUROC trend on 2 000 + 2 000 test images, and the in-distribution stand-in AUROCs the settings were
#     chosen by.
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

# the threshold set: 5 000 Fashion-MNIST + 5 000 MNIST test images (needs numpy)
/usr/bin/python3 - "$F" "$M" "$WORK/threshold-mix.npy" <<'PY'
import gzip, sys, numpy as np
def idx(p):
    with gzip.open(p) as f:
        return np.frombuffer(f.read()[16:], dtype=np.uint8).reshape(-1, 28, 28, 1)
np.save(sys.argv[3], np.concatenate([idx(sys.argv[1])[:5000], idx(sys.argv[2])[:5000]]))
PY
echo "== ./oddball infer-threshold $DET --data $WORK/threshold-mix.npy --percent 50"
./oddball infer-threshold "$DET" --data "$WORK/threshold-mix.npy" --percent 50 2>&1 | grep -v ' INFO \|^WARNING: All log\|^I0000'
echo "== ./oddball evaluate $DET --in $F --ood $M -O offset=5000   (the images the threshold did not see)"
./oddball evaluate "$DET" --in "$F" --ood "$M" -O offset=5000 2>&1 | grep -v ' INFO \|^WARNING: All log\|^I0000'

if [ -n "${SNAPSHOTS:-}" ]; then
  (mvn -B -q install -pl bench -am -DskipTests && mvn -B -q -pl bench dependency:build-classpath -Dmdep.outputFile=target/cp.txt)
  OWN="bench/target/classes:detector-llr/target/classes:runtime/target/classes:tf-ops/target/classes:tf/target/classes"
  OWN="$OWN:api/target/classes"
  CP="$OWN:$(tr ':' '\n' < bench/target/cp.txt | grep -v '/io/oddball/' | paste -sd:)"
  echo "== java -cp \$CP io.oddball.bench.LlrEpochs $DET $SNAPSHOTS $F $M 2000"
  java -cp "$CP" io.oddball.bench.LlrEpochs "$DET" "$SNAPSHOTS" "$F" "$M" 2000 2>&1 \
    | grep -v ' INFO \|^WARNING: All log\|^I0000'
  # how the settings were selected, in-distribution only: the fit's held-out training images (seed and validation
  # split of pipelines/fashion-mnist-llr.yaml) vs flipped, turned and patch-shuffled copies of them
  TRAIN="$DATA/fashion-mnist/train-images-idx3-ubyte.gz"
  echo "== java -cp \$CP io.oddball.bench.LlrProxies $DET $SNAPSHOTS $TRAIN 1 0.05 1000"
  java -cp "$CP" io.oddball.bench.LlrProxies "$DET" "$SNAPSHOTS" "$TRAIN" 1 0.05 1000 2>&1 \
    | grep -v ' INFO \|^WARNING: All log\|^I0000'
fi
