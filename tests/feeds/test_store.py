"""The feed store: stored once, nothing half-written, two processes at once, the
migration from JSON Lines, full text, the index cache, and the fast parser."""

from __future__ import annotations

import contextlib
import glob
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from evreader.config import Config, FeedSettings, FeedSpec, SourceSpec, source_specs
from evreader.feeds import db
from evreader.feeds.fetch import FetchResult
from evreader.feeds.parse import _entry, _make, defang, parse_feed
from evreader.feeds.refresh import interleaved, parse_for_store, refresh_feeds
from evreader.feeds.store import feed_folder
from evreader.library import build_library
from tests.conftest import SMALL_GAZETTEER
from tests.feeds import samples

REPO = Path(__file__).resolve().parents[2]


def rss(feed: int, items: range, slow: float = 0.0) -> bytes:
    """A feed of numbered items (item i has GUID f<feed>-<i>)."""
    body = "".join(
        f"<item><title>Feed {feed} item {i}: Nissan builds in Japan</title>"
        f"<link>https://f{feed}.example/{i}</link><guid>f{feed}-{i}</guid>"
        f"<pubDate>Sat, 16 Mar 2024 09:48:00 GMT</pubDate>"
        f"<description>&lt;p&gt;Item {i} of feed {feed}: CATL and Nissan.&lt;/p&gt;"
        f"</description></item>" for i in items)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {feed}</title>'
            f"{body}</channel></rss>").encode()


class Feeds(BaseHTTPRequestHandler):
    """/f<n>?<count>: feed n with items 0..count-1, answered after a short wait so
    two fetching processes overlap."""

    docs: ClassVar[dict[str, bytes]] = {}

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path, _, query = self.path.partition("?")
        body = rss(int(path.strip("/f")), range(int(query or 20)))
        time.sleep(0.05)
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Feeds)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def settings_for(tmp_path: Path, urls: list[str]) -> FeedSettings:
    return FeedSettings(urls=tuple(FeedSpec(u) for u in urls), file=tmp_path / "feeds.yaml",
                        library=tmp_path / "lib", timeout=10, delay=0.0)


def entry_rows(settings: FeedSettings) -> list[tuple[str, str]]:
    with contextlib.closing(sqlite3.connect(settings.store)) as conn:
        return list(conn.execute(
            "SELECT f.url, e.guid FROM entries e JOIN feeds f ON f.id = e.feed"))


def config_for(settings: FeedSettings, tmp_path: Path) -> Config:
    return Config(sources=(), feeds=settings, gazetteer=SMALL_GAZETTEER,
                  cache_dir=tmp_path / "cache", data_dir=tmp_path / "data")


# ---------------------------------------------------------------- stored once, whole


def test_two_processes_fetching_at_once_lose_and_duplicate_nothing(
        server: str, tmp_path: Path) -> None:
    urls = [f"{server}/f{n}?{20 + n}" for n in range(6)]
    cfg = tmp_path / "config.yaml"
    cfg.write_text("sources:\n" + "".join(f"  - {u}\n" for u in urls) +
                   "feeds:\n  library: lib\n  file: feeds.yaml\n  delay: 0\n"
                   "data_dir: data\ncache_dir: cache\n")
    command = [sys.executable, "-m", "evreader", "--config", str(cfg), "fetch",
               "--format", "json"]
    procs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, cwd=REPO) for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    reports = [json.loads(out) for out, _ in outs]
    new = sum(r["new"] for rep in reports for r in rep)
    rows = entry_rows(settings_for(tmp_path, urls))
    expected = {(u, f"f{n}-{i}") for n, u in enumerate(urls) for i in range(20 + n)}
    assert len(rows) == len(set(rows)) == len(expected) == new  # each stored once
    assert set(rows) == expected


def test_a_feed_that_fails_halfway_leaves_nothing(server: str, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    settings = settings_for(tmp_path, [f"{server}/f1?10", f"{server}/f2?10"])
    from evreader.feeds import refresh
    real = refresh.parse_for_store

    def broken(data: bytes, url: str, known: frozenset[str]) -> refresh.ParsedBatch:
        batch = real(data, url, known)
        if url.endswith("f2?10"):  # the sixth entry cannot be bound
            batch.entries[5] = batch.entries[5]._replace(title=["x"])  # type: ignore[arg-type]
        return batch
    monkeypatch.setattr(refresh, "parse_for_store", broken)
    reports = {r.url[-5:]: r for r in refresh_feeds(settings)}
    assert reports["f1?10"].new == 10
    assert reports["f2?10"].status == "failed" and "cannot write" in reports["f2?10"].reason
    rows = entry_rows(settings)
    assert len(rows) == 10 and all(u.endswith("f1?10") for u, _ in rows)
    with contextlib.closing(sqlite3.connect(settings.store)) as conn:
        # its entries and its validators rolled back together: fetched whole next time
        assert conn.execute("SELECT count(*) FROM feeds WHERE url LIKE '%f2?10' "
                            "AND (etag IS NOT NULL OR entries > 0)").fetchone()[0] == 0
    monkeypatch.setattr(refresh, "parse_for_store", real)
    again = {r.url[-5:]: r for r in refresh_feeds(settings)}
    assert again["f2?10"].new == 10 and again["f1?10"].new == 0
    assert len(entry_rows(settings)) == 20


def test_fetches_run_at_once_but_at_most_per_host_to_one_host(tmp_path: Path) -> None:
    feeds = [f"http://a.example/{i}" for i in range(6)] + [f"http://b.example/{i}" for i in
                                                           range(3)]
    order = [f.url.split("/")[2] for f in interleaved([FeedSpec(u) for u in feeds])]
    assert order[:2] == ["a.example", "b.example"]
    running: dict[str, int] = {}
    most: dict[str, int] = {}
    lock = threading.Lock()
    overlapped = threading.Event()  # set once two downloads run at the same moment

    def fetcher(url: str, **_: object) -> FetchResult:
        host = url.split("/")[2]
        with lock:
            running[host] = running.get(host, 0) + 1
            most[host] = max(most.get(host, 0), running[host])
            if sum(running.values()) >= 2:
                overlapped.set()
        overlapped.wait(10)  # a download holds its turn until another one has started
        time.sleep(0.01)  # and a little longer, so a third to one host would be seen
        with lock:
            running[host] -= 1
        return FetchResult(url, "fetched", rss(0, range(2)))
    settings = replace(settings_for(tmp_path, feeds), per_host=2, connections=8)
    reports = refresh_feeds(settings, fetcher=fetcher)
    assert [r.status for r in reports] == ["new"] * len(feeds)
    assert overlapped.is_set()  # more than one download at a time
    assert most["a.example"] <= 2 and most["b.example"] <= 2


# ---------------------------------------------------------------- the index


def test_the_cache_rereads_only_a_changed_feed_and_cache_info_knows_the_store(
        server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = settings_for(tmp_path, [f"{server}/f1?5", f"{server}/f2?5"])
    refresh_feeds(settings)
    cfg = config_for(settings, tmp_path)
    first = build_library(cfg)
    assert len(first.index) == 10 and not first.from_cache
    assert build_library(cfg).from_cache
    # a new entry in one feed: that feed alone is read again
    with db.FeedStore(settings.store) as store:
        batch = parse_for_store(rss(1, range(6)), "u", frozenset())
        stored = store.store_feed(feed_folder(settings.library, f"{server}/f1?5").name,
                                  f"{server}/f1?5", "Feed 1", batch.entries, 6, None, None)
        assert stored.new == 1
    read: list[str] = []
    from evreader.feeds import source
    real = source.read_store_feed

    def counting(src, store, bodies=None):  # type: ignore[no-untyped-def]
        read.append(src.path)
        return real(src, store, bodies)
    monkeypatch.setattr(source, "read_store_feed", counting)
    third = build_library(cfg)
    assert len(third.index) == 11 and not third.from_cache
    assert read == [f"{server}/f1?5"]
    ids = set(first.index.articles.ids)
    assert ids < set(third.index.articles.ids)  # the old entries keep their ids
    out = subprocess.run([sys.executable, "-m", "evreader", "cache", "info"],
                         capture_output=True, text=True, cwd=REPO,
                         env={**os.environ, "EVREADER_CONFIG": str(_config_file(cfg, tmp_path))})
    assert "(present)" in out.stdout, out


def _config_file(cfg: Config, tmp_path: Path) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(f"sources: []\nfeeds:\n  library: {cfg.feeds.library}\n"
                    f"  file: {cfg.feeds.file}\ndata_dir: {cfg.data_dir}\n"
                    f"cache_dir: {cfg.cache_dir}\n")
    return path


def test_full_text_is_indexed_and_the_summary_and_id_stay(server: str, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, [f"{server}/f3?3"])
    refresh_feeds(settings)
    cfg = replace(config_for(settings, tmp_path), cache=False)
    before = build_library(cfg)
    with db.FeedStore(settings.store) as store:
        todo = store.entries_without_full_text()
        assert len(todo) == 3 and todo[0][1].startswith("https://f3.example/")
        key = next(k for k, link in todo if link.endswith("/0"))
        other = next(k for k, link in todo if link.endswith("/1"))
        assert store.set_full_text(key, "The whole article: Tesla opens a plant in Berlin.",
                                   title="T", authors=("Ann Lee",), published="2024-03-17")
        assert store.set_full_text_error(other, "HTTP 403 Forbidden")
        assert not store.set_full_text("nosuch/0000000000000000", "x")
        assert len(store.entries_without_full_text()) == 1
    after = build_library(cfg)
    by_title = {a.title: a for a in after.index.articles}
    art = by_title["Feed 3 item 0: Nissan builds in Japan"]
    assert art.text == "The whole article: Tesla opens a plant in Berlin."
    assert set(before.index.articles.ids) == set(after.index.articles.ids)
    assert after.index.article_count("company", "Tesla") == 1
    with contextlib.closing(sqlite3.connect(settings.store)) as conn:
        conn.row_factory = sqlite3.Row
        rows = {r["link"]: r for r in conn.execute("SELECT * FROM entries")}
    assert "Item 0 of feed 3" in db.unpack_text(rows["https://f3.example/0"]["summary"])
    assert rows["https://f3.example/1"]["full_text_error"] == "HTTP 403 Forbidden"


def test_bad_stored_field_and_damaged_store_are_warnings(server: str, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, [f"{server}/f4?2"])
    refresh_feeds(settings)
    with contextlib.closing(sqlite3.connect(settings.store)) as conn, conn:
        conn.execute("UPDATE entries SET published = '2024-02-30' WHERE guid = 'f4-0'")
        conn.execute("UPDATE feeds SET version = version + 1")
    cfg = replace(config_for(settings, tmp_path), cache=False)
    lib = build_library(cfg)
    assert len(lib.index) == 2
    warned = [str(w) for w in lib.warnings]
    assert any(f"{server}/f4?2" in w and "'date'" in w for w in warned), warned
    settings.store.write_bytes(b"not a database" * 100)
    for suffix in ("-wal", "-shm"):
        Path(f"{settings.store}{suffix}").unlink(missing_ok=True)
    lib = build_library(cfg)
    assert len(lib.index) == 0
    assert any("feed store" in str(w) for w in lib.warnings)


# ---------------------------------------------------------------- migration


def write_legacy(library: Path, url: str, feed_title: str, doc: bytes) -> list[Path]:
    """Entries as evreader wrote them before the store: one JSON Lines file each."""
    folder = feed_folder(library, url)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for e in parse_feed(doc).entries:
        record = {"title": e.title, "text": e.text, "url": e.link,
                  "published": e.published.isoformat() if e.published else None,
                  "authors": list(e.authors), "guid": e.guid, "feed": feed_title}
        path = folder / f"{hashlib.sha256(e.guid.encode()).hexdigest()[:16]}.jsonl"
        path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def test_a_json_lines_library_moves_into_the_store_with_its_ids(
        server: str, tmp_path: Path) -> None:
    lib_dir = tmp_path / "lib"
    url = f"{server}/f5?4"
    write_legacy(lib_dir, url, "Feed 5", rss(5, range(4)))
    write_legacy(lib_dir, "https://gone.example/rss", "Gone", samples.RSS2)  # unconfigured
    (lib_dir / "junk-00000000").mkdir()
    (lib_dir / "junk-00000000" / "bad.jsonl").write_text("not json\n")
    settings = settings_for(tmp_path, [url])
    old = build_library(Config(sources=(SourceSpec(lib_dir),), gazetteer=SMALL_GAZETTEER,
                               read_feed_library=False), use_cache=False)
    assert len(old.index) == 6
    cfg = replace(config_for(settings, tmp_path), cache=False)
    specs = source_specs(cfg)  # migrates
    assert [s.path for s in specs] == [settings.store]
    assert not list(lib_dir.glob("*/*.jsonl"))  # moved, and the bad file set aside
    assert (lib_dir / ".unmigrated" / "junk-00000000" / "bad.jsonl").is_file()
    new = build_library(cfg)
    assert sorted(new.index.articles.ids) == sorted(old.index.articles.ids)
    assert sorted(new.index.articles.titles) == sorted(old.index.articles.titles)
    # the feed fetched again: nothing new, and its entries now carry its URL
    reports = refresh_feeds(settings)
    assert reports[0].new == 0 and reports[0].status == "new"
    assert {u for u, _ in entry_rows(settings)} == {url, str(lib_dir / feed_folder(
        lib_dir, "https://gone.example/rss").name)}


def test_migration_interrupted_after_commit_runs_again_without_duplicates(
        tmp_path: Path) -> None:
    lib_dir = tmp_path / "lib"
    paths = write_legacy(lib_dir, "https://a.example/rss", "A", samples.RSS2)
    saved = {p: p.read_bytes() for p in paths}
    settings = settings_for(tmp_path, ["https://a.example/rss"])
    from evreader.feeds.migrate import migrate_library
    assert migrate_library(settings) == 2
    for path, data in saved.items():  # as if the files' deletion never happened
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
    assert migrate_library(settings) == 0
    assert len(entry_rows(settings)) == 2


# ---------------------------------------------------------------- the fast parser


FEED_FILES = [*sorted(glob.glob(str(REPO / "tests/realnews/*/feeds/*"))),
              str(REPO / "tests/loop_corpus/feed.rss")]


@pytest.mark.parametrize("doc", [samples.RSS2, samples.RSS091, samples.RSS1, samples.ATOM] + [
    Path(p).read_bytes() for p in FEED_FILES if not p.endswith(".json")])
def test_the_fast_parser_reads_what_feedparser_reads(doc: bytes) -> None:
    import feedparser

    from evreader.feeds.fastparse import fast_parse
    data = defang(doc)
    fast = fast_parse(data, _make)
    assert fast is not None
    slow = [_entry(e) for e in feedparser.parse(
        data, sanitize_html=True, resolve_relative_uris=False).entries]
    slow = [e for e in slow if e.title or e.text]
    assert [(e.guid, e.title, e.link, e.published, e.text) for e in fast.entries] == \
        [(e.guid, e.title, e.link, e.published, e.text) for e in slow]
    for a, b in zip(fast.entries, slow, strict=True):  # feedparser garbles "mail (Name)"
        assert set(a.authors) == set(b.authors) or "(" in " ".join(b.authors)


def test_html_fast_path_equals_html_parser() -> None:
    import random
    import re

    from evreader.feeds import parse

    def slow(html: str) -> str:
        p = parse._TextExtractor()
        p.feed(html)
        p.close()
        paragraphs = [" ".join(x.split()) for x in re.split(r"\n\s*\n", "".join(p.parts))]
        return "\n\n".join(x for x in paragraphs if x and x != "•")
    pieces = ["<p>", "</p>", "<li>", "<br>", "<br/>", "<li/>", "<b>", "</b>", "&amp;",
              "&#8217;", " ", "x", "\n", "<", ">", "&", "'", '"', "<a href='>'>", "<!--",
              "-->", "<script>", "</script>", "é", "<P CLASS=x>"]
    rng = random.Random(7)
    fast = 0
    for _ in range(3000):
        html = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        if "<" not in html and "&" not in html:
            continue
        fast += parse._simple_html_text(html) is not None
        assert parse.html_to_text(html) == slow(html), html
    assert fast > 500  # the fast path is taken


def test_an_aggregators_outlet_is_stored_and_becomes_the_publisher(tmp_path: Path) -> None:
    doc = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Google News</title>'
           b"<item><title>Hyundai to build EVs in Georgia - The Associated Press</title>"
           b"<link>https://news.example/1</link><guid>g1</guid>"
           b'<source url="https://apnews.com">The Associated Press</source>'
           b"<description>Hyundai said it would build EVs in Georgia.</description></item>"
           b"<item><title>CATL expands in Hungary</title><link>https://news.example/2</link>"
           b"<guid>g2</guid><description>CATL builds in Debrecen.</description></item>"
           b"</channel></rss>")

    def fetcher(url: str, **_: object) -> FetchResult:
        return FetchResult(url, "fetched", doc)
    settings = settings_for(tmp_path, ["http://agg.example/rss"])
    refresh_feeds(settings, fetcher=fetcher)
    lib = build_library(config_for(settings, tmp_path))
    arts = lib.index.articles
    got = {arts.titles[i]: arts.publisher(i) for i in range(len(lib.index))}
    assert got == {"Hyundai to build EVs in Georgia": "The Associated Press",
                   "CATL expands in Hungary": "Google News"}
