"""The search box and, under it, every problem with the query, each in full.

Typing searches live after a short pause; Enter applies at once. The bar posts
`SearchChanged` and shows what the screen tells it: problems (an unknown
filter, a bad date) each on its own line, wrapped, so all of them are readable
at 80 columns; notes on how values were read ("company:nisan → Nissan").
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Input, Static

from evreader.tui.messages import SearchChanged

SEARCH_DELAY = 0.15  # seconds of typing pause before a live search runs
PLACEHOLDER = 'Search: words "phrase" company:x -country:y source:reuters since:2024 (Esc clears)'


class SearchBar(Vertical):
    DEFAULT_CSS = """
    SearchBar { height: auto; display: none; }
    SearchBar.-open { display: block; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._timer: Timer | None = None
        self.applied = ""  # the query last posted

    def compose(self) -> ComposeResult:
        # No select-on-focus: it would select keys typed ahead (see typeahead), and
        # '/' goes on with the query rather than replacing it.
        yield Input(placeholder=PLACEHOLDER, id="search", select_on_focus=False)
        yield Static("", id="search-problems", markup=False)

    @property
    def field(self) -> Input:
        return self.query_one("#search", Input)

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    def open(self) -> None:
        self.add_class("-open")
        self.screen.set_focus(self.field)  # now, not deferred: later keys go straight to it

    def clear(self) -> None:
        """Empty and close the box; the cleared query is posted."""
        self.field.value = ""
        self.remove_class("-open")
        self.apply()

    def show_problems(self, errors: tuple[str, ...], notes: tuple[str, ...]) -> None:
        problems = self.query_one("#search-problems", Static)
        text = Text(end="")
        for line in errors:
            text.append(("\n" if text.plain else "") + "✗ " + line)
        for line in notes:
            text.append(("\n" if text.plain else "") + line, style="")
        problems.update(text)
        problems.set_class(bool(errors), "-error")
        problems.display = bool(errors or notes)

    @on(Input.Changed, "#search")
    def changed(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(SEARCH_DELAY, self.apply)

    @on(Input.Submitted, "#search")
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.apply(submitted=True)

    def apply(self, submitted: bool = False) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        query = self.field.value
        if query != self.applied or submitted:
            self.applied = query
            self.post_message(SearchChanged(query, submitted))
