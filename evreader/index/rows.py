"""Entity names of many articles at once, for printing lists.

`CorpusIndex.entity_names` answers for one article with a Python loop over its
mentions (~60 of them at the benchmark corpus); a list of 26k rows called it 26k
times and that was most of the second it took to print. Here the mentions of
all the rows are gathered and de-duplicated with a few numpy passes, in the
same order `entity_names` gives: first mention first, discovered ones apart.

The table and the CLI print the leading companies and countries of each row;
`lead_table` holds them for every article (the cache keeps it, so a warm list
reads seven ints a row and no mentions at all).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from evreader.index.corpus import CorpusIndex
from evreader.index.store import AUTHOR_SEP
from evreader.models import KINDS

LEAD: tuple[tuple[str, int], ...] = (("company", 4), ("country", 3))  # what a row shows
LEAD_KEY = "lead"  # in CorpusIndex.derived, when the cache did not bring it
NAMES_KEY = "entity-names"
LEAD_BLOCK = 16384  # articles per pass: ~60 MB of temporaries at most
Int32s = npt.NDArray[np.int32]
_CODE: dict[str, int] = {kind: i for i, kind in enumerate(KINDS)}  # kind -> its code


class RowEntities:
    """Entity ids of some rows, de-duplicated, in order of first mention, by kind.

    `ids[kind]` and `owner[kind]` are parallel: entity id and the row (position in
    the rows asked for) it belongs to, rows ascending."""

    def __init__(self, index: CorpusIndex, rows: Sequence[int] | npt.NDArray[Any],
                 kinds: Sequence[str] = KINDS, *, discovered: bool = False,
                 codes: npt.NDArray[np.int8] | None = None) -> None:
        self.rows = len(rows)
        self.index = index
        self.ids: dict[str, Int32s] = {}
        self.owner: dict[str, npt.NDArray[np.int64]] = {}
        owner, ents = _mentions(index, np.asarray(rows, dtype=np.int64))
        if codes is None:
            codes = _kind_codes(index, discovered)
        n_ent = len(index.entities)
        wanted = [_CODE[kind] for kind in kinds]
        kind_of = codes[ents] if len(ents) else np.zeros(0, dtype=np.int8)
        keep = np.isin(kind_of, wanted)
        owner, ents, kind_of = _first_of_each(owner[keep], ents[keep], kind_of[keep], n_ent)
        for kind, code in zip(kinds, wanted, strict=True):
            mine = kind_of == code
            self.ids[kind], self.owner[kind] = ents[mine], owner[mine]

    def names_by_row(self, kind: str, limit: int | None = None) -> list[list[str]]:
        """For each row, the names of `kind` (at most `limit`)."""
        owner, ids = self.owner[kind], self.ids[kind]
        if limit is not None and len(owner):
            keep = _rank(owner, self.rows) < limit
            owner, ids = owner[keep], ids[keep]
        names = _names(self.index)[ids].tolist()  # one gather, then slices of it
        bounds = np.arange(self.rows, dtype=owner.dtype)
        starts = np.searchsorted(owner, bounds).tolist()
        ends = np.searchsorted(owner, bounds, side="right").tolist()
        return [names[a:b] for a, b in zip(starts, ends, strict=True)]


def lead_table(index: CorpusIndex) -> Int32s:
    """(articles × 7) entity ids: each article's first 4 companies and first 3
    countries (by first mention, discovered ones left out), -1 where it has fewer.
    Made once per index (or read from the cache), LEAD_BLOCK articles at a time so
    that a cold build's peak memory does not grow with it."""
    found = index.derived.get(LEAD_KEY)
    if found is not None:
        return np.asarray(found, dtype=np.int32)
    n = len(index)
    table = np.full((n, sum(k for _, k in LEAD)), -1, dtype=np.int32)
    codes = _kind_codes(index, False)
    m_ptr, m_ent = np.asarray(index.m_ptr, dtype=np.int64), np.asarray(index.m_ent)
    for lo in range(0, n, LEAD_BLOCK):
        hi = min(n, lo + LEAD_BLOCK)
        ents = m_ent[m_ptr[lo]:m_ptr[hi]]  # a block's mentions are contiguous
        if len(ents) and (int(ents.min()) < 0 or int(ents.max()) >= len(codes)):
            raise ValueError("a mention names no entity")
        owner = np.repeat(np.arange(hi - lo, dtype=np.int32), np.diff(m_ptr[lo:hi + 1]))
        kind_of = codes[ents]
        col = 0
        for kind, k in LEAD:
            mine = kind_of == _CODE[kind]
            table[lo:hi, col:col + k] = _first_k(owner[mine], ents[mine], hi - lo, k)
            col += k
    index.derived[LEAD_KEY] = table
    return table


def _first_k(owner: Int32s, ents: Int32s, rows: int, k: int) -> Int32s:
    """(rows × k) the first k distinct entities of each row, in mention order (-1
    where fewer): k rounds, each taking every row's earliest remaining mention and
    dropping that entity's other mentions from the row — no sort."""
    out = np.full((rows, k), -1, dtype=np.int32)
    chosen = np.full(rows, -1, dtype=np.int32)
    for r in range(k):
        if not len(owner):
            break
        starts = np.flatnonzero(np.concatenate(([True], owner[1:] != owner[:-1])))
        firsts = owner[starts]
        out[firsts, r] = chosen[firsts] = ents[starts]
        keep = ents != chosen[owner]
        owner, ents = owner[keep], ents[keep]
    return out


def lead_names(index: CorpusIndex, rows: Sequence[int]) -> list[tuple[str, str]]:
    """For each row, its leading companies and countries as "A, B" strings."""
    table = lead_table(index)
    names = [e.name for e in index.entities]
    picked = table[np.asarray(rows, dtype=np.int64)].tolist() if len(rows) else []
    ncomp = LEAD[0][1]
    out = []
    for row in picked:
        companies = ", ".join([names[e] for e in row[:ncomp] if e >= 0])
        countries = ", ".join([names[e] for e in row[ncomp:] if e >= 0])
        out.append((companies, countries))
    return out


def _mentions(index: CorpusIndex, rows: npt.NDArray[np.int64]
              ) -> tuple[npt.NDArray[np.int64], Int32s]:
    """Every mention of the rows: (row position, entity id), in mention order."""
    m_ptr = np.asarray(index.m_ptr)
    if not len(rows):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int32)
    lo = m_ptr[rows].astype(np.int64)
    counts = m_ptr[rows + 1].astype(np.int64) - lo
    total = int(counts.sum())
    owner = np.repeat(np.arange(len(rows), dtype=np.int64), counts)
    # position of each mention: its row's start plus its place within the row
    starts = np.cumsum(counts) - counts
    pos = np.arange(total, dtype=np.int64) - np.repeat(starts - lo, counts)
    ents = np.asarray(index.m_ent)[pos].astype(np.int32, copy=False)
    if total and (int(ents.min()) < 0 or int(ents.max()) >= len(index.entities)):
        raise ValueError("a mention names no entity (a damaged cache? `evreader cache clear`)")
    return owner, ents


def _names(index: CorpusIndex) -> npt.NDArray[np.object_]:
    """The entity names as an object array, for gathers (made once per index)."""
    found = index.derived.get(NAMES_KEY)
    if found is None or len(found) != len(index.entities):
        found = np.empty(len(index.entities), dtype=object)
        found[:] = [e.name for e in index.entities]
        index.derived[NAMES_KEY] = found
    return found


def _kind_codes(index: CorpusIndex, discovered: bool) -> npt.NDArray[np.int8]:
    """Per entity id: the index of its kind in KINDS, or -1 when it is (not)
    discovered, so that one comparison picks an entity kind."""
    return np.fromiter((_CODE.get(e.kind, -1) if e.discovered == discovered else -1
                        for e in index.entities), dtype=np.int8, count=len(index.entities))


def _first_of_each(owner: npt.NDArray[np.int64], ents: Int32s, kind_of: npt.NDArray[np.int8],
                   n_ent: int) -> tuple[npt.NDArray[np.int64], Int32s, npt.NDArray[np.int8]]:
    """The first mention of each (row, entity), in mention order."""
    if not len(owner):
        return owner, ents, kind_of
    key = owner * max(n_ent, 1) + ents
    if int(key[-1]) < 2**31 and int(owner[-1]) * max(n_ent, 1) < 2**31:
        key = key.astype(np.int32)  # sorts faster; owner ascends, so key[-1] bounds it
    _, first = np.unique(key, return_index=True)
    first.sort()
    return owner[first], ents[first], kind_of[first]


def _rank(owner: npt.NDArray[np.int64], rows: int) -> npt.NDArray[np.int64]:
    """Each item's place within its row (owner ascending)."""
    starts = np.searchsorted(owner, np.arange(rows, dtype=np.int64))
    return np.arange(len(owner), dtype=np.int64) - starts[owner]


# ---------------------------------------------------------------- JSON records

ARTICLE_FIELDS = ("id", "source", "publisher", "title", "published", "authors", "url", "byline",
                  "text", "entities", "discovered")  # CorpusIndex.as_dict's, in its order


def records(index: CorpusIndex, rows: Sequence[int], fields: Sequence[str] = ARTICLE_FIELDS
            ) -> list[dict[str, object]]:
    """`CorpusIndex.as_dict` of each row with only `fields` (in that order), made
    column by column: a body is decoded only when "text" is asked for, mentions
    are read only for "entities" and "discovered"."""
    store = index.articles
    picked = np.asarray(rows, dtype=np.int64)
    columns: dict[str, list[object]] = {}
    for name in fields:
        if name == "id":
            columns[name] = [store.ids[i] for i in rows]
        elif name == "source":
            table = store.sources
            columns[name] = [table[s] for s in np.asarray(store.source_idx)[picked].tolist()]
        elif name == "publisher":
            table = store.publishers
            columns[name] = [table[p] or None
                             for p in np.asarray(store.publisher_idx)[picked].tolist()]
        elif name == "title":
            columns[name] = [store.titles[i] for i in rows]
        elif name == "published":
            columns[name] = list(iso_days(np.asarray(index.day)[picked].tolist()))
        elif name == "authors":
            columns[name] = [a.split(AUTHOR_SEP) if (a := store.authors[i]) else [] for i in rows]
        elif name == "url":
            columns[name] = [store.urls[i] or None for i in rows]
        elif name == "byline":
            columns[name] = [store.bylines[i] or None for i in rows]
        elif name == "text":
            columns[name] = list(store.texts(rows))  # read in stored order: each block once
        elif name == "entities":
            found = RowEntities(index, picked)
            by_kind = [found.names_by_row(kind) for kind in KINDS]
            columns[name] = [dict(zip(KINDS, names, strict=True))
                             for names in zip(*by_kind, strict=True)]
        elif name == "discovered":
            found = RowEntities(index, picked, ["company"], discovered=True)
            columns[name] = [{"company": names} for names in found.names_by_row("company")]
        else:
            raise ValueError(f"unknown article field {name!r}")
    if not fields:
        return [{} for _ in rows]
    return [dict(zip(fields, values, strict=True))
            for values in zip(*columns.values(), strict=True)]


def iso_days(days: Sequence[int]) -> list[str | None]:
    """Ordinal days as YYYY-MM-DD (0: None), each distinct day formatted once."""
    seen: dict[int, str | None] = {0: None}
    out = []
    for day in days:
        text = seen.get(day, "")
        if text == "":
            text = seen[day] = date.fromordinal(day).isoformat()
        out.append(text)
    return out
