"""The shipped sparse autoencoder on its held-out split, and what its labels look like.

Measures the fp16 weights as shipped, through refract.space.features (numpy), on the last 5%
of data/corpus/z_clean.npy (rows train_sae.py never trained on): explained variance, mean L0,
dead features, mean cosine of reconstructions; then how many labels clear MIN_CONFIDENCE and a
sample of labels with their strongest example.

    python benchmarks/sae.py [--show 15]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from refract.space.features import MIN_CONFIDENCE, FeatureSet

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--show", type=int, default=15, help="sample labels to print")
    args = p.parse_args()
    features = FeatureSet.from_weights()
    z = np.load(ROOT / "data/corpus/z_clean.npy").astype(np.float32)
    test = z[-(len(z) // 20) :]
    acts = features.activations(test)
    x_hat = features.reconstruct(acts)
    ev = 1 - ((test - x_hat) ** 2).sum() / ((test - test.mean(axis=0)) ** 2).sum()
    cos = (test * x_hat).sum(1) / np.linalg.norm(x_hat, axis=1)
    dead = ((acts > 0).sum(0) == 0).mean()
    print(f"space {features.space}  features {len(features.features)}  k {features.k}  held-out rows {len(test)}")
    print(f"explained variance {ev:.4f}  mean L0 {(acts > 0).sum(1).mean():.1f}  dead {dead:.2%}")
    print(f"reconstruction cosine: mean {cos.mean():.4f}  5th percentile {np.percentile(cos, 5):.4f}")

    conf = np.array([f.confidence for f in features.features])
    shown = [f for f in features.features if f.confidence >= MIN_CONFIDENCE]
    print(f"\nlabels shown (confidence >= {MIN_CONFIDENCE}): {len(shown)}; hidden: {len(conf) - len(shown)}")
    edges = sorted({0.0, 0.25, 0.5, MIN_CONFIDENCE, 0.75, 1.0001})
    for lo, hi in zip(edges, edges[1:], strict=False):
        print(f"  confidence {lo:.2f}-{min(hi, 1.0):.2f}: {int(((conf >= lo) & (conf < hi)).sum()):>5}")
    print(f"  median confidence {np.median(conf):.3f}")

    print(f"\n{args.show} shown labels, evenly spaced by id, with their strongest corpus sentence:")
    for f in shown[:: max(1, len(shown) // args.show)][: args.show]:
        print(f"  #{f.id:<5} {f.label:<32} conf {f.confidence:.2f}  freq {f.frequency:.3%}\n         {f.examples[0]}")


if __name__ == "__main__":
    main()
