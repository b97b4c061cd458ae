"""The `refract` command: rewrite (one text or a JSONL batch) and serve."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import NoReturn

from pydantic import ValidationError

from refract import __version__
from refract.codec import load_codec
from refract.config import RefractConfig
from refract.errors import RefractError, describe
from refract.operations import OP_NAMES
from refract.patches import check_stamp, make_patch, read_patch, write_patch
from refract.readout import describe_text, patch_summary, patch_summary_lines, report_lines
from refract.rewrite import RewriteRequest, check_text, rewrite, validate


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line, no usage dump: scripts and editors show this to writers verbatim.
        self.exit(2, f"refract: error: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="refract", description="Edit prose in a text autoencoder's latent space.")
    parser.add_argument("--version", action="version", version=f"refract {__version__}")
    parser.add_argument("--codec", help="codec to load (default: embedded, or $REFRACT_CODEC)")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    rw = sub.add_parser("rewrite", help="rewrite text by editing its embedding")
    rw.add_argument("text", nargs="?", help="text to rewrite, or - to read standard input")
    rw.add_argument("--op", choices=OP_NAMES, metavar="OP", help=f"one of: {', '.join(OP_NAMES)}")
    rw.add_argument("--amount", type=float, help="how far to move (meaning depends on the op)")
    rw.add_argument("--source", help="source passage for tone, topic and blend")
    rw.add_argument("--patch", help="style patch file for the patch op")
    rw.add_argument("--feature", help="feature id or label for the feature op")
    rw.add_argument("--samples", type=int, help="candidates the decoder samples, the greedy one first (default 4)")
    rw.add_argument("--variations", type=int, help="candidates the variations op returns (default 8)")
    rw.add_argument("--seed", type=int, help="random seed (default 0)")
    rw.add_argument(
        "--corrections", type=int, help="correction rounds for roundtrip, topic and blend (default 12; 0 = fastest)"
    )
    rw.add_argument(
        "--sentence-seconds",
        type=float,
        help="time a rewrite may take per sentence, decoding included (default 1.4; 0 = every correction round)",
    )
    rw.add_argument("--json", action="store_true", help="print JSON with all candidates and timing")
    rw.add_argument("--jsonl", action="store_true", help="batch mode: one JSON request per stdin line")

    ft = sub.add_parser("features", help="show where a text sits on each axis, and its top features")
    ft.add_argument("text", nargs="?", help="text to read, or - to read standard input")
    ft.add_argument("--top", type=int, default=5, help="labelled features to show (default 5)")
    ft.add_argument("--json", action="store_true", help="print JSON")

    pt = sub.add_parser("patch", help="save or show style patches")
    patch_sub = pt.add_subparsers(dest="patch_command", required=True, parser_class=_Parser)
    save = patch_sub.add_parser("save", help="save the style of your writing as a patch")
    save.add_argument("path", help="patch file to write (NAME.json)")
    save.add_argument("--from", dest="source", required=True, metavar="PATH",
                      help="a text file, a folder of .txt/.md files, or - for standard input")  # fmt: skip
    save.add_argument("--name", help="patch name (default: the file name)")
    save.add_argument("--description", default="", help="one line saying what the patch does")
    show = patch_sub.add_parser("show", help="validate a patch and show what it does")
    show.add_argument("path", help="patch file (NAME.json)")
    show.add_argument("--json", action="store_true", help="print JSON")

    sub.add_parser("serve", help="run the language server on stdio")
    return parser


def _rewrite_one(args: argparse.Namespace, config: RefractConfig) -> int:
    op = args.op or ("patch" if args.patch else None)
    if op is None:
        raise RefractError("rewrite needs --op OP (or --patch FILE)")
    request = RewriteRequest(
        op=op,
        text=_read_text(args.text),
        amount=args.amount,
        source=args.source,
        patch=args.patch,
        feature=args.feature,
    )
    validate(request, config)  # bad input fails before the model loads
    result = rewrite(load_codec(config.codec), request, config)
    print(result.model_dump_json() if args.json else result.text)
    return 0


def _features(args: argparse.Namespace, config: RefractConfig) -> int:
    text = check_text(_read_text(args.text), config.max_words)
    codec = load_codec(config.codec)
    report = describe_text(codec, text, args.top)
    print(json.dumps(report) if args.json else "\n".join(report_lines(codec, report)))
    return 0


def _patch(args: argparse.Namespace, config: RefractConfig) -> int:
    if args.patch_command == "show":
        patch = read_patch(args.path)  # structure first: a broken file fails before the model loads
        codec = load_codec(config.codec)
        check_stamp(patch, codec)
        summary = patch_summary(codec, patch)
        print(json.dumps(summary) if args.json else "\n".join(patch_summary_lines(codec, summary)))
        return 0
    texts = _read_sources(args.source)
    codec = load_codec(config.codec)
    name = args.name or Path(args.path).stem
    path = write_patch(args.path, *make_patch(codec, texts, name, args.description))
    print(f"saved style patch {name!r} to {path}")
    return 0


def _read_sources(source: str) -> list[str]:
    """The texts to learn a style from: stdin, one file, or the .txt/.md files of a folder."""
    if source == "-":
        texts = [sys.stdin.read()]
    else:
        root = Path(source)
        if not root.exists():
            raise RefractError(f"{source} does not exist")
        paths = sorted(p for p in root.iterdir() if p.suffix in (".txt", ".md")) if root.is_dir() else [root]
        try:
            texts = [p.read_text(encoding="utf-8") for p in paths]
        except (OSError, UnicodeDecodeError) as exc:
            raise RefractError(f"cannot read {source}: {exc}") from None
    texts = [t for t in texts if t.strip()]
    if not texts:
        raise RefractError(f"found no text in {source} (a folder is read for .txt and .md files)")
    return texts


def _read_text(arg: str | None) -> str:
    if arg is None and sys.stdin.isatty():
        raise RefractError("give the text as an argument, or pipe it in with -")
    return sys.stdin.read() if arg in (None, "-") else arg


def _rewrite_batch(config: RefractConfig) -> int:
    """Each stdin line is a request; each stdout line its result or error. Nothing stops the batch."""
    if sys.stdin.isatty():
        raise RefractError("--jsonl reads requests from standard input; pipe them in")
    codec = None
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        rid: object = number  # requests without an id are named by their line number
        try:
            data = json.loads(line)
            if not isinstance(data, dict):
                raise RefractError("each line must be a JSON object")
            rid = data.pop("id", number)
            request = validate(RewriteRequest.model_validate(data), config)
            codec = codec or load_codec(config.codec)
            out = {"id": rid, **rewrite(codec, request, config).model_dump()}
        except json.JSONDecodeError as exc:
            out = {"id": rid, "error": f"line {number} is not JSON: {exc.msg}"}
        except ValidationError as exc:
            out = {"id": rid, "error": f"bad request field {describe(exc)}"}
        except RefractError as exc:
            out = {"id": rid, "error": str(exc)}
        except Exception as exc:  # noqa: BLE001  a fault on one line must not cost the rest of the batch
            out = {"id": rid, "error": f"internal error ({type(exc).__name__}): {exc}"}
        print(json.dumps(out), flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "serve":
            from refract.server import serve

            serve()
            return 0
        if args.command == "features":
            return _features(args, RefractConfig.from_env(codec=args.codec))
        if args.command == "patch":
            return _patch(args, RefractConfig.from_env(codec=args.codec))
        config = RefractConfig.from_env(
            codec=args.codec,
            samples=args.samples,
            variations=args.variations,
            seed=args.seed,
            corrections=args.corrections,
            sentence_seconds=args.sentence_seconds,
        )
        if args.jsonl:
            if args.text is not None:
                raise RefractError("--jsonl reads requests from standard input; drop the TEXT argument")
            return _rewrite_batch(config)
        return _rewrite_one(args, config)
    except RefractError as exc:
        print(f"refract: error: {exc}", file=sys.stderr)
        return 1
    except ValidationError as exc:
        print(f"refract: error: {describe(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away: stop quietly, as other Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
