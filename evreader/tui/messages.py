"""Small dataclass messages passed from worker threads and widgets to the main screen.

Workers never touch widgets: they post one of these and the screen applies it on
the event loop, so a slow index build or search can never tear the UI.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from evreader.articletext import FullTextResult
from evreader.library import Library
from evreader.tui.view import View
from evreader.watchlists import WatchCounts, WatchStatus


@dataclass
class LibraryProgress(Message):
    """The index build moved on (stage, done of total; total 0 = unknown)."""

    stage: str
    done: int
    total: int


@dataclass
class LibraryReady(Message):
    """A library to show. `provisional`: opened from the cache, files not yet checked."""

    library: Library
    provisional: bool = False


@dataclass
class LibraryVerified(Message):
    """The files were checked after a cached start and nothing had changed."""


@dataclass
class FullTextFetched(Message):
    """One article's full text was asked for (see Library.fetch_full_text)."""

    library: Library
    article_id: str
    result: FullTextResult


@dataclass
class FeedsRefreshed(Message):
    """`evreader fetch` ran from the reader: one line per feed."""

    new: int
    failed: list[str]
    feeds: int


@dataclass
class DecisionSaved(Message):
    """A discovered company was promoted or ignored (and written to the entities file)."""

    name: str
    promoted: bool
    error: str | None = None


@dataclass
class LibraryFailed(Message):
    error: str


@dataclass
class ViewReady(Message):
    """A recomputed list and its counts; `generation` drops stale results."""

    generation: int
    view: View


@dataclass
class ExportDone(Message):
    path: str
    count: int


@dataclass
class ExportFailed(Message):
    error: str


@dataclass
class EntityChosen(Message):
    """The user picked an entity (in the entity pane) to toggle as a filter."""

    kind: str
    name: str


@dataclass
class EntityDecision(Message):
    """Promote (True) or ignore (False) the discovered company `name`."""

    name: str
    promote: bool


@dataclass
class ArticleHighlighted(Message):
    """The article cursor moved to article `index` (-1: none)."""

    index: int


@dataclass
class ArticleOpened(Message):
    index: int


@dataclass
class SelectionChanged(Message):
    count: int


@dataclass
class SearchChanged(Message):
    """The search box's query settled (a pause in typing) or was submitted (Enter)."""

    text: str
    submitted: bool = False


@dataclass
class WatchlistsCounted(Message):
    """Every watchlist with its counts, for `library` (counts of a library no longer
    shown are dropped). `warnings`: watchlists left out and why; `error`: the counts
    could not be made."""

    library: Library
    statuses: list[WatchStatus]
    warnings: list[str]
    error: str | None = None


@dataclass
class WatchlistChosen(Message):
    """Apply the watchlist `name` (Enter in the entity pane)."""

    name: str


@dataclass
class WatchlistDeleteAsked(Message):
    """Delete the watchlist `name` (the pane's delete key); the screen asks first."""

    name: str


@dataclass
class WatchlistVisited(Message):
    """A watchlist was applied and its last-visit mark moved; `before`: its counts
    just before (what was new), None when they could not be made."""

    name: str
    before: WatchCounts | None
    error: str | None = None


@dataclass
class WatchlistSaved(Message):
    """The save dialog's watchlist was written (or `error` says why not)."""

    name: str
    query: str
    error: str | None = None


@dataclass
class WatchlistDeleted(Message):
    name: str
    error: str | None = None
