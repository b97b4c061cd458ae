"""What the model sees in a text or a patch, as data (for JSON and clients) and as aligned text lines.

The CLI (`refract features`, `refract patch show`) and the language server (hover, the features
command) all render through here, so a writer sees the same readout everywhere.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from refract.codec import Codec
from refract.errors import RefractError
from refract.patches import Patch
from refract.space import AXES, axis, passage_vector
from refract.space.features import MIN_CONFIDENCE, Feature, load_features


def describe_vector(codec: Codec, z: np.ndarray, top: int = 5) -> dict[str, Any]:
    """Axis readouts and the strongest confidently labelled features of one vector."""
    axes = {name: round(float(axis(codec, name).readout(z)[0]), 3) for name in AXES}
    try:
        features = load_features(codec)
    except RefractError:
        return {"axes": axes, "features": []}  # a codec without a trained feature set still has axes
    top_features = [
        {"id": f.id, "label": f.label, "value": round(float(v), 3)} for f, v in features.top(z, k=top)
    ] if top else []  # fmt: skip
    return {"axes": axes, "features": top_features}


def describe_text(codec: Codec, text: str, top: int = 5) -> dict[str, Any]:
    """describe_vector of a passage (the mean of its sentences)."""
    return describe_vector(codec, passage_vector(codec, text), top)


def report_lines(codec: Codec, report: dict[str, Any]) -> list[str]:
    """One aligned line per axis (name, low pole, bar, high pole, value), then one per feature."""
    lines = [axis_line(codec, name, value) for name, value in report["axes"].items()]
    if report["features"]:
        lines.append("features")
        lines += [f"  #{f['id']:<5}{f['label']:<28}{f['value']:.2f}" for f in report["features"]]
    return lines


def markdown(codec: Codec, report: dict[str, Any], title: str) -> str:
    """The report as a Markdown block for hovers and client panels."""
    return f"**Refract** ({title})\n```text\n" + "\n".join(report_lines(codec, report)) + "\n```"


def axis_line(codec: Codec, name: str, value: float) -> str:
    ax = axis(codec, name)
    return f"{name:<13}{ax.low:>10} {bar(value)} {ax.high:<9}{value:+.2f}"


def bar(value: float, width: int = 10) -> str:
    """A text bar for a readout in [-2, 2]: the marker moves from the low end to the high end."""
    slot = int(round((min(max(value, -2.0), 2.0) + 2.0) / 4.0 * width))
    return "[" + "-" * slot + "|" + "-" * (width - slot) + "]"


def patch_summary(codec: Codec, patch: Patch) -> dict[str, Any]:
    """A validated patch as data: what it was made for and what it moves."""
    f = patch.file
    features = load_features(codec) if f.features else None
    return {
        "name": f.name,
        "description": f.description,
        "path": str(patch.path),
        "codec": f.codec.model_dump(),
        "axes": f.axes,
        "features": [
            {"id": int(k), "label": _shown_label(features.find(int(k))) if features else "", "value": v}
            for k, v in f.features.items()
        ],
        "vectors": {name: round(float(np.linalg.norm(v)), 4) for name, v in patch.vectors.items()},
    }


def _shown_label(feature: Feature) -> str:
    return feature.label if feature.confidence >= MIN_CONFIDENCE else "(no confident label)"


def patch_summary_lines(codec: Codec, summary: dict[str, Any]) -> list[str]:
    lines = [f"{summary['name']}: {summary['description']}".rstrip(": "), f"made for {summary['codec']['space']}"]
    lines += ["sets axes"] + ["  " + axis_line(codec, n, v) for n, v in summary["axes"].items()]
    if summary["features"]:
        lines += ["sets features"] + [f"  #{f['id']:<5}{f['label']:<28}{f['value']:.2f}" for f in summary["features"]]
    if summary["vectors"]:
        lines += ["adds vectors"] + [f"  {n} (norm {v})" for n, v in summary["vectors"].items()]
    return lines
