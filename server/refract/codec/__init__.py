"""Codecs: text -> unit-norm vector -> text. `load_codec` is the one place that loads models."""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

from refract.codec.base import Codec
from refract.errors import ConfigError

__all__ = ["Codec", "load_codec"]


_loading = threading.Lock()  # the server warms up on one thread while a request may arrive on another


def load_codec(name: str = "embedded") -> Codec:
    """Load a codec by name once per process; later calls return the same object."""
    with _loading:
        return _load(_canonical(name))


def _one_blas_thread() -> None:
    """Keep numpy's BLAS on the calling thread. Its worker threads spin for a while after each call,
    and a rewrite alternates numpy's small products with torch's models: on 2 cores the spinning
    workers took the cores from torch, and MiniLM's encodings inside the search took twice as long
    as the same batches alone (129 against 65 ms; docs/codec-journal.md, "2026-12-07"). numpy's
    products here are small enough that one thread loses little."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")


def _canonical(name: str) -> str:
    """One spelling per model, so contra:./ckpt and contra:/abs/ckpt/ load once."""
    folder = name.removeprefix("contra:")
    if folder != name and folder.strip():
        return "contra:" + str(Path(folder.strip()).expanduser().resolve())
    return name


@lru_cache(maxsize=2)
def _load(name: str) -> Codec:
    codec = _build(name)
    _one_blas_thread()  # after loading, which may bring in another BLAS (scipy's, with transformers)
    return codec


def _build(name: str) -> Codec:
    if name == "embedded":
        from refract.codec.embedded import EmbeddedCodec

        return EmbeddedCodec()
    if name == "smol":
        from refract.codec.smol import SmolCodec  # loads SmolLM2: only when asked for

        return SmolCodec()
    if name.startswith("contra:"):
        folder = name.removeprefix("contra:")
        if not folder.strip():
            raise ConfigError("codec 'contra:' needs a checkpoint folder: contra:/path/to/folder")
        from refract.codec.contra import ContraCodec  # imports transformers' T5: only when asked for

        return ContraCodec(Path(folder))
    raise ConfigError(f"unknown codec {name!r}; available: embedded, smol, contra:<folder>")
