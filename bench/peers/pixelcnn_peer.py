#!/usr/bin/env python3
"""Small PixelCNN++ peer (CPU, 2 threads), structure after pclucas14/pixel-cnn-pp (PyTorch port of
Salimans et al. 2017): down-shifted (u) and down-right-shifted (ul) streams, gated resnet blocks with
concat_elu, weight-normalised convs, strided down/up-sampling with u/ul skip lists, dropout 0.5,
discretized logistic mixture (5 components) likelihood for 1-channel 28x28 images.

Config: nr_resnet=2 per stage, nr_filters=32, nr_logistic_mix=5, stages=3 (28->14->7; pass --stages 2 for
a 28->14 model like tfp PixelCNN(num_hierarchies=2) used by Alibi Detect's LLR example).

Run:  OMP_WAIT_POLICY=PASSIVE BENCH_TAG=passive python3 pixelcnn_peer.py [--stages 3]   (any Python with torch;
      bench/pixelcnn.sh)
Writes pixelcnn_bench_s{stages}[_TAG].json to $BENCH_OUT (default ref/).
"""
import argparse
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils import weight_norm as wn

from bench_common import env_info, n_params, time_train, time_infer, dump


def concat_elu(x):
    return F.elu(torch.cat([x, -x], dim=1))


def down_shift(x):
    return F.pad(x, (0, 0, 1, 0))[:, :, :-1, :]


def right_shift(x):
    return F.pad(x, (1, 0, 0, 0))[:, :, :, :-1]


class DownShiftedConv(nn.Module):
    def __init__(self, cin, cout, fs=(2, 3), stride=1, shift_output_down=False):
        super().__init__()
        self.conv = wn(nn.Conv2d(cin, cout, fs, stride))
        self.pad = ((fs[1] - 1) // 2, (fs[1] - 1) // 2, fs[0] - 1, 0)
        self.sod = shift_output_down

    def forward(self, x):
        x = self.conv(F.pad(x, self.pad))
        return down_shift(x) if self.sod else x


class DownRightShiftedConv(nn.Module):
    def __init__(self, cin, cout, fs=(2, 2), stride=1, shift_output_right=False):
        super().__init__()
        self.conv = wn(nn.Conv2d(cin, cout, fs, stride))
        self.pad = (fs[1] - 1, 0, fs[0] - 1, 0)
        self.sor = shift_output_right

    def forward(self, x):
        x = self.conv(F.pad(x, self.pad))
        return right_shift(x) if self.sor else x


class DownShiftedDeconv(nn.Module):
    def __init__(self, cin, cout, fs=(2, 3), stride=2):
        super().__init__()
        self.deconv = wn(nn.ConvTranspose2d(cin, cout, fs, stride, output_padding=1))
        self.fs = fs

    def forward(self, x):
        x = self.deconv(x)
        return self.crop(x, x.shape[2], x.shape[3])

    def crop(self, x, h, w):
        c = (self.fs[1] - 1) // 2
        return x[:, :, :h - self.fs[0] + 1, c:w - c]


class DownRightShiftedDeconv(DownShiftedDeconv):
    """The same transposed convolution, 2x2, cropped at the bottom and the right only."""

    def __init__(self, cin, cout, fs=(2, 2), stride=2):
        super().__init__(cin, cout, fs, stride)

    def crop(self, x, h, w):
        return x[:, :, :h - self.fs[0] + 1, :w - self.fs[1] + 1]


class GatedResnet(nn.Module):
    def __init__(self, nf, conv_op, skip=0):
        super().__init__()
        self.conv_input = conv_op(2 * nf, nf)
        self.nin_skip = wn(nn.Conv2d(2 * skip * nf, nf, 1)) if skip else None
        self.dropout = nn.Dropout2d(0.5)
        self.conv_out = conv_op(2 * nf, 2 * nf)

    def forward(self, og_x, a=None):
        x = self.conv_input(concat_elu(og_x))
        if a is not None:
            x = x + self.nin_skip(concat_elu(a))
        x = self.conv_out(self.dropout(concat_elu(x)))
        a, b = torch.chunk(x, 2, dim=1)
        return og_x + a * torch.sigmoid(b)


class PixelCNNpp(nn.Module):
    def __init__(self, nr_resnet=2, nf=32, nr_mix=5, cin=1, stages=3):
        super().__init__()
        self.stages, self.nr_resnet = stages, nr_resnet
        self.up_u = nn.ModuleList([nn.ModuleList([GatedResnet(nf, DownShiftedConv, 0) for _ in range(nr_resnet)])
                                   for _ in range(stages)])
        self.up_ul = nn.ModuleList([nn.ModuleList([GatedResnet(nf, DownRightShiftedConv, 1) for _ in range(nr_resnet)])
                                    for _ in range(stages)])
        down_n = [nr_resnet] + [nr_resnet + 1] * (stages - 1)
        self.down_u = nn.ModuleList([nn.ModuleList([GatedResnet(nf, DownShiftedConv, 1) for _ in range(n)])
                                     for n in down_n])
        self.down_ul = nn.ModuleList([nn.ModuleList([GatedResnet(nf, DownRightShiftedConv, 2) for _ in range(n)])
                                      for n in down_n])
        self.downsize_u = nn.ModuleList([DownShiftedConv(nf, nf, stride=2) for _ in range(stages - 1)])
        self.downsize_ul = nn.ModuleList([DownRightShiftedConv(nf, nf, stride=2) for _ in range(stages - 1)])
        self.upsize_u = nn.ModuleList([DownShiftedDeconv(nf, nf) for _ in range(stages - 1)])
        self.upsize_ul = nn.ModuleList([DownRightShiftedDeconv(nf, nf) for _ in range(stages - 1)])
        self.u_init = DownShiftedConv(cin + 1, nf, (2, 3), shift_output_down=True)
        self.ul_init0 = DownShiftedConv(cin + 1, nf, (1, 3), shift_output_down=True)
        self.ul_init1 = DownRightShiftedConv(cin + 1, nf, (2, 1), shift_output_right=True)
        self.nin_out = wn(nn.Conv2d(nf, (3 if cin == 1 else 10) * nr_mix, 1))

    def forward(self, x):
        x = torch.cat([x, torch.ones_like(x[:, :1])], 1)
        u_list = [self.u_init(x)]
        ul_list = [self.ul_init0(x) + self.ul_init1(x)]
        for s in range(self.stages):
            u, ul = u_list[-1], ul_list[-1]
            for i in range(self.nr_resnet):
                u = self.up_u[s][i](u)
                ul = self.up_ul[s][i](ul, a=u)
                u_list.append(u)
                ul_list.append(ul)
            if s != self.stages - 1:
                u_list.append(self.downsize_u[s](u_list[-1]))
                ul_list.append(self.downsize_ul[s](ul_list[-1]))
        u, ul = u_list.pop(), ul_list.pop()
        for s in range(self.stages):
            for blk_u, blk_ul in zip(self.down_u[s], self.down_ul[s]):
                u = blk_u(u, a=u_list.pop())
                ul = blk_ul(ul, a=torch.cat([u, ul_list.pop()], 1))
            if s != self.stages - 1:
                u = self.upsize_u[s](u)
                ul = self.upsize_ul[s](ul)
        assert not u_list and not ul_list
        return self.nin_out(F.elu(ul))


def dml_log_prob_1d(x, l):
    """Per-image log p(x) under a discretized logistic mixture; x in [-1,1], shape (B,1,H,W);
    l = (B, 3*nr_mix, H, W) = [logit_probs | means | log_scales]."""
    nr_mix = l.shape[1] // 3
    logit_probs = l[:, :nr_mix]
    means = l[:, nr_mix:2 * nr_mix]
    log_scales = torch.clamp(l[:, 2 * nr_mix:3 * nr_mix], min=-7.0)
    centered = x - means                                   # broadcast over the mixture dim (dim 1)
    inv_stdv = torch.exp(-log_scales)
    plus_in = inv_stdv * (centered + 1.0 / 255.0)
    min_in = inv_stdv * (centered - 1.0 / 255.0)
    cdf_delta = torch.sigmoid(plus_in) - torch.sigmoid(min_in)
    log_cdf_plus = plus_in - F.softplus(plus_in)           # log CDF at x=-1 edge
    log_one_minus_cdf_min = -F.softplus(min_in)            # log (1-CDF) at x=+1 edge
    mid_in = inv_stdv * centered
    log_pdf_mid = mid_in - log_scales - 2.0 * F.softplus(mid_in)
    inner_inner = torch.where(cdf_delta > 1e-5, torch.log(torch.clamp(cdf_delta, min=1e-12)),
                              log_pdf_mid - math.log(127.5))
    inner = torch.where(x > 0.999, log_one_minus_cdf_min, inner_inner)
    log_probs = torch.where(x < -0.999, log_cdf_plus, inner)
    log_probs = log_probs + F.log_softmax(logit_probs, dim=1)
    return torch.logsumexp(log_probs, dim=1).flatten(1).sum(1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--stages", type=int, default=3)
    ap.add_argument("--train_batch", type=int, default=32)
    ap.add_argument("--infer_batch", type=int, default=256)
    args = ap.parse_args()
    torch.manual_seed(0)
    m = PixelCNNpp(stages=args.stages)
    g = torch.Generator().manual_seed(0)
    # 8-bit images mapped to [-1,1] (Fashion-MNIST-like shape 28x28x1)
    mk = lambda b: torch.randint(0, 256, (b, 1, 28, 28), generator=g).float() / 127.5 - 1.0
    pool = [mk(args.train_batch) for _ in range(8)]
    xin = mk(args.infer_batch)
    opt = torch.optim.Adam(m.parameters(), lr=1e-3)
    loss_fn = lambda mod, x: -dml_log_prob_1d(x, mod(x)).mean() / (28 * 28 * math.log(2))   # bits/dim
    tr = time_train(m, loss_fn, opt, lambda i: pool[i % 8], warmup=3, steps=20)
    m.eval()
    inf, lp = time_infer(lambda x: dml_log_prob_1d(x, m(x)), xin, warmup=1, reps=5)
    res = {"env": env_info(), "params": n_params(m), "stages": args.stages, "nr_resnet": 2, "nr_filters": 32,
           "nr_logistic_mix": 5, "weight_norm": True, "dropout": 0.5,
           "train": dict(tr, batch=args.train_batch, loss="bits/dim"), "logprob_infer": inf,
           "mean_bits_per_dim_random_input": float(-lp.mean() / (28 * 28 * math.log(2)))}
    dump(f"pixelcnn_bench_s{args.stages}.json", res)


if __name__ == "__main__":
    main()
