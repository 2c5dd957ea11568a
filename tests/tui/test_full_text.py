"""`F` in the reader: a feed article's page fetched from a loopback site and read
in full, or the reason there is none kept in the reader (Pilot, no internet)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from evreader.library import fetch_feeds
from evreader.tui.app import EvreaderApp
from evreader.tui.widgets.reader import Reader
from tests.feeds.test_full_text_store import FULL_TEXT, config_for, sites  # noqa: F401
from tests.tui.conftest import settle


async def _until(pilot: object, done: object, rounds: int = 200) -> None:
    for _ in range(rounds):
        if done():  # type: ignore[operator]
            return
        await pilot.pause(0.05)  # type: ignore[attr-defined]


async def test_f_fetches_the_page_and_a_failure_is_explained(
        sites: dict[str, str], tmp_path: Path) -> None:  # noqa: F811
    cfg = config_for(tmp_path, sites)
    # Fetch the feeds without full text: the reader asks for it itself.
    cfg = replace(cfg, feeds=replace(cfg.feeds, full_text=replace(FULL_TEXT)))
    fetch_feeds(cfg, full_text=False)
    app = EvreaderApp(cfg)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        assert screen.library is not None
        titles = screen.library.index.articles.titles
        rows = list(screen.articles.rows)
        reader = screen.query_one(Reader)

        screen.articles.cursor = rows.index(titles.index("A battery-pack unit for sale"))
        await pilot.pause()
        assert not any("foreign investment screening law" in line
                       for line in reader.text_lines())
        await pilot.press("F")
        await _until(pilot, lambda: any("foreign investment screening law" in line
                                        for line in reader.text_lines()))
        text = " ".join(reader.text_lines())
        assert "foreign investment screening law" in text and "Accept All Cookies" not in text
        assert "A battery-pack unit for sale" in text  # the same article, in place

        titles = screen.library.index.articles.titles
        screen.articles.cursor = list(screen.articles.rows).index(
            titles.index("A paywalled story"))
        await pilot.press("F")
        await _until(pilot, lambda: any("No full text" in line
                                        for line in reader.text_lines()))
        text = " ".join(" ".join(reader.text_lines()).split())
        assert "No full text: paywalled" in text
        assert "Summary of paywall." in text  # the summary stays
