"""The embedded decoder's own guesses at corpus sentences: what its corrector learns to fix.

For each chosen sentence: the codec's vector of it, the decoder's greedy guess from that vector
(for half the rows from the vector with noise added, so the corrector also sees worse guesses,
as sampled candidates are; greedy decoding is four times cheaper than sampling), and the
guess's vector. vec2text trains its corrector on the first model's real
hypotheses; drafts damaged from the sentence itself taught the smol decoder to tidy a draft,
not to find what it lacks (docs/codec-journal.md), so these are real guesses.

Outputs (data/corpus, not shipped): guesses.txt (index of the sentence in the corpus files'
lines, a tab, the guess), guesses_z.npy and guesses_zg.npy (float16, the sentence's and the
guess's vector, one row per line of guesses.txt). The first 512 corpus lines, held out by the
decoder's training, are always included (in order, first) for the corrector's held-out loss.

    python training/make_guesses.py --count 60000 [--weights runs/emb4] [--device cuda]
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

import numpy as np
import torch
from prepare_codec_data import CORPUS, CORPUS_FILES
from train_codec import HELD

from refract.codec.embedded import WEIGHTS_DIR, EmbeddedCodec


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--count", type=int, default=60000, help="sentences, the held-out ones included")
    p.add_argument("--noise", type=float, default=0.3, help="relative noise of the odd rows' vectors")
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--weights", type=Path, default=WEIGHTS_DIR, help="the codec whose guesses to make")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    lines = [line for name in CORPUS_FILES for line in (CORPUS / name).read_text().splitlines()]
    rest = random.Random(args.seed).sample(range(HELD, len(lines)), args.count - HELD)
    chosen = [*range(HELD), *sorted(rest, key=lambda i: len(lines[i]))]  # similar lengths batch well
    # On a GPU in float32: bf16 is chosen by what the CPU has, and the GPU does not need it.
    codec = EmbeddedCodec(args.weights, bf16=False if args.device != "cpu" else None, device=args.device)
    guesses, z, zg, start = [], [], [], time.time()
    for b in range(0, len(chosen), args.batch):
        texts = [lines[i] for i in chosen[b : b + args.batch]]
        vectors = codec.encode(texts)
        gen = torch.Generator().manual_seed(args.seed + b)
        noise = args.noise * torch.randn(vectors.shape, generator=gen) / vectors.shape[1] ** 0.5
        noise[::2] = 0
        written = codec.decode((torch.from_numpy(vectors) + noise).numpy())  # decode puts it back on the sphere
        written = [w[0] or "." for w in written]  # an empty guess still needs a vector
        guesses += written
        z.append(vectors.astype(np.float16))
        zg.append(codec.encode(written).astype(np.float16))
        if b // args.batch % 20 == 0:
            print(f"{b + len(texts)}/{len(chosen)} {time.time() - start:.0f}s: {written[0]!r}", flush=True)
    with open(CORPUS / "guesses.txt", "w") as f:
        f.writelines(f"{i}\t{g}\n" for i, g in zip(chosen, guesses, strict=True))
    np.save(CORPUS / "guesses_z.npy", np.concatenate(z))
    np.save(CORPUS / "guesses_zg.npy", np.concatenate(zg))
    print(f"{len(chosen)} guesses in {time.time() - start:.0f}s")


if __name__ == "__main__":
    main()
