#!/usr/bin/env bash
# Spark benchmark (issue 25, item 6): ROWS generated rows x FEATURES float features (a seeded Gaussian mixture with
# 1 % planted outliers, Parquet) scored by a KNN and an MLP autoencoder, fitted on a TRAIN_ROWS-row sample, through
# OddballModel on Spark local[1] (pinned to one core with taskset) and local[2], beside the same detector scoring the
# same rows in process (Pipeline.score in batches of 256, no Spark, no Parquet) on one core and with two threads,
# `oddball predict` on the same rows from .npy to CSV on one core (the single-process tool a user would run),
# and Spark reading and writing the same Parquet without scoring (the floor a cheap detector approaches).
# SparkBench (spark/src/test/java/io/oddball/spark/SparkBench.java) does the work, one JVM per run; its table and the
# scale-out estimate go to bench/target/spark/table.md. A benchmark tool: never run in CI.
# Usage: bench/spark.sh   (from the repository root or anywhere)
#   ROWS (1000000), FEATURES (64), TRAIN_ROWS (10000), DETECTORS ("knn ae")
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
source "$ROOT/bench/peers/common.sh"
ROWS="${ROWS:-1000000}" FEATURES="${FEATURES:-64}" TRAIN_ROWS="${TRAIN_ROWS:-10000}" DETECTORS="${DETECTORS:-knn ae}"
WORK="$ROOT/bench/target/spark"
export TF_CPP_MIN_LOG_LEVEL=1 TF_ENABLE_ONEDNN_OPTS=1
rm -rf "$WORK" && mkdir -p "$WORK"
cpu_line
echo "load before: $(uptime)"

# Oddball and the spark module (its test classes hold SparkBench), then the module's test class path (Spark's jars)
out="$(cd "$ROOT" && mvn -B -q install -pl spark -am -DskipTests 2>&1 \
  && mvn -B -q -pl spark dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-cp.txt 2>&1)" \
  || { printf '%s\n' "$out" | sed 's/\x1b\[[0-9;]*m//g'; echo "bench/spark.sh: building failed (output above)" >&2; exit 1; }
own="$ROOT/spark/target/classes:$ROOT/spark/target/test-classes"
for m in runtime api tf tf-ops detector-knn detector-ae detector-vae detector-llr; do own="$own:$ROOT/$m/target/classes"; done
CP="$own:$(tr ':' '\n' < "$ROOT/spark/target/bench-cp.txt" | grep -v '/io/oddball/' | paste -sd:)"
# the JVM options Spark's launcher adds on Java 17 (spark/pom.xml, spark.test.jvmOptions)
read -r -a JOPTS <<< "$(sed -n '/<spark.test.jvmOptions>/,/<\/spark.test.jvmOptions>/p' "$ROOT/spark/pom.xml" \
  | sed 's/<[^>]*>//g' | tr '\n' ' ')"
# Spark's own log lines are dropped (log4j2 on the test class path: spark/src/test/resources/log4j2.properties)
filter() { grep -v ' INFO \| WARN \|^WARNING: All log\|^I0000\|GPU trace\|^\s*at \|^java.io.FileNotFound' || true; }
J=(java -Xmx6g "${JOPTS[@]}" -cp "$CP" io.oddball.spark.SparkBench)
# the command without the JVM options and class path
bench() { echo "== $(printf '%s ' "$@" | sed 's/java .* io.oddball.spark.SparkBench/java ... SparkBench/')"; "$@" 2>&1 | filter; }

bench "${J[@]}" prepare --dir "$WORK" --rows "$ROWS" --features "$FEATURES" --train-rows "$TRAIN_ROWS"
du -sh "$WORK/data.parquet"
# the floor: the same Parquet read and written by Spark with the three added columns, nothing scored
for m in 'local[1]' 'local[2]'; do
  pin=(); [ "$m" = 'local[1]' ] && pin=(taskset -c 0)
  bench "${pin[@]}" "${J[@]}" spark --dir "$WORK" --detector none --master "$m"
  rm -rf "$WORK"/scored-*
done
# the same rows as .npy, for the single-process CLI the issue compares with: oddball predict, one core, CSV out
bench "${J[@]}" npy --dir "$WORK"
predict() {
  local d="$1" t0 t1
  rm -f "$WORK/predict-$d.csv"
  echo "== taskset -c 0 ./oddball predict $WORK/$d --data $WORK/data.npy --out $WORK/predict-$d.csv"
  t0=$(date +%s.%N)
  ODDBALL_NO_BUILD=1 taskset -c 0 "$ROOT/oddball" predict "$WORK/$d" --data "$WORK/data.npy" \
    --out "$WORK/predict-$d.csv" 2>&1 | grep -v ' INFO \|^WARNING: All log\|^I0000' || true
  t1=$(date +%s.%N)
  awk -v d="$d" -v t0="$t0" -v t1="$t1" -v n="$ROWS" -v f="$(grep -c ',1$' "$WORK/predict-$d.csv")" \
    'BEGIN { s = t1 - t0; printf "%s, oddball predict 1 core (JVM start included): %d rows in %.1f s = %d rows/s; %d flagged\n", d, n, s, n / s, f }'
}
for d in $DETECTORS; do
  predict "$d"
  bench taskset -c 0 "${J[@]}" inprocess --dir "$WORK" --detector "$d" --threads 1
  bench "${J[@]}" inprocess --dir "$WORK" --detector "$d" --threads 2
  bench taskset -c 0 "${J[@]}" spark --dir "$WORK" --detector "$d" --master 'local[1]'
  bench "${J[@]}" spark --dir "$WORK" --detector "$d" --master 'local[2]'
  rm -rf "$WORK"/scored-*
done
echo "load after: $(uptime)"
"${J[@]}" table --dir "$WORK" 2>/dev/null | tee "$WORK/table.md"
