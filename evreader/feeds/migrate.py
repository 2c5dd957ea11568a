"""Move a JSON Lines feed library (evreader before the store) into the feed store.

Before the store, each fetched entry was `<library>/<feed folder>/<key>.jsonl`,
the feed folder named from the feed's URL (`store.feed_folder`) and the key the
first 16 hex of sha256(GUID). The first run that finds such files copies every
entry into the store in one transaction, synced to disk (synchronous=FULL), and
only then deletes the files and their empty folders: a crash at any point leaves
every entry in the files, in the store, or in both (a second run skips what the
store has). Folders of feeds no longer configured keep their entries, under the
folder's path until a feed with that URL is fetched again. A file that is not
JSON Lines is moved to `<library>/.unmigrated/` for the user to look at, never
deleted. The ids of the articles stay the same (see source), so read and starred
marks carry over.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path

from evreader.config import FeedSettings
from evreader.errors import EvreaderError
from evreader.feeds.db import AUTHOR_SEP, FeedStore, NewEntry, pack_text, transaction

UNMIGRATED = ".unmigrated"
_BODY_KEYS = ("text", "body", "content", "summary", "description")


def has_legacy_files(library: Path) -> bool:
    """Whether any feed folder in `library` holds .jsonl files (stops at the first)."""
    try:
        with os.scandir(library) as folders:
            for folder in folders:
                if folder.name.startswith(".") or not folder.is_dir(follow_symlinks=False):
                    continue
                with os.scandir(folder.path) as files:
                    if any(f.name.endswith(".jsonl") for f in files):
                        return True
    except OSError:
        return False
    return False


def migrate_library(settings: FeedSettings) -> int:
    """Move every JSON Lines entry into the store; the number of entries it has
    now that it did not have before. Raises StoreError/OSError when the store
    cannot be written (the files are then left as they were)."""
    from evreader.feeds.store import all_feeds, feed_folder
    library = settings.library
    try:
        feeds = all_feeds(settings)
    except EvreaderError:  # a broken feeds file: config.yaml's feeds still name folders
        feeds = list(settings.urls)
    url_of = {feed_folder(library, f.url).name: f.url for f in feeds}
    plan: dict[str, tuple[list[Path], list[NewEntry], str]] = {}
    unreadable: list[Path] = []
    for folder in sorted(p for p in library.iterdir()
                         if p.is_dir() and not p.is_symlink() and not p.name.startswith(".")):
        files, entries, title = [], [], ""
        for path in sorted(folder.glob("*.jsonl")):
            read = _read_entries(path)
            if read is None:
                unreadable.append(path)
                continue
            files.append(path)
            for entry, feed_title in read:
                entries.append(entry)
                title = title or feed_title
        if files:
            plan[folder.name] = (files, entries, title)
    added = 0
    with FeedStore(settings.store) as store:
        store.conn.execute("PRAGMA synchronous = FULL")  # durable before files go
        with transaction(store.conn):
            for name, (_, entries, title) in plan.items():
                fid = store.feed_id(name, url_of.get(name, str(library / name)))
                before = store.conn.total_changes
                store.conn.executemany(
                    "INSERT OR IGNORE INTO entries (feed, key, guid, title, link, published, "
                    "authors, summary, size, fetched) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
                    "strftime('%s'))",
                    ((fid, e.key, e.guid, e.title, e.link, e.published, e.authors, e.summary,
                      e.text_bytes) for e in entries))
                added += store.conn.total_changes - before
                store.conn.execute("UPDATE feeds SET title = ? WHERE id = ? AND title = ''",
                                   (title, fid))
                store.recount(fid)
    for files, _, _ in plan.values():
        for path in files:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
    for path in unreadable:
        target = library / UNMIGRATED / path.parent.name
        with contextlib.suppress(OSError):
            target.mkdir(parents=True, exist_ok=True)
            os.replace(path, target / path.name)
    for name in plan:
        with contextlib.suppress(OSError):
            (library / name).rmdir()  # only when empty: other files stay where they are
    return added


def _read_entries(path: Path) -> list[tuple[NewEntry, str]] | None:
    """The entries of one .jsonl file with their feed titles; None if any line is
    not a JSON object (the file is then kept for the user)."""
    try:
        text = path.read_text(encoding="utf-8", errors="surrogateescape")
    except OSError:
        return None
    out: list[tuple[NewEntry, str]] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (ValueError, RecursionError):
            return None
        if not isinstance(record, dict):
            return None
        out.append((_entry(record, path), _str(record.get("feed"))))
    return out


def _entry(record: dict[str, object], path: Path) -> NewEntry:
    body = next((v for k in _BODY_KEYS if isinstance(v := record.get(k), str) and v.strip()), "")
    title = _str(record.get("title"))
    link = _str(record.get("url") or record.get("link")) or None
    guid = _str(record.get("guid")) or link or hashlib.sha256(
        f"{title}\0{body}".encode("utf-8", "surrogatepass")).hexdigest()
    stem = path.stem
    is_key = len(stem) == 16 and all(c in "0123456789abcdef" for c in stem)
    key = stem if is_key else hashlib.sha256(guid.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    authors = record.get("authors")
    names = [a for a in authors if isinstance(a, str)] if isinstance(authors, list) else (
        [authors] if isinstance(authors, str) else [])
    summary, size = pack_text(body)
    return NewEntry(key, guid, title, link, _str(record.get("published")) or None,
                    AUTHOR_SEP.join(names), summary, size)


def _str(value: object) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


__all__ = ["has_legacy_files", "migrate_library"]
