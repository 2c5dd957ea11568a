"""Full text through the store, the fetch, the CLI and the library.

Two loopback "sites" (127.0.0.1 and 127.0.0.2) serve two feeds whose entries link
to real-shaped pages: articles under navigation, share bars, comments and a
cookie banner, a paywall stub, a section page with no article, a page over the
size cap, a slow page, a redirect to the other host, and a page robots.txt
forbids. The engine's own tests (test_fulltext.py) cover each page in depth;
these check what is stored, shown, re-fetched or not, and re-indexed.
No internet, no timed assertions.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from evreader.config import Config, FeedSettings, FeedSpec, FullTextSettings
from evreader.feeds import db
from evreader.library import Library, build_library, fetch_feeds
from tests.conftest import SMALL_GAZETTEER

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data" / "fulltext"
GAZETTEER = replace(SMALL_GAZETTEER, companies=(
    *SMALL_GAZETTEER.companies, {"name": "Nordvik", "country": "China"}))


def page(name: str) -> bytes:
    return (DATA / name).read_bytes()


# (path, feed title or "", page) of the full-text feed's items; the feed gives
# each a one-line summary that names no company.
ITEMS = [
    ("/news/wire.html", "A battery-pack unit for sale", "wire"),
    ("/news/blog.html", "", "blog"),  # no title in the feed: the page's is used
    ("/news/paywall.html", "A paywalled story", "paywall"),
    ("/news/section.html", "A section front", "section"),
    ("/news/huge.html", "A very large page", "huge"),
    ("/news/slow.html", "A slow page", "slow"),
    ("/news/to-other", "Moved to the other site", "other"),
    ("/private/story.html", "Robots say no", "private"),
]
PLAIN = [("/plain/india.html", "Agrani localises cells", "india")]


def feed(base: str, items: list[tuple[str, str, str]], title: str) -> bytes:
    body = "".join(
        f"<item>{f'<title>{t}</title>' if t else ''}<link>{base}{path}</link>"
        f"<guid>{guid}</guid><description>Summary of {guid}.</description></item>"
        for path, t, guid in items)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
            f"{body}</channel></rss>").encode()


class Site(BaseHTTPRequestHandler):
    log: ClassVar[list[tuple[str, str]]] = []  # (site, path)
    lock: ClassVar[threading.Lock] = threading.Lock()

    def log_message(self, *args: object) -> None:
        pass

    def send(self, code: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(code)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(OSError):
            self.wfile.write(body)

    def do_GET(self) -> None:
        site: str = getattr(self.server, "site", "?")
        with Site.lock:
            Site.log.append((site, self.path))
        route = ROUTES[site].get(self.path)
        if route is None:
            self.send(404, b"not here")
        else:
            route(self)


def html(body: bytes) -> Callable[[Any], None]:
    return lambda h: h.send(200, body, {"Content-Type": "text/html; charset=utf-8"})


def slow(h: Any) -> None:
    time.sleep(3)
    html(page("wire_article.html"))(h)


BASES: dict[str, str] = {}
ROUTES: dict[str, dict[str, Callable[[Any], None]]] = {
    "a": {
        "/robots.txt": lambda h: h.send(200, b"User-agent: *\nDisallow: /private/\n",
                                        {"Content-Type": "text/plain"}),
        "/feed.xml": lambda h: h.send(200, feed(BASES["a"], ITEMS, "Wireline"),
                                      {"Content-Type": "application/rss+xml"}),
        "/plain.xml": lambda h: h.send(200, feed(BASES["a"], PLAIN, "Plain"),
                                       {"Content-Type": "application/rss+xml"}),
        "/news/wire.html": html(page("wire_article.html")),
        "/news/blog.html": html(page("blog_article.html")),
        "/news/paywall.html": html(page("paywall_stub.html")),
        "/news/section.html": html(page("section_index.html")),
        "/news/huge.html": html(b"<html><body>" + b"<p>EV news</p>" * 80_000),
        "/news/slow.html": slow,
        "/news/to-other": lambda h: h.send(302, b"", {
            "Location": f"{BASES['b']}/story/india.html"}),
        "/private/story.html": html(page("wire_article.html")),
        "/plain/india.html": html(page("india_article.html")),
    },
    "b": {"/story/india.html": html(page("india_article.html"))},
}


@pytest.fixture(scope="module")
def sites() -> Iterator[dict[str, str]]:
    servers = []
    for site, host in (("a", "127.0.0.1"), ("b", "127.0.0.2")):
        httpd = ThreadingHTTPServer((host, 0), Site)
        httpd.daemon_threads = True
        httpd.site = site  # type: ignore[attr-defined]
        threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()
        servers.append(httpd)
        BASES[site] = f"http://{host}:{httpd.server_address[1]}"
    try:
        yield BASES
    finally:
        for httpd in servers:
            httpd.shutdown()
            httpd.server_close()


FULL_TEXT = FullTextSettings(delay=0.0, private_addresses=True, timeout=1.0,
                             max_bytes=1_000_000, connections=4, per_host=2)


def config_for(tmp_path: Path, sites: dict[str, str], **feed_kw: Any) -> Config:
    feeds = FeedSettings(
        urls=(FeedSpec(f"{sites['a']}/feed.xml", full_text=True),
              FeedSpec(f"{sites['a']}/plain.xml")),
        file=tmp_path / "feeds.yaml", library=tmp_path / "lib", delay=0.0,
        full_text=FULL_TEXT, **feed_kw)
    return Config(sources=(), feeds=feeds, gazetteer=GAZETTEER,
                  cache_dir=tmp_path / "cache", data_dir=tmp_path / "data")


def requests_for(path: str) -> int:
    with Site.lock:
        return sum(1 for _, p in Site.log if p == path)


def rows(cfg: Config) -> dict[str, sqlite3.Row]:
    """Entries by GUID, every column."""
    with contextlib.closing(sqlite3.connect(cfg.feeds.store)) as conn:
        conn.row_factory = sqlite3.Row
        return {r["guid"]: r for r in conn.execute("SELECT * FROM entries")}


def article(lib: Library, title_part: str) -> int:
    found = [i for i, t in enumerate(lib.index.articles.titles) if title_part in t]
    assert len(found) == 1, (title_part, lib.index.articles.titles)
    return found[0]


# ---------------------------------------------------------------- during `fetch`


def test_fetch_stores_full_text_for_new_entries_of_full_text_feeds(
        sites: dict[str, str], tmp_path: Path) -> None:
    cfg = config_for(tmp_path, sites)
    reports = {r.url.rpartition("/")[2]: r for r in fetch_feeds(cfg)}
    assert reports["feed.xml"].new == len(ITEMS) and reports["plain.xml"].new == 1
    assert not reports["plain.xml"].full_text  # not marked full_text: not fetched
    assert requests_for("/plain/india.html") == 0
    results = {a.link.rpartition("/")[2]: a for a in reports["feed.xml"].full_text}
    assert {k for k, a in results.items() if a.ok} == {"wire.html", "blog.html", "to-other"}
    reasons = {k: a.reason for k, a in results.items() if not a.ok}
    assert reasons["paywall.html"].startswith("paywalled")
    assert reasons["section.html"] == "no article text found"
    assert reasons["huge.html"] == "page larger than 1 MB"
    assert reasons["slow.html"] == "timed out after 1 s"
    assert reasons["story.html"].startswith("blocked by robots.txt on 127.0.0.1")
    assert "full text for 3 of 8" in reports["feed.xml"].line()

    stored = rows(cfg)
    wire = stored["wire"]
    assert "foreign investment screening law" in db.unpack_text(wire["full_text"])
    assert db.unpack_text(wire["summary"]) == "Summary of wire."  # the summary stays
    assert wire["full_text_error"] is None and wire["full_text_checked"]
    assert stored["other"]["full_text_url"] == f"{sites['b']}/story/india.html"
    assert stored["paywall"]["full_text"] is None
    assert stored["paywall"]["full_text_error"].startswith("paywalled")

    lib = build_library(replace(cfg, cache=False))
    i = article(lib, "A battery-pack unit for sale")  # the feed's own title is kept
    text = lib.index.articles.text(i)
    assert "WARSAW/SINGAPORE, June 3 (Wireline)" in text
    assert "Accept All Cookies" not in text and "Read Next" not in text
    assert lib.index.entity_names(i).get("company") == ["Nordvik"]
    blog = article(lib, "Voltaria to build LFP cathode plant")  # the page's title
    blog_text = lib.index.articles.text(blog)
    for debris in ("We use cookies", "Share on Facebook", "Leave a Reply", "voltfan88"):
        assert debris not in blog_text
    assert lib.index.articles[blog].authors == ("Dana Whitfield",)
    paywalled = article(lib, "A paywalled story")
    assert lib.index.articles.text(paywalled) == "Summary of paywall."


def test_a_second_fetch_asks_no_page_again_and_full_text_fills_the_rest(
        sites: dict[str, str], tmp_path: Path) -> None:
    cfg = config_for(tmp_path, sites)
    fetch_feeds(cfg)
    wire, paywall = requests_for("/news/wire.html"), requests_for("/news/paywall.html")
    again = fetch_feeds(cfg)
    assert all(not r.full_text for r in again)  # nothing new: no page asked for
    assert requests_for("/news/wire.html") == wire
    everything = {r.url.rpartition("/")[2]: r for r in fetch_feeds(cfg, every_entry=True)}
    # every entry lacking it: the plain feed's too, but not those that failed
    assert [a.link.rpartition("/")[2] for a in everything["plain.xml"].full_text] == [
        "india.html"]
    assert not everything["feed.xml"].full_text
    assert requests_for("/news/paywall.html") == paywall
    retried = {r.url.rpartition("/")[2]: r for r in fetch_feeds(cfg, every_entry=True,
                                                                retry=True)}
    assert len(retried["feed.xml"].full_text) == 5  # the five failures, asked again
    assert requests_for("/news/paywall.html") == paywall + 1
    assert requests_for("/news/wire.html") == wire  # never the ones that have it


def test_feeds_full_text_default_and_a_feed_saying_no(sites: dict[str, str],
                                                      tmp_path: Path) -> None:
    cfg = config_for(tmp_path, sites)
    cfg = replace(cfg, feeds=replace(
        cfg.feeds, full_text=replace(FULL_TEXT, default=True),
        urls=(FeedSpec(f"{sites['a']}/feed.xml", full_text=False),
              FeedSpec(f"{sites['a']}/plain.xml"))))
    reports = {r.url.rpartition("/")[2]: r for r in fetch_feeds(cfg)}
    assert not reports["feed.xml"].full_text
    assert [a.ok for a in reports["plain.xml"].full_text] == [True]


# ---------------------------------------------------------------- on demand, in the library


def test_one_article_on_demand_reanalyses_that_article_alone(
        sites: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = config_for(tmp_path, sites)
    fetch_feeds(cfg, full_text=False)
    lib = build_library(cfg)
    i = article(lib, "A battery-pack unit for sale")
    before_id, before_index = lib.index.articles.ids[i], lib.index
    assert not lib.index.entity_names(i)["company"]
    assert lib.index.article_count("company", "Nordvik") == 0

    from evreader.extract.extractor import Extractor
    analysed: list[str] = []
    real = Extractor.analyse

    def counting(self: Extractor, art: Any, *args: Any, **kw: Any) -> Any:
        analysed.append(art.id)
        return real(self, art, *args, **kw)
    monkeypatch.setattr(Extractor, "analyse", counting)
    result = lib.fetch_full_text(i)
    assert result.ok and result.fetched and result.chars > 1000, result
    assert result.url == f"{sites['a']}/news/wire.html"
    assert analysed == [before_id]  # one article analysed, not its feed
    assert lib.index is not before_index
    assert lib.index.articles.ids[i] == before_id  # same row, same id
    assert "foreign investment screening law" in lib.index.articles.text(i)
    assert lib.index.entity_names(i)["company"] == ["Nordvik"]
    assert [lib.index.articles.ids[h.article] for h in lib.engine.search("Nordvik")] == \
        [before_id]

    # the patched index is what a full build of the same store gives
    fresh = build_library(replace(cfg, cache=False))
    assert fresh.index.articles.ids == lib.index.articles.ids
    assert [fresh.index.articles.text(j) for j in range(len(fresh.index))] == \
        [lib.index.articles.text(j) for j in range(len(lib.index))]
    assert [fresh.index.entity_names(j) for j in range(len(fresh.index))] == \
        [lib.index.entity_names(j) for j in range(len(lib.index))]
    # and the cache was saved with the feed's new stamp: the next start reads nothing
    analysed.clear()
    again = build_library(cfg)
    assert again.from_cache and not analysed
    assert again.index.entity_names(i)["company"] == ["Nordvik"]

    # asked again: already stored, nothing fetched
    requests = requests_for("/news/wire.html")
    assert lib.fetch_full_text(i) == replace(result, fetched=False, url="")
    assert requests_for("/news/wire.html") == requests


def test_on_demand_failure_keeps_the_library_and_records_the_reason(
        sites: dict[str, str], tmp_path: Path) -> None:
    cfg = config_for(tmp_path, sites)
    fetch_feeds(cfg, full_text=False)
    lib = build_library(cfg)
    index = lib.index
    result = lib.fetch_full_text(article(lib, "A paywalled story"))
    assert not result.ok and result.fetched
    assert result.reason == "paywalled: only a teaser is public"
    assert lib.index is index
    assert rows(cfg)["paywall"]["full_text_error"] == result.reason
    assert lib.fetch_full_text(len(index) + 5).reason.startswith("no article")


def test_on_demand_without_a_cache_rebuilds_and_keeps_the_id(
        sites: dict[str, str], tmp_path: Path) -> None:
    cfg = replace(config_for(tmp_path, sites), cache=False)
    fetch_feeds(cfg, full_text=False)
    lib = build_library(cfg)
    i = article(lib, "Summary of blog")  # untitled in the feed: titled from its summary
    before = lib.index.articles.ids[i]
    assert lib.fetch_full_text(i).ok
    j = lib.index.by_id[before]
    assert lib.index.articles[j].title.startswith("Voltaria to build LFP cathode plant")


def test_an_article_not_from_a_feed_has_no_full_text(tmp_path: Path) -> None:
    (tmp_path / "note.txt").write_text("Nissan and Honda talk about a merger in Japan.\n")
    from evreader.config import SourceSpec
    cfg = Config(sources=(SourceSpec(tmp_path / "note.txt"),), gazetteer=GAZETTEER,
                 cache_dir=tmp_path / "cache", data_dir=tmp_path / "data",
                 feeds=FeedSettings(library=tmp_path / "lib", file=tmp_path / "feeds.yaml"))
    lib = build_library(cfg)
    result = lib.fetch_full_text(0)
    assert not result.ok and not result.fetched
    assert result.reason == "not an article of a fetched feed"


# ---------------------------------------------------------------- the command line


def write_config(tmp_path: Path, sites: dict[str, str]) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(
        "sources: []\n"
        f"feeds:\n  library: lib\n  file: feeds.yaml\n  delay: 0\n"
        f"  urls:\n    - {{url: \"{sites['a']}/feed.xml\", full_text: true}}\n"
        f"    - \"{sites['a']}/plain.xml\"\n"
        "  full_text: {delay: 0, private_addresses: true, timeout: 1, max_bytes: 1000000}\n"
        "data_dir: data\ncache_dir: cache\n"
        "gazetteer: {builtin: false, companies: [{name: Nordvik, country: China}]}\n",
        encoding="utf-8")
    return path


def evreader(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "evreader", "--config", str(config), *args],
                          capture_output=True, text=True, cwd=REPO,
                          env={**os.environ, "EVREADER_DEBUG": ""})


def test_cli_fetch_and_full_text_commands(sites: dict[str, str], tmp_path: Path) -> None:
    config = write_config(tmp_path, sites)
    wrong = evreader(config, "fetch", "--retry")
    assert wrong.returncode == 2 and "--retry goes with --full-text" in wrong.stderr
    done = evreader(config, "fetch", "--no-full-text", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert [f["full_text"] for f in json.loads(done.stdout)] == [[], []]

    listed = json.loads(evreader(config, "list", "--format", "json").stdout)
    ids = {a["title"]: a["id"] for a in listed}
    got = evreader(config, "full-text", ids["A battery-pack unit for sale"], "--format", "json")
    assert got.returncode == 0, got.stderr
    answer = json.loads(got.stdout)
    assert answer["ok"] and answer["fetched"] and answer["chars"] > 1000
    assert answer["reason"] is None
    shown = json.loads(evreader(config, "show", ids["A battery-pack unit for sale"], "--format",
                                "json").stdout)
    assert "Nordvik" in shown["entities"]["company"]

    failed = evreader(config, "full-text", ids["A paywalled story"])
    assert failed.returncode == 1 and "paywalled" in failed.stdout
    unknown = evreader(config, "full-text", "0123456789abcdef")
    assert unknown.returncode == 2 and "no article with id" in unknown.stderr
    assert "Traceback" not in unknown.stderr + failed.stderr

    rest = evreader(config, "fetch", "--full-text", "--format", "json")
    assert rest.returncode == 0, rest.stderr
    by_feed = {f["url"].rpartition("/")[2]: f for f in json.loads(rest.stdout)}
    assert [(a["ok"], a["reason"]) for a in by_feed["plain.xml"]["full_text"]] == [(True, None)]
    # the paywall failed before and is not asked again; the others never were
    assert "paywall.html" not in {a["url"].rpartition("/")[2]
                                  for a in by_feed["feed.xml"]["full_text"]}
    text = evreader(config, "fetch", "--full-text", "--retry")
    assert text.returncode == 0
    assert "no text    " in text.stdout and "full text for" in text.stderr


# ---------------------------------------------------------------- the schema


SCHEMA_1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE feeds (id INTEGER PRIMARY KEY, folder TEXT NOT NULL UNIQUE, url TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '', version INTEGER NOT NULL DEFAULT 0,
    entries INTEGER NOT NULL DEFAULT 0, text_bytes INTEGER NOT NULL DEFAULT 0,
    etag TEXT, modified TEXT, checked INTEGER, status TEXT, reason TEXT);
CREATE TABLE entries (id INTEGER PRIMARY KEY, feed INTEGER NOT NULL REFERENCES feeds (id),
    key TEXT NOT NULL, guid TEXT NOT NULL, title TEXT NOT NULL, link TEXT, published TEXT,
    authors TEXT NOT NULL DEFAULT '', summary BLOB NOT NULL, size INTEGER NOT NULL,
    full_text BLOB, full_text_title TEXT, full_text_author TEXT, full_text_published TEXT,
    full_text_error TEXT, fetched INTEGER NOT NULL, UNIQUE (feed, key));
INSERT INTO meta VALUES ('instance', 'abcdef0123456789'), ('generation', '1');
INSERT INTO feeds VALUES (1, 'ev-example-rss-00000000', 'https://ev.example/rss', 'EV',
    1, 2, 60, NULL, NULL, NULL, 'new', '');
INSERT INTO entries VALUES
    (1, 1, '0000000000000001', 'g1', 'Nissan builds in Japan', 'https://ev.example/1',
     '2024-03-16', '', 'Nissan builds a plant in Japan.', 30, NULL, NULL, NULL, NULL, NULL, 1),
    (2, 1, '0000000000000002', 'g2', 'Honda too', 'https://ev.example/2',
     NULL, '', 'Honda builds a plant in Japan too.', 30, NULL, NULL, NULL, NULL, 'HTTP 403', 1);
PRAGMA user_version = 1;
"""


def test_a_schema_1_store_is_read_as_it_is_and_upgraded_in_place(tmp_path: Path) -> None:
    settings = FeedSettings(library=tmp_path / "lib", file=tmp_path / "feeds.yaml")
    settings.library.mkdir()
    with contextlib.closing(sqlite3.connect(settings.store)) as conn:
        conn.executescript(SCHEMA_1)
    cfg = Config(sources=(), feeds=settings, gazetteer=GAZETTEER, cache=False,
                 cache_dir=tmp_path / "cache", data_dir=tmp_path / "data")
    assert len(build_library(cfg).index) == 2  # read before any writer opened it
    with db.FeedStore(settings.store) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == db.SCHEMA_VERSION
        jobs = store.full_text_jobs()
        assert [j.key for j in jobs] == ["ev-example-rss-00000000/0000000000000001"]
        assert store.full_text_jobs(retry=True)[1].link == "https://ev.example/2"
        change = store.set_full_text(jobs[0].key, "Nissan and Tesla build in Japan.",
                                     authors=("Ann Lee", "Bo Chen"), url="https://ev.example/1")
        assert change is not None and change.after.version > change.before.version
    with contextlib.closing(sqlite3.connect(settings.store)) as conn:
        cols = {r[1] for r in conn.execute("PRAGMA table_info(entries)")}
        assert {"full_text_url", "full_text_checked"} <= cols
        assert conn.execute("SELECT count(*) FROM entries").fetchone()[0] == 2
    with db.FeedStore(settings.store) as store:  # a second open changes nothing
        entry = store.entry("ev-example-rss-00000000/0000000000000001")
        assert entry is not None and entry.page_authors == ("Ann Lee", "Bo Chen")
        assert entry.summary == "Nissan builds a plant in Japan."
    lib = build_library(cfg)
    assert lib.index.article_count("company", "Tesla") == 1


def test_on_demand_never_brings_back_a_summary_the_cache_missed(
        sites: dict[str, str], tmp_path: Path) -> None:
    cfg = config_for(tmp_path, sites)
    fetch_feeds(cfg, full_text=False)
    lib = build_library(cfg)
    k = article(lib, "A section front")
    # another process stores a full text the cache and this library never saw
    key = next(r["key"] for g, r in rows(cfg).items() if g == "section")
    with db.FeedStore(cfg.feeds.store) as store:
        folder = store.conn.execute("SELECT folder FROM feeds WHERE id = ?", (
            rows(cfg)["section"]["feed"],)).fetchone()[0]
        assert store.set_full_text(f"{folder}/{key}", "Nissan opens a section in Japan.")
    assert lib.fetch_full_text(article(lib, "A battery-pack unit for sale")).ok
    assert lib.index.articles.text(k) == "Nissan opens a section in Japan."
    assert lib.index.entity_names(k)["company"] == ["Nissan"]
