"""docs/keys.md, the `?` screen and the bindings say the same thing.

The bindings live in evreader/tui/keys.py; every screen and pane takes its
BINDINGS from there. This fails when a class binds a key the key table does not
list, when docs/keys.md differs from the table (keys, ids, descriptions), or when
the help screen does not show a row (as remapped by `keymap:`).

Regenerate the doc after changing a binding:

    .venv/bin/python -m tests.tui.test_keys_doc > docs/keys.md
"""

from __future__ import annotations

import re
from pathlib import Path

from textual.binding import Binding

from evreader.config import Config
from evreader.tui import keys
from evreader.tui.app import EvreaderApp
from evreader.tui.screens.article import ArticleScreen
from evreader.tui.screens.confirm import ConfirmScreen
from evreader.tui.screens.export import ExportScreen
from evreader.tui.screens.help import HelpScreen
from evreader.tui.screens.main import MainScreen
from evreader.tui.screens.picker import PickerScreen
from evreader.tui.screens.profile import ProfileScreen
from evreader.tui.screens.watchlist import WatchlistSaveScreen
from evreader.tui.widgets.article_list import ArticleList
from evreader.tui.widgets.entity_pane import EntityPane
from evreader.tui.widgets.reader import Reader
from tests.tui.conftest import make_config, settle

DOC = Path(__file__).resolve().parents[2] / "docs" / "keys.md"
CLASSES = (EvreaderApp, MainScreen, ArticleList, EntityPane, Reader, ArticleScreen,
           ProfileScreen, PickerScreen, ExportScreen, HelpScreen, WatchlistSaveScreen,
           ConfirmScreen)
INTRO = """# Keys

Every key of the reader, screen by screen, as the `?` screen shows them. The id is
what `keymap:` in config.yaml remaps (`keymap: {search: ctrl+f, quit: ctrl+q}`); a
remapped id changes wherever it is bound. Keys in one cell are alternatives.
"""


def display(binding: Binding) -> str:
    return EvreaderApp(Config()).get_key_display(binding)


def expected_rows() -> list[tuple[str, list[tuple[str, str, str]]]]:
    """(section, [(keys as shown, id, what it does)]) from the bindings."""
    return [(title, [(keys.key_text(b, {}, display), b.id or "", keys.explained(b))
                     for b in keys.bindings(items)]) for title, items in keys.SECTIONS]


def render_doc() -> str:
    out = [INTRO]
    for title, rows in expected_rows():
        out += [f"\n## {title}\n", "| key | id | does |", "|---|---|---|"]
        for shown, binding_id, does in rows:
            cell = " ".join(f"`{k}`" for k in shown.split(" "))
            out.append(f"| {cell} | `{binding_id}` | {does.replace('|', '∣')} |")
    return "\n".join(out) + "\n"


def parsed_doc() -> list[tuple[str, list[tuple[str, str, str]]]]:
    sections: list[tuple[str, list[tuple[str, str, str]]]] = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            sections.append((line[3:].strip(), []))
        elif line.startswith("| `") and sections:
            key_cell, id_cell, does = (c.strip() for c in line.strip("|").split(" | "))
            shown = " ".join(re.findall(r"`([^`]+)`", key_cell))
            sections[-1][1].append((shown, id_cell.strip("`"), does.replace("∣", "|")))
    return sections


def test_every_class_binds_only_keys_from_the_table() -> None:
    listed = {id(b) for _, items in keys.SECTIONS for b in items}
    for cls in CLASSES:
        for binding in cls.BINDINGS:
            assert isinstance(binding, Binding) and binding.id, (cls.__name__, binding)
            assert id(binding) in listed, f"{cls.__name__} binds {binding.id} (not in keys.py)"
        ids = [b.id for b in cls.BINDINGS if isinstance(b, Binding)]
        assert len(ids) == len(set(ids)), f"{cls.__name__}: an id used twice"


def test_docs_keys_md_matches_the_bindings() -> None:
    assert parsed_doc() == expected_rows(), (
        "docs/keys.md is stale: python -m tests.tui.test_keys_doc > docs/keys.md")


async def test_help_screen_shows_every_row_after_the_keymap(tmp_path: Path) -> None:
    keymap = {"search": "ctrl+f", "next-article": "ctrl+j"}
    app = EvreaderApp(make_config(tmp_path, keymap=keymap))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        body = app.screen.query_one("#help-body")
        width = body.size.width
        shown = " ".join(" ".join(s.text for s in body.render_lines(
            body.region.reset_offset)) .split())  # the rendered rows, whitespace folded
        assert width > 0
        for _, items in keys.SECTIONS:
            for b in keys.bindings(items):
                assert b.id and b.id in shown
                first_words = " ".join(keys.explained(b).split()[:3])
                assert first_words in shown, first_words
        assert "^f" in shown and "^j" in shown  # the keymap, not the defaults
        assert not re.search(r"(?<![\w^])/ +Search as you", shown)


if __name__ == "__main__":
    print(render_doc(), end="")
