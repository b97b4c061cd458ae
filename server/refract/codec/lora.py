"""Low-rank adapters for frozen pretrained models: the decoder's SmolLM2 and the encoder's MiniLM.

Training adds a `LoRALinear` beside each chosen projection; only its two small matrices learn.
Inference folds every update into its projection (`merge_lora`), so the model runs as before.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import torch
import torch.nn as nn

Projection = tuple[nn.Module, str]  # (the module holding a Linear, the Linear's attribute name)


class LoRALinear(nn.Module):
    """A frozen projection plus a trained low-rank update: W x + B A x (B starts at zero)."""

    def __init__(self, base: nn.Linear, rank: int) -> None:
        super().__init__()
        self.base = base
        self.a = nn.Parameter(torch.randn(rank, base.in_features) / math.sqrt(base.in_features))
        self.b = nn.Parameter(torch.zeros(base.out_features, rank))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.base(x) + (x @ self.a.T) @ self.b.T

    def merged(self) -> nn.Linear:
        """The same map as one Linear, for inference (no extra matmuls)."""
        with torch.no_grad():
            self.base.weight += (self.b @ self.a).to(self.base.weight.dtype)
        return self.base


def add_lora(projections: Iterable[Projection], rank: int) -> None:
    """Put a LoRALinear of `rank` beside each projection."""
    for holder, name in projections:
        setattr(holder, name, LoRALinear(getattr(holder, name), rank))


def merge_lora(projections: Iterable[Projection]) -> None:
    """Fold every LoRA update among `projections` into its Linear."""
    for holder, name in projections:
        module = getattr(holder, name)
        if isinstance(module, LoRALinear):
            setattr(holder, name, module.merged())
