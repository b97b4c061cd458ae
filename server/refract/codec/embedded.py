"""The embedded default codec: MiniLM encoder + small trained LatentDecoder.

Weights: server/refract/codec/weights/{decoder.safetensors, decoder.json, tokenizer.json}, and
where MiniLM was trained along, its adapter encoder.safetensors; made by
training/prepare_codec_data.py and training/train_codec.py.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import torch
from safetensors.torch import load_file
from tokenizers import Tokenizer

from refract.codec.encoder import MiniLMCodec
from refract.codec.model import DecoderConfig, LatentDecoder
from refract.errors import CodecError

WEIGHTS_DIR = Path(__file__).parent / "weights"
SPECIAL_TOKENS = ("<pad>", "<bos>", "<eos>")
PAD, BOS, EOS = range(3)


class EmbeddedCodec(MiniLMCodec):
    name = "embedded"

    def __init__(self, weights: Path = WEIGHTS_DIR, bf16: bool | None = None) -> None:
        """`bf16`: whether the encoder multiplies in bfloat16 (refract.codec.encoder); None: where the CPU has it."""
        files = [weights / f for f in ("decoder.safetensors", "decoder.json", "tokenizer.json")]
        missing = [f.name for f in files if not f.is_file()]
        if missing:
            raise CodecError(f"embedded codec weights missing in {weights}: {', '.join(missing)}")
        super().__init__(bf16, weights)
        self.tokenizer = Tokenizer.from_file(str(files[2]))
        cfg = DecoderConfig(**json.loads(files[1].read_text())["config"])
        self.decoder = LatentDecoder(cfg).eval()
        self.decoder.load_state_dict(load_file(str(files[0])))
        digest = hashlib.sha256(files[0].read_bytes() + files[2].read_bytes()).hexdigest()[:16]
        self.fingerprint = f"embedded-{self.encoder.fingerprint[:8]}{self.encoder.adapter_hash[:8]}-{digest}"

    def _write(self, z: torch.Tensor, temperatures: torch.Tensor, generator: torch.Generator) -> list[str]:
        ids = self.decoder.sample(z, BOS, EOS, self.decoder.cfg.max_tokens, temperatures, 0.9, generator)
        return [self.tokenizer.decode(row).strip() for row in ids]
