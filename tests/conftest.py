"""Shared fixtures: the real embedded codec, loaded once for the whole run, and a tiny decoder."""

from __future__ import annotations

import pytest
import torch

from refract.codec import Codec, load_codec
from refract.codec.model import DecoderConfig, LatentDecoder
from refract.config import RefractConfig


@pytest.fixture(scope="session")
def codec() -> Codec:
    return load_codec("embedded")


@pytest.fixture(scope="session")
def config() -> RefractConfig:
    return RefractConfig()


@pytest.fixture
def tiny_decoder() -> LatentDecoder:
    """A random LatentDecoder small enough to check its mechanics exactly."""
    torch.manual_seed(0)
    cfg = DecoderConfig(vocab_size=50, latent_dim=8, n_prefix=2, n_layer=2, n_head=2, d_model=16, max_tokens=12)
    model = LatentDecoder(cfg).eval()
    for p in model.parameters():  # larger than the init, so the text depends on the latent
        p.data.normal_(0, 0.5)
    return model
