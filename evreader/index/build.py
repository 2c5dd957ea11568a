"""A corpus index from source files, in one call: `build_index`.

The build lists the files, reuses what the cache already holds for unchanged
files, reads and analyses the rest (in worker processes when the corpus is
large, started while the files are still being listed), merges the pieces and
writes the cache. The library asks for an index and gets one; everything a
build does to be fast and lean happens here and in `workers` and `tuning`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from evreader.cache import CorpusCache, FileStamp, Snapshot
from evreader.config import SourceSpec
from evreader.gazetteer import Gazetteer
from evreader.index import tuning
from evreader.index.chunks import Chunk
from evreader.index.corpus import CorpusIndex, merge_chunks
from evreader.index.store import StoreBuilder
from evreader.index.workers import EarlyPool, FileJob, UnitResult, process_files
from evreader.ingest.load import iter_source_files
from evreader.models import LoadWarning

Progress = Callable[[str, int, int], None]  # stage, done, total


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """How to build: where the cache and the spilled bodies go, how many workers."""

    cache: CorpusCache | None = None  # None: neither read nor write a cache
    spill_dir: Path | None = None  # where article bodies stream to (None: the temp dir)
    workers: int | None = None  # None: one per core
    force_parallel: bool = False  # worker processes even for a small corpus (tests)
    progress: Progress | None = None


@dataclass(frozen=True, slots=True)
class Built:
    index: CorpusIndex
    warnings: list[LoadWarning]
    from_cache: bool  # the cached index was current: nothing was read


def build_index(specs: Sequence[SourceSpec], gazetteer: Gazetteer, options: BuildOptions,
                snapshot: Snapshot | None = None) -> Built:
    """The index of every file under `specs`. Bad files become warnings, never
    exceptions. `snapshot` is the cache as already read (else it is read here);
    one made with another gazetteer is not reused."""
    with tuning.collector_paused(), tuning.no_huge_pages():
        tuning.return_freed_memory()
        return _build_index(specs, gazetteer, options, _usable(snapshot, options, gazetteer))


def _usable(snapshot: Snapshot | None, options: BuildOptions, gazetteer: Gazetteer
            ) -> Snapshot | None:
    if snapshot is None and options.cache is not None:
        snapshot = options.cache.load()
    if snapshot is None or snapshot.fingerprint != gazetteer.fingerprint:
        return None  # entities depend on the gazetteer: re-extract everything
    try:
        snapshot.files  # noqa: B018  (read and check the file table now)
    except Exception:  # a damaged table means: rebuild, never an error
        return None
    return snapshot


def _build_index(specs: Sequence[SourceSpec], gazetteer: Gazetteer, options: BuildOptions,
                 snapshot: Snapshot | None) -> Built:
    if options.progress:
        options.progress("scanning", 0, 0)
    warnings: list[LoadWarning] = []
    # With no snapshot every file is read: workers can start while files are listed.
    early = EarlyPool(gazetteer, options.workers) if snapshot is None else None
    try:
        jobs = list_files(specs, warnings, early.seen if early is not None else None)
        stamps = [_stamp(j) for j in jobs]
        if snapshot is not None and _same_files(snapshot.files, stamps):
            index, stamps, from_cache = snapshot.index, snapshot.files, True
        else:
            index, stamps = _read(jobs, stamps, snapshot, gazetteer, options, early)
            from_cache = False
    finally:
        if early is not None:
            early.close()
    if not from_cache:
        if options.cache is not None:
            if options.progress:
                options.progress("saving cache", 0, 0)
            options.cache.save(index, stamps, gazetteer.fingerprint)
        # Per-article word lists serve only the cache (and incremental builds, which
        # read them back from it): ~90 MB at 100k articles that nothing else reads.
        index.forward = None
    for stamp in stamps:
        warnings.extend(LoadWarning(stamp.path, w) for w in stamp.warning_list())
    return Built(index, warnings, from_cache)


def list_files(specs: Sequence[SourceSpec], warnings: list[LoadWarning],
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
    return len(old) == len(new) and all(a.same_file(b) for a, b in zip(old, new, strict=True))


def _read(jobs: Sequence[FileJob], stamps: list[FileStamp], snapshot: Snapshot | None,
          gazetteer: Gazetteer, options: BuildOptions, early: EarlyPool | None
          ) -> tuple[CorpusIndex, list[FileStamp]]:
    """Index from files; with a snapshot, reuse the articles of unchanged files
    (when at least half are unchanged: else reading everything is as fast)."""
    reuse: dict[str, tuple[FileStamp, int]] = {}  # key -> (stamp, its first article)
    if snapshot is not None:
        start = 0
        for old in snapshot.files:
            reuse[old.key] = (old, start)
            start += old.articles
    keep = [reuse[s.key] if s.key in reuse and reuse[s.key][0].same_file(s) else None
            for s in stamps]
    incremental = snapshot is not None and sum(k is not None for k in keep) * 2 >= len(keep)
    pieces = _Pieces(StoreBuilder(options.spill_dir))
    if not incremental or snapshot is None:
        pool, prefetched = early.take() if early is not None else (None, [])
        results = process_files(jobs, gazetteer, workers=options.workers,
                                progress=options.progress,
                                force_parallel=options.force_parallel, pool=pool,
                                prefetched=prefetched)
        consumed = 0
        for result in results:
            pieces.take(result, stamps[consumed:consumed + len(result.counts)])
            consumed += len(result.counts)
    else:
        changed = [j for j, k in zip(jobs, keep, strict=True) if k is None]
        fresh = iter(process_files(changed, gazetteer, workers=options.workers,
                                   progress=options.progress, per_file=True))
        for stamp, kept in zip(stamps, keep, strict=True):
            if kept is None:
                pieces.flush(snapshot.index)
                pieces.take(next(fresh), [stamp])
            else:
                pieces.reuse(snapshot.index, *kept)
        pieces.flush(snapshot.index)
    if options.progress:
        options.progress("merging", 0, 0)
    return merge_chunks(pieces.articles.build(), pieces.chunks, prune=incremental), pieces.stamps


class _Pieces:
    """What a build has so far: the articles' columns, the analysis chunks and
    the file stamps, in file order. Runs of reused files are taken as one slice
    of the old index."""

    def __init__(self, articles: StoreBuilder) -> None:
        self.articles = articles
        self.chunks: list[Chunk] = []
        self.stamps: list[FileStamp] = []
        self._run: list[FileStamp] = []  # consecutive reused files not yet taken
        self._run_lo = 0  # the first article of that run in the old index
        self._run_hi = 0  # and the article after its last

    def take(self, result: UnitResult, unit_stamps: Sequence[FileStamp]) -> None:
        """A unit just read, its files' stamps now with counts and warnings."""
        self.articles.add(result.columns)
        self.chunks.append(result.chunk)
        per_file: dict[str, list[str]] = {}
        for w in result.warnings:
            per_file.setdefault(w.path, []).append(w.message)
        for stamp, count in zip(unit_stamps, result.counts, strict=True):
            warned = "\n".join(per_file.get(stamp.path, ()))
            self.stamps.append(stamp._replace(articles=count, warnings=warned))

    def reuse(self, old: CorpusIndex, stamp: FileStamp, first: int) -> None:
        """An unchanged file: its articles start at `first` in the old index."""
        if self._run and first != self._run_hi:
            self.flush(old)
        if not self._run:
            self._run_lo = self._run_hi = first
        self._run.append(stamp)
        self._run_hi += stamp.articles

    def flush(self, old: CorpusIndex) -> None:
        if not self._run:
            return
        lo, hi = self._run_lo, self._run_hi
        self.articles.extend(old.articles[lo:hi])
        self.chunks.append(old_slice(old, lo, hi))
        self.stamps.extend(self._run)
        self._run.clear()


def old_slice(old: CorpusIndex, lo: int, hi: int) -> Chunk:
    """Articles lo..hi of a cached index as a chunk, ready to merge (no analysis)."""
    assert old.forward is not None  # a snapshot always has its word lists
    piece = old.forward.slice(lo, hi)
    piece.entities = [(e.kind, e.name, e.discovered) for e in old.entities]
    piece.vocab = old.vocab
    return piece
