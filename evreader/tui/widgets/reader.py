"""The reader pane: one article with its entity mentions coloured by kind."""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from evreader.index.corpus import CorpusIndex
from evreader.profile import related_articles
from evreader.textsafe import one_line
from evreader.tui.render import article_text

RELATED_SHOWN = 5


class Reader(VerticalScroll, can_focus=True):
    """Scrollable article view; content is a Rich Text, so article markup stays literal."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "scroll_down", "Down", show=False, id="cursor-down"),
        Binding("k,up", "scroll_up", "Up", show=False, id="cursor-up"),
        Binding("g,home", "scroll_home", "Top", show=False, id="cursor-top"),
        Binding("G,end", "scroll_end", "Bottom", show=False, id="cursor-bottom"),
        Binding("pageup", "page_up", "Page up", show=False, id="page-up"),
        Binding("pagedown,space", "page_down", "Page down", show=False, id="page-down"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "reader--title", "reader--meta",
        "entity--company", "entity--country", "entity--theme", "entity--person",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.index: CorpusIndex | None = None
        self.article: int | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text("No article", end=""), classes="reader-body")

    def kind_style(self, kind: str) -> Style:
        return self.get_component_rich_style(f"entity--{kind}", partial=True)

    def show(self, index: CorpusIndex, article: int | None) -> None:
        """Display `article` (None: a hint) and scroll back to its top if it changed."""
        changed = article != self.article
        self.index, self.article = index, article
        self._refresh_body()
        if changed:
            self.scroll_home(animate=False)

    def _refresh_body(self) -> None:
        body = self.query_one(".reader-body", Static)
        if self.index is None or self.article is None:
            body.update(Text("No article matches the filters.", end=""))
            return
        meta = self.get_component_rich_style("reader--meta", partial=True)
        text = article_text(
            self.index, self.article, self.kind_style,
            title_style=self.get_component_rich_style("reader--title", partial=True),
            meta_style=meta)
        related = related_articles(self.index, self.article, limit=RELATED_SHOWN)
        if related:
            text.append("\n\nRelated", style=self.get_component_rich_style(
                "reader--title", partial=True))
            text.append("  (R lists them)\n", style=meta)
            store = self.index.articles
            for i, _ in related:
                published = store.published(i)
                text.append(f"{published.isoformat() if published else '—':>10}  ", style=meta)
                text.append(one_line(store.titles[i], 100) + "\n")
        body.update(text)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        if self.is_mounted and self.index is not None:
            self._refresh_body()
