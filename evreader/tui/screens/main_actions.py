"""The main screen's reading-state, related, profile, discovered-company and feed actions.

Split from main.py to keep modules small; MainScreen inherits these and owns the
bindings (so the help screen lists every key of the screen in one place).
"""

from __future__ import annotations

from textual import work
from textual.screen import Screen

from evreader.config import Config
from evreader.errors import EvreaderError
from evreader.library import Library, build_library, fetch_feeds
from evreader.models import Filters
from evreader.tui.messages import (
    DecisionSaved,
    EntityDecision,
    FeedsRefreshed,
    LibraryFailed,
    LibraryProgress,
    LibraryReady,
)
from evreader.tui.screens.export import ExportRequest, ExportScreen
from evreader.tui.widgets.article_list import ArticleList
from evreader.tui.widgets.entity_pane import EntityPane


class ReaderActions(Screen[None]):
    """Actions MainScreen binds; the state they use is MainScreen's."""

    config: Config
    library: Library | None
    filters: Filters
    related_to: int | None
    hidden: set[str]

    @property
    def articles(self) -> ArticleList:
        return self.query_one(ArticleList)

    def refresh_view(self) -> None:
        raise NotImplementedError

    def set_filters(self, filters: Filters) -> None:
        raise NotImplementedError

    def _current_article(self) -> int | None:
        raise NotImplementedError

    def _picked(self, choice: tuple[str, str] | None) -> None:
        raise NotImplementedError

    def _export(self, request: ExportRequest | None, targets: list[int],
                described: Filters | None = None) -> None:
        raise NotImplementedError

    # ------------------------------------------------------------ reading state
    def action_toggle_read(self) -> None:
        self._toggle_state(read=True)

    def action_toggle_star(self) -> None:
        self._toggle_state(read=False)

    def _toggle_state(self, *, read: bool) -> None:
        article = self._current_article()
        if article is None or self.library is None or self.library.state is None:
            return
        state = self.library.state
        article_id = self.library.index.articles.ids[article]
        now = state.toggle_read(article_id) if read else state.toggle_star(article_id)
        self.articles.refresh_article(article)
        if state.problem:
            self.notify(state.problem, severity="error", markup=False)
            state.problem = None
        elif not read:
            self.notify("Starred." if now else "Unstarred.", timeout=2)

    def action_only(self, flag: str) -> None:
        self.set_filters(self.filters.with_flag(flag, flag not in self.filters.flags))

    def action_export_starred(self) -> None:
        if self.library is None or self.library.state is None:
            return
        by_id = self.library.index.by_id
        starred = {by_id[x] for x in self.library.state.starred if x in by_id}
        if not starred:
            self.notify("No starred articles: press s on an article to star it.",
                        severity="warning")
            return
        targets = [int(i) for i in self.library.index.order if int(i) in starred]
        screen = ExportScreen(self.config.export.path, self.config.export.format,
                              len(targets), "starred")
        starred_only = Filters(flags=frozenset({"starred"}))
        self.app.push_screen(screen, lambda req: self._export(req, targets, starred_only))

    # ------------------------------------------------------------ related, profile
    def action_related(self) -> None:
        article = self._current_article()
        if article is None:
            return
        self.related_to = article
        self.refresh_view()
        self.articles.focus()

    def action_profile(self) -> None:
        if self.library is None:
            self.notify("Still loading…")
            return
        pane = self.query_one(EntityPane)
        target: tuple[str, str] | None = None
        if self.focused is pane and pane.current is not None and pane.current.name:
            target = (pane.current.kind, pane.current.name)
        elif self.articles.current is not None:
            names = self.library.index.entity_names(self.articles.current)
            kind = next((k for k in ("company", "country", "person", "theme") if names[k]), None)
            if kind is not None:
                target = (kind, names[kind][0])
        if target is None:
            self.notify("Put the cursor on an entity (or an article that names one).",
                        severity="warning")
            return
        self.show_profile(*target)

    def show_profile(self, kind: str, name: str) -> None:
        from evreader.tui.screens.profile import ProfileScreen
        if self.library is not None:
            self.app.push_screen(ProfileScreen(self.library, kind, name), self._picked)

    # ------------------------------------------------------------ discovered companies
    def on_entity_decision(self, message: EntityDecision) -> None:
        if self.library is not None:
            self.decide(self.library, message.name, message.promote)

    @work(thread=True, group="decide", description="apply entity decision")
    def decide(self, library: Library, name: str, promote: bool) -> None:
        """Persist the decision and apply it to the loaded index (see Library)."""
        try:
            library.promote(name) if promote else library.ignore(name)
        except (EvreaderError, OSError) as exc:
            self.post_message(DecisionSaved(name, promote, str(exc)))
            return
        self.post_message(DecisionSaved(name, promote))

    def on_decision_saved(self, message: DecisionSaved) -> None:
        if message.error:
            self.notify(message.error, title="Not saved", severity="error", markup=False)
            return
        if not message.promoted:
            self.hidden.add(message.name)
        verb = "promoted to a company" if message.promoted else "ignored from now on"
        self.notify(f"{message.name} {verb} ({self.config.user_entities}).", markup=False)
        self.refresh_view()

    # ------------------------------------------------------------ feeds
    def action_refresh_feeds(self) -> None:
        from evreader.feeds.store import all_feeds
        try:
            feeds = all_feeds(self.config.feeds)
        except EvreaderError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        if not feeds:
            self.notify("No feeds configured: add URLs under sources: or feeds.urls: in "
                        "config.yaml, or run evreader import-opml FILE.", severity="warning",
                        markup=False, timeout=8)
            return
        self.query_one("#loading").display = True
        self.refresh_feeds()

    @work(thread=True, exclusive=True, group="index", description="refresh feeds")
    def refresh_feeds(self) -> None:
        """Fetch every feed, then rebuild (only new files are read; the rest is cached)."""
        def fetching(done: int, total: int, url: str) -> None:
            self.post_message(LibraryProgress("fetching feeds", done, total))

        reports = fetch_feeds(self.config, progress=fetching)
        failed = [r.line() for r in reports if r.status == "failed"]
        self.post_message(FeedsRefreshed(sum(r.new for r in reports), failed, len(reports)))

        def progress(stage: str, done: int, total: int) -> None:
            self.post_message(LibraryProgress(stage, done, total))
        try:
            library = build_library(self.config, progress=progress)
        except EvreaderError as exc:
            self.post_message(LibraryFailed(str(exc)))
            return
        self.post_message(LibraryReady(library))

    def on_feeds_refreshed(self, message: FeedsRefreshed) -> None:
        noun = "article" if message.new == 1 else "articles"
        self.notify(f"{message.new} new {noun} from {message.feeds} feeds.", markup=False)
        if message.failed:
            self.notify("\n".join(message.failed[:5]), title=f"{len(message.failed)} feed(s) "
                        "failed", severity="error", markup=False, timeout=12)
