#!/usr/bin/env bash
# Serving benchmark (issue 24, item 7): `oddball serve` over REST (Open Inference Protocol v2) with the KNN demo
# detector and the alibi-cifar10 AE, at concurrency 1, 8 and 64 with 1-row and 32-row requests (requests/s,
# instances/s, p50 and p99 latency, measured by wrk); beside (a) the same saved detectors scored in process
# (ServeBench: Pipeline.score on one thread, batches of 1, 32 and 64) and (b) the peer users deploy today: MLServer
# with the mlserver-alibi-detect runtime serving Alibi Detect's OutlierAE of the same architecture, over the same
# protocol, with the same bodies, the same load tool and concurrencies. One invocation, so every side sees the same
# machine state; one server runs at a time. A benchmark tool: never run in CI.
#
# gRPC: the same cells through each server's gRPC port with bench's GrpcLoad (grpc-java, one channel).
#
# Usage: bench/serve.sh [--seconds 10] [--no-peer]   (from the repository root or anywhere; as root, or with wrk
#        installed: wrk comes from Debian, apt-get install -y wrk, when missing)
#   PYTHON: the Python that makes bench/.venv-mlserver (3.10-3.12, see bench/peers/common.sh)
#   SERVE_PORT: the first of the loopback ports used (default 18080: Oddball 18080-18082, MLServer 18090-18091)
#   MLSERVER_VERSION, MLSERVER_ALIBI_VERSION, ALIBI_VERSION: the peer's versions (default 1.7.1, 1.6.1, 0.13.0)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
source "$ROOT/bench/peers/common.sh"
SECONDS_PER_CELL=10
PEER=1
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) SECONDS_PER_CELL="$2"; shift 2 ;;
    --no-peer) PEER=0; shift ;;
    *) echo "bench/serve.sh: unknown argument '$1' (expected --seconds N or --no-peer)" >&2; exit 2 ;;
  esac
done
if [ "${CI:-}" = true ]; then
  echo "bench/serve.sh: a benchmark tool, never run in CI" >&2
  exit 2
fi
MLSERVER_VERSION="${MLSERVER_VERSION:-1.7.1}"
MLSERVER_ALIBI_VERSION="${MLSERVER_ALIBI_VERSION:-1.6.1}"
PORT="${SERVE_PORT:-18080}"
WORK="$ROOT/bench/target/serve"
export TF_CPP_MIN_LOG_LEVEL=1 TF_ENABLE_ONEDNN_OPTS=1
rm -rf "$WORK" && mkdir -p "$WORK"
RESULTS="$WORK/results.tsv"
: > "$RESULTS"
SERVER_PID=""
# stop_server: SIGTERM to the server started last, SIGKILL if it has not ended 15 s later (MLServer 1.7.1 may hang
# at "Waiting for connections to close")
stop_server() {
  [ -n "$SERVER_PID" ] || return 0
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  local i
  for ((i = 0; i < 30; i++)); do
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.5
  done
  kill -KILL "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}
trap stop_server EXIT

echo "== bench/serve.sh, $(date -u '+%Y-%m-%d %H:%M UTC'), $SECONDS_PER_CELL s per cell"
cpu_line
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

# (a) the load tool, from Debian
if ! command -v wrk >/dev/null; then
  echo "== apt-get install -y wrk"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; } \
    || { echo "bench/serve.sh: could not install wrk from Debian (apt-get install -y wrk)" >&2; exit 1; }
fi
echo "wrk: $(wrk --version 2>&1 | head -1)"

# (b) the peer's environment: MLServer, its Alibi Detect runtime and Alibi Detect with the TensorFlow it brings
if [ "$PEER" = 1 ]; then
  # uvloop 0.22 (October 2025) broke MLServer 1.7.1's inference workers: they die at start with "There is no
  # current event loop in thread 'MainThread'" and restart forever (SeldonIO/MLServer#2286, fix not released)
  PY_MLSERVER="$(venv mlserver "mlserver==$MLSERVER_VERSION" "mlserver-alibi-detect==$MLSERVER_ALIBI_VERSION" \
    "alibi-detect[tensorflow]==$ALIBI_VERSION" "uvloop==0.21.0")"
  # Alibi Detect 0.13 saves and loads tf.keras (Keras 2) models: with TensorFlow 2.18's default Keras 3,
  # save_detector fails ("The filename must end in `.weights.h5`"); tf-keras comes with alibi-detect[tensorflow]
  export TF_USE_LEGACY_KERAS=1
  "$PY_MLSERVER" -c 'import importlib.metadata as m; print("peer: " + ", ".join(p + " " + m.version(p) for p in
    ("mlserver", "mlserver-alibi-detect", "alibi-detect", "tensorflow", "uvicorn", "fastapi")))'
fi

# (c) Oddball: the CLI (./oddball builds it when the sources changed) and the bench classes
"$ROOT/oddball" --version
oddball_classpath server runtime detector-knn detector-ae detector-vae detector-llr tf-ops tf api
echo "== fitting the detectors: the KNN demo (pipelines/demo-knn.yaml) and alibi-cifar10 (2 epochs on the shipped"
echo "   CIFAR-10 slice: speed is measured, not quality)"
"$ROOT/oddball" fit "$ROOT/pipelines/demo-knn.yaml" --out "$WORK/knn" 2>&1 | tail -2
cat > "$WORK/ae.yaml" <<YAML
detector:
  type: ae
  architecture: alibi-cifar10
  fit: {epochs: 2, batchSize: 64, learningRate: 1.0e-3, seed: 42}
data:
  train: {format: cifar10, path: $ROOT/data/cifar10/cifar10-data-batch-1-first1000.bin.gz}
preprocess: [{scale: 255}]
scorer: {type: top-percent, outlierPerc: 75}
threshold: {type: percentile, percent: 99}
YAML
"$ROOT/oddball" fit "$WORK/ae.yaml" --out "$WORK/ae" 2>&1 | tail -2
python3 "$PEERS/serve_data.py" "$ROOT" "$WORK"

# (d) in process: the saved detectors as the server loads them, Pipeline.score on one thread
for m in knn ae; do
  echo "== in process: java -cp \$CP io.oddball.bench.ServeBench --model $m=$WORK/$m --rows $WORK/$m.u8"
  java -cp "$CP" io.oddball.bench.ServeBench --model "$m=$WORK/$m" --rows "$WORK/$m.u8" --batches 1,32,64 \
    --seconds "$SECONDS_PER_CELL" 2>&1 | oddball_filter | tee "$WORK/inprocess-$m.log" | grep -v '^RESULT'
  grep '^RESULT' "$WORK/inprocess-$m.log" | awk -v OFS='\t' '{print "inprocess", $2, $3, 1, $4, $5, $6, 0, $4 / $3}' \
    >> "$RESULTS"
done

# wait_ready URL SECONDS: until the URL answers 200
wait_ready() {
  local i
  for ((i = 0; i < $2 * 2; i++)); do
    curl -sf -o /dev/null "$1" && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || return 1
    sleep 0.5
  done
  return 1
}

# record SIDE MODEL ROWS CONCURRENCY NOTE WRKRESULT-LINE: one cell into results.tsv (side model rows concurrency
# instances/s p50-ms p99-ms errors requests/s) and on the terminal; the line is wrk_post.lua's (GrpcLoad prints the
# same): WRKRESULT requests duration-us p50-ms p99-ms mean-ms non-2xx socket-errors timeouts
record() {
  local side="$1" model="$2" rows="$3" c="$4" note="$5"
  set -- $6
  awk -v OFS='\t' -v side="$side" -v model="$model" -v rows="$rows" -v c="$c" -v n="$2" -v d="$3" -v p50="$4" \
    -v p99="$5" -v err="$(($7 + $8 + $9))" \
    'BEGIN {print side, model, rows, c, n / (d / 1e6) * rows, p50, p99, err, n / (d / 1e6)}' | tee -a "$RESULTS" \
    | awk -F'\t' -v note="$note" '{printf "   %-16s %-4s %2d rows, c %2d: %7.1f requests/s, p50 %8.2f ms, " \
        "p99 %8.2f ms, %d errors%s\n", $1, $2, $3, $4, $9, $6, $7, $8, note}'
}

# load SIDE MODEL URL [CONCURRENCIES]: wrk at each concurrency (default 1 8 64) with each body, after 5 s of warm-up
# (the JIT has compiled the path by then)
load() {
  local side="$1" model="$2" url="$3" concs="${4:-1 8 64}" rows c line
  for rows in 1 32; do
    for c in $concs; do
      WRK_BODY="$WORK/$model-$rows.json" wrk -t1 -c"$c" -d5s --timeout 30s -s "$PEERS/wrk_post.lua" "$url" \
        > /dev/null
      # what the warm-up left queued is scored before the measurement: one more request waits behind it
      curl -s -o /dev/null --max-time 120 "$url" -H 'Content-Type: application/json' -d @"$WORK/$model-1.json" || true
      line="$(WRK_BODY="$WORK/$model-$rows.json" wrk -t1 -c"$c" -d"${SECONDS_PER_CELL}s" --timeout 30s \
        -s "$PEERS/wrk_post.lua" "$url" | grep '^WRKRESULT')"
      record "$side" "$model" "$rows" "$c" "" "$line"
    done
  done
}

# gload SIDE MODEL NAME TARGET SHAPE [CONCURRENCIES]: the gRPC load client (bench GrpcLoad: one channel, a closed loop
# of requests with FP32 rows in raw_input_contents) at each concurrency with 1- and 32-row requests; GLOAD_ARGS: more
# GrpcLoad options (e.g. --outputs)
gload() {
  local side="$1" model="$2" name="$3" target="$4" shape="$5" concs="${6:-1 8 64}" rows c line
  for rows in 1 32; do
    for c in $concs; do
      # shellcheck disable=SC2086
      line="$(java -cp "$CP" io.oddball.bench.GrpcLoad --target "$target" --model "$name" --rows "$WORK/$model.u8" \
        --shape "$shape" --batch "$rows" --concurrency "$c" --seconds "$SECONDS_PER_CELL" --warmup 5 ${GLOAD_ARGS:-} 2>&1 \
        | grep '^WRKRESULT\|^GrpcLoad' || true)"
      case "$line" in WRKRESULT*) ;; *) echo "   $side $model $rows rows, c $c: $line"; continue ;; esac
      record "$side" "$model" "$rows" "$c" " (gRPC)" "$line"
    done
  done
}

# (e) oddball serve, its defaults (batches of up to 64 rows, 1 ms wait), loopback, metrics off; REST, then gRPC
echo "== oddball serve knn=$WORK/knn ae=$WORK/ae --host 127.0.0.1 --http-port $PORT --grpc-port $((PORT + 1))"
TF_CPP_MIN_LOG_LEVEL=0 "$ROOT/oddball" serve "knn=$WORK/knn" "ae=$WORK/ae" --host 127.0.0.1 --http-port "$PORT" \
  --grpc-port "$((PORT + 1))" --metrics-port -1 > "$WORK/oddball-serve.log" 2>&1 &
SERVER_PID=$!
wait_ready "http://127.0.0.1:$PORT/v2/health/ready" 120 \
  || { tail -20 "$WORK/oddball-serve.log"; echo "bench/serve.sh: oddball serve did not get ready" >&2; exit 1; }
curl -sf "http://127.0.0.1:$PORT/v2/models/ae/infer" -H 'Content-Type: application/json' -d @"$WORK/ae-1.json"
echo
load oddball knn "http://127.0.0.1:$PORT/v2/models/knn/infer"
load oddball ae "http://127.0.0.1:$PORT/v2/models/ae/infer"
# 32-row requests with the binary tensor data extension (raw UINT8 pixels): what the JSON text costs
for m in knn ae; do
  for c in 1 64; do
    WRK_BODY="$WORK/$m-32.bin" WRK_HEADER_LENGTH="$(cat "$WORK/$m-32.bin.header")" wrk -t1 -c"$c" -d5s \
      --timeout 30s -s "$PEERS/wrk_post.lua" "http://127.0.0.1:$PORT/v2/models/$m/infer" > /dev/null
    curl -s -o /dev/null --max-time 120 "http://127.0.0.1:$PORT/v2/models/$m/infer" \
      -H 'Content-Type: application/json' -d @"$WORK/$m-1.json" || true
    line="$(WRK_BODY="$WORK/$m-32.bin" WRK_HEADER_LENGTH="$(cat "$WORK/$m-32.bin.header")" wrk -t1 -c"$c" \
      -d"${SECONDS_PER_CELL}s" --timeout 30s -s "$PEERS/wrk_post.lua" "http://127.0.0.1:$PORT/v2/models/$m/infer" \
      | grep '^WRKRESULT')"
    record oddball-bin "$m" 32 "$c" " (binary)" "$line"
  done
done
gload oddball-grpc knn knn "127.0.0.1:$((PORT + 1))" 28,28
gload oddball-grpc ae ae "127.0.0.1:$((PORT + 1))" 32,32,3
# with the feature scores too: what MLServer's gRPC must return (below)
GLOAD_ARGS="--outputs instance_score,is_outlier,feature_score" gload oddball-grpc-fs ae ae "127.0.0.1:$((PORT + 1))" \
  32,32,3
stop_server

# (f) the same at concurrency 1 with --max-delay-ms 0: a batch's first request does not wait for others
echo "== oddball serve ... --max-delay-ms 0 (concurrency 1 only)"
TF_CPP_MIN_LOG_LEVEL=0 "$ROOT/oddball" serve "knn=$WORK/knn" "ae=$WORK/ae" --host 127.0.0.1 --http-port "$PORT" \
  --grpc-port -1 --metrics-port -1 --max-delay-ms 0 > "$WORK/oddball-serve-d0.log" 2>&1 &
SERVER_PID=$!
wait_ready "http://127.0.0.1:$PORT/v2/health/ready" 120 \
  || { tail -20 "$WORK/oddball-serve-d0.log"; echo "bench/serve.sh: oddball serve did not get ready" >&2; exit 1; }
load oddball-d0 knn "http://127.0.0.1:$PORT/v2/models/knn/infer" 1
load oddball-d0 ae "http://127.0.0.1:$PORT/v2/models/ae/infer" 1
stop_server

# (g) the peer: MLServer, mlserver-alibi-detect, OutlierAE of the same architecture, its defaults
if [ "$PEER" = 1 ]; then
  echo "== MLServer peer: OutlierAE (alibi-cifar10 nets) fitted 2 epochs on the slice, save_detector"
  "$PY_MLSERVER" "$PEERS/mlserver_peer.py" "$WORK/ae.u8" "$WORK/mlserver" "$((PORT + 10))" "$((PORT + 11))" 2 \
    > "$WORK/mlserver-fit.log" 2>&1 || { tail -20 "$WORK/mlserver-fit.log"; exit 1; }
  tail -1 "$WORK/mlserver-fit.log"
  # start_mlserver LOG: mlserver start in the model repository, until the model is ready
  start_mlserver() {
    (cd "$WORK/mlserver" && exec "$(dirname "$PY_MLSERVER")/mlserver" start .) > "$WORK/$1" 2>&1 &
    SERVER_PID=$!
    wait_ready "http://127.0.0.1:$((PORT + 10))/v2/models/cifar10-ae/ready" 180 \
      || { tail -30 "$WORK/$1"; echo "bench/serve.sh: MLServer did not get ready" >&2; exit 1; }
  }
  echo "== mlserver start $WORK/mlserver (http 127.0.0.1:$((PORT + 10))), its defaults: no adaptive batching"
  start_mlserver mlserver.log
  curl -sf "http://127.0.0.1:$((PORT + 10))/v2/models/cifar10-ae/infer" -H 'Content-Type: application/json' \
    -d @"$WORK/ae-1.json" | head -c 600
  echo
  load mlserver ae "http://127.0.0.1:$((PORT + 10))/v2/models/cifar10-ae/infer"
  stop_server
  # MLServer 1.7.1's gRPC cannot answer OutlierAE without feature scores: its empty feature_score output (None) fails
  # to encode ("expected bytes, NoneType found", typed or raw), every request an INTERNAL error. With
  # return_feature_score it answers; Oddball's gRPC cells with feature_score asked (oddball-grpc-fs) are its match.
  echo "== mlserver start, return_feature_score true (its gRPC answers only so), gRPC"
  "$PY_MLSERVER" -c 'import json, sys; p = sys.argv[1]; s = json.load(open(p))
s["parameters"]["extra"]["predict_parameters"]["return_feature_score"] = True; json.dump(s, open(p, "w"), indent=2)' \
    "$WORK/mlserver/cifar10-ae/model-settings.json"
  start_mlserver mlserver-grpc.log
  GLOAD_ARGS="--outputs instance_score,is_outlier,feature_score" gload mlserver-grpc-fs ae cifar10-ae \
    "127.0.0.1:$((PORT + 11))" 32,32,3
  stop_server
  "$PY_MLSERVER" -c 'import json, sys; p = sys.argv[1]; s = json.load(open(p))
s["parameters"]["extra"]["predict_parameters"]["return_feature_score"] = False; json.dump(s, open(p, "w"), indent=2)' \
    "$WORK/mlserver/cifar10-ae/model-settings.json"
  # MLServer's adaptive batching, as Oddball batches: up to 64 requests, waiting up to 1 ms
  echo "== mlserver start, adaptive batching: max_batch_size 64, max_batch_time 0.001 (concurrency 8 and 64)"
  "$PY_MLSERVER" -c 'import json, sys; p = sys.argv[1]; s = json.load(open(p))
s.update(max_batch_size=64, max_batch_time=0.001); json.dump(s, open(p, "w"), indent=2)' \
    "$WORK/mlserver/cifar10-ae/model-settings.json"
  start_mlserver mlserver-batching.log
  load mlserver-ab ae "http://127.0.0.1:$((PORT + 10))/v2/models/cifar10-ae/infer" "8 64"
  stop_server
fi

echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 "$PEERS/serve_table.py" "$RESULTS"
