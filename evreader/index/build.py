"""A corpus index from source files, in one call: `build_index`.

The build lists the files, reuses what the cache already holds for unchanged
files, reads and analyses the rest (in worker processes when the corpus is
large, started while the files are still being listed), merges the pieces and
writes the cache. The library asks for an index and gets one; everything a
build does to be fast and lean happens here and in `workers` and `tuning`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from evreader.cache import CorpusCache, Snapshot
from evreader.config import SourceSpec
from evreader.gazetteer import Gazetteer
from evreader.index import tuning
from evreader.index.bodies import DamagedBodies
from evreader.index.chunks import Chunk
from evreader.index.corpus import CorpusIndex, merge_chunks
from evreader.index.filetable import FileStamp, FileTable, is_racy
from evreader.index.forward import forward_holds
from evreader.index.fresh import digest_matches
from evreader.index.store import Columns, StoreBuilder
from evreader.index.workers import EarlyPool, FileJob, UnitResult, process_files
from evreader.ingest.files import WalkLog
from evreader.ingest.load import iter_source_files
from evreader.models import LoadWarning
from evreader.search import surface_rows

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
    listed: list[LoadWarning] = []  # what the walk itself reported
    log = WalkLog()
    taken_ns = time.time_ns()  # before any stat: stamps newer than this are racy
    # With no snapshot every file is read: workers can start while files are listed.
    early = EarlyPool(gazetteer, options.workers) if snapshot is None else None
    try:
        jobs = list_files(specs, listed, early.seen if early is not None else None, log=log,
                          taken_ns=taken_ns)
        stamps = [_stamp(j) for j in jobs]
        kept = _kept(snapshot, stamps, taken_ns) if snapshot is not None else None
        if snapshot is not None and kept is not None and _all_kept(snapshot, kept):
            index, from_cache = snapshot.index, True
            stamps = [k for k in kept if k is not None]
        else:
            try:
                index, stamps = _read(jobs, stamps, snapshot, kept, gazetteer, options, early)
            except DamagedBodies:  # a cached body failed its checksum: read everything
                index, stamps = _read(jobs, stamps, None, None, gazetteer, options, None)
            from_cache = False
    finally:
        if early is not None:
            early.close()
    table = FileTable.of(stamps, log, taken_ns, listed)
    if options.cache is not None:
        if from_cache:
            assert snapshot is not None
            options.cache.update_table(snapshot, table)  # the next check then passes
        else:
            if options.progress:
                options.progress("saving cache", 0, 0)
            options.cache.save(index, table, gazetteer.fingerprint,
                               surface_rows(index, gazetteer))
    if not from_cache:
        # Per-article word lists serve only the cache (and incremental builds, which
        # read them back from it): ~90 MB at 100k articles that nothing else reads.
        index.forward = None
    return Built(index, table.load_warnings(), from_cache)


def list_files(specs: Sequence[SourceSpec], warnings: list[LoadWarning],
               seen: Callable[[list[FileJob], int], None] | None = None, *,
               log: WalkLog | None = None, taken_ns: int | None = None) -> list[FileJob]:
    """The files to read, in order; `seen` hears the jobs so far and their bytes.
    With `taken_ns` (when the walk began), files changed since shortly before are
    marked racy (see filetable.RACY_NS); `log` records the folders listed."""
    jobs: list[FileJob] = []
    total = 0
    for spec, source in iter_source_files(specs, warnings, log):
        racy = taken_ns is not None and is_racy(source.mtime_ns, source.ctime_ns, taken_ns)
        jobs.append(FileJob(source, spec.split, source.size, source.mtime_ns, racy))
        total += source.size
        if seen is not None and len(jobs) % 256 == 0:
            seen(jobs, total)
    if seen is not None:
        seen(jobs, total)
    return jobs


def _stamp(job: FileJob) -> FileStamp:
    s = job.source
    dev, ino = s.ident if s.ident[0] >= 0 else (0, 0)  # a feed of the store: no inode
    return FileStamp(s.key, s.path, job.size, job.mtime_ns, job.split, ctime_ns=s.ctime_ns,
                     ino=ino, dev=dev, folder=s.folder)


def _kept(snapshot: Snapshot, stamps: Sequence[FileStamp], taken_ns: int
          ) -> list[FileStamp | None]:
    """For each file just listed, its cached stamp brought up to date when its
    cached articles can be reused, else None (it must be read)."""
    old_taken = snapshot.table.taken_ns
    by_key = {s.key: s for s in snapshot.files}
    out: list[FileStamp | None] = []
    for new in stamps:
        old = by_key.get(new.key)
        out.append(_reuse(old, new, old_taken, taken_ns) if old is not None else None)
    return out


def _all_kept(snapshot: Snapshot, kept: Sequence[FileStamp | None]) -> bool:
    """Every file kept, and no other: the cached index is the files' index."""
    return len(kept) == len(snapshot.files) and all(
        k is not None and k.key == old.key for k, old in zip(kept, snapshot.files, strict=True))


def _reuse(old: FileStamp, new: FileStamp, old_taken: int, new_taken: int) -> FileStamp | None:
    """`new` with `old`'s counts, warnings and digest, if `old`'s articles still hold."""
    if not old.same_file(new):
        return None
    if is_racy(old.mtime_ns, old.ctime_ns, old_taken) and not digest_matches(old.path, old.digest):
        return None  # too new to trust by its stamp, and its bytes changed (or are unknown)
    racy_now = is_racy(new.mtime_ns, new.ctime_ns, new_taken)
    if racy_now and not old.digest:
        return None  # nothing could vouch for it next time (the clock went back)
    return new._replace(articles=old.articles, warnings=old.warnings,
                        digest=old.digest if racy_now else "")


def _read(jobs: Sequence[FileJob], stamps: list[FileStamp], snapshot: Snapshot | None,
          kept: Sequence[FileStamp | None] | None, gazetteer: Gazetteer, options: BuildOptions,
          early: EarlyPool | None) -> tuple[CorpusIndex, list[FileStamp]]:
    """Index from files; with a snapshot, reuse the articles of unchanged files
    (`kept`; when at least half are unchanged: else reading everything is as fast)."""
    first: dict[str, int] = {}  # key -> its first article in the cached index
    if snapshot is not None:
        start = 0
        for old in snapshot.files:
            first[old.key] = start
            start += old.articles
    keep = [(k, first[k.key]) if k is not None else None for k in (kept or [None] * len(stamps))]
    incremental = snapshot is not None and sum(k is not None for k in keep) * 2 >= len(keep) \
        and forward_holds(snapshot.index)  # its word lists are read back: check them first
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
        for stamp, reused in zip(stamps, keep, strict=True):
            if reused is None:
                pieces.flush(snapshot.index)
                pieces.take(next(fresh), [stamp])
            else:
                pieces.reuse(snapshot.index, *reused)
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
        digests = result.digests or [""] * len(result.counts)
        for stamp, count, digest in zip(unit_stamps, result.counts, digests, strict=True):
            warned = "\n".join(per_file.get(stamp.path, ()))
            self.stamps.append(stamp._replace(articles=count, warnings=warned, digest=digest))

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
        self.articles.add(Columns.of_store(old.articles, lo, hi))
        self.chunks.append(old_slice(old, lo, hi))
        self.stamps.extend(self._run)
        self._run.clear()


def old_slice(old: CorpusIndex, lo: int, hi: int) -> Chunk:
    """Articles lo..hi of a cached index as a chunk, ready to merge (no analysis)."""
    assert old.forward is not None  # a snapshot always has its word lists
    piece = old.forward.slice(lo, hi)
    piece.entities = [(e.kind, e.name, e.discovered) for e in old.entities]
    piece.vocab = list(old.vocab)  # the cache's is split into strings lazily
    return piece
