"""The save-watchlist dialog: a name (offered from the query) for the search box's
query, saved by the core in a worker. Whatever is wrong (no name, a name in use, a
query a watchlist cannot be) is said in the dialog, in full, and it stays open."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from evreader.library import Library
from evreader.tui import keys, workers
from evreader.tui.messages import WatchlistSaved
from evreader.watchlists import check_name, check_query, suggest_name


class WatchlistSaveScreen(ModalScreen[str | None]):
    """Returns the saved watchlist's name, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = keys.WATCH_SAVE

    def __init__(self, library: Library, query: str) -> None:
        super().__init__()
        self.library = library
        self.query_text = " ".join(query.split())
        self.saving = False

    def compose(self) -> ComposeResult:
        with Vertical(id="watch-save-dialog"):
            yield Label("Save as a watchlist", id="watch-save-title")
            yield Label(Text.assemble(("Query  ", "bold"), self.query_text, end=""),
                        id="watch-save-query")
            yield Label("Name", id="watch-save-label")
            yield Input(suggest_name(self.query_text), id="watch-save-name",
                        select_on_focus=False)  # it would select keys typed ahead
            yield Static("", id="watch-save-error", markup=False)
            with Horizontal(id="watch-save-buttons"):
                yield Button("Save", variant="primary", id="watch-save-ok")
                yield Button("Cancel", id="watch-save-cancel")
            yield Label("Enter saves · Esc cancels", id="watch-save-hint", markup=False)

    def on_mount(self) -> None:
        field = self.query_one("#watch-save-name", Input)
        field.focus()
        field.cursor_position = len(field.value)
        self.query_one("#watch-save-error").display = False

    def show_error(self, error: str) -> None:
        problem = self.query_one("#watch-save-error", Static)
        problem.update(Text("✗ " + error, end=""))
        problem.display = True

    def submit(self) -> None:
        if self.saving:
            return
        name = " ".join(self.query_one("#watch-save-name", Input).value.split())
        problem = check_name(name) or check_query(self.query_text).problem
        if problem:  # said at once; a name in use and the file are the worker's
            self.show_error(problem)
            return
        self.saving = True
        workers.start(self, workers.save_watchlist, self.library, name, self.query_text,
                      name="save-watchlist")

    def on_watchlist_saved(self, message: WatchlistSaved) -> None:
        message.stop()
        self.saving = False
        if message.error:
            self.show_error(message.error)
        else:
            self.dismiss(message.name)

    @on(Input.Submitted, "#watch-save-name")
    def name_submitted(self) -> None:
        self.submit()

    @on(Input.Changed, "#watch-save-name")
    def name_changed(self) -> None:
        self.query_one("#watch-save-error").display = False

    @on(Button.Pressed, "#watch-save-ok")
    def ok(self) -> None:
        self.submit()

    @on(Button.Pressed, "#watch-save-cancel")
    def cancel_pressed(self) -> None:
        self.action_cancel()

    def action_cancel(self) -> None:
        if not self.saving:  # a save under way finishes first (it is quick)
            self.dismiss(None)
