"""Issue 5 in the reader: broken and hostile sources load, warn, and never reach the terminal."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from evreader.config import Config
from evreader.tui.app import EvreaderApp
from evreader.tui.widgets.reader import Reader
from tests.tui.conftest import make_config, settle

ESCAPES = ("Escapes \x1b[2J\x1b[31mred\x1b[0m, a clipboard write \x1b]52;c;ZXZpbA==\x07, "
           "a link \x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\, C1 \x9b31m, "
           "bidi \u202eTXT\u202c and zero\u200bwidth in Nissan news.")


@pytest.fixture
def hostile_config(tmp_path: Path) -> Config:
    d = tmp_path / "hostile"
    d.mkdir()
    (d / "escapes.txt").write_text(f"Hostile headline\n\n{ESCAPES}\n", encoding="utf-8")
    (d / "markup.md").write_text("[bold]Markup[/] title\n\n[link=file:///etc/passwd]x[/link] "
                                 "[/] \\[ and [red]Tesla[/red] in Japan.\n", encoding="utf-8")
    (d / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + os.urandom(200))
    (d / "latin1.txt").write_bytes("Caf\xe9 \u201cquotes\u201d about Honda.".encode("cp1252"))
    (d / "bom16.txt").write_bytes("\ufeffUTF-16 about BYD in China.".encode("utf-16"))
    (d / "empty.txt").write_bytes(b"")
    (d / "long.txt").write_text("Nissan and Foxconn. " * 50_000)  # one ~1M-character line
    (d / "many.txt").write_text(" ".join(["Nissan, Honda, Japan, batteries."] * 3000))
    os.mkfifo(d / "pipe.txt")
    (d / "loop").symlink_to(d)
    (d / "dir.txt").mkdir()
    return make_config(tmp_path, sources=(d,))


async def test_hostile_folder_loads_and_warns(hostile_config: Config) -> None:
    app = EvreaderApp(hostile_config)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        assert screen.library is not None
        titles = list(screen.library.index.articles.titles)
        assert "Hostile headline" in titles and "[bold]Markup[/] title" in titles
        warned = " ".join(str(n.message) for n in app._notifications)
        assert "binary.txt" in warned and "pipe.txt" in warned
        # Walk every article through the reader: nothing raises, nothing escapes. The
        # ~1M-character line is wrapped and drawn line by line (it took ~20 s as one Text).
        reader = screen.query_one(Reader)
        for row in range(len(screen.articles.rows)):
            screen.articles.cursor = row
            await pilot.pause()
            shown = "\n".join(reader.render_line(y).text for y in range(reader.size.height))
            for bad in ("\x1b", "\x07", "\x9b", "\u202e", "\u200b"):
                assert bad not in shown and bad not in reader.document.plain
        markup_row = [screen.library.index.articles.titles[i] for i in screen.articles.rows]
        screen.articles.cursor = markup_row.index("[bold]Markup[/] title")
        await pilot.pause()
        shown = " ".join(reader.text_lines())
        assert "[link=file:///etc/passwd]x[/link]" in shown and "[red]Tesla[/red]" in shown
        long_row = next(n for n, i in enumerate(screen.articles.rows)
                        if len(screen.library.index.articles.text(i)) > 900_000)
        screen.articles.cursor = long_row
        await pilot.pause()
        lines = reader.text_lines()
        assert len(lines) > 20_000 and max(len(line) for line in lines) <= reader.size.width
        reader.focus()
        await pilot.press("G")  # the last line of a 1M-character article is reachable
        bottom = reader.render_line(reader.scrollable_content_region.height - 1).text
        assert bottom.strip() == lines[-1].strip() != lines[0].strip()
        await pilot.press("slash", *"[/] \x1b[2J ((( company:", "enter")  # odd queries are fine
        await settle(pilot)
