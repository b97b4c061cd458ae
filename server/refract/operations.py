"""Operations as pure vector edits: (text vector, request) -> target vectors to decode.

Every op here works on unit-norm numpy vectors and returns unit-norm rows; decoding and
reranking happen in refract.rewrite, and whatever an op needs from the semantic space (an
axis direction, the tone basis, a feature or patch transform) is prepared there and handed in.
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
    tone_basis: np.ndarray | None = None  # (dim, r) orthonormal columns spanning "tone", for tone and topic
    transform: Transform | None = None  # (z, amount) -> z, prepared from a feature or a patch


Edit = Callable[[EditInputs], np.ndarray]
Transform = Callable[[np.ndarray, float], np.ndarray]


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


def _along(sign: float, default: float, limit: float, step: float = 1.0) -> Edit:
    """Move along the op's axis by sign * amount * step directions."""

    def edit(x: EditInputs) -> np.ndarray:
        amount = default if x.amount is None else x.amount
        if not -limit <= amount <= limit:
            raise OperationError(f"amount must be between {-limit:g} and {limit:g}; got {amount:g}")
        if x.direction is None:
            raise OperationError("this operation needs its direction; it was not computed")
        return unit(x.z + sign * amount * step * x.direction)

    return edit


def _paste(part: str) -> Edit:
    """Take the tone (or everything but the tone: the topic) from the source; amount scales it (0..2, default 1)."""

    def edit(x: EditInputs) -> np.ndarray:
        amount = 1.0 if x.amount is None else x.amount
        if not 0.0 <= amount <= 2.0:
            raise OperationError(f"{part} amount is how much of the source's {part} to take, 0 to 2; got {amount:g}")
        if x.tone_basis is None:
            raise OperationError(f"{part} needs the tone axes; they were not computed")
        z = unit(x.z)[0]
        delta = unit(_need_source(x, part))[0] - z
        tone = x.tone_basis @ (x.tone_basis.T @ delta)
        return unit(z + amount * (tone if part == "tone" else delta - tone))

    return edit


def _transformed(what: str, default: float, low: float, high: float) -> Edit:
    """Apply the feature or patch transform prepared by the caller, scaled by amount."""

    def edit(x: EditInputs) -> np.ndarray:
        amount = default if x.amount is None else x.amount
        if not low <= amount <= high:
            raise OperationError(f"{what} amount must be between {low:g} and {high:g}; got {amount:g}")
        if x.transform is None:
            raise OperationError(f"the {what} operation needs a {what}; none was given")
        return unit(x.transform(unit(x.z)[0], amount))

    return edit


def _need_source(x: EditInputs, op: str) -> np.ndarray:
    if x.source is None:
        raise OperationError(f"{op} needs a source passage to take from")
    return x.source


# The length examples pair 5-word sentences with 30-word paraphrases, so a whole pair difference
# rewrites a sentence to a sixth of its words; amount 1 of shorten asks for a step of this size,
# chosen on every third dev sentence (docs/codec.md: smaller steps left more sentences above 80%
# of their words, larger ones kept less of the wording).
LENGTH_STEP = 0.40

EDITS: dict[str, Edit] = dict(
    roundtrip=roundtrip,
    blend=blend,
    variations=variations,
    shorten=_along(-1.0, 1.0, 3.0, LENGTH_STEP),
    lengthen=_along(+1.0, 1.0, 3.0, LENGTH_STEP),
    sentiment=_along(+1.0, 1.0, 3.0),
    tone=_paste("tone"),
    topic=_paste("topic"),
    feature=_transformed("feature", 1.0, 0.0, 3.0),
    patch=_transformed("patch", 1.0, 0.0, 3.0),
)
AXIS_OF = {"shorten": "length", "lengthen": "length", "sentiment": "sentiment"}  # ops that move along an axis

NEEDS_SOURCE = frozenset({"tone", "topic", "blend"})
# Edits that change one aspect of a sentence and should keep the rest of its wording: with a
# word lexicon, their candidates are word edits of the source (refract.revise), ranked partly by
# how much of it they keep; without one (another codec's space), the decoder's.
KEEPS_WORDING = frozenset({"shorten", "lengthen", "sentiment", "tone", "feature", "patch"})
# Ops decoded from the vector alone whose decoder guesses are then corrected toward it
# (refract.correct). Not variations: their candidates should spread, not converge.
CORRECTED = frozenset({"roundtrip", "topic", "blend"})
# Ops whose several targets are the alternatives themselves: one greedy text from each, none sampled.
ONE_TEXT_PER_TARGET = frozenset({"variations"})

EDIT_KINDS = frozenset({"delete", "swap", "insert"})  # the word edits refract.revise knows


def word_edits(op: str, amount: float | None) -> frozenset[str]:
    """The word edits source-anchored decoding (refract.revise) may make for an op.

    Length is about how many words there are, not which: a shorter sentence only loses words and
    a longer one only gains them (single words that happen to point along the length axis would
    otherwise be swapped in). Every other edit may delete, swap and insert.
    """
    if op in ("shorten", "lengthen"):
        shorter = (op == "shorten") == ((1.0 if amount is None else amount) >= 0)
        return frozenset({"delete"} if shorter else {"insert"})
    return EDIT_KINDS


def edit_for(op: str) -> Edit:
    """The vector edit for an op name, or a clear error listing the valid names."""
    try:
        return EDITS[op]
    except KeyError:
        raise OperationError(f"unknown op {op!r}; choose one of: {', '.join(OP_NAMES)}") from None
