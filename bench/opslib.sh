#!/usr/bin/env bash
# The op library against TensorFlow's stock ops, per CPU class: PixelCNN++ (the LLR detector's model) and the
# alibi-cifar10 autoencoder, training and inference, each pair of graphs interleaved round by round in one JVM
# (PixelCnnGraphBench, AeGraphBench), and the VAE in alternating JVMs (VaeBench). The op library is used by default
# only on the CPU classes where this measures it faster (io.oddball.tf.ops.FusedOps.FASTER_ON); each pair here
# compares it turned on (tf.opLibrary=on, ODDBALL_OPS=on) with the stock ops (off).
# Usage: bench/opslib.sh [native|avx2|baseline] [--quick]
#   native    this CPU as it is
#   avx2      this CPU as an AVX2-only one: oneDNN capped (ONEDNN_MAX_CPU_ISA=AVX2) and the op library's AVX2 + FMA
#             loops forced (ODDBALL_OPS_ISA=avx2); a stand-in for a real AVX2 machine (Zen 3, Haswell..Comet Lake),
#             whose caches and clocks differ: say which in bench/RESULTS.md
#   baseline  oneDNN capped at SSE4.1 and the op library's baseline x86-64 loops
# --quick checks the script end to end with a few rounds only: its figures mean nothing.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CLASS="${1:-native}"
QUICK=0
[ "${2:-}" = "--quick" ] && QUICK=1
export TF_CPP_MIN_LOG_LEVEL=2 TF_ENABLE_ONEDNN_OPTS=1
case "$CLASS" in
  native) ;;
  avx2) export ONEDNN_MAX_CPU_ISA=AVX2 ODDBALL_OPS_ISA=avx2 ;;
  baseline) export ONEDNN_MAX_CPU_ISA=SSE41 ODDBALL_OPS_ISA=baseline ;;
  *) echo "usage: bench/opslib.sh [native|avx2|baseline] [--quick]" >&2; exit 2 ;;
esac

(cd "$ROOT" && mvn -B -q install -pl bench -am -DskipTests \
  && mvn -B -q -pl bench dependency:build-classpath -Dmdep.outputFile=target/cp.txt)
OWN="$ROOT/bench/target/classes:$ROOT/detector-llr/target/classes:$ROOT/detector-vae/target/classes"
OWN="$OWN:$ROOT/detector-ae/target/classes:$ROOT/tf-ops/target/classes:$ROOT/tf/target/classes:$ROOT/api/target/classes"
CP="$OWN:$(tr ':' '\n' < "$ROOT/bench/target/cp.txt" | grep -v '/io/oddball/' | paste -sd:)"
LOG="$ROOT/bench/target/opslib-$CLASS.log"
: > "$LOG"

echo "== $(date -u +%FT%TZ) $CLASS: $(java -cp "$CP" io.oddball.bench.CpuLine)" | tee -a "$LOG"
ON=tf.opLibrary=on
OFF=tf.opLibrary=off
R_PIX=12; R_AE=15; VAE_RUNS=3; VAE_ARGS=()
[ $QUICK = 1 ] && { R_PIX=2; R_AE=2; VAE_RUNS=1; VAE_ARGS=(--steps 2 --warmup 1 --inferBatches 1); }
run() {
  echo "-- ${ODDBALL_OPS:+ODDBALL_OPS=$ODDBALL_OPS }$*" | tee -a "$LOG"
  java -cp "$CP" "$@" 2>&1 | grep -v ' INFO \|^WARNING: All log\|^I0000' | tee -a "$LOG"
}
run io.oddball.bench.PixelCnnGraphBench train --rounds $R_PIX $ON $OFF
run io.oddball.bench.PixelCnnGraphBench infer --rounds $R_PIX $ON $OFF
run io.oddball.bench.AeGraphBench train --rounds $R_AE $ON $OFF
run io.oddball.bench.AeGraphBench infer --rounds $R_AE $ON $OFF
for i in $(seq $VAE_RUNS); do
  for v in on off; do
    ODDBALL_OPS=$v run io.oddball.bench.VaeBench "${VAE_ARGS[@]}"
  done
done
echo "log: $LOG"
