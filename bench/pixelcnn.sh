#!/usr/bin/env bash
# PixelCNN++ speed (issue 6): the PyTorch peer (../shared/peers/pixelcnn_peer.py --stages 2: 2 hierarchies, 2 gated
# resnets per hierarchy, 32 filters, 5 logistic components, dropout 0.5) and Oddball's PixelCnnBench on the same
# model in one invocation: training images/s at batch 32 and log-probability images/s at batch 32 and 256, then
# Oddball's per-op-type time of one traced training step (where the time goes).
# Usage: bench/pixelcnn.sh [--quick]   (--quick checks the script end to end with a few steps; figures mean nothing)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PEERS_SRC="${PEERS_SRC:-$ROOT/../shared/peers}"
[ -d "$PEERS_SRC" ] || PEERS_SRC=/work/shared/peers
WORK="$ROOT/bench/target/peers-pixelcnn"
QUICK=0
[ "${1:-}" = "--quick" ] && QUICK=1
export TF_CPP_MIN_LOG_LEVEL=1 TF_ENABLE_ONEDNN_OPTS=1

# (a) the peer's Debian packages (benchmark only, never in CI)
if ! /usr/bin/python3 -c "import torch, numpy" 2>/dev/null; then
  apt-get install -y python3-torch python3-numpy
fi
# OpenBLAS for the peer's matrix products: without it Debian's PyTorch (BLAS_INFO=generic) links the reference
# libblas3, whose products ran at 6 GFLOP/s here (a fresh machine of 2026-12-02: the AE peer took 3.8 s a step)
dpkg -s libopenblas0-pthread >/dev/null 2>&1 || apt-get install -y libopenblas0-pthread

# (b) the PyTorch peer from a writable copy, at batch 32 for training and for log-probabilities, then 256
rm -rf "$WORK" && mkdir -p "$WORK" && cp -r "$PEERS_SRC"/. "$WORK"/ && chmod -R u+w "$WORK"
peer() {  # peer TAG INFER_BATCH
  echo "== PyTorch peer: (cd $WORK && OMP_WAIT_POLICY=PASSIVE BENCH_TAG=$1 /usr/bin/python3 pixelcnn_peer.py --stages 2 --infer_batch $2)"
  (cd "$WORK" && OMP_WAIT_POLICY=PASSIVE BENCH_TAG=$1 QUICK=$QUICK /usr/bin/python3 -c '
import os, runpy, sys
import bench_common as b
if os.environ["QUICK"] == "1":
    b.time_train.__defaults__ = (1, 2)
    b.time_infer.__defaults__ = (1, 1)
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
' pixelcnn_peer.py --stages 2 --infer_batch "$2") > "$WORK/peer-$1.log" 2>&1 || { cat "$WORK/peer-$1.log"; exit 1; }
}
peer b32 32
peer b256 256

# (c) Oddball, this checkout's classes first (~/.m2 may hold another checkout's oddball jars)
(cd "$ROOT" && mvn -B -q install -pl bench -am -DskipTests \
  && mvn -B -q -pl bench dependency:build-classpath -Dmdep.outputFile=target/cp.txt)
OWN="$ROOT/bench/target/classes:$ROOT/tf/target/classes:$ROOT/api/target/classes"
CP="$OWN:$(tr ':' '\n' < "$ROOT/bench/target/cp.txt" | grep -v '/io/oddball/' | paste -sd:)"
STEPS=30
[ $QUICK = 1 ] && STEPS=2
for ib in 32 256; do
  echo "== Oddball: java -cp \$CP io.oddball.bench.PixelCnnBench --stages 2 --resnet 2 --filters 32 --mix 5 --dropout 0.5 --inferBatch $ib --steps $STEPS"
  java -cp "$CP" io.oddball.bench.PixelCnnBench --stages 2 --resnet 2 --filters 32 --mix 5 --dropout 0.5 \
    --inferBatch $ib --steps $STEPS 2>&1 | grep -v ' INFO \|^WARNING: All log\|^I0000\|GPU trace' | tee "$WORK/oddball-b$ib.log"
done
echo "== where the time goes (one traced training step, op time summed over both threads):"
java -Dprofile=true -cp "$CP" io.oddball.bench.PixelCnnBench --stages 2 --resnet 2 --filters 32 --mix 5 --dropout 0.5 \
  --steps 2 2>&1 | grep ' ms ' | grep -v 'train step' | head -15

/usr/bin/python3 - "$WORK" <<'PY'
import glob, json, re, sys
w = sys.argv[1]
def peer(tag):
    f = [p for p in glob.glob(f"{w}/ref/pixelcnn_bench_s2*{tag}*.json")][0]
    return json.load(open(f))
p32, p256 = peer("b32"), peer("b256")
pt_train = 32 / p32["train"]["ms_per_step_median"] * 1000
def ours(ib):
    t = open(f"{w}/oddball-b{ib}.log").read()
    return (float(re.search(r"\(([0-9.]+) img/s\)", t).group(1)), float(re.search(r"log-prob b\d+: ([0-9.]+) img/s", t).group(1)))
o_train, o_lp32 = ours(32)
_, o_lp256 = ours(256)
print()
print("| PixelCNN++ 2 stages x 2 resnets, 32 filters, 5 mix | PyTorch | Oddball | ratio |")
print("|---|---|---|---|")
print(f"| training img/s, batch 32 | {pt_train:.1f} | {o_train:.1f} | {o_train / pt_train:.2f}x |")
print(f"| log-prob img/s, batch 32 | {p32['logprob_infer']['items_per_s']:.1f} | {o_lp32:.1f} | {o_lp32 / p32['logprob_infer']['items_per_s']:.2f}x |")
print(f"| log-prob img/s, batch 256 | {p256['logprob_infer']['items_per_s']:.1f} | {o_lp256:.1f} | {o_lp256 / p256['logprob_infer']['items_per_s']:.2f}x |")
PY
