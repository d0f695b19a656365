#!/usr/bin/env bash
# Downloads the full public data sets that some pipelines need (the repository ships small slices only) into
# data/full/NAME/, checking every file against its published checksum before it is kept.
#
#   data/download.sh NAME...        NAME: fashion-mnist (30 MB), mnist (12 MB), cifar10 (163 MB), or all
#   data/download.sh --list         what each NAME holds, where it comes from and its checksums
#
# Files already there and intact are kept; a file there that differs from the official one is left alone and
# reported (move it away, then run again). Nothing partial is kept: a failed or interrupted download leaves no file.
# ODDBALL_DATA_MIRROR=URL fetches every file as URL/NAME/FILE instead (same checksums), e.g. from a local copy.
# Needs curl (or wget), and sha256sum/md5sum (or shasum/md5). Exit codes: 0 done, 1 a download failed, 2 usage.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DEST="$HERE/full"
ME="data/download.sh"

# NAME FILE CHECKSUM URL... (the first URL is the official one; later ones are mirrors of the same bytes)
TABLE='
fashion-mnist train-images-idx3-ubyte.gz sha256:3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84 http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/train-images-idx3-ubyte.gz
fashion-mnist train-labels-idx1-ubyte.gz sha256:a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845 http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/train-labels-idx1-ubyte.gz
fashion-mnist t10k-images-idx3-ubyte.gz sha256:346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073 http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/t10k-images-idx3-ubyte.gz
fashion-mnist t10k-labels-idx1-ubyte.gz sha256:67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5 http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/t10k-labels-idx1-ubyte.gz
mnist train-images-idx3-ubyte.gz sha256:440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609 http://yann.lecun.com/exdb/mnist/train-images-idx3-ubyte.gz https://ossci-datasets.s3.amazonaws.com/mnist/train-images-idx3-ubyte.gz
mnist train-labels-idx1-ubyte.gz sha256:3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c http://yann.lecun.com/exdb/mnist/train-labels-idx1-ubyte.gz https://ossci-datasets.s3.amazonaws.com/mnist/train-labels-idx1-ubyte.gz
mnist t10k-images-idx3-ubyte.gz sha256:8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6 http://yann.lecun.com/exdb/mnist/t10k-images-idx3-ubyte.gz https://ossci-datasets.s3.amazonaws.com/mnist/t10k-images-idx3-ubyte.gz
mnist t10k-labels-idx1-ubyte.gz sha256:f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6 http://yann.lecun.com/exdb/mnist/t10k-labels-idx1-ubyte.gz https://ossci-datasets.s3.amazonaws.com/mnist/t10k-labels-idx1-ubyte.gz
cifar10 cifar-10-binary.tar.gz md5:c32a1d4ab5d03f1284b67883e8d87530 https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz
'
# What the CIFAR-10 archive is unpacked into (data/full/cifar10/), each file of 10 000 records of 3 073 bytes.
CIFAR_FILES="data_batch_1.bin data_batch_2.bin data_batch_3.bin data_batch_4.bin data_batch_5.bin test_batch.bin"
CIFAR_SIZE=30730000

usage() {
  echo "usage: $ME NAME... (fashion-mnist, mnist, cifar10, all) | $ME --list" >&2
  exit 2
}

list() {
  echo "$TABLE" | while read -r name file sum urls; do
    if [ -n "$name" ]; then echo "$name/$file  $sum  $urls"; fi
  done
  echo "cifar10: the archive is unpacked into data/full/cifar10/ ($CIFAR_FILES batches.meta.txt) and then deleted"
}

digest() { # ALGO FILE -> hex digest
  case "$1" in
    sha256) if command -v sha256sum >/dev/null; then sha256sum "$2" | cut -d' ' -f1; else shasum -a 256 "$2" | cut -d' ' -f1; fi ;;
    md5) if command -v md5sum >/dev/null; then md5sum "$2" | cut -d' ' -f1; else md5 -q "$2"; fi ;;
  esac
}

PARTS=()
MADE=()
# removes what this run left half-done, and the folders it made if they stayed empty
cleanup() {
  for p in "${PARTS[@]+"${PARTS[@]}"}"; do rm -rf "$p"; done
  for d in "${MADE[@]+"${MADE[@]}"}"; do rmdir "$d" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'cleanup; echo "$ME: interrupted; nothing partial kept" >&2; exit 130' INT TERM

fetch() { # URL OUT -> 0, or 1 with the reason in $REASON
  local rc=0
  REASON=""
  if command -v curl >/dev/null; then
    if [ -t 2 ]; then
      curl -fL --retry 2 --progress-bar -o "$2" "$1" || rc=$?
    else
      REASON="$(curl -fsSL --retry 2 -o "$2" "$1" 2>&1)" || rc=$?
    fi
  elif command -v wget >/dev/null; then
    REASON="$(wget -q -O "$2" "$1" 2>&1)" || rc=$?
  else
    REASON="neither curl nor wget is installed"
    return 1
  fi
  if [ "$rc" != 0 ]; then
    REASON="$(echo "$REASON" | tail -1)"
    REASON="${REASON:-exit code $rc}"
    return 1
  fi
}

# NAME FILE ALGO:SUM URL... -> the checked file at $DEST/NAME/FILE
get() {
  local name="$1" file="$2" sum="$3"
  shift 3
  local algo="${sum%%:*}" want="${sum#*:}" out="$DEST/$name/$file"
  local shown="data/full/$name/$file"
  if [ -e "$out" ]; then
    local have
    have="$(digest "$algo" "$out")"
    if [ "$have" = "$want" ]; then
      echo "$shown: already there ($algo ok)"
      return 0
    fi
    echo "$ME: $shown: expected the official file ($algo $want), found another ($algo $have); left as it is: move it away and run again" >&2
    return 1
  fi
  if [ ! -d "$DEST/$name" ]; then
    mkdir -p "$DEST/$name"
    MADE+=("$DEST/$name" "$DEST")
  fi
  local part="$DEST/$name/.$file.part.$$"
  PARTS+=("$part")
  local urls=("$@") url
  if [ -n "${ODDBALL_DATA_MIRROR:-}" ]; then
    urls=("${ODDBALL_DATA_MIRROR%/}/$name/$file")
  fi
  local reasons=()
  for url in "${urls[@]}"; do
    rm -f "$part"
    echo "$shown: downloading $url" >&2
    if ! fetch "$url" "$part"; then
      reasons+=("$url: $REASON")
      continue
    fi
    local have
    have="$(digest "$algo" "$part")"
    if [ "$have" = "$want" ]; then
      mv "$part" "$out"
      echo "$shown: downloaded ($algo ok)"
      return 0
    fi
    reasons+=("$url: expected $algo $want, found $have")
  done
  rm -f "$part"
  local IFS=';'
  echo "$ME: $shown: could not download an intact copy (${reasons[*]}); nothing kept" >&2
  return 1
}

cifar10() {
  local dir="$DEST/cifar10" f missing=0
  for f in $CIFAR_FILES; do
    if [ -e "$dir/$f" ]; then
      if [ "$(wc -c <"$dir/$f" | tr -d ' ')" != "$CIFAR_SIZE" ]; then
        echo "$ME: data/full/cifar10/$f: expected the official file ($CIFAR_SIZE bytes), found another; left as it is: move it away and run again" >&2
        return 1
      fi
    else
      missing=1
    fi
  done
  if [ "$missing" = 0 ] && [ -e "$dir/batches.meta.txt" ]; then
    echo "data/full/cifar10: already there"
    return 0
  fi
  local line
  line="$(echo "$TABLE" | grep '^cifar10 ')"
  # shellcheck disable=SC2086
  get $line || return 1
  local members=() staging="$dir/.unpack.$$"
  for f in $CIFAR_FILES batches.meta.txt; do members+=("cifar-10-batches-bin/$f"); done
  mkdir -p "$staging"
  PARTS+=("$staging")
  if ! tar -xzf "$dir/cifar-10-binary.tar.gz" -C "$staging" "${members[@]}"; then
    rm -rf "$staging"
    echo "$ME: data/full/cifar10/cifar-10-binary.tar.gz: expected the members ${members[*]}, found an archive without them; nothing kept" >&2
    return 1
  fi
  for f in $CIFAR_FILES batches.meta.txt; do
    [ -e "$dir/$f" ] || mv "$staging/cifar-10-batches-bin/$f" "$dir/$f"
  done
  rm -rf "$staging" "$dir/cifar-10-binary.tar.gz"
  echo "data/full/cifar10: unpacked $CIFAR_FILES batches.meta.txt"
}

[ $# -ge 1 ] || usage
names=()
for a in "$@"; do
  case "$a" in
    --list) list; exit 0 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    all) names+=(fashion-mnist mnist cifar10) ;;
    fashion-mnist|mnist|cifar10) names+=("$a") ;;
    *) echo "$ME: expected a data set name (fashion-mnist, mnist, cifar10, all), found '$a'" >&2; exit 2 ;;
  esac
done

status=0
for name in "${names[@]}"; do
  if [ "$name" = cifar10 ]; then
    cifar10 || status=1
    continue
  fi
  while read -r n file sum urls; do
    [ "$n" = "$name" ] || continue
    # shellcheck disable=SC2086
    get "$n" "$file" "$sum" $urls || status=1
  done <<<"$TABLE"
done
exit "$status"
