"""What the main screen shows for one request, computed off the event loop.

`compute_view` is pure and thread-safe (it only reads the Library), so the screen
can run it in a worker and drop results that arrive out of date. Every rule it
applies (filters, sort, facet counts, hit marking) is the core's; this only
bundles the answers the screen needs at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from evreader.highlight import Highlighter, highlighter
from evreader.library import Facets, Library, ListSummary
from evreader.models import KINDS, SOURCE, Filters, Sort
from evreader.profile import related_articles
from evreader.query import resolve_query
from evreader.sorting import DEFAULT_SORT, effective

FacetRow = tuple[str, int]  # name, articles
SECTIONS = (*KINDS, SOURCE, "discovered")  # entity pane sections, in order


@dataclass(frozen=True, slots=True)
class ViewRequest:
    """Everything a list depends on: the pane's filters, the search box, the sort."""

    filters: Filters = field(default_factory=Filters)
    search: str = ""  # the query language, applied on top of `filters`
    sort: Sort = DEFAULT_SORT
    related_to: int | None = None  # list the articles related to this one instead
    hidden: frozenset[str] = frozenset()  # discovered companies ignored this session
    watchlist: str | None = None  # applied: its query is the search, read as it reads it


@dataclass(frozen=True, slots=True)
class View:
    articles: list[int]  # article indices in display order
    total: int  # articles in the library
    summary: ListSummary  # how many are listed, undated, unread
    facets: dict[str, list[FacetRow]] = field(default_factory=dict)  # section → rows
    counts: Facets | None = None  # per-entity counts (the pickers use them)
    filters: Filters = field(default_factory=Filters)  # pane filters + the parsed search
    errors: tuple[str, ...] = ()  # query problems, shown under the search box
    notes: tuple[str, ...] = ()  # how query values were read ("company:nisan → Nissan")
    marks: Highlighter = field(default_factory=Highlighter)  # search hits to mark
    sort: Sort = "newest"  # the order in effect
    watchlist: str | None = None  # the watchlist shown (its query still in the search box)


def compute_view(library: Library, request: ViewRequest) -> View:
    """The articles passing the request's filters and search, sorted, with counts."""
    index = library.index
    errors: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    effective_filters = request.filters
    watching = library.watch_search(request.watchlist, request.search, request.filters) \
        if request.watchlist is not None else None
    if watching is not None:
        effective_filters, notes = watching.filters, watching.notes
    elif request.search.strip():
        resolved = resolve_query(request.search, library.engine, request.filters)
        effective_filters, errors, notes = resolved.filters, resolved.errors, resolved.notes
    searching = bool(effective_filters.text_query)
    if request.related_to is not None:
        articles = [i for i, _ in related_articles(index, request.related_to, limit=50)]
        counts = library.facets(Filters(), articles)
        sort: Sort = "relevance"
    else:
        articles = library.select(effective_filters, request.sort)
        counts = library.facets(effective_filters, articles)
        sort = effective(request.sort, searching)
    facets: dict[str, list[FacetRow]] = {}
    active = set(effective_filters.entities)
    for section in SECTIONS:
        if section == SOURCE:
            rows = list(counts.publishers)
        else:
            kind, discovered = ("company", True) if section == "discovered" else (section, False)
            rows = [(info.name, n) for info, n in index.top_entities(
                counts.counts, kind, discovered=discovered)]
            if discovered:
                rows = [r for r in rows if r[0] not in request.hidden]
        kind = "company" if section == "discovered" else section
        shown = {name for name, _ in rows}
        rows += [(name, 0) for k, name in effective_filters.entities
                 if k == kind and section != "discovered" and name not in shown
                 and (k, name) in active]
        facets[section] = rows
    marks = highlighter(library.engine, effective_filters) if searching else Highlighter()
    return View(articles, len(index), library.summary(articles), facets, counts,
                effective_filters, errors, notes, marks, sort,
                request.watchlist if watching is not None else None)
