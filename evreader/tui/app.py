"""EvreaderApp: themes (with a colour per entity kind), keymap, help and the command
palette around the main screen."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import App
from textual.binding import BindingType

from evreader.config import Config
from evreader.errors import EXIT_OK
from evreader.tui import keys
from evreader.tui.commands import EvreaderCommands
from evreader.tui.palette import palette_variables
from evreader.tui.screens.help import HelpScreen
from evreader.tui.screens.main import MainScreen
from evreader.tui.typeahead import hand_on


class EvreaderApp(App[None]):
    """The reader. `config.keymap` remaps any binding by id; `config.theme` picks a theme."""

    CSS_PATH = "styles/app.tcss"
    TITLE = "evreader"
    COMMANDS = App.COMMANDS | {EvreaderCommands}
    BINDINGS: ClassVar[list[BindingType]] = keys.APP

    def __init__(self, config: Config) -> None:
        super().__init__()
        self.config = config
        self.keymap: dict[str, str] = dict(config.keymap)

    def get_css_variables(self) -> dict[str, str]:
        """The theme's variables plus a distinct colour per entity kind and for search
        hits, worked out for the theme in use (see palette)."""
        variables = super().get_css_variables()
        variables.update(palette_variables(variables, self.current_theme.dark))
        return variables

    def on_mount(self) -> None:
        if self.config.theme:
            if self.config.theme in self.available_themes:
                self.theme = self.config.theme
            else:
                names = ", ".join(sorted(self.available_themes))
                self.notify(f"Unknown theme {self.config.theme!r}; available: {names}",
                            severity="warning", markup=False, timeout=10)
        if self.keymap:
            self.set_keymap(self.keymap)
        self.push_screen(MainScreen(self.config))

    def on_key(self, event: events.Key) -> None:
        """A key no widget took, before the bindings see it: one typed ahead of a
        focus change goes to the field it was meant for (see typeahead)."""
        if hand_on(self.screen, event):
            event.stop()
            event.prevent_default()  # no binding for it

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.keymap))


def run_app(config: Config) -> int:
    """Entry point used by `evreader` with no subcommand."""
    EvreaderApp(config).run()
    return EXIT_OK
