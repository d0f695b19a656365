#!/usr/bin/env python3
"""bench/serve.sh's inputs, from the data shipped in data/ (Python's standard library only):

- knn.u8, ae.u8: raw pixels (unsigned bytes, instances one after another, channels last) of 1 000 Fashion-MNIST
  images (those after the KNN's 1 000 reference images) and of the 1 000 CIFAR-10 images of the slice;
- knn-1.json, knn-32.json, ae-1.json, ae-32.json: one Open Inference Protocol v2 request of 1 and 32 of those
  instances, the pixels as FP32 numbers 0..255 written as integers. The same body goes to Oddball (whose saved
  pipeline scales by 255) and to MLServer, so both parse the same text;
- knn-32.bin, ae-32.bin (and .bin.header: the JSON header's length): the 32-instance requests with the binary
  tensor data extension, the pixels as raw UINT8 after a JSON header (Oddball only: MLServer's REST does not take
  the extension).

Run:  python3 serve_data.py ROOT OUT
"""
import gzip
import json
import os
import sys

root, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)

with gzip.open(os.path.join(root, "data/fashion-mnist/fashion-mnist-test-2000-images-idx3-ubyte.gz")) as f:
    raw = f.read()
n, h, w = (int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(3))
knn = raw[16 + 1000 * h * w:16 + 2000 * h * w]

with gzip.open(os.path.join(root, "data/cifar10/cifar10-data-batch-1-first1000.bin.gz")) as f:
    raw = f.read()
ae = bytearray()
for r in range(len(raw) // 3073):
    rec = raw[r * 3073 + 1:(r + 1) * 3073]          # 1 024 R, 1 024 G, 1 024 B: to 32x32x3, channels last
    for p in range(1024):
        ae += bytes((rec[p], rec[1024 + p], rec[2048 + p]))

for name, data, shape in (("knn", knn, [h, w]), ("ae", bytes(ae), [32, 32, 3])):
    with open(os.path.join(out, name + ".u8"), "wb") as f:
        f.write(data)
    size = 1
    for d in shape:
        size *= d
    for rows in (1, 32):
        body = {"id": f"{name}-{rows}", "inputs": [{"name": "x", "shape": [rows] + shape, "datatype": "FP32",
                                                    "data": list(data[:rows * size])}]}
        with open(os.path.join(out, f"{name}-{rows}.json"), "w") as f:
            json.dump(body, f, separators=(",", ":"))
    header = json.dumps({"id": f"{name}-32-binary", "inputs": [
        {"name": "x", "shape": [32] + shape, "datatype": "UINT8", "parameters": {"binary_data_size": 32 * size}}]},
        separators=(",", ":")).encode()
    with open(os.path.join(out, f"{name}-32.bin"), "wb") as f:
        f.write(header + data[:32 * size])
    with open(os.path.join(out, f"{name}-32.bin.header"), "w") as f:
        f.write(str(len(header)))
print(f"serve_data.py: {len(knn) // (h * w)} Fashion-MNIST and {len(ae) // 3072} CIFAR-10 instances in {out}")
