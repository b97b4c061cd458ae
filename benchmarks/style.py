"""Paste tone and paste topic on hand-written pairs (data/dev/style_pairs.tsv).

Issue 4's targets: after pasting the tone of a clearly positive or negative source, the
output's VADER compound moves >= 0.3 toward the source's, with chrF to the target text >= 30,
in >= 60% of pairs; after pasting the topic, chrF of the output to the source is up >= 5
points over the text's own chrF to the source in >= 60% of pairs. The roundtrip row is the
codec's baseline: what the same decoding (with its correction rounds) gives for the text with no edit.

    pip install -e ".[bench]" && python benchmarks/style.py
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

from sacrebleu.metrics import CHRF
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from refract.codec import load_codec
from refract.config import RefractConfig
from refract.rewrite import RewriteRequest, rewrite

PAIRS = Path(__file__).resolve().parents[1] / "data/dev/style_pairs.tsv"


def load_pairs() -> list[tuple[str, str]]:
    """(text, source) rows."""
    rows = [line.split("\t") for line in PAIRS.read_text().splitlines()[1:] if line.strip()]
    return [(r[0], r[1]) for r in rows]


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--codec", default="embedded")
    p.add_argument("--samples", type=int, default=None, help="decoder candidates (default: the config's)")
    p.add_argument("--amount", type=float, default=None, help="how much of the source's tone/topic (default 1)")
    p.add_argument("--corrections", type=int, default=None, help="correction rounds for topic (default: the config's)")
    p.add_argument("--show", type=int, default=4)
    args = p.parse_args()
    codec = load_codec(args.codec)
    config = RefractConfig.from_env(codec=args.codec, samples=args.samples, corrections=args.corrections)
    chrf, vader = CHRF(), SentimentIntensityAnalyzer()
    pairs = load_pairs()

    def run(op: str, text: str, source: str | None = None) -> str:
        return rewrite(codec, RewriteRequest(op=op, text=text, source=source, amount=args.amount), config).text

    def sim(a: str, b: str) -> float:
        return chrf.sentence_score(a, [b]).score

    def compound(t: str) -> float:
        return vader.polarity_scores(t)["compound"]

    tone_ok, tone_move, tone_chrf, topic_ok, topic_gain, base = [], [], [], [], [], []
    for i, (text, source) in enumerate(pairs):
        rt = run("roundtrip", text)
        tone = run("tone", text, source)
        topic = run("topic", text, source)
        base.append(sim(rt, text))
        toward = 1.0 if compound(source) > compound(text) else -1.0
        tone_move.append(toward * (compound(tone) - compound(text)))
        tone_chrf.append(sim(tone, text))
        tone_ok.append(tone_move[-1] >= 0.3 and tone_chrf[-1] >= 30)
        topic_gain.append(sim(topic, source) - sim(text, source))
        topic_ok.append(topic_gain[-1] >= 5)
        if i < args.show:
            print(f"text:   {text}\nsource: {source}\n  tone:  {tone}\n  topic: {topic}\n")
    print(f"{len(pairs)} pairs; roundtrip chrF to the text (the codec's baseline) {statistics.mean(base):.1f}")
    print(
        f"paste tone:  {statistics.mean(tone_ok):.0%} meet both targets; VADER moved toward the source in "
        f"{statistics.mean([m >= 0.3 for m in tone_move]):.0%} (mean move {statistics.mean(tone_move):+.2f}); "
        f"chrF to the text {statistics.mean(tone_chrf):.1f}"
    )
    print(
        f"paste topic: {statistics.mean(topic_ok):.0%} gain >= 5 chrF to the source; "
        f"mean gain {statistics.mean(topic_gain):+.1f}"
    )


if __name__ == "__main__":
    main()
