"""Shared fixtures: the real embedded codec, loaded once for the whole run."""

from __future__ import annotations

import pytest

from refract.codec import Codec, load_codec
from refract.config import RefractConfig


@pytest.fixture(scope="session")
def codec() -> Codec:
    return load_codec("embedded")


@pytest.fixture(scope="session")
def config() -> RefractConfig:
    return RefractConfig()
