"""A full-screen reader, pushed on Enter when the terminal is too narrow for three panes."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer

from evreader.index.corpus import CorpusIndex
from evreader.tui.article_actions import copy_article, open_article_url
from evreader.tui.widgets.reader import Reader


class ArticleScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,backspace", "back", "Back", id="back"),
        Binding("o", "open_url", "Open in browser", id="open-url"),
        Binding("y", "copy", "Copy", id="copy"),
    ]

    def __init__(self, index: CorpusIndex, article: int) -> None:
        super().__init__()
        self.index = index
        self.article = article

    def compose(self) -> ComposeResult:
        yield Reader(id="article-reader")
        yield Footer()

    def on_mount(self) -> None:
        reader = self.query_one(Reader)
        reader.show(self.index, self.article)
        reader.focus()

    def action_back(self) -> None:
        self.dismiss(None)

    def action_open_url(self) -> None:
        open_article_url(self, self.index, self.article)

    def action_copy(self) -> None:
        copy_article(self, self.index, self.article)
