"""Drafts for training the smol decoder to refine: a sentence damaged the way the correction search leaves it.

At decoding time (server/refract/correct.py) the search hands back versions that hold about two in
five of the source's words, with words of the same topic swapped in or inserted and the order
broken ("The rain took by distant the station, but the train was already last to pull after she
stopped."). Running the search over the training corpus would cost about 1.5 s a sentence, so the
drafts are made by damaging the training sentence itself in those ways: words dropped, content
words swapped for lexicon words that point toward the sentence's vector (what the search
proposes), such words inserted, and the order shuffled locally. How hard each draft is damaged is
drawn per sentence, so the decoder sees drafts from nearly right to mostly wrong.
"""

from __future__ import annotations

import random

import numpy as np

from refract.revise import like, render, tokens_of
from refract.space.lexicon import Lexicon

DONORS_PER_TAG = 8


def damage(sentence: str, z: np.ndarray, lexicon: Lexicon, rng: random.Random) -> str:
    """`sentence` as a draft of itself: some words kept, others dropped, swapped or moved."""
    tokens = tokens_of(sentence)
    donors = lexicon.toward(z, DONORS_PER_TAG)
    pool = [w for words in donors.values() for w in words[:3]]
    keep = rng.uniform(0.35, 0.95)
    out: list[tuple[float, str]] = []
    for i, token in enumerate(tokens):
        if not token[:1].isalnum():
            if rng.random() < 0.85:
                out.append((i, token))
            continue
        if rng.random() < keep:
            out.append((i, token))
            continue
        tags = lexicon.tags_of(token)
        if tags and tags[0] in donors and token.lower() not in lexicon.function_words and rng.random() < 0.6:
            out.append((i, like(rng.choice(donors[tags[0]]), token)))
        # otherwise the word is dropped
    for _ in range(sum(rng.random() < (1 - keep) * 0.5 for _ in tokens)):
        out.append((rng.uniform(0.5, len(tokens)), rng.choice(pool)))
    jitter = rng.choice((0.0, 0.0, 1.0, 2.5))
    out.sort(key=lambda p: p[0] + rng.gauss(0, jitter) if p[0] > 0 else p[0])
    return render([t for _, t in out]) or sentence
