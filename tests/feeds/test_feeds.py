"""Feeds: formats, HTML cleaning, fetch over loopback HTTP, storage, OPML, hostile XML."""

from __future__ import annotations

import contextlib
import gzip
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from evreader.config import Config, FeedSettings, FeedSpec, SourceSpec, load_config
from evreader.feeds.fetch import fetch
from evreader.feeds.parse import html_to_text, parse_feed
from evreader.feeds.store import export_opml, import_opml, read_feeds_file, refresh_feeds
from evreader.library import build_library
from tests.conftest import SMALL_GAZETTEER
from tests.feeds import samples


class Handler(BaseHTTPRequestHandler):
    hits: ClassVar[dict[str, int]] = {}

    def log_message(self, *args: object) -> None:
        pass

    def _send(self, code: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(code)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def do_GET(self) -> None:
        Handler.hits[self.path] = Handler.hits.get(self.path, 0) + 1
        route = self.path
        if route == "/rss":
            if self.headers.get("If-None-Match") == '"v1"':
                return self._send(304)
            return self._send(200, samples.RSS2,
                              {"ETag": '"v1"', "Content-Type": "application/rss+xml"})
        if route == "/atom":
            return self._send(200, samples.ATOM)
        if route == "/gzip":
            return self._send(200, gzip.compress(samples.JSONFEED), {"Content-Encoding": "gzip"})
        if route == "/missing":
            return self._send(404, b"nope")
        if route == "/slow":
            time.sleep(2.5)
            return self._send(200, samples.RSS2)
        if route == "/trickle":
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            for _ in range(30):
                try:
                    self.wfile.write(b" ")
                    self.wfile.flush()
                except OSError:
                    return None
                time.sleep(0.1)
            return None
        if route == "/malformed":
            return self._send(200, b"<rss><channel><item><title>broken</ti")
        if route == "/huge":
            return self._send(200, b"<rss>" + b" " * 300_000 + b"</rss>")
        if route == "/gzipbomb":
            return self._send(200, gzip.compress(b" " * 5_000_000), {"Content-Encoding": "gzip"})
        if route == "/loop":
            return self._send(302, headers={"Location": "/loop"})
        if route == "/hop":
            return self._send(301, headers={"Location": "/atom"})
        if route == "/to-file":
            return self._send(302, headers={"Location": "file:///etc/passwd"})
        if route == "/bomb":
            return self._send(200, samples.BILLION_LAUGHS)
        if route == "/xxe":
            return self._send(200, samples.XXE)
        return self._send(404)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


# ---------------------------------------------------------------- formats


@pytest.mark.parametrize(("doc", "title", "published", "authors"), [
    (samples.RSS2, "Nissan and Foxconn talk Oppama", date(2024, 3, 16), ("Jo Reporter",)),
    (samples.RSS091, "BYD in Brazil", None, ()),
    (samples.RSS1, "Tesla in Austin", date(2025, 6, 22), ("Ann Lee",)),
    (samples.ATOM, "Honda and Nissan sign MOU", date(2024, 3, 15), ("Zhou Zi Yi",)),
    (samples.JSONFEED, "VinFast in Vietnam", date(2024, 7, 1), ("Mai Nguyen",)),
])
def test_formats(doc: bytes, title: str, published: date | None, authors: tuple[str, ...]) -> None:
    parsed = parse_feed(doc)
    assert parsed.problem is None
    first = parsed.entries[0]
    assert first.title == title
    assert first.published == published
    assert first.authors == authors or (authors and authors[0] in " ".join(first.authors))
    assert first.link and first.link.startswith("https://")
    assert first.guid and first.text


def test_html_becomes_clean_text() -> None:
    entry = parse_feed(samples.RSS2).entries[0]
    assert entry.text == "Nissan is in talks with Foxconn in Japan.\n\nSecond paragraph."
    atom = parse_feed(samples.ATOM).entries[0]
    assert "p{}" not in atom.text and "• batteries" in atom.text
    assert html_to_text("<div>a<script>x()</script>b</div><br>c &amp; d") == "ab\n\nc & d"


def test_local_feed_files_are_sources(tmp_path: Path) -> None:
    for name, doc in [("a.rss", samples.RSS2), ("b.atom", samples.ATOM),
                      ("c.json", samples.JSONFEED), ("d.xml", samples.RSS1)]:
        (tmp_path / name).write_bytes(doc)
    (tmp_path / "junk.xml").write_bytes(b"<html>not a feed</html>")
    lib = build_library(Config(sources=(SourceSpec(tmp_path),), gazetteer=SMALL_GAZETTEER),
                        use_cache=False)
    titles = set(lib.index.articles.titles)
    assert {"Nissan and Foxconn talk Oppama", "CATL expands in Hungary",
            "Honda and Nissan sign MOU", "VinFast in Vietnam", "Tesla in Austin"} <= titles
    assert any("junk.xml" in str(w) for w in lib.warnings)


def test_hostile_xml_is_harmless() -> None:
    start = time.monotonic()
    bomb = parse_feed(samples.BILLION_LAUGHS)
    assert time.monotonic() - start < 30  # generous: a real bomb would not finish at all
    assert all(len(e.title) < 1000 for e in bomb.entries)
    xxe = parse_feed(samples.XXE)
    assert all("root:" not in e.text for e in xxe.entries)


# ---------------------------------------------------------------- fetching


def test_fetch_statuses(server: str) -> None:
    ok = fetch(f"{server}/rss")
    assert ok.status == "fetched" and ok.etag == '"v1"' and b"Oppama" in ok.data
    again = fetch(f"{server}/rss", etag=ok.etag)
    assert again.status == "unchanged"
    assert fetch(f"{server}/missing").reason == "HTTP 404 Not Found"
    assert "timed out" in fetch(f"{server}/slow", timeout=1).reason
    assert "timed out" in fetch(f"{server}/trickle", timeout=1).reason
    assert b"VinFast" in fetch(f"{server}/gzip").data
    assert "larger than" in fetch(f"{server}/huge", max_bytes=100_000).reason
    assert "larger than" in fetch(f"{server}/gzipbomb", max_bytes=100_000).reason
    assert "redirect" in fetch(f"{server}/loop").reason
    assert b"Atom EV" in fetch(f"{server}/hop").data
    assert fetch(f"{server}/to-file").status == "failed"
    assert fetch("file:///etc/passwd").status == "failed"
    assert fetch("http://127.0.0.1:9/").status == "failed"  # nothing listens on port 9


def test_refresh_stores_entries_once_and_one_failure_stops_nothing(
        server: str, tmp_path: Path) -> None:
    urls = ("/rss", "/missing", "/atom", "/malformed", "/gzip", "/bomb", "/xxe")
    settings = FeedSettings(urls=tuple(FeedSpec(f"{server}{u}") for u in urls),
                            file=tmp_path / "feeds.yaml", library=tmp_path / "lib", timeout=5)
    first = {r.url.rsplit("/", 1)[1]: r for r in refresh_feeds(settings)}
    assert first["rss"].status == "new" and first["rss"].new == 2
    assert first["atom"].new == 1 and first["gzip"].new == 1
    assert first["missing"].status == "failed" and "404" in first["missing"].reason
    assert first["malformed"].status == "failed"
    stored = _rows(settings)
    assert len(stored) >= 4
    assert not any("root:" in str(row) for row in stored)
    second = {r.url.rsplit("/", 1)[1]: r for r in refresh_feeds(settings)}
    assert second["rss"].status == "unchanged"  # ETag → 304
    assert second["atom"].new == 0  # re-fetched, nothing new: de-duplicated by GUID
    assert _rows(settings) == stored
    # The library loads from the store, offline.
    cfg = Config(sources=(), feeds=settings, gazetteer=SMALL_GAZETTEER,
                 cache_dir=tmp_path / "cache")
    lib = build_library(cfg)
    art = next(a for a in lib.index.articles if a.title == "Nissan and Foxconn talk Oppama")
    assert art.url == "https://ev.example/a1" and art.published == date(2024, 3, 16)
    assert art.source == f"{server}/rss" and art.publisher == "EV Wire"
    assert lib.index.article_count("company", "Nissan") >= 1


def _rows(settings: FeedSettings) -> list[tuple[object, ...]]:
    import sqlite3
    with contextlib.closing(sqlite3.connect(settings.store)) as conn:
        return sorted(conn.execute("SELECT feed, key, guid, title, link FROM entries"))


# ---------------------------------------------------------------- OPML and config


def test_opml_import_export(tmp_path: Path) -> None:
    cfg_path = tmp_path / "config.yaml"
    original = "# my comments stay\nsources:\n  - https://ev.example/rss\n"
    cfg_path.write_text(original)
    settings = replace(load_config(cfg_path).feeds, file=tmp_path / "feeds.yaml")
    opml = tmp_path / "in.opml"
    opml.write_bytes(samples.OPML)
    added, known = import_opml(opml, settings)
    assert (added, known) == (1, 1)  # ev.example/rss is already in config.yaml
    assert cfg_path.read_text() == original
    assert [f.url for f in read_feeds_file(settings.file)] == ["https://atom.example/feed"]
    assert import_opml(opml, settings) == (0, 2)  # idempotent
    out = export_opml([FeedSpec("https://a.example/x?a=1&b=2", 'Quote "me"')])
    assert 'xmlUrl="https://a.example/x?a=1&amp;b=2"' in out
    (tmp_path / "round.opml").write_text(out)
    fresh = replace(settings, file=tmp_path / "other.yaml", urls=())
    assert import_opml(tmp_path / "round.opml", fresh) == (1, 0)


def test_cli_fetch_and_opml(server: str, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys
    cfg = tmp_path / "config.yaml"
    cfg.write_text(f"sources:\n  - {server}/rss\n  - {server}/missing\n"
                   f"feeds:\n  library: lib\n  file: feeds.yaml\n"
                   f"data_dir: data\ncache_dir: cache\n")
    env = {**os.environ}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "evreader", "--config", str(cfg), *args],
                              capture_output=True, text=True, env=env, timeout=120)
    out = run("fetch")
    assert out.returncode == 1  # one feed failed; the other was still fetched
    assert "2 new" in out.stdout and "failed" in out.stdout and "404" in out.stdout
    listed = json.loads(run("list", "--format", "json").stdout)
    assert "Nissan and Foxconn talk Oppama" in [a["title"] for a in listed]
    opml = run("export-opml")
    assert f"{server}/rss" in opml.stdout
    (tmp_path / "x.opml").write_text("<opml><body><outline xmlUrl='https://z.example/f'/>"
                                     "</body></opml>")
    assert "added 1 feed" in run("import-opml", str(tmp_path / "x.opml")).stdout
    assert "https://z.example/f" in (tmp_path / "feeds.yaml").read_text()
    bad = run("import-opml", str(tmp_path / "missing.opml"))
    assert bad.returncode == 1 and "cannot read" in bad.stderr
