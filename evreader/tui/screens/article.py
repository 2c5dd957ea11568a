"""A full-screen reader, pushed on Enter when the terminal is too narrow for three panes."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer

from evreader.index.corpus import CorpusIndex
from evreader.tui.render import article_as_text
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
        url = self.index.articles[self.article].url
        if not url:
            self.notify("This article has no URL.", severity="warning")
            return
        self.app.open_url(url)
        self.notify(f"Opening {url}", markup=False)

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(article_as_text(self.index, self.article))
        self.notify("Article copied to the clipboard.")
