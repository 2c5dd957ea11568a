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

Full text (issue 23) sits beside the summary, never over it: `full_text` is what
is indexed once present, the summary stays for the teaser check and for a later
re-extraction; a failed download leaves `full_text_error`, a short reason the
reader shows, and the entry is not asked for again unless the user retries.
Schema 2 added `full_text_url` and `full_text_checked`; a store of schema 1 gains
them when a writer first opens it (ALTER TABLE ADD COLUMN: no entry is rewritten).
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

SCHEMA_VERSION = 2
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
    full_text_url TEXT,
    full_text_checked INTEGER,
    outlet TEXT,
    UNIQUE (feed, key)
);
"""
# Columns added after schema 1, with their types: added to an older store in place.
_ADDED_COLUMNS = (("entries", "full_text_url", "TEXT"),
                  ("entries", "full_text_checked", "INTEGER"),
                  ("entries", "outlet", "TEXT"))


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
    outlet: str | None = None  # the outlet an aggregator credits (Google News' <source>)


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
    outlet: str | None = None

    @property
    def page_authors(self) -> tuple[str, ...]:
        """The authors the article's page named (stored joined by AUTHOR_SEP)."""
        return tuple(a for a in (self.full_text_author or "").split(AUTHOR_SEP) if a)


class FeedStamp(NamedTuple):
    """A feed's (version, text_bytes): what the index cache's file stamp holds of it
    (see evreader.feeds.source)."""

    version: int
    text_bytes: int


class EntryChange(NamedTuple):
    """What writing one entry's full text did to its feed: the feed's stamp before
    and after, so an index that held the feed as it was `before` can be moved to
    `after` by re-analysing that one article (evreader.index.patch)."""

    folder: str
    before: FeedStamp
    after: FeedStamp


class FullTextJob(NamedTuple):
    """An entry to fetch the full text of: its public key, link and database id."""

    key: str
    link: str
    entry_id: int


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
            with transaction(conn):  # another process may be migrating: checked inside
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        conn.execute(statement)
                for table, column, kind in _ADDED_COLUMNS:
                    have = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
                    if column not in have:
                        conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")
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
                "authors, summary, size, fetched, outlet) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                ((fid, e.key, e.guid, e.title, e.link, e.published, e.authors, e.summary,
                  e.text_bytes, now, e.outlet) for e in entries))
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
    def set_full_text(self, entry_key: str, text: str, *, title: str | None = None,
                      authors: Sequence[str] = (), published: str | None = None,
                      url: str | None = None) -> EntryChange | None:
        """The article's full text, as the extractor read it from the entry's link
        (`url`: the page it came from, after redirects), with the page's own title,
        authors and ISO date. It is indexed in place of the summary, which stays
        stored; the feed's own title, authors and date still come first (see
        source.read_store_feed). None when no such entry exists."""
        packed, size = pack_text(text)
        return self._update_entry(
            entry_key, "full_text = ?, size = ?, full_text_title = ?, full_text_author = ?, "
            "full_text_published = ?, full_text_url = ?, full_text_error = NULL, "
            "full_text_checked = ?",
            (packed, size, title or None, AUTHOR_SEP.join(authors) or None, published, url,
             int(time.time())), recount=True)

    def set_full_text_error(self, entry_key: str, reason: str) -> EntryChange | None:
        """Why the full text could not be had; the entry keeps what it had (the
        summary, or an earlier full text), so its feed's stamp does not move."""
        return self._update_entry(entry_key, "full_text_error = ?, full_text_checked = ?",
                                  (reason, int(time.time())), recount=False)

    def _update_entry(self, entry_key: str, assignments: str, values: tuple[object, ...],
                      *, recount: bool) -> EntryChange | None:
        folder, _, key = entry_key.rpartition("/")
        with transaction(self.conn):
            row = self.conn.execute(
                "SELECT e.id, e.feed, f.version, f.text_bytes FROM entries e "
                "JOIN feeds f ON f.id = e.feed WHERE f.folder = ? AND e.key = ?",
                (folder, key)).fetchone()
            if row is None:
                return None
            before = FeedStamp(int(row[2]), int(row[3]))
            self.conn.execute(f"UPDATE entries SET {assignments} WHERE id = ?",
                              (*values, row[0]))
            after = before
            if recount:
                self.recount(int(row[1]))
                got = self.conn.execute("SELECT version, text_bytes FROM feeds WHERE id = ?",
                                        (row[1],)).fetchone()
                after = FeedStamp(int(got[0]), int(got[1]))
        return EntryChange(folder, before, after)

    def entry(self, entry_key: str) -> StoredEntry | None:
        """One entry by its public key ("folder/key"), texts unpacked."""
        folder, _, key = entry_key.rpartition("/")
        return next(read_entries(self.conn, folder, key), None)

    def max_entry_id(self) -> int:
        """The newest entry's database id (0 when empty): entries stored after this
        call have larger ids, which is how a fetch finds its new entries."""
        return int(self.conn.execute("SELECT coalesce(max(id), 0) FROM entries").fetchone()[0])

    def full_text_jobs(self, folders: Iterable[str] | None = None, *, after_id: int = 0,
                       retry: bool = False) -> list[FullTextJob]:
        """Entries with a link and no full text, oldest first: of the feeds in
        `folders` (None: every feed), stored after entry `after_id`; those whose
        download failed before only with `retry`. One query, one row per entry."""
        sql = ("SELECT f.folder, e.key, e.link, e.id FROM entries e JOIN feeds f "
               "ON f.id = e.feed WHERE e.full_text IS NULL AND e.link IS NOT NULL "
               "AND e.link != '' AND e.id > ?")
        if not retry:
            sql += " AND e.full_text_error IS NULL"
        wanted = None if folders is None else frozenset(folders)
        return [FullTextJob(f"{folder}/{key}", link, int(eid))
                for folder, key, link, eid in self.conn.execute(sql + " ORDER BY e.id",
                                                                (after_id,))
                if wanted is None or folder in wanted]

    def entries_without_full_text(self, limit: int = 100) -> list[tuple[str, str]]:
        """(entry key, link) of entries with a link, no full text and no error yet,
        newest first."""
        return [(job.key, job.link) for job in reversed(self.full_text_jobs())][:limit]

    def summary_of(self, entry_id: int) -> str:
        """An entry's summary by database id ("" if it is gone)."""
        row = self.conn.execute("SELECT summary FROM entries WHERE id = ?",
                                (entry_id,)).fetchone()
        return unpack_text(row[0]) if row else ""


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


def read_entries(conn: sqlite3.Connection, folder: str, key: str | None = None
                 ) -> Iterator[StoredEntry]:
    """A feed's entries in the order they were stored (only `key`'s, if given).
    Reads the columns added since schema 1 only where they exist: a reader may meet a
    store no writer upgraded yet."""
    has_outlet = any(col[1] == "outlet" for col in conn.execute("PRAGMA table_info(entries)"))
    sql = ("SELECT e.key, e.guid, e.title, e.link, e.published, e.authors, e.summary, "
           "e.full_text, e.full_text_title, e.full_text_author, e.full_text_published, "
           f"e.full_text_error, {'e.outlet' if has_outlet else 'NULL'} "
           "FROM entries e JOIN feeds f ON f.id = e.feed WHERE f.folder = ?")
    rows = conn.execute(sql + " ORDER BY e.id", (folder,)) if key is None else \
        conn.execute(sql + " AND e.key = ?", (folder, key))
    for key, guid, title, link, published, authors, summary, full, ft_title, ft_author, \
            ft_published, ft_error, outlet in rows:
        yield StoredEntry(
            f"{folder}/{key}", guid, title, link, published,
            tuple(authors.split(AUTHOR_SEP)) if authors else (), unpack_text(summary),
            unpack_text(full) if full is not None else None, ft_title, ft_author,
            ft_published, ft_error, outlet)


__all__ = ["EntryChange", "FeedRow", "FeedStamp", "FeedStore", "FullTextJob", "NewEntry",
           "StoreError", "Stored", "StoredEntry",
           "feed_rows", "known_keys", "pack_text", "read_entries", "transaction", "unpack_text"]
