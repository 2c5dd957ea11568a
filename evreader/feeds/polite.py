"""Politeness for page downloads: a per-site rate limit and a robots.txt cache.

A feed is one request per refresh; full text is one request per article, so a
feed of 50 entries marked `full_text` would be 50 requests to one site at once if
nothing held them back. `HostLimiter` lets at most `per_host` requests run at a
time to one site and spaces their starts by `delay` seconds (more when the site's
robots.txt asks with Crawl-delay), with a cap on requests in flight overall.

`RobotsCache` fetches each site's robots.txt once a day, through the same safe
downloader as the pages (small caps), and answers "may evreader fetch this URL?".
Conventions, as Python's own robotparser reads them: an unreachable robots.txt
(timeout, refused, 404 or any other 4xx, 5xx) allows everything; a 401 or 403
forbids everything. RFC 9309 asks crawlers to treat a 5xx as "disallow all"; a
reader that fetches the article a person is looking at follows the older, more
lenient convention, as the issue asked. Matching follows RFC 9309 on two points
where the standard library does not: the longest matching rule wins (an Allow on
a tie), and `*` and `$` in paths are wildcards — so `Disallow: /` with
`Allow: /news/` allows /news/, and `Disallow: /*/amp` does disallow /x/amp.
"""

from __future__ import annotations

import re
import threading
import time
import urllib.robotparser
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple
from urllib.parse import quote, unquote, urlsplit

from evreader.feeds.fetch import FetchResult, fetch

ROBOTS_MAX_BYTES = 512_000  # RFC 9309 asks parsers to read at least 500 KiB
ROBOTS_TIMEOUT = 10.0
ROBOTS_TTL = 24 * 3600.0  # RFC 9309: a cached robots.txt should not be used after 24 h
MAX_CRAWL_DELAY = 30.0  # a larger Crawl-delay is honoured as 30 s
AGENT = "evreader"  # the product token robots.txt groups are matched against


def site_of(url: str) -> str:
    """The key requests are paced by: the host name, lower-cased, without the port
    (two ports of one machine are one site to be polite to)."""
    return (urlsplit(url).hostname or "").lower()


class HostLimiter:
    """At most `per_host` requests at once to a site, `total` at once overall, and
    at least `delay` seconds between the starts of two requests to one site.

    Thread-safe: the fetch loop's worker threads and the reader's on-demand fetch
    share one limiter, so together they stay polite. A request waiting for its
    turn at one site does not hold a place in the overall cap. `clock` and `sleep`
    are injectable so tests can check the pacing without waiting for it.
    """

    def __init__(self, per_host: int = 1, delay: float = 1.0, total: int = 4, *,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.per_host = max(1, per_host)
        self.delay = max(0.0, delay)
        self.total = max(1, total)
        self._clock = clock
        self._sleep = sleep
        self._cond = threading.Condition()
        self._active: dict[str, int] = {}
        self._in_flight = 0
        self._next_start: dict[str, float] = {}
        self._site_delay: dict[str, float] = {}

    def ask_delay(self, site: str, seconds: float) -> None:
        """A site's own wish (robots.txt Crawl-delay): honoured up to MAX_CRAWL_DELAY,
        never below the configured delay."""
        with self._cond:
            self._site_delay[site] = min(max(0.0, seconds), MAX_CRAWL_DELAY)

    def delay_for(self, site: str) -> float:
        with self._cond:
            return max(self.delay, self._site_delay.get(site, 0.0))

    def active(self, site: str) -> int:
        """Requests to `site` holding a turn now (for tests and status lines)."""
        with self._cond:
            return self._active.get(site, 0)

    @contextmanager
    def turn(self, site: str, *, paced: bool = True) -> Iterator[None]:
        """Hold a turn at `site` for one request. `paced=False` (robots.txt) waits
        for a free place but neither waits for nor pushes back the next start."""
        with self._cond:
            while self._active.get(site, 0) >= self.per_host:
                self._cond.wait()
            self._active[site] = self._active.get(site, 0) + 1
            wait = 0.0
            if paced:
                now = self._clock()
                start = max(now, self._next_start.get(site, now))
                self._next_start[site] = start + max(self.delay, self._site_delay.get(site, 0.0))
                wait = start - now
        try:
            if wait > 0:
                self._sleep(wait)
            with self._cond:
                while self._in_flight >= self.total:
                    self._cond.wait()
                self._in_flight += 1
            try:
                yield
            finally:
                with self._cond:
                    self._in_flight -= 1
                    self._cond.notify_all()
        finally:
            with self._cond:
                self._active[site] -= 1
                if not self._active[site]:
                    del self._active[site]
                self._cond.notify_all()


class RobotsVerdict(NamedTuple):
    allowed: bool
    crawl_delay: float | None = None
    note: str = ""  # how the verdict was reached when there was no robots.txt to read


class _Rules(NamedTuple):
    """One site's robots.txt as read: the parser, or a blanket answer."""

    parser: urllib.robotparser.RobotFileParser | None
    blanket: bool  # the answer when parser is None
    note: str
    fetched_at: float


class RobotsCache:
    """Each site's robots.txt, fetched at most once per `ttl` and shared by threads.

    `fetcher` is evreader.feeds.fetch.fetch (the same caps, deadline and address
    policy as the page itself); a limiter, when given, is asked for an unpaced turn
    so the robots.txt request counts against the site's concurrency but does not
    delay the page that follows it.
    """

    def __init__(self, *, public_only: bool = True, timeout: float = ROBOTS_TIMEOUT,
                 ttl: float = ROBOTS_TTL, fetcher: Callable[..., FetchResult] = fetch,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.public_only = public_only
        self.timeout = timeout
        self.ttl = ttl
        self._fetch = fetcher
        self._clock = clock
        self._lock = threading.Lock()
        self._site_locks: dict[str, threading.Lock] = {}
        self._rules: dict[str, _Rules] = {}

    def verdict(self, url: str, limiter: HostLimiter | None = None) -> RobotsVerdict:
        """May evreader fetch `url`? Fetches the site's robots.txt when not cached."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}".lower()
        with self._lock:
            site_lock = self._site_locks.setdefault(origin, threading.Lock())
        with site_lock:  # one download per site, however many threads ask at once
            rules = self._rules.get(origin)
            if rules is None or self._clock() - rules.fetched_at > self.ttl:
                rules = self._load(origin, limiter)
                self._rules[origin] = rules
        if rules.parser is None:
            return RobotsVerdict(rules.blanket, None, rules.note)
        delay = rules.parser.crawl_delay(AGENT)
        return RobotsVerdict(_allowed(rules.parser, url), float(delay) if delay else None)

    def _load(self, origin: str, limiter: HostLimiter | None) -> _Rules:
        robots_url = f"{origin}/robots.txt"
        kwargs: dict[str, Any] = {"timeout": self.timeout, "max_bytes": ROBOTS_MAX_BYTES,
                                  "accept": "text/plain, */*;q=0.5",
                                  "public_only": self.public_only}
        if limiter is not None:
            with limiter.turn(site_of(robots_url), paced=False):
                result = self._fetch(robots_url, **kwargs)
        else:
            result = self._fetch(robots_url, **kwargs)
        now = self._clock()
        if result.status != "fetched":
            if result.http_status in (401, 403):
                return _Rules(None, False, f"robots.txt answered HTTP {result.http_status}", now)
            return _Rules(None, True, f"no robots.txt read ({result.reason})", now)
        parser = urllib.robotparser.RobotFileParser(robots_url)
        parser.parse(result.data.decode("utf-8", "replace").splitlines())
        return _Rules(parser, True, "", now)


def _allowed(parser: urllib.robotparser.RobotFileParser, url: str) -> bool:
    """RFC 9309 matching over the groups Python's parser read: the group for our
    agent (else `*`), the longest matching rule, Allow on a tie, `*`/`$` wildcards.
    Falls back to the parser's own answer if its internals ever change."""
    try:
        entry = next((e for e in getattr(parser, "entries", [])
                      if e.applies_to(AGENT)), getattr(parser, "default_entry", None))
        if entry is None:
            return True
        rules = [(str(r.path), bool(r.allowance)) for r in entry.rulelines]
    except (AttributeError, TypeError):
        return parser.can_fetch(AGENT, url)
    parts = urlsplit(url)
    target = quote(unquote(parts.path or "/"), safe=_SAFE) + (
        f"?{parts.query}" if parts.query else "")
    best_len, best_allow = -1, True
    for path, allow in rules:
        pattern = unquote(path)
        if not pattern:
            continue  # an empty Disallow allows everything; it matches nothing here
        longer = len(pattern) > best_len or (len(pattern) == best_len and allow)
        if longer and _matches(quote(pattern, safe=_SAFE + "*$"), target):
            best_len, best_allow = len(pattern), allow
    return best_allow


# Characters left as they are on both sides of a comparison (a path and a rule
# are compared in one spelling); in a rule, `*` and `$` are kept too, as wildcards.
_SAFE = "/?=&;:@+,!~'()"
_PATTERNS: dict[str, re.Pattern[str]] = {}


def _matches(pattern: str, target: str) -> bool:
    if "*" not in pattern and not pattern.endswith("$"):
        return target.startswith(pattern)
    compiled = _PATTERNS.get(pattern)
    if compiled is None:
        anchored = pattern.endswith("$")
        body = pattern[:-1] if anchored else pattern
        regex = ".*".join(re.escape(piece) for piece in body.split("*"))
        compiled = re.compile(regex + ("$" if anchored else ""), re.DOTALL)
        if len(_PATTERNS) < 4096:
            _PATTERNS[pattern] = compiled
    return compiled.match(target) is not None
