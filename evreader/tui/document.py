"""A styled document for the line-API reader: blocks of text with style spans,
wrapped to a width as (block, start, end) offsets, each line built when shown.

A 1M-character article is never turned into one Rich Text and wrapped by Rich
(that took seconds): wrapping here is a `str.rfind` per line, and a line is
styled from the spans that touch it (found by bisection), so only what is on
screen is ever built. Styles are named by key ("title", "company", "hit", …)
and resolved by the widget at render time, so a theme change restyles at once.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from rich.cells import cell_len, get_character_cell_size
from rich.style import Style
from rich.text import Text

Span = tuple[int, int, str]  # start, end, style key
NBSP = "\u00a0"  # joins words that must wrap together (an entity chip)
_TOKENS = re.compile(r"[^ ]+| +")  # only a plain space breaks a line


@dataclass(slots=True)
class Layer:
    """Non-overlapping spans sorted by start: their ends are sorted too, so the
    spans that touch a range are found by bisection."""

    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, spans: list[Span]) -> Layer:
        layer = cls()
        last = -1
        for start, end, key in sorted(spans, key=lambda s: (s[0], -s[1])):
            if start < last or start >= end:
                continue  # overlaps the one before: the first wins
            layer.starts.append(start)
            layer.ends.append(end)
            layer.keys.append(key)
            last = end
        return layer

    def touching(self, lo: int, hi: int) -> Iterator[tuple[int, int, str, int]]:
        """(start, end, key, n) of the spans that overlap lo..hi."""
        n = bisect.bisect_right(self.ends, lo)
        while n < len(self.starts) and self.starts[n] < hi:
            yield self.starts[n], self.ends[n], self.keys[n], n
            n += 1


@dataclass(slots=True)
class Block:
    """A run of text with one base style; "\\n" inside it starts a new line."""

    text: str
    style: str = ""
    spans: Layer = field(default_factory=Layer)  # entity mentions, chips
    hits: Layer = field(default_factory=Layer)  # search hits, drawn over the spans


@dataclass(slots=True)
class Document:
    blocks: list[Block] = field(default_factory=list)

    def add(self, text: str, style: str = "", spans: list[Span] | None = None,
            hits: list[tuple[int, int]] | None = None) -> Block:
        block = Block(text, style, Layer.of(spans or []),
                      Layer.of([(a, b, "hit") for a, b in hits or []]))
        self.blocks.append(block)
        return block

    @property
    def plain(self) -> str:
        return "\n".join(b.text for b in self.blocks)


@dataclass(slots=True)
class Lines:
    """A document wrapped to a width: line y shows blocks[block[y]].text[start[y]:end[y]]."""

    width: int
    block: list[int] = field(default_factory=list)
    start: list[int] = field(default_factory=list)
    end: list[int] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.start)

    def line_of(self, block: int, offset: int) -> int:
        """The line showing `offset` of `block`."""
        lo = bisect.bisect_left(self.block, block)
        hi = bisect.bisect_right(self.block, block)
        y = bisect.bisect_right(self.start, offset, lo, hi) - 1
        return max(lo, y)


def wrap(document: Document, width: int) -> Lines:
    lines = Lines(max(1, width))
    for n, block in enumerate(document.blocks):
        text = block.text
        pos = 0
        while True:
            newline = text.find("\n", pos)
            stop = len(text) if newline < 0 else newline
            before = len(lines.start)
            _wrap_paragraph(text, pos, stop, lines.width, lines.start, lines.end)
            lines.block.extend([n] * (len(lines.start) - before))
            if newline < 0:
                break
            pos = newline + 1
    return lines


def _wrap_paragraph(text: str, lo: int, hi: int, width: int, starts: list[int],
                    ends: list[int]) -> None:
    if lo >= hi:
        starts.append(lo)
        ends.append(lo)
        return
    if text.isascii() if hi - lo == len(text) else text[lo:hi].isascii():
        _wrap_narrow(text, lo, hi, width, starts, ends)
    else:
        _wrap_cells(text, lo, hi, width, starts, ends)


def _wrap_narrow(text: str, lo: int, hi: int, width: int, starts: list[int],
                 ends: list[int]) -> None:
    """Greedy wrapping where every character is one cell: one rfind per line."""
    pos = lo
    first = True
    while pos < hi:
        if not first:
            while pos < hi and text[pos] == " ":
                pos += 1
            if pos >= hi:
                break
        first = False
        if hi - pos <= width:
            starts.append(pos)
            ends.append(hi)
            return
        cut = text.rfind(" ", pos + 1, pos + width + 1)
        if cut <= pos:  # one word longer than the line: break it
            cut = pos + width
        starts.append(pos)
        ends.append(cut)
        pos = cut


def _wrap_cells(text: str, lo: int, hi: int, width: int, starts: list[int],
                ends: list[int]) -> None:
    """Greedy wrapping by terminal cells (wide characters count two)."""
    line_start, used = lo, 0
    for m in _TOKENS.finditer(text, lo, hi):
        a, b = m.span()
        token = m.group()
        if token[0] == " ":
            if used + (b - a) > width:  # spaces at a break are dropped
                starts.append(line_start)
                ends.append(a)
                line_start, used = b, 0
            else:
                used += b - a
            continue
        size = cell_len(token)
        if used + size <= width:
            used += size
            continue
        if used:
            starts.append(line_start)
            ends.append(a)
            line_start, used = a, 0
        if size <= width:
            used = size
            continue
        for i in range(a, b):  # one word wider than the line: break it by cells
            cells = get_character_cell_size(text[i])
            if used + cells > width:
                starts.append(line_start)
                ends.append(i)
                line_start, used = i, 0
            used += cells
    starts.append(line_start)
    ends.append(hi)


def line_text(document: Document, lines: Lines, y: int, style_for: Callable[[str], Style],
              current_hit: tuple[int, int] | None = None) -> Text:
    """Line `y` as Text: the block's style, its spans, then search hits over them
    (`current_hit`: (block, hit number) drawn as the current one)."""
    n = lines.block[y]
    block = document.blocks[n]
    lo, hi = lines.start[y], lines.end[y]
    text = Text(block.text[lo:hi].replace(NBSP, " "), style=style_for(block.style), end="",
                no_wrap=True)
    for layer in (block.spans, block.hits):
        for start, end, key, k in layer.touching(lo, hi):
            if key == "hit" and current_hit == (n, k):
                key = "hit-current"
            text.stylize(style_for(key), max(start, lo) - lo, min(end, hi) - lo)
    return text
