"""Shared by the TensorFlow peers (alibi_peer.py, keras_peer.py, mlserver_peer.py): the encoder and decoder nets of
Alibi Detect's CIFAR-10 examples, built as those examples build them, and the JSON file of a peer's figures. Import it
after setting TensorFlow's thread pools."""
import json
import os

import tensorflow as tf
from tensorflow.keras.layers import Conv2D, Conv2DTranspose, Dense, Flatten, InputLayer, Reshape


def _convolutions():
    """The strided convolutions both examples' encoders are made of."""
    return [
        InputLayer(input_shape=(32, 32, 3)),
        Conv2D(64, 4, strides=2, padding='same', activation=tf.nn.relu),
        Conv2D(128, 4, strides=2, padding='same', activation=tf.nn.relu),
        Conv2D(512, 4, strides=2, padding='same', activation=tf.nn.relu)
    ]


def _decoder(latent_dim):
    """Both examples' decoder, from latent_dim values to a 32x32x3 image."""
    return tf.keras.Sequential(
        [
            InputLayer(input_shape=(latent_dim,)),
            Dense(4 * 4 * 128),
            Reshape(target_shape=(4, 4, 128)),
            Conv2DTranspose(256, 4, strides=2, padding='same', activation=tf.nn.relu),
            Conv2DTranspose(64, 4, strides=2, padding='same', activation=tf.nn.relu),
            Conv2DTranspose(3, 4, strides=2, padding='same', activation='sigmoid')
        ])


def alibi_ae_nets(encoding_dim=1024):
    """od_ae_cifar10's encoder_net and decoder_net (Oddball's alibi-cifar10): the convolutions, Flatten and
    Dense(encoding_dim), and the decoder."""
    encoder_net = tf.keras.Sequential(_convolutions() + [Flatten(), Dense(encoding_dim,)])
    return encoder_net, _decoder(encoding_dim)


def alibi_vae_nets(latent_dim=1024):
    """od_vae_cifar10's encoder_net and decoder_net: the convolutions only (OutlierVAE adds Flatten and the Dense
    layers of the latent mean and variance), and the decoder."""
    encoder_net = tf.keras.Sequential(_convolutions())
    return encoder_net, _decoder(latent_dim)


def write_figures(name, res):
    """Writes res to NAME.json, or NAME_TAG.json with $BENCH_TAG, in $BENCH_OUT (default ref/ here), and prints it as
    one JSON line."""
    tag = os.environ.get("BENCH_TAG", "")
    out = os.environ.get("BENCH_OUT") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "ref")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, f"{name}{'_' + tag if tag else ''}.json"), "w") as f:
        json.dump(res, f, indent=1)
    print(json.dumps(res))
