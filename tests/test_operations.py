import numpy as np
import pytest

from refract.errors import OperationError
from refract.operations import OP_NAMES, EditInputs, blend, edit_for, unit, variations


def _vec(seed: int, dim: int = 16) -> np.ndarray:
    return unit(np.random.default_rng(seed).standard_normal(dim))[0]


def test_blend_endpoints_and_midpoint():
    a, b = _vec(1), _vec(2)
    np.testing.assert_allclose(blend(EditInputs(z=a, source=b, amount=0.0))[0], a, atol=1e-5)
    np.testing.assert_allclose(blend(EditInputs(z=a, source=b, amount=1.0))[0], b, atol=1e-5)
    mid = blend(EditInputs(z=a, source=b))[0]
    assert abs(float(mid @ a) - float(mid @ b)) < 1e-5


@pytest.mark.parametrize("amount", [-0.1, 1.5])
def test_blend_rejects_weights_outside_0_1(amount):
    with pytest.raises(OperationError, match="between 0 and 1"):
        blend(EditInputs(z=_vec(1), source=_vec(2), amount=amount))


def test_blend_needs_a_source():
    with pytest.raises(OperationError, match="needs a source"):
        blend(EditInputs(z=_vec(1)))


def test_variations_are_distinct_unit_vectors_whose_distance_grows_with_radius():
    z = _vec(3)
    near = variations(EditInputs(z=z, amount=0.1, count=4))
    far = variations(EditInputs(z=z, amount=0.8, count=4))
    np.testing.assert_allclose(np.linalg.norm(far, axis=1), 1.0, atol=1e-5)
    assert len({tuple(np.round(r, 4)) for r in far}) == 4
    assert (near @ z).min() > (far @ z).max()


def test_unknown_op_lists_valid_ops():
    with pytest.raises(OperationError, match="unknown op 'shout'.*roundtrip"):
        edit_for("shout")


@pytest.mark.parametrize(("op", "sign"), [("shorten", -1), ("lengthen", 1), ("sentiment", 1)])
def test_axis_ops_move_along_their_direction_by_amount(op, sign):
    z, d = _vec(6), 0.3 * _vec(7)
    moved = [edit_for(op)(EditInputs(z=z, amount=a, direction=d))[0] for a in (0.0, 1.0, 2.0)]
    np.testing.assert_allclose(moved[0], z, atol=1e-5)
    progress = [sign * float(m @ d) for m in moved]
    assert progress[0] < progress[1] < progress[2]


def test_axis_ops_refuse_absurd_amounts():
    with pytest.raises(OperationError, match="between -3 and 3"):
        edit_for("sentiment")(EditInputs(z=_vec(6), amount=50.0, direction=_vec(7)))


def _basis(dim: int = 16, rank: int = 3) -> np.ndarray:
    q, _ = np.linalg.qr(np.random.default_rng(9).standard_normal((dim, rank)))
    return q.astype(np.float32)


def test_tone_takes_the_sources_tone_part_and_keeps_the_rest():
    z, s, q = _vec(1), _vec(2), _basis()
    out = edit_for("tone")(EditInputs(z=z, source=s, tone_basis=q))[0]
    tone_out, tone_src = q.T @ out, q.T @ s
    rest_out, rest_z = out - q @ tone_out, z - q @ (q.T @ z)
    # up to the renormalisation onto the sphere: tone like the source's, the rest like the text's
    scale = float(np.linalg.norm(z + q @ (q.T @ (s - z))))
    np.testing.assert_allclose(tone_out * scale, tone_src, atol=1e-5)
    np.testing.assert_allclose(rest_out * scale, rest_z, atol=1e-5)


def test_topic_is_the_complement_of_tone():
    z, s, q = _vec(1), _vec(2), _basis()
    out = edit_for("topic")(EditInputs(z=z, source=s, tone_basis=q))[0]
    scale = float(np.linalg.norm(q @ (q.T @ z) + s - q @ (q.T @ s)))
    np.testing.assert_allclose(q.T @ out * scale, q.T @ z, atol=1e-5)
    none = edit_for("topic")(EditInputs(z=z, source=s, tone_basis=q, amount=0.0))[0]
    np.testing.assert_allclose(none, z, atol=1e-5)


@pytest.mark.parametrize("op", ["tone", "topic"])
def test_tone_and_topic_need_a_source_and_a_sane_amount(op):
    with pytest.raises(OperationError, match="needs a source"):
        edit_for(op)(EditInputs(z=_vec(1), tone_basis=_basis()))
    with pytest.raises(OperationError, match="0 to 2"):
        edit_for(op)(EditInputs(z=_vec(1), source=_vec(2), tone_basis=_basis(), amount=5.0))


@pytest.mark.parametrize("op", ["feature", "patch"])
def test_feature_and_patch_apply_their_transform_scaled_by_amount(op):
    z, d = _vec(1), _vec(2)
    out = edit_for(op)(EditInputs(z=z, amount=0.5, transform=lambda v, a: v + a * d))[0]
    np.testing.assert_allclose(out, unit(z + 0.5 * d)[0], atol=1e-5)
    with pytest.raises(OperationError, match="needs a"):
        edit_for(op)(EditInputs(z=z))
    with pytest.raises(OperationError, match="between 0 and 3"):
        edit_for(op)(EditInputs(z=z, amount=-1.0, transform=lambda v, a: v))


def test_every_op_has_an_edit():
    assert all(callable(edit_for(op)) for op in OP_NAMES)
