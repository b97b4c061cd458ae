"""Semantic space: named axes computed from the example pairs shipped in examples/.

An axis's direction is the mean over its pairs of (vector of the second column - vector of the
first), so adding it moves a text the way the pairs differ, by a typical pair's difference.
Readouts are calibrated per axis so they compare across axes: -1 is where the first-column
examples sit on average, +1 where the second-column examples sit.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from refract.codec import Codec
from refract.errors import OperationError, RefractError
from refract.operations import unit
from refract.sentences import sentence_spans, sentence_text
from refract.space.features import FeatureSet, load_features

EXAMPLES = Path(__file__).parent / "examples"
AXES = ("length", "sentiment", "formality", "concreteness", "question", "person")
# "Tone" is how a thing is said: register, sentiment, formality, person and mood. Pasting tone copies
# the span of these axes' directions and of the TONE_FEATURES sparse features that best tell the two
# sides of their example pairs apart (the pairs match in topic, so what differs is tone). Pasting
# topic keeps only the axes' span of the text and takes everything else from the source: the tone
# features also carry content words, and keeping them would keep the text's topic (docs/features.md).
TONE_AXES = ("sentiment", "formality", "person", "question")
TONE_FEATURES = 64


@dataclass(frozen=True)
class Axis:
    name: str
    low: str  # pole names, from the example file's header
    high: str
    direction: np.ndarray  # mean pair difference, low -> high
    low_mean: float  # mean projection of the low examples on the unit direction
    high_mean: float

    def readout(self, vectors: np.ndarray) -> np.ndarray:
        """Calibrated position of each row: -1 like the low examples, +1 like the high ones."""
        mid, half = (self.low_mean + self.high_mean) / 2, (self.high_mean - self.low_mean) / 2
        return (np.atleast_2d(vectors) @ unit(self.direction)[0] - mid) / half

    def shift(self, z: np.ndarray, target: float) -> np.ndarray:
        """The offset that moves vector z to readout `target` on this axis, leaving other directions alone."""
        half = (self.high_mean - self.low_mean) / 2
        return (target - float(self.readout(z)[0])) * half * unit(self.direction)[0]


def load_pairs(name: str) -> tuple[tuple[str, str], list[str], list[str]]:
    """(pole names, first-column texts, second-column texts) of an axis's example file."""
    if name not in AXES:
        raise OperationError(f"unknown axis {name!r}; choose one of: {', '.join(AXES)}")
    header, *rows = (EXAMPLES / f"{name}.tsv").read_text().splitlines()
    low, high = header.split("\t")
    pairs = [row.split("\t") for row in rows if row.strip()]
    return (low, high), [p[0] for p in pairs], [p[1] for p in pairs]


def fit_axis(name: str, poles: tuple[str, str], low: np.ndarray, high: np.ndarray) -> Axis:
    """An axis from paired example vectors (row i of low pairs with row i of high)."""
    direction = (high - low).mean(axis=0).astype(np.float32)
    unit_dir = unit(direction)[0]
    return Axis(name, *poles, direction, float((low @ unit_dir).mean()), float((high @ unit_dir).mean()))


@lru_cache(maxsize=64)
def axis(codec: Codec, name: str) -> Axis:
    """A named axis in this codec's space, computed once per codec."""
    poles, low, high = load_pairs(name)
    vectors = codec.encode(low + high)
    return fit_axis(name, poles, vectors[: len(low)], vectors[len(low) :])


@lru_cache(maxsize=8)
def tone_basis(codec: Codec, with_features: bool = True) -> np.ndarray:
    """(dim, r) orthonormal columns spanning the tone axes and, if asked and the codec has them, the tone features."""
    columns = [axis(codec, name).direction for name in TONE_AXES]
    try:
        features = load_features(codec) if with_features else None
    except RefractError:
        features = None  # a codec without a feature set: tone is the axes alone
    if features is not None:
        columns += [features.direction(int(i)) for i in np.argsort(-tone_scores(codec, features))[:TONE_FEATURES]]
    q, _ = np.linalg.qr(np.stack(columns, axis=1))
    return q.astype(np.float32)


def tone_scores(codec: Codec, features: FeatureSet) -> np.ndarray:
    """(F,) how strongly each feature separates the two sides of any tone axis's example pairs (a paired t)."""
    score = np.zeros(len(features.features), dtype=np.float32)
    for name in TONE_AXES:
        _, low, high = load_pairs(name)
        diff = features.activations(codec.encode(high)) - features.activations(codec.encode(low))
        t = np.abs(diff.mean(axis=0)) / (diff.std(axis=0) + 1e-6) * np.sqrt(len(low))
        score = np.maximum(score, t)
    return score


def passage_vector(codec: Codec, text: str) -> np.ndarray:
    """A passage's place in the space: the normalised mean of its sentences' vectors.

    The codec reads sentences, and a long passage would be truncated by the encoder; the mean
    keeps what all the sentences share (their tone, their topic) and averages out the rest.
    """
    sentences = [sentence_text(text, span) for span in sentence_spans(text)] or [text]
    return unit(codec.encode(sentences).mean(axis=0))[0]
