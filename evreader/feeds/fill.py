"""Fill the feed store: every configured feed, then the full text of what wants it.

What `evreader fetch` and the reader's refresh both do (re-exported by
evreader.library, the faces' one door). Imports the feed machinery only when
called: a warm command that never fetches must not pay for it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from evreader.config import Config
    from evreader.feeds.refresh import FeedReport

FetchProgress = Callable[[int, int, str], None]  # done, in all, the current URL


def fetch_feeds(config: Config, progress: FetchProgress | None = None, *,
                full_text: bool = True, every_entry: bool = False,
                retry: bool = False) -> list[FeedReport]:
    """Download every configured feed into the feed store: what `evreader fetch`
    and the reader's refresh both do. A build after it reads only the feeds that
    gained entries (the rest come from the cache).

    Then, with `full_text`, the full text of the new entries of the feeds that
    want it (`full_text: true`, or `feeds.full_text.default`); with `every_entry`,
    of every entry of every configured feed that lacks it (`retry`: also those
    whose download failed before). `progress` hears the feeds, then the pages.
    Each report carries its feed's full-text results (see feeds.enrich)."""
    import sqlite3

    from evreader.feeds import enrich
    from evreader.feeds.db import StoreError
    from evreader.feeds.refresh import refresh_feeds
    from evreader.feeds.source import open_store
    from evreader.feeds.store import feed_folder
    settings = config.feeds
    try:
        with open_store(settings) as store:  # a JSON Lines library is moved in first
            after = store.max_entry_id()
    except (StoreError, OSError, sqlite3.Error):
        after = None  # refresh_feeds reports why, per feed
    reports = refresh_feeds(settings, progress=progress)
    if not (full_text or every_entry) or after is None:
        return reports
    folders = {feed_folder(settings.library, r.url).name: r.url for r in reports}
    try:
        if every_entry:
            results = enrich.fill_missing(settings, retry=retry, folders=list(folders),
                                          progress=progress)
        else:
            results = enrich.fill_new(settings, after, progress=progress)
    except (StoreError, OSError, sqlite3.Error) as exc:
        return [replace(r, reason=r.reason or f"no full text: {exc}") for r in reports]
    by_url: dict[str, list[enrich.ArticleText]] = {}
    for result in results:
        url = folders.get(result.key.rpartition("/")[0])
        if url is not None:
            by_url.setdefault(url, []).append(result)
    return [replace(r, full_text=tuple(by_url.get(r.url, ()))) for r in reports]
