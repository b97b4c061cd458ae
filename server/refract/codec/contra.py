"""Bottleneck T5 ("Contra") by thesephist, loaded from a local folder: text -> unit vector -> text.

Top to bottom:
  text --T5 tokenizer, at most 512 tokens--> ids
  ids --T5 v1.1 encoder (transformers' T5Stack)--> hidden states h_1..h_T
  h --attention pooling (one learned query)--> z, L2-normalised: the embedding, dim = d_model
  [start, t_1, ..] --T5 decoder blocks, each: causal self-attention, gated cross-attention to z,
                     gated-GELU feed-forward--> lm_head --> next-token logits
Gated cross-attention: the decoder attends to z as a one-position memory, and the attention
output is multiplied by 2 * sigmoid(W [x; z]) (x: the decoder's normed states, z broadcast to
every position). The decoder gets z renormalised to unit length.

Loading reads only config.json, *.safetensors and the tokenizer files (tokenizer.json or
spiece.model). It never executes code from the folder (bottleneck_t5.py is ignored) and never
unpickles (pytorch_model.bin is refused, with the one-time conversion to safetensors).

What is verified and what is not: the encoder, decoder blocks and lm_head are transformers' own
T5 modules, so their parameter names are those of any T5 checkpoint (shared.weight,
encoder.block.N..., decoder.block.N..., lm_head.weight). The names of the bottleneck parts (the
pooling query and the gate linears) are a best reading of the public model card and of the
first lines of the reference bottleneck_t5.py (a `BottleneckCrossAttentionGate` whose `gate` is
Linear(2 * d_model, d_model, bias=False)); where they hang in the real state dict is a guess,
and so is the pooling's exact form (the reference's embed() runs the decoder too, which hints
that it may pool inside the decoder). CHECKPOINT_NAMES below is the one place to fix the names;
a checkpoint that does not match fails to load with the missing and unexpected keys listed.
Unlike the reference, which stores a global `perturb_vector` on the model, the latent is passed
explicitly, so decoding is batched and thread-safe. The reference decodes from the text "."
plus (latent - embed(".")); here the decoder gets the latent itself, which is what that sum is.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from safetensors.torch import load_file
from transformers import AutoTokenizer, PreTrainedTokenizerBase, PreTrainedTokenizerFast, T5Config
from transformers.models.t5.modeling_t5 import T5Attention, T5Stack

from refract.codec.sampling import by_row, candidate_temperatures, pick
from refract.errors import CodecError

# Our name for each bottleneck parameter -> the names a checkpoint may store it under, best
# guess first. Our own name is always accepted too; {i} is the decoder layer.
CHECKPOINT_NAMES: dict[str, tuple[str, ...]] = {
    # The pooling query: no public name is known.
    "bottleneck.pool.query": ("bottleneck.pool.query",),
    # The reference's BottleneckCrossAttentionGate.gate, assumed to hang on each decoder
    # layer's cross-attention module.
    "bottleneck.gates.{i}.weight": ("decoder.block.{i}.layer.1.EncDecAttention.gate.gate.weight",),
}
# Other names of the T5 embedding: checkpoints converted from pytorch_model.bin carry all three.
EMBEDDING_ALIASES = ("encoder.embed_tokens.weight", "decoder.embed_tokens.weight")
# Keys a T5 checkpoint may carry that this model does not use (transformers drops it too).
IGNORED_KEYS = ("decoder.block.0.layer.1.EncDecAttention.relative_attention_bias.weight",)
# config.json keys that name code or provenance, not the architecture: never acted on.
NOT_ARCHITECTURE = ("auto_map", "architectures", "_name_or_path", "transformers_version", "torch_dtype")

MAX_INPUT_TOKENS = 512
TOP_P = 0.9
ENCODE_BATCH = 32
SHOWN_KEYS = 10  # missing/unexpected keys listed in a load error


# ---------------------------------------------------------------------------------------------
# The model


class AttentionPool(nn.Module):
    """One learned query attends over the encoder's states; the result is the unit-norm latent."""

    def __init__(self, d_model: int) -> None:
        super().__init__()
        self.query = nn.Parameter(torch.randn(d_model) * d_model**-0.5)

    def forward(self, hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        scores = hidden @ self.query / hidden.shape[-1] ** 0.5  # (B, T), scaled as in dot-product attention
        scores = scores.masked_fill(mask == 0, float("-inf"))
        pooled = torch.einsum("bt,btd->bd", scores.softmax(dim=-1), hidden)
        return F.normalize(pooled, dim=-1)


class Bottleneck(nn.Module):
    """Everything T5 does not have: the pooling and one cross-attention gate per decoder layer."""

    def __init__(self, config: T5Config) -> None:
        super().__init__()
        d = config.d_model
        self.pool = AttentionPool(d)
        self.gates = nn.ModuleList(nn.Linear(2 * d, d, bias=False) for _ in range(config.num_decoder_layers))

    def gate(self, layer: int, x: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        """2 * sigmoid(W [x; z]): x (B, T, d) the decoder's normed states, z (B, d) the latent."""
        return 2 * torch.sigmoid(self.gates[layer](torch.cat([x, z[:, None, :].expand_as(x)], dim=-1)))


def _stack_config(config: T5Config, decoder: bool) -> T5Config:
    cfg = copy.deepcopy(config)
    cfg.is_decoder, cfg.use_cache = decoder, False
    if decoder:
        cfg.num_layers = config.num_decoder_layers
    return cfg


def _heads(x: torch.Tensor, n_heads: int) -> torch.Tensor:
    b, t, _ = x.shape
    return x.view(b, t, n_heads, -1).transpose(1, 2)  # (B, H, T, d_kv)


def _merge(x: torch.Tensor) -> torch.Tensor:
    b, h, t, d = x.shape
    return x.transpose(1, 2).reshape(b, t, h * d)


def _attend(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, bias: torch.Tensor | None = None) -> torch.Tensor:
    # T5 does not scale q.k by 1/sqrt(d_kv): the scale is folded into the initialisation.
    scores = q @ k.transpose(-1, -2)
    if bias is not None:
        scores = scores + bias
    return scores.softmax(dim=-1) @ v


KVCache = list[tuple[torch.Tensor, torch.Tensor]]


class ContraModel(nn.Module):
    """Bottleneck T5: T5 encoder + attention pooling + T5 decoder with gated cross-attention."""

    def __init__(self, config: T5Config, tie_head: bool = False) -> None:
        super().__init__()
        # Original T5 shares lm_head with the embedding and rescales its input; T5 v1.1 and Contra do
        # not. Kept apart from the config: transformers 5 forces config.tie_word_embeddings to True.
        self.config, self.tie_head = config, tie_head
        self.shared = nn.Embedding(config.vocab_size, config.d_model)
        self.encoder = T5Stack(_stack_config(config, decoder=False))
        self.decoder = T5Stack(_stack_config(config, decoder=True))  # its blocks; the forward is ours
        self.encoder.embed_tokens = self.decoder.embed_tokens = self.shared
        self.lm_head = nn.Linear(config.d_model, config.vocab_size, bias=False)
        self.bottleneck = Bottleneck(config)
        self.tie_weights()

    def tie_weights(self) -> None:
        """Share lm_head with the embedding for original-T5 checkpoints."""
        if self.tie_head:
            self.lm_head.weight = self.shared.weight

    def encode(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """(B, T) token ids and attention mask -> (B, d_model) unit-norm latents."""
        hidden = self.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
        return self.bottleneck.pool(hidden, mask)

    def _position_bias(self, position: int) -> torch.Tensor:
        """Relative-position bias of the query at `position` over keys 0..position: (1, H, 1, position + 1)."""
        attn = self.decoder.block[0].layer[0].SelfAttention  # T5 learns it in the first layer only
        relative = torch.arange(position + 1) - position
        buckets = T5Attention._relative_position_bucket(
            relative,
            bidirectional=False,
            num_buckets=self.config.relative_attention_num_buckets,
            max_distance=self.config.relative_attention_max_distance,
        )
        return attn.relative_attention_bias(buckets).T[None, :, None, :]

    def _self_attention(
        self, a: T5Attention, x: torch.Tensor, past: tuple[torch.Tensor, torch.Tensor] | None, bias: torch.Tensor
    ) -> tuple[torch.Tensor, tuple[torch.Tensor, torch.Tensor]]:
        """Causal self-attention of the newest position over all so far; `past` holds earlier keys and values."""
        n = self.config.num_heads
        k, v = _heads(a.k(x), n), _heads(a.v(x), n)
        if past is not None:
            k, v = torch.cat([past[0], k], dim=2), torch.cat([past[1], v], dim=2)
        return a.o(_merge(_attend(_heads(a.q(x), n), k, v, bias))), (k, v)

    def _cross_attention(self, a: T5Attention, x: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        """Attention over the latent as a memory of one position (its softmax weight is 1)."""
        n, memory = self.config.num_heads, z[:, None, :]
        return a.o(_merge(_attend(_heads(a.q(x), n), _heads(a.k(memory), n), _heads(a.v(memory), n))))

    def step(self, token: torch.Tensor, z: torch.Tensor, cache: KVCache, position: int) -> tuple[torch.Tensor, KVCache]:
        """One decoder step: token (B,) at `position`, latent z (B, d) -> next-token logits (B, V)."""
        bias = self._position_bias(position)
        h = self.shared(token[:, None])
        new_cache: KVCache = []
        for i, block in enumerate(self.decoder.block):
            self_attn, cross_attn, feed_forward = block.layer
            out, kv = self._self_attention(
                self_attn.SelfAttention, self_attn.layer_norm(h), cache[i] if cache else None, bias
            )
            h = h + out
            new_cache.append(kv)
            x = cross_attn.layer_norm(h)
            h = h + self._cross_attention(cross_attn.EncDecAttention, x, z) * self.bottleneck.gate(i, x, z)
            h = feed_forward(h)  # T5LayerFF: norm, gated GELU, residual
        h = self.decoder.final_layer_norm(h)
        if self.tie_head:
            h = h * self.config.d_model**-0.5  # as transformers' T5 does for tied heads
        return self.lm_head(h)[:, 0], new_cache

    def generate(
        self, z: torch.Tensor, max_new_tokens: int, temperatures: torch.Tensor, generator: torch.Generator
    ) -> torch.Tensor:
        """Token ids (B, <= max_new_tokens) decoded from latents z (B, d), each row at its temperature
        (0: greedy); rows end at EOS, then pad."""
        eos, pad = self.config.eos_token_id, self.config.pad_token_id
        token = torch.full((z.shape[0],), self.config.decoder_start_token_id, dtype=torch.long)
        done = torch.zeros(z.shape[0], dtype=torch.bool)
        cache: KVCache = []
        out = []
        for position in range(max_new_tokens):
            logits, cache = self.step(token, z, cache, position)
            token = torch.where(done, pad, pick(logits, temperatures, TOP_P, generator))
            out.append(token)
            done |= token == eos
            if bool(done.all()):
                break
        return torch.stack(out, dim=1) if out else torch.zeros((z.shape[0], 0), dtype=torch.long)


# ---------------------------------------------------------------------------------------------
# Checkpoint names: the one table above, applied both ways


def _candidates(ours: str) -> list[str]:
    """The checkpoint names that may hold our parameter `ours`, best guess first, ours last."""
    for pattern, names in CHECKPOINT_NAMES.items():
        match = re.fullmatch(re.escape(pattern).replace(r"\{i\}", r"(?P<i>\d+)"), ours)
        if match:
            found = [name.format(**match.groupdict()) for name in names]
            return [*found, *([ours] if ours not in found else [])]
    return [ours, *EMBEDDING_ALIASES] if ours == "shared.weight" else [ours]


def export_state_dict(model: ContraModel) -> dict[str, torch.Tensor]:
    """The model's weights under the checkpoint names (best guesses), each tensor once."""
    return {_candidates(name)[0]: p.detach().contiguous() for name, p in model.named_parameters()}


def _match(
    model: ContraModel, tensors: dict[str, torch.Tensor]
) -> tuple[dict[str, torch.Tensor], list[str], list[str]]:
    """(weights under our names, missing checkpoint names, unexpected checkpoint keys)."""
    wanted = dict(model.named_parameters())  # each tensor once: tied copies come after
    tied = set(model.state_dict(keep_vars=True)) - set(wanted)  # e.g. encoder.embed_tokens.weight
    ours: dict[str, torch.Tensor] = {}
    used: set[str] = set()
    missing = []
    for name in wanted:
        found = next((c for c in _candidates(name) if c in tensors), None)
        if found is None:
            missing.append(_candidates(name)[0])
        else:
            ours[name] = tensors[found]
            used.add(found)
    unexpected = [k for k in tensors if k not in used and k not in tied and k not in IGNORED_KEYS]
    return ours, missing, unexpected


def _listing(keys: list[str]) -> str:
    more = f" (+{len(keys) - SHOWN_KEYS} more)" if len(keys) > SHOWN_KEYS else ""
    return ", ".join(keys[:SHOWN_KEYS]) + more


def load_weights(model: ContraModel, tensors: dict[str, torch.Tensor], where: str) -> None:
    """Load the checkpoint's tensors into the model, or fail naming every key that does not fit."""
    ours, missing, unexpected = _match(model, tensors)
    params = dict(model.named_parameters())
    wrong = [
        f"{k} {tuple(t.shape)} (expected {tuple(params[k].shape)})"
        for k, t in ours.items()
        if t.shape != params[k].shape
    ]
    if missing or unexpected or wrong:
        lines = [f"the weights in {where} do not fit the Bottleneck T5 layout Refract expects"]
        lines += [f"missing ({len(missing)}): {_listing(missing)}"] if missing else []
        lines += [f"unexpected ({len(unexpected)}): {_listing(unexpected)}"] if unexpected else []
        lines += [f"wrong shape ({len(wrong)}): {_listing(wrong)}"] if wrong else []
        lines += ["The bottleneck names are a best guess: map them in CHECKPOINT_NAMES (refract/codec/contra.py)."]
        raise CodecError("\n".join(lines))
    model.load_state_dict({k: t.float() for k, t in ours.items()}, strict=False, assign=True)
    model.tie_weights()  # assign=True replaced the embedding's Parameter; re-share it with lm_head


# ---------------------------------------------------------------------------------------------
# The folder


@dataclass(frozen=True)
class CheckpointFiles:
    config: Path
    weights: list[Path]


def conversion_snippet(bins: list[Path]) -> str:
    """The lines that turn pytorch_model*.bin into *.safetensors once, loading the pickle as weights only."""
    lines = ["import torch, safetensors.torch"]
    for path in bins:
        out = path.with_name(path.name.replace("pytorch_model", "model", 1).removesuffix(".bin") + ".safetensors")
        lines.append(f'sd = torch.load({str(path)!r}, map_location="cpu", weights_only=True)')
        # clone: tied tensors share storage in the pickle, and save_file refuses shared tensors
        lines.append(f"safetensors.torch.save_file({{k: v.contiguous().clone() for k, v in sd.items()}}, {str(out)!r})")
    return "\n".join(lines)


def find_files(folder: Path) -> CheckpointFiles:
    """config.json and the *.safetensors of a checkpoint folder, or a CodecError saying what is wrong."""
    if not folder.is_dir():
        raise CodecError(f"contra checkpoint folder {folder} does not exist (see docs/contra.md)")
    config = folder / "config.json"
    if not config.is_file():
        raise CodecError(f"{folder} has no config.json; is it a Bottleneck T5 checkpoint folder?")
    weights = sorted(folder.glob("*.safetensors"))
    if weights:
        return CheckpointFiles(config, weights)
    bins = sorted(folder.glob("pytorch_model*.bin"))
    if bins:
        raise CodecError(
            f"{folder} has only {', '.join(b.name for b in bins)}, a pickle Refract does not load. "
            f"Convert it once to safetensors with Python, then load the folder again:\n{conversion_snippet(bins)}"
        )
    raise CodecError(f"{folder} has no weights (*.safetensors)")


def read_config(path: Path) -> tuple[T5Config, bool]:
    """(T5 settings, whether lm_head is tied) from config.json; auto_map (remote code) and the like are dropped."""
    try:
        raw = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise CodecError(f"cannot read {path}: {exc}") from None
    need = [
        k for k in ("d_model", "num_layers", "num_heads", "vocab_size") if not isinstance(raw, dict) or k not in raw
    ]
    if need:
        raise CodecError(f"{path} is not a T5 config: no {', '.join(need)}")
    try:
        config = T5Config(**{k: v for k, v in raw.items() if k not in NOT_ARCHITECTURE})
    except (TypeError, ValueError) as exc:  # transformers validates the values
        raise CodecError(f"{path} is not a usable T5 config: {exc}") from None
    # T5 starts decoding from the pad token; newer transformers no longer default this field
    config.decoder_start_token_id = raw.get("decoder_start_token_id", config.pad_token_id)
    return config, raw.get("tie_word_embeddings", True) is not False


def load_tokenizer(folder: Path) -> PreTrainedTokenizerBase:
    """tokenizer.json (fast, no extra dependency) or spiece.model, from the folder only; never remote code."""
    try:
        if (folder / "tokenizer.json").is_file():
            return PreTrainedTokenizerFast(tokenizer_file=str(folder / "tokenizer.json"))
        if (folder / "spiece.model").is_file():
            return AutoTokenizer.from_pretrained(str(folder), local_files_only=True, trust_remote_code=False)
    except Exception as exc:  # the tokenizer libraries raise many types; the writer needs one message
        raise CodecError(
            f"cannot load the tokenizer in {folder}: {exc}. Install sentencepiece, or write a tokenizer.json "
            "into the folder once (docs/contra.md)"
        ) from None
    raise CodecError(f"{folder} has no tokenizer (tokenizer.json or spiece.model)")


def digest(paths: list[Path]) -> str:
    """sha256 of the files, read in chunks: an XL checkpoint is 11 GB."""
    h = hashlib.sha256()
    for path in paths:
        with path.open("rb") as f:
            while chunk := f.read(1 << 20):
                h.update(chunk)
    return h.hexdigest()[:16]


def load_model(files: CheckpointFiles, config: T5Config, tie_head: bool) -> ContraModel:
    """Build the model without initialising it (meta device) and fill it from the safetensors."""
    with torch.device("meta"):
        model = ContraModel(config, tie_head)
    tensors: dict[str, torch.Tensor] = {}
    for path in files.weights:
        try:
            tensors.update(load_file(str(path)))
        except Exception as exc:  # safetensors raises its own error type for a damaged file
            raise CodecError(f"cannot read {path}: {exc}") from None
    load_weights(model, tensors, str(files.config.parent))
    return model.eval()


# ---------------------------------------------------------------------------------------------
# The codec


class ContraCodec:
    name = "contra"

    def __init__(self, folder: Path, max_new_tokens: int = 64) -> None:
        files = find_files(folder)
        config, tie_head = read_config(files.config)
        self.tokenizer = load_tokenizer(folder)
        self.model = load_model(files, config, tie_head)
        self.config, self.max_new_tokens = config, max_new_tokens
        self.dim = config.d_model
        weights_digest = digest([files.config, *files.weights])
        self.space = f"contra-{weights_digest[:8]}"  # its own space: patches made for other models are refused
        self.fingerprint = f"contra-{weights_digest}"
        # The fast tokenizer is not safe to call from two threads; transformers' encoder forward is
        # not ours to audit. The decoder forward (ours) keeps no state, so decodes run side by side.
        self._tokenizer_lock, self._encode_lock = threading.Lock(), threading.Lock()

    def _ids(self, texts: list[str]) -> list[list[int]]:
        """Token ids of each text, cut to 512 tokens, ending with EOS as the model was trained."""
        eos = self.config.eos_token_id
        with self._tokenizer_lock:
            rows = self.tokenizer(texts, add_special_tokens=True)["input_ids"]
        rows = [row[:-1] if row and row[-1] == eos else row for row in rows]
        return [row[: MAX_INPUT_TOKENS - 1] + [eos] for row in rows]

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        rows = self._ids(texts)
        out = np.zeros((len(rows), self.dim), dtype=np.float32)
        order = sorted(range(len(rows)), key=lambda i: len(rows[i]))  # similar lengths share a batch: less padding
        for start in range(0, len(order), ENCODE_BATCH):
            batch = order[start : start + ENCODE_BATCH]
            width = max(len(rows[i]) for i in batch)
            ids = torch.full((len(batch), width), self.config.pad_token_id, dtype=torch.long)
            mask = torch.zeros((len(batch), width), dtype=torch.long)
            for j, i in enumerate(batch):
                ids[j, : len(rows[i])], mask[j, : len(rows[i])] = torch.tensor(rows[i]), 1
            with self._encode_lock, torch.inference_mode():
                out[batch] = self.model.encode(ids, mask).float().numpy()
        return out

    def decode(
        self, vectors: np.ndarray, n: int = 1, temperature: float = 0.0, seed: int = 0, beams: int = 0
    ) -> list[list[str]]:
        if beams:
            raise CodecError("a Contra checkpoint's decoder cannot beam-search here")
        vectors = np.atleast_2d(np.asarray(vectors, dtype=np.float32))
        if vectors.shape[-1] != self.dim:
            raise CodecError(f"vectors of dimension {vectors.shape[-1]} given to a {self.dim}-dimensional model")
        z = F.normalize(torch.tensor(vectors), dim=-1)
        per_row, temperatures = candidate_temperatures(len(z), n, temperature)
        generator = torch.Generator().manual_seed(seed)  # per call: no state shared between threads
        with torch.inference_mode():
            ids = self.model.generate(z.repeat_interleave(per_row, dim=0), self.max_new_tokens, temperatures, generator)
        texts = [self._text(row) for row in ids.tolist()]
        return by_row(texts, per_row, n)

    refines, refine_rounds, completes, beam_searches = False, 0, False, False

    def refine(self, vector: np.ndarray, draft: str, n: int = 4, temperature: float = 0.7, seed: int = 0) -> list[str]:
        raise CodecError("Bottleneck T5 checkpoints have no corrector to rewrite drafts")

    def complete(self, vector: np.ndarray, starts: list[str], seed: int = 0) -> list[str]:
        raise CodecError("Refract does not continue given starts of sentences with Bottleneck T5 checkpoints")

    def _text(self, ids: list[int]) -> str:
        eos, pad = self.config.eos_token_id, self.config.pad_token_id
        ids = ids[: ids.index(eos)] if eos in ids else ids
        with self._tokenizer_lock:
            return self.tokenizer.decode([i for i in ids if i != pad], skip_special_tokens=True).strip()
