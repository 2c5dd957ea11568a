"""What the main screen shows for one set of filters, computed off the event loop.

`compute_view` is pure and thread-safe (it only reads the immutable Library), so
the screen can run it in a worker and drop results that arrive out of date.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from evreader.index.corpus import EntityInfo, Filters
from evreader.library import Library
from evreader.models import KINDS

EntityRow = tuple[EntityInfo, int]


@dataclass(frozen=True, slots=True)
class View:
    articles: list[int]  # article indices in display order
    total: int  # articles in the library
    facets: dict[str, list[EntityRow]] = field(default_factory=dict)  # kind → rows


def compute_view(library: Library, filters: Filters) -> View:
    """Articles passing `filters` and entity counts among them (active filters kept)."""
    articles = library.select(filters)
    index = library.index
    counts = index.facet_counts(library.mask(filters, articles))
    facets: dict[str, list[EntityRow]] = {}
    for kind in KINDS:
        rows = index.top_entities(counts, kind)
        shown = {info.name for info, _ in rows}
        for k, name in filters.entities:
            if k == kind and name not in shown:
                for eid in index.entity_ids(k, name):
                    rows.append((index.entities[eid], int(counts[eid])))
                    break
        facets[kind] = rows
    return View(articles, len(index), facets)
