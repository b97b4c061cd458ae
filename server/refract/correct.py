"""Decoding by correction: improve the decoder's guesses until their re-encoding lands on the vector.

When there is no source sentence to start from (roundtrip, paste topic, blend), the decoder's
guesses are all there is, and the small decoder only gets the gist. As in vec2text (research
notes), a corrector then edits the best guesses and keeps what re-encodes closer to the target:
first the codec's trained corrector where it has one (`codec.refine`, a few rewrites of the
best version), then a search. Each round tries single-word edits of the best versions (drop
any word; swap a word; insert a word anywhere), proposing the lexicon's words and function words
that point along what is still missing (target - current vector), and the encoder judges every
proposal by its cosine to the target. Only the vector is used: no source text reaches it.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from refract.codec import Codec
from refract.operations import unit
from refract.revise import WORD, Token, like, render, tokens_of
from refract.space.lexicon import Lexicon

INSERTED_TAGS = ("n", "n.pl", "a", "r", "v", "v.ed")  # parts of speech tried as insertions
INSERTS_PER_TAG = 3
# Function words too: each one swapped for the FUNCTION_SWAPS, and FUNCTION_INSERTS put in anywhere,
# that point furthest along what the version lacks ("across" -> "through", a missing "into"). Until
# 2026-12-03 the search could only drop them: chrF 53.0 / 53.1 -> 53.6 / 53.7 with every round.
FUNCTION_SWAPS = 3
FUNCTION_INSERTS = 2
# A word put in is tried at the PLACES where the corpus's class bigrams fit it best, best first. The
# estimate is the same at every place, so until 2026-12-07 a good word took a round's re-encodings at
# its first places, in sentence order ("cheese" in 15): chrF every round 61.0 / 60.7 -> 62.6 / 61.2
# (seeds 0 / 1; every place, best fit first: 61.9 / 61.2), within 1.4 s 60.6 -> 62.5 over seeds 0-3
# (docs/codec-journal.md, "2026-12-07, morning").
PLACES = 5
# A content word is also swapped for the FORM_SWAPS of its other forms furthest along ("emptying" ->
# "empty"): chrF 53.6 / 53.7 -> 53.8 / 53.9 with every round.
FORM_SWAPS = 2
# The decoder continues the best version cut after each of its last STARTS words but one: the
# completions that beat the best version came from the last 10 cuts, most from the last 6 (none of
# 1,200 from earlier cuts), and a few rows keep a continuation at ~0.09 s (docs/codec-journal.md).
STARTS = 6
REFINED = 4  # texts per rewrite by a codec's corrector: the greedy one and sampled ones

# Another judge of versions than the cosine: (texts, their cosines to the target) -> scores, higher better.
Judge = Callable[[list[str], np.ndarray], np.ndarray]


@dataclass(frozen=True)
class Correction:
    # Since the edits are ranked by an estimate of what each brings (`Estimate`), more rounds of fewer
    # proposals find more of the sentence in the same time: 9 of 30 against 7 of 40, both within
    # 1.1 s, chrF 50.3 / 50.5 -> 51.8 / 51.8 (seeds 0 / 1; docs/codec-journal.md).
    rounds: int = 9  # word edits at most
    beam: int = 3  # versions expanded per round
    proposals: int = 30  # edits re-encoded per round, the most promising by a word-level estimate
    donors: int = 6  # words proposed per part of speech
    # Rounds stop early when the next would end past this moment (time.perf_counter()), a corrector's
    # rewrites included (the first round always runs). A rewrite sets it from its own start, so that
    # its latency holds on a slower or busy CPU, where decoding takes longer too
    # (RefractConfig.sentence_seconds).
    deadline: float | None = None
    # After each of the first `completions` rounds, where the codec's decoder can continue a start of
    # a sentence (`Codec.completes`), the best version's starts (`starts`) continued by the decoder
    # from the target: the search finds words, the decoder writes the rest of a sentence around them.
    # After every round: chrF 56.2 -> 58.1 with every round, but at 0.09 s a round they cost more
    # rounds than they gained within 1.4 s (53.2); after the first: 57.0, and within 1.4 s the same
    # as without, 54.9 against 54.7 over runs 1 point apart (seed 0; docs/codec-journal.md).
    completions: int = 1


def correct(
    codec: Codec,
    lexicon: Lexicon,
    target: np.ndarray,
    guesses: list[str],
    search: Correction = Correction(),
    by: Judge | None = None,
) -> list[str]:
    """The guesses and their corrections, best first by cosine to `target`, or by `by`
    (benchmarks/correction.py's oracle judges by the source's wording)."""
    target = unit(target)[0]
    seen: dict[str, tuple[float, np.ndarray]] = {}

    def judge(texts: list[str]) -> None:
        vectors = codec.encode(texts)
        # The cosine alone: class-bigram grammar (refract.space.lexicon) added at 0.05 a unit of it,
        # as until 2026-12-06, cost 0.8 / 0.4 chrF every round (seeds 0 / 1; docs/codec-journal.md).
        cosines = vectors @ target
        scores = cosines if by is None else by(texts, cosines)
        for text, score, vector in zip(texts, scores, vectors, strict=True):
            seen[text] = (float(score), vector)

    def best(k: int) -> list[str]:
        return sorted(seen, key=lambda t: -seen[t][0])[:k]

    judge(list(dict.fromkeys(g for g in guesses if g.strip())))
    for r in range(codec.refine_rounds if seen and search.rounds else 0):  # a trained corrector's rewrites first
        judge([t for t in dict.fromkeys(codec.refine(target, best(1)[0], n=REFINED, seed=r)) if t.strip()])
    continued: set[str] = set()  # starts of sentences the decoder has continued
    searching = time.perf_counter()
    for r in range(search.rounds if seen else 0):
        now = time.perf_counter()
        if r and search.deadline is not None and now + (now - searching) / r > search.deadline:
            break
        texts = best(search.beam)
        edits = [
            edit
            for text, estimate in zip(texts, estimates(lexicon, target, [seen[t][1] for t in texts]), strict=True)
            for edit in _corrections(tokens_of(text), lexicon, estimate, search.donors)
        ]
        # Thousands of edits, a few dozen re-encoded: render only the most promising, best first.
        proposals: dict[str, None] = {}
        for _, tokens in sorted(edits, key=lambda e: -e[0]):
            version = render(tokens)
            if version and version not in seen:
                proposals[version] = None
                if len(proposals) == search.proposals:
                    break
        if not proposals:
            break
        judge(list(proposals))
        if r < search.completions and codec.completes:
            fresh = [start for start in starts(best(1)[0]) if start not in continued]
            continued.update(fresh)
            judge([t for t in dict.fromkeys(codec.complete(target, fresh)) if t.strip() and t not in seen])
    return best(len(seen))


def starts(text: str, last: int = STARTS) -> list[str]:
    """The starts of a sentence that end after each of its `last` words before its final one."""
    ends = [m.end() for m in re.finditer(WORD, text)][:-1]
    return [text[:end] for end in ends[-last:]] if last else []


class Estimate:
    """How each single-word edit of one version would move its cosine to the target, read off the
    lexicon's word states (`Lexicon.states`) without re-encoding: MiniLM's vector is the normalised
    sum of its tokens' last-layer states, so a word put in adds about its own states to that sum,
    and a word taken out takes them away. The sum's length is a typical sentence's
    (`Lexicon.state_norm`): how much one word moves it.

    Until 2026-12-07 edits were ranked by each word's vector along what the version lacks (the
    target's part orthogonal to v). The source's missing words ranked a median 984th of the
    lexicon's 30,948 that way and 323rd this way, and putting one in raised the cosine in 88% of
    cases (a random word, 4%). Roundtrip chrF every round 59.4 / 58.9 -> 61.0 / 60.7 (seeds 0 / 1),
    within 1.4 s 58.3 -> 60.3 over seeds 0-3 (docs/codec-journal.md, "2026-12-07, morning")."""

    def __init__(self, lexicon: Lexicon, target: np.ndarray, v: np.ndarray, products: np.ndarray) -> None:
        """`products`: the states' products with the target and with v (the version's unit vector)."""
        self.lexicon, self.size, self.cosine = lexicon, lexicon.state_norm, float(v @ target)
        self.toward, self.along = products[:, 0], products[:, 1]
        self.lengths = lexicon.state_lengths
        self.inserts = self._gain(self.toward, self.along, self.lengths)  # every row put in

    def _gain(self, toward: np.ndarray, along: np.ndarray, squared: np.ndarray) -> np.ndarray:
        """The cosine's change when states A join the version's sum: A's products with the target and
        with v, and A @ A."""
        s = self.size
        return (s * self.cosine + toward) / np.sqrt(np.maximum(s * s + 2 * s * along + squared, 1e-6)) - self.cosine

    def insert(self, word: str) -> float:
        """Putting `word` in, anywhere."""
        row = self.lexicon.state_row(word)
        return 0.0 if row is None else float(self.inserts[row])

    def drop(self, word: str) -> float:
        """Taking `word` out."""
        row = self.lexicon.state_row(word)
        if row is None:  # a name or number the lexicon does not hold: no estimate
            return 0.0
        return float(self._gain(-self.toward[row], -self.along[row], self.lengths[row]))

    def swaps(self, word: str, rows: list[int]) -> np.ndarray:
        """Putting the words of `rows` (of `states`) in place of `word`."""
        old = self.lexicon.state_row(word)
        if old is None:
            return self.inserts[rows]
        states = self.lexicon.states
        squared = self.lengths[rows] + self.lengths[old] - 2 * (states[rows] @ states[old])
        return self._gain(self.toward[rows] - self.toward[old], self.along[rows] - self.along[old], squared)


def estimates(lexicon: Lexicon, target: np.ndarray, versions: list[np.ndarray]) -> list[Estimate]:
    """An Estimate per version (unit vectors), from one pass over the lexicon's states."""
    products = lexicon.products(np.stack([target, *versions], axis=1))
    return [Estimate(lexicon, target, v, products[:, [0, k + 1]]) for k, v in enumerate(versions)]


def _corrections(
    tokens: list[str], lexicon: Lexicon, estimate: Estimate, donors_per_tag: int
) -> list[tuple[float, list[str]]]:
    """(estimated gain, edited tokens) for every single-word edit worth trying."""
    words = len(lexicon.words)
    donors = lexicon.top(estimate.inserts[:words], donors_per_tag)
    function_donors = [lexicon.function_rows[i] for i in np.argsort(-estimate.inserts[words:])]

    lower = [t.lower() for t in tokens]
    # A piece glued to the word before it belongs to that word ("1800" "s"): never split them, or
    # "in the 1800s" becomes "in the 1800 Athenss".
    joined = [i > 0 and getattr(t, "glued", False) and t[:1].isalnum() for i, t in enumerate(tokens)] + [False]
    first = next((i for i, t in enumerate(tokens) if t[:1].isalnum()), 0)

    def swapped(w: str, i: int) -> Token:
        # Only the first word's capital is the sentence's: a word put in the place of "I" or "Danube"
        # further on is written as the lexicon writes it ("we", not "We").
        token = like(lexicon.written(w), tokens[i] if i == first else lower[i])
        token.glued = getattr(tokens[i], "glued", False)
        return token

    out = []
    for i in range(len(tokens)):
        if joined[i] or joined[i + 1]:
            continue
        dropped = tokens[:i] + tokens[i + 1 :]
        if i == first and i + 1 < len(tokens) and tokens[i + 1][:1].isalpha():
            dropped[i] = like(tokens[i + 1], tokens[i])  # the sentence's capital goes to its new first word
        out.append((estimate.drop(lower[i]), dropped))
        if lower[i] in lexicon.function_words:
            swaps = function_donors[:FUNCTION_SWAPS]
        else:
            forms = sorted(lexicon.forms_of(lower[i]), key=estimate.insert, reverse=True)[:FORM_SWAPS]
            swaps = donors.get(lexicon.tag_at(lower, i), []) + forms
        swaps = [w for w in swaps if w != lower[i]]
        gains = estimate.swaps(lower[i], [lexicon.state_row(w) for w in swaps]) if swaps else []
        for w, g in zip(swaps, gains, strict=True):
            out.append((float(g), tokens[:i] + [swapped(w, i)] + tokens[i + 1 :]))
    inserted = [w for tag in INSERTED_TAGS for w in donors.get(tag, ())[:INSERTS_PER_TAG]]
    inserted += function_donors[:FUNCTION_INSERTS]
    inserted_gains = [(estimate.insert(w), Token(lexicon.written(w))) for w in inserted]
    # Not before the first word, whose capital would stay.
    places = [i for i in range(1, len(tokens) + 1) if not joined[i]]
    fits = lexicon.insertion_fit(tokens, [w for _, w in inserted_gains])
    for (gain, w), fit in zip(inserted_gains, fits, strict=True):
        for i in sorted(places, key=lambda i: -fit[i])[:PLACES]:
            out.append((gain, tokens[:i] + [w] + tokens[i:]))
    return out
