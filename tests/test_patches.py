"""Style patches: the shipped examples, save/show/apply, and every way a patch file can be bad."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from safetensors.numpy import save_file

from refract.cli import main
from refract.errors import PatchError
from refract.patches import check_stamp, make_patch, read_patch, transform, write_patch
from refract.space import axis

PATCHES = Path(__file__).resolve().parents[1] / "patches"
SENTENCE = "hey, the meeting got moved to friday so dont forget"


@pytest.mark.parametrize("name", ["terse", "warm", "formal"])
def test_shipped_example_patches_are_valid_for_the_embedded_codec(codec, name):
    patch = read_patch(PATCHES / f"{name}.json")
    check_stamp(patch, codec)
    assert patch.file.name == name and patch.file.description and patch.file.axes


def test_example_patches_move_the_vector_toward_their_style(codec):
    z = codec.encode([SENTENCE])[0]
    formal = transform(codec, read_patch(PATCHES / "formal.json"))(z, 1.0)
    terse = transform(codec, read_patch(PATCHES / "terse.json"))(z, 1.0)
    assert axis(codec, "formality").readout(formal)[0] > axis(codec, "formality").readout(z)[0] + 0.3
    assert axis(codec, "length").readout(terse)[0] < axis(codec, "length").readout(z)[0]
    assert np.allclose(transform(codec, read_patch(PATCHES / "formal.json"))(z, 0.0), z)


def test_save_then_show_then_apply_through_the_cli(tmp_path, capsys):
    source = tmp_path / "mine"
    source.mkdir()
    (source / "a.txt").write_text("I adore long walks by the sea. The air is fresh and kind.")
    (source / "b.md").write_text("We had a lovely supper with friends.")
    out = tmp_path / "mine.json"
    assert main(["patch", "save", str(out), "--from", str(source), "--description", "mine"]) == 0
    assert out.is_file() and "saved style patch" in capsys.readouterr().out
    assert main(["patch", "show", str(out), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["name"] == "mine" and set(shown["axes"]) == {"length", "sentiment", "formality", "person"}
    assert shown["axes"]["sentiment"] > 0  # the texts are plainly positive
    assert main(["rewrite", "--patch", str(out), "--json", SENTENCE]) == 0
    assert json.loads(capsys.readouterr().out)["text"]


def test_written_vectors_round_trip(codec, tmp_path):
    file, _ = make_patch(codec, ["A plain sentence about trains."], "plain", n_features=0)
    vector = np.linspace(-0.01, 0.01, codec.dim).astype(np.float32)
    path = write_patch(tmp_path / "plain", file, {"nudge": vector})
    patch = read_patch(path)
    assert path.suffix == ".json" and patch.file.vectors == "plain.safetensors"
    assert np.allclose(patch.vectors["nudge"], vector)


def _valid(codec) -> dict:
    file, _ = make_patch(codec, ["The committee will meet on Monday."], "ok", n_features=0)
    return json.loads(file.model_dump_json())


def _write(tmp_path: Path, data: object, name: str = "p.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


BAD_JSON = [
    (lambda d: {**d, "version": 2}, "format version 2"),
    (lambda d: {**d, "format": "something-else"}, "format"),
    (lambda d: {**d, "colour": "blue"}, "colour"),
    (lambda d: {k: v for k, v in d.items() if k != "codec"}, "codec"),
    (lambda d: {**d, "name": "../../evil"}, "name"),
    (lambda d: {**d, "axes": {"sentiment": math.inf}}, "sentiment"),
    (lambda d: {**d, "axes": {"sentiment": 1e9}}, "sentiment"),
    (lambda d: {**d, "axes": {"sparkle": 1.0}}, "unknown axis"),
    (lambda d: {**d, "features": {"weather": 1.0}}, "feature keys"),
    (lambda d: {**d, "features": {str(i): 1.0 for i in range(100)}}, "features"),
    (lambda d: {**d, "vectors": "../outside.safetensors"}, "own folder"),
    (lambda d: {**d, "vectors": "/etc/passwd"}, "own folder"),
    (lambda d: {**d, "vectors": "missing.safetensors"}, "missing"),
]


@pytest.mark.parametrize(("mutate", "message"), BAD_JSON)
def test_malformed_patches_are_refused_with_one_clear_line(codec, tmp_path, capsys, mutate, message):
    path = _write(tmp_path, mutate(_valid(codec)))
    with pytest.raises(PatchError, match=message):
        read_patch(path)
    assert main(["patch", "show", str(path)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and message in err and "Traceback" not in err


def test_nan_in_json_is_refused(codec, tmp_path):
    text = json.dumps(_valid(codec)).replace('"axes": {', '"axes": {"question": NaN, ')
    with pytest.raises(PatchError, match="question"):
        read_patch(_write(tmp_path, text))


@pytest.mark.parametrize(
    ("content", "message"),
    [("not json at all", "not valid JSON"), ("[1, 2]", "JSON object"), ("x" * 70_000, "larger than")],
)
def test_files_that_are_not_patches(tmp_path, content, message):
    with pytest.raises(PatchError, match=message):
        read_patch(_write(tmp_path, content))


def test_missing_file(tmp_path):
    with pytest.raises(PatchError, match="does not exist"):
        read_patch(tmp_path / "nope.json")


@pytest.mark.parametrize(
    ("tensors", "raw", "message"),
    [
        ({"v": np.full(384, np.nan, dtype=np.float32)}, None, "NaN"),
        ({"v": np.zeros(10, dtype=np.float32)}, None, "384 floats"),
        ({"v": np.zeros(384, dtype=np.int32)}, None, "384 floats"),
        ({f"v{i}": np.zeros(384, dtype=np.float32) for i in range(9)}, None, "at most 8"),
        (None, b"\x00" * 64, "not readable safetensors"),
        (None, b"\x00" * (1024 * 1024 + 1), "larger than"),
    ],
)
def test_bad_vector_files(codec, tmp_path, tensors, raw, message):
    vectors = tmp_path / "p.safetensors"
    if tensors is not None:
        save_file(tensors, str(vectors))
    else:
        vectors.write_bytes(raw)
    with pytest.raises(PatchError, match=message):
        read_patch(_write(tmp_path, {**_valid(codec), "vectors": "p.safetensors"}))


@pytest.mark.parametrize(
    ("stamp", "message"), [({"dim": 512}, "512-d"), ({"space": "t5-contra-base"}, "t5-contra-base")]
)
def test_patches_for_another_model_are_refused(codec, tmp_path, capsys, stamp, message):
    data = _valid(codec)
    data["codec"].update(stamp)
    path = _write(tmp_path, data)
    with pytest.raises(PatchError, match=message):
        check_stamp(read_patch(path), codec)
    assert main(["rewrite", "--patch", str(path), SENTENCE]) == 1
    assert message in capsys.readouterr().err


def test_unknown_feature_id_is_refused_on_apply(codec, tmp_path):
    path = _write(tmp_path, {**_valid(codec), "features": {"999999": 1.0}})
    with pytest.raises(PatchError, match="999999"):
        transform(codec, read_patch(path))
