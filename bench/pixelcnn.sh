#!/usr/bin/env bash
# PixelCNN++ speed (issue 6): the PyTorch peer (bench/peers/pixelcnn_peer.py --stages 2: 2 hierarchies, 2 gated
# resnets per hierarchy, 32 filters, 5 logistic components, dropout 0.5) and Oddball's PixelCnnBench on the same
# model in one invocation: training images/s at batch 32 and log-probability images/s at batch 32 and 256, then
# Oddball's per-op-type time of one traced training step (where the time goes), then one table with every peer's
# figure and Oddball's speed against the fastest peer. The peers:
#   debian  PyTorch 1.13, Debian's python3-torch on OpenBLAS (OMP_WAIT_POLICY=PASSIVE)
#   torch   PyTorch 2.x from PyPI in bench/.venv-torch (made on first use, about 5.4 GB: PyPI's torch brings the
#           CUDA libraries, which `import torch` loads even on a CPU-only machine), run with OpenMP's default and
#           with PASSIVE: the faster counts
# A benchmark tool: never run in CI.
# Usage: bench/pixelcnn.sh [--quick] [--peers debian,torch]
#   --quick  a few steps of each, to check the script end to end: its figures mean nothing
#   --peers  which peers to run (default: both)
#   PYTHON, TORCH_VERSION: see bench/peers/common.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
source "$ROOT/bench/peers/common.sh"
WORK="$ROOT/bench/target/peers-pixelcnn"
peer_options bench/pixelcnn.sh debian,torch torch "$@"
peers_start

# (a) the peers' environments, made before anything is timed
want debian && PY_DEBIAN="$(debian_torch)"
want torch && PY_TORCH="$(torch_python)"

# (b) the peers at batch 32 for training and log-probabilities, then log-probabilities at 256
peer() {  # peer NAME PYTHON INFER_BATCH ENV...
  local name="$1" py="$2" ib="$3"; shift 3
  echo "== peer $name: $* BENCH_TAG=${name}_b$ib $py bench/peers/pixelcnn_peer.py --stages 2 --infer_batch $ib"
  env "$@" BENCH_TAG="${name}_b$ib" "$py" "$PEERS/pixelcnn_peer.py" --stages 2 --infer_batch "$ib" \
    > "$WORK/peer-${name}_b$ib.log" 2>&1 \
    || { cat "$WORK/peer-${name}_b$ib.log"; echo "bench/pixelcnn.sh: the peer $name failed (its output above)" >&2
         exit 1; }
}
for ib in 32 256; do
  want debian && peer debian "$PY_DEBIAN" $ib OMP_WAIT_POLICY=PASSIVE
  if want torch; then
    peer torch_default "$PY_TORCH" $ib
    peer torch_passive "$PY_TORCH" $ib OMP_WAIT_POLICY=PASSIVE
  fi
done

# (c) Oddball
oddball_classpath detector-llr tf-ops tf api
STEPS=30
[ $QUICK = 1 ] && STEPS=2
for ib in 32 256; do
  echo "== Oddball: java -cp \$CP io.oddball.bench.PixelCnnBench --stages 2 --resnet 2 --filters 32 --mix 5" \
    "--dropout 0.5 --inferBatch $ib --steps $STEPS"
  java -cp "$CP" io.oddball.bench.PixelCnnBench --stages 2 --resnet 2 --filters 32 --mix 5 --dropout 0.5 \
    --inferBatch $ib --steps $STEPS 2>&1 | oddball_filter | tee "$WORK/oddball-b$ib.log"
done
echo "== where the time goes (one traced training step, op time summed over both threads):"
java -Dprofile=true -cp "$CP" io.oddball.bench.PixelCnnBench --stages 2 --resnet 2 --filters 32 --mix 5 --dropout 0.5 \
  --steps 2 2>&1 | grep ' ms ' | grep -v 'train step' | head -15 || true

# (d) one table
"$PYTHON" "$PEERS/table.py" pixelcnn "$WORK"
