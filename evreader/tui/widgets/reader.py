"""The reader: one article, entity mentions coloured by kind, search hits marked.

A line-API ScrollView (as Toolong does it): the article is a `Document` wrapped
to the width as offsets, and only the lines on screen are ever styled and
rendered, so a 1M-character article opens as fast as a short one. Used as the
wide screen's reader pane and inside the full-screen article view.
"""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import BindingType
from textual.geometry import Size
from textual.strip import Strip

from evreader.tui import keys
from evreader.tui.document import NBSP, Document, Lines, line_text, wrap
from evreader.tui.widgets.lines import CachedLines

MARGIN = 1  # cells left and right of the text


class Reader(CachedLines, can_focus=True):
    """Scrollable article; `show` a Document, n / N step through its search hits."""

    BINDINGS: ClassVar[list[BindingType]] = keys.READER
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "reader--title", "reader--meta", "reader--hit", "reader--hit-current",
        "entity--company", "entity--country", "entity--theme", "entity--person",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cache_size=512)
        self.document = Document()
        self.document.add("No article", "meta")
        self.lines: Lines | None = None
        self.article: int | None = None
        self.current_hit: tuple[int, int] | None = None  # (block, hit number)

    # ------------------------------------------------------------ content
    def show(self, document: Document, article: int | None) -> None:
        """Display `document` (of `article`); back to the top when the article changed."""
        changed = article != self.article
        self.document, self.article = document, article
        if changed:
            self.current_hit = None
            self.border_subtitle = ""
        self.lines = None
        self._rewrap()
        if changed:
            self.scroll_to(0, 0, animate=False, immediate=True)

    def _text_width(self) -> int:
        return max(1, self.scrollable_content_region.width - 2 * MARGIN)

    def _rewrap(self) -> None:
        width = self._text_width()
        if self.lines is None or self.lines.width != width:
            self.lines = wrap(self.document, width)
        self._cache.clear()
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.lines))
        self.refresh()

    @property
    def line_count(self) -> int:
        return len(self.lines) if self.lines is not None else 0

    def on_resize(self) -> None:
        self._rewrap()

    def text_lines(self) -> list[str]:
        """Every line as shown (for tests and copying): the wrapped plain text."""
        if self.lines is None:
            return []
        lines = self.lines
        return [self.document.blocks[lines.block[y]].text[lines.start[y]:lines.end[y]]
                .replace(NBSP, " ") for y in range(len(lines))]

    # ------------------------------------------------------------ scrolling
    def _scroll_by(self, lines: int) -> None:
        """Jump (no animation: a key press moves the text at once, as in less)."""
        self.scroll_to(y=max(0, min(self.max_scroll_y, int(self.scroll_y) + lines)),
                       animate=False, immediate=True)

    def action_scroll_down(self) -> None:
        self._scroll_by(1)

    def action_scroll_up(self) -> None:
        self._scroll_by(-1)

    def action_page_down(self) -> None:
        self._scroll_by(max(1, self.scrollable_content_region.height - 1))

    def action_page_up(self) -> None:
        self._scroll_by(-max(1, self.scrollable_content_region.height - 1))

    def action_scroll_home(self) -> None:
        self.scroll_to(y=0, animate=False, immediate=True)

    def action_scroll_end(self) -> None:
        self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True)

    # ------------------------------------------------------------ search hits
    def hits(self) -> list[tuple[int, int, int]]:
        """(block, hit number, start) of every search hit, in reading order."""
        return [(n, k, start) for n, block in enumerate(self.document.blocks)
                for k, start in enumerate(block.hits.starts)]

    def action_hit(self, step: int) -> None:
        hits = self.hits()
        if not hits or self.lines is None:
            self.notify("No search hits in this article (search with /).", timeout=3)
            return
        lines = self.lines
        rows = [lines.line_of(n, start) for n, _, start in hits]
        if self.current_hit in [(n, k) for n, k, _ in hits]:
            at = [(n, k) for n, k, _ in hits].index(self.current_hit)
            target = (at + step) % len(hits)
        else:
            top = int(self.scroll_offset.y)
            after = [j for j, row in enumerate(rows) if (row >= top if step > 0 else row < top)]
            target = (after[0] if step > 0 else after[-1]) if after else \
                (0 if step > 0 else len(hits) - 1)
        n, k, _ = hits[target]
        self.current_hit = (n, k)
        self._cache.clear()
        row = rows[target]
        height = self.scrollable_content_region.height
        if not self.scroll_offset.y <= row < self.scroll_offset.y + height:
            self.scroll_to(y=max(0, row - height // 3), animate=False, immediate=True)
        self.refresh()
        self.border_subtitle = f"hit {target + 1} of {len(hits)} · n / N"

    # ------------------------------------------------------------ rendering
    def _style(self, key: str) -> Style:
        if not key:
            return Style()
        if key.startswith("chip-"):
            return self.get_component_rich_style(f"entity--{key[5:]}", partial=True) + \
                Style(reverse=True)
        if key in ("company", "country", "theme", "person"):
            return self.get_component_rich_style(f"entity--{key}", partial=True)
        return self.get_component_rich_style(f"reader--{key}", partial=True)

    def render_line(self, y: int) -> Strip:
        row = y + int(self.scroll_offset.y)
        width = self.scrollable_content_region.width
        base = self.rich_style
        if self.lines is None or row >= len(self.lines):
            return Strip.blank(width, base)
        key = (row, width, self.current_hit)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        text = Text(" " * MARGIN, end="", no_wrap=True)
        text.append_text(line_text(self.document, self.lines, row, self._style,
                                   self.current_hit))
        text.stylize_before(base)
        strip = Strip(text.render(self.app.console)).adjust_cell_length(width, base)
        self._cache[key] = strip
        return strip
