"""The language server behind `refract serve`: LSP in, core calls out.

This module translates protocol to core calls (refract.rewrite, refract.readout, refract.patches)
and holds no model logic. Model work runs off the event loop on two pools: one worker for
rewrites (they queue, so memory stays flat) and two for reads (hover, features, heat map), so a
hover never waits behind a rewrite. The surface is documented in docs/protocol.md.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, TypeVar

import numpy as np
from lsprotocol import types as lsp
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pygls.exceptions import JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path
from pygls.workspace import TextDocument

from refract import __version__
from refract.codec import Codec, load_codec
from refract.codec.cache import CachedCodec
from refract.config import RefractConfig
from refract.errors import RefractError, describe
from refract.patches import find_patches, make_patch, write_patch
from refract.readout import describe_text, describe_vector, markdown
from refract.rewrite import EditOptions, RewriteRequest, check_text, rewrite, validate
from refract.sentences import sentence_at, sentence_spans, sentence_text
from refract.space import AXES, axis
from refract.space.features import load_features

T = TypeVar("T", bound=BaseModel)


class RefractServer(LanguageServer):
    """The LSP server plus the little state a session has: settings, style clipboard, pools."""

    def __init__(self) -> None:
        super().__init__("refract", __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental)
        self.config = RefractConfig.from_env()
        self.settings_read = asyncio.Event()  # set once the client's settings arrived (or cannot)
        self.clipboard: str | None = None  # the passage copied with refract.copyStyle
        self.rewrites = ThreadPoolExecutor(max_workers=1, thread_name_prefix="refract-rewrite")
        self.reads = ThreadPoolExecutor(max_workers=2, thread_name_prefix="refract-read")

    def codec(self) -> CachedCodec:
        return _cached(load_codec(self.config.codec))

    async def settings(self) -> RefractConfig:
        """The settings, waiting briefly for the client's answer if a request beat it after start-up."""
        try:
            await asyncio.wait_for(self.settings_read.wait(), timeout=3.0)
        except TimeoutError:
            self.settings_read.set()  # a client that never answers gets the defaults
        return self.config


@lru_cache(maxsize=2)
def _cached(codec: Codec) -> CachedCodec:
    return CachedCodec(codec)


server = RefractServer()


# --- arguments -------------------------------------------------------------------------------


class Pos(BaseModel):
    line: int = Field(ge=0)
    character: int = Field(ge=0)


class Span(BaseModel):
    start: Pos
    end: Pos


class Where(BaseModel):
    model_config = ConfigDict(extra="forbid")
    uri: str
    range: Span


class RewriteArgs(EditOptions, Where):
    apply: bool = True


class VariationsArgs(Where):
    amount: float | None = Field(None, allow_inf_nan=False)


class ApplyTextArgs(Where):
    text: str
    version: int


class PasteStyleArgs(Where):
    aspect: Literal["tone", "topic", "blend"]
    amount: float | None = Field(None, allow_inf_nan=False)
    apply: bool = True


class SavePatchArgs(Where):
    path: str = Field(min_length=1)
    name: str | None = None


class ApplyPatchArgs(Where):
    path: str = Field(min_length=1)
    amount: float | None = Field(None, allow_inf_nan=False)
    apply: bool = True


class HeatmapArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")
    uri: str
    feature: str | None = None


class ClientSettings(BaseModel):
    """The client's `refract` settings section; keys only clients read (server path...) are ignored."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    class Hover(BaseModel):
        enabled: bool = True

    class Heatmap(BaseModel):
        feature: str = "sentiment"

    codec: str = "embedded"
    # The server's defaults are RefractConfig's, so a changed default is changed in one place.
    samples: int = RefractConfig.model_fields["samples"].default
    corrections: int = RefractConfig.model_fields["corrections"].default
    variations: int = RefractConfig.model_fields["variations"].default
    sentence_seconds: float = Field(RefractConfig.model_fields["sentence_seconds"].default, alias="sentenceSeconds")
    patch_folders: list[str] = Field(default_factory=list, alias="patchFolders")
    hover: Hover = Field(default_factory=Hover)
    heatmap: Heatmap = Field(default_factory=Heatmap)


def _parse(model: type[T], args: tuple[Any, ...]) -> T:
    if len(args) != 1 or not isinstance(args[0], dict):
        raise JsonRpcInvalidParams(message="expected one argument object")
    try:
        return model.model_validate(args[0])
    except ValidationError as exc:
        raise JsonRpcInvalidParams(message=f"bad argument {describe(exc)}") from None


# --- documents and ranges --------------------------------------------------------------------


def _document(ls: RefractServer, uri: str) -> TextDocument:
    if uri not in ls.workspace.text_documents:
        raise JsonRpcInvalidParams(message=f"unknown document {uri}; open it first")
    return ls.workspace.get_text_document(uri)


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


class Selection(BaseModel):
    """A range of a document as the server read it: where it is, which version, what it said."""

    uri: str
    range: Span
    start: int
    end: int
    version: int | None
    text: str


def _select(ls: RefractServer, where: Where) -> Selection:
    doc = _document(ls, where.uri)
    start, end = _offset(doc, where.range.start), _offset(doc, where.range.end)
    if end < start:
        raise JsonRpcInvalidParams(message="range ends before it starts")
    return Selection(
        uri=where.uri, range=where.range, start=start, end=end, version=doc.version, text=doc.source[start:end]
    )


def _still_there(ls: RefractServer, sel: Selection) -> bool:
    now = ls.workspace.text_documents.get(sel.uri)  # None if the writer closed it meanwhile
    return now is not None and now.version == sel.version and now.source[sel.start : sel.end] == sel.text


def _lsp_range(span: Span) -> lsp.Range:
    return lsp.Range(start=lsp.Position(**span.start.model_dump()), end=lsp.Position(**span.end.model_dump()))


def _versioned_edit(sel: Selection, new_text: str) -> lsp.WorkspaceEdit:
    change = lsp.TextDocumentEdit(
        text_document=lsp.OptionalVersionedTextDocumentIdentifier(uri=sel.uri, version=sel.version),
        edits=[lsp.TextEdit(range=_lsp_range(sel.range), new_text=new_text)],
    )
    return lsp.WorkspaceEdit(document_changes=[change])


CHANGED = "the document changed while the rewrite was computing; nothing was applied"


async def _apply(ls: RefractServer, sel: Selection, new_text: str, label: str) -> dict[str, Any]:
    """Apply new_text over the selection as a versioned edit, unless the text there changed."""
    if not _still_there(ls, sel):
        return {"applied": False, "reason": CHANGED}
    answer = await ls.workspace_apply_edit_async(
        lsp.ApplyWorkspaceEditParams(edit=_versioned_edit(sel, new_text), label=f"Refract: {label}")
    )
    if answer.applied:
        return {"applied": True}
    return {"applied": False, "reason": answer.failure_reason or "the editor refused the edit"}


# --- running model work off the loop --------------------------------------------------------


def _stop_flag(ls: RefractServer) -> tuple[Callable[[], bool], Callable[[], None]]:
    """(should_stop, stop) for the request being handled.

    pygls runs a command's coroutine as its own task and answers $/cancelRequest by cancelling
    only the request's outer future, so the worker polls that future as well as its own flag.
    """
    outer = ls.protocol._request_futures.get(ls.protocol.msg_id)  # noqa: SLF001  no public handle in pygls 2
    stopped = [False]

    def should_stop() -> bool:
        return stopped[0] or (outer is not None and outer.cancelled())

    def stop() -> None:
        stopped[0] = True

    return should_stop, stop


async def _in_pool(pool: ThreadPoolExecutor, work: Callable[[], Any], stop: Callable[[], None] | None = None) -> Any:
    """Run work on a pool; RefractErrors become InvalidParams errors carrying the writer's message."""
    try:
        return await asyncio.get_running_loop().run_in_executor(pool, work)
    except asyncio.CancelledError:
        if stop:
            stop()
        raise
    except RefractError as exc:
        raise JsonRpcInvalidParams(message=str(exc)) from None


class Progress:
    """A $/progress report for one rewrite, if the client can show one; the writer may cancel it."""

    def __init__(self, ls: RefractServer) -> None:
        self.ls, self.token, self.cancel = ls, None, None

    async def begin(self, title: str) -> None:
        caps = self.ls.client_capabilities.window
        if not (caps and caps.work_done_progress):
            return
        token = str(uuid.uuid4())
        try:
            await self.ls.work_done_progress.create_async(token)
        except Exception:  # noqa: BLE001  a client that refuses progress still gets its rewrite
            return
        self.ls.work_done_progress.begin(token, lsp.WorkDoneProgressBegin(title=title, cancellable=True))
        self.token, self.cancel = token, self.ls.work_done_progress.tokens.get(token)

    def cancelled(self) -> bool:
        return self.cancel is not None and self.cancel.cancelled()

    def end(self) -> None:
        if self.token is not None:
            self.ls.work_done_progress.end(self.token, lsp.WorkDoneProgressEnd())
            self.ls.work_done_progress.tokens.pop(self.token, None)  # pygls keeps every token otherwise


async def _compute(ls: RefractServer, sel: Selection, options: EditOptions, label: str) -> dict[str, Any]:
    """The rewrite of a selection, computed on the rewrite worker, with progress and cancellation."""
    config = await ls.settings()
    request = RewriteRequest(text=sel.text, **options.model_dump())
    try:  # cheap checks on the loop: a bad request is answered at once, not after the rewrites queued before it
        validate(request, config)
    except RefractError as exc:
        raise JsonRpcInvalidParams(message=str(exc)) from None
    should_stop, stop = _stop_flag(ls)
    progress = Progress(ls)
    await progress.begin(f"Refract: {label}")
    try:
        result = await _in_pool(
            ls.rewrites,
            lambda: rewrite(ls.codec(), request, config, lambda: should_stop() or progress.cancelled()),
            stop,
        )
    finally:
        progress.end()
    if should_stop() or progress.cancelled():  # cancelled after the last checkpoint: still nothing is applied
        raise JsonRpcInvalidParams(message="the rewrite was cancelled")
    return {**result.model_dump(), "version": sel.version}


async def _rewrite_and_apply(
    ls: RefractServer, sel: Selection, options: EditOptions, apply: bool, label: str
) -> dict[str, Any]:
    out = await _compute(ls, sel, options, label)
    if not apply:
        return {**out, "applied": False}
    return {**out, **await _apply(ls, sel, out["text"], label)}


# --- commands ---------------------------------------------------------------------------------


@server.command("refract.rewrite")
async def rewrite_command(ls: RefractServer, *args: Any) -> dict[str, Any]:
    """Rewrite a range; apply it as a versioned edit unless the document changed meanwhile."""
    a = _parse(RewriteArgs, args)
    options = EditOptions(**a.model_dump(include=set(EditOptions.model_fields)))
    return await _rewrite_and_apply(ls, _select(ls, a), options, a.apply, a.op)


@server.command("refract.variations")
async def variations_command(ls: RefractServer, *args: Any) -> dict[str, Any]:
    """Candidates around the selection's meaning, for a picker; never edits."""
    a = _parse(VariationsArgs, args)
    out = await _compute(ls, _select(ls, a), EditOptions(op="variations", amount=a.amount), "variations")
    return {"candidates": out["candidates"], "version": out["version"], "seconds": out["seconds"]}


@server.command("refract.applyText")
async def apply_text_command(ls: RefractServer, *args: Any) -> dict[str, Any]:
    """Replace a range with a chosen candidate, if the document is still at the version it came from."""
    a = _parse(ApplyTextArgs, args)
    sel = _select(ls, a)
    if sel.version != a.version:
        return {"applied": False, "reason": "the document changed since these candidates were made; nothing applied"}
    return await _apply(ls, sel, a.text, "apply candidate")


@server.command("refract.copyStyle")
async def copy_style_command(ls: RefractServer, *args: Any) -> dict[str, Any]:
    """Keep the selection as the style clipboard (shared by all documents)."""
    sel = _select(ls, _parse(Where, args))
    text = _checked(ls, sel.text)
    report = await _in_pool(ls.reads, lambda: describe_text(ls.codec(), text, top=0))
    ls.clipboard = text
    preview = " ".join(text.split()[:8]) + ("…" if len(text.split()) > 8 else "")
    return {"copied": preview, "axes": report["axes"]}


@server.command("refract.pasteStyle")
async def paste_style_command(ls: RefractServer, *args: Any) -> dict[str, Any]:
    """Rewrite the selection with the copied passage's tone or topic, or blend it toward the passage."""
    a = _parse(PasteStyleArgs, args)
    if ls.clipboard is None:
        raise JsonRpcInvalidParams(message="no style copied yet; select a passage and run Copy Style first")
    options = EditOptions(op=a.aspect, amount=a.amount, source=ls.clipboard)
    return await _rewrite_and_apply(ls, _select(ls, a), options, a.apply, f"paste {a.aspect}")


@server.command("refract.savePatch")
async def save_patch_command(ls: RefractServer, *args: Any) -> dict[str, Any]:
    """Save the selection's style as a patch file."""
    a = _parse(SavePatchArgs, args)
    text = _checked(ls, _select(ls, a).text)
    path = _workspace_path(ls, a.path)
    name = a.name or path.stem

    def save() -> dict[str, Any]:
        file, vectors = make_patch(ls.codec(), [text], name)
        return {"path": str(write_patch(path, file, vectors)), "name": file.name, "axes": file.axes}

    return await _in_pool(ls.reads, save)


@server.command("refract.applyPatch")
async def apply_patch_command(ls: RefractServer, *args: Any) -> dict[str, Any]:
    """Rewrite the selection with a style patch."""
    a = _parse(ApplyPatchArgs, args)
    path = str(_workspace_path(ls, a.path))  # a bad file is refused by _compute's validation, before model work
    options = EditOptions(op="patch", amount=a.amount, patch=path)
    return await _rewrite_and_apply(ls, _select(ls, a), options, a.apply, f"apply patch {Path(path).stem}")


@server.command("refract.listPatches")
def list_patches_command(ls: RefractServer, *args: Any) -> dict[str, Any]:
    """The patches in the configured folders and each workspace folder's patches/."""
    return {
        "patches": [
            {"path": str(p.path), "name": p.file.name, "description": p.file.description}
            for p in find_patches(_patch_folders(ls))
        ]
    }


@server.command("refract.features")
async def features_command(ls: RefractServer, *args: Any) -> dict[str, Any]:
    """Axis readouts and top labelled features of the selection."""
    text = _checked(ls, _select(ls, _parse(Where, args)).text)

    def read() -> dict[str, Any]:
        codec = ls.codec()
        report = describe_text(codec, text)
        return {**report, "markdown": markdown(codec, report, "selection")}

    return await _in_pool(ls.reads, read)


@server.command("refract.heatmap")
async def heatmap_command(ls: RefractServer, *args: Any) -> dict[str, Any]:
    """One value per sentence of the document for an axis or a feature."""
    a = _parse(HeatmapArgs, args)
    doc = _document(ls, a.uri)
    key = a.feature or (await ls.settings()).heatmap_feature
    source = doc.source
    spans = sentence_spans(source)
    sentences = [sentence_text(source, span) for span in spans]

    def values() -> tuple[str, np.ndarray]:
        codec = ls.codec()
        z = codec.encode(sentences) if sentences else np.zeros((0, codec.dim), dtype=np.float32)
        if key in AXES:
            ax = axis(codec, key)
            return f"{ax.low} … {ax.high}", ax.readout(z)
        features = load_features(codec)
        feature = features.find(key)
        return feature.label, features.value_of(z, feature.id)

    label, vals = await _in_pool(ls.reads, values)
    rows = [{"range": _range_of(doc, s, e), "value": round(float(v), 3)} for (s, e), v in zip(spans, vals, strict=True)]
    low, high = (float(vals.min()), float(vals.max())) if len(vals) else (0.0, 0.0)
    return {"feature": key, "label": label, "min": round(low, 3), "max": round(high, 3), "sentences": rows}


def _range_of(doc: TextDocument, start: int, end: int) -> dict[str, Any]:
    return _span_dict(lsp.Range(doc.client_position_at_offset(start), doc.client_position_at_offset(end)))


def _checked(ls: RefractServer, text: str) -> str:
    try:
        return check_text(text, ls.config.max_words)
    except RefractError as exc:
        raise JsonRpcInvalidParams(message=str(exc)) from None


def _roots(ls: RefractServer) -> list[Path]:
    return [Path(to_fs_path(f.uri) or "") for f in ls.workspace.folders.values()]


def _workspace_path(ls: RefractServer, path: str) -> Path:
    """A path from the client: absolute as given, relative to the first workspace folder otherwise."""
    p = Path(path).expanduser()
    roots = _roots(ls)
    return p if p.is_absolute() or not roots else roots[0] / p


def _patch_folders(ls: RefractServer) -> list[Path]:
    configured = [_workspace_path(ls, folder) for folder in ls.config.patch_folders]
    return list(dict.fromkeys([*configured, *(root / "patches" for root in _roots(ls))]))


# --- code actions -----------------------------------------------------------------------------

ACTIONS: list[tuple[str, dict[str, Any]]] = [
    ("Shorten", {"op": "shorten"}),
    ("Lengthen", {"op": "lengthen"}),
    ("More positive", {"op": "sentiment", "amount": 1.0}),
    ("More negative", {"op": "sentiment", "amount": -1.0}),
]


@server.feature(
    lsp.TEXT_DOCUMENT_CODE_ACTION,
    lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.RefactorRewrite], resolve_provider=True),
)
def code_actions(ls: RefractServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
    """Refract's rewrites for a non-empty selection; listing is instant, the edit comes on resolve."""
    r = params.range
    if (r.start.line, r.start.character) == (r.end.line, r.end.character):
        return []
    doc = ls.workspace.text_documents.get(params.text_document.uri)
    if doc is None:
        return []
    where = {"uri": doc.uri, "range": _span_dict(r)}
    entries = [(f"Refract: {title}", "refract.rewrite", {**where, **extra}) for title, extra in ACTIONS]
    if ls.clipboard is not None:
        entries += [(f"Refract: Paste {aspect}", "refract.pasteStyle", {**where, "aspect": aspect})
                    for aspect in ("tone", "topic")]  # fmt: skip
    entries += [(f'Refract: Apply patch "{p.file.name}"', "refract.applyPatch", {**where, "path": str(p.path)})
                for p in find_patches(_patch_folders(ls))]  # fmt: skip
    lazy = _resolves_edits(ls)
    actions = []
    for title, command, arguments in entries:
        action = lsp.CodeAction(title=title, kind=lsp.CodeActionKind.RefactorRewrite)
        if lazy:
            action.data = {"command": command, "arguments": arguments, "version": doc.version}
        else:
            action.command = lsp.Command(title=title, command=command, arguments=[arguments])
        actions.append(action)
    return actions


def _span_dict(r: lsp.Range) -> dict[str, Any]:
    return {
        "start": {"line": r.start.line, "character": r.start.character},
        "end": {"line": r.end.line, "character": r.end.character},
    }


def _resolves_edits(ls: RefractServer) -> bool:
    doc_caps = ls.client_capabilities.text_document
    support = doc_caps and doc_caps.code_action and doc_caps.code_action.resolve_support
    return bool(support and "edit" in support.properties)


@server.feature(lsp.CODE_ACTION_RESOLVE)
async def resolve_code_action(ls: RefractServer, action: lsp.CodeAction) -> lsp.CodeAction:
    """Compute the action's rewrite and attach it as a versioned edit."""
    data = action.data if isinstance(action.data, dict) else {}
    arguments = data.get("arguments")
    if not isinstance(arguments, dict) or data.get("command") not in COMPUTE:
        raise JsonRpcInvalidParams(message="this code action did not come from Refract")
    where = _parse(Where, ({k: arguments[k] for k in ("uri", "range") if k in arguments},))
    sel = _select(ls, where)
    if sel.version != data.get("version"):
        raise JsonRpcInvalidParams(message=CHANGED)
    options = COMPUTE[data["command"]](ls, arguments)
    out = await _compute(ls, sel, options, action.title)
    if not _still_there(ls, sel):
        raise JsonRpcInvalidParams(message=CHANGED)
    action.edit = _versioned_edit(sel, out["text"])
    return action


def _options_for_rewrite(ls: RefractServer, arguments: dict[str, Any]) -> EditOptions:
    return EditOptions(**{k: v for k, v in arguments.items() if k in EditOptions.model_fields})


def _options_for_paste(ls: RefractServer, arguments: dict[str, Any]) -> EditOptions:
    if ls.clipboard is None:
        raise JsonRpcInvalidParams(message="no style copied yet; select a passage and run Copy Style first")
    return EditOptions(op=arguments.get("aspect", "tone"), source=ls.clipboard)


def _options_for_patch(ls: RefractServer, arguments: dict[str, Any]) -> EditOptions:
    return EditOptions(op="patch", patch=str(_workspace_path(ls, str(arguments.get("path", "")))))


COMPUTE: dict[str, Callable[[RefractServer, dict[str, Any]], EditOptions]] = {
    "refract.rewrite": _options_for_rewrite,
    "refract.pasteStyle": _options_for_paste,
    "refract.applyPatch": _options_for_patch,
}


# --- hover ------------------------------------------------------------------------------------


@server.feature(lsp.TEXT_DOCUMENT_HOVER)
async def hover(ls: RefractServer, params: lsp.HoverParams) -> lsp.Hover | None:
    """Axis readouts and top features of the sentence under the cursor."""
    if not (await ls.settings()).hover:
        return None
    doc = ls.workspace.text_documents.get(params.text_document.uri)
    if doc is None:
        return None
    try:
        offset = doc.offset_at_position(params.position)
    except (IndexError, ValueError):
        return None
    span = sentence_at(doc.source, offset)
    if span is None:
        return None
    try:
        text = check_text(sentence_text(doc.source, span), ls.config.max_words, "sentence")
        codec = await _in_pool(ls.reads, ls.codec)  # the first call may wait for the model to load: not on the loop
        z = codec.cached(text)
        if z is None:  # first time this sentence is seen: encode it off the loop, then it is cached
            z = (await _in_pool(ls.reads, lambda: codec.encode([text])))[0]
        value = markdown(codec, describe_vector(codec, z), "this sentence")
    except (RefractError, JsonRpcInvalidParams):
        return None  # nothing to say about this text (not English, too long): no hover rather than an error
    start, end = doc.client_position_at_offset(span[0]), doc.client_position_at_offset(span[1])
    return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=value), range=lsp.Range(start, end))


# --- lifecycle and settings -------------------------------------------------------------------


@server.feature(lsp.INITIALIZED)
async def initialized(ls: RefractServer, _: lsp.InitializedParams) -> None:
    """Read the client's settings, then load the model, axes and features in the background."""
    await _pull_settings(ls)
    ls.settings_read.set()
    ls.reads.submit(_warm_up, ls)


def _warm_up(ls: RefractServer) -> None:
    codec = ls.codec()
    for name in AXES:
        axis(codec, name)
    try:
        load_features(codec)
    except RefractError:
        pass  # a codec without features still serves axes and rewrites


@server.feature(lsp.WORKSPACE_DID_CHANGE_CONFIGURATION)
async def settings_changed(ls: RefractServer, params: lsp.DidChangeConfigurationParams) -> None:
    """Take new settings for the next request; no restart."""
    pushed = params.settings.get("refract") if isinstance(params.settings, dict) else None
    if isinstance(pushed, dict):
        _use_settings(ls, pushed)
    else:
        await _pull_settings(ls)


async def _pull_settings(ls: RefractServer) -> None:
    caps = ls.client_capabilities.workspace
    if not (caps and caps.configuration):
        return
    try:
        values = await ls.workspace_configuration_async(
            lsp.ConfigurationParams(items=[lsp.ConfigurationItem(section="refract")])
        )
    except Exception:  # noqa: BLE001  a client that cannot answer keeps the defaults
        return
    if values and isinstance(values[0], dict):
        _use_settings(ls, values[0])


def _use_settings(ls: RefractServer, raw: dict[str, Any]) -> None:
    try:
        s = ClientSettings.model_validate(raw)
        ls.config = RefractConfig.from_env(
            codec=s.codec, samples=s.samples, corrections=s.corrections, variations=s.variations,
            sentence_seconds=s.sentence_seconds,
            patch_folders=tuple(s.patch_folders),
            hover=s.hover.enabled, heatmap_feature=s.heatmap.feature,
        )  # fmt: skip
    except (ValidationError, RefractError) as exc:
        message = describe(exc) if isinstance(exc, ValidationError) else str(exc)
        ls.window_show_message(
            lsp.ShowMessageParams(type=lsp.MessageType.Warning, message=f"Refract: ignoring settings ({message})")
        )


def serve() -> None:
    """Serve LSP on stdin/stdout until the client exits."""
    server.start_io()
