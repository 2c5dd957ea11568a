"""Open-in-browser and copy-as-text for one article, shared by the wide and narrow views."""

from __future__ import annotations

from textual.screen import Screen

from evreader.index.corpus import CorpusIndex
from evreader.tui.render import article_as_text


def open_article_url(screen: Screen[None], index: CorpusIndex, article: int) -> None:
    url = index.articles[article].url
    if not url:
        screen.notify("This article has no URL.", severity="warning")
        return
    screen.app.open_url(url)
    screen.notify(f"Opening {url}", markup=False)


def copy_article(screen: Screen[None], index: CorpusIndex, article: int) -> None:
    screen.app.copy_to_clipboard(article_as_text(index, article))
    screen.notify("Article copied to the clipboard.")
