"""Full text into the feed store: which entries get it, fetched how, written how.

The engine (fulltext.py) turns one link into a FullText; this module decides what
to ask it for and keeps the answers. Three callers:

- `evreader fetch`: the NEW entries of feeds marked `full_text: true` (or of every
  feed when `feeds.full_text.default` is true), right after the feeds are stored;
- `evreader fetch --full-text`: every entry that lacks it and has no recorded
  failure (`--retry`: the failed ones too);
- the reader and `evreader full-text ID`: one article, on demand (library.py).

All of them go through one FullTextFetcher per process (`shared_fetcher`), so its
per-site limiter and robots.txt cache hold across the fetch loop and the reader
at once. Entries with the same link are fetched once. Each answer is written in
its own short transaction as it arrives, so an interrupted run keeps what it got
and a second run asks only for the rest. A failure is stored as its reason
("blocked by robots.txt on …", "paywalled: only a teaser is public", "timed out
after 20 s", …): the reader shows it, and the entry is not asked for again until
the user retries.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from evreader.config import FeedSettings, FeedSpec, FullTextSettings
from evreader.feeds.db import EntryChange, FeedStore, FullTextJob
from evreader.feeds.fulltext import FullText, FullTextFetcher
from evreader.textsafe import one_line

MAX_REASON = 200  # characters of a stored failure reason

_SHARED: dict[FullTextSettings, FullTextFetcher] = {}
_SHARED_LOCK = threading.Lock()

Progress = Callable[[int, int, str], None]  # pages done, pages in all, the current link


def shared_fetcher(settings: FullTextSettings) -> FullTextFetcher:
    """The process's FullTextFetcher for these settings (made on first use)."""
    with _SHARED_LOCK:
        fetcher = _SHARED.get(settings)
        if fetcher is None:
            fetcher = _SHARED[settings] = FullTextFetcher(settings)
        return fetcher


@dataclass(frozen=True, slots=True)
class ArticleText:
    """What one entry's full-text download gave: `chars` of text, or `reason`."""

    key: str  # the entry's public key, "feed folder/entry key"
    link: str
    ok: bool
    chars: int = 0
    reason: str = ""
    final_url: str = ""

    def line(self) -> str:
        if self.ok:
            return f"full text  {self.link} ({self.chars:,} characters)"
        return f"no text    {self.link}: {self.reason}"


def wants_full_text(feed: FeedSpec, settings: FeedSettings) -> bool:
    """A feed's own `full_text:`, else the `feeds.full_text.default`."""
    return feed.full_text if feed.full_text is not None else settings.full_text.default


def store_result(store: FeedStore, key: str, full: FullText) -> EntryChange | None:
    """Write one FullText to entry `key`: the text with the page's title, authors
    and date, or the failure's reason (cut to MAX_REASON characters)."""
    if full.ok:
        return store.set_full_text(
            key, full.text, title=full.title or None, authors=full.authors,
            published=full.published.isoformat() if full.published else None,
            url=full.final_url or full.url)
    return store.set_full_text_error(key, _reason(full))


def _reason(full: FullText) -> str:
    return one_line(full.reason or "no article text found", MAX_REASON)


def result_of(key: str, link: str, full: FullText) -> ArticleText:
    if full.ok:
        return ArticleText(key, link, True, len(full.text), final_url=full.final_url)
    return ArticleText(key, link, False, reason=_reason(full), final_url=full.final_url)


def fill(store: FeedStore, jobs: Sequence[FullTextJob], fetcher: FullTextFetcher,
         progress: Progress | None = None) -> list[ArticleText]:
    """Fetch the full text of `jobs` (concurrently, within the fetcher's limits) and
    store each answer as it comes; one result per job. The links are taken in
    turns by site, so one site's pace does not hold every thread."""
    by_link: dict[str, list[FullTextJob]] = {}
    for job in jobs:
        by_link.setdefault(job.link, []).append(job)
    links = _by_site_in_turn(list(by_link))
    results: list[ArticleText] = []
    if progress:
        progress(0, len(links), "")

    def requests() -> Iterator[tuple[str, str]]:
        for link in links:  # the summary lets a teaser be told from an article
            yield link, store.summary_of(by_link[link][0].entry_id)

    for done, full in enumerate(fetcher.fetch_many(requests()), start=1):
        for job in by_link.get(full.url, ()):
            store_result(store, job.key, full)
            results.append(result_of(job.key, job.link, full))
        if progress:
            progress(done, len(links), full.url)
    return results


def _by_site_in_turn(links: list[str]) -> list[str]:
    """Links round-robin by site: one of each site, then the next of each."""
    from evreader.feeds.refresh import host_of
    queues: dict[str, list[str]] = {}
    for link in links:
        queues.setdefault(host_of(link), []).append(link)
    out: list[str] = []
    depth = 0
    while len(out) < len(links):
        out.extend(q[depth] for q in queues.values() if depth < len(q))
        depth += 1
    return out


def full_text_folders(settings: FeedSettings) -> list[str]:
    """The store folders of the feeds that want full text for their new entries."""
    from evreader.feeds.store import all_feeds, feed_folder
    return [feed_folder(settings.library, f.url).name for f in all_feeds(settings)
            if wants_full_text(f, settings)]


def fill_new(settings: FeedSettings, after_id: int, progress: Progress | None = None
             ) -> list[ArticleText]:
    """Full text for the entries stored after entry `after_id` in the feeds that
    want it (what `evreader fetch` does after storing the feeds)."""
    folders = full_text_folders(settings)
    if not folders:
        return []
    with FeedStore(settings.store) as store:
        jobs = store.full_text_jobs(folders, after_id=after_id)
        return fill(store, jobs, shared_fetcher(settings.full_text), progress)


def fill_missing(settings: FeedSettings, *, retry: bool = False,
                 folders: Iterable[str] | None = None, progress: Progress | None = None
                 ) -> list[ArticleText]:
    """Full text for every entry that lacks it and has no recorded failure (with
    `retry`, the failed ones too): `evreader fetch --full-text`."""
    if not settings.store.is_file():
        return []
    with FeedStore(settings.store) as store:
        jobs = store.full_text_jobs(folders, retry=retry)
        return fill(store, jobs, shared_fetcher(settings.full_text), progress)


__all__ = ["ArticleText", "fill", "fill_missing", "fill_new", "full_text_folders",
           "result_of", "shared_fetcher", "store_result", "wants_full_text"]
