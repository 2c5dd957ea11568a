"""Download one feed, politely and within bounds.

Only http and https, for the feed URL and every redirect; at most 5 redirects; a
total deadline (not just a per-read socket timeout, so a server trickling bytes
cannot hold us); a byte cap on the body, including after gzip decompression (no
gzip bombs); conditional GET with ETag / Last-Modified so an unchanged feed costs
one small request. Links inside a feed are never fetched.
"""

from __future__ import annotations

import socket
import time
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass
from http.client import HTTPMessage
from typing import IO, Literal
from urllib.parse import urlsplit

from evreader import __version__

MAX_REDIRECTS = 5
USER_AGENT = f"evreader/{__version__} (+terminal news reader)"


@dataclass(frozen=True, slots=True)
class FetchResult:
    url: str
    status: Literal["fetched", "unchanged", "failed"]
    data: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    reason: str = ""


class _Redirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS
    max_repeats = 2

    def redirect_request(self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str,
                         headers: HTTPMessage, newurl: str) -> urllib.request.Request | None:
        if urlsplit(newurl).scheme not in ("http", "https"):
            raise urllib.error.HTTPError(newurl, code, "redirect to a non-http(s) URL refused",
                                         headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(url: str, *, etag: str | None = None, last_modified: str | None = None,
          timeout: float = 20.0, max_bytes: int = 10_000_000) -> FetchResult:
    """Fetch `url`; never raises for network or HTTP problems (status "failed")."""
    if urlsplit(url).scheme not in ("http", "https"):
        return FetchResult(url, "failed", reason="only http:// and https:// feeds are fetched")
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip",
               "Accept": "application/rss+xml, application/atom+xml, application/feed+json, "
                         "application/xml;q=0.9, */*;q=0.8"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    opener = urllib.request.build_opener(_Redirects())
    deadline = time.monotonic() + timeout
    try:
        with opener.open(urllib.request.Request(url, headers=headers), timeout=timeout) as resp:
            body = _read_capped(resp, max_bytes, deadline)
            encoding = (resp.headers.get("Content-Encoding") or "").lower()
            if encoding in ("gzip", "x-gzip"):
                body = _gunzip_capped(body, max_bytes)
            return FetchResult(url, "fetched", body, resp.headers.get("ETag"),
                               resp.headers.get("Last-Modified"))
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return FetchResult(url, "unchanged", etag=etag, last_modified=last_modified)
        if 300 <= exc.code < 400:
            return FetchResult(url, "failed", reason=f"too many redirects or a redirect loop "
                                                     f"(HTTP {exc.code})")
        return FetchResult(url, "failed", reason=f"HTTP {exc.code} {exc.reason}")
    except _TooLarge:
        return FetchResult(url, "failed", reason=f"response larger than {max_bytes:,} bytes")
    except _Deadline:
        return FetchResult(url, "failed", reason=f"timed out after {timeout:g} s")
    except TimeoutError:
        return FetchResult(url, "failed", reason=f"timed out after {timeout:g} s")
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            return FetchResult(url, "failed", reason=f"timed out after {timeout:g} s")
        return FetchResult(url, "failed", reason=f"cannot connect: {reason}")
    except (OSError, ValueError, zlib.error) as exc:
        return FetchResult(url, "failed", reason=f"{type(exc).__name__}: {exc}")


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
