"""The user's feeds: config.yaml's, the feeds file's, and OPML in and out.

Feeds come from config.yaml (`sources` URLs, `feeds.urls`) and from a separate
feeds file that `import-opml` writes — the user's config.yaml, with its comments,
is never rewritten. Fetched entries live in the feed store (`db`), filled by
`refresh`; each feed is known there by `feed_folder`'s name for its URL, the
folder its entries had when they were JSON Lines files (see migrate).
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from xml.sax.saxutils import quoteattr

import yaml

from evreader.config import FeedSettings, FeedSpec
from evreader.errors import ConfigError, EvreaderError
from evreader.feeds.parse import defang
from evreader.state import write_atomic

if TYPE_CHECKING:
    from evreader.feeds.refresh import FeedReport, Fetcher, Progress


def all_feeds(settings: FeedSettings) -> list[FeedSpec]:
    """Feeds from config.yaml then the feeds file, each URL once."""
    feeds = list(settings.urls) + read_feeds_file(settings.file)
    seen: set[str] = set()
    out = []
    for feed in feeds:
        if feed.url not in seen:
            seen.add(feed.url)
            out.append(feed)
    return out


def read_feeds_file(path: Path) -> list[FeedSpec]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read feeds file: {exc}", str(path)) from None
    if data is None:
        return []
    if not isinstance(data, list):
        raise ConfigError("the feeds file must be a list of {url, title}", str(path))
    feeds = []
    for item in data:
        url = item.get("url") if isinstance(item, dict) else item
        if isinstance(url, str) and url.startswith(("http://", "https://")):
            title = item.get("title", "") if isinstance(item, dict) else ""
            full = item.get("full_text") if isinstance(item, dict) else None
            if full is not None and not isinstance(full, bool):
                raise ConfigError(f"the feed {url}: full_text must be true or false",
                                  str(path))
            feeds.append(FeedSpec(url, str(title or ""),
                                  full if isinstance(full, bool) else None))
    return feeds


def write_feeds_file(path: Path, feeds: Sequence[FeedSpec]) -> None:
    body = ("# Feeds added by `evreader import-opml` (config.yaml is never rewritten).\n"
            "# Edit freely: a list of {url, title}, and full_text: true for a feed\n"
            "# whose articles should be fetched whole.\n")
    body += yaml.safe_dump([{"url": f.url, "title": f.title,
                             **({} if f.full_text is None else {"full_text": f.full_text})}
                            for f in feeds], allow_unicode=True, sort_keys=False)
    write_atomic(path, body)


# ---------------------------------------------------------------- fetching


def feed_folder(library: Path, url: str) -> Path:
    parts = urlsplit(url)
    slug = re.sub(r"[^A-Za-z0-9]+", "-", f"{parts.netloc}{parts.path}").strip("-")[:60]
    digest = hashlib.sha256(url.encode()).hexdigest()[:8]
    return library / f"{slug or 'feed'}-{digest}"


def refresh_feeds(settings: FeedSettings, progress: Progress | None = None,
                  fetcher: Fetcher | None = None) -> list[FeedReport]:
    """Fetch every feed into the store (see refresh.refresh_feeds)."""
    from evreader.feeds.fetch import fetch
    from evreader.feeds.refresh import refresh_feeds as refresh
    return refresh(settings, progress, fetcher or fetch)


# ---------------------------------------------------------------- OPML


def import_opml(opml: Path, settings: FeedSettings) -> tuple[int, int]:
    """Add the OPML's feeds to the feeds file; returns (added, already there)."""
    try:
        data = opml.read_bytes()
    except OSError as exc:
        raise EvreaderError(f"cannot read {opml}: {exc.strerror or exc}") from None
    try:
        root = ET.fromstring(defang(data))
    except ET.ParseError as exc:
        raise EvreaderError(f"{opml} is not valid OPML: {exc}") from None
    found = []
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if url.startswith(("http://", "https://")):
            found.append(FeedSpec(url, (outline.get("title") or outline.get("text") or "")))
    existing = read_feeds_file(settings.file)
    known = {f.url for f in existing} | {f.url for f in settings.urls}
    added = [f for f in dict((f.url, f) for f in found).values() if f.url not in known]
    if added:
        write_feeds_file(settings.file, [*existing, *added])
    return len(added), len(found) - len(added)


def export_opml(feeds: Sequence[FeedSpec]) -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<opml version="2.0">',
             "  <head><title>evreader feeds</title></head>", "  <body>"]
    for f in feeds:
        title = f.title or f.url
        lines.append(f"    <outline type=\"rss\" text={quoteattr(title)} "
                     f"title={quoteattr(title)} xmlUrl={quoteattr(f.url)}/>")
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)


__all__ = ["all_feeds", "export_opml", "feed_folder", "import_opml", "refresh_feeds"]
