"""Sparse-autoencoder features on the real embedded codec and the shipped weights."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from refract.errors import OperationError
from refract.space.features import MIN_CONFIDENCE, FeatureSet, load_features

SENTENCES = [
    "The rain kept falling on the old stone bridge all night.",
    "Please restart the server after you install the update.",
    "She laughed and hugged her grandmother at the door.",
    "Is the museum open on Sunday mornings?",
    "The committee rejected the budget by a narrow vote.",
]


@pytest.fixture(scope="module")
def features(codec) -> FeatureSet:
    return load_features(codec)


@pytest.fixture(scope="module")
def z(codec) -> np.ndarray:
    return codec.encode(SENTENCES)


def shown(features: FeatureSet) -> list:
    return [f for f in features.features if f.confidence >= MIN_CONFIDENCE and "(" not in f.label]


def test_activations_are_sparse_and_non_negative(features, z):
    acts = features.activations(z)
    assert acts.shape == (len(SENTENCES), len(features.features))
    assert (acts >= 0).all()
    assert ((acts > 0).sum(axis=1) <= features.k).all() and ((acts > 0).sum(axis=1) > 0).all()


def test_reconstruction_points_where_the_sentence_does(features, z):
    x_hat = features.reconstruct(features.activations(z))
    cosine = (z * x_hat).sum(axis=1) / np.linalg.norm(x_hat, axis=1)
    assert cosine.min() > 0.85, cosine


def test_directions_are_unit_vectors(features):
    for fid in (0, len(features.features) - 1):
        assert features.direction(fid).shape == (features.w_dec.shape[1],)
        assert abs(np.linalg.norm(features.direction(fid)) - 1) < 1e-5


def test_find_by_id_by_digit_string_and_by_label(features):
    feature = shown(features)[0]
    assert features.find(feature.id) is feature
    assert features.find(f" {feature.id} ") is feature
    assert features.find(feature.label.upper()) is feature


def test_unknown_keys_are_clear_errors_that_suggest_labels(features):
    with pytest.raises(OperationError, match="no feature is labelled 'qqzx vrrp'"):
        features.find("qqzx vrrp")
    with pytest.raises(OperationError, match="ids go from 0"):
        features.find(len(features.features))
    label = max(shown(features), key=lambda f: len(f.label)).label
    with pytest.raises(OperationError, match="did you mean") as err:
        features.find(label[:-1])
    assert repr(label) in str(err.value)


def test_set_value_turns_a_feature_on(features, z):
    acts = features.activations(z[0])[0]
    feature = next(f for f in shown(features) if acts[f.id] == 0)
    moved = features.set_value(z[0], feature.id, 1.0)
    after = features.activations(moved)[0, feature.id] / feature.peak
    assert abs(np.linalg.norm(moved) - 1) < 1e-5
    assert abs(after - 1.0) < 0.5, after


def test_set_value_turns_a_feature_off(features, z):
    feature, value = features.top(z[1], k=1)[0]
    moved = features.set_value(z[1], feature.id, 0.0)
    after = features.activations(moved)[0, feature.id] / feature.peak
    assert abs(np.linalg.norm(moved) - 1) < 1e-5
    assert after < 0.25 * value, (value, after)
    assert float(moved @ z[1]) > 0.7  # the rest of the sentence stays


def test_set_value_refuses_values_off_the_scale(features, z):
    with pytest.raises(OperationError, match="from 0"):
        features.set_value(z[0], 0, -1.0)


def test_top_returns_only_confident_labels_strongest_first(features, z):
    for row in z:
        top = features.top(row, k=5)
        assert len(top) <= 5
        assert all(f.confidence >= MIN_CONFIDENCE and v > 0 for f, v in top)
        assert [v for _, v in top] == sorted((v for _, v in top), reverse=True)
    assert any(features.top(row) for row in z)
    hidden = [f.id for f in features.features if f.confidence < MIN_CONFIDENCE]
    active_hidden = [fid for fid in hidden if (features.activations(z)[:, fid] > 0).any()]
    assert active_hidden, "these sentences should also touch some hidden features"


def test_load_features_is_cached_and_refuses_another_space(codec, features):
    assert load_features(codec) is features
    with pytest.raises(OperationError, match=f"trained for space {codec.space}; this codec is other-1234"):
        load_features(SimpleNamespace(space="other-1234"))
