"""The embedded default codec: frozen MiniLM encoder + small trained LatentDecoder.

Weights: server/refract/codec/weights/{decoder.safetensors, decoder.json, tokenizer.json},
made by training/prepare_codec_data.py and training/train_codec.py.
"""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import load_file
from tokenizers import Tokenizer

from refract.codec.encoder import SentenceEncoder, minilm_path
from refract.codec.model import DecoderConfig, LatentDecoder
from refract.errors import CodecError

WEIGHTS_DIR = Path(__file__).parent / "weights"
SPECIAL_TOKENS = ("<pad>", "<bos>", "<eos>")
PAD, BOS, EOS = range(3)


class EmbeddedCodec:
    name = "embedded"

    def __init__(self, weights: Path = WEIGHTS_DIR, bf16: bool | None = None) -> None:
        """`bf16`: whether the encoder multiplies in bfloat16 (refract.codec.encoder); None: where the CPU has it."""
        files = [weights / f for f in ("decoder.safetensors", "decoder.json", "tokenizer.json")]
        missing = [f.name for f in files if not f.is_file()]
        if missing:
            raise CodecError(f"embedded codec weights missing in {weights}: {', '.join(missing)}")
        self.encoder = SentenceEncoder(minilm_path(), bf16)
        self.tokenizer = Tokenizer.from_file(str(files[2]))
        cfg = DecoderConfig(**json.loads(files[1].read_text())["config"])
        self.decoder = LatentDecoder(cfg).eval()
        self.decoder.load_state_dict(load_file(str(files[0])))
        self.dim = self.encoder.dim
        digest = hashlib.sha256(files[0].read_bytes() + files[2].read_bytes()).hexdigest()[:16]
        self.space = f"minilm-{self.encoder.fingerprint[:8]}"
        self.fingerprint = f"embedded-{self.encoder.fingerprint[:8]}-{digest}"
        # Encoder and decoder are separate modules: a hover's encode need not wait for a rewrite's decode.
        self._encode_lock, self._decode_lock = threading.Lock(), threading.Lock()

    def encode(self, texts: list[str]) -> np.ndarray:
        with self._encode_lock:
            return self.encoder.encode(texts).numpy().astype(np.float32)

    def decode(self, vectors: np.ndarray, n: int = 1, temperature: float = 0.0, seed: int = 0) -> list[list[str]]:
        z = torch.as_tensor(np.asarray(vectors, dtype=np.float32))
        z = torch.nn.functional.normalize(z, dim=-1).repeat_interleave(n, dim=0)
        generator = torch.Generator().manual_seed(seed)
        with self._decode_lock, torch.inference_mode():
            ids = self.decoder.sample(z, BOS, EOS, self.decoder.cfg.max_tokens, temperature, 0.9, generator)
        texts = [self.tokenizer.decode(row).strip() for row in ids]
        return [texts[i : i + n] for i in range(0, len(texts), n)]
