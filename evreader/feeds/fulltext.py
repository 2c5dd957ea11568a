"""Full text for a feed entry: download the article's page and keep its main text.

Most feeds carry a summary or the first paragraph, so the companies and countries
of a story are mostly not in them. `fetch_full_text` downloads the entry's link
with the same safe downloader as the feeds (http(s) only, a total deadline, size
caps before and after decompression; nothing on the page is ever run) and
extracts the main text with trafilatura (see pagetext.py), keeping the page's
title, authors and date for the fields the feed left empty.

Politeness (polite.py): every request, robots.txt included, takes a turn from a
shared per-site limiter, and robots.txt is obeyed unless the user turns it off.

Redirects are followed one hop at a time, at most MAX_REDIRECTS, and each hop is
vetted as a first request would be: http(s) only, its own site's robots.txt and
rate limit, the address policy. Redirects to another host are followed — feed
links often go through a tracking or feed-proxy host, and http→https or a move to
a `www.` host is routine — and `final_url` says where the text came from. A
redirect that lands on a sign-in, consent or subscription page is reported as such
rather than extracted. Links to loopback and private addresses are refused unless
the settings allow them: the link is written by a stranger.

Nothing here raises for what a page or a server does: a failure is a FullText
with an empty text and a `reason` worded for the reader ("blocked by robots.txt",
"HTTP 403 Forbidden", "no article text found", "page larger than 5 MB", "timed
out after 20 s", "paywalled: only a teaser is public", ...).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from datetime import date
from typing import NamedTuple
from urllib.parse import urlsplit

from evreader.config import FullTextSettings
from evreader.feeds.fetch import MAX_REDIRECTS, FetchResult, fetch
from evreader.feeds.pagetext import extract_page
from evreader.feeds.polite import HostLimiter, RobotsCache, site_of

HTML_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
PAYWALL_TEASER_CHARS = 2000  # a page marked not-free with less text than this is a teaser
_WALL_PATH = re.compile(r"(?:^|[/_.-])(?:log-?in|sign-?in|sign_in|auth|authorize|consent|"
                        r"subscribe|subscription|paywall|register|registration)(?:$|[/_.?-])",
                        re.IGNORECASE)


class FullText(NamedTuple):
    """One article page's main text, or the reason there is none.

    `text` is clean (textsafe.clean_text), paragraphs separated by a blank line.
    `title`, `authors` and `published` are what the page says, "" / () / None
    where it says nothing; `final_url` is the page the text came from.
    """

    url: str
    text: str = ""
    title: str = ""
    authors: tuple[str, ...] = ()
    published: date | None = None
    final_url: str = ""
    reason: str = ""

    @property
    def ok(self) -> bool:
        return bool(self.text) and not self.reason

    def fill_missing(self, title: str, authors: Sequence[str], published: date | None
                     ) -> tuple[str, tuple[str, ...], date | None]:
        """The entry's own title, authors and date, each taken from the page only
        where the feed gave none (the feed's word is the publisher's, first)."""
        return (title or self.title, tuple(authors) or self.authors,
                published if published is not None else self.published)


def fetch_full_text(url: str, settings: FullTextSettings, *, limiter: HostLimiter,
                    robots: RobotsCache | None, summary: str = "",
                    fetcher: Callable[..., FetchResult] = fetch) -> FullText:
    """Download `url` and extract its main text; never raises for network, HTTP or
    page problems. `summary` (the feed's text, if any) lets a teaser be told from
    an article: a page with less text than the feed gave is not kept.

    `limiter` and `robots` are shared by every caller in the process (the fetch
    loop's workers and the reader's key), so together they stay polite.
    """
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
        return FullText(url, reason="not a web link (only http:// and https:// are fetched)")
    current, seen, spent = url, {url}, 0.0
    for _hop in range(MAX_REDIRECTS + 1):
        site = site_of(current)
        if settings.robots and robots is not None:
            verdict = robots.verdict(current, limiter)
            if not verdict.allowed:
                why = f" ({verdict.note})" if verdict.note else ""
                return FullText(url, final_url=current,
                                reason=f"blocked by robots.txt on {site}{why}")
            if verdict.crawl_delay:
                limiter.ask_delay(site, verdict.crawl_delay)
        remaining = settings.timeout - spent
        if remaining <= 0:
            return FullText(url, reason=f"timed out after {settings.timeout:g} s")
        with limiter.turn(site):
            started = time.monotonic()
            result = fetcher(current, timeout=remaining, max_bytes=settings.max_bytes,
                             accept=HTML_ACCEPT, follow_redirects=False,
                             public_only=not settings.private_addresses)
            spent += time.monotonic() - started
        if result.status != "redirect":
            break
        if result.location in seen:
            return FullText(url, reason=f"a redirect loop at {site_of(result.location)}")
        seen.add(result.location)
        current = result.location
    else:
        return FullText(url, reason=f"too many redirects (more than {MAX_REDIRECTS})")
    if result.status != "fetched":
        return FullText(url, final_url=current, reason=_failure(result, settings))
    if current != url and _WALL_PATH.search(urlsplit(current).path):
        return FullText(url, final_url=current, reason=(
            f"redirected to a sign-in or consent page on {site_of(current)}"))
    kind = result.content_type.split(";")[0].strip().lower()
    if kind not in HTML_TYPES and not (not kind and result.data.lstrip()[:1] == b"<"):
        return FullText(url, final_url=current,
                        reason=f"not a web page ({kind or 'no content type'})")
    page = extract_page(result.data, url=current, content_type=result.content_type)
    if page.paywalled and len(page.text) < PAYWALL_TEASER_CHARS:
        return FullText(url, "", page.title, page.authors, page.published, current,
                        "paywalled: only a teaser is public")
    if page.reason:
        return FullText(url, "", page.title, page.authors, page.published, current,
                        page.reason)
    if summary and len(page.text) < len(" ".join(summary.split())):
        return FullText(url, "", page.title, page.authors, page.published, current,
                        "the page shows less text than the feed (a teaser?)")
    return FullText(url, page.text, page.title, page.authors, page.published, current)


def _failure(result: FetchResult, settings: FullTextSettings) -> str:
    if result.failure == "too-large":
        return f"page larger than {settings.max_bytes / 1e6:g} MB"
    if result.failure == "timeout":
        return f"timed out after {settings.timeout:g} s"
    if result.failure == "refused":
        return (f"{result.reason}; set feeds.full_text.private_addresses to fetch such links")
    if result.failure == "scheme":
        return "redirected to a non-http(s) URL"
    return result.reason or "download failed"


class FullTextFetcher:
    """Settings, limiter and robots.txt cache together: make one per process and
    share it between the fetch loop and the reader."""

    def __init__(self, settings: FullTextSettings, *,
                 fetcher: Callable[..., FetchResult] = fetch) -> None:
        self.settings = settings
        self.limiter = HostLimiter(settings.per_host, settings.delay, settings.connections)
        self.robots = RobotsCache(public_only=not settings.private_addresses,
                                  timeout=min(settings.timeout, 10.0), fetcher=fetcher)
        self._fetcher = fetcher

    def fetch(self, url: str, summary: str = "") -> FullText:
        return fetch_full_text(url, self.settings, limiter=self.limiter, robots=self.robots,
                               summary=summary, fetcher=self._fetcher)

    def fetch_many(self, requests: Iterable[tuple[str, str]]) -> Iterator[FullText]:
        """(url, summary) pairs → FullTexts as each finishes, `connections` at a
        time; the limiter keeps each site to its own pace. Stopping the iteration
        early lets the requests already started finish and starts no more."""
        pending = iter(requests)
        with ThreadPoolExecutor(max_workers=self.settings.connections,
                                thread_name_prefix="full-text") as pool:
            running: set[Future[FullText]] = set()
            try:
                for url, summary in pending:
                    running.add(pool.submit(self.fetch, url, summary))
                    if len(running) >= self.settings.connections * 2:
                        done, running = _wait_some(running)
                        yield from (f.result() for f in done)
                while running:
                    done, running = _wait_some(running)
                    yield from (f.result() for f in done)
            finally:
                for future in running:
                    future.cancel()


def _wait_some(running: set[Future[FullText]]
               ) -> tuple[set[Future[FullText]], set[Future[FullText]]]:
    done, still = wait(running, return_when=FIRST_COMPLETED)
    return set(done), set(still)
