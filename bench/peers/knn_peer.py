#!/usr/bin/env python3
"""cleanlab KNN / pred_probs OOD peer benchmark.

Run:  python3 knn_peer.py   (with cleanlab from PyPI installed; bench/knn.sh makes that virtual environment)
Writes deterministic inputs + reference scores to $BENCH_OUT (default ref/), timings to knn_timings.json there.
"""
import json
import os
import sys
import time

import numpy as np

import cleanlab
from cleanlab.outlier import OutOfDistribution
import sklearn
import scipy

HERE = os.path.dirname(os.path.abspath(__file__))
REF = os.environ.get("BENCH_OUT") or os.path.join(HERE, "ref")
os.makedirs(REF, exist_ok=True)

N_TRAIN, N_TEST, D, C = 5000, 1000, 2048, 10


def make_features():
    rng = np.random.default_rng(0)
    centers = rng.normal(0.0, 1.0, size=(C, D))                   # 10 cluster centres
    y_tr = rng.integers(0, C, size=N_TRAIN)
    x_tr = centers[y_tr] + 0.8 * rng.normal(size=(N_TRAIN, D))
    n_in = N_TEST // 2
    y_in = rng.integers(0, C, size=n_in)
    x_in = centers[y_in] + 0.8 * rng.normal(size=(n_in, D))
    shift = rng.normal(0.0, 1.0, size=(C, D))                     # per-cluster OOD shift
    y_out = rng.integers(0, C, size=N_TEST - n_in)
    x_out = centers[y_out] + shift[y_out] + 0.8 * rng.normal(size=(N_TEST - n_in, D))
    x_te = np.concatenate([x_in, x_out])
    is_ood = np.concatenate([np.zeros(n_in, np.int8), np.ones(N_TEST - n_in, np.int8)])
    # ReLU-like non-negativity, like post-activation CNN features
    x_tr = np.maximum(x_tr, 0.0).astype(np.float32)
    x_te = np.maximum(x_te, 0.0).astype(np.float32)
    return x_tr, x_te, is_ood


def make_pred_probs():
    rng = np.random.default_rng(1)
    n, k = 5000, 10
    y = np.arange(n) % k
    rng.shuffle(y)
    logits = rng.normal(0.0, 1.0, size=(n, k))
    logits[np.arange(n), y] += 2.0
    logits -= logits.max(axis=1, keepdims=True)
    p = np.exp(logits)
    p /= p.sum(axis=1, keepdims=True)
    # test pred_probs: 1000 rows, flatter (more uncertain) half
    lt = rng.normal(0.0, 1.0, size=(1000, k))
    yt = rng.integers(0, k, size=1000)
    lt[np.arange(1000), yt] += np.where(np.arange(1000) < 500, 2.0, 0.0)
    lt -= lt.max(axis=1, keepdims=True)
    pt = np.exp(lt)
    pt /= pt.sum(axis=1, keepdims=True)
    return p, y.astype(np.int64), pt


def auroc(scores_in_is_high, is_ood):
    # AUROC of (1 - score) as OOD detector (rank-based, ties averaged)
    from scipy.stats import rankdata
    s = -np.asarray(scores_in_is_high, dtype=np.float64)
    r = rankdata(s)
    pos = is_ood == 1
    n1, n0 = pos.sum(), (~pos).sum()
    return float((r[pos].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def median_time(fn, reps=3):
    ts, out = [], None
    for _ in range(reps):
        t0 = time.perf_counter()
        out = fn()
        ts.append(time.perf_counter() - t0)
    return float(np.median(ts)), ts, out


def main():
    x_tr, x_te, is_ood = make_features()
    np.save(os.path.join(REF, "knn_train_features.npy"), x_tr)
    np.save(os.path.join(REF, "knn_test_features.npy"), x_te)
    np.save(os.path.join(REF, "knn_test_is_ood.npy"), is_ood)
    print("features", x_tr.shape, x_tr.dtype, x_te.shape, "zero frac", float((x_tr == 0).mean()))

    # ---- features mode ----
    def fit():
        ood = OutOfDistribution()
        s = ood.fit_score(features=x_tr, verbose=False)
        return ood, s

    t_fit, fit_ts, (ood, s_tr) = median_time(fit)
    knn = ood.params["knn"]
    t_score, score_ts, s_te = median_time(lambda: ood.score(features=x_te))
    np.save(os.path.join(REF, "knn_train_scores.npy"), s_tr)
    np.save(os.path.join(REF, "knn_test_scores.npy"), s_te)

    # intermediate values for step-wise verification
    d_te, i_te = knn.kneighbors(x_te)
    d_tr, i_tr = knn.kneighbors()  # train-vs-train, self excluded
    np.save(os.path.join(REF, "knn_test_kdist.npy"), d_te)
    np.save(os.path.join(REF, "knn_test_kidx.npy"), i_te)
    np.save(os.path.join(REF, "knn_train_kdist.npy"), d_tr)
    np.save(os.path.join(REF, "knn_train_kidx.npy"), i_tr)
    # recompute formula independently
    sf = ood.params["scaling_factor"]
    s_te_re = np.exp(-1 * d_te.mean(axis=1) / max(sf, 1e-6))
    s_tr_re = np.exp(-1 * d_tr.mean(axis=1) / max(sf, 1e-6))

    # ---- pred_probs mode ----
    P, y, Pt = make_pred_probs()
    np.save(os.path.join(REF, "pp_train_pred_probs.npy"), P)
    np.save(os.path.join(REF, "pp_train_labels.npy"), y)
    np.save(os.path.join(REF, "pp_test_pred_probs.npy"), Pt)

    def fit_pp():
        o = OutOfDistribution()
        s = o.fit_score(pred_probs=P, labels=y, verbose=False)
        return o, s

    t_fit_pp, fit_pp_ts, (ood_pp, s_pp) = median_time(fit_pp)
    t_score_pp, score_pp_ts, s_pp_te = median_time(lambda: ood_pp.score(pred_probs=Pt))
    np.save(os.path.join(REF, "pp_train_scores.npy"), s_pp)
    np.save(os.path.join(REF, "pp_test_scores.npy"), s_pp_te)
    ct = ood_pp.params["confident_thresholds"]
    np.save(os.path.join(REF, "pp_confident_thresholds.npy"), ct)
    # least_confidence / no-adjust variants for completeness
    s_lc = OutOfDistribution({"method": "least_confidence"}).fit_score(pred_probs=P, labels=y, verbose=False)
    s_noadj = OutOfDistribution({"adjust_pred_probs": False}).fit_score(pred_probs=P, verbose=False)
    np.save(os.path.join(REF, "pp_train_scores_least_confidence.npy"), s_lc)
    np.save(os.path.join(REF, "pp_train_scores_entropy_noadjust.npy"), s_noadj)

    # independent recompute of entropy formula
    from scipy.special import xlogy
    Pa = P - ct
    Pa = Pa + ct.max()
    Pa = Pa / Pa.sum(axis=1, keepdims=True)
    s_pp_re = 1.0 - (-np.sum(xlogy(Pa, Pa), axis=1) / np.log(P.shape[1]))

    res = {
        "cleanlab_version": cleanlab.__version__,
        "sklearn": sklearn.__version__, "numpy": np.__version__, "scipy": scipy.__version__,
        "knn_metric": knn.metric, "knn_n_neighbors": int(knn.n_neighbors), "knn_algorithm": knn.algorithm,
        "knn_fit_method": getattr(knn, "_fit_method", None),
        "knn_dist_dtype": str(d_te.dtype), "score_dtype": str(s_te.dtype),
        "scaling_factor": sf,
        "train_score_minmaxmed": [float(s_tr.min()), float(s_tr.max()), float(np.median(s_tr))],
        "test_score_minmaxmed": [float(s_te.min()), float(s_te.max()), float(np.median(s_te))],
        "test_auroc_ood": auroc(s_te, is_ood),
        "recompute_maxabs_train": float(np.abs(s_tr_re - s_tr).max()),
        "recompute_maxabs_test": float(np.abs(s_te_re - s_te).max()),
        "fit_score_features_s_median3": t_fit, "fit_score_features_s_all": fit_ts,
        "score_features_s_median3": t_score, "score_features_s_all": score_ts,
        "pp_confident_thresholds": ct.tolist(),
        "pp_recompute_maxabs": float(np.abs(s_pp_re - s_pp).max()),
        "fit_score_pred_probs_s_median3": t_fit_pp, "fit_score_pred_probs_s_all": fit_pp_ts,
        "score_pred_probs_s_median3": t_score_pp, "score_pred_probs_s_all": score_pp_ts,
        "pp_train_score_minmaxmed": [float(s_pp.min()), float(s_pp.max()), float(np.median(s_pp))],
        "pp_test_score_first_half_mean": float(s_pp_te[:500].mean()),
        "pp_test_score_second_half_mean": float(s_pp_te[500:].mean()),
    }
    with open(os.path.join(REF, "knn_timings.json"), "w") as f:
        json.dump(res, f, indent=1)
    print(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
