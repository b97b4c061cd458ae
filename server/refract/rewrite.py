"""The rewrite pipeline: validate -> encode -> vector edit -> decode candidates -> rerank."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from refract.codec import Codec
from refract.config import RefractConfig
from refract.correct import Correction, correct
from refract.errors import Cancelled, CodecError, OperationError
from refract.language import language, script
from refract.operations import (
    AXIS_OF,
    CORRECTED,
    KEEPS_WORDING,
    NEEDS_SOURCE,
    ONE_TEXT_PER_TARGET,
    EditInputs,
    edit_for,
    unit,
    word_edits,
)
from refract.patches import read_patch
from refract.patches import transform as patch_transform
from refract.revise import KEEP_WEIGHT, edit_scores, kept_wording, revise
from refract.sentences import sentence_spans, sentence_text, splice
from refract.space import axis, passage_vector, tone_basis
from refract.space.features import load_features
from refract.space.lexicon import Lexicon, load_lexicon

ANCHORED = 8  # versions from the word search (refract.revise, refract.correct) added per sentence


class EditOptions(BaseModel):
    """What to do to a text: the fields every front end (CLI, batch, LSP) shares."""

    model_config = ConfigDict(extra="forbid")

    op: str
    amount: float | None = Field(None, allow_inf_nan=False)
    source: str | None = None
    patch: str | None = None
    feature: str | int | None = None


class RewriteRequest(EditOptions):
    """One rewrite: the options and the text they apply to."""

    text: str


class Candidate(BaseModel):
    text: str
    score: float  # what candidates are ranked by: similarity, or for ops in KEEPS_WORDING refract.revise.edit_scores
    similarity: float  # cosine between the candidate's re-encoding and the target vector
    kept: float  # how much of the source sentence's wording it keeps: F1 of character trigrams, 0..1


class RewriteResult(BaseModel):
    text: str
    candidates: list[Candidate]
    seconds: float


def check_text(text: str, max_words: int, what: str = "selection") -> str:
    """The text stripped, or an OperationError a writer can act on."""
    text = text.strip()
    if not text:
        raise OperationError(f"the {what} is empty; select some text first")
    words = len(text.split())
    if words > max_words:
        raise OperationError(f"the {what} has {words} words; Refract takes up to {max_words} at a time")
    if not sentence_spans(text):  # a row of emoji or "---": the decoder would invent a sentence
        raise OperationError(f"the {what} holds no words to rewrite, only markup, numbers or symbols")
    if (name := script(text)) is not None:
        raise OperationError(f"the {what} is in the {name} script; the embedded model reads English only")
    if (name := language(text)) is not None:
        raise OperationError(f"the {what} looks like {name}; the embedded model reads English only")
    return text


def validate(request: RewriteRequest, config: RefractConfig) -> RewriteRequest:
    """The request with its texts checked and stripped; cheap, so callers run it before loading a model."""
    edit_for(request.op)
    source = request.source
    if request.op in NEEDS_SOURCE:
        if source is None:
            raise OperationError(f"{request.op} needs a source passage to take from")
        source = check_text(source, config.max_words, "source")
    if request.op == "patch":
        if request.patch is None:
            raise OperationError("the patch operation needs a style patch file")
        read_patch(request.patch)
    if request.op == "feature" and request.feature is None:
        raise OperationError("the feature operation needs a feature id or label")
    return request.model_copy(update={"text": check_text(request.text, config.max_words), "source": source})


def prepare(codec: Codec, request: RewriteRequest, count: int, seed: int) -> dict[str, object]:
    """What the request's op needs from the semantic space, as EditInputs fields (all but z)."""
    op, needs = request.op, {"amount": request.amount, "count": count, "seed": seed}
    if op in NEEDS_SOURCE:
        needs["source"] = passage_vector(codec, request.source or "")
    if op in AXIS_OF:
        needs["direction"] = axis(codec, AXIS_OF[op]).direction
    if op in ("tone", "topic"):
        needs["tone_basis"] = tone_basis(codec, with_features=op == "tone")
    if op == "feature":
        features = load_features(codec)
        fid = features.find(request.feature if request.feature is not None else "").id
        needs["transform"] = lambda z, value: features.set_value(z, fid, value)
    if op == "patch":
        needs["transform"] = patch_transform(codec, read_patch(request.patch or ""))
    return needs


def rerank(
    codec: Codec,
    groups: list[list[str]],
    targets: list[np.ndarray],
    sources: list[str],
    keeps: bool = False,
    lexicon: Lexicon | None = None,
    z: np.ndarray | None = None,
) -> list[list[Candidate]]:
    """Per group: distinct non-empty texts, best first. Ranked by their best cosine to the group's
    targets; for an edit that keeps wording (`keeps`), by how well they make the move from the
    source sentence (its vector a row of z) to its single target (refract.revise.edit_scores),
    or, without a lexicon, by the cosine plus KEEP_WEIGHT times the wording they keep."""
    unique = [list(dict.fromkeys(t for t in texts if t.strip())) for texts in groups]
    vectors = codec.encode([t for texts in unique for t in texts])
    ranked, at = [], 0
    for g, (texts, target, source) in enumerate(zip(unique, targets, sources, strict=True)):
        v = vectors[at : at + len(texts)]
        at += len(texts)
        similarity = (v @ unit(target).T).max(axis=1)
        kept = np.array([kept_wording(t, source) for t in texts])
        if keeps and lexicon is not None and z is not None:
            score = edit_scores(lexicon, v, texts, z[g], target, source).score
        else:
            score = similarity + KEEP_WEIGHT * kept * keeps
        found = [
            Candidate(text=t, score=round(float(s), 4), similarity=round(float(c), 4), kept=round(float(k), 4))
            for t, s, c, k in zip(texts, score, similarity, kept, strict=True)
        ]
        ranked.append(sorted(found, key=lambda c: -c.score))
    return ranked


def _lexicon(codec: Codec) -> Lexicon | None:
    """The word lexicon for the codec's space, or None: a codec from another space decodes without it."""
    try:
        return load_lexicon(codec)
    except CodecError:
        return None


def combine(text: str, spans: list[tuple[int, int]], per_sentence: list[list[Candidate]]) -> list[Candidate]:
    """Whole-selection candidates: the j-th splices each sentence's j-th best (or its last), scored by the mean."""
    out: dict[str, Candidate] = {}
    for j in range(max(len(c) for c in per_sentence)):
        picks = [c[min(j, len(c) - 1)] for c in per_sentence]
        means = {f: round(float(np.mean([getattr(p, f) for p in picks])), 4) for f in ("score", "similarity", "kept")}
        joined = splice(text, spans, [p.text for p in picks])
        out.setdefault(joined, Candidate(text=joined, **means))
    return list(out.values())


def rewrite(
    codec: Codec, request: RewriteRequest, config: RefractConfig, should_stop: Callable[[], bool] = lambda: False
) -> RewriteResult:
    """Carry out one request end to end; raises a RefractError for anything the writer must fix.

    The codec works on sentences, so a longer selection is rewritten sentence by sentence with
    the same edit; everything between sentences (whitespace, list and heading markers) is kept.
    `should_stop` is polled between the model calls; when it turns true the work ends with Cancelled.
    """
    start = time.perf_counter()
    text = request.text
    request = validate(request, config)
    edit = edit_for(request.op)
    spans = sentence_spans(text)  # not empty: check_text refuses a text without a sentence
    sentences = [sentence_text(text, span) for span in spans]
    needs = prepare(codec, request, config.variations, config.seed)
    z = codec.encode(sentences)
    targets = [edit(EditInputs(z=row, **needs)) for row in z]  # type: ignore[arg-type]
    _check(should_stop)
    keeps = request.op in KEEPS_WORDING
    lexicon = _lexicon(codec)
    # An edit that keeps wording decodes by word edits of the source alone when it can: the
    # decoder's own sentences keep none of it, and when they won the rerank they read as noise.
    sampled = request.op not in ONE_TEXT_PER_TARGET
    groups = [[] for _ in targets] if keeps and lexicon is not None else decoded(codec, targets, config, sampled)
    if lexicon is not None:
        kinds = word_edits(request.op, request.amount)
        for k, (group, sentence, target) in enumerate(zip(groups, sentences, targets, strict=True)):
            _check(should_stop)
            if keeps:
                group += revise(codec, lexicon, sentence, target, kinds)[:ANCHORED]
            elif request.op in CORRECTED and config.corrections:
                # Sentence k's rounds end by the (k+1)th share of the rewrite's time, decoding included.
                deadline = start + (k + 1) * config.sentence_seconds if config.sentence_seconds else None
                correction = Correction(rounds=config.corrections, deadline=deadline, completions=config.completions)
                group += correct(codec, lexicon, target, group, correction)[:ANCHORED]
    _check(should_stop)
    per_sentence = rerank(codec, groups, targets, sentences, keeps, lexicon, z)
    if any(not c for c in per_sentence):
        raise OperationError("the model produced no text for this selection; try a longer or plainer passage")
    candidates = combine(text, spans, per_sentence)
    return RewriteResult(text=candidates[0].text, candidates=candidates, seconds=round(time.perf_counter() - start, 3))


def decoded(codec: Codec, targets: list[np.ndarray], config: RefractConfig, sampled: bool = True) -> list[list[str]]:
    """Per sentence, the decoder's texts for its target rows: greedy, plus, where `sampled`,
    config.samples - 1 sampled and config.beams from a beam search (variations have one greedy text
    per target)."""
    flat = np.concatenate(targets)
    n = config.samples if sampled else 1
    beams = config.beams if n > 1 and codec.beam_searches else 0
    texts = codec.decode(flat, n=n, temperature=config.temperature, seed=config.seed, beams=beams)
    bounds = np.cumsum([0, *(len(t) for t in targets)])
    return [[t for row in texts[a:b] for t in row] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]


def _check(should_stop: Callable[[], bool]) -> None:
    if should_stop():
        raise Cancelled("the rewrite was cancelled")
