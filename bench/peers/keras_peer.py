#!/usr/bin/env python3
"""Keras (TensorFlow 2.x) peer of Alibi Detect's CIFAR-10 OutlierAE and OutlierVAE: the exact encoder/decoder of
Alibi's od_ae_cifar10 and od_vae_cifar10 examples, timed on CPU with 2 threads, in plain Keras (no Alibi).

- train_b64_compiled: one tf.function step (GradientTape, Adam 1e-3), the fastest way Keras trains it.
- train_b64_eager: the same step run eagerly, as Alibi Detect's own trainer does.
- infer_b256: tf.function forward pass and per-instance MSE score at batch 256, images/s.
AE loss: MSE. VAE (latent 1024): Alibi's elbo with cov_elbo=dict(sim=.05) (-log N(x; x_hat, 0.05^2 I), mean over
the batch) + KL -.5*mean(logvar - mu^2 - exp(logvar) + 1); inference with samples=2 (each image twice, one latent
draw each, MSE averaged), as vae_peer.py and Oddball's VaeBench.

Run:  python3 keras_peer.py ae|vae   (tensorflow-cpu from PyPI; bench/deep.sh makes that virtual environment)
Prints one JSON line and writes keras_{model}_bench[_TAG].json to $BENCH_OUT (default ref/). QUICK=1: a smoke run.
"""
import math
import os
import sys
import time

import numpy as np
import tensorflow as tf

tf.config.threading.set_intra_op_parallelism_threads(int(os.environ.get("INTRA", "2")))
tf.config.threading.set_inter_op_parallelism_threads(int(os.environ.get("INTER", "1")))
from tensorflow.keras.layers import Conv2D, Conv2DTranspose, Dense, Flatten, InputLayer, Reshape  # noqa: E402
from tf_common import write_figures  # noqa: E402

MODEL = sys.argv[1] if len(sys.argv) > 1 else "ae"
QUICK = os.environ.get("QUICK") == "1"
LATENT = 1024
SIM = 0.05
SAMPLES = 2
tf.random.set_seed(0)


def conv_encoder():
    return [InputLayer(shape=(32, 32, 3)),
            Conv2D(64, 4, strides=2, padding="same", activation=tf.nn.relu),
            Conv2D(128, 4, strides=2, padding="same", activation=tf.nn.relu),
            Conv2D(512, 4, strides=2, padding="same", activation=tf.nn.relu)]


def conv_decoder(latent):
    return tf.keras.Sequential([InputLayer(shape=(latent,)), Dense(4 * 4 * 128), Reshape((4, 4, 128)),
                                Conv2DTranspose(256, 4, strides=2, padding="same", activation=tf.nn.relu),
                                Conv2DTranspose(64, 4, strides=2, padding="same", activation=tf.nn.relu),
                                Conv2DTranspose(3, 4, strides=2, padding="same", activation="sigmoid")])


if MODEL == "ae":
    enc = tf.keras.Sequential(conv_encoder() + [Flatten(), Dense(1024)])
    dec = conv_decoder(1024)
    variables = enc.trainable_variables + dec.trainable_variables

    def loss_fn(x):
        return tf.reduce_mean(tf.square(dec(enc(x, training=True), training=True) - x))

    def score(x):
        return tf.reduce_mean(tf.square(dec(enc(x)) - x), axis=[1, 2, 3])
elif MODEL == "vae":
    enc = tf.keras.Sequential(conv_encoder() + [Flatten()])   # Alibi's EncoderVAE adds Flatten, then two Dense
    fc_mean, fc_log_var = Dense(LATENT), Dense(LATENT)
    dec = conv_decoder(LATENT)
    fc_mean.build((None, 8192))
    fc_log_var.build((None, 8192))
    variables = (enc.trainable_variables + fc_mean.trainable_variables + fc_log_var.trainable_variables
                 + dec.trainable_variables)

    def forward(x, training):
        h = enc(x, training=training)
        mu, logvar = fc_mean(h), fc_log_var(h)
        z = mu + tf.exp(0.5 * logvar) * tf.random.normal(tf.shape(mu))
        return dec(z, training=training), mu, logvar

    def loss_fn(x):
        xr, mu, logvar = forward(x, True)
        d = 32 * 32 * 3
        nll = tf.reduce_mean(0.5 * tf.reduce_sum(tf.square((x - xr) / SIM), axis=[1, 2, 3])
                             + d * math.log(SIM) + 0.5 * d * math.log(2 * math.pi))
        kl = -0.5 * tf.reduce_mean(logvar - tf.square(mu) - tf.exp(logvar) + 1)
        return nll + kl

    def score(x):
        xs = tf.repeat(x, SAMPLES, axis=0)
        xr, _, _ = forward(xs, False)
        fs = tf.reshape(tf.reduce_mean(tf.square(xr - xs), axis=[1, 2, 3]), (-1, SAMPLES))
        return tf.reduce_mean(fs, axis=1)
else:
    sys.exit(f"keras_peer.py: expected the model 'ae' or 'vae', found '{MODEL}'")

opt = tf.keras.optimizers.Adam(1e-3)
rng = np.random.default_rng(0)
pool = [tf.constant(rng.random((64, 32, 32, 3), dtype=np.float32)) for _ in range(8)]
xi = tf.constant(rng.random((256, 32, 32, 3), dtype=np.float32))


def step(x):
    with tf.GradientTape() as tape:
        loss = loss_fn(x)
    grads = tape.gradient(loss, variables)
    opt.apply_gradients(zip(grads, variables))
    return loss


def timed(fn, args, warmup, reps):
    """Median wall seconds of fn(args[i % len(args)]), the result fetched to the host each time."""
    if QUICK:
        warmup, reps = 1, 2
    ts = []
    for i in range(warmup + reps):
        t0 = time.perf_counter()
        fn(args[i % len(args)]).numpy()
        dt = time.perf_counter() - t0
        if i >= warmup:
            ts.append(dt)
    return float(np.median(ts))


res = {"model": MODEL, "tf": tf.__version__, "keras": tf.keras.__version__ if hasattr(tf.keras, "__version__")
       else None, "params": int(sum(int(np.prod(v.shape)) for v in variables)),
       "onednn": os.environ.get("TF_ENABLE_ONEDNN_OPTS"), "intra": int(os.environ.get("INTRA", "2")),
       "inter": int(os.environ.get("INTER", "1")), "quick": QUICK,
       "train_b64_compiled_ms": 1e3 * timed(tf.function(step), pool, 5, 30),
       "train_b64_eager_ms": 1e3 * timed(step, pool, 3, 10),
       "infer_b256_img_s": 256 / timed(tf.function(score), [xi], 2, 10)}
write_figures(f"keras_{MODEL}_bench", res)
