"""Behaviour of the reader driven through Pilot, checked against the core's own answers."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from evreader.config import Config
from evreader.models import Filters
from evreader.textsafe import one_line
from evreader.tui.app import EvreaderApp
from evreader.tui.screens.article import ArticleScreen
from evreader.tui.screens.help import HelpScreen
from evreader.tui.screens.main import MainScreen
from evreader.tui.screens.picker import PickerScreen
from evreader.tui.widgets.entity_pane import EntityPane
from evreader.tui.widgets.reader import Reader
from tests.tui.conftest import EVIL_BODY, EVIL_TITLE, make_config, settle


def titles(screen: MainScreen, rows: list[int] | None = None) -> list[str]:
    assert screen.library is not None
    rows = list(screen.articles.rows) if rows is None else rows
    return [screen.library.index.articles[i].title for i in rows]


def pane_counts(screen: MainScreen) -> dict[tuple[str, str], int]:
    return {(r.kind, r.name): r.count for r in screen.query_one(EntityPane).rows
            if r.name and r.section != "discovered"}


def core_counts(screen: MainScreen, filters: Filters) -> dict[tuple[str, str], int]:
    assert screen.library is not None
    index = screen.library.index
    counts = index.facet_counts(screen.library.mask(filters))
    return {(e.kind, e.name): int(counts[e.id]) for e in index.entities
            if not e.discovered and counts[e.id] > 0}


async def test_loads_and_lists_everything(config: Config) -> None:
    app = EvreaderApp(config)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        assert screen.library is not None
        assert titles(screen) == titles(screen, screen.library.select(Filters()))
        assert len(screen.articles.rows) == len(screen.library.index) > 5


async def test_search_narrows_the_list(config: Config) -> None:
    app = EvreaderApp(config)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("slash", *"robotaxi", "enter")
        screen = await settle(pilot)
        assert screen.library is not None
        expected = screen.library.select(Filters(query="robotaxi"))
        assert 0 < len(expected) < len(screen.library.index)
        assert titles(screen) == titles(screen, expected)
        await pilot.press("slash", "escape")
        screen = await settle(pilot)
        assert screen.filters.query == ""
        assert screen.library is not None
        assert len(screen.articles.rows) == len(screen.library.index)


async def test_company_picker_finds_nissan_from_a_typo(config: Config) -> None:
    app = EvreaderApp(config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("c", *"nisan")
        assert isinstance(app.screen, PickerScreen)
        assert app.screen.choices[0] == ("company", "Nissan")
        await pilot.press("enter")
        screen = await settle(pilot)
        assert screen.filters.entities == (("company", "Nissan"),)
        assert screen.library is not None
        expected = screen.library.select(Filters(entities=(("company", "Nissan"),)))
        assert titles(screen) == titles(screen, expected)
        assert len(expected) < len(screen.library.index)


async def test_entity_toggle_counts_and_clearing(config: Config) -> None:
    app = EvreaderApp(config)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        assert pane_counts(screen) == core_counts(screen, Filters())
        pane = screen.query_one(EntityPane)
        pane.focus()
        first = pane.current
        assert first is not None and first.name is not None
        await pilot.press("enter")
        screen = await settle(pilot)
        assert screen.filters.entities == ((first.kind, first.name),)
        assert pane_counts(screen) == core_counts(screen, screen.filters)
        assert pane_counts(screen) != core_counts(screen, Filters())
        assert any(r.active for r in pane.rows)
        # a second filter of another kind, through the general picker
        await pilot.press("f", *"japan", "enter")
        screen = await settle(pilot)
        assert len(screen.filters.entities) == 2
        assert pane_counts(screen) == core_counts(screen, screen.filters)
        await pilot.press("backspace")
        screen = await settle(pilot)
        assert screen.filters.entities == ((first.kind, first.name),)
        await pilot.press("enter")  # Enter on the same (active) entity toggles it off
        screen = await settle(pilot)
        assert screen.filters.entities == ()
        await pilot.press("enter", "X")
        screen = await settle(pilot)
        assert not screen.filters.active
        assert screen.library is not None
        assert len(screen.articles.rows) == len(screen.library.index)


async def test_select_three_and_export_appends(config: Config, tmp_path: Path) -> None:
    note = tmp_path / "notes.md"
    earlier = "# My notes\n\nSomething I wrote — with ünïcode and [brackets]\n".encode()
    note.write_bytes(earlier)
    app = EvreaderApp(config)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("space", "space", "space")
        chosen = sorted(screen.articles.selected)
        assert len(chosen) == 3
        await pilot.press("e")
        await pilot.pause()
        assert app.screen.query_one("#export-path").value == str(note)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot)
    written = note.read_bytes()
    assert written.startswith(earlier)
    assert screen.library is not None
    text = written[len(earlier):].decode()
    for i in chosen:
        assert one_line(screen.library.index.articles[i].title) in text
    assert "3 articles" in text


async def test_export_error_is_a_toast_not_a_crash(config: Config, tmp_path: Path) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    app = EvreaderApp(config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        field = app.screen.query_one("#export-path")
        field.value = str(folder)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot)
        assert any(n.severity == "error" for n in app._notifications)
        assert isinstance(app.screen, MainScreen)


async def test_help_opens_and_closes(config: Config) -> None:
    app = EvreaderApp(config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        body = app.screen.query_one("#help-body", Static)
        assert "toggle-select" in str(body.render())
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_markup_in_articles_is_shown_literally(evil_config: Config) -> None:
    app = EvreaderApp(evil_config)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        assert titles(screen) == [EVIL_TITLE]
        body = str(screen.query_one(Reader).query_one(".reader-body", Static).render())
        assert EVIL_TITLE in body
        assert EVIL_BODY in body
        row = screen.articles.render_line(0).text
        assert "[bold]x[/]" in row
        await pilot.press("enter", "c", *"nissan", "enter")
        screen = await settle(pilot)
        assert titles(screen) == [EVIL_TITLE]
        assert "[bold]" in str(screen.query_one(Reader).query_one(".reader-body",
                                                                  Static).render())
        svg = app.export_screenshot()  # rendering the whole screen must not raise
        assert "[bold]x[/]" in svg.replace("&#160;", " ")


async def test_keymap_from_config_remaps_a_binding(tmp_path: Path) -> None:
    app = EvreaderApp(make_config(tmp_path, keymap={"toggle-select": "t"}))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("space")
        assert len(screen.articles.selected) == 0
        await pilot.press("t")
        assert len(screen.articles.selected) == 1


async def test_narrow_layout_hides_panes_and_pushes_the_reader(config: Config) -> None:
    app = EvreaderApp(config)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await settle(pilot)
        assert screen.has_class("-narrow")
        assert not screen.query_one(EntityPane).display
        assert not screen.query_one("#reader").display
        assert screen.articles.display
        await pilot.press("j", "enter")
        assert isinstance(app.screen, ArticleScreen)
        assert app.screen.article == screen.articles.current
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)

