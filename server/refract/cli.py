"""The `refract` command: rewrite (one text or a JSONL batch) and serve."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import NoReturn

from pydantic import ValidationError

from refract import __version__
from refract.codec import load_codec
from refract.config import RefractConfig
from refract.errors import RefractError, describe
from refract.operations import OP_NAMES
from refract.rewrite import RewriteRequest, check_text, rewrite, validate
from refract.space import readout_lines, readouts


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
    rw.add_argument("--samples", type=int, help="candidates to decode (default 4)")
    rw.add_argument("--seed", type=int, help="random seed (default 0)")
    rw.add_argument("--json", action="store_true", help="print JSON with all candidates and timing")
    rw.add_argument("--jsonl", action="store_true", help="batch mode: one JSON request per stdin line")

    ft = sub.add_parser("features", help="show where a text sits on each named axis")
    ft.add_argument("text", nargs="?", help="text to read, or - to read standard input")
    ft.add_argument("--json", action="store_true", help="print JSON")

    sub.add_parser("serve", help="run the language server on stdio")
    return parser


def _rewrite_one(args: argparse.Namespace, config: RefractConfig) -> int:
    if args.op is None:
        raise RefractError("rewrite needs --op OP")
    request = RewriteRequest(
        op=args.op,
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
    values = readouts(codec, text)
    if args.json:
        print(json.dumps({"axes": values}))
        return 0
    print("\n".join(readout_lines(codec, values)))
    return 0


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
        config = RefractConfig.from_env(codec=args.codec, samples=args.samples, seed=args.seed)
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
