"""The rewrite pipeline: validate -> encode -> vector edit -> decode candidates -> rerank."""

from __future__ import annotations

import time
import unicodedata

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from refract.codec import Codec
from refract.config import RefractConfig
from refract.errors import OperationError
from refract.operations import NEEDS_SOURCE, EditInputs, edit_for, unit


class RewriteRequest(BaseModel):
    """One rewrite, as the CLI, the batch mode and the language server receive it."""

    model_config = ConfigDict(extra="forbid")

    op: str
    text: str
    amount: float | None = Field(None, allow_inf_nan=False)
    source: str | None = None
    patch: str | None = None
    feature: str | int | None = None


class Candidate(BaseModel):
    text: str
    score: float  # cosine between the candidate's re-encoding and the target vector


class RewriteResult(BaseModel):
    text: str
    candidates: list[Candidate]
    seconds: float


def check_text(text: str, max_words: int, what: str = "selection") -> str:
    """The text stripped, or an OperationError a writer can act on."""
    text = text.strip()
    if not text:
        raise OperationError(f"the {what} is empty; select some text to rewrite")
    words = len(text.split())
    if words > max_words:
        raise OperationError(f"the {what} has {words} words; Refract rewrites up to {max_words} at a time")
    letters = [c for c in text if c.isalpha()]
    if letters and sum(unicodedata.name(c, "").startswith("LATIN") for c in letters) < 0.5 * len(letters):
        raise OperationError(f"the {what} is not in the Latin script; the embedded model reads English only")
    return text


def validate(request: RewriteRequest, config: RefractConfig) -> RewriteRequest:
    """The request with its texts checked and stripped; cheap, so callers run it before loading a model."""
    edit_for(request.op)
    source = request.source
    if request.op in NEEDS_SOURCE and source is not None:
        source = check_text(source, config.max_words, "source")
    return request.model_copy(update={"text": check_text(request.text, config.max_words), "source": source})


def rerank(codec: Codec, texts: list[str], targets: np.ndarray) -> list[Candidate]:
    """Distinct non-empty texts, best first, scored by their best cosine to any target."""
    unique = list(dict.fromkeys(t for t in texts if t.strip()))
    if not unique:
        return []
    scores = (codec.encode(unique) @ unit(targets).T).max(axis=1)
    ranked = sorted(zip(unique, scores.tolist(), strict=True), key=lambda p: -p[1])
    return [Candidate(text=t, score=round(s, 4)) for t, s in ranked]


def rewrite(codec: Codec, request: RewriteRequest, config: RefractConfig) -> RewriteResult:
    """Carry out one request end to end; raises OperationError for anything the writer must fix."""
    start = time.perf_counter()
    request = validate(request, config)
    source = None
    if request.op in NEEDS_SOURCE and request.source is not None:
        source = codec.encode([request.source])[0]
    z = codec.encode([request.text])[0]
    inputs = EditInputs(z=z, amount=request.amount, source=source, count=config.samples, seed=config.seed)
    targets = edit_for(request.op)(inputs)
    texts = [t for row in codec.decode(targets, n=1, temperature=0.0) for t in row]
    if len(targets) == 1 and config.samples > 1:
        texts += codec.decode(targets, n=config.samples - 1, temperature=config.temperature, seed=config.seed)[0]
    candidates = rerank(codec, texts, targets)
    if not candidates:
        raise OperationError("the model produced no text for this selection; try a longer or plainer passage")
    return RewriteResult(text=candidates[0].text, candidates=candidates, seconds=round(time.perf_counter() - start, 3))
