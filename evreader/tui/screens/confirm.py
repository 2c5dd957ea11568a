"""A yes/no question before something that cannot be undone (deleting a watchlist).
y or the first button says yes; n, Esc or the second says no (it has the focus)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label

from evreader.tui import keys


class ConfirmScreen(ModalScreen[bool]):
    """`question` and `detail` are shown literally (they hold the user's text)."""

    BINDINGS: ClassVar[list[BindingType]] = keys.CONFIRM

    def __init__(self, title: str, question: str, detail: str, yes: str) -> None:
        super().__init__()
        self.title_text = title
        self.question = question
        self.detail = detail
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog"):
            yield Label(Text(self.title_text, end=""), id="confirm-title")
            yield Label(Text(self.question, end=""), id="confirm-question")
            if self.detail:
                yield Label(Text(self.detail, end=""), id="confirm-detail")
            with Horizontal(id="confirm-buttons"):
                yield Button(self.yes, variant="error", id="confirm-yes")
                yield Button("Cancel", id="confirm-no")
            yield Label("y: yes · n or Esc: no", id="confirm-hint")

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    @on(Button.Pressed, "#confirm-yes")
    def yes_pressed(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def no_pressed(self) -> None:
        self.dismiss(False)

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
