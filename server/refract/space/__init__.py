"""Semantic space: named directions computed from the example pairs shipped in examples/.

A direction is the mean over its pairs of (vector of the second column - vector of the first),
so adding it moves a text the way the pairs differ, by the size of a typical pair's difference.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

from refract.codec import Codec
from refract.errors import OperationError

EXAMPLES = Path(__file__).parent / "examples"
AXES = ("length", "sentiment", "formality", "concreteness", "question", "person")


def load_pairs(axis: str) -> tuple[tuple[str, str], list[str], list[str]]:
    """(pole names, first-column texts, second-column texts) of an axis's example file."""
    if axis not in AXES:
        raise OperationError(f"unknown axis {axis!r}; choose one of: {', '.join(AXES)}")
    header, *rows = (EXAMPLES / f"{axis}.tsv").read_text().splitlines()
    low, high = header.split("\t")
    pairs = [row.split("\t") for row in rows if row.strip()]
    return (low, high), [p[0] for p in pairs], [p[1] for p in pairs]


def mean_difference(low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """The average offset from each low example to its high partner."""
    return (high - low).mean(axis=0).astype(np.float32)


@lru_cache(maxsize=32)
def direction(codec: Codec, axis: str) -> np.ndarray:
    """An axis's direction in this codec's space, computed once per codec and axis."""
    _, low, high = load_pairs(axis)
    vectors = codec.encode(low + high)
    return mean_difference(vectors[: len(low)], vectors[len(low) :])
