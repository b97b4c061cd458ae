"""The language server behind `refract serve`: LSP in, core calls out.

This module only translates protocol to refract.rewrite calls; model work runs on a worker
thread so the event loop keeps answering while a rewrite computes.
"""

from __future__ import annotations

import asyncio
from typing import Any

from lsprotocol import types as lsp
from pydantic import BaseModel, Field, ValidationError
from pygls.exceptions import JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer
from pygls.workspace import TextDocument

from refract import __version__
from refract.codec import load_codec
from refract.config import RefractConfig
from refract.errors import RefractError, describe
from refract.rewrite import EditOptions, RewriteRequest, check_text, rewrite
from refract.sentences import sentence_at
from refract.space import AXES, axis, readout_lines, readouts

server = LanguageServer("refract", __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental)


class Pos(BaseModel):
    line: int = Field(ge=0)
    character: int = Field(ge=0)


class Span(BaseModel):
    start: Pos
    end: Pos


class RewriteArgs(EditOptions):
    uri: str
    range: Span


def _parse(model: type[BaseModel], args: tuple[Any, ...]) -> Any:
    if len(args) != 1 or not isinstance(args[0], dict):
        raise JsonRpcInvalidParams(message="expected one argument object")
    try:
        return model.model_validate(args[0])
    except ValidationError as exc:
        raise JsonRpcInvalidParams(message=f"bad argument {describe(exc)}") from None


def _offset(doc: TextDocument, pos: Pos) -> int:
    """Index into doc.source for a client position (UTF-16 units), or a clear error if outside."""
    lines = doc.lines
    inside = pos.line < len(lines) or (pos.line == len(lines) and pos.character == 0)
    if inside and pos.line < len(lines):
        inside = pos.character <= doc.position_codec.client_num_units(lines[pos.line].rstrip("\r\n"))
    if not inside:
        raise JsonRpcInvalidParams(
            message=f"range is outside the document (line {pos.line}, character {pos.character})"
        )
    return doc.offset_at_position(lsp.Position(line=pos.line, character=pos.character))


@server.command("refract.rewrite")
async def rewrite_command(ls: LanguageServer, *args: Any) -> dict[str, Any]:
    """Rewrite a range; apply it as a versioned edit unless the document changed meanwhile."""
    a: RewriteArgs = _parse(RewriteArgs, args)
    if a.uri not in ls.workspace.text_documents:
        raise JsonRpcInvalidParams(message=f"unknown document {a.uri}; open it first")
    doc = ls.workspace.get_text_document(a.uri)
    version = doc.version
    start, end = _offset(doc, a.range.start), _offset(doc, a.range.end)
    if end < start:
        raise JsonRpcInvalidParams(message="range ends before it starts")
    request = RewriteRequest(text=doc.source[start:end], **a.model_dump(include=set(EditOptions.model_fields)))
    config = RefractConfig.from_env()
    try:
        result = await asyncio.get_running_loop().run_in_executor(
            ls.thread_pool, lambda: rewrite(load_codec(config.codec), request, config)
        )
    except RefractError as exc:
        raise JsonRpcInvalidParams(message=str(exc)) from None
    out: dict[str, Any] = result.model_dump()
    now = ls.workspace.text_documents.get(a.uri)  # None if the writer closed it meanwhile
    if now is None or now.version != version or now.source[start:end] != request.text:
        return {**out, "applied": False, "reason": "the document changed while the rewrite was computing"}
    edit = lsp.TextDocumentEdit(
        text_document=lsp.OptionalVersionedTextDocumentIdentifier(uri=a.uri, version=version),
        edits=[
            lsp.TextEdit(
                range=lsp.Range(
                    start=lsp.Position(**a.range.start.model_dump()), end=lsp.Position(**a.range.end.model_dump())
                ),
                new_text=result.text,
            )
        ],
    )
    applied = await ls.workspace_apply_edit_async(
        lsp.ApplyWorkspaceEditParams(edit=lsp.WorkspaceEdit(document_changes=[edit]), label=f"Refract: {a.op}")
    )
    out["applied"] = applied.applied
    if not applied.applied:
        out["reason"] = applied.failure_reason or "the editor refused the edit"
    return out


def _hover_markdown(codec_name: str, sentence: str) -> str:
    codec = load_codec(codec_name)
    rows = readout_lines(codec, readouts(codec, sentence))
    return "**Refract** (this sentence)\n```text\n" + "\n".join(rows) + "\n```"


@server.feature(lsp.TEXT_DOCUMENT_HOVER)
async def hover(ls: LanguageServer, params: lsp.HoverParams) -> lsp.Hover | None:
    """Axis readouts of the sentence under the cursor."""
    doc = ls.workspace.get_text_document(params.text_document.uri)
    try:
        offset = doc.offset_at_position(params.position)
    except (IndexError, ValueError):
        return None
    span = sentence_at(doc.source, offset)
    if span is None:
        return None
    config = RefractConfig.from_env()
    try:
        text = check_text(doc.source[span[0] : span[1]], config.max_words, "sentence")
        markdown = await asyncio.get_running_loop().run_in_executor(ls.thread_pool, _hover_markdown, config.codec, text)
    except RefractError:
        return None  # nothing to say about this text (not English, too long): no hover rather than an error
    start, end = doc.client_position_at_offset(span[0]), doc.client_position_at_offset(span[1])
    return lsp.Hover(
        contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=markdown), range=lsp.Range(start, end)
    )


@server.feature(lsp.INITIALIZED)
def warm_up(ls: LanguageServer, _: lsp.InitializedParams) -> None:
    """Load the model and axes in the background so the first hover or rewrite does not wait for them."""
    codec_name = RefractConfig.from_env().codec
    ls.thread_pool.submit(lambda: [axis(load_codec(codec_name), name) for name in AXES])


def serve() -> None:
    """Serve LSP on stdin/stdout until the client exits."""
    server.start_io()
