"""Roundtrip quality and speed of a codec on the hand-written dev set.

Decodes every dev sentence from its embedding alone (op `roundtrip`, reranked candidates) and
prints chrF against the source (sacrebleu), the share of exact reconstructions and timing.

    python benchmarks/roundtrip.py [--codec embedded] [--samples 8] [--beams 4] [--corrections 9] [--sentence-seconds S]
                                   [--seed 0] [--show 8] [--bag]
                                   [--fluency smollm2|gemma3]

--bag also asks whether the words or their order fall short: the share of the source's words the
outputs hold, chrF with the outputs' words put in the source's order, and chrF of the source's own
words in a shuffled order. --fluency compares the outputs' perplexity with the sources' under a
small language model (gemma3 for the smol codec, whose own base model is SmolLM2).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from devset import load_dev
from sacrebleu.metrics import CHRF

from refract.codec import load_codec
from refract.config import RefractConfig
from refract.revise import tokens_of
from refract.rewrite import RewriteRequest, rewrite


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--codec", default="embedded")
    p.add_argument("--samples", type=int, default=None, help="decoder candidates (default: the config's)")
    p.add_argument("--corrections", type=int, default=None, help="correction rounds (default: the config's)")
    p.add_argument(
        "--completions", type=int, default=None, help="rounds the decoder writes on after (default: the config's)"
    )
    p.add_argument("--beams", type=int, default=None, help="beam-search candidates (default: the config's)")
    p.add_argument(
        "--sentence-seconds",
        "--correction-seconds",  # its name before 2026-12-04, when the limit counted the correction alone
        type=float,
        default=None,
        help="time a rewrite may take per sentence, decoding included (default: the config's; 0: no limit)",
    )
    p.add_argument("--seed", type=int, default=0, help="of the sampled candidates")
    p.add_argument("--show", type=int, default=8, help="examples to print")
    p.add_argument("--bag", action="store_true", help="also measure words against word order")
    p.add_argument("--fluency", choices=("smollm2", "gemma3"), help="also judge fluency (benchmarks/fluency.py)")
    args = p.parse_args()
    t0 = time.perf_counter()
    codec = load_codec(args.codec)
    load_s = time.perf_counter() - t0
    config = RefractConfig.from_env(
        codec=args.codec,
        samples=args.samples,
        corrections=args.corrections,
        completions=args.completions,
        beams=args.beams,
        seed=args.seed,
    )
    if args.sentence_seconds is not None:  # 0: every round, so fidelity does not depend on the machine's speed
        config = config.model_copy(update={"sentence_seconds": args.sentence_seconds})
    dev = load_dev()
    chrf = CHRF()
    rows = []
    for register, text in dev:
        result = rewrite(codec, RewriteRequest(op="roundtrip", text=text), config)
        score = chrf.sentence_score(result.text, [text]).score
        rows.append((register, text, result.text, score, result.seconds, result.candidates[0].similarity))
    print(
        f"codec {codec.fingerprint}  load {load_s:.1f}s  samples {config.samples}  "
        f"corrections {config.corrections}  completions {config.completions}  beams {config.beams}  "
        f"dev sentences {len(rows)}"
    )
    print(f"{'register':<14}{'chrF':>7}{'exact':>8}")
    for register in dict.fromkeys(r[0] for r in rows):
        sub = [r for r in rows if r[0] == register]
        exact = sum(r[1] == r[2] for r in sub) / len(sub)
        print(f"{register:<14}{statistics.mean(r[3] for r in sub):>7.1f}{exact:>8.0%}")
    corpus = chrf.corpus_score([r[2] for r in rows], [[r[1] for r in rows]]).score
    exact = sum(r[1] == r[2] for r in rows) / len(rows)
    secs = sorted(r[4] for r in rows)
    print(f"{'all':<14}{statistics.mean(r[3] for r in rows):>7.1f}{exact:>8.0%}   corpus chrF {corpus:.1f}")
    print(f"cosine of the pick to the sentence's vector: mean {statistics.mean(r[5] for r in rows):.3f}")
    print(f"seconds per rewrite: median {statistics.median(secs):.3f}  p90 {secs[int(0.9 * len(secs))]:.3f}")
    for register, src, out, *_ in rows:
        if src == out:
            print(f"exact [{register}]: {src}")
    if args.bag:
        bag(rows, chrf)
    if args.fluency:
        from fluency import report

        report([r[1] for r in rows], {"roundtrip": [r[2] for r in rows]}, args.fluency)
    for register, src, out, score, *_ in rows[:: max(1, len(rows) // max(args.show, 1))][: args.show]:
        print(f"\n[{register}] chrF {score:.1f}\n  source: {src}\n  output: {out}")


def bag(rows: list[tuple], chrf: CHRF) -> None:
    """Whether chrF is lost to wrong words or to word order (chrF ignores spaces, so mostly words)."""
    rng = random.Random(0)
    precision, recall, ordered, shuffled = [], [], [], []
    for _, src, out, *_ in rows:
        source, words = tokens_of(src), tokens_of(out)
        source_set, words_set = {w.lower() for w in source}, {w.lower() for w in words}
        shared = source_set & words_set
        precision.append(len(shared) / max(1, len(words_set)))
        recall.append(len(shared) / len(source_set))
        position = {w.lower(): i for i, w in reversed(list(enumerate(source)))}
        in_order = sorted(words, key=lambda w: position.get(w.lower(), len(source)))
        ordered.append(chrf.sentence_score(" ".join(in_order), [src]).score)
        shuffled.append(chrf.sentence_score(" ".join(rng.sample(source, len(source))), [src]).score)
    print(
        f"words of the source in the output: precision {statistics.mean(precision):.2f}, "
        f"recall {statistics.mean(recall):.2f}\n"
        f"chrF with the output's words in the source's order: {statistics.mean(ordered):.1f}\n"
        f"chrF of the source's own words, shuffled: {statistics.mean(shuffled):.1f}"
    )


if __name__ == "__main__":
    main()
