#!/usr/bin/env python3
"""Alibi Detect's own OutlierAE and OutlierVAE on CIFAR-10-shaped data: the code an Alibi user runs, with the
encoder/decoder nets of Alibi's od_ae_cifar10 and od_vae_cifar10 examples built exactly as those examples build them
(tf_common.py).

- train_b64_ms: od.fit(X, epochs=1, batch_size=64, verbose=False) (Alibi's eager trainer; the VAE with
  loss_fn=elbo, cov_elbo=dict(sim=.05)), each step timed from the end of one optimizer update to the end of the
  next (an Adam(1e-3), Alibi's default optimizer, whose apply_gradients notes the time), so a step includes
  Alibi's own batching from tf.data; median of the steps after the warm-up ones.
- infer_b256_img_s: od.predict(X) of a batch of 256 images (reconstruction, feature and instance scores,
  threshold), Alibi's defaults (one batch; the VAE repeats each image samples=2 times), images/s, median.

Run:  python3 alibi_peer.py ae|vae   (alibi-detect[tensorflow] from PyPI; bench/deep.sh makes that virtual
      environment). Prints one JSON line and writes alibi_{model}_bench[_TAG].json to $BENCH_OUT (default ref/).
QUICK=1: a smoke run.
"""
import os
import sys
import time

import numpy as np
import tensorflow as tf

# TensorFlow's own thread pools, as an Alibi user has them, unless INTRA / INTER ask for others
if os.environ.get("INTRA"):
    tf.config.threading.set_intra_op_parallelism_threads(int(os.environ["INTRA"]))
if os.environ.get("INTER"):
    tf.config.threading.set_inter_op_parallelism_threads(int(os.environ["INTER"]))
import alibi_detect  # noqa: E402
from alibi_detect.models.tensorflow.losses import elbo  # noqa: E402
from alibi_detect.od import OutlierAE, OutlierVAE  # noqa: E402
from tf_common import alibi_ae_nets, alibi_vae_nets, write_figures  # noqa: E402

MODEL = sys.argv[1] if len(sys.argv) > 1 else "ae"
QUICK = os.environ.get("QUICK") == "1"
WARMUP, STEPS = (1, 2) if QUICK else (5, 30)
INFER_WARMUP, INFER_REPS = (1, 2) if QUICK else (2, 10)
tf.random.set_seed(0)


class TimedAdam(tf.keras.optimizers.Adam):
    """Alibi's default optimizer (Adam, learning rate 1e-3) that notes when each update ends."""
    stamps = []

    def apply_gradients(self, *args, **kwargs):
        out = super().apply_gradients(*args, **kwargs)
        TimedAdam.stamps.append(time.perf_counter())
        return out


# the nets of Alibi's examples, as written there
if MODEL == "ae":
    encoder_net, decoder_net = alibi_ae_nets(encoding_dim=1024)
    od = OutlierAE(threshold=.015, encoder_net=encoder_net, decoder_net=decoder_net)
    net = od.ae
elif MODEL == "vae":
    latent_dim = 1024
    encoder_net, decoder_net = alibi_vae_nets(latent_dim)
    od = OutlierVAE(threshold=.015, score_type='mse', encoder_net=encoder_net, decoder_net=decoder_net,
                    latent_dim=latent_dim, samples=2)
    net = od.vae
else:
    sys.exit(f"alibi_peer.py: expected the model 'ae' or 'vae', found '{MODEL}'")

rng = np.random.default_rng(0)
# one step more than timed: the first stamp ends the first step
x_train = rng.random((64 * (WARMUP + STEPS + 1), 32, 32, 3), dtype=np.float32)
x_infer = rng.random((256, 32, 32, 3), dtype=np.float32)

opt = TimedAdam(learning_rate=1e-3)
t0 = time.perf_counter()
if MODEL == "ae":
    od.fit(x_train, optimizer=opt, epochs=1, batch_size=64, verbose=False)
else:
    od.fit(x_train, loss_fn=elbo, optimizer=opt, cov_elbo=dict(sim=.05), epochs=1, batch_size=64, verbose=False)
fit_s = time.perf_counter() - t0
stamps = np.array(TimedAdam.stamps)
if len(stamps) != WARMUP + STEPS + 1:
    sys.exit(f"alibi_peer.py: expected {WARMUP + STEPS + 1} optimizer updates in od.fit, found {len(stamps)}")
ms = np.diff(stamps)[WARMUP:] * 1e3

ts = []
for i in range(INFER_WARMUP + INFER_REPS):
    t0 = time.perf_counter()
    pred = od.predict(x_infer)
    dt = time.perf_counter() - t0
    if i >= INFER_WARMUP:
        ts.append(dt)
assert pred["data"]["instance_score"].shape == (256,)

res = {"model": MODEL, "alibi_detect": alibi_detect.__version__, "tf": tf.__version__,
       "keras": tf.keras.__version__ if hasattr(tf.keras, "__version__") else None,
       "params": int(net.count_params()), "onednn": os.environ.get("TF_ENABLE_ONEDNN_OPTS"),
       "intra": os.environ.get("INTRA") or "default", "inter": os.environ.get("INTER") or "default", "quick": QUICK,
       "train_b64_ms": float(np.median(ms)), "train_b64_ms_p10": float(np.percentile(ms, 10)),
       "train_b64_ms_p90": float(np.percentile(ms, 90)), "train_steps": STEPS, "train_warmup": WARMUP,
       "fit_s": fit_s, "infer_b256_img_s": 256 / float(np.median(ts)), "infer_reps": INFER_REPS}
write_figures(f"alibi_{MODEL}_bench", res)
