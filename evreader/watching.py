"""What a library holds for each watchlist: its rows, counts, marks and visits.

The definitions of "first seen", "mark" and "new" are in `evreader.watchlists`;
this module applies them to one `Library` (the reader's pane, `evreader watch`),
which caches what it can in its `WatchCache`.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import numpy as np

from evreader.errors import EvreaderError, UsageError
from evreader.models import SOURCE, Filters
from evreader.query import Resolved
from evreader.state import (
    ReadingState,
    datetime_to_us,
    record_first_seen,
    us_to_datetime,
)
from evreader.watchlists import (
    MATCH_SCORE,
    Int64Array,
    WatchCounts,
    Watchlist,
    Watchlists,
    WatchPlan,
    WatchStatus,
    load_watchlists,
    watch_key,
)

if TYPE_CHECKING:
    from evreader.config import Config
    from evreader.library import Library

def loaded(lib: Library) -> Watchlists:
    cache = lib.watch
    if cache.loaded is None:
        cache.loaded = load_watchlists(lib.config)
    return cache.loaded


def find(lib: Library, name: str) -> Watchlist:
    """The watchlist `name` names (case and spacing aside); UsageError saying why not."""
    found = loaded(lib)
    key = watch_key(name)
    for wl in found.items:
        if wl.key == key:
            return wl
    if key in found.rejected:
        raise UsageError(f"watchlist {name!r} cannot be used: {found.rejected[key]}")
    names = ", ".join(w.name for w in found.items)
    raise UsageError(f"no watchlist named {name!r}" + (f" (watchlists: {names})" if names else
                     " (none yet: `evreader watch --add NAME QUERY` or `watchlists:` in "
                     "config.yaml)"))


def plan(lib: Library, name: str) -> WatchPlan:
    wl = find(lib, name)
    cached = lib.watch.plans.get(wl.key)
    if cached is None:
        cached = lib.watch.plans[wl.key] = resolve_watchlist(lib, wl)
    return cached


def resolve_watchlist(lib: Library, wl: Watchlist) -> WatchPlan:
    """Filters for a watchlist. Entity values resolve as in the search box (fuzzy,
    'nisan' → Nissan), and also to an entity no article mentions yet when the value
    is one of its names in the gazetteer: a standing query about CATL must mean CATL
    before the first CATL article arrives. A value that names nothing is kept as
    written, so it matches nothing (rather than being dropped, which would widen
    `company:x country:indonesia` to all of Indonesia)."""
    q = wl.parsed
    notes: list[str] = []
    engine = lib.engine

    def names(kind: str, raw: str) -> list[str]:
        if kind == SOURCE:
            found = engine.lookup_publishers(raw)
        else:
            surface = lib.gazetteer.surfaces.get(" ".join(raw.split()).lower())
            found = [n for k, n in surface.targets if k == kind] if surface else []
            if not found:
                best = engine.lookup(raw, [kind], limit=1)
                found = [best[0].name] if best and best[0].score >= MATCH_SCORE else []
        if not found:
            notes.append(f"{kind}:{raw} names no known {kind}; it matches nothing yet")
            return [raw]
        if [n.casefold() for n in found] != [raw.casefold()]:
            notes.append(f"{kind}:{raw} → {' or '.join(found)}")
        return found

    def resolved(items: list[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
        out: dict[tuple[str, str], None] = {}
        for kind, raw in items:
            out.update(dict.fromkeys((kind, n) for n in names(kind, raw)))
        return tuple(out)

    filters = Filters(entities=resolved(q.entities), exclude=resolved(q.exclude),
                      since=q.since, until=q.until, query=" ".join(q.words),
                      phrases=tuple(q.phrases), not_words=tuple(q.not_words),
                      flags=frozenset(q.flags))
    return WatchPlan(wl, filters, tuple(notes))


def resolve_search(lib: Library, name: str, text: str, base: Filters | None = None
                   ) -> Resolved | None:
    """The search box holding a watchlist's query (as the reader puts it there when the
    watchlist is applied), read as the watchlist reads it: the plan's filters on top
    of `base` (the pane's filters), so the list shows the articles the counts are
    about, even where the search box would widen (a value naming nothing) or miss (an
    entity not yet in any article). None when `text` is no longer the query (it was
    edited) or the watchlist is gone: the search box's own reading then applies."""
    try:
        found = plan(lib, name)
    except EvreaderError:
        return None
    if text.split() != found.watchlist.query.split():
        return None
    wanted, base = found.filters, base or Filters()

    def joined(a: tuple[tuple[str, str], ...], b: tuple[tuple[str, str], ...]
               ) -> tuple[tuple[str, str], ...]:
        return tuple(dict.fromkeys((*a, *b)))

    filters = Filters(entities=joined(base.entities, wanted.entities),
                      exclude=joined(base.exclude, wanted.exclude),
                      since=wanted.since or base.since, until=wanted.until or base.until,
                      query=wanted.query, phrases=(*base.phrases, *wanted.phrases),
                      not_words=(*base.not_words, *wanted.not_words),
                      flags=base.flags | wanted.flags)
    return Resolved(filters, (), found.notes)


def first_seen_times(lib: Library) -> Int64Array:
    """Each article's first-seen time (µs since the epoch), by article index; records
    this library's articles on first use (see the module doc)."""
    cache = lib.watch
    if cache.first_seen is None:
        ids = lib.index.articles.ids
        seen = record_first_seen(lib.config.data_dir, ids, lib.observed_at)
        if seen.problem:
            cache.problems.append(seen.problem)
        times = seen.times
        cache.first_seen = np.fromiter((times[i] for i in ids), dtype=np.int64, count=len(ids))
    return cache.first_seen


def _state(lib: Library) -> ReadingState:
    if lib.state is None:
        lib.state = ReadingState(lib.config.data_dir / "state.json")
    return lib.state


def mark_of(lib: Library, wl: Watchlist) -> int:
    """The watchlist's mark, started at this library's observation time if it has none
    (after recording first-seen times, so this library's articles are not new)."""
    first_seen_times(lib)
    state = _state(lib)
    mark = state.watch_mark(wl.key)
    if mark is None:
        moved = state.move_watch_mark(wl.key, lib.observed_at, only_if_absent=True)
        if not moved.saved and state.problem:
            lib.watch.problems.append(state.problem)
        mark = moved.at
    return mark


def rows(lib: Library, name: str) -> Int64Array:
    """The watchlist's articles, newest first (by published date, as in the list)."""
    return np.asarray(lib.select(plan(lib, name).filters, "newest"), dtype=np.int64)


def counts(lib: Library, name: str) -> WatchCounts:
    matching = rows(lib, name)
    since = mark_of(lib, find(lib, name))
    new = int(np.count_nonzero(first_seen_times(lib)[matching] > since))
    unread = len(matching) - int(np.count_nonzero(lib.read_mask()[matching]))
    return WatchCounts(new, unread, len(matching), us_to_datetime(since))


def overview(lib: Library) -> list[WatchStatus]:
    """Every usable watchlist with its counts, in order (config.yaml's, then the saved
    ones): what the reader's Watchlists section lists. Records first-seen times and
    starts marks on first use (see the module doc), so it writes to the data dir."""
    return [WatchStatus(wl, counts(lib, wl.name)) for wl in loaded(lib).items]


def new_rows(lib: Library, name: str, since: datetime | None = None) -> list[int]:
    matching = rows(lib, name)
    after = mark_of(lib, find(lib, name)) if since is None else datetime_to_us(since)
    return [int(i) for i in matching[first_seen_times(lib)[matching] > after]]


def mark_seen(lib: Library, name: str, at: datetime | None = None) -> datetime:
    wl = find(lib, name)
    first_seen_times(lib)
    state = _state(lib)
    moved = state.move_watch_mark(wl.key, lib.observed_at if at is None else
                                  datetime_to_us(at))
    if not moved.saved:
        raise EvreaderError(state.problem or "the reading state could not be saved")
    return us_to_datetime(moved.at)


def start_marks(config: Config, at: int) -> list[str]:
    """Start the mark of every watchlist that has none at `at` (µs; the library
    clock's now), for a library that does not exist yet (no sources, the feeds not
    fetched): what arrives from then on is new. Returns the problems met (bad
    entries, an unwritable state)."""
    found = load_watchlists(config)
    if not found.items:
        return list(found.warnings)
    state = ReadingState(config.data_dir / "state.json")
    for wl in found.items:
        state.move_watch_mark(wl.key, at, only_if_absent=True)
    return [*found.warnings, *([state.problem] if state.problem else [])]
