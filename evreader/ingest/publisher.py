"""Who published an article: the name a reader knows it by, never a file name.

In order:

1. a name the source states: a feed's title; a front-matter or JSON field
   `publisher`, `site_name`, `source`, `site` or `feed` (a NewsAPI-style
   `{"name": "Reuters"}` object too);
2. else the site of the article's URL: `https://www.reuters.com/…` → reuters.com;
3. else unknown (""): the reader then shows the file, and says it is a file.

A stated value that is itself a URL counts as its site. Names are cleaned to one
short line; nothing here guesses from page text (that is the extraction rules' job).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import urlsplit

from evreader.textsafe import clean_text, one_line

NAME_KEYS = ("publisher", "site_name", "source", "site", "feed", "outlet")
MAX_CHARS = 80
_HOST_PREFIXES = ("www.", "m.", "amp.", "mobile.")
_TLD = re.compile(r"\.(?:com|co|org|net|news|info|io|biz)(?:\.[a-z]{2})?$|\.[a-z]{2}$")


def named(record: Mapping[str, object]) -> str | None:
    """The publisher a front matter or JSON record states, if any."""
    for key in NAME_KEYS:
        value = record.get(key)
        if isinstance(value, Mapping):  # {"id": "reuters", "name": "Reuters"}
            value = value.get("name") or value.get("title")
        if isinstance(value, str) and value.strip():
            text = one_line(clean_text(value), MAX_CHARS)
            if "://" in text:
                return site(text)
            return text or None
    return None


def site(url: str | None) -> str | None:
    """The site of an http(s) URL, as a reader would say it: reuters.com."""
    if not url or "://" not in url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https"):
        return None
    host = (parts.hostname or "").lower().rstrip(".")
    for prefix in _HOST_PREFIXES:
        if host.startswith(prefix) and host.count(".") > 1:
            host = host[len(prefix):]
            break
    return host or None


def publisher(stated: str | None, url: str | None) -> str:
    """The article's publisher: the stated name, else its URL's site, else ""."""
    return stated or site(url) or ""


def key(name: str) -> str:
    """A grouping key, so "Reuters", "reuters.com" and "www.reuters.com" are one:
    case-folded, a leading "the " and the site's top-level domain dropped."""
    folded = " ".join(name.casefold().split())
    folded = folded.removeprefix("the ")
    for prefix in _HOST_PREFIXES:
        folded = folded.removeprefix(prefix)
    if " " not in folded and "." in folded:
        folded = _TLD.sub("", folded)
    return folded
