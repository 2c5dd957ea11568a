"""Is a cached index still what the files say? Known without walking the folders.

A warm command must never answer from a stale cache: a file added, removed,
renamed or edited in place since the cache was written has to be seen. Listing
every folder and stat-ing every entry from Python (what a build's walk does) took
~0.9 s at 100k files. The check here does less:

1. Each source root is still what it was (a folder, a file, missing …).
2. Each folder the walk listed is stat-ed: while its mtime, ctime, inode and
   device are the same, no entry was added, removed or renamed in it, and its
   listing stands. A folder whose stamp is too new to trust (see
   `filetable.RACY_NS`) or that held something odd (a broken symlink) is listed
   again and its listing's hash compared.
3. Every file is stat-ed by path — the one thing an in-place edit changes is
   the file's own size, mtime and ctime — in a few threads, since `os.stat`
   lets go of the interpreter while it waits on the kernel.
4. A file whose stamp is too new to trust is read and its hash compared with
   the hash of the bytes the build read.

Anything that differs, or cannot be stat-ed, makes the answer "stale"; the
build then walks and re-reads what changed.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any, NamedTuple

import numpy as np

from evreader.config import SourceSpec
from evreader.index import filetable
from evreader.index.filetable import FileTable, is_racy
from evreader.ingest.files import UnreadableFile, content_digest, list_folder, read_bytes, root_kind

# Threads for the compiled stat loop (it holds no GIL: one per core, at most 4). The
# Python twin runs in one: its threads queued on the GIL and gained nothing.
STAT_THREADS = min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                   else os.cpu_count() or 1)
STAT_SLICE = 8192  # files per task: small enough to share out evenly
_FS_ENCODING = sys.getfilesystemencoding()


class Verdict(NamedTuple):
    """The check's answer; `reason` names the first difference found (for tests
    and `cache info`), empty when the cache is fresh."""

    fresh: bool
    reason: str = ""
    started_ns: int = 0  # the clock before the check's first stat


def check(table: FileTable, specs: Sequence[SourceSpec]) -> Verdict:
    """Whether the files under `specs` are exactly the ones `table` recorded, unchanged."""
    started = time.time_ns()
    roots = [(str(spec.path), root_kind(spec.path)) for spec in specs]
    if roots != table.roots:
        return Verdict(False, "a source was added, removed or changed kind")
    reason = _folders_changed(table)
    if reason:
        return Verdict(False, reason)
    reason = _files_changed(table)
    if reason:
        return Verdict(False, reason)
    for row, digest in table.digests.items():
        if not digest_matches(table.paths[row], digest):
            return Verdict(False, f"{table.paths[row]} changed")
    return Verdict(True, "", started)


def settled(table: FileTable, verdict: Verdict) -> FileTable | None:
    """The table as of a check that found it fresh, if that lets stamps that were
    too new be trusted from now on (so later checks read and list less); None if
    it changes nothing. Every stamp was found as recorded after `started_ns`, the
    racy files' bytes as read: the table is then as good as one taken then."""
    if not verdict.fresh or verdict.started_ns <= table.taken_ns:
        return None
    now = verdict.started_ns
    rows = table.folders
    racy_folders = bool(len(rows)) and bool(np.any(
        np.maximum(rows["mtime"], rows["ctime"]) > table.taken_ns - filetable.RACY_NS))
    files = table.files
    digests = {row: d for row, d in table.digests.items()
               if is_racy(int(files["mtime"][row]), int(files["ctime"][row]), now)}
    if digests == table.digests and not racy_folders:
        return None
    return replace(table, taken_ns=now, digests=digests)


def digest_matches(path: str, digest: str) -> bool:
    """Whether the file now holds the bytes whose `content_digest` is `digest`."""
    if not digest:
        return False
    try:
        return content_digest(read_bytes(path)) == digest
    except UnreadableFile:
        return False


def _folders_changed(table: FileTable) -> str:
    rows = table.folders
    if not len(rows):
        return ""
    dev, ino = rows["dev"].tolist(), rows["ino"].tolist()
    mtime, ctime = rows["mtime"].tolist(), rows["ctime"].tolist()
    listing, volatile = rows["listing"].tolist(), rows["volatile"].tolist()
    for i, path in enumerate(table.folder_paths):
        try:
            st = os.stat(path)
        except OSError:
            return f"folder {path} is gone"
        if (st.st_dev, st.st_ino, st.st_mtime_ns, st.st_ctime_ns) != \
                (dev[i], ino[i], mtime[i], ctime[i]):
            return f"folder {path} changed"
        # A folder that held something odd, or whose stamp is too new, is listed again.
        if (volatile[i] or is_racy(mtime[i], ctime[i], table.taken_ns)) \
                and list_folder(path, []).digest != listing[i]:
            return f"folder {path} changed"
    return ""


COLUMNS = ("size", "mtime", "ctime", "ino", "dev")  # what a stamp compares


def _native_stat() -> Any:
    """The compiled helper (`_stat.c`), unless not built or EVREADER_NATIVE=0 (the
    switch `_native` reads; that module is not imported here: it loads the scanner)."""
    if os.environ.get("EVREADER_NATIVE", "1").strip() == "0":
        return None
    try:
        from evreader.index import _stat
    except ImportError:  # not built (no C compiler at install)
        return None
    return _stat


def _slice_changed(table: FileTable, lo: int, hi: int) -> int:
    """The first row in lo..hi whose file is not as stamped (gone, or another
    size, mtime, ctime, inode or device), else -1. The compiled helper stats the
    slice without the GIL: threads then use every core, and the main thread goes
    on meanwhile."""
    native = _native_stat()
    if native is None:
        return _slice_changed_py(table, lo, hi)
    paths = "\0".join(table.paths[lo:hi]) + "\0"
    now = np.empty((hi - lo, 5), dtype=np.int64)
    native.stat_paths(paths.encode(_FS_ENCODING, "surrogateescape"), now)
    rows = table.files[lo:hi]
    bits = now.view(np.uint64)
    columns = (bits[:, 0], now[:, 1], now[:, 2], bits[:, 3], bits[:, 4])
    differs = np.zeros(hi - lo, dtype=bool)
    for column, values in zip(COLUMNS, columns, strict=True):
        differs |= values != rows[column]
    return lo + int(np.flatnonzero(differs)[0]) if differs.any() else -1


def _slice_changed_py(table: FileTable, lo: int, hi: int) -> int:
    """`_slice_changed` in Python: one os.stat per file, the slice compared as soon
    as it is stat-ed (no more than a slice's values held at once)."""
    stat = os.stat
    sizes: list[int] = []
    mtimes: list[int] = []
    ctimes: list[int] = []
    inos: list[int] = []
    devs: list[int] = []
    paths = table.paths
    for row in range(lo, hi):
        try:
            st = stat(paths[row])
        except OSError:
            return row  # gone: its folder changed, or a symlink's target
        sizes.append(st.st_size)
        mtimes.append(st.st_mtime_ns)
        ctimes.append(st.st_ctime_ns)
        inos.append(st.st_ino)
        devs.append(st.st_dev)
    rows = table.files[lo:hi]
    for column, now in zip(COLUMNS, (sizes, mtimes, ctimes, inos, devs), strict=True):
        differs = np.asarray(now, dtype=rows.dtype[column]) != rows[column]
        if differs.any():
            return lo + int(np.flatnonzero(differs)[0])
    return -1


def _files_changed(table: FileTable) -> str:
    n = len(table)
    if not n:
        return ""
    bounds = [(lo, min(n, lo + STAT_SLICE)) for lo in range(0, n, STAT_SLICE)]
    threads = min(STAT_THREADS, len(bounds)) if _native_stat() is not None else 1
    if threads == 1:
        found = [_slice_changed(table, lo, hi) for lo, hi in bounds]
    else:
        with ThreadPoolExecutor(threads, thread_name_prefix="evreader-stat") as pool:
            found = list(pool.map(lambda b: _slice_changed(table, *b), bounds))
    changed = [row for row in found if row >= 0]
    return f"{table.paths[changed[0]]} changed" if changed else ""
