"""The reader's background work, as plain functions run in thread workers.

Each takes `post` (a node's `post_message`) and reports only through the
dataclass messages of `messages`: a worker never touches a widget, so a slow
build or search can never tear the UI. `start` runs one, named, in a thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from textual.dom import DOMNode
from textual.message import Message

from evreader.config import Config, ExportSettings
from evreader.errors import EvreaderError
from evreader.export import append_note, render_note
from evreader.library import Library, build_library, fetch_feeds, open_cached
from evreader.models import Filters
from evreader.tui.messages import (
    DecisionSaved,
    ExportDone,
    ExportFailed,
    FeedsRefreshed,
    FullTextFetched,
    LibraryFailed,
    LibraryProgress,
    LibraryReady,
    LibraryVerified,
    ViewReady,
    WatchlistDeleted,
    WatchlistSaved,
    WatchlistsCounted,
    WatchlistVisited,
)
from evreader.tui.view import ViewRequest, compute_view

Post = Callable[[Message], bool]


def start(node: DOMNode, work: Callable[..., None], *args: Any, name: str,
          exclusive: bool = False) -> None:
    """Run `work(node.post_message, *args)` in a named thread worker. Named, so
    Textual never describes the worker by repr() of a 100k-article Library."""
    node.run_worker(partial(work, node.post_message, *args), name=name, group=name,
                    description=name, exclusive=exclusive, thread=True)


def _progress(post: Post) -> Callable[[str, int, int], None]:
    def progress(stage: str, done: int, total: int) -> None:
        post(LibraryProgress(stage, done, total))
    return progress


def load_library(post: Post, config: Config, painted: threading.Event) -> None:
    """The first screen straight from the cache when there is one; then the files
    are checked and a rebuilt library swapped in only if something changed."""
    try:
        quick = open_cached(config)
        if quick is not None:
            post(LibraryReady(quick, provisional=True))
            # The check walks every file: let the first screen paint before it
            # competes for the interpreter.
            painted.wait(timeout=5)
        library = build_library(config, progress=None if quick else _progress(post),
                                snapshot=quick.snapshot if quick else None)
    except EvreaderError as exc:
        post(LibraryFailed(str(exc)))
        return
    if quick is not None and library.from_cache:
        quick.adopt_gazetteer(library.gazetteer)  # the cached one stays on screen
        post(LibraryVerified())
        library = quick
    else:
        post(LibraryReady(library))
    library.engine.warm()  # the search tables, before a keystroke needs them


def refresh_feeds(post: Post, config: Config) -> None:
    """Fetch every feed, then rebuild (only new files are read; the rest is cached)."""
    def fetching(done: int, total: int, url: str) -> None:
        post(LibraryProgress("fetching feeds", done, total))
    reports = fetch_feeds(config, progress=fetching)
    failed = [r.line() for r in reports if r.status == "failed"]
    post(FeedsRefreshed(sum(r.new for r in reports), failed, len(reports)))
    try:
        library = build_library(config, progress=_progress(post))
    except EvreaderError as exc:
        post(LibraryFailed(str(exc)))
        return
    post(LibraryReady(library))


def decide(post: Post, library: Library, name: str, promote: bool) -> None:
    """Promote or ignore a discovered company: saved, and applied to the index."""
    try:
        library.promote(name) if promote else library.ignore(name)
    except (EvreaderError, OSError) as exc:
        post(DecisionSaved(name, promote, str(exc)))
        return
    post(DecisionSaved(name, promote))


def compute(post: Post, library: Library, request: ViewRequest, generation: int) -> None:
    """Search, sort and recount: instant for a small corpus, a few ms at 100k."""
    post(ViewReady(generation, compute_view(library, request)))


def write_note(post: Post, library: Library, settings: ExportSettings, path: Path, fmt: str,
               targets: list[int], described: Filters | None) -> None:
    """Render and append the note (it fsyncs)."""
    try:
        entry = render_note(library.index, targets, fmt=fmt, body=settings.body,
                            excerpt_chars=settings.excerpt_chars, filters=described)
        written = append_note(path, entry)
    except EvreaderError as exc:
        post(ExportFailed(str(exc)))
    except OSError as exc:
        post(ExportFailed(f"cannot write the note: {exc}"))
    else:
        post(ExportDone(str(written), len(targets)))


# ---- watchlists: counting records first-seen times and starts marks, a visit moves a
# mark, saving and deleting rewrite watchlists.yaml: all of it touches the data dir.
# One at a time, each posting its counts while it holds the lock: the counts arrive
# in the order the changes were made, so the last ones the screen gets are current
# (a recount that started before a visit cannot land after it with the old "new").
_WATCH_LOCK = threading.RLock()


def count_watchlists(post: Post, library: Library) -> None:
    """Every watchlist's counts (the entity pane's Watchlists section)."""
    with _WATCH_LOCK:
        try:
            statuses = library.watch_overview()
            warnings = library.watchlist_warnings()
        except (EvreaderError, OSError) as exc:
            post(WatchlistsCounted(library, [], [], f"watchlists: {exc}"))
            return
        post(WatchlistsCounted(library, statuses, warnings))


def visit_watchlist(post: Post, library: Library, name: str) -> None:
    """Applying a watchlist visits it: its mark moves (what was new is seen); then
    every count again."""
    with _WATCH_LOCK:
        try:
            before = library.watch_counts(name)
            library.mark_watch_seen(name)
        except (EvreaderError, OSError) as exc:
            post(WatchlistVisited(name, None, str(exc)))
        else:
            post(WatchlistVisited(name, before))
        count_watchlists(post, library)


def save_watchlist(post: Post, library: Library, name: str, query: str) -> None:
    """Save a new watchlist (never over another: the dialog says which is in the way)."""
    with _WATCH_LOCK:
        try:
            saved = library.save_watchlist(name, query, replace=False)
        except (EvreaderError, OSError) as exc:
            post(WatchlistSaved(name, query, str(exc)))
            return
        post(WatchlistSaved(saved.name, saved.query))


def delete_watchlist(post: Post, library: Library, name: str) -> None:
    """Remove a saved watchlist and its mark; then every count again."""
    with _WATCH_LOCK:
        try:
            removed = library.delete_watchlist(name)
        except (EvreaderError, OSError) as exc:
            post(WatchlistDeleted(name, str(exc)))
        else:
            post(WatchlistDeleted(removed))
        count_watchlists(post, library)


def fetch_full_text(post: Post, library: Library, article: int) -> None:
    """Article `article`'s page downloaded and its text kept (network: seconds)."""
    from evreader.articletext import FullTextResult
    article_id = library.index.articles.ids[article]
    try:
        result = library.fetch_full_text(article)
    except (EvreaderError, OSError) as exc:
        result = FullTextResult(False, str(exc))
    post(FullTextFetched(library, article_id, result))
