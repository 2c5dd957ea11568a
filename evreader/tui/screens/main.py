"""The main screen: entities | articles | reader, with the filter bar above.

All state (filters, selection) lives here. Anything that may be slow on a big
corpus — building the library, searching, recounting facets — runs in a thread
worker that posts a message back; stale results are dropped by generation.
"""

from __future__ import annotations

import threading
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Footer, Input, Label, ProgressBar

from evreader.config import Config
from evreader.errors import EvreaderError
from evreader.export import append_note, render_note
from evreader.library import Library, build_library, open_cached
from evreader.models import Filters
from evreader.tui.article_actions import copy_article, open_article_url
from evreader.tui.messages import (
    ArticleHighlighted,
    ArticleOpened,
    EntityChosen,
    ExportDone,
    ExportFailed,
    LibraryFailed,
    LibraryProgress,
    LibraryReady,
    LibraryVerified,
    SelectionChanged,
    ViewReady,
)
from evreader.tui.screens.article import ArticleScreen
from evreader.tui.screens.export import ExportRequest, ExportScreen
from evreader.tui.screens.main_actions import ReaderActions
from evreader.tui.screens.picker import PickerScreen
from evreader.tui.view import View, compute_view
from evreader.tui.widgets.article_list import ArticleList
from evreader.tui.widgets.entity_pane import EntityPane
from evreader.tui.widgets.filter_bar import FilterBar
from evreader.tui.widgets.reader import Reader

SEARCH_DELAY = 0.15  # seconds of typing pause before a live search runs


class MainScreen(ReaderActions):
    """Browse, filter, select and export."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # noqa: RUF012  (below 100: one pane)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", "Search", id="search"),
        Binding("c", "pick('company')", "Company", id="pick-company"),
        Binding("f", "pick('')", "Filter", id="pick-entity"),
        Binding("backspace", "pop_filter", "Drop last filter", show=False, id="pop-filter"),
        Binding("X", "clear_filters", "Clear filters", show=False, id="clear-filters"),
        Binding("space", "toggle_select", "Select", id="toggle-select"),
        Binding("a", "select_all", "Select all", show=False, id="select-all"),
        Binding("A", "clear_selection", "Clear selection", show=False, id="clear-selection"),
        Binding("e", "export", "Export", id="export"),
        Binding("E", "export_starred", "Export starred", show=False, id="export-starred"),
        Binding("u", "toggle_read", "Read/unread", show=False, id="toggle-read"),
        Binding("s", "toggle_star", "Star", show=False, id="toggle-star"),
        Binding("U", "only('unread')", "Unread only", show=False, id="unread-only"),
        Binding("S", "only('starred')", "Starred only", show=False, id="starred-only"),
        Binding("p", "profile", "Profile", id="profile"),
        Binding("R", "related", "Related articles", show=False, id="related"),
        Binding("r", "refresh_feeds", "Refresh feeds", show=False, id="refresh-feeds"),
        Binding("o", "open_url", "Open in browser", show=False, id="open-url"),
        Binding("y", "copy", "Copy article", show=False, id="copy"),
        Binding("tab", "app.focus_next", "Next pane", show=False, id="next-pane"),
        Binding("shift+tab", "app.focus_previous", "Previous pane", show=False,
                id="previous-pane"),
        Binding("escape", "escape", "Clear search", show=False, id="clear-search"),
    ]

    def __init__(self, config: Config) -> None:
        super().__init__()
        self.config = config
        self.library: Library | None = None
        self.filters = Filters()
        self.view: View | None = None
        self.generation = 0
        self._search_timer: Timer | None = None
        self._painted = threading.Event()  # set once the first view is on screen
        self.search_text = ""  # the query language, applied on top of self.filters
        self.related_to: int | None = None  # showing articles related to this one
        self.hidden: set[str] = set()  # discovered companies ignored in this session

    def compose(self) -> ComposeResult:
        yield FilterBar(id="filter-bar")
        with Horizontal(id="panes"):
            yield EntityPane(id="entities")
            with Vertical(id="middle"):
                # No select-on-focus: it would select keys typed ahead (see typeahead),
                # and '/' then goes on with the query rather than replacing it.
                yield Input(placeholder='Search: words "phrase" company:x -country:y since:2024 '
                                        "is:unread (Esc clears)", id="search",
                            select_on_focus=False)
                yield Label("", id="search-errors", markup=False)
                with Vertical(id="loading"):
                    yield Label("Reading sources…", id="loading-label")
                    yield ProgressBar(total=None, show_eta=False, id="loading-bar")
                yield ArticleList(id="articles")
            yield Reader(id="reader")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#entities").border_title = "Entities"
        self.query_one("#middle").border_title = "Articles"
        self.query_one("#reader").border_title = "Reader"
        self.query_one(FilterBar).show(self.filters, 0, 0, 0)
        self.query_one(ArticleList).focus()
        self.load_library()

    # ------------------------------------------------------------ widgets
    @property
    def narrow(self) -> bool:
        return self.has_class("-narrow")

    # ------------------------------------------------------------ loading
    @work(thread=True, exclusive=True, group="index", description="load library")
    def load_library(self) -> None:
        """Build the library off the event loop; progress and result come back as messages."""
        def progress(stage: str, done: int, total: int) -> None:
            self.post_message(LibraryProgress(stage, done, total))
        try:
            # First screen straight from the cache; then check the files and swap in a
            # rebuilt library only if something changed.
            quick = open_cached(self.config)
            if quick is not None:
                self.post_message(LibraryReady(quick, provisional=True))
                # The check below walks every file; let the first screen paint before it
                # competes for the interpreter.
                self._painted.wait(timeout=5)
            library = build_library(self.config, progress=None if quick else progress,
                                    snapshot=quick.snapshot if quick else None)
        except EvreaderError as exc:
            self.post_message(LibraryFailed(str(exc)))
            return
        if quick is not None and library.from_cache:
            quick.adopt_gazetteer(library.gazetteer)  # the cached one stays on screen
            self.post_message(LibraryVerified())
            library = quick
        else:
            self.post_message(LibraryReady(library))
        library.engine.warm()  # search tables of the library shown, before a keystroke needs them

    def on_library_progress(self, message: LibraryProgress) -> None:
        label = f"{message.stage.capitalize()}…"
        if message.total:
            label = f"{message.stage.capitalize()}… {100 * message.done // message.total}%"
        self.query_one("#loading-label", Label).update(Text(label, end=""))
        self.query_one(ProgressBar).update(total=message.total or None, progress=message.done)

    def on_library_failed(self, message: LibraryFailed) -> None:
        self.query_one("#loading-label", Label).update(Text(message.error, end=""))
        self.notify(message.error, title="Could not load", severity="error", markup=False)

    def on_library_ready(self, message: LibraryReady) -> None:
        old = self.library
        if old is not None and old is not message.library:
            # Indices change with a new library: carry selection and cursor over by id.
            ids = old.index.articles.ids
            by_id = message.library.index.by_id
            kept = {by_id[ids[i]] for i in self.articles.selected if ids[i] in by_id}
            self.articles.selected = kept
            self.related_to = None
            current = self.articles.current
            self._keep_id = ids[current] if current is not None else None
            if not message.provisional:
                added = len(message.library.index) - len(old.index)
                self.notify(f"Sources changed: {len(message.library.index):,} articles"
                            f" ({added:+,}).", markup=False)
        self.library = message.library
        self.articles.state = message.library.state
        self.query_one("#loading").display = False
        self.articles.empty_message = "No articles match. Backspace drops the last filter."
        warnings = message.library.warnings
        state = message.library.state
        if state is not None and state.problem:
            self.notify(state.problem, severity="warning", markup=False, timeout=10)
        if warnings and old is None:
            shown = "\n".join(str(w) for w in warnings[:5])
            more = f"\n…and {len(warnings) - 5} more" if len(warnings) > 5 else ""
            self.notify(shown + more, title=f"Skipped {len(warnings)} source(s)",
                        severity="warning", markup=False, timeout=10)
        if not len(message.library.index):
            self.articles.empty_message = "No articles found in the configured sources."
        self.refresh_view()

    # ------------------------------------------------------------ filtering
    def set_filters(self, filters: Filters) -> None:
        self.filters = filters
        self.refresh_view()

    def on_library_verified(self) -> None:
        self.query_one("#loading").display = False

    def refresh_view(self) -> None:
        if self.library is None:
            return
        self.generation += 1
        self.compute(self.library, self.filters, self.search_text, self.related_to,
                     frozenset(self.hidden), self.generation)

    @work(thread=True, exclusive=True, group="search", description="compute view")
    def compute(self, library: Library, filters: Filters, search: str, related_to: int | None,
                hidden: frozenset[str], generation: int) -> None:
        """Search and recount in a thread: instant for seeds, a few ms at 100k."""
        view = compute_view(library, filters, search, related_to, hidden)
        self.post_message(ViewReady(generation, view.filters, view))

    def on_view_ready(self, message: ViewReady) -> None:
        if message.generation != self.generation or self.library is None:
            return
        self.view = message.view
        index = self.library.index
        keep = self.articles.current
        keep_id = getattr(self, "_keep_id", None)
        if keep_id is not None:
            keep, self._keep_id = index.by_id.get(keep_id), None
        self.articles.set_rows(index, message.view.articles, keep=keep)
        self.query_one(EntityPane).set_facets(message.view.facets, message.filters)
        problems = [*message.view.errors, *message.view.notes]
        errors = self.query_one("#search-errors", Label)
        errors.update(Text("  ·  ".join(problems), end=""))
        errors.set_class(bool(message.view.errors), "-error")
        errors.display = bool(problems)
        self.update_bar()
        self.show_current()
        if not self._painted.is_set():
            self.call_after_refresh(self._painted.set)

    def update_bar(self) -> None:
        shown = len(self.view.articles) if self.view else 0
        total = self.view.total if self.view else 0
        filters = self.view.filters if self.view else self.filters
        related = None
        if self.related_to is not None and self.library is not None:
            related = self.library.index.articles.titles[self.related_to]
        self.query_one(FilterBar).show(filters, shown, total, len(self.articles.selected),
                                       related)

    def show_current(self) -> None:
        if self.library is not None and not self.narrow:
            self.query_one(Reader).show(self.library.index, self.articles.current)

    @on(EntityChosen)
    def entity_chosen(self, message: EntityChosen) -> None:
        self.set_filters(self.filters.toggled(message.kind, message.name))

    def add_filter(self, kind: str, name: str) -> None:
        self.set_filters(self.filters.with_entity(kind, name))

    def action_pop_filter(self) -> None:
        if self.related_to is not None:
            self.related_to = None
            self.refresh_view()
        elif self.filters.entities:
            self.set_filters(self.filters.without_entity(*self.filters.entities[-1]))
        elif self.filters.flags:
            self.set_filters(Filters(entities=self.filters.entities))
        elif self.search_text:
            self.action_escape()

    def action_clear_filters(self) -> None:
        search = self.query_one("#search", Input)
        search.value = ""
        search.display = False
        self.search_text = ""
        self.related_to = None
        self.set_filters(Filters())

    # ------------------------------------------------------------ search
    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.display = True
        self.set_focus(search)  # now, not deferred: later keys go straight to it

    @on(Input.Changed, "#search")
    def search_changed(self, event: Input.Changed) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(SEARCH_DELAY, self.apply_search)

    @on(Input.Submitted, "#search")
    def search_submitted(self) -> None:
        self.apply_search()
        self.articles.focus()

    def apply_search(self) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_timer = None
        query = self.query_one("#search", Input).value
        if query != self.search_text:
            self.search_text = query
            self.refresh_view()

    def action_escape(self) -> None:
        search = self.query_one("#search", Input)
        if self.related_to is not None:
            self.related_to = None
            self.refresh_view()
            return
        if not search.display and not self.search_text:
            return
        search.value = ""
        search.display = False
        self.articles.focus()
        self.apply_search()

    # ------------------------------------------------------------ articles
    @on(ArticleHighlighted)
    def article_highlighted(self) -> None:
        self.show_current()

    @on(ArticleOpened)
    def article_opened(self, message: ArticleOpened) -> None:
        if self.library is None:
            return
        state = self.library.state
        article_id = self.library.index.articles.ids[message.index]
        if state is not None and not state.is_read(article_id):
            state.set_read([article_id])  # opening an article reads it, as in newsboat
            self.articles.refresh_article(message.index)
        if self.narrow:
            self.app.push_screen(ArticleScreen(self.library.index, message.index))
        else:
            self.query_one(Reader).focus()

    @on(SelectionChanged)
    def selection_changed(self) -> None:
        self.update_bar()

    def action_toggle_select(self) -> None:
        self.articles.action_toggle_select()

    def action_select_all(self) -> None:
        self.articles.select_all()

    def action_clear_selection(self) -> None:
        self.articles.clear_selection()

    def action_open_url(self) -> None:
        article = self._current_article()
        if article is not None and self.library is not None:
            open_article_url(self, self.library.index, article)

    def action_copy(self) -> None:
        article = self._current_article()
        if article is not None and self.library is not None:
            copy_article(self, self.library.index, article)

    def _current_article(self) -> int | None:
        article = self.articles.current
        if article is None:
            self.notify("No article here.", severity="warning")
        return article

    # ------------------------------------------------------------ pickers
    def action_pick(self, kind: str) -> None:
        if self.library is None:
            self.notify("Still loading…")
            return
        kinds = (kind,) if kind else None
        self.app.push_screen(PickerScreen(self.library, kinds, self.view), self._picked)

    def _picked(self, choice: tuple[str, str] | None) -> None:
        if choice is not None:
            self.add_filter(*choice)

    # ------------------------------------------------------------ export
    def export_targets(self) -> list[int]:
        """Selected articles in display order (then any filtered out), else the current one."""
        selected = self.articles.selected
        if not selected:
            current = self.articles.current
            return [current] if current is not None else []
        shown = [i for i in self.articles.rows if i in selected]
        rest = sorted(selected.difference(shown))
        return shown + rest

    def action_export(self) -> None:
        targets = self.export_targets()
        if self.library is None or not targets:
            self.notify("Nothing to export.", severity="warning")
            return
        what = "selected" if self.articles.selected else "current"
        screen = ExportScreen(self.config.export.path, self.config.export.format,
                              len(targets), what)
        self.app.push_screen(screen, lambda req: self._export(req, targets))  # a selection

    def _export(self, request: ExportRequest | None, targets: list[int],
                described: Filters | None = None) -> None:
        if request is not None and self.library is not None:
            self.write_note(self.library, request, targets, described)

    @work(thread=True, group="export", description="write note")
    def write_note(self, library: Library, request: ExportRequest, targets: list[int],
                   described: Filters | None) -> None:
        """Render and append the note off the event loop (it fsyncs)."""
        settings = self.config.export
        try:
            entry = render_note(library.index, targets, fmt=request.fmt, body=settings.body,
                                excerpt_chars=settings.excerpt_chars,
                                filters=described)
            path = append_note(request.path, entry)
        except EvreaderError as exc:
            self.post_message(ExportFailed(str(exc)))
        except OSError as exc:
            self.post_message(ExportFailed(f"cannot write the note: {exc}"))
        else:
            self.post_message(ExportDone(str(path), len(targets)))

    def on_export_done(self, message: ExportDone) -> None:
        noun = "article" if message.count == 1 else "articles"
        self.notify(f"{message.count} {noun} appended to {message.path}", title="Exported",
                    markup=False)

    def on_export_failed(self, message: ExportFailed) -> None:
        self.notify(message.error, title="Export failed", severity="error", markup=False)
