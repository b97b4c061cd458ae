"""The language server over stdio, driven by a real LSP client (pytest-lsp)."""

from __future__ import annotations

import asyncio
import sys

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException
from pytest_lsp import ClientServerConfig, LanguageClient

URI = "file:///tmp/refract-test/note.md"
TEXT = "# Note\nThe museum reopened after a long renovation.\nSecond line stays.\n"
applied_edits: list[lsp.ApplyWorkspaceEditParams] = []
initialized: list[lsp.InitializeResult] = []


@pytest_lsp.fixture(
    scope="module",
    config=ClientServerConfig(server_command=[sys.executable, "-m", "refract.cli", "serve"]),
)
async def client(lsp_client: LanguageClient):
    @lsp_client.feature(lsp.WORKSPACE_APPLY_EDIT)
    def apply_edit(params: lsp.ApplyWorkspaceEditParams) -> lsp.ApplyWorkspaceEditResult:
        applied_edits.append(params)
        return lsp.ApplyWorkspaceEditResult(applied=True)

    initialized.append(await lsp_client.initialize_session(lsp.InitializeParams(capabilities=lsp.ClientCapabilities())))
    lsp_client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(uri=URI, language_id="markdown", version=3, text=TEXT))
    )
    yield
    await lsp_client.shutdown_session()


def _range(line: int, start: int, end: int) -> dict:
    return {"start": {"line": line, "character": start}, "end": {"line": line, "character": end}}


async def _run(client: LanguageClient, **args) -> dict:
    return await client.workspace_execute_command_async(
        lsp.ExecuteCommandParams(command="refract.rewrite", arguments=[args])
    )


@pytest.mark.asyncio(loop_scope="module")
async def test_server_reports_itself_and_the_rewrite_command(client: LanguageClient):
    result = initialized[-1]
    assert result.server_info.name == "refract"
    assert "refract.rewrite" in result.capabilities.execute_command_provider.commands


@pytest.mark.asyncio(loop_scope="module")
async def test_rewrite_applies_a_versioned_edit(client: LanguageClient):
    line = TEXT.splitlines()[1]
    result = await _run(client, uri=URI, range=_range(1, 0, len(line)), op="roundtrip")
    assert result["applied"] is True and result["text"] and result["candidates"]
    change = applied_edits[-1].edit.document_changes[0]
    assert change.text_document.version == 3
    assert change.edits[0].new_text == result["text"]
    assert change.edits[0].range.start.line == 1 and change.edits[0].range.end.character == len(line)


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"uri": "file:///nowhere.md", "range": _range(0, 0, 1), "op": "roundtrip"}, "unknown document"),
        ({"uri": URI, "range": _range(1, 0, 5), "op": "shout"}, "unknown op"),
        ({"uri": URI, "range": _range(40, 0, 5), "op": "roundtrip"}, "outside the document"),
        ({"uri": URI, "range": _range(1, 0, 500), "op": "roundtrip"}, "outside the document"),
        ({"uri": URI, "range": _range(1, 3, 3), "op": "roundtrip"}, "empty"),
        ({"uri": URI, "op": "roundtrip"}, "range"),
    ],
)
async def test_bad_arguments_are_clear_errors_and_the_server_keeps_serving(client: LanguageClient, args, message):
    with pytest.raises(JsonRpcException, match=message):
        await _run(client, **args)
    ok = await _run(client, uri=URI, range=_range(1, 0, 10), op="roundtrip")
    assert ok["text"]


@pytest.mark.asyncio(loop_scope="module")
async def test_an_edit_is_not_applied_when_the_document_changed_meanwhile(client: LanguageClient):
    uri = "file:///tmp/refract-test/race.md"
    text = "The harbour was quiet at dawn. Fishing boats waited for the tide. Gulls circled the empty pier.\n"
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(uri=uri, language_id="markdown", version=1, text=text))
    )
    edits_before = len(applied_edits)
    pending = asyncio.ensure_future(_run(client, uri=uri, range=_range(0, 0, len(text) - 1), op="roundtrip"))
    await asyncio.sleep(0.05)  # the request is on its way; the writer types while the rewrite computes
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[lsp.TextDocumentContentChangeWholeDocument(text="Typed meanwhile.\n" + text)],
        )
    )
    result = await pending
    assert result["applied"] is False and "changed" in result["reason"]
    assert len(applied_edits) == edits_before


@pytest.mark.asyncio(loop_scope="module")
async def test_hover_shows_axis_readouts_of_the_sentence_under_the_cursor(client: LanguageClient):
    from refract.space import AXES

    hover = await client.text_document_hover_async(
        lsp.HoverParams(text_document=lsp.TextDocumentIdentifier(uri=URI), position=lsp.Position(line=1, character=8))
    )
    assert hover is not None and hover.range.start.line == 1 and hover.range.start.character == 0
    assert hover.range.end.character == len(TEXT.splitlines()[1])
    assert all(name in hover.contents.value for name in AXES) and "|" in hover.contents.value
    nothing = await client.text_document_hover_async(
        lsp.HoverParams(text_document=lsp.TextDocumentIdentifier(uri=URI), position=lsp.Position(line=99, character=0))
    )
    assert nothing is None
