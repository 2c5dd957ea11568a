"""One article's full text on demand, and the library refreshed for it alone.

What `Library.fetch_full_text` does (the reader calls it from a worker thread;
`evreader full-text ID` from the command line): find the feed entry the article
was made from, download its page through the process's one FullTextFetcher (the
same limiter and robots.txt cache as a running `fetch`), store the text or the
reason there is none, and give the library an index in which that one article
carries the full text: its entities extracted again, every other article taken
as it was (index/patch.py). The article keeps its id and its row.

Without a usable index cache (`cache: false`, or the cache was rebuilt for other
sources meanwhile) the per-article arrays a patch needs are not at hand; the
library is then built again, which reads the changed feed (and only it, when
the cache exists) — correct, just slower.
"""

from __future__ import annotations

import contextlib
import dataclasses
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from evreader.cache import CorpusCache, FileStamp
from evreader.config import FEED_STORE_SPLIT, source_specs
from evreader.index.filetable import FileTable

if TYPE_CHECKING:
    from evreader.feeds.db import EntryChange
    from evreader.index.corpus import CorpusIndex
    from evreader.library import Library
    from evreader.models import Article


@dataclass(frozen=True, slots=True)
class FullTextResult:
    """What asking for one article's full text did.

    `ok`: the article now carries its page's full text (`chars` characters), newly
    fetched (`fetched`) or already stored. Otherwise `reason` says why not, in
    words for the reader ("paywalled: only a teaser is public", "blocked by
    robots.txt on example.com", "timed out after 20 s", "not an article of a
    fetched feed", …). `url` is the page the text came from."""

    ok: bool
    reason: str = ""
    chars: int = 0
    fetched: bool = False
    url: str = ""


def fetch_article_text(lib: Library, i: int) -> FullTextResult:
    """See Library.fetch_full_text."""
    from evreader.feeds import enrich
    from evreader.feeds.db import FeedStore, StoreError
    from evreader.feeds.source import entry_of_article
    settings = lib.config.feeds
    if not 0 <= i < len(lib.index):
        return FullTextResult(False, f"no article {i} in this library")
    article = lib.index.articles[i]
    if not lib.config.read_feed_library or not settings.store.is_file():
        return FullTextResult(False, "not an article of a fetched feed")
    entry = entry_of_article(settings.store, article.source, article.id)
    if entry is None:
        return FullTextResult(False, "not an article of a fetched feed")
    if entry.full_text is not None:
        return FullTextResult(True, chars=len(article.text))
    if not entry.link:
        return FullTextResult(False, "the feed gives this entry no link")
    full = enrich.shared_fetcher(settings.full_text).fetch(entry.link, entry.summary)
    result = enrich.result_of(entry.key, entry.link, full)
    try:
        with FeedStore(settings.store) as store:
            change = enrich.store_result(store, entry.key, full)
            instance = store.instance()
    except (StoreError, OSError, sqlite3.Error) as exc:
        return FullTextResult(False, f"cannot write to the feed store: {exc}", fetched=True)
    if not result.ok:
        return FullTextResult(False, result.reason, fetched=True, url=result.final_url)
    if change is None:  # the entry went away between the two steps
        return FullTextResult(False, "the entry is no longer in the feed store", fetched=True)
    refresh_article(lib, i, entry.key, change, instance)
    return FullTextResult(True, chars=len(lib.index.articles.text(i)), fetched=True,
                          url=result.final_url)


def refresh_article(lib: Library, i: int, entry_key: str, change: EntryChange,
                    instance: str) -> None:
    """Give `lib` an index whose article `i` is entry `entry_key` as now stored."""
    from evreader.search import SearchEngine
    with _REFRESHING:  # two at once would each patch the index the other replaces
        index = _patched(lib, i, entry_key, change, instance)
        if index is None:
            from evreader.library import build_library
            index = build_library(lib.config).index
        lib.index = index
        lib.engine = SearchEngine(index, lib.gazetteer)
        lib._read = None
        lib.watch.forget_watchlists()


_REFRESHING = threading.Lock()


def _patched(lib: Library, i: int, entry_key: str, change: EntryChange, instance: str
             ) -> CorpusIndex | None:
    """The index with article `i` alone analysed again, or None when the cache
    does not hold the per-article arrays of this very index."""
    from evreader.index.patch import replace_articles
    config = lib.config
    if not config.cache:
        return None
    article = _stored_article(lib, i, entry_key)
    if article is None:
        return None
    cache = CorpusCache(config.cache_dir, source_specs(config))
    snapshot = cache.load()
    gazetteer = lib.gazetteer
    if snapshot is None or snapshot.fingerprint != gazetteer.fingerprint or \
            snapshot.index.articles.ids != lib.index.articles.ids:
        return None
    try:
        if not _current(snapshot.files, config.feeds.store, instance, change):
            return None
        table = _moved(snapshot.table, f"{FEED_STORE_SPLIT}{instance}/{change.folder}", change)
        return replace_articles(snapshot, {i: article}, gazetteer, cache=cache, table=table)
    except (ValueError, IndexError, OSError, sqlite3.Error):
        return None


def _current(files: list[FileStamp], store: Path, instance: str, change: EntryChange) -> bool:
    """Whether the cache holds every feed of the store as it is now, the changed
    feed as it was just before the change. Ids alone cannot tell: a full text
    keeps its article's id, so a cache that missed an earlier full text (say its
    save failed) would otherwise bring that article's summary back."""
    from evreader.feeds.db import StoreError, connect, feed_rows
    try:
        conn = connect(store, readonly=True)
    except StoreError:
        return False
    with contextlib.closing(conn):
        now = {r.folder: (r.text_bytes, r.version) for r in feed_rows(conn)}
    now[change.folder] = (change.before.text_bytes, change.before.version)
    prefix = f"{FEED_STORE_SPLIT}{instance}/"
    held = {f.key[len(prefix):]: (f.size, f.mtime_ns) for f in files if f.key.startswith(prefix)}
    return held == now


def _stored_article(lib: Library, i: int, entry_key: str) -> Article | None:
    """Article `i` made again from its entry, full text and all (same id)."""
    from evreader.feeds.db import StoreError, connect
    from evreader.feeds.source import store_articles
    store = lib.config.feeds.store
    old = lib.index.articles[i]
    folder, _, key = entry_key.rpartition("/")
    try:
        conn = connect(store, readonly=True)
    except StoreError:
        return None
    with contextlib.closing(conn):
        try:
            made = [a for _, a in store_articles(conn, folder, old.source, store.parent.name,
                                                 [], key=key)]
        except (sqlite3.Error, ValueError):
            return None
    if len(made) != 1 or made[0].id != old.id:
        return None
    return made[0]


def _moved(table: FileTable, key: str, change: EntryChange) -> FileTable:
    """The file table with the feed's stamp moved from `change.before` to `after`:
    only when the cache held the feed exactly as it was before this change (else
    the stale stamp stays, and the next build reads the feed again)."""
    before, after = change.before, change.after
    files = table.files.copy()
    for row, k in enumerate(table.keys):
        if k == key and (int(files["size"][row]), int(files["mtime"][row])) == \
                (before.text_bytes, before.version):
            files["size"][row], files["mtime"][row] = after.text_bytes, after.version
    return dataclasses.replace(table, files=files)


__all__ = ["FullTextResult", "fetch_article_text", "refresh_article"]
