#!/usr/bin/env python3
"""The closing table of bench/deep.sh and bench/pixelcnn.sh: per figure, Oddball's number, every peer's number, the
fastest peer and Oddball's speed against it (above 1: Oddball is faster).

Run:  python3 table.py deep|pixelcnn WORK   (WORK: the script's bench/target/peers-* folder: ref/*.json from the
      peers, the Oddball logs, cpu.txt)
"""
import glob
import json
import os
import re
import sys

KIND, WORK = sys.argv[1], sys.argv[2]
REF = os.path.join(WORK, "ref")


def load(name):
    p = os.path.join(REF, name)
    return json.load(open(p)) if os.path.exists(p) else None


def get(d, *keys):
    for k in keys:
        if d is None:
            return None
        d = d.get(k)
    return d


class Figure:
    """One row: a name, whether lower is better (ms) or higher (images/s), Oddball's value, the peers' values."""

    def __init__(self, name, lower_better, oddball):
        self.name, self.lower, self.oddball, self.peers = name, lower_better, oddball, {}

    def speed(self, v):
        return 1.0 / v if self.lower else v


def best_of(runs, *keys, lower):
    """The best of several runs of one peer (settings), with the setting's name: (value, setting)."""
    vals = [(get(r, *keys), tag) for tag, r in runs.items() if get(r, *keys) is not None]
    if not vals:
        return None
    return (min if lower else max)(vals, key=lambda t: t[0])


def torch_runs(prefix):
    """PyTorch 2.x JSONs of one peer script under its settings: {setting: json}."""
    out = {}
    for p in sorted(glob.glob(os.path.join(REF, f"{prefix}_torch_*.json"))):
        out[p[len(os.path.join(REF, prefix + "_torch_")):-len(".json")]] = json.load(open(p))
    return out


def torch_env(e):
    """PyTorch's BLAS (build setting and the libraries loaded), CPU capability and threads, for a note."""
    loaded = [n for n in e.get("blas_loaded") or [] if "cublas" not in n and "scipy_openblas" not in n]
    blas = f"BLAS {e.get('blas')}" + (f" ({', '.join(loaded)})" if loaded else "")
    cap = f", {e['cpu_capability']}" if e.get("cpu_capability") else ""
    return f"{blas}{cap}, {e.get('torch_threads')} threads"


def fmt(v, lower):
    if v is None:
        return "—"
    return f"{v:.1f}" if lower or v < 100 else f"{v:.0f}"


def print_table(title, figures, columns, notes):
    print()
    cpu = open(os.path.join(WORK, "cpu.txt")).read().strip()
    print(cpu)
    if os.environ.get("QUICK") == "1":
        print("QUICK RUN (--quick): a few steps each, to check the script end to end; these figures mean nothing.")
    print()
    print(f"| {title} | Oddball | " + " | ".join(columns) + " | fastest peer | Oddball ÷ fastest peer |")
    print("|---" * (len(columns) + 4) + "|")
    for f in figures:
        cells, best = [], None
        for c in columns:
            v = f.peers.get(c)
            val = v[0] if isinstance(v, tuple) else v
            label = f" ({v[1]})" if isinstance(v, tuple) and v[1] else ""
            cells.append(fmt(val, f.lower) + label)
            if val is not None and (best is None or f.speed(val) > f.speed(best[0])):
                best = (val, c)
        if best is None or f.oddball is None:
            ratio, fastest = "—", "—"
        else:
            ratio = f"**{f.speed(f.oddball) / f.speed(best[0]):.2f}×**"
            fastest = f"{best[1]} {fmt(best[0], f.lower)}"
        print(f"| {f.name} | {fmt(f.oddball, f.lower)} | " + " | ".join(cells) + f" | {fastest} | {ratio} |")
    print()
    print("Oddball ÷ fastest peer: Oddball's speed over the fastest peer's (steps or images per second; above 1: "
          "Oddball is faster).")
    for n in notes:
        print(n)


def log_figures(name, *patterns):
    """Oddball's figures in its log WORK/name: per regular expression, its first match's group 1 as a number, or None
    (all None without the log)."""
    p = os.path.join(WORK, name)
    if not os.path.exists(p):
        return (None,) * len(patterns)
    t = open(p).read()
    return tuple(float(m.group(1)) if m else None for m in (re.search(r, t) for r in patterns))


def oddball_deep(name):
    return log_figures(f"{name}.log", r"median ([0-9.]+) ms/step", r"([0-9.]+) images/s")


def deep():
    o_ae, o_vae = oddball_deep("AeBench"), oddball_deep("VaeBench")
    figs = [Figure("AE training ms/step, batch 64", True, o_ae[0]),
            Figure("AE inference images/s, batch 256", False, o_ae[1]),
            Figure("VAE training ms/step, batch 64", True, o_vae[0]),
            Figure("VAE inference images/s, batch 256, samples 2", False, o_vae[1])]
    columns, notes = [], []

    deb_ae, deb_vae = load("ae_bench_debian.json"), load("vae_bench_debian.json")
    if deb_ae or deb_vae:
        c = f"PyTorch {get(deb_ae or deb_vae, 'env', 'torch')} (Debian)"
        columns.append(c)
        figs[0].peers[c] = get(deb_ae, "conv_ae_nchw", "train_b64", "ms_per_step_median")
        figs[1].peers[c] = get(deb_ae, "conv_ae_nchw", "infer_b256", "items_per_s")
        figs[2].peers[c] = get(deb_vae, "train_b64", "ms_per_step_median")
        figs[3].peers[c] = get(deb_vae, "infer_b256_samples2", "items_per_s")
        e = (deb_ae or deb_vae)["env"]
        notes.append(f"{c}: /usr/bin/python3, {torch_env(e)}, OMP_WAIT_POLICY=PASSIVE")

    t_ae, t_vae = torch_runs("ae_bench"), torch_runs("vae_bench")
    if t_ae or t_vae:
        e = next(iter((t_ae or t_vae).values()))["env"]
        c = f"PyTorch {e['torch'].split('+')[0]}"
        columns.append(c)
        figs[0].peers[c] = best_of(t_ae, "conv_ae_nchw", "train_b64", "ms_per_step_median", lower=True)
        figs[1].peers[c] = best_of(t_ae, "conv_ae_nchw", "infer_b256", "items_per_s", lower=False)
        figs[2].peers[c] = best_of(t_vae, "train_b64", "ms_per_step_median", lower=True)
        figs[3].peers[c] = best_of(t_vae, "infer_b256_samples2", "items_per_s", lower=False)
        notes.append(f"{c}: PyPI ({e['torch']}), bench/.venv-torch, {torch_env(e)}; the better of OpenMP's default "
                     f"(default) and OMP_WAIT_POLICY=PASSIVE (passive), named in brackets")

    k_ae, k_vae = load("keras_ae_bench.json"), load("keras_vae_bench.json")
    if k_ae or k_vae:
        k = k_ae or k_vae
        c, ce = f"Keras {k['keras']} / TF {k['tf']}", "Keras eager"
        columns += [c, ce]
        for i, d in ((0, k_ae), (2, k_vae)):
            figs[i].peers[c] = get(d, "train_b64_compiled_ms")
            figs[i].peers[ce] = get(d, "train_b64_eager_ms")
            figs[i + 1].peers[c] = get(d, "infer_b256_img_s")
        notes.append(f"{c}: tensorflow-cpu from PyPI, bench/.venv-tf, intra {k['intra']} inter {k['inter']} threads; "
                     f"training one tf.function step, eager: the same step run eagerly (as Alibi's trainer runs); "
                     f"inference one tf.function forward pass and score")

    a_ae, a_vae = load("alibi_ae_bench.json"), load("alibi_vae_bench.json")
    if a_ae or a_vae:
        a = a_ae or a_vae
        c = f"Alibi Detect {a['alibi_detect']} (TF {a['tf']})"
        columns.append(c)
        for i, d in ((0, a_ae), (2, a_vae)):
            figs[i].peers[c] = get(d, "train_b64_ms")
            figs[i + 1].peers[c] = get(d, "infer_b256_img_s")
        notes.append(f"{c}: alibi-detect[tensorflow] from PyPI, bench/.venv-alibi, Keras {a['keras']}, TensorFlow's "
                     f"thread pools: intra {a['intra']}, inter {a['inter']}; OutlierAE/OutlierVAE.fit (its eager "
                     f"trainer) per step, predict of 256 images")

    print_table("alibi-cifar10", figs, columns, notes)


def pixelcnn():
    def ours(ib):
        return log_figures(f"oddball-b{ib}.log", r"\(([0-9.]+) img/s\)", r"log-prob b\d+: ([0-9.]+) img/s")

    o32, o256 = ours(32), ours(256)
    figs = [Figure("training images/s, batch 32", False, o32[0]),
            Figure("log-probability images/s, batch 32", False, o32[1]),
            Figure("log-probability images/s, batch 256", False, o256[1])]
    columns, notes = [], []

    def train_ips(d):
        ms = get(d, "train", "ms_per_step_median")
        return None if ms is None else 32 / ms * 1000

    d32, d256 = load("pixelcnn_bench_s2_debian_b32.json"), load("pixelcnn_bench_s2_debian_b256.json")
    if d32 or d256:
        e = (d32 or d256)["env"]
        c = f"PyTorch {e['torch']} (Debian)"
        columns.append(c)
        figs[0].peers[c] = train_ips(d32)
        figs[1].peers[c] = get(d32, "logprob_infer", "items_per_s")
        figs[2].peers[c] = get(d256, "logprob_infer", "items_per_s")
        notes.append(f"{c}: /usr/bin/python3, {torch_env(e)}, OMP_WAIT_POLICY=PASSIVE")

    runs = torch_runs("pixelcnn_bench_s2")
    t32 = {k[:-len("_b32")]: v for k, v in runs.items() if k.endswith("_b32")}
    t256 = {k[:-len("_b256")]: v for k, v in runs.items() if k.endswith("_b256")}
    if t32 or t256:
        e = next(iter((t32 or t256).values()))["env"]
        c = f"PyTorch {e['torch'].split('+')[0]}"
        columns.append(c)
        tr = [(train_ips(d), tag) for tag, d in t32.items() if train_ips(d) is not None]
        figs[0].peers[c] = max(tr, key=lambda t: t[0]) if tr else None
        figs[1].peers[c] = best_of(t32, "logprob_infer", "items_per_s", lower=False)
        figs[2].peers[c] = best_of(t256, "logprob_infer", "items_per_s", lower=False)
        notes.append(f"{c}: PyPI ({e['torch']}), bench/.venv-torch, {torch_env(e)}; the better of OpenMP's default "
                     f"(default) and OMP_WAIT_POLICY=PASSIVE (passive), named in brackets")

    print_table("PixelCNN++ 2 stages × 2 resnets, 32 filters, 5 mix", figs, columns, notes)


if KIND == "deep":
    deep()
elif KIND == "pixelcnn":
    pixelcnn()
else:
    sys.exit(f"table.py: expected deep or pixelcnn, found '{KIND}'")
