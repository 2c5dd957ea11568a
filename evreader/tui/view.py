"""What the main screen shows for one set of filters, computed off the event loop.

`compute_view` is pure and thread-safe (it only reads the Library), so the screen
can run it in a worker and drop results that arrive out of date.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from evreader.index.corpus import EntityInfo
from evreader.library import Library
from evreader.models import KINDS, Filters
from evreader.profile import related_articles
from evreader.query import resolve_query

EntityRow = tuple[EntityInfo, int]
SECTIONS = (*KINDS, "discovered")  # entity pane sections, in order


@dataclass(frozen=True, slots=True)
class View:
    articles: list[int]  # article indices in display order
    total: int  # articles in the library
    facets: dict[str, list[EntityRow]] = field(default_factory=dict)  # section → rows
    filters: Filters = field(default_factory=Filters)  # pane filters + the parsed search
    errors: tuple[str, ...] = ()  # query problems, shown under the search box
    notes: tuple[str, ...] = ()  # how query values were read ("company:nisan → Nissan")


def compute_view(library: Library, filters: Filters, search: str = "",
                 related_to: int | None = None, hidden: frozenset[str] = frozenset()) -> View:
    """Articles passing `filters` and the search query, and entity counts among them.

    With `related_to`, the list is the articles related to that one instead.
    `hidden` names discovered companies the user chose to ignore.
    """
    index = library.index
    errors: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    effective = filters
    if search.strip():
        resolved = resolve_query(search, library.engine, filters)
        effective, errors, notes = resolved.filters, resolved.errors, resolved.notes
    if related_to is not None:
        articles = [i for i, _ in related_articles(index, related_to, limit=50)]
        mask = library.mask(Filters(), articles)
    else:
        articles = library.select(effective)
        mask = library.mask(effective, articles)
    counts = index.facet_counts(mask)
    facets: dict[str, list[EntityRow]] = {}
    for section in SECTIONS:
        kind, discovered = ("company", True) if section == "discovered" else (section, False)
        rows = index.top_entities(counts, kind, discovered=discovered)
        if discovered and hidden:
            rows = [r for r in rows if r[0].name not in hidden]
        shown = {info.name for info, _ in rows}
        if not discovered:
            for k, name in effective.entities:
                if k == kind and name not in shown:
                    for eid in index.entity_ids(k, name):
                        rows.append((index.entities[eid], int(counts[eid])))
                        break
        facets[section] = rows
    return View(articles, len(index), facets, effective, errors, notes)
