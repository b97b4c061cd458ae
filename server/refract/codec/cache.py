"""A codec wrapper that remembers the vectors of texts it has encoded.

The language server reads the same sentences again and again (hover, heat map, features), so
a steady-state hover is a dictionary lookup instead of a model call.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np

from refract.codec.base import Codec


class CachedCodec:
    """Same interface as the wrapped codec; encode() serves repeated texts from an LRU cache."""

    def __init__(self, codec: Codec, size: int = 4096) -> None:
        self.inner, self.size = codec, size
        self.name, self.dim, self.fingerprint, self.space = codec.name, codec.dim, codec.fingerprint, codec.space
        self.refines, self.refine_rounds = codec.refines, codec.refine_rounds
        self.completes, self.beam_searches = codec.completes, codec.beam_searches
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def cached(self, text: str) -> np.ndarray | None:
        """The text's vector if it is cached, without touching the model."""
        with self._lock:
            return self._vectors.get(text)

    def encode(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        if missing:
            fresh = self.inner.encode(missing)  # outside the lock: other threads keep reading the cache
            with self._lock:
                self._vectors.update(zip(missing, fresh, strict=True))
        with self._lock:
            rows = [self._vectors.get(t) for t in texts]
            for t in texts:
                if t in self._vectors:
                    self._vectors.move_to_end(t)
            while len(self._vectors) > self.size:
                self._vectors.popitem(last=False)
        if any(r is None for r in rows):  # evicted between the two locks by a burst of other texts
            return self.inner.encode(texts)
        return np.stack(rows) if rows else np.zeros((0, self.dim), dtype=np.float32)

    def decode(
        self, vectors: np.ndarray, n: int = 1, temperature: float = 0.0, seed: int = 0, beams: int = 0
    ) -> list[list[str]]:
        return self.inner.decode(vectors, n, temperature, seed, beams)

    def refine(self, vector: np.ndarray, draft: str, n: int = 4, temperature: float = 0.7, seed: int = 0) -> list[str]:
        return self.inner.refine(vector, draft, n, temperature, seed)

    def complete(self, vector: np.ndarray, starts: list[str], seed: int = 0) -> list[str]:
        return self.inner.complete(vector, starts, seed)
