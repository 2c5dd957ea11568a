"""Export from the reader: which articles, the dialog, then the note written in a
worker (the screen hears `ExportDone` / `ExportFailed`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.screen import Screen

from evreader.config import ExportSettings
from evreader.library import Library
from evreader.models import Filters
from evreader.tui import workers
from evreader.tui.screens.export import ExportRequest, ExportScreen


def selection_in_order(rows: Sequence[int], selected: set[int]) -> list[int]:
    """The selected articles in display order, then any the filters hide."""
    shown = [i for i in rows if i in selected]
    return shown + sorted(selected.difference(shown))


def starred_in_order(library: Library) -> list[int]:
    """Every starred article, newest first."""
    if library.state is None:
        return []
    by_id = library.index.by_id
    starred = {by_id[x] for x in library.state.starred if x in by_id}
    return [int(i) for i in library.index.order if int(i) in starred]


def ask_export(screen: Screen[Any], library: Library, settings: ExportSettings,
               targets: list[int], what: str, described: Filters | None = None) -> None:
    """The export dialog for `targets`; on Enter the note is appended in a worker."""
    dialog = ExportScreen(settings.path, settings.format, len(targets), what)

    def write(request: ExportRequest | None) -> None:
        if request is not None:
            workers.start(screen, workers.write_note, library, settings, request.path,
                          request.fmt, targets, described, name="write-note")
    screen.app.push_screen(dialog, write)
