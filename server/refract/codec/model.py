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

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, t, c = x.shape
        q, k, v = self.qkv(x).split(c, dim=2)
        q, k, v = (h.view(b, t, self.n_head, c // self.n_head).transpose(1, 2) for h in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True, dropout_p=self.dropout if self.training else 0.0)
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

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attn(self.ln1(x))
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
        b, t = tokens.shape
        prefix = self.to_prefix(z).view(b, self.cfg.n_prefix, self.cfg.d_model)
        x = torch.cat([prefix, self.tok(tokens)], dim=1)
        x = x + self.pos(torch.arange(x.shape[1], device=x.device))
        for block in self.blocks:
            x = block(x)
        x = self.ln_f(x[:, self.cfg.n_prefix :])
        return x @ self.tok.weight.T

    @torch.no_grad()
    def sample(
        self,
        z: torch.Tensor,
        bos: int,
        eos: int,
        max_new: int,
        temperature: float,
        top_p: float,
        generator: torch.Generator,
        no_repeat: int = 3,
    ) -> list[list[int]]:
        """Sample one token sequence per latent; temperature 0 means greedy.

        Tokens that would repeat an n-gram (n = no_repeat) or the token just written are banned:
        a small decoder that is unsure otherwise loops ("the new new new ...").
        """
        tokens = torch.full((z.shape[0], 1), bos, dtype=torch.long, device=z.device)
        done = torch.zeros(z.shape[0], dtype=torch.bool, device=z.device)
        for _ in range(min(max_new, self.cfg.max_tokens)):
            nxt = next_tokens(self(z, tokens)[:, -1], tokens.tolist(), temperature, top_p, generator, no_repeat)
            nxt = torch.where(done, torch.full_like(nxt, eos), nxt)
            tokens = torch.cat([tokens, nxt[:, None]], dim=1)
            done |= nxt == eos
            if bool(done.all()):
                break
        out = []
        for row in tokens[:, 1:].tolist():
            out.append(row[: row.index(eos)] if eos in row else row)
        return out


def next_tokens(
    logits: torch.Tensor,
    rows: list[list[int]],
    temperature: float,
    top_p: float,
    generator: torch.Generator,
    no_repeat: int,
) -> torch.Tensor:
    """One next token per row of (B, vocab) logits: greedy at temperature 0, else nucleus sampling,
    never one that repeats an n-gram of its row (see repeated_ngram_tokens)."""
    logits = logits.float().clone()
    for row, banned in enumerate(repeated_ngram_tokens(rows, no_repeat)):
        logits[row, banned] = float("-inf")
    if temperature <= 0:
        return logits.argmax(-1)
    probs = F.softmax(logits / temperature, dim=-1)
    sorted_p, idx = probs.sort(dim=-1, descending=True)
    keep = sorted_p.cumsum(-1) - sorted_p < top_p  # nucleus: smallest set reaching top_p
    sorted_p = sorted_p * keep
    choice = torch.multinomial(sorted_p / sorted_p.sum(-1, keepdim=True), 1, generator=generator)
    return idx.gather(-1, choice).squeeze(-1)


def repeated_ngram_tokens(rows: list[list[int]], n: int) -> list[list[int]]:
    """For each row, the next tokens that would complete an n-gram already in it, or repeat its last token."""
    banned: list[list[int]] = []
    for row in rows:
        if n < 1 or len(row) < n:
            banned.append(row[-1:])
            continue
        prefix = tuple(row[len(row) - n + 1 :]) if n > 1 else ()
        repeats = [row[i + n - 1] for i in range(len(row) - n + 1) if tuple(row[i : i + n - 1]) == prefix]
        banned.append([*repeats, row[-1]])  # a token straight after itself ("new new") is also out
    return banned
