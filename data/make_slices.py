#!/usr/bin/env python3
"""Cuts the small data slices that ship with Oddball from the full files (standard library only), and draws the few
images of data/photos/ from the slices.

Usage: python3 data/make_slices.py FULL_DATA_DIR [OUT_DIR]
  e.g. python3 data/make_slices.py data/full data       (after data/download.sh all)
       python3 data/make_slices.py --photos-only data       (data/photos/ from the slices alone)

The gzip and PNG files are written with fixed settings (gzip mtime 0, no file name), so the output is byte-for-byte
reproducible.
"""
import gzip
import hashlib
import os
import struct
import sys
import zlib


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


def write_png(path, width, height, rgb_rows):
    """An 8-bit RGB PNG (no filter, zlib level 9) of rows of width*3 bytes."""
    def chunk(kind, payload):
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))
    raw = b"".join(b"\x00" + row for row in rgb_rows)
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))
    with open(path, "wb") as f:
        f.write(png)
    print(f"{path}: {len(png)} bytes, sha256 {hashlib.sha256(png).hexdigest()}")


def enlarged(pixel, h, w, factor):
    """Rows of RGB bytes of an h x w image given by pixel(y, x) -> (r, g, b), each pixel repeated factor x factor."""
    rows = []
    for y in range(h):
        row = b"".join(bytes(pixel(y, x)) * factor for x in range(w))
        rows.extend([row] * factor)
    return rows


# (file, slice, record, enlargement): a test-set digit the demo autoencoder did not train on (it trains on the first
# 1 500 MNIST images), a Fashion-MNIST pullover and a CIFAR-10 truck, each enlarged so that readers must resize them.
PHOTOS = (("digit-7.png", "mnist", 1500, 4), ("pullover.png", "fashion-mnist", 1, 3), ("truck.png", "cifar10", 2, 3))


def photos(out):
    os.makedirs(os.path.join(out, "photos"), exist_ok=True)
    for name, source, record, factor in PHOTOS:
        if source == "cifar10":
            with gzip.open(os.path.join(out, "cifar10", "cifar10-data-batch-1-first1000.bin.gz"), "rb") as f:
                data = f.read()
            rec = data[record * 3073 + 1:(record + 1) * 3073]
            rows = enlarged(lambda y, x: (rec[y * 32 + x], rec[1024 + y * 32 + x], rec[2048 + y * 32 + x]), 32, 32,
                            factor)
            size = 32
        else:
            prefix = "mnist-test-2000" if source == "mnist" else "fashion-mnist-test-2000"
            with gzip.open(os.path.join(out, source, f"{prefix}-images-idx3-ubyte.gz"), "rb") as f:
                data = f.read()
            img = data[16 + record * 784:16 + (record + 1) * 784]
            rows = enlarged(lambda y, x: (img[y * 28 + x],) * 3, 28, 28, factor)
            size = 28
        print(f"{name}: {source} record {record}, {size}x{size} enlarged {factor}x")
        write_png(os.path.join(out, "photos", name), size * factor, size * factor, rows)


def main():
    if sys.argv[1] == "--photos-only":
        photos(sys.argv[2] if len(sys.argv) > 2 else "data")
        return
    shared = sys.argv[1]
    out = sys.argv[2] if len(sys.argv) > 2 else "data"
    for name, prefix, n in (("fashion-mnist", "fashion-mnist-test-2000", 2000), ("mnist", "mnist-test-2000", 2000)):
        os.makedirs(os.path.join(out, name), exist_ok=True)
        for kind in ("images-idx3", "labels-idx1"):
            src = os.path.join(shared, name, f"t10k-{kind}-ubyte.gz")
            write_gz(os.path.join(out, name, f"{prefix}-{kind}-ubyte.gz"), idx_head(src, n))
    os.makedirs(os.path.join(out, "cifar10"), exist_ok=True)
    official = os.path.join(shared, "cifar10", "data_batch_1.bin")   # as data/download.sh unpacks it
    if os.path.exists(official):
        with open(official, "rb") as f:
            records = f.read(1000 * 3073)
    else:                                                             # the project's lossless copy of its start
        with gzip.open(os.path.join(shared, "cifar10", "data_batch_1_first4000_exact.bin.gz"), "rb") as f:
            records = f.read(1000 * 3073)
    write_gz(os.path.join(out, "cifar10", "cifar10-data-batch-1-first1000.bin.gz"), records)
    photos(out)


if __name__ == "__main__":
    main()
