"""The embedded decoder: a small GPT that writes text from one sentence embedding.

Top to bottom:
  latent z (unit-norm, dim = encoder's)  --Linear-->  K prefix vectors of width d
  [prefix_1..prefix_K, BOS, t_1, ..., t_n]  -> token + position embeddings
  L x Block(causal self-attention, MLP), pre-LayerNorm
  LayerNorm -> tied output projection -> next-token logits
The prefix is the only path from the embedding to the text, so whatever the decoder writes
comes from the vector: the source text never reaches it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F

from refract.codec.sampling import next_tokens


@dataclass(frozen=True)
class DecoderConfig:
    vocab_size: int = 8192
    latent_dim: int = 384
    n_prefix: int = 8
    n_layer: int = 4
    n_head: int = 4
    d_model: int = 256
    max_tokens: int = 64
    dropout: float = 0.0

    def to_dict(self) -> dict[str, int | float]:
        return asdict(self)


class SelfAttention(nn.Module):
    def __init__(self, cfg: DecoderConfig) -> None:
        super().__init__()
        self.n_head = cfg.n_head
        self.qkv = nn.Linear(cfg.d_model, 3 * cfg.d_model)
        self.proj = nn.Linear(cfg.d_model, cfg.d_model)
        self.dropout = cfg.dropout

    def forward(self, x: torch.Tensor, cache: list[torch.Tensor] | None = None) -> torch.Tensor:
        """`cache` (when decoding): this layer's keys and values so far, extended in place. Only the
        first call may pass several positions; later calls pass one, which sees every cached key."""
        b, t, c = x.shape
        q, k, v = self.qkv(x).split(c, dim=2)
        q, k, v = (h.view(b, t, self.n_head, c // self.n_head).transpose(1, 2) for h in (q, k, v))
        causal = True
        if cache is not None:
            if cache:
                k, v, causal = torch.cat([cache[0], k], dim=2), torch.cat([cache[1], v], dim=2), False
            cache[:] = [k, v]
        y = F.scaled_dot_product_attention(q, k, v, is_causal=causal, dropout_p=self.dropout if self.training else 0.0)
        return self.proj(y.transpose(1, 2).reshape(b, t, c))


class Block(nn.Module):
    def __init__(self, cfg: DecoderConfig) -> None:
        super().__init__()
        self.ln1 = nn.LayerNorm(cfg.d_model)
        self.attn = SelfAttention(cfg)
        self.ln2 = nn.LayerNorm(cfg.d_model)
        self.mlp = nn.Sequential(
            nn.Linear(cfg.d_model, 4 * cfg.d_model),
            nn.GELU(),
            nn.Linear(4 * cfg.d_model, cfg.d_model),
            nn.Dropout(cfg.dropout),
        )

    def forward(self, x: torch.Tensor, cache: list[torch.Tensor] | None = None) -> torch.Tensor:
        x = x + self.attn(self.ln1(x), cache)
        return x + self.mlp(self.ln2(x))


class LatentDecoder(nn.Module):
    def __init__(self, cfg: DecoderConfig) -> None:
        super().__init__()
        self.cfg = cfg
        self.to_prefix = nn.Sequential(
            nn.Linear(cfg.latent_dim, 2 * cfg.d_model),
            nn.GELU(),
            nn.Linear(2 * cfg.d_model, cfg.n_prefix * cfg.d_model),
        )
        self.tok = nn.Embedding(cfg.vocab_size, cfg.d_model)
        self.pos = nn.Embedding(cfg.n_prefix + cfg.max_tokens + 1, cfg.d_model)
        self.blocks = nn.ModuleList(Block(cfg) for _ in range(cfg.n_layer))
        self.ln_f = nn.LayerNorm(cfg.d_model)
        self.apply(self._init)

    @staticmethod
    def _init(m: nn.Module) -> None:
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, std=0.02)
        if isinstance(m, nn.Linear) and m.bias is not None:
            nn.init.zeros_(m.bias)

    def forward(self, z: torch.Tensor, tokens: torch.Tensor) -> torch.Tensor:
        """Logits for every token position given latents (B, latent_dim) and tokens (B, T) starting with BOS."""
        x = self._run(self._start(z, tokens), 0, None)
        return self.ln_f(x[:, self.cfg.n_prefix :]) @ self.tok.weight.T

    def _start(self, z: torch.Tensor, tokens: torch.Tensor) -> torch.Tensor:
        prefix = self.to_prefix(z).view(z.shape[0], self.cfg.n_prefix, self.cfg.d_model)
        return torch.cat([prefix, self.tok(tokens)], dim=1)

    def _run(self, x: torch.Tensor, start: int, caches: list[list[torch.Tensor]] | None) -> torch.Tensor:
        """The blocks over embeddings x (B, t, d) at positions start.. (caches: one per block, or None)."""
        x = x + self.pos(torch.arange(start, start + x.shape[1], device=x.device))
        for i, block in enumerate(self.blocks):
            x = block(x, None if caches is None else caches[i])
        return x

    @torch.no_grad()
    def sample(
        self,
        z: torch.Tensor,
        bos: int,
        eos: int,
        max_new: int,
        temperatures: torch.Tensor,
        top_p: float,
        generator: torch.Generator,
        no_repeat: int = 3,
    ) -> list[list[int]]:
        """One token sequence per latent, at its row's temperature (0: greedy); no repeated n-grams."""
        tokens = torch.full((z.shape[0], 1), bos, dtype=torch.long, device=z.device)
        done = torch.zeros(z.shape[0], dtype=torch.bool, device=z.device)
        # Keys and values are kept, so each step runs the blocks over one new position only.
        caches: list[list[torch.Tensor]] = [[] for _ in self.blocks]
        x = self._run(self._start(z, tokens), 0, caches)
        for step in range(min(max_new, self.cfg.max_tokens)):
            logits = self.ln_f(x[:, -1]) @ self.tok.weight.T
            nxt = next_tokens(logits, tokens.tolist(), temperatures, top_p, generator, no_repeat)
            nxt = torch.where(done, torch.full_like(nxt, eos), nxt)
            tokens = torch.cat([tokens, nxt[:, None]], dim=1)
            done |= nxt == eos
            if bool(done.all()) or step + 1 == min(max_new, self.cfg.max_tokens):
                break
            x = self._run(self.tok(nxt[:, None]), self.cfg.n_prefix + tokens.shape[1] - 1, caches)
        out = []
        for row in tokens[:, 1:].tolist():
            out.append(row[: row.index(eos)] if eos in row else row)
        return out
