"""The entity pane: Watchlists, then Companies / Countries / Themes / People / Sources /
Discovered, each with its article counts under the current filters.

A watchlist takes two lines: its name, then what is new since the last visit and
unread ("3 new · 12 unread", the core's counts). Enter applies it, the delete key
asks to remove a saved one (the screen does both).

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
from evreader.tui.messages import (
    EntityChosen,
    EntityDecision,
    WatchlistChosen,
    WatchlistDeleteAsked,
)
from evreader.tui.render import KIND_LABELS
from evreader.tui.view import SECTIONS, FacetRow
from evreader.tui.widgets.lines import CachedLines
from evreader.watchlists import WatchStatus

WATCHLISTS = "watchlists"  # the section (and the rows' kind)


@dataclass(frozen=True, slots=True)
class PaneRow:
    kind: str
    name: str | None  # None: the section header
    count: int
    active: bool = False
    section: str = ""  # "discovered" for companies found by pattern
    chosen: int = 0  # on a header: how many of this kind are filters (any of them)
    detail: str = ""  # a watchlist's counts line ("3 new · 12 unread"); not selectable

    @property
    def selectable(self) -> bool:
        return self.name is not None and not self.detail

    @property
    def header(self) -> bool:
        return self.name is None


class EntityPane(CachedLines, can_focus=True):
    """Entities per kind with article counts under the current filters; Enter toggles."""

    BINDINGS: ClassVar[list[BindingType]] = keys.ENTITY_PANE
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "entity-pane--header", "entity-pane--cursor", "entity-pane--cursor-blurred",
        "entity-pane--active", "entity-pane--count", "entity-pane--source",
        "entity-pane--watchlist", "entity-pane--new",
        "entity--company", "entity--country", "entity--theme", "entity--person",
    }

    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cache_size=512)
        self.rows: list[PaneRow] = []
        self._facets: dict[str, list[FacetRow]] = {}
        self._filters = Filters()
        self.watchlists: list[WatchStatus] = []
        self.applied: str | None = None  # the watchlist shown in the list

    def set_facets(self, facets: dict[str, list[FacetRow]], filters: Filters,
                   applied: str | None = None) -> None:
        """Fresh counts (and the watchlist applied, if any)."""
        self._facets, self._filters, self.applied = facets, filters, applied
        self._rebuild()

    def set_watchlists(self, statuses: list[WatchStatus]) -> None:
        """Fresh watchlist counts (the section is left out while there are none)."""
        first = not self.watchlists
        self.watchlists = list(statuses)
        self._rebuild()
        if first and statuses and not self.has_focus:
            self.cursor = self._entity_row(0, 1)  # the section appeared: start on it

    def _rebuild(self) -> None:
        """Rebuild rows, keeping the cursor on the same entity or watchlist."""
        current = self.current
        facets, filters = self._facets, self._filters
        active = set(filters.entities)
        chosen = {k for k, _ in filters.entities}
        rows: list[PaneRow] = []
        if self.watchlists:
            rows.append(PaneRow(WATCHLISTS, None, len(self.watchlists), section=WATCHLISTS))
            for status in self.watchlists:
                name = status.watchlist.name
                rows.append(PaneRow(WATCHLISTS, name, status.counts.new,
                                    name == self.applied, WATCHLISTS))
                rows.append(PaneRow(WATCHLISTS, name, status.counts.new, section=WATCHLISTS,
                                    detail=status.counts.describe()))
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
        target = next((n for n, r in enumerate(rows) if current is not None and r.selectable
                       and (r.kind, r.name) == (current.kind, current.name)), None)
        self.cursor = target if target is not None else self._entity_row(0, 1)
        self.refresh()

    @property
    def current(self) -> PaneRow | None:
        if 0 <= self.cursor < len(self.rows) and self.rows[self.cursor].selectable:
            return self.rows[self.cursor]
        return None

    def _entity_row(self, start: int, step: int) -> int:
        """The nearest entity or watchlist (not header) row from `start` in direction
        `step`."""
        n = start
        while 0 <= n < len(self.rows):
            if self.rows[n].selectable:
                return n
            n += step
        return self.cursor if self.rows and \
            self.rows[min(self.cursor, len(self.rows) - 1)].selectable else 0

    def _has_detail(self, n: int) -> bool:
        return n + 1 < len(self.rows) and bool(self.rows[n + 1].detail)

    def watch_cursor(self, old: int, new: int) -> None:
        for n in (old, new):
            self.refresh_line(n)
            if self._has_detail(n):
                self.refresh_line(n + 1)
        if self.rows:
            top = new - 1 if new > 0 and self.rows[new - 1].header else new
            bottom = new + 1 if self._has_detail(new) else new
            self.scroll_to_region(Region(0, top, 1, bottom - top + 1), animate=False,
                                  force=True)

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
        headers = [n for n, r in enumerate(self.rows) if r.header]
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
            if row.kind == WATCHLISTS:
                self.post_message(WatchlistChosen(row.name))
            else:
                self.post_message(EntityChosen(row.kind, row.name))

    def action_delete_watchlist(self) -> None:
        row = self.current
        if row is None or row.kind != WATCHLISTS or row.name is None:
            self.notify("Put the cursor on a watchlist first (the Watchlists section, at "
                        "the top of this pane).", severity="warning")
            return
        self.post_message(WatchlistDeleteAsked(row.name))

    def action_decide(self, promote: bool) -> None:
        row = self.current
        if row is None or row.section != "discovered" or row.name is None:
            self.notify("Put the cursor on a discovered company first.", severity="warning")
            return
        self.post_message(EntityDecision(row.name, promote))

    def on_click(self, event: Click) -> None:
        row = event.y + self.scroll_offset.y
        if 0 <= row < len(self.rows) and self.rows[row].detail:
            row -= 1  # a watchlist's counts line: the watchlist
        if 0 <= row < len(self.rows) and self.rows[row].selectable:
            self.cursor = row

    # ------------------------------------------------------------ rendering
    @property
    def line_count(self) -> int:
        return len(self.rows)

    def _kind_style(self, kind: str) -> Style:
        name = "entity-pane--source" if kind == SOURCE else \
            "entity-pane--watchlist" if kind == WATCHLISTS else f"entity--{kind}"
        return self.get_component_rich_style(name, partial=True)

    def render_line(self, y: int) -> Strip:
        n = y + self.scroll_offset.y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if n >= len(self.rows):
            return Strip.blank(width, base)
        row = self.rows[n]
        on_cursor = n == self.cursor or (bool(row.detail) and n - 1 == self.cursor)
        key: tuple[object, ...] = (row, on_cursor, self.has_focus, width)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        style = base
        text = Text(end="", no_wrap=True)
        cursor_style = self.get_component_rich_style(
            "entity-pane--cursor" if self.has_focus else "entity-pane--cursor-blurred",
            partial=True)
        if row.kind == WATCHLISTS and row.name is not None:
            if on_cursor:
                style += cursor_style
            text = self._watchlist_line(row, width, style, on_cursor)
        elif row.name is None:
            style += self.get_component_rich_style("entity-pane--header", partial=True)
            text = Text(style=style, end="", no_wrap=True)
            kind_style = Style() if row.section == "discovered" else self._kind_style(row.kind)
            text.append(KIND_LABELS[row.section or row.kind], style=kind_style)
            muted = self.get_component_rich_style("entity-pane--count", partial=True)
            text.append(f" {row.count}", style=muted)
            if row.chosen:
                text.append(" · or", style=muted)
        else:
            if row.active:
                style += self.get_component_rich_style("entity-pane--active", partial=True)
            if on_cursor:
                style += cursor_style
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

    def _watchlist_line(self, row: PaneRow, width: int, style: Style, on_cursor: bool) -> Text:
        """A watchlist's name line, or (`row.detail`) its counts line, the new count
        stressed while there is something new. The name is the user's text: a Text,
        never markup."""
        if row.detail:
            text = Text(style=style, end="", no_wrap=True)
            new, _, rest = row.detail.partition(" · ")
            muted = Style() if on_cursor else \
                self.get_component_rich_style("entity-pane--count", partial=True)
            stressed = self.get_component_rich_style("entity-pane--new", partial=True)
            if on_cursor:
                stressed = Style(bold=stressed.bold)
            text.append("  ")
            text.append(new, style=stressed if row.count else muted)
            text.append(" · " + rest if rest else "", style=muted)
            text.truncate(width, overflow="ellipsis")
            return text
        if row.active:
            style += self.get_component_rich_style("entity-pane--active", partial=True)
        text = Text(style=style, end="", no_wrap=True)
        mark = "✓ " if row.active else "◆ "
        text.append(mark, style=self._kind_style(WATCHLISTS))
        name = Text(row.name or "", end="", no_wrap=True)
        name.truncate(max(1, width - 2), overflow="ellipsis")
        text.append_text(name)
        return text
