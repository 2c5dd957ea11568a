"""The `?` screen: every key (as remapped by the user's keymap), what the colours
mean, and the query language. It scrolls with j / k like every list."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import ClassVar

from rich.console import Group
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from evreader.tui import keys

QUERY_HELP = (
    ("battery plant", "every word must match; typos are fine"),
    ('"solid-state battery"', "this exact phrase"),
    ("-recall", "articles without this word"),
    ("company:nisan", "a company (fuzzy: nisan → Nissan)"),
    ('company:"hon hai"', "quote values with spaces"),
    ("country:japan theme:batteries", "countries, themes, person: likewise"),
    ("source:reuters", "published by (a feed, a stated source, a site)"),
    ("-company:tesla", "not mentioning Tesla"),
    ("since:2024-01 until:2025-06", "published between (2024, 2024-03, 2024-03-16)"),
    ("is:unread is:starred", "reading state"),
)


def help_renderable(keymap: Mapping[str, str], display: Callable[[Binding], str] | None,
                    style_for: Callable[[str], Style]) -> Group:
    """The whole help: the colour legend, a key table per screen (keys after the
    keymap, what each does, its id for `keymap:`), and the query language."""
    legend = Text(end="")
    legend.append("Colours  ", style="bold")
    for kind in ("company", "country", "theme", "person"):
        legend.append("● " + kind, style=style_for(f"entity--{kind}"))
        legend.append("  ")
    legend.append(" search hit ", style=style_for("help--hit"))
    parts: list[Text | Table] = [legend]
    for title, items in keys.SECTIONS:
        parts.append(Text("\n" + title, style="bold"))
        table = _table()
        for binding in keys.bindings(items):
            table.add_row(Text(keys.key_text(binding, keymap, display), style="bold"),
                          Text(keys.explained(binding)), Text(binding.id or "", style="dim"))
        parts.append(table)
    parts.append(Text("\nSearch box and --query: the query language", style="bold"))
    table = Table(box=None, show_header=False, padding=(0, 1), pad_edge=False, expand=True)
    table.add_column("example", no_wrap=True)
    table.add_column("meaning", ratio=1)
    for example, meaning in QUERY_HELP:
        table.add_row(Text(example, style="bold"), Text(meaning))
    parts.append(table)
    return Group(*parts)


def _table() -> Table:
    table = Table(box=None, show_header=False, padding=(0, 1), pad_edge=False, expand=True)
    table.add_column("key", no_wrap=True, min_width=12, max_width=30)
    table.add_column("does", ratio=1)
    table.add_column("id", no_wrap=True, style="dim", min_width=18)
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = keys.HELP
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "help--hit", "entity--company", "entity--country", "entity--theme", "entity--person",
    }

    def __init__(self, keymap: Mapping[str, str]) -> None:
        super().__init__()
        self.keymap = keymap

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog"):
            yield Label("Keys", id="help-title")
            with VerticalScroll(id="help-scroll"):
                yield Static(id="help-body", markup=False)
            yield Label("j/k scroll · Esc closes · remap a key in config.yaml: "
                        "keymap: {id: keys} (docs/keys.md)", id="help-hint", markup=False)

    def on_mount(self) -> None:
        self._fill()
        self.query_one("#help-scroll").focus()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        if self.is_mounted:
            self._fill()

    def _fill(self) -> None:
        body = help_renderable(self.keymap, self.app.get_key_display,
                               lambda name: self.get_component_rich_style(name, partial=True))
        self.query_one("#help-body", Static).update(body)

    def _scroll(self) -> VerticalScroll:
        return self.query_one("#help-scroll", VerticalScroll)

    def action_scroll(self, step: int) -> None:
        scroll = self._scroll()
        scroll.scroll_to(y=scroll.scroll_y + step, animate=False, immediate=True)

    def action_page(self, step: int) -> None:
        scroll = self._scroll()
        page = max(1, scroll.size.height - 1)
        scroll.scroll_to(y=scroll.scroll_y + step * page, animate=False, immediate=True)

    def action_edge(self, bottom: int) -> None:
        scroll = self._scroll()
        scroll.scroll_to(y=scroll.max_scroll_y if bottom else 0, animate=False,
                         immediate=True)

    def action_close(self) -> None:
        self.dismiss(None)
