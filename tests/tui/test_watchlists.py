"""Watchlists in the reader: the entity pane's section with new and unread counts,
Enter applies one (and visits it), ctrl+s saves the search, d deletes a saved one,
the palette applies any; every problem said in full, names shown literally."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from evreader.config import Config, parse_config
from evreader.library import build_library
from evreader.state import datetime_to_us
from evreader.tui.app import EvreaderApp
from evreader.tui.commands import EvreaderCommands
from evreader.tui.screens.confirm import ConfirmScreen
from evreader.tui.screens.main import MainScreen
from evreader.tui.screens.watchlist import WatchlistSaveScreen
from evreader.tui.widgets.entity_pane import EntityPane
from evreader.tui.widgets.search_bar import SearchBar
from evreader.watchlists import SAVED_NAME
from tests.tui.conftest import LOOP, make_config, settle

CONFIG_WATCHLISTS = ("watchlists:\n"
                     "  Nissan Japan: company:nisan country:japan\n"
                     "  Charging: theme:charging\n")
PAST = datetime_to_us(datetime(2025, 1, 6, 9, 0).astimezone())


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(LOOP, folder)
    return folder


@pytest.fixture
def watch_config(tmp_path: Path, corpus: Path) -> Config:
    """Two watchlists in config.yaml and one saved; visited once in the past, then a
    Nissan article arrived: 1 new on "Nissan Japan"."""
    path = tmp_path / "config.yaml"
    path.write_text(CONFIG_WATCHLISTS, encoding="utf-8")
    config = replace(make_config(tmp_path, sources=(corpus,)),
                     watchlists=parse_config(CONFIG_WATCHLISTS, path).watchlists, path=path)
    config.data_dir.mkdir(parents=True)
    (config.data_dir / SAVED_NAME).write_text('"[bold]Tesla[/]": company:tesla\n',
                                              encoding="utf-8")
    before = build_library(config)
    before.observed_at = PAST
    before.watch_overview()  # what is there now is not new
    (corpus / "nissan-kyushu.md").write_text(
        "---\ntitle: Nissan adds EV line in Kyushu\ndate: 2024-12-01\n---\n\n"
        "Nissan will build electric cars at its Kyushu plant in Japan.\n", encoding="utf-8")
    return config


def pane(screen: MainScreen) -> EntityPane:
    return screen.query_one(EntityPane)


def counts(screen: MainScreen) -> dict[str, tuple[int, int]]:
    return {s.watchlist.name: (s.counts.new, s.counts.unread) for s in screen.watch_statuses}


def pane_text(screen: MainScreen) -> list[str]:
    entities = pane(screen)
    return ["".join(s.text for s in [entities.render_line(y)]).rstrip()
            for y in range(min(8, len(entities.rows)))]


async def test_the_pane_lists_watchlists_with_new_and_unread(watch_config: Config) -> None:
    app = EvreaderApp(watch_config)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        assert counts(screen) == {"Nissan Japan": (1, 3), "Charging": (0, 2),
                                  "[bold]Tesla[/]": (0, 1)}
        lines = pane_text(screen)
        assert lines[0].startswith("Watchlists 3")
        assert lines[1:3] == ["◆ Nissan Japan", "  1 new · 3 unread"]
        assert lines[5] == "◆ [bold]Tesla[/]"  # literally, never markup
        assert pane(screen).current is not None and pane(screen).current.name == "Nissan Japan"


async def test_enter_applies_a_watchlist_and_its_new_count_drops(
        watch_config: Config) -> None:
    app = EvreaderApp(watch_config)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("shift+tab")  # the list → the entity pane
        assert screen.focused is pane(screen)
        await pilot.press("enter")
        screen = await settle(pilot)
        bar = screen.query_one(SearchBar)
        assert bar.is_open and bar.field.value == "company:nisan country:japan"
        assert screen.view is not None and screen.view.watchlist == "Nissan Japan"
        assert screen.view.filters.entities == (("company", "Nissan"), ("country", "Japan"))
        titles = {screen.library.index.articles.titles[i]  # type: ignore[union-attr]
                  for i in screen.articles.rows}
        assert "Nissan adds EV line in Kyushu" in titles and len(titles) == 3
        assert counts(screen)["Nissan Japan"] == (0, 3)  # visited: nothing new now
        assert pane_text(screen)[1:3] == ["✓ Nissan Japan", "  0 new · 3 unread"]
        # Reading one of its articles lowers its unread count.
        await pilot.press("escape")  # the pane → the list
        await pilot.press("enter")
        await pilot.pause(0.6)
        screen = await settle(pilot)
        assert counts(screen)["Nissan Japan"] == (0, 2)
    # The visit was saved: a new reader finds nothing new on it.
    app = EvreaderApp(watch_config)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        assert counts(screen)["Nissan Japan"] == (0, 2)


async def test_the_palette_applies_a_watchlist(watch_config: Config) -> None:
    app = EvreaderApp(watch_config)
    async with app.run_test(size=(80, 24)) as pilot:  # narrow: no pane, the palette
        screen = await settle(pilot)
        provider = EvreaderCommands(screen)
        hits = [h async for h in provider.search("charging")]
        hit = next(h for h in hits if h.text == "Watchlist: Charging")
        assert hit.help == "0 new · 2 unread"
        hit.command()
        screen = await settle(pilot)
        assert screen.query_one(SearchBar).field.value == "theme:charging"
        assert screen.view is not None and screen.view.watchlist == "Charging"
        shown = [h async for h in provider.search("bold")]
        assert any(h.text == "Watchlist: [bold]Tesla[/]" and
                   str(h.prompt) == "Watchlist: [bold]Tesla[/]" for h in shown)


async def test_save_the_search_as_a_watchlist(watch_config: Config) -> None:
    app = EvreaderApp(watch_config)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("slash", *"company:honda", "ctrl+s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, WatchlistSaveScreen)
        name = dialog.query_one("#watch-save-name", Input)
        assert name.value == "honda"  # offered from the query
        await pilot.press("ctrl+u", *"Honda watch", "enter")
        screen = await settle(pilot)
        assert not isinstance(app.screen, WatchlistSaveScreen)
        assert "Honda watch: company:honda" in (
            watch_config.data_dir / SAVED_NAME).read_text(encoding="utf-8")
        assert "Honda watch" in counts(screen)
        assert screen.view is not None and screen.view.watchlist == "Honda watch"


async def test_saving_says_what_is_wrong_and_stays_open(watch_config: Config) -> None:
    app = EvreaderApp(watch_config)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+s")  # nothing to save yet: said, no dialog
        await pilot.pause()
        assert not isinstance(app.screen, WatchlistSaveScreen)
        assert any("Type a query in the search box first" in str(n.message)
                   for n in app._notifications)
        await pilot.press("slash", *"theme:charging", "ctrl+s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, WatchlistSaveScreen)
        error = dialog.query_one("#watch-save-error", Static)

        async def submit(name: str) -> str:
            await pilot.press("ctrl+u", *name, "enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert app.screen is dialog and error.display
            return str(error.render())

        assert "a watchlist needs a name" in await submit("  ")
        said = await submit("nissan japan")  # config.yaml's
        assert "already a watchlist named 'Nissan Japan', in" in said
        assert "config.yaml:2; choose another name" in said
        said = await submit("[BOLD]tesla[/]")  # a saved one, case aside
        assert "already a saved watchlist named '[bold]Tesla[/]' (company:tesla)" in said
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        await pilot.press("ctrl+u", *"compny:honda", "ctrl+s")  # a query it cannot be
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, WatchlistSaveScreen)
        error = dialog.query_one("#watch-save-error", Static)
        said = await submit("typo")
        assert "compny" in said and "Traceback" not in said
        assert "typo" not in (watch_config.data_dir / SAVED_NAME).read_text()


async def test_delete_a_saved_watchlist_after_a_yes(watch_config: Config) -> None:
    app = EvreaderApp(watch_config)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("shift+tab", "j", "j")
        assert pane(screen).current is not None
        assert pane(screen).current.name == "[bold]Tesla[/]"
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # no: kept
        screen = await settle(pilot)
        assert "[bold]Tesla[/]" in counts(screen)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        screen = await settle(pilot)
        assert list(counts(screen)) == ["Nissan Japan", "Charging"]
        assert "Tesla" not in (watch_config.data_dir / SAVED_NAME).read_text()


async def test_a_config_watchlist_cannot_be_deleted_from_the_reader(
        watch_config: Config) -> None:
    app = EvreaderApp(watch_config)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("shift+tab", "d")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
        said = [str(n.message) for n in app._notifications]
        assert any("'Nissan Japan' is defined in" in m and "config.yaml:2: remove it there"
                   in m for m in said)
        assert "Nissan Japan" in counts(screen)
        assert watch_config.path is not None
        assert watch_config.path.read_text() == CONFIG_WATCHLISTS


async def test_the_keys_follow_the_keymap_and_sections_jump(watch_config: Config) -> None:
    config = replace(watch_config, keymap={"save-watchlist": "ctrl+o",
                                           "delete-watchlist": "x"})
    app = EvreaderApp(config)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("shift+tab", "right_square_bracket")  # Watchlists → Companies
        assert pane(screen).current is not None and pane(screen).current.kind == "company"
        await pilot.press("left_square_bracket")
        assert pane(screen).current is not None
        assert pane(screen).current.name == "Nissan Japan"
        await pilot.press("j", "j", "x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("slash", *"company:honda", "ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, WatchlistSaveScreen)


async def test_no_watchlists_no_section(tmp_path: Path) -> None:
    app = EvreaderApp(make_config(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        assert screen.watch_statuses == []
        assert all(r.kind != "watchlists" for r in pane(screen).rows)


# ---------------------------------------------------------------- what it looks like


def snap_app(config: Config) -> EvreaderApp:
    return EvreaderApp(replace(config, theme="textual-dark"))


def test_snapshot_the_pane_after_applying(snap_compare: Callable[..., bool],
                                          watch_config: Config) -> None:
    """120×40: the Watchlists section above Companies, one applied (✓, 0 new), its
    query in the search box, a literal `[bold]` name truncated."""
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("shift+tab", "j", "enter")
        await settle(pilot)
        pilot.app.clear_notifications()  # their text holds the time of the run
        await pilot.pause()
    assert snap_compare(snap_app(watch_config), terminal_size=(120, 40),
                        run_before=run_before)


def test_snapshot_the_save_dialog_with_an_error(snap_compare: Callable[..., bool],
                                                watch_config: Config) -> None:
    """80×24: the dialog with its query and the whole error, wrapped; the name in
    the way shown literally."""
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("slash", *"theme:charging", "ctrl+s")
        await pilot.pause()
        await pilot.press("ctrl+u", *"[BOLD]tesla[/]", "enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    assert snap_compare(snap_app(watch_config), terminal_size=(80, 24),
                        run_before=run_before)
