"""The decoders' training loop: which rows a run draws its length-sorted windows from."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "training"))

from train_codec import length_order  # noqa: E402  (scripts, not part of the package)


def test_held_out_rows_are_never_drawn_and_the_rest_are_sorted_by_length() -> None:
    lengths = [5, 1, 9, 3, 7, 2, 8, 4]
    order = length_order(lengths, held=2).tolist()
    assert sorted(order) == list(range(2, 8))
    assert [lengths[i] for i in order] == sorted(lengths[2:])


def test_repeated_rows_are_drawn_that_many_times_and_spread_among_rows_of_their_length() -> None:
    lengths = [3] * 220 + [4] * 20  # rows 200..219 are repeated, among 200 others of their length
    order = length_order(lengths, held=0, repeated=range(200, 220), times=3, seed=1).tolist()
    counts = Counter(order)
    assert all(counts[i] == 3 for i in range(200, 220)) and all(counts[i] == 1 for i in [*range(200), *range(220, 240)])
    assert [lengths[i] for i in order] == sorted(lengths[i] for i in order)
    assert sum(a == b for a, b in zip(order, order[1:], strict=False)) < 3  # copies are not side by side
    assert length_order(lengths, 0, range(200, 220), 3, seed=1).tolist() == order  # fixed by the seed
