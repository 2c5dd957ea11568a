"""Config → gazetteer → articles → index → search engine, in one object.

`Library` is what both faces use: the CLI builds one and prints, the TUI builds
one in a worker thread and shows it. It knows nothing of either. Building goes
through the on-disk cache: unchanged files are not re-read, a warm start maps the
cached index instead of rebuilding it, once `index.fresh` has found every file as
the cache recorded it — before the gazetteer is parsed or the building side of
the code is imported, which a warm start does not need.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from evreader.cache import CorpusCache, Snapshot
from evreader.config import Config, SourceSpec, source_specs
from evreader.feeds.fill import fetch_feeds as fetch_feeds  # both faces fetch through here
from evreader.gazetteer import (
    DeferredGazetteer,
    Gazetteer,
    gazetteer_fingerprint,
    load_gazetteer,
)
from evreader.index.corpus import BoolArray, CorpusIndex, EntityInfo
from evreader.models import SOURCE, Article, Filters, LoadWarning, Sort
from evreader.search import SearchEngine
from evreader.sorting import DEFAULT_SORT, effective, sort_rows
from evreader.state import ReadingState, now_us

if TYPE_CHECKING:
    from evreader.articletext import FullTextResult
    from evreader.query import Resolved
    from evreader.watchlists import WatchCache, WatchCounts, Watchlist, WatchPlan, WatchStatus

Progress = Callable[[str, int, int], None]  # stage, done, total (as index.build reports)

__all__ = ["Facets", "Library", "ListSummary", "Progress", "build_library", "fetch_feeds",
           "ignore_company", "now_us", "open_cached", "promote_company"]  # now_us: the
# library clock, which a watchlist mark started before any library also reads


@dataclass(frozen=True, slots=True)
class ListSummary:
    """How many articles a list holds, how many of them are undated and unread."""

    shown: int
    undated: int
    unread: int | None  # None without a reading state

    def describe(self) -> str:
        """"5 articles, 2 undated" (the shape the reader and the CLI print)."""
        noun = "article" if self.shown == 1 else "articles"
        text = f"{self.shown:,} {noun}"
        if self.undated:
            text += f", {self.undated:,} undated"
        return text


@dataclass(frozen=True, slots=True)
class Facets:
    """Article counts per entity id and per publisher, for a facet pane or picker.

    For a kind the filters name, the counts are under the *other* filters: picking
    another entity of that kind widens the list (OR within a kind), so its count
    is what it would add, and the other choices never vanish from view."""

    counts: npt.NDArray[np.int64]  # by entity id
    publishers: list[tuple[str, int]]  # most articles first
    totals: npt.NDArray[np.int64]  # by entity id, in the whole library
    here: npt.NDArray[np.int64]  # by entity id, among the articles the filters list
    listed: int  # how many articles the filters list

    def if_chosen(self, kind_filtered: bool, entity_ids: Sequence[int]) -> int:
        """How many articles the list holds once this entity is added: those of the
        list naming it, or, when its kind is already filtered (OR), the list plus the
        articles it brings."""
        here = sum(int(self.here[e]) for e in entity_ids)
        if not kind_filtered:
            return here
        return self.listed + sum(int(self.counts[e]) for e in entity_ids) - here


@dataclass(slots=True, repr=False)  # its repr would list 100k articles
class Library:
    config: Config
    source: Gazetteer | DeferredGazetteer  # deferred when opened straight from the cache
    index: CorpusIndex
    engine: SearchEngine
    warnings: list[LoadWarning] = field(default_factory=list)
    from_cache: bool = False
    state: ReadingState | None = None
    snapshot: Snapshot | None = None  # set by open_cached, for the follow-up check
    _read: tuple[int, BoolArray] | None = None  # (state version, read mask)
    # When the files were read (µs since the epoch): what a watchlist visit marks as
    # seen, and the first-seen time of articles this library is first to hold.
    observed_at: int = field(default_factory=lambda: now_us())  # looked up when called
    _watch: WatchCache | None = field(default=None, init=False)  # see `watch`

    def __post_init__(self) -> None:
        if self.state is None:
            self.state = ReadingState(self.config.data_dir / "state.json")

    @property
    def gazetteer(self) -> Gazetteer:
        source = self.source
        return source.get() if isinstance(source, DeferredGazetteer) else source

    def adopt_gazetteer(self, gazetteer: Gazetteer) -> None:
        """Take the gazetteer a later build of the same files loaded (no second parse)."""
        if isinstance(self.source, DeferredGazetteer):
            self.source.set(gazetteer)

    def select(self, filters: Filters, sort: Sort = DEFAULT_SORT) -> list[int]:
        """Article indices passing `filters`, in `sort` order (see `sorting`): by
        default best match first when there is a text query, else newest first."""
        mask = self.base_mask(filters)
        text = filters.text_query
        if not text:
            rows = [int(i) for i in self.index.ordered(mask)]
            if effective(sort, False) == "newest":
                return rows  # the index's own order
            return sort_rows(self.index, rows, sort, searching=False)
        hits = [h.article for h in self.engine.search(text, candidates=mask)]
        if filters.phrases:
            hits = self._with_phrases(hits, filters.phrases)
        return sort_rows(self.index, hits, sort, searching=True)

    def facets(self, filters: Filters, selected: Sequence[int] | None = None) -> Facets:
        """Counts for the entity pane and the pickers (see `Facets`); `selected`:
        the articles `filters` select, when already known."""
        index = self.index
        mask = self.mask(filters, selected)
        counts = index.facet_counts(mask)
        here = counts.copy()
        publishers = index.publisher_counts(mask)
        for kind in dict.fromkeys(k for k, _ in filters.entities):
            others = replace(filters, entities=tuple(e for e in filters.entities if e[0] != kind))
            wider = self.mask(others)
            if kind == SOURCE:
                publishers = index.publisher_counts(wider)
            else:
                ids = index.entities_of_kind(kind)
                counts[ids] = index.facet_counts(wider)[ids]
        totals = np.diff(np.asarray(index.e_ptr)).astype(np.int64)
        return Facets(counts, publishers, totals, here, int(np.count_nonzero(mask)))

    def read_mask(self) -> BoolArray:
        """Which articles are read (cached until the reading state changes)."""
        state = self.state
        if state is None:
            return np.zeros(len(self.index), dtype=bool)
        cached = self._read
        if cached is None or cached[0] != state.version or len(cached[1]) != len(self.index):
            cached = (state.version, _member_mask(self.index.articles.ids, state.read))
            self._read = cached
        return cached[1]

    def summary(self, rows: Sequence[int]) -> ListSummary:
        """Counts of a list: its articles, the undated and the unread among them."""
        r = np.asarray(rows, dtype=np.int64)
        undated = int(np.count_nonzero(np.asarray(self.index.day)[r] == 0)) if len(r) else 0
        unread = None
        if self.state is not None:
            unread = len(r) - int(np.count_nonzero(self.read_mask()[r])) if len(r) else 0
        return ListSummary(len(r), undated, unread)

    def base_mask(self, filters: Filters) -> BoolArray:
        """Entities, dates, reading flags and excluded words; not the fuzzy text."""
        mask = self.index.mask_for(filters)
        if filters.flags and self.state is not None:
            ids = self.index.articles.ids
            if "starred" in filters.flags:
                mask &= _member_mask(ids, self.state.starred)
            if "unread" in filters.flags:
                mask &= ~_member_mask(ids, self.state.read)
            if "read" in filters.flags:
                mask &= _member_mask(ids, self.state.read)
        for word in filters.not_words:
            for term in self.engine.exact_terms(word):
                mask[self.engine.term_articles(term)] = False
        return mask

    def _with_phrases(self, hits: list[int], phrases: Sequence[str]) -> list[int]:
        """The hits whose title and text hold every phrase (case and spacing aside);
        the bodies are read together, in stored order (see ArticleStore.texts)."""
        store = self.index.articles
        wanted = [" ".join(p.lower().split()) for p in phrases]
        kept = []
        for i, text in zip(hits, store.texts(hits), strict=True):
            hay = " ".join(f"{store.titles[i]} {text}".lower().split())
            if all(w in hay for w in wanted):
                kept.append(i)
        return kept

    def mask(self, filters: Filters, selected: Sequence[int] | None = None) -> BoolArray:
        if selected is None and not filters.text_query:
            return self.base_mask(filters)
        if selected is None:
            selected = self.select(filters)
        mask = np.zeros(len(self.index), dtype=bool)
        mask[np.asarray(selected, dtype=np.int64)] = True
        return mask

    def article(self, i: int) -> Article:
        return self.index.articles[i]

    # ------------------------------------------------------------ full text
    def fetch_full_text(self, i: int) -> FullTextResult:
        """Download article `i`'s page and keep its main text (feed articles only).

        Blocking — network, then re-analysing that one article — so the reader
        calls it from a worker thread. On success the store holds the text and
        this library's `index` and `engine` are new objects in which article `i`
        (same row, same id) carries the full text and its entities; every other
        article is as it was. On failure the reason is stored (shown again later)
        and the library is unchanged. Never raises for what a page or a server
        does. See evreader.articletext."""
        from evreader.articletext import fetch_article_text
        return fetch_article_text(self, i)

    # ------------------------------------------------------------ entity decisions
    def promote(self, name: str, country: str | None = None) -> None:
        """Make a discovered company a company: saved for the next start, and applied
        to this library's index at once (no re-index)."""
        promote_company(self.config, name, country)
        index = self.index
        for eid in index.entity_ids("company", name):
            info = index.entities[eid]
            index.entities[eid] = EntityInfo(info.id, info.kind, info.name, False)

    def ignore(self, name: str) -> None:
        """Never propose this discovered company again (from the next start on; the
        reader hides it at once)."""
        ignore_company(self.config, name)

    # ------------------------------------------------------------ watchlists
    # What "new" means is defined in evreader.watchlists; the reader and
    # `evreader watch` both go through these. Unknown names raise UsageError.
    # evreader.watchlists is imported on first use: it brings yaml and the query
    # language, which a warm `evreader list` does not otherwise load (~45 ms).
    @property
    def watch(self) -> WatchCache:
        """What this library has worked out about watchlists (see evreader.watchlists)."""
        if self._watch is None:
            from evreader.watchlists import WatchCache
            self._watch = WatchCache()
        return self._watch

    def watchlists(self) -> list[Watchlist]:
        """The usable watchlists: config.yaml's `watchlists:`, then the saved ones."""
        from evreader import watching as _wl
        return list(_wl.loaded(self).items)

    def watchlist_warnings(self) -> list[str]:
        """Watchlists left out and why ("file:line: watchlist 'X': …"), and problems
        recording first-seen times or marks (counts then hold for this run only)."""
        from evreader import watching as _wl
        return [*_wl.loaded(self).warnings, *self.watch.problems]

    def watch_plan(self, name: str) -> WatchPlan:
        """The filters a watchlist applies (what Enter on it shows), with notes on how
        its values were read."""
        from evreader import watching as _wl
        return _wl.plan(self, name)

    def watch_counts(self, name: str) -> WatchCounts:
        """New since the last visit, unread, and all matching articles."""
        from evreader import watching as _wl
        return _wl.counts(self, name)

    def watch_overview(self) -> list[WatchStatus]:
        """Every usable watchlist with its counts (the reader's Watchlists section)."""
        from evreader import watching as _wl
        return _wl.overview(self)

    def watch_search(self, name: str, text: str, base: Filters | None = None
                     ) -> Resolved | None:
        """The search box holding watchlist `name`'s query, read as the watchlist reads
        it (on top of the pane's filters `base`); None once the text was edited."""
        from evreader import watching as _wl
        return _wl.resolve_search(self, name, text, base)

    def watch_new(self, name: str, since: datetime | None = None) -> list[int]:
        """Indices of the matching articles first seen after the last visit (or after
        `since`), newest first."""
        from evreader import watching as _wl
        return _wl.new_rows(self, name, since)

    def mark_watch_seen(self, name: str, at: datetime | None = None) -> datetime:
        """Record a visit: the mark moves to `at` (default: when this library's files
        were read), never backwards; returns it. EvreaderError if it cannot be saved
        (the move still holds in memory)."""
        from evreader import watching as _wl
        return _wl.mark_seen(self, name, at)

    def save_watchlist(self, name: str, query: str, *, replace: bool = True) -> Watchlist:
        """Save a watchlist to the data dir's watchlists.yaml (config.yaml is never
        written). UsageError for a bad name or query or a config.yaml name, and, without
        `replace`, for the name of a saved one."""
        from evreader import watchlists as _store
        saved = _store.save_watchlist(self.config, name, query, replace=replace)
        self.watch.forget_watchlists()
        return saved

    def delete_watchlist(self, name: str) -> str:
        """Remove a saved watchlist and its mark; returns its name as saved."""
        from evreader import watchlists as _store
        removed = _store.delete_watchlist(self.config, name, self.state)
        self.watch.forget_watchlists()
        return removed


def promote_company(config: Config, name: str, country: str | None = None) -> None:
    """Add `name` as a company to the user's entities file (see `userentities`)."""
    from evreader.userentities import promote
    promote(config.user_entities, name, country=country)


def ignore_company(config: Config, name: str) -> None:
    """Add `name` as a blocker to the user's entities file (see `userentities`)."""
    from evreader.userentities import ignore
    ignore(config.user_entities, name)


def _member_mask(ids: Sequence[str], members: set[str]) -> BoolArray:
    if not members:
        return np.zeros(len(ids), dtype=bool)
    return np.fromiter((i in members for i in ids), dtype=bool, count=len(ids))


def open_cached(config: Config) -> Library | None:
    """The library as cached, without looking at the files (None if there is no usable
    cache). For a fast first screen; follow with `build_library(..., snapshot=…)` to
    pick up files changed since."""
    if not config.cache:
        return None
    fingerprint = gazetteer_fingerprint(config.gazetteer, config.user_entities)
    snapshot = CorpusCache(config.cache_dir, source_specs(config)).load()
    if snapshot is None or snapshot.fingerprint != fingerprint:
        return None
    warnings = [LoadWarning(path, message) for path, message in snapshot.warnings]
    # The gazetteer only serves lookups and profiles: parsed when first needed.
    gazetteer = DeferredGazetteer(config.gazetteer, config.user_entities)
    lib = Library(config, gazetteer, snapshot.index,
                  SearchEngine(snapshot.index, gazetteer, snapshot.surfaces), warnings,
                  from_cache=True)
    lib.snapshot = snapshot
    with contextlib.suppress(OSError):  # the files were read when the cache was written
        lib.observed_at = (snapshot.folder / "manifest.json").stat().st_mtime_ns // 1000
    return lib


def build_library(config: Config, sources: Sequence[SourceSpec] | None = None,
                  progress: Progress | None = None, *, workers: int | None = None,
                  use_cache: bool | None = None, force_parallel: bool = False,
                  snapshot: Snapshot | None = None) -> Library:
    """Load every source and index it. Bad files become warnings, never exceptions.

    A cached index whose files are all as the cache recorded them is used as it
    is (`from_cache`), its gazetteer parsed only when asked for. `snapshot` (from
    `open_cached`) saves reading the cache a second time.
    """
    specs = list(sources) if sources is not None else source_specs(config)
    use_cache = config.cache if use_cache is None else use_cache
    cache = CorpusCache(config.cache_dir, specs) if use_cache else None
    if cache is not None:
        cached, snapshot = _cached_if_fresh(config, specs, cache, snapshot)
        if cached is not None:
            return cached
    from evreader.index.build import BuildOptions, build_index
    gazetteer = load_gazetteer(config.gazetteer, config.user_entities)
    options = BuildOptions(cache=cache, spill_dir=config.cache_dir, workers=workers,
                           force_parallel=force_parallel, progress=progress)
    built = build_index(specs, gazetteer, options, snapshot if use_cache else None)
    return Library(config, gazetteer, built.index, SearchEngine(built.index, gazetteer),
                   built.warnings, built.from_cache)


def _cached_if_fresh(config: Config, specs: Sequence[SourceSpec], cache: CorpusCache,
                     snapshot: Snapshot | None) -> tuple[Library | None, Snapshot | None]:
    """The cached library if its gazetteer is the configured one and every file is
    as the cache recorded it (see index.fresh), else None; and the snapshot read.

    Without a snapshot, the files are checked in a thread while the index loads:
    the check waits on the kernel (stat of every file) and the load on the
    interpreter, so the two overlap."""
    from evreader.index import fresh
    fingerprint = gazetteer_fingerprint(config.gazetteer, config.user_entities)
    if snapshot is None:
        opened = cache.open()
        if opened is None:
            return None, cache.load()
        if opened.fingerprint != fingerprint:
            return None, None  # entities depend on the gazetteer: a full build
        with ThreadPoolExecutor(1, thread_name_prefix="evreader-check") as beside:
            checking = beside.submit(fresh.check, opened.table, specs)
            snapshot = cache.load(opened)
            verdict: fresh.Verdict | None = checking.result()
        table = opened.table
    else:
        try:
            table = snapshot.table
        except Exception:  # a damaged table: the build rebuilds, never an error
            return None, snapshot
        verdict = fresh.check(table, specs) if snapshot.fingerprint == fingerprint else None
    if snapshot is None or verdict is None or not verdict.fresh:
        return None, snapshot
    newer = fresh.settled(table, verdict)
    if newer is not None:  # stamps that were too new to trust are now old enough
        cache.update_table(snapshot, newer)
    gazetteer = DeferredGazetteer(config.gazetteer, config.user_entities)
    return Library(config, gazetteer, snapshot.index,
                   SearchEngine(snapshot.index, gazetteer, snapshot.surfaces),
                   table.load_warnings(), from_cache=True, snapshot=snapshot), snapshot
