"""Keys typed ahead of a focus change reach the field the user opened.

Textual sends a key to the widget focused when the app reads the key. A burst
('/vietnam', or 'cnisan' and Enter, from a fast typist or a paste) is read whole
before '/' or 'c' has moved the focus, so its letters went to the article list:
lost under a picker, or worse, taken as commands ('e' opened the export dialog).
The app catches them as they come back up unhandled, before its bindings do,
and hands them on.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from textual import events
from textual.screen import Screen
from textual.widgets import Input


@runtime_checkable
class TakesTypeAhead(Protocol):
    """A screen that takes keys typed before its input was there."""

    def type_ahead(self, key: str, character: str | None) -> bool:
        """Take the key (True), or leave it to the bindings (False)."""


def hand_on(screen: Screen[object], event: events.Key) -> bool:
    """Pass on a key that came back to the app unhandled, if it was meant for the
    field now focused on the active `screen` or for the input that screen has yet
    to show; True when taken (the caller stops the event).

    A printable key can only come back with an Input focused if it was sent
    elsewhere before that Input took the focus: an Input stops the ones it gets."""
    field = screen.focused
    if isinstance(field, Input):
        if not (event.is_printable and _is_text(event.character)):
            return False  # Enter, Backspace: the field's own bindings see them
        _apply(field, event.key, event.character)
        return True
    return isinstance(screen, TakesTypeAhead) and screen.type_ahead(event.key, event.character)


class Backlog:
    """Keys a screen took before its input was there, replayed once it is."""

    EDITS = frozenset({"backspace", "enter"})

    def __init__(self) -> None:
        self.keys: list[tuple[str, str | None]] = []
        self.field: Input | None = None  # set once the input can take keys

    def take(self, key: str, character: str | None) -> bool:
        """Queue a printable key or an edit until the input is there (False for any
        other key, and for every key after: they reach the input themselves)."""
        if self.field is not None or (not _is_text(character) and key not in self.EDITS):
            return False
        self.keys.append((key, character))
        return True

    def ready(self, field: Input) -> None:
        """The input is mounted and focused: it gets what was typed so far."""
        self.field = field
        pending, self.keys = self.keys, []
        for key, character in pending:
            _apply(field, key, character)


def _is_text(character: str | None) -> bool:
    return character is not None and character.isprintable()


def _apply(field: Input, key: str, character: str | None) -> None:
    if key == "backspace":
        field.action_delete_left()
    elif key == "enter":
        # Posted, so it comes after the Changed messages of the text typed before it.
        field.post_message(Input.Submitted(field, field.value))
    elif character is not None:
        field.insert_text_at_cursor(character)
