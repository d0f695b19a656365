#!/usr/bin/env python3
"""bench/serve.sh's closing table and the issue's targets, from its results.tsv: one line per cell,
side model rows concurrency instances/s p50-ms p99-ms errors requests/s (side: inprocess, oddball,
oddball-bin (binary tensor data), oddball-d0 (--max-delay-ms 0), oddball-grpc (gRPC), oddball-grpc-fs (gRPC, with
feature scores), mlserver, mlserver-ab (its adaptive batching), mlserver-grpc-fs (gRPC, with feature scores); for
inprocess, rows is the batch size and concurrency 1).

Run:  python3 serve_table.py RESULTS.tsv
"""
import sys

cells = {}
for line in open(sys.argv[1]):
    f = line.rstrip("\n").split("\t")
    if len(f) < 9:
        continue
    side, model, rows, conc = f[0], f[1], int(f[2]), int(f[3])
    cells[(side, model, rows, conc)] = dict(inst=float(f[4]), p50=float(f[5]), p99=float(f[6]), err=int(f[7]),
                                            req=float(f[8]))

print()
print("| model | rows/request | concurrency | side | requests/s | instances/s | p50 ms | p99 ms | errors |")
print("|---|---|---|---|---|---|---|---|---|")
for model in ("knn", "ae"):
    for rows in (1, 32):
        for conc in (1, 8, 64):
            for side in ("oddball", "oddball-bin", "oddball-d0", "oddball-grpc", "oddball-grpc-fs", "mlserver",
                         "mlserver-ab", "mlserver-grpc-fs"):
                c = cells.get((side, model, rows, conc))
                if c:
                    print(f"| {model} | {rows} | {conc} | {side} | {c['req']:,.1f} | {c['inst']:,.1f} | "
                          f"{c['p50']:.2f} | {c['p99']:.2f} | {c['err']} |")
    for batch in (1, 32, 64):
        c = cells.get(("inprocess", model, batch, 1))
        if c:
            print(f"| {model} | batch {batch} | in process, 1 thread | Pipeline.score | {c['req']:,.1f} | "
                  f"{c['inst']:,.1f} | {c['p50']:.2f} | {c['p99']:.2f} | |")

print()
print("Targets:")


def yes(ok):
    return "met" if ok else "NOT met"


for model in ("knn", "ae"):
    ref = cells.get(("inprocess", model, 64, 1))
    for rows, side in ((1, "oddball"), (32, "oddball"), (32, "oddball-bin"), (1, "oddball-grpc"),
                       (32, "oddball-grpc")):
        srv = cells.get((side, model, rows, 64))
        if ref and srv:
            r = srv["inst"] / ref["inst"]
            how = {"oddball-bin": " (binary)", "oddball-grpc": " (gRPC)"}.get(side, "")
            print(f"- {model}, {rows}-row requests{how}, concurrency 64: "
                  f"server {srv['inst']:,.1f} instances/s = "
                  f"{100 * r:.0f} % of in process at batch 64 ({ref['inst']:,.1f}); target >= 80 %: {yes(r >= 0.8)}")
    for rows in (1, 32):
        for side, how in (("oddball", "defaults"), ("oddball-d0", "--max-delay-ms 0"),
                          ("oddball-bin", "binary tensor data"), ("oddball-grpc", "gRPC")):
            srv = cells.get((side, model, rows, 1))
            own = cells.get(("inprocess", model, rows, 1))
            if own and srv:
                d = srv["p50"] - own["p50"]
                print(f"- {model}, {rows}-row requests, concurrency 1 ({how}): p50 {srv['p50']:.2f} ms against the "
                      f"model's own {own['p50']:.2f} ms: {d:+.2f} ms; target <= +1 ms: {yes(d <= 1.0)}")
for side, peer, how in (("oddball", "mlserver", "MLServer"), ("oddball", "mlserver-ab", "MLServer with adaptive batching"),
                        ("oddball-grpc-fs", "mlserver-grpc-fs", "MLServer over gRPC (feature scores on both)")):
    for rows in (1, 32):
        o, m = cells.get((side, "ae", rows, 64)), cells.get((peer, "ae", rows, 64))
        if o and m and m["inst"] > 0:
            r = o["inst"] / m["inst"]
            print(f"- ae, {rows}-row requests, concurrency 64: Oddball {o['inst']:,.1f} / {how} {m['inst']:,.1f} "
                  f"instances/s = {r:.2f}x; target >= 3x: {yes(r >= 3)}")
        for conc in (1, 8, 64):
            o, m = cells.get((side, "ae", rows, conc)), cells.get((peer, "ae", rows, conc))
            if o and m and m["req"] > 0:
                print(f"- ae, {rows}-row requests, concurrency {conc}: p99 Oddball {o['p99']:.2f} ms, {how} "
                      f"{m['p99']:.2f} ms ({m['p99'] / o['p99']:.2f}x); lower: {yes(o['p99'] < m['p99'])}")
errors = sum(c["err"] for c in cells.values())
if errors:
    print(f"- {errors} requests failed (non-2xx, socket errors or timeouts): see the table")
