"""Operations as pure vector edits: (text vector, request) -> target vectors to decode.

Every op here works on unit-norm numpy vectors and returns unit-norm rows; decoding and
reranking happen in refract.rewrite. Ops whose semantic directions are not built yet raise
an OperationError that says so rather than returning the input unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from refract.errors import OperationError

OP_NAMES = (
    "roundtrip", "shorten", "lengthen", "sentiment", "tone", "topic", "blend", "variations", "feature", "patch",
)  # fmt: skip


@dataclass(frozen=True)
class EditInputs:
    z: np.ndarray  # (dim,) the selected text's vector
    amount: float | None = None
    source: np.ndarray | None = None  # (dim,) the source passage's vector, for ops that take one
    count: int = 1  # how many targets an op that samples (variations) should return
    seed: int = 0
    direction: np.ndarray | None = None  # (dim,) the op's axis (see AXIS_OF), low pole to high pole


Edit = Callable[[EditInputs], np.ndarray]


def unit(v: np.ndarray) -> np.ndarray:
    """Rows scaled to unit norm (the codec's sphere)."""
    v = np.atleast_2d(np.asarray(v, dtype=np.float32))
    return v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), 1e-8)


def roundtrip(x: EditInputs) -> np.ndarray:
    return unit(x.z)


def blend(x: EditInputs) -> np.ndarray:
    """Spherical interpolation toward the source; amount is the source's weight (0..1, default 0.5)."""
    w = 0.5 if x.amount is None else x.amount
    if not 0.0 <= w <= 1.0:
        raise OperationError(f"blend amount is the source's weight, between 0 and 1; got {w}")
    a, b = unit(x.z)[0], unit(_need_source(x, "blend"))[0]
    angle = float(np.arccos(np.clip(a @ b, -1.0, 1.0)))
    if angle < 1e-4:
        return unit(a)
    return unit((np.sin((1 - w) * angle) * a + np.sin(w * angle) * b) / np.sin(angle))


def variations(x: EditInputs) -> np.ndarray:
    """Points around the text on the sphere; amount is the radius as a relative norm (default 0.3)."""
    radius = 0.3 if x.amount is None else x.amount
    if not 0.0 <= radius <= 2.0:
        raise OperationError(f"variations amount is a blur radius between 0 and 2; got {radius}")
    rng = np.random.default_rng(x.seed)
    z = unit(x.z)
    noise = unit(rng.standard_normal((x.count, z.shape[1])).astype(np.float32))
    return unit(z + radius * noise)


def _along(sign: float, default: float, limit: float) -> Edit:
    """Move along the op's axis by sign * amount directions."""

    def edit(x: EditInputs) -> np.ndarray:
        amount = default if x.amount is None else x.amount
        if not -limit <= amount <= limit:
            raise OperationError(f"amount must be between {-limit:g} and {limit:g}; got {amount:g}")
        if x.direction is None:
            raise OperationError("this operation needs its direction; it was not computed")
        return unit(x.z + sign * amount * x.direction)

    return edit


def _need_source(x: EditInputs, op: str) -> np.ndarray:
    if x.source is None:
        raise OperationError(f"{op} needs a source passage to take from")
    return x.source


def _not_yet(op: str) -> Edit:
    def edit(_: EditInputs) -> np.ndarray:
        raise OperationError(f"the {op} operation is not yet available in this version of Refract")

    return edit


EDITS: dict[str, Edit] = {name: _not_yet(name) for name in OP_NAMES}
EDITS.update(
    roundtrip=roundtrip,
    blend=blend,
    variations=variations,
    shorten=_along(-1.0, 1.0, 3.0),
    lengthen=_along(+1.0, 1.0, 3.0),
    sentiment=_along(+1.0, 1.0, 3.0),
)
AXIS_OF = {"shorten": "length", "lengthen": "length", "sentiment": "sentiment"}  # ops that move along an axis

NEEDS_SOURCE = frozenset({"tone", "topic", "blend"})


def edit_for(op: str) -> Edit:
    """The vector edit for an op name, or a clear error listing the valid names."""
    try:
        return EDITS[op]
    except KeyError:
        raise OperationError(f"unknown op {op!r}; choose one of: {', '.join(OP_NAMES)}") from None
