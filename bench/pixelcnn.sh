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
QUICK=0
PEER_LIST=debian,torch
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --peers) [ $# -ge 2 ] || { echo "bench/pixelcnn.sh: --peers needs a list, e.g. --peers torch" >&2; exit 2; }
             PEER_LIST="$2"; shift ;;
    *) echo "bench/pixelcnn.sh: unknown argument '$1' (expected --quick or --peers debian,torch)" >&2; exit 2 ;;
  esac
  shift
done
for p in ${PEER_LIST//,/ }; do
  case "$p" in debian|torch) ;; *)
    echo "bench/pixelcnn.sh: --peers: expected some of debian,torch, found '$p'" >&2; exit 2 ;;
  esac
done
[ -n "${PEER_LIST//,/}" ] \
  || { echo "bench/pixelcnn.sh: --peers: expected some of debian,torch, found none" >&2; exit 2; }
want() { case ",$PEER_LIST," in *",$1,"*) return 0;; *) return 1;; esac; }
export TF_CPP_MIN_LOG_LEVEL=2 TF_ENABLE_ONEDNN_OPTS=1 QUICK BENCH_OUT="$WORK/ref"
rm -rf "$WORK" && mkdir -p "$WORK/ref"
cpu_line | tee "$WORK/cpu.txt"

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
