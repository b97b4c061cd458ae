"""Train the embedded codec's LatentDecoder on MiniLM embeddings.

Run build_corpus.py and prepare_codec_data.py first. Training is time-budgeted (cosine learning
rate over --minutes) so the same script fits a CPU session or a GPU lease; it checkpoints to
the shipped weights folder every --save-every minutes, so an interrupted run still leaves a model.

    python training/train_codec.py --minutes 92
    python training/train_codec.py --resume --minutes 30 --lr 5e-4   # continue from the shipped weights
    python training/train_codec.py --resume --out runs/candidate     # ... into a folder to compare first
    python training/train_codec.py --resume --train-encoder --out runs/candidate  # MiniLM learns along

MiniLM stays frozen (its stored vectors are read) unless --train-encoder trains a LoRA adapter of
it along (always, when the resumed weights have one), tethered to MiniLM's own vectors so the
space's features and directions still apply; then the vectors are encoded afresh each step, and
the adapter is saved as encoder.safetensors beside the decoder.

It trains on every file in prepare_codec_data.CORPUS_FILES together; the first 512 lines of
train.txt are held out. Every run records the held-out loss it starts from, because a
rebuilt train.txt (build_corpus.py reads what the machine has installed) holds out other lines.
On a CPU that multiplies bf16 in hardware (AMX) the matmuls run in bf16 autocast, about 1.45x
faster for this model; weights and optimiser state stay float32.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from prepare_codec_data import CORPUS, CORPUS_FILES, WORD_DROP, vector_file
from safetensors.torch import load_file, save_file
from tokenizers import Tokenizer

from refract.codec.embedded import CORRECTOR_FILE, WEIGHTS_DIR
from refract.codec.encoder import (
    ADAPTER_FILE,
    SentenceEncoder,
    attach_adapter,
    encoder_projections,
    minilm_path,
    native_bf16,
    pooled,
)
from refract.codec.lora import add_lora
from refract.codec.model import BOS, EOS, PAD, DecoderConfig, LatentDecoder

HELD = 512  # the first lines of train.txt, held out for a loss that tells over-fitting from learning


def tokenize(tok: Tokenizer, lines: list[str], max_tokens: int) -> list[list[int]]:
    return [enc.ids[: max_tokens - 1] + [EOS] for enc in tok.encode_batch(lines)]


def padded(rows: list[list[int]]) -> torch.Tensor:
    """Token rows as one (N, longest) tensor, PAD after each row: a batch is then an index into it
    (batches built from Python lists bound the GPU run's steps at 0.11 s)."""
    out = np.full((len(rows), max(map(len, rows))), PAD, dtype=np.int32)
    for i, row in enumerate(rows):
        out[i, : len(row)] = row
    return torch.from_numpy(out)


def rows_of(tokens: torch.Tensor, idx: torch.Tensor) -> torch.Tensor:
    """Rows `idx` of a `padded` tensor, as wide as the longest of them."""
    rows = tokens[idx]
    return rows[:, : int((rows != PAD).sum(1).max())].long()


def batch_of(tokens: torch.Tensor, idx: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Inputs and targets of rows `idx` of a `padded` tensor of rows ending in EOS: the targets are
    the rows, the inputs BOS and the targets shifted right (past EOS they are never attended to)."""
    targets = rows_of(tokens, idx)
    return torch.cat([torch.full_like(targets[:, :1], BOS), targets[:, :-1]], dim=1), targets


def perturb(z: torch.Tensor, sigma: float) -> torch.Tensor:
    """Gaussian noise of random size per row, back onto the unit sphere: edited vectors land off the data."""
    scale = torch.rand(z.shape[0], 1, device=z.device) * sigma
    return F.normalize(z + scale * torch.randn_like(z) / math.sqrt(z.shape[1]), dim=-1)


def learning_rate(peak: float, step: int, frac: float, warmup: int) -> float:
    """Linear warm-up over `warmup` steps, then cosine decay to 5% over the time budget (frac 0..1)."""
    return peak * min(1.0, (step + 1) / warmup) * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * frac)))


def latents(files: list[Path], count: int) -> tuple[torch.Tensor, torch.Tensor]:
    """The clean and word-dropped vectors of every sentence of `files` (prepare_codec_data.py)."""

    def load(kind: str) -> torch.Tensor:
        return torch.from_numpy(np.concatenate([np.load(vector_file(f, kind)) for f in files]).astype(np.float32))

    z_clean, z_noisy = load("z_clean"), load("z_noisy")
    if len(z_clean) != count:
        raise SystemExit("data/corpus has more or fewer vectors than sentences: rerun prepare_codec_data.py --force")
    return z_clean, z_noisy


def length_order(
    lengths: list[int], held: int, repeated: range = range(0), times: int = 1, seed: int = 0
) -> torch.Tensor:
    """Training rows (all but the first `held`) sorted by length, the rows in `repeated` drawn `times` times.

    Ties in length are broken at random, so a repeated row lands in other windows than its copies.
    """
    order = [*range(held, len(lengths)), *[i for i in repeated for _ in range(times - 1)]]
    tie = torch.rand(len(order), generator=torch.Generator().manual_seed(seed)).tolist()
    return torch.tensor([order[j] for j in sorted(range(len(order)), key=lambda j: (lengths[order[j]], tie[j]))])


def stored_latents(
    z: tuple[torch.Tensor, torch.Tensor], idx: list[int], noisy: torch.Tensor, sigma: float
) -> torch.Tensor:
    """The rows' clean or word-dropped vectors (`noisy`), perturbed: a batch's latents."""
    return perturb(torch.where(noisy[:, None], z[1][idx], z[0][idx]), sigma)


def fp16(state: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Trained tensors as they ship: fp16, on the CPU."""
    return {k: v.detach().to("cpu", torch.float16).contiguous() for k, v in state.items()}


def add_encoder_options(p: argparse.ArgumentParser) -> None:
    """The options of training MiniLM along (both decoders' scripts)."""
    p.add_argument(
        "--train-encoder", action="store_true", help="train a LoRA adapter of MiniLM too (always, when resuming one)"
    )
    p.add_argument("--encoder-rank", type=int, default=16, help="of a new encoder adapter")
    p.add_argument("--encoder-lr-scale", type=float, default=3.0, help="its learning rate relative to --lr")
    p.add_argument("--tether", type=float, default=5.0, help="weight of 1 - cos(vector, MiniLM's own vector)")


def trainable_encoder(rank: int, resume: Path | None, device: str) -> SentenceEncoder:
    """MiniLM with a LoRA adapter to train: a new one of `rank`, or `resume` (an encoder.safetensors) if it exists."""
    encoder = SentenceEncoder(minilm_path(), bf16=False, device=device)
    for p in encoder.model.parameters():
        p.requires_grad_(False)
    if resume is not None and resume.is_file():
        attach_adapter(encoder.model, load_file(str(resume)))
    else:
        add_lora(encoder_projections(encoder.model), rank)
    encoder.model.to(device)  # new LoRA matrices on the device too; eval mode (no dropout), as at inference
    return encoder


class EncoderInputs:
    """MiniLM's token ids of every line, made once (on the training device), and for each token the
    whitespace-separated word it belongs to: a word-dropped copy (prepare_codec_data.word_dropout,
    which splits on whitespace) is then a mask over the ids, not a sentence tokenized again."""

    def __init__(self, encoder: SentenceEncoder, lines: list[str]) -> None:
        found = encoder.tokenizer(
            lines, truncation=True, max_length=encoder.max_tokens, padding=True, return_offsets_mapping=True
        )
        words = np.full((len(lines), len(found["input_ids"][0])), -1, dtype=np.int16)  # -1: [CLS], [SEP], padding
        for i, (line, offsets) in enumerate(zip(lines, found["offset_mapping"], strict=True)):
            word = -1
            for j, (begin, end) in enumerate(offsets):
                if end > begin:  # a token of the text, not a special one
                    word += begin == 0 or line[begin - 1].isspace()
                    words[i, j] = word
        self.ids = torch.tensor(found["input_ids"], dtype=torch.int32, device=encoder.device)
        self.words = torch.from_numpy(words).to(encoder.device)
        self.most_words = int(words.max()) + 1
        self.pad = encoder.tokenizer.pad_token_id

    def batch(self, idx: list[int], dropped: torch.Tensor, generator: torch.Generator) -> dict[str, torch.Tensor]:
        """The rows' ids and attention mask, the rows where `dropped` each losing WORD_DROP of its
        words at random (all but the first, should all be drawn), the kept tokens closed up."""
        ids, words = self.ids[idx].long(), self.words[idx].long()
        device = ids.device
        drop = torch.rand(len(idx), self.most_words, generator=generator, device=device) < WORD_DROP
        drop &= dropped.to(device)[:, None]
        absent = torch.arange(self.most_words, device=device) > words.max(1, keepdim=True).values
        drop[:, 0] &= ~(drop | absent).all(1)
        keep = (ids != self.pad) & ~((words >= 0) & drop.gather(1, words.clamp(min=0)))
        order = torch.sort((~keep).to(torch.int8), dim=1, stable=True).indices
        ids, keep = ids.gather(1, order), keep.gather(1, order)
        width = int(keep.sum(1).max())
        return {"input_ids": ids[:, :width], "attention_mask": keep[:, :width].long()}


class BatchVectors:
    """Where a batch's vectors come from: MiniLM's stored ones, or an encoder adapter trained along.

    An encoder adapter is trained when args.train_encoder, and always when `resume` (its file)
    exists: a decoder trained on an adapter's vectors would otherwise be taught the other space.
    """

    def __init__(
        self, args: argparse.Namespace, lines: list[str], z: tuple[torch.Tensor, torch.Tensor], resume: Path | None
    ) -> None:
        self.args, self.lines, self.z = args, lines, z
        self.generator = torch.Generator(args.device).manual_seed(args.seed)
        self.autocast = torch.autocast(
            args.device.split(":")[0], torch.bfloat16, enabled=args.device != "cpu" or native_bf16()
        )
        self.encoder = self.inputs = None
        if args.train_encoder or (resume is not None and resume.is_file()):
            self.encoder = trainable_encoder(args.encoder_rank, resume, args.device)
            self.inputs = EncoderInputs(self.encoder, lines)

    def param_groups(self) -> list[dict]:
        """The encoder adapter's optimiser group (learning rate scaled), if it trains."""
        if self.encoder is None:
            return []
        params = [p for p in self.encoder.model.parameters() if p.requires_grad]
        return [{"params": params, "scale": self.args.encoder_lr_scale}]

    def encode(self, batch: dict[str, torch.Tensor]) -> torch.Tensor:
        """The vectors of a tokenized batch from the encoder being trained (with gradients where enabled)."""
        assert self.encoder is not None
        with self.autocast:
            return pooled(self.encoder.model, batch)

    @torch.no_grad()
    def held_out(self, count: int, start: int = 0) -> torch.Tensor:
        """The clean vectors of `count` rows from `start`, unperturbed (for the first rows, the held-out
        ones, prints their cosine to MiniLM's)."""
        if self.encoder is None:
            return self.z[0][start : start + count].to(self.args.device)
        assert self.inputs is not None
        end = start + count
        rows = [list(range(i, min(i + 64, end))) for i in range(start, end, 64)]
        z = torch.cat(
            [self.encode(self.inputs.batch(r, torch.zeros(len(r), dtype=torch.bool), self.generator)) for r in rows]
        )
        if start == 0:
            print(f"held-out cosine to MiniLM's own vectors: {(z.cpu() * self.z[0][:count]).sum(-1).mean():.4f}")
        return z

    def batch(self, idx: list[int], noisy: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """The rows' perturbed vectors, from a word-dropped copy where `noisy`; and the tether loss
        (zero when MiniLM is frozen)."""
        if self.encoder is None:
            return stored_latents(self.z, idx, noisy, self.args.sigma).to(self.args.device), torch.zeros(())
        # The word-dropped copies are drawn afresh; the tether holds the clean rows to MiniLM's vectors,
        # so the features, directions and lexicon of its space still apply.
        assert self.inputs is not None
        fresh = self.encode(self.inputs.batch(idx, noisy, self.generator)).float()
        clean = ~noisy.to(self.args.device)
        cosine = (fresh[clean] * self.z[0][idx].to(self.args.device)[clean]).sum(-1)
        return perturb(fresh, self.args.sigma), self.args.tether * (1 - cosine).sum() / len(idx)

    def save(self, out: Path) -> None:
        """The encoder adapter's LoRA matrices as out/encoder.safetensors, if it trains."""
        if self.encoder is not None:
            lora = {k: v for k, v in self.encoder.model.state_dict().items() if k.endswith((".a", ".b"))}
            save_file(fp16(lora), str(out / ADAPTER_FILE))


def train_for(
    args: argparse.Namespace,
    opt: torch.optim.Optimizer,
    by_length: torch.Tensor,
    batch_loss: Callable[[list[int], torch.Tensor], torch.Tensor],
    held_out_loss: Callable[[], float],
    save_record: Callable[[dict], None],
    warmup: int,
) -> None:
    """The time-budgeted loop both decoders train with.

    A batch is a window of length-sorted sentences (`by_length`: little padding, about half the
    cost per step); `batch_loss(rows, noisy)` gets which rows take the vector of a word-dropped
    copy (args.noisy_share), as in DAAE, and perturbs the latents (`perturb`). A parameter group's
    "scale" sets its learning rate relative to the schedule. Every args.save_every minutes and at
    the end, `save_record` gets the run's record (steps, held-out loss now and at the start, settings).
    """
    settings = {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()}
    start_loss = round(held_out_loss(), 4)
    print(f"held-out loss at the start: {start_loss:.3f}", flush=True)

    def checkpoint(step: int, **extra: int) -> None:
        held = round(held_out_loss(), 4)
        save_record(
            {"steps": step, "held_out_loss": held, "held_out_loss_start": start_loss, "args": settings, **extra}
        )
        print(f"step {step}: held-out loss {held:.3f}, saved", flush=True)

    params = [p for group in opt.param_groups for p in group["params"]]
    start = last_save = time.time()
    step, gen = 0, torch.Generator().manual_seed(args.seed)
    while (frac := (time.time() - start) / (args.minutes * 60)) < 1:
        lr = learning_rate(args.lr, step, frac, warmup)
        for group in opt.param_groups:
            group["lr"] = lr * group.get("scale", 1.0)
        first = int(torch.randint(0, len(by_length) - args.batch, (1,), generator=gen))
        idx = by_length[first : first + args.batch]
        loss = batch_loss(idx.tolist(), torch.rand(args.batch, generator=gen) < args.noisy_share)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        step += 1
        if step % 50 == 0:
            print(f"step {step} {time.time() - start:.0f}s lr {lr:.2e} loss {loss.item():.3f}", flush=True)
        if time.time() - last_save > args.save_every * 60:
            last_save = time.time()
            checkpoint(step)
    checkpoint(step)


def save(model: LatentDecoder, vectors: BatchVectors, meta: dict, history: list[dict], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    save_file(fp16(model.state_dict()), str(out / "decoder.safetensors"))
    vectors.save(out)
    record = {"config": model.cfg.to_dict(), "training": meta, "history": history}
    (out / "decoder.json").write_text(json.dumps(record, indent=2))
    if out != WEIGHTS_DIR:  # a candidate folder is a complete codec: benchmarks load it as it is
        shutil.copyfile(WEIGHTS_DIR / "tokenizer.json", out / "tokenizer.json")


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--minutes", type=float, default=75)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--lr", type=float, default=1.5e-3)
    p.add_argument("--noisy-share", type=float, default=0.3, help="share of latents from word-dropped copies")
    p.add_argument("--sigma", type=float, default=0.3, help="largest Gaussian latent noise (relative norm)")
    p.add_argument("--save-every", type=float, default=10)
    p.add_argument("--layers", type=int, default=4)
    p.add_argument("--width", type=int, default=256)
    p.add_argument("--dropout", type=float, default=0.1, help="the first run, without it, over-fitted")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=0, help="batch order; give a resumed run a new one to see new windows")
    add_encoder_options(p)
    p.add_argument("--resume", action="store_true", help="start from the shipped weights (fresh schedule)")
    p.add_argument("--out", type=Path, default=WEIGHTS_DIR, help="folder to save to (default: the shipped weights)")
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    args = p.parse_args()
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)

    files = [CORPUS / name for name in CORPUS_FILES]
    lines = [line for f in files for line in f.read_text().splitlines()]
    tok = Tokenizer.from_file(str(WEIGHTS_DIR / "tokenizer.json"))
    cfg = DecoderConfig(
        vocab_size=tok.get_vocab_size(), n_layer=args.layers, d_model=args.width, n_head=args.width // 64
    )
    history: list[dict] = []
    if args.resume:
        record = json.loads((WEIGHTS_DIR / "decoder.json").read_text())
        cfg, history = DecoderConfig(**record["config"]), [*record.get("history", []), record["training"]]
    cfg = replace(cfg, dropout=args.dropout)
    rows = tokenize(tok, lines, cfg.max_tokens)

    resumed = WEIGHTS_DIR / ADAPTER_FILE if args.resume else None
    vectors = BatchVectors(args, lines, latents(files, len(rows)), resumed)
    if (args.out / CORRECTOR_FILE).is_file():
        print(f"{CORRECTOR_FILE} there was trained on the old decoder's guesses: rerun train_corrector.py after")
    model = LatentDecoder(cfg)
    if args.resume:
        model.load_state_dict(load_file(str(WEIGHTS_DIR / "decoder.safetensors")))
    model = model.to(args.device)
    groups = [{"params": list(model.parameters())}, *vectors.param_groups()]
    opt = torch.optim.AdamW(groups, lr=args.lr, weight_decay=0.01, betas=(0.9, 0.98), fused=args.device != "cpu")
    n_params = sum(p.numel() for group in groups for p in group["params"])
    print(f"{len(rows)} sentences, {n_params / 1e6:.1f}M trained parameters, {args.minutes} min budget", flush=True)

    tokens = padded(rows).to(args.device)

    def loss_on(start: int) -> float:
        """The token loss on HELD lines from `start`, their clean vectors, dropout off."""
        model.eval()
        with torch.no_grad():
            inputs, targets = batch_of(tokens, torch.arange(start, start + HELD, device=args.device))
            logits = model(vectors.held_out(HELD, start), inputs)
            loss = F.cross_entropy(logits.flatten(0, 1), targets.flatten(), ignore_index=PAD).item()
        model.train()
        return loss

    def batch_loss(idx: list[int], noisy: torch.Tensor) -> torch.Tensor:
        inputs, targets = batch_of(tokens, torch.tensor(idx, device=args.device))
        z, tether = vectors.batch(idx, noisy)
        # bf16 matmuls where the hardware has them (AMX, or a GPU); float32 weights either way.
        with vectors.autocast:
            logits = model(z, inputs)
        return F.cross_entropy(logits.float().flatten(0, 1), targets.flatten(), ignore_index=PAD) + tether

    by_length = length_order([len(r) for r in rows], HELD, seed=args.seed)

    def save_record(record: dict) -> None:
        # The same loss on lines it trains on (train.txt's next HELD): far under the held-out loss, the
        # decoder is learning its text by heart (the sixth run's: 1.40 against 2.03; docs/codec-journal.md).
        seen = round(loss_on(HELD), 4)
        print(f"loss on {HELD} lines it trains on: {seen:.3f}", flush=True)
        save(model, vectors, {**record, "seen_loss": seen, "sentences": len(rows)}, history, args.out)

    train_for(args, opt, by_length, batch_loss, lambda: loss_on(0), save_record, warmup=300)


if __name__ == "__main__":
    main()
