"""Encoder throughput in float32 and in bfloat16 autocast, and how far the vectors move.

Encodes the dev sentences four times over (288 texts, the size of one round of the edit search)
both ways and prints seconds per batch and the distance between the two sets of unit vectors.
On a CPU without native bf16 the encoder runs in float32, and this shows why.

    python benchmarks/encoder.py
"""

from __future__ import annotations

import statistics
import time

from devset import load_dev

from refract.codec.encoder import SentenceEncoder, minilm_path, native_bf16


def main() -> None:
    texts = [text for _, text in load_dev()] * 4
    print(f"native bf16 on this CPU: {native_bf16()}; {len(texts)} texts per batch")
    vectors = {}
    for bf16 in (False, True):
        encoder = SentenceEncoder(minilm_path(), bf16=bf16)
        encoder.encode(texts[:64])  # warm-up: first calls pay for allocation
        seconds = []
        for _ in range(3):
            start = time.perf_counter()
            vectors[bf16] = encoder.encode(texts)
            seconds.append(time.perf_counter() - start)
        print(f"{'bf16 autocast' if bf16 else 'float32'}: median {statistics.median(seconds):.3f} s")
    gap = (vectors[True] - vectors[False]).norm(dim=-1)
    cosine = (vectors[True] * vectors[False]).sum(-1)
    print(f"distance between the two vectors of a text: mean {gap.mean():.4f}, max {gap.max():.4f}")
    print(f"cosine: min {cosine.min():.5f}")


if __name__ == "__main__":
    main()
