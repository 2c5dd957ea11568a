"""Watchlists in the reader, apart from the screen: what to tell after a count or
a visit, and the save and delete dialogs (their work runs in workers; the screen
hears WatchlistsCounted / WatchlistVisited / WatchlistDeleted)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.screen import Screen

from evreader.library import Library
from evreader.tui import keys, workers
from evreader.tui.messages import WatchlistsCounted, WatchlistVisited
from evreader.tui.screens.confirm import ConfirmScreen
from evreader.tui.screens.watchlist import WatchlistSaveScreen
from evreader.watchlists import WatchStatus


def tell_problems(screen: Screen[Any], message: WatchlistsCounted, warned: set[str]) -> None:
    """A count's error, and each watchlist warning once per session."""
    if message.error:
        screen.notify(message.error, title="Watchlists", severity="error", markup=False)
    fresh = [w for w in message.warnings if w not in warned]
    if fresh:
        warned.update(fresh)
        screen.notify("\n".join(fresh), title="Watchlists", severity="warning",
                      markup=False, timeout=12)


def tell_visit(screen: Screen[Any], message: WatchlistVisited) -> None:
    """What the visit showed as new (the counts from before the mark moved)."""
    if message.error or message.before is None:
        screen.notify(message.error or "the visit could not be recorded",
                      title=f"Watchlist {message.name}", severity="error", markup=False)
        return
    counts = message.before
    when = counts.since.astimezone().strftime("%Y-%m-%d %H:%M")
    noun = "article" if counts.total == 1 else "articles"
    screen.notify(f"{counts.new:,} new since {when}, {counts.unread:,} unread, "
                  f"{counts.total:,} {noun} in all.", title=message.name, markup=False)


def ask_save(screen: Screen[Any], library: Library | None, query: str,
             saved: Callable[[str | None], None]) -> None:
    """The dialog that names `query` and saves it; says what to do without one."""
    if library is None:
        screen.notify("Still loading…")
        return
    if not query:
        search = keys.keys_for(keys.MAIN, "search", getattr(screen.app, "keymap", {}))
        screen.notify(f"Type a query in the search box first ({search}), then save it as "
                      "a watchlist.", severity="warning", markup=False)
        return
    screen.app.push_screen(WatchlistSaveScreen(library, query), saved)


def ask_delete(screen: Screen[Any], library: Library, name: str,
               status: WatchStatus | None) -> None:
    """Delete a saved watchlist after a yes; one from config.yaml is not the reader's to
    delete: say where it is."""
    if status is None:
        screen.notify(f"No watchlist named {name!r}.", severity="warning", markup=False)
        return
    wl = status.watchlist
    if wl.origin == "config":
        screen.notify(f"{wl.name!r} is defined in {wl.where}: remove it there. The "
                      "reader never rewrites config.yaml.",
                      title="Cannot delete", severity="warning", markup=False, timeout=10)
        return

    def answered(yes: bool | None) -> None:
        if yes:
            workers.start(screen, workers.delete_watchlist, library, wl.name,
                          name="delete-watchlist")
    screen.app.push_screen(ConfirmScreen("Delete watchlist", f"Delete the watchlist "
                                         f"{wl.name!r}?", f"Query: {wl.query}", "Delete"),
                           answered)
