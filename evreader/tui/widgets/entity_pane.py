"""The entity pane: Companies / Countries / Themes / People / Sources / Discovered,
each with its article counts under the current filters.

A kind the filters already name keeps all its entries, counted under the other
filters (the core's `Library.facets`): picking a second country adds to the
list (OR), and the chips say so. `]` / `[` jump between sections. A line-API
ScrollView: at 100k articles there are thousands of people and companies, and
only the visible rows are ever turned into Strips.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import BindingType
from textual.events import Click
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.strip import Strip

from evreader.models import SOURCE, Filters
from evreader.tui import keys
from evreader.tui.messages import EntityChosen, EntityDecision
from evreader.tui.render import KIND_LABELS
from evreader.tui.view import SECTIONS, FacetRow
from evreader.tui.widgets.lines import CachedLines


@dataclass(frozen=True, slots=True)
class PaneRow:
    kind: str
    name: str | None  # None: the section header
    count: int
    active: bool = False
    section: str = ""  # "discovered" for companies found by pattern
    chosen: int = 0  # on a header: how many of this kind are filters (any of them)


class EntityPane(CachedLines, can_focus=True):
    """Entities per kind with article counts under the current filters; Enter toggles."""

    BINDINGS: ClassVar[list[BindingType]] = keys.ENTITY_PANE
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "entity-pane--header", "entity-pane--cursor", "entity-pane--cursor-blurred",
        "entity-pane--active", "entity-pane--count", "entity-pane--source",
        "entity--company", "entity--country", "entity--theme", "entity--person",
    }

    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cache_size=512)
        self.rows: list[PaneRow] = []

    def set_facets(self, facets: dict[str, list[FacetRow]], filters: Filters) -> None:
        """Rebuild rows from fresh counts, keeping the cursor on the same entity."""
        current = self.current
        active = set(filters.entities)
        chosen = {k for k, _ in filters.entities}
        rows: list[PaneRow] = []
        for section in SECTIONS:
            entries = facets.get(section, [])
            kind = "company" if section == "discovered" else section
            if section in ("discovered", SOURCE) and not entries:
                continue
            header = sum(1 for k, _ in filters.entities if k == kind) \
                if kind in chosen and section != "discovered" else 0
            rows.append(PaneRow(kind, None, len(entries), section=section, chosen=header))
            rows += [PaneRow(kind, name, count, (kind, name) in active, section)
                     for name, count in entries]
        self.rows = rows
        self._cache.clear()
        self.virtual_size = Size(self.size.width, len(rows))
        target = next((n for n, r in enumerate(rows) if current is not None and r.name is not None
                       and (r.kind, r.name) == (current.kind, current.name)), None)
        self.cursor = target if target is not None else self._entity_row(0, 1)
        self.refresh()

    @property
    def current(self) -> PaneRow | None:
        if 0 <= self.cursor < len(self.rows) and self.rows[self.cursor].name is not None:
            return self.rows[self.cursor]
        return None

    def _entity_row(self, start: int, step: int) -> int:
        """The nearest entity (not header) row from `start` in direction `step`."""
        n = start
        while 0 <= n < len(self.rows):
            if self.rows[n].name is not None:
                return n
            n += step
        return self.cursor if self.rows and self.rows[min(self.cursor, len(self.rows) - 1)].name \
            else 0

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_line(old)
        self.refresh_line(new)
        if self.rows:
            top = new - 1 if new > 0 and self.rows[new - 1].name is None else new
            self.scroll_to_region(Region(0, top, 1, new - top + 1), animate=False, force=True)

    def action_cursor_down(self) -> None:
        self.cursor = self._entity_row(self.cursor + 1, 1)

    def action_cursor_up(self) -> None:
        self.cursor = self._entity_row(self.cursor - 1, -1)

    def action_cursor_top(self) -> None:
        self.cursor = self._entity_row(0, 1)

    def action_cursor_bottom(self) -> None:
        self.cursor = self._entity_row(len(self.rows) - 1, -1)

    def action_page_down(self) -> None:
        page = max(1, self.scrollable_content_region.height - 1)
        self.cursor = self._entity_row(min(self.cursor + page, len(self.rows) - 1), 1)

    def action_page_up(self) -> None:
        page = max(1, self.scrollable_content_region.height - 1)
        self.cursor = self._entity_row(max(self.cursor - page, 0), -1)

    def action_section(self, step: int) -> None:
        """The first entry of the next (step 1) or previous (-1) section."""
        headers = [n for n, r in enumerate(self.rows) if r.name is None]
        if not headers:
            return
        here = max((n for n in headers if n <= self.cursor), default=headers[0])
        at = headers.index(here)
        target = headers[(at + step) % len(headers)]
        self.cursor = self._entity_row(target, 1)
        header_row = target
        self.scroll_to_region(Region(0, header_row, 1, 2), animate=False, force=True,
                              top=True)

    def action_toggle_entity(self) -> None:
        row = self.current
        if row is not None and row.name is not None:
            self.post_message(EntityChosen(row.kind, row.name))

    def action_decide(self, promote: bool) -> None:
        row = self.current
        if row is None or row.section != "discovered" or row.name is None:
            self.notify("Put the cursor on a discovered company first.", severity="warning")
            return
        self.post_message(EntityDecision(row.name, promote))

    def on_click(self, event: Click) -> None:
        row = event.y + self.scroll_offset.y
        if 0 <= row < len(self.rows) and self.rows[row].name is not None:
            self.cursor = row

    # ------------------------------------------------------------ rendering
    @property
    def line_count(self) -> int:
        return len(self.rows)

    def _kind_style(self, kind: str) -> Style:
        name = "entity-pane--source" if kind == SOURCE else f"entity--{kind}"
        return self.get_component_rich_style(name, partial=True)

    def render_line(self, y: int) -> Strip:
        n = y + self.scroll_offset.y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if n >= len(self.rows):
            return Strip.blank(width, base)
        row = self.rows[n]
        key: tuple[object, ...] = (row, n == self.cursor, self.has_focus, width)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        style = base
        text = Text(end="", no_wrap=True)
        if row.name is None:
            style += self.get_component_rich_style("entity-pane--header", partial=True)
            text = Text(style=style, end="", no_wrap=True)
            kind_style = self._kind_style(row.kind) if row.section != "discovered" else Style()
            text.append(KIND_LABELS[row.section or row.kind], style=kind_style)
            muted = self.get_component_rich_style("entity-pane--count", partial=True)
            text.append(f" {row.count}", style=muted)
            if row.chosen:
                text.append(" · or", style=muted)
        else:
            if row.active:
                style += self.get_component_rich_style("entity-pane--active", partial=True)
            if n == self.cursor:
                style += self.get_component_rich_style(
                    "entity-pane--cursor" if self.has_focus else "entity-pane--cursor-blurred",
                    partial=True)
            count = str(row.count)
            symbol = "✓ " if row.active else ("? " if row.section == "discovered" else "● ")
            mark = Text(symbol, style=self._kind_style(row.kind), end="")
            name = Text(row.name, end="", no_wrap=True)
            name.truncate(max(1, width - 3 - len(count) - 1), overflow="ellipsis", pad=True)
            text = Text(style=style, end="", no_wrap=True)
            text.append_text(mark)
            text.append_text(name)
            text.append(" " + count)
        strip = Strip(text.render(self.app.console)).adjust_cell_length(width, style)
        self._cache[key] = strip
        return strip
