"""Every cut refract.constituents allows in each dev sentence, and what it leaves: the list the
deletion rules were checked against by reading (docs/codec.md).

    python benchmarks/deletions.py [WORDS ...]   # only sentences containing one of WORDS
"""

from __future__ import annotations

import sys

from devset import load_dev

from refract.codec import load_codec
from refract.constituents import deletions
from refract.revise import render, tokens_of
from refract.space.lexicon import load_lexicon


def main() -> None:
    lexicon = load_lexicon(load_codec("embedded"))
    wanted = sys.argv[1:]
    for _, text in load_dev():
        if wanted and not any(w in text for w in wanted):
            continue
        tokens = tokens_of(text)
        print(text)
        for s, e in deletions(tokens, [t.lower() for t in tokens], lexicon):
            print(f"  [{' '.join(tokens[s:e])}] -> {render(tokens[:s] + tokens[e:])}")


if __name__ == "__main__":
    main()
