"""The feed store: every fetched entry in one SQLite database, written a feed at a time.

Why SQLite (the store newsboat uses): a file per entry cost a create, a write and
an fsync each — 100k entries took minutes and 4 KB of disk apiece. Here a feed's
new entries, its title and its HTTP validators (ETag, Last-Modified) go in one
transaction, so a crash leaves the feed as it was before that fetch or as after
it, never half-written, and a lost transaction is simply fetched again (its
validators rolled back with it). WAL mode with synchronous=NORMAL: a commit is
not an fsync (the WAL is synced at checkpoints); the database is never corrupt.

An entry is stored once: its key is (feed, first 16 hex of sha256(GUID or link)),
UNIQUE, and inserts are INSERT OR IGNORE inside BEGIN IMMEDIATE, so two evreader
processes fetching at once neither lose nor duplicate anything. A feed is known
by its `folder` (the name the JSON Lines library gave it, derived from its URL):
the public entry key is "folder/key", stable across machines and databases.

Summaries and full texts are zlib-compressed BLOBs (TEXT when short): English
news text halves. Each feed carries `version`, the store-wide generation of its
last change: the index cache compares (version, entries, bytes) per feed and so
knows what changed without reading any entry.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

SCHEMA_VERSION = 1
BUSY_TIMEOUT_MS = 60_000  # another process's feed transaction takes milliseconds
COMPRESS_FROM = 200  # bytes of UTF-8 from which a text is stored compressed
AUTHOR_SEP = "\x01"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS feeds (
    id INTEGER PRIMARY KEY,
    folder TEXT NOT NULL UNIQUE,
    url TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 0,
    entries INTEGER NOT NULL DEFAULT 0,
    text_bytes INTEGER NOT NULL DEFAULT 0,
    etag TEXT, modified TEXT, checked INTEGER, status TEXT, reason TEXT
);
CREATE TABLE IF NOT EXISTS entries (
    id INTEGER PRIMARY KEY,
    feed INTEGER NOT NULL REFERENCES feeds (id),
    key TEXT NOT NULL,
    guid TEXT NOT NULL,
    title TEXT NOT NULL,
    link TEXT,
    published TEXT,
    authors TEXT NOT NULL DEFAULT '',
    summary BLOB NOT NULL,
    size INTEGER NOT NULL,
    full_text BLOB,
    full_text_title TEXT,
    full_text_author TEXT,
    full_text_published TEXT,
    full_text_error TEXT,
    fetched INTEGER NOT NULL,
    UNIQUE (feed, key)
);
"""


class NewEntry(NamedTuple):
    """An entry ready to insert (see `pack_text`): what a parse worker sends back."""

    key: str
    guid: str
    title: str
    link: str | None
    published: str | None  # ISO date
    authors: str  # names joined by AUTHOR_SEP
    summary: bytes | str  # packed
    text_bytes: int  # UTF-8 length of the summary (the `size` column: what is indexed)


class FeedRow(NamedTuple):
    """A feed as the index sees it: enough to tell whether it changed."""

    id: int
    folder: str
    url: str
    title: str
    version: int
    entries: int
    text_bytes: int


class StoredEntry(NamedTuple):
    """An entry as stored, texts unpacked; `full_text` is None until extracted."""

    key: str  # "folder/key": the public entry key
    guid: str
    title: str
    link: str | None
    published: str | None
    authors: tuple[str, ...]
    summary: str
    full_text: str | None
    full_text_title: str | None
    full_text_author: str | None
    full_text_published: str | None
    full_text_error: str | None


@dataclass(frozen=True, slots=True)
class Stored:
    """What storing one fetched feed did."""

    new: int
    seen: int


class StoreError(Exception):
    """The store cannot be opened or written (the message says why)."""


def pack_text(text: str) -> tuple[bytes | str, int]:
    """A text as stored (compressed when long enough to gain) and its UTF-8 size."""
    raw = text.encode("utf-8", "surrogatepass")
    if len(raw) < COMPRESS_FROM:
        return text, len(raw)
    return zlib.compress(raw, 1), len(raw)


def unpack_text(value: bytes | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return zlib.decompress(value).decode("utf-8", "surrogatepass")


def connect(path: Path, *, readonly: bool = False, shared: bool = False) -> sqlite3.Connection:
    """A connection in WAL mode with a long busy timeout; the schema made if new.
    `shared`: usable from other threads (the caller serialises its use)."""
    try:
        if readonly:
            conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True,
                                   timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                   check_same_thread=not shared)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            return conn
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                               check_same_thread=not shared)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if conn.execute("PRAGMA journal_mode = WAL").fetchone()[0].lower() != "wal":
            raise StoreError(f"{path}: cannot use write-ahead logging")
        conn.execute("PRAGMA synchronous = NORMAL")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(f"{path} was written by a newer evreader (schema {version})")
        if version < SCHEMA_VERSION:
            with transaction(conn):
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute("INSERT OR IGNORE INTO meta VALUES ('instance', ?)",
                             (os.urandom(8).hex(),))
                conn.execute("INSERT OR IGNORE INTO meta VALUES ('generation', '0')")
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        return conn
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: {exc}") from None


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any exception: all or nothing.
    IMMEDIATE takes the write lock first, so two writers queue instead of one
    failing halfway with "database is locked"."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _next_generation(conn: sqlite3.Connection) -> int:
    conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")
    row = conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
    return int(row[0])


class FeedStore:
    """The database at `path`, opened for reading and writing."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.conn = connect(path)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> FeedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ feeds
    def instance(self) -> str:
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'instance'").fetchone()
        return str(row[0])

    def feed_id(self, folder: str, url: str) -> int:
        """The feed's id, the row made if new; a row migrated without its URL
        (see migrate) gets the URL now."""
        conn = self.conn
        row = conn.execute("SELECT id, url FROM feeds WHERE folder = ?", (folder,)).fetchone()
        if row is None:
            cur = conn.execute("INSERT INTO feeds (folder, url) VALUES (?, ?)", (folder, url))
            return int(cur.lastrowid or 0)
        if row[1] != url and url:
            conn.execute("UPDATE feeds SET url = ? WHERE id = ?", (url, row[0]))
        return int(row[0])

    def validators(self) -> dict[str, tuple[str | None, str | None]]:
        """ETag and Last-Modified of every feed fetched before, by URL."""
        return {url: (etag, modified) for url, etag, modified in self.conn.execute(
            "SELECT url, etag, modified FROM feeds")}

    def store_feed(self, folder: str, url: str, title: str, entries: Sequence[NewEntry],
                   seen: int, etag: str | None, modified: str | None) -> Stored:
        """A fetched feed's new entries, title and validators, in one transaction."""
        conn = self.conn
        now = int(time.time())
        with transaction(conn):
            fid = self.feed_id(folder, url)
            before = conn.total_changes
            conn.executemany(
                "INSERT OR IGNORE INTO entries (feed, key, guid, title, link, published, "
                "authors, summary, size, fetched) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                ((fid, e.key, e.guid, e.title, e.link, e.published, e.authors, e.summary,
                  e.text_bytes, now) for e in entries))
            new = conn.total_changes - before
            if new:
                self.recount(fid)
            conn.execute("UPDATE feeds SET title = ?, etag = ?, modified = ?, checked = ?, "
                         "status = 'new', reason = '' WHERE id = ?",
                         (title, etag, modified, now, fid))
        return Stored(new, seen)

    def recount(self, fid: int) -> None:
        """Recount a changed feed and give it the next generation (in a transaction)."""
        self.conn.execute(
            "UPDATE feeds SET version = :v, "
            "entries = (SELECT count(*) FROM entries WHERE feed = :f), "
            "text_bytes = (SELECT coalesce(sum(size), 0) FROM entries WHERE feed = :f) "
            "WHERE id = :f",
            {"v": _next_generation(self.conn), "f": fid})

    def record_checks(self, checks: Iterable[tuple[str, str, str, str]]) -> None:
        """(folder, url, status, reason) of feeds that were unchanged or failed: one
        transaction for all, so an unchanged re-fetch costs one commit."""
        checks = list(checks)
        if not checks:
            return
        now = int(time.time())
        with transaction(self.conn):
            for folder, url, status, reason in checks:
                fid = self.feed_id(folder, url)
                self.conn.execute("UPDATE feeds SET checked = ?, status = ?, reason = ? "
                                  "WHERE id = ?", (now, status, reason, fid))

    # ------------------------------------------------------------ full text (issue 23)
    def set_full_text(self, entry_key: str, text: str, title: str | None = None,
                      author: str | None = None, published: str | None = None) -> bool:
        """The article's full text, as an extractor read it from the entry's link;
        it is indexed in place of the summary, which stays stored. False when no
        such entry exists."""
        packed, size = pack_text(text)
        return self._update_entry(
            entry_key, "full_text = ?, size = ?, full_text_title = ?, full_text_author = ?, "
            "full_text_published = ?, full_text_error = NULL",
            (packed, size, title, author, published))

    def set_full_text_error(self, entry_key: str, reason: str) -> bool:
        """Why the full text could not be had (the summary stays what is indexed)."""
        return self._update_entry(entry_key, "full_text_error = ?", (reason,))

    def _update_entry(self, entry_key: str, assignments: str,
                      values: tuple[object, ...]) -> bool:
        folder, _, key = entry_key.rpartition("/")
        with transaction(self.conn):
            row = self.conn.execute(
                "SELECT e.id, e.feed FROM entries e JOIN feeds f ON f.id = e.feed "
                "WHERE f.folder = ? AND e.key = ?", (folder, key)).fetchone()
            if row is None:
                return False
            self.conn.execute(f"UPDATE entries SET {assignments} WHERE id = ?",
                              (*values, row[0]))
            self.recount(int(row[1]))
        return True

    def entries_without_full_text(self, limit: int = 100) -> list[tuple[str, str]]:
        """(entry key, link) of entries with a link, no full text and no error yet,
        newest first: the extractor's work list."""
        return [(f"{folder}/{key}", link) for folder, key, link in self.conn.execute(
            "SELECT f.folder, e.key, e.link FROM entries e JOIN feeds f ON f.id = e.feed "
            "WHERE e.full_text IS NULL AND e.full_text_error IS NULL AND e.link IS NOT NULL "
            "ORDER BY e.id DESC LIMIT ?", (limit,))]


# ---------------------------------------------------------------- reading


def known_keys(conn: sqlite3.Connection, folder: str) -> frozenset[str]:
    """The entry keys a feed already has (a parse skips packing those)."""
    return frozenset(k for (k,) in conn.execute(
        "SELECT e.key FROM entries e JOIN feeds f ON f.id = e.feed WHERE f.folder = ?",
        (folder,)))


def feed_rows(conn: sqlite3.Connection) -> list[FeedRow]:
    """Every feed with entries, in the order they were first stored."""
    return [FeedRow(*row) for row in conn.execute(
        "SELECT id, folder, url, title, version, entries, text_bytes FROM feeds "
        "WHERE entries > 0 ORDER BY id")]


def read_entries(conn: sqlite3.Connection, folder: str) -> Iterator[StoredEntry]:
    """A feed's entries in the order they were stored."""
    rows = conn.execute(
        "SELECT e.key, e.guid, e.title, e.link, e.published, e.authors, e.summary, "
        "e.full_text, e.full_text_title, e.full_text_author, e.full_text_published, "
        "e.full_text_error FROM entries e JOIN feeds f ON f.id = e.feed "
        "WHERE f.folder = ? ORDER BY e.id", (folder,))
    for key, guid, title, link, published, authors, summary, full, ft_title, ft_author, \
            ft_published, ft_error in rows:
        yield StoredEntry(
            f"{folder}/{key}", guid, title, link, published,
            tuple(authors.split(AUTHOR_SEP)) if authors else (), unpack_text(summary),
            unpack_text(full) if full is not None else None, ft_title, ft_author,
            ft_published, ft_error)


__all__ = ["FeedRow", "FeedStore", "NewEntry", "StoreError", "Stored", "StoredEntry",
           "feed_rows", "known_keys", "pack_text", "read_entries", "transaction", "unpack_text"]
