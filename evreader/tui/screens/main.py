"""The main screen: entities | articles | reader, with the filter bar above.

All state (filters, selection) lives here. Anything that may be slow on a big
corpus — building the library, searching, recounting facets — runs in a thread
worker that posts a message back; stale results are dropped by generation.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, Label, ProgressBar

from evreader.config import Config
from evreader.errors import EvreaderError
from evreader.export import append_note, render_note
from evreader.index.corpus import Filters
from evreader.library import Library, build_library
from evreader.tui.messages import (
    ArticleHighlighted,
    ArticleOpened,
    EntityChosen,
    ExportDone,
    ExportFailed,
    LibraryFailed,
    LibraryProgress,
    LibraryReady,
    SelectionChanged,
    ViewReady,
)
from evreader.tui.render import article_as_text
from evreader.tui.screens.article import ArticleScreen
from evreader.tui.screens.export import ExportRequest, ExportScreen
from evreader.tui.screens.picker import PickerScreen
from evreader.tui.view import View, compute_view
from evreader.tui.widgets.article_list import ArticleList
from evreader.tui.widgets.entity_pane import EntityPane
from evreader.tui.widgets.filter_bar import FilterBar
from evreader.tui.widgets.reader import Reader

SEARCH_DELAY = 0.15  # seconds of typing pause before a live search runs


class MainScreen(Screen[None]):
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

    def compose(self) -> ComposeResult:
        yield FilterBar(id="filter-bar")
        with Horizontal(id="panes"):
            yield EntityPane(id="entities")
            with Vertical(id="middle"):
                yield Input(placeholder="Search articles (Esc clears)", id="search")
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
    def articles(self) -> ArticleList:
        return self.query_one(ArticleList)

    @property
    def narrow(self) -> bool:
        return self.has_class("-narrow")

    # ------------------------------------------------------------ loading
    @work(thread=True, exclusive=True, group="index")
    def load_library(self) -> None:
        """Build the library off the event loop; progress and result come back as messages."""
        def progress(stage: str, done: int, total: int) -> None:
            self.post_message(LibraryProgress(stage, done, total))
        try:
            library = build_library(self.config, progress=progress)
        except EvreaderError as exc:
            self.post_message(LibraryFailed(str(exc)))
            return
        self.post_message(LibraryReady(library))

    def on_library_progress(self, message: LibraryProgress) -> None:
        label = f"{message.stage.capitalize()}…"
        if message.total:
            label = f"{message.stage.capitalize()} {message.done:,} of {message.total:,} articles"
        self.query_one("#loading-label", Label).update(Text(label, end=""))
        self.query_one(ProgressBar).update(total=message.total or None, progress=message.done)

    def on_library_failed(self, message: LibraryFailed) -> None:
        self.query_one("#loading-label", Label).update(Text(message.error, end=""))
        self.notify(message.error, title="Could not load", severity="error", markup=False)

    def on_library_ready(self, message: LibraryReady) -> None:
        self.library = message.library
        self.query_one("#loading").display = False
        self.articles.empty_message = "No articles match. Backspace drops the last filter."
        warnings = message.library.warnings
        if warnings:
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

    def refresh_view(self) -> None:
        if self.library is None:
            return
        self.generation += 1
        self.compute(self.library, self.filters, self.generation)

    @work(thread=True, exclusive=True, group="search")
    def compute(self, library: Library, filters: Filters, generation: int) -> None:
        """Search and recount in a thread: instant for seeds, a few ms at 100k."""
        self.post_message(ViewReady(generation, filters, compute_view(library, filters)))

    def on_view_ready(self, message: ViewReady) -> None:
        if message.generation != self.generation or self.library is None:
            return
        self.view = message.view
        index = self.library.index
        self.articles.set_rows(index, message.view.articles, keep=self.articles.current)
        self.query_one(EntityPane).set_facets(message.view.facets, message.filters)
        self.update_bar()
        self.show_current()

    def update_bar(self) -> None:
        shown = len(self.view.articles) if self.view else 0
        total = self.view.total if self.view else 0
        self.query_one(FilterBar).show(self.filters, shown, total, len(self.articles.selected))

    def show_current(self) -> None:
        if self.library is not None and not self.narrow:
            self.query_one(Reader).show(self.library.index, self.articles.current)

    @on(EntityChosen)
    def entity_chosen(self, message: EntityChosen) -> None:
        self.set_filters(self.filters.toggled(message.kind, message.name))

    def add_filter(self, kind: str, name: str) -> None:
        self.set_filters(self.filters.with_entity(kind, name))

    def action_pop_filter(self) -> None:
        if self.filters.entities:
            self.set_filters(self.filters.without_entity(*self.filters.entities[-1]))
        elif self.filters.query:
            self.action_escape()

    def action_clear_filters(self) -> None:
        search = self.query_one("#search", Input)
        search.value = ""
        search.display = False
        self.set_filters(Filters())

    # ------------------------------------------------------------ search
    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.display = True
        search.focus()

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
        if query != self.filters.query:
            self.set_filters(self.filters.with_query(query))

    def action_escape(self) -> None:
        search = self.query_one("#search", Input)
        if not search.display and not self.filters.query:
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
        if article is None:
            return
        url = self.library.index.articles[article].url if self.library else None
        if not url:
            self.notify("This article has no URL.", severity="warning")
            return
        self.app.open_url(url)
        self.notify(f"Opening {url}", markup=False)

    def action_copy(self) -> None:
        article = self._current_article()
        if article is None or self.library is None:
            return
        self.app.copy_to_clipboard(article_as_text(self.library.index, article))
        self.notify("Article copied to the clipboard.")

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
        self.app.push_screen(screen, lambda req: self._export(req, targets))

    def _export(self, request: ExportRequest | None, targets: list[int]) -> None:
        if request is not None and self.library is not None:
            self.write_note(self.library, request, targets)

    @work(thread=True, group="export")
    def write_note(self, library: Library, request: ExportRequest, targets: list[int]) -> None:
        """Render and append the note off the event loop (it fsyncs)."""
        settings = self.config.export
        try:
            entry = render_note(library.index, targets, fmt=request.fmt, body=settings.body,
                                excerpt_chars=settings.excerpt_chars,
                                filters=None if self.articles.selected else self.filters)
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
