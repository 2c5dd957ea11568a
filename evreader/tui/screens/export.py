"""The export dialog: note path (from config), format, and what will be written."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet

from evreader.config import EXPORT_FORMATS
from evreader.tui import keys


@dataclass(frozen=True, slots=True)
class ExportRequest:
    path: Path
    fmt: str


class ExportScreen(ModalScreen[ExportRequest | None]):
    """Enter writes (the screen only collects the request; the main screen writes)."""

    BINDINGS: ClassVar[list[BindingType]] = keys.EXPORT

    def __init__(self, path: Path, fmt: str, count: int, what: str) -> None:
        super().__init__()
        self.path = path
        self.fmt = fmt if fmt in EXPORT_FORMATS else "md"
        self.count = count
        self.what = what

    def compose(self) -> ComposeResult:
        noun = "article" if self.count == 1 else "articles"
        with Vertical(id="export-dialog"):
            yield Label("Export to note", id="export-title")
            yield Label(Text(f"Append {self.count} {self.what} {noun} to:", end=""),
                        id="export-summary")
            yield Input(str(self.path), id="export-path", select_on_focus=False)
            with Horizontal(id="export-row"):
                yield Label("Format", id="export-format-label")
                with RadioSet(id="export-format"):
                    for fmt in EXPORT_FORMATS:
                        label = "Markdown" if fmt == "md" else "Plain text"
                        yield RadioButton(label, value=fmt == self.fmt, name=fmt)
            with Horizontal(id="export-buttons"):
                yield Button("Export", variant="primary", id="export-ok")
                yield Button("Cancel", id="export-cancel")

    def on_mount(self) -> None:
        field = self.query_one("#export-path", Input)
        field.focus()
        field.cursor_position = len(field.value)

    def chosen_format(self) -> str:
        pressed = self.query_one(RadioSet).pressed_button
        return pressed.name if pressed is not None and pressed.name else self.fmt

    def submit(self) -> None:
        raw = self.query_one("#export-path", Input).value.strip()
        if not raw:
            self.notify("Give a note file path.", severity="warning")
            return
        self.dismiss(ExportRequest(Path(raw).expanduser(), self.chosen_format()))

    @on(Input.Submitted, "#export-path")
    def path_submitted(self) -> None:
        self.submit()

    @on(Button.Pressed, "#export-ok")
    def ok(self) -> None:
        self.submit()

    @on(Button.Pressed, "#export-cancel")
    def cancel_pressed(self) -> None:
        self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
