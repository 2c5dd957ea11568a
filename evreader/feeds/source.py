"""The feed store as a source of the index: each feed is one "file".

The build lists sources as files with a size and a modification stamp, and the
index cache reuses a file's articles while its stamp is unchanged. A feed of the
store is listed the same way, from the `feeds` table alone (no entry is read):
path = the feed's URL (what the reader shows as the article's source and what a
warning names), key = "feed-store:<store instance>/<feed folder>", size = the
UTF-8 bytes of its texts, mtime_ns = the store generation of its last change. So
a warm start checks 100 feeds with one query, and after a fetch only the feeds
that gained entries are read again.

Articles keep the ids they had when each entry was a JSON Lines file: the id
hashes "<library folder>/<feed folder>/<entry key>.jsonl", the title and the
summary — never the full text, so extracting it later keeps an article's id,
and with it its read and starred marks.
"""

from __future__ import annotations

import dataclasses
import sqlite3
import zlib
from collections.abc import Iterator
from pathlib import Path

from evreader.config import FEED_STORE_SPLIT, FeedSettings, SourceSpec
from evreader.feeds.db import (
    FeedStore,
    StoredEntry,
    StoreError,
    connect,
    feed_rows,
    read_entries,
)
from evreader.ingest.files import SourceFile
from evreader.models import Article, LoadWarning


def library_spec(settings: FeedSettings) -> SourceSpec | None:
    """The store as a source, once it exists. A JSON Lines library of an older
    evreader is moved into the store first; should that fail (a read-only disk),
    the folder is read as before, so no entry goes missing."""
    from evreader.feeds.migrate import has_legacy_files, migrate_library
    if has_legacy_files(settings.library):
        try:
            migrate_library(settings)
        except (StoreError, OSError, sqlite3.Error):
            return SourceSpec(settings.library)
    if settings.store.is_file():
        return SourceSpec(settings.store, f"{FEED_STORE_SPLIT}{settings.store}")
    return None


def open_store(settings: FeedSettings) -> FeedStore:
    """The store for writing, with a JSON Lines library moved into it first."""
    from evreader.feeds.migrate import has_legacy_files, migrate_library
    if has_legacy_files(settings.library):
        migrate_library(settings)
    return FeedStore(settings.store)


def store_files(spec: SourceSpec, warnings: list[LoadWarning]) -> list[SourceFile]:
    """The store's feeds as source files (see the module docstring)."""
    try:
        conn = connect(spec.path, readonly=True)
    except StoreError as exc:
        warnings.append(LoadWarning(str(spec.path), f"cannot read the feed store: {exc}"))
        return []
    try:
        with conn:
            row = conn.execute("SELECT value FROM meta WHERE key = 'instance'").fetchone()
            instance = str(row[0]) if row else "?"
            rows = feed_rows(conn)
    except sqlite3.Error as exc:
        warnings.append(LoadWarning(str(spec.path), f"cannot read the feed store: {exc}"))
        return []
    finally:
        conn.close()
    # ident: distinct per feed and never a real (device, inode) pair
    return [SourceFile(r.url, f"feed-store:{instance}/{r.folder}", r.text_bytes, r.version,
                       (-1, -r.id)) for r in rows]


def read_store_feed(source: SourceFile, store: str, bodies: list[bytes] | None = None
                    ) -> tuple[list[Article], list[LoadWarning]]:
    """A feed's articles from the store at `store`; a bad field is a warning that
    names the feed and the field, and the entry is kept without that field."""
    folder = source.key.rpartition("/")[2]
    warnings: list[LoadWarning] = []
    try:
        conn = connect(Path(store), readonly=True)
    except StoreError as exc:
        return [], [LoadWarning(source.path, f"cannot read the feed store: {exc}")]
    articles: list[Article] = []
    try:
        for _, article in store_articles(conn, folder, source.path, Path(store).parent.name,
                                         warnings, bodies):
            articles.append(article)
    except (sqlite3.Error, ValueError, zlib.error) as exc:  # damaged: what was read stays
        warnings.append(LoadWarning(source.path, f"cannot read the feed store: {exc}"))
    finally:
        conn.close()
    return articles, warnings


def store_articles(conn: sqlite3.Connection, folder: str, path: str, root: str,
                   warnings: list[LoadWarning], bodies: list[bytes] | None = None,
                   key: str | None = None) -> Iterator[tuple[StoredEntry, Article]]:
    """A feed's entries (only `key`'s, if given) with the article each makes.

    The id is made from the feed's own title and summary, as when the entry was a
    JSON Lines file; the page's full text, and its title, authors and date where
    the feed had none, are put in afterwards, so fetching the full text keeps the
    id and the read and starred marks with it."""
    from evreader.ingest.load import make_articles
    from evreader.ingest.metadata import read_fields
    from evreader.ingest.segment import Draft
    from evreader.textsafe import clean_text
    row = conn.execute("SELECT title FROM feeds WHERE folder = ?", (folder,)).fetchone()
    feed_title = str(row[0]) if row else ""
    for entry in read_entries(conn, folder, key):
        entry_key = entry.key.rpartition("/")[2]
        fields = read_fields({"title": entry.title, "published": entry.published,
                              "authors": list(entry.authors) or None, "url": entry.link,
                              "source": entry.outlet, "feed": feed_title})
        warnings.extend(LoadWarning(path, f"entry {entry.key}: {p}") for p in fields.problems)
        body = clean_text(entry.summary).strip()
        full = clean_text(entry.full_text).strip() if entry.full_text else ""
        page = read_fields({"title": entry.full_text_title,
                            "published": entry.full_text_published,
                            "authors": list(entry.page_authors) or None}) if full else None
        if not body and not fields.title and not full:
            warnings.append(LoadWarning(path, f"entry {entry.key}: no title or text; skipped"))
            continue
        draft = Draft(body=body, title=fields.title, authors=fields.authors,
                      published=fields.published, url=fields.url, publisher=fields.publisher)
        made = make_articles([draft], SourceFile(path, f"{root}/{folder}/{entry_key}.jsonl"),
                             bodies)[0]
        if page is not None:  # indexed and shown in place of the summary; the id stays
            made = dataclasses.replace(
                made, text=full, title=fields.title or page.title or made.title,
                authors=tuple(fields.authors or page.authors),
                published=fields.published or page.published)
            if bodies is not None:
                bodies[-1] = full.encode("utf-8", "surrogatepass")
        yield entry, made


def entry_of_article(store: Path, feed_path: str, article_id: str) -> StoredEntry | None:
    """The stored entry an article of the store was made from: `feed_path` is the
    article's source (the feed's URL), `article_id` its id. Reads that feed's
    entries only (ids are hashes: they are made again, without any analysis)."""
    try:
        conn = connect(store, readonly=True)
    except StoreError:
        return None
    try:
        folders = [f for (f,) in conn.execute("SELECT folder FROM feeds WHERE url = ?",
                                              (feed_path,))]
        for folder in folders:
            for entry, article in store_articles(conn, folder, feed_path, store.parent.name,
                                                 []):
                if article.id == article_id:
                    return entry
    except (sqlite3.Error, ValueError, zlib.error):
        return None
    finally:
        conn.close()
    return None


__all__ = ["entry_of_article", "library_spec", "open_store", "read_store_feed",
           "store_articles", "store_files"]
