"""Refining drafts (SmolCodec.refine) against more correction rounds, on the dev set.

The smol adapters are also trained to rewrite a damaged draft of a sentence given its vector
(training/drafts.py). This asks whether that helps the roundtrip: the decoder's 4 guesses per
sentence are made once, then each recipe corrects them (refract.correct) with or without
refining the best version found, and is judged by chrF of the version nearest the vector, and
by its seconds (decoding the guesses excluded).

    python benchmarks/refine.py [--every 3]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np
from devset import load_dev
from sacrebleu.metrics import CHRF

from refract.codec import load_codec
from refract.correct import Correction, correct
from refract.space.lexicon import load_lexicon


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--every", type=int, default=3, help="use every n-th dev sentence")
    args = p.parse_args()
    codec = load_codec("smol")
    lexicon = load_lexicon(codec)
    dev = [text for _, text in load_dev()][:: args.every]
    vectors = codec.encode(dev)
    guesses = codec.decode(vectors, n=4, temperature=0.7)  # the greedy text and 3 sampled

    def search(z: np.ndarray, texts: list[str], rounds: int) -> list[str]:
        return correct(codec, lexicon, z, texts, Correction(rounds=rounds))

    def refined(z: np.ndarray, texts: list[str], n: int, rounds: int) -> list[str]:
        found = search(z, texts, 6)
        return search(z, found[:8] + codec.refine(z, found[0], n=n), rounds)

    recipes: dict[str, Callable[[np.ndarray, list[str]], list[str]]] = {
        "6 rounds (shipped)": lambda z, g: search(z, g, 6),
        "9 rounds": lambda z, g: search(z, g, 9),
        "6 rounds, refine 4": lambda z, g: refined(z, g, 4, 0),
        "  its greedy refinement alone": lambda z, g: codec.refine(z, search(z, g, 6)[0], n=1),
        "6 rounds, refine 4, 3 rounds": lambda z, g: refined(z, g, 4, 3),
        "6 rounds, refine 8, 3 rounds": lambda z, g: refined(z, g, 8, 3),
    }
    chrf = CHRF()
    print(f"{len(dev)} dev sentences")
    print(f"{'recipe':<30}{'chrF':>6}{'cosine':>8}{'s/sentence':>12}")
    for name, recipe in recipes.items():
        scores, cosines, seconds = [], [], []
        for text, z, g in zip(dev, vectors, guesses, strict=True):
            start = time.perf_counter()
            versions = recipe(z, g)
            seconds.append(time.perf_counter() - start)
            similarity = codec.encode(versions) @ z
            scores.append(chrf.sentence_score(versions[int(np.argmax(similarity))], [text]).score)
            cosines.append(float(similarity.max()))
        print(
            f"{name:<30}{statistics.mean(scores):>6.1f}{statistics.mean(cosines):>8.3f}{statistics.median(seconds):>12.2f}"
        )


if __name__ == "__main__":
    main()
