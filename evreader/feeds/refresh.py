"""Fetch every feed at once, politely, and store each in its own transaction.

Feeds download on a pool of threads (`connections` at a time), at most `per_host`
to one host, each host's requests starting `delay` apart (polite.HostLimiter,
the full-text fetcher's limiter); the feed list is
interleaved by host so a host with many feeds does not hold every thread. A feed
fetched before is asked for with its ETag / Last-Modified, so an unchanged feed is
one small 304. Parsing is CPU work: a large body is parsed in worker processes
(both cores), a small one in its thread; the worker also compresses the entries
the store does not have yet. Only the calling thread writes to the store, one
transaction per feed (see db). A thread keeps its body until its parse is done,
so at most `connections` bodies are in memory.

One feed's failure — network, HTTP, a malformed document, a full disk — is that
feed's report line; the others go on.
"""

from __future__ import annotations

import contextlib
import dataclasses
import sqlite3
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from evreader.config import FeedSettings, FeedSpec
from evreader.feeds.db import (
    AUTHOR_SEP,
    FeedStore,
    NewEntry,
    StoreError,
    connect,
    known_keys,
    pack_text,
)
from evreader.feeds.fetch import FetchResult, fetch
from evreader.feeds.polite import HostLimiter, site_of

if TYPE_CHECKING:
    from evreader.feeds.enrich import ArticleText

INLINE_BYTES = 512 * 1024  # bodies below this parse in their thread: a process costs more
Progress = Callable[[int, int, str], None]  # feeds done, feeds in all, the current URL
Fetcher = Callable[..., FetchResult]


@dataclass(frozen=True, slots=True)
class FeedReport:
    """What one feed's refresh did, for the per-feed summary."""

    url: str
    status: str  # "new", "unchanged" or "failed"
    new: int = 0
    seen: int = 0
    reason: str = ""
    full_text: tuple[ArticleText, ...] = ()  # its entries' full-text downloads, if any

    def line(self) -> str:
        if self.status == "failed":
            return f"failed     {self.url}: {self.reason}{self._full_text()}"
        if self.status == "unchanged":
            return f"unchanged  {self.url}{self._full_text()}"
        return f"{self.new:>3} new    {self.url} ({self.seen} entries in feed){self._full_text()}"

    def _full_text(self) -> str:
        if not self.full_text:
            return ""
        got = sum(a.ok for a in self.full_text)
        return f"; full text for {got} of {len(self.full_text)}"


class ParsedBatch(NamedTuple):
    """A fetched document read for the store: its entries not stored yet, packed."""

    title: str
    problem: str | None
    entries: list[NewEntry]
    seen: int  # entries in the document


def parse_for_store(data: bytes, base_url: str, known: frozenset[str]) -> ParsedBatch:
    """Parse a feed document and pack the entries whose keys are not in `known`
    (runs in a worker process for large feeds: a module-level function)."""
    from evreader.feeds.parse import parse_feed
    parsed = parse_feed(data, base_url=base_url)
    if parsed.problem:
        return ParsedBatch(parsed.title, parsed.problem, [], 0)
    fresh: list[NewEntry] = []
    keys = set(known)
    for e in parsed.entries:
        key = e.key()
        if key in keys:
            continue
        keys.add(key)
        summary, size = pack_text(e.text)
        fresh.append(NewEntry(key, e.guid, e.title, e.link,
                              e.published.isoformat() if e.published else None,
                              AUTHOR_SEP.join(e.authors), summary, size, e.source))
    return ParsedBatch(parsed.title, None, fresh, len(parsed.entries))


def host_of(url: str) -> str:
    try:
        return site_of(url)
    except ValueError:
        return ""


def interleaved(feeds: Sequence[FeedSpec]) -> list[FeedSpec]:
    """Feeds ordered round-robin by host: one of each host, then the next of each."""
    by_host: dict[str, list[FeedSpec]] = {}
    for feed in feeds:
        by_host.setdefault(host_of(feed.url), []).append(feed)
    out: list[FeedSpec] = []
    queues = list(by_host.values())
    depth = 0
    while len(out) < len(feeds):
        out.extend(q[depth] for q in queues if depth < len(q))
        depth += 1
    return out


class _Parser:
    """Parses in worker processes, started when the first large body arrives."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self._broken = False

    def parse(self, data: bytes, url: str, known: frozenset[str]) -> ParsedBatch:
        if len(data) >= INLINE_BYTES and not self._broken:
            pool = self._start()
            if pool is not None:
                try:
                    return pool.submit(parse_for_store, data, url, known).result()
                except Exception:  # a dead worker (killed, out of memory): parse here
                    self._broken = True
        return parse_for_store(data, url, known)

    def _start(self) -> ProcessPoolExecutor | None:
        with self._lock:
            if self._pool is None and not self._broken:
                import multiprocessing as mp

                from evreader.index.workers import (
                    _main_left_out,
                    _start_resource_tracker,
                    default_workers,
                )
                try:
                    _start_resource_tracker()
                    workers = default_workers()
                    with _main_left_out():  # every worker spawned now, __main__ hidden
                        pool = ProcessPoolExecutor(workers, mp_context=mp.get_context("spawn"))
                        for ready in [pool.submit(int) for _ in range(workers)]:
                            ready.result()
                    self._pool = pool
                except (OSError, RuntimeError):
                    self._broken = True
            return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)


class _Outcome(NamedTuple):
    feed: FeedSpec
    result: FetchResult
    batch: ParsedBatch | None


def refresh_feeds(settings: FeedSettings, progress: Progress | None = None,
                  fetcher: Fetcher = fetch) -> list[FeedReport]:
    """Fetch every feed; store new entries. One failing feed never stops the rest."""
    from evreader.feeds.source import open_store
    from evreader.feeds.store import all_feeds, feed_folder
    feeds = all_feeds(settings)
    try:
        store = open_store(settings)
    except StoreError as exc:
        return [FeedReport(f.url, "failed", reason=f"cannot open the feed store: {exc}")
                for f in feeds]
    with store:
        validators = store.validators()
        reader = _KeyReader(settings.store)
        limiter = HostLimiter(settings.per_host, settings.delay, settings.connections)
        parser = _Parser()
        folder = {f.url: feed_folder(settings.library, f.url).name for f in feeds}

        def work(feed: FeedSpec) -> _Outcome:
            etag, modified = validators.get(feed.url, (None, None))
            with limiter.turn(host_of(feed.url)):
                result = fetcher(feed.url, etag=etag, last_modified=modified,
                                 timeout=settings.timeout, max_bytes=settings.max_bytes)
            if result.status != "fetched":
                return _Outcome(feed, result, None)
            known = reader.keys(folder[feed.url])
            batch = parser.parse(result.data, feed.url, known)
            return _Outcome(feed, dataclasses.replace(result, data=b""), batch)  # body freed

        reports: dict[str, FeedReport] = {}
        checks: list[tuple[str, str, str, str]] = []
        if progress:
            progress(0, len(feeds), "")
        try:
            with ThreadPoolExecutor(max(1, min(settings.connections, len(feeds))),
                                    thread_name_prefix="evreader-fetch") as threads:
                futures: dict[Future[_Outcome], FeedSpec] = {
                    threads.submit(work, f): f for f in interleaved(feeds)}
                for n, future in enumerate(as_completed(futures), start=1):
                    feed = futures.pop(future)  # a future holds its result: 100 feeds of 4 MB
                    try:
                        outcome = future.result()
                    except Exception as exc:  # a bug in one feed's path stops only that feed
                        outcome = _Outcome(feed, FetchResult(
                            feed.url, "failed", reason=f"{type(exc).__name__}: {exc}"), None)
                    reports[feed.url] = _settle(store, outcome, folder[feed.url], checks)
                    del outcome, future
                    if progress:
                        progress(n, len(feeds), feed.url)
        finally:
            parser.close()
            reader.close()
        with contextlib.suppress(StoreError, OSError, sqlite3.Error):
            store.record_checks(checks)  # else only the "checked" time and status are lost
    return [reports[f.url] for f in feeds]


def _settle(store: FeedStore, outcome: _Outcome, folder: str,
            checks: list[tuple[str, str, str, str]]) -> FeedReport:
    """Store what one feed gave, and say what happened."""
    feed, result, batch = outcome
    if result.status == "failed":
        checks.append((folder, feed.url, "failed", result.reason))
        return FeedReport(feed.url, "failed", reason=result.reason)
    if result.status == "unchanged" or batch is None:
        checks.append((folder, feed.url, "unchanged", ""))
        return FeedReport(feed.url, "unchanged")
    if batch.problem:
        checks.append((folder, feed.url, "failed", batch.problem))
        return FeedReport(feed.url, "failed", reason=batch.problem)
    try:
        stored = store.store_feed(folder, feed.url, feed.title or batch.title, batch.entries,
                                  batch.seen, result.etag, result.last_modified)
    except (StoreError, OSError, sqlite3.Error) as exc:
        return FeedReport(feed.url, "failed", reason=f"cannot write to {store.path}: {exc}")
    return FeedReport(feed.url, "new", new=stored.new, seen=stored.seen)


class _KeyReader:
    """The entry keys a feed has, read on a connection of its own (the fetch threads
    share it under a lock; the store's connection belongs to the calling thread)."""

    def __init__(self, path: Path) -> None:
        self._lock = threading.Lock()
        self._conn = connect(path, shared=True)

    def keys(self, folder: str) -> frozenset[str]:
        with self._lock:
            return known_keys(self._conn, folder)

    def close(self) -> None:
        self._conn.close()


__all__ = ["FeedReport", "ParsedBatch", "interleaved", "parse_for_store",
           "refresh_feeds"]
