"""The daily reading loop (issue 22), through Pilot, on tests/loop_corpus: nine
articles from six publishers, two undated. What each test expects is written in
those files (titles, dates, publishers) or counted from the articles' own
mentions, never asked of the code the screen calls."""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from pathlib import Path

import pytest
from textual.color import Color
from textual.theme import BUILTIN_THEMES
from textual.widgets import OptionList, Static

from evreader import browser
from evreader.config import Config, SourceSpec
from evreader.tui.app import EvreaderApp
from evreader.tui.palette import MIN_CONTRAST, MIN_DISTANCE, contrast, distance, entity_variables
from evreader.tui.screens.article import ArticleScreen
from evreader.tui.screens.export import ExportScreen
from evreader.tui.screens.help import HelpScreen
from evreader.tui.screens.main import MainScreen
from evreader.tui.screens.picker import PickerScreen
from evreader.tui.screens.profile import ProfileScreen, TextLine
from evreader.tui.widgets.entity_pane import EntityPane
from evreader.tui.widgets.filter_bar import FilterBar
from evreader.tui.widgets.reader import Reader
from tests.core.test_reading_loop import DATED_NEWEST_FIRST, PUBLISHED, UNDATED
from tests.tui.conftest import make_config, settle

DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2}|undated)\b")
NISSAN_OPPAMA = "Nissan in talks to let Foxconn build EVs at its Oppama plant"


def shown_titles(screen: MainScreen) -> list[str]:
    assert screen.library is not None
    return [screen.library.index.articles.titles[i] for i in screen.articles.rows]


def visible_rows(screen: MainScreen) -> list[str]:
    lst = screen.articles
    return [lst.render_line(y).text for y in range(min(lst.size.height, len(lst.rows)))]


def bar_text(screen: MainScreen) -> str:
    return screen.query_one(FilterBar).render().plain


async def goto(pilot: object, screen: MainScreen, title: str) -> None:
    screen.articles.cursor = shown_titles(screen).index(title)
    await pilot.pause()  # type: ignore[attr-defined]


# ---------------------------------------------------------------- the list


@pytest.mark.parametrize("size", [(120, 12), (120, 40), (100, 30), (80, 24)])
async def test_every_width_shows_the_date(loop_config: Config, size: tuple[int, int]) -> None:
    app = EvreaderApp(loop_config)
    async with app.run_test(size=size) as pilot:
        screen = await settle(pilot)
        rows = visible_rows(screen)
        assert rows
        titles = shown_titles(screen)
        for n, row in enumerate(rows):
            date = PUBLISHED[titles[n]][0] or "undated"
            assert DATE.findall(row)[:1] == [date], row  # the right one, never made up
        if size[1] == 12:
            assert screen.articles.show_vertical_scrollbar  # dates stay with a scrollbar


async def test_publisher_in_the_list_and_the_reader(loop_config: Config) -> None:
    app = EvreaderApp(loop_config)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await settle(pilot)
        for title, row in zip(shown_titles(screen), visible_rows(screen), strict=False):
            publisher = PUBLISHED[title][1]
            if publisher:
                assert publisher[:8] in row, (publisher, row)
            assert ".md" not in row and "briefs" not in row  # never a file name
    app = EvreaderApp(loop_config)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        reader = screen.query_one(Reader)
        assert "2025-07-07 · Daniel Leussink · Reuters" in reader.text_lines()[:4]
        await goto(pilot, screen, "GM and Ford weigh cheaper batteries for US trucks")
        assert "undated · file: clipping-gm-battery.txt" in reader.text_lines()[:4]


async def test_sources_facet_and_query(loop_config: Config) -> None:
    cnevpost = sorted(t for t, (_, p) in PUBLISHED.items() if p == "CnEVPost")
    app = EvreaderApp(loop_config)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        pane = screen.query_one(EntityPane)
        sources = {r.name: r.count for r in pane.rows if r.section == "source" and r.name}
        assert sources == {p: sum(1 for _, q in PUBLISHED.values() if q == p)
                           for _, p in PUBLISHED.values() if p}
        pane.focus()
        pane.cursor = next(n for n, r in enumerate(pane.rows) if r.name == "CnEVPost")
        await pilot.press("enter")
        screen = await settle(pilot)
        assert sorted(shown_titles(screen)) == cnevpost
        assert "source: CnEVPost" in bar_text(screen)
        await pilot.press("X", "slash", *"source:cnevpst", "enter")
        screen = await settle(pilot)
        assert sorted(shown_titles(screen)) == cnevpost


# ---------------------------------------------------------------- sort


async def test_sort_cycles_and_undated_come_last(loop_config: Config) -> None:
    app = EvreaderApp(loop_config)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        assert shown_titles(screen)[:7] == DATED_NEWEST_FIRST
        await pilot.press("O")
        screen = await settle(pilot)
        assert shown_titles(screen)[:7] == DATED_NEWEST_FIRST[::-1]
        assert set(shown_titles(screen)[7:]) == UNDATED
        assert "oldest first" in str(screen.query_one("#middle").border_title)
        assert screen.articles.cursor == 0
        await pilot.press("O", "O")
        screen = await settle(pilot)
        assert shown_titles(screen) == sorted(PUBLISHED, key=str.casefold)
    from dataclasses import replace
    app = EvreaderApp(replace(loop_config, sort="source"))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        publishers = [PUBLISHED[t][1] for t in shown_titles(screen)]
        assert publishers[0] == "bloomberg.com" and publishers[-1] == ""


# ---------------------------------------------------------------- search hits


async def test_search_hits_are_marked_and_n_steps_through_them(tmp_path: Path) -> None:
    corpus = tmp_path / "long"
    corpus.mkdir()
    filler = "Plain words about nothing in particular fill this paragraph. " * 8
    body = "\n\n".join([filler] * 30 + ["A recall was announced."] + [filler] * 30
                       + ["The second recall came later."])
    (corpus / "long.txt").write_text(f"Honda recall story\n\n{body}\n")
    (corpus / "other.txt").write_text("Tesla opens a plant\n\nTesla opened a plant.\n")
    app = EvreaderApp(make_config(tmp_path, sources=(corpus,)))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"recal", "enter")  # a typo finds "recall"
        screen = await settle(pilot)
        assert shown_titles(screen) == ["Honda recall story"]
        row = screen.articles.render_line(0)
        hit_style = screen.articles.get_component_rich_style("article-list--hit", partial=True)
        assert any(seg.text == "recall" and seg.style and seg.style.underline
                   for seg in row)  # marked in the list's title
        await pilot.press("enter")
        reader = screen.query_one(Reader)
        assert reader.has_focus and hit_style.underline
        hits = reader.hits()
        assert len(hits) == 3  # title, and twice in the body
        assert reader.scroll_offset.y == 0
        await pilot.press("n", "n")
        assert reader.current_hit == hits[1][:2]
        assert reader.scroll_offset.y > 20  # scrolled down to the first body hit
        assert "hit 2 of 3" in str(reader.border_subtitle)
        await pilot.press("n")
        far = reader.scroll_offset.y
        assert far > 40 and reader.current_hit == hits[2][:2]
        await pilot.press("N")
        assert reader.current_hit == hits[1][:2] and reader.scroll_offset.y < far


# ---------------------------------------------------------------- reading on


async def test_next_article_in_the_reader_marks_read(loop_config: Config) -> None:
    app = EvreaderApp(loop_config)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        assert bar_text(screen).endswith("9 articles, 2 undated · 9 unread")
        await pilot.press("enter")
        reader = screen.query_one(Reader)
        assert reader.has_focus and "8 unread" in bar_text(screen)
        await pilot.press("J")
        assert reader.has_focus  # still reading
        titles = shown_titles(screen)
        assert reader.article == screen.articles.rows[1]
        assert reader.text_lines()[0] == titles[1][:len(reader.text_lines()[0])]
        assert "7 unread" in bar_text(screen)
        await pilot.press("K")
        assert reader.article == screen.articles.rows[0] and "7 unread" in bar_text(screen)


async def test_full_screen_article_keys(loop_config: Config,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(browser, "why_not", lambda: "no browser here (no display)")
    app = EvreaderApp(loop_config)
    async with app.run_test(size=(80, 24)) as pilot:
        main = await settle(pilot)
        assert main.library is not None and main.library.state is not None
        state, ids = main.library.state, main.library.index.articles.ids
        await pilot.press("enter")
        view = app.screen
        assert isinstance(view, ArticleScreen) and view.article == main.articles.rows[0]
        first = ids[main.articles.rows[0]]
        assert state.is_read(first)
        await pilot.press("J")  # next article, read, without leaving
        assert isinstance(app.screen, ArticleScreen)
        assert view.article == main.articles.rows[1] and state.is_read(ids[view.article])
        await pilot.press("K", "s")
        assert state.is_starred(first) and "★ starred" in view.query_one(Reader).text_lines()[1]
        await pilot.press("u")
        assert not state.is_read(first)
        await pilot.press("y")
        assert NISSAN_OPPAMA in app.clipboard
        await pilot.press("o")
        told = str(app._notifications.last.message) if hasattr(
            app._notifications, "last") else " ".join(str(n.message) for n in app._notifications)
        notes = " ".join(str(n.message) for n in app._notifications)
        assert "no browser here" in notes.casefold() and "press y to copy" in notes.casefold()
        assert told
        await pilot.press("e")
        assert isinstance(app.screen, ExportScreen)
        summary = app.screen.query_one("#export-summary", Static).render()
        assert "1 current article" in str(summary)
        await pilot.press("escape", "p")
        assert isinstance(app.screen, ProfileScreen)
        assert app.screen.entity_name == "Nissan"  # the article's first company
        await pilot.press("escape", "R")
        main = await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert main.request.related_to == main.library.index.by_id[first]  # type: ignore[union-attr]


async def test_escape_steps_back_one_level(loop_config: Config) -> None:
    app = EvreaderApp(loop_config)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("slash", *"battery", "enter")
        screen = await settle(pilot)
        found = len(screen.articles.rows)
        await pilot.press("enter")
        assert screen.query_one(Reader).has_focus
        await pilot.press("escape")  # reader → list; the search stays
        screen = await settle(pilot)
        assert screen.articles.has_focus and screen.search_text == "battery"
        assert len(screen.articles.rows) == found < 9
        screen.query_one(EntityPane).focus()
        await pilot.press("escape")  # entity pane → list
        assert screen.articles.has_focus and screen.search_text == "battery"
        await pilot.press("escape")  # in the list: clears the search
        screen = await settle(pilot)
        assert screen.search_text == "" and len(screen.articles.rows) == 9
        await pilot.press("slash", *"tesla", "escape")  # in the search box: clears it
        screen = await settle(pilot)
        assert screen.search_text == "" and len(screen.articles.rows) == 9


# ---------------------------------------------------------------- errors, counts


async def test_every_query_error_is_readable_at_80_columns(loop_config: Config) -> None:
    app = EvreaderApp(loop_config)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"compnay:tesla since:2024-13 is:maybe", "enter")
        screen = await settle(pilot)
        problems = screen.query_one("#search-problems", Static)
        assert problems.display and problems.size.width <= 80
        lines = [s.text.strip() for s in problems.render_lines(problems.region.reset_offset)]
        shown = " ".join(" ".join(lines).split())
        for message in ("compnay: is not a filter (did you mean company:?); searched as text",
                        "since:2024-13: use a date like 2024, 2024-03 or 2024-03-16",
                        "is:maybe: use is:unread, is:read or is:starred"):
            assert message in shown, (message, lines)


async def test_picker_counts_under_the_current_filters(loop_config: Config) -> None:
    app = EvreaderApp(loop_config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"source:reuters", "enter")
        screen = await settle(pilot)
        assert shown_titles(screen) == [NISSAN_OPPAMA]
        await pilot.press("f", *"japan")
        picker = app.screen
        assert isinstance(picker, PickerScreen)
        prompt = str(picker.query_one(OptionList).get_option_at_index(0).prompt)
        assert "Japan" in prompt and "1 article (2 in all)" in prompt  # another kind: AND
        await pilot.press("enter")
        screen = await settle(pilot)
        assert shown_titles(screen) == [NISSAN_OPPAMA]
        await pilot.press("X", "f", *"japan", "enter")
        screen = await settle(pilot)
        assert len(screen.articles.rows) == 2  # Oppama, and the exports to Japan
        await pilot.press("f", *"taiwan")  # a second country widens the list: OR
        prompt = str(app.screen.query_one(OptionList).get_option_at_index(0).prompt)
        assert "Taiwan" in prompt and "or: 3 articles (2 in all)" in prompt
        await pilot.press("enter")
        screen = await settle(pilot)
        assert len(screen.articles.rows) == 3  # Japan OR Taiwan
        await pilot.press("X", "f", *"vietnam")
        prompt = str(app.screen.query_one(OptionList).get_option_at_index(0).prompt)
        assert "Vietnam" in prompt and "· 1 article" in prompt and "in all" not in prompt


async def test_entity_pane_sections_and_or_within_a_kind(loop_config: Config) -> None:
    app = EvreaderApp(loop_config)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        pane = screen.query_one(EntityPane)
        pane.focus()
        assert pane.current is not None and pane.current.kind == "company"
        await pilot.press("right_square_bracket")
        assert pane.current is not None and pane.current.kind == "country"
        await pilot.press("right_square_bracket")
        assert pane.current is not None and pane.current.kind == "theme"
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert pane.current is not None and pane.current.kind == "company"
        pane.cursor = next(n for n, r in enumerate(pane.rows) if r.name == "Japan")
        await pilot.press("enter")
        screen = await settle(pilot)
        countries = {r.name: r.count for r in pane.rows if r.section == "country" and r.name}
        assert countries["Taiwan"] == 2 and countries["United States"] == 4  # still there
        pane.cursor = next(n for n, r in enumerate(pane.rows) if r.name == "Taiwan")
        await pilot.press("enter")
        screen = await settle(pilot)
        assert screen.filters.entities == (("country", "Japan"), ("country", "Taiwan"))
        assert "country: Japan  or  Taiwan" in bar_text(screen)
        assert len(screen.articles.rows) == 3  # Japan OR Taiwan
        await pilot.press("c", *"nissan", "enter")
        screen = await settle(pilot)
        assert " and " in bar_text(screen) and len(screen.articles.rows) == 2


async def test_profile_says_how_many_are_undated(loop_config: Config) -> None:
    app = EvreaderApp(loop_config)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        screen.show_profile("company", "Foxconn")
        await pilot.pause()
        assert isinstance(app.screen, ProfileScreen)
        summary = app.screen.query_one("#profile-summary", TextLine).render().plain
        assert summary.startswith("3 articles, 1 undated · first 2024-11-05 … last 2025-07-07")


# ---------------------------------------------------------------- help, colours


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_help_scrolls_and_fits(loop_config: Config, size: tuple[int, int]) -> None:
    app = EvreaderApp(loop_config)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        dialog = app.screen.query_one("#help-dialog")
        assert app.screen.region.contains_region(dialog.region)  # all of it on screen
        scroll = app.screen.query_one("#help-scroll")
        assert scroll.show_vertical_scrollbar and scroll.max_scroll_y > 0
        await pilot.press("j", "j", "j")
        assert scroll.scroll_y == 3
        await pilot.press("G")
        assert scroll.scroll_y == scroll.max_scroll_y
        await pilot.press("g")
        assert scroll.scroll_y == 0


def test_each_kind_has_its_own_colour_in_every_theme() -> None:
    for name, theme in BUILTIN_THEMES.items():
        variables = {**theme.to_color_system().generate(), **theme.variables}
        found = entity_variables(variables, theme.dark)
        kinds = [found[f"entity-{k}"] for k in ("company", "country", "theme", "person")]
        assert len(set(kinds)) == 4, name
        if kinds[0].startswith("ansi_"):
            continue
        colours = [Color.parse(c) for c in kinds]
        surface = Color.parse(variables["surface"])
        for a, b in itertools.combinations(colours, 2):
            assert distance(a, b) >= MIN_DISTANCE, (name, a.hex, b.hex)
        for c in colours:
            assert contrast(c, surface) >= MIN_CONTRAST - 0.05, (name, c.hex)
        hit = Color.parse(found["search-hit"])
        assert contrast(hit, Color.parse(found["search-hit-text"])) >= 3.0, name


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_kinds_look_different_on_screen(loop_config: Config, theme: str) -> None:
    from dataclasses import replace
    app = EvreaderApp(replace(loop_config, theme=theme))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        assert app.theme == theme
        colours = {}
        for widget in (screen.query_one(Reader), screen.query_one(EntityPane)):
            for kind in ("company", "country", "theme", "person"):
                style = widget.get_component_rich_style(f"entity--{kind}", partial=True)
                assert style.color is not None
                colours.setdefault(kind, set()).add(style.color.triplet)
        assert all(len(c) == 1 for c in colours.values())  # the same in every widget
        assert len({next(iter(c)) for c in colours.values()}) == 4  # and four of them
        header = screen.query_one(EntityPane).render_line(0)
        assert any(seg.text.startswith("Companies") and seg.style and seg.style.color and
                   seg.style.color.triplet == next(iter(colours["company"])) for seg in header)


# ---------------------------------------------------------------- first run


@pytest.mark.parametrize(("size", "sources"), [((120, 40), "none"), ((80, 24), "none"),
                                               ((120, 40), "empty folder")])
async def test_with_no_articles_the_reader_says_how_to_add_them(
        tmp_path: Path, size: tuple[int, int], sources: str) -> None:
    empty = tmp_path / "clippings"
    empty.mkdir()
    config = replace(make_config(tmp_path), sources=() if sources == "none"
                     else (SourceSpec(empty),), read_feed_library=False)
    app = EvreaderApp(config)
    async with app.run_test(size=size) as pilot:
        screen = await settle(pilot)
        if size[0] >= 100:
            shown = "\n".join(screen.query_one(Reader).text_lines())
        else:
            lst = screen.articles
            shown = "\n".join(lst.render_line(y).text for y in range(lst.size.height))
        shown = " ".join(shown.split())  # the pane wraps lines
        opening = ("No sources to read yet" if sources == "none"
                   else "No articles were found in the configured sources")
        assert opening in shown
        assert "evreader ~/clippings" in shown and "evreader fetch" in shown
        assert "import-opml" in shown
