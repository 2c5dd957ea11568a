"""The filter bar: the active filters as chips (OR within a kind, AND across), and
how many articles pass, how many of them are undated and unread, how many are
selected. The counts keep their place at the right; chips give way first."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from evreader.library import ListSummary
from evreader.models import Filters
from evreader.textsafe import one_line
from evreader.tui.render import filter_chips


@dataclass(frozen=True, slots=True)
class BarState:
    filters: Filters = field(default_factory=Filters)
    summary: ListSummary = field(default_factory=lambda: ListSummary(0, 0, None))
    total: int = 0
    selected: int = 0
    related_to: str | None = None  # the title, when listing related articles


class FilterBar(Widget):
    """One line above the panes; built from Text only (entity names are data)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "filter-bar--count", "filter-bar--hint", "filter-bar--joiner",
        "entity--company", "entity--country", "entity--theme", "entity--person",
        "filter-bar--source",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.state = BarState()

    def show(self, state: BarState) -> None:
        self.state = state
        self.refresh()

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(name, partial=True)

    def kind_style(self, kind: str) -> Style:
        return self._style("filter-bar--source" if kind == "source" else f"entity--{kind}")

    def counts_text(self) -> str:
        s = self.state
        noun = "article" if s.summary.shown == 1 and not s.filters.active else "articles"
        if s.related_to is not None or s.filters.active:
            text = f"{s.summary.shown:,} of {s.total:,} {noun}"
        else:
            text = f"{s.total:,} {noun}"
        if s.summary.undated:
            text += f", {s.summary.undated:,} undated"
        if s.summary.unread is not None and s.summary.shown:
            text += f" · {s.summary.unread:,} unread"
        if s.selected:
            text += f" · {s.selected:,} selected"
        return text

    def render(self) -> Text:
        s = self.state
        width = max(self.content_size.width, 1)
        counts = Text(self.counts_text(), style=self._style("filter-bar--count"), end="")
        if s.related_to is not None:
            left = Text(" related to ", style=Style(reverse=True), end="")
            left.append(" " + one_line(s.related_to))
        else:
            left = filter_chips(s.filters, self.kind_style, self._style("filter-bar--joiner"))
            if not left.plain:
                left = Text("All articles", style=self._style("filter-bar--hint"), end="")
        room = width - counts.cell_len - 2
        if room < 8:  # too narrow for both: the counts win
            counts.truncate(width, overflow="ellipsis")
            return counts
        left.truncate(room, overflow="ellipsis")
        out = Text(end="", no_wrap=True)
        out.append_text(left)
        out.append(" " * (width - left.cell_len - counts.cell_len))
        out.append_text(counts)
        return out
