#!/usr/bin/env python3
"""Cuts the small data slices that ship with Oddball from the full files (standard library only).

Usage: python3 data/make_slices.py SHARED_DATA_DIR [OUT_DIR]
  e.g. python3 data/make_slices.py ../shared/data data

The gzip files are written with mtime 0 and no file name, so the output is byte-for-byte reproducible.
"""
import gzip
import hashlib
import os
import struct
import sys


def write_gz(path, payload):
    with open(path, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
            gz.write(payload)
    print(f"{path}: {os.path.getsize(path)} bytes, sha256 {hashlib.sha256(open(path, 'rb').read()).hexdigest()}")


def idx_head(src, n):
    """The first n records of an IDX file, with the first dimension rewritten to n."""
    with gzip.open(src, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    rank = magic & 0xFF
    dims = list(struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank]))
    if magic >> 8 != 0x08 or dims[0] < n:
        raise SystemExit(f"{src}: not a ubyte IDX file with at least {n} records")
    record = 1
    for d in dims[1:]:
        record *= d
    header = 4 + 4 * rank
    dims[0] = n
    return struct.pack(">I", magic) + struct.pack(">" + "I" * rank, *dims) + data[header:header + n * record]


def main():
    shared = sys.argv[1]
    out = sys.argv[2] if len(sys.argv) > 2 else "data"
    for name, prefix, n in (("fashion-mnist", "fashion-mnist-test-2000", 2000), ("mnist", "mnist-test-2000", 2000)):
        os.makedirs(os.path.join(out, name), exist_ok=True)
        for kind in ("images-idx3", "labels-idx1"):
            src = os.path.join(shared, name, f"t10k-{kind}-ubyte.gz")
            write_gz(os.path.join(out, name, f"{prefix}-{kind}-ubyte.gz"), idx_head(src, n))
    os.makedirs(os.path.join(out, "cifar10"), exist_ok=True)
    with gzip.open(os.path.join(shared, "cifar10", "data_batch_1_first4000_exact.bin.gz"), "rb") as f:
        records = f.read(1000 * 3073)
    write_gz(os.path.join(out, "cifar10", "cifar10-data-batch-1-first1000.bin.gz"), records)


if __name__ == "__main__":
    main()
