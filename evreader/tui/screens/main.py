"""The main screen: entities | articles | reader, the filter bar above.

It holds what is shown (a `ViewRequest`: filters, search, sort, related) and
routes messages: slow work (loading, searching, recounting, writing notes, feeds)
runs in the workers of `tui.workers`, which post results back; the panes own
their cursors and drawing; every rule is the core's.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Any, ClassVar

from textual import on
from textual.actions import parse
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer

from evreader import firstrun
from evreader.config import Config, source_specs
from evreader.library import Library
from evreader.models import Filters
from evreader.sorting import LABELS, next_sort
from evreader.tui import article_actions, exporting, keys, watching, workers
from evreader.tui.document import Document
from evreader.tui.messages import (
    ArticleHighlighted,
    ArticleOpened,
    DecisionSaved,
    EntityChosen,
    EntityDecision,
    ExportDone,
    ExportFailed,
    FullTextFetched,
    LibraryReady,
    SearchChanged,
    SelectionChanged,
    ViewReady,
    WatchlistChosen,
    WatchlistDeleteAsked,
    WatchlistDeleted,
    WatchlistsCounted,
    WatchlistVisited,
)
from evreader.tui.render import article_document, nothing_to_read
from evreader.tui.screens.article import ArticleScreen
from evreader.tui.screens.picker import PickerScreen
from evreader.tui.screens.profile import ProfileScreen
from evreader.tui.view import View, ViewRequest
from evreader.tui.widgets.article_list import ArticleList
from evreader.tui.widgets.entity_pane import EntityPane
from evreader.tui.widgets.filter_bar import BarState, FilterBar
from evreader.tui.widgets.loading import LoadingPanel
from evreader.tui.widgets.reader import Reader
from evreader.tui.widgets.search_bar import SearchBar
from evreader.watchlists import WatchStatus

RECOUNT_DELAY = 0.4  # seconds: articles read in a burst (J J J) are recounted once


class MainScreen(Screen[None]):
    """Browse, filter, search, sort, read, select and export."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # noqa: RUF012  (below 100: one pane)
    BINDINGS: ClassVar[list[BindingType]] = keys.MAIN

    def __init__(self, config: Config) -> None:
        super().__init__()
        self.config = config
        self.library: Library | None = None
        self.view: View | None = None
        self.request = ViewRequest(sort=config.sort)
        self.generation = 0
        self.hidden: set[str] = set()  # discovered companies ignored in this session
        self._painted = threading.Event()  # set once the first view is on screen
        self._keep_id: str | None = None  # the article to keep the cursor on after a rebuild
        self.full_text_notes: dict[str, str] = {}  # article id -> why it has no full text
        self._to_top = False  # the next list starts at its top (a new sort order)
        self.watch_statuses: list[WatchStatus] = []  # the watchlists and their counts
        self._watch_warned: set[str] = set()  # watchlist warnings already told
        self._recount: Timer | None = None

    @property
    def filters(self) -> Filters:
        return self.request.filters

    @property
    def search_text(self) -> str:
        return self.request.search

    @property
    def articles(self) -> ArticleList:
        return self.query_one(ArticleList)

    @property
    def narrow(self) -> bool:
        return self.has_class("-narrow")

    def compose(self) -> ComposeResult:
        yield FilterBar(id="filter-bar")
        with Horizontal(id="panes"):
            yield EntityPane(id="entities")
            with Vertical(id="middle"):
                yield SearchBar(id="search-bar")
                yield LoadingPanel(id="loading")
                yield ArticleList(id="articles")
            yield Reader(id="reader")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#entities").border_title = "Entities"
        self._titles()
        self.articles.focus()
        self.query_one(LoadingPanel).load(self.config, self._painted)

    def _titles(self) -> None:
        sort = self.view.sort if self.view else self.request.sort
        related = self.request.related_to is not None
        self.query_one("#middle").border_title = "Related articles" if related else \
            f"Articles · {LABELS[sort]}"

    # ------------------------------------------------------------ loading
    def on_library_ready(self, message: LibraryReady) -> None:
        old, new = self.library, message.library
        if old is not None and old is not new:
            # Indices change with a new library: carry selection and cursor over by id.
            ids = old.index.articles.ids
            self.articles.selected = {new.index.by_id[ids[i]] for i in self.articles.selected
                                      if ids[i] in new.index.by_id}
            current = self.articles.current
            self._keep_id = ids[current] if current is not None else None
            self.request = replace(self.request, related_to=None)
            if not message.provisional:
                added = len(new.index) - len(old.index)
                self.notify(f"Sources changed: {len(new.index):,} articles ({added:+,}).",
                            markup=False)
        self.library = new
        self.articles.state = new.state
        if not len(new.index):
            self.articles.empty_message = "No articles yet." if not self.narrow else \
                firstrun.first_run_help(self.config.path, stacked=True,
                                        sources_empty=bool(source_specs(self.config)))
        self.refresh_view()
        self.recount_watchlists()

    # ------------------------------------------------------------ the view
    def refresh_view(self, **changes: Any) -> None:
        """Recompute the list for the request with `changes` (in a worker)."""
        leaving = self.request.related_to
        if leaving is not None and changes.get("related_to", leaving) is None and self.library:
            self._keep_id = self.library.index.articles.ids[leaving]  # back where R was
        self.request = replace(self.request, **changes)
        if self.library is None:
            return
        self.generation += 1
        hidden = frozenset(self.hidden)
        workers.start(self, workers.compute, self.library, replace(self.request, hidden=hidden),
                      self.generation, name="compute-view", exclusive=True)

    def on_view_ready(self, message: ViewReady) -> None:
        if message.generation != self.generation or self.library is None:
            return
        view = self.view = message.view
        index = self.library.index
        keep = None if self._to_top else self.articles.current
        self._to_top = False
        if self._keep_id is not None:
            keep, self._keep_id = index.by_id.get(self._keep_id), None
        if len(index):
            self.articles.empty_message = "No articles match the search. Esc clears it." \
                if view.filters.text_query else "No articles match. Backspace drops a filter."
        self.articles.set_rows(index, view.articles, keep=keep, marks=view.marks)
        self.query_one(EntityPane).set_facets(view.facets, view.filters, view.watchlist)
        self.query_one(SearchBar).show_problems(view.errors, view.notes)
        self._titles()
        self.update_bar()
        self.show_current()
        if not self._painted.is_set():
            self.call_after_refresh(self._painted.set)

    def update_bar(self) -> None:
        view, library = self.view, self.library
        if view is None or library is None:
            return
        related = self.request.related_to
        title = library.index.articles.titles[related] if related is not None else None
        summary = library.summary(view.articles)  # unread changes as articles are read
        self.query_one(FilterBar).show(BarState(view.filters, summary, view.total,
                                                len(self.articles.selected), title))

    def reading(self) -> tuple[Document, int] | None:
        """The article under the list's cursor as the reader shows it."""
        article = self.articles.current
        if self.library is None or article is None:
            return None
        index = self.library.index
        note = self.full_text_notes.get(index.articles.ids[article])
        return article_document(index, article, self.articles.marks, self.library.state,
                                note=note), article

    def position(self) -> str:
        """Where the current article is in the list: "3 of 9"."""
        rows = len(self.articles.rows)
        return f"{self.articles.cursor + 1} of {rows}" if rows else ""

    def show_current(self) -> None:
        if self.narrow:
            return
        self.query_one(Reader).border_title = f"Reader · {self.position()}"
        reading = self.reading()
        if reading is None:
            self.query_one(Reader).show(nothing_to_read(self.library, self.config), None)
        else:
            self.query_one(Reader).show(*reading)

    # ------------------------------------------------------------ filters
    def set_filters(self, filters: Filters) -> None:
        self.refresh_view(filters=filters)

    def add_filter(self, kind: str, name: str) -> None:
        self._leave_article_screen()
        self.refresh_view(filters=self.filters.with_entity(kind, name), related_to=None)

    @on(EntityChosen)
    def entity_chosen(self, message: EntityChosen) -> None:
        self.refresh_view(filters=self.filters.toggled(message.kind, message.name),
                          related_to=None)

    def action_pop_filter(self) -> None:
        if self.request.related_to is not None:
            self.refresh_view(related_to=None)
        elif self.filters.entities:
            self.set_filters(self.filters.without_entity(*self.filters.entities[-1]))
        elif self.filters.flags:
            self.set_filters(Filters(entities=self.filters.entities))
        elif self.search_text:
            self.query_one(SearchBar).clear()

    def action_clear_filters(self) -> None:
        bar = self.query_one(SearchBar)
        bar.field.value = ""
        bar.remove_class("-open")
        bar.applied = ""
        self.refresh_view(filters=Filters(), search="", related_to=None, watchlist=None)

    def action_only(self, flag: str) -> None:
        self.set_filters(self.filters.with_flag(flag, flag not in self.filters.flags))

    def action_cycle_sort(self) -> None:
        searching = bool(self.view.filters.text_query) if self.view else False
        sort = next_sort(self.request.sort, searching)
        self._to_top = True
        self.refresh_view(sort=sort)
        self.notify(f"Sorted {LABELS[sort]}.", timeout=2)

    def action_pick(self, kind: str) -> None:
        if self.library is None:
            self.notify("Still loading…")
            return
        kinds = (kind,) if kind else None
        self.app.push_screen(PickerScreen(self.library, kinds, self.view), self._picked)

    def _picked(self, choice: tuple[str, str] | None) -> None:
        if choice is not None:
            self.add_filter(*choice)

    # ------------------------------------------------------------ search, back
    def action_search(self) -> None:
        self.query_one(SearchBar).open()

    def on_search_changed(self, message: SearchChanged) -> None:
        if message.text != self.search_text:
            self.refresh_view(search=message.text, related_to=None)
        if message.submitted:
            self.articles.focus()

    def action_back(self) -> None:
        """One level back: reader or entity pane → list; in the search box or the
        list → leave the related list, else clear the search."""
        bar = self.query_one(SearchBar)
        if self.focused in (self.query_one(Reader), self.query_one(EntityPane)):
            self.articles.focus()
        elif self.request.related_to is not None and self.focused is not bar.field:
            self.refresh_view(related_to=None)
        elif bar.is_open or self.search_text:
            bar.clear()
            self.articles.focus()

    # ------------------------------------------------------------ articles
    @on(ArticleHighlighted)
    def article_highlighted(self) -> None:
        self.show_current()

    @on(ArticleOpened)
    def article_opened(self, message: ArticleOpened) -> None:
        if self.library is None:
            return
        if article_actions.mark_read(self.library, message.index):
            self.articles.refresh_article(message.index)
            self.update_bar()
            self.recount_watchlists(later=True)
        if self.narrow:
            self.app.push_screen(ArticleScreen(self))
        else:
            self.show_current()
            self.query_one(Reader).focus()

    def action_next_article(self, step: int) -> None:
        """The next (or previous) article in the list, read at once and marked read."""
        if not self.articles.move_by(step):
            self.notify("That was the last article." if step > 0 else "This is the first.",
                        timeout=2)
            return
        current = self.articles.current
        if current is not None and self.library is not None and \
                article_actions.mark_read(self.library, current):
            self.articles.refresh_article(current)
            self.update_bar()
            self.recount_watchlists(later=True)

    def run_article_action(self, action: str) -> None:
        """An action of the full-screen article view, done here (its host)."""
        _, name, params = parse(action)
        getattr(self, f"action_{name}")(*params)

    def _current(self) -> tuple[Library, int] | None:
        article = self.articles.current
        if self.library is None or article is None:
            self.notify("No article here.", severity="warning")
            return None
        return self.library, article

    def _restyle_current(self) -> None:
        if (current := self.articles.current) is not None:
            self.articles.refresh_article(current)
        self.update_bar()
        self.show_current()

    def action_toggle_read(self) -> None:
        if (found := self._current()) and article_actions.toggle_state(self, *found, star=False):
            self._restyle_current()
            self.recount_watchlists(later=True)

    def action_toggle_star(self) -> None:
        if (found := self._current()) and article_actions.toggle_state(self, *found, star=True):
            self._restyle_current()

    def action_open_url(self) -> None:
        if found := self._current():
            copy = keys.keys_for(keys.MAIN, "copy", getattr(self.app, "keymap", {}))
            article_actions.open_article_url(self, found[0].index, found[1], copy)

    def action_copy(self) -> None:
        if found := self._current():
            article_actions.copy_article(self, found[0].index, found[1])

    def action_full_text(self) -> None:
        if found := self._current():
            article_actions.fetch_full_text(self, *found)

    def on_full_text_fetched(self, message: FullTextFetched) -> None:
        """The article's page came (the library now holds its text: the view is made
        again around it) or did not (the reason is told and kept in the reader)."""
        result = message.result
        if message.library is not self.library:
            return
        if not result.ok:
            self.full_text_notes[message.article_id] = f"No full text: {result.reason}"
            self.notify(result.reason, title="No full text", severity="warning",
                        markup=False, timeout=8)
            self.show_current()
            self._sync_article_screen()
            return
        self.full_text_notes.pop(message.article_id, None)
        self.notify(f"{result.chars:,} characters" + (f" from {result.url}" if result.url
                                                      else ""), title="Full text", markup=False)
        if result.fetched:
            self._keep_id = message.article_id  # the index is new; the row may not be
            self.refresh_view()
            self.recount_watchlists()  # the text may bring the article into watchlists
        self._sync_article_screen()

    def _sync_article_screen(self) -> None:
        if isinstance(self.app.screen, ArticleScreen):
            self.app.screen.sync()

    def action_related(self) -> None:
        if found := self._current():
            self._leave_article_screen()
            self.refresh_view(related_to=found[1])
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
            target = article_actions.profile_target(self.library.index, self.articles.current)
        if target is None or target[0] == "source":
            self.notify("Put the cursor on an entity (or an article that names one).",
                        severity="warning")
            return
        self.show_profile(*target)

    def show_profile(self, kind: str, name: str) -> None:
        if self.library is not None:
            self.app.push_screen(ProfileScreen(self.library, kind, name), self._picked)

    def _leave_article_screen(self) -> None:
        """Back to the list (the full-screen view shows the list's current article)."""
        def leave() -> None:
            if isinstance(self.app.screen, ArticleScreen):
                self.app.pop_screen()
        self.app.call_later(leave)

    # ------------------------------------------------------------ selection, export
    @on(SelectionChanged)
    def selection_changed(self) -> None:
        self.update_bar()

    def action_export(self) -> None:
        """The selection (in display order), else the current article."""
        if not self.articles.selected:
            self.action_export_article()
        elif self.library is not None:
            targets = exporting.selection_in_order(self.articles.rows, self.articles.selected)
            exporting.ask_export(self, self.library, self.config.export, targets, "selected")

    def action_export_article(self) -> None:
        if found := self._current():
            exporting.ask_export(self, found[0], self.config.export, [found[1]], "current")

    def action_export_starred(self) -> None:
        targets = exporting.starred_in_order(self.library) if self.library else []
        if not targets or self.library is None:
            self.notify("No starred articles: press s on an article to star it.",
                        severity="warning")
            return
        exporting.ask_export(self, self.library, self.config.export, targets, "starred",
                             Filters(flags=frozenset({"starred"})))

    def on_export_done(self, message: ExportDone) -> None:
        noun = "article" if message.count == 1 else "articles"
        self.notify(f"{message.count} {noun} appended to {message.path}", title="Exported",
                    markup=False)

    def on_export_failed(self, message: ExportFailed) -> None:
        self.notify(message.error, title="Export failed", severity="error", markup=False)

    # ------------------------------------------------------------ discovered, feeds
    def on_entity_decision(self, message: EntityDecision) -> None:
        if self.library is not None:
            workers.start(self, workers.decide, self.library, message.name, message.promote,
                          name="decide")

    def on_decision_saved(self, message: DecisionSaved) -> None:
        if message.error:
            self.notify(message.error, title="Not saved", severity="error", markup=False)
            return
        if not message.promoted:
            self.hidden.add(message.name)
        verb = "promoted to a company" if message.promoted else "ignored from now on"
        self.notify(f"{message.name} {verb} ({self.config.user_entities}).", markup=False)
        self.refresh_view()

    def action_refresh_feeds(self) -> None:
        self.query_one(LoadingPanel).refresh_feeds(self.config)

    # ------------------------------------------------------------ watchlists
    def recount_watchlists(self, later: bool = False) -> None:
        """Every watchlist's counts again, in a worker (`later`: after a short pause,
        so a burst of articles read is recounted once)."""
        if self._recount is not None:
            self._recount.stop()
            self._recount = None
        if later:
            self._recount = self.set_timer(RECOUNT_DELAY, self.recount_watchlists)
            return
        if self.library is not None:
            workers.start(self, workers.count_watchlists, self.library,
                          name="count-watchlists")

    def on_watchlists_counted(self, message: WatchlistsCounted) -> None:
        if message.library is self.library:
            watching.tell_problems(self, message, self._watch_warned)
            self.watch_statuses = message.statuses
            self.query_one(EntityPane).set_watchlists(message.statuses)

    def _watch_status(self, name: str) -> WatchStatus | None:
        return next((s for s in self.watch_statuses if s.watchlist.name == name), None)

    @on(WatchlistChosen)
    def watchlist_chosen(self, message: WatchlistChosen) -> None:
        self.apply_watchlist(message.name)

    def apply_watchlist(self, name: str) -> None:
        """Show the watchlist: its query in the search box (read as the watchlist reads
        it, see compute_view), no other filter; and visit it (its mark moves)."""
        status = self._watch_status(name)
        if self.library is None or status is None:
            self.notify(f"No watchlist named {name!r}.", severity="warning", markup=False)
            return
        self._leave_article_screen()
        query = status.watchlist.query
        bar = self.query_one(SearchBar)
        bar.field.value = query
        bar.applied = query  # already applied: no second search when the box settles
        bar.add_class("-open")
        self._to_top = True
        self.refresh_view(filters=Filters(), search=query, watchlist=status.watchlist.name,
                          related_to=None)
        workers.start(self, workers.visit_watchlist, self.library, status.watchlist.name,
                      name="visit-watchlist")

    def on_watchlist_visited(self, message: WatchlistVisited) -> None:
        watching.tell_visit(self, message)

    def action_save_watchlist(self) -> None:
        """Save the search box's query as a watchlist (a dialog asks for its name)."""
        bar = self.query_one(SearchBar)
        query = (bar.field.value if bar.is_open else self.search_text).strip()
        watching.ask_save(self, self.library, query, self._watchlist_saved)

    def _watchlist_saved(self, name: str | None) -> None:
        if name is None:
            return
        self.notify(f"Saved the watchlist {name!r}.", markup=False)
        bar = self.query_one(SearchBar)
        if " ".join(bar.field.value.split()) == " ".join(self.search_text.split()):
            self.refresh_view(watchlist=name)  # the search box holds its query
        self.recount_watchlists()

    @on(WatchlistDeleteAsked)
    def watchlist_delete_asked(self, message: WatchlistDeleteAsked) -> None:
        self.ask_delete_watchlist(message.name)

    def ask_delete_watchlist(self, name: str) -> None:
        """Delete a saved watchlist after a yes (see watching.ask_delete)."""
        if self.library is not None:
            watching.ask_delete(self, self.library, name, self._watch_status(name))

    def on_watchlist_deleted(self, message: WatchlistDeleted) -> None:
        if message.error:
            self.notify(message.error, title="Not deleted", severity="error", markup=False)
            return
        self.notify(f"Deleted the watchlist {message.name!r}.", markup=False)
        if self.request.watchlist is not None and \
                self.request.watchlist.casefold() == message.name.casefold():
            self.refresh_view(watchlist=None)  # its query stays in the search box
