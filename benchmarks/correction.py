"""Search settings of decoding by correction (refract.correct) against time, on the dev set.

The decoder's 4 guesses per sentence are made once; each setting then corrects them toward the
sentence's own vector and is judged by chrF of the best version to the sentence, and by the
seconds the correction takes (decoding and the final rerank excluded).

    python benchmarks/correction.py [--every 3] [--oracle]

--oracle asks instead where the search's limit lies: the shipped search (every round) judged by
the cosine, and judged by chrF to the source, an oracle no decoding has. If the oracle's search
finds the sentences, its edits can reach them and the judge is what falls short.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
from devset import load_dev
from sacrebleu.metrics import CHRF

from refract.codec import load_codec
from refract.correct import Correction, correct
from refract.space.lexicon import load_lexicon

SETTINGS = [  # (rounds, proposals, beam)
    (3, 128, 4),
    (4, 96, 3),
    (5, 64, 2),
    (6, 48, 3),
    (6, 64, 4),
    (7, 48, 2),
    (8, 32, 2),
    (10, 32, 1),
]


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--every", type=int, default=3, help="use every n-th dev sentence")
    p.add_argument("--oracle", action="store_true", help="the shipped search judged by the cosine and by the source")
    args = p.parse_args()
    codec = load_codec("embedded")
    lexicon = load_lexicon(codec)
    chrf = CHRF()
    dev = [text for _, text in load_dev()][:: args.every]
    vectors = codec.encode(dev)
    guesses = codec.decode(vectors, n=4, temperature=0.7)  # the greedy text and 3 sampled
    print(f"{len(dev)} dev sentences; decoder's best guess chrF ", end="")
    firsts = [correct(codec, lexicon, z, g, Correction(rounds=0))[0] for z, g in zip(vectors, guesses, strict=True)]
    print(f"{statistics.mean(chrf.sentence_score(f, [t]).score for f, t in zip(firsts, dev, strict=True)):.1f}")
    if args.oracle:
        oracle(codec, lexicon, dev, vectors, guesses, chrf)
        return
    print(f"{'rounds':>6}{'proposals':>10}{'beam':>6}{'chrF':>7}{'s/sentence':>12}")
    for rounds, proposals, beam in SETTINGS:
        search = Correction(rounds=rounds, proposals=proposals, beam=beam)
        start, scores = time.perf_counter(), []
        for text, z, g in zip(dev, vectors, guesses, strict=True):
            scores.append(chrf.sentence_score(correct(codec, lexicon, z, g, search)[0], [text]).score)
        seconds = (time.perf_counter() - start) / len(dev)
        print(f"{rounds:>6}{proposals:>10}{beam:>6}{statistics.mean(scores):>7.1f}{seconds:>12.2f}")


def oracle(codec, lexicon, dev: list[str], vectors, guesses: list[list[str]], chrf: CHRF) -> None:
    """chrF and cosine of the shipped search's best version, judged by the cosine and by chrF to the source."""
    print(f"{'judge':<24}{'chrF':>7}{'cosine':>8}{'exact':>7}")
    for name in ("cosine (shipped)", "chrF to the source"):
        picks = []
        for text, z, g in zip(dev, vectors, guesses, strict=True):
            by = None if name.startswith("cosine") else _by_chrf(chrf, text)
            picks.append(correct(codec, lexicon, z, g, Correction(), by=by)[0])
        score = statistics.mean(chrf.sentence_score(p, [t]).score for p, t in zip(picks, dev, strict=True))
        cosine = float((codec.encode(picks) * vectors).sum(1).mean())
        exact = sum(p == t for p, t in zip(picks, dev, strict=True))
        print(f"{name:<24}{score:>7.1f}{cosine:>8.3f}{exact:>7}")


def _by_chrf(chrf: CHRF, source: str):
    return lambda texts, cosines: np.array([chrf.sentence_score(t, [source]).score for t in texts])


if __name__ == "__main__":
    main()
