"""Train the decoder's BPE tokenizer and embed the corpus with the frozen encoder.

Inputs: data/corpus/train.txt and extra.txt (from build_corpus.py), synthetic.txt (from
        synthesize_corpus.py).
Outputs: server/refract/codec/weights/tokenizer.json (shipped, trained on train.txt),
         data/corpus/z_clean.npy and z_noisy.npy for train.txt, <name>_z_clean.npy and
         <name>_z_noisy.npy for the others (float16, one row per sentence; not shipped).
z_noisy embeds a copy of each sentence with 15% of its words dropped: training the decoder to
write the original from it is the DAAE denoising that keeps nearby vectors decoding to nearby text.

    python training/prepare_codec_data.py
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

import numpy as np
import torch
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

from refract.codec.embedded import WEIGHTS_DIR
from refract.codec.encoder import SentenceEncoder, minilm_path
from refract.codec.model import SPECIAL_TOKENS

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data/corpus"
CORPUS_FILES = ("train.txt", "extra.txt", "synthetic.txt")  # the decoder trains on all of them


def train_tokenizer(lines: list[str], vocab_size: int) -> Tokenizer:
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size, special_tokens=list(SPECIAL_TOKENS), initial_alphabet=pre_tokenizers.ByteLevel.alphabet()
    )
    tok.train_from_iterator(lines, trainer)
    return tok


def vector_file(corpus: Path, kind: str) -> Path:
    """Where the vectors of one corpus file go: z_clean.npy for train.txt, extra_z_clean.npy for extra.txt."""
    return corpus.parent / (f"{kind}.npy" if corpus.stem == "train" else f"{corpus.stem}_{kind}.npy")


WORD_DROP = 0.15  # share of words a word-dropped copy loses


def word_dropout(sentence: str, rng: random.Random, p: float = WORD_DROP) -> str:
    words = sentence.split()
    kept = [w for w in words if rng.random() >= p]
    return " ".join(kept or words[:1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--vocab", type=int, default=8192)
    parser.add_argument("--force", action="store_true", help="recompute embeddings that already exist")
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    args = parser.parse_args()
    tok_path = WEIGHTS_DIR / "tokenizer.json"
    if args.force or not tok_path.exists():
        tok = train_tokenizer((args.corpus / "train.txt").read_text().splitlines(), args.vocab)
        WEIGHTS_DIR.mkdir(parents=True, exist_ok=True)
        tok.save(str(tok_path))
    print(f"tokenizer: {Tokenizer.from_file(str(tok_path)).get_vocab_size()} tokens")

    encoder = SentenceEncoder(minilm_path(), bf16=False, device=args.device)
    batch = 128 if args.device == "cpu" else 1024
    for corpus in (args.corpus / name for name in CORPUS_FILES):
        lines = corpus.read_text().splitlines()
        rng = random.Random(0)
        for kind, texts in (("z_clean", lines), ("z_noisy", [word_dropout(s, rng) for s in lines])):
            out = vector_file(corpus, kind)
            if out.exists() and not args.force:
                print(f"{out.name}: kept the existing file (--force recomputes it)")
                continue
            t0 = time.time()
            z = encoder.encode(texts, batch_size=batch).numpy().astype(np.float16)
            np.save(out, z)
            print(f"{out.name}: {z.shape} in {time.time() - t0:.0f}s")


if __name__ == "__main__":
    main()
