#!/usr/bin/env python3
"""bench/serve.sh's peer model: Alibi Detect's OutlierAE with the encoder and decoder of Alibi's od_ae_cifar10
example (tf_common.py's alibi_ae_nets, as Oddball's alibi-cifar10), fitted briefly (speed, not quality, is
measured) on the shipped CIFAR-10 slice, saved with save_detector and set up as an MLServer model repository for the
mlserver-alibi-detect runtime:

  OUT/settings.json                  the server's ports (loopback), metrics off
  OUT/cifar10-ae/model-settings.json  implementation mlserver_alibi_detect.AlibiDetectRuntime, uri ./detector,
                                      predict parameters as Oddball's saved AE scores: instance scores over the
                                      75 % largest feature errors, no feature scores in the answer
  OUT/cifar10-ae/detector/            save_detector's folder

Run:  python3 mlserver_peer.py ROWS.u8 OUT HTTP_PORT GRPC_PORT [EPOCHS]   (bench/.venv-mlserver)
"""
import json
import os
import sys

import numpy as np
import tensorflow as tf
from alibi_detect.od import OutlierAE
from alibi_detect.saving import save_detector
from tf_common import alibi_ae_nets

rows, out, http_port, grpc_port = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
epochs = int(sys.argv[5]) if len(sys.argv) > 5 else 2
tf.random.set_seed(0)

encoder_net, decoder_net = alibi_ae_nets(encoding_dim=1024)
od = OutlierAE(threshold=.015, encoder_net=encoder_net, decoder_net=decoder_net)

x = np.fromfile(rows, dtype=np.uint8).reshape(-1, 32, 32, 3).astype(np.float32) / 255.0
od.fit(x, epochs=epochs, batch_size=64, verbose=False)
od.infer_threshold(x, outlier_perc=75, threshold_perc=99)

model = os.path.join(out, "cifar10-ae")
os.makedirs(model, exist_ok=True)
save_detector(od, os.path.join(model, "detector"))
with open(os.path.join(model, "model-settings.json"), "w") as f:
    json.dump({"name": "cifar10-ae", "implementation": "mlserver_alibi_detect.AlibiDetectRuntime",
               "parameters": {"uri": "./detector", "version": "1",
                              "extra": {"predict_parameters": {"outlier_perc": 75, "return_feature_score": False,
                                                               "return_instance_score": True}}}}, f, indent=2)
with open(os.path.join(out, "settings.json"), "w") as f:
    json.dump({"host": "127.0.0.1", "http_port": http_port, "grpc_port": grpc_port, "metrics_port": 0,
               "metrics_endpoint": None, "debug": False}, f, indent=2)
print(f"mlserver_peer.py: OutlierAE fitted {epochs} epochs on {len(x)} images, saved in {model}")
