"""Where sentences are in a passage of prose (plain text or Markdown).

The codec works on sentences, so longer selections are cut into sentence spans, each span is
rewritten, and the results are spliced back; everything outside the spans (whitespace, list
markers, heading marks, blank lines) stays as the writer left it, and so does a piece with no
letter in it (a row of emoji, "---", "42."): there is nothing in it the model could read.
"""

from __future__ import annotations

import re

# Whitespace after closing punctuation, before something that can start a sentence.
_PUNCT_BREAK = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"')\]]))\s+(?=[A-Z0-9\"'(\[])")
# A line that starts a new block: heading, list item, quote. The marker is not part of the sentence.
_BLOCK_MARKER = re.compile(r"[ \t]*(?:#{1,6}[ \t]+|[-*+>][ \t]+|\d{1,3}[.)][ \t]+)")


def _blocks(text: str) -> list[tuple[int, int]]:
    """Spans of paragraphs, headings and list items: cut at blank lines and at block markers."""
    blocks: list[tuple[int, int]] = []
    start, pos, in_heading = None, 0, False
    for line in text.splitlines(keepends=True):
        marker = _BLOCK_MARKER.match(line)
        breaks = not line.strip() or marker is not None or in_heading
        if breaks and start is not None:
            blocks.append((start, pos))
            start = None
        if line.strip() and start is None:
            start = pos + (marker.end() if marker else 0)
        in_heading = bool(marker) and line.lstrip().startswith("#")
        pos += len(line)
    if start is not None:
        blocks.append((start, pos))
    return blocks


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every sentence, without surrounding whitespace or block markers; pieces
    without a letter are not sentences."""
    spans = []
    for block_start, block_end in _blocks(text):
        block, at = text[block_start:block_end], 0
        for m in [*_PUNCT_BREAK.finditer(block), None]:
            end = m.start() if m else len(block)
            piece = block[at:end]
            if any(c.isalpha() for c in piece):
                lead = len(piece) - len(piece.lstrip())
                spans.append((block_start + at + lead, block_start + at + len(piece.rstrip())))
            at = m.end() if m else at
    return spans


def sentence_text(text: str, span: tuple[int, int]) -> str:
    """A span's sentence as the codec reads it: hard-wrapped lines joined, whitespace collapsed."""
    return " ".join(text[span[0] : span[1]].split())


def sentence_at(text: str, offset: int) -> tuple[int, int] | None:
    """The sentence span containing offset (ends inclusive), or None in blank space and markers."""
    return next(((a, b) for a, b in sentence_spans(text) if a <= offset <= b), None)


def splice(text: str, spans: list[tuple[int, int]], replacements: list[str]) -> str:
    """text with each span replaced, everything between spans kept."""
    out, at = [], 0
    for (a, b), new in zip(spans, replacements, strict=True):
        out += [text[at:a], new]
        at = b
    return "".join([*out, text[at:]])
