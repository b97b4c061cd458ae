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
from refract.errors import OperationError
from refract.operations import unit

EXAMPLES = Path(__file__).parent / "examples"
AXES = ("length", "sentiment", "formality", "concreteness", "question", "person")


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
        unit_dir = unit(self.direction)[0]
        mid, half = (self.low_mean + self.high_mean) / 2, (self.high_mean - self.low_mean) / 2
        return (np.atleast_2d(vectors) @ unit_dir - mid) / half


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


def readouts(codec: Codec, text: str) -> dict[str, float]:
    """The text's calibrated position on every axis."""
    z = codec.encode([text])
    return {name: round(float(axis(codec, name).readout(z)[0]), 3) for name in AXES}


def readout_lines(codec: Codec, values: dict[str, float]) -> list[str]:
    """One aligned line per axis: name, low pole, bar, high pole, value."""
    lines = []
    for name, value in values.items():
        ax = axis(codec, name)
        lines.append(f"{name:<13}{ax.low:>10} {bar(value)} {ax.high:<9}{value:+.2f}")
    return lines


def bar(value: float, width: int = 10) -> str:
    """A text bar for a readout in [-2, 2]: the marker moves from the low end to the high end."""
    slot = int(round((min(max(value, -2.0), 2.0) + 2.0) / 4.0 * width))
    return "[" + "-" * slot + "|" + "-" * (width - slot) + "]"
