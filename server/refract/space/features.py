"""Sparse-autoencoder features of the embedding space, each with a label read off the corpus.

A TopK sparse autoencoder (training/train_sae.py) writes every unit-norm vector as a few
non-negative activations over a dictionary of unit directions; training/label_features.py names
each direction from the corpus sentences that activate it most. Weights live in space/weights/:
sae.safetensors and sae.json (the autoencoder) and features.json (labels, examples, statistics).
Inference is numpy only.

Values a writer sees and sets are relative to a feature's `peak`, its mean activation over the
corpus sentences it fires on most (the examples its label is made from): 0 is off, 1 is as
strong as in those examples, 2 is twice that.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file

from refract.codec import Codec
from refract.errors import OperationError
from refract.operations import unit

WEIGHTS = Path(__file__).parent / "weights"
MIN_CONFIDENCE = 0.6  # labels below this are too loose to show a writer (see docs/features.md)
MAX_VALUE = 3.0  # set_value's ceiling: further out, the edited vector leaves the region the decoder knows


@dataclass(frozen=True)
class Feature:
    id: int
    label: str
    confidence: float  # in [0, 1]: how well the label describes the top examples (label_features.py)
    examples: tuple[str, ...]  # corpus sentences it activates on most, strongest first
    frequency: float = 0.0  # share of corpus sentences it is active on
    peak: float = 1.0  # mean activation over its top corpus sentences: value 1 in set_value and top


class FeatureSet:
    """The autoencoder's weights and the features' labels for one embedding space."""

    def __init__(self, space: str, features: list[Feature], weights: dict[str, np.ndarray], k: int) -> None:
        self.space = space
        self.features = features
        self.k = k
        self.w_enc = weights["w_enc"].astype(np.float32)  # (dim, F)
        self.b_enc = weights["b_enc"].astype(np.float32)  # (F,)
        self.w_dec = unit(weights["w_dec"])  # (F, dim); unit rows, renormalised after the fp16 round trip
        self.b_dec = weights["b_dec"].astype(np.float32)  # (dim,)
        self._by_label = {_norm(f.label): f for f in sorted(features, key=lambda f: -f.confidence)}

    @classmethod
    def from_weights(cls, folder: Path = WEIGHTS, labelled: bool = True) -> FeatureSet:
        """Load sae.* and, when labelled, the matching features.json; unlabelled features are named by id."""
        record = json.loads((folder / "sae.json").read_text())
        weights = load_file(str(folder / "sae.safetensors"))
        n = weights["w_dec"].shape[0]
        features = [Feature(i, f"feature {i}", 0.0, ()) for i in range(n)]
        if labelled:
            meta = json.loads((folder / "features.json").read_text())
            if meta["sae"] != sae_digest(folder):  # labels of other weights would name the wrong directions
                raise OperationError("feature labels are out of date; run training/label_features.py")
            features = [
                Feature(f["id"], f["label"], f["confidence"], tuple(f["examples"]), f["frequency"], f["peak"])
                for f in meta["features"]
            ]
        return cls(record["space"], features, weights, record["config"]["k"])

    def activations(self, z: np.ndarray) -> np.ndarray:
        """(n, dim) -> (n, F): the k largest ReLU encoder outputs of each row, zeros elsewhere."""
        z = np.atleast_2d(np.asarray(z, dtype=np.float32))
        pre = np.maximum((z - self.b_dec) @ self.w_enc + self.b_enc, 0.0)
        keep = np.argpartition(-pre, self.k - 1, axis=1)[:, : self.k]
        acts = np.zeros_like(pre)
        np.put_along_axis(acts, keep, np.take_along_axis(pre, keep, axis=1), axis=1)
        return acts

    def reconstruct(self, acts: np.ndarray) -> np.ndarray:
        """(n, F) -> (n, dim): the decoder's vectors, not renormalised."""
        return np.atleast_2d(acts) @ self.w_dec + self.b_dec

    def direction(self, fid: int) -> np.ndarray:
        """The feature's unit decoder direction, (dim,)."""
        return self.w_dec[self.find(fid).id]

    def value_of(self, z: np.ndarray, fid: int) -> np.ndarray:
        """(n,) the feature's value in each row, on set_value's scale (0 off, 1 as in its top examples)."""
        feature = self.find(fid)
        return self.activations(z)[:, feature.id] / feature.peak

    def top(self, z: np.ndarray, k: int = 5) -> list[tuple[Feature, float]]:
        """The k strongest confidently labelled features of one vector, with values relative to each peak."""
        acts = self.activations(z)[0]
        shown = [(f, float(acts[f.id] / f.peak)) for f in self.features if acts[f.id] > 0]
        shown = [(f, v) for f, v in shown if f.confidence >= MIN_CONFIDENCE]
        return sorted(shown, key=lambda fv: -fv[1])[:k]

    def find(self, key: str | int) -> Feature:
        """A feature by id (an int or a string of digits) or by label, ignoring case and spacing."""
        text = str(key).strip()
        if text.isdigit():
            if int(text) < len(self.features):
                return self.features[int(text)]
            raise OperationError(f"no feature {text}; ids go from 0 to {len(self.features) - 1}")
        if _norm(text) in self._by_label:
            return self._by_label[_norm(text)]
        close = self.suggest(text)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else "; name a feature by label or id"
        raise OperationError(f"no feature is labelled {text!r}{hint}")

    def suggest(self, text: str, n: int = 3) -> list[str]:
        """Shown labels close to text: those naming it as a word first, then near spellings."""
        shown = [f.label for f in self.features if f.confidence >= MIN_CONFIDENCE]
        words = [label for label in shown if text.lower() in label.lower().replace("/", " ").split()]
        near = difflib.get_close_matches(text.lower(), [label.lower() for label in shown], n=n, cutoff=0.6)
        by_lower = {label.lower(): label for label in shown}
        return list(dict.fromkeys(words + [by_lower[m] for m in near]))[:n]

    def set_value(self, z: np.ndarray, fid: int, value: float) -> np.ndarray:
        """z moved along the feature's direction until its activation is about value * peak; unit-norm, (dim,).

        value 0 turns the feature off, 1 makes it as strong as in its top examples. A step of
        (target - current) along the direction is repeated a few times, because renormalising and
        the other features' competition for the k slots leave a single step short.
        """
        if not 0.0 <= value <= MAX_VALUE:
            raise OperationError(f"a feature value goes from 0 (off) to {MAX_VALUE:g}; got {value:g}")
        feature = self.find(fid)
        target, d, x = value * feature.peak, self.direction(feature.id), unit(z)[0]
        for _ in range(6):
            gap = target - float(self.activations(x)[0, feature.id])
            if abs(gap) < 0.02 * feature.peak:
                break
            x = unit(x + gap * d)[0]
        return x


def sae_digest(folder: Path = WEIGHTS) -> str:
    """Identifies the autoencoder weights, so labels made for other weights are refused."""
    return hashlib.sha256((folder / "sae.safetensors").read_bytes()).hexdigest()[:16]


def load_features(codec: Codec) -> FeatureSet:
    """The shipped features, if they were trained in this codec's embedding space."""
    return _load(codec.space)


@lru_cache(maxsize=2)
def _load(space: str) -> FeatureSet:
    features = FeatureSet.from_weights()
    if features.space != space:
        raise OperationError(f"features were trained for space {features.space}; this codec is {space}")
    return features


def _norm(label: str) -> str:
    return "".join(label.lower().split())
