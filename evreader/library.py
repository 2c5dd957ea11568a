"""Config → gazetteer → articles → index → search engine, in one object.

`Library` is what both faces use: the CLI builds one and prints, the TUI builds
one in a worker thread and shows it. It knows nothing of either. Building goes
through the on-disk cache: unchanged files are not re-read, a warm start maps the
cached index instead of rebuilding it.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from evreader.cache import CorpusCache, FileStamp, Snapshot
from evreader.config import Config, SourceSpec, source_specs
from evreader.gazetteer import (
    DeferredGazetteer,
    Gazetteer,
    gazetteer_fingerprint,
    load_gazetteer,
)
from evreader.index.build import (
    EarlyPool,
    FileJob,
    UnitResult,
    no_huge_pages,
    process_files,
    return_freed_memory,
)
from evreader.index.chunks import Chunk
from evreader.index.corpus import BoolArray, CorpusIndex, Filters, merge_chunks
from evreader.index.store import StoreBuilder
from evreader.ingest.load import iter_source_files
from evreader.models import Article, LoadWarning
from evreader.search import SearchEngine
from evreader.state import ReadingState

Progress = Callable[[str, int, int], None]  # stage, done, total


@dataclass(slots=True)
class Library:
    config: Config
    source: Gazetteer | DeferredGazetteer  # deferred when opened straight from the cache
    index: CorpusIndex
    engine: SearchEngine
    warnings: list[LoadWarning] = field(default_factory=list)
    from_cache: bool = False
    state: ReadingState | None = None
    snapshot: Snapshot | None = None  # set by open_cached, for the follow-up check

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

    def select(self, filters: Filters) -> list[int]:
        """Article indices passing `filters`: ranked by relevance when there is a text
        query, else newest first."""
        mask = self.base_mask(filters)
        text = filters.text_query
        if not text:
            return [int(i) for i in self.index.ordered(mask)]
        hits = [h.article for h in self.engine.search(text, candidates=mask)]
        if filters.phrases:
            hits = [i for i in hits if self._has_phrases(i, filters.phrases)]
        return hits

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

    def _has_phrases(self, i: int, phrases: Sequence[str]) -> bool:
        a = self.index.articles[i]
        hay = " ".join(f"{a.title} {a.text}".lower().split())
        return all(" ".join(p.lower().split()) in hay for p in phrases)

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
    lib = Library(config, gazetteer, snapshot.index, SearchEngine(snapshot.index, gazetteer),
                  warnings, from_cache=True)
    lib.snapshot = snapshot
    return lib


def build_library(config: Config, sources: Sequence[SourceSpec] | None = None,
                  progress: Progress | None = None, *, workers: int | None = None,
                  use_cache: bool | None = None, force_parallel: bool = False,
                  snapshot: Snapshot | None = None) -> Library:
    """Load every source and index it. Bad files become warnings, never exceptions.

    `snapshot` (from `open_cached`) saves reading the cache a second time.
    """
    with _collector_paused(), no_huge_pages():
        return _build_library(config, sources, progress, workers=workers, use_cache=use_cache,
                              force_parallel=force_parallel, snapshot=snapshot)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cycle collector off for a build: a build allocates ~10^6 objects and makes
    no cycles, and sampled at 100k articles the collector's passes were ~10% of the
    parent process's CPU. It is switched back on only if it was on."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _build_library(config: Config, sources: Sequence[SourceSpec] | None,
                   progress: Progress | None, *, workers: int | None, use_cache: bool | None,
                   force_parallel: bool, snapshot: Snapshot | None) -> Library:
    return_freed_memory()
    gazetteer = load_gazetteer(config.gazetteer, config.user_entities)
    specs = list(sources) if sources is not None else source_specs(config)
    use_cache = config.cache if use_cache is None else use_cache
    cache = CorpusCache(config.cache_dir, specs) if use_cache else None
    if snapshot is None and cache is not None:
        snapshot = cache.load()
    if snapshot is not None and snapshot.fingerprint != gazetteer.fingerprint:
        snapshot = None  # entities depend on the gazetteer: re-extract everything
    if snapshot is not None:
        try:
            snapshot.files  # noqa: B018  (read and check the file table now)
        except Exception:  # a damaged table means: rebuild, never an error
            snapshot = None
    if progress:
        progress("scanning", 0, 0)
    warnings: list[LoadWarning] = []
    # With no snapshot every file is read: workers can start while files are listed.
    early = EarlyPool(gazetteer, workers) if snapshot is None else None
    try:
        jobs = scan(specs, warnings, early.seen if early is not None else None)
        stamps = [_stamp(j) for j in jobs]
        if snapshot is not None and _same_files(snapshot.files, stamps):
            index, stamps, from_cache = snapshot.index, snapshot.files, True
        else:
            index, stamps = _build(jobs, stamps, snapshot, gazetteer, workers=workers,
                                   progress=progress, force_parallel=force_parallel,
                                   spill_dir=config.cache_dir, early=early)
            from_cache = False
    finally:
        if early is not None:
            early.close()
    if not from_cache:
        if cache is not None:
            if progress:
                progress("saving cache", 0, 0)
            cache.save(index, stamps, gazetteer.fingerprint)
        # Per-article word lists serve only the cache (and incremental builds, which
        # read them back from it): ~90 MB at 100k articles that nothing else reads.
        index.forward = None
    for stamp in stamps:
        if stamp.warnings:
            warnings.extend(LoadWarning(stamp.path, w) for w in stamp.warning_list())
    return Library(config, gazetteer, index, SearchEngine(index, gazetteer), warnings, from_cache)


def scan(specs: Sequence[SourceSpec], warnings: list[LoadWarning],
         seen: Callable[[list[FileJob], int], None] | None = None) -> list[FileJob]:
    """The files to read, in order; `seen` hears the jobs so far and their bytes."""
    jobs: list[FileJob] = []
    total = 0
    for spec, source in iter_source_files(specs, warnings):
        jobs.append(FileJob(source, spec.split, source.size, source.mtime_ns))
        total += source.size
        if seen is not None and len(jobs) % 256 == 0:
            seen(jobs, total)
    if seen is not None:
        seen(jobs, total)
    return jobs


def _stamp(job: FileJob) -> FileStamp:
    return FileStamp(job.source.key, job.source.path, job.size, job.mtime_ns, job.split)


def _same_files(old: Sequence[FileStamp], new: Sequence[FileStamp]) -> bool:
    return len(old) == len(new) and all(a[:5] == b[:5] for a, b in zip(old, new, strict=True))


def _same(a: FileStamp, b: FileStamp) -> bool:
    return a[:5] == b[:5]  # key, path, size, mtime, split


def _build(jobs: Sequence[FileJob], stamps: list[FileStamp], snapshot: Snapshot | None,
           gazetteer: Gazetteer, *, workers: int | None, progress: Progress | None,
           force_parallel: bool, spill_dir: Path | None = None, early: EarlyPool | None = None
           ) -> tuple[CorpusIndex, list[FileStamp]]:
    """Index from files; with a snapshot, reuse the articles of unchanged files."""
    reuse: dict[str, tuple[FileStamp, int]] = {}
    if snapshot is not None:
        start = 0
        for old in snapshot.files:
            reuse[old.key] = (old, start)
            start += old.articles
    keep = [reuse.get(s.key) if s.key in reuse and _same(reuse[s.key][0], s) else None
            for s in stamps]
    incremental = snapshot is not None and sum(k is not None for k in keep) * 2 >= len(keep)
    articles = StoreBuilder(spill_dir)
    chunks: list[Chunk] = []
    out_stamps: list[FileStamp] = []

    def take(result: UnitResult, unit_stamps: Sequence[FileStamp]) -> None:
        articles.add(result.columns)
        chunks.append(result.chunk)
        per_file: dict[str, list[str]] = {}
        for w in result.warnings:
            per_file.setdefault(w.path, []).append(w.message)
        for stamp, count in zip(unit_stamps, result.counts, strict=True):
            warned = "\n".join(per_file[stamp.path]) if stamp.path in per_file else ""
            out_stamps.append(FileStamp(*stamp[:5], count, warned))

    if not incremental or snapshot is None:
        pool, prefetched = early.take() if early is not None else (None, [])
        results = process_files(jobs, gazetteer, workers=workers, progress=progress,
                                force_parallel=force_parallel, pool=pool, prefetched=prefetched)
        consumed = 0
        for result in results:
            take(result, stamps[consumed:consumed + len(result.counts)])
            consumed += len(result.counts)
    else:
        changed = [j for j, k in zip(jobs, keep, strict=True) if k is None]
        fresh = iter(process_files(changed, gazetteer, workers=workers, progress=progress,
                                   per_file=True))
        old_index = snapshot.index
        assert old_index.forward is not None
        run: list[FileStamp] = []  # consecutive reused files, taken as one slice
        run_lo = 0

        def flush() -> None:
            if not run:
                return
            assert old_index.forward is not None
            hi = run_lo + sum(f.articles for f in run)
            articles.extend(old_index.articles[run_lo:hi])
            piece = old_index.forward.slice(run_lo, hi)
            piece.entities = [(e.kind, e.name, e.discovered) for e in old_index.entities]
            piece.vocab = old_index.vocab
            chunks.append(piece)
            out_stamps.extend(run)
            run.clear()

        for stamp, kept in zip(stamps, keep, strict=True):
            if kept is None:
                flush()
                take(next(fresh), [stamp])
                continue
            old, lo = kept
            if run and lo != run_lo + sum(f.articles for f in run):
                flush()
            if not run:
                run_lo = lo
            run.append(old)
        flush()
    if progress:
        progress("merging", 0, 0)
    return merge_chunks(articles.build(), chunks, prune=incremental), out_stamps
