"""The loading panel: builds the library (and refreshes feeds) in the background,
shows progress while it does, and hands the library to the screen.

Its workers post `LibraryReady` (which bubbles up to the screen), progress and
failures (shown here), and feed reports (told in toasts).
"""

from __future__ import annotations

import threading

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, ProgressBar

from evreader.config import Config
from evreader.errors import EvreaderError
from evreader.tui import workers
from evreader.tui.messages import FeedsRefreshed, LibraryFailed, LibraryProgress, LibraryReady


class LoadingPanel(Vertical):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._warned = False  # skipped sources are told about once

    def compose(self) -> ComposeResult:
        yield Label("Reading sources…", id="loading-label")
        yield ProgressBar(total=None, show_eta=False, id="loading-bar")

    def load(self, config: Config, painted: threading.Event) -> None:
        """The first library (from the cache when it can), then a check of the files."""
        workers.start(self, workers.load_library, config, painted, name="load-library",
                      exclusive=True)

    def refresh_feeds(self, config: Config) -> None:
        """Fetch the configured feeds, then rebuild; says so when there are none."""
        from evreader.feeds.store import all_feeds  # feedparser loads only when feeds are used
        try:
            feeds = all_feeds(config.feeds)
        except EvreaderError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        if not feeds:
            self.notify("No feeds configured: add URLs under sources: or feeds.urls: in "
                        "config.yaml, or run evreader import-opml FILE.", severity="warning",
                        markup=False, timeout=8)
            return
        self.display = True
        workers.start(self, workers.refresh_feeds, config, name="load-library", exclusive=True)

    def on_library_progress(self, message: LibraryProgress) -> None:
        message.stop()
        stage = message.stage.capitalize()
        label = f"{stage}… {100 * message.done // message.total}%" if message.total else \
            f"{stage}…"
        self.query_one("#loading-label", Label).update(Text(label, end=""))
        self.query_one(ProgressBar).update(total=message.total or None, progress=message.done)

    def on_library_failed(self, message: LibraryFailed) -> None:
        message.stop()
        self.display = True
        self.query_one("#loading-label", Label).update(Text(message.error, end=""))
        self.notify(message.error, title="Could not load", severity="error", markup=False)

    def on_library_ready(self, message: LibraryReady) -> None:
        """(It goes on up to the screen.) Says what could not be read, once."""
        self.display = False
        library = message.library
        if library.state is not None and library.state.problem:
            self.notify(library.state.problem, severity="warning", markup=False, timeout=10)
        if library.warnings and not self._warned:
            self._warned = True
            shown = "\n".join(str(w) for w in library.warnings[:5])
            more = f"\n…and {len(library.warnings) - 5} more" if len(library.warnings) > 5 else ""
            self.notify(shown + more, title=f"Skipped {len(library.warnings)} source(s)",
                        severity="warning", markup=False, timeout=10)

    def on_library_verified(self) -> None:
        self.display = False

    def on_feeds_refreshed(self, message: FeedsRefreshed) -> None:
        message.stop()
        noun = "article" if message.new == 1 else "articles"
        self.notify(f"{message.new} new {noun} from {message.feeds} feeds.", markup=False)
        if message.failed:
            self.notify("\n".join(message.failed[:5]), title=f"{len(message.failed)} feed(s) "
                        "failed", severity="error", markup=False, timeout=12)
