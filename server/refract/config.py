"""The one settings object. The CLI, the language server and the benchmarks all build one."""

from __future__ import annotations

import os

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from refract.errors import ConfigError, describe


class RefractConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    codec: str = Field("embedded", description="codec name; 'embedded' is the model shipped with Refract")
    samples: int = Field(4, ge=1, le=32, description="candidates decoded per rewrite")
    temperature: float = Field(0.7, ge=0.0, le=2.0, description="sampling temperature for candidates after the first")
    seed: int = Field(0, description="random seed, so the same request gives the same rewrite")
    max_words: int = Field(200, ge=1, description="longest selection accepted")

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
