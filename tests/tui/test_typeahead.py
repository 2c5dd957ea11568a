"""Keys typed in one burst, ahead of the focus change the first of them makes.

`pilot.press` waits for the app to settle after every key, so it never shows this:
here the whole burst is queued at once, as a fast typist, a paste or
`tmux send-keys '/vietnam'` delivers it.
"""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.pilot import Pilot
from textual.widgets import Input

from evreader.config import Config
from evreader.tui.app import EvreaderApp
from evreader.tui.screens.export import ExportScreen
from evreader.tui.screens.main import MainScreen
from evreader.tui.screens.picker import PickerScreen
from tests.tui.conftest import settle

CHARACTERS = {"slash": "/", "space": " ", "enter": "\r", "backspace": "\x08"}


async def burst(pilot: Pilot[None], *keys: str) -> None:
    """Queue every key before the app handles the first, then let it work through them."""
    for key in keys:
        event = events.Key(key, CHARACTERS.get(key, key))
        event.set_sender(pilot.app)
        pilot.app.post_message(event)
    for _ in range(3):
        await pilot.pause()


def search_value(screen: MainScreen) -> str:
    return screen.query_one("#search", Input).value


async def test_search_burst_goes_into_the_search_field(config: Config) -> None:
    app = EvreaderApp(config)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        # 'e' exports, 'q' quits, space selects: in the field they are only letters.
        await burst(pilot, "slash", *"equinox vietnam")
        assert app.screen is screen  # no export dialog over it, and still running
        assert app.is_running
        assert search_value(screen) == "equinox vietnam"
        assert not screen.articles.selected


async def test_search_burst_with_enter_and_backspace(config: Config) -> None:
    app = EvreaderApp(config)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        await burst(pilot, "slash", *"vietnamx", "backspace", "enter")
        screen = await settle(pilot)
        assert search_value(screen) == "vietnam"
        assert screen.search_text == "vietnam"
        assert app.focused is screen.articles  # Enter submitted the search
        assert screen.library is not None
        index = screen.library.index
        expected = {i for i in range(len(index))  # scanned, not asked of the search
                    if "vietnam" in f"{index.articles[i].title} {index.articles[i].text}".lower()}
        assert 0 < len(expected) < len(index)
        assert set(screen.articles.rows) == expected


async def test_picker_burst_fills_the_picker_and_enter_filters(config: Config) -> None:
    app = EvreaderApp(config)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        await burst(pilot, "c", *"nisan")
        assert isinstance(app.screen, PickerScreen)
        assert app.screen.query_one(Input).value == "nisan"
        assert app.screen.choices[0] == ("company", "Nissan")
        await pilot.press("escape")
        await burst(pilot, "c", *"hon haii", "backspace", "enter")
        screen = await settle(pilot)
        assert app.screen is screen
        assert screen.filters.entities == (("company", "Foxconn"),)


async def test_keys_after_the_burst_still_reach_their_bindings(config: Config,
                                                              tmp_path: Path) -> None:
    """Only keys that came back unhandled while a field waits for them are taken."""
    app = EvreaderApp(config)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        await burst(pilot, "space", "j", "space")
        assert len(screen.articles.selected) == 2
        await burst(pilot, "e")
        assert isinstance(app.screen, ExportScreen)


async def test_picker_replays_keys_it_took_before_its_input_was_mounted(config: Config) -> None:
    """However the burst is timed, keys that came before the input are not lost."""
    app = EvreaderApp(config)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        assert screen.library is not None
        chosen: list[tuple[str, str] | None] = []

        async def picker_after(*keys: str) -> PickerScreen:
            assert screen.library is not None
            picker = PickerScreen(screen.library, ("company",), screen.view)
            for key in keys:
                assert picker.type_ahead(key, CHARACTERS.get(key, key))
            assert not picker.type_ahead("down", None)  # not a key for the field
            await app.push_screen(picker, chosen.append)
            for _ in range(3):
                await pilot.pause()
            return picker

        picker = await picker_after(*"hon haiz", "backspace")
        assert picker.query_one(Input).value == "hon hai"
        assert not picker.type_ahead("x", "x")  # once it is there, keys go to it directly
        await pilot.press("x")  # adds to the replayed text (not selected on focus)
        assert picker.query_one(Input).value == "hon haix"
        await pilot.press("backspace")
        await pilot.press("enter")
        await picker_after(*"nisan", "enter")
        assert chosen == [("company", "Foxconn"), ("company", "Nissan")]


async def test_typing_on_after_a_burst_adds_to_it(config: Config) -> None:
    """The field's select-on-focus must not take the burst for old text to replace."""
    app = EvreaderApp(config)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        await burst(pilot, "slash", *"viet")
        await pilot.press(*"nam")
        assert search_value(screen) == "vietnam"
        await pilot.press("escape")
        await burst(pilot, "c", *"nis")
        await pilot.press(*"an")
        assert isinstance(app.screen, PickerScreen)
        assert app.screen.query_one(Input).value == "nisan"
