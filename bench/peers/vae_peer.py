#!/usr/bin/env python3
"""PyTorch peer of Alibi Detect's CIFAR-10 OutlierVAE (CPU, 2 threads).

Same conv encoder/decoder as ae_peer.py; EncoderVAE = conv stack -> Flatten -> Dense(1024) mean and
Dense(1024) log-var -> reparameterised z -> decoder.  Loss = Alibi `elbo` with cov_elbo=dict(sim=.05)
(fixed-variance diagonal Gaussian likelihood, mean over batch) + beta * KL with
KL = -.5 * mean(logvar - mu^2 - exp(logvar) + 1) (Alibi's VAE.call, beta=1). Adam lr 1e-3.
Inference: Alibi OutlierVAE.score with samples=2: each image repeated 2x, reconstructed through a sampled z,
per-instance MSE averaged over the 2 samples.

Run:  OMP_WAIT_POLICY=PASSIVE BENCH_TAG=passive python3 vae_peer.py   (any Python with torch; bench/deep.sh)
Writes vae_bench[_TAG].json to $BENCH_OUT (default ref/).
"""
import math

import torch
import torch.nn as nn

from bench_common import env_info, n_params, time_train, time_infer, dump
from ae_peer import conv_encoder, conv_decoder, count_macs

LATENT = 1024
SIM = 0.05
SAMPLES = 2


class VAE(nn.Module):
    def __init__(self, latent=LATENT):
        super().__init__()
        self.encoder_net = conv_encoder()
        self.fc_mean = nn.Linear(8192, latent)
        self.fc_log_var = nn.Linear(8192, latent)
        self.decoder = conv_decoder(latent)

    def forward(self, x):
        h = self.encoder_net(x)
        mu, logvar = self.fc_mean(h), self.fc_log_var(h)
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        return self.decoder(z), mu, logvar


def vae_loss(model, x):
    xr, mu, logvar = model(x)
    d = x[0].numel()
    # -log N(x; xr, sim^2 I), averaged over the batch (tfp MultivariateNormalDiag.log_prob, reduce_mean)
    nll = (0.5 * ((x - xr) / SIM).pow(2).flatten(1).sum(1) + d * math.log(SIM)
           + 0.5 * d * math.log(2 * math.pi)).mean()
    kl = -0.5 * torch.mean(logvar - mu.pow(2) - logvar.exp() + 1)
    return nll + kl


def vae_score(model, x, samples=SAMPLES):
    xs = x.repeat_interleave(samples, dim=0)          # Alibi: np.repeat(X, samples, axis=0)
    xr, _, _ = model(xs)
    fs = ((xr - xs) ** 2).reshape(x.shape[0], samples, -1).mean(-1)   # feature score per sample
    return fs.mean(1)                                 # instance score (mse), averaged over samples


def main():
    torch.manual_seed(0)
    m = VAE()
    g = torch.Generator().manual_seed(0)
    pool = [torch.rand(64, 3, 32, 32, generator=g) for _ in range(8)]
    xin = torch.rand(256, 3, 32, 32, generator=g)
    macs = count_macs(m, pool[0][:1])
    opt = torch.optim.Adam(m.parameters(), lr=1e-3)
    tr = time_train(m, vae_loss, opt, lambda i: pool[i % 8])
    m.eval()
    inf, _ = time_infer(lambda x: vae_score(m, x), xin)
    inf1, _ = time_infer(lambda x: vae_score(m, x, samples=1), xin)
    res = {
        "env": env_info(), "params": n_params(m), "latent_dim": LATENT, "sim": SIM, "samples": SAMPLES,
        "macs_fwd_per_img": macs,
        "train_b64": tr, "infer_b256_samples2": inf, "infer_b256_samples1": inf1,
        "train_gflops_achieved_(3x_fwd)": 3 * 2 * macs * 64 / (tr["ms_per_step_median"] / 1e3) / 1e9,
        "infer_gflops_achieved_samples2": 2 * macs * SAMPLES * inf["items_per_s"] / 1e9,
    }
    dump("vae_bench.json", res)


if __name__ == "__main__":
    main()
