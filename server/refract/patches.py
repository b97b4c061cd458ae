"""Style patches: a style as a small, shareable file (format spec: docs/patches.md).

A patch is NAME.json, validated with pydantic, plus optionally a safetensors file of offset
vectors beside it. It holds target positions on named axes, target values of sparse features,
and raw offsets, and is stamped with the embedding space and dimension it was made in. Patch
files come from strangers, so reading one trusts nothing: sizes are capped, every number must
be finite, the vector file must sit in the patch's own folder, and nothing is unpickled.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from safetensors import SafetensorError
from safetensors.numpy import load_file, save_file

from refract.codec import Codec
from refract.errors import PatchError, RefractError, describe
from refract.operations import Transform
from refract.sentences import sentence_spans, sentence_text
from refract.space import AXES, axis
from refract.space.features import load_features

FORMAT = "refract-patch"
VERSION = 1
MAX_JSON_BYTES = 64 * 1024
MAX_VECTOR_BYTES = 1024 * 1024
MAX_VECTORS = 8
MAX_FEATURES = 64
STYLE_AXES = ("length", "sentiment", "formality", "person")  # what a patch saved from a passage records


class Stamp(BaseModel):
    """The embedding space a patch was made in; it only applies in that space."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    space: str = Field(max_length=100)
    dim: int = Field(ge=1, le=8192)
    fingerprint: str = Field("", max_length=200)  # the exact codec, for information: decoders may change


class PatchFile(BaseModel):
    """The JSON half of a patch, exactly as it is on disk."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Literal["refract-patch"]
    version: int
    name: str = Field(min_length=1, max_length=64, pattern=r"^[\w][\w .-]*$")
    description: str = Field("", max_length=1000)
    codec: Stamp
    axes: dict[str, float] = Field(default_factory=dict)
    features: dict[str, float] = Field(default_factory=dict, max_length=MAX_FEATURES)
    vectors: str | None = Field(None, max_length=200, description="safetensors file of offsets, beside the JSON")

    @field_validator("version")
    @classmethod
    def _known_version(cls, v: int) -> int:
        if v != VERSION:
            raise ValueError(f"format version {v} is not one this Refract reads (it reads version {VERSION})")
        return v

    @field_validator("axes")
    @classmethod
    def _known_axes(cls, values: dict[str, float]) -> dict[str, float]:
        for name, v in values.items():
            if name not in AXES:
                raise ValueError(f"unknown axis {name!r}; axes are {', '.join(AXES)}")
            if not math.isfinite(v) or abs(v) > 5:
                raise ValueError(f"axis {name} target {v} must be a finite number between -5 and 5")
        return values

    @field_validator("features")
    @classmethod
    def _feature_values(cls, values: dict[str, float]) -> dict[str, float]:
        for key, v in values.items():
            if not key.isdigit():
                raise ValueError(f"feature keys are feature ids (whole numbers); got {key!r}")
            if not math.isfinite(v) or not 0 <= v <= 3:
                raise ValueError(f"feature {key} value {v} must be a finite number between 0 and 3")
        return values


@dataclass(frozen=True)
class Patch:
    file: PatchFile
    path: Path
    vectors: dict[str, np.ndarray]  # name -> (dim,) offset


def read_patch(path: str | Path) -> Patch:
    """Read and validate a patch file; any problem is a PatchError naming the file."""
    path = Path(path)
    where = path.name or str(path)
    if not path.is_file():
        raise PatchError(f"style patch {path} does not exist or is not a file")
    if path.stat().st_size > MAX_JSON_BYTES:
        raise PatchError(f"style patch {where} is larger than {MAX_JSON_BYTES // 1024} KB; it is not a patch")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise PatchError(f"style patch {where} must hold a JSON object")
        file = PatchFile.model_validate(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PatchError(f"style patch {where} is not valid JSON ({exc})") from None
    except ValidationError as exc:
        raise PatchError(f"style patch {where}: {describe(exc)}") from None
    return Patch(file, path, _read_vectors(path, file))


def _read_vectors(path: Path, file: PatchFile) -> dict[str, np.ndarray]:
    if file.vectors is None:
        return {}
    folder = path.resolve().parent
    target = (folder / file.vectors).resolve()
    if Path(file.vectors).is_absolute() or not target.is_relative_to(folder):
        raise PatchError(f"style patch {path.name}: its vector file must sit in the patch's own folder")
    if target.suffix != ".safetensors" or not target.is_file():
        raise PatchError(f"style patch {path.name}: vector file {file.vectors} is missing or not .safetensors")
    if target.stat().st_size > MAX_VECTOR_BYTES:
        raise PatchError(f"style patch {path.name}: vector file is larger than {MAX_VECTOR_BYTES // 1024} KB")
    try:
        tensors = load_file(str(target))
    except (SafetensorError, OSError, ValueError) as exc:
        raise PatchError(f"style patch {path.name}: vector file is not readable safetensors ({exc})") from None
    if len(tensors) > MAX_VECTORS:
        raise PatchError(f"style patch {path.name}: holds {len(tensors)} vectors; at most {MAX_VECTORS}")
    for name, t in tensors.items():
        if t.shape != (file.codec.dim,) or t.dtype.kind != "f":
            raise PatchError(f"style patch {path.name}: vector {name!r} must be {file.codec.dim} floats")
        if not np.isfinite(t).all():
            raise PatchError(f"style patch {path.name}: vector {name!r} holds NaN or infinite values")
    return {name: t.astype(np.float32) for name, t in tensors.items()}


def check_stamp(patch: Patch, codec: Codec) -> None:
    """Refuse a patch made in another embedding space; its numbers would mean nothing here."""
    stamp = patch.file.codec
    if stamp.dim != codec.dim:
        raise PatchError(f"style patch {patch.path.name} is for {stamp.dim}-d vectors; this model has {codec.dim}")
    if stamp.space != codec.space:
        raise PatchError(
            f"style patch {patch.path.name} was made for model space {stamp.space}; this model is {codec.space}"
        )


def transform(codec: Codec, patch: Patch) -> Transform:
    """The patch as a vector edit: move to its axis and feature targets and add its offsets, scaled by amount."""
    check_stamp(patch, codec)
    axes = [(axis(codec, name), target) for name, target in patch.file.axes.items()]
    features = load_features(codec) if patch.file.features else None
    if features is not None:
        for key in patch.file.features:
            try:
                features.find(int(key))  # an unknown id is an error now, not a silent skip later
            except RefractError as exc:
                raise PatchError(f"style patch {patch.path.name}: {exc}") from None
    offset = sum(patch.vectors.values(), np.zeros(codec.dim, dtype=np.float32))

    def move(z: np.ndarray, amount: float) -> np.ndarray:
        step = offset + sum((ax.shift(z, target) for ax, target in axes), np.zeros_like(z))
        if features is not None:
            for key, value in patch.file.features.items():
                step = step + (features.set_value(z, int(key), value) - z)
        return z + amount * step

    return move


def make_patch(
    codec: Codec, texts: list[str], name: str, description: str = "", n_features: int = 3
) -> tuple[PatchFile, dict[str, np.ndarray]]:
    """A patch describing the style the texts' sentences share.

    Rewrites work sentence by sentence, so the targets are sentence-level: the mean readout of
    the sentences on each style axis, and up to n_features features that are active in at
    least 60% of the sentences at a mean value of 0.3 or more (so topic words that come and
    go do not become part of the style). Features need at least 3 sentences to tell.
    """
    sentences = [sentence_text(t, span) for t in texts for span in sentence_spans(t)]
    if not sentences:
        raise PatchError("cannot make a patch: the texts hold no sentences")
    z = codec.encode(sentences)
    targets = {n: round(float(axis(codec, n).readout(z).mean()), 3) for n in STYLE_AXES}
    chosen: dict[str, float] = {}
    if n_features and len(sentences) >= 3:
        features = load_features(codec)
        values = features.activations(z) / np.array([f.peak for f in features.features], dtype=np.float32)
        mean, share = values.mean(axis=0), (values > 0).mean(axis=0)
        for fid in np.argsort(-mean)[:n_features]:
            if share[fid] >= 0.6 and mean[fid] >= 0.3:
                chosen[str(int(fid))] = round(float(min(mean[fid], 3.0)), 3)
    stamp = Stamp(space=codec.space, dim=codec.dim, fingerprint=codec.fingerprint)
    try:
        file = PatchFile(
            format=FORMAT, version=VERSION, name=name, description=description, codec=stamp,
            axes=targets, features=chosen,
        )  # fmt: skip
    except ValidationError as exc:
        raise PatchError(f"cannot make patch: {describe(exc)}") from None
    return file, {}


def offset_from_pairs(codec: Codec, before: list[str], after: list[str]) -> np.ndarray:
    """The mean change from each `before` text to its `after` text: a style as a direction."""
    if len(before) != len(after) or not before:
        raise PatchError("offsets need the same number (at least one) of before and after texts")
    return (codec.encode(after) - codec.encode(before)).mean(axis=0).astype(np.float32)


def write_patch(path: str | Path, file: PatchFile, vectors: dict[str, np.ndarray]) -> Path:
    """Write NAME.json (and NAME.safetensors when there are vectors); returns the JSON path."""
    path = Path(path)
    if path.suffix != ".json":
        path = path.with_suffix(".json")
    path.parent.mkdir(parents=True, exist_ok=True)
    if vectors:
        save_file({k: np.ascontiguousarray(v, dtype=np.float32) for k, v in vectors.items()},
                  str(path.with_suffix(".safetensors")))  # fmt: skip
        file = file.model_copy(update={"vectors": path.with_suffix(".safetensors").name})
    path.write_text(file.model_dump_json(indent=2, exclude_defaults=False) + "\n", encoding="utf-8")
    return path


def find_patches(folders: list[Path]) -> list[Patch]:
    """Every readable patch in the folders (not recursive), sorted by name; unreadable files are skipped."""
    found = []
    for folder in folders:
        for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
            try:
                found.append(read_patch(path))
            except PatchError:
                continue
    return sorted(found, key=lambda p: p.file.name.lower())
