"""Fixtures: an app over a small corpus, with every path inside tmp_path."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest
from textual.pilot import Pilot

from evreader.config import Config, ExportSettings, SourceSpec
from evreader.tui.app import EvreaderApp
from evreader.tui.screens.main import MainScreen
from tests.conftest import SEEDS, SMALL_GAZETTEER

EVIL_TITLE = "Evil [bold]x[/] title [/]"
EVIL_BODY = ("Body with [link=file:///etc/passwd]x[/link] and [bold]x[/] and [/] "
             "plus Nissan and Tesla in Japan.")


def make_config(tmp_path: Path, sources: tuple[Path, ...] | None = None,
                keymap: Mapping[str, str] | None = None) -> Config:
    """The fixed test gazetteer (not the built-in data, which grows) over `sources`."""
    specs = tuple(SourceSpec(p) for p in (sources or (SEEDS,)))
    return Config(sources=specs, export=ExportSettings(path=tmp_path / "notes.md"),
                  gazetteer=SMALL_GAZETTEER,
                  keymap=dict(keymap or {}), cache=False,
                  cache_dir=tmp_path / "cache", data_dir=tmp_path / "data")


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return make_config(tmp_path)


LOOP = Path(__file__).resolve().parents[1] / "loop_corpus"


@pytest.fixture
def loop_config(tmp_path: Path) -> Config:
    """Nine articles from six publishers, two undated (see tests/core/test_reading_loop)."""
    return make_config(tmp_path, sources=(LOOP,))


@pytest.fixture
def evil_config(tmp_path: Path) -> Config:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "evil.txt").write_text(f"{EVIL_TITLE}\n\n{EVIL_BODY}\n", encoding="utf-8")
    return make_config(tmp_path, sources=(corpus,))


def main_screen(app: EvreaderApp) -> MainScreen:
    for screen in app.screen_stack:
        if isinstance(screen, MainScreen):
            return screen
    raise AssertionError("no main screen")


async def settle(pilot: Pilot[None]) -> MainScreen:
    """Wait until the library is loaded and every pending view/export worker is done."""
    app = pilot.app
    assert isinstance(app, EvreaderApp)
    for _ in range(50):
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = main_screen(app)
        if screen.library is not None and screen.view is not None and _current(screen):
            return screen
    raise AssertionError("the app never became ready")


def _current(screen: MainScreen) -> bool:
    """The view on screen reflects the current filters (no recompute pending)."""
    return not any(w.is_running for w in screen.workers)
