#!/usr/bin/env bash
# AE and VAE speed (Alibi's CIFAR-10 conv autoencoder `alibi-cifar10`, and its VAE with latent 1 024, covElbo sim
# 0.05, samples 2): training ms/step at batch 64 and inference images/s at batch 256 of Oddball's AeBench and
# VaeBench and of the peers a user would run instead, in one invocation on the same machine state, then one table
# with every peer's figure and Oddball's speed against the fastest peer. The peers (bench/peers/):
#   debian  PyTorch 1.13, Debian's python3-torch on OpenBLAS (ae_peer.py, vae_peer.py; OMP_WAIT_POLICY=PASSIVE)
#   torch   PyTorch 2.x from PyPI (the same scripts), with OpenMP's default and with PASSIVE: the faster counts
#   keras   Keras/TensorFlow 2.x, tensorflow-cpu from PyPI (keras_peer.py): a compiled step, an eager step (as
#           Alibi's trainer runs) and compiled inference
#   alibi   Alibi Detect's own OutlierAE and OutlierVAE (alibi_peer.py): its fit (eager) and predict, on TensorFlow
#           2.18 (alibi-detect 0.13.0 supports TensorFlow < 2.19)
# Each PyPI stack lives in a virtual environment made on first use and reused after: bench/.venv-torch (about
# 5.4 GB: PyPI's torch brings the CUDA libraries, which `import torch` loads even on a CPU-only machine),
# bench/.venv-tf, bench/.venv-alibi. A benchmark tool: never run in CI.
# Usage: bench/deep.sh [--quick] [--peers debian,torch,keras,alibi]   (from the repository root or anywhere)
#   --quick  a few steps of each, to check the script end to end: its figures mean nothing
#   --peers  which peers to run (default: all four)
#   PYTHON, TORCH_VERSION, TF_VERSION, ALIBI_VERSION: see bench/peers/common.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
source "$ROOT/bench/peers/common.sh"
WORK="$ROOT/bench/target/peers-deep"
peer_options bench/deep.sh debian,torch,keras,alibi torch,keras "$@"
peers_start

# (a) the peers' environments, all made before anything is timed
want debian && PY_DEBIAN="$(debian_torch)"
want torch && PY_TORCH="$(torch_python)"
want keras && PY_TF="$(tf_python)"
want alibi && PY_ALIBI="$(alibi_python)"

# (b) the peers; run NAME ENV... -- PYTHON SCRIPT ARGS...: one peer process, its output in $WORK/NAME.log
run() {
  local name="$1"; shift
  local envs=()
  while [ "$1" != -- ]; do envs+=("$1"); shift; done
  shift
  echo "== peer $name: ${envs[*]} $1 bench/peers/$2 ${*:3}"
  env "${envs[@]}" "$1" "$PEERS/$2" "${@:3}" > "$WORK/$name.log" 2>&1 \
    || { cat "$WORK/$name.log"; echo "bench/deep.sh: the peer $name failed (its output above)" >&2; exit 1; }
}
if want debian; then
  run debian-ae BENCH_TAG=debian OMP_WAIT_POLICY=PASSIVE -- "$PY_DEBIAN" ae_peer.py conv
  run debian-vae BENCH_TAG=debian OMP_WAIT_POLICY=PASSIVE -- "$PY_DEBIAN" vae_peer.py
fi
if want torch; then
  for m in ae vae; do
    args=()
    [ $m = ae ] && args=(conv)
    run torch-$m-default BENCH_TAG=torch_default -- "$PY_TORCH" ${m}_peer.py "${args[@]}"
    run torch-$m-passive BENCH_TAG=torch_passive OMP_WAIT_POLICY=PASSIVE -- "$PY_TORCH" ${m}_peer.py "${args[@]}"
  done
fi
if want keras; then
  run keras-ae BENCH_TAG= -- "$PY_TF" keras_peer.py ae
  run keras-vae BENCH_TAG= -- "$PY_TF" keras_peer.py vae
fi
if want alibi; then
  run alibi-ae BENCH_TAG= -- "$PY_ALIBI" alibi_peer.py ae
  run alibi-vae BENCH_TAG= -- "$PY_ALIBI" alibi_peer.py vae
fi

# (c) Oddball
oddball_classpath detector-vae detector-ae tf-ops tf api
ARGS=()
[ $QUICK = 1 ] && ARGS=(--steps 2 --warmup 1 --inferBatches 1)
for b in AeBench VaeBench; do
  echo "== Oddball: java -cp \$CP io.oddball.bench.$b ${ARGS[*]:-}"
  java -cp "$CP" io.oddball.bench.$b "${ARGS[@]}" 2>&1 | oddball_filter | tee "$WORK/$b.log"
done

# (d) one table
"$PYTHON" "$PEERS/table.py" deep "$WORK"
