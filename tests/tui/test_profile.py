"""The entity profile screen: what it shows, its keys, untrusted names, snapshots."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from evreader.config import Config
from evreader.library import Library
from evreader.profile import entity_profile
from evreader.tui.app import EvreaderApp
from evreader.tui.screens.profile import (
    ProfileArticles,
    ProfileCoMentions,
    ProfileScreen,
    TextLine,
)
from tests.conftest import SMALL_GAZETTEER
from tests.tui.conftest import make_config, settle

SnapCompare = Callable[..., bool]
Result = tuple[str, str] | None

EVIL_COMPANY = "Acme [bold]X[/]"
EVIL_TITLE = "Acme [bold]X[/] opens a [link=file:///etc/passwd]plant[/link] [/]"


def shown_text(screen: ProfileScreen) -> str:
    """What the widgets actually render: text lines, co-mention lines, visible list rows."""
    parts = [line.render().plain for line in screen.query(TextLine)]
    for co in screen.query(ProfileCoMentions):
        parts.append(co.render().plain)
    for articles in screen.query(ProfileArticles):
        parts += [articles.render_line(y).text for y in range(articles.size.height)]
    return "\n".join(parts)


async def open_profile(pilot: Pilot[Any], kind: str, name: str,
                       results: list[Result]) -> tuple[Library, ProfileScreen]:
    main = await settle(pilot)
    assert main.library is not None
    screen = ProfileScreen(main.library, kind, name)
    pilot.app.push_screen(screen, results.append)
    await pilot.pause()
    await pilot.pause()
    assert pilot.app.screen is screen
    return main.library, screen


async def test_profile_shows_nissan_and_filters(config: Config) -> None:
    app = EvreaderApp(config)
    results: list[Result] = []
    async with app.run_test(size=(120, 40)) as pilot:
        library, screen = await open_profile(pilot, "company", "Nissan", results)
        profile = entity_profile(library.index, "company", "Nissan", library.gazetteer)
        assert profile is not None
        count = library.index.article_count("company", "Nissan")
        partner = profile.co_mentions["company"][0][0]
        text = shown_text(screen)
        assert f"{count} articles" in text
        assert "Japan" in text
        assert partner in text
        first = library.index.articles[profile.articles[0]].title
        assert first[:30] in text
        await pilot.press("f")
        await pilot.pause()
        assert results == [("company", "Nissan")]
        assert not isinstance(app.screen, ProfileScreen)


async def test_escape_closes_with_none(config: Config) -> None:
    app = EvreaderApp(config)
    results: list[Result] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await open_profile(pilot, "company", "Nissan", results)
        await pilot.press("j", "k", "pagedown", "end", "home")  # scrolling keeps it open
        assert isinstance(app.screen, ProfileScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert results == [None]
        assert not isinstance(app.screen, ProfileScreen)


async def test_unknown_entity(config: Config) -> None:
    app = EvreaderApp(config)
    results: list[Result] = []
    async with app.run_test(size=(80, 24)) as pilot:
        _, screen = await open_profile(pilot, "company", "Nobody [b]Inc[/b]", results)
        assert screen.profile is None
        assert "No articles mention Nobody [b]Inc[/b]" in shown_text(screen)
        await pilot.press("f")  # nothing to filter by: stays open
        await pilot.pause()
        assert results == []
        await pilot.press("q")
        await pilot.pause()
        assert results == [None]
        assert not isinstance(app.screen, ProfileScreen)


def evil_company_config(tmp_path: Path) -> Config:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "acme.txt").write_text(
        f"{EVIL_TITLE}\n\n{EVIL_COMPANY} said it will build batteries in Japan with Nissan.\n",
        encoding="utf-8")
    config = make_config(tmp_path, sources=(corpus,))
    company = {"name": EVIL_COMPANY, "country": "Japan", "aliases": ["Acme [i]Co[/i]"]}
    return replace(config, gazetteer=replace(
        SMALL_GAZETTEER, companies=(*SMALL_GAZETTEER.companies, company)))


async def test_markup_in_names_and_titles_is_literal(tmp_path: Path) -> None:
    app = EvreaderApp(evil_company_config(tmp_path))
    results: list[Result] = []
    async with app.run_test(size=(120, 40)) as pilot:
        library, screen = await open_profile(pilot, "company", EVIL_COMPANY, results)
        assert library.index.article_count("company", EVIL_COMPANY) == 1
        text = shown_text(screen)
        assert EVIL_COMPANY in text
        assert "Acme [i]Co[/i]" in text
        assert "[link=file:///etc/passwd]plant[/link]" in text
        await pilot.press("enter")
        await pilot.pause()
        assert results == [("company", EVIL_COMPANY)]
        # and the other way round: the evil company as a co-mention of Nissan
        _, nissan = await open_profile(pilot, "company", "Nissan", results)
        assert EVIL_COMPANY in shown_text(nissan)


def app_for(tmp_path: Path) -> EvreaderApp:
    config = make_config(tmp_path)
    return EvreaderApp(replace(config, export=replace(config.export,
                                                      path=Path("/notes/evreader.md"))))


async def show_nissan(pilot: Pilot[Any]) -> None:
    main = await settle(pilot)
    assert main.library is not None
    pilot.app.push_screen(ProfileScreen(main.library, "company", "Nissan"))
    await pilot.pause()
    await pilot.pause()


def test_profile_wide(snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_compare(app_for(tmp_path), terminal_size=(120, 40), run_before=show_nissan)


def test_profile_narrow(snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_compare(app_for(tmp_path), terminal_size=(80, 24), run_before=show_nissan)


async def test_long_list_scrolls_without_a_widget_per_article(config: Config) -> None:
    app = EvreaderApp(config)
    async with app.run_test(size=(80, 24)) as pilot:
        main = await settle(pilot)
        assert main.library is not None
        screen = ProfileScreen(main.library, "company", "Nissan")
        assert screen.profile is not None
        screen.profile.articles = screen.profile.articles * 25_000  # 100k rows
        app.push_screen(screen)
        await pilot.pause()
        await pilot.pause()
        articles = screen.query_one(ProfileArticles)
        assert articles.virtual_size.height == 100_000
        assert len(screen.query("*")) < 20
        await pilot.press("j", "j", "k")
        assert articles.scroll_y == 1
        await pilot.press("end")
        assert articles.scroll_y == articles.max_scroll_y > 0
        await pilot.press("home")
        assert articles.scroll_y == 0
