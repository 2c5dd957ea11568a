"""The filter bar: active filters as chips, how many articles pass, how many are selected."""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from evreader.models import Filters
from evreader.textsafe import one_line
from evreader.tui.render import filter_chips


class FilterBar(Static):
    """One line above the article list; always built from Text (entity names are data)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "filter-bar--count", "filter-bar--hint",
        "entity--company", "entity--country", "entity--theme", "entity--person",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Text("", end=""), id=id, markup=False)

    def kind_style(self, kind: str) -> Style:
        return self.get_component_rich_style(f"entity--{kind}", partial=True)

    def show(self, filters: Filters, shown: int, total: int, selected: int,
             related_to: str | None = None) -> None:
        out = Text(end="", no_wrap=True, overflow="ellipsis")
        chips = filter_chips(filters, self.kind_style)
        if related_to is not None:
            out.append(" related to: ", style="reverse")
            out.append(one_line(related_to, 60) + "  ")
            shown, filters = shown, Filters(query="related")
        elif chips.plain:
            out.append_text(chips)
            out.append("  ")
        else:
            out.append("All articles  ", style=self.get_component_rich_style(
                "filter-bar--hint", partial=True))
        noun = "article" if total == 1 else "articles"
        count = f"{shown} of {total} {noun}" if filters.active else f"{total} {noun}"
        out.append(count, style=self.get_component_rich_style("filter-bar--count", partial=True))
        if selected:
            out.append(f" · {selected} selected", style=self.get_component_rich_style(
                "filter-bar--count", partial=True))
        self.update(out)
