"""Named axes on the real embedded codec."""

from __future__ import annotations

import numpy as np
import pytest

from refract.errors import OperationError
from refract.space import AXES, axis, fit_axis, load_pairs


def test_every_axis_has_100_hand_written_pairs():
    for name in AXES:
        poles, low, high = load_pairs(name)
        assert len(low) == len(high) == 100 and all(poles)


def test_fit_axis_calibrates_the_examples_to_minus_one_and_plus_one():
    rng = np.random.default_rng(0)
    low = rng.standard_normal((20, 8)).astype(np.float32)
    high = low + np.array([1.0, 0, 0, 0, 0, 0, 0, 0], dtype=np.float32)
    fitted = fit_axis("toy", ("a", "b"), low, high)
    np.testing.assert_allclose(fitted.readout(low).mean(), -1.0, atol=1e-5)
    np.testing.assert_allclose(fitted.readout(high).mean(), 1.0, atol=1e-5)


@pytest.mark.parametrize(
    ("name", "low_text", "high_text"),
    [
        (
            "sentiment",
            "The trip was a miserable, exhausting waste of money.",
            "The trip was a wonderful, relaxing treat.",
        ),
        ("question", "The shop closes at noon on Sundays.", "Does the shop close at noon on Sundays?"),
        ("person", "She repaired the fence before the storm.", "I repaired the fence before the storm."),
    ],
)
def test_unseen_texts_read_out_on_the_expected_side(codec, name, low_text, high_text):
    low, high = axis(codec, name).readout(codec.encode([low_text, high_text]))
    assert high - low > 0.5, (low, high)


def test_unknown_axis_is_a_clear_error(codec):
    with pytest.raises(OperationError, match="unknown axis 'tone'"):
        axis(codec, "tone")
