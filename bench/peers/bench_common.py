"""Shared timing helpers for the PyTorch peers (CPU, 2 threads)."""
import json
import os
import platform
import time

import numpy as np
import torch

torch.set_num_threads(2)
torch.manual_seed(0)

HERE = os.path.dirname(os.path.abspath(__file__))
# where the JSON figures go: $BENCH_OUT (the bench scripts point it under bench/target/), else ref/ here
REF = os.environ.get("BENCH_OUT") or os.path.join(HERE, "ref")
# QUICK=1: a smoke run (the script works end to end); its figures mean nothing
QUICK = os.environ.get("QUICK") == "1"
os.makedirs(REF, exist_ok=True)


def loaded_blas():
    """The BLAS libraries this process has loaded (Debian's PyTorch takes whatever libblas.so.3 points at)."""
    torch.mm(torch.ones(64, 64), torch.ones(64, 64))
    try:
        with open("/proc/self/maps") as f:
            libs = {os.path.basename(line.split()[-1]) for line in f if "/" in line}
    except OSError:
        return None
    return sorted(n for n in libs if any(k in n for k in ("blas", "mkl", "lapack")))


def env_info():
    blas = [t.split("=", 1)[1].rstrip(",") for t in torch.__config__.show().split() if t.startswith("BLAS_INFO=")]
    return {
        "torch": torch.__version__, "numpy": np.__version__, "python": platform.python_version(),
        "blas": blas[0] if blas else None, "blas_loaded": loaded_blas(),
        "torch_threads": torch.get_num_threads(), "mkldnn": torch.backends.mkldnn.is_available(),
        "cpu_capability": torch.backends.cpu.get_cpu_capability() if hasattr(torch.backends, "cpu") else None,
    }


def n_params(m):
    return int(sum(p.numel() for p in m.parameters()))


def time_train(model, loss_fn, opt, batch_fn, warmup=5, steps=30):
    """Median wall ms of a full step: zero_grad + forward + loss + backward + opt.step."""
    if QUICK:
        warmup, steps = 1, 2
    model.train()
    ts = []
    for i in range(warmup + steps):
        x = batch_fn(i)
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model, x)
        loss.backward()
        opt.step()
        dt = time.perf_counter() - t0
        if i >= warmup:
            ts.append(dt)
    ts = np.array(ts) * 1e3
    return {"ms_per_step_median": float(np.median(ts)), "ms_p10": float(np.percentile(ts, 10)),
            "ms_p90": float(np.percentile(ts, 90)), "steps": steps, "warmup": warmup,
            "last_loss": float(loss.detach())}


def time_infer(fn, x, warmup=2, reps=10):
    """Median wall s of fn(x) under inference_mode; returns items/s = len(x)/median."""
    if QUICK:
        warmup, reps = 1, 1
    ts = []
    with torch.inference_mode():
        for i in range(warmup + reps):
            t0 = time.perf_counter()
            out = fn(x)
            dt = time.perf_counter() - t0
            if i >= warmup:
                ts.append(dt)
    med = float(np.median(ts))
    return {"batch": int(x.shape[0]), "s_per_batch_median": med, "items_per_s": x.shape[0] / med,
            "reps": reps, "warmup": warmup}, out


def dump(name, res):
    tag = os.environ.get("BENCH_TAG", "")
    if tag:
        name = name.replace(".json", "_" + tag + ".json")
    res.setdefault("env", {})["BENCH_TAG"] = tag
    res["env"]["OMP_WAIT_POLICY"] = os.environ.get("OMP_WAIT_POLICY")
    res["env"]["OPENBLAS_NUM_THREADS"] = os.environ.get("OPENBLAS_NUM_THREADS")
    res["env"]["OPENBLAS_CORETYPE"] = os.environ.get("OPENBLAS_CORETYPE")
    with open(os.path.join(REF, name), "w") as f:
        json.dump(res, f, indent=1)
    print(json.dumps(res, indent=1))
