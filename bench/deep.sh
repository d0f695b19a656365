#!/usr/bin/env bash
# AE and VAE speed: the PyTorch peers (ae_peer.py conv, vae_peer.py) and Oddball's AeBench and VaeBench in one
# invocation, on the same machine state, printed as one table with the ratio Oddball / PyTorch.
# Usage: bench/deep.sh [--quick]   (from the repository root or anywhere; --quick checks the script end to end with
#        a few steps only: its figures mean nothing)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PEERS_SRC="${PEERS_SRC:-$ROOT/../shared/peers}"
[ -d "$PEERS_SRC" ] || PEERS_SRC=/work/shared/peers
WORK="$ROOT/bench/target/peers-deep"
QUICK=0
[ "${1:-}" = "--quick" ] && QUICK=1
export TF_CPP_MIN_LOG_LEVEL=1 TF_ENABLE_ONEDNN_OPTS=1

# (a) the peers' Debian packages (benchmark only, never in CI)
if ! /usr/bin/python3 -c "import torch, numpy" 2>/dev/null; then
  apt-get install -y python3-torch python3-numpy
fi
# OpenBLAS for the peer's matrix products: without it Debian's PyTorch (BLAS_INFO=generic) links the reference
# libblas3, whose products ran at 6 GFLOP/s here (a fresh machine of 2026-12-02: the AE peer took 3.8 s a step)
dpkg -s libopenblas0-pthread >/dev/null 2>&1 || apt-get install -y libopenblas0-pthread

# (b) the PyTorch peers from a writable copy (they write their figures to ref/)
rm -rf "$WORK" && mkdir -p "$WORK" && cp -r "$PEERS_SRC"/. "$WORK"/ && chmod -R u+w "$WORK"
rm -f "$WORK/ref/ae_bench.json" "$WORK/ref/vae_bench.json"
peer() {  # peer SCRIPT ARGS...: run with the fair setting; --quick shortens bench_common's timing loops
  local script="$1"; shift
  echo "== PyTorch peer: (cd $WORK && OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 $script $*)"
  (cd "$WORK" && OMP_WAIT_POLICY=PASSIVE QUICK=$QUICK /usr/bin/python3 -c '
import os, runpy, sys
import bench_common as b
if os.environ["QUICK"] == "1":
    b.time_train.__defaults__ = (1, 2)   # warmup, steps
    b.time_infer.__defaults__ = (1, 1)   # warmup, reps
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
' "$script" "$@") > "$WORK/${script%.py}.log" 2>&1 || { cat "$WORK/${script%.py}.log"; exit 1; }
}
peer ae_peer.py conv
peer vae_peer.py

# (c) Oddball, this checkout's classes first (~/.m2 may hold another checkout's oddball jars)
(cd "$ROOT" && mvn -B -q install -pl bench -am -DskipTests \
  && mvn -B -q -pl bench dependency:build-classpath -Dmdep.outputFile=target/cp.txt)
OWN="$ROOT/bench/target/classes:$ROOT/detector-vae/target/classes:$ROOT/detector-ae/target/classes"
OWN="$OWN:$ROOT/tf/target/classes:$ROOT/api/target/classes"
CP="$OWN:$(tr ':' '\n' < "$ROOT/bench/target/cp.txt" | grep -v '/io/oddball/' | paste -sd:)"
ARGS=()
[ $QUICK = 1 ] && ARGS=(--steps 2 --warmup 1 --inferBatches 1)
for b in AeBench VaeBench; do
  echo "== Oddball: java -cp \$CP io.oddball.bench.$b ${ARGS[*]:-}"
  java -cp "$CP" io.oddball.bench.$b "${ARGS[@]}" 2>&1 | grep -v ' INFO \|^WARNING: All log\|^I0000' \
    | tee "$WORK/$b.log"
done

# one table
/usr/bin/python3 - "$WORK" <<'PY'
import json, re, sys
w = sys.argv[1]
ae = json.load(open(f"{w}/ref/ae_bench.json"))["conv_ae_nchw"]
vae = json.load(open(f"{w}/ref/vae_bench.json"))
def ours(name):
    line = open(f"{w}/{name}.log").read()
    return (float(re.search(r"median ([0-9.]+) ms/step", line).group(1)),
            float(re.search(r"([0-9.]+) images/s", line).group(1)))
rows = [("AE alibi-cifar10", ae["train_b64"]["ms_per_step_median"], ae["infer_b256"]["items_per_s"], ours("AeBench")),
        ("VAE alibi-cifar10, latent 1024, samples 2", vae["train_b64"]["ms_per_step_median"],
         vae["infer_b256_samples2"]["items_per_s"], ours("VaeBench"))]
print()
print("| model | train ms/step b64: PyTorch | Oddball | speed-up | inference img/s b256: PyTorch | Oddball | speed-up |")
print("|---|---|---|---|---|---|---|")
for name, pt_ms, pt_ips, (o_ms, o_ips) in rows:
    print(f"| {name} | {pt_ms:.1f} | {o_ms:.1f} | {pt_ms / o_ms:.2f}x | {pt_ips:.0f} | {o_ips:.0f} | {o_ips / pt_ips:.2f}x |")
PY
