"""What every codec offers: text -> unit-norm vector -> text."""

from __future__ import annotations

from typing import Protocol

import numpy as np


class Codec(Protocol):
    name: str
    dim: int
    fingerprint: str  # identifies the exact weights (encoder and decoder)
    space: str  # identifies the embedding space (the encoder): vectors, features and patches are valid
    #             across codecs that share it, so retraining a decoder does not invalidate patches

    def encode(self, texts: list[str]) -> np.ndarray:
        """(len(texts), dim) float32, each row unit-norm."""
        ...

    beam_searches: bool  # whether decode's `beams` works: the decoder can beam-search beside sampling

    def decode(
        self, vectors: np.ndarray, n: int = 1, temperature: float = 0.0, seed: int = 0, beams: int = 0
    ) -> list[list[str]]:
        """n texts per row of vectors: the greedy text first, then n - 1 sampled at `temperature`
        (at temperature 0 all n are the greedy text), then, where `beams` > 0, that many found by a
        beam search of that width, likeliest first (raises CodecError where beam_searches is false).
        One batch: alternatives cost little extra."""
        ...

    refines: bool  # whether refine works: the weights include a corrector trained to rewrite drafts
    refine_rounds: int  # rewrites by refine that decoding by correction starts with (0: none pay, measured)

    def refine(self, vector: np.ndarray, draft: str, n: int = 4, temperature: float = 0.7, seed: int = 0) -> list[str]:
        """n texts for one vector written after reading `draft`, a guess at its sentence (greedy
        first); raises CodecError where refines is false."""
        ...

    completes: bool  # whether complete works: the decoder can continue a given start of a sentence

    def complete(self, vector: np.ndarray, starts: list[str], seed: int = 0) -> list[str]:
        """For one vector, each start of a sentence continued by the decoder (greedy): whole texts;
        raises CodecError where completes is false."""
        ...
