"""The one settings object. The CLI, the language server (from the client's `refract` settings)
and the benchmarks all build one."""

from __future__ import annotations

import os

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from refract.errors import ConfigError, describe


class RefractConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    codec: str = Field("embedded", description="codec name; 'embedded' is the model shipped with Refract")
    # 4 samples beside 8 beams and 12 rounds: chrF 57.4 -> 58.4 over seeds 0-3 within the 1.4 s against 8
    # beside 4 and 9 rounds, since beams start the search nearer (docs/codec-journal.md, "2026-12-07").
    samples: int = Field(4, ge=1, le=32, description="candidates the decoder samples per rewrite, the greedy one first")
    temperature: float = Field(0.7, ge=0.0, le=2.0, description="sampling temperature for candidates after the first")
    seed: int = Field(
        0, description="random seed, so the same request gives the same rewrite (when its correction is not cut short)"
    )
    corrections: int = Field(
        12, ge=0, le=32, description="correction rounds when decoding from a vector alone (roundtrip, topic, blend)"
    )
    completions: int = Field(
        1,
        ge=0,
        le=32,
        description="correction rounds after which the decoder writes on from the best version's words"
        " (where the codec's can)",
    )
    beams: int = Field(
        8,
        ge=0,
        le=16,
        description="candidates found by a beam search beside the sampled ones, when decoding from a vector alone"
        " (where the codec's decoder can)",
    )
    variations: int = Field(8, ge=1, le=32, description="candidates a variations request returns")
    sentence_seconds: float = Field(
        1.4,
        ge=0,
        description="time a rewrite may take per sentence, decoding included; correction rounds stop early past it"
        " (0: no limit, every round runs)",
    )
    max_words: int = Field(200, ge=1, description="longest selection accepted")
    patch_folders: tuple[str, ...] = Field((), description="extra folders searched for style patches")
    hover: bool = Field(True, description="show readouts when hovering over a sentence (language server)")
    heatmap_feature: str = Field("sentiment", min_length=1, description="default axis or feature of the heat map")

    @classmethod
    def from_env(cls, **overrides: object) -> RefractConfig:
        """Defaults, then REFRACT_CODEC from the environment, then explicit overrides (None is ignored)."""
        values: dict[str, object] = {}
        if os.environ.get("REFRACT_CODEC"):
            values["codec"] = os.environ["REFRACT_CODEC"]
        values.update({k: v for k, v in overrides.items() if v is not None})
        try:
            return cls(**values)
        except ValidationError as exc:
            raise ConfigError(f"bad setting {describe(exc)}") from None
