"""Command palette entries: every main-screen action, plus "Filter by company: …" etc."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from evreader.models import KINDS
from evreader.tui.render import KIND_SINGULAR

if TYPE_CHECKING:
    from evreader.tui.screens.main import MainScreen

MAX_ENTITY_HITS = 40


class EvreaderCommands(Provider):
    """Actions come from MainScreen.BINDINGS; entities from the library's fuzzy lookup."""

    def _main(self) -> MainScreen | None:
        from evreader.tui.screens.main import MainScreen
        screen = self.screen
        return screen if isinstance(screen, MainScreen) else None

    def _actions(self, main: MainScreen) -> list[tuple[str, Callable[[], object], str]]:
        out: list[tuple[str, Callable[[], object], str]] = []
        for b in main.BINDINGS:
            if isinstance(b, Binding) and b.description:
                key = self.app.get_key_display(b)
                out.append((b.description, partial(main.run_action, b.action), f"key: {key}"))
        out.append(("Help: every key", partial(self.app.run_action, "help"), "key: ?"))
        return out

    async def discover(self) -> Hits:
        main = self._main()
        if main is None:
            return
        for name, run, help_text in self._actions(main):
            yield DiscoveryHit(name, run, help=help_text)

    async def search(self, query: str) -> Hits:
        main = self._main()
        if main is None:
            return
        matcher = self.matcher(query)
        for name, run, help_text in self._actions(main):
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), run, help=help_text)
        library = main.library
        fragment = query.split(":", 1)[-1].strip()
        if library is None or not fragment:
            return
        for m in library.engine.lookup(fragment, limit=MAX_ENTITY_HITS):
            if m.kind not in KINDS:
                continue
            label = f"Filter by {KIND_SINGULAR[m.kind]}: {m.name}"
            noun = "article" if m.count == 1 else "articles"
            # Content(label), not highlight(): entity names are data and must not be markup.
            yield Hit(max(matcher.match(label), m.score / 100.0 * 0.9), Content(label),
                      partial(main.add_filter, m.kind, m.name), text=label,
                      help=f"{m.count} {noun}")
            profile = f"Profile of {KIND_SINGULAR[m.kind]}: {m.name}"
            yield Hit(max(matcher.match(profile), m.score / 100.0 * 0.85), Content(profile),
                      partial(main.show_profile, m.kind, m.name), text=profile,
                      help="counts, co-mentions, mentions over time")
