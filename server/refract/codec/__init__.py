"""Codecs: text -> unit-norm vector -> text. `load_codec` is the one place that loads models."""

from __future__ import annotations

from functools import lru_cache

from refract.codec.base import Codec
from refract.errors import ConfigError

__all__ = ["Codec", "load_codec"]


@lru_cache(maxsize=2)
def load_codec(name: str = "embedded") -> Codec:
    """Load a codec by name once per process; later calls return the same object."""
    if name == "embedded":
        from refract.codec.embedded import EmbeddedCodec

        return EmbeddedCodec()
    raise ConfigError(f"unknown codec {name!r}; available: embedded")
