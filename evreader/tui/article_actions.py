"""What the reader does to one article, for the list, the reader pane and the
full-screen view alike: read/star state, open its URL, copy it, pick the entity
a profile is about. Functions of the screen they report on, not widgets."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen

from evreader import browser
from evreader.index.corpus import CorpusIndex
from evreader.library import Library
from evreader.models import KINDS
from evreader.tui import workers
from evreader.tui.render import article_as_text


def toggle_state(screen: Screen[Any], library: Library, article: int, *, star: bool) -> bool:
    """Flip read (or starred) for `article`; False when it could not be saved."""
    state = library.state
    if state is None:
        return False
    article_id = library.index.articles.ids[article]
    now = state.toggle_star(article_id) if star else state.toggle_read(article_id)
    if state.problem:
        screen.notify(state.problem, severity="error", markup=False)
        state.problem = None
        return False
    if star:
        screen.notify("Starred." if now else "Unstarred.", timeout=2)
    else:
        screen.notify("Marked read." if now else "Marked unread.", timeout=2)
    return True


def mark_read(library: Library, article: int) -> bool:
    """Opening an article reads it, as in newsboat; True when that changed anything."""
    state = library.state
    article_id = library.index.articles.ids[article]
    if state is None or state.is_read(article_id):
        return False
    state.set_read([article_id])
    return True


def open_article_url(screen: Screen[Any], index: CorpusIndex, article: int,
                     copy_key: str = "y") -> None:
    url = index.articles[article].url
    if not url:
        screen.notify(f"This article has no URL. {copy_key} copies its text.",
                      severity="warning")
        return
    why_not = browser.why_not()
    if why_not is not None:
        screen.notify(f"{why_not.capitalize()}, so the link cannot be opened. "
                      f"Press {copy_key} to copy the article with its link.",
                      title="No browser", severity="warning", markup=False, timeout=10)
        return
    screen.app.open_url(url)
    screen.notify(f"Opening {url}", markup=False)


def copy_article(screen: Screen[Any], index: CorpusIndex, article: int) -> None:
    screen.app.copy_to_clipboard(article_as_text(index, article))
    screen.notify("Article copied to the clipboard (with its link).")


def profile_target(index: CorpusIndex, article: int) -> tuple[str, str] | None:
    """The entity a profile of this article is about: its first company, else its
    first country, person or theme."""
    names = index.entity_names(article)
    kind = next((k for k in ("company", "country", "person", "theme") if names[k]), None)
    return (kind, names[kind][0]) if kind is not None and kind in KINDS else None


def fetch_full_text(screen: Screen[Any], library: Library, article: int) -> None:
    """Ask for the article's full text in a worker (FullTextFetched tells the screen)."""
    if not library.index.articles.urls[article]:
        screen.notify("This article has no link to fetch.", severity="warning")
        return
    screen.notify("Fetching the article's page…", timeout=3)
    workers.start(screen, workers.fetch_full_text, library, article, name="full-text")
