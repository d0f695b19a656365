#!/usr/bin/env python3
"""PyTorch peer of Alibi Detect's CIFAR-10 OutlierAE + a tabular MLP AE (CPU, 2 threads).

Run:  OMP_WAIT_POLICY=PASSIVE python3 ae_peer.py [conv] [conv_cl] [mlp]   (any Python with torch: Debian's
      python3-torch or PyPI's torch; bench/deep.sh runs both)
Writes ae_bench[_TAG].json to $BENCH_OUT (default ref/).
"""
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from bench_common import env_info, n_params, time_train, time_infer, dump


class Flatten(nn.Module):
    def forward(self, x):
        return x.flatten(1)


class Reshape(nn.Module):
    def __init__(self, *shape):
        super().__init__()
        self.shape = shape

    def forward(self, x):
        return x.reshape(x.shape[0], *self.shape)


def conv_encoder():
    # Keras Conv2D(k=4, s=2, padding='same') on even inputs == symmetric pad 1
    return nn.Sequential(
        nn.Conv2d(3, 64, 4, 2, 1), nn.ReLU(),
        nn.Conv2d(64, 128, 4, 2, 1), nn.ReLU(),
        nn.Conv2d(128, 512, 4, 2, 1), nn.ReLU(),
        Flatten(),                                   # 4*4*512 = 8192
    )


def conv_decoder(latent):
    # Keras Conv2DTranspose(k=4, s=2, padding='same') == ConvTranspose2d(k=4, s=2, p=1) (exact 2x upsampling)
    return nn.Sequential(
        nn.Linear(latent, 4 * 4 * 128), Reshape(128, 4, 4),
        nn.ConvTranspose2d(128, 256, 4, 2, 1), nn.ReLU(),
        nn.ConvTranspose2d(256, 64, 4, 2, 1), nn.ReLU(),
        nn.ConvTranspose2d(64, 3, 4, 2, 1), nn.Sigmoid(),
    )


class ConvAE(nn.Module):
    def __init__(self, enc_dim=1024):
        super().__init__()
        self.encoder = nn.Sequential(conv_encoder(), nn.Linear(8192, enc_dim))  # Dense(1024), no activation
        self.decoder = conv_decoder(enc_dim)

    def forward(self, x):
        return self.decoder(self.encoder(x))


class MLPAE(nn.Module):
    def __init__(self, dims=(64, 32, 8, 32, 64)):
        super().__init__()
        layers = []
        for i in range(len(dims) - 1):
            layers.append(nn.Linear(dims[i], dims[i + 1]))
            if i < len(dims) - 2:
                layers.append(nn.ReLU())
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(x)


def count_macs(model, x):
    """Multiply-accumulates of one forward pass (Conv2d, ConvTranspose2d, Linear only)."""
    macs = [0]

    def hook(m, inp, out):
        i = inp[0]
        if isinstance(m, nn.Conv2d):
            macs[0] += out.numel() * (m.in_channels // m.groups) * m.kernel_size[0] * m.kernel_size[1]
        elif isinstance(m, nn.ConvTranspose2d):
            macs[0] += i.numel() * m.out_channels * m.kernel_size[0] * m.kernel_size[1]
        elif isinstance(m, nn.Linear):
            macs[0] += i.numel() // m.in_features * m.in_features * m.out_features

    hs = [m.register_forward_hook(hook) for m in model.modules()
          if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear))]
    with torch.no_grad():
        model(x)
    for h in hs:
        h.remove()
    return macs[0]


def bench_conv_ae(channels_last=False):
    torch.manual_seed(0)
    m = ConvAE()
    g = torch.Generator().manual_seed(0)
    pool = [torch.rand(64, 3, 32, 32, generator=g) for _ in range(8)]
    xin = torch.rand(256, 3, 32, 32, generator=g)
    if channels_last:
        m = m.to(memory_format=torch.channels_last)
        pool = [p.contiguous(memory_format=torch.channels_last) for p in pool]
        xin = xin.contiguous(memory_format=torch.channels_last)
    macs_per_img = count_macs(m, pool[0][:1])
    opt = torch.optim.Adam(m.parameters(), lr=1e-3)
    tr = time_train(m, lambda mod, x: F.mse_loss(mod(x), x), opt, lambda i: pool[i % len(pool)])
    m.eval()
    # inference = reconstruction + per-instance MSE outlier score (Alibi 'mse' instance score)
    inf, _ = time_infer(lambda x: ((m(x) - x) ** 2).flatten(1).mean(1), xin)
    fwd_flop = 2 * macs_per_img
    return {
        "params": n_params(m), "macs_fwd_per_img": macs_per_img,
        "train_b64": tr, "infer_b256": inf,
        "train_gflops_achieved_(3x_fwd)": 3 * fwd_flop * 64 / (tr["ms_per_step_median"] / 1e3) / 1e9,
        "infer_gflops_achieved": fwd_flop * inf["items_per_s"] / 1e9,
        "channels_last": channels_last,
    }


def bench_mlp_ae():
    torch.manual_seed(0)
    m = MLPAE()
    g = torch.Generator().manual_seed(0)
    pool = [torch.randn(64, 64, generator=g) for _ in range(8)]
    pool1k = [torch.randn(1024, 64, generator=g) for _ in range(8)]
    opt = torch.optim.Adam(m.parameters(), lr=1e-3)
    loss = lambda mod, x: F.mse_loss(mod(x), x)
    res = {"params": n_params(m), "dims": [64, 32, 8, 32, 64]}
    res["train_b64"] = time_train(m, loss, opt, lambda i: pool[i % 8], warmup=20, steps=200)
    res["train_b1024"] = time_train(m, loss, opt, lambda i: pool1k[i % 8], warmup=10, steps=50)
    m.eval()
    score = lambda x: ((m(x) - x) ** 2).mean(1)
    for b in (256, 65536):
        xin = torch.randn(b, 64, generator=g)
        res[f"infer_b{b}"], _ = time_infer(score, xin, warmup=5, reps=50 if b == 256 else 10)
    return res


if __name__ == "__main__":
    which = sys.argv[1:] or ["conv", "conv_cl", "mlp"]
    res = {"env": env_info()}
    if "conv" in which:
        res["conv_ae_nchw"] = bench_conv_ae(False)
    if "conv_cl" in which:
        res["conv_ae_channels_last"] = bench_conv_ae(True)
    if "mlp" in which:
        res["mlp_ae"] = bench_mlp_ae()
    dump("ae_bench.json", res)
