"""The embedded decoder: a small GPT that writes text from one sentence embedding.

Top to bottom:
  latent z (unit-norm, dim = encoder's)  --Linear-->  K prefix vectors of width d
  [prefix_1..prefix_K, BOS, t_1, ..., t_n]  -> token + position embeddings
  L x Block(causal self-attention, MLP), pre-LayerNorm
  LayerNorm -> tied output projection -> next-token logits
The prefix is the only path from the embedding to the text, so whatever the decoder writes
comes from the vector: the source text never reaches it.

A corrector (cfg.reads_draft) is the same decoder plus what lets it rewrite a draft, its own
earlier guess: the prefix MLP also reads what the draft's vector v lacks (z - v), and each block
attends, through a gate, to the draft's tokens between its self-attention and its MLP. Both
start at zero, so an untrained corrector writes what its decoder writes.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F

from refract.codec.sampling import Beams, next_tokens

SPECIAL_TOKENS = ("<pad>", "<bos>", "<eos>")
PAD, BOS, EOS = range(3)  # their ids: the tokenizer is trained with them first
Read = tuple[torch.Tensor, torch.Tensor, torch.Tensor]  # a draft's keys, values and attention mask


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
    reads_draft: bool = False  # a corrector: reads a guess and what its vector lacks (refract.codec.embedded)

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


class DraftAttention(nn.Module):
    """A corrector's gated cross-attention from the text to the draft's tokens. The gate starts
    at zero, so a corrector copied from a trained decoder writes what the decoder writes and
    learns how much to read (as Bottleneck T5 and Flamingo gate theirs)."""

    def __init__(self, cfg: DecoderConfig) -> None:
        super().__init__()
        self.n_head = cfg.n_head
        self.ln = nn.LayerNorm(cfg.d_model)
        self.q = nn.Linear(cfg.d_model, cfg.d_model)
        self.kv = nn.Linear(cfg.d_model, 2 * cfg.d_model)
        self.proj = nn.Linear(cfg.d_model, cfg.d_model)
        self.gate = nn.Parameter(torch.zeros(1))

    def keys(self, draft: torch.Tensor, keep: torch.Tensor) -> Read:
        """Keys and values of the draft's embeddings (B, m, d), and which of them are not PAD (B, m):
        made once per draft, so each sampling step only asks its query."""
        b, m, c = draft.shape
        k, v = (h.view(b, m, self.n_head, -1).transpose(1, 2) for h in self.kv(draft).split(c, dim=2))
        return k, v, keep[:, None, None, :]

    def forward(self, x: torch.Tensor, read: Read) -> torch.Tensor:
        """x (B, t, d) attends to the draft (`keys`)."""
        b, t, c = x.shape
        q = self.q(self.ln(x)).view(b, t, self.n_head, -1).transpose(1, 2)
        y = F.scaled_dot_product_attention(q, read[0], read[1], attn_mask=read[2])
        return torch.tanh(self.gate) * self.proj(y.transpose(1, 2).reshape(b, t, c))


class Block(nn.Module):
    def __init__(self, cfg: DecoderConfig) -> None:
        super().__init__()
        self.ln1 = nn.LayerNorm(cfg.d_model)
        self.attn = SelfAttention(cfg)
        self.read = DraftAttention(cfg) if cfg.reads_draft else None
        self.ln2 = nn.LayerNorm(cfg.d_model)
        self.mlp = nn.Sequential(
            nn.Linear(cfg.d_model, 4 * cfg.d_model),
            nn.GELU(),
            nn.Linear(4 * cfg.d_model, cfg.d_model),
            nn.Dropout(cfg.dropout),
        )

    def forward(
        self,
        x: torch.Tensor,
        cache: list[torch.Tensor] | None = None,
        draft: Read | None = None,
    ) -> torch.Tensor:
        x = x + self.attn(self.ln1(x), cache)
        if self.read is not None and draft is not None:
            x = x + self.read(x, draft)
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
        if cfg.reads_draft:
            self.draft_pos = nn.Embedding(cfg.max_tokens, cfg.d_model)
            self.from_lacking = nn.Linear(cfg.latent_dim, 2 * cfg.d_model, bias=False)
        self.apply(self._init)
        if cfg.reads_draft:  # zero, as the gates: a corrector starts as the decoder it extends
            nn.init.zeros_(self.from_lacking.weight)

    @staticmethod
    def _init(m: nn.Module) -> None:
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, std=0.02)
        if isinstance(m, nn.Linear) and m.bias is not None:
            nn.init.zeros_(m.bias)

    def forward(self, z: torch.Tensor, tokens: torch.Tensor, draft: torch.Tensor | None = None) -> torch.Tensor:
        """Logits for every token position given latents (B, latent_dim) and tokens (B, T) starting with BOS.

        A corrector (cfg.reads_draft) also reads a draft (B, m): a guess's tokens, EOS, then PAD;
        its latent (B, 2 x latent_dim) is [target, what the draft lacks: target - the draft's vector].
        """
        x = self._run(self._start(z, tokens), None, self._read(draft))
        return self.ln_f(x[:, self.cfg.n_prefix :]) @ self.tok.weight.T

    def _start(self, z: torch.Tensor, tokens: torch.Tensor) -> torch.Tensor:
        hidden = self.to_prefix[0](z[:, : self.cfg.latent_dim])  # to_prefix: Linear, GELU, Linear
        if z.shape[1] > self.cfg.latent_dim:
            hidden = hidden + self.from_lacking(z[:, self.cfg.latent_dim :])
        prefix = self.to_prefix[2](self.to_prefix[1](hidden)).view(z.shape[0], self.cfg.n_prefix, self.cfg.d_model)
        x = torch.cat([prefix, self.tok(tokens)], dim=1)
        return x + self.pos.weight[: x.shape[1]]

    def _read(self, draft: torch.Tensor | None) -> list[Read | None]:
        """Per block, the keys and values of a draft's tokens (embedded with their positions)."""
        if draft is None:
            return [None] * len(self.blocks)
        embedded = self.tok(draft) + self.draft_pos.weight[: draft.shape[1]]
        return [block.read.keys(embedded, draft != PAD) for block in self.blocks]

    def _run(self, x: torch.Tensor, caches: list[list[torch.Tensor]] | None, reads: list[Read | None]) -> torch.Tensor:
        """The blocks over embeddings x (B, t, d) (caches: one per block while sampling, or None)."""
        for i, block in enumerate(self.blocks):
            x = block(x, None if caches is None else caches[i], reads[i])
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
        draft: torch.Tensor | None = None,
        prompts: list[list[int]] | None = None,
        beams: Beams | None = None,
    ) -> list[list[int]]:
        """One token sequence per latent, at its row's temperature (0: greedy); no repeated n-grams.
        `draft`: a corrector's drafts, as in forward. `prompts`: tokens each row starts with, written
        as given (the rows' lengths may differ), then continued; they are part of the sequence.
        `beams`: latents to beam-search in the same batch, whose sequences follow the sampled ones
        (`Beams.width` per latent, likeliest first)."""
        n = z.shape[0]
        if beams is not None and (prompts is not None or draft is not None):
            raise ValueError("beams are searched beside plain sampling only, without prompts or a draft")
        if beams is not None:
            z = torch.cat([z, beams.rows().to(z.device, z.dtype)])
        # The prompts' first `head` tokens, which every row has, are read in one pass, not step by step.
        head = min(len(p) for p in prompts) if prompts else 0
        first = [[bos] + p[:head] for p in prompts] if prompts else [[bos]] * z.shape[0]
        tokens = torch.tensor(first, dtype=torch.long, device=z.device)
        done = torch.zeros(z.shape[0], dtype=torch.bool, device=z.device)
        # Keys and values are kept, so each step runs the blocks over one new position only.
        caches: list[list[torch.Tensor]] = [[] for _ in self.blocks]
        reads = self._read(draft)
        x = self._run(self._start(z, tokens), caches, reads)
        for step in range(head, min(max_new, self.cfg.max_tokens)):
            logits = self.ln_f(x[:, -1]) @ self.tok.weight.T
            nxt = next_tokens(logits[:n], tokens[:n].tolist(), temperatures, top_p, generator, no_repeat)
            if prompts is not None:
                nxt = _prompted(nxt, prompts, step)
            nxt = torch.where(done[:n], torch.full_like(nxt, eos), nxt)
            if beams is not None:
                source, chosen = beams.step(logits[n:], tokens[n:].tolist(), eos, no_repeat)
                order = torch.cat([torch.arange(n), n + source]).to(z.device)
                tokens = tokens[order]
                for cache in caches:
                    cache[:] = [kv[order] for kv in cache]
                nxt = torch.cat([nxt, chosen.to(nxt.device)])
                done[n:] = beams.finished_rows().to(done.device)
            tokens = torch.cat([tokens, nxt[:, None]], dim=1)
            done[:n] |= nxt[:n] == eos
            if bool(done.all()) or step + 1 == min(max_new, self.cfg.max_tokens):
                break
            at = self.cfg.n_prefix + tokens.shape[1] - 1
            x = self._run(self.tok(nxt[:, None]) + self.pos.weight[at], caches, reads)
        out = []
        for row in tokens[:n, 1:].tolist():
            out.append(row[: row.index(eos)] if eos in row else row)
        if beams is not None:
            out += beams.best(tokens[n:, 1:].tolist())
        return out


def _prompted(nxt: torch.Tensor, prompts: list[list[int]], step: int) -> torch.Tensor:
    """The step's tokens, with each row's prompt token in place of its own while its prompt lasts.
    Rows of different prompt lengths share one batch this way, with no padding."""
    forced = [(row, p[step]) for row, p in enumerate(prompts) if step < len(p)]
    if not forced:
        return nxt
    rows, ids = zip(*forced, strict=True)
    return nxt.index_put((torch.tensor(rows, device=nxt.device),), torch.tensor(ids, device=nxt.device))
