"""Command palette entries: every main-screen action, "Watchlist: …" to apply each
watchlist (and "Delete watchlist: …" for the saved ones), plus "Filter by company: …"
and "Profile of company: …" for any entity."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import ClassVar, Protocol, runtime_checkable

from textual.binding import Binding, BindingType
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from evreader.library import Library
from evreader.models import KINDS
from evreader.tui.render import KIND_SINGULAR
from evreader.watchlists import WatchStatus

MAX_ENTITY_HITS = 40


@runtime_checkable
class PaletteHost(Protocol):
    """A screen whose actions and entities the palette offers."""

    BINDINGS: ClassVar[list[BindingType]]
    library: Library | None
    watch_statuses: list[WatchStatus]

    def add_filter(self, kind: str, name: str) -> None: ...

    def show_profile(self, kind: str, name: str) -> None: ...

    def apply_watchlist(self, name: str) -> None: ...

    def ask_delete_watchlist(self, name: str) -> None: ...


class EvreaderCommands(Provider):
    """Actions come from the screen's BINDINGS; entities from the library's fuzzy lookup."""

    def _host(self) -> PaletteHost | None:
        screen = self.screen
        return screen if isinstance(screen, PaletteHost) else None

    def _actions(self, host: PaletteHost) -> list[tuple[str, Callable[[], object], str]]:
        out: list[tuple[str, Callable[[], object], str]] = []
        run = getattr(host, "run_action", None)
        for b in host.BINDINGS:
            if isinstance(b, Binding) and b.description and callable(run):
                key = self.app.get_key_display(b)
                name = b.tooltip or b.description
                out.append((name, partial(run, b.action), f"key: {key}"))
        out.append(("Help: every key", partial(self.app.run_action, "help"), "key: ?"))
        return out

    def _watchlists(self, host: PaletteHost) -> list[tuple[str, Callable[[], object], str]]:
        """Apply each watchlist; delete each saved one. Labels hold the user's names:
        shown as Content, never as markup (Textual reads a hit's help as markup, so
        the help holds only our own words)."""
        out: list[tuple[str, Callable[[], object], str]] = []
        for status in host.watch_statuses:
            wl = status.watchlist
            out.append((f"Watchlist: {wl.name}", partial(host.apply_watchlist, wl.name),
                        status.counts.describe()))
        for status in host.watch_statuses:
            wl = status.watchlist
            if wl.origin == "saved":
                out.append((f"Delete watchlist: {wl.name}",
                            partial(host.ask_delete_watchlist, wl.name), "asks first"))
        return out

    async def discover(self) -> Hits:
        host = self._host()
        if host is None:
            return
        for label, run, help_text in self._watchlists(host)[:len(host.watch_statuses)]:
            yield DiscoveryHit(Content(label), run, text=label, help=help_text)
        for name, run, help_text in self._actions(host):
            yield DiscoveryHit(name, run, help=help_text)

    async def search(self, query: str) -> Hits:
        host = self._host()
        if host is None:
            return
        matcher = self.matcher(query)
        for name, run, help_text in self._actions(host):
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), run, help=help_text)
        for label, run, help_text in self._watchlists(host):
            score = max(matcher.match(label), matcher.match(label.split(": ", 1)[1]) * 0.95)
            if score > 0:
                yield Hit(score, Content(label), run, text=label, help=help_text)
        library = host.library
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
                      partial(host.add_filter, m.kind, m.name), text=label,
                      help=f"{m.count} {noun}")
            profile = f"Profile of {KIND_SINGULAR[m.kind]}: {m.name}"
            yield Hit(max(matcher.match(profile), m.score / 100.0 * 0.85), Content(profile),
                      partial(host.show_profile, m.kind, m.name), text=profile,
                      help="counts, co-mentions, mentions over time")
