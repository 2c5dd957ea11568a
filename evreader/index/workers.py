"""Read and analyse source files, in worker processes when the corpus is large.

Files are grouped into units of a few MB; each unit is read, segmented and
analysed (entities, tokens) in one go, in a process pool of one worker per core.
Results come back in file order, so a parallel build equals a serial one.
Processes are spawned (not forked): the TUI calls this from a thread, and forking
a threaded process is unsafe.
"""

from __future__ import annotations

import collections
import gc
import multiprocessing as mp
import os
import pickle
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import NamedTuple, cast

from evreader.extract.extractor import Extractor
from evreader.gazetteer import Gazetteer
from evreader.index import handover, tuning
from evreader.index.chunks import Chunk, build_chunk
from evreader.index.store import Columns
from evreader.ingest.files import SourceFile
from evreader.ingest.load import read_source_file
from evreader.models import Article, LoadWarning

UNIT_BYTES = 4 * 1024 * 1024
PARALLEL_MIN_BYTES = 16 * 1024 * 1024  # below this, starting processes costs more than it saves

Progress = Callable[[str, int, int], None]


class FileJob(NamedTuple):
    """A file to read (a tuple: a walk makes one per file)."""

    source: SourceFile
    split: str
    size: int
    mtime_ns: int = 0
    racy: bool = False  # its stamp is too new to trust: keep a digest of what is read


@dataclass(slots=True)
class UnitResult:
    counts: list[int]  # articles per file of the unit, in order
    columns: Columns
    warnings: list[LoadWarning]
    chunk: Chunk
    digests: list[str] = field(default_factory=list)  # per file: of the bytes read, if racy


_worker_extractor: Extractor | None = None


def _init_worker(gazetteer: Gazetteer) -> None:
    global _worker_extractor
    tuning.keep_freed_memory()
    _worker_extractor = Extractor(gazetteer)
    gc.freeze()  # the gazetteer and trie live as long as the worker: never scan them


def _ready() -> None:
    """A task that only makes the pool start a worker."""


def _new_pool(gazetteer: Gazetteer, workers: int) -> ProcessPoolExecutor:
    """A pool whose workers are all started now (each submit spawns one while none
    is idle), in the environment `tuning.workers_environment` gives them."""
    _start_resource_tracker()
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("spawn"),
                               initializer=_init_worker, initargs=(gazetteer,))
    with tuning.workers_environment(), _main_left_out():
        for _ in range(workers):
            pool.submit(_ready)
    return pool


@contextmanager
def _main_left_out() -> Iterator[None]:
    """Spawn workers without the program's __main__ module.

    A spawned process runs the parent's main script (or module) again before
    its task, so a script calling `build_library` without an
    `if __name__ == "__main__"` guard would start the build again in every
    worker, and multiprocessing refuses that. Workers need only evreader's own
    modules: while they are spawned, __main__ shows no file or spec to run.
    """
    main = sys.modules.get("__main__")
    if main is None:
        yield
        return
    saved = {k: main.__dict__[k] for k in ("__file__", "__spec__") if k in main.__dict__}
    for key in saved:
        setattr(main, key, None) if key == "__spec__" else delattr(main, key)
    try:
        yield
    finally:
        for key, value in saved.items():
            setattr(main, key, value)


def _start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker where a UI has replaced sys.stderr.

    The pool's locks start the tracker, which hands `sys.stderr.fileno()` to its
    process; Textual's stand-in for stderr says -1, and the reader's first parallel
    build failed with "bad value(s) in fds_to_keep". The tracker gets /dev/null
    instead (it only writes warnings about leaked semaphores).
    """
    try:
        usable = sys.stderr is not None and sys.stderr.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        usable = False
    if usable:
        return
    from multiprocessing import resource_tracker
    with open(os.devnull, "w") as sink:
        saved, sys.stderr = sys.stderr, sink
        try:
            resource_tracker.ensure_running()
        finally:
            sys.stderr = saved


Prefetched = list[tuple[list[FileJob], "Future[object]"]]  # a UnitResult, or its file


class EarlyPool:
    """Worker processes started, and fed, while the files are still being listed.

    Starting a worker and handing it the gazetteer takes ~0.3 s, with the parent
    blocked on the pipe; listing 100k files takes ~0.8 s. Started from a thread as
    soon as the bytes listed so far make a parallel build certain, the workers are
    ready before the listing ends, and take the first units as they are listed.
    Call `seen` with the jobs so far while listing, `take` for the pool and the
    units in flight (then owned by the caller), and `close` in any case.
    """

    def __init__(self, gazetteer: Gazetteer, workers: int | None = None) -> None:
        self.gazetteer = gazetteer
        self.workers = workers or default_workers()
        self._thread: threading.Thread | None = None
        self._pool: ProcessPoolExecutor | None = None
        self._into: str | None = None  # where workers leave results (see handover)
        self._prefetched: Prefetched = []
        self._cut = 0  # jobs before this index are in prefetched units
        self._pos = 0  # jobs before this index are counted in _bytes
        self._bytes = 0

    def seen(self, jobs: Sequence[FileJob], total_bytes: int) -> None:
        if self._thread is None and self.workers > 1 and total_bytes >= PARALLEL_MIN_BYTES:
            self._thread = threading.Thread(target=self._start, name="evreader-pool-start",
                                            daemon=True)
            self._thread.start()
        pool = self._pool  # set by the thread once the workers are up
        if pool is None:
            return
        for k in range(self._pos, len(jobs)):
            self._bytes += jobs[k].size
            if self._bytes >= UNIT_BYTES:
                unit = list(jobs[self._cut:k + 1])
                self._prefetched.append((unit, pool.submit(_run_unit, _wire(unit), self._into)))
                self._cut, self._bytes = k + 1, 0
        self._pos = len(jobs)

    def _start(self) -> None:
        pool = _new_pool(self.gazetteer, self.workers)
        self._into = handover.folder()
        self._pool = pool

    def take(self) -> tuple[ProcessPoolExecutor | None, Prefetched]:
        if self._thread is not None:
            self._thread.join()
        pool, self._pool = self._pool, None
        prefetched, self._prefetched = self._prefetched, []
        return pool, prefetched

    def close(self) -> None:
        pool, prefetched = self.take()
        if pool is not None:
            pool.shutdown(cancel_futures=True)
        handover.discard(future for _, future in prefetched)


WireJob = tuple[str, str, str, bool]  # path, key, split, racy: what a worker needs of a FileJob


def _wire(unit: Sequence[FileJob]) -> list[WireJob]:
    """A unit as it goes to a worker: plain tuples. A list of FileJobs (frozen
    dataclasses) pickled ~60× slower: 20 ms against 0.3 ms for 1,800 files, paid
    by the parent and again by the worker for every unit."""
    return [(job.source.path, job.source.key, job.split, job.racy) for job in unit]


def _run_unit(wire: Sequence[WireJob], into: str | None) -> object:
    """A unit in a worker, with the cycle collector paused: a unit makes ~10^6
    objects and no cycles, and the collections they trigger cost a few percent.
    The result is left in a file in `into` when it can be (see handover)."""
    assert _worker_extractor is not None
    gc.disable()
    try:
        result = _process([(SourceFile(path, key), split, racy)
                           for path, key, split, racy in wire], _worker_extractor)
    finally:
        gc.enable()
    return handover.send(result, into)


def _received(got: object, unit: Sequence[FileJob], gazetteer: Gazetteer) -> UnitResult:
    """A worker's result; should its file be gone or damaged (a temp-folder cleaner,
    a full disk), the unit is read again here rather than the build failing."""
    try:
        return cast(UnitResult, handover.receive(got))
    except (OSError, ValueError, EOFError, pickle.UnpicklingError):
        return process_unit(unit, Extractor(gazetteer))


def process_unit(jobs: Sequence[FileJob], extractor: Extractor) -> UnitResult:
    return _process([(job.source, job.split, job.racy) for job in jobs], extractor)


def _process(files: Sequence[tuple[SourceFile, str, bool]], extractor: Extractor
             ) -> UnitResult:
    counts: list[int] = []
    articles: list[Article] = []
    warnings: list[LoadWarning] = []
    bodies: list[bytes] = []
    digests: list[str] = []
    for source, split, racy in files:
        arts, warns = read_source_file(source, split, bodies, digests if racy else None)
        if not racy:
            digests.append("")
        counts.append(len(arts))
        articles.extend(arts)
        warnings.extend(warns)
    chunk = build_chunk(articles, extractor)
    return UnitResult(counts, Columns.of(articles, bodies), warnings, chunk, digests)


def units_of(jobs: Sequence[FileJob], unit_bytes: int = UNIT_BYTES, *, workers: int = 1
             ) -> list[list[FileJob]]:
    """Consecutive jobs in units of about `unit_bytes`. With several workers the last
    `workers` units' worth is cut four times finer: the pool hands units out in
    order, so at the end one worker idles while another finishes its last unit, on
    average half a unit (~0.3 s of 4 MB in a slow hour); quarter units quarter that."""
    if workers > 1 and unit_bytes >= 4:
        tail_bytes, cut = 0, len(jobs)
        while cut > 0 and tail_bytes < workers * unit_bytes:
            cut -= 1
            tail_bytes += jobs[cut].size
        if cut > 0:
            return units_of(jobs[:cut], unit_bytes) + units_of(jobs[cut:], unit_bytes // 4)
    units: list[list[FileJob]] = []
    current: list[FileJob] = []
    size = 0
    for job in jobs:
        current.append(job)
        size += job.size
        if size >= unit_bytes:
            units.append(current)
            current, size = [], 0
    if current:
        units.append(current)
    return units


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def process_files(jobs: Sequence[FileJob], gazetteer: Gazetteer, *, workers: int | None = None,
                  progress: Progress | None = None, force_parallel: bool = False,
                  per_file: bool = False, pool: ProcessPoolExecutor | None = None,
                  prefetched: Prefetched | None = None) -> Iterator[UnitResult]:
    """UnitResults in file order (one per file with `per_file`); parallel when worth it
    (or when forced, for tests). A given `pool` (of this gazetteer's workers) is used
    if the work is parallel, and shut down in any case; `prefetched` are units of
    the first jobs already submitted to it (see EarlyPool)."""
    prefetched = prefetched or []
    total_bytes = sum(j.size for j in jobs)
    workers = workers or default_workers()
    parallel = bool(prefetched) or (
        workers > 1 and (force_parallel or total_bytes >= PARALLEL_MIN_BYTES))
    unit_bytes = UNIT_BYTES if not force_parallel else max(1, total_bytes // (workers * 4) or 1)
    rest = jobs[sum(len(unit) for unit, _ in prefetched):]
    units = [[j] for j in rest] if per_file else units_of(rest, unit_bytes,
                                                          workers=workers if parallel else 1)
    done_bytes = 0
    if not parallel:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
        extractor = Extractor(gazetteer)
        for unit in units:
            yield process_unit(unit, extractor)
            done_bytes += sum(j.size for j in unit)
            if progress:
                progress("indexing", done_bytes, total_bytes)
        return
    running = pool or _new_pool(gazetteer, workers)
    into = handover.folder()
    pending = collections.deque(prefetched)
    try:
        pending.extend((unit, running.submit(_run_unit, _wire(unit), into)) for unit in units)
        while pending:
            unit, future = pending[0]
            got = future.result()
            pending.popleft()  # taken: nothing here holds a unit's result any longer
            result = _received(got, unit, gazetteer)
            del got, future
            done_bytes += sum(j.size for j in unit)
            if progress:
                progress("indexing", done_bytes, total_bytes)
            yield result
            del result
    finally:
        running.shutdown(cancel_futures=True)  # waits for the units already running
        handover.discard(future for _, future in pending)
