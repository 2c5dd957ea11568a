"""The `?` screen: every key, as remapped by the user's keymap."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static


def _bindings(items: Iterable[BindingType]) -> list[Binding]:
    return [b for b in items if isinstance(b, Binding)]


def help_sections() -> list[tuple[str, list[Binding]]]:
    """Bindings per area, read from the classes themselves so the list cannot go stale."""
    from evreader.tui.app import EvreaderApp
    from evreader.tui.screens.article import ArticleScreen
    from evreader.tui.screens.main import MainScreen
    from evreader.tui.widgets.article_list import ArticleList
    from evreader.tui.widgets.entity_pane import EntityPane

    nav = _bindings(ArticleList.BINDINGS)
    return [
        ("Anywhere", [*_bindings(EvreaderApp.BINDINGS), Binding(
            "ctrl+p", "command_palette", "Command palette (all actions, filters)")]),
        ("Filters & articles", _bindings(MainScreen.BINDINGS)),
        ("Lists & reader", nav),
        ("Entity pane", [b for b in _bindings(EntityPane.BINDINGS) if b not in nav]),
        ("Narrow article view", _bindings(ArticleScreen.BINDINGS)),
    ]


def key_text(binding: Binding, keymap: Mapping[str, str], display: object) -> str:
    keys = keymap.get(binding.id, binding.key) if binding.id else binding.key
    shown = []
    for key in keys.split(","):
        key = key.strip()
        shown.append(display(Binding(key, "")) if callable(display) else key)
    return " ".join(dict.fromkeys(shown))


QUERY_HELP = (
    ("battery plant", "every word must match; typos are fine"),
    ('"solid-state battery"', "this exact phrase"),
    ("-recall", "articles without this word"),
    ("company:nisan", "a company (fuzzy: nisan → Nissan)"),
    ('company:"hon hai"', "quote values with spaces"),
    ("country:japan theme:batteries", "countries, themes, person: likewise"),
    ("-company:tesla", "not mentioning Tesla"),
    ("since:2024-01 until:2025-06", "published between (2024, 2024-03, 2024-03-16)"),
    ("is:unread is:starred", "reading state"),
)


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "close", "Close", id="help-close"),
    ]

    def __init__(self, keymap: Mapping[str, str]) -> None:
        super().__init__()
        self.keymap = keymap

    def compose(self) -> ComposeResult:
        text = Text(end="")
        for title, bindings in help_sections():
            if text.plain:
                text.append("\n")
            text.append(title + "\n", style="bold")
            for b in bindings:
                keys = key_text(b, self.keymap, self.app.get_key_display)
                text.append(f"  {keys:<18}", style="bold")
                text.append(f"{b.description or b.action:<34}")
                if b.id:
                    text.append(f"  {b.id}", style="dim")
                text.append("\n")
        text.append("\nSearch box: the query language\n", style="bold")
        for example, meaning in QUERY_HELP:
            text.append(f"  {example:<34}", style="bold")
            text.append(f"{meaning}\n")
        with Vertical(id="help-dialog"):
            yield Label("Keys", id="help-title")
            with VerticalScroll(id="help-scroll"):
                yield Static(text, id="help-body")
            yield Label("Esc closes · remap a key in config.yaml → keymap: {id: keys}",
                        id="help-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()

    def action_close(self) -> None:
        self.dismiss(None)
