"""The article list: a line-API ScrollView so 100k rows scroll without lag.

Only visible rows are rendered, each to a cached Strip keyed by everything that
changes how it looks; nothing is built per article up front.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import BindingType
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.strip import Strip

from evreader.highlight import Highlighter
from evreader.index.corpus import CorpusIndex
from evreader.state import ReadingState
from evreader.textsafe import one_line
from evreader.tui import keys
from evreader.tui.messages import ArticleHighlighted, ArticleOpened, SelectionChanged
from evreader.tui.render import highlighted
from evreader.tui.widgets.lines import CachedLines


class ArticleList(CachedLines, can_focus=True):
    """Rows of mark, date, title, source and leading entities; cursor and selection."""

    BINDINGS: ClassVar[list[BindingType]] = keys.ARTICLE_LIST
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "article-list--cursor", "article-list--cursor-blurred", "article-list--selected",
        "article-list--dim", "article-list--empty", "article-list--read", "article-list--hit",
    }

    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cache_size=1024)
        self.index: CorpusIndex | None = None
        self.state: ReadingState | None = None
        self.rows: Sequence[int] = []
        self.selected: set[int] = set()
        self.marks = Highlighter()  # search hits to mark in titles
        self.empty_message = "Loading…"

    # ------------------------------------------------------------ data
    def set_rows(self, index: CorpusIndex, rows: Sequence[int], *, keep: int | None = None,
                 marks: Highlighter | None = None) -> None:
        """Show `rows`; keep the cursor on article `keep` if it is still listed."""
        self.index = index
        self.rows = rows
        self.marks = marks or Highlighter()
        self._cache.clear()
        self.virtual_size = Size(self.size.width, len(rows))
        target = 0
        if keep is not None:
            try:
                target = list(rows).index(keep) if len(rows) < 200_000 else 0
            except ValueError:
                target = 0
        self.cursor = min(target, max(len(rows) - 1, 0))
        self.scroll_to_cursor(animate=False)
        self.refresh()

    @property
    def current(self) -> int | None:
        """The article index under the cursor, if any."""
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_line(old)
        self.refresh_line(new)
        self.scroll_to_cursor()
        self.post_message(ArticleHighlighted(self.current if self.current is not None else -1))

    def scroll_to_cursor(self, animate: bool = False) -> None:
        if self.rows:
            self.scroll_to_region(Region(0, self.cursor, 1, 1), animate=animate, force=True)

    # ------------------------------------------------------------ actions
    def _move(self, row: int) -> None:
        if self.rows:
            self.cursor = max(0, min(row, len(self.rows) - 1))

    def move_by(self, step: int) -> bool:
        """Move the cursor `step` rows; False at either end (nothing moved)."""
        target = self.cursor + step
        if not self.rows or not 0 <= target < len(self.rows):
            return False
        self.cursor = target
        return True

    def action_cursor_down(self) -> None:
        self._move(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self._move(self.cursor - 1)

    def action_cursor_top(self) -> None:
        self._move(0)

    def action_cursor_bottom(self) -> None:
        self._move(len(self.rows) - 1)

    def action_page_down(self) -> None:
        self._move(self.cursor + max(1, self.scrollable_content_region.height - 1))

    def action_page_up(self) -> None:
        self._move(self.cursor - max(1, self.scrollable_content_region.height - 1))

    def action_open(self) -> None:
        if self.current is not None:
            self.post_message(ArticleOpened(self.current))

    def action_toggle_select(self) -> None:
        article = self.current
        if article is None:
            return
        self.selected.symmetric_difference_update({article})
        self.refresh_line(self.cursor)
        self.post_message(SelectionChanged(len(self.selected)))
        self._move(self.cursor + 1)

    def action_select_all(self) -> None:
        self.selected.update(self.rows)
        self.refresh()
        self.post_message(SelectionChanged(len(self.selected)))

    def refresh_article(self, article: int) -> None:
        """Redraw the row of `article` (its read/starred state changed)."""
        self._cache.clear()
        self.refresh()

    def action_clear_selection(self) -> None:
        self.selected.clear()
        self.refresh()
        self.post_message(SelectionChanged(0))

    def on_click(self, event: object) -> None:
        offset = getattr(event, "y", None)
        if isinstance(offset, int):
            self._move(offset + self.scroll_offset.y)

    # ------------------------------------------------------------ rendering
    @property
    def line_count(self) -> int:
        return len(self.rows)

    def render_line(self, y: int) -> Strip:
        row = y + self.scroll_offset.y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if not self.rows:
            lines = self.empty_message.split("\n")  # a first-run message has several
            if y < len(lines):
                style = base + self.get_component_rich_style("article-list--empty", partial=True)
                return Strip(Text(f" {lines[y]}", style=style, end="")
                             .render(self.app.console)).adjust_cell_length(width, base)
            return Strip.blank(width, base)
        if row >= len(self.rows):
            return Strip.blank(width, base)
        article = self.rows[row]
        is_cursor = row == self.cursor
        is_selected = article in self.selected
        read = starred = False
        if self.state is not None and self.index is not None:
            article_id = self.index.articles.ids[article]
            read, starred = self.state.is_read(article_id), self.state.is_starred(article_id)
        key = (article, is_cursor, is_selected, read, starred, self.has_focus, width)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        style = base
        if read:
            style = style + self.get_component_rich_style("article-list--read", partial=True)
        if is_selected:
            style = style + self.get_component_rich_style("article-list--selected", partial=True)
        if is_cursor:
            style = style + self.get_component_rich_style(
                "article-list--cursor" if self.has_focus else "article-list--cursor-blurred",
                partial=True)
        text = self._row_text(article, is_selected, starred, width, style, quiet=not is_cursor)
        strip = Strip(text.render(self.app.console)).adjust_cell_length(width, style)
        self._cache[key] = strip
        return strip

    def _row_text(self, i: int, selected: bool, starred: bool, width: int, style: Style, *,
                  quiet: bool = True) -> Text:
        """Marks, date, title, then source and leading entities where there is room:
        every width shows the date (or "undated"); the title gets what is left."""
        assert self.index is not None
        store = self.index.articles  # columns only: no article body is decoded per row
        published = store.published(i)
        dim = self.get_component_rich_style("article-list--dim", partial=True) if quiet else \
            None  # the cursor's colours win on its row
        columns = row_columns(width)
        text = Text(style=style, end="", no_wrap=True)
        text.append("●" if selected else " ")
        text.append("★ " if starred else "  ")
        if columns.date:
            text.append_text(_cell(published.isoformat() if published else "undated",
                                   columns.date, dim, 1))
        title = one_line(store.titles[i])
        hit = self.get_component_rich_style("article-list--hit", partial=True)
        cell = highlighted(title, self.marks.spans(title), hit)
        cell.truncate(columns.title, overflow="ellipsis", pad=True)
        text.append_text(cell)
        if columns.source:
            text.append(" ")
            text.append_text(_cell(store.publisher(i), columns.source, dim, 0))
        if columns.entities:
            names = self.index.entity_names(i)
            lead = ", ".join((names["company"] + names["country"])[:2])
            text.append(" ")
            text.append_text(_cell(lead, columns.entities, dim, 0))
        return text


@dataclass(frozen=True, slots=True)
class RowColumns:
    date: int
    title: int
    source: int
    entities: int


def row_columns(width: int) -> RowColumns:
    """How a row of `width` cells is shared: 3 for marks, the date (10, from 24 cells
    up), the source (from 56 up) and leading entities (from 100 up); the title
    takes what is left."""
    date = 10 if width >= 24 else 0
    source = 0 if width < 56 else 12 if width < 90 else 16
    entities = 22 if width >= 100 else 0
    used = 3 + (date + 1 if date else 0) + (source + 1 if source else 0) + \
        (entities + 1 if entities else 0)
    return RowColumns(date, max(4, width - used), source, entities)


def _cell(value: str, width: int, style: Style | None, gap: int) -> Text:
    """`value` cut (with …) or padded to exactly `width` cells, then `gap` spaces."""
    text = Text(value, style=style or "", end="", no_wrap=True)
    text.truncate(width, overflow="ellipsis", pad=True)
    text.append(" " * gap)
    return text
