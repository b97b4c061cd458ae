"""Linear layers whose bf16 weights are laid out once for oneDNN, not on every call.

A bf16 Linear on the CPU has oneDNN reorder its weight into the blocked layout that its AMX /
AVX-512 kernels read, on every call, and under autocast it casts the float32 weight to bf16
first. MiniLM runs a dozen small batches a rewrite and the decoder one step per token, so those
casts and reorders were a sixth of MiniLM's encodings and an eighth of the decoder's steps:
packing the weights once took a roundtrip's encodings from 0.90 to 0.75 s a sentence and its
decoding from 0.30 to 0.26 s, with the same texts (docs/codec-journal.md, "2026-12-07"). The ops
are those torch's own compiler uses for frozen CPU models; where this torch lacks them the layers
stay as they are.
"""

from __future__ import annotations

import torch
import torch.nn as nn


class PackedLinear(nn.Linear):
    """An nn.Linear for inference in bf16 (input cast to bf16, output in bf16, as autocast gives)
    that keeps its parameters, so state_dict and the training scripts see the same module. The
    packed copy is made once: the weights must not change after packing."""

    def __init__(self, linear: nn.Linear) -> None:
        nn.Module.__init__(self)
        self.in_features, self.out_features = linear.in_features, linear.out_features
        self.weight = linear.weight
        self.register_parameter("bias", linear.bias)
        self.packed = torch.ops.mkldnn._reorder_linear_weight(linear.weight.detach().to(torch.bfloat16))
        self.packed_bias = None if linear.bias is None else linear.bias.detach().to(torch.bfloat16)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.ops.mkldnn._linear_pointwise(x.to(torch.bfloat16), self.packed, self.packed_bias, "none", [], "")


def pack_linears(model: nn.Module) -> bool:
    """Replace every nn.Linear in `model` (on the CPU, for inference only) by a PackedLinear;
    False, with the model unchanged, where this torch cannot pack them."""
    found = [(parent, name, child) for parent in model.modules() for name, child in parent.named_children()]
    linears = [(parent, name, child) for parent, name, child in found if type(child) is nn.Linear]
    try:
        packed = [PackedLinear(child) for _, _, child in linears]
        packed[0](torch.zeros(1, packed[0].in_features))  # a torch built without these kernels fails here
    except (AttributeError, RuntimeError, IndexError):
        return False
    for (parent, name, _), layer in zip(linears, packed, strict=True):
        setattr(parent, name, layer)
    return True
