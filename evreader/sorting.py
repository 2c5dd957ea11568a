"""The orders an article list can be shown in.

    relevance  best match first when searching; newest first otherwise (the default)
    newest     newest first
    oldest     oldest first
    source     by publisher (A–Z, unknown last), newest first within one
    title      by title (A–Z), newest first within one

Undated articles come last in every order but relevance: a list never pretends
to know when they were published. Ranks of titles and publishers are computed
once per index, so re-sorting 100k rows is one numpy lexsort.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import numpy.typing as npt

from evreader.index.corpus import CorpusIndex
from evreader.models import SORTS, Sort

DEFAULT_SORT: Sort = "relevance"
LABELS: dict[Sort, str] = {"relevance": "best match first", "newest": "newest first",
                           "oldest": "oldest first", "source": "by source", "title": "by title"}
__all__ = ["DEFAULT_SORT", "LABELS", "SORTS", "Sort", "effective", "next_sort", "sort_rows"]
_UNDATED_LAST = np.int64(1) << 40  # larger than any date ordinal

IntArray = npt.NDArray[np.int64]


def effective(sort: Sort, searching: bool) -> Sort:
    """What `sort` means now: relevance without a search is newest first."""
    return "newest" if sort == "relevance" and not searching else sort


def next_sort(sort: Sort, searching: bool) -> Sort:
    """The order after `sort` when cycling (relevance is offered only while searching)."""
    cycle = SORTS if searching else SORTS[1:]
    current = effective(sort, searching)
    return cycle[(cycle.index(current) + 1) % len(cycle)]


def sort_rows(index: CorpusIndex, rows: Sequence[int], sort: Sort, *,
              searching: bool) -> list[int]:
    """`rows` (article indices, newest first or best match first) in `sort` order."""
    mode = effective(sort, searching)
    if mode == "relevance" or len(rows) < 2:
        return list(rows)
    r = np.asarray(rows, dtype=np.int64)
    day = np.asarray(index.day, dtype=np.int64)[r]
    newest = np.where(day == 0, _UNDATED_LAST, -day)  # undated last
    position = np.arange(len(r))
    if mode == "newest":
        keys: tuple[npt.NDArray[np.int64], ...] = (position, newest)
    elif mode == "oldest":
        keys = (position, np.where(day == 0, _UNDATED_LAST, day))
    elif mode == "source":
        keys = (position, newest, _ranks(index, "publisher")[r])
    else:
        keys = (position, newest, _ranks(index, "title")[r])
    return [int(i) for i in r[np.lexsort(keys)]]


def _ranks(index: CorpusIndex, what: Literal["title", "publisher"]) -> IntArray:
    """Each article's place when sorted by `what`, kept on the index once computed."""
    found = index.derived.get(f"rank:{what}")
    if found is not None:
        return found
    store = index.articles
    if what == "title":
        ranks = _rank([t.casefold() for t in store.titles])
    else:
        # Rank the few publishers, then spread the ranks to the articles; unknown last.
        by_table = _rank([(p == "", p.casefold()) for p in store.publishers])
        ranks = by_table[np.asarray(store.publisher_idx, dtype=np.int64)]
    index.derived[f"rank:{what}"] = ranks
    return ranks


def _rank(values: Sequence[object]) -> IntArray:
    order = sorted(range(len(values)), key=values.__getitem__)  # type: ignore[arg-type]
    rank = np.empty(len(values), dtype=np.int64)
    rank[np.asarray(order, dtype=np.int64)] = np.arange(len(values), dtype=np.int64)
    return rank
