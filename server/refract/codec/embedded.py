"""The embedded default codec: MiniLM encoder + small trained LatentDecoder.

Weights: server/refract/codec/weights/{decoder.safetensors, decoder.json, tokenizer.json}, and
where MiniLM was trained along, its adapter encoder.safetensors; made by
training/prepare_codec_data.py and training/train_codec.py. Optional: a corrector
(corrector.safetensors and .json, training/train_corrector.py) that rewrites a guess.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from pathlib import Path

import torch
from safetensors.torch import load_file
from tokenizers import Tokenizer

from refract.codec.encoder import MiniLMCodec
from refract.codec.model import BOS, EOS, DecoderConfig, LatentDecoder
from refract.codec.packed import pack_linears
from refract.codec.sampling import Beams
from refract.errors import CodecError

WEIGHTS_DIR = Path(__file__).parent / "weights"
CORRECTOR_FILE = "corrector.safetensors"


class EmbeddedCodec(MiniLMCodec):
    name = "embedded"

    def __init__(self, weights: Path = WEIGHTS_DIR, bf16: bool | None = None, device: str = "cpu") -> None:
        """`bf16`: whether encoder and decoder multiply in bfloat16 (refract.codec.encoder); None: where
        the CPU has it. `device` "cuda" serves training scripts on a GPU (training/make_guesses.py)."""
        files = [weights / f for f in ("decoder.safetensors", "decoder.json", "tokenizer.json")]
        missing = [f.name for f in files if not f.is_file()]
        if missing:
            raise CodecError(f"embedded codec weights missing in {weights}: {', '.join(missing)}")
        super().__init__(bf16, weights, device)
        self.tokenizer = Tokenizer.from_file(str(files[2]))
        cfg = DecoderConfig(**json.loads(files[1].read_text())["config"])
        state, hashed = load_file(str(files[0])), [files[0], files[2]]
        if (weights / CORRECTOR_FILE).is_file():  # the corrector's parts extend the decoder (LatentDecoder)
            cfg = replace(cfg, reads_draft=True)
            state.update(load_file(str(weights / CORRECTOR_FILE)))
            hashed.append(weights / CORRECTOR_FILE)
        self.decoder = LatentDecoder(cfg).eval()
        try:
            self.decoder.load_state_dict(state)
        except RuntimeError as e:
            raise CodecError(f"the embedded codec's weights in {weights} do not fit together: {e}") from e
        self.decoder.to(device)
        if self.encoder.bf16:
            # Sampling a few rows is bound by reading the weights every step: half the bytes, and on
            # AVX-512 BF16 0.56 -> 0.31 s for 8 candidates with the same greedy chrF (docs/performance.md).
            self.decoder.to(torch.bfloat16)
            if device == "cpu":
                pack_linears(self.decoder)
        digest = hashlib.sha256(b"".join(f.read_bytes() for f in hashed)).hexdigest()[:16]
        self.fingerprint = f"embedded-{self.encoder.fingerprint[:8]}{self.encoder.adapter_hash[:8]}-{digest}"

    @property
    def refines(self) -> bool:
        """Whether a corrector ships with these weights (`refine`): it reads a draft and what the
        draft's vector lacks."""
        return self.decoder.cfg.reads_draft

    @property
    def refine_rounds(self) -> int:
        """Two rewrites by the corrector before the word search: chrF 39.9 -> 41.2 on the dev set's
        roundtrips (docs/codec-journal.md)."""
        return 2 if self.refines else 0

    completes = True
    beam_searches = True

    def _write(
        self,
        z: torch.Tensor,
        temperatures: torch.Tensor,
        generator: torch.Generator,
        draft: str | None = None,
        starts: list[str] | None = None,
        beams: Beams | None = None,
    ) -> list[str]:
        cfg, rows = self.decoder.cfg, None
        prompts = None if starts is None else [self.tokenizer.encode(s).ids[: cfg.max_tokens - 1] for s in starts]
        if draft is not None:
            lacking = z - torch.as_tensor(self.encode([draft]))
            ids = self.tokenizer.encode(draft).ids[: cfg.max_tokens - 1] + [EOS]
            z, rows = torch.cat([z, lacking], dim=1), torch.tensor([ids] * len(z), device=self.encoder.device)
        z = z.to(self.encoder.device, self.decoder.tok.weight.dtype)
        ids = self.decoder.sample(
            z, BOS, EOS, cfg.max_tokens, temperatures, 0.9, generator, draft=rows, prompts=prompts, beams=beams
        )
        return [self.tokenizer.decode(row).strip() for row in ids]
