"""Behaviour of the reader driven through Pilot.

Every expectation is known without asking the code the screen itself calls: the
number of seed files' articles, words found by scanning the article texts, the
entities each article names, dates compared in Python. (A test whose oracle is
the same `Library.select` the screen makes cannot fail when the screen is wrong.)
"""

from __future__ import annotations

from pathlib import Path

from evreader.config import Config
from evreader.index.corpus import CorpusIndex
from evreader.textsafe import one_line
from evreader.tui.app import EvreaderApp
from evreader.tui.screens.article import ArticleScreen
from evreader.tui.screens.help import HelpScreen
from evreader.tui.screens.main import MainScreen
from evreader.tui.screens.picker import PickerScreen
from evreader.tui.widgets.entity_pane import EntityPane
from evreader.tui.widgets.reader import Reader
from tests.tui.conftest import EVIL_BODY, EVIL_TITLE, make_config, settle

SEED_ARTICLES = 22  # the bundled seeds (tests/cli asserts the same of `evreader list`)


def index_of(screen: MainScreen) -> CorpusIndex:
    assert screen.library is not None
    return screen.library.index


def titles(screen: MainScreen) -> list[str]:
    index = index_of(screen)
    return [index.articles.titles[i] for i in screen.articles.rows]


def mentioning(index: CorpusIndex, kind: str, name: str) -> set[int]:
    """Articles naming an entity, from each article's own mentions."""
    return {i for i in range(len(index)) if name in index.entity_names(i)[kind]}


def containing(index: CorpusIndex, word: str) -> set[int]:
    """Articles whose title or text contains `word` (any case), by scanning them."""
    return {i for i in range(len(index))
            if word in f"{index.articles[i].title} {index.articles[i].text}".casefold()}


def pane_counts(screen: MainScreen) -> dict[tuple[str, str], int]:
    return {(r.kind, r.name): r.count for r in screen.query_one(EntityPane).rows
            if r.name and r.section in ("company", "country", "theme", "person")}


def counted(index: CorpusIndex, rows: set[int]) -> dict[tuple[str, str], int]:
    """Articles per entity among `rows`, counted article by article."""
    out: dict[tuple[str, str], int] = {}
    for i in rows:
        for kind, names in index.entity_names(i).items():
            for name in names:
                out[(kind, name)] = out.get((kind, name), 0) + 1
    return out


async def test_loads_and_lists_everything_newest_first(config: Config) -> None:
    app = EvreaderApp(config)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        assert len(screen.articles.rows) == SEED_ARTICLES
        index = index_of(screen)
        dates = [index.articles[i].published for i in screen.articles.rows]
        dated = [d for d in dates if d is not None]
        assert dated == sorted(dated, reverse=True)
        assert dates[len(dated):] == [None] * (len(dates) - len(dated))  # undated last


async def test_search_narrows_the_list(config: Config) -> None:
    app = EvreaderApp(config)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("slash", *"robotaxi", "enter")
        screen = await settle(pilot)
        expected = containing(index_of(screen), "robotaxi")
        assert 0 < len(expected) < SEED_ARTICLES
        assert set(screen.articles.rows) == expected
        await pilot.press("slash", "escape")
        screen = await settle(pilot)
        assert screen.search_text == ""
        assert len(screen.articles.rows) == SEED_ARTICLES


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
        expected = mentioning(index_of(screen), "company", "Nissan")
        assert set(screen.articles.rows) == expected and 0 < len(expected) < SEED_ARTICLES


async def test_entity_toggle_counts_and_clearing(config: Config) -> None:
    app = EvreaderApp(config)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        index = index_of(screen)
        everything = set(range(len(index)))
        assert pane_counts(screen) == counted(index, everything)
        pane = screen.query_one(EntityPane)
        pane.focus()
        nissan = next(n for n, r in enumerate(pane.rows) if r.name == "Nissan")
        pane.cursor = nissan
        await pilot.press("enter")
        screen = await settle(pilot)
        assert screen.filters.entities == (("company", "Nissan"),)
        listed = mentioning(index, "company", "Nissan")
        assert set(screen.articles.rows) == listed
        # Other kinds are counted among the listed articles; companies (the kind
        # filtered by) keep their counts over everything, so a second one can be added.
        counts = pane_counts(screen)
        for (kind, name), n in counted(index, listed).items():
            if kind != "company":
                assert counts[(kind, name)] == n, (kind, name)
        for (kind, name), n in counted(index, everything).items():
            if kind == "company":
                assert counts[(kind, name)] == n, name
        assert any(r.active for r in pane.rows)
        # a second filter of another kind, through the general picker: AND
        await pilot.press("f", *"japan", "enter")
        screen = await settle(pilot)
        assert len(screen.filters.entities) == 2
        assert set(screen.articles.rows) == listed & mentioning(index, "country", "Japan")
        await pilot.press("backspace")
        screen = await settle(pilot)
        assert screen.filters.entities == (("company", "Nissan"),)
        pane.focus()
        pane.cursor = next(n for n, r in enumerate(pane.rows) if r.name == "Nissan")
        await pilot.press("enter")  # Enter on the same (active) entity toggles it off
        screen = await settle(pilot)
        assert screen.filters.entities == ()
        await pilot.press("enter", "X")
        screen = await settle(pilot)
        assert not screen.filters.active
        assert len(screen.articles.rows) == SEED_ARTICLES


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
    text = written[len(earlier):].decode()
    for i in chosen:
        assert one_line(index_of(screen).articles[i].title) in text
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
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_markup_in_articles_is_shown_literally(evil_config: Config) -> None:
    app = EvreaderApp(evil_config)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        assert titles(screen) == [EVIL_TITLE]
        reader = screen.query_one(Reader)
        shown = " ".join(reader.text_lines())
        assert EVIL_TITLE in shown and " ".join(EVIL_BODY.split()) in " ".join(shown.split())
        row = screen.articles.render_line(0).text
        assert "[bold]x[/]" in row
        await pilot.press("enter", "c", *"nissan", "enter")
        screen = await settle(pilot)
        assert titles(screen) == [EVIL_TITLE]
        assert "[bold]" in " ".join(reader.render_line(y).text for y in range(5))
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
        second = screen.articles.rows[1]
        assert app.screen.article == second
        shown = app.screen.query_one(Reader).text_lines()
        assert shown[0] == one_line(index_of(screen).articles[second].title)[:len(shown[0])]
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
