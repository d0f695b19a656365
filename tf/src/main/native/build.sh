#!/bin/sh
# Builds liboddball_ops.so (Oddball's fused TensorFlow kernels) into $1 with the system's C++ compiler; Maven runs
# this while building the tf module. Without a compiler (or off Linux x86-64) it prints why and builds nothing:
# Oddball then runs PixelCNN++ and the autoencoders on TensorFlow's stock ops, which compute the same values,
# slower.
set -u
out="$1"
src="$(dirname "$0")"
cxx="${CXX:-g++}"
case "$(uname -s)/$(uname -m)" in
  Linux/x86_64) ;;
  *) echo "oddball-tf: no fused-op library for $(uname -s)/$(uname -m); PixelCNN++ and the autoencoders use the" \
       "stock ops"; exit 0 ;;
esac
if ! command -v "$cxx" >/dev/null 2>&1; then
  echo "oddball-tf: no C++ compiler ($cxx) found; PixelCNN++ and the autoencoders use the stock ops" \
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
stub="$(mktemp -d)"
trap 'rm -rf "$stub"' EXIT
echo 'void oddball_stub(void) {}' > "$stub/stub.c"
if ! "$cxx" -x c -shared -fPIC -Wl,-soname,libtensorflow_framework.so.2 -o "$stub/libtensorflow_framework.so.2" \
      "$stub/stub.c" \
    || ! "$cxx" -std=c++17 -O3 -fno-trapping-math -fPIC -shared -fvisibility=hidden -pthread \
      -o "$out/liboddball_ops.so.tmp" "$src/oddball_ops.cc" -L"$stub" -Wl,--no-as-needed \
      -l:libtensorflow_framework.so.2; then
  echo "oddball-tf: $cxx could not build the fused-op library; PixelCNN++ and the autoencoders use the stock ops"
  rm -f "$out/liboddball_ops.so.tmp"
  exit 0
fi
mv "$out/liboddball_ops.so.tmp" "$out/liboddball_ops.so"
