"""Train the embedded codec's corrector: a LatentDecoder that reads a guess and rewrites it.

As vec2text's corrector: it reads the target vector, what the guess's vector lacks (target -
guess vector) and the guess's tokens, and writes the sentence. It is the shipped decoder, frozen,
plus a gated cross-attention to the guess in each block and an input from what it lacks
(refract.codec.model): only those train and ship (corrector.safetensors), so the decoder itself
stays as it was, and the codec runs both from one copy of the weights. A first try that trained
all weights drifted from the decoder: held-out loss 2.42 -> 2.64 in ten minutes.
Data: make_guesses.py.

    python training/make_guesses.py --count 60000   # 7.6 minutes on 2 cores
    python training/train_corrector.py --out runs/corrector   # the shipped run: 35 minutes
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from prepare_codec_data import CORPUS, CORPUS_FILES
from safetensors.torch import load_file, save_file
from tokenizers import Tokenizer
from train_codec import HELD, batch_of, fp16, length_order, padded, rows_of, tokenize, train_for

from refract.codec.embedded import CORRECTOR_FILE, WEIGHTS_DIR
from refract.codec.model import PAD, DecoderConfig, LatentDecoder

RECORD_FILE = CORRECTOR_FILE.replace(".safetensors", ".json")  # the corrector's config and training record


def corrector_from(decoder: LatentDecoder) -> tuple[LatentDecoder, list[str]]:
    """A corrector extending `decoder`, and the names of its new parameters, the only ones trained:
    the draft attention and its positions, and the input from what the draft lacks. They start at
    zero where it matters, so at step 0 it writes what the decoder writes."""
    model = LatentDecoder(replace(decoder.cfg, reads_draft=True))
    new = model.load_state_dict(decoder.state_dict(), strict=False).missing_keys
    for name, param in model.named_parameters():
        param.requires_grad = name in new
    return model, new


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--minutes", type=float, default=35)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--lr", type=float, default=1e-3, help="only new parameters train")
    p.add_argument("--save-every", type=float, default=10)
    p.add_argument("--dropout", type=float, default=0.1)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--resume", action="store_true", help="start from the shipped corrector")
    p.add_argument("--weights", type=Path, default=WEIGHTS_DIR, help="the codec whose decoder it starts from")
    p.add_argument("--out", type=Path, default=WEIGHTS_DIR)
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    args = p.parse_args()
    args.noisy_share = 0.0  # train_for's word-dropped rows: the guesses are the noise here
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)

    lines = [line for name in CORPUS_FILES for line in (CORPUS / name).read_text().splitlines()]
    pairs = [row.split("\t", 1) for row in (CORPUS / "guesses.txt").read_text().splitlines()]
    index, guesses = [int(i) for i, _ in pairs], [g for _, g in pairs]
    z = torch.from_numpy(np.load(CORPUS / "guesses_z.npy").astype(np.float32))
    zg = torch.from_numpy(np.load(CORPUS / "guesses_zg.npy").astype(np.float32))
    latent = torch.cat([z, z - zg], dim=1)
    tok = Tokenizer.from_file(str(args.weights / "tokenizer.json"))
    record = json.loads((args.weights / "decoder.json").read_text())
    cfg = replace(DecoderConfig(**record["config"]), dropout=args.dropout)
    rows = tokenize(tok, [lines[i] for i in index], cfg.max_tokens)
    guess_rows = tokenize(tok, guesses, cfg.max_tokens)
    decoder = LatentDecoder(cfg)
    decoder.load_state_dict(load_file(str(args.weights / "decoder.safetensors")))
    model, new = corrector_from(decoder)
    history: list[dict] = []
    if args.resume:
        model.load_state_dict(load_file(str(WEIGHTS_DIR / CORRECTOR_FILE)), strict=False)
        shipped = json.loads((WEIGHTS_DIR / RECORD_FILE).read_text())
        history = [*shipped.get("history", []), shipped["training"]]
    model = model.to(args.device)
    trained = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(trained, lr=args.lr, weight_decay=0.01, betas=(0.9, 0.98))
    print(f"{len(rows)} guesses, {sum(p.numel() for p in trained) / 1e6:.2f}M trained parameters", flush=True)

    tokens, guess_tokens = padded(rows).to(args.device), padded(guess_rows).to(args.device)

    def loss_of(idx: list[int]) -> torch.Tensor:
        at = torch.tensor(idx, device=args.device)
        inputs, targets = batch_of(tokens, at)
        logits = model(latent[idx].to(args.device), inputs, rows_of(guess_tokens, at))
        return F.cross_entropy(logits.float().flatten(0, 1), targets.flatten(), ignore_index=PAD)

    def held_out_loss() -> float:
        model.eval()
        with torch.no_grad():
            loss = sum(loss_of(list(range(i, i + 128))).item() for i in range(0, HELD, 128)) / (HELD // 128)
        model.train()
        return loss

    def save_record(training: dict) -> None:
        args.out.mkdir(parents=True, exist_ok=True)
        save_file(fp16({k: v for k, v in model.state_dict().items() if k in new}), str(args.out / CORRECTOR_FILE))
        meta = {"config": model.cfg.to_dict(), "training": {**training, "guesses": len(rows)}, "history": history}
        (args.out / RECORD_FILE).write_text(json.dumps(meta, indent=2))

    lengths = [len(r) + len(g) for r, g in zip(rows, guess_rows, strict=True)]
    by_length = length_order(lengths, HELD, seed=args.seed)
    train_for(args, opt, by_length, lambda idx, _noisy: loss_of(idx), held_out_loss, save_record, warmup=200)


if __name__ == "__main__":
    main()
