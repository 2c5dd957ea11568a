"""Snapshots of what a user sees, at 120×40 and 80×24, in a dark and a light theme.

Regenerate with `pytest tests/tui --snapshot-update` and look at the SVGs under
tests/tui/__snapshots__/ before committing them; `make screenshot` does that for
the reader and copies it to docs/screenshot.svg (test_docs_screenshot_is_current).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from evreader.tui.app import EvreaderApp
from tests.tui.conftest import LOOP, make_config, settle

SnapCompare = Callable[..., bool]
Steps = Callable[[Pilot[Any]], Coroutine[Any, Any, None]]
ROOT = Path(__file__).resolve().parents[2]
DARK, LIGHT = "textual-dark", "textual-light"
WIDE, NARROW = (120, 40), (80, 24)


def app_for(tmp_path: Path, theme: str = DARK, loop: bool = True) -> EvreaderApp:
    # A fixed note path so the export dialog shows the same text on every machine.
    config = make_config(tmp_path, sources=(LOOP,) if loop else None)
    return EvreaderApp(replace(config, theme=theme, export=replace(
        config.export, path=Path("/notes/evreader.md"))))


def pressing(*keys: str) -> Steps:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            if key in ("enter", "escape"):
                await settle(pilot)
        await settle(pilot)
        await pilot.pause()
    return run_before


READ_A_SEARCH = pressing("slash", *"battery", "enter", "j", "enter", "n")


@pytest.mark.parametrize(("size", "theme"), [(WIDE, DARK), (WIDE, LIGHT), (NARROW, DARK),
                                             (NARROW, LIGHT)],
                         ids=["wide-dark", "wide-light", "narrow-dark", "narrow-light"])
def test_reader(snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int],
                theme: str) -> None:
    """Searching, then reading: hits marked, entity kinds in their colours, the
    publisher and date, the full-screen view on a narrow terminal."""
    assert snap_compare(app_for(tmp_path, theme), terminal_size=size, run_before=READ_A_SEARCH)


@pytest.mark.parametrize(("size", "theme"), [(WIDE, LIGHT), (NARROW, DARK)],
                         ids=["wide-light", "narrow-dark"])
def test_or_within_a_kind(snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int],
                          theme: str) -> None:
    """Two countries (OR) and a company (AND) as chips; counts with undated and unread."""
    steps = pressing("f", *"japan", "enter", "f", *"taiwan", "enter", "c", *"nissan", "enter")
    assert snap_compare(app_for(tmp_path, theme), terminal_size=size, run_before=steps)


def test_seeds_wide(snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_compare(app_for(tmp_path, loop=False), terminal_size=WIDE,
                        run_before=pressing("j", "space", "j"))


@pytest.mark.parametrize(("size", "theme"), [(WIDE, DARK), (NARROW, LIGHT)],
                         ids=["wide-dark", "narrow-light"])
def test_help(snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int],
              theme: str) -> None:
    assert snap_compare(app_for(tmp_path, theme), terminal_size=size,
                        run_before=pressing("question_mark"))


def test_query_errors_at_80_columns(snap_compare: SnapCompare, tmp_path: Path) -> None:
    steps = pressing("slash", *"compnay:tesla since:2024-13 battery", "enter")
    assert snap_compare(app_for(tmp_path), terminal_size=NARROW, run_before=steps)


def test_company_picker_nisan(snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_compare(app_for(tmp_path, loop=False), terminal_size=WIDE,
                        run_before=pressing("c", *"nisan"))


def test_export_dialog(snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_compare(app_for(tmp_path, LIGHT), terminal_size=WIDE,
                        run_before=pressing("space", "space", "space", "e"))


def test_docs_screenshot_is_current() -> None:
    """docs/screenshot.svg is the wide dark reader snapshot (`make screenshot`)."""
    snapshot = ROOT / "tests/tui/__snapshots__/test_snapshots/test_reader[wide-dark].svg"
    assert (ROOT / "docs/screenshot.svg").read_text() == snapshot.read_text()
