"""Reading state, the query language, related articles, discovered companies, feeds, cache."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from textual.widgets import Static

from evreader.config import Config, FeedSettings, FeedSpec
from evreader.profile import related_articles
from evreader.state import ReadingState
from evreader.tui.app import EvreaderApp
from evreader.tui.widgets.entity_pane import EntityPane
from tests.feeds import samples
from tests.tui.conftest import make_config, settle


def _ids(screen: object) -> list[str]:
    lib = screen.library  # type: ignore[attr-defined]
    return [lib.index.articles.ids[i] for i in screen.articles.rows]  # type: ignore[attr-defined]


async def test_star_read_and_flag_filters_persist(config: Config, tmp_path: Path) -> None:
    app = EvreaderApp(config)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        first = _ids(screen)[0]
        await pilot.press("s")  # star the first article
        await pilot.press("j", "enter")  # open the second: opening reads it
        second = _ids(screen)[1]
        await pilot.press("u")  # ...and u makes it unread again
        await pilot.press("u")  # ...and read
        screen = await settle(pilot)
        await pilot.press("S")  # starred only
        screen = await settle(pilot)
        assert _ids(screen) == [first]
        await pilot.press("S", "U")  # unread only
        screen = await settle(pilot)
        assert second not in _ids(screen) and first in _ids(screen)
    saved = ReadingState(tmp_path / "data" / "state.json")
    assert saved.starred == {first} and saved.read == {second}


async def test_query_language_in_the_search_box(config: Config) -> None:
    app = EvreaderApp(config)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("slash", *"company:nisan -country:china", "enter")
        screen = await settle(pilot)
        lib = screen.library
        assert lib is not None
        names = [lib.index.entity_names(i) for i in range(len(lib.index))]
        expected = {i for i, n in enumerate(names)
                    if "Nissan" in n["company"] and "China" not in n["country"]}
        assert set(screen.articles.rows) == expected and expected
        note = screen.query_one("#search-problems", Static)
        assert "company:nisan → Nissan" in str(note.render())
        await pilot.press("slash", *" compny:x", "enter")
        screen = await settle(pilot)
        note = screen.query_one("#search-problems", Static)
        assert "compny: is not a filter" in str(note.render()) and note.has_class("-error")


async def test_related_articles_and_back(config: Config) -> None:
    app = EvreaderApp(config)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        current = screen.articles.current
        assert current is not None and screen.library is not None
        await pilot.press("R")
        screen = await settle(pilot)
        expected = [i for i, _ in related_articles(screen.library.index, current, limit=50)]
        assert list(screen.articles.rows) == expected and expected
        # Independently of how they are ranked: each shares an entity with it, and it is
        # not its own relation.
        index = screen.library.index
        mine = {(k, n) for k, names in index.entity_names(current).items() for n in names}
        for i in screen.articles.rows:
            theirs = {(k, n) for k, names in index.entity_names(i).items() for n in names}
            assert i != current and mine & theirs
        await pilot.press("escape")
        screen = await settle(pilot)
        assert len(screen.articles.rows) == len(screen.library.index)
        assert screen.articles.current == current  # back on the article R was pressed on


@pytest.fixture
def discovered_config(tmp_path: Path) -> Config:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "q.txt").write_text("Quillon rises\n\nStartup Quillon Motor Corporation (QMC) "
                                  "said QMC will build cars in Japan with Nissan.\n")
    return replace(make_config(tmp_path, sources=(corpus,)),
                   user_entities=tmp_path / "entities.yaml")


async def test_promote_and_ignore_discovered(discovered_config: Config, tmp_path: Path) -> None:
    app = EvreaderApp(discovered_config)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        pane = screen.query_one(EntityPane)
        rows = [r for r in pane.rows if r.section == "discovered" and r.name]
        assert [r.name for r in rows] == ["Quillon Motor Corporation"]
        pane.focus()
        pane.cursor = pane.rows.index(rows[0])
        await pilot.press("P")
        screen = await settle(pilot)
        companies = [r.name for r in pane.rows if r.section == "company"]
        assert "Quillon Motor Corporation" in companies
        assert "Quillon Motor Corporation" in (tmp_path / "entities.yaml").read_text()
    # Next start: it is a gazetteer company; ignoring it hides it for good.
    app = EvreaderApp(discovered_config)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        assert screen.library is not None
        assert screen.library.index.article_count("company", "Quillon Motor Corporation") == 1


class _Feed(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        body = samples.RSS2 if self.path == "/rss" else b""
        self.send_response(200 if body else 404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def feed_url() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Feed)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


async def test_refresh_feeds_adds_articles(config: Config, feed_url: str, tmp_path: Path) -> None:
    feeds = FeedSettings(urls=(FeedSpec(f"{feed_url}/rss"), FeedSpec(f"{feed_url}/gone")),
                         file=tmp_path / "feeds.yaml", library=tmp_path / "lib", timeout=5)
    cfg = replace(config, feeds=feeds)
    app = EvreaderApp(cfg)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        before = len(screen.articles.rows)
        await pilot.press("r")
        screen = await settle(pilot)
        assert len(screen.articles.rows) == before + 2
        assert screen.library is not None
        assert "Nissan and Foxconn talk Oppama" in screen.library.index.articles.titles


async def test_second_start_comes_from_the_cache(tmp_path: Path) -> None:
    cfg = replace(make_config(tmp_path), cache=True)
    async with EvreaderApp(cfg).run_test(size=(120, 40)) as pilot:
        first = await settle(pilot)
        assert first.library is not None and not first.library.from_cache
        first_ids = [first.library.index.articles.ids[i] for i in first.articles.rows]
    async with EvreaderApp(cfg).run_test(size=(120, 40)) as pilot:
        second = await settle(pilot)
        assert second.library is not None and second.library.from_cache
        ids = second.library.index.articles.ids
        assert [ids[i] for i in second.articles.rows] == first_ids
        await pilot.app.workers.wait_for_complete()  # the file check after the first screen
        shown = second.library
        # The library on screen got the checking build's gazetteer and warm search tables.
        assert shown.engine.warmed
        assert getattr(shown.source, "loaded", True)


async def test_help_documents_the_query_language(config: Config) -> None:
    from evreader.tui.screens.help import HelpScreen
    app = EvreaderApp(config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        help_body = app.screen.query_one("#help-body")
        body = " ".join(s.text for s in help_body.render_lines(help_body.region.reset_offset))
        for needle in ("company:nisan", "since:2024-01", "is:unread", '"solid-state battery"'):
            assert needle in body


async def test_palette_offers_profiles(config: Config) -> None:
    from evreader.tui.commands import EvreaderCommands
    from evreader.tui.screens.profile import ProfileScreen
    app = EvreaderApp(config)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        provider = EvreaderCommands(screen)
        hits = [h async for h in provider.search("nisan")]
        profile = next(h for h in hits if str(h.text).startswith("Profile of company: Nissan"))
        profile.command()
        await pilot.pause()
        assert isinstance(app.screen, ProfileScreen)


async def test_theme_from_config(config: Config) -> None:
    app = EvreaderApp(replace(config, theme="nord"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.theme == "nord"
        app.theme = "gruvbox"  # Textual's theme switcher keeps working
        await pilot.pause()
        assert app.theme == "gruvbox"
    app = EvreaderApp(replace(config, theme="no-such-theme"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        notes = " ".join(str(n.message) for n in app._notifications)
        assert "Unknown theme 'no-such-theme'" in notes


async def test_workers_never_print_the_library_they_are_handed(
        config: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    """Textual describes a @work call by repr() of its arguments unless given a
    description; repr of a 100k-article Library took ~0.1 s on every view refresh."""
    from evreader.library import Library

    printed: list[int] = []
    monkeypatch.setattr(Library, "__repr__", lambda self: printed.append(1) or "<library>")
    app = EvreaderApp(config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("S", "S")  # two view refreshes
        await settle(pilot)
        await pilot.press("slash", *"nissan", "enter")
        await settle(pilot)
    assert printed == []
