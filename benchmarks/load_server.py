"""Load test for `refract serve`: a few hundred mixed requests, some cancelled, against the real server.

Starts the server over stdio with a real LSP client, opens documents, then fires hovers, code
action listings, features, heat maps, previews, rewrites (applied), variations and cancelled
rewrites in a shuffled order with several in flight at once. Reports how many of each
succeeded, latency percentiles per kind, and the server's resident memory before and after;
fails (exit 1) if the server died or its memory grew past the bound.

    python benchmarks/load_server.py --requests 300
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException
from pygls.lsp.client import LanguageClient

SENTENCES = [
    "The museum reopened after a long renovation.",
    "Our team will ship the new release on Thursday.",
    "I hated the cold soup and the rude waiter.",
    "Could you send me the quarterly report by Friday?",
    "The river rose overnight and flooded the lower fields.",
    "This phone has a bright screen and a battery that lasts all day.",
]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--requests", type=int, default=300)
    p.add_argument("--concurrency", type=int, default=4)
    p.add_argument("--max-growth-mb", type=float, default=300.0)
    args = p.parse_args()

    root = Path(tempfile.mkdtemp(prefix="refract-load-"))
    client = LanguageClient("refract-load", "1")

    @client.feature(lsp.WORKSPACE_APPLY_EDIT)
    def apply_edit(params: lsp.ApplyWorkspaceEditParams) -> lsp.ApplyWorkspaceEditResult:
        return lsp.ApplyWorkspaceEditResult(applied=True)  # the document itself is not changed: edits are counted

    await client.start_io(sys.executable, "-m", "refract.cli", "serve")
    pid = client._server.pid  # noqa: SLF001  the subprocess handle is how we read its memory
    await client.initialize_async(lsp.InitializeParams(capabilities=lsp.ClientCapabilities(), root_uri=root.as_uri()))
    client.initialized(lsp.InitializedParams())
    docs = []
    for i in range(4):
        uri = (root / f"doc{i}.md").as_uri()
        text = "\n".join(random.Random(i).sample(SENTENCES, 4)) + "\n"
        client.text_document_did_open(
            lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(uri=uri, language_id="markdown", version=1, text=text))
        )
        docs.append((uri, text.splitlines()))

    def whole_line(line: int, lines: list[str]) -> dict:
        return {"start": {"line": line, "character": 0}, "end": {"line": line, "character": len(lines[line])}}

    async def command(name: str, arguments: dict) -> object:
        return await client.workspace_execute_command_async(
            lsp.ExecuteCommandParams(command=name, arguments=[arguments])
        )

    # warm up: the model loads on the first request
    uri0, lines0 = docs[0]
    await command("refract.rewrite", {"uri": uri0, "range": whole_line(0, lines0), "op": "roundtrip", "apply": False})
    before = rss_mb(pid)

    rng = random.Random(0)
    kinds = ["hover", "codeAction", "features", "heatmap", "preview", "rewrite", "variations", "cancelled", "bad"]
    weights = [30, 15, 10, 5, 10, 10, 8, 8, 4]
    plan = rng.choices(kinds, weights, k=args.requests)
    latency: dict[str, list[float]] = defaultdict(list)
    outcome: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    sem = asyncio.Semaphore(args.concurrency)

    async def one(n: int, kind: str) -> None:
        uri, lines = docs[n % len(docs)]
        line = n % len(lines)
        rng_line = whole_line(line, lines)
        async with sem:
            start = time.perf_counter()
            try:
                if kind == "hover":
                    await client.text_document_hover_async(
                        lsp.HoverParams(lsp.TextDocumentIdentifier(uri), lsp.Position(line, 3))
                    )
                elif kind == "codeAction":
                    await client.text_document_code_action_async(
                        lsp.CodeActionParams(
                            lsp.TextDocumentIdentifier(uri),
                            lsp.Range(lsp.Position(line, 0), lsp.Position(line, len(lines[line]))),
                            lsp.CodeActionContext(diagnostics=[]),
                        )
                    )
                elif kind == "features":
                    await command("refract.features", {"uri": uri, "range": rng_line})
                elif kind == "heatmap":
                    await command("refract.heatmap", {"uri": uri})
                elif kind in ("preview", "rewrite"):
                    op = rng.choice(["shorten", "lengthen", "sentiment", "roundtrip"])
                    await command(
                        "refract.rewrite", {"uri": uri, "range": rng_line, "op": op, "apply": kind == "rewrite"}
                    )
                elif kind == "variations":
                    await command("refract.variations", {"uri": uri, "range": rng_line})
                elif kind == "cancelled":
                    msg_id = f"load-{n}"
                    params = lsp.ExecuteCommandParams(
                        command="refract.rewrite", arguments=[{"uri": uri, "range": rng_line, "op": "roundtrip"}]
                    )
                    future = client.protocol.send_request_async(lsp.WORKSPACE_EXECUTE_COMMAND, params, msg_id=msg_id)
                    await asyncio.sleep(0.01)
                    client.protocol.notify(lsp.CANCEL_REQUEST, lsp.CancelParams(id=msg_id))
                    await future
                elif kind == "bad":
                    await command("refract.rewrite", {"uri": uri, "range": rng_line, "op": "explode"})
                outcome[kind]["ok"] += 1
            except JsonRpcException as exc:
                outcome[kind]["cancelled" if "cancel" in str(exc).lower() else "error"] += 1
            latency[kind].append(time.perf_counter() - start)

    start = time.perf_counter()
    await asyncio.gather(*(one(n, kind) for n, kind in enumerate(plan)))
    wall = time.perf_counter() - start
    alive = client._server.returncode is None  # noqa: SLF001
    after = rss_mb(pid)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()

    print(f"{len(plan)} requests, concurrency {args.concurrency}, {wall:.1f} s wall; server alive: {alive}")
    for kind in kinds:
        ts = sorted(latency[kind])
        if ts:
            counts = ", ".join(f"{k} {v}" for k, v in sorted(outcome[kind].items()))
            p50, p90 = statistics.median(ts), ts[int(0.9 * (len(ts) - 1))]
            print(f"  {kind:<11} {len(ts):>4}  ({counts})  p50 {p50 * 1000:7.1f} ms  p90 {p90 * 1000:7.1f} ms")
    print(f"server RSS: {before:.0f} MB after warm-up, {after:.0f} MB at the end (growth {after - before:+.0f} MB)")
    return 0 if alive and after - before < args.max_growth_mb else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
