"""The full-screen article, pushed on Enter when the terminal is too narrow for
three panes. Its keys are the reader pane's: J / K move to the next article in
the list, and star, read, export, open, copy, profile and related act on the
article shown, done by the screen that lists the articles (its host)."""

from __future__ import annotations

from typing import ClassVar, Protocol

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.screen import Screen
from textual.widgets import Footer

from evreader.tui import keys
from evreader.tui.document import Document
from evreader.tui.widgets.reader import Reader


class ArticleHost(Protocol):
    """What the full-screen view needs from the screen listing the articles."""

    def reading(self) -> tuple[Document, int] | None:
        """The current article as the reader shows it (None: there is none)."""

    def run_article_action(self, action: str) -> None:
        """Do an article action ("toggle_star", "next_article(1)", …) there."""

    def position(self) -> str:
        """Where the article is in the list ("3 of 9")."""


class ArticleScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = keys.ARTICLE_SCREEN

    def __init__(self, host: ArticleHost) -> None:
        super().__init__()
        self.host = host

    @property
    def article(self) -> int | None:
        return self.query_one(Reader).article

    def compose(self) -> ComposeResult:
        yield Reader(id="article-reader")
        yield Footer()

    def on_mount(self) -> None:
        self.sync()
        self.query_one(Reader).focus()

    def sync(self) -> None:
        """Show the host's current article (after J / K, a star, a state change)."""
        reading = self.host.reading()
        if reading is None:
            self.dismiss(None)
            return
        reader = self.query_one(Reader)
        reader.show(*reading)
        reader.border_title = self.host.position()

    def action_host(self, action: str) -> None:
        self.host.run_article_action(action)
        if self.is_current:
            self.sync()

    def action_back(self) -> None:
        self.dismiss(None)
