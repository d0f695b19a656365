# Shared by bench/deep.sh, bench/pixelcnn.sh and bench/knn.sh (sourced, not run): the peers' Python environments,
# the peer scripts' arguments, the CPU line and Oddball's class path. Needs ROOT (the repository root) set by the
# caller.
# The peers are benchmark tools only: nothing here runs in CI.

PEERS="$ROOT/bench/peers"
# the Python that makes the virtual environments (python3 3.10-3.12: alibi-detect 0.13.0 needs numpy < 2 and
# numba < 0.60, which have no wheels for 3.13)
PYTHON="${PYTHON:-python3}"
# the peers' versions (override to measure others; the figures in RESULTS.md name the versions they ran)
TORCH_VERSION="${TORCH_VERSION:-2.15.0}"
TF_VERSION="${TF_VERSION:-2.21.0}"
ALIBI_VERSION="${ALIBI_VERSION:-0.13.0}"
CLEANLAB_VERSION="${CLEANLAB_VERSION:-2.9.0}"

# venv NAME PACKAGE...: bench/.venv-NAME with exactly these pip requirements, made on first use and reused while
# the list is unchanged (the list is kept in .venv-NAME/bench-requirements.txt). Prints the python path on stdout;
# install time and size on stderr.
venv() {
  local name="$1"; shift
  local dir="$ROOT/bench/.venv-$name" want
  want="$(printf '%s\n' "$@")"
  if [ -x "$dir/bin/python" ] && [ "$(cat "$dir/bench-requirements.txt" 2>/dev/null)" = "$want" ]; then
    echo "$dir/bin/python"
    return
  fi
  if [ "${CI:-}" = true ]; then
    echo "bench: the peers' virtual environments are never made in CI (bench/.venv-$name)" >&2
    return 1
  fi
  local t0=$SECONDS
  echo "== making bench/.venv-$name: pip install $*" >&2
  if [ ! -x "$dir/bin/python" ] && ! "$PYTHON" -m venv "$dir" >&2; then
    # Debian's Python makes virtual environments only with python3-venv
    echo "== $PYTHON -m venv failed: apt-get install python3-venv, then again" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >&2 && "$PYTHON" -m venv --clear "$dir" >&2 \
      || { echo "bench: $PYTHON could not make bench/.venv-$name (set PYTHON to a Python 3.10-3.12)" >&2; return 1; }
  fi
  # --no-cache-dir: the wheels (several GB for PyTorch) are not kept a second time in ~/.cache/pip
  "$dir/bin/pip" install -q --no-cache-dir --disable-pip-version-check "$@" >&2 \
    || { echo "bench: pip install into bench/.venv-$name failed (pip install $*)" >&2; return 1; }
  printf '%s\n' "$want" > "$dir/bench-requirements.txt"
  echo "== bench/.venv-$name ready in $((SECONDS - t0)) s, $(du -sh "$dir" | cut -f1)" >&2
  echo "$dir/bin/python"
}

# the PyPI peers' environments
torch_python() {
  # PyPI has one Linux x86-64 torch wheel, the CUDA one: it pulls the nvidia-* CUDA libraries (about 3 GB
  # installed, 5.4 GB for the whole environment with triton) and `import torch` needs them even on a CPU-only
  # machine (libtorch_cpu.so links libcudart and libcupti; `pip install --no-deps torch` fails at import with
  # "libcublasLt.so.*[0-9] not found"). PyTorch's own CPU-only index is not a package registry this project uses.
  venv torch "torch==$TORCH_VERSION" numpy
}
tf_python() { venv tf "tensorflow-cpu==$TF_VERSION"; }
# alibi-detect 0.13.0 supports TensorFlow 2.16-2.18 only (tensorflow<2.19, tf-keras<2.19): its own environment,
# with the TensorFlow its [tensorflow] extra brings, as an Alibi user gets it
alibi_python() { venv alibi "alibi-detect[tensorflow]==$ALIBI_VERSION"; }
cleanlab_python() { venv cleanlab "cleanlab==$CLEANLAB_VERSION"; }

# Debian's PyTorch 1.13 (python3-torch) with OpenBLAS: without libopenblas0-pthread Debian's PyTorch
# (BLAS_INFO=generic) links the reference libblas3, whose products ran at 6 GFLOP/s (RESULTS.md, 2026-12-02)
debian_torch() {
  local need=()
  /usr/bin/python3 -c "import torch, numpy" 2>/dev/null || need+=(python3-torch python3-numpy)
  dpkg -s libopenblas0-pthread >/dev/null 2>&1 || need+=(libopenblas0-pthread)
  if [ ${#need[@]} -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq "${need[@]}" >&2 \
      || { apt-get update -qq >&2 && apt-get install -y -qq "${need[@]}" >&2; } || return 1
  fi
  echo /usr/bin/python3
}

# cpu_line: the CPU model and the vector extensions that decide the peers' and Oddball's kernels
cpu_line() {
  local flags model has
  flags=" $(grep -m1 '^flags' /proc/cpuinfo | cut -d: -f2) "
  model="$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
  has() { case "$flags" in *" $1 "*) echo "$1";; *) echo "no-$1";; esac; }
  echo "CPU: $model (family $(grep -m1 '^cpu family' /proc/cpuinfo | cut -d: -f2 | tr -d ' ') model" \
    "$(grep -m1 '^model[[:space:]]*:' /proc/cpuinfo | cut -d: -f2 | tr -d ' ')), $(nproc) CPUs;" \
    "$(has avx2) $(has fma) $(has avx512f) $(has avx512_vnni) $(has avx512_bf16) $(has avx512_fp16)" \
    "$(has amx_bf16) $(has amx_tile)$(case "$flags" in *" hypervisor "*) echo "; virtual machine";; esac)"
  # environment settings that change the peers' kernels or threads (RESULTS.md: OPENBLAS_CORETYPE=Haswell was
  # preset on one machine)
  local e
  e="$(env | grep -E '^(OPENBLAS_|OMP_|MKL_|DNNL_|ONEDNN_|TF_ENABLE_ONEDNN|KMP_)' | sort | paste -sd' ' || true)"
  [ -z "$e" ] || echo "environment: $e"
}

# peer_options SCRIPT ALL EXAMPLE ARG...: the arguments [--quick] [--peers LIST] of a script that runs peers, LIST
# some of the comma-separated peer names ALL (its default; EXAMPLE is shown when --peers lacks its list): sets QUICK
# (1 with --quick, else 0) and PEER_LIST. A bad argument stops the script (exit 2) with a line naming SCRIPT.
peer_options() {
  local script="$1" all="$2" example="$3" p
  shift 3
  QUICK=0
  PEER_LIST="$all"
  while [ $# -gt 0 ]; do
    case "$1" in
      --quick) QUICK=1 ;;
      --peers) [ $# -ge 2 ] || { echo "$script: --peers needs a list, e.g. --peers $example" >&2; exit 2; }
               PEER_LIST="$2"; shift ;;
      *) echo "$script: unknown argument '$1' (expected --quick or --peers $all)" >&2; exit 2 ;;
    esac
    shift
  done
  for p in ${PEER_LIST//,/ }; do
    case ",$all," in *,"$p",*) ;; *)
      echo "$script: --peers: expected some of $all, found '$p'" >&2; exit 2 ;;
    esac
  done
  [ -n "${PEER_LIST//,/}" ] || { echo "$script: --peers: expected some of $all, found none" >&2; exit 2; }
}

# want NAME: whether the peer NAME is on PEER_LIST (peer_options)
want() { case ",$PEER_LIST," in *",$1,"*) return 0;; *) return 1;; esac; }

# peers_start: exports the settings every peer and Oddball run with (QUICK, BENCH_OUT=$WORK/ref, TensorFlow's log
# level and oneDNN), empties WORK and writes the CPU line there (cpu.txt) and to standard output
peers_start() {
  export TF_CPP_MIN_LOG_LEVEL=2 TF_ENABLE_ONEDNN_OPTS=1 QUICK BENCH_OUT="$WORK/ref"
  rm -rf "$WORK" && mkdir -p "$WORK/ref"
  cpu_line | tee "$WORK/cpu.txt"
}

# oddball_classpath MODULE...: builds bench and the modules it needs; sets CP to this checkout's classes of the
# given modules first (~/.m2 may hold another checkout's oddball jars), then the third-party jars
oddball_classpath() {
  local out
  # Maven 3.8 prints colour resets even with -B -q: dropped, with the empty lines they leave
  if ! out="$(cd "$ROOT" && mvn -B -q install -pl bench -am -DskipTests 2>&1 \
      && mvn -B -q -pl bench dependency:build-classpath -Dmdep.outputFile=target/cp.txt 2>&1)"; then
    printf '%s\n' "$out" | sed 's/\x1b\[[0-9;]*m//g'
    echo "bench: building Oddball failed (mvn install -pl bench -am, output above)" >&2
    return 1
  fi
  printf '%s\n' "$out" | sed 's/\x1b\[[0-9;]*m//g' | grep -v '^[[:space:]]*$' || true
  local own="$ROOT/bench/target/classes" m
  for m in "$@"; do own="$own:$ROOT/$m/target/classes"; done
  CP="$own:$(tr ':' '\n' < "$ROOT/bench/target/cp.txt" | grep -v '/io/oddball/' | paste -sd:)"
}

# oddball_filter: drops TensorFlow's and the JVM's start-up chatter from Oddball's output
oddball_filter() { grep -v ' INFO \|^WARNING: All log\|^I0000\|GPU trace' || true; }
