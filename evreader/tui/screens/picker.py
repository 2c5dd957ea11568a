"""The fuzzy entity picker ('nisan' → Nissan): type, see counts, Enter filters.

Each match says how many articles the list will hold once it is chosen, with the
total in the library when that differs: "Japan · 1 article (3 in all)"; when its
kind is already a filter, choosing it widens the list: "or: 5 articles (3 in
all)". The numbers are the core's (`Library.facets`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from evreader.library import Library
from evreader.models import KINDS
from evreader.tui import keys
from evreader.tui.render import KIND_SINGULAR
from evreader.tui.typeahead import Backlog
from evreader.tui.view import View

LIMIT = 30


class PickerScreen(ModalScreen[tuple[str, str] | None]):
    """Returns (kind, name) of the chosen entity, or None on Esc."""

    BINDINGS: ClassVar[list[BindingType]] = keys.PICKER
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "picker--meta", "entity--company", "entity--country", "entity--theme", "entity--person",
    }

    def __init__(self, library: Library, kinds: Sequence[str] | None, view: View | None) -> None:
        super().__init__()
        self.library = library
        self.kinds = tuple(kinds) if kinds else KINDS
        self.view = view
        self.choices: list[tuple[str, str]] = []
        self.backlog = Backlog()

    def compose(self) -> ComposeResult:
        title = "Company lookup" if self.kinds == ("company",) else "Filter by entity"
        with Vertical(id="picker-dialog"):
            yield Label(title, id="picker-title")
            yield Input(placeholder="Type a name, alias or typo…", id="picker-input",
                        select_on_focus=False)  # it would select keys typed ahead
            yield OptionList(id="picker-options")
            yield Label("↑↓ choose · Enter filter · Esc close", id="picker-hint")

    def on_mount(self) -> None:
        self.query_one("#picker-dialog").border_title = None
        field = self.query_one(Input)
        self.set_focus(field)  # now, not deferred: later keys go straight to it
        self.refill("")
        self.backlog.ready(field)

    def type_ahead(self, key: str, character: str | None) -> bool:
        """Keys typed right after the one that opened the picker ('cnisan'), which
        Textual sent to the screen below (see typeahead)."""
        return self.backlog.take(key, character)

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(name, partial=True)

    def counts(self, kind: str, name: str) -> tuple[int, int, bool]:
        """(articles listed once it is chosen, articles naming it in all, whether its
        kind is already filtered so choosing it widens the list: OR)."""
        index = self.library.index
        ids = index.entity_ids(kind, name)
        total = sum(len(index.postings(e)) for e in ids)
        facets = self.view.counts if self.view is not None else None
        if facets is None or self.view is None:
            return total, total, False
        widens = any(k == kind for k, _ in self.view.filters.entities)
        return facets.if_chosen(widens, ids), total, widens

    def refill(self, fragment: str) -> None:
        """Best matches for `fragment`; with nothing typed, the top entities in view."""
        rows: list[tuple[str, str, str]] = []  # kind, name, matched alias
        if fragment.strip():
            for m in self.library.engine.lookup(fragment, kinds=self.kinds, limit=LIMIT):
                rows.append((m.kind, m.name, m.matched))
        elif self.view is not None:
            top = [(kind, name, n) for kind in self.kinds
                   for name, n in self.view.facets.get(kind, [])[:LIMIT]]
            top.sort(key=lambda r: -r[2])
            rows = [(kind, name, name) for kind, name, _ in top[:LIMIT]]
        options = self.query_one(OptionList)
        options.clear_options()
        self.choices = [(k, n) for k, n, _ in rows]
        prompts: list[Option] = []
        for kind, name, matched in rows:
            count, total, widens = self.counts(kind, name)
            line = Text(end="", no_wrap=True, overflow="ellipsis")
            line.append("● ", style=self._style(f"entity--{kind}"))
            line.append(name)
            if matched.casefold() != name.casefold():
                line.append(f"  ({matched})", style=self._style("picker--meta"))
            noun = "article" if count == 1 else "articles"
            more = f" ({total} in all)" if total != count or widens else ""
            how = "or: " if widens else ""
            line.append(f"  {KIND_SINGULAR.get(kind, kind)} · {how}{count} {noun}{more}",
                        style=self._style("picker--meta"))
            prompts.append(Option(line))
        if prompts:
            options.add_options(prompts)
            options.highlighted = 0
        else:
            options.add_option(Option(Text("No match", end=""), disabled=True))

    @on(Input.Changed, "#picker-input")
    def changed(self, event: Input.Changed) -> None:
        self.refill(event.value)

    @on(Input.Submitted, "#picker-input")
    def submitted(self) -> None:
        self.choose(self.query_one(OptionList).highlighted)

    @on(OptionList.OptionSelected, "#picker-options")
    def selected(self, event: OptionList.OptionSelected) -> None:
        self.choose(event.option_index)

    def choose(self, n: int | None) -> None:
        if n is not None and 0 <= n < len(self.choices):
            self.dismiss(self.choices[n])

    def action_move(self, step: int) -> None:
        if not self.choices:  # also before the list is mounted (a key typed ahead)
            return
        options = self.query_one(OptionList)
        current = options.highlighted or 0
        options.highlighted = max(0, min(len(self.choices) - 1, current + step))

    def action_dismiss_picker(self) -> None:
        self.dismiss(None)
