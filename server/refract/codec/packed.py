"""Linear layers whose bf16 weights are laid out once for oneDNN, not on every call.

Under autocast a Linear casts its float32 weight to bf16 and oneDNN reorders it into the blocked
layout its AMX / AVX-512 kernels read, on every call. MiniLM runs a dozen small batches a
rewrite, and those casts and reorders were a sixth of each encoding: packing the weights once
took MiniLM's share of a roundtrip from 0.90 to 0.75 s a sentence with the same vectors to
within bf16's rounding (docs/codec-journal.md, "2026-12-07"). The ops are the ones torch's own
compiler uses for frozen CPU models; where this torch lacks them the layers stay as they are.
"""

from __future__ import annotations

import torch
import torch.nn as nn


class PackedLinear(nn.Module):
    """A Linear for inference in bf16: input cast to bf16, output in bf16, as autocast gives."""

    def __init__(self, linear: nn.Linear) -> None:
        super().__init__()
        weight = linear.weight.detach().to(torch.bfloat16)
        self.in_features, self.out_features = linear.in_features, linear.out_features
        self.packed = torch.ops.mkldnn._reorder_linear_weight(weight)
        self.bias = None if linear.bias is None else linear.bias.detach().to(torch.bfloat16)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.ops.mkldnn._linear_pointwise(x.to(torch.bfloat16), self.packed, self.bias, "none", [], "")


def pack_linears(model: nn.Module) -> bool:
    """Replace every nn.Linear in `model` (on the CPU, for inference only) by a PackedLinear;
    False, with the model unchanged, where this torch cannot pack them."""
    linears = [(parent, name, child) for parent in model.modules() for name, child in parent.named_children()]
    linears = [(parent, name, child) for parent, name, child in linears if isinstance(child, nn.Linear)]
    try:
        packed = [PackedLinear(child) for _, _, child in linears]
        packed[0](torch.zeros(1, linears[0][2].in_features))  # a torch built without these kernels fails here
    except (AttributeError, RuntimeError, IndexError):
        return False
    for (parent, name, _), layer in zip(linears, packed, strict=True):
        setattr(parent, name, layer)
    return True
