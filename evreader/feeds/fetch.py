"""Download one feed or page, politely and within bounds.

Only http and https, for the URL and every redirect; at most 5 redirects (or none
followed, for a caller that vets each hop itself); a total deadline enforced by a
watchdog that shuts the connection's socket, so neither a server that trickles
bytes nor one that dribbles its headers can hold us past it (a per-read socket
timeout alone cannot promise that); a byte cap on the body, including after gzip
decompression (no gzip bombs); conditional GET with ETag / Last-Modified so an
unchanged feed costs one small request. Links inside a feed are never fetched
here. Optionally only public addresses are connected to: a link written by a
stranger (an article link in a feed) must not make us request a page on the
user's own machine or network.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from http.client import HTTPConnection, HTTPException, HTTPMessage, HTTPSConnection
from typing import IO, Any, Literal
from urllib.parse import urljoin, urlsplit

from evreader import __version__

MAX_REDIRECTS = 5
USER_AGENT = f"evreader/{__version__} (+terminal news reader)"
FEED_ACCEPT = ("application/rss+xml, application/atom+xml, application/feed+json, "
               "application/xml;q=0.9, */*;q=0.8")

# Why a download failed, for callers that word it their own way.
Failure = Literal["", "http", "redirects", "too-large", "timeout", "connect", "refused",
                  "scheme", "other"]


@dataclass(frozen=True, slots=True)
class FetchResult:
    url: str
    status: Literal["fetched", "unchanged", "failed", "redirect"]
    data: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    reason: str = ""
    final_url: str = ""  # where the body came from, after redirects
    content_type: str = ""  # the Content-Type header as sent
    http_status: int = 0  # the last HTTP status seen; 0 when there was no answer
    location: str = ""  # status "redirect" (follow_redirects=False): the absolute next URL
    failure: Failure = ""


class _Redirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS
    max_repeats = 2

    def redirect_request(self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str,
                         headers: HTTPMessage, newurl: str) -> urllib.request.Request | None:
        if urlsplit(newurl).scheme not in ("http", "https"):
            raise urllib.error.HTTPError(newurl, code, "redirect to a non-http(s) URL refused",
                                         headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Hands every redirect back to the caller (it surfaces as an HTTPError)."""

    def redirect_request(self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str,
                         headers: HTTPMessage, newurl: str) -> urllib.request.Request | None:
        return None


class _Refused(OSError):
    """The server's address is not a public one and only public ones were allowed."""


class _Guard:
    """The sockets of one download: all shut at the deadline (which wakes any read
    blocked on them), and each checked, once connected, against the address policy.
    The check is on the address actually connected to, so DNS answers that change
    between a look-up and the connection cannot slip past it."""

    def __init__(self, public_only: bool) -> None:
        self.public_only = public_only
        self.expired = False
        self._lock = threading.Lock()
        self._socks: list[socket.socket] = []

    def create_connection(self, address: tuple[str, int], timeout: Any = None,
                          source_address: Any = None, *args: Any) -> socket.socket:
        sock = socket.create_connection(address, timeout, source_address, *args)
        try:
            if self.public_only:
                peer = ipaddress.ip_address(sock.getpeername()[0])
                if isinstance(peer, ipaddress.IPv6Address) and peer.ipv4_mapped:
                    peer = peer.ipv4_mapped
                if not peer.is_global:
                    raise _Refused(f"{address[0]} is a private or local address ({peer})")
            with self._lock:
                if self.expired:
                    raise TimeoutError("deadline passed")
                self._socks.append(sock)
        except BaseException:
            sock.close()
            raise
        return sock

    def expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._socks:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


def _connection_class(base: type[HTTPConnection], guard: _Guard) -> Callable[..., HTTPConnection]:
    def make(*args: Any, **kwargs: Any) -> HTTPConnection:
        conn = base(*args, **kwargs)
        conn._create_connection = guard.create_connection  # type: ignore[attr-defined]
        return conn
    return make


class _GuardedHTTP(urllib.request.HTTPHandler):
    def __init__(self, guard: _Guard) -> None:
        super().__init__()
        self.guard = guard

    def http_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(_connection_class(HTTPConnection, self.guard), req)


class _GuardedHTTPS(urllib.request.HTTPSHandler):
    def __init__(self, guard: _Guard) -> None:
        super().__init__()
        self.guard = guard

    def https_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(_connection_class(HTTPSConnection, self.guard), req,
                            context=getattr(self, "_context", None))


def _proxied(url: str) -> bool:
    """Whether urllib will send this request through a proxy (then the proxy, not
    we, connects to the server, and its own address says nothing about the server)."""
    parts = urlsplit(url)
    return parts.scheme in urllib.request.getproxies() and not urllib.request.proxy_bypass(
        parts.hostname or "")


def fetch(url: str, *, etag: str | None = None, last_modified: str | None = None,
          timeout: float = 20.0, max_bytes: int = 10_000_000, accept: str = FEED_ACCEPT,
          follow_redirects: bool = True, public_only: bool = False,
          user_agent: str = USER_AGENT) -> FetchResult:
    """Fetch `url`; never raises for network or HTTP problems (status "failed").

    With follow_redirects=False a redirect comes back as status "redirect" with its
    absolute `location`, so the caller can vet each hop (robots.txt, rate limits).
    With public_only=True a connection to a loopback, private, link-local or other
    non-public address is refused before any request is sent on it.
    """
    if urlsplit(url).scheme not in ("http", "https"):
        return FetchResult(url, "failed", reason="only http:// and https:// URLs are fetched",
                           failure="scheme")
    headers = {"User-Agent": user_agent, "Accept-Encoding": "gzip", "Accept": accept}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    guard = _Guard(public_only and not _proxied(url))
    opener = urllib.request.build_opener(_Redirects() if follow_redirects else _NoRedirects(),
                                         _GuardedHTTP(guard), _GuardedHTTPS(guard))
    watchdog = threading.Timer(timeout, guard.expire)
    watchdog.daemon = True
    watchdog.start()
    try:
        return _fetch(opener, url, headers, guard, timeout, max_bytes, etag, last_modified,
                      follow_redirects)
    finally:
        watchdog.cancel()


def _fetch(opener: urllib.request.OpenerDirector, url: str, headers: dict[str, str],
           guard: _Guard, timeout: float, max_bytes: int, etag: str | None,
           last_modified: str | None, follow_redirects: bool) -> FetchResult:
    deadline = time.monotonic() + timeout
    timed_out = FetchResult(url, "failed", reason=f"timed out after {timeout:g} s",
                            failure="timeout")
    try:
        with opener.open(urllib.request.Request(url, headers=headers), timeout=timeout) as resp:
            body = _read_capped(resp, max_bytes, deadline)
            if guard.expired:  # a shut socket reads as a (too early) end of the body
                return timed_out
            encoding = (resp.headers.get("Content-Encoding") or "").lower()
            if encoding in ("gzip", "x-gzip"):
                body = _gunzip_capped(body, max_bytes)
            return FetchResult(url, "fetched", body, resp.headers.get("ETag"),
                               resp.headers.get("Last-Modified"), final_url=resp.geturl(),
                               content_type=resp.headers.get("Content-Type") or "",
                               http_status=resp.status)
    except urllib.error.HTTPError as exc:
        exc.close()
        if guard.expired:
            return timed_out
        if exc.code == 304:
            return FetchResult(url, "unchanged", etag=etag, last_modified=last_modified,
                               http_status=304)
        location = (exc.headers.get("Location") or "").strip() if exc.headers else ""
        if not follow_redirects and 300 <= exc.code < 400 and location:
            target = urljoin(url, location)
            if urlsplit(target).scheme not in ("http", "https"):
                return FetchResult(url, "failed", reason="redirect to a non-http(s) URL refused",
                                   http_status=exc.code, failure="scheme")
            return FetchResult(url, "redirect", http_status=exc.code, location=target)
        if 300 <= exc.code < 400:
            return FetchResult(url, "failed", reason=f"too many redirects or a redirect loop "
                                                     f"(HTTP {exc.code})", http_status=exc.code,
                               failure="redirects")
        return FetchResult(url, "failed", reason=f"HTTP {exc.code} {exc.reason}",
                           http_status=exc.code, failure="http")
    except _TooLarge:
        return FetchResult(url, "failed", reason=f"response larger than {max_bytes:,} bytes",
                           failure="too-large")
    except (_Deadline, TimeoutError):
        return timed_out
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, _Refused):
            return FetchResult(url, "failed", reason=f"refused: {reason}", failure="refused")
        if guard.expired or isinstance(reason, (TimeoutError, socket.timeout)):
            return timed_out
        return FetchResult(url, "failed", reason=f"cannot connect: {reason}", failure="connect")
    except (OSError, ValueError, zlib.error, HTTPException) as exc:
        # HTTPException: a malformed status line or headers, a body cut short.
        if guard.expired:
            return timed_out
        return FetchResult(url, "failed", reason=f"{type(exc).__name__}: {exc}"[:300],
                           failure="other")


class _TooLarge(Exception):
    pass


class _Deadline(Exception):
    pass


def _read_capped(resp: IO[bytes], max_bytes: int, deadline: float) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while True:
        if time.monotonic() > deadline:
            raise _Deadline
        chunk = resp.read(65536)
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        if total > max_bytes:
            raise _TooLarge
        chunks.append(chunk)


def _gunzip_capped(data: bytes, max_bytes: int) -> bytes:
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = inflater.decompress(data, max_bytes + 1)
    if len(out) > max_bytes or inflater.unconsumed_tail:
        raise _TooLarge
    return out
