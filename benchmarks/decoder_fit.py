"""How far the shipped decoder has learned its text by heart: token loss on lines it trained on
against lines it never saw.

The loss is the training's (cross-entropy per token, dropout off, each line's clean vector from
the shipped encoder). A decoder that generalises scores about the same on both; one that
memorised its corpus scores far lower on the lines it saw, and then more text and more
regularisation pay more than more steps. Needs the corpus (`python training/build_corpus.py`).

    python benchmarks/decoder_fit.py [--lines 512]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import torch
import torch.nn.functional as F

from refract.codec.embedded import EmbeddedCodec
from refract.codec.model import BOS, EOS, PAD

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data/corpus"
sys.path.insert(0, str(ROOT / "training"))
from build_corpus import DICTIONARIES, GAMES_READ, dictionary_prose  # noqa: E402  (a script: which lines are new)

HELD = 512  # train.txt's first lines, which no run of the decoder trains on (training/train_codec.py)
SYNTHETIC_TRAINED = 24_000  # synthetic.txt's lines the eighth run trained on; the later ones are new to it


def token_loss(codec: EmbeddedCodec, lines: list[str], batch: int = 64) -> float:
    """Mean cross-entropy per token of `lines` given their vectors (teacher forcing)."""
    cfg, total, count = codec.decoder.cfg, 0.0, 0
    for i in range(0, len(lines), batch):
        chunk = lines[i : i + batch]
        rows = [enc.ids[: cfg.max_tokens - 1] + [EOS] for enc in codec.tokenizer.encode_batch(chunk)]
        targets = torch.full((len(rows), max(map(len, rows))), PAD)
        for j, row in enumerate(rows):
            targets[j, : len(row)] = torch.tensor(row)
        inputs = torch.cat([torch.full_like(targets[:, :1], BOS), targets[:, :-1]], dim=1)
        z = torch.as_tensor(codec.encode(chunk)).to(codec.decoder.tok.weight.dtype)
        with torch.no_grad():
            logits = codec.decoder(z, inputs).float()
        total += F.cross_entropy(logits.flatten(0, 1), targets.flatten(), ignore_index=PAD, reduction="sum").item()
        count += int((targets != PAD).sum())
    return total / count


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--lines", type=int, default=HELD, help="lines from each place")
    args = p.parse_args()
    if not (CORPUS / "train.txt").is_file():
        raise SystemExit("no data/corpus/train.txt: run python training/build_corpus.py first")
    text = {name: (CORPUS / name).read_text().splitlines() for name in ("train.txt", "extra.txt", "synthetic.txt")}
    added = {s for name, indent, opener in DICTIONARIES for s in dictionary_prose(name, indent, opener)}
    games = {s for read in GAMES_READ.values() for s in read()}  # the game packages must be installed
    newer = added | games
    n, extra = args.lines, text["extra.txt"]
    places = {
        "train.txt, held out (its first 512 lines)": text["train.txt"][:n],
        "train.txt, trained on (the next lines)": text["train.txt"][HELD : HELD + n],
        "extra.txt, trained on (the kernel's docs and the manuals)": [s for s in extra if s not in newer][:n],
        "extra.txt, the dictionaries (new to the sixth run, not the seventh)": [s for s in extra if s in added][:n],
        "extra.txt, the games (new 2026-12-05, not trained on by the eighth run)": [s for s in extra if s in games][:n],
        "synthetic.txt, trained on (rewritten 2026-12-04)": text["synthetic.txt"][:n],
        "synthetic.txt, added 2026-12-05 (not trained on)": text["synthetic.txt"][SYNTHETIC_TRAINED:][:n],
    }
    codec = EmbeddedCodec()
    for place, lines in places.items():
        print(f"{token_loss(codec, lines):.3f}  {place} ({len(lines)} lines)", flush=True)


if __name__ == "__main__":
    main()
