#!/bin/sh
# Builds liboddball_ops.so (Oddball's fused TensorFlow kernels) into $1 with the system's C++ compiler; Maven runs
# this while building the tf-ops module. Without a compiler (or off Linux x86-64) it prints why and builds nothing:
# Oddball then runs PixelCNN++ and the autoencoders on TensorFlow's stock ops, which compute the same values,
# slower.
set -u
out="$1"
src="$(dirname "$0")"
cxx="${CXX:-g++}"
case "$(uname -s)/$(uname -m)" in
  Linux/x86_64) ;;
  *) echo "oddball-tf-ops: no fused-op library for $(uname -s)/$(uname -m); PixelCNN++ and the autoencoders use the" \
       "stock ops"; exit 0 ;;
esac
if ! command -v "$cxx" >/dev/null 2>&1; then
  echo "oddball-tf-ops: no C++ compiler ($cxx) found; PixelCNN++ and the autoencoders use the stock ops" \
    "(apt-get install g++ to build it)"
  exit 0
fi
mkdir -p "$out"
so="$out/liboddball_ops.so"
fresh=1
for f in "$src"/*.cc "$src"/*.h "$0"; do
  [ "$so" -nt "$f" ] || fresh=0
done
[ $fresh = 1 ] && exit 0
# The TensorFlow symbols resolve against the libtensorflow_framework.so.2 that TensorFlow Java has loaded: the loader
# finds an already loaded library by its soname, so the library only needs to name it (DT_NEEDED). TensorFlow Java
# loads it privately (RTLD_LOCAL), so without that name the symbols would stay unresolved. An empty stub with that
# soname stands in for it at link time. -fno-trapping-math lets the compiler vectorise the branch-free selects.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo 'void oddball_stub(void) {}' > "$work/stub.c"
flags="-std=c++17 -O3 -fno-trapping-math -ffp-contract=fast -fPIC -fvisibility=hidden -ffunction-sections -fdata-sections"
fail() {
  echo "oddball-tf-ops: $1; PixelCNN++ and the autoencoders use the stock ops"
  [ -n "${ODDBALL_KEEP_FAILED:-}" ] || rm -f "$out/liboddball_ops.so.tmp"
  exit 0
}
# The loops, once per x86-64 class (kernels.cc picks its namespace and vector width from the defines). Only these
# instruction sets are enabled, and the library checks exactly these before it runs a build (kernels.h).
"$cxx" $flags -DODDBALL_ISA_NS=isa_avx512 -DODDBALL_VEC=16 -mavx512f -mavx512vl -mavx512bw -mavx512dq -mavx2 -mfma \
    -c "$src/kernels.cc" -o "$work/k512.o" \
  && "$cxx" $flags -DODDBALL_ISA_NS=isa_avx2 -DODDBALL_VEC=8 -mavx2 -mfma -c "$src/kernels.cc" -o "$work/k256.o" \
  && "$cxx" $flags -DODDBALL_ISA_NS=isa_baseline -DODDBALL_VEC=4 -c "$src/kernels.cc" -o "$work/k128.o" \
  || fail "$cxx could not compile the fused-op kernels"
# libstdc++ is linked in statically (libgcc_s stays shared: it is on every system, with old symbol versions), so the
# library needs no newer C++ runtime than the machine has (TensorFlow's own needs GLIBCXX_3.4.29; a g++ 12 build
# would otherwise need 3.4.30); --gc-sections drops the parts of it that are not used (std::random_device alone
# would need GLIBC_2.36).
"$cxx" -x c -shared -fPIC -Wl,-soname,libtensorflow_framework.so.2 -o "$work/libtensorflow_framework.so.2" \
    "$work/stub.c" \
  && "$cxx" $flags -shared -pthread -static-libstdc++ -o "$out/liboddball_ops.so.tmp" \
    "$src/oddball_ops.cc" "$work/k512.o" "$work/k256.o" "$work/k128.o" -L"$work" -Wl,--no-as-needed \
    -l:libtensorflow_framework.so.2 -Wl,--exclude-libs,ALL -Wl,--gc-sections \
  || fail "$cxx could not build the fused-op library"
# It must load wherever TensorFlow Java's native library loads: no C library symbol newer than those TensorFlow
# Java 1.1.0 needs itself (GLIBC_2.34), and no shared C++ runtime. Checked with objdump where binutils are present.
if command -v objdump >/dev/null 2>&1; then
  needs="$(objdump -T "$out/liboddball_ops.so.tmp" | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -1)"
  newest="$(printf '%s\nGLIBC_2.34\n' "$needs" | sort -V | tail -1)"
  [ -z "$needs" ] || [ "$newest" = "GLIBC_2.34" ] \
    || fail "the fused-op library would need $needs, newer than TensorFlow Java's GLIBC_2.34"
  ! objdump -p "$out/liboddball_ops.so.tmp" | grep -q 'NEEDED.*libstdc++' \
    || fail "the fused-op library links the shared C++ runtime"
fi
mv "$out/liboddball_ops.so.tmp" "$out/liboddball_ops.so"
