"""How every decoder picks its next tokens: greedy or nucleus sampling, row by row, and beam search.

A rewrite wants the decoder's best guess and a few alternatives to rerank. Decoding them in one
batch, the greedy row beside the sampled ones and the beams, costs little more than the greedy row
alone: on a CPU each step is bound by reading the weights, which the whole batch shares.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

NUCLEUS_SEARCH = 256  # tokens sorted first when looking for a nucleus


def candidate_temperatures(rows: int, n: int, temperature: float) -> tuple[int, torch.Tensor]:
    """For n texts per row: how many to decode per row, and each decoded text's temperature.

    The first of a row's texts is greedy and the other n - 1 are sampled; at temperature 0 all n
    would be the same greedy text, so one is decoded and repeated.
    """
    per_row = 1 if temperature <= 0 else n
    one_row = torch.tensor([0.0] + [float(temperature)] * (per_row - 1))
    return per_row, one_row.repeat(rows)


def by_row(texts: list[str], per_row: int, n: int) -> list[list[str]]:
    """The decoded texts (per_row for each row, from candidate_temperatures) as n texts per row."""
    return [texts[i : i + per_row] * (n // per_row) for i in range(0, len(texts), per_row)]


def pick(logits: torch.Tensor, temperatures: torch.Tensor, top_p: float, generator: torch.Generator) -> torch.Tensor:
    """One token per row of (B, vocab) logits: the argmax where the row's temperature is 0, else a
    nucleus sample (the smallest set of tokens holding top_p of the mass) at that temperature."""
    greedy = logits.argmax(-1)
    hot = temperatures.to(logits.device) > 0
    if not bool(hot.any()):
        return greedy
    scaled = logits.float() / torch.where(hot, temperatures.to(logits.device), 1.0)[:, None]
    full = F.softmax(scaled, dim=-1)
    # The nucleus nearly always lies within the few hundred likeliest tokens: sorting those instead
    # of the whole vocabulary is most of a sampled step's cost saved; the same nucleus either way.
    probs, order = full.topk(min(NUCLEUS_SEARCH, full.shape[-1]), dim=-1)
    if not bool((probs.sum(-1)[hot] >= top_p).all()):
        probs, order = full.sort(dim=-1, descending=True)
    probs = probs * (probs.cumsum(-1) - probs < top_p)
    # The generator may live on another device than the logits (a CPU one while a script decodes on a GPU).
    choice = torch.multinomial((probs / probs.sum(-1, keepdim=True)).to(generator.device), 1, generator=generator)
    choice = choice.to(order.device)
    return torch.where(hot, order.gather(-1, choice).squeeze(-1), greedy)


def next_tokens(
    logits: torch.Tensor,
    rows: list[list[int]],
    temperatures: torch.Tensor,
    top_p: float,
    generator: torch.Generator,
    no_repeat: int,
) -> torch.Tensor:
    """`pick`, never choosing a token that repeats an n-gram of its row (see repeated_ngram_tokens):
    a small decoder that is unsure otherwise loops ("the new new new ...")."""
    return pick(without_repeats(logits.float().clone(), rows, no_repeat), temperatures, top_p, generator)


def without_repeats(scores: torch.Tensor, rows: list[list[int]], n: int) -> torch.Tensor:
    """`scores` (B, vocab), changed in place: -inf for each row's next tokens that repeat (repeated_ngram_tokens)."""
    for row, banned in enumerate(repeated_ngram_tokens(rows, n)):
        scores[row, banned] = float("-inf")
    return scores


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


class Beams:
    """Beam search beside sampling: for each latent, `width` rows that keep the likeliest sequences
    so far (their summed log-probabilities), ranked at the end by log-probability per token. The
    greedy row commits to each token as it goes; a beam keeps the readings it would have dropped,
    and those land nearer the vector (docs/codec.md, "Decoding a vector alone")."""

    def __init__(self, latents: torch.Tensor, width: int) -> None:
        self.latents, self.width = latents, width
        groups = latents.shape[0]
        # Every row of a group starts the same: only its first counts until the group has branched.
        self.scores = torch.full((groups, width), float("-inf"))
        self.scores[:, 0] = 0.0
        self.ended: list[list[tuple[float, list[int]]]] = [[] for _ in range(groups)]

    def rows(self) -> torch.Tensor:
        """The latents, one row per beam: what the decoder's batch appends to its sampled rows."""
        return self.latents.repeat_interleave(self.width, dim=0)

    def step(
        self, logits: torch.Tensor, rows: list[list[int]], eos: int, no_repeat: int
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """From the beam rows' next-token logits and their tokens so far (BOS first): which row each
        row continues (indices into the beam rows) and the token it appends. A sequence that ends
        is kept aside; a group that has ended 2 x width of them writes EOS from then on."""
        groups, width = self.scores.shape
        logp = without_repeats(torch.log_softmax(logits.float().cpu(), dim=-1), rows, no_repeat)
        vocab = logp.shape[1]
        total = (self.scores.view(-1, 1) + logp).view(groups, width * vocab)
        best, index = total.topk(2 * width, dim=-1)
        source = torch.arange(groups * width)
        chosen = torch.full((groups * width,), eos, dtype=torch.long)
        scores = torch.full((groups, width), float("-inf"))
        for g in range(groups):
            if self._ended(g):
                continue
            kept = 0
            for score, i in zip(best[g].tolist(), index[g].tolist(), strict=True):
                if score == float("-inf"):
                    break
                row, token = divmod(i, vocab)
                if token == eos:  # per token, EOS counted: a short reading is not favoured for being short
                    self.ended[g].append((score / len(rows[g * width + row]), rows[g * width + row][1:]))
                    continue
                source[g * width + kept], chosen[g * width + kept] = g * width + row, token
                scores[g, kept] = score
                kept += 1
                if kept == width:
                    break
        self.scores = scores
        return source, chosen

    def _ended(self, g: int) -> bool:
        return len(self.ended[g]) >= 2 * self.width or not bool(torch.isfinite(self.scores[g]).any())

    def finished_rows(self) -> torch.Tensor:
        """Which beam rows have nothing more to write."""
        return torch.tensor([self._ended(g) for g in range(self.scores.shape[0])]).repeat_interleave(self.width)

    def best(self, rows: list[list[int]]) -> list[list[int]]:
        """`width` sequences per latent, likeliest per token first; `rows`: the beam rows' tokens
        after BOS, for the readings still open when decoding stopped."""
        out = []
        for g, ended in enumerate(self.ended):
            readings = list(ended)
            for j in range(self.width):
                score = float(self.scores[g, j])
                if score > float("-inf"):
                    readings.append((score / (len(rows[g * self.width + j]) + 1), rows[g * self.width + j]))
            readings.sort(key=lambda r: -r[0])
            picked = [ids for _, ids in readings[: self.width]]
            out += picked + [[] for _ in range(self.width - len(picked))]
        return out
