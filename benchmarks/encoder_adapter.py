"""How far a codec's encoder adapter moves MiniLM's space, and whether the space's tools still read it.

The embedded and smol codecs ship a LoRA adapter of MiniLM trained with their decoders (tethered to
MiniLM's own vectors) and keep MiniLM's axes, features and lexicon. This compares, on the dev sentences, the
plain encoder with the adapted one (both float32): the cosine between a sentence's two vectors,
how well the similarities between sentences agree, each axis's readout (each encoder with the
axis fitted on its own vectors of the example pairs, as a codec fits them) and the sparse
features a hover would show.

    python benchmarks/encoder_adapter.py [--weights server/refract/codec/weights/smol]   # default: the embedded codec's
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from devset import load_dev
from scipy.stats import spearmanr

from refract.codec.embedded import WEIGHTS_DIR
from refract.codec.encoder import ADAPTER_FILE, SentenceEncoder, minilm_path
from refract.space import AXES, fit_axis, load_pairs
from refract.space.features import MIN_CONFIDENCE, FeatureSet


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--weights", type=Path, default=WEIGHTS_DIR, help="folder holding encoder.safetensors")
    args = p.parse_args()
    adapter = (args.weights / ADAPTER_FILE).read_bytes()
    plain = SentenceEncoder(minilm_path(), bf16=False)
    tuned = SentenceEncoder(minilm_path(), bf16=False, adapter=adapter)
    dev = [text for _, text in load_dev()]
    a, b = (e.encode(dev).numpy() for e in (plain, tuned))

    cosine = (a * b).sum(-1)
    print(f"adapter {tuned.adapter_hash}; {len(dev)} dev sentences")
    print(f"cosine of a sentence's two vectors: mean {cosine.mean():.4f}  min {cosine.min():.4f}")
    upper = np.triu_indices(len(dev), 1)
    rho = spearmanr((a @ a.T)[upper], (b @ b.T)[upper]).statistic
    print(f"similarities between dev sentences, Spearman plain vs adapted: {rho:.3f}")

    print("axis           direction cos  readout Spearman  mean |difference|")
    for name in AXES:
        poles, low, high = load_pairs(name)
        fitted = []
        for encoder in (plain, tuned):
            v = encoder.encode(low + high).numpy()
            fitted.append(fit_axis(name, poles, v[: len(low)], v[len(low) :]))
        ra, rb = fitted[0].readout(a), fitted[1].readout(b)
        direction = fitted[0].direction @ fitted[1].direction
        direction /= np.linalg.norm(fitted[0].direction) * np.linalg.norm(fitted[1].direction)
        print(f"{name:14} {direction:13.3f}  {spearmanr(ra, rb).statistic:16.3f}  {np.abs(ra - rb).mean():17.3f}")

    features = FeatureSet.from_weights()
    shown = np.array([f.confidence >= MIN_CONFIDENCE for f in features.features])
    fa, fb = features.activations(a) * shown, features.activations(b) * shown
    top = 5
    shared = [len(set(np.argsort(-x)[:top]) & set(np.argsort(-y)[:top])) / top for x, y in zip(fa, fb, strict=True)]
    pearson = np.mean([np.corrcoef(x, y)[0, 1] for x, y in zip(fa, fb, strict=True)])
    print(f"labelled features: top {top} shared {np.mean(shared):.2f}; activations' correlation {pearson:.3f}")


if __name__ == "__main__":
    main()
