"""The user's feeds, their fetch state, and the library of fetched entries.

Feeds come from config.yaml (`sources` URLs, `feeds.urls`) and from a separate
feeds file that `import-opml` writes — the user's config.yaml, with its comments,
is never rewritten. Each fetched entry becomes one small JSON Lines file in the
library folder, named by feed and by a hash of its GUID (or link), so an entry is
stored once however often it is fetched, and the library loads like any other
source, offline.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from xml.sax.saxutils import quoteattr

import yaml

from evreader.config import FeedSettings, FeedSpec
from evreader.errors import ConfigError, EvreaderError
from evreader.feeds.fetch import FetchResult, fetch
from evreader.feeds.parse import FeedEntry, defang, parse_feed


@dataclass(frozen=True, slots=True)
class FeedReport:
    """What one feed's refresh did, for the per-feed summary."""

    url: str
    status: str  # "new", "unchanged" or "failed"
    new: int = 0
    seen: int = 0
    reason: str = ""

    def line(self) -> str:
        if self.status == "failed":
            return f"failed     {self.url}: {self.reason}"
        if self.status == "unchanged":
            return f"unchanged  {self.url}"
        return f"{self.new:>3} new    {self.url} ({self.seen} entries in feed)"


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
            feeds.append(FeedSpec(url, str(title or "")))
    return feeds


def write_feeds_file(path: Path, feeds: Sequence[FeedSpec]) -> None:
    body = ("# Feeds added by `evreader import-opml` (config.yaml is never rewritten).\n"
            "# Edit freely: a list of {url, title}.\n")
    body += yaml.safe_dump([{"url": f.url, "title": f.title} for f in feeds],
                           allow_unicode=True, sort_keys=False)
    atomic_write(path, body.encode("utf-8"))


def atomic_write(path: Path, data: bytes) -> None:
    """Write a small file whole or not at all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


# ---------------------------------------------------------------- fetching


def feed_folder(library: Path, url: str) -> Path:
    parts = urlsplit(url)
    slug = re.sub(r"[^A-Za-z0-9]+", "-", f"{parts.netloc}{parts.path}").strip("-")[:60]
    digest = hashlib.sha256(url.encode()).hexdigest()[:8]
    return library / f"{slug or 'feed'}-{digest}"


def refresh_feeds(settings: FeedSettings, state_path: Path,
                  progress: Callable[[int, int, str], None] | None = None,
                  fetcher: Callable[..., FetchResult] = fetch) -> list[FeedReport]:
    """Fetch every feed; store new entries. One failing feed never stops the rest."""
    feeds = all_feeds(settings)
    state = _load_state(state_path)
    reports: list[FeedReport] = []
    for n, feed in enumerate(feeds):
        if progress:
            progress(n, len(feeds), feed.url)
        prior = state.get(feed.url, {})
        result = fetcher(feed.url, etag=prior.get("etag"), last_modified=prior.get("modified"),
                         timeout=settings.timeout, max_bytes=settings.max_bytes)
        report = _store(result, feed, settings.library)
        reports.append(report)
        entry: dict[str, Any] = {
            "checked": datetime.now(UTC).isoformat(timespec="seconds"),
            "status": report.status, "reason": report.reason}
        if result.status == "fetched" and report.status != "failed":
            entry.update(etag=result.etag, modified=result.last_modified)
        elif result.status == "unchanged":
            entry.update(etag=prior.get("etag"), modified=prior.get("modified"))
        state[feed.url] = entry
    if progress:
        progress(len(feeds), len(feeds), "")
    with contextlib.suppress(OSError):
        atomic_write(state_path, json.dumps(state, indent=1).encode())
    return reports


def _store(result: FetchResult, feed: FeedSpec, library: Path) -> FeedReport:
    if result.status == "failed":
        return FeedReport(feed.url, "failed", reason=result.reason)
    if result.status == "unchanged":
        return FeedReport(feed.url, "unchanged")
    parsed = parse_feed(result.data, base_url=feed.url)
    if parsed.problem:
        return FeedReport(feed.url, "failed", reason=parsed.problem)
    folder = feed_folder(library, feed.url)
    new = 0
    try:
        for entry in parsed.entries:
            path = folder / f"{entry.key()}.jsonl"
            if path.exists():
                continue
            atomic_write(path, entry_json(entry, feed.title or parsed.title).encode("utf-8"))
            new += 1
    except OSError as exc:
        return FeedReport(feed.url, "failed", new=new,
                          reason=f"cannot write to {folder}: {exc.strerror or exc}")
    return FeedReport(feed.url, "new", new=new, seen=len(parsed.entries))


def entry_json(entry: FeedEntry, feed_title: str) -> str:
    record: dict[str, Any] = {
        "title": entry.title, "text": entry.text, "url": entry.link,
        "published": entry.published.isoformat() if entry.published else None,
        "authors": list(entry.authors), "guid": entry.guid, "feed": feed_title,
    }
    return json.dumps(record, ensure_ascii=False) + "\n"


def _load_state(path: Path) -> dict[str, dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}  # a lost state file only costs full downloads


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


__all__ = ["FeedReport", "all_feeds", "export_opml", "import_opml", "refresh_feeds"]
