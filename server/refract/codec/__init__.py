"""Codecs: text -> unit-norm vector -> text. `load_codec` is the one place that loads models."""

from __future__ import annotations

import threading
from functools import lru_cache

from refract.codec.base import Codec
from refract.errors import ConfigError

__all__ = ["Codec", "load_codec"]


_loading = threading.Lock()  # the server warms up on one thread while a request may arrive on another


def load_codec(name: str = "embedded") -> Codec:
    """Load a codec by name once per process; later calls return the same object."""
    with _loading:
        return _load(name)


@lru_cache(maxsize=2)
def _load(name: str) -> Codec:
    if name == "embedded":
        from refract.codec.embedded import EmbeddedCodec

        return EmbeddedCodec()
    raise ConfigError(f"unknown codec {name!r}; available: embedded")
