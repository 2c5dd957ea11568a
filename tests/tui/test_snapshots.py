"""Snapshots of what a user sees. Regenerate with `pytest tests/tui --snapshot-update`
and look at the SVGs under tests/tui/__snapshots__/ before committing them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from evreader.tui.app import EvreaderApp
from tests.tui.conftest import make_config, settle

SnapCompare = Callable[..., bool]


def app_for(tmp_path: Path) -> EvreaderApp:
    # A fixed note path so the export dialog shows the same text on every machine.
    config = make_config(tmp_path)
    from dataclasses import replace
    return EvreaderApp(replace(config, export=replace(config.export,
                                                      path=Path("/notes/evreader.md"))))


async def ready(pilot: Pilot[Any]) -> None:
    await settle(pilot)


def test_main_wide(snap_compare: SnapCompare, tmp_path: Path) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("j", "space", "j")
        await settle(pilot)

    assert snap_compare(app_for(tmp_path), terminal_size=(120, 40), run_before=run_before)


def test_main_narrow(snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_compare(app_for(tmp_path), terminal_size=(80, 24), run_before=ready)


def test_help(snap_compare: SnapCompare, tmp_path: Path) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(app_for(tmp_path), terminal_size=(120, 40), run_before=run_before)


def test_company_picker_nisan(snap_compare: SnapCompare, tmp_path: Path) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("c", *"nisan")
        await pilot.pause()

    assert snap_compare(app_for(tmp_path), terminal_size=(120, 40), run_before=run_before)


def test_export_dialog(snap_compare: SnapCompare, tmp_path: Path) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("space", "space", "space", "e")
        await pilot.pause()

    assert snap_compare(app_for(tmp_path), terminal_size=(120, 40), run_before=run_before)
