"""The hand-written held-out dev set shared by the benchmarks (data/dev/sentences.tsv)."""

from __future__ import annotations

from pathlib import Path

DEV = Path(__file__).resolve().parents[1] / "data/dev/sentences.tsv"


def load_dev(path: Path = DEV) -> list[tuple[str, str]]:
    """(register, sentence) pairs."""
    rows = [line.split("\t", 1) for line in path.read_text().splitlines()[1:] if line.strip()]
    return [(register, text) for register, text in rows]
